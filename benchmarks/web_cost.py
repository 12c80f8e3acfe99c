"""What reading a web page costs `nkb add`: trafilatura's import, and a whole `nkb add` of a
saved page against the same article as text, interleaved.

Usage: python benchmarks/web_cost.py [--runs 9]
Each `nkb add` goes into a fresh copy of a one-source KB in a temporary folder (its own cache
folder too), so every run adds to the same KB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PAGE = Path(__file__).resolve().parent.parent / "tests" / "data" / "pages" / "published.html"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
    return time.perf_counter() - started


def small_kb(root: Path) -> Path:
    """A KB of one actor, no event and no source: what every `nkb add` run starts from."""
    kb = root / "kb"
    (kb / "sources").mkdir(parents=True)
    head = "# yaml-language-server: $schema=../schema/{}.schema.json\n"
    (kb / "actors.yaml").write_text(head.format("actors") + "- id: ivanov\n  name: Pavel "
                                    "Ivanov\n  kind: person\n", encoding="utf-8")
    (kb / "events.yaml").write_text(head.format("events") + "[]\n", encoding="utf-8")
    return kb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "NKB_CACHE_DIR": str(root / "cache"), "NKB_TODAY": "2026-12-07"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        sys.path.insert(0, str(PAGE.parents[3]))
        from nkb import web

        text = root / "article.txt"
        text.write_text(web.read_page(PAGE.read_bytes(), PAGE.name).text, encoding="utf-8")
        template = small_kb(root / "template")
        commands = {
            "python -c 'import nkb.add'": [sys.executable, "-c", "import nkb.add"],
            "... and trafilatura": [sys.executable, "-c", "import nkb.add, trafilatura"],
            "nkb add article.txt": [str(text)],
            "nkb add published.html": [str(PAGE)],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs + 1):  # the first round only warms the files' caches
            for name, command in commands.items():
                if name.startswith("nkb add"):
                    kb = root / f"kb-{run}-{len(name)}"
                    shutil.copytree(template, kb)
                    command = [str(BIN / "nkb"), "--kb", str(kb), "add", *command]
                took = timed(command, env)
                if run:
                    times[name].append(took)
        for name, values in times.items():
            print(f"{name:28} median {statistics.median(values) * 1000:6.0f} ms  "
                  f"(min {min(values) * 1000:.0f} ms, {len(values)} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
