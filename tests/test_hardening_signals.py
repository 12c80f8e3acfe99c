"""The installed `nkb` under signals, kill -9, closed and full standard streams, special files
and unbounded input: whatever happens, the KB holds its old state or its new one, the
output says truthfully what was done, and nothing hangs."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode

NKB = Path(sys.executable).parent / "nkb"
SOURCE_COUNT = 1500  # enough that loading the KB without a cache takes a while

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")

ARTICLE = ("MOSCOW, June 5, 2024. \u201cThe border commissions will meet again soon,\u201d "
           "Zakharova said on Wednesday.\n")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def slow_kb(tmp_path_factory: pytest.TempPathFactory, new_kb_data: Callable[[], Any],
            write_kb: Callable[..., Path]) -> Path:
    """A KB of many small sources: read without a cache, each load takes a noticeable time."""
    data = new_kb_data()
    for n in range(100, 100 + SOURCE_COUNT):
        text = f"Statement {n}: the peace process needs patience."
        data.sources[str(n)] = {
            "record": {"id": str(n), "title": f"Article {n}", "outlet": "TASS",
                       "date": "2023-02-01", "file": f"{n}.txt",
                       "quotes": [{"id": f"{n}-1", "speaker": "lavrov", "date": "2023-02-01",
                                   "text": text}]},
            "text": f"MOSCOW. {text}\n"}
    return write_kb(tmp_path_factory.mktemp("slow") / "kb", sources=data.sources)


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "NKB_TODAY": "2024-06-10", **extra}
    env.pop("NKB_KB", None)
    return env


def _wait_for(path_test: Callable[[], bool], process: subprocess.Popen[bytes],
              limit: float = 60) -> bool:
    """Poll until `path_test()` holds (True) or the process ended first (False)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if path_test():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    raise AssertionError("nothing happened in time")


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, ExitCode.TERMINATED),
                                                (signal.SIGHUP, ExitCode.HANGUP),
                                                (signal.SIGINT, ExitCode.INTERRUPTED)])
