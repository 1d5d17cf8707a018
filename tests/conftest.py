from __future__ import annotations

import subprocess
import sys
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
