"""The nkb command line: parses arguments, calls the library, renders. No logic lives here."""

# No `from __future__ import annotations` here: Typer reads every command's annotations at each
# run, and string annotations cost it an eval each (~40 ms a run on a loaded machine).
import io
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path  # loaded by the store anyway; no start-up cost
from typing import Annotated, Any, get_args

from nkb import process

# Ctrl-C while the modules below load ends nkb like any interrupt: status 130, no traceback.
# The handler in place before comes back once this module has loaded.
_SIGINT_AT_IMPORT = process.exit_on_sigint()

import typer  # noqa: E402

from nkb import __version__, complete, render, search, store, terminal  # noqa: E402
from nkb.dates import RangeError, Span, parse_query_range  # noqa: E402
from nkb.errors import Ambiguous, ExitCode, KBError, NkbError  # noqa: E402
from nkb.index import KB  # noqa: E402
from nkb.models import Actor, ActorKind, QuoteKind  # noqa: E402
from nkb.process import Interrupted  # noqa: E402
from nkb.render import CiteFormat, Format, QuoteKindChoice  # noqa: E402
from nkb.rows import (  # noqa: E402
    Row,
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
from nkb.text import visible  # noqa: E402

app = typer.Typer(
    name="nkb",
    help="A knowledge base of Russia's mediation between Armenia and Azerbaijan, from news "
    "articles: who said what, when, via which outlet; what happened when; who is who.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    """Global options, shared by every command."""

    kb_option: str | None = None
    debug: bool = False


state = State()


def fail(message: str, code: int = ExitCode.ERROR) -> typer.Exit:
    """Print an error on stderr and return the Exit to raise."""
    sys.stderr.write(f"nkb: error: {visible(message)}\n")
    return typer.Exit(code)


def open_kb() -> KB:
    return store.open_kb(store.find_kb(state.kb_option))


def _version(value: bool) -> None:
    if value:
        print(f"nkb {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    kb: Annotated[str | None, typer.Option("--kb", help="KB folder (default: $NKB_KB, the "
                  "nearest kb/ here or above, else the KB shipped with nkb).", metavar="DIR")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")]
    = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                       help="Print the version and exit.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page long output "
                        "(default: through $NKB_PAGER, $PAGER or less -FRX on a terminal).")]
    = False,
) -> None:
    """nkb: who said what, when, via which outlet; what happened when; who is who."""
    from nkb import pager

    state.kb_option = kb
    state.debug = debug
    pager.settings.enabled = not no_pager


def _completion_kb(ctx: typer.Context) -> KB | None:
    """The KB a command being completed would read (its --kb), or None if it cannot load."""
    try:
        return store.open_kb(store.find_kb(ctx.find_root().params.get("kb")))
    except (NkbError, OSError):
        return None


def _offers(find: Callable[[KB, str], list[tuple[str, str]]]) -> Callable[..., Any]:
    """A completion callback: what `find` offers from the KB the command line names."""

    def offers(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        kb = _completion_kb(ctx)
        return [] if kb is None else find(kb, incomplete)

    return offers


complete_actor = _offers(complete.actor_names)
complete_source = _offers(complete.source_ids)
complete_quote = _offers(complete.quote_ids)
complete_event = _offers(complete.event_ids)


ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)


def complete_kind(incomplete: str) -> list[str]:
    return complete.words(ACTOR_KINDS, incomplete)


def _choices(names: tuple[str, ...]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this date on (EDTF: 2020, "
                        "2023-02, 2024-05-10); partial dates match by overlap.", metavar="DATE")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this date (inclusive).",
                        metavar="DATE")]
WithinOption = Annotated[bool, typer.Option("--within", help="Only records whose date is "
                         "certainly inside --since/--until; without it, a date that only may "
                         "be (an interval, an open end, ~ or ?) is listed marked ≈ (range: "
                         "possible).")]
SourceOption = Annotated[list[str] | None, typer.Option("--source", help="Only from this "
                         "source id (3 or 003); repeat for any of several.", metavar="ID",
                         autocompletion=complete_source)]
QUOTE_KINDS: tuple[str, ...] = get_args(QuoteKind)
QuoteKindOption = Annotated[list[QuoteKindChoice] | None, typer.Option(
    "--kind", help="Only direct quotes or only paraphrases.", metavar="KIND")]
TopicOption = Annotated[list[str] | None, typer.Option("--topic", "-t", metavar="TOPIC",
                        help="Only quotes tagged with this topic (`nkb topics` lists them); "
                        "repeat for any of several.")]
DraftsOption = Annotated[bool, typer.Option("--drafts", help="Include records from draft "
                         "sources (not yet curated), marked as drafts.")]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
QUERY_HELP = ('every word, in any order; "a phrase", a OR b, -word (leave out), prefix*. A word '
              "no record holds is read as its near spelling (said on stderr, each row marked).")
ExactOption = Annotated[bool, typer.Option("--exact", help="No near spellings: a word matches "
                        "only itself and its stem.")]


def _sort_keys(kind: str) -> str:
    """The --sort help of one kind of listing: the keys search.SORTS knows for it."""
    return f"{_choices(tuple(search.SORTS[kind]))}."


SourceSortOption = Annotated[str | None, typer.Option("--sort", help=_sort_keys("source"),
                             metavar="KEY")]
QuoteSortOption = Annotated[str | None, typer.Option("--sort", help=_sort_keys("quote"),
                            metavar="KEY")]
EventSortOption = Annotated[str | None, typer.Option("--sort", help=_sort_keys("event"),
                            metavar="KEY")]
ActorSortOption = Annotated[str | None, typer.Option("--sort", help=_sort_keys("actor"),
                            metavar="KEY")]
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", min=0, max=search.MAX_LIMIT,
                        help="At most N rows "
                        "(0 or none for all); stderr says how many more there are.")]


@app.command()
def check() -> None:
    """Validate the KB and report every problem at once, with file and line.

    Example: nkb check
    """
    root = store.find_kb(state.kb_option)
    kb, problems = store.load_kb(root)
    for problem in problems:
        sys.stderr.write(visible(str(problem)) + "\n")
    if problems:
        sys.stderr.write(f"nkb: {len(problems)} problem(s) in {visible(str(root))}\n")
        raise typer.Exit(ExitCode.ERROR)
    assert kb is not None
    for note in kb.notes:
        sys.stderr.write(visible(str(note)) + "\n")
    n = kb.counts()  # from the compiled cache's header when warm: no record is decoded
    terminal.write(
        f"ok: {visible(str(root))}: {n['sources']} sources ({n['drafts']} drafts), "
        f"{n['quotes']} quotes, {n['events']} events, {n['actors']} actors\n"
    )


@app.command()
def source(
    source_id: Annotated[str, typer.Argument(metavar="ID", help="Source id: 003 or 3.",
                         autocompletion=complete_source)],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one article: metadata, its quotes, the events citing it, and its text.

    Example: nkb source 003
    """
    from nkb import views

    kb = open_kb()
    record = views.find_source(kb, source_id)
    detail = source_detail(kb, record)
    if fmt is Format.json:
        terminal.write(render.to_json(detail))
        return
    if fmt is Format.csv:
        raise fail("`source` prints one article, not a listing; use "
                   f"`nkb quotes --source {record.id} --format csv` for its quotes", ExitCode.USAGE)
    marks, tags = views.source_marks(detail)
    if fmt is Format.md:
        terminal.write(render.source_md(detail, marks, tags))
    else:
        terminal.show(render.source_screen(detail, marks, tags))


@app.command()
def quote(
    quote_id: Annotated[str, typer.Argument(metavar="ID", help="Quote id: 003-4 or 3-4.",
                        autocompletion=complete_quote)],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one quote: its words, kind, speaker and role, date, source, the passage of the
    article around it (the quote highlighted) and a line to cite it.

    Example: nkb quote 004-2
    """
    from nkb import views

    kb = open_kb()
    shown = views.quote_detail(kb, views.find_quote(kb, quote_id))
    _one_record(shown, fmt, render.quote_screen, render.quote_md, "quote",
                f"`nkb quotes --source {shown['source']} --format csv`")


@app.command()
def event(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="Event id, as nkb events "
                        "prints it.", autocompletion=complete_event)],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one event: its date and basis, title, description, actors, places, and every
    source that reports it.

    Example: nkb event 2020-07-armenia-azerbaijan-border-clashes
    """
    from nkb import views

    kb = open_kb()
    shown = views.event_detail(kb, views.find_event(kb, event_id))
    _one_record(shown, fmt, render.event_screen, render.event_md, "event",
                "`nkb events --format csv` (its sources: `nkb sources`)")


def _one_record(shown: dict[str, Any], fmt: Format, view: Callable[[dict[str, Any]], Any],
                md: Callable[[dict[str, Any]], str], what: str, instead: str) -> None:
    if fmt is Format.json:
        terminal.write(render.to_json(shown))
    elif fmt is Format.csv:
        raise fail(f"`{what}` prints one record, not a listing; use {instead}", ExitCode.USAGE)
    elif fmt is Format.md:
        terminal.write(md(shown))
    else:
        terminal.show(view(shown))


@app.command()
def sources(
    drafts: DraftsOption = False,
    sort: SourceSortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List every source (article) in date order.

    Example: nkb sources --format csv
    """
    kb = open_kb()
    found = ordered(kb, "source", search.find_sources(kb, drafts), sort, reverse)
    emit_listing(kb, [source_row(s) for s in found], fmt, render.SOURCE_COLUMNS,
                 title="Sources", limit=limit)


@app.command()
def quotes(
    speaker: Annotated[list[str] | None, typer.Option("--speaker", "-s", metavar="NAME",
                       help="Who said it: name, alias, surname, id or role; typos and Cyrillic "
                       "are tolerated (a guess is said on stderr). Repeat for any of several.",
                       autocompletion=complete_actor)]
    = None,
    mentions: Annotated[list[str] | None, typer.Option("--mentions", metavar="NAME",
                        help="Quotes whose text names this actor.", autocompletion=complete_actor)] = None,
    text: Annotated[str | None, typer.Option("--search", help="Words in the quote: "
                    + QUERY_HELP, metavar="TEXT")] = None,
    exact: ExactOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    within: WithinOption = False,
    source_id: SourceOption = None,
    outlet: Annotated[list[str] | None, typer.Option("--outlet", metavar="NAME",
                      help="Published by, or said to, this outlet.")] = None,
    kind: QuoteKindOption = None,
    topic: TopicOption = None,
    members: Annotated[bool, typer.Option("--members", help="A speaker that is an organisation "
                       "brings its people's quotes too (said while members; each row names who "
                       "spoke).")] = False,
    every: Annotated[bool, typer.Option("--all", help="A speaker given as a role takes every "
                     "actor who held it (said on stderr), not just one.")] = False,
    drafts: DraftsOption = False,
    sort: QuoteSortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List quotes in date order, filtered by speaker, text, date, source or outlet.

    Every quote is marked direct or paraphrase (`kind`); a paraphrase is the article's
    report of what was said, not the speaker's words.

    Example: nkb quotes --speaker Galuzin --since 2023
    """
    kb = open_kb()
    first, last = date_range(since, until)
    speakers = resolve_actors(kb, speaker, every)
    words = read_words(kb, text, exact)
    wanted = search.QuoteFilter(
        speakers=speakers, mentions=resolve_actors(kb, mentions), words=words, since=first,
        until=last, sources=source_ids(kb, source_id), outlets=resolve_outlets(kb, outlet, drafts),
        kinds=tuple(kind or ()), drafts=drafts, members=members, within=within,
        topics=resolve_topics(kb, topic))
    found = ordered(kb, "quote", search.find_quotes(kb, wanted), sort, reverse)
    empty = search.no_quotes_message(kb, speakers[0], drafts) \
        if not found and len(speakers) == 1 else None
    rows = with_matches(member_quote_rows(kb, found, speakers if members else ()),
                               search.match_marks(kb, words, "quote", drafts))
    rows = with_ranges(rows, search.range_marks(kb, found, first, last))
    emit_listing(kb, rows, fmt, render.QUOTE_COLUMNS, render.QUOTE_TABLE, title="Quotes",
                 empty=empty, limit=limit)


@app.command()
def events(
    since: SinceOption = None,
    until: UntilOption = None,
    within: WithinOption = False,
    actor: Annotated[list[str] | None, typer.Option("--actor", "-a", metavar="NAME",
                     help="Taking part: name, alias, surname, id or role. Repeat for any of "
                     "several.", autocompletion=complete_actor)] = None,
    place: Annotated[list[str] | None, typer.Option("--place", metavar="NAME",
                     help="Where it happened; typos and Cyrillic are tolerated.")] = None,
    source_id: SourceOption = None,
    text: Annotated[str | None, typer.Option("--search", help="Words in the title or "
                    "description: " + QUERY_HELP, metavar="TEXT")] = None,
    exact: ExactOption = False,
    drafts: DraftsOption = False,
    sort: EventSortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List events in date order. A partial date matches a range it overlaps; one that only
    may fall inside (an interval, an open end, ~ or ?) is marked ≈, or left out with --within.

    Example: nkb events --since 2020 --actor Putin
    """
    kb = open_kb()
    first, last = date_range(since, until)
    words = read_words(kb, text, exact)
    wanted = search.EventFilter(
        since=first, until=last, actors=resolve_actors(kb, actor),
        places=resolve_places(kb, place), sources=source_ids(kb, source_id), words=words,
        drafts=drafts, within=within)
    found = ordered(kb, "event", search.find_events(kb, wanted), sort, reverse)
    rows = with_matches([event_row(kb, e, drafts) for e in found],
                               search.match_marks(kb, words, "event", drafts))
    rows = with_ranges(rows, search.range_marks(kb, found, first, last))
    emit_listing(kb, rows, fmt, render.EVENT_COLUMNS, render.EVENT_TABLE, title="Events",
                 limit=limit, optional=render.EVENT_OPTIONAL)


@app.command()
def actors(
    kind: Annotated[list[str] | None, typer.Option("--kind", metavar="KIND",
                    help=f"{_choices(ACTOR_KINDS)}; repeat for several.",
                    autocompletion=complete_kind)] = None,
    sort: ActorSortOption = None,
    reverse: ReverseOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List actors: people (by surname), organisations, states.

    Example: nkb actors --kind person
    """
    for value in kind or ():
        if value not in ACTOR_KINDS:
            raise typer.BadParameter(f"use {_choices(ACTOR_KINDS)}", param_hint="--kind")
    kb = open_kb()
    found = ordered(kb, "actor", search.find_actors(kb, tuple(kind or ())), sort, reverse)
    emit_listing(kb, [actor_row(a) for a in found], fmt, render.ACTOR_COLUMNS,
                 title="Actors", limit=limit)


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="Name, alias, surname, id or role; fuzzy.",
                    autocompletion=complete_actor)],
    kind: QuoteKindOption = None,
    drafts: DraftsOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Show one actor: aliases, roles, their quotes, the quotes and sources that name them,
    and the events they take part in.

    Example: nkb actor Zakharova
    """
    kb = open_kb()
    found = resolve_actors(kb, [name])[0]
    profile = actor_detail(kb, found, tuple(kind or ()), drafts)
    if fmt is Format.json:
        terminal.write(render.to_json(profile))
    elif fmt is Format.csv:
        raise fail("`actor` prints one profile, not a listing; use "
                   f"`nkb quotes --speaker {found.id} --format csv`", ExitCode.USAGE)
    elif fmt is Format.md:
        terminal.write(render.actor_md(profile))
    else:
        terminal.show(render.actor_screen(profile))


@app.command()
def topics(
    drafts: DraftsOption = False,
    limit: LimitOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the topics quotes are tagged with (topics.yaml): each one's description and how
    many quotes carry it.

    Example: nkb topics --format csv
    """
    kb = open_kb()
    emit_listing(kb, [topic_row(t) for t in search.topic_uses(kb, drafts)], fmt,
                 render.TOPIC_COLUMNS, title="Topics", limit=limit)


SEARCH_KINDS = ("quote", "event", "actor", "source", *QUOTE_KINDS)


@app.command(name="search")
def search_command(
    query: Annotated[str, typer.Argument(help="What to look for: " + QUERY_HELP,
                     metavar="TEXT")],
    kind: Annotated[list[str] | None, typer.Option("--kind", metavar="KIND",
                    help=f"Only {_choices(SEARCH_KINDS)} (direct and paraphrase are kinds of "
                    "quote); repeat for several.")] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", metavar="TOPIC",
                     help="Only quotes tagged with this topic (topics tag quotes only); repeat "
                     "for any of several.")] = None,
    drafts: DraftsOption = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, max=search.MAX_LIMIT,
                     help="At most N hits "
                     "(0 for all).")] = 20,
    exact: ExactOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Search quotes, events, actors and the full text of sources at once, best first.

    Every word must match, in any order; "a phrase" matches its words in order, a OR b
    either, -word leaves records holding it out, prefix* any word starting so. A word no
    record holds is read as its near spelling, said on stderr (--exact turns this off).

    Example: nkb search '"peace treaty" OR agreement -draft'
    """
    for value in kind or ():
        if value not in SEARCH_KINDS:
            raise typer.BadParameter(f"use {_choices(SEARCH_KINDS)}", param_hint="--kind")
    kb = open_kb()
    chosen = set(kind or ())
    quote_kinds = chosen & set(QUOTE_KINDS)
    records = (chosen - quote_kinds) | ({"quote"} if quote_kinds else set())
    topics = resolve_topics(kb, topic)
    if topics and records - {"quote"}:
        raise typer.BadParameter("topics tag quotes only; use --kind quote, direct or "
                                 "paraphrase, or leave out --kind", param_hint="--topic")
    words = search.read_words(kb, query, exact)
    say(words.notices())
    hits = search.search_on_topics(kb, words, topics, quote_kinds, limit or None, drafts) \
        if topics else search.search_all(kb, words, records, quote_kinds, limit or None, drafts)
    rows = [hit_row(kb, h) for h in hits.shown]
    terminal.say_limited(len(rows), hits.total)
    terminal.emit_rows(rows, fmt, render.HIT_COLUMNS, render.with_status(rows, render.HIT_TABLE),
                     title=f"Search: {query} ({hits.total} hits)",
                     empty=f"nothing matches {query!r}")


@app.command()
def timeline(
    since: SinceOption = None,
    until: UntilOption = None,
    within: WithinOption = False,
    actor: Annotated[list[str] | None, typer.Option("--actor", "-a", metavar="NAME",
                     help="Taking part in the event or speaking the quote: name, alias, "
                     "surname, id or role. Repeat for any of several.",
                     autocompletion=complete_actor)] = None,
    source_id: SourceOption = None,
    events_only: Annotated[bool, typer.Option("--events-only", help="Leave quotes out.")] = False,
    kind: QuoteKindOption = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", metavar="TOPIC",
                     help="Only quotes tagged with this topic; events carry no topics, so they "
                     "are left out (said on stderr). Repeat for any of several.")] = None,
    drafts: DraftsOption = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Show events and quotes in date order, by year and month; empty years are collapsed.

    Partial dates are shown as what they are (a month, an interval, ~ approximate,
    ? uncertain), never as an exact day. Quotes are shown whole, each marked as a direct
    quote or a paraphrase.

    Example: nkb timeline --since 2020 --actor Rudenko
    """
    from nkb import timeline as tl

    kb = open_kb()
    first, last = date_range(since, until)
    topics = resolve_topics(kb, topic)
    if topics and events_only:
        raise typer.BadParameter("topics tag quotes only; leave out --events-only",
                                 param_hint="--topic")
    if topics:
        sys.stderr.write("nkb: events carry no topics: only quotes are shown\n")
    built = tl.build(kb, tl.TimelineFilter(
        since=first, until=last, actors=resolve_actors(kb, actor),
        sources=source_ids(kb, source_id), events_only=events_only, kinds=tuple(kind or ()),
        drafts=drafts, within=within, topics=topics))
    if fmt is Format.json:
        terminal.write(render.to_json(tl.to_data(built)))
    elif fmt in (Format.csv, Format.md):
        terminal.emit_rows(tl.to_rows(built), fmt, tl.ROW_COLUMNS, title="Timeline entries")
    elif not built.sections:
        sys.stderr.write("nkb: no events or quotes match these filters\n")
    else:
        terminal.print_rich(tl.to_rich(built))


