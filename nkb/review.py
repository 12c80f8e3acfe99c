"""Reviewing a draft: its proposals in the order a curator should see them (weakest first), and
the curator's decisions on each, written to the KB's files at once (nkb/kbwrite.py).

Each decision is one call and one write: a review stopped at any point keeps every decision
taken before it and nothing half-done.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nkb import kbwrite, store
from nkb.add import dump_record
from nkb.curate import find_source, source_paths
from nkb.dates import DateError, parse_edtf
from nkb.errors import NkbError, UsageError
from nkb.index import KB
from nkb.kbwrite import Changes
from nkb.validation import ACTORS_FILE, EVENTS_FILE, TODO_MARK
from nkb.yamlfile import read_text

RANK = {"weak": 0, None: 1, "medium": 2, "strong": 3}  # unrated proposals come before medium
DRAFT_ONLY = ("strength", "basis", "alternatives", "proposals")
SOURCE_FIELDS = ("date", "outlet", "via")


class ReviewError(NkbError):
    """A decision that cannot be taken as given; nothing was written."""


@dataclass(frozen=True)
class Item:
    """One proposal to decide on: `kind` is title, field, quote, actor or hint; `key` names it
    (a field's name, a quote's id, a proposed actor's id, a hint's number from 1)."""

    kind: str
    key: str
    strength: str | None
    basis: str | None
    alternatives: tuple[str, ...] = ()


def strip_todo(basis: str | None) -> str | None:
    """A basis without the marker `nkb add` puts before what the curator must confirm."""
    if basis is None:
        return None
    text = basis.lstrip()
    if text.startswith(TODO_MARK):
        text = re.sub(r"^TODO( confirm)?:?\s*", "", text)
    return text


def weakest(quote: dict[str, Any]) -> str | None:
    """The weakest strength among a quote's proposals (speaker, kind, date), or None."""
    found = [quote.get("strength"), *((p or {}).get("strength")
                                      for p in (quote.get("proposals") or {}).values())]
    rated = [s for s in found if s is not None]
    return min(rated, key=lambda s: RANK[s]) if rated else None


