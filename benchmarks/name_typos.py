"""Every one-letter typo of every person's surname in a KB, resolved as `--speaker` would.

Counts typos taken as the right actor, refused with the right actor among the candidates or
suggestions, refused without it, and taken as a *different* actor (which must be 0).

Usage: python benchmarks/name_typos.py [--kb DIR] [--show-wrong]
"""

from __future__ import annotations

import argparse
import string
import sys
from collections import Counter
from pathlib import Path

from nkb import names, store
from nkb.errors import Ambiguous, NotFound

LETTERS = string.ascii_lowercase


def typos(word: str) -> set[str]:
    """Deletions, insertions, substitutions and swaps of neighbours, one each."""
    out = set()
    for i in range(len(word) + 1):
        out.update(word[:i] + c + word[i:] for c in LETTERS)
        if i < len(word):
            out.add(word[:i] + word[i + 1:])
            out.update(word[:i] + c + word[i + 1:] for c in LETTERS)
        if i < len(word) - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    out.discard(word)
    return {t for t in out if t}


def sweep(kb: store.KB) -> tuple[Counter[str], list[str]]:
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    # a "typo" that spells a name the KB knows is that name, not a slip: it is left out
    taken = {w for a in kb.actors.values() for n in names.actor_names(a) for w in (n, *n.split())}
    for actor in kb.actors.values():
        if actor.kind != "person":
            continue
        surname = actor.name.split()[-1].lower()
        for typo in sorted(typos(surname) - taken):
            tally[classify(kb, actor.id, actor.name, typo, wrong)] += 1
    return tally, wrong


def classify(kb: store.KB, want_id: str, want_name: str, typo: str, wrong: list[str]) -> str:
    try:
        got = names.resolve_actor(kb, typo)
    except Ambiguous as exc:
        return "refused, right one listed" if any(want_name in c for c in exc.candidates) \
            else "refused, right one not listed"
    except NotFound as exc:
        return "refused, right one suggested" if want_name in str(exc) \
            else "refused, right one not suggested"
    if got.value.id == want_id:
        return "taken as the right actor"
    wrong.append(f"{typo!r} -> {got.value.name} (wanted {want_name})")
    return "taken as a different actor"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=None)
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    kb = store.open_kb(store.find_kb(str(args.kb) if args.kb else None))
    tally, wrong = sweep(kb)
    total = sum(tally.values())
    print(f"{total} typos of {sum(a.kind == 'person' for a in kb.actors.values())} surnames")
    for outcome in ("taken as the right actor", "refused, right one listed",
                    "refused, right one suggested", "refused, right one not listed",
                    "refused, right one not suggested", "taken as a different actor"):
        print(f"  {outcome:34} {tally[outcome]:6} ({100 * tally[outcome] / max(total, 1):.1f}%)")
    if args.show_wrong:
        print("\n".join(wrong))
    return 1 if tally["taken as a different actor"] else 0


if __name__ == "__main__":
    sys.exit(main())
