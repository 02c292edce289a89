"""TimelineJS timelines of the cases: ``python -m helpers export timelinejs`` writes
``build/exports/timelinejs/``: ``<case_id>.json`` for every case, ``les-bluets-2022--cannes-2024.json``
for the pair, an HTML page beside each that draws it with the local copy of TimelineJS
(``vendor/timelinejs``, copied into ``lib/``), and ``index.html``.

One slide per event row, that is one event as one source reports it: where sources disagree,
each source's date has its own slide. A slide's date keeps the row's precision (a year, a
month, a day, an hour, a minute; a part of a day, a week or part of a month as the range of
its bounds), ``display_date`` is the date as the source wrote it, the group is the case, the
text says who says so and credits the source (outlet, title, link), and a verbatim quote is
the slide's media with the outlet as its credit. An event no source dates is never placed on
the time axis: the title slide lists it. Group-level context (police actions, relaunches)
belongs to no case and is left out. :func:`check_timeline` compares a timeline with the data
package (slides and ids, dates, quotes).
"""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pandas as pd

from helpers.core.frames import load_dataset
from helpers.core.labels import span_label
from helpers.core.paths import PROCESSED_DIR, PROJECT_ROOT
from helpers.present.pages import PAIR

from .common import (
    EVENT_LABELS,
    EXPORTS_DIR,
    STATUS_LABELS,
    ExportError,
    json_bytes,
    out_parser,
    package_info,
    run_cli,
    source_url,
    text,
    write_atomic,
)

VENDOR = PROJECT_ROOT / "vendor" / "timelinejs"
VENDOR_FILES = ("js/timeline.js", "js/timeline.js.LICENSE.txt", "css/timeline.css",
                "css/icons/tl-icons.woff2", "css/icons/tl-icons.woff", "css/icons/tl-icons.ttf",
                "LICENSE", "README.md", "SHA256SUMS")
DEFAULT_DIR = EXPORTS_DIR / "timelinejs"
PAIR_NAME = "--".join(PAIR)
# The finest date part each precision gives TimelineJS.
GRAIN = {"year": "year", "month": "month", "week": "day", "day": "day", "part_of_day": "minute",
         "hour": "hour", "minute": "minute"}
PARTS = ("year", "month", "day", "hour", "minute")


def _grain(precision: str, earliest) -> str:
    grain = GRAIN[precision]
    if grain == "month" and pd.Timestamp(earliest).day != 1:
        return "day"  # part of a month ("mi-avril"): a range of days
    return grain


def tl_date(moment, grain: str) -> dict:
    """A TimelineJS date object of `moment` down to `grain` (year, month, day, hour, minute)."""
    moment = pd.Timestamp(moment)
    return {part: int(getattr(moment, part)) for part in PARTS[:PARTS.index(grain) + 1]}


def _unit_end(moment: pd.Timestamp, grain: str) -> pd.Timestamp:
    start = pd.Timestamp(**tl_date(moment, grain) | ({"month": 1, "day": 1} if grain == "year"
                                                       else {"day": 1} if grain == "month"
                                                       else {}))
    step = {"year": pd.DateOffset(years=1), "month": pd.DateOffset(months=1),
            "day": pd.Timedelta(days=1), "hour": pd.Timedelta(hours=1),
            "minute": pd.Timedelta(minutes=1)}[grain]
    return start + step - pd.Timedelta(seconds=1)


def _escape(value) -> str:
    return html.escape(text(value), quote=True)


def _credit(source) -> str:
    url = source_url(source.url)
    outlet = _escape(source.outlet)
    return f'<a href="{_escape(url)}">{outlet}</a>' if url else outlet


