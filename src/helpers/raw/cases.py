"""Cases and groups: who was attacked, and by whom, coded once."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpers.core.errors import Problem
from helpers.core.suggest import field_problems, unknown_hint
from helpers.core.vocab import FACILITY_KINDS, ID_PATTERN, INCIDENT_KINDS, STAGES
from helpers.raw.yamlio import LocatedDict, load_yaml

CASE_FIELDS = ("case_id", "victim", "short_name", "facility_kind", "incident_kind", "city",
               "country_code", "groups", "timezone", "stages", "notes")
STAGE_OVERRIDE_FIELDS = ("stage", "event_key", "reason")
GROUP_FIELDS = ("group_id", "name", "aliases", "notes")


@dataclass(frozen=True)
class StageOverride:
    """The annotator names the event that stands for a stage, where the rule picks wrongly."""

    stage: str
    event_key: str
    reason: str
    line: int


@dataclass(frozen=True)
class Case:
    case_id: str
    victim: str
    facility_kind: str
    city: str
    country_code: str
    groups: tuple[str, ...]
    timezone: str
    notes: str | None = None
    stage_overrides: tuple[StageOverride, ...] = ()
    short_name: str | None = None  # for labels; the city when not given
    incident_kind: str = "ransomware"


@dataclass(frozen=True)
class Group:
    group_id: str
    name: str
    aliases: tuple[str, ...]
    notes: str | None = None


def _records(path: Path, root: Path, kind: str) -> tuple[list[LocatedDict], list[Problem]]:
    display = str(path.relative_to(root))
    data, problems = load_yaml(path, display)
    if problems:
        return [], problems
    if not isinstance(data, list) or not all(isinstance(r, LocatedDict) for r in data):
        return [], [Problem(display, message=f"must be a list of {kind} records")]
    return data, []


def _check_fields(record: LocatedDict, display: str, allowed: tuple, required: tuple,
                  id_field: str) -> list[Problem]:
    kind = id_field.removesuffix("_id")
    record_id = str(record.get(id_field) or "")
    problems = field_problems(
        record, required, allowed,
        lambda name, message: Problem(display, record.line, record_id, name, message, kind=kind),
        lambda name, hint: Problem(display, record.line_of(name), record_id, name,
                                   "unknown field", hint, kind))
    value = record.get(id_field)
    if isinstance(value, str) and not ID_PATTERN.match(value):
        problems.append(Problem(display, record.line_of(id_field), value, id_field,
                                "not a valid id", "use lower-case letters, digits and hyphens",
                                kind))
    return problems


def load_groups(raw_dir: Path, root: Path) -> tuple[dict[str, Group], list[Problem]]:
    path = raw_dir / "groups.yaml"
    display = str(path.relative_to(root))
    records, problems = _records(path, root, "group")
    groups: dict[str, Group] = {}
    for record in records:
        found = _check_fields(record, display, GROUP_FIELDS, ("group_id", "name"), "group_id")
        if record.get("group_id") in groups:
            found.append(Problem(display, record.line, record["group_id"], "group_id",
                                 "duplicate group id", kind="group"))
        problems += found
        if not found:
            groups[record["group_id"]] = Group(record["group_id"], record["name"],
                                               tuple(record.get("aliases") or ()),
                                               record.get("notes"))
    return groups, problems


def group_hint(value: str, groups: dict[str, Group]) -> str:
    """A group named by its name or an alias points to its id; else "did you mean"."""
    aliases = {a.casefold(): g.group_id for g in groups.values() for a in (g.name, *g.aliases)}
    if str(value).casefold() in aliases:
        return f"{value!r} is an alias of {aliases[str(value).casefold()]!r}: use the group id"
    return unknown_hint(value, sorted(groups), "known groups",
                        many="the {n} groups of data/raw/groups.yaml (add it there if new)")


def load_cases(raw_dir: Path, root: Path, groups: dict[str, Group],
               invalid_groups: frozenset[str] = frozenset(), groups_unknown: bool = False
               ) -> tuple[dict[str, Case], list[Problem]]:
    """The valid cases. A group that exists but is itself invalid (`invalid_groups`), or any
    group when groups.yaml cannot be read (`groups_unknown`), is not a problem of the cases
    naming it: the group's own problem is the one to fix."""
    path = raw_dir / "cases.yaml"
    display = str(path.relative_to(root))
    records, problems = _records(path, root, "case")
    cases: dict[str, Case] = {}
    required = ("case_id", "victim", "facility_kind", "incident_kind", "city", "country_code",
                "groups", "timezone")
    for record in records:
        found = _check_fields(record, display, CASE_FIELDS, required, "case_id")
        case_id = record.get("case_id") or ""
        if case_id in cases:
            found.append(Problem(display, record.line, case_id, "case_id", "duplicate case id",
                                 kind="case"))
        kind = record.get("facility_kind")
        if kind and kind not in FACILITY_KINDS:
            found.append(Problem(display, record.line_of("facility_kind"), case_id,
                                 "facility_kind", f"unknown facility kind {kind!r}",
                                 unknown_hint(kind, FACILITY_KINDS), "case"))
        incident = record.get("incident_kind")
        if incident and incident not in INCIDENT_KINDS:
            found.append(Problem(display, record.line_of("incident_kind"), case_id,
                                 "incident_kind", f"unknown incident kind {incident!r}",
                                 unknown_hint(incident, INCIDENT_KINDS), "case"))
        # An empty list is an unattributed case; a missing one is a mistake.
        case_groups = record.get("groups")
        if not isinstance(case_groups, list) or not all(isinstance(g, str) for g in case_groups):
            found.append(Problem(display, record.line_of("groups"), case_id, "groups",
                                 "must be a list of group ids ([] when unattributed)",
                                 kind="case"))
            case_groups = []
        for group in case_groups:
            if group not in groups and group not in invalid_groups and not groups_unknown:
                found.append(Problem(display, record.line_of("groups"), case_id, "groups",
                                     f"unknown group {group!r}", group_hint(group, groups),
                                     "case"))
        try:
            ZoneInfo(str(record.get("timezone")))
        except (ZoneInfoNotFoundError, ValueError):
            found.append(Problem(display, record.line_of("timezone"), case_id, "timezone",
                                 f"unknown time zone {record.get('timezone')!r}",
                                 "use an IANA name such as Europe/Paris", "case"))
        overrides, more = _stage_overrides(record, display, case_id)
        found += more
        problems += found
        if not found:
            cases[case_id] = Case(case_id, record["victim"], kind, record["city"],
                                  record["country_code"], tuple(record["groups"]),
                                  record["timezone"], record.get("notes"), overrides,
                                  record.get("short_name"), incident)
    return cases, problems


