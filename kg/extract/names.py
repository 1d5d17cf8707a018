"""Names no lexicon knows: persons, organizations and places recognised from their shape and context.

A capitalised run is a person when it opens with a known given name, follows a title ("Mayor ..."),
carries an age (", 58,") or sits next to a reporting verb; an organization when it ends in an
organization head ("... Service"); a place when a locative word or a place head word frames it and
the gazetteer knows it (or "village of X" says so).
"""
from __future__ import annotations

import functools
import re
from ..model import Entity
from ..text import Token, fold, joins, normalize
from . import cues
from .entities import MentionFinder, entity_from_town, is_metonym, minted

_PARTICLES = cues.NAME_PARTICLES
# ", the state grid operator", ", Ukraine's national broadcaster": a one-word name glossed as a company or body.
_APPOSITIVE_ORG = re.compile(rf"^,\s+(?:{cues.alternation(cues.ARTICLES)}|[A-Z][a-z]+['\u2019]s)\s+(?:[a-z-]+\s+){{0,3}}"
                             rf"(?:{cues.alternation(cues.ORG_APPOSITIVE_HEADS)})\b")
_COMPANY_AFTER = re.compile(rf"^\s+(?:[a-z-]+\s+){{0,2}}(?:{cues.alternation(cues.COMPANY_NOUNS)})\b")
_SITE_PHRASE_ENDS = frozenset(p.split()[-1] for p in cues.SITE_PHRASES)
_SITE_PHRASE_MAX = max(len(p.split()) for p in cues.SITE_PHRASES)
_MERCHANT_PREFIXES = frozenset(p for p, kind in cues.SHIP_PREFIXES.items() if kind == "merchant")
_ORDINAL = re.compile(r"\d{1,4}(?:st|nd|rd|th)")
_AGE = re.compile(r"^,\s+(?:aged\s+)?\d{1,3},")
_APPOSITIVE_PERSON = re.compile(rf"^,\s+(?:{cues.alternation(cues.PERSON_APPOSITIVES)})\b")


