"""The real dataset: built from data/raw, it matches data/processed and passes every check."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import apply_edit, copy_raw

from helpers.core.frames import load_dataset
from helpers.core.paths import PROCESSED_DIR, RAW_DIR
from helpers.core.schema import TABLES
from helpers.pipeline import build, build_dataset
from helpers.publish.package import render_outputs

REQUIRED_EVENT_COLUMNS = [
    "event_id", "case_id", "event_type", "source_id", "date_text", "date_iso", "earliest_datetime",
    "latest_datetime", "date_precision", "date_method", "quote", "quote_start", "quote_end", "actor",
    "target", "data_volume_gb", "status", "summary",
]


@pytest.fixture(scope="module")
def tables():
    return build_dataset()


@pytest.fixture(scope="module")
def rendered(tables):
    return render_outputs(tables, RAW_DIR)


def test_committed_processed_data_matches_a_rebuild(rendered):
    committed = {p.name for p in PROCESSED_DIR.iterdir() if not p.name.startswith(".")}
    assert committed == set(rendered), "data/processed has files the build does not make"
    for name, content in rendered.items():
        assert (PROCESSED_DIR / name).read_bytes() == content, (
            f"data/processed/{name} is stale: run `make data` and commit it")


def test_two_builds_give_the_same_bytes(tables, rendered):
    again = render_outputs(build_dataset(), RAW_DIR)
    assert again == rendered


def test_events_have_the_documented_columns_in_order(tables):
    columns = list(tables.events.columns)
    assert columns[: len(REQUIRED_EVENT_COLUMNS)] != [] and set(REQUIRED_EVENT_COLUMNS) <= set(columns)
    assert columns == [c.name for c in TABLES["events"]["columns"]]


def test_every_quote_is_the_stored_text_at_its_offsets(tables):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (RAW_DIR / "sources").glob("*.txt")}
    quoted = tables.events[tables.events.quote.notna()]
    assert set(quoted.source_id) == set(texts)
    for row in quoted.itertuples():
        assert texts[row.source_id][row.quote_start:row.quote_end] == row.quote
        if pd.notna(row.date_text):
            inner = texts[row.source_id][row.date_text_start:row.date_text_end]
            assert row.quote_start <= row.date_text_start < row.date_text_end <= row.quote_end
            assert inner.replace("\u00a0", " ") == row.date_text.replace("\u00a0", " ")


def test_seed_facts(tables):
    events = tables.events.set_index("event_id")
    assert events.loc["bluets-linfo-attack", "date_iso"] == "2022-10-09"
    assert events.loc["bluets-linfo-leak", "date_iso"] == "2022-10-24"
    leak = events.loc["cannes-nicematin-leak"]
    assert leak.date_precision == "part_of_day"
    assert str(leak.earliest_datetime.date()) == "2024-05-01"
    assert str(leak.latest_datetime.date()) == "2024-05-02"


def test_disagreements_are_kept(tables):
    timeline = tables.case_timeline.set_index(["case_id", "event_key"])
    bluets_claim = tables.events[(tables.events.case_id == "les-bluets-2022")
                                 & (tables.events.event_key == "claim")]
    assert {"2022-10-18", "2022-10-20"} <= set(bluets_claim.date_iso)
    assert timeline.loc[("les-bluets-2022", "claim"), "is_disputed"]
    cannes_leak = tables.events[(tables.events.case_id == "cannes-2024")
                                & (tables.events.event_key == "leak")]
    assert {"2024-05-01", "2024-05-03"} <= set(cannes_leak.date_iso)
    assert timeline.loc[("cannes-2024", "leak"), "is_disputed"]
    assert set(cannes_leak.data_volume_gb.dropna()) >= {61.0, 61.7}
    counts = set(tables.events[tables.events.event_key == "cronos-takedown"].n_countries.dropna())
    assert {10, 12} <= counts


def test_police_action_is_recorded_once_and_shown_on_the_groups_cases(tables):
    takedown = tables.events[tables.events.event_type == "police_action"]
    assert takedown.case_id.isna().all() and (takedown.target == "lockbit").all()
    timeline = tables.case_timeline
    on_cannes = timeline[(timeline.case_id == "cannes-2024") & timeline.is_context]
    assert "cronos-takedown" in set(on_cannes.event_key)
    on_bluets = timeline[(timeline.case_id == "les-bluets-2022") & timeline.is_context]
    assert on_bluets.empty


def test_bounds_are_ordered_and_undated_events_are_bounded(tables):
    events = tables.events
    assert (events.earliest_datetime <= events.latest_datetime).all()
    undated = events[events.date_precision == "undated"]
    assert len(undated) > 0
    assert undated.date_iso.isna().all() and undated.date_method.str.startswith("bounds:").all()


def test_frictionless_validates_the_package():
    run = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate",
                          "--json", str(PROCESSED_DIR / "datapackage.json")],
                         capture_output=True, text=True, cwd=PROCESSED_DIR)
    report = json.loads(run.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]


def test_loader_types_the_columns():
    data = load_dataset()
    assert str(data.events.earliest_datetime.dtype).startswith("datetime64")
    assert data.events.quote_start.dtype == "Int64"
    assert data.events.is_context.dtype == "boolean"
    assert data.version == json.loads((PROCESSED_DIR / "datapackage.json").read_text())["version"]
    with pytest.raises(ValueError, match="valid case ids: ajaccio-2022, albertville-2020, "):
        data.check_case("nowhere")
    assert data.check_case("cannes-2024") == "cannes-2024"


def test_failed_build_leaves_previous_outputs_byte_identical(tmp_path):
    raw = copy_raw(RAW_DIR, tmp_path)
    out = tmp_path / "data" / "processed"
    build(raw, out, tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    apply_edit(raw, {"file": "annotations/nice-matin-2024-cannes.yaml",
                     "replace": [["    type: leak\n", "    type: fuite\n"]]})
    with pytest.raises(Exception):
        build(raw, out, tmp_path)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_csv_round_trip_of_awkward_text(tmp_path, mini_project):
    raw = mini_project / "data" / "raw"
    awkward = '=HYPERLINK("x"), "quoted"\nnew line, +1 -2 @at'
    apply_edit(raw, {"file": "annotations/test-citation.yaml",
                     "replace": [["    summary: Complaint filed.\n",
                                  f"    summary: {json.dumps(awkward)}\n    notes: {json.dumps(awkward)}\n"]]})
    out = mini_project / "data" / "processed"
    build(raw, out, mini_project)
    text = (out / "events.csv").read_text(encoding="utf-8")
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["test-citation-complaint"]["notes"] == " ".join(awkward.split())
    frame = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert frame.set_index("event_id").loc["test-citation-complaint", "notes"] == " ".join(awkward.split())


def test_the_build_returns_the_loaders_typed_tables(tables):
    """One form of the tables in memory: what the build returns is what the loader reads."""
    loaded = load_dataset()
    assert [name for name, _ in tables.items()] == [name for name, _ in loaded.items()]
    for (name, built), (_, read) in zip(tables.items(), loaded.items()):
        pd.testing.assert_frame_equal(built, read, obj=name)


def test_every_key_is_unique_and_every_reference_resolves(tables):
    frames = dict(tables.items())
    for name, spec in TABLES.items():
        frame = frames[name]
        assert not frame.duplicated(spec["primary_key"]).any(), name
        for column, target, key in spec["foreign_keys"]:
            values = set(frame[column].dropna())
            assert values <= set(frames[target][key]), (name, column, values - set(frames[target][key]))


def test_no_column_packs_a_list(tables):
    """Lists are association tables (case_groups, group_aliases, event_agencies,
    case_timeline_events), never ';'-joined text."""
    for name, spec in TABLES.items():
        assert not any("separated by" in c.description for c in spec["columns"]), name
    assert set(tables.case_groups.case_id) < set(tables.cases.case_id)  # some unattributed
    police = tables.events[tables.events.event_type == "police_action"]
    assert set(tables.event_agencies.event_id) <= set(police.event_id)
    assert len(tables.group_aliases) and len(tables.event_agencies)
    joined = tables.case_timeline_events.groupby(["case_id", "event_key"]).size()
    assert (joined.reindex(pd.MultiIndex.from_frame(tables.case_timeline[["case_id", "event_key"]]))
            == tables.case_timeline.n_sources.to_numpy()).all()


def test_column_names_follow_the_codebooks_convention():
    for name, spec in TABLES.items():
        for column in spec["columns"]:
            where = f"{name}.{column.name}"
            if column.type == "datetime":
                assert column.name.endswith("_datetime"), where
            if column.type == "date":
                assert column.name.endswith("_date"), where
            if column.type == "boolean":
                assert column.name.startswith(("is_", "has_")), where
            if column.name.endswith(("_date", "_datetime")):
                assert column.type in ("date", "datetime"), where
            if "count" in column.name.split("_") or "counts" in column.name.split("_"):
                assert column.name.startswith("n_"), where  # n_countries, not countries_count
