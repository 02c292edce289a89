"""Dates and delays as readers read them."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.labels import date_label, days_label, span_label, volume_label, words


@pytest.mark.parametrize("lo, hi, precision, expected", [
    ("2024-05-01 18:00", "2024-05-01 23:59:59", "part_of_day", "1 May 2024 evening"),
    ("2024-05-01 22:00", "2024-05-02 05:59:59", "part_of_day", "night 1–2 May 2024"),
    ("2024-05-02", "2024-05-02 23:59:59", "day", "2 May 2024"),
    ("2024-04-01", "2024-04-30 23:59:59", "month", "Apr 2024"),
    ("2022-01-01", "2022-12-31 23:59:59", "year", "2022"),
    ("2024-05-02 00:00", "2024-05-02 00:00:59", "minute", "2 May 2024 00:00"),
    ("2024-02-19 22:00", "2024-02-19 22:59:59", "hour", "19 Feb 2024 22:00–22:59"),
    ("2024-04-10", "2024-04-20 23:59:59", "month", "10–20 Apr 2024"),
    ("2022-12-30", "2023-01-02 23:59:59", "day", "30 Dec 2022 – 2 Jan 2023"),
    ("2022-10-09", "2022-10-24 23:59:59", "undated",
     "not dated (between 9 Oct 2022 and 24 Oct 2022)"),
])
def test_span_label(lo, hi, precision, expected):
    assert span_label(pd.Timestamp(lo), pd.Timestamp(hi), precision) == expected


@pytest.mark.parametrize("args, expected", [
    ((8, 8, 8), "8 days"),
    ((1, 1, 1), "1 day"),
    ((15, 17, 16), "15–17 days (best 16)"),
    ((-1, 2, 1), "−1 to 2 days (best 1)"),
    ((None, None, None), "not measured"),
    ((pd.NA, pd.NA, pd.NA), "not measured"),
])
def test_days_label(args, expected):
    assert days_label(*args) == expected


def test_other_labels():
    assert date_label(pd.Timestamp("2022-10-09")) == "9 Oct 2022"
    assert date_label(pd.NaT) == "not reported"
    assert volume_label(61.0, 61.7) == "61–61.7 GB" and volume_label(150.0) == "150 GB"
    assert volume_label(None) == ""
    assert words("part_of_day") == "part of day"
