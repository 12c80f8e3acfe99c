"""How fragile `nkb add` is to the ordinary ways news sites differ.

Run from the repository: .venv/bin/python benchmarks/robust_add.py [--articles DIR] [--details]
[--only WORDS]

Each transformation below makes one change a news site could make to an article without
changing what it says: other quote marks, other line endings and wrapping, padding and
non-breaking spaces, a date header, a list of other headlines after the body, another
attribution verb, another transliteration of a first name, navigation and footer lines; and, in
a second round, British quote marks, present-tense attribution, the attribution before or after
the quote, lines inside the body (a "Read also" link, an advertisement, a photo credit), a
weekday by the date, a dateline city in other capitals, two paragraphs run together, the
headline twice or past its date line, a byline, and a list of dated headlines on top; and, in
a third, typographic apostrophes, invisible characters and doubled spaces from a copied page,
other dashes, an embedded post's credit line and photo credits in the body, an "Updated" line,
reader comments, other words for "told reporters", and a dateline city in lower case; and, in
a fourth, what a scraper or a Markdown copy leaves (HTML character references and tags,
Markdown bold, links and "> "), a middle initial, a surname in capitals, abbreviated titles,
bullets before paragraphs, a headline in capitals and a dateline outlet in lower case. Each is
applied in memory, on its own, to every labelled article in --articles DIR and to every seed
(the KB's curated sources); nothing is written. Every variant is then read and scored exactly as
benchmarks/measure_add.py scores the text as it is, and compared with that baseline.

A transformation that cannot keep a text's labels true for some text (a quote mark it cannot
tell open from close, no exact day to print in a header, a line break inside a quote) leaves
that text out and counts it as skipped. The labels stay as they are; a date header, which
prints the true day, wants the date exact whatever the baseline was.

A regression is a text on which the variant does worse than the text as it is: a labelled quote
lost or given another speaker, a date changed (for a header: not exact), an outlet or via
lost or changed, more candidates that are no labelled quote, a new actor proposed that the
baseline did not propose. `--details` lists each, by text.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import html
import itertools
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.measure_add import (  # noqa: E402
    ARTICLES,
    Tally,
    articles_found,
    curated_sources,
    judge_date,
    score_article,
    score_seed,
)
from nkb import add, dates, store  # noqa: E402
from nkb.index import KB  # noqa: E402
from nkb.models import Source  # noqa: E402
from nkb.reader import article, pubdate  # noqa: E402
from nkb.text import fold  # noqa: E402

Span = tuple[int, int]


class Skip(Exception):
    """This transformation cannot keep this text's labels true; the text is left out."""


# --- quote marks ----------------------------------------------------------------------------

DOUBLE_MARK = re.compile(r"[\"“”„«»]")  # double quote marks; '' (two apostrophes) is left alone
_OPENS_BEFORE = "([{—\u2013-/:"  # a straight mark after these (or a space) may open
_CLOSES_AFTER = ",.;:!?)]}—\u2013-…'\u2019"  # a straight mark before these (or a space) may close


def mark_roles(text: str, strict: bool = True) -> list[tuple[int, str]]:
    """Each double quote mark's position and role, "open" or "close": a typographic mark by its
    glyph (“ closes after „), a straight one by what surrounds it. A straight mark that could
    be either or neither raises Skip (rewriting it would guess), or without `strict` is left
    out."""
    roles: list[tuple[int, str]] = []
    low_open = False  # inside „...“, where “ closes
    for match in DOUBLE_MARK.finditer(text):
        mark, at = match.group(), match.start()
        if mark == "“" and low_open:
            role = "close"
        elif mark in "“„«":
            role = "open"
        elif mark in "”»":
            role = "close"
        else:
            try:
                role = _straight_role(text, at)
            except Skip:
                if strict:
                    raise
                continue
        low_open = mark == "„" or (low_open and role == "open")
        roles.append((at, role))
    return roles


def _straight_role(text: str, at: int) -> str:
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    opens = (before.isspace() or before in _OPENS_BEFORE or before in "“„«\"") \
        and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _CLOSES_AFTER or after in "”»\"")
    if opens == closes:
        line = text.count("\n", 0, at) + 1
        raise Skip(f"a straight quote mark on line {line} could open or close")
    return "open" if opens else "close"


def rewrite_quote_marks(text: str, opening: str, closing: str) -> str:
    """Every double quote mark as `opening` or `closing`, by its role; apostrophes, single
    marks and '' are left alone, so every pair stays a pair."""
    chars = list(text)
    for at, role in mark_roles(text):
        chars[at] = opening if role == "open" else closing
    return "".join(chars)


# --- where the quotes are -------------------------------------------------------------------

_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—\u2013-]))[\u2018']")
_SINGLE_CLOSE = re.compile(r"(?<=\S)[\u2019'](?![A-Za-z])")


def _paragraphs(text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def quote_regions(text: str) -> list[Span]:
    """The spans between quote marks as a reader pairs them: double marks by role (an
    unclosed quote runs on while the next paragraph reopens it, else to its paragraph's end; a
    closing mark with no opener from its paragraph's start), '' pairs and single marks. It
    errs towards too much: a region only shields text from being rewritten."""
    regions = _double_regions(text, mark_roles(text, strict=False))
    regions += [(m.start(), m.end()) for m in re.finditer(r"''.*?''", text)]
    for start, end in _paragraphs(text):
        regions += _single_regions(text, start, end)
    return sorted(regions)


def _double_regions(text: str, roles: Sequence[tuple[int, str]]) -> list[Span]:
    regions: list[Span] = []
    paragraphs = _paragraphs(text)
    for index, (p_start, p_end) in enumerate(paragraphs):
        inside = [(at, role) for at, role in roles if p_start <= at < p_end]
        opened: int | None = None
        for at, role in inside:
            if role == "open" and opened is None:
                opened = at
            elif role == "close":
                regions.append((p_start if opened is None else opened, at + 1))
                opened = None
        if opened is not None:
            regions.append((opened, p_end + 1))  # with its line break: the quote is open there
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if following and DOUBLE_MARK.match(text, following[0]):
                regions.append((p_end, following[0]))  # the quote goes on
    return regions


def _single_regions(text: str, start: int, end: int) -> list[Span]:
    regions: list[Span] = []
    opened: int | None = None
    for match in re.finditer(r"[\u2018\u2019']", text[start:end]):
        at = start + match.start()
        if opened is None and _SINGLE_OPEN.match(text, at):
            opened = at
        elif opened is not None and _SINGLE_CLOSE.match(text, at):
            regions.append((opened, at + 1))
            opened = None
    return regions


def inside(at: int, regions: Sequence[Span]) -> bool:
    """Does offset `at` fall within one of `regions`?"""
    return any(start <= at < end for start, end in regions)


def replace_outside(text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str],
                    regions: Sequence[Span]) -> str:
    """`pattern` replaced by `repl` wherever the match starts and ends outside `regions`."""
    def one(match: re.Match[str]) -> str:
        if inside(match.start(), regions) or inside(match.end() - 1, regions):
            return match.group()
        return repl(match)
    return pattern.sub(one, text)


# --- words outside quotes ---------------------------------------------------------------------

# First names of people in the KB and the labels as sites spell them; each pair is swapped both
# ways. Names without a common second spelling (Ilham, Nikol, Vladimir, Igor, Ararat) stay.
FIRST_NAME_VARIANTS = (
    ("Sergey", "Sergei"),
    ("Dmitry", "Dmitri"),
    ("Maria", "Mariya"),
    ("Andrey", "Andrei"),
    ("Aleksei", "Alexei"),
    ("Alexey", "Aleksey"),
    ("Yury", "Yuri"),
    ("Jeyhun", "Ceyhun"),
    ("Hikmet", "Hikmat"),
    ("Hossein", "Hussein"),
)


def swap_first_names(text: str, regions: Sequence[Span],
                     pairs: Sequence[tuple[str, str]] = FIRST_NAME_VARIANTS) -> str:
    """Each first name of `pairs` outside `regions` spelt the other way, as a whole word."""
    other = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, other)) + r")\b")
    return replace_outside(text, pattern, lambda m: other[m.group()], regions)


