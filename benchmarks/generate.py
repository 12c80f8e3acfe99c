"""Write a synthetic KB of realistic shape for benchmarks: `python benchmarks/generate.py
--quotes 10000 --out /tmp/kb10k [--seed 1] [--drafts 10]`.

The same seed always gives the same files. All text is generated from a made-up vocabulary (no
article of the shipped KB is copied): sources carry 2-4 KB articles and ~10 quotes each whose
words occur verbatim in the article; events (half as many as quotes) cite 1-3 sources; a few
hundred actors have aliases and roles; `--drafts` sources (10 unless told), spread evenly, are
drafts. The result passes `nkb --kb DIR check`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from pathlib import Path

QUOTES_PER_SOURCE = 10
ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "kh", "ch", "br",
          "gr", "st", "tr", "dr"]
VOWELS = ["a", "e", "i", "o", "u", "ya", "ei"]
CODAS = ["", "", "n", "r", "s", "l", "v", "k"]
DOMAIN = ["talks", "ceasefire", "border", "delegation", "ministers", "agreement", "treaty",
          "mediation", "corridor", "peacekeepers", "settlement", "region", "negotiations",
          "security", "statement", "meeting", "parties", "trilateral", "summit", "transport",
          "delimitation", "commission", "humanitarian", "sides", "dialogue", "normalisation"]
SMALL = ["the", "of", "and", "to", "in", "on", "with", "for", "a", "that", "is", "will", "has",
         "said", "by", "at", "as", "from", "this", "an"]
OUTLETS = ["Vestnik Daily", "Kordan Press", "Eastern Wire", "Salor News Agency", "Tavrin Times",
           "Morak Herald", "Ulan Today", "Caspian Courier"]
PLACES = ["Moscow", "Yerevan", "Baku", "Sochi", "Tbilisi", "Minsk", "Vienna", "Stepanakert",
          "Kazan", "Almaty", "Geneva", "Shusha"]
TOPICS = ["peace-treaty", "mediation", "border-delimitation", "transport", "ceasefire",
          "peacekeeping", "humanitarian", "prisoners", "normalisation", "osce"]
ROLE_TITLES = ["Deputy Foreign Minister", "Foreign Minister", "Presidential Envoy", "Ambassador",
               "Spokesperson of the Foreign Ministry", "Special Representative", "Prime Minister"]
# Latin letters to Cyrillic ones, for a Cyrillic alias of each person (written as escapes).
TRANSLIT = str.maketrans(dict(zip("abdegiklmnoprstuvzyhc",
                                  "\u0430\u0431\u0434\u0435\u0433\u0438\u043a\u043b\u043c\u043d"
                                  "\u043e\u043f\u0440\u0441\u0442\u0443\u0432\u0437\u0439\u0445"
                                  "\u0446", strict=True)))


class Words:
    """A made-up vocabulary and sentence maker, driven by one seeded Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        made = {self.word() for _ in range(3000)}
        self.vocab = sorted(made) + DOMAIN * 10 + SMALL * 60

    def word(self, syllables: int | None = None) -> str:
        n = syllables or self.rng.choice((1, 2, 2, 3, 3, 4))
        return "".join(self.rng.choice(ONSETS) + self.rng.choice(VOWELS) + self.rng.choice(CODAS)
                       for _ in range(n))

    def sentence(self, low: int = 8, high: int = 24) -> str:
        words = [self.rng.choice(self.vocab) for _ in range(self.rng.randint(low, high))]
        if len(words) > 10 and self.rng.random() < 0.4:
            words[self.rng.randrange(2, len(words) - 2)] += ","
        return " ".join(words).capitalize() + "."


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML for our ASCII/BMP text)."""
    return json.dumps(text, ensure_ascii=False)


def folded(key: str, text: str, indent: str) -> list[str]:
    """A `key: >-` folded block: wrapped at spaces, which YAML folds back to single spaces."""
    lines = textwrap.wrap(text, 88, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}{key}: >-", *(f"{indent}  {line}" for line in lines)]


def make_date(rng: random.Random, year: int) -> str:
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.75:
        return f"{year}-{month:02d}-{day:02d}"
    if roll < 0.9:
        return f"{year}-{month:02d}"
    if roll < 0.96:
        return f"{year}-{month:02d}?"
    if roll < 0.98:
        return f"{year}~"
    return f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{min(day + 2, 28):02d}"


def generate(quotes: int, out: Path, seed: int = 1, drafts: int = 10) -> dict[str, int]:
    rng = random.Random(seed)
    words = Words(rng)
    n_sources = max(1, quotes // QUOTES_PER_SOURCE)
    n_actors = min(400, 200 + quotes // 1000)
    n_events = max(1, quotes // 2)
    width = max(6, len(str(n_sources)))
    source_ids = [f"{i:0{width}d}" for i in range(n_sources)]
    # drafts spread evenly through the KB, as a curator's `nkb add` leaves them
    draft_at = {(2 * k + 1) * n_sources // (2 * drafts) for k in range(min(drafts, n_sources))}
    years = list(range(1994, 2025))

    # actors: unique surnames, so each full name and surname names one actor
    surnames: list[str] = []
    seen: set[str] = set()
    while len(surnames) < n_actors:
        name = words.word(rng.choice((2, 3))).capitalize() + rng.choice(("ov", "yan", "ev", "in",
                                                                         "ski", "li"))
        if name.lower() not in seen:
            seen.add(name.lower())
            surnames.append(name)
    actors = []
    for i, surname in enumerate(surnames):
        kind = "person" if i % 10 < 8 else ("organisation" if i % 10 == 8 else "state")
        first = words.word(2).capitalize()
        name = f"{first} {surname}" if kind == "person" else f"{surname} Council" \
            if kind == "organisation" else f"Republic of {surname}"
        aliases = [surname, name.translate(TRANSLIT)] if kind == "person" else [surname + " C."]
        roles = [{"title": rng.choice(ROLE_TITLES), "date": make_date(rng, rng.choice(years)),
                  "sources": sorted(rng.sample(source_ids, min(2, n_sources)))}
                 for _ in range(rng.randint(0, 2))] if kind == "person" else []
        actors.append({"id": f"{surname.lower()}-{i}", "name": name, "kind": kind,
                       "aliases": aliases, "roles": roles})
    persons = [a for a in actors if a["kind"] == "person"]
    # a few speakers say much, most say little (Zipf-like weights)
    weights = [1.0 / (rank + 5) for rank in range(len(persons))]

    out.mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(exist_ok=True)
    written_quotes = 0
    for s, sid in enumerate(source_ids):
        year = years[s * len(years) // n_sources]
        date = make_date(rng, year)
        speakers = rng.choices(persons, weights, k=QUOTES_PER_SOURCE)
        paragraphs, quote_lines = [], []
        for k, speaker in enumerate(speakers):
            said = words.sentence(8, 20)
            lead = words.sentence(6, 16) if rng.random() < 0.8 else "Meanwhile,"
            tail = words.sentence(5, 12) if rng.random() < 0.5 else ""
            paragraphs.append(f"{lead} {speaker['name']} said: \u201c{said}\u201d {tail}".strip())
            kind = "direct" if rng.random() < 0.8 else "paraphrase"
            quote_lines += [f"  - id: {sid}-{k + 1}", f"    speaker: {speaker['id']}",
                            f"    date: {q(date)}", f"    kind: {kind}",
                            f"    topics: [{', '.join(rng.sample(TOPICS, 2))}]",
                            *folded("text", said.rstrip("."), "    ")]
            if rng.random() < 0.3:
                quote_lines += folded("date_basis", "The article's date; " + words.sentence(),
                                      "    ")
        text = "\n\n".join(textwrap.fill(p, 78) for p in paragraphs) + "\n"
        status = "draft" if s in draft_at else "curated"
        lines = ["# yaml-language-server: $schema=../../schema/source.schema.json",
                 f"id: {q(sid)}", f"title: {q(words.sentence(4, 9).rstrip('.'))}",
                 f"outlet: {q(rng.choice(OUTLETS))}",
                 f"via: {q(rng.choice(OUTLETS)) if rng.random() < 0.2 else 'null'}",
                 f"dateline: {q(rng.choice(PLACES).upper()) if rng.random() < 0.5 else 'null'}",
                 f"date: {q(date)}", *folded("date_basis", words.sentence(), ""),
                 f"file: {sid}.txt", f"status: {status}", "quotes:", *quote_lines]
        (out / "sources" / f"{sid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (out / "sources" / f"{sid}.txt").write_text(text, encoding="utf-8")
        written_quotes += len(speakers)

    lines = ["# yaml-language-server: $schema=../schema/actors.schema.json"]
    for actor in actors:
        lines += [f"- id: {actor['id']}", f"  name: {q(actor['name'])}",
                  f"  kind: {actor['kind']}",
                  f"  aliases: [{', '.join(q(a) for a in actor['aliases'])}]"]
        if actor["roles"]:
            lines.append("  roles:")
            for role in actor["roles"]:
                lines += [f"    - title: {q(role['title'])}", f"      date: {q(role['date'])}",
                          f"      sources: [{', '.join(q(x) for x in role['sources'])}]"]
        lines.append("")
    (out / "actors.yaml").write_text("\n".join(lines), encoding="utf-8")

    lines = ["# yaml-language-server: $schema=../schema/events.schema.json"]
    for e in range(n_events):
        year = rng.choice(years)
        cited = sorted(rng.sample(source_ids, min(rng.randint(1, 3), n_sources)))
        taking_part = sorted(a["id"] for a in rng.sample(actors, rng.randint(0, 3)))
        lines += [f"- id: {year}-event-{e:06d}", f"  date: {q(make_date(rng, year))}",
                  f"  title: {q(words.sentence(5, 12).rstrip('.'))}",
                  *folded("description", " ".join(words.sentence() for _ in range(2)), "  "),
                  f"  actors: [{', '.join(taking_part)}]",
                  f"  places: [{', '.join(rng.sample(PLACES, rng.randint(1, 2)))}]",
                  f"  sources: [{', '.join(q(x) for x in cited)}]", ""]
    (out / "events.yaml").write_text("\n".join(lines), encoding="utf-8")
    return {"sources": n_sources, "quotes": written_quotes, "events": n_events,
            "actors": n_actors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, required=True, help="how many quotes (about)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the KB into")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--drafts", type=int, default=10,
                        help="how many sources are drafts (default 10; 0 for none)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        sys.stderr.write(f"generate: {args.out} is not empty; give a new folder\n")
        return 1
    counts = generate(args.quotes, args.out, args.seed, args.drafts)
    print(", ".join(f"{v} {k}" for k, v in counts.items()), "->", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
