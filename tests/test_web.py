"""`nkb add` of web pages: a saved .html file or an http address, read for its main text and
metadata (headline, site, address, publication date), each with its basis and strength. The
pages in tests/data/pages were written for these tests; the addresses are served by a server
on 127.0.0.1 that the tests start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from nkb import add, store, web
from nkb.errors import ExitCode

PAGES = Path(__file__).parent / "data" / "pages"
TODAY = "2026-12-07"
ACTORS = [
    {"id": "ivanov", "name": "Pavel Ivanov", "kind": "person", "aliases": ["Ivanov"]},
    {"id": "petrova", "name": "Olga Petrova", "kind": "person", "aliases": ["Petrova"]},
]
SOURCE_001 = {"id": "001", "title": "Earlier talks", "outlet": "WIRE", "date": "2019-05-01",
              "file": "001.txt", "quotes": [{"id": "001-1", "speaker": "ivanov",
                                              "text": "Talks go on", "date": "2019-05-01"}]}
TEXT_ARTICLE = ("SOCHI, June 17. /NEWSWIRE/: \u201cWe help both sides,\u201d Pavel Ivanov said "
                "on Thursday after the first session.\n")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKB_TODAY", TODAY)


@pytest.fixture
def kb(tmp_path: Path, write_kb: Callable[..., Path]) -> Path:
    return write_kb(tmp_path / "kb", actors=ACTORS, events=[],
                    sources={"001": {"record": SOURCE_001, "text": "Talks go on, Ivanov said.\n"}})


def draft(kb: Path, source_id: str) -> dict[str, Any]:
    return yaml.safe_load((kb / "sources" / f"{source_id}.yaml").read_text(encoding="utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


# --- a server on 127.0.0.1 ----------------------------------------------------------------------

Route = tuple[int, dict[str, str], bytes]


class Site:
    """Pages served on 127.0.0.1: path -> (status, headers, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                status, headers, body = site.routes.get(
                    self.path, (404, {"Content-Type": "text/html"}, b"<p>no such page</p>"))
                self.send_response(status)
                headers = {"Content-Length": str(len(body))} | headers
                for key, value in headers.items():
                    if value:  # "" leaves the header out
                        self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass  # keep the test output clean

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, path: str, file: str, content_type: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = (200, {"Content-Type": content_type}, (PAGES / file).read_bytes())
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()
        thread.join(timeout=10)


# --- reading a page: each value with its basis ---------------------------------------------------


def test_a_page_gives_its_headline_site_address_author_and_original_date() -> None:
    page = web.read_page((PAGES / "published.html").read_bytes(), "published.html")
    assert page.headline == web.Clue("Talks resume in Sochi", "strong", "meta og:title")
    assert page.site == web.Clue("Example Wire", "medium", "meta og:site_name")
    assert page.url == web.Clue("https://wire.example.org/news/talks-resume", "medium",
                                "link rel=canonical")
    assert page.author == web.Clue("Anna Writer", "medium", "meta author")
    # the publication date, not the later modification date the page also carries
    assert page.date == web.Clue("2021-06-17", "strong",
                                 "meta article:published_time '2021-06-17T10:30:00+03:00'")
    assert "\u201cWe help both sides,\u201d the deputy minister noted." in page.text
    assert "Most read" not in page.text and "All rights reserved" not in page.text


def test_json_ld_metadata_is_read_with_its_keys() -> None:
    page = web.read_page((PAGES / "json-ld.html").read_bytes(), "json-ld.html")
    assert page.headline == web.Clue("Border posts to be marked by autumn", "strong",
                                     "JSON-LD headline")
    assert page.site == web.Clue("Caspian Courier", "medium", "JSON-LD publisher.name")
    assert page.date == web.Clue("2022-03-04", "strong",
                                 "JSON-LD datePublished '2022-03-04T08:00:00Z'")
    assert page.url is None  # the page declares no address, and none is made up


def test_a_time_element_dates_a_page_less_firmly_than_its_metadata() -> None:
    page = web.read_page((PAGES / "time-element.html").read_bytes(), "time-element.html")
    assert page.date == web.Clue("2020-11-20", "medium",
                                 "a <time datetime='2020-11-20T14:00'> element")
    assert page.headline is not None and page.headline.basis == "the page's top heading (<h1>)"


def test_a_page_without_article_text_is_refused() -> None:
    with pytest.raises(web.PageError, match=r"no-text\.html: no article text found"):
        web.read_page((PAGES / "no-text.html").read_bytes(), "no-text.html")


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("page.html", b"anything", True),
    ("page.HTM", b"anything", True),
    ("saved.txt", b"\xef\xbb\xbf\n <!DOCTYPE html><html>", True),
    ("-", b"<html><body><p>x</p></body></html>", True),
    ("saved.txt", b"<p>A paragraph saved with its tags.</p>", False),
    ("article.txt", b"MOSCOW, June 5. Text.", False),
])
def test_which_input_is_a_page(name: str, data: bytes, expected: bool) -> None:
    assert web.is_html(name, data) is expected


