"""Context shared by the quantity, event and quote extractors.

- place references in a sentence: place mentions that are not origins (anywhere in a "from ..." phrase),
  bearings ("southwest of", "west of the port of Mukalla"), parts of a person's title ("governor of the X
  region"), attackers' possessives ("Russia's attack on Konotop"), modifiers ("the Liberia-flagged vessel")
  or the ship that intercepted ("shot down by the destroyer X"), plus anaphors ("the city", "the region",
  "the Lithuanian capital", "the hospital", "the territory", "across the south", "the nationwide toll")
  resolved to the place they stand for, and a force's sites ("Turkish army bases") as its country;
- who says a sentence: "according to X", "X said ...", "..., X said", "he said" (the last person named);
- the article's focus place: where its first attack happened (never the dateline, "HAIFA, May 12 (Reuters) —").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model import Entity, Mention
from ..text import normalize
from . import cues
from .dateline import dateline_end as _dateline_text_end
from .scan import folded
from .doc import Doc
from .entities import entity_from_concept, entity_from_town
from .mention_index import in_sentence, places_before, starting_before, starting_in

ACTOR_CATEGORIES = {"person", "organization", "country"}
# how far back (and, for an aide, forward) in characters a description ("the mayor") looks for whom it means:
# longer than any real article, so only a pathological one (megabytes of text) meets the bound, which keeps
# each look-up's cost independent of the article's length and extraction linear in it (issue 12)
REACH = 20_000
_ANAPHOR = folded(re.compile(r"\b[Tt]he\s+(?:(?P<demonym>[A-Z][a-z]+)\s+)?(?P<noun>" + cues.alternation(cues.PLACE_ANAPHORS) + r")\b(?!\s+of\b)(?!'s)(?!,?\s+[A-Z])"))  # "the capital Marib": the name is the ref
# a launch area named anywhere inside a "from ..." phrase, which runs until punctuation, a target preposition
# or the next verb: "from eight Tu-160 bombers flying over the Kazan area and over the Sea of Azov"
_ORIGIN_PHRASE = re.compile(r"\bfrom\s+(?![^,;:\u2014\u2013()]*?\b(?:at|on|against|towards?|into|onto|hit|hitting|struck|"
                            r"rubble|ruins|debris|wreckage|landed|fell|crashed|slammed|exploded|"
                            r"killing|killed|wounding|dropped|fired|launched|targeting|attacked|shelled|and\s+then)\b)"
                            r"[^,;:\u2014\u2013()]*$", re.I)
_NATIONWIDE = folded(re.compile(r"\b(?:nationwide|countrywide|national)\s+(?=(?:death\s+)?toll\b|tally\b|total\b)", re.I))
_TITLE_OF = re.compile(r"\b(?:governor|mayor|head|chief|administration|governors|official|officials|authorities|"
                       r"police|prosecutor|prosecutors|council|commander|native|hometown)\s+(?:of\s+)?(?:the\s+)?$", re.I)
_TITLE_AFTER = re.compile(r"(?:'s|\u2019s)?\s+(?:regional\s+|city\s+|military\s+)?(?:governor|mayor|administration|"
                          r"authorities|officials|police|prosecutor|council|head|chief)\b", re.I)
_BEARING = re.compile(r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|"
                      r"western|kilometres|kilometers|km|miles|metres|meters|border)\s+(?:of|from|with)\s+(?:the\s+)?"
                      r"(?:(?:port|city|town|village|capital)\s+(?:of\s+)?)?$", re.I)
_TARGET_BEFORE = re.compile(r"\b(?:in|over|near|at|on|onto|towards|toward|outside|around|across|along|into|inside|within|"
                            r"throughout|against|for|of|hit|struck|targeted|attacked|shelled|bombed)\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+|village\s+of\s+|capital,?\s+|port\s+(?:city\s+)?(?:of\s+)?)?"
                            r"(?:[A-Z][a-z]+(?:'s|\u2019s)\s+)?$", re.I)
_COMPOUND_AFTER = re.compile(r"-(?:" + cues.alternation(cues.COMPOUND_SUFFIXES) + r")\b")
_AGENT_BEFORE = re.compile(r"\b(?:by|with|from)\s+(?:the\s+)?(?:(?!(?:in|near|at|on|of|to|into|over|outside|inside)\b)"
                           r"[A-Za-z-]+\s+){0,3}$")
_ORIGIN_BEFORE = re.compile(r"\b(?:from|between|(?<!approach )(?<!approaches )(?<!way )(?<!heading )(?<!headed )(?<!flying )to|"
                            r"via|visit|visited|visiting|travelled|traveled|travel)\s+(?:the\s+)?$", re.I)


# what a demonym names as ground of its country: "Russian territory", "Turkish army bases"
_NATIONAL_GROUND = re.compile(r"\s+(?:territory|cities|towns|regions|soil|targets|infrastructure|energy|"
                              r"(?:military\s+|army\s+)?(?:sites|positions|bases|posts|targets))\b")
# "attacks in Ukraine", "struck southern Lebanon", "parts of Syria": a country framed as where things happen
_COUNTRY_AS_PLACE = re.compile(
    r"\b(?:in|on|at|against|across|into|over|throughout|inside|towards?|attacked|struck|hit|invaded|targeted|"
    r"bombed|shelled)\s+(?:the\s+)?(?:(?:southern|northern|eastern|western|central|north|south|east|west)\s+)?$|"
    r"\b(?:regions|parts|cities|areas|corners|oblasts|provinces)\s+of\s+(?:the\s+)?$")
_MILITARY_SITES = re.compile(r"\s+(?:" + cues.alternation(cues.MILITARY_SITE_NOUNS) + r")\b")


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
    """Places (and countries framed as places) a sentence refers to, in text order.

    Counts, events and the focus place ask this of the same sentences several times: it is worked out once
    per sentence and mention list (kept on the Doc), and each caller gets a list of its own."""
    key = (sentence, id(mentions), len(mentions))
    hit = doc.memo.get(("place_refs", key))
    if hit is None or hit[0] is not mentions:
        hit = (mentions, _place_refs(doc, mentions, sentence))
        doc.memo[("place_refs", key)] = hit
    return list(hit[1])


def _place_refs(doc: Doc, mentions: list[Mention], sentence: int) -> list[PlaceRef]:
    s = doc.sentences[sentence]
    refs: list[PlaceRef] = []
    dateline_end = _dateline_end(doc)
    # only the sentence's own mentions can pass the tests below (a MentionList finds them without a scan)
    own = in_sentence(mentions, sentence)
    place_starts = [x.span.start for x in own if x.entity.category == "place"]
    for m in own:
        if m.span.start < dateline_end:
            continue  # "TERNOPIL —" says where the reporter was, not what was hit
        if m.sentence != sentence or m.kind in ("demonym", "metonym", "pronoun"):
            if not (m.sentence == sentence and m.kind == "demonym" and _NATIONAL_GROUND.match(doc.text, m.span.end)):
                continue
        e = m.entity
        if e.category == "organization" and m.sentence == sentence and e.country_code and \
                _MILITARY_SITES.match(doc.text, m.span.end):
            # "rockets fired at Turkish army bases", "strikes on Kurdish militia sites": a force's sites are in its country
            country = doc.resources.lexicon.countries_by_code.get(e.country_code)
            if country:
                refs.append(PlaceRef(m.span.start, m.span.end,
                                     entity_from_concept(doc, doc.resources.lexicon.concepts[country]), False))
            continue
        if e.category not in ("place", "country"):
            continue
        before = doc.text[max(s.start, m.span.start - 40):m.span.start]
        if _BEARING.search(before) or _ORIGIN_BEFORE.search(before) or is_title_apposition(doc, m.span.start):
            continue
        if _ORIGIN_PHRASE.search(doc.text, max(s.start, m.span.start - 120), m.span.start):
            continue  # "operating from near the village of Lipky in Russia's Pskov region"
        if _TITLE_AFTER.match(doc.text, m.span.end):
            continue  # "Moscow regional governor ...", "Kharkiv mayor ...": part of a title
        if _possessor_only(doc, m, place_starts):
            continue
        if _COMPOUND_AFTER.match(doc.text, m.span.end):
            continue  # "the Liberia-flagged vessel", "a Turkish-made drone": a modifier, not where
        if e.feature_type == "site" and _AGENT_BEFORE.search(before):
            continue  # "downed by the destroyer USS Gravely": the ship that intercepted, not where
        framed = bool(_TARGET_BEFORE.search(before))
        if e.category == "country" and m.kind != "demonym" and not _COUNTRY_AS_PLACE.search(before):
            continue  # "the invasion of Ukraine" does not put a count in Ukraine
        refs.append(PlaceRef(m.span.start, m.span.end, e, framed))
    for a in _ANAPHOR.finditer(s.text):
        if a.group("demonym") and normalize(a.group("demonym")) not in doc.resources.lexicon.demonyms:
            continue  # "the Kursk region" is a name, not an anaphor
        start = s.start + a.start()
        before = doc.text[max(s.start, start - 40):start]
        if _ORIGIN_BEFORE.search(before) or _BEARING.search(before) or is_title_apposition(doc, start):
            continue  # "northwest of the capital" locates something else
        target = resolve_anaphor(doc, mentions, start, a.group("noun"), a.group("demonym"))
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, bool(_TARGET_BEFORE.search(before))))
    for a in _SITE_ANAPHOR.finditer(s.text):
        start = s.start + a.start()
        target = _resolve_site(doc, mentions, start, a.group("noun").lower())
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, bool(_TARGET_BEFORE.search(
                doc.text[max(s.start, start - 40):start]))))
    for a in _DIRECTION_ANAPHOR.finditer(s.text):
        start = s.start + a.start("the")
        target = _resolve_direction(mentions, start, a.group("dir").lower())
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, True))
    for a in _NATIONWIDE.finditer(s.text):
        start = s.start + a.start()
        target = resolve_anaphor(doc, mentions, start, "country", None)
        if target is not None:
            refs.append(PlaceRef(start, s.start + a.end(), target, True))
    refs.sort(key=lambda r: r.start)
    return refs


_POSSESSIVE = re.compile(r"(?:'s|\u2019s)\s+")
# what a possessor owns when it is the attacker: "Russia's drone and missile attack on Izium", "Iran's forces"
_AGENT_NOUN = re.compile(r"(?:[\w-]+\s+){0,4}?(?:attacks?|strikes?|assaults?|offensive|invasion|war|barrages?|"
                         r"bombardment|shelling|raids?|forces|troops|army|military|missiles?|drones?|rockets?|"
                         r"warplanes|aircraft|air\s+force|navy|government|leadership)\b"
                         r"(?!\s+(?:sites?|bases?|facilit(?:y|ies)|infrastructure|targets?|installations?|positions?|"
                         r"depots?|airfields?|industry|plants?|factor(?:y|ies)|programme|program))", re.I)
# between a country's possessive and the place it owns: "Russia's Pskov region", "Kazakhstan's largest city, Almaty"
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


# "raids across the south" after "south Lebanon" was named: the part of the country named before
_DIRECTION_ANAPHOR = re.compile(r"\b(?:in|across|throughout|over)\s+(?P<the>the\s+(?:country's\s+)?(?P<dir>south|north|east|west)"
                                r"(?:ern)?)\b(?!\s+of\b)(?!-)(?!\s+[A-Z])")


def _resolve_direction(mentions: list[Mention], offset: int, direction: str) -> Entity | None:
    for m in reversed(starting_before(mentions, offset)):
        if m.entity.category == "place" and m.entity.label.lower().startswith(direction):
            return m.entity
    return None


# "the hospital", "the camp": the named site of that kind mentioned last
_SITE_WORDS = cues.SITE_ANAPHORS
_SITE_ANAPHOR = folded(re.compile(r"\b[Tt]he\s+(?P<noun>" + cues.alternation(_SITE_WORDS) + r")\b(?!\s+of\b)"))


def _resolve_site(doc: Doc, mentions: list[Mention], offset: int, noun: str) -> Entity | None:
    words = _SITE_WORDS[noun]
    for m in reversed(starting_before(mentions, offset)):
        if m.entity.category == "place" and m.kind in ("name", "alias") and any(
                w in (m.span.text + " " + m.entity.label).lower() for w in words):
            return m.entity
    return None


_ACTS_AFTER = re.compile(r"\s+(?:" + cues.alternation(cues.CAPITAL_ACT_VERBS) + r")\b")
_ACTS_BEFORE = re.compile(r"\bby\s+$")


def _acts(doc: Doc, m: Mention) -> bool:
    """A capital standing for its government ("a proposal by Kyiv", "Kyiv declined to respond") is not a place."""
    return bool(_ACTS_AFTER.match(doc.text, m.span.end) or _ACTS_BEFORE.search(doc.text, max(0, m.span.start - 8), m.span.start)
                or (_POSSESSIVE.match(doc.text, m.span.end) and _AGENT_NOUN.match(doc.text, _POSSESSIVE.match(doc.text, m.span.end).end())))


def resolve_anaphor(doc: Doc, mentions: list[Mention], offset: int, noun: str, demonym: str | None) -> Entity | None:
    """'the city' -> the last city named before; 'the Lithuanian capital' -> Vilnius; 'the region' -> last region."""
    lex = doc.resources.lexicon
    wanted = cues.PLACE_ANAPHORS[noun]
    if wanted == "capital":
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
        for m in reversed(places_before(mentions, offset)):
            if normalize(m.entity.label) in capitals and not _acts(doc, m):
                return m.entity
        return None
    if wanted == "country":  # "across the country": the country of the last place named (not a country acting)
        for m in reversed(places_before(mentions, offset)):
            code = m.entity.country_code if m.kind == "name" else ""
            if code and code in lex.countries_by_code:
                return entity_from_concept(doc, lex.concepts[lex.countries_by_code[code]])
        return None
    # only a place of the wanted kind can be returned below: look at those alone, newest first
    for m in reversed(places_before(mentions, offset, wanted)):
        if m.entity.category == "place" and _ORIGIN_PHRASE.search(
                doc.text, max(doc.sentences[m.sentence].start, m.span.start - 120), m.span.start):
            continue  # a launch area is not what "the city" hit
        if noun in _TERRITORY_NOUNS and not m.entity.country_code:
            continue  # "the territory" is a part of a state, not "the Middle East"
        if m.entity.category == "place" and m.kind != "metonym" and (m.entity.feature_type or "city") == wanted \
                and not is_title_apposition(doc, m.span.start) or (
                m.entity.category == "place" and wanted == "region" and m.entity.feature_type == "region"):
            return m.entity
    return None


# "across the territory", "inside the enclave": a territory named before (Gaza, Abkhazia, Kashmir)
_TERRITORY_NOUNS = cues.TERRITORY_NOUNS


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
    for m in sorted(mentions, key=lambda m: m.span.start < dateline_end):  # the dateline wins no tie
        if m.entity.category == "place" and m.kind == "name":
            n, _ = counts.get(m.entity.iri, (0, m.entity))
            counts[m.entity.iri] = (n + 1, m.entity)
    if counts:
        return max(counts.values(), key=lambda x: x[0])[1]
    return None


_ATTACKISH = folded(re.compile(r"\b(?:attack\w*|strik\w*|struck|hit|shell\w*|bomb\w*|pound\w*|kill\w*|dead|died|wound\w*|injur\w*|"
                        r"missile\w*|drones?|launch\w*|fired|explosion\w*|blasts?|raid\w*|barrage|assault|onslaught|destroy\w*|damag\w*)\b", re.I))


def _dateline_end(doc: Doc) -> int:
    return _dateline_text_end(doc.text)


def dateline_end(doc: Doc) -> int:
    """Where the article's body starts after a dateline ("SHUSHA, Azerbaijan — "), else 0."""
    return _dateline_text_end(doc.text)


