"""Why raw YAML data does not fit a record class, found and worded by nkb itself.

msgspec says that data does not fit; this module says where and why in nkb's own words, so a
curator's message (and the tests that check it) does not change when msgspec rewords its own.
"""

from __future__ import annotations

import difflib
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
    found = find_mismatches(raw, kind)
    return found[0] if found else None


def find_mismatches(raw: Any, kind: type) -> list[Mismatch]:
    """Every place where `raw` does not fit `kind`, in file order within each record: unknown
    fields, then missing ones, then each value's own; none inside a value of the wrong shape."""
    out: list[Mismatch] = []
    _walk(raw, mi.type_info(kind), (), out)
    return out


def _walk(raw: Any, info: mi.Type, path: Path, out: list[Mismatch]) -> None:
    if isinstance(info, mi.UnionType):
        options = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if raw is None or len(options) != 1:
            return  # None fits an optional field; nkb's records have no other unions
        info = options[0]
    if isinstance(info, mi.Metadata):
        _walk_metadata(raw, info, path, out)
    elif isinstance(info, mi.StructType):
        _walk_struct(raw, info, path, out)
    elif isinstance(info, mi.ListType):
        if not isinstance(raw, list):
            out.append(_wrong_shape(raw, info, path))
            return
        for index, item in enumerate(raw):
            _walk(item, info.item_type, (*path, index), out)
    elif isinstance(info, mi.LiteralType):
        _add(out, _walk_literal(raw, info, path))
    elif isinstance(info, mi.StrType):
        _add(out, _walk_str(raw, info, path))


def _add(out: list[Mismatch], found: Mismatch | None) -> None:
    if found is not None:
        out.append(found)


def _walk_struct(raw: Any, info: mi.StructType, path: Path, out: list[Mismatch]) -> None:
    if not isinstance(raw, dict):
        out.append(_wrong_shape(raw, info, path))
        return
    fields = {f.encode_name: f for f in info.fields}
    missing = [name for name, f in fields.items() if f.required and name not in raw]
    misspelt: set[str] = set()  # missing fields an unknown key is a typo of: one mistake
    for key in raw:
        if key not in fields:
            shown = ", ".join(name for name in fields if name != "source")
            meant = difflib.get_close_matches(str(key), missing, n=1, cutoff=0.75)
            misspelt.update(meant)
            guess = f" (did you mean `{meant[0]}`?)" if meant else ""
            out.append(Mismatch((*path, key), f"unknown field `{key}`",
                                f"check the spelling{guess}; a {_record_name(info)} has: {shown}",
                                at_key=True))
    for name in missing:
        if name not in misspelt:
            out.append(Mismatch(path, f"missing required field `{name}`", "add the field"))
    for name, value in raw.items():
        if name in fields:
            _walk(value, fields[name].type, (*path, name), out)


def _walk_metadata(raw: Any, info: mi.Metadata, path: Path, out: list[Mismatch]) -> None:
    # A field whose Meta carries its own words for a value that does not fit its pattern.
    found: list[Mismatch] = []
    _walk(raw, info.type, path, found)
    wording = info.extra or {}
    if found and "problem" in wording and isinstance(raw, str):
        found = [Mismatch(path, f"{raw!r} {wording['problem']}", str(wording["hint"]))]
    out.extend(found)


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
