"""Resolving typed names to actors, free-text matching, and finding quotes in their articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import search, store, text
from nkb.dates import parse_query_date
from nkb.errors import Ambiguous, NotFound
from nkb.index import KB


@pytest.fixture
def kb(kb_data: Any, make_kb: Callable[..., Path]) -> KB:
    """The fixture KB plus two actors who share a surname."""
    actors = [
        *kb_data.actors,
        {"id": "ilham-aliyev", "name": "Ilham Aliyev", "kind": "person"},
        {"id": "heydar-aliyev", "name": "Heydar Aliyev", "kind": "person"},
    ]
    return store.open_kb(make_kb(actors=actors))


@pytest.mark.parametrize(
    ("typed", "actor_id"),
    [
        ("Sergey Lavrov", "lavrov"),  # exact name
        ("sergey lavrov", "lavrov"),
        ("Sergei Lavrov", "lavrov"),  # alias
        ("galuzin", "galuzin"),  # id
        ("rudenko", "rudenko"),  # surname alone
        ("Andrei Rudenko", "rudenko"),
        ("Andrey  RUDENKO", "rudenko"),
        ("Galuzn", "galuzin"),  # typos
        ("Zaharova", "zakharova"),
        ("Галузин", "galuzin"),  # Cyrillic, as an alias
        ("Захарова", "zakharova"),
        ("Руденко", "rudenko"),  # Cyrillic, transliterated: no Cyrillic alias for Rudenko
        ("Ilham", "ilham-aliyev"),
        ("OSCE", "osce"),
        ("minsk group", "osce"),
    ],
)
def test_resolve_actor(kb: KB, typed: str, actor_id: str) -> None:
    assert search.resolve_actor(kb, typed).id == actor_id


@pytest.mark.parametrize("typed", ["Aliyev", "aliev", "Алиев"])
def test_shared_surname_is_ambiguous(kb: KB, typed: str) -> None:
    with pytest.raises(Ambiguous) as caught:
        search.resolve_actor(kb, typed)
    assert sorted(caught.value.candidates) == [
        "Heydar Aliyev (heydar-aliyev)", "Ilham Aliyev (ilham-aliyev)"]
    assert "matches several actors" in str(caught.value)


def test_no_match_suggests_near_names(kb: KB) -> None:
    with pytest.raises(NotFound, match=r"no actor matches 'Lavrentiev'; did you mean Sergey Lavrov\?"):
        search.resolve_actor(kb, "Lavrentiev")


@pytest.mark.parametrize("typed", ["Smith", "Macron", "Shoigu"])
def test_no_match_without_a_near_name_suggests_nobody(kb: KB, typed: str) -> None:
    with pytest.raises(NotFound) as caught:
        search.resolve_actor(kb, typed)
    assert "did you mean" not in str(caught.value)
    assert "`nkb actors` lists them" in str(caught.value)


@pytest.mark.parametrize("typed", ["", "  ", "--"])
def test_empty_name_is_not_found(kb: KB, typed: str) -> None:
    with pytest.raises(NotFound, match="give a name"):
        search.resolve_actor(kb, typed)


def test_fold_is_case_accent_and_script_insensitive() -> None:
    assert text.fold("Галузин") == text.fold("GALUZIN") == "galuzin"
    assert text.fold("Zakharová") == "zakharova"


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("ceasefire", "The Ceasefire must be observed", True),
        ("peece treaty", "on the promotion of a peace treaty", True),  # typo
        ("treaty", "The ceasefire must be observed", False),
        ("war", "The ceasefire must be observed", False),  # short words must match exactly
        ("", "anything", True),
    ],
)
def test_text_matches(query: str, text: str, expected: bool) -> None:
    assert search.text_matches(query, text) is expected


# --- the queries ----------------------------------------------------------------------------


def test_find_quotes_combines_filters(kb: KB) -> None:
    assert [q.id for q in search.find_quotes(kb, speaker="Galuzin")] == ["001-1"]
    assert [q.id for q in search.find_quotes(kb, source="1")] == ["001-1", "001-2"]
    assert [q.id for q in search.find_quotes(kb, since=parse_query_date("2023-02-05"),
                                             until=parse_query_date("2023"))] == ["001-1", "001-2"]
    assert [q.id for q in search.find_quotes(kb, outlet="interfax")] == ["002-1"]
    assert search.find_quotes(kb, speaker="lavrov", source="002") == []


def test_find_events_limit_keeps_date_order(kb: KB) -> None:
    assert [e.id for e in search.find_events(kb, limit=2)] == [
        "2019-vienna-talks", "2020-2022-trilateral-agreements"]


def test_search_all_ranks_exact_hits(kb: KB) -> None:
    hits = search.search_all(kb, "ceasefire")
    assert [(h.kind, h.id) for h in hits] == [("quote", "002-1"), ("source", "002")]


# --- locating a quote in its article --------------------------------------------------------


def test_locate_despite_white_space_and_quote_marks() -> None:
    article = "Lavrov said:\n\u201cWe are   ready\nto help,\u201d he added."
    start, end = text.locate(article, '"We are ready to help,"') or (0, 0)
    assert article[start:end] == "\u201cWe are   ready\nto help,\u201d"


def test_locate_typographic_apostrophe_in_the_quote() -> None:
    article = "It's Russia's position."
    start, end = text.locate(article, "Russia\u2019s position") or (0, 0)
    assert article[start:end] == "Russia's position"


def test_locate_markup_like_text(kb_data: Any) -> None:
    article = f"Rudenko wrote: {kb_data.tricky_text}. End."
    start, end = text.locate(article, kb_data.tricky_text) or (0, 0)
    assert article[start:end] == kb_data.tricky_text


@pytest.mark.parametrize("quote", ["not in the article", "", "   "])
def test_locate_returns_none_when_absent(quote: str) -> None:
    assert text.locate("We are ready to help.", quote) is None
