"""The command line as a user meets it: help, formats, errors, exit codes, atomic output."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from tests.conftest import SEED, run_kg


def test_help_explains_commands_with_examples():
    out = run_kg("--help", check=True).stdout
    assert "build" in out and "query" in out and "example" in out
    for cmd in ("build", "query"):
        assert "example" in run_kg(cmd, "--help", check=True).stdout


def test_output_formats_follow_extension(tmp_path):
    for ext, fmt, named in ((".trig", ox.RdfFormat.TRIG, True), (".nq", ox.RdfFormat.N_QUADS, True),
                            (".ttl", ox.RdfFormat.TURTLE, False), (".nt", ox.RdfFormat.N_TRIPLES, False),
                            (".jsonld", ox.RdfFormat.JSON_LD, True)):
        out = tmp_path / f"g{ext}"
        run_kg("build", str(SEED), "-o", str(out), "--no-vocabulary", check=True)
        quads = list(ox.parse(out.read_bytes(), format=fmt))
        assert len(quads) > 500
        graphs = {str(q.graph_name) for q in quads if hasattr(q, "graph_name") and not isinstance(q.graph_name, ox.DefaultGraph)}
        assert bool(graphs) == named, ext
        rows = list(csv.DictReader(io.StringIO(run_kg("query", str(out), "quantities", "--format", "csv", check=True).stdout)))
        assert {"539", "478", "23"} <= {r["value"] for r in rows}, ext


def test_query_formats_and_sparql_text(seed_graph):
    js = json.loads(run_kg("query", str(seed_graph), "quotes", "--format", "json", check=True).stdout)
    assert js["head"]["vars"] == ["source", "speaker", "quote"] and js["results"]["bindings"]
    tsv = run_kg("query", str(seed_graph), "quotes", "--format", "tsv", check=True).stdout
    assert tsv.splitlines()[0].split("\t") == ["?source", "?speaker", "?quote"]
    table = run_kg("query", str(seed_graph), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", check=True).stdout
    assert table.splitlines()[0].strip() == "n" and "(1 row)" in table
    ask = run_kg("query", str(seed_graph), "ASK { ?s ?p ?o }", check=True).stdout
    assert ask.strip() == "true"


def test_every_bundled_question_runs(seed_graph):
    names = [line.split()[0] for line in run_kg("queries", check=True).stdout.splitlines()]
    assert len(names) >= 12 and {"entities", "quantities", "events", "quotes"} <= set(names)
    for name in names:
        proc = run_kg("query", str(seed_graph), name, "--format", "csv")
        assert proc.returncode == 0, (name, proc.stderr)
    rate = list(csv.DictReader(io.StringIO(run_kg("query", str(seed_graph), "interception-rate", "--format", "csv").stdout)))
    kyiv = next(r for r in rate if r["place"] == "Kyiv")
    assert (kyiv["launched"], kyiv["intercepted"]) == ("550", "478") and float(kyiv["rate_percent"]) == 86.9


def test_malformed_sparql_gets_parser_message_and_position(seed_graph):
    proc = run_kg("query", str(seed_graph), "SELECT ?x WHERE { ?x ?y }")
    assert proc.returncode == 2
    assert "malformed SPARQL" in proc.stderr and "1:" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_bad_query_inputs(seed_graph, tmp_path):
    assert "unknown query" in run_kg("query", str(seed_graph), "no-such-question").stderr
    assert "no such graph" in run_kg("query", str(tmp_path / "missing.trig"), "entities").stderr
    bad = tmp_path / "bad.trig"
    bad.write_text("this is not trig {", encoding="utf-8")
    proc = run_kg("query", str(bad), "entities")
    assert proc.returncode == 2 and "bad.trig" in proc.stderr


def test_bad_articles_are_skipped_with_nonzero_exit_and_others_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\x00\x00")
    out = tmp_path / "g.trig"
    proc = run_kg("build", str(src), "-o", str(out))
    assert proc.returncode == 3
    skipped = [line for line in proc.stderr.splitlines() if "skipped" in line and ".txt" in line]
    assert len(skipped) == 2 and any("empty.txt: empty file" in s for s in skipped)
    rows = run_kg("query", str(out), "articles", "--format", "csv", check=True).stdout
    assert "good" in rows


def test_nothing_half_written(tmp_path):
    out = tmp_path / "g.trig"
    out.write_text("previous content", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_kg("build", str(empty), "-o", str(out))
    assert proc.returncode != 0 and out.read_text(encoding="utf-8") == "previous content"
    proc = run_kg("build", str(SEED), "-o", str(tmp_path / "g.xyz"))
    assert proc.returncode == 2 and "unknown RDF format" in proc.stderr
    proc = run_kg("build", str(SEED), "-o", str(tmp_path / "no" / "dir" / "g.trig"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "g.trig"]


def test_opposing_figures_coexist_and_are_flagged(tmp_path):
    src = tmp_path / "claims.txt"
    src.write_text("---\ndate: 2025-03-08\n---\nA Russian missile struck a hotel in Dobropillia on Friday night, "
                   "killing 11 people, Ukraine's State Emergency Service said. Russia's Defence Ministry claimed that "
                   "40 soldiers had been killed in the strike on Dobropillia.\n", encoding="utf-8")
    graph = tmp_path / "g.trig"
    run_kg("build", str(src), "-o", str(graph), check=True)
    rows = list(csv.DictReader(io.StringIO(run_kg("query", str(graph), "disputed-figures", "--format", "csv", check=True).stdout)))
    assert [(r["kind"], r["place"], r["claimant1"], r["value1"], r["claimant2"], r["value2"]) for r in rows] == [
        ("killed", "Dobropillia", "State Emergency Service of Ukraine", "11", "Russian Defence Ministry", "40")]


def test_an_extraction_failure_skips_that_article_only(tmp_path, monkeypatch):
    import kg.build as build_module
    from kg.build import build

    real = build_module.article_output

    def flaky(article):
        if article.id == "bad":
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(build_module, "article_output", flaky)
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad.txt").write_text("Drones hit Odesa.", encoding="utf-8")
    (src / "good.txt").write_text("A missile hit Sumy on Monday, killing 3 people.", encoding="utf-8")
    report = build([src], tmp_path / "g.nq", progress=False)
    assert report.articles == 1 and [e.reason for e in report.errors] == ["extraction failed (RuntimeError: boom)"]
    assert (tmp_path / "g.nq").exists()


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import DATA

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"g{seed}.nq"
        subprocess.run([sys.executable, "-m", "kg", "build", str(DATA), "-o", str(out), "-q"], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=300)
        outs.append(sorted(out.read_text(encoding="utf-8").splitlines()))
    assert outs[0] == outs[1]
