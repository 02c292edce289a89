"""Calendar and aligned figures: positions, ranges, disagreement, context, escaping, scale."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from helpers.errors import UnknownIdError
from helpers.synthetic import (cases_frame, event_record, events_frame, example_tables,
                               synthetic_dataset)
from helpers.timeline import (ALIGN_TARGETS, EVENT_STYLE, LANE_PX, aligned_figure,
                              calendar_figure, span_label)
from helpers.vocab import EVENT_TYPES

LB, CN = "les-bluets-2022", "cannes-2024"


@pytest.fixture(scope="module")
def example():
    return example_tables()


@pytest.fixture(scope="module")
def aligned(example):
    return aligned_figure(example.events, example.cases)


@pytest.fixture(scope="module")
def calendar(example):
    return calendar_figure(example.events, example.cases)


def traces(fig, role, event_type=None):
    return [t for t in fig.data if t.meta and t.meta.get("role") == role
            and (event_type is None or t.meta.get("event_type") == event_type)]


def points(fig, role, event_type, case_id, kind="date"):
    """(x, y, customdata, hovertext) of the marker points of one case's events."""
    out = []
    for t in traces(fig, role, event_type):
        for x, y, data, text in zip(t.x, t.y, t.customdata, t.hovertext):
            if data[0] == case_id and data[3] == kind:
                out.append((x, y, data, text))
    return out


def bars(fig, event_type, case_id):
    """(start, end, customdata) of the range bars of one case's events."""
    out = []
    for t in traces(fig, "range", event_type):
        for base, length, data in zip(t.base, t.x, t.customdata):
            if data[0] == case_id:
                if isinstance(base, str):  # calendar: ISO start + duration in ms
                    start = pd.Timestamp(base)
                    out.append((start, start + pd.Timedelta(milliseconds=length), data))
                else:
                    out.append((base, base + length, data))
    return out


def lane_of(fig, case_id):
    labels = list(fig.layout.yaxis.ticktext)
    return next(i for i, label in enumerate(labels) if label.startswith(case_id))


# --- aligned view: known events ---------------------------------------------------------

def test_les_bluets_attack_is_day_0_and_leak_day_15(aligned):
    attack = points(aligned, "marker", "attack", LB)
    # The day-precision version (9 Oct) spans day 0; the night version straddles days 0-1.
    days = sorted(math.floor(x) for x, *_ in attack)
    assert days[0] == 0
    (start, end, _), = [b for b in bars(aligned, "attack", LB)
                        if b[2][5] == "numerama-2022-les-bluets"]
    assert start == pytest.approx(0.0) and end == pytest.approx(1.0, abs=1e-4)
    (leak,) = points(aligned, "marker", "leak", LB)
    assert math.floor(leak[0]) == 15


def test_cannes_leak_between_day_15_and_17_by_source(aligned):
    leaks = points(aligned, "marker", "leak", CN)
    days = sorted(math.floor(x) for x, *_ in leaks)
    # 1 May evening -> 15, night 1-2 May -> 16, 2 May -> 16, 3 May -> 17 (attack 16 Apr).
    assert days == [15, 16, 16, 17]
    assert all(15 <= x < 18 for x, *_ in leaks)


def test_cannes_deadline_and_context(aligned):
    (deadline,) = points(aligned, "deadline", "ultimatum", CN, kind="deadline")
    assert deadline[0] == pytest.approx(16.0, abs=0.01)  # 2 May 00:00 = start of day 16
    # Cronos (takedown reported 19 Feb 22:00 and 20 Feb, phases 2 and 3) on Cannes' lane
    # only, marked as context; only phase 2 (7 May = day 21) is in the initial x range.
    context = points(aligned, "marker", "police_action", CN)
    assert [math.floor(x) for x, *_ in context] == [-57, -56, 21, 168]
    assert all("context" in text for *_, text in context)
    assert not points(aligned, "marker", "police_action", LB)
    lo, hi = aligned.layout.xaxis.range
    assert [math.floor(x) for x, *_ in context if lo <= x <= hi] == [21]
    # The takedown (day -57/-56) and phase 3 (day 168) are noted at the edges.
    (notes,) = traces(aligned, "context_outside")
    assert any("-57" in t for t in notes.text) and any("168" in t for t in notes.text)
    assert notes.legendgroup == "police_action"


