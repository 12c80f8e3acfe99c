"""Publication dates reasoned from the page: every text here is a short synthetic imitation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkb import dates
from nkb.errors import UsageError
from nkb.reader import article, page, pubdate

TODAY = dt.date(2025, 6, 30)


def date_of(text: str, today: dt.date = TODAY) -> article.DateFinding:
    return article.detect_date(text, today)


def test_header_date_is_taken_when_the_body_agrees() -> None:
    found = date_of(" date 2024-03-05 Talks resumed, the minister said. The 2020 war ended.")
    assert (found.edtf, found.printed) == ("2024-03-05", True)


def test_header_date_contradicted_by_the_body_is_rejected_with_the_reason() -> None:
    text = (" date 2021-03-05 Talks resumed, the minister said.\n"
            "The ceasefire signed on 14 May 2023 held.")
    found = date_of(text)
    assert found.edtf == "2023-05-14/2025-06-30"
    assert found.basis.startswith("TODO confirm: ")
    assert "rejected" in found.basis and "14 May 2023" in found.basis


@pytest.mark.parametrize("header", ["2031-01-01", "2023-02-30"])
def test_header_date_after_today_or_off_the_calendar_is_rejected(header: str) -> None:
    found = date_of(f" date {header} Talks resumed, the minister said in 2019.")
    assert found.edtf == "2019-01-01/2025-06-30"
    assert "rejected" in found.basis


def test_a_future_date_in_the_body_contradicts_nothing() -> None:
    text = " date 2024-03-05 The sides will meet on 5 May 2024, the minister said."
    assert date_of(text).edtf == "2024-03-05"


def test_dates_after_the_body_never_count() -> None:
    text = (" date 2022-04-01 Talks resumed in 2021, the minister said at length today.\n\n"
            "RELATED POSTS\nSummit held on 3 March 2024\n\u00a9 2025 Wire Ltd. All rights reserved")
    assert date_of(text).edtf == "2022-04-01"


def test_a_related_headline_inside_the_body_is_not_read() -> None:
    text = (" date 2022-04-01 Talks resumed in 2021, the minister said, adding more words here.\n"
            "Politics | 2024-02-19 16:03:56 Summit announced for the spring\n"
            "The ministry said its work goes on.")
    assert date_of(text).edtf == "2022-04-01"


HEADLINES_LEAD = ("MOSCOW, June 17. /WIRE/. Talks on the border will go on, envoy Pavel Ivanov told "
        "reporters.\n\"We are ready to help both sides,\" he said.\n")


@pytest.mark.parametrize("above", [
    "Latest news\n20 June 2021 Ministry comments on the border talks\n"
    "29 June 2021 Transport links discussed at a working group\n",
    "12.05.2020 Ministry comments on the border talks\n"
    "2020-05-18 10:15 Transport links discussed at a working group\n",
    "Most read\nMinistry comments on the border talks - 3 May 2019\n",
])
def test_a_list_of_other_headlines_above_the_article_dates_nothing(above: str) -> None:
    assert date_of(above + HEADLINES_LEAD).edtf == "../2025-06-17"
    assert page.detect_outlet(above + HEADLINES_LEAD).outlet == "WIRE"


def test_the_page_own_title_line_with_its_date_still_dates_it() -> None:
    found = date_of("Envoys meet on the border question - 17 June 2021\n" + HEADLINES_LEAD)
    assert found.edtf == "2021-06-17"


def test_a_weekday_in_present_tense_narrows_the_year_too() -> None:
    text = ("MOSCOW, June 17. /WIRE/: Tension eased, spokeswoman Olga Petrova says on Thursday.\n"
            "The group last met in March 2021.\n")
    assert date_of(text, dt.date(2026, 12, 1)).edtf == "2021-06-17"


def test_a_statement_late_on_one_day_may_be_printed_the_next() -> None:
    text = ("MOSCOW, June 18. /WIRE/: Tension eased, spokeswoman Olga Petrova said late on "
            "Thursday.\nThe group last met in March 2021.\n")
    found = date_of(text, dt.date(2026, 12, 1))
    assert found.edtf == "2021-06-18/2026-06-18"  # a Friday in 2021, a Thursday in 2026
    assert "Thursday or Friday" in found.basis


def test_a_read_also_link_between_paragraphs_does_not_end_the_body() -> None:
    text = ("MOSCOW, June 17. /WIRE/. Talks on the border go on, envoy Pavel Ivanov told "
            "reporters.\nRead also: Envoys to meet again next month\n"
            "The group last met in March 2021 in the capital, and both sides agreed to keep "
            "the talks going.\n")
    assert date_of(text, dt.date(2026, 12, 1)).edtf == "2021-06-17/2026-06-17"
    ended = text.replace("\nThe group", "\nThis website uses cookies. The group")
    assert date_of(ended, dt.date(2026, 12, 1)).edtf == "../2026-06-17"


def test_no_clue_at_all_gives_up_to_today() -> None:
    found = date_of("The minister spoke at a briefing today.")
    assert found.edtf == "../2025-06-30"
    assert found.basis.startswith("TODO confirm: ")


def test_byline_date_checked_against_its_weekday() -> None:
    body = "The minister said that the talks between the two sides go on, at length."
    good = f"Wire staff\nWednesday, 17 April 2024, 13:14\n{body}"
    bad = f"Wire staff\nFriday, 17 April 2024, 13:14\n{body}"
    assert date_of(good).edtf == "2024-04-17"
    assert date_of(bad).edtf != "2024-04-17"


def test_weekday_fixes_the_year_of_a_dateline_day() -> None:
    text = ("SOCHI, June 17. /NEWSWIRE/: Tension fell, the envoy said on Thursday.\n"
            "Clashes began on September 27, 2020.")
    found = date_of(text)
    assert found.edtf == "2021-06-17"
    assert "Thursday" in found.basis and found.basis.startswith("TODO confirm: ")


def test_weekday_with_several_years_left_gives_their_interval() -> None:
    text = "SOCHI, June 17. /NEWSWIRE/: Tension fell, the envoy said on Thursday. It began in 2009."
    found = date_of(text)
    assert found.edtf == "2010-06-17/2021-06-17"
    assert "2010, 2021" in found.basis


def test_weekday_reasoning_is_bounded_by_today() -> None:
    text = "SOCHI, June 17. /NEWSWIRE/: Tension fell, the envoy said on Friday. It began in 2022."
    # 17 June is a Friday in 2022 and in 2033; only 2022 is not after today
    assert date_of(text).edtf == "2022-06-17"


def test_today_with_a_day_and_month() -> None:
    text = "Talks resumed today (25 May), the envoy said, recalling the war of 2020 at length."
    found = date_of(text)
    assert found.edtf == "2020-05-25/2025-05-25"


def test_dateline_day_takes_the_year_of_the_page_date() -> None:
    text = " date 2024-01-02 GYUMRI, December 30. /ARMWIRE/. The envoy said talks go on."
    found = date_of(text)
    assert (found.edtf, found.printed) == ("2023-12-30", True)


def test_statement_day_from_its_weekday() -> None:
    said = pubdate.statement_day("2023-05-16", "Talks go on, the envoy said on Monday.")
    assert said is not None and said[0] == "2023-05-15"
    assert pubdate.statement_day("2023-05-16", "The envoy will speak on Monday.") is None
    assert pubdate.statement_day("2023-05?", "The envoy said on Monday.") is None


def test_the_clock_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pubdate.TODAY_VARIABLE, "2021-01-01")
    assert pubdate.today() == dt.date(2021, 1, 1)
    assert article.detect_date(" date 2022-04-01 Talks go on.").edtf != "2022-04-01"
    monkeypatch.setenv(pubdate.TODAY_VARIABLE, "soon")
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        pubdate.today()


FRAGMENTS = st.sampled_from([
    " date 2031-05-05 ", " date 2023-02-30 ", " date 2022-04-01 ", "MOSCOW, June 17. /WIRE/. ",
    "Baku/10.02.21/Wire: ", "on Thursday", "said late Tuesday", "in 2019", "on 14 May 2027",
    "February 29", "today (29 February)", "\nRELATED\n", "Politics | 2030-01-01 10:00 Headline",
    "Friday, 17 April 2026, 13:14\n", "\u00a9 2040", "the minister said. ", "2020-22", "\n",
    "Talks go on at length and on and on, the envoy noted in his remarks to the press.",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12), st.dates(dt.date(2015, 1, 1), dt.date(2035, 1, 1)))
def test_no_proposed_date_is_after_today(parts: list[str], today: dt.date) -> None:
    found = article.detect_date("".join(parts), today)
    span = dates.parse_edtf(found.edtf)  # always a valid EDTF date
    assert span.end <= today.isoformat()
    assert found.printed or found.basis.startswith("TODO confirm: ")


BODY = "Talks went on for many hours in the capital, the envoy told the press on the day."


@pytest.mark.parametrize("header", [
    "2021-06-17", "17 June 2021", "June 17, 2021", "17.06.2021", "17/06/2021 14:05",
    "2021/06/17", "17 июня 2021, 14:05", "Thursday, 17 June 2021 - 09:30", "Jun 17, 2021 9:30 AM",
])
def test_header_dates_in_every_common_format(header: str) -> None:
    found = date_of(f"Headline of the piece\n{header}\n{BODY}")
    assert (found.edtf, found.printed) == ("2021-06-17", True)


@pytest.mark.parametrize("header", ["Yesterday, 14:05", "Today, 09:30"])
def test_a_relative_header_date_is_never_taken(header: str) -> None:
    found = date_of(f"Headline of the piece\n{header}\n{BODY}")
    assert not found.printed and found.basis.startswith("TODO confirm: ")
    assert found.edtf == "../2025-06-30"


def test_dateline_weekday_fixes_the_year() -> None:
    # 17 June is a Thursday in 2021 (and in 2027, after today); the body reports 2020 as past.
    found = date_of(f"MOSCOW, Thursday, June 17 - {BODY} The clashes of 2020 were recalled.")
    assert found.edtf == "2021-06-17"
    assert "Thursday in the dateline" in found.basis


def test_dateline_weekday_contradicting_its_year_is_rejected() -> None:
    found = date_of(f"MOSCOW, Friday, June 17, 2021 - {BODY}")
    assert not found.printed and "rejected" in found.basis
    assert found.edtf != "2021-06-17"


@pytest.mark.parametrize("listing", [
    "17.06.2024 Armenia and the envoy discuss the roads\n18.06.2024 Another headline here",
    "Armenia and the envoy discuss the roads - 17 June 2024\nAnother headline - 18 June 2024",
])
def test_dates_in_a_list_of_other_headlines_are_never_the_date(listing: str) -> None:
    found = date_of(f"Envoy speaks on the roads\n\n{BODY}\n\n{listing}")
    assert found.edtf == "../2025-06-30"
    assert found.basis.startswith("TODO confirm: ")


def test_a_dateline_without_outlet_takes_the_year_of_the_page_date() -> None:
    text = f"WIRE-NEWS, Nowhere\nJune 17, 2021 Thursday 4:03 PM EST\nHeadline\nGORIS June 17\n{BODY}"
    assert date_of(text).edtf == "2021-06-17"


# --- common page forms of the date ------------------------------------------------------------

LEAD = ("Talks between the two sides resumed in the capital after a long pause, the minister "
        "said on Thursday.\n")


@pytest.mark.parametrize("header", [
    "Published: 17 June 2021, 14:05",
    "17.06.2021 | 14:05",
    "Jun 17, 2021, 2:05 PM",
    "2021-06-17T14:05:00+03:00",
    "By Anna Lee | June 17, 2021",
    "Posted on June 17, 2021 at 2:05 pm",
    "Thursday, 17 June 2021 14:05",
    "https://news.example/world/2021/06/17/talks-resume/",
    "Updated: 18 June 2021, 09:00 | Published: 17 June 2021, 14:05",
])
def test_printed_header_forms_give_the_day(header: str) -> None:
    found = date_of(f"{header}\n{LEAD}")
    assert (found.edtf, found.printed) == ("2021-06-17", True)


def test_page_address_after_the_body_gives_the_day() -> None:
    found = date_of(f"Headline\n{LEAD}https://news.example/2021/06/17/talks-resume\n")
    assert found.edtf == "2021-06-17"
    assert "address" in found.basis


def test_addresses_of_several_days_or_after_related_links_date_nothing() -> None:
    listed = (f"Headline\n{LEAD}https://news.example/2021/06/17/a\n"
              "https://news.example/2021/06/18/b\n")
    related = f"Headline\n{LEAD}Read also\nhttps://news.example/2021/06/17/other-story\n"
    for text in (listed, related):
        assert date_of(text).edtf == "../2025-06-30"


def test_an_update_alone_bounds_the_date_above_and_is_not_taken_for_it() -> None:
    found = date_of(f"Updated 17 June 2021\n{LEAD}The 2020 war ended.\n")
    assert found.edtf == "2020-01-01/2021-06-17"
    assert found.basis.startswith(pubdate.TODO) and "update" in found.basis


def test_an_update_with_the_datelines_day_gives_the_day() -> None:
    found = date_of(f"Updated 18 June 2021\nMOSCOW, June 17 (Wirefax) - {LEAD}")
    assert found.edtf == "2021-06-17"


def test_time_of_today_alone_dates_nothing() -> None:
    assert date_of(f"Today, 14:05\n{LEAD}").edtf == "../2025-06-30"


def test_wire_dateline_with_weekday_in_the_lead_fixes_the_year() -> None:
    # 17 June is a Thursday in 2021 only, of 2020-2025
    found = date_of(f"MOSCOW, June 17 (Reuters) - {LEAD}The 2020 war ended.\n")
    assert found.edtf == "2021-06-17"
    assert found.basis.startswith(pubdate.TODO)


def test_dates_after_the_body_or_after_today_are_never_taken() -> None:
    texts = [f"Headline\n{LEAD}Related:\nOther talks - 18 June 2021\n",
             f"June 17, 2031\n{LEAD}", f"{LEAD}\u00a9 2024 Example News\n"]
    for text in texts:
        assert date_of(text).edtf == "../2025-06-30"


# --- page furniture after the body ----------------------------------------------------------

DATED = ("Published: 17 June 2021, 14:05\nMOSCOW, June 17 (Wirefax) - Talks between the two "
         "sides resumed in the capital after a long pause, the minister said on Thursday.\n")


@pytest.mark.parametrize("after", [
    "Armenia and Azerbaijan sign a deal (June 20, 2021)\n",
    "Popular\nBaku hosts the regional forum on June 20, 2021.\n",
    "Comments (3)\nAnna: I read this on 20 June 2021.\n",
    "Previous article\nBaku hosts the regional forum, June 20, 2021\n",
    "Subscribe to our newsletter\nForum on 20 June 2021 drew crowds.\n",
])
def test_dates_in_page_furniture_after_the_body_do_not_reject_the_printed_date(after: str
                                                                                 ) -> None:
    assert date_of(DATED + after).edtf == "2021-06-17"


def test_a_later_body_date_against_a_printed_day_the_dateline_confirms_is_flagged() -> None:
    found = date_of(DATED + "The forum on 20 June 2021 drew crowds.\n")
    assert found.edtf == "2021-06-17"
    assert found.basis.startswith(pubdate.TODO) and "20 June 2021" in found.basis


def test_popular_as_the_first_word_of_a_sentence_does_not_end_the_body() -> None:
    text = (" date 2021-06-17 Talks resumed, the minister said.\n"
            "Popular protests broke out in the capital after the vote on 20 June 2021, "
            "the agency said.\n")
    assert date_of(text).edtf == "2021-06-20/2025-06-30"


# --- yearless days reported as past ------------------------------------------------------------

_LEAD = "Relations were discussed at length, the deputy minister said in an interview today.\n"


def test_yearless_past_days_after_a_dated_month_bound_the_date_from_their_month() -> None:
    text = (_LEAD + "In December 2023, a round of talks in the capital was called off.\n"
            "The ministry said its work goes on.\n\"The envoy travels often (the latest trips "
            "took place on February 9-10 and February 14-15),\" he said.\n")
    found = date_of(text)
    assert found.edtf == "2024-02/2025-06-30"
    assert found.basis.startswith("TODO confirm: ")
    assert "February 9-10" in found.basis and "December 2023" in found.basis
    assert found.printed is False


@pytest.mark.parametrize("trap", [
    "The ministers will meet on March 3 in the capital.",  # a day to come
    "\"We meet on March 3,\" the minister said.",  # present for the future, a speech verb only
    "The talks were postponed to March 3, the ministry said.",  # a day to come after "to"
])
def test_a_yearless_day_to_come_moves_nothing(trap: str) -> None:
    text = (_LEAD + "In December 2023, a round of talks was called off.\n"
            "The ministry said its work goes on.\n" + trap + "\n")
    assert date_of(text).edtf == "2023-12-01/2025-06-30"


@pytest.mark.parametrize("trap", [
    "The sides recalled the statement signed on November 9 by the three leaders.",
    "The war that began on September 27 was recalled.",
    "On May 5 last year the ministers met in the capital.",
    "The ministers met on March 3 to mark the anniversary.",
    "The ministers met on March 3.\nThat round, on 3 March 2021, was short.",
    "\"It was different in 2019.\nOn March 5 we met in the capital,\" he recalled.",
])
def test_a_yearless_day_likely_of_an_earlier_year_moves_nothing(trap: str) -> None:
    text = (_LEAD + "In December 2023, a round of talks was called off.\n"
            "The ministry said its work goes on.\n" + trap + "\n")
    assert date_of(text).edtf == "2023-12-01/2025-06-30"


def test_a_yearless_day_in_a_headline_list_after_the_body_moves_nothing() -> None:
    text = (_LEAD + "In December 2023, a round of talks was called off.\n\n"
            "RELATED NEWS\nMinisters met in the capital on March 3\n")
    assert date_of(text).edtf == "2023-12-01/2025-06-30"


def test_a_yearless_day_in_a_paragraph_about_an_earlier_year_moves_nothing() -> None:
    text = (_LEAD + "In December 2023, a round of talks was called off.\n"
            "\"In 2019 it was different: on March 5 we met in the capital,\" he recalled.\n")
    assert date_of(text).edtf == "2023-12-01/2025-06-30"


def test_a_yearless_past_day_that_would_fall_after_today_moves_nothing() -> None:
    text = (_LEAD + "In May 2025, talks were called off.\nThe ministry said its work goes on.\n"
            "The last visit took place on July 3.\n")
    assert date_of(text).edtf == "2025-05-01/2025-06-30"


def test_a_yearless_past_day_narrows_the_years_of_a_dateline_day() -> None:
    text = ("MOSCOW, March 12. /TASS/. Relations were discussed, the minister said, adding "
            "that the work goes on.\nIn January 2023, a round of talks was called off.\n"
            "The ministry said its work goes on.\nThe latest round took place on May 5, he said.\n")
    found = date_of(text)
    assert found.edtf == "2024-03-12/2025-03-12"
    assert "May 5" in found.basis


# --- the page address the curator gives -------------------------------------------------------

@pytest.mark.parametrize(("address", "expected"), [
    ("https://example.org/2020/09/11/envoy-speaks/", (2020, 9, 11)),
    ("https://example.org/eng/news/2024/04/17/7451637/", (2024, 4, 17)),
    ("https://example.org/2022/04/envoy-appointed/", (2022, 4, None)),
    ("https://example.org/2022/apr/12/envoy", (2022, 4, 12)),
    ("https://example.org/forum/2011/march-2011/232351-thread?p=232351", (2011, 3, None)),
    ("https://example.org/news/2021-03-12/", (2021, 3, 12)),
    ("https://example.org/news/2021-03-12-envoy-speaks.html", (2021, 3, 12)),
    ("https://example.org/20210312/envoy-1601234567.html", (2021, 3, 12)),
    ("https://example.org/politics/envoy-speaks-20210312.html", (2021, 3, 12)),
])
def test_the_date_a_page_address_carries(address: str, expected: tuple[int, int, int | None]
                                         ) -> None:
    found = pubdate.address_date(address)
    assert found is not None and (found.year, found.month, found.day) == expected


@pytest.mark.parametrize("address", [
    "https://example.org/news/1601234567.html",  # an id, not a date
    "https://example.org/news/2021/envoy-211229.htm",  # a year alone; six digits are no date
    "https://example.org/2021/13/01/envoy",  # no month 13
    "https://example.org/2022/02/30/envoy",  # no 30 February: not even the month is sure
    "https://example.org/2020/09/11/a/2020/09/12/b",  # two days: which is the page's?
    "https://example.org/news/202103121/envoy",  # nine digits: an id
    "https://example.org/a/20110312.html",  # eight digits alone at the end: maybe a number
])
def test_a_page_address_without_one_clear_date_gives_none(address: str) -> None:
    assert pubdate.address_date(address) is None


def test_a_day_in_the_path_gives_the_day_of_a_yearless_dateline() -> None:
    text = ("YEREVAN, September 11. /WIRE/. Relations grew, the ambassador said at length, "
            "recalling the 2016 clashes.\n")
    found = article.detect_date(text, TODAY, "https://example.org/2020/09/11/ambassador/")
    assert (found.edtf, found.printed) == ("2020-09-11", True)
    assert "--url" in found.basis and "/2020/09/11/" in found.basis
    assert date_of(text).edtf == "2016-09-11/2024-09-11"  # the text alone stays open


def test_a_day_in_the_path_contradicted_by_the_text_is_rejected() -> None:
    text = "Talks resumed, the minister said.\nThe ceasefire signed on 14 May 2023 held.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2021/03/05/talks/")
    assert found.edtf == "2023-05-14/2025-06-30"
    assert "rejected" in found.basis and "--url" in found.basis


def test_a_day_in_the_path_after_today_is_rejected() -> None:
    text = "Talks resumed, the minister said in 2019.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2031/03/05/talks/")
    assert found.edtf == "2019-01-01/2025-06-30" and "rejected" in found.basis


def test_a_month_in_the_path_narrows_the_date_to_it() -> None:
    text = "Talks resumed, the minister said in 2019.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2022/04/talks-resumed/")
    assert found.edtf == "2022-04" and found.basis.startswith("TODO confirm: ")
    assert "/2022/04/" in found.basis


def test_a_month_in_the_path_is_cut_by_a_later_past_date_and_today() -> None:
    text = "Talks resumed, the minister said.\nThe ceasefire signed on 14 June 2025 held.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2025/06/talks/")
    assert found.edtf == "2025-06-14/2025-06-30"


def test_a_month_in_the_path_with_the_datelines_day_gives_the_day() -> None:
    text = "MOSCOW, April 16. /WIRE/. Talks resumed, the minister said of the 2019 talks.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2022/04/talks-resumed/")
    assert (found.edtf, found.printed) == ("2022-04-16", True)


def test_a_month_in_the_path_against_a_printed_day_of_another_month_gives_both() -> None:
    text = " date 2022-06-03 Talks resumed, the minister said in 2019.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2022/04/talks-resumed/")
    assert found.edtf == "2022-04-01/2022-06-03" and found.basis.startswith("TODO confirm: ")


def test_a_month_in_the_path_before_a_past_date_of_the_text_is_rejected() -> None:
    text = "Talks resumed, the minister said.\nThe ceasefire signed on 14 May 2023 held.\n"
    found = article.detect_date(text, TODAY, "https://example.org/2022/04/talks/")
    assert found.edtf == "2023-05-14/2025-06-30" and "rejected" in found.basis


# --- the page's own date line, in every common form --------------------------------------------

@pytest.mark.parametrize("header", [
    "12 March 2021, 14:25", "12 March 2021 | 14:25", "March 12, 2021 at 2:25 PM", "Mar 12, 2021",
    "12 Mar 2021", "Friday, March 12, 2021", "Fri, 12 Mar 2021 14:25:00 +0400",
    "2021-03-12 14:25", "2021-03-12T14:25:00+04:00", "12.03.2021 14:25", "14:25 12.03.2021",
    "12.03.2021, 14:25", "Published: 12 March 2021", "Posted on March 12, 2021 by Admin",
    "12 марта 2021", "Mar. 12, 2021", "March 12th, 2021", "FRIDAY, MARCH 12, 2021",
    "14:25, 12 March 2021", "12.03.21", "12.03.21 14:25", "Politics | 12.03.2021",
    "Published 12.03.2021, 14:25 | Updated 12.03.2021, 16:00", "March 12, 2021 \u2022 2 min read",
    "Last updated: 13 March 2021 | Published: 12 March 2021", "2021/03/12", "12-Mar-2021",
    "12 Mar 2021 | 14:25 GMT", "Friday 12 March 2021", "12 March, 2021",
])
@pytest.mark.parametrize("layout_of", ["{header}\n{body}", "Headline of the piece\n{header}\n{body}",
                                       "{header}\nHeadline of the piece\n{body}"])
def test_the_page_date_line_in_every_common_form(header: str, layout_of: str) -> None:
    found = date_of(layout_of.format(header=header, body=BODY))
    assert (found.edtf, found.printed) == ("2021-03-12", True)


@pytest.mark.parametrize("header", ["13/03/2021", "03/13/2021", "13-03-2021"])
def test_a_slashed_date_with_a_part_over_12_has_one_reading(header: str) -> None:
    found = date_of(f"Headline of the piece\n{header}\n{BODY}")
    assert (found.edtf, found.printed) == ("2021-03-13", True)


@pytest.mark.parametrize("header", ["12/03/2021", "03/12/2021", "12-03-2021"])
def test_a_slashed_date_of_two_readings_gives_both_never_a_guess(header: str) -> None:
    found = date_of(f"Headline of the piece\n{header}\n{BODY}")
    assert found.edtf == "2021-03-12/2021-12-03" and not found.printed
    assert found.basis.startswith("TODO confirm: ")
    assert "2021-03-12" in found.basis and "2021-12-03" in found.basis


def test_a_slashed_date_whose_other_reading_is_after_today_has_one_left() -> None:
    found = date_of(f"Headline of the piece\n03/06/2025\n{BODY}")  # 3 June, or 6 March
    assert found.edtf == "2025-03-06/2025-06-03"
    found = date_of(f"Headline of the piece\n06/12/2024\n{BODY}", dt.date(2024, 7, 1))
    assert found.edtf == "2024-06-12" and found.basis.startswith("TODO confirm: ")


def test_a_slashed_date_the_dateline_confirms_gives_the_day() -> None:
    found = date_of(f"12/03/2021\nMOSCOW, March 12. /WIRE/. {BODY}")
    assert (found.edtf, found.printed) == ("2021-03-12", True)


def test_an_update_line_alone_bounds_the_date_above() -> None:
    found = date_of(f"Headline of the piece\nLast updated: 13 March 2021\n{BODY}")
    assert found.edtf == "../2021-03-13" and found.basis.startswith("TODO confirm: ")


@pytest.mark.parametrize("dateline", [
    "BAKU, March 12 (Reuters) -", "MOSCOW, March 12. /TASS/.", "Yerevan, 12.03.21. ARKA.",
    "Baku, Azerbaijan, March 12 (Trend):", "YEREVAN, MARCH 12, ARMENPRESS.",
    "YEREVAN, 12 MARCH, ARMENPRESS.", "Baku, 12 March, AZERTAC", "Baku, March 12, AZERTAC",
    "MOSCOW, March 12 - RIA Novosti.", "Moscow, 12 March (Interfax) -",
    "Baku. 12 March. REPORT.AZ/", "Baku, 12.03.2021 (APA)", "Moscow/12.03.21/Turan:",
    "ANKARA, Mar. 12 (AA) -",
])
def test_datelines_in_every_common_form_give_the_day(dateline: str) -> None:
    text = f"{dateline} {BODY} The clashes of 2020 were recalled.\n"
    found = page.find_dateline(text)
    assert found is not None and (found.month, found.day) == (3, 12)
    assert date_of(text).edtf in ("2021-03-12", "2020-03-12/2025-03-12")


@pytest.mark.parametrize("after", [
    "Comments (2)\nAnna Lee, 14 March 2024 15:00\nWell said.",
    "Leave a Reply\nAnna, 14.03.2024",
    "\u00a9 2024 Wire News. All rights reserved.",
    "Most Read\nEnvoy visits the capital 14.03.2024\nTalks stall 13.03.2024",
    "Envoy visits the capital\n14 March 2024\nTalks stall\n13 March 2024",
    "Share on Facebook\n14.03.2024 15:00",
    "Reply\nAnna Lee says:\nMarch 14, 2024 at 3:00 pm",
])
def test_dates_after_the_body_never_become_the_date(after: str) -> None:
    assert date_of(f"Headline of the piece\n{BODY}\n\n{after}\n").edtf == "../2025-06-30"
    found = date_of(f"Headline of the piece\n12 March 2021\n{BODY}\n\n{after}\n")
    assert found.edtf == "2021-03-12"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("/-_.?#[]:0123456789abcJanMarch")), max_size=60))
def test_any_address_gives_one_real_day_or_month_or_none(tail: str) -> None:
    found = pubdate.address_date(f"https://example.org/{tail}")
    if found is not None:
        assert 1 <= found.month <= 12
        if found.day is not None:
            assert dt.date(found.year, found.month, found.day)


def test_an_address_urllib_cannot_read_gives_no_date() -> None:
    assert pubdate.address_date("http://[example/2021/03/12/talks") is None


@pytest.mark.parametrize(("sentence", "said"), [
    ('Olga Petrova said last week that the talks had "stalled".', "2024-02-26/2024-03-03"),
    ('"We are ready," Pavel Ivanov told reporters yesterday.', "2024-03-04"),
    ('Last month, Ivanov said: "We are ready."', "2024-02"),
    ("Ivanov said earlier this week that talks go on.", "2024-03-04"),
    ("Ivanov said earlier this month that talks go on.", "2024-03-01/2024-03-04"),
])
def test_a_statement_dated_relative_to_the_article(sentence: str, said: str) -> None:
    found = pubdate.statement_day("2024-03-05", sentence)  # a Tuesday
    assert found is not None and found[0] == said


@pytest.mark.parametrize("sentence", [
    '"The talks last week were useful," Ivanov said.',  # the phrase is inside the quote
    "Ivanov said that talks go on.",
])
def test_no_statement_date_from_words_that_date_something_else(sentence: str) -> None:
    assert pubdate.statement_day("2024-03-05", sentence) is None


def test_earlier_this_week_on_a_monday_dates_nothing() -> None:
    assert pubdate.statement_day("2024-03-04", "Ivanov said earlier this week that...") is None


@pytest.mark.parametrize(("stamp", "printed"), [
    ("Published: 14 March 2021", "14 March 2021"), ("Posted on March 14, 2021", "March 14, 2021"),
    ("Date: 14.03.2021 10:15", "14.03.2021")])
def test_a_stamp_below_the_article_contradicting_its_date_makes_it_weak_naming_both(
        stamp: str, printed: str) -> None:
    found = date_of(f"Headline of the piece\n12 March 2021\n{BODY}\n\nShare this\n{stamp}\n")
    assert found.edtf == "[2021-03-12,2021-03-14]"  # one of the two: neither excluded
    assert found.strength == "weak" and found.alternatives == ("2021-03-12", "2021-03-14")
    assert "'12 March 2021'" in found.basis and f"'{printed}'" in found.basis


def test_a_stamp_below_the_article_agreeing_with_its_date_keeps_it_strong() -> None:
    found = date_of(f"Headline of the piece\n12 March 2021\n{BODY}\n\nPublished: 12 March 2021\n")
    assert (found.edtf, found.strength) == ("2021-03-12", "strong")


# --- the date rules, one row each ---------------------------------------------------------------

_SAID = "Talks between the two sides resumed in the capital, the minister said at length.\n"
_URL = "https://news.example/{}/talks-resume/"

# (rule, article, page address given with --url, date, strength); today is TODAY (2025-06-30)
DATE_ROWS: list[tuple[str, str, str | None, str, str]] = [
    ("the page address's month against the printed dates",
     f"Headline\n3 June 2022\n{_SAID}", _URL.format("2022/04"), "2022-04-01/2022-06-03", "weak"),
    ("day and month with the year of a printed date",
     f"Headline\n2 January 2024\nGYUMRI, December 30. /ARMWIRE/. {_SAID}", None, "2023-12-30",
     "medium"),
    ("day and month against the printed dates",
     f"Headline\n2 March 2024\nGYUMRI, December 30. /ARMWIRE/. {_SAID}", None,
     "2024-03-02/2024-03-02", "weak"),
    ("printed on the article", f"Headline\n17 June 2021\n{_SAID}", None, "2021-06-17", "strong"),
    ("printed on the article", f"Headline\n17 June 2021\n{_SAID}", _URL.format("2021/06/17"),
     "2021-06-17", "strong"),  # the address given agrees
    ("printed on the article", f"Updated: 18 June 2021 | Published: 17 June 2021\n{_SAID}",
     None, "2021-06-17", "medium"),  # a clue rejected (the update) leaves it medium at most
    ("printed on the article", f"Headline\n17 June 2021\n{_SAID}\nShare this\n"
     "Published: 19 June 2021\n", None, "[2021-06-17,2021-06-19]", "weak"),  # a stamp below
    ("printed on the article", f"Headline\n17 June 2021\nMOSCOW, June 17. /WIRE/. {_SAID}"
     "The talks of 20 June 2021 were held.\n", None, "2021-06-17", "weak"),  # a later past date
    ("the page address given with --url", f"Headline\n{_SAID}", _URL.format("2021/06/17"),
     "2021-06-17", "medium"),
    ("printed dates that disagree", f"Headline\n17 June 2021\nPosted 19 June 2021\n{_SAID}",
     None, "2021-06-17/2021-06-19", "weak"),
    ("day/month or month/day, settled by the day named",
     f"12/03/2021\nMOSCOW, March 12. /WIRE/. {_SAID}", None, "2021-03-12", "strong"),
    ("day/month or month/day", f"Headline\n12/03/2021\n{_SAID}", None,
     "2021-03-12/2021-12-03", "weak"),
    ("day and month with the year of the update line",
     f"Updated 18 June 2021\nMOSCOW, June 17 (Wirefax) - {_SAID}", None, "2021-06-17", "medium"),
    ("only the update line", f"Headline\nLast updated: 13 March 2021\n{_SAID}", None,
     "../2021-03-13", "weak"),
    ("day and month in the page address's month", f"MOSCOW, April 16. /WIRE/. {_SAID}",
     _URL.format("2022/04"), "2022-04-16", "medium"),
    ("the page address's month", f"Headline\n{_SAID}", _URL.format("2022/04"), "2022-04",
     "weak"),
    ("day and month without a year", "SOCHI, June 17. /WIRE/: Tension fell, the envoy said on "
     "Thursday.\nClashes began on September 27, 2020.\n", None, "2021-06-17", "weak"),
    ("the latest past date to today", f"Headline\n{_SAID}The war ended in 2020.\n", None,
     "2020-01-01/2025-06-30", "weak"),
    ("nothing dated", f"Headline\n{_SAID}", None, "../2025-06-30", "weak"),
]


@pytest.mark.parametrize(("rule", "text", "url", "edtf", "strength"), DATE_ROWS)
def test_each_date_rule_gives_the_date_with_its_strength_and_basis(
        rule: str, text: str, url: str | None, edtf: str, strength: str) -> None:
    found = article.detect_date(text, TODAY, url)
    assert (found.rule, found.edtf, found.strength) == (rule, edtf, strength)
    assert found.basis.removeprefix(pubdate.TODO).startswith(f"{rule}: ")
    assert found.basis.startswith(pubdate.TODO) == (strength == "weak")  # `nkb check` lists it


def test_every_date_rule_has_a_name_a_strength_and_a_test_row() -> None:
    names = [rule.name for rule in pubdate.DATE_RULES]
    assert all(names) and len(set(names)) == len(names)
    assert all(rule.strength in ("strong", "medium", "weak") for rule in pubdate.DATE_RULES)
    assert set(names) <= {row[0] for row in DATE_ROWS}, "a rule without a test row"
    assert {row[0] for row in DATE_ROWS} <= set(names), "a row for no rule"


def test_a_rows_strength_is_never_above_its_rules() -> None:
    rank = {"weak": 1, "medium": 2, "strong": 3}
    registered = {rule.name: rule.strength for rule in pubdate.DATE_RULES}
    assert all(rank[strength] <= rank[registered[rule]] for rule, *_, strength in DATE_ROWS)


def test_the_architecture_doc_lists_every_date_rule() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for rule in pubdate.DATE_RULES:
        assert f"- `{rule.name}`, at most {rule.strength}" in doc
