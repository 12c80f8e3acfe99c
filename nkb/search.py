"""The queries behind each listing and `nkb search`: records matching every filter.

Names are resolved before a query runs (nkb/names.py), so a query takes actors, outlets and
places as the KB has them. Records from draft sources are left out unless a filter asks for
them. A filter given several values matches any of them; different filters combine with AND.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nkb import dates
from nkb.dates import Span
from nkb.errors import UsageError
from nkb.index import KB, readable_text, shown_text
from nkb.models import Actor, Event, Membership, Quote, Source
from nkb.names import actor_names
from nkb.text import fold
from nkb.validation import sort_key

if TYPE_CHECKING:
    from nkb.wordindex import WordMatch, WordQuery


@dataclass(frozen=True, slots=True)
class Words:
    """A typed word query as read against the KB: what it looks for, and what each word the KB
    does not hold was read as (its near spellings)."""

    text: str
    query: WordQuery
    spelled: dict[str, str]  # each near index word (a stem) as a record writes it

    def notices(self) -> list[str]:
        """What each typed word the KB lacks was read as: 'bordr' read as 'border'."""
        return [f"{typed!r} read as " + " or ".join(repr(self.spelled.get(n, n)) for n in near)
                for typed, near in self.query.readings()]

    def reading(self) -> str:
        """How a record matched through a near spelling is marked."""
        return "near spelling: " + "; ".join(self.notices())


def read_words(kb: KB, text: str, exact: bool = False) -> Words:
    """The query as typed (`"a phrase"`, `a OR b`, `-word`, `prefix*`); a word no record holds
    is read as its near spellings unless `exact`. A query of exclusions only is a usage error."""
    from nkb import wordindex

    try:
        query = wordindex.parse(kb.word_index(), text, exact)
    except wordindex.QueryError as exc:
        raise UsageError(str(exc)) from None
    near = {n for _, stems in query.readings() for n in stems}
    return Words(text, query, {n: _spelled(kb, n) for n in sorted(near)})


def _spelled(kb: KB, stem: str) -> str:
    """An index word as one record holding it writes it (the stem itself if none shows it)."""
    from nkb import wordindex

    conn = kb.word_index()
    prefix = wordindex.WordQuery(((wordindex.Term(stem, (stem,), prefix=True),),))
    for match in wordindex.find(conn, prefix, wordindex.Scope(drafts=True), limit=3)[0]:
        record = kb.search_record(match.kind, match.ref)
        text = shown_text(match.kind, record)
        if match.kind == "source":
            text = f"{text} {readable_text(kb, record.id)}"
        found = wordindex.spelled(text, stem)
        if found:
            return found
    return stem


def match_marks(kb: KB, words: Words | None, kind: str, drafts: bool) -> dict[str, str]:
    """How each record of one kind the words match was matched: 'words', or the near
    spellings it needed (empty without words)."""
    if words is None:
        return {}
    return {m.id: "words" if m.exact else words.reading()
            for m in _word_hits(kb, words, kind, drafts)}


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """What `nkb quotes` (and the timeline, and a profile) asks of quotes."""

    speakers: tuple[Actor, ...] = ()
    mentions: tuple[Actor, ...] = ()
    words: Words | None = None
    since: Span | None = None
    until: Span | None = None
    sources: tuple[str, ...] = ()  # source ids as the KB has them
    outlets: tuple[str, ...] = ()  # outlet names as the KB has them
    kinds: tuple[str, ...] = ()  # direct, paraphrase
    drafts: bool = False
    within: bool = False  # only dates certainly inside [since, until], not those that may be
    members: bool = False  # a speaker that is an organisation brings its people's quotes
    topics: tuple[str, ...] = ()  # topic ids: a quote carrying any of them


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What `nkb events` (and the timeline) asks of events."""

    since: Span | None = None
    until: Span | None = None
    actors: tuple[Actor, ...] = ()
    places: tuple[str, ...] = ()  # places as the KB has them
    sources: tuple[str, ...] = ()
    words: Words | None = None
    drafts: bool = False
    within: bool = False  # only dates certainly inside [since, until], not those that may be


def is_draft(kb: KB, source_id: str) -> bool:
    """True if the source is a draft (its records are not curated yet)."""
    return source_id in kb.draft_ids()


