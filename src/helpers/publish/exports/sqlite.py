"""The data package as a SQLite database, with Datasette metadata from the same schema.

:func:`build_database` writes every table of ``data/processed`` with its declared types,
primary key, foreign keys (``REFERENCES``, checked with ``PRAGMA foreign_key_check``) and
NOT NULL columns, and a full-text index of the events' words (summary, quote, paraphrase,
date as written, notes). Booleans are 0/1 (SQLite has no boolean); dates and datetimes are
ISO 8601 text, exactly as in the CSV files. :func:`datasette_metadata` gives Datasette the
title and description of every table and column (from :mod:`helpers.core.schema`, as the codebook),
the licence, the source, facets, and the label of each referenced row, so that an event links
to its case and its source. :func:`check_database` compares the database with the package:
row counts and primary keys, table by table.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd

from helpers.core.frames import load_dataset
from helpers.core.paths import PROCESSED_DIR
from helpers.core.schema import TABLES

from .common import (
    BUILD_DIR,
    ExportError,
    json_bytes,
    out_parser,
    package_info,
    run_cli,
    write_atomic,
)

DB_NAME = "hospital-ransomware-timelines"
DEFAULT_DIR = BUILD_DIR / "datasette"
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER",
             "datetime": "TEXT", "date": "TEXT"}
# Referenced tables first, so that every foreign key points at rows already there.
TABLE_ORDER = ("groups", "group_aliases", "cases", "case_groups", "sources", "events",
               "event_agencies", "stage_overrides", "case_timeline", "case_timeline_events",
               "case_stages", "delays", "dismissed_expressions")
FTS_COLUMNS = ("summary", "quote", "paraphrase", "date_text", "notes")
# What a reader filters on first; Datasette shows the counts beside each table.
FACETS = {
    "events": ["case_id", "event_type", "actor", "status", "date_precision"],
    "cases": ["facility_kind", "incident_kind"],
    "case_groups": ["group_id"],
    "event_agencies": ["agency"],
    "sources": ["outlet", "language", "published_qualifier", "has_text"],
    "case_timeline": ["case_id", "event_type", "group_id", "date_precision", "is_disputed"],
    "case_stages": ["case_id", "stage", "date_precision", "chosen_by"],
    "delays": ["case_id", "delay", "flag"],
    "dismissed_expressions": ["source_id"],
    "groups": [],
    "group_aliases": [],
    "case_timeline_events": ["case_id"],
    "stage_overrides": ["case_id", "stage"],
}
# The column Datasette shows for a row that another table references.
LABELS = {"cases": "short_name", "sources": "outlet", "groups": "name"}
SORT = {"events": "earliest_datetime", "case_timeline": "earliest_datetime", "sources": "published",
        "case_stages": "stage_order"}


def _frames(data) -> dict[str, pd.DataFrame]:
    return dict(data.items())


def _sql_value(value, kind: str):
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "boolean":
        return int(bool(value))
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "datetime":
        return pd.Timestamp(value).isoformat()
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_sql(name: str) -> str:
    """CREATE TABLE of one table: types, NOT NULL, primary key, foreign keys."""
    spec = TABLES[name]
    lines = []
    for column in spec["columns"]:
        line = f"{_quote(column.name)} {SQL_TYPES[column.type]}"
        if column.required:
            line += " NOT NULL"
        if column.type == "boolean":
            line += f" CHECK ({_quote(column.name)} IN (0, 1))"
        lines.append(line)
    lines.append("PRIMARY KEY (" + ", ".join(map(_quote, spec["primary_key"])) + ")")
    for column, table, target in spec["foreign_keys"]:
        lines.append(f"FOREIGN KEY ({_quote(column)}) REFERENCES {_quote(table)} "
                     f"({_quote(target)})")
    return f"CREATE TABLE {_quote(name)} (\n  " + ",\n  ".join(lines) + "\n)"


def build_database(path: Path, data=None) -> Path:
    """Write the data package as a SQLite database at `path` (replaced whole), and check it."""
    data = data if data is not None else load_dataset()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    frames = _frames(data)
    connection = sqlite3.connect(tmp)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            for name in TABLE_ORDER:
                spec = TABLES[name]
                connection.execute(create_sql(name))
                columns = spec["columns"]
                rows = [tuple(_sql_value(v, c.type) for v, c in zip(row, columns))
                        for row in frames[name][[c.name for c in columns]]
                        .itertuples(index=False, name=None)]
                marks = ", ".join("?" * len(columns))
                connection.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)
                for column, _, _ in spec["foreign_keys"]:
                    connection.execute(f"CREATE INDEX {_quote(f'idx_{name}_{column}')} ON "
                                       f"{_quote(name)} ({_quote(column)})")
            fts = ", ".join(FTS_COLUMNS)
            connection.execute(f'CREATE VIRTUAL TABLE "events_fts" USING fts5({fts}, '
                               f'content="events")')
            connection.execute(f'INSERT INTO "events_fts" (rowid, {fts}) '
                               f'SELECT rowid, {fts} FROM "events"')
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ExportError(f"foreign keys broken in the database: {problems[:5]}")
        connection.execute("VACUUM")
    finally:
        connection.close()
    check_database(tmp, data)
    tmp.replace(path)
    return path


def check_database(path: Path, data=None) -> None:
    """The database holds every table of the package: same row counts, same primary keys."""
    data = data if data is not None else load_dataset()
    frames = _frames(data)
    connection = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ExportError(f"{path}: SQLite integrity check failed")
        for name in TABLE_ORDER:
            key = TABLES[name]["primary_key"]
            rows = connection.execute(
                f"SELECT {', '.join(map(_quote, key))} FROM {_quote(name)}").fetchall()
            expected = {tuple(_sql_value(v, "string") for v in row)
                        for row in frames[name][key].itertuples(index=False, name=None)}
            found = {tuple(str(v) for v in row) for row in rows}
            if len(rows) != len(frames[name]) or found != expected:
                raise ExportError(f"{path}: table {name} has {len(rows)} rows, the package "
                                  f"{len(frames[name])} (keys differ: "
                                  f"{sorted(found ^ expected)[:5]})")
    finally:
        connection.close()


def datasette_metadata(processed_dir: Path = PROCESSED_DIR) -> dict:
    """Datasette's metadata: licence, source, and every table and column described."""
    info = package_info(processed_dir)
    codebook = f"{info.homepage}/blob/main/data/processed/codebook.md" if info.homepage else ""
    tables = {}
    for name in TABLE_ORDER:
        spec = TABLES[name]
        key = ", ".join(spec["primary_key"])
        links = "; ".join(f"{c} → {t}.{k}" for c, t, k in spec["foreign_keys"])
        table = {
            "title": spec["title"],
            "description": f"{name}.csv of the data package. Primary key: {key}."
                           + (f" Links: {links}." if links else ""),
            "columns": {c.name: c.description + (f" One of: {', '.join(v for v in c.enum if v)}."
                                                 if c.enum and "One of" not in c.description
                                                 and "(see" not in c.description else "")
                        for c in spec["columns"]},
            "facets": FACETS[name],
        }
        if name in LABELS:
            table["label_column"] = LABELS[name]
        if name in SORT:
            table["sort"] = SORT[name]
        tables[name] = table
    tables["events_fts"] = {"hidden": True}
    description = (f"{info.description} Version {info.version}, released "
                   f"{info.released.isoformat()}. Read-only. Dates are local time of the "
                   "case's time zone; booleans are 1 (true) and 0 (false).")
    return {
        "title": f"{info.title} {info.version}",
        "description": description,
        "license": info.license_name,
        "license_url": info.license_url,
        "source": f"{info.title} {info.version} (Frictionless data package)",
        "source_url": info.homepage,
        "about": "Codebook",
        "about_url": codebook,
        "databases": {DB_NAME: {"title": info.title, "description": description,
                                "tables": tables}},
    }


