"""kg add's two ways of writing: a new store is bulk loaded aside and renamed into place (whole run or
nothing), an existing one takes whole articles in transactions of several articles. Both give the same
store, readers never see part of an article, and no spent write-ahead log stays on disk."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg.build import article_quads
from kg.model import Article
from kg.rdf import article_iri
from kg.store import add_articles, article_ids, open_read_only
from tests.conftest import DATA, SEED

# Invented reports, written for these tests; each feed article repeats one of them under its own id.
TEXTS = [
    "Drones struck a fuel depot near Tarnowka on Tuesday, killing 2 workers, regional governor Anna Holt said.",
    "A missile hit an apartment block in Veskograd overnight, wounding 11 people, the city council said.",
    "Air defence shot down 14 of 19 drones launched at the Brenmar region, the air force said on Friday.",
    "Shelling of Kolvitsa damaged a school and a power line; 3 people were injured, officials reported.",
]


def feed(tmp_path: Path, n: int, day: str = "2025-05-06") -> Path:
    path = tmp_path / "feed.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i:04d}", "date": day, "text": TEXTS[i % len(TEXTS)]}) + "\n")
    return path


def expected_sizes(day: str = "2025-05-06") -> dict[int, int]:
    """How many statements oxigraph keeps for each text (the same for every id)."""
    sizes = {}
    for k, text in enumerate(TEXTS):
        mem = ox.Store()
        mem.extend(article_quads(Article(id=f"a{k:04d}", text=text, date=date.fromisoformat(day))))
        sizes[k] = len(mem)
    return sizes


def dump(path: Path) -> set:
    return set(open_read_only(path).quads_for_pattern(None, None, None, None))


def graph_size(store: ox.Store, article_id: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(article_iri(article_id))))


def test_new_store_equals_one_grown_article_by_article(tmp_path):
    add_articles([DATA], tmp_path / "new", workers=1)  # bulk loaded aside, renamed into place
    add_articles([SEED], tmp_path / "grown", workers=1)
    for f in sorted(DATA.iterdir()):  # then each input into the existing store, in transactions
        add_articles([f], tmp_path / "grown", workers=1)
    assert not any(tmp_path.glob(".*staging*"))
    assert dump(tmp_path / "new") == dump(tmp_path / "grown")


def test_same_id_twice_in_one_run_is_refused_and_the_first_kept_either_way(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "date": "2025-05-06", "text": TEXTS[0]}) + "\n"
                   + json.dumps({"id": "x", "date": "2025-05-06", "text": TEXTS[1]}) + "\n", encoding="utf-8")
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "x", "date": "2025-05-06", "text": TEXTS[0]}) + "\n", encoding="utf-8")
    for name in ("new", "existing"):
        store = tmp_path / name
        if name == "existing":
            add_articles([SEED], store, workers=1)
        report = add_articles([src], store, workers=1)
        assert report.added == ["x"] and len(report.errors) == 1 and "duplicate" in report.errors[0].reason
    add_articles([first], tmp_path / "reference", workers=1)
    x = ox.NamedNode(article_iri("x"))
    want = {q for q in dump(tmp_path / "reference") if q.graph_name == x}
    assert want
    for name in ("new", "existing"):
        assert {q for q in dump(tmp_path / name) if q.graph_name == x} == want, name


def test_no_spent_write_ahead_log_stays_on_disk(tmp_path):
    store = tmp_path / "s"
    add_articles([SEED], store, workers=1)
    add_articles([feed(tmp_path, 80)], store, workers=1)  # some MiB through the write-ahead log
    assert len(article_ids(open_read_only(store))) == 81
    assert sum(p.stat().st_size for p in store.glob("*.log")) < 64 * 1024


def test_reader_sees_whole_articles_while_add_runs(tmp_path):
    sizes = expected_sizes()
    n = 600
    store = tmp_path / "s"
    add_articles([SEED], store, workers=1)
    # groups of about 5 articles (the default is about 130), so that a reader can look between many of them
    writer = (f"from kg.store import add_articles; add_articles([{str(feed(tmp_path, n))!r}], {str(store)!r}, "
              f"workers=1, batch_quads={5 * max(sizes.values())})")
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    looks, seen_counts = 0, set()
    try:
        deadline = time.time() + 240
        while proc.poll() is None and time.time() < deadline:
            try:
                reader = open_read_only(store)
                ids = [i for i in article_ids(reader) if i.startswith("a")]
            except Exception:  # the writer may be mid-flush: look again
                continue
            try:
                found = {article_id: graph_size(reader, article_id) for article_id in ids[-3:] + ids[:1]}
            except OSError:
                # a read-only view can lose a file that the writer's compaction removed (RocksDB): that is no
                # partial article, just a view to open again
                continue
            for article_id, size in found.items():
                assert size == sizes[int(article_id[1:]) % len(TEXTS)], article_id
            seen_counts.add(len(ids))
            looks += 1
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    assert looks > 0
    assert any(0 < c < n for c in seen_counts), "a reader should have looked mid-run"


def test_kill_9_while_a_new_store_is_built_leaves_no_store(tmp_path):
    store = tmp_path / "s"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "add", str(feed(tmp_path, 400)), "--store", str(store),
                             "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
        staged = list(tmp_path.glob(".s.*.staging/articles.nq"))
        if staged and staged[0].stat().st_size > 100_000:  # some articles written aside
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the kill should land mid-run"
    assert not store.exists() or not any(store.iterdir())  # no half-built store at the path
    assert list(tmp_path.glob(".s.*.staging"))  # the dead run's work, left aside
    add_articles([SEED], store, workers=1)  # the next run cleans it up and builds the store
    assert not list(tmp_path.glob(".s.*.staging"))
    assert article_ids(open_read_only(store)) == ["seed_kyiv_2025_07_04"]