def swap_word(text: str, word: str, instead: str, regions: Sequence[Span]) -> str:
    """`word` as a whole (lower-case) word outside `regions` written as `instead`."""
    return replace_outside(text, re.compile(rf"\b{re.escape(word)}\b"), lambda m: instead, regions)


# --- line layout ------------------------------------------------------------------------------

NBSP = "\u00a0"
BOM = "\ufeff"


def crlf(text: str) -> str:
    """Windows line endings."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


_SENTENCE_DONE = re.compile(r"[.!?:\"”\u2019»)]\s*$")


def blank_line_between(text: str, regions: Sequence[Span]) -> str:
    """A blank line between every two lines that follow each other; Skip when a line to set
    apart stops mid-sentence inside a quote (hard wrapping: it would split the quote in two)."""
    out = []
    for match in re.finditer(r"\n(?=[^\n])", text):
        at = match.start()
        if at > 0 and text[at - 1] != "\n":
            line_start = text.rfind("\n", 0, at) + 1
            if inside(at, regions) and not _SENTENCE_DONE.search(text, line_start, at):
                line = text.count("\n", 0, at) + 1
                raise Skip(f"line {line} stops mid-sentence inside a quote")
            out.append(at)
    chars = list(text)
    for at in out:
        chars[at] = "\n\n"
    return "".join(chars)


def hard_wrap(text: str, width: int = 72) -> str:
    """Every line longer than `width` broken at spaces, as e-mail and forum copies are."""
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        lines += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False,
                               replace_whitespace=False, drop_whitespace=True)
    return "\n".join(lines)


def pad_lines(text: str, before: str, after: str) -> str:
    """Every non-blank line with `before` in front and `after` behind it."""
    return "\n".join(f"{before}{line}{after}" if line.strip() else line
                     for line in text.split("\n"))


_BOUND_SPACE = re.compile(r"(?<![\w'\u2019])(\w{1,3}) (?=\w)|(?<=\d) (?=[A-Za-z])")


def nbsp_bound(text: str) -> str:
    """The space after a word of at most three letters, and between a number and the word after
    it, as U+00A0, as sites that keep "a" or "12 March" from ending a line print them."""
    return _BOUND_SPACE.sub(lambda m: (m.group(1) or "") + NBSP, text)


# --- dates ------------------------------------------------------------------------------------

MONTHS = list(calendar.month_name)
ABBR = list(calendar.month_abbr)
WEEKDAYS = list(calendar.day_abbr)

DATE_HEADERS: dict[str, Callable[[dt.date], str]] = {
    "12 March 2021, 14:25": lambda d: f"{d.day} {MONTHS[d.month]} {d.year}, 14:25",
    "March 12, 2021 at 2:25 PM": lambda d: f"{MONTHS[d.month]} {d.day}, {d.year} at 2:25 PM",
    "2021-03-12T14:25:00+04:00": lambda d: f"{d.isoformat()}T14:25:00+04:00",
    "12.03.2021 14:25": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year} 14:25",
    "Fri, 12 Mar 2021 14:25:00 +0400":
        lambda d: f"{WEEKDAYS[d.weekday()]}, {d.day:02d} {ABBR[d.month]} {d.year} 14:25:00 +0400",
    "Published: 12 March 2021": lambda d: f"Published: {d.day} {MONTHS[d.month]} {d.year}",
}


def exact_day(truth: str | None) -> dt.date:
    """The true date as a day, or Skip when the label gives no exact day."""
    if truth is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", truth):
        raise Skip(f"the true date {truth} is not an exact day")
    return dt.date.fromisoformat(truth)


# The line the stored pages open with (" date 2023-11-09"), printed by the tool that kept them,
# not by the site: the page itself begins after it, on the same line or the next.
_STORED_HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}[ \t]*\n?")


def on_top(text: str, lines: Sequence[str]) -> str:
    """`lines` at the top of the page, after the stored page's own date header if it has one."""
    at = _STORED_HEADER.match(text)
    cut = at.end() if at else 0
    return text[:cut] + "\n".join(lines) + "\n" + text[cut:]


# Headlines of other articles, written for this benchmark: no quotes, names or outlets.
OTHER_HEADLINES = (
    "Foreign ministry comments on the border talks",
    "Regional transport links discussed at a working group",
    "Parliament approves next year's budget",
)

RELATED_FORMS: dict[str, Callable[[dt.date, str], str]] = {
    "day month year": lambda d, h: f"{d.day} {MONTHS[d.month]} {d.year} {h}",
    "ISO with time": lambda d, h: f"{d.isoformat()} 10:{d.day:02d} {h}",
    "month day, year": lambda d, h: f"{MONTHS[d.month]} {d.day}, {d.year} - {h}",
}


