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
    SOFT_HYPHEN,
    ZWSP,
    Skip,
    abbreviate_titles,
    around_names,
    around_outlet,
    as_read,
    blank_line_between,
    blockquote_lines,
    br_line_ends,
    british_quotes,
    bullets,
    byline_above_body,
    dateline_case,
    dateline_lower,
    dateline_outlet_lower,
    double_spaces,
    earlier_days,
    entity_ampersand,
    entity_apostrophes,
    entity_quotes,
    entity_spaces,
    exact_day,
    furniture_after_second,
    hard_wrap,
    headline,
    headline_caps,
    headline_past_date_line,
    headline_twice,
    join_paragraphs,
    later_days,
    latest_news_above,
    mark_roles,
    markdown_dateline,
    markdown_link,
    middle_initial,
    name_after_quote,
    name_before_quote,
    nbsp_bound,
    on_top,
    pad_lines,
    paragraph_tags,
    present_tense,
    quote_regions,
    related_block,
    respace_dashes,
    rewrite_quote_marks,
    social_post_line,
    split_long_words,
    surname_caps,
    swap_first_names,
    swap_word,
    typographic_apostrophes,
    updated_lines,
    weekday_header,
    weekday_in_head,
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


# --- round two ---------------------------------------------------------------------------------

LEAD = "MOSCOW, June 17. /Wire/. Talks on the border will go on, envoy Ivan Petrov told reporters.\n"
SECOND = "The group has met eight times in the two capitals since it was set up two years ago.\n"
THIRD = "Both sides are ready for the next round, which is planned for the autumn in the north.\n"


def test_british_quotes_swap_the_levels_and_leave_apostrophes() -> None:
    text = "He said: “We\u2019re ready for \u2018a new stage\u2019 of the talks.” It's ''done''."
    assert british_quotes(text, "\u2018", "\u2019") == (
        "He said: \u2018We\u2019re ready for “a new stage” of the talks.\u2019 It's \u2018done\u2019.")
    straight = 'He said: "We\'re ready for \'a new stage\' of the talks."'
    assert british_quotes(straight, "'", "'") == (
        "He said: 'We're ready for \"a new stage\" of the talks.'")


def test_british_quotes_refuse_a_mark_they_cannot_place() -> None:
    with pytest.raises(Skip):
        british_quotes('A mark " alone between spaces.', "\u2018", "\u2019")


def test_present_tense_outside_quotes_and_not_after_an_auxiliary() -> None:
    text = "“We said it,” he said. She added that he has said so and noted it; it was stressed."
    assert present_tense(text, quote_regions(text)) == (
        "“We said it,” he says. She adds that he has said so and notes it; it was stressed.")


def test_attribution_moves_before_and_after_the_quote() -> None:
    after = "Talks went on. “We are ready to help,” Ivan Petrov said. “It works,” he said."
    before = "Talks went on. Ivan Petrov said: “We are ready to help.” He said: “It works.”"
    assert name_before_quote(after) == before
    assert name_after_quote(before) == after


def test_attribution_left_alone_where_the_form_does_not_fit() -> None:
    for text in ("“We are ready,” said Ivan Petrov.", "“We are ready,” Petrov said on Monday.",
                 "He spoke of “the plan,” Petrov said.", "Petrov said: “We are ready”, and left."):
        assert name_before_quote(text) == text
        assert name_after_quote(text) == text


def test_furniture_goes_after_the_second_body_paragraph() -> None:
    text = "Envoys meet on the border question\n" + LEAD + SECOND + THIRD
    out = furniture_after_second(text, "Advertisement", [])
    assert out == "Envoys meet on the border question\n" + LEAD + SECOND + "Advertisement\n" + THIRD
    spaced = LEAD + "\n" + SECOND + "\n" + THIRD
    assert furniture_after_second(spaced, "Advertisement", []) == (
        LEAD + "\n" + SECOND + "\nAdvertisement\n\n" + THIRD)


def test_furniture_never_splits_a_quote() -> None:
    text = LEAD + "“We are ready to help both sides reach an agreement on the border.\n" + \
        "We proceed from the need for a stable peace in the whole region,” he said.\n" + THIRD
    with pytest.raises(Skip, match="inside a quote"):
        furniture_after_second(text, "Advertisement", quote_regions(text))
    with pytest.raises(Skip):
        furniture_after_second(LEAD + SECOND, "Advertisement", [])