def is_attackish(text: str) -> bool:
    return bool(_ATTACKISH.search(text))


# ------------------------------------------------------------------------------------ attribution
# Attribution follows discourse, not a window of words: within a clause the speaker is the subject
# next to the reporting verb; a pronoun stands for the subject (or quoted speaker) of the nearest
# sentence before it in the paragraph; a description ("the ministry", "the Kuwaiti premier") stands for
# the last entity introduced with that title. Names inside prepositional phrases ("an adviser to X",
# "who spoke with X") or compound modifiers ("the Saudi-backed group") are not subjects.
_ACCORDING = re.compile(r"\baccording to\s+", re.I)
_PRONOUN = re.compile(r"\b(he|she|they)\b", re.I)
_PREPOSITIONS = cues.GOVERNING_PREPS
_PARTICIPLE = re.compile(r"[a-z]+ed|led|held|run|made|given|taken|written|signed|issued|read|sent")
_RELATIVE = re.compile(r"\b(?:who|whom|whose|which)\b", re.I)
_MODIFIER_AFTER = re.compile(r"-(?:" + cues.alternation(cues.AFFILIATION_SUFFIXES) + r")\b", re.I)
_STATEMENT_NOUNS = cues.STATEMENT_NOUNS
_GROUP_NOUNS = cues.GROUP_NOUNS
_STATE_BODY = re.compile(r"\b(?:" + cues.alternation(cues.STATE_BODIES) + r")\b", re.I)
_TITLE_SYNONYMS = cues.TITLE_SYNONYMS
_LEFT_TOKEN = re.compile(r"[\w\u2019'.-]+|,|;|\u2014")
_CLAUSE_SPLIT = re.compile(r"[,;\u2014(]")


