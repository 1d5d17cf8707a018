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

STYLE = {  # category: (colour, vis shape)
    "person": ("#e15759", "dot"), "organization": ("#f28e2b", "square"), "country": ("#4e79a7", "diamond"),
    "place": ("#59a14f", "triangle"), "weapon": ("#b07aa1", "star"), "attack": ("#d62728", "hexagon"),
    "interception": ("#2ca02c", "hexagon"), "communication": ("#17becf", "hexagon"), "statement": ("#9d9d9d", "dot"), "target": ("#8c564b", "triangleDown"),
}


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _safe_json(data: object) -> str:
    """JSON that cannot end the <script> element it sits in or start markup."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_pyvis(g: nx.MultiDiGraph) -> Network:
    """A pyvis Network of the projection; nodes and edges are set in bulk (add_node is O(n) per call)."""
    net = Network(directed=True, cdn_resources="remote")
    nodes, edges = [], []
    for n, a in g.nodes(data=True):
        colour, shape = STYLE.get(a["category"], ("#777777", "dot"))
        nodes.append({
            "id": n, "label": a["label"][:60], "color": colour, "shape": shape,
            "size": round(8 + 6 * math.log2(1 + a["mentions"]), 1), "group": a["category"],
            "category": a["category"], "iri": a["iri"], "wikidata": a.get("wikidata") or "",
            "geonames": a.get("geonames") or "", "counts": a.get("counts") or "", "date": a.get("date") or "",
            "articles": a["articles"], "sentences": [list(s) for s in a["sentences"]], "mentions": a["mentions"],
            "quote": a.get("quote") or "",
        })
    for i, (u, v, k, a) in enumerate(g.edges(keys=True, data=True)):
        edges.append({"id": i, "from": u, "to": v, "label": a["label"], "arrows": "to"})
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    big = len(nodes) > 1500
    net.set_options(json.dumps({
        "physics": {"solver": "barnesHut", "barnesHut": {"gravitationalConstant": -6000, "springLength": 140,
                                                         "avoidOverlap": 0.2},
                    "stabilization": {"enabled": True, "iterations": 120 if big else 400, "updateInterval": 25}},
        "layout": {"improvedLayout": not big},
        "edges": {"font": {"size": 9, "align": "middle"}, "color": {"inherit": "from", "opacity": 0.6},
                  "smooth": False if big else {"type": "continuous"}},
        "nodes": {"font": {"size": 12}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big},
    }))
    return net


def render_html(g: nx.MultiDiGraph, title: str = "conflict-kg network", left_out: int = 0) -> str:
    """The whole page as a string."""
    net = to_pyvis(g)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    js, css = _vis_assets()
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options) if isinstance(options, str) else options,
            "title": title, "leftOut": left_out, "style": {k: v[0] for k, v in STYLE.items()}}
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
 #side{width:270px;padding:10px;overflow:auto;border-right:1px solid #ddd;background:#fafafa;box-sizing:border-box}
 #side h1{font-size:15px;margin:0 0 6px} #side h2{font-size:12px;margin:12px 0 4px;text-transform:uppercase;color:#666}
 #net{flex:1;height:100vh} .sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
 label{display:block;cursor:pointer;margin:2px 0} input[type=search],select{width:100%;box-sizing:border-box;padding:4px}
 #note,#status{color:#666;font-size:12px;margin-top:4px} #matches{font-size:12px;max-height:140px;overflow:auto}
 #matches div{cursor:pointer;padding:1px 0} #matches div:hover{text-decoration:underline}
 .tip{max-width:420px;font:12px system-ui,sans-serif;white-space:normal} .tip b{font-size:13px}
 .tip .s{margin-top:4px;color:#333} .tip .a{color:#777}
</style></head>
<body>
<div id="side">
 <h1 id="title"></h1><div id="summary"></div><div id="note"></div>
 <h2>Search</h2><input id="search" type="search" placeholder="name, place, weapon..."><div id="matches"></div>
 <h2>Categories</h2><div id="legend"></div>
 <h2>Article</h2><select id="article"><option value="">all articles</option></select>
 <div id="status"></div>
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
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function tip(n) {
    var d = el("div", undefined, "tip");
    d.appendChild(el("b", n.label));
    d.appendChild(el("div", n.category + (n.date ? " \u00b7 " + n.date : "") + " \u00b7 mentioned " + n.mentions + "\u00d7"));
    if (n.counts) d.appendChild(el("div", n.counts));
    if (n.quote) d.appendChild(el("div", "\u201c" + n.quote + "\u201d", "s"));
    if (n.wikidata) d.appendChild(el("div", "Wikidata: " + n.wikidata.replace(/^.*\//, "")));
    if (n.geonames) d.appendChild(el("div", "GeoNames: " + n.geonames.replace(/\/$/, "").replace(/^.*\//, "")));
    n.sentences.forEach(function (s) { var p = el("div", undefined, "s"); p.appendChild(el("span", "[" + s[0] + "] ", "a")); p.appendChild(document.createTextNode(s[1])); d.appendChild(p); });
    return d;
  }
  data.nodes.forEach(function (n) { n.title = tip(n); });
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  var hidden = {}, article = "";
  function visible(n) { return !hidden[n.category] && (!article || n.articles.indexOf(article) >= 0); }
  var nodeView = new vis.DataView(nodes, { filter: visible });
  var edgeView = new vis.DataView(edges, { filter: function (e) { var a = nodes.get(e.from), b = nodes.get(e.to); return a && b && visible(a) && visible(b); } });
  var network = new vis.Network(document.getElementById("net"), { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;
  var status = document.getElementById("status");
  status.textContent = "laying out\u2026";
  network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); status.textContent = "layout settled"; window.kgSettled = true; });
  document.getElementById("title").textContent = data.title;
  document.getElementById("summary").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges";
  if (data.leftOut > 0) document.getElementById("note").textContent = data.leftOut + " less connected nodes were left out (--max-nodes).";
  var counts = {};
  data.nodes.forEach(function (n) { counts[n.category] = (counts[n.category] || 0) + 1; });
  var legend = document.getElementById("legend");
  Object.keys(data.style).forEach(function (cat) {
    if (!counts[cat]) return;
    var l = el("label"), box = el("input"); box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { hidden[cat] = !box.checked; nodeView.refresh(); edgeView.refresh(); });
    var sw = el("span", undefined, "sw"); sw.style.background = data.style[cat];
    l.appendChild(box); l.appendChild(sw); l.appendChild(document.createTextNode(cat + " (" + counts[cat] + ")"));
    legend.appendChild(l);
  });
  var arts = {};
  data.nodes.forEach(function (n) { n.articles.forEach(function (a) { arts[a] = 1; }); });
  var sel = document.getElementById("article");
  Object.keys(arts).sort().forEach(function (a) { var o = el("option", a); o.value = a; sel.appendChild(o); });
  sel.addEventListener("change", function () { article = sel.value; nodeView.refresh(); edgeView.refresh(); });
  var search = document.getElementById("search"), matches = document.getElementById("matches");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase(); matches.textContent = "";
    if (q.length < 2) { network.unselectAll(); return; }
    var found = nodeView.get({ filter: function (n) { return n.label.toLowerCase().indexOf(q) >= 0; } }).slice(0, 50);
    network.selectNodes(found.map(function (n) { return n.id; }));
    found.forEach(function (n) { var d = el("div", n.label + " (" + n.category + ")"); d.addEventListener("click", function () { network.focus(n.id, { scale: 1.2, animation: true }); network.selectNodes([n.id]); }); matches.appendChild(d); });
  });
})();
"""
