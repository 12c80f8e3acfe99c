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
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import msgspec

from nkb import dates, search
from nkb.index import KB
from nkb.models import Actor, Event, Quote, Source
from nkb.text import is_placeholder, json_escape, visible

Row = dict[str, Any]


class Format(StrEnum):
    """Output formats every listing offers."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class QuoteKindChoice(StrEnum):
    """What `--kind` takes where it narrows quotes."""

    direct = "direct"
    paraphrase = "paraphrase"


class CiteFormat(StrEnum):
    """Output formats of `nkb cite`."""

    text = "text"
    csl_json = "csl-json"
    bibtex = "bibtex"
    ris = "ris"


# --- rows: the one place records become what users see --------------------------------------


def quote_row(kb: KB, quote: Quote, member_of: Actor | None = None) -> Row:
    """A quote as listings show it; `member_of`: the organisation its speaker spoke for, when a
    listing took the quote in through the speaker's membership (`--members`)."""
    source = kb.sources[quote.source]
    return {
        "id": quote.id,
        "speaker": kb.speaker_name(quote),
        "speaker_id": quote.speaker,
        **({"member_of": member_of.name} if member_of is not None else {}),
        "text": quote.text,
        "date": quote.date,
        "source": quote.source,
        "outlet": fact(source.outlet),
        "via": fact(source.via),
        "kind": quote.kind,
        "topics": list(quote.topics),
        "status": source.status,
    }


def member_quote_rows(kb: KB, quotes: Sequence[Quote], organisations: Sequence[Actor]) -> list[Row]:
    """Quote rows of a listing that took in the organisations' people: a member's quote says
    which organisation its speaker spoke for."""
    return [quote_row(kb, q, search.speaks_for(kb, q, organisations)) for q in quotes]


def event_row(kb: KB, event: Event, drafts: bool = False) -> Row:
    return {
        "id": event.id,
        "date": event.date,
        "title": event.title,
        "description": event.description,
        "actors": [kb.actor_name(a) for a in event.actors],
        "places": list(event.places),
        "sources": search.shown_sources(kb, event, drafts),
    }


def topic_row(topic: search.TopicUse) -> Row:
    return {"id": topic.id, "quotes": topic.quotes, "description": topic.description}


def fact(value: str | None) -> str | None:
    """A value as a fact, or None where a draft holds only a placeholder ("TODO ...")."""
    return None if value is None or is_placeholder(value) else value


def actor_row(actor: Actor) -> Row:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "roles": [{"title": r.title, "date": r.date, "sources": list(r.sources)}
                  for r in roles_in_date_order(actor)],
        "member_of": [{"organisation": m.organisation, "title": m.title,
                       "dates": list(m.dates), "sources": list(m.sources)}
                      for m in actor.member_of],
    }


def roles_in_date_order(actor: Actor) -> list[Any]:
    """An actor's roles by the first day their date can mean; undated ones last."""
    def first_day(role: Any) -> str:
        return dates.parse_edtf(role.date).anchor if role.date else "9999-99-99"

    return sorted(actor.roles, key=first_day)


def merged_roles(actor: Actor) -> list[Row]:
    """Each role title once, in date order, with every date and source that gives it."""
    merged: dict[str, Row] = {}
    for role in roles_in_date_order(actor):
        entry = merged.setdefault(role.title, {"title": role.title, "dates": [], "sources": []})
        entry["dates"].append({"date": role.date, "sources": list(role.sources)})
        entry["sources"] += [s for s in role.sources if s not in entry["sources"]]
    return list(merged.values())


def source_row(source: Source) -> Row:
    return {
        "id": source.id,
        "date": source.date,
        "outlet": fact(source.outlet),
        "via": fact(source.via),
        "title": fact(source.title),
        "quotes": len(source.quotes),
        "status": source.status,
    }


def source_detail(kb: KB, source: Source) -> Row:
    """The full object `nkb source ID --format json` prints."""
    return {
        "id": source.id,
        "title": fact(source.title),
        "date": source.date,
        "date_basis": source.date_basis,
        "outlet": fact(source.outlet),
        "via": fact(source.via),
        "dateline": source.dateline,
        "status": source.status,
        "headline": source.headline,
        "url": source.url,
        "text": kb.text(source.id),
        "quotes": [quote_row(kb, q) | (_proposed(q) if source.status == "draft" else {})
                   for q in kb.quotes_of(source.id)],
        "events": [event_row(kb, e, drafts=True) for e in kb.events_citing(source.id)],
        **({"proposals": _proposals(source)} if source.status == "draft" else {}),
    }


