"""Figures of the reports, drawn from the published tables (never recomputed here).

Four figures, each a function of a dataset (anything with the tables ``events``, ``cases``,
``groups``, ``case_timeline``, ``case_stages`` and ``delays``, as
:func:`helpers.core.frames.load_dataset` gives them):

* :func:`comparison_figure` (the main one): one row per case, aligned on a stage (day 0 =
  the calendar day of that stage's best date), the stages of ``case_stages`` as marks;
* :func:`delay_figure`: each delay of ``delays.csv`` across cases, as a dot (best) and a
  range (min to max), in whole days, sorted, coloured by group;
* :func:`cases_calendar`: many cases on the calendar, one mark per case at its attack, with
  group-level events (police actions, relaunches) as labelled vertical rules;
* :func:`case_calendar`: one case, one row per real-world event, each source's date.

Honest dates, everywhere: a date to the day or finer is a point; a coarser date is a range
with no point; an undated event is never on a time axis, it is listed beside the figure.
Every figure has a title that says what it shows, a key under it, and a source line. Colours
are Okabe-Ito's, distinct for colour-blind readers, and every stage has its own symbol too.
Third-party text (outlets, summaries, quotes) is HTML-escaped before it reaches the figure.
"""
from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core.errors import UnknownIdError
from helpers.core.intervals import DAY_OR_FINER, Interval
from helpers.core.labels import date_label, days_label, is_missing, span_label, volume_label
from helpers.core.vocab import STAGES
from helpers.derive import DELAYS

# Okabe-Ito colours; every style also has its own symbol, so colour is never the only cue.
STYLE: dict[str, dict[str, str]] = {
    "intrusion": {"label": "Intrusion", "color": "#777777", "symbol": "diamond-open"},
    "attack": {"label": "Attack (day 0)", "color": "#000000", "symbol": "diamond"},
    "disclosure": {"label": "Disclosure", "color": "#0072B2", "symbol": "circle"},
    "crisis_plan": {"label": "Crisis plan", "color": "#56B4E9", "symbol": "square"},
    "care_disruption": {"label": "Care disrupted", "color": "#56B4E9", "symbol": "x"},
    "complaint": {"label": "Complaint", "color": "#999999", "symbol": "square-open"},
    "investigation": {"label": "Investigation", "color": "#999999", "symbol": "triangle-up-open"},
    "ransom_demand": {"label": "Ransom demand", "color": "#E69F00", "symbol": "pentagon"},
    "claim": {"label": "Claim", "color": "#D55E00", "symbol": "star"},
    "ultimatum": {"label": "Ultimatum issued", "color": "#E69F00", "symbol": "hourglass"},
    "deadline": {"label": "Ultimatum deadline", "color": "#E69F00", "symbol": "line-ns-open"},
    "leak": {"label": "Leak", "color": "#CC79A7", "symbol": "triangle-down"},
    "first_recovery": {"label": "First systems back", "color": "#009E73",
                       "symbol": "circle-open"},
    "return_to_normal": {"label": "Back to normal", "color": "#009E73", "symbol": "circle"},
    "police_action": {"label": "Police action", "color": "#666666", "symbol": "line-ns"},
    "relaunch": {"label": "Group relaunch", "color": "#666666", "symbol": "line-ns"},
}
GROUP_COLORS = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
GROUP_SYMBOLS = ["circle", "square", "diamond", "triangle-up"]
UNATTRIBUTED = {"name": "group unknown", "color": "#999999", "symbol": "circle-open"}
ROW_PX = 44
DISPUTE_COLOR = "#555555"
FONT = "DejaVu Sans, Arial, sans-serif"
ALIGN_TARGETS: tuple[str, ...] = tuple(STAGES)


# --- the dataset, read once per figure ----------------------------------------------------

@dataclass
class CaseInfo:
    case_id: str
    name: str          # short name
    victim: str
    city: str
    groups: list[str]  # group names
    group_ids: list[str]
    volume: str        # "150 GB" or ""




def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def case_infos(data) -> dict[str, CaseInfo]:
    """Label material of every case: short name, groups by name, largest volume stated."""
    names = dict(zip(data.groups.group_id, data.groups.name))
    volumes: dict[str, tuple[float, float]] = {}
    own = data.case_timeline[~data.case_timeline.is_context.astype(bool)]
    for row in own.dropna(subset=["max_data_volume_gb"]).itertuples():
        low, high = volumes.get(row.case_id, (math.inf, -math.inf))
        volumes[row.case_id] = (min(low, row.min_data_volume_gb), max(high, row.max_data_volume_gb))
    infos = {}
    for row in data.cases.to_dict("records"):
        case_id = str(row["case_id"])
        ids = data.groups_of(case_id)
        name = row.get("short_name")
        infos[case_id] = CaseInfo(
            case_id, str(name if not is_missing(name) else row["city"]), str(row["victim"]),
            str(row["city"]), [names.get(g, g) for g in ids], ids,
            volume_label(*volumes[case_id]) if case_id in volumes else "")
    return infos


def _select(data, case_ids) -> list[str]:
    known = [str(c) for c in data.cases.case_id]
    if case_ids is None:
        return known
    if isinstance(case_ids, str):
        case_ids = [case_ids]
    for case_id in case_ids:
        if case_id not in known:
            raise UnknownIdError("case", case_id, sorted(known))
    return list(dict.fromkeys(case_ids))


def _stages(data, case_ids: list[str]) -> dict[str, dict[str, dict]]:
    stages = data.case_stages
    found: dict[str, dict[str, dict]] = {}
    for row in stages[stages.case_id.isin(list(case_ids))].to_dict("records"):
        found.setdefault(row["case_id"], {})[row["stage"]] = row
    return found


def _chronological(case_ids: list[str], stages: dict[str, dict[str, dict]]) -> list[str]:
    def first(case_id):
        dated = [r["best_datetime"] for r in stages.get(case_id, {}).values()
                 if r["is_dated"]]
        attack = stages.get(case_id, {}).get("attack", {})
        start = attack.get("best_datetime") if attack.get("is_dated") else min(dated,
                                                                               default=None)
        return (start if start is not None else pd.Timestamp.max, case_id)
    return sorted(case_ids, key=first)


