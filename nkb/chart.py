"""Charts of the KB as PNG or SVG (matplotlib, the `charts` extra, imported only to draw):
quotes per month by speaker, events per year.

A record is counted in one bucket (a month, a year) only when every day its date may mean lies
in that bucket; an uncertain (?) or approximate (~) date that does is counted apart and drawn
hatched. A date longer than a bucket (a year for months, an interval, an open end) is never put
in its first bucket: it is drawn as a hatched bar across every bucket it may fall in, in a
panel of its own. `chart_data` is what the picture shows, as data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkb import dates
from nkb.errors import NkbError
from nkb.fsutil import WriteRefused, atomic_write
from nkb.index import KB
from nkb.search import EventFilter, QuoteFilter, find_events, find_quotes
from nkb.text import visible

CHARTS = ("quotes-by-month", "events-by-year")
FORMATS = (".png", ".svg")
MARK = "nkb chart"  # in every file's metadata: how --force knows a chart nkb wrote
TOP_SPEAKERS = 8  # speakers with a colour of their own; the rest are "others"
INSTALL = 'pip install "nkb[charts]"'


class ChartUnavailable(NkbError):
    """matplotlib is not installed."""


@dataclass(frozen=True, slots=True)
class Spread:
    """Records whose date is longer than one bucket: drawn across every day it may mean."""

    date: str  # the EDTF date as the KB has it
    start: str  # the first and last day it may mean ("" for an open end)
    end: str
    count: int


@dataclass(frozen=True, slots=True)
class ChartData:
    """What a chart shows: per bucket (`2023-02` or `2023`), the records certainly in it by
    series (speaker, or "events"), those whose uncertain or approximate date lies in it, and the
    records dated more loosely than a bucket."""

    chart: str
    unit: str  # month or year
    certain: dict[str, dict[str, int]] = field(default_factory=dict)
    doubtful: dict[str, dict[str, int]] = field(default_factory=dict)
    spread: tuple[Spread, ...] = ()

    def total(self) -> int:
        """Every record the chart counts, once."""
        return (sum(sum(c.values()) for c in self.certain.values())
                + sum(sum(c.values()) for c in self.doubtful.values())
                + sum(s.count for s in self.spread))


def chart_data(kb: KB, chart: str, drafts: bool = False) -> ChartData:
    """The data of `quotes-by-month` (by speaker) or `events-by-year`."""
    if chart == "quotes-by-month":
        quotes = find_quotes(kb, QuoteFilter(drafts=drafts))
        return _bucketed(kb, chart, "month", [(q.date, kb.speaker_name(q)) for q in quotes])
    events = find_events(kb, EventFilter(drafts=drafts))
    return _bucketed(kb, chart, "year", [(e.date, "events") for e in events])


def bucket_of(span: dates.Span, unit: str) -> str | None:
    """The one month (`2023-02`) or year (`2023`) every day of the span lies in, or None."""
    width = 7 if unit == "month" else 4
    if span.start == dates.EARLIEST or span.end == dates.LATEST:
        return None
    return span.start[:width] if span.start[:width] == span.end[:width] else None


def _bucketed(kb: KB, chart: str, unit: str, records: list[tuple[str, str]]) -> ChartData:
    certain: dict[str, Counter[str]] = {}
    doubtful: dict[str, Counter[str]] = {}
    spread: Counter[str] = Counter()
    for edtf, series in records:
        span = kb.span(edtf) or dates.parse_edtf(edtf)
        bucket = bucket_of(span, unit)
        if bucket is None:
            spread[edtf] += 1
            continue
        sure = not any(mark in edtf for mark in "?~%")
        (certain if sure else doubtful).setdefault(bucket, Counter())[series] += 1
    spreads = []
    for edtf, count in spread.items():
        span = kb.span(edtf) or dates.parse_edtf(edtf)
        spreads.append(Spread(edtf, "" if span.start == dates.EARLIEST else span.start,
                              "" if span.end == dates.LATEST else span.end, count))
    spreads.sort(key=lambda s: (s.start or s.end, s.end or s.start, s.date))
    return ChartData(chart, unit,
                     {b: dict(sorted(c.items())) for b, c in sorted(certain.items())},
                     {b: dict(sorted(c.items())) for b, c in sorted(doubtful.items())},
                     tuple(spreads))


# --- drawing ------------------------------------------------------------------------------------


def write_chart(data: ChartData, target: Path, force: bool = False) -> None:
    """Draw the chart into `target` (.png or .svg), atomically; an existing file is replaced
    only with `force`, and only if it is a chart nkb wrote."""
    if target.suffix.lower() not in FORMATS:
        raise WriteRefused(f"cannot tell the format of {target}: name the file .png or .svg")
    if target.exists() or target.is_symlink():
        if not force:
            raise WriteRefused(f"{target} already exists; nkb never overwrites it (add --force "
                               "to replace a chart nkb wrote, or choose another path)")
        if not _is_nkb_chart(target):
            raise WriteRefused(f"{target} is not a chart nkb wrote; nkb replaces only its own "
                               "charts, even with --force (choose another path)")
    pyplot = _pyplot()
    figure = draw(pyplot, data)
    fmt = target.suffix.lower()[1:]
    metadata: dict[str, Any] = ({"Software": MARK} if fmt == "png"
                                else {"Creator": MARK, "Date": None})

    def save(handle: Any) -> None:
        figure.savefig(handle, format=fmt, metadata=metadata, dpi=110)

    try:
        atomic_write(target, save, overwrite=force)
    except OSError as exc:
        raise WriteRefused(f"cannot write {target}: {exc.strerror or exc}; choose a folder you "
                           "can write to") from None
    finally:
        pyplot.close(figure)


def _is_nkb_chart(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, "rb") as handle:
        return MARK.encode() in handle.read(1 << 16)


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartUnavailable("`nkb chart` needs matplotlib, which is not installed; install it "
                               f"with {INSTALL} (in a checkout: pip install -e \".[charts]\")"
                               ) from None
    matplotlib.use("Agg")  # files only, never a window
    matplotlib.rcParams["svg.hashsalt"] = MARK  # the same KB gives the same SVG
    import matplotlib.pyplot as pyplot

    return pyplot


def draw(pyplot: Any, data: ChartData) -> Any:
    """The figure: stacked bars per bucket above (hatched where the date is uncertain or
    approximate), and below, each looser date as a hatched bar over every day it may mean."""
    import datetime as dt

    from matplotlib.patches import Patch

    buckets = sorted(set(data.certain) | set(data.doubtful))
    figure, (top, bottom) = pyplot.subplots(
        2, 1, figsize=(11, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    totals: Counter[str] = Counter()
    for counts in (*data.certain.values(), *data.doubtful.values()):
        totals.update(counts)
    named = [s for s, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:TOP_SPEAKERS]
    colours = pyplot.get_cmap("tab10")
    width = 25 if data.unit == "month" else 300

    def left(bucket: str) -> dt.date:
        return dt.date.fromisoformat(bucket + ("-01" if data.unit == "month" else "-01-01"))

    base = dict.fromkeys(buckets, 0)
    series = [*named, "others"] if len(totals) > len(named) else named
    for index, name in enumerate(series):
        for part, hatch in ((data.certain, None), (data.doubtful, "///")):
            heights = [_series_count(part.get(b, {}), name, named) for b in buckets]
            if not any(heights):
                continue
            top.bar([left(b) for b in buckets], heights, width=width, align="edge",
                    bottom=[base[b] for b in buckets], color=colours(index % 10),
                    hatch=hatch, edgecolor="white" if hatch else None, linewidth=0)
            for b, h in zip(buckets, heights, strict=True):
                base[b] += h
    what = "quotes" if data.chart == "quotes-by-month" else "events"
    top.set_ylabel(f"{what} per {data.unit}")
    top.set_title(f"{what.capitalize()} per {data.unit}: only records whose whole date lies in "
                  f"one {data.unit}; hatched: uncertain (?) or approximate (~)")
    handles = [Patch(color=colours(i % 10), label=visible(n)) for i, n in enumerate(series)]
    handles.append(Patch(facecolor="white", edgecolor="grey", hatch="///",
                         label="uncertain or approximate"))
    top.legend(handles=handles, fontsize=8, loc="upper left")
    known = [left(b) for b in buckets] + [dt.date.fromisoformat(d) for s in data.spread
                                          for d in (s.start, s.end) if d]
    for row, spread in enumerate(data.spread):
        # an open end has no bound: its bar runs to the edge of what the chart shows
        first = dt.date.fromisoformat(spread.start) if spread.start else min(known)
        last = (dt.date.fromisoformat(spread.end) if spread.end else max(known)) \
            + dt.timedelta(days=1)
        bottom.barh(row, (last - first).days, left=first, height=0.6, hatch="///",
                    color="white", edgecolor="dimgrey")
        open_end = " (open start)" if not spread.start else " (open end)" if not spread.end else ""
        bottom.text(first, row, f" {visible(spread.date)}{open_end}: {spread.count}",
                    va="center", fontsize=7)
    bottom.set_yticks([])
    bottom.set_title(f"{what.capitalize()} dated more loosely than one {data.unit}, drawn over "
                     "every day they may mean (count after the date)", fontsize=9)
    if not data.spread:
        bottom.text(0.5, 0.5, "none", transform=bottom.transAxes, ha="center", va="center")
    figure.tight_layout()
    return figure


def _series_count(counts: dict[str, int], name: str, named: list[str]) -> int:
    if name == "others":
        return sum(c for s, c in counts.items() if s not in named)
    return counts.get(name, 0)
