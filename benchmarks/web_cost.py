"""What reading a web page costs `nkb add`: trafilatura's import, and a whole `nkb add` of a
saved page against the same article as text, interleaved.

Usage: python benchmarks/web_cost.py [--runs 9]
Prints each command's median wall time, and its median and least CPU time. Each `nkb add`
goes into a fresh copy of a KB of one actor in a temporary folder (with its own cache folder).
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


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one child process, in seconds; CPU time
    moves less than wall time when other work shares the machine."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {child.returncode}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


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
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs + 1):  # the first round only warms the files' caches
            for name, command in commands.items():
                if name.startswith("nkb add"):
                    kb = root / f"kb-{run}-{len(name)}"
                    shutil.copytree(template, kb)
                    command = [str(BIN / "nkb"), "--kb", str(kb), "add", *command]
                wall, cpu = timed(command, env)
                if run:
                    walls[name].append(wall)
                    cpus[name].append(cpu)
        print(f"{'':28} {'wall median':>11} {'CPU median':>11} {'CPU min':>8}   ({args.runs} runs)")
        for name in commands:
            print(f"{name:28} {statistics.median(walls[name]) * 1000:8.0f} ms "
                  f"{statistics.median(cpus[name]) * 1000:8.0f} ms {min(cpus[name]) * 1000:5.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