@functools.lru_cache(maxsize=65536)  # called for nearly every token; the vocabulary of a corpus is small
def singular(word: str) -> str:
    """Crude English singular for matching plural mentions of singular labels."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_headline(sentence_text: str, toks: list[Token]) -> bool:
    if not toks or sentence_text.rstrip().endswith((".", "!", "?", "\"", "\u201d", ":")):
        return False
    words = [t for t in toks if t.text[:1].isalpha()]
    return len(words) <= 14 and sum(t.is_title for t in words) >= 0.6 * len(words)


def _site_named_after_place(f: MentionFinder, h: int) -> bool:
    """'Pulkovo Airport', 'the Saratov Oil Refinery', 'the Shatura power plant': a site named after the
    place just before its head (and modifiers) is the site, not a mention of that place."""

    toks, text = f.doc.tokens, f.doc.text
    tok = toks[h]
    if not (tok.is_title or tok.lower in cues.LOWER_SITE_HEADS):
        return False
    k = h
    while k > 0 and h - k < 2 and toks[k - 1].lower in cues.SITE_MODIFIERS and not f.covered[k - 1] \
            and joins(text, toks[k - 1], toks[k]):
        k -= 1
    if k == 0 or not joins(text, toks[k - 1], toks[k]) or f.doc.token_sentence[k - 1] != f.doc.token_sentence[h]:
        return False
    before = [m for m in f.ending_at(toks[k - 1].end) if (
        (m.entity.category == "place" and m.kind == "name" and m.entity.feature_type not in ("region", "water", "site"))
        or (m.kind == "demonym" and tok.is_title))]  # "the Kuwaiti Hospital", "the Turkish Embassy"
    if before:
        a = f.doc.token_index(before[0].span.start)
        f.drop(before[0])
        for i in range(a, h + 1):
            f.covered[i] = False
    elif k < h and not f.covered[k - 1]:
        a = _run_start(f, k)
        if a is None:
            return False
    else:
        return False
    f.add(minted("place", text[toks[a].start:tok.end], "site"), a, h + 1)
    return True


def _site_phrase_length(f: MentionFinder, h: int) -> int:
    """How many words ending at token h form a site phrase ("medical center"), or 0."""
    toks = f.doc.tokens
    if toks[h].lower not in _SITE_PHRASE_ENDS:
        return 0
    for n in range(_SITE_PHRASE_MAX, 1, -1):
        k = h - n + 1
        if k > 0 and " ".join(t.lower for t in toks[k:h + 1]) in cues.SITE_PHRASES and f.free(k, h + 1) \
                and all(joins(f.doc.text, toks[m - 1], toks[m]) for m in range(k + 1, h + 1)):
            return n
    return 0


def ship_names(f: MentionFinder) -> None:
    """Named ships are places: 'the USS Mason', 'the tanker Sounion', 'merchant ships, the X and the Y'.
    A name found once is the same ship wherever else the article repeats it."""
    doc, toks, text = f.doc, f.doc.tokens, f.doc.text
    found: dict[tuple[str, ...], Entity] = {}
    for h, tok in enumerate(toks):
        low = tok.lower
        if low in cues.SHIP_PREFIXES and tok.text.isupper() and h + 1 < len(toks) and joins(text, tok, toks[h + 1]):
            if low in _MERCHANT_PREFIXES and text[tok.end:tok.end + 1] == "/":
                continue
            b = _title_run_end(f, h + 1)
            if b > h + 1 and f.free(h, b):
                _add_ship(f, found, h, b)
            continue
        if tok.text == "M" and text[tok.end:tok.end + 1] == "/" and h + 2 < len(toks) and toks[h + 1].text == "V":
            b = _title_run_end(f, h + 2)
            if b > h + 2 and f.free(h, b):
                _add_ship(f, found, h, b)
            continue
        if low not in cues.VESSEL_WORDS or tok.is_title:
            continue
        a = h + 1
        while a < len(toks) and doc.token_sentence[a] == doc.token_sentence[h]:
            gap = text[toks[a - 1].end:toks[a].start]
            if gap.strip() not in ("", ",") or "\n" in gap or (gap.strip() == "," and not low.endswith("s")):
                break  # only a list of ships follows a comma: "merchant ships, the X and the Y"
            if toks[a].lower == "the":
                a += 1
                continue
            b = _title_run_end(f, a)
            if b == a or toks[a].lower in cues.MONTHS or toks[a].lower in cues.WEEKDAYS:
                break
            if toks[a].text[:1].isalpha() and f.free(a, b):
                _add_ship(f, found, a, b)
            if b < len(toks) and toks[b].lower == "and" and b + 1 < len(toks) and low.endswith("s"):
                a = b + 1  # "merchant ships, the X and the Y"; after one ship, "and the ..." starts anew
            else:
                break
    if not found:
        return
    for i in range(len(toks)):  # later and earlier repetitions of a known ship name
        for key, entity in found.items():
            j = i + len(key)
            if j <= len(toks) and not f.covered[i] and tuple(t.text for t in toks[i:j]) == key and f.free(i, j) \
                    and (j == len(toks) or not toks[j].is_title or not joins(text, toks[j - 1], toks[j])):
                f.add(entity, i, j)
                break


def _title_run_end(f: MentionFinder, a: int) -> int:
    """End of the run of capitalised (or numeral) tokens starting at a, within one sentence."""
    toks, text = f.doc.tokens, f.doc.text
    b = a
    while b < len(toks) and (toks[b].is_title or (b > a and toks[b].text.isdigit())) \
            and f.doc.token_sentence[b] == f.doc.token_sentence[a] and (b == a or joins(text, toks[b - 1], toks[b])):
        b += 1
    return b


def _add_ship(f: MentionFinder, found: dict[tuple[str, ...], Entity], a: int, b: int) -> None:
    """A ship named by tokens a..b; merchant prefixes (MV, M/V, MT) are not part of its name, navy ones are."""

    toks = f.doc.tokens
    name_start = a
    if toks[a].text == "M" and a + 1 < b and toks[a + 1].text == "V":
        name_start = a + 2
    elif toks[a].lower in _MERCHANT_PREFIXES:
        name_start = a + 1
    key = tuple(t.text for t in toks[name_start:b])
    entity = found.get(key) or minted("place", " ".join(key), "site")
    found.setdefault(key, entity)
    f.add(entity, a, b)


def place_patterns(f: MentionFinder) -> None:
    """Regions, districts, sites and 'village of X' that the lexicon did not cover."""

    doc, toks, text = f.doc, f.doc.tokens, f.doc.text
    gaz = doc.resources.gazetteer
    for h, tok in enumerate(toks):
        low = tok.lower
        if f.covered[h]:
            continue
        # "the Barzilai Medical Center", "the Amstor shopping centre": a site whose head would read as a body
        n = _site_phrase_length(f, h) if low in _SITE_PHRASE_ENDS else 0
        if n:
            a = _run_start(f, h - n + 1)
            if a is not None:
                f.add(minted("place", " ".join(t.text for t in toks[a:h + 1]), "site"), a, h + 1)
                continue
        # "the Penza region", "Chernivtsi Oblast", "the Shevchenkivskyi district", "the Shatura city district"
        if low in cues.PLACE_HEADS and not low.endswith("s") and h > 0:
            a = _run_start(f, h)
            end = h
            if a is None and h > 1 and toks[h - 1].lower in cues.PLACE_HEAD_MODIFIERS and not f.covered[h - 1]:
                a, end = _run_start(f, h - 1), h - 1
            entity = f.place_with_head(" ".join(t.text for t in toks[a:end]), cues.PLACE_HEADS[low], low) \
                if a is not None else None
            if entity is not None:
                f.add(entity, a, h + 1)
                continue
        # named sites: "Topkapi Palace", "Pulkovo airport", "Teremky metro station"
        if low in cues.SITE_HEADS and h > 0:
            if _site_named_after_place(f, h):
                continue
            a = _run_start(f, h if toks[h - 1].lower != "metro" else h - 1)
            if a is not None and tok.is_title:
                a = _through_connectors(f, a)
            if a is not None and (tok.is_title or toks[h - 1].lower == "metro" or low in cues.LOWER_SITE_HEADS):
                label = " ".join(text[toks[a].start:tok.end].split())  # keeps "Bab al-Hawa crossing" hyphenated
                f.add(minted("place", label, "site"), a, h + 1)
            continue
        # "Sittwe village", "the Lisove settlement": the settlement word after the name
        if low in cues.SETTLEMENT_AFTER and h > 0 and not f.covered[h - 1]:
            a = _run_start(f, h)
            if a is not None and h - a <= 3:
                name = " ".join(t.text for t in toks[a:h])
                town = gaz.best(name, f.context_countries())
                f.add(entity_from_town(doc, town) if town else minted("place", name, "city"), a, h + 1)
                continue
        # "a Silpo store"
        if low in cues.STORE_HEADS and h > 1 and toks[h - 1].is_title and not f.covered[h - 1] \
                and toks[h - 2].lower in cues.ARTICLES:
            f.add(minted("place", toks[h - 1].text, "site"), h - 1, h)
            continue
        # "the village of Pervomaiske", "the town of Izium", "the towns of Klin and Dmitrov"
        if low in cues.SETTLEMENT_WORDS and h + 2 < len(toks) and toks[h + 1].lower == "of" and toks[h + 2].is_title:
            a = h + 2
            while a < len(toks) and toks[a].is_title and doc.token_sentence[a] == doc.token_sentence[h]:
                b = a + 1
                while b < len(toks) and toks[b].is_title and joins(text, toks[b - 1], toks[b]) and not f.covered[b]:
                    b += 1
                if f.free(a, b):
                    name = " ".join(t.text for t in toks[a:b])
                    town = gaz.best(name, f.context_countries())
                    f.add(entity_from_town(doc, town) if town else minted("place", name, "city"), a, b)
                if not low.endswith("s") or b >= len(toks):
                    break
                gap = text[toks[b - 1].end:toks[b].start]
                if toks[b].lower == "and" and b + 1 < len(toks):
                    a = b + 1
                elif gap.strip() == ",":
                    a = b
                else:
                    break


_LOWER_ORG = re.compile(
    r"\s+((?:[a-z]+\s+){0,2}(?:"
    + "|".join([cues.alternation(w for w, only in cues.LOWER_ORG_HEADS.items() if not only)]
               + [rf"(?:{cues.alternation(w for w, only in cues.LOWER_ORG_HEADS.items() if only)})"
                  rf"(?=\s+(?:{cues.alternation(cues.BODY_VERBS)})\b)"])
    + r"))\b")
# "the Chernivtsi regional prosecutor's office", "Chernivtsi regional police": a place's own body, in lower case.
_PLACE_BODY = re.compile(rf"\s+((?:{cues.alternation(cues.PLACE_BODY_MODIFIERS)})\s+"
                         rf"(?:{cues.alternation(cues.PLACE_BODY_HEADS)}))\b")
_BODY_HEAD = re.compile(rf"\s+({cues.alternation(cues.UNIT_BODY_HEADS)})\b")


def lowercase_organizations(f: MentionFinder) -> None:
    """'Ukraine's energy ministry', 'the Russian emergencies ministry': a country's body written in lower case."""

    doc, lex = f.doc, f.doc.resources.lexicon
    for m in list(f.mentions):
        if m.entity.category != "country" or m.kind == "metonym":
            continue
        end = m.span.end + (2 if doc.text[m.span.end:m.span.end + 2] in ("'s", "\u2019s") else 0)
        g = _LOWER_ORG.match(doc.text, end)
        if not g or (m.kind != "demonym" and end == m.span.end):
            continue
        a, b = doc.token_index(m.span.start), doc.token_index(g.end(1))
        if not f.free(a + 1, b) or any(t.is_title for t in doc.tokens[a + 1:b] if t.lower not in ("s",)):
            continue
        concept = lex.concepts.get(m.entity.iri)
        demonym = (concept.demonyms[0] if concept and concept.demonyms else m.entity.label)
        words = " ".join(w.capitalize() if w != "prosecutor's" else "Prosecutor's" for w in g.group(1).split())
        f.drop(m)
        for k in range(a, b):
            f.covered[k] = False
        label = f"{demonym} {words}"
        known = [e.iri for e in lex.lookup(tuple(normalize(label).split()))
                 if lex.concepts[e.iri].category == "organization"]  # the lexicon's node when it has one
        f.add(f.concept_entity(known[0]) if known else minted("organization", label), a, b)


def place_bodies(f: MentionFinder) -> None:
    """'the Chernivtsi regional prosecutor's office', 'Dubno district police': a body named after its place."""

    doc = f.doc
    for m in list(f.mentions):
        if m.entity.category != "place" or m.kind != "name":
            continue
        g = _PLACE_BODY.match(doc.text, m.span.end)
        if not g and m.span.text.lower().endswith(tuple(cues.BODY_UNITS)):
            g = _BODY_HEAD.match(doc.text, m.span.end)  # "the Dubno district prosecutor's office"
        if not g:
            _titled_place_body(f, m)
            continue
        a, b = doc.token_index(m.span.start), doc.token_index(g.end(1))
        if not f.free(doc.token_index(m.span.end), b):
            continue
        f.drop(m)
        f.add(minted("organization", doc.text[m.span.start:g.end(1)].replace("\u2019", "'")), a, b)


