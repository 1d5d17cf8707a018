"""Attack places and dates in wire copy about any war: datelines, descriptions between a frame and its place,
reference points, attackers opening a sentence, background attacks dated relative to the story."""
from __future__ import annotations

from datetime import date

from kg.extract.dateline import dateline_end
from tests.conftest import read

THURSDAY = date(2024, 3, 14)


def attacked(text: str, published: date = THURSDAY) -> dict[str, set[date | None]]:
    out: dict[str, set[date | None]] = {}
    for e in read(text, published=published).events:
        if e.type == "attack":
            out.setdefault(e.places[0].label, set()).add(e.time.value if e.time else None)
    return out


# ------------------------------------------------------------------------------------------ datelines
def test_dateline_shapes_end_where_the_body_starts():
    for head in ("BEIRUT/JERUSALEM \u2014 ", "TEL AVIV, March 14 (wire) \u2014 ", "KHARTOUM, Sudan \u2014 ",
                 "ADEN (AP) - "):
        assert dateline_end(head + "Rockets hit the town.") == len(head)
    assert dateline_end("NATO said on Monday - nothing else") == 0
    assert dateline_end("A shell \u2014 one of many \u2014 hit the town.") == 0


def test_dateline_city_is_not_attacked_by_the_opening_sentence():
    got = attacked("AMMAN, March 14 (wire) \u2014 Warplanes bombed Idlib on Wednesday, killing nine people.")
    assert "Idlib" in got and "Amman" not in got
    got = attacked("ISLAMABAD/NEW DELHI \u2014 Missiles struck Bahawalpur overnight, officials said.")
    assert "Bahawalpur" in got and "Islamabad" not in got and "New Delhi" not in got


# -------------------------------------------------------------------------------- framed descriptions
def test_frame_reaches_a_place_through_its_description():
    got = attacked("Officials said the raids hit the capital Sanaa as well as Hodeidah and Saada provinces.")
    assert {"Sanaa", "Hodeidah province", "Saada province"} <= set(got)


def test_fire_aimed_at_part_of_a_country_names_the_country():
    got = attacked("The militia fired dozens of rockets at northern Israel on Wednesday.")
    assert "Israel" in got


def test_a_compass_part_that_locates_a_site_is_no_target():
    got = attacked("A drone started a fire at one of the largest refineries in central Russia on Wednesday.")
    assert "Russia" not in got


def test_shelling_areas_of_a_region():
    got = attacked("The ministry accused the army of shelling residential areas of Nagorno-Karabakh on Wednesday.")
    assert "Nagorno-Karabakh" in got


def test_anaphoric_country_only_when_fire_is_put_on_it():
    got = attacked("A drone hit Port Sudan on Wednesday, closing the only working airport in the country.")
    assert "Port Sudan" in got and "Sudan" not in got


# -------------------------------------------------------------------------------- reference points
def test_flag_state_of_a_ship_is_not_attacked():
    got = attacked("A missile hit the Liberia-flagged tanker on Wednesday, the navy said.")
    assert "Liberia" not in got


def test_bearing_through_a_description_is_a_reference_point():
    got = attacked("The missile struck a tanker about 40 miles northwest of the port of Hodeidah on Wednesday.")
    assert "Hodeidah" not in got


def test_place_opening_a_sentence_as_the_attacker_is_not_attacked():
    got = attacked("Yemen's rebels were warned. Washington and London have responded with air strikes on Sanaa.")
    assert "Sanaa" in got
    assert "Washington" not in got and "United States" not in got


def test_region_locating_a_village_with_its_head_noun():
    got = attacked("Jets bombed a market in Pazigyi village in the Sagaing region on Tuesday.")
    assert "Pazigyi" in got and "Sagaing region" not in got


# ------------------------------------------------------------------------------------------- dates
def test_region_that_locates_a_town_takes_no_date_from_it():
    text = ("Rockets were fired at the Golan Heights on Wednesday. "
            "Earlier, a rocket hit Majdal Shams, in the Golan Heights, on February 2.")
    got = attacked(text)
    assert got["Golan Heights"] == {date(2024, 3, 13)}


def test_a_day_earlier_dates_a_background_attack():
    text = ("A fighter jet bombed the village of Pazigyi on Tuesday, killing 30 people. "
            "A day earlier, bombs dropped on Falam killed four civilians.")
    got = attacked(text)
    assert got["Pazigyi"] == {date(2024, 3, 12)}
    assert got["Falam"] == {date(2024, 3, 11)}


