"""Resolving typed names to actors, free-text matching, and finding quotes in their articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import names, search, store, text
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
    assert names.resolve_actor(kb, typed).value.id == actor_id


@pytest.mark.parametrize("typed", ["Aliyev", "aliev", "Алиев"])
def test_shared_surname_is_ambiguous(kb: KB, typed: str) -> None:
    with pytest.raises(Ambiguous) as caught:
        names.resolve_actor(kb, typed)
    assert sorted(caught.value.candidates) == [
        "Heydar Aliyev (heydar-aliyev)", "Ilham Aliyev (ilham-aliyev)"]
    assert "matches several actors" in str(caught.value)


def test_no_match_suggests_near_names(kb: KB) -> None:
    with pytest.raises(NotFound, match=r"no actor matches 'Lavrentiev'; did you mean Sergey Lavrov\?"):
        names.resolve_actor(kb, "Lavrentiev")


@pytest.mark.parametrize("typed", ["Smith", "Macron", "Shoigu"])
def test_no_match_without_a_near_name_suggests_nobody(kb: KB, typed: str) -> None:
    with pytest.raises(NotFound) as caught:
        names.resolve_actor(kb, typed)
    assert "did you mean" not in str(caught.value)
    assert "`nkb actors` lists them" in str(caught.value)


@pytest.mark.parametrize("typed", ["", "  ", "--"])
def test_empty_name_is_not_found(kb: KB, typed: str) -> None:
    with pytest.raises(NotFound, match="give a name"):
        names.resolve_actor(kb, typed)


def test_fold_is_case_accent_and_script_insensitive() -> None:
    assert text.fold("Галузин") == text.fold("GALUZIN") == "galuzin"
    assert text.fold("Zakharová") == "zakharova"


# --- the queries ----------------------------------------------------------------------------


def quote_ids(kb: KB, **wanted: Any) -> list[str]:
    if "words" in wanted:
        wanted["words"] = search.read_words(kb, wanted["words"])
    return [q.id for q in search.find_quotes(kb, search.QuoteFilter(**wanted))]


def actor(kb: KB, name: str) -> Any:
    return names.resolve_actor(kb, name).value


def test_find_quotes_combines_filters(kb: KB) -> None:
    assert quote_ids(kb, speakers=(actor(kb, "Galuzin"),)) == ["001-1"]
    assert quote_ids(kb, sources=("001",)) == ["001-1", "001-2"]
    assert quote_ids(kb, since=parse_query_date("2023-02-05"),
                     until=parse_query_date("2023")) == ["001-1", "001-2"]
    assert quote_ids(kb, outlets=("Interfax",)) == ["002-1"]
    assert quote_ids(kb, speakers=(actor(kb, "lavrov"),), sources=("002",)) == []


def test_a_filter_given_twice_means_either(kb: KB) -> None:
    both = (actor(kb, "Galuzin"), actor(kb, "Zakharova"))
    assert quote_ids(kb, speakers=both) == ["002-1", "001-1"]
    assert quote_ids(kb, speakers=both, kinds=("paraphrase",)) == ["001-1"]


def test_words_match_in_any_order(kb: KB) -> None:
    assert quote_ids(kb, words="observed ceasefire") == ["002-1"]
    assert quote_ids(kb, words="ceasfire") == ["002-1"]  # a typo
    assert search.read_words(kb, "ceasfire").notices() == ["'ceasfire' read as 'ceasefire'"]


def test_mentions_are_whole_names_and_capital_initialisms(kb: KB) -> None:
    lavrov = actor(kb, "Lavrov")
    assert search.mentions("As Sergey Lavrov said", lavrov)
    assert not search.mentions("Lavrovsky street", lavrov)
    us = kb.actors["russia"].__class__(id="us", name="United States", kind="state",
                                        aliases=["US"])
    assert search.mentions("the US said", us) and not search.mentions("let us talk", us)


def test_find_events_in_date_order(kb: KB) -> None:
    assert [e.id for e in search.find_events(kb)][:2] == [
        "2019-vienna-talks", "2020-2022-trilateral-agreements"]


def test_search_all_ranks_and_counts(kb: KB) -> None:
    hits = search.search_all(kb, "ceasefire")
    # the source's title says 'ceasefire': a title weighs more than a quote's text
    assert [(h.kind, h.id) for h in hits.shown] == [("source", "002"), ("quote", "002-1")]
    assert hits.total == 2
    [quote] = search.search_all(kb, "ceasefire", kinds=("quote",)).shown
    assert quote.text[slice(*quote.marks[0])] == "ceasefire"


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
