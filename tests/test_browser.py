"""A real browser opens the pages: no JavaScript error, nothing from the article runs, every node drawn;
labels readable and apart; the same positions on every load; the date filter, focus and expand, the map
layout and the tooltips do what they say. Needs Debian's chromium (installed by .ci/run)."""
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
from tests.test_network import invented_graph  # noqa: F401  (fixture: two invented reports)

CHROMIUM = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)")

OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=20000",
           "--window-size=1400,900"]
PROBE = """<script>
window.kgProbe = {errors: [], alerts: []};
window.addEventListener("error", function (e) { window.kgProbe.errors.push(String(e.message)); });
window.addEventListener("unhandledrejection", function (e) { window.kgProbe.errors.push(String(e.reason)); });
window.alert = window.confirm = window.prompt = function (m) { window.kgProbe.alerts.push(String(m)); };
window.addEventListener("load", function () { setTimeout(function () {
  var n = window.network, out = {};
  try { out = (function () { /*ACTIONS*/ })() || {}; } catch (e) { window.kgProbe.errors.push("probe: " + e); }
  out.errors = window.kgProbe.errors; out.alerts = window.kgProbe.alerts; out.hasNetwork = !!n;
  out.nodes = n ? Object.keys(n.body.nodes).filter(function (k) { return !n.body.nodes[k].isCluster; }).length : -1;
  out.visible = n ? n.body.nodeIndices.length : -1; out.settled = !!window.kgSettled;
  var pre = document.createElement("pre"); pre.id = "kg-probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 3000); });
</script>"""
# what labels vis-network drew, as boxes on screen, and whether any two overlap
LABELS = """
  var s = n.getScale(), drawn = kgView.labelled(), boxes = drawn.map(function (x) {
    var z = n.body.nodes[x.id].labelModule.size; return [z.left * s, z.top * s, (z.left + z.width) * s, (z.top + z.height) * s]; });
  var overlaps = 0;
  for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
    var a = boxes[i], b = boxes[j]; if (a[0] < b[2] - 1 && b[0] < a[2] - 1 && a[1] < b[3] - 1 && b[1] < a[3] - 1) overlaps++; }
"""


def probe(page: Path, actions: str = "return {};") -> dict:
    probed = page.with_name("probed-" + page.name)
    probed.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE.replace("/*ACTIONS*/", actions), 1),
                      encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", "--dump-dom", probed.as_uri()],
                              capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="kg-probe">(.*?)</pre>', proc.stdout, re.S)
    assert m, f"the page did not report back; chromium said: {proc.stderr[-1500:]}"
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def test_seed_page_draws_every_node_without_errors(seed_graph, tmp_path):
    page = tmp_path / "seed.html"
    run_kg("viz", str(seed_graph), "-o", str(page), check=True)
    result = probe(page, LABELS + """
      var top = kgView.find("attack on Kyiv, 2025-07-04"), place = kgView.find("Kyiv");
      return {drawn: drawn, overlaps: overlaps, positions: kgView.positions(),
              attackTip: kgView.tooltip(top), placeTip: kgView.tooltip(place)};""")
    expected = project(load_graph(seed_graph)).number_of_nodes()
    assert result["errors"] == [] and result["alerts"] == []
    assert result["hasNetwork"] and result["nodes"] == expected and result["visible"] == expected
    assert result["settled"]
    # readable labels at the default zoom, none over another
    assert len(result["drawn"]) >= 10 and all(12 <= x["px"] <= 22 for x in result["drawn"])
    assert result["overlaps"] == 0
    # per-weapon counts in the tooltip; evidence capped with the number left out
    assert "launched 539 drones, 11 missiles" in result["attackTip"] and "550" not in result["attackTip"]
    assert re.search(r"and \d+ more sentences?", result["placeTip"])
    # the same positions on every load
    assert probe(page, "return {positions: kgView.positions()};")["positions"] == result["positions"]


