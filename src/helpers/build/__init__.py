"""The build stage: data/raw checked, and made into the primary tables.

* :func:`check` runs every check, in order, without raising (the build and notebook 01's
  form both use it): linking (:mod:`.link`), evidence (:mod:`.evidence`), dating
  (:mod:`.dating`), rules (:mod:`.rules`), coverage (:mod:`.coverage`), warnings
  (:mod:`.lint`);
* :func:`build_tables` returns the primary tables as a typed
  :class:`helpers.core.frames.Dataset` (rows made by :mod:`.rows`), or raises DatasetError
  listing every problem at its root.

Deriving and writing come after (helpers.derive, helpers.publish.package); the pipeline
(helpers.pipeline, ``python -m helpers build``) runs them in order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.build.coverage import ExpressionScan, _check_coverage
from helpers.build.dating import _date_events
from helpers.build.evidence import _check_evidence, _check_evidence_of_invalid_events
from helpers.build.link import _link_events, linked_events
from helpers.build.lint import event_warnings
from helpers.build.model import ResolvedEvent
from helpers.build.roots import Roots
from helpers.build.rows import event_row, source_row, stage_overrides_frame
from helpers.build.rules import _check_rules, _check_stage_overrides
from helpers.core.errors import DatasetError, Problem
from helpers.core.frames import Dataset, typed
from helpers.core.paths import PROJECT_ROOT, RAW_DIR
from helpers.core.schema import TABLES
from helpers.raw.load import Raw, load_metadata, load_raw

__all__ = ["Checked", "ExpressionScan", "Raw", "ResolvedEvent", "build_tables", "check",
           "check_raw", "event_row", "linked_events", "load_raw", "primary_tables",
           "raise_problems", "source_row", "validate"]


@dataclass
class Checked:
    """What every check of the build found in data/raw (nothing raised)."""

    events: list[ResolvedEvent]
    problems: list[Problem]        # the root problems, coverage apart
    unaccounted: list[Problem]     # date expressions neither annotated nor dismissed
    consequences: list             # what the problems stop from being checked
    warnings: list[Problem]
    dismissed_rows: list[dict]
    expression_spans: dict = field(default_factory=dict)   # every text's, by source id
    unaccounted_spans: dict = field(default_factory=dict)  # those of `unaccounted`

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + self.unaccounted


def check(raw: Raw, scan) -> Checked:
    """Every check of the build, in its order, on data/raw as loaded; `scan` gives the date
    expressions of the stored texts (an ExpressionScan, or any object with `spans()`)."""
    problems = list(raw.problems)
    roots = Roots()
    events, found = _link_events(raw, roots)
    problems += found
    for item in events:
        found = _check_evidence(item)
        problems += found
        if found:
            # Its evidence cannot all be located: the text's coverage would be misreported.
            roots.texts.setdefault(item.source.source_id, found[0])
    problems += _check_evidence_of_invalid_events(raw)
    problems += _date_events(events, roots)
    problems += _check_rules(events)
    expression_spans = scan.spans()
    dismissed_rows, found, unaccounted, unaccounted_spans = _check_coverage(
        raw, events, roots.texts, expression_spans, roots)
    problems += found
    problems += _check_stage_overrides(raw, events, roots)
    warnings = event_warnings(events, problems + unaccounted)
    return Checked(events, problems, unaccounted, roots.consequences(), warnings,
                   dismissed_rows, expression_spans, unaccounted_spans)


def check_raw(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> tuple[Raw, Checked]:
    """data/raw loaded, and every check of it (nothing raised)."""
    raw = load_raw(raw_dir, root)
    scan = ExpressionScan(raw)  # runs while the other checks do
    try:
        return raw, check(raw, scan)
    finally:
        scan.close()


def raise_problems(checked: Checked) -> None:
    """Raise DatasetError listing every problem that `checked` found, if any."""
    if checked.all_problems:
        raise DatasetError(checked.all_problems, checked.consequences, checked.warnings)


def build_tables(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> Dataset:
    """data/raw as the primary tables, typed; raise DatasetError listing every problem."""
    raw, checked = check_raw(raw_dir, root)
    raise_problems(checked)
    return primary_tables(raw, checked, load_metadata(raw_dir)["version"])


def primary_tables(raw: Raw, checked: Checked, version: str) -> Dataset:
    """The primary tables of data/raw once checked (`checked` found no problem)."""
    event_rows = sorted((event_row(e) for e in checked.events),
                        key=lambda r: (r["case_id"] == "", r["case_id"], r["earliest_datetime"],
                                       r["event_id"]))
    events = typed("events", pd.DataFrame(event_rows))
    # Counted once for all cases (a filter per case would be O(cases x events)).
    n_sources = events.groupby("case_id")["source_id"].nunique()
    n_events = events.groupby("case_id").size()
    cases = typed("cases", pd.DataFrame([{
        "case_id": c.case_id, "victim": c.victim, "short_name": c.short_name or c.city,
        "facility_kind": c.facility_kind, "incident_kind": c.incident_kind,
        "city": c.city, "country_code": c.country_code, "timezone": c.timezone,
        "n_sources": int(n_sources.get(c.case_id, 0)),
        "n_events": int(n_events.get(c.case_id, 0)),
    } for c in sorted(raw.cases.values(), key=lambda c: c.case_id)]))
    sources = typed("sources", pd.DataFrame([source_row(s) for _, s in
                                             sorted(raw.sources.items())]))
    groups = typed("groups", pd.DataFrame([{"group_id": g.group_id, "name": g.name}
                                           for _, g in sorted(raw.groups.items())]))
    # Lists of the raw files, one row per item (a repeated item counts once).
    case_groups = _pairs("case_groups", [(c.case_id, g) for c in sorted(
        raw.cases.values(), key=lambda c: c.case_id) for g in dict.fromkeys(c.groups)])
    group_aliases = _pairs("group_aliases", [(g.group_id, a) for _, g in sorted(
        raw.groups.items()) for a in dict.fromkeys(g.aliases)])
    event_agencies = _pairs("event_agencies", sorted(
        (e.annotation.id, a) for e in checked.events
        for a in dict.fromkeys(e.annotation.agencies or [])))
    dismissed = pd.DataFrame(checked.dismissed_rows,
                             columns=["source_id", "text", "text_start", "text_end", "reason"])
    dismissed = typed("dismissed_expressions",
                      dismissed.sort_values(["source_id", "text_start"], ignore_index=True))
    return Dataset(events=events, cases=cases, sources=sources, groups=groups,
                   case_groups=case_groups, group_aliases=group_aliases,
                   event_agencies=event_agencies, stage_overrides=typed("stage_overrides", stage_overrides_frame(raw)),
                   dismissed=dismissed, version=version, warnings=tuple(checked.warnings))


def _pairs(name: str, rows: list[tuple[str, str]]) -> pd.DataFrame:
    columns = [c.name for c in TABLES[name]["columns"]]
    return typed(name, pd.DataFrame(rows, columns=columns))


def validate(raw_dir: Path = RAW_DIR, root: Path = PROJECT_ROOT) -> list[Problem]:
    """Every problem in data/raw, without writing anything; and, in each file whose content
    a problem elsewhere stops from being checked, a line that says so (a source's view then
    does not look clean while its events wait for an invalid case)."""
    _, checked = check_raw(raw_dir, root)
    return (sorted(set(checked.all_problems))
            + sorted({p for c in checked.consequences for p in c.located()}))
