"""Organisations and their people: memberships resting on roles, `--members`, `--all`, and
an organisation's profile with its people's quotes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode

MINISTRY = "Russian Foreign Ministry"


def ministry_kb(make_kb: Callable[..., Path], kb_data: Any, membership: dict[str, Any],
                quote_date: str = "2021-06-17") -> Path:
    """The fixture KB with a ministry, Zakharova a member of it as `membership` says, and a
    quote of hers in source 002 dated `quote_date`."""
    actors = kb_data.actors
    actors.append({"id": "mfa", "name": MINISTRY, "kind": "organisation"})
    zakharova = next(a for a in actors if a["id"] == "zakharova")
    zakharova["roles"] = [{"title": "Spokeswoman of the Russian Foreign Ministry",
                           "date": "2021-06-17", "sources": ["002"]}]
    zakharova["member_of"] = [membership]
    kb_data.sources["002"]["record"]["quotes"][0]["date"] = quote_date
    return make_kb(actors=actors, sources=kb_data.sources)


GOOD = {"organisation": "mfa", "title": "Spokeswoman of the Russian Foreign Ministry",
        "dates": ["2021-06-17"], "sources": ["002"]}


@pytest.mark.parametrize(("change", "message"), [
    ({"organisation": "mfx"}, "actor 'zakharova': member of unknown actor 'mfx'"),
    ({"organisation": "russia"}, "member of 'russia', which is a state, not an organisation"),
    ({"title": "Spokeswoman"}, "membership rests on no role 'Spokeswoman'"),
    ({"dates": ["2021-06-18"]}, "membership date '2021-06-18' is not a date of the role"),
    ({"sources": ["001"]}, "membership source '001' gives no role"),
])
def test_check_refuses_a_membership_no_role_supports(
        make_kb: Callable[..., Path], kb_data: Any, run_nkb: Any, line_with: Any,
        change: dict[str, Any], message: str) -> None:
    root = ministry_kb(make_kb, kb_data, GOOD | change)
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    assert message in result.stderr
    # the line is the membership's own field, not the role's
    reported = int(result.stderr.split("actors.yaml:")[1].split(":")[0])
    lines = (root / "actors.yaml").read_text(encoding="utf-8").splitlines()
    assert reported > line_with(root / "actors.yaml", "member_of:")
    assert next(iter(change)) in lines[reported - 1] or lines[reported - 1].lstrip().startswith("-")


def test_a_membership_its_role_supports_passes_check(make_kb: Callable[..., Path],
                                                     kb_data: Any, run_nkb: Any) -> None:
    result = run_nkb("check", kb=ministry_kb(make_kb, kb_data, GOOD))
    assert result.exit_code == ExitCode.OK, result.stderr


def test_members_brings_the_people_s_quotes_each_naming_who_spoke(
        make_kb: Callable[..., Path], kb_data: Any, run_nkb: Any) -> None:
    root = ministry_kb(make_kb, kb_data, GOOD)
    alone = run_nkb("quotes", "--speaker", MINISTRY, "-f", "json", kb=root)
    assert json.loads(alone.stdout) == []
    result = run_nkb("quotes", "--speaker", MINISTRY, "--members", "-f", "json", kb=root)
    rows = json.loads(result.stdout)
    assert [(r["id"], r["speaker"], r["member_of"]) for r in rows] == [
        ("002-1", "Maria Zakharova", MINISTRY)]
    piped = run_nkb("quotes", "--speaker", MINISTRY, "--members", kb=root)
    assert piped.stdout.split("\t")[:3] == ["002-1", "2021-06-17", "Maria Zakharova"]


def test_a_quote_outside_the_membership_is_not_the_organisation_s(
        make_kb: Callable[..., Path], kb_data: Any, run_nkb: Any) -> None:
    # the membership cites 002 and dates it 2021-06-17: a quote of hers in 003, in 2024, was
    # not said as a member as far as any article tells
    kb_data.sources["003"]["record"]["quotes"].append(
        {"id": "003-2", "speaker": "zakharova", "date": "2024-06-05", "text": "End"})
    root = ministry_kb(make_kb, kb_data, GOOD)
    result = run_nkb("quotes", "--speaker", MINISTRY, "--members", "-f", "json", kb=root)
    assert [r["id"] for r in json.loads(result.stdout)] == ["002-1"]
    everything = run_nkb("quotes", "--speaker", "Zakharova", "-f", "json", kb=root)
    assert [r["id"] for r in json.loads(everything.stdout)] == ["002-1", "003-2"]


def test_the_organisation_s_profile_lists_its_people_and_their_quotes(
        make_kb: Callable[..., Path], kb_data: Any, run_nkb: Any) -> None:
    root = ministry_kb(make_kb, kb_data, GOOD)
    profile = json.loads(run_nkb("actor", MINISTRY, "-f", "json", kb=root).stdout)
    assert [m["id"] for m in profile["members"]] == ["zakharova"]
    assert [(q["id"], q["speaker"]) for q in profile["members_quotes"]] == [
        ("002-1", "Maria Zakharova")]
    shown = run_nkb("actor", MINISTRY, kb=root).stdout
    assert "member\tMaria Zakharova (zakharova): Spokeswoman of the Russian Foreign Ministry" \
        in shown
    assert "Quotes by its people" in shown
    person = json.loads(run_nkb("actor", "Zakharova", "-f", "json", kb=root).stdout)
    assert person["member_of"][0]["name"] == MINISTRY


def test_all_takes_every_holder_of_a_role_and_says_so(run_nkb: Any) -> None:
    refused = run_nkb("quotes", "--speaker", "Deputy Foreign Minister")
    assert refused.exit_code != ExitCode.OK
    assert "matches several actors" in refused.stderr
    result = run_nkb("quotes", "--speaker", "Deputy Foreign Minister", "--all", "-f", "json")
    assert result.exit_code == ExitCode.OK
    assert "taken as every actor who held the role: Andrey Rudenko (rudenko)" in result.stderr
    assert "Mikhail Galuzin (galuzin)" in result.stderr
    assert {r["speaker_id"] for r in json.loads(result.stdout)} == {"rudenko", "galuzin"}
    named = run_nkb("quotes", "--speaker", "Galuzin", "--all", "-f", "json")
    assert {r["speaker_id"] for r in json.loads(named.stdout)} == {"galuzin"}
    assert named.stderr == ""


def test_the_shipped_ministry_s_people_on_the_border(run_nkb: Any) -> None:
    """The shipped KB: the ministry's spokeswoman and deputy ministers speak for it."""
    result = run_nkb("quotes", "--speaker", MINISTRY, "--members", "--search", "border",
                     "-f", "json")
    rows = json.loads(result.stdout)
    speakers = {r["speaker"] for r in rows}
    assert {"Maria Zakharova", "Andrey Rudenko"} <= speakers
    assert all(r.get("member_of") == MINISTRY for r in rows if r["speaker"] != MINISTRY)
    assert "002-5" in {r["id"] for r in rows}  # Zakharova on delimiting the border


def test_the_mcp_list_quotes_tool_takes_members_and_every_holder(
        make_kb: Callable[..., Path], kb_data: Any, plain_env: None) -> None:
    from nkb import mcpserver

    lib = mcpserver.Library(ministry_kb(make_kb, kb_data, GOOD))
    found = mcpserver.list_quotes(lib, speaker=MINISTRY, members=True)
    assert [(q["id"], q["speaker"], q["member_of"]) for q in found["quotes"]] == [
        ("002-1", "Maria Zakharova", MINISTRY)]
    assert mcpserver.list_quotes(lib, speaker=MINISTRY)["quotes"] == []
    every = mcpserver.list_quotes(lib, speaker="Spokeswoman", every_holder=True)
    assert [q["id"] for q in every["quotes"]] == ["002-1"]


def test_a_role_held_by_several_says_how_to_take_them_all(run_nkb: Any) -> None:
    refused = run_nkb("quotes", "--speaker", "Deputy Foreign Minister")
    assert refused.stderr.endswith("; or --all for every actor who held the role (nkb quotes)\n")
    name = run_nkb("quotes", "--speaker", "Mikhail")  # Galuzin and Gusman: a name, no role
    assert "matches several actors" in name.stderr and "--all" not in name.stderr
