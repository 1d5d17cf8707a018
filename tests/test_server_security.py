"""`kg serve` never fetches a URL: SERVICE and LOAD are refused however they are spelled, look-alikes are
answered, and a loopback canary server fails the test if anything reaches it."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from kg import server as kg_server
from tests.conftest import child_processes, http_answer, small_store, sparql_update

TOKEN = "t0ken-for-security-tests"
LINUX_SECCOMP = sys.platform.startswith("linux") and os.uname().machine in ("x86_64", "aarch64")


class Canary:
    """A loopback HTTP server that answers like a SPARQL endpoint and a data file, and records every request."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(f"{self.command} {self.path}")
                if "sparql-results" in self.headers.get("Accept", ""):
                    body, ctype = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
                        {"s": {"type": "uri", "value": "http://canary.example/leak"}}]}}).encode(), \
                        "application/sparql-results+json"
                else:
                    body, ctype = b"<http://canary.example/a> <http://canary.example/b> <http://canary.example/c> .\n", \
                        "application/n-triples"
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def canary():
    c = Canary()
    yield c
    c.close()


@pytest.fixture(autouse=True)
def nothing_reaches_the_canary(canary):
    yield
    assert canary.hits == [], f"the server fetched a URL: {canary.hits}"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("secure") / "store"
    small_store(path)
    return path


def _spawn(store, *args: str):
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *args],
                            stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # never let a full pipe block the server
    return proc, f"http://127.0.0.1:{m.group(1)}"


@pytest.fixture(scope="module")
def endpoint(store):
    proc, url = _spawn(store, "--timeout", "20", "--write-token", TOKEN)
    yield url
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)


