"""Time whole `nkb` processes against the tools a user would otherwise pick, on the shipped KB
and synthetic KBs with and without drafts.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 9] [--cold] [--mcp-calls 200]

Every KB is also exported with `nkb export sqlite`, and each question is asked three ways, one
after the other in each round (so that load from elsewhere on the machine weighs on all alike):
`nkb ... --format json`; sqlite-utils (`sqlite-utils query EXPORT SQL`, JSON out) on the
export; and the `sqlite3` command-line shell (`sqlite3 -json`), the C floor. A fourth process
in each round is the import baseline, `python -c "import typer, rich, yaml, rapidfuzz"`.
Figures are medians of whole processes' wall times; the ratios are nkb's time over each peer's.
sqlite-utils is not a dependency of nkb: `pip install sqlite-utils` into the same environment.

Also measured: the scan that proves the cache current, alone, in-process (median of 21), beside
one `fstatat` per file in C (a small C program compiled with `cc`, when there is one); with
`--cold`, cold runs and runs after an edit; and `nkb mcp`'s per-call latency
(benchmarks/mcp_latency.py) on the shipped KB and each synthetic KB with drafts. Synthetic KBs
(benchmarks/generate.py), their exports and the cache live in `--work`, never in the
repository. Benchmarks are not tests: nothing here asserts.
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
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
NKB = [sys.executable, "-m", "nkb"]
IMPORTS = "import typer, rich, yaml, rapidfuzz"
SCAN_FLOOR_C = r"""
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
/* one fstatat per name in the folder, as nkb's scan does: the best of 21 passes, in seconds */
int main(int argc, char **argv) {
    double best = 1e9; long files = 0;
    for (int pass = 0; pass < 21; pass++) {
        struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
        DIR *dir = opendir(argv[1]); struct dirent *e; struct stat st; files = 0;
        while ((e = readdir(dir)) != NULL)
            if (e->d_name[0] != '.' && fstatat(dirfd(dir), e->d_name, &st, 0) == 0) files++;
        closedir(dir);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double t = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
        if (t < best) best = t;
    }
    printf("%ld %.9f\n", files, best);
    return 0;
}
"""

# The peers' SQL: the same question as nkb's command, on nkb's own export, drafts left out as
# nkb leaves them out (a draft's quotes, an event only drafts report, a draft source's text).
NOT_DRAFT = "(select status from sources where id = {}) is not 'draft'"
SQL = {
    "speaker": (
        "select q.id, q.speaker_name as speaker, q.speaker_id, q.text, q.date, "
        "q.source_id as source, s.outlet, s.via, q.kind, q.topics, s.status "
        "from quotes q join sources s on s.id = q.source_id join actors a on a.id = q.speaker_id "
        "where a.name = :arg and s.status is not 'draft' "
        "order by q.date_start, q.date_end, q.id"),
    "since": (
        "select e.*, (select json_group_array(source_id) from event_sources "
        "where event_id = e.id) as sources from events e where e.date_end >= :arg "
        "and (not exists (select 1 from event_sources where event_id = e.id) or exists ("
        "select 1 from event_sources es where es.event_id = e.id and "
        + NOT_DRAFT.format("es.source_id") + ")) order by e.date_start, e.date_end, e.id"),
    "source": (
        "select s.*, (select json_group_array(json_object('id', q.id, 'speaker', q.speaker_name, "
        "'text', q.text, 'date', q.date, 'kind', q.kind)) from quotes q where q.source_id = s.id) "
        "as quotes, (select json_group_array(event_id) from event_sources "
        "where source_id = s.id) as events from sources s where s.id = :arg"),
    "search": (
        "select * from (select 'quote' as kind, q.id, q.text, quotes_fts.rank as score "
        "from quotes_fts join quotes q on q.rowid = quotes_fts.rowid "
        "where quotes_fts match :arg and " + NOT_DRAFT.format("q.source_id") + " "
        "union all select 'event', e.id, e.title, events_fts.rank from events_fts "
        "join events e on e.rowid = events_fts.rowid where events_fts match :arg "
        "union all select 'source', s.id, s.title, sources_fts.rank from sources_fts "
        "join sources s on s.rowid = sources_fts.rowid where sources_fts match :arg "
        "and s.status is not 'draft') order by score limit 20"),
}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(f"warning: exit {os.waitstatus_to_exitcode(status)}: {' '.join(argv)}\n")
    return wall, usage.ru_maxrss / 1024


def interleaved(commands: dict[str, list[str]], env: dict[str, str],
                runs: int) -> dict[str, tuple[float, float]]:
    """Median wall time and peak MB of each command, the commands run in turn in each round."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(runs):
        for name, argv in commands.items():
            wall, peak = run_once(argv, env)
            walls[name].append(wall)
            peaks[name] = max(peaks[name], peak)
    return {name: (statistics.median(walls[name]), peaks[name]) for name in commands}