def _proposed(quote: Quote) -> Row:
    """A draft quote's proposals: its speaker's strength, basis and alternatives, and those of
    its other fields. Curated records never show them."""
    return {"strength": quote.strength, "basis": quote.basis,
            "alternatives": list(quote.alternatives),
            "proposals": {k: msgspec.to_builtins(p) for k, p in quote.proposals.items()}}


def _proposals(source: Source) -> Row:
    """A draft source's proposals for its own fields, and one per proposed new actor."""
    out: Row = {k: msgspec.to_builtins(p) for k, p in source.proposals.items()}
    for actor in source.new_actors:
        if actor.strength:
            out[f"new actor {actor.id}"] = {"strength": actor.strength, "basis": actor.basis}
    return out


def hit_row(kb: KB, hit: search.Hit) -> Row:
    """One search result as `nkb search` lists it: the score rounded, an excerpt around the
    matched words (`highlights`: their offsets in it), and for a quote who said it, when, and
    whether it is a direct quote or a paraphrase."""
    snippet, marks = search.excerpt(hit.text, hit.marks)
    quote = hit.record if hit.kind == "quote" else None
    return {"kind": hit.kind, "id": hit.id, "score": round(hit.score, 1),
            "match": hit.match,
            "speaker": kb.speaker_name(quote) if quote else None,
            "date": quote.date if quote else getattr(hit.record, "date", None),
            "quote_kind": quote.kind if quote else None,
            "topics": list(quote.topics) if quote else [],
            "status": _status_of(kb, hit), "snippet": snippet,
            "highlights": [list(m) for m in marks]}


def _status_of(kb: KB, hit: search.Hit) -> str | None:
    """Curated or draft, for a quote or a source hit (events and actors are curated)."""
    source_id = hit.record.source if hit.kind == "quote" else hit.id
    if hit.kind not in ("quote", "source") or source_id not in kb.sources:
        return None
    return kb.sources[source_id].status


def actor_profile(kb: KB, actor: Actor, kinds: tuple[str, ...] = (),
                  drafts: bool = False) -> Row:
    """One actor as `nkb actor` shows it: its row, with its quotes, the quotes and sources that
    name it, and its events."""
    said = search.find_quotes(kb, search.QuoteFilter(speakers=(actor,), kinds=kinds,
                                                     drafts=drafts))
    named = [q for q in search.quotes_mentioning(kb, actor, drafts) if not kinds or q.kind in kinds]
    members = search.members_of(kb, actor)
    by_members = [q for q in search.members_quotes(kb, (actor,))
                  if drafts or not search.is_draft(kb, q.source)]
    return actor_row(actor) | {
        "roles": merged_roles(actor),
        "member_of": [{"organisation": m.organisation, "name": kb.actor_name(m.organisation),
                       "title": m.title, "dates": list(m.dates), "sources": list(m.sources)}
                      for m in actor.member_of],
        "members": [{"id": a.id, "name": a.name, "title": m.title, "dates": list(m.dates),
                     "sources": list(m.sources)} for a, m in members],
        "quotes": [quote_row(kb, q) for q in said],
        "members_quotes": [quote_row(kb, q, actor) for q in by_members
                           if not kinds or q.kind in kinds],
        "mentioned_in_quotes": [quote_row(kb, q) for q in named],
        "mentioned_in_sources": search.sources_mentioning(kb, actor, drafts),
        "events": [event_row(kb, e, drafts) for e in search.events_with(kb, actor.id, drafts)],
    }


