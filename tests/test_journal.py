"""A change to several KB files is all-or-nothing even when its process is killed outright.

A real `nkb mv` (`rm`, `add`, `confirm`) is killed with SIGKILL at a chosen file operation (a
small launcher wraps os.replace, os.link and os.unlink in that process only, then runs nkb's
own entry point): the KB is then really half-changed, and the next run of the installed `nkb`
must put it back byte for byte and say so once. A reader that finds a change still under way
must wait and leave it alone; a journal that cannot be used is a clear error that loses
nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import fsutil
from nkb.errors import ExitCode

Snapshot = Callable[[Path], dict[str, bytes]]  # the `snapshot` fixture

NKB = Path(sys.executable).parent / "nkb"
UNDONE = "an interrupted change to"

# Runs nkb in this process, and kills the process (SIGKILL: nothing is cleaned up) just before
# the COUNT-th file operation of kind WHAT:
#   kb       a file of the KB replaced by its staged content, linked in new, or removed (the
#            change's own renames, links and deletions)
#   journal  the journal moved into place (everything staged, nothing in the KB moved yet)
#   accept   the journal deleted (every file new and checked: the change is being accepted)
#   restore  an old file moved back into the KB while an interrupted change is undone
KILLING_LAUNCHER = """
import os, signal, sys
what, count, kb = sys.argv[1], int(sys.argv[2]), os.path.realpath(sys.argv[4])
real_replace, real_unlink, real_link, seen = os.replace, os.unlink, os.link, [0]

def matches(op, src, dst):
    src, dst = os.fspath(src), os.path.realpath(os.fspath(dst))
    if what == "accept":
        return op == "unlink" and dst.endswith("journal.json")
    if what == "kb":
        return dst.startswith(kb + os.sep) and ".nkb-change" not in dst
    if op != "replace":
        return False
    if what == "journal":
        return dst.endswith("journal.json")
    if what == "restore":
        return os.path.basename(src).startswith("restore-")
    return False

def kill_at(op, src, dst):
    if matches(op, src, dst):
        seen[0] += 1
        if seen[0] == count:
            os.kill(os.getpid(), signal.SIGKILL)

def replace(src, dst, *args, **kwargs):
    kill_at("replace", src, dst)
    return real_replace(src, dst, *args, **kwargs)

def unlink(path, *args, **kwargs):
    kill_at("unlink", path, path)
    return real_unlink(path, *args, **kwargs)

def link(src, dst, *args, **kwargs):
    kill_at("link", src, dst)
    return real_link(src, dst, *args, **kwargs)

