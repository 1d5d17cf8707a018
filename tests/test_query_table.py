"""`kg query --format table`: labels instead of IRIs, never cutting what tells rows apart (issue 9)."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kg.query import format_results, run_query
from kg.table import ELLIPSIS, cut_middle, fit_column, lookup_labels, short_form
from tests.conftest import run_kg

KGP = "https://w3id.org/conflict-kg/place/"
EV = "https://w3id.org/conflict-kg/event/"
SKOS = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS = "http://www.w3.org/2000/01/rdf-schema#label"
NAME = "https://schema.org/name"
HIT = "https://w3id.org/conflict-kg/ontology#place"
G = ox.NamedNode("urn:x-test:g")


def _store(statements: list[tuple[str, str, object]]) -> ox.Store:
    """A store of invented statements in one named graph (strings starting with http are IRIs)."""
    store = ox.Store()
    for s, p, o in statements:
        obj = ox.NamedNode(o) if isinstance(o, str) and o.startswith(("http", "urn:")) else ox.Literal(o)
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, G))
    return store


def _table(store: ox.Store, sparql: str, iris: bool = False) -> list[str]:
    return format_results(run_query(store, sparql), "table", store=store, iris=iris).decode().splitlines()


def _column(lines: list[str], header: str) -> list[str]:
    """The cells of one column of a table, by the header's position (rows only)."""
    start = lines[0].index(header)
    rule = lines[1]
    end = rule.find(" ", start)
    return [ln[start:end if end != -1 else None].rstrip() for ln in lines[2:-1]]


# Two invented towns that share a name, one labelled place, one known only by rdfs:label, one by schema:name
TOWNS = [
    (f"{KGP}harlowe-north", SKOS, "Harlowe"),
    (f"{KGP}harlowe-south", SKOS, "Harlowe"),
    (f"{KGP}vessmark", SKOS, "Vessmark"),
    (f"{KGP}vessmark", RDFS, "vessmark (old label)"),
    (f"{KGP}orrin-ford", RDFS, "Orrin Ford"),
    (f"{KGP}tallow-reach", NAME, "Tallow Reach"),
    (f"{EV}strike-1", HIT, f"{KGP}harlowe-north"),
    (f"{EV}strike-2", HIT, f"{KGP}harlowe-south"),
    (f"{EV}strike-3", HIT, f"{KGP}vessmark"),
    (f"{EV}strike-4", HIT, f"{KGP}orrin-ford"),
    (f"{EV}strike-5", HIT, f"{KGP}tallow-reach"),
    (f"{EV}strike-6", HIT, f"{KGP}nameless-bend"),
    (f"{EV}strike-7", HIT, "urn:x-test:place:outside"),
]
PLACES_QUERY = "SELECT ?e ?place WHERE { ?e ckg:place ?place } ORDER BY ?e"


def test_iri_cells_show_labels_in_order_of_preference():
    lines = _table(_store(TOWNS), PLACES_QUERY)
    places = _column(lines, "place")
    assert places[2] == "Vessmark"  # skos:prefLabel wins over rdfs:label
    assert places[3] == "Orrin Ford"  # rdfs:label when there is no prefLabel
    assert places[4] == "Tallow Reach"  # schema:name last
    assert places[5] == "kgp:nameless-bend"  # no label: prefixed name
    assert places[6] == "urn:x-test:place:outside"  # no label, no prefix: the IRI
    assert not any("https://" in c for c in places)
    assert lines[-1] == "(7 rows)"


def test_two_nodes_with_one_label_are_told_apart():
    places = _column(_table(_store(TOWNS), PLACES_QUERY), "place")
    assert places[:2] == ["Harlowe (kgp:harlowe-north)", "Harlowe (kgp:harlowe-south)"]


def test_the_same_node_twice_keeps_its_plain_label():
    store = _store(TOWNS + [(f"{EV}strike-8", HIT, f"{KGP}vessmark")])
    places = _column(_table(store, PLACES_QUERY), "place")
    assert places.count("Vessmark") == 2


def test_an_unlabelled_iri_equal_to_a_literal_shows_the_whole_iri():
    store = _store([(f"{EV}a", HIT, f"{KGP}fenwick"), (f"{EV}b", HIT, "kgp:fenwick")])
    places = _column(_table(store, PLACES_QUERY), "place")
    assert sorted(places) == [f"<{KGP}fenwick>", "kgp:fenwick"]


def test_iris_option_shows_the_iris():
    lines = _table(_store(TOWNS), PLACES_QUERY, iris=True)
    assert _column(lines, "place")[0] == f"{KGP}harlowe-north"
    assert "Harlowe" not in "\n".join(lines)


def test_labels_come_from_one_batched_query():
    store = _store(TOWNS)

    class Counting:
        """The store, counting the queries that reach it."""

        def __init__(self) -> None:
            self.calls: list[str] = []

        def query(self, sparql: str, **kwargs):
            self.calls.append(sparql)
            return store.query(sparql, **kwargs)

    counting = Counting()
    format_results(run_query(store, PLACES_QUERY), "table", store=counting)
    assert len(counting.calls) == 1 and "VALUES" in counting.calls[0]


