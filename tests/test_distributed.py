"""Beyond one machine, tested for real: a Dask LocalCluster build, and a push to a SPARQL server on loopback."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from tests.conftest import DATA, run_kg

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def quads_of(path: Path) -> set:
    files = sorted(path.glob("*.nq")) if path.is_dir() else [path]
    return {q for f in files for q in ox.parse(f.read_bytes(), format=ox.RdfFormat.N_QUADS)}


def test_dask_build_equals_local_build(tmp_path):
    shards, local = tmp_path / "shards", tmp_path / "local.nq"
    proc = run_kg("build", str(DATA), "-o", str(shards), "--engine", "dask")
    assert proc.returncode == 0, proc.stderr
    assert len(list(shards.glob("part-*.nq"))) >= 2
    run_kg("build", str(DATA), "-o", str(local), check=True)
    assert quads_of(shards) == quads_of(local)
    out = run_kg("query", str(shards), "quantities", "--format", "csv", check=True).stdout
    assert "539" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not Path(OXIGRAPH).exists(), reason="the oxigraph server binary (PyPI 'oxigraph') is not installed")
def test_push_to_a_real_sparql_server(tmp_path, seed_graph):
    port = _free_port()
    server = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?" + urlencode({"query": "ASK {}"}), timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(2):  # pushing twice replaces, it does not duplicate
            proc = run_kg("push", str(seed_graph), "--endpoint", base + "/store")
            assert proc.returncode == 0, proc.stderr
        q = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/conflict-kg/article/seed_kyiv_2025_07_04> "
             "{ ?s ?p ?o } }")
        req = urllib.request.Request(base + "/query?" + urlencode({"query": q}), headers={"Accept": "text/csv"})
        remote = int(urllib.request.urlopen(req).read().decode().splitlines()[1])
        local = ox.Store()
        local.bulk_load(seed_graph.read_bytes(), format=ox.RdfFormat.TRIG)
        expected = len(list(local.quads_for_pattern(None, None, None,
                                                    ox.NamedNode("https://w3id.org/conflict-kg/article/seed_kyiv_2025_07_04"))))
        assert remote == expected
        bad = run_kg("push", str(seed_graph), "--endpoint", f"http://127.0.0.1:{_free_port()}/store")
        assert bad.returncode == 2 and "cannot connect" in bad.stderr
    finally:
        server.terminate()
        server.wait(10)