def test_weekday_written_before_the_true_day_in_the_head() -> None:
    assert weekday_in_head(LEAD, "2021-06-17").startswith("MOSCOW, Thursday, June 17. /Wire/.")
    header = "17 Jun 2021 09:56\n" + LEAD
    assert weekday_in_head(header, "2021-06-17").startswith("Thursday, 17 Jun 2021 09:56\n")
    with pytest.raises(Skip):
        weekday_in_head(LEAD, "2021-06-18")  # the head prints another day
    with pytest.raises(Skip, match="already"):
        weekday_in_head("Thursday, 17 June 2021\n" + LEAD, "2021-06-17")
    assert weekday_header(dt.date(2021, 3, 12)) == "Friday, 12 March 2021"


def test_dateline_city_respelt_in_title_case_or_capitals() -> None:
    assert dateline_case(LEAD, "title").startswith("Moscow, June 17. /Wire/.")
    caps_month = "YEREVAN, 28 OCTOBER, WIRE. The group met."
    assert dateline_case(caps_month, "title") == "Yerevan, 28 October, WIRE. The group met."
    titled = " date 2021-06-17 Yerevan /Wire/. The group met."
    assert dateline_case(titled, "upper") == " date 2021-06-17 YEREVAN /Wire/. The group met."
    with pytest.raises(Skip):
        dateline_case(titled, "title")
    with pytest.raises(Skip):
        dateline_case("Talks went on today in the capital of the country.", "upper")


def test_join_paragraphs_joins_the_two_after_the_lead() -> None:
    text = LEAD + SECOND + THIRD
    assert join_paragraphs(text, []) == LEAD + SECOND.rstrip("\n") + " " + THIRD


def test_join_paragraphs_passes_over_a_quote_that_goes_on() -> None:
    open_quote = "“We are ready to help both sides reach an agreement on the border question.\n"
    going_on = "“We proceed from the need for a stable peace in the whole region,” he said.\n"
    text = LEAD + open_quote + going_on + THIRD
    out = join_paragraphs(text, quote_regions(text))
    assert out == LEAD + open_quote + going_on.rstrip("\n") + " " + THIRD
    with pytest.raises(Skip):
        join_paragraphs(LEAD + open_quote + going_on, quote_regions(LEAD + open_quote + going_on))


def test_join_paragraphs_keeps_a_transcript_turn_on_its_own_line() -> None:
    turn = "Ivan Petrov: Yes, the talks will go on in the spring, and both sides are ready.\n"
    with pytest.raises(Skip):
        join_paragraphs(LEAD + SECOND + turn, [])


def test_headline_is_found_above_the_lead_only() -> None:
    text = "Home\nEnvoys meet again on the border question\n" + LEAD + SECOND
    start, end = headline(text)
    assert text[start:end] == "Envoys meet again on the border question"
    with pytest.raises(Skip):
        headline(LEAD + "Envoys meet again on the border question\n")  # below the lead
    with pytest.raises(Skip):
        headline("12 March 2021, 14:25 the envoys met again\n" + LEAD)  # a date line


def test_headline_printed_twice_and_swapped_with_its_date_line() -> None:
    title = "Envoys meet again on the border question"
    text = f"{title}\n17 June 2021 09:56\n{LEAD}"
    assert headline_twice(text) == f"{title}\n{text}"
    assert headline_past_date_line(text) == f"17 June 2021 09:56\n{title}\n{LEAD}"
    assert headline_past_date_line(f"17 June 2021 09:56\n{title}\n{LEAD}") == text
    with pytest.raises(Skip, match="no date line"):
        headline_past_date_line(f"{title}\n{LEAD}")


def test_byline_goes_right_above_the_lead() -> None:
    text = "Envoys meet again on the border question\n" + LEAD + SECOND
    assert byline_above_body(text, "By Anna Orlova") == (
        "Envoys meet again on the border question\nBy Anna Orlova\n" + LEAD + SECOND)
    fused = " date 2021-06-17 " + LEAD
    assert byline_above_body(fused, "By Anna Orlova") == " date 2021-06-17 By Anna Orlova\n" + LEAD


def test_latest_news_list_on_top_with_its_dates() -> None:
    out = latest_news_above(" date 2021-06-17\n" + LEAD, [dt.date(2021, 6, 20)])
    assert out.startswith(" date 2021-06-17\nLatest news\n20 June 2021 ")
    assert out.endswith("\n" + LEAD)


