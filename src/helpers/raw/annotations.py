"""Hand annotations: one YAML file per source, each event checked field by field."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.errors import Problem
from helpers.core.suggest import field_problems, unknown_hint
from helpers.core.vocab import (
    EVENT_TYPES,
    EXCEPTABLE_RULES,
    GROUP_EVENT_TYPES,
    ID_PATTERN,
    STATUSES,
    SYNONYMS,
)
from helpers.raw.yamlio import LocatedDict, load_yaml

FILE_FIELDS = ("source", "events", "dismissed")
EVENT_FIELDS = (
    "id", "case", "type", "event_key", "status", "quote", "quote_occurrence", "paraphrase",
    "date_text", "date_text_verbatim", "date", "date_note", "anchor", "not_before", "not_after",
    "actor", "target", "agencies", "countries_count", "data_volume_gb", "ransom_amount",
    "ransom_currency", "deadline", "summary", "notes", "exceptions",
)
RANSOM_CURRENCIES = ("EUR", "USD", "BTC")
REQUIRED_EVENT_FIELDS = ("id", "type", "event_key", "status", "summary")
DEADLINE_FIELDS = ("date_text", "date", "date_note")
DISMISSED_FIELDS = ("text", "reason", "occurrence")


@dataclass
class Annotation:
    """One event as one source reports it, as the annotator wrote it."""

    source_id: str
    file: str
    line: int
    fields: dict
    key_lines: dict = field(default_factory=dict)
    is_valid: bool = True  # False when its own fields have problems (already reported)
    problems: list = field(default_factory=list)  # those problems: the root of what they stop

    def __getattr__(self, name: str):
        if name in EVENT_FIELDS:
            return self.fields.get(name)
        raise AttributeError(name)

    def line_of(self, name: str) -> int:
        return self.key_lines.get(name, self.line)

    def problem(self, field_name: str, message: str, hint: str = "") -> Problem:
        event_id = self.fields.get("id")
        return Problem(self.file, self.line_of(field_name),
                       event_id if isinstance(event_id, str) else "", field_name, message, hint)

    def has_exception(self, rule: str) -> bool:
        return any(isinstance(e, dict) and e.get("rule") == rule for e in self.exceptions or [])


@dataclass(frozen=True)
class Dismissal:
    """A date expression in a stored text that the annotator says is not an event."""

    source_id: str
    file: str
    line: int
    text: str
    reason: str
    occurrence: int  # 1-based: which occurrence of `text` in the source


@dataclass
class AnnotationFile:
    source_id: str
    file: str
    events: list[Annotation]
    dismissed: list[Dismissal]


def _is_text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_event(event: Annotation, evidence: str | None = None) -> list[Problem]:
    """The event's own fields; `evidence` names the field its source needs (quote for a
    stored text, paraphrase for a citation), when known."""
    f = event.fields
    required = REQUIRED_EVENT_FIELDS
    group_field = GROUP_EVENT_TYPES.get(f["type"]) if isinstance(f.get("type"), str) else None
    if not group_field:
        required += ("case",)
    unfilled = sum(not _is_text(f.get(n)) for n in required)
    if unfilled > 1 and evidence and not _is_text(f.get(evidence)):
        required += (evidence,)  # an unfinished event: say all that is left at once
    problems = field_problems(
        f, required, EVENT_FIELDS,
        lambda name, message: event.problem(name, message),
        lambda name, hint: event.problem(name, "unknown field", hint), _is_text)
    if _is_text(f.get("id")) and not ID_PATTERN.match(f["id"]):
        problems.append(event.problem("id", f"{f['id']!r} is not a valid id",
                                      "use lower-case letters, digits and hyphens"))
    if _is_text(f.get("event_key")) and not ID_PATTERN.match(f["event_key"]):
        problems.append(event.problem("event_key", f"{f['event_key']!r} is not a valid key",
                                      "use lower-case letters, digits and hyphens"))
    if _is_text(f.get("type")) and f["type"] not in EVENT_TYPES:
        problems.append(event.problem("type", f"unknown event type {f['type']!r}",
                                      unknown_hint(f["type"], EVENT_TYPES, synonyms=SYNONYMS)))
    if _is_text(f.get("status")) and f["status"] not in STATUSES:
        problems.append(event.problem("status", f"unknown status {f['status']!r}",
                                      unknown_hint(f["status"], STATUSES, synonyms=SYNONYMS)))
    if group_field:
        kind = str(f["type"]).replace("_", " ")
        if f.get("case") is not None:
            problems.append(event.problem("case", f"a {kind} belongs to a group, not a case",
                                          f"remove 'case' and name the group in '{group_field}'"))
        elif not _is_text(f.get(group_field)):
            role = "the group it targets" if group_field == "target" else "its group"
            problems.append(event.problem(group_field, f"a {kind} needs {role} in "
                                          f"'{group_field}'"))
    for name in ("quote", "paraphrase", "date_text", "date_note", "anchor", "actor", "target",
                 "notes"):
        if f.get(name) is not None and not _is_text(f[name]):
            problems.append(event.problem(name, "must be non-empty text or null"))
    for name in ("date", "not_before", "not_after"):
        if f.get(name) is not None and not isinstance(f[name], str):
            problems.append(event.problem(name, "must be an ISO date written as text or null",
                                          'quote it: "2024-05-01"'))
    if f.get("date_text_verbatim") not in (None, True, False):
        problems.append(event.problem("date_text_verbatim", "must be true or false"))
    volume = f.get("data_volume_gb")
    if volume is not None and (isinstance(volume, bool) or not isinstance(volume, (int, float))
                               or volume < 0):
        problems.append(event.problem("data_volume_gb", f"{volume!r} is not a volume in GB"))
    amount, currency = f.get("ransom_amount"), f.get("ransom_currency")
    if (amount is not None or currency is not None) and f.get("type") != "ransom_demand":
        problems.append(event.problem("ransom_amount", "only a ransom demand has an amount"))
    elif amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float))
                                 or amount <= 0):
        problems.append(event.problem("ransom_amount", f"{amount!r} is not an amount",
                                      "a number, without currency sign or separators"))
    elif (amount is None) != (currency is None):
        problems.append(event.problem("ransom_currency" if currency is None else "ransom_amount",
                                      "an amount needs its currency, and a currency an amount",
                                      "ransom_currency: " + " | ".join(RANSOM_CURRENCIES)))
    elif currency is not None and currency not in RANSOM_CURRENCIES:
        problems.append(event.problem("ransom_currency", f"unknown currency {currency!r}",
                                      unknown_hint(currency, RANSOM_CURRENCIES)))
    count = f.get("countries_count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        problems.append(event.problem("countries_count", f"{count!r} is not a count"))
    occurrence = f.get("quote_occurrence")
    if occurrence is not None and (isinstance(occurrence, bool) or not isinstance(occurrence, int)
                                   or occurrence < 1):
        problems.append(event.problem("quote_occurrence", "must be a whole number from 1"))
    agencies = f.get("agencies")
    if agencies is not None and not (isinstance(agencies, list)
                                     and all(_is_text(a) for a in agencies)):
        problems.append(event.problem("agencies", "must be a list of names"))
    problems += _check_deadline(event)
    problems += _check_exceptions(event)
    return problems


def _check_deadline(event: Annotation) -> list[Problem]:
    deadline = event.fields.get("deadline")
    if deadline is None:
        return []
    if event.fields.get("type") != "ultimatum":
        return [event.problem("deadline", "only an ultimatum has a deadline")]
    if not isinstance(deadline, dict):
        return [event.problem("deadline", "must be a mapping with date_text and date")]
    problems = []
    for name, value in deadline.items():
        if name not in DEADLINE_FIELDS:
            problems.append(event.problem(f"deadline.{name}", "unknown field",
                                          unknown_hint(name, DEADLINE_FIELDS)))
        elif value is not None and not _is_text(value):
            problems.append(event.problem(f"deadline.{name}", "must be non-empty text or null"))
    return problems


def _check_exceptions(event: Annotation) -> list[Problem]:
    exceptions = event.fields.get("exceptions")
    if exceptions is None:
        return []
    if not isinstance(exceptions, list):
        return [event.problem("exceptions", "must be a list of {rule, reason}")]
    problems = []
    for item in exceptions:
        if not isinstance(item, dict) or item.get("rule") not in EXCEPTABLE_RULES \
                or not _is_text(item.get("reason")):
            problems.append(event.problem(
                "exceptions", "each exception needs a known rule and a reason",
                "rules: " + ", ".join(EXCEPTABLE_RULES)))
    return problems


def _check_dismissal(item, source_id: str, display: str) -> tuple[Dismissal | None, list[Problem]]:
    if not isinstance(item, LocatedDict):
        return None, [Problem(display, field="dismissed",
                              message="each dismissed entry must be a mapping with text and reason")]
    problems = []
    for name in item:
        if name not in DISMISSED_FIELDS:
            problems.append(Problem(display, item.line_of(name), field=f"dismissed.{name}",
                                    message="unknown field",
                                    hint=unknown_hint(name, DISMISSED_FIELDS)))
    for name in ("text", "reason"):
        if not _is_text(item.get(name)):
            problems.append(Problem(display, item.line, field=f"dismissed.{name}",
                                    message="missing required field"))
    occurrence = item.get("occurrence", 1)
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        problems.append(Problem(display, item.line_of("occurrence"), field="dismissed.occurrence",
                                message="must be a whole number from 1"))
    if problems:
        return None, problems
    return Dismissal(source_id, display, item.line, item["text"], item["reason"], occurrence), []


def load_annotation_file(path: Path, root: Path, evidence: str | None = None
                         ) -> tuple[AnnotationFile | None, list[Problem]]:
    display = str(path.relative_to(root))
    data, problems = load_yaml(path, display)
    if problems:
        return None, problems
    if not isinstance(data, LocatedDict):
        return None, [Problem(display, message="an annotation file must be a mapping with "
                                               "'source', 'events' and 'dismissed'")]
    for name in data:
        if name not in FILE_FIELDS:
            problems.append(Problem(display, data.line_of(name), field=str(name),
                                    message="unknown field",
                                    hint=unknown_hint(name, FILE_FIELDS)))
    source_id = data.get("source")
    if not _is_text(source_id):
        return None, problems + [Problem(display, data.line, field="source",
                                         message="missing required field")]
    if source_id != path.stem:
        problems.append(Problem(display, data.line_of("source"), field="source",
                                message=f"{source_id!r} differs from the file name {path.stem!r}"))
    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        return None, problems + [Problem(display, data.line_of("events"), field="events",
                                         message="must be a list of events")]
    events = []
    for item in raw_events:
        if not isinstance(item, LocatedDict):
            problems.append(Problem(display, data.line_of("events"), field="events",
                                    message="each event must be a mapping of fields"))
            continue
        event = Annotation(source_id, display, item.line, dict(item), dict(item.key_lines))
        found = _check_event(event, evidence)
        event.is_valid = not found
        event.problems = found
        problems += found
        events.append(event)
    raw_dismissed = data.get("dismissed") or []
    if not isinstance(raw_dismissed, list):
        return None, problems + [Problem(display, data.line_of("dismissed"), field="dismissed",
                                         message="must be a list of {text, reason}")]
    dismissed = []
    for item in raw_dismissed:
        dismissal, found = _check_dismissal(item, source_id, display)
        problems += found
        if dismissal:
            dismissed.append(dismissal)
    return AnnotationFile(source_id, display, events, dismissed), problems


def load_annotations(raw_dir: Path, root: Path, evidence: dict[str, str] | None = None
                     ) -> tuple[list[AnnotationFile], list[Problem]]:
    """Every annotation file; `evidence` gives, by source id, the field its events need."""
    files, problems = [], []
    for path in sorted((raw_dir / "annotations").glob("*.yaml")):
        loaded, found = load_annotation_file(path, root, (evidence or {}).get(path.stem))
        problems += found
        if loaded is not None:
            files.append(loaded)
    return files, problems
