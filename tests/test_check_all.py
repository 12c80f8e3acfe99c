"""`nkb check` reports every problem of every readable file in one run, whatever layer it is
in (YAML, the record's shape, a value, the article's text, a reference to another file), each
with its file, line and fix; a quote not found in its article says where it stops matching."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import text
from nkb.errors import ExitCode
from nkb.mismatch import find_mismatch, find_mismatches
from nkb.models import Quote

Run = Callable[..., Any]


def test_one_mistake_in_each_layer_is_reported_whole_by_one_check(
        kb_data: Any, make_kb: Callable[..., Path], run_nkb: Run,
        line_with: Callable[[Path, str], int]) -> None:
    actors = kb_data.actors
    actors[0]["roles"][0]["date"] = "2023-13"  # a value: no month 13
    actors[1]["nickname"] = "Galuzin"  # the shape: no such field
    events = kb_data.events
    events[0]["sources"] = ["099"]  # a reference: no source 099
    sources = kb_data.sources
    record = sources["001"]["record"]
    record["publisher"] = "TASS"  # the source's own shape: no such field
    record["quotes"][0]["kind"] = "paraphrased"  # a quote's shape: no such kind
    record["quotes"][0]["date"] = "2023-02-30"  # a value: no 30 February
    record["quotes"][1]["speaker"] = "lavorv"  # a reference: no such actor
    record["quotes"][1]["text"] = "We are ready to assist, \"as always\""  # the article's text
    root = make_kb(actors=actors, events=events, sources=sources)
    broken = root / "sources" / "003.yaml"
    broken.write_text("id: '003'\ntitle: [unclosed\n", encoding="utf-8")  # YAML itself

    result = run_nkb("check", kb=root)

    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    actors_file, events_file = root / "actors.yaml", root / "events.yaml"
    source = root / "sources" / "001.yaml"
    expected = [
        (actors_file, line_with(actors_file, "2023-13"), "invalid date: '2023-13'"),
        (actors_file, line_with(actors_file, "nickname:"), "unknown field `nickname`"),
        (events_file, line_with(events_file, "099"), "unknown source '099'"),
        (source, line_with(source, "publisher:"), "unknown field `publisher`"),
        (source, line_with(source, "paraphrased"), "'paraphrased' is not one of"),
        (source, line_with(source, "2023-02-30"), "invalid date: '2023-02-30'"),
        (source, line_with(source, "lavorv"), "unknown speaker 'lavorv'"),
        (source, line_with(source, "ready to assist"),
         "quote '001-2': text not found in 001.txt: after 'We are ready to' it has 'assist,' "
         "where the article has 'help, \"as always\" and in every'"),
        (broken, None, "003.yaml"),
    ]
    lines = result.stderr.splitlines()
    for file, line, words in expected:
        where = f"{file.resolve()}:{line}:" if line else f"{file.resolve()}:"
        [shown] = [i for i, said in enumerate(lines) if said.startswith(where) and words in said]
        assert lines[shown + 1].startswith("  fix: "), lines[shown:shown + 2]
    assert re.search(rf"nkb: {len(expected)} problem\(s\) in ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_a_source_record_that_cannot_be_read_still_has_its_quotes_checked(
        kb_data: Any, make_kb: Callable[..., Path], run_nkb: Run,
        line_with: Callable[[Path, str], int]) -> None:
    sources = kb_data.sources
    record = sources["002"]["record"]
    del record["title"]  # the record lacks a field it cannot do without
    record["quotes"][0]["date"] = "2021-06-31"
    record["quotes"][0]["text"] = "The ceasefire must be respected"
    record["quotes"][0]["speaker"] = "zakharva"
    root = make_kb(sources=sources)
    file = root / "sources" / "002.yaml"
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    assert "missing required field `title`" in result.stderr
    assert f"{file.resolve()}:{line_with(file, '2021-06-31')}: invalid date" in result.stderr
    assert "after 'The ceasefire must be' it has 'respected' where the article has " \
           "'observed. Putin was mentioned.'" in result.stderr
    assert f"{file.resolve()}:{line_with(file, 'zakharva')}: quote '002-1': unknown speaker " \
           "'zakharva'" in result.stderr
    # its events are not called unknown: the record's own problem is the one to fix
    assert "unknown source '002'" not in result.stderr


def test_a_misspelt_required_field_is_one_problem_with_a_guess() -> None:
    found = find_mismatches({"id": "001-1", "speker": "lavrov", "text": "x", "date": "2023"}, Quote)
    assert [(m.path, m.message) for m in found] == [(("speker",), "unknown field `speker`")]
    assert "did you mean `speaker`?" in found[0].hint


def test_every_mismatch_of_a_record_is_found_in_order() -> None:
    raw = {"id": "001-1", "speaker": "lavrov", "text": "x", "date": "2023", "kind": "rumour",
           "topics": "peace",
           "colour": "red"}
    found = find_mismatches(raw, Quote)
    assert [m.path for m in found] == [("colour",), ("kind",), ("topics",)]
    assert find_mismatch(raw, Quote) == found[0]


@pytest.mark.parametrize(("quote", "said"), [
    ("Russia provides steady assistance", "after 'Russia provides' it has 'steady' where the "
     "article has 'consistent assistance to Azerbaijan and Armenia,'"),
    ("Lavrov never said this", "after 'Lavrov' it has 'never' where the article has "
     "'added: \"We are ready to help,'"),
    ("Putin agreed", "its first word 'Putin' is nowhere in the article"),
    ("Galuzin said. Lavrov added: \"We are ready to help, \"as always\" and in every way.\" Then",
     "after '\u2026\"as always\" and in every way.\"' it has 'Then' where the "
     "article has '(the end of the text)'"),
])
def test_where_a_quote_stops_matching(kb_data: Any, quote: str, said: str) -> None:
    article = kb_data.sources["001"]["text"]
    assert text.where_quote_stops(article, quote) == said


def test_a_draft_that_cannot_be_read_has_its_proposed_speakers_left_alone(
        kb_data: Any, make_kb: Callable[..., Path], run_nkb: Run) -> None:
    sources = kb_data.sources
    record = sources["002"]["record"]
    record["status"] = "draft"
    record["new_actors"] = [{"id": "new-speaker", "name": "New Speaker"}]
    record["quotes"][0]["speaker"] = "new-speaker"
    record["outlet"] = ["not", "text"]  # the record cannot be read
    result = run_nkb("check", kb=make_kb(sources=sources))
    assert result.exit_code == ExitCode.ERROR
    assert "expected text, found a list" in result.stderr
    assert "unknown speaker" not in result.stderr and "1 problem(s)" in result.stderr
