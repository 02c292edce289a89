"""The catalogue of bad inputs (tests/fixtures/bad/): each must produce its own error, once.

A fixture edits a copy of tests/fixtures/mini_raw (`edit`) and says what the build reports:
- `expect`: problems that must be among those reported (each key must equal the problem's,
  except `message` and `hint`, which must contain the text given);
- `problems`: how many problems exactly (a mistake is reported once, at its root, with what
  it stops from being checked under it);
- `warnings`: warnings that must be among those reported, matched like `expect`; a fixture
  without `expect` must build (warnings do not stop the build);
- `output`: the report exactly as `make check` prints it (problems, their consequences, the
  warnings), without the final "Nothing was written" line.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import apply_edit, bad_fixtures

from helpers.core.errors import DatasetError, render_report
from helpers.pipeline import build, build_dataset

CATALOGUE = bad_fixtures()


def _matching(found, expected: dict) -> list:
    return [p for p in found
            if all(expected[k] in str(getattr(p, k)) if k in ("message", "hint")
                   else getattr(p, k) == expected[k] for k in expected)]


def test_catalogue_is_not_empty_and_clean_fixture_builds(mini_project):
    assert len(CATALOGUE) >= 20
    tables = build_dataset(mini_project / "data" / "raw", mini_project)
    assert len(tables.events) == 7
    assert not tables.warnings


def test_every_fixture_says_how_many_problems_and_prints_its_report():
    for name, fixture in CATALOGUE:
        assert "output" in fixture, f"{name}: give the exact report in 'output'"
        assert "problems" in fixture or "expect" not in fixture, f"{name}: give 'problems'"


@pytest.mark.parametrize("name,fixture", CATALOGUE, ids=[n for n, _ in CATALOGUE])
def test_bad_input_gives_its_error(mini_project, name, fixture):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, fixture["edit"])
    if fixture.get("expect"):
        with pytest.raises(DatasetError) as caught:
            build_dataset(raw, mini_project)
        problems, warnings = caught.value.problems, caught.value.warnings
        report = caught.value.render()
    else:  # warnings only: the build goes on
        tables = build_dataset(raw, mini_project)
        problems, warnings = [], tables.warnings
        report = render_report([], warnings=warnings)
    for expected in fixture.get("expect", []):
        assert _matching(problems, expected), f"{name}: expected {expected}, got:\n{report}"
    for expected in fixture.get("warnings", []):
        assert _matching(warnings, expected), f"{name}: expected warning {expected}, got:\n{report}"
    if "problems" in fixture:
        assert len(problems) == fixture["problems"], f"{name}: got:\n{report}"
    if "warnings" in fixture:
        assert len(warnings) == len(fixture["warnings"]), f"{name}: got:\n{report}"
    assert report == fixture["output"].rstrip("\n"), f"{name}: got:\n{report}"


def test_all_problems_reported_at_once_sorted(mini_project):
    raw = mini_project / "data" / "raw"
    for name in ("unknown-event-type", "hand-date-disagrees", "unresolvable-date"):
        apply_edit(raw, dict(CATALOGUE)[name]["edit"])
    with pytest.raises(DatasetError) as caught:
        build_dataset(raw, mini_project)
    problems = caught.value.problems
    assert {p.event_id for p in problems} >= {"test-article-claim", "test-article-attack",
                                              "test-citation-leak"}
    assert problems == sorted(problems)


def test_cli_error_has_no_traceback_and_leaves_outputs(mini_project):
    raw, out = mini_project / "data" / "raw", mini_project / "data" / "processed"
    build(raw, out, mini_project)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    apply_edit(raw, dict(CATALOGUE)["unknown-event-type"]["edit"])
    run = subprocess.run([sys.executable, "-m", "helpers", "build", "--raw", str(raw), "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert ("data/raw/annotations/test-article.yaml:22: event test-article-claim: field 'type': "
            "unknown event type 'revendication' (did you mean 'claim'?)") in run.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_explained_exception_lets_a_rule_pass(mini_project):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, dict(CATALOGUE)["leak-before-attack"]["edit"])
    apply_edit(raw, {"file": "annotations/test-citation.yaml", "replace": [[
        "    data_volume_gb: 13\n",
        "    data_volume_gb: 13\n    exceptions:\n      - rule: chronology\n"
        "        reason: The outlet's date is wrong but is what it says.\n"]]})
    tables = build_dataset(raw, mini_project)
    assert "2023-03-01" in set(tables.events.date_iso)


def test_exception_without_reason_is_refused(mini_project):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, {"file": "annotations/test-citation.yaml", "replace": [[
        "    data_volume_gb: 13\n", "    data_volume_gb: 13\n    exceptions:\n      - rule: chronology\n"]]})
    with pytest.raises(DatasetError, match="each exception needs a known rule and a reason"):
        build_dataset(raw, mini_project)


def test_warnings_fail_the_build_only_with_strict(mini_project):
    raw, out = mini_project / "data" / "raw", mini_project / "data" / "processed"
    apply_edit(raw, dict(CATALOGUE)["warn-iso-date-verbatim"]["edit"])
    command = [sys.executable, "-m", "helpers", "build", "--raw", str(raw), "--out", str(out)]
    run = subprocess.run(command + ["--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "1 warning in data/raw" in run.stderr and run.stdout.rstrip().endswith("checked")
    run = subprocess.run(command + ["--strict"], capture_output=True, text=True)
    assert run.returncode == 1
    assert "--strict: warnings fail the build." in run.stderr
    assert not out.exists(), "nothing is written when --strict fails"


def test_validate_also_marks_the_files_a_problem_elsewhere_leaves_unchecked(mini_project):
    """The annotator's source report shows validate()'s lines for its files: a source whose
    events wait for an invalid case must not look clean."""
    from helpers.build import validate

    raw = mini_project / "data" / "raw"
    apply_edit(raw, dict(CATALOGUE)["case-invalid-group"]["edit"])
    found = validate(raw, mini_project)
    assert [str(p) for p in found if p.file.endswith("test-citation.yaml")] == [
        "data/raw/annotations/test-citation.yaml: 7 events of case testville-2023 not checked "
        "(annotations/test-article.yaml:3, 12, 20, 29, 41; annotations/test-citation.yaml:3, "
        "15): the case is invalid, see cases.yaml:7 (the problem is at data/raw/cases.yaml:7)"]
    assert sum(p.file == "data/raw/cases.yaml" for p in found) == 1


@pytest.mark.parametrize("name,rule", [("warn-iso-date-verbatim", "date_text_language"),
                                       ("warn-reporting-verb-next-to-date", "reporting_date")])
def test_an_explained_exception_silences_a_warning(mini_project, name, rule):
    raw = mini_project / "data" / "raw"
    apply_edit(raw, dict(CATALOGUE)[name]["edit"])
    exception = (f"    exceptions:\n      - rule: {rule}\n"
                 "        reason: The page does say so.\n")
    apply_edit(raw, {"file": "annotations/test-citation.yaml", "replace": [[
        "    data_volume_gb: 13\n", "    data_volume_gb: 13\n" + exception]]})
    assert not build_dataset(raw, mini_project).warnings
