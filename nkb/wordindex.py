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
class WordQuery:
    """A typed query as the index reads it: its folded words and each one's near spellings."""

    words: tuple[str, ...]
    near: tuple[tuple[str, ...], ...]  # for each word, the index's words within its edits

    def terms(self) -> tuple[str, ...]:
        """Every word this query may match, typed or near, for highlighting."""
        return tuple(dict.fromkeys([*self.words, *(t for ts in self.near for t in ts)]))


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


def parse(conn: sqlite3.Connection, query: str) -> WordQuery:
    """The query's folded words, each with the index words a typo of it could stand for."""
    words = tuple(dict.fromkeys(fold(query).split()))
    return WordQuery(words, tuple(_near_terms(conn, w) for w in words))


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
    """The best matches of every word (at most `limit`), and how many records match in all."""
    if not query.words:
        return [], 0
    exact = _match_expression(query, near=False)
    # the near tier: records that match only through a near spelling
    fuzzy = f"({_match_expression(query, near=True)}) NOT ({exact})" if any(query.near) else None
    found = _run(conn, exact, scope, True, limit)
    if fuzzy is not None and (limit is None or len(found) < limit):
        found += _run(conn, fuzzy, scope, False, None if limit is None else limit - len(found))
    if limit is None:
        return found, len(found)
    total = _count(conn, exact, scope) + (_count(conn, fuzzy, scope) if fuzzy else 0)
    return found, total


def _match_expression(query: WordQuery, near: bool) -> str:
    groups = []
    for word, near_terms in zip(query.words, query.near, strict=True):
        # near terms are index words (stems): as a prefix they are matched as they stand,
        # where a plain term would be stemmed once more ('trilater' -> 'trilat')
        options = [_quoted(word), *(_quoted(t) + "*" for t in near_terms)] if near \
            else [_quoted(word)]
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


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


def highlights(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Offsets of the words of `text` that one of the matched terms stands for."""
    if not terms:
        return []
    out = []
    for found in _TOKEN.finditer(text):
        token = fold(found.group())
        if token and any(_stands_for(token, term) for term in terms):
            out.append((found.start(), found.end()))
    return out


def _stands_for(token: str, term: str) -> bool:
    # the index holds stems: 'peacekeep' stands for 'peacekeepers' and 'peacekeeping'
    return token == term or (len(term) >= 4 and token.startswith(term[: max(4, len(term) - 1)]))
