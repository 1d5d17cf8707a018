"""`kg query` as a user meets it when typing SPARQL by hand (issue 11, section 3)."""
from __future__ import annotations

import pytest

from kg.output import PREFIXES
from kg.sparqlhelp import close_matches, explain_syntax_error
from tests.conftest import run_kg


def _error(proc) -> str:
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_usual_prefixes_are_predeclared(seed_graph):
    out = run_kg("query", str(seed_graph), "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ckg:Attack ; "
                 "ckg:place/skos:prefLabel ?l }", "--format", "csv", check=True).stdout
    assert int(out.splitlines()[1]) >= 1


def test_a_query_prefix_overrides_a_predeclared_one(seed_graph):
    out = run_kg("query", str(seed_graph), "PREFIX ckg: <https://example.org/other#> "
                 "SELECT (COUNT(*) AS ?n) WHERE { ?a a ckg:Attack }", "--format", "csv", check=True).stdout
    assert out.splitlines()[1] == "0"


def test_unknown_prefix_is_named_in_one_line(seed_graph):
    line = _error(run_kg("query", str(seed_graph), "SELECT * WHERE {\n  ?s ck:place ?o\n}"))
    assert "unknown prefix 'ck:' at line 2, column 6" in line and "did you mean 'ckg:'" in line
    assert "..=" not in line and "u{" not in line  # not the parser's character ranges


def test_prefix_like_text_in_strings_iris_and_comments_is_not_a_prefix():
    sparql = ('SELECT * WHERE { ?s ?p "zz:a" ; ?q \'\'\'yy:b\'\'\' ; ?r <urn:xx:c> . }  # ww:d\n'
              'LIMIT oops')
    line = explain_syntax_error(sparql, "error at 2:7: expected INTEGER", PREFIXES)
    assert "unknown prefix" not in line and "line 2, column 7" in line and "near 'oops'" in line


def test_declared_prefix_is_known():
    sparql = "PREFIX ex: <https://example.org/> SELECT * WHERE { ?s ex:p ?o . ?s zz:q ?o }"
    assert "unknown prefix 'zz:'" in explain_syntax_error(sparql, "error at 1:70: x", PREFIXES)


def test_mistyped_query_form_is_a_syntax_error_with_a_suggestion(seed_graph):
    line = _error(run_kg("query", str(seed_graph), "SELEC ?s WHERE { ?s ?p ?o }"))
    assert "malformed SPARQL" in line and "'SELEC'" in line and "did you mean SELECT" in line
    assert "unknown question" not in line


def test_update_is_refused_as_such(seed_graph):
    line = _error(run_kg("query", str(seed_graph), "INSERT DATA { <urn:a> <urn:b> <urn:c> }"))
    assert "update" in line and "INSERT" in line


@pytest.mark.parametrize("typed,meant", [("interception_rate", "interception-rate"), ("Timeline", "timeline"),
                                         ("casualties-by-plce", "casualties-by-place")])
def test_mistyped_question_name_gets_did_you_mean(seed_graph, typed, meant):
    line = _error(run_kg("query", str(seed_graph), typed))
    assert f"unknown question '{typed}'" in line and f"did you mean '{meant}'" in line


def test_unrelated_word_gets_no_suggestion():
    assert close_matches("zebra", ["timeline", "quotes", "damage"]) == []


def test_parser_message_keeps_position_and_drops_character_ranges(seed_graph):
    line = _error(run_kg("query", str(seed_graph), "SELECT * WHERE { ?s ?p ?o } LIMIT x"))
    assert "line 1, column 35" in line and "near 'x'" in line and "..=" not in line


def test_viz_query_that_selects_nothing_says_so_and_writes_nothing(seed_graph, tmp_path):
    out = tmp_path / "v.html"
    line = _error(run_kg("viz", str(seed_graph), "-o", str(out), "--query", "SELECT ?s WHERE { ?s a ckg:NoSuchClass }"))
    assert "selected nothing" in line and not out.exists()
    line = _error(run_kg("viz", str(seed_graph), "-o", str(out), "--query",
                         "SELECT ?s WHERE { ?s a oa:TextQuoteSelector } LIMIT 2"))
    assert "none of them a node" in line and not out.exists()
    ok = run_kg("viz", str(seed_graph), "-o", str(out), "--query", "SELECT ?s WHERE { ?s a ckg:Attack }")
    assert ok.returncode == 0 and out.exists()
