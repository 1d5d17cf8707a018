"""`kg export GRAPH -o attacks.csv --format acled`: one row per canonical attack in ACLED's columns.

ACLED's own columns (event_id_cnty, event_date, year, time_precision, event_type, sub_event_type, actor1,
actor2, country, admin1, location, latitude, longitude, geo_precision, source, notes, fatalities) come first,
so the file loads where ACLED exports load; ours follow (launched, intercepted, injured, reports,
claimants, attack). Unknown figures stay empty (ACLED writes 0; we do not know it was zero). Undated
attacks have no ACLED row (event_date is required there); the count left out is returned.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .atomic import atomic_write
from .lexicon import ontology_dir
from .resolve.places import default_place_index

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                 "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source",
                 "notes", "fatalities")
OUR_COLUMNS = ("launched", "intercepted", "injured", "reports", "claimants", "attack")
ACLED_SCHEME = "https://w3id.org/conflict-kg/align/acled/scheme"
EVENT_TYPE = "Explosions/Remote violence"
# ACLED time_precision: 1 the day is known, 2 within a week; geo_precision: 1 the town, 2 near it or a
# region, 3 a larger area (a country)
TIME_PRECISION = {"day": "1", "inferred": "2"}
GEO_PRECISION = {"site": "1", "district": "1", "city": "1", "region": "2", "country": "3"}

PREFIXES = """PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""
_ATTACKS = PREFIXES + """SELECT ?attack ?date ?precision ?level ?admin1 ?place ?country ?lat ?lon
  ?launched ?intercepted ?killed ?injured ?reports WHERE { GRAPH ?eg {
  ?attack a ckg:CanonicalAttack ; ckg:date ?date ; ckg:datePrecision ?precision ; ckg:reportCount ?reports .
  OPTIONAL { ?attack ckg:placeLevel ?level } OPTIONAL { ?attack ckg:admin1 ?admin1 }
  OPTIONAL { ?attack ckg:place/skos:prefLabel ?place } OPTIONAL { ?attack ckg:country/skos:prefLabel ?country }
  OPTIONAL { ?attack wgs84:lat ?lat ; wgs84:long ?lon }
  OPTIONAL { ?attack ckg:launched ?launched } OPTIONAL { ?attack ckg:intercepted ?intercepted }
  OPTIONAL { ?attack ckg:killed ?killed } OPTIONAL { ?attack ckg:injured ?injured }
} } ORDER BY ?date ?attack"""
_NAMES = PREFIXES + """SELECT ?attack ?role ?label WHERE { GRAPH ?eg {
  ?attack a ckg:CanonicalAttack ; ?p ?x . ?x skos:prefLabel ?label .
  VALUES (?p ?role) { (ckg:attacker "attacker") (ckg:claimant "claimant") }
} } ORDER BY ?attack ?role ?label"""
_REPORTS = PREFIXES + """SELECT ?attack ?event ?class ?id ?url ?pub ?sentence WHERE {
  GRAPH ?eg { ?attack a ckg:CanonicalAttack ; ckg:report ?event }
  GRAPH ?g { ?event a ?class ; ckg:article ?a . ?a dcterms:identifier ?id .
             OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a schema:datePublished ?pub }
             OPTIONAL { ?event ckg:evidence/ckg:sentence/oa:exact ?sentence } }
} ORDER BY ?attack ?pub ?id ?event"""


class ExportError(Exception):
    """The ACLED file cannot be written."""


@dataclass(frozen=True)
class AcledRow:
    """One attack as an ACLED row plus our columns."""

    values: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def sub_event_types() -> dict[str, str]:
    """Our event class -> ACLED sub-event type label, from the skos:closeMatch alignment in ckg.ttl."""
    with (ontology_dir() / "ckg.ttl").open("rb") as fh:
        triples = list(ox.parse(fh, format=ox.RdfFormat.TURTLE))
    in_scheme = {t.subject.value for t in triples if t.predicate.value.endswith("#inScheme")
                 and t.object.value == ACLED_SCHEME}
    labels = {t.subject.value: t.object.value for t in triples
              if t.predicate.value.endswith("#prefLabel") and t.subject.value in in_scheme}
    out = {}
    for t in triples:
        if t.predicate.value.endswith("#closeMatch") and t.object.value in labels and labels[t.object.value] != EVENT_TYPE:
            out[t.subject.value] = labels[t.object.value]
    return out


def acled_rows(store: ox.Store) -> tuple[list[AcledRow], int]:
    """ACLED rows of the canonical attacks of a store (sorted by date), and how many undated ones had none."""
    index = default_place_index()
    subtypes = sub_event_types()
    names: dict[tuple[str, str], list[str]] = {}
    for row in store.query(_NAMES, use_default_graph_as_union=True):
        names.setdefault((row["attack"].value, row["role"].value), []).append(row["label"].value)
    reports: dict[str, list[ox.QuerySolution]] = {}
    for row in store.query(_REPORTS, use_default_graph_as_union=True):
        reports.setdefault(row["attack"].value, []).append(row)
    rows = []
    for a in store.query(_ATTACKS, use_default_graph_as_union=True):
        iri = a["attack"].value
        mine = reports.get(iri, [])
        kinds = sorted({subtypes[r["class"].value] for r in mine if r["class"].value in subtypes})
        sources = sorted({(r["url"] or r["id"]).value for r in mine})
        notes = next((r["sentence"].value for r in mine if r["sentence"] is not None), "")
        code = _v(a["admin1"])
        cc = code.split(".")[0] if code else ""
        digest = int(hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12], 16) % 10 ** 9
        date = a["date"].value
        values = (
            f"{cc or 'XX'}{digest}", date, date[:4], TIME_PRECISION.get(a["precision"].value, "3"), EVENT_TYPE,
            "; ".join(kinds), "; ".join(names.get((iri, "attacker"), [])), "", _v(a["country"]),
            index.admin1_name(code), _v(a["place"]), _v(a["lat"]), _v(a["lon"]),
            GEO_PRECISION.get(_v(a["level"]), "3"), "; ".join(sources), notes, _v(a["killed"]),
            _v(a["launched"]), _v(a["intercepted"]), _v(a["injured"]), _v(a["reports"]),
            "; ".join(names.get((iri, "claimant"), [])), iri)
        rows.append(AcledRow(values))
    undated = sum(1 for _ in store.query(PREFIXES + """SELECT ?a WHERE { GRAPH ?g { ?a a ckg:CanonicalAttack
        FILTER NOT EXISTS { ?a ckg:date ?d } } }"""))
    return rows, undated


def _v(term: ox.Literal | ox.NamedNode | None) -> str:
    return term.value if term is not None else ""


def csv_text(rows: list[AcledRow]) -> str:
    """The rows as CSV (RFC 4180, header first). News text is data: a cell that a spreadsheet would read
    as a formula gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS + OUR_COLUMNS)
    for row in rows:
        writer.writerow([("'" + c) if c[:1] in ("=", "+", "-", "@") and not _number(c) else c for c in row.values])
    return out.getvalue()


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def write_acled(store: ox.Store, output: str | Path) -> tuple[int, int]:
    """Write the ACLED CSV atomically; returns (rows written, undated attacks left out)."""
    rows, undated = acled_rows(store)
    data = csv_text(rows).encode("utf-8")
    atomic_write(output, lambda fh: fh.write(data))
    return len(rows), undated
