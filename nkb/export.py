"""Exporting the KB as tables: a SQLite database (with full-text indexes), CSV files, JSON Lines.

One set of table definitions (`TABLES`) says which columns each table has and builds its rows
from the KB's records; SQLite, CSV and JSONL are all written from those rows, so the formats
cannot drift apart. Every write goes to a temporary file or folder beside the target and is
moved into place only when complete: a failure leaves nothing half-written behind.

`--force` replaces only an export nkb wrote: a SQLite file carrying nkb's application id, a
JSON Lines file opening with nkb's header record, a folder holding exactly nkb's CSV files with
their headers;
never a file inside the KB, never a link, never anything else. No missing folder is created.
"""

from __future__ import annotations

import errno
import functools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from nkb.fsutil import WriteRefused, atomic_build, atomic_write
from nkb.index import KB
from nkb.text import json_escape, spreadsheet_safe

TableRow = dict[str, Any]
ColumnType = Literal["text", "integer", "json"]


# --- the table definitions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, its type, and what it refers to (`table.column`), if anything.

    A `json` column holds a list: a real list in JSONL, JSON text in SQLite and CSV (so that
    Datasette can facet on it as an array)."""

    name: str
    type: ColumnType = "text"
    references: str | None = None
    not_null: bool = False


@dataclass(frozen=True, slots=True)
class Nest:
    """Where a child table's rows go in a JSONL record: under `field` of the parent row that
    `column` points to. A child row with one column left becomes a plain value."""

    column: str
    field: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the export and how to build its rows from the KB."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[KB], Iterator[TableRow]]
    fts: tuple[str, ...] = ()  # columns of the full-text index `<name>_fts`
    record_type: str | None = None  # a top-level JSONL record (source, actor, event, quote)
    nest: Nest | None = None  # or where its rows go inside another table's records

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _span_columns(kb: KB, edtf: str | None) -> TableRow:
    span = kb.span(edtf)
    return {
        "date": edtf,
        "date_start": span.start if span else None,
        "date_end": span.end if span else None,
    }


_DATE_COLUMNS = (Column("date"), Column("date_start"), Column("date_end"))


def _source_rows(kb: KB) -> Iterator[TableRow]:
    for source in sorted(kb.sources.values(), key=lambda s: s.id):
        yield {
            "id": source.id,
            "title": source.title,
            "outlet": source.outlet,
            "via": source.via,
            "dateline": source.dateline,
            **_span_columns(kb, source.date),
            "date_basis": source.date_basis,
            "status": source.status,
            "file": source.file,
            "text": kb.text(source.id),
        }


def _actor_rows(kb: KB) -> Iterator[TableRow]:
    for actor in kb.actors.values():
        yield {"id": actor.id, "name": actor.name, "kind": actor.kind, "note": actor.note}


def _alias_rows(kb: KB) -> Iterator[TableRow]:
    for actor in kb.actors.values():
        for alias in dict.fromkeys(actor.aliases):  # the same alias twice is one row
            yield {"actor_id": actor.id, "alias": alias}


def _roles(kb: KB) -> Iterator[tuple[int, str, int, Any]]:
    """Every role with its row id (numbered through the KB, from 1) and its place in its actor."""
    number = 0
    for actor in kb.actors.values():
        for position, role in enumerate(actor.roles, 1):
            number += 1
            yield number, actor.id, position, role


def _role_rows(kb: KB) -> Iterator[TableRow]:
    for number, actor_id, position, role in _roles(kb):
        yield {"id": number, "actor_id": actor_id, "position": position, "title": role.title,
               **_span_columns(kb, role.date)}


def _role_source_rows(kb: KB) -> Iterator[TableRow]:
    for number, _, _, role in _roles(kb):
        for source_id in dict.fromkeys(role.sources):
            yield {"role_id": number, "source_id": source_id}


def _event_rows(kb: KB) -> Iterator[TableRow]:
    for event in kb.events:
        yield {
            "id": event.id,
            **_span_columns(kb, event.date),
            "date_basis": event.date_basis,
            "title": event.title,
            "description": event.description,
            "places": list(event.places),
        }


def _event_actor_rows(kb: KB) -> Iterator[TableRow]:
    for event in kb.events:
        for actor_id in dict.fromkeys(event.actors):
            yield {"event_id": event.id, "actor_id": actor_id}


def _event_source_rows(kb: KB) -> Iterator[TableRow]:
    for event in kb.events:
        for source_id in dict.fromkeys(event.sources):
            yield {"event_id": event.id, "source_id": source_id}


def _quote_rows(kb: KB) -> Iterator[TableRow]:
    for quote in kb.quotes:
        known = quote.speaker in kb.actors
        yield {
            "id": quote.id,
            "source_id": quote.source,
            # A draft's quote may name a speaker not yet among the actors: no link, but the name.
            "speaker_id": quote.speaker if known else None,
            "speaker_name": kb.printed_speaker(quote),
            "text": quote.text,
            **_span_columns(kb, quote.date),
            "date_basis": quote.date_basis,
            "kind": quote.kind,
            "topics": list(quote.topics),
        }


TABLES: tuple[Table, ...] = (
    Table("sources", (Column("id", not_null=True), Column("title", not_null=True),
                      Column("outlet", not_null=True), Column("via"), Column("dateline"),
                      *_DATE_COLUMNS, Column("date_basis"), Column("status"), Column("file"),
                      Column("text")),
          ("id",), _source_rows, fts=("title", "text"), record_type="source"),
    Table("actors", (Column("id", not_null=True), Column("name", not_null=True),
                     Column("kind", not_null=True), Column("note")),
          ("id",), _actor_rows, record_type="actor"),
    Table("aliases", (Column("actor_id", references="actors.id", not_null=True),
                      Column("alias", not_null=True)),
          ("actor_id", "alias"), _alias_rows, nest=Nest("actor_id", "aliases")),
    Table("roles", (Column("id", "integer", not_null=True),
                    Column("actor_id", references="actors.id", not_null=True),
                    Column("position", "integer", not_null=True), Column("title", not_null=True),
                    *_DATE_COLUMNS),
          ("id",), _role_rows, nest=Nest("actor_id", "roles")),
    Table("role_sources", (Column("role_id", "integer", references="roles.id", not_null=True),
                           Column("source_id", references="sources.id", not_null=True)),
          ("role_id", "source_id"), _role_source_rows, nest=Nest("role_id", "sources")),
    Table("events", (Column("id", not_null=True), *_DATE_COLUMNS, Column("date_basis"),
                     Column("title", not_null=True), Column("description"),
                     Column("places", "json")),
          ("id",), _event_rows, fts=("title", "description"), record_type="event"),
    Table("event_actors", (Column("event_id", references="events.id", not_null=True),
                           Column("actor_id", references="actors.id", not_null=True)),
          ("event_id", "actor_id"), _event_actor_rows, nest=Nest("event_id", "actors")),
    Table("event_sources", (Column("event_id", references="events.id", not_null=True),
                            Column("source_id", references="sources.id", not_null=True)),
          ("event_id", "source_id"), _event_source_rows, nest=Nest("event_id", "sources")),
    Table("quotes", (Column("id", not_null=True),
                     Column("source_id", references="sources.id", not_null=True),
                     Column("speaker_id", references="actors.id"), Column("speaker_name"),
                     Column("text", not_null=True), *_DATE_COLUMNS, Column("date_basis"),
                     Column("kind"), Column("topics", "json")),
          ("id",), _quote_rows, fts=("text",), record_type="quote"),
)

TABLE_NAMES = tuple(t.name for t in TABLES)


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)


def table_rows(kb: KB, spec: Table) -> Iterator[TableRow]:
    """The table's rows with exactly its columns, in column order."""
    for row in spec.rows(kb):
        if tuple(row) != spec.column_names:
            # a row builder out of step with its table definition: a bug, not a user error
            raise AssertionError(f"{spec.name}: row has {tuple(row)}, table has "
                                 f"{spec.column_names}")
        yield row


