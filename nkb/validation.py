"""Validating the KB: reading each file into facts on its own, then the checks across files.

Every problem is collected (file, line, what, how to fix), never only the first; the facts of one
file are plain data, so the compiled cache (nkb/cache.py) can keep them per file.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from nkb import dates
from nkb.errors import Problem
from nkb.mismatch import Mismatch, find_mismatches
from nkb.models import Actor, Event, Quote, Source, Topic
from nkb.text import natural_key, normalise_for_match, plural, where_quote_stops
from nkb.yamlfile import LineIndex, YamlProblem, parse_yaml, read_text

ACTORS_FILE = "actors.yaml"
EVENTS_FILE = "events.yaml"
SOURCES_DIR = "sources"
TOPICS_FILE = "topics.yaml"

R = TypeVar("R", bound=msgspec.Struct)
_DATA_MODEL_HINT = "see docs/data-model.md for the field's type"

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
    # a record that cannot be read: its quotes' (index in the file, id, speaker), so that an
    # unknown speaker is reported in the same run as the record's own problem
    unread_quotes: list[tuple[int, str, str]] = []


def _issue(problem: Problem) -> Issue:
    return (str(problem.file), problem.line, problem.message, problem.hint)


def to_problem(issue: Issue) -> Problem:
    """A problem kept as plain data (an Issue) as the Problem it was."""
    return Problem(Path(issue[0]), issue[1], issue[2], issue[3])


def is_ignored(name: str) -> bool:
    """A name in sources/ that nkb never reads: hidden files (an editor's lock `.#001.yaml`,
    swap file `.001.yaml.swp`, nkb's own temporary `.001.txt.*.tmp`), an autosave `#001.yaml#`
    and a backup `001.yaml~`."""
    return name.startswith((".", "#")) or name.endswith("~")


@dataclass(frozen=True)
class SourceListing:
    """What sources/ holds, by the names nkb gives meaning to: records (`*.yaml`), texts
    (`NNN.txt`), and strays (anything else not ignored), each sorted; `error` when the folder
    exists but cannot be listed."""

    records: list[str]
    texts: list[str]
    strays: list[str]
    error: str | None = None


def list_sources(root: Path) -> SourceListing:
    """sources/ as nkb reads it (empty if there is no sources folder)."""
    try:
        with os.scandir(root / SOURCES_DIR) as entries:
            names = sorted(e.name for e in entries if not is_ignored(e.name))
    except FileNotFoundError:
        return SourceListing([], [], [])
    except OSError as exc:
        return SourceListing([], [], [], exc.strerror or str(exc))
    records = [n for n in names if n.endswith(".yaml")]
    # a text is NNN.txt (ASCII digits); `①②③.txt` or `٩٩٩.txt` is a stray, never a number
    texts = [n for n in names if n.endswith(".txt") and numbered_stem(n) is not None]
    taken = {*records, *texts}
    strays = [n for n in names if n not in taken]
    return SourceListing(records, texts, strays)


def list_source_files(root: Path) -> list[Path]:
    """The source records of a KB, in id order: every `*.yaml` in sources/ that is not ignored,
    whatever it is (a dangling link or a folder is reported when it is read)."""
    folder = root / SOURCES_DIR
    return [folder / name for name in list_sources(root).records]


# A source id is ASCII digits, and its number is what it means: 003 and 0003 are one source.
_NUMBERED = re.compile(r"([0-9]+)\.(?:yaml|txt)")


def numbered_stem(name: str) -> int | None:
    """The number of a source file named NNN.yaml or NNN.txt (ASCII digits), else None."""
    match = _NUMBERED.fullmatch(name)
    return int(match.group(1)) if match else None


class _Loader:
    """Reading one KB file: collects problems instead of stopping at the first."""

    def __init__(self, root: Path, spans: dict[str, dates.Span] | None = None) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.texts: dict[Path, str] = {}
        # dates already parsed, shared across files so each distinct date is parsed once
        self.spans: dict[str, dates.Span] = {} if spans is None else spans
        self.used: dict[str, SpanPair] = {}
        self.lines: dict[Path, LineIndex] = {}  # each file's nodes, parsed once for all its lines
        self.proposed: set[Any] = set()  # new actors a source record that cannot be read names

    def line(self, file: Path, where: tuple[str | int, ...], key: bool = False) -> int | None:
        """The line of `where` in a file already read, or None."""
        index = self.lines.get(file)
        if index is None:
            text = self.texts.get(file)
            if text is None:
                return None
            index = self.lines[file] = LineIndex(text)
        return index.line(where, key)

    def problem(
        self, file: Path, where: tuple[str | int, ...], message: str, hint: str, key: bool = False
    ) -> None:
        self.problems.append(self.make_problem(file, where, message, hint, key))

    def make_problem(self, file: Path, where: tuple[str | int, ...], message: str, hint: str,
                     key: bool = False) -> Problem:
        if file not in self.texts and file.is_file():
            # a cross-file problem in a file this load took from the cache: read it for the line
            with contextlib.suppress(YamlProblem):
                self.texts[file] = read_text(file, self.root)
        return Problem(file, self.line(file, where, key), message, hint)

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
            text = read_text(path, self.root)
            self.texts[path] = text
            return parse_yaml(path, text)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return None

    def convert(self, raw: Any, kind: type[R], file: Path, where: tuple[str | int, ...]) -> R | None:
        """The record, or every way it does not fit reported; then, to check the rest of it,
        the record without the optional fields that do not fit (None if a required one is
        wrong). A KB with problems is never used, so such a record only lets checks go on."""
        try:
            return msgspec.convert(raw, type=kind, strict=True)
        except msgspec.ValidationError as exc:
            found = find_mismatches(raw, kind) or [Mismatch((), str(exc), _DATA_MODEL_HINT)]
            for mismatch in found:
                self.problem(file, where + mismatch.path,
                             f"{kind.__name__.lower()}: {mismatch.message}", mismatch.hint,
                             key=mismatch.at_key)
            return _without_misfits(raw, kind, found)

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
                line = self.line(file, (first[ident],))
                self.problem(file, (index, "id"), f"duplicate {kind} id {ident!r} (first at line {line})",
                             f"give each {kind} its own id")
                continue
            out.append((index, record))
            first[ident] = index
        return out

    def load_source(self, file: Path) -> tuple[Source | None, list[Quote], list[int]]:
        """The source record, its quotes that fit (each pointing at it), and where each is in
        the file's list. Quotes are read even when the record itself cannot be, so that one
        run reports their problems too."""
        raw = self.read(file)
        if raw is None:
            # None from a file that read and parsed: it holds nothing (a YAML error is reported)
            if file in self.texts and not any(p.file == file for p in self.problems):
                self.problem(file, (), "file is empty", "write the source record (id, title, ...)")
            return None, [], []
        if not isinstance(raw, dict):
            self.problem(file, (), "expected a mapping (id: ..., title: ...)",
                         "write the source record as key: value lines")
            return None, [], []
        raw_quotes = raw.get("quotes") or []
        if not isinstance(raw_quotes, list):
            self.problem(file, ("quotes",), "quotes: expected a list", "start each quote with '- id:'")
            raw_quotes = []
        source = self.convert({**raw, "quotes": []}, Source, file, ())
        source_id = source.id if source is not None else str(raw.get("id", file.stem))
        quotes, kept = [], []
        for i, item in enumerate(raw_quotes):
            if isinstance(item, dict) and "source" in item:
                self.problem(file, ("quotes", i, "source"), "quote: unknown field `source`",
                             "remove it: a quote belongs to the source file it is in", key=True)
                continue
            quote = self.convert(item, Quote, file, ("quotes", i))
            if quote is not None:
                quotes.append(msgspec.structs.replace(quote, source=source_id))
                kept.append(i)
        if source is None:
            # a draft's proposed actors are speakers too, though the record cannot say so now
            self.proposed = {a.get("id") for a in raw.get("new_actors") or []
                             if isinstance(a, dict)}
            return None, quotes, kept
        return msgspec.structs.replace(source, quotes=quotes), quotes, kept

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


def _quote_checks(loader: _Loader, file: Path, quotes: list[Quote], kept: list[int]
                  ) -> tuple[Issue | None, list[Issue | None], list[Issue | None]]:
    """A source's quotes checked on their own: the article's text read (or why it cannot
    be), then each quote's date and whether its words are in the article (if not, where they
    stop matching)."""
    text_path = file.with_suffix(".txt")
    text_problem, article = None, None
    try:
        article = normalise_for_match(read_text(text_path, loader.root))
    except YamlProblem as exc:
        missing = exc.problem.message.startswith("cannot read")
        text_problem = (str(exc.problem.file), exc.problem.line, exc.problem.message,
                        f"keep the article's verbatim text in {text_path.name} beside {file.name}"
                        if missing else exc.problem.hint)
    quote_dates, quote_texts = [], []
    for i, quote in enumerate(quotes):
        where: tuple[str | int, ...] = ("quotes", kept[i])
        quote_dates.append(loader.date_issue(quote.date, file, (*where, "date")))
        found = article is None or normalise_for_match(quote.text) in article
        quote_texts.append(None if found or article is None else loader.issue(
            file, (*where, "text"), f"quote {quote.id!r}: text not found in {text_path.name}: "
            f"{where_quote_stops(article, quote.text)}",
            "copy the words exactly as the article prints them "
            "(white space and quote-mark style may differ)"))
    return text_problem, quote_dates, quote_texts


def _without_misfits(raw: Any, kind: type[R], found: list[Mismatch]) -> R | None:
    if not isinstance(raw, dict) or any(not m.path for m in found):
        return None  # not a mapping, or a required field missing
    required = {f.encode_name for f in msgspec.structs.fields(kind) if f.required}
    misfits = {m.path[0] for m in found}
    if misfits & required:
        return None
    try:
        return msgspec.convert({k: v for k, v in raw.items() if k not in misfits}, type=kind,
                               strict=True)
    except msgspec.ValidationError:
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
    source, quotes, kept = loader.load_source(file)
    problems = loader.take()
    text_problem, quote_dates, quote_texts = _quote_checks(loader, file, quotes, kept)
    if source is None:  # what can be said of its quotes is said all the same
        problems += [i for i in (*quote_dates, *quote_texts) if i is not None]
        if text_problem and quotes:
            problems.append(text_problem)
        return SourceFacts(problems, None, [], None, None, [], [], None, [], {},
                           [(i, q.id, q.speaker) for q, i in zip(quotes, kept, strict=True)
                            if q.speaker not in loader.proposed])
    stem = None
    if file.stem != source.id:
        stem = loader.issue(file, ("id",), f"source id {source.id!r} does not match file name "
                            f"{file.name}", f"rename the file to {source.id}.yaml or fix the id")
    date_problem = loader.date_issue(source.date, file, ("date",))
    notes = []
    if source.status == "curated":
        problems.extend(loader.issue(file, where, f"curated source {source.id}: {message}", hint)
                        for where, message, hint in unfinished(source))
    if source.status == "draft":
        for where, message, hint in draft_lacks(source):
            notes.append((str(file), loader.line(file, where),
                          f"draft {source.id}: {message}", hint))
    return SourceFacts(problems, source, kept, stem, text_problem, quote_dates, quote_texts,
                       date_problem, notes, loader.used)


@dataclass
class Merged:
    """The whole KB after the checks across files: records by id and in date order, every
    date's span, what drafts still lack, and every problem found (in one stable order)."""

    problems: list[Problem]
    actors: dict[str, Actor]
    sources: dict[str, Source]
    events: list[Event]  # date order
    quotes: list[Quote]  # date order
    spans: dict[str, dates.Span]
    notes: list[Problem]  # what drafts still lack


