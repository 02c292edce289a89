"""Tests of the date lexicons (src/helpers/resolution/lexicons/*.yaml): they load and share their
keys, the resolver reads its words from them, and a malformed file is refused with its name and key."""

import copy
import fnmatch
import tomllib
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from helpers.resolution import dates
from helpers.resolution.dates import LexiconError, find_expressions, resolve

PARIS = ZoneInfo("Europe/Paris")
REFERENCE = datetime(2024, 5, 2, 12, tzinfo=PARIS)  # a Thursday
ANCHOR = datetime(2024, 4, 20, tzinfo=PARIS)
LANGUAGES = sorted(dates._GRAMMARS)
ROOT = Path(__file__).resolve().parents[1]


def _file(language: str):
    return resources.files("helpers.resolution") / "lexicons" / f"{language}.yaml"


def _words(language: str) -> dict:
    return yaml.safe_load(_file(language).read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_file_loads_once(language):
    assert _file(language).is_file()
    assert isinstance(dates._load_lexicon(language), dates._Lexicon)
    assert dates._lexicon(language) is dates._lexicon(language)


def test_every_language_has_the_same_keys_in_the_same_order():
    keys = {language: list(_words(language)) for language in LANGUAGES}
    for language in LANGUAGES:
        assert keys[language] == list(dates._LEXICON_KEYS), language


def test_the_lexicons_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["helpers.resolution"]
    for language in LANGUAGES:
        assert any(fnmatch.fnmatch(f"lexicons/{language}.yaml", glob) for glob in globs)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match=r"unsupported language 'de'; expected one of \['en', 'fr'\]"):
        dates._load_lexicon("de")


# Each expression needs a word that is only in a lexicon file: dropping it from the file fails here.
EXPRESSIONS = [
    ("fr", "mi-avril", "2024-04"),
    ("fr", "à la mi-avril", "2024-04"),
    ("fr", "début mai", "2024-05"),
    ("fr", "courant mars", "2024-03"),
    ("fr", "fin 2023", "2023"),
    ("fr", "le 3 fév. 2024", "2024-02-03"),
    ("fr", "le 3 fevr 2024", "2024-02-03"),
    ("fr", "le 30 avril dernier", "2024-04-30"),
    ("fr", "mardi dernier", "2024-04-30"),
    ("fr", "avant-hier", "2024-04-30"),
    ("fr", "la veille", "2024-04-19"),
    ("fr", "dix-huit jours plus tôt", "2024-04-02"),
    ("fr", "dans 3 jours", "2024-05-05"),
    ("fr", "d’ici trois jours", "2024-05-05"),
    ("fr", "il y a environ 3 jours", "2024-04-29"),
    ("fr", "il y a deux semaines", "2024-W16"),
    ("fr", "la semaine dernière", "2024-W17"),
    ("fr", "la semaine du 6 mai", "2024-W19"),
    ("fr", "le mois dernier", "2024-04"),
    ("fr", "l'an dernier", "2023"),
    ("fr", "cette nuit", "2024-05-02TNI"),
    ("fr", "la nuit dernière", "2024-05-01TNI"),
    ("fr", "en fin d’après-midi", "2024-05-01TAF"),
    ("fr", "le soir même", "2024-04-20TEV"),
    ("fr", "dans la soirée du 1er mai", "2024-05-01TEV"),
    ("fr", "la nuit du 1er au 2 mai", "2024-05-01TNI"),
    ("fr", "les 6 et 7 avril derniers", "2024-04-06"),
    ("fr", "vers 20 h 30", "2024-05-01T20:30"),
    ("fr", "10 h du soir", "2024-05-01T22"),
    ("fr", "20 h, heure de Paris", "2024-05-01T20"),
    ("fr", "à midi", "2024-05-02T12:00"),
    ("fr", "au plus tard le 3 mai", "2024-05-03"),
    ("en", "April 3rd", "2024-04-03"),
    ("en", "on the 3rd of April", "2024-04-03"),
    ("en", "this past Tuesday", "2024-04-30"),
    ("en", "the day before yesterday", "2024-04-30"),
    ("en", "the previous day", "2024-04-19"),
    ("en", "two days later", "2024-04-22"),
    ("en", "3 days ago", "2024-04-29"),
    ("en", "in 3 days", "2024-05-05"),
    ("en", "last week", "2024-W17"),
    ("en", "the week of April 8", "2024-W15"),
    ("en", "in mid-April", "2024-04"),
    ("en", "late 2023", "2023"),
    ("en", "tonight", "2024-05-02TNI"),
    ("en", "Monday night", "2024-04-29TNI"),
    ("en", "that evening", "2024-04-20TEV"),
    ("en", "on the evening of May 1", "2024-05-01TEV"),
    ("en", "8 pm", "2024-05-01T20"),
    ("en", "8:30 pm EDT", "2024-05-02T02:30"),
    ("en", "at noon", "2024-05-02T12:00"),
    ("en", "no later than May 3", "2024-05-03"),
]


