"""Load the SKOS/Turtle lexicons in ontology/ into one immutable phrase index.

One source of truth for a label: the extractor matches skos:prefLabel/altLabel/hiddenLabel from these
files, and the graph shows the same skos:prefLabel.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .text import normalize

CKG = "https://w3id.org/conflict-kg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "https://schema.org/"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
LEXICON_FILES = ("countries.ttl", "places.ttl", "actors.ttl", "weapons.ttl", "objects.ttl")
CLASS_CATEGORY = {
    CKG + "Person": "person", CKG + "Organization": "organization", CKG + "Country": "country",
    CKG + "Place": "place", CKG + "WeaponType": "weapon", CKG + "ObjectType": "object",
}


def ontology_dir() -> Path:
    """ontology/ next to the package (source checkout) or inside it (installed wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "ontology", here.parent / "ontology"):
        if (candidate / "ckg.ttl").is_file():
            return candidate
    raise FileNotFoundError(f"ontology files not found next to {here}; reinstall conflict-kg")


@dataclass
class Concept:
    """A lexicon entry: an entity with its labels and identifiers."""

    iri: str
    category: str
    label: str = ""
    alt_labels: list[str] = field(default_factory=list)
    wikidata: str = ""
    geonames: str = ""
    country_code: str = ""
    feature_type: str = ""
    broader: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: str = ""
    generic_labels: list[str] = field(default_factory=list)
    job_title: str = ""


@dataclass(frozen=True)
class Entry:
    """One label of one concept in the phrase index."""

    iri: str
    label: str  # as written in the lexicon, for case checks
    preferred: bool


@dataclass
class Lexicon:
    """All concepts and the phrase index over their labels (normalised token tuples)."""

    concepts: dict[str, Concept]
    phrases: dict[tuple[str, ...], list[Entry]]
    demonyms: dict[str, str]  # normalised demonym -> country iri
    capitals: dict[str, str]  # normalised capital -> country iri
    countries_by_code: dict[str, str]
    generic_orgs: dict[tuple[str, ...], list[str]]  # normalised generic head -> organization iris
    given_names: frozenset[str]
    max_len: int
    starts: frozenset[str] = frozenset()  # first tokens of all phrases: a quick "can a phrase start here?"

    def lookup(self, key: tuple[str, ...]) -> list[Entry]:
        return self.phrases.get(key, [])


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Parse the lexicon Turtle files and build the phrase index."""
    directory = directory or ontology_dir()
    concepts: dict[str, Concept] = {}
    labels: list[tuple[str, str, bool]] = []  # iri, label, preferred
    for name in LEXICON_FILES:
        path = directory / name
        with path.open("rb") as fh:
            triples = list(ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri="file:///" + name))
        types = {}
        for t in triples:
            if t.predicate.value == RDF_TYPE and t.object.value in CLASS_CATEGORY:
                types[t.subject.value] = CLASS_CATEGORY[t.object.value]
        for s, cat in types.items():
            concepts.setdefault(s, Concept(iri=s, category=cat))
        for t in triples:
            c = concepts.get(t.subject.value)
            if c is None:
                continue
            p, o = t.predicate.value, t.object.value
            if p == SKOS + "prefLabel":
                c.label = o
                labels.append((c.iri, o, True))
            elif p == SKOS + "altLabel":
                c.alt_labels.append(o)
                labels.append((c.iri, o, False))
            elif p == SKOS + "hiddenLabel":
                labels.append((c.iri, o, False))
            elif p == CKG + "wikidata":
                c.wikidata = o
            elif p == CKG + "geonames":
                c.geonames = o
            elif p == CKG + "countryCode":
                c.country_code = o
            elif p == CKG + "featureType":
                c.feature_type = o
            elif p == SKOS + "broader":
                c.broader.append(o)
            elif p == CKG + "demonym":
                c.demonyms.append(o)
            elif p == CKG + "capital":
                c.capital = o
            elif p == CKG + "genericLabel":
                c.generic_labels.append(o)
            elif p == SCHEMA + "jobTitle":
                c.job_title = o
    phrases: dict[tuple[str, ...], list[Entry]] = {}
    for iri, label, preferred in labels:
        key = tuple(normalize(label).split())
        if not key:
            continue
        bucket = phrases.setdefault(key, [])
        if not any(e.iri == iri and e.label == label for e in bucket):  # every spelling, for the case check
            bucket.append(Entry(iri, label, preferred))
    demonyms, capitals, by_code = {}, {}, {}
    generic: dict[tuple[str, ...], list[str]] = {}
    for c in concepts.values():
        if c.category == "country":
            by_code[c.country_code] = c.iri
            for d in c.demonyms:
                demonyms[normalize(d)] = c.iri
            if c.capital:
                capitals[normalize(c.capital)] = c.iri
        for g in c.generic_labels:
            generic.setdefault(tuple(normalize(g).split()), []).append(c.iri)
    names_file = directory / "given-names.txt"
    given = frozenset(
        w.lower() for line in names_file.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#") for w in line.split()
    )
    return Lexicon(concepts, phrases, demonyms, capitals, by_code, generic, given,
                   max(len(k) for k in phrases), frozenset(k[0] for k in phrases))


@functools.lru_cache(maxsize=4)
def default_lexicon(directory: str | None = None) -> Lexicon:
    """The lexicon shipped with the package, loaded once per process (it is never mutated)."""
    return load_lexicon(Path(directory) if directory else None)


def ancestors(lexicon: Lexicon, iri: str) -> list[str]:
    """skos:broader chain of a concept, nearest first."""
    out, todo = [], list(lexicon.concepts[iri].broader) if iri in lexicon.concepts else []
    while todo:
        b = todo.pop(0)
        if b not in out:
            out.append(b)
            todo.extend(lexicon.concepts[b].broader if b in lexicon.concepts else [])
    return out