def flat(spec: Table, row: TableRow) -> list[Any]:
    """A row as SQLite and CSV store it: lists as JSON text."""
    return [json.dumps(row[c.name], ensure_ascii=False) if c.type == "json" else row[c.name]
            for c in spec.columns]


# --- JSON Lines ---------------------------------------------------------------------------------


def records(kb: KB) -> Iterator[TableRow]:
    """The KB as JSONL records: each top-level table row with a `type`, its child tables'
    rows nested inside it (an actor carries its aliases and roles, a role its sources, ...)."""
    rows = {t.name: [dict(r) for r in table_rows(kb, t)] for t in TABLES}
    # children before parents (a table follows the tables it refers to): a role gets its
    # sources before it is copied into its actor
    for spec in reversed(TABLES):
        if spec.nest is None:
            continue
        parent_table = next(c.references for c in spec.columns if c.name == spec.nest.column)
        assert parent_table is not None
        parent_name, parent_key = parent_table.split(".")
        parents = {p[parent_key]: p for p in rows[parent_name]}
        for parent in parents.values():
            parent.setdefault(spec.nest.field, [])
        for row in rows[spec.name]:
            rest = {k: v for k, v in row.items() if k != spec.nest.column}
            value = next(iter(rest.values())) if len(rest) == 1 else rest
            parents[row[spec.nest.column]][spec.nest.field].append(value)
    for spec in TABLES:
        if spec.record_type:
            for row in rows[spec.name]:
                yield {"type": spec.record_type, **row}


