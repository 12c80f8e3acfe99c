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
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import os
import re
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
    """The article's date (EDTF), how it was found, and whether it is printed in full."""

    edtf: str
    basis: str
    printed: bool
    dateline: str | None = None
    alternatives: tuple[str, ...] = ()  # the days that disagreeing clues give, earliest first

    @property
    def strength(self) -> Strength:
        """Strong for one date printed on the article and nothing against it; medium for a
        printed day completed or checked by another clue; weak for anything inferred."""
        if not self.printed or self.basis.startswith(TODO) or self.alternatives:
            return "weak"
        if any(words in self.basis for words in MEDIUM_DATE_WORDS):
            return "medium"
        return "strong"


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


def _against_foot(chosen: DateFinding, stamps: list[_Printed]) -> DateFinding:
    """A printed day the page's stamp below the article contradicts: both named, the set of
    the two as the date, weak."""
    if not chosen.printed or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", chosen.edtf):
        return chosen
    other = [p for p in stamps if _iso(p.day) != chosen.edtf]
    if not other:
        return chosen
    days = sorted({chosen.edtf, *(_iso(p.day) for p in other)})
    shown = ", ".join(repr(p.text) for p in other)
    return DateFinding(f"[{','.join(days)}]", f"{TODO}{chosen.basis}; contradicted by {shown} "
                       f"{other[0].role}: one of {', '.join(days)}", False, chosen.dateline,
                       tuple(days))


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
# A printed day whose basis says one of these was completed or checked by another clue, or
# survived a rejected one: medium, not strong.
MEDIUM_DATE_WORDS = ("rejected:", GIVEN_ADDRESS, "with the year of", "which carries")


def publication_date(text: str, dateline: PartialDate | None = None,
                     dateline_text: str | None = None, now: dt.date | None = None,
                     address: str | None = None) -> DateFinding:
    """The publication date consistent with every reliable clue of the page (module docstring)
    and of `address`, the page's address where the curator gives it; exact only where the page
    prints it, else the tightest honest interval marked TODO."""
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
    shown_line = dateline_text or (dateline.text if dateline else None)
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
            printed.append(_Printed(day, f"{GIVEN_ADDRESS}, which carries", given_address.text))
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
    notes = ("; " + "; ".join(f"rejected: {r}" for r in rejected)) if rejected else ""
    if printed and address_month:
        first, last = _month_span(address_month.year, address_month.month)
        outside = [p for p in printed if not first <= p.day <= last]
        if outside:
            shown = "; ".join(f"{p.role} {p.text!r}" for p in printed)
            return DateFinding(f"{_iso(min(first, *(p.day for p in printed)))}/"
                               f"{_iso(max(last, *(p.day for p in printed)))}",
                               f"{TODO}{GIVEN_ADDRESS} carries {address_month.text!r}, another "
                               f"month than the printed dates ({shown}): it appeared between "
                               f"the first and the last{notes}", False, shown_line)
    if printed:
        chosen = _from_printed(printed, month, day_n, where, shown_line, notes)
        if doubts and not chosen.basis.startswith(TODO):
            chosen = DateFinding(chosen.edtf, f"{TODO}{chosen.basis}; but {'; '.join(doubts)}",
                                 chosen.printed, chosen.dateline)
        return _against_foot(chosen, [p for p in foot_stamps(text, lay) if p.day <= limit])
    either = _from_either_order(_header_either_order(text, lay), bound, limit, month, day_n,
                                shown_line, notes)
    if either:
        return either
    if updated:
        return _from_updated(updated, bound, month, day_n, where, shown_line, notes)
    later = after_yearless(bound, yearless_past(text, lay, skip), limit) if bound else None
    if address_month:
        found_in_month = _from_address_month(address_month, later or bound, limit, month, day_n,
                                             where, shown_line, notes)
        if found_in_month:
            return found_in_month
    if month is not None and day_n is not None:
        given = None
        if dateline and dateline.weekday is not None and (dateline.month, dateline.day) == (
                month, day_n):
            given = LeadWeekday(dateline.weekday,
                                f"{calendar.day_name[dateline.weekday]} in the dateline")
        return _from_day_month(text, lay, later or bound, limit, month, day_n, where, shown_line,
                               notes, given)
    if later is not None and bound is not None:
        start = f"{later.day.year:04d}-{later.day.month:02d}"
        return DateFinding(f"{start}/{_iso(limit)}",
                           f"{TODO}no date is printed; the text reports {bound.text!r} as past, "
                           f"and {later.text!r} as past (news prints a day without its year "
                           f"when it falls in the year of publication or shortly before): it "
                           f"appeared from {calendar.month_name[later.day.month]} "
                           f"{later.day.year} to today{notes}", False, shown_line)
    if bound is not None:
        return DateFinding(f"{_iso(bound.day)}/{_iso(limit)}",
                           f"{TODO}no date is printed; the text reports {bound.text!r} as past, "
                           f"so it appeared from {_iso(bound.day)} to today{notes}",
                           False, shown_line)
    return DateFinding(f"../{_iso(limit)}", f"{TODO}no date is printed and the text dates "
                       f"nothing; it appeared by today at the latest{notes}", False, shown_line)


