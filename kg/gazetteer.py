"""A compact GeoNames index (ontology/gazetteer.tsv.gz, made by scripts/make_gazetteer.py).

Looks a capitalised name up among cities and towns; homonyms are ranked by the article's country
context, then population. Noisy alternate names (short codes, fragments) were dropped and names
normalised when the file was made, so loading is a split per row and towns are parsed on demand.
"""
from __future__ import annotations

import functools
import gc
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


class _Rows:
    """Raw gazetteer rows, parsed into Towns only when asked for (most rows are never looked at)."""

    __slots__ = ("lines", "cache")

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.cache: dict[int, Town] = {}

    def town(self, row: int) -> Town:
        town = self.cache.get(row)
        if town is None:
            gid, name, _keys, lat, lon, cc, pop, _admin = self.lines[row].split("\t")
            town = self.cache[row] = Town(int(gid), name, float(lat), float(lon), cc, int(pop))
        return town


class _TownsById:
    """GeoNames id -> Town, read-only, resolved lazily."""

    __slots__ = ("rows", "index")

    def __init__(self, rows: _Rows, index: dict[int, int]):
        self.rows, self.index = rows, index

    def get(self, gid: int, default: Town | None = None) -> Town | None:
        row = self.index.get(gid)
        return default if row is None else self.rows.town(row)

    def __contains__(self, gid: object) -> bool:
        return gid in self.index

    def __len__(self) -> int:
        return len(self.index)


class Gazetteer:
    """Name -> towns, most populous first."""

    def __init__(self, rows: _Rows, names: dict[str, list[int]], ids: dict[int, int]):
        self._rows = rows
        self._names = names
        self.by_id = _TownsById(rows, ids)

    def candidates(self, name: str) -> tuple[Town, ...]:
        return tuple(self._rows.town(r) for r in self._names.get(normalize(name), ()))

    def best(self, name: str, countries: set[str] | frozenset[str] = frozenset(), min_population: int = 0) -> Town | None:
        """The town a name most likely means: one in the context countries first, then one whose own name it
        is (not a former or foreign name: 'Stanislav' the village, not Ivano-Frankivsk), then the biggest."""
        towns = [t for t in self.candidates(name) if t.population >= min_population]
        if not towns:
            return None
        in_context = [t for t in towns if t.country_code in countries] or towns
        key = normalize(name)
        own = [t for t in in_context if normalize(t.name) == key]
        return (own or in_context)[0]

    def admin1(self, gid: int) -> str:
        """The GeoNames first-level region code of a town ("05"), or "" when the town is unknown."""
        row = self.by_id.index.get(gid)
        return "" if row is None else self._rows.lines[row].rsplit("\t", 1)[1]


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Index the rows by their pre-normalised names; rows come most populous first (see the make script)."""
    path = path or ontology_dir() / "gazetteer.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [line for line in fh.read().split("\n") if line and not line.startswith("#")]
    names: dict[str, list[int]] = {}
    ids: dict[int, int] = {}
    collecting = gc.isenabled()
    gc.disable()  # a few hundred thousand small lists and no cycles: collection passes would only cost time
    try:
        for row, line in enumerate(lines):
            gid, _name, keys, _rest = line.split("\t", 3)
            ids[int(gid)] = row
            for key in keys.split("|"):
                bucket = names.get(key)
                if bucket is None:
                    names[key] = [row]
                else:
                    bucket.append(row)
    finally:
        if collecting:
            gc.enable()
    return Gazetteer(_Rows(lines), names, ids)


@functools.lru_cache(maxsize=2)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process (never mutated)."""
    return load_gazetteer()

