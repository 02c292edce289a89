"""Tests of helpers.resolution.dates: the hand-checked expression table, properties, and the seed texts."""

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.resolution.dates import (
    PRECISIONS,
    ContradictoryDateError,
    DateResolution,
    DateResolutionError,
    find_expressions,
    resolve,
)

PARIS = ZoneInfo("Europe/Paris")
TABLE = Path(__file__).parent / "data" / "date_expressions.csv"
SOURCES = Path(__file__).resolve().parents[1] / "data" / "raw" / "sources"
ERRORS = {"DateResolutionError": DateResolutionError, "ContradictoryDateError": ContradictoryDateError}
FAST = settings(max_examples=150, deadline=None)

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]  # fmt: skip
WEEKDAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
NUMBERS_FR = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 10: "dix", 15: "quinze"}


def _paris(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(PARIS)


def _table_rows() -> list[dict]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _table_rows()


def test_table_is_large_and_well_formed():
    assert len(ROWS) >= 90
    for row in ROWS:
        if row["expected_error"]:
            assert row["expected_error"] in ERRORS, row
        else:
            assert row["precision"] in PRECISIONS, row
            assert _paris(row["earliest"]) <= _paris(row["latest"]), row


@pytest.mark.parametrize("row", ROWS, ids=[f"{i:03d}:{r['expression'][:40]}" for i, r in enumerate(ROWS)])
def test_expression_table(row):
    anchor = datetime.fromisoformat(row["anchor"]) if row["anchor"] else None
    arguments = (row["expression"], _paris(row["reference"]), anchor)
    if row["expected_error"]:
        with pytest.raises(ERRORS[row["expected_error"]]) as raised:
            resolve(*arguments, language=row["language"])
        assert raised.value.expression == row["expression"]
        assert repr(row["expression"]) in str(raised.value)
        return
    result = resolve(*arguments, language=row["language"])
    # isoformat compares the local time *and* the offset, so a DST slip shows.
    assert (result.earliest.isoformat(), result.latest.isoformat()) == (row["earliest"], row["latest"])
    assert (result.precision, result.value) == (row["precision"], row["value"])
    assert result.expression == row["expression"]


# --------------------------------------------------------------------------- strategies

references = st.datetimes(
    min_value=datetime(2016, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(PARIS)
)
calendar_days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def _day_phrase(day: date, with_weekday: bool, with_year: bool, article: str) -> str:
    number = "1er" if day.day == 1 else str(day.day)
    parts = [article] if article else []
    if with_weekday:
        parts.append(WEEKDAYS_FR[day.weekday()])
    parts += [number, MONTHS_FR[day.month - 1]]
    if with_year:
        parts.append(str(day.year))
    return " ".join(parts)


def _assert_one_whole_day(result: DateResolution, day: date) -> None:
    assert result.precision == "day"
    assert result.earliest == datetime.combine(day, time(0, 0, 0), PARIS)
    assert result.latest == datetime.combine(day, time(23, 59, 59), PARIS)


# --------------------------------------------------------------------------- properties


@FAST
@given(day=calendar_days, reference=references, with_weekday=st.booleans(), with_year=st.booleans(),
       article=st.sampled_from(["", "le", "ce"]))  # fmt: skip
def test_explicit_dates_are_one_whole_day(day, reference, with_weekday, with_year, article):
    if not with_year:
        # The documented rule: the reference's year, unless that is more than ~6 months ahead.
        if (day.month, day.day) == (2, 29):
            day = day.replace(day=28)
        day = day.replace(year=reference.year)
        if day > reference.date() + timedelta(days=183):
            day = day.replace(year=reference.year - 1)
    result = resolve(_day_phrase(day, with_weekday, with_year, article), reference)
    assert result.earliest <= result.latest
    assert result.value == day.isoformat()
    _assert_one_whole_day(result, day)


@FAST
@given(day=calendar_days, wrong=st.integers(1, 6))
def test_weekday_contradicting_the_date_raises(day, wrong):
    phrase = f"{WEEKDAYS_FR[(day.weekday() + wrong) % 7]} {day.day} {MONTHS_FR[day.month - 1]} {day.year}"
    with pytest.raises(ContradictoryDateError):
        resolve(phrase, datetime(2031, 1, 1, tzinfo=PARIS))


PARTS_OF_DAY = [  # (template, TIMEX3 part, first hour, end hour exclusive)
    ("{day} au matin", "MO", 6, 12),
    ("{day} au petit matin", "MO", 4, 8),
    ("{day}, en fin de matinée", "MO", 10, 12),
    ("{day} midi", "MI", 12, 14),
    ("{day} après-midi", "AF", 12, 18),
    ("{day}, en début d'après-midi", "AF", 12, 15),
    ("{day} soir", "EV", 18, 24),
    ("{day} au soir", "EV", 18, 24),
    ("{day}, en fin de soirée", "EV", 22, 24),
    ("dans la soirée du {day}", "EV", 18, 24),
    ("dans la matinée du {day}", "MO", 6, 12),
    ("dans l'après-midi du {day}", "AF", 12, 18),
]


@FAST
@given(day=calendar_days, reference=references, part=st.sampled_from(PARTS_OF_DAY), weekday=st.booleans())
def test_parts_of_day_are_windows_inside_the_day(day, reference, part, weekday):
    template, code, start, end = part
    result = resolve(template.format(day=_day_phrase(day, weekday, True, "")), reference)
    assert result.earliest <= result.latest
    assert result.precision == "part_of_day"
    assert result.value == f"{day.isoformat()}T{code}"
    assert result.earliest == datetime.combine(day, time(start), PARIS)
    assert result.latest == datetime.combine(day, time(end - 1, 59, 59), PARIS)


@FAST
@given(day=calendar_days, reference=references, form=st.sampled_from(["range", "single", "suffix"]))
def test_nights_span_midnight(day, reference, form):
    following = day + timedelta(days=1)
    if form == "range":
        expression = (f"dans la nuit du {WEEKDAYS_FR[day.weekday()]} {day.day} au {WEEKDAYS_FR[following.weekday()]} "
                      f"{following.day} {MONTHS_FR[following.month - 1]} {following.year}")  # fmt: skip
        evening = day
    elif form == "single":
        expression = f"dans la nuit du {_day_phrase(day, True, True, '')}"
        evening = day
    else:  # "jeudi 2 mai, dans la nuit": the small hours of that day
        expression = f"{_day_phrase(day, True, True, 'ce')}, dans la nuit"
        evening = day - timedelta(days=1)
    result = resolve(expression, reference)
    assert result.earliest < result.latest
    assert result.earliest == datetime.combine(evening, time(22), PARIS)
    assert result.latest == datetime.combine(evening + timedelta(days=1), time(5, 59, 59), PARIS)
    assert result.value == f"{evening.isoformat()}TNI"


_WEEKDAY = st.sampled_from(WEEKDAYS_FR)
# Expressions of a time wholly before the reference's day.
STRICTLY_PAST = st.one_of(
    st.builds(lambda d, m: f"le {d} {MONTHS_FR[m - 1]} dernier", st.integers(1, 28), st.integers(1, 12)),
    _WEEKDAY.map(lambda w: f"{w} dernier"),
    st.sampled_from(["hier", "avant-hier", "hier soir", "la semaine dernière", "le mois dernier", "l'an dernier"]),
    st.integers(1, 400).map(lambda n: f"il y a {n} jours"),
    st.sampled_from(sorted(NUMBERS_FR)).map(lambda n: f"il y a {NUMBERS_FR[n]} jours"),
    st.integers(1, 30).map(lambda n: f"il y a {n} semaines"),
)
# Expressions that may include the reference's day, but never begin after the reference.
NOT_AFTER = st.one_of(
    _WEEKDAY,
    _WEEKDAY.map(lambda w: f"ce {w}"),
    st.sampled_from(["aujourd'hui", "la nuit dernière", "cette semaine", "ce mois-ci", "à minuit", "dans la nuit",
                     "dans la soirée", "au petit matin", "vers 21h", "à 4 heures"]),  # fmt: skip
)


@FAST
@given(expression=STRICTLY_PAST, reference=references)
def test_past_expressions_end_before_the_references_day(expression, reference):
    result = resolve(expression, reference)
    assert result.earliest <= result.latest
    assert result.latest < datetime.combine(reference.date(), time(), PARIS)


@FAST
@given(expression=NOT_AFTER, reference=references)
def test_news_expressions_never_begin_after_the_reference(expression, reference):
    result = resolve(expression, reference)
    assert result.earliest <= result.latest
    assert result.earliest <= reference


@FAST
@given(day=calendar_days, reference=references)
def test_bare_weekday_is_the_latest_such_day_on_or_before_the_reference(day, reference):
    result = resolve(f"ce {WEEKDAYS_FR[day.weekday()]}", reference)
    resolved = result.earliest.date()
    assert resolved.weekday() == day.weekday()
    assert 0 <= (reference.date() - resolved).days <= 6
    _assert_one_whole_day(result, resolved)


FRAGMENTS = [
    "L\u2019attaque a eu lieu",
    "le 9\u00a0octobre dernier",
    "dans la nuit du samedi 20 au dimanche\u00a021 août",
    "aujourd\u2019hui",
    "l\u2019hôpital",
    "ce jeudi 2\u00a0mai, en fin de matinée",
    "depuis 2\u00a0ans",
    "à minuit",
    "cadres de nuit",
    "Ce jeudi,\u00a0dans la nuit",
    "02/05/2024 à 08:33",
    "il y a trois\u00a0jours",
    "« 150\u00a0Go »",
    "la semaine\u00a015",
    "et",
]
DATED_FRAGMENTS = {
    "le 9\u00a0octobre dernier", "dans la nuit du samedi 20 au dimanche\u00a021 août", "aujourd\u2019hui",
    "ce jeudi 2\u00a0mai, en fin de matinée", "depuis 2\u00a0ans", "à minuit", "Ce jeudi,\u00a0dans la nuit",
    "02/05/2024 à 08:33", "il y a trois\u00a0jours", "la semaine\u00a015",
}  # fmt: skip


@FAST
@given(parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8),
       glue=st.sampled_from([". ", " ; ", "\u00a0;\u00a0", ".\n", " \u2014 "]))  # fmt: skip
def test_found_offsets_index_the_original_text(parts, glue):
    text = glue.join(parts)
    found = find_expressions(text, datetime(2024, 5, 2, 8, 33, tzinfo=PARIS))
    previous_end = 0
    for item in found:
        assert text[item.start : item.end] == item.text
        assert item.start >= previous_end  # sorted, non-overlapping
        previous_end = item.end
    found_texts = {item.text for item in found}
    for part in set(parts) & DATED_FRAGMENTS:
        assert part in found_texts, (part, found_texts)
    assert "cadres de nuit" not in found_texts and "nuit" not in found_texts


# --------------------------------------------------------------------------- typed errors


@pytest.mark.parametrize("call", [
    lambda ref: resolve("hier", ref),
    lambda ref: find_expressions("publié hier", ref),
])  # fmt: skip
def test_naive_reference_raises(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2024, 5, 2, 8, 33))
    assert call(datetime(2024, 5, 2, 8, 33, tzinfo=PARIS)) is not None


