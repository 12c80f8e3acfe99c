"""The KB as a static website that opens from disk: a timeline page, one page per source, actor
and event, an index, and in-page search over a JSON index written beside the pages.

Every page is plain HTML built here, every text escaped (`page_text`), every script and style
copied from `nkb/site_assets/`; nothing is fetched from the network. The same KB gives the same
bytes: no clock, no random name, every listing in a fixed order. The folder is written whole
through `atomic_build`, and only an empty folder or a site nkb wrote before (its marker file
lists every file it holds) is ever replaced.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from nkb import __version__, cite, search, timeline, views
from nkb.fsutil import WriteRefused, atomic_build
from nkb.index import KB, curated_view, readable_text
from nkb.models import Actor, Event, Quote, Source
from nkb.render import CiteFormat
from nkb.rows import actor_detail, fact, quote_row
from nkb.text import locate_each, natural_key, plural, visible

MARKER = ".nkb-site"
MARKER_HEAD = "nkb site: every file below was written by `nkb site`, which replaces them whole"
ASSETS = ("site.css", "common.js", "timeline.js", "search.js", "ASSETS-LICENSE.txt")
KIND_WORDS = {"direct": "direct quote", "paraphrase": "paraphrase (not verbatim)"}


@dataclass(frozen=True, slots=True)
class SiteSummary:
    """What `write_site` wrote: how many files and bytes, and how many records it shows."""

    files: int
    bytes: int
    quotes: int
    events: int
    sources: int
    actors: int


# --- writing the folder -------------------------------------------------------------------------


def write_site(kb: KB, target: Path, drafts: bool = False) -> SiteSummary:
    """Write the site of the KB (drafts left out unless `drafts`) into the folder `target`,
    all or nothing; an existing folder must be empty or a site nkb wrote."""
    _guard_target(kb, target)
    shown = kb if drafts else curated_view(kb)
    written: list[tuple[str, int]] = []

    def build(folder: Path) -> None:
        folder.mkdir()
        for name, data in site_files(shown, drafts):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:
                handle.write(data)
            written.append((name, len(data)))
        marker = "\n".join([MARKER_HEAD, *sorted(n for n, _ in written)]) + "\n"
        (folder / MARKER).write_text(marker, encoding="utf-8")
        if hasattr(os, "sync"):
            os.sync()  # every file durable before the folder is moved into place

    try:
        atomic_build(target, build, overwrite=target.exists())
    except OSError as exc:
        raise WriteRefused(f"cannot write {target}: {exc.strerror or exc}; choose a folder you "
                           "can write to") from None
    counts = shown.counts()
    return SiteSummary(len(written) + 1, sum(size for _, size in written), counts["quotes"],
                       counts["events"], counts["sources"], counts["actors"])


def _guard_target(kb: KB, target: Path) -> None:
    """Refuse a target inside the KB, anything but a folder, and a folder holding anything
    nkb's own site did not write."""
    root = kb.root.resolve()
    where = target.parent.resolve() / target.name
    if where == root or root in where.parents:
        raise WriteRefused(f"{target} is inside the KB folder {root}; a site never goes into the "
                           "KB (choose a folder outside it)")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WriteRefused(f"{target} exists and is not a folder; give a folder to create (or an "
                           "empty one, or a site nkb wrote)")
    if not target.exists():
        return
    present = sorted(str(p.relative_to(target)) for p in target.rglob("*")
                     if p.is_symlink() or not p.is_dir())
    if not present:
        return
    listed = _marker_files(target / MARKER)
    if listed is None:
        raise WriteRefused(f"{target} is not empty and is not a site nkb wrote (no {MARKER} "
                           "file); nkb replaces only its own site (choose an empty or new folder)")
    foreign = [p for p in present if p not in listed and p != MARKER]
    if foreign:
        raise WriteRefused(f"{target} holds {foreign[0]}, which nkb did not write; nkb replaces "
                           "only a site holding nothing else (move that file, or choose another "
                           "folder)")


