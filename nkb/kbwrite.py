"""Writing the KB's files for the curator's commands: record spans and scalars edited in place,
and a set of file changes applied together, validated, and undone whole if anything fails.

Edits touch only the characters they change: a hand-written file keeps its comments, quoting
and layout everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nkb import fsutil, store
from nkb.errors import KBError, NkbError, Problem
from nkb.fsutil import signals_deferred
from nkb.yamlfile import text_loader

Path_ = tuple[str | int, ...]


class EditError(NkbError):
    """A change to the KB that cannot be made; nothing was written."""


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of a KB file's text (None for an empty file)."""
    loader = text_loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def node_at(root: yaml.Node | None, path: Path_) -> yaml.Node | None:
    """The node at `path` (mapping keys and sequence indexes), or None."""
    node = root
    for step in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if 0 <= step < len(node.value) else None
        elif isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        else:
            return None
        if node is None:
            return None
    return node


def scalar_text(value: str) -> str:
    """A string as a YAML scalar that reads back as that string (double-quoted, escaped)."""
    dumped = yaml.safe_dump(value, default_style='"', width=1 << 20, allow_unicode=True)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def replace_scalars(text: str, changes: Mapping[Path_, str]) -> str:
    """The text with the scalar at each path replaced by a new string; the rest kept as is."""
    root = compose(text)
    spans = []
    for path, value in changes.items():
        node = node_at(root, path)
        if not isinstance(node, yaml.ScalarNode):
            raise EditError(f"no value at {'.'.join(map(str, path))} to change")
        spans.append((node.start_mark.index, node.end_mark.index, scalar_text(value)))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def replace_value(text: str, path: Path_, new: str) -> str:
    """The text with the value of the mapping key at `path` replaced by `new`, written in flow
    style on the key's line (`sources: ["001", "005"]`); the rest kept as is."""
    parent = node_at(compose(text), path[:-1])
    pair = None
    if isinstance(parent, yaml.MappingNode):
        pair = next(((k, v) for k, v in parent.value if k.value == path[-1]), None)
    if pair is None:
        raise EditError(f"no value at {'.'.join(map(str, path))} to change")
    key, value = pair
    end = len(text[:value.end_mark.index].rstrip())  # a block value ends after its last text
    return text[:key.end_mark.index] + ": " + new + text[end:]


def item_lines(text: str) -> list[tuple[int, int]]:
    """Each top-level list item's lines, [first, last) 0-based, without the blank lines and
    comments that follow it (they belong between records)."""
    root = compose(text)
    if not isinstance(root, yaml.SequenceNode):
        return []
    lines = text.splitlines()
    starts = [item.start_mark.line for item in root.value]
    out = []
    for i, first in enumerate(starts):
        last = starts[i + 1] if i + 1 < len(starts) else len(lines)
        while last > first + 1 and (not lines[last - 1].strip()
                                     or lines[last - 1].lstrip().startswith("#")):
            last -= 1
        out.append((first, last))
    return out


def dump_item(record: Mapping[str, Any]) -> str:
    """One record as a top-level list item, in the KB files' layout."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump([dict(record)], Dumper=dumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False, indent=2)
    return body


def replace_item(text: str, index: int, new_item: str) -> str:
    """The text with top-level item `index` replaced by `new_item` (YAML of a one-item list)."""
    spans = item_lines(text)
    first, last = spans[index]
    lines = text.splitlines(keepends=True)
    return "".join(lines[:first]) + new_item + "".join(lines[last:])


def append_item(text: str, new_item: str) -> str:
    """The text with `new_item` added as its last top-level item, after a blank line."""
    if text and not text.endswith("\n"):
        text += "\n"
    body = text.rstrip("\n")
    if body.endswith("[]"):  # an empty list written as `[]`
        body = body[:-2].rstrip()
    return (body + "\n\n" if body else "") + new_item


@dataclass
class Changes:
    """Files to write (bytes) or remove (None), applied together by `apply`; each file as it
    was when the change to it was made (`seen`), so that a file another process wrote since is
    never overwritten."""

    files: dict[Path, bytes | None]
    seen: dict[Path, bytes | None] = field(default_factory=dict)

    def write(self, path: Path, text: str) -> None:
        self.seen.setdefault(path, _current(path))
        self.files[path] = text.encode("utf-8")

    def remove(self, path: Path) -> None:
        self.seen.setdefault(path, _current(path))
        self.files[path] = None


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def new_problems(before: Iterable[Problem], after: Iterable[Problem]) -> list[Problem]:
    """Problems a change brought (lines move as text changes, so they are not compared)."""
    known = {(str(p.file), p.message) for p in before}
    return [p for p in after if (str(p.file), p.message) not in known]


def apply(root: Path, changes: Changes) -> None:
    """Write every change, then load the KB: a change that brings a problem is undone whole and
    the problems raised (KBError). Signals wait until the files are all new or all old; a kill
    outright leaves the change journalled, and the next load undoes it (fsutil.change_files).
    One writer at a time: the KB's writer's lock is held throughout."""
    with fsutil.writer_lock(root):
        _, before = store.load_kb(root)
        # another nkb may have changed a file while this one waited for the lock
        for path, seen in changes.seen.items():
            if _current(path) != seen:
                raise EditError(f"{path} was changed by another program while this change "
                                "was being made; nothing was changed: run the command again")
        with signals_deferred():
            try:
                _write_checked(root, changes, before)
            except OSError as exc:  # any file left new is put back by the next load
                raise EditError(f"cannot write {exc.filename or root}: "
                                f"{exc.strerror or exc}; nothing was changed") from None


def _write_checked(root: Path, changes: Changes, before: list[Problem]) -> None:
    change = fsutil.change_files(root, changes.files)
    if change is None:
        return
    try:
        _, after = store.load_kb(root)
        brought = new_problems(before, after)
        if brought:
            raise KBError(brought)
    except BaseException:
        change.undo()
        raise
    change.commit()