def _group_styles(infos: dict[str, CaseInfo], case_ids: list[str]) -> dict[str, dict]:
    """A colour and symbol per group name, the most frequent first; stable across figures
    of one dataset because the order breaks ties by name."""
    counts: dict[str, int] = {}
    for case_id in case_ids:
        for name in infos[case_id].groups or [UNATTRIBUTED["name"]]:
            counts[name] = counts.get(name, 0) + 1
    styles = {}
    ranked = sorted((n for n in counts if n != UNATTRIBUTED["name"]),
                    key=lambda n: (-counts[n], n))
    for k, name in enumerate(ranked):
        styles[name] = {"name": name, "color": GROUP_COLORS[k % len(GROUP_COLORS)],
                        "symbol": GROUP_SYMBOLS[(k // len(GROUP_COLORS)) % len(GROUP_SYMBOLS)]}
    styles[UNATTRIBUTED["name"]] = dict(UNATTRIBUTED)
    return styles


def _group_of(info: CaseInfo) -> str:
    return " & ".join(info.groups) if info.groups else UNATTRIBUTED["name"]


def _row_label(info: CaseInfo, link: str | None = None, extra: str = "") -> str:
    name = f"<b>{_esc(info.name)}</b>"
    if link:
        name = f'<a href="{_esc(link)}">{name}</a>'
    detail = _esc(_group_of(info)) + (f" · {_esc(extra)}" if extra else "")
    return f"{name}<br><span style='font-size:11px;color:#555'>{detail}</span>"


def _source_line(data) -> str:
    version = getattr(data, "version", "")
    return ("Source: Hospital ransomware timelines" + (f" v{version}" if version else "")
            + ", built from news reports and hospitals' statements (data/processed, CC BY 4.0).")


KEY_CHARS = 118     # characters per line of a key: fits a figure about 950 px wide
KEY_LINE_PX = 15


def _wrap_key(lines: list[str]) -> list[str]:
    """Escaped key lines, wrapped; a line may start with a bold lead ("Key")."""
    out = []
    for line in lines:
        lead, marked, rest = line.partition("\x00")
        if not marked:
            lead, rest = "", line
        wrapped = textwrap.wrap(f"{lead} {rest}".strip(), KEY_CHARS) or [""]
        wrapped = [_esc(w) for w in wrapped]
        if lead:
            wrapped[0] = f"<b>{_esc(lead)}</b>" + wrapped[0][len(_esc(lead)):]
        out += wrapped
    return out


def key_line(lead: str, text: str) -> str:
    """A key line with a bold lead word, for :func:`_key_and_source`."""
    return f"{lead}\x00{text}"


def _key_and_source(fig: go.Figure, key_lines: list[str], data, gap_px: int = 42) -> int:
    """The key (what marks mean) and the source line, under the plot, inside the figure so
    that exports keep them. Returns the height they need below the plot, in pixels."""
    lines = _wrap_key(key_lines)
    source = textwrap.wrap(_source_line(data), KEY_CHARS)
    text = "<br>".join(lines + [f"<span style='color:#666'>{_esc(s)}</span>" for s in source])
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-gap_px, align="left", showarrow=False,
                       font={"size": 11, "color": "#333"})
    return gap_px + KEY_LINE_PX * (len(lines) + len(source)) + 12


def _base_layout(fig: go.Figure, title: str, subtitle: str, height: int, top: int,
                 bottom: int, right: int = 20, left: int = 10) -> None:
    fig.update_layout(
        title={"text": f"<b>{_esc(title)}</b><br><span style='font-size:13px;color:#444'>"
                       f"{_esc(subtitle)}</span>", "x": 0, "xanchor": "left", "xref": "container",
               "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 14, "l": 8},
               "font": {"size": 18}},
        template="plotly_white", height=height, font={"family": FONT, "size": 12},
        margin={"l": left, "r": right, "t": top, "b": bottom}, hovermode="closest",
        hoverlabel={"align": "left", "font": {"size": 12}},
    )


# --- per-source versions of a date ----------------------------------------------------------

@dataclass(frozen=True)
class Version(Interval):
    """One date of an event as some sources give it (same bounds), with their rows."""

    rows: list[dict] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(str(r.get("outlet") or r["source_id"]) for r in self.rows))

    def label(self, year: bool = True) -> str:
        return span_label(self.earliest, self.latest, self.precision, year)


def index_events(data, case_ids=None) -> dict[str, dict]:
    """Event rows (with their outlet) by id: of `case_ids` only when given."""
    events = data.events
    if case_ids is not None:
        events = events[events.case_id.isin(list(case_ids))]
    rows = events.to_dict("records")
    if "outlet" not in events:  # the published events name their source; the outlet is apart
        outlets = dict(zip(data.sources.source_id, data.sources.outlet))
        for row in rows:
            row["outlet"] = outlets.get(row["source_id"], row["source_id"])
    return {str(r["event_id"]): r for r in rows}


def versions(timeline_row: dict, events_by_id: dict[str, dict], deadline: bool = False,
             dated_only: bool = True) -> list[Version]:
    """The distinct dates the sources give for one real-world event (or its deadline)."""
    kind = "deadline" if deadline else "date"
    found: dict[tuple, Version] = {}
    for event_id in timeline_row["event_ids"]:
        row = events_by_id.get(event_id)
        date = Interval.from_row(row, kind) if row is not None else None
        if date is None or (dated_only and date.precision == "undated"):
            continue
        found.setdefault((date.earliest, date.latest),
                         Version(date.earliest, date.latest, date.precision)).rows.append(row)
    return sorted(found.values(), key=lambda v: (v.mid, v.latest))


def refined(found: list[Version]) -> list[Version]:
    """The versions that hold no other (a month beside a day in it says nothing more): the
    ones a dispute is about, as in :func:`helpers.derive.combine`."""
    return [v for v in found if not any(v.holds(w) for w in found)]


def _undated_outlets(timeline_row: dict, events_by_id: dict[str, dict]) -> list[str]:
    outlets = []
    for event_id in timeline_row["event_ids"]:
        row = events_by_id.get(event_id, {})
        if row.get("date_precision") == "undated":
            outlets.append(str(row.get("outlet") or row.get("source_id")))
    return list(dict.fromkeys(outlets))


def _wrap(text, width: int = 80, limit: int = 320) -> str:
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return "<br>".join(_esc(line) for line in textwrap.wrap(text, width))


def source_evidence(row: dict, deadline: bool = False) -> str:
    """One source's words for a date: the date as written (in « » only when verbatim), and
    its quote (in quotation marks) or its paraphrase (marked as ours, never in quote marks)."""
    written = row.get("deadline_text" if deadline else "date_text")
    verbatim = bool(row.get("is_date_text_verbatim", True)) or deadline
    parts = [f"<b>{_esc(row.get('outlet') or row.get('source_id'))}</b>"]
    if is_missing(written) or not written:
        parts.append("(gives no date)")
    elif verbatim:
        parts.append(f"« {_esc(written)} »")
    else:
        parts.append(f"{_esc(written)} <i>(our rendering of its date)</i>")
    line = " ".join(parts)
    quote, paraphrase = row.get("quote"), row.get("paraphrase")
    if not is_missing(quote) and quote:
        line += "<br>   “" + _wrap(quote) + "”"
    elif not is_missing(paraphrase) and paraphrase:
        line += "<br>   <i>In our words: " + _wrap(paraphrase) + "</i>"
    return line


# --- the comparison, aligned on a stage -------------------------------------------------------

# Within a case's row: the hospital's side above, the attack and the leak on the line, the
# group's claim and threats below, so that stages of one day do not hide each other.
STAGE_OFFSET = {"disclosure": -0.27, "crisis_plan": -0.27, "care_disruption": -0.27,
                "first_recovery": -0.27, "return_to_normal": -0.27, "intrusion": 0.0,
                "attack": 0.0, "leak": 0.0, "claim": 0.18, "ultimatum": 0.36, "deadline": 0.36}
COMPARISON_ROW_PX = 62
# Beyond this many rows a figure is an overview, not a place to read labels: one plain label
# per row, small rows, and no per-row notes (the hover and the case pages have them). Rich
# labels and notes by the thousand are what makes a page slow to draw.
DENSE_ROWS = 60
DENSE_ROW_PX = 16
# Beyond this many rows, labels are not drawn at all: no one reads a thousand of them, and
# each costs the browser; the hover names each row's case.
LABELLED_ROWS = 300
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"  # further ones are missing from common fonts: "(11)"
MAX_FOOTNOTES = 20


def _day(ts, origin: pd.Timestamp) -> int:
    return int((pd.Timestamp(ts).normalize() - origin) / pd.Timedelta(days=1))


def _stage_hover(info: CaseInfo, stage: str, row: dict, day: int | None, align_on: str,
                 timeline_row: dict | None, events_by_id) -> str:
    lines = [f"<b>{_esc(STYLE[stage]['label'])}</b> · {_esc(info.name)}"]
    label = span_label(row["earliest_datetime"], row["latest_datetime"], row["date_precision"])
    if day is not None:
        lines.append(f"Day {day} after the {_esc(align_on.replace('_', ' '))}: "
                     f"{_esc(date_label(row['best_date']))} (best date)")
    lines.append(f"What the sources allow: {_esc(label)}")
    if row["is_disputed"]:
        lines.append("⚠ The sources disagree on this date")
    if timeline_row is not None:
        lines.append("Sources:")
        deadline = stage == "deadline"
        for version in versions(timeline_row, events_by_id, deadline):
            lines.append(f"· {_esc(version.label())}: " + _esc(", ".join(version.outlets)))
        undated = [] if deadline else _undated_outlets(timeline_row, events_by_id)
        if undated:
            lines.append("· not dated by: " + _esc(", ".join(undated)))
    lines.append(f"<i>{_esc(row['selection_reason'])}</i>")
    return "<br>".join(lines)


def _undated_note(stages: list[str], width: int = 24) -> str:
    """"not dated: claim, leak" in at most two short lines (escaped)."""
    lines = textwrap.wrap("not dated: " + ", ".join(stages), width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …")]
    return "<br>".join(_esc(line) for line in lines)


def _footnote_mark(number: int) -> str:
    return CIRCLED[number - 1] if number <= len(CIRCLED) else f"({number})"


def comparison_figure(data, case_ids=None, align_on: str = "attack", title: str | None = None,
                      case_links: dict[str, str] | None = None) -> go.Figure:
    """Cases side by side, aligned on `align_on` (a stage; day 0 = its best date's day)."""
    if align_on not in ALIGN_TARGETS:
        raise UnknownIdError("alignment stage", align_on, list(ALIGN_TARGETS))
    chosen = _select(data, case_ids)
    stages = _stages(data, chosen)
    order = _chronological(chosen, stages) if case_ids is None else chosen
    infos = case_infos(data)
    wanted = set(chosen)
    timeline = {(r["case_id"], r["event_key"]): r
                for r in data.timeline_records(data.case_timeline[
                    data.case_timeline.case_id.isin(wanted)])}
    events_by_id = index_events(data, chosen)
    marks: dict[str, dict[str, list]] = {}
    ranges: dict[str, dict[str, list]] = {}
    bracket_x, bracket_y, notes = [], [], {"x": [], "y": [], "text": [], "hover": []}
    footnotes: list[str] = []
    labels, undated_notes, not_aligned = [], [], []
    lowest, highest = 0, 0
    for y, case_id in enumerate(order):
        info, case_stages = infos[case_id], stages.get(case_id, {})
        anchor = case_stages.get(align_on, {})
        origin = pd.Timestamp(anchor["best_date"]) if anchor.get("is_dated") else None
        if len(chosen) > DENSE_ROWS:
            labels.append(_esc(info.name))
        else:
            labels.append(_row_label(info, (case_links or {}).get(case_id),
                                     info.volume and f"{info.volume} stolen"))
        if origin is None:
            not_aligned.append(y)
            continue
        undated = []
        for stage, row in case_stages.items():
            if not row["is_reported"]:
                continue
            if not row["is_dated"]:
                undated.append(STYLE[stage]["label"].lower().replace(" (day 0)", ""))
                continue
            tl = timeline.get((case_id, row["event_key"]))
            lo, hi = _day(row["earliest_datetime"], origin), _day(row["latest_datetime"], origin)
            best = _day(row["best_date"], origin)
            lowest, highest = min(lowest, lo), max(highest, hi)
            hover = _stage_hover(info, stage, row, best, align_on, tl, events_by_id)
            sub = y + STAGE_OFFSET.get(stage, 0.0)
            point = row["date_precision"] in DAY_OR_FINER
            if hi > lo or not point:
                # A thin line behind a point; a thick pale bar alone for a coarse date.
                r = ranges.setdefault((stage, point), {"x": [], "y": [], "hover": []})
                r["x"] += [lo - (0 if point else 0.45), hi + (0 if point else 0.45), None]
                r["y"] += [sub, sub, None]
                if not point:  # a range alone carries the hover; behind a mark, the mark does
                    r["hover"] += [hover, hover, None]
            if point:
                m = marks.setdefault(stage, {"x": [], "y": [], "hover": [], "data": []})
                m["x"].append(best)
                m["y"].append(sub)
                m["hover"].append(hover)
                m["data"].append([case_id, stage, row["event_key"], best])
            if row["is_disputed"] and tl is not None:
                every = versions(tl, events_by_id, stage == "deadline")
                days = sorted({_day(v.mid, origin) for v in refined(every)})
                if len(days) < 2:
                    continue
                level = sub - 0.13
                bracket_x += [days[0], days[0], days[-1], days[-1], None]
                bracket_y += [level + 0.06, level, level, level + 0.06, None]
                number = len(footnotes) + 1
                footnotes.append(
                    f"{_footnote_mark(number)} {info.name}, {STYLE[stage]['label'].lower()}: "
                    + "; ".join(f"{', '.join(v.outlets)} {v.label(year=False)}"
                                for v in every))
                notes["x"].append(days[-1])
                notes["y"].append(level)
                notes["text"].append(_footnote_mark(number))
                notes["hover"].append(hover)
        if undated and len(chosen) <= DENSE_ROWS:
            undated_notes.append((y, _undated_note(undated)))
    fig = go.Figure()
    for stage in STAGES:
        for point in (False, True):
            if (stage, point) not in ranges:
                continue
            r = ranges[(stage, point)]
            fig.add_trace(go.Scatter(
                x=r["x"], y=r["y"], mode="lines", hovertext=r["hover"] or None,
                hoverinfo="skip" if point else "text",
                line={"color": STYLE[stage]["color"], "width": 2 if point else 9},
                opacity=0.75 if point else 0.35, legendgroup=stage,
                showlegend=stage not in marks and not point,
                name=STYLE[stage]["label"] + " (range only)",
                meta={"role": "uncertainty" if point else "range", "stage": stage}))
    for stage in STAGES:
        if stage in marks:
            m, style = marks[stage], STYLE[stage]
            fig.add_trace(go.Scatter(
                x=m["x"], y=m["y"], mode="markers", name=style["label"], legendgroup=stage,
                marker={"symbol": style["symbol"], "color": style["color"], "size": 11,
                        "line": {"width": 2 if stage == "deadline" else 1,
                                 "color": style["color"] if stage == "deadline" else "white"}},
                hovertext=m["hover"], hoverinfo="text", customdata=m["data"],
                meta={"role": "stage", "stage": stage}))
    many = len(footnotes) > MAX_FOOTNOTES
    if bracket_x:
        fig.add_trace(go.Scatter(
            x=bracket_x, y=bracket_y, mode="lines", hoverinfo="skip",
            line={"color": DISPUTE_COLOR, "width": 1}, name="Sources disagree",
            legendgroup="dispute", meta={"role": "dispute"}))
        fig.add_trace(go.Scatter(
            x=notes["x"], y=notes["y"], mode="text", text=[] if many else notes["text"],
            textposition="middle right", textfont={"size": 11, "color": DISPUTE_COLOR},
            hovertext=notes["hover"], hoverinfo="text", showlegend=False,
            legendgroup="dispute", meta={"role": "dispute_note", "footnotes": footnotes}))
    n = len(order)
    span = max(highest - lowest, 1)
    pad = max(1.0, span * 0.03)
    x_range = [lowest - pad, highest + pad + (1.5 if bracket_x else 0)]
    if undated_notes:  # one text trace at the right edge (annotations are slow by the hundred)
        fig.add_trace(go.Scatter(
            x=[x_range[1]] * len(undated_notes), y=[y for y, _ in undated_notes],
            text=["  " + t.replace("<br>", "<br>  ") for _, t in undated_notes], mode="text",
            textposition="middle right", textfont={"size": 10, "color": "#555"},
            hoverinfo="skip", showlegend=False, cliponaxis=False,
            meta={"role": "undated_note"}))
    for y in not_aligned:
        fig.add_annotation(x=0.0, xref="paper", y=y, yref="y", xanchor="left",
                           text=f"no dated {_esc(align_on.replace('_', ' '))}: not drawn",
                           showarrow=False, font={"size": 10, "color": "#555"}, xshift=6)
    name = align_on.replace("_", " ")
    title = title or (f"How {n} hospital ransomware attack{'s' if n != 1 else ''} unfolded, "
                      f"counted in days from the {name}")
    subtitle = (f"Day 0 is the day of each case's {name}. Each mark is a stage of the attack "
                "on its best date, as the dataset publishes it.")
    key = [key_line("Key", "a mark: a stage dated to the day or finer; a thin bar behind it: "
                           "the days the sources allow · a pale bar with no mark: a stage dated "
                           "only to a week or a month · within a row, the hospital's side is "
                           "above the line, the group's claim and threats below."),
           key_line("Disagreements", "a bracket spans the days different sources give; its "
                    "number refers to the list below (hover for details). 'not dated' (right "
                    "of a row): reported by a source that gives no date, so not drawn.")]
    if n > DENSE_ROWS:
        key.append(key_line("So many cases", "one row per case, in chronological order"
                            + (" (hover a mark for its case)" if n > LABELLED_ROWS else "")
                            + "; stages reported without a date are not listed here: each "
                            "case's page lists them."))
    if footnotes and not many:
        key += [key_line("Sources disagree", "")] + footnotes
    elif many:
        key.append(key_line("Sources disagree", f"on {len(footnotes)} stages: hover a bracket "
                            "for the outlets and their dates."))
    top = 150
    bottom = _key_and_source(fig, key, data)
    dense = n > DENSE_ROWS
    height = top + bottom + max((DENSE_ROW_PX if dense else COMPARISON_ROW_PX) * n, 160)
    _base_layout(fig, title, subtitle, height, top, bottom,
                 right=150 if undated_notes else 20)
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom",
                              "xanchor": "left", "font": {"size": 11}, "itemsizing": "constant"})
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=labels,
                     range=[n - 0.45, -0.65], showgrid=False, zeroline=False,
                     automargin=not dense, ticklabeloverflow="allow",
                     showticklabels=n <= LABELLED_ROWS)
    if dense:  # measuring a thousand labels for the margin costs more than it gives
        fig.update_layout(margin={"l": _label_margin(labels) if n <= LABELLED_ROWS else 40})
    fig.update_xaxes(title={"text": f"days since the {name} (day 0)"}, range=x_range,
                     zeroline=True, zerolinecolor="#888", zerolinewidth=1.5, gridcolor="#EEE",
                     dtick=_day_ticks(x_range[1] - x_range[0]), tick0=0)
    if n > 1:  # lines between rows: one trace below the marks (shapes are slow by the hundred)
        xs, ys = [], []
        for i in range(n - 1):
            xs += [x_range[0], x_range[1], None]
            ys += [i + 0.5, i + 0.5, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"color": "#E4E4E4", "width": 1},
                                 meta={"role": "separator"}))
        fig.data = (fig.data[-1],) + fig.data[:-1]
    fig.update_layout(meta={"figure": "comparison", "align_on": align_on, "cases": order})
    return fig


