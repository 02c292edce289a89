"""Tables that describe the dataset as a whole, and the pages' headings.

Used by the overview notebook (counts, coverage, precision) and the case and comparison
notebooks (headings). Every function takes a loaded :class:`helpers.core.frames.Dataset` and
returns plain DataFrames or HTML, so that notebooks stay thin. Whether data/processed is up
to date is :mod:`helpers.status`'s.
"""
from __future__ import annotations

import html

import pandas as pd

from helpers.core.frames import Dataset
from helpers.core.vocab import DATE_PRECISIONS, EVENT_TYPES
from helpers.present import notebook_params
from helpers.present.notebook_params import HTML

CONTEXT = "context (police actions)"


def blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns with missing values shown as empty strings (for display)."""
    frame = frame.copy()
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) \
                and not pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return frame



def counts(data: Dataset) -> pd.DataFrame:
    """Headline counts of the dataset, one row per thing counted."""
    events, sources, timeline = data.events, data.sources, data.case_timeline
    context = events.is_context.fillna(False).astype(bool)
    own_timeline = timeline[~timeline.is_context.fillna(False).astype(bool)]
    context_keys = events[context].drop_duplicates(["group_id", "event_key"])
    has_text = sources.has_text.fillna(False).astype(bool)
    rows = [
        ("cases", len(data.cases), "attacks on hospitals"),
        ("groups", len(data.groups), "ransomware groups named"),
        ("sources", len(sources), "articles and pages cited"),
        ("↳ with stored text", int(has_text.sum()), "quotes located in the stored text"),
        ("↳ citation only", int((~has_text).sum()), "paraphrased, with their citation"),
        ("event rows", len(events), "one event as one source reports it"),
        ("↳ of the cases", int((~context).sum()), ""),
        ("↳ group-level (police actions, relaunches)", int(context.sum()),
         "shown on every case of the group"),
        ("real-world events of the cases", len(own_timeline),
         "rows of case_timeline, context excluded"),
        ("↳ reported by 2 sources or more", int((own_timeline.n_sources >= 2).sum()), ""),
        ("↳ disputed (the sources' dates share no moment)",
         int(own_timeline.is_disputed.fillna(False).astype(bool).sum()), ""),
        ("group-level events", len(context_keys), "police actions and relaunches, by group"),
        ("dismissed date expressions", len(data.dismissed),
         "dates in stored texts that are not events"),
    ]
    return pd.DataFrame([(w, str(c), n) for w, c, n in rows],
                        columns=["What", "Count", "Note"])


def event_type_coverage(data: Dataset) -> pd.DataFrame:
    """Cases × event types: how many sources report an event of that type for the case.

    0 means no source reports one. Police actions are the context of the case's group.
    """
    reports = (data.case_timeline_events
               .merge(data.case_timeline[["case_id", "event_key", "event_type"]],
                      on=["case_id", "event_key"])
               .merge(data.events[["event_id", "source_id"]], on="event_id"))
    counts = reports.groupby(["case_id", "event_type"]).source_id.nunique()
    table = pd.DataFrame(0, index=pd.Index(data.case_ids, name="case_id"),
                         columns=list(EVENT_TYPES), dtype="int64")
    for (case_id, event_type), n_sources in counts.items():
        if case_id in table.index and event_type in table.columns:
            table.loc[case_id, event_type] = int(n_sources)
    table.columns = [c.replace("_", " ") for c in table.columns]
    return table


def sources_per_case(data: Dataset) -> pd.DataFrame:
    """Per case: its victim, sources (stored / citation-only), events and disagreements."""
    events, sources, timeline = data.events, data.sources, data.case_timeline
    has_text = dict(zip(sources.source_id, sources.has_text.fillna(False).astype(bool)))
    outlets = dict(zip(sources.source_id, sources.outlet))
    rows = []
    for case in data.cases.sort_values("case_id").to_dict("records"):
        case_id = case["case_id"]
        own = events[events.case_id == case_id]
        ids = sorted(set(own.source_id))
        lines = timeline[(timeline.case_id == case_id)
                         & ~timeline.is_context.fillna(False).astype(bool)]
        rows.append({
            "case_id": case_id,
            "victim": case["victim"],
            "city": case["city"],
            "sources": len(ids),
            "stored texts": sum(has_text.get(s, False) for s in ids),
            "citation only": sum(not has_text.get(s, False) for s in ids),
            "event rows": len(own),
            "real-world events": len(lines),
            "disputed": int(lines.is_disputed.fillna(False).astype(bool).sum()),
            "outlets": ", ".join(sorted({str(outlets.get(s, s)) for s in ids})),
        })
    return pd.DataFrame(rows).set_index("case_id")


def source_list(data: Dataset) -> pd.DataFrame:
    """Every source with its outlet, publication, kind and number of events, by case."""
    events = data.events
    counts_by_source = events.groupby("source_id").size()
    cases_by_source = events.groupby("source_id").case_id.agg(
        lambda s: ", ".join(sorted({str(c) for c in s.dropna()})) or "(context)")
    frame = data.sources[["source_id", "outlet", "published", "has_text"]].copy()
    frame["cases"] = frame.source_id.map(cases_by_source).fillna("")
    frame["events"] = frame.source_id.map(counts_by_source).fillna(0).astype("int64")
    frame["kind"] = frame.has_text.map({True: "stored text", False: "citation only"})
    frame = frame.drop(columns="has_text").sort_values(["cases", "published", "source_id"])
    return blank_missing(frame.set_index("source_id"))


def date_precision_distribution(data: Dataset) -> pd.DataFrame:
    """Event rows by date precision (finest first), per case, for the context and in all."""
    events = data.events
    group = events.case_id.astype("object").where(events.case_id.notna(), CONTEXT)
    table = pd.crosstab(events.date_precision.astype("object"), group)
    columns = [c for c in data.case_ids if c in table.columns]
    columns += [CONTEXT] if CONTEXT in table.columns else []
    table = table.reindex(index=list(DATE_PRECISIONS), columns=columns, fill_value=0)
    table["all"] = table.sum(axis=1)
    total = table["all"].sum()
    table["share"] = (table["all"] / total * 100).round(1).astype(str) + " %" if total else ""
    table.index.name = "date precision"
    table.columns.name = None
    return table


# --- page headings ---------------------------------------------------------------------

def case_heading(data: Dataset, case_id: str, links) -> HTML:
    """A case page's heading: its name and victim, its group, and links to related pages."""
    from helpers.present.figures import case_infos

    info = case_infos(data)[case_id]
    row = data.cases.set_index("case_id").loc[case_id]
    group = ", ".join(info.groups) or "no group named by the sources"
    out = (f"<h1>{html.escape(info.name)}</h1><p><b>{html.escape(info.victim)}</b>, "
           f"{html.escape(info.city)} · {html.escape(group)} · "
           f"{int(row.n_events)} event rows from {int(row.n_sources)} sources (listed, with "
           "links to their pages, at the end)</p>")
    out += str(notebook_params.links_line(links, links.comparisons(), "Compare"))
    return HTML(out)


