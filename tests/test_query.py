"""Word queries as users type them: exact words first, near spellings said and marked,
phrases, OR, -word and prefix* on every command that searches."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode

Run = Callable[..., Any]

BORDER_TEXT = (
    "Zakharova said: Tension on the border has abated. Russia acted in order to prevent "
    "incidents. Peace talks resumed in Moscow. The peace treaty is near. Negotiations "
    "continue, she added.\n")
BORDER_QUOTES = [
    ("004-1", "Tension on the border has abated"),
    ("004-2", "Russia acted in order to prevent incidents"),
    ("004-3", "Peace talks resumed in Moscow"),
    ("004-4", "The peace treaty is near"),
    ("004-5", "Negotiations continue"),
]


@pytest.fixture
def border_kb(kb_data: Any, make_kb: Callable[..., Path]) -> Path:
    """The fixture KB plus a source whose quotes hold 'border', 'order', 'peace talks',
    'peace treaty' and 'negotiations'."""
    sources = dict(kb_data.sources)
    sources["004"] = {
        "record": {"id": "004", "title": "Zakharova on the situation", "outlet": "TASS",
                   "date": "2022-03-01", "file": "004.txt",
                   "quotes": [{"id": ident, "speaker": "zakharova", "date": "2022-03-01",
                               "text": text} for ident, text in BORDER_QUOTES]},
        "text": BORDER_TEXT,
    }
    return make_kb(sources=sources)


@pytest.fixture
def run(run_nkb: Run, border_kb: Path) -> Run:
    return lambda *args: run_nkb(*args, kb=border_kb)


def quote_ids(result: Any) -> list[str]:
    assert result.exit_code == ExitCode.OK, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_a_word_the_kb_holds_finds_only_itself(run: Run) -> None:
    # 'order' is one letter from 'border', but 'border' is in the KB: no near spelling
    result = run("quotes", "--search", "border", "-f", "json")
    assert quote_ids(result) == ["004-1"]
    assert "read as" not in result.stderr
    assert all(row["match"] == "words" for row in json.loads(result.stdout))


def test_a_word_no_record_holds_is_read_as_its_near_spelling_and_said(run: Run) -> None:
    result = run("quotes", "--search", "bordr", "-f", "json")
    assert quote_ids(result) == ["004-1"]
    assert "nkb: 'bordr' read as 'border'\n" in result.stderr
    assert json.loads(result.stdout)[0]["match"] == "near spelling: 'bordr' read as 'border'"


@pytest.mark.parametrize("fmt", ["csv", "md", "table"])
def test_a_near_spelling_row_is_marked_in_every_format(run: Run, fmt: str) -> None:
    # table here is the piped form (stdout is not a terminal): tab-separated lines
    out = run("quotes", "--search", "bordr", "-f", fmt).stdout
    [line] = [line for line in out.splitlines() if "004-1" in line]
    assert "near spelling: 'bordr' read as 'border'" in line.replace("\\'", "'")
    if fmt == "csv":
        [row] = list(csv.DictReader(io.StringIO(out)))
        assert row["match"] == "near spelling: 'bordr' read as 'border'"


def test_a_near_spelling_row_is_marked_in_a_drawn_table(run: Run,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("NKB_PAGER", "cat")
    out = run("--no-pager", "quotes", "--search", "bordr").stdout
    assert "match" in out and "near spelling" in out


def test_exact_turns_near_spellings_off(run: Run) -> None:
    result = run("quotes", "--search", "bordr", "--exact", "-f", "json")
    assert quote_ids(result) == [] and "read as" not in result.stderr


@pytest.mark.parametrize(("query", "expected"), [
    ('"peace treaty"', ["004-4"]),
    ("peace", ["004-3", "004-4"]),
    ("treaty OR talks", ["004-3", "004-4"]),
    ("peace -talks", ["004-4"]),
    ("negotiat*", ["004-5"]),
])
def test_query_syntax_on_quotes(run: Run, query: str, expected: list[str]) -> None:
    assert quote_ids(run("quotes", "--search", query, "-f", "json")) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ('"peace treaty"', {"004-4", "001", "004"}),  # 001's title, 004's text
    ('"treaty peace"', set()),
    ("treaty OR talks", {"004-3", "004-4", "001", "004"}),
    ("peace -talks", {"004-4", "001"}),  # 004's text holds 'talks'
    ("negotiat*", {"004-5", "004"}),
])
def test_query_syntax_on_search(run: Run, query: str, expected: set[str]) -> None:
    result = run("search", query, "--kind", "quote", "--kind", "source", "-f", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert {hit["id"] for hit in json.loads(result.stdout)} == expected


def test_query_syntax_on_events(run: Run) -> None:
    result = run("events", "--search", "talks OR trilateral -vienna", "-f", "json")
    assert quote_ids(result) == ["2020-2022-trilateral-agreements"]


def test_a_query_that_only_leaves_out_is_a_usage_error(run: Run) -> None:
    result = run("search", "--", "-talks")
    assert result.exit_code == ExitCode.USAGE and result.stdout == ""
    assert "give a word to look for too" in result.stderr
