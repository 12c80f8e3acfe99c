"""`nkb add`: store an article's text as a new source with a draft record for the curator.

1. Open the KB (a broken KB is refused before anything is written) and choose the id.
2. Read the text (a regular file or standard input, UTF-8, not empty, at most
   yamlfile.MAX_FILE_BYTES, refused as soon as it is read past that) and extract date,
   outlet, quotes, speakers and hints.
3. Write NNN.txt and NNN.yaml as one change (fsutil.change_files, under the KB's writer's
   lock), never over an existing file; if anything fails on the way (an error, Ctrl-C,
   SIGTERM, SIGHUP), both are removed, so the KB is left exactly as it was.
4. Load the KB again: the draft must validate, else both files are removed and the problems
   reported (a draft that does not load is a bug in the extractor).

The add is committed when step 4 passes, and only then: `add_article` returning means the
source is in the KB; anything after it (printing the path) cannot undo it. Killed outright
(`kill -9`) before that, the change stays journalled and the next nkb run removes both files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from nkb import fsutil, store, web
from nkb.dates import DateError, parse_edtf
from nkb.errors import KBError, NkbError, UsageError
from nkb.fsutil import signals_deferred
from nkb.index import KB, normalise_source_id
from nkb.models import URL_PATTERN, Strength
from nkb.reader import article, attribution, lexicon, pubdate, quotes
from nkb.text import is_placeholder, plural
from nkb.validation import SOURCES_DIR, list_sources, numbered_stem
from nkb.yamlfile import MAX_FILE_BYTES, ReadRefused, read_limited, read_regular

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/source.schema.json\n"


class AddError(NkbError):
    """An article that cannot be added; nothing was written."""


@dataclass
class Added:
    """What one `nkb add` wrote and what the curator must still check."""

    id: str
    text_path: Path
    draft_path: Path
    record: dict[str, Any]
    findings: article.Findings
    to_confirm: list[str] = field(default_factory=list)
    name: str = ""  # the file or address it was added from


MAX_ID_DIGITS = 9  # ids sort with their numbers padded to 9 digits (text.natural_key)


def read_article(file: str, stdin: BinaryIO | None) -> bytes:
    """The article's bytes from a regular file, or from standard input for `-`, refusing more
    than MAX_FILE_BYTES as it reads."""
    if file == "-":
        if stdin is None:
            raise AddError("standard input is closed; pipe the article in "
                           "(nkb add - < article.txt) or give its file")
        try:
            return read_limited(stdin, MAX_FILE_BYTES, "standard input")
        except ReadRefused as exc:
            raise AddError(f"{exc.message}; nothing was added ({exc.hint})") from None
        except OSError as exc:
            raise AddError(f"cannot read standard input: {exc.strerror}") from None
    try:
        return read_regular(Path(file), MAX_FILE_BYTES)
    except ReadRefused as exc:
        raise AddError(f"cannot add {file}: {exc.message}; {exc.hint}") from None


@dataclass(frozen=True)
class Article:
    """One article to add: the text to store, the name it was given by, the page it came from."""

    data: bytes
    name: str
    page: web.PageMeta | None = None


def read_input(name: str, stdin: BinaryIO | None) -> Article:
    """The article a file, standard input (`-`) or a web address gives: a web page (a saved
    .html file, or a page fetched from its address) is read for its main text and metadata;
    any other input is the text itself."""
    if web.is_url(name):
        web.ensure_reader(name)  # before the network: a page that cannot be read is not fetched
        fetched = web.fetch(name)
        page = web.read_page(fetched.data, name, fetched.url, fetched.charset, pubdate.today())
        return Article(page.text.encode("utf-8"), name, page)
    data = read_article(name, stdin)
    if web.is_html(name, data):
        page = web.read_page(data, name, today=pubdate.today())
        return Article(page.text.encode("utf-8"), name, page)
    return Article(data, name)


def _text_option(option: str, value: str | None) -> None:
    """Refuse an option's text that is not UTF-8 (a stray byte from another encoding)."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(value[exc.start]) - 0xDC00
        raise UsageError(f"{option}: not UTF-8 text (byte 0x{byte:02x}); type it again in "
                         "UTF-8, or convert it with iconv") from None


