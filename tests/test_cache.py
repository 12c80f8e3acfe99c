"""The compiled cache gives exactly what parsing the files gives, whatever happened to either."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from nkb import cache, index, search, store

ACTORS = """\
- id: galuzin
  name: Mikhail Galuzin
  kind: person
  aliases: [Galuzin]
- id: lavrov
  name: Sergey Lavrov
  kind: person
"""
EVENTS = """\
- id: 2023-02-trips
  date: 2023-02
  title: Trips to Yerevan and Baku
  actors: [galuzin]
  sources: ["001"]
- id: 2020-talks
  date: 2020~
  title: Talks
  sources: ["001", "002"]
"""
SOURCE = """\
id: "{id}"
title: Article {id}
outlet: TASS
date: 2023-02-09
file: {id}.txt
status: {status}
quotes:
  - id: {id}-1
    speaker: galuzin
    date: 2023-02-09
    text: Russia helps both sides
  - id: {id}-2
    speaker: lavrov
    date: 2023-02?
    text: We are ready to help
"""
TEXT = "Galuzin said: Russia helps both sides. Lavrov: \u201cWe are ready to help.\u201d\n"


def write_source(root: Path, source_id: str, status: str = "curated") -> None:
    (root / "sources" / f"{source_id}.yaml").write_text(
        SOURCE.format(id=source_id, status=status), encoding="utf-8")
    (root / "sources" / f"{source_id}.txt").write_text(TEXT, encoding="utf-8")


@pytest.fixture
def kb_root(tmp_path: Path, write_kb: Callable[..., Path]) -> Path:
    """Two sources; their YAML is given as text, which the tests below edit in place."""
    sources = {i: {"record": SOURCE.format(id=i, status="curated"), "text": TEXT}
               for i in ("001", "002")}
    return write_kb(tmp_path / "kb", actors=ACTORS, events=EVENTS, sources=sources)


def snapshot(root: Path) -> dict[str, object]:
    """Everything a query can see, as plain data (and the problems, if any)."""
    kb, problems = store.load_kb(root)
    if kb is None:
        return {"problems": [str(p) for p in problems]}
    return {
        "actors": sorted(kb.actors),
        "sources": {i: [s.title, s.date, s.status, [q.id for q in s.quotes]]
                    for i, s in sorted(kb.sources.items())},
        "quotes": [[q.id, q.speaker, q.date, q.text, q.source] for q in kb.quotes],
        "events": [[e.id, e.date, e.sources] for e in kb.events],
        "by_speaker": [q.id for q in kb.quotes_by("galuzin")],
        "of_source": [q.id for q in kb.quotes_of("001")],
        "citing": [e.id for e in kb.events_citing("002")],
        "of_actor": [e.id for e in kb.events_of("galuzin")],
        "since": [e.id for e in kb.events_between(kb.spans["2023-02"], None)],
        "until": [e.id for e in kb.events_between(None, kb.spans["2020~"])],
        "between": [e.id for e in kb.events_between(kb.spans["2020~"], kb.spans["2023-02"])],
        "spans": {k: [v.start, v.end] for k, v in sorted(kb.spans.items())},
        "notes": [str(n) for n in kb.notes],
        "search": [(h.kind, h.id, h.score, h.text, h.marks)
                   for h in search.search_all(kb, "ready to halp").shown],
    }


def uncached(root: Path) -> dict[str, object]:
    os.environ["NKB_CACHE_DIR"] = "off"
    try:
        return snapshot(root)
    finally:
        os.environ.pop("NKB_CACHE_DIR")


def check_same(root: Path, cache_folder: Path, *, compiled: bool = True) -> dict[str, object]:
    """Load through the cache twice: both agree with a load from the files alone."""
    expected = uncached(root)
    os.environ["NKB_CACHE_DIR"] = str(cache_folder)
    assert snapshot(root) == expected  # whatever the cache held, it is rebuilt as needed
    kb, _ = store.load_kb(root)
    assert isinstance(kb, cache.CompiledKB) is compiled
    assert snapshot(root) == expected
    return expected


def test_second_load_comes_from_the_cache(kb_root: Path, private_cache: Path) -> None:
    first = check_same(kb_root, private_cache)
    assert first["by_speaker"] == ["001-1", "002-1"]
    assert first["citing"] == ["2020-talks"]
    assert first["since"] == ["2023-02-trips"]
    hits = {h[:2] for h in first["search"]}  # type: ignore[attr-defined]
    assert {("quote", "001-2"), ("quote", "002-2")} <= hits  # and the articles that hold them
    assert {kind for kind, _ in hits} <= {"quote", "source"}
    assert sorted(p.suffix for p in private_cache.iterdir()) == [".files", ".kb", ".words"]


def test_content_edit_is_seen(kb_root: Path, private_cache: Path) -> None:
    check_same(kb_root, private_cache)
    path = kb_root / "sources" / "002.yaml"
    path.write_text(path.read_text().replace("speaker: galuzin", "speaker: lavrov"))
    after = check_same(kb_root, private_cache)
    assert after["by_speaker"] == ["001-1"]


def test_same_size_edit_with_mtime_restored_is_seen(kb_root: Path, private_cache: Path) -> None:
    check_same(kb_root, private_cache)
    path = kb_root / "sources" / "001.yaml"
    before = path.stat()
    path.write_text(path.read_text().replace("title: Article 001", "title: Brticle 001"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    after = check_same(kb_root, private_cache)
    assert after["sources"]["001"][0] == "Brticle 001"  # type: ignore[index]


def test_text_file_edit_is_checked_again(kb_root: Path, private_cache: Path) -> None:
    check_same(kb_root, private_cache)
    (kb_root / "sources" / "001.txt").write_text("Nothing quoted here.\n")
    after = check_same(kb_root, private_cache, compiled=False)
    assert any("text not found in 001.txt" in p for p in after["problems"])  # type: ignore[attr-defined]


def test_deleted_and_added_sources(kb_root: Path, private_cache: Path) -> None:
    check_same(kb_root, private_cache)
    write_source(kb_root, "003")
    assert "003" in check_same(kb_root, private_cache)["sources"]  # type: ignore[operator]
    (kb_root / "sources" / "003.yaml").unlink()
    (kb_root / "sources" / "003.txt").unlink()
    assert "003" not in check_same(kb_root, private_cache)["sources"]  # type: ignore[operator]
    (kb_root / "sources" / "002.txt").unlink()  # a source's text alone goes missing
    after = check_same(kb_root, private_cache, compiled=False)
    assert any("002.txt" in p for p in after["problems"])  # type: ignore[attr-defined]


def test_kb_with_problems_is_not_compiled(kb_root: Path, private_cache: Path) -> None:
    path = kb_root / "sources" / "002.yaml"
    path.write_text(path.read_text().replace("speaker: lavrov", "speaker: lavrof"))
    broken = check_same(kb_root, private_cache, compiled=False)
    assert any("unknown speaker 'lavrof'" in p for p in broken["problems"])  # type: ignore[attr-defined]
    assert not list(private_cache.glob("*.kb"))
    path.write_text(path.read_text().replace("speaker: lavrof", "speaker: lavrov"))
    check_same(kb_root, private_cache)


def test_draft_notes_survive_caching(kb_root: Path, private_cache: Path) -> None:
    write_source(kb_root, "003", status="draft")
    notes = check_same(kb_root, private_cache)["notes"]
    assert any("draft 003: status is draft" in n for n in notes)  # type: ignore[attr-defined]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty"])
@pytest.mark.parametrize("which", [".kb", ".files", "both"])
def test_corrupt_cache_is_rebuilt(kb_root: Path, private_cache: Path, damage: str,
                                  which: str) -> None:
    expected = check_same(kb_root, private_cache)
    if which == ".files":  # with the compiled KB gone, the per-file facts are all there is
        next(private_cache.glob("*.kb")).unlink()
    for path in private_cache.iterdir():
        if which != "both" and path.suffix != which:
            continue
        data = path.read_bytes()
        if damage == "garbage":
            data = os.urandom(len(data))
        elif damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "flipped":  # one byte changed inside the records: only a checksum sees it
            at = data.find(b"Russia helps")
            data = data[:at] + b"X" + data[at + 1:]
        else:
            data = b""
        path.write_bytes(data)
    assert snapshot(kb_root) == expected
    assert check_same(kb_root, private_cache) == expected


def test_cache_of_another_version_is_ignored(kb_root: Path, private_cache: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    expected = check_same(kb_root, private_cache)
    (compiled,) = private_cache.glob("*.kb")
    before = compiled.read_bytes()
    monkeypatch.setattr(cache, "VERSION", cache.VERSION + 1)
    kb, _ = store.load_kb(kb_root)
    assert isinstance(kb, index.KB)
    assert compiled.read_bytes() != before  # not read: rebuilt under the new version
    assert check_same(kb_root, private_cache) == expected


def test_two_processes_building_at_once(kb_root: Path, private_cache: Path) -> None:
    for i in range(4, 40):
        write_source(kb_root, f"{i:03d}")
    expected = uncached(kb_root)
    script = ("import json, sys; from pathlib import Path; from nkb import store; "
              "kb = store.open_kb(Path(sys.argv[1])); "
              "print(json.dumps([[q.id, q.speaker] for q in kb.quotes]))")
    env = {**os.environ, "NKB_CACHE_DIR": str(private_cache)}
    runs = [subprocess.Popen([sys.executable, "-c", script, str(kb_root)], env=env,
                             stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    want = [[q[0], q[1]] for q in expected["quotes"]]  # type: ignore[attr-defined]
    assert all(json.loads(out) == want for out in outputs)
    assert not [p for p in private_cache.iterdir() if p.name.endswith(".tmp")]
    assert check_same(kb_root, private_cache) == expected


def test_read_only_kb_and_unwritable_cache(kb_root: Path, tmp_path: Path) -> None:
    expected = uncached(kb_root)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    os.environ["NKB_CACHE_DIR"] = str(blocker / "nkb")
    listing = sorted(p.name for p in kb_root.rglob("*"))
    for path in (kb_root, kb_root / "sources"):
        path.chmod(0o555)
    try:
        assert snapshot(kb_root) == expected
        assert snapshot(kb_root) == expected
    finally:
        for path in (kb_root, kb_root / "sources"):
            path.chmod(0o755)
    assert sorted(p.name for p in kb_root.rglob("*")) == listing  # nothing written into the KB


def test_cache_off_writes_nothing(kb_root: Path, private_cache: Path) -> None:
    os.environ["NKB_CACHE_DIR"] = "off"
    kb, problems = store.load_kb(kb_root)
    assert problems == [] and kb is not None and not isinstance(kb, cache.CompiledKB)
    assert not private_cache.exists()


def test_warm_run_imports_no_yaml_or_edtf(kb_root: Path, private_cache: Path) -> None:
    time.sleep(2 * cache.FINE_WINDOW_NS / 1e9)  # older than a clock tick: no file is racy
    check_same(kb_root, private_cache)
    script = ("import sys; from pathlib import Path; from nkb import store, search; "
              "kb = store.open_kb(Path(sys.argv[1])); "
              "from nkb import names; a = names.resolve_actor(kb, 'Galuzin').value; "
              "search.find_quotes(kb, search.QuoteFilter(speakers=(a,))); "
              "print(sorted(m for m in ('yaml', 'edtf', 'rich', 'rapidfuzz') if m in sys.modules))")
    env = {**os.environ, "NKB_CACHE_DIR": str(private_cache)}
    out = subprocess.run([sys.executable, "-c", script, str(kb_root)], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "[]"


# --- patching the compiled KB after source edits ------------------------------------------------


def compiled_parts(root: Path, cache_folder: Path) -> dict[str, object]:
    """The compiled file's header and every blob, decoded as plain data."""
    (path,) = cache_folder.glob("*.kb")
    opened = cache._read_compiled(path)
    assert opened is not None
    return blob_values(*opened)


