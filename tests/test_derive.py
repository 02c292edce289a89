"""The derived timeline: one best-date rule, stages chosen by rule or by annotation, delays.

Values marked "by hand" were read in the sources' dates, not computed by the code under test.
"""
from __future__ import annotations

import pandas as pd
import pytest
from frames import case_groups_frame, cases_frame, event_record, events_frame

from helpers.core.errors import DatasetError
from helpers.core.frames import load_dataset, read_table
from helpers.core.intervals import Interval
from helpers.core.paths import PROCESSED_DIR
from helpers.core.vocab import STAGES
from helpers.derive import DELAYS, combine, derive
from helpers.pipeline import build_dataset
from helpers.publish.package import render_outputs


def T(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def day(text: str, precision: str = "day") -> Interval:
    start = T(text)
    length = {"day": pd.Timedelta(days=1), "month": pd.DateOffset(months=1)}[precision]
    return Interval(start, start + length - pd.Timedelta(seconds=1), precision)


@pytest.fixture(scope="module")
def data():
    return load_dataset()


def stage(data, case_id: str, name: str) -> dict:
    rows = data.case_stages[(data.case_stages.case_id == case_id)
                            & (data.case_stages.stage == name)]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


def delay(data, case_id: str, name: str) -> dict:
    rows = data.delays[(data.delays.case_id == case_id) & (data.delays.delay == name)]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


# --- the best-date rule -----------------------------------------------------------------------

def test_agreeing_sources_give_the_middle_of_what_they_share():
    night = Interval(T("2022-10-09 22:00"), T("2022-10-10 05:59:59"), "part_of_day")
    combined = combine([day("2022-10-09"), night])
    assert (combined.earliest, combined.latest) == (T("2022-10-09 22:00"),
                                                    T("2022-10-09 23:59:59"))
    assert combined.best == T("2022-10-09 22:59:59")
    assert combined.precision == "part_of_day" and not combined.is_disputed


def test_disputed_sources_give_the_lower_median_of_their_midpoints():
    combined = combine([day("2022-10-20"), day("2022-10-18"), day("2022-10-18"),
                        day("2022-10-22")])
    assert combined.is_disputed
    assert combined.best == T("2022-10-18 11:59:59")  # sorted mids 18, 18, 20, 22: 2nd
    assert (combined.earliest, combined.latest) == (T("2022-10-18"), T("2022-10-22 23:59:59"))
    assert combined.spread_days == 4.0


def test_a_coarse_source_holding_a_finer_one_does_not_widen_a_dispute():
    minute = lambda t: Interval(T(t), T(t) + pd.Timedelta(seconds=59), "minute")  # noqa: E731
    combined = combine([day("2023-03-01", "month"), minute("2023-03-09 20:30"),
                        minute("2023-03-09 20:33")])
    assert combined.is_disputed
    assert (combined.earliest, combined.latest) == (T("2023-03-09 20:30"),
                                                    T("2023-03-09 20:33:59"))
    assert combined.best == T("2023-03-09 20:30:29") and combined.precision == "minute"


def test_undated_sources_never_give_a_best_date():
    undated = Interval(T("2022-10-09"), T("2022-10-24 23:59:59"), "undated")
    assert combine([undated]).best is None
    assert combine([undated]).precision == "undated"
    # Beside a dated source, the undated one is not used at all.
    assert combine([undated, day("2022-10-20")]).best == T("2022-10-20 11:59:59")


# --- hand-computed values on the real dataset -------------------------------------------------

def test_les_bluets_by_hand(data):
    lb = "les-bluets-2022"
    assert stage(data, lb, "attack")["best_date"] == T("2022-10-09")      # night of 9-10 Oct
    disclosure = stage(data, lb, "disclosure")
    assert disclosure["best_date"] == T("2022-10-17")                     # the communiqué
    assert disclosure["days_since_attack"] == 8
    assert delay(data, lb, "attack_to_disclosure")["best_days"] == 8
    claim = stage(data, lb, "claim")
    assert claim["is_disputed"] and claim["earliest_datetime"] == T("2022-10-18") \
        and claim["latest_datetime"].date() == T("2022-10-20").date()         # 18 or 20 Oct
    claim_delay = delay(data, lb, "attack_to_claim")
    assert (claim_delay["min_days"], claim_delay["max_days"]) == (9, 11)
    assert stage(data, lb, "leak")["best_date"] == T("2022-10-24")
    assert delay(data, lb, "attack_to_leak")["best_days"] == 15


def test_cannes_by_hand(data):
    cn = "cannes-2024"
    assert stage(data, cn, "attack")["best_date"] == T("2024-04-16")
    leak = delay(data, cn, "attack_to_leak")
    assert (leak["min_days"], leak["max_days"]) == (15, 17)               # 1 to 3 May
    assert 15 <= leak["best_days"] <= 17 and pd.isna(leak["flag"])


def test_chsf_day_zero_is_the_attack_with_the_intrusion_before_it(data):
    attack, intrusion = stage(data, "chsf-2022", "attack"), stage(data, "chsf-2022", "intrusion")
    assert attack["best_date"] == T("2022-08-21") and attack["days_since_attack"] == 0
    assert intrusion["best_date"] == T("2022-08-10") and intrusion["days_since_attack"] == -11
    assert delay(data, "chsf-2022", "intrusion_to_attack")["best_days"] == 11


def test_the_figures_day_zero_is_the_attack_stage_of_every_case(data):
    stages = data.case_stages
    attacks = stages[(stages.stage == "attack") & stages.is_dated.astype(bool)]
    assert (attacks.days_since_attack == 0).all()
    assert len(attacks) == len(data.cases)


# --- stages and delays ------------------------------------------------------------------------

def test_an_undated_event_never_stands_for_a_stage_beside_a_dated_one(data):
    timeline = data.case_timeline
    for row in data.case_stages[data.case_stages.is_reported.astype(bool)].itertuples():
        own = timeline[(timeline.case_id == row.case_id) & ~timeline.is_context.astype(bool)
                       & (timeline.event_type == row.event_type)]
        if own.best_datetime.notna().any() and row.stage != "deadline":
            assert row.is_dated, (row.case_id, row.stage)
            assert row.best_datetime == own.best_datetime.min(), (row.case_id, row.stage)


def test_a_stage_only_reported_undated_gives_empty_delays_with_the_reason(data):
    claim = stage(data, "rennes-2023", "claim")
    assert claim["is_reported"] and not claim["is_dated"]
    row = delay(data, "rennes-2023", "attack_to_claim")
    assert pd.isna(row["best_days"]) and pd.isna(row["min_days"]) and pd.isna(row["max_days"])
    assert row["flag"] == "not_dated" and "no source dates it" in row["flag_reason"]


def test_no_negative_delay_without_its_flag_and_reason(synthetic_30):
    for tables in (load_dataset(), synthetic_30):
        negative = tables.delays[tables.delays.best_days < 0]
        assert (negative.flag == "negative").all()
        assert negative.flag_reason.str.contains("is dated before").all()
    assert len(load_dataset().delays.query("best_days < 0"))  # exercised


def test_every_case_has_every_stage_and_every_delay(data):
    assert len(data.case_stages) == len(data.cases) * len(STAGES)
    assert len(data.delays) == len(data.cases) * len(DELAYS)
    empty = data.delays[data.delays.best_days.isna()]
    assert empty.flag.isin(["not_reported", "not_dated"]).all()
    assert empty.flag_reason.notna().all()
    measured = data.delays.dropna(subset=["best_days"])
    assert (measured.min_days <= measured.best_days).all()
    assert (measured.best_days <= measured.max_days).all()


def test_a_month_only_end_flags_the_delay_as_imprecise(data):
    row = delay(data, "rennes-2023", "attack_to_leak")
    assert row["flag"] == "imprecise" and "month" in row["flag_reason"]
    assert row["max_days"] - row["min_days"] >= 28


def test_ultimatum_to_deadline_measures_one_ultimatum():
    e = event_record
    events = events_frame([
        e("a", "c", "attack", "attack", "s1", "S1", date="2024-01-01"),
        e("u1", "c", "ultimatum", "first-threat", "s1", "S1", date="2024-01-05"),
        e("u2", "c", "ultimatum", "second-threat", "s2", "S2", date="2024-01-10",
          deadline="2024-01-17"),
    ])
    cases = [{"case_id": "c", "victim": "V", "city": "X", "facility_kind": "hospital",
              "groups": []}]
    derived = derive(events, cases_frame(cases), case_groups_frame(cases))
    row = derived.delays[derived.delays.delay == "ultimatum_to_deadline"].iloc[0]
    assert row.from_event_key == "second-threat" and row.best_days == 7


# --- one home for every number --------------------------------------------------------------

def test_the_derive_step_reads_only_the_published_event_rows():
    """Deriving from data/processed gives the bytes the build writes."""
    derived = derive(*(read_table(name, PROCESSED_DIR)
                       for name in ("events", "cases", "case_groups", "stage_overrides")))
    files = render_outputs(derived, None, include_metadata=False)
    for name, content in files.items():
        assert (PROCESSED_DIR / name).read_bytes() == content, name


def test_an_annotator_can_name_the_event_of_a_stage(tmp_path, mini_project):
    raw = mini_project / "data" / "raw"
    cases = (raw / "cases.yaml").read_text(encoding="utf-8")
    before = build_dataset(raw, mini_project).case_stages
    attack = before[before.stage == "attack"].iloc[0]
    # Name the case's claim... as its attack: refused, with the file, line and field.
    case_id = attack.case_id
    (raw / "cases.yaml").write_text(cases.replace(
        f"case_id: {case_id}\n",
        f"case_id: {case_id}\n  stages:\n    - stage: attack\n      event_key: nothing-such\n"
        "      reason: testing\n", 1), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        build_dataset(raw, mini_project)
    text = caught.value.render()
    assert "data/raw/cases.yaml" in text and "stages.event_key" in text
    assert "nothing-such" in text
    # Naming the event the rule chose is accepted and recorded as the annotator's choice.
    (raw / "cases.yaml").write_text(cases.replace(
        f"case_id: {case_id}\n",
        f"case_id: {case_id}\n  stages:\n    - stage: attack\n      event_key: "
        f"{attack.event_key}\n      reason: the communiqué's date\n", 1), encoding="utf-8")
    after = build_dataset(raw, mini_project)
    chosen = after.case_stages
    chosen = chosen[(chosen.case_id == case_id) & (chosen.stage == "attack")].iloc[0]
    assert chosen.chosen_by == "annotation" and chosen.selection_reason == "the communiqué's date"
    assert list(after.stage_overrides.reason) == ["the communiqué's date"]


def test_unknown_stage_name_is_refused(mini_project):
    raw = mini_project / "data" / "raw"
    cases = (raw / "cases.yaml").read_text(encoding="utf-8")
    first_id = cases.split("case_id: ", 1)[1].split("\n", 1)[0]
    (raw / "cases.yaml").write_text(cases.replace(
        f"case_id: {first_id}\n",
        f"case_id: {first_id}\n  stages:\n    - stage: ransom\n      event_key: x\n"
        "      reason: r\n", 1), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        build_dataset(raw, mini_project)
    assert "unknown stage 'ransom'" in caught.value.render()
