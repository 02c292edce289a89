"""Build the tidy tables from data/raw: load, locate evidence, resolve dates, check, write.

`build_tables()` only reads and returns tables (or raises DatasetError listing every
problem); `write_tables()` writes them atomically; `python -m helpers.build` does both.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from . import dates, quotes
from .annotations import Annotation, AnnotationFile, load_annotations
from .cases import Case, Group, group_hint, load_cases, load_groups
from .errors import Consequence, DatasetError, Problem, render_report
from .handdates import HandDate, parse_hand_date
from .lint import event_warnings
from .paths import PROCESSED_DIR, PROJECT_ROOT, RAW_DIR
from .sources import DEFAULT_TIMEZONE, Source, load_sources
from .derive import Derived, derive
from .suggest import did_you_mean, unknown_hint
from .vocab import AFTER_ATTACK_TYPES, EVENT_TYPES, GROUP_EVENT_TYPES, STAGE_EVENT_TYPES, SYNONYMS



@dataclass
class Dating:
    """Where an event (or a deadline) lies in time, and how we know."""

    earliest: datetime
    latest: datetime
    precision: str
    method: str
    value: str  # TIMEX3-style; "" when undated


@dataclass
class ResolvedEvent:
    annotation: Annotation
    source: Source
    case_id: str | None
    group_id: str | None  # group-level events (police actions, relaunches): their group
    tz: ZoneInfo
    quote_span: tuple[int, int] | None = None
    date_text_span: tuple[int, int] | None = None
    deadline_text_span: tuple[int, int] | None = None
    dating: Dating | None = None
    deadline: Dating | None = None

    @property
    def scope(self) -> tuple[str, str]:
        """Event keys live within a case, or within a group for police actions."""
        return ("case", self.case_id) if self.case_id else ("group", self.group_id or "")


@dataclass
class Raw:
    groups: dict[str, Group]
    cases: dict[str, Case]
    sources: dict[str, Source]
    files: list[AnnotationFile]
    problems: list[Problem] = field(default_factory=list)
    source_files: frozenset[str] = frozenset()  # stems of every source metadata file
    # Records that exist but are invalid, with the first of their problems: what names them
    # is not checked, and is reported under that problem rather than as "unknown".
    invalid_groups: dict[str, Problem] = field(default_factory=dict)
    invalid_cases: dict[str, Problem] = field(default_factory=dict)
    invalid_sources: dict[str, Problem] = field(default_factory=dict)
    # Files that could not be read at all (YAML syntax, not UTF-8, wrong shape), by path:
    # what they hold is unknown, so nothing is said to be missing because of them.
    unreadable: dict[str, Problem] = field(default_factory=dict)


def _invalid_records(problems: list[Problem], kind: str, valid) -> dict[str, Problem]:
    roots: dict[str, Problem] = {}
    for problem in sorted(problems):
        if problem.kind == kind and problem.event_id and problem.event_id not in valid:
            roots.setdefault(problem.event_id, problem)
    return roots


def _unreadable(problems: list[Problem], files: list[str]) -> dict[str, Problem]:
    """The first problem of each file in `files` that could not be read as a whole."""
    found: dict[str, Problem] = {}
    for problem in sorted(problems):
        if problem.file in files and not problem.event_id:
            found.setdefault(problem.file, problem)
    return found


def load_raw(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> Raw:
    groups, problems = load_groups(raw_dir, root)
    invalid_groups = _invalid_records(problems, "group", groups)
    groups_file = str((raw_dir / "groups.yaml").relative_to(root))
    unreadable = _unreadable(problems, [groups_file]) if not groups else {}
    if unreadable:  # every group is unknown: the cases naming one are not to blame
        invalid_groups = {}
    cases, found = load_cases(raw_dir, root, groups, frozenset(invalid_groups),
                              groups_unknown=bool(unreadable))
    problems += found
    if not cases:
        unreadable.update(_unreadable(found, [str((raw_dir / "cases.yaml").relative_to(root))]))
    invalid_cases = _invalid_records(found, "case", cases)
    sources, found = load_sources(raw_dir, root)
    problems += found
    stems = frozenset(p.stem for p in (raw_dir / "sources").glob("*.yaml"))
    invalid_sources: dict[str, Problem] = {}
    for problem in sorted(found):
        stem = Path(problem.file).stem
        if stem in stems and stem not in sources:
            invalid_sources.setdefault(stem, problem)
    # What an event needs as evidence depends on its source: said with its other fields.
    evidence = {i: ("quote" if (raw_dir / "sources" / f"{i}.txt").is_file() else "paraphrase")
                for i in stems}
    evidence.update({i: ("quote" if s.has_text else "paraphrase") for i, s in sources.items()})
    files, found = load_annotations(raw_dir, root, evidence)
    problems += found
    loaded = {f.file for f in files}
    unreadable.update(_unreadable(found, [
        str(p.relative_to(root)) for p in sorted((raw_dir / "annotations").glob("*.yaml"))
        if str(p.relative_to(root)) not in loaded]))
    return Raw(groups, cases, sources, files, problems, stems, invalid_groups, invalid_cases,
               invalid_sources, unreadable)


# --- what a problem stops --------------------------------------------------------------

def _short(file: str) -> str:
    """A raw file's name as messages cite it: relative to data/raw."""
    return file.split("data/raw/", 1)[-1]


def _places(events: list[Annotation], limit: int = 8) -> str:
    """Where events are, file by file: "annotations/a.yaml:3, 12; annotations/b.yaml:4"."""
    lines: dict[str, list[int]] = {}
    for event in events:
        lines.setdefault(_short(event.file), []).append(event.line)
    parts = []
    for file, numbers in lines.items():
        shown = ", ".join(str(n) for n in sorted(numbers)[:limit])
        more = f" and {len(numbers) - limit} more" if len(numbers) > limit else ""
        parts.append(f"{file}:{shown}{more}")
    return "; ".join(parts)


