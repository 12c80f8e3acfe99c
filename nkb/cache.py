"""A compiled cache of the validated KB, so that a query neither parses YAML nor validates.

Where: `$NKB_CACHE_DIR`, else platformdirs' user cache folder for nkb; `NKB_CACHE_DIR=off` turns
it off, and a folder that cannot be written is silently skipped. Per KB (named by a hash of its
resolved path) there are three msgpack files, each written to a temporary file and moved into
place:

- `<key>.files`: what each KB file yields on its own (validation.SourceFacts etc.), keyed by the
  file's (size, mtime_ns, ctime_ns, inode), for a source on both its .yaml and .txt. After an
  edit only changed files are parsed again; the cross-file checks then run over all records.
- `<key>.kb`: the merged, validated KB plus lookup tables (speaker -> quotes, source -> events,
  event dates), stamped with the stats of every file it was built from. It is used only if that
  stamp equals the current one; its parts are decoded when a query first needs them.
- `<key>.words`: the word index (nkb/wordindex.py, an SQLite FTS5 database) that `nkb search`
  and every `--search` read, built on the first word search after a change and stamped like
  `<key>.kb`.

Anything unreadable, truncated, of another version or failing its checksum is ignored and
rebuilt. A KB with problems is never compiled; the per-file facts of its good files are kept.
"""

from __future__ import annotations

import array
import bisect
import gc
import hashlib
import mmap
import os
import stat
import sys
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import msgspec

from nkb import dates, fsutil, validation, wordindex
from nkb.errors import KBError, Problem
from nkb.index import KB, MemoryKB, load_uncached, word_documents
from nkb.models import Actor, Event, Quote, Source
from nkb.validation import ACTORS_FILE, EVENTS_FILE, SOURCES_DIR, TOPICS_FILE, Issue, SpanPair

