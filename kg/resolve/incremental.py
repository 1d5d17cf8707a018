"""Keep a store's canonical events up to date after articles are added or removed, without a full rebuild.

A canonical event of day k depends only on reports anchored within WINDOW days of k (see cluster.py),
so when articles anchored on days A change, the events of the days within WINDOW of A are recomputed
from the reports anchored within 2 x WINDOW of A, and those day graphs are replaced. The result equals
resolving the whole store at once. Days to redo are first written to a pending graph in the same
transaction as the article itself, so a run killed in between is caught up by the next `kg add`/`kg remove`.
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from ..rdf import CKG
from .cluster import WINDOW, resolve
from .quads import day_graph, resolution_quads
from .stored import reports_from_store, widen

PENDING_GRAPH = "https://w3id.org/conflict-kg/graph/pending-resolution"


def report_days(store: ox.Store, articles: Iterable[str]) -> set[str]:
    """Anchor days of the stored reports of these articles."""
    return {r.anchor.isoformat() if r.anchor else "undated" for r in reports_from_store(store, articles=articles)}


def pending_update(days: Iterable[str]) -> str:
    """SPARQL that records days to re-resolve (append it to an article's own update: one transaction)."""
    triples = " ".join(f'<{PENDING_GRAPH}> <{CKG}pendingDay> "{d}" .' for d in sorted(set(days)))
    return f"INSERT DATA {{ GRAPH <{PENDING_GRAPH}> {{ {triples} }} }}" if triples else ""


def pending_nquads(days: Iterable[str]) -> str:
    """The same records as N-Quads lines (to load with an article's statements: one transaction)."""
    return "".join(f'<{PENDING_GRAPH}> <{CKG}pendingDay> "{d}" <{PENDING_GRAPH}> .\n' for d in sorted(set(days)))


def pending_days(store: ox.Store) -> set[str]:
    """Days recorded as pending (left by this run or by a killed one)."""
    return {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(CKG + "pendingDay"), None,
                                                            ox.NamedNode(PENDING_GRAPH))}


def refresh(store: ox.Store, changed: Iterable[str] | None = None) -> int:
    """Re-resolve the days around `changed` anchor days plus every pending day; one transaction.
    Returns how many canonical events were written."""
    anchors = set(changed or ()) | pending_days(store)
    if not anchors:
        return 0
    redo = widen(anchors, WINDOW)
    reports = reports_from_store(store, days=widen(anchors, 2 * WINDOW))
    events = [e for e in resolve(reports) if e.day in redo]
    quads = resolution_quads(events)
    triples: dict[str, list[ox.Triple]] = {}
    for q in quads:
        triples.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    parts = [f"DROP SILENT GRAPH <{day_graph(d)}>" for d in sorted(redo)]
    parts.append(f"DROP SILENT GRAPH <{PENDING_GRAPH}>")
    for graph, body in sorted(triples.items()):
        text = ox.serialize(body, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{text}}} }}")
    store.update(" ;\n".join(parts))
    return len(events)
