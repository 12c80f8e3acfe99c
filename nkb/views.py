"""One record whole: the quote and event views, and finding a source, quote or event by the id
nkb prints, with a pointer to the right command when the id is of another kind."""

from __future__ import annotations

import re

from nkb import cite
from nkb.errors import NotFound
from nkb.index import KB, normalise_source_id
from nkb.models import Event, Quote, Source
from nkb.rows import Row, event_row, source_row
from nkb.search import CUT
from nkb.text import locate, locate_each

PASSAGE_LIMIT = 600  # characters of a paragraph beyond the quote before it is cut to sentences
_QUOTE_ID = re.compile(r"([0-9]+)-([0-9]+)")  # ASCII digits: ids are written with 0-9
_SENTENCE_END = re.compile("[.!?\u2026][\"'\u201d\u2019\u00bb)]*\\s+")


# --- finding a record by id -------------------------------------------------------------------


def find_source(kb: KB, ident: str) -> Source:
    """The source an id names (`3` finds `003`), or a pointer to the view of its kind."""
    key = normalise_source_id(ident)
    if key in kb.sources:
        return kb.sources[key]
    _refuse_other_kind(kb, ident, "source")
    return kb.source(ident)  # raises NotFound listing the source ids


def find_quote(kb: KB, ident: str) -> Quote:
    """The quote an id names (`4-7` finds `004-7`), or a pointer to the view of its kind."""
    quote = _quote(kb, ident.strip())
    if quote is not None:
        return quote
    _refuse_other_kind(kb, ident, "quote")
    raise NotFound(f"no quote {ident.strip()!r}; quote ids look like 003-4 "
                   "(`nkb source 003` or `nkb quotes` lists them)")


def find_event(kb: KB, ident: str) -> Event:
    """The event an id names, or a pointer to the view of its kind."""
    event = _event(kb, ident.strip())
    if event is not None:
        return event
    _refuse_other_kind(kb, ident, "event")
    raise NotFound(f"no event {ident.strip()!r}; `nkb events` lists the event ids")


def _quote(kb: KB, ident: str) -> Quote | None:
    number = _QUOTE_ID.fullmatch(ident)
    wanted = f"{normalise_source_id(number[1])}-{number[2]}" if number else ident
    if number and wanted.split("-")[0] in kb.sources:  # look in its source only: no full scan
        found = [q for q in kb.sources[wanted.split("-")[0]].quotes if q.id in (ident, wanted)]
        if found:
            return found[0]
    return next((q for q in kb.quotes if q.id in (ident, wanted)), None)


def _event(kb: KB, ident: str) -> Event | None:
    return next((e for e in kb.events if e.id == ident), None)


def _refuse_other_kind(kb: KB, ident: str, asked: str) -> None:
    """Raise a pointer to the right command if the id is a record of another kind."""
    ident = ident.strip()
    if asked != "source" and normalise_source_id(ident) in kb.sources:
        kind, shown = "source", normalise_source_id(ident)
    elif asked != "quote" and (quote := _quote(kb, ident)) is not None:
        kind, shown = "quote", quote.id
    elif asked != "event" and _event(kb, ident) is not None:
        kind, shown = "event", ident
    elif asked != "actor" and ident in kb.actors:
        kind, shown = "actor", ident
    else:
        return
    raise NotFound(f"{ident!r} is {_a(kind)} {kind} id, not {_a(asked)} {asked} id; use "
                   f"`nkb {kind} {shown}`")


