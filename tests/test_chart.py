"""`nkb chart`: what the chart counts (checked against `nkb quotes -f json`), that imprecise dates
are never put in their first month or year, the files it writes, and what it refuses."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nkb import chart, store
from nkb.errors import ExitCode

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def chart_kb(make_kb: Callable[..., Path], kb_data: Any) -> Path:
    """The fixture KB with a year-precise quote, an uncertain-month quote and an uncertain day."""
    record = kb_data.sources["002"]["record"]
    record["quotes"] += [
        {"id": "002-2", "speaker": "putin", "date": "2021", "text": "Putin was mentioned"},
        {"id": "002-3", "speaker": "zakharova", "date": "2021-06?", "kind": "paraphrase",
         "text": "The ceasefire"},
        {"id": "002-4", "speaker": "zakharova", "date": "2021-06-17?", "text": "must be observed"},
    ]
    return make_kb(sources=kb_data.sources)


def expected_from_json(rows: list[dict[str, Any]]) -> tuple[Counter[tuple[str, str]],
                                                              Counter[tuple[str, str]],
                                                              Counter[str]]:
    """Per (month, speaker): quotes certainly in that month, and those whose uncertain or
    approximate date is; and per date, the quotes dated more loosely than a month."""
    certain: Counter[tuple[str, str]] = Counter()
    doubtful: Counter[tuple[str, str]] = Counter()
    loose: Counter[str] = Counter()
    for row in rows:
        plain = re.fullmatch(r"(\d{4}-\d{2})(-\d{2})?([?~%]?)", row["date"])
        if plain is None:
            loose[row["date"]] += 1
        elif plain[3]:
            doubtful[plain[1], row["speaker"]] += 1
        else:
            certain[plain[1], row["speaker"]] += 1
    return certain, doubtful, loose


def test_quotes_by_month_counts_what_nkb_quotes_lists(run_nkb: Any, chart_kb: Path,
                                                      tmp_path: Path) -> None:
    listed = run_nkb("quotes", "-f", "json", "--limit", "0", kb=chart_kb)
    rows = json.loads(listed.stdout)
    out = tmp_path / "q.png"
    result = run_nkb("chart", "quotes-by-month", "-o", str(out), kb=chart_kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert f"({len(rows)} records)" in result.stderr

    data = chart.chart_data(store.open_kb(chart_kb), "quotes-by-month")
    certain, doubtful, loose = expected_from_json(rows)
    assert {(m, s): n for m, per in data.certain.items() for s, n in per.items()} == certain
    assert {(m, s): n for m, per in data.doubtful.items() for s, n in per.items()} == doubtful
    assert {s.date: s.count for s in data.spread} == loose
    assert data.total() == len(rows)

    picture = out.read_bytes()
    assert picture.startswith(PNG_MAGIC) and b"nkb chart" in picture
    from matplotlib import image

    height, width, _ = image.imread(out).shape
    assert width > 800 and height > 500


def test_a_year_precise_date_is_not_put_in_january(chart_kb: Path) -> None:
    data = chart.chart_data(store.open_kb(chart_kb), "quotes-by-month")
    assert "2021-01" not in data.certain and "2021-01" not in data.doubtful
    year = next(s for s in data.spread if s.date == "2021")
    assert (year.start, year.end, year.count) == ("2021-01-01", "2021-12-31", 1)
    assert data.doubtful["2021-06"] == {"Maria Zakharova": 2}  # 2021-06? and 2021-06-17?
    assert data.certain["2021-06"] == {"Maria Zakharova": 1}


def test_events_by_year_spreads_an_interval_over_its_years(run_nkb: Any, chart_kb: Path) -> None:
    listed = json.loads(run_nkb("events", "-f", "json", "--limit", "0", kb=chart_kb).stdout)
    data = chart.chart_data(store.open_kb(chart_kb), "events-by-year")
    assert data.certain == {"2019": {"events": 1}, "2023": {"events": 1}}
    assert [(s.date, s.start, s.end) for s in data.spread] == \
        [("2020/2022", "2020-01-01", "2022-12-31")]
    assert data.total() == len(listed)


def test_svg_is_the_same_bytes_for_the_same_kb(run_nkb: Any, chart_kb: Path,
                                               tmp_path: Path) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for target in (first, second):
        result = run_nkb("chart", "events-by-year", "-o", str(target), kb=chart_kb)
        assert result.exit_code == ExitCode.OK, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert b"<svg" in first.read_bytes() and b"nkb chart" in first.read_bytes()


def test_an_existing_file_is_replaced_only_if_nkb_drew_it(run_nkb: Any, chart_kb: Path,
                                                          tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.png", tmp_path / "theirs.png"
    assert run_nkb("chart", "quotes-by-month", "-o", str(ours), kb=chart_kb).exit_code == 0
    again = run_nkb("chart", "quotes-by-month", "-o", str(ours), kb=chart_kb)
    assert again.exit_code == ExitCode.ERROR and "already exists" in again.stderr
    assert run_nkb("chart", "quotes-by-month", "-o", str(ours), "--force",
                   kb=chart_kb).exit_code == ExitCode.OK
    theirs.write_bytes(PNG_MAGIC + b"a picture of theirs")
    refused = run_nkb("chart", "quotes-by-month", "-o", str(theirs), "--force", kb=chart_kb)
    assert refused.exit_code == ExitCode.ERROR and "is not a chart nkb wrote" in refused.stderr
    assert theirs.read_bytes() == PNG_MAGIC + b"a picture of theirs"


def test_a_file_that_is_neither_png_nor_svg_is_refused(run_nkb: Any, chart_kb: Path,
                                                       tmp_path: Path) -> None:
    result = run_nkb("chart", "quotes-by-month", "-o", str(tmp_path / "q.jpg"), kb=chart_kb)
    assert result.exit_code == ExitCode.ERROR
    assert "name the file .png or .svg" in result.stderr
    assert not (tmp_path / "q.jpg").exists()


def test_without_matplotlib_the_error_names_the_install_line(
        run_nkb: Any, chart_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    result = run_nkb("chart", "quotes-by-month", "-o", str(tmp_path / "q.png"), kb=chart_kb)
    assert result.exit_code == ExitCode.ERROR
    assert 'pip install "nkb[charts]"' in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "q.png").exists()


def test_other_commands_never_import_matplotlib(tmp_path: Path) -> None:
    import subprocess

    code = ("import sys; from nkb import cli; cli.main(['quotes', '-f', 'json']); "
            "print('matplotlib' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False"