def true_span(truth: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day the true date can mean, or Skip when nobody knows it."""
    if truth is None:
        raise Skip("the true date is unknown, so no other date can be placed around it")
    span = dates.parse_edtf(truth.rstrip("?~%"))
    return dt.date.fromisoformat(span.start), dt.date.fromisoformat(span.end)


def related_block(days: Sequence[dt.date], form: Callable[[dt.date, str], str],
                  heading: str = "Other news") -> str:
    """A list of dated headlines under `heading` (none if empty), as pages print after the body."""
    lines = [form(day, OTHER_HEADLINES[n % len(OTHER_HEADLINES)]) for n, day in enumerate(days)]
    return "\n".join([heading, *lines] if heading else lines)


def later_days(truth: str | None, today: dt.date) -> list[dt.date]:
    """Days after the true date (3, 12 and 40 days on), none after today; Skip if none is left."""
    days = [d for d in (true_span(truth)[1] + dt.timedelta(n) for n in (3, 12, 40)) if d <= today]
    if not days:
        raise Skip("no day between the true date and today")
    return days


def earlier_days(truth: str | None) -> list[dt.date]:
    """Days before the true date: 2, 30 and 400 days back."""
    return [true_span(truth)[0] - dt.timedelta(n) for n in (2, 30, 400)]


def append_block(text: str, block: str) -> str:
    """`block` after the body, a blank line between."""
    return f"{text.rstrip()}\n\n{block}\n"


NAVIGATION = ("Home", "News", "Politics", "Login", "Search")
SHARE_AND_TAGS = "Share this:\nTags: Russia, Armenia"
COPYRIGHT = "© 2024 Example News. All rights reserved."


# --- round two: British quote marks -----------------------------------------------------------

_TWO_APOSTROPHES = re.compile(r"''(?=\S)(.+?)(?<=\S)''")


def british_quotes(text: str, opening: str, closing: str) -> str:
    """Every double-quote pair (and '' pair) as `opening`…`closing` single marks, and each
    single-quoted span inside one as a double pair, so the levels swap; apostrophes stay."""
    inner_open, inner_close = ("“", "”") if opening == "\u2018" else ('"', '"')
    roles = mark_roles(text)
    chars = list(text)
    for start, end in _double_regions(text, roles):
        if not (DOUBLE_MARK.match(text, start) and DOUBLE_MARK.match(text, end - 1)):
            continue  # an unclosed quote's run or a closer without opener: no inner pair to swap
        for s_start, s_end in _single_regions(text, start + 1, end - 1):
            chars[s_start], chars[s_end - 1] = inner_open, inner_close
    for at, role in roles:
        chars[at] = opening if role == "open" else closing
    out = "".join(chars)
    return _TWO_APOSTROPHES.sub(lambda m: f"{opening}{m.group(1)}{closing}", out)


# --- round two: attribution -------------------------------------------------------------------

PRESENT_TENSE = (("said", "says"), ("added", "adds"), ("noted", "notes"), ("stressed", "stresses"))
# after these the past participle stays: "has said" is not "has says"
_AUXILIARY = re.compile(r"\b(?:has|have|had|having|was|were|is|are|be|been|being|will|would)"
                        r"(?:\s+(?:also|already|not|repeatedly|earlier|previously))?\s+$", re.I)


def present_tense(text: str, regions: Sequence[Span]) -> str:
    """"said", "added", "noted", "stressed" outside `regions` in the present tense, except after
    an auxiliary ("has said" stays)."""
    verbs = dict(PRESENT_TENSE)
    pattern = re.compile(r"\b(?:" + "|".join(verbs) + r")\b")

    def one(match: re.Match[str]) -> str:
        if _AUXILIARY.search(text, max(0, match.start() - 40), match.start()):
            return match.group()
        return verbs[match.group()]
    return replace_outside(text, pattern, one, regions)


_NAME = r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s){0,2}[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[Hh]e|[Ss]he"
_VERB = r"said|added|noted|stressed"
_OPEN, _CLOSE = "\"“«", "\"”»"
_BODY = r"[^\"“”«»\n]+"
_SENTENCE_START = r"(?:^|(?<=[.!?][\"”»] )|(?<=[.!?] ))"
# "“We are ready,” Petrov said." as one sentence
_QUOTE_THEN_NAME = re.compile(
    rf"{_SENTENCE_START}(?P<open>[{_OPEN}])(?P<body>{_BODY}),(?P<close>[{_CLOSE}]) "
    rf"(?P<name>{_NAME}) (?P<verb>{_VERB})\.(?=\s|$)", re.M)
# "Petrov said: “We are ready.”" as one sentence
_NAME_THEN_QUOTE = re.compile(
    rf"{_SENTENCE_START}(?P<name>{_NAME}) (?P<verb>{_VERB}): (?P<open>[{_OPEN}])"
    rf"(?P<body>{_BODY})\.(?P<close>[{_CLOSE}])(?=\s|$)", re.M)


def _pronoun(name: str, capital: bool) -> str:
    if name.lower() not in ("he", "she"):
        return name
    return name.capitalize() if capital else name.lower()


def _pair_ok(match: re.Match[str]) -> bool:
    # the marks must be a pair (not a closer and an opener of two quotes) and the body one quote
    return (match["open"] == '"') == (match["close"] == '"')


def name_before_quote(text: str) -> str:
    """Each `“…,” NAME said.` sentence written as `NAME said: “….”`; other quotes stay."""
    def one(m: re.Match[str]) -> str:
        if not _pair_ok(m):
            return m.group()
        return (f"{_pronoun(m['name'], True)} {m['verb']}: "
                f"{m['open']}{m['body']}.{m['close']}")
    return _QUOTE_THEN_NAME.sub(one, text)


def name_after_quote(text: str) -> str:
    """Each `NAME said: “….”` sentence written as `“…,” NAME said.`; other quotes stay."""
    def one(m: re.Match[str]) -> str:
        if not _pair_ok(m):
            return m.group()
        return (f"{m['open']}{m['body']},{m['close']} "
                f"{_pronoun(m['name'], False)} {m['verb']}.")
    return _NAME_THEN_QUOTE.sub(one, text)


# --- round two: the head of the page ----------------------------------------------------------

_MONTH_WORD = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
               r"|(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*")
_HAS_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+(?:{_MONTH_WORD})|(?:{_MONTH_WORD})\s+\d{{1,2}})\b"
                       r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
HEAD_LINES = 10  # how far down the page the head (headline, dates, dateline) is looked for


def _head(text: str) -> list[Span]:
    """The first HEAD_LINES non-blank lines of the page, after the stored date header."""
    at = _STORED_HEADER.match(text)
    cut = at.end() if at else 0
    return [(s + cut, e + cut) for s, e in _paragraphs(text[cut:])][:HEAD_LINES]


_DATELINE_CAPS = re.compile(r"[A-Z]{3,}(?:[ -][A-Z]{3,})?(?=[ ,.(/—\u2013-])")
_DATELINE_TITLE = re.compile(r"[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]{2,})?(?= ?/[^/\n]{2,30}/)")


def _dateline_start(text: str) -> int:
    """Where the dateline's city starts (the first head line shaped "CITY, Month D" or
    "City /Agency/"), or -1."""
    stored = _STORED_HEADER.match(text)
    for start, end in _head(text):
        if stored and start < stored.end() < end:
            start = stored.end()
        for pattern in (_DATELINE_CAPS, _DATELINE_TITLE):
            match = pattern.match(text, start, end)
            if match and (pattern is _DATELINE_TITLE or _looks_like_dateline(text, match.end(), end)):
                return start
    return -1


def _looks_like_dateline(text: str, after: int, end: int) -> bool:
    # after the city: a date, an agency in brackets or slashes, or a dash, within a few characters
    rest = text[after:min(end, after + 30)]
    return bool(re.match(r"\s*(?:[,.]\s*|\s)(?:\d{1,2}\s+)?(?:" + _MONTH_WORD + r")|\s*[(/]|"
                         r"\s*[—\u2013-]\s", rest))


def _respell(word: str, how: str) -> str:
    return word.title() if how == "title" else word.upper()


def dateline_case(text: str, how: str) -> str:
    """The dateline's city (and an upper-case month in it) in title case ("MOSCOW, March 12" to
    "Moscow, March 12"), or with `how` "upper" a title-case city in capitals; Skip when the head
    has no dateline of that kind."""
    start = _dateline_start(text)
    pattern = _DATELINE_CAPS if how == "title" else _DATELINE_TITLE
    match = pattern.match(text, start) if start >= 0 else None
    if match is None:
        raise Skip(f"no dateline with a city in {'capitals' if how == 'title' else 'title case'}")
    city = _respell(match.group(), how)
    end = match.end()
    rest = text[end:end + 30]
    month = re.match(r"(\W+\d{1,2}\s+)([A-Z]{3,})\b", rest) if how == "title" else None
    if month:
        rest_new = month.group(1) + month.group(2).title()
        return text[:match.start()] + city + rest_new + text[end + month.end():]
    return text[:match.start()] + city + text[end:]


_DAY_IN_HEAD = "(?:{d}(?:st|nd|rd|th)?\\s+(?:{m})|(?:{m})\\s+{d}(?:st|nd|rd|th)?)\\b"


def weekday_in_head(text: str, truth: str | None) -> str:
    """The weekday written before the first date in the head that prints the true day and
    month ("December 29" to "Thursday, December 29"); Skip where there is none."""
    day = exact_day(truth)
    month = MONTHS[day.month]
    names = "|".join(re.escape(n) for n in {month, month[:3], month[:4], month.upper(),
                                            month[:3].upper()})
    pattern = re.compile(_DAY_IN_HEAD.format(d=day.day, m=rf"(?:{names})\.?"))
    for start, end in _head(text):
        match = pattern.search(text, start, end)
        if match is None:
            continue
        before = text[max(0, match.start() - 12):match.start()]
        if re.search(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s*$", before):
            raise Skip("the date in the head already has its weekday")
        weekday = calendar.day_name[day.weekday()]
        return f"{text[:match.start()]}{weekday}, {text[match.start():]}"
    raise Skip("no dateline or date line in the head prints the true day")


def weekday_header(day: dt.date) -> str:
    """The true day with its weekday, as a header line: "Friday, 12 March 2021"."""
    return f"{calendar.day_name[day.weekday()]}, {day.day} {MONTHS[day.month]} {day.year}"


def headline(text: str) -> Span:
    """The headline: the first head line above the lead of 5 words or more and at most 160
    characters that is no date line, no dateline and no quote, and ends no sentence unless it
    opens the page; Skip where there is none."""
    dateline = _dateline_start(text)
    spans = _head(text)
    for n, (start, end) in enumerate(spans):
        line = text[start:end].strip()
        if start <= dateline < end or _is_lead(line):
            break
        if _HAS_DATE.search(line) or DOUBLE_MARK.search(line) or (n and line[-1:] in ".!?"):
            continue
        if len(line.split()) >= 5 and 30 <= len(line) <= 160:
            return start, end
    raise Skip("no headline line above the lead")


def _is_lead(line: str) -> bool:
    # a sentence of body length: where the article itself starts
    return len(line.split()) >= BODY_WORDS and line[-1:] in ".!?\"”»"


def headline_twice(text: str) -> str:
    """A copy of the headline on top of the page, as sites that print it twice do."""
    start, end = headline(text)
    return on_top(text, [text[start:end].strip()])


def _date_line(text: str, span: Span) -> bool:
    line = text[span[0]:span[1]].strip()
    return bool(_HAS_DATE.search(line)) and len(line) <= 60 and not line.endswith(".")


def headline_past_date_line(text: str) -> str:
    """The headline and the date line next to it swapped: a headline above its date line goes
    below it, one below goes above; Skip where no short date line touches the headline."""
    spans = _head(text)
    start, end = headline(text)
    at = next(n for n, span in enumerate(spans) if span == (start, end))
    for other in (at - 1, at + 1):
        if 0 <= other < len(spans) and _date_line(text, spans[other]):
            first, second = sorted((spans[at], spans[other]))
            a, b = text[first[0]:first[1]], text[second[0]:second[1]]
            return text[:first[0]] + b + text[first[1]:second[0]] + a + text[second[1]:]
    raise Skip("no date line right above or below the headline")


# --- round two: the body ----------------------------------------------------------------------

BODY_WORDS = 12  # a line of at least this many words is a body paragraph


def body_paragraphs(text: str) -> list[Span]:
    """The lines of at least BODY_WORDS words from the lead (the first that ends a sentence) on:
    the lead and the paragraphs after it."""
    lines = [(s, e) for s, e in _paragraphs(text) if len(text[s:e].split()) >= BODY_WORDS]
    lead = next((n for n, (s, e) in enumerate(lines) if _is_lead(text[s:e].strip())), len(lines))
    return lines[lead:]


def _ends_clear(text: str, end: int, regions: Sequence[Span]) -> bool:
    """Does the paragraph ending at `end` end a sentence outside any quote?"""
    line_start = text.rfind("\n", 0, end) + 1
    return bool(_SENTENCE_DONE.search(text, line_start, end)) and not inside(end, regions)


def furniture_after_second(text: str, line: str, regions: Sequence[Span]) -> str:
    """`line` as its own line after the second body paragraph, set apart as the paragraphs
    there are; Skip where that paragraph stops mid-sentence or inside a quote."""
    paragraphs = body_paragraphs(text)
    if len(paragraphs) < 3:
        raise Skip("fewer than three body paragraphs")
    end = paragraphs[1][1]
    if not _ends_clear(text, end, regions):
        raise Skip("the second body paragraph stops mid-sentence or inside a quote")
    gap = "\n\n" if text.startswith("\n\n", end) else "\n"
    return f"{text[:end]}{gap}{line}{text[end:]}"


MID_BODY = ("Read also: Envoys to meet again next month", "Advertisement",
            "Photo: press service")


def join_paragraphs(text: str, regions: Sequence[Span]) -> str:
    """The first two adjacent body paragraphs after the first joined into one line with a space;
    a pair is passed over where the first stops mid-sentence or inside a quote (the second
    then goes on with it) or the second opens a quote without marks or a transcript turn;
    Skip where no pair is left."""
    paragraphs = body_paragraphs(text)
    for (_, end), (start, _) in itertools.pairwise(paragraphs[1:]):
        if text[end:start].strip() or not _ends_clear(text, end, regions) or \
                not _may_run_on(text, start, regions):
            continue
        return f"{text[:end]} {text[start:]}"
    raise Skip("no two adjacent body paragraphs can be joined outside a quote")


_TURN_LABEL = re.compile(r"(?:[A-Z][\w.'-]*\s){0,3}[A-Z][\w.'-]*:\s")


def _may_run_on(text: str, start: int, regions: Sequence[Span]) -> bool:
    # Only its line break marks where a quote without marks or a transcript turn ("Name: ...")
    # starts; run on after a sentence, neither could be told apart from the text before it.
    unmarked = inside(start, regions) and not re.match(r"[\"“”„«»\u2018\u2019']", text[start:])
    return not unmarked and not _TURN_LABEL.match(text, start)


BYLINES = ("By Anna Orlova", "Anna Orlova, Staff Reporter", "Author: Anna Orlova")


def byline_above_body(text: str, byline: str) -> str:
    """`byline` as its own line right above the lead (the first body paragraph)."""
    paragraphs = body_paragraphs(text)
    if not paragraphs:
        raise Skip("no body paragraph")
    start = paragraphs[0][0]
    stored = _STORED_HEADER.match(text)
    if stored and start < stored.end():
        return on_top(text, [byline])  # the lead shares the stored header's line
    return f"{text[:start]}{byline}\n{text[start:]}"


def latest_news_above(text: str, days: Sequence[dt.date]) -> str:
    """A "Latest news" list of dated headlines on top of the page, above the headline."""
    block = related_block(days, RELATED_FORMS["day month year"], "Latest news")
    return on_top(text, block.split("\n"))


# --- round three: characters a copy of the page brings along ---------------------------------

ZWSP, SOFT_HYPHEN = "\u200b", "\u00ad"
_IN_WORD_APOSTROPHE = {"'": re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])"),
                       "\u2019": re.compile(r"(?<=[^\W\d_])\u2019(?=[^\W\d_])")}


def typographic_apostrophes(text: str, to: str) -> str:
    """Every apostrophe inside a word (Russia's, don't) written as `to`: U+2019 for a
    straight one, or ' for a typographic one; quote marks, which never sit between letters,
    stay."""
    other = "'" if to == "\u2019" else "\u2019"
    return _IN_WORD_APOSTROPHE[other].sub(to, text)


_LONG_WORD = re.compile(r"\b(?:[^\W\d_]{8,}|[A-Z][^\W\d_]{5,})\b")


def split_long_words(text: str, mark: str, regions: Sequence[Span]) -> str:
    """`mark` (a zero-width space or a soft hyphen) in the middle of every word of at least 8
    letters, and of every capitalised word of at least 6 (names, places), outside `regions`."""
    return replace_outside(text, _LONG_WORD,
                           lambda m: m.group()[:len(m.group()) // 2] + mark
                           + m.group()[len(m.group()) // 2:], regions)


def double_spaces(text: str) -> str:
    """Every single space between two words doubled, as a copy from some pages prints it."""
    return re.sub(r"(?<=\S) (?=\S)", "  ", text)


_SPACED_DASH = {"-": re.compile(r"(?<=\S) - (?=\S)"),
                "en": re.compile(r"(?<=\S) \u2013 (?=\S)"),
                "em": re.compile(r"(?<=\S) \u2014 (?=\S)")}
DASHES = {"-": "-", "en": "\u2013", "em": "\u2014"}


def respace_dashes(text: str, before: Sequence[str], after: str,
                   regions: Sequence[Span]) -> str:
    """Each spaced dash of the kinds `before` ("-", "en", "em") outside `regions` written as
    the dash `after`."""
    for kind in before:
        text = replace_outside(text, _SPACED_DASH[kind], lambda m: f" {DASHES[after]} ", regions)
    return text


# --- round three: lines inside the body and after it ----------------------------------------


def social_post_line(truth: str | None) -> str:
    """The credit line of an embedded post, by a fictional author, dated 9 days before the true
    date: "— Olga Orlova (@orlova_o) March 3, 2021"."""
    day = true_span(truth)[0] - dt.timedelta(9)
    return f"\u2014 Olga Orlova (@orlova_o) {MONTHS[day.month]} {day.day}, {day.year}"


PHOTO_CREDITS = ("Photo: Reuters", "(Photo: AFP)")


def updated_lines(day: dt.date, where: str) -> list[str]:
    """A date line printing `day` with an "Updated:" line one day later below it, above it, or
    on the same line."""
    printed = f"{day.day} {MONTHS[day.month]} {day.year}, 14:25"
    later = day + dt.timedelta(1)
    updated = f"Updated: {later.day} {MONTHS[later.month]} {later.year}, 09:10"
    if where == "same line":
        return [f"{printed} | {updated}"]
    return [printed, updated] if where == "below" else [updated, printed]


COMMENTS = '3 comments\nAnna: I fully agree with the minister.\nBoris: "Peace now," he wrote.'


# --- round three: attribution and dateline ----------------------------------------------------

TOLD_REPORTERS = ("told journalists", "told a news conference", "said at a briefing")


def dateline_lower(text: str) -> str:
    """The dateline's city in lower case ("MOSCOW," to "moscow,"); Skip where there is none."""
    start = _dateline_start(text)
    match = None
    if start >= 0:
        match = _DATELINE_CAPS.match(text, start) or _DATELINE_TITLE.match(text, start)
    if match is None:
        raise Skip("no dateline with a city")
    return text[:match.start()] + match.group().lower() + text[match.end():]


