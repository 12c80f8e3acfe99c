"""Shared fixtures, the only ones: a tiny KB written from Python data (`kb_data`, `write_kb`,
`make_kb`, `kb_dir`), nkb run in-process through `main` (`run_nkb`, `nkb`), golden files
(`golden`), and a private cache folder for every test.

Test files take what they need as fixtures; none imports this module."""

from __future__ import annotations

import copy
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml

from nkb import cli

GOLDEN = Path(__file__).parent / "golden"
WIDTH = 100  # every table is rendered this wide, so golden files are stable

# A quote whose text looks like markup, a Windows path and a terminal colour escape: it must be
# shown literally everywhere and round-trip exactly through JSON.
TRICKY_TEXT = "[bold]x[/bold] said [Sergey Lavrov] about C:\\temp\\new and \x1b[31m red"

ACTORS: list[dict[str, Any]] = [
    {"id": "lavrov", "name": "Sergey Lavrov", "kind": "person",
     "aliases": ["Lavrov", "Sergei Lavrov", "Сергей Лавров", "Лавров"],
     "roles": [{"title": "Minister of Foreign Affairs of Russia", "date": "2023-02",
                "sources": ["001"]}]},
    {"id": "galuzin", "name": "Mikhail Galuzin", "kind": "person",
     "aliases": ["Galuzin", "Михаил Галузин", "Галузин"]},
    {"id": "zakharova", "name": "Maria Zakharova", "kind": "person",
     "aliases": ["Zakharova", "Мария Захарова", "Захарова"]},
    {"id": "rudenko", "name": "Andrey Rudenko", "kind": "person",
     "aliases": ["Andrei Rudenko"]},
    {"id": "putin", "name": "Vladimir Putin", "kind": "person",
     "roles": [{"title": "President of Russia", "sources": ["002"]}]},
    {"id": "osce", "name": "OSCE Minsk Group", "kind": "organisation"},
    {"id": "russia", "name": "Russia", "kind": "state"},
]

EVENTS: list[dict[str, Any]] = [
    {"id": "2019-vienna-talks", "date": "2019", "title": "Talks in Vienna",
     "description": "Foreign ministers met under OSCE auspices.", "actors": ["osce"],
     "places": ["Vienna"], "sources": ["002"]},
    {"id": "2020-2022-trilateral-agreements", "date": "2020/2022",
     "title": "Trilateral agreements at the highest level",
     "description": "Leaders signed a set of trilateral statements.",
     "actors": ["putin", "russia"], "places": ["Moscow", "Sochi"], "sources": ["001"]},
    {"id": "2023-02-khovayev-trips", "date": "2023-02", "title": "Trips to Yerevan and Baku",
     "description": "Visits to both capitals.", "actors": ["galuzin"],
     "places": ["Yerevan", "Baku"], "sources": ["001", "003"]},
]

SOURCES: dict[str, dict[str, Any]] = {
    "001": {
        "record": {
            "id": "001", "title": "Galuzin on the peace treaty", "outlet": "TASS",
            "date": "2023-02", "file": "001.txt",
            "quotes": [
                {"id": "001-1", "speaker": "galuzin", "date": "2023-02", "kind": "paraphrase",
                 "text": "Russia provides consistent assistance to Azerbaijan and Armenia"},
                {"id": "001-2", "speaker": "lavrov", "date": "2023-02-09",
                 "text": "We are ready to help, \"as always\" and in every way"},
            ],
        },
        "text": "Russia provides consistent  assistance\nto Azerbaijan and Armenia, Galuzin said.\n"
                "Lavrov added: \u201cWe are ready to help, \u201cas always\u201d and in every "
                "way.\u201d\n",
    },
    "002": {
        "record": {
            "id": "002", "title": "Zakharova on the ceasefire", "outlet": "Sputnik Armenia",
            "via": "Interfax", "date": "2021-06-17", "file": "002.txt",
            "quotes": [
                {"id": "002-1", "speaker": "zakharova", "date": "2021-06-17",
                 "text": "The ceasefire must be observed"},
            ],
        },
        "text": "Zakharova said: The ceasefire must be observed. Putin was mentioned.\n",
    },
    "003": {
        "record": {
            "id": "003", "title": "Rudenko on [brackets]", "outlet": "RIA Novosti",
            "date": "2024-06-05", "dateline": "MOSCOW, June 5", "file": "003.txt",
            "quotes": [
                {"id": "003-1", "speaker": "rudenko", "date": "2024-06-05",
                 "text": TRICKY_TEXT},
            ],
        },
        "text": f"MOSCOW, June 5. Rudenko wrote: {TRICKY_TEXT}. End.\n",
    },
}

