"""Explicit counts: how many weapons were launched or intercepted, people killed or injured, objects damaged.

For each number in a sentence (digits or words; "a single", "two dozen"), skipping years, dates, clock
times, ages, ranges, model numbers and identifiers, we find what it counts (the head after it: a weapon,
a person noun or nationality, a damaged-object noun, or a participle such as "wounded"; a number counting
any other noun, "two sides", "One strike", is no count) and which kind of count it is (a verb right before
it, else the finite verb of its clause, else the nearest cue). "N of them" makes a subset of the count
before; list items keep the kind of their head; a bare number coordinated with a count ("and seven more
damaged", "five over Pskov") counts the same things. Breakdowns of where munitions fell and people rescued
are not counts.

Where a count is, by precedence: a place right after it in its clause, the place of the count it is part
of, the nearest place before it in its clause, a place later in its clause or list, any place in the
sentence that is not a reference point nor in a contrasting clause; else the place hit earlier in the
paragraph, else the article's focus (the country for whole-war tolls; the town rather than a building in
it). Places named jointly leave a count without a place; a place named only to locate another ("X in the Y
region", "the camp on the outskirts of Y", "the tanker X in the Red Sea") gives way to it; a count coordinated
with the one before ("killing 11 and wounding 46") shares its place; places in relative-clause asides
(", which covers the Balkans,") are no count's. A toll reported by a territory's casualty body (the Gaza
health ministry) in an article about another country is that territory's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Entity, Mention, Quantity
from ..text import fold, normalize
from . import cues
from .context import REACH, PlaceRef, dateline_end, place_refs, sentence_source
from .scan import folded
from .doc import Doc
from ..lexicon import ancestors
from .entities import entity_from_concept
from .mention_index import in_sentence, starting_in
from .names import singular

_UNITS = cues.UNITS
_PERSON_NOUNS = cues.PERSON_NOUNS
_KIND_WORDS = cues.KIND_WORDS  # kind -> cue words, kinds in the order they are tried
_ALL_CUES = frozenset(w for words in _KIND_WORDS.values() for w in words)
_PHRASAL = cues.PHRASAL
# "lost" counts a death only as "lost their lives"; drones that "were lost" (to jamming) were neutralised
_PHRASAL_KINDS = cues.PHRASAL_KINDS
_NUMBER_WORDS = cues.NUMBER_WORDS
_QUALIFIERS = cues.QUALIFIERS
_WORD_NUM = r"(?:" + cues.alternation(_NUMBER_WORDS) + r")"
_NUMBER = folded(re.compile(
    r"(?<![\w.,/:-])(?:(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?![\w:])(?:\s+(?P<scale>thousand|hundred))?"
    r"|(?P<single>an?\s+single|a\s+lone|a\s+dozen)"
    r"|(?P<words>" + _WORD_NUM + r"(?:[\s-]+" + _WORD_NUM + r")?(?:\s+(?:hundred|thousand)(?:\s+(?:and\s+)?" + _WORD_NUM + r")?)?(?:\s+dozen)?))\b",
    re.I))
_STOP_MODIFIERS = cues.STOP_MODIFIERS
_CLAUSE_BREAK = folded(re.compile(r"[;:]|\bwhile\b|\bbut\b|\bwhereas\b|\bafter\b|\bbefore\b|\bsince\b|\bwhen\b|\bas\b", re.I))


@dataclass
class _Num:
    start: int
    end: int
    value: int
    qualifier: str
    sentence: int


def parse_number(text: str) -> int | None:
    """'1,000' -> 1000; 'twenty-three' -> 23; 'two dozen' -> 24; 'a single' -> 1."""
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    m = re.fullmatch(r"(\d+)\s+(thousand|hundred)", t)
    if m:
        return int(m.group(1)) * (1000 if m.group(2) == "thousand" else 100)
    if re.fullmatch(r"an?\s+single|a\s+lone", t):
        return 1
    if t == "a dozen":
        return 12
    total, current = 0, 0
    for w in re.split(r"[\s-]+", t):
        if w == "and":
            continue
        if w in _NUMBER_WORDS:
            current += _NUMBER_WORDS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif w == "dozen":
            current = max(current, 1) * 12
        else:
            return None
    return total + current


def _numbers(doc: Doc, sentence: int, weapons: list[Mention]) -> list[_Num]:
    """The numbers of a sentence that may be counts; `weapons` are the sentence's weapon mentions."""
    s = doc.sentences[sentence]
    weapon_spans = [(m.span.start, m.span.end) for m in weapons]
    out = []
    for m in _NUMBER.finditer(s.text):
        a, b = s.start + m.start(), s.start + m.end()
        if any(x <= a < y for x, y in weapon_spans):
            continue  # "Kh-22", "S-300", "Tu-160"
        value = parse_number(m.group(0))
        if value is None:
            continue
        before = s.text[:m.start()]
        after = s.text[m.end():]
        next_word = _NEXT_WORD.match(after)
        nw = next_word.group(1).lower() if next_word else ""
        prev_words = _PREV_WORD.findall(before[-40:].lower())
        pw = prev_words[-1] if prev_words else ""
        if m.group("digits") and len(m.group("digits")) == 4 and 1900 <= value <= 2100 and "," not in m.group("digits"):
            continue  # a year
        if nw in _UNITS or after[:1] in ("%", ":", "/") or _UNIT_AFTER.match(after):
            continue
        if pw in cues.NUMBER_IDENTIFIERS:
            continue
        if (pw.rstrip(".") in _MONTHS and _WORD_THEN_SPACE.search(before)) or nw in _MONTHS:
            continue  # a date
        if _AGE_BEFORE.search(before[-30:]):
            continue  # "ranged in age from 19 to 83", "aged between 27 and 88"
        if _is_range(before, after):
            continue  # "one or two more": a range, not an explicit count
        if _is_apposed_age(before, after):
            continue  # "Mariana Kovalenko, 61, whose house...", "..., Ostap Shcherbak, 47, and ..."
        if m.group("words") and m.group(0).lower() == "one" and _NOT_ONE_COUNT.match(after):
            continue  # "one of the deadliest", "one-way drones"; "one of them" is a subset count
        qualifier = ""
        low_before = before.lower().rstrip()
        for phrase, q in _QUALIFIERS:
            if low_before.endswith(" " + phrase) or low_before == phrase:
                qualifier = q
                break
        out.append(_Num(a, b, value, qualifier, sentence))
    return out


# "one or two more", "40 to 50 soldiers", "between 40 and 50": an estimate, not an explicit count ("rose
# from 3 to 6" is an update, not a range)
_RANGE_AFTER = re.compile(r"\s+or\s+(?:\d+|" + _WORD_NUM + r")\b", re.I)
_RANGE_BEFORE = re.compile(r"\b(?:\d+|" + _WORD_NUM + r")\s+or\s+$|\bbetween\s+(?:(?:\d+|" + _WORD_NUM + r")\s+and\s+)?$", re.I)
_TO_RANGE_AFTER = re.compile(r"\s+to\s+(?:\d+|" + _WORD_NUM + r")\s+[a-z]", re.I)
_TO_RANGE_BEFORE = re.compile(r"\b(?:\d+|" + _WORD_NUM + r")\s+to\s+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:\d+|" + _WORD_NUM + r")?\s*(?:to\s+)?$", re.I)


def _is_range(before: str, after: str) -> bool:
    if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before):
        return True
    return bool((_TO_RANGE_AFTER.match(after) or _TO_RANGE_BEFORE.search(before)) and not _FROM_BEFORE.search(before))


def _is_apposed_age(before: str, after: str) -> bool:
    """A number set off by commas right after a name is an age: 'Olena, 54, who ...', 'X, 52, and Y, 54.'"""
    if not _NAME_COMMA.search(before[-30:]):
        return False
    return bool(_AGE_AFTER.match(after))


_MONTHS = cues.MONTHS


