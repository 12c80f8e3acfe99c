"""Reading a news article at once: its date, outlet, quotes, who said each, and hints for
events; `nkb add` turns the findings into a draft source record.

The flow of `extract`:
1. `detect_date` (nkb/reader/pubdate.py, `DATE_RULES`) and `page.detect_outlet` read the header, the dateline
   and the lead.
2. `quotes.find_quotes` pairs quote marks paragraph by paragraph (or reads a transcript).
3. `attribution.attribute_speakers` walks the article in order and gives each quote a known
   actor or a proposed new one, by the first of its named rules that fires.
4. `find_hints` lists the sentences that date something, with the actors they name.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nkb.models import Actor
from nkb.reader import pubdate
from nkb.reader.attribution import Attribution, Mention, NewActor, attribute_speakers, sentences
from nkb.reader.lexicon import (
    MONTH,
    NOT_A_NAME_STOP,
    WEEKDAY,
    WEEKDAYS,
    collapse,
)
from nkb.reader.page import HEADER_DATE, OutletFinding, detect_outlet, find_dateline, unwrap
from nkb.reader.quotes import Candidate, find_quotes, is_term, line_around, sentence_start
from nkb.text import as_read

# --- dates ------------------------------------------------------------------------------------


DateFinding = pubdate.DateFinding


def detect_date(text: str, today: dt.date | None = None, url: str | None = None) -> DateFinding:
    """The publication date reasoned from every date the page carries (nkb/reader/pubdate.py) and the
    page's address `url` where given; `today` (default: $NKB_TODAY, else the clock) bounds it
    above."""
    text = unwrap(text)
    dateline = find_dateline(text)
    partial = None
    if dateline:
        named = re.search(WEEKDAY, dateline.text, re.IGNORECASE)
        weekday = WEEKDAYS.index(named.group(1).casefold()) if named else None
        partial = pubdate.PartialDate(dateline.text, dateline.month, dateline.day, dateline.year,
                                      weekday)
    return pubdate.publication_date(text, partial, dateline.text if dateline else None, today,
                                    url)



# --- hints ------------------------------------------------------------------------------------

_DATE_MENTION = re.compile(
    rf"\b(?:(?:[Oo]n|[Ii]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Aa]fter|[Bb]efore|[Ll]ate|[Ee]arly)"
    rf"\s+)?(?:{MONTH}\s+\d{{1,2}}(?:-\d{{1,2}})?(?:,\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}"
    rf"(?:\s+\d{{4}})?|{MONTH}\s+\d{{4}}|(?:in|In|since|Since)\s+\d{{4}})\b(?![\-/]\d)")
HINT_MAX = 12
HINT_WIDTH = 160


def find_hints(text: str, mentions: Sequence[Mention],
               lay: pubdate.Layout | None = None) -> list[str]:
    """Sentences of the body that date something, with the known actors they name: the
    curator's leads for events. Headers, related headlines and widgets (outside `lay`'s body)
    report nothing the article says."""
    hints: list[str] = []
    seen: set[str] = set()
    ordered = sorted(mentions, key=lambda m: m.start)  # each sentence's mentions by bisection
    starts = [m.start for m in ordered]
    for start, sentence in sentences(text):
        dated = [m.group(0) for m in _DATE_MENTION.finditer(sentence)]
        if not dated:
            continue
        if lay is not None and not lay.in_body(start + len(sentence) - len(sentence.lstrip())):
            continue
        end = start + len(sentence)
        window = ordered[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]
        named = list(dict.fromkeys(m.actor for m in window))
        body = collapse(sentence)
        if len(body) > HINT_WIDTH:
            body = body[: HINT_WIDTH - 1].rstrip() + "…"
        hint = f"{', '.join(dict.fromkeys(dated))}: {body}"
        if named:
            hint += f" [actors: {', '.join(named)}]"
        if hint not in seen:
            seen.add(hint)
            hints.append(hint)
    named_all = list(dict.fromkeys(m.actor for m in mentions
                                   if lay is None or lay.in_body(m.start)))
    hints = hints[:HINT_MAX]
    if named_all:
        hints.append(f"actors named: {', '.join(named_all)}")
    return hints


# --- everything at once -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Findings:
    """All that `extract` reads from one article."""

    date: DateFinding
    outlet: OutletFinding
    quotes: list[Attribution]
    new_actors: list[NewActor]
    hints: list[str]


def extract(text: str, actors: Iterable[Actor], not_speakers: Iterable[str] = (),
            url: str | None = None) -> Findings:
    """Read an article: date, outlet, quotes with speakers, proposed actors, event hints.

    `not_speakers` are names known to be something else (places, outlets) and never proposed;
    `url` is the page's address where the curator gives it (a clue to the date)."""
    actors = list(actors)
    text = unwrap(as_read(text))
    date = detect_date(text, url=url)
    outlet = detect_outlet(text, actors)
    lay = pubdate.layout(text, date.dateline)
    # quotes in comments, related headlines or footers after the body are not the article's
    found = [c for c in find_quotes(text) if c.marks[0] < lay.body_end]
    terms = [c for c in found if is_term(text, c, found)]
    candidates = [c for c in found if c not in terms]
    exclude = [o for o in (outlet.outlet, outlet.via, *not_speakers) if o]
    quotes, new, mentions = attribute_speakers(text, candidates, actors, date.edtf, exclude)
    used = {q.speaker for q in quotes}
    new = [a for a in new if a.id in used]
    header = HEADER_DATE.match(text)
    blanked = " " * header.end() + text[header.end():] if header else text
    if date.dateline and date.dateline in blanked:  # the dateline dates the article, not an event
        at = blanked.index(date.dateline)
        blanked = blanked[:at] + " " * len(date.dateline) + blanked[at + len(date.dateline):]
    hints = find_hints(blanked, mentions, lay)
    if terms:  # shown to the curator, never proposed as anyone's words
        listed = ", ".join(dict.fromkeys(f"\u201c{c.text}\u201d" for c in terms))
        named = len(hints) - (bool(hints) and hints[-1].startswith("actors named: "))
        hints.insert(named, f"terms in quote marks, read as names or terms and not proposed as "
                            f"quotes: {listed}")
    quotes = [dataclasses.replace(q, sentence=_quote_sentence(text, q.candidate)) for q in quotes]
    return Findings(date, outlet, quotes, new, hints)


def _quote_sentence(text: str, c: Candidate) -> str:
    """The quote with the rest of its sentence on both sides: where its attribution and any
    "on Monday" are."""
    line_start, line_end = line_around(text, c.marks[0], c.marks[1])
    start = sentence_start(text, line_start, c.marks[0])
    after = re.search(rf"{NOT_A_NAME_STOP}[.!?](?:\s|$)", text[c.marks[1]:line_end])
    return text[start: c.marks[1] + (after.end() if after else line_end - c.marks[1])]

