"""Limits and the MCP wire: the installed `nkb` in a subprocess.

Every integer option is bounded with a usage error; over MCP a limit out of range is a tool
error saying so. Every request `nkb mcp` receives is answered: a malformed one (not JSON, a
batch, `jsonrpc` other than "2.0", `params` not an object, no method, an id that is neither a
string nor an integer) with a JSON-RPC error, so that no client waits forever; the server
goes on serving, and an answer never lands inside another."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkb import mcpserver
from nkb.errors import ExitCode

NKB = Path(sys.executable).parent / "nkb"

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")

TOO_BIG = ["9223372036854775808", "1000001", "99999999999999999999999999999999"]


# --- integer options ----------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [*TOO_BIG, "-1"])
@pytest.mark.parametrize("command", [["quotes"], ["events"], ["sources"], ["actors"],
                                     ["search", "peace"]])
def test_a_limit_out_of_range_is_a_usage_error(limit: str, command: list[str],
                                               kb_dir: Path) -> None:
    result = subprocess.run([str(NKB), "--kb", str(kb_dir), *command, "-n", limit, "-f", "csv"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout) == (ExitCode.USAGE, "")
    assert "--limit" in result.stderr and "1000000" in result.stderr
    assert "unexpected" not in result.stderr


def test_the_largest_limit_shows_everything(kb_dir: Path) -> None:
    result = subprocess.run([str(NKB), "--kb", str(kb_dir), "search", "ceasefire", "-n",
                             "1000000", "-f", "json"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == ExitCode.OK
    assert {hit["id"] for hit in json.loads(result.stdout)} == {"002", "002-1"}  # both hits


# --- the MCP wire -------------------------------------------------------------------------------

INITIALIZE = {"jsonrpc": "2.0", "id": "init", "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "raw", "version": "1"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


class Wire:
    """`nkb mcp` on a KB, spoken to in raw lines."""

    def __init__(self, kb: Path) -> None:
        self.process = subprocess.Popen([str(NKB), "--kb", str(kb), "mcp"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.pending = b""
        self.send(json.dumps(INITIALIZE).encode())
        assert self.answer("init")["result"]["serverInfo"]["name"] == "nkb"
        self.send(json.dumps(INITIALIZED).encode())

    def send(self, *lines: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"".join(line + b"\n" for line in lines))
        self.process.stdin.flush()

    def lines(self, count: int, timeout: float = 30) -> list[Any]:
        """The next `count` lines the server writes, parsed (each must be JSON)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while self.pending.count(b"\n") < count:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"no answer within {timeout} s; so far: {self.pending!r}")
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            assert chunk, "the server closed its output"
            self.pending += chunk
        *taken, self.pending = self.pending.split(b"\n", count)
        return [json.loads(line) for line in taken]

    def answer(self, request_id: Any) -> Any:
        (found,) = self.lines(1)
        assert found["id"] == request_id, found
        return found

    def close(self) -> tuple[int, bytes]:
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=30)
        assert self.process.stdout is not None and self.process.stderr is not None
        assert self.process.stdout.read() == b""  # nothing unasked for
        return code, self.process.stderr.read()


@pytest.fixture
def wire(kb_dir: Path) -> Any:
    opened = Wire(kb_dir)
    yield opened
    if opened.process.poll() is None:
        opened.process.kill()
        opened.process.wait()


def request(request_id: Any, method: str = "tools/list", **fields: Any) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, **fields}).encode()


