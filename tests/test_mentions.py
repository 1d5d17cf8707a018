"""Entity mentions: lexicon spellings, unknown names, places from patterns and the gazetteer, metonyms."""
from __future__ import annotations

from tests.conftest import read


def entities(text: str, **kw) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for m in read(text, **kw).mentions:
        if m.kind in ("name", "alias", "metonym"):
            out.setdefault((m.entity.category, m.entity.label), set()).add(m.span.text)
    return out


def test_spelling_variants_share_one_entity_and_iri():
    a = read("Zelenskiy met Macron.").mentions
    b = read("Volodymyr Zelenskyy spoke in Lviv.").mentions
    iri_a = next(m.entity.iri for m in a if m.entity.category == "person" and "Zel" in m.span.text)
    iri_b = next(m.entity.iri for m in b if m.entity.category == "person" and "Zel" in m.span.text)
    assert iri_a == iri_b == "https://w3id.org/conflict-kg/actor/volodymyr-zelensky"


def test_weapon_spellings_map_to_scheme_concepts():
    found = entities("Russia fired Geran-2 drones, two Kh-101 cruise missiles and a KAB at Kherson.")
    assert ("weapon", "Shahed") in found and "Geran-2 drones" in found[("weapon", "Shahed")]
    assert ("weapon", "Kh-101") in found
    assert ("weapon", "glide bomb") in found


def test_unknown_person_found_from_given_name_and_title():
    found = entities("Regional governor Ivan Petrenkov said a drone hit a warehouse. "
                     "Mykhailo Dorosh, 44, said the blast woke him. Petrenkov added that nobody died.")
    assert found[("person", "Ivan Petrenkov")] == {"Ivan Petrenkov", "Petrenkov"}
    assert ("person", "Mykhailo Dorosh") in found


def test_unknown_organization_from_head_word():
    found = entities("The Kherson Regional Prosecutor's Office opened a case, and Ukrenergo cut power.")
    assert any(cat == "organization" and "Office" in label for cat, label in found)
    assert ("organization", "Ukrenergo") in found


def test_country_specific_generic_organization():
    found = entities("Poland's Foreign Ministry summoned the envoy. Russia's Defence Ministry denied it.")
    assert ("organization", "Polish Foreign Ministry") in found
    assert ("organization", "Russian Defence Ministry") in found


def test_places_from_gazetteer_with_context_and_patterns():
    found = entities("Shelling hit the village of Bilozerka and the town of Kupiansk-Vuzlovyi. "
                     "Drones also struck Pavlohrad and the Sumy region.")
    labels = {label for cat, label in found if cat == "place"}
    assert {"Bilozerka", "Pavlohrad", "Sumy region"} <= labels
    pav = next(m.entity for m in read("Drones struck Pavlohrad.").mentions if m.entity.label == "Pavlohrad")
    assert pav.geonames.startswith("https://sws.geonames.org/") and pav.lat and 47 < pav.lat < 49


def test_capital_as_metonym_or_place():
    found = entities("Moscow said the talks had failed. Explosions were heard in Moscow overnight.")
    assert found[("country", "Russia")] == {"Moscow"}
    assert found[("place", "Moscow")] == {"Moscow"}


def test_demonym_alone_adds_no_country_entity():
    found = entities("Russian drones hit Odesa.")
    assert not any(cat == "country" for cat, _ in found)


def test_coordinated_regions():
    found = entities("Drones were downed over the Kursk and Belgorod regions.")
    assert {("place", "Kursk region"), ("place", "Belgorod region")} <= set(found)


def test_lowercase_bodies_of_a_country():
    found = entities("Ukraine's energy ministry said power was cut. The Russian emergencies ministry sent rescuers.")
    assert ("organization", "Ukrainian Energy Ministry") in found
    assert ("organization", "Russian Emergencies Ministry") in found


def test_capital_with_negated_verb_is_the_government():
    found = entities("Sybiha said the strike showed Moscow was not interested in peace.")
    assert found.get(("country", "Russia")) == {"Moscow"} and ("place", "Moscow") not in found
