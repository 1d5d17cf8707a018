"""Project the RDF graph onto a networkx graph of the things an analyst reasons about.

Nodes are actors, places, weapons, events (attacks, interceptions, communications, statements) and attack
targets; the plumbing (mentions, sentences, quantity nodes, ontology terms) is folded into node and edge
attributes. Edges carry their role as label: attacker, place, weapon, target, participant, speaker,
interceptor, part of, located in, owned by; "said" from a claimant to the event it gives figures for; "kind
of" from a weapon type to the nearest broader type drawn; and, marked with a `basis`, links inferred from
the text: a specific weapon to its attack, a node no role links to what its sentences also name. Counts
appear on the events they belong to, per thing counted ("launched 539 drones, 11 missiles").

Canonical events (event resolution: one real attack or call, told by several articles) are drawn once each,
"reported as" each article event that tells it, with their own place, attacker/participant and weapon edges,
"part of" from a city attack to its nationwide barrage, and their chosen figures as integers. Their articles
are their reports' articles, so every filter treats them like the events they resolve.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

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
# canonical events (event resolution): no ckg:article of their own, so drawn through their reports' articles
_CANONICAL = PREFIXES + f"""SELECT ?ev ?class ?label ?date ?lat ?long ?reports WHERE {{ GRAPH ?g {{
  ?ev a ?class ; rdfs:label ?label .
  VALUES ?class {{ {_values(CANONICAL_CATEGORY)} }}
  OPTIONAL {{ ?ev ckg:date ?date }}
  OPTIONAL {{ ?ev wgs84:lat ?lat ; wgs84:long ?long }}
  OPTIONAL {{ ?ev ckg:reportCount ?reports }}
}} }}"""
_CANONICAL_REPORTS = PREFIXES + f"""SELECT ?ev ?report ?source WHERE {{
  GRAPH ?g {{ ?ev a ?class ; ckg:report ?report . VALUES ?class {{ {_values(CANONICAL_CATEGORY)} }} }}
  GRAPH ?h {{ ?report ckg:article/dcterms:identifier ?source }}
}}"""
_CANONICAL_ROLES = PREFIXES + f"""SELECT ?ev ?role ?x WHERE {{ GRAPH ?g {{
  ?ev a ?class ; ?role ?x .
  VALUES ?class {{ {_values(CANONICAL_CATEGORY)} }}
  VALUES ?role {{ ckg:attacker ckg:place ckg:weapon ckg:participant sem:hasSubEvent }}
}} }}"""
# the figures chosen for a canonical event, one integer per kind (absent when nobody reported it)
_CANONICAL_FIGURES = PREFIXES + f"""SELECT ?ev ?kind ?value WHERE {{ GRAPH ?g {{
  ?ev a ?class ; ?kind ?value .
  VALUES ?class {{ {_values(CANONICAL_CATEGORY)} }}
  VALUES ?kind {{ {" ".join(f"ckg:{k}" for k in QUANTITY_KINDS)} }}
}} }}"""
_CANONICAL_CLAIMANTS = PREFIXES + f"""SELECT DISTINCT ?ev ?claimant WHERE {{ GRAPH ?g {{
  ?ev a ?class ; ckg:claimant ?claimant .
  VALUES ?class {{ {_values(CANONICAL_CATEGORY)} }}
}} }}"""
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
    reports = _add_canonical(store, nodes, blank)
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
    for canonical, told in reports.items():  # a canonical event is shown in the words of its reports
        for report in told:
            for article, sentences in said.get(report, {}).items():
                for sentence, position in sentences.items():
                    said[canonical][article].setdefault(sentence, position)
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
        attrs["mentions"] = (max(1, len(mentions[iri])) if attrs["category"] in ENTITY_CATEGORY.values()
                             else attrs.get("reports", 1))  # a canonical event: how many articles report it
        attrs["articles"] = sorted(attrs["articles"])
        attrs["sentences"], attrs["more_sentences"] = _pick_sentences(said.get(iri, {}))
        if attrs["category"] in CANONICAL_CATEGORY.values():  # chosen figures, one integer per kind
            attrs["count_lines"] = [f"{k} {attrs['figures'][k]}" for k in QUANTITY_KINDS if k in attrs["figures"]]
            if attrs["claimants"]:
                attrs["count_lines"].append("according to " + ", ".join(sorted(labels.get(c, c) for c in attrs["claimants"])))
        else:
            attrs["count_lines"] = count_lines(figures.get(iri, {}).values())
            attrs["figures"] = single_figures(figures.get(iri, {}).values())
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
    for canonical, told in reports.items():
        for report in sorted(told):
            link(canonical, report, "report", "reported as")
    for r in _rows(store, _CANONICAL_ROLES):
        role = r["role"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if role == "hasSubEvent":  # a nationwide barrage and the city attacks it is made of
            link(r["x"], r["ev"], "subEventOf", ROLE_LABEL["subEventOf"])
        else:
            link(*((r["x"], r["ev"]) if role in FROM_ACTOR else (r["ev"], r["x"])), role, ROLE_LABEL[role])
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


def _add_canonical(store: ox.Store, nodes: dict[str, dict], blank: Callable[..., dict]) -> dict[str, set[str]]:
    """Add a node per canonical event (with its date, coordinates, report count, figures and claimants) to
    `nodes`; return each one's reports. Its articles are those of its reports, so that filtering by article
    keeps a canonical event when one of its reports' articles is kept."""
    reports: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _CANONICAL_REPORTS):
        reports[r["ev"]].add(r["report"])
        articles[r["ev"]].add(r["source"])
    for r in _rows(store, _CANONICAL):
        if r["ev"] in nodes:
            continue
        lat, lon = (float(r["lat"]), float(r["long"])) if r["lat"] and r["long"] else (None, None)
        count = int(r["reports"]) if r["reports"] else len(articles[r["ev"]])
        # the reports are labelled alike ("attack on X, DATE"): the count of reports tells the canonical node apart
        label = f"{r['label']} ({count} report{'' if count == 1 else 's'})"
        nodes[r["ev"]] = blank(r["ev"], label, CANONICAL_CATEGORY[r["class"]], set(articles[r["ev"]]),
                               date=r["date"], lat=lat, lon=lon, reports=count, figures={}, claimants=set())
    for r in _rows(store, _CANONICAL_FIGURES):
        if r["ev"] in nodes:
            nodes[r["ev"]]["figures"][r["kind"].rsplit("#", 1)[-1]] = int(r["value"])
    for r in _rows(store, _CANONICAL_CLAIMANTS):
        if r["ev"] in nodes:
            nodes[r["ev"]]["claimants"].add(r["claimant"])
    return {ev: told for ev, told in reports.items() if ev in nodes}


