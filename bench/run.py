"""Benchmark of the pipeline on synthetic raw datasets (issue 7): ``make bench``.

    python bench/run.py                       # 10, 100 and 1,000 cases, 3 runs, real `make` too
    python bench/run.py --sizes 10,100 --runs 1 --no-make     # quick

For each size it writes a synthetic raw dataset (bench/synthetic_raw.py) in a temporary
folder, then measures, each run in a fresh Python process:

1. build: ``helpers.pipeline.build(raw, out, root)`` (load, validate, resolve, check, write);
2. resolve: ``helpers.resolution.dates.resolve`` over every date expression of the dataset (event
   dates, deadlines, the English renderings of citation-only sources);
3. render: the all-cases comparison report (notebooks/04, ``case_ids=None``) through
   ``helpers.publish.reports.run_one`` (papermill, then nbconvert to offline HTML), with
   HRT_PROCESSED_DIR pointing at the synthetic processed folder, in a worker whose kernel is
   warm as in ``make reports`` (an overview report first, timed apart as ``warm_up_s``);
4. the size of that HTML;
5. draw: the time until every figure is drawn in headless Chromium (file:// URL, every
   ``.js-plotly-plot`` has ``_fullLayout``), from the navigation start, in a fresh context;
6. peak memory: ``ru_maxrss`` (resource.getrusage) of the process running the step, and for
   the render also of its children (the kernel); for the draw, the renderer's JS heap.

The floor is papermill on an empty notebook in a newly started kernel (one empty cell): the
kernel start plus papermill's run, through ``helpers.publish.reports.run_one`` so that papermill gets
the reports' own options (the empty page's nbconvert time is recorded beside it).

It also times the real `make` (``python -m helpers build`` and ``python -m helpers reports``
into temporary folders), once. Prints a table of medians and the targets met or missed, and
writes bench/results.json. Nothing in the project's own folders is written but
bench/results.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NOTEBOOKS = ROOT / "notebooks"
RESULTS = BENCH / "results.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
COMPARE = ("compare-all", "04_compare_cases.ipynb", {"case_ids": None, "align_on": "attack"})
SLOW_STEP = 60.0  # seconds: a step slower than this on its first run is not repeated
DRAW_TIMEOUT = 300.0  # seconds to wait for the figures of one page
CHILD_TIMEOUT = 1800

# Targets of issue 7.
BUILD_1000_MAX_S = 5.0
RENDER_100_MAX_FLOOR = 1.5
DRAW_1000_MAX_S = 3.0
MAKE_MAX_FACTOR = 1.3


def _maxrss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- child steps
# Each runs in its own process (python bench/run.py --child STEP JSON) and prints one JSON
# line: fresh imports and caches every run, and ru_maxrss that belongs to that step alone.

def _child_build(args: dict) -> dict:
    from helpers.pipeline import build

    root = Path(args["root"])
    before = _maxrss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    tables = build(root / "data" / "raw", Path(args["out"]), root)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_s": time.process_time() - cpu,
            "rss_mb": _maxrss_mb(), "rss_after_imports_mb": before,
            "events": len(tables.events), "sources": len(tables.sources),
            "cases": len(tables.cases)}


def _child_resolve(args: dict) -> dict:
    from datetime import date

    from synthetic_raw import load_expressions

    from helpers.resolution import dates

    items = []
    for e in load_expressions(Path(args["expressions"])):
        items.append((e.text, datetime.fromisoformat(e.reference),
                      date.fromisoformat(e.anchor) if e.anchor else None, e.language))
    before = _maxrss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    for text, reference, anchor, language in items:
        dates.resolve(text, reference, anchor, language=language)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_s": time.process_time() - cpu, "count": len(items),
            "rss_mb": _maxrss_mb(),
            "rss_after_imports_mb": before}


def _timed_papermill():
    """Wrap papermill.execute_notebook to time it (run_one imports it at call time)."""
    import papermill

    spent = {}
    original = papermill.execute_notebook

    def execute(*a, **k):
        start = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            spent["papermill"] = time.perf_counter() - start

    papermill.execute_notebook = execute
    return spent


def _cell_seconds(executed: Path) -> list[dict]:
    """Per-cell durations papermill records in the executed notebook."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        first = next((line for line in cell.source.splitlines() if line.strip()
                      and not line.startswith("#")), "")
        cells.append({"cell": first[:60], "seconds": duration})
    return cells


