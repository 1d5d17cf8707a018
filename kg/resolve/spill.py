"""Event resolution for `kg build` in memory that does not grow with the corpus: each article's reports go
to a scratch file as they come, indexed by anchor day, and are resolved a block of days at a time.

Why a window is enough: a canonical event of day k depends only on the reports anchored within WINDOW days
of k (see cluster.py; `kg add` relies on the same property, and tests check it on random reports), so the
events of a block of days [first, last] are those of resolving the reports anchored in
[first - 2 x WINDOW, last + 2 x WINDOW], kept when their day is in the block. Every event's day is the
anchor day of one of its reports, so blocks that partition the anchor days give each event exactly once,
and the graphs come out in the same order, with the same statements, as resolving everything at once.

What is held at a time: the reports of one block plus its margins (BLOCK_REPORTS reports, or one whole day
when a day alone has more; undated reports all form one graph, so they are resolved together).

The scratch file is an SQLite database (standard library: an on-disk B-tree sorted by day, with a bounded
page cache) holding pickled reports; it is our own file, written and read by this process only.
"""
from __future__ import annotations

import pickle
import sqlite3
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import scratch_file
from .cluster import WINDOW, resolve
from .model import EventReport, compact
from .quads import resolution_graphs

BLOCK_REPORTS = 4000  # reports resolved together (besides the margins): ~5 KB each while resolving
UNDATED = "undated"  # the anchor "day" of a report with neither an event date nor a publication date


class ReportSpill:
    """Event reports kept on disk by anchor day; `graphs` resolves them a block of days at a time."""

    def __init__(self, db: sqlite3.Connection, block: int | None = None) -> None:
        self.db, self.block = db, block or BLOCK_REPORTS
        db.execute("CREATE TABLE IF NOT EXISTS report (day TEXT NOT NULL, data BLOB NOT NULL)")
        self.indexed = False

    def add(self, reports: Iterable[EventReport]) -> None:
        """Keep these reports (one article's, say) for resolution."""
        rows = [(r.anchor.isoformat() if r.anchor else UNDATED, pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL))
                for r in reports]
        if rows:
            self.db.executemany("INSERT INTO report VALUES (?, ?)", rows)

    def _load(self, first: str, last: str) -> list[EventReport]:
        rows = self.db.execute("SELECT data FROM report WHERE day BETWEEN ? AND ?", (first, last))
        return [compact(pickle.loads(data)) for (data,) in rows]

    def blocks(self) -> list[tuple[str, str]]:
        """(first day, last day) of each block: consecutive anchor days holding about `block` reports,
        then the undated ones on their own."""
        if not self.indexed:  # built once all rows are in: faster than keeping it sorted row by row
            self.db.execute("CREATE INDEX IF NOT EXISTS report_day ON report (day)")
            self.indexed = True
        out: list[tuple[str, str]] = []
        first, size = "", 0
        previous = ""
        for day, count in self.db.execute("SELECT day, COUNT(*) FROM report GROUP BY day ORDER BY day"):
            if day == UNDATED:
                continue
            if first and size + count > self.block:
                out.append((first, previous))
                first, size = "", 0
            first = first or day
            size += count
            previous = day
        if first:
            out.append((first, previous))
        if self.db.execute("SELECT 1 FROM report WHERE day = ? LIMIT 1", (UNDATED,)).fetchone():
            out.append((UNDATED, UNDATED))
        return out

    def graphs(self) -> Iterator[tuple[str, str]]:
        """The canonical events of every report kept, as (graph IRI, N-Quads lines) a day at a time: the same
        graphs, in the same order, as `resolution_graphs(resolve(all the reports))`."""
        for first, last in self.blocks():
            if first == UNDATED:
                reports = self._load(UNDATED, UNDATED)
            else:
                reports = self._load(_shift(first, -2 * WINDOW), _shift(last, 2 * WINDOW))
            events = [e for e in resolve(reports) if first <= e.day <= last]
            del reports
            yield from resolution_graphs(events)


def _shift(day: str, days: int) -> str:
    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
    except OverflowError:  # a margin past year 1 or 9999: every day on that side
        return (date.min if days < 0 else date.max).isoformat()


@contextmanager
def report_spill(beside: str | Path, block: int | None = None) -> Iterator[ReportSpill]:
    """A ReportSpill in a scratch file beside `beside` (named as its temporary files are, so a killed run's
    is removed by the next write of it); the file is removed when the block ends, whatever happens."""
    with scratch_file(beside) as (_, name):
        db = sqlite3.connect(str(name), isolation_level=None)
        try:
            # a scratch file: no journal and no syncing (a crash loses nothing we keep), temporary sorting
            # structures on disk rather than in memory
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA temp_store = FILE")
            db.execute("PRAGMA cache_size = -8000")  # KiB of page cache: bounded, whatever the corpus
            db.execute("BEGIN")
            yield ReportSpill(db, block)
        finally:
            db.close()
