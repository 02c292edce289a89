"""Tables for people: the published numbers with human labels, dates as "9 Oct 2022", days
as whole numbers with ranges, "not reported" instead of empty cells, words instead of
True/False, and no cell cut short.

Every function reads the published tables (``case_stages``, ``delays``, ``case_timeline``,
``events``...) and formats them; none recomputes a best date, a stage or a delay. Each
returns a :class:`pandas.DataFrame` of strings with human column names; :func:`show` turns
one into HTML (escaped, wrapped, never truncated) for notebooks and reports.
"""
from __future__ import annotations

import html

import pandas as pd

from helpers.core.labels import (
    NOT_REPORTED,
    date_label,
    days_label,
    is_missing,
    span_label,
    words,
    yes_no,
)
from helpers.core.vocab import STAGES
from helpers.derive import DELAYS
from helpers.present.figures import STYLE, case_infos, index_events, refined, versions
from helpers.present.notebook_params import HTML

CSS = """
<style>
table.hrt-table { border-collapse: collapse; font: 13px/1.45 'DejaVu Sans', Arial, sans-serif;
  margin: 0.4em 0 1.2em; max-width: 100%; }
table.hrt-table th { text-align: left; background: #f3f3f3; border-bottom: 2px solid #ccc;
  padding: 0.35em 0.6em; vertical-align: bottom; }
table.hrt-table td { border-bottom: 1px solid #e4e4e4; padding: 0.3em 0.6em;
  vertical-align: top; white-space: normal; overflow-wrap: anywhere; max-width: 40em; }
table.hrt-table td.num { text-align: right; white-space: nowrap; }
table.hrt-table caption { caption-side: top; text-align: left; color: #555;
  padding-bottom: 0.3em; }
table.hrt-table .muted { color: #888; }
</style>
""".strip()

MUTED = {NOT_REPORTED, "not dated", "not measured", "none", "—", ""}


def show(frame: pd.DataFrame, caption: str | None = None, numeric: tuple[str, ...] = (),
         html_columns: tuple[str, ...] = ()) -> HTML:
    """A table as escaped HTML; `html_columns` hold trusted HTML built here (links)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record):
            text = "" if is_missing(value) else str(value)
            shown = text if column in html_columns else html.escape(text)
            classes = ["num"] if column in numeric else []
            if text in MUTED:
                classes.append("muted")
            cls = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{cls}>{shown}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return HTML(f'{CSS}<table class="hrt-table">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")


def link(href: str | None, text: str) -> str:
    """Trusted HTML for a link (both parts escaped); the text alone without `href`."""
    if not href:
        return html.escape(text)
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


# --- stages -----------------------------------------------------------------------------------

def stage_date(row: dict, with_range: bool = True) -> str:
    """A stage as a reader wants it: "9 Oct 2022", "Jul 2023 (month only)", "18 Oct 2022
    (sources: 18–20 Oct 2022)", "not dated", "not reported"."""
    if not row.get("is_reported"):
        return NOT_REPORTED
    if not row.get("is_dated"):
        return "not dated"
    precision = row.get("date_precision")
    allowed = span_label(row["earliest_datetime"], row["latest_datetime"], precision)
    if precision in ("week", "month", "year"):
        return f"{allowed} ({precision} only)"
    best = date_label(row["best_date"])
    if with_range and allowed != best and not allowed.startswith(best):
        note = "sources disagree" if row.get("is_disputed") else "sources allow"
        return f"{best} ({note}: {allowed})"
    return best


def _stage_rows(data, case_id: str) -> dict[str, dict]:
    rows = data.case_stages[data.case_stages.case_id == case_id]
    return {r["stage"]: r for r in rows.to_dict("records")}


def stage_table(data, case_id: str) -> pd.DataFrame:
    """The stages of one case: date, day since the attack, sources, and why this event."""
    rows = []
    for stage, row in _stage_rows(data, case_id).items():
        day = row.get("days_since_attack")
        rows.append({
            "Stage": STYLE[stage]["label"].replace(" (day 0)", ""),
            "Date": stage_date(row),
            "Day": "" if is_missing(day) else f"day {int(day)}",
            "Sources": "" if not row["is_reported"] else
            f"{int(row['n_dated_sources'])} of {int(row['n_sources'])} date it",
            "Why this event": words(row["selection_reason"]) if row["is_reported"] else "",
        })
    return pd.DataFrame(rows, columns=["Stage", "Date", "Day", "Sources", "Why this event"])


# --- key facts --------------------------------------------------------------------------------

