"""Finding, loading and validating the KB into typed records and an in-memory index.

Callers use `open_kb(root)` and the `KB` it returns; whether it was parsed from the YAML files
or read from the compiled cache (nkb/cache.py) is this module's business alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from nkb import dates
from nkb.errors import KBError, NotFound, Problem
from nkb.mismatch import Mismatch, find_mismatch
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
    package = Path(__file__).resolve().parent
    installed = package / "kb"  # a wheel carries the KB inside the package
    # An editable install imports nkb from the checkout, whose KB sits next to the package.
    return installed if installed.is_dir() else package.parent / "kb"


def is_installed_kb(root: Path) -> bool:
    """True for the KB inside an installed package (not a checkout's kb/ folder)."""
    return root.resolve() == Path(__file__).resolve().parent / "kb"


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

    def search_corpus(self) -> Any:
        """The folded texts `nkb search` scores (search.search_corpus; the cache keeps them)."""
        from nkb import search  # deferred: only `nkb search` needs it

        return search.search_corpus(self)

    def speaker_name(self, quote: Quote) -> str:
        """Who said a quote: the actor's name, or in a draft the name as the article prints it
        (or as proposed), until the curator confirms an actor."""
        actor = self.actors.get(quote.speaker)
        if actor is not None:
            return actor.name
        if quote.speaker_name:
            return quote.speaker_name
        proposed = {a.id: a.name for a in self.source(quote.source).new_actors}
        return proposed.get(quote.speaker, quote.speaker)

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

    def search_record(self, kind: str, ref: Any) -> Any:
        """The record a search corpus entry points at (search.search_corpus made the refs)."""
        if kind == "quote":
            return self.quotes[ref]
        if kind == "event":
            return self.events[ref]
        return (self.actors if kind == "actor" else self.sources)[ref]

    def counts(self) -> dict[str, int]:
        """How many sources, drafts, quotes, events and actors the KB holds."""
        return {"sources": len(self.sources),
                "drafts": sum(1 for s in self.sources.values() if s.status == "draft"),
                "quotes": len(self.quotes), "events": len(self.events), "actors": len(self.actors)}

    def quotes_by(self, speaker_id: str) -> list[Quote]:
        """The quotes of one speaker, in date order."""
        return [q for q in self.quotes if q.speaker == speaker_id]

    def events_between(self, since: dates.Span | None, until: dates.Span | None) -> list[Event]:
        """Events any day of whose date lies in [since, until], in date order."""
        return [e for e in self.events
                if (span := self.spans.get(e.date)) is not None and span.overlaps(since, until)]


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
    """Load the KB, returning it (if usable) together with every problem found.

    A compiled cache (nkb/cache.py) answers when it is provably current; otherwise only the
    files that changed are parsed again and every cross-file check is re-run."""
    from nkb import cache  # deferred: cache imports this module

    return cache.load(root)


def load_uncached(root: Path) -> tuple[KB | None, list[Problem]]:
    """Load the KB from its files alone, parsing every file (what the cache falls back to)."""
    loaded = Merge(root, actor_facts(root), event_facts(root),
                   [(f, source_facts(f, {})) for f in list_source_files(root)]).run()
    return (None if loaded.problems else loaded.kb), loaded.problems


_QUOTE_MARKS = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"} | {
    c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"
})
_SPACE = re.compile(r"\s+")
_DATA_MODEL_HINT = "see docs/data-model.md for the field's type"


def normalise_for_match(text: str) -> str:
    """Fold white space and straight/typographic quote marks so a quote can be found in its text."""
    return _SPACE.sub(" ", fold_quote_marks(text)).strip()


def fold_quote_marks(text: str) -> str:
    """Typographic quote marks as straight ones, character for character."""
    return text.translate(_QUOTE_MARKS)


# What each file yields on its own, as plain data the cache can keep per file. A problem is
# (file, line, message, hint); None where a check found nothing.
Issue = tuple[str, int | None, str, str]
SpanPair = tuple[str, str]