# --- helpers the query commands share: resolving what was typed, and the listing's tail ------


def resolve_actors(kb: KB, typed: list[str] | None, every: bool = False) -> tuple[Actor, ...]:
    """Each typed name as an actor (a role as every actor who held it, if `every`); a guess is
    said on stderr."""
    from nkb import names

    if every:
        found, notices = names.resolve_all_holders(kb, typed or [])
    else:
        found, notices = names.resolve_each(lambda t: names.resolve_actor(kb, t), typed or [])
    say(notices)
    return found


def read_words(kb: KB, text: str | None, exact: bool) -> search.Words | None:
    """The typed words as read; what a word no record holds was read as is said on stderr."""
    if text is None:
        return None
    words = search.read_words(kb, text, exact)
    say(words.notices())
    return words


def resolve_topics(kb: KB, typed: list[str] | None) -> tuple[str, ...]:
    """Each typed topic as the KB has it; a guess is said on stderr."""
    from nkb import names

    found, notices = names.resolve_each(lambda t: names.resolve_topic(kb, t), typed or [])
    say(notices)
    return found


def resolve_outlets(kb: KB, typed: list[str] | None, drafts: bool) -> tuple[str, ...]:
    from nkb import names

    if not typed:
        return ()  # without an outlet to resolve, no source need be decoded
    pool = [s for s in kb.sources.values() if drafts or s.status != "draft"]
    found, notices = names.resolve_each(lambda t: names.resolve_outlet(pool, t), typed or [])
    say(notices)
    return found


