"""Every listing and view at 80 and 120 columns, against golden files: a table or one block per
record, nothing cut, no line wider than the terminal; interval dates never broken; whole
`--help` summaries; nkb's own options before or after the command; bare `nkb` is help."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import render
from nkb.errors import ExitCode

ANSI = re.compile(r"\x1b\[[0-9;]*m")
INTERVAL = "2019-03/2020-02-11"
LONG_TITLE = ("Mutual trips of Armenian and Azerbaijani journalists agreed after the talks of "
              "the two leaders")

SCREENS = {
    "sources": ("sources",),
    "quotes": ("quotes",),
    "events": ("events",),
    "actors": ("actors",),
    "topics": ("topics",),
    "search": ("search", "ceasefire OR journalists"),
    "timeline": ("timeline",),
    "source": ("source", "002"),
    "quote": ("quote", "002-1"),
    "event": ("event", "2019-2020-mutual-trips"),
    "actor": ("actor", "Zakharova"),
    "actor-organisation": ("actor", "OSCE Minsk Group"),
}


@pytest.fixture
def wide_kb(make_kb: Callable[..., Path], kb_data: Any) -> Path:
    """The fixture KB with an event dated by an interval, under a long title, and topics."""
    kb_data.events.append({"id": "2019-2020-mutual-trips", "date": INTERVAL,
                           "title": LONG_TITLE, "actors": ["russia", "osce"],
                           "places": ["Yerevan", "Baku"], "sources": ["002", "001"]})
    kb_data.sources["002"]["record"]["quotes"][0]["topics"] = ["ceasefire"]
    return make_kb(events=kb_data.events, sources=kb_data.sources)


def screen(run_nkb: Any, monkeypatch: pytest.MonkeyPatch, root: Path, width: int,
           *args: str) -> str:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_nkb("--no-pager", *args, kb=root)
    assert result.exit_code == ExitCode.OK, result.stderr
    return ANSI.sub("", result.stdout)


def cut_marks(out: str) -> str:
    """The screen's words, less the legend of marked quotes and the timeline's gap lines,
    whose '...' and '…' are meant: what is left holds an ellipsis only where text was cut."""
    words = " ".join(out.split())
    words = words.replace(" ".join(render.passage_legend(False).split()), "")
    return re.sub("… \\d{4}(\u2013\\d{4})?: [^…]*…", "", words)  # an en dash between years


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_every_listing_and_view_fits_and_matches_its_golden_file(
        run_nkb: Any, monkeypatch: pytest.MonkeyPatch, wide_kb: Path, golden: Any,
        name: str, width: int) -> None:
    out = screen(run_nkb, monkeypatch, wide_kb, width, *SCREENS[name])
    assert max(len(line) for line in out.splitlines()) <= width
    assert "…" not in cut_marks(out) and "..." not in cut_marks(out)  # nothing cut
    golden(f"w{width}/{name}.txt", out)


@pytest.mark.parametrize("width", [80, 120])
def test_events_is_a_table_at_80_columns_with_date_title_and_sources(
        run_nkb: Any, monkeypatch: pytest.MonkeyPatch, wide_kb: Path, width: int) -> None:
    out = screen(run_nkb, monkeypatch, wide_kb, width, "events")
    header = next(line for line in out.splitlines() if "date" in line and "┃" in line)
    assert [c.strip() for c in header.strip("┃").split("┃")][:1] in (["id"], ["date"])
    assert {"date", "title", "sources"} <= {c.strip() for c in header.split("┃")}
    assert INTERVAL in out and LONG_TITLE.split()[0] in out
    if "id" not in header:
        assert "left out at this width: places, actors, id" in out


@pytest.mark.parametrize("width", range(30, 201, 7))
def test_an_interval_date_is_never_broken(width: int) -> None:
    from rich.console import Console

    rows = [{"id": "e1", "date": INTERVAL, "title": LONG_TITLE, "actors": ["Russia"],
             "places": [], "sources": ["001"]}]
    console = Console(width=width, record=True, no_color=True, force_terminal=True)
    console.print(render.to_table(rows, render.EVENT_TABLE, "Events", width,
                                  render.EVENT_OPTIONAL))
    assert INTERVAL in console.export_text()


def test_help_summaries_are_whole(run_nkb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run_nkb("--help").stdout
    commands = out.split("Commands:")[1]
    assert "..." not in commands
    joined = " ".join(commands.split())
    assert ("Validate the KB and report every problem at once, with file and line."
            in joined)
    assert "Renumber a source and every reference to it (its files, its quotes' ids, events, " \
        "roles), all at once or not at all; e.g. after two curators each added 005." in joined


def test_bare_nkb_prints_help_and_succeeds(run_nkb: Any) -> None:
    result = run_nkb()
    assert result.exit_code == ExitCode.OK
    assert result.stdout.startswith("Usage: nkb [OPTIONS] COMMAND [ARGS]...")
    assert "Commands:" in result.stdout
    group = run_nkb("export")  # a group without its command: its help, too
    assert group.exit_code == ExitCode.OK
    assert group.stdout.startswith("Usage: nkb export [OPTIONS] COMMAND [ARGS]...")


@pytest.mark.parametrize("args", [
    ("quotes", "--kb", "{kb}", "-f", "csv"),
    ("quotes", "-f", "csv", "--kb={kb}", "--no-pager", "--debug"),
    ("--debug", "quotes", "--kb", "{kb}", "-f", "csv"),
])
def test_global_options_work_after_the_command(run_nkb: Any, kb_dir: Path,
                                               args: tuple[str, ...]) -> None:
    result = run_nkb(*(a.replace("{kb}", str(kb_dir)) for a in args))
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.splitlines()[1].startswith("002-1,2021-06-17,Maria Zakharova")


def test_an_option_value_is_never_taken_for_a_global_option(run_nkb: Any, kb_dir: Path) -> None:
    # `--outlet --no-pager` asks for an outlet of that name; it does not turn the pager off
    result = run_nkb("quotes", "--outlet", "--no-pager", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "no outlet matches '--no-pager'" in result.stderr
