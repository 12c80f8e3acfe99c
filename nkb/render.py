"""Rows into formats: JSON, CSV, Markdown, a table laid out for a terminal's width, plain
lines for programs, and the screens of one record.

Text from the KB is data: control and bidi-override characters are shown escaped, markup is
never interpreted. Nothing here writes anywhere (nkb/terminal.py does).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nkb import dates
from nkb.rows import Row
from nkb.text import json_escape, spreadsheet_safe, visible


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


def to_json(data: Any) -> str:
    return json_escape(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: a number as it is (-1.5 is a number, not a formula), any text
    kept from running as a formula in a spreadsheet (`text.spreadsheet_safe`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell(value)
    return spreadsheet_safe(cell(value))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")  # "\\&amp;" shows as typed, not as "&"


def md_escape(value: Any) -> str:
    """Escape text so Markdown shows it literally; newlines become <br> inside table cells."""
    return _MD_SPECIAL.sub(r"\\\1", cell(value)).replace("\n", "<br>")


def to_md(rows: Sequence[Row], columns: Sequence[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(md_escape(row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def to_table(rows: Sequence[Row], columns: Sequence[str], title: str | None, width: int,
             optional: Sequence[str] = ()) -> Any:
    """The rows for a terminal `width` wide: a rich Table whose
    columns are wide enough that no id, date or word is broken; when they cannot all fit, the
    `optional` columns are left out in turn (said under the table), and when even that does not
    fit, one block per record with every field (see `stacked`). Cells are rich Text, so
    brackets are never markup."""
    from rich.table import Table
    from rich.text import Text

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


def with_match(rows: Sequence[Row], columns: Sequence[str]) -> tuple[str, ...]:
    """The columns, plus `match` where some row was found only through a near spelling."""
    if "match" in columns or not any(r.get("match", "words") != "words" for r in rows):
        return tuple(columns)
    return (*columns, "match")




def dates_marked(rows: Sequence[Row]) -> list[Row]:
    """Rows for a table: a date that may fall outside the range asked for shown as ≈DATE."""
    return [row | {"date": f"{dates.POSSIBLE_MARK}{row['date']}"}
            if row.get("range") == dates.POSSIBLE else row for row in rows]


def possible_note(rows: Sequence[Row]) -> str | None:
    """What a table with ≈ dates says on stderr: how many, and how to leave them out."""
    possible = sum(1 for row in rows if row.get("range") == dates.POSSIBLE)
    if not possible:
        return None
    return (f"{dates.POSSIBLE_MARK} marks {possible} date(s) that may fall outside the range asked "
            "for; --within leaves them out")


def limited_note(shown: int, total: int, option: str = "--limit 0") -> str | None:
    """What a listing stopped at its limit says: how many more, and how to see them."""
    return f"{shown} of {total} shown; {option} for all" if shown < total else None


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


Screen = list[Fields | Listing | Passage | Line]


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


def to_rich(screen: Screen, width: int, coloured: bool = True) -> Any:
    """A screen as one rich renderable for a terminal `width` wide; without colour, tagged
    quotes are marked in words."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts: list[Any] = []
    for part in screen:
        if isinstance(part, Fields):
            parts.append(_meta_grid(part.rows))
        elif isinstance(part, Listing):
            parts.append(to_table(part.rows, part.columns, part.title, width, part.optional))
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


def screen_lines(screen: Screen) -> str:
    """A screen for programs: fields as `name<TAB>value` lines; each listing as its title on a
    line, then one tab-separated record per line (as `to_plain`); a passage as its title,
    then its text as written; parts apart by a blank line."""
    blocks = []
    for part in screen:
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


def source_screen(detail: Row, marks: Sequence[tuple[int, int]],
                tags: Sequence[str] = ()) -> Screen:
    """One source: metadata, quotes, events, and its text with quotes highlighted (direct
    quotes and paraphrases apart, by their tags)."""
    parts: Screen = []
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
    """Markdown of one source; in the text, direct quotes are bold and paraphrases
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


def actor_screen(profile: Row) -> Screen:
    """One actor: who they are, their organisations or people, what they (and their people)
    said, where they take part."""
    parts: Screen = [Fields(_meta_lines(profile, ACTOR_META) + _membership_lines(profile))]
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


def quote_screen(quote: Row) -> Screen:
    """One quote: its fields, the passage of its article around it, and a citation line."""
    parts: Screen = []
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
    """Markdown of one quote; the quote is bold in its passage."""
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


def event_screen(event: Row) -> Screen:
    """One event: its fields and every source that reports it."""
    return [Fields(_event_fields(event)),
            Listing("Reported by", event["sources"], EVENT_SOURCE_COLUMNS)]


def event_md(event: Row) -> str:
    lines = [f"# {md_escape(event['title'])}", ""]
    lines += [f"- **{k}**: {md_escape(v)}" for k, v in _event_fields(event) if k != "title"]
    lines += ["", "## Reported by", "", to_md(event["sources"], EVENT_SOURCE_COLUMNS)]
    return "\n".join(lines) + "\n"
