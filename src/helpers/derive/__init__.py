"""The derived timeline, computed once from the built event rows (``python -m helpers derive``
redoes it alone; the build runs it).

Three tables, written to data/processed beside the event rows they come from, and read by
every figure, table and notebook (none of them recomputes a best date, a stage or a delay):

* ``case_timeline``: one row per real-world event of a case (``event_key``) across the
  sources that report it, with its best date (:func:`combine`);
* ``case_stages``: for each case and each stage of an attack (:data:`helpers.core.vocab.STAGES`),
  the real-world event that stands for it, and why;
* ``delays``: whole days between stages, with the range the sources allow, and a flag with
  its reason where a delay is not measured, negative, or rests on imprecise dates.

Rules (the codebook repeats them):

* Only dated reports say when an event happened; undated ones (bounds only) are kept apart.
* Dated sources *agree* when their intervals share a moment: the event's interval is what
  they share, and its best date is the middle of it. Otherwise the event is *disputed*: its
  interval spans all of them and its best date is the lower median of their midpoints; a
  source whose interval holds another's ("en mars" beside "le 9 mars à 20h33") is left out
  of a dispute, since the finer source says all it says.
* A stage is the earliest dated real-world event of its type (by best date). An undated event
  never stands for a stage while a dated one exists; when only undated ones exist, the stage
  is reported but not dated and no delay is measured to it. An annotator may name the event
  of a stage in ``cases.yaml`` (``stages``), with a reason.
* Delays count calendar days in the case's local time: best date to best date, and from the
  latest possible start to the earliest possible end (``min_days``) or the reverse
  (``max_days``). Day 0 of the aligned view is the attack stage's best date.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from helpers.core.errors import DatasetError, Problem
from helpers.core.intervals import DAY_OR_FINER, PRECISION_RANK, Interval
from helpers.core.labels import is_missing, span_label
from helpers.core.schema import bounds_columns
from helpers.core.vocab import STAGE_EVENT_TYPES, STAGES

# (delay, from stage, to stage), in the order of the table.
DELAYS: tuple[tuple[str, str, str], ...] = (
    ("intrusion_to_attack", "intrusion", "attack"),
    ("attack_to_disclosure", "attack", "disclosure"),
    ("attack_to_crisis_plan", "attack", "crisis_plan"),
    ("attack_to_claim", "attack", "claim"),
    ("claim_to_leak", "claim", "leak"),
    ("ultimatum_to_deadline", "ultimatum", "deadline"),
    ("deadline_to_leak", "deadline", "leak"),
    ("attack_to_leak", "attack", "leak"),
    ("attack_to_first_recovery", "attack", "first_recovery"),
    ("attack_to_return_to_normal", "attack", "return_to_normal"),
)


# --- one real-world event across its sources ----------------------------------------------

@dataclass(frozen=True)
class Combined:
    """What the sources together say of one date."""

    earliest: pd.Timestamp
    latest: pd.Timestamp
    best: pd.Timestamp | None     # None when no source dates it
    precision: str                # of the best date; "undated" when no source dates it
    n_dated: int
    is_disputed: bool
    spread_days: float | None     # between the earliest and the latest dated midpoint

    @property
    def is_dated(self) -> bool:
        return self.best is not None


def combine(intervals: list[Interval]) -> Combined:
    """The one best-date rule (see the module docstring); `intervals` must not be empty."""
    dated = [i for i in intervals if i.precision != "undated"]
    basis = dated or intervals
    shared_lo, shared_hi = max(i.earliest for i in basis), min(i.latest for i in basis)
    agree = shared_lo <= shared_hi
    lo, hi = ((shared_lo, shared_hi) if agree
              else (min(i.earliest for i in basis), max(i.latest for i in basis)))
    if not dated:
        return Combined(lo, hi, None, "undated", 0, False, None)
    # A source whose interval holds another's ("en mars" beside "le 9 mars à 20h33") says
    # nothing the finer one does not: it never widens a dispute nor moves its best date.
    refined = [i for i in dated if not any(i.holds(j) for j in dated)]
    if agree:
        best = Interval(shared_lo, shared_hi, "").mid
        precision = min((i.precision for i in dated), key=PRECISION_RANK.__getitem__)
    else:
        lo, hi = min(i.earliest for i in refined), max(i.latest for i in refined)
        ranked = sorted(refined, key=lambda i: (i.mid, PRECISION_RANK[i.precision]))
        chosen = ranked[(len(ranked) - 1) // 2]
        best, precision = chosen.mid, chosen.precision
    mids = [i.mid for i in refined]
    spread = round((max(mids) - min(mids)) / pd.Timedelta(days=1), 2)
    return Combined(lo, hi, best, precision, len(dated), not agree, spread)


def _intervals(rows: list[dict], kind: str) -> list[Interval]:
    return [i for i in (Interval.from_row(row, kind) for row in rows) if i is not None]




# --- case timeline ------------------------------------------------------------------------

TIMELINE_COLUMNS = [
    "case_id", "event_key", "event_type", "is_context", "group_id", "n_sources",
    "n_dated_sources", "best_date", "best_datetime",
    "earliest_datetime", "latest_datetime", "date_precision", "spread_days", "is_disputed",
    "deadline_best_date", "deadline_best_datetime", "deadline_earliest_datetime", "deadline_latest_datetime",
    "deadline_precision", "is_deadline_disputed", "n_deadline_sources", "min_data_volume_gb",
    "max_data_volume_gb",
]


def _timeline_row(case_id: str, key: str, rows: list[dict], group_id: str | None) -> dict:
    date = combine(_intervals(rows, "date"))
    deadlines = _intervals(rows, "deadline")
    deadline = combine(deadlines) if deadlines else None
    volumes = [float(r["data_volume_gb"]) for r in rows if not is_missing(r.get("data_volume_gb"))]
    sources = {str(r["source_id"]) for r in rows}
    dated_sources = {str(r["source_id"]) for r in rows
                     if not is_missing(r.get("date_precision")) and r["date_precision"] != "undated"}
    return {
        "case_id": case_id,
        "event_key": key,
        "event_type": str(rows[0]["event_type"]),
        "is_context": group_id is not None,
        "group_id": group_id,
        "n_sources": len(sources),
        "n_dated_sources": len(dated_sources),
        "best_date": date.best.normalize() if date.best is not None else None,
        "best_datetime": date.best,
        "earliest_datetime": date.earliest,
        "latest_datetime": date.latest,
        "date_precision": date.precision,
        "spread_days": date.spread_days,
        "is_disputed": date.is_disputed,
        "deadline_best_date": deadline.best.normalize() if deadline else None,
        "deadline_best_datetime": deadline.best if deadline else None,
        "deadline_earliest_datetime": deadline.earliest if deadline else None,
        "deadline_latest_datetime": deadline.latest if deadline else None,
        "deadline_precision": deadline.precision if deadline else None,
        "is_deadline_disputed": deadline.is_disputed if deadline else None,
        "n_deadline_sources": len({str(r["source_id"]) for r in rows
                                   if not is_missing(r.get("deadline_earliest_datetime"))}),
        "min_data_volume_gb": min(volumes) if volumes else None,
        "max_data_volume_gb": max(volumes) if volumes else None,
    }


# The event columns the derivation reads (the others are evidence it does not need).
EVENT_COLUMNS_USED = (
    "event_id", "case_id", "event_type", "event_key", "is_context", "group_id", "source_id",
    "earliest_datetime", "latest_datetime", "date_precision", "deadline_earliest_datetime", "deadline_latest_datetime",
    "deadline_precision", "data_volume_gb")


def groups_by_case(cases: pd.DataFrame, case_groups: pd.DataFrame) -> dict[str, list[str]]:
    """Each case's group ids (none for a case no source attributes)."""
    found: dict[str, list[str]] = {str(c): [] for c in cases["case_id"]}
    for case_id, group_id in zip(case_groups["case_id"], case_groups["group_id"]):
        found[str(case_id)].append(str(group_id))
    return found


