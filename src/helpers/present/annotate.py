"""Annotate a source from notebook 01: the functions behind the form (no widgets here).

The YAML files stay the source of truth. Each change (:func:`add_event`, :func:`edit_event`,
:func:`remove_event`, :func:`dismiss`, :func:`undismiss`) is made on a round-trip copy of
``data/raw/annotations/<source_id>.yaml`` (ruamel.yaml: comments, key order, quoting and
blank lines kept), checked the way the build checks it, and written atomically only when
the check passes; otherwise nothing is written and the :class:`Outcome` lists the problems.

The check runs the build's own steps (:mod:`helpers.build`: fields and vocabularies,
references, evidence located once in the stored text, date inside the quote, dates
resolved, chronology, stage overrides) on the whole of ``data/raw`` with the candidate file
in place of the real one, before and after the change. A change is refused when it brings
a problem that was not there before. Date expressions left unaccounted for are not a
problem of a change (an article is annotated one expression at a time): they are listed by
:func:`source_state`, which the form shows, and by ``make check``.

Ids are never reused: a new id must differ from every id in ``data/raw``, in the published
``data/processed/events.csv`` and in the ``# removed event <id>`` comments that
:func:`remove_event` leaves in the file.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from helpers import build
from helpers.core.errors import Problem
from helpers.core.paths import RAW_DIR
from helpers.raw.annotations import EVENT_FIELDS, load_annotation_file
from helpers.resolution import dates, quotes
from helpers.resolution.context import sentence_bounds

REMOVED_COMMENT = re.compile(r"#\s*removed event ([a-z0-9]+(?:-[a-z0-9]+)*)")
# Fields whose text is always double-quoted in the annotation files (dates, evidence).
ALWAYS_QUOTED = {"quote", "date_text", "date", "date_note", "deadline.date_text",
                 "deadline.date", "deadline.date_note", "dismissed.text"}
# Free text: quoted or plain as the file already writes it (double quotes in a new file).
FREE_TEXT = {"paraphrase", "summary", "notes", "dismissed.reason", "exceptions.reason"}
DISMISSED_ORDER = ("text", "occurrence", "reason")
DEADLINE_ORDER = ("date_text", "date", "date_note")


class Remove:
    """Marks a field to delete in :func:`edit_event` changes."""

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE = Remove()


@dataclass
class Outcome:
    """What a change did: written or refused, and why."""

    ok: bool
    action: str
    message: str
    problems: list[Problem] = field(default_factory=list)
    event_id: str | None = None
    path: Path | None = None
    reading: str = ""  # how the build dates the event, when it could

    def __bool__(self) -> bool:
        return self.ok

    def describe(self) -> str:
        lines = [self.message]
        lines += [f"  {_problem_line(p)}" for p in self.problems]
        return "\n".join(lines)


def _problem_line(p: Problem) -> str:
    parts = [p.event_id and f"event {p.event_id}", p.field and f"field '{p.field}'"]
    text = ": ".join([x for x in parts if x] + [p.message])
    return text + (f" ({p.hint})" if p.hint else "")


# --- paths ------------------------------------------------------------------------------

def _root_of(raw_dir: Path) -> Path:
    """The project folder of a raw folder (data/raw), as `make check` takes it."""
    return Path(raw_dir).resolve().parents[1]


def annotation_path(source_id: str, raw_dir: Path = RAW_DIR) -> Path:
    return Path(raw_dir) / "annotations" / f"{source_id}.yaml"


# --- round-trip YAML --------------------------------------------------------------------

def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line a person wrote
    yaml.indent(mapping=2, sequence=4, offset=2)  # "events:\n  - id: ..." as in every file
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _load_doc(text: str):
    return _yaml().load(text)


def _dump(doc) -> str:
    stream = io.StringIO()
    _yaml().dump(doc, stream)
    return stream.getvalue()


def _new_document(source_id: str):
    from ruamel.yaml.comments import CommentedMap

    doc = CommentedMap()
    doc["source"] = source_id
    return doc


def _block_seq(doc, key: str, before: str | None = None):
    """doc[key] as a block sequence (created, or turned from `[]` into block style)."""
    from ruamel.yaml.comments import CommentedSeq

    value = doc.get(key)
    if not isinstance(value, CommentedSeq):
        value = CommentedSeq()
        if key in doc:
            doc[key] = value
        elif before is not None and before in doc:
            doc.insert(list(doc).index(before), key, value)
        else:
            doc[key] = value
    value.fa.set_block_style()
    return value


# Text that YAML would not read back as the same plain string: written double-quoted.
_PLAIN_UNSAFE = re.compile(r"""^[\s'"\[\]{}>|*&!%@`#,?:\-]|: | #|:$|\s$|^[\d.+-]"""
                           r"|^(?:null|true|false|~|yes|no|on|off)$", re.IGNORECASE)