def compiled_from_scratch(root: Path, stamp: bytes) -> dict[str, object]:
    kb, problems = index.load_uncached(root.resolve())
    assert kb is not None and not problems
    opened = cache._parse_compiled(memoryview(b"".join(cache._compile(kb, stamp))))
    assert opened is not None
    return blob_values(*opened)


PACKED_BLOBS = {"source_index", "event_index", "events_by_source", "event_bounds", "quote_rank"}


def blob_values(compiled: cache.Compiled, view: memoryview) -> dict[str, object]:
    """The header's counts, notes and drafts, and every blob decoded as plain data."""
    parts: dict[str, object] = {"counts": compiled.counts, "notes": compiled.notes,
                                "drafts": compiled.drafts}
    for name, (at, size, _) in compiled.blobs.items():
        if name in cache.RECORDS:
            i_at, i_size, _ = compiled.blobs[cache.RECORDS[name]]
            records = cache.Records(view[at: at + size], view[i_at: i_at + i_size])
            parts[name] = [msgspec.msgpack.decode(records.raw(i)) for i in range(len(records))]
        elif name in PACKED_BLOBS:
            parts[name] = cache.Packed(view[at: at + size]).ints.tolist()
        else:
            parts[name] = msgspec.msgpack.decode(view[at: at + size])
    return parts


