"""Events: attacks (with attacker, place, weapons, date), communications (with participants), statements.

An attack is reported per attacked place and date: a place framed by an attack word in the same clause
("attack on Mosul", "explosions were reported in Homs, Hama..."), each member of a list of places
("shelled A, B and C", "the villages of A and B came under fire"), the place an entry is about
("Ternopil region: two injured"), a place named as a target ("fired toward X", "aimed at X"), or the place
of a casualty, damage or launch count. Interceptions over a place do not make it attacked; origins
("fired from the Baltic Sea"), bearings ("southwest of Herat"), reference points ("the ministry in Juba"),
attackers in the possessive ("Russia's attack on X"), title appositions and datelines are not targets.
A region is a target only where its sentence names nothing more specific in it ("Tikrit in the
Salahuddin region" is one attack, on Tikrit); a city quarter is part of its city's attack, a district
named after its town ("the Irpin district") is a target of its own; a named site is one only away from
a named town (the filing town of the dateline when the text locates the site nowhere else); a count in a
city quarter the text places in a city ("the X neighbourhood of Y") is an attack on the city. A frame reaches
its place through a description ("hit the capital X", "fired at northern X", "shelled areas of X"); flag
states ("the X-flagged tanker"), bearings ("southwest of the port of X") and places that open a sentence as
its attacker ("X and Y have responded with strikes on Z") are not targets. An attack with no day of its own
takes the day its paragraph set, or a day relative to the attack told before it ("A day earlier, ...").
A communication is a call, meeting, talks, mediation or summit with two or more parties,
including those named in the following sentences of the paragraph ("The delegation was led by X");
proposed, planned or postponed talks are not events, nor is a hyphenated pair ("a Ruto-Tshisekedi meeting");
coordinated calls ("a call between A and B and a call between C and D") are one event each, and an actor a
comma cuts off from its verb ("its negotiator, X, had informed A") is a party.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Entity, Event, Mention, Quantity, Target, TimeRef
from ..text import Sentence, normalize
from .names import singular
from .context import ACTOR_CATEGORIES, PlaceRef, is_attackish, last_person_before, place_refs
from .scan import folded
from .doc import Doc
from . import cues
from ..lexicon import ancestors
from .entities import entity_from_concept
from .mention_index import in_sentence, starting_before, starting_in, with_iri
from .dateline import dateline_end

# what is fired or sent at a place ("missiles were aimed at the city", "sent eight drones against the region")
_MUNITION = rf"(?:{cues.alternation(cues.MUNITION_WORDS)}|them)"
_ATTACK_CUE = folded(re.compile(
    rf"\b(?:{cues.alternation(cues.ATTACK_CUES)}|air\s?strikes?|fired\s+(?:at|on|toward|towards|into)|"
    rf"{_MUNITION}[^.;]{{0,30}}?\b(?:aimed|launched|sent|directed)\s+(?:at|against|toward|towards|into)|"
    rf"(?:launched|sent|aimed|fired)\s+(?:[\w-]+\s+){{0,4}}?{_MUNITION}\s+(?:[\w-]+\s+){{0,2}}?(?:at|against|toward|towards|into)|"
    # an air force's tally: "used 40 weapons against the country", "used 12 missiles against the region"
    rf"used\s+(?:[\w-]+\s+){{0,4}}?(?:{_MUNITION}|weapons)\s+(?:[\w-]+\s+){{0,2}}?against|"
    r"under\s+(?:[\w-]+\s+)?fire|damage\s+to|to\s+(?:shell|bomb|pound)|exchanged\s+(?:[\w-]+\s+){0,2}?fire|"
    rf"{_MUNITION}\s+(?:flew|flying|headed|heading)\s+(?:toward|towards)|"
    r"(?:debris|wreckage|fragments)\s+(?:[\w-]+\s+){0,5}?(?:fell|landed|crashed|came\s+down)\s+(?:on|onto|into)\b|"
    # a munition arriving where it hit: "a rocket landed in a field near X", "a drone crashed into a building in X"
    rf"{_MUNITION}\s+(?:[\w-]+\s+){{0,5}}?(?:fell|landed|crashed|slammed|exploded)\s+(?:on|onto|into|in|near)\b|"
    r"fires?\s+(?:broke\s+out\s+)?in)\b", re.I))
# words before a region or country that make it the target ("on the X region", "hit the X and Y regions")
_REGION_TARGET = re.compile(r"\b(?:on|at|against|in|across|into|toward|towards)\s+(?:the\s+)?(?:targets\s+in\s+(?:the\s+)?)?$|"
                            r"\b(?:hit|struck|targeted|attacked|shelled|bombed|pounded|hitting|striking|targeting|attacking|"
                            r"shelling|bombing|pounding)\s+(?:the\s+)?$|"
                            r"\b(?:areas?|parts?|outskirts|positions|targets|sites|towns|villages)\s+(?:of|in|across)\s+(?:the\s+)?$|"
                            r"\b(?:shelling|bombardment|bombing|strikes?|attacks?|raids?)\s+(?:of|on)\s+(?:the\s+)?$", re.I)
# a named region is attacked when its clause strikes or harms; an anaphor ("in the region") only when it strikes
_STRIKE_WORD = re.compile(r"\b(?:attack\w*|strik\w*|struck|hit|shell\w*|bomb\w*|aimed|fired|launched|sent|used|targets?|debris|wreckage|"
                          r"fire|killed|wounded|injured)\b", re.I)
_STRIKE_VERB = re.compile(r"\b(?:attack\w*|strik\w*|struck|hit|shell\w*|bomb\w*)\b", re.I)
# reference points: bearings, the seat of a ministry, a river bank
_NOT_A_TARGET_BEFORE = re.compile(r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|"
                                  r"ministry|authorities|officials|bank|banks|shore|coast)\s+(?:of\s+|in\s+|from\s+)?(?:the\s+)?$", re.I)
# "jets flying from an air base in Crete": the country of an origin
_FROM_IN = re.compile(r"\bfrom\s+(?:the\s+|an?\s+)?(?:[\w'-]+\s+){0,3}?(?:base|airbase|air\s+base|airfield|airport|"
                      r"carrier|ships?|[A-Z][\w'-]*)\s+in\s+(?:the\s+)?$")
# verb phrases that both find a communication and, opening a clause, take its subject as a party
_TALK_VERBS = r"talked\s+(?:with|to)|spoke\s+(?:with|to|by phone)|speaks\s+with|to\s+telephone|(?:emergency\s+)?session\s+of"
_COMM_CUE = folded(re.compile(
    r"\b(?:(?:phone|telephone|video)\s+(?:call|conversation|talks)|(?:a|the|their|his|her)\s+call\b|call\s+(?:with|between)|"
    rf"met\s+with|{_TALK_VERBS}|in\s+(?:constant\s+|close\s+|regular\s+)?contact\s+with|"
    rf"{cues.alternation(cues.COMM_CUES)}|met)\b", re.I))
_HYPOTHETICAL = re.compile(rf"\b(?:{cues.alternation(cues.HYPOTHETICAL_WORDS)})\b[^.;]{{0,40}}$", re.I)
# "a summit next week": talks still to come
_FUTURE_AFTER = re.compile(r"[^.;]{0,40}?\b(?:next\s+(?:week|month|year)|tomorrow|later\s+this\s+(?:week|month)|"
                           r"in\s+the\s+coming\s+(?:days|weeks|months))\b", re.I)
_RATE = folded(re.compile(r"\b(?:every|each|per)\s+(?:day|week|month|year|night)\b|\d\s+(?:a|per)\s+(?:day|week|month)\b|"
                   r"\b(?:daily|monthly|weekly)\b", re.I))
# "another attack", "an earlier strike": a sentence about a different attack ("yet another tally" is not)
_DIFFERENT_EVENT = re.compile(r"\banother\s+(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|raids?|barrages?|assaults?|shelling|"
                              r"bombing|bombardment)\b|\b(?:earlier|previous|last year|in 20\d\d)\b", re.I)
_CLAUSE_SPLIT = folded(re.compile(r"[;:]|,\s+(?:which|who|where|while|as|but)\b(?!\s+well\s+as)|"
                           r"\b(?:while|(?<!well\s)as(?!\s+well\b)|whereas|but|since|after|before|when|where)\b", re.I))
_WEAPON_FAMILY = {
    "drone": "DroneStrike", "missile": "MissileStrike", "bomb": "GlideBombStrike", "artillery": "Shelling",
    "rocket": "Shelling",
}


def _clauses(doc: Doc, sentence: int) -> list[tuple[int, int]]:
    s = doc.sentences[sentence]
    cuts = [s.start] + [s.start + m.start() for m in _CLAUSE_SPLIT.finditer(s.text)] + [s.end]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _clause_of(clauses: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= offset < b:
            return a, b
    return clauses[-1]


def _attacker(doc: Doc, mentions: list[Mention], sentence: int, target: Entity | None) -> Entity | None:
    """Who attacked: a demonym on a weapon or attack word ('Ukrainian drones', 'Russian shelling'), else a
    country right before an attack verb ('Russia fired'), else the first country named in the sentence."""
    s = doc.sentences[sentence]
    countries = [m for m in in_sentence(mentions, sentence) if m.entity.category == "country"
                 and (target is None or m.entity.iri != target.iri) and not doc.in_quote(m.span.start)]
    weapons = [m for m in in_sentence(mentions, sentence) if m.entity.category == "weapon"]
    for c in countries:
        after = doc.text[c.span.end:min(s.end, c.span.end + 50)]
        if c.kind == "demonym" and (any(0 <= w.span.start - c.span.end <= 30 for w in weapons)
                                    or re.match(r"[\s\w-]{0,25}?\b(?:shelling|strikes?|attacks?|forces|troops|army|military|airstrikes?|bombardment|offensive)\b", after)):
            return c.entity
        if c.kind in ("name", "metonym") and re.match(r"\s+(?:\w+\s+){0,2}(?:launched|fired|hurled|attacked|struck|hit|shelled|"
                                                      r"used|sent|targeted|bombed|pounded|unleashed|carried out)\b", after):
            return c.entity
    lex = doc.resources.lexicon
    for o in in_sentence(mentions, sentence):  # "Ukraine's military said its forces had struck ...": the military's country
        if o.entity.category == "organization" and o.entity.country_code and re.search(
                r"\b(?:military|armed forces|army|navy|air force|general staff|forces|defen[cs]e ministry|security service)\b",
                o.entity.label, re.I) and re.search(r"\b(?:struck|hit|attacked|targeted|launched|fired|shelled|bombed)\b",
                                                   doc.text[o.span.end:s.end]):
            iri = lex.countries_by_code.get(o.entity.country_code)
            if iri and (target is None or iri != target.iri) and (target is None or target.country_code != o.entity.country_code):
                return entity_from_concept(doc, lex.concepts[iri])
    return None  # no evidence in this sentence: the article's attacker is used (kg.extract.events.find_events)


def find_events(doc: Doc, mentions: list[Mention], quantities: list[Quantity], times: list[TimeRef | None],
                focus: Entity | None) -> list[Event]:
    """Attack, communication and statement events of one article; links quantities to their attack.
    `focus` is the article's main attacked place (context.focus_place)."""
    events: list[Event] = []
    attacks: dict[tuple[str, date | None], int] = {}
    main_date = _main_date(doc, mentions, times, focus)
    attackers: Counter[str] = Counter()
    attacker_entities: dict[str, Entity] = {}

    place_dates: dict[str, date] | None = None

    def event_date(sentence: int, place: Entity | None = None) -> TimeRef | None:
        nonlocal place_dates
        ref = times[sentence]
        if ref is not None:
            return ref
        back = _days_back(doc.sentences[sentence].text)
        if back is not None:  # "A day earlier, bombs hit X": a day before the attack told just before
            told = [e for e in events if e.type == "attack" and e.sentence < sentence and e.time and e.time.value]
            anchor = max(told, key=lambda e: e.sentence).time.value if told else main_date
            return TimeRef(anchor - timedelta(days=back), "") if anchor else TimeRef(None, "")
        if _DIFFERENT_EVENT.search(doc.sentences[sentence].text):
            return TimeRef(None, "")
        scene = _scene_date(doc, times, sentence)
        if scene is not None:  # "On Saturday morning the square was full. At 11:30 a missile came down."
            return scene
        if place is not None:
            if place_dates is None:
                place_dates = _place_dates(doc, mentions, times)
            if place.iri in place_dates and place_dates[place.iri] != main_date:
                return TimeRef(place_dates[place.iri], "")
        return TimeRef(main_date, "") if main_date else None

    def attack_at(place: Entity, sentence: int, span_start: int, span_end: int, offset: int | None = None) -> int:
        when = event_date(sentence, place)
        if offset is not None:
            when = _shifted(doc, offset, when)
        key = (place.iri, when.value if when else None)
        if key in attacks:
            return attacks[key]
        who = _attacker(doc, mentions, sentence, place)
        if who:
            attackers[who.iri] += 1
            attacker_entities[who.iri] = who
        weapons = [m.entity for m in in_sentence(mentions, sentence) if m.entity.category == "weapon"]
        subtype = _subtype(doc, weapons, doc.sentences[sentence].text)
        events.append(Event(type="attack", subtype=subtype, span=doc.span(span_start, span_end), sentence=sentence,
                            places=[place], participants=[who] if who else [], weapons=_unique(weapons),
                            time=when if when and (when.value or when.expression) else None))
        attacks[key] = len(events) - 1
        return attacks[key]

    filed = dateline_end(doc.text)  # "TEL AVIV, May 12 —": where the report was filed is no target
    # attacks named by attack words
    for s in doc.sentences:
        cues_found = list(_ATTACK_CUE.finditer(s.text))  # one scan serves the test and the clauses
        if not cues_found or _RATE.search(s.text) or _is_cumulative(s.text):
            continue
        clauses = _clauses(doc, s.index)
        cue_clauses = {_clause_of(clauses, s.start + m.start()) for m in cues_found
                       if not doc.in_quote(s.start + m.start())}
        refs = _listed_refs(doc, [r for r in place_refs(doc, mentions, s.index) if r.start >= filed])
        heading = _heading_ref(doc, refs, s.index)
        specific = [x.ref for x in refs if x.ref.entity.category == "place"
                    and x.ref.entity.feature_type not in ("region", "water") and x is not heading]
        for item in refs:
            if _attacked_ref(doc, mentions, s.index, item, heading, specific, clauses, cue_clauses):
                place = item.ref.entity
                if place.feature_type == "site":
                    place = _filed_town(doc, mentions, place, s.index, filed) or place
                attack_at(place, s.index, s.start, s.end, item.ref.start)
    # attacks implied by counts of harm or launches at a place
    for q in quantities:
        if _count_makes_attack(doc, mentions, q):
            q.event = attack_at(q.place, q.sentence, q.span.start, q.span.end, q.span.start)
        elif q.kind != "intercepted" and q.place is not None and q.place.feature_type == "district":
            city = _quarter_city(doc, mentions, q.sentence, q.place)
            if city is not None:  # "12 residents ... in the X neighbourhood of Y": an attack on Y
                attack_at(city, q.sentence, q.span.start, q.span.end, q.span.start)
    # every other count belongs to the attack told in its sentence, else to the article's main attack
    main = next((i for i, e in enumerate(events) if e.type == "attack" and focus and e.places[0].iri == focus.iri), None)
    for q in quantities:
        if q.event is None:
            same = [i for i, e in enumerate(events) if e.type == "attack" and e.sentence == q.sentence]
            q.event = same[0] if same else main
    for q in quantities:  # an attack used every weapon its counts are about ("212 drones and 7 missiles")
        if q.event is not None and q.weapon is not None and q.kind in ("launched", "intercepted"):
            ev = events[q.event]
            if all(w.iri != q.weapon.iri for w in ev.weapons):
                ev.weapons.append(q.weapon)
    # an interception: air defence of the attacked side shooting down what an attack launched
    for i, attack in enumerate(list(events)):
        caught = [q for q in quantities if q.event == i and q.kind == "intercepted"]
        if attack.type != "attack" or not caught:
            continue
        place = attack.places[0]
        code = _code(doc, place)
        lex = doc.resources.lexicon
        defender = lex.countries_by_code.get(code) if code else None
        events.append(Event(type="interception", subtype="Interception", span=caught[0].span, sentence=caught[0].sentence,
                            places=[place], participants=[entity_from_concept(doc, lex.concepts[defender])] if defender else [],
                            weapons=_unique([q.weapon for q in caught if q.weapon]), time=attack.time,
                            claimant=caught[0].claimant, part_of=i))
    for t in find_targets(doc, mentions):
        same = [e for e in events if e.type == "attack" and e.sentence == t.sentence]
        host = same[0] if same else (events[main] if main is not None else None)
        if host is not None:
            host.targets.append(t)
    blamed = _blamed(doc, mentions)
    if blamed is not None:
        attackers[blamed.iri] += 100
        attacker_entities[blamed.iri] = blamed
    if not attackers:
        for s in doc.sentences:
            if is_attackish(s.text):
                who = _attacker(doc, mentions, s.index, focus)
                if who is not None:
                    attackers[who.iri] += 1
                    attacker_entities[who.iri] = who
    for e in events:
        if e.type != "attack" or (e.participants and blamed is None):
            continue
        # the attacker of an unattributed strike: who else attacked places of the same country, else the
        # most frequent attacker that is not the place's own country
        cc = e.places[0].country_code or (e.places[0].category == "country" and _code(doc, e.places[0]))
        same = Counter(x.participants[0].iri for x in events if x.type == "attack" and x.participants and x is not e
                       and (x.places[0].country_code or _code(doc, x.places[0])) == cc)
        pool = same if blamed is None and same else Counter({k: v for k, v in attackers.items()
                                                              if _code(doc, attacker_entities[k]) != cc}) or attackers
        if pool:
            best = max(pool, key=pool.get)
            e.participants = [attacker_entities.get(best) or next(
                x.participants[0] for x in events if x.participants and x.participants[0].iri == best)]
    events.extend(_communications(doc, mentions))
    return events


