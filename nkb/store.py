"""Finding, loading and validating the KB into typed records and an in-memory index.

Callers use `open_kb(root)` and the `KB` it returns; how the KB gets built (parsed from YAML now,
read from a compiled cache later) is this module's business alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from nkb import dates
from nkb.errors import KBError, NotFound, Problem
from nkb.models import Actor, Event, Quote, Source
from nkb.yamlfile import YamlProblem, line_of, parse_yaml, read_text

ACTORS_FILE = "actors.yaml"
EVENTS_FILE = "events.yaml"
SOURCES_DIR = "sources"

R = TypeVar("R", bound=msgspec.Struct)


# --- finding the KB ---------------------------------------------------------------------------


def looks_like_kb(path: Path) -> bool:
    """A folder is a KB if it holds any of the KB's files."""
    return any((path / name).exists() for name in (ACTORS_FILE, EVENTS_FILE, SOURCES_DIR))


def shipped_kb() -> Path:
    """The KB installed with the package (or beside it, in an editable install)."""
    try:
        return Path(str(resources.files("nkb.kb")))
    except ModuleNotFoundError:
        # An editable install imports nkb from the checkout, whose KB sits next to the package.
        return Path(__file__).resolve().parent.parent / "kb"


def find_kb(option: str | None = None, cwd: Path | None = None) -> Path:
    """--kb, else $NKB_KB, else the nearest kb/ here or above, else the shipped KB."""
    chosen = option or os.environ.get("NKB_KB")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            origin = "--kb" if option else "$NKB_KB"
            raise NotFound(
                f"{origin} {chosen}: no such folder; give the folder holding "
                f"{ACTORS_FILE}, {EVENTS_FILE} and {SOURCES_DIR}/"
            )
        return path.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "kb"
        if candidate.is_dir() and looks_like_kb(candidate):
            return candidate
    return shipped_kb()


# --- the index --------------------------------------------------------------------------------


@dataclass
class KB:
    """The validated KB: records by id, in date order, with every date's span precomputed."""

    root: Path
    actors: dict[str, Actor]
    sources: dict[str, Source]
    events: list[Event]
    quotes: list[Quote]
    spans: dict[str, dates.Span]
    notes: list[Problem] = field(default_factory=list)  # what drafts still lack

    def span(self, edtf: str | None) -> dates.Span | None:
        """The span of a date string held in the KB."""
        return self.spans.get(edtf) if edtf else None

    def actor(self, actor_id: str) -> Actor:
        try:
            return self.actors[actor_id]
        except KeyError:
            raise NotFound(f"no actor with id {actor_id!r}") from None

    def actor_name(self, actor_id: str) -> str:
        """The display name of an actor id (the id itself for a draft's proposed actor)."""
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def source(self, source_id: str) -> Source:
        """A source by id; `3` finds `003`."""
        key = normalise_source_id(source_id)
        if key in self.sources:
            return self.sources[key]
        known = ", ".join(sorted(self.sources)) or "none"
        raise NotFound(f"no source {source_id!r}; the KB has sources: {known}")

    def text(self, source_id: str) -> str:
        """The verbatim article text of a source."""
        return read_text(self.root / SOURCES_DIR / f"{source_id}.txt")

    def quotes_of(self, source_id: str) -> list[Quote]:
        return [q for q in self.quotes if q.source == source_id]

    def events_citing(self, source_id: str) -> list[Event]:
        return [e for e in self.events if source_id in e.sources]


def normalise_source_id(text: str) -> str:
    """`3`, `03` and `003` all name source 003."""
    text = text.strip()
    return text.zfill(3) if text.isdigit() else text


# --- loading ----------------------------------------------------------------------------------


def open_kb(root: Path) -> KB:
    """Load and validate the KB at `root`; raise KBError listing every problem."""
    kb, problems = load_kb(root)
    if problems or kb is None:
        raise KBError(problems)
    return kb


def load_kb(root: Path) -> tuple[KB | None, list[Problem]]:
    """Load the KB, returning it (if usable) together with every problem found."""
    loader = _Loader(root)
    kb = loader.load()
    return (None if loader.problems else kb), loader.problems