def _stages_by_case(data) -> dict[str, dict[str, dict]]:
    found: dict[str, dict[str, dict]] = {}
    for row in data.case_stages.to_dict("records"):
        found.setdefault(row["case_id"], {})[row["stage"]] = row
    return found


def _ransoms(data) -> dict[str, str]:
    """Per case, the amounts the sources state, demand by demand in date order ("$10 million
    or €10 million (sources differ); $1 million"), or that a ransom was demanded."""
    demands = data.events[data.events.event_type == "ransom_demand"].sort_values(
        ["earliest_datetime", "event_id"])
    amounts: dict[str, dict[str, list[str]]] = {}
    for case_id, key, amount, currency in zip(demands.case_id, demands.event_key,
                                              demands.ransom_amount, demands.ransom_currency):
        stated = amounts.setdefault(case_id, {}).setdefault(key, [])
        if not is_missing(amount):
            stated.append(_money(amount, currency))
    found = {}
    for case_id, keys in amounts.items():
        parts = []
        for stated in keys.values():
            unique = list(dict.fromkeys(stated))
            if unique:
                parts.append(" or ".join(unique) + (" (sources differ)" if len(unique) > 1
                                                    else ""))
        found[case_id] = "; ".join(parts) if parts else "demanded, amount not stated"
    return found


