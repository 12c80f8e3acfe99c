"""The page around an article as printed: its lines (hard wrapping undone, menus and lists of
other headlines set aside), its dateline, and its credits: who published it and whom the
speaker spoke to (outlet and via).

Pure functions over the article's text; nkb/reader/quotes.py and attribution.py read the quotes and
speakers, and nkb/reader/pubdate.py the publication date, on top of these.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nkb.models import Actor, Strength
from nkb.reader import pubdate
from nkb.reader.lexicon import (
    BODY_ACRONYMS,
    BODY_WORDS,
    BROADCAST_NOUNS,
    GENERIC_MEDIA,
    INTERVIEW_VERBS,
    LOOSE_OUTLET_WORDS,
    MEDIA_NOUNS,
    MEDIUM_PHRASES,
    MONTH,
    NOT_A_NAME_STOP,
    OUTLET_DOMAINS,
    OUTLET_NAME_ENDINGS,
    OUTLET_WORD,
    SOCIAL_NETWORKS,
    SPEECH_PAST,
    SPOKE_ON_VERBS,
    WEEKDAY,
    known_outlet,
)
from nkb.text import SPACES, fold

# --- hard-wrapped text ------------------------------------------------------------------------

WRAP_MAX = 100  # a hard-wrapped text breaks its lines at this width or less
WRAP_MIN_LINES = 6  # lines filled close to the width needed to call a text hard-wrapped
WRAP_FILL = 0.75  # a line this full of the width was probably broken by wrapping
_WRAP_HEAD = re.compile(r"[A-Z]{3,}\b|[A-Z][\w-]*(?: [A-Z][\w-]*)?:\s")  # dateline, "From:"


def unwrap(text: str) -> str:
    """A hard-wrapped text (a forum repost, an e-mail: every line broken near one width) with
    the newlines that wrapping put inside paragraphs turned into spaces; other texts as given.
    The length is kept, so every offset still points into the article as printed."""
    lines = [(m.start(), m.group(1)) for m in re.finditer(r"([^\n]*)(?:\n|$)", text)]
    filled = [len(line.rstrip()) for _, line in lines if line.strip()]
    if len(filled) < WRAP_MIN_LINES or sum(n > WRAP_MAX for n in filled) > len(filled) // 20:
        return text
    width = max(n for n in filled if n <= WRAP_MAX)
    if sum(n >= WRAP_FILL * width for n in filled) < WRAP_MIN_LINES:
        return text
    # A pad a line shares with the next (a quoted e-mail, a page indenting its text) marks no
    # paragraph; only an indent beyond it does.
    chars = list(text)
    joined = 0
    for (at, line), (_, following) in itertools.pairwise(lines):
        pad = min(len(line) - len(line.lstrip()), len(following) - len(following.lstrip()))
        if _wrapped(line.rstrip("\r"), following[pad:], width):
            end = at + len(line)
            for i in range(end - (line.endswith("\r")), end + 1):
                chars[i] = " "
            joined += 1
    return "".join(chars) if joined >= 2 else text


def _wrapped(line: str, following: str, width: int) -> bool:
    """Was the break after `line` made by wrapping? Yes when the next line's first word would
    not have fitted on it, or when it stops mid-sentence and the next goes on in lower case;
    never before a blank line, a dateline in capitals or a "From:" header."""
    body, nxt = line.rstrip(), following.strip()
    if not body.strip() or not nxt or following[:1].isspace() or _WRAP_HEAD.match(nxt):
        return False
    if any(pattern.match(nxt) for pattern in _DATELINES):
        return False  # a dateline opens the article's first paragraph
    first = nxt.split()[0]
    if len(body) + 1 + len(first) > width:
        return True
    return not re.search(r"[.!?:\"\u201d\u2019)]$", body) and nxt[0].islower()


# --- datelines -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline as printed: where, when (maybe partly), by which outlet."""

    text: str
    outlet: str | None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    also: str | None = None  # a second outlet the credit names: "MOSCOW (Wire, Agency) -"


HEADER_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b")
_CITY = r"[A-Z][A-Za-z\u2019'\-]+(?: [A-Z][A-Za-z\u2019'\-]+){0,2}"
# "June 17", "17 June", "Thursday, June 17, 2021": the date of a dateline, any order.
_DAY_MONTH = (rf"(?:{WEEKDAY},?\s+)?(?:(?P<month>(?i:{MONTH}))\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
              rf"|(?P<dayb>\d{{1,2}})\s+(?P<monthb>(?i:{MONTH})))(?:,?\s+(?P<year>\d{{4}}))?")
# BAKU, Azerbaijan, June 17. Trend:   Baku, June 17, Caspnews   (the names any case): the name
# must be shaped like an outlet's (checked in find_dateline): "Moscow, June 17. Ivanov:" is none.
_DATE_THEN_CREDIT = re.compile(
    rf"(?P<city>{_CITY})[.,]\s+(?:[A-Z][a-z]+,\s+)?{_DAY_MONTH}\s*[.,]\s*"
    r"(?P<outlet>[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,2}?)(?::|/|\.?\s*$)", re.MULTILINE)
