"""The streaming writer of `kg build` against the reference path (pyoxigraph quad objects + ox.serialize).

`kg build` formats each article's statements as N-Quads text itself and writes them as they come. These
tests check that this gives exactly what building pyoxigraph objects and serialising them gave: term by
term (every code point, random literals and IRIs), and for whole builds of the sample and held-out
articles in every output format.
"""
from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from kg.articles import read_inputs
from kg.build import ArticleQuads, article_quads, build
from kg.extract import default_resources, extract
from kg.lexicon import ontology_dir
from kg.model import Article
from kg.output import write_dataset
from kg.resolve import event_reports, resolution_quads, resolve
from kg.rdf import XSD, GraphStatements, extraction_quads, to_nquads, to_quads, vocabulary_quads
from tests.conftest import DATA, ROOT

NQ = ox.RdfFormat.N_QUADS
G = "https://w3id.org/conflict-kg/article/t%201"


def reference(gs: GraphStatements) -> str:
    """What the object path writes for these statements: each quad once, serialised by pyoxigraph."""
    return ox.serialize(list(dict.fromkeys(to_quads(gs))), format=NQ).decode("utf-8")


def test_every_code_point_is_escaped_as_pyoxigraph_does():
    # all of Unicode but the surrogates, a thousand code points per literal, each also as a language
    # string and a typed literal
    chars = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    values = ["".join(map(chr, chars[k:k + 1000])) for k in range(0, len(chars), 1000)]
    statements = [(f"{G}#s{k}", "https://schema.org/text", (v, "", "")) for k, v in enumerate(values)]
    statements += [(f"{G}#s{k}", "https://schema.org/name", (v[:50], "en", "")) for k, v in enumerate(values)]
    statements += [(f"{G}#s{k}", "https://schema.org/id", (v[:50], "", XSD + "integer")) for k, v in enumerate(values)]
    gs = GraphStatements(G, statements)
    assert to_nquads(gs) == reference(gs)


def test_random_statements_are_written_as_pyoxigraph_writes_them():
    rng = random.Random(20251125)
    awkward = ['"', "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff",
               "\ufffe", "\uffff", "\U0001F600", "é", "ї", " ", "^^", "@en", "<", ">", "'", "a", "7"]
    iris = [G, f"{G}#m1-5", f"{G}#char=1,5", "https://sws.geonames.org/703448/", "http://www.wikidata.org/entity/Q1",
            "https://w3id.org/conflict-kg/actor/person/k%C3%BCrt", "urn:x:é", "https://w3id.org/conflict-kg/place/a-b"]
    datatypes = ["", XSD + "string", XSD + "integer", XSD + "date", XSD + "anyURI", XSD + "decimal"]
    statements = []
    for _ in range(3000):
        value = "".join(rng.choice(awkward) for _ in range(rng.randint(0, 12)))
        lang = rng.choice(["", "", "en", "EN", "uk-UA"])
        o = rng.choice([rng.choice(iris), (value, lang, "" if lang else rng.choice(datatypes))])
        statements.append((rng.choice(iris), rng.choice(iris), o))
    statements += statements[:500]  # repeats are written once, where they first appeared
    gs = GraphStatements(G, statements)
    text = to_nquads(gs)
    assert text == reference(gs)
    assert list(ox.parse(text, format=NQ)) == list(dict.fromkeys(to_quads(gs)))


@pytest.mark.parametrize("statement", [
    (f"{G}#a", "https://schema.org/text", ("lone \ud800 surrogate", "", "")),
    (f"{G}#a", "https://schema.org/text", ("x", "not a tag!", "")),
    ("https://example.org/a b", "https://schema.org/text", ("x", "", "")),
    (f"{G}#a", "https://schema.org/text", "https://example.org/{x}"),
    (f"{G}#a b", "https://schema.org/text", "https://example.org/x"),
    (f"{G}#a", "https://schema.org/text", ("x", "", "https://example.org/%zz")),
])
def test_what_pyoxigraph_refuses_is_refused(statement):
    gs = GraphStatements(G, [statement])
    with pytest.raises(ValueError):
        to_quads(gs)
    with pytest.raises(ValueError):
        to_nquads(gs)


def corpus() -> list[Article]:
    """The sample articles and the held-out articles in the repository (no shared files needed)."""
    paths = [DATA, *sorted((ROOT / "tests" / "heldout").glob("*.txt"))]
    return [a for a in read_inputs(paths) if isinstance(a, Article)]