def _from_either_order(pairs: list[tuple[dt.date, dt.date, str]], bound: _Bound | None,
                       limit: dt.date, month: int | None, day_n: int | None,
                       dateline: str | None, notes: str) -> DateFinding | None:
    """A date printed as "03/04/2021", which is day/month or month/day: the reading the
    dateline's day confirms; else those not after today nor contradicted by the text, one
    left the date, two the interval between them (never a guess between them)."""
    if not pairs:
        return None
    shown = ", ".join(repr(text) for *_, text in pairs)
    readings = sorted({day for *days, _ in pairs for day in days})
    if month is not None and day_n is not None:
        confirmed = [d for d in readings if (d.month, d.day) == (month, day_n)]
        if len(confirmed) == 1 and all(confirmed[0] in pair[:2] for pair in pairs):
            return DateFinding(_iso(confirmed[0]), f"printed as {shown}, day and month in "
                               f"either order; the dateline {dateline!r} gives the day"
                               f"{notes}", True, dateline)
    left = [d for d in readings if d <= limit and not (bound and bound.day > d)]
    if not left:
        return None
    basis = (f"{TODO}the line above the article prints {shown}, which may be day/month or "
             f"month/day: " + " or ".join(_iso(d) for d in readings))
    if len(left) == 1:
        return DateFinding(_iso(left[0]), f"{basis}; only {_iso(left[0])} is neither after "
                           f"today nor contradicted by the text{notes}", False, dateline)
    return DateFinding(f"{_iso(left[0])}/{_iso(left[-1])}", f"{basis}; it appeared on one of "
                       f"them{notes}", False, dateline, tuple(_iso(d) for d in left))


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _from_address_month(given: AddressDate, bound: _Bound | None, limit: dt.date,
                        month: int | None, day_n: int | None, where: str,
                        dateline: str | None, notes: str) -> DateFinding | None:
    """The month the given page address carries, with the dateline's day where it is of that
    month; else the month, cut by the latest past date and by today. None when those leave
    no day of it, or the dateline's day is not in it."""
    first, last = _month_span(given.year, given.month)
    carries = f"{GIVEN_ADDRESS} carries {given.text!r}"
    low = max(first, bound.day) if bound else first
    high = min(last, limit)
    if month == given.month and day_n is not None:
        placed = day_of(given.year, month, day_n)
        if placed and low <= placed <= high:
            return DateFinding(_iso(placed), f"{where} with the year and month {carries}{notes}",
                               True, dateline)
    if day_n is not None or low > high:  # a day of another month: the dateline's reasoning
        return None
        return None
    since = f"; the text reports {bound.text!r} as past" if bound and low > first else ""
    edtf = f"{given.year:04d}-{given.month:02d}" if (low, high) == (first, last) else \
        f"{_iso(low)}/{_iso(high)}"
    return DateFinding(edtf, f"{TODO}{carries}, a month without its day{since}{notes}", False,
                       dateline)


def _from_updated(updated: list[_Printed], bound: _Bound | None, month: int | None,
                  day_n: int | None, where: str, dateline: str | None, notes: str) -> DateFinding:
    """Only the day it was updated is printed: it appeared on or before that day, on the
    dateline's day where that is a day shortly before; else the interval up to it."""
    latest = min(p.day for p in updated)
    shown = ", ".join(repr(p.text) for p in updated)
    if month is not None and day_n is not None:
        for year in (latest.year, latest.year - 1):
            placed = day_of(year, month, day_n)
            if placed and placed <= latest and (latest - placed).days <= DATELINE_LAG:
                return DateFinding(_iso(placed), f"{where} with the year of the update line "
                                   f"{shown}, which it precedes by {(latest - placed).days} "
                                   f"days{notes}", True, dateline)
    start, since = "..", ""
    if bound and bound.day <= latest:
        start, since = _iso(bound.day), f"; the text reports {bound.text!r} as past"
    return DateFinding(f"{start}/{_iso(latest)}",
                       f"{TODO}only the update {shown} is printed: it appeared on or before it"
                       f"{since}{notes}", False, dateline)


def _parse_iso(value: str) -> dt.date | None:
    year, month, day = (int(part) for part in value.split("-"))
    return day_of(year, month, day)