_DAMAGE_VERB = r"(?:damaged|destroyed|hit|struck|wrecked|gutted|flattened|set ablaze|set on fire|caught fire|razed|targeted)"
_PASSIVE = folded(re.compile(r"\s+(?:was|were|had been|has been|have been)\s+(?:\w+ly\s+|also\s+)?" + _DAMAGE_VERB + r"\b"))
_ACTIVE = folded(re.compile(r"\b" + _DAMAGE_VERB + r"\s+(?=(?:the|a|an|its|their|[A-Z][\w-]*(?:'s|\u2019s))\s)"))
_NP_STOP = cues.NP_STOP
_DETERMINERS = cues.DETERMINERS
_NOT_TARGET = cues.NOT_TARGET
_WORD = re.compile(r"[\w'\u2019-]+")


def _np_before(text: str, end: int) -> tuple[int, str] | None:
    """The noun phrase that ends at `end` (walking left to a determiner, a stop word or punctuation)."""
    words = list(_WORD.finditer(text[:end]))
    picked = []
    for w in reversed(words):
        gap = text[w.end():(picked[0].start() if picked else end)]
        if gap.strip() or len(picked) >= 5:
            break
        lw = w.group(0).lower()
        if lw in _NP_STOP or lw.isdigit() or lw in {"is", "was", "were", "are", "been", "had", "has"}:
            break
        picked.insert(0, w)
        if lw in _DETERMINERS or lw.endswith(("'s", "\u2019s")) and len(picked) > 1 and picked[0] is w and False:
            break
    if not picked:
        return None
    return picked[0].start(), text[picked[0].start():end]


