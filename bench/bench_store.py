"""Benchmark `kg add` against `kg build` + a bulk load of the same articles, in one run: articles/s and the
ratio, peak memory of each step (to see whether it grows with the corpus), and the store's size on disk.

Three ways to the same store, each a fresh process, interleaved per corpus size:
  build+load   `kg build -o graph.nq`, then a bulk load of graph.nq into a new store (the baseline)
  add (new)    `kg add` into a new store (built aside with the bulk loader, renamed into place)
  add (grow)   `kg add` into a store that already holds one article (whole articles in transactions)

    python bench/bench_store.py [--articles 2000 10000] [--rounds 1] [--questions]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SEED = ROOT / "data" / "seed_kyiv_2025_07_04.txt"


def du(path: Path) -> float:
    """MiB of the files under `path` (what `du` counts, without block rounding)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def step(kind: str, feed: Path, where: Path) -> dict:
    """Run one step in a fresh process; its wall time and peak memory (that process and its workers)."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--step", kind, str(feed), str(where)], capture_output=True,
                         text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed: {out.stderr.strip()[-2000:]}")
    return {"seconds": seconds, **json.loads(out.stdout.strip().splitlines()[-1])}


def run_step(kind: str, feed: Path, where: Path) -> None:
    """The body of one step (in its own process); prints its peak memory and its parts' times as JSON."""
    import pyoxigraph as ox

    from kg.cli import main

    times = {}
    t0 = time.perf_counter()
    if kind == "build+load":
        nq = where.with_suffix(".nq")
        assert main(["build", str(feed), "-o", str(nq), "--workers", "1", "-q"]) == 0
        times["build"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        store = ox.Store(str(where))
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        times["load"] = time.perf_counter() - t1
        nq.unlink()
    elif kind == "add-new":
        assert main(["add", str(feed), "--store", str(where), "--workers", "1", "-q"]) == 0
    elif kind == "add-grow":
        assert main(["add", str(SEED), "--store", str(where), "--workers", "1", "-q"]) == 0
        t0 = time.perf_counter()  # time only the run into the existing store
        assert main(["add", str(feed), "--store", str(where), "--workers", "1", "-q"]) == 0
    times["own"] = time.perf_counter() - t0
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"peak_mib": peak / 1024, "times": times}))


def questions(store_path: Path) -> None:
    from kg.query import bundled_queries, run_query
    from kg.store import open_read_only

    store = open_read_only(store_path)
    for name, sparql in sorted(bundled_queries().items()):
        t0 = time.perf_counter()
        rows = sum(1 for _ in run_query(store, sparql))
        print(f"  {name:22} {(time.perf_counter() - t0) * 1000:9.1f} ms {rows:8d} rows")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--rounds", type=int, default=1, help="repeat the three ways this many times (interleaved)")
    ap.add_argument("--kinds", nargs="+", default=["build+load", "add-new", "add-grow"],
                    choices=["build+load", "add-new", "add-grow"], help="which ways to run (default: all three)")
    ap.add_argument("--questions", action="store_true", help="then time each bundled question on the largest store")
    ap.add_argument("--step", nargs=3, metavar=("KIND", "FEED", "STORE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        run_step(args.step[0], Path(args.step[1]), Path(args.step[2]))
        return 0
    from bench_build import corpus_file

    kinds = tuple(args.kinds)
    results: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.articles:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            feed, words = corpus_file(n, folder)
            print(f"corpus: {n} articles, {words} words", flush=True)
            results[n] = {k: [] for k in kinds}
            for rnd in range(args.rounds):
                for kind in kinds if rnd % 2 == 0 else reversed(kinds):
                    where = folder / f"{kind}-{rnd}"
                    r = step(kind, feed, where)
                    r["disk_mib"] = du(where)
                    r["quads"] = _count(where)
                    results[n][kind].append(r)
                    parts = ", ".join(f"{k} {v:.1f} s" for k, v in r["times"].items() if k != "own")
                    print(f"  round {rnd + 1} {kind:10} {r['times']['own']:7.1f} s ({n / r['times']['own']:5.1f} "
                          f"articles/s{'; ' + parts if parts else ''}), peak {r['peak_mib']:6.0f} MiB, "
                          f"disk {r['disk_mib']:6.0f} MiB, {r['quads']} quads", flush=True)
                    keep = args.questions and n == max(args.articles) and rnd == args.rounds - 1 and kind == kinds[-1]
                    if not keep:
                        shutil.rmtree(where, ignore_errors=True)
            base = results[n].get("build+load", [])
            for kind in [k for k in kinds if base and k != "build+load"]:
                ratios = [b["times"]["own"] / r["times"]["own"] for b, r in zip(base, results[n][kind])]
                disk = [r["disk_mib"] / b["disk_mib"] for b, r in zip(base, results[n][kind])]
                print(f"  {kind}: speed {sorted(ratios)[len(ratios) // 2]:.2f}x of build+load (per round: "
                      f"{', '.join(f'{x:.2f}' for x in ratios)}); disk {sorted(disk)[len(disk) // 2]:.2f}x", flush=True)
        if len(args.articles) > 1:
            small, large = min(args.articles), max(args.articles)
            for kind in kinds:
                a = min(r["peak_mib"] for r in results[small][kind])
                b = min(r["peak_mib"] for r in results[large][kind])
                print(f"peak memory {kind:10}: {a:.0f} MiB at {small}, {b:.0f} MiB at {large} ({b / a:.2f}x)")
        if args.questions:
            print(f"bundled questions on the {kinds[-1]} store of {max(args.articles)} articles:")
            questions(Path(tmp) / str(max(args.articles)) / f"{kinds[-1]}-{args.rounds - 1}")
    return 0


def _count(where: Path) -> int:
    from kg.store import open_read_only

    return len(open_read_only(where))


if __name__ == "__main__":
    sys.exit(main())
