"""Exit statuses and the named errors nkb raises; only cli.py turns them into output."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """What each exit status of nkb means."""

    OK = 0
    ERROR = 1  # a broken KB, a record not found, a failed write
    USAGE = 2  # bad arguments (Click's own code)
    HANGUP = 129  # SIGHUP: the terminal went away (128 + 1)
    INTERRUPTED = 130  # Ctrl-C, SIGINT (128 + 2)
    TERMINATED = 143  # SIGTERM, e.g. `kill` or a service manager stopping nkb (128 + 15)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the KB: where it is, what it is, how to fix it."""

    file: Path
    line: int | None
    message: str
    hint: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {_one_line(self.message)}\n  fix: {_one_line(self.hint)}"


def _one_line(text: str) -> str:
    # A message may quote a KB key or value holding line breaks; a problem stays two lines.
    return text.replace("\r", "\\r").replace("\n", "\\n")


class NkbError(Exception):
    """Base of the errors nkb reports to the user without a traceback."""

    exit_code = ExitCode.ERROR


class KBError(NkbError):
    """The KB cannot be used as it is; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class NotFound(NkbError):
    """A record the user asked for does not exist; the message says what does."""


class Ambiguous(NkbError):
    """A name matches several records equally well."""

    def __init__(self, message: str, candidates: list[str], by_role: bool = False) -> None:
        super().__init__(message)
        self.candidates = candidates
        self.by_role = by_role  # the candidates all held a role the name names


class UsageError(NkbError):
    """An argument nkb cannot use (e.g. a malformed date)."""

    exit_code = ExitCode.USAGE
