"""The rendered reports in a real browser (Playwright driving Debian's Chromium, from file://):
no network request, no console error, every figure drawn with the expected traces and
points, hover showing the date and the source, and third-party text shown as text."""
from __future__ import annotations

import html

import pytest

from helpers import annotation_view, reports, timeline
from helpers.dataset import load_dataset

from test_reports import shared_reports
from conftest import BROWSER_ARGS, CHROMIUM, need_browser

DATA = load_dataset()
PLAN = {r.name: r for r in reports.plan(DATA)}
EVIL = "<script>alert(1)</script>"
EVIL_IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser():
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield instance
        finally:
            instance.close()


class Watched:
    """A page whose non-local requests are aborted and counted, with its console errors."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            self.remote.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    page = Watched(browser)
    yield page
    page.close()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    need_browser()  # before the long render, so that a missing browser fails at once
    out, result = shared_reports(tmp_path_factory)
    assert result["returncode"] == 0, f"reports command failed:\n{result['stderr'][-3000:]}"
    return out


def expected_figures(report: reports.Report) -> list:
    """The figures the helpers build for the report's parameters, in the page's order."""
    events = DATA.events_with_outlets()
    if report.notebook == "03_case.ipynb":
        return [timeline.calendar_figure(events, DATA.cases,
                                         case_ids=[report.parameters["case_id"]])]
    if report.notebook == "04_compare_cases.ipynb":
        case_ids = report.parameters.get("case_ids")
        align_on = report.parameters.get("align_on", "attack")
        return [timeline.calendar_figure(events, DATA.cases, case_ids=case_ids),
                timeline.aligned_figure(events, DATA.cases, case_ids=case_ids,
                                        align_on=align_on)]
    return []


FIGURES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    full: Array.isArray(gd._fullData) && gd._fullData.length,
    traces: gd.data.length,
    points: gd.data.map(t => (t.x || []).length),
    roles: gd.data.map(t => (t.meta && t.meta.role) || ''),
}))"""

HOVER_JS = """([index, curve, point]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[index];
    Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: point}]);
    const layer = gd.querySelector('.hoverlayer');
    return layer ? layer.textContent : '';
}"""


def _marker_point(figure):
    """(trace index, point index, expected date label, expected outlets) of one marker."""
    outlets = dict(zip(DATA.sources.source_id, DATA.sources.outlet))
    for curve, trace in enumerate(figure.data):
        meta = trace.meta or {}
        if meta.get("role") != "marker" or not trace.x:
            continue
        case_id, event_key, event_type, kind, _, source_ids = trace.customdata[0]
        first = source_ids.split(";")[0]
        rows = DATA.events[(DATA.events.source_id == first) & (DATA.events.event_key == event_key)
                           & (DATA.events.event_type == event_type)]
        row = rows.iloc[0]
        label = timeline.span_label(row.date_earliest, row.date_latest, row.date_precision)
        return curve, 0, label, [outlets[s] for s in source_ids.split(";")]
    return None


@pytest.mark.parametrize("name", sorted(PLAN))
def test_report_in_the_browser(rendered, watched, name):
    report = PLAN[name]
    path = rendered / report.html_name
    assert path.is_file(), f"{report.html_name} was not rendered"
    expected = expected_figures(report)
    page = watched.page
    page.goto(path.as_uri(), wait_until="load")
    if expected:
        page.wait_for_function(
            f"() => {{ const g = [...document.querySelectorAll('.js-plotly-plot')];"
            f" return g.length >= {len(expected)} && g.every(x => x._fullData); }}",
            timeout=30_000)
    figures = page.evaluate(FIGURES_JS)
    assert len(figures) == len(expected), "one drawn figure per figure of the notebook"
    for drawn, figure in zip(figures, expected):
        assert drawn["full"] == len(figure.data)
        assert drawn["traces"] == len(figure.data)
        assert drawn["points"] == [len(t.x) if t.x is not None else 0 for t in figure.data]
    hovered = 0
    for index, figure in enumerate(expected):
        target = _marker_point(figure)
        if target is None:
            continue
        hovered += 1
        curve, point, label, outlets = target
        text = page.evaluate(HOVER_JS, [index, curve, point])
        assert label in text, f"hover shows the date {label!r}: {text[:300]!r}"
        assert any(html.unescape(o) in text or o in text for o in outlets), \
            f"hover names the source ({outlets}): {text[:300]!r}"
    assert hovered or not expected, "at least one event marker was hovered"
    page.wait_for_timeout(100)  # let late console messages arrive
    assert watched.remote == [], "no request leaves the machine"
    assert watched.errors == [], "no console error"
    assert watched.dialogs == []
    assert page.title(), "the page has a title"


def test_index_in_the_browser(rendered, watched):
    page = watched.page
    page.goto((rendered / "index.html").as_uri())
    links = page.eval_on_selector_all("a[href$='.html']", "els => els.map(e => e.getAttribute('href'))")
    assert set(links) == {r.html_name for r in PLAN.values()}
    assert watched.remote == [] and watched.errors == []


def test_injected_markup_is_shown_as_text(tmp_path, watched):
    text = f"Avant. Le groupe a écrit {EVIL} puis {EVIL_IMG} le 16 avril. Fin."
    quote = f"Le groupe a écrit {EVIL} puis {EVIL_IMG} le 16 avril"
    start = text.index(quote)
    date_start = text.index("le 16 avril")
    event = {"event_id": "evil-1", "event_type": "claim", "summary": f"summary {EVIL}",
             "quote_start": start, "quote_end": start + len(quote),
             "date_text_start": date_start, "date_text_end": date_start + len("le 16 avril"),
             "event_date": "2024-04-16", "date_precision": "day"}
    dismissed = [{"text_start": 0, "text_end": 5, "reason": EVIL_IMG}]
    body = annotation_view.render_annotation(text, [event], dismissed, [], title=EVIL)
    meta = annotation_view.metadata_html({"source_id": "evil", "outlet": EVIL, "title": EVIL_IMG,
                                          "url": "javascript:alert(1)", "has_text": True})
    index = reports.index_html([reports.Report("x", "01_annotate_source.ipynb",
                                               {"source_id": EVIL}, EVIL, EVIL)],
                               EVIL, EVIL, None)
    page_file = tmp_path / "evil.html"
    page_file.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title>"
                         f"</head><body>{meta}{body}</body></html>", encoding="utf-8")
    index_file = tmp_path / "index.html"
    index_file.write_text(index, encoding="utf-8")
    for target in (page_file, index_file):
        watched.page.goto(target.as_uri())
        watched.page.wait_for_timeout(300)
        shown = watched.page.inner_text("body")
        assert EVIL in shown, "the markup is shown as text"
    watched.page.goto(page_file.as_uri())
    assert EVIL_IMG in watched.page.inner_text("body")
    assert watched.page.locator("img").count() == 0
    assert watched.dialogs == [], "no script ran"
    assert watched.remote == [] and watched.errors == []