def _a(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


# --- a quote whole ----------------------------------------------------------------------------


def quote_detail(kb: KB, quote: Quote) -> Row:
    """Everything about one quote: who said it (and as what), when, where, the passage of the
    article around it, and a citation line; the object `nkb quote ID --format json` prints."""
    source = kb.sources[quote.source]
    return {
        "id": quote.id,
        "text": quote.text,
        "kind": quote.kind,
        "speaker": kb.speaker_name(quote),
        "speaker_id": quote.speaker,
        "speaker_roles": speaker_roles(kb, quote),
        "date": quote.date,
        "date_basis": quote.date_basis,
        "source": source.id,
        "outlet": source.outlet,
        "via": source.via,
        "status": source.status,
        "passage": passage(kb.text(source.id), quote.text),
        "citation": cite.text_line(cite.find(kb, quote.id, drafts=True)),
    }


def speaker_roles(kb: KB, quote: Quote) -> list[Row]:
    """The roles this quote's source gives its speaker, with their dates."""
    actor = kb.actors.get(quote.speaker)
    if actor is None:
        return []
    return [{"title": r.title, "date": r.date, "sources": list(r.sources)}
            for r in actor.roles if quote.source in r.sources]


def passage(article: str, quote_text: str) -> Row | None:
    """The paragraph of the article holding the quote (with the one before when the quote is
    a paragraph of its own, so the words that attribute it are there), cut to the sentences
    around the quote when the paragraph is long (a cut is marked ⋯); `start`/`end` mark the
    quote within it."""
    where = locate(article, quote_text)
    if where is None:
        return None
    start, end = where
    first = _paragraph_start(article, start)
    last = _paragraph_end(article, end)
    if _words(article[first:start] + article[end:last]) < 3 and first > 0:
        first = _paragraph_start(article, len(article[:first].rstrip()))
    whole = (first, last)
    if (start - first) + (last - end) > PASSAGE_LIMIT:
        first = max(first, _sentence_start(article, start, first))
        last = min(last, _sentence_end(article, end, last))
    text = article[first:last]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    # a paragraph cut to its sentences says so, with a mark no article uses
    before = f"{CUT} " if first > whole[0] else ""
    after = f" {CUT}" if last < whole[1] else ""
    shift = len(before) - first - lead
    return {"text": before + text + after, "start": start + shift, "end": end + shift}


def _paragraph_start(article: str, at: int) -> int:
    found = article.rfind("\n", 0, at)
    return 0 if found < 0 else found + 1


def _paragraph_end(article: str, at: int) -> int:
    found = article.find("\n", at)
    return len(article) if found < 0 else found


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _sentence_start(article: str, at: int, floor: int) -> int:
    # the start of the sentence before the one the quote starts in
    ends = [m.end() for m in _SENTENCE_END.finditer(article, floor, at)]
    return ends[-2] if len(ends) >= 2 else floor


def _sentence_end(article: str, at: int, ceiling: int) -> int:
    # the end of the sentence after the one the quote ends in
    ends = [m.start() + 1 for m in _SENTENCE_END.finditer(article, at, ceiling)]
    return ends[1] if len(ends) >= 2 else ceiling


# --- an event whole ---------------------------------------------------------------------------


def event_detail(kb: KB, event: Event) -> Row:
    """Everything about one event and every source that reports it; the object
    `nkb event ID --format json` prints."""
    row = event_row(kb, event)
    return {
        "id": event.id,
        "date": event.date,
        "date_basis": event.date_basis,
        "title": event.title,
        "description": event.description,
        "actors": [{"id": a, "name": name} for a, name in zip(event.actors, row["actors"],
                                                                strict=True)],
        "places": list(event.places),
        "sources": [_reporting(kb.sources[s]) for s in event.sources if s in kb.sources],
    }


def _reporting(source: Source) -> Row:
    row = source_row(source)
    return {k: row[k] for k in ("id", "date", "outlet", "via", "title", "status")}


def source_marks(detail: Row) -> tuple[list[tuple[int, int]], list[str]]:
    """Where each of a source's quotes lies in its text, with its tag (`003-1 direct`);
    quotes not found in the text are left out."""
    found = locate_each(detail["text"], [q["text"] for q in detail["quotes"]])
    marks, tags = [], []
    for quote, where in zip(detail["quotes"], found, strict=True):
        if where is not None:
            marks.append(where)
            tags.append(f"{quote['id']} {quote['kind']}")
    return marks, tags