_NUMERIC_DATE = r"(?P<dayn>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<yearn>\d{4}|\d{2})(?!\d)"
_DATELINES = [
    # MOSCOW, June 17. /TASS/:   YEREVAN, September 11. /ARKA/.   MOSCOW, Thursday, June 17, 2021.
    re.compile(rf"(?P<city>{_CITY}),\s+{_DAY_MONTH}"
               r"\.?\s*"
               rf"/(?P<outlet>[^/\n]{{2,40}})/\s*[.:]?", re.IGNORECASE),
    # YEREVAN, 28 OCTOBER, ARMENPRESS.
    re.compile(rf"(?P<city>{_CITY}),\s+(?P<day>\d{{1,2}})\s+(?P<month>{MONTH}),\s+"
               r"(?P<outlet>[A-Za-z][\w.\-]*(?: [A-Z][\w.\-]*){0,2})\.(?=\s)", re.IGNORECASE),
    # MOSCOW. Sept 20 (Interfax) -   LONDON, March 3 (Reuters) -   MOSCOW, Thursday, June 17 (Wire) -
    re.compile(rf"(?P<city>{_CITY})[.,]\s+{_DAY_MONTH}\s*"
               r"\((?P<outlet>[^)\n]{2,40})\)\s*[-—\u2013:]", re.IGNORECASE),
    # Moscow/10.02.21/Turan:
    re.compile(rf"(?P<city>{_CITY})\s*/\s*(?P<day>\d{{1,2}})\.(?P<mon>\d{{1,2}})\."
               r"(?P<year>\d{2}|\d{4})\s*/\s*(?P<outlet>[^/:\n]{2,40}):"),
    # ISTANBUL (AA) -   YEREVAN (Azatutyun.am)—
    re.compile(rf"(?P<city>{_CITY})\s+\((?P<outlet>[A-Za-z][\w.\-]*(?: [\w.\-]+){{0,3}})"
               r"(?:,\s*(?P<also>[A-Z][\w.\-]*(?: [\w.\-]+){0,3}))?\)\s*[-—\u2013]"),
    # Yerevan /Mediamax/.
    re.compile(rf"(?P<city>{_CITY})\s*/(?P<outlet>[A-Z][^/\n]{{1,40}})/\s*[.:]?"),
    # MOSCOW, June 17 - Wire News.   Baku, Thursday, 17 June 2021, WIRE:
    re.compile(rf"(?P<city>{_CITY}),\s+(?:[A-Z][a-z]+,\s+)?{_DAY_MONTH}\s*[-\u2013\u2014,]\s*"
               r"(?P<outlet>[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,2})[.:](?=\s|$)"),
    # BAKU, Azerbaijan, June 17 (Wire) -
    re.compile(rf"(?P<city>{_CITY})[.,]\s+(?:[A-Z][a-z]+,\s+)?{_DAY_MONTH}\s*"
               r"\((?P<outlet>[^)\n]{2,40})\)"),
    _DATE_THEN_CREDIT,
    # Baku, 12 March, AZERTAC   Baku. 12 March. REPORT.AZ/   Yerevan, 12.03.21. ARKA.
    re.compile(rf"(?P<city>{_CITY})[.,]\s+(?:{_DAY_MONTH}|{_NUMERIC_DATE})[.,]?\s+"
               r"(?P<outlet>[A-Z][A-Z0-9]+(?:[.\-][A-Za-z0-9]+)*(?: [A-Z][A-Z0-9]+)*)\s*[./:]?"
               r"(?=\s|$)"),
    # Baku, 12.03.2021 (APA)
    re.compile(rf"(?P<city>{_CITY})[.,]\s+{_NUMERIC_DATE}\.?\s*\((?P<outlet>[^)\n]{{2,40}})\)"),
    # YEREVAN March 11   MOSCOW, Thursday, June 17 -   (no outlet named)
    re.compile(rf"(?P<city>[A-Z]{{3,}}(?:[ -][A-Z]{{3,}})*),?\s+(?:[A-Z][a-z]+,\s+)?{_DAY_MONTH}"
               r"\s*(?:[-\u2013\u2014:.]|$)"),
]
HEADER_LINE_MAX = pubdate.HEADER_LINE_MAX


# A syndication credit such as "(SERVICE- Outlet)": the wire or aggregator, a hyphen, a space,
# then the outlet it took the article from. The space and the capital keep ordinary
# parentheses such as "(Kyiv-based)" or "(Russia-Ukraine talks)" out.
_CREDIT = re.compile(r"\((?P<service>[A-Z][A-Za-z]{2,})-\s+(?P<outlet>[A-Z][^)]*?)\s*\)")


def _strip_header(line: str) -> str:
    return HEADER_DATE.sub("", line, count=1).strip()


