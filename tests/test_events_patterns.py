"""Attack places from lists, headings and target cues; communications with all their parties; event dates."""
from __future__ import annotations

from datetime import date

from kg.extract.times import resolve_sentence
from tests.conftest import read

TUESDAY = date(2025, 7, 8)


def attacked(text: str, published: date = TUESDAY) -> dict[str, date | None]:
    return {e.places[0].label: (e.time.value if e.time else None)
            for e in read(text, published=published).events if e.type == "attack"}


def comms(text: str) -> list[set[str]]:
    return [{p.label for p in e.participants} for e in read(text).events if e.type == "communication"]


# ------------------------------------------------------------------------------------------- attacks
def test_every_member_of_a_shelled_list_is_attacked():
    got = attacked("Russian troops shelled Nikopol, Marhanets and Pokrov on Monday.")
    assert {"Nikopol", "Marhanets", "Pokrov"} <= set(got)
    assert got["Pokrov"] == date(2025, 7, 7)


def test_places_that_came_under_fire_are_attacked():
    got = attacked("The mayor named the villages that came under fire on Monday, among them Nikopol and Marhanets, "
                   "as well as the city of Pavlohrad.")
    assert {"Nikopol", "Marhanets", "Pavlohrad"} <= set(got)


def test_region_list_named_as_targets():
    got = attacked("Several missiles were aimed at depots in the Ternopil, Kirovohrad and Chernivtsi regions.")
    assert {"Ternopil region", "Kirovohrad region", "Chernivtsi region"} <= set(got)


def test_entry_heading_region_without_a_town_is_attacked():
    text = ("Regional officials reported the damage on Tuesday.\n"
            "\u2022 Poltava region: three people were injured when a warehouse was hit.\n"
            "\u2022 Sumy region: in Shostka two men were wounded.")
    got = attacked(text)
    assert "Poltava region" in got
    assert "Shostka" in got and "Sumy region" not in got


def test_timestamped_city_heading():
    got = attacked("11:20 - Zhytomyr: a school and two cars are damaged.")
    assert "Zhytomyr" in got


def test_region_that_only_locates_a_town_is_not_attacked():
    got = attacked("A guided bomb struck a bakery in Chortkiv in the Ternopil region, wounding 13 people.")
    assert "Chortkiv" in got and "Ternopil region" not in got


def test_named_region_with_a_toll_is_attacked_but_not_the_anaphor():
    assert "Sumy region" in attacked("One person was killed in the Sumy region on Monday.")
    got = attacked("Drones hit Shostka overnight. Two more people were wounded in the region.")
    assert "Sumy region" not in got


def test_shelling_of_a_region():
    assert "Kherson region" in attacked("Russian shelling of the Kherson region killed two people on Monday.")


def test_rockets_fired_toward_a_city():
    assert "Haifa" in attacked("Two rockets were fired toward Haifa on Friday evening.")


def test_attacker_in_possessive_is_not_a_place():
    got = attacked("Three people died in Russia's missile attack on Dnipro, officials said.")
    assert "Dnipro" in got and "Russia" not in got


def test_debris_falling_on_a_house_is_an_attack_but_near_an_airport_is_not():
    got = attacked("Wreckage of a downed drone fell on a garage in Khimki. Fragments also landed near Pulkovo Airport.")
    assert "Khimki" in got
    assert not any("Pulkovo" in p for p in got)


def test_district_named_after_its_town_is_attacked_but_a_city_quarter_is_not():
    got = attacked("Kyiv region: the Obukhiv and Vyshhorod districts were struck, the regional chief said.")
    assert any(p.startswith("Obukhiv") for p in got) and any(p.startswith("Vyshhorod") for p in got)
    got = attacked("A missile struck the Shevchenkivskyi district of Kyiv, killing two.")
    assert "Kyiv" in got and not any("Shevchenkivskyi" in p for p in got)


def test_bearings_and_health_ministry_locations_are_not_targets():
    got = attacked("A drone killed a woman in Brovary, a town east of the capital, the health ministry in Kyiv said.")
    assert "Brovary" in got and "Kyiv" not in got