def merge(root: Path, actors_in: ActorFacts, events_in: EventFacts,
          sources_in: list[tuple[Path, SourceFacts]]) -> Merged:
    """The whole-KB checks over every file's facts: references, duplicate ids, date order.

    Problems come out in one stable order: actors.yaml, events.yaml, each source file, then each
    source's quotes, actors' roles, events' references, source dates."""
    loader = _Loader(root)
    problems: list[Problem] = []
    add = problems.append

    def cross(file: Path, where: tuple[str | int, ...], message: str, hint: str) -> None:
        add(loader.make_problem(file, where, message, hint))

    actors_file, events_file = root / ACTORS_FILE, root / EVENTS_FILE
    problems += map(to_problem, actors_in.problems)
    problems += map(to_problem, events_in.problems)
    actors = {a.id: a for a in actors_in.actors}
    vocabulary, topic_problems = read_topics(root)
    problems += topic_problems
    listing = list_sources(root)
    if listing.error is not None:
        add(Problem(root / SOURCES_DIR, None, f"cannot read the sources folder: {listing.error}",
                    "make it readable (e.g. chmod u+rx)"))
    elif not (root / SOURCES_DIR).is_dir():
        add(Problem(root / SOURCES_DIR, None, "sources folder is missing",
                    "create it; each article is NNN.yaml plus NNN.txt"))
    hints: dict[tuple[str, str | None], str] = {}

    def hint(kind: str, known: Mapping[str, Any], typed: str | None = None) -> str:
        # a renamed actor quoted thousands of times: one search for near names, not thousands
        if (kind, typed) not in hints:
            hints[kind, typed] = _known_hint(kind, known, typed)
        return hints[kind, typed]
    sources: dict[str, Source] = {}
    source_file: dict[str, Path] = {}
    by_number: dict[int, str] = {}
    kept: list[tuple[Path, SourceFacts, Source]] = []
    # A reference into a file that could not be read is not judged: its own problem is
    # reported, and calling every reference to it "unknown" would bury that one line.
    actors_unread = not actors_in.actors and bool(actors_in.problems)
    unread_sources = {file.stem for file, facts in sources_in if facts.source is None}
    for file, facts in sources_in:
        problems += map(to_problem, facts.problems)
        source = facts.source
        if source is None:
            for index, quote_id, speaker in facts.unread_quotes:
                if speaker not in actors and not actors_unread:
                    cross(file, ("quotes", index, "speaker"),
                          f"quote {quote_id!r}: unknown speaker {speaker!r}",
                          hint("actor", actors, speaker))
            continue
        if source.id in sources:
            cross(file, ("id",), f"duplicate source id {source.id!r} "
                  f"(also in {source_file[source.id].name})", "give each source its own id")
            continue
        same = by_number.setdefault(int(source.id), source.id)
        if same != source.id:
            cross(file, ("id",), f"source id {source.id!r} is the number of source {same} "
                  f"({source_file[same].name}) written another way: `nkb source "
                  f"{int(source.id)}` could mean either", "give it another number")
            continue
        if facts.stem:
            add(to_problem(facts.stem))
        sources[source.id] = source
        source_file[source.id] = file
        kept.append((file, facts, source))
    quotes: list[Quote] = []
    seen: dict[str, str] = {}
    for file, facts, source in kept:
        if facts.text_problem:
            add(to_problem(facts.text_problem))
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
                add(to_problem(date_issue))
            if quote.speaker not in actors and quote.speaker not in proposed \
                    and not actors_unread:
                cross(file, (*where, "speaker"),
                      f"quote {quote.id!r}: unknown speaker {quote.speaker!r}",
                      hint("actor", actors, quote.speaker))
            if text_issue:
                add(to_problem(text_issue))
            for t, topic in enumerate(quote.topics):
                if vocabulary and topic not in vocabulary:
                    cross(file, (*where, "topics", t), f"quote {quote.id!r}: unknown topic "
                          f"{topic!r}", topic_hint(vocabulary, topic))
            quotes.append(quote)
    for a, actor in enumerate(actors_in.actors):
        where = (actors_in.where[a],)
        for r, role in enumerate(actor.roles):
            role_date = actors_in.role_dates[a][r]
            if role_date:
                add(to_problem(role_date))
            for s, source_id in enumerate(role.sources):
                if source_id not in sources and source_id not in unread_sources:
                    cross(actors_file, (*where, "roles", r, "sources", s),
                          f"actor {actor.id!r}: unknown source {source_id!r}",
                          hint("source", sources))
        if not actors_unread:
            for path, message, fix in membership_problems(actor, actors):
                cross(actors_file, (*where, *path), message, fix)
    for e, event in enumerate(events_in.events):
        where = (events_in.where[e],)
        for issue in (events_in.dates[e], events_in.no_sources[e]):
            if issue:
                add(to_problem(issue))
        for i, source_id in enumerate(event.sources):
            if source_id not in sources and source_id not in unread_sources:
                cross(events_file, (*where, "sources", i),
                      f"event {event.id!r}: unknown source {source_id!r}",
                      hint("source", sources))
        for i, actor_id in enumerate(event.actors):
            if actor_id not in actors and not actors_unread:
                cross(events_file, (*where, "actors", i),
                      f"event {event.id!r}: unknown actor {actor_id!r}",
                      hint("actor", actors, actor_id))
    for _, facts, _ in kept:
        if facts.date_problem:
            add(to_problem(facts.date_problem))
    notes = [to_problem(n) for _, facts, _ in kept for n in facts.notes]
    notes += stray_notes(root, listing)
    spans = _all_spans(actors_in, events_in, sources_in)
    ordered_events = sorted(events_in.events, key=lambda e: sort_key(spans, e.date, e.id))
    ordered_quotes = sorted(quotes, key=lambda q: sort_key(spans, q.date, q.id))
    return Merged(problems, actors, sources, ordered_events, ordered_quotes, spans, notes)


