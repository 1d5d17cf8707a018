"""Counts in wire copy from wars other than Ukraine: datelines, territories, claims by each side, ships."""
from __future__ import annotations

from tests.conftest import read


def counts(text: str):
    return [(q.kind, q.value, q.weapon.label if q.weapon else None, q.place.label if q.place else None,
             q.object_label or None) for q in read(text).quantities]


# ------------------------------------------------------------------------------------- datelines

def test_a_dateline_with_a_date_and_agency_is_not_the_place_hit():
    got = counts("TEL AVIV, March 3 (Reuters) \u2014 A rocket slammed into a house in the town of Sderot, killing one "
                 "man.\n\nSix other residents were lightly hurt, medics said.")
    assert ("injured", 6, None, "Sderot", None) in got


def test_a_dateline_naming_two_cities_is_not_the_place_hit():
    got = counts("BEIRUT/JERUSALEM \u2014 Israeli jets pounded south Lebanon on Monday.\n\n"
                 "The army said 30 jets struck some 25 launch sites overnight.")
    assert any(k == "damaged" and v == 25 and p == "South Lebanon" for k, v, _, p, _ in got)


# ------------------------------------------------------------------------------------ territories

def test_the_territory_stands_for_the_territory_named_before():
    got = counts("Israeli jets struck Rafah and Gaza overnight. The civil defence agency said strikes killed 40 "
                 "people across the territory on Tuesday.")
    assert ("killed", 40, None, "Gaza Strip", None) in got


def test_the_territory_is_not_a_supranational_region():
    got = counts("Envoys toured the Middle East for a week. Air strikes killed 40 people across the territory, "
                 "medics in Gaza said.")
    assert all(p != "Middle East" for _, _, _, p, _ in got)


def test_a_salvo_fired_toward_a_country_is_in_that_country():
    got = counts("Hezbollah fired rockets at the Golan Heights in the morning. Later the army said 55 rockets had "
                 "been launched toward Israel.")
    assert ("launched", 55, "rocket", "Israel", None) in got


# ------------------------------------------------------------------------------ claims by each side

def test_a_rockets_count_aimed_at_a_forces_sites_is_in_its_country():
    got = counts("The militia said it fired 90 Grad rockets at 14 Israeli military positions, including a base "
                 "in the Golan Heights.")
    assert ("launched", 90, "Grad", "Israel", None) in got


def test_a_contrasting_clause_after_a_count_tells_of_something_else():
    got = counts("Drones struck Syria's coast on Sunday. The army said eight drones were downed near Latakia, "
                 "while a ninth got through and hit the Hmeimim air base.")
    assert any(k == "intercepted" and v == 8 and p == "Latakia" for k, v, _, p, _ in got)
    got = counts("Drones struck Latakia overnight. The army said eight drones were downed, while a ninth got "
                 "through and hit the Hmeimim air base.")
    assert any(k == "intercepted" and v == 8 and p == "Latakia" for k, v, _, p, _ in got)


def test_a_rival_figure_in_a_contrasting_clause_shares_the_place():
    got = counts("An Iranian missile hit a hospital in Beersheba on Monday. Iran's government put its toll at 75 "
                 "dead, while a monitoring group says 120 people were killed in Iran.")
    assert ("killed", 75, None, "Iran", None) in got and ("killed", 120, None, "Iran", None) in got


def test_a_later_launch_figure_with_no_usable_place_goes_where_the_salvo_went():
    got = counts("The army said 150 rockets were fired toward Israel. The group's leader later said 200 rockets "
                 "had been fired while drones flew toward the Ramon air base.")
    assert ("launched", 200, "rocket", "Israel", None) in got


# ------------------------------------------------------------------------------------------- ships

def test_a_ship_is_more_specific_than_the_waters_it_is_in():
    got = counts("A drone boat struck the tanker Tower 22 in the Red Sea overnight, killing two sailors.")
    assert ("killed", 2, None, "Tower 22", None) in got


def test_a_flag_state_and_a_port_named_as_a_bearing_are_not_where_the_crew_was_hurt():
    got = counts("A missile struck the tanker Tower 22 in the Red Sea on Monday.\n\nThe Liberia-flagged tanker "
                 "was sailing some 60 nautical miles west of the port of Hodeidah. Five sailors were injured.")
    assert ("injured", 5, None, "Tower 22", None) in got