def _word_before(left: str) -> str:
    """The last lower-case word of `left` once articles, possessors, titles and names are peeled off
    ('according to' is a source, not a preposition)."""
    words = _LEFT_TOKEN.findall(left)
    while words:
        if words[-1] in ("of", "for") and len(words) >= 2 and words[-2][:1].isupper():
            words.pop()  # inside a capitalised title: "Secretary of State", "Minister for Foreign Affairs"
        elif not (words[-1][:1].isupper() or words[-1].lower() in ("the", "a", "an", "his", "her", "its", "their")
                  or words[-1].lower() in cues.TITLE_WORDS):
            break
        if words[-1].endswith(".") and words[-1][:-1].lower() not in cues.TITLE_WORDS:
            return "."  # the end of the sentence before, not an abbreviated title
        words.pop()
    if len(words) >= 2 and words[-2].lower() == "according":
        return "according"
    if len(words) >= 2 and words[-1].lower() == "by" and _PARTICIPLE.fullmatch(words[-2].lower()):
        return "by-agent"  # "was led by X": the agent of a passive is its logical subject
    return words[-1].lower() if words else ""


def is_subject_like(doc: Doc, m: Mention, floor: int) -> bool:
    """Whether a mention can be the subject of its clause: not governed by a preposition ('adviser to X',
    'spoke with X'), not inside a relative clause opened after the last comma, not a compound modifier."""
    if _MODIFIER_AFTER.match(doc.text, m.span.end):
        return False
    left = doc.text[max(floor, m.span.start - 80):m.span.start]
    if _word_before(left) in _PREPOSITIONS:
        return False
    segment = _CLAUSE_SPLIT.split(left)[-1]
    return not _RELATIVE.search(segment)


