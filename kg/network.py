"""Project the RDF graph onto a networkx graph of the things an analyst reasons about.

Nodes are actors, places, weapons, events (attacks, communications, statements) and attack targets; the
plumbing (mentions, sentences, quantity nodes, ontology terms) is folded into node and edge attributes.
Edges carry their role as label: attacker, place, weapon, target, participant, speaker, located in.
Counts appear on the attack nodes they belong to ("launched 550 / intercepted 478 / killed 1").
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable

import networkx as nx
import pyoxigraph as ox

from .atomic import atomic_write
from .model import QUANTITY_KINDS

PREFIXES = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
"""
CKG = "https://w3id.org/conflict-kg/ontology#"
ENTITY_CATEGORY = {CKG + "Person": "person", CKG + "Organization": "organization", CKG + "Country": "country",
                   CKG + "Place": "place", CKG + "WeaponType": "weapon"}
EVENT_CATEGORY = {CKG + "Attack": "attack", CKG + "Communication": "communication", CKG + "Statement": "statement",
                  CKG + "Interception": "interception"}
CATEGORIES = ("person", "organization", "country", "place", "weapon", "attack", "interception", "communication",
              "statement", "target")
ROLE_LABEL = {"attacker": "attacker", "place": "place", "weapon": "weapon", "target": "target",
              "participant": "participant", "speaker": "speaker", "interceptor": "interceptor", "subEventOf": "part of"}
SUMMED = ("launched", "intercepted", "damaged")  # parts add up; tolls are updated, so the highest counts
MAX_SENTENCES = 4

_ENTITY_TYPES = PREFIXES + """SELECT DISTINCT ?e ?class ?label WHERE { GRAPH ?g {
  ?e a ?class ; skos:prefLabel ?label .
  VALUES ?class { ckg:Person ckg:Organization ckg:Country ckg:Place ckg:WeaponType }
} }"""
_ENTITY_IDS = PREFIXES + """SELECT DISTINCT ?e ?p ?id WHERE { GRAPH ?g {
  VALUES ?p { ckg:wikidata ckg:geonames ckg:countryCode }
  ?e ?p ?id .
} }"""
_EVIDENCE = PREFIXES + """SELECT ?e ?m ?source ?s WHERE { GRAPH ?g {
  ?e ckg:evidence ?m . ?m ckg:sentence ?s ; oa:hasSource/dcterms:identifier ?source .
} }"""
_SENTENCES = PREFIXES + """SELECT ?s ?text WHERE { GRAPH ?g { ?s a ckg:Sentence ; oa:exact ?text } }"""
_EVENTS = PREFIXES + """SELECT ?ev ?class ?label ?source ?date WHERE { GRAPH ?g {
  ?ev a ?class ; ckg:article/dcterms:identifier ?source ; rdfs:label ?label .
  VALUES ?class { ckg:Attack ckg:Communication ckg:Statement ckg:Interception }
  OPTIONAL { ?ev ckg:date ?date }
} }"""
_ROLES = PREFIXES + """SELECT ?ev ?role ?x WHERE { GRAPH ?g {
  VALUES ?role { ckg:attacker ckg:place ckg:weapon ckg:participant ckg:speaker ckg:target ckg:interceptor sem:subEventOf }
  ?ev ?role ?x ; ckg:article ?a .
} }"""
_TARGETS = PREFIXES + """SELECT ?t ?label ?owner ?source WHERE { GRAPH ?g {
  ?t a ckg:Target ; rdfs:label ?label ; ckg:article/dcterms:identifier ?source .
  OPTIONAL { ?t ckg:owner ?owner }
} }"""
_COUNTS = PREFIXES + """SELECT ?ev ?kind ?value ?q WHERE { GRAPH ?g {
  ?ev ckg:quantity ?q . ?q ckg:kind ?kind ; ckg:value ?value .
  FILTER NOT EXISTS { ?q ckg:subsetOf ?whole }
} }"""
_QUOTES = PREFIXES + """SELECT ?ev ?text WHERE { GRAPH ?g { ?ev ckg:quote/ckg:text ?text } }"""


def _rows(store: ox.Store, sparql: str) -> Iterable[dict[str, str]]:
    result = store.query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    for sol in result:
        yield {n: (sol[n].value if sol[n] is not None else "") for n in names}


def _add_sentence(attrs: dict, source: str, sentence: str) -> None:
    if sentence and (source, sentence) not in attrs["sentences"] and len(attrs["sentences"]) < MAX_SENTENCES:
        attrs["sentences"].append((source, sentence))


