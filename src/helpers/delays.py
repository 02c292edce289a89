"""Delay metrics between the stages of an attack, by interval arithmetic over date bounds.

Every source row carries bounds [earliest, latest] (latest inclusive). A delay is reported as
the range of values compatible with *all* sources (min, max) plus a best estimate:

* ``min_days`` = min(earliest of the "to" rows) - max(latest of the "from" rows): the
  smallest value over every combination of sources;
* ``max_days`` = max(latest of "to") - min(earliest of "from"): the largest;
* ``best_days`` = best(to) - best(from), see :func:`best_date`.

Conventions (shared with :mod:`helpers.timeline`):

* Undated rows (precision ``undated``, bounds such as attack..publication) are used only when
  no source dates the event: they say less than any dated row and would otherwise swamp the
  range.
* When a case has several real-world events of one type (several ``event_key``), the first one
  (earliest best date) is used; an ultimatum and its deadline always come from the same
  ultimatum, the first that has a deadline.
* Days are floats rounded to 2 decimals (about 15 minutes; round-half-even). The one-second
  gap of inclusive ends (23:59:59) does not show at that resolution.
* A missing end gives a row with NaN days and 0 sources, so that every case has all rows.
* Naive local wall-clock arithmetic: a DST change inside a delay shifts it by up to one hour.
"""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

DAY = pd.Timedelta(days=1)

# (delay name, from endpoint, to endpoint), in the order of the table.
DELAYS: tuple[tuple[str, str, str], ...] = (
    ("attack_to_disclosure", "attack", "disclosure"),
    ("attack_to_claim", "attack", "claim"),
    ("claim_to_leak", "claim", "leak"),
    ("ultimatum_to_deadline", "ultimatum", "deadline"),
    ("deadline_to_leak", "deadline", "leak"),
    ("attack_to_leak", "attack", "leak"),
)

# endpoint -> (event type whose rows carry it, column prefix of its bounds)
ENDPOINTS: dict[str, tuple[str, str]] = {
    "attack": ("attack", "date"),
    "disclosure": ("disclosure", "date"),
    "claim": ("claim", "date"),
    "ultimatum": ("ultimatum", "date"),
    "deadline": ("ultimatum", "deadline"),
    "leak": ("leak", "date"),
}

COLUMNS = ["case_id", "delay", "from_event", "to_event", "min_days", "max_days",
           "best_days", "n_sources_from", "n_sources_to"]


class Span(NamedTuple):
    """One source row's bounds for one date (the event's or its deadline)."""

    earliest: pd.Timestamp
    latest: pd.Timestamp
    precision: str | None
    source_id: str


def informative(spans: list[Span]) -> list[Span]:
    """Spans with bounds; undated ones only when no span is dated."""
    spans = [s for s in spans if not (pd.isna(s.earliest) or pd.isna(s.latest))]
    dated = [s for s in spans if not pd.isna(s.precision) and s.precision != "undated"]
    return dated or spans


def midpoint(earliest, latest):
    """Midpoint of [earliest, latest]; works on Timestamps and Series."""
    return earliest + (latest - earliest) / 2


def best_of(spans: list[Span]) -> pd.Timestamp:
    """Best single date for one real-world event reported by several sources.

    The midpoint of the intersection of the sources' bounds when they all overlap (every
    source is right); otherwise the earliest of the sources' midpoints: reports lag events,
    so the earliest report is the likeliest. NaT without spans.
    """
    if not spans:
        return pd.NaT
    lo, hi = max(s.earliest for s in spans), min(s.latest for s in spans)
    if lo <= hi:
        return midpoint(lo, hi)
    return min(midpoint(s.earliest, s.latest) for s in spans)


def best_date(earliest: pd.Series, latest: pd.Series) -> pd.Timestamp:
    """:func:`best_of` for two aligned Series of bounds (NaT pairs ignored)."""
    return best_of(informative([Span(lo, hi, "day", "") for lo, hi in zip(earliest, latest)]))


class Endpoint(NamedTuple):
    """The spans that date one end of a delay, and what they say together."""

    event_key: str | None
    spans: list[Span]
    best: pd.Timestamp

    @property
    def n_sources(self) -> int:
        return len({s.source_id for s in self.spans})