_QUOTE_MARKS = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"} | {
    c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"
})
_SPACE = re.compile(r"\s+")
_MSGSPEC_PATH = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def normalise_for_match(text: str) -> str:
    """Fold white space and straight/typographic quote marks so a quote can be found in its text."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


class _Loader:
    """One load of a KB folder: collects problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.texts: dict[Path, str] = {}
        self.spans: dict[str, dates.Span] = {}
        # where each record came from, for error lines: id -> (file, yaml path)
        self.origin: dict[tuple[str, str], tuple[Path, tuple[str | int, ...]]] = {}
        # each source file's usable quotes, by their index in the file (invalid ones are skipped)
        self.quote_index: dict[Path, list[int]] = {}

    def problem(
        self, file: Path, where: tuple[str | int, ...], message: str, hint: str, key: bool = False
    ) -> None:
        text = self.texts.get(file)
        line = line_of(text, where, key=key) if text is not None else None
        self.problems.append(Problem(file, line, message, hint))

    # -- reading files

    def read(self, path: Path) -> Any:
        try:
            text = read_text(path)
            self.texts[path] = text
            return parse_yaml(path, text)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return None

    def convert(self, raw: Any, kind: type[R], file: Path, where: tuple[str | int, ...]) -> R | None:
        try:
            return msgspec.convert(raw, type=kind, strict=True)
        except msgspec.ValidationError as exc:
            message, path, key = _split_msgspec_error(str(exc))
            self.problem(file, where + path, f"{kind.__name__.lower()}: {message}",
                         _type_hint(message, kind), key=key)
            return None

    def records(self, file: Path, kind: type[R]) -> list[tuple[int, R]]:
        if not file.exists():
            self.problems.append(Problem(file, None, "file is missing",
                                         f"create it (an empty list `[]` will do) in {self.root}"))
            return []
        raw = self.read(file)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(file, (), f"expected a list of {kind.__name__.lower()}s",
                         "start each record with '- id: ...'")
            return []
        out = []
        for i, item in enumerate(raw):
            record = self.convert(item, kind, file, (i,))
            if record is not None:
                out.append((i, record))
        return out

    def source_files(self) -> Iterator[Path]:
        folder = self.root / SOURCES_DIR
        if not folder.is_dir():
            self.problems.append(Problem(folder, None, "sources folder is missing",
                                         "create it; each article is NNN.yaml plus NNN.txt"))
            return iter(())
        return iter(sorted(folder.glob("*.yaml")))

    def load_source(self, file: Path) -> Source | None:
        raw = self.read(file)
        if raw is None:
            if file in self.texts:
                self.problem(file, (), "file is empty", "write the source record (id, title, ...)")
            return None
        if not isinstance(raw, dict):
            self.problem(file, (), "expected a mapping (id: ..., title: ...)",
                         "write the source record as key: value lines")
            return None
        raw_quotes = raw.get("quotes") or []
        if not isinstance(raw_quotes, list):
            self.problem(file, ("quotes",), "quotes: expected a list", "start each quote with '- id:'")
            raw_quotes = []
        source = self.convert({**raw, "quotes": []}, Source, file, ())
        if source is None:
            return None
        quotes = []
        for i, item in enumerate(raw_quotes):
            if isinstance(item, dict) and "source" in item:
                self.problem(file, ("quotes", i, "source"), "quote: unknown field `source`",
                             "remove it: a quote belongs to the source file it is in", key=True)
                continue
            quote = self.convert(item, Quote, file, ("quotes", i))
            if quote is not None:
                quotes.append(msgspec.structs.replace(quote, source=source.id))
                self.quote_index.setdefault(file, []).append(i)
        return msgspec.structs.replace(source, quotes=quotes)

    # -- the whole KB

    def load(self) -> KB:
        actors_file = self.root / ACTORS_FILE
        events_file = self.root / EVENTS_FILE
        actors = self.unique(self.records(actors_file, Actor), actors_file, "actor")
        events = self.unique(self.records(events_file, Event), events_file, "event")
        sources: dict[str, Source] = {}
        source_file: dict[str, Path] = {}
        for file in self.source_files():
            source = self.load_source(file)
            if source is None:
                continue
            if source.id in sources:
                self.problem(file, ("id",), f"duplicate source id {source.id!r} "
                             f"(also in {source_file[source.id].name})", "give each source its own id")
                continue
            if file.stem != source.id:
                self.problem(file, ("id",), f"source id {source.id!r} does not match file name "
                             f"{file.name}", f"rename the file to {source.id}.yaml or fix the id")
            sources[source.id] = source
            source_file[source.id] = file
        quotes = self.check_quotes(sources, source_file, actors)
        self.check_actors(actors, actors_file, sources)
        self.check_events(events, events_file, actors, sources)
        for source_id, source in sources.items():
            self.check_date(source.date, source_file[source_id], ("date",))
        self.note_drafts(sources, source_file)
        ordered_events = sorted(events.values(), key=lambda e: self.sort_key(e.date, e.id))
        ordered_quotes = sorted(quotes, key=lambda q: self.sort_key(q.date, q.id))
        return KB(self.root, actors, sources, ordered_events, ordered_quotes, self.spans,
                  self.notes)

    def sort_key(self, edtf: str, ident: str) -> tuple[str, str, str]:
        span = self.spans.get(edtf)
        if span is None:
            return (dates.LATEST, dates.LATEST, ident)
        # An open start ("../2023-02") is placed by its end: all that is known is "by then".
        first = span.end if span.start == dates.EARLIEST else span.start
        return (first, span.end, ident)

    def unique(self, records: Iterable[tuple[int, R]], file: Path, kind: str) -> dict[str, R]:
        out: dict[str, R] = {}
        first: dict[str, int] = {}
        for index, record in records:
            ident = record.id  # type: ignore[attr-defined]
            if ident in out:
                line = line_of(self.texts[file], (first[ident],))
                self.problem(file, (index, "id"), f"duplicate {kind} id {ident!r} (first at line {line})",
                             f"give each {kind} its own id")
                continue
            out[ident] = record
            first[ident] = index
            self.origin[(kind, ident)] = (file, (index,))
        return out

    def check_date(self, edtf: str | None, file: Path, where: tuple[str | int, ...]) -> None:
        if edtf is None or edtf in self.spans:
            return
        try:
            self.spans[edtf] = dates.parse_edtf(edtf)
        except dates.DateError as exc:
            self.problem(file, where, f"invalid date: {exc}", "use an EDTF date")

    def check_actors(self, actors: dict[str, Actor], file: Path, sources: dict[str, Source]) -> None:
        for actor in actors.values():
            _, where = self.origin[("actor", actor.id)]
            for r, role in enumerate(actor.roles):
                self.check_date(role.date, file, (*where, "roles", r, "date"))
                for s, source_id in enumerate(role.sources):
                    if source_id not in sources:
                        self.problem(file, (*where, "roles", r, "sources", s),
                                     f"actor {actor.id!r}: unknown source {source_id!r}",
                                     _known_hint("source", sources))

    def check_events(self, events: dict[str, Event], file: Path, actors: dict[str, Actor],
                     sources: dict[str, Source]) -> None:
        for event in events.values():
            _, where = self.origin[("event", event.id)]
            self.check_date(event.date, file, (*where, "date"))
            if not event.sources:
                self.problem(file, (*where, "sources"), f"event {event.id!r} cites no source",
                             "list the id of every article that reports it")
            for i, source_id in enumerate(event.sources):
                if source_id not in sources:
                    self.problem(file, (*where, "sources", i),
                                 f"event {event.id!r}: unknown source {source_id!r}",
                                 _known_hint("source", sources))
            for i, actor_id in enumerate(event.actors):
                if actor_id not in actors:
                    self.problem(file, (*where, "actors", i),
                                 f"event {event.id!r}: unknown actor {actor_id!r}",
                                 _known_hint("actor", actors, actor_id))

    def check_quotes(self, sources: dict[str, Source], source_file: dict[str, Path],
                     actors: dict[str, Actor]) -> list[Quote]:
        quotes: list[Quote] = []
        seen: dict[str, str] = {}
        for source in sources.values():
            file = source_file[source.id]
            text_path = file.with_suffix(".txt")
            try:
                article = normalise_for_match(read_text(text_path))
            except YamlProblem as exc:
                self.problems.append(Problem(
                    exc.problem.file, exc.problem.line, exc.problem.message,
                    f"keep the article's verbatim text in {text_path.name} beside {file.name}"))
                article = None
            proposed = {a.id for a in source.new_actors} if source.status == "draft" else set()
            for i, quote in enumerate(source.quotes):
                where = ("quotes", self.quote_index[file][i])
                if quote.id in seen:
                    self.problem(file, (*where, "id"), f"duplicate quote id {quote.id!r} "
                                 f"(also in source {seen[quote.id]})", "give each quote its own id")
                    continue
                seen[quote.id] = source.id
                self.check_date(quote.date, file, (*where, "date"))
                if quote.speaker not in actors and quote.speaker not in proposed:
                    self.problem(file, (*where, "speaker"),
                                 f"quote {quote.id!r}: unknown speaker {quote.speaker!r}",
                                 _known_hint("actor", actors, quote.speaker))
                if article is not None and normalise_for_match(quote.text) not in article:
                    self.problem(file, (*where, "text"),
                                 f"quote {quote.id!r}: text not found in {text_path.name}",
                                 "copy the words exactly as the article prints them "
                                 "(white space and quote-mark style may differ)")
                quotes.append(quote)
        return quotes

    def note_drafts(self, sources: dict[str, Source], source_file: dict[str, Path]) -> None:
        for source in sources.values():
            if source.status != "draft":
                continue
            file = source_file[source.id]
            lacks = draft_lacks(source)
            for where, message, hint in lacks:
                line = line_of(self.texts[file], where)
                self.notes.append(Problem(file, line, f"draft {source.id}: {message}", hint))


