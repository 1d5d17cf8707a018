"""`kg build` resolves events a block of days at a time from reports kept on disk: the same graphs, in the
same order, as resolving every report at once in memory."""
from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from kg.articles import read_inputs
from kg.atomic import remove_stale_parts
from kg.build import article_quads, build
from kg.lexicon import ontology_dir
from kg.model import Article
from kg.rdf import vocabulary_nquads
from kg.resolve import resolve
from kg.resolve import spill as spill_module
from kg.resolve.quads import resolution_graphs
from kg.resolve.spill import ReportSpill, report_spill
from tests.conftest import DATA, ROOT
from tests.test_resolve import CHORNOMORSK, KHARKIV, LVIV, ODESA, ODESA_REGION, RU, UA, fig, rep


def random_reports(n: int, days: int, seed: int) -> list:
    """Attacks and communications over `days` days: stated, inferred and undated dates, some articles with
    no publication date, places at every level, two attackers (so some events split)."""
    rng = random.Random(seed)
    places = [KHARKIV, LVIV, ODESA, CHORNOMORSK, ODESA_REGION, UA, ""]
    out = []
    for i in range(n):
        published = date(2024, 12, 20) + timedelta(days=rng.randrange(days)) if rng.random() > 0.05 else None
        day = (published or date(2025, 1, 5)) - timedelta(days=rng.choice([0, 0, 1, 2, 4, 7]))
        kind = "communication" if rng.random() < 0.15 else "attack"
        out.append(rep(f"a{i:04d}", rng.choice(places), rng.choice([day, day, None]), published=published,
                       precision=rng.choice(["day", "day", "inferred"]), kind=kind,
                       actors=tuple(sorted(rng.sample([RU, UA, "urn:x:other", "urn:x:third"], rng.choice([1, 1, 2, 3])))),
                       figures=(fig(f"a{i:04d}", 1, "killed", rng.randint(1, 9)),)))
    return out


@pytest.mark.parametrize("block", [1, 7, 60, 10**9])
def test_resolving_block_by_block_gives_the_graphs_of_resolving_everything(tmp_path, block):
    reports = random_reports(700, 90, seed=block)
    expected = list(resolution_graphs(resolve(reports)))
    assert any(g.endswith("/undated") for g, _ in expected)  # the undated graph is exercised too
    with report_spill(tmp_path / "g.nq", block=block) as spill:
        for k in range(0, len(reports), 3):  # as articles come: a few reports at a time
            spill.add(reports[k:k + 3])
        blocks = spill.blocks()
        got = list(spill.graphs())
    assert [g for g, _ in got] == [g for g, _ in expected]
    assert got == expected
    if block == 1:
        assert len(blocks) > 80  # one block a day: every event is found through its margins alone
    assert not list(tmp_path.iterdir())  # the scratch file is gone


def test_input_order_and_chunking_do_not_change_the_graphs(tmp_path):
    reports = random_reports(300, 40, seed=11)
    shuffled = reports[:]
    random.Random(5).shuffle(shuffled)
    with report_spill(tmp_path / "a.nq", block=5) as one:
        one.add(reports)
        first = list(one.graphs())
    with report_spill(tmp_path / "b.nq", block=1000) as two:
        for r in shuffled:
            two.add([r])
        second = list(two.graphs())
    assert first == second


def test_blocks_partition_the_days_with_undated_last(tmp_path):
    d = date(2025, 3, 1)
    reports = [rep("x1", KHARKIV, d), rep("x2", KHARKIV, d), rep("x3", LVIV, d + timedelta(days=1)),
               rep("x4", ODESA, d + timedelta(days=30)), rep("x5", ODESA, None, published=None)]
    with report_spill(tmp_path / "g.nq", block=2) as spill:
        spill.add(reports)
        # a day is never cut in two, even when it alone holds more than a block
        assert spill.blocks() == [("2025-03-01", "2025-03-01"), ("2025-03-02", "2025-03-31"), ("undated", "undated")]


def test_an_empty_spill_gives_no_graph(tmp_path):
    with report_spill(tmp_path / "g.nq") as spill:
        spill.add([])
        assert list(spill.graphs()) == []


def test_the_scratch_file_is_named_as_the_outputs_own_and_removed_after_a_failure(tmp_path, monkeypatch):
    out = tmp_path / "g.nq"
    seen = []
    real = ReportSpill.graphs

    def watch(self):
        seen.extend(p.name for p in tmp_path.iterdir())
        yield from real(self)
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(ReportSpill, "graphs", watch)
    with pytest.raises(RuntimeError):
        build([DATA], out, progress=False)
    # the spill and the output's own temporary file, both in the output's scratch naming
    assert len(seen) == 2 and all(re.fullmatch(rf"\.g\.nq\.\d+\.\w+\.part", name) for name in seen)
    assert not list(tmp_path.iterdir())  # removed on failure, and no output written
    # a killed run's spill (its process gone) is removed by the next write of the output
    stale = tmp_path / seen[0].replace(seen[0].split(".")[3], "999999999", 1)
    stale.write_bytes(b"left over")
    assert remove_stale_parts(out) == [stale]


def test_build_with_tiny_blocks_writes_the_in_memory_resolution_byte_for_byte(tmp_path, monkeypatch):
    """A build of the sample, held-out and fusion articles (reports over many days), resolved two reports'
    worth of days at a time, against every article's text + resolving all their reports in memory."""
    inputs = [DATA, ROOT / "tests" / "heldout", ROOT / "tests" / "fusion" / "articles"]
    articles = [a for a in read_inputs(inputs) if isinstance(a, Article)]
    results = [article_quads(a) for a in articles]
    events = list(resolution_graphs(resolve([r for x in results for r in x.reports])))
    assert len(events) > 20  # many day graphs, so many blocks
    expected = "".join(x.nquads for x in results) + "".join(text for _, text in events) + vocabulary_nquads(ontology_dir())
    monkeypatch.setattr(spill_module, "BLOCK_REPORTS", 2)
    out = tmp_path / "g.nq"
    report = build(inputs, out, progress=False)
    assert report.articles == len(articles)
    assert out.read_text(encoding="utf-8") == expected
