"""An article's publication date, reasoned from every date the page carries.

Pure functions over the text and a given "today". The clues are collected with their role (the
page's header line, the dateline, a byline or title line, a weekday or "today (25 May)" in the
lead, dates the body reports as past) and the publication date is the one consistent with all
reliable clues:
- never after today, never a day the calendar lacks;
- a printed date contradicted by the body (it reports as past something later) is rejected;
- dates outside the body (related headlines, widgets, copyright lines, lists after the end)
  are never read;
- a day and month without a year: the years from the latest past date the body gives up to
  today, narrowed by a weekday where the lead names one;
- else the tightest interval the text supports, marked `TODO confirm:` with its basis.

The clues are read once (`_read_clues`); the ways they give a date are the ordered named rules
of DATE_RULES, most precise first: the first that fires gives the date, its name opens the
basis, and its strength is the proposal's, lowered by a rejected clue or a doubt, never raised.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from nkb.errors import UsageError
from nkb.models import Strength
from nkb.reader.lexicon import MONTH, MONTHS, SPEECH_PAST, WEEKDAY, WEEKDAYS, YEAR

# Opens every basis the curator must confirm; `nkb check` lists records whose basis starts so.
TODO = "TODO confirm: "
TODAY_VARIABLE = "NKB_TODAY"  # YYYY-MM-DD: the day nkb takes as today (tests, re-runs)

HEADER_LINE_MAX = 160  # longer lines are body text, not a header
DATELINE_LAG = 31  # days a repost's page date may trail the dateline it reprints


def today(given: dt.date | None = None) -> dt.date:
    """The day taken as today: `given`, else $NKB_TODAY, else the machine's clock."""
    if given is not None:
        return given
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{TODAY_VARIABLE}={value!r} is not a date; write it as YYYY-MM-DD "
                         f"or unset it to use the clock") from None


def month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").casefold()]


def day_of(year: int, month: int, day: int) -> dt.date | None:
    """The calendar day, or None for one that does not exist (30 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DateFinding:
    """The article's date (EDTF), how it was found (the basis opens with the name of the rule
    of DATE_RULES that fired), its strength, and whether it is printed in full."""

    edtf: str
    basis: str
    strength: Strength
    rule: str
    printed: bool
    dateline: str | None = None
    alternatives: tuple[str, ...] = ()  # the days that disagreeing clues give, earliest first


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as printed, perhaps without its year (a dateline "June 17")."""

    text: str
    month: int | None
    day: int | None
    year: int | None = None
    weekday: int | None = None  # Monday = 0, where the dateline prints one


# --- where the article is ---------------------------------------------------------------------

_HEADER_META = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b")
# Lines that end the article: what follows is page furniture (related headlines, tags, legal).
_END_MARKERS = re.compile(
    r"^\s*(?:related(?:\s+(?:posts|news|articles|stories))?\s*:?\s*$|read (?:also|more)\b|"
    r"see also\b|more (?:about|on|from|news)\b|subjects?\s*:|tags?\s*:|topics?\s*:|"
    r"keywords?\s*:|latest news\b|most (?:read|popular|viewed)\b|recommended\b|"
    r"also read\b|you may (?:also )?like\b|share (?:this|on)\b|copyright\b|\u00a9|"
    r"all rights reserved\b|this (?:website|site) uses cookies\b|"
    r"(?=.{0,40}$)(?:(?:most\s+)?popular\b|trending\b|top (?:news|stories)\b|"
    r"editor['\u2019]s (?:picks?|choice)\b|"
    r"(?:other|more|related|latest|recent) (?:news|posts|articles|stories)\b|news ?feed\b|"
    r"(?:previous|next|prev)(?: (?:article|post|story|news))?\s*:|"
    r"(?:previous|next) (?:article|post|story)\b|comments?\s*(?:\(\d+\))?\s*:?\s*$|"
    r"\d+ comments?\b|leave a (?:comment|reply)\b|add (?:a )?comment\b|follow us\b|"
    r"subscribe\b|newsletter\b|print version\b)|"
    r"(?:https?://|www\.)\S+\s*$)", re.IGNORECASE)
# A line carrying a time of day or an ISO timestamp, or "Section | ..." parts, inside the body:
# a related headline or a widget, not the article's own words.
_WIDGET = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|\s\|\s")
_QUOTE_MARK = re.compile(r"[\"“”«»]")


def _dated_headline(line: str) -> bool:
    """A line that opens or ends with a full date and is no sentence: a headline in a list of
    other articles ("17.06.2021 Talks resumed", "Talks resumed - 17 June 2021")."""
    line = re.sub(r"[\s)\]]+$", "", line.strip())
    if re.search(r"[.!?\"\u201d]$", line):
        return False
    return opens_with_date(line) or any(
        m.end() == len(line) for p in _FULL_DATES for m in p.finditer(line))


def lines_with_offsets(text: str) -> list[tuple[int, str]]:
    """The non-blank lines of a text, each with the offset it starts at."""
    out, at = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            out.append((at, line.rstrip("\r\n")))
        at += len(line)
    return out


@dataclass(frozen=True, slots=True)
class Layout:
    """Offsets of the page's parts: header lines, then the body, then what follows it."""

    body_start: int
    body_end: int
    skipped: tuple[tuple[int, int], ...]  # widget lines inside the body, headline lists above it

    def in_body(self, at: int) -> bool:
        return self.body_start <= at < self.body_end and not self.furniture(at)

    def furniture(self, at: int) -> bool:
        return any(a <= at < b for a, b in self.skipped)


# A heading over a list of other articles ("Latest news", "Most read", "Read also").
_LIST_HEADING = re.compile(
    r"^\s*(?:(?:(?:latest|last|top|more|other|related|recent|popular|main|breaking)\s+)?"
    r"(?:news|headlines|stories|posts|articles)|most (?:read|popular|viewed)|read (?:also|more)|"
    r"see also|also read|popular|trending|editor['\u2019]s (?:picks?|choice))\s*:?\s*$",
    re.IGNORECASE)
HEADLINE_WORDS = 3  # words besides its date that make a dated line a headline


def _listed_headline(line: str) -> bool:
    """A dated headline with words of its own ("17.06.2021 Talks resumed in Baku")."""
    if not _dated_headline(line):
        return False
    rest = re.sub(r"\d{1,2}:\d{2}", " ", line)
    for pattern in _FULL_DATES:
        rest = pattern.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) >= HEADLINE_WORDS


