"""Query results as the server writes them, in-process: the row cap at its edges in every format (oxigraph's
own writer below the cap, ours above it), values that look like row separators, blank nodes, negotiation."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.server.jobs import run_query
from kg.server.results import negotiate, SELECT_TYPES, SPARQL_JSON

FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
# Values that hold what the row counter looks for: a JSON row separator, an XML row tag, line ends.
TRICKY = ['a},{b', '<result>', 'two\nlines', 'crlf\r\nhere', 'plain']


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    for i, value in enumerate(TRICKY):
        s.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/label"),
                      ox.Literal(value), ox.NamedNode("http://example.org/g")))
    return s


def rows(body: bytes, media: str) -> list[tuple]:
    if media == "text/csv":  # oxigraph does not read CSV results (the format is lossy)
        import csv
        import io
        return [tuple(r) for r in csv.reader(io.StringIO(body.decode(), newline=""))][1:]
    return [tuple(None if t is None else t.value for t in sol)
            for sol in ox.parse_query_results(body, format=FORMATS[media])]


@pytest.mark.parametrize("media", FORMATS)
@pytest.mark.parametrize("cap", [1, 4, 5, 6])
def test_the_row_cap_at_its_edges(store, media, cap):
    q = "SELECT ?s ?o WHERE { ?s <http://example.org/label> ?o } ORDER BY ?s"
    answer = run_query(store, {"sparql": q, "accept": media}, cap, False)
    assert answer.status == 200 and answer.media == media
    got = rows(answer.body, media)
    assert len(got) == min(cap, len(TRICKY)) and answer.truncated == (cap < len(TRICKY))
    assert [o for _, o in got] == TRICKY[:len(got)]


def test_tricky_values_survive_every_format(store):
    q = "SELECT ?o WHERE { ?s <http://example.org/label> ?o } ORDER BY ?s"
    for media in ("application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values"):
        answer = run_query(store, {"sparql": q, "accept": media}, 100, False)
        assert [r[0] for r in rows(answer.body, media)] == TRICKY, media


def test_blank_nodes_below_and_above_the_cap(store):
    q = "SELECT ?b WHERE { ?s ?p ?o BIND(BNODE() AS ?b) }"
    for cap in (2, 100):
        answer = run_query(store, {"sparql": q, "accept": SPARQL_JSON}, cap, False)
        parsed = list(ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON))
        assert parsed and all(isinstance(sol[0], ox.BlankNode) for sol in parsed)


def test_negotiation():
    assert negotiate("", "", SELECT_TYPES, SPARQL_JSON) == SPARQL_JSON
    assert negotiate("text/csv", "json", SELECT_TYPES, SPARQL_JSON) == "text/csv"  # Accept we serve wins
    assert negotiate("*/*", "csv", SELECT_TYPES, SPARQL_JSON) == "text/csv"  # format beats a wildcard
    assert negotiate("image/png", "tsv", SELECT_TYPES, SPARQL_JSON) == "text/tab-separated-values"
    assert negotiate("image/png", "", SELECT_TYPES, SPARQL_JSON) is None
    assert negotiate("text/csv;q=0.2, application/sparql-results+xml", "", SELECT_TYPES, SPARQL_JSON) == \
        "application/sparql-results+xml"
    assert negotiate("text/csv;q=0, */*;q=0.1", "", SELECT_TYPES, SPARQL_JSON) == SPARQL_JSON