JSONL_FORMAT = "nkb-jsonl"
JSONL_VERSION = 1  # raised when the records change in a way a reader of version 1 would misread
JSONL_HEADER: TableRow = {"type": "export", "format": JSONL_FORMAT, "version": JSONL_VERSION,
                          "generator": "nkb"}


def write_jsonl(kb: KB, handle: IO[bytes]) -> None:
    """The header record (what wrote the file, in which format version), then the records."""
    for record in (JSONL_HEADER, *records(kb)):
        # escaped like nkb's JSON output, so printing to a terminal is safe; parses back exactly
        line = json_escape(json.dumps(record, ensure_ascii=False))
        handle.write(line.encode("utf-8") + b"\n")


def export_jsonl(kb: KB, target: Path | None, *, force: bool = False) -> None:
    """Write the JSONL export to `target`, or to stdout when it is None."""
    if target is None:
        import sys

        write_jsonl(kb, sys.stdout.buffer)
        sys.stdout.flush()
        return
    _guard_file(target)
    _guard_target(kb, target, force, _is_jsonl_export, "a JSON Lines export")

    def write() -> None:
        atomic_write(target, functools.partial(write_jsonl, kb), overwrite=force)

    _wrap_os_errors(target, write)


# --- CSV ----------------------------------------------------------------------------------------


def write_csv(kb: KB, spec: Table, handle: IO[bytes]) -> None:
    import csv
    import io

    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\n")
    # Python's writer quotes a cell holding the line terminator (\n) but not a lone CR, which
    # a reader may take as the end of the row: such a row has every cell quoted.
    quoted = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(spec.column_names)
    for row in table_rows(kb, spec):
        # text kept from running as a formula when a spreadsheet opens the file
        cells = [spreadsheet_safe(v) if isinstance(v, str) else v for v in flat(spec, row)]
        carriage = any(isinstance(v, str) and "\r" in v for v in cells)
        (quoted if carriage else writer).writerow(cells)
    text.flush()
    text.detach()  # the caller owns `handle`