def _kind_cues(text: str) -> list[tuple[int, str]]:
    """(offset, kind) for every cue word in text; phrasal verbs need their particle."""
    out = []
    for m in _LETTERS.finditer(text):
        w = m.group(0).lower()
        for kind, words in _KIND_WORDS.items():
            if w in words:
                particle = _PHRASAL.get(w)
                if particle and kind in _PHRASAL_KINDS.get(w, {kind}) and not _PARTICLE_AFTER[w].match(
                        text[m.end():m.end() + 16]):
                    continue
                out.append((m.start(), kind))
    return out


@dataclass
class _Head:
    category: str  # weapon | person | object | kind | partitive | none
    weapon: Entity | None = None
    object_label: str = ""
    object_iri: str = ""
    kind: str = ""
    end: int = 0
    distributive: bool = False
    generic: bool = False  # "312 of Russia's weapons": a weapon count with no weapon type


def _head(doc: Doc, num: _Num, mentions: list[Mention]) -> _Head:
    lex = doc.resources.lexicon
    text = doc.text
    s = doc.sentences[num.sentence]
    after = text[num.end:s.end]
    m = _MORE.match(after)
    skip = m.end() if m else 0
    if _EACH.match(after):
        return _Head("none", distributive=True, end=num.end + after.index("each") + 4)
    part = _OF_PRONOUN.match(after)
    if part:
        return _Head("partitive", end=num.end + part.end())
    part = _OF_THE.match(after)
    cursor = num.end + (part.end() if part else skip)
    # weapon mention within the next few words ("23 Geran-2 drones", "three Russian-made glide bombs")
    window_end = min(s.end, cursor + 45)
    for mm in starting_in(mentions, cursor, window_end):
        if mm.entity.category == "weapon":
            between = text[cursor:mm.span.start]
            if _WEAPON_MODIFIERS.fullmatch(between) and \
                    not _NOT_MODIFIER.search(between) and not _PLURAL_NOUN.search(between):
                platform = _PLATFORM_AFTER.match(text, mm.span.end)
                if platform:
                    # "three missile corvettes": the ships carry the missiles; destroyed, they are damaged objects
                    return _Head("object", object_label=singular(platform.group(0).split()[-1].lower()),
                                 end=platform.end())
                weapon, end = _weapon_phrase(doc, mm, mentions)
                return _Head("weapon", weapon=weapon, end=end, kind=_modifier_kind(between))
    if _IMPACT.match(text, num.end):
        return _Head("noun", end=num.end)  # "three struck warehouses": where some munitions came down
    words = _WORD_TOKEN.findall(text[cursor:window_end])
    if part and words and singular(words[0].lower()) in cues.GENERIC_WEAPON_NOUNS:
        return _Head("weapon", end=cursor + len(words[0]), generic=True)
    generic = _GENERIC_WEAPONS.match(text[cursor:window_end])
    if generic:  # "over 90 aerial targets were downed", "12 projectiles": counted weapons of no named type
        return _Head("weapon", end=cursor + generic.end(), generic=True)
    if words:
        w0 = words[0].lower()
        if w0 in _PERSON_NOUNS or (len(words) > 1 and words[1].lower() in _PERSON_NOUNS and w0 not in _KIND_WORDS["killed"] | _KIND_WORDS["injured"]):
            return _Head("person", end=cursor)
        if _modified_person(_WORD_RUN.match(text, cursor, window_end)):
            return _Head("person", end=cursor)
        for kind in ("killed", "injured"):
            if w0 in _KIND_WORDS[kind] and w0 not in {"toll", "lives"}:
                return _Head("kind", kind=kind, end=cursor + len(words[0]))
        if w0 in cues.LAUNCH_HEADS:
            return _Head("kind", kind="launched", end=cursor + len(words[0]))
        # damaged-object noun phrase: longest object label among the next words, after at most two
        # modifiers ("50 historic buildings", "12 multi-storey residential buildings")
        for skip, n in [(j, n) for j in range(0, 3) for n in range(min(4 + j, len(words)), j, -1)]:
            if skip and not all(w.islower() and w.lower() not in _STOP_MODIFIERS for w in words[:skip]):
                continue
            phrase = [fold(w) for w in words[skip:n]]
            key = tuple(normalize(" ".join(phrase)).split())
            entries = lex.lookup(key) or lex.lookup(key[:-1] + (singular(key[-1]),)) if key else []
            entries = [e for e in entries if lex.concepts[e.iri].category == "object"]
            if entries:
                label = " ".join(words[:n - 1] + [singular(words[n - 1].lower())]).lower()  # modifiers kept
                rest2 = text[cursor:window_end]
                conj = re.match(r"[A-Za-z' -]*?\b" + re.escape(words[n - 1]) + r"\s+(and|or)\s+([a-z]+)", rest2)
                if conj:
                    other = tuple(normalize(singular(conj.group(2))).split())
                    if any(lex.concepts[e.iri].category == "object" for e in lex.lookup(other)):
                        label = f"{label} and {singular(conj.group(2))}"
                return _Head("object", object_label=label, object_iri=entries[0].iri, end=cursor)
    target = _TARGETS.match(text, cursor)
    if target and not _LOCATIVE_BEFORE.search(text, max(s.start, num.start - 40), num.start):
        # "hitting over 40 targets", "seven facilities had been struck": struck targets count as damaged
        mods = [w for w in target.group(0).split()[:-1] if w.islower()]  # not the owner's name ("Hezbollah targets")
        label = " ".join(mods + [singular(target.group("noun").lower())])
        return _Head("object", object_label=label, end=cursor)
    follow = _TOKEN.findall(text[cursor:window_end])
    if follow and follow[0][0].isalpha():
        if _people_by_nationality(doc, follow):
            return _Head("person", end=cursor)
        if _other_noun(follow[0]):
            return _Head("noun", end=num.end)
    return _Head("none", end=num.end)


_WORD_RUN = re.compile(r"\s*((?:[A-Za-z'\u2019-]+\s+){0,4}[A-Za-z'\u2019-]+)")
_NOT_PERSON_MODIFIER = cues.RELATIVE_WORDS


def _modified_person(phrase: re.Match | None) -> bool:
    """'four senior rebel field commanders', 'five Red Crescent paramedics': people after up to three
    modifiers, each a name word or a singular adjective (a plural noun or a function word ends the phrase)."""
    if phrase is None:
        return False
    words = phrase.group(1).split()
    for j in range(2, min(4, len(words) - 1) + 1):
        if words[j].lower() not in _PERSON_NOUNS:
            continue
        mods = words[:j]
        return all(w[:1].isupper() or (w not in _STOP_MODIFIERS and w not in _NOT_PERSON_MODIFIER and w not in _ALL_CUES
                                        and w not in _NUMBER_WORDS and not w.endswith("s")) for w in mods)
    return False


_TARGETS = re.compile(r"(?:[a-z-]+\s+|[A-Z][\w-]+\s+(?=[a-z]|targets|sites|positions)){0,2}?"
                      r"(?P<noun>targets?|sites?|locations?|positions?|facilities|facility)\b")
# "45 targets at 12 locations": the second number says where the first count was
_LOCATIVE_BEFORE = re.compile(r"\b(?:targets?|sites?|locations?|positions?|facilities)\s+(?:at|in|across|over|among)\s+"
                              r"(?:(?:at\s+least|more\s+than|about|around|some)\s+)?$", re.I)
_TOKEN = re.compile(r"[A-Za-z'\u2019-]+|[^\sA-Za-z]")
# what may follow a number that stands alone ("downed 170,", "11 over Pskov", "two more were hurt")
_ELLIPSIS_NEXT = cues.ELLIPSIS_NEXT
_NATIONALITY_PLURAL = re.compile(r"[A-Z][a-z]+(?:ians|ans|ese|is|os|ers)$")


