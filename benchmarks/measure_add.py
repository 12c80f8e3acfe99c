"""How well `nkb add` reads articles: quotes found, speakers, dates, outlets and via.

Run from the repository: .venv/bin/python benchmarks/measure_add.py [--articles DIR] [--details]
[--with-urls]

Three sets are measured separately:
- seeds: the KB's curated sources (kb/sources/NNN.txt), with the shipped KB's actors, against
  their curated records (direct quotes only). A candidate matches a curated quote when their
  normalised texts overlap substantially (the longest common run covers most of both).
- development and held-out articles: the articles in --articles DIR (default
  ../shared/articles/ beside the repository) against benchmarks/labels.yaml, split by each
  label's `set`. A candidate matches a label when its text starts with the label's `starts`
  words (after normalisation); its speaker is right when the resolved actor's name, or the
  proposed new actor's name, equals the label's speaker or shares its surname.

Dates are judged against the true date (the curated or labelled one, `?`/`~` dropped): exact
when the proposal is that date; honest but open when the proposal is an interval or partial
date containing it; wrong otherwise. A label of null (nobody knows the date) wants a proposal
open back to the earliest date. Outlet and via are right when equal to the label (fold(),
trailing "agency"/"news agency" ignored; both empty counts as right).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "articles"  # kept out of the project, beside the repository
sys.path.insert(0, str(REPO))

from nkb import add, dates, store  # noqa: E402
from nkb.index import KB  # noqa: E402
from nkb.models import Source  # noqa: E402
from nkb.reader import article, page  # noqa: E402
from nkb.text import fold  # noqa: E402

OVERLAP = 0.8  # share of each text the longest common run must cover
# d19-d24 carry the set "held-out": they were kept out of view in the first round only; every
# article has been in view since, so none of them is held out any more.
SETS = (("dev", "d01-d18, d25-d30 (development, hand labels)"),
        ("held-out", "d19-d24 (held out in round one only; in view since)"),
        ("held-out-2", "d31-d36 (held out in round two only, at 2fab767; in view since)"))
FIELDS = ("speaker", "date", "outlet", "via")
STRENGTHS = ("strong", "medium", "weak")


@dataclass
class Tally:
    """Counts for one set of articles."""

    articles: int = 0
    candidates: int = 0
    expected: int = 0
    matched: int = 0
    speaker_right: int = 0
    date_exact: int = 0
    date_open: int = 0
    date_wrong: int = 0
    outlet_right: int = 0
    via_right: int = 0
    misses: list[str] = field(default_factory=list)
    # (field, strength) -> [proposals, right ones]
    by_strength: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    changes: list[tuple[str, int]] = field(default_factory=list)  # (article, fields to change)
    strong_speakers_of_all: int = 0  # labelled quotes found with a strong speaker proposal
    # (field, rule, resolution, strength) -> [proposals, right ones]: the calibration table
    by_rule: dict[tuple[str, str, str, str], list[int]] = field(default_factory=dict)

    def count_rule(self, key: tuple[str, str, str, str], right: bool) -> None:
        cell = self.by_rule.setdefault(key, [0, 0])
        cell[0] += 1
        cell[1] += right

    def count(self, name: str, strength: str, right: bool) -> None:
        cell = self.by_strength.setdefault((name, strength), [0, 0])
        cell[0] += 1
        cell[1] += right

    def strength_rows(self, name: str) -> list[str]:
        rows = []
        for strength in STRENGTHS:
            cells = []
            for what in FIELDS:
                n, right = self.by_strength.get((what, strength), [0, 0])
                cells.append(f"{right}/{n}" + (f" ({100 * right / n:.0f}%)" if n else ""))
            rows.append(f"| {name} | {strength} | " + " | ".join(cells) + " |")
        return rows

    def row(self, name: str) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:.0f}% ({n}/{d})" if d else "n/a"

        return (f"| {name} | {self.articles} | {pct(self.matched, self.expected)} | "
                f"{pct(self.matched, self.candidates)} | {pct(self.speaker_right, self.expected)} | "
                f"{pct(self.date_exact, self.articles)} | {pct(self.date_open, self.articles)} | "
                f"{pct(self.date_wrong, self.articles)} | {pct(self.outlet_right, self.articles)} | "
                f"{pct(self.via_right, self.articles)} |")


HEADER = ("| set | articles | quotes found (recall) | quote precision | speaker right (of all "
          "quotes) | date exact | date honest but open | date wrong | outlet right | via right |\n"
          "|---|---|---|---|---|---|---|---|---|---|")


def _loose(edtf: str) -> str:
    return edtf.rstrip("?~%")


def judge_date(proposed: str, truth: str | None) -> str:
    """exact, open (an honest interval or partial date holding the truth) or wrong."""
    span = dates.parse_edtf(proposed)
    if truth is None:
        return "exact" if span.start == dates.EARLIEST else "wrong"
    if _loose(proposed) == _loose(truth):
        return "exact"
    real = dates.parse_edtf(_loose(truth))
    return "open" if span.start <= real.start and real.end <= span.end else "wrong"


def _count_date(tally: Tally, where: str, proposed: str, truth: str | None) -> None:
    verdict = judge_date(proposed, truth)
    tally.date_exact += verdict == "exact"
    tally.date_open += verdict == "open"
    tally.date_wrong += verdict == "wrong"
    if verdict != "exact":
        tally.misses.append(f"{where}: date {proposed} is {verdict} (true date {truth})")


def _outlet_key(name: str | None) -> str:
    return re.sub(r"\s+(?:news\s+)?agency$", "", fold(name or "").removeprefix("the "))


def _count_outlets(tally: Tally, where: str, found: page.OutletFinding,
                   outlet: str | None, via: str | None) -> None:
    if _outlet_key(found.outlet) == _outlet_key(outlet):
        tally.outlet_right += 1
    else:
        tally.misses.append(f"{where}: outlet {found.outlet} (true {outlet})")
    if _outlet_key(found.via) == _outlet_key(via):
        tally.via_right += 1
    else:
        tally.misses.append(f"{where}: via {found.via} (true {via})")


def _overlaps(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    if not a or not b:
        return False
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size >= OVERLAP * min(len(a), len(b)) and run.size >= 0.5 * max(len(a), len(b))


def _name_of(kb: KB, findings: article.Findings, actor_id: str | None) -> str:
    if actor_id is None:
        return ""
    if actor_id in kb.actors:
        return kb.actors[actor_id].name
    return next((a.name for a in findings.new_actors if a.id == actor_id), actor_id)


def _same_person(found: str, label: str) -> bool:
    a, b = fold(found), fold(label)
    return bool(a) and (a == b or a.split()[-1] == b.split()[-1])


def curated_sources(kb: KB) -> list[Source]:
    """The KB's curated sources, the seeds measured, in id order."""
    return [s for s in sorted(kb.sources.values(), key=lambda s: s.id) if s.status == "curated"]


