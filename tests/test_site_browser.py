"""The generated site in a real browser: headless Chromium (Debian's `chromium`) opens the pages
from disk through Playwright. Marked `browser`: `pytest -m browser` runs them (the README's
line installs Chromium and the `browser` extra); the default run leaves them out.

The timeline screenshot of the shipped KB is kept in test-artifacts/; UPDATE_SCREENSHOT=1 also
copies it to docs/timeline.png, which the README shows."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from nkb.text import visible

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("NKB_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
SCRIPT = "<script>alert('x')</script>"


def chromium() -> str:
    """The Chromium to drive: $NKB_CHROMIUM, else `chromium` on the PATH. Missing, the browser
    run fails (it never skips): install it with `apt-get install -y chromium`."""
    found = os.environ.get("NKB_CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if not found:
        pytest.fail("no Chromium: install it (apt-get install -y chromium) or set NKB_CHROMIUM")
    return found


def nkb(kb: Path, *args: str) -> str:
    """Run the installed nkb on `kb` (no compiled cache) and return its stdout."""
    env = {**os.environ, "NKB_CACHE_DIR": "off", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "nkb", "--kb", str(kb), *args], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def records(kb: Path, *filters: str) -> set[str]:
    """Ids of the events and quotes `nkb events` and `nkb quotes` list with these filters."""
    events = json.loads(nkb(kb, "events", "-f", "json", "--limit", "0", *filters))
    quotes = json.loads(nkb(kb, "quotes", "-f", "json", "--limit", "0", *filters))
    return {r["id"] for r in events} | {r["id"] for r in quotes}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS[1:])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site_kb(tmp_path_factory: pytest.TempPathFactory, write_kb: Callable[..., Path],
            new_kb_data: Callable[[], Any]) -> Path:
    """The fixture KB with markup in an article and an uncertain month beside its month
    (2023-02), interval (2020/2022), year (2019) and days."""
    data = new_kb_data()
    data.sources["002"]["text"] += f"Someone wrote {SCRIPT} here.\n"
    data.events.append({"id": "2022-05-uncertain-meeting", "date": "2022-05?",
                        "title": "A meeting in May 2022?", "sources": ["002"]})
    data.sources["001"]["record"]["quotes"][0]["topics"] = ["peace-treaty", "mediation"]
    data.sources["002"]["record"]["quotes"][0]["topics"] = ["ceasefire"]
    return write_kb(tmp_path_factory.mktemp("site") / "kb", events=data.events,
                    sources=data.sources)


@pytest.fixture(scope="module")
def site(site_kb: Path) -> Path:
    out = site_kb.parent / "site"
    nkb(site_kb, "site", str(out))
    return out


class Page:
    """A page opened in Chromium, with every console error and uncaught exception it raised
    and every dialog it tried to open (an article's <script> must never run)."""

    def __init__(self, browser: Any, path: Path, query: str = "") -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri() + query)
        self.page.wait_for_load_state("load")

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        self.page.close()

    def drawn_ids(self) -> set[str]:
        return set(self.page.eval_on_selector_all("#chart .item", "els => els.map(e => e.dataset.id)"))

    def show_range(self, since: str, until: str) -> None:
        self.page.fill("#from", since)
        self.page.fill("#to", until)
        self.page.click("#apply-range")


def test_the_timeline_draws_every_record_once_without_errors(browser: Any, site: Path,
                                                             site_kb: Path) -> None:
    with Page(browser, site / "timeline.html") as shown:
        assert shown.drawn_ids() == records(site_kb)
        assert shown.page.get_attribute("#chart", "data-mode") == "items"
        assert shown.page.get_attribute("#count", "data-in-view") == str(len(records(site_kb)))
        lanes = shown.page.eval_on_selector_all(".lane", "els => els.map(e => e.dataset.lane)")
        assert lanes == ["Events", "Direct quotes", "Paraphrases"]


@pytest.mark.parametrize(("since", "until"), [("2021", "2021"), ("2023-02-10", "2024"),
                                              ("2019", "2019-06")])
def test_a_range_shows_the_records_nkb_lists_for_it(browser: Any, site: Path, site_kb: Path,
                                                    since: str, until: str) -> None:
    with Page(browser, site / "timeline.html") as shown:
        shown.show_range(since, until)
        in_range = records(site_kb, "--since", since, "--until", until)
        assert shown.drawn_ids() == in_range
        # only possibly in the range, as --within reads it: marked on the item and counted
        certain = records(site_kb, "--since", since, "--until", until, "--within")
        possible = set(shown.page.eval_on_selector_all(
            "#chart .item.possible", "els => els.map(e => e.dataset.id)"))
        assert possible == in_range - certain
        assert shown.page.get_attribute("#count", "data-possible") == str(len(possible))


