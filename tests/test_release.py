"""The release zip (helpers.publish.exports.release): reproducible byte for byte, checksums that
match, the package's files unchanged and valid, versions that agree."""
from __future__ import annotations

import hashlib
import zipfile

import pytest

from helpers.core.frames import load_dataset
from helpers.core.paths import PROJECT_ROOT
from helpers.core.schema import TABLES
from helpers.publish.exports import release
from helpers.publish.exports.common import ExportError

DATA = load_dataset()


# --- release -----------------------------------------------------------------------------

def test_release_is_reproducible_and_checksummed(tmp_path):
    first, first_sum = release.build_release(tmp_path / "a")
    second, _ = release.build_release(tmp_path / "b")
    assert first.name == f"hospital-ransomware-timelines-{DATA.version}.zip"
    assert first.read_bytes() == second.read_bytes()
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert first_sum.read_text() == f"{digest}  {first.name}\n"
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        folder = f"hospital-ransomware-timelines-{DATA.version}/"
        assert names == sorted(names) and all(n.startswith(folder) for n in names)
        files = {n[len(folder):]: archive.read(n) for n in names}
        released = release.package_info().released
        assert {i.date_time for i in archive.infolist()} == {
            (released.year, released.month, released.day, 0, 0, 0)}
    expected = {f"{n}.csv" for n in TABLES} | {"datapackage.json", "codebook.md",
                                               "CITATION.cff", "LICENSE", "LICENSE-DATA.md",
                                               "CHANGELOG.md", "SHA256SUMS"}
    assert set(files) == expected
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert len(files["SHA256SUMS"].decode().splitlines()) == len(files) - 1
    processed = PROJECT_ROOT / "data" / "processed"
    assert files["events.csv"] == (processed / "events.csv").read_bytes()


def test_released_package_is_valid(tmp_path):
    archive, _ = release.build_release(tmp_path)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path / "x")
    folder = next((tmp_path / "x").iterdir())
    from frictionless import validate

    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_release_refuses_disagreeing_versions(tmp_path):
    import shutil

    root = tmp_path / "root"
    root.mkdir()
    for name in release.ROOT_FILES:
        shutil.copy(PROJECT_ROOT / name, root / name)
    citation = (root / "CITATION.cff").read_text()
    (root / "CITATION.cff").write_text(citation.replace(f"version: {DATA.version}",
                                                        "version: 9.9.9"))
    with pytest.raises(ExportError, match="versions disagree"):
        release.build_release(tmp_path / "out", root=root)
