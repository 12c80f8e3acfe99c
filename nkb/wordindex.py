"""Word search over every record: an SQLite FTS5 index ranked by bm25, tolerant of typos.

Each record is one document with a short `name` field (a title, an actor's names) and a `body`
(a quote, a description, roles, an article's text); both are stored folded (case, accents and
script), so 'Галузин' finds 'Galuzin'. Every typed word must match, in any order: exactly (FTS5's
Porter stemmer makes 'withdrawal' match 'withdraw'), or, for words of four letters or more,
through a word of the index one or two edits away ('bordr' -> 'border'). Hits where every word
matched as typed rank above those that needed a near spelling; within a tier, bm25 ranks, with
rarer words and the name field weighing more.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nkb.text import fold

if TYPE_CHECKING:
    import sqlite3

NAME_WEIGHT = 4.0  # a hit in a title or name counts this much more than one in a long text
TOKENIZER = "porter unicode61 remove_diacritics 2"
SCHEMA_VERSION = 4


@dataclass(frozen=True, slots=True)
class Document:
    """One record as the index sees it."""

    kind: str  # quote, event, actor or source
    id: str
    name: str
    body: str
    ref: int | str = ""  # where the KB finds the record again (its place, or its id)
    draft: bool = False  # from a draft source: left out unless asked for
    quote_kind: str = ""  # quotes only: direct or paraphrase


@dataclass(frozen=True, slots=True)
class WordMatch:
    """One record that matches every typed word: how well, and the index words it matched."""

    kind: str
    id: str
    ref: int | str
    score: float  # higher is better
    exact: bool  # every word matched as typed (not through a near spelling)


@dataclass(frozen=True, slots=True)
class Term:
    """One typed term: a word, a phrase (its words in order) or a prefix (`negotiat*`), with
    the index words read for a word the KB does not hold (its near spellings)."""

    typed: str  # as the user wrote it, for saying what it was read as
    words: tuple[str, ...]  # folded; several for a phrase
    prefix: bool = False
    near: tuple[str, ...] = ()
    # a prefix's stems: index words shorter than the prefix that words starting with it are
    # stemmed to ('negotiat*' -> 'negoti', the stem of 'negotiations')
    stems: tuple[str, ...] = ()

    @property
    def is_word(self) -> bool:
        """A single whole word, the only kind of term a near spelling may stand for."""
        return len(self.words) == 1 and not self.prefix


@dataclass(frozen=True, slots=True)
class WordQuery:
    """A typed query as the index reads it: groups that must all match (each matched by any
    one of its terms: `a OR b`), and terms that must not (`-word`)."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @classmethod
    def all_of(cls, words: Sequence[str]) -> WordQuery:
        """Every one of these folded words, exactly."""
        return cls(tuple((Term(w, (w,)),) for w in words))

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words the query looks for (not those it excludes)."""
        return tuple(dict.fromkeys(w for g in self.groups for t in g for w in t.words))

    def terms(self) -> tuple[str, ...]:
        """Every word this query may match, typed or near, for highlighting."""
        return tuple(dict.fromkeys([*self.words, *(n for g in self.groups for t in g
                                                   for n in t.near)]))

    def readings(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each typed word the KB does not hold, with the index words read for it."""
        return [(t.typed, t.near) for g in self.groups for t in g if t.near]


class QueryError(ValueError):
    """A query that asks for nothing: only words to leave out, or no word at all."""


# a phrase in double quotes (to the end if never closed), or a run of anything but space
_QUERY_TOKEN = re.compile(r'-?"[^"]*(?:"|$)|\S+')