def _np_after(text: str, start: int) -> tuple[int, str] | None:
    m = re.match(r"((?:the|a|an|its|their|[A-Z][\w-]*(?:'s|\u2019s))\s+(?:[\w-]+(?:'s|\u2019s)?\s+){0,4}?[\w-]+)"
                 r"(?=\s*(?:[,.;:]|\b(?:in|on|at|near|with|where|which|and|after|from|as|while)\b|$))", text[start:])
    return (start, m.group(1)) if m else None


def find_targets(doc: Doc, mentions: list[Mention]) -> list[Target]:
    """What attacks hit or damaged, with its owner where the text gives one ("its embassy's consular office")."""
    lex = doc.resources.lexicon
    out: list[Target] = []
    seen: set[str] = set()
    for s in doc.sentences:
        found = [_np_before(s.text, m.start()) for m in _PASSIVE.finditer(s.text)]
        found += [_np_after(s.text, m.end()) for m in _ACTIVE.finditer(s.text)]
        for item in found:
            if item is None:
                continue
            rel, phrase = item
            start = s.start + rel
            end = start + len(phrase)
            words = phrase.split()
            if doc.in_quote(start) or words[-1].lower() in _NOT_TARGET or any(re.match(r"\d", w) for w in words):
                continue
            inside = [x for x in starting_in(mentions, start, end + 1) if x.span.end <= end]
            if any(x.entity.category in ("person", "weapon", "place") and x.kind != "demonym" for x in inside):
                continue  # a place ("the centre of Uman") or a person is not a target object
            owner = None
            poss = [x for x in inside if x.entity.category in ("country", "organization")
                    and doc.text[x.span.end:x.span.end + 2] in ("'s", "\u2019s")]
            if poss:
                owner = poss[0].entity
                phrase = doc.text[poss[0].span.end + 2:end].strip()
            elif words[0].lower() in ("its", "their"):
                subject = [x for x in starting_in(mentions, s.start, start) if x.entity.category in ("country", "organization")]
                owner = subject[0].entity if subject else None
            label = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", phrase, flags=re.I).strip()
            if not label:
                continue
            objects = []
            parts = normalize(label).split()
            for n in range(min(3, len(parts)), 0, -1):  # the longest object name the phrase ends with
                key = tuple(parts[-n:-1]) + (singular(parts[-1]),)
                objects = [e.iri for e in lex.lookup(key) if lex.concepts[e.iri].category == "object"]
                if objects:
                    break
            if not objects and owner is None and not re.search(r"[A-Z]", label):
                continue  # an unknown lower-case noun ("the windows") is not worth a node
            if label.lower() in seen:
                continue
            seen.add(label.lower())
            out.append(Target(label=label, span=doc.span(start, end), sentence=s.index, owner=owner,
                              object_iri=objects[0] if objects else ""))
    return out