VERSION = 4
StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
_NO_FILE: StatKey = (-1, 0, 0, 0)
_UNREADABLE = -2  # the size of a name that cannot be stat'ed; the errno follows
_RACY = -3  # the size of a file changed too recently to trust its key; a nonce follows
# How close to a scan a file's ctime must be for its key to prove nothing (see `scan`): times on
# whole seconds come from a coarse clock (1 s; 2 s on FAT), others from a kernel tick (1-16 ms).
COARSE_WINDOW_NS = 3_000_000_000
FINE_WINDOW_NS = 50_000_000
_encoder = msgspec.msgpack.Encoder()


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    chosen = os.environ.get("NKB_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("off", "") else Path(chosen).expanduser()
    from platformdirs import user_cache_dir  # deferred: only needed when no folder is given

    return Path(user_cache_dir("nkb", appauthor=False))


class CacheInsideKB(fsutil.WriteRefused):
    """$NKB_CACHE_DIR names a folder inside the KB: nkb never writes into a KB's folder."""


def load(root: Path) -> tuple[KB | None, list[Problem]]:
    """The KB at `root` from the cache when current, else rebuilt (and the cache refreshed)."""
    folder = cache_dir()
    if folder is None or _inside(folder, root):
        if folder is not None and "NKB_CACHE_DIR" in os.environ:
            raise CacheInsideKB(
                f"NKB_CACHE_DIR {folder} is inside the KB folder {root.resolve()}; the cache "
                "never goes into the KB (choose a folder outside it, or NKB_CACHE_DIR=off)")
        return load_uncached(root)  # the platform's cache folder lies in the KB: none
    try:
        return _load(folder, root.resolve())
    except UnicodeEncodeError:
        # A path or file name in the KB that is not UTF-8 (a byte such as 0xff): the cache's
        # msgpack holds only UTF-8 text, so this KB is read from its files, every time.
        return load_uncached(root)


def _inside(folder: Path, root: Path) -> bool:
    where, kb = folder.resolve(), root.resolve()
    return where == kb or kb in where.parents


def _load(folder: Path, root: Path) -> tuple[KB | None, list[Problem]]:
    stats = scan(root)
    stamp = _encoder.encode([VERSION, _code_stamp(), str(root), stats])
    base = folder / hashlib.sha256(str(root).encode()).hexdigest()[:24]
    opened = _read_compiled(base.with_suffix(".kb"))
    if opened is not None:
        compiled, blobs = opened
        if compiled.stamp == stamp:
            return CompiledKB(root, compiled, blobs, base.with_suffix(".words")), []
        patched = _patch(root, base, compiled, blobs, stats, stamp)
        if patched is not None:
            return patched, []
    return _rebuild(root, base, stats, stamp)


# --- knowing when the cache is current ---------------------------------------------------------


class _Clock:
    """When a scan began, and so which ctimes are too recent to prove a file unchanged."""

    def __init__(self) -> None:
        began = time.time_ns()  # taken before any stat: every later change is after it
        self.fine_after = began - FINE_WINDOW_NS
        self.coarse_after = began - COARSE_WINDOW_NS
        self.nonce = 0

    def racy(self, ctime: int) -> bool:
        return ctime > self.coarse_after and (ctime > self.fine_after or ctime % 10**9 == 0)

    def smudged(self, st: os.stat_result) -> StatKey:
        if not self.nonce:  # one nonce per scan: no other scan's key can equal this one
            self.nonce = int.from_bytes(os.urandom(7), "big") | 1
        return (_RACY, self.nonce, st.st_mtime_ns, st.st_ino)


def _stat_key(name: str, clock: _Clock, dir_fd: int | None = None) -> StatKey:
    """The stat key of what `name` names (following links); a missing file, and a name that
    cannot be stat'ed (a dangling link, no permission), have keys of their own; a file changed
    too recently to be trusted, a smudged key (see `scan`)."""
    try:
        st = os.stat(name, dir_fd=dir_fd)
    except OSError as exc:
        return _unstatable(name, exc, dir_fd)
    return clock.smudged(st) if clock.racy(st.st_ctime_ns) else \
        (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _unstatable(name: str, exc: OSError, dir_fd: int | None) -> StatKey:
    if isinstance(exc, FileNotFoundError):
        try:
            os.lstat(name, dir_fd=dir_fd)
        except OSError:
            return _NO_FILE
        return (_UNREADABLE, 2, 0, 0)  # a dangling link
    return (_UNREADABLE, exc.errno or 0, 0, 0)


def scan(root: Path) -> dict[str, StatKey]:
    """Every name the KB is read from, by name relative to the KB, with its stat key: each
    name in sources/ that nkb does not ignore (validation.is_ignored), even one that cannot be
    stat'ed, so the cache never covers less than a load from the files reads.

    A content edit changes size or mtime, and even an edit that keeps the size and puts the old
    mtime back changes ctime; a replaced file has a new inode; an added or deleted file changes
    the set of names. But a filesystem keeps times only to its clock's resolution (a second or
    two on FAT, HFS+ and ext4 with small inodes; a kernel tick elsewhere), so a file whose ctime
    is within that resolution of this scan could change again with the same key. Such a file is
    "racily clean" (git's term): its key is smudged with a value of this scan alone, so no
    cache trusts it, and it is read again until it is older than the clock's resolution."""
    clock = _Clock()
    out = {name: _stat_key(str(root / name), clock)
           for name in (ACTORS_FILE, EVENTS_FILE, TOPICS_FILE)}
    where = root / SOURCES_DIR
    relative = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd
    try:
        # each file stat'ed by its name in the open folder (as `fstatat` in C does), not by a
        # path the kernel walks again from the root each time; by path where the platform
        # cannot (Windows)
        folder = os.open(where, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if relative \
            else None
    except FileNotFoundError:
        return out
    except OSError:  # not a folder, or not ours to read: validation.list_sources says so
        out[SOURCES_DIR + "/"] = (_UNREADABLE, 0, 0, 0)
        return out
    try:
        try:
            listed = os.listdir(where if folder is None else folder)
        except FileNotFoundError:
            return out
        except OSError:
            out[SOURCES_DIR + "/"] = (_UNREADABLE, 0, 0, 0)
            return out
        out[SOURCES_DIR + "/"] = (0, 0, 0, 0)
        _stat_sources(out, sorted(n for n in listed if not validation.is_ignored(n)), clock,
                      folder, "" if folder is not None else os.path.join(where, ""))
    finally:
        if folder is not None:
            os.close(folder)
    return out


def _stat_sources(out: dict[str, StatKey], names: list[str], clock: _Clock, folder: int | None,
                  prefix: str) -> None:
    stat, coarse_after = os.stat, clock.coarse_after
    for name in names:  # _stat_key inlined: this loop is most of a warm run at 20,000 files
        try:
            st = stat(prefix + name, dir_fd=folder)
        except OSError as exc:
            out[f"{SOURCES_DIR}/{name}"] = _unstatable(prefix + name, exc, folder)
            continue
        ctime = st.st_ctime_ns
        out[f"{SOURCES_DIR}/{name}"] = (
            clock.smudged(st) if ctime > coarse_after and clock.racy(ctime)
            else (st.st_size, st.st_mtime_ns, ctime, st.st_ino))


def _code_stamp() -> list[Any]:
    """The code that reads, validates and folds the KB (this module and every nkb module it
    imports, directly or through another): a cache built by other code is not trusted."""
    out: list[Any] = [sys.byteorder]  # packed blobs are in the machine's byte order
    for module in code_modules():
        try:
            st = os.stat(module.__file__ or "")
            out.append([module.__name__, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([module.__name__])
    return out


@lru_cache(maxsize=1)
def code_modules() -> list[ModuleType]:
    """This module's import closure within nkb, found from what each module's namespace holds
    (modules, and the classes and functions imported from them), in name order."""
    found: dict[str, ModuleType] = {}
    todo = [sys.modules[__name__]]
    while todo:
        module = todo.pop()
        if module.__name__ in found:
            continue
        found[module.__name__] = module
        for value in vars(module).values():
            name = value.__name__ if isinstance(value, ModuleType) \
                else getattr(value, "__module__", None)
            if isinstance(name, str) and name.startswith("nkb.") and name in sys.modules:
                todo.append(sys.modules[name])
    return [found[name] for name in sorted(found)]


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
    notes: list[Issue]
    drafts: list[str]  # the draft sources' ids: every listing leaves their records out
    blobs: dict[str, tuple[int, int, int]]  # name -> (offset after the header, length, crc32)


# What the blobs hold:
#   actors: list[Actor]; source_ids: list[str] (id order); sources: list[Source] (id order,
#   each with its quotes in file order); quote_first: list[int] (flat index of each source's
#   first quote); quote_order: list[int] (flat quote indices in date order); by_speaker:
#   dict[str, list[int]] (flat indices in date order); events: list[Event] (date order);
#   event_dates: list[str]; events_by_source: dict[str, list[int]]; spans: dict[str, [start, end]]
# and, read only to patch the file after a source edit (see _patch): quote_ids, quote_dates (by
#   flat index); span_uses: dict[str, int] (how many records carry each date text).
# Word searches keep their index in `<key>.words`, built by the first word search after a change
# (under the same stamp), so an edit does not pay for indexing every text.
MAGIC = b"nkb-kb\x00\x01"


class CorruptCache(Exception):
    """A blob of the compiled cache failed its checksum or did not decode."""


BLOBS = ("actors", "source_ids", "sources", "source_index", "quote_first", "quote_order",
         "by_speaker", "events", "event_index", "event_dates", "event_bounds", "events_by_source",
         "spans", "quote_ids", "quote_dates", "span_uses", "quote_rank", "events_by_actor")
# Blobs of records back to back: each record is found through, and checked against, its index
# (packed offsets and CRC-32s), so a query reads and checks only the records it shows, never
# the whole blob (28 MB of sources at 100k quotes). Their own entry in the table has CRC 0.
RECORDS = {"sources": "source_index", "events": "event_index"}
PACKED: Literal["I"] = "I"  # unsigned 32-bit, native order (the code stamp names the byte order)


def _pack(values: list[int]) -> bytes:
    return array.array(PACKED, values).tobytes()


def _pack_records(records: list[bytes]) -> tuple[tuple[bytes, int], bytes]:
    """Records back to back (as a blob with CRC 0) and their index: n + 1 offsets, n CRC-32s."""
    offsets = [0]
    for raw in records:
        offsets.append(offsets[-1] + len(raw))
    return (b"".join(records), 0), _pack(offsets + [zlib.crc32(raw) for raw in records])


def _pack_lists(lists: list[list[int]]) -> bytes:
    """Lists of ints as one packed array: n + 1 offsets (counted after them), then the values."""
    offsets = [len(lists) + 1]
    for values in lists:
        offsets.append(offsets[-1] + len(values))
    return _pack(offsets + [v for values in lists for v in values])


class Packed:
    """A packed blob read in place: ints by position, nothing decoded ahead."""

    def __init__(self, view: Any) -> None:
        self.ints: Any = memoryview(view).cast("B").cast(PACKED)

    def list_at(self, position: int) -> list[int]:
        """The list at `position` of a blob made by _pack_lists."""
        return self.ints[self.ints[position]: self.ints[position + 1]].tolist()


class Records:
    """Records packed by _pack_records: each one's bytes, checked against its own CRC-32."""

    def __init__(self, data: Any, index: Any) -> None:
        self.data = data
        self.index = Packed(index).ints
        self.count = (len(self.index) - 1) // 2
        if len(self.index) != 2 * self.count + 1 or self.index[self.count] != len(data):
            raise CorruptCache("record index")

    def __len__(self) -> int:
        return self.count

    def raw(self, position: int) -> Any:
        raw = self.data[self.index[position]: self.index[position + 1]]
        if zlib.crc32(raw) != self.index[self.count + 1 + position]:
            raise CorruptCache("record")
        return raw


def _compile(kb: KB, stamp: bytes) -> list[Any]:
    ids = sorted(kb.sources)
    flat: dict[str, int] = {}
    first: list[int] = []
    quote_dates: list[str] = []
    uses: dict[str, int] = {}
    for source_id in ids:
        first.append(len(flat))
        source = kb.sources[source_id]
        uses[source.date] = uses.get(source.date, 0) + 1
        for quote in source.quotes:
            flat[quote.id] = len(flat)
            quote_dates.append(quote.date)
            uses[quote.date] = uses.get(quote.date, 0) + 1
    for edtf in [r.date for a in kb.actors.values() for r in a.roles] + [e.date for e in kb.events]:
        if edtf is not None:
            uses[edtf] = uses.get(edtf, 0) + 1
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
        "quote_first": first,
        "quote_order": order,
        "by_speaker": by_speaker,
        "event_dates": [e.date for e in kb.events],
        "spans": {text: (span.start, span.end) for text, span in kb.spans.items()},
        "quote_ids": list(flat),
        "quote_dates": quote_dates,
        "span_uses": uses,
    }
    blobs: dict[str, Any] = {name: _encoder.encode(v) for name, v in parts.items()}
    blobs["sources"], blobs["source_index"] = _pack_records(
        [_encoder.encode(kb.sources[i]) for i in ids])
    blobs["events"], blobs["event_index"] = _pack_records([_encoder.encode(e) for e in kb.events])
    blobs["events_by_source"] = _pack_lists([by_source.get(i, []) for i in ids])
    by_actor: dict[str, list[int]] = {}
    for i, event in enumerate(kb.events):
        for actor_id in dict.fromkeys(event.actors):
            by_actor.setdefault(actor_id, []).append(i)
    blobs["events_by_actor"] = _encoder.encode(by_actor)
    blobs["event_bounds"] = _event_bounds(kb.spans, [e.date for e in kb.events])
    blobs["quote_rank"] = _quote_rank(order)
    drafts = sum(1 for s in kb.sources.values() if s.status == "draft")
    counts = [len(ids), drafts, len(kb.quotes), len(kb.events), len(kb.actors)]
    notes = [(str(n.file), n.line, n.message, n.hint) for n in kb.notes]
    return _assemble(stamp, counts, notes, sorted(kb.draft_ids()), blobs)


def _quote_rank(order: list[int]) -> bytes:
    """Each quote's place in date order, by flat index: a source's quotes sort by it."""
    rank = [0] * len(order)
    for place, flat in enumerate(order):
        rank[flat] = place
    return _pack(rank)


def _day(iso: str) -> int:
    """A span's day as a number that sorts as the day does (2024-12-01 -> 20241201)."""
    return int(iso.replace("-", ""))


def _event_bounds(spans: Mapping[str, dates.Span], event_dates: list[str]) -> bytes:
    """For events in date order: each one's first and last day, and the latest last day of it
    and all before it, which rises, so a date filter finds where to start by bisection."""
    starts, ends, reach, latest = [], [], [], 0
    for edtf in event_dates:
        span = spans[edtf]
        starts.append(_day(span.start))
        ends.append(_day(span.end))
        latest = max(latest, ends[-1])
        reach.append(latest)
    return _pack(starts + ends + reach)


def _assemble(stamp: bytes, counts: list[int], notes: list[Issue], drafts: list[str],
              blobs: dict[str, Any]) -> list[Any]:
    """The `.kb` file as chunks to write back to back; a blob is bytes, or (bytes, crc32) when
    it is copied unchanged from the file it was checked in."""
    table, chunks, at = {}, [], 0
    for name in BLOBS:
        chunk = blobs[name]
        chunk, crc = chunk if isinstance(chunk, tuple) else (chunk, zlib.crc32(chunk))
        table[name] = (at, len(chunk), crc)
        chunks.append(chunk)
        at += len(chunk)
    header = _encoder.encode(Compiled(stamp, counts, notes, drafts, table))
    return [MAGIC, len(header).to_bytes(4, "big"), header, *chunks]


def open_regular(path: Path) -> int | None:
    """A read-only descriptor of `path` if it is a regular file, else None. Opening never
    waits: a FIFO put in place of a cache file would block a plain open until a writer came."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read_compiled(path: Path) -> tuple[Compiled, Any] | None:
    """The header of a whole `.kb` file of this format and a view of its blobs, whatever its
    stamp; None if it is missing, unreadable, not a regular file or truncated."""
    fd = open_regular(path)
    if fd is None:
        return None
    try:
        buffer: Any = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # unreadable, or empty (mmap refuses 0 bytes)
        return None
    finally:
        os.close(fd)
    return _parse_compiled(memoryview(buffer))


def _parse_compiled(view: Any) -> tuple[Compiled, Any] | None:
    start = len(MAGIC) + 4
    if bytes(view[: len(MAGIC)]) != MAGIC or len(view) < start:
        return None
    end = start + int.from_bytes(view[len(MAGIC):start], "big")
    try:
        compiled = msgspec.msgpack.decode(view[start:end], type=Compiled)
    except msgspec.MsgspecError:
        return None
    if len(compiled.counts) != 5 or set(compiled.blobs) != set(BLOBS) or \
            len(compiled.drafts) != compiled.counts[1]:
        return None
    if any(at + size > len(view) - end for at, size, _ in compiled.blobs.values()):
        return None  # truncated
    return compiled, view[end:]


def _decode_blob(compiled: Compiled, blobs: Any, name: str, kind: Any) -> Any:
    """One blob of a compiled KB, checked against its CRC-32 and decoded as `kind`."""
    at, size, crc = compiled.blobs[name]
    raw = blobs[at: at + size]
    if zlib.crc32(raw) != crc:
        raise CorruptCache(name)
    try:
        return msgspec.msgpack.decode(raw, type=kind)
    except msgspec.MsgspecError as exc:
        raise CorruptCache(name) from exc


class CompiledKB(KB):
    """A KB read from the compiled cache: each part is decoded when a query first needs it.

    If a part turns out corrupt (its checksum fails), the KB is loaded from its files instead,
    so a damaged cache can slow a run down but never change an answer."""

    def __init__(self, root: Path, compiled: Compiled, buffer: Any, search_path: Path) -> None:
        self.root = root
        self._search_path = search_path
        self._compiled = compiled
        self._buffer = buffer  # the blobs: a view of the mapped file
        self._fallback: KB | None = None
        self._search_from_files = False  # set when the compiled quote order proved unreadable
        self._words: Any = None  # the word index's connection, once opened
        self.notes = [validation.to_problem(n) for n in compiled.notes]
        self._counts = dict(zip(("sources", "drafts", "quotes", "events", "actors"),
                                compiled.counts, strict=True))

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    @cached_property
    def _drafts(self) -> frozenset[str]:
        return frozenset(self._compiled.drafts)  # from the header: no source is decoded

    def draft_ids(self) -> frozenset[str]:
        return self._drafts

    def _blob(self, name: str, kind: Any) -> Any:
        with _no_gc():
            return _decode_blob(self._compiled, self._buffer, name, kind)

    def _from_files(self) -> KB:
        if self._fallback is None:
            kb, problems = load_uncached(self.root)
            if kb is None:
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
    def actors(self) -> Mapping[str, Actor]:
        found = self._safe("actors", list[Actor])
        return self._from_files().actors if found is None else {a.id: a for a in found}

    def _records(self, name: str) -> Records:
        at, size, _ = self._compiled.blobs[name]
        index = RECORDS[name]
        i_at, i_size, i_crc = self._compiled.blobs[index]
        index_view = self._buffer[i_at: i_at + i_size]
        if zlib.crc32(index_view) != i_crc:
            raise CorruptCache(index)
        return Records(self._buffer[at: at + size], index_view)

    def _packed(self, name: str) -> Packed:
        at, size, crc = self._compiled.blobs[name]
        view = self._buffer[at: at + size]
        if zlib.crc32(view) != crc:
            raise CorruptCache(name)
        return Packed(view)

    @cached_property
    def sources(self) -> Mapping[str, Source]:
        ids = self._safe("source_ids", list[str])
        try:
            records = self._records("sources")
        except CorruptCache:
            return self._from_files().sources
        if ids is None or len(ids) != len(records):
            return self._from_files().sources
        return _LazySources(self, ids, records)

    @cached_property
    def quotes(self) -> list[Quote]:
        order = self._safe("quote_order", list[int])
        if order is None:
            return self._from_files().quotes
        flat = [q for s in self.sources.values() for q in s.quotes]
        return [flat[i] for i in order]

    @cached_property
    def events(self) -> list[Event]:
        try:
            records = self._event_records
            decoder = msgspec.msgpack.Decoder(Event)
            with _no_gc():
                return [decoder.decode(records.raw(i)) for i in range(len(records))]
        except (CorruptCache, msgspec.MsgspecError):
            return self._from_files().events

    @cached_property
    def spans(self) -> Mapping[str, dates.Span]:
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

    def _position(self, source_id: str) -> int | None:
        sources = self.sources
        if isinstance(sources, _LazySources):
            return sources.position(source_id)
        return self.sources_ids.index(source_id) if source_id in sources else None

    def quotes_by(self, speaker_id: str) -> list[Quote]:
        try:
            index = self._blob("by_speaker", dict[str, msgspec.Raw])
            flat = msgspec.msgpack.decode(index[speaker_id], type=list[int]) \
                if speaker_id in index else []
            return self._quotes_at(flat)
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().quotes_by(speaker_id)

    def quotes_of(self, source_id: str) -> list[Quote]:
        if not isinstance(self.sources, _LazySources) or source_id not in self.sources:
            if source_id not in self.sources:
                return []
            spans = self.spans
            return sorted(self.sources[source_id].quotes,
                          key=lambda q: validation.sort_key(spans, q.date, q.id))
        position = self.sources.position(source_id)
        try:  # each quote's place in date order: no date of the KB is looked up
            rank, first = self._packed("quote_rank").ints, self._quote_first[position]  # type: ignore[index]
            quotes = self.sources[source_id].quotes
            places = sorted(range(len(quotes)), key=lambda k: rank[first + k])
            return [quotes[k] for k in places]
        except (CorruptCache, IndexError):
            return self._from_files().quotes_of(source_id)

    @cached_property
    def _event_records(self) -> Records:
        return self._records("events")

    def _events_at(self, positions: list[int]) -> list[Event]:
        if "events" in self.__dict__:
            return [self.events[i] for i in positions]
        decoder = msgspec.msgpack.Decoder(Event)
        records = self._event_records
        return [decoder.decode(records.raw(i)) for i in positions]

    def events_citing(self, source_id: str) -> list[Event]:
        try:
            position = self._position(source_id)
            if position is None:
                return []
            return self._events_at(self._packed("events_by_source").list_at(position))
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().events_citing(source_id)

    def events_of(self, actor_id: str) -> list[Event]:
        try:
            index = self._blob("events_by_actor", dict[str, msgspec.Raw])
            positions = msgspec.msgpack.decode(index[actor_id], type=list[int]) \
                if actor_id in index else []
            return self._events_at(positions)
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().events_of(actor_id)

    def events_between(self, since: dates.Span | None, until: dates.Span | None) -> list[Event]:
        try:
            return self._events_at(self._events_within(since, until))
        except (CorruptCache, msgspec.MsgspecError, IndexError):
            return self._from_files().events_between(since, until)

    def _events_within(self, since: dates.Span | None, until: dates.Span | None) -> list[int]:
        """Positions of the events any day of whose date lies in [since, until], from the
        packed bounds: from the first event whose latest day so far reaches `since` on."""
        bounds = self._packed("event_bounds").ints
        count = self._counts["events"]
        if len(bounds) != 3 * count:
            raise CorruptCache("event_bounds")
        starts, ends, reach = bounds[:count], bounds[count: 2 * count], bounds[2 * count:]
        low = 0 if since is None else _day(since.start)
        high = None if until is None else _day(until.end)
        begin = bisect.bisect_left(reach, low)
        return [i for i in range(begin, count)
                if ends[i] >= low and (high is None or starts[i] <= high)]


    def word_index(self) -> Any:
        """The word index, opened once for this KB (a server answers many searches from it)."""
        if self._words is None:
            self._words = self._open_word_index()
        return self._words

    def _open_word_index(self) -> Any:
        """The word index, from `.words` when it was built under the current stamp, else built
        now (quotes pointed at by flat index, so a hit decodes only its own quote) and kept."""
        import sqlite3  # deferred, as in wordindex: only word searches need SQLite

        stamp = self._compiled.stamp
        usable = _index_usable(self._search_path)
        kept = wordindex.open_index(self._search_path) if usable else None
        if kept is not None and wordindex.stamp_of(kept) == stamp:
            return kept
        if kept is not None:
            kept.close()
        try:
            order = self._blob("quote_order", list[int])
        except CorruptCache:
            self._search_from_files = True
            return self._from_files().word_index()
        documents = list(word_documents(self, order))
        if not usable:
            return wordindex.build(None, documents)

        def build(path: Path) -> None:
            conn = wordindex.build(path, documents)
            wordindex.set_stamp(conn, stamp)
            conn.close()

        try:
            fsutil.atomic_build(self._search_path, build, overwrite=True,
                                leftovers=("-journal",))
        except (OSError, fsutil.WriteRefused, sqlite3.Error):
            # a cache folder we cannot write, or a full one (SQLite's "disk I/O error"): no copy
            return wordindex.build(None, documents)
        return wordindex.open_index(self._search_path) or wordindex.build(None, documents)

    def search_record(self, kind: str, ref: Any) -> Any:
        if self._search_from_files:
            return self._from_files().search_record(kind, ref)
        if kind == "quote":
            return self._quotes_at([ref])[0]
        if kind == "event":
            return self._events_at([ref])[0]
        return (self.actors if kind == "actor" else self.sources)[ref]


def _index_usable(path: Path) -> bool:
    """SQLite may open the word index and its journal only if each is a regular file or
    absent: it would wait forever on a FIFO, retrying the open through every signal."""
    for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                return False
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


class _LazySources(Mapping[str, Source]):
    """Sources by id, each decoded (with its quotes) when first looked up."""

    def __init__(self, kb: CompiledKB, ids: list[str], records: Records) -> None:
        self.kb = kb
        self.ids = ids
        self.records = records
        self.decoded: dict[str, Source] = {}
        self.decoder = msgspec.msgpack.Decoder(Source)

    def __getitem__(self, source_id: str) -> Source:
        found = self.decoded.get(source_id)
        if found is None:
            position = self.position(source_id)
            if position is None:
                raise KeyError(source_id)
            try:
                found = self.decoder.decode(self.records.raw(position))
            except (msgspec.MsgspecError, CorruptCache):
                found = self.kb._from_files().sources[source_id]
            self.decoded[source_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, source_id: str) -> int | None:
        """Where a source is in id order (bisection: no table of every id is built)."""
        at = bisect.bisect_left(self.ids, source_id)
        return at if at < len(self.ids) and self.ids[at] == source_id else None

    def __contains__(self, source_id: object) -> bool:
        return isinstance(source_id, str) and self.position(source_id) is not None

    def values(self) -> Any:
        if len(self.decoded) < len(self.ids):
            with _no_gc():
                for source_id in self.ids:
                    self[source_id]
        return [self.decoded[i] for i in self.ids]

    def items(self) -> Any:
        return list(zip(self.ids, self.values(), strict=True))


# --- patching after a source edit ---------------------------------------------------------------

# More changed sources than this, and a full rebuild is about as fast (each patch is linear).
PATCH_LIMIT = 32


def _patch(root: Path, base: Path, compiled: Compiled, blobs: Any, stats: dict[str, StatKey],
           stamp: bytes) -> CompiledKB | None:
    """The compiled KB brought up to date without decoding, checking and sorting every record,
    when all that changed since it was built is a few source files (same names, same actors and
    events) and the changed sources pass every check on their own and against the rest: ids
    unique, speakers known, dates valid, quotes in their texts. Otherwise None, and the caller
    rebuilds from the files, which reports any problem exactly as a load from scratch does.

    The compiled KB was valid and its source ids are its file names, so with the same names and
    the same actors and events, no check on the unchanged files can give another answer."""
    stems = _changed_sources(compiled.stamp, root, stats)
    if stems is None or len(stems) > PATCH_LIMIT:
        return None
    try:
        with _no_gc():
            patch = _Patch(compiled, blobs)
            for stem in stems:
                if not patch.replace(root / SOURCES_DIR / f"{stem}.yaml"):
                    return None
            chunks = patch.chunks(stamp)
    except (CorruptCache, msgspec.MsgspecError, ValueError):
        return None
    path = base.with_suffix(".kb")
    opened = _read_compiled(path) if _write(path, *chunks) else None
    if opened is None or opened[0].stamp != stamp:  # not written (or replaced meanwhile)
        opened = _parse_compiled(memoryview(b"".join(chunks)))
        if opened is None:
            return None
    return CompiledKB(root, opened[0], opened[1], base.with_suffix(".words"))


def _changed_sources(old_stamp: bytes, root: Path,
                     stats: dict[str, StatKey]) -> list[str] | None:
    """The source ids whose .yaml or .txt changed since `old_stamp`, if nothing else did: same
    version, code, KB, names, actors.yaml and events.yaml. A .txt with no .yaml is no source."""
    try:
        version, code, where, old = msgspec.msgpack.decode(
            old_stamp, type=tuple[int, Any, str, dict[str, StatKey]])
    except msgspec.MsgspecError:
        return None
    if (version, code, where) != (VERSION, _code_stamp(), str(root)) or old.keys() != stats.keys():
        return None
    prefix = SOURCES_DIR + "/"
    stems = set()
    for name, key in stats.items():
        if old[name] == key:
            continue
        if not name.startswith(prefix) or not name.endswith((".yaml", ".txt")):
            return None
        stem = name[len(prefix):].rsplit(".", 1)[0]
        if f"{prefix}{stem}.yaml" in stats:
            stems.add(stem)
    return sorted(stems)


class _Patch:
    """The tables of a compiled KB, decoded to replace a few sources and write the file again.
    Blobs that no source edit can change (actors, events and their tables, source ids) are
    copied as they are, with the checksums they were checked against."""

    def __init__(self, compiled: Compiled, blobs: Any) -> None:
        self.compiled, self.view = compiled, blobs
        self.counts, self.notes = list(compiled.counts), list(compiled.notes)
        self.drafts = set(compiled.drafts)
        self.position = {sid: i for i, sid in enumerate(self._get("source_ids", list[str]))}
        at, size, _ = compiled.blobs["sources"]
        i_at, i_size, i_crc = compiled.blobs["source_index"]
        if zlib.crc32(blobs[i_at: i_at + i_size]) != i_crc:
            raise CorruptCache("source_index")
        records = Records(blobs[at: at + size], blobs[i_at: i_at + i_size])
        self.raws: list[Any] = [records.raw(i) for i in range(len(records))]
        self.first = self._get("quote_first", list[int])
        self.quote_ids = self._get("quote_ids", list[str])
        self.quote_dates = self._get("quote_dates", list[str])
        self.order = self._get("quote_order", list[int])
        self.by_speaker = self._get("by_speaker", dict[str, list[int]])
        self.span_pairs = self._get("spans", dict[str, tuple[str, str]])
        self.uses = self._get("span_uses", dict[str, int])
        self.actor_ids = {a.id for a in self._get("actors", list[Actor])}
        self.spans = {text: dates.Span(*pair) for text, pair in self.span_pairs.items()}
        self.known = set(self.quote_ids)
        if len(self.raws) != len(self.position) or len(self.first) != len(self.raws) or \
                len(self.known) != len(self.quote_ids) or len(self.quote_dates) != len(self.known):
            raise ValueError("compiled tables disagree")

    def _get(self, name: str, kind: Any) -> Any:
        return _decode_blob(self.compiled, self.view, name, kind)

    def replace(self, file: Path) -> bool:
        """Put the source read from `file` in place of the one compiled from it; False (and the
        tables are left half-patched, to be dropped) if anything needs the full checks."""
        position = self.position.get(file.stem)
        if position is None:
            return False
        facts = validation.source_facts(file, self.spans)
        source = facts.source
        if (source is None or source.id != file.stem or facts.problems or facts.stem
                or facts.text_problem or facts.date_problem or any(facts.quote_dates)
                or any(facts.quote_texts)):
            return False
        old = msgspec.msgpack.decode(self.raws[position], type=Source)
        start, new_ids = self.first[position], [q.id for q in source.quotes]
        end = start + len(old.quotes)
        self.known.difference_update(self.quote_ids[start:end])
        if len(set(new_ids)) != len(new_ids) or not self.known.isdisjoint(new_ids):
            return False  # a duplicate quote id: the full checks say where
        proposed = {a.id for a in source.new_actors} if source.status == "draft" else set()
        if any(q.speaker not in self.actor_ids and q.speaker not in proposed
               for q in source.quotes):
            return False
        vocabulary, _ = validation.read_topics(file.parent.parent)  # a topic it lacks: full checks
        if vocabulary and any(t not in vocabulary for q in source.quotes for t in q.topics):
            return False
        self.known.update(new_ids)
        if not self._count_dates(old, -1) or not self._count_dates(source, 1, facts.spans):
            return False
        self.raws[position] = _encoder.encode(source)
        if source.status == "draft":
            self.drafts.add(source.id)
        else:
            self.drafts.discard(source.id)
        self.counts[1] = len(self.drafts)
        self.counts[2] += len(new_ids) - len(old.quotes)
        self._renumber(position, start, old, source)
        here = str(file)
        self.notes = [n for n in self.notes if n[0] != here]
        at = bisect.bisect_left(self.notes, here, key=lambda n: n[0])
        self.notes[at:at] = facts.notes
        return True

    def _count_dates(self, source: Source, step: int,
                     pairs: dict[str, SpanPair] | None = None) -> bool:
        for edtf in [source.date, *(q.date for q in source.quotes)]:
            left = self.uses.get(edtf, 0) + step
            if left < 0 or (step > 0 and edtf not in self.span_pairs and
                            (pairs is None or edtf not in pairs)):
                return False
            if left:
                self.uses[edtf] = left
                if edtf not in self.span_pairs:
                    self.span_pairs[edtf] = pairs[edtf]  # type: ignore[index]
            else:
                del self.uses[edtf]
                self.span_pairs.pop(edtf, None)
        return True

    def _renumber(self, position: int, start: int, old: Source, source: Source) -> None:
        """Flat quote indices: drop the old quotes, shift those after them, place the new ones
        in date order. A full load sorts the quotes in flat order with a stable sort, so ties
        (004-2 and 004-02 on one date) keep flat order: the flat index ends the key."""
        end = start + len(old.quotes)
        delta = len(source.quotes) - len(old.quotes)
        self.quote_ids[start:end] = [q.id for q in source.quotes]
        self.quote_dates[start:end] = [q.date for q in source.quotes]
        for i in range(position + 1, len(self.first)):
            self.first[i] += delta

        def shift(flat: list[int]) -> list[int]:
            return [i if i < start else i + delta for i in flat if not start <= i < end]

        self.order = shift(self.order)
        touched = set(self.by_speaker) if delta else {q.speaker for q in old.quotes}
        for speaker in touched & self.by_speaker.keys():
            kept = shift(self.by_speaker[speaker])
            if kept:
                self.by_speaker[speaker] = kept
            else:
                del self.by_speaker[speaker]
        spans, ids, when = self.spans, self.quote_ids, self.quote_dates  # spans: every date parsed

        def key(flat: int) -> tuple[str, str, str, int]:
            return (*validation.sort_key(spans, when[flat], ids[flat]), flat)

        for k, quote in enumerate(source.quotes):
            bisect.insort(self.order, start + k, key=key)
            bisect.insort(self.by_speaker.setdefault(quote.speaker, []), start + k, key=key)

    def chunks(self, stamp: bytes) -> list[Any]:
        blobs: dict[str, Any] = {}
        for name in ("actors", "source_ids", "events", "event_index", "event_dates",
                     "event_bounds", "events_by_source", "events_by_actor"):
            at, size, crc = self.compiled.blobs[name]
            blobs[name] = (self.view[at: at + size], crc)
        blobs["sources"], blobs["source_index"] = _pack_records(self.raws)
        blobs["quote_rank"] = _quote_rank(self.order)
        for name, value in (("quote_first", self.first),
                            ("quote_order", self.order), ("by_speaker", self.by_speaker),
                            ("spans", self.span_pairs), ("quote_ids", self.quote_ids),
                            ("quote_dates", self.quote_dates), ("span_uses", self.uses)):
            blobs[name] = _encoder.encode(value)
        return _assemble(stamp, self.counts, self.notes, sorted(self.drafts), blobs)


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
    fd = open_regular(path)
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
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
             stamp: bytes) -> tuple[KB | None, list[Problem]]:
    files_stamp = _encoder.encode([VERSION, _code_stamp(), str(root)])
    old = _read_files(base.with_suffix(".files"), files_stamp)
    spans: dict[str, dates.Span] = {}
    with _no_gc():
        actors_key = stats[ACTORS_FILE]
        actor_facts = _reuse(old.actors if old else None, (actors_key,), validation.ActorFacts)
        if actor_facts is None:
            actor_facts = validation.actor_facts(root, spans)
        events_key = stats[EVENTS_FILE]
        event_facts = _reuse(old.events if old else None, (events_key,), validation.EventFacts)
        if event_facts is None:
            event_facts = validation.event_facts(root, spans)
        sources = []
        for file in validation.list_source_files(root):
            name = f"{SOURCES_DIR}/{file.name}"
            key = (stats.get(name, _NO_FILE), stats.get(name[:-5] + ".txt", _NO_FILE))
            entry = old.sources.get(file.name) if old else None
            facts = _reuse(entry, key, validation.SourceFacts)
            if facts is None:
                facts = validation.source_facts(file, spans)
                raw = msgspec.Raw(_encoder.encode(facts))
            else:
                raw = entry[-1]  # type: ignore[index]  # unchanged: its bytes are kept as they are
            sources.append((file, key, facts, raw))
        merged = validation.merge(root, actor_facts, event_facts,
                                  [(file, facts) for file, _, facts, _ in sources])
        problems, kb = merged.problems, MemoryKB.of(root, merged)
        new = FileCache(
            files_stamp, (actors_key, msgspec.Raw(_encoder.encode(actor_facts))),
            (events_key, msgspec.Raw(_encoder.encode(event_facts))),
            {file.name: (*key, raw) for file, key, _, raw in sources})  # type: ignore[misc]
        payload = _encoder.encode(new)
        _write(base.with_suffix(".files"),
               FILES_MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload)
        written = not problems and _write(base.with_suffix(".kb"), *_compile(kb, stamp))
        del old, new, payload, sources
        if written:
            # Answer from the file just written, as the next run will: a word search then keeps
            # its index beside it (`.words`) instead of building it again in the next run.
            opened = _read_compiled(base.with_suffix(".kb"))
            if opened is not None and opened[0].stamp == stamp:
                return CompiledKB(root, opened[0], opened[1], base.with_suffix(".words")), []
        # The KB just built stays alive to the end of the run, and none of it forms cycles: kept
        # out of the cyclic GC's sight, the next full collection need not walk all its records.
        gc.freeze()
    return (None if problems else kb), problems


def _write(path: Path, *chunks: Any) -> bool:
    """Write the chunks atomically (fsutil.atomic_write); a cache that cannot be written is
    simply not written (False)."""
    try:
        fsutil.atomic_write(path, lambda handle: handle.writelines(chunks), overwrite=True,
                            make_parents=True)
    except OSError:
        return False
    return True
