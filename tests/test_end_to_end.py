"""Build the seed article with the real command line and check the facts through SPARQL."""
from __future__ import annotations

import csv
import io

from kg.query import load_graph, run_query
from tests.conftest import run_kg

P = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX kgk: <https://w3id.org/conflict-kg/kind/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def ask(graph, body: str) -> bool:
    return bool(run_query(load_graph(graph), P + "ASK { " + body + " }"))


def test_launched_at_kyiv(seed_graph):
    for value, weapon in ((539, "drone"), (11, "missile")):
        assert ask(seed_graph, f"""?q ckg:kind kgk:launched ; ckg:value {value} ;
            ckg:weapon/skos:prefLabel "{weapon}"@en ; ckg:place/skos:prefLabel "Kyiv"@en .""")


def test_intercepted_killed_injured(seed_graph):
    assert ask(seed_graph, "?q ckg:kind kgk:intercepted ; ckg:value 478 .")
    assert ask(seed_graph, '?q ckg:kind kgk:killed ; ckg:value 1 ; ckg:place/skos:prefLabel "Kyiv"@en .')
    assert ask(seed_graph, '?q ckg:kind kgk:injured ; ckg:value 23 ; ckg:place/skos:prefLabel "Kyiv"@en .')
    assert ask(seed_graph, '?q ckg:kind kgk:killed ; ckg:value 5 ; ckg:place/skos:prefLabel "Pokrovsk"@en .')


def test_attack_on_kyiv_by_russia_dated(seed_graph):
    assert ask(seed_graph, """?e a ckg:Attack ; ckg:place/skos:prefLabel "Kyiv"@en ;
        ckg:attacker/skos:prefLabel "Russia"@en ; ckg:date "2025-07-04"^^<http://www.w3.org/2001/XMLSchema#date> ;
        ckg:quantity/ckg:value 539 .""")


def test_polish_consular_office_damaged(seed_graph):
    assert ask(seed_graph, """?attack a ckg:Attack ; ckg:place/skos:prefLabel "Kyiv"@en ; ckg:target ?t .
        ?t ckg:owner/skos:prefLabel "Poland"@en ; rdfs:label ?label ;
           ckg:objectType/skos:prefLabel "diplomatic building"@en .
        FILTER(CONTAINS(?label, "consular office"))""")


def test_trump_putin_call(seed_graph):
    assert ask(seed_graph, """?e a ckg:Communication , ckg:PhoneCall ;
        ckg:participant/skos:prefLabel "Donald Trump"@en ; ckg:participant/skos:prefLabel "Vladimir Putin"@en .""")


def test_hilchenko_quote(seed_graph):
    assert ask(seed_graph, """?q a ckg:Quote ; ckg:speaker/skos:prefLabel "Maria Hilchenko"@en ; ckg:text ?t .
        FILTER(STRSTARTS(?t, "I woke up to the sound of buzzing drones"))""")


def test_every_node_traces_to_its_sentence(seed_graph):
    text = open(__file__.replace("tests/test_end_to_end.py", "data/seed_kyiv_2025_07_04.txt"), encoding="utf-8").read()
    body = text.split("---\n", 2)[2]
    rows = run_query(load_graph(seed_graph), P + """SELECT ?start ?end ?exact WHERE {
        ?m a ckg:Mention ; oa:hasSelector ?s , ?t . ?s oa:start ?start ; oa:end ?end . ?t oa:exact ?exact }""")
    rows = [(int(r["start"].value), int(r["end"].value), r["exact"].value) for r in rows]
    assert len(rows) > 50
    assert all(body[a:b] == exact for a, b, exact in rows)


def test_named_questions_contract_columns(seed_graph):
    expected = {
        "entities": ["source", "entity", "category", "label"],
        "quantities": ["source", "event", "kind", "value", "weapon", "place", "object"],
        "events": ["source", "event", "type", "place", "date", "participant"],
        "quotes": ["source", "speaker", "quote"],
    }
    for name, columns in expected.items():
        out = run_kg("query", str(seed_graph), name, "--format", "csv", check=True).stdout
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == columns, name
        assert len(rows) > 2 and all(r[0] == "seed_kyiv_2025_07_04" for r in rows[1:])
    cats = {r[2] for r in csv.reader(io.StringIO(run_kg("query", str(seed_graph), "entities", "--format", "csv").stdout))}
    assert cats - {"category"} == {"person", "organization", "country", "place", "weapon"}


def test_interception_is_an_event_of_the_attack(seed_graph):
    assert ask(seed_graph, """?i a ckg:Interception ; <http://semanticweb.cs.vu.nl/2009/11/sem/subEventOf> ?attack ;
        ckg:interceptor/skos:prefLabel "Ukraine"@en .
        ?attack a ckg:Attack ; ckg:quantity ?q . ?q ckg:kind kgk:intercepted ; ckg:value 478 .""")
