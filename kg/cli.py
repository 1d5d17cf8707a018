"""The `kg` command line: build a graph from articles, question it with SPARQL."""
from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from . import __version__

EPILOG = textwrap.dedent("""\
    examples:
      kg build data/ -o out/graph.trig          build the graph of every article in data/
      kg query out/graph.trig quantities         run a bundled question
      kg query out/graph.trig my-question.rq --format csv
      kg query out/graph.trig 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'
      kg queries                                 list the bundled questions
    """)


def _err(message: str) -> None:
    print(f"kg: error: {message}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .articles import ArticleError
    from .build import build
    from .output import OutputError

    def report(err: ArticleError) -> None:
        print(f"kg: skipped {err}", file=sys.stderr)

    try:
        result = build(args.inputs, args.output, workers=args.workers, include_vocabulary=not args.no_vocabulary,
                       on_error=report, progress=None if not args.quiet else False)
    except OutputError as err:
        _err(str(err))
        return 2
    except OSError as err:
        _err(f"{args.output}: cannot write ({err.strerror or err})")
        return 2
    if result.articles == 0:
        _err(f"no article could be read; {args.output} was not written")
        return 1
    if not args.quiet:
        print(f"kg: {result.articles} article{'s' if result.articles != 1 else ''} ({result.words} words) -> "
              f"{args.output} ({result.statements} statements)"
              + (f"; {len(result.errors)} input(s) skipped" if result.errors else ""), file=sys.stderr)
    return 3 if result.errors else 0


def cmd_query(args: argparse.Namespace) -> int:
    from .query import QueryError, format_results, load_graph, resolve_query, run_query

    try:
        sparql = resolve_query(args.query)
        store = load_graph(args.graph)
        result = run_query(store, sparql)
        data = format_results(result, args.format)
    except QueryError as err:
        _err(str(err))
        return 2
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    from .query import bundled_queries, describe

    for name, text in sorted(bundled_queries().items()):
        print(f"{name:22} {describe(text)}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Build an RDF knowledge graph of actors, places, weapons, events, counts and quotes from "
                    "conflict-news articles, and question it with SPARQL.")
    parser.add_argument("--version", action="version", version=f"conflict-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build", help="build a graph from article files or folders",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read articles (.txt/.md with optional front matter, .html, .jsonl; folders are searched "
                    "recursively) and write their graph. The output format follows OUT's extension: .trig and "
                    ".nq keep one named graph per article; .ttl, .nt and .jsonld also work. Unreadable inputs "
                    "are reported and skipped (exit status 3); OUT is written atomically.",
        epilog="example:\n  kg build data/ -o out/graph.trig\n  kg build a.txt b.html feed.jsonl -o graph.nq")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    b.add_argument("-o", "--output", required=True, metavar="OUT", help="graph file to write (.trig .nq .ttl .nt .jsonld)")
    b.add_argument("--workers", type=int, default=1, metavar="N", help="extract in N processes (default 1)")
    b.add_argument("--no-vocabulary", action="store_true", help="leave the ontology and SKOS schemes out of OUT")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser(
        "query", help="run SPARQL or a bundled question over a graph",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run a SPARQL query over a graph file that kg build wrote (all named graphs together). "
                    "QUERY is a bundled question's name (see `kg queries`), a .rq file, or SPARQL text. csv, "
                    "tsv, json and xml are the W3C SPARQL 1.1 results formats.",
        epilog="example:\n  kg query out/graph.trig interception-rate\n  kg query out/graph.trig entities --format csv")
    q.add_argument("graph", metavar="GRAPH", help="graph file written by kg build")
    q.add_argument("query", metavar="QUERY", help="bundled question name, .rq file, or SPARQL text")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml"], default="table",
                   help="result format (default: table)")
    q.set_defaults(func=cmd_query)

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
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