def _is_attack(event: Annotation) -> bool:
    """Whether an event, even one whose type is wrong, is meant as an attack."""
    kind = event.fields.get("type")
    if kind in EVENT_TYPES:
        return kind == "attack"
    return did_you_mean(kind, EVENT_TYPES, synonyms=SYNONYMS) == "attack" \
        or event.fields.get("event_key") == "attack"


@dataclass
class Roots:
    """Where each left-out thing's trouble began. What depends on it (an event of an invalid
    case, an undated event bounded by a broken attack, a text whose coverage cannot be
    checked) is reported once, under that root problem, not as problems of its own."""

    # (scope kind, scope id, event_key) -> the problem of an event left out or not dated
    keys: dict[tuple, Problem] = field(default_factory=dict)
    attacks: dict[str, Problem] = field(default_factory=dict)  # case -> its broken attack's
    texts: dict[str, Problem] = field(default_factory=dict)  # source -> why coverage waits
    # root -> (what is stopped, e.g. "undated events of case x not bounded", the events)
    stopped: dict[tuple[Problem, str], list[Annotation]] = field(default_factory=dict)
    notes: list[Consequence] = field(default_factory=list)
    unreadable: Problem | None = None  # an annotation file that cannot be read: it may hold
    # the attack or the event key that seems missing

    def attack(self, case: str | None) -> Problem | None:
        return self.attacks.get(case or "") or (self.unreadable if case else None)

    def key(self, key: tuple) -> Problem | None:
        return self.keys.get(key) or self.unreadable

    def why(self, root: Problem, what: str) -> str:
        """Why `what` (the case's attack, an event key) is missing, said from its root."""
        if root is self.unreadable:
            return f"{what} may be in {_short(root.file)}, which cannot be read"
        return f"{what} has a problem, see {_short(root.file)}:{root.line}"

    def left_out(self, event: Annotation, root: Problem, case: str | None = None) -> None:
        """`event` is not checked further because of `root`."""
        self.texts.setdefault(event.source_id, root)
        case = case if case is not None else event.fields.get("case")
        key = event.fields.get("event_key")
        if case and isinstance(case, str) and isinstance(key, str):
            self.keys.setdefault(("case", case, key), root)
            if _is_attack(event):
                self.attacks.setdefault(case, root)

    def stop(self, root: Problem, what: str, event: Annotation) -> None:
        self.stopped.setdefault((root, what), []).append(event)

    def consequences(self) -> list[Consequence]:
        found = []
        for (root, what), events in self.stopped.items():
            count = len(events)
            found.append(Consequence(root, what.format(n=count, s="s" if count != 1 else "",
                                                       places=_places(events)),
                                     tuple(sorted({e.file for e in events}))))
        return found + self.notes


# --- references -------------------------------------------------------------------------

def _link_events(raw: Raw, roots: Roots) -> tuple[list[ResolvedEvent], list[Problem]]:
    problems: list[Problem] = []
    events: list[ResolvedEvent] = []
    seen_ids: dict[str, str] = {}
    roots.unreadable = next((p for f, p in sorted(raw.unreadable.items())
                             if "/annotations/" in f), None)
    cases_root = next((p for f, p in raw.unreadable.items() if f.endswith("cases.yaml")), None)
    groups_root = next((p for f, p in raw.unreadable.items() if f.endswith("groups.yaml")),
                       None)
    # An unknown name is one problem, at its first use; its other uses are listed under it.
    first_use: dict[tuple[str, str], Problem] = {}

    def unknown(event: Annotation, name: str, value: str, message: str, hint: str) -> Problem:
        if (name, value) in first_use:
            root = first_use[(name, value)]
            roots.stop(root, f"{{n}} more event{{s}} with {name} {value!r}, not checked: "
                       "{places}", event)
            return root
        root = first_use[(name, value)] = event.problem(name, message, hint)
        problems.append(root)
        return root

    for file in raw.files:
        source = raw.sources.get(file.source_id)
        if source is None and file.source_id in raw.source_files:
            root = raw.invalid_sources.get(file.source_id)
            for event in file.events:
                if root is not None and event.is_valid:  # its metadata or text is broken
                    roots.left_out(event, root)
                    roots.stop(root, f"{{n}} event{{s}} of source {file.source_id} not checked: "
                               f"the source is invalid, see {_short(root.file)}"
                               + (f":{root.line}" if root.line else ""), event)
            continue
        if source is None:
            guess = did_you_mean(file.source_id, raw.source_files)
            problems.append(Problem(file.file, 1, field="source",
                                    message=f"unknown source {file.source_id!r}",
                                    hint=(f"did you mean {guess!r}? an annotation file is "
                                          "named after its source" if guess else
                                          f"add data/raw/sources/{file.source_id}.yaml first")))
            continue
        for event in file.events:
            if not event.is_valid:
                # Cross-checks would only repeat what its own fields got wrong.
                roots.left_out(event, min(event.problems))
                continue
            event_id = event.id
            if event_id and event_id in seen_ids:
                problem = event.problem("id", "duplicate event id",
                                        f"also used in {seen_ids[event_id]}; ids are never "
                                        "reused: pick a new one")
                problems.append(problem)
                roots.left_out(event, problem)
                continue
            if event_id:
                seen_ids[event_id] = f"{event.file}:{event.line}"
            if event.case and event.case in raw.invalid_cases:
                root = raw.invalid_cases[event.case]
                roots.stop(root, f"{{n}} event{{s}} of case {event.case} not checked "
                           f"({{places}}): the case is invalid, see {_short(root.file)}:"
                           f"{root.line}", event)
                roots.texts.setdefault(event.source_id, root)
                continue
            if event.case and event.case not in raw.cases and cases_root:
                roots.stop(cases_root, "{n} event{s} not checked ({places}): "
                           f"{_short(cases_root.file)} cannot be read", event)
                roots.texts.setdefault(event.source_id, cases_root)
                continue
            found = []
            if event.case and event.case not in raw.cases:
                found.append(unknown(event, "case", event.case, f"unknown case {event.case!r}",
                                     unknown_hint(event.case,
                                                  sorted({*raw.cases, *raw.invalid_cases}),
                                                  "known cases",
                                                  many="the {n} cases of data/raw/cases.yaml")))
            for name in ("actor", "target"):
                value = event.fields.get(name)
                if value and value not in raw.groups and value not in raw.invalid_groups \
                        and not groups_root:
                    found.append(unknown(event, name, str(value), f"unknown group {value!r}",
                                         group_hint(str(value), raw.groups)))
            if found:
                roots.left_out(event, found[0],
                               case=event.case if event.case in raw.cases else "")
                continue
            case = raw.cases.get(event.case) if event.case else None
            tz = ZoneInfo(case.timezone if case else DEFAULT_TIMEZONE)
            group_field = GROUP_EVENT_TYPES.get(event.type)
            group_id = event.fields.get(group_field) if group_field else None
            events.append(ResolvedEvent(event, source, event.case, group_id, tz))
    types_by_key: dict[tuple, ResolvedEvent] = {}
    for item in events:
        key = (*item.scope, item.annotation.event_key)
        first = types_by_key.setdefault(key, item)
        if first.annotation.type != item.annotation.type:
            problems.append(item.annotation.problem(
                "event_key", f"{item.annotation.event_key!r} is a {first.annotation.type} in "
                f"{first.annotation.file}:{first.annotation.line} but a {item.annotation.type} here",
                "one real-world event has one type: use another key"))
    return events, problems


