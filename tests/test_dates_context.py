"""Dates read in their context: tense of the sentence, anchors from the text (helpers.resolution.dates, dates_context).

The table tests/data/date_context.csv has French news sentences, each with its publication
date, an expression in it and the day or days it means. Rows with status "claimed" must
resolve right; rows with status "known_failure" are wrong today and must stay wrong until
someone fixes them (and moves them to "claimed").
"""

import csv
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.resolution.context import governing_tense, sentence_bounds
from helpers.resolution.dates import (
    ContradictoryDateError,
    DateContext,
    DateResolutionError,
    find_expressions,
    resolve,
)

PARIS = ZoneInfo("Europe/Paris")
TABLE = Path(__file__).parent / "data" / "date_context.csv"
FAST = settings(max_examples=120, deadline=None)
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]  # fmt: skip


def _rows() -> list[dict]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()


def _where(row: dict) -> DateContext:
    start = -1
    for _ in range(int(row["occurrence"] or 1)):
        start = row["text"].index(row["expression"], start + 1)
    return DateContext(row["text"], start, start + len(row["expression"]))


def _days(result) -> str:
    """The resolution as the table writes it: a day, or first/last day."""
    first, last = result.earliest.date(), result.latest.date()
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"


def _read(row: dict, with_context: bool = True) -> str:
    where = _where(row)
    try:
        result = resolve(row["expression"], datetime.fromisoformat(row["published"]),
                         context=where if with_context else None)  # fmt: skip
    except DateResolutionError:
        return "none"
    return _days(result)


# --------------------------------------------------------------------------- the table


def test_table_is_large_varied_and_well_formed():
    assert len(ROWS) >= 80
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row["status"] in ("claimed", "known_failure"), row
        assert row["split"] in ("dev", "held_out"), row
        assert row["expression"] in row["text"], row
        if row["expected"] != "none":
            days = [date.fromisoformat(d) for d in row["expected"].split("/")]
            assert days == sorted(days), row
        datetime.fromisoformat(row["published"]).utcoffset()  # aware
    forms = Counter((row["form"], row["tense"]) for row in ROWS)
    # Every form the issue lists, in the past and in the future.
    for form in ("weekday", "day_month", "next_last", "day_list", "anchor", "relative_weekday"):
        assert forms[(form, "past")] >= 1 and forms[(form, "future")] >= 1, form
    assert sum(n for (form, _), n in forms.items() if form == "two_digit_year") >= 3
    assert len({row["published"] for row in ROWS}) >= 8


CLAIMED = [row for row in ROWS if row["status"] == "claimed"]
KNOWN_FAILURES = [row for row in ROWS if row["status"] == "known_failure"]


@pytest.mark.parametrize("row", CLAIMED, ids=[f"{r['id']}:{r['expression'][:30]}" for r in CLAIMED])
def test_claimed_rows_resolve_in_context(row):
    assert _read(row) == row["expected"], row["text"]


@pytest.mark.parametrize("row", KNOWN_FAILURES, ids=[f"{r['id']}:{r['expression'][:30]}" for r in KNOWN_FAILURES])
def test_known_failures_still_fail(row):
    """A row that starts passing must be moved to 'claimed' (and the docs' figures updated)."""
    assert _read(row) != row["expected"], row["text"]


def test_accuracy_in_context_is_at_least_95_percent():
    right = sum(_read(row) == row["expected"] for row in ROWS)
    assert right / len(ROWS) >= 0.95, f"{right}/{len(ROWS)}"


def test_context_matters_on_the_table():
    """Without context far fewer rows are right: the table tests the context, not the plain rules."""
    plain = sum(_read(row, with_context=False) == row["expected"] for row in ROWS)
    assert plain / len(ROWS) < 0.75


@pytest.mark.parametrize("row", CLAIMED, ids=[f"{r['id']}:{r['expression'][:30]}" for r in CLAIMED])
def test_find_expressions_reads_the_same_in_context(row):
    """find_expressions' context_resolution is resolve's with the text as context."""
    where = _where(row)
    reference = datetime.fromisoformat(row["published"])
    found = {(item.start, item.end): item for item in find_expressions(row["text"], reference)}
    item = found.get((where.start, where.end))
    if item is None:
        pytest.skip("find_expressions reads a different span here")
    got = "none" if item.context_resolution is None else _days(item.context_resolution)
    assert got == row["expected"]


# --------------------------------------------------------------------------- the API


REFERENCE = datetime(2024, 5, 15, 10, tzinfo=PARIS)  # a Wednesday