# ------------------------------------------------------------------------------------ communications
def test_mediators_and_the_two_sides():
    got = comms("Ethiopia and Eritrea agreed on a prisoner swap after talks in which France and Germany "
                "mediated between the two sides.")
    assert any({"Ethiopia", "Eritrea", "France", "Germany"} <= g for g in got)


def test_mediators_from_countries():
    got = comms("Envoys from Norway and Switzerland worked for months to broker a truce between Ethiopia and "
                "Eritrea.")
    assert any({"Norway", "Switzerland", "Ethiopia", "Eritrea"} <= g for g in got)


def test_meeting_as_a_verb_takes_the_subject():
    got = comms("Emmanuel Macron flew to Berlin, two days after meeting Recep Tayyip Erdogan in Ankara.")
    assert {"Emmanuel Macron", "Recep Tayyip Erdogan"} in got


def test_separate_conversations():
    got = comms("Emmanuel Macron spoke with Vladimir Putin and with Volodymyr Zelensky on Tuesday.")
    assert {"Emmanuel Macron", "Vladimir Putin"} in got
    assert {"Emmanuel Macron", "Volodymyr Zelensky"} in got


def test_planned_and_hyphenated_meetings_are_not_events():
    got = comms("Officials said work had begun on a possible Putin-Zelensky meeting in Vienna.")
    assert not any({"Vladimir Putin", "Volodymyr Zelensky"} <= g for g in got)


def test_joined_by_makes_a_wider_meeting():
    got = comms("Volodymyr Zelensky first met Emmanuel Macron alone. The two were later joined by Keir Starmer and "
                "Friedrich Merz.")
    assert {"Volodymyr Zelensky", "Emmanuel Macron"} in got
    assert any({"Volodymyr Zelensky", "Emmanuel Macron", "Keir Starmer", "Friedrich Merz"} <= g for g in got)


def test_delegation_members_in_the_next_sentence_only_nearby():
    text = ("Russian and Ukrainian officials held talks in Istanbul on Friday.\n\n"
            "The Ukrainian delegation was led by Rustem Umerov.\n\n"
            "Prices rose. Markets fell. Rain came.\n\n"
            "Another delegation was led by Keir Starmer.")
    got = comms(text)
    assert any({"Russia", "Ukraine", "Rustem Umerov"} <= g for g in got)
    assert not any("Keir Starmer" in g for g in got)


def test_naming_known_talks_is_not_an_event():
    assert comms("Emmanuel Macron accused Vladimir Putin of wrecking the negotiations.") == []


# ------------------------------------------------------------------------------------------------ dates
def test_dateline_day_is_the_report_not_the_attack():
    x = read("ODESA, July 8 (wire) \u2014 A drone hit Odesa on Sunday evening, wounding two.", published=TUESDAY)
    attack = next(e for e in x.events if e.type == "attack")
    assert attack.time.value == date(2025, 7, 6)


def test_toll_update_day_is_not_the_attack_day():
    ref = resolve_sentence("The toll from Saturday's drone strike on Odesa rose to 12 on Monday.", TUESDAY)
    assert ref is not None and ref.value == date(2025, 7, 5)
    assert resolve_sentence("The number of people killed in the attack rose to 31 on Monday.", TUESDAY) is None


def test_reference_event_day_is_not_the_attack_day():
    assert resolve_sentence("Russia struck Lviv again, days after its heaviest strike of 14 March.", TUESDAY) is None


def test_running_war_toll_is_not_an_attack():
    got = attacked("A drone hit Kherson on Monday. Since the start of the invasion, shelling has killed 900 people in "
                   "the Kherson region, officials said.")
    assert "Kherson" in got and "Kherson region" not in got


def test_country_owning_a_named_place_is_not_the_target():
    got = attacked("The strike on Ukraine's second city, Kharkiv, killed four people on Monday.")
    assert "Kharkiv" in got and "Ukraine" not in got


def test_country_of_an_origin_is_not_attacked():
    got = attacked("Jets flying from an air base in Romania joined the raids on Odesa on Monday.")
    assert "Romania" not in got


