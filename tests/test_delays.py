"""Delay metrics by interval arithmetic, checked against values computed by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.delays import COLUMNS, DELAYS, best_date, delay_table
from helpers.synthetic import (cases_frame, event_record, events_frame, example_tables,
                               synthetic_dataset)

# Bounds of the example tables (latest inclusive; "d" = day precision, 00:00..23:59:59):
#
# Les Bluets
#   attack     Numerama 9 Oct (d); L'Informaticien night 9 Oct 22:00 .. 10 Oct 05:59:59
#              -> intersection 9 Oct 22:00 .. 23:59:59, best 9 Oct 23:00
#   disclosure 17 Oct (d), best 17 Oct 12:00
#   claim      Numerama 18 Oct (d); L'Informaticien 20 Oct (d); LeMagIT 20 Oct 04:00..07:59:59
#              -> no common date: best = earliest midpoint, 18 Oct 12:00
#   ultimatum  LeMagIT 20 Oct 04:00..07:59:59, best 20 Oct 06:00; deadline 25 Oct (d), best 12:00
#   leak       24 Oct (d), best 24 Oct 12:00
#
#   attack->disclosure  min 17 Oct 00:00 - 10 Oct 05:59:59 = 6 d 18:00:01  = 6.75
#                       max 17 Oct 23:59:59 - 9 Oct 00:00 = 8 d 23:59:59   = 9.00
#                       best 17 Oct 12:00 - 9 Oct 23:00 = 7 d 13 h         = 7.54
#   attack->claim       min 18 Oct 00:00 - 10 Oct 05:59:59                 = 7.75
#                       max 20 Oct 23:59:59 - 9 Oct 00:00                  = 12.00
#                       best 18 Oct 12:00 - 9 Oct 23:00 = 8 d 13 h         = 8.54
#   claim->leak         min 24 Oct 00:00 - 20 Oct 23:59:59                 = 3.00
#                       max 24 Oct 23:59:59 - 18 Oct 00:00                 = 7.00
#                       best 24 Oct 12:00 - 18 Oct 12:00                   = 6.00
#   ultimatum->deadline min 25 Oct 00:00 - 20 Oct 07:59:59 = 4 d 16:00:01  = 4.67
#                       max 25 Oct 23:59:59 - 20 Oct 04:00 = 5 d 19:59:59  = 5.83
#                       best 25 Oct 12:00 - 20 Oct 06:00 = 5 d 6 h         = 5.25
#   deadline->leak      min 24 Oct 00:00 - 25 Oct 23:59:59                 = -2.00
#                       max 24 Oct 23:59:59 - 25 Oct 00:00 = -1 s          = 0.00
#                       best 24 Oct 12:00 - 25 Oct 12:00                   = -1.00 (early leak)
#   attack->leak        min 24 Oct 00:00 - 10 Oct 05:59:59 = 13 d 18:00:01 = 13.75
#                       max 24 Oct 23:59:59 - 9 Oct 00:00                  = 16.00
#                       best 24 Oct 12:00 - 9 Oct 23:00 = 14 d 13 h        = 14.54
#
# Cannes
#   attack     16 Apr 06:00..11:59:59 ("au matin"), best 09:00; no disclosure in the table
#   claim      29 Apr (d) x2, 30 Apr (d) -> no common date, best 29 Apr 12:00
#   ultimatum  29 Apr (d), best 12:00; deadline 2 May 00:00..00:00:59 (minute), best 00:00:30
#   leak       1 May 18:00..23:59:59 x2, 1 May 22:00..2 May 05:59:59 x2, 2 May (d), 3 May (d)
#              -> no common date, best = earliest midpoint = 1 May 21:00
#
#   attack->claim       min 29 Apr 00:00 - 16 Apr 11:59:59 = 12 d 12:00:01 = 12.50
#                       max 30 Apr 23:59:59 - 16 Apr 06:00 = 14 d 17:59:59 = 14.75
#                       best 29 Apr 12:00 - 16 Apr 09:00 = 13 d 3 h = 13.125 -> 13.12 (half-even)
#   claim->leak         min 1 May 18:00 - 30 Apr 23:59:59 = 18:00:01       = 0.75
#                       max 3 May 23:59:59 - 29 Apr 00:00                  = 5.00
#                       best 1 May 21:00 - 29 Apr 12:00 = 2 d 9 h = 2.375  -> 2.38
#   ultimatum->deadline min 2 May 00:00 - 29 Apr 23:59:59 = 2 d 00:00:01   = 2.00
#                       max 2 May 00:00:59 - 29 Apr 00:00                  = 3.00
#                       best 2 May 00:00:30 - 29 Apr 12:00 = 2 d 12:00:30  = 2.50
#   deadline->leak      min 1 May 18:00 - 2 May 00:00:59 = -6:00:59        = -0.25
#                       max 3 May 23:59:59 - 2 May 00:00                   = 2.00
#                       best 1 May 21:00 - 2 May 00:00:30 = -3:00:30       = -0.13
#   attack->leak        min 1 May 18:00 - 16 Apr 11:59:59 = 15 d 06:00:01 = 15.25
#                       max 3 May 23:59:59 - 16 Apr 06:00 = 17 d 17:59:59 = 17.75
#                       best 1 May 21:00 - 16 Apr 09:00 = 15 d 12 h        = 15.50
#   attack->disclosure  NaN (no disclosure), 1 source for the attack, 0 for the disclosure
NAN = math.nan
EXPECTED = {
    # (case, delay): (min, max, best, n_sources_from, n_sources_to)
    ("les-bluets-2022", "attack_to_disclosure"): (6.75, 9.00, 7.54, 2, 1),
    ("les-bluets-2022", "attack_to_claim"): (7.75, 12.00, 8.54, 2, 3),
    ("les-bluets-2022", "claim_to_leak"): (3.00, 7.00, 6.00, 3, 1),
    ("les-bluets-2022", "ultimatum_to_deadline"): (4.67, 5.83, 5.25, 1, 1),
    ("les-bluets-2022", "deadline_to_leak"): (-2.00, 0.00, -1.00, 1, 1),
    ("les-bluets-2022", "attack_to_leak"): (13.75, 16.00, 14.54, 2, 1),
    ("cannes-2024", "attack_to_disclosure"): (NAN, NAN, NAN, 1, 0),
    ("cannes-2024", "attack_to_claim"): (12.50, 14.75, 13.12, 1, 3),
    ("cannes-2024", "claim_to_leak"): (0.75, 5.00, 2.38, 3, 6),
    ("cannes-2024", "ultimatum_to_deadline"): (2.00, 3.00, 2.50, 1, 1),
    ("cannes-2024", "deadline_to_leak"): (-0.25, 2.00, -0.13, 1, 6),
    ("cannes-2024", "attack_to_leak"): (15.25, 17.75, 15.50, 1, 6),
}


@pytest.fixture(scope="module")
def table():
    data = example_tables()
    return delay_table(data.events, data.cases)


def test_shape_and_columns(table):
    assert list(table.columns) == COLUMNS
    assert len(table) == 2 * len(DELAYS)
    assert list(table.case_id.unique()) == ["les-bluets-2022", "cannes-2024"]  # cases' order


@pytest.mark.parametrize("key", list(EXPECTED))
def test_values_match_hand_computation(table, key):
    row = table.set_index(["case_id", "delay"]).loc[key]
    low, high, best, n_from, n_to = EXPECTED[key]
    for column, expected in (("min_days", low), ("max_days", high), ("best_days", best)):
        if math.isnan(expected):
            assert math.isnan(row[column])
        else:
            assert row[column] == pytest.approx(expected, abs=1e-9), column
    assert (row.n_sources_from, row.n_sources_to) == (n_from, n_to)


def test_min_best_max_are_ordered():
    data = synthetic_dataset(30, seed=7)
    table = delay_table(data.events, data.cases).dropna()
    assert len(table) > 30
    assert (table.min_days <= table.best_days + 0.01).all()
    assert (table.best_days <= table.max_days + 0.01).all()


def test_undated_rows_only_count_without_dated_ones():
    rows = [
        event_record("a", "c", "attack", "attack", "s1", "A", date="2023-01-10"),
        event_record("l1", "c", "leak", "leak", "s1", "A", date="2023-01-20"),
        # Undated mention of the same leak: bounds attack .. publication.
        event_record("l2", "c", "leak", "leak", "s2", "B", earliest="2023-01-10",
                     latest="2023-02-01 23:59:59"),
    ]
    cases = cases_frame([{"case_id": "c", "victim": "V", "facility_kind": "hospital",
                          "city": "X", "groups": ["g"]}])
    row = delay_table(events_frame(rows), cases).set_index("delay").loc["attack_to_leak"]
    assert (row.min_days, row.max_days, row.best_days, row.n_sources_to) == (9.0, 11.0, 10.0, 1)
    only_undated = events_frame(rows[:1] + rows[2:])
    row = delay_table(only_undated, cases).set_index("delay").loc["attack_to_leak"]
    # min 10 Jan 00:00 - 10 Jan 23:59:59 = -(1 d - 1 s) -> -1.00;
    # max 1 Feb 23:59:59 - 10 Jan 00:00 = 22 d 23:59:59 -> 23.00
    assert (row.min_days, row.max_days, row.n_sources_to) == (-1.0, 23.0, 1)


def test_first_event_of_a_type_is_used_and_context_ignored():
    rows = [
        event_record("a", "c", "attack", "attack", "s1", "A", date="2023-01-10"),
        event_record("l1", "c", "leak", "leak-full", "s1", "A", date="2023-03-01"),
        event_record("l2", "c", "leak", "leak-partial", "s2", "B", date="2023-01-25"),
        event_record("p", None, "police_action", "op", "s3", "C", date="2023-01-11",
                     target="g"),
    ]
    table = delay_table(events_frame(rows)).set_index("delay")
    assert list(table.case_id.unique()) == ["c"]
    assert table.loc["attack_to_leak", "best_days"] == 15.0


def test_best_date():
    lo = pd.Series(pd.to_datetime(["2024-05-01 18:00", "2024-05-02"], format="ISO8601"))
    hi = pd.Series(pd.to_datetime(["2024-05-01 23:59:59", "2024-05-02 23:59:59"]))
    # Disjoint: the earliest midpoint.
    assert best_date(lo, hi).floor("s") == pd.Timestamp("2024-05-01 20:59:59")
    # Overlapping: the midpoint of the intersection.
    lo2 = pd.Series(pd.to_datetime(["2024-05-01", "2024-05-01 18:00"], format="ISO8601"))
    hi2 = pd.Series(pd.to_datetime(["2024-05-01 23:59:59", "2024-05-02 05:59:59"]))
    assert best_date(lo2, hi2).floor("s") == pd.Timestamp("2024-05-01 20:59:59")
    assert best_date(pd.Series([pd.NaT]), pd.Series([pd.NaT])) is pd.NaT