class ActorFacts(msgspec.Struct, array_like=True):
    """actors.yaml read on its own: records in file order, and the problems found in it."""

    problems: list[Issue]  # reading, parsing, field types, duplicate ids
    actors: list[Actor]
    where: list[int]  # each actor's index in the file
    role_dates: list[list[Issue | None]]  # per actor, per role: an invalid date
    spans: dict[str, SpanPair]


class EventFacts(msgspec.Struct, array_like=True):
    """events.yaml read on its own."""

    problems: list[Issue]
    events: list[Event]
    where: list[int]
    dates: list[Issue | None]  # per event: an invalid date
    no_sources: list[Issue | None]  # per event: cites no source
    spans: dict[str, SpanPair]


class SourceFacts(msgspec.Struct, array_like=True):
    """One sources/NNN.yaml with its NNN.txt, read on their own."""

    problems: list[Issue]
    source: Source | None
    quote_where: list[int]  # each kept quote's index in the file (invalid ones are skipped)
    stem: Issue | None  # the id does not match the file name
    text_problem: Issue | None  # NNN.txt cannot be read
    quote_dates: list[Issue | None]
    quote_texts: list[Issue | None]  # the quote is not in NNN.txt
    date_problem: Issue | None
    notes: list[Issue]  # what a draft still lacks
    spans: dict[str, SpanPair]


def _issue(problem: Problem) -> Issue:
    return (str(problem.file), problem.line, problem.message, problem.hint)


def _problem(issue: Issue) -> Problem:
    return Problem(Path(issue[0]), issue[1], issue[2], issue[3])


def list_source_files(root: Path) -> list[Path]:
    """The source records of a KB, in id order (empty if there is no sources folder)."""
    folder = root / SOURCES_DIR
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".yaml") and e.is_file())
    except OSError:
        return []
    return [folder / name for name in names]