def _attacked_ref(doc: Doc, mentions: list[Mention], sentence: int, item: _Listed, heading: _Listed | None,
                  specific: list[PlaceRef], clauses: list[tuple[int, int]], cue_clauses: set[tuple[int, int]]) -> bool:
    """Whether a place a sentence with an attack word names is an attacked place."""
    s = doc.sentences[sentence]
    ref = item.ref
    if doc.in_quote(ref.start) or ref.entity.feature_type == "water" and not _WATER_TARGET.search(
            doc.text[max(s.start, ref.start - 90):ref.start]):
        return False  # a sea is attacked only when fire is directed at it ("fired toward shipping in the Strait of Hormuz")
    if ref.entity.feature_type == "district" and not _is_raion(doc, ref):
        return False
    if ref.entity.feature_type == "site" and (not item.framed or _near_settlement(doc, mentions, sentence, ref.entity)):
        return False  # a site inside a named settlement: the settlement is the attacked place
    clause = _clause_of(clauses, ref.start)
    in_cue_clause = clause in cue_clauses and not _COMM_CUE.search(doc.text[clause[0]:clause[1]])
    sentence_subject = ref.start == s.start and ref.entity.category == "place" and bool(cue_clauses)
    is_heading = item is heading
    before = item.before
    if re.search(r"\bover\s+(?:the\s+)?$", before) or _NOT_A_TARGET_BEFORE.search(before) or \
            _FROM_IN.search(doc.text[max(s.start, ref.start - 60):ref.start]) or _near_a_named_place(doc, mentions, ref.start):
        return False  # air defence "over" a place is an interception; "near X", "southwest of X" are bearings
    if _HYPHEN_MODIFIER.match(doc.text, ref.end) or _BEARING_OF.search(doc.text, max(s.start, ref.start - 60), ref.start):
        return False  # "the Liberia-flagged vessel", "30 miles west of the port of Mocha"
    if sentence_subject and _ACTS.match(doc.text, ref.end):
        return False  # "Lisbon and Madrid have responded with strikes on ...": the attackers
    if _is_possessive_attacker(doc, ref) or _owner_of_a_place(doc, mentions, ref):
        return False  # "Russia's drone attack on Uman": the attacker; "Iran's embassy in Kabul": Kabul
    if ref.entity.category == "country" and not _named_at(mentions, ref) and not _ON_THE_COUNTRY.search(
            doc.text[max(s.start, ref.start - 30):ref.start]):
        return False
    if ref.entity.category == "country" or ref.entity.feature_type == "region":
        if ref.entity.feature_type == "region" and _locates_another_place(doc, mentions, ref, s.start):
            return False  # "Tikrit in the Salahuddin region": where the town is, not a second target
        if is_heading:
            return ref.entity.feature_type == "region" and not specific
        if not (item.framed and in_cue_clause and _REGION_TARGET.search(before)):
            return False
        if ref.entity.feature_type == "region" and _FRONTED_REGION.match(doc.text, ref.end) \
                and not _ATTACK_CUE.search(doc.text[clause[0]:ref.start]) \
                and any(ref.end < r.start < clause[1] for r in specific):
            return False  # "In the X region, drones hit the Y power plant": the plant is the target
        words = _STRIKE_WORD if _named_at(mentions, ref) else _STRIKE_VERB
        if not words.search(doc.text[clause[0]:clause[1]]):
            return False  # "wounded in the region" (an anaphor) repeats a toll; a named region with harm is hit
    return in_cue_clause or sentence_subject or is_heading


_QUARTER_OF = re.compile(r"(?:\s+(?:neighbou?rhoods?|distri[ck]ts?|quarters?|areas?))?(?:\s+(?:of|in)\s+|,\s+)"
                         r"(?:the\s+)?(?:(?:city|town)\s+of\s+)?")


def _quarter_city(doc: Doc, mentions: list[Mention], sentence: int, quarter: Entity) -> Entity | None:
    """The city a sentence puts a quarter in ('the Khalidiya neighbourhood of Homs')."""
    cities = {m.span.start: m.entity for m in in_sentence(mentions, sentence) if m.entity.category == "place"
              and m.entity.feature_type in ("city", "") and m.kind in ("name", "alias")}
    for m in mentions:
        if m.sentence == sentence and m.entity.iri == quarter.iri:
            gap = _QUARTER_OF.match(doc.text, m.span.end)
            if gap and gap.end() in cities:
                return cities[gap.end()]
    return None


def _count_makes_attack(doc: Doc, mentions: list[Mention], q: Quantity) -> bool:
    """Whether a count of harm or launches at a place tells of an attack on that place."""
    if q.kind == "intercepted" or q.place is None or q.place.feature_type in ("site", "district", "water"):
        return False
    text = doc.sentences[q.sentence].text
    if _RATE.search(text) or _is_cumulative(text) or _only_a_reference(doc, mentions, q.sentence, q.place):
        return False
    filed = dateline_end(doc.text)
    if all(m.span.start < filed for m in with_iri(mentions, q.place.iri) if m.sentence == q.sentence) and all(
            m.span.start < filed for m in with_iri(mentions, q.place.iri) if m.sentence != q.sentence
            and not _only_a_reference(doc, mentions, m.sentence, q.place)):
        return False  # a count given the city the report was filed from, which the text never calls hit
    if not any(m.sentence == q.sentence for m in with_iri(mentions, q.place.iri)) and all(
            _only_a_reference(doc, mentions, m.sentence, q.place) or _is_cumulative(doc.sentences[m.sentence].text)
            for m in with_iri(mentions, q.place.iri)):
        return False  # a count given to a place the article only names as a reference point
    if q.place.category == "country" and q.kind != "launched":
        return False
    if q.place.feature_type == "region":  # a region is attacked only where the text names nothing more specific in it
        named = any(m.sentence == q.sentence and m.kind in ("name", "alias") for m in with_iri(mentions, q.place.iri))
        return named and q.kind in ("killed", "injured", "damaged") and not (
            _has_specific_place(doc, mentions, q.sentence, q.place) or _region_locates(doc, mentions, q.sentence, q.place))
    return True


@dataclass(frozen=True)
class _Listed:
    """A place reference with the framing of the list it belongs to ('shelled A, B and C')."""

    ref: PlaceRef
    framed: bool
    before: str


_HYPHEN_MODIFIER = re.compile(r"-(?:flagged|registered|owned|operated|based|made|built|backed|linked|bound)\b", re.I)
_BEARING_OF = re.compile(r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
                         r"south-east|south-west)\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?(?:port|city|town|village|capital|"
                         r"coast|island)\s+(?:of\s+)?$", re.I)
# a place opening a sentence as the subject of an attack it carries out
_ACTS = re.compile(r"(?:\s*(?:,|and)\s+(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)*\s+(?:(?:has|have|had|also|then|later)\s+)*"
                   r"(?:responded|retaliated|launched|carried\s+out|conducted|fired|struck|hit|attacked|shelled|bombed|"
                   r"pounded|targeted|sent)\b(?!\s+by\b)")
_WATER_TARGET = re.compile(r"\b(?:fired|launched|aimed|directed)\b[^.;]{0,60}?\b(?:toward|towards|at|into)\s+(?:the\s+)?"
                           r"(?:[\w-]+\s+){0,3}?(?:in\s+the\s+)?(?:(?:southern|northern|eastern|western|central)\s+)?$", re.I)
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or|as\s+well\s+as))\s+(?:the\s+)?(?:(?:city|town|village|settlement)\s+of\s+)?$", re.I)
_MODIFIER = re.compile(r"(?:\b[a-z]+-(?:occupied|held|controlled|administered|run)\s+|"
                       r"\b(?:bulk\s+carrier|(?:oil\s+|chemical\s+)?tanker|cargo\s+ship|container\s+ship|merchant\s+ship|"
                       r"vessel|freighter|ship|destroyer|warship)\s+)$")
_FRONTED_REGION = re.compile(r"(?:\s+(?:region|oblast|province))?,")
_LOCAL_FRAME = re.compile(r"\b(?:in|on|at|into|toward|towards|against|along|hit|struck|targeted|attacked|shelled|bombed|pounded|"
                          r"pounding|bombing|shelling|striking|hitting)\s+(?:the\s+)?$|"
                          r"\b(?:areas?|parts?|outskirts|positions|targets|sites)\s+(?:of|in|across)\s+(?:the\s+)?$|"
                          r"\bdamage\s+to\s+(?:the\s+)?$|"
                          r"\b(?:target|ship|vessel|tanker|carrier|base|site)s?,\s+(?:the\s+)?$")
# what stands between a frame and its place without changing it: "at eastern Chad", "hit the capital Bamako",
# "in the coastal city of Misrata", "the border town of Kidal"
_DESCRIPTION = re.compile(r"(?:\b(?!the\b|an?\b|in\b|on\b|at\b)[a-z-]+\s+){0,2}"
                          r"\b(?:capital|city|town|village|port|hub|settlement|camp)(?:\s+of)?\s+$")
# fire aimed at part of a country names the country ("launching rockets at eastern Chad"); "a plant in central
# Russia" only locates the plant
_AIMED_AT_PART = re.compile(r"\b(at|on|into|toward|towards|against|across|hit|struck|pounded|pounding|striking|targeting|"
                            r"targeted|attacked|attacking)\s+(?:the\s+)?(?:northern|southern|eastern|western|central|"
                            r"north|south|east|west|north-?eastern|north-?western|south-?eastern|south-?western)\s+$")
# an anaphoric country ("the country") is attacked only when fire is put on it ("strikes across the country"),
# not when it locates something ("the main port in the country")
_ON_THE_COUNTRY = re.compile(r"\b(?:on|against|across|into|toward|towards|throughout|hit|struck|targeted|attacked|shelled|"
                             r"bombed|pounded|pounding|striking|targeting)\s+(?:the\s+)?$", re.I)


