"""Resolve date expressions from news articles into bounded, inclusive time intervals.

``resolve("ce mardi 30 avril au soir", reference)`` gives the evening of 2024-04-30 as a
:class:`DateResolution` (earliest, latest, precision, TIMEX3-style value, and the rule that
produced it). French is covered by hand-written rules, with dateparser as a fallback; English
gets a smaller rule set and the same fallback. ``find_expressions`` locates candidate
expressions in a text for annotators.

Every convention (hours of the parts of the day, nights spanning midnight, "à minuit",
missing years, weekdays, ...) is documented in ``docs/date-conventions.md``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from dateparser.date import DateDataParser

from helpers.core.errors import ProjectError
from helpers.core.intervals import Interval
from helpers.core.suggest import did_you_mean
from helpers.raw.yamlio import LocatedDict, load_yaml
from helpers.resolution import context as dates_context

__all__ = [
    "PRECISIONS",
    "ContradictoryDateError",
    "DateContext",
    "DateResolution",
    "DateResolutionError",
    "FoundExpression",
    "find_expressions",
    "resolve",
]

PRECISIONS = ("minute", "hour", "part_of_day", "day", "week", "month", "year")  # finest first


@dataclass(frozen=True)
class DateResolution(Interval):
    """An expression resolved to an inclusive interval [earliest, latest] (second
    resolution), aware of its time zone; `method` names the rule that read it."""

    expression: str = ""

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {self.precision!r}")
        if self.earliest.tzinfo is None or self.latest.tzinfo is None:
            raise ValueError("earliest and latest must be timezone-aware")
        if self.earliest > self.latest:
            raise ValueError(f"earliest {self.earliest} is after latest {self.latest}")


class DateResolutionError(ValueError):
    """An expression that cannot be resolved to a date; names the expression."""

    def __init__(self, expression: str, reason: str) -> None:
        self.expression = expression
        self.reason = reason
        super().__init__(f"cannot resolve date expression {expression!r}: {reason}")


class ContradictoryDateError(DateResolutionError):
    """The expression contradicts itself, e.g. a weekday that does not match the date."""


@dataclass(frozen=True)
class FoundExpression:
    """A candidate date expression in a text; ``text == original_text[start:end]``.

    `resolution` reads the expression alone, as ``resolve(text, reference)`` does.
    `context_resolution` reads it in its text, as ``resolve`` with a context does: past or
    future from the tense of its sentence, and "le lendemain", "la veille" anchored on the
    last date resolved before it. `context_note` says what the context changed ("" if nothing).
    """

    start: int
    end: int
    text: str
    resolution: DateResolution | None  # None when found but not resolvable (durations, ...)
    context_resolution: DateResolution | None = None  # None when not resolvable even in context
    context_note: str = ""


@dataclass(frozen=True)
class DateContext:
    """Where an expression was written: a text and the expression's offsets in it (`text[start:end]`)."""

    text: str
    start: int
    end: int


# --------------------------------------------------------------------------- normalisation