def in_range(kb: KB, edtf: str | None, since: Span | None, until: Span | None) -> bool:
    """Date filter: a record matches if any day its date can mean lies in [since, until]."""
    if since is None and until is None:
        return True
    span = kb.span(edtf)
    return span is not None and span.overlaps(since, until)


def range_fit(kb: KB, edtf: str | None, since: Span | None, until: Span | None) -> str | None:
    """How a record's date fits [since, until]: dates.CERTAIN, dates.POSSIBLE (it may fall
    outside), or None (no day of it is inside, or it has no date)."""
    span = kb.span(edtf)
    return None if span is None or edtf is None else dates.range_fit(edtf, span, since, until)


def _dated(kb: KB, edtf: str | None, since: Span | None, until: Span | None,
           within: bool) -> bool:
    if not within:
        return in_range(kb, edtf, since, until)
    return (since is None and until is None) or range_fit(kb, edtf, since, until) == dates.CERTAIN


def range_marks(kb: KB, records: Iterable[Any], since: Span | None,
                until: Span | None) -> dict[str, str]:
    """How each record's date fits the requested range, by id (empty when none was asked)."""
    if since is None and until is None:
        return {}
    return {r.id: range_fit(kb, r.date, since, until) or dates.POSSIBLE for r in records}


def find_quotes(kb: KB, wanted: QuoteFilter = QuoteFilter()) -> list[Quote]:
    """Quotes matching every filter, in date order."""
    found = _word_hits(kb, wanted.words, "quote", wanted.drafts) if wanted.words else None
    matched = {m.id for m in found} if found is not None else None
    if wanted.speakers:
        pool = _quotes_of_speakers(kb, wanted.speakers)
        if wanted.members:
            pool = _in_date_order(kb, pool + members_quotes(kb, wanted.speakers))
    elif found is not None:
        pool = _in_date_order(kb, [kb.search_record("quote", m.ref) for m in found])
    else:
        pool = kb.quotes
    return [
        q for q in pool
        if (wanted.drafts or not is_draft(kb, q.source))
        and (not wanted.sources or q.source in wanted.sources)
        and (not wanted.kinds or q.kind in wanted.kinds)
        and on_topics(q, wanted.topics)
        and _dated(kb, q.date, wanted.since, wanted.until, wanted.within)
        and (not wanted.outlets or _published_by(kb.sources[q.source], wanted.outlets))
        and (not wanted.mentions or any(mentions(q.text, a) for a in wanted.mentions))
        and (matched is None or q.id in matched)
    ]


def _quotes_of_speakers(kb: KB, speakers: Sequence[Actor]) -> list[Quote]:
    if len(speakers) == 1:
        return kb.quotes_by(speakers[0].id)
    ids = {a.id for a in speakers}
    return [q for q in kb.quotes if q.speaker in ids]


# --- topics ------------------------------------------------------------------------------------


def on_topics(quote: Quote, topics: Collection[str]) -> bool:
    """True if no topic is asked for or the quote carries one of them."""
    return not topics or not set(topics).isdisjoint(quote.topics)


@dataclass(frozen=True, slots=True)
class TopicUse:
    """A topic of the vocabulary (or, in a KB without one, carried by a quote) and its quotes."""

    id: str
    description: str | None
    quotes: int


def topic_uses(kb: KB, drafts: bool = False) -> list[TopicUse]:
    """Every topic of the vocabulary in its order, then any other topic quotes carry, each with
    how many quotes carry it (curated ones only unless `drafts`)."""
    counts: dict[str, int] = {}
    for quote in kb.quotes:
        if drafts or not is_draft(kb, quote.source):
            for topic in dict.fromkeys(quote.topics):
                counts[topic] = counts.get(topic, 0) + 1
    vocabulary = kb.topics()
    listed = [TopicUse(t.id, t.description, counts.get(t.id, 0)) for t in vocabulary.values()]
    return listed + [TopicUse(t, None, n) for t, n in sorted(counts.items()) if t not in vocabulary]


def search_on_topics(kb: KB, query: str | Words, topics: Collection[str],
                     quote_kinds: Collection[str] = (), limit: int | None = 20,
                     drafts: bool = False) -> Hits:
    """Word search over the quotes carrying any of the topics (topics tag quotes only)."""
    every = search_all(kb, query, ("quote",), quote_kinds, None, drafts)
    kept = [h for h in every.shown if on_topics(h.record, topics)]
    return Hits(kept[:limit] if limit else kept, len(kept))


