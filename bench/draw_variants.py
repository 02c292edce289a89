"""Why the comparison figures are slow to draw, and what would fix it: draw variants.

    python bench/draw_variants.py PROCESSED_DIR [--runs 2]

Builds the two figures of notebooks/04 (calendar and aligned, every case) from a processed
folder (e.g. a synthetic one written by bench/run.py --keep DIR), then writes pages holding
both figures with plotly.js inline, as the report does, in variants:

* ``report``: the figures as helpers.timeline makes them;
* ``no-separators``: the n-1 lane separators drawn as y-axis minor grid lines instead of
  n-1 layout shapes;
* ``no-slider``: without the calendar's range slider;
* ``neither``: both changes;
* ``no-automargin``: the y axis without ``automargin`` (a fixed left margin);
* ``overflow-allow``: ``ticklabeloverflow="allow"`` on both axes, so that plotly.js does
  not measure every tick label (with a forced layout each) to hide those past the div;
* ``allow+no-slider``: both;
* ``no-hovertext``: without the hover texts;
* ``webgl-markers``: the marker traces as ``scattergl``;
* ``plotly-only``: plotly.js and an empty figure (the floor of any report page).

and times each in headless Chromium like bench/run.py (navigation start to every
``.js-plotly-plot`` having ``_fullLayout``).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import CHROMIUM, CHROMIUM_ARGS, DRAWN  # noqa: E402


def _without_separators(fig):
    n = len(fig.layout.yaxis.tickvals)
    fig.update_layout(shapes=[])
    fig.update_yaxes(minor={"tickmode": "array", "tickvals": [i + 0.5 for i in range(n - 1)],
                            "showgrid": True, "gridcolor": "#DDDDDD", "gridwidth": 1,
                            "ticklen": 0})
    return fig


def _without_slider(fig):
    if fig.layout.xaxis.rangeslider.visible:
        fig.update_xaxes(rangeslider={"visible": False})
    return fig


def _without_automargin(fig):
    fig.update_yaxes(automargin=False)
    fig.update_layout(margin={"l": 160})
    return fig


def _labels_allowed_to_overflow(fig):
    fig.update_yaxes(ticklabeloverflow="allow")
    fig.update_xaxes(ticklabeloverflow="allow")
    return fig


def _without_hovertext(fig):
    fig.update_traces(hovertext=None, customdata=None, hoverinfo="x+y")
    return fig


def _webgl(fig):
    import plotly.graph_objects as go

    data = [go.Scattergl(t.to_plotly_json()) if t.type == "scatter" and t.mode == "markers"
            else t for t in fig.data]
    return go.Figure(data=data, layout=fig.layout)


def pages(processed: Path, out: Path, only: list[str] | None = None) -> dict[str, Path]:
    import plotly.graph_objects as go
    import plotly.io as pio

    from helpers import timeline
    from helpers.dataset import load_dataset

    data = load_dataset(processed)
    events = data.events_with_outlets()

    def figures():
        return [timeline.calendar_figure(events, data.cases),
                timeline.aligned_figure(events, data.cases, align_on="attack")]

    variants = {
        "report": lambda: figures(),
        "no-separators": lambda: [_without_separators(f) for f in figures()],
        "no-slider": lambda: [_without_slider(f) for f in figures()],
        "neither": lambda: [_without_slider(_without_separators(f)) for f in figures()],
        "no-automargin": lambda: [_without_automargin(f) for f in figures()],
        "overflow-allow": lambda: [_labels_allowed_to_overflow(f) for f in figures()],
        "allow+no-slider": lambda: [_without_slider(_labels_allowed_to_overflow(f))
                                    for f in figures()],
        "no-hovertext": lambda: [_without_hovertext(f) for f in figures()],
        "webgl-markers": lambda: [_webgl(f) for f in figures()],
        "plotly-only": lambda: [go.Figure()],
    }
    written = {}
    for name, make in variants.items():
        if only and name not in only:
            continue
        figs = make()
        parts = [pio.to_html(f, include_plotlyjs=(i == 0), full_html=False)
                 for i, f in enumerate(figs)]
        page = out / f"{name}.html"
        page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                        + "\n".join(parts) + "</body></html>", encoding="utf-8")
        written[name] = page
    return written


def draw_times(page: Path, runs: int, timeout_s: float = 300) -> list[float | None]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="commit")
            try:
                tab.wait_for_function(DRAWN, polling="raf", timeout=timeout_s * 1000)
                times.append(tab.evaluate("window.__drawnAt") / 1000)
            except Exception:  # timeout: not drawn
                times.append(None)
            context.close()
            if times[-1] is None or times[-1] > 60:
                break
        browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("processed", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated variant names")
    args = parser.parse_args(argv)
    out = Path(tempfile.mkdtemp(prefix="hrt-draw-"))
    start = time.perf_counter()
    written = pages(args.processed, out, [v for v in args.only.split(",") if v] or None)
    print(f"pages written in {time.perf_counter() - start:.1f} s to {out}")
    for name, page in written.items():
        times = draw_times(page, args.runs)
        done = [t for t in times if t is not None]
        shown = f"{statistics.median(done):.2f} s" if done else "not drawn in 300 s"
        print(f"{name:>14}: {shown:>10}  (runs: {', '.join('-' if t is None else f'{t:.2f}' for t in times)}; "
              f"{page.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
