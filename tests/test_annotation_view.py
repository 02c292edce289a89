"""The annotation view: highlights, unaccounted date expressions, and escaping of everything."""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from helpers.core.errors import Problem, UnknownIdError
from helpers.core.frames import load_dataset
from helpers.present import annotation_view as av

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class Found(NamedTuple):
    start: int
    end: int
    text: str
    resolution: object = None


def _event(text: str, quote: str, date_text: str | None = None, **extra) -> dict:
    start = text.index(quote)
    row = {"event_id": "e1", "event_type": "attack", "summary": "s", "quote": quote,
           "quote_start": start, "quote_end": start + len(quote),
           "date_text_start": None, "date_text_end": None, "date_iso": "2024-04-16",
           "date_precision": "day"}
    if date_text:
        d = text.index(date_text, start)
        row.update(date_text_start=d, date_text_end=d + len(date_text))
    row.update(extra)
    return row


def test_quotes_and_summaries_with_markup_are_escaped():
    text = f"Avant. Le piratage {SCRIPT} a eu lieu le 16 avril {IMG}. Fin."
    quote = f"Le piratage {SCRIPT} a eu lieu le 16 avril {IMG}"
    event = _event(text, quote, "le 16 avril", summary=f"summary {SCRIPT} {IMG}",
                   event_id=f"id-{SCRIPT}", event_type=f"attack{IMG}")
    dismissed = [{"text_start": 0, "text_end": 5, "reason": f"because {SCRIPT}{IMG}"}]
    out = av.render_annotation(text, [event], dismissed, [Found(0, 5, "Avant")],
                               title=f"title {SCRIPT}")
    assert SCRIPT not in out and IMG not in out
    assert "<script" not in out.lower() and "<img" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_citation_only_metadata_and_paraphrases_are_escaped():
    source = {"source_id": "s", "outlet": f"Outlet {SCRIPT}", "title": IMG,
              "url": "javascript:alert(1)", "has_text": False, "rights": SCRIPT}
    out = av.metadata_html(source)
    assert SCRIPT not in out and IMG not in out
    assert 'href="javascript' not in out  # only http(s) URLs become links
    events = pd.DataFrame([{"event_id": "e", "event_type": "claim", "date_text": SCRIPT,
                            "is_date_text_verbatim": True, "paraphrase": IMG,
                            "earliest_datetime": pd.NaT, "latest_datetime": pd.NaT,
                            "date_precision": "undated"}])
    out = av.paraphrases_html(events)
    assert SCRIPT not in out and IMG not in out
    assert "&lt;script&gt;" in out


def test_unannotated_dismissed_and_annotated_expressions_are_told_apart():
    text = "Attaque le 16 avril. Communiqué le 17 avril. Actif depuis 2 ans. Fuite le 1er mai."
    event = _event(text, "Attaque le 16 avril", "le 16 avril")
    start = text.index("depuis 2 ans")
    dismissed = [{"text_start": start, "text_end": start + len("depuis 2 ans"),
                  "reason": "duration"}]
    found = [Found(text.index(t), text.index(t) + len(t), t)
             for t in ("le 16 avril", "le 17 avril", "depuis 2 ans", "le 1er mai")]
    annotated = av.collect_highlights(text, [event], dismissed, found)
    assert [f.text for f in annotated.unannotated] == ["le 17 avril", "le 1er mai"]
    out = av.render_annotation(text, [event], dismissed, found)
    body = out.split('class="hrt-text"', 1)[1]  # after the legend
    assert body.count('class="hrt-unannotated"') == 2
    assert body.count('class="hrt-dismissed"') == 1
    assert 'class="hrt-date"' in body and 'class="hrt-q"' in body
    assert "2 date expressions neither annotated nor dismissed" in out


def test_deadline_text_counts_as_annotated():
    text = "Ils menacent ce 29 avril de tout publier ce 1er mai."
    quote = "Ils menacent ce 29 avril de tout publier ce 1er mai"
    event = _event(text, quote, "ce 29 avril", event_type="ultimatum", deadline_text="ce 1er mai",
                   deadline_iso="2024-05-01")
    found = [Found(text.index(t), text.index(t) + len(t), t) for t in ("ce 29 avril", "ce 1er mai")]
    assert av.collect_highlights(text, [event], None, found).unannotated == []


def test_real_resolver_flags_an_expression_nobody_annotated():
    from helpers.resolution.dates import find_expressions

    text = "L'hôpital a été attaqué le 16 avril 2024. Il a porté plainte le 18 avril 2024."
    reference = datetime(2024, 5, 2, 12, tzinfo=ZoneInfo("Europe/Paris"))
    found = find_expressions(text, reference)
    assert {f.text for f in found} >= {"le 16 avril 2024", "le 18 avril 2024"}
    event = _event(text, "attaqué le 16 avril 2024", "le 16 avril 2024")
    annotated = av.collect_highlights(text, [event], None, found)
    assert [f.text for f in annotated.unannotated] == ["le 18 avril 2024"]


def test_overlapping_quotes_keep_the_text_intact():
    text = "abcdefghij"
    events = [dict(_event(text, "bcdefg"), event_id="a"),
              dict(_event(text, "efghi"), event_id="b", event_type="claim")]
    out = av.render_text(text, av.collect_highlights(text, events).highlights)
    import re
    plain = re.sub(r'<span class="hrt-tag"[^>]*>[^<]*</span>', "", out)
    assert re.sub(r"<[^>]+>", "", plain) == text


def test_source_view_of_a_stored_text_and_of_a_citation_only_source():
    data = load_dataset()
    stored = data.sources[data.sources.has_text.astype(bool)].source_id.iloc[0]
    html = av.source_view(stored, data)._repr_html_()
    assert 'class="hrt-q"' in html and 'class="hrt-text"' in html
    cited = data.sources[~data.sources.has_text.astype(bool)].source_id.iloc[0]
    html = av.source_view(cited, data)._repr_html_()
    assert "citation only" in html and 'class="hrt-text"' not in html
    table = av.events_table(data, stored)
    assert len(table) == int((data.events.source_id == stored).sum())
    with pytest.raises(UnknownIdError, match="valid source ids"):
        av.source_view("no-such-source", data)


def test_source_problems_keeps_only_this_source_files():
    problems = [Problem("data/raw/annotations/a.yaml", 3, "e", "quote", "bad"),
                Problem("data/raw/sources/a.txt", 0, "", "", "changed"),
                Problem("data/raw/annotations/b.yaml", 1, "", "", "other")]
    kept = av.source_problems(problems, "a", pd.NA)
    assert [p.file for p in kept] == ["data/raw/annotations/a.yaml", "data/raw/sources/a.txt"]
    frame = av.problems_frame(kept)
    assert list(frame.Problem) == ["bad", "changed"]