class Draft:
    """One draft source as its record (a plain dict), with every decision a curator can take."""

    def __init__(self, root: Path, typed_id: str) -> None:
        self.root = root
        kb = store.open_kb(root)
        source = find_source(kb, typed_id)
        if source.status != "draft":
            raise UsageError(f"source {source.id} is curated; nkb review reads drafts")
        self.id = source.id
        self.path, self.text_path = source_paths(root, source.id)
        self.record: dict[str, Any] = yaml.safe_load(read_text(self.path, root))

    # -- what to review

    def kb(self) -> KB:
        return store.open_kb(self.root)

    def items(self) -> list[Item]:
        """Every open proposal, weakest first (file order among equals)."""
        found: list[Item] = []
        record = self.record
        proposals = record.get("proposals") or {}
        if str(record.get("title", "")).startswith(TODO_MARK):
            title = proposals.get("title") or {}
            found.append(Item("title", "title", title.get("strength"), title.get("basis"),
                              tuple(title.get("alternatives") or ())))
        for name in SOURCE_FIELDS:
            proposal = proposals.get(name)
            todo = str(record.get(name) or "").startswith(TODO_MARK) or (
                name == "date" and str(record.get("date_basis") or "").startswith(TODO_MARK))
            if proposal or todo:
                proposal = proposal or {}
                found.append(Item("field", name, proposal.get("strength"),
                                  proposal.get("basis") or record.get(f"{name}_basis"),
                                  tuple(proposal.get("alternatives") or ())))
        for quote in record.get("quotes") or []:
            if self._quote_open(quote):
                found.append(Item("quote", quote["id"], weakest(quote), quote.get("basis"),
                                  tuple(quote.get("alternatives") or ())))
        for actor in record.get("new_actors") or []:
            found.append(Item("actor", actor["id"], actor.get("strength"), actor.get("basis")))
        hinted = (proposals.get("hints") or {}).get("strength")
        for n, hint in enumerate(record.get("hints") or [], 1):
            found.append(Item("hint", str(n), hinted, hint))
        for name in self.settled_proposals():
            proposal = proposals[name] or {}
            found.append(Item("field", name, proposal.get("strength"), proposal.get("basis")))
        order = {id(item): i for i, item in enumerate(found)}
        return sorted(found, key=lambda item: (RANK.get(item.strength, 1), order[id(item)]))

    def settled_proposals(self) -> list[str]:
        """Proposals whose field is settled already (a title written by hand, hints all
        gone): only their entry is left to clear."""
        record = self.record
        proposals = record.get("proposals") or {}
        settled = []
        if "title" in proposals and not str(record.get("title", "")).startswith(TODO_MARK):
            settled.append("title")
        if "hints" in proposals and not record.get("hints"):
            settled.append("hints")
        return settled + [n for n in proposals if n not in (*SOURCE_FIELDS, "title", "hints")]

    @staticmethod
    def _quote_open(quote: dict[str, Any]) -> bool:
        return any(quote.get(name) for name in (*DRAFT_ONLY, "speaker_name")) or \
            str(quote.get("date_basis") or "").startswith(TODO_MARK)

    def quote(self, quote_id: str) -> dict[str, Any]:
        for quote in self.record.get("quotes") or []:
            if quote["id"] == quote_id:
                return dict(quote)
        raise ReviewError(f"draft {self.id} has no quote {quote_id!r}")

    def article(self) -> str:
        return self.text_path.read_text(encoding="utf-8", errors="replace")

    # -- writing

    def save(self, extra: Changes | None = None) -> None:
        """Write the record (and any change to actors.yaml or events.yaml) as one change."""
        changes = extra or Changes({})
        # a copy that shares no list or mapping, so the YAML holds no anchors (KB files refuse them)
        changes.write(self.path, dump_record(json.loads(json.dumps(self.record))))
        kbwrite.apply(self.root, changes)

    def _quotes(self) -> list[dict[str, Any]]:
        quotes: list[dict[str, Any]] = self.record.setdefault("quotes", [])
        return quotes

    def _index(self, quote_id: str) -> int:
        for i, quote in enumerate(self._quotes()):
            if quote["id"] == quote_id:
                return i
        raise ReviewError(f"draft {self.id} has no quote {quote_id!r}")

    # -- the source's own fields

    def set_title(self, title: str) -> None:
        if not title.strip():
            raise ReviewError("a title cannot be empty")
        self.record["title"] = title.strip()
        self._drop_proposal("title")
        self.save()

    def accept_field(self, name: str, value: str | None = None) -> None:
        """Take a source field as proposed (or as given), its basis kept without the marker."""
        if name in self.settled_proposals():
            self._drop_proposal(name)
            self.save()
            return
        if name not in SOURCE_FIELDS:
            raise ReviewError(f"{name!r} is not a field to accept; use one of "
                              f"{', '.join(SOURCE_FIELDS)}")
        if value is not None:
            if name == "date":
                _check_date(value)
                self.record["date_basis"] = "given by the curator"
            self.record[name] = value
        current = self.record.get(name)
        if isinstance(current, str) and current.startswith(TODO_MARK):
            raise ReviewError(f"the {name} is not known yet ({current}); give it")
        if name == "date":
            self.record["date_basis"] = strip_todo(self.record.get("date_basis"))
            for quote in self._quotes():
                if quote.get("date") == current:
                    quote["date_basis"] = strip_todo(quote.get("date_basis"))
        self._drop_proposal(name)
        self.save()

    def _drop_proposal(self, name: str) -> None:
        proposals = self.record.get("proposals") or {}
        proposals.pop(name, None)
        if not proposals:
            self.record.pop("proposals", None)

    # -- quotes

    def accept_quote(self, quote_id: str) -> None:
        """Take a quote as proposed: its speaker, span, kind and date."""
        quote = self._quotes()[self._index(quote_id)]
        for name in DRAFT_ONLY:
            quote.pop(name, None)
        quote["date_basis"] = strip_todo(quote.get("date_basis"))
        if quote["date_basis"] is None:
            quote.pop("date_basis")
        if quote.get("speaker_name") and quote["speaker"] in self._known_actors():
            quote.pop("speaker_name")
        self.save()

    def set_speaker(self, quote_id: str, typed: str) -> tuple[str, str | None]:
        """Give a quote another speaker: an actor of the KB (name, alias or id) or a proposed
        one; returns the actor's id and the notice when the name was a guess."""
        actor, notice = self._actor_id(typed)
        quote = self._quotes()[self._index(quote_id)]
        quote["speaker"] = actor
        proposed = {a["id"]: a["name"] for a in self.record.get("new_actors") or []}
        quote.pop("speaker_name", None)
        if actor in proposed:
            quote["speaker_name"] = proposed[actor]
        for name in ("strength", "basis", "alternatives"):
            quote.pop(name, None)
        self.save()
        return actor, notice

    def trim(self, quote_id: str, words: str) -> None:
        """Cut a quote to the given words, which must be part of it."""
        quote = self._quotes()[self._index(quote_id)]
        kept = words.strip()
        if not kept or _fold(kept) not in _fold(quote["text"]):
            raise ReviewError(f"{words!r} is not part of quote {quote_id}; give words it holds")
        quote["text"] = kept
        self.save()

    def split(self, quote_id: str, words: str) -> str:
        """Split a quote in two where `words` begin; the second part gets the next free id."""
        quotes = self._quotes()
        i = self._index(quote_id)
        quote = quotes[i]
        at = _find_words(quote["text"], words)
        if at is None or at == 0:
            raise ReviewError(f"{words!r} does not begin a later part of quote {quote_id}; give "
                              "the first words of the second part")
        first, second = quote["text"][:at].rstrip(), quote["text"][at:].strip()
        quote["text"] = first.rstrip(" ,;:-\u2014\u2013")
        new_id = self._next_quote_id()
        part = {"id": new_id, **{k: v for k, v in quote.items() if k != "id"}}
        part["text"] = second
        quotes.insert(i + 1, part)
        self.save()
        return new_id

    def _next_quote_id(self) -> str:
        numbers = [int(m.group(1)) for q in self._quotes()
                   if (m := re.fullmatch(rf"{re.escape(self.id)}-([0-9]+)", str(q["id"])))]
        return f"{self.id}-{max(numbers, default=0) + 1}"

    def mark_paraphrase(self, quote_id: str) -> None:
        quote = self._quotes()[self._index(quote_id)]
        quote["kind"] = "paraphrase"
        (quote.get("proposals") or {}).pop("kind", None)
        self.save()

    def reject(self, quote_id: str) -> None:
        """Not a quote: remove it from the draft."""
        del self._quotes()[self._index(quote_id)]
        self.save()

    # -- proposed actors

    def _known_actors(self) -> set[str]:
        return set(self.kb().actors)

    def _actor_id(self, typed: str) -> tuple[str, str | None]:
        """The actor a typed name means (a proposed actor's id, or an actor of the KB), and
        the notice when the name was a guess."""
        from nkb import names

        proposed = {a["id"] for a in self.record.get("new_actors") or []}
        if typed in proposed:
            return typed, None
        found = names.resolve_actor(self.kb(), typed)
        return found.value.id, found.notice

    def _new_actor(self, actor_id: str) -> dict[str, Any]:
        for actor in self.record.get("new_actors") or []:
            if actor["id"] == actor_id:
                return dict(actor)
        raise ReviewError(f"draft {self.id} proposes no actor {actor_id!r}")

    def accept_actor(self, actor_id: str, kind: str = "person") -> None:
        """Add a proposed actor to actors.yaml in its own shape, its role dated and cited."""
        proposed = self._new_actor(actor_id)
        if actor_id.startswith("unknown-speaker"):
            raise ReviewError("an unknown speaker cannot become an actor; choose each of its "
                              "quotes' speaker instead")
        if actor_id in self._known_actors():
            raise ReviewError(f"actor {actor_id!r} already exists; map the proposal to it")
        if kind not in ("person", "organisation", "state"):
            raise ReviewError(f"kind {kind!r}: use person, organisation or state")
        name = str(proposed["name"])
        actor: dict[str, Any] = {"id": actor_id, "name": name, "kind": kind,
                                 "aliases": _aliases(name, kind)}
        if proposed.get("role"):
            actor["roles"] = [{"title": proposed["role"], "date": self.record["date"],
                               "sources": [self.id]}]
        changes = Changes({})
        path = self.root / ACTORS_FILE
        changes.write(path, kbwrite.append_item(read_text(path, self.root),
                                                kbwrite.dump_item(actor)))
        self._settle_actor(actor_id, actor_id)
        self.save(changes)

    def map_actor(self, actor_id: str, typed: str) -> tuple[str, str | None]:
        """Point a proposed actor's quotes at an actor the KB already has; returns its id and
        the notice when the name was a guess."""
        self._new_actor(actor_id)
        target, notice = self._actor_id(typed)
        if target not in self._known_actors():
            raise ReviewError(f"{typed!r} is not an actor of the KB")
        self._settle_actor(actor_id, target)
        self.save()
        return target, notice

    def _settle_actor(self, actor_id: str, target: str) -> None:
        for quote in self._quotes():
            if quote["speaker"] == actor_id:
                quote["speaker"] = target
                quote.pop("speaker_name", None)
        self.record["new_actors"] = [a for a in self.record.get("new_actors") or []
                                     if a["id"] != actor_id]

    # -- hints

    def _hint(self, number: str) -> str:
        hints = self.record.get("hints") or []
        if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= len(hints):
            raise ReviewError(f"draft {self.id} has no hint {number} (it has {len(hints)})")
        return str(hints[int(number) - 1])

    def _drop_hint(self, number: str) -> None:
        del self.record["hints"][int(number) - 1]
        if not self.record["hints"]:
            self._drop_proposal("hints")

    def link_hint(self, number: str, event_id: str) -> None:
        """The hint is an event the KB has: cite this source in it."""
        self._hint(number)
        kb = self.kb()
        index = next((i for i, e in enumerate(kb.events) if e.id == event_id), None)
        if index is None:
            raise ReviewError(f"no event {event_id!r}; `nkb events` lists them")
        path = self.root / EVENTS_FILE
        text = read_text(path, self.root)
        where = _event_index(text, event_id)
        sources = list(kb.events[index].sources)
        changes = Changes({})
        if self.id not in sources:
            flow = "[" + ", ".join(kbwrite.scalar_text(s) for s in [*sources, self.id]) + "]"
            changes.write(path, kbwrite.replace_value(text, (where, "sources"), flow))
        self._drop_hint(number)
        self.save(changes)

    def new_event(self, number: str, title: str, date: str | None = None) -> str:
        """The hint is a happening the KB lacks: draft an event citing this source."""
        self._hint(number)
        when = date or str(self.record["date"])
        _check_date(when)
        if not title.strip():
            raise ReviewError("an event needs a title")
        event_id = _slug(f"{when} {title}")
        if any(e.id == event_id for e in self.kb().events):
            raise ReviewError(f"event {event_id!r} exists already; link the hint to it")
        event = {"id": event_id, "date": when,
                 "date_basis": None if date else f"the date of source {self.id}; to check",
                 "title": title.strip(), "sources": [self.id]}
        path = self.root / EVENTS_FILE
        changes = Changes({})
        changes.write(path, kbwrite.append_item(read_text(path, self.root),
                                                kbwrite.dump_item(event)))
        self._drop_hint(number)
        self.save(changes)
        return event_id

    def drop_hint(self, number: str) -> None:
        """The hint is no happening: remove it."""
        self._hint(number)
        self._drop_hint(number)
        self.save()


