"""`kg export` to GraphML and GEXF: canonical attacks, numbers as numbers, coordinates, and the GEXF 1.3
schema's rules that networkx's own writer breaks (version 1.3 namespace, no `name` on <graph>, every
attribute declared with a type). The full GEXF XSD does not ship with any package here and tests may not
fetch it, so its checks are written out below and run with lxml on the written file."""
from __future__ import annotations

import networkx as nx
import pytest
from lxml import etree

from kg.network import export
from tests.conftest import run_kg
from tests.test_network import one_attack_graph  # noqa: F401  (module fixture: two reports of one attack)

GEXF = "{http://gexf.net/1.3}"
# attrtype-type of the GEXF 1.3 schema (data.xsd)
GEXF_TYPES = {"integer", "long", "double", "float", "boolean", "liststring", "listinteger", "listlong", "listdouble",
              "listfloat", "listboolean", "string", "anyURI", "byte", "short", "char", "bigdecimal", "biginteger",
              "date", "listbyte", "listshort", "listchar", "listbigdecimal", "listbiginteger", "listdate"}
INTEGER_TYPES = {"integer": 2**31, "long": 2**63}


def check_gexf13(path) -> dict[str, dict[str, object]]:
    """Assert the GEXF 1.3 schema rules on the file; return each node's attributes by title, typed."""
    root = etree.parse(str(path)).getroot()
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.3"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split() == [
        "http://gexf.net/1.3", "http://gexf.net/1.3/gexf.xsd"]
    (graph,) = root.findall(GEXF + "graph")
    assert "name" not in graph.attrib  # not an attribute of <graph> in the schema (networkx writes name="")
    assert set(graph.attrib) <= {"defaultedgetype", "mode", "idtype", "timeformat", "timerepresentation", "start", "end"}
    assert graph.get("defaultedgetype") in ("directed", "undirected", "mutual") and graph.get("mode") in ("static", "dynamic")
    children = [etree.QName(c).localname for c in graph]
    assert children == ["attributes", "attributes", "nodes", "edges"]  # declarations come first
    declared: dict[str, dict[str, tuple[str, str]]] = {}
    for block in graph.findall(GEXF + "attributes"):
        cls = block.get("class")
        assert cls in ("node", "edge") and cls not in declared
        declared[cls] = {}
        for att in block:
            assert att.tag == GEXF + "attribute" and att.get("title") and att.get("type") in GEXF_TYPES
            assert att.get("id") not in declared[cls]
            declared[cls][att.get("id")] = (att.get("title"), att.get("type"))

    def values(element, cls) -> dict[str, object]:
        out: dict[str, object] = {}
        for v in element.iterfind(f"{GEXF}attvalues/{GEXF}attvalue"):
            title, kind = declared[cls][v.get("for")]  # KeyError: a value of an undeclared attribute
            raw = v.get("value")
            assert raw is not None and raw != ""
            if kind in INTEGER_TYPES:
                assert raw.lstrip("-").isdigit() and abs(int(raw)) < INTEGER_TYPES[kind]
                out[title] = int(raw)
            elif kind == "double":
                out[title] = float(raw)
            else:
                out[title] = raw
        return out

    nodes: dict[str, dict[str, object]] = {}
    for node in graph.iterfind(f"{GEXF}nodes/{GEXF}node"):
        assert node.get("id") and node.get("id") not in nodes
        nodes[node.get("id")] = {"label": node.get("label"), **values(node, "node")}
    edge_ids = set()
    for edge in graph.iterfind(f"{GEXF}edges/{GEXF}edge"):
        assert edge.get("id") and edge.get("id") not in edge_ids  # id is required and unique
        edge_ids.add(edge.get("id"))
        assert edge.get("source") in nodes and edge.get("target") in nodes
        values(edge, "edge")
    return nodes


def test_gexf_is_version_13_with_typed_numbers_and_canonical_attacks(one_attack_graph, tmp_path):  # noqa: F811
    out = tmp_path / "g.gexf"
    run_kg("export", str(one_attack_graph), "-o", str(out), check=True)
    nodes = check_gexf13(out)
    (canonical,) = [a for a in nodes.values() if a["category"] == "canonical attack"]
    assert {k: canonical[k] for k in ("launched", "intercepted", "killed", "injured", "reports")} == {
        "launched": 52, "intercepted": 45, "killed": 4, "injured": 9, "reports": 2}
    assert "damaged" not in canonical  # unknown is not zero
    zhytomyr = next(a for a in nodes.values() if a["label"] == "Zhytomyr")
    assert isinstance(canonical["latitude"], float) and canonical["latitude"] == zhytomyr["latitude"]
    attacks = [a for a in nodes.values() if a["category"] == "attack"]
    assert {a.get("launched") for a in attacks} == {52, None}  # one thing counted by one claimant: a number
    assert all("latitude" not in a for a in attacks)  # an article's attack has no coordinates of its own
    # what Gephi-like readers see: numbers
    read = nx.read_gexf(out)
    (back,) = [a for _n, a in read.nodes(data=True) if a["category"] == "canonical attack"]
    assert back["killed"] == 4 and isinstance(back["killed"], int) and isinstance(back["latitude"], float)


def test_graphml_carries_the_same_numbers(one_attack_graph, tmp_path):  # noqa: F811
    out = tmp_path / "g.graphml"
    run_kg("export", str(one_attack_graph), "-o", str(out), check=True)
    root = etree.parse(str(out)).getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    types = {k.get("attr.name"): k.get("attr.type") for k in root.iter(ns + "key") if k.get("for") == "node"}
    assert {types[k] for k in ("launched", "killed", "injured", "reports", "mentions")} <= {"int", "long"}
    assert types["latitude"] == types["longitude"] == "double"
    g = nx.read_graphml(out)
    (canonical,) = [a for _n, a in g.nodes(data=True) if a["category"] == "canonical attack"]
    assert (canonical["killed"], canonical["injured"], canonical["reports"]) == (4, 9, 2) and "damaged" not in canonical
    reported = [v for u, v, a in g.edges(data=True) if a["label"] == "reported as"]
    assert len(reported) == 2 and all(g.nodes[v]["category"] == "attack" for v in reported)


def _tiny(label: str) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n, cat in (("urn:x:a", "attack"), ("urn:x:p", "place")):
        g.add_node(n, label=label if cat == "place" else "an attack", category=cat, iri=n, mentions=1, articles=["t"],
                   lat=None, lon=None)
    g.add_edge("urn:x:a", "urn:x:p", key="place", label="place")
    return g


@pytest.mark.parametrize("ext", ["gexf", "graphml"])
def test_untrusted_label_with_control_characters_still_writes_valid_xml(tmp_path, ext):
    out = tmp_path / f"t.{ext}"
    export(_tiny("Bad\x01\x0bName\ufffe <x>&"), out)
    text = out.read_text(encoding="utf-8")
    assert "\x01" not in text and "<x>" not in text
    if ext == "gexf":
        nodes = check_gexf13(out)
        assert nodes["urn:x:p"]["label"] == "BadName <x>&"
    else:
        assert nx.read_graphml(out).nodes["urn:x:p"]["label"] == "BadName <x>&"


def test_export_refuses_a_missing_folder_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        export(_tiny("P"), tmp_path / "nowhere" / "t.gexf")
    assert not (tmp_path / "nowhere").exists()
