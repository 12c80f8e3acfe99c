"""Docs made by nkb itself: the command-line reference, docs/cli.md, from every command's own
`--help`, and the output shown in the README's tour, from running each command it shows.

`python -m nkb.clidoc` rewrites both; a test fails when either differs from what nkb says
today, so neither can go stale.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WIDTH = 80  # the help is drawn this wide, whatever the terminal, so the file is stable
HEADER = """# Command-line reference

Every command's `--help`, as nkb prints it. This file is generated: run
`python -m nkb.clidoc` after changing a command, never edit it by hand. The README is a tour;
this is the whole of every command.
"""


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand, in the order `nkb --help` lists them."""
    import typer

    from nkb import cli

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(cli.app), ()))


def help_text(path: tuple[str, ...]) -> str:
    """What `nkb PATH --help` prints, WIDTH columns wide."""
    from nkb import cli

    out = io.StringIO()
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)
    try:
        with contextlib.redirect_stdout(out):
            cli.main([*path, "--help"])
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return out.getvalue()


def reference() -> str:
    """docs/cli.md as the commands describe themselves today."""
    parts = [HEADER]
    for path in command_paths():
        title = " ".join(("nkb", *path))
        parts.append(f"## `{title}`\n\n```text\n{help_text(path).rstrip()}\n```\n")
    return "\n".join(parts)


# In the README, a tour step is this comment naming the command, then a ```text block that
# holds what it prints: `python -m nkb.clidoc` fills the block in.
STEP = re.compile(r"(<!-- run: (?P<command>nkb [^\n]*?) -->\n```text\n)(?P<shown>.*?)(```)", re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_shown(command: str, kb: Path) -> str:
    """What a user sees from `command` on the KB `kb` in a terminal WIDTH columns wide, without
    colour: the command line, its notes on stderr, then its output. It runs in the folder
    holding the KB, which it names by its folder name, so no path of this machine is shown."""
    from nkb import cli

    args = shlex.split(command)[1:]
    out, err = io.StringIO(), io.StringIO()
    terminal = {"COLUMNS": str(WIDTH), "LINES": "500", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    before = {name: os.environ.get(name) for name in terminal}
    os.environ.update(terminal)
    try:
        with contextlib.chdir(kb.parent), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            cli.main(["--kb", kb.name, "--no-pager", *args])
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    said = (err.getvalue() + out.getvalue()).replace(str(kb.resolve()), kb.name)
    shown = "".join(line.rstrip() + "\n" for line in ANSI.sub("", said).splitlines())
    return f"$ {command}\n{shown.rstrip()}\n"


def tour(readme: str, kb: Path) -> str:
    """The README with each tour step's block holding what its command prints today."""
    return STEP.sub(lambda m: m[1] + run_shown(m["command"], kb) + m[4], readme)


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    (root / "docs" / "cli.md").write_text(reference(), encoding="utf-8")
    readme = root / "README.md"
    readme.write_text(tour(readme.read_text(encoding="utf-8"), root / "kb"), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
