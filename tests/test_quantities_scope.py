"""Counts: which numbers are counts, and where each count belongs (clause, sentence, paragraph, article)."""
from __future__ import annotations

from tests.conftest import read


def counts(text: str):
    return [(q.kind, q.value, q.weapon.label if q.weapon else None, q.place.label if q.place else None,
             q.object_label or None) for q in read(text).quantities]


# ---------------------------------------------------------------------------------- not counts

def test_clock_minutes_and_model_suffixes_are_not_counts():
    got = counts("09:40 - Shelling hit Kherson overnight. At 14:00 a drone dropped a charge on a bus stop. "
                 "All 12 Shahed-136/131 drones launched at Mykolaiv were shot down.")
    values = {v for _, v, _, _, _ in got}
    assert 0 not in values and 40 not in values and 131 not in values
    assert any(v == 12 for _, v, _, _, _ in got)


def test_ages_set_off_by_commas_after_names_are_not_counts():
    got = counts("In Poltava the dead were Marta Kovalenko, 61, Petro Savchuk, 47, and Ivan Lysenko, 33. "
                 "Three other people were wounded, aged between 25 and 88.")
    values = [v for _, v, _, _, _ in got]
    assert 61 not in values and 47 not in values and 33 not in values and 88 not in values
    assert 3 in values


def test_storey_words_and_ranges_are_not_counts():
    got = counts("A missile hit a nine-story building in Sumy. One or two more drones were shot down over the city.")
    assert all(v not in (1, 2, 9) for _, v, _, _, _ in got)


def test_numbers_counting_other_nouns_are_not_counts():
    got = counts("The two sides agreed to recover the bodies of the dead. One strike hit a market in Idlib, "
                 "killing four people. Two Navy frigates in the Aegean helped destroy 12 drones.")
    assert ("killed", 4, None, "Idlib", None) in got
    values = [v for _, v, _, _, _ in got]
    assert values.count(2) == 0 and values.count(1) == 0


def test_a_nationality_stands_for_people():
    got = counts("Israeli shelling killed 14 Lebanese in the town of Tyre, and two Syrians were wounded.")
    assert ("killed", 14, None, "Tyre", None) in got
    assert any(k == "injured" and v == 2 for k, v, _, _, _ in got)


def test_one_of_them_is_a_subset():
    q = read("Three people were wounded in Dnipro, one of them a teenager.").quantities
    sub = next(x for x in q if x.value == 1)
    assert sub.kind == "injured" and q[sub.subset_of].value == 3


# ------------------------------------------------------------------------------- repeated figures

def test_the_same_figure_at_another_place_is_another_count():
    got = counts("One person was killed in Rivne. Later, one person was killed in Uman as well.")
    assert ("killed", 1, None, "Rivne", None) in got and ("killed", 1, None, "Uman", None) in got


def test_a_figure_restated_for_the_country_is_kept_once():
    got = counts("Russian strikes killed five people in Kharkiv on Monday. "
                 "The Interior Ministry said five people had been killed across Ukraine.")
    assert [k for k, v, _, _, _ in got if v == 5] == ["killed"]


# ------------------------------------------------------------------------------------- places

def test_an_attackers_possessive_is_not_the_place_of_the_victims():
    got = counts("KYIV - The toll from Russia's missile attack on Kyiv rose to nine on Sunday. "
                 "Twenty people were injured, officials said.")
    assert ("killed", 9, None, "Kyiv", None) in got
    assert ("injured", 20, None, "Kyiv", None) in got


def test_a_countrys_own_city_named_after_its_possessive_is_the_place():
    got = counts("A drone struck Sudan's second city, Omdurman, before dawn, killing five and wounding 27.")
    assert ("killed", 5, None, "Omdurman", None) in got and ("injured", 27, None, "Omdurman", None) in got


def test_places_named_jointly_give_the_heading_place_or_none():
    got = counts("Kyiv region: the Obukhiv and Vyshhorod districts were struck, and two people died.")
    assert ("killed", 2, None, "Kyiv region", None) in got
    got = counts("Drones hit Ternopil and Uzhhorod before dawn, wounding seven people.")
    assert ("injured", 7, None, None, None) in got


def test_a_place_that_only_locates_another_is_not_the_place():
    got = counts("A guided bomb hit a clinic in Chortkiv in the Ternopil region, injuring 11 people.")
    assert ("injured", 11, None, "Chortkiv", None) in got


