"""Text as nkb compares and shows it: folding for matching, finding a quote in its article,
natural order of ids, and making any text safe to print on a terminal."""

from __future__ import annotations

import html
import html.entities
import re
import unicodedata
from collections.abc import Iterable

# --- folding for matching -----------------------------------------------------------------------


def fold(text: str) -> str:
    """Case-, accent- and script-insensitive form: 'Галузин' and 'galuzin' fold alike."""
    if not text.isascii():
        from anyascii import anyascii  # deferred: only non-Latin input needs transliteration

        # anyascii maps each character on its own, so only the runs of non-ASCII characters
        # need its (pure Python) loop: the same result, much faster on long, mostly Latin texts
        text = _NON_ASCII.sub(lambda run: anyascii(run.group()),
                              unicodedata.normalize("NFC", text))
    return _NOT_FOLDED.sub(" ", text.casefold()).strip()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_NOT_FOLDED = re.compile(r"[^a-z0-9]+")


_QUOTE_MARKS = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"} | {
    c: "'" for c in "\u2018\u2019\u201a\u201b\u2032"
})
_SPACE = re.compile(r"\s+")


# Characters a web page may carry inside words without showing them: zero-width spaces and
# joiners, the word joiner, soft hyphens, a stray byte-order mark.
_INVISIBLE = str.maketrans({c: None for c in "\u200b\u200c\u200d\u2060\u00ad\ufeff"})


# No-break and other fixed-width spaces, read as spaces ("based on\u00a0reporting by").
SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"})
_DOUBLED_SPACE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")  # "said  Ivanov": two spaces between words


def as_read(text: str) -> str:
    """The text as `nkb add` reads it: without saved-page markup and invisible characters,
    with fixed-width spaces as spaces and words one space apart. The stored text keeps them."""
    return _DOUBLED_SPACE.sub(" ", strip_invisible(strip_markup(text)).translate(SPACES))


def strip_invisible(text: str) -> str:
    """The text without the characters that do not show ("Rud\u200benko" is "Rudenko")."""
    return text.translate(_INVISIBLE)


# The markup a page saved from the web may keep: HTML tags and character references, Markdown
# emphasis and links.
_TAG = re.compile(r"</?(?P<name>[a-zA-Z][a-zA-Z0-9]*)\b[^<>\n]{0,300}>")
_BLOCK_TAGS = {"p", "br", "div", "li", "ul", "ol", "tr", "table", "blockquote", "section",
               "article", "header", "footer", "figure", "figcaption", "h1", "h2", "h3", "h4",
               "h5", "h6"}
_INLINE_TAGS = {"a", "b", "strong", "i", "em", "u", "span", "font", "small", "sup", "sub",
                "mark", "abbr", "cite", "q", "time", "img", "td", "th", "tbody", "thead"}
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_MD_LINK = re.compile(r"\[(?P<label>[^\[\]\n]{1,200})\]\((?:https?://|/)[^()\s]{0,500}\)")
_MD_BOLD = re.compile(r"\*\*(?=\S)(?P<inner>[^*\n]{1,300}?)(?<=\S)\*\*")


def _tag(match: re.Match[str]) -> str:
    name = match.group("name").lower()
    if name in _BLOCK_TAGS:
        return "\n"
    return "" if name in _INLINE_TAGS else match.group(0)


def _reference(match: re.Match[str]) -> str:
    ref = match.group(0)
    if ref[1] != "#" and ref[1:] not in html.entities.html5:
        return ref  # "&notion;" is no reference: left as printed
    return html.unescape(ref)


_PREFIXED = re.compile(r"^[ \t]*(?:[>\u2022\u00b7\u25aa\u25cf\u2023]|-[ \t])", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[\u2022\u00b7\u25aa\u25cf\u2023][ \t]+", re.MULTILINE)
_QUOTED_LINE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)  # a quoted e-mail's "> "
_LISTED_LINE = re.compile(r"^[ \t]*-[ \t]+", re.MULTILINE)  # a list's "- "


def _line_prefixes(text: str) -> str:
    """Bullets ("\u2022 ") before lines, and the "> " of a quoted e-mail or the "- " of a list
    when most lines carry it: marks of the saved page, not of the article."""
    text = _BULLET.sub("", text)
    lines = [line for line in text.split("\n") if line.strip()]
    for pattern in (_QUOTED_LINE, _LISTED_LINE):
        marked = sum(1 for line in lines if pattern.match(line))
        if len(lines) >= 2 and marked * 2 > len(lines):
            text = pattern.sub("", text)
    return text


def strip_markup(text: str) -> str:
    """The text without the markup a saved web page may keep: HTML tags (a paragraph or a line
    break as a line break), character references (`&quot;` is a quote mark), Markdown bold and
    links (their label kept), bullets and e-mail "> " before lines. Text with none of it is
    returned as it is."""
    if "<" in text:
        text = _TAG.sub(_tag, text)
    if "](" in text:
        text = _MD_LINK.sub(lambda m: m.group("label"), text)
    if "**" in text:
        text = _MD_BOLD.sub(lambda m: m.group("inner"), text)
    if "&" in text:
        text = _ENTITY.sub(_reference, text)
    if _PREFIXED.search(text):
        text = _line_prefixes(text)
    return text


def normalise_for_match(text: str) -> str:
    """Fold white space, straight/typographic quote marks, invisible characters and saved-page
    markup so a quote can be found in its text."""
    return _SPACE.sub(" ", fold_quote_marks(strip_invisible(strip_markup(text)))).strip()