def _from_printed(printed: list[_Printed], month: int | None, day_n: int | None, where: str,
                  dateline: str | None, notes: str) -> DateFinding:
    """One printed date, or the dateline's day in the year the page's date gives; printed
    dates that disagree give the interval they span."""
    days = sorted({p.day for p in printed})
    first = printed[0]
    if month is not None and day_n is not None and not any(
            (p.day.month, p.day.day) == (month, day_n) for p in printed):
        latest = days[-1]
        for year in (latest.year, latest.year - 1):
            placed = day_of(year, month, day_n)
            if placed and placed <= latest and (latest - placed).days <= DATELINE_LAG:
                return DateFinding(_iso(placed), f"{where} with the year of {first.role} "
                                   f"{first.text!r}, which it precedes by "
                                   f"{(latest - placed).days} days{notes}", True, dateline)
        shown = ", ".join(repr(p.text) for p in printed)
        return DateFinding(f"{_iso(min(days[0], latest))}/{_iso(latest)}",
                           f"{TODO}{where} does not fit the printed {shown}; the date is "
                           f"open{notes}", False, dateline)
    if len(days) == 1:
        shown = " and ".join(f"{p.role} {p.text!r}" for p in printed)
        return DateFinding(_iso(days[0]), f"printed in {shown}{notes}", True, dateline)
    shown = "; ".join(f"{p.role} {p.text!r}" for p in printed)
    return DateFinding(f"{_iso(days[0])}/{_iso(days[-1])}",
                       f"{TODO}the printed dates disagree ({shown}): it appeared between the "
                       f"first and the last{notes}", False, dateline,
                       tuple(_iso(d) for d in days))


def _from_day_month(text: str, lay: Layout, bound: _Bound | None, limit: dt.date, month: int,
                    day_n: int, where: str, dateline: str | None, notes: str,
                    weekday_given: LeadWeekday | None = None) -> DateFinding:
    """A day and month without a year: the years from the latest past date to today, narrowed
    by the lead's weekday; one left is the date, several give their interval."""
    shown = f"{calendar.month_name[month]} {day_n}"
    # leap days come back within eight years; a day no year has (February 30) dates nothing
    held = [d for y in range(limit.year, limit.year - 9, -1)
            if (d := day_of(y, month, day_n)) and d <= limit]
    if not held:
        return DateFinding(f"../{_iso(limit)}", f"{TODO}{where} prints {shown}, a day no "
                           f"month has, so it dates nothing; the date is open{notes}", False,
                           dateline)
    if bound is None:
        last = held[0]
        return DateFinding(f"../{_iso(last)}",
                           f"{TODO}{where} prints {shown} without a year, and the text dates "
                           f"nothing by which to choose one: {shown} of a year up to "
                           f"{last.year}{notes}", False, dateline)
    years = [y for y in range(bound.day.year, limit.year + 1)
             if (d := day_of(y, month, day_n)) and bound.day <= d <= limit]
    if not years:
        return DateFinding(f"{_iso(bound.day)}/{_iso(limit)}",
                           f"{TODO}{where} prints {shown}, but no {shown} lies between "
                           f"{bound.text!r} (reported as past) and today; the date is open"
                           f"{notes}", False, dateline)
    basis = (f"{where} prints {shown} without a year; the text reports {bound.text!r} as past "
             f"and it appeared by today")
    weekday = weekday_given or lead_weekday(text, lay)
    if weekday is not None:
        fitting = [y for y in years if weekday.fits(dt.date(y, month, day_n))]
        name = calendar.day_name[weekday.weekday]
        if weekday.late:  # said late on one day, printed that day or the next
            name = f"{name} or {calendar.day_name[(weekday.weekday + 1) % 7]}"
        if len(fitting) == 1:
            return DateFinding(f"{fitting[0]:04d}-{month:02d}-{day_n:02d}",
                               f"{TODO}{basis}; the lead says {weekday.text!r}, and of the years "
                               f"{years[0]}-{years[-1]} only in {fitting[0]} is {shown} a "
                               f"{name}{notes}", False, dateline)
        if fitting:
            years = fitting
            basis += f"; {shown} is a {name} (the lead says {weekday.text!r}) in " \
                     f"{', '.join(map(str, fitting))}"
    if len(years) == 1:
        return DateFinding(f"{years[0]:04d}-{month:02d}-{day_n:02d}",
                           f"{TODO}{basis}: {years[0]} is the only year left{notes}",
                           False, dateline)
    return DateFinding(f"{years[0]:04d}-{month:02d}-{day_n:02d}/{years[-1]:04d}-{month:02d}-"
                       f"{day_n:02d}", f"{TODO}{basis}: {shown} of one of the years "
                       f"{', '.join(map(str, years))}{notes}", False, dateline)


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
