"""Time every bundled question on a large store, and `kg query` end to end (issue 10).

Builds a store of N articles from the bench corpus (bench/bench_build.py: `kg build` to N-Quads, then a
pyoxigraph bulk load), or reuses one given with --store, then times each bundled question (median of
--runs runs, all in this one process, rows counted) and `kg query STORE QUESTION` as a fresh process
(start-up included). `--tree NAME=CHECKOUT` also runs that checkout's bundled questions on the same store,
interleaved with ours run by run, and its `kg query`, so the ratios come from one run on a shared machine.

    python bench/bench_questions.py --articles 10000 --store /tmp/q10k/store [--tree base=/path/to/checkout]

A store made by an older checkout lacks the summary facts the current questions read (ckg:eventCount ...);
build it with this tree (delete the folder, or give a new --store path).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from bench_build import corpus_file  # noqa: E402
from kg.query import load_graph, run_query  # noqa: E402

PYTHON = sys.executable
LIMIT_MS = 100.0  # issue 10: every bundled question at or under this median
START_LIMIT_MS = 300.0  # issue 10: `kg query STORE QUESTION` including start-up


def questions_of(checkout: Path) -> dict[str, str]:
    """Name -> SPARQL of the bundled questions of a checkout (read as files: its code is not imported)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((checkout / "kg" / "queries").glob("*.rq"))}


def make_store(n: int, store: Path) -> None:
    """A store of n bench articles: `kg build` (this tree) to N-Quads, then a bulk load."""
    with tempfile.TemporaryDirectory(dir=store.parent) as tmp:
        src, words = corpus_file(n, tmp)
        nq = Path(tmp) / "graph.nq"
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-m", "kg", "build", str(src), "-o", str(nq)], cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        t1 = time.perf_counter()
        db = ox.Store(str(store))
        with nq.open("rb") as fh:
            db.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
        db.flush()
        del db
        print(f"store: {n} articles, {words} words; build {t1 - t0:.0f} s, bulk load {time.perf_counter() - t1:.0f} s")


def time_rows(store: ox.Store, sparql: str) -> tuple[float, int]:
    """Seconds to run a query and read every row, and how many rows."""
    t0 = time.perf_counter()
    n = sum(1 for _ in run_query(store, sparql))
    return time.perf_counter() - t0, n


def kg_query_ms(checkout: Path, store: Path, question: str) -> tuple[float, int]:
    """Wall time of `kg query STORE QUESTION --format csv` as a new process in `checkout`, and its lines."""
    t0 = time.perf_counter()
    out = subprocess.run([PYTHON, "-m", "kg", "query", str(store), question, "--format", "csv"], cwd=checkout,
                         env={**os.environ, "PYTHONPATH": str(checkout)}, capture_output=True, check=True)
    return (time.perf_counter() - t0) * 1000, out.stdout.count(b"\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--store", type=Path, default=None, help="store folder to reuse (made there if missing)")
    ap.add_argument("--runs", type=int, default=5, help="runs per question (median reported)")
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=CHECKOUT",
                    help="also time the bundled questions of another checkout (interleaved with ours)")
    ap.add_argument("--only", nargs="*", default=None, help="only these questions")
    ap.add_argument("--cli", nargs="*", default=["articles", "casualties-by-place", "repeat-targets"],
                    help="questions to time through `kg query` as a new process")
    args = ap.parse_args()
    trees = {"this": ROOT}
    for spec in args.tree:
        name, _, path = spec.partition("=")
        trees[name] = Path(path).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        path = args.store or Path(scratch) / "store"
        if not (path / "CURRENT").exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            make_store(args.articles, path)
        t0 = time.perf_counter()
        store = load_graph(path)
        print(f"open store {path}: {(time.perf_counter() - t0) * 1000:.0f} ms; {len(store)} quads")
        sets = {name: questions_of(tree) for name, tree in trees.items()}
        names = [q for q in sets["this"] if args.only is None or q in args.only]
        header = f"{'question':22} {'rows':>8} " + " ".join(f"{t + ' ms':>12}" for t in trees)
        header += "".join(f" {'x vs ' + t:>10}" for t in list(trees)[1:])
        print(header)
        over = []
        for q in names:
            times: dict[str, list[float]] = {t: [] for t in trees}
            rows: dict[str, int] = {}
            for _ in range(args.runs):
                for t, qs in sets.items():  # interleaved: each run of ours next to a run of each other tree's
                    if q in qs:
                        s, rows[t] = time_rows(store, qs[q])
                        times[t].append(s * 1000)
            med = {t: statistics.median(v) for t, v in times.items() if v}
            if med["this"] > LIMIT_MS:
                over.append(q)
            line = f"{q:22} {rows['this']:8d} " + " ".join(f"{med[t]:12.1f}" if t in med else f"{'-':>12}" for t in trees)
            line += "".join(f" {med[t] / med['this']:10.2f}" if t in med else f" {'-':>10}" for t in list(trees)[1:])
            if any(t != "this" and t in rows and rows[t] != rows["this"] for t in rows):
                line += "  (row counts differ: " + ", ".join(f"{t} {n}" for t, n in rows.items()) + ")"
            print(line, flush=True)
        print(f"over {LIMIT_MS:.0f} ms median: {len(over)} of {len(names)}" + (f" ({', '.join(over)})" if over else ""))
        del store  # the read-only handle is closed before `kg query` opens the store itself
        print(f"`kg query STORE QUESTION --format csv`, new process, start-up included (median of {args.runs}):")
        for q in args.cli:
            times = {t: [] for t in trees}
            for _ in range(args.runs):
                for t, tree in trees.items():
                    ms, lines = kg_query_ms(tree, path, q)
                    times[t].append(ms)
            line = f"  {q:22} {lines:7d} lines " + " ".join(f"{t} {statistics.median(v):8.0f} ms" for t, v in times.items())
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