def membership_problems(actor: Actor, actors: Mapping[str, Actor]
                        ) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(where, problem, fix) for each membership that names no organisation of the KB or does
    not rest on a role the actor holds: its title, dates and sources must be that role's."""
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    for m, membership in enumerate(actor.member_of):
        at: tuple[str | int, ...] = ("member_of", m)
        organisation = actors.get(membership.organisation)
        if organisation is None:
            out.append(((*at, "organisation"), f"actor {actor.id!r}: member of unknown actor "
                        f"{membership.organisation!r}", _known_hint("actor", actors,
                                                                    membership.organisation)))
        elif organisation.kind != "organisation":
            out.append(((*at, "organisation"), f"actor {actor.id!r}: member of "
                        f"{membership.organisation!r}, which is a {organisation.kind}, not an "
                        "organisation", "name an actor of kind organisation"))
        roles = [r for r in actor.roles if r.title == membership.title]
        if not roles:
            out.append(((*at, "title"), f"actor {actor.id!r}: membership rests on no role "
                        f"{membership.title!r}", "copy the title of one of the actor's roles"))
            continue
        role_dates = {r.date for r in roles}
        role_sources = {s for r in roles for s in r.sources}
        for d, date in enumerate(membership.dates):
            if date not in role_dates:
                out.append(((*at, "dates", d), f"actor {actor.id!r}: membership date {date!r} "
                            f"is not a date of the role {membership.title!r}",
                            "use the dates the role gives (the articles' dates)"))
        for s, source_id in enumerate(membership.sources):
            if source_id not in role_sources:
                out.append(((*at, "sources", s), f"actor {actor.id!r}: membership source "
                            f"{source_id!r} gives no role {membership.title!r}",
                            "cite the sources the role cites"))
    return out


