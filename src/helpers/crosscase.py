"""Cross-case summaries of the delay table: how long groups wait, and how often they leak.

Medians are of each case's best estimate (`best_days`); the range runs from the smallest
`min_days` to the largest `max_days`, so it keeps every source's uncertainty. A delay counts
only when a source dates both of its ends: an end known only by its bounds (an undated
report) would put the midpoint of a guess into the median.
"""
from __future__ import annotations

import pandas as pd

SUMMARY_DELAYS = ("attack_to_claim", "claim_to_leak", "attack_to_leak")
UNATTRIBUTED = "unattributed"


def case_groups(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, group); a case no source attributes gets the group 'unattributed'."""
    rows = []
    for case in cases.itertuples():
        groups = [g for g in str(case.groups if pd.notna(case.groups) else "").split(";") if g]
        rows += [{"case_id": case.case_id, "group_id": g} for g in groups or [UNATTRIBUTED]]
    return pd.DataFrame(rows, columns=["case_id", "group_id"])


def _summarise(delays: pd.DataFrame) -> dict:
    known = delays.dropna(subset=["best_days"])
    return {
        "n_cases": int(known.case_id.nunique()),
        "median_days": round(float(known.best_days.median()), 2) if len(known) else float("nan"),
        "min_days": round(float(known.min_days.min()), 2) if len(known) else float("nan"),
        "max_days": round(float(known.max_days.max()), 2) if len(known) else float("nan"),
    }


def _dated(events: pd.DataFrame) -> set[tuple[str, str]]:
    dated = events[(events.date_precision != "undated") & events.case_id.notna()]
    return set(zip(dated.case_id, dated.event_type))


def delay_summary(delays: pd.DataFrame, cases: pd.DataFrame, events: pd.DataFrame,
                  by_group: bool = False) -> pd.DataFrame:
    """Median and range of the main delays across cases, overall or per group."""
    dated = _dated(events)
    table = delays[delays.delay.isin(SUMMARY_DELAYS)].copy()
    both_dated = [(c, f) in dated and (c, t) in dated
                  for c, f, t in zip(table.case_id, table.from_event, table.to_event)]
    table.loc[[not ok for ok in both_dated], ["min_days", "max_days", "best_days"]] = float("nan")
    if by_group:
        table = table.merge(case_groups(cases), on="case_id")
        keys = ["group_id", "delay"]
    else:
        keys = ["delay"]
    rows = []
    for key, part in table.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, key)), **_summarise(part)})
    columns = keys + ["n_cases", "median_days", "min_days", "max_days"]
    order = {name: i for i, name in enumerate(SUMMARY_DELAYS)}
    result = pd.DataFrame(rows, columns=columns)
    result["_order"] = result.delay.map(order)
    return result.sort_values(keys[:-1] + ["_order"]).drop(columns="_order").reset_index(drop=True)


def leak_share(events: pd.DataFrame, cases: pd.DataFrame, by_group: bool = False) -> pd.DataFrame:
    """Share of cases with a reported leak (any source), overall or per group."""
    leaked = set(events.loc[events.event_type == "leak", "case_id"].dropna())
    frame = case_groups(cases) if by_group else cases[["case_id"]].copy()
    frame["has_leak"] = frame.case_id.isin(leaked)
    keys = ["group_id"] if by_group else []
    if keys:
        grouped = frame.groupby(keys, sort=True).has_leak
        result = pd.DataFrame({"n_cases": grouped.size(), "n_with_leak": grouped.sum()}).reset_index()
    else:
        result = pd.DataFrame({"n_cases": [len(frame)], "n_with_leak": [int(frame.has_leak.sum())]})
    result["share_with_leak"] = (result.n_with_leak / result.n_cases).round(3)
    return result