def _persons_in(doc: Doc, mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in starting_in(mentions, start, end) if m.entity.category == "person"
            and not doc.in_quote(m.span.start)]


def sentence_subject(doc: Doc, mentions: list[Mention], start: int, end: int) -> Entity | None:
    """The first person between two offsets who can be a clause subject."""
    for m in _persons_in(doc, mentions, start, end):
        if is_subject_like(doc, m, start):
            return m.entity
    return None


def antecedent_person(doc: Doc, mentions: list[Mention], offset: int,
                      speakers: list[tuple[int, Entity]] | None = None) -> Entity | None:
    """Who 'he' or 'she' at `offset` stands for: going back sentence by sentence through its paragraph and
    the one before, the speaker of a quotation in that sentence, else its subject; else the last person."""
    here = doc.sentence_of(offset)
    para = doc.sentences[here].paragraph
    for idx in range(here, -1, -1):
        s = doc.sentences[idx]
        if s.paragraph < para - 1:
            break
        end = min(offset, s.end) if idx == here else s.end
        said = [e for at, e in speakers or () if s.start <= at < end and e.category == "person"]
        if said:
            return said[-1]
        who = sentence_subject(doc, mentions, s.start, end)
        if who is not None:
            return who
    return last_person_before(doc, mentions, offset)