def synthetic(size: int, drafts: int, seed: int, work: Path) -> Path:
    root = work / f"kb-{size}-seed{seed}-drafts{drafts}"
    if not (root / "events.yaml").exists():
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--quotes", str(size),
                        "--out", str(root), "--seed", str(seed), "--drafts", str(drafts)],
                       check=True, stdout=subprocess.DEVNULL)
    return root


def questions(root: Path, shipped: bool) -> dict[str, tuple[list[str], str, str]]:
    """The questions asked of one KB: nkb's arguments, the peers' SQL and its parameter."""
    if shipped:
        speakers = {"quotes --speaker": "Mikhail Galuzin"}
        since, source, words = "2020", "003", "peace treaty"
    else:
        import yaml

        actors = yaml.load((root / "actors.yaml").read_text(encoding="utf-8"),
                           Loader=yaml.CSafeLoader)
        persons = [a["name"] for a in actors if a["kind"] == "person"]
        # the generator's speakers say less the later they come: the 150th says ~0.15% of all
        # quotes, the 59th ~0.4% (401 at 100k)
        speakers = {"quotes --speaker (mid)": persons[min(150, len(persons) - 1)],
                    "quotes --speaker (~0.4%)": persons[min(59, len(persons) - 1)]}
        since = "2024-12"  # the last month: ~0.3% of events
        ids = sorted(p.stem for p in (root / "sources").glob("*.yaml"))
        source, words = ids[len(ids) // 2], "delimitation commission"
    since_day = since + "-01" * (3 - since.count("-") - 1)
    out = {label: (["quotes", "--speaker", name], SQL["speaker"], name)
           for label, name in speakers.items()}
    out[f"events --since {since}"] = (["events", "--since", since], SQL["since"], since_day)
    out["source ID"] = (["source", source], SQL["source"], source)
    out["search 2 words"] = (["search", words], SQL["search"], words)
    return out


def export(root: Path, work: Path, env: dict[str, str]) -> Path:
    target = work / f"{root.name}.sqlite"
    subprocess.run([*NKB, "--kb", str(root), "export", "sqlite", str(target), "--force"],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return target


def scan_floor(work: Path) -> Path | None:
    """The C program timing one fstatat per file, compiled once; None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    source, program = work / "scan_floor.c", work / "scan_floor"
    source.write_text(SCAN_FLOOR_C)
    built = subprocess.run([compiler, "-O2", "-o", str(program), str(source)],
                           capture_output=True)
    return program if built.returncode == 0 else None


def scan_cost(root: Path, floor: Path | None) -> str:
    """The scan that proves the cache current, alone, against one stat per file in C."""
    from nkb import cache

    times = []
    for _ in range(21):
        started = time.perf_counter()
        names = cache.scan(root)
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    line = (f"scan of {len(names)} names: median {median * 1e3:.1f} ms, best {best * 1e3:.1f} ms "
            f"({best / len(names) * 1e6:.2f} us per file)")
    if floor is not None:
        files, c_best = subprocess.run([str(floor), str(root / "sources")], capture_output=True,
                                       text=True, check=True).stdout.split()
        per_file = float(c_best) / int(files)
        line += (f"; C, one fstatat per file: best {float(c_best) * 1e3:.1f} ms "
                 f"({per_file * 1e6:.2f} us per file; scan / C: {best / float(c_best):.2f})")
    return line


def mcp_latency(root: Path, calls: int, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, str(HERE / "mcp_latency.py"), "--kb", str(root),
                           "--calls", str(calls), "--seed", "1"], env=env, capture_output=True,
                          text=True)
    return done.stdout.rstrip() if done.returncode == 0 else f"failed: {done.stderr[-500:]}"


def cold_and_edits(label: str, root: Path, argv: list[str], cache: Path, env: dict[str, str],
                   runs: int) -> None:
    """Cold runs (no cache) and runs after a source edit, and after an actors.yaml edit."""
    def timed(before: Any) -> float:
        walls = []
        for _ in range(runs):
            before()
            walls.append(run_once(argv, env)[0])
        return statistics.median(walls)

    cold = timed(lambda: shutil.rmtree(cache, ignore_errors=True))
    print(f"{label:>16} cold (no cache)            {cold:7.3f} s")
    sources = sorted((root / "sources").glob("*.yaml"))
    for row, edited in (("after 1 source edit", sources[len(sources) // 3]),
                        ("after actors.yaml edit", root / "actors.yaml")):
        original, count = edited.read_bytes(), [0]

        def edit(edited: Path = edited, original: bytes = original,
                 count: list[int] = count) -> None:
            count[0] += 1
            edited.write_bytes(original + f"# benchmark edit {count[0]}\n".encode())

        try:
            print(f"{label:>16} {row:<26} {timed(edit):7.3f} s")
        finally:
            edited.write_bytes(original)
            run_once(argv, env)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " (load average {:.1f} {:.1f} {:.1f})".format(*os.getloadavg())
    except OSError:
        load = ""
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}{load}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic KB sizes (quotes)")
    parser.add_argument("--runs", type=int, default=9, help="rounds per figure (median)")
    parser.add_argument("--drafts", type=int, default=10,
                        help="drafts in the 'with drafts' KBs (the others have none)")
    parser.add_argument("--cold", action="store_true", help="also time cold runs and edits")
    parser.add_argument("--mcp-calls", type=int, default=200, help="0 to skip nkb mcp")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "nkb-bench",
                        help="where synthetic KBs, exports and the cache go")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    cache = args.work / "cache"
    env = {**os.environ, "NKB_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("NKB_KB", None)
    # An installed nkb runs from compiled bytecode (pip compiles it); without this, a shell that
    # sets PYTHONDONTWRITEBYTECODE would have every run compile nkb's modules afresh (~20 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    sqlite_utils = BIN / "sqlite-utils"
    sqlite3 = shutil.which("sqlite3")
    if not sqlite_utils.exists():
        sys.stderr.write("sqlite-utils is not installed here: pip install sqlite-utils\n")
        return 1

    print(f"machine: {machine()}")
    print(f"command: python benchmarks/run.py --sizes {args.sizes} --runs {args.runs}"
          f"{' --cold' if args.cold else ''} --mcp-calls {args.mcp_calls}")
    print("each figure: median wall seconds of whole processes; in every round nkb, "
          "sqlite-utils, sqlite3 and the import baseline run one after the other\n")
    kbs = [("shipped", REPO / "kb")]
    for size in sizes:
        kbs += [(f"{size // 1000}k drafts", synthetic(size, args.drafts, args.seed, args.work)),
                (f"{size // 1000}k no drafts", synthetic(size, 0, args.seed, args.work))]
    floor = scan_floor(args.work)
    header = (f"{'KB':>16} {'question':<26} {'nkb':>7} {'s-utils':>7} {'sqlite3':>7} "
              f"{'import':>7} {'nkb/su':>7} {'nkb/sq3':>7} {'nkb MB':>6}")
    baseline: list[float] = []
    scans: list[str] = []
    for label, root in kbs:
        run_once([*NKB, "--kb", str(root), "search", "x"], env)  # the cache and word index
        database = export(root, args.work, env)
        print(header if label == "shipped" else "", flush=True)
        for name, (nkb_args, sql, arg) in questions(root, label == "shipped").items():
            commands = {
                "nkb": [*NKB, "--kb", str(root), *nkb_args, "--format", "json"],
                "sqlite-utils": [str(sqlite_utils), "query", str(database), sql, "-p", "arg", arg],
                "import": [sys.executable, "-c", IMPORTS],
            }
            if sqlite3:
                quoted = "'" + arg.replace("'", "''") + "'"
                commands["sqlite3"] = [sqlite3, "-json", "-cmd",
                                       f".parameter set :arg {quoted}", str(database), sql]
            got = interleaved(commands, env, args.runs)
            baseline.append(got["import"][0])
            mine, theirs = got["nkb"][0], got["sqlite-utils"][0]
            c_floor = got["sqlite3"][0] if "sqlite3" in got else float("nan")
            print(f"{label:>16} {name:<26} {mine:7.3f} {theirs:7.3f} {c_floor:7.3f} "
                  f"{got['import'][0]:7.3f} {mine / theirs:7.2f} {mine / c_floor:7.2f} "
                  f"{got['nkb'][1]:6.0f}", flush=True)
        scans.append(f"{label:>16} {scan_cost(root, floor)}")
        if args.cold:
            speaker_args = next(iter(questions(root, label == "shipped").values()))[0]
            cold_and_edits(label, root, [*NKB, "--kb", str(root), *speaker_args, "--format",
                                         "json"], cache, env, min(args.runs, 5))
    print(f"\nimport baseline `python -c \"{IMPORTS}\"`: median {statistics.median(baseline):.3f} s "
          "(of the per-question medians above)")
    print("\nproving the cache current (in-process, no child processes):")
    print("\n".join(scans))
    if args.mcp_calls:
        for label, root in kbs:
            if "no drafts" in label:
                continue
            print(f"\nnkb mcp, {label}:")
            print(mcp_latency(root, args.mcp_calls, env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
