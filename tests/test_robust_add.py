"""The robustness benchmark's transformations keep what an article says: pairs of quote marks,
apostrophes, quoted words, every word of the text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.robust_add import (
    DATE_HEADERS,
    NBSP,
    Skip,
    blank_line_between,
    earlier_days,
    exact_day,
    hard_wrap,
    later_days,
    mark_roles,
    nbsp_bound,
    on_top,
    pad_lines,
    quote_regions,
    related_block,
    rewrite_quote_marks,
    swap_first_names,
    swap_word,
)

TEXT = ('The envoy said: "We\'re ready." Later "the talks" went on, and the minister\'s aide\n'
        "added: “It is the ministers\u2019 view,” he said.\n"
        "She spoke of ''a new stage''.")


@pytest.mark.parametrize(("opening", "closing"), [('"', '"'), ("“", "”"), ("«", "»")])
def test_quote_marks_rewritten_in_pairs_leaving_apostrophes(opening: str, closing: str) -> None:
    out = rewrite_quote_marks(TEXT, opening, closing)
    assert f"{opening}We're ready.{closing}" in out
    assert f"{opening}the talks{closing}" in out
    assert f"{opening}It is the ministers\u2019 view,{closing}" in out
    assert "minister's aide" in out and "''a new stage''" in out  # apostrophes and '' stay


def test_mixed_and_mismatched_marks_become_one_style() -> None:
    text = "He said “it works\" and \"it ends.”"
    assert rewrite_quote_marks(text, "«", "»") == "He said «it works» and «it ends.»"


def test_low_opening_mark_pairs_with_the_closing_one() -> None:
    assert [role for _, role in mark_roles("Er sagte „ja“ und “nein”.")] == [
        "open", "close", "open", "close"]


def test_a_straight_mark_that_could_open_or_close_is_not_guessed() -> None:
    with pytest.raises(Skip, match="line 2"):
        rewrite_quote_marks('One line.\nA mark " alone between spaces.', "“", "”")


@given(st.lists(st.sampled_from(["word", "it's", "x,", "“a b”", "'q'", "\n"]), max_size=30))
def test_rewriting_changes_only_the_double_marks(parts: list[str]) -> None:
    text = " ".join(parts)
    out = rewrite_quote_marks(text, '"', '"')
    assert len(out) == len(text)
    assert [a for a, b in zip(text, out, strict=True) if a != b] == [
        c for c in text if c in "“”"]


def test_said_rewritten_outside_quotes_only_as_a_whole_word() -> None:
    text = "“I said no,” he said, unsaid words aside. 'They said so,' she said."
    out = swap_word(text, "said", "noted", quote_regions(text))
    assert out == "“I said no,” he noted, unsaid words aside. 'They said so,' she noted."


def test_an_unclosed_quote_shields_the_rest_of_its_paragraph() -> None:
    text = "He said “we said it all\nand she said yes."
    assert swap_word(text, "said", "stated", quote_regions(text)) == (
        "He stated “we said it all\nand she stated yes.")


def test_first_names_respelt_both_ways_outside_quotes() -> None:
    text = "Sergei Lavrov met Maria Zakharova. “Sergey was there,” Dmitry Petrov said."
    out = swap_first_names(text, quote_regions(text))
    assert out == "Sergey Lavrov met Mariya Zakharova. “Sergey was there,” Dmitri Petrov said."


def test_spans_given_as_quoted_are_left_alone() -> None:
    text = "We said it all - said the envoy."
    assert swap_word(text, "said", "noted", [(0, 15)]) == "We said it all - noted the envoy."


def test_blank_line_between_lines_that_follow_each_other() -> None:
    assert blank_line_between("Head\nFirst.\n\nSecond.\n", []) == "Head\n\nFirst.\n\nSecond.\n"


def test_blank_line_refused_where_a_quote_is_hard_wrapped() -> None:
    text = "He said “this goes\non” today."
    with pytest.raises(Skip, match="line 1"):
        blank_line_between(text, quote_regions(text))
    done = "He said: “It is done.\nWe go on,” she said."
    assert blank_line_between(done, quote_regions(done)) == (
        "He said: “It is done.\n\nWe go on,” she said.")


def test_hard_wrap_keeps_every_word_in_lines_of_at_most_72() -> None:
    line = " ".join(f"word{n}" for n in range(60))
    out = hard_wrap(f"Head\n{line}\n", 72)
    assert all(len(row) <= 72 for row in out.split("\n"))
    assert out.split() == f"Head\n{line}\n".split()
    assert out.startswith("Head\nword0 ")


def test_padding_and_nbsp_change_only_white_space() -> None:
    text = "On 12 March the UN met.\n\nIt is a step."
    assert pad_lines(text, NBSP, " ") == f"{NBSP}On 12 March the UN met. \n\n{NBSP}It is a step. "
    bound = nbsp_bound(text)
    assert bound == f"On{NBSP}12{NBSP}March the{NBSP}UN{NBSP}met.\n\nIt{NBSP}is{NBSP}a{NBSP}step."
    assert bound.replace(NBSP, " ") == text


def test_each_date_header_form_prints_its_own_example() -> None:
    for example, form in DATE_HEADERS.items():
        assert form(dt.date(2021, 3, 12)) == example


def test_date_header_wants_an_exact_day() -> None:
    assert exact_day("2021-03-12") == dt.date(2021, 3, 12)
    for truth in ("2021-10-28?", "2024-01", "2016-04-05/2016-04-07", None):
        with pytest.raises(Skip):
            exact_day(truth)


def test_top_lines_go_below_the_stored_date_header() -> None:
    assert on_top(" date 2023-11-09 (AGENCY) Text", ["Home"]) == " date 2023-11-09 Home\n(AGENCY) Text"
    assert on_top(" date 2023-11-09\nText", ["Home"]) == " date 2023-11-09\nHome\nText"
    assert on_top("MOSCOW, June 17. Text", ["Home", "News"]) == "Home\nNews\nMOSCOW, June 17. Text"


def test_other_dates_fall_outside_the_true_one_and_never_after_today() -> None:
    today = dt.date(2021, 4, 1)
    assert later_days("2021-03-12", today) == [dt.date(2021, 3, 15), dt.date(2021, 3, 24)]
    assert all(d > dt.date(2021, 3, 31) for d in later_days("2021-03?", dt.date(2022, 1, 1)))
    assert all(d < dt.date(2021, 3, 12) for d in earlier_days("2021-03-12"))
    with pytest.raises(Skip):
        later_days("2021-03-31", dt.date(2021, 4, 1))
    with pytest.raises(Skip):
        earlier_days(None)
    block = related_block([dt.date(2021, 3, 15)], lambda d, h: f"{d.isoformat()} {h}")
    assert block.startswith("Other news\n2021-03-15 ")


def test_a_mark_that_could_open_or_close_shields_nothing_but_the_rest_still_pair() -> None:
    text = 'A " here, and "he said it" there.'
    assert quote_regions(text) == [(14, 26)]