# --- round three ------------------------------------------------------------------------------


def test_apostrophes_inside_words_rewritten_both_ways_and_quote_marks_kept() -> None:
    text = "Russia's envoy said 'we don't know' and \u2018it\u2019s late\u2019."
    typographic = typographic_apostrophes(text, "\u2019")
    assert typographic == "Russia\u2019s envoy said 'we don\u2019t know' and \u2018it\u2019s late\u2019."
    assert typographic_apostrophes(typographic, "'") == (
        "Russia's envoy said 'we don't know' and \u2018it's late\u2019.")


@pytest.mark.parametrize("mark", [ZWSP, SOFT_HYPHEN])
def test_long_words_split_outside_quotes_only(mark: str) -> None:
    text = 'Envoy Petrov discussed negotiations: "the negotiations continue," he said.'
    out = split_long_words(text, mark, quote_regions(text))
    assert out == (f'Envoy Pet{mark}rov disc{mark}ussed negoti{mark}ations: '
                   '"the negotiations continue," he said.')
    assert out.replace(mark, "") == text


@given(st.lists(st.sampled_from(["word", "Petrov", "negotiations", "\u201ca b\u201d", " ", "\n"]),
                max_size=30))
def test_split_long_words_adds_nothing_but_the_mark(parts: list[str]) -> None:
    text = "".join(parts)
    assert split_long_words(text, ZWSP, quote_regions(text)).replace(ZWSP, "") == text


def test_doubled_spaces_only_between_words() -> None:
    text = "The envoy  said.\n  Talks go on \n"
    assert double_spaces(text) == "The  envoy  said.\n  Talks  go  on \n"
    assert double_spaces(text).split() == text.split()


def test_spaced_dashes_respelt_outside_quotes_and_hyphens_kept() -> None:
    text = 'Armenian-Azerbaijani talks - he said - go on: "yes - soon," he added \u2014 later.'
    regions = quote_regions(text)
    assert respace_dashes(text, ["-"], "en", regions) == (
        'Armenian-Azerbaijani talks \u2013 he said \u2013 go on: "yes - soon," he added \u2014 later.')
    assert respace_dashes(text, ["en", "em"], "-", regions) == (
        'Armenian-Azerbaijani talks - he said - go on: "yes - soon," he added - later.')


def test_told_reporters_respelt_outside_quotes() -> None:
    text = 'Petrov told reporters: "I told reporters nothing."'
    assert swap_word(text, "told reporters", "said at a briefing", quote_regions(text)) == (
        'Petrov said at a briefing: "I told reporters nothing."')


def test_social_post_line_is_dated_before_the_true_date() -> None:
    assert social_post_line("2021-03-12") == "\u2014 Olga Orlova (@orlova_o) March 3, 2021"
    assert social_post_line("2021-03") == "\u2014 Olga Orlova (@orlova_o) February 20, 2021"
    with pytest.raises(Skip):
        social_post_line(None)


def test_updated_line_one_day_later_beside_the_date_line() -> None:
    day = dt.date(2021, 12, 31)
    printed, updated = "31 December 2021, 14:25", "Updated: 1 January 2022, 09:10"
    assert updated_lines(day, "below") == [printed, updated]
    assert updated_lines(day, "above") == [updated, printed]
    assert updated_lines(day, "same line") == [f"{printed} | {updated}"]


def test_dateline_city_in_lower_case() -> None:
    assert dateline_lower(" date 2021-06-17\n" + LEAD + SECOND) == (
        " date 2021-06-17\n" + LEAD.replace("MOSCOW", "moscow") + SECOND)
    assert dateline_lower("Yerevan /Wire/. " + SECOND) == "yerevan /Wire/. " + SECOND
    with pytest.raises(Skip):
        dateline_lower(SECOND)


# --- round four -----------------------------------------------------------------------------


PAGE = (" date 2021-03-12\n"
        "Envoys of both countries meet again in the capital\n"
        "MOSCOW, March 12. /TASS/. Foreign Minister Anna Petrova met the Ambassador of the "
        "neighbouring country on Friday and talked about Russia's role.\n"
        "\u201cWe are ready to help,\u201d Anna Petrova said after the meeting in the capital "
        "that evening.\n"
        "Talks between Armenia and Azerbaijan will go on next month in the same format, "
        "she added.\n")
