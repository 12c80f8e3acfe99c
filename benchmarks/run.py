"""Time whole `nkb` processes on the shipped KB and synthetic KBs, cold and warm.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5]

Each figure is the median wall time of separate `nkb` processes (peak memory: the largest
ru_maxrss among them). "cold" removes the compiled cache before every run; "warm" runs on a
current cache; "edit" appends a comment to one source file (or to actors.yaml, which changes
what every source is checked against) before every run; "word index built" runs a word search
with the compiled KB current and its word index removed. Baselines measured in the same
run: starting Python and importing typer, rich, yaml and rapidfuzz; and PyYAML's C loader alone
parsing the same KB files. Synthetic KBs (benchmarks/generate.py) and the cache live in a temp
folder (`--work`), never in the repository. Benchmarks are not tests: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NKB = [sys.executable, "-m", "nkb"]
IMPORTS = "import typer, rich, yaml, rapidfuzz"
C_LOADER = """\
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for path in [root / "actors.yaml", root / "events.yaml", *sorted((root / "sources").glob("*.yaml"))]:
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.stderr.write(f"warning: exit {child.returncode}: {' '.join(argv)}\n")
    return wall, usage.ru_maxrss / 1024


BASELINE: list[float] = []  # import-baseline samples, taken between warm runs all along


def measure(argv: list[str], env: dict[str, str], runs: int, before: object = None,
            interleave: bool = False) -> tuple[float, float]:
    """Median wall time and peak memory over `runs` runs; `before()` runs ahead of each.
    With `interleave`, a baseline run follows each run, so that load from elsewhere on the
    machine weighs on both sides of a ratio alike."""
    walls, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        wall, peak = run_once(argv, env)
        walls.append(wall)
        peaks.append(peak)
        if interleave:
            BASELINE.append(run_once([sys.executable, "-c", IMPORTS], env)[0])
    return statistics.median(walls), max(peaks)


def synthetic(size: int, seed: int, work: Path) -> Path:
    root = work / f"kb-{size}-seed{seed}"
    if not (root / "events.yaml").exists():
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--quotes", str(size),
                        "--out", str(root), "--seed", str(seed)], check=True,
                       stdout=subprocess.DEVNULL)
    return root


