"""The article reader behind `nkb add`: datelines, quote marks, attribution. All texts here are
short synthetic imitations of the forms wire copy uses."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkb.models import Actor, Role
from nkb.reader import article, attribution, lexicon, page
from nkb.reader import quotes as quoting
from nkb.text import fold, normalise_for_match, strip_markup

ACTORS = [
    Actor(id="ivanov", name="Pavel Ivanov", kind="person", aliases=["Ivanov", "Pavel Ivanoff"],
          roles=[Role(title="Deputy Foreign Minister of Russia", date="2019-05")]),
    Actor(id="petrova", name="Olga Petrova", kind="person", aliases=["Petrova"],
          roles=[Role(title="Spokeswoman of the Russian Foreign Ministry", date="2018")]),
    Actor(id="sidorov", name="Ilya Sidorov", kind="person", aliases=["Sidorov"],
          roles=[Role(title="Deputy Foreign Minister of Russia", date="2023-01")]),
    Actor(id="rus-mfa", name="Russian Foreign Ministry", kind="organisation",
          aliases=["Russian Foreign Ministry", "Russia's Foreign Ministry"]),
    Actor(id="armenia", name="Armenia", kind="state", aliases=["Armenia", "Yerevan"]),
]


TODAY = dt.date(2025, 6, 30)


def speakers(text: str, date: str | None = None) -> list[tuple[str, str | None]]:
    quotes, _, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS, date)
    return [(q.candidate.text, q.speaker) for q in quotes]


# --- dates and outlets ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "edtf", "outlet", "printed"), [
    (" date 2021-03-04 Talks went on, Ivanov said.", "2021-03-04", None, True),
    ("20 Mar 2022 10:15\n\nHeadline here\n\nMINSK. March 20 (Wirefax) - Talks went on.",
     "2022-03-20", "Wirefax", True),
    ("Baku/04.05.22/Kavkaz: Talks went on, Ivanov said.", "2022-05-04", "Kavkaz", True),
    ("Title of the piece, March 3, 2021\n3 March 2021 12:00\nQuestion: Why?\nIvanov: Because.",
     "2021-03-03", None, True),
])
def test_printed_dates(text: str, edtf: str, outlet: str | None, printed: bool) -> None:
    found = article.detect_date(text)
    assert (found.edtf, found.printed) == (edtf, printed)
    assert not found.basis.startswith("TODO")
    assert page.detect_outlet(text, ACTORS).outlet == outlet


def test_tass_dateline_year_from_weekday_and_latest_year() -> None:
    text = ("SOCHI, June 17. /NEWSWIRE/: Tension fell, Petrova said on Thursday.\n"
            "Clashes began on September 27, 2020.")
    found = article.detect_date(text, TODAY)
    # 17 June 2020 is a Wednesday; the first 17 June from 2020 on that is a Thursday is 2021.
    assert found.edtf == "2021-06-17"
    assert found.basis.startswith("TODO confirm: ")
    assert "Thursday" in found.basis
    assert found.dateline == "SOCHI, June 17. /NEWSWIRE/:"
    assert page.detect_outlet(text).outlet == "NEWSWIRE"


def test_upper_case_dateline_without_any_year() -> None:
    text = "GYUMRI, 28 OCTOBER, ARMWIRE. The group met, Petrova said."
    found = article.detect_date(text, TODAY)
    assert found.edtf == "../2024-10-28"
    assert found.basis.startswith("TODO confirm: ")
    assert page.detect_outlet(text).outlet == "ARMWIRE"


def test_day_month_without_weekday_gives_the_years_it_may_be_of() -> None:
    text = "GORIS, September 11. /ARKA2/. The war of April 2016 was recalled."
    found = article.detect_date(text, TODAY)
    assert found.edtf == "2016-09-11/2024-09-11"
    assert found.basis.startswith("TODO confirm: ")


@pytest.mark.parametrize(("text", "outlet"), [
    ("ANKARA (XA) - Russia is ready to help, the spokesman said late Tuesday.", "XA"),
    ("GYUMRI (Newsline.am)\u2014Russia urged Armenia on Wednesday to talk.", "Newsline.am"),
    (" date 2023-10-09 Gyumri /Medianet/. Ivanov said that talks go on.", "Medianet"),
    (" date 2023-11-09 (MENAFN- CaspianNews) Meetings were held, Petrova said, CaspianNews "
     "reports citing Wire.", "CaspianNews"),
])
def test_credit_datelines(text: str, outlet: str) -> None:
    assert page.detect_outlet(text, ACTORS).outlet == outlet


def test_any_syndication_credit_names_the_outlet() -> None:
    text = "(NEWSWIRE- Baku Daily) Talks went on, Ivanov said."
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.basis) == ("Baku Daily", "credit '(NEWSWIRE- Baku Daily)'")


def test_syndication_credit_before_a_dateline_is_skipped() -> None:
    text = "(NEWSWIRE- Baku Daily) GYUMRI (Newsline.am)\u2014Talks went on, Ivanov said."
    dateline = page.find_dateline(text)
    assert dateline is not None and dateline.outlet == "Newsline.am"


@pytest.mark.parametrize("text", [
    "The (Kyiv-based) group said talks went on.",
    "The (Russia-Ukraine talks) went on, Ivanov said.",
])
def test_ordinary_parentheses_are_no_credit(text: str) -> None:
    assert page.detect_outlet(text, ACTORS).outlet is None


def test_no_date_no_dateline_gives_an_open_interval_to_confirm() -> None:
    found = article.detect_date("Russia urged talks on Wednesday. The 2020 war ended.", TODAY)
    assert found.edtf == "2020-01-01/2025-06-30"
    assert found.basis.startswith("TODO confirm: ")


def test_reports_on_gives_outlet_and_day() -> None:
    text = (" Talks go on, Deputy Foreign Minister Pavel Ivanov said in an open interview to the "
            "director of NEWSCO News Agency, Caspwire reports on July 16.\nIn 2019 they met.")
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == ("Caspwire", "NEWSCO")
    assert article.detect_date(text, TODAY).edtf == "2019-07-16/2024-07-16"


@pytest.mark.parametrize(("text", "outlet", "via"), [
    ("Peace is near, Pavel Ivanov told Pressline in an interview.", "Pressline", None),
    ("Peace is near, Ivanov said in an interview with WIRE.", "WIRE", None),
    # lines above the body and a middle initial do not move the article's opening
    ("Home | News | Politics\n12 March 2021, 14:25\nAnna Orlova, Staff Reporter\n"
     "Peace is near, Pavel K. Ivanov told Pressline in an interview.", "Pressline", None),
    ("MOSCOW, May 5. /WIRE/. Peace is near, Ivanov told the Vestnik newspaper.", "WIRE",
     "Vestnik"),
    ("Ivanov's interview with Rossiya Daily, May 5, 2021\nQuestion: Why?\nIvanov: Because.",
     None, "Rossiya Daily"),
])
def test_an_opening_interview_names_the_outlet_only_when_no_publisher_is_named(
        text: str, outlet: str | None, via: str | None) -> None:
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == (outlet, via)


@pytest.mark.parametrize("text", [
    "Talks go on, Ivanov told the UN Security Council.",
    "Ivanov told the OSCE Permanent Council on Thursday that talks go on.",
    "Ivanov told Orlov that talks go on.",
    "UPDATE:\nTalks go on, Ivanov said.",
    "MOSCOW, March 12. Orlov: talks go on.",
    "Ivanov was quoted by his aide as saying that talks go on.",
    "Petrova said on the Telegram channel that talks go on.",
    "Photo: Wire\nTalks go on, Ivanov said.",
    "Today | 12 March 2021\nTalks go on, Ivanov said.",
])
def test_no_outlet_from_bodies_people_or_page_labels(text: str) -> None:
    assert page.detect_outlet(text, ACTORS).outlet is None


@pytest.mark.parametrize(("text", "day", "year"), [
    ("MOSCOW, Thursday, June 17. /WIRE/. Talks go on.", 17, None),
    ("MOSCOW, June 17, 2021. /WIRE/. Talks go on.", 17, 2021),
    ("MOSCOW, Thursday, June 17 (WIRE) - Talks go on.", 17, None),
])
def test_a_weekday_or_a_year_in_the_dateline_keeps_its_credit(
        text: str, day: int, year: int | None) -> None:
    dateline = page.find_dateline(text)
    assert dateline is not None
    assert (dateline.outlet, dateline.day, dateline.year) == ("WIRE", day, year)


NAVIGATION = "Home\nNews\nPolitics\nLog in\nSearch\n"


@pytest.mark.parametrize("above", [NAVIGATION, "Home | News | Politics | Log in\n",
                                   " date 2021-06-17\n" + NAVIGATION])
def test_navigation_above_the_article_does_not_hide_its_dateline_or_credits(above: str) -> None:
    text = (above + "Envoys meet on the border question\n"
            "MOSCOW, June 17. /WIRE/. Talks go on, Pavel Ivanov said in an interview with the "
            "Vestnik news agency.\n\"We are ready to help,\" he said.\n")
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == ("WIRE", "Vestnik")
    assert page.find_dateline(text) is not None


def test_a_dateline_alone_on_its_line_under_navigation_is_no_menu() -> None:
    text = "Home\nNews\nYEREVAN March 11\nTalks go on, the minister said after the meeting today.\n"
    dateline = page.find_dateline(text)
    assert dateline is not None and (dateline.month, dateline.day) == (3, 11)


def test_a_publisher_line_under_a_navigation_bar_is_still_the_publisher() -> None:
    text = ("Home | News | Politics\nCASPWIRE, Azerbaijan\nMarch 3, 2011 Thursday 4:03 PM\n"
            "Talks go on, Pavel Ivanov said.\n")
    assert page.detect_outlet(text, ACTORS).outlet == "CASPWIRE"


WRAPPED_WITH_DATELINE = ("Envoys meet on the border question once more, and the\n"
           "Moscow/12.03.21/Caspwire: Talks on the border will go on for a\n"
           "long while yet, Pavel Ivanov told reporters in the capital on\n"
           "Thursday. \"We are ready to help both sides reach a lasting and\n"
           "just peace, and we will go on helping them for as long as they\n"
           "wish us to,\" he said after the meeting of the working group in\n"
           "the Russian capital, which lasted for more than three hours in all.\n")


def test_hard_wrapping_never_glues_a_line_onto_a_dateline() -> None:
    dateline = page.find_dateline(WRAPPED_WITH_DATELINE)
    assert dateline is not None and dateline.outlet == "Caspwire"


@pytest.mark.parametrize("pad", ["  ", "\u00a0", "\t"])
def test_a_pad_shared_by_every_line_does_not_stop_rejoining_wrapped_lines(pad: str) -> None:
    padded = "".join(pad + line + "\n" for line in WRAPPED_WITH_DATELINE.splitlines())
    quote = next(q for q in texts(padded) if q.startswith("We are ready"))
    assert quote.endswith("wish us to") and "\n" not in quote


def test_no_break_spaces_in_a_credit_read_as_spaces() -> None:
    text = "Talks go on, Pavel Ivanov said.\nBased on\u00a0reporting by\u00a0Caspwire"
    assert page.detect_outlet(text, ACTORS).via == "Caspwire"


def test_a_publisher_line_over_a_headline_and_the_date_is_the_publisher() -> None:
    text = ("CASPWIRE, Azerbaijan\nEnvoy urges calm on the border\nJune 3, 2015 Wednesday 9:10 AM\n"
            "Talks go on, Pavel Ivanov said in an interview with the Vestnik news agency.\n")
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == ("CASPWIRE", "Vestnik")


def test_a_publisher_line_under_a_date_header_is_the_publisher() -> None:
    text = ("12 March 2021, 14:25\nCASPWIRE, Azerbaijan\nMarch 11, 2021 Thursday 4:03 PM\n"
            "Talks go on, Pavel Ivanov said in an interview with the Vestnik news agency.\n")
    assert page.detect_outlet(text, ACTORS).outlet == "CASPWIRE"


def test_doubled_spaces_between_words_cut_no_name_and_no_credit() -> None:
    text = ("Talks  go  on  in  the  capital.\n"
            "\"We  are  ready  to  help  both  sides,\"  the  spokeswoman  Anna  Orlova  said  "
            "after  the  meeting.\n"
            "Based  on  reporting  by  Vestnik\n")
    found = article.extract(text, ACTORS)
    assert [a.name for a in found.new_actors] == ["Anna Orlova"]
    assert found.outlet.via == "Vestnik"


def test_quotes_in_comments_after_the_body_are_not_the_article_s() -> None:
    text = ("MOSCOW, June 17. /WIRE/. Talks go on, Pavel Ivanov told reporters.\n"
            "\"We are ready to help both sides,\" he said.\n"
            "Read also: Envoys to meet again next month\n"
            "\"The border will be drawn,\" Ivanov added.\n"
            "3 comments\nAnna: I fully agree with the minister.\n"
            "Boris: \"Peace now,\" he wrote.\n")
    found = article.extract(text, ACTORS)
    assert [q.candidate.text for q in found.quotes] == [
        "We are ready to help both sides", "The border will be drawn"]
    assert found.new_actors == []


def test_hints_come_from_the_body_only() -> None:
    text = ("Talks resume in Moscow\n12 March 2021, 14:25\n"
            "MOSCOW, March 12 (CASPNEWS) - The ministers of Armenia met on 3 March 2021 in the "
            "capital, and Pavel Ivanov said talks would go on after the summer.\n"
            "Related news\n15 March 2021 Olga Petrova comments on the border\n")
    hints = article.extract(text, ACTORS).hints
    assert any(h.startswith("on 3 March 2021:") for h in hints)
    assert not any("15 March 2021" in h or "14:25" in h for h in hints)
    assert hints[-1] == "actors named: armenia, ivanov"


# --- quote marks ------------------------------------------------------------------------------


def texts(text: str) -> list[str]:
    return [c.text for c in quoting.find_quotes(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ('"We are ready," Ivanov said.', ["We are ready"]),
    ("\u201cWe are ready,\u201d Ivanov said.", ["We are ready"]),
    ("''Sessions were held.'' said Petrova.", ["Sessions were held."]),
    ("\u201cWe are ready,\" Ivanov said.", ["We are ready"]),
    ("\"We are ready,\u201d Ivanov said.", ["We are ready"]),
    ("\u201cWe are ready, \u201dhe said.", ["We are ready"]),
    ("\u00abWe are ready\u00bb, Ivanov said.", ["We are ready"]),
    ('"First part," he said, "second part."', ["First part", "second part."]),
    ("Ivanov added that the treaty will bring peace and calm\u201d in the region.",
     ["Ivanov added that the treaty will bring peace and calm"]),
    ("The ministry said they discussed it \u201cin detail\u201d on Monday.", ["in detail"]),
])
def test_quote_mark_forms(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_quote_running_over_paragraphs_reopened() -> None:
    text = "\u201cFirst paragraph of it.\n\n\u201cSecond paragraph,\u201d he said.\nAfter."
    [quote] = quoting.find_quotes(text)
    assert quote.text == "First paragraph of it. \u201cSecond paragraph"
    assert quote.form == "multi-paragraph"


def test_quote_running_over_paragraphs_closed_only_at_the_end() -> None:
    text = "\u201cFirst paragraph of it.\n\nSecond paragraph,\u201d the diplomat said.\n"
    [quote] = quoting.find_quotes(text)
    assert quote.text == "First paragraph of it. Second paragraph"


def test_unclosed_quote_at_a_truncated_end() -> None:
    assert texts("Ivanov spoke.\n\u201cWe regard the opening as a good exa") == [
        "We regard the opening as a good exa"]


def test_transcript_turns_without_quote_marks() -> None:
    text = ("Interview of Pavel Ivanov\nQuestion: How was the year?\n"
            "Pavel Ivanov: It was busy. We met twice.\nMore of the answer.\n"
            "Question: And next year?\nPavel Ivanov: Calmer, we hope.\n")
    found = quoting.find_quotes(text)
    assert [c.text for c in found] == ["It was busy. We met twice. More of the answer.",
                                      "Calmer, we hope."]
    assert speakers(text) == [(c.text, "ivanov") for c in found]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.\n\"'\u201c\u201d\u00ab\u00bbHe said:")),
               max_size=80))
def test_every_candidate_is_a_verbatim_span(text: str) -> None:
    normalised = normalise_for_match(text)
    for candidate in quoting.find_quotes(text):
        assert normalise_for_match(candidate.text) in normalised
    article.extract(text, ACTORS)  # never crashes


# --- speakers ---------------------------------------------------------------------------------


def test_attribution_by_name_alias_and_inverted_verb() -> None:
    text = ('"One," Ivanov said.\n"Two," said Petrova.\n'
            '"Three," Deputy Foreign Minister Pavel Ivanoff told reporters.')
    assert [s for _, s in speakers(text)] == ["ivanov", "petrova", "ivanov"]


def test_attribution_by_pronoun_and_unattributed_follow_up() -> None:
    text = ('Talks go on, Olga Petrova said on Monday.\n"One," she noted. "Two."\n'
            '"Three," he added.')
    # "he" with no man named: the last person who spoke
    assert [s for _, s in speakers(text)] == ["petrova", "petrova", "petrova"]


def test_pronoun_is_the_last_speaker_not_the_last_person_named() -> None:
    text = ("According to Ivanov, President Vladimir Wolf met Armenia's leader.\n"
            '"Talks will continue," he said.')
    assert speakers(text) == [("Talks will continue", "ivanov")]


def test_attribution_by_role_named_earlier_in_the_article() -> None:
    text = ("Peace is near, Russian Deputy Foreign Minister Ilya Sidorov said. Armenian Prime "
            "Minister Aram Gevorgyan was not there.\n"
            '"We help," the deputy minister also said.\n"We mediate," the deputy FM noted.')
    assert [s for _, s in speakers(text)] == ["sidorov", "sidorov"]


def test_attribution_by_role_from_the_kb_holder_at_the_article_date() -> None:
    text = '"We help," the Russian deputy foreign minister said.'
    assert speakers(text, "2020-06-01") == [("We help", "ivanov")]
    assert speakers(text, "2024-06-01") == [("We help", "sidorov")]


def test_generic_role_noun_is_the_last_speaker() -> None:
    text = ("Talks go on, Foreign Ministry Spokeswoman Olga Petrova said.\n"
            '"Tension fell," the Russian diplomat said.\n'
            '"We confirm it," the Russian Foreign Ministry spokeswoman stressed.')
    assert [s for _, s in speakers(text)] == ["petrova", "petrova"]


def test_institution_attribution() -> None:
    text = ("Russia urges calm, the Russian Foreign Ministry said in a statement.\n"
            '"Stop now," the ministry said. "The deal changed," it said.\n'
            'Earlier, the process "was influenced by others," the ministry said.')
    assert [s for _, s in speakers(text)] == ["rus-mfa"] * 3


def test_according_to_and_reported_that_before_a_quote() -> None:
    text = ('According to Ivanov, "if talks fail, others must act."\n'
            'On May 12, Russia\'s Foreign Ministry reported that troops tried "certain things" '
            'there.')
    assert [s for _, s in speakers(text)] == ["ivanov", "rus-mfa"]


def test_unknown_speaker_is_proposed_with_name_and_role() -> None:
    text = ("Peace matters, Kremlin Spokesman Boris Orlov told reporters.\n"
            '"We help," Orlov said. "We are allies," the presidential spokesman insisted.')
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == ["boris-orlov", "boris-orlov"]
    assert [(a.id, a.name, a.role) for a in new] == [
        ("boris-orlov", "Boris Orlov", "Kremlin Spokesman")]


def test_name_after_a_country_alias_is_the_speaker() -> None:
    text = ('Russian Ambassador to Armenia Gleb Frolov said peace matters.\n'
            '"We are here," he said.')
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [a.name for a in new] == ["Gleb Frolov"]
    assert quotes[0].speaker == "gleb-frolov"


def test_hints_list_dates_and_actors() -> None:
    found = article.extract("Talks go on, Ivanov said.\nOn April 17, Petrova met Ivanov in "
                            "Yerevan.", ACTORS)
    assert any(h.startswith("On April 17:") and "petrova" in h for h in found.hints)
    assert found.hints[-1].startswith("actors named: ")


def test_attribution_to_no_known_actor_proposes_the_words_as_printed() -> None:
    text = ('"We are ready," Ivanov said.\n"The process continues," the Kremlin said.\n'
            '"No comment," a source in the Armenian government told us.\n'
            '"It is calm," said Foreign Ministry spokeswoman Olga Petrova on Friday.')
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == [
        "ivanov", "kremlin", "source-in-the-armenian-government", "petrova"]
    assert [a.kind for a in new] == ["organisation", "person"]


# --- more forms of attribution and credit ------------------------------------------------------


@pytest.mark.parametrize(("text", "speaker"), [
    ('"We expect Petrova and Sidorov to meet soon," Ivanov said.', "ivanov"),
    ('"We expect the sides to meet soon."\nIvanov said this at a briefing.', "ivanov"),
    ('"We expect the sides to meet soon." These words were stated by Ivanov.', "ivanov"),
    ('Ivanov: "We expect the sides to meet soon."', "ivanov"),
    ("Talks matter, Russia's Foreign Ministry said.\n"
     '"We expect the sides to meet," said the ministry\'s statement.', "rus-mfa"),
    ("Russia's Foreign Ministry issued a note.\n"
     'According to the statement, "the sides must meet soon."', "rus-mfa"),
    ('Ivanov spoke at length. "We are ready to help both sides," Radio Vesti reported.', "ivanov"),
    ("Petrova spoke about Ivanov's remarks on Monday, where he said that the talks "
     '\u201cwill go on as planned.\u201d', "ivanov"),
])
def test_attribution_forms(text: str, speaker: str) -> None:
    assert [s for _, s in speakers(text)] == [speaker]


def test_an_outlet_reporting_a_quote_is_never_its_speaker() -> None:
    text = '"We are ready to help both sides," Radio Vesti reported.'
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert quotes[0].speaker is None and new == []


@pytest.mark.parametrize(("text", "outlet", "via"), [
    ("Peace is near, Ivanov said, Wirenews informs.", "Wirenews", None),
    ("Peace is near, Ivanov said, Wirenews's correspondent reports.", "Wirenews", None),
    ("Ivanov said peace is near, with reference to NEWSCO.", None, "NEWSCO"),
    ("Ivanov said peace is near. Based on materials from NEWSCO.", None, "NEWSCO"),
    ("Based on reporting by Wirefax and NEWSCO, Ivanov said peace is near.", None, "Wirefax"),
    ("Peace is near, Ivanov told Radio Vesti.", None, "Radio Vesti"),
    ("Peace is near, Ivanov told RIA Vesti.", None, "RIA Vesti"),
    ("Peace is near, Ivanov said in an interview with Channel Nine.", "Channel Nine", None),
    ("TEHRAN, May 5 (XNA) - Peace is near, Ivanov said.", "XNA", None),
    ("Source: Daily Wire, citing the state news agency NEWSCO\nIvanov said peace is near.",
     None, "NEWSCO"),
    ("GYUMRI, March 20th. /wire/. Ivanov said peace is near.", "wire", None),
])
def test_credit_forms(text: str, outlet: str | None, via: str | None) -> None:
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == (outlet, via)


@pytest.mark.parametrize("text", [
    "The region left the union, citing its right under the old law. Ivanov said so.",
    "Earlier, in an interview with the Vestnik newspaper, Petrova said peace is near.",
])
def test_no_via_from_ordinary_words_or_an_earlier_statement(text: str) -> None:
    assert page.detect_outlet(text, ACTORS).via is None


# --- hard-wrapped text -------------------------------------------------------------------------

WRAPPED = (
    "WIREWIRE, Nowhere\n"
    "June 3, 2019 Monday 9:10 AM EST\n"
    "Envoy urges calm on the border\n"
    "GORIS June 3\n"
    "The opening of the roads \"will bring a wholly new spirit to the\n"
    "talks of the parties,\" Ivanov said on Monday at a press conference\n"
    "held in the capital.\n"
    "After that is done \"we can speak of trust, of rebuilding links and\n"
    "of returning people to their homes,\" he said in an interview with\n"
    "the Vestnik newspaper.\n"
    "\"It is hard to speak of any trust now,\" he said, and then added a few\n"
    "more words about the long history of the dispute between the sides.\n"
)


def test_hard_wrapped_lines_are_rejoined_into_their_paragraphs() -> None:
    flat = page.unwrap(WRAPPED)
    assert len(flat) == len(WRAPPED)
    paragraphs = flat.splitlines()
    assert paragraphs[:4] == WRAPPED.splitlines()[:4]  # header lines and dateline stay apart
    assert paragraphs[4].endswith("held in the capital.")
    assert paragraphs[5].startswith("After that") and paragraphs[5].endswith("newspaper.")
    assert len(paragraphs) == 7


def test_quotes_broken_by_hard_wrapping_are_whole() -> None:
    assert texts(WRAPPED) == [
        "will bring a wholly new spirit to the talks of the parties",
        "we can speak of trust, of rebuilding links and of returning people to their homes",
        "It is hard to speak of any trust now"]
    assert [s for _, s in speakers(WRAPPED)] == ["ivanov"] * 3


def test_hard_wrapped_page_date_and_publisher_lines() -> None:
    found = article.detect_date(WRAPPED, TODAY)
    assert (found.edtf, found.printed) == ("2019-06-03", True)


def test_text_with_long_paragraph_lines_is_not_rewrapped() -> None:
    text = ("Headline of it\n\nShort line.\n" + "A long paragraph of words. " * 10 + "\n"
            "Another line\nand one more\n" * 4)
    assert page.unwrap(text) == text


# --- single marks, dashes and every other quote-mark style -------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("He called it the \u2018next stage of the talks\u2019 on Monday.", ["next stage of the talks"]),
    ("Russia's envoy called it 'a new reality', the parties' views aside.", ["a new reality"]),
    ("We don\u2019t know \u2018which side\u2019 spoke first.", ["which side"]),
    ("In the \u201990s \u2018an era of change\u2019 began.", ["an era of change"]),
    ("Don't say it's over; Armenia's and Russia's views differ.", []),
    ("\u201eWe are ready,\u201c Ivanov said.", ["We are ready"]),
    ("\u00abWe are ready\u00bb, \u2013 said Ivanov.", ["We are ready"]),
    ('"He called it \u2018a new era\u2019 today," Ivanov said.',
     ["He called it \u2018a new era\u2019 today"]),
])
def test_more_quote_mark_styles(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_single_quote_running_over_paragraphs_and_cut_off_at_the_end() -> None:
    text = ("\u2018The first paragraph of it.\n\u2018The second one,\u2019 Ivanov said.\n"
            "Petrova said the sides \u2018will meet again in the spring of")
    assert texts(text) == ["The first paragraph of it. \u2018The second one",
                           "will meet again in the spring of"]
    assert [s for _, s in speakers(text)] == ["ivanov", "petrova"]


SINGLE_MARKS = [("\u2018", "\u2019"), ("'", "'")]


@pytest.mark.parametrize("marks", SINGLE_MARKS)
def test_a_single_quote_closed_at_the_end_of_the_next_paragraph(marks: tuple[str, str]) -> None:
    text = (f"Ivanov spoke on Monday.\n\n{marks[0]}We are ready to help both sides.\n\n"
            f"We want a lasting peace in the region,{marks[1]} he said.\n")
    assert speakers(text) == [
        ("We are ready to help both sides. We want a lasting peace in the region", "ivanov")]


@pytest.mark.parametrize("marks", SINGLE_MARKS)
def test_a_possessive_in_the_next_paragraph_does_not_close_a_single_quote(
        marks: tuple[str, str]) -> None:
    text = (f"Ivanov spoke on Monday.\n\n{marks[0]}We are ready to help both sides.\n\n"
            f"The ministers{marks[1]} talks went on for hours in the capital.\n")
    assert texts(text) == []


@pytest.mark.parametrize("marks", SINGLE_MARKS)
@pytest.mark.parametrize("furniture", [
    "", "\n\nShare this:\n", "\n\nTags: Russia, Armenia\n",
    "\n\nOther news\n15 March 2021 Envoys to meet again next month\n"
    "18 March 2021 Ministers discuss the road links",
])
def test_a_single_quote_cut_off_by_a_truncated_page(marks: tuple[str, str], furniture: str) -> None:
    text = (f"Petrova spoke of the {marks[0]}joint centre{marks[1]} on Monday.\n"
            f"She said the plan {marks[0]}opened a new stage in the work of the group" + furniture)
    assert texts(text) == ["joint centre", "opened a new stage in the work of the group"]


def test_an_unclosed_single_quote_inside_the_body_is_no_quote() -> None:
    text = ("Petrova said the plan \u2018opened a new stage in the work.\n"
            "The sides will meet again in the spring, she added.")
    assert texts(text) == []


@pytest.mark.parametrize("marks", SINGLE_MARKS)
def test_a_closing_single_mark_printed_after_its_space(marks: tuple[str, str]) -> None:
    text = (f"Ivanov spoke on Monday.\n{marks[0]}We are ready to help both sides, {marks[1]}he said."
            f"\n{marks[0]}The talks will go on,{marks[1]} Petrova added.")
    assert speakers(text) == [("We are ready to help both sides", "ivanov"),
                              ("The talks will go on", "petrova")]


@pytest.mark.parametrize(("text", "quote", "speaker"), [
    ("Petrova spoke.\nWe hope the step helps the talks. - noted the spokeswoman.",
     "We hope the step helps the talks.", "petrova"),
    ("The sides must meet again soon, \u2013 said Ivanov.", "The sides must meet again soon",
     "ivanov"),
    ("The sides must meet again soon. \u2014 Ivanov told reporters.",
     "The sides must meet again soon.", "ivanov"),
    ("Petrova spoke.\nWe hope the step helps the talks. - noted the spokeswoman. She added that"
     " the group would meet again.", "We hope the step helps the talks.", "petrova"),
])
def test_dash_attribution_without_quote_marks(text: str, quote: str, speaker: str) -> None:
    assert speakers(text) == [(quote, speaker)]


def test_a_dash_quotation_before_a_quoted_phrase_in_its_paragraph() -> None:
    text = ("Petrova spoke.\nWe hope the step helps the talks. - noted the spokeswoman. She called"
            " it \u201ca new stage\u201d of the work.")
    assert texts(text) == ["We hope the step helps the talks.", "a new stage"]


@pytest.mark.parametrize("marks", [("\u2018", "\u2019"), ("'", "'"), ("\u201c", "\u201d")])
def test_a_dash_quotation_after_a_quoted_phrase(marks: tuple[str, str]) -> None:
    text = (f"Petrova spoke.\nShe said {marks[0]}the meeting of the leaders{marks[1]} went well.\n"
            "We hope the step helps the talks. - noted the spokeswoman.")
    assert texts(text) == ["the meeting of the leaders", "We hope the step helps the talks."]
    assert speakers(text)[-1] == ("We hope the step helps the talks.", "petrova")


@pytest.mark.parametrize("text", [
    "The sides met in the capital \u2013 and talked for hours about the roads.",
    "Talks went on. - The delegation left in the evening.",
])
def test_a_dash_without_an_attribution_is_no_quote(text: str) -> None:
    assert texts(text) == []


def test_spokeswoman_of_an_institution_is_the_person_not_the_institution() -> None:
    text = ("Petrova spoke to the press.\n"
            "\u201cWe hope for calm,\u201d said the spokeswoman of the Russian Foreign Ministry.")
    assert [s for _, s in speakers(text)] == ["petrova"]


def test_attribution_closing_the_sentence_of_a_fragment_quote() -> None:
    text = ("Ivanov expressed \u201cdeep concern\u201d about the clashes on the border, "
            "the Kremlin said.\n"
            "Ivanov \u201curged both sides to keep the ceasefire in force,\u201d it said.")
    assert [s for _, s in speakers(text)] == ["kremlin", "kremlin"]


@pytest.mark.parametrize(("text", "outlet", "via"), [
    ("Peace is near. This was stated by Ivanov, as reported by NWA.", "NWA", None),
    ("Peace is near, as the Daily Wire reported on Monday, Ivanov said.", "Daily Wire", None),
    ("Peace is near, NWA reported, citing Ivanov.", "NWA", None),
    ("Peace is near, Ivanov said, according to the Vesti news agency.", None, "Vesti"),
    ("Peace is near, Kavkaz Times writes.", "Kavkaz Times", None),
    ("WIRE-NEWS, Nowhere\nMarch 3, 2011 Thursday 4:03 PM EST\nHeadline\nPeace is near, "
     "Ivanov said in an interview with Armenia's Vestnik news agency.", "WIRE-NEWS", "Vestnik"),
    ("NWA reports.\nPeace is near, Ivanov said.\n\nMore words.\n\nAnd more.\n\nAnd more.\n\n"
     "And more.\n\nAnd more.\n\n\"We are ready,\" Ivanov said in an interview with Russia's "
     "Channel Nine television broadcaster.", "NWA", "Channel Nine"),
    ("NWA reports.\nPeace is near, Ivanov said.\n" + "More words here.\n" * 8
     + "\"We are ready,\" Ivanov said, speaking to the Vestnik newspaper.", "NWA", "Vestnik"),
    ("BAKU, Azerbaijan, March 12. Caspnews:\nTalks go on.", "Caspnews", None),
    ("Baku, Azerbaijan, Mar. 12\nCaspnews:\nTalks go on.", "Caspnews", None),
    ("Baku, March 12\nBy Anna Orlova - Caspnews:\nTalks go on.", "Caspnews", None),
    ("By Anna Orlova, Caspnews.az\n12 March 2021\nTalks go on.", "Caspnews.az", None),
    ("Baku, March 12, CASPWIRE\nTalks go on.", "CASPWIRE", None),
    ("Baku. 12 March. CASPWIRE.AZ/ Talks go on.", "CASPWIRE.AZ", None),
    ("Talks go on, Ivanov told Interfax.", None, "Interfax"),
    ("Ivanov told Wirenews that talks go on.", None, "Wirenews"),
    ("In an interview with Kommersant, Ivanov said talks go on.", "Kommersant", None),
    ("Ivanov said on the Rossiya 1 TV channel that talks go on.", None, "Rossiya 1"),
    ("Talks go on.\nRussia Today reported that Ivanov will come.", "Russia Today", None),
    ("Talks go on, Ivanov was quoted by WIRE as saying.", None, "WIRE"),
    ("Casp News\n12 March 2021\nTalks go on.", "Casp News", None),
    ("Talks go on, Ivanov told the Daily Caspian.", None, "Daily Caspian"),
    ("Talks go on, Ivanov says in an interview with WIRE.", "WIRE", None),
    ("Talks go on, Ivanov tells Interfax.", None, "Interfax"),
    ("Talks go on, Ivanov told Meduza.", None, "Meduza"),
])
def test_more_credit_forms(text: str, outlet: str | None, via: str | None) -> None:
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == (outlet, via)


@pytest.mark.parametrize("text", [
    "Peace is near, Ivanov reported to the president.",
    "Petrov reported that peace is near.",
    "Petrova\nMarch 3, 2011\nPeace is near, she said.",
])
def test_a_person_reporting_is_no_outlet(text: str) -> None:
    assert page.detect_outlet(text, ACTORS).outlet is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab .,\"\u2018\u2019'A")), min_size=0,
                        max_size=70), max_size=14))
def test_unwrap_only_turns_line_breaks_into_spaces(lines: list[str]) -> None:
    text = "\n".join(lines)
    flat = page.unwrap(text)
    assert len(flat) == len(text)
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(text, flat, strict=True))
    for candidate in quoting.find_quotes(text):
        assert normalise_for_match(candidate.text) in normalise_for_match(text)


def test_a_persons_office_readout_speaks_for_the_office() -> None:
    text = ("Ivanov met the Armenian delegation.\n"
            "According to Kovalev\u2019s office readout, they discussed \u2018the next steps of "
            "the talks\u2019 at length.\nThe release also noted that they \u2018agreed to meet "
            "again\u2019 soon.")
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == ["kovalev-s-office"] * 2
    assert [(a.name, a.kind) for a in new] == [("Kovalev's office", "organisation")]


# --- appositives and labels: the attributed speaker beats the name before -------------------

EARLIER = "Pavel Ivanov met the delegation in the capital on Monday.\n"


@pytest.mark.parametrize(("line", "role"), [
    ('Armen Karyan, a new envoy, said "the talks remain difficult".', "a new envoy"),
    ('Armen Karyan, a new envoy, told reporters: "the talks remain difficult".', "a new envoy"),
    ('Armen Karyan, a new envoy, stressed that "the talks remain difficult".', "a new envoy"),
    ('Armen Karyan, the head of the delegation, noted "the talks remain difficult".',
     "the head of the delegation"),
    ('Armen Karyan (a new envoy) said "the talks remain difficult".', "a new envoy"),
    ('Special envoy Armen Karyan said "the talks remain difficult".', "Special envoy"),
    ('"The talks remain difficult," said Armen Karyan, a new envoy.', "a new envoy"),
    ('"The talks remain difficult," Armen Karyan, a new envoy, said.', "a new envoy"),
    ('"The talks remain difficult," according to Armen Karyan, a new envoy.', "a new envoy"),
    ('Armen Karyan, who arrived in the city on Sunday, said "the talks remain difficult".', None),
    ('According to Armen Karyan, "the talks remain difficult".', None),
    ('Armen Karyan said in a statement: "The talks remain difficult."', None),
    ('"The talks remain difficult," Armen Karyan said in a statement.', None),
    ('Armen Karyan: "The talks remain difficult."', None),
    ('Special envoy Armen Karyan noted: "The talks remain difficult."', "Special envoy"),
])
def test_attributed_new_speaker_beats_the_person_named_before(line: str, role: str | None
                                                              ) -> None:
    text = EARLIER + line
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == ["armen-karyan"]
    assert [(a.name, a.role, a.kind) for a in new] == [("Armen Karyan", role, "person")]


@pytest.mark.parametrize("line", [
    'Olga Petrova, the spokeswoman, said "the talks remain difficult".',
    '"The talks remain difficult," Olga Petrova, the spokeswoman, said.',
    'Petrova (the spokeswoman) told reporters: "the talks remain difficult".',
    'Petrova, who spoke after the meeting, added "the talks remain difficult".',
    'Petrova: "The talks remain difficult."',
])
def test_attributed_known_speaker_beats_the_person_named_before(line: str) -> None:
    assert [who for _, who in speakers(EARLIER + line)] == ["petrova"]


def test_a_label_before_a_colon_must_look_like_a_name() -> None:
    text = 'Olga Petrova spoke first.\nKey points: "the talks remain difficult".'
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert new == []
    assert [q.speaker for q in quotes] == ["petrova"]  # no label: the person named before


def test_an_appositive_that_is_a_clause_gives_no_role() -> None:
    text = 'Armen Karyan, in turn, said "the talks remain difficult".'
    _, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [(a.name, a.role) for a in new] == [("Armen Karyan", None)]


# --- outlets from credit forms ----------------------------------------------------------------

BODY = "Talks between the two sides resumed in the capital after a long pause, Ivanov said.\n"


@pytest.mark.parametrize(("text", "outlet"), [
    ("Talks resumed, according to WIREX.\n" + BODY, "WIREX"),
    ("According to Interfax, talks resumed.\n" + BODY, "Interfax"),
    ("Talks resumed, reports WIREX.\n" + BODY, "WIREX"),
    ("Talks resumed in the capital, reports the Kavkaz Daily newspaper.\n" + BODY,
     "Kavkaz Daily"),
    ("Talks resumed in the capital \u2014 Interfax\n" + BODY, "Interfax"),
    ("Talks resumed in the capital - Kavkazpress\n" + BODY, "Kavkazpress"),
    (BODY + "(c) Kavkaz Novosti\n", "Kavkaz Novosti"),
    (BODY + "\u00a9 2021 Caucasus Herald. All rights reserved.\n", "Caucasus Herald"),
    ("Caucasus Herald | 17 June 2021\n" + BODY, "Caucasus Herald"),
    ("By Kavkazpress | Tuesday, 18 October 2016\n" + BODY, "Kavkazpress"),  # not "By ..."
    # dates, times and section labels above the lead do not push it out of the head
    ("Talks on the border resume in the capital\nRegion\n\u2022 24 October, 2025\n"
     "\u2022 13:08\nUpdated: 25 October 2025, 09:10\nViews: 1024\nReading time 2 min\n"
     "Talks resumed in the capital, reports WIREX.\n" + BODY, "WIREX"),
    ("Kavkaz.am \u2022 June 17, 2021\n" + BODY, "Kavkaz.am"),
])
def test_outlet_credit_forms(text: str, outlet: str) -> None:
    assert page.detect_outlet(text, ACTORS).outlet == outlet


@pytest.mark.parametrize("text", [
    "Talks resumed, according to Ivanov.\n" + BODY,
    "Talks resumed, according to the OSCE.\n" + BODY,
    "Talks resumed, according to Armen Karyan.\n" + BODY,
    "Peace is near \u2013 Petrova\n" + BODY,
    "By Anna Lee | June 17, 2021\n" + BODY,
    "News\n" + BODY,
    BODY + "Photo: \u00a9 Anna Lee\n",
])
def test_no_outlet_where_the_text_names_none(text: str) -> None:
    assert page.detect_outlet(text, ACTORS).outlet is None


def test_the_outlet_broadcasting_an_interview_is_the_via() -> None:
    text = ("YEREVAN, June 17. /WIREX/. Speaking in the Evening Talk program on the Kavkaz "
            "Radio channel, Ivanov said talks would go on.\n")
    found = page.detect_outlet(text, ACTORS)
    assert (found.outlet, found.via) == ("WIREX", "Kavkaz Radio")


@pytest.mark.parametrize(("line", "role"), [
    ('"The talks remain difficult," said the envoy, Armen Karyan.', "the envoy"),
    ('The new envoy, Armen Karyan, said "the talks remain difficult".', "The new envoy"),
    ('"The talks remain difficult" - Armen Karyan.', None),
    ('"The talks remain difficult," Armen Karyan (a new envoy) said.', "a new envoy"),
])
def test_role_then_name_and_dash_credits_name_the_speaker(line: str, role: str | None) -> None:
    text = EARLIER + line
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == ["armen-karyan"]
    assert [(a.name, a.role) for a in new] == [("Armen Karyan", role)]


@pytest.mark.parametrize("line", [
    'Ivanov, speaking after talks with Armen Karyan, said "the talks remain difficult".',
    '"The talks remain difficult," Ivanov told Armen Karyan.',
    '"The talks remain difficult," said Ivanov, who met Armen Karyan.',
])
def test_a_name_in_the_attribution_that_is_not_its_subject_is_not_the_speaker(line: str
                                                                              ) -> None:
    assert [who for _, who in speakers(EARLIER + line)] == ["ivanov"]


@pytest.mark.parametrize(("saved", "read"), [
    ("&quot;Yes,&quot; he said &amp; left", "\"Yes,\" he said & left"),
    ("&#8220;Yes&#8221; &rsquo;", "\u201cYes\u201d \u2019"),
    ("<p>One.</p><p>Two<br>three</p>", "\nOne.\n\nTwo\nthree\n"),
    ("<strong>Pavel Ivanov</strong> and **Olga Petrova** met [Orlov](https://example.org/o)",
     "Pavel Ivanov and Olga Petrova met Orlov"),
    ("AT&T, R&D, &notion; and 3 < 5 with x<y> z", "AT&T, R&D, &notion; and 3 < 5 with x<y> z"),
    ("> MOSCOW, June 17.\n> Talks go on.\n", "MOSCOW, June 17.\nTalks go on.\n"),
    ("\u2022 One.\n\u2022 Two.\n", "One.\nTwo.\n"),
    ("- One.\n- Two.\nThree.\n", "One.\nTwo.\nThree.\n"),
    ("Talks go on.\n- noted the envoy.\nMore talks.\n", "Talks go on.\n- noted the envoy.\nMore talks.\n"),
])
def test_saved_page_markup_is_read_as_its_text(saved: str, read: str) -> None:
    assert strip_markup(saved) == read


def test_a_sentence_after_a_dash_is_no_attribution() -> None:
    text = "The talks lasted for more than three hours in the capital. - The delegation said nothing more."
    assert quoting.dash_quotes(text) == []


# --- the outlet and via rules: each named, with a strength, and with its row here -------------

_LEAD = " Talks on the treaty went on for many hours in the capital on the day, officials said.\n"
OUTLET_ROWS = [  # (rule, article, outlet, strength)
    ("dateline", "MOSCOW, June 17. /TASS/. Talks" + _LEAD, "TASS", "strong"),
    ("syndication credit", "(MENAFN- AzerNews) Talks" + _LEAD, "AzerNews", "strong"),
    ("publisher line", "WIRE-NEWS, Russia\nMarch 3, 2011 Friday\nTalks" + _LEAD, "WIRE-NEWS",
     "medium"),
    ("credit line", "Trend:\nTalks" + _LEAD, "Trend", "medium"),
    ("named as reporting", "Talks" + _LEAD + "Wire News reports that more are planned.\n",
     "Wire News", "medium"),
    ("copyright line", "Talks" + _LEAD + "\u00a9 2021 Wire News. All rights reserved.\n",
     "Wire News", "medium"),
    ("interview opening the article, no publisher named",
     "Talks went on, Ivanov told Wire News in an interview.\nMore words.\n", "Wire News", "weak"),
    ("no publisher named, only the outlet spoken to",
     "Talks" + _LEAD + "Ivanov told the Wire newspaper.\n", None, "weak"),
]
VIA_ROWS = [  # (rule, article, via, strength)
    ("reports citing", "MOSCOW, June 17. /TASS/. Wire News reports citing Caspian News that "
     "talks went on." + _LEAD, "Caspian News", "strong"),
    ("dateline's second credit", "MOSCOW (Wire News, Caspian News) - Talks" + _LEAD,
     "Caspian News", "medium"),
    ("relies on", "Talks went on, citing Caspian News." + _LEAD, "Caspian News", "medium"),
    ("source line", "Source: Caspian News\nTalks" + _LEAD, "Caspian News", "medium"),
    ("quoted by", "Talks" + _LEAD + "Ivanov was quoted by Caspian News as saying more.\n",
     "Caspian News", "medium"),
    ("speaker's words credited to", "Talks" + _LEAD + "\"More are planned,\" Ivanov added, "
     "according to Caspian News.\n", "Caspian News", "medium"),
    ("spoke to a known or described outlet", "MOSCOW, June 17. /TASS/. Talks" + _LEAD
     + "Ivanov told the Wire news agency.\n", "Wire", "strong"),
    ("spoke to", "MOSCOW, June 17. /TASS/. Talks" + _LEAD + "Ivanov told WIREX that more are "
     "planned.\n", "WIREX", "medium"),
]


@pytest.mark.parametrize(("rule", "text", "outlet", "strength"), OUTLET_ROWS)
def test_each_outlet_rule_proposes_with_its_strength_and_basis(rule: str, text: str,
                                                               outlet: str | None,
                                                               strength: str) -> None:
    found = page.detect_outlet(text)
    assert found.outlet == outlet
    assert found.outlet_proposal[0] == strength and found.outlet_proposal[1].startswith(rule)


@pytest.mark.parametrize(("rule", "text", "via", "strength"), VIA_ROWS)
def test_each_via_rule_proposes_with_its_strength_and_basis(rule: str, text: str, via: str,
                                                            strength: str) -> None:
    found = page.detect_outlet(text)
    assert found.via == via
    assert found.via_proposal[0] == strength and found.via_proposal[1].startswith(f"{rule}: ")


def test_every_outlet_and_via_rule_has_a_strength_and_a_test_row() -> None:
    assert set(page.OUTLET_RULES) == {row[0] for row in OUTLET_ROWS}
    assert set(page.VIA_RULES) == {row[0] for row in VIA_ROWS}
    assert set(page.OUTLET_RULES.values()) | set(page.VIA_RULES.values()) <= {
        "strong", "medium", "weak"}


# --- whom the speaker spoke to: the via, never the publisher ----------------------------------

@pytest.mark.parametrize(("words", "via"), [
    ("Ivanov told the Kavkaz-24 TV channel that more are planned.", "Kavkaz-24"),
    ("Ivanov told the TV channel Kavkaz-24 that more are planned.", "Kavkaz-24"),
    ("Ivanov told TASS that more are planned.", "TASS"),
    ("Ivanov said in an interview with the newspaper Vestnik that more are planned.", "Vestnik"),
    ("Ivanov told the newspaper Vestnik that more are planned.", "Vestnik"),
    ("Ivanov told reporters of RIA Novosti that more are planned.", "RIA Novosti"),
    ("Ivanov told the Vestnik television broadcaster that more are planned.", "Vestnik"),
])
def test_the_outlet_spoken_to_is_named_without_its_medium_and_no_publisher_is_guessed(
        words: str, via: str) -> None:
    found = page.detect_outlet("Talks" + _LEAD + words + "\n", ACTORS)
    assert (found.outlet, found.via) == (None, via)
    assert found.via_proposal[0] == "strong"
    strength, basis = found.outlet_proposal
    assert strength == "weak" and "names no publisher" in basis
    assert f"names {via!r} only as whom the speaker spoke to" in basis


def test_an_interview_after_the_first_sentence_is_the_via_not_the_publisher() -> None:
    found = page.detect_outlet("Talks" + _LEAD + "Ivanov said in an interview with the "
                               "newspaper Vestnik that more are planned.\n", ACTORS)
    assert (found.outlet, found.via) == (None, "Vestnik")
    found = page.detect_outlet("Ivanov said in an interview with the newspaper Vestnik that "
                               "more talks are planned.\nMore words.\n", ACTORS)
    assert (found.outlet, found.via) == ("Vestnik", None)
    assert found.outlet_proposal[0] == "weak" and "taken as the publisher" in found.via_proposal[1]


@pytest.mark.parametrize("words", [
    "Ivanov told reporters of the ministry that more are planned.",
    "Ivanov told reporters that more are planned.",
])
def test_reporters_of_no_outlet_name_no_via(words: str) -> None:
    assert page.detect_outlet("Talks" + _LEAD + words + "\n", ACTORS).via is None


def test_the_outlet_spoken_to_beside_a_named_publisher_is_the_via() -> None:
    found = page.detect_outlet("MOSCOW, June 17. /WIRE/. Talks" + _LEAD
                               + "Ivanov told the newspaper Vestnik that more are planned.\n")
    assert (found.outlet, found.via) == ("WIRE", "Vestnik")
    assert found.outlet_proposal[0] == "strong"


# --- the outlet vocabulary: data files, one entry a line -------------------------------------

@pytest.mark.parametrize("name", lexicon.OUTLET_NAMES)
def test_every_listed_outlet_is_an_outlet_never_a_speaker(name: str) -> None:
    assert page.outlet_name(name)
    found = page.detect_outlet("Talks" + _LEAD + f"Ivanov told {name} that more are planned.\n")
    assert found.via == name and found.outlet is None


@pytest.mark.parametrize("word", lexicon.OUTLET_WORDS)
def test_every_outlet_word_makes_a_name_an_outlet(word: str) -> None:
    assert page.outlet_name(f"Kavkaz {word}") and not page.outlet_name("Kavkaz")


@pytest.mark.parametrize("noun", lexicon.MEDIA_NOUN_LIST)
def test_every_media_noun_describes_the_outlet_spoken_to(noun: str) -> None:
    found = page.detect_outlet("Talks" + _LEAD + f"Ivanov told the Kavkaz {noun}.\n")
    assert (found.outlet, found.via) == (None, "Kavkaz")


@pytest.mark.parametrize("name", ["outlets.txt", "outlet_words.txt", "media_nouns.txt"])
def test_outlet_word_lists_have_no_duplicates(name: str) -> None:
    entries = [fold(entry) for entry in lexicon.word_list(name)]
    assert entries and len(entries) == len(set(entries))
