"""Seeded layouts (network and map), importance ranks and what the page is given: same picture on every
load, places where they are on the map, one colour per kind."""
from __future__ import annotations

import json
import math
import random
import re

import networkx as nx

from kg.layout import EXACT_UP_TO, force_layout, geo_layout, ranks
from kg.network import CATEGORIES, project
from kg.query import load_graph
from kg.viz import STYLE, render_html
from tests.test_network import invented_graph  # noqa: F401  (fixture: the invented reports of test_network)


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def _dist(p, q) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def test_force_layout_is_seeded_and_keeps_neighbours_close():
    rnd = random.Random(3)
    g = nx.connected_watts_strogatz_graph(120, 4, 0.1, seed=5)
    g.add_edges_from([(200, 201), (201, 202)])  # a second component
    g.add_node(300)  # and a node alone
    first, again = force_layout(g), force_layout(g.copy())
    assert first == again and set(first) == set(g)
    assert force_layout(g, seed=8) != first
    edge = sum(_dist(first[u], first[v]) for u, v in g.edges()) / g.number_of_edges()
    pairs = [rnd.sample(range(120), 2) for _ in range(500)]
    anywhere = sum(_dist(first[u], first[v]) for u, v in pairs) / len(pairs)
    assert edge < anywhere / 2  # linked nodes sit much closer than nodes in general
    # components do not overlap: the small one is outside the big one's box
    xs, ys = [first[v][0] for v in range(120)], [first[v][1] for v in range(120)]
    inside = [min(xs) <= first[v][0] <= max(xs) and min(ys) <= first[v][1] <= max(ys) for v in (200, 201, 202, 300)]
    assert not all(inside)


def test_large_components_use_the_grid_and_stay_seeded():
    g = nx.barabasi_albert_graph(EXACT_UP_TO + 200, 2, seed=1)
    first = force_layout(g)
    assert first == force_layout(g)
    hub = max(g, key=g.degree)
    leaves = [v for v in g if g.degree(v) == 2 and g.has_edge(v, hub)]
    centre = (sum(p[0] for p in first.values()) / len(first), sum(p[1] for p in first.values()) / len(first))
    spread = sorted(_dist(p, centre) for p in first.values())[len(first) // 2]
    assert leaves and all(_dist(first[v], first[hub]) < 2 * spread for v in leaves)
    assert len(set(first.values())) == len(first)  # no two nodes on the same spot


def test_map_layout_puts_places_where_they_are():
    g = nx.Graph([("west", "a1"), ("east", "a2"), ("north", "a3"), ("a1", "actor"), ("a2", "actor"), ("x", "y")])
    coords = {"west": (48.0, 22.0), "east": (48.0, 30.0), "north": (51.0, 26.0)}
    geo = geo_layout(g, coords)
    pos = geo.positions
    assert set(pos) == set(g)
    assert pos["west"][0] < pos["north"][0] < pos["east"][0]  # east is right
    assert pos["north"][1] < pos["west"][1] and pos["west"][1] == pos["east"][1]  # north is up, same latitude level
    # the attacks sit nearer their own place than the other places
    assert _dist(pos["a1"], pos["west"]) < _dist(pos["a1"], pos["east"])
    assert _dist(pos["a2"], pos["east"]) < _dist(pos["a2"], pos["west"])
    assert min(pos["x"][1], pos["y"][1]) > max(pos[v][1] for v in coords)  # unlocated parts go below the map
    assert any(label.endswith("N") for label, *_ in geo.lines) and any(label.endswith("E") for label, *_ in geo.lines)
    assert geo_layout(g, coords) == geo
    assert geo_layout(g, {}).positions == {}


def test_ranks_put_hubs_first():
    g = nx.star_graph(5)
    g.add_edge(10, 11)
    r = ranks(g)
    assert r[0] == 0 and sorted(r.values()) == list(range(len(g)))


def test_page_has_stable_positions_and_one_colour_per_kind(invented_graph):
    g = project(load_graph(invented_graph))
    one, two = _page_data(render_html(g)), _page_data(render_html(g))
    pos = {n["id"]: (n["x"], n["y"], n["gx"], n["gy"]) for n in one["nodes"]}
    assert pos == {n["id"]: (n["x"], n["y"], n["gx"], n["gy"]) for n in two["nodes"]}
    assert one["options"]["physics"]["enabled"] is False  # nothing moves after load
    colours = [STYLE[c][0].lower() for c in CATEGORIES]
    assert set(STYLE) == set(CATEGORIES) and len(set(colours)) == len(colours)
    assert one["style"] == {c: STYLE[c][0] for c in STYLE}
    by_label = {n["label"]: n for n in one["nodes"]}
    west, north = by_label["Uzhhorod"], by_label["Ternopil"]
    assert west["located"] and west["gx"] < north["gx"] and north["gy"] < west["gy"]
    assert by_label["attack on Ternopil, 2025-03-11"]["countLines"][0] == "launched 40 drones, 3 missiles"
    assert any(e.get("dashes") and "only attack" in e["basis"] for e in one["edges"])

