"""Compare helpers.dates with plain dateparser on the expression table and the seed texts.

Run: python bench/bench_dates.py
Prints accuracy and median time per call; asserts nothing (timings vary by machine).
"""

import csv
import statistics
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dateparser
from dateparser.search import search_dates

from helpers.dates import DateResolutionError, _find_expressions_exhaustive, find_expressions, resolve

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "data" / "date_expressions.csv"
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
        print(f"{name:<38} {'find_expressions':<28} {len(found):>6} {mine:>15.0f}")
        print(f"{'':<38} {'  every word start (before)':<28} {len(found):>6} {exhaustive:>15.0f}")
        print(f"{'':<38} {'dateparser search_dates':<28} {len(searched):>6} {theirs:>15.0f}")
        print(f"{'':<38}   found:  {[item.text for item in found]}")
        print(f"{'':<38}   search: {[match for match, _ in searched]}")


if __name__ == "__main__":
    dateparser.parse("1 janvier 2020", languages=["fr"])  # load dateparser's data before timing
    bench_table()
    bench_seeds()
