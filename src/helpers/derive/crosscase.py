"""Cross-case summaries of the published delays and stages: how long groups wait, and how
often they leak.

Everything is read from the derived tables (``delays``, ``case_stages``): a delay that
``delays.csv`` leaves empty (an end not reported or not dated) is not counted. Medians are of
each case's ``best_days``; the range runs from the smallest ``min_days`` to the largest
``max_days``, so it keeps every source's uncertainty.
"""
from __future__ import annotations

import pandas as pd

from helpers.derive import groups_by_case

SUMMARY_DELAYS = ("attack_to_disclosure", "attack_to_claim", "claim_to_leak", "attack_to_leak")
UNATTRIBUTED = "unattributed"


def attributions(cases: pd.DataFrame, case_groups: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, group); a case no source attributes gets the group 'unattributed'."""
    rows = [{"case_id": case_id, "group_id": group}
            for case_id, groups in sorted(groups_by_case(cases, case_groups).items())
            for group in groups or [UNATTRIBUTED]]
    return pd.DataFrame(rows, columns=["case_id", "group_id"])


def _summarise(delays: pd.DataFrame) -> dict:
    known = delays.dropna(subset=["best_days"])
    if not len(known):
        return {"n_cases": 0, "median_days": float("nan"), "min_days": float("nan"),
                "max_days": float("nan")}
    return {
        "n_cases": int(known.case_id.nunique()),
        "median_days": float(known.best_days.astype("float64").median()),
        "min_days": float(known.min_days.min()),
        "max_days": float(known.max_days.max()),
    }


def delay_summary(delays: pd.DataFrame, cases: pd.DataFrame, case_groups: pd.DataFrame,
                  by_group: bool = False) -> pd.DataFrame:
    """Median and range of the main delays across cases, overall or per group."""
    table = delays[delays.delay.isin(SUMMARY_DELAYS)]
    keys = ["delay"]
    if by_group:
        table = table.merge(attributions(cases, case_groups), on="case_id")
        keys = ["group_id", "delay"]
    rows = []
    for key, part in table.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(keys, key)), **_summarise(part)})
    result = pd.DataFrame(rows, columns=keys + ["n_cases", "median_days", "min_days",
                                                "max_days"])
    order = {name: i for i, name in enumerate(SUMMARY_DELAYS)}
    result["_order"] = result.delay.map(order)
    return (result.sort_values(keys[:-1] + ["_order"]).drop(columns="_order")
            .reset_index(drop=True))


def leak_share(stages: pd.DataFrame, cases: pd.DataFrame, case_groups: pd.DataFrame,
               by_group: bool = False) -> pd.DataFrame:
    """Share of cases with a reported leak (any source, dated or not), overall or per group."""
    leak = stages[stages.stage == "leak"]
    leaked = set(leak.loc[leak.is_reported.astype(bool), "case_id"])
    frame = attributions(cases, case_groups) if by_group else cases[["case_id"]].copy()
    frame["has_leak"] = frame.case_id.isin(leaked)
    if by_group:
        grouped = frame.groupby("group_id", sort=True).has_leak
        result = pd.DataFrame({"n_cases": grouped.size(),
                               "n_with_leak": grouped.sum()}).reset_index()
    else:
        result = pd.DataFrame({"n_cases": [len(frame)],
                               "n_with_leak": [int(frame.has_leak.sum())]})
    result["share_with_leak"] = (result.n_with_leak / result.n_cases).round(3)
    return result