def test_filters_narrow_the_timeline(browser: Any, site: Path, site_kb: Path) -> None:
    quotes = json.loads(nkb(site_kb, "quotes", "-f", "json", "--limit", "0"))
    with Page(browser, site / "timeline.html") as shown:
        shown.page.uncheck("#kind-event")
        shown.page.uncheck("#kind-paraphrase")
        assert shown.drawn_ids() == {q["id"] for q in quotes if q["kind"] == "direct"}
        shown.page.check("#kind-paraphrase")
        shown.page.select_option("#speaker", "Mikhail Galuzin")
        assert shown.drawn_ids() == {q["id"] for q in quotes if q["speaker_id"] == "galuzin"}
        shown.page.select_option("#speaker", "")
        shown.page.check("#kind-event")
        shown.page.fill("#text", "ceasefire")
        assert shown.drawn_ids() == {"002-1"}
        shown.page.fill("#text", "")
        shown.page.select_option("#topic", "mediation")
        assert shown.drawn_ids() == {"001-1"}
        shown.page.select_option("#topic", "")
        shown.page.select_option("#group", "topic")
        lanes = shown.page.eval_on_selector_all(".lane", "els => els.map(e => e.dataset.lane)")
        assert lanes == ["ceasefire", "mediation", "peace-treaty", "(events: no topics)",
                         "(quote without topic)"]
        assert shown.drawn_ids() == records(site_kb)
        shown.page.select_option("#group", "actor")
        lanes = shown.page.eval_on_selector_all(".lane", "els => els.map(e => e.dataset.lane)")
        assert "Mikhail Galuzin" in lanes and "Vladimir Putin" in lanes
        assert shown.drawn_ids() == records(site_kb)  # each still drawn, in each actor's lane


def test_each_date_is_drawn_as_what_it_is(browser: Any, site: Path) -> None:
    with Page(browser, site / "timeline.html") as shown:
        shown.show_range("2019", "2024")

        def item(ident: str) -> dict[str, Any]:
            return shown.page.eval_on_selector(
                f'#chart .item[data-id="{ident}"]',
                """el => { const bar = el.querySelector('.bar').getBoundingClientRect();
                          return {classes: [...el.classList], left: bar.left, width: bar.width,
                                  border: getComputedStyle(el.querySelector('.bar')).borderTopStyle,
                                  precision: el.dataset.precision}; }""")

        month, interval = item("2023-02-khovayev-trips"), item("2020-2022-trilateral-agreements")
        year, day = item("2019-vienna-talks"), item("001-2")
        unsure = item("2022-05-uncertain-meeting")
        assert "span" in month["classes"] and month["precision"] == "month"
        assert "span" in interval["classes"] and interval["precision"] == "interval"
        assert "point" in day["classes"] and day["precision"] == "day"
        # drawn over every day it may mean: February 2023 is 28 days of the interval's 1096,
        # and begins 1127 days after it
        per_day = interval["width"] / 1096
        assert month["width"] == pytest.approx(28 * per_day, rel=0.05)
        assert month["left"] - interval["left"] == pytest.approx(1127 * per_day, rel=0.01)
        assert year["width"] == pytest.approx(365 * per_day, rel=0.02)
        assert "uncertain" in unsure["classes"] and unsure["border"] == "dashed"
        assert unsure["width"] == pytest.approx(31 * per_day, rel=0.05)
        assert "uncertain" not in month["classes"] and month["border"] == "solid"


def test_too_many_records_are_drawn_as_counts(browser: Any, site: Path, site_kb: Path) -> None:
    with Page(browser, site / "timeline.html", "?draw-limit=3") as shown:
        assert shown.page.get_attribute("#chart", "data-mode") == "counts"
        assert shown.drawn_ids() == set()
        certain = shown.page.eval_on_selector_all(".bin", "els => els.map(e => +e.dataset.certain)")
        # only a record whose whole date lies in one stretch counts as certainly in it
        assert 0 < sum(certain) <= len(records(site_kb))
        assert "too many to draw one by one" in (shown.page.text_content("#count") or "")
        rows = shown.page.eval_on_selector_all("#list li", "els => els.length")
        assert rows == len(records(site_kb))  # the list still names every record