def last_person_before(doc: Doc, mentions: list[Mention], offset: int, skip_quotes: bool = True) -> Entity | None:
    """The last person named before `offset` outside quotations (the fallback antecedent of 'he')."""
    for m in reversed(mentions):
        if m.span.start >= offset:
            continue
        if m.entity.category == "person" and not (skip_quotes and doc.in_quote(m.span.start)):
            return m.entity
    return None


def actor_near(doc: Doc, mentions: list[Mention], start: int, end: int, prefer: str = "last") -> Entity | None:
    """The actor named between two offsets outside quotes (the last one by default). Subjects come before
    names governed by a preposition; a person governed by one ('an adviser to X') never speaks."""
    found = [m for m in starting_in(mentions, start, end + 1) if m.span.end <= end
             and m.entity.category in ACTOR_CATEGORIES and m.kind != "demonym" and not doc.in_quote(m.span.start)]
    subjects = [m for m in found if is_subject_like(doc, m, start)]
    # failing a subject, an organization governed by a preposition speaks ('a spokesman for the ministry')
    found = subjects or [m for m in found if m.entity.category != "person" and not _MODIFIER_AFTER.match(doc.text, m.span.end)]
    if not found:
        return None
    if prefer == "first_any":
        heads = [m for m in found if m.entity.category in ("person", "organization")]
        if not heads:
            return None
        named = _named_holder(doc, heads[0], found)
        return (named or heads[0]).entity
    persons = [m for m in found if m.entity.category == "person"]
    pool = persons or found
    return (pool[-1] if prefer == "last" else pool[0]).entity


