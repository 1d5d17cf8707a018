"""The work done in query and update processes: a query on a store opened read-only, a graph read, an update or
a Graph Store write on the store opened for writing. Requests arrive as a small JSON header and a payload."""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from .answer import Answer, text
from .guard import check_operations, has_from
from .results import (GRAPH_ANSWER, GRAPH_TYPES, SELECT_TYPES, SPARQL_JSON, negotiate, serialize_boolean,
                      serialize_solutions, serialize_triples)

LOCKED = ("the store is being written by another process (is kg add running?): try again when it has finished")


def open_store(path: str, write: bool) -> ox.Store:
    """The store, read-only or for writing; OSError with a one-line message when it cannot be opened."""
    try:
        return ox.Store(path) if write else ox.Store.read_only(path)
    except OSError as err:
        if "lock" in str(err).lower():
            raise OSError(LOCKED) from None
        raise OSError(f"cannot open the store: {str(err).splitlines()[0] if str(err) else type(err).__name__}") from None


def _graph_answer(triples_iter: Iterable, accept: str, fmt: str, max_rows: int, default: str = "text/turtle") -> Answer:
    media = negotiate(accept, fmt, GRAPH_TYPES, default)
    if media is None:
        return text(406, "graphs are available as " + ", ".join(sorted(set(GRAPH_TYPES) - set(GRAPH_ANSWER))))
    triples, truncated = [], False
    for t in triples_iter:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(t)
    return Answer(200, GRAPH_ANSWER.get(media, media), serialize_triples(triples, media), truncated)


def run_query(store: ox.Store, req: dict, max_rows: int, sandboxed: bool) -> Answer:
    """One SPARQL query (with the protocol's dataset and base IRI, if given) on an open store."""
    sparql = req["sparql"]
    refused = check_operations(sparql, False, sandboxed)
    if refused:
        return refused
    options: dict = {}
    if req.get("default") is not None or req.get("named") is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in req.get("default") or []]
        options["named_graphs"] = [ox.NamedNode(g) for g in req.get("named") or []]
    elif not has_from(sparql):  # no dataset asked for: the default graph is the union of all graphs
        options["use_default_graph_as_union"] = True
    if req.get("base"):
        options["base_iri"] = req["base"]
    try:
        result = store.query(sparql, **options)
        accept, fmt = req.get("accept", ""), req.get("format", "")
        if isinstance(result, ox.QueryTriples):
            return _graph_answer(result, accept, fmt, max_rows)
        media = negotiate(accept, fmt, SELECT_TYPES, SPARQL_JSON)
        if media is None:
            return text(406, "results are available as application/sparql-results+json, "
                             "application/sparql-results+xml, text/csv or text/tab-separated-values")
        media = SELECT_TYPES[media]
        if isinstance(result, ox.QueryBoolean):
            return Answer(200, media, serialize_boolean(bool(result), media))
        native = _native_solutions(result, media, max_rows)
        if native is not None:
            return Answer(200, media, native)
        result = store.query(sparql, **options)  # more rows than the cap: again, keeping the first max_rows
        variables = result.variables
        rows, truncated = [], False
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append([solution[v] for v in variables])  # by variable: a solution may hold more than those
        variables = [v.value for v in variables]
        return Answer(200, media, serialize_solutions(variables, rows, media), truncated)
    except SyntaxError as err:
        return text(400, f"malformed SPARQL: {err}")
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 - report any engine error to the client, never crash the server
        return text(500, f"query failed: {err}")


class _TooMany(Exception):
    pass


# For each results format, a byte string that occurs once for each row (and maybe inside a value too, which
# only makes the count too high, never too low), and how many more (or fewer) times it occurs than rows:
# JSON has one separator fewer than rows, TSV and CSV a header line more.
_ROW_MARKS = {SPARQL_JSON: (b"},{", -1), "application/sparql-results+xml": (b"<result>", 0),
              "text/tab-separated-values": (b"\n", 1), "text/csv": (b"\r\n", 1)}
_NATIVE = {SPARQL_JSON: ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV, "text/csv": ox.QueryResultsFormat.CSV}