# A site's navigation: a line of one to three capitalised words and nothing else ("Home",
# "Log in", "World News"), or a bar of such items ("Home | News | Politics"). Such lines say
# nothing, so they do not use up the page's head.
_NAV_ITEM = r"[A-Z][^\W\d]*(?:[&'\u2019\-][^\W\d]*)*(?:\s+[^\W\d][^\W\d&'\u2019\-]*){0,2}"
_NAV_LINE = re.compile(rf"^\s*{_NAV_ITEM}(?:\s*[|\u2022\u00b7/>\u00bb]\s*{_NAV_ITEM})*\s*$")
HEAD_LINES = 6  # lines of the head searched for a dateline and the lead's credits
HEAD_SCAN = 40  # lines of a page looked at for menus and lists of other headlines above it


_WORDS = re.compile(r"[^\W\d_]{2,}")
FURNITURE_WORDS = 3  # words (of letters) a line of page furniture has at most


def head_lines(text: str, count: int = HEAD_LINES) -> list[str]:
    """The first `count` lines of the page that are neither navigation nor a list of other
    articles' headlines. A short line right above a date line is kept: it may be the publisher
    ("Wire News" over "12 March 2021")."""
    numbered = pubdate.lines_with_offsets(text)
    every = [line for _, line in numbered]
    listed = {at for at, _ in pubdate.head_lists(numbered[:HEAD_SCAN])}
    kept: list[str] = []
    counted = 0
    for index, (at, line) in enumerate(numbered):
        following = every[index + 1] if index + 1 < len(every) else ""
        if at in listed or (_NAV_LINE.match(line) and not pubdate.opens_with_date(following)):
            continue
        kept.append(line)
        # a date, a time or a section label ("Region", "• 13:08", "Updated: ...") is page
        # furniture: it does not push the lead out of the head
        counted += len(_WORDS.findall(line)) > FURNITURE_WORDS
        if counted == count:
            break
    return kept



def find_dateline(text: str) -> Dateline | None:
    """The dateline in the article's first lines, in any of the forms wire copy uses."""
    for line in head_lines(text):
        body = _strip_header(line)
        credit = _CREDIT.match(body)
        if credit:
            body = body[credit.end():].lstrip()
        for pattern in _DATELINES:
            match = pattern.match(body)
            if not match:
                continue
            groups = match.groupdict()
            if pattern is _DATE_THEN_CREDIT and not _outlet_form(groups["outlet"]):
                continue
            groups["month"] = groups.get("month") or groups.get("monthb")
            groups["day"] = groups.get("day") or groups.get("dayb") or groups.get("dayn")
            month = pubdate.month_number(groups["month"]) if groups.get("month") else (
                int(groups["mon"]) if groups.get("mon") else None)
            year = groups.get("year") or groups.get("yearn")
            full_year = None
            if year:
                full_year = int(year) + (2000 if len(year) == 2 else 0)
            if month is not None and not 1 <= month <= 12:
                continue
            return Dateline(match.group(0).strip(), (groups.get("outlet") or "").strip() or None,
                            month,
                            int(groups["day"]) if groups.get("day") else None, full_year,
                            groups.get("also"))
    return None


# --- outlets ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutletFinding:
    """Who published the article, and who the speaker spoke to where the text says so."""

    outlet: str | None
    via: str | None
    basis: str
    # each field's own proposal: (strength, basis); see OUTLET_RULES
    outlet_proposal: tuple[Strength, str] = ("weak", "no outlet named in the text")
    via_proposal: tuple[Strength, str] = ("medium", "the text names no outlet the speaker "
                                                    "spoke to or the article relies on")


# A word of an outlet's name; "TV" in "the Rossiya-24 TV channel" describes it (a medium of
# several words starts there) and is no part of the name.
_NAME_WORD = rf"(?!(?i:{MEDIUM_PHRASES})\b)[A-Z][\w.\-]*"
_OUTLET_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}"
_REPORTS = re.compile(rf"(?<![,\w])\s*(?P<outlet>{_OUTLET_NAME})(?:['\u2019]s\s+correspondent)?"
                      r"\s+(?:reports|informs)\b"
                      rf"(?:\s+on\s+{MONTH}\s+\d{{1,2}})?(?:\s+citing\s+(?P<via>{_OUTLET_NAME}))?")
_TOLD_INTERVIEW = re.compile(rf"\b(?:told|tells)\s+(?:the\s+)?(?P<via>{_OUTLET_NAME})(?:\s+{MEDIA_NOUNS})?"
                             r"\s+in\s+an?\s+(?:\w+\s+)?interview\b")
_TOLD_MEDIA = re.compile(rf"\b(?:told|tells)\s+(?:the\s+)?(?P<via>{_NAME_WORD}(?: {_NAME_WORD}){{0,2}})"
                         rf"\s+{MEDIA_NOUNS}\b|\b(?:told|tells)\s+(?P<caps>[A-Z]{{2,}}(?:[\s-][A-Z][\w-]*)?|(?:the\s+)?"
                         rf"(?:[A-Z][\w.-]*\s+)*{OUTLET_WORD}(?:\s+[A-Z][\w.-]*)*)\b")
# "told the newspaper Wire", "told reporters of Wire", "in an interview with the TV channel
# Wire": the medium or its reporters named before the outlet's name.
_TOLD_NAMED_AFTER = re.compile(rf"\b(?:told|tells)\s+(?:the\s+)?(?:(?P<medium>{MEDIA_NOUNS})\s+|(?:reporters|"
                               rf"journalists|correspondents?)\s+(?:of|from|for)\s+(?:the\s+)?)"
                               rf"(?P<via>{_OUTLET_NAME})")