def score_seed(kb: KB, tally: Tally, source: Source, text: str) -> article.Findings:
    """Read `text` as the curated `source` and count the outcome into `tally`."""
    findings = article.extract(text, kb.actors.values(), add.not_speakers(kb))
    gold = [q for q in source.quotes if q.kind == "direct"]
    tally.articles += 1
    tally.candidates += len(findings.quotes)
    tally.expected += len(gold)
    _count_date(tally, source.id, findings.date.edtf, source.date)
    _count_outlets(tally, source.id, findings.outlet, source.outlet, source.via)
    free = list(findings.quotes)
    for quote in gold:
        hit = next((c for c in free if _overlaps(c.candidate.text, quote.text)), None)
        if hit is None:
            tally.misses.append(f"{source.id}: {quote.id} not found")
            continue
        free.remove(hit)
        tally.matched += 1
        if hit.speaker == quote.speaker:
            tally.speaker_right += 1
        else:
            tally.misses.append(f"{source.id}: {quote.id} speaker {hit.speaker} "
                                f"(curated {quote.speaker}; {hit.how})")
    tally.misses += [f"{source.id}: extra candidate at {c.candidate.start}" for c in free]
    return findings


def measure_seeds(kb: KB) -> Tally:
    tally = Tally()
    for source in curated_sources(kb):
        score_seed(kb, tally, source, kb.text(source.id))
    return tally