@pytest.mark.parametrize(("language", "expression", "value"), EXPRESSIONS)
def test_words_of_the_files_resolve(language, expression, value):
    resolution = resolve(expression, REFERENCE, ANCHOR, language=language)
    assert (resolution.value, resolution.method.startswith("rule:")) == (value, True)


@pytest.mark.parametrize(("language", "expression"), [("fr", "tard mardi soir"), ("en", "late on Monday evening")])
def test_a_qualifier_moves_the_part_of_the_day(language, expression):
    assert resolve(expression, REFERENCE, language=language).earliest.hour == 22


@pytest.mark.parametrize(("language", "text", "found"), [
    ("fr", "Elle durera pendant plusieurs jours, dans les prochaines semaines.",
     ["pendant plusieurs jours", "dans les prochaines semaines"]),
    ("en", "It lasted for 2 years, and a few days later, in the coming weeks.",
     ["for 2 years", "a few days later", "in the coming weeks"]),
])  # fmt: skip
def test_durations_of_the_files_are_found_unresolved(language, text, found):
    expressions = find_expressions(text, REFERENCE, language=language)
    assert [(e.text, e.resolution) for e in expressions] == [(f, None) for f in found]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_the_main_tables_resolves(language):
    words = _words(language)
    for number, (name, abbreviations) in enumerate(words["months"].items(), start=1):
        for word in [name, *abbreviations, *(a + "." for a in abbreviations)]:
            expression = f"le 3 {word} 2023" if language == "fr" else f"{word} 3, 2023"
            resolution = resolve(expression, REFERENCE, language=language)
            assert (resolution.value, resolution.method) == (f"2023-{number:02d}-03", "rule:explicit_date"), word
    for day, name in enumerate(words["weekdays"], start=22):  # Monday 22 April 2024 ... Sunday 28
        expression = f"{name} {day} avril 2024" if language == "fr" else f"{name}, April {day}, 2024"
        assert resolve(expression, REFERENCE, language=language).value == f"2024-04-{day}", name
    for phrase, offset in words["relative_days"].items():
        expected = (REFERENCE + timedelta(days=offset)).date().isoformat()
        assert resolve(phrase, REFERENCE, language=language).value == expected, phrase
    for phrase, offset in words["anchors"].items():
        expected = (ANCHOR + timedelta(days=offset)).date().isoformat()
        assert resolve(phrase, REFERENCE, ANCHOR, language=language).value == expected, phrase
    for phrase, count in words["counts"].items():
        expression = f"il y a {phrase} jours" if language == "fr" else f"{phrase} days ago"
        expected = (REFERENCE - timedelta(days=count)).date().isoformat()
        assert resolve(expression, REFERENCE, language=language).value == expected, phrase


