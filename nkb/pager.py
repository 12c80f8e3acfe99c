"""Long output on a terminal through a pager, as git does: `$NKB_PAGER`, else `$PAGER`, else
`less -FRX`; only when stdout is a terminal, the output is taller than it, and paging is on.
A pager that fails never loses the output: it is then printed directly, and said on stderr.
Also the terminal's size as nkb draws for it, whatever `$COLUMNS` and `$LINES` hold."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TextIO

DEFAULT = "less -FRX"  # -F: quit at once if it fits; -R: keep colours; -X: leave it on screen
FALLBACK_SIZE = (80, 24)  # where neither the environment nor the terminal says
MIN_WIDTH = 20  # narrower, a table folds every word into a column of letters
MAX_WIDTH = 1000  # wider, a drawn table is mostly padding (and COLUMNS=10**9 costs memory)


class Settings:
    """Whether this run may page (`--no-pager` turns it off)."""

    enabled: bool = True


settings = Settings()


def command() -> str | None:
    """The pager to run, or None when it is set to nothing (or to `cat`)."""
    chosen = os.environ.get("NKB_PAGER", os.environ.get("PAGER", DEFAULT)).strip()
    return None if chosen in ("", "cat") else chosen


def wanted(stream: TextIO, text: str, height: int | None = None) -> str | None:
    """The pager command if this text should be paged on this stream, else None."""
    if not settings.enabled or not _isatty(stream):
        return None
    rows = height if height is not None else terminal_size().lines
    if text.count("\n") < rows:
        return None
    return command()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def show(text: str, stream: TextIO | None = None, height: int | None = None) -> None:
    """Write text to the stream (stdout), through the pager when it is wanted; if the pager
    fails, directly, with a note on stderr saying why."""
    out = sys.stdout if stream is None else stream
    pager = wanted(out, text, height)
    failure = None if pager is None else run(pager, text)
    if pager is None or failure is not None:
        if failure is not None:
            sys.stderr.write(f"nkb: the pager {pager!r} {failure}; printed directly instead "
                             "(fix $NKB_PAGER or $PAGER, or use --no-pager)\n")
        out.write(text)
        out.flush()


def run(pager: str, text: str) -> str | None:
    """Feed the text to the pager through the shell, as git does: None once it has shown it,
    else what went wrong (it could not start, or it failed: exited with a status other than 0).

    A pager that quits early with status 0 (`q` in less) has done its job: the user chose to
    stop. A pager ended by a signal was ended by the user too."""
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError as exc:
        return f"could not start ({exc.strerror or exc})"
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit before reading it all: its status says why
        pass
    while True:
        try:
            status = process.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue
    if status == 127:
        return "was not found (exit status 127)"
    if status > 0:
        return f"failed (exit status {status})"
    return None


def terminal_size() -> os.terminal_size:
    """The size to draw for: `$COLUMNS` and `$LINES` where each is a whole number above 0 in
    the digits 0-9, else the terminal's own, else 80x24; the width kept within MIN_WIDTH and
    MAX_WIDTH. (`COLUMNS=0`, `-5` or `abc` must not draw tables nothing wide.)"""
    columns, lines = _size_variable("COLUMNS"), _size_variable("LINES")
    if columns is None or lines is None:
        real = _terminal_reports()
        columns = columns or real[0] or FALLBACK_SIZE[0]
        lines = lines or real[1] or FALLBACK_SIZE[1]
    return os.terminal_size((min(max(columns, MIN_WIDTH), MAX_WIDTH), lines))


def _size_variable(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        return None
    return int(value) or None


def _terminal_reports() -> tuple[int, int]:
    """What the terminal on stdout (else stderr, else stdin) says its size is; (0, 0) if none."""
    for fd in (1, 2, 0):
        try:
            size = os.get_terminal_size(fd)
        except (OSError, ValueError):
            continue
        if size.columns > 0:
            return size.columns, size.lines
    return 0, 0