def slide(row, source, group: str) -> dict:
    """One event row as a TimelineJS slide (the row must be dated)."""
    grain = _grain(row.date_precision, row.earliest_datetime)
    earliest, latest = pd.Timestamp(row.earliest_datetime), pd.Timestamp(row.latest_datetime)
    when = span_label(earliest, latest, row.date_precision)
    written = text(row.date_text)
    paragraphs = [f"<p>{_escape(row.summary)}</p>"]
    if written:
        kind = ("as the source wrote it" if row.is_date_text_verbatim
                else "the annotator's English rendering of the source's date")
        paragraphs.append(f"<p>Date {kind}: \u201c{_escape(written)}\u201d ({_escape(when)}, "
                          "local time).</p>")
    else:
        paragraphs.append(f"<p>Date: {_escape(when)}, local time.</p>")
    if text(row.deadline_text):
        paragraphs.append(f"<p>Deadline: \u201c{_escape(row.deadline_text)}\u201d.</p>")
    if text(row.paraphrase) and not text(row.quote):
        paragraphs.append(f"<p>What the source says (paraphrased in English): "
                          f"{_escape(row.paraphrase)}</p>")
    published = text(source.published)
    paragraphs.append(
        f"<p>Who says so: {STATUS_LABELS[row.status]}. Source: {_credit(source)}"
        + (f", \u201c{_escape(source.title)}\u201d" if text(source.title) else "")
        + (f", published {_escape(published)}" if published else "") + ".</p>")
    event = {
        "unique_id": row.event_id,
        "group": group,
        "start_date": tl_date(earliest, grain),
        "display_date": written or when,
        "text": {"headline": _escape(f"{EVENT_LABELS[row.event_type]} ({source.outlet})"),
                 "text": "".join(paragraphs)},
    }
    if latest > _unit_end(earliest, grain):
        event["end_date"] = tl_date(latest, grain)
    if text(row.quote):
        event["media"] = {"url": f"<blockquote>{_escape(row.quote)}</blockquote>",
                          "credit": _credit(source),
                          "caption": "Verbatim extract of the source, kept as evidence."}
    return event


def timeline(data, case_ids, title: str | None = None) -> dict:
    """The TimelineJS JSON of one or more cases: one group per case."""
    info = package_info()
    for case_id in case_ids:
        data.check_case(case_id)
    cases = data.cases.set_index("case_id")
    sources = {s.source_id: s for s in data.sources.itertuples(index=False)}
    rows = data.events[data.events.case_id.isin(list(case_ids))].sort_values(
        ["earliest_datetime", "event_id"], kind="stable")
    events, undated = [], []
    for row in rows.itertuples(index=False):
        group = cases.loc[row.case_id, "short_name"]
        if row.date_precision == "undated":
            undated.append(f"<li>{_escape(EVENT_LABELS[row.event_type])} "
                           f"({_escape(sources[row.source_id].outlet)}, {_escape(group)}): "
                           f"{_escape(row.summary)}</li>")
        else:
            events.append(slide(row, sources[row.source_id], group))
    names = [cases.loc[c, "short_name"] for c in case_ids]
    headline = title or " and ".join(names)
    intro = [f"<p>{_escape(', '.join(cases.loc[c, 'victim'] for c in case_ids))}. Each slide is "
             "one event as one source reports it: where sources disagree, each source's date "
             "has its own slide. Dates are local time.</p>"]
    if undated:
        intro.append(f"<details><summary>{len(undated)} event row(s) reported without a date, "
                     "not placed on the time line</summary><ul>" + "".join(undated)
                     + "</ul></details>")
    intro.append(f"<p>Source: {_escape(info.title)} {_escape(info.version)} "
                 f"({_escape(info.license_name)}).</p>")
    return {"title": {"text": {"headline": _escape(headline), "text": "".join(intro)}},
            "events": events, "scale": "human"}


def check_timeline(payload: dict, data, case_ids) -> None:
    """The timeline agrees with the package: one slide per dated event row of its cases (ids
    and groups), dates at their precision, quotes as in the dataset."""
    rows = data.events[data.events.case_id.isin(list(case_ids))]
    dated = rows[rows.date_precision != "undated"].set_index("event_id")
    events = payload.get("events")
    if not isinstance(events, list) or not events:
        raise ExportError("a TimelineJS timeline needs a non-empty 'events' list")
    ids = [e.get("unique_id") for e in events]
    if sorted(ids) != sorted(dated.index) or len(set(ids)) != len(ids):
        raise ExportError(f"slides do not match the dated event rows: "
                          f"{sorted(set(ids) ^ set(dated.index))[:5]}")
    groups = set(data.cases.set_index("case_id").loc[list(case_ids), "short_name"])
    for event in events:
        row = dated.loc[event["unique_id"]]
        if event.get("group") not in groups:
            raise ExportError(f"{event['unique_id']}: group {event.get('group')!r}")
        grain = _grain(row.date_precision, row.earliest_datetime)
        start = event.get("start_date") or {}
        if not isinstance(start.get("year"), int) or start != tl_date(row.earliest_datetime, grain):
            raise ExportError(f"{event['unique_id']}: start_date {start} is not "
                              f"{row.earliest_datetime} at its precision")
        if "end_date" in event and event["end_date"] != tl_date(row.latest_datetime, grain):
            raise ExportError(f"{event['unique_id']}: end_date {event['end_date']}")
        quote = text(row.quote)
        media = event.get("media", {}).get("url", "")
        if quote and html.unescape(media) != f"<blockquote>{quote}</blockquote>":
            raise ExportError(f"{event['unique_id']}: the quote is not the dataset's")