def cell(value: Any) -> str:
    """A value as one line of plain text for CSV, Markdown and tables."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(cell(v) if not isinstance(v, dict) else _role_text(v) for v in value)
    return visible(str(value))


def _role_text(role: Row) -> str:
    # a merged role lists each date with the sources that give it
    extra = "; ".join(_when(d) for d in role["dates"] if _when(d)) if "dates" in role \
        else _when(role)
    return visible(f"{role['title']} ({extra})" if extra else str(role["title"]))


def _when(dated: Row) -> str:
    return ", ".join(x for x in (dated.get("date"), "/".join(dated.get("sources") or [])) if x)


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


def to_table(rows: Sequence[Row], columns: Sequence[str], title: str | None = None,
             width: int | None = None, optional: Sequence[str] = ()) -> Any:
    """The rows for a terminal `width` wide (the console's by default): a rich Table whose
    columns are wide enough that no id, date or word is broken; when they cannot all fit, the
    `optional` columns are left out in turn (said under the table), and when even that does not
    fit, one block per record with every field (see `stacked`). Cells are rich Text, so
    brackets are never markup."""
    from rich.table import Table
    from rich.text import Text

    width = width or stdout_console().width
    every = [[cell(row.get(c)) for c in columns] for row in rows]
    shown, cells, widths = list(columns), every, column_widths(columns, every, width)
    left_out = []
    for column in optional:
        if widths is not None:
            break
        if column in shown:
            left_out.append(column)
            keep = [i for i, c in enumerate(shown) if c != column]
            shown, cells = [shown[i] for i in keep], [[line[i] for i in keep] for line in cells]
            widths = column_widths(shown, cells, width)
    if widths is None:
        return stacked(columns, every, title, width)
    # a title can hold what the user typed (`nkb search '[bold]'`): plain Text, never markup
    caption = Text(f"left out at this width: {', '.join(left_out)} (a wider terminal or "
                   "--format csv shows them)", style="dim") if left_out else None
    table = Table(title=Text(visible(title)) if title else None, caption=caption,
                  show_lines=False, expand=False)
    for column, column_width in zip(shown, widths, strict=True):
        table.add_column(column, overflow="fold", width=column_width)
    for line in cells:
        table.add_row(*(Text(c) for c in line))
    return table


TABLE_EDGES = 1  # the table's left border; each column adds its padding and right border
COLUMN_EDGES = 3
READABLE = 16  # a column of running text is not squeezed below this (or its natural width)
MAIN_TEXT = 32  # nor the widest one (a quote, a title) below this: else one block per record


def column_widths(columns: Sequence[str], cells: Sequence[Sequence[str]],
                  width: int) -> list[int] | None:
    """Column widths that fit `width` and break no word (an id is one word), or None when
    even the narrowest such columns do not fit: the longest word of a column, its header,
    and READABLE characters for running text are each column's least width."""
    natural = [max([len(header)] + [_longest_line(line[i]) for line in cells])
               for i, header in enumerate(columns)]
    least = [max([len(header), min(natural[i], READABLE) if _is_prose(cells, i) else 0]
                 + [_longest_word(line[i]) for line in cells])
             for i, header in enumerate(columns)]
    prose = [i for i in range(len(columns)) if _is_prose(cells, i)]
    if prose:
        main = max(prose, key=lambda i: natural[i])
        least[main] = max(least[main], min(natural[main], MAIN_TEXT))
    room = width - TABLE_EDGES - COLUMN_EDGES * len(columns)
    if sum(natural) <= room:
        return natural
    if sum(least) > room:
        return None
    # what is left goes first to the columns wanting least, so short fields stay on one line;
    # the widest text, already given its MAIN_TEXT, takes the rest last
    widths, spare = list(least), room - sum(least)
    last = [main] if prose else []
    for i in sorted(set(range(len(columns))) - set(last), key=lambda i: natural[i]) + last:
        given = min(natural[i] - least[i], spare)
        widths[i] += given
        spare -= given
    return widths


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _is_prose(cells: Sequence[Sequence[str]], index: int) -> bool:
    return any(len(line[index].split()) > 2 for line in cells)


def stacked(columns: Sequence[str], cells: Sequence[Sequence[str]], title: str | None,
            width: int) -> Any:
    """A narrow layout: each record a block whose first line holds its leading one-word
    fields (an id, a date) aligned as columns, and every other field on a line of its own,
    `name: value`, wrapped at spaces only. No field is left out."""
    from rich.text import Text

    head = _head_columns(cells, width)
    widths = {i: max(len(line[i].replace("\n", "")) for line in cells) for i in head}
    out = Text()
    if title:
        out.append(visible(title) + "\n")
    for line in cells:
        out.append("\n")
        first = "  ".join(line[i].replace("\n", "").ljust(widths[i]) for i in head).rstrip()
        if len(head) == 1 and len(first.split()) > 1:
            first = _field_lines(columns[head[0]], first, width).strip()
        out.append(first + "\n", style="bold")
        for i, column in enumerate(columns):
            if i not in head and line[i]:
                out.append(_field_lines(column, line[i], width))
    return out


def _head_columns(cells: Sequence[Sequence[str]], width: int) -> list[int]:
    chosen: list[int] = []
    used = 0
    for i in range(len(cells[0]) if cells else 0):
        whole = [line[i].replace("\n", "") for line in cells]  # a date interval is one word
        size = max(len(value) for value in whole) + 2
        if not all(len(value.split()) <= 1 for value in whole) or used + size > width:
            break  # only the leading fields: a later one alone could not say what it is
        chosen.append(i)
        used += size
    return chosen or [0]  # a first line to start each record, even if it must wrap


def _field_lines(column: str, value: str, width: int) -> str:
    import textwrap

    label = f"  {column}: "
    lines: list[str] = []
    for part in value.split("\n"):
        lines += textwrap.wrap(part, width=max(width - len(label), 20), break_long_words=False,
                               break_on_hyphens=False) or [""]
    indent = " " * len(label)
    return label + ("\n" + indent).join(lines) + "\n"


def to_plain(rows: Sequence[Row], columns: Sequence[str]) -> str:
    """A table for programs (stdout not a terminal): one record per line, the table's columns
    separated by tabs, no header, no padding; a tab or line break inside a value is written
    `\\t` / `\\n`."""
    return "".join("\t".join(_plain_cell(row.get(c)) for c in columns) + "\n" for row in rows)


def _plain_cell(value: Any) -> str:
    return cell(value).replace("\t", "\\t").replace("\n", "\\n")


# Columns of each listing in table/CSV/Markdown; JSON carries every key of the row.
QUOTE_COLUMNS = ("id", "date", "speaker", "kind", "text", "source", "outlet", "via", "status")
QUOTE_TABLE = ("id", "date", "speaker", "kind", "text", "outlet", "via")  # the id names the source
EVENT_COLUMNS = ("id", "date", "title", "description", "actors", "places", "sources")
EVENT_TABLE = ("id", "date", "title", "actors", "places", "sources")
EVENT_OPTIONAL = ("places", "actors", "id")  # left out in turn where the table does not fit
ACTOR_COLUMNS = ("id", "name", "kind", "aliases", "roles")
TOPIC_COLUMNS = ("id", "quotes", "description")
SOURCE_COLUMNS = ("id", "date", "outlet", "via", "title", "quotes", "status")
HIT_COLUMNS = ("kind", "id", "score", "match", "speaker", "date", "quote_kind", "status",
               "snippet")
HIT_TABLE = ("kind", "id", "speaker", "date", "quote_kind", "snippet")


def with_status(rows: Sequence[Row], columns: Sequence[str]) -> tuple[str, ...]:
    """The columns, plus `status` where some row comes from a draft (shown with --drafts)."""
    if "status" in columns or not any(r.get("status") == "draft" for r in rows):
        return tuple(columns)
    return (*columns, "status")


def with_matches(rows: Sequence[Row], marks: dict[str, str]) -> list[Row]:
    """Rows a word search chose, each saying how it matched (`match`: words, or the near
    spellings it needed); rows of a listing no words chose stay as they are."""
    if not marks:
        return list(rows)
    return [row | {"match": marks.get(row["id"], "words")} for row in rows]


def with_match(rows: Sequence[Row], columns: Sequence[str]) -> tuple[str, ...]:
    """The columns, plus `match` where some row was found only through a near spelling."""
    if "match" in columns or not any(r.get("match", "words") != "words" for r in rows):
        return tuple(columns)
    return (*columns, "match")


def with_ranges(rows: Sequence[Row], marks: dict[str, str]) -> list[Row]:
    """Rows of a listing asked for a date range, each saying how its date fits it (`range`:
    certain, or possible where it may fall outside); other listings' rows stay as they are."""
    if not marks:
        return list(rows)
    return [row | {"range": marks.get(row["id"], dates.POSSIBLE)} for row in rows]


POSSIBLE_MARK = "\u2248"  # ≈ before a date that may fall outside the range asked for


def _dates_marked(rows: Sequence[Row]) -> list[Row]:
    """Rows for a table: a date that may fall outside the range asked for shown as ≈DATE."""
    return [row | {"date": f"{POSSIBLE_MARK}{row['date']}"}
            if row.get("range") == dates.POSSIBLE else row for row in rows]


def possible_note(rows: Sequence[Row]) -> str | None:
    """What a table with ≈ dates says on stderr: how many, and how to leave them out."""
    possible = sum(1 for row in rows if row.get("range") == dates.POSSIBLE)
    if not possible:
        return None
    return (f"{POSSIBLE_MARK} marks {possible} date(s) that may fall outside the range asked "
            "for; --within leaves them out")


def limited_note(shown: int, total: int, option: str = "--limit 0") -> str | None:
    """What a listing stopped at its limit says: how many more, and how to see them."""
    return f"{shown} of {total} shown; {option} for all" if shown < total else None


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
            rows = _dates_marked(rows)
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
        print_rich(to_table(rows, table_columns or columns, title, optional=optional))


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


# --- views of one record: parts shown drawn on a terminal, or as plain lines -----------------


@dataclass(frozen=True, slots=True)
class Fields:
    """A record's fields, name and value (values one line of plain text each)."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows of related records under a title, as a table."""

    title: str
    rows: Sequence[Row]
    columns: Sequence[str]
    optional: Sequence[str] = ()  # columns a narrow terminal may leave out (said under it)


@dataclass(frozen=True, slots=True)
class Passage:
    """Text printed as written, with spans (offsets in the raw text) highlighted; `tags` name
    each span (`003-1 direct`), so that without colour the span is still marked, in words."""

    title: str
    text: str
    marks: Sequence[tuple[int, int]]
    tags: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One line of its own, e.g. a warning that a record is a draft."""

    text: str
    style: str = ""


View = list[Fields | Listing | Passage | Line]


def show(view: View) -> None:
    """A view to stdout: drawn for a terminal, else plain lines (see `plain_view`)."""
    if stdout_is_terminal():
        console = stdout_console()
        print_rich(to_rich(view, coloured=not console.no_color and console.color_system is not None))
    else:
        write(plain_view(view))


QUOTE_STYLES = {"direct": "bold yellow", "paraphrase": "italic cyan"}
TAG_OPEN, TAG_CLOSE = "\u27e6", "\u27e7"  # ⟦ and ⟧: marks no article of this kind uses


def passage_legend(coloured: bool) -> str:
    """How the quotes in a text are marked, in colour or in words."""
    if coloured:
        return "quotes: bold yellow = direct quote, italic cyan = paraphrase (not verbatim)"
    return (f"quotes: {TAG_OPEN}ID direct{TAG_CLOSE}...{TAG_OPEN}/ID{TAG_CLOSE} = direct quote, "
            f"{TAG_OPEN}ID paraphrase{TAG_CLOSE}...{TAG_OPEN}/ID{TAG_CLOSE} = paraphrase "
            "(not verbatim)")


def tagged_text(raw: str, marks: Sequence[tuple[int, int]], tags: Sequence[str]) -> str:
    """The text, made visible, with each tagged span between ⟦ID kind⟧ and ⟦/ID⟧."""
    inserts: list[tuple[int, int, str]] = []
    for (start, end), tag in zip(marks, tags, strict=False):
        ident = tag.split()[0]
        inserts.append((start, 1, f"{TAG_OPEN}{tag}{TAG_CLOSE}"))
        inserts.append((end, 0, f"{TAG_OPEN}/{ident}{TAG_CLOSE}"))
    out, at = [], 0
    for offset, _, tag in sorted(inserts):  # at one offset, an end comes before a start
        out.append(visible(raw[at:offset]))
        out.append(tag)
        at = offset
    out.append(visible(raw[at:]))
    return "".join(out)


def to_rich(view: View, coloured: bool = True) -> Any:
    """A view as one rich renderable for the console's width; without colour, tagged quotes
    are marked in words."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = []
    for part in view:
        if isinstance(part, Fields):
            parts.append(_meta_grid(part.rows))
        elif isinstance(part, Listing):
            parts.append(to_table(part.rows, part.columns, title=part.title,
                                  optional=part.optional))
        elif isinstance(part, Passage):
            body = _marked(part.text, part.marks, part.tags) if coloured or not part.tags \
                else Text(tagged_text(part.text, part.marks, part.tags))
            if part.tags:  # a line of its own, wrapped: a panel's title would be cut
                parts.append(Text(passage_legend(coloured), style="dim"))
            parts.append(Panel(body, title=Text(part.title), title_align="left"))
        else:
            parts.append(Text(visible(part.text), style=part.style))
    return Group(*parts)


def _marked(raw: str, marks: Sequence[tuple[int, int]], tags: Sequence[str] = ()) -> Any:
    from rich.text import Text

    shown = Text(visible(raw))
    kinds = [t.split()[-1] for t in tags] or ["direct"] * len(marks)
    for (start, end), kind in zip(marks, kinds, strict=False):
        # offsets are in the raw text; escaping lengthens control characters (a quote may hold
        # one too), so map each end through the escaped prefix
        shown.stylize(QUOTE_STYLES.get(kind, "bold yellow"), len(visible(raw[:start])),
                      len(visible(raw[:end])))
    return shown


def plain_view(view: View) -> str:
    """A view for programs: fields as `name<TAB>value` lines; each listing as its title on a
    line, then one tab-separated record per line (as `to_plain`); a passage as its title,
    then its text as written; parts apart by a blank line."""
    blocks = []
    for part in view:
        if isinstance(part, Fields):
            blocks.append("".join(f"{k}\t{_plain_cell(v)}\n" for k, v in part.rows))
        elif isinstance(part, Listing):
            blocks.append(f"{part.title}\n" + to_plain(part.rows, part.columns))
        elif isinstance(part, Passage) and part.tags:
            blocks.append(f"{part.title}; {passage_legend(False)}\n"
                          f"{tagged_text(part.text, part.marks, part.tags).rstrip()}\n")
        elif isinstance(part, Passage):
            blocks.append(f"{part.title}\n{visible(part.text).rstrip()}\n")
        else:
            blocks.append(visible(part.text) + "\n")
    return "\n".join(blocks)


# --- single-record views ----------------------------------------------------------------------


def _meta_lines(detail: Row, keys: Sequence[str]) -> list[tuple[str, str]]:
    return [(k, cell(detail.get(k))) for k in keys if detail.get(k) not in (None, "", [])]


SOURCE_META = ("id", "title", "date", "date_basis", "outlet", "via", "dateline", "headline", "url")


def _meta_grid(rows: Sequence[tuple[str, str]]) -> Any:
    """A two-column grid of a record's fields (name, value), values as plain Text."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rows:
        grid.add_row(key, Text(value))
    return grid


SOURCE_QUOTE_COLUMNS = ("id", "date", "speaker", "kind", "text")
PROPOSAL_COLUMNS = ("field", "strength", "basis", "alternatives")
_STRENGTH_ORDER = {"weak": 0, "medium": 1, "strong": 2}


def proposal_rows(detail: Row) -> list[Row]:
    """A draft's proposals for its own fields and for each quote's, weakest first."""
    rows = [{"field": k, **p} for k, p in detail["proposals"].items()]
    for q in detail["quotes"]:
        rows += [{"field": f"{q['id']} {k}", **p} for k, p in q.get("proposals", {}).items()]
    rows = [{**r, "alternatives": cell(r.get("alternatives") or [])} for r in rows]
    return sorted(rows, key=lambda r: _STRENGTH_ORDER.get(r["strength"], 0))
SOURCE_EVENT_COLUMNS = ("id", "date", "title", "sources")


def source_view(detail: Row, marks: Sequence[tuple[int, int]],
                tags: Sequence[str] = ()) -> View:
    """One source: metadata, quotes, events, and its text with quotes highlighted (direct
    quotes and paraphrases apart, by their tags)."""
    parts: View = []
    if detail["status"] == "draft":
        parts.append(Line(_draft_warning(detail["id"]), style="bold"))
    parts.append(Fields(_meta_lines(detail, (*SOURCE_META, "status"))))
    if detail.get("proposals"):
        parts.append(Listing("Proposals (draft): how nkb add proposed each field",
                             proposal_rows(detail), PROPOSAL_COLUMNS))
    if detail["quotes"]:
        parts.append(Listing("Quotes", detail["quotes"], SOURCE_QUOTE_COLUMNS
                             + (("strength", "basis") if "strength" in detail["quotes"][0]
                                else ())))
    if detail["events"]:
        parts.append(Listing("Events citing this source", detail["events"],
                             SOURCE_EVENT_COLUMNS))
    parts.append(Passage("Text", detail["text"], marks, tags))
    return parts


def source_md(detail: Row, marks: Sequence[tuple[int, int]], tags: Sequence[str] = ()) -> str:
    """Markdown view of one source; in the text, direct quotes are bold and paraphrases
    italic, each followed by its id and kind."""
    lines = [f"# {md_escape(detail['title'] or 'Source ' + detail['id'])}", ""]
    if detail["status"] == "draft":
        lines += [f"**{md_escape(_draft_warning(detail['id']))}**", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in
              _meta_lines(detail, (*SOURCE_META[2:], "status"))]
    lines += ["", "## Quotes", "", to_md(detail["quotes"], SOURCE_QUOTE_COLUMNS)]
    lines += ["## Events", "", to_md(detail["events"], SOURCE_EVENT_COLUMNS)]
    lines += ["## Text", ""]
    if tags:
        lines += ["Quotes: **bold** = direct quote, *italic* = paraphrase (not verbatim); "
                  "each is followed by its id and kind.", ""]
    lines += [_md_text_with_marks(detail["text"], marks, tags)]
    return "\n".join(lines) + "\n"


def _md_text_with_marks(text: str, marks: Sequence[tuple[int, int]],
                        tags: Sequence[str] = ()) -> str:
    out, at = [], 0
    named = sorted(zip(marks, list(tags) + [""] * (len(marks) - len(tags)), strict=True))
    for (start, end), tag in named:
        if start < at:
            continue
        emphasis = "*" if tag.endswith("paraphrase") else "**"
        out.append(_md_text(text[at:start]))
        out.append(emphasis + _md_text(text[start:end]) + emphasis)
        if tag:
            out.append(f" \\[{_md_text(tag)}\\]")
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


def _membership_lines(profile: Row) -> list[tuple[str, str]]:
    """An actor's memberships and an organisation's people, one line each."""
    def dated(entry: Row) -> str:
        return f"{entry['title']} ({', '.join([*entry['dates'], '/'.join(entry['sources'])])})"

    # a person's line leaves out the title: it is one of the roles listed just above
    lines = [("member of", f"{m['name']} ({m['organisation']}), by the role above: "
              f"{', '.join(m['dates'])} ({'/'.join(m['sources'])})")
             for m in profile.get("member_of", [])]
    lines += [("member", f"{m['name']} ({m['id']}): {dated(m)}")
              for m in profile.get("members", [])]
    return [(k, visible(v)) for k, v in lines]


def actor_view(profile: Row) -> View:
    """One actor: who they are, their organisations or people, what they (and their people)
    said, where they take part."""
    parts: View = [Fields(_meta_lines(profile, ACTOR_META) + _membership_lines(profile))]
    if profile["quotes"]:
        parts.append(Listing("Quotes", profile["quotes"], QUOTE_TABLE))
    if profile["members_quotes"]:
        parts.append(Listing(f"Quotes by its people (members of {profile['name']})",
                             profile["members_quotes"], QUOTE_TABLE))
    if profile["mentioned_in_quotes"]:
        parts.append(Listing(f"Quotes by others naming {profile['name']}",
                             profile["mentioned_in_quotes"], QUOTE_TABLE))
    if profile["events"]:
        parts.append(Listing("Events", profile["events"], EVENT_TABLE, EVENT_OPTIONAL))
    if profile["mentioned_in_sources"]:
        parts.append(Fields([("named in sources", cell(profile["mentioned_in_sources"]))]))
    if not any(profile[k] for k in ("quotes", "members_quotes", "events", "mentioned_in_quotes",
                                    "mentioned_in_sources")):
        parts.append(Line("No quotes or events in the KB, and no source names them."))
    return parts


def actor_md(profile: Row) -> str:
    lines = [f"# {md_escape(profile['name'])}", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in _meta_lines(profile, ACTOR_META[2:])
              + _membership_lines(profile)]
    lines += ["", "## Quotes", "", to_md(profile["quotes"], QUOTE_TABLE)]
    if profile["members_quotes"]:
        lines += [f"## Quotes by its people (members of {md_escape(profile['name'])})", "",
                  to_md(profile["members_quotes"], QUOTE_TABLE)]
    lines += [f"## Quotes by others naming {md_escape(profile['name'])}", "",
              to_md(profile["mentioned_in_quotes"], QUOTE_TABLE)]
    lines += ["## Events", "", to_md(profile["events"], EVENT_TABLE)]
    lines += ["## Named in sources", "", md_escape(profile["mentioned_in_sources"]) or "none", ""]
    return "\n".join(lines) + "\n"


def _draft_warning(source_id: str) -> str:
    return (f"DRAFT: source {source_id} is not yet curated; check every field against the "
            "article before using it")


def _roles_text(roles: Sequence[Row]) -> str:
    return "; ".join(_role_text({"title": r["title"], "date": r.get("date")}) for r in roles) \
        or "none given in this source"


def _quote_fields(quote: Row) -> list[tuple[str, str]]:
    kind = "paraphrase (not a direct quote)" if quote["kind"] == "paraphrase" else "direct quote"
    fields = [("id", quote["id"]), ("text", quote["text"]), ("kind", kind),
              ("speaker", f"{quote['speaker']} ({quote['speaker_id']})"),
              ("role", _roles_text(quote["speaker_roles"])), ("date", quote["date"]),
              ("date_basis", quote["date_basis"] or ""), ("source", quote["source"]),
              ("outlet", quote["outlet"]), ("via", quote["via"] or ""),
              ("status", quote["status"])]
    return [(k, cell(v)) for k, v in fields if v]


def quote_view(quote: Row) -> View:
    """One quote: its fields, the passage of its article around it, and a citation line."""
    parts: View = []
    if quote["status"] == "draft":
        parts.append(Line(_draft_warning(quote["source"]), style="bold"))
    parts.append(Fields(_quote_fields(quote)))
    found = quote["passage"]
    if found is None:
        parts.append(Line(f"(the quote is not found in the text of source {quote['source']})"))
    else:
        parts.append(Passage(f"In source {quote['source']}", found["text"],
                             [(found["start"], found["end"])], [f"{quote['id']} {quote['kind']}"]))
    parts.append(Fields([("cite", cell(quote["citation"]))]))
    return parts


def quote_md(quote: Row) -> str:
    """Markdown view of one quote; the quote is bold in its passage."""
    lines = [f"# Quote {md_escape(quote['id'])}", ""]
    if quote["status"] == "draft":
        lines += [f"**{md_escape(_draft_warning(quote['source']))}**", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in _quote_fields(quote)[1:]]
    found = quote["passage"]
    if found is not None:
        marks = [(found["start"], found["end"])]
        lines += ["", "## In the article", "", _md_text_with_marks(found["text"], marks)]
    lines += ["", "## Cite", "", md_escape(quote["citation"])]
    return "\n".join(lines) + "\n"


EVENT_SOURCE_COLUMNS = ("id", "date", "outlet", "via", "title", "status")


def _event_fields(event: Row) -> list[tuple[str, str]]:
    actors = [f"{a['name']} ({a['id']})" for a in event["actors"]]
    fields = [("id", event["id"]), ("date", event["date"]),
              ("date_basis", event["date_basis"] or ""), ("title", event["title"]),
              ("description", event["description"]), ("actors", actors),
              ("places", event["places"])]
    return [(k, cell(v)) for k, v in fields if v]


def event_view(event: Row) -> View:
    """One event: its fields and every source that reports it."""
    return [Fields(_event_fields(event)),
            Listing("Reported by", event["sources"], EVENT_SOURCE_COLUMNS)]


def event_md(event: Row) -> str:
    lines = [f"# {md_escape(event['title'])}", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in _event_fields(event) if k != "title"]
    lines += ["", "## Reported by", "", to_md(event["sources"], EVENT_SOURCE_COLUMNS)]
    return "\n".join(lines) + "\n"
