"""Event reports read back from a store (or any loaded dataset): the same reports that `event_reports`
makes from an Extraction, so that `kg add` can re-resolve without re-extracting.

Read with index lookups (`quads_for_pattern`) inside each event's own graph rather than SPARQL joins: a
day's events are found through their ckg:date (or their article's publication date), so the cost grows
with the events of those days, not with the size of the store."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

import pyoxigraph as ox

from ..rdf import CKG, DCT, OA, RDF, SCHEMA, SEM, SKOS, WGS84, XSD
from .model import LEVELS, EventReport, Figure
from .places import PlaceIndex, default_place_index, place_facts
from .reports import FIGURE_KINDS, country_label, weapon_family

ATTACK, COMMUNICATION = CKG + "Attack", CKG + "Communication"
_TYPES = {ATTACK: "attack", COMMUNICATION: "communication"}


class _Graph:
    """Index lookups in one named graph of the store (no SPARQL planning: each call is one index scan)."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode):
        self.store, self.graph = store, graph

    def objects(self, subject: ox.NamedNode, predicate: str) -> list[ox.NamedNode | ox.Literal]:
        return [q.object for q in self.store.quads_for_pattern(subject, _node(predicate), None, self.graph)]

    def one(self, subject: ox.NamedNode, predicate: str) -> ox.NamedNode | ox.Literal | None:
        found = self.objects(subject, predicate)
        return min(found, key=lambda t: t.value) if found else None

    def subjects(self, predicate: str, obj: ox.NamedNode) -> list[ox.NamedNode]:
        return [q.subject for q in self.store.quads_for_pattern(None, _node(predicate), obj, self.graph)]


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _chosen_events(store: ox.Store, days: Iterable[str] | None,
                   articles: Iterable[str] | None) -> dict[tuple[str, str], None]:
    """(graph IRI, event IRI) of the attacks and communications to read: by article graph, by event date,
    or by publication date for undated events; every one when neither is given."""
    from ..rdf import article_iri

    found: dict[tuple[str, str], None] = {}

    def typed(graph: ox.NamedNode | None, event: ox.NamedNode | None) -> list[ox.Quad]:
        out = []
        for cls in (ATTACK, COMMUNICATION):
            out += list(store.quads_for_pattern(event, _node(RDF + "type"), _node(cls), graph))
        return out

    graphs = None if articles is None else [_node(article_iri(a)) for a in sorted(set(articles))]
    if days is None:
        for g in graphs or [None]:
            for q in typed(g, None):
                found[(q.graph_name.value, q.subject.value)] = None
        return found
    wanted = set(days)
    allowed = None if graphs is None else {g.value for g in graphs}
    for day in sorted(d for d in wanted if d != "undated"):
        literal = ox.Literal(day, datatype=_node(XSD + "date"))
        for q in store.quads_for_pattern(None, _node(CKG + "date"), literal, None):
            if typed(q.graph_name, q.subject):
                found[(q.graph_name.value, q.subject.value)] = None
        for art in store.quads_for_pattern(None, _node(SCHEMA + "datePublished"), literal, None):
            g = _Graph(store, art.graph_name)
            for event in g.subjects(CKG + "article", art.subject):
                if not g.objects(event, CKG + "date") and typed(art.graph_name, event):
                    found[(art.graph_name.value, event.value)] = None
    if "undated" in wanted:
        for q in typed(None, None):
            g = _Graph(store, q.graph_name)
            art = g.one(q.subject, CKG + "article")
            if not g.objects(q.subject, CKG + "date") and (art is None or not g.objects(art, SCHEMA + "datePublished")):
                found[(q.graph_name.value, q.subject.value)] = None
    if allowed is not None:
        found = {k: None for k in found if k[0] in allowed}
    return found


def reports_from_store(store: ox.Store, days: Iterable[str] | None = None, articles: Iterable[str] | None = None,
                       index: PlaceIndex | None = None) -> list[EventReport]:
    """Reports of the stored events whose anchor day (event date, else publication date) is in `days`
    ("YYYY-MM-DD" or "undated"; all when None) and, when given, of those articles only. Sorted by event IRI."""
    index = index or default_place_index()
    reports = []
    for graph_iri, event_iri in sorted(_chosen_events(store, days, articles), key=lambda k: k[1]):
        reports.append(_report(_Graph(store, _node(graph_iri)), _node(event_iri), index))
    return reports


def _label(g: _Graph, iri: ox.NamedNode) -> str | None:
    found = g.one(iri, SKOS + "prefLabel")
    return found.value if found is not None else None