def _other_noun(word: str) -> bool:
    """A number followed by a noun we do not count ("two sides", "One strike", "four regions", "two Navy
    destroyers") is not an elliptical count."""
    w = word.lower()
    if w in _ELLIPSIS_NEXT or w in _ALL_CUES or w.endswith(("ed", "ing")):
        return False
    return True


def _people_by_nationality(doc: Doc, follow: list[str]) -> bool:
    """'64 Yazidis were killed', 'two Nepalis and one Thai': a nationality standing for people."""
    w0 = follow[0]
    if not w0[:1].isupper():
        return False
    if normalize(singular(w0.lower())) not in doc.resources.lexicon.demonyms and not _NATIONALITY_PLURAL.match(w0):
        return False
    nxt = follow[1].lower() if len(follow) > 1 else "."
    return not nxt[0].isalpha() or nxt in _ELLIPSIS_NEXT or nxt in _ALL_CUES


# words that cannot stand between a number and the weapon it counts ("four hurt when a missile struck")
_NOT_MODIFIER = re.compile(r"\b(?:were|was|had|have|has|of|and|in|on|by|after|before|when|while|as|a|an|the|at|to|"
                           r"from|with|over|into|for|killed|wounded|injured|dead|people)\b", re.I)
_PLURAL_NOUN = re.compile(r"\b[a-z]+(?:ies|[^su\s]s)\b")  # "the rival militias traded mortar fire"
_PLATFORM_AFTER = re.compile(r"\s+(?:" + cues.alternation(cues.PLATFORM_NOUNS) + r")\b", re.I)


_COORD_GAP = re.compile(r"\s*(?:/|,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+(?:other\s+)?)\s*")
_WEAPON_TAIL = re.compile(r"(?:/[\w-]+)*(?:(?:\s+[a-z-]+){0,2}?\s+(?:missiles?|drones?|rockets?|bombs?|shells?|munitions?)\b)?")


def _weapon_phrase(doc: Doc, first: Mention, mentions: list[Mention]) -> tuple[Entity, int]:
    """The weapon a count counts and where its phrase ends. Names sharing one head noun ("41 Kh-22, Kh-32
    and Kalibr cruise missiles", "38 Kh-22/Kh-32 cruise missiles", "47 Geran-2 and other drones")
    count the common type the head noun names."""
    text = doc.text
    last = first
    for mm in in_sentence(mentions, first.sentence):
        if mm.span.start >= last.span.end and mm.entity.category == "weapon":
            if mm.span.start > last.span.end + 12 or not _COORD_GAP.fullmatch(text, last.span.end, mm.span.start):
                break
            last = mm
    end = last.span.end
    tail = _WEAPON_TAIL.match(text, end)
    if tail:
        end = tail.end()
    if last is first:
        return _apposed_type(doc, first, end, mentions), end
    return _generic_weapon(doc, text[last.span.start:end]) or last.entity, end


_APPOSITION = re.compile(r"\s*(?:[\u2014\u2013]|--|\(|,\s+(?:namely|i\.e\.))\s*")


def _apposed_type(doc: Doc, first: Mention, end: int, mentions: list[Mention]) -> Entity:
    """'four guided aerial bombs — FAB-1500s with UMPK kits': the type named in apposition is the weapon."""
    gap = _APPOSITION.match(doc.text, end)
    if not gap:
        return first.entity
    for mm in mentions:
        if mm.span.start == gap.end() and mm.entity.category == "weapon" and \
                first.entity.iri in ancestors(doc.resources.lexicon, mm.entity.iri):
            return mm.entity
    return first.entity


def _generic_weapon(doc: Doc, phrase: str) -> Entity | None:
    """The weapon type named by the last words of a phrase ("Kalibr cruise missiles" -> cruise missile)."""
    lex = doc.resources.lexicon
    words = [fold(w) for w in re.findall(r"[A-Za-z-]+", phrase)]
    for n in (2, 1):
        if len(words) < n:
            continue
        key = tuple(normalize(" ".join(words[-n:-1] + [singular(words[-1].lower())])).split())
        for e in lex.lookup(key):
            if lex.concepts[e.iri].category == "weapon":
                return entity_from_concept(doc, lex.concepts[e.iri])
    return None


def _modifier_kind(between: str) -> str:
    """'one downed drone', 'five intercepted missiles': a participle before the weapon says what happened."""
    for w in _LOWER_WORD.findall(between.lower()):
        kind = cues.WEAPON_PARTICIPLES.get(w)
        if kind:
            return kind
    return ""


_QUAL_RE = r"(?:(?:at\s+least|more\s+than|over|about|around|roughly|nearly|almost|some|up\s+to|another|a\s+further|a\s+record|a\s+total\s+of)\s+)?"


_SUBSET_CLAUSE = re.compile(r"\b(?:(?:\d+|" + _WORD_NUM + r")\s*(?:%|percent|per\s+cent)|most|all|some|many|none|half|"
                            r"several|the\s+rest|the\s+majority)\s+of\s+(?:which|them|those|these)\b", re.I)


def _cue(doc: Doc, num: _Num, head: _Head, lo: int, hi: int, allowed: set[str]) -> str | None:
    """The kind cue for a number: a verb right before it ("killing at least 17"), else the nearest cue
    after its head within [head.end, hi), else the nearest before it within [lo, num.start)."""
    text = doc.text
    before = text[lo:num.start]
    kind = _adjacent_cue(before, allowed)
    if kind:
        return kind
    subset = _SUBSET_CLAUSE.search(text, head.end, hi)  # "..., 99% of which were intercepted" tells of a part
    after = [(off, kind) for off, kind in _kind_cues(text[head.end:subset.start() if subset else hi]) if kind in allowed]
    if after:
        # "three rockets fired toward Haifa were intercepted": the finite verb, not the participle, says what happened
        finite = [kind for off, kind in after if _AUXILIARY.search(text, max(head.end, head.end + off - 24), head.end + off)]
        return finite[0] if finite and not _AUXILIARY.search(text, max(head.end, head.end + after[0][0] - 24),
                                                               head.end + after[0][0]) else after[0][1]
    found = [kind for off, kind in _kind_cues(before) if kind in allowed]
    return found[-1] if found else None


def _adjacent_cue(before: str, allowed: set[str]) -> str | None:
    """The kind of a verb right before a number: 'killing at least 17', 'shot down six'."""
    # a match is letters and spaces up to the end: it starts after the last other character, so the scan
    # can start there (the same match, without trying every earlier place of a long clause)
    other = _LAST_NOT_LETTER.search(before)
    adjacent = _ADJACENT_VERB.search(before, other.start() + 1 if other else 0)
    if adjacent:
        w = adjacent.group(2).lower()
        verb = (adjacent.group(1) or "").lower()
        for kind in (k for k in _KIND_WORDS if k in allowed):  # fixed order: sets iterate by hash seed
            if w in _KIND_WORDS[kind] and w not in _PHRASAL:
                return kind
            if verb in _KIND_WORDS[kind] and verb in _PHRASAL and _PARTICLE[verb].fullmatch(w):
                return kind  # "shot down six", "brought down 10"
    return None


_TO_HOSPITAL = re.compile(r"\s*(?:\w+\s+)?(?:were|was|had\s+been|have\s+been)\s+(?:\w+ly\s+)?(?:"
                          + cues.alternation(cues.HOSPITAL_VERBS) + r")\s+to\s+(?:a\s+|the\s+)?hospitals?\b", re.I)
# "All 35 drones launched overnight were shot down": the whole salvo is counted twice, launched and downed
_ALL_BEFORE = re.compile(r"\b[Aa]ll\s+(?:of\s+the\s+)?$")
_LAUNCH_PARTICIPLE = re.compile(r"\s+(?:launched|fired)\b")
_OF_THOSE = re.compile(r"(?:Of|Among)\s+(?:those|them|these|which)\s*,", re.I)
# people a count is about but not harmed: "rescued 17 people, including the wounded"
_UNHARMED_VERB = re.compile(r"\b(?:" + cues.alternation(cues.UNHARMED_VERBS) + r")\s+" + r"(?:(?:at\s+least|more\s+than|"
                            r"about|around|some|nearly|over)\s+)?$", re.I)
