"""A versioned release of the data package: ``make release`` (``python -m helpers export
release``) writes ``build/release/hospital-ransomware-timelines-<version>.zip`` and its
``.sha256``.

The zip holds one folder, ``hospital-ransomware-timelines-<version>/``, with the package as it
is in ``data/processed`` (the CSV files beside ``datapackage.json``, whose paths stay valid,
and ``codebook.md``), ``CITATION.cff``, the licences (``LICENSE``, ``LICENSE-DATA.md``),
``CHANGELOG.md`` and ``SHA256SUMS`` (``sha256sum -c`` reads it). It is reproducible byte for
byte: entries in sorted order, every timestamp the release date (``CITATION.cff``), fixed
permissions, no extra fields, deflate at level 9 (so the same bytes wherever zlib is the
same; a build with another deflate, such as zlib-ng, gives the same files but other
compressed bytes). Before writing, the versions of ``datapackage.json``, ``CITATION.cff`` and
the CHANGELOG must agree and the package must load; after, :func:`check_release` reopens the
zip and compares it with the package and the checksums.
"""
from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import yaml

from helpers.core.frames import load_dataset
from helpers.core.paths import PROCESSED_DIR, PROJECT_ROOT
from helpers.publish.version import ReleaseError, released_version

from .common import BUILD_DIR, ExportError, out_parser, package_info, run_cli, write_atomic

DEFAULT_DIR = BUILD_DIR / "release"
ROOT_FILES = ("CITATION.cff", "LICENSE", "LICENSE-DATA.md", "CHANGELOG.md")
PACKAGE_FILES = ("datapackage.json", "codebook.md")
CHECKSUMS = "SHA256SUMS"
FILE_MODE = 0o100644  # a regular file, rw-r--r--


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def release_files(processed_dir: Path = PROCESSED_DIR,
                  root: Path = PROJECT_ROOT) -> dict[str, bytes]:
    """Name in the release -> bytes: the package's files, the root files, SHA256SUMS."""
    processed_dir, root = Path(processed_dir), Path(root)
    info = package_info(processed_dir, root)
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    try:  # the latest released entry: an "Unreleased" one at the top is not a version
        released = released_version(changelog)
    except ReleaseError as err:
        raise ExportError(str(err)) from err
    versions = {"datapackage.json": info.version, "CITATION.cff": str(citation.get("version")),
                "CHANGELOG.md": released}
    if len(set(versions.values())) != 1:
        raise ExportError(f"versions disagree: {versions}; bump them together "
                          "(python -m helpers version)")
    load_dataset(processed_dir)  # the package loads, typed, before it is released
    files = {}
    for resource in info.resources:
        path = resource["path"]
        if "/" in path or "\\" in path:
            raise ExportError(f"resource path {path!r} is not a file beside datapackage.json")
        files[path] = (processed_dir / path).read_bytes()
    for name in PACKAGE_FILES:
        files[name] = (processed_dir / name).read_bytes()
    for name in ROOT_FILES:
        files[name] = (root / name).read_bytes()
    files[CHECKSUMS] = "".join(f"{_sha256(files[n])}  {n}\n"
                               for n in sorted(files)).encode("ascii")
    return files


def zip_bytes(files: dict[str, bytes], folder: str, released) -> bytes:
    """A zip of `files` under `folder/`, the same bytes for the same input."""
    buffer = io.BytesIO()
    stamp = (released.year, released.month, released.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so that the permissions below are read
            entry.external_attr = FILE_MODE << 16
            archive.writestr(entry, files[name], compress_type=zipfile.ZIP_DEFLATED,
                             compresslevel=9)
    return buffer.getvalue()


def release_name(version: str, name: str = "hospital-ransomware-timelines") -> str:
    return f"{name}-{version}"


def build_release(out_dir: Path = DEFAULT_DIR, processed_dir: Path = PROCESSED_DIR,
                  root: Path = PROJECT_ROOT) -> tuple[Path, Path]:
    """Write ``<name>-<version>.zip`` and ``<name>-<version>.zip.sha256``; return both."""
    info = package_info(processed_dir, root)
    folder = release_name(info.version, info.name)
    files = release_files(processed_dir, root)
    payload = zip_bytes(files, folder, info.released)
    check_release(payload, processed_dir, root)
    out = Path(out_dir)
    archive = write_atomic(out / f"{folder}.zip", payload)
    digest = write_atomic(out / f"{folder}.zip.sha256",
                          f"{_sha256(payload)}  {archive.name}\n".encode("ascii"))
    return archive, digest


def check_release(payload: bytes, processed_dir: Path = PROCESSED_DIR,
                  root: Path = PROJECT_ROOT) -> list[str]:
    """Reopen a release and compare it with the package: the folder is the version's, every
    file is there byte for byte, SHA256SUMS lists and matches every other file, and each
    CSV has the package's rows. Returns the names in the zip."""
    info = package_info(processed_dir, root)
    folder = release_name(info.version, info.name)
    expected = release_files(processed_dir, root)
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = archive.namelist()
        if names != sorted(names) or names != [f"{folder}/{n}" for n in sorted(expected)]:
            raise ExportError(f"the release holds {names}, not the package's files")
        content = {n.split("/", 1)[1]: archive.read(n) for n in names}
    if content != expected:
        raise ExportError("a file of the release differs from the package")
    listed = {}
    for line in content[CHECKSUMS].decode("ascii").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    if listed != {n: _sha256(b) for n, b in content.items() if n != CHECKSUMS}:
        raise ExportError("SHA256SUMS does not match the files")
    data = load_dataset(processed_dir)
    counts = {"events.csv": len(data.events), "cases.csv": len(data.cases),
              "sources.csv": len(data.sources), "groups.csv": len(data.groups)}
    for name, rows in counts.items():
        found = sum(1 for _ in csv.DictReader(io.StringIO(content[name].decode("utf-8"))))
        if found != rows:
            raise ExportError(f"{name}: {found} rows in the release, {rows} in the package")
    return [n.split("/", 1)[1] for n in names]


def main(argv=None) -> int:
    parser = out_parser("python -m helpers export release",
                        "Write a versioned, reproducible zip of the data package with SHA-256 "
                        "checksums.", DEFAULT_DIR, "build/release")

    def write(args):
        archive, digest = build_release(args.out)
        return [archive, digest, digest.read_text(encoding="ascii").strip()]

    return run_cli(parser, argv, write)

