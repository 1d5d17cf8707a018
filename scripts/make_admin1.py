"""Make ontology/admin1.tsv: the GeoNames first-level region (admin1 code) of each region in places.ttl.

A region of the lexicon named after its capital ("Cherkasy region", "Idlib province") gets the admin1
code of that capital in the gazetteer; the region's label without its head word is the admin1 name that
`kg export --format acled` writes. Regions whose name is no town of their country (Zakarpattia, Crimea,
Galilee) or a national capital (a capital is often its own admin1) are left out: a wrong code would merge reports across regions. Run again after editing places.ttl.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.gazetteer import default_gazetteer  # noqa: E402
from kg.lexicon import default_lexicon, ontology_dir  # noqa: E402

HEAD = re.compile(r"\s+(region|oblast|province|governorate|state)$", re.I)


def main() -> None:
    lexicon, gazetteer = default_lexicon(), default_gazetteer()
    rows = []
    for concept in sorted(lexicon.concepts.values(), key=lambda c: c.iri):
        if concept.category != "place" or concept.feature_type != "region" or not concept.country_code:
            continue
        name = HEAD.sub("", concept.label)
        if name == concept.label:
            continue  # not named "<capital> region": no reliable capital to take the code from
        towns = [t for t in gazetteer.candidates(name) if t.country_code == concept.country_code
                 and t.name.casefold() == name.casefold()]
        capital = lexicon.concepts.get(lexicon.countries_by_code.get(concept.country_code, ""))
        if not towns or (capital and capital.capital.casefold() == name.casefold()):
            # a national capital is often its own admin1 (Kyiv city vs Kyiv region): its code is not the region's
            continue
        code = gazetteer.admin1(towns[0].geonameid)
        if code and code != "00":
            rows.append((concept.country_code, code, name, concept.iri))
    seen: dict[tuple[str, str], str] = {}
    out = ["# GeoNames admin1 code of the lexicon's regions (made by scripts/make_admin1.py): "
           "country code, admin1 code, admin1 name, region IRI"]
    for cc, code, name, iri in rows:
        if (cc, code) in seen:  # two lexicon regions on one code (an alias): keep the first
            continue
        seen[(cc, code)] = iri
        out.append(f"{cc}\t{code}\t{name}\t{iri}")
    (ontology_dir() / "admin1.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(out) - 1} regions with an admin1 code")


if __name__ == "__main__":
    main()
