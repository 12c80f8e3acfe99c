"""The command-line reference, docs/cli.md, made from every command's own `--help`.

`python -m nkb.clidoc` rewrites docs/cli.md; a test fails when it differs from what the
commands say, so the reference cannot go stale.
"""

from __future__ import annotations

import contextlib
import io
import os
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


def main(argv: list[str]) -> None:
    target = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    target.write_text(reference(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