def test_big_page_labels_hubs_first_and_more_on_zoom(sample_graph, tmp_path):
    page = tmp_path / "sample.html"
    run_kg("viz", str(sample_graph), "-o", str(page), check=True)
    result = probe(page, LABELS + """
      var ranks = {}; n.body.data.nodes.get().forEach(function (x) { ranks[x.id] = x.rank; });
      var hub = Object.keys(ranks).filter(function (k) { return ranks[k] === 0; })[0];
      var atFit = drawn.length, hubLabelled = drawn.some(function (x) { return x.id === hub; });
      var before = {}; drawn.forEach(function (x) { before[x.id] = true; });
      n.moveTo({position: n.getPositions([hub])[hub], scale: n.getScale() * 4}); kgView.placeLabels();
      """ + LABELS + """
      var more = drawn.filter(function (x) { return !before[x.id]; }).length;
      return {atFit: atFit, hubLabelled: hubLabelled, more: more, overlapsZoomed: overlaps, total: Object.keys(ranks).length};""")
    assert result["errors"] == []
    assert result["hubLabelled"] and 5 <= result["atFit"] < result["total"]  # not every label at once
    assert result["more"] > 0 and result["overlapsZoomed"] == 0  # zooming in names nodes that were unnamed


def test_date_filter_focus_and_map(invented_graph, tmp_path):
    page = tmp_path / "inv.html"
    run_kg("viz", str(invented_graph), "-o", str(page), check=True)
    result = probe(page, """
      function labels() { return kgView.shown().map(function (id) { return n.body.data.nodes.get(id).label; }).sort(); }
      var all = labels();
      kgView.setDates("2025-03-13", "2025-03-14", false); var late = labels();
      kgView.setDates("", "", true); var again = labels();
      var attack = kgView.find("attack on Uzhhorod, 2025-03-14");
      kgView.focusOn(attack); var focused = labels();
      kgView.expand(kgView.find("Russia")); var expanded = labels();
      kgView.unfocus();
      var force = kgView.positions(); kgView.setLayout("map"); var map = kgView.positions();
      kgView.setLayout("force"); var back = kgView.positions();
      function at(p, label) { return p[kgView.find(label)]; }
      return {all: all, late: late, again: again, focused: focused, expanded: expanded, sameBack: JSON.stringify(force) === JSON.stringify(back),
              uz: at(map, "Uzhhorod"), te: at(map, "Ternopil"), ch: at(map, "Chernivtsi")};""")
    assert result["errors"] == []
    late = set(result["late"])
    assert {"attack on Uzhhorod, 2025-03-14", "attack on Chernivtsi, 2025-03-13", "Uzhhorod", "missile"} <= late
    # the attack of 11 March, its interception and what only they link (the specific weapons, the claimants) go
    assert not late & {"attack on Ternopil, 2025-03-11", "interception over Ternopil", "Shahed", "Kh-101", "Ukrainian Air Force"}
    assert result["again"] == result["all"]
    # the attack's neighbours, with the canonical attack it reports (event resolution)
    assert set(result["focused"]) == {"attack on Uzhhorod, 2025-03-14", "attack on Uzhhorod, 2025-03-14 (1 report)",
                                      "Uzhhorod", "Russia", "missile", "Iryna Solonenko"}
    assert set(result["expanded"]) > set(result["focused"]) and "attack on Ternopil, 2025-03-11" in result["expanded"]
    uz, te, ch = result["uz"], result["te"], result["ch"]
    assert uz["x"] < ch["x"] and uz["x"] < te["x"]  # Uzhhorod is the westernmost
    assert te["y"] < uz["y"] and te["y"] < ch["y"]  # Ternopil is the northernmost
    assert result["sameBack"]