# --- round four: what a scraper or a Markdown copy leaves in the text -----------------------

ENTITY_MARKS = {"&quot;": ("&quot;", "&quot;"), "&#8220;": ("&#8220;", "&#8221;"),
                "&ldquo;": ("&ldquo;", "&rdquo;")}
HREF = '<a href="https://example.org/x">'
LINK = "https://example.org/x"


def entity_quotes(text: str, opening: str, closing: str) -> str:
    """Every double quote mark written as the HTML entity `opening` or `closing` by its role."""
    pieces, last = [], 0
    for at, role in mark_roles(text):
        pieces += [text[last:at], opening if role == "open" else closing]
        last = at + 1
    return "".join(pieces) + text[last:]


def entity_apostrophes(text: str, entity: str) -> str:
    """Every apostrophe inside a word (straight or typographic) written as `entity`."""
    return re.sub(r"(?<=[^\W\d_])['\u2019](?=[^\W\d_])", entity, text)


def entity_spaces(text: str) -> str:
    """`&nbsp;` where nbsp_bound puts U+00A0, and every U+00A0 already there."""
    return nbsp_bound(text).replace(NBSP, "&nbsp;")


_AND_BETWEEN_NAMES = re.compile(r"(?<=[a-z]) and (?=[A-Z][a-z])")


