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
    if path.exists() and not overwrite:
        raise WriteRefused(f"{path} already exists; nkb never overwrites a file "
                           "(use --force where the command offers it, or choose another path)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes owner-only files; a KB file gets the permissions any new file would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: no race can clobber a file.
            os.link(tmp, path)
            tmp.unlink()
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise WriteRefused(f"{path} appeared while writing; nothing was overwritten") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
