"""How well `nkb add` reads articles: quotes found, speakers, dates and outlets.

Run from the repository: .venv/bin/python benchmarks/measure_add.py [--articles DIR] [--details]

Two sets are measured separately:
- seeds: the KB's curated sources (kb/sources/NNN.txt), with the shipped KB's actors, against
  their curated records (direct quotes only). A candidate matches a curated quote when their
  normalised texts overlap substantially (the longest common run covers most of both).
- articles: the twelve articles in --articles DIR (default ../shared/articles/ beside the
  repository) against benchmarks/labels.yaml. A
  candidate matches a label when its text starts with the label's `starts` words (after
  normalisation); its speaker is right when the resolved actor's name, or the proposed new
  actor's name, equals the label's speaker or shares its surname (compared with fold()).

Precision = matched candidates / candidates; recall = matched / expected quotes; speaker
accuracy over matched quotes, and end to end (right speaker / expected quotes).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "articles"  # kept out of the project, beside the repository
sys.path.insert(0, str(REPO))

from nkb import add, extract, store  # noqa: E402
from nkb.index import KB  # noqa: E402
from nkb.text import fold  # noqa: E402

OVERLAP = 0.8  # share of each text the longest common run must cover


@dataclass
class Tally:
    """Counts for one set of articles."""

    articles: int = 0
    candidates: int = 0
    expected: int = 0
    matched: int = 0
    speaker_right: int = 0
    date_right: int = 0
    date_right_loose: int = 0
    outlet_right: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:.0f}% ({n}/{d})" if d else "n/a"

        return (f"| {name} | {self.articles} | {pct(self.matched, self.candidates)} | "
                f"{pct(self.matched, self.expected)} | {pct(self.speaker_right, self.matched)} | "
                f"{pct(self.speaker_right, self.expected)} | {pct(self.date_right, self.articles)}"
                f" | {pct(self.date_right_loose, self.articles)} | "
                f"{pct(self.outlet_right, self.articles)} |")


HEADER = ("| set | articles | quote precision | quote recall | speaker right (matched) | "
          "speaker right (end to end) | date exact | date, ignoring ?/~ | outlet |\n"
          "|---|---|---|---|---|---|---|---|---|")


def _loose(edtf: str | None) -> str:
    return (edtf or "").rstrip("?~")


def _overlaps(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    if not a or not b:
        return False
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return run.size >= OVERLAP * min(len(a), len(b)) and run.size >= 0.5 * max(len(a), len(b))


def _name_of(kb: KB, findings: extract.Findings, actor_id: str | None) -> str:
    if actor_id is None:
        return ""
    if actor_id in kb.actors:
        return kb.actors[actor_id].name
    return next((a.name for a in findings.new_actors if a.id == actor_id), actor_id)


def _same_person(found: str, label: str) -> bool:
    a, b = fold(found), fold(label)
    return bool(a) and (a == b or a.split()[-1] == b.split()[-1])


def measure_seeds(kb: KB, details: bool) -> Tally:
    tally = Tally()
    for source in sorted(kb.sources.values(), key=lambda s: s.id):
        if source.status != "curated":
            continue
        findings = extract.extract(kb.text(source.id), kb.actors.values(), add.not_speakers(kb))
        gold = [q for q in source.quotes if q.kind == "direct"]
        tally.articles += 1
        tally.candidates += len(findings.quotes)
        tally.expected += len(gold)
        tally.date_right += findings.date.edtf == source.date
        tally.date_right_loose += _loose(findings.date.edtf) == _loose(source.date)
        tally.outlet_right += fold(findings.outlet.outlet or "") == fold(source.outlet)
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
        if findings.date.edtf != source.date:
            tally.misses.append(f"{source.id}: date {findings.date.edtf} (curated {source.date})")
    return tally


def measure_articles(kb: KB, labels: list[dict], folder: Path) -> Tally:
    tally = Tally()
    for entry in labels:
        text = (folder / entry["file"]).read_text(encoding="utf-8")
        findings = extract.extract(text, kb.actors.values(), add.not_speakers(kb))
        gold = entry.get("quotes") or []
        tally.articles += 1
        tally.candidates += len(findings.quotes)
        tally.expected += len(gold)
        label_date = str(entry["date"])
        tally.date_right += findings.date.edtf == label_date
        tally.date_right_loose += _loose(findings.date.edtf) == _loose(label_date)
        tally.outlet_right += fold(findings.outlet.outlet or "") == fold(entry.get("outlet") or "")
        free = list(findings.quotes)
        for n, quote in enumerate(gold, 1):
            starts = fold(quote["starts"])
            hit = next((c for c in free if fold(c.candidate.text).startswith(starts)), None)
            if hit is None:
                tally.misses.append(f"{entry['file']}: label quote {n} not found")
                continue
            free.remove(hit)
            tally.matched += 1
            name = _name_of(kb, findings, hit.speaker)
            if _same_person(name, quote["speaker"]):
                tally.speaker_right += 1
            else:
                tally.misses.append(f"{entry['file']}: label quote {n}: speaker {name or None!r} "
                                    f"(label {quote['speaker']}; {hit.how})")
        tally.misses += [f"{entry['file']}: extra candidate ({c.candidate.form})" for c in free]
        if findings.date.edtf != label_date:
            tally.misses.append(f"{entry['file']}: date {findings.date.edtf} (label {label_date})")
        if fold(findings.outlet.outlet or "") != fold(entry.get("outlet") or ""):
            tally.misses.append(f"{entry['file']}: outlet {findings.outlet.outlet} "
                                f"(label {entry.get('outlet')})")
    return tally


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="measure_add", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", metavar="DIR", type=Path, default=ARTICLES,
                        help="folder holding the labelled articles (default: %(default)s); "
                             "the seeds are the KB's own curated sources")
    parser.add_argument("--details", action="store_true", help="also list each miss, by article")
    args = parser.parse_args(argv)
    articles: Path = args.articles
    if not articles.is_dir():
        sys.stderr.write(f"measure_add: {articles} not found; give the folder of benchmark "
                         "articles with --articles DIR (default: ../shared/articles beside the "
                         "repository, kept out of the project)\n")
        return 1
    kb = store.open_kb(REPO / "kb")
    labels = yaml.safe_load((REPO / "benchmarks" / "labels.yaml").read_text(encoding="utf-8"))
    seeds = measure_seeds(kb, args.details)
    twelve = measure_articles(kb, labels, articles)
    print(HEADER)
    print(seeds.row("seeds (curated KB sources)"))
    print(twelve.row("twelve articles (hand labels)"))
    if args.details:
        for line in seeds.misses + twelve.misses:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