def entity_ampersand(text: str, regions: Sequence[Span]) -> str:
    """" and " between a word and a capitalised word outside `regions` as " &amp; "
    ("Armenia &amp; Azerbaijan"), as an escaped "&" is scraped; Skip where there is none."""
    out = replace_outside(text, _AND_BETWEEN_NAMES, lambda m: " &amp; ", regions)
    if out == text:
        raise Skip("no \" and \" before a capitalised word outside quotes")
    return out


def on_page(text: str, change: Callable[[str], str]) -> str:
    """`change` applied to the page only, after the stored page's own date header (a line the
    storing tool writes, not the site)."""
    at = _STORED_HEADER.match(text)
    cut = at.end() if at else 0
    return text[:cut] + change(text[cut:])


def paragraph_tags(text: str) -> str:
    """Every non-blank line of the page wrapped in <p> … </p>."""
    return on_page(text, lambda page: "\n".join(f"<p>{line}</p>" if line.strip() else line
                                                 for line in page.split("\n")))


def br_line_ends(text: str) -> str:
    """A <br> at the end of every line of the page that another line follows."""
    return on_page(text, lambda page: re.sub(r"(?<=[^\n])\n", "<br>\n", page))


def around_names(text: str, names: Sequence[str], before: str, after: str,
                 regions: Sequence[Span]) -> str:
    """Each of `names` printed in full outside `regions` written between `before` and `after`;
    Skip where none is."""
    if not names:
        raise Skip("no names to mark")
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    out = replace_outside(text, pattern, lambda m: f"{before}{m.group()}{after}", regions)
    if out == text:
        raise Skip("no KB person's full name outside quotes")
    return out


def around_outlet(text: str, outlet: str | None, regions: Sequence[Span]) -> str:
    """The labelled outlet's name outside `regions` inside a link tag; Skip where none is."""
    if not outlet:
        raise Skip("the label names no outlet")
    return around_names(text, [outlet], HREF, "</a>", regions)


def markdown_link(text: str, names: Sequence[str], regions: Sequence[Span]) -> str:
    """Each KB person's full name outside `regions` as a Markdown link `[Name](url)`."""
    return around_names(text, names, "[", f"]({LINK})", regions)


_DATE_AFTER_CITY = re.compile(rf"[,.]?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_WORD})"
                              rf"|(?:{_MONTH_WORD})\s+\d{{1,2}}(?:st|nd|rd|th)?)")


def markdown_dateline(text: str) -> str:
    """The dateline's city and the date right after it in bold (`**MOSCOW, March 12**`); Skip
    where there is no dateline."""
    start = _dateline_start(text)
    match = None
    if start >= 0:
        match = _DATELINE_CAPS.match(text, start) or _DATELINE_TITLE.match(text, start)
    if match is None:
        raise Skip("no dateline with a city")
    end = match.end()
    date = _DATE_AFTER_CITY.match(text, end)
    end = date.end() if date else end
    return f"{text[:match.start()]}**{text[match.start():end]}**{text[end:]}"


def blockquote_lines(text: str) -> str:
    """"> " at the start of every line of the page, as a Markdown quotation of all of it."""
    return on_page(text, lambda page: "\n".join(f"> {line}" for line in page.split("\n")))


def middle_initial(text: str, names: Sequence[str], regions: Sequence[Span]) -> str:
    """"V." between the first name and the surname of each two-word KB person name printed in
    full outside `regions` ("Maria V. Zakharova")."""
    two = [n for n in names if len(n.split()) == 2]
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, two)) + r")\b") if two else None
    if pattern is None:
        raise Skip("no two-word names")
    out = replace_outside(text, pattern, lambda m: m.group().replace(" ", " V. ", 1), regions)
    if out == text:
        raise Skip("no KB person's full name outside quotes")
    return out


def surname_caps(text: str, names: Sequence[str], regions: Sequence[Span]) -> str:
    """The surname of each KB person name printed in full outside `regions` in capitals
    ("Maria ZAKHAROVA")."""
    if not names:
        raise Skip("no names")
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")

    def one(match: re.Match[str]) -> str:
        first, _, last = match.group().rpartition(" ")
        return f"{first} {last.upper()}"
    out = replace_outside(text, pattern, one, regions)
    if out == text:
        raise Skip("no KB person's full name outside quotes")
    return out


TITLE_ABBREVIATIONS = {"Foreign Minister": "FM", "Ambassador": "Amb."}
_TITLE = re.compile(r"\b(?:Foreign Minister|Ambassador)\b")


def abbreviate_titles(text: str, regions: Sequence[Span]) -> str:
    """"Foreign Minister" as "FM" (so "Deputy Foreign Minister" as "Deputy FM") and
    "Ambassador" as "Amb." outside `regions`; Skip where neither is."""
    out = replace_outside(text, _TITLE, lambda m: TITLE_ABBREVIATIONS[m.group()], regions)
    if out == text:
        raise Skip("no title to abbreviate outside quotes")
    return out


def bullets(text: str, bullet: str, regions: Sequence[Span]) -> str:
    """`bullet` at the start of each body paragraph that neither goes on with a quote from the
    paragraph before nor is a quotation without marks."""
    starts = []
    stored = _STORED_HEADER.match(text)
    for start, _ in body_paragraphs(text):
        start = max(start, stored.end()) if stored else start
        carried = start > 0 and inside(start - 1, regions)
        unmarked = inside(start, regions) and not DOUBLE_MARK.match(text, start)
        if not (carried or unmarked):
            starts.append(start)
    if not starts:
        raise Skip("no body paragraph that opens on its own")
    for start in reversed(starts):
        text = text[:start] + bullet + text[start:]
    return text


def headline_caps(text: str) -> str:
    """The headline in capitals."""
    start, end = headline(text)
    return text[:start] + text[start:end].upper() + text[end:]


_SLASHED_OUTLET = re.compile(r"/([A-Z][A-Za-z-]*[A-Z][A-Za-z-]*)/")


