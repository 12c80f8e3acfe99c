"""`nkb mcp`: the KB as a read-only Model Context Protocol server over stdio, so an assistant
answers from the KB's verbatim records, with the ids to cite, instead of from memory.

Every tool returns the rows `--format json` prints, under a key naming what they are, with
`notices`: what a name was taken to mean, how many more there are, that a record is a draft.
A broken KB, an unknown id or an ambiguous name is a tool error saying what to do, never a guess.
The MCP SDK is imported here only, so no other command pays for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from nkb import __version__, names, render, search, store, views
from nkb import cite as citing
from nkb.dates import RangeError, Span, parse_query_range
from nkb.errors import Ambiguous, KBError, NkbError, UsageError
from nkb.index import KB
from nkb.models import Actor, ActorKind
from nkb.render import CiteFormat
from nkb.rows import (
    actor_detail,
    actor_row,
    event_row,
    hit_row,
    member_quote_rows,
    source_detail,
    source_row,
    topic_row,
    with_matches,
    with_ranges,
)
from nkb.validation import ACTORS_FILE, EVENTS_FILE, SOURCES_DIR

Row = dict[str, Any]
QuoteKind = Literal["direct", "paraphrase"]
SearchKind = Literal["quote", "event", "actor", "source", "direct", "paraphrase"]
CiteFormatName = Literal["text", "csl-json", "bibtex", "ris"]
LIST_LIMIT = 50  # rows a listing returns unless asked: enough to answer, small enough to read
SEARCH_LIMIT = 20  # as `nkb search`
REMEMBERED_NAMES = 1024  # typed names whose resolution is kept until the KB changes
SCAN_EVERY_CALL = 0.005  # seconds: a full stat scan this cheap runs at every call
SCAN_SHARE = 10  # a dearer one takes at most 1/SCAN_SHARE of the time

GUIDE = (
    "Every result is verbatim from nkb's knowledge base of news articles on Russia's mediation "
    "between Armenia and Azerbaijan: answer only from it, and say so when it holds nothing. "
    "Cite each quote by its id, outlet and date (e.g. 'quote 003-4, TASS, 2023-05-12'; the cite "
    "tool gives a full reference). A quote whose kind is 'paraphrase' is the article's report of "
    "what was said, not the speaker's words: never put it in quotation marks. Dates are EDTF and "
    "as precise as the article allows ('2023-05' is a month, '~' approximate, '?' uncertain). "
    "Repeat what `notices` say: a name that was guessed says which actor was taken."
)


# --- the KB, loaded once and reloaded when a file changes -------------------------------------


class Library:
    """The KB a server answers from: loaded through the compiled cache once, and again when
    any of its files changes; a KB that does not load is remembered as its problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._kb: KB | None = None
        self._error: NkbError | None = None
        self._seen: object = None
        self._quick: object = None
        self._next_full = 0.0
        self._actors: dict[str, names.Resolved[Actor] | NkbError] = {}

    def kb(self) -> KB:
        """The KB as its files are now; raises KBError naming file and line if it is broken."""
        quick = self._quick_state()
        if quick != self._quick or time.monotonic() >= self._next_full:
            self._quick = quick
            self._rescan()
        if self._error is not None:
            raise self._error
        assert self._kb is not None
        return self._kb

    def _quick_state(self) -> tuple[tuple[int, int, int, int], ...]:
        """What three stats tell at once: an added, removed or replaced file (editors and nkb
        save by replacing), or an edit of actors.yaml or events.yaml."""
        out = []
        for name in (ACTORS_FILE, EVENTS_FILE, SOURCES_DIR):
            try:
                st = os.stat(self.root / name)
                out.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            except OSError:
                out.append((-1, 0, 0, 0))
        return tuple(out)

    def _rescan(self) -> None:
        # A small KB is scanned at every call, so an edit in place is seen at the next call. A
        # large KB's scan (~0.1 s at 20,000 files) is throttled to a bounded share of the time:
        # an edit in place of a source file is then seen within SCAN_SHARE scans' time.
        started = time.monotonic()
        stats = store.file_stats(self.root)
        cost = time.monotonic() - started
        if self._seen is None:  # the first scan's time includes importing the cache's code
            cost = 0.0
        self._next_full = started if cost <= SCAN_EVERY_CALL else started + cost * SCAN_SHARE
        if stats == self._seen:
            return
        self._seen = stats
        try:
            kb, problems = store.load_kb(self.root)
        except NkbError as exc:
            self._kb, self._error = None, exc
            return
        if problems or kb is None:
            self._kb, self._error = None, KBError(problems)
        else:
            self._kb, self._error = kb, None
        self._actors = {}

    def actor(self, kb: KB, typed: str) -> names.Resolved[Actor]:
        """What a typed name means in the current KB, as `names.resolve_actor` says; remembered
        until the KB changes, since an assistant asks about the same few people again and again."""
        found = self._actors.get(typed)
        if found is None:
            try:
                found = names.resolve_actor(kb, typed)
            except NkbError as exc:
                found = exc
            if len(self._actors) >= REMEMBERED_NAMES:
                self._actors.clear()
            self._actors[typed] = found
        if isinstance(found, NkbError):
            raise found
        return found