@pytest.fixture
def trust_recent(monkeypatch: pytest.MonkeyPatch) -> None:
    """The KB was written a moment ago: the racily-clean rule (tested below) would rightly read
    every file again, so it is narrowed to changes made after each scan began."""
    monkeypatch.setattr(cache, "FINE_WINDOW_NS", 0)


@pytest.fixture
def no_rebuild(monkeypatch: pytest.MonkeyPatch, trust_recent: None) -> None:
    """Fail if a load rebuilds from the files instead of patching the compiled KB."""
    def refuse(*args: object) -> None:
        raise AssertionError("rebuilt instead of patched")
    monkeypatch.setattr(cache, "_rebuild", refuse)


def edit(root: Path, source_id: str, old: str, new: str, suffix: str = ".yaml") -> None:
    path = root / "sources" / f"{source_id}{suffix}"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


ONE_MORE_QUOTE = """\
  - id: {id}-3
    speaker: galuzin
    date: 1999-12-31
    text: Russia helps
"""


@pytest.mark.parametrize("change", [
    "title", "comment only", "more quotes", "fewer quotes", "new date", "speaker",
    "to draft", "text file", "two sources", "id sorting with another",
])
def test_source_edit_patches_the_compiled_kb(kb_root: Path, private_cache: Path, change: str,
                                             request: pytest.FixtureRequest,
                                             trust_recent: None) -> None:
    for i in range(3, 8):
        write_source(kb_root, f"{i:03d}", status="draft" if i == 5 else "curated")
    check_same(kb_root, private_cache)
    request.getfixturevalue("no_rebuild")
    if change == "title":
        edit(kb_root, "004", "title: Article 004", "title: Another title")
    elif change == "comment only":
        with (kb_root / "sources" / "004.yaml").open("a") as handle:
            handle.write("# reviewed\n")
    elif change == "more quotes":
        with (kb_root / "sources" / "003.yaml").open("a") as handle:
            handle.write(ONE_MORE_QUOTE.format(id="003"))
    elif change == "fewer quotes":
        edit(kb_root, "004", "  - id: 004-2\n    speaker: lavrov\n    date: 2023-02?\n"
             "    text: We are ready to help\n", "")
    elif change == "new date":  # 2023-02? stays in use elsewhere, 2021-06-01 is new
        edit(kb_root, "006", "date: 2023-02?", "date: 2021-06-01")
    elif change == "speaker":
        edit(kb_root, "001", "speaker: galuzin", "speaker: lavrov")
    elif change == "to draft":
        edit(kb_root, "003", "status: curated", "status: draft")
    elif change == "text file":
        (kb_root / "sources" / "007.txt").write_text(TEXT + "More text.\n")
    elif change == "two sources":
        edit(kb_root, "005", "status: draft", "status: curated")
        with (kb_root / "sources" / "002.yaml").open("a") as handle:
            handle.write(ONE_MORE_QUOTE.format(id="002"))
    else:  # 003-01 sorts with 003-1 (same date, same numbers): a full load keeps file order
        edit(kb_root, "001", "  - id: 001-2", "  - id: 003-01\n    speaker: galuzin\n"
             "    date: 2023-02-09\n    text: Russia helps\n  - id: 001-2")
    patched = snapshot(kb_root)
    assert patched == uncached(kb_root)
    os.environ["NKB_CACHE_DIR"] = str(private_cache)
    (path,) = private_cache.glob("*.kb")
    stamp = cache._read_compiled(path)[0].stamp  # type: ignore[index]
    assert compiled_parts(kb_root, private_cache) == compiled_from_scratch(kb_root, stamp)
    kb, _ = store.load_kb(kb_root)
    assert isinstance(kb, cache.CompiledKB)


