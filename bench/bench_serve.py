"""Benchmark `kg serve` against Oxigraph's own server (`oxigraph serve-read-only`, PyPI `oxigraph`) on the
same store in one run: latency of `ASK {}` and of each bundled question with one client, requests/s with
1 and 8 clients, and the ratios. Both answer the same questions (row counts are checked to agree).

The load comes from wrk (Debian's `wrk`: C, HTTP/1.1 keep-alive) when it is installed, so that it takes
little of the CPU the servers need; otherwise from a Python client here, which then takes a good share of
it (said in the output). (ApacheBench is not used: it speaks HTTP/1.0, and Oxigraph's server closes
HTTP/1.0 connections after each answer, which would make it look slower than it is.) Measurements of the
two servers are interleaved (A B B A), and each figure is the better of its two runs, so that load from
other processes on the machine hits both alike. A question that takes longer than --slow seconds is timed
once per server, not put under load.

    python bench/bench_serve.py [--articles 100] [--seconds 2] [--parallel 4]
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import corpus_file  # noqa: E402
from kg.query import bundled_queries  # noqa: E402
from kg.store import add_articles  # noqa: E402

ACCEPT = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, limit: float = 60) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            if fetch(port, "/query?query=" + quote("ASK {}"))[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no server answered on port {port}")


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Accept": ACCEPT})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def rows(body: bytes) -> int:
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else 1


def _ms(value: str) -> float:
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", value)
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]


def wrk(port: int, path: str, clients: int, seconds: float) -> dict:
    """requests/s and mean latency (ms) from wrk, keep-alive, for `seconds`."""
    out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds:g}s",
                          "--timeout", "120s", "-H", f"Accept: {ACCEPT}", f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, timeout=seconds + 180).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    # one connection: the mean latency is the time per request (wrk's own latency figure leaves out the time
    # between requests, and rounds)
    mean = 1000.0 / rps if clients == 1 else _ms(re.search(r"Latency\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        raise RuntimeError(f"port {port}: {bad.group(1)} failed answers to {path[:80]}")
    return {"rps": rps, "ms": mean}


def python_load(port: int, path: str, clients: int, seconds: float) -> dict:
    """The same, from Python threads on keep-alive connections (when wrk is missing)."""
    counts, lat = [0] * clients, []
    end = time.monotonic() + seconds

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < end:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Accept": ACCEPT})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                raise RuntimeError(f"port {port}: {r.status}")
            lat.append(time.perf_counter() - t0)
            counts[i] += 1
        conn.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": sum(counts) / (time.monotonic() - t0), "ms": statistics.mean(lat) * 1000 if lat else float("nan")}


def measure(load, ports: dict[str, int], path: str, clients: int, seconds: float) -> dict[str, dict]:
    """Interleaved A B B A; for each server the better run."""
    best: dict[str, dict] = {}
    for name in ("kg", "oxigraph", "oxigraph", "kg"):
        r = load(ports[name], path, clients, seconds)
        if name not in best or r["rps"] > best[name]["rps"]:
            best[name] = r
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="length of each load run (at least 12 times one answer's time, at most 30 s)")
    ap.add_argument("--slow", type=float, default=2.0, help="questions slower than this (s) are timed once")
    ap.add_argument("--parallel", type=int, default=4, help="kg serve --parallel (its default: 4)")
    ap.add_argument("--only", nargs="*", help="bundled questions to run (default: all)")
    args = ap.parse_args()

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(oxigraph).exists():
        print("the oxigraph server is not installed (pip install oxigraph)", file=sys.stderr)
        return 2
    load, client = (wrk, "wrk") if shutil.which("wrk") else (python_load, "Python threads (no wrk: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        feed, _ = corpus_file(args.articles, tmp)
        store = Path(tmp) / "store"
        add_articles([feed], store, workers=1)
        ports = {"kg": free_port(), "oxigraph": free_port()}
        procs = [
            subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(ports["kg"]),
                              "--quiet", "--parallel", str(args.parallel), "--timeout", "600"], cwd=ROOT, stderr=subprocess.DEVNULL),
            subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store), "--union-default-graph",
                              "--bind", f"127.0.0.1:{ports['oxigraph']}"], stderr=subprocess.DEVNULL),
        ]
        try:
            for port in ports.values():
                wait_ready(port)
            questions = {"ASK {}": "ASK {}"}
            questions.update({k: v for k, v in sorted(bundled_queries().items()) if not args.only or k in args.only})
            print(f"store: {args.articles} articles; load: {client}, {args.seconds:g} s a run; "
                  f"kg serve --parallel {args.parallel}; 2 runs each, interleaved, better kept")
            print(f"{'question':22} {'rows':>5} | {'1 client: kg ms':>15} {'ox ms':>7} {'ratio':>6} "
                  f"{'kg req/s':>8} {'ox req/s':>8} | {'8 clients: kg req/s':>19} {'ox req/s':>8} {'ratio':>6}")
            lat_ratios, rps_ratios = [], []
            slow = []
            for name, sparql in questions.items():
                path = "/query?query=" + quote(sparql)
                answers, took = {}, {}
                for k in ("kg", "oxigraph"):
                    t0 = time.perf_counter()
                    answers[k] = fetch(ports[k], path)
                    took[k] = time.perf_counter() - t0
                for k, (status, body) in answers.items():
                    if status != 200:
                        raise RuntimeError(f"{k} answered {status} to {name}: {body[:200]!r}")
                n = {k: rows(body) for k, (_, body) in answers.items()}
                if n["kg"] != n["oxigraph"]:
                    raise RuntimeError(f"{name}: kg serve gave {n['kg']} rows, oxigraph {n['oxigraph']}")
                if max(took.values()) > args.slow:
                    slow.append(f"{name}: {took['kg']:.1f} s vs {took['oxigraph']:.1f} s "
                                f"({took['kg'] / took['oxigraph']:.2f}x), one request each")
                    continue
                # long enough for a few answers each: 8 clients on 2 cores wait for each other
                seconds = float(math.ceil(min(30.0, max(args.seconds, 12 * max(took.values())))))  # (wrk: whole s)
                one = measure(load, ports, path, 1, seconds)
                eight = measure(load, ports, path, 8, seconds)
                lr = one["kg"]["ms"] / one["oxigraph"]["ms"]
                rr = eight["oxigraph"]["rps"] / eight["kg"]["rps"]
                lat_ratios.append(lr)
                rps_ratios.append(rr)
                print(f"{name[:22]:22} {n['kg']:>5} | {one['kg']['ms']:>15.2f} {one['oxigraph']['ms']:>7.2f} {lr:>5.2f}x "
                      f"{one['kg']['rps']:>8.0f} {one['oxigraph']['rps']:>8.0f} | "
                      f"{eight['kg']['rps']:>19.0f} {eight['oxigraph']['rps']:>8.0f} {rr:>5.2f}x", flush=True)
            for line in slow:
                print("slow question, timed once:", line)
            lat_ratios, rps_ratios = lat_ratios[1:], rps_ratios[1:]  # the bundled questions alone
            print(f"bundled questions, kg slower by: latency, 1 client: median {statistics.median(lat_ratios):.2f}x, "
                  f"worst {max(lat_ratios):.2f}x; requests/s, 8 clients: median {statistics.median(rps_ratios):.2f}x, "
                  f"worst {max(rps_ratios):.2f}x")
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
