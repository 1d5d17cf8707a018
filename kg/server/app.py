"""What each request means: the SPARQL 1.1 Protocol at /query (also /sparql, /update and /), the Graph Store
Protocol at /store, the service description, /health, the query page, CORS."""
from __future__ import annotations

import functools
import hmac
import json
import re
import uuid
from typing import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from .answer import Answer, text
from .guard import add_using, has_using_or_with
from .http import Request
from .jobs import write_job
from .page import QUERY_PAGE
from .pool import Pool
from .results import GRAPH_ANSWER, GRAPH_TYPES, negotiate, serialize_triples
from .settings import Settings

SPARQL_PATHS = ("/", "/index.html", "/query", "/sparql", "/update")
QUERY_PATHS = ("/", "/index.html", "/query", "/sparql")
SPARQL_ALLOW = "GET, HEAD, POST, OPTIONS"
STORE_ALLOW = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
FORM = "application/x-www-form-urlencoded"
# An IRI as the protocol's dataset parameters may name it: a scheme, and nothing an IRIREF cannot hold
# (the graph names go into the query text of an update).
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*')
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
_SD_FORMATS = ("http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_XML",
               "http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
               "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/N-Triples",
               "http://www.w3.org/ns/formats/RDF_XML", "http://www.w3.org/ns/formats/JSON-LD",
               "http://www.w3.org/ns/formats/N-Quads", "http://www.w3.org/ns/formats/TriG")


def _media(req: Request) -> tuple[str, str]:
    """The Content-Type's media type and charset (both lower case, '' when absent)."""
    ctype = req.header("content-type")
    media, _, rest = ctype.partition(";")
    charset = ""
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _iris(params: dict, name: str) -> list[str]:
    values = params.get(name, [])
    for v in values:
        if not _IRI.fullmatch(v):
            raise ValueError(f"{name} must be an absolute IRI")
    return values