def _child_render(args: dict) -> dict:
    # HRT_PROCESSED_DIR is set in this process's environment by the parent (and inherited
    # by the kernel), before helpers.core.paths is imported.
    from helpers.publish import reports

    staging = Path(args["staging"])
    staging.mkdir(parents=True, exist_ok=True)
    name, notebook, parameters = COMPARE
    report = reports.Report(name, notebook, dict(parameters),
                            f"Comparison of all {args['cases']} cases, aligned on the attack")
    # As in `make reports`: the worker's kernel is warm (started, the figure stack imported,
    # the dataset read) from an earlier report; here the overview, timed apart.
    start = time.perf_counter()
    warm_up = reports.run_one(reports.Report("overview", "05_dataset_overview.ipynb",
                                             {"show_sources": False}, "Overview"),
                              str(NOTEBOOKS), str(staging), "bench")
    if not warm_up.ok:
        return {"error": f"warm-up failed: {warm_up.error}"}
    warm_up_s = time.perf_counter() - start
    spent = _timed_papermill()
    start, cpu, kernel_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    outcome = reports.run_one(report, str(NOTEBOOKS), str(staging), "bench")
    seconds = time.perf_counter() - start
    cpu, kernel_cpu = time.process_time() - cpu, _children_cpu() - kernel_cpu
    if not outcome.ok:
        return {"error": outcome.error}
    html = staging / report.html_name
    return {"seconds": seconds, "papermill": spent.get("papermill"), "warm_up_s": warm_up_s,
            "cpu_s": cpu + kernel_cpu, "driver_cpu_s": cpu, "kernel_cpu_s": kernel_cpu,
            "nbconvert": seconds - spent.get("papermill", 0.0),
            "html": str(html), "html_bytes": html.stat().st_size,
            "cells": _cell_seconds(staging / f"{name}.ipynb"),
            "rss_mb": _maxrss_mb(), "kernel_rss_mb": _maxrss_mb(resource.RUSAGE_CHILDREN)}


def _child_floor(args: dict) -> dict:
    """Papermill on an empty notebook, through the reports module's own run_one so that
    papermill gets exactly the options the reports get (kernel, arguments, shutdown)."""
    import nbformat

    from helpers.publish import reports

    work = Path(args["work"])
    (work / "out").mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("")]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, work / "empty.ipynb")
    spent = _timed_papermill()
    start, cpu, kernel_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    # The floor is a kernel started for the notebook (as papermill alone would): the kernel
    # start counts, then papermill on the empty notebook.
    reports._warm_kernel(None)._start("the floor")
    kernel_start = time.perf_counter() - start
    outcome = reports.run_one(reports.Report("empty", "empty.ipynb", {}, "Empty"), str(work),
                              str(work / "out"), "bench")
    total = time.perf_counter() - start
    cpu, kernel_cpu = time.process_time() - cpu, _children_cpu() - kernel_cpu
    if not outcome.ok:
        return {"error": outcome.error}
    return {"seconds": kernel_start + spent["papermill"], "kernel_start_s": kernel_start,
            "papermill_s": spent["papermill"], "with_nbconvert_s": total,
            "cpu_s": cpu + kernel_cpu, "kernel_cpu_s": kernel_cpu,
            "rss_mb": _maxrss_mb(), "kernel_rss_mb": _maxrss_mb(resource.RUSAGE_CHILDREN)}


# Every figure of the page is drawn: the page is parsed (no figure left to come; plotly's
# inline scripts run as they are parsed) and every plot div has plotly's _fullLayout.
DRAWN = """() => {
  if (document.readyState === 'loading') return false;
  const all = document.querySelectorAll('.plotly-graph-div');
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (all.length === 0 || plots.length !== all.length) return false;
  for (const p of plots) { if (!p._fullLayout) return false; }
  if (window.__drawnAt === undefined) window.__drawnAt = performance.now();
  return true;
}"""