def _is_double_quoted(value) -> bool:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return isinstance(value, DoubleQuotedScalarString)


def _file_style(items, key: str) -> bool:
    """Whether the file double-quotes `key` (the majority of its values; True if none)."""
    values = [item[key] for item in items or [] if hasattr(item, "get")
              and isinstance(item.get(key), str)]
    if not values:  # no example of this field: as the file writes its other free text
        values = [item[k] for item in items or [] if hasattr(item, "get")
                  for k in ("summary", "paraphrase", "notes", "reason")
                  if isinstance(item.get(k), str)]
    if not values:
        return True
    quoted = sum(_is_double_quoted(v) for v in values)
    return quoted * 2 >= len(values)


def _styled(name: str, value, items=None, key: str | None = None):
    """A value as a person would write it in this file: evidence and dates double-quoted,
    free text as the file quotes it, ids and terms plain."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if not isinstance(value, str):
        return value
    if name in ALWAYS_QUOTED:
        return DoubleQuotedScalarString(value)
    if name in FREE_TEXT:
        if _file_style(items, key or name.split(".")[-1]) or _PLAIN_UNSAFE.search(value) \
                or "\n" in value:
            return DoubleQuotedScalarString(value)
        return value
    if name in ("not_before", "not_after") and re.fullmatch(r"\d{4}(-\d{2}){0,2}(T.*)?", value):
        return DoubleQuotedScalarString(value)
    return value


def _event_map(fields: dict, siblings):
    """A new event mapping, its keys in the data model's order, each value styled."""
    from ruamel.yaml.comments import CommentedMap

    event = CommentedMap()
    for name in _ordered(fields, EVENT_FIELDS):
        event[name] = _styled_value(name, fields[name], siblings)
    return event


def _styled_value(name: str, value, siblings):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if name == "deadline" and isinstance(value, dict):
        deadline = CommentedMap()
        for key in _ordered(value, DEADLINE_ORDER):
            deadline[key] = _styled(f"deadline.{key}", value[key])
        return deadline
    if name == "exceptions" and isinstance(value, list):
        items = CommentedSeq()
        for exception in value:
            entry = CommentedMap()
            for key in ("rule", "reason"):
                if key in exception:
                    entry[key] = _styled(f"exceptions.{key}", exception[key], siblings, key)
            items.append(entry)
        return items
    if name == "agencies" and isinstance(value, list):
        items = CommentedSeq(value)
        items.fa.set_flow_style()
        return items
    return _styled(name, value, siblings)


def _ordered(mapping: dict, order) -> list[str]:
    known = [k for k in order if k in mapping]
    return known + [k for k in mapping if k not in order]


# Blank lines and comments between list items are kept by ruamel as a comment token after
# an item's last value. When items are appended or removed, the token that separates the
# list from what follows must stay at the end, and the separator between items must stay
# the one the file uses.

def _is_block(node) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 \
        and not node.fa.flow_style()


def _tail(node):
    """(comment dict, key, slot, last value) of the comment after `node`'s last line."""
    from ruamel.yaml.comments import CommentedMap

    if not _is_block(node):
        return None
    key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    inner = _tail(node[key])
    if inner:
        return inner
    return node.ca.items, key, 2 if isinstance(node, CommentedMap) else 0, node[key]


def _ends_own_line(value) -> bool:
    """Block scalars (>-, |) end with their line; a comment token after any other value
    starts with that line's end."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def _get_tail(node) -> str:
    """What follows `node`'s last line (blank lines, comments), as text ("" if nothing)."""
    where = _tail(node)
    if where is None:
        return ""
    items, key, slot, value = where
    entry = items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    text = token.value if token is not None else ""
    if text and not _ends_own_line(value) and text.startswith("\n"):
        text = text[1:]
    return text


