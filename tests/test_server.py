"""`kg serve` talked to with SPARQLWrapper, as a real client would, on a loopback port."""
from __future__ import annotations

import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from SPARQLWrapper import CSV, JSON, TURTLE, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.store import add_articles
from tests.conftest import DATA

TOKEN = "t0ken-for-tests"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    store = tmp_path_factory.mktemp("served") / "store"
    add_articles([DATA], store, workers=1)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
                             "--timeout", "2", "--max-rows", "50", "--write-token", TOKEN],
                            stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line
    yield f"http://127.0.0.1:{m.group(1)}"
    proc.terminate()
    proc.wait(10)


def client(endpoint, query, fmt=JSON):
    w = SPARQLWrapper(endpoint + "/query")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


P = "PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def test_select_ask_construct(endpoint):
    rows = client(endpoint, P + 'SELECT ?v WHERE { GRAPH ?g { ?q ckg:value ?v ; ckg:place/skos:prefLabel "Kyiv"@en } }').queryAndConvert()
    assert {"539", "23"} <= {b["v"]["value"] for b in rows["results"]["bindings"]}
    assert client(endpoint, P + "ASK { ?a a ckg:Attack }").queryAndConvert()["boolean"] is True
    ttl = client(endpoint, P + "CONSTRUCT { ?a a ckg:Attack } WHERE { ?a a ckg:Attack }", TURTLE).queryAndConvert()
    assert b"Attack" in ttl
    csv = client(endpoint, P + "SELECT ?a WHERE { ?a a ckg:Attack } LIMIT 2", CSV).queryAndConvert()
    assert csv.decode().splitlines()[0] == "a"


def test_result_cap(endpoint):
    with urllib.request.urlopen(endpoint + "/query?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})) as r:
        assert r.headers["X-Result-Truncated"].startswith("true")
        assert len(__import__("json").loads(r.read())["results"]["bindings"]) == 50


def test_malformed_query_gets_400_with_parser_message(endpoint):
    with pytest.raises(QueryBadFormed) as err:
        client(endpoint, "SELECT ?x WHERE { ?x ").query()
    assert "error at 1:" in str(err.value)


def _post(endpoint, data: bytes, ctype: str, token: str | None = None):
    req = urllib.request.Request(endpoint + "/update", data=data, headers={"Content-Type": ctype}, method="POST")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_updates_need_the_token(endpoint):
    w = SPARQLWrapper(endpoint + "/update")
    w.setMethod(POST)
    w.setQuery("INSERT DATA { GRAPH <urn:x:test> { <urn:x:a> <urn:x:b> 1 } }")
    with pytest.raises(urllib.error.HTTPError) as err:
        w.query()
    assert err.value.code == 403
    update = b"INSERT DATA { GRAPH <urn:x:test> { <urn:x:a> <urn:x:b> 1 } }"
    assert _post(endpoint, update, "application/sparql-update", "wrong") == 403
    assert _post(endpoint, update, "application/sparql-update", TOKEN) == 204
    assert client(endpoint, "ASK { GRAPH <urn:x:test> { <urn:x:a> <urn:x:b> 1 } }").queryAndConvert()["boolean"] is True
    assert _post(endpoint, b"DROP GRAPH <urn:x:test>", "application/sparql-update", TOKEN) == 204


def test_service_and_load_are_refused(endpoint):
    with pytest.raises(urllib.error.HTTPError) as err:
        client(endpoint, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }").query()
    assert err.value.code == 403 and b"SERVICE is not allowed" in err.value.read()
    assert _post(endpoint, b"LOAD <http://127.0.0.1:9/x.ttl>", "application/sparql-update", TOKEN) == 403
    # the word inside a string or IRI is not an operation
    ok = client(endpoint, 'SELECT * WHERE { BIND("SERVICE" AS ?x) }').queryAndConvert()
    assert ok["results"]["bindings"][0]["x"]["value"] == "SERVICE"


def test_slow_query_times_out(endpoint):
    import time
    t0 = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as err:
        client(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }").query()
    assert err.value.code == 503 and b"timed out" in err.value.read()
    assert time.monotonic() - t0 < 10
    # and the server still answers
    assert client(endpoint, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


def test_eight_clients_at_once(endpoint):
    results, errors = {}, []

    def ask(i):
        try:
            r = client(endpoint, P + f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?q ckg:value ?v . FILTER(?v > {i}) }} }}").queryAndConvert()
            results[i] = int(r["results"]["bindings"][0]["n"]["value"])
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and sorted(results) == list(range(8))
    counts = [results[i] for i in range(8)]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0  # higher thresholds, fewer counts


def test_query_page(endpoint):
    with urllib.request.urlopen(endpoint + "/") as r:
        page = r.read().decode()
    assert "SPARQL" in page and "http://" not in page.split("<script>")[1].split("</script>")[0]