def read_query(text: str) -> WordQuery:
    """The query as typed: `"a phrase"`, `a OR b`, `-word`, `prefix*`; other words must all
    match, in any order. Words are folded as the index folds them."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joined = False  # the previous token was OR: the next term joins the last group
    for token in _QUERY_TOKEN.findall(text):
        if token == "OR":
            joined = bool(groups)
            continue
        negated = token.startswith("-") and len(token) > 1
        term = _term(token[1:] if negated else token)
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif joined:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
    if not groups and excluded:
        raise QueryError(f"{text!r} only says what to leave out; give a word to look for too")
    return WordQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _term(token: str) -> Term | None:
    phrase = token.startswith('"')
    body = token.strip('"') if phrase else token
    prefix = not phrase and body.endswith("*")
    words = tuple(fold(body.rstrip("*") if prefix else body).split())
    if not words:
        return None
    # 'Armenia-Azerbaijan' folds to two words: kept together, as a phrase
    return Term(body, words, prefix=prefix and len(words) == 1)


def parse(conn: sqlite3.Connection, query: str, exact: bool = False) -> WordQuery:
    """The query as typed (see `read_query`), where each plain word the KB does not hold at
    all is read as the index words one or two edits away, unless `exact`."""
    typed = read_query(query)
    if exact:
        return typed
    groups = tuple(tuple(_with_near(conn, t) for t in g) for g in typed.groups)
    return WordQuery(groups, typed.excluded)


def _with_near(conn: sqlite3.Connection, term: Term) -> Term:
    if term.prefix:
        return Term(term.typed, term.words, prefix=True, stems=_prefix_stems(conn, term.words[0]))
    if not term.is_word or _holds(conn, term):
        return term
    return Term(term.typed, term.words, near=_near_terms(conn, term.words[0]))


STEM_CUT = 3  # the Porter stemmer takes at most this many letters off a prefix's end


def _prefix_stems(conn: sqlite3.Connection, prefix: str) -> tuple[str, ...]:
    shortest = max(4, len(prefix) - STEM_CUT)
    return tuple(t for t in _vocabulary(conn, shortest, len(prefix) - 1) if prefix.startswith(t))


def _holds(conn: sqlite3.Connection, term: Term) -> bool:
    """Whether any record holds the word (or a word of its stem)."""
    row = conn.execute("SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1",
                       [_expression(term, near=False)]).fetchone()
    return row is not None


def build(path: Path | None, documents: Iterable[Document]) -> sqlite3.Connection:
    """Write a new index (in memory when `path` is None) and return it open."""
    import sqlite3  # deferred: a query answered without a word search needs no SQLite

    conn = sqlite3.connect(":memory:" if path is None else str(path))
    conn.executescript(
        f"PRAGMA user_version = {SCHEMA_VERSION};"
        # contentless: the folded texts are only indexed, never stored (nkb shows the records'
        # own text), and what a hit needs is read from `records`, a small row per document,
        # instead of from a stored copy of the whole text
        f"CREATE VIRTUAL TABLE docs USING fts5(name, body, content = '', tokenize = '{TOKENIZER}');"
        "CREATE TABLE records (rowid INTEGER PRIMARY KEY, kind TEXT, id TEXT, ref, "
        "draft INTEGER, quote_kind TEXT);"
        # the index's words by length, for the near-spelling scan: read from fts5vocab once here,
        # because fts5vocab walks every word's whole list of documents each time it is read
        "CREATE TABLE terms (length INTEGER, term TEXT, PRIMARY KEY (length, term)) WITHOUT ROWID;"
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);")
    listed = list(documents)
    conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
                     ((rowid, d.kind, d.id, d.ref, int(d.draft), d.quote_kind)
                      for rowid, d in enumerate(listed, 1)))
    conn.executemany("INSERT INTO docs (rowid, name, body) VALUES (?, ?, ?)",
                     ((rowid, fold(d.name), fold(d.body)) for rowid, d in enumerate(listed, 1)))
    conn.executescript(
        "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, docs, 'row');"
        "INSERT INTO terms SELECT length(term), term FROM temp.vocab;"
        "DROP TABLE temp.vocab;")
    conn.commit()
    return conn


def stamp_of(conn: sqlite3.Connection) -> bytes | None:
    """The stamp `set_stamp` recorded: which KB state the index was built from."""
    import sqlite3

    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    except sqlite3.Error:
        return None
    return bytes(row[0]) if row else None


def set_stamp(conn: sqlite3.Connection, stamp: bytes) -> None:
    """Record which KB state the index was built from."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", [stamp])
    conn.commit()


def open_index(path: Path) -> sqlite3.Connection | None:
    """An index written by `build`, or None if it is missing or of another layout."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.close()
            return None
        return conn
    except sqlite3.Error:
        return None


def _near_terms(conn: sqlite3.Connection, word: str) -> tuple[str, ...]:
    allowed = edits_allowed(word)
    if allowed == 0:
        return ()
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    # a word within `allowed` edits is at most `allowed` letters longer or shorter
    vocabulary = _vocabulary(conn, max(3, len(word) - allowed), len(word) + allowed)
    found = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=allowed,
                            limit=None)
    return tuple(term for term, _, _ in found if term != word)


def _vocabulary(conn: sqlite3.Connection, shortest: int, longest: int) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT term FROM terms WHERE length BETWEEN ? AND ? ORDER BY term", [shortest, longest])]


def edits_allowed(word: str) -> int:
    """Typos tolerated in a word this long: none under 4 letters, 1 up to 7, then 2."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


@dataclass(frozen=True, slots=True)
class Scope:
    """Which records a search looks at: kinds, quote kinds, and whether drafts count."""

    kinds: Collection[str] = ()  # quote, event, actor, source; empty for all
    quote_kinds: Collection[str] = ()  # direct, paraphrase; empty for both
    drafts: bool = False


