"""Extraction alone, in words per second of CPU time: this tree against other checkouts, interleaved.

Each run is a fresh process that reads the bench corpus (bench_build.corpus, the sample articles varied),
loads the lexicon and gazetteer, extracts every article once to warm up, then times `extract()` over the
corpus by CPU time (process_time, so other jobs on a shared machine count far less than on the wall clock)
and takes the best of `--repeat` passes. Trees alternate round by round; ratios are taken within each round
and the median is reported. Start-up, reading and RDF are left out: `bench_stream.py` measures whole builds.

    python bench/bench_extract.py --articles 300 --rounds 5 --tree base=/path/to/old/checkout
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
from kg.extract import default_resources, extract  # first: bench_build puts this tree's root on the path
sys.path.insert(0, sys.argv[1])
from bench_build import corpus
articles = corpus(int(sys.argv[2]))
repeat = int(sys.argv[3])
resources = default_resources()
words = sum(len(a.text.split()) for a in articles)
for a in articles:
    extract(a, resources)
best = None
for _ in range(repeat):
    t0 = time.process_time()
    for a in articles:
        extract(a, resources)
    cpu = time.process_time() - t0
    best = cpu if best is None else min(best, cpu)
print(json.dumps({"cpu": best, "words": words, "articles": len(articles)}))
"""


def run(tree: Path, articles: int, repeat: int) -> dict:
    """One timed extraction pass in a fresh process with `tree` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "bench"), str(articles), str(repeat)], cwd=tree,
                          env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{tree}: extraction failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=2, help="timed passes per run (the best counts)")
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=PATH",
                    help="another checkout to run beside this one (repeatable); the first is the baseline")
    args = ap.parse_args()
    trees = [(n, Path(p).resolve()) for n, p in (t.split("=", 1) for t in args.tree)] + [("this", ROOT)]
    results: dict[str, list[dict]] = {name: [] for name, _ in trees}
    for r in range(args.rounds):
        for name, tree in (trees if r % 2 == 0 else trees[::-1]):  # alternate who goes first
            res = run(tree, args.articles, args.repeat)
            results[name].append(res)
            print(f"round {r + 1}: {name:6} {res['articles']} articles, {res['words']} words: {res['cpu']:.2f} s CPU, "
                  f"{res['words'] / res['cpu']:,.0f} words/s", flush=True)
    print("\nmedian over rounds (ratios taken within each round):")
    base = trees[0][0]
    for name, runs in results.items():
        rate = statistics.median(x["words"] / x["cpu"] for x in runs)
        line = f"  {name:6} {rate:9,.0f} words/s of CPU time"
        if name != base:
            ratio = statistics.median(b["cpu"] / x["cpu"] for b, x in zip(results[base], runs))
            line += f"  | x{ratio:.2f} the speed of {base}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
