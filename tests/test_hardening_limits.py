"""Hostile input, second round: the names in sources/, links and limits, exports that replace
only their own files, ids and dates that mean one thing, linear-time problem reporting, user
mistakes as user errors, and escaping of every text shown.

Processes, signals and streams are in test_hardening_signals.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkb import add, export, index, store, validation, yamlfile
from nkb.errors import ExitCode
from nkb.reader import attribution

Run = Callable[..., Any]
ARTICLE = ("MOSCOW, June 5, 2024. \u201cThe border commissions will meet again soon,\u201d "
           "Zakharova said on Wednesday.\n")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def _break_source_002(kb: Path) -> None:
    path = kb / "sources" / "002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("speaker: zakharova",
                                                             "speaker: nobody"), encoding="utf-8")


# --- 1. never a stale answer --------------------------------------------------------------------


@pytest.mark.parametrize("ignored", [".#001.yaml", ".001.yaml.swp", "#001.yaml#", "001.yaml~",
                                     ".002.txt.abc123.tmp"])
def test_editor_files_are_ignored_and_later_edits_are_seen(kb_dir: Path, run_nkb: Run,
                                                           ignored: str) -> None:
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK  # the cache is built
    # an editor's lock is a dangling link; the others are plain files
    if ignored.startswith(".#"):
        os.symlink("root@host.1234:1700000000", kb_dir / "sources" / ignored)
    else:
        (kb_dir / "sources" / ignored).write_text("- not: [yaml\n", encoding="utf-8")
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK
    _break_source_002(kb_dir)
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR  # the edit is seen, never answered from the cache
    assert "unknown speaker 'nobody'" in result.stderr
    assert ignored not in result.stderr


@pytest.mark.parametrize("name", ["004.yaml", "004.txt", "notes"])
def test_an_entry_that_cannot_be_stated_keeps_the_cache_whole(kb_dir: Path, run_nkb: Run,
                                                              name: str) -> None:
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK
    os.symlink(kb_dir / "sources" / "gone", kb_dir / "sources" / name)  # dangling, inside
    _break_source_002(kb_dir)
    result = run_nkb("check", kb=kb_dir)
    assert "unknown speaker 'nobody'" in result.stderr  # the other edit is still seen
    assert result.exit_code == ExitCode.ERROR
    if name == "004.yaml":
        assert "004.yaml: cannot read file" in result.stderr


def test_the_names_nkb_reads_and_ignores(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    names = ["001.yaml", "001.txt", "draft.yaml", "notes.md", "002.txt", "①②③.txt",
             ".#001.yaml", "#001.yaml#", "001.yaml~", ".hidden"]
    for name in names:
        (folder / name).write_text("x", encoding="utf-8")
    listing = validation.list_sources(tmp_path)
    assert listing.records == ["001.yaml", "draft.yaml"]
    assert listing.texts == ["001.txt", "002.txt"]
    assert listing.strays == ["notes.md", "①②③.txt"]


def test_check_names_a_stray_file_and_a_text_without_its_record(kb_dir: Path,
                                                                 run_nkb: Run) -> None:
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK
    (kb_dir / "sources" / "notes.md").write_text("to do\n", encoding="utf-8")
    (kb_dir / "sources" / "009.txt").write_text("an orphan\n", encoding="utf-8")
    (kb_dir / "sources" / "١٢٣.txt").write_text("Arabic-Indic digits\n", encoding="utf-8")
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.OK  # the KB is its old self; the leftovers are named
    assert "009.txt: text without a record: 009.yaml is missing" in result.stderr
    assert "notes.md: not a source file" in result.stderr
    assert "١٢٣.txt: not a source file" in result.stderr
    (kb_dir / "sources" / "notes.md").unlink()  # and the notes follow the folder, not the cache
    assert "notes.md" not in run_nkb("check", kb=kb_dir).stderr


def test_a_record_without_its_text_is_a_problem(kb_dir: Path, run_nkb: Run) -> None:
    (kb_dir / "sources" / "002.txt").unlink()
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "002.txt: cannot read file" in result.stderr


# --- 3. never damage what nkb did not write ----------------------------------------------------


def test_export_never_writes_into_the_kb(kb_dir: Path, run_nkb: Run) -> None:
    before = _snapshot(kb_dir)
    for args in (["jsonl", str(kb_dir / "actors.yaml"), "--force"],
                 ["sqlite", str(kb_dir / "sources" / "new.db")],
                 ["csv", str(kb_dir / "tables")]):
        result = run_nkb("export", *args, kb=kb_dir)
        assert result.exit_code == ExitCode.ERROR, args
        assert "is inside the KB folder" in result.stderr
    assert _snapshot(kb_dir) == before


def test_force_keeps_a_users_folder_named_like_a_table(kb_dir: Path, run_nkb: Run,
                                                       tmp_path: Path) -> None:
    target = tmp_path / "tables"
    assert run_nkb("export", "csv", str(target), kb=kb_dir).exit_code == ExitCode.OK
    (target / "quotes.csv").unlink()
    (target / "quotes.csv").mkdir()
    (target / "quotes.csv" / "mine.txt").write_text("my notes", encoding="utf-8")
    result = run_nkb("export", "csv", str(target), "--force", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "is not a folder of nkb CSV files" in result.stderr
    assert (target / "quotes.csv" / "mine.txt").read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize("content", [b"", b"some,user,data\n", b"sources.csv"])
def test_force_keeps_a_folder_of_user_files(kb_dir: Path, run_nkb: Run, tmp_path: Path,
                                            content: bytes) -> None:
    target = tmp_path / "tables"
    target.mkdir()
    if content:  # a file with one of nkb's names but the user's content
        (target / "sources.csv").write_bytes(content)
    result = run_nkb("export", "csv", str(target), "--force", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert target.is_dir() and (not content or (target / "sources.csv").read_bytes() == content)


@pytest.mark.parametrize(("fmt", "name"), [("sqlite", "nkb.db"), ("jsonl", "nkb.jsonl")])
def test_force_replaces_its_own_export_and_nothing_else(kb_dir: Path, run_nkb: Run,
                                                        tmp_path: Path, fmt: str,
                                                        name: str) -> None:
    target = tmp_path / name
    assert run_nkb("export", fmt, str(target), kb=kb_dir).exit_code == ExitCode.OK
    assert run_nkb("export", fmt, str(target), "--force", kb=kb_dir).exit_code == ExitCode.OK
    theirs = tmp_path / f"theirs-{name}"
    for content in (b"my own notes\n", b'{"type": "diary"}\n', b"SQLite format 3\x00" + b"\0" * 90):
        theirs.write_bytes(content)
        result = run_nkb("export", fmt, str(theirs), "--force", kb=kb_dir)
        assert result.exit_code == ExitCode.ERROR
        assert "nkb replaces only its own exports" in result.stderr
        assert theirs.read_bytes() == content
    link = tmp_path / f"link-{name}"
    link.symlink_to(target)
    assert run_nkb("export", fmt, str(link), "--force", kb=kb_dir).exit_code == ExitCode.ERROR
    assert link.is_symlink()


@pytest.mark.parametrize("fmt", ["sqlite", "jsonl", "csv"])
def test_export_creates_no_missing_folders(kb_dir: Path, run_nkb: Run, tmp_path: Path,
                                           fmt: str) -> None:
    target = tmp_path / "a" / "b" / "c" / "out"
    result = run_nkb("export", fmt, str(target), kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "a").exists()


def test_force_is_explained_in_the_help(run_nkb: Run) -> None:
    for fmt in ("sqlite", "jsonl", "csv"):
        shown = " ".join(run_nkb("export", fmt, "--help").stdout.split())
        assert "never another file or folder, never a file inside the KB" in shown


# --- 4. special files, links and limits ---------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "../outside.txt"])
def test_a_link_out_of_the_kb_is_refused(kb_dir: Path, run_nkb: Run, target: str,
                                         tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("Zakharova said: The ceasefire must be observed.\n",
                                          encoding="utf-8")
    text = kb_dir / "sources" / "002.txt"
    text.unlink()
    text.symlink_to(target if target.startswith("/") else kb_dir / target)
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "002.txt: is a link to" in result.stderr and "outside the KB folder" in result.stderr
    assert run_nkb("export", "jsonl", "-", kb=kb_dir).stdout == ""


def test_a_link_within_the_kb_is_read(kb_dir: Path, run_nkb: Run) -> None:
    text = kb_dir / "sources" / "002.txt"
    (kb_dir / "texts").mkdir()
    text.rename(kb_dir / "texts" / "002.txt")
    text.symlink_to(Path("..") / "texts" / "002.txt")
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK


def test_the_size_limit_holds_while_reading(tmp_path: Path) -> None:
    class Endless:
        def read(self, size: int) -> bytes:
            return b"a" * size

    with pytest.raises(yamlfile.ReadRefused, match="holds more than 1,000 bytes"):
        yamlfile.read_limited(Endless(), 1000, "it")  # type: ignore[arg-type]
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a" * 1001)
    with pytest.raises(yamlfile.ReadRefused, match="above the 1,000-byte limit"):
        yamlfile.read_regular(path, 1000)
    assert yamlfile.read_regular(path, 1001) == b"a" * 1001


def test_input_over_the_limit_is_refused_before_anything_is_written(
        kb_dir: Path, run_nkb: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(add, "MAX_FILE_BYTES", 100)
    before = _snapshot(kb_dir)
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE * 3, encoding="utf-8")
    for args, stdin in ((["add", str(big)], None), (["add", "-"], big.read_bytes())):
        result = run_nkb(*args, kb=kb_dir, stdin=stdin)
        assert result.exit_code == ExitCode.ERROR
        assert "100-byte limit" in result.stderr or "more than 100 bytes" in result.stderr
        assert "bug" not in result.stderr
    assert _snapshot(kb_dir) == before


# --- 5. linear time -----------------------------------------------------------------------------


def test_many_problems_in_one_file_parse_it_once_for_their_lines(
        make_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    actors = [{"id": f"a{n}", "kind": "person"} for n in range(300)]  # each lacks its name
    root = make_kb(actors=actors)
    calls = []
    compose = yamlfile.compose
    monkeypatch.setattr(yamlfile, "compose", lambda *a: calls.append(1) or compose(*a))
    monkeypatch.setenv("NKB_CACHE_DIR", "off")
    _, problems = store.load_kb(root)
    missing = [p for p in problems if "missing required field" in p.message]
    assert len(missing) == 300
    lines = [p.line for p in missing]
    assert lines == sorted(set(lines)) and None not in lines  # each its own line...
    assert len(calls) < 20  # ...found in one tree, not one parse each


def test_a_renamed_actor_is_searched_for_once(make_kb: Callable[..., Path], kb_data: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for sid in ("001", "002", "003"):
        for quote in kb_data.sources[sid]["record"]["quotes"]:
            quote["speaker"] = "lavrow"
    root = make_kb(sources=kb_data.sources)
    searched: list[str | None] = []
    original = validation._known_hint

    def counting(kind: str, known: Any, typed: str | None = None) -> str:
        searched.append(typed)
        return original(kind, known, typed)

    monkeypatch.setattr(validation, "_known_hint", counting)
    _, problems = store.load_kb(root)
    assert sum("unknown speaker 'lavrow'" in p.message for p in problems) >= 3
    assert searched.count("lavrow") == 1
    assert all("did you mean lavrov" in p.hint for p in problems if "lavrow" in p.message)


# --- 6. user mistakes are user errors ----------------------------------------------------------


@pytest.mark.parametrize(("wanted", "says"), [("٣", "digits 0-9"), ("²²²", "digits 0-9"),
                                              ("1" * 300, "at most 9 digits"),
                                              ("0003", "source 003 already exists"),
                                              ("03", "source 003 already exists")])
def test_bad_ids_are_refused_and_nothing_is_written(kb_dir: Path, run_nkb: Run, tmp_path: Path,
                                                    wanted: str, says: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = _snapshot(kb_dir)
    result = run_nkb("add", str(article), "--id", wanted, kb=kb_dir)
    assert result.exit_code in (ExitCode.USAGE, ExitCode.ERROR)
    assert says in result.stderr and "bug" not in result.stderr
    assert _snapshot(kb_dir) == before


@pytest.mark.parametrize("option", ["--outlet", "--date", "--url", "--id"])
def test_an_option_that_is_not_utf8_is_a_usage_error(kb_dir: Path, run_nkb: Run,
                                                     tmp_path: Path, option: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_nkb("add", str(article), option, "TASS\udcff", kb=kb_dir)
    assert result.exit_code == ExitCode.USAGE
    assert f"{option}: not UTF-8 text (byte 0xff)" in result.stderr


def test_a_file_name_that_is_not_utf8_is_kept_escaped(kb_dir: Path, run_nkb: Run,
                                                      tmp_path: Path) -> None:
    article = tmp_path / "caf\udce9.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_nkb("add", str(article), kb=kb_dir)
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = (kb_dir / "sources" / "004.yaml").read_text(encoding="utf-8")
    assert "file: caf\\xe9.txt" in draft
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK


@pytest.mark.parametrize("dateline", ["MOSCOW, February 30.", "MOSCOW, February 30, 2023.",
                                      "MOSCOW, 31 April 2024 (TASS)."])
def test_an_impossible_dateline_is_no_crash(kb_dir: Path, run_nkb: Run, tmp_path: Path,
                                            dateline: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(f"{dateline} \u201cWe will help,\u201d Zakharova said.\n",
                       encoding="utf-8")
    result = run_nkb("add", str(article), kb=kb_dir)
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = (kb_dir / "sources" / "004.yaml").read_text(encoding="utf-8")
    assert "-02-30" not in draft and "-04-31" not in draft  # never a day that does not exist


def test_a_read_only_sources_folder_is_a_user_error(kb_dir: Path, run_nkb: Run, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = _snapshot(kb_dir)
    real_link = os.link

    def refuse(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if Path(target).parent.name == "sources":  # no new file may go in (tests run as root)
            raise PermissionError(13, "Permission denied", str(target))
        real_link(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", refuse)
    result = run_nkb("add", str(article), kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "cannot write into" in result.stderr and "Permission denied; nothing was added" \
        in result.stderr
    assert _snapshot(kb_dir) == before


def test_an_empty_kb_option_is_a_usage_error(kb_dir: Path, run_nkb: Run,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(kb_dir)  # a kb/ here or the shipped KB would otherwise answer
    result = run_nkb("--kb", "", "quotes")
    assert result.exit_code == ExitCode.USAGE
    assert "--kb '': give the folder" in result.stderr
    assert run_nkb("--kb", "  ", "check").exit_code == ExitCode.USAGE


def test_a_deleted_working_folder_is_a_user_error(run_nkb: Run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    monkeypatch.delenv("NKB_KB", raising=False)
    result = run_nkb("quotes")
    assert result.exit_code == ExitCode.ERROR
    assert "the current folder cannot be used" in result.stderr


def test_a_kb_path_that_is_not_utf8_works(kb_dir: Path, run_nkb: Run, tmp_path: Path) -> None:
    odd = tmp_path / "k\udcff"
    kb_dir.rename(odd)
    result = run_nkb("check", kb=odd)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "k\\udcff" in result.stdout
    assert run_nkb("quotes", "--format", "json", kb=odd).exit_code == ExitCode.OK


# --- 7. ids and dates that mean one thing -------------------------------------------------------


@pytest.mark.parametrize("stray", ["٩٩٩.txt", "①②③.txt", "९९९.yaml~", "999.txt~"])
def test_stray_digits_never_move_the_next_id(kb_dir: Path, run_nkb: Run, tmp_path: Path,
                                             stray: str) -> None:
    (kb_dir / "sources" / stray).write_text("x\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_nkb("add", str(article), kb=kb_dir)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.strip().endswith("004.yaml")


def test_two_spellings_of_one_number_are_one_source(make_kb: Callable[..., Path],
                                                    kb_data: Any, run_nkb: Run) -> None:
    copy = {**kb_data.sources["003"], "record": {**kb_data.sources["003"]["record"],
                                                 "id": "0003", "file": "0003.txt",
                                                 "quotes": []}}
    root = make_kb(sources={**kb_data.sources, "0003": copy})
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    assert "is the number of source" in result.stderr
    assert "`nkb source 3` could mean either" in result.stderr


@pytest.mark.parametrize("typed", ["3", "03", "0003", "00003"])
def test_a_source_is_found_by_its_number(nkb: Run, typed: str) -> None:
    result = nkb("source", typed, "--format", "json")
    assert result.exit_code == ExitCode.OK
    assert '"id": "003"' in result.stdout
    assert index.normalise_source_id("٣") == "٣"  # no digit of another script is an id
    assert nkb("source", "٣").exit_code == ExitCode.ERROR


def test_years_past_9999_are_refused_not_compared_as_text(make_kb: Callable[..., Path],
                                                          kb_data: Any, run_nkb: Run) -> None:
    kb_data.events[0]["date"] = "Y10000"
    root = make_kb(events=kb_data.events)
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    assert "'Y10000' is after the year 9999" in result.stderr
    for option in (["events", "--since", "Y10000"], ["quotes", "--until", "Y12345"],
                   ["timeline", "--since", "Y99999"]):
        usage = run_nkb(*option)
        assert usage.exit_code == ExitCode.USAGE, option
        assert "after the year 9999" in usage.stderr


# --- 8. escaping everywhere ---------------------------------------------------------------------


def test_role_titles_are_escaped_in_every_format(make_kb: Callable[..., Path], kb_data: Any,
                                                 run_nkb: Run) -> None:
    kb_data.actors[0]["roles"][0]["title"] = "Minister\x1b[31m of \u202eForeign Affairs"
    root = make_kb(actors=kb_data.actors)
    outputs = [run_nkb("actors", "--format", fmt, kb=root).stdout
               for fmt in ("table", "csv", "md", "json")]
    outputs.append(run_nkb("actor", "Lavrov", kb=root).stdout)
    outputs.append(run_nkb("actor", "Lavrov", "--format", "md", kb=root).stdout)
    for shown in outputs:
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "\\x1b" in shown or "\\u001b" in shown


def test_paths_are_escaped_in_check_add_and_export(kb_dir: Path, run_nkb: Run,
                                                   tmp_path: Path) -> None:
    odd = tmp_path / "k\x1b[2J\u202e"
    kb_dir.rename(odd)
    check = run_nkb("check", kb=odd)
    assert check.exit_code == ExitCode.OK
    article = tmp_path / "a\x1b[31m.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = run_nkb("add", str(article), kb=odd)
    assert added.exit_code == ExitCode.OK, added.stderr
    out = tmp_path / "out\x07\u202e.jsonl"
    exported = run_nkb("export", "jsonl", str(out), kb=odd)
    assert exported.exit_code == ExitCode.OK, exported.stderr
    for shown in (check.stdout, added.stdout, added.stderr, exported.stderr):
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\\x1b[2J\\u202e" in check.stdout and "\\x07\\u202e" in exported.stderr
    broken = run_nkb("check", kb=odd)
    _break_source_002(odd)
    broken = run_nkb("check", kb=odd)
    assert "\x1b" not in broken.stderr and "\\x1b[2J" in broken.stderr


def test_export_paths_module_guard(kb_dir: Path) -> None:
    kb = store.open_kb(kb_dir)
    with pytest.raises(export.WriteRefused, match="inside the KB folder"):
        export.export_jsonl(kb, kb_dir / "sources" / "x.jsonl")


mentions_strategy = st.lists(
    st.tuples(st.integers(0, 200), st.sampled_from(["a", "b", "c"]),
              st.sampled_from(["person", "organisation", "state"]),
              st.sampled_from([frozenset(), frozenset({"minister"}), frozenset({"envoy"})])),
    max_size=40)


@settings(max_examples=200, deadline=None)
@given(mentions_strategy, st.integers(0, 220), st.booleans())
def test_latest_mentions_are_what_a_walk_over_every_mention_finds(
        raw: list[tuple[int, str, str, frozenset[str]]], at: int, person: bool) -> None:
    """The speaker lookup of a long article bisects per actor and title; it must consider
    exactly the mentions a walk keeping the latest of each would (the place breaks ties)."""
    mentions = sorted((attribution.Mention(start, start + 1, actor, kind, title)
                       for start, actor, kind, title in raw), key=lambda m: m.start)
    ctx = attribution._Context("", {}, None, set(), mentions=mentions)
    walk: dict[tuple[str, frozenset[str]], int] = {}
    for i, m in enumerate(mentions):
        if m.start < at and (m.kind == "person") == person:
            walk[m.actor, m.title] = i
    found = attribution._latest_mentions(ctx, at, person)
    assert sorted(i for i, _ in found) == sorted(walk.values())
    ctx.mentions.append(attribution.Mention(at, at, "d", "person", frozenset()))  # as _note does
    ctx.mentions.sort(key=lambda m: m.start)
    assert len(attribution._latest_mentions(ctx, at + 1, True)) == len(
        {(m.actor, m.title) for m in ctx.mentions if m.start < at + 1 and m.kind == "person"})
