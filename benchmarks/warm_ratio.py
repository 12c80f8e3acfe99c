"""Warm `nkb search` against the import baseline, interleaved, on one KB and cache.

Usage: python benchmarks/warm_ratio.py KB_DIR CACHE_DIR [--runs 9]
Prints the medians of the import baseline and of two warm searches, and each one's ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kb", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {**os.environ, "NKB_CACHE_DIR": str(args.cache)}
    nkb = [str(BIN / "nkb"), "--kb", str(args.kb), "search"]
    commands = {
        "import baseline": [sys.executable, "-c", "import typer, rich, yaml, rapidfuzz"],
        "search 2 words": [*nkb, "delimitation commission"],
        "search 1 word": [*nkb, "delimitation"],
    }
    timed(commands["search 2 words"], env)  # the cache and the word index current
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(timed(command, env))
    base = statistics.median(times["import baseline"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:16} {median:.3f} s  ({median / base:.2f}x the import baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
