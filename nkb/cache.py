"""A compiled cache of the validated KB, so that a query neither parses YAML nor validates.

Where: `$NKB_CACHE_DIR`, else platformdirs' user cache folder for nkb; `NKB_CACHE_DIR=off` turns
it off, and a folder that cannot be written is silently skipped. Per KB (named by a hash of its
resolved path) there are two msgpack files, each written to a temporary file and moved into place:

- `<key>.files`: what each KB file yields on its own (store.SourceFacts etc.), keyed by the
  file's (size, mtime_ns, ctime_ns, inode), for a source on both its .yaml and .txt. After an
  edit only changed files are parsed again; the cross-file checks then run over all records.
- `<key>.kb`: the merged, validated KB plus lookup tables (speaker -> quotes, source -> events,
  event dates), stamped with the stats of every file it was built from. It is used only if that
  stamp equals the current one; its parts are decoded when a query first needs them.

Anything unreadable, truncated, of another version or failing its checksum is ignored and
rebuilt. A KB with problems is never compiled; the per-file facts of its good files are kept.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import mmap
import os
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cached_property
from pathlib import Path
from typing import Any

import msgspec

from nkb import dates, store
from nkb.errors import Problem
from nkb.models import Actor, Event, Quote, Source

VERSION = 1
StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
_NO_FILE: StatKey = (-1, 0, 0, 0)
_encoder = msgspec.msgpack.Encoder()


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    chosen = os.environ.get("NKB_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("off", "") else Path(chosen).expanduser()
    from platformdirs import user_cache_dir  # deferred: only needed when no folder is given

    return Path(user_cache_dir("nkb", appauthor=False))


def load(root: Path) -> tuple[store.KB | None, list[Problem]]:
    """The KB at `root` from the cache when current, else rebuilt (and the cache refreshed)."""
    folder = cache_dir()
    if folder is None:
        return store.load_uncached(root)
    root = root.resolve()
    stats = scan(root)
    stamp = _encoder.encode([VERSION, _code_stamp(), str(root), stats])
    base = folder / hashlib.sha256(str(root).encode()).hexdigest()[:24]
    kb = _open_compiled(base.with_suffix(".kb"), root, stamp)
    if kb is not None:
        return kb, []
    return _rebuild(root, base, stats, stamp)


# --- knowing when the cache is current ---------------------------------------------------------


def _key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def scan(root: Path) -> dict[str, StatKey]:
    """Every file the KB is read from, by name relative to the KB, with its stat key.

    A content edit changes size or mtime, and even an edit that keeps the size and puts the old
    mtime back changes ctime; a replaced file has a new inode; an added or deleted file changes
    the set of names."""
    out: dict[str, StatKey] = {}
    for name in (store.ACTORS_FILE, store.EVENTS_FILE):
        try:
            out[name] = _key(os.stat(root / name))
        except OSError:
            out[name] = _NO_FILE
    try:
        with os.scandir(root / store.SOURCES_DIR) as entries:
            found = [(e.name, _key(e.stat())) for e in entries
                     if e.name.endswith((".yaml", ".txt"))]
    except OSError:
        return out
    out[store.SOURCES_DIR + "/"] = (0, 0, 0, 0)
    found.sort()
    for name, key in found:
        out[f"{store.SOURCES_DIR}/{name}"] = key
    return out


def _code_stamp() -> list[Any]:
    """The code that validates: a cache built by other code is not trusted."""
    here = Path(__file__).parent
    out: list[Any] = []
    for name in ("cache.py", "store.py", "models.py", "dates.py", "yamlfile.py"):
        try:
            st = os.stat(here / name)
            out.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([name])
    return out


@contextmanager
def _no_gc() -> Iterator[None]:
    # Decoding many records allocates many containers; the cyclic GC would scan them again and
    # again for nothing (none of them form cycles), which doubles the decode time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the compiled KB ---------------------------------------------------------------------------


class Compiled(msgspec.Struct, array_like=True):
    """The header of the `.kb` file, read on every run; the blobs after it are decoded only
    when a query first needs them.

    File layout: MAGIC, the header's length (4 bytes, big-endian), the header, then the blobs
    (each a msgpack document) back to back. Offsets let a run touch only the pages it needs."""

    stamp: bytes
    counts: list[int]  # sources, drafts, quotes, events, actors
    notes: list[store.Issue]
    blobs: dict[str, tuple[int, int, int]]  # name -> (offset after the header, length, crc32)


# What the blobs hold:
#   actors: list[Actor]; source_ids: list[str] (id order); sources: list[Source] (id order,
#   each with its quotes in file order); quote_first: list[int] (flat index of each source's
#   first quote); quote_order: list[int] (flat quote indices in date order); by_speaker:
#   dict[str, list[int]] (flat indices in date order); events: list[Event] (date order);
#   event_dates: list[str]; events_by_source: dict[str, list[int]]; spans: dict[str, [start, end]]
# `nkb search` keeps its folded texts in `<key>.search`, built by the first search after a change
# (under the same stamp), so an edit does not pay for folding every text.
MAGIC = b"nkb-kb\x00\x01"


class CorruptCache(Exception):
    """A blob of the compiled cache failed its checksum or did not decode."""


BLOBS = ("actors", "source_ids", "sources", "quote_first", "quote_order", "by_speaker", "events",
         "event_dates", "events_by_source", "spans")


def _compile(kb: store.KB, stamp: bytes) -> bytes:
    ids = sorted(kb.sources)
    flat: dict[str, int] = {}
    first: list[int] = []
    for source_id in ids:
        first.append(len(flat))
        for quote in kb.sources[source_id].quotes:
            flat[quote.id] = len(flat)
    order = [flat[q.id] for q in kb.quotes]
    by_speaker: dict[str, list[int]] = {}
    for q in kb.quotes:
        by_speaker.setdefault(q.speaker, []).append(flat[q.id])
    by_source: dict[str, list[int]] = {}
    for i, event in enumerate(kb.events):
        for source_id in dict.fromkeys(event.sources):
            by_source.setdefault(source_id, []).append(i)
    parts = {
        "actors": list(kb.actors.values()),
        "source_ids": ids,
        "sources": [kb.sources[i] for i in ids],
        "quote_first": first,
        "quote_order": order,
        "by_speaker": by_speaker,
        "events": kb.events,
        "event_dates": [e.date for e in kb.events],
        "events_by_source": by_source,
        "spans": {text: (span.start, span.end) for text, span in kb.spans.items()},
    }
    drafts = sum(1 for s in kb.sources.values() if s.status == "draft")
    counts = [len(ids), drafts, len(kb.quotes), len(kb.events), len(kb.actors)]
    notes = [(str(n.file), n.line, n.message, n.hint) for n in kb.notes]
    table, chunks, at = {}, [], 0
    for name, value in parts.items():
        chunk = _encoder.encode(value)
        table[name] = (at, len(chunk), zlib.crc32(chunk))
        chunks.append(chunk)
        at += len(chunk)
    header = _encoder.encode(Compiled(stamp, counts, notes, table))
    return b"".join([MAGIC, len(header).to_bytes(4, "big"), header, *chunks])


def _open_compiled(path: Path, root: Path, stamp: bytes) -> CompiledKB | None:
    try:
        with open(path, "rb") as handle:
            buffer: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap refuses 0 bytes)
        return None
    view = memoryview(buffer)
    start = len(MAGIC) + 4
    if bytes(view[: len(MAGIC)]) != MAGIC or len(view) < start:
        return None
    end = start + int.from_bytes(view[len(MAGIC):start], "big")
    try:
        compiled = msgspec.msgpack.decode(view[start:end], type=Compiled)
    except msgspec.MsgspecError:
        return None
    if compiled.stamp != stamp or len(compiled.counts) != 5 or set(compiled.blobs) != set(BLOBS):
        return None
    if any(at + size > len(view) - end for at, size, _ in compiled.blobs.values()):
        return None  # truncated
    return CompiledKB(root, compiled, view[end:], path.with_suffix(".search"))


class CompiledKB(store.KB):
    """A KB read from the compiled cache: each part is decoded when a query first needs it.

    If a part turns out corrupt (its checksum fails), the KB is loaded from its files instead,
    so a damaged cache can slow a run down but never change an answer."""

    def __init__(self, root: Path, compiled: Compiled, buffer: Any, search_path: Path) -> None:
        self.root = root
        self._search_path = search_path
        self._compiled = compiled
        self._buffer = buffer  # the blobs: a view of the mapped file
        self._fallback: store.KB | None = None
        self.notes = [store._problem(n) for n in compiled.notes]
        self._counts = dict(zip(("sources", "drafts", "quotes", "events", "actors"),
                                compiled.counts, strict=True))

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def _blob(self, name: str, kind: Any) -> Any:
        at, size, crc = self._compiled.blobs[name]
        raw = self._buffer[at: at + size]
        if zlib.crc32(raw) != crc:
            raise CorruptCache(name)
        try:
            with _no_gc():
                return msgspec.msgpack.decode(raw, type=kind)
        except msgspec.MsgspecError as exc:
            raise CorruptCache(name) from exc

    def _from_files(self) -> store.KB:
        if self._fallback is None:
            kb, problems = store.load_uncached(self.root)
            if kb is None:
                from nkb.errors import KBError

                raise KBError(problems)
            self._fallback = kb
        return self._fallback

    def _safe(self, name: str, kind: Any) -> Any:
        try:
            return self._blob(name, kind)
        except CorruptCache:
            return None

    # -- the KB's fields, decoded on first use

    @cached_property
    def actors(self) -> dict[str, Actor]:  # type: ignore[override]
        found = self._safe("actors", list[Actor])
        return self._from_files().actors if found is None else {a.id: a for a in found}

    @cached_property
    def sources(self) -> Mapping[str, Source]:  # type: ignore[override]
        ids = self._safe("source_ids", list[str])
        raws = self._safe("sources", list[msgspec.Raw])
        if ids is None or raws is None or len(ids) != len(raws):
            return self._from_files().sources
        return _LazySources(self, ids, raws)

    @cached_property
    def quotes(self) -> list[Quote]:  # type: ignore[override]
        order = self._safe("quote_order", list[int])
        if order is None:
            return self._from_files().quotes
        flat = [q for s in self.sources.values() for q in s.quotes]
        return [flat[i] for i in order]

    @cached_property
    def events(self) -> list[Event]:  # type: ignore[override]
        found = self._safe("events", list[Event])
        return self._from_files().events if found is None else found

    @cached_property
    def spans(self) -> dict[str, dates.Span]:  # type: ignore[override]
        found = self._safe("spans", dict[str, tuple[str, str]])
        if found is None:
            return self._from_files().spans
        return {text: dates.Span(*pair) for text, pair in found.items()}

    # -- fast paths: answer from the lookup tables, decoding only what the answer holds

    @cached_property
    def _quote_first(self) -> list[int]:
        return self._blob("quote_first", list[int])  # type: ignore[no-any-return]

    def _quotes_at(self, flat: list[int]) -> list[Quote]:
        firsts = self._quote_first
        ids = self.sources_ids
        out = []
        for index in flat:
            pos = bisect.bisect_right(firsts, index) - 1
            out.append(self.sources[ids[pos]].quotes[index - firsts[pos]])
        return out

    @property
    def sources_ids(self) -> list[str]:
        sources = self.sources
        return sources.ids if isinstance(sources, _LazySources) else sorted(sources)

    def quotes_by(self, speaker_id: str) -> list[Quote]:
        try:
            index = self._blob("by_speaker", dict[str, msgspec.Raw])
            flat = msgspec.msgpack.decode(index[speaker_id], type=list[int]) \
                if speaker_id in index else []
            return self._quotes_at(flat)
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().quotes_by(speaker_id)

    def quotes_of(self, source_id: str) -> list[Quote]:
        if source_id not in self.sources:
            return []
        spans = self.spans
        return sorted(self.sources[source_id].quotes,
                      key=lambda q: store.sort_key(spans, q.date, q.id))

    @cached_property
    def _event_raws(self) -> list[msgspec.Raw]:
        return self._blob("events", list[msgspec.Raw])  # type: ignore[no-any-return]

    def _events_at(self, positions: list[int]) -> list[Event]:
        if "events" in self.__dict__:
            return [self.events[i] for i in positions]
        decoder = msgspec.msgpack.Decoder(Event)
        raws = self._event_raws
        return [decoder.decode(raws[i]) for i in positions]

    def events_citing(self, source_id: str) -> list[Event]:
        try:
            index = self._blob("events_by_source", dict[str, list[int]])
            return self._events_at(index.get(source_id, []))
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().events_citing(source_id)

    def events_between(self, since: dates.Span | None, until: dates.Span | None) -> list[Event]:
        try:
            event_dates = self._blob("event_dates", list[str])
            spans = self.spans
            hits = [i for i, d in enumerate(event_dates)
                    if (span := spans.get(d)) is not None and span.overlaps(since, until)]
            return self._events_at(hits)
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().events_between(since, until)


    def search_corpus(self) -> list[Any]:
        """search.search_corpus's entries, quotes pointed at by flat index; from `.search` when
        it was built under the current stamp, else built now and written there."""
        stamp = self._compiled.stamp
        try:
            data = self._search_path.read_bytes()
            if zlib.crc32(memoryview(data)[4:]) == int.from_bytes(data[:4], "big"):
                with _no_gc():
                    kept, corpus = msgspec.msgpack.decode(memoryview(data)[4:],
                                                          type=tuple[bytes, list[Any]])
                if kept == stamp:
                    return corpus
        except (OSError, msgspec.MsgspecError):
            pass
        from nkb import search

        try:
            order = self._blob("quote_order", list[int])
        except CorruptCache:
            self._search_from_files = True
            return search.search_corpus(self._from_files())
        corpus = [[kind, ident, text, order[ref] if kind == "quote" else ref]
                  for kind, ident, text, ref in search.search_corpus(self)]
        payload = _encoder.encode((stamp, corpus))
        _write(self._search_path, zlib.crc32(payload).to_bytes(4, "big") + payload)
        return corpus

    def search_record(self, kind: str, ref: Any) -> Any:
        if getattr(self, "_search_from_files", False):
            return self._from_files().search_record(kind, ref)
        if kind == "quote":
            return self._quotes_at([ref])[0]
        if kind == "event":
            return self._events_at([ref])[0]
        return (self.actors if kind == "actor" else self.sources)[ref]


class _LazySources(Mapping[str, Source]):
    """Sources by id, each decoded (with its quotes) when first looked up."""

    def __init__(self, kb: CompiledKB, ids: list[str], raws: list[msgspec.Raw]) -> None:
        self.kb = kb
        self.ids = ids
        self.raws = raws
        self.position = {source_id: i for i, source_id in enumerate(ids)}
        self.decoded: dict[str, Source] = {}
        self.decoder = msgspec.msgpack.Decoder(Source)

    def __getitem__(self, source_id: str) -> Source:
        found = self.decoded.get(source_id)
        if found is None:
            position = self.position[source_id]
            try:
                found = self.decoder.decode(self.raws[position])
            except msgspec.MsgspecError:
                found = self.kb._from_files().sources[source_id]
            self.decoded[source_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.position

    def values(self) -> Any:
        if len(self.decoded) < len(self.ids):
            with _no_gc():
                for source_id in self.ids:
                    self[source_id]
        return [self.decoded[i] for i in self.ids]

    def items(self) -> Any:
        return list(zip(self.ids, self.values(), strict=True))


# --- rebuilding ----------------------------------------------------------------------------------


class FileCache(msgspec.Struct, array_like=True):
    """The `.files` file: each KB file's own facts, with the stat keys they were read at."""

    stamp: bytes  # version, code and KB path: facts from other code are not reused
    actors: tuple[StatKey, msgspec.Raw] | None
    events: tuple[StatKey, msgspec.Raw] | None
    sources: dict[str, tuple[StatKey, StatKey, msgspec.Raw]]


