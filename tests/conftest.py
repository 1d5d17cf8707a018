from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from kg.extract import extract
from kg.model import Article, Extraction

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "seed_kyiv_2025_07_04.txt"


def read(text: str, published: date | None = date(2025, 7, 4), article_id: str = "t") -> Extraction:
    """Extract from a text written in a test."""
    return extract(Article(id=article_id, text=text, date=published))


def run_kg(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def seed_graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "seed.trig"
    run_kg("build", str(SEED), "-o", str(out), check=True)
    return out


@pytest.fixture(scope="session")
def sample_graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "sample.trig"
    run_kg("build", str(DATA), "-o", str(out), check=True)
    return out


def small_store(path):
    """A store of 2,000 quads in three named graphs, made in a moment (no extraction)."""
    import pyoxigraph as ox
    ex = "http://example.org/"
    store = ox.Store(str(path))
    store.extend([ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p{i % 7}"), ox.Literal(i),
                          ox.NamedNode(f"{ex}g{i % 3}")) for i in range(2000)])
    store.flush()
    del store
    return path


class Served:
    """`kg serve` on a store in a subprocess on a free port; its log lines are kept in `log`."""

    def __init__(self, store, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", *args],
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True).start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(20)


def child_processes(pid: int) -> set[int]:
    """The live (not zombie) children of a process, read from /proc."""
    out = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.add(int(name))
    return out


def http_answer(req: urllib.request.Request, timeout: float = 60) -> tuple[int, bytes]:
    """The status and body of a request, error statuses included."""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def sparql_update(url: str, text: str, token: str, timeout: float = 60) -> tuple[int, bytes]:
    """POST a SPARQL update to `kg serve` at `url` with a bearer token."""
    req = urllib.request.Request(url + "/update", data=text.encode(), method="POST",
                                 headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"})
    return http_answer(req, timeout)


@pytest.fixture(scope="module")
def small_store_dir(tmp_path_factory):
    """A small store (see small_store), one per test module."""
    path = tmp_path_factory.mktemp("served") / "store"
    small_store(path)
    return path


@pytest.fixture
def serve(small_store_dir):
    """Start `kg serve` on the module's small store with extra options; every server is stopped afterwards."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        started.append(Served(small_store_dir, *args))
        return started[-1]

    yield start
    for s in started:
        s.stop()
