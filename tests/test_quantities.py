"""Counts: kind, value, qualifier, weapon, place, object, subsets and distributive lists."""
from __future__ import annotations

from tests.conftest import read


def counts(text: str):
    return [(q.kind, q.value, q.weapon.label if q.weapon else None, q.place.label if q.place else None,
             q.object_label or None) for q in read(text).quantities]


def test_launched_and_intercepted_with_partitive():
    got = counts("Russia launched 87 drones and four cruise missiles at Ukraine overnight. "
                 "Air defences shot down 72 of the drones.")
    assert ("launched", 87, "drone", "Ukraine", None) in got
    assert ("launched", 4, "cruise missile", "Ukraine", None) in got
    assert any(k == "intercepted" and v == 72 and w == "drone" for k, v, w, _, _ in got)


def test_killed_injured_with_number_words_and_qualifiers():
    q = read("A guided bomb struck Pavlohrad on Monday, killing at least six residents and wounding "
             "twenty-four others, five of them children.").quantities
    got = {(x.kind, x.value, x.qualifier) for x in q}
    assert ("killed", 6, "at least") in got and ("injured", 24, "") in got
    child = next(x for x in q if x.value == 5)
    assert child.kind == "injured" and q[child.subset_of].value == 24


def test_damaged_objects_and_the_verb_after_a_list():
    got = counts("In Pavlohrad, 14 private houses, a school and more than 30 cars were damaged.")
    assert ("damaged", 14, None, "Pavlohrad", "private house") in got
    assert ("damaged", 30, None, "Pavlohrad", "car") in got


def test_distractor_numbers_are_not_counts():
    got = counts("The 58-year-old woman lives 30 kilometres from Kherson in a city of 300,000 people. "
                 "At 5:40 a.m. on 24 May 2024 train No. 52 left; 1,000 prisoners were swapped in 2023.")
    assert got == []


def test_distributive_each_and_list_continuation():
    got = counts("Air defences destroyed 30 drones: nine each over the Kursk and Oryol regions, and six over the "
                 "Bryansk region.")
    assert ("intercepted", 9, "drone", "Kursk region", None) in got
    assert ("intercepted", 9, "drone", "Oryol region", None) in got
    assert ("intercepted", 6, "drone", "Bryansk region", None) in got


def test_toll_updates_and_place_from_anaphor():
    got = counts("A missile struck Sumy on Sunday. The death toll in the city rose to 34 on Monday.")
    assert ("killed", 34, None, "Sumy", None) in got


def test_claimant_is_kept_so_opposing_figures_coexist():
    q = read("Ukraine's General Staff said 14 civilians were killed. "
             "Russia's Defence Ministry claimed that 60 soldiers had been killed.").quantities
    by_value = {x.value: x.claimant.label for x in q}
    assert by_value == {14: "General Staff of the Armed Forces of Ukraine", 60: "Russian Defence Ministry"}


def test_n_of_m_gives_both_counts():
    got = counts("Air defences intercepted 478 of 539 drones launched overnight.")
    assert ("intercepted", 478, "drone", None, None) in [(k, v, w, None, o) for k, v, w, _p, o in got]
    assert ("launched", 539, "drone") in [(k, v, w) for k, v, w, _p, _o in got]


def test_including_makes_a_subset_and_the_verb_comes_later():
    q = read("At least 14 people, including three children, were killed in Uman.").quantities
    whole = next(x for x in q if x.value == 14)
    part = next(x for x in q if x.value == 3)
    assert whole.kind == part.kind == "killed" and q[part.subset_of] is whole and whole.place.label == "Uman"


def test_aircraft_are_platforms_not_launched_weapons():
    got = counts("Two Su-34 jets dropped four KAB bombs on Vovchansk, damaging 15 homes.")
    assert ("launched", 4, "glide bomb", "Vovchansk", None) in got
    assert ("damaged", 15, None, "Vovchansk", "home") in got
    assert not any(v == 2 for _k, v, _w, _p, _o in got)


def test_across_the_country_is_the_country_of_the_places_named():
    got = counts("A glide bomb hit Kharkiv. Russia fired 90 missiles at power plants across the country on Monday.")
    assert ("launched", 90, "missile", "Ukraine", None) in got


def test_phrasal_verb_before_number_and_list_sharing_it():
    got = counts("Ukraine shot down six Kinzhal missiles fired at Kyiv, along with nine Kalibr cruise missiles "
                 "and three Iskanders.")
    assert {(k, v, w) for k, v, w, _p, _o in got} == {("intercepted", 6, "Kinzhal"), ("intercepted", 9, "Kalibr"),
                                                       ("intercepted", 3, "Iskander-M")}


def test_towns_list_and_place_inside_a_title():
    got = counts("Kaluga regional governor Vladislav Shapsha said three people were killed in the towns of Obninsk "
                 "and Kozelsk.")
    assert ("killed", 3, None, None, None) in got  # spread jointly over two towns: no single place
    found = {m.entity.label for m in read("Drones hit the towns of Vidnoye and Khimki.").mentions}
    assert {"Vidnoye", "Khimki"} <= found


def test_lost_lives_and_lost_drones():
    got = counts("Eighteen people lost their lives in Chernihiv. Air defence downed 106 drones over Ukraine, "
                 "while 48 decoys were lost to electronic warfare.")
    assert ("killed", 18, None, "Chernihiv", None) in got
    assert ("intercepted", 48, "decoy drone") in [(k, v, w) for k, v, w, _p, _o in got]


def test_modifiers_before_a_damaged_object():
    got = counts("A Russian attack on Lviv killed seven people and damaged more than 50 historic buildings.")
    assert ("damaged", 50, None, "Lviv", "historic building") in got


def test_subset_places_and_country_possessive_targets():
    got = counts("Russia fired 120 missiles at Ukraine's energy grid on Sunday. Ukraine's air force said it "
                 "destroyed 104 of them. At least seven people were killed, including two in Mykolaiv.")
    assert ("launched", 120, "missile", "Ukraine", None) in got
    assert ("intercepted", 104) in [(k, v) for k, v, *_ in got]
    assert ("killed", 2, None, "Mykolaiv", None) in got
    assert not any(k == "killed" and v == 7 and p == "Mykolaiv" for k, v, _w, p, _o in got)
