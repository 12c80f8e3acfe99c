"""How an nkb run meets its process: signals (Ctrl-C, SIGTERM, SIGHUP), readers that go away
(`nkb quotes | head -1`), and standard streams that are closed or full (`>&-`, `>/dev/full`).

Nothing here knows a command: cli.py hands its run to `guarded` and `run_to_exit`, and these turn
a signal or a closed pipe into an exit status, never a traceback. A signal is raised as
`Interrupted` in the running code, so every `finally` and cleanup on the way out runs: a write
in progress removes its temporary file, `nkb add` removes what it wrote."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from nkb.errors import ExitCode, NkbError

# The signals that end a run cleanly, with the status each gives (128 + the signal's number).
SIGNALS: dict[int, ExitCode] = {signal.SIGINT: ExitCode.INTERRUPTED}
for _name, _code in (("SIGTERM", ExitCode.TERMINATED), ("SIGHUP", ExitCode.HANGUP)):
    if hasattr(signal, _name):  # SIGHUP does not exist on Windows
        SIGNALS[getattr(signal, _name)] = _code


class Interrupted(NkbError):
    """A signal (Ctrl-C, SIGTERM, SIGHUP): ends the run with 128 + the signal's number."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__("interrupted")
        self.exit_code = SIGNALS.get(signum, ExitCode.INTERRUPTED)


class OutputFailed(NkbError):
    """Standard output cannot be written (closed, or its disk full); what it says is lost."""


def on_signals(handler: Any) -> dict[int, Any]:
    """Set the handler of every signal in SIGNALS, returning the ones before; outside the main
    thread, do nothing."""
    previous: dict[int, Any] = {}
    for signum in SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # signals belong to the main thread
            previous[signum] = signal.signal(signum, handler)
    return previous


def _restore(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _exit_interrupted(signum: int, frame: Any) -> None:
    raise SystemExit(SIGNALS.get(signum, ExitCode.INTERRUPTED))


def exit_on_sigint() -> Any:
    """From now on a signal in SIGNALS ends the process with its status and no traceback
    (while modules load, before any command runs); returns the handlers to give back to
    `restore_sigint`."""
    return on_signals(_exit_interrupted)


def restore_sigint(previous: Any) -> None:
    """Put back the handlers `exit_on_sigint` replaced."""
    _restore(previous or {})


def _interrupt(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


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


def _failed(exc: OSError | None) -> OutputFailed:
    reason = "it is closed" if exc is None else (exc.strerror or str(exc))
    return OutputFailed(f"cannot write to standard output: {reason}; nothing more was printed "
                        "(redirect it to a file on a disk with room, or to a pipe)")


class _Guarded:
    """A stream whose write errors other than a reader leaving (BrokenPipeError) become
    OutputFailed, a user error; `stream` None stands for a closed standard output."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _call(self, name: str, *args: Any) -> Any:
        if self._stream is None:
            raise _failed(None)
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except UnicodeEncodeError as exc:
            raise OutputFailed(
                f"standard output's encoding ({exc.encoding}) cannot show the character "
                f"U+{ord(exc.object[exc.start]):04X}; nothing more was printed (set "
                "PYTHONIOENCODING=utf-8, or use a UTF-8 locale such as C.UTF-8)") from None
        except OSError as exc:
            if exc.errno == errno.EBADF:
                raise _failed(None) from None
            raise _failed(exc) from None

    def write(self, data: Any) -> int:
        return int(self._call("write", data))

    def writelines(self, lines: Any) -> None:
        self._call("writelines", lines)

    def flush(self) -> None:
        if self._stream is not None:
            self._call("flush")

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise _failed(None)
        return getattr(self._stream, name)


class GuardedStdout(_Guarded):
    """stdout, and its byte stream (`buffer`), guarded alike."""

    @property
    def buffer(self) -> Any:
        if self._stream is None:
            raise _failed(None)
        return _Guarded(self._stream.buffer)


class QuietStderr:
    """stderr that goes quiet once its reader has gone, so a closed stderr never changes the
    outcome of a run (`nkb check 2>&1 | head -1` still ends with the check's status)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:  # stderr closed (2>&-): messages are dropped
            return len(text)
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            quiet(self._stream)
            return len(text)
        except OSError:  # full or gone: a message that cannot be shown must not end the run
            return len(text)

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            quiet(self._stream)
        except OSError:
            pass

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guarded(run: Callable[[], int]) -> int:
    """Call `run` with signals raising Interrupted, a stdout whose failures are user errors
    and a stderr that survives a closed pipe.

    All three last for this call only, so nkb can run in-process."""
    previous = on_signals(_interrupt)
    streams = sys.stdout, sys.stderr
    sys.stdout = GuardedStdout(sys.stdout)  # type: ignore[assignment]
    sys.stderr = QuietStderr(sys.stderr)  # type: ignore[assignment]
    try:
        return run()
    finally:
        sys.stdout, sys.stderr = streams  # Typer swaps in wrappers of its own on a closed pipe
        _restore(previous)


def _hold_closed_descriptors() -> None:
    """Open /dev/null on 0, 1 and 2 where they are closed (`nkb ... >&-`), so no file nkb opens
    later takes their number and receives what was meant for a terminal. The Python streams of
    a closed descriptor stay None: nkb knows they are closed."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            held = os.open(os.devnull, os.O_RDWR)
            if held != fd:
                os.dup2(held, fd)
                os.close(held)


def run_to_exit(main: Callable[[], int]) -> NoReturn:
    """Run `main` as the whole process: exit with its status, flushing what can be flushed."""
    _hold_closed_descriptors()
    try:
        on_signals(_interrupt)
        code = main()
        on_signals(signal.SIG_IGN)  # the run is over: a late signal must not garble the exit
    except Interrupted as exc:
        on_signals(signal.SIG_IGN)
        code = int(exc.exit_code)
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader gone, or stream already closed
            quiet(stream)
        except OSError as exc:  # the last of the output did not fit (a full disk)
            quiet(stream)
            if stream is sys.stdout:
                QuietStderr(sys.stderr).write(f"nkb: error: {_failed(exc)}\n")
                code = code or ExitCode.ERROR
    sys.exit(code)