_NOT_LAUNCHED = re.compile(r"\s+(?:more\s+)?(?:fell\s+short|misfired|veered\s+off|went\s+astray|failed\s+to\s+(?:launch|reach)|"
                           r"(?:were|was)\s+(?:still\s+)?(?:trapped|missing|under\s+the\s+rubble|rescued|evacuated))\b", re.I)
_LOCAL_END = re.compile(r";|,\s*(?:and|but|while|whereas)\b|\b(?:but|while|whereas)\b")
# where some of the counted munitions came down: a breakdown of the count, not a count of its own
_IMPACT = re.compile(r"\s+(?:\w+ly\s+)?(?:" + cues.phrase_alternation(cues.IMPACT_VERBS) + r")\b", re.I)
_SAME_THINGS = {"object": {"damaged"}, "person": {"killed", "injured"}, "weapon": {"intercepted", "launched"}}


def _family(q: Quantity) -> str:
    return "object" if q.kind == "damaged" else "weapon" if q.kind in ("launched", "intercepted") else "person"


# "two Nepalis and one", "four tanks and two": the items of one list of people or things
_ITEM_LIST_GAP = re.compile(r"\s+(?:[\w'\u2019-]+\s+){0,2}?[\w'\u2019-]+(?:\s*,\s*(?:and\s+)?|\s+and\s+)" + _QUAL_RE, re.I)
_LIST_ITEM_GAP = re.compile(r"[\s,;:\u2014\u2013-]*(?:(?:and|along with|as well as|plus|together with)\s+)?" + _QUAL_RE, re.I)
_AUXILIARY = re.compile(r"\b(?:was|were|is|are|been|be|being|had|have|has)\s+(?:\w+ly\s+)?$", re.I)


def _list_end(doc: Doc, nums: list[_Num], heads: list[_Head], k: int) -> int:
    """Index of the last number of the coordinated list number k is in ("62 of the missiles and 33 of the drones")."""
    j = k
    while j + 1 < len(nums) and (heads[j + 1].category == "partitive" or _AND_GAP.fullmatch(
            doc.text[heads[j].end:nums[j + 1].start])):
        if heads[j + 1].category == "partitive" and heads[k].category in ("weapon", "none"):
            break
        j += 1
    return j


def _clause_end(doc: Doc, start: int, end: int) -> int:
    m = _SEMICOLON.search(doc.text[start:end])
    return start + m.start() if m else end


@dataclass
class _Sentence:
    """What the counts of one sentence are read against."""

    doc: Doc
    index: int
    start: int
    end: int
    nums: list[_Num]
    heads: list[_Head]
    out: list[Quantity]  # every count so far in the article
    first: int  # index in `out` of this sentence's first count
    weapons: list[Mention]
    last_weapon: Entity | None  # the last weapon named before this sentence

    def prev(self) -> Quantity | None:
        """The count before, if it is in this sentence."""
        return self.out[-1] if len(self.out) > self.first else None


def find_quantities(doc: Doc, mentions: list[Mention], focus: Entity | None) -> list[Quantity]:
    """All explicit counts in the article; `focus` is the place a count falls back to (context.focus_place)."""
    out: list[Quantity] = []
    placed: set[int] = set()  # counts with no place although their sentence names places (spread over several)
    last_weapon: Entity | None = None
    refs_cache: dict[int, list[PlaceRef]] = {}
    focus = _settlement_focus(doc, mentions, focus)
    weapons_in: dict[int, list[Mention]] = {}  # one pass over the mentions, not one per sentence
    for m in mentions:
        if m.entity.category == "weapon":
            weapons_in.setdefault(m.sentence, []).append(m)
    for s in doc.sentences:
        weapons = weapons_in.get(s.index, [])
        nums = _numbers(doc, s.index, weapons)
        if nums:
            ctx = _Sentence(doc, s.index, s.start, s.end, nums, _sentence_heads(doc, s.index, nums, mentions, out), out,
                            len(out), weapons, last_weapon)
            _read_counts(ctx, mentions, focus, refs_cache, placed)
        last_weapon = weapons[-1].entity if weapons else last_weapon
    return _dedupe(out, placed)


def _settlement_focus(doc: Doc, mentions: list[Mention], focus: Entity | None) -> Entity | None:
    """A count tied to no place falls back to the town the article is about, not to a building in it: when
    the article's focus is a site (a theater, a hospital) in a town the body names again and again, the town."""
    if focus is None or focus.feature_type != "site":
        return focus
    body = dateline_end(doc)
    counts: dict[str, tuple[int, Entity]] = {}
    for m in mentions:
        if m.span.start >= body and m.entity.category == "place" and m.entity.feature_type == "city" and \
                m.kind in ("name", "alias"):
            n, _ = counts.get(m.entity.iri, (0, m.entity))
            counts[m.entity.iri] = (n + 1, m.entity)
    best = max(counts.values(), key=lambda x: x[0], default=None)
    return best[1] if best is not None and best[0] >= _TOWN_MENTIONS else focus


_TOWN_MENTIONS = 2  # a town named this often in the body is what the article is about


def _sentence_heads(doc: Doc, sentence: int, nums: list[_Num], mentions: list[Mention], out: list[Quantity]) -> list[_Head]:
    """What each number counts, with subsets marked: "14 people, including 3 children", "312 of 340 drones"."""
    s = doc.sentences[sentence]
    heads = [_head(doc, n, mentions) for n in nums]
    if _OF_THOSE.match(s.text) and out and out[-1].sentence == sentence - 1:
        heads = [_Head("partitive", end=h.end, weapon=h.weapon) if h.category in ("none", "weapon") else h
                 for h in heads]  # "Of those, 95 fell short and air defences shot down 170"
    for k in range(1, len(nums)):
        before = doc.text[s.start:nums[k].start]
        if _INCLUDING.search(before) \
                and heads[k].category in ("none", "weapon", "person", "kind"):
            heads[k] = _Head("partitive", end=heads[k].end, weapon=heads[k].weapon)
        if _OF_GAP.fullmatch(doc.text[nums[k - 1].end:nums[k].start]) and heads[k].category == "weapon":
            heads[k - 1] = _Head("weapon", weapon=heads[k].weapon, end=nums[k - 1].end)
    return heads