def _money(amount, currency) -> str:
    amount = float(amount)
    text = (f"{amount / 1_000_000:g} million" if amount >= 1_000_000
            else f"{amount:,.0f}".replace(",", " "))
    symbol = {"EUR": "€", "USD": "$"}.get(str(currency))
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def key_facts(data, case_ids=None, case_links: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per case: hospital, city, group, attack, claim, leak, data, ransom, sources."""
    infos = case_infos(data)
    chosen = list(data.cases.case_id) if case_ids is None else list(case_ids)
    n_sources = dict(zip(data.cases.case_id, data.cases.n_sources))
    by_case, ransoms = _stages_by_case(data), _ransoms(data)
    rows = []
    for case_id in chosen:
        info, stages = infos[case_id], by_case[case_id]
        rows.append({
            "Hospital": link((case_links or {}).get(case_id), info.name),
            "Victim": info.victim,
            "City": info.city,
            "Group": ", ".join(info.groups) or "unknown",
            "Attack": stage_date(stages["attack"], with_range=False),
            "Claim": stage_date(stages["claim"], with_range=False),
            "Leak": stage_date(stages["leak"], with_range=False),
            "Data stolen": info.volume or NOT_REPORTED,
            "Ransom": ransoms.get(case_id, NOT_REPORTED),
            "Sources": str(int(n_sources[case_id])),
        })
    return pd.DataFrame(rows)


# --- delays -----------------------------------------------------------------------------------

DELAY_NAMES = {name: f"{words(a)} → {words(b)}" for name, a, b in DELAYS}


def delay_table(data, case_ids=None, measured_only: bool = False) -> pd.DataFrame:
    """Delays as published: whole days with ranges, and the reason where a delay is empty
    or flagged."""
    infos = case_infos(data)
    table = data.delays
    if case_ids is not None:
        table = table[table.case_id.isin(list(case_ids))]
    if measured_only:
        table = table.dropna(subset=["best_days"])
    rows = []
    for row in table.to_dict("records"):
        rows.append({
            "Case": infos[row["case_id"]].name,
            "Delay": DELAY_NAMES[row["delay"]],
            "Days": days_label(row["min_days"], row["max_days"], row["best_days"]),
            "Note": "" if is_missing(row["flag_reason"]) else row["flag_reason"],
            "Sources (start / end)": f"{int(row['n_sources_from'])} / "
                                     f"{int(row['n_sources_to'])}",
        })
    return pd.DataFrame(rows, columns=["Case", "Delay", "Days", "Note",
                                       "Sources (start / end)"])


def delay_matrix(data, case_ids=None) -> pd.DataFrame:
    """Cases × main delays, in days ("15–17 (best 16)"), "not measured" where empty."""
    infos = case_infos(data)
    chosen = list(data.cases.case_id) if case_ids is None else list(case_ids)
    table = data.delays.set_index(["case_id", "delay"])
    main = ("attack_to_disclosure", "attack_to_claim", "claim_to_leak", "attack_to_leak")
    rows = []
    for case_id in chosen:
        row = {"Case": infos[case_id].name}
        for name in main:
            d = table.loc[(case_id, name)]
            row[DELAY_NAMES[name]] = days_label(d["min_days"], d["max_days"], d["best_days"])
        rows.append(row)
    return pd.DataFrame(rows)


# --- each source's dates ----------------------------------------------------------------------

def source_dates(data, case_id: str, disputed_only: bool = False,
                 source_links: dict[str, str] | None = None) -> pd.DataFrame:
    """Each source's date of each real-world event of the case, in date order: the date as
    written (in « » only when the source's own words), how it reads, and who says so."""
    events_by_id = index_events(data)
    timeline = data.case_timeline[(data.case_timeline.case_id == case_id)
                                  & ~data.case_timeline.is_context.astype(bool)]
    if disputed_only:
        timeline = timeline[timeline.is_disputed.astype(bool)]
    rows = []
    ordered = timeline.sort_values(["best_datetime", "event_key"], na_position="last")
    for line in data.timeline_records(ordered):
        event = STYLE.get(line["event_type"], STYLE["police_action"])["label"]
        key = words(line["event_key"]).replace("-", " ")
        name = event if key == words(line["event_type"]) else f"{event}: {key}"
        for event_id in line["event_ids"]:
            row = events_by_id.get(event_id)
            if row is None:
                continue
            written = row.get("date_text")
            if is_missing(written) or not written:
                as_written = "(no date given)"
            elif row.get("is_date_text_verbatim") is False:
                as_written = f"{written} (our English rendering)"
            else:
                as_written = f"« {written} »"
            precision = str(row.get("date_precision") or "")
            reads = span_label(row["earliest_datetime"], row["latest_datetime"], precision)
            outlet = str(row.get("outlet") or row["source_id"])
            rows.append({
                "Event": name,
                "Source": link((source_links or {}).get(row["source_id"]), outlet),
                "Date as written": as_written,
                "Read as": reads,
                "Who says so": words(row.get("status")),
                "Sources agree": "no" if bool(line["is_disputed"]) else "yes",
            })
    return pd.DataFrame(rows, columns=["Event", "Source", "Date as written", "Read as",
                                       "Who says so", "Sources agree"])


def disagreements(data, case_id: str) -> pd.DataFrame:
    """The case's events on which dated sources disagree: each version and its outlets."""
    events_by_id = index_events(data)
    timeline = data.case_timeline[(data.case_timeline.case_id == case_id)
                                  & data.case_timeline.is_disputed.astype(bool)]
    rows = []
    for line in data.timeline_records(timeline.sort_values("best_datetime")):
        every = versions(line, events_by_id)
        rows.append({
            "Event": STYLE.get(line["event_type"], STYLE["police_action"])["label"]
            + ("" if words(line["event_key"]) == words(line["event_type"])
               else f": {words(line['event_key']).replace('-', ' ')}"),
            "Best date (dataset)": date_label(line["best_date"]),
            "What each source says": "; ".join(f"{v.label()}: {', '.join(v.outlets)}"
                                               for v in every),
            "Spread": days_label(round(float(line["spread_days"])), None)
            if not is_missing(line["spread_days"]) else "",
            "Versions in dispute": str(len(refined(every))),
        })
    return pd.DataFrame(rows, columns=["Event", "Best date (dataset)", "What each source says",
                                       "Spread", "Versions in dispute"])


# --- the dataset as a whole -------------------------------------------------------------------

def coverage(data) -> pd.DataFrame:
    """Per case: year, group, number of sources, and which stages are dated (✓), reported
    without a date (○) or not reported (·)."""
    infos = case_infos(data)
    shown = ("attack", "disclosure", "crisis_plan", "claim", "ultimatum", "leak",
             "first_recovery", "return_to_normal")
    rows = []
    by_case = _stages_by_case(data)
    for case_id in sorted(data.cases.case_id,
                          key=lambda c: (_attack_year(data, c), infos[c].name)):
        stages = by_case[case_id]
        row = {"Case": infos[case_id].name, "Year": _attack_year(data, case_id),
               "Group": ", ".join(infos[case_id].groups) or "unknown",
               "Sources": str(int(data.cases.set_index("case_id").loc[case_id, "n_sources"]))}
        for stage in shown:
            s = stages[stage]
            row[STYLE[stage]["label"].replace(" (day 0)", "")] = (
                "✓" if s["is_dated"] else "○" if s["is_reported"] else "·")
        rows.append(row)
    return pd.DataFrame(rows)


def _attack_year(data, case_id: str) -> str:
    row = data.case_stages[(data.case_stages.case_id == case_id)
                           & (data.case_stages.stage == "attack")].iloc[0]
    return "" if is_missing(row["best_date"]) else str(pd.Timestamp(row["best_date"]).year)


def cases_by_year_and_group(data) -> pd.DataFrame:
    """Number of cases by year of the attack (rows) and group (columns)."""
    infos = case_infos(data)
    rows = [{"Year": _attack_year(data, c) or "not dated",
             "Group": ", ".join(infos[c].groups) or "unknown"} for c in data.cases.case_id]
    frame = pd.crosstab(pd.DataFrame(rows).Year, pd.DataFrame(rows).Group)
    frame["All groups"] = frame.sum(axis=1)
    frame.loc["All years"] = frame.sum(axis=0)
    frame = frame.astype(int).astype(str).replace("0", "")
    return frame.reset_index().rename(columns={"index": "Year"})


def cross_case_delays(summary: pd.DataFrame, by_group: bool = False) -> pd.DataFrame:
    """:func:`helpers.derive.crosscase.delay_summary` in words."""
    rows = []
    for row in summary.to_dict("records"):
        measured = int(row["n_cases"])
        item = {}
        if by_group:
            item["Group"] = row["group_id"]
        item.update({
            "Delay": DELAY_NAMES[row["delay"]],
            "Cases measured": str(measured),
            "Median (days)": "" if not measured else f"{row['median_days']:g}",
            "Range the sources allow": "" if not measured else
            days_label(row["min_days"], row["max_days"]),
        })
        rows.append(item)
    return pd.DataFrame(rows)


def precision_table(data) -> pd.DataFrame:
    """Event rows by the precision of their date, finest first, with shares."""
    counts = data.events.date_precision.value_counts()
    total = int(counts.sum())
    from helpers.core.vocab import DATE_PRECISIONS

    rows = [{"Precision of the date": words(p), "Event rows": str(int(counts.get(p, 0))),
             "Share": f"{100 * counts.get(p, 0) / total:.0f} %" if total else ""}
            for p in DATE_PRECISIONS if counts.get(p, 0)]
    return pd.DataFrame(rows)


def stage_names() -> list[str]:
    return [STYLE[s]["label"] for s in STAGES]


__all__ = ["show", "link", "stage_table", "key_facts", "delay_table", "delay_matrix",
           "source_dates", "disagreements", "coverage", "cases_by_year_and_group",
           "cross_case_delays", "precision_table", "yes_no"]


def case_facts(data, case_id: str) -> pd.DataFrame:
    """One case's key facts as a two-column table (fact, value)."""
    row = key_facts(data, [case_id]).iloc[0].to_dict()
    row.pop("Hospital")
    kind = data.cases.set_index("case_id").loc[case_id, "incident_kind"]
    row["Kind of attack"] = words(kind)
    return pd.DataFrame({"Fact": list(row), "Value": [str(v) for v in row.values()]})


def sources_of_case(data, case_id: str, links=None) -> pd.DataFrame:
    """The sources of a case: outlet and title (linked to their pages), date, kind."""
    ids = sorted(set(data.events.loc[data.events.case_id == case_id, "source_id"]))
    return source_list(data, ids, links)


def source_list(data, source_ids=None, links=None) -> pd.DataFrame:
    """Sources with outlet, title, publication date and kind; stored texts first."""
    sources = data.sources
    if source_ids is not None:
        sources = sources[sources.source_id.isin(list(source_ids))]
    cases = data.events.groupby("source_id").case_id.agg(
        lambda s: sorted({str(c) for c in s.dropna()}))
    infos = case_infos(data)
    rows = []
    for row in sources.to_dict("records"):
        title = row["title"] if not is_missing(row["title"]) else "(title not recorded)"
        href = links.source(row["source_id"]) if links is not None else None
        case_names = [infos[c].name for c in cases.get(row["source_id"], [])]
        rows.append({
            "_order": (not bool(row["has_text"]), str(row["outlet"]).lower(),
                       str(row["published"] or "")),
            "Outlet": str(row["outlet"]),
            "Title": link(href, str(title)),
            "Published": published_label(row),
            "Kind": "stored text" if bool(row["has_text"]) else "citation only",
            "Cases": ", ".join(case_names) or "group-level context",
        })
    rows.sort(key=lambda r: r.pop("_order"))
    return pd.DataFrame(rows, columns=["Outlet", "Title", "Published", "Kind", "Cases"])


def published_label(row: dict) -> str:
    """A source's publication date as known: "2 May 2024", "May 2024 (approximate)",
    "on or after 24 Oct 2022", "unknown"."""
    text, qualifier = row.get("published"), row.get("published_qualifier")
    if is_missing(text) or not text:
        return "unknown"
    text = str(text)
    stamp = pd.Timestamp(text[:10]) if len(text) >= 10 else pd.Timestamp(text + "-01")
    shown = date_label(stamp) if len(text) >= 10 else f"{stamp:%b %Y}"
    if qualifier == "on_or_after":
        return f"on or after {shown}"
    if qualifier == "approximate":
        return f"{shown} (approximate)"
    return shown