def test_river_bank_and_towns_located_by_both_in():
    got = attacked("Troops shelled Kherson from the left bank of the Dnipro on Monday.")
    assert "Kherson" in got and "Dnipro" not in got
    got = attacked("Strikes hit Nikopol and Marhanets, both in the Dnipropetrovsk region, on Monday.")
    assert {"Nikopol", "Marhanets"} <= set(got) and "Dnipropetrovsk region" not in got


def test_regions_hit_in_a_tally():
    got = attacked("Overnight strikes hit the Zhytomyr, Vinnytsia and Poltava regions, the air force said.")
    assert {"Zhytomyr region", "Vinnytsia region", "Poltava region"} <= set(got)


def test_month_without_day_and_earlier_in_the_week_date_nothing():
    for sentence in ("In June, shells struck a shelter in the city.", "He was killed in a strike in late July.",
                     "The freighter, hit by a missile earlier in the week, went down."):
        ref = resolve_sentence(sentence, TUESDAY)
        assert ref is not None and ref.value is None
    assert resolve_sentence("Two separate raids hit the town.", TUESDAY) is None


def test_region_around_a_named_site_is_not_a_second_target():
    got = attacked("In the Zaporizhzhia region, drones hit the Zaporizhzhia Nuclear Power Plant on Sunday.")
    assert "Zaporizhzhia Nuclear Power Plant" in got and "Zaporizhzhia region" not in got


def test_wreckage_falling_on_a_facility_in_a_region():
    assert "Kursk region" in attacked("In the Kursk region, wreckage fell on a fuel depot on Sunday.")


def test_occupied_or_rebel_held_places_are_still_framed():
    got = attacked("Warplanes bombed rebel-held Avdiivka and positions in the Russian-occupied Zaporizhzhia region on Sunday.")
    assert "Avdiivka" in got and "Zaporizhzhia region" in got


def test_sea_is_attacked_only_when_fire_is_directed_at_it():
    assert "Black Sea" in attacked("Two missiles were fired toward shipping lanes in the western Black Sea on Monday.")
    assert "Black Sea" not in attacked("Missiles fired from ships in the Black Sea struck Odesa on Monday.")


def test_as_well_as_continues_a_list_of_targets():
    got = attacked("Strikes hit Kherson as well as Nikopol and Marhanets on Monday.")
    assert {"Kherson", "Nikopol", "Marhanets"} <= set(got)


def test_request_to_the_security_council_and_convened_bodies():
    got = comms("Poland's foreign minister, Radoslaw Sikorski, asked for an urgent session of the UN Security Council.")
    assert {"Radoslaw Sikorski", "UN Security Council"} in got
    got = comms("Volodymyr Zelensky convened the Verkhovna Rada on Sunday.")
    assert {"Volodymyr Zelensky", "Verkhovna Rada"} in got


def test_received_by_the_person_he_stands_for():
    got = comms("Volodymyr Zelensky thanked his allies. He received Emmanuel Macron in Kyiv on Sunday.")
    assert {"Volodymyr Zelensky", "Emmanuel Macron"} in got


def test_heading_with_a_locating_phrase():
    got = attacked("Damage by settlement:\n- Nikopol, in the Nikopol community: two houses damaged.\n- Marhanets: one man wounded.")
    assert {"Nikopol", "Marhanets"} <= set(got)


def test_aims_and_sendings_without_munitions_are_not_attacks():
    assert attacked("The EU adopted new sanctions aimed at Russia on Monday.") == {}
    assert "Kupiansk" not in attacked("Moscow moved more troops toward Kupiansk on Monday.")
    assert "Chernivtsi region" in attacked("Moscow sent 17 attack drones against the Chernivtsi region before dawn.")


def test_receiving_and_meeting_need_a_person_or_state():
    assert comms("Ukraine received Patriot systems from Germany on Monday.") == []
    assert comms("Ukraine's air defence now meets NATO standards.") == []
    assert comms("Recep Tayyip Erdogan received Ukrainian President Volodymyr Zelensky in Ankara.") == [
        {"Recep Tayyip Erdogan", "Volodymyr Zelensky"}]