def test_last_use_of_a_date_removed(kb_root: Path, private_cache: Path,
                                    request: pytest.FixtureRequest, trust_recent: None) -> None:
    with (kb_root / "sources" / "002.yaml").open("a") as handle:
        handle.write(ONE_MORE_QUOTE.format(id="002"))
    assert "1999-12-31" in check_same(kb_root, private_cache)["spans"]  # type: ignore[operator]
    request.getfixturevalue("no_rebuild")
    edit(kb_root, "002", ONE_MORE_QUOTE.format(id="002"), "")
    after = snapshot(kb_root)
    assert "1999-12-31" not in after["spans"]  # type: ignore[operator]
    assert after == uncached(kb_root)


def test_quote_ids_swapped_between_two_files(kb_root: Path, private_cache: Path) -> None:
    check_same(kb_root, private_cache)
    edit(kb_root, "001", "id: 001-1", "id: 002-1")
    edit(kb_root, "002", "id: 002-1", "id: 001-1")
    after = check_same(kb_root, private_cache)  # only the final state is valid
    assert sorted(q[0] for q in after["quotes"]) == ["001-1", "001-2", "002-1", "002-2"]  # type: ignore[attr-defined]


# Edits of source 002 that each introduce one problem: (text in 002.yaml, replacement).
SOURCE_PROBLEMS = {
    "duplicate quote id across files": ("id: 002-2", "id: 001-1"),
    "duplicate quote id in the file": ("id: 002-2", "id: 002-1"),
    "unknown speaker": ("speaker: lavrov", "speaker: lavrof"),
    "invalid date": ("date: 2023-02?", "date: 2023-14"),
    "quote not in text": ("text: We are ready to help", "text: We are not ready"),
    "source id": ('id: "002"', 'id: "001"'),
    "broken yaml": ("quotes:", "quotes: ["),
}


