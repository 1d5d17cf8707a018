"""Event resolution on hand-made reports: which reports become one canonical event and which stay apart."""
from __future__ import annotations

import itertools
import random
from datetime import date

from kg.resolve import EventReport, Figure, resolve
from kg.resolve.quads import resolution_quads

UA, RU, IL = "urn:c:UA", "urn:c:RU", "urn:c:IL"
KHARKIV, LVIV, ODESA, CHORNOMORSK = "urn:p:kharkiv", "urn:p:lviv", "urn:p:odesa", "urn:p:chornomorsk"
ODESA_REGION = "urn:p:odesa-region"
ADMIN = {KHARKIV: "UA.07", LVIV: "UA.15", ODESA: "UA.17", CHORNOMORSK: "UA.17", ODESA_REGION: "UA.17"}
LEVEL = {UA: "country", ODESA_REGION: "region"}
DRONE, MISSILE = "urn:w:drone", "urn:w:missile"


def rep(article: str, place: str, day: date | None, n: int = 1, published: date | None = None,
        precision: str = "day", actors: tuple[str, ...] = (RU,), figures: tuple[Figure, ...] = (),
        kind: str = "attack", country: str = UA) -> EventReport:
    return EventReport(article=article, published=published or day, event=f"urn:a:{article}#event-{n}", type=kind,
                       date=day, precision=precision if day else "none", place=place,
                       level=LEVEL.get(place, "city" if place else ""), country=country if place else "",
                       admin1=ADMIN.get(place, ""), actors=actors, weapons=(DRONE,), families=(DRONE,),
                       figures=figures, labels=((place, place.rsplit(":", 1)[-1]),) if place else ())


def fig(article: str, k: int, kind: str, value: int, claimant: str = "urn:x:governor") -> Figure:
    return Figure(f"urn:a:{article}#q-{k}", kind, value, claimant, k * 10)


D = date(2025, 3, 11)


def groups(events) -> set[frozenset[str]]:
    return {frozenset(link.article for link in e.links) for e in events}


def test_three_articles_of_one_attack_are_one_event_with_the_latest_toll():
    events = resolve([
        rep("a", KHARKIV, D, figures=(fig("a", 1, "killed", 4), fig("a", 2, "injured", 19))),
        rep("b", KHARKIV, D, published=date(2025, 3, 12), figures=(fig("b", 1, "killed", 7),)),
        rep("c", KHARKIV, D, actors=(RU,), figures=(fig("c", 1, "killed", 30, "urn:x:ministry"),))])
    assert len(events) == 1
    ev = events[0]
    assert sorted(link.article for link in ev.links) == ["a", "b", "c"]
    # the governor's later 7 supersedes his 4; the other claimant's 30 is the highest latest figure
    assert ("urn:a:a#q-1", "urn:a:b#q-1") in ev.superseded
    assert dict((k, v) for k, v, _q in ev.figures) == {"killed": 30, "injured": 19}
    assert all("sameDate" in link.signals and "samePlace" in link.signals for link in ev.links)


def test_consecutive_nights_and_another_city_stay_apart():
    events = resolve([rep("a", ODESA, D), rep("b", ODESA, date(2025, 3, 12)), rep("c", LVIV, D), rep("d", ODESA, D)])
    assert groups(events) == {frozenset({"a", "d"}), frozenset({"b"}), frozenset({"c"})}


def test_result_does_not_depend_on_input_order():
    reports = [rep("a", ODESA, D), rep("b", ODESA_REGION, D), rep("c", UA, D), rep("d", LVIV, D),
               rep("e", ODESA, None, published=date(2025, 3, 13)), rep("f", ODESA, date(2025, 3, 12), precision="inferred"),
               rep("g", KHARKIV, D, actors=("urn:x:other",)), rep("h", KHARKIV, D, actors=("urn:x:third",))]
    first = resolve(reports)
    for perm in itertools.islice(itertools.permutations(reports), 0, 200, 7):
        assert resolve(list(perm)) == first
    shuffled = reports[:]
    random.Random(5).shuffle(shuffled)
    assert resolve(shuffled + shuffled[:3]) == first  # a report given twice counts once


def test_canonical_iri_comes_from_what_defines_the_attack():
    one = resolve([rep("a", ODESA, D), rep("b", ODESA, D)])[0].iri
    other = resolve([rep("x", ODESA, D, n=7)])[0].iri
    assert one == other and "2025-03-11" in one and "odesa" in one
    assert resolve([rep("x", ODESA, date(2025, 3, 12))])[0].iri != one


