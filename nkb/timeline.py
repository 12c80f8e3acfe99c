"""The KB as a chronology: events and quotes by year and month, empty stretches collapsed.

`build` returns plain data (a `Timeline` of `Year` and `Gap` sections); `to_data` turns it into
JSON-ready dicts and `to_rich` into a terminal picture. A date is shown as what it is: a month
stays a month, an interval an interval, and EDTF's `~` (approximate) and `?` (uncertain) marks are
kept, so nothing is drawn as an exact day that the KB does not know to the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from nkb import dates, search
from nkb.dates import Span
from nkb.index import KB
from nkb.models import Actor, Event, Quote
from nkb.text import natural_key, visible

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
EVENT_MARK = "■"
QUOTE_MARK = "»"
DASH = "\u2013"  # between years of a range



@dataclass(frozen=True, slots=True)
class Entry:
    """One event or quote placed on the timeline, with its date described as what it is."""

    kind: str  # event or quote
    id: str
    date: str  # the EDTF date as the KB has it
    start: str  # the first and last day it can mean
    end: str
    precision: str  # day, month, year, decade, interval, open or other
    length: str  # the date's extent in words, with EDTF's ~ and ? marks: "~month", "2 days?"
    approximate: bool
    uncertain: bool
    text: str  # the event title, or the whole quote
    speaker: str | None  # quotes only: the speaker's name
    quote_kind: str | None  # quotes only: direct or paraphrase
    sources: tuple[str, ...]
    draft: bool = False  # from a draft source, not yet curated (shown only with --drafts)
    range: str | None = None  # a range was asked for: certain, or possible (may fall outside)
    topics: tuple[str, ...] = ()  # quotes only: the topics it is tagged with


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """The entries of one month of a year; month None holds those that span several months."""

    month: int | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Year:
    """The entries placed in one year (by their first day, or their last if open-started)."""

    year: int
    groups: tuple[MonthGroup, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """Years in which no entry is placed. `within_spans`: some longer date above covers them."""

    first: int
    last: int
    within_spans: bool


@dataclass(frozen=True, slots=True)
class Timeline:
    """Year and gap sections in date order, with counts of what they hold."""

    sections: tuple[Year | Gap, ...]
    events: int
    quotes: int
    asked: str | None = None  # the date range asked for, in words ('2020', 'from 2019-03')


# --- building ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """What the timeline shows: a date range, actors taking part or speaking, sources citing
    or quoted, quote kinds, whether quotes at all, and whether drafts count."""

    since: Span | None = None
    until: Span | None = None
    actors: tuple[Actor, ...] = ()
    sources: tuple[str, ...] = ()
    events_only: bool = False
    kinds: tuple[str, ...] = ()  # direct, paraphrase
    drafts: bool = False
    within: bool = False  # only dates certainly inside [since, until]
    topics: tuple[str, ...] = ()  # quotes on any of these; events carry no topics, so none


def build(kb: KB, wanted: TimelineFilter = TimelineFilter()) -> Timeline:
    """The timeline of the events (and, unless `events_only`, quotes) matching the filters:
    taking part in an event or speaking a quote for `actors`, citing or quoted in `sources`."""
    events = [] if wanted.topics else search.find_events(kb, search.EventFilter(
        since=wanted.since, until=wanted.until, actors=wanted.actors, sources=wanted.sources,
        drafts=wanted.drafts, within=wanted.within))
    quotes = [] if wanted.events_only else search.find_quotes(kb, search.QuoteFilter(
        speakers=wanted.actors, since=wanted.since, until=wanted.until, sources=wanted.sources,
        kinds=wanted.kinds, drafts=wanted.drafts, within=wanted.within,
        topics=wanted.topics))
    fits = search.range_marks(kb, [*events, *quotes], wanted.since, wanted.until)
    entries = [replace(event_entry(kb, e, wanted.drafts), range=fits.get(e.id)) for e in events]
    entries += [replace(quote_entry(kb, q), range=fits.get(q.id)) for q in quotes]
    asked = dates.range_label(wanted.since, wanted.until) if fits or wanted.since or \
        wanted.until else None
    return Timeline(sections(entries), len(events), len(quotes), asked)


def event_entry(kb: KB, event: Event, drafts: bool = False) -> Entry:
    return _entry(kb, "event", event.id, event.date, event.title, None, None,
                  search.shown_sources(kb, event, drafts), draft=False)


def quote_entry(kb: KB, quote: Quote) -> Entry:
    # whole: a journalist may quote what the timeline shows, so nothing is cut
    entry = _entry(kb, "quote", quote.id, quote.date, quote.text, kb.speaker_name(quote),
                   quote.kind, [quote.source], draft=search.is_draft(kb, quote.source))
    return replace(entry, topics=tuple(quote.topics))


def _entry(kb: KB, kind: str, ident: str, edtf: str, text: str, speaker: str | None,
           quote_kind: str | None, sources: Iterable[str], draft: bool) -> Entry:
    span = kb.span(edtf) or dates.parse_edtf(edtf)
    precision, length = describe(edtf, span)
    return Entry(kind, ident, edtf, span.start, span.end, precision, length,
                 approximate=_approximate(edtf), uncertain=_uncertain(edtf), text=text,
                 speaker=speaker, quote_kind=quote_kind, sources=tuple(sources), draft=draft)


def _approximate(edtf: str) -> bool:
    return "~" in edtf or "%" in edtf


def _uncertain(edtf: str) -> bool:
    return "?" in edtf or "%" in edtf


def describe(edtf: str, span: Span) -> tuple[str, str]:
    """How precise a date is (day, month, year, decade, interval, open, other) and its extent
    in words marked like EDTF: `~` in front if approximate, `?` after if uncertain."""
    open_start, open_end = span.start == dates.EARLIEST, span.end == dates.LATEST
    if open_start or open_end:
        words = "open start" if open_start else "open end"
        return "open", ("~" if _approximate(edtf) else "") + words + \
            ("?" if _uncertain(edtf) else "")
    start, end = _day(span.start), _day(span.end)
    days = (end - start).days + 1
    if "/" in edtf:
        precision, words = "interval", _length(days)
    elif days == 1:
        precision, words = "day", "day"
    elif start.day == 1 and (start.year, start.month) == (end.year, end.month) and \
            (end + dt.timedelta(days=1)).day == 1:
        precision, words = "month", "month"
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        years = end.year - start.year + 1
        precision = {1: "year", 10: "decade", 100: "century"}.get(years, "other")
        words = precision if precision != "other" else f"{years} years"
    else:
        precision, words = "other", _length(days)
    marked = ("~" if _approximate(edtf) else "") + words + ("?" if _uncertain(edtf) else "")
    return precision, marked


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _length(days: int) -> str:
    if days <= 62:
        return f"{days} days"
    if days < 730:
        return f"{round(days / 30.44)} months"
    return f"{round(days / 365.25)} years"


def _anchor(entry: Entry) -> str:
    return Span(entry.start, entry.end).anchor


def _month_of(entry: Entry) -> int | None:
    if entry.start == dates.EARLIEST or entry.start[:7] != entry.end[:7]:
        return None
    return int(entry.start[5:7])


def _order(entry: Entry) -> tuple[str, str, str, str]:
    return (_anchor(entry), entry.end, entry.kind, natural_key(entry.id))


def sections(entries: Iterable[Entry]) -> tuple[Year | Gap, ...]:
    """Entries grouped by year and month, with the empty years between them collapsed."""
    by_year: dict[int, list[Entry]] = {}
    for entry in sorted(entries, key=_order):
        by_year.setdefault(int(_anchor(entry)[:4]), []).append(entry)
    covered = _covered_years(e for year in by_year.values() for e in year)
    out: list[Year | Gap] = []
    previous: int | None = None
    for year in sorted(by_year):
        if previous is not None:
            out.extend(_gaps(previous + 1, year - 1, covered))
        out.append(Year(year, _groups(by_year[year])))
        previous = year
    return tuple(out)


def _groups(entries: list[Entry]) -> tuple[MonthGroup, ...]:
    months: dict[int | None, list[Entry]] = {}
    for entry in entries:
        months.setdefault(_month_of(entry), []).append(entry)
    # dates spanning several months come first: they begin no later than the year's months
    keys = sorted(months, key=lambda m: -1 if m is None else m)
    return tuple(MonthGroup(m, tuple(months[m])) for m in keys)


def _covered_years(entries: Iterable[Entry]) -> set[int]:
    years: set[int] = set()
    for entry in entries:
        if entry.start != dates.EARLIEST and entry.end != dates.LATEST:
            years.update(range(int(entry.start[:4]), int(entry.end[:4]) + 1))
    return years


def _gaps(first: int, last: int, covered: set[int]) -> list[Gap]:
    gaps: list[Gap] = []
    for year in range(first, last + 1):
        within = year in covered
        if gaps and gaps[-1].within_spans == within and gaps[-1].last == year - 1:
            gaps[-1] = Gap(gaps[-1].first, year, within)
        else:
            gaps.append(Gap(year, year, within))
    return gaps


# --- output -------------------------------------------------------------------------------------


def to_data(timeline: Timeline) -> dict[str, Any]:
    """The timeline as JSON-ready data."""
    out: list[dict[str, Any]] = []
    for section in timeline.sections:
        if isinstance(section, Gap):
            out.append({"type": "gap", **asdict(section)})
            continue
        groups = [{"month": g.month, "entries": [_entry_data(e) for e in g.entries]}
                  for g in section.groups]
        out.append({"type": "year", "year": section.year, "groups": groups})
    asked = {"range": timeline.asked} if timeline.asked else {}
    return {"events": timeline.events, "quotes": timeline.quotes, **asked, "sections": out}


def _entry_data(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    data["sources"] = list(entry.sources)
    data["topics"] = list(entry.topics)
    if entry.range is None:  # as in listings: `range` only where a range was asked for
        del data["range"]
    return data


def gap_label(gap: Gap) -> str:
    years = f"{gap.first}" if gap.first == gap.last else f"{gap.first}{DASH}{gap.last}"
    what = "only the longer dates above" if gap.within_spans else "nothing"
    return f"… {years}: {what} …"


def entry_body(entry: Entry) -> Any:
    """The entry's text as rich Text (never markup: KB text may hold [brackets])."""
    from rich.text import Text

    if entry.kind == "event":
        return Text(visible(entry.text))
    body = Text()
    if entry.draft:
        body.append("[draft] ", style="bold red")
    body.append(visible(entry.speaker or ""), style="bold")
    if entry.quote_kind == "paraphrase":
        body.append(": (paraphrase) " + visible(entry.text))
    else:
        body.append(": “" + visible(entry.text) + "”")
    return body


