"""`nkb export sqlite|jsonl|csv`: the same tables in every format, written all or nothing."""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from nkb import export, index, store
from nkb.errors import ExitCode
from nkb.fsutil import WriteRefused
from nkb.models import Actor, Event, Quote, Role

Run = Callable[..., Any]

# A small KB: a draft whose quote names a speaker not yet among the actors, a role without a
# date, an open-started date, and quote text that looks like markup.
ACTORS = [
    {"id": "lavrov", "name": "Sergey Lavrov", "kind": "person",
     "aliases": ["Lavrov", "Сергей Лавров"],
     "roles": [{"title": "Foreign Minister", "date": "2023-02", "sources": ["001", "002"]},
               {"title": "Diplomat"}]},
    {"id": "russia", "name": "Russia", "kind": "state", "note": "the state"},
    {"id": "armenia", "name": "Armenia", "kind": "state"},
]
EVENTS = [
    {"id": "1994-ceasefire", "date": "1994", "title": "Ceasefire agreed",
     "description": "A ceasefire ended the war.", "actors": ["russia", "armenia"],
     "places": ["Bishkek"], "sources": ["001"]},
    {"id": "talks-before-2023", "date": "../2023-02?", "title": "Talks frozen",
     "actors": ["lavrov"], "sources": ["001", "002"]},
]
SOURCES = {
    "001": {
        "record": {"id": "001", "title": "Lavrov on the treaty", "outlet": "TASS",
                   "date": "2023-02?", "file": "001.txt",
                   "quotes": [
                       {"id": "001-1", "speaker": "lavrov", "date": "2023-02?",
                        "text": "The peace treaty is [almost] ready", "topics": ["treaty"]},
                       {"id": "001-2", "speaker": "russia", "date": "2023-02-09/2023-02-10",
                        "kind": "paraphrase", "text": "Moscow supports the ceasefire"},
                   ]},
        "text": "Lavrov said: The peace treaty is [almost] ready. Moscow supports the "
                "ceasefire, the ministry added.\n",
    },
    "002": {
        "record": {"id": "002", "title": "TODO", "outlet": "Sputnik", "date": "2024-06-05",
                   "file": "002.txt", "status": "draft",
                   "new_actors": [{"id": "pashinyan", "name": "Nikol Pashinyan"}],
                   "quotes": [
                       {"id": "002-1", "speaker": "pashinyan", "date": "2024-06-05",
                        "text": "Borders must be delimited"},
                   ]},
        "text": "Pashinyan: Borders must be delimited, he said.\n",
    },
}


@pytest.fixture
def export_kb(tmp_path: Path, write_kb: Callable[..., Path]) -> Path:
    return write_kb(tmp_path / "kb", actors=ACTORS, events=EVENTS, sources=SOURCES)


@pytest.fixture
def kb(export_kb: Path) -> index.KB:
    return store.open_kb(export_kb)


@pytest.fixture(scope="module")
def shipped() -> index.KB:
    kb, problems = index.load_uncached(store.shipped_kb())  # module scope: no private cache yet
    assert kb is not None, problems
    return kb


def expected_counts(kb: index.KB) -> dict[str, int]:
    """How many rows each table must have, counted from the KB's records."""
    actors = list(kb.actors.values())
    return {
        "sources": len(kb.sources),
        "actors": len(actors),
        "aliases": sum(len(set(a.aliases)) for a in actors),
        "roles": sum(len(a.roles) for a in actors),
        "role_sources": sum(len(set(r.sources)) for a in actors for r in a.roles),
        "events": len(kb.events),
        "event_actors": sum(len(set(e.actors)) for e in kb.events),
        "event_sources": sum(len(set(e.sources)) for e in kb.events),
        "quotes": len(kb.quotes),
    }