def place_lists(f: MentionFinder) -> None:
    """Front-line reports list the settlements hit: 'among them Lisove, Dubno, Stepove and Sadova',
    '- Izium: two houses damaged'. In a list of three or more names where most are towns of the
    article's countries (or places already found), every name the gazetteer knows there is a place."""

    doc, toks, text = f.doc, f.doc.tokens, f.doc.text
    gaz, ctx = doc.resources.gazetteer, f.context_countries()
    place_ends = {doc.token_index(m.span.start): doc.token_index(m.span.end) for m in f.mentions
                  if m.entity.category == "place"}
    for s in doc.sentences:
        rng = doc.sentence_tokens(s.index)
        items: list[tuple[int, int]] = []
        i = rng.start
        while i < rng.stop:
            b = _list_item_end(f, i, rng.stop, place_ends)
            if b == i:
                if items:
                    _place_list(f, items, gaz, ctx)
                    items = []
                i += 1
                continue
            items.append((i, b))
            nxt = b
            gap = text[toks[b - 1].end:toks[b].start] if b < rng.stop else ""
            if b < rng.stop and gap.strip() == "," and b + 1 < rng.stop and toks[b].lower == "and":
                nxt = b + 1
            elif b < rng.stop and toks[b].lower == "and" and gap.strip() == "":
                nxt = b + 1
            elif not (b < rng.stop and gap.strip() == ","):
                _place_list(f, items, gaz, ctx)
                items = []
            i = nxt
        _place_list(f, items, gaz, ctx)
        line_start = text.rfind("\n", 0, s.start) + 1
        bullet = re.match(r"[-\u2022*]\s+", text[line_start:s.start + 3]) if s.start - line_start <= 2 else None
        if bullet and rng.start < rng.stop:  # "- Izium: two houses damaged."
            b = _list_item_end(f, rng.start, rng.stop, place_ends)
            if b > rng.start and text[toks[b - 1].end:toks[b - 1].end + 1] in (":", ",") and f.free(rng.start, b):
                town = gaz.best(" ".join(t.text for t in toks[rng.start:b]), ctx)
                if town and town.country_code in ctx:
                    f.add(entity_from_town(doc, town), rng.start, b)


