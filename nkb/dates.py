"""Every EDTF parse and comparison in nkb.

A date of any precision is reduced to a Span: the first and last day it can mean, as ISO strings,
so that comparing and sorting are plain string operations. The `edtf` package does the parsing of
KB dates (at validation and index-building time only: it costs ~0.1 s to import); the plain
year / month / day forms a user types on the command line are read without it.
"""

from __future__ import annotations

import calendar
import contextlib
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

EARLIEST = "0000-01-01"
LATEST = "9999-12-31"
FIRST_YEAR = 1  # the year 0 would read as an open start (EARLIEST) and has no Python date
LAST_YEAR = 9999  # every span is four-digit ISO text, so text order is date order

# ASCII digits only, matched whole (`$` would also match before a final line break): EDTF is
# written with 0-9, and `\d` would take a fullwidth or an Arabic-Indic two (U+FF12, U+0662) as a digit.
_PLAIN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class DateError(ValueError):
    """A string that is not a valid EDTF date; the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class Span:
    """The first and last day a date can mean (ISO yyyy-mm-dd strings)."""

    start: str
    end: str

    @property
    def anchor(self) -> str:
        """The day a record of this span is placed at: its start, or for an open start
        ("../2023-02", all that is known is "by then") its end."""
        return self.end if self.start == EARLIEST else self.start

    def overlaps(self, since: Span | None, until: Span | None) -> bool:
        """True if some day of this span lies within [since.start, until.end]."""
        if since is not None and self.end < since.start:
            return False
        return not (until is not None and self.start > until.end)


def _plain_span(text: str) -> Span | None:
    match = _PLAIN.fullmatch(text)
    if not match:
        return None
    year, month, day = match.groups()
    y = int(year)
    if y < FIRST_YEAR:  # left to the full parse, which says why the year 0 is refused
        return None
    if month is None:
        return Span(f"{year}-01-01", f"{year}-12-31")
    m = int(month)
    if not 1 <= m <= 12:
        return None
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return Span(f"{year}-{month}-01", f"{year}-{month}-{last:02d}")
    if not 1 <= int(day) <= last:
        return None
    return Span(text, text)


def _iso(bound: object, fallback: str) -> str:
    # edtf returns struct_time, or +/-inf for open interval ends.
    if not hasattr(bound, "tm_year"):
        return fallback
    year, month, day = bound.tm_year, bound.tm_mon, bound.tm_mday  # type: ignore[attr-defined]
    # edtf accepts days a month does not have, such as 2021-02-29
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"no day {year:04d}-{month:02d}-{day:02d}")
    if year < 0:  # '-001' would not sort as text; no KB date is before the common era
        raise ValueError(f"year {year} is before year 0")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _common_span(text: str) -> Span | None:
    """The span of the commonest level-1 forms without the edtf grammar (~15 ms a date):
    a plain date qualified as a whole (2023-02?, 2020~, 2021-06-17%), or an interval of two
    plain dates in order. The strict bounds of a qualified date are those of the date itself.
    Anything else (None) goes to the edtf package."""
    if text[-1:] in ("?", "~", "%"):
        return _plain_span(text[:-1])
    first, slash, last = text.partition("/")
    if not slash:
        return None
    start, end = _plain_span(first), _plain_span(last)
    if start is None or end is None or start.start > end.end:
        return None
    return Span(start.start, end.end)


def parse_edtf(text: str) -> Span:
    """Parse a KB date (EDTF level 0/1) into its span; raise DateError if it is not EDTF."""
    if not text.isascii():
        raise DateError(_not_ascii(text))
    if any(c.isspace() for c in text):  # the edtf grammar would skip it; the date would keep it
        raise DateError(f"{text!r} holds white space: EDTF dates are written without it; "
                        f"write {''.join(text.split())!r}")
    plain = _plain_span(text) or _common_span(text)
    if plain is not None:
        return plain
    first, slash, last = text.partition("/")
    if slash and bool(first) != bool(last):
        # An unknown end (`/2023-02`, `2020/`): the edtf package puts it ten years from the
        # other end, which no article says; the span stays open on that side, as with `..`.
        return parse_edtf(f"{first or '..'}/{last or '..'}")
    try:
        with _quiet():
            parsed = _edtf_parse(text)
            # some forms the grammar takes fail here ("2020-X1-05": Couldn't convert X1 to int)
            bounds = (parsed.lower_strict(), parsed.upper_strict())
    except Exception as exc:  # the edtf package raises its own EDTFParseException and others
        raise DateError(_explain(text)) from exc
    years = [b.tm_year for b in bounds if hasattr(b, "tm_year")]  # open ends have none
    if any(year > LAST_YEAR for year in years):
        # Spans compare as ISO text, which holds only for four-digit years: a later year is
        # refused rather than compared wrongly (Y10000 would sort before 2000).
        raise DateError(f"{text!r} is after the year {LAST_YEAR}; nkb's dates run from the "
                        f"year {FIRST_YEAR} to {LAST_YEAR}")
    if any(year < FIRST_YEAR for year in years):
        raise DateError(f"{text!r} reaches back to the year 0; nkb's dates run from the year "
                        f"{FIRST_YEAR} to {LAST_YEAR} (write the year the article gives; a day "
                        "of no known year, such as XXXX-12-25, cannot be placed in time)")
    try:
        span = Span(_iso(bounds[0], EARLIEST), _iso(bounds[1], LATEST))
    except Exception as exc:  # e.g. a day that does not exist in its month
        raise DateError(_explain(text)) from exc
    if span.start > span.end:
        raise DateError(f"{text!r} ends before it starts; write the earlier date first")
    return span


def parse_query_date(text: str) -> Span:
    """Parse a date typed on the command line: 2020, 2023-02, 2024-05-10 or any EDTF form."""
    return parse_edtf(text.strip())


class RangeError(DateError):
    """A date range typed on the command line that cannot be read: `end` says which end is
    malformed ("since" or "until"), or None for a range that runs backwards."""

    def __init__(self, message: str, end: str | None) -> None:
        super().__init__(message)
        self.end = end


def parse_query_range(since: str | None, until: str | None) -> tuple[Span | None, Span | None]:
    """Both ends of a typed range (either may be absent); RangeError if an end is malformed or
    the range begins after it ends (`--since 2024 --until 2020`), so that nothing could match."""
    ends: list[Span | None] = []
    for name, value in (("since", since), ("until", until)):
        try:
            ends.append(parse_query_date(value) if value is not None else None)
        except DateError as exc:
            raise RangeError(str(exc), name) from None
    first, last = ends
    if first is not None and last is not None and not first.overlaps(None, last):
        raise RangeError(f"the range runs backwards: {since} begins after {until} ends; "
                         "swap them", None)
    return first, last


def is_exact_day(text: str) -> bool:
    """True when the date names one known day, with no approximation or uncertainty."""
    return bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text))


def _quiet() -> contextlib.AbstractContextManager[object]:
    """Keep what the edtf package prints off stdout: its grammar prints "trying to
    PartialUnspecified.__init__(...)" for some malformed dates, and nkb's stdout carries only
    data (and, under `nkb mcp`, the protocol)."""
    return contextlib.redirect_stdout(io.StringIO())


def _edtf_parse(text: str) -> Any:
    """The edtf package's parse of a date, printing nothing."""
    import edtf  # deferred: only validation and index building need the full grammar

    with _quiet():
        return edtf.parse_edtf(text)