def _label_margin(labels: list[str], px_per_char: float = 7.0) -> int:
    """A left margin wide enough for plain labels, without measuring each in the browser."""
    import re

    longest = max((len(html.unescape(re.sub(r"<[^>]+>", "", label))) for label in labels),
                  default=10)
    return int(min(320, 20 + px_per_char * longest))


def _day_ticks(span: float) -> int:
    return 1 if span <= 14 else 7 if span <= 120 else 28 if span <= 500 else 91


# --- delays across cases ------------------------------------------------------------------

DELAY_TITLES = {name: f"{a.replace('_', ' ')} → {b.replace('_', ' ')}" for name, a, b in DELAYS}


def delay_figure(data, case_ids=None, delays: tuple[str, ...] | None = None,
                 title: str | None = None) -> go.Figure:
    """Each delay across cases: a dot at the best value and a bar over the range the sources
    allow, in whole days; sorted within each delay; colour and symbol = the group."""
    chosen = set(_select(data, case_ids))
    table = data.delays[data.delays.case_id.isin(chosen)]
    measured = table.dropna(subset=["best_days"])
    wanted = [d for d, _, _ in DELAYS if (delays is None or d in delays)
              and d in set(measured.delay)]
    infos = case_infos(data)
    styles = _group_styles(infos, sorted(chosen))
    counts = [int((measured.delay == d).sum()) for d in wanted]
    rows_px = [(4 if c > DENSE_ROWS else 22) * c + 58 for c in counts]
    plot_px = max(sum(rows_px), 120)
    fig = make_subplots(rows=max(len(wanted), 1), cols=1, shared_xaxes=False,
                        row_heights=[r / plot_px for r in rows_px] or [1],
                        vertical_spacing=min(40 / plot_px, 0.2) if len(wanted) > 1 else 0.0,
                        subplot_titles=[f"<b>{_esc(DELAY_TITLES[d])}</b> · {c} "
                                        f"case{'s' if c != 1 else ''}"
                                        for d, c in zip(wanted, counts)] or None)
    for annotation in fig.layout.annotations:  # subplot titles, left-aligned
        annotation.update(x=0, xanchor="left", font={"size": 13})
    shown: set[str] = set()
    lowest, highest = 0, 1
    batch, batch_rows = [], []  # added at once: one add_trace per trace costs a copy of all
    for index, name in enumerate(wanted, start=1):
        rows = measured[measured.delay == name].sort_values(["best_days", "case_id"])
        dense = len(rows) > DENSE_ROWS  # a distribution: no label or number per case
        labels = []
        # One trace per group and role within the delay: traces cost more than points.
        by_group: dict[str, dict[str, list]] = {}
        texts = {"x": [], "y": [], "text": []}
        for y, row in enumerate(rows.itertuples()):
            info = infos[row.case_id]
            group = _group_of(info)
            lo, hi, best = int(row.min_days), int(row.max_days), int(row.best_days)
            lowest, highest = min(lowest, lo), max(highest, hi)
            labels.append(_esc(info.name))
            flag = "" if is_missing(row.flag) else f"<br>⚠ {_esc(row.flag_reason)}"
            g = by_group.setdefault(group, {"x": [], "y": [], "hover": [], "data": [],
                                            "range_x": [], "range_y": [],
                                            "style": styles.get(info.groups[0] if info.groups
                                                                else UNATTRIBUTED["name"])})
            g["x"].append(best)
            g["y"].append(y)
            g["hover"].append(f"<b>{_esc(info.name)}</b> ({_esc(group)})<br>"
                              f"{_esc(DELAY_TITLES[name])}: <b>{_esc(days_label(lo, hi, best))}"
                              f"</b><br>sources: {row.n_sources_from} for the start, "
                              f"{row.n_sources_to} for the end{flag}")
            g["data"].append([row.case_id, name, best, lo, hi])
            if hi > lo:
                g["range_x"] += [lo, hi, None]
                g["range_y"] += [y, y, None]
            texts["x"].append(hi)
            texts["y"].append(y)
            texts["text"].append(" " + days_label(lo, hi, best, unit=False)
                                 + ("  ⚠" if flag else ""))
        for group, g in by_group.items():
            style = g["style"]
            if g["range_x"]:
                batch.append(go.Scatter(
                    x=g["range_x"], y=g["range_y"], mode="lines",
                    line={"color": style["color"], "width": 4}, opacity=0.45,
                    hoverinfo="skip", showlegend=False, legendgroup=group,
                    meta={"role": "delay_range", "delay": name}))
                batch_rows.append(index)
            batch.append(go.Scatter(
                x=g["x"], y=g["y"], mode="markers",
                marker={"color": style["color"], "symbol": style["symbol"], "size": 10,
                        "line": {"width": 1, "color": style["color"]
                                 if style["symbol"].endswith("open") else "white"}},
                name=_esc(group), legendgroup=group, showlegend=group not in shown,
                hovertext=g["hover"], hoverinfo="text", customdata=g["data"],
                meta={"role": "delay", "delay": name}))
            batch_rows.append(index)
            shown.add(group)
        if not dense:
            batch.append(go.Scatter(
                x=texts["x"], y=texts["y"], mode="text", text=texts["text"],
                textposition="middle right", textfont={"size": 10, "color": "#333"},
                hoverinfo="skip", showlegend=False, cliponaxis=False,
                meta={"role": "delay_label", "delay": name}))
            batch_rows.append(index)
        fig.update_yaxes(tickmode="array", tickvals=list(range(len(labels))),
                         ticktext=labels, showticklabels=not dense,
                         range=[len(labels) - 0.4, -0.6], automargin=True, row=index, col=1,
                         showgrid=False, ticklabeloverflow="allow")
    if batch:
        fig.add_traces(batch, rows=batch_rows, cols=[1] * len(batch))
    title = title or "How many days between the stages of each attack"
    subtitle = ("Dot and number: the best estimate; bar: the range the sources allow. Whole "
                "calendar days; only cases where a source dates both ends.")
    key = [key_line("Key", "dot and number: days from one stage's best date to the other's · "
                    "bar and “15–17”: every value the sources allow · colour and symbol: the "
                    "group · ⚠: a flagged delay (negative or imprecise), its reason in the hover.")]
    top = 150
    bottom = _key_and_source(fig, key, data)
    _base_layout(fig, title, subtitle, top + bottom + plot_px, top, bottom)
    fig.update_xaxes(range=[lowest - 1, highest + 4], gridcolor="#EEE", zeroline=True,
                     zerolinecolor="#888", showticklabels=True, dtick=_day_ticks(highest - lowest),
                     tick0=0)
    fig.update_xaxes(title={"text": "days"}, row=max(len(wanted), 1), col=1)
    fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left",
                              "y": 1 + 34 / plot_px, "yanchor": "bottom",
                              "title": {"text": "Group: "}},
                      meta={"figure": "delays", "delays": wanted})
    if not wanted:
        fig.add_annotation(text="No delay is measured for these cases: no source dates both "
                                "ends of any delay.", xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False)
    return fig


