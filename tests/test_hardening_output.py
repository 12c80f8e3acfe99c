"""Nothing but data on stdout, and no output silently lost: the installed `nkb` in a subprocess.

A library's chatter (the edtf grammar prints while it fails on some dates) never reaches stdout;
a pager that fails never swallows what nkb printed; a terminal that reports no usable width
(`COLUMNS=0`, negative, garbage) still gets every table and view."""

from __future__ import annotations

import os
import subprocess
import sys
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