def _list_item_end(f: MentionFinder, i: int, stop: int, place_ends: dict[int, int]) -> int:
    """End of a list item at token i: a place already found there, or a free capitalised run of 1-3 words."""
    toks = f.doc.tokens
    if f.covered[i]:
        return place_ends.get(i, i)
    if not toks[i].is_title or not toks[i].text[:1].isalpha() or toks[i].lower in cues.SENTENCE_START_WORDS:
        return i
    b = i + 1
    while b < stop and b - i < 3 and toks[b].is_title and not f.covered[b] and joins(f.doc.text, toks[b - 1], toks[b]):
        b += 1
    return b


def _place_list(f: MentionFinder, items: list[tuple[int, int]], gaz, ctx: set[str]) -> None:

    if len(items) < 2:
        return
    towns = []
    for a, b in items:
        if f.covered[a]:
            towns.append("known")
            continue
        town = gaz.best(" ".join(t.text for t in f.doc.tokens[a:b]), ctx, 0 if len(items) > 2 else 1000)
        towns.append(town if town is not None and town.country_code in ctx else None)
    hits = sum(t is not None for t in towns)
    if len(items) == 2:  # "shelled Tartar and Barda": a pair needs one place already known, and no capital
        lex = f.doc.resources.lexicon  # ("Lisbon and Madrid responded" speaks of governments)
        if "known" not in towns or None in towns or any(
                normalize(" ".join(t.text for t in f.doc.tokens[a:b])) in lex.capitals for a, b in items):
            return
    elif hits < 3 or hits < 0.6 * len(items):
        return
    for (a, b), town in zip(items, towns):
        if town is not None and town != "known" and f.free(a, b):
            f.add(entity_from_town(f.doc, town), a, b)