# A small KB for the commands that write (add, review, confirm, edit, rm, mv): one source, a
# known person with a role, another without, and two events citing the source.
WRITER_ACTORS: list[dict[str, Any]] = [
    {"id": "ivanov", "name": "Pavel Ivanov", "kind": "person", "aliases": ["Ivanov"],
     "roles": [{"title": "Deputy Foreign Minister of Russia", "date": "2019-05",
                "sources": ["001"]}]},
    {"id": "petrova", "name": "Olga Petrova", "kind": "person", "aliases": ["Petrova"]},
]
WRITER_EVENTS: list[dict[str, Any]] = [
    {"id": "2019-talks", "date": "2019", "title": "Talks", "sources": ["001"]},
    {"id": "2021-06-15-sochi-talks", "date": "2021-06-15", "title": "Talks in Sochi",
     "sources": ["001"]},
]
WRITER_SOURCE: dict[str, Any] = {
    "id": "001", "title": "Ivanov on talks", "outlet": "WIRE", "date": "2019-05-01",
    "file": "001.txt", "quotes": [{"id": "001-1", "speaker": "ivanov", "text": "Talks go on",
                                   "date": "2019-05-01"}]}

HEADERS = {
    "actors.yaml": "# yaml-language-server: $schema=../schema/actors.schema.json\n",
    "events.yaml": "# yaml-language-server: $schema=../schema/events.schema.json\n",
    "source": "# yaml-language-server: $schema=../../schema/source.schema.json\n",
}


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _yaml(data: Any) -> str:
    # a test that edits the file's text in place gives that text as it is
    return data if isinstance(data, str) else _dump(data)


def _write_kb(
    root: Path,
    actors: list[dict[str, Any]] | str | None = None,
    events: list[dict[str, Any]] | str | None = None,
    sources: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write a complete KB into `root` (the default fixture KB for whatever is not given).
    Records are data, or YAML text where a test edits the text in place."""
    actors = copy.deepcopy(ACTORS) if actors is None else actors
    events = copy.deepcopy(EVENTS) if events is None else events
    sources = copy.deepcopy(SOURCES) if sources is None else sources
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "actors.yaml").write_text(HEADERS["actors.yaml"] + _yaml(actors), encoding="utf-8")
    (root / "events.yaml").write_text(HEADERS["events.yaml"] + _yaml(events), encoding="utf-8")
    for source_id, spec in sources.items():
        (root / "sources" / f"{source_id}.yaml").write_text(
            HEADERS["source"] + _yaml(spec["record"]), encoding="utf-8")
        (root / "sources" / f"{source_id}.txt").write_text(spec["text"], encoding="utf-8")
    return root


def _line_with(path: Path, needle: str) -> int:
    """The 1-based number of the first line of `path` containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test compiles KBs into its own cache folder (outside its tmp_path), never the
    user's; the folder does not exist until nkb creates it."""
    folder = tmp_path_factory.mktemp("nkb-cache") / "cache"
    monkeypatch.setenv("NKB_CACHE_DIR", str(folder))
    return folder


@dataclass(frozen=True)
class KBData:
    """The default fixture KB as Python data (a fresh copy per test, free to change)."""

    actors: list[dict[str, Any]]
    events: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]  # id -> {"record": ..., "text": ...}
    tricky_text: str = TRICKY_TEXT  # the quote of source 003: markup, a path, an escape