# --- weighing the page against the text -----------------------------------------------------------

META = web.Clue("2021-06-17", "strong", "meta article:published_time '2021-06-17T10:30'")


def test_page_and_text_agreeing_on_the_day_is_strong() -> None:
    choice = web.choose_date(META, "2021-06-17", "printed in the dateline", printed=True)
    assert (choice.value, choice.strength) == ("2021-06-17", "strong")
    assert "meta article:published_time" in choice.basis and "dateline" in choice.basis


def test_a_page_date_within_what_the_text_allows_keeps_its_own_strength() -> None:
    medium = web.Clue("2021-06-17", "medium", "a <time> element")
    choice = web.choose_date(medium, "2021-06", "the month printed", printed=False)
    assert (choice.value, choice.strength) == ("2021-06-17", "medium")
    assert "2021-06" in choice.basis


def test_a_weak_page_date_never_narrows_the_texts_interval() -> None:
    shown = web.Clue("2021-06-17", "weak", "a date in the page's markup or text (htmldate)")
    choice = web.choose_date(shown, "2021-06-01/2021-06-30", "the month the body allows",
                             printed=False)
    assert (choice.value, choice.strength, choice.alternatives) == (
        "2021-06-01/2021-06-30", "weak", ["2021-06-17"])
    assert "htmldate" in choice.basis


@pytest.mark.parametrize(("text_date", "printed", "expected", "strength"), [
    ("../2026-12-07", False, "../2021-06-20", "weak"),  # the last change bounds it
    ("2021-06-01/2021-06-30", False, "2021-06-01/2021-06-20", "weak"),
    ("2021-06-17", True, "2021-06-17", "medium"),  # before the change: the text's own verdict
])
def test_the_pages_last_change_is_the_latest_its_publication_can_be(
        text_date: str, printed: bool, expected: str, strength: str) -> None:
    changed = web.Clue("2021-06-20", "weak", "meta article:modified_time", latest=True)
    choice = web.choose_date(changed, text_date, "the text's clue", printed, "medium")
    assert (choice.value, choice.strength) == (expected, strength)
    assert "2021-06-20" in choice.basis


@pytest.mark.parametrize(("text_date", "printed", "span"), [
    ("2021-06-15", True, "2021-06-15/2021-06-17"),
    ("2021-07-01/2021-07-31", False, "2021-06-17/2021-07-31"),
    ("../2021-06-10", False, "../2021-06-17"),  # open ends stay open
    ("2021-06-20/..", False, "2021-06-17/.."),
])
def test_page_and_text_disagreeing_is_weak_names_both_and_excludes_neither(
        text_date: str, printed: bool, span: str) -> None:
    choice = web.choose_date(META, text_date, "the text's clue", printed)
    assert choice.strength == "weak"
    assert choice.value == span
    assert "2021-06-17" in choice.basis and text_date in choice.basis
    assert choice.alternatives == ["2021-06-17", text_date]


