"""Finding and validating the KB: `nkb check` and every other command on broken input."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkb import store, validation
from nkb.errors import ExitCode

Run = Callable[..., Any]


def assert_refused(result: Any, file: Path, line: int | None, *fragments: str) -> None:
    """A broken KB: exit 1, nothing on stdout, `file:line:` and the fragments on stderr."""
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert result.stdout == ""
    where = f"{file.resolve()}:{line}:" if line else f"{file.resolve()}:"
    assert where in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def actors(kb_data: Any, **changes: Any) -> list[dict[str, Any]]:
    """The fixture actors with the first one (lavrov) changed."""
    data = kb_data.actors
    data[0].update(changes)
    return data


def sources_with(kb_data: Any, source_id: str, **record_changes: Any) -> dict[str, dict[str, Any]]:
    data = kb_data.sources
    data[source_id]["record"].update(record_changes)
    return data


# --- the shipped KB ---------------------------------------------------------------------------


def test_check_passes_on_the_shipped_kb(run_nkb: Run) -> None:
    result = run_nkb("check", kb=store.shipped_kb())
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout.startswith("ok: ")
    assert "sources" in result.stdout and "quotes" in result.stdout


def test_check_passes_on_the_fixture_kb(run_nkb: Run, kb_dir: Path) -> None:
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.OK
    assert result.stdout == (
        f"ok: {kb_dir.resolve()}: 3 sources (0 drafts), 4 quotes, 3 events, 7 actors\n"
    )
    assert result.stderr == ""


# --- each kind of broken input: `check` names the file and line -------------------------------


def test_yaml_syntax_error(run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "actors.yaml"
    file.write_text("- id: lavrov\n  name: Sergey Lavrov\n  kind: [person\n- id: x\n",
                    encoding="utf-8")
    assert_refused(run_nkb("check", kb=kb_dir), file, 4, "YAML syntax error")


def test_an_unreadable_file_is_one_problem_not_a_cascade(run_nkb: Run, kb_dir: Path) -> None:
    (kb_dir / "actors.yaml").write_text("- id: lavrov\n\t- broken\n", encoding="utf-8")
    (kb_dir / "sources" / "002.yaml").write_text("id: '002'\ntitle: [unclosed\n",
                                                 encoding="utf-8")
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.ERROR
    assert "YAML syntax error" in result.stderr
    # every quote and event refers to actors, and events cite source 002: none is "unknown"
    assert "unknown speaker" not in result.stderr
    assert "unknown actor" not in result.stderr
    assert "unknown source" not in result.stderr
    assert result.stderr.count("YAML syntax error") == 2


def test_tab_indentation_is_a_syntax_error_with_a_hint(run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "actors.yaml"
    file.write_text("- id: lavrov\n\tname: Sergey Lavrov\n", encoding="utf-8")
    assert_refused(run_nkb("check", kb=kb_dir), file, 2, "YAML syntax error", "tabs")


def test_text_where_a_list_is_expected(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                       make_kb: Callable[..., Path]) -> None:
    kb = make_kb(actors=actors(kb_data, aliases="Lavrov"))
    file = kb / "actors.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "aliases: Lavrov"),
                   "expected a list, found text", "write a list")


def test_mapping_where_text_is_expected(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                        make_kb: Callable[..., Path]) -> None:
    kb = make_kb(actors=actors(kb_data, name={"first": "Sergey"}))
    file = kb / "actors.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "first: Sergey"),
                   "expected text, found key: value lines", "single text value")


def test_a_number_like_id_stays_text(run_nkb: Run, kb_dir: Path) -> None:
    # `id: 001` unquoted must not become the number 1
    file = kb_dir / "sources" / "001.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("id: '001'", "id: 001"),
                    encoding="utf-8")
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK


def test_missing_required_field(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                make_kb: Callable[..., Path]) -> None:
    data = actors(kb_data)
    del data[1]["kind"]
    kb = make_kb(actors=data)
    file = kb / "actors.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "id: galuzin"),
                   "missing required field `kind`", "add the field")


def test_unknown_field_points_at_the_key(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                         make_kb: Callable[..., Path]) -> None:
    data = kb_data.sources
    quote = data["001"]["record"]["quotes"][1]
    quote["speker"] = quote.pop("speaker")
    kb = make_kb(sources=data)
    file = kb / "sources" / "001.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "speker:"),
                   "unknown field `speker`", "check the spelling")


def test_unknown_field_in_an_actor(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                   make_kb: Callable[..., Path]) -> None:
    kb = make_kb(actors=actors(kb_data, alias=["Lavrov"]))
    file = kb / "actors.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "alias:"),
                   "unknown field `alias`")


def test_invalid_enum_value(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                            make_kb: Callable[..., Path]) -> None:
    kb = make_kb(actors=actors(kb_data, kind="human"))
    file = kb / "actors.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "kind: human"),
                   "'human' is not one of", "person")


def test_duplicate_actor_id(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                            make_kb: Callable[..., Path]) -> None:
    data = actors(kb_data)
    data[3]["id"] = "lavrov"
    kb = make_kb(actors=data)
    file = kb / "actors.yaml"
    second = line_with(file, "name: Andrey Rudenko") - 1
    assert_refused(run_nkb("check", kb=kb), file, second,
                   "duplicate actor id 'lavrov' (first at line 2)")


def test_duplicate_event_id(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                            make_kb: Callable[..., Path]) -> None:
    data = kb_data.events
    data[2]["id"] = data[0]["id"]
    kb = make_kb(events=data)
    file = kb / "events.yaml"
    second = line_with(file, "title: Trips to Yerevan") - 2
    assert_refused(run_nkb("check", kb=kb), file, second, "duplicate event id '2019-vienna-talks'")


def test_duplicate_quote_id_across_sources(kb_data: Any, line_with: Callable[[Path, str], int],
                                           run_nkb: Run, make_kb: Callable[..., Path]) -> None:
    data = kb_data.sources
    data["002"]["record"]["quotes"][0]["id"] = "001-1"
    kb = make_kb(sources=data)
    file = kb / "sources" / "002.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "id: 001-1"),
                   "duplicate quote id '001-1' (also in source 001)")


def test_duplicate_source_id(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                             make_kb: Callable[..., Path]) -> None:
    data = kb_data.sources
    data["004"] = copy.deepcopy(data["002"])
    for quote in data["004"]["record"]["quotes"]:
        quote["id"] = "004-1"
    kb = make_kb(sources=data)
    file = kb / "sources" / "004.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "id: '002'"),
                   "duplicate source id '002' (also in 002.yaml)")


def test_source_id_differs_from_file_name(kb_data: Any, line_with: Callable[[Path, str], int],
                                          run_nkb: Run, make_kb: Callable[..., Path]) -> None:
    data = kb_data.sources
    data["005"] = data.pop("003")  # written as 005.yaml, still saying id: '003'
    kb = make_kb(sources=data)
    file = kb / "sources" / "005.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "id: '003'"),
                   "source id '003' does not match file name 005.yaml", "rename the file")


def test_unknown_actor_in_an_event_suggests_a_near_one(kb_data: Any, line_with: Callable[[Path, str], int],
    run_nkb: Run, make_kb: Callable[..., Path]
) -> None:
    data = kb_data.events
    data[1]["actors"] = ["putin", "rusia"]
    kb = make_kb(events=data)
    file = kb / "events.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "- rusia"),
                   "unknown actor 'rusia'", "did you mean russia?")


def test_unknown_speaker_suggests_a_near_one(kb_data: Any, line_with: Callable[[Path, str], int],
                                             run_nkb: Run, make_kb: Callable[..., Path]) -> None:
    data = kb_data.sources
    data["002"]["record"]["quotes"][0]["speaker"] = "zaharova"
    kb = make_kb(sources=data)
    file = kb / "sources" / "002.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "speaker: zaharova"),
                   "unknown speaker 'zaharova'", "did you mean zakharova?")


def test_unknown_source_in_an_event(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                    make_kb: Callable[..., Path]) -> None:
    data = kb_data.events
    data[0]["sources"] = ["009"]
    kb = make_kb(events=data)
    file = kb / "events.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "009"),
                   "unknown source '009'", "001, 002, 003")


def test_unknown_source_in_a_role(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                  make_kb: Callable[..., Path]) -> None:
    data = actors(kb_data)
    data[0]["roles"][0]["sources"] = ["042"]
    kb = make_kb(actors=data)
    file = kb / "actors.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "042"),
                   "actor 'lavrov': unknown source '042'")


def test_event_citing_no_source(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                make_kb: Callable[..., Path]) -> None:
    data = kb_data.events
    data[0]["sources"] = []
    kb = make_kb(events=data)
    file = kb / "events.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "sources: []"),
                   "cites no source")


@pytest.mark.parametrize("bad", ["2020-13", "2023-02-30", "yesterday", "2020/yesterday"])
def test_invalid_event_date(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                            make_kb: Callable[..., Path], bad: str) -> None:
    data = kb_data.events
    data[1]["date"] = bad
    kb = make_kb(events=data)
    file = kb / "events.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, bad),
                   "invalid date", "is not an EDTF date")


def test_invalid_quote_and_source_dates(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                        make_kb: Callable[..., Path]) -> None:
    data = sources_with(kb_data, "002", date="17 June 2021")
    data["002"]["record"]["quotes"][0]["date"] = "2021-02-29"
    kb = make_kb(sources=data)
    file = kb / "sources" / "002.yaml"
    result = run_nkb("check", kb=kb)
    assert_refused(result, file, line_with(file, "date: 17 June 2021"), "'17 June 2021'")
    assert_refused(result, file, line_with(file, "2021-02-29"), "'2021-02-29'")


def test_quote_not_in_its_source_text(kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run,
                                      make_kb: Callable[..., Path]) -> None:
    data = kb_data.sources
    data["002"]["record"]["quotes"][0]["text"] = "The ceasefire must be respected"
    kb = make_kb(sources=data)
    file = kb / "sources" / "002.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "must be respected"),
                   "quote '002-1': text not found in 002.txt", "copy the words exactly")


def test_quote_found_despite_white_space_and_quote_marks(kb_data: Any,
    run_nkb: Run, make_kb: Callable[..., Path]
) -> None:
    # The fixture's 001-2 uses straight quotes where 001.txt prints typographic ones, and 001-1
    # runs over a double space and a line break in the text.
    data = kb_data.sources
    data["001"]["text"] = data["001"]["text"].replace("help,", "help,\n\t ")
    data["001"]["record"]["quotes"][1]["text"] = "We are ready to help, \u2018as always\u2019"
    data["001"]["text"] = data["001"]["text"].replace("\u201cas always\u201d", "'as always'")
    kb = make_kb(sources=data)
    assert run_nkb("check", kb=kb).exit_code == ExitCode.OK


def test_missing_text_file(run_nkb: Run, kb_dir: Path) -> None:
    (kb_dir / "sources" / "002.txt").unlink()
    result = run_nkb("check", kb=kb_dir)
    assert_refused(result, kb_dir / "sources" / "002.txt", None, "cannot read file", "002.yaml")


def test_non_utf8_yaml_file(run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "actors.yaml"
    file.write_bytes(file.read_bytes().replace(b"Sergey Lavrov", b"Serg\xe9y Lavrov", 1))
    assert_refused(run_nkb("check", kb=kb_dir), file, line_with_bytes(file, b"\xe9"),
                   "not UTF-8 (byte 0xe9", "save the file as UTF-8")


def test_non_utf8_text_file(run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "sources" / "002.txt"
    file.write_bytes(b"first line\nZakharova said: \xff\n")
    assert_refused(run_nkb("check", kb=kb_dir), file, 2, "not UTF-8")


def line_with_bytes(path: Path, needle: bytes) -> int:
    data = path.read_bytes()
    return data[: data.index(needle)].count(b"\n") + 1


def test_duplicate_yaml_key(line_with: Callable[[Path, str], int], run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "sources" / "002.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("outlet: Sputnik Armenia\n",
                                 "outlet: Sputnik Armenia\noutlet: TASS\n"), encoding="utf-8")
    assert_refused(run_nkb("check", kb=kb_dir), file, line_with(file, "outlet: TASS"),
                   "'outlet' appears twice", "remove or rename the repeated key")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- id: a\n  date: '2020'\n  title: A\n  places: &where [Moscow]\n  sources: ['001']\n"
         "- id: b\n  date: '2021'\n  title: B\n  places: *where\n  sources: ['001']\n", 4),
        ("- id: a\n  date: '2020'\n  title: &t A\n  sources: ['001']\n", 3),  # anchor alone
        ("- id: a\n  date: '2020'\n  title: A\n  sources: [&s '001']\n", 4),
    ],
)
def test_yaml_anchors_and_aliases_are_refused(
    run_nkb: Run, kb_dir: Path, text: str, line: int
) -> None:
    file = kb_dir / "events.yaml"
    file.write_text(text, encoding="utf-8")
    assert_refused(run_nkb("check", kb=kb_dir), file, line, "anchors and aliases")


def test_ampersands_and_stars_in_text_are_fine(kb_data: Any, run_nkb: Run, make_kb: Callable[..., Path]
) -> None:
    data = kb_data.events
    data[0]["title"] = "Talks & *more* in Vienna"
    data[0]["places"] = ["&Vienna", "*"]
    kb = make_kb(events=data)
    assert run_nkb("check", kb=kb).exit_code == ExitCode.OK


def test_file_that_is_not_a_list(run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "actors.yaml"
    file.write_text("id: lavrov\nname: Sergey Lavrov\n", encoding="utf-8")
    assert_refused(run_nkb("check", kb=kb_dir), file, 1, "expected a list of actors")


def test_missing_actors_file(run_nkb: Run, kb_dir: Path) -> None:
    (kb_dir / "actors.yaml").unlink()
    assert_refused(run_nkb("check", kb=kb_dir), kb_dir / "actors.yaml", None, "file is missing")


def test_problem_after_an_invalid_quote_points_at_its_own_line(
    kb_data: Any, line_with: Callable[[Path, str], int], run_nkb: Run, make_kb: Callable[..., Path]
) -> None:
    # The first quote is unusable; the second's problem must still name the second's line.
    data = kb_data.sources
    first, second = data["001"]["record"]["quotes"]
    first["speker"] = first.pop("speaker")
    second["speaker"] = "nobody"
    kb = make_kb(sources=data)
    file = kb / "sources" / "001.yaml"
    assert_refused(run_nkb("check", kb=kb), file, line_with(file, "speaker: nobody"),
                   "unknown speaker 'nobody'")


# --- all problems at once; every command refuses a broken KB --------------------------------


def break_two_files(kb: Path, line_with: Callable[[Path, str], int]
                    ) -> tuple[tuple[Path, int], tuple[Path, int]]:
    events_file = kb / "events.yaml"
    events_file.write_text(events_file.read_text(encoding="utf-8").replace(
        "date: '2019'", "date: 2019-13"), encoding="utf-8")
    source_file = kb / "sources" / "002.yaml"
    source_file.write_text(source_file.read_text(encoding="utf-8").replace(
        "speaker: zakharova", "speker: zakharova"), encoding="utf-8")
    return ((events_file, line_with(events_file, "2019-13")),
            (source_file, line_with(source_file, "speker:")))


def test_check_reports_every_problem_at_once(line_with: Callable[[Path, str], int], run_nkb: Run,
                                             kb_dir: Path) -> None:
    (first, first_line), (second, second_line) = break_two_files(kb_dir, line_with)
    result = run_nkb("check", kb=kb_dir)
    assert_refused(result, first, first_line, "'2019-13'")
    assert_refused(result, second, second_line, "`speker`")
    assert "2 problem(s)" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("quotes",), ("quotes", "--speaker", "Galuzin"), ("events",), ("actors",), ("actor", "lavrov"),
     ("sources",), ("source", "001"), ("search", "ceasefire")],
)
def test_every_command_refuses_a_broken_kb(line_with: Callable[[Path, str], int], run_nkb: Run,
                                           kb_dir: Path, args: tuple[str]) -> None:
    (first, first_line), (second, second_line) = break_two_files(kb_dir, line_with)
    check = run_nkb("check", kb=kb_dir)
    result = run_nkb(*args, kb=kb_dir)
    assert_refused(result, first, first_line, "'2019-13'")
    assert_refused(result, second, second_line, "`speker`")
    # the same problem lines as `check` gives, plus a pointer to it
    problems = [line for line in check.stderr.splitlines() if not line.startswith("nkb:")]
    assert [line for line in result.stderr.splitlines() if not line.startswith("nkb:")] == problems
    assert "run `nkb check`" in result.stderr


def test_markup_in_a_broken_file_is_shown_literally(run_nkb: Run, kb_dir: Path) -> None:
    file = kb_dir / "actors.yaml"
    file.write_text("- id: lavrov\n  name: \"[red]x\\e[0m\"\n  kind: person\n  nme: y\n",
                    encoding="utf-8")
    result = run_nkb("check", kb=kb_dir)
    assert_refused(result, file, 4, "`nme`")
    assert "\x1b" not in result.stderr


# --- finding the KB ---------------------------------------------------------------------------


def test_kb_option_wins_over_environment(
    run_nkb: Run, kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NKB_KB", str(tmp_path / "elsewhere"))
    result = run_nkb("check", kb=kb_dir)
    assert result.exit_code == ExitCode.OK
    assert str(kb_dir.resolve()) in result.stdout


def test_environment_variable_names_the_kb(
    run_nkb: Run, kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NKB_KB", str(kb_dir))
    monkeypatch.chdir(tmp_path)
    result = run_nkb("check")
    assert result.stdout.startswith(f"ok: {kb_dir.resolve()}:")


def test_missing_kb_folder_is_an_error(
    run_nkb: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_nkb("check", kb=tmp_path / "nowhere")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert "--kb" in result.stderr and "no such folder" in result.stderr
    monkeypatch.setenv("NKB_KB", str(tmp_path / "nowhere"))
    result = run_nkb("quotes")
    assert result.exit_code == ExitCode.ERROR
    assert "$NKB_KB" in result.stderr


def test_nearest_kb_folder_in_cwd_or_above(
    run_nkb: Run, kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = run_nkb("check")
    assert result.stdout.startswith(f"ok: {kb_dir.resolve()}:")
    assert store.find_kb(cwd=tmp_path) == kb_dir.resolve()


def test_a_kb_folder_without_kb_files_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()  # e.g. an unrelated folder named kb
    assert store.find_kb(cwd=tmp_path) == store.shipped_kb()


def test_shipped_kb_when_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NKB_KB", raising=False)
    assert store.find_kb(cwd=tmp_path) == store.shipped_kb()
    assert (store.shipped_kb() / "actors.yaml").is_file()


def test_open_kb_indexes_records_in_date_order(kb_dir: Path) -> None:
    kb = store.open_kb(kb_dir)
    assert [q.id for q in kb.quotes] == ["002-1", "001-1", "001-2", "003-1"]
    assert [e.id for e in kb.events] == [
        "2019-vienna-talks", "2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]
    assert kb.source("3").id == "003"
    assert {q.source for q in kb.quotes_of("001")} == {"001"}


# --- whatever the files hold, loading reports problems and never crashes ---------------------

yaml_values = st.recursive(
    st.none() | st.text(max_size=8) | st.integers() | st.booleans(),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "name", "kind", "aliases", "roles", "title", "date",
                                       "sources", "quotes", "speaker", "text", "x"]), inner,
                      max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actors_data=yaml_values, source_data=yaml_values, raw=st.text(max_size=40))
def test_any_content_is_reported_never_a_crash(dump: Callable[[Any], str],
    kb_dir: Path, actors_data: Any, source_data: Any, raw: str
) -> None:
    (kb_dir / "actors.yaml").write_text(dump(actors_data), encoding="utf-8")
    (kb_dir / "sources" / "002.yaml").write_text(dump(source_data), encoding="utf-8")
    (kb_dir / "events.yaml").write_text(raw, encoding="utf-8")
    kb, problems = store.load_kb(kb_dir)
    assert (kb is None) == bool(problems)
    for problem in problems:
        assert problem.file.is_relative_to(kb_dir)
        assert problem.message and problem.hint


@pytest.mark.parametrize("text", ["- {id: x, [a]: 2}\n", "- id: x\n  ? {a: b}\n  : 2\n"])
def test_a_list_or_mapping_as_key(run_nkb: Run, kb_dir: Path, text: str) -> None:
    file = kb_dir / "actors.yaml"
    file.write_text(text, encoding="utf-8")
    result = run_nkb("check", kb=kb_dir)
    assert_refused(result, file, text.count("\n", 0, text.index("{", 2)) + 1,
                   "a key must be plain text")
    assert "unexpected" not in result.stderr


def test_records_of_one_date_keep_their_numbered_order() -> None:
    from nkb.dates import Span

    spans = {"2020": Span("2020-01-01", "2020-12-31")}
    ids = ["004-10", "004-2", "004-1"]
    assert sorted(ids, key=lambda i: validation.sort_key(spans, "2020", i)) == ["004-1", "004-2", "004-10"]