_MEDIUM_FIRST = re.compile(rf"(?:the\s+)?(?:[A-Z]\w+['\u2019]s\s+)?{MEDIA_NOUNS}\s+(?P<name>"
                           rf"{_OUTLET_NAME})")
# "told Interfax that", "told RIA Novosti.": a bare name, taken only when shaped like an outlet.
_TOLD_NAME = re.compile(rf"\b(?:told|tells)\s+(?:the\s+)?(?P<via>{_OUTLET_NAME}?)"
                        r"(?=\s+(?:that|in|on|at|about|after|during|when|while)\b|\s*[,.;:)]|\s*$)")
# "Ivanov was quoted by Wire as saying", "Wire quoted Ivanov as saying": the outlet relied on.
_QUOTED_BY = re.compile(rf"\bquoted\s+by\s+(?:the\s+)?(?P<by>{_OUTLET_NAME}?)(?:\s+{MEDIA_NOUNS})?"
                        rf"\s+as\s+saying|(?<![\w,])\s*(?P<subj>{_OUTLET_NAME}?)(?:\s+{MEDIA_NOUNS})?"
                        r"\s+quoted\s+[A-Z][^.;\n]{0,60}?\s+as\s+saying")
# "said on the Rossiya 24 TV channel", "told Wire Radio": the broadcaster spoken on.
_SAID_ON = re.compile(rf"\b(?:{SPOKE_ON_VERBS})\s+on\s+(?:the\s+)?"
                      r"(?P<via>[A-Z][\w.\-]*(?: [A-Z0-9][\w.\-]*){0,3}?)"
                      rf"(?:['\u2019]s)?\s+{BROADCAST_NOUNS}\b")
# "In an interview with Wire, Ivanov said": the speaker spoke, the verb after the name.
_INTERVIEW_THEN_VERB = re.compile(rf",\s+[^,.;\n]{{1,60}}?\b(?:{INTERVIEW_VERBS}|stressed|stresses)\b")
_INTERVIEW = re.compile(rf"(?P<verb>\b(?:{INTERVIEW_VERBS})\s+)?"
                        r"(?:\bin\s+an?\s+(?:\w+\s+)?|\b)"
                        r"interview\s+(?:with|to)\s+(?P<rest>[^.;\n]{1,160})")


# The outlet an article relies on: "with reference to TASS", "citing Kremlin-aligned news
# agency Interfax", "based on materials from TASS", "Based on reporting by Interfax and TASS".
_RELIES = re.compile(r"\b(?:with reference to|referring to|citing|based on (?:the\s+)?(?:materials|"
                     r"reports|reporting|information|data)\s+(?:from|of|by))\s+"
                     r"(?P<rest>[^.;:\n]{1,80})", re.IGNORECASE)
VIA_LINES = 12  # lines searched for "citing X" and "Source: X"
_SOURCE_LINE = re.compile(rf"^\s*Source:\s*(?P<src>{_OUTLET_NAME})", re.MULTILINE)
# A sentence about an earlier statement, maybe by someone else: its interview is no via.
_EARLIER = re.compile(r"(?:^|(?<=[.!?\n]))\s*(?:Earlier|Previously|Before that|Meanwhile|"
                      r"Last\s+\w+|In\s+(?:19|20)\d\d)\b[^.!?\n]*", re.IGNORECASE)


def _relied_on(lead: str, known: set[str]) -> str | None:
    """The first outlet named after "citing", "with reference to" and the like: a name with a
    media noun before or after it ("news agency Interfax"), or a name ending the clause."""
    for match in _RELIES.finditer(lead):
        rest = match.group("rest")
        found = (re.search(rf"\b{MEDIA_NOUNS}\s+(?P<name>{_OUTLET_NAME})", rest)
                 or re.match(rf"(?:the\s+)?(?P<name>{_OUTLET_NAME})\s+{MEDIA_NOUNS}\b", rest)
                 or re.match(rf"(?:the\s+)?(?P<name>{_OUTLET_NAME})\s*(?:$|[,)]|\sand\s)", rest))
        if found and fold(found.group("name")) not in known:
            return found.group("name")
    return None


def _interviewer(rest: str) -> str | None:
    """The outlet in the words after "interview with/to": an agency, or a capitalised name."""
    medium_first = _MEDIUM_FIRST.match(rest)
    if medium_first:
        return medium_first.group("name")
    agency = re.search(rf"({_OUTLET_NAME})\s+{MEDIA_NOUNS}\b", rest)
    caps = re.search(r"\b([A-Z]{2,}(?:-[A-Z]+)?)\b", rest)
    direct = re.match(rf"(?:the\s+)?(?:[A-Z]\w+['\u2019]s\s+)?({_OUTLET_NAME})", rest)
    for found in (agency, caps):
        if found:
            return found.group(1).strip()
    return direct.group(1).strip() if direct else None


