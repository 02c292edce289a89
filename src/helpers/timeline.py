"""Plotly timelines comparing cases: a calendar view and a view aligned on one event.

Both views draw one lane per case and share the same encoding:

* every event type has one colour and symbol (:data:`EVENT_STYLE`), one legend entry per type
  (its bars, connectors and deadlines share the legend group, so the entry toggles them all);
* a date coarser than an hour is drawn as its range (a thin horizontal bar from earliest to
  latest) with the marker at its midpoint, never as a bare point;
* sources that date one real-world event (same case and ``event_key``) differently are all
  drawn, stacked a little apart on the lane and linked by a dotted connector; the hover says
  whether they disagree (no common date) or only differ in precision;
* an ultimatum is linked to its deadline (dashed line, tick marker);
* police actions against a case's group are drawn on its lane as context (grey, open
  marker, below the lane's centre);
* the extortion window is shaded per lane: from the earliest bound of the (first) attack to
  the latest bound of the (first) leak, across all dated sources, i.e. the widest window any
  source allows; no shading without a dated attack and leak.

Conventions (see also :mod:`helpers.delays`): the *best date* of an event is the midpoint of
the intersection of its dated sources' bounds, or the earliest source midpoint when they do
not intersect. In the aligned view, day 0 is the local calendar day containing the best date
of the case's first alignment event, and x is days since that midnight: ``floor(x)`` is the
day number, so an event on the 15th day after the attack spans [15, 16).

Scale: lanes are 40 px high (the plot area at least 260 px, so that the legend fits), plus
margins and, in the calendar, the range slider; lane labels and the legend (vertical, right)
do not depend on the number of cases. In the aligned view the initial x range covers the
cases' own events and the context events within 30 days of them; context further away stays
reachable by zooming out and is noted at the lane's edge ("◂ day -57").

All third-party text (quotes, summaries, outlets...) is HTML-escaped before it reaches a
hover or a label, since plotly renders a subset of HTML there.
"""
from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from .delays import DAY, Span, best_of, informative, midpoint
from .errors import UnknownIdError
from .vocab import EVENT_TYPES

EVENT_STYLE: dict[str, dict[str, str]] = {
    "attack": {"label": "Attack", "color": "#D55E00", "symbol": "diamond"},
    "disclosure": {"label": "Disclosure", "color": "#0072B2", "symbol": "circle"},
    "complaint": {"label": "Complaint", "color": "#56B4E9", "symbol": "square"},
    "investigation": {"label": "Investigation", "color": "#009E73", "symbol": "triangle-up"},
    "ransom_demand": {"label": "Ransom demand", "color": "#E69F00", "symbol": "pentagon"},
    "claim": {"label": "Claim", "color": "#CC79A7", "symbol": "star"},
    "ultimatum": {"label": "Ultimatum → deadline", "color": "#222222", "symbol": "hourglass"},
    "leak": {"label": "Leak", "color": "#882255", "symbol": "triangle-down"},
    "police_action": {"label": "Police action (context)", "color": "#8C8C8C",
                      "symbol": "circle-open"},
}
# Any other context row (is_context True) is drawn like a police action.
CONTEXT_TYPE = "police_action"
DEADLINE_SYMBOL = "line-ns-open"
WINDOW_STYLE = {"label": "Extortion window (attack → leak)", "color": "rgba(213,94,0,0.09)"}

ALIGN_TARGETS: tuple[str, ...] = tuple(t for t in EVENT_TYPES if t != CONTEXT_TYPE) + ("deadline",)

# Geometry, in lane units (a lane is 1.0 high) and pixels.
LANE_PX = 40
MIN_PLOT_PX = 260           # room for the legend when there are few lanes
SLIDER_PX = 45
# Top margin (taller in the calendar, for its range selector buttons) and bottom margin.
TOP_PX, TOP_PX_SLIDER, BOTTOM_PX = 70, 110, 50
VARIANT_STEP = 0.13         # vertical gap between disagreeing sources' versions
BASE_OFFSET = {"ultimatum": -0.24, CONTEXT_TYPE: 0.3}  # y grows downwards
BAR_WIDTH = 0.11
IMPRECISE = pd.Timedelta(hours=1)
QUOTE_CHARS = 320
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PARTS_OF_DAY = {(6, 12): "morning", (12, 18): "afternoon", (18, 24): "evening",
                (4, 8): "early morning", (0, 6): "night"}
