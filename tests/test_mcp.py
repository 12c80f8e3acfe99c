"""`nkb mcp`: the installed nkb serving a KB over stdio, talked to with the MCP SDK's own client.

Every tool's structured result is checked against what the command line prints with
`--format json`; bad calls, an edit between two calls and a broken KB are tool errors or fresh
answers, and the server stays up through all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from nkb.errors import ExitCode

mcp = pytest.importorskip("mcp", reason="the MCP SDK comes with nkb[mcp] and nkb[test]")
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

NKB = Path(sys.executable).parent / "nkb"
TOOLS = {"search", "list_quotes", "list_events", "list_sources", "list_actors", "timeline",
         "topics", "get_source", "get_quote", "get_event", "get_actor", "cite"}

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")

Scenario = Callable[[ClientSession], Awaitable[Any]]


def serve(root: Path, scenario: Scenario) -> Any:
    """Start `nkb --kb ROOT mcp`, initialise a client session, and run the scenario in it."""

    async def main() -> Any:
        params = StdioServerParameters(command=str(NKB), args=["--kb", str(root), "mcp"],
                                       env=dict(os.environ))
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await scenario(session)

    return anyio.run(main)


def cli_json(root: Path, *args: str) -> Any:
    """What the installed nkb prints for these arguments with --format json."""
    done = subprocess.run([str(NKB), "--kb", str(root), *args, "--format", "json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def cli_text(root: Path, *args: str) -> str:
    return subprocess.run([str(NKB), "--kb", str(root), *args], capture_output=True, text=True,
                          check=True).stdout


async def call(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    """A tool's structured result; fails the test if the tool reported an error."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    # the text content carries the same data, for clients that read only text
    assert json.loads(result.content[0].text) == result.structured_content  # type: ignore[union-attr]
    return result.structured_content


async def error(session: ClientSession, tool: str, **arguments: Any) -> str:
    """A tool's error message; fails the test if the tool answered."""
    result = await session.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    return "".join(getattr(c, "text", "") for c in result.content)


@pytest.fixture
def kb_with_draft(make_kb: Callable[..., Path], kb_data: Any) -> Path:
    """The fixture KB, a second Rudenko (so a near spelling of Rudenko is ambiguous) and a draft source."""
    actors = [*kb_data.actors, {"id": "oleg-rudenko", "name": "Oleg Rudenko", "kind": "person"}]
    sources = kb_data.sources
    sources["004"] = {
        "record": {"id": "004", "title": "TODO: write a short title", "outlet": "TASS",
                   "date": "2022-12-29", "file": "004.txt", "status": "draft",
                   "quotes": [{"id": "004-1", "speaker": "galuzin", "date": "2022-12-29",
                               "text": "Talks on the ceasefire will continue"}]},
        "text": "\"Talks on the ceasefire will continue,\" Galuzin said.\n",
    }
    return make_kb(actors=actors, sources=sources)


