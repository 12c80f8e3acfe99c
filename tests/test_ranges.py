"""Certain and possible dates: a record whose date only may fall inside the range asked for is
marked in every format, and --within keeps only those certainly inside."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import dates, store
from nkb.dates import parse_edtf, parse_query_date
from nkb.errors import ExitCode

Run = Callable[..., Any]

EXTRA_EVENTS = [
    {"id": "2020-07-clashes", "date": "2020-07?", "title": "Clashes, month uncertain",
     "description": "Clashes on the border.", "actors": ["russia"], "sources": ["002"]},
    {"id": "2020-09-27-clashes", "date": "2020-09-27", "title": "Renewed clashes",
     "description": "Clashes resumed.", "actors": ["russia"], "sources": ["002"]},
    {"id": "by-2023-statement", "date": "../2023-02?", "title": "A statement made by 2023",
     "description": "Said at some time before February 2023.", "actors": ["russia"],
     "sources": ["001"]},
]
RANGE_2020 = {"2020-2022-trilateral-agreements": "possible", "2020-07-clashes": "possible",
              "2020-09-27-clashes": "certain", "by-2023-statement": "possible"}


@pytest.fixture
def run(run_nkb: Run, kb_data: Any, make_kb: Callable[..., Path]) -> Run:
    root = make_kb(events=[*kb_data.events, *EXTRA_EVENTS])
    return lambda *args: run_nkb(*args, kb=root)


def ok(result: Any) -> Any:
    assert result.exit_code == ExitCode.OK, result.stderr
    return result


@pytest.mark.parametrize(("edtf", "fit"), [
    ("2020-09-27", dates.CERTAIN), ("2020-07", dates.CERTAIN), ("2020", dates.CERTAIN),
    ("2020-07?", dates.POSSIBLE), ("2020~", dates.POSSIBLE), ("2020/2022", dates.POSSIBLE),
    ("2019-03/2020-02-11", dates.POSSIBLE), ("../2023-02?", dates.POSSIBLE),
    ("2020-12-31/..", dates.POSSIBLE), ("2021", None), ("../2019-12", None),
])
def test_range_fit(edtf: str, fit: str | None) -> None:
    year = parse_query_date("2020")
    assert dates.range_fit(edtf, parse_edtf(edtf), year, year) == fit


@pytest.mark.parametrize(("since", "until", "label"), [
    ("2020", "2020", "2020"), ("2019", "2023", "2019\u20132023"), ("2020-07", None, "from 2020-07"),
    (None, "2021-06-17", "until 2021-06-17"), ("2020-07", "2021-02", "2020-07\u20132021-02"),
])
def test_range_label(since: str | None, until: str | None, label: str) -> None:
    first = parse_query_date(since) if since else None
    last = parse_query_date(until) if until else None
    assert dates.range_label(first, last) == label


def test_every_row_says_how_its_date_fits_the_range(run: Run) -> None:
    rows = json.loads(ok(run("events", "--since", "2020", "--until", "2020", "-f", "json")).stdout)
    assert {row["id"]: row["range"] for row in rows} == RANGE_2020


def test_within_keeps_only_dates_certainly_inside(run: Run) -> None:
    rows = json.loads(ok(run("events", "--since", "2020", "--until", "2020", "--within",
                             "-f", "json")).stdout)
    assert [(row["id"], row["range"]) for row in rows] == [("2020-09-27-clashes", "certain")]


def test_without_a_range_rows_carry_no_range(run: Run) -> None:
    assert all("range" not in row for row in json.loads(ok(run("events", "-f", "json")).stdout))


def test_a_table_marks_a_possible_date_and_says_so(run: Run) -> None:
    result = ok(run("events", "--since", "2020", "--until", "2020"))
    lines = {line.split("\t")[0]: line.split("\t")[1] for line in result.stdout.splitlines()}
    assert lines == {"2020-2022-trilateral-agreements": "\u22482020/2022",
                     "2020-07-clashes": "\u22482020-07?", "2020-09-27-clashes": "2020-09-27",
                     "by-2023-statement": "\u2248../2023-02?"}
    assert "nkb: \u2248 marks 3 date(s) that may fall outside the range asked for; --within " \
           "leaves them out" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_csv_and_markdown_carry_a_range_column(run: Run, fmt: str) -> None:
    out = ok(run("events", "--since", "2020", "--until", "2020", "-f", fmt)).stdout
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
    else:
        lines = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines()]
        rows = [dict(zip(lines[0], line, strict=True)) for line in lines[2:]]
    assert {row["id"]: row["range"] for row in rows} == RANGE_2020


def test_quotes_are_marked_and_narrowed_alike(run: Run) -> None:
    # 001-1 is dated 2023-02 (certain in 2023); 001-2 2023-02-09
    rows = json.loads(ok(run("quotes", "--since", "2023-02-09", "--until", "2023-02-09",
                             "-f", "json")).stdout)
    assert {row["id"]: row["range"] for row in rows} == {"001-1": "possible", "001-2": "certain"}
    within = json.loads(ok(run("quotes", "--since", "2023-02-09", "--until", "2023-02-09",
                               "--within", "-f", "json")).stdout)
    assert [row["id"] for row in within] == ["001-2"]


def test_the_timeline_states_the_range_asked_for(run: Run) -> None:
    data = json.loads(ok(run("timeline", "--since", "2020", "--until", "2020", "-f",
                             "json")).stdout)
    assert data["range"] == "2020"
    entries = {e["id"]: e["range"] for s in data["sections"] if s["type"] == "year"
               for g in s["groups"] for e in g["entries"]}
    assert entries == RANGE_2020
    within = json.loads(ok(run("timeline", "--since", "2020", "--until", "2020", "--within",
                               "-f", "json")).stdout)
    assert within["events"] == 1 and within["quotes"] == 0


def test_the_drawn_timeline_is_headed_by_the_range_asked_for(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    drawn = ok(run("--no-pager", "timeline", "--since", "2020", "--until", "2020")).stdout
    out = re.sub(r"\x1b\[[0-9;]*m", "", drawn)  # the styles, not the words
    assert out.startswith("Timeline 2020: 4 events, 0 quotes")  # not the entries' 2019-2023
    assert "\u2248 may fall outside 2020" in " ".join(out.split()) and "\u2248../2023-02?" in out


def test_the_shipped_kb_within_2020_lists_nothing_that_may_fall_outside(
        run_nkb: Run) -> None:
    year = parse_query_date("2020")
    root = store.shipped_kb()
    for command in ("events", "quotes"):
        rows = json.loads(ok(run_nkb(command, "--since", "2020", "--until", "2020", "--within",
                                     "-f", "json", kb=root)).stdout)
        for row in rows:
            span = parse_edtf(row["date"])
            assert year.start <= span.start and span.end <= year.end, row["id"]
            assert not dates.is_qualified(row["date"]) and row["range"] == "certain"
