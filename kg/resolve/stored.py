"""Event reports read back from a store (or any loaded dataset) with SPARQL: the same reports that
`event_reports` makes from an Extraction, so that `kg add` can re-resolve without re-extracting."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

import pyoxigraph as ox

from .model import LEVELS, EventReport, Figure
from .places import PlaceIndex, default_place_index, place_facts
from .reports import FIGURE_KINDS, country_label, weapon_family

PREFIXES = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


_EVENT = """?event ckg:article ?art . ?art dcterms:identifier ?id .
      { ?event a ckg:Attack . BIND("attack" AS ?type) } UNION { ?event a ckg:Communication . BIND("communication" AS ?type) }
      OPTIONAL { ?art schema:datePublished ?pub } OPTIONAL { ?event ckg:dateExpression ?e }"""


def _selections(days: Iterable[str] | None, articles: Iterable[str] | None) -> list[str]:
    """WHERE bodies that select the events to read, each starting from an index the store can use: the
    article graphs, the event dates, or the publication dates of undated events."""
    graphs = ""
    if articles is not None:
        from ..rdf import article_iri

        graphs = "VALUES ?g { " + " ".join(f"<{article_iri(a)}>" for a in sorted(set(articles))) + " }"
    if days is None:
        return [f"{graphs} GRAPH ?g {{ {_EVENT} OPTIONAL {{ ?event ckg:date ?date }} }}"]
    days = set(days)
    dated = " ".join(f'"{d}"^^xsd:date' for d in sorted(d for d in days if d != "undated"))
    out = []
    if dated:
        out.append(f"{graphs} VALUES ?date {{ {dated} }} GRAPH ?g {{ ?event ckg:date ?date . {_EVENT} }}")
        out.append(f"{graphs} VALUES ?pub {{ {dated} }} GRAPH ?g {{ ?art schema:datePublished ?pub . {_EVENT} "
                   "FILTER NOT EXISTS { ?event ckg:date ?d } }")
    if "undated" in days:
        out.append(f"{graphs} GRAPH ?g {{ {_EVENT} FILTER NOT EXISTS {{ ?event ckg:date ?d }} "
                   "FILTER NOT EXISTS { ?art schema:datePublished ?p } }")
    return out


def _rows(store: ox.Store, select: str, events: list[str], pattern: str) -> Iterable[ox.QuerySolution]:
    """Rows of `pattern` (inside the event's graph) for the chosen events, in batches."""
    for k in range(0, len(events), 500):
        values = " ".join(f"<{e}>" for e in events[k:k + 500])
        yield from store.query(f"{PREFIXES}SELECT {select} WHERE {{ VALUES ?event {{ {values} }} GRAPH ?g {{ {pattern} }} }}")


def reports_from_store(store: ox.Store, days: Iterable[str] | None = None, articles: Iterable[str] | None = None,
                       index: PlaceIndex | None = None) -> list[EventReport]:
    """Reports of the stored events whose anchor day (event date, else publication date) is in `days`
    ("YYYY-MM-DD" or "undated"; all when None) and, when given, of those articles only. Sorted by event IRI."""
    index = index or default_place_index()
    base: dict[str, dict] = {}
    for where in _selections(days, articles):
        query = (f"{PREFIXES}SELECT ?event ?id ?type ?date ?pub (SAMPLE(?e) AS ?expr) WHERE {{ {where} }} "
                 "GROUP BY ?event ?id ?type ?date ?pub")
        for row in store.query(query):
            base[row["event"].value] = {
                "article": row["id"].value, "type": row["type"].value,
                "date": _date(row["date"]), "published": _date(row["pub"]), "expr": row["expr"] is not None,
                "places": [], "actors": set(), "weapons": set(), "figures": {}, "labels": {}}
    scope = sorted(base)
    for row in _rows(store, "?event ?p ?country ?ft ?cc ?lat ?lon ?label", scope, """?event ckg:place ?p .
      OPTIONAL { ?p a ckg:Country . BIND(true AS ?country) } OPTIONAL { ?p ckg:featureType ?ft }
      OPTIONAL { ?p ckg:countryCode ?cc } OPTIONAL { ?p wgs84:lat ?lat ; wgs84:long ?lon }
      OPTIONAL { ?p skos:prefLabel ?label }"""):
        entry = base.get(row["event"].value)
        if entry is None:
            continue
        iri = row["p"].value
        facts = place_facts(index, iri, "country" if row["country"] is not None else "place",
                            _text(row["ft"]), _text(row["cc"]))
        entry["places"].append((LEVELS.index(facts.level), iri, facts, _float(row["lat"]), _float(row["lon"])))
        if row["label"] is not None:
            entry["labels"][iri] = row["label"].value
    for row in _rows(store, "?event ?a ?label", scope, """{ ?event ckg:attacker ?a } UNION { ?event ckg:participant ?a }
      OPTIONAL { ?a skos:prefLabel ?label }"""):
        _add_named(base, row, "actors")
    for row in _rows(store, "?event ?a ?label", scope, "?event ckg:weapon ?a . OPTIONAL { ?a skos:prefLabel ?label }"):
        _add_named(base, row, "weapons")
    for row in _rows(store, "?event ?q ?kind ?value ?start ?c ?clabel ?w", scope, """
      { ?event ckg:quantity ?q } UNION { ?sub sem:subEventOf ?event . ?sub ckg:quantity ?q }
      ?q ckg:kind ?k ; ckg:value ?value . FILTER NOT EXISTS { ?q ckg:subsetOf ?whole }
      BIND(STRAFTER(STR(?k), "/kind/") AS ?kind)
      ?q ckg:evidence/oa:hasSelector ?sel . ?sel a oa:TextPositionSelector ; oa:start ?start .
      OPTIONAL { ?q ckg:weapon ?w }
      OPTIONAL { ?view rdf:subject ?q ; sem:accordingTo ?c . OPTIONAL { ?c skos:prefLabel ?clabel } }"""):
        entry = base.get(row["event"].value)
        if entry is None or row["kind"].value not in FIGURE_KINDS:
            continue
        claimant = row["c"].value if row["c"] is not None else ""
        q = row["q"].value
        entry["figures"][q] = Figure(q, row["kind"].value, int(row["value"].value), claimant, int(row["start"].value),
                                     _text(row["w"]))
        if claimant and row["clabel"] is not None:
            entry["labels"][claimant] = row["clabel"].value
    reports = []
    for event, e in sorted(base.items()):
        place = min(e["places"], key=lambda p: (p[0], p[1])) if e["places"] else None
        facts = place[2] if place else None
        weapons = tuple(sorted(e["weapons"]))
        if facts and facts.country:
            e["labels"].setdefault(facts.country, country_label(index, facts.country))
        precision = "none" if e["date"] is None else ("day" if e["expr"] else "inferred")
        reports.append(EventReport(
            article=e["article"], published=e["published"], event=event, type=e["type"], date=e["date"],
            precision=precision, place=place[1] if place else "", level=facts.level if facts else "",
            country=facts.country if facts else "", admin1=facts.admin1 if facts else "",
            actors=tuple(sorted(e["actors"])), weapons=weapons,
            families=tuple(sorted({weapon_family(index, w) for w in weapons})),
            figures=tuple(sorted(e["figures"].values(), key=lambda f: (f.position, f.quantity))),
            labels=tuple(sorted(e["labels"].items())),
            lat=place[3] if place else None, lon=place[4] if place else None))
    return reports


def _add_named(base: dict[str, dict], row: ox.QuerySolution, field: str) -> None:
    entry = base.get(row["event"].value)
    if entry is None:
        return
    entry[field].add(row["a"].value)
    if row["label"] is not None:
        entry["labels"][row["a"].value] = row["label"].value


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