# A publisher line above the page's date line, as press-database reposts print it: "WIRE-NEWS,
# Country" then "March 3, 2011 Thursday 4:03 PM EST".
_SOURCE_ABOVE_DATE = re.compile(r"^\s*(?P<outlet>[A-Z][\w.&\-]*(?: [A-Z][\w.&\-]*){0,3})"
                                r"(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?)?\s*$")
# "as reported by X", "as X reported", "according to the X news agency": X is a publisher.
_AS_REPORTED = re.compile(rf"\bas\s+(?:reported|informed|written|stated)\s+(?:by|in)\s+(?:the\s+)?"
                          rf"(?P<outlet>{_OUTLET_NAME})|\bas\s+(?:the\s+)?(?P<outlet2>{_OUTLET_NAME})"
                          r"\s+(?:reported|reports|informed|wrote)\b")
_ACCORDING_OUTLET = re.compile(rf"\baccording to\s+(?:the\s+)?(?:(?:{_OUTLET_NAME}\s+)?"
                               rf"{MEDIA_NOUNS}\s+(?P<after>{_OUTLET_NAME})|(?P<before>"
                               rf"{_OUTLET_NAME})\s+{MEDIA_NOUNS}\b)")
# Outlet-shaped: a name in capitals (TASS, RIA), or with a media word (News, Times, Channel).
_OUTLET_SHAPED = re.compile(rf"\b[A-Z]{{2,}}\b|{OUTLET_WORD}|\b(?:{'|'.join(LOOSE_OUTLET_WORDS)})\b")
_REPORTED = re.compile(rf"(?<![,\w])\s*(?P<outlet>{_OUTLET_NAME})\s+(?:reported|wrote|writes)\b")
_AGENCY_SHAPED = re.compile(rf"\b[A-Z][\w-]*\.(?:{'|'.join(OUTLET_DOMAINS)})\b|"
                            rf"\b[A-Z]\w*(?:{'|'.join(OUTLET_NAME_ENDINGS)})\b", re.IGNORECASE)
# "Talks resumed, reports TASS.", "... - writes the Wire Times newspaper": the verb first.
_REPORTS_AFTER = re.compile(rf"[,\u2014\u2013]\s*(?:reports|reported|informs|writes|wrote)\s+"
                            rf"(?:the\s+)?(?P<outlet>{_OUTLET_NAME})(?P<media>\s+{MEDIA_NOUNS})?")
_ACCORDING_NAME = re.compile(rf"\b[Aa]ccording to\s+(?:the\s+)?(?P<outlet>{_OUTLET_NAME})"
                             r"(?=\s*(?:[,.;:)\n]|$))")
# "... in the capital \u2014 Interfax": a credit closing a line of the lead.
_DASH_CREDIT = re.compile(rf"\s[\u2014\u2013-]+\s*(?P<outlet>{_OUTLET_NAME})\s*\.?\s*$",
                          re.MULTILINE)
# "(c) RIA Novosti", "\u00a9 2021 Wire News. All rights reserved."
_COPYRIGHT = re.compile(rf"(?:\([cC]\)|\u00a9|\b[Cc]opyright\b)\s*(?:(?:19|20)\d\d\s*(?:[-\u2013]\s*"
                        rf"(?:19|20)\d\d\s*)?)?(?:by\s+)?(?P<outlet>{_OUTLET_NAME})")
# "Wire News | 17 June 2021", "WIRE \u2022 June 17, 2021": the publisher before the page's date.
_PUBLISHER_AND_DATE = re.compile(rf"^\s*(?P<outlet>{_OUTLET_NAME})\s*[|\u2022\u00b7\u2013\u2014,-]\s*"
                                 r"(?P<date>[^\n]+)$")


def _outlet_form(name: str) -> bool:
    """Shaped like an outlet's name: an agency's name, a name in capitals or with a media word
    or a web domain ("TASS", "RIA Novosti", "News.am"); not a body such as the OSCE."""
    folded = fold(name)
    if folded in BODY_ACRONYMS or folded in GENERIC_MEDIA:
        return False
    parts = folded.split()
    if parts[0] in BODY_ACRONYMS or parts[0] in SOCIAL_NETWORKS or set(parts) & BODY_WORDS:
        return False  # "UN Security Council", "Telegram channel", "the CSTO summit"
    if known_outlet(name):
        return True
    return bool(_OUTLET_SHAPED.search(name) or _AGENCY_SHAPED.search(name))


_MEDIA_WORD = re.compile(OUTLET_WORD)


def outlet_name(name: str) -> bool:
    """A news agency's name or one with a media word ("TASS", "Kavkaz News", "News.am"): never
    a speaker, however it is attributed ("according to TASS")."""
    return bool(known_outlet(name) or _AGENCY_SHAPED.search(name) or _MEDIA_WORD.search(name))


