"""Forged output (issue 12): data never read as template, control characters never printed raw, odd
article ids still give files that other tools parse."""
from __future__ import annotations

import xml.dom.minidom

import rdflib

from kg.build import build
from kg.network import project
from kg.query import load_graph
from kg.viz import _PAGE_JS, render_html
from tests.conftest import run_kg

HOSTILE = ("Russian drones struck Kharkiv /*PAGE_JS*/ /*DATA*/ /*VIS_JS*/ overnight, killing two people "
           "\x1b[2J\x1b]0;pwned\x07, Mayor Ihor Terekhov said on Monday.\n")


def _graph(tmp_path, text=HOSTILE, name="hostile.txt", ext="trig"):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / f"g.{ext}"
    report = build([src / name], out, progress=False)
    assert report.articles == 1, report.errors
    return out


def test_markers_in_article_text_do_not_break_the_page(tmp_path):
    page = render_html(project(load_graph(_graph(tmp_path))))
    assert page.count(_PAGE_JS) == 1  # the page script is there, once
    assert "PAGE_JS" in page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]  # the text stays data
    assert "/*DATA*/" not in page.split('id="kg-data">', 1)[0]


def test_query_table_escapes_terminal_controls(tmp_path):
    out = _graph(tmp_path)
    proc = run_kg("query", str(out), "SELECT (STRAFTER(STR(?t), 'people ') AS ?x) WHERE { GRAPH ?g { ?s ?p ?t "
                  "FILTER(CONTAINS(STR(?t), 'pwned')) } }")
    assert proc.returncode == 0, proc.stderr
    assert "pwned" in proc.stdout and "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "\\x1b" in proc.stdout


def test_file_name_with_newline_cannot_forge_a_line(tmp_path):
    bad = tmp_path / "x\nkg: 999 articles added.txt"
    bad.write_bytes(b"\x00\x01binary")
    proc = run_kg("build", str(bad), "-o", str(tmp_path / "g.trig"))
    assert proc.returncode == 1
    assert not any(line.startswith("kg: 999") for line in proc.stderr.splitlines()), proc.stderr
    assert "\\n" in proc.stderr


def test_printable_escapes_controls_and_bidi():
    from kg.safeprint import printable

    assert printable("a\x1b[31mb\nc\u202ed\udcff") == "a\\x1b[31mb\\nc\\u202ed\\xff"
    assert printable("Київ — ok") == "Київ — ok"


def test_odd_article_ids_give_parseable_trig_and_turtle(tmp_path):
    for stem in (".", "..", "report.", "-x", "report 1"):
        for ext, fmt in (("trig", "trig"), ("ttl", "turtle")):
            src = tmp_path / "in"
            src.mkdir(exist_ok=True)
            f = src / f"{stem}.txt"
            f.write_text(HOSTILE, encoding="utf-8")
            out = tmp_path / f"g.{ext}"
            assert build([f], out, progress=False).articles == 1
            g = rdflib.Dataset() if ext == "trig" else rdflib.Graph()
            g.parse(out, format=fmt)  # rdflib reads what we wrote
            assert len(g) or len(list(g.quads())), (stem, ext)
            f.unlink()
        f = tmp_path / "in" / f"{stem}.txt"
        f.write_text(HOSTILE, encoding="utf-8")
        out = tmp_path / "g.jsonld"
        assert build([f], out, progress=False, include_vocabulary=False).articles == 1
        import pyoxigraph as ox

        graphs = {q.graph_name.value for q in ox.parse(out.read_bytes(), format=ox.RdfFormat.JSON_LD)
                  if isinstance(q.graph_name, ox.NamedNode)}
        from kg.rdf import article_iri

        assert article_iri(stem) in graphs, (stem, graphs)
        f.unlink()


def test_rdf_xml_with_control_characters_is_well_formed(tmp_path):
    out = _graph(tmp_path, ext="rdf")
    xml.dom.minidom.parse(str(out))


def test_no_duplicate_quads_are_written(tmp_path):
    import pyoxigraph as ox

    from tests.conftest import SEED

    out = tmp_path / "g.nq"
    report = build([SEED], out, progress=False, include_vocabulary=False)
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == len(set(lines)) == report.statements
    assert len(list(ox.parse(out.read_bytes(), format=ox.RdfFormat.N_QUADS))) == report.statements
