"""A compact GeoNames index (ontology/gazetteer.tsv.gz, made by scripts/make_gazetteer.py).

Looks a capitalised name up among cities and towns; homonyms are ranked by the article's country
context, then population. Noisy alternate names (short codes, fragments) were dropped when the file
was made.
"""
from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

from .lexicon import ontology_dir
from .text import normalize

GEONAMES = "https://sws.geonames.org/{}/"


@dataclass(frozen=True)
class Town:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str
    population: int

    @property
    def iri(self) -> str:
        return GEONAMES.format(self.geonameid)


@dataclass(frozen=True)
class Gazetteer:
    """Name -> towns, most populous first."""

    by_name: dict[str, tuple[Town, ...]]
    by_id: dict[int, Town]

    def candidates(self, name: str) -> tuple[Town, ...]:
        return self.by_name.get(normalize(name), ())

    def best(self, name: str, countries: set[str] | frozenset[str] = frozenset(), min_population: int = 0) -> Town | None:
        """The town a name most likely means: one in the context countries first, then the biggest."""
        towns = [t for t in self.candidates(name) if t.population >= min_population]
        if not towns:
            return None
        in_context = [t for t in towns if t.country_code in countries]
        return (in_context or towns)[0]


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    path = path or ontology_dir() / "gazetteer.tsv.gz"
    by_name: dict[str, list[Town]] = {}
    by_id: dict[int, Town] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            gid, name, alts, lat, lon, cc, pop, _admin = line.rstrip("\n").split("\t")
            town = Town(int(gid), name, float(lat), float(lon), cc, int(pop))
            by_id[town.geonameid] = town
            for n in {name, *(a for a in alts.split("|") if a)}:
                by_name.setdefault(normalize(n), []).append(town)
    return Gazetteer({k: tuple(sorted(v, key=lambda t: -t.population)) for k, v in by_name.items()}, by_id)


@functools.lru_cache(maxsize=2)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process (never mutated)."""
    return load_gazetteer()
