"""Quoted words in an article: quote marks of every kind paired paragraph by paragraph,
quotations without marks (a dash and an attribution, interview transcripts), and quoted terms
that are names, not anyone's words."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nkb.reader import pubdate
from nkb.reader.lexicon import (
    ACCORDING,
    DASH_NAME,
    NOT_A_NAME_STOP,
    QUESTION_LABELS,
    SPEECH_VERB,
    SPEECH_VERBS,
    collapse,
)
from nkb.reader.page import outlet_name, unwrap
from nkb.text import SPACES, fold

# --- quotes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A quoted span: `text` lies between `start` and `end`; `marks` is the region the quote
    marks enclose (open mark to close mark), `form` says how it was found."""

    start: int
    end: int
    text: str
    form: str  # pair | single | multi-paragraph | unclosed | no-opener | dash | transcript
    marks: tuple[int, int]
    label: str | None = None  # transcript: the "Name:" of the turn


_MARK = re.compile(r"``|''|[“”„«»\"]")  # `` and '' as typewriter copy opens and closes
_OPENERS = set("“„«")
_CLOSERS = set("”»")
# \x00: a blanked quote; the stop of an initial or a shortened title is no sentence's end
SENTENCE_END = re.compile(rf"{NOT_A_NAME_STOP}[.!?][\"”\u2019»)]?\s+(?=[A-Z“\"«'(\x00])")
# "Name: ...", "Question: ...", and "Q. ..." / "A. ..." as some transcripts print them
_TURN = re.compile(r"^[ \t]*(?P<label>[QA](?=\.\s)|[A-Z][\w.\u2019'\-]*(?:[ \t]+[A-Z][\w.\u2019'\-]*){0,3}"
                   r"(?=:\s))[.:]\s+(?=\S)", re.MULTILINE)


def _kind(mark: str) -> str:
    """open, close or ambiguous, from the glyph alone; what surrounds an ambiguous (straight)
    mark is weighed by the callers (`_looks_closing`, `_looks_opening`)."""
    if mark in _OPENERS or mark == "``":
        return "open"
    if mark in _CLOSERS:
        return "close"
    return "ambiguous"


def _looks_closing(text: str, at: int, length: int) -> bool:
    before = text[at - 1] if at > 0 else " "
    after = text[at + length] if at + length < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ",.;:!?)—-")


def _looks_opening(text: str, at: int, length: int) -> bool:
    before = text[at - 1] if at > 0 else " "
    after = text[at + length] if at + length < len(text) else " "
    return (before.isspace() or before in "(—-[") and not after.isspace()


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space and a trailing comma (and the space before it) from a quoted span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def sentence_start(text: str, floor: int, at: int) -> int:
    """Where the sentence holding `at` starts, no earlier than `floor`; every sentence end of a
    text is found once, so a long paragraph costs each question the same."""
    starts, ends = _sentence_ends(text)
    i = bisect.bisect_right(ends, at) - 1
    return ends[i] if i >= 0 and starts[i] >= floor else floor


@functools.lru_cache(maxsize=8)
def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    matches = list(SENTENCE_END.finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches]


READ_REACH = 600  # characters around a quote read for its attribution and sentence