def single_figures(counts: Iterable[Count]) -> dict[str, int]:
    """Per kind, the figure as one integer when it is unambiguous: one thing counted by one claimant (parts
    added for launched/intercepted/damaged, otherwise the highest, as count_lines does). Kinds with figures
    of unlike things or from disagreeing claimants are left out: they stay text in count_lines."""
    grouped: dict[str, dict[tuple[str, str], list[Count]]] = defaultdict(lambda: defaultdict(list))
    for c in counts:
        grouped[c.kind][(c.thing, c.claimant)].append(c)
    out: dict[str, int] = {}
    for kind, groups in grouped.items():
        if len(groups) == 1:
            (figures,) = groups.values()
            out[kind] = sum(f.value for f in figures) if kind in SUMMED else max(f.value for f in figures)
    return out


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
    events = set(EVENT_CATEGORIES)  # canonical events too
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


# What a node carries into GraphML/GEXF, in this order: (name, Python type). Numbers are numbers; a figure or a
# coordinate nobody reported is left out of its node (unknown is not zero).
NODE_FIELDS: tuple[tuple[str, type], ...] = (
    ("label", str), ("category", str), ("iri", str), ("wikidata", str), ("geonames", str), ("mentions", int),
    ("articles", str), ("counts", str), ("date", str), ("latitude", float), ("longitude", float), ("reports", int),
    *((kind, int) for kind in QUANTITY_KINDS), ("claimants", str))
EDGE_FIELDS: tuple[tuple[str, type], ...] = (("label", str), ("basis", str))
GEXF_NS = "http://gexf.net/1.3"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # no XML 1.0 document may hold these