def plan(data) -> dict[str, tuple[list[str], str | None]]:
    """File stem -> (cases, title): every case, and the Les Bluets–Cannes pair."""
    found = {case_id: ([case_id], None) for case_id in data.case_ids}
    if all(c in set(data.cases.case_id) for c in PAIR):
        found[PAIR_NAME] = (list(PAIR), "Les Bluets (2022) and Cannes (2024)")
    return found


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="lib/css/timeline.css">
<style>html, body {{ height: 100%; margin: 0; }} #timeline {{ width: 100%; height: 100vh; }}</style>
</head>
<body>
<div id="timeline"></div>
<script src="lib/js/timeline.js"></script>
<script type="application/json" id="timeline-data">{data}</script>
<script>
// The data is inline (a page opened from disk cannot fetch a file); fonts are the browser's,
// so that nothing is loaded from the network.
window.timeline = new TL.Timeline("timeline",
  JSON.parse(document.getElementById("timeline-data").textContent),
  {{script_path: new URL("lib/js/", document.baseURI).href, font: null, theme: null,
    hash_bookmark: false, language: "en"}});
</script>
</body>
</html>
"""


def page(payload: dict, title: str) -> str:
    inline = json.dumps(payload, ensure_ascii=False).replace("<", "\\u003c")
    return PAGE.format(title=html.escape(title), data=inline)


def index_page(entries: list[tuple[str, str]], info) -> str:
    items = "\n".join(f'<li><a href="{html.escape(stem)}.html">{html.escape(label)}</a> '
                      f'(<a href="{html.escape(stem)}.json">JSON</a>)</li>'
                      for stem, label in entries)
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(info.title)}: timelines</title>\n</head>\n<body>\n"
            f"<h1>{html.escape(info.title)} {html.escape(info.version)}: timelines</h1>\n"
            "<p>TimelineJS timelines of each case, one slide per event as one source reports "
            "it. Each page draws its timeline with the copy of TimelineJS in <code>lib/</code> "
            "(MPL 2.0) and needs no network; the JSON files can be given to TimelineJS "
            "wherever it is hosted.</p>\n"
            f"<ul>\n{items}\n</ul>\n</body>\n</html>\n")


def export(out_dir: Path = DEFAULT_DIR, processed_dir: Path = PROCESSED_DIR) -> list[Path]:
    """Every case's timeline and the pair's, as JSON and as a page; the local TimelineJS in
    ``lib/``; ``index.html``. Each timeline is checked against the package before it is
    written. Returns the paths written."""
    data = load_dataset(processed_dir)
    info = package_info(processed_dir)
    out = Path(out_dir)
    written, entries = [], []
    cases = data.cases.set_index("case_id")
    for stem, (case_ids, title) in plan(data).items():
        payload = timeline(data, case_ids, title)
        check_timeline(payload, data, case_ids)
        label = title or cases.loc[case_ids[0], "short_name"]
        written.append(write_atomic(out / f"{stem}.json", json_bytes(payload)))
        written.append(write_atomic(out / f"{stem}.html", page(payload, label).encode("utf-8")))
        entries.append((stem, label))
    entries.sort(key=lambda e: (e[0] != PAIR_NAME, e[1]))
    written.append(write_atomic(out / "index.html", index_page(entries, info).encode("utf-8")))
    for name in VENDOR_FILES:
        target = out / "lib" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VENDOR / name, target)
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = out_parser("python -m helpers export timelinejs",
                        "Write TimelineJS timelines of every case and of the Les Bluets–Cannes "
                        "pair.", DEFAULT_DIR, "build/exports/timelinejs")
    return run_cli(parser, argv, lambda args: export(args.out))