def test_the_ship_that_shot_a_missile_down_is_neither_its_weapon_nor_its_place():
    got = counts("The militia launched four anti-ship ballistic missiles into the Arabian Sea on Sunday. One was "
                 "shot down by the frigate HMS Richmond.")
    assert ("intercepted", 1, "anti-ship ballistic missile", "Arabian Sea", None) in got


def test_ships_used_to_intercept_are_not_counted():
    got = counts("Allied forces destroyed 40 of the drones and five cruise missiles, including with three Navy "
                 "destroyers in the Red Sea.")
    assert all(v != 3 for _, v, _, _, _ in got)


def test_every_item_of_a_list_of_the_dead_is_a_count():
    got = counts("A missile hit a cargo ship off Yemen. Among those killed were three Indians and one Egyptian, "
                 "the managers said.")
    assert any(k == "killed" and v == 3 for k, v, _, _, _ in got)
    assert any(k == "killed" and v == 1 for k, v, _, _, _ in got)


# ------------------------------------------------------------------------ camps, coordinated tolls

def test_a_camp_on_the_edge_of_a_city_is_where_the_shells_fell():
    got = counts("A drone hit the Nuseirat refugee camp on the edge of Deir al-Balah on Friday, killing 12 people.")
    assert ("killed", 12, None, "Nuseirat", None) in got


def test_the_edge_of_a_city_alone_still_puts_a_count_in_the_city():
    got = counts("On the northern edge of Idlib, a strike on a market killed nine people.")
    assert ("killed", 9, None, "Idlib", None) in got


def test_killing_and_wounding_share_the_place_of_the_first_count():
    got = counts("Shelling hit a bread queue in the city of Kherson at dawn, killing nine civilians and wounding 33, "
                 "the governor said, as fighting flared near Zaporizhzhia.")
    assert ("killed", 9, None, "Kherson", None) in got and ("injured", 33, None, "Kherson", None) in got


# ------------------------------------------------------------------------------ asides and lists

def test_a_place_in_a_relative_clause_aside_is_not_where_a_count_is():
    got = counts("Jets struck militia camps across Somalia overnight. Admiral Tom Reyes, the chief of a fleet, which "
                 "patrols the Middle East, said over 70 guided bombs were used.")
    assert any(k == "launched" and v == 70 and p == "Somalia" for k, v, _, p, _ in got)


def test_places_listed_with_as_well_as_leave_a_later_toll_to_the_article():
    got = counts("Allied jets struck militia targets across Somalia on Friday.\n\nA spokesman said the raids hit the "
                 "capital, Mogadishu, as well as Kismayo, Baidoa and Beledweyne. The militia said seven of its fighters "
                 "were killed.")
    assert ("killed", 7, None, "Somalia", None) in got


# ------------------------------------------------------------------------------- casualty sources

def test_a_toll_from_a_territorys_health_ministry_is_that_territorys():
    got = counts("A rocket hit a house in Ashkelon on Monday, wounding two people.\n\nSince the fighting began, "
                 "the Gaza health ministry says, 57 Palestinians have been killed and more than 200 wounded.")
    assert ("killed", 57, None, "Gaza Strip", None) in got and ("injured", 200, None, "Gaza Strip", None) in got


def test_a_health_ministry_toll_in_the_articles_own_country_keeps_the_article_place():
    got = counts("A drone hit a market in Kharkiv on Monday.\n\nThe Ukrainian health ministry said six people were "
                 "killed.")
    assert ("killed", 6, None, "Kharkiv", None) in got


def test_people_after_several_modifiers_are_counted():
    got = counts("Air strikes on Khan Younis killed four senior Hamas commanders and two Red Crescent paramedics.")
    assert ("killed", 4, None, "Khan Younis", None) in got and ("killed", 2, None, "Khan Younis", None) in got


def test_a_number_before_a_list_of_people_is_not_a_modified_person():
    got = counts("Officials in Kyiv raised the toll to 28, including three children.")
    assert any(k == "killed" and v == 28 for k, v, _, _, _ in got)