def _listed_refs(doc: Doc, refs: list[PlaceRef]) -> list[_Listed]:
    """Each reference, where a list member takes the framing and preceding words of the list's first member."""
    out: list[_Listed] = []
    for r in refs:
        s = doc.sentence_of(r.start)
        floor = doc.sentences[s].start
        before = doc.text[max(floor, r.start - 24):r.start].lower()
        before = re.sub(r"[a-z]+(?:'s|\u2019s)\s+$", "", before)  # "in Russia's Penza region"
        before = _MODIFIER.sub("", before)  # "bombed rebel-held Hama", "struck the bulk carrier X"
        before = _AIMED_AT_PART.sub(r"\1 ", _DESCRIPTION.sub("", before))
        framed = r.framed or bool(_LOCAL_FRAME.search(before))
        if out and _LIST_GAP.fullmatch(doc.text[out[-1].ref.end:r.start]) and out[-1].ref.end <= r.start:
            out.append(_Listed(r, out[-1].framed or framed, out[-1].before))
        else:
            out.append(_Listed(r, framed, before))
    return out


_HEADING = re.compile(r"^\s*(?:[\u2022*\u2013\u2014-]\s*)?(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?\s*)?[\u2013\u2014-]+\s*)?"
                      r"(?:[\u2022*\u2013\u2014-]\s*)?(?:the\s+)?$", re.I)


# "Izium:", "Ternopil region:", "Stepove, in the Lisove community:"
_HEADING_END = re.compile(r"(?:\s+(?:region|oblast|province))?(?:,?\s+(?:in|near)\s+(?:the\s+)?[\w' -]{1,40}?)?\s*:")


def _heading_ref(doc: Doc, refs: list[_Listed], sentence: int) -> _Listed | None:
    """'Ternopil region: two people were injured', '09:15 - Uman: ...': the place an entry is about."""
    s = doc.sentences[sentence]
    for item in refs[:1]:
        if _HEADING.match(doc.text[s.start:item.ref.start]) and _HEADING_END.match(doc.text, item.ref.end):
            return item
    return None


_ADJECTIVAL = re.compile(r"(?:sk|ts|zk|n|v)(?:yi|iy|ij|y|ii)$|(?:sky|skiy)$", re.I)


def _is_raion(doc: Doc, ref: PlaceRef) -> bool:
    """A district named after its town ('the Irpin district') is an area of a region, not a city quarter."""
    stem = re.sub(r"\s+(?:district|raion|rayon)$", "", ref.entity.label, flags=re.I).strip()
    if _ADJECTIVAL.search(stem) or re.match(r"\s+(?:district\s+)?of\b", doc.text[ref.end:ref.end + 14]):
        return False
    return bool(doc.resources.gazetteer.best(stem, min_population=5000))


def _is_possessive_attacker(doc: Doc, ref: PlaceRef) -> bool:
    return ref.entity.category == "country" and bool(re.match(
        r"(?:'s|\u2019s)\s+(?:[\w-]+\s+){0,4}?(?:attacks?|strikes?|shelling|bombardment|offensive|barrage|invasion|war)\b",
        doc.text[ref.end:ref.end + 60], re.I))


def _region_locates(doc: Doc, mentions: list[Mention], sentence: int, region: Entity) -> bool:
    floor = doc.sentences[sentence].start
    return any(_locates_another_place(doc, mentions, PlaceRef(m.span.start, m.span.end, m.entity, False), floor)
               for m in in_sentence(mentions, sentence) if m.entity.iri == region.iri)


def _locates_another_place(doc: Doc, mentions: list[Mention], ref: PlaceRef, floor: int) -> bool:
    """Whether a region is only named as where a town or site lies ('Tikrit in the Salahuddin region')."""
    gap = doc.text[max(floor, ref.start - 40):ref.start]
    m = _LOCATIVE_GAP.search(gap)
    if m is None:
        return False
    cut = ref.start - len(m.group(0))
    ends = {cut, cut + len(m.group(1) or "")}  # the head noun may belong to the town's name ("Sittwe village")
    return any(x.span.end in ends and x.entity.category == "place" and x.entity.feature_type not in ("region", "water")
               for x in mentions)


_LOCATIVE_GAP = re.compile(r"(\s+(?:village|town|city|camp|settlement))?(?:(?:,\s*|\s+)(?:both\s+|all\s+)?(?:in|of)\s+"
                           r"(?:the\s+)?(?:[A-Z][\w-]*(?:'s|\u2019s)\s+)?|,\s*)$")
_SINCE_START = folded(re.compile(r"\bsince\s+(?:then|the\s+(?:start|beginning|outbreak)\b|the\s+war\b|the\s+full-scale)|"
                          r"\bhave\s+since\s+been\b", re.I))
_PERFECT_HARM = re.compile(r"\b(?:have|has)\s+(?:since\s+)?(?:been\s+)?(?:killed|wounded|injured|died)\b", re.I)


def _is_cumulative(text: str) -> bool:
    """'since then, 38,000 people have been killed in X': a war's running toll, not an attack told here."""
    return bool(_SINCE_START.search(text) and _PERFECT_HARM.search(text))


_NEAR = re.compile(r"\s+(?:near|outside)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$", re.I)


def _near_a_named_place(doc: Doc, mentions: list[Mention], start: int) -> bool:
    """'the Hatzerim base near Haifa': a town that only locates a named place; 'sites near X' hits X."""
    gap = _NEAR.search(doc.text, max(0, start - 40), start)
    if gap is None:
        return False
    named = re.search(r"\b[Tt]he\s+(?:[\w-]+\s+){0,2}?[A-Z][\w'-]+(?:\s+[\w-]+){0,3}$", doc.text[max(0, gap.start() - 60):gap.start()])
    return bool(named) or any(m.span.end == gap.start() and m.entity.category == "place" for m in mentions)


def _only_a_reference(doc: Doc, mentions: list[Mention], sentence: int, place: Entity) -> bool:
    """Whether every mention of the place in the sentence is a reference point ('the health ministry in Juba')."""
    spots = [m for m in in_sentence(mentions, sentence) if m.entity.iri == place.iri and m.kind in ("name", "alias")]
    floor = doc.sentences[sentence].start
    return bool(spots) and all(_NOT_A_TARGET_BEFORE.search(doc.text[max(floor, m.span.start - 24):m.span.start].lower())
                               or _near_a_named_place(doc, mentions, m.span.start)
                               or _BEARING_OF.search(doc.text, max(floor, m.span.start - 60), m.span.start)
                               or _FROM_IN.search(doc.text[max(floor, m.span.start - 60):m.span.start]) for m in spots)


def _owner_of_a_place(doc: Doc, mentions: list[Mention], ref: PlaceRef) -> bool:
    """'Iran's embassy in Kabul', 'Nigeria's second city, Kano': the country owns a place that is named."""
    if ref.entity.category != "country" or doc.text[ref.end:ref.end + 2] not in ("'s", "\u2019s"):
        return False
    s = doc.sentences[doc.sentence_of(ref.start)]
    return any(m.entity.category == "place" and m.entity.feature_type in ("city", "") and m.kind in ("name", "alias")
               and not re.search(r"[;.]", doc.text[ref.end:m.span.start])
               and m.span.start < s.end for m in starting_in(mentions, ref.end + 1, ref.end + 46))


def _named_at(mentions: list[Mention], ref: PlaceRef) -> bool:
    return any(m.kind in ("name", "alias") for m in starting_in(mentions, ref.start, ref.start + 1))