NAMES = ["Anna Petrova"]


def test_entity_rewrites_read_back_as_the_text() -> None:
    for opening, closing in (("&quot;", "&quot;"), ("&ldquo;", "&rdquo;")):
        out = entity_quotes(PAGE, opening, closing)
        assert "\u201c" not in out and out.count(opening) >= 1
    assert as_read(entity_quotes(TEXT, "&#8220;", "&#8221;")) == rewrite_quote_marks(TEXT, "“", "”")
    assert "Russia&#39;s" in entity_apostrophes(PAGE, "&#39;")
    assert as_read(entity_apostrophes(PAGE, "&#39;")) == PAGE
    assert "Russia&rsquo;s" in entity_apostrophes(PAGE, "&rsquo;")
    assert as_read(entity_spaces(PAGE)) == nbsp_bound(PAGE)
    out = entity_ampersand(PAGE, quote_regions(PAGE))
    assert "Armenia &amp; Azerbaijan" in out and as_read(out).count("&") == 1


def test_entity_ampersand_skips_a_text_with_no_and_before_a_capital() -> None:
    with pytest.raises(Skip):
        entity_ampersand("He came and went.", [])


def test_tags_and_markdown_read_back_as_the_text() -> None:
    regions = quote_regions(PAGE)
    changed = [paragraph_tags(PAGE), br_line_ends(PAGE), blockquote_lines(PAGE),
               around_names(PAGE, NAMES, "<strong>", "</strong>", regions),
               around_outlet(PAGE, "TASS", regions), markdown_link(PAGE, NAMES, regions),
               around_names(PAGE, NAMES, "**", "**", regions), markdown_dateline(PAGE)]
    for out in changed:
        assert out != PAGE
        assert as_read(out) == PAGE
        assert out.startswith(" date 2021-03-12\n")  # the stored header is not the site's


def test_names_are_marked_outside_quotes_only() -> None:
    text = 'Anna Petrova spoke. "Anna Petrova is right," he said.'
    out = around_names(text, NAMES, "<strong>", "</strong>", quote_regions(text))
    assert out == 'Anna Petrova spoke. "Anna Petrova is right," he said.'.replace(
        "Anna Petrova spoke", "<strong>Anna Petrova</strong> spoke", 1)
    with pytest.raises(Skip):
        around_names('"Anna Petrova," he said.', NAMES, "**", "**",
                     quote_regions('"Anna Petrova," he said.'))


def test_markdown_dateline_puts_city_and_date_in_bold() -> None:
    assert "**MOSCOW, March 12**. /TASS/." in markdown_dateline(PAGE)
    with pytest.raises(Skip):
        markdown_dateline("No dateline here at all, only a sentence.\n")


def test_name_variants() -> None:
    regions = quote_regions(PAGE)
    assert middle_initial(PAGE, NAMES, regions).count("Anna V. Petrova") == 2
    assert surname_caps(PAGE, NAMES, regions).count("Anna PETROVA") == 2
    out = abbreviate_titles("Deputy Foreign Minister A met the Ambassador. \"Ambassador B,\" he said.",
                            [])
    assert out.startswith("Deputy FM A met the Amb.")
    text = '"The Foreign Minister knows," he said.'
    with pytest.raises(Skip):
        abbreviate_titles(text, quote_regions(text))


def test_bullets_leave_quote_continuations_alone() -> None:
    text = ("Head line of the page\n"
            "The minister spoke at length on Friday about the talks that will go on soon.\n"
            "\u201cWe will go on with the talks as planned and in the same format as before\n"
            "\u201cand we expect the other side to come to the table next month,\u201d he said.\n")
    out = bullets(text, "\u2022 ", quote_regions(text))
    assert out.count("\u2022 ") == 2
    assert "\n\u201cand we expect" in out
    assert out.replace("\u2022 ", "") == text


def test_headline_caps_and_dateline_outlet_lower() -> None:
    assert "\nENVOYS OF BOTH COUNTRIES MEET AGAIN IN THE CAPITAL\n" in headline_caps(PAGE)
    assert "MOSCOW, March 12. /tass/." in dateline_outlet_lower(PAGE)
    with pytest.raises(Skip):
        dateline_outlet_lower("Yerevan, 12 March (AP) - A sentence of the article follows.\n")
