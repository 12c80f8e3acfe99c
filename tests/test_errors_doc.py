"""docs/errors.md lists every message nkb can print: a new message without an entry fails here.

The messages are found in the source, not listed by hand: every text given to a Problem (or
the loader's helpers that make one), to a named error (NotFound, UsageError, WriteRefused,
...), to `fail()`, `typer.BadParameter` or `DateError`, written to stderr, or listed as what
a draft lacks. Of each, the constant words (the text between its `{placeholders}`) are looked
up in the doc, ignoring case, backticks and spacing, so rewording the doc's explanations or
changing a placeholder never breaks this test; adding or rewording a message does.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"
SOURCES = sorted((ROOT / "nkb").glob("*.py"))

# (file, where, message, hint): the message is the third argument
PROBLEM_MAKERS = {"Problem", "problem", "make_problem", "issue", "cross"}
# the message is the first argument
RAISED = {"NotFound", "Ambiguous", "UsageError", "WriteRefused", "AddError", "NkbError",
          "DateError", "BadParameter", "fail", "PageError", "JournalError",
          "EditError", "ReviewError"}
# prefixes every message of a kind shares: they say nothing about which message it is
SHARED = re.compile(r"^(nkb: error: |nkb: |error: )")


def _fragments(node: ast.expr) -> list[str]:
    """The constant pieces of a string expression; [] if it is not built from literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        pieces, current = [], ""
        for value in node.values:
            if isinstance(value, ast.Constant):
                current += str(value.value)
            else:
                pieces.append(current)
                current = ""
        return [*pieces, current]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _fragments(node.left) + _fragments(node.right)
    return []


def _message_of(call: ast.Call) -> ast.expr | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name in PROBLEM_MAKERS and len(call.args) >= 3:
        return call.args[2]
    if name in RAISED and call.args:
        return call.args[0]
    if (name == "write" and isinstance(func, ast.Attribute)
            and "stderr" in ast.unparse(func.value) and call.args):
        return call.args[0]
    if name == "append" and call.args and isinstance(call.args[0], ast.Tuple):
        items = call.args[0].elts  # draft_lacks: (where, message, hint)
        if len(items) == 3 and "lacks" in ast.unparse(func):
            return items[1]
    for keyword in call.keywords:
        if keyword.arg in ("message", "empty"):
            return keyword.value
    return None


def _normal(text: str) -> str:
    return " ".join(text.replace("`", "").casefold().split())


def key_words(pieces: list[str]) -> str | None:
    """What a message must be found by: its first piece of two words or more, else its
    longest piece; None for a message that is all placeholders."""
    cleaned = [_normal(SHARED.sub("", p.strip())).strip(" :;,.()'\"") for p in pieces]
    cleaned = [c for c in cleaned if len(c) >= 4]
    if not cleaned:
        return None
    return next((c for c in cleaned if " " in c), max(cleaned, key=len))


def messages() -> Iterator[tuple[str, str]]:
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (message := _message_of(node)) is not None:
                words = key_words(_fragments(message))
                if words is not None:
                    yield f"{path.name}:{node.lineno}", words


FOUND = sorted(set(messages()))


def test_the_scan_finds_the_messages_it_should() -> None:
    # a guard against the scan silently finding nothing after a refactoring
    words = {w for _, w in FOUND}
    for expected in ("file is not utf-8 (byte 0x", "no actor matches",
                     "yaml anchors and aliases (&name, *name) are not allowed in a kb file",
                     "appeared while writing; nothing was overwritten", "status is draft",
                     "run again with --debug for a traceback"):
        assert any(w.startswith(expected) for w in words), expected
    assert len(FOUND) >= 50


@pytest.mark.parametrize(("where", "words"), FOUND, ids=[f"{w}:{m[:40]}" for w, m in FOUND])
def test_every_message_is_in_the_error_reference(where: str, words: str) -> None:
    assert words in _normal(DOC.read_text(encoding="utf-8")), (
        f"{where}: the message with {words!r} is not in docs/errors.md; add it with its cause "
        "and fix")


def test_every_exit_status_is_in_the_error_reference() -> None:
    from nkb.errors import ExitCode

    doc = DOC.read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} | `{code.name}` |" in doc
