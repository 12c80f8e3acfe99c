"""Resolving a typed name to the one thing it means: an actor, an outlet or a place.

Every name-like filter goes through the same ladder: an exact name, alias or id; all the typed
words among a name's words; for actors, a role they held; a near spelling (one or two edits,
by length); for non-Latin input, a transliteration skeleton. The first rung that matches
decides. A rung with several candidates refuses and lists them; a rung other than the exact one
is reported as a guess, so a wrong guess is visible. Short names and initialisms ("US") match
only exactly, as whole words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nkb.errors import Ambiguous, NotFound
from nkb.index import KB
from nkb.models import Actor, Event, Source
from nkb.text import fold, is_placeholder

T = TypeVar("T")

ROLE = "by role"
SHORT = 4  # names and words shorter than this match only exactly
SUGGEST_RATIO = 60  # how alike a name must be to be offered as "did you mean"
# Words that say what kind of place or role, not which one: "Syunik province" is Syunik.
GENERIC_PLACE_WORDS = frozenset({"province", "region", "city", "town", "village", "district",
                                 "oblast", "marz", "capital", "area", "the", "of"})
ROLE_FILLER_WORDS = frozenset({"the", "a", "an", "of", "s"})


@dataclass(frozen=True, slots=True)
class Named(Generic[T]):
    """One thing a name may mean: the value, how it is shown, and the names it goes by."""

    value: T
    label: str
    names: tuple[str, ...]
    roles: tuple[str, ...] = ()
    ident: str = ""  # an id to type instead, shown beside the label among candidates


@dataclass(frozen=True, slots=True)
class Resolved(Generic[T]):
    """What a typed name was taken to mean, and how: `how` is None for an exact match."""

    value: T
    label: str
    typed: str
    how: str | None = None

    @property
    def notice(self) -> str | None:
        """The line that makes a guess visible, e.g. "'Rusenko' taken as Andrey Rudenko"."""
        if self.how is None:
            return None
        return f"{self.typed!r} taken as {self.label} ({self.how})"


def resolve(typed: str, candidates: Sequence[Named[T]], what: str, listing: str,
            role_dates: Callable[[Named[T], str], str] | None = None,
            rungs: Sequence[Rung[Any]] | None = None) -> Resolved[T]:
    """The one candidate a typed name means, or NotFound / Ambiguous listing the near ones."""
    query = fold(typed)
    if not query:
        raise NotFound(f"no {what} matches {typed!r}: give a name")
    for rung in rungs or _RUNGS:
        found = rung(query, typed, candidates)
        if found is None:
            continue
        how, matches = found
        labels = [_candidate(m) + (f": {role_dates(m, query)}" if how == ROLE and role_dates
                                   else "") for m in matches]
        if len(matches) == 1:
            shown = matches[0].label + (f": {role_dates(matches[0], query)}"
                                        if how == ROLE and role_dates else "")
            return Resolved(matches[0].value, shown, typed, how)
        raise Ambiguous(f"{typed!r} matches several {what}s", labels, by_role=how == ROLE)
    raise NotFound(f"no {what} matches {typed!r}{_suggest(query, candidates) or '; ' + listing}")


def _candidate(named: Named[T]) -> str:
    return f"{named.label} ({named.ident})" if named.ident and named.ident != named.label \
        else named.label


Rung = Callable[[str, str, Sequence[Named[T]]], tuple[str | None, list[Named[T]]] | None]


def _exact(query: str, typed: str, candidates: Sequence[Named[T]]) -> tuple[None, list[Named[T]]] | None:
    found = [c for c in candidates if query in c.names]
    return (None, found) if found else None


def _words(query: str, typed: str, candidates: Sequence[Named[T]]) -> tuple[str, list[Named[T]]] | None:
    words = set(query.split()) - GENERIC_PLACE_WORDS or set(query.split())
    found = [c for c in candidates if any(words <= set(n.split()) for n in c.names)]
    return ("part of the name", found) if found else None


def _role(query: str, typed: str, candidates: Sequence[Named[T]]) -> tuple[str, list[Named[T]]] | None:
    words = set(query.split()) - ROLE_FILLER_WORDS
    if not words:
        return None
    found = [c for c in candidates if any(words <= set(r.split()) for r in c.roles)]
    return (ROLE, found) if found else None


def _near(query: str, typed: str, candidates: Sequence[Named[T]]) -> tuple[str, list[Named[T]]] | None:
    from rapidfuzz.distance import OSA  # deferred: exact names need no edit distance

    allowed = edits_allowed(query)
    if allowed == 0:
        return None
    scored = sorted((min(OSA.distance(query, n) for n in _forms(c, query)), i)
                    for i, c in enumerate(candidates))
    best = [candidates[i] for d, i in scored if d == scored[0][0]] if scored else []
    if not best or scored[0][0] > allowed:
        return None
    return ("near spelling", best)


def _near_whole(query: str, typed: str,
                candidates: Sequence[Named[T]]) -> tuple[str, list[Named[T]]] | None:
    """A near spelling of a whole name (a topic), never of one of its words."""
    from rapidfuzz.distance import OSA

    allowed = edits_allowed(query)
    scored = sorted((min(OSA.distance(query, n) for n in c.names), i)
                    for i, c in enumerate(candidates))
    if not scored or allowed == 0 or scored[0][0] > allowed:
        return None
    return ("near spelling", [candidates[i] for d, i in scored if d == scored[0][0]])


def _skeleton_rung(query: str, typed: str,
                   candidates: Sequence[Named[T]]) -> tuple[str, list[Named[T]]] | None:
    if typed.isascii():
        return None
    wanted = skeleton(query)
    if len(wanted) < 3:
        return None
    found = [c for c in candidates if any(skeleton(f) == wanted for f in _forms(c, query))]
    return ("transliteration", found) if found else None


_RUNGS: tuple[Rung[Any], ...] = (_exact, _words, _role, _near, _skeleton_rung)


def edits_allowed(query: str) -> int:
    """How many typing slips a name this long may carry and still be recognised."""
    length = len(query.replace(" ", ""))
    if length < SHORT + 1:
        return 0 if length < SHORT else 1
    return 1 if length < 9 else 2


def _forms(candidate: Named[T], query: str) -> Iterable[str]:
    """The names to compare a typed name with: whole names, and single words for a one-word query."""
    single = " " not in query
    for name in candidate.names:
        if len(name) >= SHORT:
            yield name
        if single and " " in name:
            yield from (w for w in name.split() if len(w) >= SHORT)


_SKELETON_MAP = str.maketrans({"c": "k", "q": "k", "w": "v", "x": "k", "j": "y"})
_DIGRAPHS = re.compile(r"(?<=[kzsc])h")


def skeleton(text: str) -> str:
    """Consonant skeleton that spellings across scripts share: 'moskva' and 'moscow' -> 'mskv'."""
    text = _DIGRAPHS.sub("", text.replace(" ", "")).translate(_SKELETON_MAP)
    consonants = re.sub(r"[aeiouy]", "", text)
    return re.sub(r"(.)\1+", r"\1", consonants)


def _suggest(query: str, candidates: Sequence[Named[T]]) -> str:
    from rapidfuzz import fuzz

    scored = sorted(((max((fuzz.ratio(query, f) for f in (*c.names, *_forms(c, query))), default=0),
                      c.label) for c in candidates), key=lambda pair: -pair[0])
    near = list(dict.fromkeys(label for score, label in scored[:3] if score >= SUGGEST_RATIO))
    return f"; did you mean {' or '.join(near)}?" if near else ""


# --- the KB's names ---------------------------------------------------------------------------


def actor_names(actor: Actor) -> tuple[str, ...]:
    """Every folded form an actor may be called by: id, name, aliases."""
    return tuple(dict.fromkeys(f for f in (fold(n) for n in (actor.id, actor.name, *actor.aliases)) if f))


def _actor_candidates(kb: KB) -> list[Named[Actor]]:
    return [Named(a, a.name, actor_names(a), tuple(fold(r.title) for r in a.roles), a.id)
            for a in kb.actors.values()]


def resolve_actor(kb: KB, typed: str) -> Resolved[Actor]:
    """The one actor a typed name, alias, id, surname, role or near spelling means."""
    candidates = _actor_candidates(kb)
    try:
        return resolve(typed, candidates, "actor", "`nkb actors` lists them", _role_held)
    except NotFound:
        _refuse_proposed(kb, typed)
        raise


def resolve_role_holders(kb: KB, typed: str) -> tuple[tuple[Actor, ...], str | None]:
    """Every actor who held the role a typed text names (`--all`), with the notice naming
    them; a name that is no role resolves as `resolve_actor` does, to its one actor."""
    candidates = _actor_candidates(kb)
    query = fold(typed)
    if query and not _exact(query, typed, candidates) and not _words(query, typed, candidates):
        held = _role(query, typed, candidates)
        if held is not None:
            _, holders = held
            who = "; ".join(f"{h.label} ({h.ident}): {_role_held(h, query)}" for h in holders)
            return (tuple(h.value for h in holders),
                    f"{typed!r} taken as every actor who held the role: {who}")
    one = resolve_actor(kb, typed)
    return (one.value,), one.notice


def resolve_all_holders(kb: KB, typed: Sequence[str]) -> tuple[tuple[Actor, ...], list[str]]:
    """Each typed name as its actor, a role as every holder; the notices of the guesses."""
    found: dict[str, Actor] = {}
    notices = []
    for text in typed:
        actors, notice = resolve_role_holders(kb, text)
        found.update((a.id, a) for a in actors)
        notices += [notice] if notice else []
    return tuple(found.values()), notices


def _role_held(candidate: Named[Actor], query: str) -> str:
    words = set(query.split()) - ROLE_FILLER_WORDS
    held: dict[str, list[str]] = {}
    for role in candidate.value.roles:
        if words <= set(fold(role.title).split()):
            held.setdefault(role.title, []).append(role.date or "date unknown")
    return "; ".join(f"{title} ({', '.join(sorted(set(ds)))})" for title, ds in held.items())


def _refuse_proposed(kb: KB, typed: str) -> None:
    """A name that only a draft proposes is not an actor yet: say where it is proposed."""
    words = set(fold(typed).split())
    drafts = [s for s in kb.sources.values() if s.status == "draft"]
    proposing = sorted({(p.name, s.id) for s in drafts for p in s.new_actors
                        if words and words <= set(fold(p.name).split())})
    if proposing:
        where = ", ".join(f"{n!r} in draft {source_id}" for n, source_id in proposing)
        raise NotFound(f"no actor matches {typed!r} yet; proposed as a new actor: {where}; "
                       "confirm it in actors.yaml")


def resolve_topic(kb: KB, typed: str) -> Resolved[str]:
    """The one topic of the KB (its vocabulary, or what quotes carry) a typed name means."""
    known = dict.fromkeys([*kb.topics(), *(t for q in kb.quotes for t in q.topics)])
    return resolve(typed, [Named(t, t, (fold(t),)) for t in known], "topic",
                   "`nkb topics` lists them", rungs=(_exact, _near_whole, _words))


def resolve_outlet(sources: Iterable[Source], typed: str) -> Resolved[str]:
    """The one outlet (publisher or via) among these sources that a typed name means."""
    outlets = sorted({o for s in sources for o in (s.outlet, s.via) if o and not is_placeholder(o)})
    return resolve(typed, [Named(o, o, (fold(o),)) for o in outlets], "outlet",
                   "`nkb sources` lists the outlets")


def resolve_place(events: Iterable[Event], typed: str) -> Resolved[str]:
    """The one place among these events' places that a typed name means."""
    places = sorted({p for e in events for p in e.places})
    return resolve(typed, [Named(p, p, _place_names(p)) for p in places], "place",
                   "`nkb events` lists the places")


def _place_names(place: str) -> tuple[str, ...]:
    folded = fold(place)
    bare = " ".join(w for w in folded.split() if w not in GENERIC_PLACE_WORDS)
    return tuple(dict.fromkeys(n for n in (folded, bare) if n))



def resolve_each(resolver: Callable[[str], Resolved[T]],
                 typed: Sequence[str]) -> tuple[tuple[T, ...], list[str]]:
    """Each typed name resolved, and the notices of those that were guesses."""
    found = [resolver(t) for t in typed]
    # records need not be hashable; a name typed twice resolves to the very same one
    values = tuple({id(r.value): r.value for r in found}.values())
    return values, [r.notice for r in found if r.notice]