def test_outlets_agreeing_keep_the_texts_spelling_and_disagreeing_are_weak() -> None:
    site = web.Clue("TASS Russian News Agency", "medium", "meta og:site_name")
    agree = web.choose_outlet(site, "TASS", "dateline")
    assert (agree.value, agree.strength) == ("TASS", "strong")
    other = web.choose_outlet(site, "Interfax", "dateline")
    assert (other.value, other.strength, other.alternatives) == (
        "TASS Russian News Agency", "weak", ["Interfax"])
    assert not web.same_outlet("TASS", "Tassila Daily")


# --- nkb add page.html --------------------------------------------------------------------------


def test_add_a_saved_page_takes_date_headline_and_site_from_its_metadata(
        kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    path = tmp_path / "published.html"
    path.write_bytes((PAGES / "published.html").read_bytes())
    result = run_nkb("--kb", str(kb), "add", str(path))
    assert result.exit_code == ExitCode.OK, result.stderr
    record = draft(kb, "002")
    assert (record["date"], record["headline"], record["outlet"]) == (
        "2021-06-17", "Talks resume in Sochi", "Example Wire")
    assert record["url"] == "https://wire.example.org/news/talks-resume"
    assert record["file"] == "published.html"
    assert not record["date_basis"].startswith("TODO")
    assert record["proposals"]["date"]["strength"] == "strong"
    assert "meta article:published_time" in record["proposals"]["date"]["basis"]
    assert record["proposals"]["outlet"] == {"strength": "medium", "basis": "meta og:site_name"}
    # the headline is proposed as the title, which the curator writes
    assert record["title"].startswith("TODO")
    title = record["proposals"]["title"]
    assert (title["strength"], title["alternatives"]) == ("medium", ["Talks resume in Sochi"])
    assert "meta og:title" in title["basis"]
    assert record["hints"][:2] == [
        "page metadata: address https://wire.example.org/news/talks-resume (link rel=canonical)",
        "page metadata: author Anna Writer (meta author)"]
    # the stored text is the article's main text, without the page's menus and footer
    text = (kb / "sources" / "002.txt").read_text(encoding="utf-8")
    assert "Talks go on." in text and "Home" not in text and "Most read" not in text
    assert [(q["speaker"], q["text"]) for q in record["quotes"]] == [
        ("ivanov", "We help both sides"), ("ivanov", "Talks go on."),
        ("petrova", "Much remains to be agreed")]
    assert "headline: Talks resume in Sochi" in result.stderr
    loaded = store.open_kb(kb).sources["002"]
    assert loaded.status == "draft" and loaded.proposals["date"].strength == "strong"
    assert run_nkb("--kb", str(kb), "check").exit_code == ExitCode.OK


def test_a_page_whose_metadata_and_text_disagree_gets_a_weak_date_naming_both(
        kb: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", str(PAGES / "conflict.html"))
    assert result.exit_code == ExitCode.OK, result.stderr
    record = draft(kb, "002")
    assert record["date"] == "2023-05-10/2023-05-12"
    assert record["date_basis"].startswith("TODO confirm: ")
    proposal = record["proposals"]["date"]
    assert proposal["strength"] == "weak"
    assert "2023-05-12" in proposal["basis"] and "May 10, 2023" in proposal["basis"]
    assert proposal["alternatives"] == ["2023-05-12", "2023-05-10"]
    # the dateline credits XA, the page is Caspian Courier's: weak, both named
    assert record["outlet"] == "Caspian Courier"
    assert record["proposals"]["outlet"]["strength"] == "weak"
    assert record["proposals"]["outlet"]["alternatives"] == ["XA"]


def test_given_date_and_outlet_outweigh_the_page(kb: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", str(PAGES / "published.html"), "--date",
                     "2021-06-18", "--outlet", "WIRE")
    assert result.exit_code == ExitCode.OK, result.stderr
    record = draft(kb, "002")
    assert (record["date"], record["outlet"]) == ("2021-06-18", "WIRE")
    assert record["proposals"]["date"]["basis"] == "given with --date"
    assert record["proposals"]["outlet"]["basis"] == "given with --outlet"


@pytest.mark.parametrize("fetched", [False, True])
def test_without_trafilatura_a_page_is_refused_saying_what_to_install(
        kb: Path, run_nkb: Any, monkeypatch: pytest.MonkeyPatch, site: Site,
        fetched: bool) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # `import trafilatura` now fails
    page = site.page("/p.html", "published.html") if fetched else str(PAGES / "published.html")
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", page)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith(f"nkb: error: {page} is a web page; reading it needs "
                                    "trafilatura")
    assert 'pip install "nkb[web]"' in result.stderr and "Traceback" not in result.stderr
    assert snapshot(kb) == before
    assert site.requests == []  # an address is not even fetched


def test_a_text_article_and_other_commands_never_import_trafilatura(
        kb: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT_ARTICLE, encoding="utf-8")
    code = ("import sys; from nkb import cli\n"
            f"for argv in (['add', {str(article)!r}], ['quotes'], ['source', '002'], ['check']):\n"
            f"    assert cli.main(['--kb', {str(kb)!r}, *argv]) == 0, argv\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('trafilatura', 'htmldate', 'lxml')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, env=os.environ | {"NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


CP1251_PAGE = (
    "<!DOCTYPE html><html><head><meta charset=\"windows-1251\"><title>Переговоры в Сочи</title>"
    "<meta property=\"og:title\" content=\"Переговоры в Сочи\">"
    "<meta property=\"og:site_name\" content=\"Вестник\">"
    "<meta property=\"article:published_time\" content=\"2021-06-17T10:30:00+03:00\"></head>"
    "<body><article><h1>Переговоры в Сочи</h1><p>Заместитель министра Павел Иванов заявил в "
    "четверг, что переговоры возобновились после перерыва в несколько недель.</p>"
    "<p>«Мы помогаем обеим сторонам», — отметил Иванов.</p></article></body></html>")


def test_a_page_in_another_encoding_is_stored_as_utf8(kb: Path, tmp_path: Path,
                                                      run_nkb: Any) -> None:
    path = tmp_path / "cp1251.html"
    path.write_bytes(CP1251_PAGE.encode("cp1251"))
    result = run_nkb("--kb", str(kb), "add", str(path))
    assert result.exit_code == ExitCode.OK, result.stderr
    record = draft(kb, "002")
    assert (record["headline"], record["outlet"], record["date"]) == (
        "Переговоры в Сочи", "Вестник", "2021-06-17")
    text = (kb / "sources" / "002.txt").read_text(encoding="utf-8")
    assert "«Мы помогаем обеим сторонам», — отметил Иванов." in text


def test_a_page_on_standard_input_is_read_as_a_page(kb: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", "-", stdin=(PAGES / "json-ld.html").read_bytes())
    assert result.exit_code == ExitCode.OK, result.stderr
    record = draft(kb, "002")
    assert (record["headline"], record["date"], record["file"]) == (
        "Border posts to be marked by autumn", "2022-03-04", "002.txt")


# --- nkb add URL ----------------------------------------------------------------------------------


def test_add_a_url_fetches_the_page_and_sets_its_address(kb: Path, site: Site,
                                                         run_nkb: Any) -> None:
    url = site.page("/news/2021/talks.html", "published.html")
    result = run_nkb("--kb", str(kb), "add", url)
    assert result.exit_code == ExitCode.OK, result.stderr
    record = draft(kb, "002")
    assert (record["date"], record["headline"], record["outlet"]) == (
        "2021-06-17", "Talks resume in Sochi", "Example Wire")
    assert record["url"] == url
    assert not any(h.startswith("page metadata: address") for h in record["hints"])
    assert record["file"] == "002.txt"
    assert result.stdout == f"{kb / 'sources' / '002.yaml'}\n"


@pytest.mark.parametrize(("route", "message"), [
    ((404, {"Content-Type": "text/html"}, b"gone"), "the server answered 404"),
    ((200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"), "is not a web page (the server "
                                                               "sends application/pdf)"),
    ((200, {"Content-Type": "text/html", "Content-Length": str(10**9)}, b"<html>"),
     f"is larger than {web.MAX_PAGE_BYTES} bytes"),
])
def test_a_url_that_gives_no_page_is_refused_and_nothing_is_written(
        kb: Path, site: Site, run_nkb: Any, route: Route, message: str) -> None:
    site.routes["/a"] = route
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", site.base + "/a")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith(f"nkb: error: {site.base}/a") or \
        f"cannot fetch {site.base}/a" in result.stderr
    assert message in result.stderr and result.stdout == ""
    assert snapshot(kb) == before


def test_a_page_whose_charset_only_the_server_names_is_decoded(kb: Path, site: Site,
                                                               run_nkb: Any) -> None:
    # Latin-1 bytes that a guess would read as another encoding ("Gen\u010dve")
    page = ("<html><head><title>Talks in Gen\u00e8ve</title></head><body><article>"
            "<h1>Talks in Gen\u00e8ve</h1><p>The ministers met again in Gen\u00e8ve on Thursday "
            "and agreed to go on with the talks, the mediator said.</p></article></body></html>")
    site.routes["/geneva.html"] = (200, {"Content-Type": "text/html; charset=iso-8859-1"},
                                   page.encode("latin-1"))
    result = run_nkb("--kb", str(kb), "add", site.base + "/geneva.html")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert draft(kb, "002")["headline"] == "Talks in Gen\u00e8ve"
    assert "met again in Gen\u00e8ve" in (kb / "sources" / "002.txt").read_text(encoding="utf-8")


def test_a_redirect_is_followed_to_the_page_and_its_address_kept(kb: Path, site: Site,
                                                                 run_nkb: Any) -> None:
    final = site.page("/news/talks.html", "published.html")
    site.routes["/short"] = (301, {"Location": "/news/talks.html"}, b"")
    result = run_nkb("--kb", str(kb), "add", site.base + "/short")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert draft(kb, "002")["url"] == final


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/page.html"])
def test_a_redirect_away_from_http_is_refused(kb: Path, site: Site, run_nkb: Any,
                                              target: str) -> None:
    site.routes["/away"] = (302, {"Location": target}, b"")
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", site.base + "/away")
    assert result.exit_code == ExitCode.ERROR
    assert f"redirects to {target}, which is not an http(s) address" in result.stderr
    assert snapshot(kb) == before


def test_a_refused_connection_is_said_in_words(kb: Path, run_nkb: Any) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_nkb("--kb", str(kb), "add", f"http://127.0.0.1:{port}/page.html")
    assert result.exit_code == ExitCode.ERROR
    assert f"cannot fetch http://127.0.0.1:{port}/page.html: the connection was refused" \
        in result.stderr


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) and says nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/page.html"
        with pytest.raises(web.PageError, match=r"no answer within 0\.5 s"):
            web.fetch(url, timeout=0.5)


def test_a_page_above_the_limit_is_refused_while_reading(site: Site) -> None:
    # no Content-Length: the size is known only by reading
    site.routes["/big"] = (200, {"Content-Type": "text/html", "Content-Length": ""},
                           b"<p>" + b"x" * 5000)
    with pytest.raises(web.PageError, match="is larger than 1000 bytes"):
        web.fetch(site.base + "/big", limit=1000)


def test_url_option_with_a_url_argument_is_a_usage_error(kb: Path, site: Site,
                                                         run_nkb: Any) -> None:
    url = site.page("/p.html", "published.html")
    result = run_nkb("--kb", str(kb), "add", url, "--url", "https://example.org/x")
    assert result.exit_code == ExitCode.USAGE
    assert "leave out --url" in result.stderr


def test_the_installed_nkb_adds_a_page_and_a_url(kb: Path, site: Site) -> None:
    script = Path(sys.executable).parent / "nkb"
    env = {k: v for k, v in os.environ.items() if k != "NKB_KB"} | {"NO_COLOR": "1",
                                                                     "NKB_TODAY": TODAY}
    url = site.page("/json-ld.html", "json-ld.html")
    for argument, source_id in ((str(PAGES / "published.html"), "002"), (url, "003")):
        done = subprocess.run([str(script), "--kb", str(kb), "add", argument],
                              capture_output=True, text=True, timeout=120, check=False, env=env)
        assert done.returncode == ExitCode.OK, done.stderr
        assert done.stdout == f"{kb / 'sources' / f'{source_id}.yaml'}\n"
    first, second = draft(kb, "002"), draft(kb, "003")
    assert (first["date"], first["headline"], first["outlet"]) == (
        "2021-06-17", "Talks resume in Sochi", "Example Wire")
    assert (second["date"], second["headline"], second["outlet"], second["url"]) == (
        "2022-03-04", "Border posts to be marked by autumn", "Caspian Courier", url)
    assert "JSON-LD datePublished" in second["proposals"]["date"]["basis"]


# --- several at once ------------------------------------------------------------------------------


def test_several_articles_one_line_each_a_failure_named_the_rest_added(
        kb: Path, tmp_path: Path, site: Site, run_nkb: Any) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfe not UTF-8")
    (folder / "c.html").write_bytes((PAGES / "conflict.html").read_bytes())
    (folder / ".hidden").write_text("never read", encoding="utf-8")
    url = site.page("/j.html", "json-ld.html")
    result = run_nkb("--kb", str(kb), "add", str(folder), url)
    assert result.exit_code == ExitCode.ERROR
    lines = result.stderr.splitlines()

    def line_of(source_id: str, name: str) -> str:
        record = draft(kb, source_id)
        weak = add.weak_proposals(record)
        return (f"added {source_id} ({name}): {record['outlet']}, {record['date']}, "
                f"{len(record['quotes'])} quote{'s' * (len(record['quotes']) != 1)}, "
                f"{weak} weak proposal{'s' * (weak != 1)}")

    assert lines[0] == line_of("002", str(folder / "a.txt"))
    assert lines[0].startswith(f"added 002 ({folder / 'a.txt'}): NEWSWIRE, ")
    assert lines[1].startswith(f"nkb: error: {folder / 'b.txt'} is not UTF-8 text")
    assert lines[2] == line_of("003", str(folder / "c.html"))
    assert lines[2].startswith(f"added 003 ({folder / 'c.html'}): Caspian Courier, "
                               "2023-05-10/2023-05-12, 1 quote, ")
    assert lines[3] == line_of("004", url)
    assert lines[3].startswith(f"added 004 ({url}): Caspian Courier, 2022-03-04, 1 quote, ")
    assert lines[4:] == ["nkb: added 3 of 4 articles; 1 failed"]
    assert result.stdout.splitlines() == [str(kb / "sources" / f"{n}.yaml")
                                          for n in ("002", "003", "004")]
    assert run_nkb("--kb", str(kb), "check").exit_code == ExitCode.OK


def test_id_and_url_name_one_article(kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT_ARTICLE + name, encoding="utf-8")
    before = snapshot(kb)
    both = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    for option in (["--id", "050"], ["--url", "https://example.org/a"]):
        result = run_nkb("--kb", str(kb), "add", *both, *option)
        assert result.exit_code == ExitCode.USAGE
        assert f"{option[0]} " in result.stderr and "one article" in result.stderr
    assert snapshot(kb) == before


def test_an_empty_folder_is_refused(kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    (tmp_path / "empty").mkdir()
    result = run_nkb("--kb", str(kb), "add", str(tmp_path / "empty"))
    assert result.exit_code == ExitCode.ERROR
    assert "holds no files to add" in result.stderr


def test_one_article_alone_keeps_the_full_summary(kb: Path, tmp_path: Path,
                                                   run_nkb: Any) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT_ARTICLE, encoding="utf-8")
    result = run_nkb("--kb", str(kb), "add", str(article))
    assert result.exit_code == ExitCode.OK
    assert result.stderr.startswith("added source 002: 002.txt + 002.yaml (draft)\n")
    assert "nkb: added" not in result.stderr


def test_weak_proposals_are_counted_across_the_record() -> None:
    weak, medium = {"strength": "weak", "basis": "b"}, {"strength": "medium", "basis": "b"}
    record = {"proposals": {"date": weak, "title": medium},
              "new_actors": [{"id": "x", **weak}],
              "quotes": [{"id": "1", "speaker": "x", **weak, "proposals": {"kind": weak}},
                         {"id": "2", "speaker": "y", **medium, "proposals": {}}]}
    assert add.weak_proposals(record) == 4
