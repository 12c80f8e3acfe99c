"""The KB as queries read it: one small interface, `KB`, with two implementations.

`MemoryKB` holds records loaded from the files; the compiled cache's `CompiledKB` (nkb/cache.py)
decodes its parts on first use. Both offer the same fields and lookups, so no query knows which
one it reads.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from nkb import dates
from nkb.errors import NotFound, Problem
from nkb.models import Actor, Event, Quote, Source, Topic
from nkb.text import is_placeholder
from nkb.validation import (
    SOURCES_DIR,
    Merged,
    actor_facts,
    event_facts,
    list_source_files,
    merge,
    read_topics,
    source_facts,
)
from nkb.yamlfile import YamlProblem, read_text

if TYPE_CHECKING:
    import sqlite3

    from nkb.wordindex import Document


class KB(ABC):
    """The validated KB: records by id, in date order, with every date's span precomputed."""

    root: Path
    notes: list[Problem]  # what drafts still lack

    @property
    @abstractmethod
    def actors(self) -> Mapping[str, Actor]:
        """Actors by id."""

    @property
    @abstractmethod
    def sources(self) -> Mapping[str, Source]:
        """Sources by id, each with its quotes in file order."""

    @property
    @abstractmethod
    def events(self) -> list[Event]:
        """Every event, in date order."""

    @property
    @abstractmethod
    def quotes(self) -> list[Quote]:
        """Every quote, in date order."""

    @property
    @abstractmethod
    def spans(self) -> Mapping[str, dates.Span]:
        """The span of every date text the KB holds."""

    def topics(self) -> dict[str, Topic]:
        """The topic vocabulary (topics.yaml) by id, in file order; empty if the KB keeps none.
        It was checked when the KB loaded, and the cache is current only while it is unchanged."""
        return read_topics(self.root)[0]

    def span(self, edtf: str | None) -> dates.Span | None:
        """The span of a date string held in the KB."""
        return self.spans.get(edtf) if edtf else None

    def word_index(self) -> sqlite3.Connection:
        """The word index of every record, built in memory (the compiled cache keeps one)."""
        from nkb import wordindex  # deferred: only word searches need SQLite

        return wordindex.build(None, word_documents(self))

    def speaker_name(self, quote: Quote) -> str:
        """Who said a quote: the actor's name, or in a draft the name as the article prints it
        (or as proposed), until the curator confirms an actor."""
        actor = self.actors.get(quote.speaker)
        if actor is not None:
            return actor.name
        name = self.printed_speaker(quote)
        if is_placeholder(name):
            return f"(speaker not found yet: draft {quote.source})"
        return f"{name} (not a known actor: proposed in draft {quote.source})"

    def printed_speaker(self, quote: Quote) -> str:
        """The speaker's name as the actor has it, or as a draft found it in the article."""
        actor = self.actors.get(quote.speaker)
        if actor is not None:
            return actor.name
        proposed = {a.id: a.name for a in self.source(quote.source).new_actors}
        return quote.speaker_name or proposed.get(quote.speaker, quote.speaker)

    def actor_name(self, actor_id: str) -> str:
        """The display name of an actor id (the id itself for a draft's proposed actor)."""
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def source(self, source_id: str) -> Source:
        """A source by id; `3` finds `003`."""
        key = normalise_source_id(source_id)
        if key in self.sources:
            return self.sources[key]
        if key.isascii() and key.isdigit():  # 0003 or 00003: the source numbered 3, if any
            same = [s for s in self.sources if s.isdigit() and int(s) == int(key)]
            if same:
                return self.sources[same[0]]
        known = ", ".join(sorted(self.sources)) or "none"
        raise NotFound(f"no source {source_id!r}; the KB has sources: {known}")

    def text(self, source_id: str) -> str:
        """The verbatim article text of a source."""
        return read_text(self.root / SOURCES_DIR / f"{source_id}.txt", self.root)

    def quotes_of(self, source_id: str) -> list[Quote]:
        return [q for q in self.quotes if q.source == source_id]

    def events_citing(self, source_id: str) -> list[Event]:
        return [e for e in self.events if source_id in e.sources]

    def search_record(self, kind: str, ref: Any) -> Any:
        """The record a word-index match points at (word_documents made the refs)."""
        if kind == "quote":
            return self.quotes[ref]
        if kind == "event":
            return self.events[ref]
        return (self.actors if kind == "actor" else self.sources)[ref]

    @abstractmethod
    def draft_ids(self) -> frozenset[str]:
        """Ids of the draft sources, whose records listings leave out unless asked for."""

    def counts(self) -> dict[str, int]:
        """How many sources, drafts, quotes, events and actors the KB holds."""
        return {"sources": len(self.sources), "drafts": len(self.draft_ids()),
                "quotes": len(self.quotes), "events": len(self.events), "actors": len(self.actors)}

    def quotes_by(self, speaker_id: str) -> list[Quote]:
        """The quotes of one speaker, in date order."""
        return [q for q in self.quotes if q.speaker == speaker_id]

    def events_of(self, actor_id: str) -> list[Event]:
        """The events an actor takes part in, in date order."""
        return [e for e in self.events if actor_id in e.actors]

    def events_between(self, since: dates.Span | None, until: dates.Span | None) -> list[Event]:
        """Events any day of whose date lies in [since, until], in date order."""
        return [e for e in self.events
                if (span := self.spans.get(e.date)) is not None and span.overlaps(since, until)]


