"""`kg serve` lanes (query processes that serve connections themselves): plain queries never pass through the
server's own reader, requests that need the server are handed back on the same connection (pipelined ones
too, in order), a request waiting behind a long query moves elsewhere, and a query killed at its time limit
gets its 503 on the connection while the lane's other connections carry on."""
from __future__ import annotations

import json
import time
import urllib.request
from urllib.parse import quote

from tests.test_server_http import Conn

TOKEN = "t0ken-for-lane-tests"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n".encode()


def query(text: str) -> bytes:
    return get("/query?query=" + quote(text))


def health(url: str) -> dict:
    with urllib.request.urlopen(url + "/health", timeout=30) as r:
        return json.loads(r.read())


def test_plain_queries_are_answered_by_the_lanes_alone(serve):
    s = serve("--parallel", "2")
    c = Conn(("127.0.0.1", s.port))
    try:
        for _ in range(20):
            c.send(query("ASK { ?s ?p ?o }"))
            status, _, body = c.response()
            assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        c.close()
    end = time.monotonic() + 30
    while health(s.url)["lanes"] < 2 and time.monotonic() < end:  # (the second may still be starting)
        time.sleep(0.1)
    h = health(s.url)
    # two lanes, and none of the warm processes the server's own reader would have started for a query
    assert h["lanes"] == 2 and h["query_processes"] == 2 and h["queries"] == 20, h
    assert sum(1 for line in s.log if '"GET /query" 200' in line) >= 19  # each logged (by its lane)


def test_pipelined_requests_that_need_the_server_are_answered_in_order(serve):
    s = serve("--write-token", TOKEN)
    c = Conn(("127.0.0.1", s.port))
    try:
        update = b"INSERT DATA { GRAPH <urn:x:lane> { <urn:x:a> <urn:x:b> 7 } }"
        c.send(query("ASK { GRAPH <urn:x:lane> { ?s ?p ?o } }") + get("/health")
               + b"POST /update HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-update\r\n"
               + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {len(update)}\r\n\r\n".encode() + update
               + query("ASK { GRAPH <urn:x:lane> { ?s ?p ?o } }") + get("/no-such-page"))
        first, health_answer, written, second, missing = (c.response() for _ in range(5))
        assert first[0] == 200 and json.loads(first[2])["boolean"] is False
        assert health_answer[0] == 200 and json.loads(health_answer[2])["status"] == "ok"
        assert written[0] == 204
        assert second[0] == 200 and json.loads(second[2])["boolean"] is True  # the write is seen
        assert missing[0] == 404
        c.send(b"POST /update HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-update\r\n"
               + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 23\r\n\r\n".encode() + b"DROP GRAPH <urn:x:lane>")
        assert c.response()[0] == 204
    finally:
        c.close()


def test_a_request_behind_a_long_query_moves_and_the_runaway_gets_its_503(serve):
    s = serve("--parallel", "1", "--timeout", "4")
    a, b = Conn(("127.0.0.1", s.port)), None
    try:
        a.send(query("ASK {}"))
        assert a.response()[0] == 200  # a's connection sits in the one lane
        b = Conn(("127.0.0.1", s.port))
        b.send(query(RUNAWAY))  # the same lane (the only one) runs this
        time.sleep(0.3)
        t0 = time.monotonic()
        a.send(query("ASK { ?s ?p ?o }"))
        status, _, body = a.response()
        assert status == 200 and json.loads(body)["boolean"] is True
        assert time.monotonic() - t0 < 3  # not held until the runaway's timeout
        status, headers, body = b.response()
        assert status == 503 and b"timed out after 4 s" in body and headers.get("connection") == "close"
        a.send(query("ASK {}"))  # a's connection carries on
        assert a.response()[0] == 200
        assert health(s.url)["timeouts"] == 1
    finally:
        a.close()
        if b is not None:
            b.close()


def test_a_request_too_large_to_read_at_once_is_still_answered(serve):
    s = serve()
    c = Conn(("127.0.0.1", s.port))
    try:
        padding = "# " + "x" * 100_000 + "\n"  # a request over the lane's single read: the server reads it
        text = padding + "ASK { ?s ?p ?o }"
        body = text.encode()
        c.send(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
               b"Accept: application/sparql-results+json\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        status, _, answer = c.response()
        assert status == 200 and json.loads(answer)["boolean"] is True
        c.send(query("ASK {}"))
        assert c.response()[0] == 200
    finally:
        c.close()
