"""What shell completion offers for a partly typed word: actor names, source, quote and event
ids, each with a short description."""

from __future__ import annotations

from nkb.index import KB
from nkb.text import fold, natural_key

Offer = tuple[str, str]  # the value, and what it is (shells that can, show it beside)


def actor_names(kb: KB, incomplete: str) -> list[Offer]:
    """Actors whose name, an alias, a word of either, or id starts with what is typed."""
    typed = fold(incomplete)
    offers = []
    for actor in sorted(kb.actors.values(), key=lambda a: fold(a.name)):
        forms = [fold(n) for n in (actor.name, *actor.aliases, actor.id)]
        if any(f.startswith(typed) or any(w.startswith(typed) for w in f.split())
               for f in forms):
            offers.append((actor.name, f"{actor.kind} {actor.id}"))
    return offers


def source_ids(kb: KB, incomplete: str) -> list[Offer]:
    """Source ids starting with what is typed (`3` also offers 003)."""
    typed = incomplete.strip()
    return [(s.id, f"{s.date} {s.outlet}: {s.title}") for _, s in sorted(kb.sources.items())
            if s.id.startswith(typed) or s.id.lstrip("0").startswith(typed.lstrip("0") or "\0")]


def quote_ids(kb: KB, incomplete: str) -> list[Offer]:
    """Quote ids starting with what is typed."""
    typed = incomplete.strip()
    found = [q for q in kb.quotes if q.id.startswith(typed)]
    return [(q.id, f"{kb.speaker_name(q)}, {q.date}")
            for q in sorted(found, key=lambda q: natural_key(q.id))]


def event_ids(kb: KB, incomplete: str) -> list[Offer]:
    """Event ids starting with what is typed."""
    typed = incomplete.strip()
    return [(e.id, e.title) for e in kb.events if e.id.startswith(typed)]


def words(choices: tuple[str, ...], incomplete: str) -> list[str]:
    """The fixed values of an option (such as --kind) that start with what is typed."""
    return [c for c in choices if c.startswith(incomplete)]
