"""What shell completion offers for a partly typed word: actor names, source, quote and event
ids, each with a short description."""

from __future__ import annotations

from nkb.index import KB
from nkb.text import fold, natural_key

Offer = tuple[str, str]  # the value, and what it is (shells that can, show it beside)


def actor_names(kb: KB, incomplete: str) -> list[Offer]:
    """For each actor whose name, an alias or id begins with what is typed (in any case), that
    form, as typed so far and completed: shells keep only what starts with the typed word."""
    typed = incomplete.casefold()
    offers = []
    for actor in sorted(kb.actors.values(), key=lambda a: fold(a.name)):
        for form in (actor.name, *actor.aliases, actor.id):
            if form.casefold().startswith(typed):
                offers.append((incomplete + form[len(incomplete):], f"{actor.name} ({actor.id})"))
                break
    return offers


def source_ids(kb: KB, incomplete: str) -> list[Offer]:
    """Source ids beginning with what is typed."""
    typed = incomplete.strip()
    return [(s.id, f"{s.date} {s.outlet}: {s.title}") for _, s in sorted(kb.sources.items())
            if s.id.startswith(typed)]


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
