"""Typed records passed between pipeline stages. Plain frozen dataclasses: no behaviour, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

CATEGORIES = ("person", "organization", "country", "place", "weapon")
QUANTITY_KINDS = ("launched", "intercepted", "killed", "injured", "damaged")


@dataclass(frozen=True)
class Article:
    """One article as read from disk: its id, metadata and body text (offsets refer to `text`)."""

    id: str
    text: str
    title: str = ""
    date: date | None = None
    url: str = ""
    source_path: str = ""


@dataclass(frozen=True)
class Span:
    """A character span of the article body: [start, end) and the exact text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A real-world entity: `iri` is shared across articles; `category` is one of CATEGORIES."""

    iri: str
    category: str
    label: str
    wikidata: str = ""
    geonames: str = ""
    lat: float | None = None
    lon: float | None = None
    country_code: str = ""
    feature_type: str = ""


@dataclass(frozen=True)
class Mention:
    """A place in the text where an entity is named (or referred to by pronoun or title)."""

    entity: Entity
    span: Span
    sentence: int
    kind: str = "name"  # name | alias | demonym | metonym | pronoun | description


@dataclass(frozen=True)
class TimeRef:
    """A date resolved from an expression in the text ("late Thursday" -> 2025-07-03)."""

    value: date | None
    expression: str
    span: Span | None = None


@dataclass
class Quantity:
    """An explicit count of one kind, with what it counts and who claims it."""

    kind: str
    value: int
    span: Span
    sentence: int
    qualifier: str = ""
    weapon: Entity | None = None
    place: Entity | None = None
    object_label: str = ""
    object_iri: str = ""
    claimant: Entity | None = None
    subset_of: int | None = None  # index of the count this one is part of
    event: int | None = None  # index into Extraction.events


@dataclass(frozen=True)
class Target:
    """Something an attack hit or damaged, counted or not ("Poland's consular office", "a maternity hospital")."""

    label: str
    span: Span
    sentence: int
    owner: Entity | None = None
    object_iri: str = ""


@dataclass
class Event:
    """An attack, interception, communication or statement with its roles."""

    type: str  # attack | interception | communication | statement
    subtype: str  # class local name in the ontology, e.g. DroneStrike, PhoneCall
    span: Span
    sentence: int
    places: list[Entity] = field(default_factory=list)
    participants: list[Entity] = field(default_factory=list)  # attacker(s) or parties
    weapons: list[Entity] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    time: TimeRef | None = None
    claimant: Entity | None = None
    part_of: int | None = None  # index of the event this one belongs to (an interception of an attack)


@dataclass(frozen=True)
class Quote:
    """A direct quotation and who said it."""

    text: str
    span: Span
    sentence: int
    speaker: Entity | None


@dataclass
class Extraction:
    """Everything read from one article."""

    article: Article
    mentions: list[Mention]
    quantities: list[Quantity]
    events: list[Event]
    quotes: list[Quote]
    sentences: list[Span] = field(default_factory=list)  # every sentence, by index