def draft_lacks(source: Source) -> list[tuple[tuple[str | int, ...], str, str]]:
    """What a draft source still needs from its curator before it can be marked curated."""
    lacks: list[tuple[tuple[str | int, ...], str, str]] = []
    if source.title.startswith("TODO"):
        lacks.append((("title",), "title not written", "write a short title"))
    if source.outlet.startswith("TODO"):
        lacks.append((("outlet",), "outlet not named in the text", "write who published it"))
    if source.date_basis and source.date_basis.startswith("TODO"):
        lacks.append((("date_basis",), "date to confirm", "check the date and explain its basis"))
    undated = [i for i, q in enumerate(source.quotes)
               if q.date_basis and q.date_basis.startswith("TODO")]
    if undated:
        lacks.append((("quotes", undated[0], "date_basis"), f"{len(undated)} quote date(s) to "
                      "confirm", "check when each was said and explain it in date_basis"))
    for actor in source.new_actors:
        lacks.append((("new_actors",), f"proposed actor {actor.id!r} ({actor.name}) to confirm",
                      "add it to actors.yaml or point its quotes at a known actor"))
    for i, quote in enumerate(source.quotes):
        if quote.speaker_name:
            lacks.append((("quotes", i), f"quote {quote.id!r}: speaker to confirm "
                          f"({quote.speaker_name})", "set speaker to a known actor id"))
    if source.hints:
        lacks.append((("hints",), f"{len(source.hints)} event hints to review",
                      "turn the ones that are happenings into events, then delete hints"))
    lacks.append((("status",), "status is draft", "when done, set status: curated"))
    return lacks


