"""The figures and delays on the real dataset, as the reports show them."""
from __future__ import annotations

import math

import pytest

from helpers.dataset import load_dataset
from helpers.delays import delay_table
from helpers.timeline import aligned_figure, calendar_figure

from test_timeline import points

LB, CN = "les-bluets-2022", "cannes-2024"


@pytest.fixture(scope="module")
def data():
    dataset = load_dataset()
    return dataset.events_with_outlets(), dataset.cases


def test_real_dataset_aligned_on_attack(data):
    events, cases = data
    fig = aligned_figure(events, cases, [LB, CN])
    attack_days = sorted(math.floor(x) for x, *_ in points(fig, "marker", "attack", LB))
    assert attack_days[0] == 0
    assert [math.floor(x) for x, *_ in points(fig, "marker", "leak", LB)] == [15]
    cannes_leaks = {math.floor(x) for x, *_ in points(fig, "marker", "leak", CN)}
    assert cannes_leaks and cannes_leaks <= {15, 16, 17}
    assert {15, 17} <= cannes_leaks  # the spread across sources stays visible


def test_real_dataset_calendar_shows_every_dated_event_of_the_cases(data):
    events, cases = data
    fig = calendar_figure(events, cases)
    shown = {d[0] for t in fig.data if t.customdata is not None for d in t.customdata}
    assert {LB, CN} <= shown


def test_real_dataset_delays_use_bounds(data):
    events, cases = data
    table = delay_table(events, cases).set_index(["case_id", "delay"])
    bluets = table.loc[(LB, "attack_to_leak")]
    # attack 9 Oct (day, or the night of 9-10 Oct) to leak 24 Oct (day).
    assert bluets.min_days <= 15 <= bluets.max_days
    cannes = table.loc[(CN, "claim_to_leak")]
    # Hand computation: earliest claim 29 Apr 00:00 (LeMagIT), latest 30 Apr 23:59:59 (Orange);
    # earliest leak 1 May 00:00 (Zataz, day), latest 3 May 23:59:59 (Franceinfo video).
    # min = 1 May 00:00 - 30 Apr 23:59:59 = 1 s -> 0.0; max = 3 May 23:59:59 - 29 Apr -> 5.0.
    assert cannes.min_days == 0.0 and cannes.max_days == 5.0
    assert cannes.min_days <= cannes.best_days <= cannes.max_days