def _near_settlement(doc: Doc, mentions: list[Mention], sentence: int, site: Entity) -> bool:
    """Whether the site lies in a named town: the text locates it there ("the X hospital in Ashdod"), or this or
    the previous sentence names a town that is not only a reference point ("the X base near Haifa")."""
    filed = dateline_end(doc.text)

    def town(m: Mention) -> bool:
        return m.entity.category == "place" and m.kind != "metonym" and m.entity.feature_type in ("city", "") \
            and m.span.start >= filed

    for m in with_iri(mentions, site.iri):
        at = _SITE_IN.match(doc.text, m.span.end)
        if at and any(town(t) for t in starting_in(mentions, at.end(), at.end() + 1)):
            return True
    nearby = [*in_sentence(mentions, sentence - 1), *in_sentence(mentions, sentence)] if sentence > 0 \
        else in_sentence(mentions, sentence)
    return any(town(m) and not _NEAR.search(doc.text, max(0, m.span.start - 40), m.span.start) for m in nearby)


_SITE_LOCATOR = re.compile(r"\s*,?\s+(?:in|near|outside|off|at|on\s+the\s+edge\s+of|(?:north|south|east|west)\w*\s+of)\s+"
                           r"(?:the\s+)?(?:[\w-]+\s+){0,2}?$")


def _filed_town(doc: Doc, mentions: list[Mention], site: Entity, sentence: int, filed: int) -> Entity | None:
    """The town a report was filed from, for a named site of that town's country the text locates nowhere else
    ('CHERNIHIV, Ukraine - ... a missile came down at the theater's steps')."""
    towns = _unique([m.entity for m in starting_before(mentions, filed) if m.entity.category == "place"
                     and m.entity.feature_type in ("city", "") and _code(doc, m.entity)])
    towns = [t for t in towns if not _code(doc, site) or _code(doc, t) == _code(doc, site)]
    if len(towns) != 1 or any(m.entity.category == "place" and m.entity.iri != site.iri
                              for m in in_sentence(mentions, sentence)):
        return None  # "In the Leningrad region, drones tried to hit the X plant": the text places it
    places = sorted(m.span.start for m in mentions if m.entity.category == "place" and m.entity.iri != site.iri)
    for m in mentions:
        if m.entity.iri != site.iri:
            continue
        k = bisect.bisect_left(places, m.span.end)
        if k < len(places) and places[k] - m.span.end <= 40 and _SITE_LOCATOR.fullmatch(doc.text, m.span.end, places[k]):
            return None  # "the X air base in the Galilee", "the X base near Haifa": located elsewhere
    return towns[0]


_SITE_IN = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?")


def _has_specific_place(doc: Doc, mentions: list[Mention], sentence: int, region: Entity) -> bool:
    return any(r.entity.category == "place" and r.entity.feature_type not in ("region", "water") and r.entity.iri != region.iri
               for r in place_refs(doc, mentions, sentence))


def _code(doc: Doc, entity: Entity) -> str:
    c = doc.resources.lexicon.concepts.get(entity.iri)
    return entity.country_code or (c.country_code if c else "")


def _blamed(doc: Doc, mentions: list[Mention]) -> Entity | None:
    """'Kinshasa blamed Kigali for the attack': the accused country is the (claimed) attacker."""
    for m in re.finditer(r"\b(?:blamed|blames|accused|accuses)\s+", doc.text):
        found = [x for x in mentions if m.end() <= x.span.start < m.end() + 25 and x.entity.category == "country"]
        if found and re.search(r"\b(?:for|of)\b[^.]{0,40}\b(?:attack|strike|shelling|bombing)", doc.text[found[0].span.end:found[0].span.end + 60]):
            return found[0].entity
    return None


def _place_dates(doc: Doc, mentions: list[Mention], times: list[TimeRef | None]) -> dict[str, date]:
    """The first day an attack sentence gives for each place it names."""
    out: dict[str, date] = {}
    for s in doc.sentences:
        ref = times[s.index]
        if ref is None or ref.value is None or not is_attackish(s.text) or _DIFFERENT_EVENT.search(s.text):
            continue
        for r in place_refs(doc, mentions, s.index):
            if r.entity.feature_type == "region" and _locates_another_place(doc, mentions, r, s.start):
                continue  # "Baalbek, in the Bekaa Valley, on March 3" dates the town, not the region
            out.setdefault(r.entity.iri, ref.value)
    return out


# "a day after shelling killed 12 people in X": the attack on X is a day before the sentence's day
_RELATIVE = folded(re.compile(r"\b(?:(\w+)\s+)?(days?|weeks?|hours?)\s+(after|before)\b(?=[^,;:]*$)", re.I))


def _shifted(doc: Doc, offset: int, when: TimeRef | None) -> TimeRef | None:
    """The day of an attack told inside 'a day after ...' or 'days before ...' relative to its sentence's day."""
    s = doc.sentences[doc.sentence_of(offset)]
    m = _RELATIVE.search(doc.text, s.start, offset)
    if m is None or when is None or m.group(2).lower().startswith("hour"):
        return when  # "hours after": the same day, as far as a date tells
    if when.value is None or m.group(2).lower() != "day" or (m.group(1) or "").lower() not in ("a", "the", "one"):
        return TimeRef(None, m.group(0))  # "days after": a day we cannot tell
    step = timedelta(days=-1 if m.group(3).lower() == "after" else 1)
    return TimeRef(when.value + step, m.group(0))


_DAYS_BACK = re.compile(r"^\W*(?:(a|one|two|three|four|five|six)\s+days?\s+(?:earlier|before)|"
                        r"(?:on\s+)?the\s+(?:previous|preceding)\s+day|the\s+day\s+before)\b", re.I)
_SMALL_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _days_back(text: str) -> int | None:
    """How many days before the last told attack a sentence opening 'A day earlier, ...' is set."""
    m = _DAYS_BACK.match(text)
    if m is None:
        return None
    return _SMALL_NUMBERS[m.group(1).lower()] if m.group(1) else 1


def _scene_date(doc: Doc, times: list[TimeRef | None], sentence: int) -> TimeRef | None:
    """The day an earlier sentence of the same paragraph sets, when no sentence in between tells an attack."""
    k = sentence - 1
    while k >= 0 and "\n" not in doc.text[doc.sentences[k].end:doc.sentences[k + 1].start]:
        prev = doc.sentences[k]
        if is_attackish(prev.text) or _DIFFERENT_EVENT.search(prev.text):
            return None
        ref = times[k]
        if ref is not None:
            return TimeRef(ref.value, "") if ref.value else None
        k -= 1
    return None


def _main_date(doc: Doc, mentions: list[Mention], times: list[TimeRef | None], focus: Entity | None) -> date | None:
    """The day of the article's main attack: the first day resolved in a sentence about the focus place,
    else the first day resolved in any attack sentence, else the publication date."""
    first_any = None
    for s in doc.sentences:
        ref = times[s.index]
        if ref is None or ref.value is None or not is_attackish(s.text):
            continue
        if _DIFFERENT_EVENT.search(s.text):
            continue
        if focus and any(r.entity.iri == focus.iri for r in place_refs(doc, mentions, s.index)):
            return ref.value
        first_any = first_any or ref.value
    return doc.article.date or first_any


def _subtype(doc: Doc, weapons: list[Entity], text: str) -> str:
    lex = doc.resources.lexicon
    for w in weapons:
        chain = [lex.concepts[w.iri].label] + [lex.concepts[a].label for a in ancestors(lex, w.iri)] if w.iri in lex.concepts else []
        for label in chain:
            if label in _WEAPON_FAMILY:
                return _WEAPON_FAMILY[label]
    if re.search(r"\bshell(?:ing|ed|s)?\b|artillery", text, re.I):
        return "Shelling"
    return "Attack"


def _unique(entities: list[Entity]) -> list[Entity]:
    seen, out = set(), []
    for e in entities:
        if e.iri not in seen:
            seen.add(e.iri)
            out.append(e)
    return out


_CONTINUATION = re.compile(
    r"\b(?:delegation|side|meeting|talks|session|negotiations|summit)\b[^.]{0,60}\b(?:led|headed|chaired|accompanied|"
    r"included|attended|joined|hosted)\b|^\s*(?:[A-Z][\w.]*\s+){1,3}(?:sent|fielded|dispatched)\b|"
    r"\b(?:sat\s+(?:in\s+)?with|also\s+(?:attended|took\s+part)|took\s+part|participated)\b", re.I)