class _Loader:
    """Reading one KB file: collects problems instead of stopping at the first."""

    def __init__(self, root: Path, spans: dict[str, dates.Span] | None = None) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.texts: dict[Path, str] = {}
        # dates already parsed, shared across files so each distinct date is parsed once
        self.spans: dict[str, dates.Span] = {} if spans is None else spans
        self.used: dict[str, SpanPair] = {}

    def problem(
        self, file: Path, where: tuple[str | int, ...], message: str, hint: str, key: bool = False
    ) -> None:
        self.problems.append(self.make_problem(file, where, message, hint, key))

    def make_problem(self, file: Path, where: tuple[str | int, ...], message: str, hint: str,
                     key: bool = False) -> Problem:
        text = self.texts.get(file)
        if text is None and file.is_file():
            # a cross-file problem in a file this load took from the cache: read it for the line
            try:
                text = self.texts[file] = read_text(file)
            except YamlProblem:
                text = None
        line = line_of(text, where, key=key) if text is not None else None
        return Problem(file, line, message, hint)

    def issue(self, file: Path, where: tuple[str | int, ...], message: str, hint: str) -> Issue:
        return _issue(self.make_problem(file, where, message, hint))

    def take(self) -> list[Issue]:
        """The problems found so far, as plain data; the list starts afresh."""
        taken = [_issue(p) for p in self.problems]
        self.problems = []
        return taken

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
            found = find_mismatch(raw, kind) or Mismatch((), str(exc), _DATA_MODEL_HINT)
            self.problem(file, where + found.path, f"{kind.__name__.lower()}: {found.message}",
                         found.hint, key=found.at_key)
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

    def unique(self, records: Iterable[tuple[int, R]], file: Path, kind: str) -> list[tuple[int, R]]:
        out: list[tuple[int, R]] = []
        first: dict[str, int] = {}
        for index, record in records:
            ident = record.id  # type: ignore[attr-defined]
            if ident in first:
                line = line_of(self.texts[file], (first[ident],))
                self.problem(file, (index, "id"), f"duplicate {kind} id {ident!r} (first at line {line})",
                             f"give each {kind} its own id")
                continue
            out.append((index, record))
            first[ident] = index
        return out

    def load_source(self, file: Path) -> tuple[Source | None, list[int]]:
        raw = self.read(file)
        if raw is None:
            # None from a file that read and parsed: it holds nothing (a YAML error is reported)
            if file in self.texts and not any(p.file == file for p in self.problems):
                self.problem(file, (), "file is empty", "write the source record (id, title, ...)")
            return None, []
        if not isinstance(raw, dict):
            self.problem(file, (), "expected a mapping (id: ..., title: ...)",
                         "write the source record as key: value lines")
            return None, []
        raw_quotes = raw.get("quotes") or []
        if not isinstance(raw_quotes, list):
            self.problem(file, ("quotes",), "quotes: expected a list", "start each quote with '- id:'")
            raw_quotes = []
        source = self.convert({**raw, "quotes": []}, Source, file, ())
        if source is None:
            return None, []
        quotes, kept = [], []
        for i, item in enumerate(raw_quotes):
            if isinstance(item, dict) and "source" in item:
                self.problem(file, ("quotes", i, "source"), "quote: unknown field `source`",
                             "remove it: a quote belongs to the source file it is in", key=True)
                continue
            quote = self.convert(item, Quote, file, ("quotes", i))
            if quote is not None:
                quotes.append(msgspec.structs.replace(quote, source=source.id))
                kept.append(i)
        return msgspec.structs.replace(source, quotes=quotes), kept

    def date_issue(self, edtf: str | None, file: Path, where: tuple[str | int, ...]) -> Issue | None:
        """Parse a date (once per distinct text); an Issue if it is not a valid EDTF date."""
        if edtf is None:
            return None
        span = self.spans.get(edtf)
        if span is None:
            try:
                span = self.spans[edtf] = dates.parse_edtf(edtf)
            except dates.DateError as exc:
                return self.issue(file, where, f"invalid date: {exc}", "use an EDTF date")
        self.used[edtf] = (span.start, span.end)
        return None


def actor_facts(root: Path, spans: dict[str, dates.Span] | None = None) -> ActorFacts:
    """Read actors.yaml on its own."""
    file = root / ACTORS_FILE
    loader = _Loader(root, spans)
    kept = loader.unique(loader.records(file, Actor), file, "actor")
    role_dates = [[loader.date_issue(role.date, file, (index, "roles", r, "date"))
                   for r, role in enumerate(actor.roles)] for index, actor in kept]
    return ActorFacts(loader.take(), [a for _, a in kept], [i for i, _ in kept], role_dates,
                      loader.used)


def event_facts(root: Path, spans: dict[str, dates.Span] | None = None) -> EventFacts:
    """Read events.yaml on its own."""
    file = root / EVENTS_FILE
    loader = _Loader(root, spans)
    kept = loader.unique(loader.records(file, Event), file, "event")
    problems = loader.take()
    event_dates = [loader.date_issue(e.date, file, (i, "date")) for i, e in kept]
    no_sources = [None if e.sources else
                  loader.issue(file, (i, "sources"), f"event {e.id!r} cites no source",
                               "list the id of every article that reports it") for i, e in kept]
    return EventFacts(problems, [e for _, e in kept], [i for i, _ in kept], event_dates,
                      no_sources, loader.used)