def _file_name(name: str) -> str:
    """A file name as the record keeps it: its bytes that are not UTF-8 shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def decode(data: bytes, name: str) -> str:
    """The article as text; empty or non-UTF-8 input is refused, naming the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AddError(f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                       f"{exc.start}); convert it, e.g. `iconv -f cp1251 -t utf-8 {name}`") from None
    if not text.strip():
        raise AddError(f"{name} is empty: give the article's text")
    return text


def not_speakers(kb: KB) -> set[str]:
    """Names the KB knows as places or outlets: never proposed as a new speaker."""
    places = {p for e in kb.events for p in e.places}
    outlets = {o for s in kb.sources.values() for o in (s.outlet, s.via) if o}
    return places | outlets


SHINGLE = 5  # words per shingle when comparing articles
NEAR_COPY = 0.5  # share of the shorter article's shingles found in the other: a near-copy


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = lexicon.words(text)
    if len(tokens) < SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def find_copy(kb: KB, text: str) -> tuple[str, float] | None:
    """The source whose text this article is, or nearly is (a repost by another outlet), with
    the share of the shorter text they have in common; None if none is."""
    mine = _shingles(text)
    if not mine:
        return None
    best: tuple[str, float] | None = None
    for source_id in sorted(kb.sources):
        try:
            theirs = _shingles(kb.text(source_id))
        except (OSError, NkbError):
            continue  # a source whose text cannot be read is reported by `nkb check`
        if not theirs:
            continue
        share = len(mine & theirs) / min(len(mine), len(theirs))
        if share >= NEAR_COPY and (best is None or share > best[1]):
            best = (source_id, share)
    return best


def refuse_copy(kb: KB, text: str, name: str) -> None:
    """Refuse an article the KB already holds, naming the source."""
    found = find_copy(kb, text)
    if found is None:
        return
    source = kb.sources[found[0]]
    same = "the same text as" if found[1] >= 0.999 else (
        f"a near-copy ({found[1]:.0%} of the shorter text in common) of")
    raise AddError(f"{name} is {same} source {source.id} ({source.outlet}, {source.date}, "
                   f"{source.file}); nothing was added. Add it anyway with --force")


def choose_id(kb: KB, wanted: str | None) -> str:
    """The given id (refused if taken), else the next free three-digit id."""
    listing = list_sources(kb.root)
    numbers = {numbered_stem(n) for n in (*listing.records, *listing.texts)}
    used = {int(s) for s in kb.sources if s.isascii() and s.isdigit()}
    used |= {n for n in numbers if n is not None}
    if wanted is not None:
        source_id = normalise_source_id(wanted)
        if not re.fullmatch(r"[0-9]{3,}", source_id):
            raise UsageError(f"--id {wanted!r}: a source id is 3 or more digits 0-9, e.g. 005")
        if len(source_id) > MAX_ID_DIGITS:
            raise UsageError(f"--id {wanted!r}: a source id has at most {MAX_ID_DIGITS} digits")
        if int(source_id) in used:
            held = next((s for s in kb.sources if s.isdigit() and int(s) == int(source_id)),
                        source_id)  # `--id 0003` while 003 exists: say 003
            raise AddError(f"source {held} already exists; nkb add never replaces a source "
                           "(leave out --id to take the next free one)")
        return source_id
    number = max(used, default=-1) + 1
    if len(str(number)) > MAX_ID_DIGITS:
        raise AddError(f"no free source id: the KB's ids reach {number - 1}; give one with --id")
    return f"{number:03d}"


