"""References to the KB for papers and reference managers: a source or a quote as one text
line, CSL-JSON, BibTeX (biblatex) or RIS.

A reference never claims more than the KB knows: without a recorded headline the title is the
curator's, shown in [square brackets] as citation styles mark a supplied title; an inferred date
is bracketed too and carries its basis; a paraphrase is never shown in quote marks; a draft is
refused unless asked for, and then says it is a draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nkb import dates
from nkb.errors import NkbError, NotFound, UsageError
from nkb.index import KB, normalise_source_id
from nkb.models import Quote, Source
from nkb.render import CiteFormat, to_json
from nkb.text import is_placeholder, visible

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


class DraftRefused(NkbError):
    """A draft source was to be cited without --drafts."""


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """The quote a reference points at, as the KB holds it."""

    id: str
    speaker: str
    text: str
    kind: str  # direct or paraphrase
    date: str
    date_basis: str | None


@dataclass(frozen=True, slots=True)
class Reference:
    """What a citation of one source (or of one quote in it) can truthfully say."""

    key: str  # nkb-003, nkb-003-4
    source_id: str
    outlet: str
    via: str | None
    title: str  # the outlet's headline when recorded, else the curator's title
    title_supplied: bool  # no headline recorded: the title is the curator's
    date: str  # EDTF
    date_basis: str | None
    url: str | None
    draft: bool
    quote: QuoteRef | None = None


def source_reference(source: Source) -> Reference:
    """The reference of one source."""
    return Reference(
        key=f"nkb-{source.id}", source_id=source.id,
        outlet=_not_placeholder(source.outlet, "publisher not yet named"), via=source.via,
        title=source.headline or _not_placeholder(source.title, "untitled draft"),
        title_supplied=source.headline is None,
        date=source.date, date_basis=source.date_basis, url=source.url,
        draft=source.status == "draft")


def _not_placeholder(value: str, instead: str) -> str:
    """A draft's placeholder ("TODO: write a short title") is not a title: say what it is."""
    return instead if is_placeholder(value) else value


def quote_reference(kb: KB, quote: Quote) -> Reference:
    """The reference of a quote: its source's, with the quote and its speaker."""
    base = source_reference(kb.source(quote.source))
    ref = QuoteRef(quote.id, kb.speaker_name(quote), quote.text, quote.kind, quote.date,
                   quote.date_basis)
    return replace(base, key=f"nkb-{quote.id}", quote=ref)


def find(kb: KB, ident: str, drafts: bool = False) -> Reference:
    """The reference of a source id (`003`, `3`) or a quote id (`003-4`); a draft is refused
    unless `drafts`."""
    ident = ident.strip()
    key = normalise_source_id(ident)
    if key in kb.sources:
        ref = source_reference(kb.sources[key])
    else:
        quote = _quote(kb, ident)
        if quote is None:
            raise NotFound(f"no source or quote {ident!r}; give a source id such as 003 or a "
                           "quote id such as 003-4 (`nkb source 003` lists its quotes)")
        ref = quote_reference(kb, quote)
    if ref.draft and not drafts:
        raise DraftRefused(f"source {ref.source_id} is a draft, not yet curated; finish it "
                           "(`nkb check` lists what it lacks) or add --drafts to cite it "
                           "marked as a draft")
    return ref


def find_all(kb: KB, idents: list[str], drafts: bool = False) -> list[Reference]:
    """The references of several ids, in the order given, each once; the first id that names
    nothing (or a draft, unless `drafts`) is refused, so no list is cited in part."""
    refs = [find(kb, ident, drafts) for ident in idents]
    return list({ref.key: ref for ref in refs}.values())


_ID_COLUMN = re.compile(r'^\ufeff?"?id"?(,|$)')