# --- calendars ----------------------------------------------------------------------------

CONTEXT_MERGE_DAYS = 7


def _context_marks(data, group_ids: set[str]) -> list[dict]:
    """Group-level events of `group_ids` (police actions, relaunches), one per group and event
    key, those of one group within a week merged into one mark: {x, label, hover}."""
    names = dict(zip(data.groups.group_id, data.groups.name))
    rows = data.case_timeline[data.case_timeline.is_context.astype(bool)
                              & data.case_timeline.group_id.isin(group_ids)]
    rows = rows.dropna(subset=["best_date"]).drop_duplicates(["group_id", "event_key"])
    merged: list[dict] = []
    for row in rows.sort_values(["group_id", "best_datetime"]).to_dict("records"):
        when = pd.Timestamp(row["best_date"])
        last = merged[-1] if merged else None
        what = (f"{STYLE.get(row['event_type'], STYLE['police_action'])['label']}: "
                f"{str(row['event_key']).replace('-', ' ')}")
        if last and last["group_id"] == row["group_id"] \
                and (when - last["last"]).days <= CONTEXT_MERGE_DAYS:
            last["last"] = when
            last["items"].append((what, when))
            continue
        merged.append({"group_id": row["group_id"], "first": when, "last": when,
                       "items": [(what, when)], "group": names.get(row["group_id"],
                                                                   row["group_id"])})
    for mark in merged:
        first, last = mark["first"], mark["last"]
        dates = date_label(first) if first == last else \
            span_label(first, last + pd.Timedelta(days=1) - pd.Timedelta(seconds=1))
        what = " + ".join(dict.fromkeys(w.split(": ", 1)[1] for w, _ in mark["items"]))
        mark["x"] = first
        mark["label"] = f"{what} ({mark['group']}), {dates}"
        mark["hover"] = "<br>".join(f"{_esc(w)} ({_esc(mark['group'])}): {_esc(date_label(d))}"
                                    for w, d in mark["items"])
    return sorted(merged, key=lambda m: m["x"])