# --- organisations and their people ----------------------------------------------------------


def members_of(kb: KB, organisation: Actor) -> list[tuple[Actor, Membership]]:
    """The actors whose memberships name the organisation, each with that membership."""
    return [(a, m) for a in find_actors(kb) for m in a.member_of
            if m.organisation == organisation.id]


def members_quotes(kb: KB, organisations: Sequence[Actor]) -> list[Quote]:
    """The quotes the organisations' people said while members (see `speaks_for`)."""
    people = {a.id for o in organisations for a, _ in members_of(kb, o)}
    said = {id(q): q for q in _quotes_of_speakers(kb, [kb.actors[i] for i in people])}
    return [q for q in said.values() if speaks_for(kb, q, organisations) is not None]


def speaks_for(kb: KB, quote: Quote, organisations: Sequence[Actor]) -> Actor | None:
    """The organisation a quote counts for through its speaker's membership: one whose
    membership cites the quote's source, or whose dates span a period the quote's date overlaps."""
    speaker = kb.actors.get(quote.speaker)
    if speaker is None:
        return None
    for organisation in organisations:
        for membership in speaker.member_of:
            if membership.organisation == organisation.id and (
                    quote.source in membership.sources or _in_period(kb, quote, membership)):
                return organisation
    return None


def _in_period(kb: KB, quote: Quote, membership: Membership) -> bool:
    spans = [s for s in (kb.span(d) for d in membership.dates) if s is not None]
    said = kb.span(quote.date)
    if not spans or said is None:
        return False
    first, last = min(spans, key=lambda s: s.start), max(spans, key=lambda s: s.end)
    return said.overlaps(first, last)


def _published_by(source: Source, outlets: Collection[str]) -> bool:
    return source.outlet in outlets or (source.via is not None and source.via in outlets)


def find_events(kb: KB, wanted: EventFilter = EventFilter()) -> list[Event]:
    """Events matching every filter, in date order."""
    dated = wanted.since is not None or wanted.until is not None
    found = _word_hits(kb, wanted.words, "event", wanted.drafts) if wanted.words else None
    matched = {m.id for m in found} if found is not None else None
    if dated:
        pool = kb.events_between(wanted.since, wanted.until)
    elif found is not None:
        pool = _in_date_order(kb, [kb.search_record("event", m.ref) for m in found])
    else:
        pool = kb.events
    actor_ids = {a.id for a in wanted.actors}
    return [
        e for e in pool
        if (wanted.drafts or not _only_drafts(kb, e))
        and (not actor_ids or actor_ids & set(e.actors))
        and (not wanted.sources or set(wanted.sources) & set(e.sources))
        and (not wanted.places or set(wanted.places) & set(e.places))
        and (matched is None or e.id in matched)
        and (not wanted.within or _dated(kb, e.date, wanted.since, wanted.until, True))
    ]


def _only_drafts(kb: KB, event: Event) -> bool:
    """An event only draft sources report is not curated yet."""
    return bool(event.sources) and all(is_draft(kb, s) for s in event.sources)


def shown_sources(kb: KB, event: Event, drafts: bool) -> list[str]:
    """The ids of the sources an event cites that a listing shows (drafts only if asked)."""
    return [s for s in event.sources if drafts or not is_draft(kb, s)]


def find_actors(kb: KB, kinds: Collection[str] = ()) -> list[Actor]:
    """Actors of the given kinds (all if none), people by surname, others by name."""
    return sorted((a for a in kb.actors.values() if not kinds or a.kind in kinds),
                  key=actor_sort_key)


def actor_sort_key(actor: Actor) -> tuple[str, str]:
    """People sort by surname (the last word of the name), organisations and states by name."""
    folded = fold(actor.name)
    return (folded.split()[-1] if actor.kind == "person" and folded else folded, folded)


def find_sources(kb: KB, drafts: bool = False) -> list[Source]:
    """Sources in date order; drafts only if asked."""
    return sorted((s for s in kb.sources.values() if drafts or s.status != "draft"),
                  key=lambda s: sort_key(kb.spans, s.date, s.id))


