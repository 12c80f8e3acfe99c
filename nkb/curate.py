"""The curator's commands on the KB's files: confirm a draft, remove or renumber a source, list
the drafts awaiting review. Each change goes through `kbwrite.apply`: all files or none."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nkb import kbwrite, store
from nkb.errors import NkbError, NotFound, Problem, UsageError
from nkb.index import KB, normalise_source_id
from nkb.kbwrite import Changes, EditError
from nkb.models import Source
from nkb.text import plural
from nkb.validation import ACTORS_FILE, EVENTS_FILE, SOURCES_DIR, unfinished
from nkb.yamlfile import LineIndex, read_text


class NotReady(NkbError):
    """A draft that cannot be confirmed yet; carries what is left, with file and line."""

    def __init__(self, source_id: str, left: list[Problem]) -> None:
        super().__init__(f"draft {source_id} is not ready to be curated: "
                         f"{plural(len(left), 'item')} left")
        self.problems = left


def source_paths(root: Path, source_id: str) -> tuple[Path, Path]:
    """The record and the text of a source."""
    folder = root / SOURCES_DIR
    return folder / f"{source_id}.yaml", folder / f"{source_id}.txt"


def find_source(kb: KB, typed: str) -> Source:
    """The source a typed id names (003 or 3), or NotFound."""
    source = kb.sources.get(normalise_source_id(typed))
    if source is None:
        raise NotFound(f"no source {typed!r}; `nkb drafts` lists the drafts, `nkb sources` "
                       "every source")
    return source


# --- confirm ----------------------------------------------------------------------------------


def left_to_do(root: Path, source: Source) -> list[Problem]:
    """What stands between a source and curated, each with its file and line."""
    record, _ = source_paths(root, source.id)
    lines = LineIndex(read_text(record, root))
    return [Problem(record, lines.line(where), message, hint)
            for where, message, hint in unfinished(source)]


def confirm(root: Path, typed: str) -> Source:
    """Mark a draft curated, if nothing is left unfinished in it; else NotReady."""
    kb = store.open_kb(root)
    source = find_source(kb, typed)
    if source.status == "curated":
        raise UsageError(f"source {source.id} is already curated")
    left = left_to_do(root, source)
    if left:
        raise NotReady(source.id, left)
    record, _ = source_paths(root, source.id)
    changes = Changes({})
    changes.write(record, kbwrite.replace_scalars(read_text(record, root),
                                                  {("status",): "curated"}))
    kbwrite.apply(root, changes)
    return source


# --- what cites a source ----------------------------------------------------------------------


def _cited_in(node: yaml.Node | None, source_id: str, path: tuple[str | int, ...] = (),
              ) -> Iterator[tuple[str | int, ...]]:
    """Paths of every `sources` list entry equal to `source_id` under `node`."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "sources" and isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    if isinstance(item, yaml.ScalarNode) and item.value == source_id:
                        yield (*path, "sources", i)
            else:
                yield from _cited_in(value, source_id, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _cited_in(item, source_id, (*path, i))


@dataclass(frozen=True)
class Citation:
    """One place in actors.yaml or events.yaml that cites a source."""

    file: Path
    line: int
    record: str  # the citing record's id


def citations(root: Path, source_id: str) -> list[Citation]:
    """Every record in actors.yaml and events.yaml that cites the source."""
    found = []
    for name in (EVENTS_FILE, ACTORS_FILE):
        path = root / name
        if not path.is_file():
            continue
        text = read_text(path, root)
        tree = kbwrite.compose(text)
        for where in _cited_in(tree, source_id):
            node = kbwrite.node_at(tree, where)
            owner = kbwrite.node_at(tree, (where[0], "id"))
            found.append(Citation(path, node.start_mark.line + 1 if node else 0,
                                  str(owner.value) if isinstance(owner, yaml.ScalarNode)
                                  else "?"))
    return found


# --- rm ---------------------------------------------------------------------------------------


def remove(root: Path, typed: str, force: bool = False) -> Source:
    """Remove a source's record and text: a draft, or a curated one with `force`; never one
    that other records cite."""
    kb = store.open_kb(root)
    source = find_source(kb, typed)
    if source.status == "curated" and not force:
        raise EditError(f"source {source.id} is curated; nkb rm removes drafts (add --force "
                         "to remove a curated source)")
    cited = citations(root, source.id)
    if cited:
        where = "; ".join(f"{c.file.name}:{c.line} ({c.record})" for c in cited)
        raise EditError(f"source {source.id} is cited by {plural(len(cited), 'record')}: "
                        f"{where}; remove those citations first")
    changes = Changes({})
    for path in source_paths(root, source.id):
        changes.remove(path)
    kbwrite.apply(root, changes)
    return source


# --- mv ---------------------------------------------------------------------------------------


def move(root: Path, typed_old: str, typed_new: str) -> tuple[str, str]:
    """Renumber a source: its files, its id, its quotes' ids, and every citation of it."""
    kb = store.open_kb(root)
    source = find_source(kb, typed_old)
    new_id = normalise_source_id(typed_new)
    if not (new_id.isascii() and new_id.isdigit() and len(new_id) >= 3):
        raise UsageError(f"{typed_new!r}: a source id is 3 or more digits 0-9, e.g. 005")
    taken = {int(s) for s in kb.sources if s.isascii() and s.isdigit()} - {int(source.id)}
    old_record, old_text = source_paths(root, source.id)
    new_record, new_text = source_paths(root, new_id)
    if int(new_id) in taken or (new_record.exists() and new_record != old_record) \
            or (new_text.exists() and new_text != old_text):
        raise EditError(f"source {new_id} already exists; choose a free id")
    changes = Changes({})
    record_text = read_text(old_record, root)
    tree = kbwrite.compose(record_text)
    renames: dict[tuple[str | int, ...], str] = {("id",): new_id}
    for i, quote in enumerate(source.quotes):
        if quote.id.startswith(f"{source.id}-"):
            renames[("quotes", i, "id")] = new_id + quote.id[len(source.id):]
    if isinstance(kbwrite.node_at(tree, ("file",)), yaml.ScalarNode) \
            and source.file == old_text.name:
        renames[("file",)] = new_text.name
    changes.write(new_record, kbwrite.replace_scalars(record_text, renames))
    changes.files[new_text] = old_text.read_bytes()
    changes.remove(old_record)
    changes.remove(old_text)
    for name in (EVENTS_FILE, ACTORS_FILE):
        path = root / name
        if not path.is_file():
            continue
        text = read_text(path, root)
        cited = list(_cited_in(kbwrite.compose(text), source.id))
        if cited:
            changes.write(path, kbwrite.replace_scalars(text, dict.fromkeys(cited, new_id)))
    kbwrite.apply(root, changes)
    return source.id, new_id


# --- drafts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A draft awaiting review: what a curator needs to pick the next one."""

    id: str
    title: str
    date: str
    weak: int  # proposals of weak strength
    left: int  # items left before it can be confirmed
    age_days: int


def first_words(text: str, count: int = 8) -> str:
    """The first words of an article, to name a draft that has no title yet."""
    words = text.split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


def weak_count(source: Source) -> int:
    """How many of a draft's proposals are weak."""
    fields: list[Any] = [*source.proposals.values(), *source.new_actors]
    for quote in source.quotes:
        fields.append(quote)
        fields.extend(quote.proposals.values())
    return sum(1 for f in fields if getattr(f, "strength", None) == "weak")


def drafts(kb: KB, root: Path, now: float | None = None) -> list[Draft]:
    """Every draft source, oldest first."""
    now = time.time() if now is None else now
    out = []
    for source in kb.sources.values():
        if source.status != "draft":
            continue
        record, _ = source_paths(root, source.id)
        try:
            age = max(0, int((now - record.stat().st_mtime) // 86400))
        except OSError:
            age = 0
        title = source.title
        if title.lstrip().startswith("TODO"):
            try:
                title = "(untitled) " + first_words(kb.text(source.id))
            except (OSError, NkbError):
                title = "(untitled)"
        out.append(Draft(source.id, title, source.date, weak_count(source),
                         len(unfinished(source)), age))
    return sorted(out, key=lambda d: (-d.age_days, d.id))