def _read_counts(ctx: _Sentence, mentions: list[Mention], focus: Entity | None, refs_cache: dict[int, list[PlaceRef]],
                 placed: set[int]) -> None:
    """Append the counts of one sentence to ctx.out."""
    doc, text = ctx.doc, ctx.doc.text
    refs = _refs(doc, mentions, ctx.index, refs_cache)
    stext = text[ctx.start:ctx.end]
    fallback = _war_country(doc, focus) if _WAR_TOTAL.match(stext) else (
        _paragraph_place(doc, mentions, ctx.index, refs_cache) or focus)
    source = sentence_source(doc, mentions, ctx.index)
    for k, (num, head) in enumerate(zip(ctx.nums, ctx.heads)):
        if head.category == "noun":
            continue
        lo, own_hi, list_hi = _scope(ctx, k)
        read = _kind(ctx, k, lo, own_hi, list_hi)
        if read is None:
            continue
        kind, weapon, head, subset_of = read
        if kind in ("launched", "intercepted") and weapon is None and not head.generic:
            weapon = _weapon_nearby(ctx, num, own_hi)
        own_refs = _national(doc, source, num, kind) if not refs else _outside_asides(text, ctx, num, refs)
        if k + 1 < len(ctx.nums) and ctx.heads[k + 1].category == "partitive" and not _partitive_aside(ctx, k):
            # "five were killed, including two in Nikopol": Nikopol is where the two were
            own_refs = [r for r in own_refs if r.start < ctx.nums[k + 1].start]
        own_fallback = fallback
        if kind in ("killed", "injured"):
            own_fallback = _casualty_source_place(doc, mentions, ctx.index, source, fallback) or fallback
        if kind == "intercepted" and own_fallback is not None and own_fallback.feature_type == "site" and \
                focus is not None and focus.feature_type != "site":
            own_fallback = focus  # drones are downed over a town, not at the base another one hit
        if kind == "launched":
            # a salvo with no place named goes where the article's last salvo was aimed
            own_fallback = next((q.place for q in _recent(ctx.out, num.start) if q.kind == "launched" and q.place), fallback)
        prev = ctx.prev()
        partner = prev if prev is not None and _COORDINATED.fullmatch(text, prev.span.end, num.start) else None
        places = _places(text, num, head, own_refs, lo, own_hi, list_hi, subset_of, ctx.out, own_fallback, partner,
                         casualty=kind in ("killed", "injured"))
        span = doc.span(num.start, max(num.end, min(head.end, ctx.end)))
        if kind == "intercepted" and head.category == "weapon" and _ALL_BEFORE.search(text, lo, num.start) \
                and _LAUNCH_PARTICIPLE.match(text, head.end):
            ctx.out.append(Quantity(kind="launched", value=num.value, span=span, sentence=ctx.index,
                                    qualifier=num.qualifier, weapon=weapon, place=places[0], claimant=source))
        for place in places:
            if place is None and refs:
                placed.add(len(ctx.out))
            ctx.out.append(Quantity(kind=kind, value=num.value, span=span, sentence=ctx.index, qualifier=num.qualifier,
                                    weapon=weapon if kind in ("launched", "intercepted") else None,
                                    place=place, object_label=head.object_label if kind == "damaged" else "",
                                    object_iri=head.object_iri if kind == "damaged" else "", claimant=source,
                                    subset_of=subset_of))


# ", which covers the Balkans,": a relative clause set off by commas describes something else
_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;:]*,")


def _outside_asides(text: str, ctx: _Sentence, num: _Num, refs: list[PlaceRef]) -> list[PlaceRef]:
    """The refs a count may be at: not those inside a relative clause aside that does not hold the count."""
    asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text, ctx.start, ctx.end)
              if not m.start() <= num.start < m.end()]
    if not asides:
        return refs
    return [r for r in refs if not any(a <= r.start < b for a, b in asides)]


def _refs(doc: Doc, mentions: list[Mention], sentence: int, cache: dict[int, list[PlaceRef]]) -> list[PlaceRef]:
    if sentence not in cache:
        cache[sentence] = _specific(doc.text, place_refs(doc, mentions, sentence))
    return cache[sentence]


_ASIDE_END = re.compile(r"[^,;.]*,\s+(?:were|was|are|is|had|have|has)\b")


def _partitive_aside(ctx: _Sentence, k: int) -> bool:
    """'three others, one of them a Jordanian citizen, were hurt in ...': the subset after number k is an
    aside, and the clause of number k goes on after it."""
    return k + 1 < len(ctx.nums) and ctx.heads[k + 1].category == "partitive" and \
        bool(_ASIDE_END.match(ctx.doc.text, ctx.heads[k + 1].end))


def _scope(ctx: _Sentence, k: int) -> tuple[int, int, int]:
    """Where number k's clause starts, where its own clause ends, and where the list it is in ends."""
    doc, num, head = ctx.doc, ctx.nums[k], ctx.heads[k]
    clause_lo = ctx.heads[k - 1].end if k else ctx.start
    brk = [clause_lo + m.start() for m in _CLAUSE_BREAK.finditer(doc.text[clause_lo:num.start])]
    lo = brk[-1] if brk else clause_lo
    j = _list_end(doc, ctx.nums, ctx.heads, k)
    list_hi = ctx.nums[j + 1].start if j + 1 < len(ctx.nums) else ctx.end
    list_hi = _clause_end(doc, ctx.heads[j].end, list_hi)
    nxt = k + 2 if _partitive_aside(ctx, k) else k + 1  # its verb and place come after the aside
    own_hi = _clause_end(doc, head.end, ctx.nums[nxt].start if nxt < len(ctx.nums) else ctx.end)
    if k + 1 < len(ctx.nums) and ctx.heads[k + 1].category in ("noun", "object"):
        # "fired 240 rockets at nine army posts": the noun phrase of a number counting something
        # else still says where the count was
        phrase = _NOUN_PHRASE.match(doc.text, ctx.nums[k + 1].end)
        if phrase:
            own_hi = max(own_hi, min(phrase.end(), ctx.end))
    return lo, own_hi, list_hi


_NOUN_PHRASE = re.compile(r"(?:\s+(?!(?:in|on|at|of|to|for|from|by|with|and|or)\b)[\w'\u2019-]+){1,4}")


def _kind(ctx: _Sentence, k: int, lo: int, own_hi: int, list_hi: int) \
        -> tuple[str, Entity | None, _Head, int | None] | None:
    """(kind, weapon, head, index of the count it is part of) for number k, or None when it is no count."""
    doc, text, num, head = ctx.doc, ctx.doc.text, ctx.nums[k], ctx.heads[k]
    kind: str | None = None
    weapon, subset_of = head.weapon, None
    if head.category == "partitive":
        if _IMPACT.match(text, head.end):
            return None  # "Two of them exploded in a park", "one of them crashed into a building"
        out = ctx.out
        ante = out[-1] if ctx.prev() or (out and out[-1].sentence == ctx.index - 1) else None
        if ante is None:
            head = _Head("person", end=head.end)
        else:
            local = _COMMA_OR_AND.search(text[head.end:own_hi])
            local_hi = head.end + local.start() if local else own_hi
            kind = _cue(doc, num, head, lo, local_hi, _SAME_THINGS[_family(ante)])  # "it destroyed 144 of them"
            if kind is None or kind == ante.kind or (ante.kind in ("killed", "injured") and kind in ("killed", "injured")):
                kind = ante.kind
                subset_of = next(i for i, q in enumerate(out) if q.span.start == ante.span.start and (q is ante or q == ante))
            weapon = head.weapon or ante.weapon
    if head.category == "kind":
        kind = head.kind
    elif head.category == "person":
        if _UNHARMED_VERB.search(text, max(lo, num.start - 40), num.start):
            return None
        kind = _cue(doc, num, head, lo, list_hi, {"killed", "injured"})
        if kind is None and _TO_HOSPITAL.match(text, head.end):
            kind = "injured"  # "Forty people were taken to hospital"
        if kind is None:
            kind = _kind_after_aside(text, head.end, ctx.end)
        prev = ctx.prev()
        if kind is None and k and prev is not None and prev.kind in ("killed", "injured") and \
                _ITEM_LIST_GAP.fullmatch(text, ctx.nums[k - 1].end, num.start):
            kind = prev.kind  # "The dead were two Nepalis and one Jordanian"
    elif head.category == "weapon":
        if head.weapon is not None and _is_platform(doc, head.weapon) and \
                _INSTRUMENT.search(text, max(lo, num.start - 40), num.start):
            return None  # "shot down with two destroyers": the ships that fired, not what was counted
        kind = _weapon_kind(ctx, k, lo, list_hi)
        if kind == "intercepted" and head.weapon is not None and _is_ground_vehicle(doc, head.weapon):
            # "destroyed four tanks": vehicles are not intercepted, they are destroyed objects
            noun = singular(doc.text[num.start:head.end].split()[-1].lower())
            return "damaged", None, _Head("object", object_label=noun, end=head.end), subset_of
    elif head.category == "object":
        kind = _cue(doc, num, head, lo, _clause_end(doc, head.end, ctx.end), {"damaged"})
        prev = ctx.prev()
        if kind is None and k and prev is not None and prev.kind == "damaged" and \
                _ITEM_LIST_GAP.fullmatch(text, ctx.nums[k - 1].end, num.start):
            kind = "damaged"  # "destroyed four tanks and two Grad launchers"
    elif head.category == "none":
        if _NOT_LAUNCHED.match(text, head.end) or _IMPACT.match(text, head.end):
            return None  # "95 fell short inside the territory", "three struck warehouses and one hit a garage"
        local = _LOCAL_END.search(text, head.end, own_hi)
        local_hi = local.start() if local else own_hi
        prev = ctx.prev() if k > 0 and (head.distributive or _LIST_JOIN.search(
            text[ctx.heads[k - 1].end:num.start])) else None
        if prev is not None:
            # "15 houses were destroyed and nine more damaged", "five over Pskov and three over Kazan",
            # "rose from three to six": the bare number counts what the count before it counts
            kind = _cue(doc, num, head, lo, local_hi, _SAME_THINGS[_family(prev)]) or prev.kind
            weapon = prev.weapon
            head = _Head("none", end=head.end, object_label=prev.object_label, object_iri=prev.object_iri,
                         distributive=head.distributive)
        else:
            kind = _cue(doc, num, head, lo, local_hi, {"killed", "injured", "intercepted"})
            if kind == "intercepted" and not (ctx.weapons or ctx.last_weapon or (ctx.out and ctx.out[-1].weapon)):
                kind = None
        if kind is None and (_TOLL_TO.search(text, ctx.start, num.start) or _REPORTED.search(text, lo, num.start)):
            kind = _last_casualty_kind(ctx)  # "the toll rose to 14", "earlier they had reported 18"
    return (kind, weapon, head, subset_of) if kind else None


