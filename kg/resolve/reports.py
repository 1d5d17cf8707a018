"""One EventReport per article-level attack or communication, from an article's Extraction."""
from __future__ import annotations

from ..lexicon import ancestors
from ..model import Entity, Event, Extraction
from ..rdf import article_iri
from .model import LEVELS, EventReport, Figure
from .places import PlaceFacts, PlaceIndex, default_place_index, place_facts

RESOLVED_TYPES = ("attack", "communication")
FIGURE_KINDS = ("launched", "intercepted", "killed", "injured")


def weapon_family(index: PlaceIndex, iri: str) -> str:
    """The top concept of a weapon's SKOS hierarchy (the weapon itself when it has no broader one)."""
    chain = ancestors(index.lexicon, iri)
    return chain[-1] if chain else iri


def country_label(index: PlaceIndex, iri: str) -> str:
    """The lexicon's name of a country."""
    concept = index.lexicon.concepts.get(iri)
    return concept.label if concept else ""


def precision_of(event: Event) -> str:
    """"day" for a date stated in the text, "inferred" for one taken without an expression, else "none"."""
    if event.time is None or event.time.value is None:
        return "none"
    return "day" if event.time.expression else "inferred"


def _main_place(index: PlaceIndex, places: list[Entity]) -> tuple[Entity | None, PlaceFacts | None]:
    # a store keeps an event's places unordered: pick the most specific, then the smallest IRI, in both paths
    if not places:
        return None, None
    ranked = sorted((LEVELS.index(f.level), p.iri, p, f) for p in places
                    for f in [place_facts(index, p.iri, p.category, p.feature_type, p.country_code)])
    return ranked[0][2], ranked[0][3]


def event_reports(x: Extraction, index: PlaceIndex | None = None) -> list[EventReport]:
    """The article's attacks and communications as reports to resolve (a pure function of the extraction)."""
    index = index or default_place_index()
    art = article_iri(x.article.id)
    reports = []
    for i, e in enumerate(x.events):
        if e.type not in RESOLVED_TYPES:
            continue
        members = {i} | {k for k, sub in enumerate(x.events) if sub.part_of == i}
        figures = tuple(sorted(
            (Figure(f"{art}#q-{k + 1}", q.kind, q.value, q.claimant.iri if q.claimant else "", q.span.start,
                    q.weapon.iri if q.weapon else "")
             for k, q in enumerate(x.quantities)
             if q.event in members and q.subset_of is None and q.kind in FIGURE_KINDS),
            key=lambda f: (f.position, f.quantity)))
        labels: dict[str, str] = {}
        for ent in [*e.places, *e.participants, *e.weapons]:
            labels[ent.iri] = ent.label
        for q in x.quantities:
            if q.event in members and q.subset_of is None and q.kind in FIGURE_KINDS and q.claimant is not None:
                labels[q.claimant.iri] = q.claimant.label
        place, facts = _main_place(index, e.places)
        weapons = tuple(sorted({w.iri for w in e.weapons}))
        if facts and facts.country:
            labels.setdefault(facts.country, country_label(index, facts.country))
        reports.append(EventReport(
            article=x.article.id, published=x.article.date, event=f"{art}#event-{i + 1}", type=e.type,
            date=e.time.value if e.time else None, precision=precision_of(e),
            place=place.iri if place else "", level=facts.level if facts else "",
            country=facts.country if facts else "", admin1=facts.admin1 if facts else "",
            actors=tuple(sorted({p.iri for p in e.participants})), weapons=weapons,
            families=tuple(sorted({weapon_family(index, w) for w in weapons})), figures=figures,
            labels=tuple(sorted(labels.items())),
            lat=place.lat if place else None, lon=place.lon if place else None))
    return reports
