"""The `kg` command line: build a graph from articles, question it with SPARQL."""
from __future__ import annotations

import argparse
import sys
import textwrap

from . import __version__

EPILOG = textwrap.dedent("""\
    examples:
      kg build data/ -o out/graph.trig          build the graph of every article in data/
      kg query out/graph.trig quantities         run a bundled question
      kg query out/graph.trig my-question.rq --format csv
      kg query out/graph.trig 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'
      kg queries                                 list the bundled questions
      kg viz out/graph.trig -o out/graph.html    interactive network, works offline
      kg export out/graph.trig -o out/graph.graphml
    """)


def _say(message: str, file=None, flush: bool = True) -> None:
    """One line on stderr, with control characters of file names, ids and text escaped."""
    from .safeprint import printable

    print(printable(message), file=sys.stderr, flush=flush)


def _err(message: str) -> None:
    _say(f"kg: error: {message}")


def _report_input(problem) -> None:
    """One line for an input that was skipped (ArticleError) or read with a guess (ArticleWarning)."""
    from .articles import ArticleWarning

    _say(f"kg: warning: {problem}" if isinstance(problem, ArticleWarning) else f"kg: skipped {problem}")


def _cannot_write(path: str, err: OSError) -> int:
    """One line for a write that failed (full disk, no permission), and the exit status for it."""
    reason = (err.strerror or str(err)).strip().splitlines() or ["unknown error"]
    _err(f"{path}: cannot write ({reason[0]})")
    return 2


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .output import OutputError

    report = _report_input

    if args.engine == "dask":
        from pathlib import Path  # imported where used: `kg --help` stays light

        from .distributed import build_dask

        if Path(args.output).suffix:
            _err(f"{args.output}: with --engine dask, OUT is a folder for N-Quads shards")
            return 2
        try:
            n, errors, shards = build_dask(args.inputs, args.output, scheduler=args.scheduler, on_error=report)
        except OSError as err:
            _err(f"dask: {err}")
            return 2
        if n == 0:
            _err("no article could be read")
            return 1
        if not args.quiet:
            _say(f"kg: {n} articles -> {len(shards)} shards in {args.output}"
                  + (f"; {len(errors)} input(s) skipped" if errors else ""), file=sys.stderr)
        return 3 if errors else 0
    if args.scheduler:
        _err("--scheduler needs --engine dask")
        return 2

    try:
        result = build(args.inputs, args.output, workers=args.workers, include_vocabulary=not args.no_vocabulary,
                       on_error=report, progress=None if not args.quiet else False)
    except OutputError as err:
        _err(str(err))
        return 2
    except OSError as err:
        return _cannot_write(args.output, err)
    if result.articles == 0:
        _err(f"no article could be read; {args.output} was not written")
        return 1
    if not args.quiet:
        _say(f"kg: {result.articles} article{'s' if result.articles != 1 else ''} ({result.words} words) -> "
              f"{args.output} ({result.statements} statements)"
              + (f"; {len(result.errors)} input(s) skipped" if result.errors else ""), file=sys.stderr)
    return 3 if result.errors else 0


def cmd_add(args: argparse.Namespace) -> int:
    from .store import StoreError, add_articles

    report = _report_input

    try:
        result = add_articles(args.inputs, args.store, workers=args.workers, on_error=report, sync=args.sync)
    except StoreError as err:
        _err(str(err))
        return 2
    except OSError as err:
        return _cannot_write(args.store, err)
    if not args.quiet:
        _say(f"kg: {len(result.added)} article(s) added to {args.store}"
              + (f" ({len(result.replaced)} replaced the stored article of the same id: "
                 f"{', '.join(repr(i) for i in result.replaced[:3])}{', ...' if len(result.replaced) > 3 else ''})"
                 if result.replaced else "")
              + (f"; {len(result.removed)} removed, no longer in the inputs: "
                 f"{', '.join(repr(i) for i in result.removed[:3])}{', ...' if len(result.removed) > 3 else ''}"
                 if result.removed else "")
              + (f"; {len(result.errors)} input(s) skipped" if result.errors else "")
              + ("; --sync removed nothing because some input could not be read" if result.sync_skipped else ""),
             file=sys.stderr)
    return 3 if result.errors else (0 if result.added else 1)


def cmd_remove(args: argparse.Namespace) -> int:
    from .store import StoreError, remove_articles, similar_ids

    try:
        removed, missing = remove_articles(args.ids, args.store)
    except StoreError as err:
        _err(str(err))
        return 2
    for article_id in missing:
        if any(0xDC80 <= ord(c) <= 0xDCFF for c in article_id):
            _say(f"kg: no article '{article_id}' in {args.store} (ids are UTF-8 text; this one is not)")
            continue
        hint = similar_ids(article_id, args.store)
        _say(f"kg: no article {article_id!r} in {args.store}"
             + (f"; did you mean {', '.join(repr(h) for h in hint)}?" if hint else ""))
    _say(f"kg: {len(removed)} article(s) removed from {args.store}", file=sys.stderr)
    return 1 if missing else 0


