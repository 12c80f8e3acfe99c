"""Matching and filtering: resolving names to actors, and the queries behind each command."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nkb.dates import Span
from nkb.errors import Ambiguous, NotFound
from nkb.index import KB, CorpusEntry, shown_text
from nkb.models import Actor, Event, Quote, Source
from nkb.text import fold
from nkb.validation import sort_key

FUZZY_ACCEPT = 85  # a name this close to one actor's name or alias is taken as that actor
FUZZY_SUGGEST = 60  # names this close are offered as "did you mean"
TEXT_ACCEPT = 85  # partial-ratio score for a fuzzy hit in free text


# --- names ------------------------------------------------------------------------------------


def actor_names(actor: Actor) -> list[str]:
    """Every folded form an actor may be called by: id, name, aliases."""
    return list(dict.fromkeys(fold(n) for n in (actor.id, actor.name, *actor.aliases) if fold(n)))


def resolve_actor(kb: KB, name: str) -> Actor:
    """The one actor a typed name means: exact name or alias, then surname, then fuzzy."""
    query = fold(name)
    if not query:
        raise NotFound(f"no actor matches {name!r}: give a name")
    actors = list(kb.actors.values())
    exact = [a for a in actors if query in actor_names(a)]
    if exact:
        return _one(name, exact)
    # every typed word is a word of the name ('rudenko', 'andrei rudenko' against 'andrey rudenko')
    words = set(query.split())
    by_word = [a for a in actors if any(words <= set(n.split()) for n in actor_names(a))]
    if by_word:
        return _one(name, by_word)
    fuzzy = _fuzzy_actors(query, actors, FUZZY_ACCEPT)
    if not fuzzy:
        _refuse_proposed(kb, name, words)
    return _one(name, fuzzy, _fuzzy_suggestions(query, actors))


def _refuse_proposed(kb: KB, name: str, words: set[str]) -> None:
    """A name that only a draft proposes is not an actor yet: say where it is proposed."""
    drafts = [s for s in kb.sources.values() if s.status == "draft"]
    proposing = sorted({(p.name, s.id) for s in drafts for p in s.new_actors
                        if words <= set(fold(p.name).split())})
    if proposing:
        where = ", ".join(f"{n!r} in draft {source_id}" for n, source_id in proposing)
        raise NotFound(f"no actor matches {name!r} yet; proposed as a new actor: {where}; "
                       "confirm it in actors.yaml")


def _fuzzy_scores(query: str, actors: list[Actor]) -> list[tuple[float, Actor]]:
    from rapidfuzz import fuzz  # deferred: exact names need no fuzzy matching

    scored = []
    for actor in actors:
        best = max((fuzz.WRatio(query, n) for n in actor_names(actor)), default=0.0)
        # Full names: also compare word by word so a misspelt surname still counts.
        for n in actor_names(actor):
            for word in n.split():
                if len(word) > 3:
                    best = max(best, fuzz.ratio(query, word))
        scored.append((best, actor))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def _fuzzy_actors(query: str, actors: list[Actor], threshold: float) -> list[Actor]:
    scored = [(s, a) for s, a in _fuzzy_scores(query, actors) if s >= threshold]
    if not scored:
        return []
    top = scored[0][0]
    # a clear winner beats near-ties; near-ties are ambiguous
    return [a for s, a in scored if top - s < 3]


def _fuzzy_suggestions(query: str, actors: list[Actor]) -> list[str]:
    from rapidfuzz import fuzz

    # Plain edit similarity to a whole name or one of its words: WRatio's partial matching rates
    # unrelated long names as near ('Shoigu' -> 'United States'), which makes poor suggestions.
    scored = [
        (max(fuzz.ratio(query, t) for n in actor_names(a) for t in (n, *n.split())), a)
        for a in actors
    ]
    scored.sort(key=lambda pair: -pair[0])
    return [a.name for s, a in scored[:3] if s >= FUZZY_SUGGEST]


def _one(name: str, matches: list[Actor], suggestions: Iterable[str] = ()) -> Actor:
    if len(matches) == 1:
        return matches[0]
    if matches:
        candidates = [f"{a.name} ({a.id})" for a in matches]
        raise Ambiguous(f"{name!r} matches several actors", candidates)
    hint = list(suggestions)
    tail = f"; did you mean {' or '.join(hint)}?" if hint else "; `nkb actors` lists them"
    raise NotFound(f"no actor matches {name!r}{tail}")


# --- free text --------------------------------------------------------------------------------


def text_matches(query: str, *texts: str) -> bool:
    """True if the query occurs in any text, ignoring case, or nearly occurs (typos)."""
    folded = fold(query)
    if not folded:
        return True
    haystacks = [fold(t) for t in texts if t]
    if any(folded in h for h in haystacks):
        return True
    if len(folded) < 4:
        return False
    from rapidfuzz import fuzz  # deferred: exact substrings need no fuzzy matching

    return any(fuzz.partial_ratio(folded, h) >= TEXT_ACCEPT for h in haystacks)


# --- queries ----------------------------------------------------------------------------------


def in_range(kb: KB, edtf: str | None, since: Span | None, until: Span | None) -> bool:
    """Date filter: a record matches if any day its date can mean lies in [since, until]."""
    if since is None and until is None:
        return True
    span = kb.span(edtf)
    return span is not None and span.overlaps(since, until)


def find_quotes(
    kb: KB,
    speaker: str | Actor | None = None,
    search: str | None = None,
    since: Span | None = None,
    until: Span | None = None,
    source: str | None = None,
    outlet: str | None = None,
) -> list[Quote]:
    """Quotes matching every given filter, in date order; `speaker` is a typed name or an
    actor already resolved."""
    speaker_id = _actor_id(kb, speaker)
    source_id = kb.source(source).id if source is not None else None
    return [
        q
        for q in (kb.quotes if speaker_id is None else kb.quotes_by(speaker_id))
        if (source_id is None or q.source == source_id)
        and in_range(kb, q.date, since, until)
        and (outlet is None or _outlet_matches(kb.sources[q.source], outlet))
        and (search is None or text_matches(search, q.text))
    ]


def _actor_id(kb: KB, actor: str | Actor | None) -> str | None:
    if actor is None:
        return None
    return actor.id if isinstance(actor, Actor) else resolve_actor(kb, actor).id


def _outlet_matches(source: Source, outlet: str) -> bool:
    folded = fold(outlet)
    return any(folded == fold(o) or folded in fold(o) for o in (source.outlet, source.via) if o)


def find_events(
    kb: KB,
    since: Span | None = None,
    until: Span | None = None,
    actor: str | Actor | None = None,
    place: str | None = None,
    source: str | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[Event]:
    """Events matching every given filter, in date order; `actor` is a typed name or an actor
    already resolved."""
    actor_id = _actor_id(kb, actor)
    source_id = kb.source(source).id if source is not None else None
    found = [
        e
        for e in (kb.events if since is None and until is None else kb.events_between(since, until))
        if (actor_id is None or actor_id in e.actors)
        and (source_id is None or source_id in e.sources)
        and (place is None or text_matches(place, *e.places))
        and (search is None or text_matches(search, e.title, e.description, *e.places))
    ]
    return found[:limit] if limit is not None else found


def find_actors(kb: KB, kind: str | None = None) -> list[Actor]:
    """Actors, optionally of one kind, sorted by name."""
    return sorted((a for a in kb.actors.values() if kind is None or a.kind == kind),
                  key=lambda a: fold(a.name))


def find_sources(kb: KB) -> list[Source]:
    """All sources in date order."""
    return sorted(kb.sources.values(), key=lambda s: sort_key(kb.spans, s.date, s.id))


def quotes_by(kb: KB, actor_id: str) -> list[Quote]:
    """An actor's quotes, in date order."""
    return kb.quotes_by(actor_id)