def _through_connectors(f: MentionFinder, a: int) -> int:
    """'Petro Kovalchuk Music and Drama Theater', 'Museum of Fine Arts': a capitalised name may span
    'and'/'of'/'for' between capitalised words."""
    toks = f.doc.tokens
    while a >= 2 and toks[a - 1].lower in cues.NAME_CONNECTORS and not f.covered[a - 1] \
            and f.doc.token_sentence[a - 1] == f.doc.token_sentence[a] and joins(f.doc.text, toks[a - 1], toks[a]):
        b = _run_start(f, a - 1)
        if b is None:
            break
        a = b
    return a


def _titled_place_body(f: MentionFinder, m) -> None:
    """'Hamas's Rafah Brigade', 'the Chernivtsi Regional Military Administration': capitalised words
    ending in an organization head right after a place name make one organization named after it."""

    toks, text = f.doc.tokens, f.doc.text
    b = f.doc.token_index(m.span.end)
    e = b
    while e < len(toks) and e - b < 3 and toks[e].is_title and not f.covered[e] and joins(text, toks[e - 1], toks[e]) \
            and f.doc.token_sentence[e] == m.sentence:
        e += 1
    if e == b or fold(toks[e - 1].text) not in cues.ORG_HEADS:
        return
    a = f.doc.token_index(m.span.start)
    f.drop(m)
    f.add(minted("organization", text[toks[a].start:toks[e - 1].end]), a, e)