# --- the tools: plain functions of the library ------------------------------------------------


def search_tool(lib: Library, text: str, kind: str | None = None, limit: int = SEARCH_LIMIT,
                exact: bool = False, drafts: bool = False, topic: str | None = None) -> Row:
    """Word search over quotes, events, actors and sources, best first (`nkb search`)."""
    kb = lib.kb()
    _check_limit(limit)
    quote_kinds = {kind} & {"direct", "paraphrase"} if kind else set()
    records = {"quote"} if quote_kinds else ({kind} if kind else set())
    notices: list[str] = []
    topics = resolve_topic(kb, topic, notices)
    if topics and records - {"quote"}:
        raise UsageError("topic: topics tag quotes only; give kind quote, direct or paraphrase, "
                         "or leave out kind")
    words = search.read_words(kb, text, exact)
    hits = search.search_on_topics(kb, words, topics, quote_kinds, limit or None, drafts) \
        if topics else search.search_all(kb, words, records, quote_kinds, limit or None, drafts)
    rows = [hit_row(kb, h) for h in hits.shown]
    notices += words.notices() + _limited(len(rows), hits.total) + _drafts_notice(rows, drafts)
    if not rows:
        notices.append(f"nothing matches {text!r}")
    return {"hits": rows, "total": hits.total, "notices": notices}


def list_quotes(lib: Library, speaker: str | None = None, since: str | None = None,
                until: str | None = None, kind: str | None = None, source: str | None = None,
                mentions: str | None = None, limit: int = LIST_LIMIT, members: bool = False,
                every_holder: bool = False, topic: str | None = None, text: str | None = None,
                exact: bool = False, within: bool = False, outlet: str | None = None,
                drafts: bool = False, sort: str | None = None, reverse: bool = False) -> Row:
    """Quotes in date order (`nkb quotes`), curated sources only unless `drafts`."""
    kb = lib.kb()
    _check_limit(limit)
    first, last = date_range(since, until)
    notices: list[str] = []
    if every_holder and speaker is not None:
        speakers, said = names.resolve_all_holders(kb, [speaker])
        notices += said
    else:
        speakers = resolve_actors(lib, kb, speaker, notices)
    words = read_words(kb, text, exact, notices)
    wanted = search.QuoteFilter(
        speakers=speakers, mentions=resolve_actors(lib, kb, mentions, notices), words=words,
        since=first, until=last, sources=source_ids(kb, source),
        outlets=resolve_outlet(kb, outlet, drafts, notices), kinds=(kind,) if kind else (),
        members=members, topics=resolve_topic(kb, topic, notices), drafts=drafts, within=within)
    found = ordered(kb, "quote", search.find_quotes(kb, wanted), sort, reverse)
    shown = found[:limit] if limit else found
    notices += _limited(len(shown), len(found))
    if not found and len(speakers) == 1:
        notices.append(search.no_quotes_message(kb, speakers[0], drafts))
    rows = with_matches(member_quote_rows(kb, shown, speakers if members else ()),
                               search.match_marks(kb, words, "quote", drafts))
    rows = with_ranges(rows, search.range_marks(kb, shown, first, last))
    return {"quotes": rows, "total": len(found),
            "notices": notices + _possible_notice(rows) + _drafts_notice(rows, drafts)}