def test_every_tool_answers_as_the_command_line_does(kb_with_draft: Path) -> None:
    root = kb_with_draft

    async def scenario(session: ClientSession) -> dict[str, Any]:
        listed = await session.list_tools()
        got: dict[str, Any] = {"tools": listed.tools}
        got["quotes"] = await call(session, "list_quotes", limit=0)
        got["galusin"] = await call(session, "list_quotes", speaker="Galusin", kind="paraphrase")
        got["since"] = await call(session, "list_quotes", since="2021", until="2023-02", limit=1)
        got["mentions"] = await call(session, "list_quotes", mentions="Putin")
        got["events"] = await call(session, "list_events", actor="Putin", place="Sochy")
        got["search"] = await call(session, "search", text="ceasefire")
        got["search_direct"] = await call(session, "search", text="ready help", kind="direct")
        got["source"] = await call(session, "get_source", id="2")
        got["quote"] = await call(session, "get_quote", id="1-2")
        got["draft_quote"] = await call(session, "get_quote", id="004-1")
        got["event"] = await call(session, "get_event", id="2019-vienna-talks")
        got["actor"] = await call(session, "get_actor", name="Захарова")
        got["cite"] = await call(session, "cite", ids=["001-1"])
        got["csl"] = await call(session, "cite", ids=["002"], format="csl-json")
        return got

    got = serve(root, scenario)

    tools = {t.name: t for t in got["tools"]}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert "verbatim" in (tool.description or "")
        assert "paraphrase" in (tool.description or "") and "cite" in (tool.description or "")
        assert tool.annotations is not None and tool.annotations.read_only_hint

    # listings: the CLI's rows exactly; a draft's quotes are left out, as on the command line
    assert got["quotes"]["quotes"] == cli_json(root, "quotes")
    assert "004-1" not in [q["id"] for q in got["quotes"]["quotes"]]
    assert got["galusin"]["quotes"] == cli_json(root, "quotes", "-s", "Galusin", "--kind",
                                                "paraphrase")
    assert got["galusin"]["notices"] == ["'Galusin' taken as Mikhail Galuzin (near spelling)"]
    since = cli_json(root, "quotes", "--since", "2021", "--until", "2023-02")
    assert got["since"]["quotes"] == since[:1] and got["since"]["total"] == len(since) > 1
    assert got["since"]["notices"] == [f"1 of {len(since)} shown; limit=0 for all"]
    assert got["mentions"]["quotes"] == cli_json(root, "quotes", "--mentions", "Putin")
    assert got["events"]["events"] == cli_json(root, "events", "-a", "Putin", "--place", "Sochy")
    assert got["events"]["events"] and "'Sochy' taken as Sochi" in got["events"]["notices"][0]
    assert got["search"]["hits"] == cli_json(root, "search", "ceasefire")
    assert "004-1" not in [h["id"] for h in got["search"]["hits"]]
    assert got["search_direct"]["hits"] == cli_json(root, "search", "ready help", "--kind", "direct")

    # one record whole, as the CLI's views; a draft is shown but said to be one
    assert got["source"]["source"] == cli_json(root, "source", "002")
    assert got["quote"]["quote"] == cli_json(root, "quote", "001-2")
    passage = got["quote"]["quote"]["passage"]
    assert passage["text"][passage["start"]:passage["end"]].startswith("We are ready to help")
    assert got["draft_quote"]["quote"]["status"] == "draft"
    assert "draft" in got["draft_quote"]["notices"][0]
    assert got["event"]["event"] == cli_json(root, "event", "2019-vienna-talks")
    assert got["actor"]["actor"] == cli_json(root, "actor", "Захарова")
    assert got["cite"]["citation"] == cli_text(root, "cite", "001-1")
    assert got["csl"]["citation"] == cli_text(root, "cite", "002", "--format", "csl-json")
    assert json.loads(got["csl"]["citation"])[0]["container-title"] == "Sputnik Armenia"


def test_a_bad_call_is_a_tool_error_and_the_server_answers_on(kb_with_draft: Path) -> None:
    async def scenario(session: ClientSession) -> dict[str, Any]:
        got: dict[str, Any] = {}
        got["quote"] = await error(session, "get_quote", id="009-9")
        got["source"] = await error(session, "get_source", id="2019-vienna-talks")
        got["ambiguous"] = await error(session, "list_quotes", speaker="Rudenco")
        got["unknown"] = await error(session, "get_actor", name="Zakharov Ivanovich")
        got["date"] = await error(session, "list_events", since="soon")
        got["backwards"] = await error(session, "list_quotes", since="2024", until="2020")
        got["limit"] = await error(session, "search", text="ceasefire", limit=-1)
        got["kind"] = await error(session, "list_quotes", kind="rumour")
        got["draft"] = await error(session, "cite", ids=["004"])
        got["after"] = await call(session, "get_quote", id="002-1")
        return got

    got = serve(kb_with_draft, scenario)
    assert "009-9" in got["quote"]
    assert "event" in got["source"]  # the id is an event's: the error says so
    # never a guess: both Rudenkos offered, neither taken
    assert "Andrey Rudenko (rudenko)" in got["ambiguous"]
    assert "Oleg Rudenko (oleg-rudenko)" in got["ambiguous"]
    assert "Zakharov Ivanovich" in got["unknown"]
    assert "soon" in got["date"] and "since" in got["date"]
    assert "backwards" in got["backwards"]
    assert "limit" in got["limit"]
    assert "kind" in got["kind"]
    assert "draft" in got["draft"]
    assert got["after"]["quote"]["text"] == "The ceasefire must be observed"