def cases_calendar(data, case_ids=None, title: str | None = None,
                   case_links: dict[str, str] | None = None) -> go.Figure:
    """Many cases on the calendar: one mark per case at its attack, coloured by group; police
    actions and relaunches of their groups as labelled vertical rules."""
    chosen = _select(data, case_ids)
    stages = _stages(data, chosen)
    order = _chronological(chosen, stages)
    infos = case_infos(data)
    styles = _group_styles(infos, chosen)
    by_group: dict[str, dict[str, list]] = {}
    labels, undated = [], []
    for y, case_id in enumerate(order):
        info = infos[case_id]
        name = f"<b>{_esc(info.name)}</b>" if len(order) <= DENSE_ROWS else _esc(info.name)
        link = (case_links or {}).get(case_id)
        labels.append(f'<a href="{_esc(link)}">{name}</a>' if link else name)
        attack = stages.get(case_id, {}).get("attack")
        if attack is None or not attack["is_dated"]:
            undated.append(info.name)
            continue
        group = _group_of(info)
        style = styles[info.groups[0] if info.groups else UNATTRIBUTED["name"]]
        g = by_group.setdefault(group, {"x": [], "y": [], "hover": [], "data": [],
                                        "style": style, "bars": []})
        label = span_label(attack["earliest_datetime"], attack["latest_datetime"],
                           attack["date_precision"])
        hover = (f"<b>{_esc(info.name)}</b><br>{_esc(info.victim)}<br>"
                 f"Attack: {_esc(label)}<br>Group: {_esc(group)}"
                 + (f"<br>Data stolen: {_esc(info.volume)}" if info.volume else ""))
        if attack["date_precision"] in DAY_OR_FINER:
            g["x"].append(pd.Timestamp(attack["best_date"]))
            g["y"].append(y)
            g["hover"].append(hover)
            g["data"].append([case_id])
        else:
            g["bars"].append((attack["earliest_datetime"], attack["latest_datetime"], y, hover))
    fig = go.Figure()
    for group, g in sorted(by_group.items(), key=lambda item: (item[0] == UNATTRIBUTED["name"],
                                                               item[0])):
        style = g["style"]
        fig.add_trace(go.Scatter(
            x=g["x"], y=g["y"], mode="markers", name=_esc(group), legendgroup=group,
            marker={"color": style["color"], "symbol": style["symbol"], "size": 11,
                    "line": {"width": 1.5 if style["symbol"].endswith("open") else 1,
                             "color": style["color"] if style["symbol"].endswith("open")
                             else "white"}},
            hovertext=g["hover"], hoverinfo="text", customdata=g["data"],
            meta={"role": "case_attack"}))
        if g["bars"]:
            xs, ys, hv = [], [], []
            for lo, hi, y, hover in g["bars"]:
                xs += [lo, hi, None]
                ys += [y, y, None]
                hv += [hover, hover, None]
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", line={"color": style["color"], "width": 8},
                opacity=0.35, hovertext=hv, hoverinfo="text", showlegend=False,
                legendgroup=group, meta={"role": "case_attack_range"}))
    group_ids = {g for case_id in chosen for g in infos[case_id].group_ids}
    context = _context_marks(data, group_ids)
    for k, mark in enumerate(context):
        fig.add_shape(type="line", x0=mark["x"], x1=mark["x"], xref="x", y0=0, y1=1,
                      yref="paper", line={"color": "#666", "width": 1, "dash": "dash"},
                      layer="below")
        fig.add_annotation(x=mark["x"], y=1.0, yref="paper", yanchor="bottom", xanchor="center",
                           text=_esc(mark["label"]), hovertext=mark["hover"], showarrow=False,
                           font={"size": 10, "color": "#333"}, bgcolor="rgba(255,255,255,0.8)",
                           yshift=4 + 16 * (k % 3))
    years = sorted({pd.Timestamp(x).year for g in by_group.values() for x in g["x"]}
                   | {pd.Timestamp(b[0]).year for g in by_group.values() for b in g["bars"]})
    buttons = [{"label": "all years", "method": "relayout", "args": [{"xaxis.autorange": True}]}]
    buttons += [{"label": str(y), "method": "relayout",
                 "args": [{"xaxis.range": [f"{y - 1}-12-15", f"{y + 1}-01-15"]}]}
                for y in years]
    n = len(order)
    title = title or f"When the {n} attacks happened"
    subtitle = ("One mark per case, on the day of its attack. Dashed lines: police actions "
                "against the groups involved, and their relaunches.")
    key = [key_line("Key", "mark: the day of the attack (colour and symbol: the group) · pale "
                    "bar: an attack dated only to a month · dashed line: a police action or a "
                    "relaunch of a group (label above; hover it for details) · buttons: zoom "
                    "on a year that has cases.")]
    if undated:
        key.append(key_line("Attack not dated, not drawn:", ", ".join(undated)))
    top = 150 + 16 * min(len(context), 3)
    bottom = _key_and_source(fig, key, data)
    row_px = DENSE_ROW_PX if n > DENSE_ROWS else 28
    _base_layout(fig, title, subtitle, top + bottom + max(row_px * n, 160), top, bottom,
                 right=150)
    dense = n > DENSE_ROWS
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=labels,
                     range=[n - 0.5, -0.5], automargin=not dense, gridcolor="#F3F3F3",
                     ticklabeloverflow="allow", showticklabels=n <= LABELLED_ROWS)
    if dense:
        fig.update_layout(margin={"l": _label_margin(labels) if n <= LABELLED_ROWS else 40})
    fig.update_xaxes(type="date", gridcolor="#EEE")
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1.0, "yanchor": "top",
                "title": {"text": "Group"}},
        updatemenus=[{"type": "buttons", "direction": "right", "x": 0, "xanchor": "left",
                      "y": 1.0, "yanchor": "bottom", "pad": {"b": 16 * min(len(context), 3) + 26},
                      "buttons": buttons, "showactive": True, "font": {"size": 11}}]
        if len(years) > 1 else [],
        meta={"figure": "cases_calendar", "cases": order, "years": years,
              "context": [m["label"] for m in context]})
    return fig


