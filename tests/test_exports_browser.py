"""The shared dataset in a real browser (Playwright driving Debian's Chromium):

- `make serve`'s Datasette (helpers.publish.serve) starts, local and read-only; a faceted page of
  events filters to Les Bluets' claims by clicking the facets; a SQL query returns the
  Cannes leak rows; a write is refused, in SQL and over HTTP;
- a TimelineJS page written by `python -m helpers export timelinejs` draws its timeline from
  the local copy of TimelineJS, offline (every non-file request is aborted and counted).

Screenshots go to reports/screenshots/ (not committed) for review.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from helpers.core.frames import load_dataset
from helpers.core.paths import PROJECT_ROOT
from helpers.publish.exports import sqlite as db_export
from helpers.publish.exports import timelinejs

pytestmark = pytest.mark.integration

DATA = load_dataset()
DB = db_export.DB_NAME
SCREENSHOTS = Path(os.environ.get("HRT_SCREENSHOTS") or PROJECT_ROOT / "reports" / "screenshots")
BLUETS_CLAIMS = sorted(DATA.events[(DATA.events.case_id == "les-bluets-2022")
                                   & (DATA.events.event_type == "claim")].event_id)
CANNES_LEAKS = sorted(DATA.events[(DATA.events.case_id == "cannes-2024")
                                  & (DATA.events.event_type == "leak")].event_id)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python -m helpers serve` on a free port of 127.0.0.1 (stopped at the end)."""
    out = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT / "src"),
                                                       os.environ.get("PYTHONPATH")]))}
    log = open(out / "datasette.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "helpers", "serve", "--dir", str(out),
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                               env=env, cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server stopped: {(out / 'datasette.log').read_text()}")
            try:
                if _get(f"{base}/-/versions.json", timeout=2)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {(out / 'datasette.log').read_text()}")
            time.sleep(0.3)
        yield {"base": base, "port": port, "pid": process.pid}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()


class Page:
    """A page that may reach only `allowed` (a URL prefix); anything else is aborted and
    counted, with the console errors."""

    def __init__(self, browser, allowed: tuple[str, ...]):
        self.allowed = allowed
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        if route.request.url.startswith(self.allowed):
            route.continue_()
        else:
            self.remote.append(route.request.url)
            route.abort()

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    def close(self):
        self.context.close()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, read from /proc/net/tcp and tcp6 (no traffic)."""
    found = set()
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                found.add(address)
    return found


# --- Datasette ---------------------------------------------------------------------------

def test_server_starts_local_and_read_only(server):
    status, body = _get(f"{server['base']}/-/databases.json")
    databases = {d["name"]: d for d in json.loads(body)}
    assert status == 200 and databases[DB]["is_mutable"] is False
    if Path("/proc/net/tcp").exists():
        assert _listening_addresses(server["port"]) == {"0100007F"}  # 127.0.0.1 only
    status, body = _get(f"{server['base']}/{DB}/events.json?_size=0")
    assert json.loads(body)["filtered_table_rows_count"] == len(DATA.events)


def test_faceted_events_page_filters_to_les_bluets_claims(server, browser):
    watched = Page(browser, (server["base"],))
    try:
        page = watched.page
        page.goto(f"{server['base']}/{DB}/events")
        assert "Events, one row per event per source" in page.locator("h1").inner_text()
        for column in ("case_id", "event_type", "actor", "status", "date_precision"):
            assert page.locator(f'.facet-info[data-column="{column}"]').count() == 1, column
        case = page.locator('.facet-info[data-column="case_id"] a',
                            has_text="Les Bluets maternity, Paris")
        case.first.click()
        page.wait_for_url("**case_id=les-bluets-2022**")
        page.locator('.facet-info[data-column="event_type"] a', has_text="claim").first.click()
        page.wait_for_url("**event_type=claim**")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
        assert query["case_id"] == ["les-bluets-2022"] and query["event_type"] == ["claim"]
        ids = sorted(page.locator("table.rows-and-columns tbody td.col-event_id").all_inner_texts())
        assert ids == BLUETS_CLAIMS
        # Each event links to its case and its source.
        first = page.locator("table.rows-and-columns tbody tr").first
        assert first.locator("td.col-case_id a").get_attribute("href") \
            == f"/{DB}/cases/les-bluets-2022"
        source = first.locator("td.col-source_id a").get_attribute("href")
        assert source.startswith(f"/{DB}/sources/")
        watched.shot("datasette-les-bluets-claims")
        page.goto(server["base"] + source)
        assert page.locator("table.rows-and-columns td.col-outlet").count() == 1
        assert not watched.remote, watched.remote
        assert not watched.errors, watched.errors
    finally:
        watched.close()


def test_sql_query_returns_the_cannes_leak_rows(server, browser):
    watched = Page(browser, (server["base"],))
    try:
        page = watched.page
        sql = ("select event_id, source_id, date_text, earliest_datetime from events "
               "where case_id = 'cannes-2024' and event_type = 'leak' order by event_id")
        page.goto(f"{server['base']}/{DB}?" + urllib.parse.urlencode({"sql": sql}))
        ids = page.locator("table.rows-and-columns tbody td.col-event_id").all_inner_texts()
        assert ids == CANNES_LEAKS
        watched.shot("datasette-cannes-leaks")
        assert not watched.remote and not watched.errors, (watched.remote, watched.errors)
    finally:
        watched.close()


def test_a_write_is_refused(server, browser):
    watched = Page(browser, (server["base"],))
    try:
        page = watched.page
        attempts = {
            "insert into groups (group_id, name) values ('x', 'X')": "must be a SELECT",
            "with x as (select 1) delete from events": "readonly database",
        }
        for sql, message in attempts.items():
            page.goto(f"{server['base']}/{DB}?" + urllib.parse.urlencode({"sql": sql}))
            assert message in page.content(), sql
        # No write over HTTP either: Datasette 0.65 has no write API (a POST of SQL is 405;
        # the 1.0 insert route does not exist here and errors).
        response = page.request.post(f"{server['base']}/{DB}",
                                     form={"sql": "delete from events"})
        assert response.status == 405, response.status
        response = page.request.post(f"{server['base']}/{DB}/groups/-/insert",
                                     data={"row": {"group_id": "x", "name": "X"}})
        assert response.status >= 400, response.status
    finally:
        watched.close()
    status, body = _get(f"{server['base']}/{DB}.json?sql=select+count(*)+as+n+from+events"
                        "&_shape=array")
    assert json.loads(body) == [{"n": len(DATA.events)}]


# --- TimelineJS, offline -----------------------------------------------------------------

@pytest.fixture(scope="module")
def timelines(tmp_path_factory):
    out = tmp_path_factory.mktemp("timelinejs")
    timelinejs.export(out)
    return out


@pytest.mark.parametrize("stem", [timelinejs.PAIR_NAME, "cannes-2024"])
def test_timelinejs_page_renders_offline(timelines, browser, stem):
    payload = json.loads((timelines / f"{stem}.json").read_text(encoding="utf-8"))
    watched = Page(browser, ("file://",))
    try:
        page = watched.page
        page.goto((timelines / f"{stem}.html").as_uri())
        page.wait_for_selector(".tl-slide-titleslide", timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.tl-timemarker').length > 0",
                               timeout=30_000)
        assert page.locator(".tl-timemarker").count() == len(payload["events"])
        assert page.locator(".tl-slide").count() == len(payload["events"]) + 1
        groups = {e["group"] for e in payload["events"]}
        assert set(page.locator(".tl-timegroup-message").all_inner_texts()) == groups
        watched.shot(f"timelinejs-{stem}")
        page.locator(".tl-slidenav-next").first.click()
        page.wait_for_timeout(1200)
        first = sorted(payload["events"], key=lambda e: tuple(
            e["start_date"].get(k, 0) for k in ("year", "month", "day", "hour", "minute")))[0]
        current = page.locator(".tl-slide.tl-slide-current, .tl-slide-current")
        if current.count():
            assert first["display_date"] in current.first.inner_text()
        assert not watched.remote, watched.remote
        assert not watched.errors, watched.errors
    finally:
        watched.close()