# ------------------------------------------------------------------------------------------- sites
def test_site_located_in_a_town_elsewhere_belongs_to_the_town():
    text = ("A missile struck the Soroka Medical Center in Beersheba on Wednesday. "
            "Staff said the hospital had been evacuated. "
            "Its director said a direct hit on the Soroka Medical Center had wrecked one ward.")
    got = attacked(text)
    assert "Beersheba" in got and "Soroka Medical Center" not in got


def test_site_near_a_reference_town_is_the_target():
    got = attacked("Drones flew toward the main target, the Glilot base near Tel Aviv, on Wednesday.")
    assert "Glilot base" in got and "Tel Aviv" not in got


def test_ships_in_apposition_to_an_attacked_noun():
    got = attacked("Two of the missiles hit merchant ships, the True Confidence and the MSC Sky II, on Wednesday.")
    assert {"True Confidence", "MSC Sky II"} <= set(got)


def test_exchanged_fire_along_a_line():
    got = attacked("Along the Line of Control, the two armies exchanged heavy artillery fire through the night.")
    assert got.get("Line of Control") == {THURSDAY}


def test_yet_another_figure_is_not_another_attack():
    got = attacked("Rockets hit Beersheba on Wednesday, killing two people. Sirens sounded for an hour. "
                   "Later the group gave yet another figure for "
                   "the drones fired at the Glilot base.", published=date(2024, 3, 15))
    assert got.get("Glilot base") == {date(2024, 3, 13)}


def test_damage_to_names_an_attack():
    got = attacked("A ballistic missile caused light damage to homes in Arad on Wednesday.")
    assert "Arad" in got


# --------------------------------------------------------------------------------- communications
def comms(text: str) -> list[set[str]]:
    return [{p.label for p in e.participants} for e in read(text).events if e.type == "communication"]


def test_coordinated_calls_after_a_definite_meeting_are_separate_events():
    got = comms("The summit came after a phone call between Emmanuel Macron and Olaf Scholz in May and a call "
                "between Antony Blinken and Wang Yi on Friday.")
    assert {"Emmanuel Macron", "Olaf Scholz"} in got
    assert any({"Antony Blinken", "Wang Yi"} <= g and "Emmanuel Macron" not in g for g in got)


def test_appositive_subject_of_a_verb_cue_is_a_party():
    got = comms("A Hamas official said the group's envoy, Khalil al-Hayya, had informed Qatar and Egypt of its reply.")
    assert any({"Khalil al-Hayya", "Qatar", "Egypt"} <= g for g in got)


def test_count_in_a_quarter_of_a_city_attacks_the_city():
    got = attacked("Air strikes killed 40 people across the territory on Wednesday, "
                   "after the talks ended, including 9 residents of a block in the Sheikh Radwan neighbourhood of Gaza City.")
    assert "Gaza City" in got and "Sheikh Radwan" not in got


def test_region_object_of_the_verb_stays_a_target_before_its_town():
    got = attacked("Officials accused the army of continuing to shell civilian areas of Nagorno-Karabakh, "
                   "including its main city, Stepanakert, on Wednesday.")
    assert {"Nagorno-Karabakh", "Stepanakert"} <= set(got)


def test_fronted_region_still_yields_to_its_town():
    got = attacked("In the Donetsk region, drones hit Kostiantynivka on Wednesday.")
    assert "Kostiantynivka" in got and "Donetsk region" not in got


def test_site_in_a_report_filed_from_its_town():
    text = ("PORT SUDAN \u2014 Officials met on Wednesday to discuss repairs.\n"
            "Then drones targeted the Osman Digna Air Base, a warehouse and a fuel depot.")
    got = attacked(text)
    assert "Port Sudan" in got and "Osman Digna Air Base" not in got


def test_site_located_elsewhere_is_not_moved_to_the_filing_town():
    text = ("JERUSALEM \u2014 Officials spoke on Wednesday.\n"
            "Then a missile caused damage at the Glilot base near Tel Aviv.")
    got = attacked(text)
    assert "Jerusalem" not in got


def test_undated_attack_takes_the_day_its_paragraph_set():
    text = ("On Tuesday morning the square outside the theatre was busy with families. It was a holiday. "
            "At noon a ballistic missile struck Chernihiv, killing seven people.")
    got = attacked(text)
    assert got["Chernihiv"] == {date(2024, 3, 12)}