def case_timeline(events: pd.DataFrame, cases: pd.DataFrame, case_groups: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (case, event_key), group-level events on every case of their group; and
    the event rows behind each (case_timeline_events)."""
    own: dict[str, dict[str, list[dict]]] = {}
    context: dict[str, dict[str, list[dict]]] = {}
    for row in events[[c for c in EVENT_COLUMNS_USED if c in events]].to_dict("records"):
        if bool(row["is_context"]):
            context.setdefault(str(row["group_id"]), {}).setdefault(str(row["event_key"]),
                                                                    []).append(row)
        else:
            own.setdefault(str(row["case_id"]), {}).setdefault(str(row["event_key"]),
                                                               []).append(row)
    rows, members, problems = [], [], []
    for case_id, groups in sorted(groups_by_case(cases, case_groups).items()):
        own_keys = own.get(case_id, {})
        rows += [_timeline_row(case_id, key, key_rows, None)
                 for key, key_rows in sorted(own_keys.items())]
        members += [(case_id, key, str(r["event_id"]))
                    for key, key_rows in own_keys.items() for r in key_rows]
        for group in sorted(groups):
            for key, key_rows in sorted(context.get(group, {}).items()):
                members += [(case_id, key, str(r["event_id"])) for r in key_rows]
                if key in own_keys:
                    problems.append(Problem(
                        "data/processed/events.csv", 0, key, "event_key",
                        f"case {case_id} has its own event {key!r} and its group {group} has a "
                        "group-level event with the same key", "rename one of the keys"))
                rows.append(_timeline_row(case_id, key, key_rows, group))
    counts = Counter((r["case_id"], r["event_key"]) for r in rows)
    for case_id, key in sorted(k for k, n in counts.items() if n > 1):
        problems.append(Problem("data/raw/cases.yaml", 0, case_id, "groups",
                                f"two of the case's groups have a group-level event {key!r}",
                                "group-level event keys must differ across a case's groups",
                                "case"))
    if problems:
        raise DatasetError(problems)
    table = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    table = table.sort_values(["case_id", "earliest_datetime", "event_key"], ignore_index=True,
                              key=_sortable)
    events_of = pd.DataFrame(sorted(set(members)), columns=["case_id", "event_key", "event_id"])
    return table, events_of


def _sortable(column: pd.Series) -> pd.Series:
    return column.astype("datetime64[ns]") if column.name == "earliest_datetime" else column


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


# --- stages -------------------------------------------------------------------------------

STAGE_COLUMNS = [
    "case_id", "stage", "stage_order", "event_type", "event_key", "is_reported", "is_dated",
    "chosen_by", "selection_reason", "n_candidates", "n_sources", "n_dated_sources",
    "best_date", "best_datetime", "earliest_datetime", "latest_datetime", "date_precision",
    "is_disputed", "days_since_attack",
]


@dataclass(frozen=True)
class StageEnd:
    """What stands for one stage of one case: its event, bounds and best date."""

    stage: str
    event_key: str | None
    earliest: pd.Timestamp | None
    latest: pd.Timestamp | None
    best: pd.Timestamp | None
    precision: str | None
    n_sources: int
    n_dated_sources: int
    is_disputed: bool

    @property
    def is_reported(self) -> bool:
        return self.event_key is not None

    @property
    def is_dated(self) -> bool:
        return self.best is not None


NOT_REPORTED = StageEnd("", None, None, None, None, None, 0, 0, False)


def _stage_end(stage: str, row: dict | None) -> StageEnd:
    if row is None:
        return NOT_REPORTED
    # A deadline stands in the deadline_* columns of its ultimatum's row.
    kind, best = ("deadline", "deadline_") if stage == "deadline" else ("date", "")
    earliest, latest, precision = bounds_columns(kind)
    value = row[f"{best}best_datetime"]
    return StageEnd(stage, str(row["event_key"]), pd.Timestamp(row[earliest]),
                    pd.Timestamp(row[latest]),
                    None if is_missing(value) else pd.Timestamp(value),
                    str(row[precision]),
                    int(row["n_deadline_sources" if best else "n_sources"]),
                    int(row["n_deadline_sources" if best else "n_dated_sources"]),
                    bool(row["is_deadline_disputed" if best else "is_disputed"]))


def _candidates(stage: str, timeline_rows: list[dict]) -> list[dict]:
    event_type = STAGE_EVENT_TYPES[stage]
    rows = [r for r in timeline_rows if not r["is_context"] and r["event_type"] == event_type]
    if stage == "deadline":
        rows = [r for r in rows if not is_missing(r["deadline_best_datetime"])]
    return rows


def _choose(stage: str, rows: list[dict], override) -> tuple[dict | None, str, str]:
    """The event standing for `stage`, who chose it, and why."""
    kind = stage.replace("_", " ")
    if override is not None:
        chosen = next(r for r in rows if r["event_key"] == override["event_key"])
        return chosen, "annotation", override["reason"]
    best_column = "deadline_best_datetime" if stage == "deadline" else "best_datetime"
    dated = [r for r in rows if not is_missing(r[best_column])]
    undated = len(rows) - len(dated)
    if dated:
        chosen = min(dated, key=lambda r: (pd.Timestamp(r[best_column]), r["event_key"]))
        reason = (f"the only dated {kind} event" if len(dated) == 1
                  else f"the earliest of {len(dated)} dated {kind} events")
        if undated:
            reason += f"; {undated} undated {kind} event{'s' if undated > 1 else ''} not used"
        return chosen, "rule", reason
    if rows:
        chosen = min(rows, key=lambda r: (pd.Timestamp(r["earliest_datetime"]), r["event_key"]))
        return chosen, "rule", (f"reported, but no source dates the {kind}: no delay is "
                                "measured to or from it")
    return None, "", f"no source reports {_article(kind)} {kind}"


def case_stages(timeline: pd.DataFrame, cases: pd.DataFrame,
                overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per case and stage (see the module docstring for the rule)."""
    chosen_by_annotation = {}
    if overrides is not None:
        for row in overrides.to_dict("records"):
            chosen_by_annotation[(str(row["case_id"]), str(row["stage"]))] = row
    by_case: dict[str, list[dict]] = {}
    for row in timeline.to_dict("records"):
        by_case.setdefault(str(row["case_id"]), []).append(row)
    rows, problems = [], []
    for case_id in sorted(str(c) for c in cases["case_id"]):
        case_rows = by_case.get(case_id, [])
        ends = {}
        for order, stage in enumerate(STAGES, start=1):
            candidates = _candidates(stage, case_rows)
            override = chosen_by_annotation.get((case_id, stage))
            if override is not None and override["event_key"] not in {r["event_key"]
                                                                       for r in candidates}:
                problems.append(Problem(
                    "data/raw/cases.yaml", 0, case_id, "stages.event_key",
                    f"stage {stage}: {override['event_key']!r} is not a "
                    f"{STAGE_EVENT_TYPES[stage]} of the case"
                    + (" with a dated deadline" if stage == "deadline" else ""),
                    "name an event_key of the case's events of that type", "case"))
                continue
            chosen, chosen_by, reason = _choose(stage, candidates, override)
            end = _stage_end(stage, chosen)
            ends[stage] = end
            rows.append({
                "case_id": case_id, "stage": stage, "stage_order": order,
                "event_type": STAGE_EVENT_TYPES[stage], "event_key": end.event_key,
                "is_reported": end.is_reported, "is_dated": end.is_dated,
                "chosen_by": chosen_by or None, "selection_reason": reason,
                "n_candidates": len(candidates), "n_sources": end.n_sources,
                "n_dated_sources": end.n_dated_sources,
                "best_date": end.best.normalize() if end.is_dated else None,
                "best_datetime": end.best, "earliest_datetime": end.earliest,
                "latest_datetime": end.latest, "date_precision": end.precision,
                "is_disputed": end.is_disputed if end.is_reported else None,
                "days_since_attack": None,
            })
        attack = ends.get("attack")
        for row in rows[-len(STAGES):]:
            if attack is not None and attack.is_dated and row["best_date"] is not None:
                row["days_since_attack"] = (row["best_date"] - attack.best.normalize()).days
    if problems:
        raise DatasetError(problems)
    return pd.DataFrame(rows, columns=STAGE_COLUMNS)


# --- delays -------------------------------------------------------------------------------

DELAY_COLUMNS = [
    "case_id", "delay", "from_stage", "to_stage", "from_event_key", "to_event_key",
    "min_days", "max_days", "best_days", "n_sources_from", "n_sources_to", "flag",
    "flag_reason",
]
def _days(later: pd.Timestamp, earlier: pd.Timestamp) -> int:
    """Calendar days between two local moments (0 on the same day)."""
    return int((later.normalize() - earlier.normalize()) / pd.Timedelta(days=1))


def _label(end: StageEnd) -> str:
    return span_label(end.earliest, end.latest, end.precision)


def _delay_row(case_id: str, name: str, start: str, stop: str, frm: StageEnd,
               to: StageEnd) -> dict:
    row = {"case_id": case_id, "delay": name, "from_stage": start, "to_stage": stop,
           "from_event_key": frm.event_key, "to_event_key": to.event_key,
           "min_days": None, "max_days": None, "best_days": None,
           "n_sources_from": frm.n_sources, "n_sources_to": to.n_sources,
           "flag": None, "flag_reason": None}
    words = {start: start.replace("_", " "), stop: stop.replace("_", " ")}
    missing = [s for s, end in ((start, frm), (stop, to)) if not end.is_reported]
    if missing:
        row["flag"] = "not_reported"
        row["flag_reason"] = "no source reports " + " or ".join(
            f"{_article(words[s])} {words[s]}" for s in missing)
        return row
    undated = [s for s, end in ((start, frm), (stop, to)) if not end.is_dated]
    if undated:
        row["flag"] = "not_dated"
        row["flag_reason"] = (" and ".join(f"the {words[s]}" for s in undated)
                              + (" are" if len(undated) > 1 else " is")
                              + " reported but no source dates "
                              + ("them" if len(undated) > 1 else "it"))
        return row
    row["min_days"] = _days(to.earliest, frm.latest)
    row["max_days"] = _days(to.latest, frm.earliest)
    row["best_days"] = _days(to.best, frm.best)
    reasons = []
    if row["best_days"] < 0:
        row["flag"] = "negative"
        reasons.append(f"the {words[stop]} ({_label(to)}) is dated before the {words[start]} "
                       f"({_label(frm)})")
    coarse = [(s, end) for s, end in ((start, frm), (stop, to))
              if end.precision not in DAY_OR_FINER]
    if coarse:
        row["flag"] = row["flag"] or "imprecise"
        reasons += [f"the {words[s]} is dated only to the {end.precision} ({_label(end)})"
                    for s, end in coarse]
    row["flag_reason"] = "; ".join(reasons) or None
    return row


def delays(stages: pd.DataFrame, timeline: pd.DataFrame) -> pd.DataFrame:
    """One row per case and delay (:data:`DELAYS`), from the stages table."""
    by_case: dict[str, dict[str, StageEnd]] = {}
    stage_rows = {(r["case_id"], r["stage"]): r for r in stages.to_dict("records")}
    timeline_rows = {(r["case_id"], r["event_key"]): r for r in timeline.to_dict("records")}
    for (case_id, stage), row in stage_rows.items():
        key = row["event_key"]
        end = _stage_end(stage, timeline_rows[(case_id, key)]) if not is_missing(key) \
            else NOT_REPORTED
        by_case.setdefault(case_id, {})[stage] = end
    rows = []
    for case_id in sorted(by_case):
        ends = by_case[case_id]
        for name, start, stop in DELAYS:
            frm, to = ends[start], ends[stop]
            if (start, stop) == ("ultimatum", "deadline") and to.is_reported:
                # Both ends describe the same ultimatum: the one whose deadline is the stage.
                frm = _stage_end("ultimatum", timeline_rows[(case_id, to.event_key)])
            rows.append(_delay_row(case_id, name, start, stop, frm, to))
    return pd.DataFrame(rows, columns=DELAY_COLUMNS)


# --- all of them ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Derived:
    case_timeline: pd.DataFrame
    case_timeline_events: pd.DataFrame
    case_stages: pd.DataFrame
    delays: pd.DataFrame

    def items(self):
        return {"case_timeline": self.case_timeline,
                "case_timeline_events": self.case_timeline_events,
                "case_stages": self.case_stages, "delays": self.delays}.items()


def derive(events: pd.DataFrame, cases: pd.DataFrame, case_groups: pd.DataFrame,
           stage_overrides: pd.DataFrame | None = None) -> Derived:
    """The derived tables from typed event rows (as :func:`helpers.core.frames.read_table` gives)."""
    timeline, timeline_events = case_timeline(events, cases, case_groups)
    stages = case_stages(timeline, cases, stage_overrides)
    return Derived(timeline, timeline_events, stages, delays(stages, timeline))