def test_region_report_joins_the_one_city_attack_of_that_day_in_the_region():
    events = resolve([rep("a", ODESA, D), rep("b", ODESA_REGION, D), rep("c", LVIV, D)])
    assert groups(events) == {frozenset({"a", "b"}), frozenset({"c"})}
    link = next(link for e in events for link in e.links if link.article == "b")
    assert "placeWithin" in link.signals
    # two cities of the region hit that day: the region report cannot tell which, so it stands alone
    events = resolve([rep("a", ODESA, D), rep("c", CHORNOMORSK, D), rep("b", ODESA_REGION, D)])
    assert frozenset({"b"}) in groups(events)
    # ...unless its own article names the other city separately
    events = resolve([rep("a", ODESA, D), rep("b", CHORNOMORSK, D, n=2), rep("b", ODESA_REGION, D)])
    assert groups(events) == {frozenset({"a", "b"}), frozenset({"b"})}
    assert any(len(e.links) == 2 and {link.article for link in e.links} == {"a", "b"} and e.place == ODESA for e in events)


def test_a_nationwide_barrage_is_its_own_event_with_the_city_attacks_as_parts():
    events = resolve([rep("a", UA, D), rep("a", ODESA, D, n=2), rep("b", ODESA, D), rep("a", LVIV, D, n=3),
                      rep("c", KHARKIV, date(2025, 3, 12))])
    barrage = next(e for e in events if e.place == UA)
    parts = {e.iri for e in events if e.place in (ODESA, LVIV)}
    assert set(barrage.parts) == parts and len(barrage.links) == 1


def test_different_attackers_on_one_place_and_day_are_two_attacks():
    events = resolve([rep("a", KHARKIV, D, actors=("urn:x:houthis",)), rep("b", KHARKIV, D, actors=("urn:x:iran",)),
                      rep("c", KHARKIV, D, actors=("urn:x:iran",))])
    assert groups(events) == {frozenset({"a"}), frozenset({"b", "c"})}
    # an attacker that is the attacked place's own country is the other side's garbled version: not a conflict
    events = resolve([rep("a", KHARKIV, D, actors=(RU,)), rep("b", KHARKIV, D, actors=(UA,))])
    assert len(events) == 1 and events[0].actors == (RU,)


def test_a_report_dated_without_expression_joins_the_best_attested_attack_in_its_window():
    stated = [rep("a", ODESA, D), rep("b", ODESA, D), rep("c", ODESA, date(2025, 3, 12))]
    late = rep("d", ODESA, date(2025, 3, 13), precision="inferred")
    events = resolve(stated + [late])
    joined = next(e for e in events if any(link.article == "d" for link in e.links))
    assert joined.date == D and "publicationWindow" in next(l for l in joined.links if l.article == "d").signals
    # a tie between two attacks of the window: it stays on its own
    tie = resolve([rep("a", ODESA, D), rep("c", ODESA, date(2025, 3, 12)), late])
    assert frozenset({"d"}) in groups(tie)
    # beyond the window: its own attack
    far = resolve([rep("a", ODESA, D), rep("d", ODESA, date(2025, 3, 20), precision="inferred")])
    assert len(far) == 2


def test_an_undated_mention_joins_the_recent_attack_on_its_place_or_stands_alone():
    events = resolve([rep("a", KHARKIV, D), rep("z", KHARKIV, None, published=date(2025, 3, 13))])
    assert len(events) == 1
    events = resolve([rep("a", KHARKIV, D), rep("z", KHARKIV, None, published=date(2025, 5, 1))])
    assert len(events) == 2 and any(e.date is None and e.day == "2025-05-01" for e in events)


def test_unknown_figures_are_absent_not_zero():
    ev = resolve([rep("a", KHARKIV, D, figures=(fig("a", 1, "injured", 3),))])[0]
    assert [k for k, _v, _q in ev.figures] == ["injured"]
    text = " ".join(str(q) for q in resolution_quads([ev]))
    assert "#killed>" not in text and "#injured>" in text


def test_only_named_claimants_have_superseded_figures():
    ev = resolve([rep("a", KHARKIV, D, figures=(fig("a", 1, "killed", 2, ""), fig("a", 2, "killed", 9, "")))])[0]
    assert ev.superseded == () and dict((k, v) for k, v, _q in ev.figures) == {"killed": 9}