def test_an_edit_between_two_calls_is_seen(kb_dir: Path) -> None:
    record = kb_dir / "sources" / "002.yaml"
    actors = kb_dir / "actors.yaml"

    async def scenario(session: ClientSession) -> list[Any]:
        before = await call(session, "get_source", id="002")
        unknown = await error(session, "get_actor", name="Masha")
        # edited in place: the same file, new contents
        with record.open("r+", encoding="utf-8") as handle:
            text = handle.read().replace("Zakharova on the ceasefire", "Zakharova on the truce")
            handle.seek(0)
            handle.write(text)
            handle.truncate()
        actors.write_text(actors.read_text(encoding="utf-8").replace(
            "- Zakharova\n", "- Zakharova\n  - Masha\n"), encoding="utf-8")
        after = await call(session, "get_source", id="002")
        known = await call(session, "get_actor", name="Masha")
        return [before, unknown, after, known]

    before, unknown, after, known = serve(kb_dir, scenario)
    assert before["source"]["title"] == "Zakharova on the ceasefire"
    assert "Masha" in unknown
    assert after["source"]["title"] == "Zakharova on the truce"
    assert after["source"] == cli_json(kb_dir, "source", "002")
    assert known["actor"]["id"] == "zakharova"


def test_a_broken_kb_is_an_error_with_file_and_line_and_the_server_stays_up(kb_dir: Path) -> None:
    events = kb_dir / "events.yaml"
    good = events.read_text(encoding="utf-8")
    bad = good.replace("date: '2019'", "date: 'someday'")
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "someday" in text)

    async def scenario(session: ClientSession) -> list[Any]:
        first = await call(session, "list_events")
        events.write_text(bad, encoding="utf-8")
        broken = await error(session, "list_events")
        again = await error(session, "get_event", id="2019-vienna-talks")
        events.write_text(good, encoding="utf-8")
        fixed = await call(session, "list_events")
        return [first, broken, again, fixed]

    first, broken, again, fixed = serve(kb_dir, scenario)
    assert broken.split(": ", 1)[1] == again.split(": ", 1)[1]  # after "... tool NAME: "
    assert f"events.yaml:{line}:" in broken and "someday" in broken
    assert fixed == first


def test_a_kb_broken_from_the_start_is_served_as_errors(kb_dir: Path) -> None:
    actors = kb_dir / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + "  - [unclosed\n", encoding="utf-8")
    line = len(actors.read_text(encoding="utf-8").splitlines())

    async def scenario(session: ClientSession) -> list[str]:
        return [await error(session, "search", text="ceasefire"),
                await error(session, "get_actor", name="Lavrov")]

    first, second = serve(kb_dir, scenario)
    assert f"actors.yaml:{line}:" in first
    assert second.split(": ", 1)[1] == first.split(": ", 1)[1]


def test_stdout_carries_only_protocol_messages(kb_dir: Path) -> None:
    """Raw JSON-RPC in, every line out is a JSON-RPC message, even for errors."""
    (kb_dir / "events.yaml").write_text("- [broken\n", encoding="utf-8")
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "test", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "list_events", "arguments": {}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
         "params": {"name": "get_quote", "arguments": {"id": 5}}},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/call",
         "params": {"name": "no_such_tool", "arguments": {}}},
    ]
    server = subprocess.Popen([str(NKB), "--kb", str(kb_dir), "mcp"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
    server.stdin.flush()
    replies = []
    while len([r for r in replies if "id" in r]) < 4:  # stdin stays open until all are answered
        line = server.stdout.readline()
        assert line, "the server ended before answering"
        replies.append(json.loads(line))
    _, stderr = server.communicate(timeout=60)
    assert server.returncode == 0, stderr
    assert all(r["jsonrpc"] == "2.0" for r in replies)
    by_id = {r["id"]: r for r in replies}
    assert set(by_id) == {1, 2, 3, 4}
    assert by_id[2]["result"]["isError"]
    assert "events.yaml:2:" in by_id[2]["result"]["content"][0]["text"]  # where the list ends unclosed
    assert by_id[3]["result"]["isError"] or "error" in by_id[3]  # an id must be a string
    assert by_id[4]["result"]["isError"] or "error" in by_id[4]
    assert "Traceback" not in stderr


@pytest.mark.parametrize("missing", ["mcp", "anyio"])
def test_without_the_sdk_nkb_mcp_says_how_to_install_it(
        run_nkb: Any, kb_dir: Path, monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # `import` of it now fails
    monkeypatch.delitem(sys.modules, "mcp.server.mcpserver", raising=False)
    result = run_nkb("mcp", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    assert 'pip install "nkb[mcp]"' in result.stderr and "unexpected" not in result.stderr
