"""The ontology parses and documents every term; built graphs use only declared terms and pass SHACL."""
from __future__ import annotations

import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

from kg.lexicon import ontology_dir

CKG = rdflib.Namespace("https://w3id.org/conflict-kg/ontology#")
OURS = "https://w3id.org/conflict-kg/ontology#"
STANDARD = ("http://www.w3.org/", "http://semanticweb.cs.vu.nl/2009/11/sem/", "https://schema.org/",
            "http://purl.org/dc/terms/", "https://w3id.org/conflict-kg/")


def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for name in ("ckg.ttl", "weapons.ttl", "objects.ttl", "places.ttl", "actors.ttl", "countries.ttl"):
        g.parse(ontology_dir() / name, format="turtle")
    return g


def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def test_every_ontology_term_has_label_and_comment():
    g = rdflib.Graph().parse(ontology_dir() / "ckg.ttl", format="turtle")
    terms = {s for s in g.subjects(RDF.type, None) if str(s).startswith(OURS)}
    assert len(terms) > 40
    missing = [t for t in terms if g.value(t, RDFS.label) is None or g.value(t, RDFS.comment) is None]
    assert missing == []


def test_event_types_align_to_acled_cameo_plover():
    g = rdflib.Graph().parse(ontology_dir() / "ckg.ttl", format="turtle")
    matches = {str(o) for o in g.objects(CKG.Attack, SKOS.closeMatch)}
    assert any("acled" in m for m in matches) and any("cameo" in m for m in matches) and any("plover" in m for m in matches)


def test_weapon_hierarchy():
    g = ontology()
    kgw = rdflib.Namespace("https://w3id.org/conflict-kg/weapon/")
    assert (kgw["shahed-136"], SKOS.broader, kgw["attack-drone"]) in g
    assert (kgw["attack-drone"], SKOS.broader, kgw.drone) in g
    assert (kgw["kh-101"], SKOS.broader, kgw["cruise-missile"]) in g
    assert (kgw["cruise-missile"], SKOS.broader, kgw.missile) in g
    assert rdflib.Literal("Geran-2", lang="en") in set(g.objects(kgw["shahed-136"], SKOS.altLabel))


def test_built_graph_uses_only_declared_terms(sample_graph):
    data = rdflib.Dataset()
    data.parse(sample_graph, format="trig")
    declared = set(ontology().subjects())
    used = set()
    for s, p, o, _g in data.quads((None, None, None, None)):
        used.add(p)
        if p == RDF.type:
            used.add(o)
    ours = {t for t in used if str(t).startswith(OURS)}
    assert ours and ours <= declared, sorted(ours - declared)
    assert all(str(t).startswith(STANDARD) for t in used), sorted(t for t in used if not str(t).startswith(STANDARD))


def _validate(graph: rdflib.Graph) -> tuple[bool, str]:
    conforms, _report, text = pyshacl.validate(graph, shacl_graph=shapes(), inference="none")
    return conforms, text


def test_sample_graph_passes_shacl(sample_graph):
    data = rdflib.Dataset()
    data.parse(sample_graph, format="trig")
    graphs = [g for g in data.graphs() if len(g) and str(g.identifier).startswith("https://w3id.org/conflict-kg/article/")]
    assert len(graphs) >= 7
    for g in graphs:
        conforms, text = _validate(g)
        assert conforms, f"{g.identifier}:\n{text}"


def test_shacl_catches_a_broken_quantity(seed_graph):
    data = rdflib.Dataset()
    data.parse(seed_graph, format="trig")
    g = next(g for g in data.graphs() if str(g.identifier).endswith("seed_kyiv_2025_07_04"))
    broken = rdflib.Graph()
    for t in g:
        broken.add(t)
    q = next(broken.subjects(RDF.type, CKG.Quantity))
    broken.remove((q, CKG.value, None))
    broken.add((q, CKG.value, rdflib.Literal("many")))
    conforms, text = _validate(broken)
    assert not conforms and "value" in text
