"""Notebook 01's form, driven from Python (its buttons clicked, its fields set) on the
synthetic raw data; and, without a live kernel, the report's views and no form at all."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import without_event

from helpers.build import validate
from helpers.core.frames import load_dataset
from helpers.pipeline import build
from helpers.present import annotate_form, annotation_view

SOURCE = "test-article"


@pytest.fixture
def raw(mini_project) -> Path:
    raw = mini_project / "data" / "raw"
    without_event(raw)
    return raw


def _form(raw: Path, source_id: str = SOURCE) -> annotate_form.AnnotationForm:
    session = annotate_form.Session(source_id, None, raw, interactive=True)
    session.form()
    return session._live()


def _events(raw: Path, source_id: str = SOURCE) -> dict:
    data = yaml.safe_load((raw / "annotations" / f"{source_id}.yaml").read_text("utf-8"))
    return {e["id"]: e for e in data["events"]}


def test_outside_a_live_kernel_the_views_are_the_reports_and_there_is_no_form(mini_project):
    raw, processed = mini_project / "data" / "raw", mini_project / "data" / "processed"
    build(raw, processed, mini_project)
    data = load_dataset(processed)
    session = annotate_form.Session(SOURCE, data, raw)  # here: no kernel at all
    assert session.interactive is False
    assert session.form() is None
    assert session.source_view().html == annotation_view.source_view(SOURCE, data).html
    assert session.events_view().html == annotation_view.events_view(data, SOURCE).html
    assert not annotate_form.interactive_kernel()


def test_pick_fill_and_add(raw):
    form = _form(raw)
    assert 'class="hrt-unannotated"' in form.views["text"].value.split('class="hrt-text"')[1]
    (row,) = form.expressions.children
    row.children[1].click()  # Annotate
    assert form.f["date_text"].value == "le 6 mars"
    assert form.f["case"].value == "testville-2023"
    assert "le 6 mars" in form.f["quote"].value
    assert "2023-03-06" in form.reading.value
    form.f["type"].value = "disclosure"
    assert form.f["event_key"].value == "disclosure"
    assert form.f["id"].value == "test-article-disclosure"
    form.f["status"].value = "stated_by_victim"
    form.add_button.click()  # the summary is missing: refused, nothing written
    assert "hrt-message-error" in form.message.value and "summary" in form.message.value
    assert "test-article-disclosure" not in _events(raw)
    form.f["summary"].value = "The hospital discloses the attack."
    form.check_button.click()
    assert "the build accepts it" in form.message.value and "test-article-disclosure" \
        not in _events(raw)
    form.add_button.click()
    assert "added test-article-disclosure" in form.message.value, form.message.value
    assert _events(raw)["test-article-disclosure"]["date_text"] == "le 6 mars"
    assert validate(raw, raw.parents[1]) == []
    assert 'class="hrt-unannotated"' not in form.views["text"].value.split('class="hrt-text"')[1]
    assert "No validation problem" in form.views["problems"].value
    assert form.f["id"].value == ""  # the form is cleared for the next event


def test_dismiss_from_the_list_then_take_it_back(raw):
    form = _form(raw)
    form.expressions.children[0].children[2].click()  # Dismiss…
    assert form.dismiss_text.value == "le 6 mars"
    form.dismiss_reason.value = "The communiqué's date, not coded."
    form.dismiss_button.click()
    assert "dismissed «le 6 mars»" in form.message.value, form.message.value
    assert validate(raw, raw.parents[1]) == []
    form.dismissals.value = ("le 6 mars", None)
    form.undismiss_button.click()
    assert "took back" in form.message.value
    assert [f.text for f in form.state.unaccounted] == ["le 6 mars"]


def test_edit_and_remove(raw):
    form = _form(raw)
    form.event_list.value = "test-article-leak"
    form.edit_button.click()
    assert form.editing == "test-article-leak" and form.f["data_volume_gb"].value == "12.5"
    form.f["summary"].value = "The data is published (12.5 GB)."
    form.save_button.click()
    assert "changed test-article-leak" in form.message.value, form.message.value
    leak = _events(raw)["test-article-leak"]
    assert leak["summary"] == "The data is published (12.5 GB)." and leak["data_volume_gb"] == 12.5
    form.event_list.value = "test-article-claim"
    form.remove_reason.value = "Test."
    form.remove_button.click()
    assert "removed test-article-claim" in form.message.value
    assert "test-article-claim" not in _events(raw)
    assert [f.text for f in form.state.unaccounted] == ["le 6 mars", "le 10 mars"]


def test_a_citation_only_source_takes_a_paraphrase(raw):
    form = _form(raw, "test-citation")
    assert form.text_part.layout.display == "none" and form.f["quote"].layout.display == "none"
    form.f["case"].value = "testville-2023"
    form.f["type"].value = "claim"
    form.f["status"].value = "claimed_by_attackers"
    form.f["paraphrase"].value = "Testgang claimed the attack on 10 March."
    form.f["date_text"].value = "10 March"
    form.f["date_text_verbatim"].value = False
    assert "2023-03-10" in form.reading.value
    form.f["actor"].value = "testgang"
    form.f["summary"].value = "Testgang claims the attack."
    form.add_button.click()
    assert "added test-citation-claim" in form.message.value, form.message.value
    claim = _events(raw, "test-citation")["test-citation-claim"]
    assert claim["date_text_verbatim"] is False and claim["actor"] == "testgang"