def comparison_heading(data: Dataset, case_ids: list[str], title, links) -> HTML:
    """A comparison page's heading: what is compared, with links to each case's page."""
    from helpers.present.figures import case_infos

    infos = case_infos(data)
    n = len(case_ids)
    text = title or (f"{n} cases compared" if n != 2 else
                     f"{infos[case_ids[0]].name} and {infos[case_ids[1]].name} compared")
    out = f"<h1>{html.escape(str(text))}</h1>"
    out += str(notebook_params.links_line(
        links, [(links.case(c), infos[c].name) for c in case_ids], "Case pages"))
    out += str(notebook_params.links_line(links, links.comparisons(), "See also"))
    return HTML(out)


def overview_heading(data: Dataset, links) -> HTML:
    out = (f"<h1>Hospital ransomware timelines, version {html.escape(str(data.version))}</h1>"
           f"<p>{len(data.cases)} cases, {len(data.sources)} sources, {len(data.events)} event "
           "rows. Every column is documented in the codebook.</p>")
    out += str(notebook_params.links_line(
        links, [("codebook.html" if links.enabled else None, "Codebook")] + links.comparisons(),
        "See also"))
    return HTML(out)


def leak_share_table(data: Dataset) -> pd.DataFrame:
    """Share of cases with a reported leak, overall and by group, in words."""
    from helpers.derive.crosscase import leak_share

    rows = []
    for label, frame in (("all cases", leak_share(data.case_stages, data.cases,
                                                  data.case_groups)),
                         (None, leak_share(data.case_stages, data.cases, data.case_groups,
                                           by_group=True))):
        for row in frame.to_dict("records"):
            rows.append({"Cases": label or names_of(data).get(row["group_id"], row["group_id"]),
                         "Cases counted": str(int(row["n_cases"])),
                         "With a reported leak": str(int(row["n_with_leak"])),
                         "Share": f"{100 * row['share_with_leak']:.0f} %"})
    return pd.DataFrame(rows)


def names_of(data: Dataset) -> dict[str, str]:
    return dict(zip(data.groups.group_id, data.groups.name))