def test_without_context_nothing_changes():
    for expression in ["dimanche", "le 21 juin", "en août", "dans la soirée", "à 20 heures"]:
        assert resolve(expression, REFERENCE) == resolve(expression, REFERENCE, None, None)


def test_a_sentence_as_context():
    assert resolve("dimanche", REFERENCE, context="Le scrutin aura lieu dimanche.").value == "2024-05-19"
    assert resolve("dimanche", REFERENCE, context="Le groupe a revendiqué l'attaque dimanche.").value == "2024-05-12"
    # The expression is found whatever its case or typography.
    assert resolve("Dimanche", REFERENCE, context="Le scrutin aura lieu dimanche\u00a0!").value == "2024-05-19"


def test_a_context_must_hold_the_expression():
    with pytest.raises(ValueError, match="does not contain"):
        resolve("dimanche", REFERENCE, context="Le scrutin aura lieu samedi.")
    with pytest.raises(ValueError, match="is not"):
        resolve("dimanche", REFERENCE, context=DateContext("Le scrutin aura lieu dimanche.", 0, 9))
    with pytest.raises(TypeError):
        resolve("dimanche", REFERENCE, context=42)


def test_an_explicit_anchor_beats_the_context():
    text = "Le 12 mai, l'hôpital a été attaqué. Le lendemain, il a porté plainte."
    where = DateContext(text, text.index("Le lendemain"), text.index("Le lendemain") + len("Le lendemain"))
    assert resolve("Le lendemain", REFERENCE, context=where).value == "2024-05-13"
    assert resolve("Le lendemain", REFERENCE, date(2024, 5, 1), where).value == "2024-05-02"
    with pytest.raises(DateResolutionError, match="anchor"):
        resolve("Le lendemain", REFERENCE, context="Le lendemain, il a porté plainte.")


def test_find_expressions_keeps_its_plain_resolution_and_explains_the_context():
    text = "Le scrutin aura lieu dimanche. La veille, tout meeting sera interdit."
    found = find_expressions(text, REFERENCE)
    assert [item.text for item in found] == ["dimanche", "La veille"]
    sunday, eve = found
    assert sunday.resolution.value == "2024-05-12"  # alone, as before
    assert sunday.context_resolution.value == "2024-05-19"
    assert sunday.context_note == "future tense ('aura')"
    assert eve.resolution is None  # no anchor alone
    assert eve.context_resolution.value == "2024-05-18"
    assert eve.context_note == "counted from 'dimanche' (2024-05-19)"


def test_english_context_anchors_but_reads_no_tense():
    text = "The hospital was hit on 3 May. The next day, it filed a complaint. It will reopen on Monday."
    found = {item.text: item for item in find_expressions(text, REFERENCE, language="en")}
    assert found["The next day"].context_resolution.value == "2024-05-04"
    assert found["on Monday"].context_resolution.value == "2024-05-13"  # no tense read: the default


# --------------------------------------------------------------------------- new forms, alone


@pytest.mark.parametrize("expression, value, earliest, latest", [
    ("aujourd'hui mercredi", "2024-05-15", "2024-05-15", "2024-05-15"),
    ("hier mardi", "2024-05-14", "2024-05-14", "2024-05-14"),
    ("demain jeudi soir", "2024-05-16TEV", "2024-05-16", "2024-05-16"),
    ("les 6 et 7 mai", "2024-05-06", "2024-05-06", "2024-05-07"),
    ("les 6, 7 et 9 mai", "2024-05-06", "2024-05-06", "2024-05-09"),
    ("les lundi 6 et mardi 7 mai 2024", "2024-05-06", "2024-05-06", "2024-05-07"),
    ("les 31 décembre et 1er janvier", "2023-12-31", "2023-12-31", "2024-01-01"),
    ("les 30 avril et 1er mai derniers", "2024-04-30", "2024-04-30", "2024-05-01"),
    ("le 10 novembre 93", "1993-11-10", "1993-11-10", "1993-11-10"),
    ("le 2 mars 05", "2005-03-02", "2005-03-02", "2005-03-02"),
    ("10/11/93", "1993-11-10", "1993-11-10", "1993-11-10"),
    ("02-05-24", "2024-05-02", "2024-05-02", "2024-05-02"),
])  # fmt: skip
def test_new_forms(expression, value, earliest, latest):
    result = resolve(expression, REFERENCE)
    assert (result.value, result.earliest.date().isoformat(), result.latest.date().isoformat()) == (
        value, earliest, latest)
    assert result.earliest.time() == time(0) or result.precision != "day"


