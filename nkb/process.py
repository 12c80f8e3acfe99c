"""How an nkb run meets its process: Ctrl-C, and readers that go away (`nkb quotes | head -1`).

Nothing here knows a command: cli.py hands its run to `guarded` and `run_to_exit`, and these turn
an interrupt or a closed pipe into a quiet exit status, never a traceback."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from nkb.errors import ExitCode, NkbError


class Interrupted(NkbError):
    """Ctrl-C: ends the run with status 130."""

    exit_code = ExitCode.INTERRUPTED


def on_sigint(handler: Any) -> Any:
    """Set the Ctrl-C handler, returning the one before; outside the main thread, do nothing."""
    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:  # signals belong to the main thread
        return None


def _exit_interrupted(signum: int, frame: Any) -> None:
    raise SystemExit(ExitCode.INTERRUPTED)


def exit_on_sigint() -> Any:
    """From now on Ctrl-C ends the process with status 130 and no traceback (while modules
    load, before any command runs); returns the handler to give back to `restore_sigint`."""
    return on_sigint(_exit_interrupted)


def restore_sigint(previous: Any) -> None:
    """Put back the Ctrl-C handler `exit_on_sigint` replaced."""
    on_sigint(previous if previous is not None else signal.default_int_handler)


def _interrupt(signum: int, frame: Any) -> None:
    raise Interrupted("interrupted")


def quiet(stream: Any) -> None:
    """Point a stream's file descriptor at /dev/null, once its reader went away, so later writes
    and the interpreter's final flush cannot fail again."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def quiet_stdout() -> None:
    quiet(sys.stdout)


class QuietStderr:
    """stderr that goes quiet once its reader has gone, so a closed stderr never changes the
    outcome of a run (`nkb check 2>&1 | head -1` still ends with the check's status)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            quiet(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            quiet(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guarded(run: Callable[[], int]) -> int:
    """Call `run` with Ctrl-C raising Interrupted and a stderr that survives a closed pipe.

    Both last for this call only, so nkb can run in-process."""
    previous = on_sigint(_interrupt)
    streams = sys.stdout, sys.stderr
    sys.stderr = QuietStderr(sys.stderr)  # type: ignore[assignment]
    try:
        return run()
    finally:
        sys.stdout, sys.stderr = streams  # Typer swaps in wrappers of its own on a closed pipe
        if previous is not None:
            on_sigint(previous)


def run_to_exit(main: Callable[[], int]) -> NoReturn:
    """Run `main` as the whole process: exit with its status, flushing what can be flushed."""
    try:
        on_sigint(_interrupt)
        code = main()
        on_sigint(signal.SIG_IGN)  # the run is over: a late Ctrl-C must not garble the exit
    except Interrupted:
        on_sigint(signal.SIG_IGN)
        code = ExitCode.INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader gone, or stream already closed
            quiet(stream)
    sys.exit(code)
