"""Writing files so that a failure never leaves a half-written or clobbered file behind.

`atomic_build` is the one way nkb writes: the KB's drafts, exports and the compiled cache all
go through it (`atomic_write` is its form for data in hand)."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from nkb.errors import NkbError


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