def test_communications_with_two_shared_parties_on_one_day_are_one_call():
    a, b, c = "urn:x:a", "urn:x:b", "urn:x:c"
    events = resolve([rep("x", "", D, kind="communication", actors=(a, b)),
                      rep("y", "", D, kind="communication", actors=(a, b, c)),
                      rep("z", "", D, kind="communication", actors=(a, c)),
                      rep("w", "", date(2025, 3, 12), kind="communication", actors=(a, b))])
    assert groups(events) == {frozenset({"x", "y", "z"}), frozenset({"w"})}


def test_quads_put_each_event_in_its_day_graph_with_reports_and_signals():
    events = resolve([rep("a", ODESA, D), rep("b", ODESA, D)])
    quads = resolution_quads(events)
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/conflict-kg/graph/events/2025-03-11"}
    predicates = {q.predicate.value.rsplit("#", 1)[-1] for q in quads}
    assert {"report", "resolution", "signal", "reportCount", "linkedReport"} <= predicates


def test_counts_of_different_weapons_add_up_and_a_total_wins_when_larger():
    drones = Figure("urn:a:a#q-1", "launched", 539, "urn:x:af", 10, "urn:w:shahed")
    missiles = Figure("urn:a:a#q-2", "launched", 11, "urn:x:af", 20, "urn:w:kh-101")
    ev = resolve([rep("a", KHARKIV, D, figures=(drones, missiles))])[0]
    assert ev.figures == (("launched", 550, ("urn:a:a#q-1", "urn:a:a#q-2")),)
    total = Figure("urn:a:b#q-1", "launched", 560, "urn:x:af", 5, "")
    ev = resolve([rep("a", KHARKIV, D, figures=(drones, missiles)),
                  rep("b", KHARKIV, D, published=date(2025, 3, 12), figures=(total,))])[0]
    assert ev.figures == (("launched", 560, ("urn:a:b#q-1",)),)


def test_resolving_a_window_of_days_gives_the_same_events_as_resolving_everything():
    """What incremental `kg add` relies on: the events of the days within WINDOW of a change depend only
    on the reports within 2 x WINDOW of it."""
    from datetime import timedelta

    from kg.resolve.cluster import WINDOW
    from kg.resolve.stored import widen

    rng = random.Random(3)
    places = [KHARKIV, LVIV, ODESA, CHORNOMORSK, ODESA_REGION, UA]
    reports = []
    for i in range(400):
        published = date(2025, 1, 1) + timedelta(days=rng.randrange(60))
        day = published - timedelta(days=rng.choice([0, 0, 1, 2, 4]))
        reports.append(rep(f"a{i:03d}", rng.choice(places), rng.choice([day, day, None]), published=published,
                           precision=rng.choice(["day", "day", "inferred"]),
                           actors=(rng.choice([RU, RU, "urn:x:other"]),),
                           figures=(fig(f"a{i:03d}", 1, "killed", rng.randint(1, 9)),)))
    everything = resolve(reports)
    for changed in ({"2025-01-20"}, {"2025-02-01", "2025-02-09"}, {"2025-01-01"}):
        redo = widen(changed, WINDOW)
        near = widen(changed, 2 * WINDOW)
        window = [r for r in reports if r.anchor.isoformat() in near]
        assert [e for e in resolve(window) if e.day in redo] == [e for e in everything if e.day in redo]


def test_compacted_reports_are_equal_and_share_their_repeated_strings():
    from kg.resolve.model import compact

    # as from two worker processes: equal strings, distinct objects
    a = rep("a1", "".join(["urn:p:", "harlow"]), D, figures=(fig("a1", 1, "killed", 3, "".join(["urn:x:", "gov"])),))
    b = rep("a2", "".join(["urn:p:", "harlow"]), D, figures=(fig("a2", 1, "killed", 4, "".join(["urn:x:", "gov"])),))
    assert a.place is not b.place
    ca, cb = compact(a), compact(b)
    assert ca == a and cb == b
    assert ca.place is cb.place and ca.labels[0][1] is cb.labels[0][1]
    assert ca.figures[0].claimant is cb.figures[0].claimant
    assert groups(resolve([ca, cb])) == groups(resolve([a, b]))
