"""The build notebook's view of the pipeline: what a fresh build from data/raw gives,
compared file by file with data/processed (notebook 02)."""
from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.errors import DatasetError, Problem
from helpers.core.frames import Dataset
from helpers.core.paths import PROCESSED_DIR, PROJECT_ROOT, RAW_DIR
from helpers.pipeline import build_dataset
from helpers.publish.package import render_outputs, write_outputs


@dataclass
class FileStatus:
    name: str
    status: str  # unchanged | changed | new | missing
    detail: str = ""
    diff: list[str] = field(default_factory=list)


@dataclass
class BuildStatus:
    """What a fresh build from data/raw gives, compared with data/processed."""

    problems: list[Problem]
    tables: Dataset | None  # every table, when the build succeeded
    files: list[FileStatus]
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def up_to_date(self) -> bool:
        return self.ok and all(f.status == "unchanged" for f in self.files)

    def summary(self) -> str:
        if not self.ok:
            n = len(self.problems)
            return (f"The build failed: {n} problem{'s' if n != 1 else ''} in data/raw "
                    "(listed below). Nothing was written.")
        changed = [f.name for f in self.files if f.status != "unchanged"]
        if self.written:
            return ("data/processed was rebuilt and written"
                    + (f" ({len(changed)} file(s) changed: {', '.join(changed)})." if changed
                       else "; nothing changed."))
        if not changed:
            return "data/processed is up to date: a fresh build gives the same bytes."
        return (f"data/processed is NOT up to date: {len(changed)} file(s) differ from a fresh "
                f"build ({', '.join(changed)}); run `make data` or `python -m helpers build`.")

    def files_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"File": f.name, "Status": f.status, "Detail": f.detail}
                             for f in self.files], columns=["File", "Status", "Detail"])


def _compare(name: str, new: bytes | None, old: bytes | None, context: int) -> FileStatus:
    if old is None:
        return FileStatus(name, "new", "not in data/processed yet")
    if new is None:
        return FileStatus(name, "missing", "in data/processed but no longer built")
    if new == old:
        return FileStatus(name, "unchanged")
    old_lines = old.decode("utf-8", "replace").splitlines()
    new_lines = new.decode("utf-8", "replace").splitlines()
    added = len(set(new_lines) - set(old_lines))
    removed = len(set(old_lines) - set(new_lines))
    diff = list(difflib.unified_diff(old_lines, new_lines, "data/processed/" + name,
                                     "fresh build/" + name, n=0, lineterm=""))
    detail = f"{added} line(s) new or changed, {removed} line(s) gone or changed"
    return FileStatus(name, "changed", detail, diff[:context])


def build_status(write: bool = False, raw_dir: Path = RAW_DIR,
                 processed_dir: Path = PROCESSED_DIR, root: Path = PROJECT_ROOT,
                 diff_lines: int = 40) -> BuildStatus:
    """Build from `raw_dir` in memory and compare every output with `processed_dir`.

    Writes nothing unless `write` (then it writes `processed_dir` as ``python -m helpers
    build`` does, atomically, and only when the build succeeds).
    """
    try:
        tables = build_dataset(Path(raw_dir), Path(root))
    except DatasetError as err:
        return BuildStatus(err.problems, None, [])
    fresh = render_outputs(tables, Path(raw_dir))
    processed_dir = Path(processed_dir)
    existing = {p.name: p.read_bytes() for p in sorted(processed_dir.glob("*"))
                if p.is_file() and not p.name.startswith(".")} if processed_dir.is_dir() else {}
    names = sorted(set(fresh) | set(existing))
    files = [_compare(n, fresh.get(n), existing.get(n), diff_lines) for n in names]
    if write:
        write_outputs(tables, processed_dir, Path(raw_dir))
    return BuildStatus([], tables, files, written=write)


def table_previews(tables, rows: int = 3) -> dict[str, tuple[int, pd.DataFrame]]:
    """Each built table as published (its CSV text), by table name: its number of rows, and
    its first rows turned sideways, one line per column, so that nothing is cut."""
    files = render_outputs(tables, None, include_metadata=False)
    previews = {}
    for name, frame in tables.items():
        records = list(csv.reader(io.StringIO(files[f"{name}.csv"].decode("utf-8"))))
        header, body = records[0], records[1:rows + 1]
        sideways = pd.DataFrame({"Column": header,
                                 **{f"Row {k + 1}": values for k, values in enumerate(body)}})
        previews[name] = (len(frame), sideways)
    return previews
