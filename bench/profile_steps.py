"""Profiles (pyinstrument) of the steps bench/run.py measures, to explain a missed target.

    python bench/profile_steps.py build  --cases 1000        # helpers.pipeline.build, in process
    python bench/profile_steps.py kernel --cases 100         # notebook 04 as the kernel runs it
    python bench/profile_steps.py nbconvert --cases 100      # executed notebook -> offline HTML
    python bench/profile_steps.py draw --cases 1000          # DevTools CPU profile of the draw

Each writes a synthetic dataset (bench/synthetic_raw.py) in a temporary folder (or reuses
``--root``) and prints pyinstrument's text report. The kernel profile runs a copy of
notebooks/04_compare_cases.ipynb through papermill with a pyinstrument Profiler started in
a cell inserted after the parameters and stopped in a cell appended at the end, so it sees
what the kernel does (imports, loading, figures, IPython's display formatting).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))


def dataset(cases: int, root: Path | None) -> Path:
    from synthetic_raw import generate, save_expressions

    if root is None:
        root = Path(tempfile.mkdtemp(prefix=f"hrt-profile-{cases}-"))
    if not (root / "data" / "processed" / "datapackage.json").exists():
        save_expressions(generate(root, cases), root / "expressions.json")
        from helpers.pipeline import build

        build(root / "data" / "raw", root / "data" / "processed", root)
    return root


def profile_build(root: Path, options: dict) -> str:
    from pyinstrument import Profiler

    from helpers.pipeline import build

    profiler = Profiler()
    profiler.start()
    build(root / "data" / "raw", root / "data" / "processed", root)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, **options)


def profile_kernel(root: Path, options: dict) -> str:
    import nbformat

    work = Path(tempfile.mkdtemp(prefix="hrt-kernel-profile-"))
    nb = nbformat.read(ROOT / "notebooks" / "04_compare_cases.ipynb", as_version=4)
    where = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    out = work / "profile.txt"
    nb.cells.insert(where + 1, nbformat.v4.new_code_cell(
        "from pyinstrument import Profiler as _P\n_prof = _P()\n_prof.start()"))
    nb.cells.append(nbformat.v4.new_code_cell(
        f"_prof.stop()\nopen({str(out)!r}, 'w').write(_prof.output_text(unicode=True, "
        f"color=False, **{options!r}))"))
    notebook = work / "04_profiled.ipynb"
    nbformat.write(nb, notebook)
    env = dict(os.environ, HRT_PROCESSED_DIR=str(root / "data" / "processed"))
    subprocess.run([sys.executable, "-c",
                    "import papermill, sys; papermill.execute_notebook(sys.argv[1], sys.argv[2],"
                    " parameters={'case_ids': None, 'align_on': 'attack'}, cwd=sys.argv[3],"
                    " progress_bar=False)", str(notebook), str(work / "executed.ipynb"),
                    str(ROOT / "notebooks")], check=True, env=env)
    return out.read_text(encoding="utf-8")


def _executed(root: Path) -> Path:
    """notebook 04 executed on `root` (as the report does), for the nbconvert profile."""
    executed = root / "executed-04.ipynb"
    if not executed.exists():
        env = dict(os.environ, HRT_PROCESSED_DIR=str(root / "data" / "processed"))
        subprocess.run([sys.executable, "-c",
                        "import papermill, sys; papermill.execute_notebook(sys.argv[1], "
                        "sys.argv[2], parameters={'case_ids': None, 'align_on': 'attack'}, "
                        "cwd=sys.argv[3], progress_bar=False)",
                        str(ROOT / "notebooks" / "04_compare_cases.ipynb"), str(executed),
                        str(ROOT / "notebooks")], check=True, env=env)
    return executed


def profile_nbconvert(root: Path, options: dict) -> str:
    import nbformat
    from pyinstrument import Profiler

    from helpers.publish.offline import nav_bar, notebook_to_html

    executed = _executed(root)
    profiler = Profiler()
    profiler.start()
    nb = nbformat.read(executed, as_version=4)
    page = notebook_to_html(nb, "Comparison", nav_bar("Comparison", {}, "bench"))
    profiler.stop()
    (root / "compare.html").write_text(page, encoding="utf-8")
    return profiler.output_text(unicode=True, color=False, **options)


def profile_draw(root: Path, options: dict) -> str:
    """Where the browser's time goes until every figure is drawn: a DevTools CPU profile of
    the page (plotly.js is minified: names are its own, with line:column in the bundle)."""
    import collections

    from playwright.sync_api import sync_playwright
    from run import CHROMIUM, CHROMIUM_ARGS, DRAWN

    html = root / "compare.html"
    if not html.exists():
        profile_nbconvert(root, options)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 1000})
        cdp.send("Profiler.start")
        start = time.perf_counter()
        page.goto(html.resolve().as_uri(), wait_until="commit")
        page.wait_for_function(DRAWN, polling="raf", timeout=900_000)
        wall = time.perf_counter() - start
        drawn = page.evaluate("window.__drawnAt") / 1000
        profile = cdp.send("Profiler.stop")["profile"]
        browser.close()
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}
    own = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        own[sample] += delta

    def name(node_id):
        frame = nodes[node_id]["callFrame"]
        return (f"{frame['functionName'] or '(anonymous)'} "
                f"{frame['lineNumber'] + 1}:{frame['columnNumber'] + 1}")

    inclusive, self_time = collections.Counter(), collections.Counter()
    for node_id, micros in own.items():
        self_time[name(node_id)] += micros
        seen, current = set(), node_id
        while current is not None:
            label = name(current)
            if label not in seen:
                inclusive[label] += micros
                seen.add(label)
            current = parent.get(current)
    lines = [f"drawn after {drawn:.2f} s from navigation start (wall {wall:.2f} s); "
             f"HTML {html.stat().st_size / 1e6:.1f} MB; {sum(own.values()) / 1e6:.1f} s sampled",
             "inclusive (s):"]
    lines += [f"  {micros / 1e6:8.2f}  {label}" for label, micros in inclusive.most_common(40)]
    lines += ["self (s):"]
    lines += [f"  {micros / 1e6:8.2f}  {label}" for label, micros in self_time.most_common(15)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["build", "kernel", "nbconvert", "draw"])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--root", type=Path, default=None,
                        help="reuse (or create) the synthetic dataset in this folder")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args(argv)
    root = dataset(args.cases, args.root)
    options = {"show_all": True} if args.all else {}
    step = {"build": profile_build, "kernel": profile_kernel, "nbconvert": profile_nbconvert,
            "draw": profile_draw}[args.step]
    print(f"# {args.step}, {args.cases} cases (dataset in {root})")
    print(step(root, options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