_JOINED = re.compile(r"\b(?:were|was)\s+(?:then\s+|later\s+|also\s+)?joined\b[^.]{0,60}?\bby\b", re.I)
_VERB_CUE = re.compile(rf"^(?:meets?|met(?:\s+with)?|meeting|received|hosted|(?:tele)?phoned|informed|briefed|convened|"
                       rf"{_TALK_VERBS})$", re.I)
_SCOPE_TAIL = re.compile(r",\s+(?:hosted|mediated|brokered|chaired|attended|joined)\s+by\b", re.I)
_WHEN_CLAUSE = re.compile(r",?\s*\b(?:when|where|in which|at which|during which)\b", re.I)
_SPOKESPEOPLE = re.compile(r"\.?(?:,\s*[A-Z][\w.]*)*(?:,?\s+and\s+[A-Z][\w.]*)?\s+(?:senior\s+)?(?:officials|delegations?|diplomats|negotiators|"
                           r"counterparts|envoys|ministers|leaders)\b")
_ACTOR_NOUNS = r"(?:officials|delegations?|diplomats|negotiators|counterparts|envoys)"
_SEPARATE_WITH = re.compile(r",?\s+and\s+(?:separately\s+|also\s+|then\s+)?with\b", re.I)


def _paragraph_starts(doc: Doc) -> list[int]:
    return [m.end() for m in re.finditer(r"\n", doc.text)]


def _communications(doc: Doc, mentions: list[Mention]) -> list[Event]:
    """Calls, meetings, talks and mediations with their parties. Parties named in the next sentences of
    the paragraph ("The delegation was led by X and included Y") join the event; planned talks do not count."""
    out: list[Event] = []
    country_counts = Counter(m.entity.iri for m in mentions if m.entity.category == "country")
    by_iri = {m.entity.iri: m.entity for m in mentions}
    breaks = _paragraph_starts(doc)
    last_touch = -10

    def paragraph(offset: int) -> int:
        return bisect.bisect_right(breaks, offset)

    persons_in: dict[int, list[Entity]] = {}  # one pass over the mentions, not one per sentence
    for m in mentions:
        if m.entity.category == "person" and not doc.in_quote(m.span.start):
            persons_in.setdefault(m.sentence, []).append(m.entity)
    for s in doc.sentences:
        found = [m for m in _COMM_CUE.finditer(s.text) if not doc.in_quote(s.start + m.start())]
        near = out and (s.index - last_touch <= 2 or paragraph(s.start) == paragraph(doc.sentences[last_touch].start))
        if near and _JOINED.search(s.text):
            persons = persons_in.get(s.index, [])
            if persons:  # "The two were then joined by X and Y": a wider meeting of its own
                out.append(Event(type="communication", subtype="Meeting", span=doc.span(s.start, s.end), sentence=s.index,
                                 participants=_unique(out[-1].participants + persons)))
                last_touch = s.index
                continue
        if not found:
            if near and _CONTINUATION.search(s.text):
                persons = persons_in.get(s.index, [])
                if persons:
                    out[-1].participants = _unique(out[-1].participants + persons)
                    last_touch = s.index
            continue
        clauses = _clauses(doc, s.index)
        made_until = -1  # end of the text an event of this sentence already took its parties from
        for k, cue in enumerate(found):
            at = s.start + cue.start()
            window = max(s.start, at - 60, doc.text.rfind(", ", s.start, at) + 1)  # "a proposal, and later spoke with"
            if _HYPOTHETICAL.search(doc.text[window:at]) or _FUTURE_AFTER.match(doc.text, at + len(cue.group(0))) \
                    or not _has_object(doc, mentions, s.index, cue):
                continue
            if made_until >= 0 and not ((_VERB_CUE.match(cue.group(0)) or _COORDINATED.search(s.text, 0, cue.start()))
                                        and at >= made_until - 1):
                break  # one event per sentence, unless a later verb or a coordinated call takes new parties
            scope = _cue_scope(doc, mentions, s.index, found, k, clauses)
            if scope is None:
                continue  # a meeting that was struck is a target, not an event of its own
            a, b = scope
            if made_until >= 0:
                a = max(a, at)
            parts = _cue_parties(doc, mentions, s.index, cue, at, a, b, country_counts, by_iri, widen=made_until < 0)
            definite = re.search(r"\b[Tt]he\s+(?:\w+\s+)?$", doc.text[max(s.start, at - 20):at]) and not re.search(
                r"\b(?:last|previous|first|next|earlier|new|latest)\b", doc.text[max(s.start, at - 20):at], re.I)
            nxt = _next_cue_start(s, found, k)
            if definite and not re.search(r"\b(?:with|between)\b", doc.text[at:min(b, nxt)]):
                if nxt < b and re.search(r"\b(?:with|between)\b", doc.text[nxt:b]):
                    continue  # "The meeting followed a call between A and B": the later cue has the parties
                if not out:
                    continue  # "derailing the negotiations": talks known to the reader, not an event told here
                if not parts:
                    continue
                target = next((e for e in reversed(out) if {p.iri for p in e.participants} & {p.iri for p in parts}), out[-1])
                target.participants = _unique(target.participants + parts)
                last_touch = s.index
                break
            single_ok = len(parts) == 1 and parts[0].category == "organization" and re.search(r"summit", cue.group(0), re.I)
            if len(parts) < 2 and not single_ok:
                continue
            subtype = "PhoneCall" if re.search(r"call|phone|spoke|conversation", cue.group(0), re.I) else "Meeting"
            for group in _conversations(doc, mentions, s.index, parts, at, b):
                same = next((e for e in out if {p.iri for p in e.participants} == {p.iri for p in group}), None)
                if same is None:
                    out.append(Event(type="communication", subtype=subtype, span=doc.span(s.start, s.end), sentence=s.index,
                                     participants=group))
            last_touch = s.index
            made_until = _next_cue_start(s, found, k)
    return out


def _next_cue_start(s: Sentence, found: list[re.Match[str]], k: int) -> int:
    """Where the next cue of the sentence starts (the sentence end if none): later verbs start their own scope."""
    return s.start + found[k + 1].start() if k + 1 < len(found) else s.end


# "a call between A and B and a call between C and D": the second call is an event of its own
_COORDINATED = re.compile(r"\band\s+(?:(?:a|an|the|another)\s+(?:\w+\s+)?)?$")
_NEEDS_OBJECT = re.compile(r"^(?:meets?|received|hosted)$", re.I)


def _has_object(doc: Doc, mentions: list[Mention], sentence: int, cue: re.Match[str]) -> bool:
    """'received Olaf Scholz', 'meets the Chinese leader Xi': these verbs count only with a person (or, for
    'meet', a country) as their object, not 'received Patriot systems' or 'meets NATO standards'."""
    if not _NEEDS_OBJECT.match(cue.group(0)):
        return True
    end = doc.sentences[sentence].start + cue.end()
    nxt = next((m for m in in_sentence(mentions, sentence) if end <= m.span.start <= end + 50
                and m.entity.category in ACTOR_CATEGORIES and m.kind != "demonym"), None)  # "Iranian minister X"
    if nxt is None:
        return False
    wanted = ("person", "country") if cue.group(0).lower().startswith("meet") else ("person",)
    return nxt.entity.category in wanted