def line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The line holding text[start:end], cut to READ_REACH characters on either side: a
    paragraph of a million characters costs each quote the same."""
    low = max(0, start - READ_REACH)
    line_start = text.rfind("\n", low, start) + 1 or low
    high = min(len(text), end + READ_REACH)
    line_end = text.find("\n", end, high)
    return line_start, high if line_end < 0 else line_end


def find_quotes(text: str) -> list[Candidate]:
    """Every quoted span, in text order: straight, typographic, '' and mismatched pairs; a
    closing mark with no opener (the span runs from the start of its sentence); quotes that run
    over paragraphs; an unclosed quote at the end; or, in a transcript with no quote marks,
    one candidate per answer turn."""
    text = unwrap(text)
    if not _MARK.search(text):
        singles = single_quotes(text, [])
        unmarked = sorted(singles + dash_quotes(text, [c.marks for c in singles]),
                          key=lambda c: c.start)
        return unmarked or transcript_turns(text) or dash_turns(text)
    turns = transcript_turns(text) or dash_turns(text)
    if len(turns) >= TRANSCRIPT_MIN_TURNS:
        # an interview: each answer is the interviewee's words, marks inside it included;
        # only the lead above the first turn has quotes of its own
        answer = min(t.marks[0] for t in turns)
        first = max([m.start() for m in itertools.chain(_turn_labels(text),
                                                        _DASH_TURN.finditer(text))
                     if m.start() < answer and not (m.re is _TURN and _page_label(m.group("label")))]
                    or [answer])  # the question before the answer
        return [c for c in _marked_quotes(text) if c.marks[1] <= first] + turns
    return _marked_quotes(text)


TRANSCRIPT_MIN_TURNS = 2  # answer turns that make an article with quote marks a transcript


def _marked_quotes(text: str) -> list[Candidate]:
    """The quotes that quote marks set off (see `find_quotes`)."""
    paragraphs = [(at, at + len(line)) for at, line in pubdate.lines_with_offsets(text)]
    found: list[Candidate] = []
    opened: tuple[int, int] | None = None  # (mark position, content start)
    continued = False
    for index, (p_start, p_end) in enumerate(paragraphs):
        floor = p_start  # a no-opener quote starts no earlier than this
        marks = list(_MARK.finditer(text, p_start, p_end))
        if continued and marks and text[p_start:marks[0].start()].strip() == "":
            marks = marks[1:]  # the re-opening mark of a quote continued from above
        continued = False
        for match in marks:
            mark, at = match.group(0), match.start()
            kind = _kind(mark)
            if opened is None:
                if kind == "close" or (kind == "ambiguous" and _looks_closing(text, at, len(mark))
                                       and not _looks_opening(text, at, len(mark))):
                    start = sentence_start(text, floor, at)
                    s, e = _clean_span(text, start, at)
                    if len(text[s:e].split()) >= 3:
                        found.append(Candidate(s, e, collapse(text[s:e]), "no-opener", (s, match.end())))
                    floor = match.end()
                else:
                    opened = (at, match.end())
                continue
            if kind == "open" and not _looks_closing(text, at, len(mark)):
                continue  # a nested opening mark: the outer quote goes on
            s, e = _clean_span(text, opened[1], at)
            form = "multi-paragraph" if "\n" in text[opened[1]:at] else "pair"
            if e > s:
                found.append(Candidate(s, e, collapse(text[s:e]), form, (opened[0], match.end())))
            opened = None
            floor = match.end()
        if opened is not None:
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if following and _continues(text, following):
                continued = text[following[0]:following[1]].lstrip()[:1] in "“„«\"'"
                continue
            s, e = _clean_span(text, opened[1], p_end)
            if e > s:
                found.append(Candidate(s, e, collapse(text[s:e]), "unclosed", (opened[0], p_end)))
            opened = None
    taken = [c.marks for c in found]
    singles = single_quotes(text, taken)
    # a double-quoted phrase inside a single-quoted quote is part of it ('He said "no" to us')
    found = [c for c in found if not any(s.marks[0] < c.marks[0] and c.marks[1] < s.marks[1]
                                         for s in singles)]
    found += singles
    found += dash_quotes(text, [c.marks for c in found])
    found.sort(key=lambda c: c.start)
    return found


_SINGLE = re.compile(r"[\u2018\u2019']")


def _apostrophe(text: str, at: int) -> bool:
    """A single mark inside a word (Russia's, don't), after a digit ('90s) or part of ''."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isalnum() and after.isalnum()) or after.isdigit() or (
        text[at] == "'" and "'" in before + after)


def _closes_single(text: str, at: int) -> bool:
    """Does the single mark at `at` close an open quote: after a word ("help,\u2019 he said"), or
    set off by a misprinted space after the quote's last comma or stop (", \u2019he said")?"""
    if text[at] == "\u2018":
        return False
    if _looks_closing(text, at, 1):
        return True
    after = text[at + 1] if at + 1 < len(text) else " "
    return at >= 2 and text[at - 1] == " " and text[at - 2] in ",.!?\u2026" and after.islower()