def _child_draw(args: dict) -> dict:
    from playwright.sync_api import sync_playwright

    url = Path(args["html"]).resolve().as_uri()
    timeout_ms = int(args.get("timeout", DRAW_TIMEOUT) * 1000)
    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    headless=True)
        version = browser.version
        for number in range(args["runs"]):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url, wait_until="commit", timeout=timeout_ms)
            try:
                page.wait_for_function(DRAWN, timeout=timeout_ms, polling="raf")
            except Exception as err:  # playwright's TimeoutError: record it, stop there
                runs.append({"seconds": None, "timeout_s": timeout_ms / 1000,
                             "error": str(err).splitlines()[0]})
                context.close()
                break
            wall = time.perf_counter() - start
            in_page = page.evaluate("window.__drawnAt") / 1000
            figures = page.evaluate("document.querySelectorAll('.js-plotly-plot').length")
            heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
            runs.append({"seconds": in_page, "wall_seconds": wall, "figures": figures,
                         "js_heap_mb": heap / 2**20 if heap else None})
            context.close()
            if wall > SLOW_STEP:
                break  # slow: one run says enough
        browser.close()
    return {"runs": runs, "chromium": version,
            "browser_rss_mb": _maxrss_mb(resource.RUSAGE_CHILDREN)}


CHILD_STEPS = {"build": _child_build, "resolve": _child_resolve, "render": _child_render,
               "floor": _child_floor, "draw": _child_draw}


# A folder holding another copy of the `helpers` package (--src), e.g. with proposed fixes
# applied: put first on PYTHONPATH of every child, kernel and command.
SRC_OVERRIDE: str | None = None


def child_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.pop("HRT_PROCESSED_DIR", None)
    env.update(extra or {})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [SRC_OVERRIDE, str(BENCH),
                                                      env.get("PYTHONPATH")]))
    return env


def run_child(step: str, args: dict, env: dict | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", step, json.dumps(args)]
    full_env = child_env(env)
    done = subprocess.run(command, capture_output=True, text=True, env=full_env,
                          timeout=CHILD_TIMEOUT, cwd=str(ROOT))
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"step {step} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["load_1min"] = os.getloadavg()[0]  # other work on the machine, for the record
    if "error" in result:
        raise RuntimeError(f"step {step} failed: {result['error']}")
    return result


def repeat(step: str, args: dict, runs: int, env: dict | None = None, log=print) -> list[dict]:
    """`runs` fresh-process runs of a step; only one when the first is slower than SLOW_STEP."""
    results = []
    for number in range(runs):
        result = run_child(step, args, env)
        results.append(result)
        if "seconds" in result:
            log(f"    {step} run {number + 1}: {result['seconds']:.2f} s")
        if number == 0 and result.get("seconds", 0) > SLOW_STEP and runs > 1:
            log(f"    {step} took over {SLOW_STEP:.0f} s: run once only")
            break
    return results


def median(results: list[dict], key: str = "seconds") -> float | None:
    values = [r[key] for r in results if r.get(key) is not None]
    return statistics.median(values) if values else None


# --------------------------------------------------------------------------- machine

def machine() -> dict:
    info = {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)),
            "python": platform.python_version(), "platform": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    from importlib import metadata

    versions = {}
    for name in ("pandas", "plotly", "papermill", "nbconvert", "nbclient", "ipykernel",
                 "playwright", "PyYAML"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    info["packages"] = versions
    return info


# --------------------------------------------------------------------------- real make

def _workers(stdout: str) -> int | None:
    """The number of workers helpers.publish.reports says it used ("... with 3 worker(s)...")."""
    import re

    found = re.search(r"with (\d+) worker", stdout)
    return int(found.group(1)) if found else None


def measure_make(work: Path, log=print) -> dict:
    """The real dataset: build into a temp folder, then every report into another."""
    env = child_env()
    out = work / "make"
    start = time.perf_counter()
    built = subprocess.run([sys.executable, "-m", "helpers", "build", "--out",
                            str(out / "processed")], capture_output=True, text=True, env=env,
                           cwd=str(ROOT), timeout=CHILD_TIMEOUT)
    build_s = time.perf_counter() - start
    if built.returncode != 0:
        return {"error": "python -m helpers build failed: " + built.stderr[-2000:]}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "helpers", "reports", "--out",
                           str(out / "reports")], capture_output=True, text=True, env=env,
                          cwd=str(ROOT), timeout=CHILD_TIMEOUT)
    reports_s = time.perf_counter() - start
    html = [p for p in (out / "reports").glob("*.html") if p.name != "index.html"]
    result = {"build_seconds": build_s, "reports_seconds": reports_s,
              "seconds": build_s + reports_s, "reports": len(html),
              "returncode": done.returncode, "jobs": _workers(done.stdout),
              "html_bytes": sum(p.stat().st_size for p in html)}
    per_report = []
    for line in done.stdout.splitlines():
        if "finished" in line and " in " in line:
            name = line.split("finished", 1)[1].split(" in ")[0].strip()
            per_report.append({"report": name,
                               "seconds": float(line.rsplit(" in ", 1)[1].split()[0])})
    result["per_report"] = per_report
    if done.returncode != 0:
        result["error"] = done.stderr[-2000:]
    result["load_average"] = os.getloadavg()
    log(f"  real make: build {build_s:.1f} s + {len(html)} reports {reports_s:.1f} s")
    return result


