"""A stored text as an annotator checks it: evidence highlighted, unaccounted dates flagged.

:func:`render_annotation` draws a text with

* each event's quote highlighted in its event type's colour (the colours of the timelines),
  with a small tag naming the type where the quote starts;
* each annotated date (an event's ``date_text``, an ultimatum's deadline) in bold;
* each dismissed date expression struck through, its reason in the tooltip;
* each date expression that :func:`helpers.resolution.dates.find_expressions` finds and that is neither
  annotated nor dismissed outlined in red: the build refuses such a text until it is.

Everything that comes from a source or an annotation (text, quotes, summaries, reasons,
ids) is HTML-escaped. :func:`source_view` puts it together for one source of the dataset;
for a citation-only source it shows the citation and the paraphrased events instead.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.errors import Problem
from helpers.core.frames import Dataset, load_dataset
from helpers.core.labels import span_label, text_or_empty, words
from helpers.core.paths import PROJECT_ROOT, RAW_DIR
from helpers.present.figures import STYLE as EVENT_STYLE
from helpers.present.notebook_params import HTML
from helpers.resolution import quotes

UNKNOWN_STYLE = {"label": "Event", "color": "#555555"}

EVENT_COLUMNS = ["event_id", "event_type", "date_text", "resolved", "date_iso",
                 "date_method", "deadline_text", "deadline_iso", "status", "summary"]

CSS = """
.hrt-view { font-family: Georgia, 'DejaVu Serif', serif; max-width: 52em; }
.hrt-view .hrt-text { white-space: pre-wrap; line-height: 1.9; font-size: 15px;
  border: 1px solid #ddd; border-radius: 4px; padding: 0.8em 1em; background: #fff; }
.hrt-view .hrt-q { border-bottom: 2px solid; padding: 0.1em 0; color: inherit; }
.hrt-view .hrt-tag { font: bold 10px/1 'DejaVu Sans', sans-serif; color: #fff;
  border-radius: 3px; padding: 1px 4px; margin-right: 2px; vertical-align: super;
  white-space: nowrap; }
.hrt-view .hrt-date { font-weight: bold; }
.hrt-view .hrt-dismissed { text-decoration: line-through; color: #777; }
.hrt-view .hrt-unannotated { outline: 2px dashed #c00; outline-offset: 1px;
  background: #fff0f0; }
.hrt-view .hrt-legend { font: 13px/1.6 'DejaVu Sans', sans-serif; margin: 0.4em 0 0.8em; }
.hrt-view .hrt-legend span { margin-right: 0.9em; white-space: nowrap; }
.hrt-view .hrt-swatch { display: inline-block; width: 0.9em; height: 0.9em;
  vertical-align: -0.1em; margin-right: 0.25em; border-radius: 2px; }
.hrt-view .hrt-warning { color: #a00; font: 14px 'DejaVu Sans', sans-serif; }
.hrt-view dl { font: 14px/1.5 'DejaVu Sans', sans-serif; display: grid;
  grid-template-columns: max-content auto; gap: 0.15em 1em; }
.hrt-view dt { font-weight: bold; white-space: nowrap; }
.hrt-view dd { margin: 0; }
.hrt-view ul.hrt-events { font: 14px/1.5 'DejaVu Sans', sans-serif; }
""".strip()


def esc(value: object) -> str:
    """HTML-escape anything (None and NA as an empty string), quotes included."""
    return html.escape(text_or_empty(value), quote=True)


def _style(event_type: object) -> dict[str, str]:
    return EVENT_STYLE.get(str(event_type), UNKNOWN_STYLE)


def _tint(color: str, alpha: float = 0.16) -> str:
    """A light background from a #RRGGBB colour."""
    color = color.lstrip("#")
    if len(color) != 6:
        return "rgba(0,0,0,0.08)"
    r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _int(value: object) -> int | None:
    try:
        return None if value is None or pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Highlight:
    """A span of the text and what it is."""

    start: int
    end: int
    kind: str  # quote | date | dismissed | unannotated
    event_type: str = ""
    label: str = ""  # tooltip text (not escaped yet)
    event_id: str = ""


@dataclass
class Annotated:
    """The spans drawn on a text, and the expressions nobody accounted for."""

    highlights: list[Highlight] = field(default_factory=list)
    unannotated: list = field(default_factory=list)  # FoundExpression-like objects


def _records(frame: pd.DataFrame | Iterable[dict] | None) -> list[dict]:
    if frame is None:
        return []
    if isinstance(frame, pd.DataFrame):
        return frame.to_dict("records")
    return list(frame)



def collect_highlights(text: str, events, dismissed=None, expressions: Iterable = ()) -> Annotated:
    """The spans to draw: quotes, annotated dates, dismissed and unaccounted expressions.

    `events` rows need event_id, event_type, summary, quote_start, quote_end,
    date_text_start, date_text_end, and optionally deadline_text (located inside the quote,
    as the build does); `dismissed` rows need text_start, text_end, reason. `expressions`
    are :class:`helpers.resolution.dates.FoundExpression` (start, end, text, resolution).
    """
    result = Annotated()
    covered: list[tuple[int, int]] = []
    for row in _records(events):
        start, end = _int(row.get("quote_start")), _int(row.get("quote_end"))
        event_id, event_type = text_or_empty(row.get("event_id")), text_or_empty(row.get("event_type"))
        if start is not None and end is not None and 0 <= start < end <= len(text):
            label = f"{_style(event_type)['label']} — {event_id}: {text_or_empty(row.get('summary'))}"
            result.highlights.append(Highlight(start, end, "quote", event_type, label, event_id))
            deadline_text = text_or_empty(row.get("deadline_text"))
            if deadline_text:
                inner = quotes.find_all(deadline_text, text[start:end])
                if inner:
                    span = (start + inner[0][0], start + inner[0][1])
                    covered.append(span)
                    result.highlights.append(Highlight(
                        *span, "date", event_type,
                        f"deadline of {event_id}: {text_or_empty(row.get('deadline_iso'))}", event_id))
        d_start, d_end = _int(row.get("date_text_start")), _int(row.get("date_text_end"))
        if d_start is not None and d_end is not None and 0 <= d_start < d_end <= len(text):
            covered.append((d_start, d_end))
            resolved = text_or_empty(row.get("date_iso")) or "undated"
            result.highlights.append(Highlight(
                d_start, d_end, "date", event_type,
                f"date of {event_id}: {resolved} ({text_or_empty(row.get('date_precision'))})",
                event_id))
    for row in _records(dismissed):
        start, end = _int(row.get("text_start")), _int(row.get("text_end"))
        if start is not None and end is not None and 0 <= start < end <= len(text):
            covered.append((start, end))
            result.highlights.append(Highlight(
                start, end, "dismissed", label=f"dismissed: {text_or_empty(row.get('reason'))}"))
    for found in expressions:
        if any(a < found.end and found.start < b for a, b in covered):
            continue
        result.unannotated.append(found)
        # Read with its sentence (tense, anchors) where the resolver could.
        resolution = getattr(found, "context_resolution", None) or getattr(found, "resolution",
                                                                            None)
        reading = (f"read as {resolution.value or resolution.precision}" if resolution
                   else "not resolvable (a duration?)")
        note = getattr(found, "context_note", None)
        if resolution and note:
            reading += f", {note}"
        result.highlights.append(Highlight(
            found.start, found.end, "unannotated",
            label=f"date expression neither annotated nor dismissed ({reading}): annotate "
            "the event it dates, or dismiss it with a reason"))
    return result


def _segment_html(piece: str, active: list[Highlight]) -> str:
    body = esc(piece)
    for kind, css in (("unannotated", "hrt-unannotated"), ("dismissed", "hrt-dismissed"),
                      ("date", "hrt-date")):
        marks = [h for h in active if h.kind == kind]
        if marks:
            title = esc(" | ".join(dict.fromkeys(h.label for h in marks)))
            body = f'<span class="{css}" title="{title}">{body}</span>'
    quoted = [h for h in active if h.kind == "quote"]
    if quoted:
        inner = min(quoted, key=lambda h: (h.end - h.start, h.start))
        color = _style(inner.event_type)["color"]
        title = esc(" | ".join(dict.fromkeys(h.label for h in quoted)))
        body = (f'<mark class="hrt-q" data-event-type="{esc(inner.event_type)}" '
                f'style="background:{_tint(color)};border-bottom-color:{color}" '
                f'title="{title}">{body}</mark>')
    return body


def render_text(text: str, highlights: list[Highlight]) -> str:
    """The text as HTML (to show in a pre-wrap block), with its highlights; all escaped."""
    bounds = {0, len(text)}
    for h in highlights:
        bounds.update((h.start, h.end))
    cuts = sorted(b for b in bounds if 0 <= b <= len(text))
    starts: dict[int, list[Highlight]] = {}
    for h in highlights:
        if h.kind == "quote":
            starts.setdefault(h.start, []).append(h)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        for h in sorted(starts.get(a, []), key=lambda h: (-(h.end - h.start), h.event_id)):
            style = _style(h.event_type)
            out.append(f'<span class="hrt-tag" style="background:{style["color"]}" '
                       f'title="{esc(h.label)}">{esc(style["label"].split(" →")[0])}</span>')
        active = [h for h in highlights if h.start <= a and b <= h.end]
        out.append(_segment_html(text[a:b], active))
    return "".join(out)


def legend_html(event_types: Iterable[str]) -> str:
    items = []
    for event_type in dict.fromkeys(event_types):
        style = _style(event_type)
        items.append(f'<span><span class="hrt-swatch" style="background:{style["color"]}">'
                     f'</span>{esc(style["label"])}</span>')
    items += ['<span><span class="hrt-date">bold</span>: the date as annotated</span>',
              '<span><span class="hrt-dismissed">struck</span>: dismissed date expression</span>',
              '<span><span class="hrt-unannotated">outlined</span>: date expression neither '
              'annotated nor dismissed</span>']
    return f'<div class="hrt-legend">{"".join(items)}</div>'


def render_annotation(text: str, events=None, dismissed=None, expressions: Iterable = (),
                      title: str | None = None) -> str:
    """A complete, self-contained HTML block (style included) for one stored text."""
    annotated = collect_highlights(text, events, dismissed, expressions)
    types = [h.event_type for h in annotated.highlights if h.kind == "quote"]
    parts = [f"<style>{CSS}</style>", '<div class="hrt-view">']
    if title:
        parts.append(f"<h4>{esc(title)}</h4>")
    parts.append(legend_html(sorted(set(types), key=_type_order)))
    if annotated.unannotated:
        n = len(annotated.unannotated)
        listed = "; ".join(f"«&nbsp;{esc(f.text)}&nbsp;» at offset {f.start}"
                           for f in annotated.unannotated)
        parts.append(f'<p class="hrt-warning">⚠ {n} date expression{"s" if n != 1 else ""} '
                     f'neither annotated nor dismissed: {listed}</p>')
    parts.append(f'<div class="hrt-text">{render_text(text, annotated.highlights)}</div>')
    parts.append("</div>")
    return "\n".join(parts)


def _type_order(event_type: str) -> int:
    order = list(EVENT_STYLE)
    return order.index(event_type) if event_type in order else len(order)


# --- one source of the dataset -----------------------------------------------------------

def _link(url: object) -> str:
    text = text_or_empty(url)
    if text.startswith(("https://", "http://")):
        return f'<a href="{esc(text)}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


META_FIELDS = [("outlet", "Outlet"), ("title", "Title"), ("author", "Author"), ("url", "URL"),
               ("url_note", "About the URL"), ("language", "Language"),
               ("published", "Published"), ("published_qualifier", "Publication date is"),
               ("published_basis", "Publication date basis"), ("received_date", "Received"),
               ("via", "Cited via"), ("rights", "Rights"), ("text_file", "Stored text"),
               ("text_sha256", "SHA-256")]


def metadata_html(source: dict) -> str:
    """A source's metadata as a definition list (escaped; URLs as links)."""
    rows = []
    for name, label in META_FIELDS:
        value = source.get(name)
        text = text_or_empty(value)
        if name == "received_date" and text:
            text = text[:10]
        if not text:
            continue
        shown = _link(text) if name == "url" else esc(text)
        rows.append(f"<dt>{esc(label)}</dt><dd>{shown}</dd>")
    kind = "stored text" if bool(source.get("has_text")) else "citation only (no stored text)"
    rows.insert(0, f"<dt>Source id</dt><dd><code>{esc(source.get('source_id'))}</code> "
                   f"({esc(kind)})</dd>")
    return f'<dl>{"".join(rows)}</dl>'


def paraphrases_html(events: pd.DataFrame) -> str:
    """A citation-only source's events: type, date as reported, paraphrase."""
    items = []
    for row in _records(events):
        style = _style(row.get("event_type"))
        date_text = text_or_empty(row.get("date_text"))
        when = f"« {esc(date_text)} »" if date_text else "no date given"
        if date_text and row.get("is_date_text_verbatim") is False:
            when = f"{esc(date_text)} (our English rendering)"
        resolved = _resolved(row)
        items.append(
            f'<li><span class="hrt-tag" style="background:{style["color"]}">'
            f'{esc(style["label"].split(" →")[0])}</span> <code>{esc(row.get("event_id"))}</code>'
            f" — {when} → <b>{esc(resolved)}</b><br><i>{esc(row.get('paraphrase'))}</i></li>")
    if not items:
        return "<p>This source reports no event.</p>"
    return f'<ul class="hrt-events">{"".join(items)}</ul>'


def _resolved(row: dict) -> str:
    lo, hi = row.get("earliest_datetime"), row.get("latest_datetime")
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return "—"
    precision = text_or_empty(row.get("date_precision")) or None
    return span_label(pd.Timestamp(lo), pd.Timestamp(hi), precision)


def events_table(data: Dataset, source_id: str) -> pd.DataFrame:
    """The source's events with their dates as written and as resolved, in date order."""
    rows = data.events[data.events.source_id == source_id].copy()
    rows["resolved"] = [_resolved(r) for r in rows.to_dict("records")]
    rows = rows.sort_values(["earliest_datetime", "event_id"], na_position="last")
    rows = rows[[c for c in EVENT_COLUMNS if c in rows]]
    for column in rows.columns:
        rows[column] = rows[column].astype(object).where(rows[column].notna(), "")
    empty = [c for c in ("deadline_text", "deadline_iso") if c in rows and not rows[c].any()]
    return rows.drop(columns=empty).set_index("event_id")


def source_problems(problems: Iterable[Problem], source_id: str,
                    text_file: str | None = None) -> list[Problem]:
    """The problems of `validate()` located in this source's files."""
    names = {f"{source_id}.yaml", f"{source_id}.txt"}
    if text_or_empty(text_file):
        names.add(text_or_empty(text_file))
    return [p for p in problems if Path(str(p.file)).name in names]


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    return pd.DataFrame([{"File": p.file, "Line": str(p.line or ""), "Event": p.event_id,
                          "Field": p.field, "Problem": p.message, "What to do": p.hint}
                         for p in problems],
                        columns=["File", "Line", "Event", "Field", "Problem", "What to do"])


def problems_view(problems: list[Problem]):
    """The validation messages: a table, or a line saying there are none."""
    from helpers.present.tables import show

    if not problems:
        return HTML('<p style="color:#1b6e2a;font-weight:bold">✓ No validation problem in '
                    "this source's files.</p>")
    return show(problems_frame(problems))


def source_heading(data: Dataset, source_id: str, links=None) -> HTML:
    """The source's outlet and title as a heading, its date and kind below, and links to the
    pages of the cases it reports (escaped)."""
    from helpers.present.figures import case_infos
    from helpers.present.tables import published_label

    row = data.sources.set_index("source_id").loc[source_id]
    title = text_or_empty(row["title"]) or "(title not recorded)"
    kind = "stored text" if bool(row["has_text"]) else "citation only"
    published = published_label(row.to_dict())
    out = (f"<h2>{esc(row['outlet'])}: {esc(title)}</h2>"
           f"<p><i>published {esc(published)} · {esc(kind)} · source id "
           f"<code>{esc(source_id)}</code></i></p>")
    if links is not None and links.enabled:
        infos = case_infos(data)
        cases = sorted({str(c) for c in data.events.loc[data.events.source_id == source_id,
                                                        "case_id"].dropna()})
        items = [(links.case(c), infos[c].name) for c in cases] + links.comparisons()
        from helpers.present.notebook_params import links_line

        out += str(links_line(links, items, "Case page" if len(cases) == 1 else "See also"))
    return HTML(out)


def events_view(data: Dataset, source_id: str) -> HTML:
    """The source's events for people: date as written (« » only when verbatim), read as,
    method, who says so, summary."""
    from helpers.present.tables import show

    rows = data.events[data.events.source_id == source_id].sort_values(
        ["earliest_datetime", "event_id"], na_position="last")
    records = []
    for row in rows.to_dict("records"):
        written = text_or_empty(row.get("date_text"))
        if not written:
            written = "(no date given)"
        elif row.get("is_date_text_verbatim") is False:
            written = f"{written} (our English rendering)"
        else:
            written = f"« {written} »"
        deadline = text_or_empty(row.get("deadline_text"))
        records.append({
            "Event": f"{_style(row['event_type'])['label']} ({row['event_id']})",
            "Date as written": written + (f"; deadline « {deadline} »" if deadline else ""),
            "Read as": _resolved(row),
            "How it was read": words(row.get("date_method")),
            "Who says so": words(row.get("status")),
            "Summary (our words)": text_or_empty(row.get("summary")),
        })
    frame = pd.DataFrame(records, columns=["Event", "Date as written", "Read as",
                                           "How it was read", "Who says so",
                                           "Summary (our words)"])
    return show(frame) if len(frame) else HTML("<p>This source reports no event.</p>")


def source_view(source_id: str, data: Dataset | None = None, raw_dir: Path = RAW_DIR,
                root: Path = PROJECT_ROOT) -> HTML:
    """The stored text annotated, or the citation and paraphrases of a citation-only source."""
    from helpers.raw.sources import load_source
    from helpers.resolution.dates import find_expressions

    data = data if data is not None else load_dataset()
    data.check_source(source_id)
    row = data.sources[data.sources.source_id == source_id].iloc[0].to_dict()
    events = data.events[data.events.source_id == source_id]
    parts = [f"<style>{CSS}</style>", '<div class="hrt-view">', metadata_html(row)]
    if not bool(row.get("has_text")):
        parts += ["<h4>What the source reports (paraphrased)</h4>", paraphrases_html(events),
                  "</div>"]
        return HTML("\n".join(parts))
    parts.append("</div>")
    source, problems = load_source(Path(raw_dir) / "sources" / f"{source_id}.yaml", Path(root))
    if source is None or source.text is None:
        listed = "".join(f"<li>{esc(p)}</li>" for p in problems)
        parts.append(f'<div class="hrt-view"><p class="hrt-warning">The stored text cannot be '
                     f"shown:</p><ul>{listed}</ul></div>")
        return HTML("\n".join(parts))
    reference = source.publication.reference
    language = str(source.meta.get("language") or "fr")
    expressions = find_expressions(source.text, reference, language=language) \
        if reference is not None else []
    dismissed = data.dismissed[data.dismissed.source_id == source_id]
    parts.append(render_annotation(source.text, events, dismissed, expressions))
    return HTML("\n".join(parts))