ANCHOR_EXPRESSIONS = {"le lendemain": 1, "la veille": -1, "le surlendemain": 2, "deux jours plus tard": 2,
                      "trois jours après": 3, "l'avant-veille": -2, "le jour même": 0}  # fmt: skip


@FAST
@given(expression=st.sampled_from(sorted(ANCHOR_EXPRESSIONS)), anchor_day=calendar_days, reference=references,
       anchor_kind=st.sampled_from(["date", "datetime", "resolution"]))  # fmt: skip
def test_anchor_relative_expressions(expression, anchor_day, reference, anchor_kind):
    with pytest.raises(DateResolutionError, match="anchor"):
        resolve(expression, reference)
    anchor = {
        "date": anchor_day,
        "datetime": datetime.combine(anchor_day, time(23, 30), PARIS),
        "resolution": resolve(f"{anchor_day.day} {MONTHS_FR[anchor_day.month - 1]} {anchor_day.year}", reference),
    }[anchor_kind]
    result = resolve(expression, reference, anchor)
    _assert_one_whole_day(result, anchor_day + timedelta(days=ANCHOR_EXPRESSIONS[expression]))
    assert result.method == "rule:relative_anchor"


def test_unresolvable_expressions_name_themselves():
    for expression in ["depuis 2 ans", "dans un premier temps", "", "   ", "n'importe quoi"]:
        with pytest.raises(DateResolutionError) as raised:
            resolve(expression, datetime(2022, 10, 24, tzinfo=PARIS))
        assert raised.value.expression == expression
        assert repr(expression) in str(raised.value)


