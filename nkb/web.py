"""A web page as an article: fetching an address, and reading a page's main text and metadata
(headline, author, site name, canonical address, publication date) with trafilatura and
htmldate, each value with the markup it was read from and how far that markup is trusted.

trafilatura comes with the `web` extra and is imported only when a page is read; nothing else
in nkb imports it.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from nkb import __version__
from nkb.dates import EARLIEST, LATEST, DateError, parse_edtf
from nkb.errors import NkbError
from nkb.models import URL_PATTERN, Strength

INSTALL = 'pip install "nkb[web]"'
FETCH_TIMEOUT = 30.0  # seconds without an answer before a fetch gives up
MAX_PAGE_BYTES = 16 * 1024 * 1024  # far above any article page; refuses runaway downloads
MIN_WORDS = 5  # less main text than a sentence: the page's article was not found
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
HTML_TYPES = ("text/html", "application/xhtml+xml")


class PageError(NkbError):
    """A page that cannot be fetched or read; nothing was added."""


@dataclass(frozen=True, slots=True)
class Clue:
    """One value read from a page, how far it is trusted, and the markup it was read from."""

    value: str
    strength: Strength
    basis: str
    latest: bool = False  # a date the publication is on or before (the page's last change)


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page says about its article: the main text and each metadata value found."""

    text: str
    headline: Clue | None = None
    author: Clue | None = None
    site: Clue | None = None
    url: Clue | None = None
    date: Clue | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """A page as a server sent it: its bytes, the address it finally came from, its charset."""

    data: bytes
    url: str
    charset: str | None = None


# --- which input is a page ----------------------------------------------------------------------


def is_url(name: str) -> bool:
    """An `nkb add` argument that is a web address rather than a file."""
    return re.match(r"(?i)https?://", name) is not None


def is_html(name: str, data: bytes) -> bool:
    """A saved web page: an .html (or .htm, .xhtml) file, or text that opens as an HTML
    document. A text file with a few tags in it stays text."""
    if name.lower().endswith(HTML_SUFFIXES):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