# --------------------------------------------------------------------------- main

def bench_size(n: int, work: Path, runs: int, floor: float, floor_cpu: float,
               log=print) -> dict:
    from synthetic_raw import generate, save_expressions

    root = work / f"cases-{n}"
    log(f"\n{n} cases: generating in {root}")
    start = time.perf_counter()
    expressions = generate(root, n)
    save_expressions(expressions, root / "expressions.json")
    texts = list((root / "data" / "raw" / "sources").glob("*.txt"))
    result = {"cases": n, "generate_seconds": time.perf_counter() - start,
              "stored_texts": len(texts),
              "text_chars_mean": statistics.mean(len(p.read_text(encoding="utf-8"))
                                                 for p in texts) if texts else 0,
              "date_expressions": len(expressions)}
    processed = root / "data" / "processed"

    log("  build")
    result["build"] = repeat("build", {"root": str(root), "out": str(processed)}, runs, log=log)
    # (the build must succeed: everything after it reads its output)
    result["events"] = result["build"][0]["events"]
    result["sources"] = result["build"][0]["sources"]
    log("  resolve")
    result["resolve"] = repeat("resolve", {"expressions": str(root / "expressions.json")}, runs,
                               log=log)
    log("  render (papermill + nbconvert)")
    result["render"] = repeat("render", {"staging": str(root / "report"), "cases": n}, runs,
                              env={"HRT_PROCESSED_DIR": str(processed)}, log=log)
    html = result["render"][0]["html"]
    result["html_bytes"] = result["render"][0]["html_bytes"]
    log("  draw (headless Chromium)")
    try:
        draw = run_child("draw", {"html": html, "runs": runs})
    except RuntimeError as err:
        log(f"    draw failed: {str(err).splitlines()[-1]}")
        draw = {"runs": [{"seconds": None, "error": str(err)[-500:]}], "browser_rss_mb": None}
    for number, r in enumerate(draw["runs"], start=1):
        if r.get("seconds") is None:
            log(f"    draw run {number}: not drawn ({r.get('error', '')[:120]})")
        else:
            log(f"    draw run {number}: {r['seconds']:.2f} s ({r['figures']} figures)")
    result["draw"] = draw
    summary = {
        "build_s": median(result["build"]),
        "build_cpu_s": median(result["build"], "cpu_s"),
        "build_rss_mb": median(result["build"], "rss_mb"),
        "resolve_s": median(result["resolve"]),
        "resolve_count": result["resolve"][0]["count"],
        "render_s": median(result["render"]),
        "render_cpu_s": median(result["render"], "cpu_s"),
        "kernel_cpu_s": median(result["render"], "kernel_cpu_s"),
        "render_runs": len(result["render"]),
        "papermill_s": median(result["render"], "papermill"),
        "nbconvert_s": median(result["render"], "nbconvert"),
        "render_driver_rss_mb": median(result["render"], "rss_mb"),
        "kernel_rss_mb": median(result["render"], "kernel_rss_mb"),
        "html_mb": result["html_bytes"] / 1e6,
        "draw_s": median(draw["runs"]),
        "draw_runs": len(draw["runs"]),
        "draw_timeout_s": next((r.get("timeout_s") for r in draw["runs"]
                                if r.get("seconds") is None), None),
        "js_heap_mb": median(draw["runs"], "js_heap_mb"),
        "browser_rss_mb": draw["browser_rss_mb"],
        "build_runs": len(result["build"]),
    }
    summary["render_x_floor"] = summary["render_s"] / floor if floor else None
    summary["papermill_x_floor"] = summary["papermill_s"] / floor if floor else None
    summary["render_cpu_x_floor_cpu"] = (summary["render_cpu_s"] / floor_cpu
                                         if floor_cpu else None)
    # Where the kernel's time went: median per cell.
    cells = {}
    for run in result["render"]:
        for i, cell in enumerate(run["cells"]):
            cells.setdefault(i, {"cell": cell["cell"], "seconds": []})["seconds"].append(
                cell["seconds"] or 0.0)
    summary["cells"] = [{"cell": c["cell"], "seconds": statistics.median(c["seconds"])}
                        for c in cells.values()]
    result["summary"] = summary
    return result


