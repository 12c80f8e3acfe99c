"""Writing files so that a failure never leaves a half-written or clobbered file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
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
) -> None:
    """Write `data` (or what the callable writes) to a temporary file beside `path`, then move
    it into place in one step. Refuses an existing `path` unless `overwrite`."""

    def build(tmp: Path) -> None:
        with open(tmp, "xb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_build(path, build, overwrite=overwrite)


def atomic_build(
    path: Path,
    build: Callable[[Path], None],
    *,
    overwrite: bool = False,
    leftovers: tuple[str, ...] = (),
) -> None:
    """Let `build` create a file at a fresh temporary path beside `path`, then move it into
    place in one step; whatever fails, nothing half-built is left. Refuses an existing `path`
    unless `overwrite`. `leftovers` are suffixes of side files the builder may leave (SQLite's
    -journal)."""
    if path.exists() and not overwrite:
        raise WriteRefused(f"{path} already exists; nkb never overwrites a file "
                           "(use --force where the command offers it, or choose another path)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # the builder creates the file itself (SQLite wants a path that is free)
        build(tmp)
        # Temporary files are private to the user; the result gets what any new file would.
        tmp.chmod(0o666 & ~umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: no race can clobber a file.
            os.link(tmp, path)
    except FileExistsError:
        raise WriteRefused(f"{path} appeared while writing; nothing was overwritten") from None
    finally:
        tmp.unlink(missing_ok=True)
        for suffix in leftovers:
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def umask() -> int:
    """The process's umask (reading it means setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
