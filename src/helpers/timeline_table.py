"""The derived case timeline: one row per real-world event, across the sources reporting it.

Conventions (also in the codebook):
- Context events (police actions against a case's group) appear on every case of that group.
- Only dated reports (not 'undated' bounds) say when the event happened; when a key has
  only undated reports its bounds are shown but it has no best date.
- Sources agree when their [earliest, latest] intervals share a moment; the best date is
  then the middle of that shared interval. When they do not (`is_disputed`), the best date
  is the lower median of the sources' midpoints: no source is picked by hand.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

COLUMNS = [
    "case_id", "event_key", "event_type", "is_context", "n_sources", "source_ids", "event_ids",
    "best_date", "best_datetime", "date_earliest", "date_latest", "spread_days", "is_disputed",
    "data_volume_gb_min", "data_volume_gb_max",
]


def _midpoint(earliest: datetime, latest: datetime) -> datetime:
    return earliest + (latest - earliest) / 2


def _summarise(case_id: str, key: str, rows: pd.DataFrame) -> dict:
    dated = rows[rows.date_precision != "undated"]
    basis = dated if len(dated) else rows
    earliest = pd.to_datetime(basis.date_earliest, format="ISO8601")
    latest = pd.to_datetime(basis.date_latest, format="ISO8601")
    shared_start, shared_end = earliest.max(), latest.min()
    disputed = bool(len(dated) > 1 and shared_start > shared_end)
    best = None
    if len(dated):
        if not disputed:
            best = _midpoint(shared_start, shared_end)
        else:
            mids = sorted(_midpoint(a, b) for a, b in zip(earliest, latest))
            best = mids[(len(mids) - 1) // 2]
    mids = [_midpoint(a, b) for a, b in zip(earliest, latest)] if len(dated) else []
    spread = (max(mids) - min(mids)).total_seconds() / 86400 if mids else None
    volumes = rows.data_volume_gb.dropna()
    return {
        "case_id": case_id,
        "event_key": key,
        "event_type": rows.event_type.iloc[0],
        "is_context": bool(rows.is_context.iloc[0]),
        "n_sources": int(rows.source_id.nunique()),
        "source_ids": ";".join(sorted(rows.source_id.unique())),
        "event_ids": ";".join(sorted(rows.event_id)),
        "best_date": best.date().isoformat() if best is not None else "",
        "best_datetime": best.isoformat(timespec="seconds") if best is not None else "",
        "date_earliest": earliest.min().isoformat(timespec="seconds"),
        "date_latest": latest.max().isoformat(timespec="seconds"),
        "spread_days": round(spread, 2) if spread is not None else None,
        "is_disputed": disputed,
        "data_volume_gb_min": float(volumes.min()) if len(volumes) else None,
        "data_volume_gb_max": float(volumes.max()) if len(volumes) else None,
    }


def case_timeline(events: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, event_key), context events included on their group's cases."""
    rows = []
    for case in cases.itertuples():
        groups = set(filter(None, str(case.groups).split(";")))
        own = events[events.case_id == case.case_id]
        context = events[events.is_context & events.target.isin(groups)]
        for frame in (own, context):
            for key, group_rows in frame.groupby("event_key", sort=True):
                rows.append(_summarise(case.case_id, key, group_rows))
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["case_id", "date_earliest", "event_key"], ignore_index=True)