def _check_date(value: str) -> None:
    try:
        parse_edtf(value)
    except DateError as exc:
        raise ReviewError(f"date {value!r}: {exc}") from None


def _event_index(text: str, event_id: str) -> int:
    tree = kbwrite.compose(text)
    for i, item in enumerate(getattr(tree, "value", [])):
        node = kbwrite.node_at(item, ("id",))
        if isinstance(node, yaml.ScalarNode) and node.value == event_id:
            return i
    raise ReviewError(f"no event {event_id!r} in {EVENTS_FILE}")


def _aliases(name: str, kind: str) -> list[str]:
    words = name.split()
    return [name, words[-1]] if kind == "person" and len(words) > 1 else [name]


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "event"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _find_words(text: str, words: str) -> int | None:
    """Where `words` begin in `text`, white space and case aside, or None."""
    wanted = words.split()
    if not wanted:
        return None
    pattern = r"\s+".join(re.escape(w) for w in wanted)
    found = re.search(pattern, text, flags=re.IGNORECASE)
    return found.start() if found else None


@dataclass(frozen=True)
class Decisions:
    """Decisions given on the command line (`nkb review ID --accept-strong ...`); pairs are
    `KEY=VALUE` texts as typed."""

    accept: tuple[str, ...] = ()  # quote ids, or the fields date, outlet, via
    accept_strong: bool = False
    title: str | None = None
    speaker: tuple[str, ...] = ()  # QUOTE=ACTOR
    trim: tuple[str, ...] = ()  # QUOTE=WORDS
    split: tuple[str, ...] = ()  # QUOTE=WORDS
    paraphrase: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    new_actor: tuple[str, ...] = ()  # ID or ID=KIND
    map: tuple[str, ...] = ()  # ID=ACTOR
    link: tuple[str, ...] = ()  # HINT=EVENT
    new_event: tuple[str, ...] = ()  # HINT=TITLE
    drop_hint: tuple[str, ...] = ()

    def any(self) -> bool:
        return any(bool(getattr(self, name)) for name in self.__dataclass_fields__)