# One output character per input character, so that offsets in the normalised text are
# offsets in the original (find_expressions relies on it).
_FOLD = str.maketrans(
    {
        **dict.fromkeys("àâäáã", "a"),
        "ç": "c",
        **dict.fromkeys("éèêë", "e"),
        **dict.fromkeys("îïí", "i"),
        **dict.fromkeys("ôöó", "o"),
        **dict.fromkeys("ùûüú", "u"),
        "ÿ": "y",
        **dict.fromkeys("\u2019\u2018\u02bc\u2032`\u00b4", "'"),
        **dict.fromkeys("\u00a0\u202f\u2009\u2007\u2002\u2003\u2005", " "),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
    }
)
# For dateparser, which wants its accents but not typographic apostrophes or odd spaces.
_PUNCT_ONLY = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u02bc\u2032`\u00b4", "'"),
        **dict.fromkeys("\u00a0\u202f\u2009\u2007\u2002\u2003\u2005", " "),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"),
    }
)


def _normalize(text: str) -> str:
    """Lower-case and fold accents, apostrophes, spaces and dashes, keeping the length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters (e.g. "İ") lower-case to two
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_FOLD)


_HYPHEN = r"(?:\s*-\s*|\s+)"


def _phrase(phrase: str, space: str = r"\s+", apostrophe: str = r"'\s*") -> str:
    """Regex for a folded phrase: any whitespace between words, hyphen or space in compounds
    (`space` and `apostrophe`: what a space and an apostrophe become)."""
    return re.escape(phrase).replace(r"\ ", space).replace(r"\-", _HYPHEN).replace("'", apostrophe)


def _canon(text: str) -> str:
    """Key for looking a matched phrase up in a table built from `_phrase` phrases."""
    return re.sub(r"\s*-\s*|\s+", " ", text).replace("' ", "'").strip()


def _choice(phrases, group: str) -> str:
    ordered = sorted(phrases, key=len, reverse=True)  # longest first: "avant-hier" before "hier"
    return f"(?P<{group}>" + "|".join(_phrase(p) for p in ordered) + r")(?![a-z0-9])"


def _table(mapping: dict) -> dict:
    return {_canon(key): value for key, value in mapping.items()}


# --------------------------------------------------------------------------- lexicons

# Modes of a part-of-day phrase.
_FREE = "free"  # alone or after a day: "dans la soirée", "au matin"
_BARE = "bare"  # only right after a day, without comma: "lundi soir"
_THIS = "this"  # demonstrative, the reference's day when alone: "ce matin"
_TONIGHT = "tonight"  # "cette nuit": see _night_start_for_tonight
_LAST_NIGHT = "last_night"  # "la nuit dernière": the night that ended on the reference's morning
_ANCHOR_SAME = "anchor_same"  # "le soir même": on the anchor's day

# name -> (TIMEX3 part of day, start hour, end hour exclusive; past 24 runs into the next day)
_PARTS_OF_DAY = {
    "night": ("NI", 22, 30),
    "early_morning": ("MO", 4, 8),
    "morning": ("MO", 6, 12),
    "morning_start": ("MO", 6, 9),
    "morning_end": ("MO", 10, 12),
    "midday": ("MI", 12, 14),
    "afternoon": ("AF", 12, 18),
    "afternoon_start": ("AF", 12, 15),
    "afternoon_end": ("AF", 16, 18),
    "evening": ("EV", 18, 24),
    "evening_start": ("EV", 18, 21),
    "evening_end": ("EV", 22, 24),
    "day": (None, 0, 24),  # "dans la journée": the whole day, day precision
}
_QUALIFIED_PART = {
    ("late", "morning"): "morning_end",
    ("late", "afternoon"): "afternoon_end",
    ("late", "evening"): "evening_end",
    ("early", "morning"): "early_morning",
    ("early", "afternoon"): "afternoon_start",
    ("early", "evening"): "evening_start",
}
_PM_PARTS = {"afternoon", "afternoon_start", "afternoon_end", "evening", "evening_start", "evening_end"}

_WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class _Lexicon:
    """Compiled patterns and word tables of one language (`_load_lexicon`); group names are shared."""

    months: dict
    weekdays: dict
    directions: dict  # "dernier" -> "last", ...
    counts: dict
    units: dict  # unit word -> minute | hour | day | week | month | year
    dates: tuple  # groups: art, wd, day, month, year, dir
    numeric_dates: tuple  # groups: art, wd, day, month (number), year
    weekday: re.Pattern  # groups: art, dirpre, wd, dir
    partial_day: re.Pattern  # groups: wd, day (inside night ranges: "du 1er au 2 mai")
    relative_days: re.Pattern  # group rel
    relative_day_offsets: dict
    anchors: re.Pattern  # group anc
    anchor_offsets: dict
    anchor_counts: re.Pattern  # groups n, unit, rel
    anchor_count_signs: dict
    parts_of_day: re.Pattern  # group pod
    part_of_day_table: dict  # phrase -> (name, mode)
    of_connector: re.Pattern  # "dans la soirée[ du ]1er mai"
    range_connector: re.Pattern  # "nuit du 1er[ au ]2 mai"
    time: re.Pattern  # groups: prep, midnight, noon, h, m, h2, m2, half, tz
    half_day_shift: dict  # "du soir" -> "pm", ...
    time_zones: dict  # label -> UTC offset in hours, None for the reference's own time
    qualifier: re.Pattern  # group q
    qualifiers: dict
    boundary: re.Pattern
    week_relative: re.Pattern  # group rel
    week_offsets: dict
    week_number: re.Pattern  # groups wn, year
    week_of: re.Pattern  # followed by a day
    month_relative: re.Pattern  # group rel
    month_offsets: dict
    month_named: re.Pattern  # groups start, mid, end, whole, month, year, dir
    year_relative: re.Pattern
    year_offsets: dict
    year_named: re.Pattern  # groups start, mid, end, whole, year
    day_list: re.Pattern  # groups items, year, dir: "les 6 et 7 mai"
    day_list_item: re.Pattern  # groups wd, day, month: one item of a day list
    ago: re.Pattern  # groups n, unit
    ahead: re.Pattern  # groups n, unit
    durations: tuple  # unresolvable, found for annotators
    suffix_night_starts_on_day: bool  # fr "jeudi, dans la nuit" = small hours; en "Monday night" = from Monday evening


_YEAR = r"(?P<year>(?:19|20)[0-9]{2})(?![0-9])"
# After a French day and month, a two-digit year ("le 10 novembre 93"), unless the number reads as a
# count or a time: "le 10 novembre 93 manifestants", "93 %", "93,5", "20 h", "20:30", "93 000".
_FUNCTION_WORDS_IN_S = "dans|sous|vers|apres|puis|alors|mais|tres|plus|moins|les|des|ses|ces|aux|pas|jamais|depuis|lors"
_TWO_DIGIT_YEAR = (
    r"[0-9]{2}(?![0-9a-z])(?![.,:][0-9])(?!\s*(?:[%\u20ac$]|h(?![a-z])|heures?(?![a-z])|[0-9]))"
    rf"(?!\s+(?!(?:{_FUNCTION_WORDS_IN_S})(?![a-z]))[a-z]+[sx](?![a-z]))"
)
_YEAR_FR = rf"(?P<year>(?:19|20)[0-9]{{2}}(?![0-9])|{_TWO_DIGIT_YEAR})"
_DAY_NUMBER = r"(?P<day>1er|1re|premier|[0-3]?[0-9])(?![0-9])"
_NUMERIC_DATES = (
    r"(?P<day>[0-3]?[0-9])(?P<sep>[/.-])(?P<month>[01]?[0-9])(?P=sep)(?P<year>[0-9]{4}|[0-9]{2})(?![0-9])",
    r"(?P<year>(?:19|20)[0-9]{2})-(?P<month>[01][0-9])-(?P<day>[0-3][0-9])(?![0-9])",
)


def _anonymous(source: str) -> str:
    """A pattern's source with its named groups made anonymous, to repeat it in one regex."""
    return re.sub(r"(?<!\\)\(\?P<\w+>", "(?:", source)


def _months_rx(months: dict, abbreviations: list) -> str:
    full = sorted((m for m in months if m not in abbreviations), key=len, reverse=True)
    abbr = sorted(abbreviations, key=len, reverse=True)
    alternatives = [re.escape(m) for m in full] + [re.escape(a) + r"\.?" for a in abbr]
    return "(?P<month>" + "|".join(alternatives) + r")(?![a-z])"


def _count_rx(counts: dict) -> str:
    words = "|".join(_phrase(c) for c in sorted(counts, key=len, reverse=True))
    return rf"(?P<n>[0-9]{{1,3}}(?![0-9])|(?:{words})(?![a-z0-9]))"


def _alternatives(phrases, **style) -> list[str]:
    """Regexes of phrases in their order (no group, no lookahead); "jour", "jours" give "jours?"."""
    given = set(phrases)
    return [_phrase(p, **style) + ("s?" if p + "s" in given else "")
            for p in phrases if not (p.endswith("s") and p[:-1] in given)]  # fmt: skip


# --------------------------------------------------------------------------- grammar

# How each language puts its words together: one regex template per pattern of `_Lexicon`. A
# `{name}` is filled from the language's lexicon file (lexicons/<language>.yaml):
# - a list of phrases (`date_articles`, ...) or of `patterns`: its alternatives, no group;
#   `(?:{name})` drops its group when the list has a single phrase (not before a quantifier);
# - a table: `{months}` (group month), `{weekdays}` (wd), `{counts}` (n), `{units}` (unit),
#   `{relative_days}` (rel), `{anchors}` (anc), `{anchor_signs}` (rel), `{parts_of_day}` (pod),
#   `{time_zones}` (tz), `{week_relative}`, `{month_relative}`, `{year_relative}` (rel); and
#   `{qualifiers}`, `{half_day}`, their phrases without a group;
# - grammar shared by all languages: `{day_number}`, `{year}`, `{year_fr}`, `{hyphen}`,
#   `{month_parts}`, `{year_parts}` (start, mid, end, whole), `{list_item}` (an anonymous
#   `day_list_item`).
_MONTH_PARTS = r"(?:(?P<start>{period_start})|(?P<mid>{period_mid})|(?P<end>{period_end})|(?P<whole>{month_whole}))"
_YEAR_PARTS = r"(?:(?P<start>{period_start})|(?P<mid>{period_mid})|(?P<end>{period_end})|(?P<whole>{year_whole}))"
_COMMON_GRAMMAR = {
    "numeric_dates": tuple(r"(?:(?P<art>{numeric_date_articles})\s+)?(?:{weekdays},?\s+)?" + p for p in _NUMERIC_DATES),
    "relative_days": "{relative_days}",
    "anchors": "{anchors}",
    "anchor_counts": r"{counts}\s+(?P<unit>{anchor_count_units})(?![a-z])\s+{anchor_signs}",
    "parts_of_day": "{parts_of_day}",
    "range_connector": r"\s+(?:{range_connectors})\s+",
    "boundary": r"(?:{boundary})(?![a-z])\s*",
    "week_relative": "{week_relative}",
    "month_relative": "{month_relative}",
    "year_relative": "{year_relative}",
}
_GRAMMARS = {
    "fr": {
        **_COMMON_GRAMMAR,
        "dates": (
            r"(?:(?P<art>{date_articles})\s+)?(?:{weekdays},?\s+)?{day_number}\s*{months}"
            r"(?:\s+{year_fr})?(?:\s+(?P<dir>{date_directions})(?![a-z]))?",
        ),
        "weekday": r"(?:(?P<art>{weekday_articles})\s+)?{weekdays}(?:\s+(?P<dir>{weekday_directions})(?![a-z]))?",
        "partial_day": r"(?:{weekdays}\s+)?{day_number}",
        "of_connector": r"\s+(?:{of_connectors})\s+|\s*d'\s*",
        "time": (
            r"(?:(?P<prep>{time_prepositions})\s+)?"
            r"(?:(?P<midnight>{midnight})(?![a-z])|(?P<noon>{noon})(?![a-z])"
            r"|(?P<h>[0-2]?[0-9])\s*(?P<unit>{hour_words})(?![a-z])(?:\s*(?P<m>[0-5][0-9])(?![0-9]))?"
            r"|(?P<h2>[0-2]?[0-9]):(?P<m2>[0-5][0-9])(?![0-9]))"
            r"(?:\s+(?P<half>{half_day})(?![a-z]))?"
            r"(?:,?\s+{time_zones})?"
        ),
        "qualifier": r"(?P<q>{qualifiers})(?![a-z])",
        "week_number": (
            r"(?:la\s+)?semaine\s+(?:n[°o]\s*|numero\s+)?(?P<wn>[0-5]?[0-9])(?![0-9])"
            r"(?:\s+(?:de\s+(?:l'\s*annee\s+)?)?{year})?"
        ),
        "week_of": r"(?:la\s+)?semaine\s+du\s+",
        "month_named": (
            r"(?:{month_parts}{hyphen}(?:(?:du|le)\s+mois\s+)?(?:de\s+|d'\s*)?)?"
            r"{months}(?:\s+{year})?(?:\s+(?P<dir>{date_directions}))?"
        ),
        "year_named": r"(?:{year_parts}{hyphen}(?:(?:de\s+)?l'\s*annee\s+)?)?{year}",
        # "les 6 et 7 mai", "les 6, 7 et 8 juin", "les samedi 8 et dimanche 9 juin", "les 30 septembre et 1er octobre"
        "day_list": (
            r"les\s+(?P<items>{list_item}(?:\s*,\s*{list_item})*\s+et\s+{list_item})"
            r"(?:\s+{year_fr})?(?:\s+(?P<dir>{day_list_directions})(?![a-z]))?"
        ),
        "day_list_item": r"(?:{weekdays}\s+)?{day_number}(?:\s+{months})?",
        "ago": r"(?:{ago_words})\s+(?:(?:{ago_approximations})\s+)?{counts}\s*{units}",
        "ahead": r"(?:{ahead_words})\s+{counts}\s*{units}",
        "durations": (
            r"(?:(?:{duration_prepositions})\s+)?(?:{counts}|{duration_quantifiers})\s+(?:{duration_units})(?![a-z])"
            r"(?:\s+(?:{duration_followers})(?![a-z]))?",
            r"(?:(?:{span_prepositions})\s+)?(?:{span_determiners})\s+(?:{span_directions})s\s+"
            r"(?:{duration_units})(?![a-z])",
        ),
    },
    "en": {
        **_COMMON_GRAMMAR,
        "dates": (
            r"(?:(?P<art>{date_articles})\s+)?(?:{weekdays},?\s+)?(?:the\s+)?{day_number}(?:{ordinal_suffixes})?"
            r"(?:\s+of)?\s+{months}(?:,?\s+{year})?",
            r"(?:(?P<art>{month_first_date_articles})\s+)?(?:{weekdays},?\s+)?{months}\s+{day_number}"
            r"(?:{ordinal_suffixes})?(?![a-z0-9])(?:,?\s+{year})?",
        ),
        "weekday": r"(?:(?P<art>{weekday_articles})\s+)?(?:(?P<dirpre>{weekday_directions})\s+)?{weekdays}",
        "partial_day": r"(?:{weekdays}\s+)?(?:the\s+)?{day_number}(?:{ordinal_suffixes})?(?![a-z0-9])",
        "of_connector": r"\s+(?:{of_connectors})\s+",
        "time": (
            r"(?:(?P<prep>{time_prepositions})\s+)?"
            r"(?:(?P<midnight>{midnight})(?![a-z])|(?P<noon>{noon})(?![a-z])"
            r"|(?P<h>[0-2]?[0-9])(?::(?P<m>[0-5][0-9]))?\s*(?P<unit>a\.?m\.?|p\.?m\.?|{hour_words})(?![a-z])"
            r"|(?P<h2>[0-2]?[0-9]):(?P<m2>[0-5][0-9])(?![0-9])(?:\s*(?P<half>am|pm)(?![a-z]))?)"
            r"(?:,?\s+\(?{time_zones}\)?)?"
        ),
        "qualifier": r"(?P<q>{qualifiers})(?:\s+(?:{qualifier_followers}))?(?![a-z])",
        "week_number": r"week\s+(?:no\.?\s*)?(?P<wn>[0-5]?[0-9])(?![0-9])(?:\s+(?:of\s+)?{year})?",
        "week_of": r"(?:the\s+)?week\s+of\s+",
        "month_named": r"(?:{month_parts}{hyphen}(?:(?:the\s+)?month\s+of\s+)?)?{months}(?:,?\s+{year})?",
        "year_named": r"(?:{year_parts}{hyphen})?{year}",
        "day_list": r"(?!)",  # no lists of days in English yet
        "day_list_item": r"(?!)",
        "ago": r"{counts}\s+{units}\s+(?:{ago_words})(?![a-z])",
        "ahead": r"(?:{ahead_words})\s+{counts}\s+{units}(?!\s+(?:ago|later|earlier))",
        "durations": (
            r"(?:(?:{duration_prepositions})\s+)?(?:{duration_quantifiers}|{counts})\s+(?:{duration_units})(?![a-z])"
            r"(?:\s+(?:{duration_followers})(?![a-z]))?",
            r"(?:(?:{span_prepositions})\s+)?(?:{span_determiners})\s+(?:{span_directions})\s+(?:few\s+)?"
            r"(?:{duration_units})(?![a-z])",
        ),
    },
}
# fr "jeudi, dans la nuit" = the small hours; en "Monday night" = from Monday evening
_SUFFIX_NIGHT_STARTS_ON_DAY = {"fr": False, "en": True}


# --------------------------------------------------------------------------- lexicon files

_UNITS = ("minute", "hour", "day", "week", "month", "year")
_MODES = (_FREE, _BARE, _THIS, _TONIGHT, _LAST_NIGHT, _ANCHOR_SAME)
_WORDS = "list of phrases"
# Every key of a lexicon file: a list of phrases, a table (phrase -> one of the values in the
# tuple, or an int), or one of the forms `_read_lexicon` checks by name.
_LEXICON_KEYS = {
    "months": "months",
    "weekdays": "weekdays",
    "date_articles": _WORDS,
    "month_first_date_articles": _WORDS,
    "numeric_date_articles": _WORDS,
    "weekday_articles": _WORDS,
    "ordinal_suffixes": _WORDS,
    "directions": ("last", "next"),
    "date_directions": _WORDS,
    "weekday_directions": _WORDS,
    "day_list_directions": _WORDS,
    "counts": int,
    "units": _UNITS,
    "relative_days": int,
    "anchors": int,
    "anchor_signs": (1, -1),
    "anchor_count_units": _WORDS,
    "parts_of_day": "parts_of_day",
    "qualifiers": ("late", "early"),
    "qualifier_followers": _WORDS,
    "of_connectors": _WORDS,
    "range_connectors": _WORDS,
    "time_prepositions": _WORDS,
    "midnight": _WORDS,
    "noon": _WORDS,
    "hour_words": _WORDS,
    "half_day": ("am", "pm", None),
    "time_zones": (int, None),
    "week_relative": int,
    "month_relative": int,
    "year_relative": int,
    "ago_words": _WORDS,
    "ago_approximations": _WORDS,
    "ahead_words": _WORDS,
    "duration_prepositions": _WORDS,
    "duration_quantifiers": _WORDS,
    "duration_units": _WORDS,
    "duration_followers": _WORDS,
    "span_prepositions": _WORDS,
    "span_determiners": _WORDS,
    "span_directions": _WORDS,
    "patterns": "patterns",
}
_PATTERN_KEYS = ("boundary", "period_start", "period_mid", "period_end", "month_whole", "year_whole")
# Tables whose phrases are tried in their order, like lists (the others are tried longest first).
_ORDERED_TABLES = ("units", "qualifiers", "half_day")
# Lists read more strictly than `_phrase` reads, as their hand-written regexes did.
_PHRASE_STYLE = {
    "half_day": {"space": " "},  # "du matin": one space
    "ahead_words": {"apostrophe": "'"},  # "d'ici", not "d' ici"
    "duration_prepositions": {"apostrophe": "'"},
}


class LexiconError(ProjectError):
    """A lexicon file that cannot be used; the message names the file and the key. Not a
    ValueError, which callers of `resolve` read as an expression it cannot resolve."""


def _read_lexicon(source) -> dict:
    """The content of a lexicon file, checked against `_LEXICON_KEYS`."""
    data, problems = load_yaml(source, str(source))  # libyaml; refuses a key given twice
    if problems:
        raise LexiconError(str(problems[0]))
    if not isinstance(data, LocatedDict):
        raise LexiconError(f"{source}: expected keys and their values, got {type(data).__name__}")

    def fail(key: str, problem: str, line: int = 0):
        line = line or data.line_of(re.split(r"[.\[]", key)[0])
        raise LexiconError(f"{source}:{line}: key {key!r}: {problem}" if line else f"{source}: key {key!r}: {problem}")

    def phrase(key: str, value, line: int = 0) -> str:
        if isinstance(value, bool):
            fail(key, f"{value} is not a phrase (YAML reads on, off, yes, no as true or false: quote it)", line)
        if not isinstance(value, str) or not value.strip():
            fail(key, f"expected a phrase, got {value!r}", line)
        if value != (folded := " ".join(_normalize(value).split())):
            fail(key, f"write {value!r} as {folded!r} (lower case, no accents, single spaces)", line)
        return value

    def phrases(key: str, value, line: int = 0) -> list:
        if not isinstance(value, list):
            fail(key, f"expected a list of phrases, got {type(value).__name__}", line)
        return [phrase(key, p, line) for p in value]

    def table(key: str, value) -> LocatedDict:
        if not isinstance(value, LocatedDict):
            fail(key, f"expected a table (phrase: value), got {type(value).__name__}")
        return value

    def in_order(key: str, value: list) -> None:
        for i, shorter in enumerate(value):
            for longer in value[i + 1 :]:
                if _canon(longer).startswith(_canon(shorter) + " "):
                    fail(key, f"put {longer!r} before {shorter!r}, which it begins with")

    def fits(value, options: tuple) -> bool:  # int: any whole number; None: null
        return not isinstance(value, bool) and any(
            value is None if o is None else isinstance(value, int) if o is int else value == o for o in options
        )

    if missing := [key for key in _LEXICON_KEYS if key not in data]:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise LexiconError(f"{source}: missing key {missing[0]!r}{more}")
    if unknown := [key for key in data if key not in _LEXICON_KEYS]:
        guess = did_you_mean(unknown[0], _LEXICON_KEYS)
        fail(unknown[0], "unknown key" + (f" (did you mean {guess!r}?)" if guess else ""))
    for key, kind in _LEXICON_KEYS.items():
        value = data[key]
        if kind in (_WORDS, "weekdays"):
            in_order(key, phrases(key, value))
            if kind == "weekdays" and len(value) != 7:
                fail(key, f"expected the 7 days, Monday first, got {len(value)}")
        elif kind == "months":
            if len(table(key, value)) != 12:
                fail(key, f"expected the 12 months in order, got {len(value)}")
            for name, abbreviations in value.items():
                phrases(f"{key}.{phrase(key, name, value.line_of(name))}", abbreviations, value.line_of(name))
        elif kind == "parts_of_day":
            if not isinstance(value, list):
                fail(key, f"expected a list of blocks (part, mode, phrases), got {type(value).__name__}")
            for i, block in enumerate(value):
                where, line = f"{key}[{i}]", getattr(block, "line", 0)
                if not isinstance(block, dict) or set(block) != {"part", "mode", "phrases"}:
                    fail(where, f"expected the keys part, mode and phrases, got {block!r}", line)
                if not isinstance(block["part"], str) or block["part"] not in _PARTS_OF_DAY:
                    fail(where, f"part {block['part']!r} is not one of {', '.join(_PARTS_OF_DAY)}", line)
                if block["mode"] not in _MODES:
                    fail(where, f"mode {block['mode']!r} is not one of {', '.join(_MODES)}", line)
                phrases(where, block["phrases"], line)
        elif kind == "patterns":
            if set(table(key, value)) != set(_PATTERN_KEYS):
                fail(key, f"expected the patterns {', '.join(_PATTERN_KEYS)}, got {', '.join(map(str, value))}")
            for name, alternatives in value.items():
                if not isinstance(alternatives, list) or not alternatives:
                    fail(f"{key}.{name}", "expected a list of regular expressions", value.line_of(name))
                for alternative in alternatives:
                    try:
                        re.compile(alternative)
                    except (re.error, TypeError) as error:
                        fail(f"{key}.{name}", f"{alternative!r} is not a regular expression: {error}",
                             value.line_of(name))  # fmt: skip
        else:  # a table of phrase -> one of the options
            options = kind if isinstance(kind, tuple) else (kind,)
            for name, target in table(key, value).items():
                if not fits(target, options):
                    expected = " or ".join("null" if o is None else "a whole number" if o is int else repr(o)
                                           for o in options)  # fmt: skip
                    fail(key, f"{name!r}: expected {expected}, got {target!r}", value.line_of(name))
                phrase(key, name, value.line_of(name))
            if key in _ORDERED_TABLES:
                in_order(key, list(value))
    return data


_PLACEHOLDER = re.compile(r"\(\?:\{([a-z_]+)\}\)(?![?*+{])|\{([a-z_]+)\}")


def _load_lexicon(language: str, path=None) -> _Lexicon:
    """The lexicon of `language`: the words of its file (lexicons/<language>.yaml, or `path`) put
    into its grammar (`_GRAMMARS`). Raises LexiconError, naming the file and the key, when the
    file is malformed or does not fit the grammar."""
    if language not in _GRAMMARS:
        raise ValueError(f"unsupported language {language!r}; expected one of {sorted(_GRAMMARS)}")
    source = Path(path) if path is not None else resources.files(__package__) / "lexicons" / f"{language}.yaml"
    words = _read_lexicon(source)
    grammar = _GRAMMARS[language]

    months, abbreviations = {}, []
    for number, (name, short) in enumerate(words["months"].items(), start=1):
        months.update(dict.fromkeys([name, *short], number))
        abbreviations += short
    parts_of_day = {p: (block["part"], block["mode"]) for block in words["parts_of_day"] for p in block["phrases"]}

    lists = {key: _alternatives(words[key], **_PHRASE_STYLE.get(key, {}))
             for key, kind in _LEXICON_KEYS.items() if kind == _WORDS}  # fmt: skip
    slots = {key: "|".join(alternatives) for key, alternatives in lists.items()}
    slots |= {key: "|".join(alternatives) for key, alternatives in words["patterns"].items()}
    slots |= {
        "months": _months_rx(months, abbreviations),
        "weekdays": "(?P<wd>" + "|".join(_alternatives(words["weekdays"])) + r")(?![a-z])",
        "counts": _count_rx(words["counts"]),
        "units": "(?P<unit>" + "|".join(_alternatives(list(words["units"]))) + r")(?![a-z])",
        "relative_days": _choice(words["relative_days"], "rel"),
        "anchors": _choice(words["anchors"], "anc"),
        "anchor_signs": _choice(words["anchor_signs"], "rel"),
        "parts_of_day": _choice(parts_of_day, "pod"),
        "time_zones": _choice(words["time_zones"], "tz"),
        "week_relative": _choice(words["week_relative"], "rel"),
        "month_relative": _choice(words["month_relative"], "rel"),
        "year_relative": _choice(words["year_relative"], "rel"),
        "qualifiers": "|".join(_alternatives(list(words["qualifiers"]))),
        "half_day": "|".join(_alternatives(list(words["half_day"]), **_PHRASE_STYLE["half_day"])),
        "day_number": _DAY_NUMBER,
        "year": _YEAR,
        "year_fr": _YEAR_FR,
        "hyphen": _HYPHEN,
    }
    used = set()

    def fill(template: str) -> str:
        def slot(match: re.Match) -> str:
            name = match.group(1) or match.group(2)
            used.add(name)
            if name in lists and not lists[name]:
                raise LexiconError(f"{source}:{words.line_of(name)}: key {name!r}: empty, but the {language!r} "
                                   "grammar uses it")
            if match.group(1) and name in lists and len(lists[name]) == 1:
                return slots[name]  # "(?:of)" is "of"
            return match.group(0).replace(f"{{{name}}}", slots[name])

        return _PLACEHOLDER.sub(slot, template)

    slots["month_parts"], slots["year_parts"] = fill(_MONTH_PARTS), fill(_YEAR_PARTS)
    slots["list_item"] = _anonymous(fill(grammar["day_list_item"]))
    patterns = {field: tuple(re.compile(fill(t)) for t in template) if isinstance(template, tuple)
                else re.compile(fill(template)) for field, template in grammar.items()}  # fmt: skip
    if unused := [key for key in lists if lists[key] and key not in used]:
        raise LexiconError(f"{source}:{words.line_of(unused[0])}: key {unused[0]!r}: the {language!r} grammar "
                           "does not use it; leave it empty ([])")
    return _Lexicon(
        months=months,
        weekdays={day: number for number, day in enumerate(words["weekdays"])},
        directions=_table(words["directions"]),
        counts=_table(words["counts"]),
        units=dict(words["units"]),
        relative_day_offsets=_table(words["relative_days"]),
        anchor_offsets=_table(words["anchors"]),
        anchor_count_signs=_table(words["anchor_signs"]),
        part_of_day_table=_table(parts_of_day),
        half_day_shift=_table(words["half_day"]),
        time_zones=_table(words["time_zones"]),
        qualifiers=dict(words["qualifiers"]),
        week_offsets=_table(words["week_relative"]),
        month_offsets=_table(words["month_relative"]),
        year_offsets=_table(words["year_relative"]),
        suffix_night_starts_on_day=_SUFFIX_NIGHT_STARTS_ON_DAY[language],
        **patterns,
    )


# --------------------------------------------------------------------------- pre-scan

# Lexicon patterns that `_parse_at` only tries after another piece, never where an expression starts.
_NEVER_FIRST = frozenset({"partial_day", "of_connector", "range_connector", "day_list_item"})


def _plain(pattern: re.Pattern) -> str:
    """The pattern's source with its named groups made anonymous, so that many can share one regex.

    A back-reference (`(?P=sep)`) becomes "anything", so the plain pattern matches wherever the
    original does (and maybe more): a superset, which is all the pre-scan needs.
    """
    if pattern.flags & ~re.UNICODE:
        raise ValueError(f"the pre-scan cannot merge flags {pattern.flags} of {pattern.pattern[:40]!r}")
    source = pattern.pattern
    if re.search(r"(?<!\\)\(\?\(", source):
        raise ValueError(f"the pre-scan cannot merge the conditional group in {source[:40]!r}")
    return _anonymous(re.sub(r"(?<!\\)\(\?P=\w+\)", "(?s:.*?)", source))


@lru_cache(maxsize=None)
def _start_candidates(language: str) -> re.Pattern:
    """Word starts where some expression may begin: where a first piece of the grammar matches.

    Built from every pattern of the lexicon (a new one is included by default), this is a
    necessary condition for `_parse_at` to find anything, checked in one C-level pass instead
    of one Python call per word; so find_expressions returns exactly what trying every word
    start returns (`_find_expressions_exhaustive`, which the tests compare it with).
    """
    lex = _lexicon(language)
    alternatives = []
    for field in fields(lex):
        value = getattr(lex, field.name)
        patterns = value if isinstance(value, tuple) else (value,)
        if field.name in _NEVER_FIRST:
            continue
        alternatives += [_plain(p) for p in patterns if isinstance(p, re.Pattern)]
    return re.compile(r"(?<![a-z0-9])(?=[a-z0-9])(?=" + "|".join(f"(?:{a})" for a in alternatives) + ")")


@cache
def _lexicon(language: str) -> _Lexicon:
    """The lexicon of `language`, loaded from its file the first time it is needed."""
    return _load_lexicon(language)


# --------------------------------------------------------------------------- syntax

@dataclass(frozen=True)
class _Day:
    kind: str  # date | numeric | weekday | relative | anchor | partial
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    direction: str | None = None  # last | next
    offset: int = 0  # days, for relative and anchor


@dataclass(frozen=True)
class _Pod:
    name: str  # key of _PARTS_OF_DAY
    mode: str


@dataclass(frozen=True)
class _Time:
    hour: int
    minute: int | None  # None: only the hour was given
    midnight: bool = False
    utc_offset: int | None = None  # hours, when a zone is named ("CEST", "UTC"); None: the reference's zone


@dataclass(frozen=True)
class _Period:
    kind: str  # week | month | year | offset | duration
    offset: int | None = None  # relative to the reference: -1 last, 0 this, +1 next (week, month, year)
    number: int | None = None  # week number or month
    year: int | None = None
    part: str | None = None  # start | mid | end
    direction: str | None = None
    day: _Day | None = None  # "la semaine du 15 avril"
    unit: str | None = None  # offset: minute | hour | day | week | month | year
    count: int | None = None  # offset, signed
    days: tuple = ()  # days: the listed days, in order; only the last has its month for sure


@dataclass
class _Syntax:
    """What one parse found; `day`, `pod`, `time` and `qualifier` combine, `period` stands alone."""

    end: int
    day: _Day | None = None
    same_day: _Day | None = None  # apposition that must name the same day: "hier, [mardi 16 avril]"
    night_from: _Day | None = None  # prefix-form night: "dans la nuit du X (au Y)"
    night_to: _Day | None = None
    pod: _Pod | None = None
    time: _Time | None = None
    qualifier: str | None = None
    period: _Period | None = None


_SEPARATOR = re.compile(r"\s*,\s*|\s+")
_WORD_START = re.compile(r"(?<![a-z0-9])[a-z0-9]")


def _group(match: re.Match, name: str) -> str | None:
    return match.groupdict().get(name) or None


def _day_number(text: str) -> int:
    return 1 if text in ("1er", "1re", "premier") else int(text)


def _month_number(lex: _Lexicon, text: str) -> int:
    return lex.months[text.rstrip(".")]


def _count(lex: _Lexicon, match: re.Match) -> int:
    text = match.group("n")
    return int(text) if text.isdigit() else lex.counts[_canon(text)]


def _year(text: str | None) -> int | None:
    """The year as written; a two-digit year stays below 100 until `_full_year` reads it."""
    if text is None:
        return None
    return int(text)


def _parse_day(lex: _Lexicon, s: str, pos: int, strict: bool) -> tuple[_Day, int] | None:
    """The longest single-day expression at pos."""
    candidates: list[tuple[_Day, int]] = []
    for pattern in lex.dates:
        if m := pattern.match(s, pos):
            wd = _group(m, "wd")
            candidates.append((
                _Day(
                    "date",
                    weekday=lex.weekdays[wd] if wd else None,
                    day=_day_number(m.group("day")),
                    month=_month_number(lex, m.group("month")),
                    year=_year(_group(m, "year")),
                    direction=lex.directions.get(_group(m, "dir") or ""),
                ),
                m.end(),
            ))
    for pattern in lex.numeric_dates:
        # In bylines ("Publié le 02/05/2024") the article belongs to the verb: not found with it.
        if (m := pattern.match(s, pos)) and not (strict and _group(m, "art")):
            wd = _group(m, "wd")
            candidates.append((
                _Day("numeric", weekday=lex.weekdays[wd] if wd else None, day=int(m.group("day")),
                     month=int(m.group("month")), year=_year(m.group("year"))),
                m.end(),
            ))  # fmt: skip
    if m := lex.weekday.match(s, pos):
        direction = _group(m, "dir") or _group(m, "dirpre")
        candidates.append((
            _Day("weekday", weekday=lex.weekdays[m.group("wd")],
                 direction=lex.directions.get(_canon(direction)) if direction else None),
            m.end(),
        ))  # fmt: skip
    if m := lex.relative_days.match(s, pos):
        candidates.append((_Day("relative", offset=lex.relative_day_offsets[_canon(m.group("rel"))]), m.end()))
    if m := lex.anchors.match(s, pos):
        candidates.append((_Day("anchor", offset=lex.anchor_offsets[_canon(m.group("anc"))]), m.end()))
    if m := lex.anchor_counts.match(s, pos):
        days = _count(lex, m) * (7 if lex.units[m.group("unit")] == "week" else 1)
        sign = lex.anchor_count_signs[_canon(m.group("rel"))]
        candidates.append((_Day("anchor", offset=sign * days), m.end()))
    return max(candidates, key=lambda c: c[1], default=None)


def _parse_range_day(lex: _Lexicon, s: str, pos: int) -> tuple[_Day, int] | None:
    """A day inside a night range, where the month may be left to the other end."""
    full = _parse_day(lex, s, pos, strict=False)
    m = lex.partial_day.match(s, pos)
    if m and (full is None or m.end() > full[1]):
        wd = _group(m, "wd")
        return _Day("partial", weekday=lex.weekdays[wd] if wd else None, day=_day_number(m.group("day"))), m.end()
    return full


def _parse_pod(lex: _Lexicon, s: str, pos: int) -> tuple[_Pod, int] | None:
    if m := lex.parts_of_day.match(s, pos):
        name, mode = lex.part_of_day_table[_canon(m.group("pod"))]
        return _Pod(name, mode), m.end()
    return None


def _parse_pod_of_day(lex: _Lexicon, s: str, pos: int) -> _Syntax | None:
    """'dans la soirée du 1er mai', 'dans la nuit du samedi 20 au dimanche 21 août'."""
    found = _parse_pod(lex, s, pos)
    if not found or found[0].mode != _FREE:
        return None
    pod, end = found
    connector = lex.of_connector.match(s, end)
    if not connector:
        return None
    if pod.name != "night":
        day = _parse_day(lex, s, connector.end(), strict=False)
        return _Syntax(end=day[1], day=day[0], pod=pod) if day else None
    first = _parse_range_day(lex, s, connector.end())
    if not first:
        return None
    second = None
    if link := lex.range_connector.match(s, first[1]):
        second = _parse_range_day(lex, s, link.end())
    if second and not (first[0].kind == "partial" and second[0].kind == "partial"):
        return _Syntax(end=second[1], night_from=first[0], night_to=second[0])
    if first[0].kind == "partial":
        return None  # "la nuit du 20" alone says nothing about the month
    return _Syntax(end=first[1], night_from=first[0])


def _parse_time(lex: _Lexicon, s: str, pos: int) -> tuple[_Time, int] | None:
    m = lex.time.match(s, pos)
    if not m:
        return None
    zone = _group(m, "tz")
    offset = lex.time_zones[_canon(zone)] if zone else None
    if m.group("midnight"):
        return _Time(0, 0, midnight=True, utc_offset=offset), m.end()
    if m.group("noon"):
        if not m.group("prep"):
            return None  # bare "midi" is the part of the day
        return _Time(12, 0, utc_offset=offset), m.end()
    hour = int(m.group("h") or m.group("h2"))
    minute = m.group("m") or m.group("m2")
    unit = _group(m, "unit") or ""
    compact = m.group("h2") is not None or unit == "h" or unit.startswith(("a", "p"))
    if not m.group("prep") and not compact:
        return None  # "2 heures" without a preposition is more likely a duration
    shift = lex.half_day_shift.get(_canon(_group(m, "half") or unit.replace(" ", "")))
    if shift == "pm" and hour < 12:
        hour += 12
    elif shift == "am" and hour == 12:
        hour = 0
    if hour == 24 and int(minute or 0) == 0:
        return _Time(0, 0, midnight=True, utc_offset=offset), m.end()  # "à 24h" is "à minuit"
    if hour > 23:
        return None
    return _Time(hour, int(minute) if minute is not None else None, utc_offset=offset), m.end()


def _parse_period(lex: _Lexicon, s: str, pos: int, strict: bool) -> tuple[_Period, int] | None:
    candidates: list[tuple[_Period, int]] = []
    if m := lex.week_relative.match(s, pos):
        candidates.append((_Period("week", offset=lex.week_offsets[_canon(m.group("rel"))]), m.end()))
    if m := lex.week_number.match(s, pos):
        candidates.append((_Period("week", number=int(m.group("wn")), year=_year(_group(m, "year"))), m.end()))
    if (m := lex.week_of.match(s, pos)) and (day := _parse_day(lex, s, m.end(), strict=False)):
        candidates.append((_Period("week", day=day[0]), day[1]))
    if m := lex.month_relative.match(s, pos):
        candidates.append((_Period("month", offset=lex.month_offsets[_canon(m.group("rel"))]), m.end()))
    if m := lex.month_named.match(s, pos):
        part = next((p for p in ("start", "mid", "end") if _group(m, p)), None)
        qualified = part or _group(m, "whole") or _group(m, "year") or _group(m, "dir")
        if qualified or not strict:  # a bare month name ("mai", "mars") is too ambiguous to be found
            candidates.append((
                _Period("month", number=_month_number(lex, m.group("month")), year=_year(_group(m, "year")),
                        part=part, direction=lex.directions.get(_group(m, "dir") or "")),
                m.end(),
            ))  # fmt: skip
    if m := lex.year_relative.match(s, pos):
        candidates.append((_Period("year", offset=lex.year_offsets[_canon(m.group("rel"))]), m.end()))
    if m := lex.year_named.match(s, pos):
        part = next((p for p in ("start", "mid", "end") if _group(m, p)), None)
        candidates.append((_Period("year", year=int(m.group("year")), part=part), m.end()))
    for pattern, sign in ((lex.ago, -1), (lex.ahead, 1)):
        if m := pattern.match(s, pos):
            count = sign * _count(lex, m)
            candidates.append((_Period("offset", unit=lex.units[m.group("unit")], count=count), m.end()))
    if m := lex.day_list.match(s, pos):
        items = tuple(
            _Day("partial", weekday=lex.weekdays[i.group("wd")] if i.group("wd") else None,
                 day=_day_number(i.group("day")),
                 month=_month_number(lex, i.group("month")) if i.group("month") else None)
            for i in lex.day_list_item.finditer(s, m.start("items"), m.end("items"))
        )  # fmt: skip
        direction = {"derniers": "last", "prochains": "next"}.get(_group(m, "dir") or "")
        candidates.append((_Period("days", year=_year(_group(m, "year")), direction=direction, days=items), m.end()))
    for pattern in lex.durations:
        if m := pattern.match(s, pos):
            candidates.append((_Period("duration"), m.end()))
    # Longest wins; on a tie, the first (a date beats a duration of the same length).
    return max(candidates, key=lambda c: c[1], default=None)


def _parse_component(lex: _Lexicon, s: str, pos: int, syntax: _Syntax, first: bool, after_comma: bool,
                     strict: bool) -> _Syntax | None:  # fmt: skip
    """The longest component at pos that fits into `syntax`, merged into a copy of it."""
    has_day = syntax.day is not None or syntax.night_from is not None
    has_pod = syntax.pod is not None or syntax.night_from is not None
    options: list[_Syntax] = []
    if not has_day and (day := _parse_day(lex, s, pos, strict)):
        options.append(_merge(syntax, end=day[1], day=day[0]))
    apposition_ok = syntax.day is not None and syntax.same_day is None and not has_pod and syntax.time is None
    if apposition_ok and (day := _parse_day(lex, s, pos, strict)) and (
        day[0].kind in ("date", "numeric")
        or (day[0].kind == "weekday" and day[0].direction is None and syntax.day.kind == "relative")
    ):  # "hier, mardi 16 avril"; "aujourd'hui mercredi", "demain mardi"
        options.append(_merge(syntax, end=day[1], same_day=day[0]))
    if not has_day and not has_pod and (of_day := _parse_pod_of_day(lex, s, pos)):
        options.append(_merge(syntax, end=of_day.end, day=of_day.day, pod=of_day.pod,
                              night_from=of_day.night_from, night_to=of_day.night_to))  # fmt: skip
    if not has_pod and (pod := _parse_pod(lex, s, pos)):
        bare_ok = syntax.day is not None and not after_comma
        if pod[0].mode != _BARE or bare_ok:
            options.append(_merge(syntax, end=pod[1], pod=pod[0]))
    if syntax.time is None and (found_time := _parse_time(lex, s, pos)):
        options.append(_merge(syntax, end=found_time[1], time=found_time[0]))
    if syntax.qualifier is None and not has_pod and (q := lex.qualifier.match(s, pos)):
        options.append(_merge(syntax, end=q.end(), qualifier=lex.qualifiers[q.group("q")]))
    if first and (period := _parse_period(lex, s, pos, strict)):
        options.append(_merge(syntax, end=period[1], period=period[0]))
    return max(options, key=lambda o: o.end, default=None)


def _merge(syntax: _Syntax, **changes) -> _Syntax:
    merged = _Syntax(**vars(syntax))
    for key, value in changes.items():
        if value is not None:
            setattr(merged, key, value)
    return merged


def _parse_at(lex: _Lexicon, s: str, pos: int, strict: bool) -> _Syntax | None:
    """The longest expression starting at pos (components joined by spaces or commas)."""
    best = _parse_components(lex, s, pos, strict, _Syntax(end=pos))
    # "avant ce mercredi 1er mai à minuit", "depuis le 9 octobre": the boundary itself is the date.
    if boundary := lex.boundary.match(s, pos):
        bounded = _parse_components(lex, s, boundary.end(), strict, _Syntax(end=boundary.end()))
        if bounded and (best is None or bounded.end > best.end):
            best = bounded
    return best


def _parse_components(lex: _Lexicon, s: str, pos: int, strict: bool, start: _Syntax) -> _Syntax | None:
    syntax = _parse_component(lex, s, pos, start, first=True, after_comma=False, strict=strict)
    if syntax is None:
        return None
    while syntax.period is None:
        separator = _SEPARATOR.match(s, syntax.end)
        if not separator:
            break
        longer = _parse_component(lex, s, separator.end(), syntax, first=False,
                                  after_comma="," in separator.group(), strict=strict)  # fmt: skip
        if longer is None:
            break
        syntax = longer
    if syntax.qualifier and not (syntax.day or syntax.pod or syntax.time or syntax.night_from):
        return None  # "tard" alone is no date
    return syntax


# --------------------------------------------------------------------------- semantics

_FUTURE_TOLERANCE = timedelta(days=183)  # a year-less date up to ~6 months ahead keeps the reference's year
_ONE_SECOND = timedelta(seconds=1)


class _Lazy:
    """A value computed on first use (the tense of a sentence, the anchor of a context), which remembers it was used."""

    __slots__ = ("_compute", "_value", "used")

    def __init__(self, compute) -> None:
        self._compute, self._value, self.used = compute, None, False

    def value(self):
        if not self.used:
            self._value, self.used = self._compute(), True
        return self._value


@dataclass(frozen=True)
class _Context:
    expression: str
    reference: datetime  # naive, local to the reference's timezone
    tz: tzinfo
    anchor: DateResolution | date | _Lazy | None  # a datetime anchor is already reduced to its local date
    suffix_night_starts_on_day: bool
    tense_of: _Lazy | None = None  # past | future | None, from the expression's sentence

    def fail(self, reason: str) -> DateResolutionError:
        return DateResolutionError(self.expression, reason)

    def tense(self) -> str | None:
        """'past', 'future' or None (no context, or a sentence that does not tell); read only when needed."""
        found = self.tense_of.value() if self.tense_of is not None else None
        return found.tense if found is not None else None

    def anchor_day(self) -> date:
        """The anchor's day; checked only when an expression needs it."""
        anchor = self.anchor.value() if isinstance(self.anchor, _Lazy) else self.anchor
        if anchor is None:
            if isinstance(self.anchor, _Lazy):
                raise self.fail("it is relative to another event, and no date before it in its context is an anchor")
            raise self.fail("it is relative to another event, and no anchor was given")
        if isinstance(anchor, DateResolution):
            if PRECISIONS.index(anchor.precision) > PRECISIONS.index("day"):
                raise self.fail(f"its anchor {anchor.expression!r} is coarser than a day")
            return anchor.earliest.astimezone(self.tz).date()
        return anchor

    def result(self, start: datetime, end_exclusive: datetime, precision: str, method: str, value: str):
        return DateResolution(
            expression=self.expression,
            earliest=start.replace(tzinfo=self.tz),
            latest=(end_exclusive - _ONE_SECOND).replace(tzinfo=self.tz),
            precision=precision,
            method=method,
            value=value,
        )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _valid_date(ctx: _Context, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ctx.fail(f"there is no day {day} in month {month} of {year}") from None


def _full_year(ctx: _Context, year: int) -> int:
    """A written year; two digits are the year of this century, unless that is more than 10 years ahead."""
    if year >= 100:
        return year
    full = 2000 + year
    return full - 100 if full > ctx.reference.year + 10 else full


_IN_TIME = {  # direction -> (step through the years, is this day the one)
    "last": (-1, lambda candidate, today: candidate < today),
    "next": (1, lambda candidate, today: candidate > today),
    "past": (-1, lambda candidate, today: candidate <= today),  # the sentence is in the past tense
    "future": (1, lambda candidate, today: candidate >= today),  # ... in the future tense
}


def _infer_year(ctx: _Context, month: int, day: int, direction: str | None) -> int:
    today = ctx.reference.date()
    direction = direction or ctx.tense()
    if direction in _IN_TIME:
        step, fits = _IN_TIME[direction]
        for year in range(today.year, today.year + 9 * step, step):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue  # 29 February
            if fits(candidate, today):
                return year
        raise ctx.fail(f"there is no day {day} in month {month}")
    candidate = _valid_date(ctx, today.year, month, day)
    return today.year - 1 if candidate > today + _FUTURE_TOLERANCE else today.year


def _check_weekday(ctx: _Context, day: date, weekday: int | None) -> None:
    if weekday is not None and day.weekday() != weekday:
        raise ContradictoryDateError(
            ctx.expression,
            f"{_WEEKDAY_NAMES_EN[weekday]} does not match {day.isoformat()}, a {_WEEKDAY_NAMES_EN[day.weekday()]}",
        )


def _resolve_day(ctx: _Context, spec: _Day) -> tuple[date, str]:
    """A day and the id of the rule that gave it."""
    today = ctx.reference.date()
    if spec.kind in ("date", "numeric"):
        year = _full_year(ctx, spec.year) if spec.year is not None else _infer_year(ctx, spec.month, spec.day,
                                                                                     spec.direction)
        if not 1 <= spec.month <= 12:
            raise ctx.fail(f"there is no month {spec.month}")
        day = _valid_date(ctx, year, spec.month, spec.day)
        _check_weekday(ctx, day, spec.weekday)
        if spec.kind == "numeric":
            return day, "rule:numeric_date"
        return day, "rule:weekday_date" if spec.weekday is not None else "rule:explicit_date"
    if spec.kind == "weekday":
        back = (today.weekday() - spec.weekday) % 7
        if spec.direction == "last":
            return today - timedelta(days=back or 7), "rule:weekday"
        if spec.direction == "next":
            return today + timedelta(days=(spec.weekday - today.weekday()) % 7 or 7), "rule:weekday"
        if ctx.tense() == "future":  # "le scrutin aura lieu dimanche": the first such day on or after
            return today + timedelta(days=(spec.weekday - today.weekday()) % 7), "rule:weekday"
        return today - timedelta(days=back), "rule:weekday"  # the reference's own weekday is that day
    if spec.kind == "relative":
        return today + timedelta(days=spec.offset), "rule:relative_day"
    if spec.kind == "anchor":
        return ctx.anchor_day() + timedelta(days=spec.offset), "rule:relative_anchor"
    raise ctx.fail("a day number without a month")


def _resolve_night_start(ctx: _Context, first: _Day, second: _Day | None) -> date:
    """Evening day on which a 'nuit du X (au Y)' begins; checks that Y is the day after X."""
    if second is None:
        return _resolve_day(ctx, first)[0]
    if first.kind == "partial":  # "du 1er au 2 mai": the month comes from the end of the night
        start = _resolve_day(ctx, second)[0] - timedelta(days=1)
        if start.day != first.day:
            raise ctx.fail("a night runs from one day to the next")
        _check_weekday(ctx, start, first.weekday)
        return start
    start = _resolve_day(ctx, first)[0]
    following = start + timedelta(days=1)
    if second.kind == "partial" or (second.kind in ("date", "numeric") and second.day is not None):
        if second.day != following.day or (second.month is not None and second.month != following.month):
            raise ctx.fail("a night runs from one day to the next")
        _check_weekday(ctx, following, second.weekday)
    elif second.kind == "weekday":
        _check_weekday(ctx, following, second.weekday)
    elif _resolve_day(ctx, second)[0] != following:
        raise ctx.fail("a night runs from one day to the next")
    return start


def _day_result(ctx: _Context, day: date, method: str) -> DateResolution:
    return ctx.result(_midnight(day), _midnight(day + timedelta(days=1)), "day", method, day.isoformat())


def _clock_result(ctx: _Context, moment: datetime, precision: str, method: str) -> DateResolution:
    """The minute or the hour that begins at `moment`."""
    if precision == "minute":
        return ctx.result(moment, moment + timedelta(minutes=1), "minute", method, moment.strftime("%Y-%m-%dT%H:%M"))
    return ctx.result(moment, moment + timedelta(hours=1), "hour", method, moment.strftime("%Y-%m-%dT%H"))


def _pod_window(name: str, day: date) -> tuple[datetime, datetime]:
    _, start_hour, end_hour = _PARTS_OF_DAY[name]
    return _midnight(day) + timedelta(hours=start_hour), _midnight(day) + timedelta(hours=end_hour)


def _pod_result(ctx: _Context, name: str, day: date, method: str):
    """`day` is the calendar day the part belongs to; for a night, the day it begins in the evening."""
    code = _PARTS_OF_DAY[name][0]
    start, end = _pod_window(name, day)
    if code is None:
        return ctx.result(start, end, "day", method, day.isoformat())
    return ctx.result(start, end, "part_of_day", method, f"{day.isoformat()}T{code}")


def _standalone_pod_day(ctx: _Context, pod: _Pod) -> date:
    """Day of a part of the day given without one ('ce soir', 'dans la nuit', 'cette nuit')."""
    today = ctx.reference.date()
    if pod.mode == _ANCHOR_SAME:
        return ctx.anchor_day()
    if pod.mode == _LAST_NIGHT:
        return today - timedelta(days=1)
    if pod.mode == _TONIGHT:  # said in the morning: the night just ended; later: the coming one
        return today - timedelta(days=1) if ctx.reference.hour < 12 else today
    if pod.mode == _THIS:
        return today
    if pod.mode == _FREE and ctx.tense() == "future":  # "des orages éclateront dans la soirée"
        _, end = _pod_window(pod.name, today)
        return today if end > ctx.reference else today + timedelta(days=1)
    # Without a demonstrative: the latest such part that had begun by the reference.
    start, _ = _pod_window(pod.name, today)
    return today if start <= ctx.reference else today - timedelta(days=1)


def _time_result(ctx: _Context, clock: _Time, day: date | None, night_start: date | None, pod_name: str | None):
    hour = clock.hour
    if pod_name in _PM_PARTS and hour < 12 and not clock.midnight:
        hour += 12  # "ce soir à 9 heures"
    if clock.midnight:
        # "à minuit" attached to a day is the midnight that ends it; alone, the last one passed.
        if night_start is not None:
            moment = _midnight(night_start + timedelta(days=1))
        elif day is not None:
            moment = _midnight(day + timedelta(days=1))
        elif ctx.tense() == "future":
            moment = _midnight(ctx.reference.date() + timedelta(days=1))
        else:
            moment = _midnight(ctx.reference.date())
    else:
        if night_start is not None:
            on = night_start if hour >= 12 else night_start + timedelta(days=1)
        elif day is not None:
            on = day
        elif ctx.tense() == "future":  # alone, in the future: the first such hour or minute not over yet
            on = ctx.reference.date()
            length = timedelta(hours=1) if clock.minute is None else timedelta(minutes=1)
            if datetime.combine(on, time(hour, clock.minute or 0)) + length <= ctx.reference:
                on += timedelta(days=1)
        else:  # alone: the latest such time on or before the reference
            on = ctx.reference.date()
            if datetime.combine(on, time(hour, clock.minute or 0)) > ctx.reference:
                on -= timedelta(days=1)
        moment = datetime.combine(on, time(hour, clock.minute or 0))
    if clock.utc_offset is not None:  # "19:30 CEST", "20h UTC": the clock of that zone, told in the reference's
        zoned = moment.replace(tzinfo=timezone(timedelta(hours=clock.utc_offset)))
        moment = zoned.astimezone(ctx.tz).replace(tzinfo=None)
    return _clock_result(ctx, moment, "hour" if clock.minute is None else "minute", "rule:clock_time")


def _interpret(ctx: _Context, syntax: _Syntax) -> DateResolution:
    if syntax.period is not None:
        return _resolve_period(ctx, syntax.period)
    pod = syntax.pod
    if pod is not None and syntax.qualifier:
        pod = _Pod(_QUALIFIED_PART.get((syntax.qualifier, pod.name), pod.name), pod.mode)

    day, method, night_start = None, None, None
    if syntax.night_from is not None:
        night_start = _resolve_night_start(ctx, syntax.night_from, syntax.night_to)
        method = "rule:night"
    elif syntax.day is not None:
        day, method = _resolve_day(ctx, syntax.day)
        if syntax.same_day is not None and syntax.same_day.kind == "weekday":
            _check_weekday(ctx, day, syntax.same_day.weekday)  # "aujourd'hui mercredi" said on a Monday
        elif syntax.same_day is not None:
            named, method = _resolve_day(ctx, syntax.same_day)
            if named != day:
                raise ContradictoryDateError(ctx.expression, f"it names two different days, {day} and {named}")
        if pod is not None and pod.name == "night":
            # French "jeudi, dans la nuit" = the small hours of Thursday; English "Monday night" = from Monday evening.
            night_start = day if ctx.suffix_night_starts_on_day else day - timedelta(days=1)
            method = "rule:part_of_day"
    elif pod is not None:
        day = _standalone_pod_day(ctx, pod)
        method = "rule:part_of_day"
        if pod.name == "night":
            night_start = day

    if syntax.time is not None:
        return _time_result(ctx, syntax.time, day, night_start, pod.name if pod else None)
    if night_start is not None:
        return _pod_result(ctx, "night", night_start, method)
    if pod is not None and day is not None:
        return _pod_result(ctx, pod.name, day, "rule:part_of_day" if pod.name != "day" else method)
    if day is not None:
        return _day_result(ctx, day, method)
    raise ctx.fail("no day, part of the day or time in it")


def _week_result(ctx: _Context, iso_year: int, week: int, method: str = "rule:week"):
    try:
        monday = date.fromisocalendar(iso_year, week, 1)
    except ValueError:
        raise ctx.fail(f"there is no ISO week {week} in {iso_year}") from None
    return ctx.result(_midnight(monday), _midnight(monday + timedelta(days=7)), "week", method,
                      f"{iso_year}-W{week:02d}")  # fmt: skip


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _month_result(ctx: _Context, year: int, month: int, part: str | None = None, method: str = "rule:month"):
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = {None: (1, last), "start": (1, 10), "mid": (11, 20), "end": (21, last)}[part]
    start, end = date(year, month, first_day), date(year, month, last_day) + timedelta(days=1)
    return ctx.result(_midnight(start), _midnight(end), "month", method, f"{year:04d}-{month:02d}")


def _year_result(ctx: _Context, year: int, part: str | None = None, method: str = "rule:year"):
    first_month, last_month = {None: (1, 12), "start": (1, 4), "mid": (5, 8), "end": (9, 12)}[part]
    return ctx.result(_midnight(date(year, first_month, 1)), _midnight(date(*_add_months(year, last_month, 1), 1)),
                      "year", method, f"{year:04d}")  # fmt: skip


def _day_list_result(ctx: _Context, period: _Period) -> DateResolution:
    """'les 6 et 7 mai': from the first day's start to the last day's end, dated by the first day.

    The last day carries the month (and year); the year is found for it as for a single date,
    and each earlier day takes the month and year of the day after it unless it names its own
    ("les 31 décembre et 1er janvier").
    """
    last = period.days[-1]
    year = _full_year(ctx, period.year) if period.year is not None else \
        _infer_year(ctx, last.month, last.day, period.direction)
    days = [_valid_date(ctx, year, last.month, last.day)]
    for item in reversed(period.days[:-1]):
        following = days[0]
        month = item.month or following.month
        candidate = _valid_date(ctx, following.year, month, item.day)
        if candidate >= following:
            if item.month is None or month <= following.month:
                raise ctx.fail("the days it lists are not in order")
            candidate = _valid_date(ctx, following.year - 1, month, item.day)
        days.insert(0, candidate)
    for item, day in zip(period.days, days):
        _check_weekday(ctx, day, item.weekday)
    return ctx.result(_midnight(days[0]), _midnight(days[-1] + timedelta(days=1)), "day", "rule:day_list",
                      days[0].isoformat())  # fmt: skip


def _resolve_period(ctx: _Context, period: _Period) -> DateResolution:
    today = ctx.reference.date()
    if period.kind == "duration":
        raise ctx.fail("it is a duration or a vague span, not a date")
    if period.kind == "days":
        return _day_list_result(ctx, period)
    if period.kind == "week":
        if period.day is not None:
            day = _resolve_day(ctx, period.day)[0]
            return _week_result(ctx, *day.isocalendar()[:2])
        if period.number is not None:
            year = period.year if period.year is not None else today.isocalendar()[0]
            return _week_result(ctx, year, period.number)
        return _week_result(ctx, *(today + timedelta(weeks=period.offset)).isocalendar()[:2])
    if period.kind == "month":
        if period.offset is not None:
            return _month_result(ctx, *_add_months(today.year, today.month, period.offset))
        month, year = period.number, period.year
        if year is None:
            this_month = (today.year, today.month)
            if period.direction == "last":
                year = today.year if (today.year, month) < this_month else today.year - 1
            elif period.direction == "next":
                year = today.year if (today.year, month) > this_month else today.year + 1
            elif ctx.tense() == "past":  # "les prix avaient flambé en août"
                year = today.year if (today.year, month) <= this_month else today.year - 1
            elif ctx.tense() == "future":  # "les soldes débuteront fin juin"
                year = today.year if (today.year, month) >= this_month else today.year + 1
            else:
                year = today.year - 1 if date(today.year, month, 1) > today + _FUTURE_TOLERANCE else today.year
        method = "rule:month_part" if period.part else "rule:month"
        return _month_result(ctx, year, month, period.part, method)
    if period.kind == "year":
        if period.offset is not None:
            return _year_result(ctx, today.year + period.offset)
        return _year_result(ctx, period.year, period.part, "rule:year_part" if period.part else "rule:year")
    # Offsets from the reference: "il y a 3 jours", "dans deux semaines".
    method, count, unit = "rule:relative_offset", period.count, period.unit
    if unit in ("minute", "hour"):
        moment = ctx.reference + (timedelta(minutes=count) if unit == "minute" else timedelta(hours=count))
        moment = moment.replace(second=0, microsecond=0) if unit == "minute" else moment.replace(minute=0, second=0)
        return _clock_result(ctx, moment.replace(microsecond=0), unit, method)
    if unit == "day":
        day = today + timedelta(days=count)
        return _day_result(ctx, day, method)
    if unit == "week":
        return _week_result(ctx, *(today + timedelta(weeks=count)).isocalendar()[:2], method=method)
    if unit == "month":
        return _month_result(ctx, *_add_months(today.year, today.month, count), method=method)
    return _year_result(ctx, today.year + count, method=method)


# --------------------------------------------------------------------------- dateparser fallback

@lru_cache(maxsize=256)
def _dateparser(language: str, relative_base: datetime) -> DateDataParser:
    return DateDataParser(
        languages=[language],
        settings={
            "DATE_ORDER": "DMY",
            "RELATIVE_BASE": relative_base,
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "RETURN_TIME_AS_PERIOD": True,  # so that a time of day is told apart from a bare day
        },
    )


def _resolve_with_dateparser(ctx: _Context, language: str) -> DateResolution:
    text = ctx.expression.translate(_PUNCT_ONLY).strip()
    try:
        data = _dateparser(language, ctx.reference).get_date_data(text)
    except (ValueError, OverflowError) as error:  # e.g. "9999": dateparser computes year 10000
        raise ctx.fail(f"dateparser fails on it ({error})") from error
    moment, period = data.date_obj, data.period
    if moment is None:
        raise ctx.fail("no rule matches it and dateparser cannot read it")
    if abs(moment.year - ctx.reference.year) > 1 and (str(moment.year) not in text or not 1900 <= moment.year < 2100):
        # dateparser reads stray numbers as years ("à 24h" -> 1924); a year that far off must be written.
        raise ctx.fail(f"dateparser reads it as {moment:%Y-%m-%d}, an implausible year")
    method = "dateparser"
    if period == "time":
        return _clock_result(ctx, moment.replace(second=0, microsecond=0), "minute", method)
    if period == "part_of_day" and getattr(data, "part_of_day", None) is not None:
        name = str(data.part_of_day.value)  # morning, afternoon, evening or night: names shared with ours
        name = name if name in _PARTS_OF_DAY else "day"
        day = moment.date()
        if name == "night" and moment.hour < 12:
            day -= timedelta(days=1)
        return _pod_result(ctx, name, day, method)
    if period == "week":
        return _week_result(ctx, *moment.isocalendar()[:2], method=method)
    if period == "month":
        return _month_result(ctx, moment.year, moment.month, method=method)
    if period == "year":
        return _year_result(ctx, moment.year, method=method)
    day = moment.date()
    return _day_result(ctx, day, method)


# --------------------------------------------------------------------------- public functions

def _local_reference(reference: datetime) -> tuple[datetime, tzinfo]:
    if not isinstance(reference, datetime) or reference.tzinfo is None or reference.utcoffset() is None:
        raise ValueError(f"reference must be a timezone-aware datetime, got {reference!r}")
    return reference.replace(tzinfo=None), reference.tzinfo


def _checked_anchor(anchor, tz: tzinfo) -> DateResolution | date | None:
    """Refuse wrong anchors at once (programming errors); a coarse DateResolution only when used."""
    if anchor is None or isinstance(anchor, DateResolution):
        return anchor
    if isinstance(anchor, datetime):
        if anchor.tzinfo is None or anchor.utcoffset() is None:
            raise ValueError(f"anchor must be timezone-aware, got {anchor!r}")
        return anchor.astimezone(tz).date()
    if isinstance(anchor, date):
        return anchor
    raise TypeError(f"anchor must be a DateResolution, datetime, date or None, not {type(anchor).__name__}")


_TRIM = " \t\r\n.,;:!?()[]«»\"'"


def resolve(
    expression: str,
    reference: datetime,
    anchor: DateResolution | datetime | date | None = None,
    context: DateContext | str | None = None,
    *,
    language: str = "fr",
) -> DateResolution:
    """Resolve one date expression, as written in a source published at `reference`.

    `anchor` is the date of another event, for "le lendemain", "la veille", "deux jours plus
    tard". `context` is where the expression was written: a :class:`DateContext` (a text and the
    expression's offsets in it), or a string holding the expression (its sentence; the first
    occurrence is taken). With a context, the tense of the expression's sentence chooses past or
    future for a weekday, a day and month without a year, a month, a part of the day or a time
    given alone (French only), and, without `anchor`, the last date resolved before the
    expression in the context is its anchor. Without a context, nothing changes.

    Raises DateResolutionError (ContradictoryDateError for a weekday that contradicts the date),
    and ValueError for a naive reference or a context that does not hold the expression.
    """
    local_reference, tz = _local_reference(reference)
    lex = _lexicon(language)
    checked_anchor, tense_of = _checked_anchor(anchor, tz), None
    if context is not None and _normalize(expression).strip(_TRIM):
        where = _locate(expression, context)
        tense_of = _Lazy(lambda: _tense_at(where.text, where.start, where.end, language))
        if checked_anchor is None:
            checked_anchor = _Lazy(lambda: _date_before(where.text, where.start, reference, language))
    ctx = _Context(expression, local_reference, tz, checked_anchor, lex.suffix_night_starts_on_day, tense_of)
    text = _normalize(expression).strip(_TRIM)
    if not text:
        raise ctx.fail("it is empty")
    syntax = _parse_at(lex, text, 0, strict=False)
    if syntax is None or syntax.end != len(text):
        return _resolve_with_dateparser(ctx, language)
    return _interpret(ctx, syntax)


def _locate(expression: str, context: DateContext | str | tuple) -> DateContext:
    """The context as a text with the expression's offsets; ValueError if it does not hold the expression."""
    wanted = _normalize(expression).strip(_TRIM)
    if isinstance(context, tuple):
        context = DateContext(*context)
    if isinstance(context, DateContext):
        if not 0 <= context.start <= context.end <= len(context.text) or \
                _normalize(context.text[context.start : context.end]).strip(_TRIM) != wanted:
            raise ValueError(f"the context's text[{context.start}:{context.end}] is not {expression!r}")
        return context
    if not isinstance(context, str):
        raise TypeError(f"context must be a DateContext or a string, not {type(context).__name__}")
    at = _normalize(context).find(wanted) if wanted else -1
    if at < 0:
        raise ValueError(f"the context does not contain {expression!r}")
    return DateContext(context, at, at + len(wanted))


def _tense_at(text: str, start: int, end: int, language: str, ends=None) -> dates_context.Tense | None:
    """The tense governing text[start:end], read in its sentence (French only)."""
    if language != "fr":
        return None
    first, last = dates_context.sentence_bounds(text, start, end, ends)
    return dates_context.governing_tense(text[first:last], start - first, end - first)


def _date_before(text: str, start: int, reference: datetime, language: str) -> DateResolution | None:
    """The last date resolved (in context) in `text` that ends before `start`: the anchor there."""
    for found in reversed(_scan_cached(text, reference, language)):
        if found.end <= start and found.context_resolution is not None:
            return found.context_resolution
    return None


@lru_cache(maxsize=16)
def _scan_cached(text: str, reference: datetime, language: str) -> tuple[FoundExpression, ...]:
    return tuple(find_expressions(text, reference, language=language))


def find_expressions(text: str, reference: datetime, *, language: str = "fr") -> list[FoundExpression]:
    """Date expressions in `text`, leftmost-longest and non-overlapping, with offsets into `text`.

    Each comes with its resolution alone and its resolution in context (tense of its sentence,
    and the last date resolved before it as the anchor of "le lendemain", "la veille"...).
    Durations ("depuis 2 ans") are found with resolution None, and anchor-relative expressions
    with resolution None (but a context resolution), so that an annotator sees them.
    """
    return _scan(text, reference, language, _start_candidates(language).finditer)


def find_expression_spans(text: str, *, language: str = "fr") -> list[tuple[int, int]]:
    """Where :func:`find_expressions` finds expressions, without reading them: the same
    leftmost-longest scan (an expression is found by its grammar alone), for the build's check
    that every expression of a stored text is accounted for."""
    lex = _lexicon(language)
    normalized = _normalize(text)
    spans, position = [], 0
    for word in _start_candidates(language).finditer(normalized):
        start = word.start()
        if start < position:
            continue
        syntax = _parse_at(lex, normalized, start, strict=True)
        if syntax is not None:
            spans.append((start, syntax.end))
            position = syntax.end
    return spans


def _find_expressions_exhaustive(text: str, reference: datetime, *, language: str = "fr") -> list[FoundExpression]:
    """find_expressions trying the grammar at every word start: the reference the pre-scan is tested against."""
    return _scan(text, reference, language, _WORD_START.finditer)


def _scan(text: str, reference: datetime, language: str, candidates) -> list[FoundExpression]:
    """Leftmost-longest scan, trying `_parse_at` at each position `candidates(normalized)` yields."""
    local_reference, tz = _local_reference(reference)
    lex = _lexicon(language)
    normalized = _normalize(text)
    ends = _Lazy(lambda: dates_context.sentence_ends(text))
    found: list[FoundExpression] = []
    position, previous = 0, None
    for word in candidates(normalized):
        start = word.start()
        if start < position:
            continue
        syntax = _parse_at(lex, normalized, start, strict=True)
        if syntax is None:
            continue
        span = text[start : syntax.end]
        ctx = _Context(span, local_reference, tz, None, lex.suffix_night_starts_on_day)
        try:
            resolution = _interpret(ctx, syntax)
        except DateResolutionError:
            resolution = None
        # The same expression read in its text.
        anchor = _Lazy(lambda previous=previous: previous)
        tense_of = _Lazy(lambda start=start, end=syntax.end: _tense_at(text, start, end, language, ends.value()))
        in_context = _Context(span, local_reference, tz, anchor, lex.suffix_night_starts_on_day, tense_of)
        try:
            context_resolution = _interpret(in_context, syntax)
        except DateResolutionError:
            context_resolution = None
        found.append(FoundExpression(start, syntax.end, span, resolution, context_resolution,
                                     _context_note(tense_of, anchor)))  # fmt: skip
        if context_resolution is not None:
            previous = context_resolution
        position = syntax.end
    return found


def _context_note(tense_of: _Lazy, anchor: _Lazy) -> str:
    """What reading an expression in its text used: the tense that decided, the date it counts from."""
    notes = []
    if tense_of.used and (tense := tense_of.value()) is not None:
        notes.append(f"{tense.tense} tense ({tense.cue!r})")
    if anchor.used and (previous := anchor.value()) is not None:
        notes.append(f"counted from {previous.expression!r} ({previous.value})")
    return "; ".join(notes)