def _not_ascii(text: str) -> str:
    """Why a date holding a character beyond ASCII is refused, with its 0-9 spelling when the
    character is a digit of another script (fullwidth, Arabic-Indic, ...)."""
    odd = next(c for c in text if not c.isascii())
    name = unicodedata.name(odd, "unnamed character")
    spelled = "".join(str(unicodedata.decimal(c, c)) for c in text)
    fix = f"; write {spelled!r}" if spelled.isascii() else ""
    return (f"{text!r} holds {odd!r} (U+{ord(odd):04X} {name}): EDTF dates are written with "
            f"the digits 0-9{fix}")


def _explain(text: str) -> str:
    return (
        f"{text!r} is not an EDTF date; write e.g. 2024-06-05, 2023-02, 2020, "
        "2023-02-09/2023-02-10, 2020~ (approximate) or 2023-02? (uncertain)"
    )


@dataclass(frozen=True, slots=True)
class Parts:
    """A date as citation formats store it: the known (year, month, day) parts of each end
    (one end for a date, two for an interval), and whether it is approximate or uncertain."""

    ends: tuple[tuple[int, ...], ...]
    approximate: bool = False
    uncertain: bool = False


def date_parts(text: str) -> Parts | None:
    """The parts of a KB date, as precise as it is and no more; None for forms that parts
    cannot hold (an open or unknown end, unspecified digits such as 199X)."""
    text = text.strip()
    qualifier = text[-1:] if text[-1:] in ("?", "~", "%") else ""
    plain = _plain_parts(text[:-1] if qualifier else text)
    if plain is not None:
        return Parts((plain,), approximate=qualifier in ("~", "%"), uncertain=qualifier in ("?", "%"))
    first, slash, last = text.partition("/")
    start, end = _plain_parts(first), _plain_parts(last)
    if slash and start is not None and end is not None:
        return Parts((start, end))
    return _edtf_parts(text)