def _marker_files(marker: Path) -> set[str] | None:
    """The files a previous site's marker lists, or None if there is no readable marker."""
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MARKER_HEAD:
        return None
    return set(lines[1:])


# --- the files ----------------------------------------------------------------------------------


def site_files(kb: KB, drafts: bool) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (relative path, bytes), in a fixed order."""
    site = Site(kb, drafts)
    for name in ASSETS:
        yield f"assets/{name}", resources.files("nkb").joinpath("site_assets", name).read_bytes()
    yield "index.html", site.index_page()
    yield "sources.html", site.sources_page()
    yield "events.html", site.events_page()
    yield "actors.html", site.actors_page()
    yield "timeline.html", site.timeline_page()
    yield "timeline-data.js", script_data("NKB_TIMELINE", timeline_data(kb, drafts))
    yield "search.html", site.search_page()
    for source in sorted(kb.sources.values(), key=lambda s: natural_key(s.id)):
        yield f"sources/{source.id}.html", site.source_page(source)
    yield "search-index.js", script_data("NKB_SEARCH", search_index(kb, site.text))
    for actor in sorted(kb.actors.values(), key=lambda a: a.id):
        yield f"actors/{actor.id}.html", site.actor_page(actor)
    for event in sorted(kb.events, key=lambda e: e.id):
        yield f"events/{event.id}.html", site.event_page(event)


def script_data(name: str, data: Any) -> bytes:
    """JSON as a script that sets `window.NAME`: a page opened from disk may load a script
    beside it but not fetch a JSON file. `<` is escaped so no text can close a script tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{name} = {text};\n".encode()


# --- data for the scripts -----------------------------------------------------------------------

TIMELINE_FIELDS = ("type", "id", "date", "start", "end", "precision", "length", "approximate",
                   "uncertain", "text", "who", "speaker", "actors", "topics", "href", "draft")


def timeline_data(kb: KB, drafts: bool) -> dict[str, Any]:
    """Every event and quote as the timeline page draws it: one row of TIMELINE_FIELDS each
    (`type` is event, direct or paraphrase), in date order, with the actors' names."""
    rows: list[list[Any]] = []
    for event in kb.events:
        entry = timeline.event_entry(kb, event, drafts)
        rows.append(_timeline_row(entry, "event", "", "", list(event.actors), [],
                                  f"events/{event.id}.html", False))
    for quote in kb.quotes:
        entry = timeline.quote_entry(kb, quote)
        rows.append(_timeline_row(entry, quote.kind, kb.speaker_name(quote), quote.speaker,
                                  [], list(quote.topics), f"sources/{quote.source}.html#{quote.id}",
                                  entry.draft))
    rows.sort(key=lambda r: (r[3], r[4], r[0] != "event", natural_key(r[1])))
    names = {a.id: a.name for a in sorted(kb.actors.values(), key=lambda a: a.id)}
    topics = {t.id: t.description for t in kb.topics().values()}
    return {"fields": list(TIMELINE_FIELDS), "rows": rows, "actors": names, "topics": topics}


def _timeline_row(entry: timeline.Entry, kind: str, who: str, speaker: str, actors: list[str],
                  topics: list[str], href: str, draft: bool) -> list[Any]:
    return [kind, entry.id, entry.date, entry.start, entry.end, entry.precision, entry.length,
            int(entry.approximate), int(entry.uncertain), entry.text, who, speaker, actors,
            topics, href, int(draft)]


SEARCH_FIELDS = ("kind", "id", "title", "text", "href", "date", "detail")