def test_search_finds_quotes_events_actors_and_article_text(browser: Any, site: Path) -> None:
    with Page(browser, site / "search.html", "?q=ceasefire") as shown:
        found = shown.page.eval_on_selector_all(
            "#results li", "els => els.map(e => e.dataset.kind + ' ' + e.dataset.id)")
        assert sorted(found) == ["quote 002-1", "source 002"]
        shown.page.fill("#q", "Galuzin")
        shown.page.click("#search-form button")
        found = shown.page.eval_on_selector_all(
            "#results li", "els => els.map(e => e.dataset.kind + ' ' + e.dataset.id)")
        assert "actor galuzin" in found and "quote 001-1" in found and "source 001" in found
        shown.page.uncheck("#kind-source")
        narrowed = shown.page.eval_on_selector_all("#results li", "els => els.map(e => e.dataset.kind)")
        assert "source" not in narrowed and len(narrowed) == len(found) - found.count("source 001")
        shown.page.fill("#q", '"as always"')
        shown.page.click("#search-form button")
        found = shown.page.eval_on_selector_all("#results li", "els => els.map(e => e.dataset.id)")
        assert found == ["001-2"]


def test_a_source_page_marks_each_quote_and_shows_markup_as_text(
        browser: Any, site: Path, site_kb: Path) -> None:
    for source in ("001", "002", "003"):
        detail = json.loads(nkb(site_kb, "source", source, "-f", "json"))
        with Page(browser, site / "sources" / f"{source}.html") as shown:
            for quote in detail["quotes"]:
                marks = f'.article mark[data-quotes~="{quote["id"]}"]'
                kinds = shown.page.eval_on_selector_all(marks, "els => els.map(e => e.className)")
                assert kinds and all(quote["kind"] in k for k in kinds), quote["id"]
                marked = shown.page.eval_on_selector_all(
                    marks, "els => els.map(e => e.textContent).join('')")
                assert " ".join(marked.split()).replace("\u201c", '"').replace("\u201d", '"') == \
                    " ".join(visible(quote["text"]).split()), quote["id"]  # \x1b as the terminal
            if source == "002":
                assert SCRIPT in (shown.page.inner_text(".article") or "")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if name == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))


def test_every_link_in_the_browser_resolves(browser: Any, site: Path) -> None:
    """Every link the timeline draws, and every link of every page, opens a page holding its
    anchor."""
    with Page(browser, site / "timeline.html") as shown:
        hrefs = shown.page.eval_on_selector_all("#chart .item, #list a", "els => els.map(e => e.href)")
    targets = set(hrefs)
    for page in site.rglob("*.html"):
        links = Links()
        links.feed(page.read_text(encoding="utf-8"))
        for href in links.hrefs:
            if href.startswith("http"):
                continue
            file, hash_, anchor = href.partition("#")
            targets.add(((page.parent / file) if file else page).resolve().as_uri() + hash_ + anchor)
    checked = 0
    for target in sorted(targets):
        file, _, anchor = target.partition("#")
        path = Path(file.removeprefix("file://"))
        assert path.is_file(), target
        if anchor:
            links = Links()
            links.feed(path.read_text(encoding="utf-8"))
            assert anchor in links.ids, target
        checked += 1
    assert checked >= 20  # every page, record and anchor of the small KB
    with Page(browser, site / "index.html") as shown:  # and a click really opens the page
        shown.page.click("text=The timeline")
        shown.page.wait_for_selector("#chart .item")
        shown.page.click('#chart .item[data-id="001-2"]')
        shown.page.wait_for_load_state("load")
        assert shown.page.url.endswith("sources/001.html#001-2")


def test_screenshot_of_the_shipped_kb(browser: Any, tmp_path: Path) -> None:
    kb = ROOT / "kb"
    out = tmp_path / "site"
    nkb(kb, "site", str(out))
    with Page(browser, out / "timeline.html") as shown:
        shown.show_range("2020-01", "2024-07")
        assert shown.drawn_ids()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        picture = ARTIFACTS / "timeline.png"
        shown.page.set_viewport_size({"width": 1400, "height": 1000})
        top = shown.page.locator("main h1").bounding_box()
        chart = shown.page.locator("#chart").bounding_box()
        assert top is not None and chart is not None
        shown.page.screenshot(path=str(picture), full_page=True, clip={
            "x": 0, "y": top["y"] - 8, "width": 1400,
            "height": chart["y"] + chart["height"] - top["y"] + 16})
    assert picture.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("UPDATE_SCREENSHOT"):
        shutil.copyfile(picture, ROOT / "docs" / "timeline.png")
