"""Cross-article fusion end to end: our fusion test set built with `kg build`, the bundled questions on
canonical attacks, the store path (reports read back, add one by one, add then remove) and the scorer."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import DATA, ROOT, run_kg
from kg.articles import collect_articles
from kg.build import article_quads, build
from kg.query import load_graph
from kg.resolve.quads import EVENTS_GRAPH
from kg.resolve.stored import reports_from_store
from kg.store import add_articles, remove_articles

FUSION = ROOT / "tests" / "fusion"
ARTICLES = FUSION / "articles"
# the shared development articles sit beside the checkout (or beside its worktree folder)
DEV = next((p for p in (ROOT.parent / "shared" / "eval" / "dev", ROOT.parent.parent / "shared" / "eval" / "dev")
            if p.is_dir()), ROOT / "missing")


@pytest.fixture(scope="session")
def fusion_graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fusion") / "fusion.trig"
    run_kg("build", str(ARTICLES), "-o", str(out), check=True)
    return out


def table(graph: Path, question: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run_kg("query", str(graph), question, "--format", "csv", check=True).stdout)))


def test_one_attack_told_by_four_articles_is_one_row_with_the_latest_toll(fusion_graph):
    rows = table(fusion_graph, "attacks")
    kharkiv = [r for r in rows if r["place"] == "Kharkiv"]
    assert [(r["date"], r["reports"]) for r in kharkiv] == [("2025-03-11", "4"), ("2025-03-13", "1")]
    assert (kharkiv[0]["killed"], kharkiv[0]["injured"], kharkiv[0]["attacker"]) == ("7", "23", "Russia")
    assert kharkiv[1]["killed"] == ""  # nobody reported a death that night: empty, not zero
    sumy = next(r for r in rows if r["place"] == "Sumy" and r["date"] == "2025-04-02")
    assert (sumy["reports"], sumy["killed"], sumy["country"]) == ("4", "5", "Ukraine")
    odesa = [(r["date"], r["killed"]) for r in rows if r["place"] == "Odesa"]
    assert odesa == [("2025-05-20", "4"), ("2025-05-22", "")]
    assert float(sumy["latitude"]) == pytest.approx(50.9, abs=0.1)
    assert set(rows[0]) == {"attack", "date", "place", "country", "latitude", "longitude", "attacker", "weapons",
                            "launched", "intercepted", "killed", "injured", "reports", "claimants"}


def test_attack_reports_and_the_barrage_parts(fusion_graph):
    rows = table(fusion_graph, "attack-reports")
    by_attack: dict[str, set[str]] = {}
    for r in rows:
        by_attack.setdefault(r["attack"], set()).add(r["source"])
    assert {"s1_sumy_ses", "s2_sumy_region", "s3_sumy_toll", "s4_sumy_feature"} in by_attack.values()
    region = next(r for r in rows if r["source"] == "s2_sumy_region")
    assert "placeWithin" in region["signals"].split()
    store = load_graph(fusion_graph)
    parts = store.query("""SELECT ?part WHERE { GRAPH ?g { ?b a <https://w3id.org/conflict-kg/ontology#CanonicalAttack> ;
        <http://semanticweb.cs.vu.nl/2009/11/sem/hasSubEvent> ?part } }""")
    assert sorted(p["part"].value.split("-")[-2] for p in parts) == ["lviv", "odesa"]


def test_rewritten_questions_count_each_attack_once(fusion_graph):
    timeline = table(fusion_graph, "timeline")
    assert sum(1 for r in timeline if r["place"] == "Kharkiv") == 2
    casualties = {r["place"]: r for r in table(fusion_graph, "casualties-by-place")}
    assert (casualties["Kharkiv"]["killed"], casualties["Kharkiv"]["attacks"]) == ("7", "2")
    repeat = {r["place"]: r for r in table(fusion_graph, "repeat-targets")}
    assert repeat["Odesa"]["dates"].split() == sorted(["2025-05-20", "2025-05-22"]) or \
        sorted(repeat["Odesa"]["dates"].split()) == ["2025-05-20", "2025-05-22"]
    rate = {r["place"]: r for r in table(fusion_graph, "interception-rate")}
    # drones and missiles add up: 70 + 9 launched, 61 + 7 intercepted
    assert (rate["Ukraine"]["launched"], rate["Ukraine"]["intercepted"]) == ("79", "68")
    assert float(rate["Ukraine"]["rate_percent"]) == 86.1
    history = table(fusion_graph, "figure-history")
    toll = [(r["value"], r["source"], r["superseded_by"]) for r in history
            if r["place"] == "Kharkiv" and r["kind"] == "killed" and r["claimant"] == "Oleh Syniehubov"]
    assert toll == [("4", "k1_kharkiv_wire", "7"), ("7", "k2_kharkiv_toll", "")]


def test_a_dispute_between_claimants_in_different_articles_is_found(tmp_path):
    (tmp_path / "one.txt").write_text("---\ndate: 2025-02-10\n---\nA Russian missile struck a hotel in Sloviansk on "
                                      "Monday, killing 11 people, Ukraine's State Emergency Service said.\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text("---\ndate: 2025-02-11\n---\nRussia's Defence Ministry said on Tuesday that its "
                                      "missile strike on Sloviansk on Monday had killed 40 soldiers.\n", encoding="utf-8")
    graph = tmp_path / "g.trig"
    run_kg("build", str(tmp_path / "one.txt"), str(tmp_path / "two.txt"), "-o", str(graph), check=True)
    rows = table(graph, "disputed-figures")
    assert [(r["place"], r["kind"], r["value1"], r["source1"], r["value2"], r["source2"]) for r in rows] == [
        ("Sloviansk", "killed", "11", "one", "40", "two")]
    attack = next(r for r in table(graph, "attacks") if r["place"] == "Sloviansk")
    assert (attack["reports"], attack["killed"]) == ("2", "40")  # the highest latest figure across claimants


def canonical(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None)
                  if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(EVENTS_GRAPH))


def everything(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None) if isinstance(q.graph_name, ox.NamedNode))


