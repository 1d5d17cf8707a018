"""The networkx projection, `kg viz` and `kg export`: what is drawn, offline HTML, untrusted text."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import networkx as nx

from kg.network import filter_graph, most_connected, project
from kg.query import load_graph
from tests.conftest import run_kg


def test_projection_keeps_reasoning_nodes_and_roles(seed_graph):
    g = project(load_graph(seed_graph))
    cats = {a["category"] for _, a in g.nodes(data=True)}
    assert {"person", "organization", "country", "place", "weapon", "attack", "communication"} <= cats
    assert not any("#m" in n or "#q-" in n or "#sentence" in n for n in g)  # no plumbing
    kyiv_attack = next(n for n, a in g.nodes(data=True) if a["category"] == "attack" and a["label"].startswith("attack on Kyiv"))
    a = g.nodes[kyiv_attack]
    assert "launched 550" in a["counts"] and "intercepted 478" in a["counts"] and "killed 1" in a["counts"]
    roles = {(g.nodes[u]["label"], k) for u, _v, k in g.in_edges(kyiv_attack, keys=True)}
    assert ("Russia", "attacker") in roles and ("drone", "weapon") in roles
    places = {g.nodes[v]["label"] for _u, v, k in g.out_edges(kyiv_attack, keys=True) if k == "place"}
    assert places == {"Kyiv"}
    kyiv = next(n for n, a in g.nodes(data=True) if a["label"] == "Kyiv" and a["category"] == "place")
    assert g.nodes[kyiv]["geonames"].endswith("/703448/") and g.nodes[kyiv]["mentions"] >= 5
    assert any(g.nodes[v]["label"] == "Ukraine" for _u, v, k in g.out_edges(kyiv, keys=True) if k == "located in")
    assert {src for src, _s in g.nodes[kyiv]["sentences"]} == {"seed_kyiv_2025_07_04"}
    assert any("Kyiv" in s for _src, s in g.nodes[kyiv]["sentences"])


def test_filters_and_max_nodes(sample_graph):
    g = project(load_graph(sample_graph))
    one = filter_graph(g, article="sumy_2025_04_13")
    assert 0 < one.number_of_nodes() < g.number_of_nodes()
    assert all("sumy_2025_04_13" in a["articles"] for _, a in one.nodes(data=True))
    places = filter_graph(g, categories=["place"])
    assert {a["category"] for _, a in places.nodes(data=True)} == {"place"}
    kept, left = most_connected(g, 10)
    assert kept.number_of_nodes() == 10 and left == g.number_of_nodes() - 10
    dropped = set(g) - set(kept)
    assert min(g.degree(n) for n in kept) >= max(g.degree(n) for n in dropped)  # the most connected were kept


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if tag in ("script", "link", "img", "style", "iframe") and re.match(r"\s*(https?:)?//", value):
                self.external.append(f"<{tag} {key}={value}>")


def test_viz_html_is_offline(seed_graph, tmp_path):
    out = tmp_path / "g.html"
    run_kg("viz", str(seed_graph), "-o", str(out), check=True)
    page = out.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(page)
    assert parser.scripts >= 3 and parser.external == []
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)
    assert "vis.Network" in page and "window.network = network" in page


def test_untrusted_text_is_shown_never_run(tmp_path):
    evil = ('---\ntitle: "<script>alert(1)</script>"\ndate: 2025-01-02\n---\n'
            'Mayor Ivan <script>alert("x")</script>Petrenko said a drone hit Odesa. '
            '"<img src=x onerror=alert(2)> it was \\" awful </script><script>alert(3)</script>," said Olena Kovalenko.\n'
            'A missile struck the <b onmouseover=alert(4)>port</b> of Odesa on Monday, killing 2 people.\n')
    src = tmp_path / "evil.txt"
    src.write_text(evil, encoding="utf-8")
    graph, page = tmp_path / "evil.trig", tmp_path / "evil.html"
    run_kg("build", str(src), "-o", str(graph), check=True)
    run_kg("viz", str(graph), "-o", str(page), check=True)
    html = page.read_text(encoding="utf-8")
    data_start = html.index('<script type="application/json" id="kg-data">')
    data_end = html.index("</script>", data_start)
    payload = html[data_start:data_end]
    assert "<" not in payload[len('<script type="application/json" id="kg-data">'):]  # nothing can close the element
    data = json.loads(payload.split(">", 1)[1])
    texts = json.dumps(data)
    assert "onerror" in texts  # the text is kept, as text
    parser = _Refs()
    parser.feed(html)
    assert parser.scripts == 3  # ours only: data, vis-network, page logic; none from the article


def test_export_graphml_and_gexf(seed_graph, tmp_path):
    for ext in ("graphml", "gexf"):
        out = tmp_path / f"g.{ext}"
        run_kg("export", str(seed_graph), "-o", str(out), check=True)
        g = nx.read_graphml(out) if ext == "graphml" else nx.read_gexf(out)
        labels = {a.get("label") for _, a in g.nodes(data=True)}
        assert {"Kyiv", "Donald Trump", "Shahed"} <= labels
    bad = run_kg("export", str(seed_graph), "-o", str(tmp_path / "g.png"))
    assert bad.returncode == 2 and "graphml" in bad.stderr


def test_viz_query_shows_only_its_result(seed_graph, tmp_path):
    rq = tmp_path / "places.rq"
    rq.write_text("PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>\n"
                  "SELECT ?p WHERE { ?p a ckg:Place }", encoding="utf-8")
    out = tmp_path / "q.graphml"
    run_kg("export", str(seed_graph), "-o", str(out), "--query", str(rq), check=True)
    g = nx.read_graphml(out)
    assert g.number_of_nodes() >= 3 and {a["category"] for _, a in g.nodes(data=True)} == {"place"}