def list_events(lib: Library, since: str | None = None, until: str | None = None,
                actor: str | None = None, place: str | None = None, source: str | None = None,
                limit: int = LIST_LIMIT, text: str | None = None, exact: bool = False,
                within: bool = False, drafts: bool = False, sort: str | None = None,
                reverse: bool = False) -> Row:
    """Events in date order (`nkb events`), curated sources only unless `drafts`."""
    kb = lib.kb()
    _check_limit(limit)
    first, last = date_range(since, until)
    notices: list[str] = []
    places: tuple[str, ...] = ()
    if place is not None:
        taken = names.resolve_place(kb.events, place)
        places = (taken.value,)
        notices += [taken.notice] if taken.notice else []
    words = read_words(kb, text, exact, notices)
    wanted = search.EventFilter(since=first, until=last,
                                actors=resolve_actors(lib, kb, actor, notices), places=places,
                                sources=source_ids(kb, source), words=words, drafts=drafts,
                                within=within)
    found = ordered(kb, "event", search.find_events(kb, wanted), sort, reverse)
    shown = found[:limit] if limit else found
    notices += _limited(len(shown), len(found))
    rows = with_matches([event_row(kb, e, drafts) for e in shown],
                               search.match_marks(kb, words, "event", drafts))
    rows = with_ranges(rows, search.range_marks(kb, shown, first, last))
    return {"events": rows, "total": len(found), "notices": notices + _possible_notice(rows)}


def list_sources(lib: Library, drafts: bool = False, sort: str | None = None,
                 reverse: bool = False, limit: int = LIST_LIMIT) -> Row:
    """Sources (articles) in date order (`nkb sources`), curated only unless `drafts`."""
    kb = lib.kb()
    _check_limit(limit)
    found = ordered(kb, "source", search.find_sources(kb, drafts), sort, reverse)
    shown = found[:limit] if limit else found
    rows = [source_row(s) for s in shown]
    return {"sources": rows, "total": len(found),
            "notices": _limited(len(shown), len(found)) + _drafts_notice(rows, drafts)}


def list_actors(lib: Library, kind: str | None = None, sort: str | None = None,
                reverse: bool = False, limit: int = LIST_LIMIT) -> Row:
    """Actors: people by surname, organisations and states by name (`nkb actors`)."""
    kb = lib.kb()
    _check_limit(limit)
    found = ordered(kb, "actor", search.find_actors(kb, (kind,) if kind else ()), sort, reverse)
    shown = found[:limit] if limit else found
    return {"actors": [actor_row(a) for a in shown], "total": len(found),
            "notices": _limited(len(shown), len(found))}


def timeline_tool(lib: Library, since: str | None = None, until: str | None = None,
                  within: bool = False, actor: str | None = None, source: str | None = None,
                  events_only: bool = False, kind: str | None = None, topic: str | None = None,
                  drafts: bool = False) -> Row:
    """Events and quotes by year and month (`nkb timeline --format json`)."""
    from nkb import timeline as tl

    kb = lib.kb()
    first, last = date_range(since, until)
    notices: list[str] = []
    built = tl.build(kb, tl.TimelineFilter(
        since=first, until=last, actors=resolve_actors(lib, kb, actor, notices),
        sources=source_ids(kb, source), events_only=events_only, kinds=(kind,) if kind else (),
        drafts=drafts, within=within, topics=resolve_topic(kb, topic, notices)))
    if not built.sections:
        notices.append("no events or quotes match these filters")
    return {"timeline": tl.to_data(built), "notices": notices}


def topics_tool(lib: Library, drafts: bool = False) -> Row:
    """The topic vocabulary with how many quotes carry each topic (`nkb topics`)."""
    kb = lib.kb()
    return {"topics": [topic_row(t) for t in search.topic_uses(kb, drafts)],
            "notices": []}


def get_source(lib: Library, id: str) -> Row:
    """One article whole (`nkb source ID`): metadata, text, quotes, events."""
    kb = lib.kb()
    detail = source_detail(kb, views.find_source(kb, id))
    return {"source": detail, "notices": _draft_notice(detail["id"], detail["status"])}


def get_quote(lib: Library, id: str) -> Row:
    """One quote whole (`nkb quote ID`), with the passage of the article around it."""
    kb = lib.kb()
    shown = views.quote_detail(kb, views.find_quote(kb, id))
    return {"quote": shown, "notices": _draft_notice(shown["source"], shown["status"])}


def get_event(lib: Library, id: str) -> Row:
    """One event whole (`nkb event ID`), with every source reporting it."""
    kb = lib.kb()
    return {"event": views.event_detail(kb, views.find_event(kb, id)), "notices": []}