class App:
    """Answers requests with a Pool of query processes."""

    def __init__(self, settings: Settings, pool: Pool, address: str) -> None:
        self.settings, self.pool, self.address = settings, pool, address

    def _origin(self, req: Request) -> str:
        """http://host:port as the client named this server (when the Host header is sane), else our address."""
        host = req.header("host")
        return f"http://{host if _HOST.fullmatch(host) else self.address}"

    def _authorized(self, req: Request) -> bool:
        token = self.settings.write_token
        given = req.header("authorization")
        given = given[7:] if given.startswith("Bearer ") else ""
        return bool(token) and hmac.compare_digest(given.encode(), token.encode())

    async def handle(self, req: Request) -> Answer | None:
        """The answer to one request (None when its client has gone)."""
        decided = self._decide(req)
        if isinstance(decided, Answer):
            return decided
        if isinstance(decided, dict):
            return await self.pool.read(decided, req.gone)
        return await decided()

    def plan(self, req: Request) -> Answer | dict | None:
        """What a request needs, decided without waiting: an Answer (an error, the query page, the service
        description, a preflight), a read job for a query process (a query, a Graph Store read), or None when
        it needs the server itself (an update, a Graph Store write, /health). The connection-serving query
        processes (lanes.py) call it, and hand the connection back to the server on None."""
        decided = self._decide(req)
        return decided if isinstance(decided, (Answer, dict)) else None

    def _decide(self, req: Request) -> Answer | dict | Callable[[], Awaitable[Answer | None]]:
        url = urlsplit(req.target)
        path = url.path or "/"
        params = parse_qs(url.query, keep_blank_values=True)
        store = path == "/store" or path.startswith("/store/")
        if req.method == "OPTIONS":
            return self._preflight(STORE_ALLOW if store else SPARQL_ALLOW)
        if path == "/health":
            return self._health if req.method in ("GET", "HEAD") else text(405, "use GET", ("Allow", "GET, HEAD"))
        if store:
            return self._graph_store(req, path, params)
        if path in SPARQL_PATHS:
            return self._sparql(req, path, params)
        return text(404, "not found; SPARQL is at /query, the Graph Store at /store")

    def _preflight(self, allow: str) -> Answer:
        headers = [("Allow", allow)]
        if self.settings.cors:
            headers += [("Access-Control-Allow-Methods", allow),
                        ("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type"),
                        ("Access-Control-Max-Age", "86400")]
        return Answer(204, "text/plain", b"", headers=tuple(headers))

    async def _health(self) -> Answer:
        pool = self.pool
        body = {"status": "ok" if not pool.broken else "unavailable", "error": pool.broken,
                **pool.counts()}
        return Answer(200 if not pool.broken else 503, "application/json", json.dumps(body).encode() + b"\n")

    # ------------------------------------------------------------ SPARQL 1.1 Protocol

    def _sparql(self, req: Request, path: str, params: dict) -> Answer | dict | Callable:
        """A query's job, an immediate answer, or (an update) the coroutine function that runs it."""
        if req.method in ("GET", "HEAD"):
            if "update" in params:
                return text(405, "an update must be sent with POST", ("Allow", "POST"))
            queries = params.get("query", [])
            if not queries:
                default = "text/html" if path in ("/", "/index.html") else "text/turtle"
                if negotiate(req.header("accept"), "", {**GRAPH_TYPES, "text/html": None}, default) == "text/html":
                    return Answer(200, "text/html", QUERY_PAGE.encode())
                return self._service_description(req, path)
            return self._query(req, path, params, queries)
        if req.method != "POST":
            return text(405, f"{req.method} is not allowed here: use GET or POST", ("Allow", SPARQL_ALLOW))
        media, charset = _media(req)
        if charset and charset not in ("utf-8", "utf8"):
            return text(415, "SPARQL must be sent in UTF-8")
        try:
            body = req.body.decode("utf-8")
        except UnicodeDecodeError:
            return text(400, "the request body is not UTF-8")
        if media == FORM:
            form = parse_qs(body, keep_blank_values=True)
            for name, values in form.items():
                params.setdefault(name, []).extend(values)
            queries, updates = params.get("query", []), params.get("update", [])
        elif media == "application/sparql-query":
            if "query" in params or "update" in params:
                return text(400, "send the query in the body or in a parameter, not both")
            queries, updates = [body], []
        elif media == "application/sparql-update":
            if "query" in params or "update" in params:
                return text(400, "send the update in the body or in a parameter, not both")
            queries, updates = [], [body]
        elif not media:
            return text(400, "a POST needs a Content-Type: application/sparql-query, application/sparql-update "
                             "or application/x-www-form-urlencoded")
        else:
            return text(415, "send application/sparql-query, application/sparql-update or "
                             "application/x-www-form-urlencoded")
        if queries and updates:
            return text(400, "send a query or an update, not both")
        if updates:
            return functools.partial(self._update, req, path, params, updates)
        if not queries:
            return text(400, "send a 'query' or an 'update'")
        if path not in QUERY_PATHS:
            return text(400, "queries go to /query")
        return self._query(req, path, params, queries)

    def _query(self, req: Request, path: str, params: dict, queries: list[str]) -> Answer | dict:
        if len(queries) > 1:
            return text(400, "more than one query in the request")
        try:
            default, named = _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri")
        except ValueError as err:
            return text(400, str(err))
        job = {"kind": "query", "sparql": queries[0], "accept": req.header("accept"),
               "format": (params.get("format") or params.get("output") or [""])[0],
               "base": self._origin(req) + path}
        if default or named:
            job["default"], job["named"] = default, named
        return job

    async def _update(self, req: Request, path: str, params: dict, updates: list[str]) -> Answer | None:
        if not self._authorized(req):
            return text(403, "updates are not allowed without the server's write token")
        if len(updates) > 1:
            return text(400, "more than one update in the request")
        try:
            default, named = _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri")
        except ValueError as err:
            return text(400, str(err))
        sparql = updates[0]
        if default or named:
            if has_using_or_with(sparql):
                return text(400, "the update names its dataset (USING or WITH) and so does the request "
                                 "(using-graph-uri or using-named-graph-uri): one or the other")
            sparql = add_using(sparql, default, named)
        job = {"kind": "update", "sparql": sparql, "base": self._origin(req) + path}
        return await self.pool.write(write_job, (self.settings.store, job, []), req.gone)

    def _service_description(self, req: Request, path: str) -> Answer:
        endpoint = self._origin(req) + path
        update = "sd:supportedLanguage sd:SPARQL11Update ;\n  " if self.settings.write_token else ""
        ttl = (f"@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
               f"<{endpoint}#service> a sd:Service ;\n  sd:endpoint <{endpoint}> ;\n"
               f"  sd:supportedLanguage sd:SPARQL11Query ;\n  {update}"
               + "".join(f"sd:resultFormat <{f}> ;\n  " for f in _SD_FORMATS)
               + "sd:feature sd:UnionDefaultGraph ;\n"
               "  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n")
        media = negotiate(req.header("accept"), "", GRAPH_TYPES, "text/turtle")
        if media is None or media in ("text/turtle", "application/x-turtle"):
            return Answer(200, "text/turtle", ttl.encode())
        triples = list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))
        return Answer(200, GRAPH_ANSWER.get(media, media), serialize_triples(triples, media))

    # ------------------------------------------------------------ Graph Store Protocol

    def _graph_store(self, req: Request, path: str, params: dict) -> Answer | dict | Callable:
        """A Graph Store read's job, an immediate answer, or (a write) the coroutine function that runs it."""
        if req.method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
            return text(405, f"{req.method} is not allowed here", ("Allow", STORE_ALLOW))
        if len(params.get("graph", [])) > 1 or ("graph" in params and "default" in params):
            return text(400, "name one graph: ?graph=IRI or ?default")
        dataset = False
        if "graph" in params:
            graph = params["graph"][0]
            if not _IRI.fullmatch(graph):
                return text(400, "graph must be an absolute IRI")
        elif "default" in params:
            graph = None
        elif path.startswith("/store/"):  # direct graph identification: the graph is named by this URL
            graph = self._origin(req) + path
            if not _IRI.fullmatch(graph):
                return text(400, "this path cannot name a graph")
        else:
            graph, dataset = None, True
        if req.method in ("GET", "HEAD"):
            return {"kind": "graph", "graph": graph, "dataset": dataset, "accept": req.header("accept"),
                    "format": (params.get("format") or [""])[0]}
        return functools.partial(self._graph_store_write, req, path, params, graph, dataset)

    async def _graph_store_write(self, req: Request, path: str, params: dict, graph: str | None,
                                 dataset: bool) -> Answer | None:
        if not self._authorized(req):
            return text(403, "writes are not allowed without the server's write token")
        kind = req.method.lower()
        if kind == "delete":
            if dataset:
                return text(405, "name the graph to delete", ("Allow", "GET, HEAD, PUT, POST, OPTIONS"))
            return await self.pool.write(write_job, (self.settings.store, {"kind": "delete", "graph": graph}, []),
                                         req.gone, "write")
        try:
            parts = self._parts(req)
        except ValueError as err:
            return text(415, str(err))
        location = ()
        if dataset:
            if all(GRAPH_TYPES[m].supports_datasets for m, _ in parts):
                job = {"kind": kind, "graph": None, "dataset": True}
            elif kind == "post":  # a new graph, named here
                graph = f"{self._origin(req)}/store/{uuid.uuid4().hex}"
                location = (("Location", graph),)
                job = {"kind": kind, "graph": graph, "base": graph}
            else:
                return text(400, "PUT of a whole dataset takes application/trig or application/n-quads; "
                                 "name a graph (?graph=IRI or ?default) for a graph")
        else:
            if any(GRAPH_TYPES[m].supports_datasets for m, _ in parts):
                return text(415, "a graph takes a graph format (Turtle, N-Triples, RDF/XML, JSON-LD)")
            job = {"kind": kind, "graph": graph, "base": graph or self._origin(req) + path}
        answer = await self.pool.write(write_job, (self.settings.store, job, parts), req.gone, "write")
        if answer is not None and location and answer.status < 300:
            return Answer(201, answer.media, answer.body, headers=location)
        return answer

    @staticmethod
    def _parts(req: Request) -> list[tuple[str, bytes]]:
        """(media type, bytes) of an RDF body, or of each part of a multipart/form-data body."""
        media, _ = _media(req)
        if media == "multipart/form-data":
            from email.parser import BytesParser
            from email.policy import HTTP
            msg = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + req.header("content-type").encode("latin-1", "replace") + b"\r\n\r\n" + req.body)
            parts = [(p.get_content_type(), p.get_payload(decode=True) or b"") for p in msg.iter_parts()]
        else:
            parts = [(media, req.body)]
        for m, _ in parts:
            if m not in GRAPH_TYPES:
                raise ValueError(f"cannot read {m or 'a body without a Content-Type'}: send Turtle, N-Triples, "
                                 f"RDF/XML, JSON-LD, TriG or N-Quads")
        return parts
