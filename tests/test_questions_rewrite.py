"""Questions rewritten for speed at scale (issue 10) return the rows the earlier text returned.

The earlier text of each rewritten question is kept here and run next to the bundled one on the sample
articles plus our own fusion articles; the summary facts the faster `articles` reads are checked against
counts made from the graph itself.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.query import QueryError, bundled_queries, load_graph, run_query
from kg.rdf import CKG, extraction_statements
from kg.lexicon import default_lexicon
from tests.conftest import DATA, ROOT, read, run_kg

FUSION = ROOT / "tests" / "fusion" / "articles"

_PREFIXES = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# the bundled text before issue 10's rewrite
BEFORE = {
    "articles": _PREFIXES + """
SELECT ?source ?headline ?published (COUNT(DISTINCT ?e) AS ?events) (COUNT(DISTINCT ?q) AS ?counts)
       (COUNT(DISTINCT ?qt) AS ?quotes)
WHERE { GRAPH ?g {
  ?a a ckg:Article ; dcterms:identifier ?source .
  OPTIONAL { ?a schema:headline ?headline }
  OPTIONAL { ?a schema:datePublished ?published }
  OPTIONAL { ?e ckg:article ?a ; a ?etype . VALUES ?etype { ckg:Attack ckg:Communication ckg:Statement } }
  OPTIONAL { ?q a ckg:Quantity ; ckg:article ?a }
  OPTIONAL { ?qt a ckg:Quote ; ckg:article ?a }
} }
GROUP BY ?source ?headline ?published
ORDER BY ?published ?source
""",
    "attack-reports": _PREFIXES + """
SELECT ?attack ?source ?event (GROUP_CONCAT(DISTINCT ?signalName; separator=" ") AS ?signals)
WHERE {
  GRAPH ?eg { ?attack a ckg:CanonicalAttack ; ckg:resolution ?link .
              ?link ckg:linkedReport ?event ; ckg:reportArticle ?article .
              OPTIONAL { ?link ckg:signal ?signal BIND(STRAFTER(STR(?signal), "#") AS ?signalName) } }
  GRAPH ?ag { ?article dcterms:identifier ?source }
}
GROUP BY ?attack ?source ?event
ORDER BY ?attack ?source ?event
""",
}


def _rows(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    result = run_query(store, sparql)
    names = [v.value for v in result.variables]
    return [tuple("" if row[n] is None else str(row[n]) for n in names) for row in result]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """The sample and fusion articles built once as a dataset (.trig) and once merged as triples (.ttl)."""
    folder = tmp_path_factory.mktemp("questions")
    out = {}
    for suffix in ("trig", "ttl"):
        out[suffix] = folder / f"corpus.{suffix}"
        run_kg("build", str(DATA), str(FUSION), "-o", str(out[suffix]), check=True)
    return out


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_rewritten_question_returns_the_earlier_rows(corpus, name):
    store = load_graph(corpus["trig"])
    before = _rows(store, BEFORE[name])
    after = _rows(store, bundled_queries()[name])
    assert len(before) >= 10  # enough rows that a change in any of them shows
    assert after == before  # same rows, same order


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_rewritten_question_works_on_a_merged_triples_file(corpus, name):
    # a .ttl holds no article graphs: every statement is in one graph, which the rewritten patterns must allow
    merged = _rows(load_graph(corpus["ttl"]), bundled_queries()[name])
    assert merged and merged == _rows(load_graph(corpus["ttl"]), BEFORE[name])


def test_summary_counts_match_the_article_graph():
    text = ("Russian forces struck Dnipro with 12 drones overnight, the regional governor said. "
            "Four people were killed and nine injured. \"The city will rebuild,\" the mayor said.")
    gs = extraction_statements(read(text, article_id="summary-test"), default_lexicon())
    facts = {p: o for s, p, o in gs.statements if s == gs.graph}
    typed = {(s, o) for s, p, o in gs.statements if p.endswith("#type")}
    about = {s for s, p, o in gs.statements if p == CKG + "article" and o == gs.graph}
    quantities = sum(1 for s in about if (s, CKG + "Quantity") in typed)
    quotes = sum(1 for s in about if (s, CKG + "Quote") in typed)
    events = sum(1 for s in about if {(s, CKG + c) for c in ("Attack", "Communication", "Statement")} & typed)
    assert quantities >= 2 and quotes >= 1 and events >= 2  # the text has counts, a quote and an attack
    assert facts[CKG + "quantityCount"][0] == str(quantities)
    assert facts[CKG + "quoteCount"][0] == str(quotes)
    assert facts[CKG + "eventCount"][0] == str(events)


def test_articles_on_a_store_after_add_and_remove(tmp_path):
    store = tmp_path / "store"
    run_kg("add", str(DATA / "kyiv_2024_07_08.txt"), str(DATA / "sumy_2025_04_13.md"), "--store", str(store), check=True)
    run_kg("remove", "sumy_2025_04_13", "--store", str(store), check=True)
    out = run_kg("query", str(store), "articles", "--format", "csv", check=True).stdout.splitlines()
    built = tmp_path / "one.nq"
    run_kg("build", str(DATA / "kyiv_2024_07_08.txt"), "-o", str(built), check=True)
    assert out == run_kg("query", str(built), "articles", "--format", "csv", check=True).stdout.splitlines()
    assert len(out) == 2 and out[1].startswith("kyiv_2024_07_08,")


def test_query_on_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database", encoding="utf-8")
    with pytest.raises(QueryError, match="not a conflict-kg store"):
        load_graph(tmp_path)
