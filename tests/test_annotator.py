"""The annotator's messages: "did you mean", the report (consequences under their root,
warnings apart), YAML errors in plain words, the warnings' small checks (helpers.build.lint)."""
from __future__ import annotations

import pytest

from helpers.build import lint
from helpers.core.errors import Consequence, DatasetError, Problem, UnknownIdError
from helpers.core.suggest import did_you_mean, unknown_hint
from helpers.core.vocab import EVENT_TYPES, STATUSES, SYNONYMS
from helpers.raw.annotations import EVENT_FIELDS
from helpers.raw.yamlio import load_yaml

# --- did you mean -------------------------------------------------------------------------

@pytest.mark.parametrize("value,known,expected", [
    ("atack", EVENT_TYPES, "attack"),
    ("Leak", EVENT_TYPES, "leak"),
    ("ransom-demand", EVENT_TYPES, "ransom_demand"),
    ("claimed", STATUSES, "claimed_by_attackers"),
    ("stated_by_the_victim", STATUSES, "stated_by_victim"),
    ("sumary", EVENT_FIELDS, "summary"),
    ("testgnag", ["testgang", "lockbit"], "testgang"),
    ("canes-2024", ["cannes-2024", "rennes-2023"], "cannes-2024"),
    ("nowhere-2023", ["testville-2023"], None),
    ("", EVENT_TYPES, None),
])
def test_did_you_mean(value, known, expected):
    assert did_you_mean(value, known) == expected


def test_french_words_for_event_types_point_to_the_vocabulary():
    assert did_you_mean("revendication", EVENT_TYPES, synonyms=SYNONYMS) == "claim"
    assert did_you_mean("Enquête", EVENT_TYPES, synonyms=SYNONYMS) == "investigation"
    assert did_you_mean("plan blanc", EVENT_TYPES, synonyms=SYNONYMS) == "crisis_plan"


def test_unknown_hint_lists_few_names_and_counts_many():
    assert unknown_hint("zz", ["a-1", "b-2"], "known cases") == "known cases: a-1, b-2"
    many = [f"case-{i}" for i in range(40)]
    assert unknown_hint("zz", many, many="the {n} cases of cases.yaml") == \
        "not among the 40 cases of cases.yaml"


def test_unknown_id_error_says_did_you_mean():
    err = UnknownIdError("case id", "canes-2024", ["cannes-2024", "rennes-2023"])
    assert str(err) == ("unknown case id 'canes-2024' (did you mean 'cannes-2024'?); valid case "
                        "ids: cannes-2024, rennes-2023")


# --- the report ---------------------------------------------------------------------------

def test_consequences_are_listed_under_their_root_and_not_counted():
    root = Problem("data/raw/cases.yaml", 7, "x-2023", "groups", "unknown group 'y'", kind="case")
    other = Problem("data/raw/annotations/a.yaml", 3, "a-attack", "type", "unknown event type")
    err = DatasetError([other, root], [Consequence(root, "2 events of case x-2023 not checked")],
                       [Problem("data/raw/annotations/b.yaml", 9, "b-leak", "summary", "French")])
    assert err.render().splitlines() == [
        "2 problems in data/raw:",
        "  data/raw/annotations/a.yaml:3: event a-attack: field 'type': unknown event type",
        "  data/raw/cases.yaml:7: case x-2023: field 'groups': unknown group 'y'",
        "    ↳ 2 events of case x-2023 not checked",
        "1 warning in data/raw (warnings do not stop the build; --strict makes them fail it):",
        "  data/raw/annotations/b.yaml:9: event b-leak: field 'summary': French",
    ]


# --- YAML errors in plain words -----------------------------------------------------------

@pytest.mark.parametrize("text,line,message,shown", [
    ("a: 1\nb: [x\nc: 2\n", 2, "the '[' opened here is never closed", "2 | b: [x\n  |    ^"),
    ("summary: L'hôpital: attaqué\n", 1, "a ':' followed by a space inside a value",
     "1 | summary: L'hôpital: attaqué\n  | " + " " * 18 + "^"),
    ("a:\n\tb: 1\n", 2, "a tab character", "2 |  b: 1\n  | ^"),
    ("a: 'l'hôpital'\n", 1, "the value goes on after its closing quote",
     "1 | a: 'l'hôpital'\n  |       ^"),
    ("a: 1\na: 2\n", 2, "'a' is given twice in the same record", "2 | a: 2\n  | ^"),
])
def test_yaml_errors_in_plain_words_with_a_caret(tmp_path, text, line, message, shown):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    data, problems = load_yaml(path, "x.yaml")
    assert data is None and len(problems) == 1
    problem = problems[0]
    assert problem.line == line
    assert problem.message == f"not valid YAML: {message}" or \
        problem.message.startswith(f"not valid YAML: {message}")
    assert problem.excerpt == shown
    assert "expected" not in problem.message  # no parser jargon


# --- the warnings' checks -----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "L'hôpital a été victime d'une cyberattaque le 3 mars.",
    "Le groupe a revendiqué l'attaque sur son site.",
    "Plainte déposée par le centre hospitalier.",
])
def test_french_text_is_caught(text):
    assert lint.french_words(text)


@pytest.mark.parametrize("text", [
    "The hospital was attacked on 3 March.",
    "The Pôle de santé Léonard de Vinci at Chambray-lès-Tours (Indre-et-Loire) was targeted "
    "by a computer attack.",
    "Early in the week the Hôpital privé de la Loire, a Ramsay Santé establishment, said a "
    "stolen identity was used.",
    "The hospital triggered its 'plan blanc' and told staff « de ne pas utiliser les postes ».",
    "Complaint filed.",
    "Paris prosecutor's J3 cybercrime section investigates (undated).",
])
def test_english_text_with_french_names_or_quotes_is_not(text):
    assert lint.french_words(text) == []


@pytest.mark.parametrize("date_text,expected", [
    ("2022-03-28", "in ISO form"),
    ("21 March", "in English ('March')"),
    ("late Monday evening", "in English ('late')"),
    ("the 21st", "in English ('21st')"),
    ("le 21 mars", None),
    ("le week-end du 16 et 17 novembre", None),
    ("dans la nuit du 1er au 2 mai", None),
])
def test_foreign_date(date_text, expected):
    assert lint.foreign_date(date_text) == expected


@pytest.mark.parametrize("text,date_text,verb", [
    ("Ce jeudi 2 mai, Franceinfo rapporte que les données ont été publiées.", "Ce jeudi 2 mai",
     "rapporte"),
    ("L'hôpital a annoncé ce lundi la publication des données.", "ce lundi", "annoncé"),
    ("On 21 March, the outlet reports that the data was published.", "21 March", "reports"),
    ("Selon Zataz, vendredi, les données ont fuité.", "vendredi", "Selon"),
    ("Franceinfo rapporte que les données ont été publiées lundi 20 mars 2023.",
     "lundi 20 mars 2023", None),
    ("The outlet reports the data was published on 21 March.", "21 March", None),
    ("Les données ont été publiées lundi 20 mars 2023. Le journal le rapporte.",
     "lundi 20 mars 2023", None),
])
def test_reporting_verb_next_to_the_date(text, date_text, verb):
    assert lint.reporting_verb_near(text, date_text) == verb