def resolve_places(kb: KB, typed: list[str] | None) -> tuple[str, ...]:
    from nkb import names

    found, notices = names.resolve_each(lambda t: names.resolve_place(kb.events, t), typed or [])
    say(notices)
    return found


def source_ids(kb: KB, typed: list[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(kb.source(t).id for t in typed or ()))


def say(notices: list[str]) -> None:
    for notice in notices:
        sys.stderr.write(f"nkb: {visible(notice)}\n")


def date_range(since: str | None, until: str | None) -> tuple[Span | None, Span | None]:
    try:
        return parse_query_range(since, until)
    except RangeError as exc:
        hint = f"--{exc.end}" if exc.end else "--since/--until"
        raise typer.BadParameter(str(exc), param_hint=hint) from None


def ordered(kb: KB, kind: str, records: list[Any], by: str | None, reverse: bool) -> list[Any]:
    if by is not None and by not in search.SORTS[kind]:
        raise typer.BadParameter(f"use {_choices(tuple(search.SORTS[kind]))}", param_hint="--sort")
    return search.ordered(kb, kind, records, by, reverse)


def emit_listing(kb: KB, rows: list[Row], fmt: Format, columns: tuple[str, ...],
                 table_columns: tuple[str, ...] | None = None, title: str | None = None,
                 empty: str | None = None, limit: int | None = None,
                 optional: tuple[str, ...] = ()) -> None:
    """Rows cut to the limit (said on stderr), then written in the chosen format."""
    shown = rows[:limit] if limit else rows
    terminal.say_limited(len(shown), len(rows))
    terminal.emit_rows(shown, fmt, columns, render.with_status(shown, table_columns or columns),
                     title=title, empty=empty, optional=optional)


export_app = typer.Typer(
    help="Write the whole KB to a SQLite database, JSON Lines or CSV files.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an export nkb wrote there "
                        "before; never another file or folder, never a file inside the KB.")]
