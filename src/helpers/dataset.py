"""Load the processed tables as typed DataFrames: the entry point for notebooks and figures."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import UnknownIdError
from .paths import PROCESSED_DIR
from .schema import TABLES

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


@dataclass(frozen=True)
class Dataset:
    events: pd.DataFrame
    cases: pd.DataFrame
    sources: pd.DataFrame
    groups: pd.DataFrame
    case_timeline: pd.DataFrame
    dismissed: pd.DataFrame
    version: str
    stage_overrides: pd.DataFrame
    case_stages: pd.DataFrame
    delays: pd.DataFrame

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
    return Dataset(
        events=read_table("events", processed_dir),
        cases=read_table("cases", processed_dir),
        sources=read_table("sources", processed_dir),
        groups=read_table("groups", processed_dir),
        case_timeline=read_table("case_timeline", processed_dir),
        dismissed=read_table("dismissed_expressions", processed_dir),
        version=package["version"],
        stage_overrides=read_table("stage_overrides", processed_dir),
        case_stages=read_table("case_stages", processed_dir),
        delays=read_table("delays", processed_dir),
    )