# what a weapon did the counting with: "shot down by the destroyer X", "including with two destroyers"
_INSTRUMENT = re.compile(r"\b(?:by|with|using)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?" + _QUAL_RE + r"$", re.I)
# "18 people, among them six women and four children, were killed": the verb comes after the subset aside
_PEOPLE_ASIDE = re.compile(r"\s*(?:[\w'\u2019-]+\s+){0,2}?[\w'\u2019-]+\s*,\s+(?:among\s+them|including|of\s+whom|"
                           r"most\s+of\s+them|many\s+of\s+them)\b[^,;.]*,", re.I)


def _kind_after_aside(text: str, head_end: int, end: int) -> str | None:
    aside = _PEOPLE_ASIDE.match(text, head_end, end)
    if not aside:
        return None
    rest = _UNTIL_COMMA.match(text[aside.end():end]).group(0)
    found = [kind for _, kind in _kind_cues(rest) if kind in ("killed", "injured")]
    return found[0] if found else None


_TOLL_TO = re.compile(r"\b(?:toll|number|figure|count|tally)\b[^.;]{0,60}\b(?:to|at)\s+" + _QUAL_RE + r"$", re.I)
_REPORTED = re.compile(r"\b(?:reported|counted|recorded|confirmed|gave|up\s+from|down\s+from)\s+" + _QUAL_RE + r"$", re.I)


def _last_casualty_kind(ctx: _Sentence) -> str | None:
    """The kind of the toll a bare figure updates: the last killed/injured count in this or the sentence
    before, else killed when the sentence speaks of a toll."""
    stext = ctx.doc.text[ctx.start:ctx.end]
    if _NUMBER_INJURED.search(stext):
        return "injured"
    for q in reversed(ctx.out):
        if q.sentence < ctx.index - 1:
            break
        if q.kind in ("killed", "injured"):
            return q.kind
    return "killed" if _TOLL_WORD.search(stext) else None


# the salvo a part of is told of: "95 percent of the", "Of the", ", and of the"
_WHOLE_BEFORE = re.compile(r"(?:\b(?:\d+|" + _WORD_NUM + r")\s*(?:%|percent|per\s+cent)\s+of|(?:^|[,;]\s*(?:and\s+)?)[Oo]f)"
                           r"\s+(?:the\s+)?" + _QUAL_RE + r"$")


def _weapon_kind(ctx: _Sentence, k: int, lo: int, list_hi: int) -> str | None:
    """Launched or intercepted, for a count of weapons; None for aircraft that carry them."""
    doc, text, num, head = ctx.doc, ctx.doc.text, ctx.nums[k], ctx.heads[k]
    gap = text[ctx.heads[k - 1].end:num.start] if k else ""
    prev = ctx.prev()
    adjacent = _adjacent_cue(text[lo:num.start], {"intercepted", "launched"})
    if head.kind:
        kind = head.kind  # "one downed drone"
    elif adjacent:
        kind = adjacent
    elif k and prev is not None and prev.weapon is not None and _LIST_ITEM_GAP.fullmatch(_LAST_COMMA.split(gap)[-1]):
        kind = prev.kind  # "shot down six Kinzhals, nine Kalibrs and three Iskanders", "destroyed 38 missiles - 31 ..."
    elif _WHOLE_BEFORE.search(text, max(ctx.start, num.start - 40), num.start):
        kind = "launched"  # "97 percent of the 280 drones ... were intercepted", "of the 30 missiles, 25 were downed"
    else:
        kind = _cue(doc, num, head, lo, list_hi, {"intercepted", "launched"}) or "launched"
    if kind == "launched" and head.weapon is not None and _is_platform(doc, head.weapon):
        return None  # "two Su-25 jets dropped bombs": aircraft carry weapons, they are not launched
    if kind == "launched" and _IMPACT.match(text, head.end) and any(
            q.kind == "launched" and q.value > num.value and q.sentence >= ctx.index - 3 for q in ctx.out[:ctx.first]):
        return None  # "... fired two missiles. One missile hit the ship": where part of a salvo landed
    return kind


def _weapon_nearby(ctx: _Sentence, num: _Num, own_hi: int) -> Entity | None:
    """The weapon a bare launch or interception count is about: named before it in the sentence, else
    after it in its clause, else the weapon of the count before, else the last weapon named."""
    weapons = [m for m in ctx.weapons if not _INSTRUMENT.search(ctx.doc.text, max(ctx.start, m.span.start - 30), m.span.start)]
    before = [m.entity for m in weapons if m.span.end <= num.start]
    after = [m.entity for m in weapons if num.end <= m.span.start < own_hi]
    out = ctx.out
    return (before[-1] if before else after[0] if after else
            (out[-1].weapon if out and out[-1].kind in ("launched", "intercepted") else ctx.last_weapon))


# bodies that count the dead and wounded of their own territory: "Gaza health ministry", "Lebanese Civil Defence"
_CASUALTY_BODY = re.compile(r"\b(?:" + cues.phrase_alternation(cues.CASUALTY_BODIES) + r")\b", re.I)


def _casualty_source_place(doc: Doc, mentions: list[Mention], sentence: int, source: Entity | None,
                           fallback: Entity | None) -> Entity | None:
    """'the Gaza health ministry says 27 people have been killed' in a report from Israel: a toll from a
    casualty body named after a territory is that territory's when the article's place is in another country
    (or the article has none)."""
    if source is None or source.category != "organization" or not _CASUALTY_BODY.search(source.label):
        return None
    lex = doc.resources.lexicon
    # the territory must be named where the body is ("the Gaza health ministry"), not guessed for "the ministry"
    named = [m.span.text for m in in_sentence(mentions, sentence) if m.entity.iri == source.iri]
    if not named:
        return None
    words = [fold(w) for w in re.findall(r"[A-Za-z]+", named[0])]
    if words and words[0].lower() == "the":
        words = words[1:]
    place = None
    for n in (2, 1):
        key = tuple(normalize(" ".join(words[:n])).split())
        hits = [e for e in lex.lookup(key) if lex.concepts[e.iri].category in ("place", "country")] if key else []
        if hits:
            place = entity_from_concept(doc, lex.concepts[hits[0].iri])
            break
    if place is None and words and normalize(words[0]) in lex.demonyms:  # "Lebanese Health Ministry"
        place = entity_from_concept(doc, lex.concepts[lex.demonyms[normalize(words[0])]])
    if place is None or not place.country_code or (fallback is not None and place.country_code == fallback.country_code):
        return None
    return place


