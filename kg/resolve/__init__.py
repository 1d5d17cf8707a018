"""Event resolution: article-level attack and communication events -> canonical real-world events.

Stages, each a pure function:
    reports.event_reports(extraction)   one EventReport per article-level event (picklable)
    stored.reports_from_store(store)    the same reports read back from a store with SPARQL
    cluster.resolve(reports)            -> list[CanonicalEvent], independent of input order
    quads.resolution_quads(events)      -> quads, one named graph per canonical day (resolution_graphs:
                                           the same as N-Quads text, a day at a time)
    incremental.refresh(store, days)    re-resolve only the days an added or removed article touches
    spill.report_spill(out)             `kg build`: reports kept on disk by day, resolved a block of days
                                           at a time (memory flat in corpus size, same graphs)
"""
from __future__ import annotations

from .cluster import resolve
from .model import CanonicalEvent, EventReport, Figure, Link
from .quads import resolution_quads
from .reports import event_reports

__all__ = ["CanonicalEvent", "EventReport", "Figure", "Link", "event_reports", "resolution_quads", "resolve"]
