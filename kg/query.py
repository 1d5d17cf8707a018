"""`kg query`: SPARQL over a graph file that `kg build` wrote, with bundled named questions."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyoxigraph as ox

from .output import DATASET_FORMATS, FORMATS, PREFIXES
from .sparqlhelp import close_matches, explain_syntax_error

MERGED_GRAPH = "urn:x-conflict-kg:merged"


class QueryError(Exception):
    """A query that cannot be run: unknown name, syntax error, unreadable graph."""


def bundled_queries() -> dict[str, str]:
    """Name -> SPARQL text of every question shipped in kg/queries/."""
    # beside this module, read as plain files: importlib.resources alone cost 37 ms of `kg query` start-up
    folder = Path(__file__).with_name("queries")
    return {p.stem: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".rq")}


def describe(sparql: str) -> str:
    """The first comment lines of a query: what it answers."""
    lines = []
    for line in sparql.splitlines():
        if line.startswith("#"):
            lines.append(line.lstrip("# ").rstrip())
        elif lines:
            break
    return " ".join(lines)


def resolve_query(query: str) -> str:
    """A bundled name, a path to a .rq file, or SPARQL text.

    One word that is neither a bundled name nor a file is a mistyped name, answered with the closest
    names; text with a space, brace or variable is SPARQL, for the parser to judge."""
    named = bundled_queries()
    if query in named:
        return named[query]
    path = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 300 and "\n" not in query and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{query}: no such query file") from None
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"{query}: cannot read query file ({err})") from None
    if re.search(r"[\s{}?$]", query):
        return query  # SPARQL text (a name has no space, brace or variable): the parser judges it
    close = close_matches(query, named)
    raise QueryError(f"unknown question {query!r}"
                     + (f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "")
                     + " (`kg queries` lists the bundled questions; QUERY may also be a .rq file or SPARQL text)")


def load_graph(path: str | Path) -> ox.Store:
    """A store to query: a store folder (opened read-only) or a graph file written by `kg build`,
    loaded into memory (format from its extension)."""
    path = Path(path)
    if path.is_dir() and not (path / "CURRENT").exists() and any(path.glob("*.nq")):
        store = ox.Store()  # a folder of N-Quads shards written by kg build --engine dask
        for shard in sorted(path.glob("*.nq")):
            try:
                with shard.open("rb") as fh:
                    store.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
            except SyntaxError as err:
                raise QueryError(f"{shard}: not valid N-Quads ({err})") from None
        return store
    if path.is_dir():
        from .storefile import StoreError, open_read_only  # light: not kg.store, which imports the pipeline

        try:
            return open_read_only(path)
        except StoreError as err:
            raise QueryError(str(err)) from None
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(f"{path}: unknown graph format '{path.suffix}'; use a file kg build wrote")
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file")
    store = ox.Store()
    try:
        with path.open("rb") as fh:
            if fmt in DATASET_FORMATS:
                store.bulk_load(fh, format=fmt)
            else:  # a triples file is one graph; name it so GRAPH ?g patterns (bundled questions) still match
                store.bulk_load(fh, format=fmt, to_graph=ox.NamedNode(MERGED_GRAPH))
    except SyntaxError as err:
        raise QueryError(f"{path}: not valid {path.suffix[1:]} ({err})") from None
    except OSError as err:
        raise QueryError(f"{path}: cannot read ({err})") from None
    return store


def run_query(store: ox.Store, sparql: str):
    """Run SPARQL over the union of all named graphs, with the project's prefixes (kg.output.PREFIXES:
    ckg, kga, kgp, kgw, geonames, wd, schema, skos, sem, oa...) predeclared; a query's own PREFIX wins.
    A syntax error becomes one line: an undeclared prefix by name, else the parser's position."""
    try:
        return store.query(sparql, use_default_graph_as_union=True, prefixes=dict(PREFIXES))
    except SyntaxError as err:
        raise QueryError(explain_syntax_error(sparql, str(err), PREFIXES)) from None
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"query failed: {err}") from None


def format_results(result, fmt: str, store: ox.Store | None = None, iris: bool = False) -> bytes:
    """SELECT as table/csv/tsv/json (W3C formats), ASK as true/false, CONSTRUCT/DESCRIBE as N-Triples or Turtle.

    A table shows each IRI as its node's label, looked up in `store` (the store the query ran on; None:
    prefixed names only), or the IRIs themselves with `iris`; see kg/table.py."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return (json.dumps({"head": {}, "boolean": bool(result)}) + "\n").encode()
        return (("true" if bool(result) else "false") + "\n").encode()
    if isinstance(result, ox.QueryTriples):
        out = io.BytesIO()
        ox.serialize(result, out, format=ox.RdfFormat.TURTLE if fmt == "table" else ox.RdfFormat.N_TRIPLES)
        return out.getvalue()
    if fmt in ("csv", "json", "tsv", "xml"):
        target = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON,
                  "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}[fmt]
        return result.serialize(format=target)
    from .table import table_of

    try:
        return table_of(result, store, iris).encode("utf-8")
    except (OSError, RuntimeError) as err:  # reading the store for labels failed (e.g. a store folder gone)
        raise QueryError(f"query failed while looking up labels: {err}") from None
