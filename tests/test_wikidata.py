"""Wikidata links in the lexicons (issue 11): well formed, one concept each, backed by recorded evidence
(ontology/wikidata_sources.tsv), and carried into built graphs."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import rdflib

from kg.query import load_graph, run_query
from tests.conftest import run_kg

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
CKG = rdflib.Namespace("https://w3id.org/conflict-kg/ontology#")
WD = "http://www.wikidata.org/entity/"
ITEM = re.compile(r"Q[1-9][0-9]*")
SKOS_PREF = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
EVIDENCE = ONTOLOGY / "wikidata_sources.tsv"
# Links made before evidence was recorded. Re-checking one turns it 'verified' (or removes it); this ceiling only
# goes down, so no new link can enter without two recorded sources.
LEGACY_CEILING = 11


def _links() -> list[tuple[str, rdflib.term.Node, rdflib.term.Node]]:
    """(file, concept, wikidata value) for every ckg:wikidata statement in the ontology's Turtle files."""
    out = []
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        g = rdflib.Graph().parse(path)
        out += [(path.name, s, o) for s, o in g.subject_objects(CKG.wikidata)]
    return out


def _evidence() -> tuple[dict[str, str], list[tuple[str, str, str, list[str]]]]:
    """(source key -> where, [(status, concept IRI, QID, source keys)]) read from wikidata_sources.tsv."""
    sources: dict[str, str] = {}
    links: list[tuple[str, str, str, list[str]]] = []
    for n, line in enumerate(EVIDENCE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "source":
            assert len(fields) == 4 and fields[1] not in sources, f"wikidata_sources.tsv:{n}: bad source line"
            sources[fields[1]] = fields[2]
        else:
            assert fields[0] == "link" and len(fields) == 7, f"wikidata_sources.tsv:{n}: bad line"
            keys = fields[4].split(",")
            assert len(set(keys)) == len(keys), f"wikidata_sources.tsv:{n}: a source counted twice"
            links.append((fields[1], fields[2], fields[3], keys))
    return sources, links


def test_every_link_in_the_lexicons_has_its_evidence_row_and_no_row_is_stale():
    """A link without evidence, or evidence for a link since removed or changed, both fail."""
    in_ttl = {(str(s), str(o)[len(WD):]) for _f, s, o in _links()}
    in_tsv = [(iri, qid) for _st, iri, qid, _k in _evidence()[1]]
    assert len(in_tsv) == len(set(in_tsv)), "a link is listed twice"
    assert not in_ttl - set(in_tsv), sorted(in_ttl - set(in_tsv))  # linked without evidence
    assert not set(in_tsv) - in_ttl, sorted(set(in_tsv) - in_ttl)  # evidence for a link that no longer exists


def test_verified_links_rest_on_two_recorded_sources():
    """Verified links name two defined sources; legacy ones admit their missing evidence."""
    sources, links = _evidence()
    assert {status for status, *_ in links} <= {"verified", "legacy"}
    for status, iri, qid, keys in links:
        assert set(keys) <= set(sources), (iri, qid, set(keys) - set(sources))
        if status == "verified":
            assert "unrecorded" not in keys and len(keys) >= 2, (iri, qid, keys)
        else:
            assert "unrecorded" in keys, (iri, qid, keys)


def test_legacy_links_only_go_down_and_every_source_is_used():
    """The ratchet on legacy links, and no source listed that no link uses."""
    sources, links = _evidence()
    assert sum(status == "legacy" for status, *_ in links) <= LEGACY_CEILING
    used = {k for *_rest, keys in links for k in keys}
    assert used == set(sources), set(sources) ^ used


def test_every_wikidata_id_is_a_well_formed_item_iri():
    links = _links()
    assert len(links) >= 100  # countries, actors and places are linked, not a token few
    bad = [(f, str(s), str(o)) for f, s, o in links
           if not isinstance(o, rdflib.URIRef) or not str(o).startswith(WD) or not ITEM.fullmatch(str(o)[len(WD):])]
    assert not bad, bad


def test_no_wikidata_id_is_shared_by_two_concepts():
    by_id: dict[str, set[str]] = defaultdict(set)
    for _f, s, o in _links():
        by_id[str(o)].add(str(s))
    shared = {qid: sorted(subjects) for qid, subjects in by_id.items() if len(subjects) > 1}
    assert not shared, shared


def test_no_concept_has_two_wikidata_ids():
    by_concept: dict[str, set[str]] = defaultdict(set)
    for _f, s, o in _links():
        by_concept[str(s)].add(str(o))
    assert not {s: ids for s, ids in by_concept.items() if len(ids) > 1}


def test_linked_concepts_are_lexicon_entries():
    # an id on a misspelt subject would link nothing: every linked concept has a preferred label
    labelled = set()
    for path in ONTOLOGY.glob("*.ttl"):
        g = rdflib.Graph().parse(path)
        labelled |= {str(s) for s in g.subjects(SKOS_PREF, None)}
    assert not [str(s) for _f, s, _o in _links() if str(s) not in labelled]


def test_a_built_graph_carries_the_ids_of_the_entities_it_names(tmp_path):
    src = tmp_path / "note.txt"
    src.write_text("---\ndate: 2025-03-02\n---\nIn Tehran, officials said the talks with envoys in Doha "
                   "would resume, while Xi Jinping called for calm.\n", encoding="utf-8")
    out = tmp_path / "g.trig"
    run_kg("build", str(src), "-o", str(out), "--no-vocabulary", check=True)
    rows = run_query(load_graph(out), "SELECT DISTINCT ?label ?wd WHERE { GRAPH ?g { ?e ckg:wikidata ?wd ; "
                                      "skos:prefLabel ?label } }")
    found = {r["label"].value: r["wd"].value for r in rows}
    assert found.get("Tehran") == WD + "Q3616"
    assert found.get("Xi Jinping") == WD + "Q15031"
