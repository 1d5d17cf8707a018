"""Typed, picklable records of event resolution (no behaviour, no I/O)."""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import date

# how a report's date is known: stated in the text ("on Friday"), taken without a date expression
# (publication date or context), or not known at all
PRECISIONS = ("day", "inferred", "none")
# the levels of the place hierarchy a report can be made at, most specific first
LEVELS = ("site", "district", "city", "region", "country", "")


@dataclass(frozen=True)
class Figure:
    """One count an article gives for an event: a claim by its claimant ("" when unattributed)."""

    quantity: str  # IRI of the article's ckg:Quantity
    kind: str  # launched | intercepted | killed | injured
    value: int
    claimant: str = ""
    position: int = 0  # character offset in the article: orders figures within one article
    weapon: str = ""  # IRI of the weapon counted ("" when the count names none)


@dataclass(frozen=True)
class EventReport:
    """One article-level attack or communication, with what resolution compares."""

    article: str  # article id
    published: date | None
    event: str  # IRI of the article's event
    type: str  # attack | communication
    date: date | None
    precision: str  # one of PRECISIONS
    place: str = ""  # IRI of the event's place ("" when none)
    level: str = ""  # one of LEVELS
    country: str = ""  # IRI of the country the place is in
    admin1: str = ""  # "CC.code" of the first-level region the place is in (or is)
    actors: tuple[str, ...] = ()  # attackers of an attack, parties of a communication (IRIs, sorted)
    weapons: tuple[str, ...] = ()  # weapon concept IRIs, sorted
    families: tuple[str, ...] = ()  # top SKOS concepts of those weapons, sorted
    figures: tuple[Figure, ...] = ()  # top-level counts (subsets excluded), in text order
    labels: tuple[tuple[str, str], ...] = ()  # (IRI, label) of every place, actor and weapon named above
    lat: float | None = None
    lon: float | None = None

    @property
    def anchor(self) -> date | None:
        """The day the report is filed under: its event date, else its article's publication date."""
        return self.date or self.published


@dataclass(frozen=True)
class Link:
    """Why one report belongs to its canonical event: the signals that tied it."""

    event: str  # the article event's IRI
    article: str  # article id
    signals: tuple[str, ...]  # local names of ckg signal concepts, e.g. ("sameType", "sameDate", "samePlace")


@dataclass(frozen=True)
class CanonicalEvent:
    """One real-world attack or communication, with the reports that tell it."""

    iri: str
    type: str  # attack | communication
    date: date | None
    precision: str
    day: str  # the named graph it is stored in: its date, else its first report's anchor day, else "undated"
    place: str
    level: str
    country: str
    admin1: str
    actors: tuple[str, ...]
    weapons: tuple[str, ...]
    links: tuple[Link, ...]  # sorted by event IRI
    figures: tuple[tuple[str, int, tuple[str, ...]], ...]  # (kind, value, quantity IRIs it is made of)
    claims: tuple[str, ...]  # every figure's quantity IRI
    superseded: tuple[tuple[str, str], ...]  # (older quantity, later quantity of the same claimant)
    claimants: tuple[str, ...]
    parts: tuple[str, ...] = ()  # canonical IRIs of the city attacks of a nationwide barrage
    labels: tuple[tuple[str, str], ...] = ()
    lat: float | None = None
    lon: float | None = None


def compact(r: EventReport) -> EventReport:
    """The same report with its repeated strings (places, actors, weapons, labels, claimants) shared with
    every other report that names them, so that a build holding the reports of many thousand articles
    keeps one copy of "Kyiv" and its IRI, not one per report."""
    i = sys.intern
    return replace(
        r, place=i(r.place), level=i(r.level), country=i(r.country), admin1=i(r.admin1),
        actors=tuple(map(i, r.actors)), weapons=tuple(map(i, r.weapons)), families=tuple(map(i, r.families)),
        figures=tuple(replace(f, kind=i(f.kind), claimant=i(f.claimant), weapon=i(f.weapon)) for f in r.figures),
        labels=tuple((i(a), i(b)) for a, b in r.labels), precision=i(r.precision), type=i(r.type))