@pytest.fixture(scope="module")
def unsandboxed(store):
    """The same server in this process, with the seccomp filter off: the parser alone must hold."""
    settings = kg_server.Settings(store=str(store), write_token=TOKEN, timeout=20, sandbox=False)
    srv = kg_server.make_server(settings, port=0)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def ask(url: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    req = urllib.request.Request(url + "/query", data=urlencode({"query": query}).encode(), method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    return http_answer(req)


def update(url: str, text: str, token: str = TOKEN) -> tuple[int, bytes]:
    return sparql_update(url, text, token)


def bypass_queries(u: str) -> list[str]:
    """SERVICE clauses as an attacker would write them (u is the canary's URL)."""
    host = u.split("/sparql")[0] + "/"
    return [
        f"SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        # escapes in a prefixed name that a regex takes for a comment or a string opener
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ex:a\\#b ?p ?o . SERVICE <{u}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND(ex:a\\#b AS ?x) SERVICE <{u}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND(ex:a\\' AS ?x) SERVICE <{u}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ex:a\\' ?p ?o . SERVICE <{u}> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ex:a\\'b ?p ?o .\n SERVICE <{u}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND("a\\"b #" AS ?z) SERVICE <{u}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ BIND('''a\n# ''' AS ?z) SERVICE <{u}> {{ ?s ?p ?o }} }}",
        # unicode escapes
        f"SELECT * WHERE {{ \\u0053ERVICE <{u}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <\\u0068ttp{u[4:]}> {{ ?s ?p ?o }} }}",
        # comments, case, spacing, SILENT
        f"SELECT * WHERE {{ # SERVICE\n SERVICE SILENT <{u}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service\n\t<{u}>{{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE<{u}>{{}} }}",
        # nested groups, OPTIONAL, UNION, MINUS, EXISTS, subqueries
        f"SELECT * WHERE {{ {{ {{ OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }} }}",
        f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        # variables and prefixed names as endpoints
        f"SELECT * WHERE {{ BIND(<{u}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?x {{ <{u}> }} SERVICE SILENT ?x {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{host}> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
    ]


def bypass_updates(u: str) -> list[str]:
    return [
        f"LOAD <{u}>",
        f"LOAD SILENT <{u}> INTO GRAPH <urn:x:loaded>",
        f"load\n<{u}>",
        f"INSERT DATA {{ GRAPH <urn:x:s> {{ <urn:x:a> <urn:x:b> 1 }} }} ; LOAD <{u}>",
        f"PREFIX ex: <http://example.org/> INSERT DATA {{ GRAPH <urn:x:s> {{ ex:a\\#b ex:p 1 }} }} ; LOAD <{u}>",
        f"\\u004cOAD <{u}>",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        f"INSERT {{ GRAPH <urn:x:loaded> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?x {{ <{u}> }} SERVICE SILENT ?x {{ ?s ?p ?o }} }}",
        f"WITH <urn:x:s> INSERT {{ ?s ?p ?o }} WHERE {{ {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    ]


LOOK_ALIKES = [
    "SELECT ?service ?load WHERE { ?service ?load ?o } LIMIT 1",
    "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s a schema:Service ; schema:LOAD ?x }",
    "PREFIX service: <http://example.org/service#> SELECT * WHERE { ?s service:load ?o }",
    'SELECT * WHERE { BIND("SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }" AS ?x) }',
    "SELECT * WHERE { BIND('LOAD <http://127.0.0.1:9/>' AS ?x) }",
    "SELECT * WHERE { # SERVICE <http://127.0.0.1:9/> { }\n BIND(1 AS ?x) }",
    "SELECT * WHERE { BIND(<http://example.org/SERVICE> AS ?service) }",
]


def test_the_sandbox_is_on_where_it_can_be():
    if not LINUX_SECCOMP:
        pytest.skip("the seccomp filter is for Linux on x86-64 and arm64")
    assert kg_server.sandbox_available()


def test_a_sandboxed_process_that_opens_a_socket_is_killed():
    if not LINUX_SECCOMP:
        pytest.skip("the seccomp filter is for Linux on x86-64 and arm64")
    import multiprocessing as mp

    def child():
        kg_server.install_sandbox()
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        os._exit(0)

    proc = mp.get_context("fork").Process(target=child)
    proc.start()
    proc.join(30)
    assert proc.exitcode == -signal.SIGSYS


@pytest.mark.parametrize("mode", ["sandboxed", "parser only"])
def test_every_service_bypass_is_refused(canary, endpoint, unsandboxed, mode):
    url = endpoint if mode == "sandboxed" else unsandboxed
    for query in bypass_queries(canary.url):
        status, body = ask(url, query)
        assert status in (400, 403), (query, status, body)
        assert b"canary" not in body
        if b"rdflib" not in body:  # all but what rdflib cannot parse: refused for what it is
            assert status == 403 and b"not allowed" in body, (query, body)


def _fetch_job(text: str, update: bool, *, sandboxed: bool):
    """A job that skips the parser check and hands the text straight to pyoxigraph."""
    import pyoxigraph as ox
    assert sandboxed
    store = ox.Store()
    if update:
        store.update(text)
    else:
        list(store.query(text))
    return 200, "text/plain", b"fetched\n", False


@pytest.mark.parametrize("what", ["query", "update"])
def test_what_the_parser_might_miss_the_sandbox_stops(canary, store, what):
    """Were rdflib to miss a SERVICE or LOAD that pyoxigraph sees, the process dies at its first socket."""
    if not LINUX_SECCOMP:
        pytest.skip("the seccomp filter is for Linux on x86-64 and arm64")
    import asyncio
    import time
    text = f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}" if what == "query" else f"LOAD <{canary.url}>"
    pool = kg_server.Pool(kg_server.Settings(store=str(store), timeout=20))
    answer = asyncio.run(pool.run_one_off(_fetch_job, (text, what == "update"), time.monotonic() + 20))
    assert answer.status == 403 and b"tried to open a network connection" in answer.body


def test_warm_query_processes_run_under_the_sandbox(store):
    """The query processes kept warm were confined when they started: seccomp filter on, memory capped."""
    if not LINUX_SECCOMP:
        pytest.skip("the seccomp filter is for Linux on x86-64 and arm64")
    proc, url = _spawn(store, "--parallel", "3")
    try:
        assert ask(url, "ASK {}")[0] == 200
        workers = {g for c in child_processes(proc.pid) for g in child_processes(c)}
        assert len(workers) == 3
        for pid in workers:
            with open(f"/proc/{pid}/status") as f:
                status = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
            assert status["Seccomp"].strip() == "2" and status["NoNewPrivs"].strip() == "1", pid
            with open(f"/proc/{pid}/limits") as f:
                assert any(line.startswith("Max data size") and "1073741824" in line for line in f), pid
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)


@pytest.mark.parametrize("mode", ["sandboxed", "parser only"])
def test_every_load_bypass_is_refused(canary, endpoint, unsandboxed, mode):
    url = endpoint if mode == "sandboxed" else unsandboxed
    for text in bypass_updates(canary.url):
        status, body = update(url, text)
        assert status in (400, 403), (text, status, body)
        if b"rdflib" not in body:
            assert status == 403 and b"is not allowed" in body, (text, body)
    status, body = ask(url, "ASK { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?s), 'canary') || ?g = <urn:x:s>) }")
    assert status == 200 and json.loads(body)["boolean"] is False  # nothing loaded, nothing half-done


@pytest.mark.parametrize("mode", ["sandboxed", "parser only"])
def test_look_alikes_are_answered(endpoint, unsandboxed, mode):
    url = endpoint if mode == "sandboxed" else unsandboxed
    for query in LOOK_ALIKES:
        status, body = ask(url, query)
        assert status == 200, (query, body)
        assert "results" in json.loads(body)
    status, body = update(url, 'INSERT DATA { GRAPH <urn:x:look> { <urn:x:service> <urn:x:load> "LOAD <http://127.0.0.1:9/>" } }')
    assert status == 204, body
    status, body = ask(url, 'ASK { GRAPH <urn:x:look> { <urn:x:service> <urn:x:load> ?o } }')
    assert json.loads(body)["boolean"] is True
    assert update(url, "DROP GRAPH <urn:x:look>")[0] == 204


def test_from_and_from_named_do_not_fetch(canary, endpoint):
    for query in (f"SELECT * FROM <{canary.url}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{canary.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                  f"DESCRIBE <{canary.url}>"):
        status, body = ask(endpoint, query, "application/sparql-results+json, text/turtle;q=0.5")
        assert status == 200, (query, body)
        assert b"canary.example" not in body
    status, _ = update(endpoint, f"INSERT {{ GRAPH <urn:x:using> {{ ?s ?p ?o }} }} USING <{canary.url}> WHERE {{ ?s ?p ?o }}")
    assert status == 204
    assert update(endpoint, "DROP SILENT GRAPH <urn:x:using>")[0] == 204


def test_what_rdflib_cannot_read_is_refused_if_it_may_name_a_fetch(endpoint, unsandboxed):
    """RDF 1.2 triple terms are SPARQL for pyoxigraph, not for rdflib: run when the text cannot name SERVICE
    or LOAD, refused (fail closed) when it might."""
    plain = "SELECT * WHERE { ?s ?p <<( ?a ?b ?c )>> }"
    named = "SELECT ?service WHERE { ?s ?p <<( ?service ?b ?c )>> }"
    assert not kg_server.may_name_a_fetch(plain) and kg_server.may_name_a_fetch(named)
    with pytest.raises(kg_server.Unparsed):
        kg_server.forbidden_operation(named)
    for url in (endpoint, unsandboxed):
        assert ask(url, plain)[0] == 200
        status, body = ask(url, named)
        assert status == 400 and b"rdflib" in body and b"refused" in body
    status, body = ask(endpoint, "SELECT ?service WHERE { ?service ")
    assert status == 400 and b"error at 1:" in body  # pyoxigraph's message, asked inside the sandbox
    assert ask(unsandboxed, "SELECT ?service WHERE { ?service ")[0] == 400