def read_topics(root: Path) -> tuple[dict[str, Topic], list[Problem]]:
    """The topic vocabulary (topics.yaml) by id, and the file's problems; a KB without the file
    keeps no vocabulary (empty), and its quotes' topics are then not checked."""
    file = root / TOPICS_FILE
    if not file.exists():
        return {}, []
    loader = _Loader(root)
    kept = loader.unique(loader.records(file, Topic), file, "topic")
    return {t.id: t for _, t in kept}, loader.problems


def topic_hint(vocabulary: Mapping[str, Topic], typed: str) -> str:
    """The nearest topics to a typed one, or how to add it."""
    from rapidfuzz import process  # deferred: only needed when a topic is wrong

    near = [m for m, score, _ in process.extract(typed, list(vocabulary), limit=3) if score >= 60]
    add = f"add it to {TOPICS_FILE} with a one-line description"
    return f"did you mean {', '.join(near)}? Or {add}" if near else f"use a topic of {TOPICS_FILE}, or {add}"


def _all_spans(actors_in: ActorFacts, events_in: EventFacts,
               sources_in: list[tuple[Path, SourceFacts]]) -> dict[str, dates.Span]:
    pairs = {**actors_in.spans, **events_in.spans}
    for _, facts in sources_in:
        pairs.update(facts.spans)
    return {text: dates.Span(*pair) for text, pair in pairs.items()}

