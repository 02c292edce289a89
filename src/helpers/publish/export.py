"""Static export of figures (SVG, PNG, PDF) with kaleido, in one browser session.

kaleido 1.x drives a headless Chromium-based browser. Starting one takes seconds, so
:func:`export_figures` renders every figure and format in a single session. Files are written
atomically (temporary file in the target folder, then ``os.replace``), so a failed or
interrupted export never leaves a truncated image behind.

``python -m helpers export`` writes the figures for articles to ``reports/figures``: the
Les Bluets–Cannes comparison, every case compared, and the delays across cases, each as SVG,
PDF, a PNG for the web (1,000 px wide) and a PNG for print (3x); without a browser it prints
how to install one and exits with status 2 (no traceback).
"""
from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import plotly.graph_objects as go

from helpers.core.errors import ProjectError
from helpers.publish.exports.common import run_cli

FORMATS = ("svg", "png", "pdf")
SUPPORTED_FORMATS = ("svg", "png", "pdf", "jpeg", "webp")
DEFAULT_WIDTH = 1200
DEFAULT_HEIGHT = 600
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
INSTALL_HINT = (
    "Install Chromium (Debian/Ubuntu: `apt-get install chromium`), or Google Chrome, or run "
    "`kaleido_get_chrome`; or set BROWSER_PATH to a Chromium-based browser's executable."
)


class StaticExportUnavailable(ProjectError, RuntimeError):
    """Static export needs a Chromium-based browser, and none can be started."""


def find_browser() -> str | None:
    """Path of the browser kaleido would use (BROWSER_PATH, PATH, usual places), or None."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    if path and Path(path).is_file() and os.access(path, os.X_OK):
        return str(path)
    return None


def _unavailable(detail: str) -> StaticExportUnavailable:
    return StaticExportUnavailable(f"Static export (SVG/PNG/PDF) is unavailable: {detail}. "
                                   + INSTALL_HINT)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a figure is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check(figures: Mapping[str, go.Figure], formats: Sequence[str]) -> list[str]:
    formats = [f.lower().lstrip(".") for f in ([formats] if isinstance(formats, str)
                                                  else formats)]
    formats = ["jpeg" if f == "jpg" else f for f in formats]
    unknown = [f for f in formats if f not in SUPPORTED_FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; supported: {', '.join(SUPPORTED_FORMATS)}")
    bad = [n for n in figures if not NAME.match(str(n))]
    if bad:
        raise ValueError(f"figure names must be plain file stems (letters, digits, . _ -): {bad}")
    return list(dict.fromkeys(formats))


async def _render_all(jobs, browser: str, timeout: float):
    import kaleido

    # mathjax=False: no network fetch, and the figures use no LaTeX.
    async with kaleido.Kaleido(n=1, timeout=timeout, path=browser, mathjax=False) as k:
        for fig, opts, path in jobs:
            _write_atomic(path, await k.calc_fig(fig, opts=opts))


def export_figures(figures: Mapping[str, go.Figure], out_dir, formats=FORMATS, *,
                   width: int | None = None, height: int | None = None, scale: float = 1,
                   timeout: float = 90) -> list[Path]:
    """Write every figure in every format to `out_dir/<name>.<format>`; return the paths.

    One browser session serves all figures. Size: `width`/`height` if given, else the
    figure's layout size, else 1200 x 600 px. Raises StaticExportUnavailable when no
    browser can be found or started.
    """
    formats = _check(figures, formats)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    for name, fig in figures.items():
        layout = fig.layout
        size = {"width": width or layout.width or DEFAULT_WIDTH,
                "height": height or layout.height or DEFAULT_HEIGHT}
        for fmt in formats:
            ext = "jpg" if fmt == "jpeg" else fmt
            jobs.append((fig, {"format": fmt, "scale": scale, **size}, out / f"{name}.{ext}"))
    if not jobs:
        return []
    _run(jobs, timeout)
    return [path for _, _, path in jobs]


def _run(jobs, timeout: float) -> None:
    """Render (figure, options, path) jobs in one browser session, atomically per file."""
    browser = find_browser()
    if browser is None:
        where = os.environ.get("BROWSER_PATH")
        raise _unavailable(f"BROWSER_PATH={where!r} is not an executable browser" if where
                           else "no Chromium-based browser was found on this machine")
    from kaleido.errors import BrowserFailedError, ChromeNotFoundError

    # A worker thread owns the event loop, so this also works under Jupyter's running loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(asyncio.run, _render_all(jobs, browser, timeout))
        try:
            future.result()
        except ChromeNotFoundError as exc:
            raise _unavailable(f"the browser was not found ({exc})") from exc
        except BrowserFailedError as exc:
            raise _unavailable(f"the browser at {browser} failed to start ({exc})") from exc


def standard_figures(data) -> dict[str, go.Figure]:
    """The figures for articles: the Les Bluets–Cannes comparison, every case compared, and
    the delays across cases; each has its title, key and source line inside the figure."""
    from helpers.present.figures import comparison_figure, delay_figure
    from helpers.present.pages import PAIR

    found = {}
    if all(c in set(data.cases.case_id) for c in PAIR):
        found["comparison-les-bluets-cannes"] = comparison_figure(data, list(PAIR))
    found["comparison-all-cases"] = comparison_figure(data)
    found["delays-across-cases"] = delay_figure(data)
    return found


# Sizes for the web (a page column, 1,000 px) and for print (the same layout at 3x: 3,000 px,
# about 25 cm at 300 dpi); SVG and PDF are vector and need no scale.
WEB_WIDTH = 1000
PRINT_SCALE = 3


def export_for_articles(figures: Mapping[str, go.Figure], out_dir, *,
                        timeout: float = 90) -> list[Path]:
    """<name>.svg, <name>.pdf, <name>-web.png and <name>-print.png of every figure, in one
    browser session."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _check(figures, ("svg", "pdf", "png"))
    jobs = []
    for name, fig in figures.items():
        size = {"width": WEB_WIDTH, "height": fig.layout.height or DEFAULT_HEIGHT}
        jobs += [(fig, {"format": "svg", "scale": 1, **size}, out / f"{name}.svg"),
                 (fig, {"format": "pdf", "scale": 1, **size}, out / f"{name}.pdf"),
                 (fig, {"format": "png", "scale": 1, **size}, out / f"{name}-web.png"),
                 (fig, {"format": "png", "scale": PRINT_SCALE, **size},
                  out / f"{name}-print.png")]
    _run(jobs, timeout)
    return [path for _, _, path in jobs]