_STATE_FORCE = re.compile(r"\b(?:" + cues.phrase_alternation(cues.STATE_FORCES) + r")\b", re.I)


def _national(doc: Doc, source: Entity | None, num: _Num, kind: str) -> list[PlaceRef]:
    """'Ukraine's air force said Russia launched 105 drones': a launch figure from a national body with no
    place named is the country's."""
    if source is None or source.category != "organization" or not source.country_code or \
            kind not in ("launched", "intercepted") or not _STATE_FORCE.search(source.label):
        return []  # an armed group's own launch claim ("the Houthis said they fired") is not at home
    country = doc.resources.lexicon.countries_by_code.get(source.country_code)
    if not country:
        return []
    return [PlaceRef(num.start, num.end, entity_from_concept(doc, doc.resources.lexicon.concepts[country]), True)]


# between two counts of one clause: "killing 11 civilians and wounding 46", "five dead, 12 hurt"
_COORDINATED = re.compile(r"\s*(?:[a-z]+)?\s*(?:,\s*)?(?:and\s+)?(?:[a-z]+\s+){0,2}?" + _QUAL_RE)


def _places(text: str, num: _Num, head: _Head, refs: list[PlaceRef], lo: int, own_hi: int, list_hi: int,
            subset_of: int | None, out: list[Quantity], fallback: Entity | None,
            partner: Quantity | None = None, casualty: bool = False) -> list[Entity | None]:
    """Where a count is, by precedence: the places of a distributive list; a place right after it in its
    clause; the place of the count it is part of; the nearest place before it in its clause; a place later
    in its clause, then in its list; any place in the sentence; else `fallback` (paragraph, then article).
    A place named jointly with others ("the Brovary, Obukhiv and Vyshhorod districts") is not the place of a
    count; the place heading the list is, else none."""
    if head.distributive:
        return [r.entity for r in refs if head.end <= r.start < own_hi] or [None]
    contrast = _CONTRAST.search(text, head.end, max(own_hi, list_hi))
    if contrast:
        own_hi, list_hi = min(own_hi, contrast.start()), min(list_hi, contrast.start())
    comma = _COMMA_AND.search(text[head.end:own_hi])
    clause_hi = head.end + comma.start() if comma else own_hi
    fwd = [r for r in refs if head.end <= r.start < clause_hi]
    if fwd:
        return [_single(fwd[0], refs, text)]
    if subset_of is not None or head.category == "partitive":
        return [out[subset_of].place if subset_of is not None else out[-1].place]
    back = [r for r in refs if lo <= r.start < num.start]
    if back:
        return [_single(back[-1], refs, text)]
    fwd = [r for r in refs if head.end <= r.start < own_hi]
    if fwd:
        return [_single(fwd[0], refs, text)]
    if partner is not None:
        return [partner.place]  # "killing 11 civilians and wounding 46": where the first count was
    shared = [r for r in refs if head.end <= r.start < list_hi]
    if shared:
        return [_single(shared[0], refs, text)]
    # elsewhere in the sentence: not a reference point ("the base near Ashdod"), nor in a contrasting
    # clause after the count, which tells of other things ("seven drones were shot down, while another hit the
    # base") unless it gives a rival figure for the same toll ("..., while a monitor says 60 died in Idlib")
    other = _OTHER_CLAUSE.search(text, head.end, refs[-1].end) if refs else None
    if other is not None and casualty and _NUMBER.search(text, other.end(), refs[-1].start):
        other = None
    anywhere = [r for r in refs if not _NEAR.search(text, max(0, r.start - 40), r.start)
                and (other is None or r.start < other.start())]
    if anywhere:
        return [_single(sorted(anywhere, key=lambda r: (not r.framed, abs(r.start - num.start)))[0], refs, text)]
    return [fallback]


_LOCATOR_GAP = re.compile(r"(?:\s+(?:" + cues.alternation(cues.LOCATOR_NOUNS) + r"))?,?\s+(?:in|of)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}")
# "militia targets in the Bekaa Valley": the owner's country gives way to the place the sites are in
_SITES_IN = re.compile(r"(?:\s+[a-z-]+)?\s+(?:" + cues.alternation(cues.MILITARY_SITE_NOUNS) + r")\s+"
                       r"(?:in|near|around|across)\s+(?:the\s+)?")
_EDGE_GAP = re.compile(r"(?:\s+[a-z-]+){0,2},?\s+(?:on|at)\s+the\s+(?:[a-z-]+\s+)?(?:edge|outskirts|fringes?)\s+of\s+(?:the\s+)?")
# "the tanker X in the Red Sea": a ship or site is more specific than the waters it is in
_LARGER = {"district": ("city", "region", ""), "site": ("city", "region", "district", "water", ""), "city": ("region",),
           "": ("region",)}


def _specific(text: str, refs: list[PlaceRef]) -> list[PlaceRef]:
    """Drop a place named only to locate the one before it ("Lozova in the Kupiansk region", "the
    Shevchenkivskyi district of Ternopil"): a count there is at the more specific place."""
    keep = []
    for i, r in enumerate(refs):
        prev = refs[i - 1] if i else None
        if prev is not None and (r.entity.category == "country" or r.entity.feature_type in _LARGER.get(
                prev.entity.feature_type, ())) and _LOCATOR_GAP.fullmatch(text, prev.end, r.start):
            continue
        if prev is not None and _EDGE_GAP.fullmatch(text, prev.end, r.start):
            continue  # "the X camp on the outskirts of Y": the camp, not the city it borders
        if keep and keep[-1] is prev and prev.entity.category == "country" and r.entity.country_code == \
                prev.entity.country_code and _SITES_IN.fullmatch(text, prev.end, r.start):
            keep.pop()  # "militia targets in the Bekaa Valley": in the valley, not just in Lebanon
        keep.append(r)
    return keep


# a toll of the whole war is the country's, not the place of the article's strike
_WAR_TOTAL = re.compile(r"(?:The|This|Since\s+the\s+start\s+of\s+the)\s+(?:[\w-]+\s+){0,2}?(?:war|conflict)\b", re.I)


def _war_country(doc: Doc, focus: Entity | None) -> Entity | None:
    lex = doc.resources.lexicon
    if focus is None or focus.category == "country":
        return focus
    iri = lex.countries_by_code.get(focus.country_code)
    return entity_from_concept(doc, lex.concepts[iri]) if iri else focus


def _recent(out: list[Quantity], offset: int):
    """The counts found so far, newest first, back to REACH characters before `offset` (linear time)."""
    for q in reversed(out):
        if q.span.start < offset - REACH:
            return
        yield q


def _paragraph_place(doc: Doc, mentions: list[Mention], sentence: int, cache: dict[int, list[PlaceRef]]) -> Entity | None:
    """The place the paragraph is about so far: the last place referred to in its earlier sentences
    ("Konotop was hit by drones. Officials say three people died")."""
    paragraph = doc.sentences[sentence].paragraph
    floor = doc.sentences[sentence].start - REACH  # a paragraph of megabytes: look back a bounded way (linear time)
    i = sentence - 1
    while i >= 0 and doc.sentences[i].paragraph == paragraph and doc.sentences[i].end > floor:
        refs = _refs(doc, mentions, i, cache)
        hit = [r for r in refs if _is_hit_place(doc.text, r)]
        if hit:
            return _single(hit[-1], refs, doc.text)  # places named jointly leave the count to the article's focus
        if refs:
            return None
        i -= 1
    return None


_NEAR = re.compile(r"\bnear\s+(?:the\s+)?(?:[a-z]+\s+){0,2}(?:of\s+)?$", re.I)
_HIT_SUBJECT = re.compile(r"\s+(?:was|were|is|are|has\s+been|had\s+been|came)\s+(?:\w+\s+)?"
                          r"(?:" + cues.alternation(cues.HIT_PARTICIPLES) + r")\b", re.I)


