"""End to end at scale: generate a corpus, `kg build` it to N-Quads, bulk-load a store, run every bundled
question on the store, and `kg viz` its most connected nodes. Each step runs as its own process, so the
figures printed for it are its own: wall-clock time, CPU time, peak RSS (for `kg build --workers N`, the
parent's and the largest worker's), and the disk it leaves behind.

    python bench/bench_100k.py --articles 100000 --workers 2 --dir /tmp/kg100k   # ~1 h on 2 shared cores
    python bench/bench_100k.py --articles 2000 --dir /tmp/kg2k                   # a quick check

Every finished step is also appended as one JSON line to DIR/figures.jsonl, so a long run can be read while
it goes (and a question that exceeds --timeout is stopped and recorded as such, not waited for).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

MAKE_CORPUS = """
import sys
sys.path.insert(0, sys.argv[1] + "/bench")
from bench_build import corpus_file
path, words = corpus_file(int(sys.argv[2]), sys.argv[3])
print(words)
"""

BULK_LOAD = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)
store.optimize()
print(len(store))
"""


def run_step(name: str, argv: list[str], log: Path, timeout: float | None = None,
             stdout_to: Path | None = None) -> dict:
    """Run one step as a child process; its time, CPU, peak RSS (its own and its children's), exit status."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = stdout_to.open("wb") if stdout_to else subprocess.PIPE
    errors = log.parent / "stderr.txt"
    t0 = time.perf_counter()
    with errors.open("ab") as err_fh:  # to a file: a pipe left unread could fill and block the step
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=err_fh, start_new_session=True)
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        os.killpg(proc.pid, signal.SIGKILL)  # the step's own process group only (it may have workers)

    timer = threading.Timer(timeout, stop) if timeout else None
    if timer:
        timer.start()
    captured = b""
    if stdout_to is None:
        captured = proc.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - t0
    if timer:
        timer.cancel()
    if stdout_to:
        out.close()  # type: ignore[union-attr]
    # wait4's usage is the child's own plus that of the children it reaped (the build's workers): maxrss is
    # the largest single process among them
    result = {"step": name, "seconds": round(elapsed, 2), "cpu": round(usage.ru_utime + usage.ru_stime, 2),
              "peak_mib": round(usage.ru_maxrss / 1024, 1), "exit": proc.returncode,
              "timed_out": timed_out.is_set()}
    if proc.returncode and not timed_out.is_set():
        result["error"] = errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
    result["stdout"] = captured.decode("utf-8", "replace").strip()[-200:]
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(result) + "\n")
    flag = " TIMED OUT" if timed_out.is_set() else (f" FAILED {result.get('error')}" if proc.returncode else "")
    print(f"{name:32} {elapsed:9.1f} s  CPU {result['cpu']:9.1f} s  peak {result['peak_mib']:7.0f} MiB{flag}",
          flush=True)
    return result


def disk(path: Path) -> int:
    """Bytes under `path` (a file or a folder)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def count_rows(csv: Path) -> int:
    with csv.open("rb") as fh:
        return max(0, sum(1 for _ in fh) - 1)  # the header line


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", required=True, help="working folder (corpus, graph, store, page); kept afterwards")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed to each question (default 900)")
    ap.add_argument("--max-nodes", type=int, default=500, help="nodes in the network page (default 500)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["corpus", "build", "load"],
                    help="steps whose output DIR already holds from an earlier run")
    args = ap.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    log = work / "figures.jsonl"
    corpus, graph, store, page = work / "corpus.jsonl", work / "graph.nq", work / "store", work / "top.html"
    kg = [PY, "-m", "kg"]
    print(f"{args.articles} articles, {args.workers} worker(s), in {work}", flush=True)
    total = time.perf_counter()
    if "corpus" not in args.skip:
        run_step("corpus", [PY, "-c", MAKE_CORPUS, str(ROOT), str(args.articles), str(work)], log)
    if "build" not in args.skip:
        built = run_step(f"kg build --workers {args.workers}",
                         kg + ["build", str(corpus), "-o", str(graph), "--workers", str(args.workers), "-q"], log)
        if built["exit"] not in (0, 3):
            return 1
    lines = sum(1 for _ in graph.open("rb"))
    if "load" not in args.skip:
        if store.exists():
            import shutil
            shutil.rmtree(store)
        loaded = run_step("bulk load (pyoxigraph)", [PY, "-c", BULK_LOAD, str(store), str(graph)], log)
        if loaded["exit"]:
            return 1
    from kg.query import bundled_queries  # noqa: E402  (only the names: the questions run in their own process)
    answers = work / "answers"
    answers.mkdir(exist_ok=True)
    questions = {}
    for name in sorted(bundled_queries()):
        target = answers / f"{name}.csv"
        res = run_step(f"kg query {name}", kg + ["query", str(store), name, "--format", "csv"], log,
                       timeout=args.timeout, stdout_to=target)
        res["rows"] = count_rows(target) if res["exit"] == 0 else None
        questions[name] = res
    viz = run_step(f"kg viz --max-nodes {args.max_nodes}",
                   kg + ["viz", str(store), "--max-nodes", str(args.max_nodes), "-o", str(page)], log)
    print("\nsummary")
    print(f"  corpus      {disk(corpus) / 2**20:10.1f} MiB")
    print(f"  graph.nq    {disk(graph) / 2**30:10.2f} GiB, {lines:,} statements")
    print(f"  store       {disk(store) / 2**30:10.2f} GiB on disk")
    if page.exists():
        print(f"  top.html    {disk(page) / 2**20:10.1f} MiB ({viz['seconds']:.1f} s)")
    for name, res in questions.items():
        rows = "timed out" if res["timed_out"] else (f"{res['rows']} rows" if res["rows"] is not None else "failed")
        print(f"  {name:24} {res['seconds']:8.1f} s  {res['peak_mib']:7.0f} MiB  {rows}")
    print(f"  whole run   {time.perf_counter() - total:10.1f} s")
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"step": "disk", "corpus": disk(corpus), "graph": disk(graph), "statements": lines,
                             "store": disk(store), "page": disk(page) if page.exists() else None}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