def sort_key(spans: Mapping[str, dates.Span], edtf: str, ident: str) -> tuple[str, str, str]:
    """Date order: by first day, then last day, then id; undated records last."""
    span = spans.get(edtf)
    if span is None:
        return (dates.LATEST, dates.LATEST, natural_key(ident))
    return (span.anchor, span.end, natural_key(ident))



TODO_MARK = "TODO"  # how `nkb add` marks a field the curator must still write
_REVIEW_HINT = "review it with `nkb review {id}` (or delete the field once checked)"
Unfinished = tuple[tuple[str | int, ...], str, str]  # where in the record, what, how to fix


def _todo(value: str | None) -> bool:
    return value is not None and value.lstrip().startswith(TODO_MARK)


def unfinished(source: Source) -> list[Unfinished]:
    """Everything in a source that a curator has not finished: placeholders, hints, proposed
    actors and the draft-only proposal fields; empty when it can stand as curated."""
    found: list[Unfinished] = []
    for name in ("title", "outlet", "via", "dateline", "date_basis", "headline"):
        if _todo(getattr(source, name)):
            found.append(((name,), f"{name} is still a placeholder ({getattr(source, name)!r})",
                          f"write the {name.replace('_', ' ')}"))
    if source.proposals:
        found.append((("proposals",), f"unreviewed proposals for {', '.join(source.proposals)}",
                      _REVIEW_HINT.format(id=source.id)))
    for i, actor in enumerate(source.new_actors):
        found.append((("new_actors", i), f"proposed actor {actor.id!r} ({actor.name}) not "
                      "confirmed", "add it to actors.yaml or point its quotes at a known "
                      f"actor (`nkb review {source.id}` does either)"))
    if source.hints:
        found.append((("hints",), f"{plural(len(source.hints), 'hint')} not reviewed",
                      "link each happening to an event (or draft one), then delete hints"))
    for i, quote in enumerate(source.quotes):
        found.extend(((("quotes", i, *where), f"quote {quote.id!r}: {what}", fix)
                      for where, what, fix in _unfinished_quote(quote, source.id)))
    return found