ExportDraftsOption = Annotated[bool, typer.Option("--drafts", help="Include draft sources and "
                               "their quotes (each source keeps its status: draft).")]


def exported_kb(drafts: bool) -> KB:
    """The KB an export writes: curated records only, unless drafts are asked for."""
    from nkb.index import curated_view

    kb = open_kb()
    return kb if drafts else curated_view(kb)


@export_app.command("sqlite")
def export_sqlite(
    path: Annotated[str, typer.Argument(metavar="PATH", help="Database file to create.")],
    force: ForceOption = False,
    drafts: ExportDraftsOption = False,
) -> None:
    """A SQLite database: tables with foreign keys, sortable dates, full-text search.

    Browse it with Datasette (pip install -e ".[datasette]").

    Example: nkb export sqlite nkb.db && datasette nkb.db
    """
    from nkb import export

    export.export_sqlite(exported_kb(drafts), Path(path), force=force)
    sys.stderr.write(f"nkb: wrote {visible(path)}\n")


@export_app.command("jsonl")
def export_jsonl(
    path: Annotated[str, typer.Argument(metavar="PATH|-", help="File to create, or - for "
                    "stdout.")],
    force: ForceOption = False,
    drafts: ExportDraftsOption = False,
) -> None:
    """JSON Lines: one record per line (source, actor, event, quote), each with a `type`,
    after a header record naming nkb and the format's version.

    Example: nkb export jsonl - | grep '"type": "quote"'
    """
    from nkb import export

    export.export_jsonl(exported_kb(drafts), None if path == "-" else Path(path), force=force)
    if path != "-":
        sys.stderr.write(f"nkb: wrote {visible(path)}\n")


