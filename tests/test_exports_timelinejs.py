"""TimelineJS JSON (helpers.publish.exports.timelinejs): TimelineJS's required fields, a timeline per
case and for the Les Bluets–Cannes pair, slides matching the package, dates at their
precision, the vendored TimelineJS unchanged. Drawn offline in Chromium:
test_exports_browser.py."""
from __future__ import annotations

import hashlib
import html
import json

import pytest

from helpers.core.frames import load_dataset
from helpers.publish.exports import timelinejs
from helpers.publish.exports.common import ExportError

DATA = load_dataset()
BLUETS, CANNES = "les-bluets-2022", "cannes-2024"


# --- TimelineJS --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def timelines(tmp_path_factory):
    out = tmp_path_factory.mktemp("timelinejs")
    timelinejs.export(out)
    return out


def test_a_timeline_per_case_and_for_the_pair(timelines):
    names = {p.stem for p in timelines.glob("*.json")}
    assert names == set(DATA.case_ids) | {f"{BLUETS}--{CANNES}"}
    assert {p.stem for p in timelines.glob("*.html")} == names | {"index"}
    for name in timelinejs.VENDOR_FILES:
        assert (timelines / "lib" / name).is_file()


def test_timelinejs_required_fields(timelines):
    """TimelineJS's format: a non-empty events list; each event a start_date with a year
    (integers for every date part), text with a headline; at most a title slide."""
    parts = {"year", "month", "day", "hour", "minute"}
    for path in timelines.glob("*.json"):
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert set(payload) <= {"title", "events", "eras", "scale"}
        assert payload["title"]["text"]["headline"]
        assert payload["events"]
        for event in payload["events"]:
            assert isinstance(event["start_date"]["year"], int)
            for key in ("start_date", "end_date"):
                if key in event:
                    assert set(event[key]) <= parts
                    assert all(isinstance(v, int) for v in event[key].values())
            assert event["text"]["headline"] and event["display_date"]
            assert event["group"]
            if "media" in event:
                assert event["media"]["url"].startswith("<blockquote>")
                assert event["media"]["credit"]


def test_pair_timeline_matches_the_package(timelines):
    payload = json.loads((timelines / f"{BLUETS}--{CANNES}.json").read_text(encoding="utf-8"))
    timelinejs.check_timeline(payload, DATA, [BLUETS, CANNES])
    groups = {e["group"] for e in payload["events"]}
    assert groups == set(DATA.cases.set_index("case_id").loc[[BLUETS, CANNES], "short_name"])
    rows = DATA.events.set_index("event_id")
    for event in payload["events"]:
        row = rows.loc[event["unique_id"]]
        if isinstance(row.date_text, str):
            assert event["display_date"] == row.date_text
        outlet = DATA.sources.set_index("source_id").loc[row.source_id, "outlet"]
        assert html.escape(outlet) in event["text"]["text"]
        if "media" in event:
            assert html.unescape(event["media"]["credit"]).count(outlet)


def test_dates_keep_their_precision():
    rows = DATA.events[DATA.events.date_precision != "undated"]
    sources = {s.source_id: s for s in DATA.sources.itertuples()}
    seen = set()
    for row in rows.itertuples():
        event = timelinejs.slide(row, sources[row.source_id], "g")
        start = event["start_date"]
        expected = {"year": 1, "month": 2, "week": 3, "day": 3, "part_of_day": 5, "hour": 4,
                    "minute": 5}[row.date_precision]
        if row.date_precision == "month" and row.earliest_datetime.day != 1:
            expected = 3
        assert len(start) == expected, (row.event_id, row.date_precision, start)
        assert ("end_date" in event) == (row.date_precision in ("part_of_day", "week")
                                         or row.latest_datetime > timelinejs._unit_end(
                                             row.earliest_datetime, timelinejs._grain(
                                                 row.date_precision, row.earliest_datetime)))
        seen.add(row.date_precision)
    assert {"day", "minute", "part_of_day", "month"} <= seen


def test_timeline_check_finds_a_wrong_date():
    payload = timelinejs.timeline(DATA, [CANNES])
    payload["events"][0]["start_date"]["year"] += 1
    with pytest.raises(ExportError, match="start_date"):
        timelinejs.check_timeline(payload, DATA, [CANNES])


def test_vendored_timelinejs_is_unchanged():
    vendor = timelinejs.VENDOR
    for line in (vendor / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    assert "Mozilla Public License" in (vendor / "LICENSE").read_text()
