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


def _volume(value) -> float | None:
    return None if value is None or value != value else float(value)  # NaN is missing


def _summarise(case_id: str, key: str, rows: list[dict]) -> dict:
    dated = [r for r in rows if r["date_precision"] != "undated"]
    basis = dated or rows
    earliest = [datetime.fromisoformat(r["date_earliest"]) for r in basis]
    latest = [datetime.fromisoformat(r["date_latest"]) for r in basis]
    shared_start, shared_end = max(earliest), min(latest)
    disputed = len(dated) > 1 and shared_start > shared_end
    mids = [_midpoint(a, b) for a, b in zip(earliest, latest)] if dated else []
    best = None
    if dated:
        best = _midpoint(shared_start, shared_end) if not disputed \
            else sorted(mids)[(len(mids) - 1) // 2]
    spread = (max(mids) - min(mids)).total_seconds() / 86400 if mids else None
    volumes = [v for v in (_volume(r["data_volume_gb"]) for r in rows) if v is not None]
    return {
        "case_id": case_id,
        "event_key": key,
        "event_type": rows[0]["event_type"],
        "is_context": bool(rows[0]["is_context"]),
        "n_sources": len({r["source_id"] for r in rows}),
        "source_ids": ";".join(sorted({r["source_id"] for r in rows})),
        "event_ids": ";".join(sorted(r["event_id"] for r in rows)),
        "best_date": best.date().isoformat() if best is not None else "",
        "best_datetime": best.isoformat(timespec="seconds") if best is not None else "",
        "date_earliest": min(earliest).isoformat(timespec="seconds"),
        "date_latest": max(latest).isoformat(timespec="seconds"),
        "spread_days": round(spread, 2) if spread is not None else None,
        "is_disputed": disputed,
        "data_volume_gb_min": min(volumes) if volumes else None,
        "data_volume_gb_max": max(volumes) if volumes else None,
    }


def case_timeline(events: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, event_key), context events included on their group's cases."""
    # Group the rows once (plain Python: per-case DataFrame filtering was quadratic).
    own: dict[str, dict[str, list[dict]]] = {}
    context: dict[str, dict[str, list[dict]]] = {}
    for row in events.to_dict("records"):
        if row["is_context"]:
            context.setdefault(row["target"], {}).setdefault(row["event_key"], []).append(row)
        else:
            own.setdefault(row["case_id"], {}).setdefault(row["event_key"], []).append(row)
    rows = []
    for case in cases.to_dict("records"):
        groups = set(filter(None, str(case["groups"]).split(";")))
        for key, key_rows in sorted(own.get(case["case_id"], {}).items()):
            rows.append(_summarise(case["case_id"], key, key_rows))
        merged: dict[str, list[dict]] = {}
        for group in sorted(groups):
            for key, key_rows in context.get(group, {}).items():
                merged.setdefault(key, []).extend(key_rows)
        for key, key_rows in sorted(merged.items()):
            rows.append(_summarise(case["case_id"], key, key_rows))
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["case_id", "date_earliest", "event_key"], ignore_index=True)
