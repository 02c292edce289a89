"""Dates, delays and values as a reader wants them: "9 Oct 2022", "15–17 days", "not reported".

Every page, hover, table and reason string formats through these functions, so that a date
reads the same wherever it appears.
"""
from __future__ import annotations

import math

import pandas as pd

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PARTS_OF_DAY = {(6, 12): "morning", (12, 18): "afternoon", (18, 24): "evening",
                (4, 8): "early morning", (0, 6): "night"}
DAY = pd.Timedelta(days=1)
SECOND = pd.Timedelta(seconds=1)
NOT_REPORTED = "not reported"
EN_DASH = "–"


def is_missing(value) -> bool:
    """None, pandas' NA, NaN or NaT (a list or an array is not missing)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text_or_empty(value) -> str:
    """A cell as text: '' for a missing value."""
    return "" if is_missing(value) else str(value)


def day_label(ts, year: bool = True) -> str:
    """"9 Oct 2022" (or "9 Oct")."""
    ts = pd.Timestamp(ts)
    return f"{ts.day} {MONTHS[ts.month - 1]}" + (f" {ts.year}" if year else "")


def date_label(value, missing: str = NOT_REPORTED) -> str:
    """A day as "9 Oct 2022"; `missing` for an empty value."""
    return missing if is_missing(value) else day_label(value)


def span_label(earliest, latest, precision: str | None = None, year: bool = True) -> str:
    """Short English label of a date range: "2 May 2024", "1 May 2024 evening",
    "night 1–2 May 2024", "Apr 2024", "2 May 2024 00:00"..."""
    lo, hi = pd.Timestamp(earliest), pd.Timestamp(latest)
    end = hi + SECOND if hi.second == 59 else hi  # inclusive end -> exclusive
    y = f" {lo.year}" if year else ""
    if precision == "undated":
        return f"not dated (between {day_label(lo, year)} and {day_label(hi, year)})"
    if lo == lo.normalize() and end == end.normalize():
        if lo.month == 1 and lo.day == 1 and end == lo + pd.DateOffset(years=1):
            return str(lo.year)
        if lo.day == 1 and end == lo + pd.DateOffset(months=1):
            return f"{MONTHS[lo.month - 1]}{y}"
        if end - lo == DAY:
            return day_label(lo, year)
        if precision == "week":
            return f"week of {day_label(lo, year)}"
        last = end - DAY
        if lo.month == last.month and lo.year == last.year:
            return f"{lo.day}{EN_DASH}{last.day} {MONTHS[lo.month - 1]}{y}"
        return f"{day_label(lo, lo.year != last.year and year)} {EN_DASH} {day_label(last, year)}"
    if end - lo <= pd.Timedelta(minutes=1):
        return f"{day_label(lo, year)} {lo:%H:%M}"
    end_hour = 24 if end == lo.normalize() + DAY else end.hour
    if lo.normalize() == hi.normalize() or end_hour == 24:
        if end.minute == 0 and lo.minute == 0 and (lo.hour, end_hour) in PARTS_OF_DAY:
            return f"{day_label(lo, year)} {PARTS_OF_DAY[(lo.hour, end_hour)]}"
        return f"{day_label(lo, year)} {lo:%H:%M}{EN_DASH}{hi:%H:%M}"
    if lo.hour >= 18 and end.hour <= 8 and end.normalize() - lo.normalize() == DAY:
        tail = (f"{lo.day}{EN_DASH}{end.day} {MONTHS[end.month - 1]}" if lo.month == end.month
                else f"{day_label(lo, False)} {EN_DASH} {day_label(end, False)}")
        return f"night {tail}{y}"
    return f"{day_label(lo, year)} {lo:%H:%M} {EN_DASH} {day_label(hi, year)} {hi:%H:%M}"


def days_label(low, high=None, best=None, unit: bool = True) -> str:
    """Whole days as a reader wants them: "8 days", "15–17 days", "15–17 days (best 16)";
    "not measured" when empty."""
    if is_missing(low) and is_missing(best):
        return "not measured"
    suffix = " days" if unit else ""
    if is_missing(high) or int(low) == int(high):
        value = int(low if not is_missing(low) else best)
        return f"{value} day" + ("" if abs(value) == 1 else "s") if unit else str(value)
    # "−1 to 2 days": a dash between a minus sign and a number would read as one.
    joint = " to " if int(low) < 0 or int(high) < 0 else EN_DASH
    text = f"{_signed(low)}{joint}{_signed(high)}{suffix}"
    if not is_missing(best):
        text += f" (best {int(best)})"
    return text


def _signed(value) -> str:
    value = int(value)
    return f"−{abs(value)}" if value < 0 else str(value)


def volume_label(low, high=None) -> str:
    """Data volume: "61 GB", "61–61.7 GB"; "" when none is stated."""
    if is_missing(low):
        return ""
    if is_missing(high) or float(low) == float(high):
        return f"{_number(low)} GB"
    return f"{_number(low)}{EN_DASH}{_number(high)} GB"


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value == math.floor(value) else f"{value:g}"


def yes_no(value) -> str:
    return "" if is_missing(value) else ("yes" if bool(value) else "no")


def words(identifier) -> str:
    """A vocabulary value as words: "part_of_day" -> "part of day"."""
    return "" if is_missing(identifier) else str(identifier).replace("_", " ")
