"""Paired, interleaved build benchmark: this tree against other checkouts on the same corpus.

Each run is a fresh process that times `kg.build.build(corpus, out)` alone (start-up excluded) and reports
its own peak RSS. Runs of the trees alternate round by round, so a busy machine slows them alike; ratios
are taken within each round and the median is reported. Use it for articles/s against a baseline, for
the memory of 2,000 against 20,000 articles, and for 1 against 2 workers.

    python bench/bench_stream.py --articles 2000 --rounds 3 --tree base=/path/to/old/checkout
    python bench/bench_stream.py --articles 2000 20000 --rounds 1          # memory flat in corpus size?
    python bench/bench_stream.py --articles 2000 --workers 1 2 --rounds 3  # two workers against one
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus_file  # noqa: E402

CHILD = """
import json, os, resource, sys, time
from kg.build import build
src, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0, c0 = time.perf_counter(), os.times()
report = build([src], out, workers=workers, progress=False)
elapsed, c1 = time.perf_counter() - t0, os.times()
cpu = sum(c1[:4]) - sum(c0[:4])  # user + system, this process and its workers
print(json.dumps({"seconds": elapsed, "cpu": cpu, "articles": report.articles, "statements": report.statements,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run(tree: Path, src: Path, out: Path, workers: int) -> dict:
    """One build in a fresh process with `tree` first on the path; its own figures, and the workers' peak."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(out), str(workers)], cwd=tree, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"{tree}: build failed: {stderr.strip().splitlines()[-1:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    out.unlink(missing_ok=True)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[2000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=PATH",
                    help="another checkout to run beside this one (repeatable); the first is the baseline")
    ap.add_argument("--format", default="nq", help="output extension (default nq)")
    args = ap.parse_args()
    trees = [(n, Path(p).resolve()) for n, p in (t.split("=", 1) for t in args.tree)] + [("this", ROOT)]
    configs = [(name, tree, n, w) for n in args.articles for w in args.workers for name, tree in trees]
    results: dict[tuple, list[dict]] = {c[:1] + c[2:]: [] for c in configs}
    with tempfile.TemporaryDirectory() as tmp:
        sources = {}
        for n in args.articles:
            folder = Path(tmp) / f"c{n}"
            folder.mkdir()
            sources[n] = corpus_file(n, folder)
        for r in range(args.rounds):
            order = configs if r % 2 == 0 else configs[::-1]  # alternate who goes first
            for name, tree, n, w in order:
                res = run(tree, sources[n][0], Path(tmp) / f"out.{args.format}", w)
                res["words"] = sources[n][1]
                results[(name, n, w)].append(res)
                workers_peak = f" (largest worker {res['worker_peak_mib']:.0f} MiB)" if w > 1 else ""
                print(f"round {r + 1}: {name:6} {n:6d} articles, {w} worker(s): {res['seconds']:7.2f} s, "
                      f"{res['articles'] / res['seconds']:6.1f} articles/s, peak {res['peak_mib']:6.0f} MiB"
                      f"{workers_peak}, CPU {res['cpu']:.1f} s, {res['statements']} statements", flush=True)
    print("\nmedian over rounds (ratios taken within each round):")
    base_name = trees[0][0]
    for (name, n, w), runs in results.items():
        rate = statistics.median(x["articles"] / x["seconds"] for x in runs)
        peak = statistics.median(x["peak_mib"] for x in runs)
        line = f"  {name:6} {n:6d} articles, {w} worker(s): {rate:6.1f} articles/s, peak {peak:6.0f} MiB"
        if name != base_name:
            base = results[(base_name, n, w)]
            speed = statistics.median(b["seconds"] / x["seconds"] for b, x in zip(base, runs))
            mem = statistics.median(x["peak_mib"] / b["peak_mib"] for b, x in zip(base, runs))
            cpu = statistics.median(b["cpu"] / x["cpu"] for b, x in zip(base, runs))
            line += (f"  | speed x{speed:.2f} (by CPU time x{cpu:.2f}), peak memory x{mem:.2f} against {base_name}")
        print(line)
    if len(args.workers) > 1:
        for name, _ in trees:
            for n in args.articles:
                one = results[(name, n, args.workers[0])]
                for w in args.workers[1:]:
                    ratio = statistics.median(a["seconds"] / b["seconds"] for a, b in zip(one, results[(name, n, w)]))
                    print(f"  {name:6} {n:6d} articles: {w} workers x{ratio:.2f} the speed of {args.workers[0]}")
    if len(args.articles) > 1:
        for name, _ in trees:
            for w in args.workers:
                small = results[(name, args.articles[0], w)]
                for n in args.articles[1:]:
                    ratio = statistics.median(b["peak_mib"] / a["peak_mib"] for a, b in zip(small, results[(name, n, w)]))
                    print(f"  {name:6} {w} worker(s): peak memory at {n} articles x{ratio:.2f} that at {args.articles[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