def table(results: dict) -> str:
    floor = results["floor"]["median_s"]
    runs = results["options"]["runs"]
    head = ["cases", "events", "build s", "(CPU)", "resolve s (n)", "render s", "×floor",
            "(CPU", "×floor)", "papermill s", "nbconvert s", "HTML MB", "draw s",
            "runs b/r/d"]
    rows = []
    for size in results["sizes"].values():
        s = size["summary"]
        rows.append([str(size["cases"]), str(size["events"]), f"{s['build_s']:.2f}",
                     f"({s['build_cpu_s']:.2f})",
                     f"{s['resolve_s']:.3f} ({s['resolve_count']})", f"{s['render_s']:.2f}",
                     f"{s['render_x_floor']:.2f}", f"({s['render_cpu_s']:.2f}",
                     f"{s['render_cpu_x_floor_cpu']:.2f})", f"{s['papermill_s']:.2f}",
                     f"{s['nbconvert_s']:.2f}", f"{s['html_mb']:.1f}",
                     f"{s['draw_s']:.2f}" if s["draw_s"] is not None
                     else f">{s['draw_timeout_s'] or 0:.0f} (not drawn)",
                     f"{s['build_runs']}/{s['render_runs']}/{s['draw_runs']}"])
    mem_head = ["cases", "build RSS MB", "render driver RSS MB", "kernel RSS MB",
                "browser RSS MB", "JS heap MB"]
    mem_rows = []
    for size in results["sizes"].values():
        s = size["summary"]
        mem_rows.append([str(size["cases"]), f"{s['build_rss_mb']:.0f}",
                         f"{s['render_driver_rss_mb']:.0f}", f"{s['kernel_rss_mb']:.0f}",
                         f"{s['browser_rss_mb']:.0f}" if s["browser_rss_mb"] else "-",
                         f"{s['js_heap_mb']:.0f}" if s["js_heap_mb"] else "-"])

    def fmt(header, body):
        widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
        line = lambda r: "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths)) + " |"
        return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                         + [line(r) for r in body])

    cells_text = []
    for size in results["sizes"].values():
        parts = ", ".join(f"{c['cell'].split('(')[0][:28]} {c['seconds']:.2f}"
                          for c in size["summary"]["cells"])
        cells_text.append(f"  {size['cases']:>5} cases: {parts}")
    out = [f"Medians of up to {runs} runs (runs b/r/d: build, render, draw runs actually "
           f"made; a step slower than {SLOW_STEP:.0f} s is run once). "
           f"Floor (papermill, empty notebook): {floor:.2f} s (CPU "
           f"{results['floor']['median_cpu_s']:.2f} s, driver + kernel), median of "
           f"{len(results['floor']['runs'])}. Times are wall-clock; (CPU) is the CPU time of "
           "the step's processes, less sensitive to other load on the machine.",
           "", fmt(head, rows), "",
           "Peak memory: ru_maxrss of the step's process (build: whole process, imports "
           "included; render: the papermill/nbconvert process, and its children = the kernel; "
           "browser: largest Chromium process), JS heap = performance.memory.usedJSHeapSize.",
           "", fmt(mem_head, mem_rows), "",
           "Kernel time per notebook cell (papermill's cell durations, median):",
           *cells_text]
    return "\n".join(out)