@export_app.command("csv")
def export_csv(
    path: Annotated[str, typer.Argument(metavar="DIR", help="Folder to create.")],
    force: ForceOption = False,
    drafts: ExportDraftsOption = False,
) -> None:
    """CSV: one file per table, with the same columns as the SQLite tables.

    Example: nkb export csv nkb-csv
    """
    from nkb import export

    export.export_csv(exported_kb(drafts), Path(path), force=force)
    sys.stderr.write(f"nkb: wrote {visible(path)}/\n")


@app.command()
def add(
    files: Annotated[list[str], typer.Argument(metavar="FILE|URL|DIR...", help="The article: "
                     "a UTF-8 text file, a saved web page (.html), a page's http(s) address, "
                     "or - for standard input; several, or a folder (its files in name order), "
                     "each added on its own.")],
    source_id: Annotated[str | None, typer.Option("--id", help="Source id to use (default: "
                         "the next free one); an existing id is refused. One article only.",
                         metavar="ID")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="The publisher, where the "
                      "text does not name it.", metavar="NAME")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The publication date (EDTF), "
                    "where the text does not print it.", metavar="DATE")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The address of the page the "
                   "article came from (absolute http or https); a date in its path "
                   "(/2021/06/17/) is weighed with the text's. One article only.",
                   metavar="URL")] = None,
    force_copy: Annotated[bool, typer.Option("--force", help="Add the article even if the KB "
                          "already holds it or a near-copy of it.")] = False,
) -> None:
    """Add an article as a draft source: its text verbatim, plus a record with the date, outlet,
    quotes and speakers found in it, for a curator to confirm. A web page (a saved .html file
    or an address) is read for its main text, headline, site, address and date (needs
    nkb[web]). Never overwrites anything.

    Example: nkb add article.txt --outlet TASS; nkb add https://example.org/news/1 saved/
    """
    from nkb import add as adding  # deferred: only this command needs the extractor

    root = store.find_kb(state.kb_option)
    stdin = sys.stdin.buffer if sys.stdin is not None else None
    articles = adding.expand(files)
    several = len(articles) > 1
    done, failed = 0, 0
    for outcome in adding.add_each(root, articles, stdin, source_id, outlet, date, url,
                                   force_copy):
        if isinstance(outcome, adding.Failed):
            failed += 1
            sys.stderr.write(f"nkb: error: {visible(outcome.message)}\n")
            continue
        done += 1
        sys.stderr.write(visible(adding.one_line(outcome) if several
                                 else adding.summary(outcome)))
        try:  # the add is committed: failing to print its path must not make it look undone
            terminal.write(f"{visible(str(outcome.draft_path))}\n")
        except process.OutputFailed as exc:
            sys.stderr.write(f"nkb: source {outcome.id} was added; only its path could not be "
                             f"printed: {visible(str(exc))}\n")
    if several:
        sys.stderr.write(f"nkb: added {done} of {done + failed} articles"
                         + (f"; {failed} failed\n" if failed else "\n"))
    if failed:
        raise typer.Exit(ExitCode.ERROR)


# --- the curator's commands ------------------------------------------------------------------


def _print_problems(problems: list[Any]) -> None:
    for problem in problems:
        sys.stderr.write(visible(str(problem)) + "\n")


