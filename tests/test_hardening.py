"""Hostile input: YAML limits, terminal safety in every format, read-only and shared KBs.

Pipes and signals are in test_hardening_pipes.py; random damage in test_hardening_props.py.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nkb import store, yamlfile
from nkb.errors import ExitCode
from nkb.fsutil import atomic_write

Run = Callable[..., Any]
NKB = Path(sys.executable).parent / "nkb"


def only_problem_in(kb: Path, relative: str) -> list[Any]:
    """The problems load_kb reports in one file (others may follow from it)."""
    loaded, problems = store.load_kb(kb)
    assert loaded is None
    found = [p for p in problems if p.file == kb / relative]
    assert found, problems
    return found


# --- YAML limits ------------------------------------------------------------------------------


def test_python_object_tag_is_refused_and_never_run(run_nkb: Run, kb_dir: Path,
                                                    tmp_path: Path) -> None:
    marker = tmp_path / "made-by-yaml"
    (kb_dir / "actors.yaml").write_text(
        f"- !!python/object/apply:os.mkdir [{str(marker)!r}]\n", encoding="utf-8")
    [problem] = only_problem_in(kb_dir, "actors.yaml")
    assert problem.line == 1
    assert problem.message == "YAML tag !!python/object/apply:os.mkdir is not allowed in a KB file"
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert f"{kb_dir / 'actors.yaml'}:1: YAML tag !!python/object/apply:os.mkdir" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("text", ["- id: !!int 3\n", "- !foo {id: x}\n", "- !!binary aGk=\n"])
def test_other_tags_are_refused(kb_dir: Path, text: str) -> None:
    (kb_dir / "actors.yaml").write_text(text, encoding="utf-8")
    [problem] = only_problem_in(kb_dir, "actors.yaml")
    assert "is not allowed in a KB file" in problem.message and problem.line == 1


def billion_laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("relative", ["actors.yaml", "sources/001.yaml"])
def test_billion_laughs_is_refused_before_expanding(run_nkb: Run, kb_dir: Path, relative: str) -> None:
    (kb_dir / relative).write_text(billion_laughs(), encoding="utf-8")
    [problem] = only_problem_in(kb_dir, relative)  # refused at the first anchor, none expanded
    assert problem.message.startswith("YAML anchors and aliases")
    assert problem.line == 1
    result = run_nkb("quotes", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    assert "anchors and aliases (&name, *name) are not allowed" in result.stderr


def test_an_unused_anchor_is_refused_too(kb_dir: Path) -> None:
    (kb_dir / "actors.yaml").write_text("- &me {id: x, name: X, kind: person}\n",
                                        encoding="utf-8")
    [problem] = only_problem_in(kb_dir, "actors.yaml")
    assert problem.message.startswith("YAML anchors and aliases")


def test_a_file_above_the_size_limit_is_refused(run_nkb: Run, kb_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 2000)
    big = kb_dir / "sources" / "002.txt"
    big.write_text("The ceasefire must be observed. " * 100, encoding="utf-8")
    size = big.stat().st_size
    [problem] = only_problem_in(kb_dir, "sources/002.txt")
    assert problem.message == f"file is {size:,} bytes, above the 2,000-byte limit"
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert f"{big}: file is {size:,} bytes" in result.stderr


@pytest.mark.parametrize("relative", ["events.yaml", "sources/002.yaml", "sources/002.txt"])
def test_a_non_utf8_file_is_named_with_its_line(run_nkb: Run, kb_dir: Path, relative: str) -> None:
    path = kb_dir / relative
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8") + "caf\u00e9\n".encode("latin-1"))
    [problem] = only_problem_in(kb_dir, relative)
    assert problem.message.startswith("file is not UTF-8 (byte 0xe9")
    assert problem.line == text.count("\n") + 1
    result = run_nkb("check", kb=kb_dir)
    assert f"{path}:{problem.line}: file is not UTF-8" in result.stderr


@pytest.mark.parametrize("text", [
    "[" * 10_000,
    "[" * 10_000 + "]" * 10_000,
    "{a: " * 10_000 + "x" + "}" * 10_000,
    "- " * 10_000 + "x\n",
    "".join(" " * i + "a:\n" for i in range(500)) + " " * 500 + "b\n",
    "".join(" " * i + "a:\n" for i in range(80)) + " " * 80 + "b\n",
    "- " * 100 + "x\n",
], ids=["open-brackets", "brackets", "braces", "dashes", "block-mappings", "block-80", "dashes-100"])
@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_deep_nesting_is_named_with_the_limit_and_line(
        run_nkb: Run, kb_dir: Path, text: str, libyaml: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # whichever parser notices first, the message is nkb's: what is wrong, the limit, the line
    import yaml

    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
        yamlfile.text_loader.cache_clear()
    (kb_dir / "actors.yaml").write_text(text, encoding="utf-8")
    [problem] = only_problem_in(kb_dir, "actors.yaml")
    yamlfile.text_loader.cache_clear()
    assert problem.message == f"YAML nesting is deeper than {yamlfile.MAX_DEPTH} levels"
    assert problem.line == 1 + (yamlfile.MAX_DEPTH if text.startswith("a:") else 0)
    assert "indentation" not in problem.hint
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr


def test_nesting_deep_enough_to_crash_libyaml_is_refused_by_the_installed_nkb(
        kb_dir: Path) -> None:
    # libyaml's own composer recursed once per level and killed the interpreter (SIGSEGV)
    (kb_dir / "actors.yaml").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = subprocess.run([str(NKB), "--kb", str(kb_dir), "check"], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "NKB_CACHE_DIR": "off"})
    assert result.returncode == ExitCode.ERROR, result.stderr
    assert f"{kb_dir / 'actors.yaml'}:1: YAML nesting is deeper than" in result.stderr


def test_a_recursion_error_becomes_a_problem(kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def too_deep(*args: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(yamlfile, "compose", too_deep)
    [problem, *_] = only_problem_in(kb_dir, "actors.yaml")
    assert problem.message == "YAML nesting is too deep"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x9b", "\ufffe"])
def test_characters_yaml_cannot_read_are_named_with_their_line(kb_dir: Path, char: str) -> None:
    (kb_dir / "actors.yaml").write_text(f"- id: x\n  name: a{char}b\n", encoding="utf-8")
    [problem] = only_problem_in(kb_dir, "actors.yaml")
    assert problem.line == 2
    assert problem.message == f"character U+{ord(char):04X} cannot appear in a YAML file"


@pytest.mark.parametrize(("text", "line", "hint"), [
    ("- id: x\n\tname: y\n", 2, "indent with spaces, not tabs"),
    ("- id: x\n---\n- id: y\n", 2, None),
    ("\ufeff- id: x\n  name: [\n", 3, None),
])
def test_syntax_errors_name_their_line(kb_dir: Path, text: str, line: int,
                                       hint: str | None) -> None:
    (kb_dir / "actors.yaml").write_text(text, encoding="utf-8")
    [problem] = only_problem_in(kb_dir, "actors.yaml")
    assert problem.message.startswith("YAML syntax error")
    assert problem.line == line
    assert hint is None or problem.hint == hint


# --- terminal safety --------------------------------------------------------------------------

ESC = "\x1b[31mRED\x1b[0m\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
HOSTILE = (f"{ESC} bell\x07 c1\x9b2J del\x7f nul\x00 \u202eevil\u202c \u2066iso\u2069 "
           "[bold]b[/] [/] [link=https://x.example]l[/link] <b>&amp;</b> |pipe| *star*")
RAW_UNSAFE = ["\x1b", "\x07", "\x9b", "\x7f", "\x00", "\u202e", "\u202c", "\u2066", "\u2069"]


@pytest.fixture
def hostile_kb(kb_data: Any, make_kb: Callable[..., Path]) -> Path:
    """The fixture KB with hostile text in quotes, titles, names, places and article text."""
    actors = kb_data.actors
    actors[3]["name"] = f"Andrey {HOSTILE} Rudenko"
    actors[3]["aliases"] = ["Rudenko", HOSTILE]
    events = kb_data.events
    events[0]["title"] = HOSTILE
    events[0]["description"] = HOSTILE
    events[0]["places"] = [HOSTILE]
    sources = kb_data.sources
    record = sources["003"]["record"]
    record["title"] = HOSTILE
    record["outlet"] = HOSTILE
    record["dateline"] = HOSTILE
    record["quotes"][0]["text"] = HOSTILE
    sources["003"]["text"] = f"{HOSTILE}\nRudenko wrote: {HOSTILE}. End.\n"
    return make_kb(actors=actors, events=events, sources=sources)


HOSTILE_COMMANDS = [
    ("quotes",), ("quotes", "--speaker", "rudenko"), ("events",), ("actors",), ("sources",),
    ("source", "003"), ("actor", "rudenko"), ("search", "evil"), ("timeline",),
]


def _formats(command: tuple[str, ...]) -> list[str]:
    if command[0] == "timeline":
        return ["table", "json"]
    if command[0] in ("source", "actor"):
        return ["table", "json", "md"]
    return ["table", "json", "csv", "md"]


CASES = [(c, f) for c in HOSTILE_COMMANDS for f in _formats(c)]


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=[f"{' '.join(c)}-{f}" for c, f in CASES])
def test_hostile_text_is_shown_literally_and_safely(run_nkb: Run, hostile_kb: Path,
                                                    command: tuple[str, ...], fmt: str) -> None:
    result = run_nkb(*command, "--format", fmt, kb=hostile_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    for char in RAW_UNSAFE:
        assert char not in result.stdout, (char, result.stdout[:500])
        assert char not in result.stderr
    if fmt == "json":
        # escaped on the wire, yet parsing gives back exactly what the KB holds
        assert any(s == HOSTILE or HOSTILE in s for s in _strings(json.loads(result.stdout)))
        assert "\\u001b" in result.stdout and "\\u202e" in result.stdout
    elif fmt == "md":  # escaped once for the terminal, then for Markdown
        assert "\\\\x1b\\[31mRED" in result.stdout
        assert "\\\\u202eevil" in result.stdout
        assert "\\[bold\\]b\\[/\\]" in result.stdout
        assert "\\<b\\>\\&amp;\\</b\\>" in result.stdout
    else:
        assert "\\x1b[31mRED" in result.stdout
        assert "\\u202eevil" in result.stdout
        assert "[bold]b[/]" in result.stdout  # markup shown as text, never applied


def test_hostile_user_input_is_escaped_in_errors(run_nkb: Run, kb_dir: Path) -> None:
    for args in (["actor", HOSTILE], ["source", HOSTILE], ["quotes", "--speaker", HOSTILE],
                 ["quotes", "--since", HOSTILE], ["quotes", "--format", HOSTILE],
                 ["search", "\x1b[2J\u202e"], [HOSTILE], ["quotes", "--" + HOSTILE]):
        result = run_nkb(*args, kb=kb_dir)
        assert result.exit_code in (ExitCode.OK, ExitCode.ERROR, ExitCode.USAGE), args
        for char in RAW_UNSAFE:
            assert char not in result.stderr, (args, result.stderr)
            assert char not in result.stdout, (args, result.stdout)
    result = run_nkb("check", kb=kb_dir / HOSTILE)
    assert result.exit_code == ExitCode.ERROR
    assert "\\x1b[31mRED" in result.stderr and "\x1b" not in result.stderr


def test_hostile_kb_values_are_escaped_in_problems(kb_data: Any, run_nkb: Run, make_kb: Callable[..., Path]
) -> None:
    actors = kb_data.actors
    actors[0]["kind"] = HOSTILE
    actors[1][HOSTILE] = "x"
    kb = make_kb(actors=actors)
    result = run_nkb("check", kb=kb)
    assert result.exit_code == ExitCode.ERROR
    assert "\\x1b[31mRED" in result.stderr
    for char in RAW_UNSAFE:
        assert char not in result.stderr
    for line in result.stderr.splitlines():
        assert line.startswith((str(kb), "nkb:", "  fix: ")), line


# --- read-only and shared use -----------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _run_installed(kb: Path, *args: str, cache: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NKB_CACHE_DIR": cache, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run([str(NKB), "--kb", str(kb), *args], capture_output=True, text=True,
                          timeout=60, env=env)


@pytest.fixture
def read_only_kb(kb_dir: Path) -> Iterator[Path]:
    for path in [kb_dir, *kb_dir.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield kb_dir
    for path in [kb_dir, *kb_dir.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _cache_places(tmp_path: Path) -> dict[str, str]:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return {"normal": str(tmp_path / "cache"), "off": "off", "a-file": str(a_file),
            "under-a-file": str(a_file / "cache"), "read-only": str(locked / "cache"),
            "no-permission": "/proc/nkb-cache"}


@pytest.mark.parametrize("place", ["normal", "off", "a-file", "under-a-file", "read-only",
                                   "no-permission"])
def test_a_read_only_kb_works_wherever_the_cache_can_or_cannot_go(
        read_only_kb: Path, tmp_path: Path, place: str) -> None:
    # As root, chmod does not stop writes: the folder is compared before and after instead,
    # and the cache is pointed at places that cannot be written even by root.
    before = _tree(read_only_kb)
    cache = _cache_places(tmp_path)[place]
    for _ in range(2):  # a first run that compiles, and a second that may read the cache
        for args in (["check"], ["quotes", "--format", "json"], ["source", "003"]):
            result = _run_installed(read_only_kb, *args, cache=cache)
            assert result.returncode == ExitCode.OK, result.stderr
            assert result.stderr == "" or args == ["check"]
            assert "Traceback" not in result.stderr
    assert _tree(read_only_kb) == before


def test_a_read_only_cache_folder_in_process(run_nkb: Run, kb_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for place in _cache_places(tmp_path).values():
        monkeypatch.setenv("NKB_CACHE_DIR", place)
        result = run_nkb("quotes", "--format", "json", kb=kb_dir)
        assert result.exit_code == ExitCode.OK, (place, result.stderr)
        assert [q["id"] for q in json.loads(result.stdout)] == ["002-1", "001-1", "001-2", "003-1"]


ADDED_ARTICLE = (
    "SOCHI, June 17. /NEWSWIRE/: Tension fell, Russian Deputy Foreign Minister Andrey Rudenko "
    "said on Thursday.\n"
    "\u201cWe help both sides{n}, and talks go on,\u201d the deputy minister noted.\n"
)


class Readers:
    """Reader processes running `nkb` in a loop until told to stop, keeping every outcome."""

    def __init__(self, kb: Path, cache: Path, commands: list[list[str]]) -> None:
        self.kb, self.cache, self.commands = kb, cache, commands
        self.stop = threading.Event()
        self.results: list[tuple[list[str], subprocess.CompletedProcess[str]]] = []
        self.threads = [threading.Thread(target=self._loop, args=(c,)) for c in commands]

    def _loop(self, command: list[str]) -> None:
        while not self.stop.is_set():
            self.results.append((command, _run_installed(self.kb, *command,
                                                         cache=str(self.cache))))

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def wait_for(self, count: int, timeout: float = 120) -> None:
        """Let the readers run until they have `count` outcomes (a loaded machine is slow)."""
        deadline = time.monotonic() + timeout
        while len(self.results) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def _check_readers(readers: Readers, kb: Path) -> None:
    """Every run ended well or with a clean error; every quote shown is whole."""
    final, problems = store.load_kb(kb)
    assert final is not None, problems
    whole = {q.text for q in final.quotes}
    assert len(readers.results) >= 4
    for command, result in readers.results:
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr, \
            result.stderr
        assert result.returncode in (ExitCode.OK, ExitCode.ERROR), result.stderr
        if result.returncode == ExitCode.OK and command[0] == "quotes":
            shown = json.loads(result.stdout)
            assert {q["text"] for q in shown} <= whole
        if result.returncode == ExitCode.ERROR:
            assert result.stdout == ""
            assert all(line.startswith((str(kb), "nkb:", "  ")) for line in
                       result.stderr.splitlines()), result.stderr


def test_readers_never_see_a_half_added_article(kb_data: Any, kb_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    commands = [["quotes", "--format", "json"], ["check"]]
    with Readers(kb_dir, cache, commands) as readers:
        for n in range(3):
            article = tmp_path / f"article-{n}.txt"
            article.write_text(ADDED_ARTICLE.format(n=f" ({n})"), encoding="utf-8")
            # near-copies of one another on purpose: --force adds them all
            added = _run_installed(kb_dir, "add", str(article), "--outlet", "WIRE", "--force",
                                   cache=str(cache))
            assert added.returncode == ExitCode.OK, added.stderr
            time.sleep(0.3)
        readers.wait_for(4)
    assert len(list((kb_dir / "sources").glob("*.yaml"))) == len(kb_data.sources) + 3
    _check_readers(readers, kb_dir)


def test_readers_never_see_a_half_written_source(kb_data: Any, write_kb: Callable[..., Path], kb_dir: Path,
                                                 tmp_path: Path) -> None:
    # The same through fsutil.atomic_write directly, many times, for more interleavings:
    # the text first, then the record, as `nkb add` writes them.
    cache = tmp_path / "shared-cache"
    spec = kb_data.sources["002"]
    with Readers(kb_dir, cache, [["quotes", "--format", "json"]] * 2) as readers:
        deadline = time.monotonic() + 4
        number = 100
        # writes go on until the time is up and the readers have run often enough meanwhile
        while time.monotonic() < deadline or (len(readers.results) < 4
                                              and time.monotonic() < deadline + 120):
            record = copy.deepcopy(spec["record"])
            record["id"] = str(number)
            record["file"] = f"{number}.txt"
            record["quotes"][0]["id"] = f"{number}-1"
            text = spec["text"] * 2000  # large enough that a torn write would show
            atomic_write(kb_dir / "sources" / f"{number}.txt", text)
            write_kb(tmp_path / "scratch", sources={str(number): {"record": record, "text": ""}})
            atomic_write(kb_dir / "sources" / f"{number}.yaml",
                         (tmp_path / "scratch" / "sources" / f"{number}.yaml").read_bytes())
            number += 1
    _check_readers(readers, kb_dir)
    shutil.rmtree(tmp_path / "scratch")
