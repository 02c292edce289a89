"""What the last check of data/raw found, kept in data/interim for the annotator's views.

Every run of the build (``python -m helpers build``, ``--check`` included, failing or not)
writes one file, ``data/interim/check.json``: the problems (each consequence located in the
files it concerns), the warnings, and each stored text's coverage (the date expressions the
scan found, and those neither annotated nor dismissed). The annotator's source view reads it
instead of checking data/raw again. It carries a digest of data/raw and of the code that
checks it: a view of data/raw edited since is told so, not shown stale messages as current.
data/interim is not committed (.gitignore): it is a cache of the last check, not the dataset.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from helpers.core.errors import Problem
from helpers.core.paths import INTERIM_DIR, RAW_DIR

CHECK_FILE = "check.json"
# The code whose change can change what a check finds.
_CODE_DIRS = ("core", "raw", "resolution", "build")


def fingerprint(raw_dir: Path = RAW_DIR) -> str:
    """A digest of every raw file and of the code that checks them."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    files = [(p.relative_to(raw_dir).as_posix(), p)
             for p in Path(raw_dir).rglob("*") if p.is_file()]
    files += [(f"helpers/{p.relative_to(package).as_posix()}", p)
              for d in _CODE_DIRS for p in (package / d).rglob("*") if p.is_file()
              and p.suffix in (".py", ".yaml")]
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class LastCheck:
    """The last check's findings, as read back from data/interim."""

    fingerprint: str
    problems: list[Problem]
    warnings: list[Problem]
    coverage: dict[str, dict[str, list[tuple[int, int]]]]  # source id -> found, unaccounted

    def is_current(self, raw_dir: Path = RAW_DIR) -> bool:
        return self.fingerprint == fingerprint(raw_dir)


def write(checked, raw_dir: Path = RAW_DIR, interim_dir: Path = INTERIM_DIR) -> Path:
    """Write what `checked` (a helpers.build.Checked) found; return the file written."""
    problems = sorted(set(checked.all_problems)
                      | {p for c in checked.consequences for p in c.located()})
    content = {
        "fingerprint": fingerprint(raw_dir),
        "problems": [dataclasses.asdict(p) for p in problems],
        "warnings": [dataclasses.asdict(p) for p in sorted(set(checked.warnings))],
        "coverage": {source_id: {"found": [list(s) for s in spans],
                                 "unaccounted": [list(s) for s in
                                                 checked.unaccounted_spans.get(source_id, [])]}
                     for source_id, spans in sorted(checked.expression_spans.items())},
    }
    interim_dir.mkdir(parents=True, exist_ok=True)
    path = interim_dir / CHECK_FILE
    handle, temp = tempfile.mkstemp(prefix=".check-", suffix=".tmp", dir=interim_dir)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(json.dumps(content, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(temp, path)  # a concurrent reader sees the old file or the new, never half
    return path


def current_problems(raw_dir: Path = RAW_DIR, root: Path | None = None,
                     interim_dir: Path | None = None) -> list[Problem]:
    """The problems of data/raw as it is now: the last check's when data/raw and the code
    have not changed since, else a new check (written for the next view)."""
    from helpers.build import check_raw  # the build's package imports this module

    raw_dir = Path(raw_dir)
    interim_dir = interim_dir or raw_dir.parent / "interim"
    last = read(interim_dir)
    if last is not None and last.is_current(raw_dir):
        return last.problems
    _, checked = check_raw(raw_dir, Path(root) if root else raw_dir.resolve().parents[1])
    write(checked, raw_dir, interim_dir)
    return read(interim_dir).problems


def read(interim_dir: Path = INTERIM_DIR) -> LastCheck | None:
    """The last check's findings, or None when no check has been written here."""
    try:
        content = json.loads((interim_dir / CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    coverage = {source_id: {kind: [tuple(s) for s in spans] for kind, spans in item.items()}
                for source_id, item in content["coverage"].items()}
    return LastCheck(content["fingerprint"], [Problem(**p) for p in content["problems"]],
                     [Problem(**p) for p in content["warnings"]], coverage)
