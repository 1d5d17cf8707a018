"""Canonical events as RDF, one named graph per day, so that a store can replace the days that changed.

Vocabulary (declared in ontology/ckg.ttl): ckg:CanonicalAttack / ckg:CanonicalCommunication (sem:Event);
ckg:report to each article event that tells it; sem:hasSubEvent from a nationwide barrage to its city
attacks; ckg:resolution to a ckg:ResolutionLink per report naming the ckg:signal concepts that tied it;
ckg:claim to every figure of the reports, ckg:latestFigure to the figures chosen, and ckg:supersededBy
between a claimant's earlier and later figure (the older claim is kept).
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

import pyoxigraph as ox

from ..rdf import CKG, RDF, RDFS, SEM, SKOS, WGS84, XSD, article_iri
from .model import CanonicalEvent

EVENTS_GRAPH = "https://w3id.org/conflict-kg/graph/events/"
CLASS = {"attack": "CanonicalAttack", "communication": "CanonicalCommunication"}
ACTOR_ROLE = {"attack": "attacker", "communication": "participant"}


def day_graph(day: str) -> str:
    """The named graph holding the canonical events of one day ("2024-07-08" or "undated")."""
    return EVENTS_GRAPH + day


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def event_label(ev: CanonicalEvent) -> str:
    """A readable name: "attack on Kyiv, 2024-07-08"."""
    labels = dict(ev.labels)
    when = f", {ev.date.isoformat()}" if ev.date else ""
    if ev.type == "attack":
        return f"attack on {labels.get(ev.place, 'an unnamed place')}{when}"
    return "communication of " + ", ".join(labels.get(a, a) for a in ev.actors) + when


def resolution_quads(events: Iterable[CanonicalEvent]) -> list[ox.Quad]:
    """All quads of the canonical events, each in the graph of its day."""
    quads: list[ox.Quad] = []
    nodes: dict[str, ox.NamedNode] = {}  # predicates and shared objects recur on every event: make each once

    def node(iri: str) -> ox.NamedNode:
        found = nodes.get(iri)
        if found is None:
            found = nodes[iri] = ox.NamedNode(iri)
        return found

    for ev in sorted(events, key=lambda e: e.iri):
        g = node(day_graph(ev.day))
        s = ox.NamedNode(ev.iri)

        def add(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
            quads.append(ox.Quad(subject, node(predicate), obj, g))

        add(s, RDF + "type", node(CKG + CLASS[ev.type]))
        add(s, RDF + "type", node(SEM + "Event"))
        add(s, RDFS + "label", ox.Literal(event_label(ev)))
        if ev.date:
            add(s, CKG + "date", ox.Literal(ev.date.isoformat(), datatype=ox.NamedNode(XSD + "date")))
        add(s, CKG + "datePrecision", ox.Literal(ev.precision))
        if ev.place:
            add(s, CKG + "place", node(ev.place))
            add(s, CKG + "placeLevel", ox.Literal(ev.level))
        if ev.country:
            add(s, CKG + "country", node(ev.country))
        if ev.admin1:
            add(s, CKG + "admin1", ox.Literal(ev.admin1))
        if ev.lat is not None and ev.lon is not None:
            add(s, WGS84 + "lat", ox.Literal(str(ev.lat), datatype=ox.NamedNode(XSD + "decimal")))
            add(s, WGS84 + "long", ox.Literal(str(ev.lon), datatype=ox.NamedNode(XSD + "decimal")))
        for a in ev.actors:
            add(s, CKG + ACTOR_ROLE[ev.type], node(a))
        for w in ev.weapons:
            add(s, CKG + "weapon", node(w))
        for part in ev.parts:
            add(s, SEM + "hasSubEvent", ox.NamedNode(part))
        add(s, CKG + "reportCount", _int(len({link.article for link in ev.links})))
        for link in ev.links:
            add(s, CKG + "report", ox.NamedNode(link.event))
            link_node = ox.NamedNode(f"{ev.iri}#r-{hashlib.sha1(link.event.encode('utf-8')).hexdigest()[:12]}")
            add(s, CKG + "resolution", link_node)
            add(link_node, RDF + "type", node(CKG + "ResolutionLink"))
            add(link_node, CKG + "linkedReport", ox.NamedNode(link.event))
            add(link_node, CKG + "reportArticle", node(article_iri(link.article)))
            for signal in link.signals:
                add(link_node, CKG + "signal", node(CKG + signal))
        for q in ev.claims:
            add(s, CKG + "claim", ox.NamedNode(q))
        for kind, value, parts in ev.figures:
            add(s, CKG + kind, _int(value))
            for q in parts:
                add(s, CKG + "latestFigure", ox.NamedNode(q))
        for c in ev.claimants:
            add(s, CKG + "claimant", node(c))
        for old, new in ev.superseded:
            add(ox.NamedNode(old), CKG + "supersededBy", ox.NamedNode(new))
        # names of what the event points to, in its own graph, so questions read them without a cross-graph join
        for iri, label in ev.labels:
            if label:
                add(ox.NamedNode(iri), SKOS + "prefLabel", ox.Literal(label, language="en"))
    return quads


def resolution_graphs(events: Iterable[CanonicalEvent]) -> Iterator[tuple[str, str]]:
    """The canonical events as (graph IRI, N-Quads lines) pairs, a day at a time, each statement once per
    graph: memory stays that of the events, not of all their statements."""
    by_day: dict[str, list[CanonicalEvent]] = {}
    for ev in events:
        by_day.setdefault(day_graph(ev.day), []).append(ev)
    for graph in sorted(by_day):
        quads = dict.fromkeys(resolution_quads(by_day[graph]))
        yield graph, ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS).decode("utf-8")
