"""The data package as a SQLite database with Datasette metadata (helpers.publish.exports.sqlite,
helpers.publish.serve): every table, row, type and key kept, metadata from the schema, read-only and
local by default. The server in a browser: test_exports_browser.py."""
from __future__ import annotations

import json
import sqlite3

import pytest

from helpers.core.frames import load_dataset
from helpers.core.paths import PROJECT_ROOT
from helpers.core.schema import TABLES
from helpers.publish.exports import sqlite as db_export
from helpers.publish.exports.common import ExportError, source_url

DATA = load_dataset()


# --- links --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://abcdefghijklmnop.onion/leak", "ftp://example.org/x",
                                 "javascript:alert(1)", "lockbit.onion"])
def test_no_link_but_the_sources_pages(url):
    with pytest.raises(ExportError):
        source_url(url)
    assert source_url("https://www.lemagit.fr/actualites/x") == "https://www.lemagit.fr/actualites/x"
    assert source_url(None) is None and source_url("") is None

# --- SQLite and Datasette ---------------------------------------------------------------

@pytest.fixture(scope="module")
def database(tmp_path_factory):
    out = tmp_path_factory.mktemp("datasette")
    db, meta, css = db_export.build(out)
    assert css.is_file()
    return db, json.loads(meta.read_text(encoding="utf-8"))


def test_database_keeps_every_table_row_and_key(database):
    db, _ = database
    connection = sqlite3.connect(db)
    for name, spec in TABLES.items():
        frame = db_export._frames(DATA)[name]
        assert connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(frame)
        info = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
        assert [row[1] for row in info] == [c.name for c in spec["columns"]]
        types = {row[1]: row[2] for row in info}
        assert all(types[c.name] == db_export.SQL_TYPES[c.type] for c in spec["columns"])
        assert {row[1]: row[3] for row in info} == {c.name: int(c.required)
                                                     for c in spec["columns"]}
        key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        assert key == spec["primary_key"]
        fks = {(row[3], row[2], row[4]) for row in
               connection.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()}
        assert fks == set(spec["foreign_keys"])
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_database_values_are_the_csv_values(database):
    db, _ = database
    connection = sqlite3.connect(db)
    row = connection.execute("SELECT earliest_datetime, latest_datetime, is_context, quote_start, "
                             "date_text FROM events WHERE event_id = 'cannes-nicematin-leak'"
                             ).fetchone()
    import csv

    with open(PROJECT_ROOT / "data" / "processed" / "events.csv", encoding="utf-8") as stream:
        source = next(r for r in csv.DictReader(stream) if r["event_id"] == "cannes-nicematin-leak")
    assert row == (source["earliest_datetime"], source["latest_datetime"], 0,
                   int(source["quote_start"]), source["date_text"])


def test_database_full_text_search(database):
    db, _ = database
    found = sqlite3.connect(db).execute(
        "SELECT e.event_id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid "
        "WHERE events_fts MATCH 'gigaoctets OR données'").fetchall()
    assert found


def test_check_database_finds_a_missing_row(database, tmp_path):
    db, _ = database
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    connection = sqlite3.connect(copy)
    connection.execute("DELETE FROM delays WHERE rowid = (SELECT min(rowid) FROM delays)")
    connection.commit()
    connection.close()
    with pytest.raises(ExportError, match="delays"):
        db_export.check_database(copy, DATA)


def test_metadata_describes_every_table_and_column_from_the_schema(database):
    _, meta = database
    assert meta["license"] == "CC-BY-4.0"
    assert meta["license_url"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert DATA.version in meta["source"] and meta["source_url"]
    tables = meta["databases"][db_export.DB_NAME]["tables"]
    for name, spec in TABLES.items():
        assert tables[name]["title"] == spec["title"]
        assert set(tables[name]["columns"]) == {c.name for c in spec["columns"]}
        for column in spec["columns"]:
            assert tables[name]["columns"][column.name].startswith(column.description)
    assert tables["events"]["facets"] == ["case_id", "event_type", "actor", "status",
                                          "date_precision"]
    assert tables["cases"]["label_column"] == "short_name"
    assert tables["sources"]["label_column"] == "outlet"


def test_serve_is_read_only_and_local_by_default(tmp_path):
    from helpers.publish import serve

    command = serve.datasette_command(tmp_path / "x.db", tmp_path / "m.json")
    assert "--immutable" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("localhost")
    assert not serve.is_loopback("0.0.0.0")