SECOND = pd.Timedelta(seconds=1)


# --- tables -> marks ---------------------------------------------------------------------

@dataclass
class Variant:
    """One version of a date: the source rows that give the same bounds."""

    earliest: pd.Timestamp
    latest: pd.Timestamp
    precision: str
    rows: list[dict]

    @property
    def mid(self) -> pd.Timestamp:
        return midpoint(self.earliest, self.latest).floor("s")


@dataclass
class Mark:
    """One real-world date (an event, or an ultimatum's deadline) on one lane."""

    lane: int
    case: dict
    event_type: str
    event_key: str
    kind: str                      # "date" or "deadline"
    is_context: bool
    variants: list[Variant]
    best: pd.Timestamp
    compatible: bool               # the sources' bounds have a common date
    n_sources: int
    undated_rows: list[dict] = field(default_factory=list)  # mentions without a date


@dataclass
class Lane:
    index: int
    case: dict
    marks: list[Mark]
    window: tuple[pd.Timestamp, pd.Timestamp] | None
    label: str = ""
    origin: pd.Timestamp | None = None  # aligned view: midnight of day 0


def _clean(value):
    """None for every kind of missing value."""
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _select_cases(cases: pd.DataFrame, case_ids) -> list[dict]:
    records = _records(cases)
    by_id = {str(r["case_id"]): r for r in records}
    if case_ids is None:
        return records
    if isinstance(case_ids, str):
        case_ids = [case_ids]
    for case_id in case_ids:
        if case_id not in by_id:
            raise UnknownIdError("case", case_id, sorted(by_id))
    return [by_id[c] for c in case_ids]


def _groups_of(case: dict) -> set[str]:
    return {g.strip() for g in str(case.get("groups") or "").split(";") if g.strip()}


def _make_marks(lane: int, case: dict, rows: list[dict]) -> list[Mark]:
    """Group a lane's source rows into real-world dates and their versions."""
    grouped: dict[tuple[str, str, str], list[tuple[Span, dict]]] = {}
    for row in rows:
        event_type = str(row.get("event_type"))
        is_context = bool(row.get("is_context")) or event_type == CONTEXT_TYPE
        owner = "context" if is_context else "case"
        for kind, prefix in (("date", "date"), ("deadline", "deadline")):
            lo, hi = row.get(f"{prefix}_earliest"), row.get(f"{prefix}_latest")
            if lo is None or hi is None:
                continue
            span = Span(pd.Timestamp(lo), pd.Timestamp(hi),
                        row.get(f"{prefix}_precision") or ("day" if kind == "deadline"
                                                           else "undated"),
                        str(row.get("source_id")))
            key = (owner, event_type, str(row.get("event_key")), kind)
            grouped.setdefault(key, []).append((span, row))
    marks = []
    for (owner, event_type, event_key, kind), items in grouped.items():
        used = informative([s for s, _ in items])
        used_ids = {id(s) for s in used}
        versions: dict[tuple, Variant] = {}
        undated = []
        for span, row in items:
            if id(span) not in used_ids:
                undated.append(row)
                continue
            variant = versions.setdefault(
                (span.earliest, span.latest),
                Variant(span.earliest, span.latest, str(span.precision), []))
            variant.rows.append(row)
        variants = sorted(versions.values(), key=lambda v: (v.mid, v.latest))
        lo, hi = max(s.earliest for s in used), min(s.latest for s in used)
        marks.append(Mark(lane, case, event_type, event_key, kind, owner == "context",
                          variants, best_of(used), lo <= hi,
                          len({s.source_id for s in used}), undated))
    return sorted(marks, key=lambda m: (m.best, m.kind, m.event_type))


def _first(marks: list[Mark], event_type: str, kind: str = "date") -> Mark | None:
    candidates = [m for m in marks if not m.is_context and m.event_type == event_type
                  and m.kind == kind and m.variants[0].precision != "undated"]
    return min(candidates, key=lambda m: (m.best, m.event_key), default=None)


