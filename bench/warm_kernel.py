"""What one warm kernel per worker would save over one kernel per report: a measurement.

    python bench/warm_kernel.py [--count 12]

Takes the first COUNT reports of ``helpers.reports.plan()`` on the real dataset, mixed
(sources, cases, comparisons), and renders each twice, one at a time:

* cold, as ``make reports`` does: ``helpers.reports.run_one`` (papermill starts a kernel,
  the notebook imports pandas, plotly and the helpers, the kernel stops; then nbconvert);
* warm: the same notebook, parameterised by papermill's own ``parameterize_notebook``,
  executed by nbclient in ONE kernel kept for all of them (``%reset -f`` first, so no
  variable leaks from one report to the next; modules stay imported), then converted by
  the same ``notebook_to_html``.

Prints the median seconds per report both ways and checks that the warm pages hold as many
figures as the cold ones and embed plotly.js when those do. A prototype to size the fix,
not a replacement for helpers.reports.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=12)
    args = parser.parse_args(argv)

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from helpers import reports
    from helpers.dataset import load_dataset
    from helpers.offline import nav_bar, notebook_to_html
    from helpers.paths import NOTEBOOKS_DIR

    plan = reports.plan(load_dataset())
    kinds: dict[str, list] = {}
    for report in plan:
        kinds.setdefault(report.name.split("-")[0], []).append(report)
    chosen, index = [], 0
    while len(chosen) < min(args.count, len(plan)):  # round-robin over the kinds of report
        for items in kinds.values():
            if index < len(items) and len(chosen) < args.count:
                chosen.append(items[index])
        index += 1
    work = Path(tempfile.mkdtemp(prefix="hrt-warm-"))
    version = load_dataset().version

    cold = {}
    (work / "cold").mkdir()
    for report in chosen:
        outcome = reports.run_one(report, str(NOTEBOOKS_DIR), str(work / "cold"), version)
        if not outcome.ok:
            print(f"cold {report.name} failed: {outcome.error}")
            return 1
        cold[report.name] = outcome.seconds
        print(f"cold {report.name}: {outcome.seconds:.2f} s", flush=True)

    warm = {}
    (work / "warm").mkdir()
    km = KernelManager(kernel_name="python3")
    start = time.perf_counter()
    km.start_kernel(cwd=str(NOTEBOOKS_DIR), extra_arguments=reports.KERNEL_ARGUMENTS)
    print(f"warm kernel started in {time.perf_counter() - start:.2f} s (counted once, apart)")
    try:
        for report in chosen:
            start = time.perf_counter()
            nb = load_notebook_node(str(NOTEBOOKS_DIR / report.notebook))
            nb = parameterize_notebook(nb, dict(report.parameters))
            nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
            client = NotebookClient(nb, km=km, timeout=reports.CELL_TIMEOUT,
                                    resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
            client.execute()
            nb.cells = nb.cells[1:]
            page = notebook_to_html(nb, report.title,
                                    nav_bar(report.title, report.parameters, version))
            (work / "warm" / report.html_name).write_text(page, encoding="utf-8")
            warm[report.name] = time.perf_counter() - start
            print(f"warm {report.name}: {warm[report.name]:.2f} s", flush=True)
    finally:
        km.shutdown_kernel(now=True)

    problems = []
    for report in chosen:
        a = (work / "cold" / report.html_name).read_text(encoding="utf-8")
        b = (work / "warm" / report.html_name).read_text(encoding="utf-8")
        if a.count('class="plotly-graph-div"') != b.count('class="plotly-graph-div"'):
            problems.append(f"{report.name}: not the same number of figures")
        if ("window.Plotly = Plotly" in a) != ("window.Plotly = Plotly" in b):
            problems.append(f"{report.name}: plotly.js embedded in one page only")
    print(f"\n{len(chosen)} reports: cold median {statistics.median(cold.values()):.2f} s "
          f"(total {sum(cold.values()):.1f} s), warm median {statistics.median(warm.values()):.2f} s "
          f"(total {sum(warm.values()):.1f} s)")
    for kind in dict.fromkeys(r.name.split("-")[0] for r in chosen):
        names = [r.name for r in chosen if r.name.startswith(kind)]
        print(f"  {kind:>9}: cold {statistics.median(cold[n] for n in names):.2f} s, "
              f"warm {statistics.median(warm[n] for n in names):.2f} s ({len(names)})")
    print("pages alike (figures, plotly.js):", "yes" if not problems else problems)
    return 0


if __name__ == "__main__":
    sys.exit(main())
