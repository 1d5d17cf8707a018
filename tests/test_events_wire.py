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
    got = attacked("ANKARA, March 14 (wire) \u2014 Warplanes bombed Latakia on Wednesday, killing seven people.")
    assert "Latakia" in got and "Ankara" not in got
    got = attacked("KARACHI/LAHORE \u2014 Missiles struck Sialkot overnight, officials said.")
    assert "Sialkot" in got and "Karachi" not in got and "Lahore" not in got


# -------------------------------------------------------------------------------- framed descriptions
def test_frame_reaches_a_place_through_its_description():
    got = attacked("Officials said the jets struck the port city Mukalla as well as Taiz and Marib provinces.")
    assert {"Mukalla", "Taiz province", "Marib province"} <= set(got)


def test_fire_aimed_at_part_of_a_country_names_the_country():
    got = attacked("The militia fired dozens of rockets at northern Israel on Wednesday.")
    assert "Israel" in got


def test_a_compass_part_that_locates_a_site_is_no_target():
    got = attacked("A drone started a fire at one of the largest refineries in central Russia on Wednesday.")
    assert "Russia" not in got


def test_shelling_areas_of_a_region():
    got = attacked("The rebels accused the junta of shelling residential areas of Kachin State on Wednesday.")
    assert "Kachin State" in got


def test_anaphoric_country_only_when_fire_is_put_on_it():
    got = attacked("A drone hit Tawila on Wednesday, shutting the last open airport in the country.")
    assert "Tawila" in got and "Sudan" not in got


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
    got = attacked("Jets bombed a school in Letpanhla village in the Magway region on Tuesday.")
    assert "Letpanhla" in got and "Magway region" not in got


# ------------------------------------------------------------------------------------------- dates
def test_region_that_locates_a_town_takes_no_date_from_it():
    text = ("Rockets were launched at the Bekaa Valley on Wednesday. "
            "Earlier, a rocket hit Baalbek, in the Bekaa Valley, on February 2.")
    got = attacked(text)
    assert got["Bekaa Valley"] == {date(2024, 3, 13)}


def test_a_day_earlier_dates_a_background_attack():
    text = ("A military jet bombed the village of Letpanhla on Tuesday, killing 23 people. "
            "A day earlier, bombs dropped on Taunggyi killed four civilians.")
    got = attacked(text)
    assert got["Letpanhla"] == {date(2024, 3, 12)}
    assert got["Taunggyi"] == {date(2024, 3, 11)}


# ------------------------------------------------------------------------------------------- sites
def test_site_located_in_a_town_elsewhere_belongs_to_the_town():
    text = ("A shell hit the Kamal Adwan Hospital in Beit Lahia on Wednesday. "
            "Nurses said the patients had been moved. "
            "A doctor said the strike on the Kamal Adwan Hospital had destroyed the generator.")
    got = attacked(text)
    assert "Beit Lahia" in got and "Kamal Adwan Hospital" not in got


def test_site_near_a_reference_town_is_the_target():
    got = attacked("Drones flew toward their main target, the Tel Nof air base near Ashkelon, on Wednesday.")
    assert "Tel Nof air base" in got and "Ashkelon" not in got


def test_ships_in_apposition_to_an_attacked_noun():
    got = attacked("Three of the drones hit cargo vessels, the Sea Harmony and the Blue Marlin IV, on Wednesday.")
    assert {"Sea Harmony", "Blue Marlin IV"} <= set(got)


def test_exchanged_fire_along_a_line():
    got = attacked("Along the Line of Control, both militaries exchanged mortar fire until dawn.")
    assert got.get("Line of Control") == {THURSDAY}


def test_yet_another_figure_is_not_another_attack():
    got = attacked("Rockets hit Ashkelon on Wednesday, killing two people. Sirens wailed for an hour. "
                   "Later the militia gave yet another figure for "
                   "the drones fired at the Tel Nof air base.", published=date(2024, 3, 15))
    assert got.get("Tel Nof air base") == {date(2024, 3, 13)}


def test_damage_to_names_an_attack():
    got = attacked("A ballistic missile caused light damage to homes in Eilat on Wednesday.")
    assert "Eilat" in got


# --------------------------------------------------------------------------------- communications
def comms(text: str) -> list[set[str]]:
    return [{p.label for p in e.participants} for e in read(text).events if e.type == "communication"]


def test_coordinated_calls_after_a_definite_meeting_are_separate_events():
    got = comms("The summit came after a phone call between Emmanuel Macron and Olaf Scholz in May and a call "
                "between Antony Blinken and Wang Yi on Friday.")
    assert {"Emmanuel Macron", "Olaf Scholz"} in got
    assert any({"Antony Blinken", "Wang Yi"} <= g and "Emmanuel Macron" not in g for g in got)


def test_appositive_subject_of_a_verb_cue_is_a_party():
    got = comms("A rebel spokesman said the movement's negotiator, Kamal Bakri, had informed Oman and Turkey of its answer.")
    assert any({"Kamal Bakri", "Oman", "Turkey"} <= g for g in got)


def test_count_in_a_quarter_of_a_city_attacks_the_city():
    got = attacked("Air strikes killed 37 people across the country on Wednesday, "
                   "after the talks ended, including 6 tenants of a building in the Haret Hreik neighbourhood of Sidon.")
    assert "Sidon" in got and "Haret Hreik" not in got


def test_region_object_of_the_verb_stays_a_target_before_its_town():
    got = attacked("The rebels accused the junta of continuing to shell residential parts of Rakhine State, "
                   "including its main city, Kyaukphyu, on Wednesday.")
    assert {"Rakhine State", "Kyaukphyu"} <= set(got)


def test_fronted_region_still_yields_to_its_town():
    got = attacked("In the Zakarpattia region, drones hit Uzhhorod on Wednesday.")
    assert "Uzhhorod" in got and "Zakarpattia region" not in got


def test_site_in_a_report_filed_from_its_town():
    text = ("LATAKIA \u2014 Engineers gathered on Wednesday to plan repairs.\n"
            "Then drones targeted the Hmeimim air base, a hangar and a fuel depot.")
    got = attacked(text)
    assert "Latakia" in got and "Hmeimim air base" not in got


def test_site_located_elsewhere_is_not_moved_to_the_filing_town():
    text = ("JERUSALEM \u2014 Officials spoke on Wednesday.\n"
            "Then a missile caused damage at the Tel Nof air base near Ashkelon.")
    got = attacked(text)
    assert "Jerusalem" not in got


def test_undated_attack_takes_the_day_its_paragraph_set():
    text = ("On Tuesday morning the square outside the theatre was busy with families. It was a holiday. "
            "At noon a ballistic missile struck Chernihiv, killing seven people.")
    got = attacked(text)
    assert got["Chernihiv"] == {date(2024, 3, 12)}
