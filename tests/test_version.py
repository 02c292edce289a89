"""The dataset's version, bumped in one place (python -m helpers version): the CHANGELOG's
"Unreleased" entry, dataset.yaml and CITATION.cff."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import TESTS

from helpers.publish.version import ReleaseError, check, release, released_version


@pytest.fixture
def versioned(tmp_path: Path) -> Path:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    root = TESTS.parent
    shutil.copy(root / "CITATION.cff", tmp_path / "CITATION.cff")
    shutil.copy(root / "data" / "raw" / "dataset.yaml", tmp_path / "data" / "raw")
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## Unreleased\n\n- Two more cases.\n\n## 0.3.0 (2026-11-30)\n\n- ...\n",
        encoding="utf-8")
    for name in ("CITATION.cff", "data/raw/dataset.yaml"):
        path = tmp_path / name
        path.write_text(path.read_text().replace(f"version: {_version()}", "version: 0.3.0")
                        .replace(_released_on(), '"2026-11-30"'), encoding="utf-8")
    return tmp_path


def _version() -> str:
    return yaml.safe_load((TESTS.parent / "CITATION.cff").read_text())["version"]


def _released_on() -> str:
    line = next(l for l in (TESTS.parent / "CITATION.cff").read_text().splitlines()
                if l.startswith("date-released:"))
    return line.split(":", 1)[1].strip()


def test_an_unreleased_entry_is_work_in_progress(versioned):
    assert released_version((versioned / "CHANGELOG.md").read_text()) == "0.3.0"
    assert check(versioned) == []


def test_release_bumps_the_three_files_from_one_argument(versioned):
    comment = (versioned / "data/raw/dataset.yaml").read_text().splitlines()[0]
    release("0.4.0", "2026-12-07", versioned)
    assert check(versioned) == []
    assert "## 0.4.0 (2026-12-07)\n\n- Two more cases." in (versioned / "CHANGELOG.md").read_text()
    dataset = (versioned / "data/raw/dataset.yaml").read_text()
    assert dataset.splitlines()[0] == comment  # only the version line changes
    assert yaml.safe_load(dataset)["version"] == "0.4.0"
    citation = yaml.safe_load((versioned / "CITATION.cff").read_text())
    assert citation["version"] == "0.4.0" and str(citation["date-released"]) == "2026-12-07"


@pytest.mark.parametrize("changelog,version,message", [
    ("# Changelog\n\n## 0.3.0 (2026-11-30)\n", "0.4.0", "no '## Unreleased' entry"),
    ("# Changelog\n\n## Unreleased\n\n## 0.3.0 (2026-11-30)\n", "0.4.0", "is empty"),
    ("# Changelog\n\n## Unreleased\n\n- x\n\n## 0.3.0 (2026-11-30)\n", "0.3.0",
     "not after the latest release"),
    ("# Changelog\n\n## Unreleased\n\n- x\n\n## 0.3.0 (2026-11-30)\n", "4", "not a version"),
])
def test_release_refuses_and_changes_nothing(versioned, changelog, version, message):
    (versioned / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    before = {p: p.read_bytes() for p in versioned.rglob("*") if p.is_file()}
    with pytest.raises(ReleaseError, match=message):
        release(version, "2026-12-07", versioned)
    assert {p: p.read_bytes() for p in versioned.rglob("*") if p.is_file()} == before


def test_check_says_what_disagrees(versioned):
    path = versioned / "CITATION.cff"
    path.write_text(path.read_text().replace("version: 0.3.0", "version: 0.2.0"))
    assert check(versioned) == ["CITATION.cff has version 0.2.0, CHANGELOG.md 0.3.0"]
