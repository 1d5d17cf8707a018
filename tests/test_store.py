"""The persistent store: add, replace, remove, parallel equals serial, and kill -9 leaves whole articles."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pyoxigraph as ox

from kg.build import article_quads
from kg.model import Article
from kg.rdf import article_iri
from kg.store import add_articles, article_ids, open_read_only, remove_articles
from tests.conftest import DATA, SEED, run_kg


def dump(path) -> set:
    store = open_read_only(path)
    return set(store.quads_for_pattern(None, None, None, None))


def graph_of(store_path, article_id) -> set:
    store = open_read_only(store_path)
    g = ox.NamedNode(article_iri(article_id))
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, g)}


def test_add_twice_changes_nothing_and_store_is_queryable(tmp_path):
    store = tmp_path / "store"
    assert run_kg("add", str(DATA), "--store", str(store)).returncode == 0
    first = dump(store)
    assert run_kg("add", str(DATA), "--store", str(store)).returncode == 0
    assert dump(store) == first
    out = run_kg("query", str(store), "quantities", "--format", "csv", check=True).stdout
    assert "seed_kyiv_2025_07_04" in out and "539" in out
    assert run_kg("viz", str(store), "-o", str(tmp_path / "v.html")).returncode == 0
    assert run_kg("export", str(store), "-o", str(tmp_path / "v.graphml")).returncode == 0


def test_corrected_version_replaces_its_graph_and_keeps_shared_entities(tmp_path):
    store = tmp_path / "store"
    a = tmp_path / "a"
    a.mkdir()
    (a / "one.txt").write_text("---\ndate: 2025-03-01\n---\nRussian drones hit Kharkiv on Saturday, killing 3 people, "
                               "Mayor Ihor Terekhov said.\n", encoding="utf-8")
    (a / "two.txt").write_text("---\ndate: 2025-03-02\n---\nA glide bomb struck Kharkiv on Sunday, wounding 9 people.\n",
                               encoding="utf-8")
    add_articles([a], store, workers=1)
    before_two = graph_of(store, "two")
    (a / "one.txt").write_text("---\ndate: 2025-03-01\n---\nRussian drones hit Kharkiv on Saturday, killing 4 people, "
                               "Mayor Ihor Terekhov said.\n", encoding="utf-8")
    add_articles([a / "one.txt"], store, workers=1)
    values = {str(o.value) for s, p, o in graph_of(store, "one") if p.value.endswith("#value")}
    assert values == {"4"}
    assert graph_of(store, "two") == before_two  # Kharkiv is still described and linked in "two"
    removed, missing = remove_articles(["one", "nope"], store)
    assert (removed, missing) == (["one"], ["nope"])
    assert article_ids(open_read_only(store)) == ["two"]
    kharkiv = ox.NamedNode("https://sws.geonames.org/706483/")
    assert any(q.object == kharkiv for q in open_read_only(store).quads_for_pattern(None, None, kharkiv, None))


def test_two_workers_equal_one(tmp_path):
    add_articles([DATA], tmp_path / "one", workers=1)
    add_articles([DATA], tmp_path / "two", workers=2)
    assert dump(tmp_path / "one") == dump(tmp_path / "two")


def test_kill_9_leaves_whole_articles_only(tmp_path):
    texts = [SEED.read_text(encoding="utf-8").split("---\n", 2)[2]] + \
            [p.read_text(encoding="utf-8").split("---\n", 2)[-1] for p in sorted(DATA.glob("*.txt"))]
    feed = tmp_path / "feed.jsonl"
    n = 600
    with feed.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i:04d}", "date": "2025-07-04", "text": texts[i % len(texts)]}) + "\n")
    store = tmp_path / "store"
    add_articles([SEED], store, workers=1)  # an existing store takes articles in transactions (a new one is
    # built aside and renamed into place: tests/test_store_new.py kills that)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "add", str(feed), "--store", str(store), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill once some articles are in, however slow the machine is (a fixed delay flaked under load).
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.25)
        try:
            if len(article_ids(open_read_only(store))) >= 4:
                break
        except Exception:  # the writer may hold the database mid-flush: look again
            continue
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = [i for i in article_ids(open_read_only(store)) if i.startswith("a")]
    assert 0 < len(done) < n, "the kill should land mid-run"
    for article_id in done[:: max(1, len(done) // 25)] + done[-2:]:
        i = int(article_id[1:])
        mem = ox.Store()  # as oxigraph stores them (it keeps xsd:nonNegativeInteger offsets as xsd:integer)
        mem.extend(article_quads(Article(id=article_id, text=texts[i % len(texts)],
                                         date=__import__("datetime").date(2025, 7, 4))))
        expected = {(q.subject, q.predicate, q.object) for q in mem}
        assert graph_of(store, article_id) == expected, article_id
    # and the store still takes writes afterwards
    assert run_kg("add", str(SEED), "--store", str(store)).returncode == 0
