"""The pipeline, stage after stage: data/raw -> build -> derive -> data/processed.

:func:`build_dataset` checks data/raw and makes the primary tables (helpers.build), keeps
what the check found in data/interim (helpers.build.interim), and adds the derived tables
(helpers.derive); :func:`build` writes them all, atomically, with the data package
(helpers.publish.package). ``python -m helpers build`` runs it; reports come after
(``python -m helpers reports``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers import build as build_stage
from helpers.build import interim
from helpers.core.errors import DatasetError, render_report
from helpers.core.frames import Dataset, read_table
from helpers.core.paths import PROCESSED_DIR, RAW_DIR
from helpers.derive import derive
from helpers.publish import package
from helpers.raw.load import load_metadata


def build_dataset(raw_dir: Path = RAW_DIR, root: Path | None = None,
                  interim_dir: Path | None = None) -> Dataset:
    """Every table of the dataset from `raw_dir`, typed; raise DatasetError listing every
    problem. What the check found is written to `interim_dir` (by default the raw folder's
    sibling ``interim``) whether or not it passes."""
    raw_dir = Path(raw_dir).resolve()
    root = Path(root) if root is not None else raw_dir.parents[1]
    raw, checked = build_stage.check_raw(raw_dir, root)
    interim.write(checked, raw_dir, interim_dir or raw_dir.parent / "interim")
    build_stage.raise_problems(checked)
    data = build_stage.primary_tables(raw, checked, load_metadata(raw_dir)["version"])
    return data.with_derived(derive(data.events, data.cases, data.case_groups,
                                    data.stage_overrides))


def build(raw_dir: Path = RAW_DIR, out_dir: Path = PROCESSED_DIR, root: Path | None = None,
          interim_dir: Path | None = None) -> Dataset:
    """Build the dataset from `raw_dir` into `out_dir`; nothing is written there on failure."""
    data = build_dataset(raw_dir, root, interim_dir)
    package.write_outputs(data, Path(out_dir), Path(raw_dir))
    return data


def rederive(processed_dir: Path = PROCESSED_DIR, raw_dir: Path = RAW_DIR) -> Dataset:
    """The derived tables again from the built event rows in `processed_dir`, written there
    (for a change to the derive step alone)."""
    derived = derive(*(read_table(name, processed_dir)
                       for name in ("events", "cases", "case_groups", "stage_overrides")))
    package.write_derived(derived, Path(processed_dir), Path(raw_dir))
    return derived


def build_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers build",
                                     description="Build data/processed from data/raw.")
    parser.add_argument("--raw", type=Path, default=RAW_DIR, help="raw data folder")
    parser.add_argument("--out", type=Path, default=PROCESSED_DIR, help="output folder")
    parser.add_argument("--check", action="store_true", help="validate only; write nothing "
                        "but what the check found (data/interim)")
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings too (see helpers.build.lint), and write nothing")
    args = parser.parse_args(argv)
    try:
        data = build_dataset(args.raw)
        if args.strict and data.warnings:
            raise DatasetError([], warnings=data.warnings)
        if not args.check:
            package.write_outputs(data, args.out.resolve(), args.raw.resolve())
    except DatasetError as err:
        print(err.render(), file=sys.stderr)
        if args.strict and err.warnings and not err.problems:
            print("--strict: warnings fail the build.", file=sys.stderr)
        print("Nothing was written; the previous dataset is unchanged.", file=sys.stderr)
        return 1
    if data.warnings:
        print(render_report([], warnings=data.warnings), file=sys.stderr)
    action = "checked" if args.check else f"written to {args.out}"
    print(f"{len(data.events)} events, {len(data.cases)} cases, {len(data.sources)} sources; "
          f"derived: {len(data.case_timeline)} timeline rows, {len(data.case_stages)} stages, "
          f"{len(data.delays)} delays: {action}")
    return 0


def derive_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers derive",
        description="Derive the case timeline, stages and delays again from the built event "
        "rows (the build does it too).")
    parser.add_argument("--processed", type=Path, default=PROCESSED_DIR,
                        help="folder of the built tables (default: data/processed)")
    args = parser.parse_args(argv)
    try:
        derived = rederive(args.processed)
    except DatasetError as err:
        print(err.render(), file=sys.stderr)
        print("Nothing was written; the previous tables are unchanged.", file=sys.stderr)
        return 1
    print(f"{len(derived.case_timeline)} timeline rows, {len(derived.case_stages)} stages, "
          f"{len(derived.delays)} delays: written to {args.processed}")
    return 0