def _run_start(f: MentionFinder, h: int) -> int | None:
    """Start of the free capitalised run that ends right before token h."""
    toks, text = f.doc.tokens, f.doc.text
    a = h
    while a > 0 and not f.covered[a - 1] and joins(text, toks[a - 1], toks[a]) \
            and f.doc.token_sentence[a - 1] == f.doc.token_sentence[h]:
        prev = toks[a - 1]
        if prev.is_title and prev.lower not in cues.SENTENCE_START_WORDS:
            a -= 1
        elif a < h and prev.lower in _PARTICLES and a >= 2 and toks[a - 2].is_title and not f.covered[a - 2] \
                and joins(text, toks[a - 2], prev) and toks[a - 2].lower not in cues.SENTENCE_START_WORDS:
            a -= 2  # "Ain al-Hilweh camp", "Deir el-Ahmar hospital": a particle inside an Arabic name
        else:
            break
    return a if a < h else None


def _runs(f: MentionFinder, sentence: int) -> list[tuple[int, int]]:
    """Maximal runs of free capitalised tokens in a sentence (particles like 'von der' may join)."""
    toks, text = f.doc.tokens, f.doc.text
    rng = f.doc.sentence_tokens(sentence)
    out, i = [], rng.start
    while i < rng.stop:
        if f.covered[i] or not toks[i].is_title or not toks[i].text[:1].isalpha():
            i += 1
            continue
        j = i + 1
        while j < rng.stop and not f.covered[j] and joins(text, toks[j - 1], toks[j]):
            if toks[j].is_title:
                j += 1
            elif toks[j].lower in _PARTICLES and j + 1 < rng.stop and toks[j + 1].is_title:
                j += 2
            elif toks[j].text == "s" and text[toks[j - 1].end:toks[j].start] in ("'", "\u2019") and j + 1 < rng.stop \
                    and toks[j + 1].is_title and fold(toks[j + 1].text) in cues.ORG_HEADS:
                j += 2  # "Prosecutor's Office"
            else:
                break
        out.append((i, j))
        i = j
    return out