FILES_MAGIC = b"nkb-fs\x00\x01"


def _read_files(path: Path, stamp: bytes) -> FileCache | None:
    """The per-file facts, if the file is whole (magic, crc32 of the rest) and of this code."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(FILES_MAGIC) + 4
    if data[: len(FILES_MAGIC)] != FILES_MAGIC or len(data) < start:
        return None
    payload = memoryview(data)[start:]
    if zlib.crc32(payload) != int.from_bytes(data[len(FILES_MAGIC):start], "big"):
        return None
    try:
        cached = msgspec.msgpack.decode(payload, type=FileCache)
    except msgspec.MsgspecError:
        return None
    return cached if cached.stamp == stamp else None


def _reuse(entry: Any, key: Any, kind: Any) -> Any:
    """Facts from the cache if they were read at exactly these stat keys, else None."""
    if entry is None or tuple(entry[:-1]) != key:
        return None
    try:
        return msgspec.msgpack.decode(entry[-1], type=kind)
    except msgspec.MsgspecError:
        return None


def _rebuild(root: Path, base: Path, stats: dict[str, StatKey],
             stamp: bytes) -> tuple[store.KB | None, list[Problem]]:
    files_stamp = _encoder.encode([VERSION, _code_stamp(), str(root)])
    old = _read_files(base.with_suffix(".files"), files_stamp)
    spans: dict[str, dates.Span] = {}
    with _no_gc():
        actors_key = stats[store.ACTORS_FILE]
        actor_facts = _reuse(old.actors if old else None, (actors_key,), store.ActorFacts)
        if actor_facts is None:
            actor_facts = store.actor_facts(root, spans)
        events_key = stats[store.EVENTS_FILE]
        event_facts = _reuse(old.events if old else None, (events_key,), store.EventFacts)
        if event_facts is None:
            event_facts = store.event_facts(root, spans)
        sources = []
        for file in store.list_source_files(root):
            name = f"{store.SOURCES_DIR}/{file.name}"
            key = (stats.get(name, _NO_FILE), stats.get(name[:-5] + ".txt", _NO_FILE))
            entry = old.sources.get(file.name) if old else None
            facts = _reuse(entry, key, store.SourceFacts)
            if facts is None:
                facts = store.source_facts(file, spans)
                raw = msgspec.Raw(_encoder.encode(facts))
            else:
                raw = entry[-1]  # type: ignore[index]  # unchanged: its bytes are kept as they are
            sources.append((file, key, facts, raw))
        merged = store.Merge(root, actor_facts, event_facts,
                             [(file, facts) for file, _, facts, _ in sources]).run()
        problems, kb = merged.problems, merged.kb
        new = FileCache(
            files_stamp, (actors_key, msgspec.Raw(_encoder.encode(actor_facts))),
            (events_key, msgspec.Raw(_encoder.encode(event_facts))),
            {file.name: (*key, raw) for file, key, _, raw in sources})  # type: ignore[misc]
        payload = _encoder.encode(new)
        _write(base.with_suffix(".files"),
               FILES_MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload)
        if kb is not None and not problems:
            _write(base.with_suffix(".kb"), _compile(kb, stamp))
    return (None if problems else kb), problems


def _write(path: Path, data: bytes) -> None:
    """Write atomically (temporary file, then rename); a cache that cannot be written is
    simply not written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