def get_actor(lib: Library, name: str, kind: str | None = None, drafts: bool = False) -> Row:
    """One actor's profile (`nkb actor NAME`)."""
    kb = lib.kb()
    notices: list[str] = []
    found = resolve_actors(lib, kb, name, notices)[0]
    profile = actor_detail(kb, found, (kind,) if kind else (), drafts)
    return {"actor": profile, "notices": notices + _drafts_notice(profile["quotes"], drafts)}


def cite_tool(lib: Library, ids: list[str], format: str = "text", drafts: bool = False) -> Row:
    """References to sources and quotes, one file of one format (`nkb cite ID... -f F`)."""
    kb = lib.kb()
    try:
        fmt = CiteFormat(format)
    except ValueError:
        raise UsageError(f"format {format!r}: use text, csl-json, bibtex or ris") from None
    if not ids:
        raise UsageError("ids: give at least one source id (003) or quote id (003-4)")
    refs = citing.find_all(kb, list(ids), drafts)
    notices = ["a reference marked DRAFT is from a draft source, not yet curated; say so if "
               "you use it"] if any(r.draft for r in refs) else []
    return {"ids": [r.quote.id if r.quote else r.source_id for r in refs], "format": fmt.value,
            "citation": citing.render(refs, fmt), "notices": notices}


# --- what the tools share: names, ids, dates, limits ------------------------------------------


def resolve_actors(lib: Library, kb: KB, typed: str | None,
                   notices: list[str]) -> tuple[Actor, ...]:
    """The actor a typed name means, as on the command line; a guess is added to `notices`."""
    if typed is None:
        return ()
    found, said = names.resolve_each(lambda t: lib.actor(kb, t), [typed])
    notices += said
    return found


def resolve_topic(kb: KB, typed: str | None, notices: list[str]) -> tuple[str, ...]:
    """The topic a typed name means; a guess is added to `notices`."""
    if typed is None:
        return ()
    found, said = names.resolve_each(lambda t: names.resolve_topic(kb, t), [typed])
    notices += said
    return found


def source_ids(kb: KB, typed: str | None) -> tuple[str, ...]:
    return (kb.source(typed).id,) if typed is not None else ()


def read_words(kb: KB, text: str | None, exact: bool, notices: list[str]) -> search.Words | None:
    """The words typed, read as `nkb search` reads them; what a typo was read as is a notice."""
    if text is None:
        return None
    words = search.read_words(kb, text, exact)
    notices += words.notices()
    return words


def resolve_outlet(kb: KB, typed: str | None, drafts: bool,
                   notices: list[str]) -> tuple[str, ...]:
    """The outlet a typed name means; a guess is added to `notices`."""
    if typed is None:
        return ()
    pool = [s for s in kb.sources.values() if drafts or s.status != "draft"]
    found, said = names.resolve_each(lambda t: names.resolve_outlet(pool, t), [typed])
    notices += said
    return found


def ordered(kb: KB, kind: str, records: list[Any], by: str | None, reverse: bool) -> list[Any]:
    """Records in the order asked for; an unknown sort key is a usage error naming the keys."""
    if by is not None and by not in search.SORTS[kind]:
        raise UsageError(f"sort {by!r}: use {', '.join(search.SORTS[kind])}")
    return search.ordered(kb, kind, records, by, reverse)


def date_range(since: str | None, until: str | None) -> tuple[Span | None, Span | None]:
    """The dates typed, as spans; a malformed or backwards range is a usage error."""
    try:
        return parse_query_range(since, until)
    except RangeError as exc:
        raise UsageError(f"{exc.end}: {exc}" if exc.end else str(exc)) from None


def _check_limit(limit: int) -> None:
    if not 0 <= limit <= search.MAX_LIMIT:
        raise UsageError(f"limit {limit}: give 0 for all, or how many at most (up to "
                         f"{search.MAX_LIMIT})")


def _limited(shown: int, total: int) -> list[str]:
    note = render.limited_note(shown, total, "limit=0")
    return [note] if note else []


def _possible_notice(rows: list[Row]) -> list[str]:
    possible = sum(1 for row in rows if row.get("range") == "possible")
    if not possible:
        return []
    return [f"{possible} row(s) marked range 'possible' have a date that may fall outside the "
            "range asked for (an interval or open end reaching outside it, or ~ or ?): say so, "
            "or call again with within=true to leave them out"]


def _drafts_notice(rows: list[Row], drafts: bool) -> list[str]:
    if not drafts or not any(r.get("status") == "draft" for r in rows):
        return []
    return ["rows whose status is 'draft' come from sources not yet curated: their quotes, "
            "speakers and dates are unconfirmed; say so if you use them"]