def _event_name(row: dict) -> str:
    """"Claim", or "Disclosure: press revelation" when the key says more than the type."""
    name = _type_label(str(row["event_type"]))
    key = str(row["event_key"]).replace("-", " ")
    return name if key == str(row["event_type"]).replace("_", " ") else f"{name}: {key}"


def _type_label(event_type: str) -> str:
    return {"attack": "Attack", "deadline": "Deadline of the ultimatum"}.get(
        event_type, STYLE.get(event_type, STYLE["police_action"])["label"])


def case_calendar(data, case_id: str, title: str | None = None) -> go.Figure:
    """One case on the calendar: a row per real-world event, each source's date on it; the
    axis spans the case's own dated events; group-level events outside it are noted under
    the figure, not drawn to scale; undated events are listed there too."""
    case_id = _select(data, [case_id])[0]
    info = case_infos(data)[case_id]
    events_by_id = index_events(data, [case_id])
    timeline = data.case_timeline[data.case_timeline.case_id == case_id]
    own = data.timeline_records(timeline[~timeline.is_context.astype(bool)])
    dated = sorted((r for r in own if not is_missing(r["best_datetime"])),
                   key=lambda r: (r["best_datetime"], r["event_key"]))
    undated = [r for r in own if is_missing(r["best_datetime"])]
    fig = go.Figure()
    marks: dict[str, dict[str, list]] = {}
    bars: dict[str, dict[str, list]] = {}
    best = {"x": [], "y": [], "hover": [], "data": []}
    labels = []
    lowest = highest = None
    for row in dated:
        entries = [("date", row)]
        if not is_missing(row.get("deadline_best_datetime")):
            entries.append(("deadline", row))
        for kind, r in entries:
            y = len(labels)
            deadline = kind == "deadline"
            stage = "deadline" if deadline else str(r["event_type"])
            label = _type_label(stage) if deadline else _event_name(r)
            labels.append(_esc(label))
            vs = versions(r, events_by_id, deadline)
            best_x = pd.Timestamp(r["deadline_best_datetime" if deadline else "best_datetime"])
            for k, v in enumerate(vs):
                lowest = v.earliest if lowest is None else min(lowest, v.earliest)
                highest = v.latest if highest is None else max(highest, v.latest)
                hover = (f"<b>{_esc(label)}</b> · {_esc(info.name)}<br>"
                         f"<b>{_esc(v.label())}</b> ({_esc(v.precision.replace('_', ' '))}), "
                         f"from {len(v.outlets)} source{'s' if len(v.outlets) > 1 else ''}:"
                         "<br>" + "<br>".join(source_evidence(s, deadline) for s in v.rows))
                offset = 0.0 if len(vs) == 1 else 0.2 * (k - (len(vs) - 1) / 2)
                target = marks if v.is_point else bars
                t = target.setdefault(stage, {"x": [], "x1": [], "y": [], "hover": [],
                                              "data": []})
                t["x"].append(v.mid if v.is_point else v.earliest)
                t["x1"].append(v.latest)
                t["y"].append(y + offset)
                t["hover"].append(hover)
                t["data"].append([case_id, str(r["event_key"]), kind, ";".join(v.outlets)])
            disputed = bool(r["is_deadline_disputed" if deadline else "is_disputed"])
            best["x"].append(best_x)
            best["y"].append(y)
            best["hover"].append(f"<b>{_esc(label)}</b>: the dataset's best date is "
                                 f"{_esc(date_label(best_x))}"
                                 + (" (the sources disagree)" if disputed else ""))
            best["data"].append([case_id, str(r["event_key"]), kind, str(best_x)])
    for stage, t in bars.items():
        style = STYLE.get(stage, STYLE["police_action"])
        xs, ys, hv = [], [], []
        for x0, x1, yy, h in zip(t["x"], t["x1"], t["y"], t["hover"]):
            xs += [x0, x1, None]
            ys += [yy, yy, None]
            hv += [h, h, None]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", line={"color": style["color"], "width": 9}, opacity=0.35,
            hovertext=hv, hoverinfo="text", showlegend=False,
            meta={"role": "range", "event_type": stage}))
    for stage, t in marks.items():
        style = STYLE.get(stage, STYLE["police_action"])
        fig.add_trace(go.Scatter(
            x=t["x"], y=t["y"], mode="markers", showlegend=False,
            marker={"symbol": style["symbol"], "color": style["color"], "size": 12,
                    "line": {"width": 2 if stage == "deadline" else 1,
                             "color": style["color"] if stage == "deadline" else "white"}},
            hovertext=t["hover"], hoverinfo="text", customdata=t["data"],
            meta={"role": "source_date", "event_type": stage}))
    if best["x"]:
        fig.add_trace(go.Scatter(
            x=best["x"], y=best["y"], mode="markers", showlegend=False,
            marker={"symbol": "line-ns-open", "size": 26, "color": "rgba(0,0,0,0.45)",
                    "line": {"width": 1.2, "color": "rgba(0,0,0,0.45)"}},
            hovertext=best["hover"], hoverinfo="text", customdata=best["data"],
            meta={"role": "best_date"}))
    # The axis spans the case's own events; group-level events inside that window are drawn
    # as rules, the others only noted.
    outside = []
    if lowest is not None:
        pad = max(pd.Timedelta(days=1), (highest - lowest) * 0.05)
        x0, x1 = lowest - pad, highest + pad
        for mark in _context_marks(data, set(info.group_ids)):
            if x0 <= mark["x"] <= x1:
                fig.add_shape(type="line", x0=mark["x"], x1=mark["x"], y0=0, y1=1, yref="paper",
                              line={"color": "#666", "width": 1, "dash": "dash"}, layer="below")
                right_half = mark["x"] > x0 + (x1 - x0) / 2
                fig.add_annotation(x=mark["x"], y=1, yref="paper", yanchor="bottom",
                                   xanchor="right" if right_half else "left",
                                   text=_esc(mark["label"]), hovertext=mark["hover"],
                                   showarrow=False, font={"size": 10, "color": "#333"})
            else:
                outside.append(("◂ " if mark["x"] < x0 else "▸ ") + mark["label"])
        fig.update_xaxes(range=[x0, x1])
    key = [key_line("Key", "each row is one real-world event; a mark is a source's date, to the "
                    "day or finer (sources that differ are stacked) · pale bar, no mark: a date "
                    "given only as a week or a month · grey tick: the best date the dataset "
                    "publishes · hover a mark for the source's words.")]
    if outside:
        key.append(key_line("Outside this window, not drawn to scale:", "; ".join(outside)))
    if undated:
        key.append(key_line("Reported, not dated (not on the axis):", "; ".join(
            f"{_event_name(r).lower()} ({', '.join(_undated_outlets(r, events_by_id))})"
            for r in undated)))
    n = max(len(labels), 1)
    top = 120
    bottom = _key_and_source(fig, key, data)
    title = title or f"{info.name}: each event as the sources date it"
    subtitle = f"{info.victim} · {_group_of(info)}"
    _base_layout(fig, title, subtitle, top + bottom + max(36 * n, 140), top, bottom)
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(labels))), ticktext=labels,
                     range=[n - 0.5, -0.5], automargin=True, gridcolor="#F3F3F3")
    fig.update_xaxes(type="date", gridcolor="#EEE")
    fig.update_layout(showlegend=False,
                      meta={"figure": "case_calendar", "case_id": case_id, "outside": outside,
                            "undated": [str(r["event_key"]) for r in undated]})
    return fig
