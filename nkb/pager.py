"""Long output on a terminal through a pager, as git does: `$NKB_PAGER`, else `$PAGER`, else
`less -FRX`; only when stdout is a terminal, the output is taller than it, and paging is on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TextIO

DEFAULT = "less -FRX"  # -F: quit at once if it fits; -R: keep colours; -X: leave it on screen


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
    rows = height if height is not None else shutil.get_terminal_size().lines
    if text.count("\n") < rows:
        return None
    return command()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def show(text: str, stream: TextIO | None = None, height: int | None = None) -> None:
    """Write text to the stream (stdout), through the pager when it is wanted."""
    out = sys.stdout if stream is None else stream
    pager = wanted(out, text, height)
    if pager is None or not run(pager, text):
        out.write(text)
        out.flush()


def run(pager: str, text: str) -> bool:
    """Feed the text to the pager through the shell, as git does; False if it cannot start."""
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit before reading it all: nothing more to show
        pass
    while True:
        try:
            # 127: the shell found no such pager; the text is then written as it is
            return process.wait() != 127
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue
