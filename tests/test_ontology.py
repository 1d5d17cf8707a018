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


PROV_DERIVED = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
ALIGN = "https://w3id.org/conflict-kg/align/"


def test_no_derivation_or_identity_claims_in_the_ontology():
    g = rdflib.Graph().parse(ontology_dir() / "ckg.ttl", format="turtle")
    supers = {(s, o) for s, o in g.subject_objects(RDFS.subPropertyOf)}
    assert not {o for _s, o in supers} & {PROV_DERIVED, rdflib.OWL.sameAs}
    assert (CKG.Target, RDFS.subClassOf, SEM.Object) not in g
    for p in (CKG.wikidata, CKG.geonames):
        assert (p, RDF.type, rdflib.OWL.AnnotationProperty) in g


def test_every_alignment_code_is_a_labelled_codebook_entry():
    """skos mapping targets are codes the codebooks have (no plover:ATTACK), each with its codebook label."""
    g = rdflib.Graph().parse(ontology_dir() / "ckg.ttl", format="turtle")
    mappings = (SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch, SKOS.exactMatch)
    targets = {o for p in mappings for o in g.objects(None, p) if str(o).startswith(ALIGN)}
    assert targets and all(g.value(t, SKOS.prefLabel) is not None for t in targets), \
        sorted(t for t in targets if g.value(t, SKOS.prefLabel) is None)
    cameo = rdflib.Namespace(ALIGN + "cameo/")
    assert (CKG.PhoneCall, SKOS.closeMatch, cameo["041"]) in g
    assert {cameo["043"], cameo["044"], cameo["046"]} <= set(g.objects(CKG.Meeting, SKOS.narrowMatch))
    plover = {str(o) for p in mappings for o in g.objects(None, p) if "/plover/" in str(o)}
    assert plover <= {ALIGN + "plover/" + c for c in ("ASSAULT", "CONSULT", "MOBILIZE", "COERCE", "ACCUSE", "AGREE")}
    assert not any("plover" in str(o) for o in g.objects(CKG.Statement, None))


def test_one_meaning_for_the_gn_prefix():
    from kg.output import PREFIXES
    g = rdflib.Graph().parse(ontology_dir() / "ckg.ttl", format="turtle")
    ns = dict(g.namespaces())
    assert str(ns["gn"]) == PREFIXES["gn"] == "http://www.geonames.org/ontology#"
    assert PREFIXES["geonames"] == "https://sws.geonames.org/"


def test_built_graph_follows_web_annotation(seed_graph):
    data = rdflib.Dataset()
    data.parse(seed_graph, format="trig")
    g = rdflib.Graph()
    for s, p, o, _c in data.quads((None, None, None, None)):
        g.add((s, p, o))
    mentions = set(g.subjects(RDF.type, CKG.Mention))
    assert len(mentions) > 50
    for m in mentions:
        selectors = set(g.objects(m, OA.hasSelector))
        kinds = sorted(str(k).rsplit("#", 1)[1] for s in selectors for k in g.objects(s, RDF.type))
        assert kinds == ["TextPositionSelector", "TextQuoteSelector"], (m, kinds)
        annotations = set(g.subjects(OA.hasTarget, m))
        assert len(annotations) == 1 and (next(iter(annotations)), RDF.type, OA.Annotation) in g
        assert set(g.objects(next(iter(annotations)), OA.hasBody)) == set(g.subjects(CKG.evidence, m))
    offsets = list(g.objects(None, OA.start)) + list(g.objects(None, OA.end))
    assert offsets and {o.datatype for o in offsets} == {XSD.nonNegativeInteger}


def test_entities_carry_their_schema_type_and_claims_are_views(seed_graph):
    data = rdflib.Dataset()
    data.parse(seed_graph, format="trig")
    g = rdflib.Graph()
    for s, p, o, _c in data.quads((None, None, None, None)):
        g.add((s, p, o))
    schema = rdflib.Namespace("https://schema.org/")
    for ours, theirs in ((CKG.Person, schema.Person), (CKG.Place, schema.Place), (CKG.Country, schema.Country),
                         (CKG.Organization, schema.Organization)):
        members = set(g.subjects(RDF.type, ours))
        assert members and members <= set(g.subjects(RDF.type, theirs))
    assert not list(g.subject_objects(SEM.accordingTo)) or all(
        (v, RDF.type, SEM.View) in g for v in g.subjects(SEM.accordingTo, None))
    claimed = {g.value(v, RDF.subject) for v in g.subjects(RDF.type, SEM.View)}
    assert claimed & set(g.subjects(RDF.type, CKG.Quantity))
    assert claimed & set(g.subjects(RDF.type, CKG.Statement))


def test_shacl_catches_a_merged_selector_and_a_bare_claim(seed_graph):
    data = rdflib.Dataset()
    data.parse(seed_graph, format="trig")
    g = next(g for g in data.graphs() if str(g.identifier).endswith("seed_kyiv_2025_07_04"))
    broken = rdflib.Graph()
    for t in g:
        broken.add(t)
    sel = next(broken.subjects(RDF.type, OA.TextPositionSelector))
    broken.add((sel, RDF.type, OA.TextQuoteSelector))
    conforms, _text = _validate(broken)
    assert not conforms
    broken.remove((sel, RDF.type, OA.TextQuoteSelector))
    q = next(broken.subjects(RDF.type, CKG.Quantity))
    broken.add((q, SEM.accordingTo, next(broken.subjects(RDF.type, CKG.Person))))
    conforms, text = _validate(broken)
    assert not conforms and "accordingTo" in text


def test_jsonld_has_a_compact_context_and_the_same_statements(seed_graph, tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path
    seed = Path(__file__).resolve().parent.parent / "data" / "seed_kyiv_2025_07_04.txt"
    out = tmp_path / "seed.jsonld"
    subprocess.run([sys.executable, "-m", "kg", "build", str(seed), "-o", str(out)], check=True, capture_output=True)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"]["@vocab"] == OURS and doc["@context"]["oa"] == str(OA)
    text = out.read_text(encoding="utf-8")
    assert '"evidence"' in text and '"prefLabel"' in text and "https://w3id.org/conflict-kg/ontology#evidence" not in text
    a = rdflib.Dataset()
    a.parse(out, format="json-ld")
    b = rdflib.Dataset()
    b.parse(seed_graph, format="trig")
    assert set(a.quads((None, None, None, None))) == set(b.quads((None, None, None, None)))