# --- fetching -----------------------------------------------------------------------------------


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (never to ftp: or file:)."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if not is_url(newurl):
            raise PageError(f"cannot fetch {req.full_url}: it redirects to {newurl}, which is not "
                            "an http(s) address; save the page and give its file")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float = FETCH_TIMEOUT, limit: int = MAX_PAGE_BYTES) -> Fetched:
    """The page at `url`, refused when the server fails, does not answer within `timeout`
    seconds, sends something other than HTML, or sends more than `limit` bytes."""
    if not re.search(URL_PATTERN, url):
        raise PageError(f"{url!r} is not an absolute http(s) URL; give the page's full address, "
                        "e.g. https://example.org/news/123")
    request = urllib.request.Request(url, headers={
        "User-Agent": f"nkb/{__version__}",
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"})
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            kind = response.headers.get_content_type()
            if kind not in HTML_TYPES:
                raise PageError(f"{url} is not a web page (the server sends {kind}); nkb add reads "
                                "HTML pages and text files: save the article's text and add that "
                                "file")
            length = response.headers.get("Content-Length", "")
            if length.isascii() and length.isdigit() and int(length) > limit:
                raise _too_large(url, limit)
            data = response.read(limit + 1)
            if len(data) > limit:
                raise _too_large(url, limit)
            return Fetched(data, final, response.headers.get_content_charset())
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib refuses some redirects itself (to file:, say)
            raise PageError(f"cannot fetch {url}: it redirects to {exc.headers.get('Location')}, "
                            "which is not an http(s) address; save the page and give its "
                            "file") from None
        raise PageError(f"cannot fetch {url}: the server answered {exc.code} {exc.reason}; check "
                        "the address, or save the page and give its file") from None
    except urllib.error.URLError as exc:
        raise PageError(f"cannot fetch {url}: {_reason(exc.reason, timeout)}; check the address "
                        "and the network, or save the page and give its file") from None
    except TimeoutError:
        raise PageError(f"cannot fetch {url}: {_reason(TimeoutError(), timeout)}; try again "
                        "later, or save the page and give its file") from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise PageError(f"cannot fetch {url}: {_reason(exc, timeout)}; try again later, or save "
                        "the page and give its file") from None


def _too_large(url: str, limit: int) -> PageError:
    return PageError(f"{url} is larger than {limit} bytes, the limit for a page; nothing was "
                     "added (save the article's text and add that file)")


def _reason(reason: object, timeout: float) -> str:
    """Why a fetch failed, in words: no such host, refused, no answer in time."""
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "no such host (the name does not resolve)"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


# --- reading a page -----------------------------------------------------------------------------


def ensure_reader(name: str) -> None:
    """Refuse a page when trafilatura cannot be imported, naming the extra that brings it."""
    try:
        import trafilatura  # noqa: F401
    except ImportError as exc:
        raise PageError(f"{name} is a web page; reading it needs trafilatura ({exc.name} is "
                        f"missing): {INSTALL}, or save the article's text as a .txt file and "
                        "add that") from None


def read_page(data: bytes, name: str, address: str | None = None,
              charset: str | None = None, today: dt.date | None = None) -> PageMeta:
    """The article in a page: its main text and metadata, each with its basis. `address` is
    where the page was fetched from; `charset` the one the server named; no date after
    `today` is taken."""
    ensure_reader(name)
    import trafilatura

    html = _decoded(data, charset)
    tree = trafilatura.load_html(html)
    if tree is None:
        raise PageError(f"{name} cannot be read as a web page; save the article's text as a "
                        ".txt file and add that")
    marks = Markup.read(tree)  # first: the extraction may prune the tree it is given
    dates: dict[str, Any] = {"original_date": True, "extensive_search": False,
                             "deferred_url_extractor": True}
    if today is not None:
        dates["max_date"] = today.isoformat()
    found = trafilatura.bare_extraction(tree, url=address, with_metadata=True,
                                        include_comments=False, date_extraction_params=dates)
    text = (getattr(found, "text", None) or "").strip()
    if len(text.split()) < MIN_WORDS:
        raise PageError(f"{name}: no article text found in the page; save the article's text as "
                        "a .txt file and add that")
    return PageMeta(
        text=text + "\n",
        headline=_headline(getattr(found, "title", None), marks),
        author=_author(getattr(found, "author", None), marks),
        site=_site(getattr(found, "sitename", None), marks, address),
        url=_address(getattr(found, "url", None), marks, address),
        date=_date(getattr(found, "date", None), marks, address),
    )


def _decoded(data: bytes, charset: str | None) -> bytes | str:
    """The page as text where the server named its charset; else bytes, for trafilatura to
    find the encoding the page declares."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: let the page's own declaration decide
    return data


@dataclass
class Markup:
    """The metadata a page carries in its markup, as printed: meta tags and JSON-LD values as
    (key, value) pairs under their lowercase key, and a few elements."""

    meta: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    json_ld: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    times: list[str] = field(default_factory=list)  # <time datetime="..."> values
    canonical: str | None = None
    title: str | None = None  # <title>
    h1: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, tree: Any) -> Markup:
        marks = cls()
        for element in tree.iter("meta"):
            content = (element.get("content") or "").strip()
            for attribute in ("property", "name", "itemprop"):
                key = (element.get(attribute) or "").strip()
                if key and content:
                    marks.meta.setdefault(key.lower(), []).append((key, content))
        for element in tree.iter("script"):
            if (element.get("type") or "").strip().lower() == "application/ld+json":
                for key, value in _json_ld_values(element.text or ""):
                    marks.json_ld.setdefault(key.lower(), []).append((key, value))
        marks.times = [t.get("datetime", "").strip() for t in tree.iter("time") if t.get("datetime")]
        for element in tree.iter("link"):
            if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
                marks.canonical = element.get("href").strip()
                break
        title = next(tree.iter("title"), None)
        marks.title = _one_line(title.text_content()) if title is not None else None
        marks.h1 = [_one_line(h.text_content()) for h in tree.iter("h1")]
        return marks


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _json_ld_values(source: str) -> Iterator[tuple[str, str]]:
    """Each (key, text) of a JSON-LD block, nested objects included ("publisher.name")."""
    try:
        data = json.loads(source)
    except ValueError:
        return
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        prefix, item = stack.pop()
        if isinstance(item, list):
            stack.extend((prefix, x) for x in reversed(item))
        elif isinstance(item, dict):
            for key, value in item.items():
                path = f"{prefix}.{key}" if prefix else str(key)
                if isinstance(value, str):
                    yield path, value.strip()
                else:
                    stack.append((path, value))


def _first(values: dict[str, list[tuple[str, str]]], keys: tuple[str, ...],
           match: Callable[[str], bool]) -> tuple[str, str] | None:
    """The first (key as printed, value) under `keys` (lowercase) whose value `match` accepts."""
    for key in keys:
        for printed, value in values.get(key, []):
            if match(value):
                return printed, value
    return None


def _same_text(a: str) -> Callable[[str], bool]:
    folded = _one_line(a).casefold()
    return lambda b: _one_line(b).casefold() == folded


HEADLINE_META = ("og:title", "twitter:title", "headline", "dc.title", "title")


def _headline(title: str | None, marks: Markup) -> Clue | None:
    """The page's headline, as the page's own metadata or its top heading gives it."""
    if not title:
        return None
    title = _one_line(title)
    same = _same_text(title)
    if hit := _first(marks.meta, HEADLINE_META, same):
        return Clue(title, "strong", f"meta {hit[0]}")
    if hit := _first(marks.json_ld, ("headline", "name"), same):
        return Clue(title, "strong", f"JSON-LD {hit[0]}")
    if any(same(h) for h in marks.h1):
        return Clue(title, "strong", "the page's top heading (<h1>)")
    if marks.title and same(marks.title):
        return Clue(title, "medium", "the page's <title>")
    return Clue(title, "weak", "part of the page's <title> (maybe with the site's name cut off)")


def _author(author: str | None, marks: Markup) -> Clue | None:
    if not author:
        return None
    author = _one_line(author)
    if hit := _first(marks.meta, ("author", "article:author", "dc.creator", "byl",
                                  "parsely-author", "sailthru.author"), _same_text(author)):
        return Clue(author, "medium", f"meta {hit[0]}")
    if hit := _first(marks.json_ld, ("author.name", "author", "creator.name"), _same_text(author)):
        return Clue(author, "medium", f"JSON-LD {hit[0]}")
    return Clue(author, "weak", "a byline in the page")


SITE_META = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher")


def _site(site: str | None, marks: Markup, address: str | None) -> Clue | None:
    """The site's name as the page declares it, verbatim; a name only guessed from the page's
    title or address is weak."""
    if not site:
        return None
    wanted = _one_line(site).lstrip("@").casefold()
    same = _same_text(wanted)
    if hit := _first(marks.meta, SITE_META, lambda v: same(v.lstrip("@"))):
        return Clue(_one_line(hit[1]).lstrip("@"), "medium", f"meta {hit[0]}")
    if hit := _first(marks.json_ld, ("publisher.name", "sourceorganization.name"), same):
        return Clue(_one_line(hit[1]), "medium", f"JSON-LD {hit[0]}")
    host = urlsplit(address or marks.canonical or "").hostname or ""
    if wanted and wanted in host.casefold():
        return Clue(site, "weak", f"the page's host name ({host})")
    return Clue(site, "weak", "the page's <title>, after its headline")


def _address(url: str | None, marks: Markup, address: str | None) -> Clue | None:
    """The page's address: where it was fetched from, else the one it declares as canonical."""
    if address:
        return Clue(address, "strong", "the address the page was fetched from")
    if not url or not re.search(URL_PATTERN, url):
        return None
    if marks.canonical == url:
        return Clue(url, "medium", "link rel=canonical")
    if hit := _first(marks.meta, ("og:url", "twitter:url"), lambda v: v.strip() == url):
        return Clue(url, "medium", f"meta {hit[0]}")
    return None  # an address trafilatura pieced together is no address the page gives


# Keys whose date is the publication date: a match is strong.
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                  "og:published_time", "published_time", "article.published", "pubdate",
                  "publishdate", "publish-date", "publish_date", "publication_date",
                  "dc.date.issued", "dcterms.issued", "citation_publication_date",
                  "parsely-pub-date", "sailthru.date", "date", "dc.date", "dcterms.date")
PUBLISHED_JSON_LD = ("datepublished", "datecreated", "uploaddate")
# Keys whose date is the page's last change: a match is weak (maybe not the publication).
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified",
                 "dcterms.modified", "revised")


