"""`nkb site`: the pages, their data, escaping, drafts, same bytes for the same KB, and what it
refuses to overwrite. The pages in a real browser: tests/test_site_browser.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from nkb.errors import ExitCode

SCRIPT = "<script>alert('x')</script>"


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((name, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Elements:
    page = Elements()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def script_data(path: Path) -> Any:
    """The JSON a data script assigns to window.NAME."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1:].strip().rstrip(";"))


@pytest.fixture
def site_kb(make_kb: Callable[..., Path], kb_data: Any) -> Path:
    """The fixture KB with markup in an article and an uncertain, a month and an interval date."""
    kb_data.sources["002"]["text"] += f"Someone wrote {SCRIPT} here.\n"
    kb_data.events.append({"id": "2022-05-uncertain-meeting", "date": "2022-05?",
                           "title": "A meeting in May 2022?", "sources": ["002"]})
    return make_kb(events=kb_data.events, sources=kb_data.sources)


def build(run_nkb: Any, kb: Path, target: Path, *extra: str) -> Any:
    result = run_nkb("site", str(target), *extra, kb=kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    return result


def test_site_has_a_page_per_record_and_says_what_it_wrote(run_nkb: Any, site_kb: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build(run_nkb, site_kb, out)
    assert result.stdout == ""
    assert "3 sources, 4 quotes, 4 events, 7 actors" in result.stderr
    for name in ("index.html", "timeline.html", "search.html", "sources.html", "events.html",
                 "actors.html", "timeline-data.js", "search-index.js", "assets/site.css",
                 "assets/timeline.js", "assets/search.js", "assets/ASSETS-LICENSE.txt",
                 "sources/001.html", "sources/003.html", "actors/lavrov.html",
                 "events/2020-2022-trilateral-agreements.html"):
        assert (out / name).is_file(), name
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert len([p for p in pages if p.startswith("actors/")]) == 7
    assert len([p for p in pages if p.startswith("events/")]) == 4


def test_every_link_between_pages_resolves(run_nkb: Any, site_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(run_nkb, site_kb, out)
    for page_path in out.rglob("*.html"):
        page = parse(page_path)
        ids = {a["id"] for _, a in page.elements if "id" in a}
        for name, attrs in page.elements:
            target = attrs.get("href") or attrs.get("src") if name in ("a", "link", "script") \
                else None
            if not target or target.startswith("http"):
                continue
            file, _, anchor = target.partition("#")
            resolved = (page_path.parent / file) if file else page_path
            assert resolved.is_file(), f"{page_path}: {target}"
            if anchor:
                assert anchor in ({a["id"] for _, a in parse(resolved).elements if "id" in a}
                                  if file else ids), f"{page_path}: {target}"


def test_a_source_page_marks_each_quote_with_its_kind_and_id(run_nkb: Any, site_kb: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(run_nkb, site_kb, out)
    page = parse(out / "sources" / "001.html")
    marks = {(a["data-quotes"], a["class"]) for n, a in page.elements if "data-quotes" in a}
    assert ("001-1", "paraphrase") in marks and ("001-2", "direct") in marks
    anchors = {a["id"] for _, a in page.elements if "id" in a}
    assert {"001-1", "001-2", "text-001-1", "text-001-2"} <= anchors
    html = (out / "sources" / "001.html").read_text(encoding="utf-8")
    assert '"container-title": "TASS"' in html.replace("&quot;", '"')  # CSL-JSON to copy
    assert "@article{nkb-001," in html  # BibTeX
    assert "[Galuzin on the peace treaty]" in html  # the citation line: a supplied title


def test_article_text_is_shown_never_run(run_nkb: Any, site_kb: Path, tmp_path: Path,
                                         kb_data: Any) -> None:
    out = tmp_path / "site"
    build(run_nkb, site_kb, out)
    source = (out / "sources" / "002.html").read_text(encoding="utf-8")
    assert SCRIPT not in source
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in source
    assert SCRIPT in "".join(parse(out / "sources" / "002.html").text)  # what a reader sees
    tricky = "".join(parse(out / "sources" / "003.html").text)
    assert "[bold]x[/bold] said [Sergey Lavrov] about C:\\temp\\new and \\x1b[31m red" in tricky
    search = (out / "search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in search and "\\u003c/script>" in search
    assert SCRIPT in json.dumps(script_data(out / "search-index.js"))  # the data is exact


def test_timeline_data_holds_every_record_with_its_date_as_it_is(run_nkb: Any, site_kb: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(run_nkb, site_kb, out)
    data = script_data(out / "timeline-data.js")
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]
    assert len(rows) == 4 + 4
    by_id = {r["id"]: r for r in rows}
    assert by_id["2023-02-khovayev-trips"] | {} == by_id["2023-02-khovayev-trips"]
    month = by_id["2023-02-khovayev-trips"]
    assert (month["precision"], month["start"], month["end"]) == ("month", "2023-02-01", "2023-02-28")
    interval = by_id["2020-2022-trilateral-agreements"]
    assert (interval["precision"], interval["start"], interval["end"]) == \
        ("interval", "2020-01-01", "2022-12-31")
    unsure = by_id["2022-05-uncertain-meeting"]
    assert (unsure["date"], unsure["uncertain"], unsure["precision"]) == ("2022-05?", 1, "month")
    assert by_id["001-1"]["type"] == "paraphrase" and by_id["001-2"]["type"] == "direct"
    assert by_id["001-2"]["href"] == "sources/001.html#001-2"


def test_the_search_index_holds_quotes_events_actors_and_whole_articles(
        run_nkb: Any, site_kb: Path, tmp_path: Path, kb_data: Any) -> None:
    out = tmp_path / "site"
    build(run_nkb, site_kb, out)
    data = script_data(out / "search-index.js")
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]
    kinds = [r["kind"] for r in rows]
    assert (kinds.count("quote"), kinds.count("event"), kinds.count("actor"),
            kinds.count("source")) == (4, 4, 7, 3)
    article = next(r for r in rows if r["kind"] == "source" and r["id"] == "002")
    assert article["text"] == kb_data.sources["002"]["text"]


def test_the_same_kb_gives_the_same_bytes(run_nkb: Any, site_kb: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build(run_nkb, site_kb, first)
    build(run_nkb, site_kb, second)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert files(first) == files(second)


def test_drafts_are_left_out_unless_asked_then_marked_on_every_page(
        run_nkb: Any, make_kb: Callable[..., Path], kb_data: Any, tmp_path: Path) -> None:
    kb_data.sources["003"]["record"]["status"] = "draft"
    kb = make_kb(sources=kb_data.sources)
    plain, drafts = tmp_path / "plain", tmp_path / "drafts"
    build(run_nkb, kb, plain)
    assert not (plain / "sources" / "003.html").exists()
    assert "003-1" not in (plain / "timeline-data.js").read_text(encoding="utf-8")
    assert "DRAFT" not in "".join(p.read_text(encoding="utf-8") for p in plain.rglob("*.html"))
    build(run_nkb, kb, drafts, "--drafts")
    for page in drafts.rglob("*.html"):
        assert "This site includes drafts" in page.read_text(encoding="utf-8"), page
    assert "DRAFT</span>" in (drafts / "sources" / "003.html").read_text(encoding="utf-8")
    data = script_data(drafts / "timeline-data.js")
    draft_rows = [r for r in data["rows"] if r[data["fields"].index("draft")]]
    assert [r[1] for r in draft_rows] == ["003-1"]


def test_a_previous_site_is_replaced_whole(run_nkb: Any, site_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(run_nkb, site_kb, out)
    (out / "sources" / "001.html").write_text("stale", encoding="utf-8")
    build(run_nkb, site_kb, out)
    assert "stale" not in (out / "sources" / "001.html").read_text(encoding="utf-8")
    assert (out / ".nkb-site").read_text(encoding="utf-8").splitlines()[1:] == sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != ".nkb-site")


def test_an_empty_folder_is_filled(run_nkb: Any, site_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    build(run_nkb, site_kb, out)
    assert (out / "index.html").is_file()


@pytest.mark.parametrize(("setup", "words"), [
    ("foreign folder", "is not empty and is not a site nkb wrote"),
    ("file added to a site", "holds notes.txt, which nkb did not write"),
    ("a file", "exists and is not a folder"),
    ("inside the KB", "is inside the KB folder"),
])
def test_what_is_not_nkbs_is_never_touched(run_nkb: Any, site_kb: Path, tmp_path: Path,
                                           setup: str, words: str) -> None:
    out = tmp_path / "target"
    if setup == "foreign folder":
        out.mkdir()
        (out / "thesis.txt").write_text("mine", encoding="utf-8")
    elif setup == "file added to a site":
        build(run_nkb, site_kb, out)
        (out / "notes.txt").write_text("mine", encoding="utf-8")
    elif setup == "a file":
        out.write_text("mine", encoding="utf-8")
    else:
        out = site_kb / "site"
    before = {str(p): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = run_nkb("site", str(out), kb=site_kb)
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert words in result.stderr and "Traceback" not in result.stderr
    after = {str(p): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing written, nothing removed, no temporary folder left


def test_a_missing_parent_folder_is_refused(run_nkb: Any, site_kb: Path, tmp_path: Path) -> None:
    result = run_nkb("site", str(tmp_path / "no" / "site"), kb=site_kb)
    assert result.exit_code == ExitCode.ERROR
    assert "does not exist; nkb creates no folder on the way" in result.stderr
