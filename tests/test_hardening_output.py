"""Nothing but data on stdout, and no output silently lost: the installed `nkb` in a subprocess.

A library's chatter (the edtf grammar prints while it fails on some dates) never reaches stdout;
a pager that fails never swallows what nkb printed; a terminal that reports no usable width
(`COLUMNS=0`, negative, garbage) still gets every table and view."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode

NKB = Path(sys.executable).parent / "nkb"

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")


def run(kb: Path, *args: str, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed nkb on `kb`, its output captured (stdout a pipe, not a terminal)."""
    return subprocess.run([str(NKB), "--kb", str(kb), *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, check=False)


# --- a library's prints stay off stdout ---------------------------------------------------------

# dates the edtf grammar fails on after printing "trying to PartialUnspecified.__init__(...)"
GRAMMAR_CHATTER = ["2020-1X", "2020-X1-05", "20X0-1X-XX", "2020-13-XX"]


@pytest.mark.parametrize("typed", GRAMMAR_CHATTER)
def test_a_failing_date_parse_prints_nothing_on_stdout(typed: str, kb_dir: Path) -> None:
    for option in ("--since", "--until"):
        result = run(kb_dir, "events", option, typed, "-f", "json")
        assert result.returncode == ExitCode.USAGE
        assert result.stdout == ""
        assert "trying to" not in result.stderr  # nor shown as if it were nkb's message
        assert f"{typed!r} is not an EDTF date" in result.stderr


def test_check_of_such_a_kb_date_prints_only_its_problem(kb_data: Any,
                                                          make_kb: Callable[..., Path]) -> None:
    kb_data.events[0]["date"] = "2020-1X"
    kb_data.sources["002"]["record"]["quotes"][0]["date"] = "2021-X6-17"
    kb = make_kb(events=kb_data.events, sources=kb_data.sources)
    for command in (["check"], ["export", "jsonl", "-"], ["timeline", "-f", "json"]):
        result = run(kb, *command)
        assert result.returncode == ExitCode.ERROR
        assert result.stdout == ""
        assert "trying to" not in result.stderr
        assert "invalid date: '2020-1X'" in result.stderr
        assert "invalid date: '2021-X6-17'" in result.stderr


# --- a terminal: the pager, and a width that is no width ----------------------------------------


def on_terminal(kb: Path, *args: str, env: dict[str, str], keys: bytes = b"",
                size: tuple[int, int] = (0, 0), timeout: float = 60) -> tuple[int, str]:
    """The installed nkb with a pseudo-terminal as its controlling terminal and all three
    streams (`size` rows x columns, (0, 0) as a fresh one reports); `keys` typed into it.
    Returns the exit status and everything the terminal received."""
    full_env = {**{k: v for k, v in os.environ.items()
                   if k not in ("NKB_PAGER", "PAGER", "COLUMNS", "LINES", "FORCE_COLOR",
                                "TTY_COMPATIBLE")},
                "NO_COLOR": "1", "TERM": "xterm", **env}
    argv = [str(NKB), "--kb", str(kb), *args]
    pid, leader = pty.fork()
    if pid == 0:  # the child: set the terminal's size, then become nkb
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
            os.execve(argv[0], argv, full_env)
        finally:
            os._exit(127)
    if keys:
        os.write(leader, keys)
    received = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child has gone and the terminal is closed
                break
            if not chunk:
                break
            received += chunk
        else:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"nkb {' '.join(args)} did not end within {timeout} s")
    finally:
        os.close(leader)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), received.decode("utf-8", "replace")


QUOTE_IDS = ["001-1", "001-2", "002-1", "003-1"]
FAILING_PAGERS = [
    {"NKB_PAGER": 'sh -c "exit 3"'},
    {"PAGER": "false"},
    {"NKB_PAGER": "no-such-pager-for-nkb"},
    {"NKB_PAGER": 'sh -c "head -c 10 >/dev/null; exit 2"'},  # read a little, then failed
    {"PAGER": "cat >/dev/full"},
]


@pytest.mark.parametrize("pager", FAILING_PAGERS, ids=lambda p: next(iter(p.values())))
def test_a_failing_pager_never_loses_the_output(pager: dict[str, str], kb_dir: Path) -> None:
    status, shown = on_terminal(kb_dir, "quotes", env={**pager, "LINES": "10"}, size=(10, 100))
    assert status == ExitCode.OK  # the output was delivered after all
    for quote_id in QUOTE_IDS:
        assert quote_id in shown
    command = next(iter(pager.values()))
    assert f"nkb: the pager {command!r}" in shown
    assert "printed directly instead" in shown


def test_a_working_pager_shows_the_output_once(kb_dir: Path) -> None:
    status, shown = on_terminal(kb_dir, "quotes", env={"NKB_PAGER": 'sh -c "cat; exit 0"',
                                                       "LINES": "10"}, size=(10, 100))
    assert status == ExitCode.OK
    assert [shown.count(quote_id) for quote_id in QUOTE_IDS] == [1] * len(QUOTE_IDS)
    assert "nkb: the pager" not in shown


@pytest.mark.skipif(shutil.which("less") is None, reason="needs less")
def test_less_given_a_bad_option_shows_the_output_either_way(kb_dir: Path) -> None:
    # this less says "There is no bogus option", waits for RETURN, then pages (q quits it);
    # a less that exits with an error instead would leave the output to nkb: shown either way
    status, shown = on_terminal(kb_dir, "quotes", env={"PAGER": "less --bogus", "LINES": "10"},
                                keys=b"\rq", size=(10, 100), timeout=30)
    assert status == ExitCode.OK
    assert "002-1" in shown  # the earliest quote, at the top of the first screen


WIDTHS = ["0", "-5", "abc", "\u0663", "3", "99999999999999999999", ""]
VIEWS = {
    ("quotes",): QUOTE_IDS,
    ("source", "3"): ["003-1", "RIA Novosti"],
    ("actor", "rudenko"): ["Andrey Rudenko", "003-1"],
    ("timeline",): ["2019", "2024", "Talks in Vienna"],
    ("search", "ceasefire"): ["002-1"],
    # a table too narrow for every column leaves some out and says which, under it
    ("events",): ["Talks in Vienna", "Trips to Yerevan and Baku", "2023-02", "001; 003"],
}


# (COLUMNS, the size the terminal reports): a fresh pseudo-terminal reports 0 x 0
WIDTH_CASES = [(columns, (0, 0)) for columns in WIDTHS] + [("0", (40, 90)), ("-5", (40, 90))]


@pytest.mark.parametrize(("columns", "size"), WIDTH_CASES)
@pytest.mark.parametrize("command", list(VIEWS), ids=" ".join)
def test_a_width_that_is_no_width_still_shows_everything(columns: str, size: tuple[int, int],
                                                         command: tuple[str, ...],
                                                         kb_dir: Path) -> None:
    status, shown = on_terminal(kb_dir, "--no-pager", *command, env={"COLUMNS": columns},
                                size=size)
    assert status == ExitCode.OK, shown
    # a narrow width wraps lines (COLUMNS=3 draws 20 wide): read past the line breaks
    squeezed = re.sub(r"\s+", "", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown))
    expected = VIEWS[command] if (command, columns) != (("timeline",), "3") else ["2019", "2024"]
    for text in expected:  # (the timeline's fixed columns leave no room for text at 20 wide)
        assert text.replace(" ", "") in squeezed
    if command == ("events",):  # the ids are there, or the table says it left them out
        assert "2019-vienna-talks" in squeezed or "leftoutatthiswidth:places,actors,id" in squeezed
