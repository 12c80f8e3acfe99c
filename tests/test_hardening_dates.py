"""A date means one thing everywhere: written with the digits 0-9, in the years 1 to 9999.

Digits of other scripts (fullwidth, Arabic-Indic, Devanagari) and the year 0 (`0000-06`,
an unspecified `XXXX-12-25`) are refused with the same message by `check`, by every date filter
and by `nkb add --date`, so no listing, export or view ever meets them."""

from __future__ import annotations

import contextlib
import io
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkb.dates import EARLIEST, DateError, parse_edtf, parse_query_range
from nkb.errors import ExitCode

Run = Callable[..., Any]

FULLWIDTH_2020 = "\uff12\uff10\uff12\uff10"
ARABIC_INDIC_2021 = "\u0662\u0660\u0662\u0661"
FOREIGN_DIGITS = {
    "\uff12\uff10\uff12\uff10-07": "2020-07",  # fullwidth
    "\u0662\u0660\u0662\u0660-\u0660\u0667-\u0661\u0666": "2020-07-16",  # Arabic-Indic
    "\u06f2\u06f0\u06f2\u06f0": "2020",  # Extended Arabic-Indic (Persian)
    "\u0968\u0966\u0968\u0966~": "2020~",  # Devanagari, with an EDTF qualifier
    "2020/\uff12\uff10\uff12\uff11": "2020/2021",  # one end of an interval
}
YEAR_ZERO = ["0000", "0000-06", "0000-06-15", "0000~", "XXXX-12-25", "XXXX", "000X", "0XXX",
             "0000-01-01/2020", "../0000-06", "{0000,2020}"]