def project(store: ox.Store) -> nx.MultiDiGraph:
    """The analyst's network of a graph that `kg build` wrote (loaded with kg.query.load_graph)."""
    g = nx.MultiDiGraph()
    nodes: dict[str, dict] = {}
    mentions: dict[str, set[str]] = defaultdict(set)

    def blank(iri: str, label: str, category: str, articles: set[str], **extra) -> dict:
        return {"label": label, "category": category, "iri": iri, "wikidata": "", "geonames": "", "country_code": "",
                "articles": articles, "sentences": [], "counts": "", "date": "", **extra}

    for r in _rows(store, _ENTITY_TYPES):
        nodes.setdefault(r["e"], blank(r["e"], r["label"], ENTITY_CATEGORY[r["class"]], set()))
    ids = {CKG + "wikidata": "wikidata", CKG + "geonames": "geonames", CKG + "countryCode": "country_code"}
    for r in _rows(store, _ENTITY_IDS):
        if r["e"] in nodes:
            nodes[r["e"]][ids[r["p"]]] = r["id"]
    for r in _rows(store, _EVENTS):
        nodes.setdefault(r["ev"], blank(r["ev"], r["label"], EVENT_CATEGORY[r["class"]], {r["source"]}, date=r["date"]))
    for r in _rows(store, _TARGETS):
        nodes.setdefault(r["t"], blank(r["t"], r["label"], "target", {r["source"]}, owner=r["owner"]))
    text = {r["s"]: r["text"] for r in _rows(store, _SENTENCES)}
    for r in _rows(store, _EVIDENCE):
        a = nodes.get(r["e"])
        if a is None:
            continue
        a["articles"].add(r["source"])
        mentions[r["e"]].add(r["m"])
        _add_sentence(a, r["source"], text.get(r["s"], ""))
    roles = list(_rows(store, _ROLES))
    for r in roles:  # an actor known only by a demonym ("Russian drones") is drawn through its events
        a, ev = nodes.get(r["x"]), nodes.get(r["ev"])
        if a is not None and ev is not None and not a["articles"]:
            a["articles"] |= ev["articles"]
    nodes = {iri: a for iri, a in nodes.items() if a["articles"]}  # described but never named: not drawn
    for r in _rows(store, _QUOTES):
        if r["ev"] in nodes:
            nodes[r["ev"]].setdefault("quote", r["text"])
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))  # event -> kind -> quantity -> value
    for r in _rows(store, _COUNTS):
        counts[r["ev"]][r["kind"].rsplit("/", 1)[-1]][r["q"]] = int(r["value"])
    for iri, attrs in nodes.items():
        attrs["mentions"] = max(1, len(mentions[iri])) if attrs["category"] in ENTITY_CATEGORY.values() else 1
        attrs["articles"] = sorted(attrs["articles"])
        by_kind = counts.get(iri, {})
        attrs["counts"] = " / ".join(
            f"{kind} {sum(by_kind[kind].values()) if kind in SUMMED else max(by_kind[kind].values())}"
            for kind in QUANTITY_KINDS if by_kind.get(kind))
        g.add_node(iri, **attrs)
    for r in roles:
        role = r["role"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        ev, x = r["ev"], r["x"]
        if ev not in g or x not in g:
            continue
        # arrows point from the actor or means to the event, and from the event to where and what it hit
        src, dst = (x, ev) if role in ("attacker", "participant", "speaker", "weapon", "interceptor") else (ev, x)
        if not g.has_edge(src, dst, key=role):
            g.add_edge(src, dst, key=role, label=ROLE_LABEL[role])
    countries = {a["country_code"]: iri for iri, a in g.nodes(data=True) if a["category"] == "country" and a["country_code"]}
    for iri, a in list(g.nodes(data=True)):
        if a["category"] == "place" and a["country_code"] in countries:
            g.add_edge(iri, countries[a["country_code"]], key="located in", label="located in")
        owner = a.get("owner")
        if a["category"] == "target" and owner and owner in g:
            g.add_edge(iri, owner, key="owned by", label="owned by")
    return g


def filter_graph(g: nx.MultiDiGraph, article: str | None = None, categories: Iterable[str] | None = None,
                 keep: set[str] | None = None) -> nx.MultiDiGraph:
    """The subgraph of nodes from one article, of some categories, and/or among a set of IRIs."""
    cats = set(categories) if categories else None
    chosen = [n for n, a in g.nodes(data=True)
              if (article is None or article in a["articles"])
              and (cats is None or a["category"] in cats)
              and (keep is None or n in keep)]
    return g.subgraph(chosen).copy()


def most_connected(g: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, int]:
    """Keep the `max_nodes` nodes with the highest degree (ties: most mentioned); return how many were dropped."""
    if max_nodes <= 0 or g.number_of_nodes() <= max_nodes:
        return g, 0
    ranked = sorted(g.nodes, key=lambda n: (-g.degree(n), -g.nodes[n]["mentions"], n))
    kept = g.subgraph(ranked[:max_nodes]).copy()
    return kept, g.number_of_nodes() - max_nodes


def iris_of_result(result) -> set[str]:
    """Every IRI a SPARQL SELECT or CONSTRUCT result mentions (what `kg viz --query` shows)."""
    out: set[str] = set()
    if isinstance(result, ox.QueryTriples):
        for t in result:
            for term in (t.subject, t.object):
                if isinstance(term, ox.NamedNode):
                    out.add(term.value)
        return out
    if isinstance(result, ox.QueryBoolean):
        return out
    variables = [v.value for v in result.variables]
    for sol in result:
        for v in variables:
            term = sol[v]
            if isinstance(term, ox.NamedNode):
                out.add(term.value)
    return out


def export(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write GraphML or GEXF (by extension) for Gephi and Cytoscape, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".graphml", ".gexf"):
        raise ValueError(f"{path}: unknown network format '{suffix or '(none)'}'; use .graphml or .gexf")
    flat = nx.MultiDiGraph()
    for n, a in g.nodes(data=True):
        flat.add_node(n, label=a["label"], category=a["category"], iri=a["iri"], wikidata=a.get("wikidata") or "",
                      geonames=a.get("geonames") or "", mentions=int(a["mentions"]), articles=" ".join(a["articles"]),
                      counts=a.get("counts") or "", date=a.get("date") or "")
    for u, v, k, a in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, label=a["label"])
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ValueError(f"{path}: folder {directory} does not exist")
    atomic_write(path, lambda fh: (nx.write_graphml if suffix == ".graphml" else nx.write_gexf)(flat, fh))