class _RowCounter:
    """A file for oxigraph's serializer that counts rows as they are written and stops past the cap."""

    def __init__(self, media: str, max_rows: int) -> None:
        self.mark, extra = _ROW_MARKS[media]
        self.limit = max_rows + extra
        self.parts: list[bytes] = []
        self.count, self.tail = 0, b""

    def write(self, data: bytes) -> int:
        """Keep a chunk, count its rows; _TooMany past the cap (which stops oxigraph's writer)."""
        data = bytes(data)
        joined = self.tail + data
        self.count += joined.count(self.mark)
        self.tail = joined[-(len(self.mark) - 1):] if len(self.mark) > 1 else b""
        self.parts.append(data)
        if self.count > self.limit:
            raise _TooMany
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the chunks are kept in memory."""


def _native_solutions(result: ox.QuerySolutions, media: str, max_rows: int) -> bytes | None:
    """The solutions written by oxigraph (three times faster than here), or None when there may be more than
    max_rows of them."""
    counter = _RowCounter(media, max_rows)
    try:
        result.serialize(counter, format=_NATIVE[media])
    except _TooMany:
        return None
    return b"".join(counter.parts)


def read_graph(store: ox.Store, req: dict, max_rows: int) -> Answer:
    """Graph Store GET: one graph (`graph` an IRI, or None for the default graph), or the whole dataset."""
    accept, fmt = req.get("accept", ""), req.get("format", "")
    if req.get("dataset"):
        media = negotiate(accept, fmt, {"application/trig": 1, "application/n-quads": 1}, "application/trig")
        if media is None:
            return text(406, "the dataset is available as application/trig or application/n-quads")
        quads, truncated = [], False
        for q in store.quads_for_pattern(None, None, None):
            if len(quads) >= max_rows:
                truncated = True
                break
            quads.append(q)
        return Answer(200, media, ox.serialize(quads, format=GRAPH_TYPES[media]), truncated)
    graph = ox.NamedNode(req["graph"]) if req.get("graph") else ox.DefaultGraph()
    if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
        return text(404, "no such graph")
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph))
    return _graph_answer(triples, accept, fmt, max_rows)


def handle_read(store: ox.Store, req: dict, max_rows: int, sandboxed: bool) -> Answer:
    """A read request in a warm query process."""
    if req.get("kind") == "graph":
        return read_graph(store, req, max_rows)
    return run_query(store, req, max_rows, sandboxed)


# ---------------------------------------------------------------- writes, each in a process of its own

def _parse_parts(parts: list[tuple[str, bytes]], base: str | None) -> list:
    quads = []
    for media, body in parts:
        quads.extend(ox.parse(body, format=GRAPH_TYPES[media], base_iri=base))
    return quads


def _insert_data(quads: list[ox.Quad], graph: ox.NamedNode | ox.DefaultGraph) -> str:
    """INSERT DATA of quads, those of a triple format going into `graph` (a NamedNode or DefaultGraph)."""
    blocks: dict = {}
    for q in quads:
        g = q.graph_name if not isinstance(q.graph_name, ox.DefaultGraph) else graph
        blocks.setdefault(g, []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = " ".join((" ".join(lines) if isinstance(g, ox.DefaultGraph) else f"GRAPH {g} {{ {' '.join(lines)} }}")
                    for g, lines in blocks.items())
    return f"INSERT DATA {{ {body} }}"


def write_job(store_path: str, req: dict, parts: list[tuple[str, bytes]], *, sandboxed: bool) -> Answer:
    """An update, or a Graph Store write (PUT, POST, DELETE), on the store opened for writing here. Each is one
    SPARQL update, so one transaction: all or nothing."""
    kind = req["kind"]
    if kind == "update":
        refused = check_operations(req["sparql"], True, sandboxed)
        if refused:
            return refused
    try:
        store = open_store(store_path, write=True)
    except OSError as err:
        return text(503, str(err))
    try:
        if kind == "update":
            store.update(req["sparql"], base_iri=req.get("base") or None)
            store.flush()
            return Answer(204, "text/plain", b"")
        graph = ox.NamedNode(req["graph"]) if req.get("graph") else ox.DefaultGraph()
        existed = (store.contains_named_graph(graph) if isinstance(graph, ox.NamedNode)
                   else any(True for _ in store.quads_for_pattern(None, None, None, graph)))
        target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
        if kind == "delete":
            if not existed and isinstance(graph, ox.NamedNode):
                return text(404, "no such graph")
            store.update(f"DROP SILENT {target}")
        else:
            try:
                quads = _parse_parts(parts, req.get("base"))
            except SyntaxError as err:
                return text(400, f"malformed RDF: {err}")
            ops = []
            if req.get("dataset"):
                ops.append("CLEAR ALL" if kind == "put" else "")
            elif kind == "put":
                ops.append(f"DROP SILENT {target}")
            if quads:
                ops.append(_insert_data(quads, graph))
            if isinstance(graph, ox.NamedNode) and not quads and not existed:
                ops.append(f"CREATE SILENT {target}")
            ops = [op for op in ops if op]
            if ops:
                store.update(" ;\n".join(ops))
        store.flush()
        return Answer(201 if not existed and kind != "delete" and not req.get("dataset") else 204, "text/plain", b"")
    except SyntaxError as err:
        return text(400, f"malformed SPARQL update: {err}")
    except MemoryError:
        raise
    except OSError as err:
        msg = str(err)
        return text(503, LOCKED) if "lock" in msg.lower() else text(500, f"update failed: {msg.splitlines()[0] if msg else err}")
    except Exception as err:  # noqa: BLE001 - e.g. CREATE GRAPH of a graph that exists
        return text(500, f"update failed: {err}")
