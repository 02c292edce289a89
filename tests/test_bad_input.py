"""The catalogue of bad inputs (tests/fixtures/bad/): each must produce its own error."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.build import build, build_tables
from helpers.errors import DatasetError

from conftest import apply_edit, bad_fixtures

CATALOGUE = bad_fixtures()


def test_catalogue_is_not_empty_and_clean_fixture_builds(mini_project):
    assert len(CATALOGUE) >= 20
    tables = build_tables(mini_project / "data" / "raw", mini_project)
    assert len(tables.events) == 7


@pytest.mark.parametrize("name,fixture", CATALOGUE, ids=[n for n, _ in CATALOGUE])
def test_bad_input_gives_its_error(mini_project, name, fixture):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, fixture["edit"])
    with pytest.raises(DatasetError) as caught:
        build_tables(raw, mini_project)
    problems = caught.value.problems
    for expected in fixture["expect"]:
        matches = [p for p in problems
                   if all(expected[k] in str(getattr(p, k)) if k in ("message", "hint")
                          else getattr(p, k) == expected[k] for k in expected)]
        assert matches, f"{name}: expected {expected}, got:\n{caught.value.render()}"


def test_all_problems_reported_at_once_sorted(mini_project):
    raw = mini_project / "data" / "raw"
    for name in ("unknown-event-type", "hand-date-disagrees", "unresolvable-date"):
        apply_edit(raw, dict(CATALOGUE)[name]["edit"])
    with pytest.raises(DatasetError) as caught:
        build_tables(raw, mini_project)
    problems = caught.value.problems
    assert {p.event_id for p in problems} >= {"test-article-claim", "test-article-attack",
                                              "test-citation-leak"}
    assert problems == sorted(problems)


def test_cli_error_has_no_traceback_and_leaves_outputs(mini_project):
    raw, out = mini_project / "data" / "raw", mini_project / "data" / "processed"
    build(raw, out, mini_project)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    apply_edit(raw, dict(CATALOGUE)["unknown-event-type"]["edit"])
    run = subprocess.run([sys.executable, "-m", "helpers.build", "--raw", str(raw), "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert ("data/raw/annotations/test-article.yaml:22: event test-article-claim: field 'type': "
            "unknown event type 'revendication'") in run.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_explained_exception_lets_a_rule_pass(mini_project):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, dict(CATALOGUE)["leak-before-attack"]["edit"])
    apply_edit(raw, {"file": "annotations/test-citation.yaml", "replace": [[
        "    data_volume_gb: 13\n",
        "    data_volume_gb: 13\n    exceptions:\n      - rule: chronology\n"
        "        reason: The outlet's date is wrong but is what it says.\n"]]})
    tables = build_tables(raw, mini_project)
    assert "2023-03-01" in set(tables.events.event_date)


def test_exception_without_reason_is_refused(mini_project):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, {"file": "annotations/test-citation.yaml", "replace": [[
        "    data_volume_gb: 13\n", "    data_volume_gb: 13\n    exceptions:\n      - rule: chronology\n"]]})
    with pytest.raises(DatasetError, match="each exception needs a known rule and a reason"):
        build_tables(raw, mini_project)