ROW_COLUMNS = ("date", "length", "kind", "id", "speaker", "quote_kind", "text", "sources",
               "status")


def to_rows(timeline: Timeline) -> list[dict[str, Any]]:
    """The timeline's entries in order, one row each, for CSV and Markdown."""
    return [{"date": e.date, "length": e.length, "kind": e.kind, "id": e.id,
             "speaker": e.speaker, "quote_kind": e.quote_kind, "text": e.text,
             "sources": list(e.sources), "status": "draft" if e.draft else "curated",
             **({"range": e.range} if e.range else {})}
            for s in timeline.sections if isinstance(s, Year)
            for g in s.groups for e in g.entries]


def to_rich(timeline: Timeline) -> Any:
    """The timeline as a rich renderable: year headings, month subheadings, one line per entry
    (date as in the KB, its extent, a mark for event or quote, the text, the source ids);
    on a narrow terminal, the text on lines of its own below them."""
    from rich.console import Group
    from rich.text import Text

    entries = [e for s in timeline.sections if isinstance(s, Year)
               for g in s.groups for e in g.entries]
    if not entries:
        return Text("No events or quotes match these filters.")
    widths = {
        "date": max(len(_shown_date(e)) for e in entries),
        "length": max(len(e.length) for e in entries),
        "sources": max(len(", ".join(e.sources)) for e in entries),
    }
    years = [s.year for s in timeline.sections if isinstance(s, Year)]
    span = f"{years[0]}" if years[0] == years[-1] else f"{years[0]}{DASH}{years[-1]}"
    possible = any(e.range == dates.POSSIBLE for e in entries)
    heading = Text(f"Timeline {timeline.asked or span}: {_count(timeline.events, 'event')}, "
                   f"{_count(timeline.quotes, 'quote')}", style="bold")
    legend = Text(f"{EVENT_MARK} event  {QUOTE_MARK} quote  ~ approximate  ? uncertain"
                  + (f"  {dates.POSSIBLE_MARK} may fall outside {timeline.asked}" if possible else ""),
                  style="dim")
    parts: list[Any] = [ByWidth(Text.assemble(heading, "   ", legend), Group(heading, legend),
                                len(heading) + 3 + len(legend))]
    for section in timeline.sections:
        if isinstance(section, Gap):
            parts.append(Text(gap_label(section), style="dim italic"))
            continue
        parts.append(Text(str(section.year), style="bold"))
        for group in section.groups:
            if group.month is not None:
                parts.append(Text("  " + MONTHS[group.month - 1], style="bold cyan"))
            parts.append(ByWidth(_columns_grid(group, widths), _lines_grid(group),
                                 sum(widths.values()) + COLUMN_EDGES + TEXT_LEAST))
    return Group(*parts)


