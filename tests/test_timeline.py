"""`nkb timeline`: years and months, partial dates drawn as what they are, gaps collapsed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import dates, index, names, store, timeline
from nkb.errors import ExitCode

Run = Callable[..., Any]

BRACKETS = "[bold]Talks[/bold] are [not] over"

ACTORS = [
    {"id": "lavrov", "name": "Sergey Lavrov", "kind": "person", "aliases": ["Lavrov"]},
    {"id": "russia", "name": "Russia", "kind": "state"},
]
EVENTS = [
    {"id": "1994-ceasefire", "date": "1994", "title": "Ceasefire agreed",
     "actors": ["russia"], "sources": ["001"]},
    {"id": "2001-05-talks", "date": "2001-05", "title": "Talks in May", "sources": ["001"]},
    {"id": "2001-05-03-meeting", "date": "2001-05-03", "title": "Ministers meet",
     "actors": ["lavrov"], "sources": ["001", "002"]},
    {"id": "2001-06-clashes", "date": "2001-06~", "title": "Clashes", "sources": ["002"]},
    {"id": "2001-round", "date": "2001-05-30/2001-06-02", "title": "A round of talks",
     "sources": ["002"]},
    {"id": "frozen", "date": "../2002-03", "title": "Talks frozen", "sources": ["002"]},
    {"id": "2010-summit", "date": "2010-10-10", "title": "Summit", "actors": ["lavrov"],
     "sources": ["002"]},
]
SOURCES: dict[str, dict[str, Any]] = {
    "001": {
        "record": {"id": "001", "title": "Lavrov on talks", "outlet": "TASS",
                   "date": "2001-05-04?", "file": "001.txt",
                   "quotes": [{"id": "001-1", "speaker": "lavrov", "date": "2001-05-04?",
                               "text": BRACKETS}]},
        "text": f"Lavrov: {BRACKETS}.\n",
    },
    "002": {
        "record": {"id": "002", "title": "Russia on the summit", "outlet": "RIA",
                   "date": "2010-10-10", "file": "002.txt",
                   "quotes": [{"id": "002-1", "speaker": "russia", "date": "2010-10-10",
                               "kind": "paraphrase",
                               "text": "the summit " + "went well and " * 12 + "ended"}]},
        "text": "Moscow said the summit " + "went well and " * 12 + "ended.\n",
    },
}


@pytest.fixture
def timeline_kb(tmp_path: Path, write_kb: Callable[..., Path]) -> Path:
    """The fixture KB above as files."""
    return write_kb(tmp_path / "kb", actors=ACTORS, events=EVENTS, sources=SOURCES)


@pytest.fixture
def kb(timeline_kb: Path) -> index.KB:
    return store.open_kb(timeline_kb)


def shape(built: timeline.Timeline) -> list[Any]:
    """Years with their months' entry ids, and gaps, as plain lists."""
    out: list[Any] = []
    for section in built.sections:
        if isinstance(section, timeline.Gap):
            out.append(("gap", section.first, section.last, section.within_spans))
        else:
            out.append((section.year, [(g.month, [e.id for e in g.entries])
                                       for g in section.groups]))
    return out


def entries(built: timeline.Timeline) -> list[timeline.Entry]:
    return [e for s in built.sections if isinstance(s, timeline.Year)
            for g in s.groups for e in g.entries]