def _split_msgspec_error(text: str) -> tuple[str, tuple[str | int, ...], bool]:
    """Split msgspec's 'message - at `$.a[0]`' into the message, a path, and whether to point
    at a key (unknown fields are best shown on the key's own line)."""
    message, _, at = text.partition(" - at `")
    path: list[str | int] = []
    for name, index in _MSGSPEC_PATH.findall(at.rstrip("`")):
        path.append(int(index) if index else name)
    unknown = re.match(r"Object contains unknown field `(.+)`", message)
    if unknown:
        path.append(unknown.group(1))
        return message, tuple(path), True
    return message, tuple(path), False


def _type_hint(message: str, kind: type) -> str:
    fields = ", ".join(f for f in kind.__struct_fields__ if f != "source")  # type: ignore[attr-defined]
    if "unknown field" in message:
        return f"check the spelling; a {kind.__name__.lower()} has: {fields}"
    if "missing required field" in message:
        return "add the field"
    if "Expected `array`" in message:
        return "write a list, e.g. [a, b] or one '- item' per line"
    if "Expected `str`" in message:
        return "write a single text value"
    if "Expected `object`" in message:
        return "write key: value lines"
    if "match regex" in message:
        return "ids are lowercase letters, digits, '-' and '.'; source ids are 3+ digits"
    if "Invalid enum value" in message:
        return "use one of the values the message lists"
    return "see docs/data-model.md for the field's type"


def _known_hint(kind: str, known: dict[str, Any], typed: str | None = None) -> str:
    if typed:
        from rapidfuzz import process  # deferred: only needed when a reference is wrong

        near = [m for m, score, _ in process.extract(typed, list(known), limit=3) if score >= 60]
        if near:
            return f"did you mean {', '.join(near)}? Or add the {kind} first"
    sample = ", ".join(sorted(known)[:8]) + (" ..." if len(known) > 8 else "")
    return f"use a known {kind} id ({sample or 'none yet'})"
