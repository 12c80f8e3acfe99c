"""The nkb command line: parses arguments, calls the library, renders. No logic lives here."""

from __future__ import annotations

import io
import sys
from pathlib import Path  # loaded by the store anyway; no start-up cost
from typing import Annotated, get_args

from nkb import process

# Ctrl-C while the modules below load ends nkb like any interrupt: status 130, no traceback.
# The handler in place before comes back once this module has loaded.
_SIGINT_AT_IMPORT = process.exit_on_sigint()

import typer  # noqa: E402

from nkb import __version__, render, search, store  # noqa: E402
from nkb.dates import DateError, Span, parse_query_date  # noqa: E402
from nkb.errors import Ambiguous, ExitCode, KBError, NkbError  # noqa: E402
from nkb.index import KB  # noqa: E402
from nkb.models import ActorKind  # noqa: E402
from nkb.process import Interrupted  # noqa: E402
from nkb.render import CiteFormat, Format, TimelineFormat  # noqa: E402
from nkb.text import locate_all, visible  # noqa: E402

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


def date_option(value: str | None, name: str) -> Span | None:
    if value is None:
        return None
    try:
        return parse_query_date(value)
    except DateError as exc:
        raise typer.BadParameter(str(exc), param_hint=name) from None


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
) -> None:
    """nkb: who said what, when, via which outlet; what happened when; who is who."""
    state.kb_option = kb
    state.debug = debug


ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)


def _choices(names: tuple[str, ...]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this date on (EDTF: 2020, "
                        "2023-02, 2024-05-10); partial dates match by overlap.", metavar="DATE")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this date (inclusive).",
                        metavar="DATE")]
SourceOption = Annotated[str | None, typer.Option("--source", help="Only from this source id "
                         "(3 or 003).", metavar="ID")]


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
    render.write(
        f"ok: {visible(str(root))}: {n['sources']} sources ({n['drafts']} drafts), "
        f"{n['quotes']} quotes, {n['events']} events, {n['actors']} actors\n"
    )