def test_near_a_named_place_is_a_reference_but_sites_near_a_town_hit_it():
    got = attacked("Drones flew toward the Pulkovo Airport near Khimki on Monday.")
    assert "Khimki" not in got
    got = attacked("Missiles hit military sites near Kalush and Kolomyia on Monday.")
    assert {"Kalush", "Kolomyia"} <= set(got)


def test_mediators_in_apposition():
    got = comms("The mediators Qatar, Egypt and the United States said talks between Israel and Hamas would resume.")
    got += comms("The mediators Qatar, Egypt and the United States held talks with Israel and Hamas in Doha.")
    assert any({"Qatar", "Egypt", "United States", "Israel", "Hamas"} <= g for g in got)


def test_background_attack_keeps_its_own_day_and_overnight_ends_in_the_morning():
    x = read("Drones hit Kharkiv on Sunday night, the mayor said. The city was also hit in the 7 October attack.",
             published=date(2025, 7, 7))
    got = {(e.places[0].label, e.time.value if e.time else None) for e in x.events if e.type == "attack"}
    assert ("Kharkiv", date(2025, 7, 7)) in got and ("Kharkiv", date(2024, 10, 7)) in got
    x = read("Drones hit Kharkiv on Sunday night. In 2022, a missile hit Kharkiv's town hall.", published=date(2025, 7, 7))
    days = {e.time.value if e.time else None for e in x.events if e.type == "attack"}
    assert date(2025, 7, 7) in days and date(2025, 7, 6) not in days


def test_second_conversation_in_one_sentence_and_rockets_fired_toward_a_city():
    text = ("Benjamin Netanyahu met Emmanuel Macron in Paris to discuss a ceasefire proposal, and later spoke by phone "
            "with Keir Starmer.")
    got = comms(text)
    assert {"Benjamin Netanyahu", "Emmanuel Macron"} in got and {"Benjamin Netanyahu", "Keir Starmer"} in got
    assert "Haifa" in attacked("Hezbollah fired dozens of rockets toward Haifa on Monday.")


def test_talks_still_to_come_are_not_events():
    assert comms("Volodymyr Zelensky said he wants to discuss air defence with Donald Trump at a summit next week.") == []


def test_attack_told_as_a_day_after_or_days_after():
    got = attacked("Drones struck Odesa on Sunday, a day after shelling killed three people in Kherson.")
    assert got["Odesa"] == date(2025, 7, 6) and got["Kherson"] == date(2025, 7, 5)
    got = attacked("Drones struck Odesa on Sunday, days after shelling killed three people in Kherson.")
    assert got["Odesa"] == date(2025, 7, 6) and got["Kherson"] is None


def test_a_strike_on_the_outskirts_of_a_town_is_an_attack_on_that_town():
    # "on the outskirts of X" places the strike in X's area (as ACLED codes it), unlike a bearing ("south of X")
    got = attacked("A missile hit a row of garages on the outskirts of Vinnytsia on Monday, the governor said.")
    assert got.get("Vinnytsia") == date(2025, 7, 7)
    got = attacked("Russian shells hit fields in the outskirts of Nikopol overnight, the regional governor said.")
    assert "Nikopol" in got


def test_a_munition_that_lands_or_crashes_somewhere_attacks_that_place():
    # where a munition fell is where the attack was; where it was fired from is its origin
    got = attacked("A rocket fired from across the border landed in an orchard near Metula on Monday, the army said.")
    assert set(got) == {"Metula"}
    got = attacked("Two drones crashed into a warehouse in Kherson on Monday, the regional governor said.")
    assert got.get("Kherson") == date(2025, 7, 7)
    got = attacked("Missiles fell on the port area of Izmail on Monday, local officials said.")
    assert "Izmail" in got


def test_weapons_used_against_a_region_attack_it():
    # an air force's tally names the region as the target of what was used against it
    got = attacked("The enemy used 9 missiles and 31 drones against the Lviv region on Monday, the air force said.")
    assert got.get("Lviv region") == date(2025, 7, 7)
    assert attacked("The police used water cannon against protesters in Lviv on Monday.") == {}