def _set_tail(node, text: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    where = _tail(node)
    if where is None:
        return
    items, key, slot, value = where
    if text and not _ends_own_line(value):
        text = "\n" + text
    entry = items.get(key)
    if not text:
        if entry is not None:
            entry[slot] = None
            if not any(entry):
                del items[key]
        return
    if entry is None:
        entry = items[key] = [None, None, None, None]
    entry[slot] = CommentToken(text, CommentMark(0), None)


def _separator(seq) -> str:
    """What the file puts between two items of `seq` (a blank line in some files)."""
    if len(seq) >= 2:
        text = _get_tail(seq[-2])
        return "\n" * text.count("\n") if text.strip() == "" else ""
    # One item only: a blank line before what follows tells the file's habit.
    text = _get_tail(seq[-1]) if len(seq) else ""
    return "\n" if text and text.strip() == "" else ""


def _append(seq, item) -> None:
    if len(seq):
        separator = _separator(seq)
        last = seq[-1]
        tail = _get_tail(last)
        _set_tail(last, separator)
        seq.append(item)
        _set_tail(item, tail)
    else:
        seq.append(item)


def _delete(seq, index: int) -> None:
    if index == len(seq) - 1 and index > 0:
        tail = _get_tail(seq[index])
        del seq[index]
        _set_tail(seq[-1], tail)
    else:
        del seq[index]


# --- reading the raw data -----------------------------------------------------------------

class _NoScan:
    """The build's expression scan, without expressions: coverage is left out."""

    def spans(self) -> dict:
        return {}

    def close(self) -> None:
        pass


class _OneSourceScan(_NoScan):
    """The build's expression scan, for one stored text only."""

    def __init__(self, source):
        self.source = source

    def spans(self) -> dict:
        if self.source is None or self.source.text is None:
            return {}
        language = str(self.source.meta.get("language") or "fr")
        return {self.source.source_id: dates.find_expression_spans(self.source.text,
                                                                   language=language)}


@dataclass
class Checked:
    """The build's view of data/raw for one source: its events as the build resolves them,
    its dismissals located, every problem of the dataset (coverage apart), and the coverage
    problems of this source."""

    raw: build.Raw
    source_id: str
    events: list[build.ResolvedEvent]
    dismissed: list[dict]
    problems: list[Problem]
    coverage: list[Problem]
    consequences: list = field(default_factory=list)  # what the problems stop from checking

    @property
    def source(self):
        return self.raw.sources.get(self.source_id)

    @property
    def file(self):
        return next((f for f in self.raw.files if f.source_id == self.source_id), None)

    def all_problems(self) -> list[Problem]:
        """As ``helpers.build.validate`` lists them: the problems, and in each file a line
        for what a problem elsewhere stops from being checked."""
        located = {p for c in self.consequences for p in c.located()}
        return sorted(set(self.problems + self.coverage) | located)


def check(raw: build.Raw, source_id: str, scan=None) -> Checked:
    """The build's checks on `raw` (``helpers.build.check``), without raising: coverage is
    checked for `source_id` only (or as `scan` says), and kept apart from the problems."""
    scan = scan if scan is not None else _OneSourceScan(raw.sources.get(source_id))
    found = build.check(raw, scan)
    mine = [e for e in found.events if e.source.source_id == source_id]
    return Checked(raw, source_id, mine,
                   [d for d in found.dismissed_rows if d["source_id"] == source_id],
                   found.problems, found.unaccounted, found.consequences)


def _load_raw(raw_dir: Path, source_id: str | None = None, candidate: str | None = None):
    """data/raw as the build reads it; with `candidate` as the text of the source's
    annotation file (which need not exist yet)."""
    raw_dir = Path(raw_dir).resolve()
    root = _root_of(raw_dir)
    raw = build.load_raw(raw_dir, root)
    if candidate is None:
        return raw
    path = annotation_path(source_id, raw_dir)
    display = str(path.relative_to(root))
    with tempfile.TemporaryDirectory(prefix="hrt-annotate-") as folder:
        shadow = Path(folder) / display
        shadow.parent.mkdir(parents=True)
        shadow.write_text(candidate, encoding="utf-8")
        loaded, problems = load_annotation_file(shadow, Path(folder))
    raw.problems = [p for p in raw.problems if p.file != display] + problems
    others = [f for f in raw.files if f.source_id != source_id and f.file != display]
    raw.files = sorted(others + ([loaded] if loaded is not None else []),
                       key=lambda f: f.file)
    return raw


# --- what the form starts from ----------------------------------------------------------

@dataclass
class SourceState:
    """One source as the form shows it, read from data/raw now."""

    source_id: str
    source: object  # helpers.raw.sources.Source, or None when its metadata is broken
    checked: Checked
    expressions: list  # every FoundExpression of the stored text
    unaccounted: list  # those neither annotated nor dismissed
    event_rows: list[dict]
    dismissed_rows: list[dict]

    @property
    def has_text(self) -> bool:
        return self.source is not None and self.source.has_text

    @property
    def problems(self) -> list[Problem]:
        """This source's problems, as `make check` would list them."""
        from helpers.present.annotation_view import source_problems

        text_file = self.source.meta.get("text_file") if self.source is not None else None
        return source_problems(self.checked.all_problems(), self.source_id, text_file)

    @property
    def case_id(self) -> str | None:
        """The case this source reports (its events' case; else a guess from its id)."""
        cases = Counter(e.annotation.case for e in self.checked.events if e.annotation.case)
        if cases:
            return cases.most_common(1)[0][0]
        # A new source: the case whose words ("cannes", "les-bluets") are in its id.
        words = set(self.source_id.split("-"))
        scored = []
        for case in sorted(self.checked.raw.cases):
            names = [w for w in case.split("-") if not w.isdigit()]
            if names and names[0] in words:
                found = sum(w in words for w in names)
                scored.append((found, found - len(names), case))
        return max(scored)[2] if scored else None


def source_state(source_id: str, raw_dir: Path = RAW_DIR) -> SourceState:
    """Read data/raw now and say how the source stands: events, dismissals, unaccounted
    date expressions, problems."""
    from helpers.present.annotation_view import collect_highlights

    raw = _load_raw(raw_dir)
    checked = check(raw, source_id)
    source = raw.sources.get(source_id)
    rows = [build.event_row(item) for item in checked.events]
    expressions = []
    if source is not None and source.has_text and source.publication.reference is not None:
        expressions = dates.find_expressions(source.text, source.publication.reference,
                                             language=str(source.meta.get("language") or "fr"))
    unaccounted = collect_highlights(source.text, rows, checked.dismissed,
                                     expressions).unannotated if expressions else []
    return SourceState(source_id, source, checked, expressions, unaccounted, rows,
                       checked.dismissed)


def used_ids(raw_dir: Path = RAW_DIR) -> set[str]:
    """Every event id that may not be given again: in data/raw, published in
    data/processed/events.csv, or named by a `# removed event <id>` comment."""
    raw_dir = Path(raw_dir)
    ids = set()
    for path in sorted((raw_dir / "annotations").glob("*.yaml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        ids.update(re.findall(r"^\s*-?\s*id:\s*['\"]?([a-z0-9-]+)", text, re.MULTILINE))
        ids.update(REMOVED_COMMENT.findall(text))
    published = raw_dir.parent / "processed" / "events.csv"
    if published.is_file():
        with published.open(encoding="utf-8", newline="") as stream:
            ids.update(row["event_id"] for row in csv.DictReader(stream) if row.get("event_id"))
    return ids


def _date_suffix(source_id: str) -> tuple[str, str]:
    """A source id without its trailing date ("ajaccio-france3-2022-03-29" -> "ajaccio-france3",
    "0329")."""
    match = re.fullmatch(r"(.+?)-(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:-([a-z]))?", source_id)
    if not match:
        return source_id, ""
    stem, year, month, day, letter = match.groups()
    short = (month or "") + (day or "") if month else year
    return stem, short + (letter or "")


def id_prefix(source_id: str, raw_dir: Path = RAW_DIR, state: SourceState | None = None) -> str:
    """The prefix of this source's event ids: the one its events already use
    (``<prefix>-<event_key>``), else the source id without its date, with the date's month
    and day when another source already uses that prefix."""
    state = state or source_state(source_id, raw_dir)
    file = state.checked.file
    prefixes = Counter()
    for event in file.events if file else []:
        event_id, key = event.fields.get("id"), event.fields.get("event_key")
        if isinstance(event_id, str) and isinstance(key, str) and event.fields.get("case") \
                and event_id.endswith("-" + key) and len(event_id) > len(key) + 1:
            prefixes[event_id[:-len(key) - 1]] += 1
    if prefixes:
        return prefixes.most_common(1)[0][0]
    stem, short = _date_suffix(source_id)
    taken = {i for f in state.checked.raw.files if f.source_id != source_id
             for i in (e.fields.get("id") for e in f.events) if isinstance(i, str)}
    if stem != source_id and not any(i.startswith(stem + "-") for i in taken):
        return stem
    return f"{stem}-{short}" if short else source_id


def suggest_event_id(source_id: str, event_key: str, raw_dir: Path = RAW_DIR,
                     state: SourceState | None = None, taken: set[str] | None = None) -> str:
    """``<prefix>-<event_key>`` (the naming convention), with -2, -3... if already used."""
    prefix = id_prefix(source_id, raw_dir, state)
    taken = used_ids(raw_dir) if taken is None else taken
    key = event_key or "event"
    candidate = f"{prefix}-{key}"
    n = 2
    while candidate in taken:
        candidate = f"{prefix}-{key}-{n}"
        n += 1
    return candidate


def case_event_keys(state: SourceState, case_id: str | None) -> dict[str, str]:
    """The event keys already used for a case (any source), with their type."""
    keys = {}
    for file in state.checked.raw.files:
        for event in file.events:
            f = event.fields
            if case_id and f.get("case") == case_id and isinstance(f.get("event_key"), str):
                keys.setdefault(f["event_key"], str(f.get("type") or ""))
    return dict(sorted(keys.items()))


def default_event_key(state: SourceState, case_id: str | None, event_type: str) -> str:
    """The key of the case's event of this type when there is exactly one, else the type."""
    same = [k for k, t in case_event_keys(state, case_id).items() if t == event_type]
    return same[0] if len(same) == 1 else event_type.replace("_", "-")


@dataclass
class Draft:
    """What the form fills in from a date expression or a passage of the text."""

    fields: dict
    start: int | None = None  # the expression's offsets in the text
    end: int | None = None
    reading: str = ""  # how the build reads the date, for people
    note: str = ""  # what to check


def _occurrence(needle: str, text: str, start: int) -> int | None:
    """Which occurrence of `needle` starts at `start` (None when it is the only one)."""
    spans = quotes.find_all(needle, text)
    if len(spans) <= 1:
        return None
    for n, (a, _) in enumerate(spans, 1):
        if a == start:
            return n
    return None


def describe_interval(interval, missing: str = "not dated") -> str:
    """An Interval (a build's dating, a resolver's reading) for people: value, precision,
    bounds, method; `missing` when there is none."""
    if interval is None:
        return missing
    lo = interval.earliest.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    hi = interval.latest.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    return (f"{interval.value or 'undated'} ({interval.precision}; {lo} to {hi}; "
            f"method {interval.method})")


def read_date(state: SourceState, date_text: str | None, verbatim: bool = True):
    """How the build reads `date_text` alone in this source (no anchor): a DateResolution,
    or the error message."""
    source = state.source
    if not date_text or source is None or source.publication.reference is None:
        return None, "no date to read" if not date_text else "the source has no publication date"
    from zoneinfo import ZoneInfo

    case = state.checked.raw.cases.get(state.case_id or "")
    tz = ZoneInfo(case.timezone if case else "Europe/Paris")
    language = "en" if verbatim is False else str(source.meta.get("language") or "fr")
    try:
        return dates.resolve(date_text, source.publication.reference.astimezone(tz),
                             language=language), ""
    except (dates.DateResolutionError, ValueError) as err:
        return None, str(err)


def draft_from_span(state: SourceState, start: int, end: int) -> Draft:
    """The form's fields for the date expression text[start:end]: its sentence as the quote,
    the expression as written, the case, and how its date reads."""
    text = state.source.text
    first, last = sentence_bounds(text, start, end)
    quote = text[first:last].strip()
    while quote and quote[-1] in ".;:!?" and first + len(quote) > end:
        quote = quote[:-1].rstrip()
    q_start = first + (len(text[first:last]) - len(text[first:last].lstrip()))
    date_text = text[start:end]
    fields = {"case": state.case_id, "quote": typed(quote), "date_text": typed(date_text)}
    occurrence = _occurrence(quote, text, q_start)
    if occurrence:
        fields["quote_occurrence"] = occurrence
    found = next((f for f in state.expressions if f.start == start and f.end == end), None)
    resolution, error = read_date(state, date_text)
    reading = describe_interval(resolution) if resolution else f"not resolved alone: {error}"
    note = ""
    context = getattr(found, "context_resolution", None)
    if context is not None and (resolution is None or context.value != resolution.value):
        # The build reads the expression alone: say what its sentence means, as a hand date.
        anchor_key = _anchor_key(state, found)
        if anchor_key and resolution is None:
            fields["anchor"] = anchor_key
            note = (f"read in its sentence as {context.value} ({found.context_note}); "
                    f"anchored on the event {anchor_key!r}")
        elif _hand_date(context.value):
            fields["date"] = context.value
            fields["date_note"] = f"Read in its sentence: {found.context_note or 'context'}."
            note = (f"read in its sentence as {context.value} ({found.context_note}): "
                    "given as the hand date, with a note")
        else:
            note = f"read in its sentence as {context.value} ({found.context_note})"
    return Draft(fields, start, end, reading, note)


_ODD_SPACES = str.maketrans(dict.fromkeys("\u00a0\u202f\u2009\u2007", " "))


def typed(text: str) -> str:
    """Text as a person types it: the stored text's non-breaking spaces as spaces (the build
    locates quotes tolerant of them)."""
    return text.translate(_ODD_SPACES)


def _hand_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?", value or ""))


def _anchor_key(state: SourceState, found) -> str | None:
    """The event key of the date a relative expression counts from, in this source."""
    note = getattr(found, "context_note", "") or ""
    match = re.search(r"counted from '(.+?)' \(", note) or re.search(r'counted from "(.+?)" \(',
                                                                     note)
    if not match:
        return None
    previous = [f for f in state.expressions if f.end <= found.start and f.text == match[1]]
    if not previous:
        return None
    span = (previous[-1].start, previous[-1].end)
    for row in state.event_rows:
        if (row.get("date_text_start"), row.get("date_text_end")) == span:
            return row.get("event_key")
    return None


def draft_from_passage(state: SourceState, passage: str, occurrence: int | None = None) -> Draft:
    """The form's fields for a passage selected in the text: the passage as the quote, and
    the first unaccounted date expression inside it (or none: an undated event)."""
    text = state.source.text
    spans = quotes.find_all(passage.strip(), text)
    if not spans:
        near = quotes.nearest_passage(passage.strip(), text)
        raise ValueError(f"the passage is not in the text (nearest: “{near.strip()}”)")
    if len(spans) > 1 and occurrence is None:
        occurrence = 1
    start, end = spans[(occurrence or 1) - 1]
    fields = {"case": state.case_id, "quote": typed(text[start:end])}
    if len(spans) > 1:
        fields["quote_occurrence"] = occurrence
    inside = [f for f in state.unaccounted if start <= f.start and f.end <= end]
    if not inside:
        fields["date_text"] = None
        return Draft(fields, None, None, "undated: bounded by the attack and the publication "
                     "unless you give not_before / not_after", "")
    draft = draft_from_span(state, inside[0].start, inside[0].end)
    draft.fields.update(quote=typed(text[start:end]))
    draft.fields.pop("quote_occurrence", None)
    if len(spans) > 1:
        draft.fields["quote_occurrence"] = occurrence
    return draft


# --- changes ----------------------------------------------------------------------------

def _key(problem: Problem) -> tuple:
    """A problem without its line numbers (a change moves lines)."""
    unline = lambda s: re.sub(r"(\.ya?ml):\d+", r"\1", s or "")  # noqa: E731
    return (problem.file, problem.event_id, problem.field, unline(problem.message),
            unline(problem.hint), problem.kind)


def _new_problems(before: list[Problem], after: list[Problem]) -> list[Problem]:
    seen = Counter(_key(p) for p in before)
    new = []
    for problem in sorted(after):
        if seen[_key(problem)]:
            seen[_key(problem)] -= 1
        else:
            new.append(problem)
    return new


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, text: str, expected: str | None) -> None:
    """Replace `path` with `text` in one step, if it still holds `expected`."""
    if _read(path) != expected:
        raise ChangedOnDisk(f"{path.name} changed on disk while the change was checked: "
                            "nothing was written; try again")
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    try:  # the rename itself, on disk
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError:
        pass


class ChangedOnDisk(RuntimeError):
    """The annotation file changed between reading it and writing the change."""


def _apply(source_id: str, raw_dir: Path, action: str, change, *, event_id: str | None = None,
           done: str = "", dry_run: bool = False) -> Outcome:
    """Read the file, let `change(doc)` edit it (it returns a refusal message or None), check
    the result as the build would, and write it atomically only if it brings no problem
    (with `dry_run`, only check)."""
    raw_dir = Path(raw_dir)
    path = annotation_path(source_id, raw_dir)
    original = _read(path)
    try:
        doc = _load_doc(original) if original is not None else _new_document(source_id)
    except Exception as err:  # ruamel's YAMLError and its kin: the file is broken
        return Outcome(False, action, f"{path.name} is not valid YAML ({err}): fix it by hand "
                       "first (make check says where)", path=path)
    if original is not None and not hasattr(doc, "get"):
        return Outcome(False, action, f"{path.name} is not a mapping: fix it by hand first",
                       path=path)
    refusal = change(doc)
    if refusal:
        return Outcome(False, action, refusal, event_id=event_id, path=path)
    candidate = _dump(doc)
    before = check(_load_raw(raw_dir), source_id, _NoScan())
    after = check(_load_raw(raw_dir, source_id, candidate), source_id, _NoScan())
    new = _new_problems(before.problems, after.problems)
    reading = next((describe_interval(e.dating) for e in after.events
                    if event_id and e.annotation.id == event_id), "")
    if new:
        return Outcome(False, action, f"not {done or action}: the build would report "
                       f"{len(new)} new problem{'s' if len(new) != 1 else ''}; nothing was "
                       "written", new, event_id, path, reading)
    if dry_run:
        return Outcome(True, action, f"the build accepts it ({done or action} when you "
                       "confirm); nothing written yet", [], event_id, path, reading)
    try:
        _write_atomically(path, candidate, original)
    except ChangedOnDisk as err:
        return Outcome(False, action, str(err), event_id=event_id, path=path)
    return Outcome(True, action, f"{done or action}: {path.name} written", [], event_id, path,
                   reading)


def _clean_fields(fields: dict) -> dict:
    """The fields as the file should hold them: empty text dropped (date_text kept as null),
    text stripped."""
    out = {}
    for name, value in fields.items():
        if value is REMOVE:
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                value = None
        if isinstance(value, dict):
            value = {k: (v.strip() if isinstance(v, str) else v) for k, v in value.items()
                     if not (v is None or (isinstance(v, str) and not v.strip()))}
            value = value or None
        if isinstance(value, list) and not value:
            value = None
        if value is None and name != "date_text":
            continue
        out[name] = value
    return out


def _events_of(doc):
    events = doc.get("events") if hasattr(doc, "get") else None
    return events if isinstance(events, list) else []


def _same_event(a: dict, b: dict) -> bool:
    keys = ("type", "case", "quote", "paraphrase", "date_text")
    return all((a.get(k) or None) == (b.get(k) or None) for k in keys)


def add_event(source_id: str, fields: dict, raw_dir: Path = RAW_DIR, *,
              dry_run: bool = False) -> Outcome:
    """Append one event to the source's annotation file, if the build would accept it.

    `fields` are the annotation fields (``docs/data-model.md``); without an ``id``, one is
    given by the naming convention (from the event key, or else the type). Refused, with
    nothing written: an id already used (ids are never reused), the same event already in
    the file, or any problem the build would report that was not there before.
    """
    fields = _clean_fields(fields)
    if "date_text" not in fields:
        fields["date_text"] = None
    taken = used_ids(raw_dir)
    if not fields.get("id") and (fields.get("event_key") or fields.get("type")):
        state = source_state(source_id, raw_dir)
        key = fields.get("event_key") or default_event_key(state, fields.get("case"),
                                                           str(fields["type"]))
        fields["id"] = suggest_event_id(source_id, key, raw_dir, state, taken)
    event_id = fields.get("id")
    fields = {name: fields[name] for name in _ordered(fields, EVENT_FIELDS)}

    def change(doc):
        events = _events_of(doc)
        if event_id is None:
            pass  # the build says what is missing
        elif event_id in {e.get("id") for e in events if hasattr(e, "get")}:
            return f"not added: {source_id}.yaml already has an event {event_id!r}"
        elif event_id in taken:
            return (f"not added: the id {event_id!r} is already used (or was used) in the "
                    "dataset; ids are never reused, pick another")
        twin = next((e for e in events if hasattr(e, "get") and _same_event(e, fields)), None)
        if twin is not None:
            return f"not added: the same event is already annotated as {twin.get('id')!r}"
        seq = _block_seq(doc, "events", before="dismissed")
        _append(seq, _event_map(fields, list(seq)))
        return None

    return _apply(source_id, raw_dir, "add", change, event_id=event_id,
                  done=f"added {event_id}" if event_id else "added", dry_run=dry_run)


def edit_event(source_id: str, event_id: str, changes: dict, raw_dir: Path = RAW_DIR, *,
               dry_run: bool = False) -> Outcome:
    """Change fields of an event in place (``REMOVE`` deletes a field); other fields, their
    comments and quoting stay as they are. Its id cannot change. Checked as an addition is."""
    if "id" in changes and changes["id"] not in (event_id, REMOVE, None):
        return Outcome(False, "edit", "not changed: an event's id is stable; to give another "
                       "id, remove the event and add it again", event_id=event_id)
    changes = {k: v for k, v in changes.items() if k != "id"}

    def change(doc):
        events = _events_of(doc)
        target = next((e for e in events if hasattr(e, "get") and e.get("id") == event_id),
                      None)
        if target is None:
            return f"not changed: {source_id}.yaml has no event {event_id!r}"
        cleaned = _clean_fields({k: v for k, v in changes.items() if v is not REMOVE})
        # What follows the event (a blank line, comments) stays after its last field.
        tail = _get_tail(target)
        _set_tail(target, "")
        for name, value in changes.items():
            if value is REMOVE or (name not in cleaned):
                if name in target:
                    del target[name]
                continue
            value = cleaned[name]
            if name in target and _plain(target[name]) == value:
                continue  # unchanged: keep it as written
            styled = _styled_value(name, value, events)
            if name in target:
                target[name] = styled
            else:
                position = _insert_position(list(target), name)
                target.insert(position, name, styled)
        _set_tail(target, tail)
        return None

    return _apply(source_id, raw_dir, "edit", change, event_id=event_id,
                  done=f"changed {event_id}", dry_run=dry_run)


def _plain(value):
    """A loaded value as plain Python data (to compare with a form's)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _insert_position(keys: list[str], name: str) -> int:
    order = list(EVENT_FIELDS)
    rank = order.index(name) if name in order else len(order)
    for i, key in enumerate(keys):
        if key in order and order.index(key) > rank:
            return i
    return len(keys)


def remove_event(source_id: str, event_id: str, reason: str, raw_dir: Path = RAW_DIR) -> Outcome:
    """Delete an event, leaving ``# removed event <id>: <reason>`` before ``events:`` so that
    its id is never given again. Refused when other annotations depend on it (an anchor, a
    bound, a stage); its date expression becomes unaccounted for again."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        return Outcome(False, "remove", "not removed: say why (the reason stays in the file)",
                       event_id=event_id)

    def change(doc):
        events = _events_of(doc)
        index = next((i for i, e in enumerate(events) if hasattr(e, "get")
                      and e.get("id") == event_id), None)
        if index is None:
            return f"not removed: {source_id}.yaml has no event {event_id!r}"
        _delete(events, index)
        _add_comment_before(doc, "events", f"removed event {event_id}: {reason}")
        return None

    return _apply(source_id, raw_dir, "remove", change, event_id=event_id,
                  done=f"removed {event_id}")


def _add_comment_before(doc, key: str, text: str) -> None:
    """A full-line comment just above `key` at the top level, after any already there."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    keys = list(doc)
    index = keys.index(key)
    line = CommentToken(f"# {text}\n", CommentMark(0), None)
    if index == 0:
        comment = doc.ca.comment
        if comment is None:
            doc.ca.comment = [None, [line]]
        else:
            if comment[1] is None:
                comment[1] = []
            comment[1].append(line)
        return
    previous = keys[index - 1]
    if _is_block(doc[previous]):
        _set_tail(doc[previous], _get_tail(doc[previous]) + line.value)
        return
    entry = doc.ca.items.setdefault(previous, [None, None, None, None])
    value = entry[2].value if entry[2] is not None else "\n"
    entry[2] = CommentToken(value + line.value, CommentMark(0), None)


def _dismissals_of(doc):
    items = doc.get("dismissed") if hasattr(doc, "get") else None
    return items if isinstance(items, list) else []


def dismiss(source_id: str, text: str, reason: str, occurrence: int | None = None,
            raw_dir: Path = RAW_DIR) -> Outcome:
    """Dismiss a date expression of the stored text, with a reason: appended to
    ``dismissed`` (``occurrence`` when the text is found more than once)."""
    reason = " ".join(str(reason or "").split())
    text = str(text or "")
    if not text.strip():
        return Outcome(False, "dismiss", "not dismissed: which expression?")
    if not reason:
        return Outcome(False, "dismiss", "not dismissed: give a reason (a duration, a date "
                       "that is not an event...)")
    state = source_state(source_id, raw_dir)
    if not state.has_text:
        return Outcome(False, "dismiss", "not dismissed: a citation-only source has no text "
                       "to dismiss from")
    spans = quotes.find_all(text, state.source.text)
    if not spans:
        return Outcome(False, "dismiss", f"not dismissed: «{text}» is not in the text")
    if occurrence is not None and not 1 <= occurrence <= len(spans):
        return Outcome(False, "dismiss", f"not dismissed: «{text}» is found {len(spans)} "
                       f"time{'s' if len(spans) != 1 else ''}, not {occurrence}")
    span = spans[(occurrence or 1) - 1]
    covered = [(r["text_start"], r["text_end"]) for r in state.dismissed_rows]
    covered += [(r["date_text_start"], r["date_text_end"]) for r in state.event_rows
                if r.get("date_text_start") is not None]
    if any(a < span[1] and span[0] < b for a, b in covered):
        return Outcome(False, "dismiss", f"not dismissed: «{text}» at offset {span[0]} is "
                       "already accounted for (annotated or dismissed)")
    entry_fields = {"text": text}
    if occurrence and occurrence > 1:
        entry_fields["occurrence"] = occurrence

    def change(doc):
        from ruamel.yaml.comments import CommentedMap

        seq = _block_seq(doc, "dismissed")
        entry = CommentedMap()
        for name in DISMISSED_ORDER:
            value = reason if name == "reason" else entry_fields.get(name)
            if value is not None:
                entry[name] = _styled(f"dismissed.{name}", value, list(seq), name)
        _append(seq, entry)
        return None

    where = f" (occurrence {occurrence})" if occurrence and occurrence > 1 else ""
    return _apply(source_id, raw_dir, "dismiss", change, done=f"dismissed «{text}»{where}")


def undismiss(source_id: str, text: str, occurrence: int | None = None,
              raw_dir: Path = RAW_DIR) -> Outcome:
    """Take a dismissal back (the expression is then unaccounted for again)."""
    wanted = occurrence or 1

    def change(doc):
        items = _dismissals_of(doc)
        index = next((i for i, d in enumerate(items) if hasattr(d, "get")
                      and d.get("text") == text and (d.get("occurrence") or 1) == wanted), None)
        if index is None:
            return f"not changed: «{text}» is not dismissed in {source_id}.yaml"
        _delete(items, index)
        return None

    return _apply(source_id, raw_dir, "undismiss", change, done=f"took back the dismissal of "
                  f"«{text}»")


def event_fields(source_id: str, event_id: str, raw_dir: Path = RAW_DIR) -> dict | None:
    """An event's fields as the file holds them (plain Python values), or None."""
    text = _read(annotation_path(source_id, raw_dir))
    if text is None:
        return None
    for event in _events_of(_load_doc(text)):
        if hasattr(event, "get") and event.get("id") == event_id:
            return _plain(dict(event))
    return None