@app.command()
def source(
    source_id: Annotated[str, typer.Argument(metavar="ID", help="Source id: 003 or 3.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one article: metadata, its quotes, the events citing it, and its text.

    Example: nkb source 003
    """
    kb = open_kb()
    record = kb.source(source_id)
    detail = render.source_detail(kb, record)
    if fmt is Format.json:
        render.write(render.to_json(detail))
        return
    if fmt is Format.csv:
        raise fail("`source` prints one article, not a listing; use "
                   f"`nkb quotes --source {record.id} --format csv` for its quotes", ExitCode.USAGE)
    marks = locate_all(detail["text"], [q["text"] for q in detail["quotes"]])
    if fmt is Format.md:
        render.write(render.source_md(detail, marks))
    else:
        render.print_rich(render.source_view(detail, marks))


@app.command()
def sources(fmt: FormatOption = Format.table) -> None:
    """List every source (article) in date order.

    Example: nkb sources --format csv
    """
    kb = open_kb()
    rows = [render.source_row(s) for s in search.find_sources(kb)]
    render.emit_rows(rows, fmt, render.SOURCE_COLUMNS, title="Sources")


@app.command()
def quotes(
    speaker: Annotated[str | None, typer.Option("--speaker", "-s", metavar="NAME", help="Who said it: name, "
                       "alias or surname; typos and Cyrillic are tolerated.")] = None,
    text: Annotated[str | None, typer.Option("--search", help="Words in the quote (fuzzy).",
                    metavar="TEXT")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source_id: SourceOption = None,
    outlet: Annotated[str | None, typer.Option("--outlet", metavar="NAME", help="Published by, or said to, "
                      "this outlet.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List quotes in date order, filtered by speaker, text, date, source or outlet.

    Example: nkb quotes --speaker Galuzin --since 2023
    """
    kb = open_kb()
    found = search.find_quotes(kb, speaker, text, date_option(since, "--since"),
                               date_option(until, "--until"), source_id, outlet)
    empty = search.no_quotes_message(kb, speaker) if not found and speaker else None
    rows = [render.quote_row(kb, q) for q in found]
    render.emit_rows(rows, fmt, render.QUOTE_COLUMNS, render.QUOTE_TABLE, title="Quotes",
                     empty=empty)


@app.command()
def events(
    since: SinceOption = None,
    until: UntilOption = None,
    actor: Annotated[str | None, typer.Option("--actor", "-a", metavar="NAME",
                     help="Taking part: name, alias or surname.")] = None,
    place: Annotated[str | None, typer.Option("--place", metavar="NAME", help="Where it happened.")] = None,
    source_id: SourceOption = None,
    text: Annotated[str | None, typer.Option("--search", help="Words in the title or "
                    "description (fuzzy).", metavar="TEXT")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N events.")]
    = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List events in date order; partial dates match any range they overlap.

    Example: nkb events --since 2020 --actor Putin
    """
    kb = open_kb()
    found = search.find_events(kb, date_option(since, "--since"), date_option(until, "--until"),
                               actor, place, source_id, text, limit)
    rows = [render.event_row(kb, e) for e in found]
    render.emit_rows(rows, fmt, render.EVENT_COLUMNS, render.EVENT_TABLE, title="Events")


@app.command()
def actors(
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help=f"{_choices(ACTOR_KINDS)}.")]
    = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List actors: people, organisations, states.

    Example: nkb actors --kind person
    """
    if kind is not None and kind not in ACTOR_KINDS:
        raise typer.BadParameter(f"use {_choices(ACTOR_KINDS)}", param_hint="--kind")
    kb = open_kb()
    rows = [render.actor_row(a) for a in search.find_actors(kb, kind)]
    render.emit_rows(rows, fmt, render.ACTOR_COLUMNS, title="Actors")


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="Name, alias, surname or id; fuzzy.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one actor: aliases, roles, their quotes and the events they take part in.

    Example: nkb actor Zakharova
    """
    kb = open_kb()
    found = search.resolve_actor(kb, name)
    profile = render.actor_profile(kb, found)
    if fmt is Format.json:
        render.write(render.to_json(profile))
    elif fmt is Format.csv:
        raise fail("`actor` prints one profile, not a listing; use "
                   f"`nkb quotes --speaker {found.id} --format csv`", ExitCode.USAGE)
    elif fmt is Format.md:
        render.write(render.actor_md(profile))
    else:
        render.print_rich(render.actor_view(profile))


@app.command(name="search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to look for.", metavar="TEXT")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N hits.")] = 20,
    fmt: FormatOption = Format.table,
) -> None:
    """Search quotes, events, actors and sources at once, best matches first.

    Example: nkb search "peace treaty"
    """
    kb = open_kb()
    hits = search.search_all(kb, query, limit)
    rows = [render.hit_row(h) for h in hits]
    render.emit_rows(rows, fmt, render.HIT_COLUMNS, title=f"Search: {query}",
                     empty=f"nothing matches {query!r}")


@app.command()
def timeline(
    since: SinceOption = None,
    until: UntilOption = None,
    actor: Annotated[str | None, typer.Option("--actor", "-a", metavar="NAME", help="Taking part "
                     "in the event or speaking the quote: name, alias or surname.")] = None,
    source_id: SourceOption = None,
    events_only: Annotated[bool, typer.Option("--events-only", help="Leave quotes out.")] = False,
    fmt: Annotated[TimelineFormat, typer.Option("--format", "-f", help="Output format.")]
    = TimelineFormat.table,
) -> None:
    """Show events and quotes in date order, by year and month; empty years are collapsed.

    Partial dates are shown as what they are (a month, an interval, ~ approximate,
    ? uncertain), never as an exact day.

    Example: nkb timeline --since 2020 --actor Rudenko
    """
    from nkb import timeline as tl

    kb = open_kb()
    built = tl.build(kb, date_option(since, "--since"), date_option(until, "--until"), actor,
                     source_id, events_only)
    if fmt is TimelineFormat.json:
        render.write(render.to_json(tl.to_data(built)))
    elif not built.sections:
        sys.stderr.write("nkb: no events or quotes match these filters\n")
    else:
        render.print_rich(tl.to_rich(built))


export_app = typer.Typer(
    help="Write the whole KB to a SQLite database, JSON Lines or CSV files.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an export nkb wrote there "
                        "before; never another file or folder, never a file inside the KB.")]


@export_app.command("sqlite")
def export_sqlite(
    path: Annotated[str, typer.Argument(metavar="PATH", help="Database file to create.")],
    force: ForceOption = False,
) -> None:
    """A SQLite database: tables with foreign keys, sortable dates, full-text search.

    Browse it with Datasette (pip install -e ".[datasette]").

    Example: nkb export sqlite nkb.db && datasette nkb.db
    """
    from nkb import export

    export.export_sqlite(open_kb(), Path(path), force=force)
    sys.stderr.write(f"nkb: wrote {visible(path)}\n")


@export_app.command("jsonl")
def export_jsonl(
    path: Annotated[str, typer.Argument(metavar="PATH|-", help="File to create, or - for "
                    "stdout.")],
    force: ForceOption = False,
) -> None:
    """JSON Lines: one record per line (source, actor, event, quote), each with a `type`.

    Example: nkb export jsonl - | grep '"type": "quote"'
    """
    from nkb import export

    export.export_jsonl(open_kb(), None if path == "-" else Path(path), force=force)
    if path != "-":
        sys.stderr.write(f"nkb: wrote {visible(path)}\n")


@export_app.command("csv")
def export_csv(
    path: Annotated[str, typer.Argument(metavar="DIR", help="Folder to create.")],
    force: ForceOption = False,
) -> None:
    """CSV: one file per table, with the same columns as the SQLite tables.

    Example: nkb export csv nkb-csv
    """
    from nkb import export

    export.export_csv(open_kb(), Path(path), force=force)
    sys.stderr.write(f"nkb: wrote {visible(path)}/\n")


@app.command()
def add(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The article as UTF-8 text; "
                    "- reads standard input.")],
    source_id: Annotated[str | None, typer.Option("--id", help="Source id to use (default: "
                         "the next free one); an existing id is refused.", metavar="ID")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="The publisher, where the "
                      "text does not name it.", metavar="NAME")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The publication date (EDTF), "
                    "where the text does not print it.", metavar="DATE")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The address of the page the "
                   "article came from (absolute http or https).", metavar="URL")] = None,
    force_copy: Annotated[bool, typer.Option("--force", help="Add the article even if the KB "
                          "already holds it or a near-copy of it.")] = False,
) -> None:
    """Add an article as a draft source: its text verbatim, plus a record with the date, outlet,
    quotes and speakers found in it, for a curator to confirm. Never overwrites anything.

    Example: nkb add article.txt --outlet TASS
    """
    from nkb import add as adding  # deferred: only this command needs the extractor

    root = store.find_kb(state.kb_option)
    data = adding.read_article(file, sys.stdin.buffer if sys.stdin is not None else None)
    added = adding.add_article(root, data, file, source_id, outlet, date, url, force_copy)
    sys.stderr.write(visible(adding.summary(added)))
    try:  # the add is committed: failing to print its path must not make it look undone
        render.write(f"{visible(str(added.draft_path))}\n")
    except process.OutputFailed as exc:
        sys.stderr.write(f"nkb: source {added.id} was added; only its path could not be "
                         f"printed: {visible(str(exc))}\n")


@app.command()
def cite(
    ident: Annotated[str | None, typer.Argument(metavar="ID", help="A source id (003 or 3) or "
                     "a quote id (003-4).")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every source.")] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Cite draft sources too, marked as "
                      "drafts.")] = False,
    fmt: Annotated[CiteFormat, typer.Option("--format", "-f", help="Output format.")]
    = CiteFormat.text,
) -> None:
    """Cite a source or a quote: a reference line, or an entry for a reference manager
    (CSL-JSON for Zotero and pandoc, biblatex, RIS).

    Example: nkb cite 003 --format csl-json > refs.json
    """
    from nkb import cite as citing

    if (ident is None and not every) or (ident is not None and every):
        raise fail("give one source or quote id, or --all", ExitCode.USAGE)
    kb = open_kb()
    if ident is not None:
        refs = [citing.find(kb, ident, drafts)]
    else:
        refs, skipped = citing.every_source(kb, drafts)
        if skipped:
            sys.stderr.write(f"nkb: left out {len(skipped)} draft source(s) "
                             f"({', '.join(skipped)}); add --drafts to cite them as drafts\n")
    render.write(citing.render(refs, fmt))


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
        sys.stderr.write("  give more of the name, or the id\n")
    elif not isinstance(exc, Interrupted):
        sys.stderr.write(f"nkb: error: {visible(str(exc))}\n")
    return int(exc.exit_code)


def main(argv: list[str] | None = None) -> int:
    """Run nkb; every outcome ends here as an exit status, never as a traceback.

    Ctrl-C handling and the guarded stderr last for this call only, so nkb can run in-process.
    """
    return process.guarded(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    try:
        code = app(args=argv, prog_name="nkb", standalone_mode=False)
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


def run() -> None:
    """Console-script entry point."""
    process.run_to_exit(main)


process.restore_sigint(_SIGINT_AT_IMPORT)


if __name__ == "__main__":
    run()
