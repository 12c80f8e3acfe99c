"""Tables at 80 columns keep every id and word whole; piped tables are plain tab-separated
lines; the pager runs only on a terminal, for output taller than it; shell completion."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import complete, store
from nkb.errors import ExitCode

SHIPPED = Path(__file__).parents[1] / "kb"
NKB = Path(sys.executable).with_name("nkb")
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
BOX = set("│┃━─┏┓┗┛┡┩╇┳┻╭╮╰╯")

VIEWS = [["quotes"], ["events"], ["sources"], ["actors"], ["search", "border"],
         ["source", "4"], ["source", "0"], ["actor", "Rudenko"], ["actor", "Galuzin"],
         ["quote", "004-2"], ["event", "2020-07-armenia-azerbaijan-border-clashes"]]


def _ids(kb_json: str) -> set[str]:
    """Every id-looking value in a JSON answer: the ids the table must show whole."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("id", "source", "sources", "speaker_id"):
            found.add(value)

    walk(json.loads(kb_json))
    return found


def _words(kb_json: str) -> set[str]:
    """The words of every title and name in a JSON answer."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("title", "speaker", "name", "outlet"):
            found.update(value.split())

    walk(json.loads(kb_json))
    return found


@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(a) for a in VIEWS])
def test_at_80_columns_no_id_or_word_is_broken(run_nkb: Callable[..., Any],
                                               monkeypatch: pytest.MonkeyPatch,
                                               args: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # drawn as for a terminal
    table = run_nkb(*args, kb=SHIPPED)
    assert table.exit_code == ExitCode.OK, table.stderr
    shown = ANSI.sub("", table.stdout)
    assert all(len(line) <= 80 for line in shown.splitlines())
    answer = run_nkb(*args, "-f", "json", kb=SHIPPED).stdout
    tokens = _tokens(shown)
    # the ids this view prints: those in its piped form, where every field is on one line
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    printed = _tokens(run_nkb(*args, kb=SHIPPED).stdout)
    expected = _ids(answer) & printed
    # an events table too narrow for its id column leaves it out and says so under the table
    note = re.search(r"left out at this width: ([^(]*)\(", " ".join(shown.split()))
    if note and "id" in note[1].replace(",", " ").split():
        expected -= _event_ids(answer)
    assert expected and not expected - tokens
    if args[0] in ("quotes", "events", "sources", "actors"):
        assert not ({w.strip("();,") for w in _words(answer)} & printed) - tokens


def _event_ids(kb_json: str) -> set[str]:
    """The ids of the events in a JSON answer: a listing of them, or a view's `events`."""
    data = json.loads(kb_json)
    events = data if isinstance(data, list) else data.get("events", [])
    return {e["id"] for e in events if isinstance(e, dict) and "id" in e}


def _tokens(text: str) -> set[str]:
    return {t.strip("();,") for t in re.split(r"[\s│┃]+", text)}


def test_a_narrow_table_moves_fields_to_lines_of_their_own(run_nkb: Callable[..., Any],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    shown = ANSI.sub("", run_nkb("source", "4", kb=SHIPPED).stdout)
    assert "2020-07-armenia-azerbaijan-border-clashes" in shown
    assert "  text: " in shown and "  speaker: Andrey Rudenko" in shown  # no column dropped


@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(a) for a in VIEWS])
def test_piped_output_has_no_box_drawing(run_nkb: Callable[..., Any], args: list[str]) -> None:
    out = run_nkb(*args, kb=SHIPPED).stdout
    assert out and not BOX & set(out) and "\x1b" not in out
    assert "\t" in out


@pytest.mark.parametrize("listing", ["quotes", "events", "sources", "actors"])
def test_piped_listing_is_one_record_per_line(run_nkb: Callable[..., Any], listing: str) -> None:
    lines = run_nkb(listing, kb=SHIPPED).stdout.splitlines()
    rows = json.loads(run_nkb(listing, "-f", "json", kb=SHIPPED).stdout)
    assert len(lines) == len(rows)
    assert len({line.count("\t") for line in lines}) == 1  # cut -f N finds the same field


# --- the pager --------------------------------------------------------------------------------


@pytest.fixture
def pager(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose pager is a script that saves what it is given."""
    seen = tmp_path / "paged.txt"
    script = tmp_path / "pager.sh"
    script.write_text(f"#!/bin/sh\ncat > {seen}\n", encoding="utf-8")
    script.chmod(0o755)
    env = {**os.environ, "PAGER": str(script), "NO_COLOR": "1", "COLUMNS": "80", "LINES": "10",
           "NKB_CACHE_DIR": str(tmp_path / "cache")}
    for name in ("NKB_PAGER", "NKB_KB", "TTY_COMPATIBLE", "FORCE_COLOR"):
        env.pop(name, None)
    return env, seen


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run the installed nkb with stdout on a pseudo-terminal; what it printed there."""
    leader, follower = pty.openpty()
    with subprocess.Popen([str(NKB), "--kb", str(SHIPPED), *args], stdout=follower,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env) as proc:
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        assert proc.wait(timeout=60) == ExitCode.OK
    os.close(leader)
    return out


pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")


def test_long_output_on_a_terminal_goes_through_the_pager(pager: tuple[dict[str, str], Path]) -> None:
    env, seen = pager
    shown = _on_a_terminal(["quotes"], env)
    assert seen.exists() and "Galuzin" in seen.read_text(encoding="utf-8")
    assert b"Galuzin" not in shown  # the pager showed it, not nkb


def test_no_pager_option_and_short_output_write_directly(pager: tuple[dict[str, str], Path]) -> None:
    env, seen = pager
    assert b"Galuzin" in _on_a_terminal(["--no-pager", "quotes"], env)
    assert b"ok:" in _on_a_terminal(["check"], env)  # one line: shorter than the screen
    assert not seen.exists()


def test_piped_output_never_pages(pager: tuple[dict[str, str], Path]) -> None:
    env, seen = pager
    result = subprocess.run([str(NKB), "--kb", str(SHIPPED), "quotes"], capture_output=True,
                            env=env, timeout=60)
    assert result.returncode == ExitCode.OK and b"Galuzin" in result.stdout
    assert not seen.exists()


# --- shell completion -------------------------------------------------------------------------


def test_completion_offers_names_and_ids() -> None:
    kb = store.open_kb(SHIPPED)
    assert ("Galuzin", "Mikhail Galuzin (galuzin)") in complete.actor_names(kb, "Gal")
    assert [v for v, _ in complete.actor_names(kb, "gal")] == ["galuzin"]
    assert [v for v, _ in complete.source_ids(kb, "00")] == sorted(kb.sources)
    assert "004-10" in [v for v, _ in complete.quote_ids(kb, "004-1")]
    assert [v for v, _ in complete.event_ids(kb, "2020-07-arm")] == [
        "2020-07-armenia-azerbaijan-border-clashes"]
    assert complete.words(("person", "organisation", "state"), "p") == ["person"]


@pytest.mark.parametrize(("words", "offered"), [
    ("nkb quotes --speaker Zakh", "Zakharova"),
    ("nkb source 00", "004"),
    ("nkb quotes --format j", "json"),
    ("nkb actors --kind org", "organisation"),
])
def test_completion_end_to_end(tmp_path: Path, words: str, offered: str) -> None:
    env = {**os.environ, "_NKB_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1), "NKB_KB": str(SHIPPED),
           "NKB_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([str(NKB)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0 and offered in result.stdout.split("\n")