def test_hostile_article_text_never_runs(tmp_path):
    src = tmp_path / "evil.txt"
    src.write_text('Mayor Ivan <script>alert("x")</script>Petrenko said a drone hit Odesa. '
                   '"<img src=x onerror=alert(2)> awful </script><script>alert(3)</script>," said Olena Kovalenko. '
                   'A missile struck <b onmouseover=alert(4)>Odesa</b> on Monday, killing 2 people.\n', encoding="utf-8")
    graph, page = tmp_path / "evil.trig", tmp_path / "evil.html"
    run_kg("build", str(src), "-o", str(graph), check=True)
    run_kg("viz", str(graph), "-o", str(page), check=True)
    result = probe(page, "var id = n.body.data.nodes.getIds()[0]; kgView.focusOn(id); kgView.unfocus(); kgView.setLayout('map'); return {};")
    assert result["alerts"] == [] and result["errors"] == [] and result["nodes"] > 3


def test_screenshot(seed_graph, tmp_path):
    page, shot = tmp_path / "seed.html", tmp_path / "seed.png"
    run_kg("viz", str(seed_graph), "-o", str(page), check=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, *OFFLINE, f"--user-data-dir={profile}",
                        f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20000


def _synthetic(attacks: int) -> "nx.MultiDiGraph":
    """A projected graph of `attacks` attacks on 300 places with 40 weapons and 20 attackers (made in code,
    no extraction), shaped as kg.network.project makes it."""
    import networkx as nx

    g = nx.MultiDiGraph()

    def node(iri: str, label: str, category: str, **extra) -> None:
        attrs = dict(label=label, category=category, iri=iri, wikidata="", geonames="", country_code="",
                     articles=["synthetic"], sentences=[], more_sentences=0, counts="", count_lines=[], date="",
                     lat=None, lon=None, mentions=1)
        g.add_node(iri, **{**attrs, **extra})

    for i in range(300):
        node(f"p{i}", f"Place {i}", "place")
    for i in range(40):
        node(f"w{i}", f"Weapon {i}", "weapon")
    for i in range(20):
        node(f"a{i}", f"Actor {i}", "organization")
    for i in range(attacks):
        node(f"e{i}", f"attack {i}", "attack", date=f"2025-01-{1 + i % 28:02d}")
        g.add_edge(f"e{i}", f"p{i % 300}", key="place", label="place")
        g.add_edge(f"w{i % 40}", f"e{i}", key="weapon", label="weapon")
        g.add_edge(f"a{i % 20}", f"e{i}", key="attacker", label="attacker")
    return g


def test_large_graph_opens_on_an_overview_and_search_reaches_the_rest(tmp_path):
    from kg.viz import OVERVIEW, OVERVIEW_ABOVE, write_html

    g = _synthetic(1300)
    assert g.number_of_nodes() > OVERVIEW_ABOVE
    page = tmp_path / "big.html"
    write_html(g, page)
    result = probe(page, """
      var opened = kgView.shown().length, wasShown = kgView.shown().indexOf("e999") >= 0, note = document.getElementById("focusinfo").textContent;
      var search = document.getElementById("search"); search.value = "attack 999";
      search.dispatchEvent(new Event("input"));
      var hit = document.querySelector("#matches div"), hitText = hit ? hit.textContent : "";
      if (hit) hit.click();
      var afterSearch = kgView.shown();
      kgView.expand(kgView.find("Place 99")); var expanded = kgView.shown().length;
      document.getElementById("showall").click();
      return {opened: opened, wasShown: wasShown, note: note, hitText: hitText, afterSearch: afterSearch, expanded: expanded, all: kgView.shown().length};""")
    assert result["errors"] == []
    assert result["opened"] == OVERVIEW and "most connected" in result["note"] and not result["wasShown"]
    assert result["hitText"].startswith("attack 999")
    # the attack found was outside the overview; now it is shown with its neighbourhood, which expands on demand
    assert set(result["afterSearch"]) == {"e999", "p99", "w39", "a19"}
    assert result["expanded"] > 4 and result["all"] == g.number_of_nodes()