def _is_hit_place(text: str, ref: PlaceRef) -> bool:
    """A place a sentence says was hit: framed as a target ("in the Shevchenkivskyi district") or the subject of
    an attack verb ("Konotop was hit"); a reference point ("near Eilat") is not."""
    if _NEAR.search(text, max(0, ref.start - 40), ref.start):
        return False
    return ref.framed or bool(_HIT_SUBJECT.match(text, ref.end)) or text[ref.end:ref.end + 1] == ":"  # "Izium: ..."


_OTHER_CLAUSE = re.compile(r"\b(?:while|whereas|but|and\s+that)\b|;")
_CONTRAST = re.compile(r"\b(?:while|whereas|but|that|which|who)\b|,\s+as\b(?!\s+well\b)")  # a relative clause tells of something else
_LIST_GAP = re.compile(r"(?:\s*,?\s+(?:and|or|as\s+well\s+as)\s+|\s*,\s*)(?:the\s+)?")


def _single(ref: PlaceRef, refs: list[PlaceRef], text: str) -> Entity | None:
    """The place a count is at when `ref` was chosen: `ref` unless it is one of a list of places."""
    i = refs.index(ref)
    first = last = i
    while first > 0 and _LIST_GAP.fullmatch(text, refs[first - 1].end, refs[first].start):
        first -= 1
    while last + 1 < len(refs) and _LIST_GAP.fullmatch(text, refs[last].end, refs[last + 1].start):
        last += 1
    if first == last:
        return ref.entity
    return refs[first - 1].entity if first > 0 else None


_PLATFORMS = {"https://w3id.org/conflict-kg/weapon/" + k for k in
              ("aircraft", "helicopter", "armoured-vehicle", "naval-vessel", "air-defence-system")}


_GROUND_VEHICLE = "https://w3id.org/conflict-kg/weapon/armoured-vehicle"


def _is_ground_vehicle(doc: Doc, weapon: Entity) -> bool:
    return weapon.iri == _GROUND_VEHICLE or _GROUND_VEHICLE in ancestors(doc.resources.lexicon, weapon.iri)


def _is_platform(doc: Doc, weapon: Entity) -> bool:
    lex = doc.resources.lexicon
    return weapon.iri in _PLATFORMS or bool(set(ancestors(lex, weapon.iri)) & _PLATFORMS)


def _same_scope(a: Entity | None, b: Entity | None) -> bool:
    """Two places a restated figure may be given for: the same place, one unknown, or a country and a place in it."""
    if a is None or b is None or a.iri == b.iri:
        return True
    return (a.category == "country") != (b.category == "country") and bool(a.country_code) and \
        a.country_code == b.country_code


def _dedupe(quantities: list[Quantity], placed: set[int]) -> list[Quantity]:
    """A figure repeated later ("one dead" ... "one body was recovered") is kept once; the same figure at
    another named place ("one killed in Ternopil" ... "one killed in Kazan") is another count."""
    seen: dict[tuple, list[int]] = {}
    keep: list[Quantity] = []
    index_map: dict[int, int] = {}
    kept_at: set[tuple] = set()  # (sentence, kind, value) of what is kept: a set, not a scan of `keep` per count
    for i, q in enumerate(quantities):
        sig = (q.kind, q.value, q.weapon.iri if q.weapon else "", q.object_label, q.subset_of is not None)
        earlier = seen.setdefault(sig, [])
        same_sentence_twin = (q.sentence, q.kind, q.value) in kept_at
        if not same_sentence_twin and any(_same_scope(quantities[k].place, q.place) and not (
                (k in placed) != (i in placed) and (quantities[k].place or q.place)) for k in earlier):
            continue
        earlier.append(i)
        index_map[i] = len(keep)
        keep.append(q)
        kept_at.add((q.sentence, q.kind, q.value))
    for q in keep:
        if q.subset_of is not None:
            q.subset_of = index_map.get(q.subset_of)
    return keep


# patterns the hot functions above use, compiled once
_NEXT_WORD = re.compile(r"[\s-]*([A-Za-z%'\u2019]+)")
_PREV_WORD = re.compile(r"[A-Za-z.]+")
_UNIT_AFTER = re.compile(r"\s*(?:a\.m|p\.m|per\s*cent|-year|-stor(?:e?y|ied)|th\b)", re.I)
_WORD_THEN_SPACE = re.compile(r"[A-Za-z.]\s+$")
_AGE_BEFORE = re.compile(r"\bage\w*\s+(?:of\s+)?(?:from\s+|between\s+)?(?:(?:\d+|" + _WORD_NUM + r")\s+)?(?:to|and)?\s*$", re.I)
_NOT_ONE_COUNT = re.compile(r"\s+(?:of(?!\s+(?:them|those|whom|which)\b)|another|side|day|time|way|thing|sign)\b|-way\b")
_NAME_COMMA = re.compile(r"[A-Z][a-z]+,\s*$")
_AGE_AFTER = re.compile(r",\s+(?:who|whose|said|a|an|the|from|was|is|has|had|lives|works)\b|,\s+(?:and\s+)?[A-Z][a-z]+\s+[A-Z]|\s*[.;)]")
_LETTERS = re.compile(r"[A-Za-z]+")
_PARTICLE_AFTER = {w: re.compile(rf"\s+{particle}\b", re.I) for w, particle in _PHRASAL.items()}
_MORE = re.compile(r"\s+(?:(?:more|other|further|additional)\s+)?")
_EACH = re.compile(r"\s*each\b")
_OF_PRONOUN = re.compile(r"\s*of\s+(?:them|those|which|whom|these|it)\b")
_OF_THE = re.compile(r"\s*of\s+(?:the|its|their|[A-Z][a-z]+(?:'s|\u2019s))\s+")
_WEAPON_MODIFIERS = re.compile(r"[\s,-]*(?:(?:[A-Z][a-z]+(?:-made|-designed|-built|-type)?|[a-z-]+)\s+){0,3}")
_WORD_TOKEN = re.compile(r"[A-Za-z'\u2019-]+")
_GENERIC_WEAPONS = re.compile(r"\s*(?:" + cues.phrase_alternation(cues.GENERIC_WEAPON_PHRASES) + r")\b", re.I)
_ADJACENT_VERB = re.compile(r"(?:([A-Za-z]+)\s+)?([A-Za-z]+)\s+" + _QUAL_RE + r"$")
_LAST_NOT_LETTER = re.compile(r"[^A-Za-z\s][A-Za-z\s]*\Z")  # (_QUAL_RE is letters and spaces too)
_PARTICLE = {w: re.compile(particle) for w, particle in _PHRASAL.items()}
_AND_GAP = re.compile(r"[\s,]*(?:and\s+|or\s+)?" + _QUAL_RE, re.I)
_SEMICOLON = re.compile(r"[;:]")
_INCLUDING = re.compile(r"\b(?:including|among them|of whom|of which)\s+" + _QUAL_RE + r"$", re.I)
_OF_GAP = re.compile(r"\s+of\s+(?:the\s+)?")
_COMMA_OR_AND = re.compile(r"[,;]|\band\b")
_COMMA_AND = re.compile(r",|\band\b")
_LIST_JOIN = re.compile(r"(?:[,:]|\band|\bto)\s*$|^\s*$")
_NUMBER_INJURED = re.compile(r"\bnumber\s+of\s+(?:people\s+)?(?:injured|wounded|hurt)\b", re.I)
_TOLL_WORD = re.compile(r"\b(?:toll|dead|killed)\b", re.I)
_UNTIL_COMMA = re.compile(r"[^,;]*")
_LAST_COMMA = re.compile(r",(?=[^,]*$)")
_LOWER_WORD = re.compile(r"[a-z]+")
