"""The networkx projection, `kg viz` and `kg export`: what is drawn, offline HTML, untrusted text."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import networkx as nx

import pytest

from kg.network import Count, count_lines, filter_graph, most_connected, plural, project
from kg.query import load_graph
from tests.conftest import run_kg

# Two invented reports (places and people made up for the tests or not in any development article): three
# attacks on three days, counts of two weapon kinds, claimants, specific weapon types named in a sentence
# of their own, and a body named in a sentence that names nothing else.
ARTICLES = {
    "ternopil_2025_03_11.txt": """---
title: Drones and missiles strike Ternopil overnight
date: 2025-03-11
---
Russia attacked Ternopil overnight with 40 drones and 3 missiles, the Ukrainian Air Force said on Tuesday.

Most of the drones were Shahed attack drones, and the missiles were Kh-101 cruise missiles, the Air Force said.

Air defences shot down 31 drones over the region. Two people were killed and seven were injured in Ternopil, said regional governor Marko Derevianko.

Fire crews worked through the night, the State Emergency Service said.
""",
    "uzhhorod_2025_03_14.txt": """---
title: Missile hits Uzhhorod
date: 2025-03-14
---
A Russian missile struck Uzhhorod on Friday morning, killing four people, the city's mayor Iryna Solonenko said.