TEXT_LEAST = 45  # narrower than this, an entry's text goes on lines of its own, full width
COLUMN_EDGES = 3 + 1 + 5  # the indent, the mark and the padding between the six columns


class ByWidth:
    """One of two renderables, chosen by the width it is drawn in: `wide` from `least` on."""

    def __init__(self, wide: Any, narrow: Any, least: int) -> None:
        self.wide, self.narrow, self.least = wide, narrow, least

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self.wide if options.max_width >= self.least else self.narrow


def _mark(entry: Entry) -> Any:
    from rich.text import Text

    return Text(EVENT_MARK if entry.kind == "event" else QUOTE_MARK,
                style="yellow" if entry.kind == "event" else "green")


def _columns_grid(group: MonthGroup, widths: dict[str, int]) -> Any:
    """One line per entry: date, extent, mark, text (wrapped in its column), sources."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3)
    grid.add_column(width=widths["date"], no_wrap=True)
    grid.add_column(width=widths["length"], no_wrap=True, style="dim")
    grid.add_column(width=1)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(width=widths["sources"], no_wrap=True, style="dim")
    for entry in group.entries:
        grid.add_row("", Text(_shown_date(entry)), Text(entry.length), _mark(entry),
                     entry_body(entry), Text(", ".join(entry.sources)))
    return grid


def _lines_grid(group: MonthGroup) -> Any:
    """For a narrow terminal: each entry's date, extent and sources on one line, and its text
    below, using the whole width."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for entry in group.entries:
        grid.add_row("", Text.assemble(_shown_date(entry), "  ", (entry.length, "dim"), "  ",
                                       (", ".join(entry.sources), "dim")))
        grid.add_row(_mark(entry), entry_body(entry))
    return grid




def _shown_date(entry: Entry) -> str:
    mark = dates.POSSIBLE_MARK if entry.range == dates.POSSIBLE else ""
    return mark + visible(entry.date)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