def queries(root: Path, shipped: bool) -> dict[str, list[str]]:
    """The commands timed on one KB, with arguments that fit it."""
    if shipped:
        speaker, since, source, words = "Galuzin", "2020", "003", ("peace", "treaty")
    else:
        import yaml

        actors = yaml.load((root / "actors.yaml").read_text(encoding="utf-8"),
                           Loader=yaml.CSafeLoader)
        persons = [a["name"] for a in actors if a["kind"] == "person"]
        speaker = persons[min(150, len(persons) - 1)]  # a mid-ranked speaker (~0.2% of quotes)
        since = "2024-12"  # the last month: ~0.3% of events, so the table stays readable
        ids = sorted(p.stem for p in (root / "sources").glob("*.yaml"))
        # two of the generator's domain words: each in ~3% of quotes, both in ~0.1%, and in
        # nearly every source's text
        source, words = ids[len(ids) // 2], ("delimitation", "commission")
    return {
        "quotes --speaker": ["quotes", "--speaker", speaker],
        "quotes --speaker -f json": ["quotes", "--speaker", speaker, "--format", "json"],
        f"events --since {since}": ["events", "--since", since],
        "source ID": ["source", source],
        "search 1 word": ["search", words[0]],
        "search 2 words": ["search", " ".join(words)],
        "quotes --search 2 words": ["quotes", "--search", " ".join(words)],
        "check": ["check"],
    }


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time nkb cold and warm on KBs of several sizes.")
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic KB sizes (quotes)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--cold-runs", type=int, default=None,
                        help="runs per cold figure (default: --runs, but 1 from 50k quotes up)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "nkb-bench",
                        help="where synthetic KBs and the cache go")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    cache = args.work / "cache"
    env = {**os.environ, "NKB_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("NKB_KB", None)
    # An installed nkb runs from compiled bytecode (pip compiles it); without this, a shell that
    # sets PYTHONDONTWRITEBYTECODE would have every run compile nkb's modules afresh (~20 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    print(f"machine: {machine()}")
    print(f"command: python benchmarks/run.py --sizes {args.sizes} --runs {args.runs}\n")
    base_wall, base_peak = measure([sys.executable, "-c", IMPORTS], env, args.runs)
    BASELINE.extend([base_wall])

    header = (f"{'KB':>8} {'command':<26} {'cold s':>7} {'warm s':>7} {'warm MB':>7} "
              f"{'warm/import':>11}")
    print(header)
    print("-" * len(header))
    summary: dict[str, float] = {}
    kbs = [("shipped", REPO / "kb")] + [(f"{s // 1000}k", synthetic(s, args.seed, args.work))
                                        for s in sizes]
    for label, root in kbs:
        size = sum(1 for _ in (root / "sources").glob("*.yaml")) * 10
        cold_runs = args.cold_runs or (1 if size >= 50000 else args.runs)

        def drop_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        for name, command in queries(root, label == "shipped").items():
            full = [*NKB, "--kb", str(root), *command]
            cold, _ = measure(full, env, cold_runs, drop_cache)
            run_once(full, env)  # make sure the cache is current
            warm, peak = measure(full, env, args.runs, interleave=True)
            base_wall = statistics.median(BASELINE)
            summary[f"{label} {name} warm"] = warm
            summary[f"{label} {name} cold"] = cold
            summary[f"{label} {name} MB"] = peak
            print(f"{label:>8} {name:<26} {cold:7.3f} {warm:7.3f} {peak:7.0f} "
                  f"{warm / base_wall:11.2f}", flush=True)
        # the word index alone: the compiled KB is current, `<key>.words` is not there
        search_query = [*NKB, "--kb", str(root), *queries(root, label == "shipped")["search 2 words"]]

        def drop_word_index() -> None:
            for path in cache.glob("*.words"):
                path.unlink()

        built, peak = measure(search_query, env, cold_runs, drop_word_index)
        summary[f"{label} word index build"] = built
        search_warm = summary[f"{label} search 2 words warm"]
        print(f"{label:>8} {'search, word index built':<26} {built:7.3f} {'':>7} {peak:7.0f}   "
              f"(build: {built - search_warm:.3f} s over warm)", flush=True)
        sources = sorted((root / "sources").glob("*.yaml"))
        speaker_query = [*NKB, "--kb", str(root), *queries(root, label == "shipped")["quotes --speaker"]]
        warm = summary[f"{label} quotes --speaker warm"]
        for row, edited in (("quotes after 1 file edit", sources[len(sources) // 3]),
                            ("quotes after actors edit", root / "actors.yaml")):
            original = edited.read_bytes()
            flip = [0]

            def edit(edited: Path = edited, original: bytes = original,
                     flip: list[int] = flip) -> None:
                flip[0] += 1
                edited.write_bytes(original + f"# benchmark edit {flip[0]}\n".encode())

            try:
                after_edit, peak = measure(speaker_query, env, args.runs, edit)
            finally:
                edited.write_bytes(original)
            summary[f"{label} {row}"] = after_edit
            print(f"{label:>8} {row:<26} {'':>7} {after_edit:7.3f} {peak:7.0f} "
                  f"{after_edit / base_wall:11.2f}   ({after_edit / warm:.2f}x warm)")
        loader, peak = measure([sys.executable, "-c", C_LOADER, str(root)], env, cold_runs)
        summary[f"{label} cloader"] = loader
        print(f"{label:>8} {'PyYAML C loader, all files':<26} {loader:7.3f} {'':>7} {peak:7.0f}   "
              f"(cold check / C loader: {summary[f'{label} check cold'] / loader:.2f})", flush=True)

    print(f"\nbaseline `python -c \"{IMPORTS}\"`: median {statistics.median(BASELINE):.3f} s "
          f"over {len(BASELINE)} runs interleaved with the warm runs (min {min(BASELINE):.3f}, "
          f"max {max(BASELINE):.3f}), {base_peak:.0f} MB; warm/import uses the median so far")
    base_wall = statistics.median(BASELINE)
    print("\ntargets:")
    shipped_q = summary["shipped quotes --speaker warm"]
    print(f"  shipped quotes --speaker / import baseline: {shipped_q / base_wall:.2f} (target <= 1.0)")
    print(f"  shipped quotes --speaker -f json / import baseline: "
          f"{summary['shipped quotes --speaker -f json warm'] / base_wall:.2f} (target <= 0.7)")
    for label, _ in kbs[1:]:
        print(f"  {label}: warm search, 2 words: {summary[f'{label} search 2 words warm']:.3f} s, "
              f"{summary[f'{label} search 2 words MB']:.0f} MB (target at 100k: < 0.3 s, < 300 MB)")
        warm_all = [v for k, v in summary.items() if k.startswith(f"{label} ") and k.endswith(" warm")]
        warm_quotes = summary[f"{label} quotes --speaker warm"]
        print(f"  {label}: slowest warm command {max(warm_all):.3f} s (target < 0.5 s); warm quotes / "
              f"shipped warm quotes: {summary[f'{label} quotes --speaker warm'] / shipped_q:.2f} "
              f"(aim <= 2); cold check / C loader: "
              f"{summary[f'{label} check cold'] / summary[f'{label} cloader']:.2f} (target <= 1.5); "
              f"edit / warm: {summary[f'{label} quotes after 1 file edit'] / warm_quotes:.2f}"
              " (target < 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