def object_path_quads(articles: list[Article]) -> list[ox.Quad]:
    """Every quad kg build writes, made as objects: each article's, the canonical events across the
    articles graph by graph, then the vocabulary."""
    resources = default_resources()
    extractions = [extract(a, resources) for a in articles]
    quads = [q for x in extractions for q in extraction_quads(x, resources.lexicon)]
    events = resolution_quads(resolve([r for x in extractions for r in event_reports(x)]))
    return quads + sorted(events, key=lambda q: q.graph_name.value) + list(vocabulary_quads(ontology_dir()))


@pytest.fixture(scope="module")
def reference_files(tmp_path_factory):
    """The whole corpus written by the object path: quads of each article + vocabulary, then write_dataset."""
    folder = tmp_path_factory.mktemp("reference")
    quads = object_path_quads(corpus())
    files = {}
    for ext in ("nq", "trig", "nt", "ttl", "jsonld", "rdf"):
        files[ext] = folder / f"ref.{ext}"
        files[ext + "-count"] = write_dataset(quads, files[ext])
    return files


@pytest.mark.parametrize("ext", ["nq", "trig", "nt", "ttl", "jsonld", "rdf"])
def test_build_writes_what_the_object_path_writes(tmp_path, reference_files, ext):
    inputs = [DATA, *sorted((ROOT / "tests" / "heldout").glob("*.txt"))]
    out = tmp_path / f"g.{ext}"
    report = build(inputs, out, progress=False)
    assert report.articles == len(corpus()) > 15
    assert report.statements == reference_files[ext + "-count"]
    if ext == "nq":
        assert out.read_bytes() == reference_files["nq"].read_bytes()
    else:
        fmt = {"trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
               "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}[ext]
        new = list(ox.parse(path=out, format=fmt))
        old = list(ox.parse(path=reference_files[ext], format=fmt))
        assert len(new) == len(old) == report.statements and set(new) == set(old)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no scratch file left behind


@pytest.mark.parametrize("ext", ["nq", "trig", "nt", "ttl", "jsonld", "rdf"])
def test_awkward_characters_in_the_text_survive_every_format(tmp_path, ext):
    # line and paragraph separators, NEL and a byte-order mark are line breaks to str.splitlines but not
    # to N-Quads; quotes, backslashes and tabs must be escaped
    text = ("Drones hit Odesa on Monday,\u2028injuring 4 people \"at \\ night\"\x85 and\tdamaging a\ufeff school.\u2029"
            " The regional governor said 2 of them were children.\n")
    src = tmp_path / "in" / "odd report.txt"
    src.parent.mkdir()
    src.write_text(text, encoding="utf-8")
    out = tmp_path / f"g.{ext}"
    report = build([src], out, progress=False)
    quads = object_path_quads([a for a in read_inputs([src]) if isinstance(a, Article)])
    ref = tmp_path / f"ref.{ext}"
    assert report.statements == write_dataset(quads, ref)
    fmt = ox.RdfFormat.from_extension(ext) if ext != "jsonld" else ox.RdfFormat.JSON_LD
    assert set(ox.parse(path=out, format=fmt)) == set(ox.parse(path=ref, format=fmt))
    assert any("\u2028" in q.object.value for q in ox.parse(path=out, format=fmt) if isinstance(q.object, ox.Literal))


def test_two_workers_write_the_same_bytes_as_one(tmp_path):
    inputs = [DATA, *sorted((ROOT / "tests" / "heldout").glob("*.txt"))[:6]]
    build(inputs, tmp_path / "one.nq", workers=1, progress=False)
    build(inputs, tmp_path / "two.nq", workers=2, progress=False)
    assert (tmp_path / "one.nq").read_bytes() == (tmp_path / "two.nq").read_bytes()


def test_article_quads_iterate_as_the_reference_quads():
    article = corpus()[0]
    result = article_quads(article)
    resources = default_resources()
    expected = list(dict.fromkeys(extraction_quads(extract(article, resources), resources.lexicon)))
    assert isinstance(result, ArticleQuads) and list(result) == expected and len(result) == len(expected)


def test_an_interrupted_build_leaves_the_old_output_and_no_scratch(tmp_path, monkeypatch):
    import kg.build as build_module

    src = tmp_path / "in"
    src.mkdir()
    for k in range(4):
        (src / f"a{k}.txt").write_text(f"A drone hit Sumy on Monday, injuring {k + 2} people.", encoding="utf-8")
    real = build_module.article_quads
    seen = []

    def interrupted(article):
        seen.append(article.id)
        if len(seen) == 3:  # after two articles were written: Ctrl-C
            raise KeyboardInterrupt
        return real(article)

    monkeypatch.setattr(build_module, "article_quads", interrupted)
    for ext in ("nq", "ttl"):
        out = tmp_path / f"g.{ext}"
        out.write_text("old", encoding="utf-8")
        seen.clear()
        with pytest.raises(KeyboardInterrupt):
            build([src], out, progress=False)
        assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq", "g.ttl", "in"]
