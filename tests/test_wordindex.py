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


def test_a_whole_word_hit_ranks_above_a_fuzzy_one() -> None:
    # the near spelling ('boarder') is found, but after the record holding the word as typed,
    # even though bm25 alone would rank the short near one first
    conn = index(Document("quote", "near", "", "boarder"),
                 Document("quote", "whole", "", "a long text that names the border once " * 3))
    found, _ = wordindex.find(conn, wordindex.parse(conn, "border"))
    assert [(m.id, m.exact) for m in found] == [("whole", True), ("near", False)]


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    common = [Document("quote", f"c{i}", "", "the treaty text") for i in range(20)]
    conn = index(*common, Document("quote", "rare", "", "the corridor"),
                 Document("quote", "plain", "", "the treaty"))
    found, _ = wordindex.find(conn, wordindex.parse(conn, "corridor OR treaty"))
    assert found == []  # OR is a word like any other, not an operator
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
def test_any_typed_text_is_a_query_never_an_error(query: str) -> None:
    conn = index(*DOCS)
    found, total = wordindex.find(conn, wordindex.parse(conn, query))
    assert total == len(found)