def dateline_outlet_lower(text: str) -> str:
    """The outlet between slashes in the dateline in lower case ("/TASS/" to "/tass/"); Skip
    where the dateline has none in capitals."""
    start = _dateline_start(text)
    if start < 0:
        raise Skip("no dateline")
    end = text.find("\n", start)
    match = _SLASHED_OUTLET.search(text, start, len(text) if end < 0 else end)
    if match is None:
        raise Skip("no outlet in capitals between slashes in the dateline")
    return text[:match.start(1)] + match.group(1).lower() + text[match.end(1):]


def as_read(text: str) -> str:
    """The text as a reader sees it on the page: tags, Markdown marks and entities gone."""
    text = re.sub(r"</?(?:p|br|strong|a)\b[^>]*>", "", text)
    text = re.sub(r"\[([^\]\n]+)\]\(https?://[^)\s]+\)", r"\1", text)
    text = re.sub(r"(?m)^> ", "", text.replace("**", ""))
    return html.unescape(text)


# --- the transformations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One text measured: a seed or a labelled article, with what its labels say."""

    name: str
    text: str
    truth: str | None  # the true date (EDTF) as labelled or curated
    outlet: str | None
    quotes: tuple[str, ...]  # folded words each labelled quote starts with
    score: Callable[[Tally, str], article.Findings]
    quoted: tuple[Span, ...] = ()  # what the baseline reading took as quotes


@dataclass(frozen=True)
class Transformation:
    """A named, label-preserving change to an article's text."""

    name: str
    apply: Callable[[Item], str]
    wants_exact_date: bool = False  # it prints the true day, so the date must come out exact
    adds_dates: bool = False  # it adds dates that are not the article's: its date must not move
    round_two: bool = False  # added in the second round (docs/add-robustness.md)
    round_three: bool = False  # added in the third round
    round_four: bool = False  # added in the fourth round: labels are checked on the text as read


def _regions(item: Item) -> list[Span]:
    return quote_regions(item.text) + list(item.quoted)


def _needs_outlet(item: Item) -> Item:
    """Skip a text whose labelled outlet a copyright line would displace: none named, or named
    only as the outlet the speaker spoke to ("told X", "interview with X")."""
    if item.outlet is None:
        raise Skip("the label names no outlet: a copyright line would name one")
    name = re.escape(item.outlet)
    named = len(re.findall(rf"\b{name}\b", item.text))
    spoken_to = len(re.findall(rf"\b(?:told|interview (?:with|to))\s+(?:the\s+)?{name}\b",
                               item.text))
    if named and named == spoken_to:
        raise Skip("the labelled outlet is only the one the speaker spoke to: a copyright line "
                   "would name the publisher")
    return item


def _header(form: Callable[[dt.date], str]) -> Callable[[Item], str]:
    return lambda item: on_top(item.text, [form(exact_day(item.truth))])


def _related(form: Callable[[dt.date, str], str], heading: str,
             days: Callable[[str | None], list[dt.date]]) -> Callable[[Item], str]:
    return lambda item: append_block(item.text, related_block(days(item.truth), form, heading))


def transformations(today: dt.date, names: Sequence[str] = ()) -> list[Transformation]:
    """Every transformation measured, in report order; `names` are the KB's people's names."""
    t = Transformation
    out = [
        t("quote marks: straight \"..\"", lambda i: rewrite_quote_marks(i.text, '"', '"')),
        t("quote marks: curly “..”", lambda i: rewrite_quote_marks(i.text, "“", "”")),
        t("quote marks: guillemets «..»", lambda i: rewrite_quote_marks(i.text, "«", "»")),
        t("layout: CRLF line endings", lambda i: crlf(i.text)),
        t("layout: blank line between paragraphs",
          lambda i: blank_line_between(i.text, _regions(i))),
        t("layout: hard-wrapped at 72 columns", lambda i: hard_wrap(i.text, 72)),
        t("layout: lines padded with spaces", lambda i: pad_lines(i.text, "  ", "  ")),
        t("layout: lines padded with U+00A0", lambda i: pad_lines(i.text, NBSP, f" {NBSP}")),
        t("layout: U+00A0 after short words and numbers", lambda i: nbsp_bound(i.text)),
        t("layout: UTF-8 BOM", lambda i: BOM + i.text),
    ]
    out += [t(f"date header: {example}", _header(form), wants_exact_date=True)
            for example, form in DATE_HEADERS.items()]
    out += [t(f"other news after the body, later dates ({example})",
              _related(form, "Other news", lambda truth: later_days(truth, today)), adds_dates=True)
            for example, form in RELATED_FORMS.items()]
    day_first = RELATED_FORMS["day month year"]
    out += [t(f"{heading or 'unheaded'} list after the body, later dates (day month year)",
              _related(day_first, heading, lambda truth: later_days(truth, today)), adds_dates=True)
            for heading in ("Read also", "")]
    out += [
        t("other news after the body, earlier dates (day month year)",
          _related(day_first, "Other news", earlier_days), adds_dates=True),
        t("verbs: said -> stated", lambda i: swap_word(i.text, "said", "stated", _regions(i))),
        t("verbs: said -> noted", lambda i: swap_word(i.text, "said", "noted", _regions(i))),
        t("names: first-name transliterations", lambda i: swap_first_names(i.text, _regions(i))),
        t("furniture: navigation lines above", lambda i: on_top(i.text, NAVIGATION)),
        t("furniture: navigation bar above", lambda i: on_top(i.text, [" | ".join(NAVIGATION)])),
        t("furniture: share and tags lines below", lambda i: append_block(i.text, SHARE_AND_TAGS)),
        t("furniture: copyright line below",
          lambda i: append_block(_needs_outlet(i).text, COPYRIGHT), adds_dates=True),
    ]
    return out + round_two(today) + round_three() + round_four(names)


def round_two(today: dt.date) -> list[Transformation]:
    """The second round's transformations, in report order."""
    def t(name: str, apply: Callable[[Item], str], **flags: bool) -> Transformation:
        return Transformation(name, apply, round_two=True, **flags)
    out = [
        t("quote marks: British curly \u2018..\u2019 (inner “..”)",
          lambda i: british_quotes(i.text, "\u2018", "\u2019")),
        t("quote marks: British straight '..' (inner \"..\")",
          lambda i: british_quotes(i.text, "'", "'")),
        t("verbs: present tense (says, adds, notes, stresses)",
          lambda i: present_tense(i.text, _regions(i))),
        t("attribution: “..,” X said. as X said: “...”", lambda i: name_before_quote(i.text)),
        t("attribution: X said: “...” as “..,” X said.", lambda i: name_after_quote(i.text)),
    ]
    out += [t(f"furniture after the 2nd paragraph: {line}",
              lambda i, line=line: furniture_after_second(i.text, line, _regions(i)))
            for line in MID_BODY]
    out += [
        t("weekday: added to the date in the head",
          lambda i: weekday_in_head(i.text, i.truth)),
        t("weekday: date header Friday, 12 March 2021",
          lambda i: on_top(i.text, [weekday_header(exact_day(i.truth))]), wants_exact_date=True),
        t("dateline: city in capitals in title case (MOSCOW -> Moscow)",
          lambda i: dateline_case(i.text, "title")),
        t("dateline: city in title case in capitals (Yerevan -> YEREVAN)",
          lambda i: dateline_case(i.text, "upper")),
        t("layout: two body paragraphs joined", lambda i: join_paragraphs(i.text, _regions(i))),
        t("headline: printed twice on top", lambda i: headline_twice(i.text)),
        t("headline: swapped with the date line next to it",
          lambda i: headline_past_date_line(i.text)),
    ]
    out += [t(f"byline above the body: {line}", lambda i, line=line: byline_above_body(i.text, line))
            for line in BYLINES]
    out += [
        t("Latest news list on top, later dates (day month year)",
          lambda i: latest_news_above(i.text, later_days(i.truth, today)), adds_dates=True),
        t("Latest news list on top, earlier dates (day month year)",
          lambda i: latest_news_above(i.text, earlier_days(i.truth)), adds_dates=True),
    ]
    return out


