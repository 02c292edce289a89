"""The dataset's version, bumped in one place: ``python -m helpers version 0.4.0``.

The version lives in three files that must agree: ``data/raw/dataset.yaml`` (and so the
published ``datapackage.json``), ``CITATION.cff`` (with its release date) and the latest
entry of ``CHANGELOG.md``. While work is in progress, the changes are listed under a
``## Unreleased`` heading at the top of the CHANGELOG; it does not count as a version.
Releasing turns that heading into ``## 0.4.0 (2026-12-07)`` and writes the same version
(and date) into dataset.yaml and CITATION.cff, editing only those lines. Then run
``make data`` (the data package carries the version) and commit.

``python -m helpers version --check`` says whether the three agree (a test runs it).
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from helpers.core.paths import PROJECT_ROOT

UNRELEASED = "Unreleased"
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
HEADING = re.compile(r"^## (\S+)(?: \((\d{4}-\d{2}-\d{2})\))?[ \t]*$", re.MULTILINE)
YAML_VERSION = re.compile(r"^version:[ \t]*\S+[ \t]*$", re.MULTILINE)
CFF_DATE = re.compile(r"^date-released:[ \t]*\S+[ \t]*$", re.MULTILINE)


class ReleaseError(Exception):
    pass


def _files(root: Path) -> tuple[Path, Path, Path]:
    return root / "CHANGELOG.md", root / "data" / "raw" / "dataset.yaml", root / "CITATION.cff"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def changelog_versions(text: str) -> list[tuple[str, str | None]]:
    """The CHANGELOG's headings, newest first: (version or "Unreleased", date or None)."""
    return [(m.group(1), m.group(2)) for m in HEADING.finditer(text)]


def released_version(text: str) -> str:
    """The latest released version of a CHANGELOG (an "Unreleased" entry is skipped)."""
    for version, _ in changelog_versions(text):
        if version != UNRELEASED:
            return version
    raise ReleaseError("CHANGELOG.md has no released version")


def _field(text: str, pattern: re.Pattern, name: str, file: Path) -> str:
    match = pattern.search(text)
    if not match:
        raise ReleaseError(f"{file.name} has no '{name}:' line")
    return match.group(0).split(":", 1)[1].strip().strip("\"'")


def check(root: Path = PROJECT_ROOT) -> list[str]:
    """What disagrees between the CHANGELOG, dataset.yaml and CITATION.cff (empty: nothing)."""
    changelog, dataset, citation = _files(root)
    try:
        released = released_version(changelog.read_text(encoding="utf-8"))
        in_dataset = _field(dataset.read_text(encoding="utf-8"), YAML_VERSION, "version", dataset)
        cff = citation.read_text(encoding="utf-8")
        in_citation = _field(cff, YAML_VERSION, "version", citation)
    except ReleaseError as err:
        return [str(err)]
    found = []
    if in_dataset != released:
        found.append(f"data/raw/dataset.yaml has version {in_dataset}, CHANGELOG.md {released}")
    if in_citation != released:
        found.append(f"CITATION.cff has version {in_citation}, CHANGELOG.md {released}")
    dated = dict(changelog_versions(changelog.read_text(encoding="utf-8")))
    released_on = _field(cff, CFF_DATE, "date-released", citation)
    if dated.get(released) and dated[released] != released_on:
        found.append(f"CITATION.cff has date-released {released_on}, CHANGELOG.md "
                     f"{dated[released]}")
    return found


def release(version: str, on: str | None = None, root: Path = PROJECT_ROOT) -> list[Path]:
    """Release `version` on `on` (today by default): the CHANGELOG's Unreleased entry gets
    the version and date, dataset.yaml and CITATION.cff follow. Returns the files changed."""
    if not VERSION.match(version):
        raise ReleaseError(f"{version!r} is not a version such as 0.4.0")
    on = on or date.today().isoformat()
    changelog, dataset, citation = _files(root)
    text = changelog.read_text(encoding="utf-8")
    headings = changelog_versions(text)
    current = released_version(text)
    if _key(version) <= _key(current):
        raise ReleaseError(f"{version} is not after the latest release, {current}")
    if not headings or headings[0][0] != UNRELEASED:
        raise ReleaseError(f"CHANGELOG.md has no '## {UNRELEASED}' entry at the top: list "
                           "what changed there first")
    match = HEADING.search(text)
    body = text[match.end():]
    following = HEADING.search(body)
    if not body[:following.start() if following else None].strip():
        raise ReleaseError(f"the '## {UNRELEASED}' entry of CHANGELOG.md is empty")
    meta = dataset.read_text(encoding="utf-8")
    cff = citation.read_text(encoding="utf-8")
    _field(meta, YAML_VERSION, "version", dataset)  # each file is checked before any is written
    _field(cff, YAML_VERSION, "version", citation)
    _field(cff, CFF_DATE, "date-released", citation)
    cff = YAML_VERSION.sub(f"version: {version}", cff, count=1)
    changelog.write_text(text[:match.start()] + f"## {version} ({on})" + text[match.end():],
                         encoding="utf-8")
    dataset.write_text(YAML_VERSION.sub(f"version: {version}", meta, count=1), encoding="utf-8")
    citation.write_text(CFF_DATE.sub(f'date-released: "{on}"', cff, count=1), encoding="utf-8")
    return [changelog, dataset, citation]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers version",
                                     description="Release the dataset's next version: the "
                                     "CHANGELOG's Unreleased entry, dataset.yaml and "
                                     "CITATION.cff get it.")
    parser.add_argument("version", nargs="?", help="the new version, e.g. 0.4.0")
    parser.add_argument("--date", help="release date (default: today), YYYY-MM-DD")
    parser.add_argument("--check", action="store_true",
                        help="only say whether the three files agree")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check or not args.version:
        found = check(args.root)
        for line in found:
            print(f"error: {line}", file=sys.stderr)
        if not found:
            print("CHANGELOG.md, data/raw/dataset.yaml and CITATION.cff agree on version "
                  + released_version((args.root / "CHANGELOG.md").read_text(encoding="utf-8")))
        return 1 if found else 0
    try:
        changed = release(args.version, args.date, args.root)
    except (ReleaseError, OSError) as err:
        print(f"error: {err}; nothing was changed", file=sys.stderr)
        return 1
    print(f"released {args.version}: updated {', '.join(p.name for p in changed)}. Now run "
          "`make data` (datapackage.json carries the version) and commit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
