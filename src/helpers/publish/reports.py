"""Render every notebook for every parameter set as offline HTML: ``python -m helpers reports``.

* One report per source (01), per case (03), the comparison of all cases and of the pair
  les-bluets-2022 + cannes-2024 (04), the build (02) and the overview (05).
* Each notebook is executed with papermill (Python API, so lists pass as lists) in a
  process pool (one worker more than the cores by default) and converted to HTML with code hidden and no network
  request when opened from disk (see :mod:`helpers.publish.offline`).
* Atomic: everything is rendered in a staging folder inside the output folder; only when
  every notebook succeeded are the HTML files moved into place (``os.replace``, file by
  file) and the index written. A failure names the notebook and its parameters, keeps the
  executed copy in ``<out>/failed/<name>.ipynb``, leaves the earlier reports untouched and
  exits with status 1, without a traceback.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.paths import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR
from helpers.present.pages import PAIR

# One worker per core, each with its warm kernel (the kernel runs while its worker waits).
DEFAULT_JOBS = os.cpu_count() or 1
CELL_TIMEOUT = 600  # seconds, per cell
# The kernel's own warnings (e.g. about its local TCP transport) would drown the progress.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass(frozen=True)
class Report:
    """One notebook run: which notebook, with which parameters, written as `name`.html."""

    name: str
    notebook: str
    parameters: dict = field(default_factory=dict, hash=False, compare=False)
    title: str = ""
    section: str = ""

    @property
    def html_name(self) -> str:
        return f"{self.name}.html"

    def describe(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items()) or "defaults"
        return f"{self.notebook} with {params}"


def plan(data=None) -> list[Report]:
    """Every report the command renders, in the order of the index."""
    from helpers.core.frames import load_dataset
    from helpers.present import pages
    from helpers.present.figures import case_infos
    from helpers.present.tables import published_label

    data = data if data is not None else load_dataset()
    link = {"link_reports": True}
    stem = lambda name: name.removesuffix(".html")  # noqa: E731
    infos = case_infos(data)
    reports = [
        Report(stem(pages.OVERVIEW), "05_dataset_overview.ipynb", dict(link),
               "Dataset overview", "Dataset"),
        Report(stem(pages.BUILD), "02_build_dataset.ipynb", {"write": False, **link},
               "How the dataset is built: validation and comparison with data/processed",
               "Dataset"),
        Report(stem(pages.COMPARE_ALL), "04_compare_cases.ipynb",
               {"case_ids": None, "align_on": "attack", **link},
               f"All {len(data.case_ids)} cases compared, aligned on the attack", "Comparisons"),
    ]
    if all(c in data.case_ids for c in PAIR):
        reports.append(Report(
            stem(pages.COMPARE_PAIR), "04_compare_cases.ipynb",
            {"case_ids": list(PAIR), "align_on": "attack", **link},
            f"{infos[PAIR[0]].name} and {infos[PAIR[1]].name} compared", "Comparisons"))
    for case_id in data.case_ids:
        info = infos[case_id]
        reports.append(Report(stem(pages.case_page(case_id)), "03_case.ipynb",
                              {"case_id": case_id, **link}, f"{info.name} ({info.victim})",
                              "Cases"))
    sources = data.sources.set_index("source_id")
    for source_id in data.source_ids:
        row = sources.loc[source_id]
        stored = bool(row["has_text"])
        title = row["title"] if isinstance(row["title"], str) and row["title"] else \
            f"article of {published_label(row.to_dict())}"
        reports.append(Report(stem(pages.source_page(source_id)), "01_annotate_source.ipynb",
                              {"source_id": source_id, **link}, f"{row['outlet']}: {title}",
                              "Sources with stored text" if stored else "Citation-only sources"))
    return reports


@dataclass
class Outcome:
    report: Report
    ok: bool
    seconds: float
    error: str = ""


def _error_message(err: BaseException) -> str:
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return f"{type(err).__name__}: {err}"


# One warm kernel per worker process (see helpers.publish.kernels), created on its first report.
_KERNEL = None


def _warm_kernel(kernel_name: str | None):
    global _KERNEL
    if _KERNEL is None or _KERNEL.kernel_name != (kernel_name or "python3"):
        import atexit

        from helpers.publish.kernels import WarmKernel

        if _KERNEL is not None:
            _KERNEL.shutdown()
        _KERNEL = WarmKernel(kernel_name, KERNEL_ARGUMENTS)
        atexit.register(_KERNEL.shutdown)
    return _KERNEL


def run_one(report: Report, notebooks_dir: str, staging: str, version: str,
            kernel_name: str | None = None) -> Outcome:
    """Execute one notebook with papermill, in this worker's warm kernel, and convert it."""
    import logging

    import nbformat

    from helpers.publish.offline import nav_bar, notebook_to_html

    logging.getLogger("papermill").setLevel(logging.WARNING)
    start = time.monotonic()
    executed = Path(staging) / f"{report.name}.ipynb"
    try:
        _warm_kernel(kernel_name).execute(
            Path(notebooks_dir) / report.notebook, executed, report.parameters,
            Path(notebooks_dir), f"report {report.name} ({report.describe()})",
            execution_timeout=CELL_TIMEOUT)
        nb = nbformat.read(executed, as_version=4)
        page = notebook_to_html(nb, report.title,
                                nav_bar(report.title, report.parameters, version,
                                        report.notebook))
        (Path(staging) / report.html_name).write_text(page, encoding="utf-8")
    except Exception as err:  # reported as a failure of this report, not raised
        return Outcome(report, False, time.monotonic() - start, _error_message(err))
    return Outcome(report, True, time.monotonic() - start)


