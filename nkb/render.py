"""Turning records into rows, and rows into table / JSON / CSV / Markdown.

Every format is fed by the same row dicts, so every format shows the same thing. Text from the
KB is data: control and bidi-override characters are shown escaped, markup is never interpreted.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from nkb import search
from nkb.index import KB
from nkb.models import Actor, Event, Quote, Source
from nkb.text import json_escape, visible

Row = dict[str, Any]


class Format(StrEnum):
    """Output formats every listing offers."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class TimelineFormat(StrEnum):
    """Output formats of `nkb timeline`."""

    table = "table"
    json = "json"


class CiteFormat(StrEnum):
    """Output formats of `nkb cite`."""

    text = "text"
    csl_json = "csl-json"
    bibtex = "bibtex"
    ris = "ris"


# --- rows: the one place records become what users see --------------------------------------


def quote_row(kb: KB, quote: Quote) -> Row:
    source = kb.sources[quote.source]
    return {
        "id": quote.id,
        "speaker": kb.speaker_name(quote),
        "speaker_id": quote.speaker,
        "text": quote.text,
        "date": quote.date,
        "source": quote.source,
        "outlet": source.outlet,
        "via": source.via,
        "kind": quote.kind,
    }


def event_row(kb: KB, event: Event) -> Row:
    return {
        "id": event.id,
        "date": event.date,
        "title": event.title,
        "description": event.description,
        "actors": [kb.actor_name(a) for a in event.actors],
        "places": list(event.places),
        "sources": list(event.sources),
    }


def actor_row(actor: Actor) -> Row:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "roles": [
            {"title": r.title, "date": r.date, "sources": list(r.sources)} for r in actor.roles
        ],
    }


def source_row(source: Source) -> Row:
    return {
        "id": source.id,
        "date": source.date,
        "outlet": source.outlet,
        "via": source.via,
        "title": source.title,
        "quotes": len(source.quotes),
        "status": source.status,
    }


def source_detail(kb: KB, source: Source) -> Row:
    """The full object `nkb source ID --format json` prints."""
    return {
        "id": source.id,
        "title": source.title,
        "date": source.date,
        "date_basis": source.date_basis,
        "outlet": source.outlet,
        "via": source.via,
        "dateline": source.dateline,
        "headline": source.headline,
        "url": source.url,
        "text": kb.text(source.id),
        "quotes": [quote_row(kb, q) for q in kb.quotes_of(source.id)],
        "events": [event_row(kb, e) for e in kb.events_citing(source.id)],
    }


def hit_row(hit: search.Hit) -> Row:
    """One search result as `nkb search` lists it (the score rounded to a whole number)."""
    return {"kind": hit.kind, "id": hit.id, "score": round(hit.score), "snippet": hit.snippet}


def actor_profile(kb: KB, actor: Actor) -> Row:
    """One actor as `nkb actor` shows it: its row, with its quotes and events as rows."""
    return actor_row(actor) | {
        "quotes": [quote_row(kb, q) for q in search.quotes_by(kb, actor.id)],
        "events": [event_row(kb, e) for e in search.events_with(kb, actor.id)],
    }


def cell(value: Any) -> str:
    """A value as one line of plain text for CSV, Markdown and tables."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(cell(v) if not isinstance(v, dict) else _role_text(v) for v in value)
    return visible(str(value))


def _role_text(role: Row) -> str:
    extra = ", ".join(x for x in (role.get("date"), "/".join(role.get("sources") or [])) if x)
    return visible(f"{role['title']} ({extra})" if extra else str(role["title"]))


# --- writers ----------------------------------------------------------------------------------


def to_json(data: Any) -> str:
    return json_escape(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buffer.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")  # "\\&amp;" shows as typed, not as "&"


def md_escape(value: Any) -> str:
    """Escape text so Markdown shows it literally; newlines become <br> inside table cells."""
    return _MD_SPECIAL.sub(r"\\\1", cell(value)).replace("\n", "<br>")


def to_md(rows: Sequence[Row], columns: Sequence[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(md_escape(row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def to_table(rows: Sequence[Row], columns: Sequence[str], title: str | None = None) -> Any:
    """A rich Table of the rows; cells are rich Text, so brackets are never read as markup."""
    from rich.table import Table
    from rich.text import Text

    # a title can hold what the user typed (`nkb search '[bold]'`): plain Text, never markup
    table = Table(title=Text(visible(title)) if title else None, show_lines=False,
                  expand=False)
    for column in columns:
        wide = column in ("text", "description", "title", "roles")
        table.add_column(column, overflow="fold", ratio=3 if wide else None,
                         min_width=12 if wide else None)
    for row in rows:
        table.add_row(*(Text(_table_cell(c, row.get(c))) for c in columns))
    return table


def _table_cell(column: str, value: Any) -> str:
    # An interval is two dates; breaking it after the slash keeps each date whole in a
    # narrow column instead of folding it mid-date.
    text = cell(value)
    return text.replace("/", "/\n") if column == "date" and len(text) > 12 else text


# Columns of each listing in table/CSV/Markdown; JSON carries every key of the row.
QUOTE_COLUMNS = ("id", "date", "speaker", "text", "source", "outlet", "via", "kind")
QUOTE_TABLE = ("date", "speaker", "text", "source", "outlet")
EVENT_COLUMNS = ("id", "date", "title", "description", "actors", "places", "sources")
EVENT_TABLE = ("date", "title", "actors", "places", "sources")
ACTOR_COLUMNS = ("id", "name", "kind", "aliases", "roles")
SOURCE_COLUMNS = ("id", "date", "outlet", "via", "title", "quotes", "status")
HIT_COLUMNS = ("kind", "id", "score", "snippet")


def emit_rows(rows: Sequence[Row], fmt: Format, columns: Sequence[str],
              table_columns: Sequence[str] | None = None, title: str | None = None,
              empty: str | None = None) -> None:
    """Write rows to stdout in the chosen format. Nothing found is said on stderr; a table then
    prints nothing, the other formats their empty form ([] or a header) for programs."""
    if not rows:
        what = (title or "records").lower()
        sys.stderr.write(f"nkb: {visible(empty or f'no {what} match')}\n")
        if fmt is Format.table:
            return
    if fmt is Format.json:
        write(to_json(list(rows)))
    elif fmt is Format.csv:
        write(to_csv(rows, columns))
    elif fmt is Format.md:
        write(to_md(rows, columns))
    else:
        print_rich(to_table(rows, table_columns or columns, title))


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def stdout_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def print_rich(renderable: Any) -> None:
    stdout_console().print(renderable)


# --- single-record views ----------------------------------------------------------------------


def _meta_lines(detail: Row, keys: Sequence[str]) -> list[tuple[str, str]]:
    return [(k, cell(detail.get(k))) for k in keys if detail.get(k) not in (None, "", [])]


SOURCE_META = ("id", "title", "date", "date_basis", "outlet", "via", "dateline", "headline", "url")


def _meta_grid(row: Row, keys: Sequence[str]) -> Any:
    """A two-column grid of a record's fields (name, value), values as plain Text."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for key, value in _meta_lines(row, keys):
        grid.add_row(key, Text(value))
    return grid


