"""Write the processed tables, the Frictionless data package and the codebook, atomically.

Every file is first written to a temporary name in the output folder; only when all are
written are they renamed into place, so a failure leaves the previous outputs untouched.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from helpers.core.labels import is_missing
from helpers.core.schema import DERIVED_TABLES, TABLES, Column
from helpers.core.vocab import (
    DATE_PRECISIONS,
    DELAY_FLAGS,
    EVENT_TYPES,
    EXCEPTABLE_RULES,
    FACILITY_KINDS,
    INCIDENT_KINDS,
    STAGES,
    STATUSES,
)
from helpers.raw.load import load_metadata

CODEBOOK_NAME = "codebook.md"


def dataset_metadata(raw_dir: Path) -> dict:
    return load_metadata(raw_dir)


def _csv_text(frame: pd.DataFrame, columns: list[Column]) -> str:
    frame = frame[[c.name for c in columns]].copy()
    for column in columns:
        values = frame[column.name]
        if column.type == "boolean":
            frame[column.name] = values.map(lambda v: "" if is_missing(v)
                                            else "true" if bool(v) else "false")
        elif column.type in ("datetime", "date") and pd.api.types.is_datetime64_dtype(values):
            # Typed (as the Dataset holds them): formatted in one pass, not value by value.
            fmt = "%Y-%m-%d" if column.type == "date" else "%Y-%m-%dT%H:%M:%S"
            frame[column.name] = values.dt.strftime(fmt).astype(object).where(values.notna(), "")
        elif column.type in ("datetime", "date"):
            frame[column.name] = values.map(lambda v, kind=column.type: _moment(v, kind))
        elif column.type == "integer":
            frame[column.name] = values.map(lambda v: "" if pd.isna(v) else str(int(v)))
        elif column.type == "number":
            frame[column.name] = values.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        else:
            frame[column.name] = values.map(lambda v: "" if v is None or (not isinstance(v, str)
                                                                          and pd.isna(v)) else str(v))
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()




def _moment(value, kind: str) -> str:
    """ISO 8601 without offset; text is written as built (the build formats its own)."""
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    value = pd.Timestamp(value)
    return value.date().isoformat() if kind == "date" else value.isoformat(timespec="seconds")


def _field(column: Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "datetime":
        field["format"] = "%Y-%m-%dT%H:%M:%S"
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.enum:
        constraints["enum"] = [e for e in column.enum if e] if column.required else list(column.enum)
    if column.pattern:
        constraints["pattern"] = column.pattern
    if constraints:
        field["constraints"] = constraints
    return field


def descriptor(metadata: dict) -> dict:
    resources = []
    for name, table in TABLES.items():
        schema = {
            "fields": [_field(c) for c in table["columns"]],
            "primaryKey": table["primary_key"],
            "missingValues": [""],
        }
        if table["foreign_keys"]:
            schema["foreignKeys"] = [
                {"fields": local, "reference": {"resource": resource, "fields": remote}}
                for local, resource, remote in table["foreign_keys"]]
        resources.append({
            "name": name.replace("_", "-"),
            "path": f"{name}.csv",
            "title": table["title"],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        })
    # Foreign keys name resources, whose names use hyphens.
    for resource in resources:
        for key in resource["schema"].get("foreignKeys", []):
            key["reference"]["resource"] = key["reference"]["resource"].replace("_", "-")
    package = {
        "profile": "tabular-data-package",
        "name": metadata["name"],
        "title": metadata["title"],
        "version": metadata["version"],
        "description": " ".join(str(metadata["description"]).split()),
        "homepage": metadata.get("homepage", ""),
        "licenses": metadata["licenses"],
        "contributors": metadata.get("contributors", []),
        "keywords": metadata.get("keywords", []),
        "resources": resources,
    }
    return package


def _vocab_table(title: str, vocab: dict[str, str]) -> list[str]:
    lines = [f"### {title}", "", "| value | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in vocab.items()]
    return lines + [""]


# One convention for every column name; a test checks the schema against it.
NAMING_CONVENTIONS = [
    "- Identifiers end in `_id` (`case_id`, `event_id`); the key of a real-world event within a "
    "case is `event_key`.",
    "- Moments end in `_datetime` (local time of the case, no offset: `earliest_datetime`, "
    "`best_datetime`); calendar days end in `_date` (`best_date`, `received_date`); dates "
    "written at their precision as ISO 8601 text end in `_iso` (`date_iso`, `deadline_iso`).",
    "- An interval is `earliest_…` and `latest_…`, both inclusive, with its `…_precision`.",
    "- Booleans start with `is_` or `has_`; counts start with `n_`; quantities name their "
    "unit (`spread_days`, `data_volume_gb`, `days_since_attack`), with `min_`/`max_` in front "
    "for a range.",
    "- Offsets in a stored text end in `_start` and `_end` (Unicode code points, end exclusive).",
    "- A list is never packed into a cell: each list is a table with one row per item "
    "(`case_groups`, `group_aliases`, `event_agencies`, `case_timeline_events`), keyed by "
    "what it lists.",
]


def codebook(metadata: dict) -> str:
    lines = [
        f"# Codebook: {metadata['title']} {metadata['version']}",
        "",
        "Generated by `python -m helpers build` from `src/helpers/core/schema.py` and "
        "`src/helpers/core/vocab.py`; do not edit by hand.",
        "",
        "## Naming conventions",
        "",
        *NAMING_CONVENTIONS,
        "",
        "## How dates work",
        "",
        "- `date_text` is the date as the source wrote it. It is resolved against the source's "
        "publication datetime (`sources.published`; for a date without time, its noon; for an "
        "approximate month, its last second) by `helpers.resolution.dates.resolve`, whose rules are in "
        "`docs/date-conventions.md`.",
        "- Every date is an interval: `earliest_datetime` to `latest_datetime`, both inclusive, in the "
        "local time of the case's time zone (`cases.timezone`), written without offset. A day "
        "runs 00:00:00 to 23:59:59; a month, its first to its last second.",
        "- `date_precision` says what the source gave; a coarser precision is never shown as a "
        "point. Undated events (`undated`) are bounded by what is known: not before the case's "
        "attack as its dated sources agree on it (or the annotation's `not_before`), not after "
        "the source's publication (or `not_after`); `date_method` names the bounds used.",
        "- A hand date in an annotation is checked against the resolver: they must overlap, "
        "unless the annotation explains the difference (`date_note`, method `hand_explained`).",
        "- Sources that disagree are all kept: see `case_timeline.is_disputed` and `spread_days`.",
        "",
        "## Derived tables: best dates, stages and delays",
        "",
        "`case_timeline` (with `case_timeline_events`), `case_stages` and `delays` are derived "
        "from the event rows by "
        "`helpers.derive` (run by `make data`); every figure, table and report reads them and "
        "none recomputes them.",
        "",
        "- **Best date** of a real-world event (`case_timeline.best_datetime`): only dated "
        "sources count. When their intervals share a moment (they agree), the middle of the "
        "interval they share; otherwise (disputed) the lower median of their midpoints, so that "
        "no source is picked by hand (a source whose interval holds another's, a month beside "
        "a day in it, is left out of a dispute: the finer source says all it says). An event that no source dates has no best date and is "
        "never drawn on a time axis.",
        "- **Stage** (`case_stages`): the earliest *dated* real-world event of the stage's type "
        "(by best date). An undated event never stands for a stage while a dated one exists; "
        "when only undated ones exist, the stage is reported but not dated. An annotator may "
        "name the event of a stage in `data/raw/cases.yaml` (`stages: [{stage, event_key, "
        "reason}]`, published in `stage_overrides`). Day 0 of the aligned view is the attack "
        "stage's best date; `days_since_attack` is each stage's day.",
        "- **Delay** (`delays`): calendar days in the case's local time between two stages' "
        "best dates (`best_days`), and the range the sources allow (`min_days` from the latest "
        "possible start to the earliest possible end, `max_days` the reverse). A delay with an "
        "end not reported or not dated is empty, and `flag` says why; a negative or imprecise "
        "delay is kept and flagged with its reason.",
        "",
        "## Checks at every build",
        "",
        "Schema and vocabularies; referential integrity (cases, sources, groups); every quote "
        "found once in its stored text and the date expression inside it; every date expression "
        "of a stored text annotated or dismissed (`dismissed_expressions.csv`); stored texts "
        "unchanged (sha256); earliest ≤ latest; no event dated after its source's publication; "
        "per case, claim, ultimatum and leak not before the attack, and a deadline not before its "
        "issue. An annotation may set aside a rule only with an explained exception:",
        "",
    ]
    lines += [f"- `{rule}`: {text}" for rule, text in EXCEPTABLE_RULES.items()]
    lines += ["", "## Vocabularies", ""]
    lines += _vocab_table("Event types", EVENT_TYPES)
    lines += _vocab_table("Status", STATUSES)
    lines += _vocab_table("Date precision", DATE_PRECISIONS)
    lines += _vocab_table("Facility kinds", FACILITY_KINDS)
    lines += _vocab_table("Incident kinds", INCIDENT_KINDS)
    lines += _vocab_table("Stages", STAGES)
    lines += _vocab_table("Delay flags", DELAY_FLAGS)
    lines += ["## Tables", ""]
    for name, table in TABLES.items():
        lines += [f"### `{name}.csv`: {table['title']}", "",
                  f"Primary key: {', '.join(table['primary_key'])}.", "",
                  "| column | type | required | description |", "|---|---|---|---|"]
        for column in table["columns"]:
            extra = f" One of: {', '.join(f'`{e}`' for e in column.enum if e)}." \
                if column.enum and len(column.enum) <= 4 else ""
            lines.append(f"| `{column.name}` | {column.type} | {'yes' if column.required else ''} "
                         f"| {column.description}{extra} |")
        lines.append("")
    lines += [
        "## Spreadsheet users: formula injection",
        "",
        "Text fields (quotes, summaries, notes) come from sources and annotators and are not "
        "altered. A cell that starts with `=`, `+`, `-` or `@` can be run as a formula by a "
        "spreadsheet program: import the CSV files as text (for example with LibreOffice's "
        "\"Format quoted field as text\" or Excel's Power Query), not by double-clicking them.",
        "",
        "## Third-party text",
        "",
        "Quotes are short verbatim extracts of the stored articles, kept as evidence; the "
        "articles remain their publishers' property (see `sources.rights`). Paraphrases and "
        "summaries are the project's own words.",
        "",
    ]
    return "\n".join(lines)


def render_outputs(tables, raw_dir: Path | None, include_metadata: bool = True
                   ) -> dict[str, bytes]:
    """Every output file's bytes, by file name; deterministic for the same inputs.
    Without `include_metadata`, only the tables' CSV files."""
    files = {f"{name}.csv": _csv_text(frame, TABLES[name]["columns"]).encode("utf-8")
             for name, frame in tables.items()}
    if not include_metadata:
        return files
    metadata = dataset_metadata(raw_dir)
    files["datapackage.json"] = (json.dumps(descriptor(metadata), indent=2, ensure_ascii=False)
                                 + "\n").encode("utf-8")
    files[CODEBOOK_NAME] = codebook(metadata).encode("utf-8")
    return files


def write_atomically(files: dict[str, bytes], out_dir: Path) -> None:
    """Write all files to temporary names, then rename them into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in sorted(files.items()):
            handle, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            staged.append((name, Path(temp_name)))
        for name, temp_path in staged:
            os.replace(temp_path, out_dir / name)
    finally:
        for _, temp_path in staged:
            temp_path.unlink(missing_ok=True)


def write_outputs(tables, out_dir: Path, raw_dir: Path) -> None:
    write_atomically(render_outputs(tables, raw_dir), out_dir)


def write_derived(derived, out_dir: Path, raw_dir: Path) -> None:
    """The derived tables only (with the descriptor and codebook, which describe them)."""
    files = render_outputs(derived, raw_dir)
    write_atomically({name: content for name, content in files.items()
                      if name.removesuffix(".csv") in DERIVED_TABLES
                      or not name.endswith(".csv")}, out_dir)
