"""Context shared by the quantity, event and quote extractors.

- place references in a sentence: place mentions that are not origins (anywhere in a "from ..." phrase),
  bearings ("southwest of"), parts of a person's title ("governor of the X region") or attackers'
  possessives ("Russia's attack on Kyiv"), plus anaphors ("the city", "the region", "the Russian capital",
  "the hospital", "the nationwide toll") resolved to the place they stand for;
- who says a sentence: "according to X", "X said ...", "..., X said", "he said" (the last person named);
- the article's focus place: where its first attack happened.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model import Entity, Mention
from ..text import normalize
from . import cues
from .doc import Doc
from .mentions import entity_from_concept, entity_from_town

ACTOR_CATEGORIES = {"person", "organization", "country"}
_ANAPHOR = re.compile(r"\b[Tt]he\s+(?:(?P<demonym>[A-Z][a-z]+)\s+)?(?P<noun>capital city|capital|city|region|oblast|town|village|province|regional capital|country)\b(?!\s+of\b)(?!'s)")
# a launch area named anywhere inside a "from ..." phrase, which runs until punctuation, a target preposition
# or the next verb: "from ten Tu-95MS bombers flying over the Volgodonsk area and over the Caspian Sea"
_ORIGIN_PHRASE = re.compile(r"\bfrom\s+(?![^,;:\u2014\u2013()]*?\b(?:at|on|against|towards?|into|onto|hit|hitting|struck|"
                            r"killing|killed|wounding|dropped|fired|launched|targeting|attacked|shelled|and\s+then)\b)"
                            r"[^,;:\u2014\u2013()]*$", re.I)
_NATIONWIDE = re.compile(r"\b(?:nationwide|countrywide|national)\s+(?=(?:death\s+)?toll\b|tally\b|total\b)", re.I)
_TITLE_OF = re.compile(r"\b(?:governor|mayor|head|chief|administration|governors|official|officials|authorities|"
                       r"police|prosecutor|prosecutors|council|commander|native|hometown)\s+(?:of\s+)?(?:the\s+)?$", re.I)
_TITLE_AFTER = re.compile(r"(?:'s|\u2019s)?\s+(?:regional\s+|city\s+|military\s+)?(?:governor|mayor|administration|"
                          r"authorities|officials|police|prosecutor|council|head|chief)\b", re.I)
_BEARING = re.compile(r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|"
                      r"western|kilometres|kilometers|km|miles|metres|meters|border|outskirts)\s+(?:of|from|with)\s+(?:the\s+)?$", re.I)
_TARGET_BEFORE = re.compile(r"\b(?:in|over|near|at|on|onto|towards|toward|outside|around|across|into|inside|within|"
                            r"throughout|against|for|of|hit|struck|targeted|attacked|shelled|bombed)\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+|village\s+of\s+)?"
                            r"(?:[A-Z][a-z]+(?:'s|\u2019s)\s+)?$", re.I)
_ORIGIN_BEFORE = re.compile(r"\b(?:from|between|(?<!approach )(?<!approaches )(?<!way )(?<!heading )(?<!headed )(?<!flying )to|"
                            r"via|visit|visited|visiting|travelled|traveled|travel)\s+(?:the\s+)?$", re.I)


@dataclass(frozen=True)
class PlaceRef:
    """A place a sentence refers to, at a character offset, and whether a target preposition frames it."""

    start: int
    end: int
    entity: Entity
    framed: bool


def is_title_apposition(doc: Doc, start: int) -> bool:
    return bool(_TITLE_OF.search(doc.text[max(0, start - 40):start]))


def place_refs(doc: Doc, mentions: list[Mention], sentence: int) -> list[PlaceRef]:
    """Places (and countries framed as places) a sentence refers to, in text order."""
    s = doc.sentences[sentence]
    refs: list[PlaceRef] = []
    dateline_end = _dateline_end(doc)
    place_starts = [x.span.start for x in mentions if x.sentence == sentence and x.entity.category == "place"]
    for m in mentions:
        if m.span.start < dateline_end:
            continue  # "KYIV —" says where the reporter was, not what was hit
        if m.sentence != sentence or m.kind in ("demonym", "metonym", "pronoun"):
            if not (m.sentence == sentence and m.kind == "demonym" and re.match(
                    r"\s+(?:territory|cities|towns|regions|soil|targets|infrastructure|energy)\b", doc.text[m.span.end:m.span.end + 16])):
                continue
        e = m.entity
        if e.category not in ("place", "country"):
            continue
        before = doc.text[max(s.start, m.span.start - 40):m.span.start]
        if _BEARING.search(before) or _ORIGIN_BEFORE.search(before) or is_title_apposition(doc, m.span.start):
            continue
        if _ORIGIN_PHRASE.search(doc.text, max(s.start, m.span.start - 120), m.span.start):
            continue  # "operating from the area of the village of Dubove in Russia's Belgorod region"
        if _TITLE_AFTER.match(doc.text, m.span.end):
            continue  # "Moscow regional governor ...", "Kharkiv mayor ...": part of a title
        if _possessor_only(doc, m, place_starts):
            continue
        framed = bool(_TARGET_BEFORE.search(before))
        if e.category == "country" and m.kind != "demonym" and not re.search(
                r"\b(?:in|on|at|against|across|into|over|throughout|inside|attacked|struck|hit|invaded|targeted|bombed|"
                r"shelled)\s+(?:the\s+)?(?:(?:southern|northern|eastern|western|central|north|south|east|west)\s+)?$|"
                r"\b(?:regions|parts|cities|areas|corners|oblasts|provinces)\s+of\s+(?:the\s+)?$", before):
            continue  # "the invasion of Ukraine" does not put a count in Ukraine
        refs.append(PlaceRef(m.span.start, m.span.end, e, framed))
    for a in _ANAPHOR.finditer(s.text):
        if a.group("demonym") and normalize(a.group("demonym")) not in doc.resources.lexicon.demonyms:
            continue  # "the Kursk region" is a name, not an anaphor
        start = s.start + a.start()
        before = doc.text[max(s.start, start - 40):start]
        if _ORIGIN_BEFORE.search(before) or _BEARING.search(before) or is_title_apposition(doc, start):
            continue  # "southeast of the capital" locates something else
        target = resolve_anaphor(doc, mentions, start, a.group("noun"), a.group("demonym"))
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, bool(_TARGET_BEFORE.search(before))))
    for a in _SITE_ANAPHOR.finditer(s.text):
        start = s.start + a.start()
        target = _resolve_site(doc, mentions, start, a.group("noun").lower())
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, bool(_TARGET_BEFORE.search(
                doc.text[max(s.start, start - 40):start]))))
    for a in _NATIONWIDE.finditer(s.text):
        start = s.start + a.start()
        target = resolve_anaphor(doc, mentions, start, "country", None)
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, True))
    refs.sort(key=lambda r: r.start)
    return refs


_POSSESSIVE = re.compile(r"(?:'s|\u2019s)\s+")
# what a possessor owns when it is the attacker: "Russia's drone and missile attack on Kyiv", "Iran's forces"
_AGENT_NOUN = re.compile(r"(?:[\w-]+\s+){0,4}?(?:attacks?|strikes?|assaults?|offensive|invasion|war|barrages?|"
                         r"bombardment|shelling|raids?|forces|troops|army|military|missiles?|drones?|rockets?|"
                         r"warplanes|aircraft|air\s+force|navy|government|leadership)\b"
                         r"(?!\s+(?:sites?|bases?|facilit(?:y|ies)|infrastructure|targets?|installations?|positions?|"
                         r"depots?|airfields?|industry|plants?|factor(?:y|ies)|programme|program))", re.I)
# between a country's possessive and the place it owns: "Russia's Bryansk region", "Azerbaijan's second city, Ganja"
_OWNED_PLACE_GAP = re.compile(r"(?:[a-z-]+\s+){0,3}(?:[a-z-]+,\s+)?")


def _possessor_only(doc: Doc, m: Mention, place_starts: list[int]) -> bool:
    """A possessive that names the attacker, or a country whose own place is named right after it:
    the count belongs elsewhere ("Ukraine's energy grid" still puts it in the country)."""
    p = _POSSESSIVE.match(doc.text, m.span.end)
    if not p:
        return False
    if _AGENT_NOUN.match(doc.text, p.end()):
        return True
    if m.entity.category != "country":
        return False
    i = bisect.bisect_left(place_starts, p.end())
    if i == len(place_starts):
        return False
    gap = _OWNED_PLACE_GAP.fullmatch(doc.text, p.end(), place_starts[i])
    return gap is not None


# "the hospital", "the camp": the named site of that kind mentioned last
_SITE_WORDS = {"hospital": ("hospital", "medical center", "medical centre", "clinic"), "camp": ("camp",),
               "airport": ("airport", "airfield"), "airfield": ("airfield", "airport"), "refinery": ("refinery",),
               "plant": ("plant", "power station"), "base": ("base",), "port": ("port",), "market": ("market",),
               "mall": ("mall", "shopping centre", "shopping center"), "theater": ("theater", "theatre"),
               "theatre": ("theatre", "theater"), "station": ("station",)}
_SITE_ANAPHOR = re.compile(r"\b[Tt]he\s+(?P<noun>" + "|".join(_SITE_WORDS) + r")\b(?!\s+of\b)")


def _resolve_site(doc: Doc, mentions: list[Mention], offset: int, noun: str) -> Entity | None:
    words = _SITE_WORDS[noun]
    for m in reversed([m for m in mentions if m.span.start < offset]):
        if m.entity.category == "place" and m.kind in ("name", "alias") and any(
                w in (m.span.text + " " + m.entity.label).lower() for w in words):
            return m.entity
    return None


_ACTS_AFTER = re.compile(r"\s+(?:said|says|did|does|has|have|had|will|would|accused|denied|claimed|blamed|warned|"
                         r"responded|rejected)\b")
_ACTS_BEFORE = re.compile(r"\bby\s+$")


def _acts(doc: Doc, m: Mention) -> bool:
    """A capital standing for its government ("an attempt by Kyiv", "Kyiv did not comment") is not a place."""
    return bool(_ACTS_AFTER.match(doc.text, m.span.end) or _ACTS_BEFORE.search(doc.text, max(0, m.span.start - 8), m.span.start)
                or (_POSSESSIVE.match(doc.text, m.span.end) and _AGENT_NOUN.match(doc.text, _POSSESSIVE.match(doc.text, m.span.end).end())))


def resolve_anaphor(doc: Doc, mentions: list[Mention], offset: int, noun: str, demonym: str | None) -> Entity | None:
    """'the city' -> the last city named before; 'the Russian capital' -> Moscow; 'the region' -> last region."""
    lex = doc.resources.lexicon
    if "capital" in noun and noun != "regional capital":
        country = lex.demonyms.get(normalize(demonym)) if demonym else None
        if country:
            cap = lex.concepts[country].capital
            for m in mentions:
                if m.entity.category == "place" and normalize(m.span.text) == normalize(cap):
                    return m.entity
            town = doc.resources.gazetteer.best(cap, {lex.concepts[country].country_code})
            if town:
                return entity_from_town(doc, town)
        capitals = set(lex.capitals)
        for m in reversed([m for m in mentions if m.span.start < offset]):
            if m.entity.category == "place" and normalize(m.entity.label) in capitals and not _acts(doc, m):
                return m.entity
        return None
    if noun == "country":  # "across the country": the country of the last place named (not a country acting)
        for m in reversed([m for m in mentions if m.span.start < offset]):
            code = m.entity.country_code if m.entity.category == "place" and m.kind == "name" else ""
            if code and code in lex.countries_by_code:
                return entity_from_concept(doc, lex.concepts[lex.countries_by_code[code]])
        return None
    wanted = {"city": "city", "town": "city", "village": "city", "regional capital": "city", "capital city": "city",
              "region": "region", "oblast": "region", "province": "region"}[noun]
    for m in reversed([m for m in mentions if m.span.start < offset]):
        if m.entity.category == "place" and _ORIGIN_PHRASE.search(
                doc.text, max(doc.sentences[m.sentence].start, m.span.start - 120), m.span.start):
            continue  # a launch area is not what "the city" hit
        if m.entity.category == "place" and m.kind != "metonym" and (m.entity.feature_type or "city") == wanted \
                and not is_title_apposition(doc, m.span.start) or (
                m.entity.category == "place" and wanted == "region" and m.entity.feature_type == "region"):
            return m.entity
    return None


def focus_place(doc: Doc, mentions: list[Mention]) -> Entity | None:
    """The place the article is about: the first place framed as a target in a sentence that reports
    harm or attack; else the most mentioned city; the dateline counts only when nothing else does."""
    dateline_end = _dateline_end(doc)
    for s in doc.sentences:
        if not _ATTACKISH.search(s.text):
            continue
        refs = [r for r in place_refs(doc, mentions, s.index) if r.start >= dateline_end]
        framed = [r for r in refs if r.framed or r.entity.category == "place"]
        if framed:
            return framed[0].entity
    counts: dict[str, tuple[int, Entity]] = {}
    for m in mentions:
        if m.entity.category == "place" and m.kind == "name":
            n, _ = counts.get(m.entity.iri, (0, m.entity))
            counts[m.entity.iri] = (n + 1, m.entity)
    if counts:
        return max(counts.values(), key=lambda x: x[0])[1]
    return None


_ATTACKISH = re.compile(r"\b(?:attack\w*|strik\w*|struck|hit|shell\w*|bomb\w*|kill\w*|dead|died|wound\w*|injur\w*|"
                        r"missile\w*|drones?|launch\w*|fired|explosion\w*|blasts?|raid\w*|barrage|assault|onslaught|destroy\w*|damag\w*)\b", re.I)


def _dateline_end(doc: Doc) -> int:
    m = re.match(r"^\s*[A-Z][A-Z .'\u2019-]+(?:,\s*[A-Z][A-Za-z .'-]+)?\s*[\u2014\u2013-]+\s", doc.text)
    return m.end() if m else 0


def is_attackish(text: str) -> bool:
    return bool(_ATTACKISH.search(text))


# ------------------------------------------------------------------------------------ attribution
_ACCORDING = re.compile(r"\baccording to\s+", re.I)
_PRONOUN = re.compile(r"\b(he|she|they)\b", re.I)


def last_person_before(doc: Doc, mentions: list[Mention], offset: int, skip_quotes: bool = True) -> Entity | None:
    """The last person named before `offset` outside quotations: the antecedent of 'he' or 'she'."""
    for m in reversed(mentions):
        if m.span.start >= offset:
            continue
        if m.entity.category == "person" and not (skip_quotes and doc.in_quote(m.span.start)):
            return m.entity
    return None


def actor_near(doc: Doc, mentions: list[Mention], start: int, end: int, prefer: str = "last") -> Entity | None:
    """The actor named between two offsets outside quotes (the last one by default)."""
    found = [m for m in mentions if start <= m.span.start and m.span.end <= end and m.entity.category in ACTOR_CATEGORIES
             and m.kind != "demonym" and not doc.in_quote(m.span.start)]
    if not found:
        return None
    if prefer == "first_any":
        subjects = [m for m in found if m.entity.category in ("person", "organization")]
        return subjects[0].entity if subjects else None
    persons = [m for m in found if m.entity.category == "person"]
    pool = persons or found
    return (pool[-1] if prefer == "last" else pool[0]).entity


def resolve_description(doc: Doc, mentions: list[Mention], offset: int, phrase: str) -> Entity | None:
    """'the ministry' -> the last organization with 'Ministry' in its name; 'the mayor' -> the last person
    introduced with that title."""
    noun = phrase.split()[-1].lower()
    for m in reversed([m for m in mentions if m.span.start < offset]):
        if m.entity.category == "organization" and noun in m.entity.label.lower():
            return m.entity
        if m.entity.category == "person":
            intro = doc.text[max(0, m.span.start - 40):m.span.end + 60].lower()
            if re.search(rf"\b{re.escape(noun)}\b", intro):
                return m.entity
    return None


_DESCRIPTION = re.compile(r"\b[Tt]he\s+(ministry|mayor|governor|president|kremlin|agency|service|military|army|"
                          r"spokesman|spokeswoman|minister|company|police|commander)\b")


def sentence_source(doc: Doc, mentions: list[Mention], sentence: int, until: int | None = None,
                    nearest_verb: bool = False) -> Entity | None:
    """Who a sentence (or its part before `until`) reports: 'according to X', 'X said ...',
    '..., X said', 'the ministry said', 'he said', else the subject the sentence opens with."""
    s = doc.sentences[sentence]
    end = until if until is not None else s.end
    text = doc.text[s.start:end]
    floor = max(s.start, _dateline_end(doc))
    acc = _ACCORDING.search(text)
    if acc:
        who = actor_near(doc, mentions, s.start + acc.end(), min(end, s.start + acc.end() + 60), prefer="first")
        if who:
            return who
    subject = actor_near(doc, mentions, floor, end, prefer="first_any")
    verbs = list(re.finditer(r"\b(" + "|".join(sorted(cues.REPORTING_VERBS - {"according"})) + r")\b", text))
    if nearest_verb:  # a quotation belongs to the reporting verb right before it
        verbs.reverse()
    for m in verbs:
        at = s.start + m.start()
        if doc.in_quote(at):
            continue
        cut = max(text.rfind(",", 0, m.start()), text.rfind("\u2014", 0, m.start()), text.rfind(";", 0, m.start()))
        clause_start = max(floor, s.start + cut + 1)
        who = actor_near(doc, mentions, clause_start, at)
        if who is not None:
            return who
        clause = doc.text[clause_start:at]
        desc = _DESCRIPTION.search(clause)
        if desc:
            who = resolve_description(doc, mentions, at, desc.group(0))
            if who is not None:
                return who
        pron = _PRONOUN.search(clause)
        if pron and pron.group(1).lower() in ("he", "she"):
            return last_person_before(doc, mentions, at)
        if subject is not None and _first_actor_offset(doc, mentions, floor, at) is not None:
            return subject
        who = actor_near(doc, mentions, at, min(s.end, at + 60), prefer="first")
        if who is not None:
            return who
    if until is not None and subject is not None:
        return subject
    return None


def _first_actor_offset(doc: Doc, mentions: list[Mention], start: int, end: int) -> int | None:
    for m in mentions:
        if start <= m.span.start < end and m.entity.category in ("person", "organization") and not doc.in_quote(m.span.start):
            return m.span.start
    return None