def targets(results: dict) -> list[dict]:
    found = []
    sizes = results["sizes"]
    floor = results["floor"]["median_s"]
    if "1000" in sizes:
        value = sizes["1000"]["summary"]["build_s"]
        found.append({"target": "build 1,000 cases < 5 s", "value": f"{value:.2f} s",
                      "met": value < BUILD_1000_MAX_S})
    if "100" in sizes:
        value = sizes["100"]["summary"]["render_s"] / floor
        found.append({"target": "comparison report at 100 cases < 1.5 × floor",
                      "value": f"{value:.2f} × floor ({sizes['100']['summary']['render_s']:.2f} s"
                               f" / {floor:.2f} s)",
                      "met": value < RENDER_100_MAX_FLOOR})
    if "1000" in sizes:
        s = sizes["1000"]["summary"]
        value = s["draw_s"]
        found.append({"target": "every figure drawn within 3 s at 1,000 cases",
                      "value": f"{value:.2f} s" if value is not None else
                               f"not drawn within {s['draw_timeout_s'] or 0:.0f} s",
                      "met": value is not None and value <= DRAW_1000_MAX_S})
    make = results.get("make")
    if make and "seconds" in make:
        cores = results["machine"]["usable_cpus"]
        limit = MAKE_MAX_FACTOR * make["reports"] * floor / cores
        found.append({"target": "full make (real data) < 1.3 × notebooks × floor ÷ cores",
                      "value": f"{make['seconds']:.1f} s for {make['reports']} notebooks; "
                               f"limit 1.3 × {make['reports']} × {floor:.2f} ÷ {cores} = "
                               f"{limit:.1f} s ({make['seconds'] / limit:.2f} × limit)",
                      "met": make["seconds"] <= limit and make.get("returncode") == 0})
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the pipeline (issue 7).")
    parser.add_argument("--sizes", default="10,100,1000",
                        help="comma-separated numbers of cases (default 10,100,1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (default 3)")
    parser.add_argument("--no-make", action="store_true",
                        help="skip the real-data make (build + every report)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work in this folder and keep it (default: a temp folder, removed)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument("--src", type=Path, default=None,
                        help="folder with another copy of the helpers package (e.g. with "
                             "bench/proposed-fixes.diff applied), put first on PYTHONPATH")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        step, payload = args.child
        print(json.dumps(CHILD_STEPS[step](json.loads(payload))))
        return 0

    global SRC_OVERRIDE
    if args.src:
        SRC_OVERRIDE = str(args.src.resolve())
        assert (args.src / "helpers" / "__init__.py").is_file(), f"no helpers package in {args.src}"
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.keep or Path(tempfile.mkdtemp(prefix="hrt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), "load_average_start": os.getloadavg(),
               "options": {"sizes": sizes, "runs": args.runs, "make": not args.no_make,
                           "src": SRC_OVERRIDE},
               "sizes": {}}
    print(f"Benchmark: sizes {sizes}, {args.runs} run(s); work folder {work}")
    try:
        print("\nfloor: papermill on an empty notebook")
        floor_runs = repeat("floor", {"work": str(work / "floor")}, args.runs)
        results["floor"] = {"runs": floor_runs, "median_s": median(floor_runs),
                            "with_nbconvert_median_s": median(floor_runs, "with_nbconvert_s"),
                            "median_cpu_s": median(floor_runs, "cpu_s"),
                            "kernel_rss_mb": median(floor_runs, "kernel_rss_mb")}
        floor = results["floor"]["median_s"]
        for n in sizes:
            results["sizes"][str(n)] = bench_size(n, work, args.runs, floor,
                                                  results["floor"]["median_cpu_s"])
        if not args.no_make:
            print("\nreal data: python -m helpers build + python -m helpers reports (once)")
            results["make"] = measure_make(work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    results["load_average_end"] = os.getloadavg()
    results["total_seconds"] = time.perf_counter() - started
    results["targets"] = targets(results)
    for size in results["sizes"].values():  # the HTML path is in a removed temp folder
        for run in size["render"]:
            run.pop("html", None)
    args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")

    m = results["machine"]
    print(f"\nMachine: {m.get('cpu_model')}, {m['nproc']} CPUs ({m['usable_cpus']} usable), "
          f"{m.get('memory_gb')} GB, Python {m['python']}; {results['date']}; load average "
          f"{results['load_average_start'][0]:.2f} at start, "
          f"{results['load_average_end'][0]:.2f} at end")
    print(table(results))
    if results.get("make") and "seconds" in results["make"]:
        mk = results["make"]
        print(f"\nReal make: helpers build {mk['build_seconds']:.1f} s + helpers.publish.reports "
              f"{mk['reports_seconds']:.1f} s ({mk['reports']} reports, {mk['jobs']} workers "
              f"(helpers.publish.reports' default); load average {mk.get('load_average', ['?'])[0]})")
    print("\nTargets:")
    if not results["targets"]:
        print("  (none applies to these sizes: they are read at 100 and 1,000 cases and on make)")
    for t in results["targets"]:
        print(f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['value']}")
    print(f"\nTotal {results['total_seconds']:.0f} s; results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
