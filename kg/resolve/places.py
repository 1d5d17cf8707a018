"""Where a reported place sits in the place hierarchy: its level, country and first-level region.

Knowledge comes from data: the lexicon (countries by code, feature types), the GeoNames gazetteer
(a town's admin1 code) and ontology/admin1.tsv (the admin1 code and name of the lexicon's regions).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..gazetteer import Gazetteer, default_gazetteer
from ..lexicon import Lexicon, default_lexicon, ontology_dir

GEONAMES_PREFIX = "https://sws.geonames.org/"
# feature types of the lexicon that are a level of the hierarchy; anything else named is a site
_LEVEL_OF_FEATURE = {"city": "city", "district": "district", "region": "region", "country": "country", "site": "site"}


@dataclass(frozen=True)
class Admin1:
    """One first-level region: its code ("UA.17"), name ("Odesa") and the lexicon region IRI."""

    code: str
    name: str
    region: str


@dataclass(frozen=True)
class PlaceIndex:
    """Read-only lookups for place facts; build once with `default_place_index()`."""

    lexicon: Lexicon
    gazetteer: Gazetteer
    by_region: dict[str, Admin1]  # lexicon region IRI -> its admin1
    by_code: dict[str, Admin1]  # "CC.code" -> admin1

    def country(self, country_code: str) -> str:
        """The country IRI of an ISO code ("" when unknown)."""
        return self.lexicon.countries_by_code.get(country_code, "") if country_code else ""

    def admin1_name(self, code: str) -> str:
        """The admin1 name of a "CC.code" ("" when the table has none)."""
        found = self.by_code.get(code)
        return found.name if found else ""


@dataclass(frozen=True)
class PlaceFacts:
    """A place's level, country IRI and admin1 code."""

    level: str
    country: str
    admin1: str


def load_admin1(path: Path) -> tuple[dict[str, Admin1], dict[str, Admin1]]:
    """Read admin1.tsv: (region IRI -> Admin1, code -> Admin1)."""
    by_region: dict[str, Admin1] = {}
    by_code: dict[str, Admin1] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cc, code, name, region = line.split("\t")
        entry = Admin1(f"{cc}.{code}", name, region)
        by_region[region] = entry
        by_code.setdefault(entry.code, entry)
    return by_region, by_code


@functools.lru_cache(maxsize=1)
def default_place_index() -> PlaceIndex:
    """The shipped lexicon, gazetteer and admin1 table (loaded once per process, never mutated)."""
    by_region, by_code = load_admin1(ontology_dir() / "admin1.tsv")
    return PlaceIndex(default_lexicon(), default_gazetteer(), by_region, by_code)


def place_facts(index: PlaceIndex, iri: str, category: str, feature_type: str, country_code: str) -> PlaceFacts:
    """Level, country and admin1 of a place entity, from what the article graph says about it."""
    if category == "country":
        return PlaceFacts("country", iri, "")
    level = _LEVEL_OF_FEATURE.get(feature_type, "site")
    country = index.country(country_code)
    admin1 = ""
    if level == "region":
        found = index.by_region.get(iri)
        admin1 = found.code if found else ""
    elif iri.startswith(GEONAMES_PREFIX):
        gid = iri[len(GEONAMES_PREFIX):].strip("/")
        if gid.isdigit():
            code = index.gazetteer.admin1(int(gid))
            admin1 = f"{country_code}.{code}" if code and country_code else ""
    return PlaceFacts(level, country, admin1)