def test_align_on_claim_uses_earliest_source(example):
    fig = aligned_figure(example.events, example.cases, align_on="claim")
    claims = points(fig, "marker", "claim", LB)
    # Claim on 18 Oct (Numerama) vs 20 Oct: day 0 is 18 Oct, the 20 Oct versions on day 2.
    assert sorted(math.floor(x) for x, *_ in claims) == [0, 2, 2]
    (leak,) = points(fig, "marker", "leak", LB)
    assert math.floor(leak[0]) == 6


def test_case_without_alignment_event_is_labelled(example):
    fig = aligned_figure(example.events, example.cases, align_on="disclosure")
    labels = list(fig.layout.yaxis.ticktext)
    assert "aligned on attack" in labels[lane_of(fig, CN)]
    assert "aligned on" not in labels[lane_of(fig, LB)]
    attack = points(fig, "marker", "attack", CN)
    assert math.floor(attack[0][0]) == 0


def test_unknown_alignment_is_a_value_error(example):
    with pytest.raises(ValueError) as info:
        aligned_figure(example.events, example.cases, align_on="breach")
    assert isinstance(info.value, UnknownIdError)
    for allowed in ALIGN_TARGETS:
        assert allowed in str(info.value)


def test_unknown_case_id(example):
    with pytest.raises(UnknownIdError):
        calendar_figure(example.events, example.cases, case_ids=["nowhere-2020"])


# --- ranges, disagreement ---------------------------------------------------------------

def test_day_precision_event_is_drawn_as_its_range(calendar, example):
    (start, end, _), = bars(calendar, "leak", LB)
    row = example.events.set_index("event_id").loc["lb-linformaticien-leak"]
    assert start == row.date_earliest == pd.Timestamp("2022-10-24")
    assert end == row.date_latest == pd.Timestamp("2022-10-24 23:59:59")
    (marker,) = points(calendar, "marker", "leak", LB)
    assert pd.Timestamp(marker[0]) == pd.Timestamp("2022-10-24 11:59:59")  # midpoint


def test_precise_date_has_no_range(calendar):
    # The Cannes deadline (minute) and LeMagIT's Cronos time (minute) are points.
    assert not [b for b in bars(calendar, "ultimatum", CN) if b[2][3] == "deadline"]
    cronos = [b for b in bars(calendar, "police_action", CN) if "lemagit" in b[2][5]]
    assert not cronos
    for start, end, _ in bars(calendar, "claim", CN) + bars(calendar, "leak", CN):
        assert end - start > pd.Timedelta(hours=1)


def test_disagreeing_sources_are_linked_and_explained(calendar):
    leaks = points(calendar, "marker", "leak", CN)
    assert len(leaks) == 4  # 6 sources, 4 distinct dates
    hover = leaks[-1][3]
    assert "6 sources disagree (4 dates)" in hover
    assert "1 May evening / night 1–2 May / 2 May / 3 May" in hover
    # One connector segment through the 4 versions (None separates segments).
    (link,) = traces(calendar, "disagreement_link", "leak")
    ys = {round(y, 4) for y in link.y if y is not None}
    assert {round(p[1], 4) for p in leaks} <= ys
    # Les Bluets' claim: 18 vs 20 October reads as one event with a spread.
    claims = points(calendar, "marker", "claim", LB)
    assert {p[2][1] for p in claims} == {"claim"}
    assert "3 sources disagree (3 dates): 18 Oct / 20 Oct early morning / 20 Oct" in claims[0][3]


def test_compatible_versions_are_not_called_a_disagreement(calendar):
    attack = points(calendar, "marker", "attack", LB)
    assert len(attack) == 2
    assert "differ in precision but agree" in attack[0][3]
    assert "disagree" not in attack[0][3]


def test_hover_has_source_details(calendar):
    (leak,) = points(calendar, "marker", "leak", LB)
    text = leak[3]
    for expected in ("Leak", LB, "L&#x27;Informaticien", "« lundi 24 octobre »",
                     "2022-10-24 (day)", "paraphrase: The data were published"):
        assert expected in text
    night = [p for p in points(calendar, "marker", "attack", LB)
             if p[2][5] == "linformaticien-2022-les-bluets"][0][3]
    assert "dans la nuit du dimanche 9 octobre" in night and "(part_of_day)" in night
    assert "<b>night 9–10 Oct 2022</b>" in night


def test_window_spans_earliest_attack_to_latest_leak(calendar):
    (window,) = traces(calendar, "window")
    xs = [pd.Timestamp(x) for x in window.x if x is not None]
    # Cannes: attack from 16 Apr 06:00, latest leak version ends 3 May 23:59:59.
    assert pd.Timestamp("2024-04-16 06:00") in xs
    assert pd.Timestamp("2024-05-03 23:59:59") in xs
    assert pd.Timestamp("2022-10-09") in xs and pd.Timestamp("2022-10-24 23:59:59") in xs