def cmd_query(args: argparse.Namespace) -> int:
    from .query import QueryError, format_results, load_graph, resolve_query, run_query

    try:
        sparql = resolve_query(args.query)
        store = load_graph(args.graph)
        result = run_query(store, sparql)
        data = format_results(result, args.format, store=store, iris=args.iris)
    except QueryError as err:
        _err(str(err))
        return 2
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


def _network(args: argparse.Namespace):
    """Load GRAPH, project it and apply --query/--article/--category/--max-nodes."""
    from .network import filter_graph, iris_of_result, most_connected, project
    from .query import load_graph, resolve_query, run_query

    store = load_graph(args.graph)
    g = project(store)
    keep = None
    if args.query:
        keep = iris_of_result(run_query(store, resolve_query(args.query)))
        # a CONSTRUCT or SELECT that returns entities shows them with the edges among them
        if not keep:
            raise ValueError(f"--query {_short(args.query)} selected nothing to draw (no IRI in its answer); "
                             "nothing was written")
    g = filter_graph(g, article=args.article, categories=args.category, keep=keep)
    if keep is not None and g.number_of_nodes() == 0:
        raise ValueError(f"--query {_short(args.query)} selected {len(keep)} IRI(s), none of them a node of the "
                         "network (actors, places, weapons, events, targets); nothing was written")
    if args.article and g.number_of_nodes() == 0:
        raise ValueError(f"no node comes from article {args.article!r}")
    g, left_out = most_connected(g, args.max_nodes) if args.max_nodes else (g, 0)
    return g, left_out


def _short(text: str, limit: int = 60) -> str:
    """A query name or text, shortened to fit in one line of a message."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[:limit - 3] + "...")


def _write_network(args: argparse.Namespace, write) -> int:
    """Project GRAPH with the filters, hand it to `write(graph, left_out)`, report; errors in one line."""
    from .query import QueryError

    try:
        g, left_out = _network(args)
        write(g, left_out)
    except (QueryError, ValueError) as err:
        _err(str(err))
        return 2
    except OSError as err:
        return _cannot_write(args.output, err)
    _say(f"kg: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges -> {args.output}"
          + (f" ({left_out} left out)" if left_out else ""), file=sys.stderr)
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .viz import write_html

    return _write_network(args, lambda g, left: write_html(g, args.output, title=args.title or Path(args.graph).name,
                                                           left_out=left))


def cmd_export(args: argparse.Namespace) -> int:
    if getattr(args, "format", None) == "acled":
        return _export_acled(args)
    from .network import export

    return _write_network(args, lambda g, _left: export(g, args.output))


def _export_acled(args: argparse.Namespace) -> int:
    """One row per canonical attack in ACLED's columns (kg/export_acled.py)."""
    from .export_acled import write_acled
    from .query import QueryError, load_graph

    try:
        written, undated = write_acled(load_graph(args.graph), args.output)
    except QueryError as err:
        _err(str(err))
        return 2
    except OSError as err:
        return _cannot_write(args.output, err)
    _say(f"kg: {written} attacks -> {args.output}" + (f" ({undated} undated left out)" if undated else ""),
         file=sys.stderr)
    return 0


def _network_options(p: argparse.ArgumentParser) -> None:
    from .categories import CATEGORIES  # not kg.network: that imports networkx, and `kg --help` must stay fast

    p.add_argument("graph", metavar="GRAPH", help="graph file written by kg build, or a store folder")
    p.add_argument("--query", metavar="QUERY", help="show only what this SPARQL SELECT/CONSTRUCT returns (.rq, name or text)")
    p.add_argument("--article", metavar="ID", help="only nodes from this article")
    p.add_argument("--category", nargs="+", choices=CATEGORIES, metavar="CAT",
                   help=f"only these categories ({', '.join(CATEGORIES)})")
    p.add_argument("--max-nodes", type=int, default=0, metavar="N", help="keep the N most connected nodes")


