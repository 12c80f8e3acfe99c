"""Time against input size where a quadratic step would show: problems, references, articles.

    python benchmarks/scaling.py [--problems 1000,3000,8000] [--quotes 1000,5000,10000]
                                 [--articles 0.25,1,4] [--shapes 0.5,1] [--runs 3]

Three series, each the median wall time of separate `nkb` processes with the cache off (every
file parsed, every check run):

- problems: `nkb check` on an actors.yaml of N one-line actors each missing its name, so N
  problems, each needing its line;
- unknown speaker: `nkb check` on a KB of N one-quote sources whose speaker was renamed in
  actors.yaml, so every quote is a problem with a did-you-mean hint;
- add: `nkb add` of a generated article of N MB (paragraphs of reported speech, quotes,
  institutions and roles), into a copy of a small KB, each run on a fresh copy;
- add, hostile shapes: `nkb add` of articles shaped to find quadratic steps in the reader, at
  each scale of `--shapes` (1 = the full size): one run-on sentence full of verbs of saying
  (78 KB), 1,500 quoted terms in one paragraph, 20,000 quotes in one paragraph, a 4,000-word
  run of "said".

Linear time shows as time growing in step with N. Everything is written to a temp folder
(`--work`), never into the repository. Benchmarks are not tests: nothing here asserts.
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
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NKB = [sys.executable, "-m", "nkb"]


def timed(argv: list[str], env: dict[str, str], runs: int,
          before: Callable[[], None] | None = None) -> float:
    """Median wall seconds of `runs` separate processes."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=tempfile.gettempdir(), check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def empty_kb(root: Path) -> Path:
    (root / "sources").mkdir(parents=True)
    (root / "events.yaml").write_text("[]\n", encoding="utf-8")
    return root


def problems_kb(root: Path, count: int) -> Path:
    empty_kb(root)
    lines = [f"- {{id: actor-{n}, kind: person}}\n" for n in range(count)]
    (root / "actors.yaml").write_text("".join(lines), encoding="utf-8")
    return root


def renamed_speaker_kb(root: Path, quotes: int) -> Path:
    """`quotes` sources of one quote each by `envoy`, whose actor is now called `envoy-2`."""
    empty_kb(root)
    actors = [f"- {{id: speaker-{n}, name: Speaker Number{n}, kind: person}}\n" for n in range(1500)]
    actors.append("- {id: envoy-2, name: The Envoy, kind: person}\n")
    (root / "actors.yaml").write_text("".join(actors), encoding="utf-8")
    for n in range(quotes):
        sid = f"{n + 1:05d}" if quotes >= 1000 else f"{n + 1:03d}"
        text = f"MOSCOW. The talks went on, number {n}. We keep working, the envoy said.\n"
        (root / "sources" / f"{sid}.txt").write_text(text, encoding="utf-8")
        (root / "sources" / f"{sid}.yaml").write_text(
            f'id: "{sid}"\ntitle: Talks {n}\noutlet: TASS\ndate: "2023-02-01"\nfile: {sid}.txt\n'
            f'quotes:\n  - id: "{sid}-1"\n    speaker: envoy\n    date: "2023-02-01"\n'
            "    text: We keep working\n", encoding="utf-8")
    return root


PARAGRAPH = (
    "MOSCOW, February {day}. The Russian Foreign Ministry said on Monday that talks between "
    "Baku and Yerevan would go on. \"We are ready to host a new round of talks in Moscow,\" the "
    "ministry said in a statement. Deputy Foreign Minister Mikhail Galuzin met the ambassador "
    "of Armenia, the ministry's press service reported. \"The border commissions will meet "
    "again soon,\" the deputy minister noted, according to the Kremlin press service. The "
    "Security Council of Armenia and the Azerbaijani Foreign Ministry issued statements of "
    "their own. \"Peace is near, but work remains,\" the spokeswoman of the ministry added.\n\n")