def _publisher_line(text: str, known: set[str]) -> str | None:
    """The outlet named alone on a line of the head right above a line that opens with a date,
    or above a headline and then that line ("WIRE-NEWS, Russia" over "March 3, 2011"), or
    before the date on that line ("Wire News | 17 June 2021")."""
    head = head_lines(HEADER_DATE.sub("", text, count=1), 5)
    for index, line in enumerate(head[:-1]):
        match = _SOURCE_ABOVE_DATE.match(line)
        below = head[index + 1:index + 3]  # the date line, or a headline and then the date line
        if match and any(pubdate.opens_with_date(b) for b in below):
            name = match.group("outlet")
            if _outlet_form(name) and fold(name) not in known:
                return name
    for line in head[:3]:
        same_line = _PUBLISHER_AND_DATE.match(line)
        if same_line and pubdate.opens_with_date(same_line.group("date")):
            name = re.sub(r"^By\s+", "", same_line.group("outlet"))  # "By Wire | 17 June"
            if _outlet_form(name) and fold(name) not in known:
                return name
    return None


# "..., he added, according to TASS": the outlet the speaker's words are credited to is the one
# the article relies on, not its publisher.
_AFTER_SPEECH = re.compile(rf"\b(?:{SPEECH_PAST}),\s*$")
_CREDITED = re.compile(rf"\b(?:{SPEECH_PAST}),\s*according to\s+(?:the\s+)?(?:(?P<medium>"
                       rf"{MEDIA_NOUNS})\s+)?(?P<via>{_OUTLET_NAME})(?P<after>\s+{MEDIA_NOUNS}\b)?")


def _credited(text: str, known: set[str]) -> tuple[str, str] | None:
    """The outlet a speaker's words are credited to ("he added, according to TASS")."""
    for match in _CREDITED.finditer(text):
        name = match.group("via")
        if fold(name) not in known and (match.group("medium") or match.group("after")
                                        or _outlet_form(name)):
            return name, match.group(0).strip()
    return None


def _named_publisher(lead: str, known: set[str]) -> tuple[str, str] | None:
    """A publisher the lead credits: "X reports", "as reported by X", "X reported" (an
    outlet-shaped X), "according to the X news agency"."""
    def fits(name: str) -> bool:
        return fold(name) not in known and fold(name).split()[0] not in {"the", "it", "he", "she"}

    for pattern in (_REPORTS, _AS_REPORTED, _ACCORDING_OUTLET):
        for match in pattern.finditer(lead):
            name = next(g for g in (match.groupdict().get(k) for k in (
                "outlet", "outlet2", "after", "before")) if g)
            if pattern is _ACCORDING_OUTLET and _AFTER_SPEECH.search(lead, 0, match.start()):
                continue  # the outlet credited with a speaker's words: a via
            if fits(name):
                return name, match.group(0).strip()
    for match in _REPORTED.finditer(lead):
        if fits(match.group("outlet")) and _outlet_form(match.group("outlet")):
            return match.group("outlet"), match.group(0).strip()
    for match in _REPORTS_AFTER.finditer(lead):
        name = match.group("outlet")
        if fits(name) and (match.group("media") or _outlet_form(name)):
            return name, match.group(0).strip(" ,\u2014\u2013")
    for pattern in (_ACCORDING_NAME, _DASH_CREDIT):
        for match in pattern.finditer(lead):
            if pattern is _ACCORDING_NAME and _AFTER_SPEECH.search(lead, 0, match.start()):
                continue  # the outlet credited with a speaker's words: a via
            if fits(match.group("outlet")) and _outlet_form(match.group("outlet")):
                return match.group("outlet"), match.group(0).strip(" \u2014\u2013-.")
    return None


# "Wire:" alone on a line of the head, or a byline naming the outlet: "By Anna Ivanova - Wire:",
# "By Anna Ivanova, Wire.az".
_CREDIT_LINE = re.compile(rf"^\s*(?:By\s+[A-Z][^\n,\-\u2013\u2014]{{1,60}}?\s*[,\-\u2013\u2014]\s*"
                          rf"(?P<by>{_OUTLET_NAME}?)\s*:?|(?P<alone>{_OUTLET_NAME}?)\s*:)\s*$")


def _credit_line(text: str, known: set[str]) -> tuple[str, str] | None:
    """The outlet a credit line in the head names, shaped like an outlet's name."""
    for line in head_lines(text):
        match = _CREDIT_LINE.match(line)
        if not match:
            continue
        name = (match.group("by") or match.group("alone")).rstrip(".")
        if fold(name) not in known and _outlet_form(name):
            return name, line.strip()
    return None


def _copyright_holder(text: str, known: set[str]) -> tuple[str, str] | None:
    """The outlet a copyright line names ("(c) RIA Novosti"), not a photo's credit."""
    for _, line in pubdate.lines_with_offsets(text):
        if re.search(r"\b(?:photo|image|picture|pic|illustration)", line, re.IGNORECASE):
            continue
        match = _COPYRIGHT.search(line)
        if match and fold(match.group("outlet")) not in known:
            name = re.sub(r"\s+(?:All|Ltd|LLC|Inc)$", "", match.group("outlet").rstrip("."))
            return name, match.group(0).strip()
    return None