@pytest.mark.parametrize("change", [*SOURCE_PROBLEMS, "text deleted"])
def test_source_edit_with_a_problem_is_reported_as_from_scratch(
        kb_root: Path, private_cache: Path, change: str) -> None:
    check_same(kb_root, private_cache)
    if change in SOURCE_PROBLEMS:
        edit(kb_root, "002", *SOURCE_PROBLEMS[change])
    else:
        (kb_root / "sources" / "002.txt").write_text("")
    os.environ["NKB_CACHE_DIR"] = "off"
    try:
        _, want = index.load_uncached(kb_root)
    finally:
        os.environ["NKB_CACHE_DIR"] = str(private_cache)
    assert want
    kb, got = store.load_kb(kb_root)
    assert kb is None and got == want
    kb, got = store.load_kb(kb_root)  # and again, with the per-file facts from the cache
    assert kb is None and got == want


def test_patch_refuses_a_corrupt_compiled_kb(kb_root: Path, private_cache: Path) -> None:
    check_same(kb_root, private_cache)
    (path,) = private_cache.glob("*.kb")
    data = path.read_bytes()
    at = data.find(b"Russia helps")
    path.write_bytes(data[:at] + b"X" + data[at + 1:])
    edit(kb_root, "001", "title: Article 001", "title: Edited")
    assert check_same(kb_root, private_cache)["sources"]["001"][0] == "Edited"  # type: ignore[index]


def test_the_first_word_search_after_a_change_keeps_its_index(kb_root: Path,
                                                              private_cache: Path) -> None:
    # the run that rebuilds the cache answers from the file it wrote, so its word index is kept
    # for the next run instead of being built in memory and built again then
    from nkb import search

    kb, _ = store.load_kb(kb_root)
    assert kb is not None
    search.search_all(kb, "ready")
    assert list(private_cache.glob("*.words"))


# --- hostile ground: coarse clocks, a full cache folder, odd files in it ------------------------