def test_day_lists_are_day_precision_from_first_to_last():
    result = resolve("les 6 et 7 mai", REFERENCE)
    assert (result.precision, result.method) == ("day", "rule:day_list")
    assert result.earliest == datetime(2024, 5, 6, tzinfo=PARIS)
    assert result.latest == datetime(2024, 5, 7, 23, 59, 59, tzinfo=PARIS)


@pytest.mark.parametrize("expression, error", [
    ("aujourd'hui jeudi", ContradictoryDateError),  # the reference is a Wednesday
    ("les samedi 6 et dimanche 7 mai 2024", ContradictoryDateError),  # 6 May 2024 was a Monday
    ("les 7 et 6 mai", DateResolutionError),
    ("les 30 et 31 février", DateResolutionError),
])  # fmt: skip
def test_new_forms_refuse(expression, error):
    with pytest.raises(error):
        resolve(expression, REFERENCE)


@pytest.mark.parametrize("text, found", [
    ("Le 10 novembre 93 manifestants ont été interpellés.", "Le 10 novembre"),
    ("le 10 novembre 93 % des votants", "le 10 novembre"),
    ("le 10 novembre 20 h 30", "le 10 novembre 20 h 30"),  # a time, not the year 2020
    ("le 10 novembre 93 à Paris", "le 10 novembre 93"),
    ("le 10 novembre 93, à Paris", "le 10 novembre 93"),
    ("le 10 novembre 93 dans le Nord", "le 10 novembre 93"),
])  # fmt: skip
def test_two_digit_years_are_not_counts(text, found):
    first = find_expressions(text, REFERENCE)[0]
    assert first.text == found
    alone = resolve("le 10 novembre", REFERENCE).earliest.year
    assert first.resolution.earliest.year == (1993 if " 93" in found else alone)


# --------------------------------------------------------------------------- properties

references = st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(PARIS))
PAST_FRAMES = ["Le groupe a revendiqué l'attaque {e}.", "{E}, les pompiers étaient intervenus.",
               "Le tribunal s'est prononcé {e}.", "Les syndicats avaient manifesté {e} devant la mairie."]
FUTURE_FRAMES = ["Le scrutin aura lieu {e}.", "{E}, les électeurs voteront.", "Le procès doit s'ouvrir {e}.",
                 "Les syndicats vont manifester {e} devant la mairie.", "La décision devrait tomber {e}."]


def _in(frame: str, expression: str) -> tuple[str, DateContext]:
    text = frame.format(e=expression, E=expression[:1].upper() + expression[1:])
    start = text.lower().index(expression.lower())
    return text, DateContext(text, start, start + len(expression))


@FAST
@given(reference=references, weekday=st.sampled_from(WEEKDAYS_FR), frame=st.sampled_from(PAST_FRAMES))
def test_a_weekday_in_a_past_sentence_is_in_the_last_seven_days(reference, weekday, frame):
    _, where = _in(frame, weekday)
    day = resolve(weekday, reference, context=where).earliest.date()
    assert 0 <= (reference.date() - day).days <= 6
    assert WEEKDAYS_FR[day.weekday()] == weekday


@FAST
@given(reference=references, weekday=st.sampled_from(WEEKDAYS_FR), frame=st.sampled_from(FUTURE_FRAMES))
def test_a_weekday_in_a_future_sentence_is_in_the_next_seven_days(reference, weekday, frame):
    _, where = _in(frame, weekday)
    day = resolve(weekday, reference, context=where).earliest.date()
    assert 0 <= (day - reference.date()).days <= 6
    assert WEEKDAYS_FR[day.weekday()] == weekday


@FAST
@given(reference=references, month=st.integers(1, 12), day=st.integers(1, 28),
       past=st.booleans(), frame=st.data())  # fmt: skip
def test_a_day_and_month_lies_within_a_year_on_the_tenses_side(reference, month, day, past, frame):
    expression = f"le {day} {MONTHS_FR[month - 1]}"
    _, where = _in(frame.draw(st.sampled_from(PAST_FRAMES if past else FUTURE_FRAMES)), expression)
    found = resolve(expression, reference, context=where).earliest.date()
    assert (found.month, found.day) == (month, day)
    gap = (reference.date() - found).days if past else (found - reference.date()).days
    assert 0 <= gap < 366


@FAST
@given(anchor=st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 6, 1)),
       word=st.sampled_from([("Le lendemain", 1), ("La veille", -1), ("Le même jour", 0), ("Le surlendemain", 2),
                             ("Trois jours plus tard", 3), ("Deux jours plus tôt", -2)]))  # fmt: skip