# --- evidence ---------------------------------------------------------------------------

def linked_events(raw: Raw) -> list[ResolvedEvent]:
    """The events of data/raw whose references hold (cases, sources, groups)."""
    return _link_events(raw, Roots())[0]


def _locate(needle: str, text: str, occurrence: int | None) -> tuple[tuple[int, int] | None, str]:
    spans = quotes.find_all(needle, text)
    if not spans:
        return None, "not found"
    if occurrence is None:
        if len(spans) > 1:
            return None, f"found {len(spans)} times"
        return spans[0], ""
    if occurrence > len(spans):
        return None, f"occurrence {occurrence} asked but found {len(spans)} times"
    return spans[occurrence - 1], ""


def _inside(needle: str, text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    start, end = span
    inner = quotes.find_all(needle, text[start:end])
    return (start + inner[0][0], start + inner[0][1]) if inner else None


def _check_evidence(item: ResolvedEvent) -> list[Problem]:
    event, source = item.annotation, item.source
    if not source.has_text:
        problems = []
        if event.quote:
            problems.append(event.problem("quote", "the source has no stored text to quote",
                                          "use 'paraphrase' for citation-only sources"))
        if not event.paraphrase:
            problems.append(event.problem("paraphrase", "missing: a citation-only source needs "
                                          "an English paraphrase of what it says"))
        return problems
    if event.date_text_verbatim is False:
        return [event.problem("date_text_verbatim", "a stored text's date_text is always verbatim")]
    if not event.quote:
        return [event.problem("quote", "missing: a stored text's event needs a verbatim quote")]
    span, trouble = _locate(event.quote, source.text, event.quote_occurrence)
    if span is None:
        if trouble == "not found":
            near = quotes.nearest_passage(event.quote, source.text)
            return [event.problem("quote", f"not found in {source.meta.get('text_file')}",
                                  f"nearest passage: “{near.strip()}”")]
        return [event.problem("quote", trouble, "set quote_occurrence to say which one, "
                              "or lengthen the quote")]
    item.quote_span = span
    problems = []
    if event.date_text:
        item.date_text_span = _inside(event.date_text, source.text, span)
        if item.date_text_span is None:
            problems.append(event.problem("date_text", f"{event.date_text!r} is not inside the quote",
                                          "the date as written must lie within the quote"))
    deadline = event.deadline or {}
    if deadline.get("date_text"):
        item.deadline_text_span = _inside(deadline["date_text"], source.text, span)
        if item.deadline_text_span is None:
            problems.append(event.problem("deadline.date_text",
                                          f"{deadline['date_text']!r} is not inside the quote",
                                          "the deadline as written must lie within the quote"))
    return problems


def _check_evidence_of_invalid_events(raw: Raw) -> list[Problem]:
    """Evidence problems of events left out for bad fields, so one run reports them too."""
    problems = []
    for file in raw.files:
        source = raw.sources.get(file.source_id)
        for event in file.events:
            f = event.fields
            readable = (all(isinstance(f.get(k), (str, type(None)))
                            for k in ("quote", "date_text", "paraphrase"))
                        and isinstance(f.get("quote_occurrence"), (int, type(None)))
                        and isinstance(f.get("deadline"), (dict, type(None))))
            unfinished = any(p.message.startswith("left to fill") for p in event.problems)
            if source is None or event.is_valid or not readable or unfinished:
                continue
            item = ResolvedEvent(event, source, None, None, ZoneInfo(DEFAULT_TIMEZONE))
            problems += _check_evidence(item)
    return problems


# --- dates ------------------------------------------------------------------------------

def _from_resolution(res: dates.DateResolution) -> Dating:
    return Dating(res.earliest, res.latest, res.precision, res.method, res.value)


def _from_hand(hand: HandDate, method: str) -> Dating:
    return Dating(hand.earliest, hand.latest, hand.precision, method, hand.value)


def _overlap(a: Dating | HandDate, b: Dating | HandDate) -> bool:
    return a.earliest <= b.latest and b.earliest <= a.latest


def _language(item: ResolvedEvent) -> str:
    # A date_text that is not verbatim is our English rendering of the source's date.
    if item.annotation.date_text_verbatim is False:
        return "en"
    return item.source.meta.get("language") or "fr"


def _unresolved_hint(item: ResolvedEvent, date_text: str, reference: datetime,
                     anchor) -> str:
    """What to do with a date the resolver cannot read: if it reads in the other language,
    the date_text_verbatim flag is what is wrong."""
    read_as = _language(item)
    other = "fr" if read_as == "en" else "en"
    try:
        dates.resolve(date_text, reference.astimezone(item.tz), anchor, language=other)
    except (dates.DateResolutionError, ValueError):
        return ("rephrase as the source wrote it, or give 'date' with 'date_note' explaining it")
    if other == "en":
        return ("it reads as English: if it is your rendering of the source's date, set "
                "date_text_verbatim: false, and it is read as English")
    return ("it reads as French, but a date_text marked date_text_verbatim: false is read as "
            "English: if the source wrote it so, remove date_text_verbatim: false")


def _date_expression(item: ResolvedEvent, date_text: str | None, hand_text: str | None,
                     note: str | None, field_prefix: str, anchor: Dating | None
                     ) -> tuple[Dating | None, list[Problem]]:
    """Resolve a date as written, and check it against the annotator's hand date."""
    event = item.annotation
    hand = None
    if hand_text:
        try:
            hand = parse_hand_date(hand_text, item.tz)
        except ValueError as err:
            return None, [event.problem(f"{field_prefix}date", str(err))]
    if not date_text:
        return (_from_hand(hand, "hand_iso"), []) if hand else (None, [])
    reference = item.source.publication.reference
    if reference is None:
        if hand is None:
            return None, [event.problem(
                f"{field_prefix}date_text", f"cannot resolve {date_text!r}: the source has no "
                "publication date to read it from", "give the hand date in 'date'")]
        reference = hand.latest
    # An undated anchor says nothing a relative expression could count from.
    anchor_value = (dates.DateResolution("anchor", anchor.earliest, anchor.latest,
                                         anchor.precision, anchor.method, anchor.value or "anchor")
                    if anchor and anchor.precision in dates.PRECISIONS else None)
    try:
        resolved = _from_resolution(dates.resolve(date_text, reference.astimezone(item.tz),
                                                  anchor_value, language=_language(item)))
    except (dates.DateResolutionError, ValueError) as err:
        if hand and note:
            return _from_hand(hand, "hand_explained"), []
        reason = str(err) if str(err).startswith("cannot resolve") else f"cannot resolve: {err}"
        return None, [event.problem(f"{field_prefix}date_text", reason,
                                    _unresolved_hint(item, date_text, reference, anchor_value))]
    if hand and not _overlap(hand, resolved):
        if note:
            return _from_hand(hand, "hand_explained"), []
        return None, [event.problem(
            f"{field_prefix}date", f"hand date {hand.text} disagrees with {date_text!r} "
            f"resolved as {resolved.value} ({_iso(resolved.earliest)} to {_iso(resolved.latest)})",
            "correct the hand date, or explain the difference in 'date_note'")]
    return resolved, []


def _combine(intervals: list[tuple[datetime, datetime]]) -> tuple[datetime, datetime]:
    """What the sources together say: the interval they share, or if they disagree, all of them."""
    start, end = max(lo for lo, _ in intervals), min(hi for _, hi in intervals)
    if start <= end:
        return start, end
    return min(lo for lo, _ in intervals), max(hi for _, hi in intervals)


def _dated_intervals(events: list[ResolvedEvent], key_of) -> dict[tuple, list]:
    intervals: dict[tuple, list] = {}
    for item in events:
        key = key_of(item)
        if key is None or item.dating is None or item.dating.method.startswith("bounds"):
            continue
        intervals.setdefault(key, []).append((item.dating.earliest, item.dating.latest))
    return intervals


def _key_bounds(events: list[ResolvedEvent]) -> dict[tuple, tuple[datetime, datetime]]:
    """Bounds of each real-world event (case or group, event_key) across its dated sources."""
    found = _dated_intervals(events, lambda e: (*e.scope, e.annotation.event_key))
    return {key: _combine(spans) for key, spans in found.items()}


def _attack_bounds(events: list[ResolvedEvent], *, conservative: bool) -> dict[str, datetime]:
    """Each case's attack start: the earliest any source allows (conservative, for rules),
    or the start of what the sources agree on (to bound undated events)."""
    found = _dated_intervals(events, lambda e: e.case_id if e.case_id
                             and e.annotation.type == "attack" else None)
    if conservative:
        return {case: min(lo for lo, _ in spans) for case, spans in found.items()}
    return {case: _combine(spans)[0] for case, spans in found.items()}


def _attack_ends(events: list[ResolvedEvent]) -> dict[str, datetime]:
    """Each case's attack end: the latest any dated source allows."""
    found = _dated_intervals(events, lambda e: e.case_id if e.case_id
                             and e.annotation.type == "attack" else None)
    return {case: max(hi for _, hi in spans) for case, spans in found.items()}


def _keys_of(events: list[ResolvedEvent], scope: tuple) -> list[str]:
    return sorted({e.annotation.event_key for e in events if e.scope == scope})


def _bound(item: ResolvedEvent, name: str, key_bounds, default: datetime | None,
           default_label: str, roots: Roots, events: list[ResolvedEvent]
           ) -> tuple[datetime | None, str, list[Problem]]:
    event = item.annotation
    value = event.fields.get(name)
    if value is None:
        if default is not None:
            return default, default_label, []
        if default_label == "attack" and roots.attack(item.case_id):
            root = roots.attack(item.case_id)
            roots.stop(root, f"{{n}} undated event{{s}} of case {item.case_id} not bounded "
                       f"({{places}}): " + roots.why(root, "its attack"), event)
            return None, "", []
        if default_label == "attack":
            attacks = [e for e in events if e.case_id == item.case_id
                       and e.annotation.type == "attack"]
            why = (f"no source dates the attack of case {item.case_id}" if attacks else
                   f"case {item.case_id} has no attack event")
            return None, "", [event.problem(
                name, f"undated, and {why} to bound it",
                f"give '{name}' as an event key or an ISO date"
                + ("" if attacks else ", or annotate the attack"))]
        return None, "", [event.problem(name, f"undated event with no {default_label} to "
                                        "bound it", f"give '{name}' as an event key or an "
                                        "ISO date")]
    key = (*item.scope, value)
    if key in key_bounds:
        lo, hi = key_bounds[key]
        return (lo if name == "not_before" else hi), value, []
    try:
        hand = parse_hand_date(value, item.tz)
    except ValueError:
        if roots.key(key):
            root = roots.key(key)
            roots.stop(root, f"{{n}} undated event{{s}} bounded by {value!r} not bounded "
                       f"({{places}}): " + roots.why(root, f"event {value!r}"), event)
            return None, "", []
        guess = did_you_mean(value, _keys_of(events, item.scope))
        return None, "", [event.problem(name, f"{value!r} is neither a dated event key of this "
                                        "case nor an ISO date",
                                        f"did you mean {guess!r}?" if guess else "")]
    return (hand.earliest if name == "not_before" else hand.latest), value, []


def _date_events(events: list[ResolvedEvent], roots: Roots) -> list[Problem]:
    problems: list[Problem] = []
    # First the events dated by themselves, then those relative to an anchor, then bounds.
    plain = [e for e in events if not e.annotation.anchor]
    anchored = [e for e in events if e.annotation.anchor]
    for item in plain:
        event = item.annotation
        item.dating, found = _date_expression(item, event.date_text, event.date,
                                              event.date_note, "", None)
        problems += found
        if found:
            roots.left_out(event, found[0], item.case_id or "")
    same_source_bounds = {}
    for item in plain:
        if item.dating:
            same_source_bounds[(item.source.source_id, *item.scope, item.annotation.event_key)] = item.dating
    key_bounds = _key_bounds(plain)
    for item in anchored:
        event = item.annotation
        # The same source's date for the anchor first; else what all sources say of it.
        anchor = same_source_bounds.get((item.source.source_id, *item.scope, event.anchor))
        if anchor is None and (*item.scope, event.anchor) in key_bounds:
            lo, hi = key_bounds[(*item.scope, event.anchor)]
            anchor = Dating(lo, hi, "day", "anchor_across_sources", "")
        if anchor is None and roots.key((*item.scope, event.anchor)):
            root = roots.key((*item.scope, event.anchor))
            roots.stop(root, f"{{n}} event{{s}} anchored on {event.anchor!r} not dated "
                       f"({{places}}): " + roots.why(root, f"event {event.anchor!r}"), event)
            roots.left_out(event, root, item.case_id or "")
            continue
        if anchor is None:
            guess = did_you_mean(event.anchor, _keys_of(plain, item.scope))
            problems.append(event.problem("anchor", f"no dated event {event.anchor!r} in this "
                                          "case to anchor on",
                                          f"did you mean {guess!r}?" if guess else ""))
            continue
        item.dating, found = _date_expression(item, event.date_text, event.date,
                                              event.date_note, "", anchor)
        problems += found
        if found:
            roots.left_out(event, found[0], item.case_id or "")
    key_bounds = _key_bounds(events)
    attacks = _attack_bounds(events, conservative=False)
    for item in events:
        event = item.annotation
        if item.dating is not None or event.date_text or event.date:
            continue
        if event.anchor:
            continue
        attack = attacks.get(item.case_id) if item.case_id else None
        if event.type == "intrusion":  # it precedes the attack: bounded above by it
            earliest, lo_label, found = _bound(item, "not_before", key_bounds, None,
                                               "lower bound", roots, events)
            latest, hi_label, more = _bound(item, "not_after", key_bounds, attack, "attack",
                                            roots, events)
        else:
            earliest, lo_label, found = _bound(item, "not_before", key_bounds, attack, "attack",
                                               roots, events)
            latest, hi_label, more = _bound(item, "not_after", key_bounds,
                                            item.source.publication.latest, "publication",
                                            roots, events)
        problems += found + more
        if earliest is not None and latest is not None:
            if earliest > latest:
                problems.append(event.problem("not_after", f"bounds are inverted: not before "
                                              f"{_iso(earliest)} but not after {_iso(latest)}"))
                continue
            item.dating = Dating(earliest.astimezone(item.tz), latest.astimezone(item.tz),
                                 "undated", f"bounds:{lo_label}..{hi_label}", "")
    for item in events:
        deadline = item.annotation.deadline or {}
        if deadline.get("date_text") or deadline.get("date"):
            item.deadline, found = _date_expression(item, deadline.get("date_text"),
                                                    deadline.get("date"), deadline.get("date_note"),
                                                    "deadline.", item.dating)
            problems += found
    return problems


# --- rules ------------------------------------------------------------------------------

def _check_rules(events: list[ResolvedEvent]) -> list[Problem]:
    problems = []
    attacks = _attack_bounds(events, conservative=True)
    attack_ends = _attack_ends(events)
    for item in events:
        event, dating = item.annotation, item.dating
        if dating is None:
            continue
        published = item.source.publication.latest
        if published is not None and dating.earliest > published \
                and not event.has_exception("after_publication"):
            problems.append(event.problem(
                "date", f"dated {_iso(dating.earliest)}, after its source's publication "
                f"({_iso(published)})", "check the date, or add an exception with rule "
                "after_publication and a reason"))
        attack = attacks.get(item.case_id) if item.case_id else None
        if attack is not None and event.type in AFTER_ATTACK_TYPES and dating.latest < attack \
                and not event.has_exception("chronology"):
            problems.append(event.problem(
                "date", f"a {event.type} dated {_iso(dating.latest)} is before the attack "
                f"({_iso(attack)})", "check the date, or add an exception with rule chronology "
                "and a reason"))
        attack_end = attack_ends.get(item.case_id) if item.case_id else None
        if attack_end is not None and event.type == "intrusion" \
                and dating.earliest > attack_end and not event.has_exception("chronology"):
            problems.append(event.problem(
                "date", f"an intrusion dated {_iso(dating.earliest)} is after the attack "
                f"({_iso(attack_end)})", "check the date, or code the event as an attack"))
        if item.deadline and item.deadline.latest < dating.earliest \
                and not event.has_exception("chronology"):
            problems.append(event.problem(
                "deadline.date", f"deadline {_iso(item.deadline.latest)} is before the ultimatum "
                f"was issued ({_iso(dating.earliest)})", "check both dates, or add an exception "
                "with rule chronology and a reason"))
    return problems


def _check_coverage(raw: Raw, events: list[ResolvedEvent], skip: dict[str, Problem],
                    scan: ExpressionScan, roots: Roots
                    ) -> tuple[list[dict], list[Problem], list[Problem]]:
    """Every date expression in a stored text is annotated or dismissed: the dismissals,
    the problems of the dismissals, and the expressions left unaccounted for."""
    problems, dismissed_rows = [], []
    # The annotated spans of each source, gathered once (not once per file).
    checked: list[tuple[AnnotationFile, Source, list]] = []
    spans_by_source: dict[str, list[tuple[int, int]]] = {}
    for e in events:
        spans_by_source.setdefault(e.source.source_id, []).extend(
            span for span in (e.date_text_span, e.deadline_text_span) if span)
    for file in raw.files:
        source = raw.sources.get(file.source_id)
        if source is None or not source.has_text:
            if source is not None and file.dismissed:
                problems.append(Problem(file.file, file.dismissed[0].line, field="dismissed",
                                        message="a citation-only source has no text to dismiss from"))
            continue
        covered = list(spans_by_source.get(source.source_id, ()))
        for item in file.dismissed:
            span, trouble = _locate(item.text, source.text, item.occurrence)
            if span is None and trouble.startswith("found"):
                span = None
                trouble += "; set 'occurrence'"
            if span is None:
                problems.append(Problem(file.file, item.line, field="dismissed.text",
                                        message=f"{item.text!r} {trouble} in the text"))
                continue
            covered.append(span)
            dismissed_rows.append({"source_id": source.source_id, "text": source.text[span[0]:span[1]],
                                   "text_start": span[0], "text_end": span[1], "reason": item.reason})
        if source.source_id in skip:
            roots.notes.append(Consequence(
                skip[source.source_id], f"the coverage of {source.meta.get('text_file')} (every "
                "date expression annotated or dismissed) is checked once its events pass",
                (file.file,)))
            continue
        checked.append((file, source, covered))
    found_spans = scan.spans()
    unaccounted = []
    for file, source, covered in checked:
        for start, end in found_spans.get(source.source_id, []):
            if not any(a < end and start < b for a, b in covered):
                unaccounted.append(Problem(
                    file.file, 0, field="dismissed",
                    message=f"date expression {source.text[start:end]!r} at offset {start} is "
                    "neither annotated nor dismissed",
                    hint="annotate the event it dates, or dismiss it with a reason"))
    return dismissed_rows, problems, unaccounted


PARALLEL_SCAN_TEXTS = 200  # below this, starting worker processes costs more than it saves


def _spans_of(item: tuple[str, str]) -> list[tuple[int, int]]:
    return dates.find_expression_spans(item[0], language=item[1])


class ExpressionScan:
    """The date expressions of every stored text, found while the rest of the build runs:
    with many texts, in worker processes started at once (the scan is pure, so the result is
    the same); with few, in this process when asked."""

    def __init__(self, raw: Raw):
        self._texts = {s.source_id: (s.text, str(s.meta.get("language") or "fr"))
                       for s in raw.sources.values() if s.has_text and s.text is not None}
        self._pool, self._futures = None, {}
        workers = min(os.cpu_count() or 1, 8)
        if len(self._texts) >= PARALLEL_SCAN_TEXTS and workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(workers,
                                             mp_context=multiprocessing.get_context("fork"))
            ids = sorted(self._texts)
            size = max(1, len(ids) // (workers * 4))
            for k in range(0, len(ids), size):
                chunk = ids[k:k + size]
                self._futures[tuple(chunk)] = self._pool.submit(
                    _spans_of_many, [self._texts[i] for i in chunk])

    def spans(self) -> dict[str, list[tuple[int, int]]]:
        """Every text's spans, by source id (waits for the workers)."""
        if self._pool is None:
            return {i: _spans_of(item) for i, item in self._texts.items()}
        try:
            found = {}
            for chunk, future in self._futures.items():
                found.update(zip(chunk, future.result()))
            return found
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _spans_of_many(items: list[tuple[str, str]]) -> list[list[tuple[int, int]]]:
    return [_spans_of(item) for item in items]


# --- tables -----------------------------------------------------------------------------

def _iso(moment: datetime | None) -> str:
    """Local wall-clock time, without offset: the case's time zone is in cases.csv."""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") if moment else ""


def _event_date(dating: Dating | None) -> str:
    if dating is None or not dating.value:
        return ""
    return dating.value.split("T")[0]


def _time_of_day(dating: Dating | None) -> str:
    if dating is None or "T" not in dating.value:
        return ""
    return dating.value.split("T", 1)[1]


def event_row(item: ResolvedEvent) -> dict:
    event, dating, deadline = item.annotation, item.dating, item.deadline
    deadline_raw = event.deadline or {}
    quote = item.source.text[item.quote_span[0]:item.quote_span[1]] if item.quote_span else ""
    return {
        "event_id": event.id,
        "case_id": item.case_id or "",
        "event_type": event.type,
        "event_key": event.event_key,
        "is_context": event.type in GROUP_EVENT_TYPES,
        "source_id": item.source.source_id,
        "date_text": event.date_text or "",
        "is_date_text_verbatim": event.date_text_verbatim is not False,
        "event_date": _event_date(dating),
        "time_of_day": _time_of_day(dating),
        "date_earliest": _iso(dating.earliest) if dating else "",
        "date_latest": _iso(dating.latest) if dating else "",
        "date_precision": dating.precision if dating else "",
        "date_method": dating.method if dating else "",
        "date_value": dating.value if dating else "",
        "date_note": event.date_note or "",
        "deadline_text": deadline_raw.get("date_text") or "",
        "deadline_date": _event_date(deadline),
        "deadline_earliest": _iso(deadline.earliest) if deadline else "",
        "deadline_latest": _iso(deadline.latest) if deadline else "",
        "deadline_precision": deadline.precision if deadline else "",
        "deadline_method": deadline.method if deadline else "",
        "quote": quote,
        "quote_start": item.quote_span[0] if item.quote_span else None,
        "quote_end": item.quote_span[1] if item.quote_span else None,
        "date_text_start": item.date_text_span[0] if item.date_text_span else None,
        "date_text_end": item.date_text_span[1] if item.date_text_span else None,
        "paraphrase": event.paraphrase or "",
        "actor": event.actor or "",
        "target": event.target or "",
        "group_id": item.group_id or "",
        "agencies": ";".join(event.agencies or []),
        "countries_count": event.countries_count,
        "data_volume_gb": event.data_volume_gb,
        "ransom_amount": event.ransom_amount,
        "ransom_currency": event.ransom_currency or "",
        "status": event.status,
        "summary": " ".join(str(event.summary).split()),
        "notes": " ".join(str(event.notes or "").split()),
        "annotation_file": event.file,
        "annotation_line": event.line,
    }


def _source_row(source: Source) -> dict:
    meta, pub = source.meta, source.publication
    return {
        "source_id": source.source_id,
        "outlet": meta["outlet"],
        "title": meta.get("title") or "",
        "author": meta.get("author") or "",
        "url": meta.get("url") or "",
        "url_note": " ".join(str(meta.get("url_note") or "").split()),
        "language": meta["language"],
        "published": pub.text or "",
        "published_qualifier": pub.qualifier,
        "published_earliest": _iso(pub.earliest),
        "published_latest": _iso(pub.latest),
        "published_basis": " ".join(str(meta.get("published_basis") or "").split()),
        "received_date": str(meta["received"]),
        "has_text": source.has_text,
        "text_file": meta.get("text_file") or "",
        "text_sha256": meta.get("sha256") or "",
        "rights": " ".join(str(meta["rights"]).split()),
        "via": meta.get("via") or "",
    }


@dataclass
class Tables:
    """The dataset's tables, as written to data/processed: those built from data/raw (as
    text-ready values), and those derived from them (see helpers.derive)."""

    events: pd.DataFrame
    cases: pd.DataFrame
    sources: pd.DataFrame
    groups: pd.DataFrame
    stage_overrides: pd.DataFrame
    dismissed: pd.DataFrame
    derived: Derived | None = None
    rendered_csv: dict[str, bytes] = field(default_factory=dict, repr=False)
    warnings: list[Problem] = field(default_factory=list)  # see helpers.lint

    def primary(self) -> dict[str, pd.DataFrame]:
        return {"events": self.events, "cases": self.cases, "sources": self.sources,
                "groups": self.groups, "stage_overrides": self.stage_overrides,
                "dismissed_expressions": self.dismissed}

    def items(self):
        tables = self.primary()
        if self.derived is not None:
            tables.update(dict(self.derived.items()))
        return tables.items()

    @property
    def case_timeline(self) -> pd.DataFrame:
        return self.derived.case_timeline


def _check_stage_overrides(raw: Raw, events: list[ResolvedEvent], roots: Roots) -> list[Problem]:
    """An annotator's stage names an event of the case of the stage's type."""
    types = {(e.case_id, e.annotation.event_key): e.annotation.type for e in events}
    deadlines = {(e.case_id, e.annotation.event_key) for e in events
                 if e.deadline is not None}
    problems = []
    for case in raw.cases.values():
        for item in case.stage_overrides:
            wanted = STAGE_EVENT_TYPES[item.stage]
            found = types.get((case.case_id, item.event_key))
            root = roots.key(("case", case.case_id, item.event_key))
            if found is None and root is not None:
                roots.notes.append(Consequence(root, f"stage {item.stage} of case "
                                               f"{case.case_id} (cases.yaml:{item.line}) not "
                                               f"checked: it names {item.event_key!r}",
                                               ("data/raw/cases.yaml",)))
                continue
            if found != wanted or (item.stage == "deadline" and
                                   (case.case_id, item.event_key) not in deadlines):
                keys = sorted(k for (c, k), t in types.items()
                              if c == case.case_id and t == wanted)
                problems.append(Problem(
                    "data/raw/cases.yaml", item.line, case.case_id, "stages.event_key",
                    f"stage {item.stage}: {item.event_key!r} is not "
                    + (f"a {wanted}" if found is None or found != wanted else "an ultimatum "
                       "with a dated deadline") + " of the case",
                    ("its " + wanted + " events: " + ", ".join(keys)) if keys
                    else f"the case has no {wanted} event", "case"))
    return problems


def _stage_overrides_frame(raw: Raw) -> pd.DataFrame:
    return pd.DataFrame([{"case_id": c.case_id, "stage": o.stage, "event_key": o.event_key,
                          "reason": o.reason}
                         for c in sorted(raw.cases.values(), key=lambda c: c.case_id)
                         for o in c.stage_overrides],
                        columns=["case_id", "stage", "event_key", "reason"])


def derive_from(tables: Tables) -> Derived:
    """The derived tables, from the built rows as they are published (written, then read
    back with their types): the derive step sees exactly what a reader of the CSV sees."""
    from .datapackage import render_outputs
    from .dataset import parse_table

    files = render_outputs(tables, None, include_metadata=False)
    tables.rendered_csv = files  # the same bytes are written: render them once
    typed = {name: parse_table(name, files[f"{name}.csv"])
             for name in ("events", "cases", "stage_overrides")}
    return derive(typed["events"], typed["cases"], typed["stage_overrides"])


def build_tables(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> Tables:
    """Read data/raw and return the tables, derived ones included; raise DatasetError
    listing every problem."""
    raw = load_raw(raw_dir, root)
    scan = ExpressionScan(raw)  # runs while the other checks do
    try:
        return _build_tables(raw, scan)
    finally:
        scan.close()


@dataclass
class Checked:
    """What every check of the build found in data/raw (nothing raised)."""

    events: list[ResolvedEvent]
    problems: list[Problem]        # the root problems, coverage apart
    unaccounted: list[Problem]     # date expressions of stored texts neither annotated nor dismissed
    consequences: list            # what the problems stop from being checked
    warnings: list[Problem]
    dismissed_rows: list[dict]

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + self.unaccounted


def check(raw: Raw, scan) -> Checked:
    """Every check of the build, in its order, on data/raw as loaded; `scan` gives the date
    expressions of the stored texts (an ExpressionScan, or any object with `spans()`).
    Used by the build and by notebook 01's form, so that both check alike."""
    problems = list(raw.problems)
    roots = Roots()
    events, found = _link_events(raw, roots)
    problems += found
    for item in events:
        found = _check_evidence(item)
        problems += found
        if found:
            # Its evidence cannot all be located: the text's coverage would be misreported.
            roots.texts.setdefault(item.source.source_id, found[0])
    problems += _check_evidence_of_invalid_events(raw)
    problems += _date_events(events, roots)
    problems += _check_rules(events)
    dismissed_rows, found, unaccounted = _check_coverage(raw, events, roots.texts, scan, roots)
    problems += found
    problems += _check_stage_overrides(raw, events, roots)
    warnings = event_warnings(events, problems + unaccounted)
    return Checked(events, problems, unaccounted, roots.consequences(), warnings,
                   dismissed_rows)


def _build_tables(raw: Raw, scan: ExpressionScan) -> Tables:
    checked = check(raw, scan)
    events, warnings, dismissed_rows = checked.events, checked.warnings, checked.dismissed_rows
    if checked.all_problems:
        raise DatasetError(checked.all_problems, checked.consequences, warnings)
    event_rows = sorted((event_row(e) for e in events),
                        key=lambda r: (r["case_id"] == "", r["case_id"], r["date_earliest"],
                                       r["event_id"]))
    events_df = pd.DataFrame(event_rows)
    for column in ("quote_start", "quote_end", "date_text_start", "date_text_end",
                   "countries_count"):
        events_df[column] = events_df[column].astype("Int64")
    # Counted once for all cases (a filter per case would be O(cases × events)).
    n_sources = events_df.groupby("case_id")["source_id"].nunique()
    n_events = events_df.groupby("case_id").size()
    cases_df = pd.DataFrame([{
        "case_id": c.case_id, "victim": c.victim, "short_name": c.short_name or c.city,
        "facility_kind": c.facility_kind, "incident_kind": c.incident_kind,
        "city": c.city, "country_code": c.country_code, "groups": ";".join(c.groups),
        "timezone": c.timezone,
        "n_sources": int(n_sources.get(c.case_id, 0)),
        "n_events": int(n_events.get(c.case_id, 0)),
    } for c in sorted(raw.cases.values(), key=lambda c: c.case_id)])
    sources_df = pd.DataFrame([_source_row(s) for _, s in sorted(raw.sources.items())])
    groups_df = pd.DataFrame([{"group_id": g.group_id, "name": g.name,
                               "aliases": ";".join(g.aliases)}
                              for _, g in sorted(raw.groups.items())])
    dismissed_df = pd.DataFrame(dismissed_rows,
                                columns=["source_id", "text", "text_start", "text_end", "reason"])
    dismissed_df = dismissed_df.sort_values(["source_id", "text_start"], ignore_index=True)
    tables = Tables(events_df, cases_df, sources_df, groups_df, _stage_overrides_frame(raw),
                    dismissed_df, warnings=warnings)
    tables.derived = derive_from(tables)
    return tables


def validate(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> list[Problem]:
    """Every problem in data/raw, without writing anything; and, in each file whose content
    a problem elsewhere stops from being checked, a line that says so (a source's view then
    does not look clean while its events wait for an invalid case)."""
    try:
        build_tables(raw_dir, root)
    except DatasetError as err:
        return err.problems + sorted({p for c in err.consequences for p in c.located()})
    return []


def write_tables(tables: Tables, out_dir: Path = PROCESSED_DIR, raw_dir: Path = RAW_DIR) -> None:
    from .datapackage import write_outputs

    write_outputs(tables, out_dir, raw_dir)


def build(raw_dir: Path = RAW_DIR, out_dir: Path = PROCESSED_DIR,
          root: Path = PROJECT_ROOT) -> Tables:
    """Build the dataset from `raw_dir` into `out_dir`; nothing is written on failure."""
    tables = build_tables(raw_dir, root)
    write_tables(tables, out_dir, raw_dir)
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.build",
                                     description="Build data/processed from data/raw.")
    parser.add_argument("--raw", type=Path, default=RAW_DIR, help="raw data folder")
    parser.add_argument("--out", type=Path, default=PROCESSED_DIR, help="output folder")
    parser.add_argument("--check", action="store_true",
                        help="validate only; write nothing")
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings too (see helpers.lint), and write nothing")
    args = parser.parse_args(argv)
    root = args.raw.resolve().parents[1]
    try:
        tables = build_tables(args.raw.resolve(), root)
        if args.strict and tables.warnings:
            raise DatasetError([], warnings=tables.warnings)
        if not args.check:
            write_tables(tables, args.out.resolve(), args.raw.resolve())
    except DatasetError as err:
        print(err.render(), file=sys.stderr)
        if args.strict and err.warnings and not err.problems:
            print("--strict: warnings fail the build.", file=sys.stderr)
        print("Nothing was written; the previous dataset is unchanged.", file=sys.stderr)
        return 1
    if tables.warnings:
        print(render_report([], warnings=tables.warnings), file=sys.stderr)
    action = "checked" if args.check else f"written to {args.out}"
    derived = tables.derived
    print(f"{len(tables.events)} events, {len(tables.cases)} cases, "
          f"{len(tables.sources)} sources; derived: {len(derived.case_timeline)} timeline rows, "
          f"{len(derived.case_stages)} stages, {len(derived.delays)} delays: {action}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
