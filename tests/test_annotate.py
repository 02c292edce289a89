"""The functions behind notebook 01's annotation form, on the synthetic raw data: each change
is checked as the build checks it, written only when valid, and gives the YAML a hand edit
would give (comments, order and quoting kept)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINI_DISCLOSURE, apply_edit, bad_fixtures, without_event

from helpers.build import ExpressionScan, load_raw, validate
from helpers.present import annotate

SOURCE = "test-article"
CATALOGUE_NAMES = [name for name, _ in bad_fixtures()]

DISCLOSURE = MINI_DISCLOSURE
LEAK = '''  - id: test-article-leak
    case: testville-2023
    type: leak
    event_key: leak
    status: reported_by_outlet
    quote: "Les données ont été publiées lundi 20 mars 2023"
    date_text: "lundi 20 mars 2023"
    actor: testgang
    data_volume_gb: 12.5
    summary: The data is published.
'''
LEAK_FIELDS = {"id": "test-article-leak", "case": "testville-2023", "type": "leak",
               "event_key": "leak", "status": "reported_by_outlet",
               "quote": "Les données ont été publiées lundi 20 mars 2023",
               "date_text": "lundi 20 mars 2023", "actor": "testgang", "data_volume_gb": 12.5,
               "summary": "The data is published."}
DISCLOSURE_FIELDS = {"case": "testville-2023", "type": "disclosure", "event_key": "disclosure",
                     "status": "stated_by_victim", "quote": "un communiqué publié le 6 mars",
                     "date_text": "le 6 mars", "summary": "The hospital discloses the attack."}


@pytest.fixture
def raw(mini_project) -> Path:
    return mini_project / "data" / "raw"


def _file(raw: Path, source_id: str = SOURCE) -> Path:
    return raw / "annotations" / f"{source_id}.yaml"


# --- add ----------------------------------------------------------------------------------

def test_add_writes_what_a_hand_edit_writes_and_the_build_accepts_it(raw):
    original = without_event(raw, LEAK)
    assert validate(raw, raw.parents[1]), "without the leak, the text has an unaccounted date"
    outcome = annotate.add_event(SOURCE, LEAK_FIELDS, raw)
    assert outcome.ok, outcome.describe()
    assert _file(raw).read_text(encoding="utf-8") == original  # byte for byte
    assert validate(raw, raw.parents[1]) == []


def test_add_without_id_follows_the_naming_convention(raw):
    without_event(raw, DISCLOSURE)
    outcome = annotate.add_event(SOURCE, DISCLOSURE_FIELDS, raw)
    assert outcome.ok, outcome.describe()
    assert outcome.event_id == "test-article-disclosure"
    assert validate(raw, raw.parents[1]) == []


def test_a_double_add_is_refused(raw):
    without_event(raw, DISCLOSURE)
    assert annotate.add_event(SOURCE, DISCLOSURE_FIELDS, raw).ok
    after_first = _file(raw).read_bytes()
    again = annotate.add_event(SOURCE, DISCLOSURE_FIELDS, raw)  # a cell run twice
    assert not again.ok and "already annotated as 'test-article-disclosure'" in again.message
    same_id = annotate.add_event(SOURCE, dict(DISCLOSURE_FIELDS, id="test-article-disclosure",
                                              summary="Other words."), raw)
    assert not same_id.ok and "already has an event" in same_id.message
    assert _file(raw).read_bytes() == after_first
    assert _file(raw).read_text(encoding="utf-8").count("id: test-article-disclosure") == 1


@pytest.mark.parametrize("change,field,words", [
    ({"type": "revendication"}, "type", "unknown event type"),
    ({"status": "rumoured"}, "status", "unknown status"),
    ({"quote": "un communiqué publié le 7 mars"}, "quote", "not found"),
    ({"quote": "selon un communiqué", "date_text": "le 6 mars"}, "date_text",
     "not inside the quote"),
    ({"actor": "lockbit"}, "actor", "unknown group"),
    ({"event_key": "claim"}, "event_key", "is a claim"),
    ({"date": "2023-03-09"}, "date", "disagrees"),
])
def test_an_invalid_event_writes_nothing(raw, change, field, words):
    without_event(raw, DISCLOSURE)
    before = _file(raw).read_bytes()
    outcome = annotate.add_event(SOURCE, dict(DISCLOSURE_FIELDS, **change), raw)
    assert not outcome.ok
    assert any(p.field == field and words in p.message for p in outcome.problems), \
        outcome.describe()
    assert _file(raw).read_bytes() == before


def test_chronology_is_checked(raw):
    without_event(raw, DISCLOSURE)
    before = _file(raw).read_bytes()
    outcome = annotate.add_event(SOURCE, dict(DISCLOSURE_FIELDS, type="first_recovery",
                                              event_key="first-recovery",
                                              quote="a été victime d’une cyberattaque le 3 mars",
                                              date_text="le 3 mars", date="2023-03-01",
                                              date_note="Made up for the test."), raw)
    assert not outcome.ok
    assert any("before the attack" in p.message for p in outcome.problems), outcome.describe()
    assert _file(raw).read_bytes() == before


def test_an_id_is_never_reused(raw):
    outcome = annotate.remove_event(SOURCE, "test-article-disclosure", "Coded by mistake.", raw)
    assert outcome.ok, outcome.describe()
    text = _file(raw).read_text(encoding="utf-8")
    assert "# removed event test-article-disclosure: Coded by mistake.\nevents:" in text
    again = annotate.add_event(SOURCE, dict(DISCLOSURE_FIELDS, id="test-article-disclosure"), raw)
    assert not again.ok and "never reused" in again.message
    fresh = annotate.add_event(SOURCE, DISCLOSURE_FIELDS, raw)
    assert fresh.ok and fresh.event_id == "test-article-disclosure-2"


def test_published_ids_are_never_given_again(raw):
    from helpers.pipeline import build

    build(raw, raw.parent / "processed", raw.parents[1])
    without_event(raw, DISCLOSURE)
    outcome = annotate.add_event(SOURCE, DISCLOSURE_FIELDS, raw)
    assert outcome.ok and outcome.event_id == "test-article-disclosure-2"


# --- comments and layout ----------------------------------------------------------------

COMMENTED = {"file": "annotations/test-article.yaml", "replace": [
    ["source: test-article\n", "# Annotated by hand for the tests.\nsource: test-article\n"],
    ["    date: \"2023-03-03\"\n", "    date: \"2023-03-03\"  # the hospital's own words\n"],
    ["dismissed:\n", "# Dates that are not events:\ndismissed:\n"],
]}


def test_comments_survive_every_change(raw):
    apply_edit(raw, COMMENTED)
    without_event(raw, DISCLOSURE)
    comments = ["# Annotated by hand for the tests.\n", "  # the hospital's own words\n",
                "# Dates that are not events:\ndismissed:"]
    steps = [
        lambda: annotate.add_event(SOURCE, DISCLOSURE_FIELDS, raw),
        lambda: annotate.edit_event(SOURCE, "test-article-disclosure",
                                    {"summary": "The hospital discloses it.",
                                     "notes": "Checked twice."}, raw),
        lambda: annotate.remove_event(SOURCE, "test-article-leak", "Test.", raw),
        lambda: annotate.add_event(SOURCE, LEAK_FIELDS | {"id": "test-article-leak-again"}, raw),
        lambda: annotate.dismiss(SOURCE, "le 6 mars", "Not needed.", raw_dir=raw),
        lambda: annotate.undismiss(SOURCE, "depuis 3 ans", raw_dir=raw),
    ]
    for n, step in enumerate(steps):
        outcome = step()
        text = _file(raw).read_text(encoding="utf-8")
        if n == 4:  # le 6 mars is annotated: dismissing it is refused
            assert not outcome.ok and "already accounted for" in outcome.message
        else:
            assert outcome.ok, outcome.describe()
        for comment in comments:
            assert comment in text, f"step {n}: {comment!r} lost:\n{text}"
    assert "test-article-leak-again" in text and "depuis 3 ans" not in text


def test_blank_lines_between_events_are_kept(raw):
    path = _file(raw)
    path.write_text(path.read_text(encoding="utf-8").replace("\n  - id:", "\n\n  - id:")
                    .replace("events:\n\n", "events:\n").replace("\ndismissed:", "\n\ndismissed:"),
                    encoding="utf-8")
    blank = path.read_text(encoding="utf-8")
    original = without_event(raw, LEAK.replace("  - id:", "\n  - id:").removeprefix("\n")
                        .replace("summary: The data is published.\n",
                                 "summary: The data is published.\n\n"))
    assert annotate.add_event(SOURCE, LEAK_FIELDS, raw).ok
    assert path.read_text(encoding="utf-8") == original == blank


def test_edit_changes_only_what_changed(raw):
    before = _file(raw).read_text(encoding="utf-8")
    outcome = annotate.edit_event(SOURCE, "test-article-leak", {"data_volume_gb": 13,
                                                               "notes": annotate.REMOVE}, raw)
    assert outcome.ok, outcome.describe()
    after = _file(raw).read_text(encoding="utf-8")
    assert after == before.replace("data_volume_gb: 12.5", "data_volume_gb: 13")
    refused = annotate.edit_event(SOURCE, "test-article-leak", {"id": "test-article-leak-x"}, raw)
    assert not refused.ok and "stable" in refused.message
    invalid = annotate.edit_event(SOURCE, "test-article-leak", {"type": "fuite"}, raw)
    assert not invalid.ok and _file(raw).read_text(encoding="utf-8") == after


def test_remove_that_others_depend_on_is_refused(raw):
    before = _file(raw).read_bytes()
    outcome = annotate.remove_event(SOURCE, "test-article-attack", "Test.", raw)
    assert not outcome.ok and outcome.problems, "undated events are bounded by the attack"
    assert _file(raw).read_bytes() == before
    assert not annotate.remove_event(SOURCE, "test-article-leak", "  ", raw).ok  # no reason


def test_removed_event_leaves_its_expression_unaccounted(raw):
    assert annotate.remove_event(SOURCE, "test-article-disclosure", "Test.", raw).ok
    state = annotate.source_state(SOURCE, raw)
    assert [f.text for f in state.unaccounted] == ["le 6 mars"]
    assert any("neither annotated nor dismissed" in p.message for p in state.problems)


# --- dismiss ------------------------------------------------------------------------------

def test_dismiss_then_the_build_accepts_the_text(raw):
    without_event(raw, DISCLOSURE)
    outcome = annotate.dismiss(SOURCE, "le 6 mars", "The communiqué's date; not coded here.",
                               raw_dir=raw)
    assert outcome.ok, outcome.describe()
    text = _file(raw).read_text(encoding="utf-8")
    assert text.endswith('  - text: "le 6 mars"\n    reason: The communiqué\'s date; not coded '
                         'here.\n')
    assert validate(raw, raw.parents[1]) == []
    again = annotate.dismiss(SOURCE, "le 6 mars", "Twice.", raw_dir=raw)
    assert not again.ok and _file(raw).read_text(encoding="utf-8") == text
    assert not annotate.dismiss(SOURCE, "le 9 mars", "Not in the text.", raw_dir=raw).ok
    assert not annotate.dismiss(SOURCE, "le 3 mars", "", raw_dir=raw).ok
    assert not annotate.dismiss("test-citation", "21 March", "No text.", raw_dir=raw).ok


# --- citation-only sources ----------------------------------------------------------------

def test_citation_only_source_takes_a_paraphrase(raw):
    fields = {"case": "testville-2023", "type": "claim", "event_key": "claim",
              "status": "claimed_by_attackers", "paraphrase": "Testgang claimed it on 10 March.",
              "date_text": "10 March", "date_text_verbatim": False, "actor": "testgang",
              "summary": "Testgang claims the attack."}
    outcome = annotate.add_event("test-citation", fields, raw)
    assert outcome.ok, outcome.describe()
    assert outcome.event_id == "test-citation-claim"
    text = _file(raw, "test-citation").read_text(encoding="utf-8")
    # Paraphrases in plain words, as this file writes them; dates always quoted.
    assert ('    paraphrase: Testgang claimed it on 10 March.\n    date_text: "10 March"\n'
            "    date_text_verbatim: false\n") in text
    quoted = annotate.add_event("test-citation", dict(fields, event_key="claim-b",
                                                      quote="revendiqué", paraphrase=None), raw)
    assert not quoted.ok and any(p.field == "quote" for p in quoted.problems)
    assert validate(raw, raw.parents[1]) == []


def test_a_new_annotation_file_is_created(raw):
    (raw / "annotations" / "test-citation.yaml").unlink()
    outcome = annotate.add_event("test-citation", {
        "case": "testville-2023", "type": "complaint", "event_key": "complaint",
        "status": "stated_by_victim", "paraphrase": "The hospital filed a complaint.",
        "summary": "Complaint filed."}, raw)
    assert outcome.ok, outcome.describe()
    assert _file(raw, "test-citation").read_text(encoding="utf-8") == (
        "source: test-citation\nevents:\n  - id: test-citation-complaint\n"
        "    case: testville-2023\n    type: complaint\n    event_key: complaint\n"
        "    status: stated_by_victim\n    paraphrase: \"The hospital filed a complaint.\"\n"
        "    date_text: null\n    summary: \"Complaint filed.\"\n")


# --- what the form starts from ------------------------------------------------------------

def test_draft_from_an_unaccounted_expression(raw):
    without_event(raw, DISCLOSURE)
    state = annotate.source_state(SOURCE, raw)
    (found,) = state.unaccounted
    draft = annotate.draft_from_span(state, found.start, found.end)
    assert draft.fields["date_text"] == "le 6 mars"
    assert draft.fields["case"] == "testville-2023"
    assert "le 6 mars" in draft.fields["quote"] and draft.fields["quote"].startswith("L’hôpital")
    assert draft.reading.startswith("2023-03-06 (day")
    assert annotate.suggest_event_id(SOURCE, "disclosure", raw) == "test-article-disclosure"
    keys = annotate.case_event_keys(state, "testville-2023")
    assert keys["attack"] == "attack" and keys["complaint"] == "complaint"
    outcome = annotate.add_event(SOURCE, dict(draft.fields, type="disclosure",
                                              event_key="disclosure", status="stated_by_victim",
                                              summary="Disclosed."), raw)
    assert outcome.ok, outcome.describe()
    assert annotate.source_state(SOURCE, raw).unaccounted == []


def test_draft_from_a_passage(raw):
    without_event(raw, DISCLOSURE)
    state = annotate.source_state(SOURCE, raw)
    draft = annotate.draft_from_passage(state, "selon un communiqué publié le 6 mars")
    assert draft.fields["quote"] == "selon un communiqué publié le 6 mars"
    assert draft.fields["date_text"] == "le 6 mars"
    undated = annotate.draft_from_passage(state, "Le groupe est actif")
    assert undated.fields["date_text"] is None
    with pytest.raises(ValueError, match="not in the text"):
        annotate.draft_from_passage(state, "un passage absent")


def test_the_file_changed_on_disk_is_not_overwritten(raw, monkeypatch):
    without_event(raw, DISCLOSURE)
    real_check = annotate.check

    def meanwhile(*args, **kwargs):  # someone saves the file while the change is checked
        result = real_check(*args, **kwargs)
        path = _file(raw)
        if "edited by hand" not in path.read_text(encoding="utf-8"):
            path.write_text(path.read_text(encoding="utf-8") + "# edited by hand\n",
                            encoding="utf-8")
        return result

    monkeypatch.setattr(annotate, "check", meanwhile)
    outcome = annotate.add_event(SOURCE, dict(DISCLOSURE_FIELDS, id="test-article-disclosure"),
                                 raw)
    assert not outcome.ok and "changed on disk" in outcome.message
    assert "test-article-disclosure" not in _file(raw).read_text(encoding="utf-8")
    assert not list((raw / "annotations").glob(".*.tmp"))


# --- the form's check is the build's ------------------------------------------------------

@pytest.mark.parametrize("name", ["clean"] + CATALOGUE_NAMES)
def test_the_check_finds_what_the_build_finds(mini_project, name):
    raw = mini_project / "data" / "raw"
    if name != "clean":
        apply_edit(raw, dict(bad_fixtures())[name]["edit"])
    expected = validate(raw, mini_project)
    loaded = load_raw(raw, mini_project)
    scan = ExpressionScan(loaded)
    found = annotate.check(loaded, SOURCE, scan).all_problems()
    assert found == sorted(set(expected))