NKB = Path(sys.executable).parent / "nkb"
installed = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")
TICK = 2_000_000_000  # FAT's clock: a file's times are kept to two seconds
# What `os.stat` reports on such a filesystem: times cut to the tick (ctime too, as on ext4 with
# 128-byte inodes), so two edits within one tick that keep the size leave the key as it was.
COARSE_CLOCK = f"""\
import os
_stat = os.stat
def _coarse(path, *args, **kwargs):
    st = _stat(path, *args, **kwargs)
    cut = lambda ns: ns - ns % {TICK}
    return os.stat_result(st[:10], {{"st_atime_ns": cut(st.st_atime_ns),
                                     "st_mtime_ns": cut(st.st_mtime_ns),
                                     "st_ctime_ns": cut(st.st_ctime_ns)}})
os.stat = _coarse
"""


def installed_nkb(root: Path, *args: str, env: dict[str, str] | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NKB), "--kb", str(root), *args], capture_output=True, text=True,
                          env=env if env is not None else dict(os.environ), timeout=timeout)


def rewrite(path: Path, old: str, new: str) -> None:
    """Edit a file in place (same inode), keeping its size."""
    assert len(old.encode()) == len(new.encode())
    text = path.read_text(encoding="utf-8")
    assert old in text
    with path.open("r+", encoding="utf-8") as handle:
        handle.write(text.replace(old, new))


@installed
@pytest.mark.parametrize("edited, first, second, command, expected", [
    ("sources/002.yaml", "title: Article 002", "title: Article 00X",
     ["source", "2", "--format", "json"], '"title": "Article 00X"'),
    ("actors.yaml", "kind: person\n  aliases", "kind: persox\n  aliases",
     ["check"], "persox"),
    ("sources/001.txt", "Russia helps both", "Russia hulps both", ["check"], "001-1"),
], ids=["source title", "actors.yaml broken", "article text no longer holds a quote"])
def test_two_edits_within_one_clock_tick_are_both_seen(
        kb_root: Path, tmp_path: Path, edited: str, first: str, second: str,
        command: list[str], expected: str) -> None:
    shim = tmp_path / "coarse-clock"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(COARSE_CLOCK)
    env = {**os.environ, "PYTHONPATH": str(shim)}
    path = kb_root / edited
    for _ in range(5):
        time.sleep((TICK - time.time_ns() % TICK) / 1e9 + 0.02)  # the start of a tick
        tick = time.time_ns() // TICK
        # the first state, written in this tick (the same bytes again the first time round)
        rewrite(path, second if second in path.read_text(encoding="utf-8") else first, first)
        cached = installed_nkb(kb_root, *command, env=env)
        assert cached.returncode == 0 and expected not in cached.stdout + cached.stderr
        rewrite(path, first, second)
        if time.time_ns() // TICK == tick and os.stat(path).st_ctime_ns // TICK == tick:
            break  # both edits in one tick: the coarse clock gives both the same key
    else:
        pytest.fail("no two edits fell within one clock tick (the machine is too slow)")
    after = installed_nkb(kb_root, *command, env=env)
    assert expected in after.stdout + after.stderr
    assert installed_nkb(kb_root, *command, env=env).stdout == after.stdout  # and it stays so


def test_a_recent_file_is_never_trusted_and_an_old_one_is(kb_root: Path) -> None:
    key = cache.scan(kb_root)["sources/001.yaml"]
    assert key[0] == -3 and key != cache.scan(kb_root)["sources/001.yaml"]  # smudged each scan
    # a coarse clock: a ctime on a whole second within three seconds of the scan is recent
    path = kb_root / "sources" / "001.yaml"
    whole = os.stat(path).st_ctime_ns // 10**9 * 10**9
    clock = cache._Clock()
    assert clock.racy(whole) and clock.racy(whole - 2 * 10**9)
    assert not clock.racy(whole + 123 - 10**9)  # fine-grained: only a tick's worth counts
    assert not clock.racy(whole - 4 * 10**9)
    old = time.time() - 10
    for file in kb_root.rglob("*"):
        os.utime(file, (old, old))
    time.sleep(cache.FINE_WINDOW_NS / 1e9)
    assert cache.scan(kb_root) == cache.scan(kb_root)  # settled files keep their keys


