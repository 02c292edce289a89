"""find_expressions' pre-scan changes no result: it is compared with the exhaustive scan.

`_find_expressions_exhaustive` tries the grammar at every word start (the scan as it was before
the pre-scan); `find_expressions` only where `_start_candidates` says an expression may begin.
"""

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.resolution import dates

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "raw" / "sources"
TABLE = ROOT / "tests" / "data" / "date_expressions.csv"
SEEDS = {
    "linformaticien-2022-les-bluets.txt": datetime(2022, 10, 24, tzinfo=PARIS),
    "nice-matin-2024-cannes.txt": datetime(2024, 5, 2, 8, 33, tzinfo=PARIS),
}


def _same(text: str, reference: datetime, language: str = "fr") -> None:
    fast = dates.find_expressions(text, reference, language=language)
    slow = dates._find_expressions_exhaustive(text, reference, language=language)
    assert fast == slow


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_prescan_on_the_stored_texts(name):
    path = SOURCES / name
    if not path.exists():
        pytest.skip(f"{path} not in the project yet")
    text = path.read_text(encoding="utf-8")
    _same(text, SEEDS[name])
    assert dates.find_expressions(text, SEEDS[name])  # the comparison is not between two empty lists


def _table_expressions(language: str) -> list[str]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [row["expression"] for row in csv.DictReader(handle) if row["language"] == language]


EXPRESSIONS = {language: _table_expressions(language) for language in ("fr", "en")}
FILLER = {
    "fr": ["l'hôpital", "a été", "le", "la", "les", "de", "des", "du", "d'", "en", "à", "au", "dans", "ce", "cette",
           "depuis", "avant", "après", "il y a", "nuit", "cadres de nuit", "2 heures", "150 Go", "14.000", "mai",
           "mars", "un", "deux", "trois", "semaine", "mois", "an", "fin", "mi", "début", "tard", "tôt", "midi",
           "matin", "soir", "lendemain", "veille", "dernier", "prochain", "et", "93", "06", "1er", "jours", "h",
           "L\u2019ARS", "aujourd\u2019hui", "—", "«", "»", "(", ")", "hier", "lundi", "vendredi"],
    "en": ["the", "hospital", "on", "in", "at", "last", "next", "night", "may", "march", "day", "days", "week",
           "ago", "later", "early", "late", "mid", "a", "an", "two", "before", "after", "since", "by", "from", "pm",
           "Monday", "tonight", "12", "2024", "o'clock"],
}  # fmt: skip
SEPARATORS = [" ", ", ", ". ", "\n", " ; ", "\u00a0", "", "-", "/", ":", "'"]


@st.composite
def texts(draw, language: str):
    pieces = st.one_of(st.sampled_from(EXPRESSIONS[language]), st.sampled_from(FILLER[language]))
    parts = draw(st.lists(pieces, min_size=1, max_size=25))
    glue = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(part + sep for part, sep in zip(parts, glue))


references = st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(PARIS))


@settings(max_examples=300, deadline=None)
@given(text=texts("fr"), reference=references)
def test_prescan_on_generated_french_texts(text, reference):
    _same(text, reference)


@settings(max_examples=150, deadline=None)
@given(text=texts("en"), reference=references)
def test_prescan_on_generated_english_texts(text, reference):
    _same(text, reference, "en")


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="aeiloudhnsmrjtc0123456789 ,.'-/:éàù\u2019", max_size=80), reference=references)
def test_prescan_on_random_characters(text, reference):
    _same(text, reference)


def test_prescan_skips_most_word_starts():
    """The point of it: far fewer places to try than word starts."""
    text = (SOURCES / "nice-matin-2024-cannes.txt").read_text(encoding="utf-8") \
        if (SOURCES / "nice-matin-2024-cannes.txt").exists() else " ".join(FILLER["fr"]) * 20
    normalized = dates._normalize(text)
    candidates = len(list(dates._start_candidates("fr").finditer(normalized)))
    assert candidates < len(dates._WORD_START.findall(normalized)) / 4


def test_the_comparison_can_fail(monkeypatch):
    """A pre-scan that forgets a pattern (here the weekdays) is caught by the comparison."""
    monkeypatch.setattr(dates, "_NEVER_FIRST", dates._NEVER_FIRST | {"weekday"})
    dates._start_candidates.cache_clear()
    try:
        text, reference = "L'hôpital a été attaqué lundi.", datetime(2024, 5, 2, tzinfo=PARIS)
        assert dates.find_expressions(text, reference) != dates._find_expressions_exhaustive(text, reference)
    finally:
        monkeypatch.undo()
        dates._start_candidates.cache_clear()


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="aeiloudhnsmrjtc0123456789 ,.'-/:éàù\u2019", max_size=80), reference=references)
def test_spans_alone_are_where_expressions_are_found(text, reference):
    """The build's coverage check reads only where expressions are: the same places."""
    expected = [(f.start, f.end) for f in dates.find_expressions(text, reference)]
    assert dates.find_expression_spans(text) == expected


def test_spans_alone_on_the_stored_texts():
    for path in sorted(SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        reference = datetime(2024, 5, 2, 12, tzinfo=PARIS)
        expected = [(f.start, f.end) for f in dates.find_expressions(text, reference)]
        assert dates.find_expression_spans(text) == expected and expected
