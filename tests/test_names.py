"""Resolving typed names: exact or said, never a silent substitution."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.name_typos import sweep
from nkb import names, store
from nkb.errors import Ambiguous, NotFound
from nkb.text import is_placeholder


@pytest.fixture(scope="module")
def shipped() -> store.KB:
    return store.open_kb(store.shipped_kb())


@pytest.mark.parametrize(("typed", "name", "guessed"), [
    ("Galuzin", "Mikhail Galuzin", False),
    ("Галузин", "Mikhail Galuzin", False),
    ("galuzin", "Mikhail Galuzin", False),
    ("Andrei Rudenko", "Andrey Rudenko", False),
    ("US", "United States", False),
    ("Galusin", "Mikhail Galuzin", True),
    ("Rusenko", "Andrey Rudenko", True),
    ("Sergei Lavrof", "Sergey Lavrov", True),
    ("the spokeswoman", "Maria Zakharova", True),
])
def test_a_name_resolves_to_the_actor_meant(shipped: store.KB, typed: str, name: str,
                                            guessed: bool) -> None:
    resolved = names.resolve_actor(shipped, typed)
    assert resolved.value.name == name
    assert (resolved.notice is not None) is guessed
    if guessed:
        assert typed in resolved.notice and name in resolved.notice  # type: ignore[operator]


@pytest.mark.parametrize("typed", ["Galusin", "Rusenko", "Tavush", "Gusmann", "Pashinyon"])
def test_a_short_alias_never_matches_inside_a_longer_word(shipped: store.KB, typed: str) -> None:
    try:
        resolved = names.resolve_actor(shipped, typed)
    except (NotFound, Ambiguous):
        return
    assert resolved.value.id != "united-states"


@pytest.mark.parametrize(("typed", "listed"), [
    ("Deputy Foreign Minister", ["Andrey Rudenko", "Mikhail Galuzin"]),
    ("Mikhail", ["Mikhail Galuzin", "Mikhail Gusman"]),
])
def test_several_close_candidates_are_refused_and_listed(shipped: store.KB, typed: str,
                                                         listed: list[str]) -> None:
    with pytest.raises(Ambiguous) as caught:
        names.resolve_actor(shipped, typed)
    for name in listed:
        assert any(c.startswith(name) for c in caught.value.candidates)


def test_a_role_candidate_shows_the_role_and_its_dates(shipped: store.KB) -> None:
    with pytest.raises(Ambiguous) as caught:
        names.resolve_actor(shipped, "Deputy Foreign Minister")
    [rudenko] = [c for c in caught.value.candidates if c.startswith("Andrey Rudenko")]
    assert "Deputy Foreign Minister of Russia" in rudenko and "2020-07-16" in rudenko


def test_an_unknown_name_is_refused_with_suggestions(shipped: store.KB) -> None:
    with pytest.raises(NotFound, match="did you mean"):
        names.resolve_actor(shipped, "Galuzinovich")
    with pytest.raises(NotFound):
        names.resolve_actor(shipped, "Kremlin")


@pytest.mark.parametrize(("typed", "place", "guessed"), [
    ("Москва", "Moscow", True),
    ("Syunik province", "Syunik", True),
    ("Tavush", "Tavush province", False),
    ("moscow", "Moscow", False),
])
def test_places_resolve_like_names(shipped: store.KB, typed: str, place: str, guessed: bool) -> None:
    resolved = names.resolve_place(shipped.events, typed)
    assert resolved.value == place
    assert (resolved.notice is not None) is guessed


def test_outlets_resolve_like_names(shipped: store.KB) -> None:
    resolved = names.resolve_outlet(shipped.sources.values(), "Sputnk")
    assert resolved.value == "Sputnik" and resolved.notice


def test_every_surname_typo_in_the_shipped_kb_resolves_right_or_is_refused(shipped: store.KB) -> None:
    tally, wrong = sweep(shipped)
    assert wrong == []
    assert tally["taken as the right actor"] > 0.9 * sum(tally.values())


def test_surname_typos_among_lookalike_surnames_never_pick_another_actor(
        make_kb: Callable[..., Path], kb_data: Any) -> None:
    lookalikes = ["Ivanov", "Ivanova", "Ivanenko", "Ivashov", "Petrov", "Petrosyan", "Petrova",
                  "Aliyev", "Aliyeva", "Galuzin", "Galuza", "Lavrov", "Lavrova"]
    actors = copy.deepcopy(kb_data.actors) + [
        {"id": f"p{i}", "name": f"Person{i} {surname}", "kind": "person", "aliases": [surname]}
        for i, surname in enumerate(lookalikes)]
    kb = store.open_kb(make_kb(actors=actors))
    tally, wrong = sweep(kb)
    assert wrong == []
    assert tally["taken as the right actor"] > 0


def test_placeholders_are_not_outlets(shipped: store.KB) -> None:
    assert is_placeholder("TODO confirm: the publisher")
    assert not is_placeholder("TASS")