def _spoken_to(text: str, known: set[str], strict: bool) -> tuple[str, str, bool] | None:
    """The outlet a speaker spoke to ("told X in an interview", "in an interview with X",
    "speaking to X"), the words, and whether the speaker spoke (not merely an interview). With
    `strict`, only forms that say it is an outlet (an interview, a media noun)."""
    patterns = (_TOLD_INTERVIEW,) if strict else (_TOLD_INTERVIEW, _TOLD_MEDIA)
    for pattern in patterns:
        for match in pattern.finditer(text):
            name = (match.group("via") or match.group("caps")).strip()
            if fold(name).removeprefix("the ") in GENERIC_MEDIA:
                continue  # "told the TV channel Wire": the name comes after the medium
            if fold(name) not in known and not (strict and fold(name).startswith("the ")):
                return name, match.group(0).strip(), True
    for pattern in (_SPEAKING_TO, _SPEAKING_ON, _SAID_ON):
        for match in pattern.finditer(text):
            name = fold(match.group("via"))
            if name not in known and name.split()[0] not in SOCIAL_NETWORKS:
                return match.group("via"), match.group(0).strip(), True
    for match in itertools.chain(_TOLD_NAMED_AFTER.finditer(text), _TOLD_NAME.finditer(text)):
        name = match.group("via")
        if fold(name) not in known and (match.groupdict().get("medium") or _outlet_form(name)):
            return name, match.group(0).strip(), True
    interview = _INTERVIEW.search(text)
    if interview:
        name = _interviewer(interview.group("rest"))
        if name and fold(name) not in known:
            spoke = bool(interview.group("verb")
                         or _INTERVIEW_THEN_VERB.match(interview.group("rest"), len(name)))
            return name, interview.group(0)[:60].strip(), spoke
    return None


def _quoted_by(text: str, known: set[str]) -> tuple[str, str] | None:
    """The outlet that quoted the speaker ("was quoted by Wire as saying")."""
    for match in _QUOTED_BY.finditer(text):
        name = match.group("by") or match.group("subj")
        if fold(name) not in known and _outlet_form(name):
            return name, match.group(0).strip()
    return None


# "Speaking in the Evening program on the Wire News agency's channel": the outlet broadcasting.
_SPEAKING_ON = re.compile(rf"\b(?:[Ss]peaking|[Aa]ppearing)\s+(?:in|on)\s+(?:[^.;\n]{{0,80}}?\s)?"
                          rf"(?:on|of)\s+(?:the\s+)?(?P<via>{_OUTLET_NAME})['\u2019]?s?\s+"
                          rf"{MEDIA_NOUNS}\b")
_SPEAKING_TO = re.compile(rf"\b(?:speaking|talking)\s+(?:to|with)\s+(?:the\s+)?(?:[A-Z]\w+['\u2019]s\s+)?"
                          rf"(?P<via>{_OUTLET_NAME})\s+{MEDIA_NOUNS}\b")




