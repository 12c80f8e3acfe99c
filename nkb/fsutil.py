"""Writing files so that a failure never leaves a half-written or clobbered file behind.

`atomic_build` is the one way nkb writes: the KB's drafts, exports and the compiled cache all
go through it (`atomic_write` is its form for data in hand). A change to several files of a KB
is one `FileChange`: journalled first, so that even a process killed between two files leaves
a KB that the next run puts back as it was (`recover_change`)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nkb.errors import NkbError

try:
    import fcntl
except ImportError:
    # Windows has no flock: there a journal is taken for a dead writer's as soon as it is
    # seen, so only one nkb at a time may use a KB
    fcntl = None  # type: ignore[assignment]


class WriteRefused(NkbError):
    """A write that would overwrite something, or that failed; nothing was changed."""


def atomic_write(
    path: Path,
    data: str | bytes | Callable[[IO[bytes]], None],
    *,
    overwrite: bool = False,
    make_parents: bool = False,
) -> None:
    """Write `data` (or what the callable writes) to a temporary file beside `path`, then move
    it into place in one step. Refuses an existing `path` unless `overwrite`."""

    def build(tmp: Path) -> None:
        with open(tmp, "xb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)

    atomic_build(path, build, overwrite=overwrite, make_parents=make_parents)


_ENDING = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP inside the block; one that arrived is delivered as
    it ends, so a write and the note of what it wrote are never parted."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _ENDING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def atomic_build(
    path: Path,
    build: Callable[[Path], None],
    *,
    overwrite: bool = False,
    leftovers: tuple[str, ...] = (),
    make_parents: bool = False,
) -> None:
    """Let `build` create a file or a folder at a fresh temporary path beside `path`, make it
    durable (fsync), then move it into place in one step; whatever fails, nothing half-built is
    left and what was at `path` is kept. Refuses an existing `path` unless `overwrite`.
    `leftovers` are suffixes of side files the builder may leave (SQLite's -journal). The
    folder `path` goes into must exist, unless `make_parents` (the cache's own folder)."""
    if path.exists() and not overwrite:
        raise WriteRefused(f"{path} already exists; nkb never overwrites a file "
                           "(use --force where the command offers it, or choose another path)")
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        what = "is not a folder" if path.parent.exists() else "does not exist"
        raise WriteRefused(f"cannot write {path}: {path.parent} {what}; nkb creates no folder "
                           "on the way, so create it first or choose a folder you can write to")
    # A signal between taking the name and the clean-up below would leave the empty file
    # behind: it is held back until the name is free again.
    with signals_deferred():
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # the builder creates the file itself (SQLite wants a path that is free)
    try:
        build(tmp)
        folder = tmp.is_dir()
        _sync(tmp)
        # Temporary files are private to the user; the result gets what any new one would.
        tmp.chmod((0o777 if folder else 0o666) & ~umask())
        if folder:
            _move_folder(tmp, path, overwrite)
        elif overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: no race can clobber a file.
            os.link(tmp, path)
    except FileExistsError:
        raise WriteRefused(f"{path} appeared while writing; nothing was overwritten") from None
    finally:
        with signals_deferred():  # a second signal must not cut the clean-up short
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
            for suffix in leftovers:
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _sync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk before it is moved into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_folder(tmp: Path, target: Path, overwrite: bool) -> None:
    if not target.exists():
        os.rename(tmp, target)
        return
    if not overwrite:
        raise FileExistsError(target)
    # move the old folder aside first: a rename cannot replace a non-empty folder
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    try:
        os.rename(target, old / target.name)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(old / target.name, target)  # put the old one back
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def umask() -> int:
    """The process's umask (reading it means setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- a change to several files: all of it or none, even across a kill ------------------------
#
# A process killed outright (kill -9, a power cut) between two renames would leave some files
# new and some old. So before the first file moves, every new content and a copy of every old
# one are staged in the KB's CHANGE_DIR and listed in its journal, all made durable; the journal
# is deleted only once the change is accepted. A journal found by the next run marks a change
# that was never accepted, and that run puts the old files back (`recover_change`).

CHANGE_DIR = ".nkb-change"  # in the KB's folder: the journal, and the contents it names
JOURNAL = "journal.json"
_FORMAT = "nkb change journal 1"
_DELETE, _ABSENT = "delete", "absent"  # the journal's words for "no new file" and "no old one"


class JournalError(NkbError):
    """An interrupted change whose journal cannot be used, or undone; nothing was touched."""


_locks: dict[str, int] = {}  # KB folders whose writer's lock this process holds: the open fd
_active: set[str] = set()  # KB folders where a change of this process is under way


def _key(root: Path) -> str:
    return os.path.realpath(root)


@contextmanager
def writer_lock(root: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the KB's writer's lock, waiting for it (`waiting` is called first if it is taken):
    an exclusive flock on the KB's folder (no file is created; the kernel drops it when its
    process dies, so none outlives a killed writer). A process holding it already goes on."""
    key = _key(root)
    if key in _locks or fcntl is None:
        yield
        return
    fd = os.open(key, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        _locks[key] = fd
        try:
            yield
        finally:
            del _locks[key]
    finally:
        os.close(fd)  # which releases the lock


@dataclass(frozen=True)
class _Entry:
    path: str  # the file, relative to the KB's folder
    new: str | None  # its new content's name in CHANGE_DIR; None: the change removes it
    old: str | None  # its old content's copy in CHANGE_DIR; None: it did not exist


class FileChange:
    """Files of one KB replaced or removed together (`change_files`), kept undoable until
    `commit`: until then `undo`, or the next run's `recover_change`, puts every old file back."""

    def __init__(self, root: Path, entries: list[_Entry]) -> None:
        self.root = root
        self.entries = entries

    def commit(self) -> None:
        """Accept the change: the journal goes (that is the moment it is accepted), then the
        copies of the old files."""
        folder = self.root / CHANGE_DIR
        with signals_deferred():
            (folder / JOURNAL).unlink()
            _sync_folder(folder)
            _active.discard(_key(self.root))
            _remove_change_dir(self.root)

    def undo(self) -> None:
        """Put every old file back, then drop the journal and the staged contents."""
        with signals_deferred():
            _put_back(self.root, self.entries)
            _active.discard(_key(self.root))


def change_files(root: Path, files: Mapping[Path, bytes | None], *,
                 overwrite: bool = True) -> FileChange | None:
    """Replace (bytes) or remove (None) files inside the KB at `root`, all or none even if the
    process is killed; None when no file would change. Refuses an existing file unless
    `overwrite`. Call it holding `writer_lock`, and `commit` or `undo` the change it returns."""
    if not overwrite:
        for path in files:
            if os.path.lexists(path):
                raise WriteRefused(f"{path} already exists; nkb never overwrites a file")
    wanted = {_inside(root, path): data for path, data in files.items()
              if _read(path) != data}
    if not wanted:
        return None
    folder = root / CHANGE_DIR
    if os.path.lexists(folder):  # left by a killed process that no load has seen since
        raise _interrupted(folder)
    with signals_deferred():
        os.mkdir(folder)
    try:
        entries = [_stage(root, folder, i, name, data)
                   for i, (name, data) in enumerate(wanted.items())]
        journal = {"format": _FORMAT, "pid": os.getpid(),
                   "files": [{"path": e.path, "new": e.new or _DELETE, "old": e.old or _ABSENT}
                             for e in entries]}
        _write_synced(folder / (JOURNAL + ".tmp"), json.dumps(journal, indent=1).encode())
        with signals_deferred():
            os.replace(folder / (JOURNAL + ".tmp"), folder / JOURNAL)
            _active.add(_key(root))
        _sync_folder(folder)
        _sync_folder(root)
    except BaseException:
        with signals_deferred():  # nothing in the KB moved yet: the staging folder just goes
            shutil.rmtree(folder, ignore_errors=True)
        raise
    change = FileChange(root, entries)
    try:
        for entry in entries:
            target = root / entry.path
            if entry.new is None:
                target.unlink(missing_ok=True)
            elif entry.old is None:
                # link() fails if the file appeared meanwhile: a new file never clobbers one
                os.link(folder / entry.new, target)
            else:
                os.replace(folder / entry.new, target)
        _sync_parents(root, entries)
    except BaseException as exc:
        change.undo()
        if isinstance(exc, FileExistsError):
            raise WriteRefused(f"{exc.filename} appeared while writing; nothing was "
                               "overwritten") from None
        raise
    return change


def recover_change(root: Path, waiting: Callable[[], None] | None = None) -> list[str] | None:
    """Undo a change to the KB at `root` that was never accepted (its process was killed), and
    name the files put back; None when there was none. Waits for a writer still at work,
    calling `waiting` first."""
    folder = root / CHANGE_DIR
    if not os.path.lexists(folder) or _key(root) in _active:
        return None
    # A journal beside a live writer is that writer's change, still under way: it is never
    # touched. Only once the writer's lock is free is the journal a dead process's.
    with writer_lock(root, waiting):
        if not os.path.lexists(folder):  # the writer finished meanwhile
            return None
        if not folder.is_dir():
            raise JournalError(f"{folder} is not a folder, but nkb keeps the journal of a "
                               "change there; move it out of the KB's folder")
        if not os.path.lexists(folder / JOURNAL):
            # killed while staging (no file had moved) or after accepting: only leftovers
            with signals_deferred():
                _remove_change_dir(root)
            return None
        entries = _read_journal(folder)
        # Undone, never finished: the new contents were never checked by the load that follows
        # every change, so only the old files are known to make a valid KB.
        try:
            with signals_deferred():
                _put_back(root, entries)
        except OSError as exc:
            raise JournalError(
                f"cannot undo the interrupted change recorded in {folder / JOURNAL}: "
                f"{exc.strerror or exc} ({exc.filename or root}); the journal and the old files "
                "are kept, so nothing is lost: make that folder writable (or run nkb as the "
                "KB's owner), then run nkb check") from None
        return [entry.path for entry in entries]


def _inside(root: Path, path: Path) -> str:
    name = os.path.relpath(path, root)
    if name.startswith(os.pardir) or os.path.isabs(name) or name.startswith(CHANGE_DIR):
        raise ValueError(f"{path} is not a file of the KB at {root}")
    return name


def _stage(root: Path, folder: Path, index: int, name: str, data: bytes | None) -> _Entry:
    """Copy the file's old content and write its new one into the staging folder."""
    old = _read(root / name)
    if old is not None:
        _write_synced(folder / f"old-{index}", old)
    if data is not None:
        _write_synced(folder / f"new-{index}", data)
    return _Entry(name, f"new-{index}" if data is not None else None,
                  f"old-{index}" if old is not None else None)


def _put_back(root: Path, entries: list[_Entry]) -> None:
    """Every file as its copy in the staging folder has it (or gone, if it did not exist); each
    copy stays until all are back, so this can be cut short and run again."""
    folder = root / CHANGE_DIR
    for i, entry in enumerate(entries):
        target = root / entry.path
        if entry.old is None:
            # only the file this change linked in: one that appeared meanwhile is someone's
            if entry.new is not None and _same_file(folder / entry.new, target):
                target.unlink()
            continue
        data = (folder / entry.old).read_bytes()
        if _read(target) != data:
            restored = folder / f"restore-{i}"
            restored.unlink(missing_ok=True)
            _write_synced(restored, data)
            os.replace(restored, target)
    _sync_parents(root, entries)
    (folder / JOURNAL).unlink()
    _sync_folder(folder)
    _remove_change_dir(root)


def _read_journal(folder: Path) -> list[_Entry]:
    """The journal's entries, each checked, or a JournalError saying how to recover by hand."""
    path = folder / JOURNAL
    try:
        data: Any = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: nesting too deep
        reason = getattr(exc, "strerror", None) or str(exc)
        raise _unusable(path, reason) from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT \
            or not isinstance(data.get("files"), list):
        raise _unusable(path, f"it is not a journal of {_FORMAT!r}")
    entries = []
    for item in data["files"]:
        entry = _entry(item)
        if entry is None:
            raise _unusable(path, f"it lists a file it cannot: {item!r}")
        if entry.old is not None and not (folder / entry.old).is_file():
            raise _unusable(path, f"the old content of {entry.path} ({entry.old}) is missing")
        if entry.old is None and entry.new is not None and not (folder / entry.new).is_file():
            # a new file is linked in, so its staged copy tells whether it is the change's
            raise _unusable(path, f"the new content of {entry.path} ({entry.new}) is missing")
        entries.append(entry)
    return entries


def _entry(item: object) -> _Entry | None:
    """One file of a journal, if it is one nkb could have written."""
    if not isinstance(item, dict):
        return None
    name, new, old = item.get("path"), item.get("new"), item.get("old")
    if not (isinstance(name, str) and isinstance(new, str) and isinstance(old, str)):
        return None
    parts = Path(name).parts
    if not parts or os.path.isabs(name) or os.pardir in parts or parts[0] == CHANGE_DIR \
            or os.path.normpath(name) != name:
        return None
    staged = (new, old)
    if any(os.sep in s or s in (os.curdir, os.pardir, JOURNAL) for s in staged):
        return None
    return _Entry(name, None if new == _DELETE else new, None if old == _ABSENT else old)


def _interrupted(folder: Path) -> JournalError:
    return JournalError(f"{folder} holds an earlier change to the KB that was interrupted; run "
                        "nkb check, which puts its files back, then try again")


def _unusable(path: Path, reason: str) -> JournalError:
    return JournalError(f"{path} cannot be read ({reason}): it records a change to the KB "
                        "that was interrupted, so some files may be new and some old; nothing "
                        "was changed. The old files are kept beside it as old-N: compare each "
                        "with the KB's files and put back those the change replaced, then "
                        f"delete {path.parent} and run nkb check")


def _remove_change_dir(root: Path) -> None:
    shutil.rmtree(root / CHANGE_DIR, ignore_errors=True)
    _sync_folder(root)


def _sync_parents(root: Path, entries: list[_Entry]) -> None:
    """Make the renames durable: each folder a file moved in or out of, and the staging one."""
    for parent in sorted({(root / e.path).parent for e in entries} | {root / CHANGE_DIR}):
        _sync_folder(parent)


def _sync_folder(path: Path) -> None:
    """Make a folder's entries (a rename, a new or removed file) durable; Windows cannot open
    a folder to flush it, and its filesystem journals them itself."""
    if os.name != "nt":
        _sync(path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except FileNotFoundError:
        return False


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
