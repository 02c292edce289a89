"""Evidence: each quote located once in its stored text, its date inside it."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from helpers.build.model import ResolvedEvent
from helpers.core.errors import Problem
from helpers.raw.load import Raw
from helpers.raw.sources import DEFAULT_TIMEZONE
from helpers.resolution import quotes


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