def _date(day: str | None, marks: Markup, address: str | None) -> Clue | None:
    """The publication day htmldate found, with the markup that carries it."""
    if not day:
        return None
    try:
        if parse_edtf(day).start != day:
            return None
    except DateError:
        return None
    carries = _carries(day)
    if hit := _first(marks.meta, PUBLISHED_META, carries):
        return Clue(day, "strong", f"meta {hit[0]} {hit[1]!r}")
    if hit := _first(marks.json_ld, PUBLISHED_JSON_LD, carries):
        return Clue(day, "strong", f"JSON-LD {hit[0]} {hit[1]!r}")
    if stamp := next((t for t in marks.times if carries(t)), None):
        return Clue(day, "medium", f"a <time datetime={stamp!r}> element")
    for where in (address, marks.canonical):
        if where and carries(urlsplit(where).path):
            return Clue(day, "medium", f"the page's address ({urlsplit(where).path})")
    if hit := _first(marks.meta, MODIFIED_META, carries) or _first(
            marks.json_ld, ("datemodified",), carries):
        return Clue(day, "weak", f"meta {hit[0]} {hit[1]!r}, the page's last change: published "
                                 "on or before it", latest=True)
    return Clue(day, "weak", "a date in the page's markup or text (htmldate)")


def _carries(day: str) -> Callable[[str], bool]:
    """Whether a printed value holds `day`: 2021-06-17, 2021/06/17, 20210617 or 17.06.2021."""
    y, m, d = day.split("-")
    forms = re.compile(rf"(?<!\d)(?:{y}[-/.]?{m}[-/.]?{d}|{d}[./]{m}[./]{y})(?!\d)")
    return lambda value: bool(forms.search(value))