def read_urls(folder: Path) -> dict[str, str]:
    """Each article's page address, from the `url` column of the table in FOLDER/README.md."""
    readme = folder / "README.md"
    if not readme.is_file():
        return {}
    urls: dict[str, str] = {}
    columns: list[str] = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            columns = []
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not columns:
            columns = [fold(cell) for cell in cells]
            continue
        row = dict(zip(columns, cells, strict=False))
        if row.get("file") and re.match(r"https?://", row.get("url", "")):
            urls[row["file"]] = row["url"]
    return urls


def score_article(kb: KB, tally: Tally, entry: dict, text: str,
                  url: str | None = None) -> article.Findings:
    """Read `text` as the article labelled `entry` (published at `url`, when given) and count
    the outcome into `tally`."""
    where = entry["file"]
    findings = article.extract(text, kb.actors.values(), add.not_speakers(kb), url)
    proposals = add.build_record("000", where, findings, url=url)["proposals"]
    gold = entry.get("quotes") or []
    tally.articles += 1
    tally.candidates += len(findings.quotes)
    tally.expected += len(gold)
    truth = entry.get("date")
    before = (tally.date_exact, tally.outlet_right, tally.via_right)
    _count_date(tally, where, findings.date.edtf, None if truth is None else str(truth))
    _count_outlets(tally, where, findings.outlet, entry.get("outlet"), entry.get("via"))
    verdict = judge_date(findings.date.edtf, None if truth is None else str(truth))
    tally.count("date", proposals["date"]["strength"], verdict != "wrong")
    tally.count_rule(("date", findings.date.rule, "", proposals["date"]["strength"]),
                     verdict != "wrong")
    tally.count("outlet", proposals["outlet"]["strength"], tally.outlet_right > before[1])
    tally.count("via", proposals["via"]["strength"], tally.via_right > before[2])
    changes = 1 + (tally.date_exact == before[0]) + (tally.outlet_right == before[1]) \
        + (tally.via_right == before[2])  # the title is always written by the curator
    free = list(findings.quotes)
    for n, quote in enumerate(gold, 1):
        starts = fold(quote["starts"])
        hit = next((c for c in free if fold(c.candidate.text).startswith(starts)), None)
        if hit is None:
            tally.misses.append(f"{where}: label quote {n} not found")
            changes += 1
            continue
        free.remove(hit)
        tally.matched += 1
        name = _name_of(kb, findings, hit.speaker)
        right = _same_person(name, quote["speaker"])
        strength = hit.strength if hit.speaker else "weak"
        tally.count("speaker", strength, right)
        tally.count_rule(("speaker", hit.rule, hit.resolution, strength), right)
        tally.strong_speakers_of_all += strength == "strong"
        if right:
            tally.speaker_right += 1
        else:
            changes += 1
            tally.misses.append(f"{where}: label quote {n}: speaker {name or None!r} "
                                f"(label {quote['speaker']}; {strength}: {hit.how})")
    tally.misses += [f"{where}: extra candidate ({c.candidate.form}) "
                     f"{c.candidate.text[:40]!r}" for c in free]
    tally.changes.append((where, changes + len(free)))
    return findings


def measure_articles(kb: KB, labels: list[dict], folder: Path,
                     urls: dict[str, str] | None = None) -> Tally:
    tally = Tally()
    for entry in labels:
        score_article(kb, tally, entry, (folder / entry["file"]).read_text(encoding="utf-8"),
                      (urls or {}).get(entry["file"]))
    return tally


