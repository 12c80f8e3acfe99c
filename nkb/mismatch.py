"""Why raw YAML data does not fit a record class, found and worded by nkb itself.

msgspec says that data does not fit; this module says where and why in nkb's own words, so a
curator's message (and the tests that check it) does not change when msgspec rewords its own.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from msgspec import inspect as mi

Path = tuple[str | int, ...]


class Mismatch(msgspec.Struct, frozen=True):
    """One place where the data does not fit: its path, what is wrong, the fix."""

    path: Path
    message: str
    hint: str
    at_key: bool = False  # point at the key's own line (an unknown field)


def find_mismatch(raw: Any, kind: type) -> Mismatch | None:
    """The first place where `raw` does not fit `kind`, or None if nkb finds none."""
    return _walk(raw, mi.type_info(kind), ())


def _walk(raw: Any, info: mi.Type, path: Path) -> Mismatch | None:
    if isinstance(info, mi.UnionType):
        options = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if raw is None or len(options) != 1:
            return None  # None fits an optional field; nkb's records have no other unions
        info = options[0]
    if isinstance(info, mi.Metadata):
        return _walk_metadata(raw, info, path)
    only = info
    if isinstance(only, mi.StructType):
        return _walk_struct(raw, only, path)
    if isinstance(only, mi.ListType):
        if not isinstance(raw, list):
            return _wrong_shape(raw, only, path)
        for index, item in enumerate(raw):
            found = _walk(item, only.item_type, (*path, index))
            if found:
                return found
        return None
    if isinstance(only, mi.LiteralType):
        return _walk_literal(raw, only, path)
    if isinstance(only, mi.StrType):
        return _walk_str(raw, only, path)
    return None


def _walk_struct(raw: Any, info: mi.StructType, path: Path) -> Mismatch | None:
    if not isinstance(raw, dict):
        return _wrong_shape(raw, info, path)
    fields = {f.encode_name: f for f in info.fields}
    for key in raw:
        if key not in fields:
            shown = ", ".join(name for name in fields if name != "source")
            return Mismatch((*path, key), f"unknown field `{key}`",
                            f"check the spelling; a {_record_name(info)} has: {shown}", at_key=True)
    for name, field in fields.items():
        if field.required and name not in raw:
            return Mismatch(path, f"missing required field `{name}`", "add the field")
    for name, value in raw.items():
        found = _walk(value, fields[name].type, (*path, name))
        if found:
            return found
    return None


def _walk_metadata(raw: Any, info: mi.Metadata, path: Path) -> Mismatch | None:
    # A field whose Meta carries its own words for a value that does not fit its pattern.
    found = _walk(raw, info.type, path)
    wording = info.extra or {}
    if found is None or "problem" not in wording or not isinstance(raw, str):
        return found
    return Mismatch(path, f"{raw!r} {wording['problem']}", str(wording["hint"]))


def _walk_literal(raw: Any, info: mi.LiteralType, path: Path) -> Mismatch | None:
    if raw in info.values:
        return None
    allowed = ", ".join(str(v) for v in info.values)
    return Mismatch(path, f"{raw!r} is not one of: {allowed}", f"use one of: {allowed}")


def _walk_str(raw: Any, info: mi.StrType, path: Path) -> Mismatch | None:
    if not isinstance(raw, str):
        return _wrong_shape(raw, info, path)
    if info.min_length and len(raw) < info.min_length:
        return Mismatch(path, "value is empty", "write the value, or remove the field if optional")
    if info.pattern and not re.search(info.pattern, raw):
        return Mismatch(path, f"{raw!r} is not a valid id",
                        "ids are lowercase letters, digits, '-' and '.'; source ids are 3+ digits")
    return None


def _wrong_shape(raw: Any, info: mi.Type, path: Path) -> Mismatch:
    wanted, hint = _SHAPES[_shape_of_type(info)]
    return Mismatch(path, f"expected {wanted}, found {_SHAPES[_shape_of_value(raw)][0]}", hint)


_SHAPES = {
    "list": ("a list", "write a list, e.g. [a, b] or one '- item' per line"),
    "mapping": ("key: value lines", "write key: value lines"),
    "text": ("text", "write a single text value"),
    "empty": ("nothing", "write the value"),
}


def _shape_of_type(info: mi.Type) -> str:
    if isinstance(info, mi.ListType):
        return "list"
    if isinstance(info, mi.StructType):
        return "mapping"
    return "text"


def _shape_of_value(raw: Any) -> str:
    if isinstance(raw, list):
        return "list"
    if isinstance(raw, dict):
        return "mapping"
    return "empty" if raw is None else "text"


def _record_name(info: mi.StructType) -> str:
    return info.cls.__name__.lower()
