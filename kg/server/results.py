"""Query results as bytes: content negotiation, and the W3C results formats written here (so that a result
cut at the row cap is still well-formed, and blank nodes stay blank nodes)."""
from __future__ import annotations

import json
from typing import Mapping, Union
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]

SPARQL_JSON, SPARQL_XML = "application/sparql-results+json", "application/sparql-results+xml"
# Accepted media type -> the one we answer with (a client asking for application/json gets SPARQL JSON,
# labelled as such).
SELECT_TYPES = {
    SPARQL_JSON: SPARQL_JSON, "application/json": SPARQL_JSON,
    SPARQL_XML: SPARQL_XML, "application/xml": SPARQL_XML, "text/xml": SPARQL_XML,
    "text/csv": "text/csv", "text/tab-separated-values": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
}
GRAPH_ANSWER = {"application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}
# The `format` parameter some clients send instead of (or besides) an Accept header.
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
                "n-triples": "application/n-triples", "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml",
                "json-ld": "application/ld+json", "jsonld": "application/ld+json", "nq": "application/n-quads",
                "nquads": "application/n-quads", "trig": "application/trig"}
_WILDCARDS = ("*/*", "application/*", "text/*")


def _ranked(accept: str) -> list[str]:
    """The media types of an Accept header, best first, without those refused (q=0)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0 and bits[0]:
            ranked.append((-q, i, bits[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def negotiate(accept: str, fmt: str, choices: Mapping, default: str) -> str | None:
    """The media type to answer with: an explicit Accept type we can serve first, then the `format`
    parameter, then the default when Accept is missing or a wildcard; None when nothing fits (406)."""
    ranked = _ranked(accept) if accept.strip() else []
    for media in ranked:
        if media in choices:
            return media
        if media in _WILDCARDS:
            break
    if fmt:
        media = FORMAT_PARAM.get(fmt.lower(), fmt.lower())
        if media in choices:
            return media
    if not ranked or any(m in _WILDCARDS for m in ranked):
        return default
    return None


# ---------------------------------------------------------------- solutions

def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        value = "_:" + term.value
    elif isinstance(term, (ox.NamedNode, ox.Literal)):
        value = term.value
    else:
        value = str(term)
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def serialize_solutions(variables: list[str], rows: list[list], media: str) -> bytes:
    """Rows of terms (None where unbound) in a W3C results format."""
    if media == SPARQL_JSON:
        # Each distinct term is written once (results repeat the same IRIs and labels row after row), and
        # rows are joined as text: three times faster than one json.dumps of the whole structure.
        keys = [json.dumps(v, ensure_ascii=False) + ":" for v in variables]
        cache: dict = {}
        out = []
        for row in rows:
            cells = []
            for key, term in zip(keys, row):
                if term is not None:
                    frag = cache.get(term)
                    if frag is None:
                        frag = cache[term] = json.dumps(_json_term(term), ensure_ascii=False, separators=(",", ":"))
                    cells.append(key + frag)
            out.append("{" + ",".join(cells) + "}")
        head = json.dumps({"vars": variables}, ensure_ascii=False, separators=(",", ":"))
        return ('{"head":' + head + ',"results":{"bindings":[' + ",".join(out) + "]}}").encode()
    if media == SPARQL_XML:
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row)
                    if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if media == "text/csv":
        lines = [",".join(variables)] + [",".join(_csv_cell(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_boolean(value: bool, media: str) -> bytes:
    """An ASK answer in a results format."""
    if media == SPARQL_JSON:
        return b'{"head":{},"boolean":' + (b"true" if value else b"false") + b"}"
    if media == SPARQL_XML:
        return (b'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                b"<head></head><boolean>" + (b"true" if value else b"false") + b"</boolean></sparql>\n")
    return b"true\n" if value else b"false\n"  # CSV and TSV have no boolean form: one line, as oxigraph writes


def serialize_triples(triples: list, media: str) -> bytes:
    """Triples (from CONSTRUCT, DESCRIBE or a graph) in an RDF format; dataset formats put them in the
    default graph."""
    fmt = GRAPH_TYPES[media]
    if fmt.supports_datasets:
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples], format=fmt)
    return ox.serialize(triples, format=fmt)
