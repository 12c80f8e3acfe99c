"""Typed records of the knowledge base; the JSON Schemas under schema/ are generated from them."""

# mypy reads msgspec's inherited frozen=True as a non-frozen subclass of a frozen class; it is not.
# mypy: disable-error-code="misc"
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

# Each pattern ends `$(?!\n)`: Python's `$` also matches before a final line break ("003\n"),
# JSON Schema's (ECMA-262) does not; the look-ahead makes both refuse one.
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9.-]*$(?!\n)", description="lowercase id")]
SourceId = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{3,}$(?!\n)",
                                       description="source id: 3+ digits")]
Edtf = Annotated[str, msgspec.Meta(min_length=1, description="EDTF level 0/1 date, e.g. 2023-02")]
Text = Annotated[str, msgspec.Meta(min_length=1)]
# An absolute http(s) address: a scheme, a host, and no white space or control characters.
URL_PATTERN = r"^https?://[^\s/?#\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*$(?!\n)"
Url = Annotated[str, msgspec.Meta(
    pattern=URL_PATTERN, description="absolute http(s) URL of the article",
    extra={"problem": "is not an absolute http(s) URL",
           "hint": "write the article's full address, e.g. https://example.org/news/123"})]

ActorKind = Literal["person", "organisation", "state"]
QuoteKind = Literal["direct", "paraphrase"]
Status = Literal["curated", "draft"]
Strength = Literal["strong", "medium", "weak"]


class Record(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, frozen=True):
    """Base of every KB record: unknown fields are errors, defaults are not written out."""


class Role(Record):
    """A position an actor held, as an article states it."""

    title: Text
    date: Edtf | None = None
    sources: list[SourceId] = []


class Membership(Record):
    """A place in an organisation, resting on a role of the actor's that an article gives."""

    organisation: Slug  # the id of an actor of kind organisation
    title: Text  # the role (one of the actor's `roles`) that makes them a member
    dates: list[Edtf] = []  # the dates of that role, as the articles give them
    sources: list[SourceId] = []  # the sources of that role


class Actor(Record):
    """A person, organisation or state."""

    id: Slug
    name: Text
    kind: ActorKind
    aliases: list[Text] = []
    roles: list[Role] = []
    member_of: list[Membership] = []
    note: str | None = None


class Topic(Record):
    """One subject of the topic vocabulary (topics.yaml) that quotes are tagged with."""

    id: Slug
    description: Text  # one line: what a quote tagged with it is about


class Proposal(Record):
    """Draft-only: how `nkb add` proposed one field, the rule's strength and the words that fired."""

    strength: Strength
    basis: Text
    alternatives: list[str] = []  # other candidates, best first, as the rule saw them


class Event(Record):
    """One real happening, citing every article that reports it."""

    id: Slug
    date: Edtf
    title: Text
    sources: list[SourceId]
    description: str = ""
    date_basis: str | None = None
    actors: list[Slug] = []
    places: list[Text] = []


class Quote(Record):
    """A statement as an article gives it: verbatim text, speaker, when it was said."""

    id: Slug
    speaker: Slug
    text: Text
    date: Edtf
    date_basis: str | None = None
    kind: QuoteKind = "direct"
    topics: list[Text] = []
    # Set only by `nkb add` in drafts: the speaker as the article names them, when no actor matched.
    speaker_name: str | None = None
    # Draft-only, set by `nkb add`: the speaker's proposal (strength, basis, other candidates)
    # and the proposals for the quote's other fields ("kind", "date", "text").
    strength: Strength | None = None
    basis: str | None = None
    alternatives: list[str] = []
    proposals: dict[str, Proposal] = {}
    source: str = ""  # filled in by the loader from the enclosing source file; never written


class ProposedActor(Record):
    """A speaker `nkb add` found in an article but not among the known actors."""

    id: Slug
    name: Text
    role: str | None = None
    strength: Strength | None = None
    basis: str | None = None


class Source(Record):
    """One article: metadata, verbatim text (kept beside the record) and its quotes."""

    id: SourceId
    title: Text
    outlet: Text
    date: Edtf
    file: Text
    via: str | None = None
    dateline: str | None = None
    date_basis: str | None = None
    url: Url | None = None
    headline: Text | None = None  # the outlet's own headline, verbatim
    status: Status = "curated"
    quotes: list[Quote] = []
    # Draft-only aids written by `nkb add` for the curator.
    new_actors: list[ProposedActor] = []
    hints: list[str] = []
    # Draft-only: how `nkb add` proposed the source's own fields, keyed by field name
    # ("title", "date", "outlet", "via", "hints").
    proposals: dict[str, Proposal] = {}


SCHEMAS: dict[str, object] = {
    "actors": list[Actor],
    "events": list[Event],
    "topics": list[Topic],
    "source": Source,
}
