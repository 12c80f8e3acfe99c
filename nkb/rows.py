"""Records as rows: the one place a record becomes the plain dict every format shows.

A listing's row, one record whole (`source_detail`, `actor_detail`) and a search hit are all
built here, from records the queries return, so table, JSON, CSV and Markdown show the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from nkb import dates, search
from nkb.index import KB
from nkb.models import Actor, Event, Quote, Source
from nkb.text import is_placeholder

Row = dict[str, Any]


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


def actor_detail(kb: KB, actor: Actor, kinds: tuple[str, ...] = (),
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


def with_matches(rows: Sequence[Row], marks: dict[str, str]) -> list[Row]:
    """Rows a word search chose, each saying how it matched (`match`: words, or the near
    spellings it needed); rows of a listing no words chose stay as they are."""
    if not marks:
        return list(rows)
    return [row | {"match": marks.get(row["id"], "words")} for row in rows]


def with_ranges(rows: Sequence[Row], marks: dict[str, str]) -> list[Row]:
    """Rows of a listing asked for a date range, each saying how its date fits it (`range`:
    certain, or possible where it may fall outside); other listings' rows stay as they are."""
    if not marks:
        return list(rows)
    return [row | {"range": marks.get(row["id"], dates.POSSIBLE)} for row in rows]