def test_contradiction_is_a_resolution_error():
    with pytest.raises(DateResolutionError):
        resolve("samedi 4 décembre 2022", datetime(2022, 12, 5, tzinfo=PARIS))


def test_anchors_are_checked():
    reference = datetime(2022, 12, 5, tzinfo=PARIS)
    month = resolve("octobre 2022", reference)
    with pytest.raises(DateResolutionError, match="coarser"):
        resolve("le lendemain", reference, month)
    assert resolve("hier", reference, month).value == "2022-12-04"  # unused, so not in the way
    with pytest.raises(ValueError, match="timezone-aware"):
        resolve("le lendemain", reference, datetime(2022, 12, 1))
    night = resolve("dans la nuit du samedi 3 décembre", reference)
    assert resolve("le lendemain", reference, night).value == "2022-12-04"  # a night's day is its evening


def test_dateparser_is_the_fallback():
    result = resolve("octobre 9, 2022", datetime(2022, 10, 20, tzinfo=PARIS))
    assert result.method == "dateparser"
    _assert_one_whole_day(result, date(2022, 10, 9))


def test_results_are_in_the_references_timezone():
    tokyo = ZoneInfo("Asia/Tokyo")
    result = resolve("hier soir", datetime(2024, 5, 2, 8, 33, tzinfo=tokyo))
    assert result.earliest == datetime(2024, 5, 1, 18, tzinfo=tokyo)
    assert result.earliest.utcoffset() == timedelta(hours=9)