def _named_holder(doc: Doc, m: Mention, found: list[Mention]) -> Mention | None:
    """'A senior militia official, Karim Haddad', 'Navy spokesman Ostap Shcherbak': an organization that only
    qualifies a title, and the person named with that title, who is the subject."""
    if m.entity.category == "person":
        return None
    for n in found:
        if n.span.start > m.span.end and n.entity.category == "person":
            between = doc.text[m.span.end:n.span.start]
            words = re.findall(r"[A-Za-z]+", between)
            if len(words) <= 5 and "." not in between and any(w.lower() in _OFFICIAL_TITLES or w.lower() == "official"
                                                               for w in words):
                return n
            return None
    return None


_AIDE = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Oo]ne)\s+(?:[a-z-]+\s+){0,3}?(adviser|advisor|aide|assistant|deputy|envoy)\s+"
                   r"(?:to|of|for)\b")


def _named_aide(doc: Doc, mentions: list[Mention], title: str, offset: int) -> Entity | None:
    """The person the article introduces anywhere with an aide's title ('Hikmet Hajiyev, an adviser to
    the president'), nearest to `offset`; None when nobody is."""
    served = {m.entity.iri for m in starting_in(mentions, offset, offset + 60) if m.entity.category == "person"}
    holders = [m for m in starting_in(mentions, offset - REACH, offset + REACH) if m.entity.category == "person"
               and m.entity.iri not in served and not doc.in_quote(m.span.start)
               and re.search(rf"\b{title}\b", _intro(doc, m))]
    if not holders:
        return None
    return min(holders, key=lambda m: abs(m.span.start - offset)).entity


