"""Entities from what the extractor found: lexicon concepts, gazetteer towns and names no lexicon knows,
and whether a capital's name stands for its government. Shared by the mention finders (mentions.py,
names.py) and the later stages, so none of them imports another's internals.
"""
from __future__ import annotations

from typing import Protocol

from ..gazetteer import Town
from ..identity import name_key
from ..lexicon import Concept
from ..model import Entity, Mention
from . import cues
from .doc import Doc

KGA = "https://w3id.org/conflict-kg/actor/"
KGP = "https://w3id.org/conflict-kg/place/"


def slug(text: str) -> str:
    return name_key(text)  # distinct and stable in any script (kg/identity.py)


def entity_from_concept(doc: Doc, concept: Concept) -> Entity:
    """The Entity of a lexicon concept, with coordinates from the gazetteer for GeoNames places."""
    # an article names the same concepts again and again: the (frozen) Entity of a lexicon concept is made
    # once per article
    key = ("entity", concept.iri)
    hit = doc.memo.get(key)
    if hit is not None and hit[0] is concept:
        return hit[1]
    entity = _entity_from_concept(doc, concept)
    doc.memo[key] = (concept, entity)
    return entity


def _entity_from_concept(doc: Doc, concept: Concept) -> Entity:
    lat = lon = None
    geonames = concept.geonames
    if concept.iri.startswith("https://sws.geonames.org/"):
        geonames = concept.iri
        gid = concept.iri.rstrip("/").rsplit("/", 1)[-1]
        town = doc.resources.gazetteer.by_id.get(int(gid)) if gid.isdigit() else None
        if town:
            lat, lon = town.lat, town.lon
    return Entity(iri=concept.iri, category=concept.category, label=concept.label, wikidata=concept.wikidata,
                  geonames=geonames, lat=lat, lon=lon, country_code=concept.country_code,
                  feature_type=concept.feature_type or ("country" if concept.category == "country" else ""))


def entity_from_town(doc: Doc, town: Town) -> Entity:
    concept = doc.resources.lexicon.concepts.get(town.iri)
    if concept:  # a curated spelling overrides GeoNames' name
        return entity_from_concept(doc, concept)
    return Entity(iri=town.iri, category="place", label=town.name, geonames=town.iri, lat=town.lat,
                  lon=town.lon, country_code=town.country_code, feature_type="city")


def minted(category: str, label: str, feature_type: str = "", country_code: str = "") -> Entity:
    """An entity no lexicon knows: its IRI is made from its category and name, so articles share it."""
    base = KGP if category == "place" else KGA + ("person/" if category == "person" else "org/")
    suffix = f"-{country_code.lower()}" if category == "place" and country_code and feature_type == "region" else ""
    return Entity(iri=base + slug(label) + suffix, category=category, label=label, feature_type=feature_type,
                  country_code=country_code)


def is_metonym(doc: Doc, i: int, j: int) -> bool:
    """Is a capital city's name standing for its government here ('Moscow said', 'pressure on Ankara')?"""
    toks, text = doc.tokens, doc.text
    after = toks[j] if j < len(toks) and doc.token_sentence[j] == doc.token_sentence[i] else None
    before = toks[i - 1] if i > 0 and doc.token_sentence[i - 1] == doc.token_sentence[i] else None
    gap_after = text[toks[j - 1].end:after.start] if after else ""
    if after is not None and after.lower == "s" and gap_after in ("'", "\u2019"):
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        nxt2 = toks[j + 2] if j + 2 < len(toks) else None
        if nxt2 is not None and nxt2.lower in cues.CITY_POSSESSED:
            return False  # "Chernivtsi's military administration" is the city's
        return nxt is not None and nxt.lower in cues.METONYM_POSSESSED
    if before is not None and before.lower in cues.PLACE_PREPS:
        return False  # "rockets fired toward Haifa were shot down": the city is where, not who
    if after is not None and gap_after.strip() == "" and after.lower in cues.METONYM_VERBS:
        if after.lower in cues.AUXILIARIES:
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if nxt is not None and (nxt.lower in cues.PASSIVE_ATTACK or nxt.lower in cues.COPULA_COMPLEMENTS):
                return False
            if nxt is not None and nxt.lower in cues.BE_PARTICIPLES:
                n2 = toks[j + 2] if j + 2 < len(toks) else None
                return not (n2 is not None and n2.lower in cues.PASSIVE_ATTACK)
        return True
    if before is not None and before.lower in cues.METONYM_BEFORE:
        return True
    if before is not None and before.lower == "on" and i >= 2 and toks[i - 2].lower in cues.METONYM_ON_NOUNS:
        return True
    return False


class MentionFinder(Protocol):
    """What the name finders (kg/extract/names.py) use of the mention finder's state for one article."""

    doc: Doc
    covered: list[bool]
    mentions: list[Mention]

    def free(self, i: int, j: int) -> bool: ...

    def add(self, entity: Entity, i: int, j: int, kind: str = "name") -> None: ...

    def concept_entity(self, iri: str) -> Entity: ...

    def context_countries(self) -> set[str]: ...

    def place_with_head(self, name: str, head: str, word: str = "") -> Entity | None: ...