def build_record(source_id: str, file_name: str, findings: article.Findings,
                 outlet: str | None = None, date: str | None = None,
                 url: str | None = None) -> dict[str, Any]:
    """The draft source record as a plain dict, in the field order curators read; every
    proposal carries its strength and basis (draft-only fields)."""
    found_date = findings.date
    if date is not None:
        source_date, basis = date, "given with --date"
    else:
        source_date, basis = found_date.edtf, found_date.basis
    chosen_outlet = outlet or findings.outlet.outlet
    record: dict[str, Any] = {
        "id": source_id,
        "title": "TODO: write a short title",
        "outlet": chosen_outlet or "TODO: name the publisher (the text does not)",
        "via": findings.outlet.via,
        "dateline": found_date.dateline,
        "date": source_date,
        "date_basis": basis,
        "file": file_name,
        **({"url": url} if url is not None else {}),
        "status": "draft",
    }
    date_proposal = proposal("strong", "given with --date") if date is not None else \
        proposal(found_date.strength, found_date.basis, found_date.alternatives)
    printed = date is not None or found_date.printed
    new_ids = {a.id for a in findings.new_actors}
    names = {a.id: a.name for a in findings.new_actors}
    quotes = []
    for n, q in enumerate(findings.quotes, 1):
        speaker = q.speaker or unknown_speaker_id(findings)
        entry: dict[str, Any] = {"id": f"{source_id}-{n}", "speaker": speaker}
        if speaker in new_ids or q.speaker is None:
            entry["speaker_name"] = names.get(speaker, "TODO: speaker not found")
        entry["strength"] = q.strength if q.speaker else "weak"
        entry["basis"] = q.how
        if q.alternatives:
            entry["alternatives"] = list(q.alternatives)
        entry["text"] = q.candidate.text
        entry.update(_quote_date(source_date, q.sentence, printed, date_proposal["strength"]))
        entry["kind"] = "direct"
        entry["topics"] = []
        entry["proposals"] = {"date": entry.pop("date_proposal"),
                              "kind": _kind_proposal(q.candidate)}
        quotes.append(entry)
    record["quotes"] = quotes
    new_actors = [{"id": a.id, "name": a.name, **({"role": a.role} if a.role else {}),
                   **_actor_proposal(a.id, findings)} for a in findings.new_actors]
    if any(q.speaker is None for q in findings.quotes):
        new_actors.append({"id": unknown_speaker_id(findings), "name": "unknown speaker",
                           "strength": "weak",
                           "basis": "no rule found who said some quotes: name the speaker"})
    record["new_actors"] = new_actors
    record["hints"] = findings.hints
    record["proposals"] = {
        "title": proposal("weak", "not read from the text: write a short title"),
        "date": date_proposal,
        "outlet": proposal("strong", "given with --outlet") if outlet else
        proposal(*findings.outlet.outlet_proposal),
        "via": proposal(*findings.outlet.via_proposal),
        "hints": proposal("weak", "sentences of the article that date something, with the "
                                  "actors they name: a start for events, not events"),
    }
    return record


def proposal(strength: Strength, basis: str, alternatives: Sequence[str] = ()) -> dict[str, Any]:
    """One proposal as the draft writes it: strength, basis and any alternatives."""
    return {"strength": strength, "basis": basis,
            **({"alternatives": list(alternatives)} if alternatives else {})}


def _quote_date(source_date: str, sentence: str, printed: bool,
                article: Strength) -> dict[str, Any]:
    """A quote's date, its basis where it is not simply the article's, and its proposal."""
    said = pubdate.statement_day(source_date, sentence)
    if said is not None:
        basis = said[1] if printed else f"{pubdate.TODO}{said[1]} (the article's date is inferred)"
        return {"date": said[0], "date_basis": basis,
                "date_proposal": proposal(attribution.weakest(article, "medium"), said[1])}
    out: dict[str, Any] = {"date": source_date}
    if not printed:
        out["date_basis"] = (f"{pubdate.TODO}the article's date ({source_date}, "
                             "inferred); the text does not date the statement")
    out["date_proposal"] = proposal(
        attribution.weakest(article, "medium"),
        "the article's date: the text does not date the statement")
    return out


def _kind_proposal(candidate: quotes.Candidate) -> dict[str, Any]:
    """Direct: strong between quote marks, medium for words read as quoted without them."""
    if candidate.form in ("transcript", "dash"):
        return proposal("medium", f"{candidate.form} form: read as the speaker's words "
                                  "without quote marks around them")
    if candidate.form in ("no-opener", "unclosed"):
        return proposal("medium", "one quote mark only: where the words start or end is read "
                                  "from the sentence")
    return proposal("strong", "between quote marks")


def _actor_proposal(actor_id: str, findings: article.Findings) -> dict[str, Any]:
    """A proposed actor's strength and basis: those of the first quote given to them."""
    first = next((q for q in findings.quotes if q.speaker == actor_id), None)
    if first is None:
        return {"strength": "weak", "basis": "named in the article; not in the KB"}
    return {"strength": attribution.weakest(first.strength, "medium"),
            "basis": f"not in the KB; named by {first.how}"}