def test_anchored_forms_count_from_the_last_date_before_them(anchor, word):
    expression, offset = word
    text = (f"Le {anchor.day} {MONTHS_FR[anchor.month - 1]} {anchor.year}, l'hôpital a été attaqué. "
            f"{expression}, la direction a porté plainte.")  # fmt: skip
    reference = datetime.combine(anchor + timedelta(days=30), time(12), PARIS)
    start = text.index(expression)
    result = resolve(expression, reference, context=DateContext(text, start, start + len(expression)))
    assert result.earliest.date() == anchor + timedelta(days=offset)
    found = find_expressions(text, reference)
    assert found[-1].context_resolution == result


# --------------------------------------------------------------------------- the tense rule itself


@pytest.mark.parametrize("sentence, expression, tense", [
    ("Le ministre a annoncé que l'élection aura lieu dimanche.", "dimanche", "future"),
    ("Le groupe, qui publiera les données vendredi, a revendiqué l'attaque dimanche.", "vendredi", "future"),
    ("Le groupe, qui publiera les données vendredi, a revendiqué l'attaque dimanche.", "dimanche", "past"),
    ("L'intrusion aurait eu lieu samedi.", "samedi", "past"),
    ("Le vote pourrait avoir lieu jeudi.", "jeudi", "future"),
    ("Le chantier aura été achevé le 30 novembre.", "le 30 novembre", "future"),
    ("Le marathon a lieu dimanche.", "dimanche", "future"),
    ("La cérémonie se déroulait samedi.", "samedi", "past"),
    ("Ce mercredi, les agriculteurs bloquent l'autoroute.", "Ce mercredi", None),
    ("Les pharmacies sont fermées samedi.", "samedi", None),
    ("Le match a été reporté à dimanche.", "dimanche", "future"),
    ("Le concert prévu le 15 octobre a été annulé.", "le 15 octobre", None),
    ("Depuis lundi, les éboueurs sont en grève.", "Depuis lundi", "past"),
    ("L'opéra de Lyon ouvre ses portes samedi.", "samedi", None),  # "opéra" is no future
    ("Les pompiers tiraient samedi sur les flammes.", "samedi", "past"),  # an imperfect, not "tireraient"
    ("Les négociations aboutiront jeudi.", "jeudi", "future"),
])  # fmt: skip
def test_governing_tense(sentence, expression, tense):
    start = sentence.index(expression)
    found = governing_tense(sentence, start, start + len(expression))
    assert (found.tense if found else None) == tense


def test_sentence_bounds():
    text = "M. Dupont a démissionné lundi. Il sera remplacé jeudi.\nLe 9 oct. 2022, rien."
    assert text[slice(*sentence_bounds(text, text.index("lundi"), text.index("lundi") + 5))] == \
        "M. Dupont a démissionné lundi."
    assert text[slice(*sentence_bounds(text, text.index("jeudi"), text.index("jeudi") + 5))] == \
        "Il sera remplacé jeudi."
    start = text.index("9 oct.")
    assert text[slice(*sentence_bounds(text, start, start + 11))] == "Le 9 oct. 2022, rien."


WORDS = ["le", "la", "a", "ont", "été", "sera", "aura", "lieu", "dimanche", "lundi", "21", "juin", "93", "les", "et",
         "6", "7", "mai", "lendemain", "veille", "Le", "même", "jour", "hier", "aujourd'hui", "qui", ",", ".", "que",
         "va", "publier", "prévu", "reporté", "à", "depuis", "d'ici", "dans", "soirée", "20", "heures", "M.", "\n",
         "avait", "revendiqué", "publiera", "devrait", "tomber", "menace", "de", "nuit", "du", "au", "1er", "prochain",
         "derniers", "«", "»", ";", ":", "?", "Dupont", "fut", "signé", "s'est", "tenu", "31", "décembre", "janvier"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=30), reference=references)
def test_resolve_in_context_agrees_with_find_expressions(words, reference):
    text = " ".join(words)
    for item in find_expressions(text, reference):
        try:
            alone = resolve(item.text, reference, context=DateContext(text, item.start, item.end))
        except DateResolutionError:
            alone = None
        assert alone == item.context_resolution, (text, item)


def test_an_empty_expression_is_a_resolution_error_with_a_context_too():
    with pytest.raises(DateResolutionError, match="empty"):
        resolve("", REFERENCE, context="")