def sqlite_rows(path: Path, table: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
    finally:
        conn.close()


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- SQLite -----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_sqlite_has_every_record_and_valid_foreign_keys(
    which: str, kb: index.KB, shipped: index.KB, tmp_path: Path
) -> None:
    source = kb if which == "fixture" else shipped
    path = tmp_path / "nkb.db"
    export.export_sqlite(source, path)
    for name, count in expected_counts(source).items():
        assert query(path, f'SELECT count(*) FROM "{name}"') == [(count,)], name
    assert query(path, "PRAGMA foreign_key_check") == []
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


def test_sqlite_schema_follows_the_table_definitions(kb: index.KB, tmp_path: Path) -> None:
    path = tmp_path / "nkb.db"
    export.export_sqlite(kb, path)
    tables = {name for (name,) in query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(export.TABLE_NAMES) | {"quotes_fts", "events_fts", "sources_fts"} <= tables
    for spec in export.TABLES:
        columns = tuple(row[1] for row in query(path, f'PRAGMA table_info("{spec.name}")'))
        assert columns == spec.column_names
        declared = {(row[3], f"{row[2]}.{row[4]}")
                    for row in query(path, f'PRAGMA foreign_key_list("{spec.name}")')}
        assert declared == {(c.name, c.references) for c in spec.columns if c.references}
    assert ("source_id", "sources.id") in {
        (row[3], f"{row[2]}.{row[4]}") for row in query(path, "PRAGMA foreign_key_list(quotes)")
    }


def test_sqlite_keeps_the_edtf_date_and_its_sortable_span(kb: index.KB, tmp_path: Path) -> None:
    path = tmp_path / "nkb.db"
    export.export_sqlite(kb, path)
    events = query(path, "SELECT id, date, date_start, date_end FROM events ORDER BY date_start")
    assert events == [
        ("talks-before-2023", "../2023-02?", "0000-01-01", "2023-02-28"),
        ("1994-ceasefire", "1994", "1994-01-01", "1994-12-31"),
    ]
    assert query(path, "SELECT date, date_start, date_end FROM quotes WHERE id = '001-2'") == [
        ("2023-02-09/2023-02-10", "2023-02-09", "2023-02-10")
    ]
    # a role without a date has no span either
    assert query(path, "SELECT title, date, date_start FROM roles ORDER BY id") == [
        ("Foreign Minister", "2023-02", "2023-02-01"), ("Diplomat", None, None)
    ]


def test_sqlite_full_text_search_finds_quotes_events_and_sources(
    kb: index.KB, tmp_path: Path
) -> None:
    path = tmp_path / "nkb.db"
    export.export_sqlite(kb, path)
    found = query(path, "SELECT id, text FROM quotes WHERE rowid IN "
                        "(SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", "peace treaty")
    assert found == [("001-1", "The peace treaty is [almost] ready")]
    assert query(path, "SELECT id FROM events WHERE rowid IN "
                       "(SELECT rowid FROM events_fts WHERE events_fts MATCH 'war')") == [
        ("1994-ceasefire",)
    ]
    assert query(path, "SELECT id FROM sources WHERE rowid IN "
                       "(SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'delimited')") == [
        ("002",)
    ]


def test_shipped_kb_full_text_search(shipped: index.KB, tmp_path: Path) -> None:
    path = tmp_path / "nkb.db"
    export.export_sqlite(shipped, path)
    found = {quote_id for (quote_id,) in query(
        path, "SELECT id FROM quotes WHERE rowid IN "
              "(SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'peace treaty')")}
    assert "001-1" in found


def test_draft_speaker_not_yet_an_actor_is_named_but_not_linked(
    kb: index.KB, tmp_path: Path
) -> None:
    path = tmp_path / "nkb.db"
    export.export_sqlite(kb, path)
    assert query(path, "SELECT speaker_id, speaker_name FROM quotes ORDER BY id") == [
        ("lavrov", "Sergey Lavrov"), ("russia", "Russia"), (None, "Nikol Pashinyan")
    ]


def test_list_columns_hold_json_arrays(kb: index.KB, tmp_path: Path) -> None:
    path = tmp_path / "nkb.db"
    export.export_sqlite(kb, path)
    assert query(path, "SELECT places FROM events WHERE id = '1994-ceasefire'") == [
        ('["Bishkek"]',)
    ]
    assert query(path, "SELECT topics FROM quotes WHERE id = '001-1'") == [('["treaty"]',)]


# --- JSON Lines and CSV -----------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines export, after its header record (checked here)."""
    header, *records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert header == {"type": "export", "format": "nkb-jsonl", "version": 1, "generator": "nkb"}
    return records


def decoded(spec: export.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A SQLite row with its JSON columns turned back into lists."""
    return {c.name: json.loads(row[c.name]) if c.type == "json" else row[c.name]
            for c in spec.columns}


def test_jsonl_records_give_back_the_kb_records(kb: index.KB, tmp_path: Path) -> None:
    path = tmp_path / "nkb.jsonl"
    export.export_jsonl(kb, path)
    records = read_jsonl(path)
    assert [r["type"] for r in records] == (
        ["source"] * 2 + ["actor"] * 3 + ["event"] * 2 + ["quote"] * 3
    )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_type.setdefault(record.pop("type"), []).append(record)
    actors = [
        Actor(id=r["id"], name=r["name"], kind=r["kind"], aliases=r["aliases"], note=r["note"],
              roles=[Role(title=x["title"], date=x["date"], sources=x["sources"])
                     for x in r["roles"]])
        for r in by_type["actor"]
    ]
    assert actors == list(kb.actors.values())
    events = [
        Event(id=r["id"], date=r["date"], title=r["title"], sources=r["sources"],
              description=r["description"], date_basis=r["date_basis"], actors=r["actors"],
              places=r["places"])
        for r in by_type["event"]
    ]
    assert events == kb.events
    quotes = [
        Quote(id=r["id"], speaker=r["speaker_id"] or "pashinyan", text=r["text"], date=r["date"],
              date_basis=r["date_basis"], kind=r["kind"], topics=r["topics"],
              source=r["source_id"])
        for r in by_type["quote"]
    ]
    assert quotes == kb.quotes
    for record in by_type["source"]:
        source = kb.sources[record["id"]]
        assert record["text"] == kb.text(source.id)
        assert {k: record[k] for k in ("title", "outlet", "date", "status", "via")} == {
            "title": source.title, "outlet": source.outlet, "date": source.date,
            "status": source.status, "via": source.via}


def test_jsonl_rows_equal_the_sqlite_rows(kb: index.KB, tmp_path: Path) -> None:
    export.export_jsonl(kb, tmp_path / "nkb.jsonl")
    export.export_sqlite(kb, tmp_path / "nkb.db")
    records = read_jsonl(tmp_path / "nkb.jsonl")
    for spec in export.TABLES:
        if spec.record_type is None:
            continue
        from_jsonl = [{c: r[c] for c in spec.column_names}
                      for r in records if r["type"] == spec.record_type]
        from_sqlite = [decoded(spec, r) for r in sqlite_rows(tmp_path / "nkb.db", spec.name)]
        assert from_jsonl == from_sqlite, spec.name


def test_csv_files_hold_the_sqlite_tables(kb: index.KB, tmp_path: Path) -> None:
    export.export_csv(kb, tmp_path / "csv")
    export.export_sqlite(kb, tmp_path / "nkb.db")
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(
        f"{name}.csv" for name in export.TABLE_NAMES)
    for spec in export.TABLES:
        with (tmp_path / "csv" / f"{spec.name}.csv").open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            assert tuple(reader.fieldnames or ()) == spec.column_names
            from_csv = list(reader)
        # CSV has only text: NULL is written as an empty cell, numbers as digits
        from_sqlite = [{k: "" if v is None else str(v) for k, v in row.items()}
                       for row in sqlite_rows(tmp_path / "nkb.db", spec.name)]
        assert from_csv == from_sqlite, spec.name


def test_jsonl_to_stdout(run_nkb: Run, export_kb: Path, kb: index.KB) -> None:
    result = run_nkb("export", "jsonl", "-", "--drafts", kb=export_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + len(kb.sources) + len(kb.actors) + len(kb.events) + len(kb.quotes)
    assert json.loads(lines[0])["type"] == "export"  # the header, as in a file
    assert json.loads(lines[1])["type"] == "source"
    assert result.stderr == ""


def test_drafts_are_left_out_unless_asked_for(run_nkb: Run, export_kb: Path,
                                             kb: index.KB) -> None:
    drafts = {s.id for s in kb.sources.values() if s.status == "draft"}
    assert drafts
    records = [json.loads(line) for line in
               run_nkb("export", "jsonl", "-", kb=export_kb).stdout.splitlines()]
    assert not [r for r in records if r["type"] == "source" and r["id"] in drafts]
    assert not [r for r in records if r["type"] == "quote" and r["source_id"] in drafts]
    assert not [r for r in records if drafts & set(r.get("sources") or [])]
    with_drafts = [json.loads(line) for line in
                   run_nkb("export", "jsonl", "-", "--drafts", kb=export_kb).stdout.splitlines()]
    assert {r["status"] for r in with_drafts if r["type"] == "source"} == {"curated", "draft"}


# --- writing safely ---------------------------------------------------------------------------


FORMATS = {
    # format: (target name, makes a folder?)
    "sqlite": ("nkb.db", False),
    "jsonl": ("nkb.jsonl", False),
    "csv": ("nkb-csv", True),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its content."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_each_format(fmt: str, run_nkb: Run, export_kb: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / FORMATS[fmt][0]
    target.parent.mkdir()
    result = run_nkb("export", fmt, str(target), kb=export_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == ""
    assert target.is_dir() == FORMATS[fmt][1]
    # nothing but the export is left beside it
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("fmt", FORMATS)
def test_refuses_to_overwrite_without_force(
    fmt: str, run_nkb: Run, export_kb: Path, tmp_path: Path
) -> None:
    target = tmp_path / FORMATS[fmt][0]
    assert run_nkb("export", fmt, str(target), kb=export_kb).exit_code == ExitCode.OK
    before = snapshot(tmp_path)
    result = run_nkb("export", fmt, str(target), kb=export_kb)
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("nkb: error: ")
    assert str(target) in result.stderr and "--force" in result.stderr
    assert snapshot(tmp_path) == before
    forced = run_nkb("export", fmt, str(target), "--force", kb=export_kb)
    assert forced.exit_code == ExitCode.OK, forced.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, "kb"])


def test_force_does_not_replace_a_folder_that_is_not_an_export(
    run_nkb: Run, export_kb: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    result = run_nkb("export", "csv", str(folder), "--force", kb=export_kb)
    assert result.exit_code == ExitCode.ERROR
    assert str(folder) in result.stderr and "not a folder of nkb CSV files" in result.stderr
    assert (folder / "mine.txt").read_text() == "keep me"


@pytest.mark.parametrize("fmt", ["sqlite", "jsonl"])
def test_a_folder_is_not_a_file_target(
    fmt: str, run_nkb: Run, export_kb: Path, tmp_path: Path
) -> None:
    result = run_nkb("export", fmt, str(tmp_path), "--force", kb=export_kb)
    assert result.exit_code == ExitCode.ERROR
    assert f"{tmp_path} is a folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_unwritable_path_is_one_clear_line(
    fmt: str, run_nkb: Run, export_kb: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / FORMATS[fmt][0]  # a path under a file can never be written, even by root
    result = run_nkb("export", fmt, str(target), kb=export_kb)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.count("\n") == 1
    assert f"cannot write {target}" in result.stderr and "choose a folder" in result.stderr
    assert "Traceback" not in result.stderr


class Boom(Exception):
    """Raised by a row builder part-way through a table."""


def failing_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the quotes table fail after its first row, as a bug or a full disk might."""
    spec = export.table("quotes")
    original = spec.rows

    def rows(kb: index.KB) -> Iterator[dict[str, Any]]:
        iterator = original(kb)
        yield next(iterator)
        raise Boom("midway")

    patched = tuple(dataclasses.replace(t, rows=rows) if t is spec else t for t in export.TABLES)
    monkeypatch.setattr(export, "TABLES", patched)


WRITERS: dict[str, Callable[..., None]] = {
    "sqlite": export.export_sqlite,
    "jsonl": export.export_jsonl,
    "csv": export.export_csv,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failure_midway_leaves_no_file_behind(
    fmt: str, kb: index.KB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    failing_quotes(monkeypatch)
    with pytest.raises(Boom):
        WRITERS[fmt](kb, out / FORMATS[fmt][0])
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failure_midway_keeps_the_previous_export(
    fmt: str, kb: index.KB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / FORMATS[fmt][0]
    WRITERS[fmt](kb, target)
    before = snapshot(out)
    failing_quotes(monkeypatch)
    with pytest.raises(Boom):
        WRITERS[fmt](kb, target, force=True)
    assert snapshot(out) == before
    assert [p.name for p in out.iterdir()] == [target.name]


def test_write_refused_is_an_nkb_error(kb: index.KB, tmp_path: Path) -> None:
    target = tmp_path / "nkb.db"
    target.write_bytes(b"")
    with pytest.raises(WriteRefused, match="already exists"):
        export.export_sqlite(kb, target)


def test_every_row_builder_matches_its_table(shipped: index.KB) -> None:
    for spec in export.TABLES:
        for row in export.table_rows(shipped, spec):
            assert tuple(row) == spec.column_names
            msgspec.json.encode(row)  # plain data only