def resolve_description(doc: Doc, mentions: list[Mention], offset: int, phrase: str) -> Entity | None:
    """'the ministry' -> the last organization with 'Ministry' in its name; 'the mayor' -> the last person
    introduced with that title; 'the statement' -> the source of the sentence before; 'the group' -> the
    last non-state organization; 'his office' -> an office named before, else the person."""
    words = phrase.split()
    noun = words[-1].lower()
    if noun in _STATEMENT_NOUNS:
        return previous_source(doc, mentions, offset)
    earlier = [m for m in starting_in(mentions, offset - REACH, offset) if not doc.in_quote(m.span.start)]
    titles = _TITLE_SYNONYMS.get(noun, (noun,))
    # a title's holder named before is meant, unless the title was last given to somebody new and
    # unnamed ("a White House spokesman said"): then no earlier holder is
    last_use = _last_use(doc, titles, offset)
    fresh = last_use is not None and bool(_INDEFINITE.search(doc.text[max(0, last_use - 40):last_use]))
    holders = 0
    for m in reversed(earlier):
        if m.entity.category == "organization" and noun in m.entity.label.lower():
            return m.entity
        if m.entity.category == "person" and any(re.search(rf"\b{re.escape(t)}\b", _intro(doc, m)) for t in titles):
            if not fresh or doc.sentence_of(m.span.start) == doc.sentence_of(last_use):
                return m.entity
            holders += 1
    if noun in _GROUP_NOUNS:
        for m in reversed(earlier):
            if m.entity.category == "organization" and not _STATE_BODY.search(m.entity.label):
                return m.entity
    if noun == "office" and words[0].lower() in ("his", "her"):
        return antecedent_person(doc, mentions, offset)
    if noun in _OFFICIAL_TITLES and not holders:
        # a title never used before ("the Kuwaiti premier") is most often the official just named
        who = antecedent_person(doc, mentions, offset)
        if who is not None and _introduced_as_official(doc, mentions, who):
            return who
    return None


_INDEFINITE = re.compile(r"\b(?:a|an|another|one)\s+(?:[\w'\u2019-]+\s+){0,3}$", re.I)