def _xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry (article text is untrusted and may hold them)."""
    return _NOT_XML.sub("", value)


def flat_node(a: dict, labels: dict[str, str] | None = None) -> dict[str, str | int | float]:
    """The attributes of one projected node as GraphML/GEXF carry them (NODE_FIELDS), unknowns left out."""
    figures = a.get("figures") or {}
    out: dict[str, str | int | float] = {
        "label": a["label"], "category": a["category"], "iri": a["iri"], "wikidata": a.get("wikidata") or "",
        "geonames": a.get("geonames") or "", "mentions": int(a["mentions"]), "articles": " ".join(a["articles"]),
        "counts": a.get("counts") or "", "date": a.get("date") or ""}
    if a.get("lat") is not None and a.get("lon") is not None:  # Gephi's GeoLayout reads these
        out["latitude"], out["longitude"] = float(a["lat"]), float(a["lon"])
    if a.get("reports") is not None:
        out["reports"] = int(a["reports"])
    out.update((kind, int(figures[kind])) for kind in QUANTITY_KINDS if kind in figures)
    if a.get("claimants"):
        out["claimants"] = "; ".join(sorted((labels or {}).get(c, c) for c in a["claimants"]))
    return {k: _xml_text(v) if isinstance(v, str) else v for k, v in out.items()}


def _gexf_type(kind: type, values: Iterable[object]) -> str:
    """The GEXF attribute type of a field: 'integer' (32-bit) unless a value needs 'long'."""
    if kind is int:
        return "integer" if all(-2**31 <= int(v) < 2**31 for v in values) else "long"  # type: ignore[call-overload]
    return {float: "double", str: "string"}[kind]


def write_gexf(nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]], fh: BinaryIO) -> None:
    """GEXF 1.3 (http://gexf.net/1.3): a directed static graph, every attribute declared with its type, no
    empty attribute values, and no `name` on <graph> (networkx's writer emits 1.2draft with `name=""`,
    which the schema rejects). `nodes` are (id, flat attributes), `edges` (source, target, attributes)."""
    import xml.etree.ElementTree as ET

    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                               "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "conflict-kg"
    ET.SubElement(meta, "description").text = "actors, places, weapons, events and canonical attacks of news articles"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static", "idtype": "string"})
    ids: dict[str, dict[str, str]] = {}
    for cls, fields, rows in (("node", NODE_FIELDS, [a for _n, a in nodes]), ("edge", EDGE_FIELDS, [a for *_e, a in edges])):
        declared = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        ids[cls] = {}
        for name, kind in fields:
            if name == "label":  # GEXF's own label attribute
                continue
            values = [row[name] for row in rows if name in row]
            ids[cls][name] = str(len(ids[cls]))
            ET.SubElement(declared, "attribute", {"id": ids[cls][name], "title": name,
                                                  "type": _gexf_type(kind, values)})

    def attvalues(parent: ET.Element, cls: str, row: dict) -> None:
        values = [(ids[cls][k], v) for k, v in row.items() if k in ids[cls] and v != ""]
        if values:
            holder = ET.SubElement(parent, "attvalues")
            for key, v in values:
                ET.SubElement(holder, "attvalue", {"for": key, "value": repr(v) if isinstance(v, float) else str(v)})

    node_list = ET.SubElement(graph, "nodes")
    for n, row in nodes:
        attvalues(ET.SubElement(node_list, "node", {"id": _xml_text(n), "label": str(row["label"])}), "node", row)
    edge_list = ET.SubElement(graph, "edges")
    for i, (u, v, row) in enumerate(edges):
        attvalues(ET.SubElement(edge_list, "edge", {"id": str(i), "source": _xml_text(u), "target": _xml_text(v),
                                                    "label": str(row["label"])}), "edge", row)
    ET.indent(root)
    ET.ElementTree(root).write(fh, encoding="utf-8", xml_declaration=True)


def export(g: nx.MultiDiGraph, path: str | Path) -> None:
    """Write GraphML or GEXF 1.3 (by extension) for Gephi and Cytoscape, atomically.

    Nodes carry NODE_FIELDS: counts as integers (a canonical attack's figures; an article event's when one
    thing is counted by one claimant), coordinates as doubles, all only where known."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".graphml", ".gexf"):
        raise ValueError(f"{path}: unknown network format '{suffix or '(none)'}'; use .graphml or .gexf")
    labels = {n: a["label"] for n, a in g.nodes(data=True)}
    nodes = [(n, flat_node(a, labels)) for n, a in g.nodes(data=True)]
    edges = [(u, v, {"label": _xml_text(a["label"]), "basis": _xml_text(a.get("basis") or "")})
             for u, v, a in g.edges(data=True)]
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ValueError(f"{path}: folder {directory} does not exist")
    if suffix == ".gexf":
        atomic_write(path, lambda fh: write_gexf(nodes, edges, fh))
        return
    flat = nx.MultiDiGraph()
    flat.add_nodes_from((_xml_text(n), a) for n, a in nodes)
    for i, (u, v, a) in enumerate(edges):
        flat.add_edge(_xml_text(u), _xml_text(v), key=i, **a)
    atomic_write(path, lambda fh: nx.write_graphml(flat, fh))
