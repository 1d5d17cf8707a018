"""`kg serve` at the HTTP level, on a raw socket: malformed lengths get 400, chunked bodies are read (and the
next request on the connection is not misparsed), failing updates get an answer, never a dropped connection."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
from urllib.parse import quote

import pytest
from tests.conftest import small_store


TOKEN = "t0ken-for-http-tests"


@pytest.fixture(scope="module")
def address(tmp_path_factory):
    store = tmp_path_factory.mktemp("http") / "store"
    small_store(store)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
                             "--timeout", "20", "--write-token", TOKEN], stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, line
    threading.Thread(target=proc.stderr.read, daemon=True).start()
    yield ("127.0.0.1", int(m.group(1)))
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)


class Conn:
    """One keep-alive connection; reads responses by their Content-Length."""

    def __init__(self, address):
        self.sock = socket.create_connection(address, timeout=30)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def response(self) -> tuple[int, dict, bytes]:
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"connection closed without a (complete) response: {self.buf!r}")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(headers.get("content-length", 0))
        while len(self.buf) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed in the middle of a body")
            self.buf += chunk
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def closed_by_server(self) -> bool:
        try:
            return self.sock.recv(1) == b""
        except OSError:
            return True

    def close(self) -> None:
        self.sock.close()


def request(address, data: bytes) -> tuple[int, dict, bytes]:
    c = Conn(address)
    try:
        c.send(data)
        return c.response()
    finally:
        c.close()


def post(path: str, body: bytes, ctype: str, extra: str = "") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            .encode() + body)


def chunked(body: bytes, sizes=(7, 1, 30)) -> bytes:
    out, i = b"", 0
    for n in sizes:
        if i >= len(body):
            break
        part = body[i:i + n]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
        i += n
    if i < len(body):
        out += f"{len(body) - i:X};ext=1\r\n".encode() + body[i:] + b"\r\n"
    return out + b"0\r\nX-Trailer: t\r\n\r\n"


ASK = b"ASK { ?s ?p ?o }"


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "0x10", " ", "5, 6", "\u0661"])
def test_a_malformed_content_length_gets_400(address, value):
    head = (f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {value}\r\n\r\n").encode("utf-8")
    status, headers, body = request(address, head + ASK)
    assert status == 400 and b"Content-Length" in body
    assert headers.get("connection") == "close"


def test_two_different_content_lengths_get_400(address):
    head = (b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 16\r\nContent-Length: 3\r\n\r\n")
    assert request(address, head + ASK)[0] == 400


def test_a_chunked_body_is_read_and_the_next_request_is_not_misparsed(address):
    c = Conn(address)
    try:
        c.send(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
               b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(ASK))
        status, _, body = c.response()
        assert status == 200 and json.loads(body)["boolean"] is True
        form = b"query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").encode()
        c.send(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n" + chunked(form, (3, 3, 3)))
        status, _, body = c.response()
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0
        c.send(f"GET /query?query={quote('ASK { FILTER(false) }')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        status, _, body = c.response()
        assert status == 200 and json.loads(body)["boolean"] is False
    finally:
        c.close()


@pytest.mark.parametrize("body", [
    b"zz\r\nASK {}\r\n0\r\n\r\n",              # not hexadecimal
    b"+6\r\nASK {}\r\n0\r\n\r\n",              # a sign
    b"3\r\nASK {}\r\n0\r\n\r\n",               # chunk longer than its size
    b"fffffffff\r\n",                          # absurd size
    b"6 ;x\r\nASK {}\r\n0\r\n\r\n" + b"X" * 0,  # (whitespace before ';' is allowed: answered)
])
def test_a_malformed_chunked_body_gets_400(address, body):
    head = (b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    status, headers, answer = request(address, head + body)
    if body.startswith(b"6 ;x"):
        assert status == 200
    else:
        assert status == 400 and b"chunk" in answer
        assert headers.get("connection") == "close"


def test_other_transfer_codings_and_smuggling_shapes_are_refused(address):
    base = b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    assert request(address, base + b"Transfer-Encoding: gzip\r\n\r\n" + ASK)[0] == 501
    assert request(address, base + b"Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked(ASK))[0] == 501
    assert request(address, base + b"Transfer-Encoding: chunked\r\nContent-Length: 16\r\n\r\n" + chunked(ASK))[0] == 400


def test_a_body_in_too_many_chunks_gets_413(address):
    head = (b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    status, _, body = request(address, head + b"1\r\n \r\n" * 10_001 + chunked(ASK))
    assert status == 413 and b"chunks" in body


def test_a_body_too_large_gets_413(address):
    head = (b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 99999999999\r\n\r\n")
    assert request(address, head)[0] == 413


def test_a_failing_update_gets_an_answer(address):
    auth = f"Authorization: Bearer {TOKEN}\r\n"
    c = Conn(address)
    try:
        for text, expected in ((b"CREATE GRAPH <urn:x:http>", 204), (b"CREATE GRAPH <urn:x:http>", 500),
                               (b"DROP GRAPH <urn:x:nothing-here>", 500), (b"LOAD <http://127.0.0.1:9/x.ttl>", 403),
                               (b"LOAD SILENT <file:///etc/passwd>", 403), (b"INSERT DATA {", 400),
                               (b"DROP GRAPH <urn:x:http>", 204)):
            c.send(post("/update", text, "application/sparql-update", auth))
            status, _, body = c.response()
            assert status == expected, (text, status, body)
        # and the connection is still in order
        c.send(post("/query", ASK, "application/sparql-query"))
        assert c.response()[0] == 200
    finally:
        c.close()


def test_a_get_with_a_body_does_not_poison_the_connection(address):
    c = Conn(address)
    try:
        smuggled = b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
        c.send(f"GET /query?query={quote('ASK {}')} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(smuggled)}\r\n\r\n"
               .encode() + smuggled)
        assert c.response()[0] == 200
        c.send(f"GET /query?query={quote('ASK {}')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert c.response()[0] == 200  # the body was a body, not a request (that would have been 404)
    finally:
        c.close()


def test_an_idle_or_trickling_connection_is_let_go(tmp_path, monkeypatch):
    import time
    from kg import server as kg_server
    from kg.server import http as kg_http
    monkeypatch.setattr(kg_http, "IDLE_TIMEOUT", 1.0)
    srv = kg_server.make_server(kg_server.Settings(store=str(small_store(tmp_path / "store"))), port=0, log=None)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        address = ("127.0.0.1", srv.server_address[1])
        busy = Conn(address)
        busy.send(f"GET /query?query={quote('ASK {}')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert busy.response()[0] == 200  # (the first answer may wait for the query processes to start)
        idle, trickle = Conn(address), Conn(address)
        t0 = time.monotonic()
        try:
            for part in (b"GET /query?query=", b"ASK", b"%20%7B"):  # never finished
                trickle.send(part)
                time.sleep(0.2)
        except OSError:  # already let go: fine too
            pass
        assert idle.closed_by_server() and trickle.closed_by_server() and busy.closed_by_server()
        assert time.monotonic() - t0 < 5
    finally:
        srv.shutdown()
        srv.server_close()