def ids_in(text: str) -> list[str]:
    """The ids a listing piped into `nkb cite -` carries: nkb's JSON (an array of rows or one
    object, each with an `id`), its CSV (an `id` column), or ids apart by space or newline.
    Anything else is a usage error saying what is read."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{"):
        return _json_ids(stripped)
    if _ID_COLUMN.match(stripped):
        import csv
        import io

        return [row["id"].strip() for row in csv.DictReader(io.StringIO(stripped.lstrip("\ufeff")))
                if (row.get("id") or "").strip()]
    return stripped.split()


def _json_ids(text: str) -> list[str]:
    import json

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"standard input is not valid JSON ({exc}); pipe nkb's `-f json` "
                         "output, or ids one per line") from None
    rows = data if isinstance(data, list) else [data]
    if not all(isinstance(row, dict) and isinstance(row.get("id"), str) for row in rows):
        raise UsageError("the JSON on standard input has a row without an `id`; pipe the "
                         "rows of `nkb quotes -f json` or `nkb sources -f json`")
    return [row["id"] for row in rows]


def _quote(kb: KB, ident: str) -> Quote | None:
    number = re.fullmatch(r"([0-9]+)-([0-9]+)", ident)
    wanted = {ident, f"{normalise_source_id(number[1])}-{number[2]}" if number else ident}
    return next((q for q in kb.quotes if q.id in wanted), None)


def every_source(kb: KB, drafts: bool = False) -> tuple[list[Reference], list[str]]:
    """References of every source in id order, and the ids of drafts left out."""
    chosen = [s for _, s in sorted(kb.sources.items())]
    skipped = [s.id for s in chosen if s.status == "draft" and not drafts]
    return [source_reference(s) for s in chosen if s.id not in skipped], skipped


def render(refs: list[Reference], fmt: CiteFormat) -> str:
    """The references in one format, ready for stdout."""
    if fmt is CiteFormat.csl_json:
        return to_json([csl_item(r) for r in refs])
    if fmt is CiteFormat.bibtex:
        return "\n".join(bibtex_entry(r) for r in refs)
    if fmt is CiteFormat.ris:
        return "".join(ris_record(r) for r in refs)
    return "".join(visible(text_line(r)) + "\n" for r in refs)


# --- dates ------------------------------------------------------------------------------------


def human_date(edtf: str, inferred: bool = False) -> str:
    """A date as a reader writes it, as precise as it is: `5 June 2024`, `February 2023?`
    (uncertain), `c. July 2020` (approximate); [bracketed] when inferred."""
    parts = dates.date_parts(edtf)
    if parts is None:
        shown = edtf  # an open end or unspecified digits: the EDTF form says it exactly
    else:
        shown = " \u2013 ".join(_human_end(end) for end in parts.ends)
        shown = ("c. " if parts.approximate else "") + shown + ("?" if parts.uncertain else "")
    return f"[{shown}]" if inferred else shown


def _human_end(end: tuple[int, ...]) -> str:
    if len(end) == 3:
        return f"{end[2]} {MONTHS[end[1] - 1]} {end[0]}"
    if len(end) == 2:
        return f"{MONTHS[end[1] - 1]} {end[0]}"
    return str(end[0])


def _date_notes(edtf: str, basis: str | None, what: str) -> list[str]:
    parts = dates.date_parts(edtf)
    notes = []
    if parts is None:
        notes.append(f"{what}: {edtf} (EDTF; an open or unspecified date)")
    elif parts.uncertain or parts.approximate:
        how = " and ".join(w for w, on in (("approximate", parts.approximate),
                                           ("uncertain", parts.uncertain)) if on)
        notes.append(f"{what}: {edtf} (EDTF; {how})")
    if basis:
        notes.append(f"{what} inferred: {short_basis(basis)}")
    return notes


BASIS_LENGTH = 160  # a reference's note keeps this much of a date's basis; nkb keeps it all


def short_basis(basis: str) -> str:
    """A date's basis cut at a word to BASIS_LENGTH characters, '…' saying it goes on."""
    whole = " ".join(basis.split())
    if len(whole) <= BASIS_LENGTH:
        return whole
    return whole[:BASIS_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


# --- text -------------------------------------------------------------------------------------


def text_line(ref: Reference) -> str:
    """One reference line: outlet, title, date, URL; a quote's speaker and words first."""
    outlet = f"{ref.outlet} (from {ref.via})" if ref.via else ref.outlet
    title = f"[{ref.title}]" if ref.title_supplied else f"\u201c{ref.title}\u201d"
    pieces = [outlet, title, human_date(ref.date, ref.date_basis is not None)]
    if ref.url:
        pieces.append(ref.url)
    line = ". ".join(pieces) + "."
    if ref.quote is not None:
        line = _quote_text(ref) + " " + line
    return ("DRAFT, not curated: " if ref.draft else "") + line


def _quote_text(ref: Reference) -> str:
    quote = ref.quote
    assert quote is not None
    said = "" if quote.date == ref.date else \
        f" (said {human_date(quote.date, quote.date_basis is not None)})"
    if quote.kind == "paraphrase":
        return f"{quote.speaker}{said}, paraphrased (not a direct quote): {quote.text}. In:"
    return f"{quote.speaker}{said}: \u201c{quote.text}\u201d In:"


# --- CSL-JSON ---------------------------------------------------------------------------------


def csl_item(ref: Reference) -> dict[str, object]:
    """A CSL-JSON item (article-newspaper), the format Zotero, pandoc and citeproc read."""
    item: dict[str, object] = {
        "id": ref.key,
        "type": "article-newspaper",
        "title": f"[{ref.title}]" if ref.title_supplied else ref.title,
        "container-title": ref.outlet,
        "issued": csl_date(ref.date),
    }
    if ref.url:
        item["URL"] = ref.url
    notes = notes_of(ref)
    if notes:
        item["note"] = "\n".join(notes)
    return item


def csl_date(edtf: str) -> dict[str, object]:
    """A CSL date: date-parts as precise as the date (an interval has two), `circa` for an
    approximate or uncertain one; forms parts cannot hold (open ends, 199X) are a `literal`
    naming the EDTF (processors misread a literal that starts with `..`)."""
    parts = dates.date_parts(edtf)
    if parts is None:
        return {"literal": f"EDTF {edtf}"}
    out: dict[str, object] = {"date-parts": [list(end) for end in parts.ends]}
    if parts.approximate or parts.uncertain:
        out["circa"] = True
    return out


def notes_of(ref: Reference) -> list[str]:
    """What a structured reference says in its note: draft, supplied title, date basis, quote."""
    notes = []
    if ref.draft:
        notes.append("DRAFT record in nkb, not yet checked by a curator")
    if ref.quote is not None:
        q = ref.quote
        if q.kind == "paraphrase":
            notes.append(f"Paraphrase (not a direct quote) of {q.speaker}, nkb {q.id}: {q.text}")
        else:
            notes.append(f"Quote of {q.speaker}, nkb {q.id}: \u201c{q.text}\u201d")
        if q.date != ref.date or q.date_basis:
            notes += _date_notes(q.date, q.date_basis, "Said") or [f"Said: {q.date} (EDTF)"]
    if ref.title_supplied:
        notes.append("Title supplied by the nkb curator; the outlet's headline is not recorded")
    if ref.via:
        notes.append(f"The speaker spoke to {ref.via}")
    notes += _date_notes(ref.date, ref.date_basis, "Date")
    shown = ref.quote.id if ref.quote is not None else ref.source_id
    full = f" (the full date basis: nkb {'quote' if ref.quote else 'source'} {shown})" \
        if ref.date_basis or (ref.quote is not None and ref.quote.date_basis) else ""
    notes.append(f"nkb source {ref.source_id}{full}")
    return [n if n.endswith((".", "\u201d", "\u2026")) else n + "." for n in notes]


# --- BibTeX (biblatex) ------------------------------------------------------------------------

_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
          "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}
_LATEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


def latex(text: str) -> str:
    """Text as a BibTeX field value: LaTeX's special characters escaped, lines joined."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], " ".join(visible(text).split()))


def bibtex_entry(ref: Reference) -> str:
    """A biblatex @article (entrysubtype newspaper) whose `date` is the EDTF date itself."""
    fields = [
        ("entrysubtype", "newspaper"),
        ("title", latex(f"[{ref.title}]" if ref.title_supplied else ref.title)),
        ("journaltitle", latex(ref.outlet)),
        ("date", ref.date),
    ]
    if ref.url:  # biblatex reads url verbatim: only braces and backslashes need encoding
        fields.append(("url", ref.url.replace("\\", "%5C").replace("{", "%7B")
                       .replace("}", "%7D")))
    fields.append(("note", latex(" ".join(notes_of(ref)))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{ref.key},\n{body}\n}}\n"


# --- RIS --------------------------------------------------------------------------------------


def ris_record(ref: Reference) -> str:
    """A RIS record (TY NEWS); DA holds the known parts and, when it says more, the EDTF."""
    lines = [("TY", "NEWS"), ("ID", ref.key),
             ("TI", f"[{ref.title}]" if ref.title_supplied else ref.title),
             ("T2", ref.outlet)]
    parts = dates.date_parts(ref.date)
    if parts is not None:
        lines.append(("PY", str(parts.ends[0][0])))
    lines.append(("DA", ris_date(ref.date)))
    if ref.url:
        lines.append(("UR", ref.url))
    lines += [("N1", note) for note in notes_of(ref)]
    lines.append(("ER", ""))
    # a RIS value is one line: line breaks inside a value become spaces
    return "".join(f"{tag}  - {' '.join(visible(value).split())}\n" for tag, value in lines)


def ris_date(edtf: str) -> str:
    """RIS `YYYY/MM/DD/other`: the known parts of the (first) date; `other` keeps the EDTF
    when the parts alone would say less (an interval, ~, ?, an open end)."""
    parts = dates.date_parts(edtf)
    first = parts.ends[0] if parts else ()
    exact = parts is not None and len(parts.ends) == 1 and not (parts.approximate or
                                                                 parts.uncertain)
    padded = [f"{first[0]:04d}" if first else "", *(f"{p:02d}" for p in first[1:])]
    padded += [""] * (3 - len(padded))
    return "/".join(padded) + "/" + ("" if exact else f"EDTF {edtf}")