def _draft_notice(source_id: str, status: str) -> list[str]:
    if status != "draft":
        return []
    return [f"source {source_id} is a draft, not yet curated: its quotes, speakers and dates "
            "are unconfirmed; say so if you use it"]


def error_text(exc: NkbError) -> str:
    """An error as the assistant reads it: what is wrong, where (file and line), what to do,
    in the tools' and parameters' words."""
    if isinstance(exc, KBError):
        return (f"the KB has {len(exc.problems)} problem(s); they must be fixed in its files "
                "(tell the user), then call again:\n"
                + "\n".join(str(p) for p in exc.problems))
    if isinstance(exc, Ambiguous):
        return for_assistant(f"{exc}:\n" + "".join(f"  {c}\n" for c in exc.candidates)
                             + "give more of the name, or the id; ask the user which one is "
                             "meant" + ("; or, in list_quotes, every_holder=true takes every "
                                        "actor who held the role" if exc.by_role else ""))
    return for_assistant(str(exc))


# What the library says in the command line's words, said in the tools' words: an assistant
# can call tools, not run commands. Most specific first.
TOOL_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), words) for pattern, words in (
        (r"`nkb (source|quote|event) ([^`\s]+)[^`]*`", r"get_\1(id='\2')"),
        (r"`nkb actor ([^`]+)`", r"get_actor(name='\1')"),
        (r"`nkb (quotes|events|sources|actors)\b[^`]*`", r"list_\1"),
        (r"`nkb (topics|search|timeline|cite)\b[^`]*`", r"\1"),
        (r"\(?`nkb check` lists (what it lacks|them)\)?", "the KB's files must be fixed"),
        (r"--(drafts|members|within|exact)\b", r"\1=true"),
        (r"--events-only\b", "events_only=true"),
        (r"--all\b", "every_holder=true"),
        (r"--limit 0\b", "limit=0"),
        (r"--(since|until|limit|source|speaker|kind|topic|outlet|place|actor|sort|search)\b",
         r"the \1 parameter"),
    ))


def for_assistant(text: str) -> str:
    """A message with every command-line command and option named as its tool or parameter."""
    for pattern, words in TOOL_WORDS:
        text = pattern.sub(words, text)
    return text.replace("the search parameter", "the text parameter")


# --- the server -------------------------------------------------------------------------------

CITE_HOW = (" Results are verbatim; cite a quote by its id, outlet and date; a 'paraphrase' is "
            "not a quote and never goes in quotation marks.")

QUERY_WORDS = ("text: every word must match, in any order; \"a phrase\" its words in order, "
               "a OR b either, -word leaves out, prefix* any word starting so. A word no record "
               "holds is read as its near spelling (said in notices; each row's `match` says "
               "so); exact=true turns that off. ")
DATE_WORDS = ("since / until: EDTF dates (2020, 2023-02, 2024-05-10); a record matches when any "
              "day its date can mean is inside, and then says `range`: 'certain', or 'possible' "
              "when it may fall outside (an interval, an open end, ~ or ?); within=true keeps "
              "only the certain ones. ")
LISTING_WORDS = ("drafts=true: records of draft sources too (status 'draft', not curated). "
                 "sort: a key (see the error for the keys), reverse=true the other way. limit: "
                 "at most this many (default 50, 0 for all). ")

