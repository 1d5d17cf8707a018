"""`kg serve` limits: updates time out too, a memory cap stops a query that eats memory, SIGTERM (or SIGKILL)
leaves no query process behind, a client that has gone is dropped, and runaway queries do not lock everyone
else out for the whole timeout."""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from urllib.parse import quote, urlencode

import pytest

from tests.conftest import child_processes, http_answer, sparql_update

TOKEN = "t0ken-for-limit-tests"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MEMORY_EATER = "SELECT ?a ?b ?c ?d WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w } ORDER BY ?a ?b ?c ?d"


def ask(url: str, query: str, timeout: float = 120) -> tuple[int, bytes]:
    req = urllib.request.Request(url + "/query?" + urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    return http_answer(req, timeout)


def update(url: str, text: str) -> tuple[int, bytes]:
    return sparql_update(url, text, TOKEN, timeout=120)


def query_processes(server_pid: int) -> set[int]:
    """The server's query processes: children of its children (the fork server's)."""
    return {g for c in child_processes(server_pid) for g in child_processes(c)}


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(predicate, limit: float = 20.0, step: float = 0.05) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def open_runaway(port: int) -> socket.socket:
    """A client that sent a runaway query and waits (until closed)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(f"GET /query?query={quote(RUNAWAY)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return sock


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_an_update_times_out_and_writes_nothing(serve):
    s = serve("--timeout", "5", "--write-token", TOKEN)
    t0 = time.monotonic()
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?w { ?a ?b ?c } GRAPH ?x { ?d ?e ?f } GRAPH ?y { ?g ?h ?i } "
               "GRAPH ?z { ?j ?k ?l } }")  # updates see the named graphs only through GRAPH
    status, body = update(s.url, "INSERT { GRAPH <urn:x:big> { <urn:x:a> <urn:x:n> ?n } } WHERE { { " + runaway + " } }")
    assert status == 503 and b"update timed out" in body and b"nothing was written" in body
    assert time.monotonic() - t0 < 60
    status, body = ask(s.url, "ASK { GRAPH <urn:x:big> { ?s ?p ?o } }")
    assert status == 200 and json.loads(body)["boolean"] is False
    # the store is in order: the next update and query work
    assert update(s.url, "INSERT DATA { GRAPH <urn:x:after> { <urn:x:a> <urn:x:b> 1 } }")[0] == 204
    assert json.loads(ask(s.url, "ASK { GRAPH <urn:x:after> { <urn:x:a> <urn:x:b> 1 } }")[1])["boolean"] is True
    assert update(s.url, "DROP GRAPH <urn:x:after>")[0] == 204


def test_a_query_that_eats_memory_is_stopped_by_the_cap(serve):
    s = serve("--timeout", "120", "--max-memory", "300")
    t0 = time.monotonic()
    status, body = ask(s.url, MEMORY_EATER)
    assert status == 503 and b"out of memory" in body and b"300 MB" in body
    assert time.monotonic() - t0 < 100  # stopped by the cap, not by the timeout
    assert ask(s.url, "ASK { ?s ?p ?o }")[0] == 200


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_no_query_process_outlives_the_server(serve, sig):
    s = serve("--timeout", "120")
    clients = [open_runaway(s.port) for _ in range(2)]
    helpers, pids = set(), set()
    try:
        assert wait_until(lambda: health(s.url)["running"] == 2)
        time.sleep(1.5)  # past the grace period: both moved aside, and replaced by fresh ones
        assert wait_until(lambda: len(query_processes(s.proc.pid)) == 6), query_processes(s.proc.pid)
        helpers, pids = child_processes(s.proc.pid), query_processes(s.proc.pid)
        s.proc.send_signal(sig)
        s.proc.wait(20)
        assert wait_until(lambda: not any(running(p) for p in pids | helpers), 10), \
            [p for p in pids | helpers if running(p)]
    finally:
        for c in clients:
            c.close()
        for p in pids | helpers:  # should the test fail, leave no orphan behind either
            if running(p):
                os.kill(p, signal.SIGKILL)


def health(url: str) -> dict:
    with urllib.request.urlopen(url + "/health", timeout=30) as r:
        return json.loads(r.read())


def busy_cpu(pids: set[int]) -> set[int]:
    """Those of the processes that use CPU now (over a tenth of a second)."""
    def ticks(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except OSError:
            return 0
    before = {p: ticks(p) for p in pids}
    time.sleep(0.3)
    return {p for p in pids if ticks(p) > before[p]}


@linux_only
def test_a_running_query_whose_client_has_gone_is_stopped(serve):
    s = serve("--timeout", "120")
    assert ask(s.url, "ASK {}")[0] == 200
    warm = query_processes(s.proc.pid)
    client = open_runaway(s.port)
    assert wait_until(lambda: health(s.url)["running"] == 1)
    assert wait_until(lambda: len(busy_cpu(query_processes(s.proc.pid))) == 1)
    pid = next(iter(busy_cpu(query_processes(s.proc.pid))))
    assert pid in warm  # a warm process took it
    client.close()
    assert wait_until(lambda: not running(pid), 10)
    assert health(s.url)["running"] == 0
    assert ask(s.url, "ASK { ?s ?p ?o }")[0] == 200
    assert wait_until(lambda: len(query_processes(s.proc.pid)) == 4)  # replaced
    assert wait_until(lambda: not busy_cpu(query_processes(s.proc.pid)), 10)  # (a new one starts up, then rests)


def test_a_queued_query_whose_client_has_gone_never_runs(serve):
    s = serve("--timeout", "120", "--parallel", "1")
    a = open_runaway(s.port)  # moves aside after the grace period; b then holds the one slot
    assert wait_until(lambda: health(s.url)["running"] == 1)
    time.sleep(1.5)
    b = open_runaway(s.port)
    assert wait_until(lambda: health(s.url)["running"] == 2)
    time.sleep(1.5)  # b is past its grace period too, but the aside pool (of 1) is full: b keeps the slot
    c = open_runaway(s.port)
    time.sleep(0.5)
    assert health(s.url)["queries"] == 2  # c waits for the slot
    c.close()  # c gives up while queued
    time.sleep(0.5)
    b.close()  # b's slot frees: nobody is waiting for it any more
    assert wait_until(lambda: health(s.url)["running"] == 1)
    time.sleep(0.5)
    h = health(s.url)
    assert h["queries"] == 2 and h["running"] == 1
    a.close()
    assert wait_until(lambda: health(s.url)["running"] == 0)
    assert health(s.url)["queries"] == 2


def test_runaway_queries_do_not_lock_everyone_out(serve):
    """--parallel 2 and two runaway queries: cheap questions are answered long before the 60 s timeout."""
    s = serve("--timeout", "60", "--parallel", "2")
    clients = [open_runaway(s.port) for _ in range(2)]
    try:
        time.sleep(2.0)  # past the grace period: the runaways now run at the lowest priority, aside
        t0 = time.monotonic()
        results = []

        def cheap():
            results.append(ask(s.url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0])

        threads = [threading.Thread(target=cheap) for _ in range(4)]
        for t in threads:
            t.start()
        asks = [ask(s.url, "ASK {}")[0] for _ in range(5)]
        for t in threads:
            t.join(60)
        assert asks == [200] * 5 and results == [200] * 4
        assert time.monotonic() - t0 < 30
    finally:
        for c in clients:
            c.close()


def test_a_waiting_update_does_not_lock_readers_out(serve):
    """An update waits for running queries (no read-only view stays open while the store is written); the
    queries that come meanwhile are answered, and the update runs once the runaway is stopped."""
    s = serve("--timeout", "6", "--write-token", TOKEN)
    runaway = open_runaway(s.port)
    try:
        assert wait_until(lambda: health(s.url)["running"] == 1)
        time.sleep(2.5)  # the update's own time limit then ends 2.5 s after the runaway's: room to run
        done = {}
        writer = threading.Thread(target=lambda: done.update(
            answer=update(s.url, "INSERT DATA { GRAPH <urn:x:w> { <urn:x:a> <urn:x:b> 1 } }")))
        writer.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        assert ask(s.url, "ASK { ?s ?p ?o }")[0] == 200
        assert time.monotonic() - t0 < 3 and writer.is_alive()  # answered while the update still waits
        writer.join(30)
        assert done["answer"][0] == 204  # ran after the runaway was stopped at its timeout
        assert json.loads(ask(s.url, "ASK { GRAPH <urn:x:w> { ?s ?p ?o } }")[1])["boolean"] is True
    finally:
        runaway.close()


@linux_only
def test_query_processes_killed_while_idle_never_answer_for_the_next_query(serve):
    # warm processes killed from outside (an OOM killer, an operator) must not turn the next query into a 500
    s = serve("--timeout", "60")
    assert ask(s.url, "ASK { ?s ?p ?o }")[0] == 200
    assert wait_until(lambda: len(query_processes(s.proc.pid)) >= 1)
    for pid in query_processes(s.proc.pid):
        os.kill(pid, signal.SIGKILL)
    for _ in range(3):
        status, body = ask(s.url, "ASK { ?s ?p ?o }")
        assert status == 200, body
