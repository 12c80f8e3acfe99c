"""`nkb quote ID` and `nkb event ID`: one record whole, and ids of the wrong kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode
from nkb.text import normalise_for_match


def test_quote_json_has_speaker_role_passage_and_citation(nkb: Callable[..., Any]) -> None:
    result = nkb("quote", "1-2", "-f", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    shown = json.loads(result.stdout)
    assert shown["id"] == "001-2" and shown["kind"] == "direct"
    assert shown["speaker"] == "Sergey Lavrov" and shown["speaker_id"] == "lavrov"
    assert [r["title"] for r in shown["speaker_roles"]] == ["Minister of Foreign Affairs of Russia"]
    assert shown["speaker_roles"][0]["date"] == "2023-02"
    assert (shown["source"], shown["outlet"], shown["status"]) == ("001", "TASS", "curated")
    passage = shown["passage"]
    assert "Lavrov added" in passage["text"]  # the words that attribute the quote
    marked = passage["text"][passage["start"]:passage["end"]]
    assert normalise_for_match(marked) == normalise_for_match(shown["text"])
    assert shown["citation"].startswith("Sergey Lavrov") and "TASS" in shown["citation"]


def test_a_paraphrase_is_never_shown_as_a_quote(nkb: Callable[..., Any]) -> None:
    out = nkb("quote", "001-1").stdout
    assert "paraphrase (not a direct quote)" in out and "paraphrased" in out
    assert "\u201cRussia provides" not in out


def test_quote_markdown_bolds_the_quote(nkb: Callable[..., Any]) -> None:
    out = nkb("quote", "002-1", "-f", "md").stdout
    assert "**The ceasefire must be observed**" in out and "Zakharova said:" in out


def test_a_draft_quote_is_marked_as_a_draft(run_nkb: Callable[..., Any], make_kb: Callable[..., Path],
                                            kb_data: Any) -> None:
    kb_data.sources["002"]["record"]["status"] = "draft"
    root = make_kb(sources=kb_data.sources)
    table = run_nkb("quote", "002-1", kb=root)
    assert table.exit_code == ExitCode.OK and "DRAFT" in table.stdout
    shown = json.loads(run_nkb("quote", "002-1", "-f", "json", kb=root).stdout)
    assert shown["status"] == "draft" and shown["citation"].startswith("DRAFT")
    assert "DRAFT" in run_nkb("quote", "002-1", "-f", "md", kb=root).stdout


def test_event_view_lists_every_source_with_outlet_and_date(nkb: Callable[..., Any]) -> None:
    shown = json.loads(nkb("event", "2023-02-khovayev-trips", "-f", "json").stdout)
    assert shown["date"] == "2023-02" and shown["title"] == "Trips to Yerevan and Baku"
    assert shown["actors"] == [{"id": "galuzin", "name": "Mikhail Galuzin"}]
    assert shown["places"] == ["Yerevan", "Baku"]
    assert [(s["id"], s["outlet"], s["date"]) for s in shown["sources"]] == [
        ("001", "TASS", "2023-02"), ("003", "RIA Novosti", "2024-06-05")]
    table = nkb("event", "2023-02-khovayev-trips").stdout
    assert "RIA Novosti" in table and "Visits to both capitals." in table


@pytest.mark.parametrize(("args", "pointer"), [
    (["source", "001-2"], "nkb quote 001-2"),
    (["source", "1-2"], "nkb quote 001-2"),
    (["quote", "003"], "nkb source 003"),
    (["event", "3"], "nkb source 003"),
    (["quote", "2019-vienna-talks"], "nkb event 2019-vienna-talks"),
    (["event", "001-1"], "nkb quote 001-1"),
    (["source", "2019-vienna-talks"], "nkb event 2019-vienna-talks"),
])
def test_an_id_of_the_wrong_kind_points_to_the_right_command(
        nkb: Callable[..., Any], args: list[str], pointer: str) -> None:
    result = nkb(*args)
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    assert pointer in result.stderr


@pytest.mark.parametrize("args", [["quote", "009-9"], ["event", "no-such-event"]])
def test_an_unknown_id_is_an_error(nkb: Callable[..., Any], args: list[str]) -> None:
    result = nkb(*args)
    assert result.exit_code == ExitCode.ERROR and "nkb: error: no" in result.stderr


@pytest.mark.parametrize("command", ["quote", "event"])
def test_one_record_is_not_csv(nkb: Callable[..., Any], command: str) -> None:
    ident = "001-1" if command == "quote" else "2019-vienna-talks"
    assert nkb(command, ident, "-f", "csv").exit_code == ExitCode.USAGE


def test_every_printed_id_opens_in_its_view(run_nkb: Callable[..., Any]) -> None:
    shipped = Path(__file__).parents[1] / "kb"
    for kind, listing in (("quote", "quotes"), ("event", "events"), ("source", "sources")):
        ids = [row["id"] for row in json.loads(run_nkb(listing, "-f", "json", kb=shipped).stdout)]
        assert ids
        for ident in ids:
            result = run_nkb(kind, ident, "-f", "json", kb=shipped)
            assert result.exit_code == ExitCode.OK, (kind, ident, result.stderr)
            assert json.loads(result.stdout)["id"] == ident