def search_index(kb: KB, text: Callable[[str], str] | None = None) -> dict[str, Any]:
    """What the search page looks through: every quote, event, actor and source (with its
    article's whole text), one row of SEARCH_FIELDS each."""
    rows: list[list[Any]] = []
    for q in kb.quotes:
        rows.append(["quote", q.id, kb.speaker_name(q), q.text,
                     f"sources/{q.source}.html#{q.id}", q.date, q.kind])
    for e in kb.events:
        rows.append(["event", e.id, e.title, " ".join([e.description, *e.places]),
                     f"events/{e.id}.html", e.date, ""])
    for a in sorted(kb.actors.values(), key=search.actor_sort_key):
        rows.append(["actor", a.id, a.name, " ".join([*a.aliases, *(r.title for r in a.roles)]),
                     f"actors/{a.id}.html", "", a.kind])
    for s in sorted(kb.sources.values(), key=lambda s: natural_key(s.id)):
        article = text(s.id) if text else readable_text(kb, s.id)
        rows.append(["source", s.id, s.title, article, f"sources/{s.id}.html",
                     s.date, s.outlet])
    return {"fields": list(SEARCH_FIELDS), "rows": rows}


# --- HTML ---------------------------------------------------------------------------------------


def page_text(value: object) -> str:
    """KB text as HTML: escaped as the terminal shows it (control characters as \\x1b), then
    HTML-escaped, so `<script>` in an article is shown, never run."""
    return html.escape(visible(str(value)), quote=True)


def tag(name: str, body: str, **attributes: str | None) -> str:
    """One element; attribute values are escaped, the body is HTML already."""
    attrs = "".join(f' {k.rstrip("_").replace("_", "-")}="{html.escape(v, quote=True)}"'
                    for k, v in attributes.items() if v is not None)
    return f"<{name}{attrs}>{body}</{name}>"


def link(href: str, text: str, **attributes: str | None) -> str:
    return tag("a", page_text(text), href=href, **attributes)


