"""Render a projected network as one self-contained, offline HTML page (pyvis data model + vis-network).

pyvis 0.3.2's templates fetch vis-network and bootstrap from CDNs, so we keep pyvis for the node/edge/option
model and the vis-network build it ships, and inline that script into our own page: nothing is fetched from
the network. News text is untrusted: all data goes in as JSON inside a non-executable script element, with
`<`, `>` and `&` escaped, and the page only ever puts it into the DOM as text (textContent), never as HTML.
"""
from __future__ import annotations

import json
import re
import math
from importlib import resources
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .atomic import atomic_write
from .layout import force_layout, geo_layout, ranks
from .categories import EVENT_CATEGORIES

# category: (colour, vis shape). The ten categories of one article's things in ten different colours (the d3
# "category10" set, chosen to be told apart), and the shape says it again for readers who do not see the colours
# apart. A canonical event (one real attack or call, resolved from the article events that report it) is its
# kind's colour made dark, a hexagon like every event, drawn with a thick border (STRONG): it stands for reports.
STYLE = {
    "person": ("#1f77b4", "dot"), "organization": ("#ff7f0e", "square"), "country": ("#8c564b", "diamond"),
    "place": ("#2ca02c", "triangle"), "weapon": ("#9467bd", "star"), "attack": ("#d62728", "hexagon"),
    "canonical attack": ("#67000d", "hexagon"),
    "interception": ("#17becf", "hexagon"), "communication": ("#e377c2", "hexagon"),
    "canonical communication": ("#7a0177", "hexagon"),
    "statement": ("#7f7f7f", "dot"), "target": ("#bcbd22", "triangleDown"),
}
STRONG = {"canonical attack": 4, "canonical communication": 4}  # category: border width, for nodes that stand for several others
BIG = 1500  # above this many nodes or edges: edges hidden while dragging or zooming
OVERVIEW_ABOVE = 1500  # a graph larger than this opens on an overview of its OVERVIEW most connected nodes:
OVERVIEW = 1000  # bench_viz measured ~30 frames/s dragging 1,000 drawn nodes, ~3-11 with 5,000


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _safe_json(data: object) -> str:
    """JSON that cannot end the <script> element it sits in or start markup."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_pyvis(g: nx.MultiDiGraph) -> tuple[Network, list]:
    """A pyvis Network of the projection with seeded positions (physics off), and the map's graticule.

    Nodes and edges are set in bulk (pyvis's add_node is O(n) per call)."""
    net = Network(directed=True, cdn_resources="remote")
    pos = force_layout(g)
    geo = geo_layout(g, {n: (a["lat"], a["lon"]) for n, a in g.nodes(data=True) if a.get("lat") is not None}, base=pos)
    rank = ranks(g, {n: a["mentions"] for n, a in g.nodes(data=True)})
    simple = nx.Graph(g)
    nodes, edges = [], []
    for n, a in g.nodes(data=True):
        colour, shape = STYLE.get(a["category"], ("#777777", "dot"))
        x, y = pos[n]
        gx, gy = geo.positions.get(n, (x, y))
        nodes.append({
            "id": n, "label": a["label"][:60], "color": colour, "shape": shape, "borderWidth": STRONG.get(a["category"], 1),
            "size": round(7 + 4 * math.log2(1 + simple.degree(n)), 1), "x": x, "y": y, "gx": gx, "gy": gy,
            "rank": rank[n], "category": a["category"], "iri": a["iri"], "wikidata": a.get("wikidata") or "",
            "geonames": a.get("geonames") or "", "countLines": a.get("count_lines") or [], "date": a.get("date") or "",
            "located": a.get("lat") is not None,
            "articles": a["articles"], "sentences": [list(s) for s in a["sentences"]],
            "moreSentences": a.get("more_sentences", 0), "mentions": a["mentions"], "quote": a.get("quote") or "",
        })
    for i, (u, v, k, a) in enumerate(g.edges(keys=True, data=True)):
        edge = {"id": i, "from": u, "to": v, "label": a["label"], "arrows": "to"}
        if a.get("basis"):  # drawn by inference, not stated: dashed, and the tooltip says why
            edge["dashes"], edge["basis"] = True, a["basis"]
        edges.append(edge)
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    big = len(nodes) > BIG or len(edges) > 2 * BIG
    net.set_options(json.dumps({
        "physics": {"enabled": False},  # positions are computed in Python, seeded: the same on every load
        "layout": {"improvedLayout": False},
        "edges": {"font": {"size": 9, "align": "middle"}, "color": {"inherit": "from", "opacity": 0.55},
                  "smooth": False, "width": 0.8},
        "nodes": {"font": {"size": 0.1}, "scaling": {"label": {"drawThreshold": 8, "maxVisible": 22}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
    }))
    return net, geo.lines


def render_html(g: nx.MultiDiGraph, title: str = "conflict-kg network", left_out: int = 0) -> str:
    """The whole page as a string."""
    net, graticule = to_pyvis(g)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    js, css = _vis_assets()
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options) if isinstance(options, str) else options,
            "title": title, "leftOut": left_out, "style": {k: v[0] for k, v in STYLE.items()},
            "shapes": {k: v[1] for k, v in STYLE.items()}, "events": list(EVENT_CATEGORIES),
            "overview": OVERVIEW if len(nodes) > OVERVIEW_ABOVE else 0,
            "graticule": graticule}
    fill = {"/*VIS_CSS*/": css, "/*VIS_JS*/": js.replace("</script", "<\\/script"), "/*DATA*/": _safe_json(data),
            "/*PAGE_JS*/": _PAGE_JS}
    # one pass over the template: a marker inside inserted data (article text) is never read as template
    return _MARKER.sub(lambda m: fill[m.group()], _TEMPLATE)


_MARKER = re.compile(r"/\*(?:VIS_CSS|VIS_JS|DATA|PAGE_JS)\*/")


def write_html(g: nx.MultiDiGraph, path: str | Path, title: str = "conflict-kg network", left_out: int = 0) -> None:
    """Write the page atomically."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ValueError(f"{path}: folder {directory} does not exist")
    page = render_html(g, title, left_out).encode("utf-8")
    atomic_write(path, lambda fh: fh.write(page))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>conflict-kg network</title>
<style>/*VIS_CSS*/</style>
<style>
 body{margin:0;font:13px system-ui,sans-serif;color:#222;display:flex;height:100vh}
 #side{width:290px;padding:10px;overflow:auto;border-right:1px solid #ddd;background:#fafafa;box-sizing:border-box}
 #side h1{font-size:15px;margin:0 0 6px} #side h2{font-size:12px;margin:12px 0 4px;text-transform:uppercase;color:#666}
 #net{flex:1;height:100vh} .sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
 label{display:block;cursor:pointer;margin:2px 0} input[type=search],select{width:100%;box-sizing:border-box;padding:4px}
 input[type=date]{width:47%;box-sizing:border-box} button{margin:2px 2px 2px 0}
 #note,#status,#focusinfo{color:#666;font-size:12px;margin-top:4px} #matches{font-size:12px;max-height:140px;overflow:auto}
 #matches div{cursor:pointer;padding:1px 0} #matches div:hover{text-decoration:underline}
 .tip{max-width:440px;font:12px system-ui,sans-serif;white-space:normal} .tip b{font-size:13px}
 .tip .s{margin-top:4px;color:#333} .tip .a{color:#777} .tip .more{margin-top:4px;color:#777;font-style:italic}
 #details .tip{max-width:none}
</style></head>
<body>
<div id="side">
 <h1 id="title"></h1><div id="summary"></div><div id="note"></div>
 <h2>Search</h2><input id="search" type="search" placeholder="name, place, weapon..."><div id="matches"></div>
 <h2>Layout</h2>
 <label><input type="radio" name="layout" value="force" checked> network</label>
 <label><input type="radio" name="layout" id="maplayout" value="map"> map (places at their coordinates)</label>
 <h2>Categories</h2><div id="legend"></div>
 <h2>Dates of events</h2>
 <input id="from" type="date"> <input id="to" type="date">
 <label><input id="undated" type="checkbox" checked> events without a date</label>
 <h2>Article</h2><select id="article"><option value="">all articles</option></select>
 <h2>Focus</h2><div id="focusinfo">Double-click a node to see only it and its neighbours; then click a node to expand it.</div>
 <button id="focusbtn" disabled>focus on selected</button><button id="showall" disabled>show everything</button>
 <div id="status"></div>
 <h2>Selected</h2><div id="details">Click a node.</div>
</div>
<div id="net"></div>
<script type="application/json" id="kg-data">/*DATA*/</script>
<script>/*VIS_JS*/</script>
<script>/*PAGE_JS*/</script>
</body></html>
"""

_PAGE_JS = r"""
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  var isEvent = {}; data.events.forEach(function (c) { isEvent[c] = true; });
  function tip(n) {
    var d = el("div", undefined, "tip");
    d.appendChild(el("b", n.label));
    var facts = [n.category];
    if (n.date) facts.push(n.date);
    if (!isEvent[n.category]) facts.push("mentioned " + n.mentions + "\u00d7");
    facts.push(n.articles.length === 1 ? "article " + n.articles[0] : n.articles.length + " articles");
    d.appendChild(el("div", facts.join(" \u00b7 ")));
    n.countLines.forEach(function (line) { d.appendChild(el("div", line)); });
    if (n.quote) d.appendChild(el("div", "\u201c" + n.quote + "\u201d", "s"));
    if (n.wikidata) d.appendChild(el("div", "Wikidata: " + n.wikidata.replace(/^.*\//, "")));
    if (n.geonames) d.appendChild(el("div", "GeoNames: " + n.geonames.replace(/\/$/, "").replace(/^.*\//, "")));
    n.sentences.forEach(function (s) { var p = el("div", undefined, "s"); p.appendChild(el("span", "[" + s[0] + "] ", "a")); p.appendChild(document.createTextNode(s[1])); d.appendChild(p); });
    if (n.moreSentences > 0) d.appendChild(el("div", "and " + n.moreSentences + " more sentence" + (n.moreSentences === 1 ? "" : "s"), "more"));
    return d;
  }
  data.nodes.forEach(function (n) { n.title = tip(n); n.fx = n.x; n.fy = n.y; });
  data.edges.forEach(function (e) { if (e.basis) e.title = e.label + " (" + e.basis + ")"; });
  var byId = {}; data.nodes.forEach(function (n) { byId[n.id] = n; });
  var neighbours = {}, eventNeighbours = {};
  data.nodes.forEach(function (n) { neighbours[n.id] = []; eventNeighbours[n.id] = []; });
  data.edges.forEach(function (e) {
    neighbours[e.from].push(e.to); neighbours[e.to].push(e.from);
    if (isEvent[byId[e.to].category]) eventNeighbours[e.from].push(e.to);
    if (isEvent[byId[e.from].category]) eventNeighbours[e.to].push(e.from);
  });
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);

  // --- filters: category, article, dates of events, focus (a neighbourhood that grows on click)
  var hidden = {}, article = "", focus = null;
  var dates = data.nodes.filter(function (n) { return isEvent[n.category] && n.date; }).map(function (n) { return n.date.slice(0, 10); }).sort();
  var range = { from: dates.length ? dates[0] : "", to: dates.length ? dates[dates.length - 1] : "", undated: true };
  var fullFrom = range.from, fullTo = range.to;
  function dateOk(n) {
    if (!n.date) return range.undated;
    var d = n.date.slice(0, 10);
    return (!range.from || d >= range.from) && (!range.to || d <= range.to);
  }
  function dateFiltered() { return range.from !== fullFrom || range.to !== fullTo || !range.undated; }
  function visible(n) {
    if (hidden[n.category]) return false;
    if (article && n.articles.indexOf(article) < 0) return false;
    if (focus && !focus[n.id]) return false;
    if (isEvent[n.category]) return dateOk(n);
    if (dateFiltered() && eventNeighbours[n.id].length) {  // an actor, place or weapon of dated events only: shown with them
      return eventNeighbours[n.id].some(function (m) { return dateOk(byId[m]); });
    }
    return true;
  }
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visible(byId[e.from]) && visible(byId[e.to]); } });
  var container = document.getElementById("net");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;
  var status = document.getElementById("status");
  function refresh() { nodeView.refresh(); edgeView.refresh(); placeLabelsSoon(); status.textContent = nodeView.length + " of " + data.nodes.length + " nodes shown"; }

  // --- labels: placed greedily, most connected first, where they overlap no label already placed, in the
  // part of the graph on screen. So the whole-graph view names the hubs, and zooming in (more room) names
  // more, down to every node. Placed labels are 13px on screen; the others get a font too small for
  // vis-network to draw (it skips labels under drawThreshold). Redone when a zoom, a drag or a filter ends.
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = "13px system-ui, sans-serif";
  var labelWidth = {}, fontNow = {};
  data.nodes.forEach(function (n) { labelWidth[n.id] = measure.measureText(n.label).width + 6; });
  var byRank = data.nodes.slice().sort(function (a, b) { return a.rank - b.rank; });
  function placeLabels() {
    var s = network.getScale(), w = container.clientWidth, h = container.clientHeight, cell = 40, grid = {}, changes = [];
    var pos = network.getPositions();
    function free(x0, y0, x1, y1) {
      for (var gx = Math.floor(x0 / cell); gx <= Math.floor(x1 / cell); gx++) for (var gy = Math.floor(y0 / cell); gy <= Math.floor(y1 / cell); gy++) {
        var boxes = grid[gx + "," + gy] || [];
        for (var i = 0; i < boxes.length; i++) { var b = boxes[i]; if (x0 < b[2] && b[0] < x1 && y0 < b[3] && b[1] < y1) return false; }
      }
      return true;
    }
    function take(box) {
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++) for (var gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) {
        (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(box);
      }
    }
    byRank.forEach(function (n) {
      var show = false, p = pos[n.id];
      if (p && visible(n)) {
        var d = network.canvasToDOM(p), r = (n.size || 10) * s, half = labelWidth[n.id] / 2;
        var box = [d.x - half, d.y + r + 1, d.x + half, d.y + r + 17];
        if (box[2] > 0 && box[0] < w && box[3] > 0 && box[1] < h && free(box[0], box[1], box[2], box[3])) { take(box); show = true; }
      }
      var size = show ? 13 / s : 0.1;
      if (fontNow[n.id] !== size) { fontNow[n.id] = size; changes.push({ id: n.id, font: { size: size } }); }
    });
    if (changes.length) nodes.update(changes);
  }
  var labelTimer = null;
  function placeLabelsSoon() { clearTimeout(labelTimer); labelTimer = setTimeout(placeLabels, 120); }
  function sizeLabels() { network.fit({ animation: false }); placeLabels(); }
  network.on("zoom", placeLabelsSoon);
  network.on("dragEnd", placeLabelsSoon);
  network.on("resize", placeLabelsSoon);

  // --- layouts: the seeded network layout, or places on a map (their coordinates) with the rest beside them
  var layout = "force";
  function setLayout(which) {
    layout = which;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, x: which === "map" ? n.gx : n.fx, y: which === "map" ? n.gy : n.fy }; }));
    sizeLabels();
  }
  var mapRadio = document.getElementById("maplayout");
  if (!data.nodes.some(function (n) { return n.located; })) { mapRadio.disabled = true; mapRadio.parentNode.title = "no place in this graph has coordinates"; }
  document.querySelectorAll("input[name=layout]").forEach(function (r) { r.addEventListener("change", function () { if (r.checked) setLayout(r.value); }); });
  network.on("beforeDrawing", function (ctx) {
    if (layout !== "map") return;
    ctx.save(); ctx.strokeStyle = "#dde3ea"; ctx.fillStyle = "#9aa5b1"; ctx.lineWidth = 1 / network.getScale();
    ctx.font = (11 / network.getScale()) + "px system-ui,sans-serif";
    data.graticule.forEach(function (l) { ctx.beginPath(); ctx.moveTo(l[1], l[2]); ctx.lineTo(l[3], l[4]); ctx.stroke(); ctx.fillText(l[0], l[1], l[2]); });
    ctx.restore();
  });

  // --- side panel
  document.getElementById("title").textContent = data.title;
  document.getElementById("summary").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges";
  var alone = data.nodes.filter(function (n) { return neighbours[n.id].length === 0; }).length;
  var notes = [];
  if (data.leftOut > 0) notes.push(data.leftOut + " less connected nodes were left out (--max-nodes).");
  if (alone > 0) notes.push(alone + " node" + (alone === 1 ? " shares" : "s share") + " no sentence with anything else (drawn apart).");
  document.getElementById("note").textContent = notes.join(" ");
  var counts = {};
  data.nodes.forEach(function (n) { counts[n.category] = (counts[n.category] || 0) + 1; });
  var legend = document.getElementById("legend");
  Object.keys(data.style).forEach(function (cat) {
    if (!counts[cat]) return;
    var l = el("label"), box = el("input"); box.type = "checkbox"; box.checked = true; box.value = cat;
    box.addEventListener("change", function () { hidden[cat] = !box.checked; refresh(); });
    var sw = el("span", undefined, "sw"); sw.style.background = data.style[cat];
    l.appendChild(box); l.appendChild(sw); l.appendChild(document.createTextNode(cat + " (" + counts[cat] + ", " + data.shapes[cat] + ")"));
    legend.appendChild(l);
  });
  var from = document.getElementById("from"), to = document.getElementById("to"), undated = document.getElementById("undated");
  from.value = range.from; to.value = range.to; from.min = to.min = fullFrom; from.max = to.max = fullTo;
  if (!dates.length) { from.disabled = to.disabled = true; }
  function onDates() { range.from = from.value || fullFrom; range.to = to.value || fullTo; range.undated = undated.checked; refresh(); }
  from.addEventListener("change", onDates); to.addEventListener("change", onDates); undated.addEventListener("change", onDates);
  var arts = {};
  data.nodes.forEach(function (n) { n.articles.forEach(function (a) { arts[a] = 1; }); });
  var sel = document.getElementById("article");
  Object.keys(arts).sort().forEach(function (a) { var o = el("option", a); o.value = a; sel.appendChild(o); });
  sel.addEventListener("change", function () { article = sel.value; refresh(); });
  var search = document.getElementById("search"), matches = document.getElementById("matches");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase(); matches.textContent = "";
    if (q.length < 2) { network.unselectAll(); return; }
    // search every node, shown or not: a node outside the view is brought in by focusing on it
    var found = data.nodes.filter(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; }).slice(0, 50);
    network.selectNodes(found.filter(function (n) { return nodeView.get(n.id); }).map(function (n) { return n.id; }));
    found.forEach(function (n) {
      var d = el("div", n.label + " (" + n.category + ")");
      d.addEventListener("click", function () {
        if (!nodeView.get(n.id)) focusOn(n.id);
        network.focus(n.id, { scale: Math.max(1, network.getScale()), animation: false }); network.selectNodes([n.id]); select(n.id); placeLabelsSoon();
      });
      matches.appendChild(d);
    });
  });

  // --- focus on a node's neighbourhood; in focus, a click on a node adds its neighbours
  var focusBtn = document.getElementById("focusbtn"), showAll = document.getElementById("showall"), focusInfo = document.getElementById("focusinfo");
  var selected = null;
  function select(id) {
    selected = id; focusBtn.disabled = !id;
    var details = document.getElementById("details"); details.textContent = "";
    details.appendChild(id ? tip(byId[id]) : el("span", "Click a node."));
  }
  function focusOn(id) {
    focus = {}; focus[id] = true; neighbours[id].forEach(function (m) { focus[m] = true; });
    showAll.disabled = false; refresh(); network.fit({ animation: false });
    focusInfo.textContent = "Focus: " + byId[id].label + ". Click a node to add its neighbours.";
  }
  function expand(id) { neighbours[id].forEach(function (m) { focus[m] = true; }); refresh(); }
  var HELP = "Double-click a node to see only it and its neighbours; then click a node to expand it.";
  function unfocus() { focus = null; showAll.disabled = true; refresh(); network.fit({ animation: false }); focusInfo.textContent = HELP; }
  function overview() {  // a large graph opens on its most connected nodes; search and focus reach the rest
    focus = {}; byRank.slice(0, data.overview).forEach(function (n) { focus[n.id] = true; });
    showAll.disabled = false;
    focusInfo.textContent = "Overview: the " + data.overview + " most connected of " + data.nodes.length + " nodes. Search finds any node; " +
      "double-click one to focus on its neighbourhood, click to expand. \u201cShow everything\u201d draws all of them (slower to move).";
  }
  network.on("click", function (p) { var id = p.nodes.length ? p.nodes[0] : null; select(id); if (id && focus) expand(id); });
  network.on("doubleClick", function (p) { if (p.nodes.length) focusOn(p.nodes[0]); });
  focusBtn.addEventListener("click", function () { if (selected) focusOn(selected); });
  showAll.addEventListener("click", unfocus);

  // a test or a benchmark drives the page through this object
  window.kgView = {
    focusOn: focusOn, expand: expand, unfocus: unfocus, setLayout: setLayout,
    setDates: function (a, b, withUndated) { from.value = a || ""; to.value = b || ""; undated.checked = withUndated !== false; onDates(); },
    shown: function () { return nodeView.getIds(); },
    overview: overview,
    find: function (label) { var n = data.nodes.filter(function (m) { return m.label === label; })[0]; return n ? n.id : null; },
    tooltip: function (id) { return byId[id].title.textContent; },
    labelled: function () {  // labels vis-network draws at the present zoom, and their size on screen
      var s = network.getScale();
      return nodeView.getIds().map(function (id) { var m = network.body.nodes[id].labelModule; return { id: id, px: m.fontOptions.size * s, drawn: m.visible() }; })
        .filter(function (x) { return x.drawn; });
    },
    positions: function () { return network.getPositions(); },
    placeLabels: placeLabels
  };
  if (data.overview) overview();
  refresh();
  sizeLabels();
  clearTimeout(labelTimer);
  network.once("afterDrawing", function () { window.kgSettled = true; window.kgDrawnMs = performance.now() - t0; status.textContent += " \u00b7 drawn in " + Math.round(window.kgDrawnMs) + " ms"; });
})();
"""
