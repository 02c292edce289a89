"""Dates written by hand in annotations, in ISO 8601 at the precision the annotator knew."""
from __future__ import annotations

import calendar
import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from helpers.core.intervals import Interval


def parse_hand_date(text: str, tz: ZoneInfo) -> Interval:
    """Read "2024", "2024-04", "2024-04-29", "2024-04-29T19:30" (local time in `tz`) as the
    interval it names (method "hand")."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return Interval(datetime(year, 1, 1, tzinfo=tz),
                        datetime(year, 12, 31, 23, 59, 59, tzinfo=tz), "year", "hand", text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = map(int, text.split("-"))
        last = calendar.monthrange(year, month)[1]
        return Interval(datetime(year, month, 1, tzinfo=tz),
                        datetime(year, month, last, 23, 59, 59, tzinfo=tz), "month", "hand", text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = datetime.fromisoformat(text).date()
        return Interval(datetime.combine(day, time(0, 0), tzinfo=tz),
                        datetime.combine(day, time(23, 59, 59), tzinfo=tz), "day", "hand", text)
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})", text)
    if match:
        moment = datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}").replace(tzinfo=tz)
        return Interval(moment, moment.replace(second=59), "minute", "hand",
                        f"{match[1]}T{match[2]}:{match[3]}")
    raise ValueError(f"{text!r} is not an ISO date: use 2024, 2024-04, 2024-04-29 or "
                     "2024-04-29T19:30 (local time)")