def export_csv(kb: KB, target: Path, *, force: bool = False) -> None:
    """Write one CSV file per table into the folder `target`, all or nothing."""
    _guard_inside_kb(kb, target)
    if target.exists() and not force:
        raise WriteRefused(f"{target} already exists; nkb never overwrites it "
                           "(add --force to replace it, or choose another folder)")
    if (target.exists() or target.is_symlink()) and not _is_csv_export(target):
        raise WriteRefused(f"{target} is not a folder of nkb CSV files; nkb replaces only its "
                           "own exports, even with --force (choose another folder)")

    def build(folder: Path) -> None:
        folder.mkdir()
        for spec in TABLES:
            path = folder / f"{spec.name}.csv"
            atomic_write(path, functools.partial(write_csv, kb, spec))

    _wrap_os_errors(target, lambda: atomic_build(target, build, overwrite=force))


def _is_csv_export(folder: Path) -> bool:
    """A real folder holding exactly the CSV files nkb writes, each a regular file starting
    with its table's header: what `export csv` left there, not a folder of the user's."""
    headers = {f"{t.name}.csv": ",".join(t.column_names) for t in TABLES}
    if folder.is_symlink() or not folder.is_dir():
        return False
    entries = list(folder.iterdir())
    if {p.name for p in entries} != set(headers):
        return False
    return all(_regular(p) and _first_line(p) == headers[p.name] for p in entries)


# --- SQLite -------------------------------------------------------------------------------------


def _quote_name(name: str) -> str:
    return f'"{name}"'


def schema_sql(spec: Table) -> list[str]:
    """CREATE statements for a table, its foreign keys, and its full-text index."""
    sql_type = {"text": "TEXT", "integer": "INTEGER", "json": "TEXT"}
    lines = [f"{_quote_name(c.name)} {sql_type[c.type]}" + (" NOT NULL" if c.not_null else "")
             for c in spec.columns]
    lines.append(f"PRIMARY KEY ({', '.join(map(_quote_name, spec.primary_key))})")
    for column in spec.columns:
        if column.references:
            other, key = column.references.split(".")
            lines.append(f"FOREIGN KEY ({_quote_name(column.name)}) "
                         f"REFERENCES {_quote_name(other)}({_quote_name(key)})")
    statements = [f"CREATE TABLE {_quote_name(spec.name)} (\n  " + ",\n  ".join(lines) + "\n)"]
    for column in spec.columns:
        if column.references or column.name == "date_start":
            statements.append(f"CREATE INDEX {_quote_name(f'{spec.name}_{column.name}')} "
                              f"ON {_quote_name(spec.name)}({_quote_name(column.name)})")
    if spec.fts:
        # External content, named <table>_fts with content="<table>": the layout sqlite-utils
        # creates and Datasette detects, so its search box works on the table itself.
        statements.append(
            f"CREATE VIRTUAL TABLE {_quote_name(spec.name + '_fts')} USING fts5("
            + ", ".join(map(_quote_name, spec.fts)) + f', content="{spec.name}")'
        )
    return statements


APPLICATION_ID = 0x6E6B6231  # "nkb1" in the database header: this file is an nkb export
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _is_sqlite_export(path: Path) -> bool:
    """A SQLite database whose header carries nkb's application id."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    return header[:16] == _SQLITE_MAGIC and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def build_sqlite(kb: KB, path: Path) -> None:
    """Create the database at `path` (a new, empty file) from the KB."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        # No journal and no syncs while building: on failure the temporary file is thrown away
        # anyway; atomic_build makes the finished file durable (one fsync) before it is moved.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # how --force knows its own
        with conn:
            for spec in TABLES:
                for statement in schema_sql(spec):
                    conn.execute(statement)
            for spec in TABLES:
                marks = ", ".join("?" * len(spec.columns))
                conn.executemany(
                    f"INSERT INTO {_quote_name(spec.name)} VALUES ({marks})",
                    (flat(spec, row) for row in table_rows(kb, spec)),
                )
                if spec.fts:
                    name = _quote_name(spec.name + "_fts")
                    conn.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
        conn.execute("VACUUM")
    finally:
        conn.close()