def test_lookup_prefers_english_or_untagged_labels():
    store = ox.Store()
    node = ox.NamedNode(f"{KGP}brask")
    store.add(ox.Quad(node, ox.NamedNode(SKOS), ox.Literal("Браск", language="uk"), G))
    store.add(ox.Quad(node, ox.NamedNode(SKOS), ox.Literal("Brask", language="en"), G))
    assert lookup_labels(store, [node.value, f"{KGP}none"]) == {node.value: "Brask"}


def test_long_cells_are_cut_in_the_middle_keeping_the_end():
    tails = [f"{EV}attack-2031-02-1{i}-the-long-named-settlement-of-somewhere-{i:03d}abc" for i in range(3)]
    store = _store([(t, HIT, f"{KGP}harlowe-north") for t in tails])
    lines = _table(store, "SELECT ?e WHERE { ?e ckg:place ?p } ORDER BY ?e", iris=True)
    cells = _column(lines, "e")
    assert len(set(cells)) == 3
    for cell, full in zip(cells, tails):
        assert ELLIPSIS in cell and len(cell) <= 60
        assert full.endswith(cell.split(ELLIPSIS)[1]) and full.startswith(cell.split(ELLIPSIS)[0])
        assert cell.endswith("abc") and full[-25:] in cell


def test_cells_are_not_cut_when_cutting_would_make_them_equal():
    a = "a" * 30 + "LEFT" + "z" * 60
    b = "a" * 30 + "RGHT" + "z" * 60
    c = "q" * 100
    assert cut_middle(a, 60) == cut_middle(b, 60)  # the premise: a plain cut would merge them
    assert fit_column([a, b, c, a], 60) == [a, b, cut_middle(c, 60), a]


def test_short_form_uses_the_most_specific_prefix():
    assert short_form(f"{KGP}kestrel-hill") == "kgp:kestrel-hill"
    assert short_form("https://w3id.org/conflict-kg/ontology#Attack") == "ckg:Attack"
    assert short_form("urn:x-test:elsewhere") == "urn:x-test:elsewhere"


def test_control_characters_in_labels_are_escaped():
    store = _store([(f"{KGP}trap", SKOS, "Trap\x1b[31m\nTown\u202e"), (f"{EV}x", HIT, f"{KGP}trap")])
    text = "\n".join(_table(store, PLACES_QUERY))
    assert "\x1b" not in text and "\u202e" not in text
    assert "Trap\\x1b[31m\\nTown\\u202e" in text


def test_other_formats_keep_iris():
    store = _store(TOWNS)
    rows = list(csv.reader(io.StringIO(format_results(run_query(store, PLACES_QUERY), "csv", store=store).decode())))
    assert rows[1] == [f"{EV}strike-1", f"{KGP}harlowe-north"]
    data = json.loads(format_results(run_query(store, PLACES_QUERY), "json", store=store))
    assert data["results"]["bindings"][0]["place"]["value"] == f"{KGP}harlowe-north"


def test_command_line_table_and_iris(tmp_path):
    path = tmp_path / "towns.trig"
    _store(TOWNS).dump(str(path), format=ox.RdfFormat.TRIG)
    shown = run_kg("query", str(path), PLACES_QUERY, check=True).stdout
    assert "Harlowe (kgp:harlowe-north)" in shown and f"{KGP}harlowe" not in shown
    raw = run_kg("query", str(path), PLACES_QUERY, "--iris", check=True).stdout
    assert f"{KGP}harlowe-north" in raw and "Harlowe" not in raw


@pytest.fixture(scope="module")
def attacks(sample_graph) -> tuple[list[str], list[list[str]]]:
    table = run_kg("query", str(sample_graph), "attacks", check=True).stdout.splitlines()
    rows = list(csv.reader(io.StringIO(run_kg("query", str(sample_graph), "attacks", "--format", "csv",
                                              check=True).stdout)))
    return table, rows[1:]


def test_attacks_table_of_a_real_build_shows_distinct_labels(attacks):
    table, rows = attacks
    cells = _column(table, "attack")
    assert len(cells) == len(rows) >= 2
    assert not any("://" in c for c in cells)
    assert len(set(cells)) == len({r[0] for r in rows})  # one distinct cell per distinct canonical attack
    assert _column(table, "place") == [r[2] for r in rows]  # literal columns read as in csv


def test_attacks_table_with_iris_keeps_each_iri_end(sample_graph, attacks):
    _, rows = attacks
    table = run_kg("query", str(sample_graph), "attacks", "--iris", check=True).stdout.splitlines()
    cells = _column(table, "attack")
    assert len(set(cells)) == len({r[0] for r in rows})
    for cell, row in zip(cells, rows):
        assert row[0].endswith(cell.split(ELLIPSIS)[-1]) and len(cell.split(ELLIPSIS)[-1]) >= 20