@app.command()
def confirm(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The draft source's id (005 or 5).")],
) -> None:
    """Mark a draft source curated, once nothing is left unfinished in it; otherwise list each
    item left, with file and line, and change nothing.

    Example: nkb confirm 005
    """
    from nkb import curate

    root = store.find_kb(state.kb_option)
    try:
        source = curate.confirm(root, ident)
    except curate.NotReady as exc:
        _print_problems(exc.problems)
        raise fail(f"{exc}; nothing was changed (`nkb review {ident}` walks through them)") \
            from None
    sys.stderr.write(f"nkb: source {visible(source.id)} is curated\n")


@app.command()
def edit(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A source (005 or 5), actor or "
                     "event id.")],
) -> None:
    """Edit one record in $VISUAL or $EDITOR (a source with its article below, for reference);
    saved only when the KB stays valid, else reopened with the problems at the top. Empty the
    file, or leave it unchanged, to cancel.

    Example: nkb edit 005
    """
    from nkb import edit as editing

    try:
        label = editing.edit(store.find_kb(state.kb_option), ident)
    except editing.EditCancelled as exc:
        sys.stderr.write(f"nkb: {visible(str(exc))}\n")
        raise typer.Exit(ExitCode.ERROR) from None
    sys.stderr.write(f"nkb: saved {visible(label)}\n")


@app.command(name="rm")
def remove(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The source's id.")],
    force: Annotated[bool, typer.Option("--force", help="Remove a curated source too (never "
                     "one that events or actors cite).")] = False,
) -> None:
    """Remove a draft source: its record and its article text. A curated source only with
    --force, and never while an event or an actor's role cites it.

    Example: nkb rm 005
    """
    from nkb import curate

    source = curate.remove(store.find_kb(state.kb_option), ident, force)
    sys.stderr.write(f"nkb: removed source {visible(source.id)} ({source.status})\n")


@app.command(name="mv")
def move(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The source's id now.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new id (a free one).")],
) -> None:
    """Renumber a source and every reference to it (its files, its quotes' ids, events, roles),
    all at once or not at all; e.g. after two curators each added 005.

    Example: nkb mv 005 007
    """
    from nkb import curate

    was, now = curate.move(store.find_kb(state.kb_option), old, new)
    sys.stderr.write(f"nkb: source {visible(was)} is now {visible(now)}\n")


def _many(help_text: str, metavar: str) -> Any:
    return typer.Option(help=help_text, metavar=metavar)


REVIEW_ITEM_COLUMNS = ("kind", "key", "strength", "basis", "alternatives")