def _window(marks: list[Mark]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    attack, leak = _first(marks, "attack"), _first(marks, "leak")
    if attack is None or leak is None:
        return None
    return (min(v.earliest for v in attack.variants), max(v.latest for v in leak.variants))


def _lanes(events: pd.DataFrame, cases: pd.DataFrame, case_ids) -> list[Lane]:
    selected = _select_cases(cases, case_ids)
    rows = _records(events)
    own: dict[str, list[dict]] = {}
    context: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("case_id") is not None:
            own.setdefault(str(row["case_id"]), []).append(row)
        elif row.get("target") is not None:
            context.setdefault(str(row["target"]), []).append(row)
    lanes = []
    for case in selected:
        case_rows = list(own.get(str(case["case_id"]), []))
        for group in sorted(_groups_of(case)):
            case_rows += context.get(group, [])
        marks = _make_marks(0, case, case_rows)
        lanes.append(Lane(0, case, marks, _window(marks)))
    if case_ids is None:  # chronological, by each case's first dated own event
        def first_date(lane: Lane):
            dates = [m.best for m in lane.marks if not m.is_context]
            return (min(dates) if dates else pd.Timestamp.max, str(lane.case["case_id"]))
        lanes.sort(key=first_date)
    for index, lane in enumerate(lanes):
        lane.index = index
        for mark in lane.marks:
            mark.lane = index
    return lanes


# --- text ----------------------------------------------------------------------------------

def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _day_label(ts: pd.Timestamp, year: bool = True) -> str:
    return f"{ts.day} {MONTHS[ts.month - 1]}" + (f" {ts.year}" if year else "")


def span_label(earliest: pd.Timestamp, latest: pd.Timestamp, precision: str | None = None,
               year: bool = True) -> str:
    """Short English label of a date range: "2 May 2024", "1 May 2024 evening",
    "night 1–2 May 2024", "Apr 2024", "2 May 2024 00:00"..."""
    lo, hi = pd.Timestamp(earliest), pd.Timestamp(latest)
    end = hi + SECOND if hi.second == 59 else hi  # inclusive end -> exclusive
    y = f" {lo.year}" if year else ""
    if precision == "undated":
        return f"undated (between {_day_label(lo, year)} and {_day_label(hi, year)})"
    if lo == lo.normalize() and end == end.normalize():
        if lo.month == 1 and lo.day == 1 and end == lo + pd.DateOffset(years=1):
            return str(lo.year)
        if lo.day == 1 and end == lo + pd.DateOffset(months=1):
            return f"{MONTHS[lo.month - 1]}{y}"
        if end - lo == DAY:
            return _day_label(lo, year)
        if precision == "week":
            return f"week of {_day_label(lo, year)}"
        last = end - DAY
        if lo.month == last.month:
            return f"{lo.day}–{last.day} {MONTHS[lo.month - 1]}{y}"
        return f"{_day_label(lo, False)} – {_day_label(last, year)}"
    if end - lo <= pd.Timedelta(minutes=1):
        return f"{_day_label(lo, year)} {lo:%H:%M}"
    end_hour = 24 if end == lo.normalize() + DAY else end.hour
    if lo.normalize() == hi.normalize() or end_hour == 24:
        if end.minute == 0 and lo.minute == 0 and (lo.hour, end_hour) in PARTS_OF_DAY:
            return f"{_day_label(lo, year)} {PARTS_OF_DAY[(lo.hour, end_hour)]}"
        return f"{_day_label(lo, year)} {lo:%H:%M}–{hi:%H:%M}"
    if lo.hour >= 18 and end.hour <= 8 and end.normalize() - lo.normalize() == DAY:
        tail = (f"{lo.day}–{end.day} {MONTHS[end.month - 1]}" if lo.month == end.month
                else f"{_day_label(lo, False)} – {_day_label(end, False)}")
        return f"night {tail}{y}"
    return f"{_day_label(lo, year)} {lo:%H:%M} – {_day_label(hi, year)} {hi:%H:%M}"


def _wrap(text: str, width: int = 90) -> str:
    """Escape, shorten and wrap third-party text for a hover."""
    text = " ".join(str(text).split())
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    return "<br>   ".join(_esc(line) for line in textwrap.wrap(text, width))


def _source_line(row: dict, kind: str) -> str:
    prefix = "deadline" if kind == "deadline" else "date"
    written = row.get(f"{prefix}_text")
    normalised = row.get("deadline_date" if kind == "deadline" else "event_date")
    precision = row.get(f"{prefix}_precision") or "undated"
    parts = [f"• <b>{_esc(row.get('outlet') or row.get('source_id'))}</b>"]
    parts.append(f"« {_esc(written)} »" if written else "(no date text)")
    parts.append(f"→ {_esc(normalised or '—')} ({_esc(precision)})")
    if row.get("status"):
        parts.append(f"[{_esc(str(row['status']).replace('_', ' '))}]")
    if row.get("data_volume_gb") is not None:
        parts.append(f"{row['data_volume_gb']:g} GB")
    line = " ".join(parts)
    if row.get("quote"):
        line += "<br>   “" + _wrap(row["quote"]) + "”"
    elif row.get("paraphrase"):
        line += "<br>   <i>paraphrase: " + _wrap(row["paraphrase"]) + "</i>"
    return line


def _spread_note(mark: Mark) -> str:
    if len(mark.variants) < 2:
        return ""
    same_year = len({v.earliest.year for v in mark.variants}) == 1
    labels = " / ".join(_esc(span_label(v.earliest, v.latest, v.precision, not same_year))
                        for v in mark.variants)
    if mark.compatible:
        return (f"{mark.n_sources} sources differ in precision but agree "
                f"({len(mark.variants)} versions): {labels}")
    return (f"⚠ {mark.n_sources} sources disagree ({len(mark.variants)} dates): {labels}")


def _hover(mark: Mark, variant: Variant, where: str) -> str:
    case = mark.case
    style = EVENT_STYLE.get(mark.event_type, EVENT_STYLE[CONTEXT_TYPE])
    title = style["label"].split(" →")[0]
    if mark.kind == "deadline":
        title = "Ultimatum deadline"
    head = f"<b>{_esc(title)}</b> · {_esc(case['case_id'])}"
    if mark.is_context:
        head += f" <i>(context: against {_esc(variant.rows[0].get('target') or '?')})</i>"
    lines = [head, _esc(f"{case.get('victim') or ''} ({case.get('city') or ''})")]
    summaries = list(dict.fromkeys(r.get("summary") for r in variant.rows if r.get("summary")))
    lines += [_wrap(s) for s in summaries[:2]]
    lines.append(f"<b>{_esc(span_label(variant.earliest, variant.latest, variant.precision))}"
                 f"</b> — {_esc(variant.precision)}; "
                 f"{_esc(f'{variant.earliest:%Y-%m-%d %H:%M}')} → "
                 f"{_esc(f'{variant.latest:%Y-%m-%d %H:%M}')}")
    if where:
        lines.append(where)
    if note := _spread_note(mark):
        lines.append(note)
    lines.append(f"Source{'s' if len(variant.rows) > 1 else ''} for this date:")
    lines += [_source_line(r, mark.kind) for r in variant.rows]
    if mark.undated_rows:
        outlets = ", ".join(_esc(r.get("outlet") or r.get("source_id"))
                            for r in mark.undated_rows)
        lines.append(f"Also reported without a date by: {outlets}")
    return "<br>".join(lines)


# --- marks -> traces -----------------------------------------------------------------------

@dataclass
class _Series:
    """Accumulates the points of the traces of one legend group."""

    bars_base: list = field(default_factory=list)
    bars_len: list = field(default_factory=list)
    bars_y: list = field(default_factory=list)
    bars_text: list = field(default_factory=list)
    bars_data: list = field(default_factory=list)
    bars_undated: list = field(default_factory=list)
    pts_x: list = field(default_factory=list)
    pts_y: list = field(default_factory=list)
    pts_text: list = field(default_factory=list)
    pts_data: list = field(default_factory=list)
    pts_size: list = field(default_factory=list)
    links_x: list = field(default_factory=list)
    links_y: list = field(default_factory=list)
    dl_x: list = field(default_factory=list)
    dl_y: list = field(default_factory=list)
    dl_text: list = field(default_factory=list)
    dl_data: list = field(default_factory=list)
    dl_links_x: list = field(default_factory=list)
    dl_links_y: list = field(default_factory=list)


class _Axis:
    """Maps timestamps to x values: calendar dates, or days since a lane's origin."""

    def __init__(self, aligned: bool):
        self.aligned = aligned

    def x(self, ts: pd.Timestamp, lane: Lane):
        if self.aligned:
            return round((ts - lane.origin) / DAY, 5)
        return ts.floor("s").isoformat(sep=" ")

    def length(self, lo: pd.Timestamp, hi: pd.Timestamp):
        delta = hi - lo
        return round(delta / DAY, 5) if self.aligned else delta / pd.Timedelta(milliseconds=1)

    def where(self, variant: Variant, lane: Lane) -> str:
        if not self.aligned:
            return ""
        lo, hi = self.x(variant.earliest, lane), self.x(variant.latest, lane)
        day = math.floor(self.x(variant.mid, lane))
        if hi - lo > IMPRECISE / DAY:
            return f"Day {day} (days {lo:.2f} → {hi:.2f} after day 0 began)"
        return f"Day {day} ({lo:.2f} days after day 0 began)"


def _offsets(n: int) -> list[float]:
    return [(k - (n - 1) / 2) * VARIANT_STEP for k in range(n)]


def _series(lanes: list[Lane], axis: _Axis) -> dict[str, _Series]:
    series: dict[str, _Series] = {}
    for lane in lanes:
        if axis.aligned and lane.origin is None:
            continue
        issues = {m.event_key: m for m in lane.marks
                  if m.event_type == "ultimatum" and m.kind == "date" and not m.is_context}
        for mark in lane.marks:
            group = CONTEXT_TYPE if mark.is_context else mark.event_type
            if group not in EVENT_STYLE:
                group = CONTEXT_TYPE
            s = series.setdefault(group, _Series())
            base = lane.index + BASE_OFFSET.get(group, 0.0)
            offsets = _offsets(len(mark.variants))
            link = []
            for k, variant in enumerate(mark.variants):
                y = round(base + offsets[k], 4)
                text = _hover(mark, variant, axis.where(variant, lane))
                data = [mark.case["case_id"], mark.event_key, mark.event_type, mark.kind, k,
                        ";".join(sorted({str(r.get("source_id")) for r in variant.rows}))]
                x_mid = axis.x(variant.mid, lane)
                link.append((x_mid, y))
                if variant.latest - variant.earliest > IMPRECISE:
                    s.bars_base.append(axis.x(variant.earliest, lane))
                    s.bars_len.append(axis.length(variant.earliest, variant.latest))
                    s.bars_y.append(y)
                    s.bars_text.append(text)
                    s.bars_data.append(data)
                    s.bars_undated.append(variant.precision == "undated")
                if mark.kind == "deadline":
                    s.dl_x.append(x_mid)
                    s.dl_y.append(y)
                    s.dl_text.append(text)
                    s.dl_data.append(data)
                else:
                    s.pts_x.append(x_mid)
                    s.pts_y.append(y)
                    s.pts_text.append(text)
                    s.pts_data.append(data)
                    s.pts_size.append(11 if len(mark.variants) == 1 else 9)
            if len(link) > 1:  # disagreeing versions: one dotted path through them
                s.links_x += [p[0] for p in link] + [None]
                s.links_y += [p[1] for p in link] + [None]
            if mark.kind == "deadline" and mark.event_key in issues:
                issue = issues[mark.event_key]
                s.dl_links_x += [axis.x(issue.best.floor("s"), lane),
                                 axis.x(mark.best.floor("s"), lane), None]
                s.dl_links_y += [base, base, None]
    return series


def _traces(series: dict[str, _Series]) -> list[go.BaseTraceType]:
    traces = []
    for group in EVENT_STYLE:  # fixed order keeps the legend stable across figures
        if group not in series:
            continue
        s, style = series[group], EVENT_STYLE[group]
        common = {"legendgroup": group, "name": style["label"]}
        if s.dl_links_x:
            traces.append(go.Scatter(
                x=s.dl_links_x, y=s.dl_links_y, mode="lines", showlegend=False,
                line={"color": style["color"], "width": 1, "dash": "dash"},
                hoverinfo="skip", meta={"role": "deadline_link", "event_type": group},
                **common))
        if s.links_x:
            traces.append(go.Scatter(
                x=s.links_x, y=s.links_y, mode="lines", showlegend=False,
                line={"color": style["color"], "width": 1.2, "dash": "dot"},
                hoverinfo="skip", meta={"role": "disagreement_link", "event_type": group},
                **common))
        if s.bars_base:
            traces.append(go.Bar(
                base=s.bars_base, x=s.bars_len, y=s.bars_y, orientation="h",
                width=BAR_WIDTH, showlegend=False, hovertext=s.bars_text, hoverinfo="text",
                customdata=s.bars_data,
                # Undated ranges (bounds only, e.g. attack..publication): lighter, hatched.
                marker={"color": style["color"], "line": {"width": 0},
                        "opacity": [0.25 if u else 0.45 for u in s.bars_undated],
                        "pattern": {"shape": ["/" if u else "" for u in s.bars_undated],
                                    "fgcolor": style["color"], "solidity": 0.3}},
                meta={"role": "range", "event_type": group}, **common))
        if s.dl_x:
            traces.append(go.Scatter(
                x=s.dl_x, y=s.dl_y, mode="markers", showlegend=False,
                marker={"symbol": DEADLINE_SYMBOL, "size": 15, "color": style["color"],
                        "line": {"width": 2.5, "color": style["color"]}},
                hovertext=s.dl_text, hoverinfo="text", customdata=s.dl_data,
                meta={"role": "deadline", "event_type": group}, **common))
        if s.pts_x or s.dl_x or s.bars_base:
            is_context = group == CONTEXT_TYPE
            traces.append(go.Scatter(
                x=s.pts_x, y=s.pts_y, mode="markers", showlegend=True,
                marker={"symbol": style["symbol"], "size": s.pts_size, "color": style["color"],
                        "line": {"width": 1.5 if is_context else 0.8,
                                 "color": style["color"] if is_context else "white"}},
                hovertext=s.pts_text, hoverinfo="text", customdata=s.pts_data,
                meta={"role": "marker", "event_type": group}, **common))
    return traces


def _window_trace(lanes: list[Lane], axis: _Axis) -> go.Scatter | None:
    xs, ys = [], []
    for lane in lanes:
        if lane.window is None or (axis.aligned and lane.origin is None):
            continue
        lo, hi = (axis.x(t, lane) for t in lane.window)
        top, bottom = lane.index - 0.42, lane.index + 0.42
        xs += [lo, hi, hi, lo, lo, None]
        ys += [top, top, bottom, bottom, top, None]
    if not xs:
        return None
    return go.Scatter(
        x=xs, y=ys, mode="lines", fill="toself", fillcolor=WINDOW_STYLE["color"],
        line={"width": 0}, name=WINDOW_STYLE["label"], legendgroup="extortion_window",
        hoverinfo="skip", meta={"role": "window"})


def _plot_px(n_lanes: int) -> int:
    return max(MIN_PLOT_PX, LANE_PX * n_lanes + 30)


def _height(n_lanes: int, slider: bool) -> int:
    """Figure height: the lanes, plus title/legend/axis margins, plus the range slider."""
    top = TOP_PX_SLIDER if slider else TOP_PX
    return _plot_px(n_lanes) + top + BOTTOM_PX + (SLIDER_PX + 10 if slider else 0)


def _layout(fig: go.Figure, lanes: list[Lane], title: str, slider: bool) -> None:
    n = len(lanes)
    height = _height(n, slider)
    separators = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                   "y0": i + 0.5, "y1": i + 0.5, "layer": "below",
                   "line": {"color": "#DDDDDD", "width": 1}} for i in range(n - 1)]
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white", height=height, barmode="overlay", bargap=0,
        hovermode="closest", hoverlabel={"align": "left", "font": {"size": 11}},
        legend={"title": {"text": "Event type (click to toggle)"}, "groupclick": "togglegroup",
                "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top",
                "tracegroupgap": 2, "itemsizing": "constant"},
        margin={"l": 10, "r": 10, "t": TOP_PX_SLIDER if slider else TOP_PX, "b": BOTTOM_PX},
        shapes=separators,
        yaxis={"tickmode": "array", "tickvals": list(range(n)),
               "ticktext": [lane.label for lane in lanes], "range": [n - 0.5, -0.5],
               "showgrid": False, "zeroline": False, "automargin": True,
               "title": {"text": ""}},
    )