def test_calendar_has_rangeslider_and_selector(calendar):
    assert calendar.layout.xaxis.rangeslider.visible
    assert calendar.layout.xaxis.type == "date"
    assert [b.label for b in calendar.layout.xaxis.rangeselector.buttons][-1] == "all"


# --- legend and scale -------------------------------------------------------------------

def legend_entries(fig):
    return [t.legendgroup for t in fig.data if t.showlegend is not False]


@pytest.mark.parametrize("builder", [calendar_figure, aligned_figure])
def test_thirty_cases(builder):
    data = synthetic_dataset(30, seed=3)
    fig = builder(data.events, data.cases)
    labels = list(fig.layout.yaxis.ticktext)
    assert len(labels) == len(set(labels)) == 30
    assert list(fig.layout.yaxis.tickvals) == list(range(30))
    assert fig.layout.height >= 30 * LANE_PX + 100
    small = builder(data.events, data.cases, case_ids=list(data.cases.case_id[:2]))
    assert len(small.layout.yaxis.ticktext) == 2 and small.layout.height < fig.layout.height
    entries = legend_entries(fig)
    assert len(entries) == len(set(entries))  # one entry per type
    present = set(data.events.event_type)
    assert set(entries) == present | {"extortion_window"}
    assert present == set(EVENT_TYPES)
    # Every trace of a type toggles with its entry; colours and symbols are the module's.
    for t in fig.data:
        if t.meta and t.meta.get("event_type"):
            assert t.legendgroup == t.meta["event_type"]
            if t.meta["role"] == "marker":
                style = EVENT_STYLE[t.legendgroup]
                assert t.marker.symbol == style["symbol"] and t.marker.color == style["color"]


def test_case_ids_choose_and_order_lanes(example):
    fig = calendar_figure(example.events, example.cases, case_ids=[CN, LB])
    assert [label.split("<")[0] for label in fig.layout.yaxis.ticktext] == [CN, LB]


# --- escaping -----------------------------------------------------------------------------

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def test_third_party_text_is_escaped():
    rows = [event_record("x-attack", "evil-2023", "attack", "attack", "evil-source",
                         "Evil <b>Outlet</b>", date="2023-03-01",
                         date_text="le 1er <i>mars</i>", quote=f"Avant {XSS[0]} après {XSS[1]}",
                         summary=f"Summary {XSS[1]} and {XSS[0]}"),
            event_record("y-leak", "evil-2023", "leak", "leak", "other", "Other",
                         date="2023-03-09", paraphrase=XSS[0], summary=XSS[1])]
    events = events_frame(rows)
    cases = cases_frame([{"case_id": "evil-2023", "victim": "Hôpital <script>x</script>",
                          "facility_kind": "hospital", "city": "Nîmes", "groups": ["x"]}])
    for fig in (calendar_figure(events, cases), aligned_figure(events, cases)):
        payload = fig.to_json()
        hovers = [h for t in fig.data if getattr(t, "hovertext", None) for h in t.hovertext]
        text = json.dumps(hovers)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in text
        for raw in (*XSS, "<script>x</script>", "<b>Outlet", "<i>mars"):
            assert raw not in payload


# --- labels ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lo, hi, precision, expected", [
    ("2024-05-01 18:00", "2024-05-01 23:59:59", "part_of_day", "1 May 2024 evening"),
    ("2024-05-01 22:00", "2024-05-02 05:59:59", "part_of_day", "night 1–2 May 2024"),
    ("2024-05-02", "2024-05-02 23:59:59", "day", "2 May 2024"),
    ("2024-04-01", "2024-04-30 23:59:59", "month", "Apr 2024"),
    ("2022-01-01", "2022-12-31 23:59:59", "year", "2022"),
    ("2024-05-02 00:00", "2024-05-02 00:00:59", "minute", "2 May 2024 00:00"),
    ("2024-02-19 22:00", "2024-02-19 22:59:59", "hour", "19 Feb 2024 22:00–22:59"),
    ("2024-04-10", "2024-04-20 23:59:59", "month", "10–20 Apr 2024"),
])
def test_span_label(lo, hi, precision, expected):
    assert span_label(pd.Timestamp(lo), pd.Timestamp(hi), precision) == expected