def events_with(kb: KB, actor_id: str, drafts: bool = False) -> list[Event]:
    """The events an actor takes part in, in date order."""
    return [e for e in kb.events_of(actor_id) if drafts or not _only_drafts(kb, e)]


def sources_naming(kb: KB, actor: Actor, drafts: bool = False) -> list[str]:
    """Ids of sources that give the actor a role, report an event with them, or whose text
    names them ('appears in')."""
    ids = {s for role in actor.roles for s in role.sources}
    ids |= {s for e in events_with(kb, actor.id, drafts) for s in e.sources}
    ids |= set(sources_mentioning(kb, actor, drafts))
    return sorted(i for i in ids if drafts or not is_draft(kb, i))


def no_quotes_message(kb: KB, actor: Actor, drafts: bool = False) -> str:
    """Why a speaker's search found no quotes: none match the other filters, or the actor has
    none at all (and where else the KB names them)."""
    if any(drafts or not is_draft(kb, q.source) for q in kb.quotes_by(actor.id)):
        return f"no quotes by {actor.name} match these filters"
    where = sources_naming(kb, actor, drafts)
    events = events_with(kb, actor.id, drafts)
    seen = []
    if events:
        seen.append(f"{len(events)} event(s)")
    if where:
        seen.append(f"source(s) {', '.join(where)}")
    also = f"; appears in {' and '.join(seen)} (try `nkb actor {actor.id}`)" if seen else ""
    return f"{actor.name} is in the KB but has no quotes{also}"


# --- mentions ---------------------------------------------------------------------------------


def mentions(text: str, actor: Actor) -> bool:
    """True if the text names the actor: one of its names or aliases as whole words. Short
    names and initialisms ('US') count only as written, in capitals."""
    folded = f" {fold(text)} "
    for name in actor_names(actor):
        if len(name.replace(" ", "")) >= 4 and f" {name} " in folded:
            return True
    return any(_initialism_in(text, alias) for alias in (actor.name, *actor.aliases)
               if len(fold(alias).replace(" ", "")) < 4)


def _initialism_in(text: str, alias: str) -> bool:
    if not alias.strip() or alias != alias.upper():
        return False
    return re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text) is not None


def quotes_mentioning(kb: KB, actor: Actor, drafts: bool = False) -> list[Quote]:
    """Quotes that name the actor without being said by them, in date order."""
    found = [q for q in _naming(kb, actor, "quote", drafts) if q.speaker != actor.id]
    return sorted(found, key=lambda q: sort_key(kb.spans, q.date, q.id))


def sources_mentioning(kb: KB, actor: Actor, drafts: bool = False) -> list[str]:
    """Ids of the sources whose text names the actor."""
    return sorted(s.id for s in _naming(kb, actor, "source", drafts))


def _naming(kb: KB, actor: Actor, kind: str, drafts: bool) -> list[Any]:
    """The records of one kind whose text names the actor: the word index proposes those
    holding every word of one of its names, and `mentions` keeps those that really name it,
    so no other text is read."""
    from nkb import wordindex

    conn = kb.word_index()
    scope = wordindex.Scope(kinds=(kind,), drafts=drafts)
    refs: dict[str, Any] = {}
    for name in dict.fromkeys(fold(n) for n in (actor.name, *actor.aliases)):
        query = wordindex.WordQuery.all_of(name.split())
        for match in wordindex.find(conn, query, scope)[0]:
            refs.setdefault(match.id, match.ref)
    records = [kb.search_record(kind, ref) for ref in refs.values()]
    if kind == "source":
        return [s for s in records if mentions(readable_text(kb, s.id), actor)]
    return [q for q in records if mentions(q.text, actor)]


# --- ordering ---------------------------------------------------------------------------------

SORTS: dict[str, dict[str, Callable[[KB, Any], Any]]] = {
    "quote": {"date": lambda kb, q: sort_key(kb.spans, q.date, q.id),
              "id": lambda kb, q: _natural(q.id),
              "speaker": lambda kb, q: (fold(kb.speaker_name(q)), sort_key(kb.spans, q.date, q.id))},
    "event": {"date": lambda kb, e: sort_key(kb.spans, e.date, e.id),
              "id": lambda kb, e: e.id, "title": lambda kb, e: fold(e.title)},
    "source": {"date": lambda kb, s: sort_key(kb.spans, s.date, s.id),
               "id": lambda kb, s: _natural(s.id), "title": lambda kb, s: fold(s.title)},
    "actor": {"name": lambda kb, a: actor_sort_key(a), "id": lambda kb, a: a.id},
}