def no_quotes_message(kb: KB, speaker: str) -> str:
    """Why a speaker's search found no quotes: none match the other filters, or the actor has
    none at all (and where else the KB names them)."""
    actor = resolve_actor(kb, speaker)
    if quotes_by(kb, actor.id):
        return f"no quotes by {actor.name} match these filters"
    where = sources_naming(kb, actor)
    events = events_with(kb, actor.id)
    seen = []
    if events:
        seen.append(f"{len(events)} event(s)")
    if where:
        seen.append(f"source(s) {', '.join(where)}")
    also = f"; appears in {' and '.join(seen)} (try `nkb actor {actor.id}`)" if seen else ""
    return f"{actor.name} is in the KB but has no quotes{also}"


def events_with(kb: KB, actor_id: str) -> list[Event]:
    """The events an actor takes part in, in date order."""
    return [e for e in kb.events if actor_id in e.actors]


def sources_naming(kb: KB, actor: Actor) -> list[str]:
    """Ids of sources that give the actor a role or report an event with them ('appears in')."""
    ids = {s for role in actor.roles for s in role.sources}
    ids |= {s for e in events_with(kb, actor.id) for s in e.sources}
    return sorted(ids)


@dataclass(frozen=True, slots=True)
class Hit:
    """One result of `nkb search`: what kind of record, which, how good, and a snippet."""

    kind: str
    id: str
    score: float
    snippet: str


def search_all(kb: KB, query: str, limit: int = 20) -> list[Hit]:
    """Fuzzy search over quotes, events, actors and sources at once, best first.

    Scores every folded text in one rapidfuzz call; records are fetched only
    for the hits shown."""
    corpus = kb.search_corpus()
    best: dict[tuple[str, str], tuple[float, Any]] = {}
    for score, (kind, ident, _, ref) in _scored(fold(query), corpus):
        if score >= TEXT_ACCEPT and score > best.get((kind, ident), (-1.0, None))[0]:
            best[(kind, ident)] = (score, ref)  # an actor scores by the best of its names
    good = sorted(best.items(), key=lambda item: (-item[1][0], item[0][0], item[0][1]))
    hits = []
    for (kind, ident), (score, ref) in good[:limit]:
        record = kb.search_record(kind, ref)
        hits.append(Hit(kind, ident, score, excerpt(shown_text(kind, record), query)))
    return hits


def _scored(folded: str, corpus: Sequence[CorpusEntry]) -> Iterable[tuple[float, CorpusEntry]]:
    """(score, entry) for entries scoring at least TEXT_ACCEPT: 100 for a folded substring, else
    rapidfuzz's partial ratio (queries under 4 characters match as substrings only)."""
    if not folded:
        return []
    # the compiled cache's corpus carries its texts as one list (its entries decode on lookup)
    texts = getattr(corpus, "texts", None) or [e[2] for e in corpus]
    if len(folded) < 4:
        return [(100.0, corpus[i]) for i, text in enumerate(texts) if text and folded in text]
    from rapidfuzz import fuzz, process

    found = process.extract(folded, texts, scorer=fuzz.partial_ratio,
                            processor=None, score_cutoff=TEXT_ACCEPT, limit=None)
    return [(float(score), corpus[index]) for _, score, index in found]


def excerpt(text: str, query: str, width: int = 160) -> str:
    """A window of the text around the query's first occurrence (or its start)."""
    if len(text) <= width:
        return text
    at = text.casefold().find(query.casefold())
    start = max(0, at - width // 3) if at >= 0 else 0
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