def _default_label(lane: Lane) -> str:
    label = _esc(lane.case["case_id"])
    if not lane.marks:
        label += "<br><i>(no events)</i>"
    return label


# --- public builders -----------------------------------------------------------------------

def calendar_figure(events: pd.DataFrame, cases: pd.DataFrame, case_ids=None,
                    title: str | None = None) -> go.Figure:
    """Calendar view: one lane per case, events at their calendar dates.

    `case_ids` picks and orders the lanes (default: every case, chronologically). The x axis
    has a range slider and range selector buttons.
    """
    lanes = _lanes(events, cases, case_ids)
    for lane in lanes:
        lane.label = _default_label(lane)
    axis = _Axis(aligned=False)
    fig = go.Figure()
    if (window := _window_trace(lanes, axis)) is not None:
        fig.add_trace(window)
    fig.add_traces(_traces(_series(lanes, axis)))
    _layout(fig, lanes, title or (f"Ransomware attacks on hospitals: calendar "
                                  f"({len(lanes)} case{'s' if len(lanes) != 1 else ''})"),
            slider=True)
    fig.update_xaxes(
        type="date", showgrid=True, gridcolor="#EEEEEE",
        rangeslider={"visible": True,
                     "thickness": round(SLIDER_PX / _plot_px(len(lanes)), 3)},
        rangeselector={"buttons": [
            {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
            {"count": 3, "label": "3m", "step": "month", "stepmode": "backward"},
            {"count": 1, "label": "1y", "step": "year", "stepmode": "backward"},
            {"step": "all", "label": "all"}], "x": 0, "y": 1.0, "yanchor": "bottom"})
    return fig


def _origin(lane: Lane, align_on: str) -> tuple[pd.Timestamp | None, str | None]:
    """Day 0 of a lane, and what it is aligned on when not `align_on` (None if it is)."""
    if align_on == "deadline":
        mark = _first(lane.marks, "ultimatum", "deadline")
    else:
        mark = _first(lane.marks, align_on)
    if mark is not None:
        return mark.best.normalize(), None
    own = [m for m in lane.marks if not m.is_context]
    dated = [m for m in own if m.variants[0].precision != "undated"] or own
    if not dated:
        return None, None
    first = min(dated, key=lambda m: (m.best, m.event_type))
    return first.best.normalize(), first.event_type if first.kind == "date" else "deadline"


def aligned_figure(events: pd.DataFrame, cases: pd.DataFrame, case_ids=None,
                   align_on: str = "attack", title: str | None = None) -> go.Figure:
    """Aligned view: x = days since the calendar day of each case's `align_on` event.

    A case without a dated `align_on` event is aligned on its first event, and its lane
    label says so. `align_on` is an event type other than police_action, or "deadline"
    (the ultimatum's); anything else raises ValueError (UnknownIdError).
    """
    if align_on not in ALIGN_TARGETS:
        raise UnknownIdError("alignment event", align_on, list(ALIGN_TARGETS))
    lanes = _lanes(events, cases, case_ids)
    for lane in lanes:
        lane.origin, fallback = _origin(lane, align_on)
        lane.label = _default_label(lane)
        if lane.origin is None and lane.marks:
            lane.label += "<br><i>(no dated event: not drawn)</i>"
        elif fallback:
            lane.label += f"<br><i>no {_esc(align_on)}: aligned on {_esc(fallback)}</i>"
    axis = _Axis(aligned=True)
    fig = go.Figure()
    if (window := _window_trace(lanes, axis)) is not None:
        fig.add_trace(window)
    fig.add_traces(_traces(_series(lanes, axis)))
    name = align_on.replace("_", " ")
    _layout(fig, lanes, title or (f"Ransomware attacks on hospitals: days since the {name} "
                                  f"({len(lanes)} case{'s' if len(lanes) != 1 else ''})"),
            slider=False)
    x_range = _focus_range(lanes)
    if x_range:
        notes, x_range = _edge_notes(lanes, x_range)
        if notes is not None:
            fig.add_trace(notes)
    fig.update_xaxes(
        title={"text": f"days since the {name} (day 0 = the calendar day of the {name})"},
        zeroline=True, zerolinecolor="#999999", zerolinewidth=1.5, showgrid=True,
        gridcolor="#EEEEEE", tick0=0,
        dtick=_day_ticks(x_range[1] - x_range[0]) if x_range else None,
        range=list(x_range) if x_range else None)
    return fig


def _lane_days(lane: Lane, context: bool) -> list[tuple[float, float, Mark]]:
    if lane.origin is None:
        return []
    return [((v.earliest - lane.origin) / DAY, (v.latest - lane.origin) / DAY, m)
            for m in lane.marks if m.is_context == context for v in m.variants]


CONTEXT_REACH = 30  # days beyond the cases' own events within which context stays in view


def _focus_range(lanes: list[Lane]) -> tuple[float, float] | None:
    """Initial x range of the aligned view: the cases' own events, plus the context events
    near them; context further away would squash the extortion windows (see _edge_notes)."""
    own = [d for lane in lanes for lo, hi, _ in _lane_days(lane, False) for d in (lo, hi)]
    if not own:
        return None
    a, b = min(own), max(own)
    near = [d for lane in lanes for lo, hi, _ in _lane_days(lane, True)
            if lo <= b + CONTEXT_REACH and hi >= a - CONTEXT_REACH for d in (lo, hi)]
    a, b = min([a, *near]), max([b, *near])
    pad = max(1.0, 0.04 * (b - a))
    return (math.floor(a - pad), math.ceil(b + pad))


NOTE_ROOM = 0.12  # share of the x range added on a side that has edge notes


def _edge_notes(lanes: list[Lane], x_range: tuple[float, float]
                ) -> tuple[go.Scatter | None, tuple[float, float]]:
    """Short notes ("◂ day -57") at the lane edges for context events outside the initial
    range, in room added for them; details in their hover. A trace in the context legend
    group, so that the legend entry toggles them with the events. Returns the notes and the
    widened range."""
    outside = {lane.index: [(lo, hi, m) for lo, hi, m in _lane_days(lane, True)
                            if hi < x_range[0] or lo > x_range[1]] for lane in lanes}
    room = NOTE_ROOM * (x_range[1] - x_range[0])
    left_room = any(hi < x_range[0] for v in outside.values() for _, hi, _ in v)
    right_room = any(lo > x_range[1] for v in outside.values() for lo, _, _ in v)
    focus, x_range = x_range, (x_range[0] - room * left_room, x_range[1] + room * right_room)
    xs, ys, texts, hovers, positions = [], [], [], [], []
    for lane in lanes:
        for left in (True, False):
            items = [(lo, m) for lo, hi, m in outside[lane.index] if (lo < focus[0]) == left]
            if not items:
                continue
            days = sorted({math.floor(lo) for lo, _ in items})
            label = f"day {days[0]}" if len(days) == 1 else f"days {days[0]}…{days[-1]}"
            xs.append(x_range[0] if left else x_range[1])
            ys.append(lane.index + BASE_OFFSET[CONTEXT_TYPE])
            texts.append(f"◂ {label}" if left else f"{label} ▸")
            positions.append("middle right" if left else "middle left")
            hovers.append("<br>".join(
                [f"<b>Context outside the initial range</b> · {_esc(lane.case['case_id'])}"
                 " (zoom out or autoscale to see it)"]
                + [f"{_esc(m.event_key)}: day {math.floor(lo)} "
                   f"({_esc(span_label(m.variants[0].earliest, m.variants[0].latest))})"
                   for lo, m in items]))
    if not xs:
        return None, x_range
    style = EVENT_STYLE[CONTEXT_TYPE]
    return go.Scatter(
        x=xs, y=ys, mode="text", text=texts, textposition=positions,
        textfont={"size": 10, "color": style["color"]}, hovertext=hovers, hoverinfo="text",
        legendgroup=CONTEXT_TYPE, name=style["label"], showlegend=False,
        meta={"role": "context_outside", "event_type": CONTEXT_TYPE}), x_range


def _day_ticks(span: float) -> int:
    """Tick step in days: days for short spans, else weeks or multiples of them."""
    return 1 if span <= 14 else 7 if span <= 120 else 28 if span <= 500 else 91
