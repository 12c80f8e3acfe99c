"""Per-call latency of `nkb mcp` over one client session, and the server's resident memory:
`python benchmarks/mcp_latency.py [--kb DIR] [--calls 300] [--seed 1]`.

Starts the installed `nkb mcp` (beside this Python) with the MCP SDK's own client, makes a few
warm-up calls, then times each call as the client sees it (request out, result parsed back):
`list_quotes(speaker=NAME)` and `search(text=WORDS)` alternating, speakers and words drawn from
the KB itself. Prints the median and 95th percentile per tool, and the server's resident memory
(VmRSS now, VmHWM its peak) from /proc. Build the KB's cache first (`nkb --kb DIR check`), or
the first call pays for it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from nkb import store

NKB = Path(sys.executable).parent / "nkb"
WARM_UP = 10
LIMIT = 20  # rows a call returns, as an assistant would ask


def workload(root: Path, calls: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """The calls to time: speakers that have quotes, and two words from a quote's text."""
    kb = store.open_kb(root)
    rng = random.Random(seed)
    speakers = sorted({kb.speaker_name(q) for q in kb.quotes if q.speaker in kb.actors})
    texts = [q.text for q in kb.quotes]
    out: list[tuple[str, dict[str, Any]]] = []
    for n in range(calls):
        if n % 2 == 0:
            out.append(("list_quotes", {"speaker": rng.choice(speakers), "limit": LIMIT}))
        else:
            words = [w.strip(".,;:\"'()") for w in rng.choice(texts).split() if len(w) > 4]
            out.append(("search", {"text": " ".join(rng.sample(words, min(2, len(words)))),
                                   "limit": LIMIT}))
    return out


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


def memory_mib(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(root: Path, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    params = StdioServerParameters(command=str(NKB), args=["--kb", str(root), "mcp"],
                                   env=dict(os.environ))
    timings: dict[str, list[float]] = {}
    errors = 0
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        for tool, arguments in calls[:WARM_UP]:
            await session.call_tool(tool, arguments)
        for tool, arguments in calls:
            started = time.perf_counter()
            result = await session.call_tool(tool, arguments)
            timings.setdefault(tool, []).append((time.perf_counter() - started) * 1000)
            errors += bool(result.is_error)
        servers = [p for p in children_of(os.getpid()) if "mcp" in
                   Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
        memory = memory_mib(servers[0]) if servers else {}
    return {"timings": timings, "errors": errors, "memory": memory}


async def measure_in_process(root: Path, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The same calls handed to the server object directly: its own share of each call (the SDK's
    argument checks and result conversion included), without the pipes and the client."""
    from nkb import mcpserver

    lib = mcpserver.Library(root)
    lib.kb()
    server = mcpserver.build(lib)
    timings: dict[str, list[float]] = {}
    for tool, arguments in calls[:WARM_UP]:
        await server.call_tool(tool, arguments)
    for tool, arguments in calls:
        started = time.perf_counter()
        await server.call_tool(tool, arguments)
        timings.setdefault(tool, []).append((time.perf_counter() - started) * 1000)
    return {"timings": timings}


def report(title: str, timings: dict[str, list[float]]) -> None:
    print(f"  {title}")
    for tool, values in timings.items():
        print(f"    {tool:12} n={len(values):4}  median {statistics.median(values):7.2f} ms  "
              f"p95 {percentile(values, 0.95):7.2f} ms  max {max(values):7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=None, help="KB folder (default: the shipped KB)")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    root = store.find_kb(args.kb) if args.kb else store.shipped_kb()
    calls = workload(root, args.calls, args.seed)
    got = anyio.run(measure, root, calls)
    print(f"KB: {root} ({len(calls)} timed calls, {got['errors']} tool errors)")
    report("round trip over stdio, as the SDK's client sees it:", got["timings"])
    report("in the server (MCPServer.call_tool in-process):",
           anyio.run(measure_in_process, root, calls)["timings"])
    if got["memory"]:
        print(f"  server memory: RSS {got['memory']['VmRSS']:.0f} MiB "
              f"(peak {got['memory']['VmHWM']:.0f} MiB)")


if __name__ == "__main__":
    main()
