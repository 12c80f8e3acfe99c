"""Topics as a vocabulary: topics.yaml checked against the quotes, `nkb topics`, `--topic` on
quotes, search and the timeline, and topics in every JSON row of a quote."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import store
from nkb.errors import ExitCode

REPO = Path(__file__).resolve().parent.parent
VOCABULARY = [{"id": "ceasefire", "description": "Calls for a ceasefire"},
              {"id": "peace-treaty", "description": "The peace treaty"},
              {"id": "unused", "description": "A topic no quote carries"}]


def topical_kb(make_kb: Callable[..., Path], kb_data: Any, dump: Callable[[Any], str],
               vocabulary: list[dict[str, str]] | str = VOCABULARY) -> Path:
    """The fixture KB with topics on two quotes and a topics.yaml."""
    kb_data.sources["001"]["record"]["quotes"][0]["topics"] = ["peace-treaty"]
    kb_data.sources["002"]["record"]["quotes"][0]["topics"] = ["ceasefire", "peace-treaty"]
    root = make_kb(sources=kb_data.sources)
    text = vocabulary if isinstance(vocabulary, str) else dump(vocabulary)
    (root / "topics.yaml").write_text(text, encoding="utf-8")
    return root


def test_check_refuses_a_topic_not_in_the_vocabulary_and_suggests_the_nearest(
        make_kb: Callable[..., Path], kb_data: Any, dump: Any, run_nkb: Any,
        line_with: Any) -> None:
    root = topical_kb(make_kb, kb_data, dump)
    assert run_nkb("check", kb=root).exit_code == ExitCode.OK
    record = root / "sources" / "002.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("- ceasefire", "- ceasfire"),
                      encoding="utf-8")
    result = run_nkb("check", kb=root)  # the cache built by the run above must not answer
    assert result.exit_code == ExitCode.ERROR
    assert f"002.yaml:{line_with(record, 'ceasfire')}: quote '002-1': unknown topic " \
        "'ceasfire'" in result.stderr
    assert "did you mean ceasefire? Or add it to topics.yaml" in result.stderr


def test_editing_the_vocabulary_is_seen_by_the_next_check(
        make_kb: Callable[..., Path], kb_data: Any, dump: Any, run_nkb: Any) -> None:
    root = topical_kb(make_kb, kb_data, dump)
    assert run_nkb("quotes", kb=root).exit_code == ExitCode.OK  # a warm cache
    (root / "topics.yaml").write_text(dump(VOCABULARY[1:]), encoding="utf-8")
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    assert "quote '002-1': unknown topic 'ceasefire'" in result.stderr


def test_a_bad_vocabulary_is_reported_with_its_line(
        make_kb: Callable[..., Path], kb_data: Any, dump: Any, run_nkb: Any) -> None:
    twice = [*VOCABULARY, {"id": "ceasefire", "description": "again"}]
    root = topical_kb(make_kb, kb_data, dump, twice)
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    assert "topics.yaml:7: duplicate topic id 'ceasefire' (first at line 1)" in result.stderr
    root = topical_kb(make_kb, kb_data, dump, "- id: peace-treaty\n")
    result = run_nkb("check", kb=root)
    assert "topics.yaml:1: topic: missing required field `description`" in result.stderr


def test_a_kb_without_a_vocabulary_keeps_its_topics_free(
        make_kb: Callable[..., Path], kb_data: Any, run_nkb: Any) -> None:
    kb_data.sources["002"]["record"]["quotes"][0]["topics"] = ["anything"]
    root = make_kb(sources=kb_data.sources)
    assert run_nkb("check", kb=root).exit_code == ExitCode.OK
    listed = json.loads(run_nkb("topics", "-f", "json", kb=root).stdout)
    assert listed == [{"id": "anything", "quotes": 1, "description": None}]


def test_topics_lists_the_vocabulary_with_counts(
        make_kb: Callable[..., Path], kb_data: Any, dump: Any, run_nkb: Any) -> None:
    root = topical_kb(make_kb, kb_data, dump)
    listed = json.loads(run_nkb("topics", "-f", "json", kb=root).stdout)
    assert listed == [
        {"id": "ceasefire", "quotes": 1, "description": "Calls for a ceasefire"},
        {"id": "peace-treaty", "quotes": 2, "description": "The peace treaty"},
        {"id": "unused", "quotes": 0, "description": "A topic no quote carries"}]
    assert run_nkb("topics", kb=root).stdout.splitlines()[1] == \
        "peace-treaty\t2\tThe peace treaty"


def test_topic_narrows_quotes_search_and_timeline(
        make_kb: Callable[..., Path], kb_data: Any, dump: Any, run_nkb: Any) -> None:
    root = topical_kb(make_kb, kb_data, dump)
    quotes = json.loads(run_nkb("quotes", "--topic", "ceasefire", "-f", "json", kb=root).stdout)
    assert [(q["id"], q["topics"]) for q in quotes] == [("002-1", ["ceasefire", "peace-treaty"])]
    either = run_nkb("quotes", "-t", "ceasefire", "-t", "peace-treaty", "-f", "json", kb=root)
    assert [q["id"] for q in json.loads(either.stdout)] == ["002-1", "001-1"]
    guessed = run_nkb("quotes", "--topic", "ceasfire", "-f", "json", kb=root)
    assert "'ceasfire' taken as ceasefire (near spelling)" in guessed.stderr
    unknown = run_nkb("quotes", "--topic", "xyzzy", kb=root)
    assert unknown.exit_code == ExitCode.ERROR and unknown.stdout == ""
    assert "no topic matches 'xyzzy'" in unknown.stderr
    hits = json.loads(run_nkb("search", "ceasefire", "--topic", "peace-treaty", "-f", "json",
                              kb=root).stdout)
    assert [(h["kind"], h["id"], h["topics"]) for h in hits] == [
        ("quote", "002-1", ["ceasefire", "peace-treaty"])]
    refused = run_nkb("search", "ceasefire", "--topic", "ceasefire", "--kind", "event", kb=root)
    assert refused.exit_code == ExitCode.USAGE
    timeline = run_nkb("timeline", "--topic", "peace-treaty", "-f", "json", kb=root)
    data = json.loads(timeline.stdout)
    assert (data["events"], data["quotes"]) == (0, 2)
    assert "events carry no topics" in timeline.stderr


def test_the_mcp_list_quotes_tool_takes_a_topic(
        make_kb: Callable[..., Path], kb_data: Any, dump: Any, plain_env: None) -> None:
    from nkb import mcpserver

    lib = mcpserver.Library(topical_kb(make_kb, kb_data, dump))
    found = mcpserver.list_quotes(lib, topic="ceasefire")
    assert [(q["id"], q["topics"]) for q in found["quotes"]] == [
        ("002-1", ["ceasefire", "peace-treaty"])]


def test_the_shipped_vocabulary_covers_every_quote(run_nkb: Any) -> None:
    shipped = store.shipped_kb()
    assert run_nkb("check", kb=shipped).exit_code == ExitCode.OK
    listed = json.loads(run_nkb("topics", "-f", "json", kb=shipped).stdout)
    assert all(t["description"] and t["quotes"] > 0 for t in listed)
    border = listed[1]
    assert (border["id"], border["quotes"]) == ("border", 13)


@pytest.mark.parametrize("name", sorted(p.relative_to(REPO / "kb").as_posix()
                                        for p in (REPO / "kb").rglob("*") if p.is_file()))
def test_every_file_of_the_shipped_kb_is_package_data(name: str) -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["nkb.kb"]
    assert any(fnmatch.fnmatch(name, p) and name.count("/") == p.count("/") for p in patterns)