def _cue_scope(doc: Doc, mentions: list[Mention], sentence: int, found: list[re.Match[str]], k: int,
               clauses: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The stretch of text whose actors take part in the k-th communication cue of a sentence."""
    s = doc.sentences[sentence]
    at = s.start + found[k].start()
    a, b = _clause_of(clauses, at)
    a, b = _comma_scope(doc, mentions, sentence, a, b, at)
    tail = _SCOPE_TAIL.match(doc.text, b)
    if tail:  # "..., hosted by X": the host takes part
        nxt = doc.text.find(",", tail.end(), s.end)
        b = nxt if nxt >= 0 else s.end
    if k + 1 < len(found) and _COORDINATED.search(s.text, 0, found[k + 1].start()):
        b = min(b, s.start + found[k + 1].start())  # "a call between A and B and a call between C and D"
    if re.search(r"\b(?:hit|struck|targeted|attacked|bombed|shelled)\b", doc.text[a:at]):
        return None
    return a, b


def _cue_parties(doc: Doc, mentions: list[Mention], sentence: int, cue: re.Match[str], at: int, a: int, b: int,
                 country_counts: Counter, by_iri: dict[str, Entity], widen: bool = True) -> list[Entity]:
    """The parties of one cue: actors in its scope, else across 'with/between', a following 'when' clause,
    the subject of a verb cue ('X met Y'), or countries acting through officials."""
    s = doc.sentences[sentence]
    parts = _parties(doc, mentions, sentence, a, b, country_counts, by_iri)
    if widen and len(parts) == 1 and re.search(r"\b(?:with|between)\b", doc.text[at:b]):
        more = _parties(doc, mentions, sentence, s.start, s.end, country_counts, by_iri)
        parts = more if len(more) >= 2 else parts
    if len(parts) < 2:
        when = _WHEN_CLAUSE.match(doc.text, b)
        if when:  # "a meeting in X, when A and B ...": the parties are in the next clause
            parts = _unique(parts + _parties(doc, mentions, sentence, when.end(), s.end, country_counts, by_iri))
    if _VERB_CUE.match(cue.group(0)):
        subject = _appositive_subject(doc, mentions, sentence, a, at)
        if subject is not None and all(subject.iri != p.iri for p in parts):
            parts = [subject] + parts  # "its negotiator, X, had informed A and B": X is a party
    if _VERB_CUE.match(cue.group(0)) and len(parts) < 2:
        subject = _subject(doc, mentions, sentence, at)
        if subject is not None and all(subject.iri != p.iri for p in parts):
            parts = [subject] + parts
    if len(parts) < 2:
        parts = _unique(parts + _spokespeople(doc, mentions, sentence, s.start, s.end))
    return parts


_AUXILIARIES = re.compile(r"\s*(?:(?:had|has|have|was|were|also|then|later|reportedly|separately|already|personally)\s+)*")


def _appositive_subject(doc: Doc, mentions: list[Mention], sentence: int, a: int, at: int) -> Entity | None:
    """The actor a comma cut off from its verb: 'its chief negotiator, X, had informed ...' -> X."""
    if a <= 0 or doc.text[a - 1] != "," or not _AUXILIARIES.fullmatch(doc.text, a, at):
        return None
    for m in mentions:
        if m.sentence == sentence and m.entity.category in ACTOR_CATEGORIES and m.kind != "demonym" \
                and not doc.in_quote(m.span.start) and doc.text[m.span.end:a - 1].strip() == "":
            return m.entity
    return None


def _conversations(doc: Doc, mentions: list[Mention], sentence: int, parts: list[Entity], at: int, b: int) -> list[list[Entity]]:
    """'X spoke with A and with B': two conversations, each with X; otherwise one."""
    split = _SEPARATE_WITH.search(doc.text, at, b)
    if not split or len(parts) < 3:
        return [parts]
    head, rest = parts[0], parts[1:]
    first = [p for p in rest if any(m.entity.iri == p.iri and m.span.start < split.start() for m in mentions
                                    if m.sentence == sentence)]
    second = [p for p in rest if p not in first]
    return [[head] + first, [head] + second] if first and second else [parts]


def _list_comma(doc: Doc, actors: list[Mention], comma: int) -> bool:
    """A comma inside a list of actors ('Norway, Kenya and Brazil') does not end a clause."""
    left = any(doc.text[m.span.end:comma].strip() == "" for m in actors)
    right = any(re.fullmatch(r",\s*(?:and\s+)?(?:the\s+)?", doc.text[comma:m.span.start]) for m in actors)
    return left and right


def _comma_scope(doc: Doc, mentions: list[Mention], sentence: int, a: int, b: int, at: int) -> tuple[int, int]:
    """The part of a clause between the commas around a cue, not cutting lists of actors."""
    actors = [m for m in in_sentence(mentions, sentence) if m.entity.category in ACTOR_CATEGORIES]
    start, end = a, b
    pos = at
    while True:
        c = doc.text.rfind(",", a, pos)
        if c < 0:
            break
        if not _list_comma(doc, actors, c):
            start = c + 1
            break
        pos = c
    pos = at
    while True:
        c = doc.text.find(",", pos, b)
        if c < 0:
            break
        if not _list_comma(doc, actors, c):
            end = c
            break
        pos = c + 1
    return start, end


def _subject(doc: Doc, mentions: list[Mention], sentence: int, at: int) -> Entity | None:
    """Who met, received or called: the first actor named before the verb, or the person 'he'/'she' stands for."""
    s = doc.sentences[sentence]
    before = [m for m in in_sentence(mentions, sentence) if m.span.start < at and m.kind != "demonym"
              and m.entity.category in ACTOR_CATEGORIES and not doc.in_quote(m.span.start)
              and doc.text[m.span.end:m.span.end + 2] not in ("'s", "\u2019s")]
    persons = [m for m in before if m.entity.category == "person"]
    if persons:
        return persons[0].entity
    if before and re.fullmatch(r"\s*(?:[Tt]he\s+)?", doc.text[s.start:before[0].span.start]):
        return before[0].entity  # "Norway informed ...": a country or body that opens the sentence
    if re.match(r"\s*(?:He|She)\b", s.text):
        return last_person_before(doc, mentions, s.start)
    return None


def _spokespeople(doc: Doc, mentions: list[Mention], sentence: int, a: int, b: int) -> list[Entity]:
    """Countries that act through officials: 'Brazilian and Kenyan officials', 'their Egyptian counterparts'."""
    out = []
    for m in starting_in(mentions, a, b):
        if m.sentence == sentence and m.entity.category == "country" \
                and not doc.in_quote(m.span.start) and _SPOKESPEOPLE.match(doc.text, m.span.end):
            out.append(m.entity)
    return _unique(out)


def _parties(doc: Doc, mentions: list[Mention], sentence: int, a: int, b: int, country_counts: Counter,
             by_iri: dict[str, Entity]) -> list[Entity]:
    text = doc.text[a:b]
    found = [m for m in in_sentence(mentions, sentence) if a <= m.span.start < b and m.entity.category in ACTOR_CATEGORIES
             and not doc.in_quote(m.span.start)]
    two = re.search(r"\bthe two (?:countries|sides|nations|states|parties)\b", text)
    if two:  # the two sides: the actors the sentence opens with, else the article's two main countries
        named = _unique([m.entity for m in in_sentence(mentions, sentence) if m.kind != "demonym" and not (a <= m.span.start < b)
                         and m.entity.category in ("country", "organization") and not doc.in_quote(m.span.start)
                         and m.span.start < a])[:2]
        if len(named) < 2:
            named = [by_iri[i] for i, _ in country_counts.most_common(2)]
        found = [m for m in found if m.span.start < a + two.start()]
        return _unique(_keep(doc, found) + named)
    return _keep(doc, found)


def _keep(doc: Doc, found: list[Mention]) -> list[Entity]:
    persons = [m for m in found if m.entity.category == "person"]
    keep = []
    for m in found:
        if m.kind == "demonym" and not _SPOKESPEOPLE.match(doc.text, m.span.end):
            continue
        if m.entity.category == "country" and any(0 < p.span.start - m.span.end <= 40 and not re.search(
                r"[,;]|\band\b", doc.text[m.span.end:p.span.start]) for p in persons):
            continue  # "Kenya's William Ruto", "Brazilian President Lula": a modifier, not a party
        if m.entity.category == "organization" and m.entity.label in ("Telegram", "X", "Facebook"):
            continue
        if re.search(r"\b(?:at|in|(?<![a-z]s )from|inside|outside)\s+(?:the\s+)?$", doc.text[max(0, m.span.start - 16):m.span.start]):
            continue  # "talks at the Elysee Palace": a venue, not a party
        if re.match(r"[-\u2013]\w", doc.text[m.span.end:m.span.end + 2]) or re.search(r"\w[-\u2013]$", doc.text[max(0, m.span.start - 2):m.span.start]):
            continue  # "a Russian-Turkish summit", "the Ruto-Tshisekedi meeting": a modifier, not two parties
        keep.append(m.entity)
    return _unique(keep)