def detect_outlet(text: str, actors: Iterable[Actor] = ()) -> OutletFinding:
    """The publisher from the dateline, a syndication credit such as "(SERVICE- Outlet)", a
    publisher line above the page's date, "X reports" or "as reported by X"; the outlet the
    speaker spoke to from "told X in an interview" / "in an interview with X", in the lead or in
    any sentence of the article."""
    text = unwrap(text).translate(SPACES)
    known = {fold(n) for a in actors for n in (a.name, *a.aliases)}
    lead = "\n".join(head_lines(text))
    lead = _EARLIER.sub(lambda m: " " * len(m.group(0)), lead)
    outlet = via = None
    basis = []
    outlet_rule = via_rule = outlet_words = via_words = ""
    dateline = find_dateline(text)
    credit = _CREDIT.search(lead)
    reports = next((m for m in _REPORTS.finditer(lead)
                    if fold(m.group("outlet")) not in known
                    and fold(m.group("outlet")).split()[0] not in {"the", "it", "he", "she"}),
                   None)
    publisher_line = _publisher_line(text, known)
    named = _named_publisher(lead, known)
    if dateline and dateline.outlet:
        outlet, outlet_rule = dateline.outlet, "dateline"
        basis.append(f"dateline {dateline.text!r}")
    elif credit:
        outlet, outlet_rule = credit.group("outlet"), "syndication credit"
        basis.append(f"credit {credit.group(0)!r}")
    elif publisher_line:
        outlet, outlet_rule = publisher_line, "publisher line"
        basis.append(f"the line {publisher_line!r} above the page's date")
    elif credit_line := _credit_line(text, known):
        outlet, outlet_rule = credit_line[0], "credit line"
        basis.append(f"the credit line {credit_line[1]!r}")
    elif named:
        outlet, outlet_rule = named[0], "named as reporting"
        basis.append(f"{named[1]!r}")
    elif copyright_line := _copyright_holder(text, known):
        outlet, outlet_rule = copyright_line[0], "copyright line"
        basis.append(f"the copyright line {copyright_line[1]!r}")
    outlet_words = basis[-1] if basis else ""
    if dateline and dateline.outlet and dateline.also:
        via, via_rule, via_words = dateline.also, "dateline's second credit", basis[-1]
    if reports and reports.group("via"):
        via, via_rule = reports.group("via"), "reports citing"
        basis.append(f"{reports.group(0).strip()!r}")
        via_words = basis[-1]
    wider = _EARLIER.sub(lambda m: " " * len(m.group(0)),
                         "\n".join(head_lines(text, VIA_LINES)))
    relied = _relied_on(wider, known)
    source = _SOURCE_LINE.search(wider)
    if via is None and relied:
        via, via_rule = relied, "relies on"
        basis.append(f"relies on {via!r}")
        via_words = basis[-1]
    elif via is None and source and fold(source.group("src")) not in known:
        via, via_rule = source.group("src"), "source line"
        basis.append(f"'Source: {via}'")
        via_words = basis[-1]
    elif via is None and (quoted := _quoted_by(wider, known)):
        via, via_rule = quoted[0], "quoted by"
        basis.append(f"{quoted[1]!r}")
        via_words = basis[-1]
    elif via is None and (credited := _credited(wider, known)):
        via, via_rule = credited[0], "speaker's words credited to"
        basis.append(f"{credited[1]!r}")
        via_words = basis[-1]
    whole = _EARLIER.sub(lambda m: " " * len(m.group(0)), text)
    found = _spoken_to(lead, known, strict=False) or _spoken_to(whole, known, strict=True)
    spoken_to = None  # the outlet the speaker spoke to, when it became the via
    if found and (found[2] or via is None) and not (outlet and fold(found[0]) == fold(outlet)):
        basis.append(f"{found[1]!r}")
        spoken_to, via_words = found[0], basis[-1]
        via, via_rule = spoken_to, ("spoke to a known or described outlet"
                                    if known_outlet(found[0]) or re.search(
                                        rf"\b{MEDIA_NOUNS}\b", found[1]) else "spoke to")
        if outlet is None and found[2] and _opening_interview(text, found[1]):
            outlet, outlet_rule = spoken_to, "interview opening the article, no publisher named"
            outlet_words = via_words
    outlet, via = (_NATIONALITY.sub("", re.sub(r"^the\s+", "", o.rstrip("."))) if o else None
                   for o in (outlet, via))
    if via and outlet and fold(via) == fold(outlet):
        via, via_rule = None, ""
    found_basis = "; ".join(basis) or "no outlet named in the text"
    finding = OutletFinding(outlet, via, found_basis)
    if outlet:
        finding = dataclasses.replace(finding, outlet_proposal=(
            OUTLET_RULES[outlet_rule], f"{outlet_rule}: {outlet_words}"))
    elif spoken_to and via:  # an honest unknown: the one outlet named is the one spoken to
        rule = "no publisher named, only the outlet spoken to"
        finding = dataclasses.replace(finding, outlet_proposal=(OUTLET_RULES[rule], (
            f"{rule}: the text names no publisher, and names {via!r} only as whom the speaker "
            f"spoke to ({via_words})")))
    if via and via_rule:
        finding = dataclasses.replace(finding, via_proposal=(
            VIA_RULES[via_rule], f"{via_rule}: {via_words}"))
    elif outlet_rule == "interview opening the article, no publisher named":
        finding = dataclasses.replace(finding, via_proposal=("medium", (
            f"no via: {outlet!r}, whom the speaker spoke to, is taken as the publisher")))
    return finding


def _opening_interview(text: str, words: str) -> bool:
    """Does the article open with an interview given to the outlet ("X said in an interview
    with TASS" as its first sentence)? Then that outlet most likely published it. Lines above
    the body (navigation, a date line, a byline, other headlines) are not its opening."""
    lay = pubdate.layout(text, None)
    body = HEADER_DATE.sub("", text[lay.body_start:lay.body_end], count=1)
    lines = [line for line in body.splitlines() if len(line.split()) >= OPENING_WORDS]
    if not lines:
        return False
    # a sentence ends at a stop, but not at an initial's or a shortened title's ("Andrey V. X")
    stop = _SENTENCE_STOP.search(lines[0])
    first = lines[0][:stop.end()] if stop else lines[0]
    return "interview" in words and words in first


_SENTENCE_STOP = re.compile(rf"{NOT_A_NAME_STOP}[.!?]\s")


OPENING_WORDS = 8  # a line this long is a sentence; shorter ones above are labels and bylines


# "the Azerbaijani APA news agency": the outlet is APA (a nationality before an acronym; not
# "Caspian" in "Caspian News", part of the name).
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ian|ani|ese|ish)\s+(?=[A-Z0-9]{2,}\b)")
# How the publisher is found, most precise first, with the strength of each.
OUTLET_RULES: dict[str, Strength] = {
    "dateline": "strong",
    "syndication credit": "strong",
    "publisher line": "medium",
    "credit line": "medium",
    "named as reporting": "medium",
    "copyright line": "medium",
    "interview opening the article, no publisher named": "weak",
    "no publisher named, only the outlet spoken to": "weak",  # proposes no outlet
}
# How the outlet a speaker spoke to, or the article relies on, is found.
VIA_RULES: dict[str, Strength] = {
    "reports citing": "strong",
    "dateline's second credit": "medium",
    "relies on": "medium",
    "source line": "medium",
    "quoted by": "medium",
    "speaker's words credited to": "medium",
    "spoke to a known or described outlet": "strong",
    "spoke to": "medium",
}