def write_index(out_dir: Path, title: str = "Hospital ransomware timelines",
                processed_dir: Path = PROCESSED_DIR) -> None:
    """The index and the codebook page, from the processed dataset, linking the pages present."""
    from helpers.core.frames import load_dataset
    from helpers.publish.index_page import codebook_html, index_html, relative

    data = load_dataset(processed_dir)
    present = {p.name for p in out_dir.glob("*.html")} | {"codebook.html"}
    codebook = (Path(processed_dir) / "codebook.md").read_text(encoding="utf-8")
    _write_atomically(out_dir / "codebook.html", codebook_html(codebook, data.version))
    _write_atomically(out_dir / "index.html",
                      index_html(data, present, relative(Path(processed_dir), out_dir), title))


def _write_atomically(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def render(reports: list[Report], out_dir: Path = REPORTS_DIR,
           notebooks_dir: Path = NOTEBOOKS_DIR, jobs: int = DEFAULT_JOBS,
           version: str = "", title: str = "Hospital ransomware timelines",
           kernel_name: str | None = None, log=print) -> list[Outcome]:
    """Render `reports` into `out_dir`; on any failure, change no report (see module doc)."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    outcomes: list[Outcome] = []
    total = len(reports)
    width = len(str(total))
    jobs = max(1, min(jobs, total))
    try:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
            pending = {}
            queue = list(enumerate(reports, start=1))
            # Submit no more than the workers can take, so "started" means started.
            while queue or pending:
                while queue and len(pending) < max(1, jobs):
                    number, report = queue.pop(0)
                    log(f"[{number:>{width}}/{total}] started  {report.name} "
                        f"({report.describe()})")
                    future = pool.submit(run_one, report, str(notebooks_dir), str(staging),
                                         version, kernel_name)
                    pending[future] = (number, report)
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    number, report = pending.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as err:  # the worker process itself died
                        outcome = Outcome(report, False, 0.0,
                                          f"worker process failed: {_error_message(err)}")
                    outcomes.append(outcome)
                    state = "finished" if outcome.ok else "FAILED  "
                    log(f"[{number:>{width}}/{total}] {state} {outcome.report.name} in "
                        f"{outcome.seconds:.1f} s")
        failed = [o for o in outcomes if not o.ok]
        if failed:
            failed_dir = out_dir / "failed"
            failed_dir.mkdir(exist_ok=True)
            for outcome in failed:
                executed = staging / f"{outcome.report.name}.ipynb"
                if executed.exists():
                    os.replace(executed, failed_dir / executed.name)
            return sorted(outcomes, key=lambda o: reports.index(o.report))
        for report in reports:
            os.replace(staging / report.html_name, out_dir / report.html_name)
        write_index(out_dir, title)
        stale = out_dir / "failed"
        if stale.is_dir():
            for report in reports:
                (stale / f"{report.name}.ipynb").unlink(missing_ok=True)
            if not any(stale.iterdir()):
                stale.rmdir()
        return sorted(outcomes, key=lambda o: reports.index(o.report))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers reports",
        description="Render every notebook for every parameter set as offline HTML reports.")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR,
                        help="output folder (default: reports/)")
    parser.add_argument("--jobs", "-j", type=int, default=DEFAULT_JOBS,
                        help=f"notebooks run in parallel (default {DEFAULT_JOBS})")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="render only the reports whose name contains TEXT (repeatable)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR,
                        help="folder of the notebooks (default: notebooks/)")
    parser.add_argument("--kernel", default=None,
                        help="Jupyter kernel name (default: the notebooks' own, python3)")
    parser.add_argument("--list", action="store_true", help="list the reports and exit")
    args = parser.parse_args(argv)

    from helpers.core.errors import ProjectError
    from helpers.core.frames import load_dataset

    try:
        data = load_dataset()
    except (OSError, ValueError, KeyError, ProjectError) as err:
        print(f"error: cannot read the processed dataset in {PROCESSED_DIR}: {err}\n"
              "Build it first: python -m helpers build (or make data).", file=sys.stderr)
        return 1
    reports = plan(data)
    if args.only:
        reports = [r for r in reports if any(text in r.name for text in args.only)]
        if not reports:
            print(f"error: no report name contains {' or '.join(args.only)}", file=sys.stderr)
            return 2
    if args.list:
        for report in reports:
            print(f"{report.name}: {report.describe()}")
        return 0
    missing = sorted({r.notebook for r in reports
                      if not (args.notebooks / r.notebook).is_file()})
    if missing:
        print(f"error: notebook(s) not found in {args.notebooks}: {', '.join(missing)}",
              file=sys.stderr)
        return 1
    print(f"Rendering {len(reports)} report{'s' if len(reports) != 1 else ''} into {args.out} with {args.jobs} worker(s)...")
    start = time.monotonic()
    try:
        outcomes = render(reports, args.out, args.notebooks, args.jobs, data.version,
                          kernel_name=args.kernel)
    except KeyboardInterrupt:
        print("Interrupted: the earlier reports are unchanged.", file=sys.stderr)
        return 130
    elapsed = time.monotonic() - start
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(f"\n{len(failed)} of {len(reports)} report(s) failed; no report was changed "
              f"(the earlier ones in {args.out} are as they were):", file=sys.stderr)
        for outcome in failed:
            kept = Path(args.out) / "failed" / f"{outcome.report.name}.ipynb"
            print(f"  {outcome.report.name}: {outcome.report.describe()}\n"
                  f"    {outcome.error.splitlines()[0] if outcome.error else 'failed'}",
                  file=sys.stderr)
            if kept.exists():
                print(f"    executed notebook kept in {kept}", file=sys.stderr)
        return 1
    print(f"{len(reports)} report{'s' if len(reports) != 1 else ''} written to {args.out} in {elapsed:.0f} s; "
          f"open {Path(args.out) / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
