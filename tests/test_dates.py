"""EDTF dates as spans, and the overlap rule every date filter uses."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkb.dates import DateError, Span, is_exact_day, parse_edtf, parse_query_date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2020", "2020-01-01", "2020-12-31"),
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024-06-05", "2024-06-05", "2024-06-05"),
        ("2023-02-09/2023-02-10", "2023-02-09", "2023-02-10"),
        ("2020/2022", "2020-01-01", "2022-12-31"),
        ("1991/1994?", "1991-01-01", "1994-12-31"),
        ("2020~", "2020-01-01", "2020-12-31"),
        ("2023-02?", "2023-02-01", "2023-02-28"),
        ("2023-02-09%", "2023-02-09", "2023-02-09"),
        ("2020/..", "2020-01-01", "9999-12-31"),
        ("../2020-06", "0000-01-01", "2020-06-30"),
        ("2020-XX", "2020-01-01", "2020-12-31"),
        # an unknown end is open, never a guessed ten years
        ("/2023-02", "0000-01-01", "2023-02-28"),
        ("/2023-02?", "0000-01-01", "2023-02-28"),
        ("2020/", "2020-01-01", "9999-12-31"),
        ("2021-06-17/", "2021-06-17", "9999-12-31"),
    ],
)
def test_parse_edtf_spans(text: str, start: str, end: str) -> None:
    assert parse_edtf(text) == Span(start, end)


@pytest.mark.parametrize(
    "text",
    ["", "yesterday", "20", "2020-1", "2020-13", "2020-00", "2023-02-30", "2021-02-29",
     "2023-04-31?", "2020-02-29/2021-02-29", "2023-02-10/2023-02-09", "2020-06-05T10:00",
     "-0001", "5 June 2024"],
)
def test_invalid_dates_are_refused(text: str) -> None:
    with pytest.raises(DateError):
        parse_edtf(text)


def test_the_error_says_what_is_accepted() -> None:
    with pytest.raises(DateError, match=r"'2020-13' is not an EDTF date; write e.g. 2024-06-05"):
        parse_edtf("2020-13")


def test_reversed_interval_says_so() -> None:
    with pytest.raises(DateError, match="ends before it starts"):
        parse_edtf("2023/2020")


def test_query_dates_ignore_surrounding_space() -> None:
    assert parse_query_date(" 2023-02 ") == parse_edtf("2023-02")


def test_exact_day() -> None:
    assert is_exact_day("2024-06-05")
    assert not is_exact_day("2024-06")
    assert not is_exact_day("2024-06-05?")


# --- overlap: partial dates match any range they touch --------------------------------------


def matches(date: str, since: str | None = None, until: str | None = None) -> bool:
    return parse_edtf(date).overlaps(
        parse_query_date(since) if since else None, parse_query_date(until) if until else None
    )


@pytest.mark.parametrize(
    ("date", "since", "until", "expected"),
    [
        ("2023-02", "2023-02-10", None, True),  # some day of February 2023 is on/after the 10th
        ("2020/2022", "2021", None, True),
        ("2019", "2020", None, False),
        ("2019", None, "2019-01-01", True),
        ("2020", None, "2019-12-31", False),
        ("2023-02-09", "2023-02-09", "2023-02-09", True),
        ("2023-02-09", "2023-02-10", None, False),
        ("2023-02-10", None, "2023-02-09", False),
        ("2020/..", None, "2030", True),
        ("../2020", "2021", None, False),
        ("2023-02?", "2023-03", None, False),
        ("1991/1994?", "1993", "1993", True),
    ],
)
def test_overlap(date: str, since: str | None, until: str | None, expected: bool) -> None:
    assert matches(date, since, until) is expected


def test_no_bounds_match_everything() -> None:
    assert parse_edtf("1988-02").overlaps(None, None)


# --- properties -----------------------------------------------------------------------------

days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(days)
def test_any_valid_day_is_its_own_span(day: datetime.date) -> None:
    text = day.isoformat()
    assert parse_edtf(text) == Span(text, text)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=12))
def test_year_and_month_spans_hold_their_days(year: int, month: int) -> None:
    for text in (f"{year:04d}", f"{year:04d}-{month:02d}"):
        span = parse_edtf(text)
        assert span.start <= span.end
        assert span.start.startswith(text) and span.end.startswith(text)
    last = calendar.monthrange(year, month)[1]
    assert parse_edtf(f"{year:04d}-{month:02d}").end == f"{year:04d}-{month:02d}-{last:02d}"


@given(days, days)
def test_interval_contains_exactly_the_days_between(a: datetime.date, b: datetime.date) -> None:
    low, high = sorted((a, b))
    span = parse_edtf(f"{low.isoformat()}/{high.isoformat()}")
    assert span == Span(low.isoformat(), high.isoformat())
    inside = Span(low.isoformat(), low.isoformat())
    assert span.overlaps(inside, inside)


@given(days, days)
def test_overlap_of_single_days_is_order(day: datetime.date, since: datetime.date) -> None:
    span = parse_edtf(day.isoformat())
    assert span.overlaps(parse_edtf(since.isoformat()), None) is (day >= since)
    assert span.overlaps(None, parse_edtf(since.isoformat())) is (day <= since)