def unknown_names(f: MentionFinder) -> None:
    """Persons, organizations and places found from name shape and context."""

    doc, toks, text = f.doc, f.doc.tokens, f.doc.text
    lex, gaz = doc.resources.lexicon, doc.resources.gazetteer
    for s in doc.sentences:
        rng = doc.sentence_tokens(s.index)
        if _is_headline(s.text, toks[rng.start:rng.stop]):
            continue
        for a, b in _runs(f, s.index):
            first_in_sentence = a == rng.start or (a > rng.start and not any(
                toks[k].text[:1].isalnum() for k in range(rng.start, a)))
            if first_in_sentence and toks[a].lower in cues.SENTENCE_START_WORDS:
                a += 1
            # a body whose name opens with title words: "Prosecutor General's Office", "Department of ..."
            if a < b and fold(toks[b - 1].text) in cues.ORG_HEADS and (
                    b - a >= 2 or (b < rng.stop and toks[b].lower == "of" and b + 1 < rng.stop)):
                b2 = _extend_of(f, b)
                if b2 > b or b - a >= 2:
                    if a > rng.start and _ORDINAL.fullmatch(toks[a - 1].text) and not f.covered[a - 1] \
                            and joins(text, toks[a - 1], toks[a]):
                        a -= 1  # "the 9th Airborne Division", "the 47th Mechanized Brigade"
                    f.add(minted("organization", text[toks[a].start:toks[b2 - 1].end]), a, b2)
                    continue
            titled = False
            while a < b and (toks[a].lower in cues.TITLE_WORDS or toks[a].lower in cues.TITLE_CONTINUATIONS):
                a += 1
                titled = True
            if a >= b:
                continue
            if b - a == 1 and (toks[a].lower in cues.MONTHS or toks[a].lower in cues.WEEKDAYS):
                continue
            words = [t.text for t in toks[a:b]]
            after = text[toks[b - 1].end:toks[b - 1].end + 80]
            before_tok = toks[a - 1] if a > rng.start else None
            titled = titled or (before_tok is not None and before_tok.lower in cues.TITLE_WORDS)
            # organizations: "... Service", "State Emergency Service", "Ministry of ..."
            if fold(words[-1]) in cues.ORG_HEADS and len(words) >= 2:
                b2 = _extend_of(f, b)
                f.add(minted("organization", text[toks[a].start:toks[b2 - 1].end]), a, b2)
                continue
            if len(words) == 1 and _APPOSITIVE_ORG.match(after):
                f.add(minted("organization", words[0]), a, b)
                continue
            if len(words) == 1 and before_tok is not None and before_tok.lower == "the" and _COMPANY_AFTER.match(after):
                f.add(minted("organization", words[0]), a, b)
                continue
            # groups and bodies that read like names: "Peace Activists said", "Civil Defence said"
            if any(fold(w) in cues.NON_PERSON_WORDS for w in words) and fold(words[0]) not in lex.given_names:
                if 2 <= len(words) <= 5 and _next_word(text, toks[b - 1].end) in cues.REPORTING_VERBS:
                    f.add(minted("organization", " ".join(words)), a, b)
                    continue
            if _named_after_person_noun(f, a, b, rng.start) and all(w[:1].isalpha() for w in words):
                f.add(minted("person", " ".join(words)), a, b)  # "a five-year-old girl named Solomiia"
                continue
            # persons
            core = sum(fold(w) not in _PARTICLES for w in words)  # "bin", "al" do not lengthen a name
            if 2 <= core <= 4 and len(words) <= 7 and all(w[:1].isalpha() for w in words) and not _place_like(f, a, b) \
                    and (fold(words[0]) in lex.given_names or not any(fold(w) in cues.NON_PERSON_WORDS for w in words)):
                given = fold(words[0]) in lex.given_names
                said = _next_word(text, toks[b - 1].end) in cues.REPORTING_VERBS or (
                    before_tok is not None and before_tok.lower in cues.INVERTED_REPORTING_VERBS)
                after = after.lstrip("\"\u201d")
                if given or titled or _AGE.match(after) or said or _introduced_as_person(f, a) \
                        or (_APPOSITIVE_PERSON.match(after) and not _gazetteer_hit(f, a, b)):
                    f.add(minted("person", " ".join(text[toks[a].start:toks[b - 1].end].split())), a, b)
                    continue
            # a big city of the war's countries needs no locative word ("the Saratov oil refinery")
            if len(words) <= 2 and not first_in_sentence:
                town = gaz.best(" ".join(words), f.context_countries(), 150000)
                if town and town.country_code in f.context_countries():
                    capital_of = lex.capitals.get(normalize(" ".join(words)))
                    if capital_of and is_metonym(doc, a, b):  # "Washington holds back aid"
                        f.add(f.concept_entity(capital_of), a, b, "metonym")
                    else:
                        f.add(entity_from_town(doc, town), a, b)
                    continue
            # places the gazetteer knows, framed by a locative word
            if len(words) <= 3 and _locative_before(f, a):
                name = " ".join(words)
                ctx = f.context_countries()
                town = gaz.best(name, ctx, 1000)
                if town and (town.country_code in ctx or town.population >= 50000):
                    capital_of = lex.capitals.get(normalize(name))
                    if capital_of and is_metonym(doc, a, b):  # "Lisbon and Madrid have responded"
                        f.add(f.concept_entity(capital_of), a, b, "metonym")
                    else:
                        f.add(entity_from_town(doc, town), a, b)
                    continue