def find(conn: sqlite3.Connection, query: WordQuery, scope: Scope = Scope(),
         limit: int | None = None) -> tuple[list[WordMatch], int]:
    """The best matches of the query (at most `limit`), and how many records match in all.
    Records matched only through a near spelling come after the others, marked not exact."""
    if not query.groups:
        return [], 0
    exact = _match_expression(query, near=False)
    # the near tier: records that match only through a near spelling
    has_near = any(t.near for g in query.groups for t in g)
    fuzzy = f"({_match_expression(query, near=True)}) NOT ({exact})" if has_near else None
    found = _run(conn, exact, scope, True, limit)
    if fuzzy is not None and (limit is None or len(found) < limit):
        found += _run(conn, fuzzy, scope, False, None if limit is None else limit - len(found))
    if limit is None:
        return found, len(found)
    total = _count(conn, exact, scope) + (_count(conn, fuzzy, scope) if fuzzy else 0)
    return found, total


def _match_expression(query: WordQuery, near: bool) -> str:
    """The FTS5 expression: every group, each any of its terms, and none of the excluded."""
    wanted = " AND ".join("(" + " OR ".join(_expression(t, near) for t in g) + ")"
                          for g in query.groups)
    if not query.excluded:
        return wanted
    return f"({wanted}) NOT (" + " OR ".join(_expression(t, False) for t in query.excluded) + ")"


def _expression(term: Term, near: bool) -> str:
    if term.prefix:
        # stems are index words: as prefixes they are matched as they stand, where a plain
        # term would be stemmed once more ('trilater' -> 'trilat')
        return " OR ".join([_quoted(term.words[0]) + "*", *(_quoted(t) + "*" for t in term.stems)])
    typed = _quoted(" ".join(term.words))
    if not near or not term.near:
        return typed
    return " OR ".join([typed, *(_quoted(t) + "*" for t in term.near)])


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _where(expression: str, scope: Scope) -> tuple[str, list[object]]:
    sql = " FROM docs JOIN records r ON r.rowid = docs.rowid WHERE docs MATCH ?"
    params: list[object] = [expression]
    for column, values in (("kind", scope.kinds), ("quote_kind", scope.quote_kinds)):
        if values:
            sql += f" AND r.{column} IN ({', '.join('?' * len(values))})"
            params += sorted(values)
    if not scope.drafts:
        sql += " AND r.draft = 0"
    return sql, params


def _run(conn: sqlite3.Connection, expression: str, scope: Scope, exact: bool,
         limit: int | None) -> list[WordMatch]:
    """One tier's matches, best first: bm25 (lower is better; nkb's scores are higher for
    better), then kind and id."""
    where, params = _where(expression, scope)
    sql = (f"SELECT r.kind, r.id, r.ref, bm25(docs, ?, 1.0) AS bm25_rank{where} "
           "ORDER BY bm25_rank, r.kind, r.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [WordMatch(kind, ident, ref, -rank, exact)
            for kind, ident, ref, rank in conn.execute(sql, [NAME_WEIGHT, *params])]


def _count(conn: sqlite3.Connection, expression: str, scope: Scope) -> int:
    where, params = _where(expression, scope)
    return int(conn.execute(f"SELECT count(*){where}", params).fetchone()[0])


# --- showing where the words are --------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)
_fold_word = functools.lru_cache(maxsize=1 << 16)(fold)  # a server shows the same articles often


def highlights(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Offsets of the words of `text` that one of the matched terms stands for."""
    if not terms:
        return []
    # _stands_for for every term at once, and each distinct word folded once: a source hit
    # shows its whole article, thousands of words, most of them repeated
    exact = set(terms)
    prefixes = tuple(term[: max(4, len(term) - 1)] for term in terms if len(term) >= 4)
    seen: dict[str, bool] = {}
    out = []
    for found in _TOKEN.finditer(text):
        word = found.group()
        hit = seen.get(word)
        if hit is None:
            token = _fold_word(word)
            hit = seen[word] = bool(token) and (token in exact or token.startswith(prefixes))
        if hit:
            out.append((found.start(), found.end()))
    return out


def spelled(text: str, stem: str) -> str | None:
    """The commonest word of `text` (folded) that an index word stands for, as users write it:
    'ceasefire' for 'ceasefir'."""
    from collections import Counter

    found = Counter(token for token in (fold(t) for t in _TOKEN.findall(text))
                    if token and _stands_for(token, stem))
    return min(found, key=lambda w: (-found[w], len(w), w)) if found else None


def _stands_for(token: str, term: str) -> bool:
    # the index holds stems: 'peacekeep' stands for 'peacekeepers' and 'peacekeeping'
    return token == term or (len(term) >= 4 and token.startswith(term[: max(4, len(term) - 1)]))
