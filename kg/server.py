"""`kg serve`: a SPARQL 1.1 Protocol endpoint over a store, safe to expose to colleagues.

- Read-only by default: an update is refused (403) unless the server was started with a write token and
  the request carries it (`Authorization: Bearer TOKEN`).
- SERVICE (federated) queries and LOAD are refused, so the server never fetches other URLs.
- Each query runs in its own short-lived process on a read-only view of the store, so a runaway query is
  killed at the timeout (503) instead of holding a thread; SELECT rows and CONSTRUCT triples are capped
  (the response says so in `X-Result-Truncated`).
- Results: SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples or RDF/XML for CONSTRUCT/DESCRIBE, by Accept header
  (or a `format` parameter). Malformed queries get 400 with the parser's message.
"""
from __future__ import annotations

import hmac
import io
import multiprocessing as mp
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML, "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "text/plain": ox.RdfFormat.N_TRIPLES,
}
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
                "rdfxml": "application/rdf+xml"}
_STRIP = re.compile(r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\s]*>')
_FORBIDDEN = re.compile(r"\b(SERVICE|LOAD)\b", re.I)


def forbidden_operation(sparql: str) -> str | None:
    """'SERVICE' or 'LOAD' when the query or update would make the server fetch a URL."""
    m = _FORBIDDEN.search(_STRIP.sub(" ", sparql))
    return m.group(1).upper() if m else None


@dataclass(frozen=True)
class Settings:
    store: str
    write_token: str | None = None
    timeout: float = 30.0
    max_rows: int = 100_000


def _negotiate(accept: str, choices: dict, default: str) -> str | None:
    if not accept or accept.strip() == "*/*":
        return default
    ranked = []
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        ranked.append((q, bits[0].lower()))
    for q, media in sorted(ranked, key=lambda x: -x[0]):
        if q <= 0:
            continue
        if media in choices:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def _run_query(store_path: str, sparql: str, accept: str, max_rows: int, conn) -> None:
    """In a child process: run one query read-only and send back (status, content type, body, truncated)."""
    try:
        store = ox.Store.read_only(store_path)
        result = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
            if media is None:
                conn.send((406, "text/plain", b"CONSTRUCT/DESCRIBE results are available as text/turtle, "
                                               b"application/n-triples or application/rdf+xml\n", False))
                return
            triples, truncated = [], False
            for t in result:
                if len(triples) >= max_rows:
                    truncated = True
                    break
                triples.append(t)
            conn.send((200, media, ox.serialize(triples, format=GRAPH_TYPES[media]), truncated))
            return
        media = _negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
        if media is None:
            conn.send((406, "text/plain", b"results are available as application/sparql-results+json, "
                                           b"application/sparql-results+xml, text/csv or text/tab-separated-values\n", False))
            return
        fmt = SELECT_TYPES[media]
        if isinstance(result, ox.QueryBoolean):
            out = io.BytesIO()
            result.serialize(out, format=fmt)
            conn.send((200, media, out.getvalue(), False))
            return
        truncated = False
        variables = result.variables
        rows = []
        for sol in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(sol)
        body = _serialize_solutions(variables, rows, fmt)
        conn.send((200, media, body, truncated))
    except SyntaxError as err:
        conn.send((400, "text/plain", f"malformed SPARQL: {err}\n".encode(), False))
    except Exception as err:  # noqa: BLE001 - report any engine error to the client, never crash the server
        conn.send((500, "text/plain", f"query failed: {err}\n".encode(), False))
    finally:
        conn.close()