def source_facts(file: Path, spans: dict[str, dates.Span] | None = None) -> SourceFacts:
    """Read one source record and check its quotes against its text, on their own."""
    loader = _Loader(file.parent.parent, spans)
    source, kept = loader.load_source(file)
    problems = loader.take()
    if source is None:
        return SourceFacts(problems, None, [], None, None, [], [], None, [], {})
    stem = None
    if file.stem != source.id:
        stem = loader.issue(file, ("id",), f"source id {source.id!r} does not match file name "
                            f"{file.name}", f"rename the file to {source.id}.yaml or fix the id")
    text_path = file.with_suffix(".txt")
    text_problem, article = None, None
    try:
        article = normalise_for_match(read_text(text_path))
    except YamlProblem as exc:
        text_problem = (str(exc.problem.file), exc.problem.line, exc.problem.message,
                        f"keep the article's verbatim text in {text_path.name} beside {file.name}")
    quote_dates, quote_texts = [], []
    for i, quote in enumerate(source.quotes):
        where: tuple[str | int, ...] = ("quotes", kept[i])
        quote_dates.append(loader.date_issue(quote.date, file, (*where, "date")))
        found = article is None or normalise_for_match(quote.text) in article
        quote_texts.append(None if found else loader.issue(
            file, (*where, "text"), f"quote {quote.id!r}: text not found in {text_path.name}",
            "copy the words exactly as the article prints them "
            "(white space and quote-mark style may differ)"))
    date_problem = loader.date_issue(source.date, file, ("date",))
    notes = []
    if source.status == "draft":
        for where, message, hint in draft_lacks(source):
            notes.append((str(file), line_of(loader.texts[file], where),
                          f"draft {source.id}: {message}", hint))
    return SourceFacts(problems, source, kept, stem, text_problem, quote_dates, quote_texts,
                       date_problem, notes, loader.used)