Separately, Russia shelled Chernivtsi on Thursday, injuring one person, officials said.
""",
}


def write_articles(folder):
    """The invented reports as files in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def invented_graph(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("invented")
    out = tmp / "g.trig"
    run_kg("build", str(write_articles(tmp / "in")), "-o", str(out), check=True)
    return out


def _node(g, label, category=None):
    return next(n for n, a in g.nodes(data=True) if a["label"] == label and (category is None or a["category"] == category))


def test_projection_keeps_reasoning_nodes_and_roles(seed_graph):
    g = project(load_graph(seed_graph))
    cats = {a["category"] for _, a in g.nodes(data=True)}
    assert {"person", "organization", "country", "place", "weapon", "attack", "communication"} <= cats
    assert not any("#m" in n or "#q-" in n or "#sentence" in n for n in g)  # no plumbing
    kyiv_attack = next(n for n, a in g.nodes(data=True) if a["category"] == "attack" and a["label"].startswith("attack on Kyiv"))
    a = g.nodes[kyiv_attack]
    # per weapon, never 539 drones + 11 missiles summed into "launched 550"
    assert "launched 539 drones, 11 missiles" in a["count_lines"] and "launched 550" not in a["counts"]
    assert "intercepted 478" in a["count_lines"] and "killed at least 1" in a["count_lines"]
    roles = {(g.nodes[u]["label"], k) for u, _v, k in g.in_edges(kyiv_attack, keys=True)}
    assert ("Russia", "attacker") in roles and ("drone", "weapon") in roles
    assert ("Shahed", "weapon") in roles and ("Ukrainian Air Force", "said") in roles
    assert [g.nodes[n]["label"] for n in g if g.degree(n) == 0] == []  # no ring of unlinked nodes
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
        by_label = {a["label"]: a for _, a in g.nodes(data=True)}
        assert float(by_label["Kyiv"]["latitude"]) > 50 and "latitude" not in by_label["Donald Trump"]
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


def test_counts_are_per_thing_and_never_add_unlike_things():
    lines = count_lines([Count("launched", 40, thing="drone"), Count("launched", 3, thing="missile"),
                         Count("damaged", 12, "more than", "house"), Count("damaged", 1, thing="school"),
                         Count("killed", 2), Count("killed", 5), Count("injured", 1)])
    assert lines == ["launched 40 drones, 3 missiles", "killed 5", "injured 1", "damaged more than 12 houses, 1 school"]
    # launches of the same thing reported in parts add up; a toll that rises keeps its highest figure
    assert count_lines([Count("launched", 10, thing="drone"), Count("launched", 5, thing="drone")]) == ["launched 15 drones"]
    # two claimants disagreeing on one figure: both shown, each with its claimant, not added up
    disputed = count_lines([Count("intercepted", 20, thing="drone", claimant="Air Force"),
                            Count("intercepted", 26, thing="drone", claimant="Defence Ministry")])
    assert disputed == ["intercepted 20 drones (according to Air Force), 26 drones (according to Defence Ministry)"]
    assert count_lines([]) == []  # nothing known: no line at all, never a 0
    assert [plural(w, 2) for w in ("drone", "battery", "bus", "day", "Kh-101")] == ["drones", "batteries", "buses", "days", "Kh-101"]
    assert plural("drone", 1) == "drone"


def test_invented_reports_link_weapons_claimants_and_dates(invented_graph):
    g = project(load_graph(invented_graph))
    attack = _node(g, "attack on Ternopil, 2025-03-11")
    a = g.nodes[attack]
    assert a["count_lines"][:2] == ["launched 40 drones, 3 missiles", "intercepted 31 drones"]
    assert "killed 2" in a["count_lines"] and "injured 7" in a["count_lines"] and a["date"] == "2025-03-11"
    into = {(g.nodes[u]["label"], k) for u, _v, k in g.in_edges(attack, keys=True)}
    # the specific types named in a sentence of their own reach the attack, dashed (inferred), with a reason
    assert {("Shahed", "weapon"), ("Kh-101", "weapon"), ("drone", "weapon"), ("missile", "weapon")} <= into
    shahed = _node(g, "Shahed")
    assert "only attack" in g.edges[shahed, attack, "weapon"]["basis"]
    assert g.has_edge(shahed, _node(g, "drone"), key="kind of") and g.has_edge(_node(g, "Kh-101"), _node(g, "missile"), key="kind of")
    # claimants: the Air Force and the governor said so; the mayor's figure goes to her city's attack
    assert {("Ukrainian Air Force", "said"), ("Marko Derevianko", "said")} <= into
    assert g.has_edge(_node(g, "Iryna Solonenko"), _node(g, "attack on Uzhhorod, 2025-03-14"), key="said")
    # only what shares no sentence with anything stays alone
    assert [g.nodes[n]["label"] for n in g if g.degree(n) == 0] == ["State Emergency Service of Ukraine"]
    # evidence in the order of the text
    said = [text for src, text in g.nodes[_node(g, "Ternopil")]["sentences"]]
    body = ARTICLES["ternopil_2025_03_11.txt"]
    assert len(said) >= 2 and [body.index(t) for t in said] == sorted(body.index(t) for t in said)
    assert g.nodes[_node(g, "Uzhhorod")]["lat"] == pytest.approx(48.6, abs=0.1)
    assert g.nodes[_node(g, "Russia")]["lat"] is None  # unknown stays unknown


def test_evidence_is_capped_and_says_how_much_more(sample_graph):
    g = project(load_graph(sample_graph))
    capped = [a for _n, a in g.nodes(data=True) if a["more_sentences"] > 0]
    assert capped, "some node of the sample is named in more than four sentences"
    for a in capped:
        assert len(a["sentences"]) == 4
    # a node named in several articles shows sentences from more than one of them
    multi = max(capped, key=lambda a: len(a["articles"]))
    assert len(multi["articles"]) > 1 and len({src for src, _s in multi["sentences"]}) > 1


# Two invented reports of one attack: the first night's report and the next day's, with a higher toll. Event
# resolution makes them one canonical attack, which the network draws once, linked to both reports.
ONE_ATTACK = {
    "zhytomyr_2025_09_02.txt": """---
title: Drones strike Zhytomyr
date: 2025-09-02
---
Russia attacked Zhytomyr overnight with 52 drones, the Ukrainian Air Force said on Tuesday. Air defences shot down 45 of them.

Two people were killed in the city, the regional governor said.
""",
    "zhytomyr_2025_09_03.txt": """---
title: Zhytomyr toll rises
date: 2025-09-03
---
The death toll from Russia's overnight drone attack on Zhytomyr on September 2 rose to four, officials said on Wednesday.

Nine people were injured in the attack on Zhytomyr, the city council said.
""",
}


@pytest.fixture(scope="module")
def one_attack_graph(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("one_attack")
    (tmp / "in").mkdir()
    for name, text in ONE_ATTACK.items():
        (tmp / "in" / name).write_text(text, encoding="utf-8")
    out = tmp / "g.trig"
    run_kg("build", str(tmp / "in"), "-o", str(out), check=True)
    return out


def _canonical(g):
    found = [n for n, a in g.nodes(data=True) if a["category"] == "canonical attack"]
    assert len(found) == 1, [g.nodes[n]["label"] for n in found]
    return found[0]


def test_canonical_attack_is_one_node_linked_to_its_reports(one_attack_graph):
    g = project(load_graph(one_attack_graph))
    c = _canonical(g)
    a = g.nodes[c]
    assert a["articles"] == ["zhytomyr_2025_09_02", "zhytomyr_2025_09_03"] and a["reports"] == 2
    assert a["label"].endswith("(2 reports)") and a["date"] == "2025-09-02"
    reported = {v for _u, v, k in g.out_edges(c, keys=True) if k == "report"}
    assert len(reported) == 2 and all(g.nodes[r]["category"] == "attack" for r in reported)
    assert {g.nodes[r]["articles"][0] for r in reported} == set(a["articles"])
    assert all(g.edges[c, r, "report"]["label"] == "reported as" for r in reported)
    # its own place and attacker edges, and figures as integers: the later toll, absent kinds left out
    assert {g.nodes[v]["label"] for _u, v, k in g.out_edges(c, keys=True) if k == "place"} == {"Zhytomyr"}
    assert {g.nodes[u]["label"] for u, _v, k in g.in_edges(c, keys=True) if k == "attacker"} == {"Russia"}
    assert a["figures"] == {"launched": 52, "intercepted": 45, "killed": 4, "injured": 9}
    assert a["count_lines"][:4] == ["launched 52", "intercepted 45", "killed 4", "injured 9"]
    assert not any(line.startswith("damaged") for line in a["count_lines"])
    zhytomyr = _node(g, "Zhytomyr", "place")
    assert (a["lat"], a["lon"]) == (g.nodes[zhytomyr]["lat"], g.nodes[zhytomyr]["lon"])
    assert {src for src, _s in a["sentences"]} == set(a["articles"])  # told in its reports' words


def test_canonical_attack_survives_every_filter(one_attack_graph):
    g = project(load_graph(one_attack_graph))
    c = _canonical(g)
    for article in ("zhytomyr_2025_09_02", "zhytomyr_2025_09_03"):
        one = filter_graph(g, article=article)
        assert c in one  # kept when one of its reports' articles is
        assert [v for _u, v, k in one.out_edges(c, keys=True) if k == "report"] != []
    only = filter_graph(g, categories=["canonical attack", "place"])
    assert c in only and all(a["category"] in ("canonical attack", "place") for _n, a in only.nodes(data=True))
    assert c not in filter_graph(g, categories=["attack"])
    assert c in filter_graph(g, keep={c})


def test_viz_draws_canonical_attack_in_its_own_style(one_attack_graph, tmp_path):
    from kg.viz import STYLE, render_html
    page = render_html(project(load_graph(one_attack_graph)))
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))
    (node,) = [n for n in data["nodes"] if n["category"] == "canonical attack"]
    assert node["color"] == STYLE["canonical attack"][0] != STYLE["attack"][0]
    assert "canonical attack" in data["events"] and node["countLines"][2] == "killed 4"
    out = tmp_path / "p.html"
    done = run_kg("viz", str(one_attack_graph), "-o", str(out), "--category", "canonical attack", "place")
    assert done.returncode == 0 and "2 nodes" in done.stderr


def test_canonical_communication_is_drawn_with_its_participants(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "call.txt").write_text("---\ntitle: Leaders speak\ndate: 2025-10-06\n---\nUkrainian President Volodymyr "
                                     "Zelensky spoke by phone with French President Emmanuel Macron on Monday, his "
                                     "office said.\n", encoding="utf-8")
    out = tmp_path / "g.trig"
    run_kg("build", str(folder), "-o", str(out), check=True)
    g = project(load_graph(out))
    (c,) = [n for n, a in g.nodes(data=True) if a["category"] == "canonical communication"]
    assert {g.nodes[u]["label"] for u, _v, k in g.in_edges(c, keys=True) if k == "participant"} == {
        "Volodymyr Zelensky", "Emmanuel Macron"}
    (report,) = [v for _u, v, k in g.out_edges(c, keys=True) if k == "report"]
    assert g.nodes[report]["category"] == "communication" and g.nodes[c]["articles"] == ["call"]