def test_a_subset_aside_does_not_end_the_clause_of_its_count():
    got = counts("A strike on a car in Nabatieh killed one man, and three others, one of them a child, were wounded "
                 "in the town of Tyre.")
    assert ("injured", 3, None, "Tyre", None) in got
    sub = [q for q in read("A strike on a car in Nabatieh killed one man, and three others, one of them a child, "
                           "were wounded in the town of Tyre.").quantities if q.subset_of is not None]
    assert sub and sub[0].place is not None and sub[0].place.label == "Tyre"


def test_the_south_stands_for_the_southern_region_named_before():
    got = counts("Israeli jets pounded south Lebanon on Sunday. A drone strike on a motorbike killed one man in Bint Jbeil, "
                 "and six others were wounded in further raids across the south.")
    assert ("injured", 6, None, "South Lebanon", None) in got


def test_a_clause_opened_by_as_after_a_count_tells_of_something_else():
    got = counts("A glide bomb hit a clinic in Sumy, killing five civilians and wounding 21, the regional office "
                 "said, as drones circled over Kharkiv.")
    assert ("injured", 21, None, "Sumy", None) in got


# ------------------------------------------------------------------------------ the article's place

def test_a_toll_tied_to_no_place_falls_back_to_the_town_not_the_building_in_it():
    text = ("KYIV, Ukraine \u2014 A missile came down in front of the Okhmatdyt children's hospital on Sunday.\n\n"
            "Nine people were killed.\n\nIn Kyiv, residents said the blast shook the whole of Kyiv.")
    got = counts(text)
    assert ("killed", 9, None, "Kyiv", None) in got


def test_a_ship_far_from_any_town_stays_the_place_of_a_toll():
    text = ("DUBAI \u2014 A missile struck the bulk carrier MSC Sky II in the Red Sea on Monday.\n\n"
            "Two sailors were killed, the owners said from Dubai.")
    got = counts(text)
    assert ("killed", 2, None, "MSC Sky II", None) in got


# ------------------------------------------------------------------- people, projectiles, targets

def test_a_toll_with_a_subset_aside_takes_the_verb_after_the_aside():
    got = counts("At least 22 people, among them five women and eight children, were killed when a strike hit a "
                 "school in Deir al-Balah.")
    assert ("killed", 22, None, "Deir al-Balah", None) in got
    assert any(k == "killed" and v == 5 for k, v, _, _, _ in got)


def test_projectiles_are_a_launch_count_of_no_named_type():
    got = counts("The rebels fired nine projectiles at an oil tanker off Hodeidah on Monday.")
    assert any(k == "launched" and v == 9 and w is None for k, v, w, _, _ in got)


def test_targets_owned_by_a_named_group_are_struck_targets():
    got = counts("The army said its jets had struck more than 70 Hezbollah targets in the Bekaa Valley.")
    assert ("damaged", 70, None, "Bekaa Valley", "target") in got


def test_an_interception_figure_does_not_borrow_the_place_of_another_militarys_claim():
    got = counts("Drones flew toward Eilat overnight.\n\nThe army said its air defences downed 30 of the drones, "
                 "while Jordan said it downed two drones over Irbid.")
    assert any(k == "intercepted" and v == 30 and p == "Eilat" for k, v, _, p, _ in got)


def test_an_earlier_figure_after_up_from_is_a_toll_too():
    got = counts("The death toll from the strike on the Nuseirat camp rose to 52 on Monday, up from 40.")
    assert ("killed", 40, None, "Nuseirat", None) in got


def test_destroyed_tanks_are_damaged_objects_not_interceptions():
    got = counts("Sudan's army said its soldiers had destroyed seven tanks near Kassala.")
    assert ("damaged", 7, None, "Kassala", "tank") in got
    assert all(k != "intercepted" for k, _, _, _, _ in got)


def test_destroyed_launchers_listed_after_tanks_are_damaged_objects():
    got = counts("Sudan's army said its soldiers had destroyed four tanks and two Smerch launchers "
                 "near Kassala.")
    assert ("damaged", 2, None, "Kassala", "launcher") in got


