"""The commands as a user runs them: filters, formats, JSON contracts, errors, safe output."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import __version__
from nkb.errors import ExitCode
from nkb.text import visible

Run = Callable[..., Any]  # conftest's run_nkb and nkb

COMMANDS = ("check", "source", "sources", "quotes", "events", "actors", "actor", "search")


def ok(result: Any) -> Any:
    assert result.exit_code == ExitCode.OK, result.stderr
    return result


def as_json(result: Any) -> Any:
    return json.loads(ok(result).stdout)


def ids(result: Any) -> list[str]:
    return [row["id"] for row in as_json(result)]


# --- JSON contracts -------------------------------------------------------------------------


def test_quotes_json_contract(nkb: Run) -> None:
    rows = as_json(nkb("quotes", "--format", "json"))
    assert all(list(row) == ["id", "speaker", "speaker_id", "text", "date", "source", "outlet",
                             "via", "kind", "topics", "status"] for row in rows)
    assert rows[0] == {
        "id": "002-1", "speaker": "Maria Zakharova", "speaker_id": "zakharova",
        "text": "The ceasefire must be observed", "date": "2021-06-17", "source": "002",
        "outlet": "Sputnik Armenia", "via": "Interfax", "kind": "direct", "topics": [],
        "status": "curated",
    }


def test_events_json_contract(nkb: Run) -> None:
    rows = as_json(nkb("events", "-f", "json"))
    assert all(list(row) == ["id", "date", "title", "description", "actors", "places", "sources"]
               for row in rows)
    assert rows[1] == {
        "id": "2020-2022-trilateral-agreements", "date": "2020/2022",
        "title": "Trilateral agreements at the highest level",
        "description": "Leaders signed a set of trilateral statements.",
        "actors": ["Vladimir Putin", "Russia"], "places": ["Moscow", "Sochi"], "sources": ["001"],
    }


def test_actors_json_contract(nkb: Run) -> None:
    rows = as_json(nkb("actors", "--format", "json"))
    assert all(list(row) == ["id", "name", "kind", "aliases", "roles", "member_of"]
               for row in rows)
    lavrov = next(row for row in rows if row["id"] == "lavrov")
    assert lavrov == {
        "id": "lavrov", "name": "Sergey Lavrov", "kind": "person",
        "aliases": ["Lavrov", "Sergei Lavrov", "Сергей Лавров", "Лавров"],
        "roles": [{"title": "Minister of Foreign Affairs of Russia", "date": "2023-02",
                   "sources": ["001"]}],
        "member_of": [],
    }
    # people by surname, the others by name
    assert [row["name"] for row in rows if row["kind"] == "person"] == [
        "Mikhail Galuzin", "Sergey Lavrov", "Vladimir Putin", "Andrey Rudenko", "Maria Zakharova"]


def test_source_json_contract(nkb: Run, kb_dir: Path) -> None:
    detail = as_json(nkb("source", "001", "--format", "json"))
    assert list(detail) == ["id", "title", "date", "date_basis", "outlet", "via", "dateline",
                            "status", "headline", "url", "text", "quotes", "events"]
    assert detail["headline"] is None and detail["url"] is None  # unknown, never invented
    assert detail["id"] == "001"
    assert detail["text"] == (kb_dir / "sources" / "001.txt").read_text(encoding="utf-8")
    assert [q["id"] for q in detail["quotes"]] == ["001-1", "001-2"]
    assert [e["id"] for e in detail["events"]] == [
        "2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]


@pytest.mark.parametrize("fmt", ["json", "table", "md"])
def test_source_id_without_leading_zeros(nkb: Run, fmt: str) -> None:
    assert ok(nkb("source", "3", "-f", fmt)).stdout == ok(nkb("source", "003", "-f", fmt)).stdout


def test_actor_json_profile(nkb: Run) -> None:
    profile = as_json(nkb("actor", "Galuzin", "-f", "json"))
    assert list(profile) == ["id", "name", "kind", "aliases", "roles", "member_of", "members",
                             "quotes", "members_quotes", "mentioned_in_quotes",
                             "mentioned_in_sources", "events"]
    assert [q["id"] for q in profile["quotes"]] == ["001-1"]
    assert profile["mentioned_in_sources"] == ["001"]  # its text names Galuzin
    assert [e["id"] for e in profile["events"]] == ["2023-02-khovayev-trips"]


def test_search_json(nkb: Run) -> None:
    hits = as_json(nkb("search", "ceasefire", "-f", "json"))
    assert [(h["kind"], h["id"]) for h in hits] == [("source", "002"), ("quote", "002-1")]
    quote = hits[1]
    assert {k: quote[k] for k in ("speaker", "date", "quote_kind", "status", "match")} == {
        "speaker": "Maria Zakharova", "date": "2021-06-17", "quote_kind": "direct",
        "status": "curated", "match": "words"}
    assert quote["snippet"] == "The ceasefire must be observed"
    assert [quote["snippet"][a:b] for a, b in quote["highlights"]] == ["ceasefire"]
    assert list(quote) == ["kind", "id", "score", "match", "speaker", "date", "quote_kind",
                           "topics", "status", "snippet", "highlights"]


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["002-1", "001-1", "001-2", "003-1"]),
        (("--speaker", "Galuzin"), ["001-1"]),
        (("-s", "Захарова"), ["002-1"]),
        (("--speaker", "rudenko"), ["003-1"]),
        (("--search", "ceasefire"), ["002-1"]),
        (("--search", "READY TO HELP"), ["001-2"]),
        (("--since", "2023-02-09"), ["001-1", "001-2", "003-1"]),  # 2023-02 overlaps the 9th
        (("--since", "2023-02-10"), ["001-1", "003-1"]),
        (("--until", "2023-01"), ["002-1"]),
        (("--since", "2022", "--until", "2023"), ["001-1", "001-2"]),
        (("--source", "1"), ["001-1", "001-2"]),
        (("--source", "002"), ["002-1"]),
        (("--outlet", "tass"), ["001-1", "001-2"]),
        (("--outlet", "Interfax"), ["002-1"]),  # the outlet it came via
        (("--speaker", "Galuzin", "--since", "2024"), []),
    ],
)
def test_quote_filters(nkb: Run, args: tuple[str, ...], expected: list[str]) -> None:
    assert ids(nkb("quotes", *args, "--format", "json")) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["2019-vienna-talks", "2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]),
        (("--since", "2021"), ["2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]),
        (("--since", "2020"), ["2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]),
        (("--until", "2019-06"), ["2019-vienna-talks"]),
        (("--since", "2023-02-10"), ["2023-02-khovayev-trips"]),
        (("--actor", "Putin"), ["2020-2022-trilateral-agreements"]),
        (("-a", "galuzin"), ["2023-02-khovayev-trips"]),
        (("--place", "sochi"), ["2020-2022-trilateral-agreements"]),
        (("--place", "Baku"), ["2023-02-khovayev-trips"]),
        (("--source", "3"), ["2023-02-khovayev-trips"]),
        (("--source", "001"), ["2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]),
        (("--search", "vienna"), ["2019-vienna-talks"]),
        (("--search", "statements"), ["2020-2022-trilateral-agreements"]),
        (("--limit", "1"), ["2019-vienna-talks"]),
        (("-n", "2", "--since", "2020"),
         ["2020-2022-trilateral-agreements", "2023-02-khovayev-trips"]),
    ],
)
def test_event_filters(nkb: Run, args: tuple[str, ...], expected: list[str]) -> None:
    assert ids(nkb("events", *args, "--format", "json")) == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("person", ["galuzin", "lavrov", "putin", "rudenko", "zakharova"]),  # by surname
     ("organisation", ["osce"]), ("state", ["russia"])],
)
def test_actors_kind(nkb: Run, kind: str, expected: list[str]) -> None:
    assert ids(nkb("actors", "--kind", kind, "-f", "json")) == expected


def test_search_limit(nkb: Run) -> None:
    result = nkb("search", "ceasefire", "--limit", "1", "-f", "json")
    assert ids(result) == ["002"]
    assert "1 of 2 shown" in result.stderr


def test_sources_in_date_order(nkb: Run) -> None:
    rows = as_json(nkb("sources", "-f", "json"))
    assert [r["id"] for r in rows] == ["002", "001", "003"]
    assert rows[0] == {"id": "002", "date": "2021-06-17", "outlet": "Sputnik Armenia",
                       "via": "Interfax", "title": "Zakharova on the ceasefire", "quotes": 1,
                       "status": "curated"}


# --- formats --------------------------------------------------------------------------------


def test_quotes_csv(nkb: Run) -> None:
    assert ok(nkb("quotes", "--source", "1", "--format", "csv")).stdout == (
        "id,date,speaker,kind,text,source,outlet,via,status\n"
        "001-1,2023-02,Mikhail Galuzin,paraphrase,Russia provides consistent assistance to "
        "Azerbaijan and Armenia,001,TASS,,curated\n"
        '001-2,2023-02-09,Sergey Lavrov,direct,"We are ready to help, ""as always"" and in every '
        'way",001,TASS,,curated\n'
    )


def test_quotes_md(nkb: Run) -> None:
    assert ok(nkb("quotes", "--source", "1", "--format", "md")).stdout == (
        "| id | date | speaker | kind | text | source | outlet | via | status |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        "| 001-1 | 2023-02 | Mikhail Galuzin | paraphrase | Russia provides consistent assistance"
        " to Azerbaijan and Armenia | 001 | TASS |  | curated |\n"
        '| 001-2 | 2023-02-09 | Sergey Lavrov | direct | We are ready to help, "as always" and in'
        " every way | 001 | TASS |  | curated |\n"
    )


def test_events_csv_joins_lists(nkb: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(nkb("events", "-f", "csv")).stdout)))
    assert rows[2] == {"id": "2023-02-khovayev-trips", "date": "2023-02",
                       "title": "Trips to Yerevan and Baku", "description": "Visits to both capitals.",
                       "actors": "Mikhail Galuzin", "places": "Yerevan; Baku", "sources": "001; 003"}


@pytest.mark.parametrize("command", [("quotes",), ("events",), ("actors",), ("sources",),
                                     ("search", "ceasefire")])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_every_listing_in_every_format(nkb: Run, command: tuple[str, ...], fmt: str) -> None:
    result = ok(nkb(*command, "--format", fmt))
    assert result.stderr == ""
    assert result.stdout.strip()
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), list)
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(result.stdout)))) > 1
    elif fmt == "md":
        assert result.stdout.splitlines()[1].startswith("|---|")


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_piped_table_is_plain_lines(nkb: Run) -> None:
    out = ok(nkb("quotes")).stdout
    assert "\x1b" not in out  # NO_COLOR and not a terminal: no colour codes
    assert not set("│┃━─┏┗") & set(out)
    assert "Mikhail Galuzin" in out and "Sputnik Armenia" in out


@pytest.mark.parametrize("width", [80, 100, 120])
def test_terminal_table_fits_the_width(nkb: Run, monkeypatch: pytest.MonkeyPatch,
                                       width: int) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    out = ANSI.sub("", ok(nkb("quotes")).stdout)
    assert max(len(line) for line in out.splitlines()) <= width
    assert ("┃" in out) is (width >= 120)  # narrower: one block per quote, no column dropped
    assert "Mikhail Galuzin" in out and "Sputnik Armenia" in out


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "piped"])
def test_golden_quotes_table(nkb: Run, golden: Callable[[str, str], None],
                             monkeypatch: pytest.MonkeyPatch, terminal: bool) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    name = "quotes_table.txt" if terminal else "quotes_piped.txt"
    golden(name, ANSI.sub("", ok(nkb("quotes")).stdout))


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "piped"])
def test_golden_events_table(nkb: Run, golden: Callable[[str, str], None],
                             monkeypatch: pytest.MonkeyPatch, terminal: bool) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    name = "events_table.txt" if terminal else "events_piped.txt"
    golden(name, ANSI.sub("", ok(nkb("events")).stdout))


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_single_record_views(nkb: Run, fmt: str) -> None:
    source = ok(nkb("source", "002", "-f", fmt)).stdout
    assert "Zakharova on the ceasefire" in source and "The ceasefire must be observed" in source
    actor = ok(nkb("actor", "Zakharova", "-f", fmt)).stdout
    assert "Maria Zakharova" in actor and "ceasefire" in actor and "observed" in actor


@pytest.mark.parametrize("args", [("source", "3"), ("actor", "lavrov")])
def test_single_record_views_refuse_csv(nkb: Run, args: tuple[str, ...]) -> None:
    result = nkb(*args, "--format", "csv")
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert "--format csv" in result.stderr


# --- errors and messages --------------------------------------------------------------------


def test_unknown_speaker(nkb: Run) -> None:
    result = nkb("quotes", "--speaker", "Lavrentiev")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert "no actor matches 'Lavrentiev'; did you mean Sergey Lavrov?" in result.stderr


@pytest.mark.parametrize("args", [("actor", "Smith"), ("events", "--actor", "Smith")])
def test_unknown_actor_elsewhere(nkb: Run, args: tuple[str, ...]) -> None:
    result = nkb(*args)
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert "no actor matches 'Smith'" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_actor_without_quotes_says_where_they_appear(nkb: Run, fmt: str) -> None:
    result = ok(nkb("quotes", "--speaker", "Putin", "-f", fmt))
    assert result.stderr == (
        "nkb: Vladimir Putin is in the KB but has no quotes; appears in 1 event(s) and "
        "source(s) 001, 002 (try `nkb actor putin`)\n"
    )
    assert result.stdout == ("[]\n" if fmt == "json" else "")


def test_filters_that_exclude_all_quotes_say_so(nkb: Run) -> None:
    result = ok(nkb("quotes", "--speaker", "lavrov", "--since", "2024"))
    assert result.stdout == ""
    assert "no quotes by Sergey Lavrov match these filters" in result.stderr


def test_ambiguous_name_lists_candidates(run_nkb: Run, make_kb: Callable[..., Path],
                                        kb_data: Any) -> None:
    actors = [*kb_data.actors,
              {"id": "ilham-aliyev", "name": "Ilham Aliyev", "kind": "person"},
              {"id": "heydar-aliyev", "name": "Heydar Aliyev", "kind": "person"}]
    kb = make_kb(actors=actors)
    for args in (("quotes", "--speaker", "Aliyev"), ("actor", "aliyev")):
        result = run_nkb(*args, kb=kb)
        assert result.exit_code == ExitCode.ERROR
        assert result.stdout == ""
        assert "matches several actors" in result.stderr
        assert "  Ilham Aliyev (ilham-aliyev)\n" in result.stderr
        assert "  Heydar Aliyev (heydar-aliyev)\n" in result.stderr


@pytest.mark.parametrize(
    "args",
    [("quotes", "--since", "2020-13"), ("quotes", "--until", "June"),
     ("events", "--since", "2023-02-30"), ("events", "--limit", "-1"),
     ("events", "--since", "2024", "--until", "2020"), ("quotes", "--kind", "hearsay"),
     ("quotes", "--sort", "colour"),
     ("actors", "--kind", "people"), ("quotes", "--format", "xml"), ("quotes", "--nope"),
     ("nosuchcommand",)],
)
def test_bad_arguments_exit_2(nkb: Run, args: tuple[str, ...]) -> None:
    result = nkb(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert "Error" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_date_says_what_is_accepted(nkb: Run) -> None:
    result = nkb("quotes", "--since", "2020-13")
    assert "--since" in result.stderr and "not an EDTF date" in result.stderr


def test_unknown_source(nkb: Run) -> None:
    result = nkb("source", "9")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert "no source '9'; the KB has sources: 001, 002, 003" in result.stderr
    assert nkb("quotes", "--source", "9").exit_code == ExitCode.ERROR


def test_nothing_found_by_search(nkb: Run) -> None:
    result = ok(nkb("search", "zzzzqqq"))
    assert result.stdout == ""
    assert "nothing matches 'zzzzqqq'" in result.stderr


def test_unexpected_error_is_one_line_not_a_traceback(
    nkb: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("nkb.search.find_quotes", boom)
    result = nkb("quotes")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert result.stderr.startswith("nkb: error: unexpected RuntimeError: disk on fire\n")
    assert "Traceback" not in result.stderr


# --- text that looks like markup ------------------------------------------------------------

def test_tricky_text_is_stored_as_written(kb_data: Any) -> None:
    # what a reader should see: the escape as \x1b, all else literal
    assert "\x1b" in kb_data.tricky_text and visible(kb_data.tricky_text).count("\\x1b") == 1


def test_table_shows_markup_literally(nkb: Run) -> None:
    out = ok(nkb("quotes", "--source", "3")).stdout
    for piece in ("[bold]x[/bold]", "[Sergey Lavrov]", "C:\\temp\\new", "\\x1b[31m"):
        assert piece in out
    assert "\x1b" not in out


def test_csv_shows_markup_literally(nkb: Run, kb_data: Any) -> None:
    out = ok(nkb("quotes", "--source", "3", "-f", "csv")).stdout
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["text"] == visible(kb_data.tricky_text)
    assert "\x1b" not in out


def test_md_escapes_markup_so_it_renders_literally(nkb: Run, kb_data: Any) -> None:
    out = ok(nkb("quotes", "--source", "3", "-f", "md")).stdout
    cell = out.splitlines()[2].split(" | ")[4]
    assert cell == r"\[bold\]x\[/bold\] said \[Sergey Lavrov\] about C:\\temp\\new and \\x1b\[31m red"
    # undoing Markdown's backslash escapes gives back exactly what the reader should see
    assert re.sub(r"\\(.)", r"\1", cell) == visible(kb_data.tricky_text)
    assert "\x1b" not in out


def test_json_round_trips_the_exact_text(nkb: Run, kb_data: Any) -> None:
    result = nkb("quotes", "--source", "3", "-f", "json")
    assert "\x1b" not in result.stdout
    assert as_json(result)[0]["text"] == kb_data.tricky_text
    assert as_json(nkb("source", "3", "-f", "json"))["quotes"][0]["text"] == kb_data.tricky_text


@pytest.mark.parametrize(
    "args",
    [("source", "3"), ("source", "3", "-f", "md"), ("actor", "rudenko"),
     ("actor", "rudenko", "-f", "md"), ("search", "bold"), ("search", "bold", "-f", "csv"),
     ("search", "[bold]"), ("sources",), ("sources", "-f", "md")],
)
def test_no_view_prints_the_escape_character(nkb: Run, args: tuple[str, ...]) -> None:
    result = ok(nkb(*args))
    assert "\x1b" not in result.stdout + result.stderr
    if "-f" not in args and args[0] != "sources":
        assert "[Sergey Lavrov]" in result.stdout


def test_a_query_is_never_read_as_markup(nkb: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # the title is drawn on a terminal only
    out = ok(nkb("search", "[bold]")).stdout
    assert "Search: [bold]" in out


def test_source_view_highlights_exactly_the_quote(kb_data: Any) -> None:
    from rich.text import Text

    from nkb.render import source_screen, to_rich

    tricky = kb_data.tricky_text
    article = f"Rudenko wrote: {tricky}. End."
    start = article.index(tricky)
    detail = {"id": "003", "title": "t", "text": article, "quotes": [], "events": [],
              "status": "curated"}
    panel = to_rich(source_screen(detail, [(start, start + len(tricky))]), 100).renderables[-1]
    text: Text = panel.renderable
    (span,) = text.spans
    assert text.plain[span.start:span.end] == visible(tricky)


# --- help and version -----------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(nkb: Run, command: str) -> None:
    result = ok(nkb(command, "--help"))
    assert "Example:" in result.stdout
    assert f"nkb {command}" in result.stdout


def test_top_level_help_lists_the_commands(nkb: Run) -> None:
    out = ok(nkb("--help")).stdout
    for command in COMMANDS:
        assert f"  {command} " in out


def test_version(nkb: Run) -> None:
    result = ok(nkb("--version"))
    assert result.stdout == f"nkb {__version__}\n"


# --- a reader that goes away ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_closed_stdout_is_not_an_error(kb_dir: Path, fmt: str) -> None:
    # `nkb quotes | head -1`: the reader may leave before nkb writes; that is a success
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "nkb", "--kb", str(kb_dir), "quotes", "-f", fmt],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False,
            env=os.environ | {"NO_COLOR": "1"},
        )
    finally:
        os.close(write_end)
    assert result.returncode == ExitCode.OK
    assert result.stderr == ""


@pytest.mark.parametrize("option", ["--speaker", "--source"])
def test_empty_filter_value_is_refused_not_ignored(nkb: Run, option: str) -> None:
    result = nkb("quotes", option, "")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""


def test_text_search_tolerates_a_missing_letter(nkb: Run) -> None:
    assert ids(nkb("events", "--search", "trilaterl", "-f", "json")) == [
        "2020-2022-trilateral-agreements"
    ]


def test_md_article_lines_never_become_lists_or_headings() -> None:
    from nkb.render import _md_text_with_marks

    text = "- not a list\n1. not numbered\n=== not a heading\nplain - dash and 2. number"
    assert _md_text_with_marks(text, []) == (
        "\\- not a list\n1\\. not numbered\n\\=== not a heading\nplain - dash and 2. number"
    )


def test_a_speaker_only_a_draft_proposes(run_nkb: Run, make_kb: Callable[..., Path],
                                         kb_data: Any) -> None:
    sources = kb_data.sources
    sources["004"] = {
        "record": {
            "id": "004", "title": "TODO: write a short title", "outlet": "TASS",
            "date": "2022-12-29", "file": "d.txt", "status": "draft",
            "quotes": [{"id": "004-1", "speaker": "dmitry-peskov", "speaker_name": "Dmitry Peskov",
                        "date": "2022-12-29", "text": "Talks will continue"}],
            "new_actors": [{"id": "dmitry-peskov", "name": "Dmitry Peskov"}],
        },
        "text": "\"Talks will continue,\" Kremlin Spokesman Dmitry Peskov said.\n",
    }
    kb = make_kb(sources=sources)
    proposed = "Dmitry Peskov (not a known actor: proposed in draft 004)"
    assert as_json(run_nkb("quotes", "--source", "4", "-f", "json", kb=kb)) == []  # a draft
    listed = as_json(run_nkb("quotes", "--source", "4", "--drafts", "-f", "json", kb=kb))
    assert [(q["speaker"], q["status"]) for q in listed] == [(proposed, "draft")]
    timeline = ok(run_nkb("timeline", "--source", "4", "--drafts", "-f", "json", kb=kb)).stdout
    assert f'"speaker": "{proposed}"' in timeline and '"draft": true' in timeline
    refused = run_nkb("quotes", "--speaker", "Peskov", kb=kb)
    assert refused.exit_code == ExitCode.ERROR
    assert "proposed as a new actor: 'Dmitry Peskov' in draft 004" in refused.stderr


def every_command() -> list[tuple[str, ...]]:
    """Every command the app offers, export's subcommands included."""
    import typer

    from nkb.cli import app

    group: Any = typer.main.get_command(app)
    out: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        out += [(name, sub) for sub in subcommands] if subcommands else [(name,)]
    return out


def test_the_command_list_is_complete() -> None:
    assert {c[0] for c in every_command()} >= {*COMMANDS, "timeline", "export", "add"}


@pytest.mark.parametrize("command", every_command(), ids=" ".join)
def test_every_command_has_an_example_and_a_readme_line(nkb: Run, command: tuple[str, ...]) -> None:
    assert "Example:" in ok(nkb(*command, "--help")).stdout
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"`nkb {' '.join(command)}" in readme