# --------------------------------------------------------------------------- seed texts


def _seed(name: str) -> str:
    path = SOURCES / name
    if not path.exists():
        pytest.skip(f"{path} not in the project yet")
    return path.read_text(encoding="utf-8")


def test_finds_in_the_les_bluets_seed():
    text = _seed("linformaticien-2022-les-bluets.txt")
    found = {item.text: item for item in find_expressions(text, datetime(2022, 10, 24, tzinfo=PARIS))}
    expected = {"le 17 octobre": "2022-10-17", "le 9 octobre dernier": "2022-10-09", "le 20 octobre": "2022-10-20",
                "Lundi 24 octobre 2022": "2022-10-24", "depuis 2 ans": None, "en 1 jour": None}  # fmt: skip
    assert {text: (item.resolution.value if item.resolution else None) for text, item in found.items()} == expected


def test_finds_in_the_cannes_seed():
    text = _seed("nice-matin-2024-cannes.txt")
    found = find_expressions(text, datetime(2024, 5, 2, 8, 33, tzinfo=PARIS))
    values = {}
    for item in found:
        values.setdefault(item.text, item.resolution.value if item.resolution else None)
    assert values == {
        "02.05.2024": "2024-05-02",
        "à minuit": "2024-05-02T00:00",
        "02/05/2024 à 08:33": "2024-05-02T08:33",
        "02/05/2024 à 08:40": "2024-05-02T08:40",
        "cette nuit": "2024-05-01TNI",
        "Le 20 février": "2024-02-20",
        "Ce jeudi, dans la nuit": "2024-05-01TNI",
        "la semaine 15": "2024-W15",
        "dans les prochaines semaines": None,
    }
    assert [item.text for item in found].count("cette nuit") == 2
    night = next(item.resolution for item in found if item.text == "cette nuit")
    assert (night.earliest, night.latest) == (datetime(2024, 5, 1, 22, tzinfo=PARIS),
                                              datetime(2024, 5, 2, 5, 59, 59, tzinfo=PARIS))  # fmt: skip