def test_a_signal_during_add_leaves_the_kb_as_it_was(slow_kb: Path, tmp_path: Path,
                                                     signum: int, status: int) -> None:
    """The signal lands after the text is written, while the draft is checked: both go."""
    root = tmp_path / "kb"
    subprocess.run(["cp", "-r", str(slow_kb), str(root)], check=True)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = _snapshot(root)
    text = root / "sources" / "1600.txt"
    process = subprocess.Popen([str(NKB), "--kb", str(root), "add", str(article)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=_env(NKB_CACHE_DIR="off"))
    assert _wait_for(text.exists, process), process.communicate()
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert b"Traceback" not in err and out == b""
    assert _snapshot(root) == before


def test_sigterm_during_an_export_leaves_nothing_beside_the_target(slow_kb: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    env = _env(NKB_CACHE_DIR=str(tmp_path / "cache"))
    subprocess.run([str(NKB), "--kb", str(slow_kb), "check"], env=env, check=True,
                   capture_output=True)
    for fmt, name in (("sqlite", "nkb.db"), ("csv", "nkb-csv"), ("jsonl", "nkb.jsonl")):
        process = subprocess.Popen([str(NKB), "--kb", str(slow_kb), "export", fmt,
                                    str(out / name)], stderr=subprocess.PIPE, env=env)
        _wait_for(lambda: any(out.iterdir()), process)  # its temporary file is there
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        assert b"Traceback" not in err
        # stopped: nothing at all; finished just before the signal: the export, whole
        assert [p.name for p in out.iterdir()] in ([], [name]), fmt
        assert process.returncode in (ExitCode.TERMINATED, ExitCode.OK), err
        subprocess.run(["rm", "-rf", str(out / name)], check=True)


def test_kill_9_between_the_files_of_an_add_is_undone_by_the_next_run(
        slow_kb: Path, tmp_path: Path) -> None:
    root = tmp_path / "kb"
    subprocess.run(["cp", "-r", str(slow_kb), str(root)], check=True)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = _snapshot(root)
    env = _env(NKB_CACHE_DIR=str(tmp_path / "cache"))
    text = root / "sources" / "1600.txt"
    process = subprocess.Popen([str(NKB), "--kb", str(root), "add", str(article)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**env, "NKB_CACHE_DIR": "off"})
    assert _wait_for(text.exists, process)
    process.kill()
    process.communicate(timeout=60)
    check = subprocess.run([str(NKB), "--kb", str(root), "check"], capture_output=True,
                           text=True, env=env)
    assert check.returncode == ExitCode.OK, check.stderr
    assert "text without a record" not in check.stderr
    if "an interrupted change" not in check.stderr:
        # killed after the add was accepted (its check had passed): the new state, whole
        assert (root / "sources" / "1600.yaml").exists() and text.exists()
        return
    assert "sources/1600.txt, sources/1600.yaml" in check.stderr
    assert _snapshot(root) == before  # the text and the record both gone, nothing left over
    again = subprocess.run([str(NKB), "--kb", str(root), "add", str(article)],
                           capture_output=True, text=True, env=env)
    assert again.returncode == ExitCode.OK, again.stderr
    assert "an interrupted change" not in again.stderr  # said once
    assert again.stdout.strip().endswith("1600.yaml")


def _shell(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.parametrize("args", ["--version", "sources", "quotes -f json", "check",
                                  "actor Lavrov", "export jsonl -"])
@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"])
def test_a_closed_or_full_stdout_is_one_clear_error(kb_dir: Path, args: str, redirect: str,
                                                   tmp_path: Path) -> None:
    env = _env(NKB_CACHE_DIR=str(tmp_path / "cache"), NKB=str(NKB), KB=str(kb_dir))
    result = _shell(f'"$NKB" --kb "$KB" {args} {redirect}', env)
    assert result.returncode == ExitCode.ERROR, result.stderr
    assert "Traceback" not in result.stderr
    assert "cannot write to standard output" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("redirect", [">&-", ">/dev/full"])
def test_add_with_a_failing_stdout_says_the_source_was_added(kb_dir: Path, tmp_path: Path,
                                                            redirect: str) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = _env(NKB_CACHE_DIR=str(tmp_path / "cache"), NKB=str(NKB), KB=str(kb_dir),
               ARTICLE=str(article))
    result = _shell(f'"$NKB" --kb "$KB" add "$ARTICLE" {redirect}', env)
    assert result.returncode == ExitCode.OK, result.stderr  # the change was made
    assert "source 004 was added; only its path could not be printed" in result.stderr
    assert (kb_dir / "sources" / "004.yaml").exists()
    retry = _shell('"$NKB" --kb "$KB" add "$ARTICLE"', env)  # a retry is no duplicate
    assert retry.returncode == ExitCode.ERROR and "same text as source 004" in retry.stderr


def test_an_ascii_stdout_is_a_user_error_with_the_fix(kb_dir: Path, tmp_path: Path) -> None:
    env = _env(NKB_CACHE_DIR=str(tmp_path / "cache"), PYTHONIOENCODING="ascii")
    for args in (["actors"], ["actor", "Lavrov", "--format", "json"]):  # Cyrillic aliases
        result = subprocess.run([str(NKB), "--kb", str(kb_dir), *args], capture_output=True,
                                env=env, timeout=60)
        assert result.returncode == ExitCode.ERROR
        assert b"PYTHONIOENCODING=utf-8" in result.stderr and b"Traceback" not in result.stderr


def test_a_fifo_in_the_kb_never_hangs(kb_dir: Path, tmp_path: Path) -> None:
    (kb_dir / "sources" / "002.txt").unlink()
    os.mkfifo(kb_dir / "sources" / "002.txt")
    os.unlink(kb_dir / "events.yaml")
    os.mkfifo(kb_dir / "events.yaml")
    result = subprocess.run([str(NKB), "--kb", str(kb_dir), "check"], capture_output=True,
                            text=True, env=_env(NKB_CACHE_DIR=str(tmp_path / "c")), timeout=60)
    assert result.returncode == ExitCode.ERROR
    assert "002.txt: is a FIFO (named pipe), not a regular file" in result.stderr
    assert "events.yaml: is a FIFO (named pipe), not a regular file" in result.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "folder"])
def test_add_reads_only_regular_files(kb_dir: Path, tmp_path: Path, special: str) -> None:
    target = special
    if special == "fifo":
        target = str(tmp_path / "fifo")
        os.mkfifo(target)
    elif special == "folder":  # a folder stands for its regular files: here a FIFO only
        target = str(tmp_path / "in")
        os.mkdir(target)
        os.mkfifo(tmp_path / "in" / "fifo")
    before = _snapshot(kb_dir)
    result = subprocess.run([str(NKB), "--kb", str(kb_dir), "add", target],
                            capture_output=True, text=True, timeout=60,
                            env=_env(NKB_CACHE_DIR=str(tmp_path / "c")))
    assert result.returncode == ExitCode.ERROR
    assert ("holds no files to add" if special == "folder" else "not a regular file") \
        in result.stderr
    assert _snapshot(kb_dir) == before


def test_unbounded_stdin_is_refused_while_reading(kb_dir: Path, tmp_path: Path) -> None:
    """200 MB on standard input: refused at the 64 MiB limit, before anything is written."""
    before = _snapshot(kb_dir)
    process = subprocess.Popen([str(NKB), "--kb", str(kb_dir), "add", "-"],
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdout=subprocess.PIPE,
                               env=_env(NKB_CACHE_DIR=str(tmp_path / "c")))
    assert process.stdin is not None

    def feed() -> None:
        chunk = b"The talks went on. " * 50_000
        try:
            for _ in range(200 * 1024 * 1024 // len(chunk)):
                process.stdin.write(chunk)  # type: ignore[union-attr]
        except BrokenPipeError:  # nkb stopped reading at the limit
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()  # type: ignore[union-attr]

    feeder = threading.Thread(target=feed)
    feeder.start()
    assert process.stderr is not None
    err = process.stderr.read()
    feeder.join(timeout=120)
    assert process.wait(timeout=60) == ExitCode.ERROR
    assert b"standard input holds more than 67,108,864 bytes" in err
    assert _snapshot(kb_dir) == before


def test_add_with_stdin_closed(kb_dir: Path, tmp_path: Path) -> None:
    env = _env(NKB_CACHE_DIR=str(tmp_path / "c"), NKB=str(NKB), KB=str(kb_dir))
    result = _shell('"$NKB" --kb "$KB" add - <&-', env)
    assert result.returncode == ExitCode.ERROR
    assert "standard input is closed" in result.stderr and "Traceback" not in result.stderr