def cmd_push(args: argparse.Namespace) -> int:
    import os

    from .distributed import push
    from .query import QueryError, load_graph

    try:
        store = load_graph(args.graph)
        n = push(store, args.endpoint, token=args.token or os.environ.get("KG_PUSH_TOKEN"), user=args.user,
                 include_vocabulary=not args.no_vocabulary)
    except (QueryError, RuntimeError) as err:
        _err(str(err))
        return 2
    _say(f"kg: {n} graph(s) pushed to {args.endpoint}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from .server import Settings, make_server

    token = args.write_token or os.environ.get("KG_WRITE_TOKEN") or None
    try:
        server = make_server(Settings(store=str(args.store), write_token=token, timeout=args.timeout,
                                      max_rows=args.max_rows, max_memory=args.max_memory, cors=args.cors),
                             args.host, args.port, max_parallel=args.parallel,
                             log=None if args.quiet else _say)
    except (FileNotFoundError, OSError) as err:
        _err(str(err))
        return 2
    host, port = server.server_address[:2]
    _say(f"kg: serving {args.store} at http://{host}:{port}/ (SPARQL at /query, Graph Store at /store"
          + ("; writes need the write token" if token else "; read-only") + ")", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    from .query import bundled_queries, describe

    for name, text in sorted(bundled_queries().items()):
        print(f"{name:22} {describe(text)}")
    return 0


def _command(sub, name: str, summary: str, description: str, examples: list[str], func) -> argparse.ArgumentParser:
    """A subcommand with its help text and examples."""
    p = sub.add_parser(name, help=summary, description=description, formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="example:\n" + "\n".join(f"  {e}" for e in examples))
    p.set_defaults(func=func)
    return p


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Build an RDF knowledge graph of actors, places, weapons, events, counts and quotes from "
                    "conflict-news articles, and question it with SPARQL.")
    parser.add_argument("--version", action="version", version=f"conflict-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = _command(sub, 'build', 'build a graph from article files or folders',
                 "Read articles (.txt/.md with optional front matter, .html, .jsonl; folders are searched "
                    "recursively) and write their graph. The output format follows OUT's extension: .trig and "
                    ".nq keep one named graph per article; .ttl, .nt and .jsonld also work. Unreadable inputs "
                    "are reported and skipped (exit status 3); OUT is written atomically.",
                 ['kg build data/ -o out/graph.trig', 'kg build a.txt b.html feed.jsonl -o graph.nq'], cmd_build)
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    b.add_argument("-o", "--output", required=True, metavar="OUT", help="graph file to write (.trig .nq .ttl .nt .jsonld)")
    b.add_argument("--workers", type=int, default=1, metavar="N", help="extract in N processes (default 1)")
    b.add_argument("--no-vocabulary", action="store_true", help="leave the ontology and SKOS schemes out of OUT")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local (default) or dask: extract on a Dask cluster and write N-Quads shards to the folder OUT")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a LocalCluster)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")

    a = _command(sub, 'add', 'add articles to a persistent store (created if missing)',
                 "Extract articles and put each into the store as its own named graph, replacing an earlier "
                    "version of the same article. Articles are written whole: an interrupted add leaves whole "
                    "articles only, and a new store appears only once complete. Query, viz and export accept "
                    "the store folder in place of a file.",
                 ['kg add data/ --store store/', 'kg add today/*.txt --store store/ --workers 2', 'kg query store/ timeline'], cmd_add)
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    a.add_argument("--store", required=True, metavar="DIR", help="store folder")
    a.add_argument("--workers", type=int, default=0, metavar="N", help="extraction processes (default: all cores)")
    a.add_argument("--sync", action="store_true",
                   help="then remove stored articles that no INPUT holds any more (renamed or deleted files); "
                        "skipped when an input cannot be read")
    a.add_argument("-q", "--quiet", action="store_true", help="no summary")

    r = _command(sub, 'remove', 'remove articles from a store',
                 "Remove the named graphs of these article ids from the store.",
                 ['kg remove seed_kyiv_2025_07_04 --store store/'], cmd_remove)
    r.add_argument("ids", nargs="+", metavar="ID", help="article ids")
    r.add_argument("--store", required=True, metavar="DIR", help="store folder")

    q = _command(sub, 'query', 'run SPARQL or a bundled question over a graph',
                 "Run a SPARQL query over a graph file that kg build wrote (all named graphs together). "
                    "QUERY is a bundled question's name (see `kg queries`), a .rq file, or SPARQL text. csv, "
                    "tsv, json and xml are the W3C SPARQL 1.1 results formats.",
                 ['kg query out/graph.trig interception-rate', 'kg query out/graph.trig entities --format csv'], cmd_query)
    q.add_argument("graph", metavar="GRAPH", help="graph file written by kg build, or a store folder")
    q.add_argument("query", metavar="QUERY", help="bundled question name, .rq file, or SPARQL text")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml"], default="table",
                   help="result format (default: table)")
    q.add_argument("--iris", action="store_true", help="table: show IRIs as they are instead of their labels")

    v = _command(sub, 'viz', 'draw the graph as an interactive network (one offline HTML file)',
                 "Project the graph onto actors, places, weapons and events and write an interactive network "
                    "page that works offline: colour and shape by category, size by mentions, tooltips with "
                    "identifiers, counts and source sentences, search, and filters by category and article.",
                 ['kg viz out/graph.trig -o out/graph.html', 'kg viz out/graph.trig -o kyiv.html --article seed_kyiv_2025_07_04 --category attack place weapon', 'kg viz out/graph.trig -o big.html --max-nodes 500'], cmd_viz)
    _network_options(v)
    v.add_argument("-o", "--output", required=True, metavar="HTML", help="page to write")
    v.add_argument("--title", help="page title (default: the graph file's name)")

    e = _command(sub, 'export', 'write the network as GraphML or GEXF for Gephi and Cytoscape',
                 "Write the projected network (the nodes and edges kg viz draws) as GraphML or GEXF.",
                 ['kg export out/graph.trig -o out/graph.graphml', 'kg export out/graph.trig -o out/graph.gexf', 'kg export out/graph.trig -o out/attacks.csv --format acled'], cmd_export)
    _network_options(e)
    e.add_argument("-o", "--output", required=True, metavar="FILE", help=".graphml or .gexf file to write "
                   "(a .csv with --format acled)")
    e.add_argument("--format", choices=["network", "acled"], default="network",
                   help="network: the projected network (default); acled: one row per real-world attack in "
                        "ACLED's columns")

    sv = _command(sub, 'serve', 'serve a store as a SPARQL 1.1 endpoint',
                 "A SPARQL 1.1 Protocol endpoint (/query), a Graph Store Protocol endpoint (/store), a service "
                    "description, /health and a query page. Read-only unless started with a write token (then "
                    "updates and graph writes need 'Authorization: Bearer TOKEN'). SERVICE and LOAD are refused and "
                    "the server never fetches a URL; a timeout (updates too), a memory cap and a result cap protect "
                    "it. One log line per request on stderr.",
                 ['kg serve --store store/', 'KG_WRITE_TOKEN=s3cret kg serve --store store/ --port 8000 --cors', 'kg push out/graph.trig --endpoint http://127.0.0.1:8000/store --token s3cret', "curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' http://127.0.0.1:7878/query"], cmd_serve)
    sv.add_argument("--store", required=True, metavar="DIR", help="store folder (made by kg add)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    sv.add_argument("--write-token", metavar="TOKEN", help="allow updates that carry this bearer token "
                                                           "(or set KG_WRITE_TOKEN)")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="S", help="query and update timeout in seconds (default 30)")
    sv.add_argument("--max-rows", type=int, default=100_000, metavar="N", help="result cap (default 100000)")
    sv.add_argument("--parallel", type=int, default=4, metavar="N", help="queries started at once (default 4); as many more may run aside, at low priority, once past 1 s")
    sv.add_argument("--max-memory", type=int, default=1024, metavar="MB",
                    help="memory cap of each query or update process, in MB (default 1024; 0: no cap)")
    sv.add_argument("--cors", action="store_true",
                    help="let web pages from any origin query this endpoint (Access-Control-Allow-Origin: *)")
    sv.add_argument("-q", "--quiet", action="store_true", help="no log line per request on stderr")

    pu = _command(sub, 'push', 'load a graph or store into any SPARQL 1.1 store (Graph Store Protocol)',
                 "PUT every named graph (one per article) to a Graph Store Protocol endpoint, replacing graphs "
                    "of the same name there: Fuseki, GraphDB, Virtuoso, QLever, Oxigraph...",
                 ['kg push out/graph.trig --endpoint http://localhost:7878/store', 'kg push store/ --endpoint http://localhost:3030/ds/data --user admin:pw'], cmd_push)
    pu.add_argument("graph", metavar="GRAPH", help="graph file, shard folder or store folder")
    pu.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store Protocol URL")
    pu.add_argument("--token", help="bearer token (or set KG_PUSH_TOKEN)")
    pu.add_argument("--user", metavar="USER:PASSWORD", help="HTTP basic authentication")
    pu.add_argument("--no-vocabulary", action="store_true", help="do not send the vocabulary graph")

    ls = sub.add_parser("queries", help="list the bundled questions", description="List the bundled SPARQL questions.")
    ls.set_defaults(func=cmd_queries)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _err("interrupted")
        # whatever is interrupted has been undone by now (temporary files removed, store transactions are
        # whole); if the interpreter's own exit then hangs on a half-stopped worker pool, do not wait for it
        import os
        import threading

        if argv is None:  # the command line itself, not a caller in Python that goes on running
            timer = threading.Timer(10, os._exit, (130,))
            timer.daemon = True
            timer.start()
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