def unknown_speaker_id(findings: article.Findings) -> str:
    """The placeholder actor for quotes whose speaker was not found."""
    taken = {a.id for a in findings.new_actors}
    slug, n = "unknown-speaker", 2
    while slug in taken:
        slug, n = f"unknown-speaker-{n}", n + 1
    return slug


def dump_record(record: dict[str, Any]) -> str:
    """The record as YAML text, schema line first; plain dicts only, so safe_dump quotes every
    value that YAML could misread."""
    # libyaml's emitter when there is one: the pure-Python one takes seconds on a long article
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(record, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return SCHEMA_LINE + body


def add_article(root: Path, data: bytes, name: str, source_id: str | None = None,
                outlet: str | None = None, date: str | None = None,
                url: str | None = None, force: bool = False,
                page: web.PageMeta | None = None) -> Added:
    """Add an article to the KB at `root` as a draft source; see the module docstring. `page`
    is the web page the text was read from: its metadata is weighed with the text's clues."""
    for option, value in (("--id", source_id), ("--outlet", outlet), ("--date", date),
                          ("--url", url)):
        _text_option(option, value)
    if url is not None and not re.search(URL_PATTERN, url):
        raise UsageError(f"--url {url!r} is not an absolute http(s) URL; give the article's "
                         "full address, e.g. https://example.org/news/123")
    if date is not None:
        try:
            parse_edtf(date)
        except DateError as exc:
            raise UsageError(f"--date: {exc}") from None
    if store.is_installed_kb(root):
        raise UsageError(f"{root} is the KB installed with nkb, which an upgrade would replace; "
                         "add articles to your own KB: copy it somewhere and use --kb DIR")
    kb = store.open_kb(root)
    text = decode(data, name)
    if not force:
        refuse_copy(kb, text, name)
    new_id = choose_id(kb, source_id)
    if page is not None and url is None and page.url is not None:
        url = page.url.value
    findings = article.extract(text, kb.actors.values(), not_speakers(kb), url)
    choices: dict[str, web.Choice] = {}
    if page is not None:
        findings, choices = _weigh_page(findings, page, outlet, date)
    own_file = name != "-" and not web.is_url(name)
    file_name = _file_name(Path(name).name) if own_file else f"{new_id}.txt"
    record = build_record(new_id, file_name, findings, outlet, date, url)
    if page is not None:
        record = _with_page(record, page, choices, url)
    folder = root / SOURCES_DIR
    text_path, draft_path = folder / f"{new_id}.txt", folder / f"{new_id}.yaml"
    draft = dump_record(record).encode("utf-8")
    try:
        with fsutil.writer_lock(root):
            change = None
            try:
                with signals_deferred():  # a signal lands once the change is known, to undo
                    change = fsutil.change_files(root, {text_path: data, draft_path: draft},
                                                 overwrite=False)
                _check_loads(root, new_id, draft_path)
            except BaseException:
                if change is not None:
                    change.undo()
                raise
            if change is not None:  # two new files are always a change
                change.commit()
    except OSError as exc:
        raise AddError(f"cannot write into {folder}: {exc.strerror or exc}; nothing was "
                       "added (make the folder writable, or free some space)") from None
    return Added(new_id, text_path, draft_path, record, findings, _to_confirm(record), name)


def _weigh_page(findings: article.Findings, page: web.PageMeta, outlet: str | None,
                date: str | None) -> tuple[article.Findings, dict[str, web.Choice]]:
    """The text's date and outlet weighed with the page's metadata (what the curator gave
    with --date or --outlet is left alone)."""
    choices: dict[str, web.Choice] = {}
    if page.date is not None and date is None:
        found = findings.date
        choice = web.choose_date(page.date, found.edtf, found.basis.removeprefix(pubdate.TODO),
                                 found.printed, found.strength)
        settled = choice.strength == "strong"
        basis = choice.basis if settled else pubdate.TODO + choice.basis
        findings = replace(findings, date=replace(found, edtf=choice.value, basis=basis,
                                                  printed=settled,
                                                  alternatives=tuple(choice.alternatives)))
        choices["date"] = choice
    if page.site is not None and outlet is None:
        said = findings.outlet
        choice = web.choose_outlet(page.site, said.outlet, said.basis)
        findings = replace(findings, outlet=replace(said, outlet=choice.value, basis=choice.basis,
                                                    outlet_proposal=(choice.strength,
                                                                     choice.basis)))
        choices["outlet"] = choice
    return findings, choices


def _proposal(strength: str, basis: str, alternatives: list[str] | None = None) -> dict[str, Any]:
    return {"strength": strength, "basis": basis, **({"alternatives": alternatives}
                                                      if alternatives else {})}


def _with_page(record: dict[str, Any], page: web.PageMeta, choices: dict[str, web.Choice],
               url: str | None) -> dict[str, Any]:
    """The draft with what the page's metadata gives: the headline (verbatim, and proposed as
    the title), the date and the outlet weighed with the text's, the address and the author
    (as hints, with their basis). Only the fields `nkb review` reviews carry proposals."""
    proposals = dict(record.get("proposals") or {})
    out: dict[str, Any] = {}
    for key, value in record.items():
        out[key] = value
        if key == "title" and page.headline is not None and page.headline.strength != "weak":
            out["headline"] = page.headline.value
    if page.headline is not None and is_placeholder(str(record["title"])):
        kept = ", kept verbatim in headline" if "headline" in out else ""
        strength = "weak" if page.headline.strength == "weak" else "medium"
        proposals["title"] = _proposal(strength, f"the page's headline ({page.headline.basis})"
                                       f"{kept}: take it as the title, or shorten it",
                                       [page.headline.value])
    for name, choice in choices.items():
        proposals[name] = _proposal(choice.strength, choice.basis, choice.alternatives)
    read = []
    if page.url is not None and url == page.url.value and page.url.strength != "strong":
        read.append(f"page metadata: address {page.url.value} ({page.url.basis})")
    if page.author is not None:
        read.append(f"page metadata: author {page.author.value} ({page.author.basis})")
    out["hints"] = [*read, *out["hints"]]
    out.pop("proposals", None)
    if proposals:
        out["proposals"] = proposals
    return out


@dataclass(frozen=True)
class Failed:
    """An article of several that could not be added; nothing of it was written."""

    name: str
    error: NkbError

    @property
    def message(self) -> str:
        """The error, naming the article's file or address."""
        text = str(self.error)
        return text if self.name in text else f"{self.name}: {text}"


def expand(names: list[str]) -> list[str]:
    """The articles the arguments name: a folder stands for its regular files (hidden ones left
    out) in name order; anything else, a file, `-` or an address, for itself."""
    out: list[str] = []
    for name in names:
        folder = Path(name)
        if name == "-" or web.is_url(name) or not folder.is_dir():
            out.append(name)
            continue
        try:
            files = sorted(p.name for p in folder.iterdir()
                           if not p.name.startswith(".") and p.is_file())
        except OSError as exc:
            raise AddError(f"cannot list the folder {name}: {exc.strerror or exc}") from None
        if not files:
            raise AddError(f"the folder {name} holds no files to add")
        out.extend(str(folder / f) for f in files)
    return out


def add_each(root: Path, articles: list[str], stdin: BinaryIO | None,
             source_id: str | None = None, outlet: str | None = None, date: str | None = None,
             url: str | None = None, force: bool = False) -> Iterator[Added | Failed]:
    """Add each article (files, `-` or addresses, as `expand` gives them), each on its own: one
    that fails is given as Failed, and the others are still added. One article alone raises its
    error instead. What fails every article alike (a broken KB, a bad option) is raised."""
    several = len(articles) > 1
    if several and source_id is not None:
        raise UsageError("--id names one source: give one article with it, or leave it out")
    if several and url is not None:
        raise UsageError("--url is one article's address: give one article with it")
    if articles.count("-") > 1:
        raise UsageError("- (standard input) can be given once")
    if url is not None and any(web.is_url(a) for a in articles):
        raise UsageError(f"--url {url!r}: the article is fetched from its own address; "
                         "leave out --url")
    for name in articles:
        try:
            given = read_input(name, stdin)
            yield add_article(root, given.data, name, source_id, outlet, date, url, force,
                              given.page)
        except (UsageError, KBError):
            raise
        except NkbError as exc:
            if not several:
                raise
            yield Failed(name, exc)


def weak_proposals(record: dict[str, Any]) -> int:
    """How many of a draft record's proposals are weak."""
    return sum(p["strength"] == "weak" for _, p in proposals_of(record))


def one_line(added: Added) -> str:
    """An added article in one line: id, file, outlet, date, quotes, weak proposals."""
    r = added.record
    outlet = "outlet unknown" if is_placeholder(str(r["outlet"])) else r["outlet"]
    return (f"added {added.id} ({_file_name(added.name)}): {outlet}, {r['date']}, "
            f"{plural(len(r['quotes']), 'quote')}, "
            f"{plural(weak_proposals(r), 'weak proposal')}\n")


def _check_loads(root: Path, new_id: str, draft_path: Path) -> None:
    kb, problems = store.load_kb(root)
    if problems or kb is None or new_id not in kb.sources:
        listed = "\n".join(str(p) for p in problems) or "the draft did not load"
        raise AddError(f"the draft for {new_id} does not validate, so nothing was added "
                       f"(this is a bug in nkb add; please report it):\n{listed}")


def _to_confirm(record: dict[str, Any]) -> list[str]:
    out = ["title"]
    if str(record["outlet"]).startswith("TODO"):
        out.append("outlet (not found in the text)")
    if str(record.get("date_basis") or "").startswith("TODO"):
        out.append(f"date {record['date']} (inferred)")
    proposed = [a["id"] for a in record["new_actors"]]
    if proposed:
        out.append(f"new actors: {', '.join(proposed)}")
    out.append(f"{plural(len(record['quotes']), 'quote')} (text, speaker, kind, topics)")
    if record["hints"]:
        out.append(plural(len(record["hints"]), "hint"))
    return out


def proposals_of(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every proposal of a draft record, named as a curator finds it: (what, proposal)."""
    out = [(field, p) for field, p in record["proposals"].items()]
    for q in record["quotes"]:
        out.append((f"quote {q['id']} speaker {q['speaker']}",
                    {"strength": q["strength"], "basis": q["basis"],
                     "alternatives": q.get("alternatives", [])}))
        out += [(f"quote {q['id']} {field}", p) for field, p in q["proposals"].items()]
    out += [(f"new actor {a['id']}", a) for a in record["new_actors"]]
    return out


def _strength_lines(record: dict[str, Any]) -> list[str]:
    """The weak proposals first, each with its basis; then how many are medium and strong."""
    every = proposals_of(record)
    weak = [(what, p) for what, p in every if p["strength"] == "weak"]
    lines = [f"  weak proposals ({len(weak)}), check these first:"] if weak else []
    for what, p in weak:
        others = f"; or {', '.join(p['alternatives'])}" if p.get("alternatives") else ""
        lines.append(f"    {what}: {p['basis']}{others}")
    counts = {s: sum(p["strength"] == s for _, p in every) for s in ("medium", "strong")}
    lines.append(f"  medium proposals: {counts['medium']}; strong: {counts['strong']}")
    return lines


def summary(added: Added) -> str:
    """A short account for stderr: what was written, the weak proposals first with their
    basis, and what to confirm."""
    r, f = added.record, added.findings
    speakers = sorted({q["speaker"] for q in r["quotes"]})
    lines = [
        f"added source {added.id}: {added.text_path.name} + {added.draft_path.name} (draft)",
        *_strength_lines(r),
        *([f"  headline: {r['headline']}"] if r.get("headline") else []),
        f"  date: {r['date']} ({r['date_basis']})",
        f"  outlet: {r['outlet']}" + (f", via {r['via']}" if r["via"] else "")
        + f" ({f.outlet.basis})",
        f"  quotes: {len(r['quotes'])}" + (f" by {', '.join(speakers)}" if speakers else ""),
    ]
    if r["new_actors"]:
        lines.append("  proposed new actors: " + ", ".join(
            f"{a['id']} ({a['name']})" for a in r["new_actors"]))
    lines.append("  to confirm: " + "; ".join(added.to_confirm))
    lines.append(f"  next: `nkb review {added.id}` (weakest first), then `nkb confirm {added.id}`")
    return "\n".join(lines) + "\n"