STATIC_MOUNT = "hrt-static"  # Datasette serves <out_dir>/static here (--static)
CSS = """/* The column descriptions (every column of the schema) in a box that scrolls, so that
   the facets and the rows stay in view. */
dl.column-descriptions { max-height: 10em; overflow-y: auto; border: 1px solid #ccc;
  padding: 0.3em 0.8em; }
"""


def build(out_dir: Path = DEFAULT_DIR, processed_dir: Path = PROCESSED_DIR) -> list[Path]:
    """``<out_dir>/hospital-ransomware-timelines.db``, ``metadata.json`` and
    ``static/datasette.css``; returns the three paths."""
    out = Path(out_dir)
    data = load_dataset(processed_dir)
    db = build_database(out / f"{DB_NAME}.db", data)
    metadata = datasette_metadata(processed_dir)
    metadata["extra_css_urls"] = [f"/{STATIC_MOUNT}/datasette.css"]
    meta = write_atomic(out / "metadata.json", json_bytes(metadata))
    css = write_atomic(out / "static" / "datasette.css", CSS.encode("utf-8"))
    return [db, meta, css]


def load_metadata(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def main(argv=None) -> int:
    parser = out_parser("python -m helpers export sqlite",
                        "Write the data package as a SQLite database with Datasette metadata "
                        "(make serve runs Datasette on it).", DEFAULT_DIR, "build/datasette")
    return run_cli(parser, argv, lambda args: build(args.out))

