"""Source records: metadata beside each stored text, checked at every build."""
from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from helpers.core.errors import Problem
from helpers.core.suggest import field_problems, unknown_hint
from helpers.core.vocab import LANGUAGES, PUBLISHED_QUALIFIERS
from helpers.raw.yamlio import LocatedDict, load_yaml

DEFAULT_TIMEZONE = "Europe/Paris"
REQUIRED_FIELDS = ("source_id", "outlet", "language", "published_qualifier", "received", "rights")
OPTIONAL_FIELDS = ("title", "title_basis", "author", "url", "url_note", "published",
                   "published_basis", "text_file", "sha256", "via", "notes")


@dataclass(frozen=True)
class Publication:
    """When a source was published, as bounds, plus the datetime date expressions refer to."""

    text: str | None
    qualifier: str
    earliest: datetime | None
    latest: datetime | None  # None: no known upper bound
    reference: datetime | None  # what "hier" or "ce jeudi" are relative to


@dataclass(frozen=True)
class Source:
    source_id: str
    meta: dict
    publication: Publication
    path: str  # metadata file, relative to the project, for messages
    text: str | None = None  # stored text; None for citation-only sources

    @property
    def has_text(self) -> bool:
        return self.text is not None


def parse_published(value: str | None, qualifier: str, tz: ZoneInfo) -> Publication:
    """Bounds and reference for an ISO 8601 publication value (datetime, date or month)."""
    if value is None:
        return Publication(None, qualifier, None, None, None)
    value = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = map(int, value.split("-"))
        start = datetime(year, month, 1, tzinfo=tz)
        end = datetime(year, month, calendar.monthrange(year, month)[1], 23, 59, 59, tzinfo=tz)
        # An approximate month: relative expressions are read from its last day.
        reference = end
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = datetime.fromisoformat(value).date()
        start = datetime.combine(day, time(0, 0), tzinfo=tz)
        end = datetime.combine(day, time(23, 59, 59), tzinfo=tz)
        # A day without a time: read relative expressions from its middle.
        reference = datetime.combine(day, time(12, 0), tzinfo=tz)
    else:
        stamp = datetime.fromisoformat(value)
        if stamp.tzinfo is None:
            raise ValueError("a publication datetime needs a UTC offset, e.g. +02:00")
        start = end = reference = stamp.astimezone(tz)
    if qualifier == "on_or_after":
        end = None
    return Publication(value, qualifier, start, end, reference)


def load_source(meta_path: Path, root: Path) -> tuple[Source | None, list[Problem]]:
    display = str(meta_path.relative_to(root))
    data, problems = load_yaml(meta_path, display)
    if problems:
        return None, problems
    if not isinstance(data, LocatedDict):
        return None, [Problem(display, message="a source file must be a mapping of fields")]
    problems += field_problems(
        data, REQUIRED_FIELDS, REQUIRED_FIELDS + OPTIONAL_FIELDS,
        lambda name, message: Problem(display, data.line, field=name, message=message),
        lambda name, hint: Problem(display, data.line_of(name), field=name,
                                   message="unknown field", hint=hint))
    source_id = data.get("source_id")
    if source_id and source_id != meta_path.stem:
        problems.append(Problem(display, data.line_of("source_id"), field="source_id",
                                message=f"{source_id!r} differs from the file name {meta_path.stem!r}"))
    if data.get("language") and data["language"] not in LANGUAGES:
        problems.append(Problem(display, data.line_of("language"), field="language",
                                message=f"unknown language {data['language']!r}",
                                hint=unknown_hint(data["language"], LANGUAGES)))
    qualifier = data.get("published_qualifier")
    if qualifier and qualifier not in PUBLISHED_QUALIFIERS:
        problems.append(Problem(display, data.line_of("published_qualifier"),
                                field="published_qualifier",
                                message=f"unknown qualifier {qualifier!r}",
                                hint=unknown_hint(qualifier, PUBLISHED_QUALIFIERS)))
    if qualifier == "unknown" and data.get("published") is not None:
        problems.append(Problem(display, data.line_of("published"), field="published",
                                message="a date is given but published_qualifier is 'unknown'"))
    try:
        publication = parse_published(data.get("published"), qualifier or "unknown",
                                      ZoneInfo(DEFAULT_TIMEZONE))
    except ValueError as err:
        problems.append(Problem(display, data.line_of("published"), field="published",
                                message=f"cannot read {data.get('published')!r}: {err}",
                                hint="use 2024-05-02T08:33:00+02:00, 2024-05-02 or 2024-05"))
        publication = Publication(None, "unknown", None, None, None)
    text, text_problems = _load_text(data, meta_path, display)
    problems += text_problems
    if problems:
        return None, problems
    return Source(source_id, dict(data), publication, display, text), []


def _load_text(data: LocatedDict, meta_path: Path, display: str) -> tuple[str | None, list[Problem]]:
    text_file, recorded = data.get("text_file"), data.get("sha256")
    if text_file is None:
        if recorded is not None:
            return None, [Problem(display, data.line_of("sha256"), field="sha256",
                                  message="sha256 given but no text_file")]
        return None, []
    text_path = meta_path.parent / text_file
    line = data.line_of("text_file")
    if not text_path.is_file():
        return None, [Problem(display, line, field="text_file",
                              message=f"stored text {text_file!r} not found")]
    raw = text_path.read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    if recorded is None:
        return None, [Problem(display, line, field="sha256", message="missing for a stored text",
                              hint=f"record the text's sha256: {actual}")]
    if actual != recorded:
        return None, [Problem(display, data.line_of("sha256"), field="sha256",
                              message=f"{text_file} changed since it was recorded "
                                      f"(sha256 {actual[:12]}…, recorded {str(recorded)[:12]}…)",
                              hint="raw texts are immutable: restore the original bytes, or add "
                                   "the new version as a new source")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(display, line, field="text_file",
                              message=f"{text_file} is not valid UTF-8 (byte {err.start})",
                              hint="store the text as UTF-8")]
    if not text.strip():
        return None, [Problem(display, line, field="text_file", message=f"{text_file} is empty")]
    return text, []


def load_sources(raw_dir: Path, root: Path) -> tuple[dict[str, Source], list[Problem]]:
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for meta_path in sorted((raw_dir / "sources").glob("*.yaml")):
        source, found = load_source(meta_path, root)
        problems += found
        if source is not None:
            sources[source.source_id] = source
    return sources, problems