def _ends_quote(text: str, at: int, end: int) -> bool:
    """Is the closing mark at `at` the end of a quote (its last comma or stop before it, or a
    comma and an attribution after it), not a plural possessive ("the ministers\u2019 talks")?"""
    if (at > 0 and text[at - 1] in ",.!?;:\u2026") or text[at - 2:at] in (", ", ". "):
        return True
    return bool(_SAID_AFTER.match(text, at + 1, end))


# "\u2019, the envoy noted": the attribution after a closing mark and its comma
_SAID_AFTER = re.compile(rf",\s+(?:[\w'\u2019.-]+\s+){{0,5}}?(?:{SPEECH_VERBS})\b", re.IGNORECASE)


def _body_last(text: str, paragraphs: Sequence[tuple[int, int]]) -> int:
    """The index of the body's last paragraph: page furniture after it does not count."""
    lay = pubdate.layout(text)
    inside = [i for i, (at, _) in enumerate(paragraphs) if at < lay.body_end and not lay.furniture(at)]
    return inside[-1] if inside else len(paragraphs) - 1


def single_quotes(text: str, taken: Sequence[tuple[int, int]]) -> list[Candidate]:
    """Quotes in single marks (\u2018...\u2019 or '...'), outside the double-quoted `taken`
    regions: an opening mark before a word, a closing one after it; a mark inside a word is an
    apostrophe. A quote may run over paragraphs that each reopen it, or into one that closes it;
    an unclosed one counts only in the body's or the text's last paragraph (a truncated end)."""
    paragraphs = [(at, at + len(line)) for at, line in pubdate.lines_with_offsets(text)]
    spans = sorted(taken)
    span_starts = [a for a, _ in spans]

    def inside_taken(at: int) -> bool:
        i = bisect.bisect_right(span_starts, at) - 1
        return i >= 0 and at < spans[i][1]

    marks = [m for m in _SINGLE.finditer(text) if not inside_taken(m.start())
             and not _apostrophe(text, m.start())]
    mark_starts = [m.start() for m in marks]

    def marks_in(start: int, end: int) -> list[re.Match[str]]:
        return marks[bisect.bisect_left(mark_starts, start):bisect.bisect_left(mark_starts, end)]

    found: list[Candidate] = []
    opened: tuple[int, str] | None = None  # (mark position, glyph)
    reopened = -1  # position of the mark that reopens a quote continued from above
    ends = {_body_last(text, paragraphs), len(paragraphs) - 1} if paragraphs else set()
    for index, (p_start, p_end) in enumerate(paragraphs):
        for match in marks_in(p_start, p_end):
            at, mark = match.start(), match.group(0)
            if at == reopened:
                continue
            if opened is None:
                if mark != "\u2019" and _looks_opening(text, at, 1):
                    opened = (at, mark)
                continue
            if _closes_single(text, at):
                s, e = _clean_span(text, opened[0] + 1, at)
                if e > s:
                    form = "multi-paragraph" if "\n" in text[opened[0]:at] else "single"
                    found.append(Candidate(s, e, collapse(text[s:e]), form, (opened[0], at + 1)))
                opened = None
        if opened is None:
            continue
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if following:
            first = len(text[following[0]:following[1]]) - len(
                text[following[0]:following[1]].lstrip())
            if text[following[0] + first: following[0] + first + 1] == opened[1]:
                reopened = following[0] + first
                continue
            closing = next((m.start() for m in marks_in(*following)), None)
            if closing is not None and _closes_single(text, closing) \
                    and _ends_quote(text, closing, following[1]):
                continue  # the quote goes on into the next paragraph, which closes it
        s, e = _clean_span(text, opened[0] + 1, p_end)
        if index in ends and len(text[s:e].split()) >= 3:
            found.append(Candidate(s, e, collapse(text[s:e]), "unclosed", (opened[0], p_end)))
        opened = None
    return found