def _load_data(processed_dir: Path):
    from helpers.core.frames import load_dataset

    try:
        return load_dataset(processed_dir)
    except FileNotFoundError as exc:
        raise ProjectError(f"no dataset in {processed_dir} ({exc.filename} is missing); "
                           "build it first (make data)") from exc


# Subcommands of `python -m helpers export`: each format's logic lives in its own module of
# helpers.publish.exports; `figures` (this module) is the default, so `--out DIR` alone still means it.
SUBCOMMANDS = {"stix": "helpers.publish.exports.stix", "timelinejs": "helpers.publish.exports.timelinejs",
               "sqlite": "helpers.publish.exports.sqlite", "release": "helpers.publish.exports.release"}


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: `figures` (the default), `stix`, `timelinejs`, `sqlite` or `release`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        import importlib

        return importlib.import_module(SUBCOMMANDS[args[0]]).main(args[1:])
    if args and args[0] == "figures":
        args = args[1:]
    return figures_main(args)


def figures_main(argv: Sequence[str] | None = None) -> int:
    """CLI: export the standard figures. Exit 2, with a message, when export is impossible."""
    from helpers.core.paths import PROCESSED_DIR, REPORTS_DIR

    parser = argparse.ArgumentParser(
        prog="python -m helpers export [figures]", description=__doc__.split("\n\n")[0],
        epilog="Other exports: python -m helpers export {stix,timelinejs,sqlite,release} "
               "--help (docs/exports.md).")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR / "figures",
                        help="output folder (default: reports/figures)")
    parser.add_argument("--processed", type=Path, default=PROCESSED_DIR,
                        help="the dataset's folder (default: data/processed)")
    return run_cli(parser, argv, lambda args: export_for_articles(
        standard_figures(_load_data(args.processed)), args.out), errors=(ProjectError, ValueError))


if __name__ == "__main__":
    sys.exit(main())