@installed
def test_mcp_sees_an_edit_in_place_at_the_very_next_call(kb_root: Path) -> None:
    pytest.importorskip("mcp", reason="the MCP SDK comes with nkb[mcp] and nkb[test]")
    import anyio
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    record, text = kb_root / "sources" / "002.yaml", kb_root / "sources" / "001.txt"
    titles: list[str] = []
    totals: list[int] = []

    async def main() -> None:
        params = StdioServerParameters(command=str(NKB), args=["--kb", str(kb_root), "mcp"],
                                       env=dict(os.environ))
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            for n in range(12):  # edits in place, each right before the call that must see it
                rewrite(record, f"Article 00{'2X'[n % 2]}", f"Article 00{'X2'[n % 2]}")
                result = await session.call_tool("get_source", {"id": "002"})
                titles.append(result.structured_content["source"]["title"])  # type: ignore[index]
                rewrite(text, *(("said", "told") if n % 2 == 0 else ("told", "said")))
                found = await session.call_tool("search", {"text": "told", "kind": "source"})
                totals.append(found.structured_content["total"])  # type: ignore[index]

    anyio.run(main)
    assert titles == ["Article 00X", "Article 002"] * 6
    assert totals == [1, 0] * 6


@installed
@pytest.mark.parametrize("fits", ["nothing", "all but the word index"])
@pytest.mark.parametrize("command", [["search", "ready to help"],
                                     ["quotes", "--search", "ready", "--format", "json"],
                                     ["actor", "galuzin"]])
def test_a_full_cache_folder_just_works_without_the_cache(
        kb_root: Path, private_cache: Path, fits: str, command: list[str]) -> None:
    import resource

    want = installed_nkb(kb_root, *command, env={**os.environ, "NKB_CACHE_DIR": "off"})
    assert want.returncode == 0 and want.stdout
    assert installed_nkb(kb_root, "search", "ready").returncode == 0
    sizes = {p.suffix: p.stat().st_size for p in private_cache.iterdir()}
    limit = 0 if fits == "nothing" else max(sizes[".kb"], sizes[".files"]) + 1
    assert limit < sizes[".words"]
    for path in private_cache.iterdir():
        path.unlink()

    def limited() -> None:  # as `ulimit -f`: no file may grow past the limit
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    for _ in range(2):
        got = subprocess.run([str(NKB), "--kb", str(kb_root), *command], capture_output=True,
                             text=True, preexec_fn=limited, timeout=60)
        assert (got.returncode, got.stdout, got.stderr) == (0, want.stdout, "")
    assert sorted(p.suffix for p in private_cache.iterdir()) == \
        ([] if fits == "nothing" else [".files", ".kb"])  # and no half-written file left


@installed
@pytest.mark.parametrize("existing", [False, True], ids=["new file", "replacing an export"])
def test_export_sqlite_refuses_a_full_disk_naming_file_and_cause(
        kb_root: Path, tmp_path: Path, existing: bool) -> None:
    import resource

    target = tmp_path / "out" / "kb.db"
    target.parent.mkdir()
    if existing:
        assert installed_nkb(kb_root, "export", "sqlite", str(target)).returncode == 0
    before = target.read_bytes() if existing else None
    installed_nkb(kb_root, "check")  # the cache is written before the limit applies

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))

    got = subprocess.run([str(NKB), "--kb", str(kb_root), "export", "sqlite", str(target),
                          *(["--force"] if existing else [])],
                         capture_output=True, text=True, preexec_fn=limited, timeout=60)
    assert got.returncode == 1 and got.stdout == ""
    assert f"cannot write {target}: the file size limit (ulimit -f, 16384 bytes) was reached" \
        in got.stderr
    assert "Traceback" not in got.stderr and "unexpected" not in got.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == (["kb.db"] if existing else [])
    if existing:
        assert target.read_bytes() == before


@installed
@pytest.mark.parametrize("fifo", [".kb", ".files", ".words", ".words-journal"])
def test_a_fifo_in_the_cache_folder_never_hangs_a_query(
        kb_root: Path, private_cache: Path, fifo: str) -> None:
    search_words = ["search", "ready to help"]
    want = {name: installed_nkb(kb_root, *args, env={**os.environ, "NKB_CACHE_DIR": "off"})
            for name, args in (("quotes", ["quotes", "--speaker", "Galuzin"]),
                               ("search", search_words))}
    assert installed_nkb(kb_root, *search_words).returncode == 0  # every cache file is there
    (key,) = {p.name.split(".")[0] for p in private_cache.glob("*.kb")}
    path = private_cache / (key + fifo)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    if fifo != ".kb":  # rebuild, so that every cache file is read
        (private_cache / (key + ".kb")).unlink()
    for _ in range(2):
        for name, args in (("quotes", ["quotes", "--speaker", "Galuzin"]),
                           ("search", search_words)):
            got = installed_nkb(kb_root, *args, timeout=30)  # a hang fails here
            assert (got.returncode, got.stdout, got.stderr) == (0, want[name].stdout, "")


