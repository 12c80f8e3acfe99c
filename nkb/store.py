"""The front door to a KB: finding it, and opening it.

Callers use `find_kb` and `open_kb(root)`; whether the KB they get was parsed from the YAML
files (nkb/validation.py, nkb/index.py) or read from the compiled cache (nkb/cache.py) is this
module's business alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nkb import fsutil
from nkb.errors import KBError, NotFound, Problem, UsageError
from nkb.index import KB
from nkb.text import plural, visible
from nkb.validation import ACTORS_FILE, EVENTS_FILE, SOURCES_DIR

# --- finding the KB ---------------------------------------------------------------------------


def looks_like_kb(path: Path) -> bool:
    """A folder is a KB if it holds any of the KB's files."""
    return any((path / name).exists() for name in (ACTORS_FILE, EVENTS_FILE, SOURCES_DIR))


def shipped_kb() -> Path:
    """The KB installed with the package (or beside it, in an editable install)."""
    package = Path(__file__).resolve().parent
    installed = package / "kb"  # a wheel carries the KB inside the package
    # An editable install imports nkb from the checkout, whose KB sits next to the package.
    return installed if installed.is_dir() else package.parent / "kb"


def is_installed_kb(root: Path) -> bool:
    """True for the KB inside an installed package (not a checkout's kb/ folder)."""
    return root.resolve() == Path(__file__).resolve().parent / "kb"


def find_kb(option: str | None = None, cwd: Path | None = None) -> Path:
    """--kb, else $NKB_KB, else the nearest kb/ here or above, else the shipped KB."""
    if option is not None and not option.strip():
        raise UsageError("--kb '': give the folder holding the KB (or leave out --kb)")
    chosen = option or os.environ.get("NKB_KB")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            origin = "--kb" if option else "$NKB_KB"
            raise NotFound(
                f"{origin} {chosen}: no such folder; give the folder holding "
                f"{ACTORS_FILE}, {EVENTS_FILE} and {SOURCES_DIR}/"
            )
        return path.resolve()
    try:
        here = (cwd or Path.cwd()).resolve()
    except OSError as exc:  # the working folder was deleted, or cannot be read
        raise NotFound(f"the current folder cannot be used ({exc.strerror}); change to a "
                       "folder that exists, or give the KB with --kb DIR") from None
    for folder in (here, *here.parents):
        candidate = folder / "kb"
        if candidate.is_dir() and looks_like_kb(candidate):
            return candidate
    return shipped_kb()


# --- opening ----------------------------------------------------------------------------------


def open_kb(root: Path) -> KB:
    """Load and validate the KB at `root`; raise KBError listing every problem."""
    kb, problems = load_kb(root)
    if problems or kb is None:
        raise KBError(problems)
    return kb


def file_stats(root: Path) -> dict[str, tuple[int, int, int, int]]:
    """Every file the KB is read from, with its size, times and inode: any edit changes it."""
    from nkb import cache  # deferred, as in load_kb

    return cache.scan(root)


def load_kb(root: Path) -> tuple[KB | None, list[Problem]]:
    """Load the KB, returning it (if usable) together with every problem found.

    A compiled cache (nkb/cache.py) answers when it is provably current; otherwise only the
    files that changed are parsed again and every cross-file check is re-run. A change that a
    killed process left half made is undone first (fsutil.recover_change), and said so."""
    from nkb import cache  # deferred: --help and --version open no KB, so need no cache

    def waiting() -> None:
        sys.stderr.write(f"nkb: waiting for another nkb to finish changing the KB in "
                         f"{visible(str(root))}\n")

    undone = fsutil.recover_change(root, waiting)
    if undone:
        names = visible(", ".join(undone))
        sys.stderr.write(f"nkb: an interrupted change to {plural(len(undone), 'file')} was "
                         f"undone, so the KB in {visible(str(root))} is as it was before it: "
                         f"{names}\n")
    return cache.load(root)