DESCRIPTIONS: dict[str, str] = {
    "search": (
        "Word search over quotes, events, actors and the full text of sources, best first. "
        + QUERY_WORDS + "kind: quote, event, actor, source, direct or paraphrase. drafts=true: "
        "draft sources too. topic: only quotes tagged with it (topics tag quotes only). limit: "
        "at most this many hits (0 for all). To narrow by speaker, date or outlet, use "
        "list_quotes with text. Each hit carries its id: read it "
        "whole with get_quote, get_event, get_source or get_actor."),
    "list_quotes": (
        "Quotes in date order. speaker / mentions: a name, alias, surname, id or role (a guess is "
        "said in notices; an ambiguous or unknown name is an error listing candidates). "
        + QUERY_WORDS + DATE_WORDS + "kind: direct or paraphrase. source: a source id. outlet: "
        "published by, or said to, this outlet. members: a speaker that is an organisation "
        "brings its people's quotes too (each row's member_of names the organisation the speaker "
        "spoke for). every_holder: a speaker given as a role held by several actors takes all of "
        "them (said in notices). topic: only quotes tagged with this topic (each row lists its "
        "topics). " + LISTING_WORDS),
    "list_events": (
        "Events in date order. actor: a name, alias, surname, id or role; place: a place name; "
        "source: a source id. " + QUERY_WORDS + DATE_WORDS + LISTING_WORDS),
    "list_sources": (
        "Sources (news articles) in date order: id, date, outlet, via, title, number of quotes, "
        "status. " + LISTING_WORDS),
    "list_actors": (
        "Actors: people by surname, organisations and states by name, with aliases and dated "
        "roles. kind: person, organisation or state. sort, reverse, limit as in list_quotes."),
    "timeline": (
        "Events and quotes (whole) by year and month, empty years collapsed: `range` names the "
        "range asked for. " + DATE_WORDS + "actor: taking part or speaking; source: a source id; "
        "events_only=true leaves quotes out; kind: direct or paraphrase; topic: quotes tagged "
        "with it (events carry no topics, so none are shown); drafts=true: drafts too."),
    "topics": (
        "The topic vocabulary: each topic's id, description and how many quotes carry it "
        "(drafts=true counts draft quotes too). Use an id as list_quotes' topic."),
    "get_source": (
        "One article by its id (003): outlet, date, title, its full text verbatim, its quotes and "
        "the events citing it."),
    "get_quote": (
        "One quote by its id (003-4): its words, kind, speaker and role, date, source, the passage "
        "of the article around it (`start`/`end` mark the quote in it) and a citation line."),
    "get_event": (
        "One event by its id: date and its basis, title, description, actors, places, and every "
        "source reporting it."),
    "get_actor": (
        "One actor by name, alias, surname, id or role: aliases, roles, their quotes, the quotes "
        "and sources that name them, the events they take part in. kind: only direct quotes or "
        "only paraphrases; drafts=true: draft sources too."),
    "cite": (
        "References to sources (003) and quotes (003-4): ids, one or several, each cited once, "
        "as one text of the format: text (one reference line each, the default), csl-json (one "
        "array, for Zotero and pandoc), bibtex (biblatex) or ris. drafts=true cites draft "
        "sources too, marked DRAFT."),
}