def _unfinished_quote(quote: Quote, source_id: str) -> list[Unfinished]:
    found: list[Unfinished] = []
    if _todo(quote.text):
        found.append((("text",), "text is still a placeholder", "copy the quote's words"))
    if quote.speaker_name is not None:
        found.append((("speaker_name",), f"speaker not confirmed ({quote.speaker_name})",
                      "set speaker to a known actor id and delete speaker_name"))
    if _todo(quote.date_basis):
        found.append((("date_basis",), "date not confirmed (inferred, no basis written)",
                      "check when it was said and write the basis"))
    review = _REVIEW_HINT.format(id=source_id)
    for name in ("strength", "basis"):
        if getattr(quote, name) is not None:
            found.append(((name,), f"unreviewed proposal ({name}: {getattr(quote, name)})", review))
    for name in ("alternatives", "proposals"):
        if getattr(quote, name):
            found.append(((name,), f"unreviewed proposal ({name})", review))
    return found


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
        lacks.append((("hints",), f"{plural(len(source.hints), 'hint')} to review",
                      "turn the ones that are happenings into events, then delete hints"))
    lacks.append((("status",), "status is draft", "when done, set status: curated"))
    return lacks


def stray_notes(root: Path, listing: SourceListing) -> list[Problem]:
    """What sources/ holds that is no source: a text without its record (one put there by hand)
    and names nkb neither reads nor ignores."""
    folder, records = root / SOURCES_DIR, set(listing.records)
    out = [Problem(folder / name, None, f"text without a record: {name[:-4]}.yaml is missing, "
                   "so nkb ignores this text", f"delete {name}, or write its record "
                   f"{name[:-4]}.yaml (nkb add writes both)")
           for name in listing.texts if f"{name[:-4]}.yaml" not in records]
    out += [Problem(folder / name, None, "not a source file: nkb reads only NNN.yaml records and "
                    "their NNN.txt texts here, and ignores hidden files, #autosaves# and "
                    "backups~", "move it out of sources/, or name it as a source")
            for name in listing.strays]
    return sorted(out, key=lambda p: str(p.file))


def _known_hint(kind: str, known: Mapping[str, Any], typed: str | None = None) -> str:
    if typed:
        from rapidfuzz import process  # deferred: only needed when a reference is wrong

        near = [m for m, score, _ in process.extract(typed, list(known), limit=3) if score >= 60]
        if near:
            return f"did you mean {', '.join(near)}? Or add the {kind} first"
    sample = ", ".join(sorted(known)[:8]) + (" ..." if len(known) > 8 else "")
    return f"use a known {kind} id ({sample or 'none yet'})"
