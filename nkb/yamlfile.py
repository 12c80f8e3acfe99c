"""Safe YAML reading for KB files: text-only scalars, limits, and line numbers for errors."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, ClassVar

from nkb.errors import Problem

MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any curated file; refuses runaway input quickly

_NULL = "tag:yaml.org,2002:null"
# Anchors or aliases may only appear where YAML syntax allows; a quick scan spares the node walk.
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\[\]{}]", re.MULTILINE)


@functools.cache
def text_loader() -> Any:
    """The TextLoader class, built on first use: PyYAML is imported only when YAML is read
    (a query answered from the compiled cache reads none)."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
                        None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
                    )
                seen[key] = 1
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    return TextLoader


class YamlProblem(Exception):
    """A KB file that cannot be read as YAML; carries the Problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path) -> str:
    """Read a KB file as UTF-8 text (a BOM is allowed), refusing huge or non-UTF-8 files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(
                Problem(
                    path,
                    None,
                    f"file is {size:,} bytes, above the {MAX_FILE_BYTES:,}-byte limit",
                    "split it into smaller files",
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(
            Problem(path, None, f"cannot read file: {exc.strerror}", "check it exists and is readable")
        ) from exc
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
        loader = text_loader()(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if _ANCHOR_OR_ALIAS.search(text):
                _refuse_aliases(path, text)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(
            Problem(path, line, f"YAML syntax error: {what}", _syntax_hint(what))
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(path, None, f"YAML error: {exc}", "fix the YAML syntax")) from exc
    except RecursionError as exc:
        raise YamlProblem(
            Problem(path, None, "YAML nesting is too deep", "KB records nest a few levels at most")
        ) from exc


def _syntax_hint(what: str) -> str:
    if "tab" in what:
        return "indent with spaces, not tabs"
    if "twice" in what:
        return "remove or rename the repeated key"
    if "found character" in what or "mapping values" in what:
        return "put text containing ': ' or starting with a special character in quotes"
    return "fix the YAML syntax at that line (check indentation, quotes and colons)"


def _refuse_aliases(path: Path, text: str) -> None:
    """Refuse anchors and aliases: KB files never need them and they can expand explosively.

    Composed nodes do not keep their anchors, so this reads the parser's events instead (only
    when a quick scan of the text has seen an `&` or `*` where one could stand).
    """
    loader = text_loader()(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if getattr(event, "anchor", None):
                raise YamlProblem(
                    Problem(
                        path,
                        event.start_mark.line + 1,
                        "YAML anchors and aliases (&name, *name) are not allowed in a KB file",
                        "write the value out in full",
                    )
                )
    finally:
        loader.dispose()


def line_of(text: str, path: tuple[str | int, ...], key: bool = False) -> int | None:
    """The 1-based line of the node at `path` (the key's line if `key`), or the nearest parent."""
    import yaml

    try:
        node = text_loader()(text).get_single_node()
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for i, step in enumerate(path):
        child = _child(node, step, want_key=key and i == len(path) - 1)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: Any, step: str | int, want_key: bool) -> Any:
    import yaml

    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return node.value[step] if 0 <= step < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == step:
                return key_node if want_key else value_node
    return None
