"""Benchmark the network view: projection, HTML rendering and GraphML export on a large graph.

    python bench/bench_viz.py [--articles 1000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus_file  # noqa: E402
from kg.build import build  # noqa: E402
from kg.network import export, most_connected, project  # noqa: E402
from kg.query import load_graph  # noqa: E402
from kg.viz import write_html  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, _words = corpus_file(args.articles, tmp)
        graph = Path(tmp) / "g.nq"
        build([src], graph, progress=False)
        store = load_graph(graph)
        t0 = time.perf_counter()
        g = project(store)
        proj = time.perf_counter() - t0
        print(f"projection: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges in {proj:.2f} s")
        for limit in (500, 5000, 0):
            sub, left = most_connected(g, limit) if limit else (g, 0)
            t0 = time.perf_counter()
            write_html(sub, Path(tmp) / "g.html", left_out=left)
            dt = time.perf_counter() - t0
            size = (Path(tmp) / "g.html").stat().st_size / 2**20
            print(f"render {sub.number_of_nodes():6d} nodes: {dt:.2f} s ({size:.1f} MiB HTML)")
        t0 = time.perf_counter()
        export(g, Path(tmp) / "g.graphml")
        print(f"GraphML export of {g.number_of_nodes()} nodes: {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