def _serialize_solutions(variables, rows, fmt) -> bytes:
    """Serialise kept rows in a W3C results format (re-evaluated from the kept solutions)."""
    store = ox.Store()
    values = " ".join(f"?{v.value}" for v in variables)
    if not rows:
        result = store.query(f"SELECT {values} WHERE {{ FILTER(false) }}") if variables else store.query("SELECT * {}")
        return result.serialize(format=fmt)
    subs = []
    for sol in rows:
        cells = []
        for v in variables:
            term = sol[v]
            cells.append("UNDEF" if term is None else _term(term))
        subs.append("(" + " ".join(cells) + ")")
    query = f"SELECT {values} WHERE {{ VALUES ({values}) {{ {' '.join(subs)} }} }}"
    return store.query(query).serialize(format=fmt)


def _term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"<urn:x-blank:{term.value}>"
    return str(term)


class _ReadWriteLock:
    """Many queries at once, or one update alone (a read-only view must not be opened while writing)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    def acquire_read(self) -> None:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    def acquire_write(self) -> None:
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True

    def release_write(self) -> None:
        with self._cond:
            self._writing = False
            self._cond.notify_all()


class Endpoint:
    """State shared by request handlers: settings, concurrency limits, the read/write lock."""

    def __init__(self, settings: Settings, max_parallel: int = 4):
        self.settings = settings
        self.lock = _ReadWriteLock()
        self.slots = threading.BoundedSemaphore(max_parallel)
        self.ctx = mp.get_context("fork")

    def query(self, sparql: str, accept: str) -> tuple[int, str, bytes, bool]:
        op = forbidden_operation(sparql)
        if op:
            return 403, "text/plain", f"{op} is not allowed: this endpoint never fetches other URLs\n".encode(), False
        with self.slots:
            self.lock.acquire_read()
            try:
                parent, child = self.ctx.Pipe(duplex=False)
                proc = self.ctx.Process(target=_run_query, daemon=True,
                                        args=(self.settings.store, sparql, accept, self.settings.max_rows, child))
                proc.start()
                child.close()
                if parent.poll(self.settings.timeout):
                    try:
                        answer = parent.recv()
                    except EOFError:
                        answer = (500, "text/plain", b"query process ended without an answer\n", False)
                else:
                    proc.kill()
                    answer = (503, "text/plain", f"query timed out after {self.settings.timeout:g} s\n".encode(), False)
                proc.join(5)
                parent.close()
                return answer
            finally:
                self.lock.release_read()

    def update(self, sparql: str, authorization: str) -> tuple[int, str, bytes]:
        token = self.settings.write_token
        given = authorization[7:] if authorization.startswith("Bearer ") else ""
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            return 403, "text/plain", b"updates are not allowed without the server's write token\n"
        op = forbidden_operation(sparql)
        if op:
            return 403, "text/plain", f"{op} is not allowed: this endpoint never fetches other URLs\n".encode()
        self.lock.acquire_write()
        try:
            store = ox.Store(self.settings.store)
            try:
                store.update(sparql)
                store.flush()
            finally:
                del store
            return 204, "text/plain", b""
        except SyntaxError as err:
            return 400, "text/plain", f"malformed SPARQL update: {err}\n".encode()
        except OSError as err:
            return 500, "text/plain", f"update failed: {err}\n".encode()
        finally:
            self.lock.release_write()


def make_handler(endpoint: Endpoint):
    class Handler(BaseHTTPRequestHandler):
        server_version = "conflict-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet by default; the CLI can turn it on
            if getattr(self.server, "verbose", False):
                super().log_message(fmt, *args)

        def _send(self, status: int, media: str, body: bytes, truncated: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if truncated:
                self.send_header("X-Result-Truncated", f"true; max {endpoint.settings.max_rows}")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _accept(self, params: dict) -> str:
            fmt = (params.get("format") or [""])[0].lower()
            return FORMAT_PARAM.get(fmt, fmt) if fmt else self.headers.get("Accept", "")

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            url = urlparse(self.path)
            params = parse_qs(url.query)
            if url.path in ("/", "/index.html") and "query" not in params:
                self._send(200, "text/html", QUERY_PAGE.encode())
                return
            if url.path not in ("/query", "/sparql", "/"):
                self._send(404, "text/plain", b"not found; use /query\n")
                return
            if "query" not in params:
                self._send(400, "text/plain", b"missing 'query' parameter\n")
                return
            self._send(*endpoint.query(params["query"][0], self._accept(params)))

        def do_POST(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > 10 * 2**20:
                self._send(413, "text/plain", b"request too large\n")
                return
            raw = self.rfile.read(length).decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(url.query)
            if ctype == "application/x-www-form-urlencoded":
                params.update(parse_qs(raw))
                query = (params.get("query") or [None])[0]
                update = (params.get("update") or [None])[0]
            else:
                query = raw if ctype == "application/sparql-query" else None
                update = raw if ctype == "application/sparql-update" else None
            if update is not None and url.path in ("/update", "/sparql", "/query", "/"):
                self._send(*endpoint.update(update, self.headers.get("Authorization", "")))
            elif query is not None and url.path in ("/query", "/sparql", "/"):
                self._send(*endpoint.query(query, self._accept(params)))
            else:
                self._send(400, "text/plain", b"send a 'query' or 'update' (form field, or application/sparql-query "
                                              b"/ application/sparql-update body)\n")

        do_HEAD = do_GET

    return Handler


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878, max_parallel: int = 4) -> ThreadingHTTPServer:
    """A ready-to-run HTTP server (call serve_forever)."""
    if not (Path(settings.store) / "CURRENT").exists():
        raise FileNotFoundError(f"{settings.store}: not a conflict-kg store (create it with kg add)")
    server = ThreadingHTTPServer((host, port), make_handler(Endpoint(settings, max_parallel)))
    server.daemon_threads = True
    return server


QUERY_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>conflict-kg SPARQL</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:20px;max-width:1100px}textarea{width:100%;height:170px;font:13px monospace}
table{border-collapse:collapse;margin-top:10px}td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;text-align:left}
#msg{color:#a00;white-space:pre-wrap}</style></head><body>
<h1>conflict-kg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code> (GET or POST). Read-only unless the server has a write token.</p>
<textarea id="q">PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?place (COUNT(DISTINCT ?attack) AS ?attacks) WHERE { GRAPH ?g {
  ?attack a ckg:Attack ; ckg:place/skos:prefLabel ?place } }
GROUP BY ?place ORDER BY DESC(?attacks) LIMIT 20</textarea>
<p><button id="run">Run</button> <span id="info"></span></p><div id="msg"></div><div id="out"></div>
<script>
document.getElementById("run").addEventListener("click", function () {
  var msg = document.getElementById("msg"), out = document.getElementById("out"), info = document.getElementById("info");
  msg.textContent = ""; out.textContent = ""; info.textContent = "running...";
  fetch("query", {method: "POST", headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.5"},
                  body: document.getElementById("q").value})
  .then(function (r) { return r.text().then(function (t) { return {r: r, t: t}; }); })
  .then(function (x) {
    info.textContent = x.r.status + (x.r.headers.get("X-Result-Truncated") ? " (truncated)" : "");
    if (!x.r.ok) { msg.textContent = x.t; return; }
    if ((x.r.headers.get("Content-Type") || "").indexOf("json") < 0) { var pre = document.createElement("pre"); pre.textContent = x.t; out.appendChild(pre); return; }
    var j = JSON.parse(x.t);
    if (j.boolean !== undefined) { out.textContent = String(j.boolean); return; }
    var table = document.createElement("table"), head = document.createElement("tr");
    j.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    table.appendChild(head);
    j.results.bindings.forEach(function (b) { var tr = document.createElement("tr");
      j.head.vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = b[v] ? b[v].value : ""; tr.appendChild(td); });
      table.appendChild(tr); });
    out.appendChild(table); info.textContent += " \u00b7 " + j.results.bindings.length + " rows";
  }).catch(function (e) { msg.textContent = String(e); });
});
</script></body></html>
"""
