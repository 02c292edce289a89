"""The one interval type: its middle, containment and overlap, and reading a published row."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from helpers.core.intervals import Interval
from helpers.resolution.hand import parse_hand_date

PARIS = ZoneInfo("Europe/Paris")


def test_middle_is_to_the_second_below_for_timestamps_and_datetimes():
    day = Interval(pd.Timestamp("2022-10-09"), pd.Timestamp("2022-10-09 23:59:59"), "day")
    assert day.mid == pd.Timestamp("2022-10-09 11:59:59")
    aware = Interval(datetime(2022, 10, 9, tzinfo=PARIS),
                     datetime(2022, 10, 9, 23, 59, 59, tzinfo=PARIS), "day")
    assert aware.mid == datetime(2022, 10, 9, 11, 59, 59, tzinfo=PARIS)


def test_a_month_holds_a_day_in_it_but_not_itself_and_overlaps_it():
    march = parse_hand_date("2024-03", PARIS)
    ninth = parse_hand_date("2024-03-09", PARIS)
    april = parse_hand_date("2024-04-01", PARIS)
    assert march.holds(ninth) and not ninth.holds(march) and not march.holds(march)
    assert march.overlaps(ninth) and not march.overlaps(april)
    assert (march.precision, march.method, march.value) == ("month", "hand", "2024-03")


def test_from_row_reads_a_date_or_a_deadline_and_nothing_without_bounds():
    row = {"earliest_datetime": "2024-04-30T00:00:00", "latest_datetime": "2024-04-30T23:59:59",
           "date_precision": "day", "deadline_earliest_datetime": "2024-05-01T00:00:00",
           "deadline_latest_datetime": "2024-05-01T00:59:59", "deadline_precision": "hour"}
    date, deadline = Interval.from_row(row), Interval.from_row(row, "deadline")
    assert (date.earliest, date.precision) == (pd.Timestamp("2024-04-30"), "day")
    assert (deadline.latest, deadline.precision) == (pd.Timestamp("2024-05-01 00:59:59"), "hour")
    assert deadline.is_point and not Interval.from_row({**row, "date_precision": "month"}).is_point
    assert Interval.from_row({"earliest_datetime": None, "latest_datetime": None}) is None


def test_the_resolver_and_the_build_give_the_same_type():
    from helpers.resolution.dates import resolve

    reading = resolve("le 9 octobre", datetime(2022, 10, 20, 12, tzinfo=PARIS))
    assert isinstance(reading, Interval) and reading.expression == "le 9 octobre"
    assert reading.overlaps(parse_hand_date("2022-10-09", PARIS))
    assert parse_hand_date("2022-10", PARIS).holds(reading)
