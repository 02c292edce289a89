"""The figures draw the published numbers, and draw dates honestly.

Every best date, stage and delay a figure shows must be the one in data/processed (figures
never recompute them); a date coarser than a day is never a point; an undated event is
never on a time axis.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
from frames import dataset_of, event_record

from helpers.core.frames import load_dataset
from helpers.core.intervals import DAY_OR_FINER
from helpers.present import figures

DATA = load_dataset()


def traces(fig, role):
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


# --- one number, one home ---------------------------------------------------------------------

@pytest.mark.parametrize("case_id", sorted(DATA.case_ids))
def test_case_calendar_best_dates_are_the_published_ones(case_id):
    fig = figures.case_calendar(DATA, case_id)
    drawn = {(d[1], d[2]): (x, pd.Timestamp(d[3]))
             for t in traces(fig, "best_date") for x, d in zip(t.x, t.customdata)}
    timeline = DATA.case_timeline[(DATA.case_timeline.case_id == case_id)
                                  & ~DATA.case_timeline.is_context.astype(bool)]
    for row in timeline.itertuples():
        if pd.isna(row.best_datetime):
            assert (row.event_key, "date") not in drawn  # undated: not on the axis
            continue
        x, best = drawn[(row.event_key, "date")]
        assert best == row.best_datetime == pd.Timestamp(x)
        if pd.notna(row.deadline_best_datetime):
            assert drawn[(row.event_key, "deadline")][1] == row.deadline_best_datetime


def test_comparison_marks_are_the_published_stage_days():
    fig = figures.comparison_figure(DATA)
    stages = DATA.case_stages.set_index(["case_id", "stage"])
    seen = 0
    for trace in traces(fig, "stage"):
        for x, (case_id, stage, event_key, day) in zip(trace.x, trace.customdata):
            row = stages.loc[(case_id, stage)]
            assert row.event_key == event_key and row.is_dated
            assert x == day == row.days_since_attack
            assert row.date_precision in DAY_OR_FINER
            seen += 1
    dated = stages[stages.is_dated.astype(bool)
                   & stages.date_precision.isin(DAY_OR_FINER)]
    assert seen == len(dated)


def test_comparison_aligned_on_the_claim_shifts_by_the_published_delay():
    fig = figures.comparison_figure(DATA, ["les-bluets-2022", "cannes-2024"], align_on="claim")
    marks = {(d[0], d[1]): x for t in traces(fig, "stage") for x, d in zip(t.x, t.customdata)}
    delays = DATA.delays.set_index(["case_id", "delay"])
    for case_id in ("les-bluets-2022", "cannes-2024"):
        assert marks[(case_id, "claim")] == 0
        assert marks[(case_id, "leak")] == delays.loc[(case_id, "claim_to_leak"), "best_days"]


def test_every_delay_shown_is_the_published_one():
    fig = figures.delay_figure(DATA)
    shown = {(d[0], d[1]): (x, d[2], d[3], d[4])
             for t in traces(fig, "delay") for x, d in zip(t.x, t.customdata)}
    measured = DATA.delays.dropna(subset=["best_days"])
    assert len(shown) == len(measured)
    for row in measured.itertuples():
        x, best, low, high = shown[(row.case_id, row.delay)]
        assert x == best == row.best_days and (low, high) == (row.min_days, row.max_days)


# --- honest dates -----------------------------------------------------------------------------

def test_no_point_for_a_date_coarser_than_a_day_and_no_undated_event_on_an_axis():
    events = DATA.events.set_index("event_id")
    for case_id in DATA.case_ids:
        fig = figures.case_calendar(DATA, case_id)
        for trace in traces(fig, "source_date"):
            for _case, key, kind, _outlets in trace.customdata:
                rows = events[(events.case_id == case_id) & (events.event_key == key)]
                column = "deadline_precision" if kind == "deadline" else "date_precision"
                assert set(rows[column].dropna()) & set(DAY_OR_FINER)
        undated = set(fig.layout.meta["undated"])
        drawn = {d[1] for t in fig.data if t.customdata is not None for d in t.customdata}
        assert not undated & drawn
    comparison = figures.comparison_figure(DATA)
    stages = DATA.case_stages.set_index(["case_id", "stage"])
    for trace in traces(comparison, "stage"):
        for case_id, stage, *_ in trace.customdata:
            assert stages.loc[(case_id, stage), "date_precision"] in DAY_OR_FINER


def test_a_month_only_stage_is_a_range_without_a_point():
    # Rennes' leak is dated only to July 2023.
    fig = figures.comparison_figure(DATA, ["rennes-2023"])
    assert not [d for t in traces(fig, "stage") for d in t.customdata if d[1] == "leak"]
    ranges = [t for t in traces(fig, "range") if t.meta["stage"] == "leak"]
    assert ranges and ranges[0].line.width > 5


def test_cannes_calendar_spans_the_case_not_operation_cronos():
    fig = figures.case_calendar(DATA, "cannes-2024")
    low, high = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    events = DATA.events[(DATA.events.case_id == "cannes-2024")
                         & (DATA.events.date_precision != "undated")]
    assert low <= events.earliest_datetime.min() and high >= events.latest_datetime.max()
    assert high - low < pd.Timedelta(days=40)
    cronos = pd.Timestamp("2024-02-19")
    assert not low <= cronos <= high
    assert any("cronos takedown" in note for note in fig.layout.meta["outside"])
    shapes = [pd.Timestamp(s.x0) for s in fig.layout.shapes]
    assert cronos not in shapes


def test_undated_stages_are_listed_beside_the_comparison():
    fig = figures.comparison_figure(DATA, ["rennes-2023", "cannes-2024"])
    notes = traces(fig, "undated_note")[0]
    assert list(notes.y) == [0, 1] and "claim" in notes.text[0]
    assert "first systems" in notes.text[1]


# --- labels, keys, sources --------------------------------------------------------------------

def test_rows_are_labelled_with_names_and_groups_not_ids():
    fig = figures.comparison_figure(DATA)
    labels = " ".join(fig.layout.yaxis.ticktext)
    for case_id in DATA.case_ids:
        assert case_id not in labels
    assert "Les Bluets maternity, Paris" in labels and "Vice Society" in labels
    assert "150 GB stolen" in labels


def test_every_figure_has_a_title_a_key_and_a_source_line():
    for fig in (figures.comparison_figure(DATA), figures.delay_figure(DATA),
                figures.cases_calendar(DATA), figures.case_calendar(DATA, "cannes-2024")):
        notes = " ".join(a.text for a in fig.layout.annotations)
        assert fig.layout.title.text and "Key" in notes
        assert f"Hospital ransomware timelines v{DATA.version}" in notes


def test_disagreements_are_bracketed_and_name_the_outlets():
    fig = figures.comparison_figure(DATA, ["les-bluets-2022"])
    assert traces(fig, "dispute")
    footnotes = traces(fig, "dispute_note")[0].meta["footnotes"]
    claim = [f for f in footnotes if "claim" in f][0]
    assert "Numerama" in claim and "LeMagIT" in claim


def test_many_case_calendar_has_one_mark_per_case_and_labelled_police_actions():
    fig = figures.cases_calendar(DATA)
    marks = [d[0] for t in traces(fig, "case_attack") for d in t.customdata]
    ranges = traces(fig, "case_attack_range")
    assert len(marks) + sum(len([x for x in t.x if x is not None]) // 2 for t in ranges) \
        == len(DATA.cases)
    assert any("cronos" in label for label in fig.layout.meta["context"])
    # Year buttons only for years that have cases: never an empty window.
    years = {int(b.label) for m in fig.layout.updatemenus for b in m.buttons
             if b.label.isdigit()}
    attack = DATA.case_stages[(DATA.case_stages.stage == "attack")
                              & DATA.case_stages.is_dated.astype(bool)]
    assert years == {d.year for d in attack.earliest_datetime}


def test_third_party_text_is_escaped():
    xss = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
    rows = [event_record("x-attack", "evil-2023", "attack", "attack", "evil-source",
                         "Evil <b>Outlet</b>", date="2023-03-01",
                         date_text="le 1er <i>mars</i>", quote=f"Avant {xss[0]} après {xss[1]}",
                         summary=f"Summary {xss[1]}"),
            event_record("y-attack", "evil-2023", "attack", "attack", "other", "Other",
                         date="2023-03-03", paraphrase=xss[0], summary=xss[1])]
    data = dataset_of(rows, [{"case_id": "evil-2023", "victim": "Hôpital <script>x</script>",
                              "city": "Nîmes", "facility_kind": "hospital", "groups": []}])
    for fig in (figures.case_calendar(data, "evil-2023"), figures.comparison_figure(data)):
        # What plotly renders as (a subset of) HTML: hovers, texts, labels, annotations.
        shown = [h for t in fig.data for h in (t.hovertext or []) if h]
        shown += [x for t in fig.data for x in (getattr(t, "text", None) or []) if x]
        shown += list(fig.layout.yaxis.ticktext or [])
        shown += [a.text for a in fig.layout.annotations] + [fig.layout.title.text]
        text = json.dumps(shown)
        if fig.layout.meta["figure"] == "case_calendar":  # the one that shows the words
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        for raw in (*xss, "<script>x</script>", "<b>Outlet", "<i>mars"):
            assert json.dumps(raw)[1:-1] not in text


def test_paraphrases_are_never_in_quote_marks():
    fig = figures.case_calendar(DATA, "cannes-2024")
    hovers = " ".join(h for t in fig.data if t.hovertext is not None for h in t.hovertext if h)
    paraphrase = "The LockBit group threatened to publish"  # a citation-only source's, ours
    assert f"In our words: {paraphrase}" in hovers
    assert f"“{paraphrase}" not in hovers and f"« {paraphrase}" not in hovers


# --- scale --------------------------------------------------------------------------------------

@pytest.mark.parametrize("builder", [figures.comparison_figure, figures.cases_calendar,
                                     figures.delay_figure])
def test_thirty_synthetic_cases(builder, synthetic_30):
    data = synthetic_30
    fig = builder(data)
    if builder is not figures.delay_figure:
        assert len(fig.layout.yaxis.ticktext) == 30
    small = builder(data, list(data.cases.case_id[:2]))
    assert small.layout.height < fig.layout.height
    legend = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert len(legend) == len(set(legend))  # one entry per stage or group


def test_unknown_case_or_stage_is_refused():
    with pytest.raises(ValueError, match="no-such-case"):
        figures.comparison_figure(DATA, ["no-such-case"])
    with pytest.raises(ValueError, match="ransom"):
        figures.comparison_figure(DATA, align_on="ransom")