def _stage_overrides(record: LocatedDict, display: str, case_id: str
                     ) -> tuple[tuple[StageOverride, ...], list[Problem]]:
    """`stages: [{stage, event_key, reason}]`: which event stands for a stage, and why."""
    items = record.get("stages")
    if items is None:
        return (), []
    line = record.line_of("stages")
    if not isinstance(items, list):
        return (), [Problem(display, line, case_id, "stages",
                            "must be a list of {stage, event_key, reason}", kind="case")]
    overrides, problems, seen = [], [], set()
    for item in items:
        at = item.line if isinstance(item, LocatedDict) else line
        if not isinstance(item, dict) or set(item) - set(STAGE_OVERRIDE_FIELDS) \
                or not all(isinstance(item.get(k), str) and item[k].strip()
                           for k in STAGE_OVERRIDE_FIELDS):
            problems.append(Problem(display, at, case_id, "stages",
                                    "each entry needs stage, event_key and reason (text)",
                                    "e.g. {stage: attack, event_key: encryption, reason: ...}",
                                    "case"))
            continue
        if item["stage"] not in STAGES:
            problems.append(Problem(display, at, case_id, "stages.stage",
                                    f"unknown stage {item['stage']!r}",
                                    unknown_hint(item["stage"], STAGES), "case"))
            continue
        if item["stage"] in seen:
            problems.append(Problem(display, at, case_id, "stages.stage",
                                    f"stage {item['stage']!r} is named twice", kind="case"))
            continue
        seen.add(item["stage"])
        overrides.append(StageOverride(item["stage"], item["event_key"],
                                       " ".join(item["reason"].split()), at))
    return tuple(overrides), problems