def test_missile_ships_that_carry_the_missiles_are_not_launched_counts():
    got = counts("Russia fired 14 cruise missiles from two small missile ships stationed in the Sea of Azov.")
    assert all(not (k == "launched" and v == 2) for k, v, _, _, _ in got)


def test_a_toll_from_a_national_health_ministry_with_no_other_place_is_the_countrys():
    got = counts("Iran's health ministry said 410 people had been killed and 3,100 injured in Israeli strikes "
                 "since June 13.")
    assert ("killed", 410, None, "Iran", None) in got and ("injured", 3100, None, "Iran", None) in got


def test_a_second_reported_clause_opened_by_and_that_holds_another_place():
    got = counts("Sirens sounded in Haifa at dawn. The army said about 40 rockets were fired from Lebanon, and "
                 "that a man was killed in Metula.")
    assert any(k == "launched" and v == 40 and p == "Haifa" for k, v, _, p, _ in got)


def test_a_site_after_an_agent_and_a_preposition_is_still_a_place():
    got = counts("Shells fired by the RSF landed in the Zamzam displacement camp, killing four people.")
    assert ("killed", 4, None, "Zamzam", None) in got


# ------------------------------------------------------------------ estimates, subsets, recoveries

def test_a_range_of_casualties_is_an_estimate_not_a_count():
    got = counts("The army said it had killed 30 to 40 militants near the border. The toll in Kupwara rose from "
                 "two to five.")
    values = [v for _, v, _, _, _ in got]
    assert 30 not in values and 40 not in values
    assert 2 in values and 5 in values


def test_a_percentage_subset_clause_does_not_say_what_happened_to_the_whole():
    got = counts("The Iranian barrage involved more than 250 projectiles, 95% of which were intercepted, the army "
                 "said.")
    assert any(k == "launched" and v == 250 for k, v, _, _, _ in got)
    assert all(k != "intercepted" for k, v, _, _, _ in got if v == 250)


def test_bodies_pulled_from_the_rubble_in_a_town_are_in_that_town():
    got = counts("A strike hit Aleppo on Monday. Rescuers pulled 14 bodies from the rubble in Idlib, the White "
                 "Helmets said.")
    assert ("killed", 14, None, "Idlib", None) in got


def test_an_armed_groups_own_launch_claim_is_not_placed_in_its_home_country():
    got = counts("The Houthis said they had targeted a tanker with three ballistic missiles.")
    assert all(p != "Yemen" for _, _, _, p, _ in got)


def test_a_ministry_named_without_its_territory_does_not_move_a_toll():
    got = counts("Israeli jets struck Tyre on Monday. At least 30 people were killed, the health ministry said.")
    assert ("killed", 30, None, "Tyre", None) in got


def test_the_whole_a_percentage_or_part_is_taken_of_was_launched():
    got = counts("The army said 97 percent of the roughly 220 rockets fired at Israel had been intercepted.")
    assert any(k == "launched" and v == 220 for k, v, _, _, _ in got)
    got = counts("Of the 60 drones, most were jammed, the army said, and of the 14 cruise missiles, nine were shot "
                 "down over Kyiv.")
    assert any(k == "launched" and v == 14 for k, v, _, _, _ in got)
    assert any(k == "intercepted" and v == 9 for k, v, _, _, _ in got)


def test_drones_downed_with_no_place_named_are_over_the_town_not_the_base_another_hit():
    got = counts("Rebel drones struck the port and a fuel depot in Latakia on Tuesday.\n\nEarlier, drones had "
                 "targeted the Hmeimim air base. Russian forces said six drones were downed in the evening.")
    assert any(k == "intercepted" and v == 6 and p == "Latakia" for k, v, _, p, _ in got)


def test_an_air_force_tally_of_every_type_together_is_a_launched_count():
    got = counts("The air force said the enemy launched 47 air attack weapons at Ukraine overnight, and 41 of them "
                 "were downed.")
    assert ("launched", 47, None, "Ukraine", None) in got and ("intercepted", 41, None, "Ukraine", None) in got
    got = counts("Russia struck Ukraine with 29 means of air attack on Sunday night, the air force said.")
    assert ("launched", 29, None, "Ukraine", None) in got
    # weapons seized or supplied are no launches
    assert counts("Border guards seized 14 weapons in Chernivtsi.") == []