def head_lists(lines: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """The lines that list other articles among `lines` (the head of a page): dated headlines
    two or more in a row, or one under a list heading. A page's own "Title - 17 June 2021"
    line stands alone, so it is kept."""
    spans = []
    for i, (at, line) in enumerate(lines):
        if not _listed_headline(line):
            continue
        before = lines[i - 1][1] if i else ""
        after = lines[i + 1][1] if i + 1 < len(lines) else ""
        if _listed_headline(before) or _listed_headline(after) or _LIST_HEADING.match(before):
            spans.append((at, at + len(line)))
    return spans


# A link to another article on one line, "Read also: Envoys to meet again": inside the body
# when the body goes on after it.
_INLINE_LINK = re.compile(r"^\s*(?:read (?:also|more)|see also|also read|related)\s*:\s*\S",
                          re.IGNORECASE)


def _body_like(lines: list[tuple[int, str]]) -> bool:
    """Does the article go on in these lines, before any furniture: a long line, a sentence of
    eight words or more, or a line with a quote mark?"""
    for _, line in lines:
        if _END_MARKERS.match(line) or _INLINE_LINK.match(line):
            return False
        if len(line.strip()) > HEADER_LINE_MAX or _QUOTE_MARK.search(line) or (
                len(line.split()) >= 8 and re.search(r"[.!?:\"\u201d]\s*$", line)):
            return True
    return False


# The date reasoning and the quote reader both ask for the layout of the same article: it is
# read once. Layout is immutable, so sharing it is safe.
@functools.lru_cache(maxsize=4)
def layout(text: str, dateline: str | None = None) -> Layout:
    """Where the body starts (the dateline, or the first long line) and ends (the first line
    of page furniture after it)."""
    lines = lines_with_offsets(text)
    meta = _HEADER_META.match(text)
    start = None
    for at, line in lines:
        body = line[meta.end() - at:] if meta and at < meta.end() else line
        if (dateline and dateline in line) or len(body.strip()) > HEADER_LINE_MAX or (
                len(body.split()) >= 12 and re.search(r"[.!?:\"”]\s*$", body)):
            start = at
            break
    if start is None:  # short lines only (a transcript): the body starts after the dated ones
        undated = [at for at, line in lines if (meta and at < meta.end()) or not any(
            p.search(line) for p in _FULL_DATES)]
        start = undated[0] if undated else (lines[0][0] if lines else 0)
    if meta:
        start = max(start, meta.end())
    end = len(text)
    skipped = head_lists([(at, line) for at, line in lines if at < start])
    for index, (at, line) in enumerate(lines):
        if at <= start:
            continue
        if _INLINE_LINK.match(line) and _body_like(lines[index + 1:index + 4]):
            skipped.append((at, at + len(line)))  # "Read also: ..." between two paragraphs
            continue
        if _END_MARKERS.match(line):
            end = at
            break
        if ((_WIDGET.search(line) or _dated_headline(line)) and len(line) <= HEADER_LINE_MAX
                and not _QUOTE_MARK.search(line)) or re.match(r"^\s*advertisement\b", line,
                                                              re.IGNORECASE):
            skipped.append((at, at + len(line)))
    return Layout(start, end, tuple(skipped))


# --- dates as printed -------------------------------------------------------------------------

_FULL_DATES = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?|-)(?P<month>{MONTH})"
               rf"(?:,?\s+|-)(?P<year>\d{{4}})(?!\d)", re.IGNORECASE),
    re.compile(rf"\b(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
               rf"(?P<year>\d{{4}})(?!\d)", re.IGNORECASE),
    re.compile(r"(?<![\d.])(?P<year>\d{4})(?P<sep>[-/.])(?P<mon>\d{2})(?P=sep)(?P<day>\d{2})(?![\d])"),
    re.compile(r"(?<![\d.:/-])(?P<day>\d{1,2})(?P<sep>[./-])(?P<mon>\d{1,2})(?P=sep)"
               r"(?P<year>\d{4})(?![\d.])"),
]
# "12.03.21" with the year in two digits: read on the lines above the article only, where a
# page prints its own date so; in the body such a run may be anything.
_SHORT_YEAR = re.compile(r"(?<![\d.:/-])(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{2})"
                         r"(?![\d.]|\.\d)")
def opens_with_date(line: str) -> bool:
    """Does the line start with a full date ("March 11, 2011 Friday", "2021-06-17 14:05")?"""
    line = re.sub(rf"^\s*(?:{WEEKDAY},?\s*)?", "", line, flags=re.IGNORECASE)
    return any(p.match(line) for p in _FULL_DATES)


_PRINTED_WEEKDAY = re.compile(rf"{WEEKDAY},?\s*$", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{MONTH})\s+(?:of\s+)?(?P<year>\d{{4}})(?!\d)")
_DAY_MONTH = re.compile(rf"\b(?:(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
                        rf"(?:\s*[-\u2013]\s*(?P<day2>\d{{1,2}}))?|(?P<dayb>\d{{1,2}})"
                        rf"(?:\s*[-\u2013]\s*(?P<day2b>\d{{1,2}}))?(?:st|nd|rd|th)?\s+(?:of\s+)?"
                        rf"(?P<monthb>{MONTH}))\b(?!\s*,?\s*\d{{4}})")
_YEAR_RANGE = re.compile(r"\b(?P<first>(?:19|20)\d\d)\s*[-\u2013]\s*(?P<last>\d{2}|\d{4})\b")
# "today (25 May)", "Wire reports on July 16": the day the article itself is of.
_TODAY_DAY = re.compile(rf"\b(?:today\s*,?\s*\(|reports?\s+on\s+)\s*(?:(?P<day>\d{{1,2}})\s+"
                        rf"(?P<month>{MONTH})|(?P<monthb>{MONTH})\s+(?P<dayb>\d{{1,2}}))\b", re.IGNORECASE)
