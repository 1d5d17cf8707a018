"""`kg serve` as clients use it beyond the W3C manifests: blank nodes, empty patterns, content negotiation
with SPARQLWrapper, CONSTRUCT formats, CORS, /health, the request log, FROM, the Graph Store with `kg push`,
a store locked or changed by another writer."""
from __future__ import annotations

import http.client
import json
import re
import time
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.conftest import Served as ServedBase, run_kg, small_store

TOKEN = "c0nformance-token"
EX = "http://example.org/"


class Served(ServedBase):
    def get(self, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def query(self, sparql: str, accept: str = "application/sparql-results+json", extra: str = ""):
        return self.get(f"/query?query={quote(sparql)}{extra}", {"Accept": accept})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return small_store(tmp_path_factory.mktemp("conformance") / "store")


@pytest.fixture(scope="module")
def server(store):
    s = Served(store, "--cors", "--write-token", TOKEN)
    yield s
    s.stop()


def test_blank_nodes_stay_blank_nodes(server):
    q = "SELECT ?b ?c WHERE { BIND(BNODE('x') AS ?b) BIND(BNODE('y') AS ?c) }"
    status, headers, body = server.query(q)
    row = json.loads(body)["results"]["bindings"][0]
    assert status == 200 and row["b"]["type"] == "bnode" and row["c"]["type"] == "bnode"
    assert row["b"]["value"] != row["c"]["value"]
    _, _, xml = server.query(q, "application/sparql-results+xml")
    assert xml.count(b"<bnode>") == 2 and b"urn:x-blank" not in xml
    _, _, tsv = server.query(q, "text/tab-separated-values")
    assert tsv.decode().splitlines()[1].startswith("_:")


def test_empty_patterns(server):
    status, _, body = server.query("SELECT * WHERE { FILTER(false) }")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = server.query("SELECT * {}")
    assert status == 200 and json.loads(body) == {"head": {"vars": []}, "results": {"bindings": [{}]}}


def test_sparql_results_json_is_labelled_as_such(server):
    status, headers, _ = server.query("SELECT ?x { BIND(1 AS ?x) }", accept="application/json")
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"


def test_the_format_parameter_does_not_override_an_accept_we_can_serve(server):
    status, headers, body = server.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }} LIMIT 2",
                                         accept="application/rdf+xml", extra="&format=xml")
    assert status == 200 and headers["content-type"] == "application/rdf+xml"
    status, headers, _ = server.query("ASK {}", accept="*/*", extra="&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")


def test_sparqlwrapper_defaults(server):
    w = SPARQLWrapper(server.url + "/query")
    w.setQuery(f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ GRAPH ?g {{ ?s <{EX}p1> ?o }} }} LIMIT 3")
    graph = w.queryAndConvert()  # SPARQLWrapper's default: format=xml and an RDF/XML Accept
    assert isinstance(graph, rdflib.Graph) and len(graph) == 3
    w = SPARQLWrapper(server.url + "/query")
    w.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}g2> {{ ?s ?p ?o }} }}")
    w.setReturnFormat(JSON)
    assert w.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "666"


@pytest.mark.parametrize("media", ["application/ld+json", "application/n-quads", "application/trig",
                                   "text/turtle", "application/n-triples"])
def test_construct_formats(server, media):
    q = f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ GRAPH <{EX}g0> {{ ?s <{EX}p0> ?o }} }}"
    status, headers, body = server.query(q, accept=media)
    assert status == 200 and headers["content-type"].split(";")[0] == media
    triples = list(ox.parse(body, format=ox.RdfFormat.from_media_type(media)))
    assert len(triples) == len(range(0, 2000, 21))  # i % 7 == 0 and i % 3 == 0


