"""The rendered reports in a real browser (Playwright driving Debian's Chromium, from file://):
no network request, no console error, every figure drawn as the helpers built it, hover
showing the date and the sources, text for people (no NaN, no raw column names, no ids where
a name exists), every internal link resolving, and third-party text shown as text. The main
pages are saved as screenshots for review (reports/screenshots/, not committed)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import need_browser
from test_reports import shared_reports

from helpers.core.frames import load_dataset
from helpers.core.paths import PROJECT_ROOT
from helpers.present import annotation_view, figures
from helpers.publish import reports

pytestmark = pytest.mark.integration

DATA = load_dataset()
PLAN = {r.name: r for r in reports.plan(DATA)}
EVIL = "<script>alert(1)</script>"
EVIL_IMG = "<img src=x onerror=alert(1)>"
SCREENSHOTS = Path(os.environ.get("HRT_SCREENSHOTS") or PROJECT_ROOT / "reports" / "screenshots")
MAIN_PAGES = ("index", "compare-les-bluets-2022--cannes-2024", "compare-all", "overview",
              "case-cannes-2024", "case-les-bluets-2022", "source-nice-matin-2024-cannes",
              "codebook")
# Words that betray a raw value; the nav line (how the page was made) is not checked.
RAW_WORDS = re.compile(r"\b(NaN|nan|None|NaT|True|False|<NA>)\b")
COLUMN_NAMES = {c.name for table in __import__("helpers.core.schema", fromlist=["TABLES"])
                .TABLES.values() for c in table["columns"]}
KEYS = sorted({k for k in DATA.events.event_key if "-" in k}, key=len, reverse=True)


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


@pytest.fixture(scope="module")
def _shared_page(browser):
    page = Watched(browser)
    yield page
    page.close()


@pytest.fixture
def watched(_shared_page):
    """One page per worker, its records emptied for each test (a new context per page cost
    about a tenth of a second, times every report)."""
    for record in (_shared_page.remote, _shared_page.errors, _shared_page.dialogs):
        record.clear()
    _shared_page.page.goto("about:blank")
    return _shared_page


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    need_browser()  # before the long render, so that a missing browser fails at once
    out, result = shared_reports(tmp_path_factory)
    assert result["returncode"] == 0, f"reports command failed:\n{result['stderr'][-3000:]}"
    return out


def expected_figures(report: reports.Report) -> list:
    """The figures the helpers build for the report's parameters, in the page's order."""
    if report.notebook == "03_case.ipynb":
        return [figures.case_calendar(DATA, report.parameters["case_id"])]
    if report.notebook == "04_compare_cases.ipynb":
        case_ids = report.parameters.get("case_ids")
        selected = case_ids or list(DATA.cases.case_id)
        return [figures.comparison_figure(DATA, case_ids,
                                          align_on=report.parameters.get("align_on", "attack")),
                figures.delay_figure(DATA, selected), figures.cases_calendar(DATA, case_ids)]
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
    """(trace index, point index, texts the hover must show) of one mark of the figure."""
    infos = figures.case_infos(DATA)
    for curve, trace in enumerate(figure.data):
        role = (trace.meta or {}).get("role")
        if role == "stage" and trace.x:
            case_id, stage, *_ = trace.customdata[0]
            row = DATA.case_stages.set_index(["case_id", "stage"]).loc[(case_id, stage)]
            return curve, 0, [infos[case_id].name,
                              figures.date_label(row.best_date)]
        if role == "source_date" and trace.x:
            return curve, 0, [trace.customdata[0][3].split(";")[0]]
    return None


def visible_text(page) -> str:
    """The page's text as shown, without the line that says how the page was made."""
    return page.evaluate("""() => { const c = document.body.cloneNode(true);
        c.querySelectorAll('.hrt-nav, script, style').forEach(e => e.remove());
        return c.innerText; }""")


def check_text_for_people(page, name: str) -> None:
    text = visible_text(page)
    raw = RAW_WORDS.findall(text)
    assert not raw, f"{name}: raw values shown: {raw[:5]}"
    headers = page.eval_on_selector_all("th", "els => els.map(e => e.innerText.trim())")
    raw_headers = [h for h in headers if h in COLUMN_NAMES and "_" in h]
    assert not raw_headers, f"{name}: raw column names in headers: {raw_headers}"
    if not name.startswith(("source-", "build")):  # annotators' pages show their ids
        shown_ids = [c for c in DATA.case_ids if c in text]
        assert not shown_ids, f"{name}: case ids shown where a name exists: {shown_ids}"
        shown_keys = [k for k in KEYS if re.search(rf"\b{re.escape(k)}\b", text)]
        assert not shown_keys, f"{name}: event keys shown as labels: {shown_keys[:5]}"


def check_links(page, path: Path) -> None:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme or href.startswith(("#", "//")):
            continue
        target = (path.parent / unquote(parsed.path)).resolve()
        assert target.exists(), f"{path.name}: broken link {href}"


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
        curve, point, wanted = target
        text = page.evaluate(HOVER_JS, [index, curve, point])
        for item in wanted:
            assert item in text, f"hover shows {item!r}: {text[:300]!r}"
    assert hovered or not expected, "at least one mark was hovered"
    check_text_for_people(page, name)
    check_links(page, path)
    if name in MAIN_PAGES:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.wait_for_timeout(30)  # let late console messages arrive
    assert watched.remote == [], "no request leaves the machine"
    assert watched.errors == [], "no console error"
    assert watched.dialogs == []
    assert page.title(), "the page has a title"


@pytest.mark.parametrize("name", ["index", "codebook"])
def test_index_and_codebook_in_the_browser(rendered, watched, name):
    page = watched.page
    path = rendered / f"{name}.html"
    page.goto(path.as_uri())
    links = set(page.eval_on_selector_all("a[href$='.html']",
                                          "els => els.map(e => e.getAttribute('href'))"))
    if name == "index":
        assert {r.html_name for r in PLAN.values()} <= links
        text = visible_text(page)
        assert "Start here" in text and "Les Bluets and Cannes, side by side" in text
        titled_by_id = [s for s in DATA.source_ids if s in text]
        assert not titled_by_id, f"sources titled with raw ids: {titled_by_id[:5]}"
    else:
        assert page.locator("table").count() > 5, "the codebook's tables are HTML tables"
    check_text_for_people(page, name)
    check_links(page, path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert watched.remote == [] and watched.errors == []


def test_injected_markup_is_shown_as_text(tmp_path, watched):
    text = f"Avant. Le groupe a écrit {EVIL} puis {EVIL_IMG} le 16 avril. Fin."
    quote = f"Le groupe a écrit {EVIL} puis {EVIL_IMG} le 16 avril"
    start = text.index(quote)
    date_start = text.index("le 16 avril")
    event = {"event_id": "evil-1", "event_type": "claim", "summary": f"summary {EVIL}",
             "quote_start": start, "quote_end": start + len(quote),
             "date_text_start": date_start, "date_text_end": date_start + len("le 16 avril"),
             "date_iso": "2024-04-16", "date_precision": "day"}
    dismissed = [{"text_start": 0, "text_end": 5, "reason": EVIL_IMG}]
    body = annotation_view.render_annotation(text, [event], dismissed, [], title=EVIL)
    meta = annotation_view.metadata_html({"source_id": "evil", "outlet": EVIL, "title": EVIL_IMG,
                                          "url": "javascript:alert(1)", "has_text": True})
    from helpers.publish.index_page import page as html_page

    index = html_page(EVIL, [f"<p>{annotation_view.esc(EVIL)}</p>"])
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