# Words that make the date after them one to come, not past ("will meet on May 5, 2024",
# "scheduled for 2025", "by 2030"); looked for just before the date, in its sentence.
_FUTURE = re.compile(r"\b(?:will|would|shall|plans?|planned|planning|scheduled|expected|"
                     r"upcoming|next|to be held|due|intends?|aims?|set for|going to|"
                     r"forthcoming|deadline|is to|are to)\b", re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:by|until|till|through|before|ahead of)\s+(?:the\s+(?:end|beginning|"
                    r"start|middle)\s+of\s+)?$", re.IGNORECASE)
FUTURE_REACH = 50  # characters before a date searched for a word of the future


def _future(sentence: str, at: int) -> bool:
    before = sentence[max(0, at - FUTURE_REACH):at]
    return bool(_FUTURE.search(before) or _UNTIL.search(before))


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_WEEKDAY_SAID = re.compile(rf"\b(?:{SPEECH_PAST})\b[^.!?\n]{{0,80}}?\b(?:on|late|early|"
                           rf"earlier on|later on)?\s*{WEEKDAY}|\b(?:late|early)\s+{WEEKDAY}|"
                           rf"\bon\s+{WEEKDAY}[^.!?\n]{{0,80}}?\b(?:{SPEECH_PAST})\b")


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _full_date(match: re.Match[str]) -> dt.date | None:
    """The day a printed date names; None for a day the calendar lacks, and for a slashed
    "03/04/2021" that may be day/month or month/day (only a part over 12 tells them apart:
    "13/03/2021" and "03/13/2021" are both 13 March)."""
    groups = match.groupdict()
    month = month_number(groups["month"]) if groups.get("month") else int(groups["mon"])
    day = int(groups["day"])
    year = int(groups["year"]) + (2000 if len(groups["year"]) == 2 else 0)
    if groups.get("sep") in ("/", "-") and match.start("day") < match.start("year"):
        if month > 12 >= day:  # month first, as in the United States
            day, month = month, day
        elif day <= 12 and day != month:
            return None
    return day_of(year, month, day)


def _either_order(match: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    """The two days a slashed or dashed "03/04/2021" may name (4 March or 3 April), where both
    parts are months."""
    groups = match.groupdict()
    if groups.get("sep") not in ("/", "-") or match.start("day") > match.start("year"):
        return None
    first, second, year = int(groups["day"]), int(groups["mon"]), int(groups["year"])
    if first == second or first > 12 or second > 12:
        return None
    one, other = day_of(year, second, first), day_of(year, first, second)
    return (min(one, other), max(one, other)) if one and other else None


@dataclass(frozen=True, slots=True)
class _Printed:
    day: dt.date
    role: str
    text: str


def _header_dates(text: str, lay: Layout) -> list[_Printed]:
    """Full dates on the short lines before the body (byline, timestamp, title line), each
    checked against a weekday printed just before it."""
    found = []
    for at, line in lines_with_offsets(text[:lay.body_start]):
        if lay.furniture(at):
            continue  # a list of other articles' headlines above this one
        meta = _HEADER_META.match(line) if at == 0 else None
        body = line[meta.end():] if meta else line
        for pattern in (*_FULL_DATES, _SHORT_YEAR):
            for match in pattern.finditer(body):
                day = _full_date(match)
                if day is None:
                    continue
                weekday = _PRINTED_WEEKDAY.search(body[:match.start()])
                if weekday and WEEKDAYS.index(weekday.group(1).casefold()) != day.weekday():
                    continue  # "Friday, 17 April 2024" when that is a Wednesday: not trusted
                label = re.split(r"\s[|\u2022\u00b7]\s", body[:match.start()])[-1]
                role = UPDATED if _UPDATED.search(label) else "a line above the article"
                found.append(_Printed(day, role, match.group(0)))
    return found


# A page's own stamp below the article: a short line labelled as the article's date
# ("Published: ...", "Posted on ...", "Date: ..."); a bare date there may be a comment's or
# another headline's, so it says nothing.
_STAMP_LABEL = re.compile(r"^\s*(?:first\s+)?(?:published|posted|date|dated|created)"
                          r"(?:\s+(?:on|at))?\s*:?\s*$", re.IGNORECASE)
FOOT_STAMP_MAX = 60  # characters of a line holding only a date stamp


def foot_stamps(text: str, lay: Layout) -> list[_Printed]:
    """Full dates the page stamps below the article's body, each on a short line of its own:
    another clue to the date, never outweighing the article's own."""
    found = []
    for line in text[lay.body_end:].splitlines():
        body = line.strip()
        if not body or len(body) > FOOT_STAMP_MAX or _UPDATED.search(body):
            continue
        for pattern in _FULL_DATES:
            match = pattern.search(body)
            if match is None:
                continue
            day = _full_date(match)
            rest = body[match.end():].strip(" ,|")
            if day and _STAMP_LABEL.match(body[:match.start()]) and (
                    not rest or re.fullmatch(r"[\d:.\s]*(?:[AP]M|GMT|UTC)?[\s\w+:-]{0,8}",
                                             rest, re.IGNORECASE)):
                found.append(_Printed(day, "a date stamp below the article", match.group(0)))
                break
    return found


def _against_foot(found: Dated, stamps: list[_Printed]) -> Dated:
    """A printed day the page's stamp below the article contradicts: both named, the set of
    the two as the date, weak."""
    if not found.printed or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.edtf):
        return found
    other = [p for p in stamps if _iso(p.day) != found.edtf]
    if not other:
        return found
    days = sorted({found.edtf, *(_iso(p.day) for p in other)})
    shown = ", ".join(repr(p.text) for p in other)
    return Dated(f"[{','.join(days)}]", f"{found.basis}; contradicted by {shown} "
                 f"{other[0].role}: one of {', '.join(days)}", False, tuple(days), "weak")


def _header_either_order(text: str, lay: Layout) -> list[tuple[dt.date, dt.date, str]]:
    """Dates on the lines before the body that may be read day first or month first
    ("03/04/2021"), with the two days each may be; update lines left out."""
    found = []
    for at, line in lines_with_offsets(text[:lay.body_start]):
        if lay.furniture(at):
            continue
        meta = _HEADER_META.match(line) if at == 0 else None
        body = line[meta.end():] if meta else line
        for match in _FULL_DATES[-1].finditer(body):
            pair = _either_order(match)
            label = re.split(r"\s[|\u2022\u00b7]\s", body[:match.start()])[-1]
            if pair and not _UPDATED.search(label):
                found.append((*pair, match.group(0)))
    return found


UPDATED = "the line giving when it was updated"
# "Updated 17 June 2021", "Last modified: ...": a date the article was changed, not published.
_UPDATED = re.compile(r"\b(?:updated|modified|edited|changed|revised)\b[^\d]{0,20}$",
                      re.IGNORECASE)
# A line that is a web address alone, perhaps after "Source:" or "URL:", and the date its
# path gives (https://site/2021/06/17/slug, https://site/news/2021-06-17-slug).
_ADDRESS_LINE = re.compile(r"^\s*(?:(?:source|url|link|permalink|address|original)\s*:\s*)?"
                           r"(?:https?://|www\.)\S+\s*$", re.IGNORECASE)


def _address_dates(text: str, lay: Layout) -> list[_Printed]:
    """The day a printed address of the page gives in its path: from lines that are an
    address alone, before the body or right after it (not in a list of related links after
    other page furniture). Addresses giving different days date nothing: they are a list."""
    found: dict[dt.date, str] = {}
    for at, line in lines_with_offsets(text):
        if lay.body_start <= at < lay.body_end or not _ADDRESS_LINE.match(line):
            if at >= lay.body_end and not _ADDRESS_LINE.match(line):
                break  # related links, tags, legal lines: what follows is not this page's
            continue
        url = re.search(r"(?:https?://|www\.)\S+", line)
        given = address_date(url.group(0)) if url else None
        if given and given.day:
            found.setdefault(dt.date(given.year, given.month, given.day), line.strip())
    if len(found) != 1:
        return []
    (day, line), = found.items()
    return [_Printed(day, "the page's address", line)]


@dataclass(frozen=True, slots=True)
class AddressDate:
    """The date a page address carries in its path: a day, or a month (`day` None)."""

    year: int
    month: int
    day: int | None
    text: str  # the part of the path that gives it


_PATH_YEAR = re.compile(r"(?:19|20)\d\d")
_PATH_MONTH = re.compile(rf"(?:0?[1-9]|1[0-2]|(?P<name>{MONTH}))(?:-(?P<year>(?:19|20)\d\d))?",
                         re.IGNORECASE)
_PATH_DAY = re.compile(r"0?[1-9]|[12]\d|3[01]")  # alone: "/2022/04/3-killed" is a slug
# A date inside one path segment: "2021-03-12" alone or in a slug, or "20210312" as a folder or
# set off by - _ . in a slug (the forms some agencies use); a longer run of digits is an id.
_SEGMENT_DATE = re.compile(r"(?<![\d])(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d?)-(?P<day>\d\d?)"
                           r"(?![\d])|(?:^|(?<=[-_.]))(?P<year8>(?:19|20)\d\d)(?P<mon8>\d\d)"
                           r"(?P<day8>\d\d)(?=$|[-_.])")


def address_date(address: str) -> AddressDate | None:
    """The date the path of a page address gives: /2020/09/11/, /2024/04/17/7451637/,
    /2022/04/slug (the month), /2022/apr/12/, /news/2021-03-12/, /20210312/. Parts that
    give different dates give none: nothing says which is the page's."""
    try:
        path = address if address.startswith("/") else urlsplit(
            address if "//" in address else f"//{address}").path
    except ValueError:  # a host urllib cannot read ("http://[x/"): its path is unknown
        return None
    segments = [unquote(part) for part in path.split("/")]
    found: list[AddressDate] = []
    for i, segment in enumerate(segments):
        if _PATH_YEAR.fullmatch(segment) and i + 1 < len(segments):
            month = _PATH_MONTH.fullmatch(segments[i + 1])
            if month is None or (month.group("year") and month.group("year") != segment):
                continue
            number = month_number(month.group("name")) if month.group("name") else int(
                month.group(0).split("-")[0])
            day = _PATH_DAY.fullmatch(segments[i + 2]) if i + 2 < len(segments) else None
            shown = "/" + "/".join([*segments[i:i + 2], *([day.group(0)] if day else [])]) + "/"
            if day and day_of(int(segment), number, int(day.group(0))):
                found.append(AddressDate(int(segment), number, int(day.group(0)), shown))
            elif not day:
                found.append(AddressDate(int(segment), number, None, shown))
            continue
        core = re.sub(r"\.[A-Za-z]{2,5}$", "", segment)
        folder = any(segments[i + 1:])
        for match in _SEGMENT_DATE.finditer(segment):
            if match.group("year8") and not (re.search(r"[A-Za-z]", core) or folder):
                continue  # "/a/20110312.html" alone may be an article's number
            year = int(match.group("year") or match.group("year8"))
            month_n = int(match.group("mon") or match.group("mon8"))
            day_n = int(match.group("day") or match.group("day8"))
            if day_of(year, month_n, day_n):
                found.append(AddressDate(year, month_n, day_n, match.group(0)))
    days = {(f.year, f.month, f.day) for f in found if f.day}
    months = {(f.year, f.month) for f in found}
    if len(months) != 1 or len(days) > 1:
        return None
    return next((f for f in found if f.day), found[0])


@dataclass(frozen=True, slots=True)
class _Bound:
    day: dt.date
    text: str


def past_bound(text: str, lay: Layout, limit: dt.date) -> _Bound | None:
    """The latest day the body reports as past: full dates, months and years in sentences with
    no word of the future. A day and month without a year is not used: nothing in the text says
    which year it is of. Nothing after `limit` counts (it cannot be past)."""
    bounds: list[_Bound] = []
    for match in _SENTENCE.finditer(text, lay.body_start, lay.body_end):
        if not lay.in_body(match.start()):
            continue
        sentence = match.group(0)
        taken: list[tuple[int, int]] = []
        for pattern in _FULL_DATES:
            for found in pattern.finditer(sentence):
                day = _full_date(found)
                taken.append(found.span())
                if day and day <= limit and not _future(sentence, found.start()):
                    bounds.append(_Bound(day, found.group(0)))
        for found in _MONTH_YEAR.finditer(sentence):
            if any(a <= found.start() < b for a, b in taken):
                continue
            taken.append(found.span())
            first = day_of(int(found.group("year")), month_number(found.group("month")), 1)
            if first and first <= limit and not _future(sentence, found.start()):
                bounds.append(_Bound(first, found.group(0)))
        for found in _YEAR_RANGE.finditer(sentence):
            if any(a <= found.start() < b for a, b in taken):
                continue
            taken.append(found.span())
            last = found.group("last")
            year = int(last) if len(last) == 4 else int(found.group("first")[:2] + last)
            if int(found.group("first")) <= year <= limit.year and not _future(
                    sentence, found.start()):
                bounds.append(_Bound(dt.date(year, 1, 1), found.group(0)))
        for found in re.finditer(YEAR, sentence):
            if any(a <= found.start() < b for a, b in taken):
                continue
            year = int(found.group(1))
            if year <= limit.year and not _future(sentence, found.start()):
                bounds.append(_Bound(dt.date(year, 1, 1), found.group(0)))
    best = max(bounds, key=lambda b: b.day, default=None)
    return best


# Words that place the event of a yearless day in the past ("the trips took place on February
# 9-10", "on May 5 the ministers met"): speech verbs are not among them, since a speaker may
# say "we meet on May 5" of a day to come.
_PAST_EVENT = re.compile(r"\b(?:was|were|had|took place|happened|occurred|held|met|visited|"
                         r"signed|began|started|ended|hosted|arrived|came|went|latest|last|"
                         r"ago|earlier|previous(?:ly)?|recent(?:ly)?)\b", re.IGNORECASE)
# The word before a yearless day that makes it one to come or a limit, not an event past.
_NOT_PAST_BEFORE = re.compile(r"\b(?:to|for|from|until|till|by|before|after|ahead of|next|"
                              r"this|coming|is|are)\s+(?:the\s+)?$", re.IGNORECASE)
PAST_EVENT_REACH = 60  # characters either side of a yearless day searched for a past event
# A sentence that puts its day in another year than the article's ("on May 5 last year", "the
# anniversary of May 9"), and the things often named by a day of an earlier year ("the
# November 9 statement", "the war that began on September 27"): such days move nothing.
_OTHER_YEAR = re.compile(r"\b(?:(?:last|previous|past|that|each|every)\s+year|years?\s+(?:ago|"
                         r"earlier|before)|anniversary|annual(?:ly)?)\b", re.IGNORECASE)
_NAMED_BY_DAY = re.compile(r"\b(?:statements?|declarations?|agreements?|accords?|deals?|"
                           r"treat(?:y|ies)|ceasefires?|truces?|memorand(?:um|a)|protocols?|"
                           r"documents?|wars?|hostilities|offensives?|invasion|escalation|"
                           r"operations?|referend(?:um|a)|elections?|tragedy|massacre|events|"
                           r"holiday|day of)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Yearless:
    month: int
    day: int
    text: str


def yearless_past(text: str, lay: Layout, skip: tuple[str, ...] = ()) -> list[_Yearless]:
    """Days printed without a year that the body reports as past events ("the latest trips
    took place on February 9-10"), each of the year of publication or shortly before it.

    Only in a body paragraph that names no year, nor does the one before it (a paragraph about
    2019 may date its days by that year); in a sentence with no word of the future nor of
    another year ("last year"); next to a word of a past event but not to a statement, an
    agreement or a war (often of an earlier year); not the dateline or "today (25 May)"
    (`skip`); not a day the text prints elsewhere with its year."""
    with_year = {(d.month, d.day) for p in _FULL_DATES for m in p.finditer(text)
                 if (d := _full_date(m))}
    found: list[_Yearless] = []
    previous = ""
    for at, line in lines_with_offsets(text):
        line_before, previous = previous, line
        if not lay.in_body(at) or at >= lay.body_end or re.search(r"\d{4}", line + line_before):
            continue  # the paragraph, or the one it follows, may give the day its year
        for sentence in _SENTENCE.finditer(line):
            words = sentence.group(0)
            if _FUTURE.search(words) or _OTHER_YEAR.search(words) or any(
                    s in words for s in skip):
                continue
            for match in _DAY_MONTH.finditer(words):
                before = words[:match.start()]
                near = words[max(0, match.start() - PAST_EVENT_REACH):
                             match.end() + PAST_EVENT_REACH]
                if _NOT_PAST_BEFORE.search(before) or re.search(r"\(\s*$", before) or \
                        not _PAST_EVENT.search(near) or _NAMED_BY_DAY.search(near):
                    continue
                month = month_number(match.group("month") or match.group("monthb"))
                first = int(match.group("day") or match.group("dayb"))
                last = int(match.group("day2") or match.group("day2b") or first)
                if any((month, d) in with_year for d in range(first, last + 1)):
                    continue
                found.append(_Yearless(month, last, match.group(0)))
    return found


def after_yearless(bound: _Bound, days: list[_Yearless], limit: dt.date) -> _Bound | None:
    """The later lower bound that yearless past days give over `bound`, the latest date the
    text reports as past with its year. News prints a day without its year when it falls in
    the year of publication or shortly before, and writes the year of a month or day of an
    earlier year; so each yearless past day lies on or after `bound`, and the article appeared
    no earlier than the first such day from `bound` on. The earliest of these days is taken
    (one misread day cannot push the date later than the others allow); a day with no
    occurrence between `bound` and today gives nothing."""
    firsts = []
    for found in days:
        for year in range(bound.day.year, limit.year + 1):
            day = day_of(year, found.month, found.day)
            if day and bound.day <= day:
                if day <= limit:
                    firsts.append((day, found))
                break
    if len(firsts) != len(days) or not firsts:
        return None
    day, found = min(firsts, key=lambda f: f[0])
    if day <= bound.day:
        return None
    return _Bound(day, f"{found.text} without a year, on or after {bound.text}, so {_iso(day)} "
                       f"at the earliest")


@dataclass(frozen=True, slots=True)
class LeadWeekday:
    """The weekday the lead gives the statement, as printed; `late` when it may be the day
    before the article's ("late Tuesday", "on Tuesday night" in Wednesday's copy)."""

    weekday: int  # Monday = 0
    text: str
    late: bool = False

    def fits(self, day: dt.date) -> bool:
        """Could the article be of `day`? The same weekday, or the next one after a late one."""
        return (day.weekday() - self.weekday) % 7 <= (1 if self.late else 0)


_LATE = re.compile(rf"\b(?:late|overnight)\b|{WEEKDAY}\s+(?:night|evening)\b", re.IGNORECASE)


def lead_weekday(text: str, lay: Layout) -> LeadWeekday | None:
    """The weekday the lead gives the reported statement ("told reporters on Thursday",
    "said late Tuesday"): in the body's first paragraph only, not one to come."""
    line_end = text.find("\n", lay.body_start)
    lead = text[lay.body_start: line_end if line_end >= 0 else len(text)]
    for sentence in _SENTENCE.finditer(lead):
        words = sentence.group(0)
        found = _WEEKDAY_SAID.search(words)
        if found and not _future(words, found.start()):
            name = next(g for g in found.groups() if g)
            late = bool(_LATE.search(words[max(0, found.start() - 20):found.end() + 10]))
            return LeadWeekday(WEEKDAYS.index(name.casefold()), found.group(0).strip(), late)
    return None


# --- the decision -----------------------------------------------------------------------------


GIVEN_ADDRESS = "the page address given with --url"
_RANK: tuple[Strength, ...] = ("weak", "medium", "strong")


def _weakest(*strengths: Strength) -> Strength:
    return min(strengths, key=_RANK.index)


@dataclass(frozen=True, slots=True)
class Dated:
    """What one date rule found: the date (EDTF), the clues it rests on (the basis after the
    rule's name), whether it is printed in full, and how strong it can be at most."""

    edtf: str
    basis: str
    printed: bool = False
    alternatives: tuple[str, ...] = ()
    at_most: Strength = "strong"  # lowered by a doubt the rule's clues leave


@dataclass
class _Clues:
    """Every clue to an article's date, read once: the text and its layout, today, the latest
    date the body reports as past, the printed dates that survived (the update lines apart),
    the month of a given page address, the day and month the dateline (or "today (25 May)")
    prints, and what was rejected or doubted on the way."""

    text: str
    lay: Layout
    limit: dt.date
    bound: _Bound | None
    dateline: PartialDate | None
    shown_line: str | None  # the dateline as printed, shown with the finding
    printed: list[_Printed]
    updated: list[_Printed]
    address_month: AddressDate | None
    month: int | None
    day_n: int | None
    where: str  # where the day and month are printed ("the dateline 'MOSCOW, June 17'")
    skip: tuple[str, ...]  # lines whose yearless day is the article's, not an event's
    rejected: list[str]
    doubts: list[str]

    @property
    def notes(self) -> str:
        return ("; " + "; ".join(f"rejected: {r}" for r in self.rejected)) if self.rejected \
            else ""

    @property
    def day_given(self) -> tuple[int, int] | None:
        """The month and day printed without their year, where both are."""
        return (self.month, self.day_n) if self.month is not None and self.day_n is not None \
            else None

    @functools.cached_property
    def since(self) -> _Bound | None:
        """The latest day the article is known to follow: a yearless past day's, else the
        latest full date the body reports as past."""
        return self.later or self.bound

    @functools.cached_property
    def later(self) -> _Bound | None:
        """The first day after `bound` that yearless past days in the body put the article on
        or after (`after_yearless`)."""
        if self.bound is None:
            return None
        return after_yearless(self.bound, yearless_past(self.text, self.lay, self.skip),
                              self.limit)

    @functools.cached_property
    def either(self) -> list[tuple[dt.date, dt.date, str]]:
        return _header_either_order(self.text, self.lay)

    def checked(self, found: Dated) -> Dated:
        """A printed day with what may still be against it: the body's later past date that
        two agreeing clues outweighed, a date stamp below the article."""
        if self.doubts:
            found = dataclasses.replace(found, basis=f"{found.basis}; but "
                                        f"{'; '.join(self.doubts)}", at_most="weak")
        return _against_foot(found, [p for p in foot_stamps(self.text, self.lay)
                                     if p.day <= self.limit])


def _parse_iso(value: str) -> dt.date | None:
    year, month, day = (int(part) for part in value.split("-"))
    return day_of(year, month, day)


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _read_clues(text: str, dateline: PartialDate | None, dateline_text: str | None,
                now: dt.date | None, address: str | None) -> _Clues:
    """The clues, each printed date checked against today and the body's past dates: one
    after today, or before a date the body reports as past, is rejected (noted, not used)."""
    limit = today(now)
    lay = layout(text, dateline_text)
    bound = past_bound(text, lay, limit)
    rejected: list[str] = []
    doubts: list[str] = []

    def acceptable(day: dt.date, shown: str, of_dateline: bool = False) -> bool:
        if day > limit:
            rejected.append(f"{shown} is after today ({_iso(limit)})")
            return False
        if bound and bound.day > day:
            if not of_dateline and dateline and (dateline.month, dateline.day) == (
                    day.month, day.day):
                # two clues agree on the day: the one later date is more likely page furniture
                doubts.append(f"the text reports {bound.text!r} as past, later than {shown}, "
                              f"whose day the dateline gives too")
                return True
            rejected.append(f"{shown} is contradicted by the text, which reports "
                            f"{bound.text!r} as past")
            return False
        return True

    printed: list[_Printed] = []
    meta = _HEADER_META.match(text)
    if meta:
        day = _parse_iso(meta.group(1))
        if day is None:
            rejected.append(f"the header line's {meta.group(1)!r} is no calendar day")
        elif acceptable(day, f"the header line's date {meta.group(1)}"):
            printed.append(_Printed(day, "the header line", f"date {meta.group(1)}"))
    if dateline and dateline.year and dateline.month and dateline.day:
        day = day_of(dateline.year, dateline.month, dateline.day)
        if day and dateline.weekday is not None and day.weekday() != dateline.weekday:
            rejected.append(f"the dateline {dateline.text!r} names a "
                            f"{calendar.day_name[dateline.weekday]}, which {_iso(day)} is not")
        elif day and acceptable(day, f"the dateline {dateline.text!r}", of_dateline=True):
            printed.append(_Printed(day, "the dateline", dateline.text))
    for found in _header_dates(text, lay) + _address_dates(text, lay):
        if acceptable(found.day, repr(found.text)):
            printed.append(found)
    given_address = address_date(address) if address else None
    address_month: AddressDate | None = None
    if given_address and given_address.day:
        day = dt.date(given_address.year, given_address.month, given_address.day)
        if acceptable(day, f"{GIVEN_ADDRESS} ({given_address.text!r})"):
            printed.append(_Printed(day, _GIVEN_ROLE, given_address.text))
    elif given_address:
        first, last = _month_span(given_address.year, given_address.month)
        if first > limit:
            rejected.append(f"{GIVEN_ADDRESS} carries {given_address.text!r}, after today")
        elif bound and bound.day > last:
            rejected.append(f"{GIVEN_ADDRESS} carries {given_address.text!r}, contradicted by "
                            f"the text, which reports {bound.text!r} as past")
        else:
            address_month = given_address
    updated = [p for p in printed if p.role == UPDATED]
    printed = [p for p in printed if p.role != UPDATED]
    month, day_n = (dateline.month, dateline.day) if dateline else (None, None)
    where = f"the dateline {dateline.text!r}" if dateline and month else ""
    skip = tuple(t for t in (dateline_text, dateline.text if dateline else None) if t)
    if month is None:
        said_today = _TODAY_DAY.search(text, lay.body_start, lay.body_end)
        if said_today:
            skip += (said_today.group(0),)
            groups = said_today.groupdict()
            month = month_number(groups["month"] or groups["monthb"])
            day_n = int(groups["day"] or groups["dayb"])
            where = repr(said_today.group(0))
    if updated and printed:
        rejected.append(", ".join(f"{p.text!r}" for p in updated) + " is when it was updated")
    return _Clues(text, lay, limit, bound, dateline,
                  dateline_text or (dateline.text if dateline else None), printed, updated,
                  address_month, month, day_n, where, skip, rejected, doubts)


_GIVEN_ROLE = f"{GIVEN_ADDRESS}, which carries"


def _shortly_before(latest: dt.date, month: int, day_n: int) -> dt.date | None:
    """The day and month in the year of `latest` or the one before, on or at most
    DATELINE_LAG days before it (a repost's page date trails the dateline it reprints)."""
    for year in (latest.year, latest.year - 1):
        placed = day_of(year, month, day_n)
        if placed and placed <= latest and (latest - placed).days <= DATELINE_LAG:
            return placed
    return None


def _day_not_printed(c: _Clues) -> tuple[int, int] | None:
    """The month and day printed (dateline, "today (25 May)") that no printed date has."""
    given = c.day_given
    if not c.printed or given is None or any((p.day.month, p.day.day) == given
                                              for p in c.printed):
        return None
    return given


def _printed_days(c: _Clues) -> list[dt.date]:
    return sorted({p.day for p in c.printed})


def _address_month_against_printed(c: _Clues) -> Dated | None:
    """A given page address's month that some printed date lies outside: the interval
    holding both."""
    if not c.printed or c.address_month is None:
        return None
    first, last = _month_span(c.address_month.year, c.address_month.month)
    if all(first <= p.day <= last for p in c.printed):
        return None
    shown = "; ".join(f"{p.role} {p.text!r}" for p in c.printed)
    return Dated(f"{_iso(min(first, *(p.day for p in c.printed)))}/"
                 f"{_iso(max(last, *(p.day for p in c.printed)))}",
                 f"{GIVEN_ADDRESS} carries {c.address_month.text!r}, another month than the "
                 f"printed dates ({shown}): it appeared between the first and the last{c.notes}")


def _with_year_of_printed(c: _Clues) -> Dated | None:
    """The dateline's day and month, in the year of a printed date it precedes shortly."""
    given = _day_not_printed(c)
    if given is None:
        return None
    latest = _printed_days(c)[-1]
    placed = _shortly_before(latest, *given)
    if placed is None:
        return None
    first = c.printed[0]
    return c.checked(Dated(_iso(placed), f"{c.where} with the year of {first.role} "
                           f"{first.text!r}, which it precedes by {(latest - placed).days} days"
                           f"{c.notes}", printed=True))


def _against_printed(c: _Clues) -> Dated | None:
    """The dateline's day and month fit no printed date: the interval up to the latest."""
    if _day_not_printed(c) is None:
        return None
    days = _printed_days(c)
    shown = ", ".join(repr(p.text) for p in c.printed)
    return Dated(f"{_iso(days[0])}/{_iso(days[-1])}",
                 f"{c.where} does not fit the printed {shown}; the date is open{c.notes}")


def _one_printed_day(c: _Clues, given_only: bool) -> bool:
    """Do the printed dates give one day (with the dateline's where it prints one), printed
    on the article (or, `given_only`, only in the page address given with --url)?"""
    return len(_printed_days(c)) == 1 and _day_not_printed(c) is None and (
        all(p.role == _GIVEN_ROLE for p in c.printed) == given_only)


def _printed_on_article(c: _Clues) -> Dated | None:
    """One day printed on the article: the header line, the dateline, a byline or title line,
    the page's address printed in the text; the page address given with --url may agree."""
    if not _one_printed_day(c, given_only=False):
        return None
    shown = " and ".join(f"{p.role} {p.text!r}" for p in c.printed if p.role != _GIVEN_ROLE)
    shown += "".join(f"; {GIVEN_ADDRESS} carries {p.text!r} too" for p in c.printed
                     if p.role == _GIVEN_ROLE)
    return c.checked(Dated(_iso(c.printed[0].day), f"{shown}{c.notes}", printed=True))


def _given_address_day(c: _Clues) -> Dated | None:
    """The day only the page address given with --url carries: another clue than the
    article's own words."""
    if not _one_printed_day(c, given_only=True):
        return None
    return c.checked(Dated(_iso(c.printed[0].day), f"it carries {c.printed[0].text!r}"
                           f"{c.notes}", printed=True))


def _printed_disagree(c: _Clues) -> Dated | None:
    """Printed dates that give different days: the interval between the first and the last,
    each day an alternative."""
    days = _printed_days(c)
    if len(days) < 2 or _day_not_printed(c) is not None:
        return None
    shown = "; ".join(f"{p.role} {p.text!r}" for p in c.printed)
    return Dated(f"{_iso(days[0])}/{_iso(days[-1])}",
                 f"{shown}: it appeared between the first and the last{c.notes}",
                 alternatives=tuple(_iso(d) for d in days))


def _either_shown(c: _Clues) -> str:
    return ", ".join(repr(text) for *_, text in c.either)


def _either_readings(c: _Clues) -> list[dt.date]:
    return sorted({day for *days, _ in c.either for day in days})


def _either_order_day_given(c: _Clues) -> Dated | None:
    """A date printed above the article as "03/04/2021" (day/month or month/day), the reading
    whose day and month the dateline (or "today (25 May)") prints."""
    if c.printed or not c.either or c.day_given is None:
        return None
    confirmed = [d for d in _either_readings(c) if (d.month, d.day) == c.day_given]
    if len(confirmed) != 1 or not all(confirmed[0] in pair[:2] for pair in c.either):
        return None
    return Dated(_iso(confirmed[0]), f"printed as {_either_shown(c)}, day and month in either "
                 f"order; {c.where} gives the day{c.notes}", printed=True)


def _either_order_open(c: _Clues) -> Dated | None:
    """A date printed as "03/04/2021": the readings neither after today nor contradicted by
    the text; one left is the date, two give the interval between them (never a guess)."""
    if c.printed or not c.either:
        return None
    readings = _either_readings(c)
    left = [d for d in readings if d <= c.limit and not (c.bound and c.bound.day > d)]
    if not left:
        return None
    basis = (f"the line above the article prints {_either_shown(c)}, which may be day/month "
             f"or month/day: " + " or ".join(_iso(d) for d in readings))
    if len(left) == 1:
        return Dated(_iso(left[0]), f"{basis}; only {_iso(left[0])} is neither after today nor "
                     f"contradicted by the text{c.notes}")
    return Dated(f"{_iso(left[0])}/{_iso(left[-1])}", f"{basis}; it appeared on one of them"
                 f"{c.notes}", alternatives=tuple(_iso(d) for d in left))


def _with_year_of_update(c: _Clues) -> Dated | None:
    """Only an update line is printed: the dateline's day shortly before it, in its year."""
    if c.printed or not c.updated or c.day_given is None:
        return None
    latest = min(p.day for p in c.updated)
    placed = _shortly_before(latest, *c.day_given)
    if placed is None:
        return None
    shown = ", ".join(repr(p.text) for p in c.updated)
    return Dated(_iso(placed), f"{c.where} with the year of the update line {shown}, which it "
                 f"precedes by {(latest - placed).days} days{c.notes}", printed=True)


def _only_updated(c: _Clues) -> Dated | None:
    """Only the day it was updated is printed: it appeared on or before that day."""
    if c.printed or not c.updated:
        return None
    latest = min(p.day for p in c.updated)
    shown = ", ".join(repr(p.text) for p in c.updated)
    start, since = "..", ""
    if c.bound and c.bound.day <= latest:
        start, since = _iso(c.bound.day), f"; the text reports {c.bound.text!r} as past"
    return Dated(f"{start}/{_iso(latest)}", f"only the update {shown} is printed: it appeared "
                 f"on or before it{since}{c.notes}")


def _in_address_month(c: _Clues) -> Dated | None:
    """The dateline's day in the year and month the given page address carries, where that
    day lies between the latest past date and today."""
    given = c.address_month
    if c.printed or given is None or c.month != given.month or c.day_n is None:
        return None
    first, last = _month_span(given.year, given.month)
    low, high = max(first, c.since.day) if c.since else first, min(last, c.limit)
    placed = day_of(given.year, given.month, c.day_n)
    if not (placed and low <= placed <= high):
        return None
    return Dated(_iso(placed), f"{c.where} with the year and month {GIVEN_ADDRESS} carries "
                 f"{given.text!r}{c.notes}", printed=True)


def _address_month(c: _Clues) -> Dated | None:
    """No day is printed, and the given page address carries a month: that month, cut by the
    latest past date and by today."""
    given = c.address_month
    if c.printed or given is None or c.day_n is not None:
        return None
    first, last = _month_span(given.year, given.month)
    low, high = max(first, c.since.day) if c.since else first, min(last, c.limit)
    if low > high:
        return None
    since = f"; the text reports {c.since.text!r} as past" if c.since and low > first else ""
    edtf = f"{given.year:04d}-{given.month:02d}" if (low, high) == (first, last) else \
        f"{_iso(low)}/{_iso(high)}"
    return Dated(edtf, f"{GIVEN_ADDRESS} carries {given.text!r}, a month without its day"
                 f"{since}{c.notes}")


def _yearless_day(c: _Clues) -> Dated | None:
    """A day and month without a year: the years from the latest past date to today, narrowed
    by the weekday the dateline or the lead gives; one left is the date, several give their
    interval."""
    if c.printed or c.day_given is None:
        return None
    (month, day_n), bound, limit = c.day_given, c.since, c.limit
    shown = f"{calendar.month_name[month]} {day_n}"
    # leap days come back within eight years; a day no year has (February 30) dates nothing
    held = [d for y in range(limit.year, limit.year - 9, -1)
            if (d := day_of(y, month, day_n)) and d <= limit]
    if not held:
        return Dated(f"../{_iso(limit)}", f"{c.where} prints {shown}, a day no month has, so "
                     f"it dates nothing; the date is open{c.notes}")
    if bound is None:
        return Dated(f"../{_iso(held[0])}", f"{c.where} prints {shown} without a year, and the "
                     f"text dates nothing by which to choose one: {shown} of a year up to "
                     f"{held[0].year}{c.notes}")
    years = [y for y in range(bound.day.year, limit.year + 1)
             if (d := day_of(y, month, day_n)) and bound.day <= d <= limit]
    if not years:
        return Dated(f"{_iso(bound.day)}/{_iso(limit)}", f"{c.where} prints {shown}, but no "
                     f"{shown} lies between {bound.text!r} (reported as past) and today; the "
                     f"date is open{c.notes}")
    basis = (f"{c.where} prints {shown} without a year; the text reports {bound.text!r} as "
             f"past and it appeared by today")
    weekday = lead_weekday(c.text, c.lay)
    if c.dateline and c.dateline.weekday is not None and (
            c.dateline.month, c.dateline.day) == (month, day_n):
        weekday = LeadWeekday(c.dateline.weekday,
                              f"{calendar.day_name[c.dateline.weekday]} in the dateline")
    if weekday is not None:
        fitting = [y for y in years if weekday.fits(dt.date(y, month, day_n))]
        name = calendar.day_name[weekday.weekday]
        if weekday.late:  # said late on one day, printed that day or the next
            name = f"{name} or {calendar.day_name[(weekday.weekday + 1) % 7]}"
        if len(fitting) == 1:
            return Dated(f"{fitting[0]:04d}-{month:02d}-{day_n:02d}",
                         f"{basis}; the lead says {weekday.text!r}, and of the years "
                         f"{years[0]}-{years[-1]} only in {fitting[0]} is {shown} a {name}"
                         f"{c.notes}")
        if fitting:
            years = fitting
            basis += f"; {shown} is a {name} (the lead says {weekday.text!r}) in " \
                     f"{', '.join(map(str, fitting))}"
    if len(years) == 1:
        return Dated(f"{years[0]:04d}-{month:02d}-{day_n:02d}",
                     f"{basis}: {years[0]} is the only year left{c.notes}")
    return Dated(f"{years[0]:04d}-{month:02d}-{day_n:02d}/{years[-1]:04d}-{month:02d}-"
                 f"{day_n:02d}", f"{basis}: {shown} of one of the years "
                 f"{', '.join(map(str, years))}{c.notes}")


def _past_bound_to_today(c: _Clues) -> Dated | None:
    """No date is printed: from the latest day the text reports as past (a yearless past day
    in the year after it) to today."""
    if c.bound is None:
        return None
    if c.later is not None:
        return Dated(f"{c.later.day.year:04d}-{c.later.day.month:02d}/{_iso(c.limit)}",
                     f"no date is printed; the text reports {c.bound.text!r} as past, and "
                     f"{c.later.text!r} as past (news prints a day without its year when it "
                     f"falls in the year of publication or shortly before): it appeared from "
                     f"{calendar.month_name[c.later.day.month]} {c.later.day.year} to today"
                     f"{c.notes}")
    return Dated(f"{_iso(c.bound.day)}/{_iso(c.limit)}", f"no date is printed; the text "
                 f"reports {c.bound.text!r} as past, so it appeared from {_iso(c.bound.day)} "
                 f"to today{c.notes}")


def _nothing_dated(c: _Clues) -> Dated:
    return Dated(f"../{_iso(c.limit)}", f"no date is printed and the text dates nothing; it "
                 f"appeared by today at the latest{c.notes}")


@dataclass(frozen=True, slots=True)
class DateRule:
    """One way an article gives its date, with the strength a date found by it can have at
    most (a rejected clue makes it medium at most, a doubt left by its clues weak)."""

    name: str
    strength: Strength
    find: Callable[[_Clues], Dated | None]


# The ways an article gives its date, most precise first: the first that fires gives the date,
# its name opens the basis, and its strength is the proposal's at most.
DATE_RULES: tuple[DateRule, ...] = (
    DateRule("the page address's month against the printed dates", "weak",
             _address_month_against_printed),
    DateRule("day and month with the year of a printed date", "medium", _with_year_of_printed),
    DateRule("day and month against the printed dates", "weak", _against_printed),
    DateRule("printed on the article", "strong", _printed_on_article),
    DateRule(GIVEN_ADDRESS, "medium", _given_address_day),
    DateRule("printed dates that disagree", "weak", _printed_disagree),
    DateRule("day/month or month/day, settled by the day named", "strong",
             _either_order_day_given),
    DateRule("day/month or month/day", "weak", _either_order_open),
    DateRule("day and month with the year of the update line", "medium", _with_year_of_update),
    DateRule("only the update line", "weak", _only_updated),
    DateRule("day and month in the page address's month", "medium", _in_address_month),
    DateRule("the page address's month", "weak", _address_month),
    DateRule("day and month without a year", "weak", _yearless_day),
    DateRule("the latest past date to today", "weak", _past_bound_to_today),
    DateRule("nothing dated", "weak", _nothing_dated),
)


def publication_date(text: str, dateline: PartialDate | None = None,
                     dateline_text: str | None = None, now: dt.date | None = None,
                     address: str | None = None) -> DateFinding:
    """The publication date consistent with every reliable clue of the page (module docstring)
    and of `address`, the page's address where the curator gives it, by the first of
    DATE_RULES that fires; exact only where the page prints it, else the tightest honest
    interval marked TODO."""
    clues = _read_clues(text, dateline, dateline_text, now, address)
    for rule in DATE_RULES:
        found = rule.find(clues)
        if found is None:
            continue
        strength = _weakest(rule.strength, found.at_most,
                            "medium" if clues.rejected else "strong")
        todo = TODO if strength == "weak" else ""
        return DateFinding(found.edtf, f"{todo}{rule.name}: {found.basis}", strength, rule.name,
                           found.printed, clues.shown_line, found.alternatives)
    raise AssertionError("the last of DATE_RULES, nothing dated, always fires")


_STATEMENT_WEEKDAY = re.compile(rf"\b(?:on|late|early|earlier on|later on|last)\s+{WEEKDAY}")


# "said yesterday", "told reporters last week", "Last month, X said": a statement dated relative
# to the article, the phrase next to the verb of saying (outside the quote's marks).
_RELATIVE = r"yesterday|last week|last month|earlier this week|earlier this month"
_STATEMENT_RELATIVE = re.compile(
    rf"\b(?:{SPEECH_PAST})\b[^.!?\"\u201c\u201d\u00ab\u00bb]{{0,40}}?\b(?P<after>{_RELATIVE})\b"
    rf"|^\s*(?P<before>{_RELATIVE})\s*,", re.IGNORECASE)


def _relative_span(day: dt.date, phrase: str) -> tuple[dt.date, dt.date] | None:
    """The days `phrase` ("last week") covers, seen from `day`; None when it covers none."""
    phrase = phrase.casefold()
    if phrase == "yesterday":
        return day - dt.timedelta(days=1), day - dt.timedelta(days=1)
    monday = day - dt.timedelta(days=day.weekday())
    first_of_month = day.replace(day=1)
    spans = {
        "last week": (monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)),
        "last month": ((first_of_month - dt.timedelta(days=1)).replace(day=1),
                       first_of_month - dt.timedelta(days=1)),
        "earlier this week": (monday, day - dt.timedelta(days=1)),
        "earlier this month": (first_of_month, day - dt.timedelta(days=1)),
    }
    first, last = spans[phrase]
    return (first, last) if first <= last else None


def _relative_statement(published: str, sentence: str) -> tuple[str, str] | None:
    found = _STATEMENT_RELATIVE.search(sentence)
    if found is None:
        return None
    phrase = found.group("after") or found.group("before")
    span = _relative_span(dt.date.fromisoformat(published), phrase)
    if span is None:
        return None
    first, last = span
    if phrase.casefold() == "last month":
        edtf = f"{first.year:04d}-{first.month:02d}"
    else:
        edtf = _iso(first) if first == last else f"{_iso(first)}/{_iso(last)}"
    return edtf, f"the quote's sentence says {phrase!r}; the article is of {published}"


def statement_day(published: str, sentence: str) -> tuple[str, str] | None:
    """The day of a statement its sentence dates by weekday ("said on Monday") or relative to
    the article ("said yesterday", "last week") in an article published on the exact day
    `published`, with the basis. None when the sentence dates no statement or the publication
    day is not exact."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        return None
    relative = _relative_statement(published, sentence)
    if relative is not None:
        return relative
    found = _STATEMENT_WEEKDAY.search(sentence)
    if found is None or _future(sentence, found.start()):
        return None
    day = dt.date.fromisoformat(published)
    target = WEEKDAYS.index(found.group(1).casefold())
    back = (day.weekday() - target) % 7
    said = day - dt.timedelta(days=back)
    when = "the same day" if back == 0 else f"{back} day{'s' if back > 1 else ''} before"
    return _iso(said), (f"the quote's sentence says {found.group(0)!r}; the article is of "
                        f"{published}, a {calendar.day_name[day.weekday()]}: {when}")
