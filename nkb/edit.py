"""`nkb edit ID`: one record (a source, an actor or an event) in the curator's editor, with the
article at hand; applied only when the KB stays valid, else reopened with the problems at the
top (as `kubectl edit` does). Nothing invalid is ever written.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from nkb import kbwrite, store
from nkb.curate import source_paths
from nkb.errors import KBError, NkbError, NotFound, Problem
from nkb.index import normalise_source_id
from nkb.kbwrite import Changes
from nkb.validation import ACTORS_FILE, EVENTS_FILE
from nkb.yamlfile import read_text

PROBLEM_MARK = "# nkb edit: "  # lines nkb puts at the top; removed before the record is read
ARTICLE_MARK = "# ---- nkb edit: the article, for reference (lines below are ignored) ----"


class EditCancelled(NkbError):
    """The curator left the editor without a change to apply; nothing was written."""


@dataclass
class Target:
    """The record being edited: its file, and where in it (whole file, or one list item)."""

    label: str
    file: Path
    item: int | None  # index in actors.yaml / events.yaml; None for a source's whole file
    article: Path | None

    def current(self, root: Path) -> str:
        text = read_text(self.file, root)
        if self.item is None:
            return text
        first, last = kbwrite.item_lines(text)[self.item]
        return "".join(text.splitlines(keepends=True)[first:last])

    def replaced(self, root: Path, edited: str) -> str:
        """The file's text with the record replaced by the edited one."""
        if self.item is None:
            return edited
        text = read_text(self.file, root)
        return kbwrite.replace_item(text, self.item, edited if edited.endswith("\n")
                                    else edited + "\n")


def find_target(root: Path, typed: str) -> Target:
    """A source (003 or 3), an actor or an event, by its id."""
    kb = store.open_kb(root)
    source_id = normalise_source_id(typed)
    if source_id in kb.sources:
        record, text = source_paths(root, source_id)
        return Target(f"source {source_id}", record, None, text)
    for name, ids in ((ACTORS_FILE, list(kb.actors)), (EVENTS_FILE, [e.id for e in kb.events])):
        path = root / name
        if typed in ids:
            return Target(f"{name.split('.')[0][:-1]} {typed}", path, _item_of(path, root, typed),
                          None)
    raise NotFound(f"no source, actor or event {typed!r}; `nkb sources`, `nkb actors` and "
                   "`nkb events` list the ids")


def _item_of(path: Path, root: Path, ident: str) -> int:
    tree = kbwrite.compose(read_text(path, root))
    for i, item in enumerate(getattr(tree, "value", [])):
        node = kbwrite.node_at(item, ("id",))
        if isinstance(node, yaml.ScalarNode) and node.value == ident:
            return i
    raise NotFound(f"no record {ident!r} in {path.name}")


def buffer(target: Target, record: str, problems: list[Problem], article: str | None) -> str:
    """What the editor shows: problems (if any) at the top, the record, the article below."""
    head = ""
    if problems:
        head = PROBLEM_MARK + "the change was not applied; fix these and save, or empty the " \
            "file to cancel:\n" + "".join(
                f"{PROBLEM_MARK}{_one_line(p)}\n" for p in problems)
    else:
        head = (f"{PROBLEM_MARK}{target.label} in {target.file.name}; save to apply, empty the "
                "file to cancel\n")
    tail = ""
    if article is not None:
        tail = "\n" + ARTICLE_MARK + "\n" + "".join(
            f"# {line}\n" for line in article.splitlines())
    return head + record + tail


def _one_line(problem: Problem) -> str:
    return " ".join(f"{problem.message} (fix: {problem.hint})".split())


def record_of(edited: str) -> str:
    """The record in an edited buffer: nkb's own lines at the top and the article removed."""
    lines = edited.splitlines(keepends=True)
    while lines and lines[0].startswith(PROBLEM_MARK):
        lines.pop(0)
    for i, line in enumerate(lines):
        if line.rstrip("\r\n") == ARTICLE_MARK:
            lines = lines[:i]
            break
    return "".join(lines).rstrip("\n") + "\n" if "".join(lines).strip() else ""


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi, split as a shell would."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(chosen)


def run_editor(path: Path) -> None:
    """Open the file in the editor and wait; a failing editor cancels the edit."""
    command = editor_command()
    try:
        status = subprocess.call([*command, str(path)])
    except OSError as exc:
        raise EditCancelled(f"cannot start the editor {command[0]!r} ({exc.strerror}); set "
                            "$VISUAL or $EDITOR; nothing was changed") from None
    if status != 0:
        raise EditCancelled(f"the editor exited with status {status}; nothing was changed")


def edit(root: Path, typed: str, open_editor: Callable[[Path], None] = run_editor) -> str:
    """Edit one record until it is valid or the curator cancels; returns its label."""
    target = find_target(root, typed)
    original = target.current(root)
    article = None
    if target.article is not None:
        article = target.article.read_text(encoding="utf-8", errors="replace")
    record = original
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="nkb-edit-") as folder:
        path = Path(folder) / f"{typed}.yaml"
        while True:
            shown = buffer(target, record, problems, article)
            path.write_text(shown, encoding="utf-8")
            open_editor(path)
            edited = record_of(path.read_text(encoding="utf-8", errors="replace"))
            if not edited.strip():
                raise EditCancelled("the record was emptied: edit cancelled, nothing was changed")
            if edited == original:
                raise EditCancelled("no change to apply; nothing was changed")
            if problems and edited == record:
                raise EditCancelled("saved again without a change, so the edit is cancelled; "
                                    "nothing was changed")
            record = edited
            changes = Changes({})
            changes.write(target.file, target.replaced(root, edited))
            try:
                kbwrite.apply(root, changes)
            except KBError as exc:
                problems = exc.problems
                continue
            return target.label
