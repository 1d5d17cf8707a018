"""Write quads to a file whose extension picks the RDF format; the file appears whole or not at all."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox

from .atomic import atomic_file, atomic_write, scratch_file

FORMATS = {
    ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}
PREFIXES = {
    "ckg": "https://w3id.org/conflict-kg/ontology#", "kgk": "https://w3id.org/conflict-kg/kind/",
    "kgw": "https://w3id.org/conflict-kg/weapon/", "kga": "https://w3id.org/conflict-kg/actor/",
    "kgp": "https://w3id.org/conflict-kg/place/", "kgo": "https://w3id.org/conflict-kg/object/",
    "kge": "https://w3id.org/conflict-kg/event/",
    "art": "https://w3id.org/conflict-kg/article/", "geonames": "https://sws.geonames.org/",
    "gn": "http://www.geonames.org/ontology#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "wd": "http://www.wikidata.org/entity/", "skos": "http://www.w3.org/2004/02/skos/core#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/", "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/", "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wgs84": "http://www.w3.org/2003/01/geo/wgs84_pos#", "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


class OutputError(Exception):
    """The output path or format is unusable."""


class NothingToWrite(Exception):
    """No graph came to `write_graphs`: the output was left as it was."""


def rdf_format(path: str | Path) -> ox.RdfFormat:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: unknown RDF format '{suffix or '(none)'}'; use .trig, .nq, .ttl, .nt or .jsonld")
    return FORMATS[suffix]


def write_dataset(quads: Iterable[ox.Quad], path: str | Path) -> int:
    """Serialise quads to `path` atomically (temp file + rename); returns how many statements were written.

    Dataset formats keep one named graph per article; triple formats merge the graphs.
    """
    path = Path(path)
    fmt = rdf_format(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: folder {directory} does not exist")
    if fmt in DATASET_FORMATS:
        items: list = list(dict.fromkeys(quads))  # a statement repeated within one graph is written once
    else:
        seen: set = set()
        items = []
        for q in quads:
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                items.append(t)
    if fmt == ox.RdfFormat.JSON_LD:
        atomic_write(path, lambda fh: fh.write(compact_jsonld(ox.serialize(items, format=fmt))))
        return len(items)
    kwargs = {"prefixes": _prefixes_for(items)} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    if fmt == ox.RdfFormat.RDF_XML:
        items = [_xml_safe(t) for t in items]
    atomic_write(path, lambda fh: ox.serialize(items, fh, format=fmt, **kwargs))
    return len(items)


def write_graphs(graphs: Iterable[tuple[str, str]], path: str | Path, vocabulary: str = "") -> int:
    """Write named graphs, given as (graph IRI, its N-Quads lines), to `path` as they come; returns how
    many statements were written.

    Each graph's lines must hold each statement once (graphs are articles, so no statement repeats across
    them); `vocabulary` (N-Quads) is written after them. Memory does not grow with the number of graphs for
    .nq and .trig; triple formats (.nt .ttl .rdf) merge the graphs and keep a 16-byte digest per distinct
    triple to write each once; .jsonld is compacted in memory. The file appears whole, by rename, or not at
    all: if `graphs` raises, or yields nothing (NothingToWrite), `path` is left as it was.
    """
    path = Path(path)
    fmt = rdf_format(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: folder {directory} does not exist")
    plain = _PlainIds()
    with atomic_file(path) as out:
        if fmt == ox.RdfFormat.N_QUADS:
            return _stream_quads(graphs, vocabulary, out, plain)
        if fmt == ox.RdfFormat.N_TRIPLES:
            return _stream_triples(graphs, vocabulary, out, plain)
        with scratch_file(path) as (scratch, name):
            if fmt in DATASET_FORMATS:
                count = _stream_quads(graphs, vocabulary, scratch, plain)
                source = ox.RdfFormat.N_QUADS
            else:
                count = _stream_triples(graphs, vocabulary, scratch, plain)
                source = ox.RdfFormat.N_TRIPLES
            scratch.close()
            # our own text, already checked term by term when it was made: no need to validate it again
            items: Iterator = iter(ox.parse(path=name, format=source, lenient=True))
            if fmt == ox.RdfFormat.JSON_LD:
                out.write(compact_jsonld(ox.serialize(items, format=fmt)))
                return count
            if fmt == ox.RdfFormat.RDF_XML:
                items = map(_xml_safe, items)
            kwargs = {"prefixes": PREFIXES if plain.all else _NO_ART} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
            ox.serialize(items, out, format=fmt, **kwargs)
            return count


class _PlainIds:
    """Whether every article id seen so far can be written as a prefixed name (`art:ID`)."""

    def __init__(self) -> None:
        self.all = True

    def see(self, graph: str) -> None:
        if self.all and graph.startswith(PREFIXES["art"]):
            self.all = bool(_PLAIN_LOCAL.fullmatch(graph[len(PREFIXES["art"]):].split("#", 1)[0].split("/", 1)[0]))


def _stream_quads(graphs: Iterable[tuple[str, str]], vocabulary: str, out: BinaryIO, plain: _PlainIds) -> int:
    count = 0
    any_graph = False
    for graph, text in graphs:
        any_graph = True
        plain.see(graph)
        out.write(text.encode("utf-8"))
        count += text.count("\n")  # a line per statement: a newline inside a literal is written \n
    if not any_graph:
        raise NothingToWrite("no graph")
    out.write(vocabulary.encode("utf-8"))
    return count + vocabulary.count("\n")


def _stream_triples(graphs: Iterable[tuple[str, str]], vocabulary: str, out: BinaryIO, plain: _PlainIds) -> int:
    seen: set[bytes] = set()
    any_graph = False

    def triples(graph: str, text: str) -> Iterator[str]:
        # every line of the graph ends with " <graph> .\n": the triple is the line without it
        # split on "\n" only: str.splitlines would also split at U+2028 or U+0085, which literals hold as is
        cut = -len(graph) - 5
        for line in text.split("\n")[:-1]:
            yield line[:cut] + " .\n"

    def write(lines: Iterable[str]) -> None:
        for line in lines:
            data = line.encode("utf-8")
            key = hashlib.blake2b(data, digest_size=16).digest()
            if key not in seen:
                seen.add(key)
                out.write(data)

    for graph, text in graphs:
        any_graph = True
        plain.see(graph)
        write(triples(graph, text))
    if not any_graph:
        raise NothingToWrite("no graph")
    if vocabulary:
        write(_triple_lines(vocabulary))
    return len(seen)


def _triple_lines(nquads: str) -> Iterator[str]:
    """N-Quads lines of any graphs as N-Triples lines (through the parser: vocabulary graphs are small)."""
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        yield f"{q.subject} {q.predicate} {q.object} .\n"


# a prefixed name is written only for local names every Turtle parser reads (rdflib rejects escapes such
# as `art:\.`, which article ids `.`, `..` or `report.` would need); otherwise the full IRI is written
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.%-]*[A-Za-z0-9_-])?")


def _prefixes_for(items: list) -> dict[str, str]:
    art = PREFIXES["art"]
    if items and isinstance(items[0], ox.Quad):  # every article IRI names its graph
        names = {q.graph_name.value for q in items if isinstance(q.graph_name, ox.NamedNode)}
    else:
        names = {t.subject.value for t in items if isinstance(t.subject, ox.NamedNode)}
    ids = {n[len(art):].split("#", 1)[0].split("/", 1)[0] for n in names if n.startswith(art)}
    if any(not _PLAIN_LOCAL.fullmatch(i) for i in ids):
        return {k: v for k, v in PREFIXES.items() if k != "art"}
    return PREFIXES


_NO_ART = {k: v for k, v in PREFIXES.items() if k != "art"}
# XML 1.0 cannot hold these characters even escaped: in RDF/XML they are written as U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(t: ox.Triple) -> ox.Triple:
    o = t.object
    if isinstance(o, ox.Literal) and _NOT_XML.search(o.value):
        value = _NOT_XML.sub("\ufffd", o.value)
        o = ox.Literal(value, language=o.language) if o.language else ox.Literal(value, datatype=o.datatype)
        return ox.Triple(t.subject, t.predicate, o)
    return t


# JSON-LD: a compact @context (our properties and classes as bare words, the rest as prefix:name) so the
# file is readable; it expands to exactly the statements oxigraph wrote in expanded form.
VOCAB = PREFIXES["ckg"]
TERMS = {"label": "http://www.w3.org/2000/01/rdf-schema#label",
         "prefLabel": "http://www.w3.org/2004/02/skos/core#prefLabel"}
CONTEXT = {"@vocab": VOCAB, **{k: v for k, v in PREFIXES.items() if k != "ckg"}, "ckg": VOCAB, **TERMS}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_TERM_IRIS = {v: k for k, v in TERMS.items()}
_BY_LENGTH = sorted(((v, k) for k, v in PREFIXES.items()), key=lambda kv: -len(kv[0]))


def _curie(iri: str) -> str:
    for ns, prefix in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _vocab(iri: str) -> str:
    """A property or class IRI as the shortest key the context expands back to it."""
    if iri in _TERM_IRIS:
        return _TERM_IRIS[iri]
    if iri.startswith(VOCAB):
        local = iri[len(VOCAB):]
        if _LOCAL.match(local) and local not in CONTEXT:
            return local
    return _curie(iri)


def _value(v: dict):
    if "@id" in v:
        return {"@id": _curie(v["@id"])}
    if "@type" in v:
        return {"@value": v["@value"], "@type": _curie(v["@type"])}
    if "@language" in v or not isinstance(v.get("@value"), str):
        return v
    return v["@value"]


def _node(n: dict) -> dict:
    out: dict = {}
    for key, values in n.items():
        if key == "@id":
            out["@id"] = _curie(values)
        elif key == "@graph":
            out["@graph"] = [_node(m) for m in values]
        elif key in ("@type", PREFIXES["rdf"] + "type") and all("@id" in v if isinstance(v, dict) else True for v in values):
            types = [_vocab(v["@id"] if isinstance(v, dict) else v) for v in values]
            out["@type"] = types[0] if len(types) == 1 else types
        else:
            vs = [_value(v) for v in values]
            out[_vocab(key)] = vs[0] if len(vs) == 1 else vs
    return out


def compact_jsonld(expanded: bytes) -> bytes:
    """Oxigraph's expanded JSON-LD, compacted with CONTEXT (named graphs kept as {"@id", "@graph"})."""
    doc = json.loads(expanded)
    nodes = doc if isinstance(doc, list) else doc.get("@graph", [doc])
    return json.dumps({"@context": CONTEXT, "@graph": [_node(n) for n in nodes]}, ensure_ascii=False,
                      indent=1).encode("utf-8")