def _report(g: _Graph, event: ox.NamedNode, index: PlaceIndex) -> EventReport:
    """One stored event as the same EventReport `event_reports` makes from the extraction."""
    types = {t.value for t in g.objects(event, RDF + "type")}
    kind = _TYPES[ATTACK] if ATTACK in types else _TYPES[COMMUNICATION]
    art = g.one(event, CKG + "article")
    article_id = g.one(art, DCT + "identifier").value if art is not None else ""
    published = _date(g.one(art, SCHEMA + "datePublished")) if art is not None else None
    day = _date(g.one(event, CKG + "date"))
    precision = "none" if day is None else ("day" if g.objects(event, CKG + "dateExpression") else "inferred")
    labels: dict[str, str] = {}
    places = []
    for p in g.objects(event, CKG + "place"):
        is_country = bool(list(g.store.quads_for_pattern(p, _node(RDF + "type"), _node(CKG + "Country"), g.graph)))
        ft, cc = g.one(p, CKG + "featureType"), g.one(p, CKG + "countryCode")
        facts = place_facts(index, p.value, "country" if is_country else "place", _text(ft), _text(cc))
        lat, lon = g.one(p, WGS84 + "lat"), g.one(p, WGS84 + "long")
        places.append((LEVELS.index(facts.level), p.value, facts, _float(lat) if lon is not None else None,
                       _float(lon) if lat is not None else None))
        if (label := _label(g, p)) is not None:
            labels[p.value] = label
    actors = set()
    for role in ("attacker", "participant"):
        for a in g.objects(event, CKG + role):
            actors.add(a.value)
            if (label := _label(g, a)) is not None:
                labels[a.value] = label
    weapons = set()
    for w in g.objects(event, CKG + "weapon"):
        weapons.add(w.value)
        if (label := _label(g, w)) is not None:
            labels[w.value] = label
    quantities = list(g.objects(event, CKG + "quantity"))
    for sub in g.subjects(SEM + "subEventOf", event):
        quantities += g.objects(sub, CKG + "quantity")
    figures = {}
    for q in quantities:
        kind_iri, value = g.one(q, CKG + "kind"), g.one(q, CKG + "value")
        name = kind_iri.value.rsplit("/", 1)[-1] if kind_iri is not None else ""
        if name not in FIGURE_KINDS or value is None or g.objects(q, CKG + "subsetOf"):
            continue
        start = None
        for mention in g.objects(q, CKG + "evidence"):
            for sel in g.objects(mention, OA + "hasSelector"):
                if list(g.store.quads_for_pattern(sel, _node(RDF + "type"), _node(OA + "TextPositionSelector"), g.graph)):
                    start = int(g.one(sel, OA + "start").value)
        claimant = ""
        for view in g.subjects(RDF + "subject", q):
            who = g.one(view, SEM + "accordingTo")
            if who is not None:
                claimant = who.value
                if (label := _label(g, who)) is not None:
                    labels[who.value] = label
        weapon = g.one(q, CKG + "weapon")
        figures[q.value] = Figure(q.value, name, int(value.value), claimant, start or 0, _text(weapon))
    place = min(places, key=lambda p: (p[0], p[1])) if places else None
    facts = place[2] if place else None
    if facts and facts.country:
        labels.setdefault(facts.country, country_label(index, facts.country))
    weapon_tuple = tuple(sorted(weapons))
    return EventReport(
        article=article_id, published=published, event=event.value, type=kind, date=day, precision=precision,
        place=place[1] if place else "", level=facts.level if facts else "", country=facts.country if facts else "",
        admin1=facts.admin1 if facts else "", actors=tuple(sorted(actors)), weapons=weapon_tuple,
        families=tuple(sorted({weapon_family(index, w) for w in weapon_tuple})),
        figures=tuple(sorted(figures.values(), key=lambda f: (f.position, f.quantity))),
        labels=tuple(sorted(labels.items())), lat=place[3] if place else None, lon=place[4] if place else None)


def _date(term: ox.Literal | None) -> date | None:
    if term is None:
        return None
    try:
        return date.fromisoformat(term.value)
    except ValueError:
        return None


def _text(term: ox.Literal | None) -> str:
    return term.value if term is not None else ""


def _float(term: ox.Literal | None) -> float | None:
    return float(term.value) if term is not None else None


def widen(days: Iterable[str], by: int) -> set[str]:
    """The days within `by` days of any of `days` ("undated" stays itself)."""
    out: set[str] = set()
    for d in days:
        if d == "undated":
            out.add(d)
            continue
        day = date.fromisoformat(d)
        out.update((day + timedelta(days=k)).isoformat() for k in range(-by, by + 1))
    return out