def _plain_parts(text: str) -> tuple[int, ...] | None:
    if _plain_span(text) is None:  # also refuses days and months that do not exist
        return None
    return tuple(int(piece) for piece in text.split("-"))


def _edtf_parts(text: str) -> Parts | None:
    import edtf  # deferred, as in parse_edtf

    try:
        parsed = _edtf_parse(text)
    except Exception:  # the edtf package raises its own EDTFParseException and others
        return None
    ends = [parsed.lower, parsed.upper] if hasattr(parsed, "upper") else [parsed]
    parts: list[tuple[int, ...]] = []
    approximate = uncertain = False
    for end in ends:
        date = getattr(end, "date", end)  # a qualified end wraps its date
        if type(date) is not edtf.Date:  # open, unknown or unspecified ends have no parts
            return None
        known = _plain_parts(str(date))
        if known is None:
            return None
        parts.append(known)
        approximate |= bool(getattr(end, "is_approximate", False))
        uncertain |= bool(getattr(end, "is_uncertain", False))
        both = bool(getattr(end, "is_uncertain_and_approximate", False))
        approximate, uncertain = approximate or both, uncertain or both
    return Parts(tuple(parts), approximate, uncertain)


# --- certainly or possibly inside a requested range -------------------------------------------

CERTAIN = "certain"  # every day the date can mean lies in the range, and the date is unqualified
POSSIBLE = "possible"  # some day it can mean does, but it may also fall outside
POSSIBLE_MARK = "\u2248"  # ≈: how tables and the timeline mark a POSSIBLE date


def is_qualified(text: str) -> bool:
    """True when the date, or one end of it, is approximate (~), uncertain (?) or both (%):
    the days its span names are then only the likeliest, not the only ones it can mean."""
    return any(mark in text for mark in "?~%")


def range_fit(text: str, span: Span, since: Span | None, until: Span | None) -> str | None:
    """How a date fits the range [since, until]: CERTAIN, POSSIBLE, or None when no day of
    it lies inside. A qualified date is never certain: it may mean days its span does not."""
    if not span.overlaps(since, until):
        return None
    inside = (since is None or span.start >= since.start) and \
        (until is None or span.end <= until.end)
    return CERTAIN if inside and not is_qualified(text) else POSSIBLE


def range_label(since: Span | None, until: Span | None) -> str:
    """A requested range in words: '2020', '2019-2023' (an en dash), 'from 2020-07'."""
    first = _span_label(since, start=True) if since else None
    last = _span_label(until, start=False) if until else None
    if first and last:
        return first if first == last else f"{first}\u2013{last}"
    return f"from {first}" if first else f"until {last}" if last else "all dates"


def _span_label(span: Span, start: bool) -> str:
    day = span.start if start else span.end
    if span.start[5:] == "01-01" and span.end[5:] == "12-31":
        return day[:4]
    if span.start[:7] == span.end[:7] and span.start[8:] == "01" and \
            span.end[8:] == f"{calendar.monthrange(int(span.end[:4]), int(span.end[5:7]))[1]:02d}":
        return day[:7]
    return day