@dataclass
class Merge:
    """The whole-KB checks over every file's facts: references, duplicate ids, date order.

    Problems come out in one stable order: actors.yaml, events.yaml, each source file, then each
    source's quotes, actors' roles, events' references, source dates."""

    root: Path
    actors_in: ActorFacts
    events_in: EventFacts
    sources_in: list[tuple[Path, SourceFacts]]
    problems: list[Problem] = field(default_factory=list)
    kb: KB | None = None

    def run(self) -> Merge:
        loader = _Loader(self.root)
        add = self.problems.append

        def cross(file: Path, where: tuple[str | int, ...], message: str, hint: str) -> None:
            add(loader.make_problem(file, where, message, hint))

        actors_file, events_file = self.root / ACTORS_FILE, self.root / EVENTS_FILE
        self.problems += map(_problem, self.actors_in.problems)
        self.problems += map(_problem, self.events_in.problems)
        actors = {a.id: a for a in self.actors_in.actors}
        if not (self.root / SOURCES_DIR).is_dir():
            add(Problem(self.root / SOURCES_DIR, None, "sources folder is missing",
                        "create it; each article is NNN.yaml plus NNN.txt"))
        sources: dict[str, Source] = {}
        source_file: dict[str, Path] = {}
        kept: list[tuple[Path, SourceFacts, Source]] = []
        # A reference into a file that could not be read is not judged: its own problem is
        # reported, and calling every reference to it "unknown" would bury that one line.
        actors_unread = not self.actors_in.actors and bool(self.actors_in.problems)
        unread_sources = {file.stem for file, facts in self.sources_in if facts.source is None}
        for file, facts in self.sources_in:
            self.problems += map(_problem, facts.problems)
            source = facts.source
            if source is None:
                continue
            if source.id in sources:
                cross(file, ("id",), f"duplicate source id {source.id!r} "
                      f"(also in {source_file[source.id].name})", "give each source its own id")
                continue
            if facts.stem:
                add(_problem(facts.stem))
            sources[source.id] = source
            source_file[source.id] = file
            kept.append((file, facts, source))
        quotes: list[Quote] = []
        seen: dict[str, str] = {}
        for file, facts, source in kept:
            if facts.text_problem:
                add(_problem(facts.text_problem))
            proposed = {a.id for a in source.new_actors} if source.status == "draft" else set()
            for i, quote in enumerate(source.quotes):
                where: tuple[str | int, ...] = ("quotes", facts.quote_where[i])
                if quote.id in seen:
                    cross(file, (*where, "id"), f"duplicate quote id {quote.id!r} "
                          f"(also in source {seen[quote.id]})", "give each quote its own id")
                    continue
                seen[quote.id] = source.id
                date_issue, text_issue = facts.quote_dates[i], facts.quote_texts[i]
                if date_issue:
                    add(_problem(date_issue))
                if quote.speaker not in actors and quote.speaker not in proposed \
                        and not actors_unread:
                    cross(file, (*where, "speaker"),
                          f"quote {quote.id!r}: unknown speaker {quote.speaker!r}",
                          _known_hint("actor", actors, quote.speaker))
                if text_issue:
                    add(_problem(text_issue))
                quotes.append(quote)
        for a, actor in enumerate(self.actors_in.actors):
            where = (self.actors_in.where[a],)
            for r, role in enumerate(actor.roles):
                role_date = self.actors_in.role_dates[a][r]
                if role_date:
                    add(_problem(role_date))
                for s, source_id in enumerate(role.sources):
                    if source_id not in sources and source_id not in unread_sources:
                        cross(actors_file, (*where, "roles", r, "sources", s),
                              f"actor {actor.id!r}: unknown source {source_id!r}",
                              _known_hint("source", sources))
        for e, event in enumerate(self.events_in.events):
            where = (self.events_in.where[e],)
            for issue in (self.events_in.dates[e], self.events_in.no_sources[e]):
                if issue:
                    add(_problem(issue))
            for i, source_id in enumerate(event.sources):
                if source_id not in sources and source_id not in unread_sources:
                    cross(events_file, (*where, "sources", i),
                          f"event {event.id!r}: unknown source {source_id!r}",
                          _known_hint("source", sources))
            for i, actor_id in enumerate(event.actors):
                if actor_id not in actors and not actors_unread:
                    cross(events_file, (*where, "actors", i),
                          f"event {event.id!r}: unknown actor {actor_id!r}",
                          _known_hint("actor", actors, actor_id))
        for _, facts, _ in kept:
            if facts.date_problem:
                add(_problem(facts.date_problem))
        notes = [_problem(n) for _, facts, _ in kept for n in facts.notes]
        spans = self.spans()
        ordered_events = sorted(self.events_in.events, key=lambda e: sort_key(spans, e.date, e.id))
        ordered_quotes = sorted(quotes, key=lambda q: sort_key(spans, q.date, q.id))
        self.kb = KB(self.root, actors, sources, ordered_events, ordered_quotes, spans, notes)
        return self

    def spans(self) -> dict[str, dates.Span]:
        pairs = {**self.actors_in.spans, **self.events_in.spans}
        for _, facts in self.sources_in:
            pairs.update(facts.spans)
        return {text: dates.Span(*pair) for text, pair in pairs.items()}


def sort_key(spans: dict[str, dates.Span], edtf: str, ident: str) -> tuple[str, str, str]:
    """Date order: by first day, then last day, then id; undated records last."""
    span = spans.get(edtf)
    if span is None:
        return (dates.LATEST, dates.LATEST, natural_key(ident))
    return (span.anchor, span.end, natural_key(ident))


_DIGITS = re.compile(r"\d+")


def natural_key(ident: str) -> str:
    """An id with its numbers zero-padded, so 004-2 sorts before 004-10 (article order)."""
    return _DIGITS.sub(lambda m: m.group().zfill(9), ident)


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


def _known_hint(kind: str, known: dict[str, Any], typed: str | None = None) -> str:
    if typed:
        from rapidfuzz import process  # deferred: only needed when a reference is wrong

        near = [m for m, score, _ in process.extract(typed, list(known), limit=3) if score >= 60]
        if near:
            return f"did you mean {', '.join(near)}? Or add the {kind} first"
    sample = ", ".join(sorted(known)[:8]) + (" ..." if len(known) > 8 else "")
    return f"use a known {kind} id ({sample or 'none yet'})"