# "We hope for peace. - noted the spokeswoman.", "..., \u2013 said the minister": a quotation set
# off by a dash and an attribution instead of quote marks, as Russian-language copy prints it.
_DASH_ATTRIBUTION = re.compile(
    rf"(?<=[.!?,\u2026])\s*[-\u2013\u2014]+\s+(?=(?:{SPEECH_VERBS})\b|(?:[\w'\u2019.-]+\s+){{1,6}}"
    rf"(?:{SPEECH_VERBS})\b)(?P<attribution>[^.!?\n]{{2,120}}[.!?]?)\s*(?:$|(?<=[.!?])\s(?=[A-Z]))",
    re.IGNORECASE)  # the paragraph may go on after it with a sentence of its own
DASH_QUOTE_MIN_WORDS = 5


_VERB_FIRST = re.compile(rf"(?:{SPEECH_VERBS})\b", re.IGNORECASE)
_AFTER_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b(?P<rest>[^.!?]*)", re.IGNORECASE)
# After the verb of a dash attribution: whom it was said to, then when or where, and no more.
_WHEN_OR_WHERE = re.compile(
    r"^\s*(?:(?:reporters|journalists|the (?:press|media)|(?:a|the) (?:\w+ )?(?:briefing|"
    r"conference|newspaper|agency|channel)|[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,2})\b)?"
    r"\s*(?:(?:on|in|at|during|after|to|late|earlier|later|today|yesterday)\b[^.!?]{0,60})?"
    r"[.!?]?\s*$")


def _attribution_only(attribution: str) -> bool:
    """Is what follows the dash only an attribution: "noted the spokeswoman", "the minister
    said on Monday"? Not a sentence of its own ("The delegation said nothing more")."""
    if _VERB_FIRST.match(attribution.strip()):
        return True
    after = _AFTER_VERB.search(attribution)
    return after is not None and bool(_WHEN_OR_WHERE.match(after.group("rest")))


def dash_quotes(text: str, taken: Sequence[tuple[int, int]] = ()) -> list[Candidate]:
    """Paragraphs with no quote marks that end with a dash and an attribution ("... - noted the
    spokeswoman."), or go on after it: the words before the dash are the quotation."""
    found = []
    for at, line in pubdate.lines_with_offsets(text):
        match = _DASH_ATTRIBUTION.search(line)
        # quote marks or a quote after the attribution belong to the sentences that follow it
        if not match or _MARK.search(line, 0, match.end()) or any(
                a < at + match.end() and at < b for a, b in taken) or not _attribution_only(
                match.group("attribution")):
            continue
        start = at + len(line) - len(line.lstrip(" -\u2013\u2014\t"))
        s, e = _clean_span(text, start, at + match.start())
        if len(text[s:e].split()) >= DASH_QUOTE_MIN_WORDS:
            found.append(Candidate(s, e, collapse(text[s:e]), "dash", (s, at + match.start())))
    return found


def _continues(text: str, paragraph: tuple[int, int]) -> bool:
    """Does an unclosed quote go on into this paragraph? Yes if it opens with a quote mark (the
    usual convention) or if its first mark closes a quote it never opened."""
    body = text[paragraph[0]:paragraph[1]]
    if body.lstrip()[:1] in "“„«\"" or body.lstrip().startswith(("''", "``")):
        return True
    first = _MARK.search(text, paragraph[0], paragraph[1])
    if not first:
        return False
    kind = _kind(first.group(0))
    return kind == "close" or (kind == "ambiguous"
                               and _looks_closing(text, first.start(), len(first.group(0))))


# Labels a page prints before its own details ("Tags: Russia", "Published: 12 March 2021", "By
# Anna Orlova"): each ends the turn above it, and none is a speaker's turn.
PAGE_LABELS = {"tags", "tag", "topics", "keywords", "category", "categories", "filed", "published",
               "posted", "updated", "date", "author", "authors", "by", "written", "editor",
               "source", "sources", "photo", "photos", "image", "video", "credit", "share",
               "follow", "comments", "read", "see", "related", "subscribe"}


def _page_label(label: str) -> bool:
    return fold(label).split()[0] in PAGE_LABELS


