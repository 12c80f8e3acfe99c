"""Answers that can be printed as they stand: no silent substitution of a name, every quote
marked direct or paraphrase, drafts kept apart, nothing cut without a word, honest exits."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import store
from nkb.errors import ExitCode

Run = Callable[..., Any]


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped KB, to add drafts to."""
    root = tmp_path / "kb"
    shutil.copytree(store.shipped_kb(), root)
    return root


def listed(run_nkb: Run, kb: Path, *args: str) -> tuple[list[dict[str, Any]], str]:
    result = run_nkb(*args, "-f", "json", kb=kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    return json.loads(result.stdout), result.stderr


# --- a name resolves to the actor meant, or to nothing ---------------------------------------


@pytest.mark.parametrize(("args", "speaker"), [
    (("quotes", "-s", "Galusin"), "Mikhail Galuzin"),
    (("quotes", "--speaker", "Rusenko"), "Andrey Rudenko"),
    (("quotes", "--speaker", "the spokeswoman"), "Maria Zakharova"),
])
def test_a_guessed_name_says_which_actor_it_took(run_nkb: Run, shipped: Path,
                                                 args: tuple[str, ...], speaker: str) -> None:
    rows, stderr = listed(run_nkb, shipped, *args)
    assert rows and {r["speaker"] for r in rows} == {speaker}
    assert f"{args[-1]!r} taken as {speaker}" in stderr


@pytest.mark.parametrize("args", [("events", "--actor", "Galusin"),
                                  ("timeline", "--actor", "Rusenko")])
def test_a_typo_never_becomes_the_united_states(run_nkb: Run, shipped: Path,
                                                args: tuple[str, ...]) -> None:
    result = run_nkb(*args, "-f", "json", kb=shipped)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "United States" not in result.stdout and "taken as" in result.stderr


def test_an_exact_name_says_nothing(run_nkb: Run, shipped: Path) -> None:
    _, stderr = listed(run_nkb, shipped, "quotes", "--speaker", "Galuzin")
    assert stderr == ""


def test_a_role_held_by_several_is_refused_with_the_candidates(run_nkb: Run,
                                                               shipped: Path) -> None:
    result = run_nkb("quotes", "--speaker", "Deputy Foreign Minister", kb=shipped)
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    assert "Andrey Rudenko" in result.stderr and "Mikhail Galuzin" in result.stderr
    assert "2020-07-16" in result.stderr  # the dates they held it


def test_search_for_a_place_does_not_rank_a_two_letter_alias(run_nkb: Run,
                                                             shipped: Path) -> None:
    hits, _ = listed(run_nkb, shipped, "search", "Tavush")
    assert hits and "united-states" not in {h["id"] for h in hits}


@pytest.mark.parametrize(("args", "taken"), [
    (("quotes", "--outlet", "Sputnk"), "Sputnik"),
    (("events", "--place", "Москва"), "Moscow"),
    (("events", "--place", "Syunik province"), "Syunik"),
])
def test_outlets_and_places_resolve_like_names(run_nkb: Run, shipped: Path,
                                               args: tuple[str, ...], taken: str) -> None:
    rows, stderr = listed(run_nkb, shipped, *args)
    assert rows and f"taken as {taken}" in stderr
    if args[0] == "events":
        assert all(taken in r["places"] for r in rows)


def test_a_province_is_not_its_neighbour(run_nkb: Run, shipped: Path) -> None:
    rows, _ = listed(run_nkb, shipped, "events", "--place", "Syunik province")
    assert all("Gegharkunik province" not in r["places"] or "Syunik" in r["places"]
               for r in rows)
    assert "2021-05-27-six-armenian-servicemen-captured" not in {r["id"] for r in rows}


# --- a quote is always marked direct or paraphrase --------------------------------------------


def test_every_quote_listing_says_its_kind(run_nkb: Run, shipped: Path) -> None:
    for args in (("quotes",), ("quotes", "-f", "csv"), ("quotes", "-f", "md")):
        out = run_nkb(*args, kb=shipped).stdout
        assert "paraphrase" in out and "direct" in out
    profile = json.loads(run_nkb("actor", "Zakharova", "-f", "json", kb=shipped).stdout)
    assert {q["kind"] for q in profile["quotes"]} == {"direct", "paraphrase"}
    assert "paraphrase" in run_nkb("actor", "Zakharova", "-f", "md", kb=shipped).stdout
    hits, _ = listed(run_nkb, shipped, "search", "tension abated", "--kind", "quote")
    assert hits and all(h["quote_kind"] in ("direct", "paraphrase") and h["speaker"]
                        and h["date"] for h in hits)


@pytest.mark.parametrize("command", ["quotes", "search", "timeline", "actor"])
def test_kind_narrows_to_direct_quotes_or_paraphrases(run_nkb: Run, shipped: Path,
                                                      command: str) -> None:
    args = {"quotes": ("quotes",), "search": ("search", "border"),
            "timeline": ("timeline",), "actor": ("actor", "Zakharova")}[command]
    result = run_nkb(*args, "--kind", "paraphrase", "-f", "json", kb=shipped)
    assert result.exit_code == ExitCode.OK, result.stderr
    text = result.stdout
    assert '"paraphrase"' in text and '"kind": "direct"' not in text \
        and '"quote_kind": "direct"' not in text


def test_paraphrases_are_marked_in_the_article_text_without_colour(run_nkb: Run,
                                                                  shipped: Path) -> None:
    # piped (no terminal, NO_COLOR): the marking is in words, a direct quote apart from a
    # paraphrase
    out = run_nkb("source", "2", kb=shipped).stdout
    assert "\u27e6002-1 paraphrase\u27e7Russia states that tension" in out
    assert "\u27e6002-2 direct\u27e7Over the past few weeks" in out and "\u27e6/002-2\u27e7" in out
    assert "= paraphrase (not verbatim)" in out  # the legend


def test_paraphrases_are_marked_on_a_terminal_without_colour(
        run_nkb: Run, shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    out = run_nkb("source", "2", kb=shipped).stdout
    assert "\u27e6002-1 paraphrase\u27e7" in out and "\u27e6002-2 direct\u27e7" in out


def test_in_colour_direct_quotes_and_paraphrases_are_styled_apart(
        run_nkb: Run, shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = run_nkb("source", "2", kb=shipped).stdout
    assert "\u27e6" not in out  # colour carries the marking; the legend says which is which
    assert "italic cyan = paraphrase" in out
    assert "\x1b[1;33m" in out and "\x1b[3;36m" in out  # bold yellow and italic cyan


def test_markdown_marks_paraphrases_in_italics_with_their_id(run_nkb: Run,
                                                            shipped: Path) -> None:
    out = run_nkb("source", "2", "-f", "md", kb=shipped).stdout
    assert "*Russia states that tension" in out and "\\[002-1 paraphrase\\]" in out
    assert "**Over the past few weeks" in out


# --- drafts are kept apart --------------------------------------------------------------------


@pytest.fixture
def with_draft(run_nkb: Run, shipped: Path, tmp_path: Path) -> Path:
    """The shipped KB with a draft added by `nkb add` from a short synthetic article."""
    article = tmp_path / "article.txt"
    article.write_text(
        "YEREVAN, March 3 (Newswire) - \"The border commission will meet again soon,\" "
        "Nikol Pashinyan told reporters on Tuesday.\n\"The talks on the border remain "
        "difficult,\" said Armen Petrosyan, a new envoy.\n", encoding="utf-8")
    result = run_nkb("add", str(article), "--date", "2026-03-03", kb=shipped)
    assert result.exit_code == ExitCode.OK, result.stderr
    return shipped


def test_drafts_are_absent_by_default(run_nkb: Run, with_draft: Path) -> None:
    for args in (("quotes",), ("sources",), ("search", "border commission"),
                 ("timeline",), ("events",)):
        rows, _ = listed(run_nkb, with_draft, *args)
        assert "005" not in json.dumps(rows), args


def test_drafts_are_marked_with_drafts(run_nkb: Run, with_draft: Path) -> None:
    quotes, _ = listed(run_nkb, with_draft, "quotes", "--drafts", "--source", "5")
    assert quotes and {q["status"] for q in quotes} == {"draft"}
    sources, _ = listed(run_nkb, with_draft, "sources", "--drafts")
    [draft] = [s for s in sources if s["id"] == "005"]
    assert draft["status"] == "draft"
    hits, _ = listed(run_nkb, with_draft, "search", "border commission", "--drafts")
    assert {h["status"] for h in hits if h["id"].startswith("005")} == {"draft"}
    table = run_nkb("quotes", "--drafts", "--source", "5", kb=with_draft).stdout
    assert "draft" in table
    timeline = run_nkb("timeline", "--drafts", "--source", "5", kb=with_draft).stdout
    assert "[draft]" in timeline


def test_a_draft_placeholder_is_never_shown_as_a_fact(run_nkb: Run, with_draft: Path) -> None:
    sources, _ = listed(run_nkb, with_draft, "sources", "--drafts")
    [draft] = [s for s in sources if s["id"] == "005"]
    assert draft["title"] is None  # the draft's "TODO: write a short title"
    everything = "".join(run_nkb(*args, kb=with_draft).stdout for args in (
        ("sources", "--drafts"), ("quotes", "--drafts"), ("source", "5"),
        ("timeline", "--drafts")))
    assert "TODO" not in everything
    assert run_nkb("source", "5", kb=with_draft).stdout.startswith("DRAFT: source 005")
    cited = run_nkb("cite", "5", "--drafts", kb=with_draft).stdout
    assert cited.startswith("DRAFT") and "TODO" not in cited


def test_a_speaker_only_a_draft_proposes_is_said_to_be_proposed(run_nkb: Run,
                                                                with_draft: Path) -> None:
    quotes, _ = listed(run_nkb, with_draft, "quotes", "--drafts", "--source", "5")
    unknown = [q for q in quotes if q["speaker_id"] not in ("pashinyan",)]
    assert unknown and all("proposed in draft 005" in q["speaker"]
                           or "speaker not found yet" in q["speaker"] for q in unknown)


# --- nothing is cut silently ------------------------------------------------------------------


def test_the_timeline_prints_every_quote_whole(run_nkb: Run, shipped: Path) -> None:
    kb = store.open_kb(shipped)
    longest = max(kb.quotes, key=lambda q: len(q.text))
    data = json.loads(run_nkb("timeline", "-f", "json", kb=shipped).stdout)
    texts = [e["text"] for s in data["sections"] if s["type"] == "year"
             for g in s["groups"] for e in g["entries"] if e["kind"] == "quote"]
    assert longest.text in texts
    table = run_nkb("timeline", kb=shipped).stdout
    assert " ".join(longest.text.split()[-4:]) in " ".join(table.split())


@pytest.mark.parametrize("args", [("quotes",), ("events",), ("sources",), ("actors",),
                                  ("search", "border")])
def test_a_limit_says_how_many_more_and_how_to_see_them(run_nkb: Run, shipped: Path,
                                                       args: tuple[str, ...]) -> None:
    every, _ = listed(run_nkb, shipped, *args, "--limit", "0")
    rows, stderr = listed(run_nkb, shipped, *args, "--limit", "2")
    assert len(rows) == 2 and rows == every[:2]
    assert f"2 of {len(every)} shown; --limit 0 for all" in stderr


def test_search_says_how_many_hits_it_has(run_nkb: Run, shipped: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    result = run_nkb("search", "border", "--limit", "0", kb=shipped)
    hits, _ = listed(run_nkb, shipped, "search", "border", "--limit", "0")
    assert f"({len(hits)} hits)" in result.stdout


# --- exit statuses and ranges -----------------------------------------------------------------


@pytest.mark.parametrize("args", [("search", "xyzzyq"), ("events", "--since", "2030"),
                                  ("quotes", "--search", "xyzzyq")])
def test_an_empty_answer_is_status_0_and_says_so(run_nkb: Run, shipped: Path,
                                                 args: tuple[str, ...]) -> None:
    result = run_nkb(*args, "-f", "json", kb=shipped)
    assert result.exit_code == ExitCode.OK
    assert json.loads(result.stdout) == [] and "nkb: " in result.stderr


@pytest.mark.parametrize("command", ["quotes", "events", "timeline"])
def test_a_backwards_range_is_a_usage_error(run_nkb: Run, shipped: Path, command: str) -> None:
    result = run_nkb(command, "--since", "2024", "--until", "2020", kb=shipped)
    assert result.exit_code == ExitCode.USAGE and result.stdout == ""
    assert "backwards" in result.stderr


def test_a_filter_given_twice_means_either(run_nkb: Run, shipped: Path) -> None:
    both, _ = listed(run_nkb, shipped, "quotes", "-s", "Galuzin", "-s", "Zakharova")
    assert {q["speaker"] for q in both} == {"Mikhail Galuzin", "Maria Zakharova"}
    with_date, _ = listed(run_nkb, shipped, "quotes", "-s", "Galuzin", "-s", "Zakharova",
                          "--since", "2024")
    assert {q["speaker"] for q in with_date} == {"Mikhail Galuzin"}  # AND across filters


# --- profiles: roles merged in date order, and who names whom --------------------------------


def test_roles_are_in_date_order_with_repeats_merged(run_nkb: Run, shipped: Path) -> None:
    profile = json.loads(run_nkb("actor", "Rudenko", "-f", "json", kb=shipped).stdout)
    [role] = profile["roles"]
    assert role["title"] == "Deputy Foreign Minister of Russia"
    assert [d["date"] for d in role["dates"]] == ["2020-02-11", "2020-07-16"]
    table = run_nkb("actor", "Rudenko", kb=shipped).stdout
    assert table.count("Deputy Foreign Minister of Russia") == 1


def test_a_profile_lists_the_quotes_and_sources_that_name_the_actor(run_nkb: Run,
                                                                   shipped: Path) -> None:
    profile = json.loads(run_nkb("actor", "Khovayev", "-f", "json", kb=shipped).stdout)
    assert profile["quotes"] == []
    assert "001-5" in [q["id"] for q in profile["mentioned_in_quotes"]]
    assert "001" in profile["mentioned_in_sources"]
    assert "001-5" in run_nkb("actor", "Khovayev", kb=shipped).stdout
    named, _ = listed(run_nkb, shipped, "quotes", "--mentions", "Khovayev")
    assert "001-5" in [q["id"] for q in named]


def test_a_source_given_twice_means_either(run_nkb: Run, shipped: Path) -> None:
    rows, _ = listed(run_nkb, shipped, "quotes", "--source", "1", "--source", "004")
    assert {q["source"] for q in rows} == {"001", "004"}


# --- word search over everything --------------------------------------------------------------


@pytest.mark.parametrize(("args", "wanted"), [
    (("search", "tension has abated"), ("quote", "002-1")),
    (("search", "border tension"), ("event", "2021-06-17-zakharova-border-tension-abated")),
    (("search", "Lachin"), ("source", "002")),  # the article's text, not only its title
    (("search", "bordr"), ("event", "2021-06-17-zakharova-border-tension-abated")),  # a typo
    (("search", "Галузин"), ("actor", "galuzin")),
])
def test_search_finds_every_word_in_any_order(run_nkb: Run, shipped: Path,
                                              args: tuple[str, ...],
                                              wanted: tuple[str, str]) -> None:
    hits, _ = listed(run_nkb, shipped, *args, "--limit", "0")
    assert wanted in {(h["kind"], h["id"]) for h in hits}


@pytest.mark.parametrize(("args", "wanted"), [
    (("events", "--search", "peacekeepers withdrawal"), "2024-04-17-peacekeeper-withdrawal-announced"),
    (("quotes", "--search", "withdraw peacekeeping"), "003-6"),
])
def test_search_options_match_words_in_any_order(run_nkb: Run, shipped: Path,
                                                 args: tuple[str, ...], wanted: str) -> None:
    rows, _ = listed(run_nkb, shipped, *args)
    assert wanted in {r["id"] for r in rows}


def test_search_kind_narrows_and_hits_are_ranked_by_words(run_nkb: Run, shipped: Path) -> None:
    hits, _ = listed(run_nkb, shipped, "search", "border", "--kind", "event", "--limit", "0")
    assert hits and {h["kind"] for h in hits} == {"event"}
    matches = [h["match"] for h in hits]
    assert matches == sorted(matches, key=lambda m: m != "words")  # as typed before near
    exact = [h["score"] for h in hits if h["match"] == "words"]
    assert exact == sorted(exact, reverse=True) and len(set(exact)) > 1  # not all equal