EMPTY_ENDPOINT = Endpoint(None, [], pd.NaT)

# Per case: endpoint -> event_key -> informative spans.
CaseSpans = dict[str, dict[str, list[Span]]]


def case_spans(case_events: pd.DataFrame) -> dict[str, CaseSpans]:
    """Spans of every endpoint, by case and event_key, in one pass over the rows."""
    raw: dict[str, dict[str, dict[str, list[Span]]]] = {}
    wanted = {t for t, _ in ENDPOINTS.values()}
    frame = case_events[case_events["event_type"].astype("object").isin(wanted)]
    has_deadline = "deadline_earliest" in frame
    for row in frame.itertuples(index=False):
        per_case = raw.setdefault(str(row.case_id), {})
        key = str(row.event_key)
        for endpoint, (event_type, prefix) in ENDPOINTS.items():
            if row.event_type != event_type or (prefix == "deadline" and not has_deadline):
                continue
            span = Span(getattr(row, f"{prefix}_earliest"), getattr(row, f"{prefix}_latest"),
                        getattr(row, f"{prefix}_precision"), str(row.source_id))
            per_case.setdefault(endpoint, {}).setdefault(key, []).append(span)
    return {case: {endpoint: {k: v for k, spans in keys.items() if (v := informative(spans))}
                   for endpoint, keys in endpoints.items()}
            for case, endpoints in raw.items()}


def _endpoint(spans: CaseSpans, endpoint: str, key: str | None = None) -> Endpoint:
    """The first real-world event (earliest best date) serving as endpoint, or `key`'s."""
    candidates = spans.get(endpoint, {})
    if key is not None:
        candidates = {k: v for k, v in candidates.items() if k == key}
    if not candidates:
        return EMPTY_ENDPOINT
    bests = {k: best_of(v) for k, v in candidates.items()}
    first = min(bests, key=lambda k: (bests[k], k))
    return Endpoint(first, candidates[first], bests[first])


def _days(delta) -> float:
    if pd.isna(delta):
        return float("nan")
    return round(delta / DAY, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def case_delays(spans: CaseSpans, case_id: str) -> list[dict]:
    """The rows of :func:`delay_table` for one case."""
    rows = []
    for name, start, end in DELAYS:
        if (start, end) == ("ultimatum", "deadline"):
            # Both ends must describe the same ultimatum.
            to = _endpoint(spans, end)
            frm = _endpoint(spans, start, to.event_key) if to.event_key else EMPTY_ENDPOINT
        else:
            frm, to = _endpoint(spans, start), _endpoint(spans, end)
        if frm.spans and to.spans:
            low = min(s.earliest for s in to.spans) - max(s.latest for s in frm.spans)
            high = max(s.latest for s in to.spans) - min(s.earliest for s in frm.spans)
            best = to.best - frm.best
        else:
            low = high = best = pd.NaT
        rows.append({
            "case_id": case_id, "delay": name, "from_event": start, "to_event": end,
            "min_days": _days(low), "max_days": _days(high), "best_days": _days(best),
            "n_sources_from": frm.n_sources, "n_sources_to": to.n_sources,
        })
    return rows


def delay_table(events: pd.DataFrame, cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Delays between attack stages, one row per case and delay (see the module docstring).

    Cases come from `cases` (its order) when given, else from the events' case ids (sorted).
    Police actions and other context rows are ignored.
    """
    case_col = events["case_id"].astype("object")
    if cases is not None:
        case_ids = [str(c) for c in cases["case_id"]]
    else:
        case_ids = sorted({str(c) for c in case_col.dropna()})
    own = events[case_col.notna()]
    if "is_context" in own:
        own = own[~own["is_context"].fillna(False).astype(bool)]
    spans = case_spans(own)
    rows = []
    for case_id in case_ids:
        rows += case_delays(spans.get(case_id, {}), case_id)
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"n_sources_from": "int64", "n_sources_to": "int64",
                         "min_days": "float64", "max_days": "float64",
                         "best_days": "float64"})