def _write(tmp_path: Path, words: dict) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(words, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_word_added_to_a_file_is_read(tmp_path):
    words = _words("fr")
    words["relative_days"]["avant-avant-hier"] = -3
    lexicon = dates._load_lexicon("fr", _write(tmp_path, words))
    assert lexicon.relative_days.fullmatch("avant avant-hier")
    assert lexicon.relative_day_offsets["avant avant hier"] == -3


def _set(key, value):
    return lambda words: words.__setitem__(key, value)


BROKEN = [  # (language, change to the file, the key the message names, what it says)
    ("fr", lambda w: w.pop("counts"), "counts", "missing key 'counts'"),
    ("fr", lambda w: w.update(counts={"un": 1, "une": "1"}), "counts", "'une': expected a whole number, got '1'"),
    ("fr", _set("weekday", []), "weekday", "unknown key (did you mean 'weekdays'?)"),
    ("fr", _set("counts", ["un", "deux"]), "counts", "expected a table (phrase: value), got list"),
    ("fr", lambda w: w["directions"].update(dernier="avant"), "directions",
     "'dernier': expected 'last' or 'next', got 'avant'"),
    ("fr", lambda w: w["units"].update(siecle="century"), "units", "'siecle': expected 'minute' or"),
    ("fr", lambda w: w["time_zones"].update(cet="une heure"), "time_zones",
     "'cet': expected a whole number or null, got 'une heure'"),
    ("fr", _set("weekdays", ["lundi", "mardi"]), "weekdays", "expected the 7 days, Monday first, got 2"),
    ("fr", _set("date_articles", "le"), "date_articles", "expected a list of phrases, got str"),
    ("fr", lambda w: w["relative_days"].update({"Après-demain": 2}), "relative_days",
     "write 'Après-demain' as 'apres-demain'"),
    ("en", _set("weekday_articles", [True, "this"]), "weekday_articles", "quote it"),
    ("fr", _set("time_prepositions", ["a", "a partir de"]), "time_prepositions",
     "put 'a partir de' before 'a', which it begins with"),
    ("fr", lambda w: w["parts_of_day"][0].update(mode="often"), "parts_of_day[0]", "mode 'often' is not one of"),
    ("fr", lambda w: w["patterns"]["boundary"].append("(avant"), "patterns.boundary",
     "'(avant' is not a regular expression"),
    ("fr", _set("ordinal_suffixes", ["e"]), "ordinal_suffixes", "the 'fr' grammar does not use it"),
    ("fr", _set("date_articles", []), "date_articles", "empty, but the 'fr' grammar uses it"),
]


@pytest.mark.parametrize(("language", "change", "key", "message"), BROKEN)
def test_a_malformed_file_names_the_file_and_the_key(tmp_path, language, change, key, message):
    words = copy.deepcopy(_words(language))
    change(words)
    path = _write(tmp_path, words)
    with pytest.raises(LexiconError) as raised:
        dates._load_lexicon(language, path)
    assert str(raised.value).startswith(f"{path}:")
    assert repr(key) in str(raised.value)
    assert message in str(raised.value)


def test_a_lexicon_error_is_not_read_as_an_unresolvable_date():
    # The build turns a ValueError from resolve() into "cannot resolve" on each event.
    assert not issubclass(LexiconError, ValueError)


def test_a_file_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "fr.yaml"
    path.write_text("months: [janvier\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=f"^{path}:1: not valid YAML"):
        dates._load_lexicon("fr", path)


def test_a_phrase_given_twice_in_a_table_is_refused_at_its_line(tmp_path):
    path = tmp_path / "fr.yaml"
    text = _file("fr").read_text(encoding="utf-8")
    path.write_text(text.replace("  hier: -1\n", "  hier: -1\n  hier: 1\n"), encoding="utf-8")
    line = text.splitlines().index("  hier: -1") + 2
    with pytest.raises(LexiconError, match=f"^{path}:{line}: not valid YAML: 'hier' is given twice"):
        dates._load_lexicon("fr", path)
