"""The installed `nkb` under pipes that close early, Ctrl-C, and redirection to a file.

Runs the console script in a subprocess on a KB generated large enough that every listing
overflows a pipe's buffer (64 KiB on Linux), so the reader really leaves mid-output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode

NKB = Path(sys.executable).parent / "nkb"
PIPE_BUFFER = 64 * 1024
SOURCE_COUNT = 1200
QUOTES_PER_SOURCE = 2
ACTOR_COUNT = 1500

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")


def _big_kb(kb_data: Any, write_kb: Callable[..., Path], root: Path) -> Path:
    """Hundreds of sources with quotes, events and actors; source 003 has a long text."""
    actors = kb_data.actors + [
        {"id": f"speaker-{n}", "name": f"Speaker Number{n}", "kind": "person",
         "aliases": [f"Number{n}", f"Envoy Number{n} of the working group"]}
        for n in range(ACTOR_COUNT)]
    events = kb_data.events + [
        {"id": f"event-{n}", "date": f"20{10 + n % 14}-0{1 + n % 9}", "title": f"Meeting {n} on "
         "the delimitation of the border", "description": "Delegations met. " * 5,
         "actors": [f"speaker-{n % 3}"], "places": ["Moscow"], "sources": ["001"]}
        for n in range(900)]  # enough that even the plain piped table overflows a pipe
    sources = kb_data.sources
    sources["003"]["text"] += "The commission continued its work on the border.\n" * 3000
    for n in range(100, 100 + SOURCE_COUNT):
        sentences = [f"Statement {n}-{q}: the peace process needs patience and goodwill."
                     for q in range(QUOTES_PER_SOURCE)]
        sources[str(n)] = {
            "record": {"id": str(n), "title": f"Article {n} on the peace talks", "outlet": "TASS",
                       "date": f"20{10 + n % 14}-0{1 + n % 9}-1{n % 9}", "file": f"{n}.txt",
                       "quotes": [{"id": f"{n}-{q}", "speaker": f"speaker-{(n + q) % 3}",
                                   "date": f"20{10 + n % 14}-0{1 + n % 9}-1{n % 9}", "text": s}
                                  for q, s in enumerate(sentences)]},
            "text": "MOSCOW. " + " ".join(sentences) + "\n"}
    return write_kb(root, actors=actors, events=events, sources=sources)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, new_kb_data: Callable[[], Any],
        write_kb: Callable[..., Path]) -> tuple[Path, dict[str, str]]:
    root = _big_kb(new_kb_data(), write_kb, tmp_path_factory.mktemp("big") / "kb")
    env = {**os.environ, "NKB_CACHE_DIR": str(tmp_path_factory.mktemp("big-cache")),
           "NO_COLOR": "1", "COLUMNS": "100", "LINES": "50"}
    env.pop("NKB_KB", None)
    warm = subprocess.run([str(NKB), "--kb", str(root), "check"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert warm.returncode == ExitCode.OK, warm.stderr
    return root, env


LISTINGS = [["quotes"], ["events"], ["actors"], ["sources"], ["search", "peace", "-n", "5000"],
            ["timeline"], ["source", "003"], ["actor", "Number2"], ["quotes", "--speaker", "Number2"]]


def _formats(command: list[str]) -> list[str]:
    if command[0] == "timeline":
        return ["table", "json"]
    if command[0] in ("source", "actor"):
        return ["table", "json", "md"]
    return ["table", "json", "csv", "md"]


CASES = [(c, f) for c in LISTINGS for f in _formats(c)]
IDS = [f"{' '.join(c)}-{f}" for c, f in CASES]


def _popen(big: tuple[Path, dict[str, str]], *args: str) -> subprocess.Popen[bytes]:
    root, env = big
    return subprocess.Popen([str(NKB), "--kb", str(root), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=IDS)
def test_a_reader_leaving_early_ends_quietly(big: tuple[Path, dict[str, str]],
                                            command: list[str], fmt: str) -> None:
    """`nkb quotes | head -1`: status 0, nothing on stderr (no 'Exception ignored')."""
    process = _popen(big, *command, "--format", fmt)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == ExitCode.OK, stderr
    assert first and stderr == b""


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=IDS)
def test_the_output_really_overflows_a_pipe(big: tuple[Path, dict[str, str]],
                                            command: list[str], fmt: str) -> None:
    root, env = big
    result = subprocess.run([str(NKB), "--kb", str(root), *command, "--format", fmt],
                            capture_output=True, env=env, timeout=60)
    assert result.returncode == ExitCode.OK
    assert len(result.stdout) > PIPE_BUFFER


def test_shell_pipe_into_head(big: tuple[Path, dict[str, str]]) -> None:
    root, env = big
    result = subprocess.run(f'"{NKB}" --kb "{root}" quotes | head -1; '
                            'exit "${PIPESTATUS[0]}"', shell=True, executable="/bin/bash",
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == ExitCode.OK
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1


def test_a_closed_stderr_keeps_the_exit_status(write_kb: Callable[..., Path],
                                               big: tuple[Path, dict[str, str]],
                                               tmp_path: Path) -> None:
    root, env = big
    broken = write_kb(tmp_path / "broken")
    (broken / "actors.yaml").write_text("- id: [\n", encoding="utf-8")
    for args, status in ((["--kb", str(broken), "check"], ExitCode.ERROR),
                         (["--kb", str(root), "quotes", "--since", "never"], ExitCode.USAGE),
                         (["--kb", str(root), "actor", "Nobody Atall"], ExitCode.ERROR)):
        read_end, write_end = os.pipe()
        os.close(read_end)  # `nkb ... 2>&1 | true`: nobody reads either stream
        process = subprocess.Popen([str(NKB), *args], stdout=write_end, stderr=write_end,
                                   env=env)
        os.close(write_end)
        assert process.wait(timeout=60) == status, args


def _interrupt_and_collect(process: subprocess.Popen[bytes]) -> tuple[int, bytes]:
    process.send_signal(signal.SIGINT)
    try:
        status = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.stderr is not None
    return status, process.stderr.read()


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_ctrl_c_while_blocked_on_a_full_pipe(big: tuple[Path, dict[str, str]], fmt: str) -> None:
    process = _popen(big, "quotes", "--format", fmt)
    assert process.stdout is not None
    assert process.stdout.read(1)  # it is running and writing; now nobody reads
    time.sleep(0.3)
    status, stderr = _interrupt_and_collect(process)
    assert status == ExitCode.INTERRUPTED
    assert stderr == b""


def test_ctrl_c_while_loading_a_big_kb(big: tuple[Path, dict[str, str]]) -> None:
    root, env = big
    # No cache: every file is parsed. Once Python has started nkb (well before 0.4 s), the
    # signal lands in the load or, at the latest, in the output nobody reads: either way
    # during the run.
    process = subprocess.Popen([str(NKB), "--kb", str(root), "quotes"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**env, "NKB_CACHE_DIR": "off"})
    time.sleep(0.4)
    status, stderr = _interrupt_and_collect(process)
    assert status == ExitCode.INTERRUPTED
    assert b"Traceback" not in stderr and stderr == b""


REDIRECT = [["quotes", "--format", "csv"], ["quotes", "--format", "json"], ["quotes"],
            ["source", "003"], ["source", "003", "--format", "md"], ["events", "--format", "md"],
            ["timeline"], ["search", "peace", "-n", "5000"]]


@pytest.mark.parametrize("command", REDIRECT, ids=[" ".join(c) for c in REDIRECT])
def test_output_redirected_to_a_file_is_complete(big: tuple[Path, dict[str, str]],
                                                 tmp_path: Path, command: list[str],
                                                 run_nkb: Callable[..., Any]) -> None:
    root, env = big
    target = tmp_path / "out.txt"
    with target.open("wb") as handle:
        status = subprocess.run([str(NKB), "--kb", str(root), *command], stdout=handle,
                                stderr=subprocess.PIPE, env=env, timeout=60)
    assert status.returncode == ExitCode.OK, status.stderr
    in_process = run_nkb(*command, kb=root)
    assert in_process.exit_code == ExitCode.OK
    assert target.read_text(encoding="utf-8") == in_process.stdout