def round_three() -> list[Transformation]:
    """The third round's transformations, in report order."""
    def t(name: str, apply: Callable[[Item], str], **flags: bool) -> Transformation:
        return Transformation(name, apply, round_three=True, **flags)
    out = [
        t("apostrophes: straight ' in words as \u2019",
          lambda i: typographic_apostrophes(i.text, "\u2019")),
        t("apostrophes: \u2019 in words as straight '",
          lambda i: typographic_apostrophes(i.text, "'")),
        t("copy artefacts: zero-width space inside long words",
          lambda i: split_long_words(i.text, ZWSP, _regions(i))),
        t("copy artefacts: soft hyphen inside long words",
          lambda i: split_long_words(i.text, SOFT_HYPHEN, _regions(i))),
        t("copy artefacts: doubled spaces between words", lambda i: double_spaces(i.text)),
        t("dashes: ' - ' as ' \u2013 '", lambda i: respace_dashes(i.text, ["-"], "en", _regions(i))),
        t("dashes: ' - ' as ' \u2014 '", lambda i: respace_dashes(i.text, ["-"], "em", _regions(i))),
        t("dashes: ' \u2013 ' and ' \u2014 ' as ' - '",
          lambda i: respace_dashes(i.text, ["en", "em"], "-", _regions(i))),
        t("embedded post after the 2nd paragraph: \u2014 Olga Orlova (@orlova_o) <earlier date>",
          lambda i: furniture_after_second(i.text, social_post_line(i.truth), _regions(i)),
          adds_dates=True),
    ]
    out += [t(f"photo credit after the 2nd paragraph: {line}",
              lambda i, line=line: furniture_after_second(i.text, line, _regions(i)))
            for line in PHOTO_CREDITS]
    out += [t(f"date line on top with Updated: <next day> {where}",
              lambda i, where=where: on_top(i.text, updated_lines(exact_day(i.truth), where)),
              wants_exact_date=True)
            for where in ("below", "above", "same line")]
    out += [t("comments after the body (3 comments, Anna: .., Boris: \"..\")",
              lambda i: append_block(i.text, COMMENTS))]
    out += [t(f"verbs: told reporters -> {instead}",
              lambda i, instead=instead: swap_word(i.text, "told reporters", instead, _regions(i)))
            for instead in TOLD_REPORTERS]
    out += [t("dateline: city in lower case (MOSCOW -> moscow)", lambda i: dateline_lower(i.text))]
    return out


def round_four(names: Sequence[str]) -> list[Transformation]:
    """The fourth round's transformations, in report order."""
    def t(name: str, apply: Callable[[Item], str], **flags: bool) -> Transformation:
        return Transformation(name, apply, round_four=True, **flags)
    out = [t(f"entities: quote marks as {o}..{c}",
             lambda i, o=o, c=c: entity_quotes(i.text, o, c)) for o, c in ENTITY_MARKS.values()]
    out += [t(f"entities: apostrophes in words as {e}",
              lambda i, e=e: entity_apostrophes(i.text, e)) for e in ("&#39;", "&rsquo;")]
    out += [
        t("entities: &nbsp; after short words and numbers", lambda i: entity_spaces(i.text)),
        t("entities: ' and ' before a capital as ' &amp; '",
          lambda i: entity_ampersand(i.text, _regions(i))),
        t("tags: <p>..</p> around every line", lambda i: paragraph_tags(i.text)),
        t("tags: <br> at every line end", lambda i: br_line_ends(i.text)),
        t("tags: <strong> around KB people's names",
          lambda i: around_names(i.text, names, "<strong>", "</strong>", _regions(i))),
        t("tags: <a href> around KB people's names",
          lambda i: around_names(i.text, names, HREF, "</a>", _regions(i))),
        t("tags: <a href> around the outlet", lambda i: around_outlet(i.text, i.outlet, _regions(i))),
        t("Markdown: ** around KB people's names",
          lambda i: around_names(i.text, names, "**", "**", _regions(i))),
        t("Markdown: ** around the dateline", lambda i: markdown_dateline(i.text)),
        t("Markdown: [Name](url) links", lambda i: markdown_link(i.text, names, _regions(i))),
        t("Markdown: '> ' before every line", lambda i: blockquote_lines(i.text)),
        t("names: middle initial (Maria V. Zakharova)",
          lambda i: middle_initial(i.text, names, _regions(i))),
        t("names: surname in capitals (Maria ZAKHAROVA)",
          lambda i: surname_caps(i.text, names, _regions(i))),
        t("names: titles abbreviated (FM, Deputy FM, Amb.)",
          lambda i: abbreviate_titles(i.text, _regions(i))),
    ]
    out += [t(f"bullets: '{b.strip()} ' before each body paragraph",
              lambda i, b=b: bullets(i.text, b, _regions(i))) for b in ("\u2022 ", "- ")]
    out += [
        t("headline: in capitals", lambda i: headline_caps(i.text)),
        t("dateline: outlet in lower case (/TASS/ -> /tass/)",
          lambda i: dateline_outlet_lower(i.text)),
    ]
    return out


# --- reading and comparing --------------------------------------------------------------------


@dataclass
class Reading:
    """One text read once: its counts and misses as measure_add gives them, and what was read."""

    tally: Tally
    date: str
    outlet: str | None
    via: str | None
    new_actors: tuple[str, ...]


def as_added(text: str, name: str) -> str:
    """The text as `nkb add` reads it from a file holding `text` in UTF-8."""
    return add.decode(text.encode("utf-8"), name)


def read(item: Item, text: str) -> tuple[Reading, article.Findings]:
    """Score `text` as `nkb add FILE` would read it, the file holding `text` in UTF-8."""
    tally = Tally()
    findings = item.score(tally, as_added(text, item.name))
    reading = Reading(tally, findings.date.edtf, findings.outlet.outlet, findings.outlet.via,
                      tuple(sorted(a.name for a in findings.new_actors)))
    return reading, findings


_RANK = {"exact": 2, "open": 1, "wrong": 0}


def _quote_misses(tally: Tally) -> set[str]:
    """The misses about labelled quotes (lost, or another speaker), without the text's name."""
    rests = (m.split(": ", 1)[1] for m in tally.misses)
    return {r for r in rests if not r.startswith(("date ", "outlet ", "via ", "extra candidate"))}


def compare(base: Reading, variant: Reading, truth: str | None,
            how: Transformation) -> tuple[list[str], list[str]]:
    """What got worse and what got better on one text, each said in a few words."""
    worse: list[str] = []
    better: list[str] = []
    b, v = base.tally, variant.tally
    lost, gained = _quote_misses(v) - _quote_misses(b), _quote_misses(b) - _quote_misses(v)
    worse += sorted(lost)
    better += [f"no longer: {m}" for m in sorted(gained)]
    _compare_date(base, variant, truth, how, worse, better)
    for what, was, now, was_right, now_right in (
            ("outlet", base.outlet, variant.outlet, b.outlet_right, v.outlet_right),
            ("via", base.via, variant.via, b.via_right, v.via_right)):
        if was != now:
            (better if now_right > was_right else worse).append(f"{what} {was} -> {now}")
    extra_b, extra_v = b.candidates - b.matched, v.candidates - v.matched
    if extra_v != extra_b:
        (worse if extra_v > extra_b else better).append(
            f"candidates that are no labelled quote: {extra_b} -> {extra_v}")
    known = {_surname(name) for name in base.new_actors}  # a respelt first name is no new actor
    added = [name for name in variant.new_actors if _surname(name) not in known]
    if added:
        worse.append(f"new actor proposed: {', '.join(added)}")
    return worse, better


