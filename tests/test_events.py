"""Events: attacked places with date and attacker; communications with parties; no false targets."""
from __future__ import annotations

from datetime import date

from tests.conftest import read


def attacks(text: str, published=date(2025, 7, 4)):
    return {(e.places[0].label, e.time.value if e.time else None, e.participants[0].label if e.participants else None)
            for e in read(text, published=published).events if e.type == "attack"}


def comms(text: str):
    return [{p.label for p in e.participants} for e in read(text).events if e.type == "communication"]


def test_attack_places_dates_and_attacker():
    got = attacks("Russian drones attacked Odesa overnight, damaging port facilities. "
                  "Late Thursday, shelling killed two people in Nikopol.")
    assert ("Odesa", date(2025, 7, 4), "Russia") in got
    assert ("Nikopol", date(2025, 7, 3), "Russia") in got


def test_origins_bearings_interceptions_and_titles_are_not_targets():
    got = attacks("Missiles fired from the Black Sea hit Izmail, 200 km south of Odesa, the governor of the "
                  "Odesa region said. Air defences shot down drones over the Mykolaiv region.")
    places = {p for p, _, _ in got}
    assert "Izmail" in places
    assert not places & {"Black Sea", "Odesa", "Odesa region", "Mykolaiv region"}


def test_ukrainian_attack_on_russia():
    got = attacks("Ukrainian drones struck an oil depot in Tuapse on Sunday, the Russian governor said.",
                  published=date(2025, 7, 6))
    assert ("Tuapse", date(2025, 7, 6), "Ukraine") in got


def test_communications_and_hypothetical_talks():
    got = comms("Erdogan held a phone call with Putin on Tuesday. Zelensky later met Macron in Paris. "
                "Kyiv has proposed talks between Zelensky and Putin.")
    assert {"Recep Tayyip Erdogan", "Vladimir Putin"} in got
    assert {"Volodymyr Zelensky", "Emmanuel Macron"} in got
    assert not any({"Volodymyr Zelensky", "Vladimir Putin"} <= g for g in got)


def test_counts_link_to_their_attack():
    x = read("A ballistic missile hit Poltava on Friday, killing 12 people.")
    attack = next(i for i, e in enumerate(x.events) if e.type == "attack")
    assert all(q.event == attack for q in x.quantities)
    assert x.events[attack].subtype == "MissileStrike"