def _turn_labels(text: str) -> list[re.Match[str]]:
    """Every "Name:" at a line's start, no-break spaces read as spaces (lines padded with them)."""
    return list(_TURN.finditer(text.translate(SPACES)))


def transcript_turns(text: str) -> list[Candidate]:
    """An interview transcript ("Question: ..." / "Name: ..." turns, no quote marks): one
    candidate per answer turn, running to the next turn or page label."""
    labelled = [m for m in _turn_labels(text) if len(m.group("label").split()) <= 4]
    next_label = {m.start(): labelled[i + 1].start() if i + 1 < len(labelled) else len(text)
                  for i, m in enumerate(labelled)}
    turns = [m for m in labelled if not _page_label(m.group("label"))]
    labels = [fold(m.group("label")) for m in turns]
    ends = [next_label[m.start()] for m in turns]
    asked: dict[str, list[bool]] = {}  # label -> does each of its turns end with "?"
    for label, match, end in zip(labels, turns, ends, strict=True):
        asked.setdefault(label, []).append(text[match.end():end].rstrip().endswith("?"))
    # the interviewer: a question label, an outlet ("TASS:"), or a name whose every turn asks
    asking = {label for label, questions in asked.items() if label in QUESTION_LABELS
              or outlet_name(label) or (len(questions) >= 2 and all(questions))}
    if not asking or len(asked) < 2:
        return []
    found = []
    for i, match in enumerate(turns):
        if labels[i] in asking:
            continue
        end = ends[i]
        s, e = _clean_span(text, match.end(), end)
        if e > s:
            found.append(Candidate(s, e, collapse(text[s:e]), "transcript", (match.start(), e),
                                   match.group("label")))
    return found


_DASH_TURN = re.compile(r"^[ \t]*[-\u2013\u2014]+[ \t]*(?=\S)", re.MULTILINE)
DASH_TURNS_MIN = 2  # questions and answers each, to read dashed lines as an interview


def dash_turns(text: str) -> list[Candidate]:
    """An interview printed as dashed lines, a question then its answer ("\u2014 How were the
    talks?" / "\u2014 They were good."): one candidate per answer, labelled "A", running to
    the next dashed line."""
    turns = list(_DASH_TURN.finditer(text))
    spans = [(m.end(), turns[i + 1].start() if i + 1 < len(turns) else len(text))
             for i, m in enumerate(turns)]
    asks = [text[a:b].rstrip().endswith("?") for a, b in spans]
    answers = [i for i in range(1, len(turns)) if asks[i - 1] and not asks[i]]
    if len(answers) < DASH_TURNS_MIN or sum(asks) < DASH_TURNS_MIN:
        return []
    found = []
    for i in answers:
        s, e = _clean_span(text, *spans[i])
        if e > s:
            found.append(Candidate(s, e, collapse(text[s:e]), "transcript", (turns[i].start(), e),
                                   "A"))
    return found



# --- terms in quote marks --------------------------------------------------------------------

TERM_MAX_WORDS = 3  # a quoted term ("3+3", "peacekeepers", "crossroads of peace") is this short
# Words that say the marks set off a name or a term, not anyone's words.
_TERM_BEFORE = re.compile(r"\b(?:so-called|so called|the term|the word|the name|the concept of|"
                          r"the notion of|known as|the phrase)\s+(?:\S+\s+)?$", re.IGNORECASE)
# Words that give a short quote to a speaker without a verb of saying ("called it a 'stab in the
# back'", "described as 'tense'").
_NAMING_VERBS = re.compile(r"\b(?:call|calls|called|calling|describe|describes|described|"
                           r"describing|dubbed|termed|branded|labell?ed|characteri[sz]ed|hailed|"
                           r"denounced|condemned|expressed|voiced)\b", re.IGNORECASE)