# --- weighing the page's metadata against the text ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A value for a record field once the page and the text are weighed, with its proposal."""

    value: str
    strength: Strength
    basis: str
    alternatives: list[str] = field(default_factory=list)


def choose_date(page: Clue, text_date: str, text_basis: str, printed: bool,
                text_strength: Strength = "weak") -> Choice:
    """The publication date from the page's metadata and the text's own date (`printed` when
    the text prints it in full). They agree when the text's date covers the page's day, which
    then narrows it (unless the page's day is only weakly its date); when they do not, the
    proposal is weak, names both, and is the interval holding both."""
    try:
        span = parse_edtf(text_date)
    except DateError:
        return Choice(page.value, "weak", f"{page.basis}; the text's date {text_date!r} cannot "
                      "be read", [text_date])
    if page.latest and span.start <= page.value:
        if span.end <= page.value:
            return Choice(text_date, text_strength, f"{text_basis}; the page changed last on "
                          f"{page.value} ({page.basis})")
        return Choice(_interval(span.start, page.value), "weak", f"{text_basis}; at the latest "
                      f"{page.value}: {page.basis}")
    if span.start <= page.value <= span.end:
        if printed and span.start == span.end:
            return Choice(page.value, "strong", f"{page.basis}, and the text: {text_basis}")
        if page.strength == "weak":  # a date shown somewhere on the page narrows nothing
            return Choice(text_date, "weak", f"{text_basis}; the page shows {page.value} "
                          f"({page.basis})", [page.value])
        return Choice(page.value, page.strength, f"{page.basis}; the text allows it: "
                      f"{text_date} ({text_basis})")
    start, end = min(page.value, span.start), max(page.value, span.end)
    return Choice(_interval(start, end), "weak",
                  f"the page and the text disagree: {page.basis} gives {page.value}, the text "
                  f"gives {text_date} ({text_basis})", [page.value, text_date])


def _interval(start: str, end: str) -> str:
    """An EDTF interval of two days, an open end written `..`."""
    return f"{'..' if start == EARLIEST else start}/{'..' if end == LATEST else end}"


def _folded(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


def same_outlet(a: str, b: str) -> bool:
    """Two spellings of one outlet: equal when folded, or one a whole-word part of the other
    ("TASS" and "TASS Russian News Agency")."""
    x, y = _folded(a), _folded(b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None


def choose_outlet(site: Clue, text_outlet: str | None, text_basis: str) -> Choice:
    """The publisher from the page's site name and the outlet the text names: agreeing, the
    text's spelling, strong; disagreeing, the page's publisher, weak, naming both."""
    if text_outlet is None:
        return Choice(site.value, site.strength, site.basis)
    if same_outlet(site.value, text_outlet):
        return Choice(text_outlet, "strong", f"{site.basis} {site.value!r}, and the text: "
                      f"{text_basis}")
    return Choice(site.value, "weak", f"the page and the text disagree: {site.basis} gives "
                  f"{site.value!r}, the text {text_outlet!r} ({text_basis}); a repost?",
                  [text_outlet])
