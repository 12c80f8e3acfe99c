"""The module order of docs/architecture.md holds: imports run one way, and no module imports
another's private names. Every import counts, those inside functions too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import nkb
from nkb import cache

PACKAGE = Path(nkb.__file__).parent
DOC = PACKAGE.parent / "docs" / "architecture.md"


def declared_order() -> list[str]:
    """The modules as docs/architecture.md lists them, lowest first."""
    return re.findall(r"(?m)^\d+\. `([\w.]+)`", DOC.read_text(encoding="utf-8"))


def module_name(stem: str) -> str:
    """nkb's module for a name as the list gives it: `__init__`, `store`, `reader.page`."""
    return "nkb" if stem == "__init__" else f"nkb.{stem}"


def is_module(dotted: str) -> bool:
    """Is `nkb.x.y` a module or package of nkb (not a name inside one)?"""
    path = PACKAGE.joinpath(*dotted.split(".")[1:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def listed_name(path: Path) -> str:
    """A source file's name as the list gives it: `store`, `reader` (a package), `reader.page`."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts == ("__init__",):
        return "__init__"
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, name: str) -> list[tuple[int, str, list[str]]]:
    """(line, nkb module, names taken from it) for every import of an nkb module in `source`."""
    is_package = name == "nkb" or (PACKAGE.joinpath(*name.split(".")[1:]) / "__init__.py").exists()
    package = name if is_package else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names if a.name.split(".")[0] == "nkb"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])
            if base.split(".")[0] != "nkb":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if is_module(sub):
                    out.append((node.lineno, sub, []))  # `from nkb import store` takes a module
                else:
                    out.append((node.lineno, base, [alias.name]))
    return out


def private_uses(source: str, name: str) -> list[tuple[int, str]]:
    """(line, what) for every private name of another nkb module this source reaches for:
    imported by name, or as an attribute of an imported module."""
    found = [(line, f"{module}.{taken}") for line, module, names in imports_of(source, name)
             for taken in names if module != name and is_private(taken)]
    tree = ast.parse(source)
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "nkb":
            modules |= {a.asname or a.name for a in node.names
                        if is_module(f"{node.module}.{a.name}")}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.asname and a.name.startswith("nkb.")}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and is_private(node.attr)):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return found


def is_private(attribute: str) -> bool:
    return attribute.startswith("_") and not (attribute.startswith("__") and attribute.endswith("__"))


def order_violations(sources: dict[str, str], order: list[str]) -> list[str]:
    """Every import of a module at or below the importer's place in `order`, as messages."""
    rank = {module_name(stem): i for i, stem in enumerate(order)}
    out = []
    for name, source in sources.items():
        for line, imported, _ in imports_of(source, name):
            if imported not in rank:
                out.append(f"{name}:{line}: imports {imported}, which the order does not list")
            elif imported != name and rank[imported] >= rank[name]:
                out.append(f"{name}:{line}: imports {imported}, which is listed below it")
    return out


def package_sources() -> dict[str, str]:
    return {module_name(listed_name(p)): p.read_text(encoding="utf-8")
            for p in PACKAGE.rglob("*.py")}


def test_every_module_is_listed_once() -> None:
    order = declared_order()
    assert len(order) == len(set(order))
    assert sorted(order) == sorted(listed_name(p) for p in PACKAGE.rglob("*.py"))


def test_imports_run_one_way() -> None:
    assert order_violations(package_sources(), declared_order()) == []


def test_no_module_imports_a_private_name_of_another() -> None:
    found = [f"{name}:{line}: {what}" for name, source in package_sources().items()
             for line, what in private_uses(source, name)]
    assert found == []


@pytest.mark.parametrize(("source", "expected"), [
    ("def f():\n    from nkb import cli\n", ["nkb.store:2: imports nkb.cli, which is listed below it"]),
    ("import nkb.search\n", ["nkb.store:1: imports nkb.search, which is listed below it"]),
    ("from nkb.render import row\n", ["nkb.store:1: imports nkb.render, which is listed below it"]),
    ("from . import search\n", ["nkb.store:1: imports nkb.search, which is listed below it"]),
    ("from nkb import cache, __version__\nfrom nkb.index import KB\n", []),
])
def test_the_order_check_sees_every_kind_of_import(source: str, expected: list[str]) -> None:
    order = ["__init__", "index", "cache", "store", "search", "render", "cli"]
    assert order_violations({"nkb.store": source}, order) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("from nkb.store import _problem\n", [(1, "nkb.store._problem")]),
    ("from nkb import render\n\ndef f():\n    return render._escape\n", [(4, "render._escape")]),
    ("from nkb.store import load_kb, __doc__\n", []),
])
def test_the_private_check_sees_imports_and_attributes(source: str,
                                                       expected: list[tuple[int, str]]) -> None:
    assert private_uses(source, "nkb.cache") == expected


def static_closure(name: str) -> set[str]:
    """The nkb modules `name` imports, directly or through others, read from the source."""
    sources = package_sources()
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo += [m for _, m, _ in imports_of(sources[current], current) if m != "nkb"]
    return seen


def test_the_cache_stamp_covers_every_module_the_cache_depends_on() -> None:
    """A cache built by other code is not trusted: the stamp names every module whose change
    could change what the cache holds (found at run time; compared here with the source)."""
    assert {m.__name__ for m in cache.code_modules()} == static_closure("nkb.cache")


# What a function's name ends with says what it returns, in every module: one name, one thing.
NAME_MEANS = {"_row": "Row", "_detail": "Row", "_screen": "Screen"}


def names_and_returns() -> list[tuple[str, str, str]]:
    """(module, function, its return annotation) for every public top-level function of nkb."""
    found = []
    for module, source in package_sources().items():
        for node in ast.parse(source).body:
            if (isinstance(node, ast.FunctionDef) and node.returns is not None
                    and not node.name.startswith("_")):
                found.append((module, node.name, ast.unparse(node.returns)))
    return found


def test_a_function_s_name_says_what_it_returns() -> None:
    """`*_row` and `*_detail` give a row (data), `*_screen` a terminal screen, and no function
    is named `*_view` for either, so `quote_detail` and `quote_screen` cannot be confused."""
    wrong = [f"{module}.{name} -> {returns}" for module, name, returns in names_and_returns()
             for suffix, meant in NAME_MEANS.items()
             if name.endswith(suffix) and returns != meant]
    wrong += [f"{module}.{name} -> {returns}" for module, name, returns in names_and_returns()
              if name.endswith("_view") and returns in NAME_MEANS.values()]
    assert wrong == []
    details = {(m, n) for m, n, r in names_and_returns() if n.endswith("_detail")}
    assert {("nkb.views", "quote_detail"), ("nkb.views", "event_detail"),
            ("nkb.rows", "source_detail"), ("nkb.rows", "actor_detail")} <= details