MALFORMED = {
    # what is sent: (the id answered, the JSON-RPC error code)
    "params a string": (request(1, "tools/call", params="x"), 1, -32600),
    "params a list": (request(2, params=[1]), 2, -32602),
    "params a number": (request(3, params=7), 3, -32600),
    "jsonrpc 1.0": (json.dumps({"jsonrpc": "1.0", "id": 4, "method": "tools/list"}).encode(), 4,
                    -32600),
    "no jsonrpc": (json.dumps({"id": "five", "method": "ping"}).encode(), "five", -32600),
    "an object id": (request({"a": 1}), None, -32600),
    "a fractional id": (request(6.5, "ping"), None, -32600),
    "a boolean id": (request(True, "ping"), None, -32600),
    "no method": (json.dumps({"jsonrpc": "2.0", "id": 7}).encode(), 7, -32600),
    "a method that is a number": (request(8, 42), 8, -32600),
    "not JSON": (b"garbage {", None, -32700),
    "not UTF-8": (b'{"jsonrpc": "2.0", "id": 9, "method": "\xff"}', None, -32700),
    "a JSON string": (b'"tools/list"', None, -32600),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_request_is_answered_and_the_server_goes_on(case: str, wire: Wire) -> None:
    line, answered_id, code = MALFORMED[case]
    wire.send(line, request("after", "ping"))
    first, second = wire.lines(2)
    assert first == {"jsonrpc": "2.0", "id": answered_id,
                     "error": {"code": code, "message": first["error"]["message"]}}
    assert second == {"jsonrpc": "2.0", "id": "after", "result": {}}
    assert wire.close()[0] == 0


def test_a_batch_is_answered_request_by_request(wire: Wire) -> None:
    batch = [json.loads(request(1)), {"jsonrpc": "2.0", "method": "notifications/x"},
             json.loads(request("two", "ping")), 3]
    wire.send(json.dumps(batch).encode(), b"[]", request("after", "ping"))
    answers, empty, after = wire.lines(3)
    assert [(a["id"], a["error"]["code"]) for a in answers] == [(1, -32600), ("two", -32600),
                                                                 (None, -32600)]
    assert "one JSON-RPC message per line" in answers[0]["error"]["message"]
    assert [(a["id"], a["error"]["code"]) for a in empty] == [(None, -32600)]
    assert after["result"] == {}


def test_malformed_notifications_get_no_answer(wire: Wire) -> None:
    wire.send(json.dumps({"jsonrpc": "1.0", "method": "notifications/x"}).encode(),
              json.dumps({"jsonrpc": "2.0", "method": "notifications/x", "params": []}).encode(),
              b"", b"   ", request("after", "ping"))
    assert wire.lines(1) == [{"jsonrpc": "2.0", "id": "after", "result": {}}]


def test_a_limit_out_of_range_is_a_tool_error_saying_so(wire: Wire) -> None:
    for limit in (9223372036854775808, 10**30, -1):
        wire.send(request("big", "tools/call", params={"name": "search", "arguments": {
            "text": "peace", "limit": limit}}))
        result = wire.answer("big")["result"]
        assert result["isError"] is True
        assert f"limit {limit}: give 0 for all, or how many at most (up to 1000000)" in \
            result["content"][0]["text"]


def test_answers_never_land_inside_one_another(kb_data: Any, make_kb: Callable[..., Path],
                                               ) -> None:
    # a long answer (an article of some 600 KB) while malformed lines are answered meanwhile
    kb_data.sources["003"]["text"] += "The commission continued its work on the border.\n" * 12000
    wire = Wire(make_kb(sources=kb_data.sources))
    try:
        lines = []
        for n in range(5):
            lines.append(request(f"source-{n}", "tools/call", params={
                "name": "get_source", "arguments": {"id": "3"}}))
            lines += [b"not json"] * 20
        wire.send(*lines)
        answers = wire.lines(5 + 100, timeout=120)  # every line parses as JSON
        sources = [a for a in answers if isinstance(a["id"], str)]
        assert [a["id"] for a in sources] == [f"source-{n}" for n in range(5)]
        assert all("border" in a["result"]["content"][0]["text"] for a in sources)
        assert sum(a["id"] is None for a in answers) == 100
    finally:
        wire.process.kill()
        wire.process.wait()


@given(st.binary(max_size=60) | st.text(alphabet='{}[]",:0123456789.-truefalsnjsorpcidmetho ',
                                        max_size=60).map(str.encode))
def test_every_line_is_passed_on_or_answered_with_json_rpc(line: bytes) -> None:
    line = line.replace(b"\n", b" ")
    answer = mcpserver.wire_error(line)
    if not answer:
        return  # passed on to the SDK (None), or a notification dropped (b"")
    parsed = json.loads(answer)
    for one in parsed if isinstance(parsed, list) else [parsed]:
        assert one["jsonrpc"] == "2.0" and set(one) == {"jsonrpc", "id", "error"}
        assert one["error"]["code"] in (-32700, -32600, -32602)
