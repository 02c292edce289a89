"""The scaffold (python -m helpers new): skeletons that hold every field the build reads,
and that pass the check (what `make check` runs) once filled in."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from helpers.raw.annotations import EVENT_FIELDS, REQUIRED_EVENT_FIELDS
from helpers.raw.cases import CASE_FIELDS
from helpers.raw.scaffold import main as new_main
from helpers.raw.sources import OPTIONAL_FIELDS, REQUIRED_FIELDS


def _check(project: Path) -> subprocess.CompletedProcess:
    """What `make check` runs, on the project's raw folder."""
    return subprocess.run([sys.executable, "-m", "helpers", "build", "--check", "--strict",
                           "--raw", str(project / "data" / "raw")],
                          capture_output=True, text=True)


def _fill(path: Path, values: dict[str, str], after: str = "") -> None:
    """Fill a skeleton as an annotator does: replace each `key: null`, keeping comments (in
    the record that begins with the line `after`, when given)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(after)) if after else 0
    for key, value in values.items():
        hits = [i for i, line in enumerate(lines)
                if i >= first and line.lstrip(" -").startswith(f"{key}: ")]
        assert len(hits) == 1 or after, key
        line = lines[hits[0]]
        start = line.index(f"{key}: ") + len(key) + 2
        old = line[start:].split("#", 1)[0].rstrip()
        lines[hits[0]] = line[:start] + line[start:].replace(old, value, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_skeletons_hold_every_required_field_and_no_other(mini_project):
    raw = mini_project / "data" / "raw"
    assert new_main(["--raw", str(raw), "source", "testville-wire-2023-03-24"]) == 0
    assert new_main(["--raw", str(raw), "case", "otherville-2024"]) == 0
    meta = yaml.safe_load((raw / "sources" / "testville-wire-2023-03-24.yaml").read_text())
    assert set(REQUIRED_FIELDS) <= set(meta) <= set(REQUIRED_FIELDS + OPTIONAL_FIELDS)
    annotation = yaml.safe_load(
        (raw / "annotations" / "testville-wire-2023-03-24.yaml").read_text())
    event = annotation["events"][0]
    assert set(REQUIRED_EVENT_FIELDS) <= set(event) <= set(EVENT_FIELDS)
    case = yaml.safe_load((raw / "cases.yaml").read_text())[-1]
    assert case["case_id"] == "otherville-2024" and set(case) <= set(CASE_FIELDS)


def test_a_scaffolded_citation_passes_the_check_once_filled(mini_project):
    raw = mini_project / "data" / "raw"
    assert new_main(["--raw", str(raw), "source", "testville-wire-2023-03-24",
                     "--case", "testville-2023", "--url", "https://example.org/wire"]) == 0
    run = _check(mini_project)
    assert run.returncode == 1 and "left to fill" in run.stderr
    _fill(raw / "sources" / "testville-wire-2023-03-24.yaml", {
        "outlet": "Test Wire", "published": '"2023-03-24"', "published_qualifier": "exact",
        "published_basis": "Shown on the page."})
    _fill(raw / "annotations" / "testville-wire-2023-03-24.yaml", {
        "id": "testville-wire-leak", "type": "leak", "event_key": "leak",
        "status": "reported_by_outlet",
        "paraphrase": "The data stolen from the hospital were published on 20 March.",
        "date_text": '"le 20 mars"', "date": '"2023-03-20"',
        "summary": "Data published, 20 March 2023."})
    run = _check(mini_project)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "" and run.stdout.rstrip().endswith("checked")


def test_a_scaffolded_stored_text_passes_the_check_once_filled(mini_project, tmp_path):
    raw = mini_project / "data" / "raw"
    text = tmp_path / "article.txt"
    text.write_text("L'hôpital de Testville a porté plainte le 7 mars, dit le journal.\n",
                    encoding="utf-8")
    assert new_main(["--raw", str(raw), "source", "testville-journal-2023-03-09",
                     "--case", "testville-2023", "--text", str(text)]) == 0
    stored = raw / "sources" / "testville-journal-2023-03-09.txt"
    assert stored.read_bytes() == text.read_bytes()
    _fill(raw / "sources" / "testville-journal-2023-03-09.yaml", {
        "outlet": "Test Journal", "published": '"2023-03-09"', "published_qualifier": "exact",
        "rights": "Written by the project for its tests."})
    _fill(raw / "annotations" / "testville-journal-2023-03-09.yaml", {
        "id": "testville-journal-complaint", "type": "complaint", "event_key": "complaint",
        "status": "reported_by_outlet", "quote": '"a porté plainte le 7 mars"',
        "date_text": '"le 7 mars"', "summary": "Complaint filed, 7 March 2023."})
    run = _check(mini_project)
    assert run.returncode == 0, run.stderr


def test_a_scaffolded_case_passes_the_check_once_filled(mini_project):
    raw = mini_project / "data" / "raw"
    assert new_main(["--raw", str(raw), "case", "otherville-2024", "--city", "Otherville",
                     "--group", "testgang"]) == 0
    assert "left to fill: victim, facility_kind, incident_kind" in _check(mini_project).stderr
    _fill(raw / "cases.yaml", {"victim": "Centre hospitalier d'Otherville",
                               "facility_kind": "hospital", "incident_kind": "ransomware"},
          after="- case_id: otherville-2024")
    run = _check(mini_project)
    assert run.returncode == 0, run.stderr


def test_the_scaffold_never_overwrites_and_checks_ids(mini_project, capsys):
    raw = mini_project / "data" / "raw"
    assert new_main(["--raw", str(raw), "source", "test-citation"]) == 1
    assert new_main(["--raw", str(raw), "source", "Bad_Id"]) == 1
    assert new_main(["--raw", str(raw), "case", "testville-2023"]) == 1
    assert new_main(["--raw", str(raw), "case", "x-2024", "--facility-kind", "hopital"]) == 1
    err = capsys.readouterr().err
    assert "exists already; nothing was written" in err
    assert "'Bad_Id' is not a valid source id" in err
    assert "case testville-2023 is in" in err
    assert "unknown facility kind 'hopital' (did you mean 'hospital'?)" in err


def test_the_guides_complete_example_passes_the_check(tmp_path):
    """docs/annotating.md's citation-only example, written over the real files of that
    source in a copy of data/raw, builds without a problem or a warning."""
    import re

    from conftest import copy_raw

    from helpers.core.paths import PROJECT_ROOT, RAW_DIR
    from helpers.pipeline import build_dataset

    guide = (PROJECT_ROOT / "docs" / "annotating.md").read_text(encoding="utf-8")
    example = guide.split("## A complete citation-only example", 1)[1].split("\n## ", 1)[0]
    meta, annotation = re.findall(r"```yaml\n(.*?)```", example, re.DOTALL)
    source_id = yaml.safe_load(meta)["source_id"]
    assert yaml.safe_load(annotation)["source"] == source_id
    raw = copy_raw(RAW_DIR, tmp_path)
    (raw / "sources" / f"{source_id}.yaml").write_text(meta, encoding="utf-8")
    (raw / "annotations" / f"{source_id}.yaml").write_text(annotation, encoding="utf-8")
    tables = build_dataset(raw, tmp_path)
    assert set(tables.events[tables.events.source_id == source_id].event_id) == {
        "cannes-clubic-attack", "cannes-clubic-disclosure", "cannes-clubic-postponements"}
    assert [w for w in tables.warnings if source_id in w.file] == []


def test_no_doc_points_outside_the_repository():
    from helpers.core.paths import PROJECT_ROOT

    for path in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path