@pytest.fixture(scope="session")
def new_kb_data() -> Callable[[], KBData]:
    """A fresh copy of the default fixture KB's data at each call (for wider-scoped fixtures)."""
    return lambda: KBData(copy.deepcopy(ACTORS), copy.deepcopy(EVENTS), copy.deepcopy(SOURCES))


@pytest.fixture
def kb_data(new_kb_data: Callable[[], KBData]) -> KBData:
    """The default fixture KB's data, this test's own copy."""
    return new_kb_data()


@pytest.fixture(scope="session")
def write_kb() -> Callable[..., Path]:
    """write_kb(root, actors=..., events=..., sources=...): write a complete KB into `root`,
    the default fixture KB for whatever is not given. Every fixture KB is written this way."""
    return _write_kb


@pytest.fixture(scope="session")
def dump() -> Callable[[Any], str]:
    """Data as the YAML text write_kb writes."""
    return _dump


@pytest.fixture(scope="session")
def line_with() -> Callable[[Path, str], int]:
    """line_with(path, needle): the 1-based number of the first line containing `needle`."""
    return _line_with


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[..., Path]:
    """Build a KB under tmp_path/kb, changed as the test needs: make_kb(actors=[...])."""

    def build(**changes: Any) -> Path:
        return _write_kb(tmp_path / "kb", **changes)

    return build


@pytest.fixture
def writer_kb(tmp_path: Path) -> Path:
    """The small KB the writing commands are tried on, under tmp_path/kb."""
    return _write_kb(tmp_path / "kb", actors=WRITER_ACTORS, events=WRITER_EVENTS,
                     sources={"001": {"record": WRITER_SOURCE,
                                      "text": "Talks go on, Ivanov said.\n"}})


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="session")
def snapshot() -> Callable[[Path], dict[str, bytes]]:
    """snapshot(root): every file of a KB, byte for byte (temporary files included, so
    leftovers show up); equal before and after means the KB was left as it was."""
    return _snapshot


@pytest.fixture
def kb_dir(make_kb: Callable[..., Path]) -> Path:
    """The default fixture KB."""
    return make_kb()


@dataclass(frozen=True)
class Result:
    """What one run of nkb did."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A colourless console of fixed width, and no KB chosen through the environment."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("LINES", "50")
    monkeypatch.delenv("NKB_KB", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)


class Run(Protocol):
    """How tests call nkb: run_nkb("quotes", "--speaker", "Galuzin", kb=root)."""

    def __call__(self, *args: str, kb: Path | None = None,
                 stdin: bytes | None = None) -> Result: ...


@pytest.fixture
def run_nkb(plain_env: None, capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run nkb in-process through its real entry point; `kb=None` leaves --kb out; `stdin`
    is what the run reads from standard input."""

    def run(*args: str, kb: Path | None = None, stdin: bytes | None = None) -> Result:
        argv = (["--kb", str(kb)] if kb is not None else []) + list(args)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()  # drop anything printed before this run
        code = cli.main(argv)
        out, err = capsys.readouterr()
        return Result(int(code), out, err)

    return run


@pytest.fixture
def nkb(run_nkb: Run, kb_dir: Path) -> Callable[..., Result]:
    """Run nkb on the default fixture KB."""

    def run(*args: str) -> Result:
        return run_nkb(*args, kb=kb_dir)

    return run


@pytest.fixture(scope="session")
def golden() -> Callable[[str, str], None]:
    """golden(name, actual): compare with tests/golden/<name> (UPDATE_GOLDEN=1 rewrites it)."""
    return _assert_golden


def _assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; `UPDATE_GOLDEN=1 pytest` rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs; rerun with UPDATE_GOLDEN=1 if intended"