def build(lib: Library) -> Any:
    """The MCP server answering from `lib`, every tool read-only."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import ToolAnnotations

    server = MCPServer(name="nkb", instructions=GUIDE, version=__version__, log_level="WARNING")
    annotations = ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                  idempotent_hint=True, open_world_hint=False)

    def guarded(run: Callable[[], Row]) -> Row:
        try:
            answer = run()
        except NkbError as exc:
            raise ToolError(error_text(exc)) from None
        answer["notices"] = [for_assistant(n) for n in answer["notices"]]
        return answer

    tools = _tools(lib, guarded)
    for name, description in DESCRIPTIONS.items():
        server.add_tool(tools[name], name=name, description=description + CITE_HOW,
                        annotations=annotations, structured_output=True)
    return server


def _tools(lib: Library, guarded: Callable[[Callable[[], Row]], Row]
           ) -> dict[str, Callable[..., Awaitable[Row]]]:
    # The signatures are the tools' input schemas. They are coroutines so that every call runs
    # on the server's one thread, where the KB's SQLite word index was opened.

    async def search(text: str, kind: SearchKind | None = None, limit: int = SEARCH_LIMIT,
                     exact: bool = False, drafts: bool = False,
                     topic: str | None = None) -> dict[str, Any]:
        return guarded(lambda: search_tool(lib, text, kind, limit, exact, drafts, topic))

    async def list_quotes_(speaker: str | None = None, since: str | None = None,
                           until: str | None = None, kind: QuoteKind | None = None,
                           source: str | None = None, mentions: str | None = None,
                           limit: int = LIST_LIMIT, members: bool = False,
                           every_holder: bool = False, topic: str | None = None,
                           text: str | None = None, exact: bool = False, within: bool = False,
                           outlet: str | None = None, drafts: bool = False,
                           sort: str | None = None, reverse: bool = False) -> dict[str, Any]:
        return guarded(lambda: list_quotes(
            lib, speaker, since, until, kind, source, mentions, limit, members, every_holder,
            topic, text, exact, within, outlet, drafts, sort, reverse))

    async def list_events_(since: str | None = None, until: str | None = None,
                           actor: str | None = None, place: str | None = None,
                           source: str | None = None, limit: int = LIST_LIMIT,
                           text: str | None = None, exact: bool = False, within: bool = False,
                           drafts: bool = False, sort: str | None = None,
                           reverse: bool = False) -> dict[str, Any]:
        return guarded(lambda: list_events(lib, since, until, actor, place, source, limit, text,
                                           exact, within, drafts, sort, reverse))

    async def list_sources_(drafts: bool = False, sort: str | None = None,
                            reverse: bool = False, limit: int = LIST_LIMIT) -> dict[str, Any]:
        return guarded(lambda: list_sources(lib, drafts, sort, reverse, limit))

    async def list_actors_(kind: ActorKind | None = None, sort: str | None = None,
                           reverse: bool = False, limit: int = LIST_LIMIT) -> dict[str, Any]:
        return guarded(lambda: list_actors(lib, kind, sort, reverse, limit))

    async def timeline(since: str | None = None, until: str | None = None, within: bool = False,
                       actor: str | None = None, source: str | None = None,
                       events_only: bool = False, kind: QuoteKind | None = None,
                       topic: str | None = None, drafts: bool = False) -> dict[str, Any]:
        return guarded(lambda: timeline_tool(lib, since, until, within, actor, source,
                                             events_only, kind, topic, drafts))

    async def topics(drafts: bool = False) -> dict[str, Any]:
        return guarded(lambda: topics_tool(lib, drafts))

    async def get_source_(id: str) -> dict[str, Any]:
        return guarded(lambda: get_source(lib, id))

    async def get_quote_(id: str) -> dict[str, Any]:
        return guarded(lambda: get_quote(lib, id))

    async def get_event_(id: str) -> dict[str, Any]:
        return guarded(lambda: get_event(lib, id))

    async def get_actor_(name: str, kind: QuoteKind | None = None,
                         drafts: bool = False) -> dict[str, Any]:
        return guarded(lambda: get_actor(lib, name, kind, drafts))

    async def cite(ids: list[str], format: CiteFormatName = "text",
                   drafts: bool = False) -> dict[str, Any]:
        return guarded(lambda: cite_tool(lib, ids, format, drafts))

    return {"search": search, "list_quotes": list_quotes_, "list_events": list_events_,
            "list_sources": list_sources_, "list_actors": list_actors_, "timeline": timeline,
            "topics": topics, "get_source": get_source_, "get_quote": get_quote_,
            "get_event": get_event_, "get_actor": get_actor_, "cite": cite}


def require_sdk() -> None:
    """Import the MCP SDK now, so that a missing one is said before anything is served."""
    import anyio  # noqa: F401
    import mcp.server.mcpserver  # noqa: F401


def serve(root: Path) -> None:
    """Serve the KB at `root` over stdin and stdout until the client closes stdin."""
    import anyio

    lib = Library(root)
    with contextlib.suppress(NkbError):
        lib.kb()  # load (or build the cache) before the first call; a broken KB is said then
    with checked_wire():
        anyio.run(build(lib).run_stdio_async)


# --- the wire: every request answered ---------------------------------------------------------

# JSON-RPC 2.0's error codes
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602


def wire_error(line: bytes) -> bytes | None:
    """The JSON-RPC error answering a line from the client that the SDK would drop without a
    word (so that the client waits forever), or None for a line to pass on to the SDK.

    Answered: a line that is not JSON (parse error, id null), a batch (MCP takes one message a
    line: each request in it answered by id), a request whose `jsonrpc` is not "2.0", whose
    `params` is not an object, whose method is missing, or whose id is neither a string nor an
    integer (id null then, as JSON-RPC says when the id cannot be read). A notification (no id)
    gets no answer, as JSON-RPC says; a malformed one is dropped here."""
    text = line.strip()
    if not text:
        return None
    try:
        message = json.loads(text)
    except ValueError:  # UnicodeDecodeError included
        return _error_line(None, PARSE_ERROR, "parse error: the line is not JSON (send one "
                           "JSON-RPC message per line, UTF-8)")
    if isinstance(message, list):
        answers = [_batch_answer(m) for m in message] or [
            _error(None, INVALID_REQUEST, "invalid request: an empty batch")]
        kept = [a for a in answers if a is not None]
        return (json.dumps(kept) + "\n").encode() if kept else _DROP
    answer = _message_error(message)
    return None if answer is None else (json.dumps(answer) + "\n").encode() if answer else _DROP


_DROP = b""  # a malformed notification: nothing to pass on, nobody to answer


def _batch_answer(message: Any) -> dict[str, Any] | None:
    if isinstance(message, dict) and "id" not in message:
        return None  # a notification in a batch: no answer
    request_id = message.get("id") if isinstance(message, dict) else None
    return _error(request_id if _valid_id(request_id) else None, INVALID_REQUEST,
                  "invalid request: batches are not supported (MCP takes one JSON-RPC message "
                  "per line); send each request on a line of its own")


def _message_error(message: Any) -> dict[str, Any] | None:
    """The error for one malformed message, {} for one to drop unanswered, None if well formed
    as far as the envelope goes (what each method needs is the SDK's to check)."""
    if not isinstance(message, dict):
        return _error(None, INVALID_REQUEST, "invalid request: a JSON-RPC message is an object")
    if "id" not in message:
        well_formed = (message.get("jsonrpc") == "2.0" and isinstance(message.get("method"), str)
                       and isinstance(message.get("params", {}), dict))
        return None if well_formed else {}
    request_id = message["id"]
    if not _valid_id(request_id):
        return _error(None, INVALID_REQUEST, f"invalid request: id {json.dumps(request_id)} is "
                      "neither a string nor an integer")
    if message.get("jsonrpc") != "2.0":
        return _error(request_id, INVALID_REQUEST, "invalid request: \"jsonrpc\" must be "
                      f"\"2.0\", not {json.dumps(message.get('jsonrpc'))}")
    if "method" not in message and ("result" in message or "error" in message):
        return None  # the client's answer to a request of the server's
    if not isinstance(message.get("method"), str):
        return _error(request_id, INVALID_REQUEST, "invalid request: \"method\" must be a "
                      "string")
    params = message.get("params", {})
    if isinstance(params, list):
        return _error(request_id, INVALID_PARAMS, "invalid params: MCP takes named parameters, "
                      "an object, not a list")
    if not isinstance(params, dict):
        return _error(request_id, INVALID_REQUEST, "invalid request: \"params\" must be an "
                      f"object, not {type(params).__name__}")
    return None


def _valid_id(request_id: Any) -> bool:
    return isinstance(request_id, str) or (isinstance(request_id, int)
                                           and not isinstance(request_id, bool))


def _error(request_id: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def _error_line(request_id: Any, code: int, message: str) -> bytes:
    return (json.dumps(_error(request_id, code, message)) + "\n").encode()


@contextlib.contextmanager
def checked_wire() -> Iterator[None]:
    """Stand between the client and the SDK for as long as it serves: the SDK reads and writes
    pipes on descriptors 0 and 1 (its ordinary stdio); a thread passes each line from the client
    to it, or answers it with `wire_error`; another passes the SDK's lines to the client. Both
    write whole lines under one lock, so an answer never lands inside another."""
    sys.stdout.flush()
    client_in, client_out, kept_in = os.dup(0), os.dup(1), os.dup(0)
    sdk_in_read, sdk_in_write = os.pipe()
    sdk_out_read, sdk_out_write = os.pipe()
    os.dup2(sdk_in_read, 0)
    os.dup2(sdk_out_write, 1)
    os.close(sdk_in_read)
    os.close(sdk_out_write)
    lock = threading.Lock()
    served = threading.Event()

    def to_client(data: bytes) -> None:
        with lock:
            _write_all(client_out, data)

    def requests() -> None:
        with os.fdopen(client_in, "rb") as lines, contextlib.suppress(OSError):
            for line in lines:
                answer = wire_error(line)
                if answer is None:
                    _write_all(sdk_in_write, line)
                elif answer:
                    to_client(answer)
        with contextlib.suppress(OSError):
            os.close(sdk_in_write)  # the client is done: the SDK reads the end of its input

    def answers() -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while True:
                ready, _, _ = select.select([sdk_out_read], [], [], 0.1)
                if not ready:
                    if served.is_set():
                        break  # the SDK has returned and all it wrote has been passed on
                    continue
                chunk = os.read(sdk_out_read, 1 << 16)
                if not chunk:
                    break
                pending += chunk
                whole, newline, pending = pending.rpartition(b"\n")
                if newline:
                    to_client(whole + newline)
            if pending:
                to_client(pending)

    threads = [threading.Thread(target=requests, daemon=True),
               threading.Thread(target=answers, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        served.set()
        threads[1].join()
        os.dup2(client_out, 1)
        os.dup2(kept_in, 0)
        for fd in (sdk_out_read, client_out, kept_in):
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