def _surname(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""


def _compare_date(base: Reading, variant: Reading, truth: str | None, how: Transformation,
                  worse: list[str], better: list[str]) -> None:
    was, now = judge_date(base.date, truth), judge_date(variant.date, truth)
    said = f"date {base.date} ({was}) -> {variant.date} ({now})"
    if how.wants_exact_date:
        if now != "exact":
            worse.append(f"date {variant.date} ({now}) though the header prints the true day")
        elif was != "exact":
            better.append(said)
        return
    if variant.date == base.date:
        return
    if _RANK[now] > _RANK[was] and not how.adds_dates:
        better.append(said)
    else:
        worse.append(said)


@dataclass
class Outcome:
    """One transformation over one set of texts."""

    name: str
    base: Tally = field(default_factory=Tally)
    variant: Tally = field(default_factory=Tally)
    changed: int = 0
    skipped: list[str] = field(default_factory=list)
    worse: list[str] = field(default_factory=list)
    better: list[str] = field(default_factory=list)
    regressed: set[str] = field(default_factory=set)


def _add(total: Tally, one: Tally) -> None:
    for name in ("articles", "candidates", "expected", "matched", "speaker_right", "date_exact",
                 "date_open", "date_wrong", "outlet_right", "via_right"):
        setattr(total, name, getattr(total, name) + getattr(one, name))


def _labels_kept(item: Item, text: str, how: Transformation) -> None:
    folded = fold(as_added(as_read(text) if how.round_four else text, item.name))
    for n, words in enumerate(item.quotes, 1):
        if words not in folded:
            raise Skip(f"labelled quote {n} is no longer in the text")


def run(how: Transformation, items: Sequence[Item], baseline: dict[str, Reading]) -> Outcome:
    """Apply `how` to each item, read the variant, and compare it with the baseline reading."""
    outcome = Outcome(how.name)
    for item in items:
        try:
            text = how.apply(item)
            _labels_kept(item, text, how)
        except Skip as skip:
            outcome.skipped.append(f"{item.name}: {skip}")
            continue
        base = baseline[item.name]
        _add(outcome.base, base.tally)
        if text == item.text:
            _add(outcome.variant, base.tally)
            continue
        outcome.changed += 1
        variant, _ = read(item, text)
        _add(outcome.variant, variant.tally)
        worse, better = compare(base, variant, item.truth, how)
        outcome.worse += [f"{item.name}: {w}" for w in worse]
        outcome.better += [f"{item.name}: {b}" for b in better]
        if worse:
            outcome.regressed.add(item.name)
    return outcome


# --- the texts --------------------------------------------------------------------------------


Scorer = Callable[[Tally, str], article.Findings]


def _seed_scorer(kb: KB, source: Source) -> Scorer:
    return lambda tally, text: score_seed(kb, tally, source, text)


def _article_scorer(kb: KB, entry: dict) -> Scorer:
    return lambda tally, text: score_article(kb, tally, entry, text)


def seed_items(kb: KB) -> list[Item]:
    """The KB's curated sources, with their curated records as labels."""
    items = []
    for source in curated_sources(kb):
        text = kb.text(source.id)
        starts = tuple(" ".join(fold(q.text).split()[:5]) for q in source.quotes
                       if q.kind == "direct")
        items.append(Item(f"seed {source.id}", text, source.date, source.outlet,
                          tuple(s for s in starts if s in fold(text)),
                          _seed_scorer(kb, source)))
    return items


def article_items(kb: KB, labels: list[dict], folder: Path) -> list[Item]:
    """The labelled articles, read from `folder` (they are never copied anywhere)."""
    items = []
    for entry in labels:
        text = (folder / entry["file"]).read_text(encoding="utf-8")
        truth = entry.get("date")
        items.append(Item(entry["file"], text, None if truth is None else str(truth),
                          entry.get("outlet"),
                          tuple(fold(q["starts"]) for q in entry.get("quotes") or []),
                          _article_scorer(kb, entry)))
    return items


def with_baseline(items: Sequence[Item]) -> tuple[list[Item], dict[str, Reading]]:
    """Each item read as it is, and the item with the spans that reading took as quotes."""
    out, baseline = [], {}
    for item in items:
        reading, findings = read(item, item.text)
        baseline[item.name] = reading
        spans = tuple(a.candidate.marks for a in findings.quotes)
        out.append(replace(item, quoted=spans))
    return out, baseline


# --- the report -------------------------------------------------------------------------------

HEADER = ("| transformation | texts (changed, skipped) | quotes found | speaker right | date exact "
          "| date open | date wrong | outlet right | via right | other candidates "
          "| texts worse |\n|---|---|---|---|---|---|---|---|---|---|---|")


def _cell(now: int, was: int, of: int | None = None) -> str:
    shown = f"{now}/{of}" if of is not None else f"{now}"
    return shown if now == was else f"{shown} ({now - was:+d})"


def row(outcome: Outcome) -> str:
    b, v = outcome.base, outcome.variant
    texts = f"{v.articles} ({outcome.changed}, {len(outcome.skipped)})"
    cells = [
        _cell(v.matched, b.matched, v.expected),
        _cell(v.speaker_right, b.speaker_right, v.expected),
        _cell(v.date_exact, b.date_exact, v.articles),
        _cell(v.date_open, b.date_open, v.articles),
        _cell(v.date_wrong, b.date_wrong, v.articles),
        _cell(v.outlet_right, b.outlet_right, v.articles),
        _cell(v.via_right, b.via_right, v.articles),
        _cell(v.candidates - v.matched, b.candidates - b.matched),
    ]
    return f"| {outcome.name} | {texts} | " + " | ".join(cells) + f" | {len(outcome.regressed)} |"


def baseline_row(items: Sequence[Item], baseline: dict[str, Reading]) -> str:
    outcome = Outcome("none (the texts as they are)")
    for item in items:
        _add(outcome.base, baseline[item.name].tally)
        _add(outcome.variant, baseline[item.name].tally)
    return row(outcome)


def report(title: str, items: Sequence[Item], chosen: Sequence[Transformation],
           details: bool) -> list[str]:
    items, baseline = with_baseline(items)
    outcomes = [run(how, items, baseline) for how in chosen]
    lines = [f"### {title}", "", HEADER, baseline_row(items, baseline)]
    for how, outcome in zip(chosen, outcomes, strict=True):
        for flag, title in (("round_two", "round two"), ("round_three", "round three"),
                            ("round_four", "round four")):
            earlier = chosen[:chosen.index(how)]
            if getattr(how, flag) and not any(getattr(h, flag) for h in earlier):
                lines.append(f"| **{title}** |" + " |" * 10)
        lines.append(row(outcome))
    if details:
        for outcome in outcomes:
            if not (outcome.worse or outcome.better or outcome.skipped):
                continue
            lines += ["", f"#### {outcome.name}", ""]
            lines += [f"- worse: {w}" for w in outcome.worse]
            lines += [f"- better: {b}" for b in outcome.better]
            lines += [f"- skipped: {s}" for s in outcome.skipped]
    return [*lines, ""]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="robust_add", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", metavar="DIR", type=Path, default=ARTICLES,
                        help="folder holding the labelled articles (default: %(default)s)")
    parser.add_argument("--details", action="store_true",
                        help="also list, by transformation, each text that got worse or better "
                             "and each text skipped, with the reason")
    parser.add_argument("--only", metavar="WORDS",
                        help="measure only the transformations whose name contains WORDS")
    args = parser.parse_args(argv)
    articles: Path = args.articles
    if not articles_found("robust_add", articles):
        return 1
    kb = store.open_kb(REPO / "kb")
    names = [a.name for a in kb.actors.values() if a.kind == "person"]
    chosen = [t for t in transformations(pubdate.today(), names)
              if not args.only or args.only.casefold() in t.name.casefold()]
    if not chosen:
        sys.stderr.write(f"robust_add: no transformation's name contains {args.only!r}\n")
        return 1
    labels = yaml.safe_load((REPO / "benchmarks" / "labels.yaml").read_text(encoding="utf-8"))
    out = report("Labelled articles (every one in labels.yaml)", article_items(kb, labels, articles), chosen,
                 args.details)
    out += report("Seeds (the KB's curated sources)", seed_items(kb), chosen, args.details)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