SOURCE_QUOTE_COLUMNS = ("id", "date", "speaker", "kind", "text")
SOURCE_EVENT_COLUMNS = ("id", "date", "title", "sources")


def source_view(detail: Row, marks: Sequence[tuple[int, int]]) -> Any:
    """Rich view of one source: metadata, quotes, events, and its text with quotes highlighted."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    meta = _meta_grid(detail, SOURCE_META)
    article = Text(visible(detail["text"]))
    for start, end in marks:
        # offsets are in the raw text; escaping lengthens control characters (a quote may hold
        # one too), so map each end through the escaped prefix
        text = detail["text"]
        article.stylize("bold yellow", len(visible(text[:start])), len(visible(text[:end])))
    parts: list[Any] = [meta]
    if detail["quotes"]:
        parts.append(to_table(detail["quotes"], SOURCE_QUOTE_COLUMNS, title="Quotes"))
    if detail["events"]:
        parts.append(to_table(detail["events"], SOURCE_EVENT_COLUMNS,
                              title="Events citing this source"))
    parts.append(Panel(article, title="Text (quotes highlighted)", title_align="left"))
    return Group(*parts)


def source_md(detail: Row, marks: Sequence[tuple[int, int]]) -> str:
    """Markdown view of one source; quoted spans are bold in the text."""
    lines = [f"# {md_escape(detail['title'])}", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in _meta_lines(detail, SOURCE_META[2:])]
    lines += ["", "## Quotes", "", to_md(detail["quotes"], SOURCE_QUOTE_COLUMNS)]
    lines += ["## Events", "", to_md(detail["events"], SOURCE_EVENT_COLUMNS)]
    lines += ["## Text", "", _md_text_with_marks(detail["text"], marks)]
    return "\n".join(lines) + "\n"


def _md_text_with_marks(text: str, marks: Sequence[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in sorted(marks):
        if start < at:
            continue
        out.append(_md_text(text[at:start]))
        out.append("**" + _md_text(text[start:end]) + "**")
        at = end
    out.append(_md_text(text[at:]))
    # A line that starts like a list item, numbered item or heading underline stays plain text.
    text = _MD_LINE_MARK.sub(r"\1\\\2", "".join(out))
    return _MD_LINE_NUMBER.sub(r"\1\\.", text)


_MD_LINE_MARK = re.compile(r"(?m)^(\s*(?:\*\*)?)([-+=])")
_MD_LINE_NUMBER = re.compile(r"(?m)^(\s*(?:\*\*)?\d+)\.")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", visible(text))


ACTOR_META = ("id", "name", "kind", "aliases", "roles")


def actor_view(profile: Row) -> Any:
    """Rich view of one actor: who they are, what they said, where they take part."""
    from rich.console import Group
    from rich.text import Text

    meta = _meta_grid(profile, ACTOR_META)
    parts: list[Any] = [meta]
    if profile["quotes"]:
        parts.append(to_table(profile["quotes"], QUOTE_TABLE, title="Quotes"))
    if profile["events"]:
        parts.append(to_table(profile["events"], EVENT_TABLE, title="Events"))
    if not profile["quotes"] and not profile["events"]:
        parts.append(Text("No quotes or events in the KB."))
    return Group(*parts)


def actor_md(profile: Row) -> str:
    lines = [f"# {md_escape(profile['name'])}", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in _meta_lines(profile, ACTOR_META[2:])]
    lines += ["", "## Quotes", "", to_md(profile["quotes"], QUOTE_TABLE)]
    lines += ["## Events", "", to_md(profile["events"], EVENT_TABLE)]
    return "\n".join(lines) + "\n"