def articles_found(tool: str, articles: Path) -> bool:
    """Is `articles` the folder of benchmark articles? If not, say so on stderr."""
    if articles.is_dir():
        return True
    sys.stderr.write(f"{tool}: {articles} not found; give the folder of benchmark articles with "
                     "--articles DIR (default: ../shared/articles beside the repository, kept out "
                     "of the project)\n")
    return False


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="measure_add", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", metavar="DIR", type=Path, default=ARTICLES,
                        help="folder holding the labelled articles (default: %(default)s); "
                             "the seeds are the KB's own curated sources")
    parser.add_argument("--details", action="store_true", help="also list each miss, by article")
    parser.add_argument("--with-urls", action="store_true",
                        help="also measure the articles with the page address of each (the `url` "
                             "column of DIR/README.md) given as `nkb add --url` gives it")
    args = parser.parse_args(argv)
    articles: Path = args.articles
    if not articles_found("measure_add", articles):
        return 1
    kb = store.open_kb(REPO / "kb")
    labels = yaml.safe_load((REPO / "benchmarks" / "labels.yaml").read_text(encoding="utf-8"))
    rows = [("seeds (curated KB sources)", measure_seeds(kb)),
            *article_rows(kb, labels, articles)]
    print_table(rows, args.details)
    if args.with_urls:
        urls = read_urls(articles)
        print(f"\nWith the page address of each article given (`--url`; {len(urls)} from "
              f"{articles / 'README.md'}):\n")
        print_table(article_rows(kb, labels, articles, urls), args.details)
    return 0


def article_rows(kb: KB, labels: list[dict], articles: Path,
                 urls: dict[str, str] | None = None) -> list[tuple[str, Tally]]:
    rows = []
    for key, name in SETS:
        chosen = [entry for entry in labels if entry.get("set") == key]
        if chosen:
            rows.append((name, measure_articles(kb, chosen, articles, urls)))
    return rows


STRENGTH_HEADER = ("| set | strength | speaker right | date holding the truth | outlet right | "
                   "via right |\n|---|---|---|---|---|---|")


def print_table(rows: list[tuple[str, Tally]], details: bool) -> None:
    print(HEADER)
    for name, tally in rows:
        print(tally.row(name))
    print("\nEach proposal by its strength (right / proposals):\n")
    print(STRENGTH_HEADER)
    for name, tally in rows:
        if tally.by_strength:
            for line in tally.strength_rows(name):
                print(line)
    print("\nStrong speakers cover (labelled quotes found with a strong speaker / labelled "
          "quotes):\n")
    for name, tally in rows:
        if tally.changes:
            print(f"- {name}: {tally.strong_speakers_of_all}/{tally.expected}")
    print("\nFields a curator must change per article (title, date not exact, outlet, via, "
          "each quote missed or with a wrong speaker, each extra candidate):\n")
    for name, tally in rows:
        if tally.changes:
            print(f"- {name}: " + ", ".join(f"{a.removesuffix('.txt')} {n}"
                                            for a, n in tally.changes))
    print_calibration(rows)
    if details:
        for _, tally in rows:
            for line in tally.misses:
                print(f"- {line}")


def print_calibration(rows: list[tuple[str, Tally]]) -> None:
    """Speaker and date proposals by the rule that fired (and, for speakers, how its words were
    resolved), over every labelled article: the table the rules' strengths are set by."""
    cells: dict[tuple[str, str, str, str], list[int]] = {}
    for _, tally in rows:
        for key, (n, right) in tally.by_rule.items():
            cell = cells.setdefault(key, [0, 0])
            cell[0] += n
            cell[1] += right
    for what, heading in (("speaker", "| rule | resolution | strength | right |\n|---|---|---|---|"),
                          ("date", "| rule | strength | holding the true date |\n|---|---|---|")):
        mine = sorted((k, v) for k, v in cells.items() if k[0] == what)
        if not mine:
            continue
        print(f"\n{what.capitalize()} proposals by rule, every labelled article (right / "
              "proposals):\n")
        print(heading)
        for (_, rule, resolution, strength), (n, right) in mine:
            middle = f"{resolution} | " if what == "speaker" else ""
            print(f"| {rule} | {middle}{strength} | {right}/{n} |")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