def _natural(ident: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isascii() and p.isdigit() else p for p in re.split(r"([0-9]+)", ident))


def ordered(kb: KB, kind: str, records: Iterable[Any], by: str | None,
            reverse: bool = False) -> list[Any]:
    """Records sorted by one of SORTS[kind] (their natural order when `by` is None)."""
    listed = list(records)
    if by is not None:
        key = SORTS[kind][by]
        listed.sort(key=lambda r: key(kb, r))
    return listed[::-1] if reverse else listed


# --- word search ------------------------------------------------------------------------------


MAX_LIMIT = 1_000_000  # the largest limit taken: far beyond any KB (SQLite's integers end at 2**63)
CUT = "\u22ef"  # ⋯ marks text an excerpt leaves out; an article's own "…" or "..." stays as is


@dataclass(frozen=True, slots=True)
class Hit:
    """One result of `nkb search`: what kind of record, which, how good, and where it matched."""

    kind: str
    id: str
    score: float
    exact: bool  # every word matched as typed, not through a near spelling
    record: Any
    text: str  # the record's text that is shown, whole
    marks: tuple[tuple[int, int], ...]  # where the matched words are in `text`
    match: str = "words"  # or the near spellings it needed (Words.reading)


@dataclass(frozen=True, slots=True)
class Hits:
    """The best hits, and how many records match in all."""

    shown: list[Hit]
    total: int


def word_matches(kb: KB, words: Words, kind: str, drafts: bool) -> set[str]:
    """Ids of the records of one kind the words match."""
    return {m.id for m in _word_hits(kb, words, kind, drafts)}


def _word_hits(kb: KB, words: Words, kind: str, drafts: bool) -> list[WordMatch]:
    from nkb import wordindex

    found, _ = wordindex.find(kb.word_index(), words.query,
                              wordindex.Scope(kinds=(kind,), drafts=drafts))
    return found


def _in_date_order(kb: KB, records: list[Any]) -> list[Any]:
    """Quotes or events in the order the KB lists them (validation sorts them by this key), so
    a word filter decodes only the records it matched, not all of them."""
    spans = kb.spans
    return sorted(records, key=lambda r: sort_key(spans, r.date, r.id))


def search_all(kb: KB, query: str | Words, kinds: Collection[str] = (),
               quote_kinds: Collection[str] = (), limit: int | None = 20,
               drafts: bool = False) -> Hits:
    """Word search over quotes, events, actors and sources at once, best first."""
    from nkb import wordindex

    conn = kb.word_index()
    words = query if isinstance(query, Words) else read_words(kb, query)
    parsed = words.query
    scope = wordindex.Scope(kinds=tuple(kinds), quote_kinds=tuple(quote_kinds), drafts=drafts)
    found, total = wordindex.find(conn, parsed, scope, limit)
    terms = parsed.terms()
    hits = []
    for match in found:
        record = kb.search_record(match.kind, match.ref)
        text = shown_text(match.kind, record)
        if match.kind == "source":  # the words may be anywhere in the article: show where
            text = f"{record.title}. {readable_text(kb, record.id)}"
        marks = tuple(wordindex.highlights(text, terms))
        hits.append(Hit(match.kind, match.id, match.score, match.exact, record, text, marks,
                        "words" if match.exact else words.reading()))
    return Hits(hits, total)


def excerpt(text: str, marks: Sequence[tuple[int, int]],
            width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A window of the text around its first mark (or its start), with the marks inside it;
    CUT ('⋯') says where text was left out: unlike '…', no article uses it."""
    if len(text) <= width:
        return text, list(marks)
    first = marks[0][0] if marks else 0
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    # whole words only: widen to the spaces around the window
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    lead = CUT if start else ""
    shown = lead + text[start:end] + (CUT if end < len(text) else "")
    shift = len(lead) - start
    inside = [(a + shift, b + shift) for a, b in marks if a >= start and b <= end]
    return shown, inside