def test_store_built_article_by_article_equals_kg_build_and_remove_restores(tmp_path):
    files = sorted(ARTICLES.glob("*.txt"))
    build([ARTICLES], tmp_path / "all.nq", progress=False)
    at_once = load_graph(tmp_path / "all.nq")
    for f in files:
        add_articles([f], tmp_path / "store", workers=1)
    store = ox.Store(str(tmp_path / "store"))
    assert canonical(store) == canonical(at_once) and len(canonical(store)) > 500
    assert everything(store) == everything(at_once)
    before = canonical(store)
    del store
    # an article that changes an existing attack (a toll update) and one that makes a new one
    for victim in ("k2_kharkiv_toll", "b4_odesa_next_night"):
        remove_articles([victim], tmp_path / "store")
        store = ox.Store(str(tmp_path / "store"))
        without = canonical(store)
        assert without != before
        del store
        add_articles([ARTICLES / f"{victim}.txt"], tmp_path / "store", workers=1)
        store = ox.Store(str(tmp_path / "store"))
        assert canonical(store) == before
        del store
        # and add then remove brings back the state without it, exactly
        remove_articles([victim], tmp_path / "store")
        store = ox.Store(str(tmp_path / "store"))
        assert canonical(store) == without
        del store
        add_articles([ARTICLES / f"{victim}.txt"], tmp_path / "store", workers=1)


def test_reports_read_back_from_a_store_equal_those_from_extraction(tmp_path):
    inputs = [DATA, ARTICLES] + sorted(DEV.glob("*.txt"))
    articles, _errors = collect_articles(inputs, None)
    direct = sorted((r for a in articles for r in article_quads(a).reports), key=lambda r: r.event)
    build(inputs, tmp_path / "g.nq", progress=False)
    back = reports_from_store(load_graph(tmp_path / "g.nq"))
    assert len(direct) > (150 if DEV.is_dir() else 40) and back == direct


def test_fusion_score_on_our_set_meets_the_target(fusion_graph):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "score_fusion.py"), str(ARTICLES),
                           str(FUSION / "clusters.json"), "--graph", str(fusion_graph)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    scores = dict(part.split("=") for part in proc.stdout.splitlines()[1].split())
    assert float(scores["bcubed_f1"]) >= 0.95 and float(scores["pairwise_precision"]) == 1.0
    gold = json.loads((FUSION / "clusters.json").read_text(encoding="utf-8"))
    assert len(gold["clusters"]) == 12 and sum(len(c["reports"]) for c in gold["clusters"]) == 22
