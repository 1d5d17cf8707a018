"""A real browser opens the page with the network cut off: no JavaScript error, nothing from the article
runs, and the expected number of nodes is drawn. Needs Debian's chromium (installed by .ci/run)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from kg.network import project
from kg.query import load_graph
from tests.conftest import run_kg

CHROMIUM = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)")

OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=20000"]
PROBE = """<script>
window.kgProbe = {errors: [], alerts: []};
window.addEventListener("error", function (e) { window.kgProbe.errors.push(String(e.message)); });
window.addEventListener("unhandledrejection", function (e) { window.kgProbe.errors.push(String(e.reason)); });
window.alert = window.confirm = window.prompt = function (m) { window.kgProbe.alerts.push(String(m)); };
window.addEventListener("load", function () { setTimeout(function () {
  var n = window.network;
  var out = {errors: window.kgProbe.errors, alerts: window.kgProbe.alerts, hasNetwork: !!n,
             nodes: n ? Object.keys(n.body.nodes).filter(function (k) { return !n.body.nodes[k].isCluster; }).length : -1,
             visible: n ? n.body.nodeIndices.length : -1, settled: !!window.kgSettled};
  var pre = document.createElement("pre"); pre.id = "kg-probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 8000); });
</script>"""


def probe(page: Path) -> dict:
    probed = page.with_name("probed-" + page.name)
    probed.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", "--dump-dom", probed.as_uri()],
                              capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="kg-probe">(.*?)</pre>', proc.stdout, re.S)
    assert m, f"the page did not report back; chromium said: {proc.stderr[-1500:]}"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def test_seed_page_draws_every_node_without_errors(seed_graph, tmp_path):
    page = tmp_path / "seed.html"
    run_kg("viz", str(seed_graph), "-o", str(page), check=True)
    result = probe(page)
    expected = project(load_graph(seed_graph)).number_of_nodes()
    assert result["errors"] == [] and result["alerts"] == []
    assert result["hasNetwork"] and result["nodes"] == expected and result["visible"] == expected
    assert result["settled"]


def test_hostile_article_text_never_runs(tmp_path):
    src = tmp_path / "evil.txt"
    src.write_text('Mayor Ivan <script>alert("x")</script>Petrenko said a drone hit Odesa. '
                   '"<img src=x onerror=alert(2)> awful </script><script>alert(3)</script>," said Olena Kovalenko. '
                   'A missile struck <b onmouseover=alert(4)>Odesa</b> on Monday, killing 2 people.\n', encoding="utf-8")
    graph, page = tmp_path / "evil.trig", tmp_path / "evil.html"
    run_kg("build", str(src), "-o", str(graph), check=True)
    run_kg("viz", str(graph), "-o", str(page), check=True)
    result = probe(page)
    assert result["alerts"] == [] and result["errors"] == [] and result["nodes"] > 3


def test_screenshot(seed_graph, tmp_path):
    page, shot = tmp_path / "seed.html", tmp_path / "seed.png"
    run_kg("viz", str(seed_graph), "-o", str(page), check=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", "--window-size=1400,900",
                        f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20000
