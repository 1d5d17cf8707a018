"""Name families beyond the first lexicon: sites named like bodies, hyphenated towns, places framed by a
district or resort word, persons introduced by 'named', and the weapons, bodies and object kinds of other
wars (all sentences invented)."""
from __future__ import annotations

from kg.lexicon import default_lexicon
from kg.text import normalize
from tests.conftest import read


def found(text: str) -> dict[str, set[str]]:
    """Span text -> categories of the entities named there."""
    out: dict[str, set[str]] = {}
    for m in read(text).mentions:
        if m.kind in ("name", "alias", "metonym"):
            out.setdefault(m.span.text, set()).add(m.entity.category)
    return out


def labels(text: str, category: str) -> set[str]:
    return {m.entity.label for m in read(text).mentions if m.entity.category == category}


def test_a_medical_center_is_a_site_not_a_body():
    spans = found("A rocket fell beside the Tel Karmel Medical Center and the Nahal Amir shopping centre.")
    assert spans["Tel Karmel Medical Center"] == {"place"}
    assert spans["Nahal Amir shopping centre"] == {"place"}


def test_a_cultural_center_stays_ambiguous_and_is_not_made_a_site():
    assert "place" not in found("The Nova Dar Cultural Center said its hall was full.").get(
        "Nova Dar Cultural Center", set())


def test_a_hyphenated_town_is_not_the_known_town_inside_it():
    spans = found("In Oleksiievo-Druzhkivka two drones struck a barn.")
    assert spans == {"Oleksiievo-Druzhkivka": {"place"}, "drones": {"weapon"}}
    assert "Druzhkivka" not in found("In Oleksiievo-Druzhkivka a shop burned.")


def test_country_pairs_and_prefixes_keep_their_parts():
    spans = found("Shelling on the Israel-Lebanon border worried pro-Russian bloggers in Kyiv-held areas.")
    assert {"Israel", "Lebanon", "Kyiv"} <= set(spans)


def test_a_bulleted_place_is_found_once():
    mentions = [m for m in read("- Kramatorsk: two houses damaged.").mentions if m.entity.category == "place"]
    assert len(mentions) == 1


def test_district_of_and_city_district_frame_a_place():
    text = ("Drones were shot down over the southern district of Kotlovka, said the head of the Serpukhov city "
            "district.")
    assert {"Kotlovka", "Serpukhov"} <= labels(text, "place")


def test_resort_of_names_a_place_the_gazetteer_may_not_know():
    assert "Zelenokamin" in labels("Wreckage landed close to the ski resort of Zelenokamin late on Sunday.", "place")


def test_a_person_named_after_a_noun_for_a_person():
    assert "Marichka" in labels("Among the dead was a nine-year-old girl named Marichka, her aunt said.", "person")
    assert labels("The street named Shevchenko was closed.", "person") == set()


def test_sea_names_do_not_yield_the_port_inside_them():
    spans = found("A tanker was struck in the Gulf of Aden, east of the port of Djibouti.")
    assert "Aden" not in spans and spans["Gulf of Aden"] == {"place"}


def test_a_known_city_opening_a_sentence_is_a_place():
    assert found("Ganja was shelled again before dawn.")["Ganja"] == {"place"}


def test_national_territory_is_not_a_place():
    spans = found("The drone came down on Azerbaijani territory, and shells fell on Lebanese territory.")
    assert all("place" not in cats for cats in spans.values())


def test_weapons_of_other_wars():
    text = ("A Hellfire missile fired from a drone killed two men, JDAMs hit a depot, a Merkava tank was "
            "damaged by an IED, quadcopters dropped grenades and Stinger missiles were found.")
    weapons = labels(text, "weapon")
    assert {"Hellfire", "JDAM", "Merkava", "improvised explosive device", "quadcopter", "grenade",
            "Stinger"} <= weapons


def test_given_names_and_common_words_are_not_weapons():
    text = "Akash Verma and Fadi Khoury watched a film about a spike in prices and a tor in Devon."
    assert labels(text, "weapon") == set()


def test_bodies_of_other_wars():
    text = ("FARDC troops and Wazalendo fighters held the road, MONUSCO said, while the TNLA and the "
            "Southern Transitional Council issued statements and Save the Children counted the dead.")
    orgs = labels(text, "organization")
    assert {"Armed Forces of the Democratic Republic of the Congo", "Wazalendo", "MONUSCO",
            "Ta'ang National Liberation Army", "Southern Transitional Council", "Save the Children"} <= orgs


def test_damaged_object_kinds_are_in_the_object_scheme():
    lex = default_lexicon()
    for word in ("mosque", "educational institution", "section", "private residence", "shelter", "tent",
                 "vehicle", "ship", "merchant ship", "petrol station", "water facility"):
        entries = lex.lookup(tuple(normalize(word).split()))
        assert any(lex.concepts[e.iri].category == "object" for e in entries), word


def test_a_lower_case_body_after_according_to_is_named():
    assert "Lebanese Health Ministry" in labels(
        "Six people died in Tyre, according to the health ministry.", "organization")


def test_the_territorys_body_belongs_to_the_place_named_before_it():
    text = ("Mediators gathered in Amman on Tuesday. Some 35 residents died across Gaza overnight, according to the "
            "territory's health ministry.")
    assert "Gaza Health Ministry" in labels(text, "organization")


def test_a_lower_case_body_elsewhere_is_not_a_name():
    assert labels("She visited the health ministry building in Tyre.", "organization") == set()


def test_a_community_named_after_a_known_town_is_a_place_but_a_faith_community_is_not():
    assert "Andriivka community" in labels("Shells hit a farm in the Andriivka community overnight.", "place")
    assert labels("Elders of the Druze community and the Alawite Community met in Kyiv.", "place") == {"Kyiv"}


def test_camps_and_crossings_in_lower_case_are_sites_and_keep_arabic_particles():
    spans = found("Shells hit the Tawila camp, and aid waited at the Umm Dafok crossing and the Bir al-Sabaa camp.")
    assert spans["Tawila camp"] == spans["Umm Dafok crossing"] == spans["Bir al-Sabaa camp"] == {"place"}
    assert "Bir al-Sabaa camp" in labels("Aid reached the Bir al-Sabaa camp.", "place")


def test_towns_of_other_fronts_under_their_press_spellings():
    text = "Clashes spread from Sweida to Qamishli, M23 took Minova, and shells fell on Kupiansk and Khuzaa."
    assert {"Sweida", "Qamishli", "Minova", "Kupiansk", "Khuzaa"} <= labels(text, "place")