@installed
@pytest.mark.parametrize("where", ["sources/cache", ".", "sources"])
def test_a_cache_folder_inside_the_kb_is_refused(kb_root: Path, where: str) -> None:
    listing = sorted(p.name for p in kb_root.rglob("*"))
    folder = kb_root / where
    got = installed_nkb(kb_root, "quotes", env={**os.environ, "NKB_CACHE_DIR": str(folder)})
    assert got.returncode == 1 and got.stdout == ""
    assert f"NKB_CACHE_DIR {folder} is inside the KB folder {kb_root.resolve()}" in got.stderr
    assert "Traceback" not in got.stderr
    assert sorted(p.name for p in kb_root.rglob("*")) == listing  # nothing written into the KB


@installed
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CACHE_HOME is Linux's")
def test_the_platform_cache_folder_inside_the_kb_is_left_unused(kb_root: Path) -> None:
    listing = sorted(p.name for p in kb_root.rglob("*"))
    env = {k: v for k, v in os.environ.items() if k != "NKB_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(kb_root / "sources" / ".cache")
    got = installed_nkb(kb_root, "quotes", "--speaker", "Galuzin", env=env)
    assert got.returncode == 0 and "Russia helps both sides" in got.stdout
    assert sorted(p.name for p in kb_root.rglob("*")) == listing


def test_a_warm_query_decodes_only_the_records_it_returns(kb_root: Path,
                                                         private_cache: Path) -> None:
    for i in range(3, 9):
        write_source(kb_root, f"{i:03d}", status="draft" if i in (5, 7) else "curated")
    check_same(kb_root, private_cache)
    kb, _ = store.load_kb(kb_root)
    assert isinstance(kb, cache.CompiledKB) and isinstance(kb.sources, cache._LazySources)
    assert kb.draft_ids() == {"005", "007"}  # from the header: no source decoded to know it
    galuzin = kb.actors["galuzin"]
    quotes = search.find_quotes(kb, search.QuoteFilter(speakers=(galuzin,)))
    assert [q.source for q in quotes] == ["001", "002", "003", "004", "006", "008"]
    assert set(kb.sources.decoded) == {"001", "002", "003", "004", "005", "006", "007", "008"}
    kb, _ = store.load_kb(kb_root)
    assert isinstance(kb, cache.CompiledKB) and isinstance(kb.sources, cache._LazySources)
    assert [q.id for q in kb.quotes_of("004")] == ["004-2", "004-1"]  # 2023-02? before 02-09
    assert [e.id for e in kb.events_citing("002")] == ["2020-talks"]
    assert [e.id for e in search.find_events(kb, search.EventFilter(since=kb.spans["2023-02"]))] \
        == ["2023-02-trips"]
    assert [e.id for e in search.events_with(kb, "galuzin")] == ["2023-02-trips"]
    assert set(kb.sources.decoded) == {"004"}  # nothing else decoded: no source, no event list
    assert "events" not in kb.__dict__ and "quotes" not in kb.__dict__


def test_the_scan_by_path_matches_the_scan_in_the_open_folder(
        kb_root: Path, monkeypatch: pytest.MonkeyPatch, trust_recent: None) -> None:
    (kb_root / "sources" / "stray.md").write_text("not a source")
    (kb_root / "sources" / "009.yaml").symlink_to(kb_root / "nowhere.yaml")  # dangling
    in_folder = cache.scan(kb_root)
    assert {"sources/stray.md", "sources/009.yaml", "sources/001.txt"} <= in_folder.keys()
    monkeypatch.setattr(os, "supports_dir_fd", set())  # as on Windows: stat by path
    assert cache.scan(kb_root) == in_folder
