"""Write quads to a file whose extension picks the RDF format; the file appears whole or not at all."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .atomic import atomic_write

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
    "art": "https://w3id.org/conflict-kg/article/", "gn": "https://sws.geonames.org/",
    "wd": "http://www.wikidata.org/entity/", "skos": "http://www.w3.org/2004/02/skos/core#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/", "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/", "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wgs84": "http://www.w3.org/2003/01/geo/wgs84_pos#", "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


class OutputError(Exception):
    """The output path or format is unusable."""


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
        items: list = list(quads)
    else:
        seen: set = set()
        items = []
        for q in quads:
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                items.append(t)
    kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    atomic_write(path, lambda fh: ox.serialize(items, fh, format=fmt, **kwargs))
    return len(items)
