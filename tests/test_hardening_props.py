"""Property tests: whatever is in the KB's files, nkb ends with a valid KB or a clear error.

Each example starts from the small fixture KB in a fresh folder, damages one file (truncation,
random bytes or text, swapped types, deep nesting, huge values, tabs, BOMs, non-UTF-8, or a
random YAML document), then loads it through the library and through the CLI. Never a
traceback: every problem names its file, every stderr line starts with a path or `nkb:`.

Budget: the `hardening-ci` profile (the default) is derandomized and small enough that the
whole module runs in a few seconds; `NKB_HYPOTHESIS_PROFILE=hardening-dev` explores more.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkb import store
from nkb.errors import ExitCode

_COMMON: dict[str, Any] = {
    # the autouse cache fixture is per test; each example makes its own KB folder, so a
    # compiled KB is never shared between examples
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                              HealthCheck.data_too_large],
    "deadline": 5000,  # ms per example: a load is ~10 ms; this only catches a hang
}
settings.register_profile("hardening-ci", max_examples=40, derandomize=True,
                          print_blob=True, **_COMMON)
settings.register_profile("hardening-dev", max_examples=400, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("NKB_HYPOTHESIS_PROFILE", "hardening-ci"))

TARGETS = ["actors.yaml", "events.yaml", "sources/001.yaml", "sources/003.yaml",
           "sources/002.txt"]


Run = Callable[..., Any]  # conftest's run_nkb
WriteKB = Callable[..., Path]  # conftest's write_kb


@contextlib.contextmanager
def fresh_kb(write_kb: WriteKB) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="nkb-props-"))
    try:
        yield write_kb(folder / "kb").resolve()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def originals(write_kb: WriteKB) -> dict[str, bytes]:
    """The bytes of each target file of the fixture KB, before any damage."""
    with fresh_kb(write_kb) as root:
        return {relative: (root / relative).read_bytes() for relative in TARGETS}


# --- what must hold for any KB ------------------------------------------------------------------


def assert_loads_or_reports(root: Path) -> None:
    """store.load_kb returns a KB or problems, never both, never neither, never raises."""
    kb, problems = store.load_kb(root)
    assert (kb is None) == bool(problems), problems
    for problem in problems:
        assert problem.file.is_relative_to(root), problem
        assert problem.line is None or problem.line >= 1, problem
        assert problem.message and problem.hint, problem
        if problem.message.startswith("YAML syntax error"):
            assert problem.line is not None, problem  # YAML gave a position: it is shown


def assert_clean_stderr(root: Path, stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "nkb: error: unexpected" not in stderr, stderr  # caught only by the guard for bugs
    for line in stderr.splitlines():
        assert line.startswith((str(root), "nkb:", "  fix: ", "  ")), repr(line)
        assert "\x1b" not in line


def assert_cli_clean(run_nkb: Run, root: Path) -> None:
    result = run_nkb("check", kb=root)
    code, err = result.exit_code, result.stderr
    assert code in (ExitCode.OK, ExitCode.ERROR), err
    assert_clean_stderr(root, err)
    _, problems = store.load_kb(root)
    assert (code == ExitCode.OK) == (not problems)
    result = run_nkb("quotes", "--format", "json", kb=root)
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert code in (ExitCode.OK, ExitCode.ERROR), err
    assert_clean_stderr(root, err)
    if code == ExitCode.OK:
        assert isinstance(json.loads(out), list)
    else:
        assert out == ""


def check_file(write_kb: WriteKB, run_nkb: Run, relative: str, data: bytes) -> None:
    with fresh_kb(write_kb) as root:
        (root / relative).write_bytes(data)
        assert_loads_or_reports(root)
        assert_cli_clean(run_nkb, root)


# --- mutations ------------------------------------------------------------------------------


@st.composite
def byte_mutations(draw: st.DrawFn, files: dict[str, bytes]) -> tuple[str, bytes]:
    """One fixture file, truncated, or with bytes/text/tabs/BOMs spliced in at random places."""
    relative = draw(st.sampled_from(TARGETS))
    data = files[relative]
    kind = draw(st.sampled_from(["truncate", "bytes", "text", "tab", "bom", "latin1", "delete"]))
    at = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return relative, data[:at]
    if kind == "bytes":
        return relative, data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if kind == "text":
        text = draw(st.text(min_size=1, max_size=16))
        return relative, data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]
    if kind == "tab":
        line_start = data.rfind(b"\n", 0, at) + 1
        return relative, data[:line_start] + b"\t" + data[line_start:]
    if kind == "bom":
        return relative, data[:at] + "\ufeff".encode() + data[at:]
    if kind == "latin1":
        return relative, data.decode("utf-8").encode("latin-1", "replace") + b"\xe9\xff"
    end = draw(st.integers(at, min(len(data), at + 40)))
    return relative, data[:at] + data[end:]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node[path[0]] = _replace(node[path[0]], path[1:], value)
    return node


other_values = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.dates(),
    st.text(max_size=10), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


@st.composite
def value_mutations(draw: st.DrawFn, files: dict[str, bytes]) -> tuple[str, bytes]:
    """One value anywhere in a fixture YAML file swapped for another type, nested deeply,
    or made huge; dumped back as YAML."""
    relative = draw(st.sampled_from([t for t in TARGETS if t.endswith(".yaml")]))
    data = yaml.safe_load(files[relative].decode("utf-8"))
    path = draw(st.sampled_from(list(_paths(data))))
    kind = draw(st.sampled_from(["swap", "nest", "huge"]))
    if kind == "swap":
        value = draw(other_values)
    elif kind == "nest":
        value = draw(st.text(max_size=5))
        for _ in range(draw(st.integers(1, 150))):
            value = [value] if draw(st.booleans()) else {"id": value}
    else:
        value = draw(st.sampled_from(["x", "я", "\u202e", " "])) * draw(st.integers(1, 300_000))
    mutated = _replace(data, path, value)
    return relative, yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False).encode("utf-8")


yaml_documents = st.recursive(
    st.none() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "kind", "title", "date", "text", "quotes", "speaker",
                         "sources", "outlet", "file", "roles", "actors"]) | st.text(max_size=6),
        inner, max_size=5),
    max_leaves=20,
)


# --- the properties -----------------------------------------------------------------------------


@PROFILE
@given(data=st.data())
def test_damaged_bytes_are_reported_never_a_crash(data: st.DataObject, write_kb: WriteKB,
                                                  run_nkb: Run) -> None:
    check_file(write_kb, run_nkb, *data.draw(byte_mutations(originals(write_kb))))


@PROFILE
@given(data=st.data())
def test_swapped_nested_or_huge_values_are_reported(data: st.DataObject, write_kb: WriteKB,
                                                    run_nkb: Run) -> None:
    check_file(write_kb, run_nkb, *data.draw(value_mutations(originals(write_kb))))


@PROFILE
@given(relative=st.sampled_from([t for t in TARGETS if t.endswith(".yaml")]),
       document=yaml_documents)
def test_any_yaml_document_is_reported_never_a_crash(relative: str, document: Any,
                                                     write_kb: WriteKB, run_nkb: Run) -> None:
    check_file(write_kb, run_nkb, relative,
               yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


@PROFILE
@given(relative=st.sampled_from([t for t in TARGETS if t.endswith(".yaml")]),
       text=st.text(alphabet="[]{}-:?&*!|>'\" \n\t#,abc0%@`\\", max_size=80))
def test_yaml_punctuation_soup_is_reported(relative: str, text: str, write_kb: WriteKB,
                                           run_nkb: Run) -> None:
    check_file(write_kb, run_nkb, relative, text.encode("utf-8"))


@pytest.mark.parametrize("relative", TARGETS)
def test_each_file_emptied_or_removed(relative: str, write_kb: WriteKB, run_nkb: Run) -> None:
    check_file(write_kb, run_nkb, relative, b"")
    with fresh_kb(write_kb) as root:
        (root / relative).unlink()
        assert_loads_or_reports(root)
        assert_cli_clean(run_nkb, root)