def test_from_and_from_named_are_honoured(server):
    count = "SELECT (COUNT(*) AS ?n) {frm} WHERE {{ ?s ?p ?o }}"
    n = lambda body: int(json.loads(body)["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert n(server.query(count.format(frm=""))[2]) == 2000  # no dataset named: the union of all graphs
    assert n(server.query(count.format(frm=f"FROM <{EX}g1>"))[2]) == 667
    assert n(server.query(count.format(frm=f"FROM <{EX}g1> FROM <{EX}g2>"))[2]) == 1333
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{EX}g0> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert n(server.query(named)[2]) == 667
    status, _, body = server.query(count.format(frm=""), extra=f"&default-graph-uri={quote(EX + 'g2')}")
    assert n(body) == 666


def test_cors(server, store):
    status, headers, _ = server.query("ASK {}")
    assert headers["access-control-allow-origin"] == "*"
    status, headers, _ = server.get("/query", {"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "content-type"}, method="OPTIONS")
    assert status == 204 and headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"] and "content-type" in headers["access-control-allow-headers"].lower()
    status, headers, page = server.get("/", {"Accept": "text/html"})
    assert status == 200 and b"<textarea" in page and headers["content-type"].startswith("text/html")
    plain = Served(store)
    try:
        _, headers, _ = plain.query("ASK {}")
        assert "access-control-allow-origin" not in headers
    finally:
        plain.stop()


def test_health_server_header_and_log(server):
    status, headers, body = server.get("/health")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok" and health["query_processes"] >= 1
    assert "python" not in headers["server"].lower() and headers["server"] == "conflict-kg"
    server.query("ASK { FILTER(false) }")
    server.get("/nowhere")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any('"GET /nowhere" 404' in line for line in server.log):
        time.sleep(0.05)
    lines = [line for line in server.log if '"GET /' in line]
    assert any(re.search(r'"GET /query" 200 \d+ [0-9.]+ms$', line) for line in lines), lines
    assert any('"GET /nowhere" 404' in line for line in lines)


def test_graph_store_needs_the_token(server):
    g = quote(EX + "gsp-token", safe="")
    body = f"<{EX}a> <{EX}b> <{EX}c> .".encode()
    assert server.get(f"/store?graph={g}", {"Content-Type": "text/turtle"}, "PUT", body)[0] == 403
    assert server.get(f"/store?graph={g}", {"Content-Type": "text/turtle", "Authorization": "Bearer wrong"}, "PUT", body)[0] == 403
    assert server.get(f"/store?graph={g}")[0] == 404
    auth = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
    assert server.get(f"/store?graph={g}", auth, "PUT", body)[0] == 201
    status, headers, _ = server.get(f"/store?graph={g}", method="HEAD")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert server.get(f"/store?graph={g}", auth, "DELETE")[0] == 204
    assert server.get(f"/store?graph={g}")[0] == 404


def test_kg_push_into_kg_serve(server, tmp_path):
    graph = tmp_path / "pushed.trig"
    graph.write_text(f"<{EX}pushed/a1> {{ <{EX}x> <{EX}y> \"one\" . }}\n<{EX}pushed/a2> {{ <{EX}x> <{EX}y> \"two\" . }}\n")
    proc = run_kg("push", str(graph), "--endpoint", server.url + "/store", "--token", TOKEN, "--no-vocabulary")
    assert proc.returncode == 0, proc.stderr
    status, _, body = server.query(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ <{EX}x> <{EX}y> ?o }} }} ORDER BY ?o")
    rows = [(b["g"]["value"], b["o"]["value"]) for b in json.loads(body)["results"]["bindings"]]
    assert rows == [(f"{EX}pushed/a1", "one"), (f"{EX}pushed/a2", "two")]
    refused = run_kg("push", str(graph), "--endpoint", server.url + "/store", "--no-vocabulary")
    assert refused.returncode != 0 and "403" in refused.stderr


def test_a_store_locked_by_another_writer(tmp_path):
    path = small_store(tmp_path / "store")
    s = Served(path, "--write-token", TOKEN)
    try:
        writer = ox.Store(str(path))  # as `kg add` holds it
        try:
            status, _, body = s.get("/update", {"Content-Type": "application/sparql-update",
                                                "Authorization": f"Bearer {TOKEN}"}, "POST", b"CLEAR ALL")
            assert status == 503 and b"kg add" in body and body.count(b"\n") == 1
            assert b"IO error" not in body and b"LOCK" not in body
            assert s.query("ASK { ?s ?p ?o }")[0] == 200  # reading goes on
        finally:
            del writer
    finally:
        s.stop()


def test_writes_by_another_process_are_seen(tmp_path):
    path = small_store(tmp_path / "store")
    s = Served(path)
    try:
        ask = f"ASK {{ GRAPH <{EX}later> {{ ?s ?p ?o }} }}"
        assert json.loads(s.query(ask)[2])["boolean"] is False
        writer = ox.Store(str(path))  # as `kg add` does, while the server runs
        writer.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(1), ox.NamedNode(EX + "later")))
        writer.flush()
        del writer
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not json.loads(s.query(ask)[2])["boolean"]:
            time.sleep(0.2)
        assert json.loads(s.query(ask)[2])["boolean"] is True
    finally:
        s.stop()