def pair(option: str, typed: str) -> tuple[str, str]:
    """`KEY=VALUE` as typed for an option, or a usage error saying the form."""
    key, sep, value = typed.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise UsageError(f"{option} {typed!r}: write it as KEY=VALUE, e.g. {option} 005-2=lavrov")
    return key.strip(), value.strip()


def apply(draft: Draft, decisions: Decisions) -> list[str]:
    """Take every decision given, in a fixed order (edits, actors, accepts, hints, title);
    returns what was done, guesses named."""
    done: list[str] = []
    for typed in decisions.reject:
        draft.reject(typed)
        done.append(f"rejected {typed}")
    for option, values, act in (("--trim", decisions.trim, draft.trim),
                                ("--split", decisions.split, draft.split)):
        for typed in values:
            quote_id, words = pair(option, typed)
            result = act(quote_id, words)
            done.append(f"{option[2:]} {quote_id}" + (f" into {result}" if result else ""))
    for typed in decisions.speaker:
        quote_id, who = pair("--speaker", typed)
        actor, notice = draft.set_speaker(quote_id, who)
        done.append(f"speaker of {quote_id}: {actor}" + (f" ({notice})" if notice else ""))
    for typed in decisions.paraphrase:
        draft.mark_paraphrase(typed)
        done.append(f"{typed} is a paraphrase")
    for typed in decisions.new_actor:
        actor_id, _, kind = typed.partition("=")
        draft.accept_actor(actor_id.strip(), kind.strip() or "person")
        done.append(f"added actor {actor_id.strip()}")
    for typed in decisions.map:
        actor_id, who = pair("--map", typed)
        actor, notice = draft.map_actor(actor_id, who)
        done.append(f"{actor_id} is {actor}" + (f" ({notice})" if notice else ""))
    accepted = list(decisions.accept)
    if decisions.accept_strong:
        accepted += [item.key for item in draft.items()
                     if item.strength == "strong" and item.kind in ("quote", "field")
                     and item.key not in accepted]
    for key in accepted:
        if key in (*SOURCE_FIELDS, *draft.settled_proposals()):
            draft.accept_field(key)
        else:
            draft.accept_quote(key)
        done.append(f"accepted {key}")
    done += _hint_decisions(draft, decisions)
    if decisions.title is not None:
        draft.set_title(decisions.title)
        done.append("title written")
    return done


def _hint_decisions(draft: Draft, decisions: Decisions) -> list[str]:
    """Hint decisions from the last hint to the first, so each number means what it did."""
    planned: list[tuple[int, str, str]] = []
    for option, values in (("--link", decisions.link), ("--new-event", decisions.new_event)):
        for typed in values:
            typed_number, value = pair(option, typed)
            planned.append((_number(option, typed_number), option, value))
    planned += [(_number("--drop-hint", n), "--drop-hint", "") for n in decisions.drop_hint]
    done = []
    for number, option, value in sorted(planned, key=lambda p: p[0], reverse=True):
        if option == "--link":
            draft.link_hint(str(number), value)
            done.append(f"hint {number} linked to {value}")
        elif option == "--new-event":
            done.append(f"hint {number} drafted as event {draft.new_event(str(number), value)}")
        else:
            draft.drop_hint(str(number))
            done.append(f"hint {number} removed")
    return done


def _number(option: str, typed: str) -> int:
    if not typed.strip().isascii() or not typed.strip().isdigit():
        raise UsageError(f"{option} {typed!r}: a hint is named by its number (1, 2, ...), "
                         "as `nkb review ID --list` shows")
    return int(typed)