@app.command()
def review(
    ident: Annotated[str | None, typer.Argument(metavar="[ID]", help="The draft to review "
                     "(default: every draft in turn, oldest first).")] = None,
    listing: Annotated[bool, typer.Option("--list", help="List the draft's open proposals, "
                       "weakest first, and change nothing.")] = False,
    accept_strong: Annotated[bool, typer.Option("--accept-strong", help="Accept every strong "
                             "proposal (quotes and source fields).")] = False,
    accept: Annotated[list[str] | None, _many("Accept a quote as proposed (its id), or the "
                      "source's date, outlet or via.", "QUOTE|FIELD")] = None,
    title: Annotated[str | None, typer.Option(help="Write the source's title.",
                     metavar="TEXT")] = None,
    speaker: Annotated[list[str] | None, _many("Give a quote another speaker (a name, alias "
                       "or id; a guess is said).", "QUOTE=ACTOR")] = None,
    trim: Annotated[list[str] | None, _many("Cut a quote to the words given (part of it).",
                    "QUOTE=WORDS")] = None,
    split: Annotated[list[str] | None, _many("Split a quote where the words given begin; "
                     "the second part gets the next free id.", "QUOTE=WORDS")] = None,
    paraphrase: Annotated[list[str] | None, _many("Mark a quote as a paraphrase.",
                          "QUOTE")] = None,
    reject: Annotated[list[str] | None, _many("Remove a proposed quote: not a quote.",
                      "QUOTE")] = None,
    new_actor: Annotated[list[str] | None, _many("Add a proposed actor to actors.yaml "
                         "(kind person unless given).", "ID[=KIND]")] = None,
    map_actor: Annotated[list[str] | None, typer.Option("--map", help="Point a proposed "
                         "actor's quotes at an actor of the KB.", metavar="ID=ACTOR")] = None,
    link: Annotated[list[str] | None, _many("Cite this source in an existing event for a "
                    "hint (by its number in --list).", "HINT=EVENT")] = None,
    new_event: Annotated[list[str] | None, _many("Draft a new event from a hint, dated as "
                         "the source.", "HINT=TITLE")] = None,
    drop_hint: Annotated[list[str] | None, _many("Remove a hint that is no happening.",
                         "HINT")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Review a draft's proposals one at a time, weakest first: the passage with the span
    marked, the proposal, its basis, strength and alternatives; one key per decision (accept,
    choose another speaker, edit or split the span, paraphrase, reject, skip, quit). Each
    decision is written at once; the options take the same decisions from a script.

    Example: nkb review 005
    """
    from nkb import curate
    from nkb import review as reviewing_lib

    root = store.find_kb(state.kb_option)
    decisions = reviewing_lib.Decisions(
        tuple(accept or ()), accept_strong, title, tuple(speaker or ()), tuple(trim or ()),
        tuple(split or ()), tuple(paraphrase or ()), tuple(reject or ()),
        tuple(new_actor or ()), tuple(map_actor or ()), tuple(link or ()),
        tuple(new_event or ()), tuple(drop_hint or ()))
    if (decisions.any() or listing) and ident is None:
        raise fail("give the draft's id with --list or a decision option", ExitCode.USAGE)
    if ident is not None and (decisions.any() or listing):
        draft = reviewing_lib.Draft(root, ident)
        for line in reviewing_lib.apply(draft, decisions):
            sys.stderr.write(f"nkb: {visible(line)}\n")
        if listing:
            rows = [{"kind": i.kind, "key": i.key, "strength": i.strength, "basis": i.basis,
                     "alternatives": list(i.alternatives)} for i in draft.items()]
            terminal.emit_rows(rows, fmt, REVIEW_ITEM_COLUMNS, title="Proposals",
                             empty=f"nothing left to review in {draft.id}")
        return
    from rich.console import Console

    from nkb import reviewing

    ids = [ident] if ident is not None else [d.id for d in curate.drafts(open_kb(), root)]
    if not ids:
        sys.stderr.write("nkb: no drafts await review\n")
        return
    session = reviewing.Session(Console(stderr=True, highlight=False), sys.stdin)
    sys.stderr.write(f"nkb: {visible(session.review_all(root, ids))}\n")


DRAFT_COLUMNS = ("id", "title", "date", "weak", "left", "age_days")


@app.command(name="drafts")
def drafts_command(fmt: FormatOption = Format.table) -> None:
    """List the drafts awaiting review, oldest first: id, title (or the article's first words),
    date proposed, weak proposals, items left before `nkb confirm`, age in days.

    Example: nkb drafts
    """
    from dataclasses import asdict

    from nkb import curate

    root = store.find_kb(state.kb_option)
    kb = store.open_kb(root)
    rows = [asdict(d) for d in curate.drafts(kb, root)]
    terminal.emit_rows(rows, fmt, DRAFT_COLUMNS, title="Drafts", empty="no drafts await review")


@app.command()
def cite(
    idents: Annotated[list[str] | None, typer.Argument(metavar="ID...", help="Source ids (003 "
                      "or 3) and quote ids (003-4); - reads them from standard input (nkb's "
                      "JSON or CSV output, or ids one per line).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every source.")] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Cite draft sources too, marked as "
                      "drafts.")] = False,
    fmt: Annotated[CiteFormat, typer.Option("--format", "-f", help="Output format.")]
    = CiteFormat.text,
) -> None:
    """Cite sources and quotes: reference lines, or one file for a reference manager
    (a CSL-JSON array for Zotero and pandoc, a biblatex .bib, a RIS file).

    Example: nkb quotes -s Galuzin -f json | nkb cite - --format csl-json > refs.json
    """
    from nkb import cite as citing

    if bool(idents) == every:
        raise fail("give source or quote ids (or - to read them), or --all", ExitCode.USAGE)
    kb = open_kb()
    if idents:
        refs = citing.find_all(kb, read_ids(idents), drafts)
    else:
        refs, skipped = citing.every_source(kb, drafts)
        if skipped:
            sys.stderr.write(f"nkb: left out {len(skipped)} draft source(s) "
                             f"({', '.join(skipped)}); add --drafts to cite them as drafts\n")
    terminal.write(citing.render(refs, fmt))


def read_ids(typed: list[str]) -> list[str]:
    """The ids typed, with `-` replaced by those standard input carries."""
    from nkb import cite as citing

    out: list[str] = []
    for ident in typed:
        if ident != "-":
            out.append(ident)
            continue
        if sys.stdin is None or sys.stdin.isatty():
            raise fail("`-` reads ids from standard input; pipe them in, e.g. the output "
                       "of `nkb quotes -s NAME -f json`", ExitCode.USAGE)
        found = citing.ids_in(sys.stdin.read())
        if not found:
            raise fail("standard input holds no ids", ExitCode.USAGE)
        out += found
    return out


@app.command()
def site(
    folder: Annotated[str, typer.Argument(metavar="DIR", help="Folder to write: new, empty, or "
                      "a site nkb wrote before (which it replaces whole).")],
    drafts: Annotated[bool, typer.Option("--drafts", help="Include draft sources and their "
                      "records, marked DRAFT on every page.")] = False,
) -> None:
    """Write the KB as a static website that opens from disk: a timeline, one page per source,
    actor and event, an index and in-page search. Nothing is loaded from the network.

    Example: nkb site nkb-site && chromium nkb-site/index.html
    """
    from nkb import site as website

    summary = website.write_site(open_kb(), Path(folder), drafts=drafts)
    sys.stderr.write(website.summary_line(summary, Path(folder)))


class ChartChoice(StrEnum):
    """The charts `nkb chart` draws."""

    quotes_by_month = "quotes-by-month"
    events_by_year = "events-by-year"


@app.command()
def chart(
    which: Annotated[ChartChoice, typer.Argument(metavar="CHART", help="quotes-by-month (by "
                     "speaker) or events-by-year.")],
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE", help="The picture "
                      "to write: FILE.png or FILE.svg.")],
    drafts: DraftsOption = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a chart nkb wrote there "
                     "before; never another file.")] = False,
) -> None:
    """Draw a chart as PNG or SVG; a date longer than a bar's month or year is drawn over every
    day it may mean, never put in its first month (needs nkb[charts]).

    Example: nkb chart quotes-by-month -o quotes.png
    """
    from nkb import chart as charts

    data = charts.chart_data(open_kb(), which.value, drafts=drafts)
    charts.write_chart(data, Path(output), force=force)
    sys.stderr.write(f"nkb: wrote {visible(output)} ({data.total()} records)\n")


@app.command()
def mcp() -> None:
    """Serve the KB to an AI assistant: a read-only Model Context Protocol server on stdin and
    stdout, whose tools return verbatim records with the ids to cite (needs nkb[mcp]).

    Example: nkb --kb ~/kb mcp
    """
    root = store.find_kb(state.kb_option)
    try:
        from nkb import mcpserver

        mcpserver.require_sdk()
    except ImportError as exc:
        raise fail(f"`nkb mcp` needs the MCP SDK ({exc.name} is missing); install it with "
                   'pip install "nkb[mcp]"') from None
    mcpserver.serve(root)


# --- the one exit point -----------------------------------------------------------------------


def _report(exc: NkbError) -> int:
    if isinstance(exc, KBError):
        for problem in exc.problems:
            sys.stderr.write(visible(str(problem)) + "\n")
        sys.stderr.write(f"nkb: the KB has {len(exc.problems)} problem(s); run `nkb check` "
                         "after fixing them\n")
    elif isinstance(exc, Ambiguous):
        sys.stderr.write(f"nkb: error: {visible(str(exc))}:\n")
        for candidate in exc.candidates:
            sys.stderr.write(f"  {visible(candidate)}\n")
        sys.stderr.write("  give more of the name, or the id"
                         + ("; or --all for every actor who held the role (nkb quotes)\n"
                            if exc.by_role else "\n"))
    elif not isinstance(exc, Interrupted):
        sys.stderr.write(f"nkb: error: {visible(str(exc))}\n")
    return int(exc.exit_code)


def main(argv: list[str] | None = None) -> int:
    """Run nkb; every outcome ends here as an exit status, never as a traceback.

    Ctrl-C handling and the guarded stderr last for this call only, so nkb can run in-process.
    """
    return process.guarded(lambda: _main(argv))


GLOBAL_FLAGS = ("--debug", "--no-pager")
GLOBAL_VALUED = "--kb"


def arguments(argv: list[str]) -> list[str]:
    """The arguments as the command line reads them: bare `nkb` asks for help, and nkb's own
    options (--kb DIR, --debug, --no-pager) typed after the command are moved before it."""
    if "_NKB_COMPLETE" not in os.environ and (  # completion runs with no arguments
            not argv or argv[_command_at(argv):] in [[g.name] for g in app.registered_groups]):
        return [*argv, "--help"]  # bare `nkb` or `nkb export`: the help, and status 0
    if not any(_is_global(a) for a in argv[_command_at(argv):]):
        return argv  # nothing typed after the command to move: Click's commands not built
    command: Any = typer.main.get_command(app)  # Typer's own Click: duck-typed below
    moved: list[str] = []
    kept: list[str] = []
    valued = {GLOBAL_VALUED}
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            kept += argv[i:]
            break
        if token in GLOBAL_FLAGS or token.startswith(GLOBAL_VALUED + "="):
            moved.append(token)
        elif token == GLOBAL_VALUED:
            moved += argv[i:i + 2]
            i += 1
        elif token in valued and "=" not in token:
            kept += argv[i:i + 2]  # an option's value is never taken for one of nkb's own
            i += 1
        else:
            kept.append(token)
            if not token.startswith("-") and hasattr(command, "commands"):
                command = command.commands.get(token)
                valued = {GLOBAL_VALUED} | _valued_options(command)
        i += 1
    return moved + kept


def _is_global(token: str) -> bool:
    return token in GLOBAL_FLAGS or token == GLOBAL_VALUED or token.startswith(GLOBAL_VALUED + "=")


def _command_at(argv: list[str]) -> int:
    """Where the command is among the arguments: after nkb's own options and --kb's value."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == GLOBAL_VALUED else 1
    return i


def _valued_options(command: Any) -> set[str]:
    """The option names of a command that take a value."""
    return {name for p in getattr(command, "params", ()) if p.param_type_name == "option"
            and not p.is_flag and not p.count for name in (*p.opts, *p.secondary_opts)}


def _main(argv: list[str] | None) -> int:
    try:
        args = arguments(sys.argv[1:] if argv is None else list(argv))
        code = app(args=args, prog_name="nkb", standalone_mode=False)
        return code if isinstance(code, int) else ExitCode.OK
    except NkbError as exc:
        return _report(exc)
    except BrokenPipeError:
        process.quiet_stdout()
        return ExitCode.OK
    except SystemExit as exc:
        # Typer turns a closed stdout into sys.exit(1) itself; a reader that left is no error
        if isinstance(exc.__context__, BrokenPipeError):
            process.quiet_stdout()
            return ExitCode.OK
        raise
    except typer.Exit as exc:
        return int(exc.exit_code)
    except KeyboardInterrupt:  # Ctrl-C outside the main thread's handler
        return ExitCode.INTERRUPTED
    except Exception as exc:
        return _click_or_unexpected(exc)


def _click_or_unexpected(exc: Exception) -> int:
    # Click's own usage errors carry `show()` and an exit code; anything else is a bug.
    show = getattr(exc, "show", None)
    if callable(show) and hasattr(exc, "exit_code"):
        shown = io.StringIO()
        show(file=shown)  # echoes what was typed, so it is made safe to print like the rest
        sys.stderr.write(visible(shown.getvalue()))
        return int(exc.exit_code)
    if isinstance(exc, typer.Abort):
        return ExitCode.INTERRUPTED
    if state.debug:
        raise exc
    sys.stderr.write(f"nkb: error: unexpected {type(exc).__name__}: {visible(str(exc))}\n"
                     "  run again with --debug for a traceback, and please report it\n")
    return ExitCode.ERROR


def _whole_summaries() -> None:
    """Each command's summary in `nkb --help` is its help's first sentence, whole (Click would
    cut it at 45 characters with '...')."""
    def first_sentence(text: str | None) -> str | None:
        if not text:
            return None
        paragraph = " ".join(text.strip().split("\n\n")[0].split())
        return re.split(r"(?<=\w\w\.)\s+(?=[A-Z])", paragraph, maxsplit=1)[0]  # not after e.g.

    for typer_app in (app, *(g.typer_instance for g in app.registered_groups if g.typer_instance)):
        for info in typer_app.registered_commands:
            info.short_help = info.short_help or first_sentence(getattr(info.callback, "__doc__",
                                                                        None))
    for group in app.registered_groups:
        if group.typer_instance is not None:
            group.short_help = group.short_help or first_sentence(group.typer_instance.info.help)


_whole_summaries()


def run() -> None:
    """Console-script entry point."""
    process.run_to_exit(main)


process.restore_sigint(_SIGINT_AT_IMPORT)


if __name__ == "__main__":
    run()
