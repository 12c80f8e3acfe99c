"""`nkb mcp` reaches every filter of the command line: word queries, certain and possible dates,
outlets, drafts and order on the listings; sources, actors, the timeline and topics as tools;
several ids to cite; and errors in the tools' words, never a command the assistant cannot run.

Talked to with the MCP SDK's own client, through the helpers of tests/test_mcp.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the MCP SDK comes with nkb[mcp] and nkb[test]")
from mcp import ClientSession
from test_mcp import NKB, call, cli_json, cli_text, error, serve

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")

ALL_TOOLS = {"search", "list_quotes", "list_events", "list_sources", "list_actors", "timeline",
             "topics", "get_source", "get_quote", "get_event", "get_actor", "cite"}
# what an error or notice must never say: a command to run, or a command-line option
COMMAND_WORDS = re.compile(r"\bnkb (check|source|sources|quote|quotes|event|events|actor|actors|"
                           r"search|cite|topics|timeline)\b|(?<![\w-])--[a-z]")


@pytest.fixture
def root(make_kb: Callable[..., Path], kb_data: Any) -> Path:
    """The fixture KB with a border quote, an 'in order to' quote, an open-started event and a
    draft source."""
    sources = kb_data.sources
    sources["004"] = {
        "record": {"id": "004", "title": "Zakharova on the border", "outlet": "TASS",
                   "date": "2022-03-01", "file": "004.txt",
                   "quotes": [
                       {"id": "004-1", "speaker": "zakharova", "date": "2022-03-01",
                        "text": "Tension on the border has abated"},
                       {"id": "004-2", "speaker": "zakharova", "date": "2022-03-01",
                        "text": "Russia acted in order to prevent incidents"},
                       {"id": "004-3", "speaker": "zakharova", "date": "2022-03-01",
                        "text": "The peace treaty is near and peace talks go on"}]},
        "text": "Zakharova said: Tension on the border has abated. Russia acted in order to "
                "prevent incidents. The peace treaty is near and peace talks go on.\n",
    }
    sources["005"] = {
        "record": {"id": "005", "title": "TODO: write a short title", "outlet": "TASS",
                   "date": "2022-12-29", "file": "005.txt", "status": "draft",
                   "quotes": [{"id": "005-1", "speaker": "galuzin", "date": "2022-12-29",
                               "text": "Talks on the ceasefire will continue"}]},
        "text": "\"Talks on the ceasefire will continue,\" Galuzin said.\n",
    }
    events = [*kb_data.events,
              {"id": "by-2023-statement", "date": "../2023-02?", "title": "A statement by 2023",
               "description": "Said before February 2023.", "actors": ["russia"],
               "sources": ["001"]}]
    return make_kb(sources=sources, events=events)


def test_the_tools_are_every_listing_and_view(root: Path) -> None:
    async def scenario(session: ClientSession) -> Any:
        return await session.list_tools()

    listed = serve(root, scenario)
    assert {t.name for t in listed.tools} == ALL_TOOLS
    schemas = {t.name: set(t.input_schema["properties"]) for t in listed.tools}
    assert schemas["list_quotes"] >= {"speaker", "mentions", "text", "exact", "since", "until",
                                      "within", "source", "outlet", "kind", "topic", "members",
                                      "every_holder", "drafts", "sort", "reverse", "limit"}
    assert schemas["list_events"] >= {"since", "until", "within", "actor", "place", "source",
                                      "text", "exact", "drafts", "sort", "reverse", "limit"}
    assert schemas["search"] >= {"text", "kind", "exact", "drafts", "limit", "topic"}
    assert schemas["cite"] == {"ids", "format", "drafts"}


def test_word_queries_answer_as_the_command_line_does(root: Path) -> None:
    queries = ['"peace treaty"', "treaty OR ceasefire", "peace -talks", "negotiat* OR observ*",
               "border", "bordr"]

    async def scenario(session: ClientSession) -> dict[str, Any]:
        got: dict[str, Any] = {}
        for query in queries:
            got[("search", query)] = await call(session, "search", text=query, limit=0)
            got[("quotes", query)] = await call(session, "list_quotes", text=query, limit=0)
        got["exact"] = await call(session, "list_quotes", text="bordr", exact=True)
        got["events"] = await call(session, "list_events", text="talks OR trilateral")
        return got

    got = serve(root, scenario)
    for query in queries:
        assert got[("search", query)]["hits"] == cli_json(root, "search", query, "--limit", "0")
        assert got[("quotes", query)]["quotes"] == cli_json(root, "quotes", "--search", query)
    assert [q["id"] for q in got[("quotes", '"peace treaty"')]["quotes"]] == ["004-3"]
    assert [q["id"] for q in got[("quotes", "peace -talks")]["quotes"]] == []
    assert [q["id"] for q in got[("quotes", "treaty OR ceasefire")]["quotes"]] == ["002-1", "004-3"]
    assert [q["id"] for q in got[("quotes", "border")]["quotes"]] == ["004-1"]  # not 'order'
    near = got[("quotes", "bordr")]
    assert [q["id"] for q in near["quotes"]] == ["004-1"]
    assert near["quotes"][0]["match"] == "near spelling: 'bordr' read as 'border'"
    assert "'bordr' read as 'border'" in near["notices"]
    assert "'bordr' read as 'border'" in got[("search", "bordr")]["notices"]
    assert got["exact"]["quotes"] == []
    assert got["events"]["events"] == cli_json(root, "events", "--search", "talks OR trilateral")


def test_dates_outlets_drafts_and_order_answer_as_the_command_line_does(root: Path) -> None:
    async def scenario(session: ClientSession) -> dict[str, Any]:
        return {
            "possible": await call(session, "list_events", since="2020", until="2020"),
            "within": await call(session, "list_events", since="2020", until="2020",
                                 within=True),
            "quotes": await call(session, "list_quotes", since="2023-02-09",
                                 until="2023-02-09", within=True),
            "outlet": await call(session, "list_quotes", outlet="Interfax"),
            "drafts": await call(session, "list_quotes", drafts=True, limit=0),
            "sorted": await call(session, "list_quotes", sort="speaker", reverse=True, limit=0),
            "events_sorted": await call(session, "list_events", sort="title", drafts=True),
        }

    got = serve(root, scenario)
    assert got["possible"]["events"] == cli_json(root, "events", "--since", "2020", "--until",
                                                 "2020")
    assert {e["id"]: e["range"] for e in got["possible"]["events"]}["by-2023-statement"] == \
        "possible"
    assert "within=true" in got["possible"]["notices"][0]
    assert got["within"]["events"] == cli_json(root, "events", "--since", "2020", "--until",
                                               "2020", "--within") == []
    assert [q["id"] for q in got["quotes"]["quotes"]] == ["001-2"]
    assert got["outlet"]["quotes"] == cli_json(root, "quotes", "--outlet", "Interfax")
    assert got["drafts"]["quotes"] == cli_json(root, "quotes", "--drafts")
    assert "005-1" in [q["id"] for q in got["drafts"]["quotes"]]
    assert any("not yet curated" in n for n in got["drafts"]["notices"])
    assert got["sorted"]["quotes"] == cli_json(root, "quotes", "--sort", "speaker", "--reverse")
    assert got["events_sorted"]["events"] == cli_json(root, "events", "--sort", "title",
                                                      "--drafts")


def test_sources_actors_timeline_topics_and_profiles_as_tools(root: Path) -> None:
    async def scenario(session: ClientSession) -> dict[str, Any]:
        return {
            "sources": await call(session, "list_sources", drafts=True, sort="id", reverse=True),
            "curated": await call(session, "list_sources"),
            "actors": await call(session, "list_actors", kind="person", limit=2),
            "timeline": await call(session, "timeline", since="2020", until="2021",
                                   actor="Zakharova"),
            "events_only": await call(session, "timeline", events_only=True, within=True,
                                      since="2019", until="2023"),
            "topics": await call(session, "topics"),
            "actor": await call(session, "get_actor", name="Zakharova", kind="direct"),
        }

    got = serve(root, scenario)
    assert got["sources"]["sources"] == cli_json(root, "sources", "--drafts", "--sort", "id",
                                                 "--reverse")
    assert "005" not in [s["id"] for s in got["curated"]["sources"]]
    people = cli_json(root, "actors", "--kind", "person")
    assert got["actors"]["actors"] == people[:2] and got["actors"]["total"] == len(people)
    assert got["timeline"]["timeline"] == cli_json(root, "timeline", "--since", "2020",
                                                   "--until", "2021", "--actor", "Zakharova")
    assert got["timeline"]["timeline"]["range"] == "2020\u20132021"
    assert got["events_only"]["timeline"] == cli_json(root, "timeline", "--events-only",
                                                      "--within", "--since", "2019",
                                                      "--until", "2023")
    assert got["topics"]["topics"] == cli_json(root, "topics")
    assert got["actor"]["actor"] == cli_json(root, "actor", "Zakharova", "--kind", "direct")


def test_cite_takes_several_ids_and_a_drafts_flag(root: Path) -> None:
    async def scenario(session: ClientSession) -> dict[str, Any]:
        return {
            "csl": await call(session, "cite", ids=["001-1", "004-1", "001-1"],
                              format="csl-json"),
            "draft": await call(session, "cite", ids=["005", "002"], drafts=True),
            "refused": await error(session, "cite", ids=["002", "005"]),
        }

    got = serve(root, scenario)
    assert got["csl"]["citation"] == cli_text(root, "cite", "001-1", "004-1", "-f", "csl-json")
    assert [i["id"] for i in json.loads(got["csl"]["citation"])] == ["nkb-001-1", "nkb-004-1"]
    assert got["csl"]["ids"] == ["001-1", "004-1"]
    assert got["draft"]["citation"].startswith("DRAFT") and got["draft"]["notices"]
    assert "drafts=true" in got["refused"]


def test_errors_and_notices_name_tools_and_parameters_never_commands(root: Path) -> None:
    broken_calls: list[tuple[str, dict[str, Any]]] = [
        ("get_quote", {"id": "009-9"}),
        ("get_source", {"id": "2019-vienna-talks"}),  # an event's id
        ("get_quote", {"id": "002"}),  # a source's id
        ("get_event", {"id": "no-such-event"}),
        ("get_actor", {"name": "Xqwzt Plorb"}),  # near no name: the error says where to look
        ("list_quotes", {"outlet": "Nowhere Gazette"}),
        ("list_events", {"place": "Atlantis"}),
        ("list_quotes", {"sort": "colour"}),
        ("list_quotes", {"text": "-talks"}),
        ("cite", {"ids": ["005"]}),
        ("cite", {"ids": ["999"]}),
        ("cite", {"ids": []}),
    ]

    async def scenario(session: ClientSession) -> dict[str, Any]:
        errors = [await error(session, tool, **args) for tool, args in broken_calls]
        empty = await call(session, "list_quotes", speaker="osce")
        return {"errors": errors, "empty": empty}

    got = serve(root, scenario)
    for (tool, _), text in zip(broken_calls, got["errors"], strict=True):
        assert not COMMAND_WORDS.search(text), (tool, text)
    assert "get_event(id='2019-vienna-talks')" in got["errors"][1]
    assert "get_source(id='002')" in got["errors"][2]
    assert "list_events" in got["errors"][3]
    assert "list_actors" in got["errors"][4]
    assert "drafts=true" in got["errors"][9]
    assert "use date, id, speaker" in got["errors"][7]
    # an actor with no quotes: the notice points at the profile tool
    [notice] = got["empty"]["notices"]
    assert "get_actor(name='osce')" in notice and not COMMAND_WORDS.search(notice)


def test_a_broken_kb_is_explained_without_a_command(root: Path) -> None:
    events = root / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("date: '2019'",
                                                                 "date: 'someday'"),
                      encoding="utf-8")

    async def scenario(session: ClientSession) -> str:
        return await error(session, "list_events")

    text = serve(root, scenario)
    assert "someday" in text and "events.yaml:" in text
    assert not COMMAND_WORDS.search(text)


def test_search_narrows_by_topic_as_the_command_line_does() -> None:
    from nkb import store

    shipped = store.shipped_kb()

    async def scenario(session: ClientSession) -> dict[str, Any]:
        return {"topic": await call(session, "search", text="border", topic="bloodshed"),
                "events": await error(session, "search", text="border", topic="bloodshed",
                                      kind="event")}

    got = serve(shipped, scenario)
    assert got["topic"]["hits"] == cli_json(shipped, "search", "border", "--topic", "bloodshed")
    assert {h["kind"] for h in got["topic"]["hits"]} == {"quote"}
    assert "topics tag quotes only" in got["events"] and not COMMAND_WORDS.search(got["events"])