def test_a_sentence_without_a_place_takes_the_place_hit_earlier_in_its_paragraph():
    text = ("TERNOPIL - Shelling killed two people across the Ternopil region on Monday.\n\n"
            "Later that day Russian drones hit streets in Kremenets. Three men were wounded.\n\n"
            "Four people were injured, the governor said.")
    got = counts(text)
    assert ("injured", 3, None, "Kremenets", None) in got
    assert ("injured", 4, None, "Kremenets", None) not in got


def test_a_reference_point_is_not_carried_to_the_next_sentence():
    got = counts("Iran launched 150 drones at Israel. Fragments landed near the town of Ashkelon. Nine people were hurt.")
    assert ("injured", 9, None, "Ashkelon", None) not in got


def test_a_nationwide_toll_is_at_the_country():
    got = counts("Uzhhorod officials reported two deaths in the city. The nationwide toll has now reached 11 killed.")
    assert ("killed", 11, None, "Ukraine", None) in got


def test_a_bearing_anaphor_is_not_the_place():
    got = counts("MOSCOW - A drone struck a garage in Mytishchi, a town northeast of the capital. "
                 "Three other people were hospitalized.")
    assert ("injured", 3, None, "Moscow", None) not in got


# -------------------------------------------------------------------------------------- kinds

def test_the_finite_verb_beats_a_participle_after_the_weapon():
    got = counts("On Sunday, three missiles fired toward Odesa were shot down over the sea.")
    assert [(k, v) for k, v, _, _, _ in got] == [("intercepted", 3)]


def test_a_participle_before_the_weapon_gives_the_kind():
    got = counts("Debris of one downed drone fell on a garage in Bila Tserkva.")
    assert [k for k, v, _, _, _ in got if v == 1] == ["intercepted"]


def test_list_items_keep_the_kind_of_their_head():
    got = counts("Air defence destroyed 40 of the missiles - 30 Kh-101 and Kalibr cruise missiles and ten "
                 "Iskander-M ballistic missiles - as well as 25 Shahed-type and other drones.")
    assert ("intercepted", 30, "cruise missile", None, None) in [(k, v, w, None, None) for k, v, w, _, _ in got]
    assert {(k, v) for k, v, _, _, _ in got} >= {("intercepted", 40), ("intercepted", 30), ("intercepted", 10),
                                                  ("intercepted", 25)}
    assert not any(k == "launched" for k, _, _, _, _ in got)


def test_items_after_a_verb_share_it_even_with_a_participle_at_the_end():
    got = counts("Warships shot down 12 drones, three cruise missiles and one ballistic missile fired at tankers.")
    assert {(k, v) for k, v, _, _, _ in got} == {("intercepted", 12), ("intercepted", 3), ("intercepted", 1)}


def test_a_bare_number_counts_what_the_count_before_it_counts():
    got = counts("In Sumy, 14 flats were destroyed and nine more damaged. "
                 "Five private houses caught fire and two were partly destroyed.")
    assert ("damaged", 9, None, "Sumy", "flat") in got
    assert any(k == "damaged" and v == 2 and o == "private house" for k, v, _, _, o in got)


def test_a_changing_toll_keeps_both_figures():
    got = counts("In Zhytomyr the number of injured rose from four to eleven, the mayor said.")
    assert ("injured", 4, None, "Zhytomyr", None) in got and ("injured", 11, None, "Zhytomyr", None) in got


def test_shortfalls_impacts_and_ships_are_not_counts():
    got = counts("Militants fired 90 rockets at Ashdod. Of those, 12 fell short inside the strip, and air defences "
                 "shot down 60. Two of them exploded in a field. Kalibr missiles were fired from two missile ships.")
    pairs = {(k, v) for k, v, _, _, _ in got}
    assert ("launched", 90) in pairs and ("intercepted", 60) in pairs
    assert not any(v in (12, 2) for _, v, _, _, _ in got)


# ------------------------------------------------------------------------------------ origins

def test_a_launch_area_anywhere_in_a_from_phrase_is_not_the_target():
    got = counts("Su-34 jets operating from near the village of Sosnovka in Russia's Voronezh region dropped "
                 "eight guided aerial bombs on two districts of the city of Shostka.")
    assert [(k, v, p) for k, v, _, p, _ in got] == [("launched", 8, "Shostka")]


def test_a_country_after_an_attack_verb_and_a_direction_is_the_place():
    got = counts("The war began when militants attacked southern Israel, killing about 800 people.")
    assert ("killed", 800, None, "Israel", None) in got


def test_of_those_counts_part_of_the_count_before():
    got = counts("Hezbollah fired 400 rockets at Israel on Sunday. Of those, 70 landed in open fields, "
                 "and air defences shot down 250.")
    assert ("intercepted", 250, "rocket", "Israel", None) in got