@pytest.mark.parametrize(("typed", "ascii_form"), FOREIGN_DIGITS.items())
def test_digits_of_other_scripts_are_refused_with_their_0_9_spelling(typed: str,
                                                                       ascii_form: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_edtf(typed)
    assert f"write {ascii_form!r}" in str(refused.value)
    assert parse_edtf(ascii_form)  # the spelling offered is a date nkb reads


def test_a_character_that_is_no_digit_is_named_without_a_spelling() -> None:
    with pytest.raises(DateError) as refused:
        parse_edtf("2020\u20132021")  # an en dash, not EDTF's slash
    assert "U+2013" in str(refused.value)
    assert "write" not in str(refused.value).split(":")[-1]


@given(st.integers(min_value=1, max_value=9999),
       st.sampled_from([c for c in map(chr, range(0x80, 0x10000))
                        if unicodedata.decimal(c, None) is not None]))
def test_any_foreign_digit_anywhere_in_a_year_is_refused(year: int, digit: str) -> None:
    text = f"{year:04d}"
    at = year % 4
    with pytest.raises(DateError, match="digits 0-9"):
        parse_edtf(text[:at] + digit + text[at + 1:])


@pytest.mark.parametrize("typed", YEAR_ZERO)
def test_the_year_0_is_refused_however_it_is_reached(typed: str) -> None:
    with pytest.raises(DateError, match="year 0"):
        parse_edtf(typed)


@pytest.mark.parametrize("typed", ["2020\n", " 2020", "2020 /2021", "2020-07\t"])
def test_white_space_inside_a_kb_date_is_refused(typed: str) -> None:
    with pytest.raises(DateError, match="white space"):
        parse_edtf(typed)


@pytest.mark.parametrize(("typed", "start", "end"), [
    ("0001", "0001-01-01", "0001-12-31"), ("0001-01-01", "0001-01-01", "0001-01-01"),
    ("9999-12", "9999-12-01", "9999-12-31"), ("../0001-06", EARLIEST, "0001-06-30"),
    ("000X", None, None)])
def test_the_first_and_last_years_are_read(typed: str, start: str | None,
                                           end: str | None) -> None:
    if start is None:
        with pytest.raises(DateError):  # 0-9 includes the year 0
            parse_edtf(typed)
        return
    span = parse_edtf(typed)
    assert (span.start, span.end) == (start, end)


def test_only_an_open_start_begins_at_the_earliest_day() -> None:
    # the open start's marker can no longer be mistaken for a real date in the year 0
    assert parse_edtf("../2023-02").start == EARLIEST
    for typed in ("0001", "0001/2020", "1XXX"):
        assert parse_edtf(typed).start != EARLIEST


def test_typed_ranges_refuse_like_kb_dates() -> None:
    for since, until in ((FULLWIDTH_2020, None), (None, "0000"), ("2020", "XXXX-12-25")):
        with pytest.raises(DateError):
            parse_query_range(since, until)


# --- the same refusal in every command ------------------------------------------------------


@pytest.mark.parametrize("bad", [f"{FULLWIDTH_2020}-07", "0000-06", "XXXX-12-25",
                                 ARABIC_INDIC_2021])
@pytest.mark.parametrize("field", ["event", "quote", "source", "role"])
def test_check_refuses_the_date_with_its_line(bad: str, field: str, kb_data: Any,
                                              make_kb: Callable[..., Path], run_nkb: Run,
                                              line_with: Callable[[Path, str], int]) -> None:
    if field == "event":
        kb_data.events[0]["date"] = bad
        where = "events.yaml"
    elif field == "quote":
        kb_data.sources["002"]["record"]["quotes"][0]["date"] = bad
        where = "sources/002.yaml"
    elif field == "source":
        kb_data.sources["002"]["record"]["date"] = bad
        where = "sources/002.yaml"
    else:
        kb_data.actors[0]["roles"][0]["date"] = bad
        where = "actors.yaml"
    kb = make_kb(actors=kb_data.actors, events=kb_data.events, sources=kb_data.sources)
    result = run_nkb("check", kb=kb)
    assert result.exit_code == ExitCode.ERROR
    assert f"{where}:{line_with(kb / where, bad)}: invalid date: {bad!r}" in result.stderr
    # nothing downstream reads the KB either: not a listing, an export or the timeline
    for command in (["events", "--since", "2021"], ["timeline"], ["export", "jsonl", "-"],
                    ["quotes", "-f", "csv"]):
        refused = run_nkb(*command, kb=kb)
        assert (refused.exit_code, refused.stdout) == (ExitCode.ERROR, "")
        assert "run `nkb check`" in refused.stderr


@pytest.mark.parametrize("typed", [FULLWIDTH_2020, ARABIC_INDIC_2021, "0000", "XXXX-12-25",
                                   "0000-06/2020"])
@pytest.mark.parametrize("command", ["quotes", "events", "timeline"])
def test_every_date_filter_refuses_it_as_a_usage_error(typed: str, command: str, nkb: Any) -> None:
    result = nkb(command, "--since", typed)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert "--since" in result.stderr
    result = nkb(command, "--until", typed)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")


def test_add_refuses_a_foreign_digit_date(kb_dir: Path, run_nkb: Run, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("TASS. Galuzin said: \u201cThe talks go on.\u201d\n", encoding="utf-8")
    before = sorted(p.name for p in (kb_dir / "sources").iterdir())
    result = run_nkb("add", str(article), "--date", f"{FULLWIDTH_2020}-06", "--outlet", "TASS", kb=kb_dir)
    assert result.exit_code == ExitCode.USAGE
    assert "write '2020-06'" in result.stderr
    assert sorted(p.name for p in (kb_dir / "sources").iterdir()) == before


def test_the_first_and_last_years_run_through_every_view(kb_data: Any,
                                                         make_kb: Callable[..., Path],
                                                         run_nkb: Run) -> None:
    kb_data.events[0]["date"] = "0001-06"
    kb_data.events[1]["date"] = "../0002"
    kb_data.events[2]["date"] = "9999-12-31"
    kb = make_kb(events=kb_data.events)
    assert run_nkb("check", kb=kb).exit_code == ExitCode.OK
    shown = run_nkb("timeline", "--events-only", kb=kb)
    assert shown.exit_code == ExitCode.OK
    assert "0001-06" in shown.stdout and "9999-12-31" in shown.stdout
    data = json.loads(run_nkb("timeline", "-f", "json", "--events-only", kb=kb).stdout)
    years = [s["year"] for s in data["sections"] if s["type"] == "year"]
    assert years[0] == 1 and years[-1] == 9999
    old = json.loads(run_nkb("events", "--until", "0001", "-f", "json", kb=kb).stdout)
    assert {e["id"] for e in old} == {kb_data.events[0]["id"], kb_data.events[1]["id"]}
    lines = run_nkb("export", "jsonl", "-", kb=kb).stdout.splitlines()
    exported = {r["id"]: r for r in map(json.loads, lines) if r.get("type") == "event"}
    assert exported[kb_data.events[0]["id"]]["date_start"] == "0001-06-01"
    assert exported[kb_data.events[1]["id"]]["date_start"] == EARLIEST


@given(st.text(alphabet="0129X-/.~?%[]{},SYEu", max_size=14))
def test_any_date_text_gives_a_span_or_a_date_error_and_prints_nothing(text: str) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        try:
            span = parse_edtf(text)
        except DateError:
            span = None
    assert printed.getvalue() == ""
    if span is not None:
        assert EARLIEST <= span.start <= span.end <= "9999-12-31"
        assert span.start == EARLIEST or span.start >= "0001-01-01"


@pytest.mark.parametrize("printed", [ARABIC_INDIC_2021 + "-\u0660\u0666-\u0661\u0667",
                                     "\uff12\uff10\uff12\uff11-\uff10\uff16-\uff11\uff17"])
def test_an_articles_own_digits_are_read_as_their_value_and_written_0_9(
        printed: str, kb_dir: Path, run_nkb: Run, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the text is the article as printed: read, never refused; the KB gets the date in 0-9
    monkeypatch.setenv("NKB_TODAY", "2024-01-01")
    article = tmp_path / "article.txt"
    article.write_text(f"date {printed}\nTASS\n\nMOSCOW. Galuzin told reporters: \u201cThe "
                       "border commissions will meet again in Almaty next month.\u201d\n",
                       encoding="utf-8")
    result = run_nkb("add", str(article), "--outlet", "TASS", kb=kb_dir)
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = Path(result.stdout.strip()).read_text(encoding="utf-8")
    assert "\ndate: '2021-06-17'\n" in draft
    assert printed in draft  # the basis quotes the text as printed
    assert run_nkb("check", kb=kb_dir).exit_code == ExitCode.OK


@pytest.mark.parametrize("where", ["actor", "event", "quote", "speaker", "url"])
def test_an_id_or_address_with_a_final_line_break_is_refused(where: str, kb_data: Any,
                                                             make_kb: Callable[..., Path],
                                                             run_nkb: Run) -> None:
    # Python's `$` matches before a final "\n": "lavrov\n" must not pass for an id
    if where == "actor":
        kb_data.actors[-1]["id"] = "russia\n"
    elif where == "event":
        kb_data.events[0]["id"] += "\n"
    elif where == "quote":
        kb_data.sources["002"]["record"]["quotes"][0]["id"] = "002-1\n"
    elif where == "speaker":
        kb_data.sources["002"]["record"]["quotes"][0]["speaker"] = "zakharova\n"
    else:
        kb_data.sources["002"]["record"]["url"] = "https://example.org/news/1\n"
    kb = make_kb(actors=kb_data.actors, events=kb_data.events, sources=kb_data.sources)
    result = run_nkb("check", kb=kb)
    assert result.exit_code == ExitCode.ERROR
    assert "\\n'" in result.stderr  # the value is named, its line break shown