@dataclass(slots=True)
class MemoryKB(KB):
    """A KB held in memory, as loaded from its files."""

    root: Path
    actors: dict[str, Actor]
    sources: dict[str, Source]
    events: list[Event]
    quotes: list[Quote]
    spans: dict[str, dates.Span]
    notes: list[Problem] = field(default_factory=list)
    drafts: frozenset[str] = field(init=False)
    words: Any = field(default=None, init=False, repr=False, compare=False)  # its word index

    def word_index(self) -> sqlite3.Connection:
        """The word index, built in memory once for this KB."""
        if self.words is None:
            self.words = KB.word_index(self)
        return self.words  # type: ignore[no-any-return]

    def __post_init__(self) -> None:
        self.drafts = frozenset(i for i, s in self.sources.items() if s.status == "draft")

    def draft_ids(self) -> frozenset[str]:
        return self.drafts

    @classmethod
    def of(cls, root: Path, merged: Merged) -> MemoryKB:
        """The KB of what the checks across files merged."""
        return cls(root, merged.actors, merged.sources, merged.events, merged.quotes,
                   merged.spans, merged.notes)


def curated_view(kb: KB) -> KB:
    """The KB without its drafts: no draft source, none of their quotes, no event that only
    drafts report, and no draft among the sources of an event or a role."""
    drafts = kb.draft_ids()
    if not drafts:
        return kb
    events = [msgspec.structs.replace(e, sources=[s for s in e.sources if s not in drafts])
              for e in kb.events if not e.sources or set(e.sources) - drafts]
    actors = {i: msgspec.structs.replace(a, roles=[
        msgspec.structs.replace(r, sources=[s for s in r.sources if s not in drafts])
        for r in a.roles]) for i, a in kb.actors.items()}
    return MemoryKB(kb.root, actors,
                    {i: s for i, s in kb.sources.items() if i not in drafts},
                    events, [q for q in kb.quotes if q.source not in drafts], dict(kb.spans),
                    list(kb.notes))


def normalise_source_id(text: str) -> str:
    """`3`, `03` and `003` all name source 003 (ASCII digits only: `٣` is no id)."""
    text = text.strip()
    return text.zfill(3) if text.isascii() and text.isdigit() else text


# --- what the word index holds ---------------------------------------------------------------


def word_documents(kb: KB, quote_refs: Sequence[int] | None = None) -> Iterator[Document]:
    """Every record as the word index reads it; quotes and events are pointed at by their place
    in date order (or `quote_refs[i]`), actors and sources by id."""
    from nkb.wordindex import Document

    drafts = kb.draft_ids()
    for i, q in enumerate(kb.quotes):
        yield Document("quote", q.id, "", q.text, quote_refs[i] if quote_refs else i,
                       q.source in drafts, q.kind)
    for i, e in enumerate(kb.events):
        only_drafts = bool(e.sources) and set(e.sources) <= drafts
        yield Document("event", e.id, e.title, " ".join([e.description, *e.places]), i,
                       only_drafts)
    for a in kb.actors.values():
        yield Document("actor", a.id, " ".join([a.name, *a.aliases]),
                       " ".join(r.title for r in a.roles), a.id)
    for s in kb.sources.values():
        yield Document("source", s.id, " ".join(t for t in (s.title, s.headline) if t),
                       " ".join([s.outlet, s.via or "", readable_text(kb, s.id)]), s.id,
                       s.id in drafts)


def readable_text(kb: KB, source_id: str) -> str:
    """A source's text, or "" where it cannot be read (which `nkb check` reports)."""
    try:
        return kb.text(source_id)
    except (OSError, NotFound, YamlProblem):
        return ""


def shown_text(kind: str, record: Any) -> str:
    """The text of a record that search matches and shows."""
    if kind == "quote":
        return str(record.text)
    if kind == "event":
        return f"{record.title}. {record.description}"
    if kind == "actor":
        return str(record.name)
    return f"{record.title}. {record.outlet}"


def load_uncached(root: Path) -> tuple[KB | None, list[Problem]]:
    """Load the KB from its files alone, parsing every file (what the cache falls back to)."""
    merged = merge(root, actor_facts(root), event_facts(root),
                   [(f, source_facts(f, {})) for f in list_source_files(root)])
    return (None if merged.problems else MemoryKB.of(root, merged)), merged.problems