class Site:
    """The pages of one KB; `drafts` marks every page as including drafts."""

    def __init__(self, kb: KB, drafts: bool) -> None:
        self.kb = kb
        self.drafts = drafts
        self.draft_ids = kb.draft_ids()
        self.texts: dict[str, str] = {}
        self.topic_words = {t.id: t.description for t in kb.topics().values()}
        # each source's quotes and events, gathered once: asking the KB per source is quadratic
        self.quotes_of: dict[str, list[Quote]] = {}
        for quote in kb.quotes:
            self.quotes_of.setdefault(quote.source, []).append(quote)
        self.events_citing: dict[str, list[Event]] = {}
        for event in kb.events:
            for source_id in dict.fromkeys(event.sources):
                self.events_citing.setdefault(source_id, []).append(event)

    def text(self, source_id: str) -> str:
        """A source's article, read once for its page and the search index."""
        if source_id not in self.texts:
            self.texts[source_id] = readable_text(self.kb, source_id)
        return self.texts[source_id]

    # --- frame ----------------------------------------------------------------------------------

    def page(self, title: str, body: str, depth: int = 0, scripts: Iterable[str] = ()) -> bytes:
        """A whole page: head, navigation with the search box, the drafts banner, the body."""
        up = "../" * depth
        nav = " ".join(link(f"{up}{href}", text) for href, text in (
            ("index.html", "Index"), ("timeline.html", "Timeline"), ("sources.html", "Sources"),
            ("events.html", "Events"), ("actors.html", "Actors"), ("search.html", "Search")))
        form = (f'<form class="search-box" action="{up}search.html" method="get">'
                '<input type="search" name="q" placeholder="Search quotes, events, actors, '
                'articles" aria-label="Search"></form>')
        banner = ('<p class="drafts-banner">This site includes drafts: records from sources not '
                  'yet curated, each marked DRAFT. Do not cite them as checked.</p>'
                  if self.drafts else "")
        script_tags = "".join(f'<script src="{up}{s}"></script>' for s in scripts)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{page_text(title)} · nkb</title>\n"
            f"<link rel=\"stylesheet\" href=\"{up}assets/site.css\">\n</head>\n<body>\n"
            f"<header><nav>{nav}</nav>{form}</header>\n{banner}\n<main>\n{body}\n</main>\n"
            f"<footer>Written by nkb {page_text(__version__)} from the KB; quotes and articles "
            "verbatim. A paraphrase is the article's report, not the speaker's words.</footer>\n"
            f"{script_tags}\n</body>\n</html>\n"
        ).encode()

    def draft_mark(self, source_id: str) -> str:
        return ' <span class="draft">DRAFT</span>' if source_id in self.draft_ids else ""

    def date(self, edtf: str, basis: str | None = None) -> str:
        """A date as what it is: the EDTF form and its reading, never padded to a day."""
        shown = tag("span", page_text(edtf), class_="edtf")
        reading = _human_date(edtf, basis is not None)
        return tag("span", f"{shown} ({page_text(reading)})", class_="date",
                   title=f"inferred: {visible(basis)}" if basis else None)

    def quote_line(self, row: dict[str, Any], depth: int, with_source: bool = True) -> str:
        """One quote in a list: id (linking to it in its source), kind, speaker, date, text."""
        up = "../" * depth
        where = f"{up}sources/{row['source']}.html#{row['id']}"
        speaker = row["speaker"]
        who = link(f"{up}actors/{row['speaker_id']}.html", speaker) \
            if row["speaker_id"] in self.kb.actors else page_text(speaker)
        words = (f"“{page_text(row['text'])}”" if row["kind"] == "direct"
                 else f"(paraphrase) {page_text(row['text'])}")
        source = f" · source {link(where.split('#')[0], row['source'])}" if with_source else ""
        topics = ", ".join(tag("span", page_text(t), class_="topic",
                               title=self.topic_words.get(t)) for t in row.get("topics", []))
        source += f" · topics: {topics}" if topics else ""
        return tag("li", f"{link(where, row['id'])} "
                   f"{tag('span', KIND_WORDS[row['kind']], class_='kind ' + row['kind'])} "
                   f"{who}, {self.date(row['date'])}{source}{self.draft_mark(row['source'])}"
                   f"<br>{tag('span', words, class_='words')}",
                   class_=f"quote {row['kind']}", id=None if with_source else row["id"])

    def event_line(self, event: Event | dict[str, Any], depth: int) -> str:
        ident = event.id if isinstance(event, Event) else event["id"]
        date = event.date if isinstance(event, Event) else event["date"]
        title = event.title if isinstance(event, Event) else event["title"]
        up = "../" * depth
        return tag("li", f"{self.date(date)} {link(f'{up}events/{ident}.html', title)}",
                   class_="event")

    # --- pages ----------------------------------------------------------------------------------

    def index_page(self) -> bytes:
        counts = self.kb.counts()
        drafts = f", {counts['drafts']} of them drafts" if self.drafts and counts["drafts"] else ""
        body = (
            "<h1>nkb: Russia's mediation between Armenia and Azerbaijan</h1>\n"
            "<p>Who said what, when, via which outlet; what happened when; who is who, each "
            "record from a news article whose full text is on its source page.</p>\n"
            f"<ul class=\"counts\"><li>{link('sources.html', plural(counts['sources'], 'source'))}"
            f"{page_text(drafts)}</li><li>{plural(counts['quotes'], 'quote')}</li>"
            f"<li>{link('events.html', plural(counts['events'], 'event'))}</li>"
            f"<li>{link('actors.html', plural(counts['actors'], 'actor'))}</li></ul>\n"
            f"<p>{link('timeline.html', 'The timeline')}: events and quotes on a time axis, "
            "each date drawn as precise as it is known.</p>\n"
        )
        return self.page("Index", body)

    def sources_page(self) -> bytes:
        items = []
        for s in search.ordered(self.kb, "source", list(self.kb.sources.values()), "date", False):
            items.append(tag("li", f"{self.date(s.date, s.date_basis)} "
                             f"{link(f'sources/{s.id}.html', s.id)} {page_text(s.outlet)}: "
                             f"{page_text(s.title)} ({len(s.quotes)} quotes)"
                             f"{self.draft_mark(s.id)}"))
        return self.page("Sources", f"<h1>Sources</h1>\n<ul class=\"sources\">{''.join(items)}</ul>")

    def events_page(self) -> bytes:
        items = "".join(self.event_line(e, 0) for e in self.kb.events)
        return self.page("Events", f"<h1>Events</h1>\n<ul class=\"events\">{items}</ul>")

    def actors_page(self) -> bytes:
        said: dict[str, int] = {}
        for q in self.kb.quotes:
            said[q.speaker] = said.get(q.speaker, 0) + 1
        items = "".join(
            tag("li", f"{link(f'actors/{a.id}.html', a.name)} ({page_text(a.kind)}, "
                f"{said.get(a.id, 0)} quotes)")
            for a in search.find_actors(self.kb))
        return self.page("Actors", f"<h1>Actors</h1>\n<ul class=\"actors\">{items}</ul>")

    def timeline_page(self) -> bytes:
        body = (
            "<h1>Timeline</h1>\n"
            "<div id=\"controls\" class=\"controls\">"
            "<label>Group by <select id=\"group\"><option value=\"kind\">kind</option>"
            "<option value=\"actor\">actor</option><option value=\"topic\">topic</option>"
            "</select></label> "
            "<label>Speaker <select id=\"speaker\"><option value=\"\">any</option></select></label> "
            "<label><input type=\"checkbox\" id=\"kind-event\" checked> events</label> "
            "<label><input type=\"checkbox\" id=\"kind-direct\" checked> direct quotes</label> "
            "<label><input type=\"checkbox\" id=\"kind-paraphrase\" checked> paraphrases</label> "
            "<label>Topic <select id=\"topic\"><option value=\"\">any</option></select></label> "
            "<label>Text <input type=\"search\" id=\"text\" placeholder=\"words in the text\">"
            "</label><br>"
            "<label>From <input id=\"from\" size=\"10\" placeholder=\"2020\"></label> "
            "<label>to <input id=\"to\" size=\"10\" placeholder=\"2024-06\"></label> "
            "<button id=\"apply-range\">Show</button> <button id=\"zoom-in\">Zoom in</button> "
            "<button id=\"zoom-out\">Zoom out</button> <button id=\"fit\">Whole KB</button>"
            "</div>\n"
            "<p class=\"legend\"><span class=\"sample point\"></span> a known day "
            "<span class=\"sample span\"></span> a month, year or interval (drawn over every day "
            "it may mean) <span class=\"sample span uncertain\"></span> uncertain (?) "
            "<span class=\"sample span approximate\"></span> approximate (~) "
            "<span class=\"sample span open-start\"></span> open start (only \"by then\" known). "
            "Wheel to zoom, drag to move.</p>\n"
            "<p id=\"count\" class=\"count\" aria-live=\"polite\"></p>\n"
            "<div id=\"chart\" class=\"chart\"></div>\n"
            "<h2>Records in view</h2>\n<p id=\"pager\" class=\"pager\"></p>\n"
            "<ol id=\"list\" class=\"records\"></ol>\n"
        )
        return self.page("Timeline", body,
                         scripts=("timeline-data.js", "assets/common.js", "assets/timeline.js"))

    def search_page(self) -> bytes:
        body = (
            "<h1>Search</h1>\n<form id=\"search-form\" class=\"controls\">"
            "<input type=\"search\" id=\"q\" name=\"q\" size=\"40\" aria-label=\"Search\"> "
            + " ".join(f"<label><input type=\"checkbox\" id=\"kind-{k}\" checked> {k}s</label>"
                       for k in ("quote", "event", "actor", "source"))
            + " <button>Search</button></form>\n"
            "<p class=\"hint\">Every word must occur (in any order, any case, accents ignored); "
            "\"a phrase\" in double quotes must occur as written. Article texts are searched "
            "whole.</p>\n<p id=\"count\" class=\"count\" aria-live=\"polite\"></p>\n"
            "<ol id=\"results\" class=\"results\"></ol>\n"
            "<p><button id=\"more\" hidden>More results</button></p>\n"
        )
        return self.page("Search", body, scripts=("search-index.js", "assets/common.js", "assets/search.js"))

    def source_page(self, source: Source) -> bytes:
        detail: dict[str, Any] = {"title": fact(source.title), "outlet": fact(source.outlet),
                  "via": fact(source.via), "text": self.text(source.id),
                  "quotes": [quote_row(self.kb, q) for q in self.quotes_of.get(source.id, [])]}
        events = "".join(self.event_line(e, 1) for e in self.events_citing.get(source.id, []))
        ref = cite.source_reference(source)
        fields = [("Source", page_text(source.id)), ("Date", self.date(source.date, source.date_basis)),
                  ("Outlet", page_text(detail["outlet"] or "not yet named"))]
        if detail["via"]:
            fields.append(("Via", page_text(detail["via"])))
        if source.dateline:
            fields.append(("Dateline", page_text(source.dateline)))
        if source.headline:
            fields.append(("Headline", page_text(source.headline)))
        if source.url:
            fields.append(("Address", tag("a", page_text(source.url), href=source.url)))
        if source.date_basis:
            fields.append(("Date basis", page_text(source.date_basis)))
        fields.append(("Status", page_text(source.status) + self.draft_mark(source.id)))
        quotes = "".join(self.quote_line(q, 1, with_source=False) for q in detail["quotes"])
        body = (
            f"<h1>{page_text(detail['title'] or 'untitled draft')}{self.draft_mark(source.id)}</h1>\n"
            f"{_fields(fields)}\n<h2>Cite</h2>\n"
            f"<p class=\"citation\">{page_text(cite.text_line(ref))}</p>\n"
            f"<details open><summary>CSL-JSON</summary><pre class=\"cite csl-json\">"
            f"{page_text(cite.render([ref], CiteFormat.csl_json))}</pre></details>\n"
            f"<details open><summary>BibTeX (biblatex)</summary><pre class=\"cite bibtex\">"
            f"{page_text(cite.render([ref], CiteFormat.bibtex))}</pre></details>\n"
            f"<h2>Quotes</h2>\n<ol class=\"quotes\">{quotes}</ol>\n"
            + (f"<h2>Events it reports</h2>\n<ul class=\"events\">{events}</ul>\n" if events else "")
            + "<h2>Article</h2>\n<p class=\"legend\"><mark class=\"direct\">direct quote</mark> "
            "<mark class=\"paraphrase\">paraphrase (not verbatim)</mark>; each quote begins at "
            "its id.</p>\n"
            f"<div class=\"article\">{marked_article(detail['text'], detail['quotes'])}</div>\n"
        )
        return self.page(f"Source {source.id}", body, depth=1)

    def actor_page(self, actor: Actor) -> bytes:
        profile = actor_detail(self.kb, actor, drafts=self.drafts)
        fields = [("Id", page_text(actor.id)), ("Kind", page_text(actor.kind))]
        if actor.aliases:
            fields.append(("Also", page_text("; ".join(actor.aliases))))
        if actor.note:
            fields.append(("Note", page_text(actor.note)))
        roles = "".join(tag("li", page_text(r["title"]) + "".join(
            f" · {self.date(d['date']) if d['date'] else 'undated'} "
            + ", ".join(link(f"../sources/{s}.html", s) for s in d["sources"])
            for d in r["dates"])) for r in profile["roles"])
        said = "".join(self.quote_line(q, 1) for q in profile["quotes"])
        named = "".join(self.quote_line(q, 1) for q in profile["mentioned_in_quotes"])
        sources = ", ".join(link(f"../sources/{s}.html", s) for s in profile["mentioned_in_sources"])
        events = "".join(self.event_line(e, 1) for e in profile["events"])
        body = (f"<h1>{page_text(actor.name)}</h1>\n{_fields(fields)}\n"
                + _section("Roles", f"<ul class=\"roles\">{roles}</ul>", roles)
                + _section(f"Quotes ({len(profile['quotes'])})", f"<ol class=\"quotes\">{said}</ol>",
                           said)
                + _section("Quotes by others that name them",
                           f"<ol class=\"quotes\">{named}</ol>", named)
                + _section("Articles that name them", f"<p>{sources}</p>", sources)
                + _section("Events", f"<ul class=\"events\">{events}</ul>", events))
        return self.page(actor.name, body, depth=1)

    def event_page(self, event: Event) -> bytes:
        view = views.event_detail(self.kb, event)
        fields = [("Date", self.date(event.date, event.date_basis))]
        if event.date_basis:
            fields.append(("Date basis", page_text(event.date_basis)))
        if view["places"]:
            fields.append(("Places", page_text("; ".join(view["places"]))))
        if view["actors"]:
            fields.append(("Actors", ", ".join(
                link(f"../actors/{a['id']}.html", a["name"]) if a["id"] in self.kb.actors
                else page_text(a["name"]) for a in view["actors"])))
        reports = "".join(tag("li", f"{link('../sources/' + s['id'] + '.html', s['id'])} "
                              f"{self.date(s['date'])} {page_text(s['outlet'] or '')}: "
                              f"{page_text(s['title'] or '')}{self.draft_mark(s['id'])}")
                          for s in view["sources"])
        body = (f"<h1>{page_text(event.title)}</h1>\n{_fields(fields)}\n"
                f"<p class=\"description\">{page_text(event.description)}</p>\n"
                f"<h2>Reported by</h2>\n<ul class=\"sources\">{reports}</ul>\n")
        return self.page(event.title, body, depth=1)


