"""Benchmark the persistent store at scale: add throughput with 1 and 2 workers, size on disk, and the
latency of each bundled question, for pyoxigraph's on-disk store and rdflib's in-memory graph, with ratios
measured in the same run.

    python bench/bench_store.py [--articles 10000] [--rdflib-queries 3]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus_file  # noqa: E402
from kg.query import bundled_queries, run_query  # noqa: E402
from kg.store import add_articles, open_read_only  # noqa: E402


def du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--rdflib-queries", type=int, default=3, help="how many questions to time on rdflib too (0: skip rdflib)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        feed, words = corpus_file(args.articles, tmp)
        print(f"corpus: {args.articles} articles, {words} words")
        rates = {}
        for workers in (1, 2):
            store = Path(tmp) / f"store{workers}"
            t0 = time.perf_counter()
            add_articles([feed], store, workers=workers)
            dt = time.perf_counter() - t0
            rates[workers] = args.articles / dt
            print(f"kg add, {workers} worker(s): {dt:.1f} s, {rates[workers]:.0f} articles/s, store {du(store):.0f} MiB on disk")
        print(f"2 workers vs 1: {rates[2] / rates[1]:.2f}x")
        store = open_read_only(Path(tmp) / "store1")
        n = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
        print(f"quads in store: {n}")
        oxi = {}
        for name, sparql in sorted(bundled_queries().items()):
            t0 = time.perf_counter()
            rows = sum(1 for _ in run_query(store, sparql))
            oxi[name] = time.perf_counter() - t0
            print(f"  pyoxigraph (disk) {name:22} {oxi[name] * 1000:9.1f} ms {rows:8d} rows")
        if args.rdflib_queries:
            import rdflib
            nq = Path(tmp) / "all.nq"
            with nq.open("wb") as fh:
                store.dump(fh, format=__import__("pyoxigraph").RdfFormat.N_QUADS)
            t0 = time.perf_counter()
            ds = rdflib.Dataset(default_union=True)
            ds.parse(nq, format="nquads")
            rl_load = time.perf_counter() - t0
            print(f"rdflib (memory) parse of the same {n} quads: {rl_load:.1f} s; peak memory "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
            for name in ("casualties-by-place", "interception-rate", "quantities")[: args.rdflib_queries]:
                t0 = time.perf_counter()
                rows = len(list(ds.query(bundled_queries()[name])))
                rl = time.perf_counter() - t0
                print(f"  rdflib (memory)   {name:22} {rl * 1000:9.1f} ms {rows:8d} rows "
                      f"(pyoxigraph {rl / oxi[name]:.0f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
