"""Small tables written by hand for unit tests of the derive step and the figures.

They have the loader's columns and types (helpers.core.frames.typed), so a test sees what a
reader of data/processed sees. Synthetic datasets at scale are written as raw files by
bench/synthetic_raw.py and built by the real pipeline (see conftest's `synthetic_data`).
"""
from __future__ import annotations

import pandas as pd

from helpers.core.frames import Dataset, typed
from helpers.core.schema import TABLES
from helpers.core.vocab import GROUP_EVENT_TYPES
from helpers.derive import derive

SECOND = pd.Timedelta(seconds=1)

# TIMEX3 part-of-day codes -> (start hour, length in hours); NI runs into the next day.
PARTS_OF_DAY = {"MO": (6, 6), "AF": (12, 6), "EV": (18, 6), "NI": (22, 8), "EM": (4, 4)}


def bounds(value: str, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Inclusive bounds of an ISO/TIMEX3 value at a precision.

    "2022-10-09"/day, "2024-04"/month, "2022"/year, "2024-W18"/week, "2024-05-02T00:00"/minute,
    "2024-02-19T22"/hour, "2022-10-09TNI"/part_of_day (MO, AF, EV, NI, EM).
    """
    if precision == "part_of_day":
        day, code = value[:10], value[11:]
        start_hour, hours = PARTS_OF_DAY[code]
        start = pd.Timestamp(day) + pd.Timedelta(hours=start_hour)
        return start, start + pd.Timedelta(hours=hours) - SECOND
    if precision == "week":
        start = pd.Timestamp.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        return start, start + pd.Timedelta(days=7) - SECOND
    if precision == "hour":
        start = pd.Timestamp(value + ":00")
        return start, start + pd.Timedelta(hours=1) - SECOND
    start = pd.Timestamp(value)
    step = {"minute": pd.Timedelta(minutes=1), "day": pd.Timedelta(days=1),
            "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}[precision]
    return start, start + step - SECOND


def event_record(event_id: str, case_id: str | None, event_type: str, event_key: str,
                 source_id: str, outlet: str, *, date: str | None = None,
                 precision: str = "day", earliest=None, latest=None,
                 date_text: str | None = None, deadline: str | None = None,
                 deadline_precision: str = "day", deadline_text: str | None = None,
                 quote: str | None = None, paraphrase: str | None = None,
                 summary: str = "", actor: str | None = None, target: str | None = None,
                 status: str = "reported_by_outlet", data_volume_gb: float | None = None,
                 ) -> dict:
    """One events row. Bounds come from `date` + `precision` unless given explicitly
    (undated rows give earliest/latest and no date)."""
    value = date
    if date is not None and earliest is None:
        earliest, latest = bounds(date, precision)
    date_iso = date[:10] if date and precision == "part_of_day" else date
    dl_lo = dl_hi = None
    if deadline is not None:
        dl_lo, dl_hi = bounds(deadline, deadline_precision)
    return {
        "event_id": event_id, "case_id": case_id, "event_type": event_type,
        "event_key": event_key, "source_id": source_id, "outlet": outlet,
        "date_text": date_text, "date_iso": date_iso,
        "earliest_datetime": pd.Timestamp(earliest) if earliest is not None else None,
        "latest_datetime": pd.Timestamp(latest) if latest is not None else None,
        "date_precision": precision if date is not None else "undated",
        "date_method": "synthetic", "date_value": value or "XXXX-XX-XX",
        "deadline_text": deadline_text, "deadline_iso": deadline,
        "deadline_earliest_datetime": dl_lo, "deadline_latest_datetime": dl_hi,
        "deadline_precision": deadline_precision if deadline is not None else None,
        "quote": quote, "paraphrase": paraphrase, "actor": actor, "target": target,
        "data_volume_gb": data_volume_gb, "status": status, "summary": summary,
        "is_context": event_type in GROUP_EVENT_TYPES,
        "group_id": (actor if event_type == "relaunch" else target)
        if event_type in GROUP_EVENT_TYPES else None,
    }



def complete(name: str, records: list[dict], defaults: dict | None = None) -> pd.DataFrame:
    """A table of `name` from records giving some of its columns; the others are missing
    (or `defaults`), and every column has the loader's type."""
    columns = [c.name for c in TABLES[name]["columns"]]
    rows = [{column: {**(defaults or {}), **record}.get(column) for column in columns}
            for record in records]
    return typed(name, pd.DataFrame(rows, columns=columns))


def events_frame(records: list[dict]) -> pd.DataFrame:
    """Events table with the loader's columns and types."""
    return complete("events", records)


def cases_frame(records: list[dict]) -> pd.DataFrame:
    """Cases table (a record's `groups`, a list, goes to :func:`case_groups_frame`)."""
    return complete("cases", records, {"country_code": "FR", "timezone": "Europe/Paris"})


def case_groups_frame(records: list[dict]) -> pd.DataFrame:
    """The case_groups table of the same records' `groups` lists."""
    return complete("case_groups", [{"case_id": r["case_id"], "group_id": g}
                                    for r in records for g in r.get("groups") or []])


def dataset_of(records: list[dict], case_records: list[dict]) -> Dataset:
    """A whole dataset from event records (each naming its source's outlet) and case records:
    its sources and groups, and the derived tables as the pipeline derives them."""
    events = events_frame(records)
    cases, case_groups = cases_frame(case_records), case_groups_frame(case_records)
    outlets = {r["source_id"]: r["outlet"] for r in records}
    sources = complete("sources", [{"source_id": s, "outlet": o, "has_text": False}
                                   for s, o in sorted(outlets.items())])
    names = sorted(set(case_groups.group_id) | set(events.group_id.dropna()))
    groups = complete("groups", [{"group_id": n, "name": n.replace("-", " ").title()}
                                 for n in names])
    data = Dataset(events=events, cases=cases, sources=sources, groups=groups,
                   case_groups=case_groups, group_aliases=complete("group_aliases", []),
                   event_agencies=complete("event_agencies", []),
                   stage_overrides=complete("stage_overrides", []),
                   dismissed=complete("dismissed_expressions", []), version="0.0.0")
    return data.with_derived(derive(events, cases, case_groups, data.stage_overrides))