@functools.lru_cache(maxsize=4096)
def _human_date(edtf: str, inferred: bool) -> str:
    return cite.human_date(edtf, inferred)  # the same few dates recur on every page


def _fields(fields: list[tuple[str, str]]) -> str:
    return "<dl class=\"fields\">" + "".join(f"<dt>{name}</dt><dd>{value}</dd>"
                                            for name, value in fields) + "</dl>"


def _section(title: str, body: str, content: str) -> str:
    return f"<h2>{page_text(title)}</h2>\n{body}\n" if content else ""


def marked_article(text: str, quotes: list[dict[str, Any]]) -> str:
    """The article as HTML with each quote found in it marked (`mark.direct` or
    `mark.paraphrase`, `data-quotes` naming every quote a stretch belongs to), an anchor
    `text-ID` and a visible id where each quote begins; overlapping quotes stay well nested."""
    found = locate_each(text, [q["text"] for q in quotes])
    spans = [(where, q) for where, q in zip(found, quotes, strict=True) if where is not None]
    cuts = sorted({0, len(text), *(b for (start, end), _ in spans for b in (start, end))})
    starts: dict[int, list[dict[str, Any]]] = {}
    for (start, _), q in spans:
        starts.setdefault(start, []).append(q)
    out: list[str] = []
    for left, right in itertools.pairwise(cuts):
        for q in starts.get(left, []):
            out.append(f'<span class="quote-start" id="text-{html.escape(q["id"])}">'
                       f'<a href="#{html.escape(q["id"])}">{page_text(q["id"])}</a></span>')
        covering = [q for (start, end), q in spans if start <= left and right <= end]
        piece = page_text(text[left:right])
        if covering:
            kinds = sorted({q["kind"] for q in covering})
            out.append(tag("mark", piece, class_=" ".join(kinds),
                           data_quotes=" ".join(q["id"] for q in covering)))
        else:
            out.append(piece)
    return "".join(out)


def summary_line(summary: SiteSummary, target: Path) -> str:
    """What `nkb site` says on stderr when it is done."""
    return (f"nkb: wrote {visible(str(target))}/: {summary.files} files, "
            f"{summary.bytes / 1e6:.1f} MB ({summary.sources} sources, {summary.quotes} quotes, "
            f"{summary.events} events, {summary.actors} actors); open "
            f"{visible(str(target / 'index.html'))}\n")

