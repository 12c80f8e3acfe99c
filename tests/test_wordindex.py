"""The word index: every word in any order, stems, typos, and a ranking that means something."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkb import wordindex
from nkb.wordindex import Document


def index(*documents: Document) -> sqlite3.Connection:
    return wordindex.build(None, documents)


def ids(conn: sqlite3.Connection, query: str, **options: object) -> list[str]:
    found, _ = wordindex.find(conn, wordindex.parse(conn, query), **options)  # type: ignore[arg-type]
    return [m.id for m in found]


DOCS = (
    Document("quote", "q1", "", "The tension has abated on the border, she said."),
    Document("quote", "q2", "", "Russia will withdraw its peacekeeping contingent."),
    Document("event", "e1", "Peacekeepers' withdrawal announced", "Troops leave the region."),
    Document("source", "s1", "Talks in Moscow", "A long article about the Lachin corridor."),
    Document("actor", "a1", "Mikhail Galuzin Galuzin", "Deputy Foreign Minister"),
)


@pytest.mark.parametrize(("query", "expected"), [
    ("tension has abated", ["q1"]),
    ("border tension", ["q1"]),  # any order
    ("peacekeepers withdrawal", ["e1", "q2"]),  # stems: withdraw/withdrawal
    ("withdraw peacekeeping", ["e1", "q2"]),
    ("bordr", ["q1"]),  # a typo
    ("Lachin", ["s1"]),  # the full text of a source
    ("Галузин", ["a1"]),  # Cyrillic folds to Latin
    ("xyzzyq", []),
    ("border xyzzyq", []),  # every word must match
])
def test_words_match_in_any_order_with_stems_and_typos(query: str, expected: list[str]) -> None:
    assert sorted(ids(index(*DOCS), query)) == sorted(expected)


def test_a_word_the_kb_holds_matches_only_itself_and_its_stem() -> None:
    conn = index(Document("quote", "near", "", "in order to"),
                 Document("quote", "whole", "", "on the borders"))
    found, _ = wordindex.find(conn, wordindex.parse(conn, "border"))
    assert [(m.id, m.exact) for m in found] == [("whole", True)]


def test_a_word_no_record_holds_is_read_as_its_near_spellings() -> None:
    conn = index(Document("quote", "near", "", "the border"), Document("quote", "other", "", "x"))
    query = wordindex.parse(conn, "bordr")
    assert query.readings() == [("bordr", ("border",))]
    found, _ = wordindex.find(conn, query)
    assert [(m.id, m.exact) for m in found] == [("near", False)]
    assert ids(conn, "bordr") == ["near"]
    exact = wordindex.parse(conn, "bordr", exact=True)
    assert exact.readings() == [] and wordindex.find(conn, exact)[0] == []


def test_a_whole_word_hit_ranks_above_a_fuzzy_one() -> None:
    # either term may match: the record holding the typed word comes before the one matched
    # only through the near spelling, even though bm25 alone would rank the short one first
    conn = index(Document("quote", "near", "", "boarder"),
                 Document("quote", "whole", "", "a long text that names the corridor once " * 3))
    found, _ = wordindex.find(conn, wordindex.parse(conn, "boardr OR corridor"))
    assert [(m.id, m.exact) for m in found] == [("whole", True), ("near", False)]


QUERY_DOCS = (
    Document("quote", "treaty", "", "work on the peace treaty goes on"),
    Document("quote", "talks", "", "peace talks resumed in Moscow"),
    Document("quote", "agreement", "", "a trilateral agreement on transport"),
    Document("quote", "apart", "", "peace is far, the treaty is near"),
    Document("quote", "negotiations", "", "negotiations continue"),
)


@pytest.mark.parametrize(("query", "expected"), [
    ('"peace treaty"', ["treaty"]),  # a phrase: its words in order
    ("peace treaty", ["apart", "treaty"]),  # words: in any order
    ("treaty OR agreement", ["agreement", "apart", "treaty"]),
    ("peace -talks", ["apart", "treaty"]),
    ('peace -"peace treaty"', ["apart", "talks"]),
    ("negotiat*", ["negotiations"]),  # a prefix longer than the word's stem ('negoti')
    ("trilat*", ["agreement"]),
    ("transport OR peace -talks -treaty", ["agreement"]),
])
def test_phrases_or_not_and_prefixes(query: str, expected: list[str]) -> None:
    assert sorted(ids(index(*QUERY_DOCS), query)) == expected


def test_a_query_of_exclusions_only_is_refused() -> None:
    with pytest.raises(wordindex.QueryError, match="give a word to look for"):
        wordindex.read_query("-talks")


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    common = [Document("quote", f"c{i}", "", "the treaty text") for i in range(20)]
    conn = index(*common, Document("quote", "rare", "", "the corridor"),
                 Document("quote", "plain", "", "the treaty"))
    scores = {m.id: m.score for m in wordindex.find(conn, wordindex.parse(conn, "corridor"))[0]}
    treaty = {m.id: m.score for m in wordindex.find(conn, wordindex.parse(conn, "treaty"))[0]}
    assert scores["rare"] > treaty["plain"]


def test_a_title_weighs_more_than_a_long_text() -> None:
    conn = index(Document("source", "body", "Talks", "words " * 30 + "ceasefire " + "words " * 30),
                 Document("source", "title", "Ceasefire talks", "words " * 60))
    assert ids(conn, "ceasefire") == ["title", "body"]


def test_kinds_narrow_and_the_total_counts_every_match() -> None:
    conn = index(*DOCS)
    assert ids(conn, "peacekeeping", scope=wordindex.Scope(kinds={"event"})) == ["e1"]
    found, total = wordindex.find(conn, wordindex.parse(conn, "peacekeeping"), limit=1)
    assert len(found) == 1 and total == 2


def test_drafts_and_quote_kinds_are_scoped() -> None:
    conn = index(Document("quote", "d", "", "ceasefire", draft=True, quote_kind="direct"),
                 Document("quote", "p", "", "ceasefire", quote_kind="paraphrase"),
                 Document("quote", "q", "", "ceasefire", quote_kind="direct"))
    assert sorted(ids(conn, "ceasefire")) == ["p", "q"]
    assert sorted(ids(conn, "ceasefire", scope=wordindex.Scope(drafts=True))) == ["d", "p", "q"]
    assert ids(conn, "ceasefire", scope=wordindex.Scope(quote_kinds={"paraphrase"})) == ["p"]


def test_highlights_point_at_the_matched_words() -> None:
    text = "Russia will withdraw its Peacekeeping contingent."
    marks = wordindex.highlights(text, ("withdraw", "peacekeep"))
    assert [text[a:b] for a, b in marks] == ["withdraw", "Peacekeeping"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_typed_text_is_a_query_or_a_clear_refusal(query: str) -> None:
    # only a query of nothing but -exclusions is refused, with a message; anything else runs
    conn = index(*DOCS)
    try:
        parsed = wordindex.parse(conn, query)
    except wordindex.QueryError as exc:
        assert "give a word to look for" in str(exc)
        return
    found, total = wordindex.find(conn, parsed)
    assert total == len(found)