def export_sqlite(kb: KB, target: Path, *, force: bool = False) -> None:
    """Write the SQLite export to `target`, all or nothing."""
    _guard_file(target)
    _guard_target(kb, target, force, _is_sqlite_export, "a SQLite export")

    # SQLite wants a path, not a handle: it builds in a temporary file beside the target.
    _wrap_os_errors(target, lambda: atomic_build(target, lambda p: build_sqlite(kb, p), overwrite=force,
                                                leftovers=("-journal", "-wal", "-shm")))


# --- errors -------------------------------------------------------------------------------------


def _regular(path: Path) -> bool:
    return not path.is_symlink() and path.is_file()


def _first_line(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.readline(1 << 16).rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        return ""


def _is_jsonl_export(path: Path) -> bool:
    """A file whose first line is the header record `export jsonl` writes: records of nkb's
    types alone do not make one (a log of the user's may hold `"type": "event"` lines), nor does
    an empty file."""
    try:
        header = json.loads(_first_line(path))
    except ValueError:
        return False
    return (isinstance(header, dict) and header.get("type") == JSONL_HEADER["type"]
            and header.get("format") == JSONL_FORMAT and header.get("generator") == "nkb")


def _guard_inside_kb(kb: KB, target: Path) -> None:
    root = kb.root.resolve()
    where = target.parent.resolve() / target.name
    if where == root or root in where.parents:
        raise WriteRefused(f"{target} is inside the KB folder {root}; an export never goes into "
                           "the KB (choose a path outside it)")


def _guard_target(kb: KB, target: Path, force: bool, ours: Callable[[Path], bool],
                  kind: str) -> None:
    """Refuse a target inside the KB, an existing one without --force, and with --force
    anything nkb's own export of this kind did not write."""
    _guard_inside_kb(kb, target)
    if not (target.exists() or target.is_symlink()):
        return
    if not force:
        raise WriteRefused(f"{target} already exists; nkb never overwrites it "
                           "(add --force to replace it, or choose another path)")
    if not _regular(target) or not ours(target):
        raise WriteRefused(f"{target} is not {kind} nkb wrote; nkb replaces only its own "
                           "exports, even with --force (choose another path)")


def _guard_file(target: Path) -> None:
    if target.is_dir():
        raise WriteRefused(f"{target} is a folder; give a file path, e.g. {target / 'nkb.db'}")


def _wrap_os_errors(target: Path, action: Callable[[], None]) -> None:
    import sqlite3  # deferred: only the SQLite export raises its errors

    try:
        action()
    except (OSError, sqlite3.Error) as exc:
        reason = _write_failure(target, exc)
        raise WriteRefused(f"cannot write {target}: {reason}; choose a folder you can write "
                           "to") from None


def _write_failure(target: Path, exc: Exception) -> str:
    """Why a write failed, in a user's words. SQLite says only "disk I/O error" when the disk is
    full or a file size limit is reached, so for its write errors those two are looked for."""
    code = getattr(exc, "errno", None)
    sqlite_write = str(getattr(exc, "sqlite_errorname", "")).startswith(("SQLITE_IOERR",
                                                                        "SQLITE_FULL"))
    limit = _size_limit()
    if limit is not None and (code == errno.EFBIG or sqlite_write):
        return f"the file size limit (ulimit -f, {limit} bytes) was reached"
    if code == errno.ENOSPC or (sqlite_write and _full(target.parent)):
        return f"the disk holding {target.parent} is full"
    return getattr(exc, "strerror", None) or str(exc)


def _size_limit() -> int | None:
    """The process's file size limit in bytes (`ulimit -f`), None if there is none."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def _full(folder: Path) -> bool:
    try:
        room = os.statvfs(folder)
    except (OSError, AttributeError):  # not on Windows
        return False
    return room.f_bavail * room.f_frsize < 1 << 20