def _introduced_as_person(f: MentionFinder, a: int) -> bool:
    """'a nine-year-old boy, Karim Haddad,' and 'Yusuf Barakat and Leila Mansour': a name set beside a noun
    for a person, or joined by 'and' to a known person's name, names a person."""
    toks = f.doc.tokens
    if a >= 2 and f.doc.text[toks[a - 1].end:toks[a].start].strip() == "," and toks[a - 1].lower in cues.APPOSED_PERSON_NOUNS:
        return True
    if a >= 2 and toks[a - 1].lower == "and":
        prev = [m for m in f.mentions if m.span.end == toks[a - 2].end]
        return bool(prev) and prev[0].entity.category == "person" and prev[0].kind == "name"
    return False


def _named_after_person_noun(f: MentionFinder, a: int, b: int, start: int) -> bool:
    """'a girl named Amal', 'a nurse called Leila Mansour': a name given right after a noun for a person is a
    person's, even a lone given name the lexicon does not know."""
    toks = f.doc.tokens
    if b - a > 4 or a < start + 2 or toks[a - 1].lower not in cues.NAMING_WORDS:
        return False
    return any(toks[k].lower in cues.APPOSED_PERSON_NOUNS for k in range(max(start, a - 4), a - 1))


def _extend_of(f: MentionFinder, b: int) -> int:
    """'Security Service' + ' of Ukraine' -> include the 'of ...' part in the name."""
    toks = f.doc.tokens
    if b + 1 < len(toks) and toks[b].lower == "of":
        c = b + 1
        if toks[c].lower == "the" and c + 1 < len(toks):
            c += 1
        if toks[c].is_title:
            e = c + 1
            while e < len(toks) and toks[e].is_title and joins(f.doc.text, toks[e - 1], toks[e]):
                e += 1
            for k in range(b, e):
                f.covered[k] = False
            f.mentions = [m for m in f.mentions if not (toks[b].start <= m.span.start < toks[e - 1].end)]
            return e
    return b


def _next_word(text: str, offset: int) -> str:
    m = re.match(r"[\s,]*([A-Za-z]+)", text[offset:offset + 30])
    return m.group(1).lower() if m else ""


def _locative_before(f: MentionFinder, a: int) -> bool:
    toks = f.doc.tokens
    if a == 0:
        return False
    prev = toks[a - 1]
    if prev.lower in cues.LOCATIVE_PREPS or prev.lower in cues.SETTLEMENT_PREPS and a > 1 and toks[a - 2].lower in cues.SETTLEMENT_WORDS:
        return True
    if prev.lower == "of" and a > 1 and toks[a - 2].lower in cues.OF_PLACE_NOUNS:  # "residents of X", "north of X"
        return True
    if prev.lower == "and" or f.doc.text[prev.end:toks[a].start].strip() == ",":
        # the last mention (in list order) that ends before the name: searched from the end, where it usually is
        last = next((m for m in reversed(f.mentions) if m.span.end <= toks[a].start), None)
        return last is not None and last.entity.category == "place" and toks[a].start - last.span.end < 12
    return False


def _gazetteer_hit(f: MentionFinder, a: int, b: int) -> bool:
    name = " ".join(t.text for t in f.doc.tokens[a:b])
    return bool(f.doc.resources.gazetteer.best(name, f.context_countries(), 20000))


def _place_like(f: MentionFinder, a: int, b: int) -> bool:
    """A run right after a locative preposition that the gazetteer knows is a place, not a person."""
    return _locative_before(f, a) and bool(f.doc.resources.gazetteer.candidates(
        " ".join(t.text for t in f.doc.tokens[a:b])))