os.replace, os.unlink, os.link = replace, unlink, link
from nkb import cli
sys.exit(cli.main(sys.argv[3:]))
"""


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "NKB_KB"} | {"NO_COLOR": "1"}


def installed(kb: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NKB), "--kb", str(kb), *args], capture_output=True, text=True,
                          env=env(), timeout=60, check=False)


def killed_at(kb: Path, what: str, count: int, *args: str) -> None:
    """Run `nkb ARGS` on the KB, killed just before the COUNT-th rename of kind WHAT."""
    result = subprocess.run([sys.executable, "-c", KILLING_LAUNCHER, what, str(count),
                             "--kb", str(kb), *args], capture_output=True, text=True,
                            env=env(), timeout=60, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr


def sources(kb: Path) -> list[str]:
    return sorted(p.name for p in (kb / "sources").iterdir())


# --- a writer killed between two renames --------------------------------------------------------

# `nkb mv 001 005` on the writer KB changes 6 files in this order: 005.yaml and 005.txt moved in,
# 001.yaml and 001.txt removed, events.yaml and actors.yaml replaced.
MV_FILES = ["sources/005.yaml", "sources/005.txt", "sources/001.yaml", "sources/001.txt",
            "events.yaml", "actors.yaml"]


@pytest.mark.parametrize("count", range(1, len(MV_FILES) + 1))
def test_a_mv_killed_between_renames_is_undone_by_the_next_run(snapshot: Snapshot,
                                                               writer_kb: Path,
                                                               count: int) -> None:
    before = snapshot(writer_kb)
    killed_at(writer_kb, "kb", count, "mv", "001", "005")
    assert (writer_kb / fsutil.CHANGE_DIR / fsutil.JOURNAL).is_file()
    if count == 2:  # really half-changed: the record is new, the events still cite 001
        assert sources(writer_kb) == ["001.txt", "001.yaml", "005.yaml"]
        assert (writer_kb / "events.yaml").read_bytes() == before["events.yaml"]
    if count == 5:  # the source renumbered, but events.yaml still cites the old id
        assert sources(writer_kb) == ["005.txt", "005.yaml"]
        assert (writer_kb / "events.yaml").read_bytes() == before["events.yaml"]

    first = installed(writer_kb, "check")
    assert first.returncode == ExitCode.OK, first.stderr
    assert first.stderr.count(UNDONE) == 1
    assert f"{UNDONE} 6 files was undone" in first.stderr
    assert all(name in first.stderr for name in MV_FILES)
    assert "Traceback" not in first.stderr
    assert snapshot(writer_kb) == before  # byte for byte, and no journal or copy left behind

    again = installed(writer_kb, "sources")  # said once: the next run has nothing to undo
    assert again.returncode == ExitCode.OK and UNDONE not in again.stderr
    assert "001" in again.stdout


def test_a_change_that_ends_leaves_no_journal_behind(writer_kb: Path) -> None:
    moved = installed(writer_kb, "mv", "001", "005")
    assert moved.returncode == ExitCode.OK, moved.stderr
    assert UNDONE not in moved.stderr
    assert list(writer_kb.rglob(".*")) == [] and sources(writer_kb) == ["005.txt", "005.yaml"]


def test_an_rm_killed_between_its_two_removals_is_undone(snapshot: Snapshot,
                                                         writer_kb: Path) -> None:
    record = writer_kb / "sources" / "001.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "status: draft\n", encoding="utf-8")
    events, actors = writer_kb / "events.yaml", writer_kb / "actors.yaml"
    for path in (events, actors):  # nothing cites 001 any more, so it can be removed
        path.write_text(path.read_text(encoding="utf-8").replace("'001'", "'002'"),
                        encoding="utf-8")
    (writer_kb / "sources" / "002.yaml").write_text(
        record.read_text(encoding="utf-8").replace("001", "002"), encoding="utf-8")
    (writer_kb / "sources" / "002.txt").write_bytes((writer_kb / "sources" / "001.txt")
                                                    .read_bytes())
    assert installed(writer_kb, "check").returncode == ExitCode.OK
    before = snapshot(writer_kb)
    killed_at(writer_kb, "kb", 2, "rm", "001")
    assert not record.exists() and (writer_kb / "sources" / "001.txt").exists()
    result = installed(writer_kb, "check")
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"{UNDONE} 2 files was undone" in result.stderr
    assert "text without a record" not in result.stderr
    assert snapshot(writer_kb) == before


def test_an_add_killed_between_its_two_files_is_undone(snapshot: Snapshot, writer_kb: Path,
                                                      tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("MOSCOW, May 2, 2019. \"We will meet in June,\" Ivanov said.\n",
                       encoding="utf-8")
    before = snapshot(writer_kb)
    killed_at(writer_kb, "kb", 2, "add", str(article))  # the text is in, the record not yet
    assert sources(writer_kb) == ["001.txt", "001.yaml", "002.txt"]
    result = installed(writer_kb, "check")
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"{UNDONE} 2 files was undone" in result.stderr
    assert "text without a record" not in result.stderr
    assert snapshot(writer_kb) == before


def test_a_writer_killed_after_its_last_rename_is_undone_too(snapshot: Snapshot,
                                                            writer_kb: Path) -> None:
    """Killed while its change was being checked (every file already new): the new contents
    were never accepted, so the old ones come back."""
    before = snapshot(writer_kb)
    killed_at(writer_kb, "accept", 1, "mv", "001", "005")
    assert sources(writer_kb) == ["005.txt", "005.yaml"]
    result = installed(writer_kb, "sources")
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"{UNDONE} 6 files was undone" in result.stderr
    assert snapshot(writer_kb) == before


def test_a_confirm_killed_at_its_only_rename_leaves_the_kb_as_it_was(snapshot: Snapshot,
                                                                    writer_kb: Path) -> None:
    record = writer_kb / "sources" / "001.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "status: draft\n", encoding="utf-8")
    before = snapshot(writer_kb)
    killed_at(writer_kb, "accept", 1, "confirm", "001")  # the record moved in and checked
    result = installed(writer_kb, "check")
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"{UNDONE} 1 file was undone" in result.stderr and "sources/001.yaml" in result.stderr
    assert snapshot(writer_kb) == before


def test_an_undo_killed_halfway_is_finished_by_the_run_after(snapshot: Snapshot,
                                                            writer_kb: Path) -> None:
    before = snapshot(writer_kb)
    killed_at(writer_kb, "kb", 6, "mv", "001", "005")
    killed_at(writer_kb, "restore", 2, "check")  # the undo itself is killed, one file back
    result = installed(writer_kb, "check")
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stderr.count(UNDONE) == 1
    assert snapshot(writer_kb) == before


def test_a_writer_killed_while_staging_leaves_nothing_to_undo(snapshot: Snapshot,
                                                             writer_kb: Path) -> None:
    """Killed before its journal was in place: no file of the KB had moved, and what it staged
    is removed without a word."""
    before = snapshot(writer_kb)
    killed_at(writer_kb, "journal", 1, "mv", "001", "005")
    assert (writer_kb / fsutil.CHANGE_DIR).is_dir()
    result = installed(writer_kb, "check")
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stderr == ""
    assert snapshot(writer_kb) == before


# --- a journal that cannot be used ----------------------------------------------------------------


def _truncated(folder: Path) -> None:
    journal = folder / fsutil.JOURNAL
    journal.write_bytes(journal.read_bytes()[:40])


def _copy_missing(folder: Path) -> None:
    (folder / "old-4").unlink()  # events.yaml's old content


def _escaping(folder: Path) -> None:
    journal = folder / fsutil.JOURNAL
    data = json.loads(journal.read_bytes())
    data["files"][0]["path"] = "../outside.yaml"
    journal.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(("spoil", "said"), [
    (_truncated, "cannot be read"),
    (_copy_missing, "the old content of events.yaml (old-4) is missing"),
    (_escaping, "it lists a file it cannot"),
])
def test_an_unusable_journal_is_a_clear_error_and_loses_nothing(
        snapshot: Snapshot, writer_kb: Path, spoil: Callable[[Path], None], said: str) -> None:
    killed_at(writer_kb, "kb", 2, "mv", "001", "005")
    spoil(writer_kb / fsutil.CHANGE_DIR)
    before = snapshot(writer_kb)
    for command in ("check", "sources", "confirm"):
        result = installed(writer_kb, command, *(["001"] if command == "confirm" else []))
        assert result.returncode == ExitCode.ERROR, result.stderr
        assert "Traceback" not in result.stderr
        assert str(writer_kb / fsutil.CHANGE_DIR / fsutil.JOURNAL) in result.stderr
        assert said in result.stderr
        assert "run nkb check" in result.stderr  # how to get out of it
        assert snapshot(writer_kb) == before


def test_a_file_where_the_journal_folder_goes_is_a_clear_error(snapshot: Snapshot,
                                                              writer_kb: Path) -> None:
    (writer_kb / fsutil.CHANGE_DIR).write_text("mine\n", encoding="utf-8")
    before = snapshot(writer_kb)
    result = installed(writer_kb, "check")
    assert result.returncode == ExitCode.ERROR
    assert "is not a folder" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(writer_kb) == before


# --- a reader beside a writer at work ------------------------------------------------------------


def _waiting_on_a_lock(pid: int) -> bool:
    """True once the process waits for a flock: Linux lists each waiter in /proc/locks as
    `1: -> FLOCK  ADVISORY  WRITE PID DEVICE:INODE 0 EOF`."""
    for line in Path("/proc/locks").read_text(encoding="ascii").splitlines():
        fields = line.split()
        if fields[1:3] == ["->", "FLOCK"] and fields[5] == str(pid):
            return True
    return False


def test_a_reader_waits_for_a_change_under_way_and_never_undoes_it(writer_kb: Path) -> None:
    events = writer_kb / "events.yaml"
    new_events = events.read_bytes().replace(b"Talks in Sochi", b"Talks held in Sochi")
    with fsutil.writer_lock(writer_kb):  # this test process is the writer, mid-change
        change = fsutil.change_files(writer_kb, {events: new_events})
        assert change is not None and (writer_kb / fsutil.CHANGE_DIR / fsutil.JOURNAL).exists()
        reader = subprocess.Popen([str(NKB), "--kb", str(writer_kb), "events", "--format",
                                   "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env())
        deadline = time.monotonic() + 60
        while not _waiting_on_a_lock(reader.pid):
            assert reader.poll() is None, reader.communicate()
            assert time.monotonic() < deadline, "the reader never reached the writer's lock"
            time.sleep(0.02)
        # the reader waits: the change under way is untouched
        assert events.read_bytes() == new_events
        assert (writer_kb / fsutil.CHANGE_DIR / fsutil.JOURNAL).exists()
        change.commit()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == ExitCode.OK, err
    assert UNDONE not in err
    assert err.count(f"nkb: waiting for another nkb to finish changing the KB in {writer_kb}") == 1
    assert "Talks held in Sochi" in out  # it read the KB once the change was accepted
    assert events.read_bytes() == new_events
    assert not (writer_kb / fsutil.CHANGE_DIR).exists()


# --- a failure that is not a kill -----------------------------------------------------------------


def test_a_disk_full_between_two_renames_puts_every_file_back(
        snapshot: Snapshot, writer_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nkb import curate, kbwrite

    before = snapshot(writer_kb)
    real_replace, moved = os.replace, []

    def full_at_actors(source: Any, target: Any) -> None:
        # 005.yaml and 005.txt are linked in, 001's files removed, events.yaml replaced: then
        # the disk is full
        moved.append(Path(target).name)
        if Path(target).name == "actors.yaml" and "events.yaml" in moved:
            raise OSError(28, "No space left on device", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full_at_actors)
    with pytest.raises(kbwrite.EditError, match="No space left on device; nothing was changed"):
        curate.move(writer_kb, "001", "005")
    assert "actors.yaml" in moved  # the failure was reached, with files already new
    assert snapshot(writer_kb) == before


def test_a_writer_waiting_for_another_never_overwrites_what_it_wrote(writer_kb: Path) -> None:
    record = writer_kb / "sources" / "001.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "status: draft\n", encoding="utf-8")
    with fsutil.writer_lock(writer_kb):  # this test process is the first writer
        second = subprocess.Popen([str(NKB), "--kb", str(writer_kb), "confirm", "001"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env())
        deadline = time.monotonic() + 60
        while not _waiting_on_a_lock(second.pid):  # it has read the record, and waits
            assert second.poll() is None, second.communicate()
            assert time.monotonic() < deadline, "the second writer never reached the lock"
            time.sleep(0.02)
        first = record.read_text(encoding="utf-8").replace("Ivanov on talks", "Ivanov: talks")
        record.write_text(first, encoding="utf-8")
    _, err = second.communicate(timeout=60)
    assert second.returncode == ExitCode.ERROR
    assert f"{record} was changed by another program while this change was being made" in err
    assert record.read_text(encoding="utf-8") == first  # the first writer's change is kept
