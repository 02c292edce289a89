"""The dataset's one form in memory: typed DataFrames, as the schema types each column.

The build returns it, the derive step adds to it, the loader reads it back from
data/processed, and only the writer (helpers.publish.package) serialises it. Datetimes are
naive, in the case's local time (see the codebook); missing values are pandas' NA.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from helpers.core.errors import UnknownIdError
from helpers.core.paths import PROCESSED_DIR
from helpers.core.schema import DERIVED_TABLES, TABLES

_PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64",
                 "boolean": "boolean"}


def read_table(name: str, processed_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    """One processed table with the types its schema gives (datetimes naive, local time)."""
    return parse_table(name, processed_dir / f"{name}.csv")


def parse_table(name: str, csv) -> pd.DataFrame:
    """A table's CSV (a path, or its bytes) with the types its schema gives."""
    columns = TABLES[name]["columns"]
    if isinstance(csv, bytes):
        csv = io.BytesIO(csv)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""],
                        encoding="utf-8")
    for column in columns:
        values = frame[column.name]
        if column.type in ("datetime", "date"):
            # ISO 8601 without offset; never dayfirst (pandas reads ISO wrongly with it).
            frame[column.name] = pd.to_datetime(values, format="ISO8601")
        elif column.type == "boolean":
            frame[column.name] = values.map({"true": True, "false": False}).astype("boolean")
        else:
            frame[column.name] = values.astype(_PANDAS_TYPES[column.type])
    return frame


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table of plain Python values (as the build makes its rows) with the types its
    schema gives: the same frame as reading its CSV back (an empty text is NA)."""
    frame = frame[[c.name for c in TABLES[name]["columns"]]].copy()
    for column in TABLES[name]["columns"]:
        values = frame[column.name]
        if column.type in ("datetime", "date"):
            frame[column.name] = pd.to_datetime(values.where(values != "", None),
                                                format="ISO8601")
            continue
        # Column by column, not value by value: None for a missing value or an empty text.
        values = values.astype(object)
        values = values.where(values.notna() & (values != ""), None)
        if column.type == "boolean":
            frame[column.name] = values.astype("boolean")
        elif column.type in ("integer", "number"):
            frame[column.name] = pd.array(values, dtype=_PANDAS_TYPES[column.type])
        else:
            frame[column.name] = values.astype("string")
    return frame.reset_index(drop=True)


# Tables of the dataset, by attribute of Dataset (the dismissed expressions' is shorter).
ATTRIBUTES = {"events": "events", "cases": "cases", "sources": "sources", "groups": "groups",
              "case_groups": "case_groups", "group_aliases": "group_aliases",
              "event_agencies": "event_agencies", "stage_overrides": "stage_overrides",
              "dismissed": "dismissed_expressions", "case_timeline": "case_timeline",
              "case_timeline_events": "case_timeline_events", "case_stages": "case_stages",
              "delays": "delays"}


@dataclass(frozen=True)
class Dataset:
    """Every table of the dataset, typed. The build fills the primary ones; the derived ones
    (case_timeline, case_timeline_events, case_stages, delays) are None until the derive step
    adds them."""

    events: pd.DataFrame
    cases: pd.DataFrame
    sources: pd.DataFrame
    groups: pd.DataFrame
    case_groups: pd.DataFrame
    group_aliases: pd.DataFrame
    event_agencies: pd.DataFrame
    stage_overrides: pd.DataFrame
    dismissed: pd.DataFrame
    version: str
    case_timeline: pd.DataFrame | None = None
    case_timeline_events: pd.DataFrame | None = None
    case_stages: pd.DataFrame | None = None
    delays: pd.DataFrame | None = None
    warnings: tuple = ()  # the build's warnings (helpers.build.lint); none when loaded

    def items(self):
        """(table name, frame) of every table present, in the data package's order."""
        frames = {table: getattr(self, attribute) for attribute, table in ATTRIBUTES.items()}
        return [(name, frames[name]) for name in TABLES if frames.get(name) is not None]

    def with_derived(self, derived) -> "Dataset":
        """This dataset with the derived tables (anything with their attributes), typed as the
        loader types them."""
        return replace(self, **{name: typed(name, getattr(derived, name))
                                for name in DERIVED_TABLES})

    @property
    def case_ids(self) -> list[str]:
        return sorted(self.cases.case_id)

    @property
    def source_ids(self) -> list[str]:
        return sorted(self.sources.source_id)

    def check_case(self, case_id: str) -> str:
        if case_id not in self.case_ids:
            raise UnknownIdError("case id", case_id, self.case_ids)
        return case_id

    def check_source(self, source_id: str) -> str:
        if source_id not in self.source_ids:
            raise UnknownIdError("source id", source_id, self.source_ids)
        return source_id

    @cached_property
    def event_ids_by_timeline_key(self) -> dict[tuple[str, str], list[str]]:
        """The event rows behind each (case_id, event_key) of the case timeline."""
        found: dict[tuple[str, str], list[str]] = {}
        frame = self.case_timeline_events
        for case_id, key, event_id in zip(frame.case_id, frame.event_key, frame.event_id):
            found.setdefault((case_id, key), []).append(event_id)
        return found

    def timeline_records(self, rows: pd.DataFrame | None = None) -> list[dict]:
        """Rows of case_timeline (all, or those given) as dicts, each with its `event_ids`."""
        rows = self.case_timeline if rows is None else rows
        ids = self.event_ids_by_timeline_key
        return [{**r, "event_ids": ids.get((r["case_id"], r["event_key"]), [])}
                for r in rows.to_dict("records")]

    def groups_of(self, case_id: str) -> list[str]:
        """The groups a case is attributed to, in the order cases.yaml gives them."""
        return list(self.case_groups.group_id[self.case_groups.case_id == case_id])

    def events_with_outlets(self) -> pd.DataFrame:
        """Events joined with their source's outlet and publication, as figures want them."""
        columns = ["source_id", "outlet", "url", "published"]
        return self.events.merge(self.sources[columns], on="source_id", how="left")


def load_dataset(processed_dir: Path = PROCESSED_DIR) -> Dataset:
    """All processed tables; read once per folder per process."""
    return _load(Path(processed_dir).resolve())


@lru_cache(maxsize=4)
def _load(processed_dir: Path) -> Dataset:
    package = json.loads((processed_dir / "datapackage.json").read_text(encoding="utf-8"))
    return Dataset(version=package["version"],
                   **{attribute: read_table(table, processed_dir)
                      for attribute, table in ATTRIBUTES.items()})