def test_people_rescued_or_evacuated_are_not_casualties():
    got = counts("A coast guard cutter rescued 17 sailors, including the injured, and evacuated 40 residents.")
    assert got == []


def test_a_plural_noun_before_a_weapon_is_what_the_number_counts():
    got = counts("Across the frontier the two sides traded intense artillery fire until dawn.")
    assert got == []


def test_the_hospital_is_the_named_hospital():
    got = counts("A rocket hit the Rambam Hospital in Haifa. Officials said 14 people were hurt at the hospital.")
    places = {p for k, v, _, p, _ in got if v == 14}
    assert places and "Haifa" not in places


def test_a_toll_of_the_whole_war_is_the_countrys():
    got = counts("Shells hit a market in Kharkiv, killing six. The war has killed more than 12,000 civilians, "
                 "according to the UN.")
    assert ("killed", 12000, None, "Ukraine", None) in got


def test_people_taken_to_hospital_are_injured():
    got = counts("In Rivne, twelve people were taken to hospital after the strike.")
    assert ("injured", 12, None, "Rivne", None) in got


def test_all_of_a_salvo_downed_counts_it_launched_and_intercepted():
    got = counts("All 24 Shahed drones launched overnight were shot down, the air force said.")
    assert {(k, v) for k, v, _, _, _ in got} == {("launched", 24), ("intercepted", 24)}


def test_a_figure_spread_over_several_places_is_not_a_repeat_of_one_place():
    got = counts("Eleven drones were downed over Kursk. Later the governor said 11 drones were downed over the "
                 "Lgov, Rylsk and Sudzha districts.")
    assert [v for k, v, _, _, _ in got].count(11) == 2


def test_where_some_munitions_came_down_is_a_breakdown():
    got = counts("Five cruise missiles hit Lutsk; three struck warehouses and two hit a railway depot.")
    assert {(k, v) for k, v, _, _, _ in got} == {("launched", 5)}


def test_the_capital_is_not_a_capital_standing_for_its_government():
    got = counts("MOSCOW - Drones were downed near Moscow overnight in an attack by Kyiv, officials said. "
                 "Three were destroyed over the capital itself.")
    assert ("intercepted", 3, "drone", "Moscow", None) in got


def test_a_colon_opens_a_list_and_a_month_before_a_comma_is_no_date():
    got = counts("Most of the drones, 40 in all, were downed over two regions bordering Ukraine: 25 over the Kursk "
                 "region, where fighting has raged since August, 15 over the Bryansk region.")
    assert ("intercepted", 25, "drone", "Kursk region", None) in got
    assert ("intercepted", 15, "drone", "Bryansk region", None) in got


def test_struck_targets_count_as_damaged_but_not_where_they_were():
    got = counts("Coalition jets struck rebel bases across Yemen overnight, hitting more than 50 targets at "
                 "12 locations.")
    assert ("damaged", 50, None, "Yemen", "target") in got
    assert not any(v == 12 for _, v, _, _, _ in got)


def test_a_contrasting_clause_and_a_reference_point_do_not_place_a_count():
    got = counts("Hezbollah fired 150 rockets at Israel. The group later said 200 rockets had been fired, while "
                 "drones flew toward a base near Haifa.")
    assert ("launched", 200, "rocket", "Haifa", None) not in got


def test_damage_recorded_at_sites_counts_the_sites():
    got = counts("Damage was recorded at 14 sites in the city of Dnipro.")
    assert ("damaged", 14, None, "Dnipro", "site") in got


def test_an_earlier_reported_figure_keeps_the_kind_of_the_toll():
    got = counts("The number of dead in Uman rose to 23, officials said; earlier they had reported 17.")
    assert ("killed", 23, None, "Uman", None) in got and ("killed", 17, None, "Uman", None) in got


def test_where_part_of_a_salvo_landed_is_not_another_launch():
    got = counts("Rebels fired three anti-ship missiles at a tanker on Monday. One missile hit the ship.")
    assert [(k, v) for k, v, _, _, _ in got] == [("launched", 3)]


def test_a_salvo_with_no_place_goes_where_the_last_salvo_was_aimed():
    got = counts("KHARKIV - A glide bomb hit a market in Kharkiv, wounding five.\n\n"
                 "Russia fired 30 missiles at Ukraine overnight.\n\nRussia also used 20 Shahed drones, officials said.")
    assert ("launched", 20, "Shahed", "Ukraine", None) in got


def test_a_countrys_military_sites_are_in_the_country():
    got = counts("Turkish raids on Iraq's oil and military sites killed 35 people.")
    assert ("killed", 35, None, "Iraq", None) in got