def article(path: Path, megabytes: float) -> Path:
    size = int(megabytes * 1024 * 1024)
    parts, total, n = [], 0, 0
    while total < size:
        part = PARAGRAPH.format(day=1 + n % 28)
        parts.append(part)
        total += len(part)
        n += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def run_on_sentence(size: int) -> str:
    """One sentence of `size` characters, a verb of saying every few words."""
    unit = "Galuzin said that the envoy noted that the spokesman added that Petrov stressed that "
    return "MOSCOW, June 17. /TASS/. " + unit * (size // len(unit)) + "talks go on.\n"


def quoted_terms(count: int) -> str:
    """One paragraph of `count` short quoted terms ('the "term 7" format')."""
    return ("MOSCOW, June 17. /TASS/. " + " ".join(f'the "term {i}" format,' for i in range(count))
            + " Galuzin said.\n")


def quotes_in_one_paragraph(count: int) -> str:
    """`count` attributed quotes with no paragraph break between them."""
    return "MOSCOW, June 17. /TASS/. Talks.\n" + " ".join(
        f'"We agree on point {i}," he said.' for i in range(count)) + "\n"


def run_of_said(count: int) -> str:
    """A `count`-word run of "said" after a name."""
    return "MOSCOW, June 17. /TASS/. Galuzin " + " ".join(["said"] * count) + ".\n"


# name, full size, the generator: the shapes that were quadratic in the reader
SHAPES: list[tuple[str, int, Callable[[int], str]]] = [
    ("run-on sentence, bytes", 78_000, run_on_sentence),
    ("quoted terms", 1_500, quoted_terms),
    ("quotes in one paragraph", 20_000, quotes_in_one_paragraph),
    ("run of 'said', words", 4_000, run_of_said),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time nkb against the size of its input.")
    parser.add_argument("--problems", default="1000,3000,8000")
    parser.add_argument("--quotes", default="1000,5000,10000")
    parser.add_argument("--articles", default="0.25,1,4", help="article sizes in MB")
    parser.add_argument("--shapes", default="0.5,1",
                        help="scales of the hostile article shapes (1 = full size)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "nkb-scaling")
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    env = {**os.environ, "NKB_CACHE_DIR": "off", "NKB_TODAY": "2024-06-01"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NKB_KB", None)
    print("series                         N     seconds  s per 1000")
    for count in (int(x) for x in args.problems.split(",") if x):
        root = problems_kb(args.work / f"problems-{count}", count)
        seconds = timed([*NKB, "--kb", str(root), "check"], env, args.runs)
        print(f"check, bad actors       {count:>8}  {seconds:>8.2f}  {seconds / count * 1000:>8.3f}")
    for count in (int(x) for x in args.quotes.split(",") if x):
        root = renamed_speaker_kb(args.work / f"renamed-{count}", count)
        seconds = timed([*NKB, "--kb", str(root), "check"], env, args.runs)
        print(f"check, unknown speaker  {count:>8}  {seconds:>8.2f}  {seconds / count * 1000:>8.3f}")
    base = problems_kb(args.work / "add-base", 0)
    (base / "actors.yaml").write_text(
        "- {id: galuzin, name: Mikhail Galuzin, kind: person, aliases: [Galuzin]}\n"
        "- {id: russian-mfa, name: Russian Foreign Ministry, kind: organisation, "
        "aliases: [Foreign Ministry, the ministry]}\n", encoding="utf-8")
    for megabytes in (float(x) for x in args.articles.split(",") if x):
        text = article(args.work / f"article-{megabytes}.txt", megabytes)
        target = args.work / "add-kb"

        def fresh(target: Path = target) -> None:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(base, target)

        seconds = timed([*NKB, "--kb", str(target), "add", str(text)], env, args.runs, fresh)
        print(f"add, article MB         {megabytes:>8}  {seconds:>8.2f}  {seconds / megabytes:>8.3f}"
              " (per MB)")
    for name, full, make in SHAPES:
        for scale in (float(x) for x in args.shapes.split(",") if x):
            size = int(full * scale)
            path = args.work / f"shape-{make.__name__}-{size}.txt"
            path.write_text(make(size), encoding="utf-8")
            target = args.work / "add-kb"

            def fresh_kb(target: Path = target) -> None:
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(base, target)

            seconds = timed([*NKB, "--kb", str(target), "add", str(path)], env, args.runs,
                            fresh_kb)
            print(f"add, {name:<26} {size:>8}  {seconds:>8.2f}  {seconds / size * 1000:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
