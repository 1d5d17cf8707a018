"""Project the RDF graph onto a networkx graph of the things an analyst reasons about.

Nodes are actors, places, weapons, events (attacks, interceptions, communications, statements) and attack
targets; the plumbing (mentions, sentences, quantity nodes, ontology terms) is folded into node and edge
attributes. Edges carry their role as label: attacker, place, weapon, target, participant, speaker,
interceptor, part of, located in, owned by; "said" from a claimant to the event it gives figures for; "kind
of" from a weapon type to the nearest broader type drawn; and, marked with a `basis`, links inferred from
the text: a specific weapon to its attack, a node no role links to what its sentences also name. Counts
appear on the events they belong to, per thing counted ("launched 539 drones, 11 missiles").
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx
import pyoxigraph as ox

from .atomic import atomic_write
from .categories import CANONICAL_CATEGORY, CATEGORIES, CKG, ENTITY_CATEGORY, EVENT_CATEGORIES, EVENT_CATEGORY
from .model import QUANTITY_KINDS

PREFIXES = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""

__all__ = ["CATEGORIES", "CANONICAL_CATEGORY", "ENTITY_CATEGORY", "EVENT_CATEGORY", "Count", "count_lines", "export",
           "filter_graph", "iris_of_result", "most_connected", "plural", "project"]
ROLE_LABEL = {"attacker": "attacker", "place": "place", "weapon": "weapon", "target": "target",
              "participant": "participant", "speaker": "speaker", "interceptor": "interceptor", "subEventOf": "part of"}
FROM_ACTOR = ("attacker", "participant", "speaker", "weapon", "interceptor")  # these arrows point into the event
SUMMED = ("launched", "intercepted", "damaged")  # parts add up; tolls are updated, so the highest counts
MAX_SENTENCES = 4
Link = Callable[..., None]  # link(src, dst, key, label, **attributes): adds the edge once, between drawn nodes


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


_ENTITY_TYPES = PREFIXES + f"""SELECT DISTINCT ?e ?class ?label WHERE {{ GRAPH ?g {{
  ?e a ?class ; skos:prefLabel ?label .
  VALUES ?class {{ {_values(ENTITY_CATEGORY)} }}
}} }}"""
_ENTITY_IDS = PREFIXES + """SELECT DISTINCT ?e ?p ?id WHERE { GRAPH ?g {
  VALUES ?p { ckg:wikidata ckg:geonames ckg:countryCode }
  ?e ?p ?id .
} }"""
_COORDS = PREFIXES + """SELECT DISTINCT ?e ?lat ?long WHERE { GRAPH ?g { ?e wgs84:lat ?lat ; wgs84:long ?long } }"""
_BROADER = PREFIXES + """SELECT DISTINCT ?w ?up WHERE { GRAPH ?g { ?w a ckg:WeaponType ; skos:broader ?up } }"""
_EVIDENCE = PREFIXES + """SELECT ?e ?m ?source ?s WHERE { GRAPH ?g {
  ?e ckg:evidence ?m . ?m ckg:sentence ?s ; oa:hasSource/dcterms:identifier ?source .
} }"""
_SENTENCES = PREFIXES + """SELECT ?s ?text WHERE { GRAPH ?g { ?s a ckg:Sentence ; oa:exact ?text } }"""
_EVENTS = PREFIXES + f"""SELECT ?ev ?class ?label ?source ?date WHERE {{ GRAPH ?g {{
  ?ev a ?class ; ckg:article/dcterms:identifier ?source ; rdfs:label ?label .
  VALUES ?class {{ {_values(EVENT_CATEGORY)} }}
  OPTIONAL {{ ?ev ckg:date ?date }}
}} }}"""
_ROLES = PREFIXES + """SELECT ?ev ?role ?x WHERE { GRAPH ?g {
  VALUES ?role { ckg:attacker ckg:place ckg:weapon ckg:participant ckg:speaker ckg:target ckg:interceptor sem:subEventOf }
  ?ev ?role ?x ; ckg:article ?a .
} }"""
_TARGETS = PREFIXES + """SELECT ?t ?label ?owner ?source WHERE { GRAPH ?g {
  ?t a ckg:Target ; rdfs:label ?label ; ckg:article/dcterms:identifier ?source .
  OPTIONAL { ?t ckg:owner ?owner }
} }"""
# every count of an event with what it counts (a weapon, or an object type) and who gives it
_COUNTS = PREFIXES + """SELECT ?ev ?q ?kind ?value ?qualifier ?weapon ?object ?objectLabel ?claimant WHERE { GRAPH ?g {
  ?ev ckg:quantity ?q . ?q ckg:kind ?kind ; ckg:value ?value .
  FILTER NOT EXISTS { ?q ckg:subsetOf ?whole }
  OPTIONAL { ?q ckg:qualifier ?qualifier }
  OPTIONAL { ?q ckg:weapon ?weapon }
  OPTIONAL { ?q ckg:objectType/skos:prefLabel ?object }
  OPTIONAL { ?q ckg:objectLabel ?objectLabel }
  OPTIONAL { ?view rdf:subject ?q ; sem:accordingTo ?claimant }
} }"""
# who holds a claim (SEM's view): about a count (-> the count's event) or about the event itself
_CLAIMS = PREFIXES + """SELECT DISTINCT ?ev ?claimant WHERE { GRAPH ?g {
  ?view sem:accordingTo ?claimant ; rdf:subject ?s .
  { ?ev ckg:quantity ?s } UNION { BIND(?s AS ?ev) }
} }"""
_QUOTES = PREFIXES + """SELECT ?ev ?text WHERE { GRAPH ?g { ?ev ckg:quote/ckg:text ?text } }"""


@dataclass(frozen=True)
class Count:
    """One figure as the graph states it: 'launched 539 drone', 'damaged more than 40 apartment building'."""
    kind: str
    value: int
    qualifier: str = ""
    thing: str = ""  # what is counted (a weapon's or object type's label); empty for people
    claimant: str = ""


def plural(noun: str, n: int) -> str:
    """Regular English plural of the last word of `noun` when n != 1 (labels in our lexicons are singular)."""
    if n == 1 or not noun or not noun[-1].isalpha():
        return noun
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def count_lines(counts: Iterable[Count]) -> list[str]:
    """One line per kind, one figure per thing counted: 'launched 539 drones, 11 missiles'.

    Figures of unlike things are never added up. Figures of the same thing and claimant are added for the
    kinds whose parts add up (launched, intercepted, damaged) and otherwise the highest is kept (a toll that
    rises). When claimants disagree on the same thing, each figure is shown with its claimant.
    """
    grouped: dict[tuple[str, str, str], list[Count]] = defaultdict(list)
    for c in counts:
        grouped[(c.kind, c.thing, c.claimant)].append(c)
    lines = []
    for kind in QUANTITY_KINDS:
        parts = []
        things = sorted({thing for (k, thing, _c) in grouped if k == kind}, key=lambda t: (t == "", t))
        for thing in things:
            claims = sorted((c, v) for (k, t, c), v in grouped.items() if k == kind and t == thing)
            for claimant, figures in claims:
                if kind in SUMMED:
                    value = sum(f.value for f in figures)
                    qualifier = next((f.qualifier for f in figures if f.qualifier), "")
                else:
                    best = max(figures, key=lambda f: f.value)
                    value, qualifier = best.value, best.qualifier
                text = " ".join(x for x in (qualifier, str(value), plural(thing, value)) if x)
                parts.append(text + (f" (according to {claimant})" if claimant and len(claims) > 1 else ""))
        if parts:
            lines.append(f"{kind} {', '.join(parts)}")
    return lines


def _rows(store: ox.Store, sparql: str) -> Iterable[dict[str, str]]:
    result = store.query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    for sol in result:
        yield {n: (sol[n].value if sol[n] is not None else "") for n in names}


_SENTENCE_NUMBER = re.compile(r"sentence-(\d+)$")  # sentence IRIs end in their position: <article#sentence-12>


def _pick_sentences(by_article: dict[str, dict[str, int]]) -> tuple[list[tuple[str, str]], int]:
    """Up to MAX_SENTENCES evidence sentences, one per article in turn (so one article cannot fill the
    tooltip), each article's in text order, and how many more there are. `by_article` maps an article to
    its sentences and their positions."""
    total = sum(len(v) for v in by_article.values())
    queues = [[(a, s) for s in sorted(by_article[a], key=lambda s: (by_article[a][s], s))] for a in sorted(by_article)]
    shown: list[tuple[str, str]] = []
    depth = 0
    while len(shown) < MAX_SENTENCES and any(depth < len(q) for q in queues):
        shown.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    shown = shown[:MAX_SENTENCES]
    return shown, total - len(shown)


def _ancestors(weapon: str, broader: dict[str, set[str]]) -> list[str]:
    """The broader weapon types of `weapon`, nearest first (breadth-first up the SKOS hierarchy)."""
    out, frontier, seen = [], [weapon], {weapon}
    while frontier:
        nxt = []
        for w in frontier:
            for up in sorted(broader.get(w, ())):
                if up not in seen:
                    seen.add(up)
                    out.append(up)
                    nxt.append(up)
        frontier = nxt
    return out


def project(store: ox.Store) -> nx.MultiDiGraph:
    """The analyst's network of a graph that `kg build` wrote (loaded with kg.query.load_graph)."""
    g = nx.MultiDiGraph()
    nodes: dict[str, dict] = {}
    mentions: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}

    def blank(iri: str, label: str, category: str, articles: set[str], **extra) -> dict:
        return {"label": label, "category": category, "iri": iri, "wikidata": "", "geonames": "", "country_code": "",
                "articles": articles, "sentences": [], "more_sentences": 0, "counts": "", "count_lines": [],
                "date": "", "lat": None, "lon": None, **extra}

    for r in _rows(store, _ENTITY_TYPES):
        labels.setdefault(r["e"], r["label"])
        nodes.setdefault(r["e"], blank(r["e"], r["label"], ENTITY_CATEGORY[r["class"]], set()))
    ids = {CKG + "wikidata": "wikidata", CKG + "geonames": "geonames", CKG + "countryCode": "country_code"}
    for r in _rows(store, _ENTITY_IDS):
        if r["e"] in nodes:
            nodes[r["e"]][ids[r["p"]]] = r["id"]
    for r in _rows(store, _COORDS):
        if r["e"] in nodes:
            nodes[r["e"]]["lat"], nodes[r["e"]]["lon"] = float(r["lat"]), float(r["long"])
    for r in _rows(store, _EVENTS):
        nodes.setdefault(r["ev"], blank(r["ev"], r["label"], EVENT_CATEGORY[r["class"]], {r["source"]}, date=r["date"]))
    for r in _rows(store, _TARGETS):
        nodes.setdefault(r["t"], blank(r["t"], r["label"], "target", {r["source"]}, owner=r["owner"]))
    text = {r["s"]: r["text"] for r in _rows(store, _SENTENCES)}
    said: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))  # node -> article -> sentence -> position
    sentences_of: dict[str, set[tuple[str, str]]] = defaultdict(set)  # any subject (counts too) -> (article, sentence)
    for r in _rows(store, _EVIDENCE):
        sentences_of[r["e"]].add((r["source"], r["s"]))
        a = nodes.get(r["e"])
        if a is None:
            continue
        a["articles"].add(r["source"])
        mentions[r["e"]].add(r["m"])
        sentence = text.get(r["s"], "")
        if sentence:
            where = _SENTENCE_NUMBER.search(r["s"])
            said[r["e"]][r["source"]].setdefault(sentence, int(where.group(1)) if where else 0)
    roles = list(_rows(store, _ROLES))
    for r in roles:  # an actor known only by a demonym ("Russian drones") is drawn through its events
        a, ev = nodes.get(r["x"]), nodes.get(r["ev"])
        if a is not None and ev is not None and not a["articles"]:
            a["articles"] |= ev["articles"]
    nodes = {iri: a for iri, a in nodes.items() if a["articles"]}  # described but never named: not drawn
    for r in _rows(store, _QUOTES):
        if r["ev"] in nodes:
            nodes[r["ev"]].setdefault("quote", r["text"])
    figures: dict[str, dict[str, Count]] = defaultdict(dict)  # event -> quantity -> its figure
    count_weapons: list[tuple[str, str]] = []  # (event, weapon) from "launched 40 Shaheds"
    count_sentences: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in _rows(store, _COUNTS):
        thing = labels.get(r["weapon"], "") if r["weapon"] else (r["object"] or r["objectLabel"])
        claimant = labels.get(r["claimant"], "") if r["claimant"] else ""
        figures[r["ev"]].setdefault(r["q"], Count(r["kind"].rsplit("/", 1)[-1], int(r["value"]), r["qualifier"],
                                                  thing, claimant))
        if r["weapon"]:
            count_weapons.append((r["ev"], r["weapon"]))
        count_sentences[r["ev"]] |= sentences_of.get(r["q"], set())
    for iri, attrs in nodes.items():
        attrs["mentions"] = max(1, len(mentions[iri])) if attrs["category"] in ENTITY_CATEGORY.values() else 1
        attrs["articles"] = sorted(attrs["articles"])
        attrs["sentences"], attrs["more_sentences"] = _pick_sentences(said.get(iri, {}))
        attrs["count_lines"] = count_lines(figures.get(iri, {}).values())
        attrs["counts"] = "; ".join(attrs["count_lines"])
        g.add_node(iri, **attrs)

    def link(src: str, dst: str, key: str, label: str, **extra) -> None:
        if src in g and dst in g and src != dst and not g.has_edge(src, dst, key=key):
            g.add_edge(src, dst, key=key, label=label, **extra)

    for r in roles:
        role = r["role"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        ev, x = r["ev"], r["x"]
        # arrows point from the actor or means to the event, and from the event to where and what it hit
        link(*((x, ev) if role in FROM_ACTOR else (ev, x)), role, ROLE_LABEL[role])
    for ev, weapon in count_weapons:
        link(weapon, ev, "weapon", "weapon")
    for r in _rows(store, _CLAIMS):  # who said so: the claimant of a count or of the event itself
        if not g.has_edge(r["claimant"], r["ev"], key="speaker"):
            link(r["claimant"], r["ev"], "said", "said")
    _link_specific_weapons(g, store, sentences_of, count_sentences, link)
    countries = {a["country_code"]: iri for iri, a in g.nodes(data=True) if a["category"] == "country" and a["country_code"]}
    for iri, a in list(g.nodes(data=True)):
        if a["category"] == "place" and a["country_code"] in countries:
            link(iri, countries[a["country_code"]], "located in", "located in")
        owner = a.get("owner")
        if a["category"] == "target" and owner:
            link(iri, owner, "owned by", "owned by")
    _link_loners(g, sentences_of, count_sentences, link)
    return g


def _link_loners(g: nx.MultiDiGraph, sentences_of: dict[str, set[tuple[str, str]]],
                 count_sentences: dict[str, set[tuple[str, str]]], link: Link, most: int = 3) -> None:
    """A node no role links ('Facebook', a minister named in passing) goes to what its sentences also name:
    up to `most` partners, events before entities, then the best connected. Only what shares no sentence
    with anything stays alone."""
    named_in: dict[tuple[str, str], set[str]] = defaultdict(set)
    for n in g:
        for s in sentences_of.get(n, ()):
            named_in[s].add(n)
        for s in count_sentences.get(n, ()):
            named_in[s].add(n)
    events = set(EVENT_CATEGORY.values())
    for n in [n for n in g if g.degree(n) == 0]:
        partners = set().union(*(named_in[s] for s in sentences_of.get(n, ()))) - {n}
        ranked = sorted(partners, key=lambda p: (g.nodes[p]["category"] not in events, -g.degree(p), p))
        for p in ranked[:most]:
            link(n, p, "mentioned with", "mentioned with", basis="named in the same sentence")


def _link_specific_weapons(g: nx.MultiDiGraph, store: ox.Store, sentences_of: dict[str, set[tuple[str, str]]],
                           count_sentences: dict[str, set[tuple[str, str]]], link: Link) -> None:
    """Weapon types an article names but no event links (a 'Shahed' beside an attack 'with drones').

    A weapon goes to an attack or interception of its article when it is named in a sentence that states
    the event or one of its counts, or else when that event is the only one of its article that used a
    broader type of it. Every weapon type is also linked to the nearest broader type drawn ('kind of').
    """
    broader: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _BROADER):
        broader[r["w"]].add(r["up"])
    armed = [n for n, a in g.nodes(data=True) if a["category"] in ("attack", "interception")]
    by_article: dict[str, list[str]] = defaultdict(list)
    for ev in armed:
        for art in g.nodes[ev]["articles"]:
            by_article[art].append(ev)
    for w, a in list(g.nodes(data=True)):
        if a["category"] != "weapon":
            continue
        ups = _ancestors(w, broader)
        nearest = next((u for u in ups if u in g), None)
        if nearest:
            link(w, nearest, "kind of", "kind of")
        linked = {v for _w, v in g.out_edges(w)}
        for art in a["articles"]:
            events = by_article.get(art, [])
            if any(ev in linked for ev in events):
                continue
            named = {s for s in sentences_of.get(w, ()) if s[0] == art}
            same = [ev for ev in events if named & (sentences_of.get(ev, set()) | count_sentences.get(ev, set()))]
            if same:
                for ev in same:
                    link(w, ev, "weapon", "weapon", basis="named in the same sentence")
                continue
            family = [ev for ev in events if g.nodes[ev]["category"] == "attack"
                      and any(g.has_edge(u, ev, key="weapon") for u in ups)]
            if len(family) == 1:
                link(w, family[0], "weapon", "weapon", basis="the only attack of its article with a broader type")


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
        if a.get("lat") is not None:  # only where known (unknown is not 0): Gephi's GeoLayout reads these
            flat.nodes[n].update(latitude=a["lat"], longitude=a["lon"])
    for u, v, k, a in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, label=a["label"], basis=a.get("basis") or "")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ValueError(f"{path}: folder {directory} does not exist")
    atomic_write(path, lambda fh: (nx.write_graphml if suffix == ".graphml" else nx.write_gexf)(flat, fh))
