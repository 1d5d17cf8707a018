"""Benchmark `kg query --format table` with labels against the same table with IRIs (`--iris`) and csv.

A synthetic store of ROWS events, each on one of PLACES labelled places (a tenth of them sharing a label,
so disambiguation runs), is queried for event and place; the label lookup is one VALUES query per result.
A third variant looks labels up with one query per IRI, the approach the batched lookup replaces. Runs
are interleaved (labels, iris, csv, per-IRI, ...) and the medians reported with ratios to `--iris`.

    python bench/bench_table.py [--rows 20000] [--places 2000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg.query import format_results, run_query  # noqa: E402
from kg.table import LABEL_PROPERTIES, lookup_labels, render_table  # noqa: E402

KGP = "https://w3id.org/conflict-kg/place/"
EV = "https://w3id.org/conflict-kg/event/"
QUERY = "SELECT ?event ?place WHERE { ?event ckg:place ?place } ORDER BY ?event"


def make_store(rows: int, places: int) -> ox.Store:
    """ROWS events spread over PLACES places; every tenth place shares its label with the next one."""
    store = ox.Store()
    g = ox.NamedNode("urn:x-bench:g")
    label = ox.NamedNode(LABEL_PROPERTIES[0])
    quads = [ox.Quad(ox.NamedNode(f"{KGP}p{i}"), label, ox.Literal(f"Place {i - i % 10 if i % 10 < 2 else i}"), g)
             for i in range(places)]
    quads += [ox.Quad(ox.NamedNode(f"{EV}attack-{i:07d}"), ox.NamedNode("https://w3id.org/conflict-kg/ontology#place"),
                      ox.NamedNode(f"{KGP}p{i % places}"), g) for i in range(rows)]
    store.extend(quads)
    return store


def per_iri_table(store: ox.Store) -> bytes:
    """The labelled table with one label query per distinct IRI (the baseline the batch replaces)."""
    result = run_query(store, QUERY)
    variables = [v.value for v in result.variables]
    rows = [[sol[v] for v in variables] for sol in result]
    labels: dict[str, str] = {}
    for iri in {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}:
        labels.update(lookup_labels(store, [iri]))
    return render_table(variables, rows, labels).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--places", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    store = make_store(args.rows, args.places)
    variants = {
        "table, labels (batched)": lambda: format_results(run_query(store, QUERY), "table", store=store),
        "table, --iris": lambda: format_results(run_query(store, QUERY), "table", store=store, iris=True),
        "csv": lambda: format_results(run_query(store, QUERY), "csv", store=store),
        "table, labels (one query per IRI)": lambda: per_iri_table(store),
    }
    assert variants["table, labels (batched)"]() == variants["table, labels (one query per IRI)"]()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.repeat):
        for name, run in variants.items():  # interleaved, so load from other processes hits all alike
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["table, --iris"])
    print(f"{args.rows} rows, {args.places + args.rows} distinct IRIs, median of {args.repeat} interleaved runs")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:36s} {med * 1000:8.1f} ms   x{med / base:5.2f} of --iris")


if __name__ == "__main__":
    main()
