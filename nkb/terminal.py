"""Writing to the terminal: results to stdout (drawn for a terminal, plain lines for
programs, through the pager when taller than the screen), notes to stderr."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from nkb.render import (
    Format,
    Screen,
    dates_marked,
    limited_note,
    possible_note,
    screen_lines,
    to_csv,
    to_json,
    to_md,
    to_plain,
    to_rich,
    to_table,
    with_match,
)
from nkb.rows import Row
from nkb.text import visible


def say_limited(shown: int, total: int) -> None:
    """Tell stderr when a listing stopped at its limit."""
    note = limited_note(shown, total)
    if note:
        sys.stderr.write(f"nkb: {note}\n")


def emit_rows(rows: Sequence[Row], fmt: Format, columns: Sequence[str],
              table_columns: Sequence[str] | None = None, title: str | None = None,
              empty: str | None = None, optional: Sequence[str] = ()) -> None:
    """Write rows to stdout in the chosen format. Nothing found is said on stderr; a table then
    prints nothing, the other formats their empty form ([] or a header) for programs."""
    if not rows:
        what = (title or "records").lower()
        sys.stderr.write(f"nkb: {visible(empty or f'no {what} match')}\n")
        if fmt is Format.table:
            return
    # a row found only through a near spelling says so in every format
    columns, table_columns = with_match(rows, columns), with_match(rows, table_columns or columns)
    if any("range" in row for row in rows):
        columns = (*columns, "range")  # JSON has it in every row; tables mark the date (≈)
        if fmt is Format.table:
            rows = dates_marked(rows)
            note = possible_note(rows)
            if note:
                sys.stderr.write(f"nkb: {note}\n")
    if fmt is Format.json:
        write(to_json(list(rows)))
    elif fmt is Format.csv:
        write(to_csv(rows, columns))
    elif fmt is Format.md:
        write(to_md(rows, columns))
    elif not stdout_is_terminal():
        write(to_plain(rows, table_columns or columns))
    else:
        print_rich(to_table(rows, table_columns or columns, title, stdout_console().width,
                            optional))


def write(text: str) -> None:
    """Text to stdout; on a terminal, through the pager when it is taller than the screen."""
    from nkb import pager

    pager.show(text)


def stdout_console() -> Any:
    from rich.console import Console

    from nkb import pager

    size = pager.terminal_size()  # rich would take COLUMNS=0 at its word and draw nothing
    return Console(highlight=False, soft_wrap=False, width=size.columns, height=size.lines)


def stdout_is_terminal() -> bool:
    """Whether stdout shows tables drawn for a terminal (rich's rule: a terminal, or forced
    with TTY_COMPATIBLE=1 or FORCE_COLOR) rather than plain lines for programs."""
    return bool(stdout_console().is_terminal)


def print_rich(renderable: Any) -> None:
    """A rich renderable to stdout; on a terminal through the pager when taller than it."""
    from nkb import pager

    console = stdout_console()
    with console.capture() as captured:
        console.print(renderable)
    pager.show(captured.get(), height=console.height)


def show(screen: Screen) -> None:
    """A screen to stdout: drawn for a terminal, else plain lines (see `screen_lines`)."""
    if stdout_is_terminal():
        console = stdout_console()
        print_rich(to_rich(screen, console.width,
                           coloured=not console.no_color and console.color_system is not None))
    else:
        write(screen_lines(screen))