def plain(text: str) -> str:
    """Rendered output without the padding rich adds at line ends."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


# --- building ---------------------------------------------------------------------------------


def test_groups_by_year_and_month_and_collapses_empty_years(kb: index.KB) -> None:
    assert shape(timeline.build(kb)) == [
        (1994, [(None, ["1994-ceasefire"])]),
        ("gap", 1995, 2000, False),
        (2001, [(None, ["2001-round"]),
                (5, ["2001-05-talks", "2001-05-03-meeting", "001-1"]),
                (6, ["2001-06-clashes"])]),
        # an open-started date is placed where it ends
        (2002, [(None, ["frozen"])]),
        ("gap", 2003, 2009, False),
        (2010, [(10, ["2010-summit", "002-1"])]),
    ]


def test_a_gap_inside_a_longer_date_says_so(kb: index.KB) -> None:
    gaps = timeline.sections([
        timeline.event_entry(kb, e) for e in kb.events if e.id in ("1994-ceasefire",)
    ] + [timeline.quote_entry(kb, q) for q in kb.quotes if q.id == "002-1"])
    assert [timeline.gap_label(g) for g in gaps if isinstance(g, timeline.Gap)] == [
        f"… 1995{timeline.DASH}2009: nothing …"
    ]
    spanning = timeline._gaps(1992, 1999, covered={1992, 1993})
    assert [timeline.gap_label(g) for g in spanning] == [
        f"… 1992{timeline.DASH}1993: only the longer dates above …",
        f"… 1994{timeline.DASH}1999: nothing …",
    ]


@pytest.mark.parametrize(("edtf", "precision", "length"), [
    ("2001-05-03", "day", "day"),
    ("2001-05-04?", "day", "day?"),
    ("2001-05", "month", "month"),
    ("2001-06~", "month", "~month"),
    ("2020-07%", "month", "~month?"),
    ("1994", "year", "year"),
    ("199X", "decade", "decade"),
    ("2001-05-30/2001-06-02", "interval", "4 days"),
    ("2023-02-09?/2023-02-10?", "interval", "2 days?"),
    ("1991/1994?", "interval", "4 years?"),
    ("2019-03/2020-02-11", "interval", "11 months"),
    ("../2002-03", "open", "open start"),
    ("2002/..", "open", "open end"),
])
def test_a_date_is_described_as_what_it_is(edtf: str, precision: str, length: str) -> None:
    assert timeline.describe(edtf, dates.parse_edtf(edtf)) == (precision, length)


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_only_an_exact_day_is_drawn_as_a_day(which: str, kb: index.KB) -> None:
    source = kb if which == "fixture" else store.open_kb(store.shipped_kb())
    for entry in entries(timeline.build(source)):
        assert (entry.length == "day") == dates.is_exact_day(entry.date), entry
        if entry.length.startswith("day"):
            assert entry.start == entry.end
        assert entry.uncertain == ("?" in entry.length)
        assert entry.approximate == entry.length.startswith("~")


def test_a_month_group_holds_only_dates_within_that_month(kb: index.KB) -> None:
    for section in timeline.build(store.open_kb(store.shipped_kb())).sections:
        if isinstance(section, timeline.Gap):
            continue
        for group in section.groups:
            for entry in group.entries:
                if group.month is None:
                    assert entry.start[:7] != entry.end[:7] or entry.start == dates.EARLIEST
                else:
                    assert entry.start[:7] == entry.end[:7] == f"{section.year}-{group.month:02d}"


def built(kb: index.KB, **wanted: Any) -> timeline.Timeline:
    return timeline.build(kb, timeline.TimelineFilter(**wanted))


def test_filters(kb: index.KB) -> None:
    lavrov = names.resolve_actor(kb, "Lavrov").value
    ids = [e.id for e in entries(built(kb, actors=(lavrov,)))]
    assert ids == ["2001-05-03-meeting", "001-1", "2010-summit"]
    assert [e.kind for e in entries(built(kb, events_only=True))] == ["event"] * 7
    since = dates.parse_query_date("2002")
    assert [e.id for e in entries(built(kb, since=since))] == [
        "frozen", "2010-summit", "002-1"
    ]
    assert [e.id for e in entries(built(kb, sources=("001",)))] == [
        "1994-ceasefire", "2001-05-talks", "2001-05-03-meeting", "001-1"
    ]
    assert [e.id for e in entries(built(kb, kinds=("paraphrase",)))
            if e.kind == "quote"] == ["002-1"]


def test_quote_entries_show_speaker_kind_and_the_whole_quote(kb: index.KB) -> None:
    quote = next(e for e in entries(built(kb)) if e.id == "002-1")
    assert quote.speaker == "Russia"
    assert quote.quote_kind == "paraphrase"
    assert quote.text == kb.sources["002"].quotes[0].text  # never cut
    assert quote.sources == ("002",)


# --- the command ------------------------------------------------------------------------------


def test_fixture_timeline(golden: Callable[[str, str], None], run_nkb: Run, timeline_kb: Path) -> None:
    result = run_nkb("timeline", kb=timeline_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stderr == ""
    assert BRACKETS in result.stdout  # KB text is never read as markup
    golden("timeline_fixture.txt", plain(result.stdout))


def test_shipped_timeline(golden: Callable[[str, str], None], run_nkb: Run) -> None:
    result = run_nkb("timeline", kb=store.shipped_kb())
    assert result.exit_code == ExitCode.OK, result.stderr
    golden("timeline_shipped.txt", plain(result.stdout))


def test_json_format(run_nkb: Run, timeline_kb: Path, kb: index.KB) -> None:
    result = run_nkb("timeline", "--format", "json", kb=timeline_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    data = json.loads(result.stdout)
    assert (data["events"], data["quotes"]) == (7, 2)
    assert data == timeline.to_data(timeline.build(kb))
    assert data["sections"][1] == {"type": "gap", "first": 1995, "last": 2000,
                                   "within_spans": False}
    first = data["sections"][0]["groups"][0]["entries"][0]
    assert first == {
        "kind": "event", "id": "1994-ceasefire", "date": "1994", "start": "1994-01-01",
        "end": "1994-12-31", "precision": "year", "length": "year", "approximate": False,
        "uncertain": False, "text": "Ceasefire agreed", "speaker": None, "quote_kind": None,
        "sources": ["001"], "draft": False, "topics": [],
    }


def test_nothing_matches(run_nkb: Run, timeline_kb: Path) -> None:
    result = run_nkb("timeline", "--since", "2030", kb=timeline_kb)
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ""
    assert result.stderr == "nkb: no events or quotes match these filters\n"


def test_csv_and_markdown_list_every_entry_whole(run_nkb: Run, timeline_kb: Path,
                                                kb: index.KB) -> None:
    result = run_nkb("timeline", "--format", "csv", kb=timeline_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == [e.id for e in entries(built(kb))]
    [quote] = [r for r in rows if r["id"] == "002-1"]
    assert quote["quote_kind"] == "paraphrase" and quote["text"] == kb.sources["002"].quotes[0].text
    md = run_nkb("timeline", "--format", "md", kb=timeline_kb)
    assert md.exit_code == ExitCode.OK and md.stdout.count("\n| ") == len(rows)
