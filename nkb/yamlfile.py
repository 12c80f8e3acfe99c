"""Safe YAML reading for KB files: text-only scalars, limits, and line numbers for errors."""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from nkb.errors import Problem

MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any curated file; refuses runaway input quickly

MAX_DEPTH = 64  # KB records nest five levels; libyaml's own composer recurses and crashes on ~100k

_TWICE = " appears twice in one mapping"
_NULL = "tag:yaml.org,2002:null"
_STD = "tag:yaml.org,2002:"
# The only explicit tags a KB file may carry: they change nothing in a text-only KB.
_ALLOWED_TAGS = {_STD + "str", _STD + "seq", _STD + "map", _NULL, "!"}


@functools.cache
def _unreadable_chars() -> re.Pattern[str]:
    # What YAML refuses to read at all (the C0/C1 controls but tab and line breaks, surrogates,
    # ...); compiled only on the error path, where it is needed (a few ms at start-up otherwise).
    return re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@functools.cache
def text_loader(pure: bool = False) -> Any:
    """The TextLoader class, built on first use: PyYAML is imported only when YAML is read
    (a query answered from the compiled cache reads none). `pure` skips libyaml."""
    import yaml

    base: Any = yaml.SafeLoader if pure else getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class TextLoader(base):  # type: ignore[misc, valid-type]
        """Safe loader where every plain scalar stays text, except null.

        Curators write `id: 003` and `date: 2024-06-05`; YAML 1.1 would turn those into the
        number 3 and a datetime. Keeping scalars as text means what is typed is what is stored.
        """

        yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
            first: [(tag, rx) for tag, rx in resolvers if tag == _NULL]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]` would not even hash
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key must be plain text, not a list or mapping",
                        key_node.start_mark,
                    )
                key = getattr(key_node, "value", None)
                if isinstance(key, str) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r}{_TWICE}", key_node.start_mark
                    )
                seen[key] = 1
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    return TextLoader


class YamlProblem(Exception):
    """A KB file that cannot be read as YAML; carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ReadRefused(Exception):
    """A file nkb will not read: not a regular file, too large, outside its folder, or
    unreadable. The message says which, in words fit for a Problem."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_limited(stream: BinaryIO, limit: int, what: str) -> bytes:
    """At most `limit` bytes from an open stream, refusing more as it reads: a stream that
    never ends (/dev/zero, a runaway pipe) is stopped at the limit, never read whole."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise ReadRefused(f"{what} holds more than {limit:,} bytes, the limit",
                              "split it into smaller files")


def read_regular(path: Path, limit: int = MAX_FILE_BYTES, within: Path | None = None) -> bytes:
    """The bytes of a regular file (following symlinks, but only to a file inside `within`
    when given), refusing folders, FIFOs and devices without blocking on them, and refusing
    more than `limit` bytes while reading."""
    if within is not None:
        real, folder = os.path.realpath(path), os.path.realpath(within)
        if os.path.commonpath([real, folder]) != folder:
            raise ReadRefused(f"is a link to {real}, outside the KB folder {folder}",
                              "copy the file into the KB, or remove the link: nkb reads no "
                              "file from outside the KB")
    try:
        # O_NONBLOCK: opening a FIFO for reading would wait for a writer forever
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror}",
                          "check it exists and is readable") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(f"is {_kind_of(info.st_mode)}, not a regular file",
                              "nkb reads only regular files: replace it with one")
        if info.st_size > limit:
            raise ReadRefused(f"file is {info.st_size:,} bytes, above the {limit:,}-byte "
                              "limit", "split it into smaller files")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return read_limited(handle, limit, "file")
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror}",
                          "check it exists and is readable") from None
    finally:
        os.close(fd)


def read_text(path: Path, within: Path | None = None) -> str:
    """Read a KB file as UTF-8 text (a BOM is allowed), refusing huge or non-UTF-8 files and
    anything but a regular file (inside `within`, when given)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES, within)
    except ReadRefused as exc:
        raise YamlProblem(Problem(path, None, exc.message, exc.hint)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            Problem(
                path,
                line,
                f"file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8",
            )
        ) from exc


def parse_yaml(path: Path, text: str) -> Any:
    """Parse one YAML document safely; raise YamlProblem with file and line on any failure."""
    import yaml

    try:
        try:
            return _load(text_loader(), path, text)
        except yaml.YAMLError:
            if not hasattr(yaml, "CSafeLoader"):
                raise
            # libyaml has limits of its own (nesting depth, among others) and words them its
            # own way; the pure-Python parser has none, so its events reach nkb's own checks,
            # which say what is wrong and how to fix it, whichever layer noticed first.
            return _load(text_loader(pure=True), path, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(
            Problem(path, line, f"YAML syntax error: {what}", _syntax_hint(text, line, what))
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(_unreadable(path, text) or Problem(
            path, None, f"YAML error: {exc}", "fix the YAML syntax")) from exc
    except RecursionError as exc:
        raise YamlProblem(
            Problem(path, None, "YAML nesting is too deep", "KB records nest a few levels at most")
        ) from exc


def _load(loader_class: Any, path: Path, text: str) -> Any:
    """The document built by one loader class; PyYAML's errors pass through."""
    loader = loader_class(text)
    try:
        node = compose(loader, path)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def _unreadable(path: Path, text: str) -> Problem | None:
    """The first character YAML cannot read at all, as a Problem with its line."""
    found = _unreadable_chars().search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return Problem(path, line, f"character U+{ord(found.group()):04X} cannot appear in a YAML file",
                   'remove it, or write it as an escape inside double quotes, e.g. "\\x1b"')


def compose(loader: Any, path: Path) -> Any:
    """The document's node tree, built from parser events without recursion.

    libyaml's composer recurses once per nesting level and crashes the interpreter on deeply
    nested input, so nodes are assembled here with an explicit stack, which also lets anchors,
    aliases and tags be refused before anything is built from them.
    """
    import yaml

    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None
    document = loader.get_event()
    root = None
    stack: list[list[Any]] = []  # open collections: [node, mapping key waiting for its value]
    while not loader.check_event(yaml.DocumentEndEvent):
        event = loader.get_event()
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()[0].end_mark = event.end_mark
            continue
        _refuse_unsafe(path, event)
        node: Any
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag if event.tag not in (None, "!") else loader.resolve(
                yaml.ScalarNode, event.value, event.implicit)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,  # type: ignore[arg-type]
                                   event.style)
        else:
            kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
            tag = event.tag if event.tag not in (None, "!") else loader.resolve(kind, None, event.implicit)
            node = kind(tag, [], event.start_mark, event.end_mark, event.flow_style)
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(Problem(path, event.start_mark.line + 1,
                                          f"YAML nesting is deeper than {MAX_DEPTH} levels",
                                          "KB records nest a few levels at most"))
        if not stack:
            root = node
        elif isinstance(stack[-1][0], yaml.SequenceNode):
            stack[-1][0].value.append(node)
        elif stack[-1][1] is None:
            stack[-1][1] = node
        else:
            stack[-1][0].value.append((stack[-1][1], node))
            stack[-1][1] = None
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([node, None])
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        extra = loader.get_event()
        raise yaml.composer.ComposerError("expected a single document in the stream",
                                          document.start_mark, "but found another document",
                                          extra.start_mark)
    return root


def _refuse_unsafe(path: Path, event: Any) -> None:
    """Refuse anchors, aliases and tags: KB files never need them, aliases can expand
    explosively, and tags such as !!python/object ask for more than text."""
    line = event.start_mark.line + 1
    if getattr(event, "anchor", None):  # an alias event carries the anchor it refers to
        raise YamlProblem(Problem(
            path, line, "YAML anchors and aliases (&name, *name) are not allowed in a KB file",
            "write the value out in full"))
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in _ALLOWED_TAGS:
        shown = "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag
        raise YamlProblem(Problem(
            path, line, f"YAML tag {shown} is not allowed in a KB file",
            "remove the tag: KB values are plain text, lists and key: value mappings"))


def _syntax_hint(text: str, line: int | None, what: str) -> str:
    """A fix read off the offending line itself (or nkb's own message), not the parser's words."""
    if what.endswith(_TWICE):
        return "remove or rename the repeated key"
    lines = text.splitlines()
    where = lines[line - 1] if line and line <= len(lines) else ""
    indent = where[: len(where) - len(where.lstrip(" \t"))]
    if "\t" in indent:
        return "indent with spaces, not tabs"
    value = where.lstrip(" \t-").partition(": ")[2]
    if ": " in value or (value[:1] in tuple("@`%*&!|>{[") and not value.rstrip().endswith(("]", "}"))):
        return "put text containing ': ' or starting with a special character in quotes"
    return "fix the YAML syntax at that line (check indentation, quotes and colons)"


class LineIndex:
    """The node tree of one YAML text, composed once, to find the line of any node in it:
    a file with thousands of problems is parsed once, not once per problem."""

    def __init__(self, text: str) -> None:
        import yaml

        loader = text_loader()(text)
        try:
            self.root = compose(loader, Path())
        except (yaml.YAMLError, YamlProblem):
            self.root = None
        finally:
            loader.dispose()

    def line(self, path: tuple[str | int, ...], key: bool = False) -> int | None:
        """The 1-based line of the node at `path` (the key's line if `key`), or the nearest
        parent's."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for i, step in enumerate(path):
            child = _child(node, step, want_key=key and i == len(path) - 1)
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


def line_of(text: str, path: tuple[str | int, ...], key: bool = False) -> int | None:
    """The 1-based line of the node at `path` (the key's line if `key`), or the nearest parent.
    Parses the text: for many lookups in one text, keep a LineIndex."""
    return LineIndex(text).line(path, key)


def _child(node: Any, step: str | int, want_key: bool) -> Any:
    import yaml

    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return node.value[step] if 0 <= step < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == step:
                return key_node if want_key else value_node
    return None