def fold_quote_marks(text: str) -> str:
    """Typographic quote marks as straight ones, character for character."""
    return text.translate(_QUOTE_MARKS)


def is_placeholder(value: str) -> bool:
    """A value `nkb add` left for the curator to fill in ("TODO ..."), not a fact."""
    return value.lstrip().upper().startswith("TODO")


_DIGITS = re.compile(r"[0-9]+")  # ids are written with 0-9 (\d would also match U+0663)


def natural_key(ident: str) -> str:
    """An id with its numbers zero-padded, so 004-2 sorts before 004-10 (article order)."""
    return _DIGITS.sub(lambda m: m.group().zfill(9), ident)


# --- quotes in their article ------------------------------------------------------------------


def locate(article: str, quote_text: str) -> tuple[int, int] | None:
    """Where a quote lies in its article (start, end offsets), tolerant of white space and
    quote-mark style, or None."""
    found = locate_all(article, [quote_text])
    return found[0] if found else None


def locate_all(article: str, quote_texts: Iterable[str]) -> list[tuple[int, int]]:
    """Where each quote that is found lies in its article; the article is folded once."""
    return [found for found in locate_each(article, quote_texts) if found is not None]


def locate_each(article: str, quote_texts: Iterable[str]) -> list[tuple[int, int] | None]:
    """For each quote, where it lies in its article, or None; the article is folded once."""
    haystack, positions = _folded_with_positions(article)
    out: list[tuple[int, int] | None] = []
    for text in quote_texts:
        needle = normalise_for_match(text)
        at = haystack.find(needle) if needle else -1
        out.append((positions[at], positions[at + len(needle) - 1] + 1) if at >= 0 else None)
    return out


SHOWN_WORDS = 6  # words of context a report of where a quote stops matching shows


def where_quote_stops(article: str, quote_text: str) -> str:
    """Where a quote stops matching its article, in words: the longest opening of the quote
    the article holds, the quote's word where they part, and the article's words there.
    Both are compared as `locate` compares them (white space and quote marks folded)."""
    needle, haystack = normalise_for_match(quote_text), normalise_for_match(article)
    low, high = 0, len(needle)  # the longest opening found: found openings only get shorter
    while low < high:
        middle = (low + high + 1) // 2
        if needle[:middle] in haystack:
            low = middle
        else:
            high = middle - 1
    if low == len(needle):  # the words are all there: only what joins them differs
        return "the whole quote is in the article"
    # whole words only: the opening up to the last word that matched entirely
    start = low + 1 if needle[low] == " " else needle.rfind(" ", 0, low) + 1
    end = max(start - 1, 0)
    if end == 0:
        return f"its first word {needle.split(' ')[0]!r} is nowhere in the article"
    at = haystack.find(needle[:end])
    said = needle[:end].split()
    matched = ("\u2026" if len(said) > SHOWN_WORDS else "") + " ".join(said[-SHOWN_WORDS:])
    differs = needle[start:].split(" ")[0]
    there = " ".join(haystack[at + end:].split()[:SHOWN_WORDS]) or "(the end of the text)"
    return f"after {matched!r} it has {differs!r} where the article has {there!r}"


def _folded_with_positions(article: str) -> tuple[str, list[int]]:
    # normalise_for_match, keeping for each folded character its offset in the article
    # (quote marks fold one to one, so only runs of white space shift offsets)
    chars: list[str] = []
    positions: list[int] = []
    previous_space = False
    for i, ch in enumerate(fold_quote_marks(article)):
        space = ch.isspace()
        if space and previous_space:
            continue
        previous_space = space
        chars.append(" " if space else ch)
        positions.append(i)
    return "".join(chars), positions


# --- making text safe to show -----------------------------------------------------------------

# C0/C1 controls (but newline and tab), DEL, the bidirectional overrides/isolates that can
# make a terminal show text in a different order than it is stored, and lone surrogates (a file
# name's bytes that are not UTF-8, as Python holds them), which no terminal can be sent.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text with every unsafe character shown as an escape (\\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape_char, text)


def json_escape(text: str) -> str:
    """JSON text with bidi and C1 characters escaped too, so printing it to a terminal is safe
    and parsing it still gives back the exact text (JSON escapes C0 controls itself)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plural(count: int, noun: str) -> str:
    """'1 hint', '3 hints': a count with its noun."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- CSV cells a spreadsheet opens --------------------------------------------------------------

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets
# (OWASP's CSV injection rule, with NUL as ASVS adds): `=HYPERLINK("http://...")` in a title.
FORMULA_STARTS = frozenset("=+-@\t\r\0")
GUARD = "'"  # what a spreadsheet takes as "this cell is text" and does not show


def spreadsheet_safe(text: str) -> str:
    """A text as a CSV cell that a spreadsheet shows and never runs: one apostrophe in front
    when, past any apostrophes of its own, it starts with = + - @ tab, CR or NUL. So
    `spreadsheet_text` gives the exact text back: drop that one apostrophe."""
    return GUARD + text if text.lstrip(GUARD)[:1] in FORMULA_STARTS else text


def spreadsheet_text(cell: str) -> str:
    """The exact text of a cell `spreadsheet_safe` wrote."""
    guarded = cell.startswith(GUARD) and cell.lstrip(GUARD)[:1] in FORMULA_STARTS
    return cell[1:] if guarded else cell