# Words after a quoted modifier that end its noun phrase: not a noun the term modifies.
_PHRASE_GOES_ON = {
    "of", "in", "on", "at", "to", "from", "with", "for", "by", "about", "over", "into", "between",
    "against", "after", "before", "during", "under", "without", "within", "through", "towards",
    "and", "or", "but", "nor", "that", "which", "who", "whom", "whose", "as", "than", "if",
    "because", "while", "when", "where", "is", "are", "was", "were", "be", "been", "has", "have",
    "had", "will", "would", "could", "should", "can", "may", "might", "must", "shall", "do",
    "does", "did", "not", "it", "its", "this", "these", "those", "they", "he", "she", "we", "the",
    "a", "an", "yesterday", "today", "tomorrow", "now", "then", "again", "too", "also", "there",
    "here", "once", "soon", "so", "even", "only", "just", "still", "yet", "since", "until",
    "ahead", "abroad", "already", "instead", "together", "first", "last", "next", "later",
    "earlier",
}

_MINOR_WORDS = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "by"}


def _title_case(phrase: str) -> bool:
    """Two or more words, each capitalised but for minor ones: the name of something."""
    tokens = phrase.split()
    return len(tokens) >= 2 and tokens[0][:1].isupper() and all(
        t[:1].isupper() or t in _MINOR_WORDS for t in tokens)


_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these",
                "those", "new", "whole", "entire"}


def _overlapping(found: Sequence[Candidate], start: int, end: int) -> Sequence[Candidate]:
    """The candidates (in text order, none inside another) with marks inside [start, end)."""
    if len(found) < 16:
        return found
    first = bisect.bisect_right(found, start, key=lambda o: o.marks[1])
    last = bisect.bisect_left(found, end, lo=first, key=lambda o: o.marks[0])
    return found[first:last]


def is_term(text: str, c: Candidate, others: Sequence[Candidate] = ()) -> bool:
    """A short phrase in quote marks used as a name or a term, not as anyone's words: a
    "so-called" one, one modifying the noun after it ("the \u201c3+3\u201d format"), or one
    that nothing in its sentence attributes (no verb of saying, no "according to", no
    "called it"). An attributed fragment ("a 'stab in the back', X said") stays a quote."""
    if c.form not in ("pair", "single"):
        return False
    inside = text[c.marks[0] + 1:c.marks[1] - 1].strip(" '\u2019\u201d\"\u00bb")
    comma = inside.endswith(",")  # '"Peace Now," X said' or 'the "Route," the side...'
    inside = inside.removesuffix(",")
    if len(inside.split()) > TERM_MAX_WORDS or re.search(r"[.!?,;:\u2026]", inside):
        return False
    line_start, line_end = line_around(text, c.marks[0], c.marks[1])
    if _TERM_BEFORE.search(text[max(line_start, c.marks[0] - 80):c.marks[0]]):
        return True
    if not comma and (not re.search(r"[a-z]", inside) or _title_case(inside)):
        return True  # a name or a label: "3+3", "CSTO", "Crossroads of Peace"
    before = re.search(r"(\S+)\s+$", text[max(line_start, c.marks[0] - 80):c.marks[0]])
    after = re.match(r"\s+([a-z][a-z\-]*)\b", text[c.marks[1]:line_end])
    if before and (fold(before.group(1)) in _DETERMINERS or before.group(1)[:1].isupper()) \
            and after and after.group(1) not in _PHRASE_GOES_ON \
            and not re.search(r"(?:ly|ed|ing)$", after.group(1)):
        return True  # 'the "3+3" format', 'the Russian "peacekeeping" contingent'
    start = sentence_start(text, line_start, c.marks[0])
    stop = re.search(rf"{NOT_A_NAME_STOP}[.!?](?:\s|$)", text[c.marks[1]:line_end])
    end = c.marks[1] + stop.end() if stop else line_end
    chars = list(text[start:end])
    for other in (c, *_overlapping(others, start, end)):
        for i in range(max(other.marks[0], start), min(other.marks[1], end)):
            chars[i - start] = " "
    outside = "".join(chars)
    attributed = (SPEECH_VERB.search(outside) or ACCORDING.search(outside)
                  or _NAMING_VERBS.search(outside) or DASH_NAME.search(outside)
                  or re.match(r"\s*[A-Z][^\s:]*(?:\s+[A-Z][^\s:]*){0,3}:", outside))
    return not attributed