def _last_use(doc: Doc, titles: tuple[str, ...], offset: int) -> int | None:
    """Where one of the title words was last used before `offset`, outside quotations."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in titles) + r")\b", re.I)
    uses = [u.start() for u in pattern.finditer(doc.text, max(0, offset - REACH), offset) if not doc.in_quote(u.start())]
    return uses[-1] if uses else None


def _intro(doc: Doc, m: Mention) -> str:
    """The title attached to a name, in lower case: the words right before it in its clause ('Kremlin
    spokesman Dmitry Peskov') and an apposition right after it (', the city's mayor,' / ', who is also
    defence minister,'), outside quotations; not the words of a neighbouring clause."""
    s = doc.sentences[doc.sentence_of(m.span.start)]
    before = doc.text[max(s.start, m.span.start - 40):m.span.start]
    before = re.split(r"[,.;:()\u2014\"\u201c\u201d]", before)[-1]
    after = doc.text[m.span.end:min(s.end, m.span.end + 70)]
    appo = _APPOSITION.match(after)
    return (before + " " + (appo.group(1) if appo else "")).lower()


_APPOSITION = re.compile(r"\s*,\s*((?:who\s+is\s+(?:also\s+)?|the\s+|a\s+|an\s+)?[^,.;()\"\u201c\u201d]{0,50})(?=[,.;)]|$)")


def _introduced_as_official(doc: Doc, mentions: list[Mention], who: Entity) -> bool:
    for m in mentions:
        if m.entity.iri == who.iri:
            intro = re.findall(r"[a-z]+", _intro(doc, m))
            return any(w in _OFFICIAL_TITLES for w in intro)
    return False


_OFFICIAL_TITLES = cues.OFFICIAL_TITLES


def previous_source(doc: Doc, mentions: list[Mention], offset: int) -> Entity | None:
    """The source of the nearest sentence before `offset` (in its paragraph or the one before) that has
    one: what 'it said' or 'the statement said' refers back to."""
    here = doc.sentence_of(offset)
    para = doc.sentences[here].paragraph
    for idx in range(here - 1, -1, -1):
        if doc.sentences[idx].paragraph < para - 1:
            break
        who = sentence_source(doc, mentions, idx, inherit=False)
        if who is not None:
            return who
    return None


_DESCRIPTION = re.compile(r"\b(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+(?:[A-Z][\w-]*\s+)?"
                          r"(ministry|mayor|governor|president|kremlin|agency|service|military|army|premier|"
                          r"chancellor|spokesman|spokeswoman|spokesperson|minister|company|police|commander|"
                          r"statement|group|movement|militia|office)\b")
_REPORTING = re.compile(r"\b(" + cues.alternation(cues.REPORTING_VERBS - {"according"}, shortest_first=True) + r")\b")
_IT = re.compile(r"^\s*[Ii]t\s+(?:also\s+|later\s+|then\s+|\w+ly\s+)?$")
_WHO = re.compile(r"^\s*(?:who|which)\s+(?:\w+ly\s+|had\s+|has\s+|later\s+|also\s+)?$", re.I)


def sentence_source(doc: Doc, mentions: list[Mention], sentence: int, until: int | None = None,
                    nearest_verb: bool = False, inherit: bool = False) -> Entity | None:
    """Who a sentence (or its part before `until`) reports: 'according to X', 'X said ...',
    '..., X said', 'the ministry said', 'he said', 'it said', else the subject the sentence opens with.
    With `inherit`, a whole sentence that names no source goes on reporting the source of the sentence
    before it in its paragraph ("The Air Force said 45 drones were launched. Forty were downed."): the
    claimant of its counts, though not evidence that a count is nationwide."""
    who = _own_source(doc, mentions, sentence, until, nearest_verb)
    if who is not None or until is not None or not inherit:
        return who
    para = doc.sentences[sentence].paragraph
    for idx in range(sentence - 1, -1, -1):
        if doc.sentences[idx].paragraph != para:
            break
        who = _own_source(doc, mentions, idx, None, False)
        if who is not None:
            return who
    return None


def _own_source(doc: Doc, mentions: list[Mention], sentence: int, until: int | None, nearest_verb: bool) -> Entity | None:
    # asked again for the same sentences (each count, each quote, and the sentences after them inherit it):
    # worked out once per question and mention list
    key = ("own_source", sentence, until, nearest_verb, id(mentions), len(mentions))
    hit = doc.memo.get(key)
    if hit is None or hit[0] is not mentions:
        hit = (mentions, _find_own_source(doc, mentions, sentence, until, nearest_verb))
        doc.memo[key] = hit
    return hit[1]


def _find_own_source(doc: Doc, mentions: list[Mention], sentence: int, until: int | None,
                     nearest_verb: bool) -> Entity | None:
    s = doc.sentences[sentence]
    end = until if until is not None else s.end
    text = doc.text[s.start:end]
    floor = max(s.start, _dateline_end(doc))
    acc = _ACCORDING.search(text)
    if acc:
        who = actor_near(doc, mentions, s.start + acc.end(), min(end, s.start + acc.end() + 60), prefer="first")
        if who:
            return who
        desc = _DESCRIPTION.match(text, acc.end())  # "according to the ministry"
        if desc:
            who = resolve_description(doc, mentions, s.start + acc.end(), desc.group(0))
            if who:
                return who
    subject = actor_near(doc, mentions, floor, end, prefer="first_any")
    verbs = list(_REPORTING.finditer(text))
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
        aide = _AIDE.search(clause)
        if aide:  # "an adviser to President X said": the adviser, if the article names one
            return _named_aide(doc, mentions, aide.group(1).lower(), clause_start + aide.end())
        desc = _DESCRIPTION.search(clause)
        if desc:
            who = resolve_description(doc, mentions, clause_start + desc.start(), desc.group(0))
            if who is not None:
                return who
        if _WHO.match(clause):  # "X, who said": the name the relative clause hangs on
            named = [x for x in mentions if floor <= x.span.end <= clause_start and x.entity.category in ("person", "organization")
                     and not doc.in_quote(x.span.start)]
            if named:
                return named[-1].entity
        pron = _PRONOUN.search(clause)
        if pron and pron.group(1).lower() in ("he", "she"):
            return antecedent_person(doc, mentions, clause_start + pron.start())
        if _IT.match(clause):
            who = previous_source(doc, mentions, at)
            if who is not None and who.category != "person":
                return who
        if subject is not None and _first_actor_offset(doc, mentions, floor, at) is not None:
            return subject
        who = actor_near(doc, mentions, at, min(s.end, at + 60), prefer="first")
        if who is not None:
            return who
    if until is not None and subject is not None:
        return subject
    return None


def _first_actor_offset(doc: Doc, mentions: list[Mention], start: int, end: int) -> int | None:
    for m in starting_in(mentions, start, end):
        if m.entity.category in ("person", "organization") and not doc.in_quote(m.span.start):
            return m.span.start
    return None
