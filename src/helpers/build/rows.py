"""Rows: the checked events, cases, sources and groups as the tables' rows."""
from __future__ import annotations

import pandas as pd

from helpers.build.model import ResolvedEvent, _iso
from helpers.core.intervals import Interval
from helpers.core.vocab import GROUP_EVENT_TYPES
from helpers.raw.load import Raw
from helpers.raw.sources import Source


def _event_date(dating: Interval | None) -> str:
    if dating is None or not dating.value:
        return ""
    return dating.value.split("T")[0]


def _time_of_day(dating: Interval | None) -> str:
    if dating is None or "T" not in dating.value:
        return ""
    return dating.value.split("T", 1)[1]


def event_row(item: ResolvedEvent) -> dict:
    event, dating, deadline = item.annotation, item.dating, item.deadline
    deadline_raw = event.deadline or {}
    quote = item.source.text[item.quote_span[0]:item.quote_span[1]] if item.quote_span else ""
    return {
        "event_id": event.id,
        "case_id": item.case_id or "",
        "event_type": event.type,
        "event_key": event.event_key,
        "is_context": event.type in GROUP_EVENT_TYPES,
        "source_id": item.source.source_id,
        "date_text": event.date_text or "",
        "is_date_text_verbatim": event.date_text_verbatim is not False,
        "date_iso": _event_date(dating),
        "time_of_day": _time_of_day(dating),
        "earliest_datetime": _iso(dating.earliest) if dating else "",
        "latest_datetime": _iso(dating.latest) if dating else "",
        "date_precision": dating.precision if dating else "",
        "date_method": dating.method if dating else "",
        "date_value": dating.value if dating else "",
        "date_note": event.date_note or "",
        "deadline_text": deadline_raw.get("date_text") or "",
        "deadline_iso": _event_date(deadline),
        "deadline_earliest_datetime": _iso(deadline.earliest) if deadline else "",
        "deadline_latest_datetime": _iso(deadline.latest) if deadline else "",
        "deadline_precision": deadline.precision if deadline else "",
        "deadline_method": deadline.method if deadline else "",
        "quote": quote,
        "quote_start": item.quote_span[0] if item.quote_span else None,
        "quote_end": item.quote_span[1] if item.quote_span else None,
        "date_text_start": item.date_text_span[0] if item.date_text_span else None,
        "date_text_end": item.date_text_span[1] if item.date_text_span else None,
        "paraphrase": event.paraphrase or "",
        "actor": event.actor or "",
        "target": event.target or "",
        "group_id": item.group_id or "",
        "n_countries": event.countries_count,
        "data_volume_gb": event.data_volume_gb,
        "ransom_amount": event.ransom_amount,
        "ransom_currency": event.ransom_currency or "",
        "status": event.status,
        "summary": " ".join(str(event.summary).split()),
        "notes": " ".join(str(event.notes or "").split()),
        "annotation_file": event.file,
        "annotation_line": event.line,
    }


def source_row(source: Source) -> dict:
    meta, pub = source.meta, source.publication
    return {
        "source_id": source.source_id,
        "outlet": meta["outlet"],
        "title": meta.get("title") or "",
        "author": meta.get("author") or "",
        "url": meta.get("url") or "",
        "url_note": " ".join(str(meta.get("url_note") or "").split()),
        "language": meta["language"],
        "published": pub.text or "",
        "published_qualifier": pub.qualifier,
        "published_earliest_datetime": _iso(pub.earliest),
        "published_latest_datetime": _iso(pub.latest),
        "published_basis": " ".join(str(meta.get("published_basis") or "").split()),
        "received_date": str(meta["received"]),
        "has_text": source.has_text,
        "text_file": meta.get("text_file") or "",
        "text_sha256": meta.get("sha256") or "",
        "rights": " ".join(str(meta["rights"]).split()),
        "via": meta.get("via") or "",
    }


def stage_overrides_frame(raw: Raw) -> pd.DataFrame:
    return pd.DataFrame([{"case_id": c.case_id, "stage": o.stage, "event_key": o.event_key,
                          "reason": o.reason}
                         for c in sorted(raw.cases.values(), key=lambda c: c.case_id)
                         for o in c.stage_overrides],
                        columns=["case_id", "stage", "event_key", "reason"])
