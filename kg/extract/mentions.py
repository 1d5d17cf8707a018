"""Find where actors, places and weapons are named: lexicon phrases, place patterns and unknown names.

Order matters and is explicit: coordinated place lists ("the Penza and Saratov regions") first, then the
lexicon's phrases (longest match), then country-generic organizations ("the Defence Ministry"), then
unknown names found from their shape and context (kg/extract/names.py), then surname aliases.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re

from ..gazetteer import Town
from ..lexicon import Entry, ancestors
from ..model import Entity, Mention
from ..text import Token, fold, joins, normalize
from . import cues, names
from .doc import Doc
from .entities import entity_from_concept, entity_from_town, is_metonym, minted
from .mention_index import MentionList

class _Changes(list):
    """A list that counts the changes made to it other than appends, so what is derived from it can be
    kept, and brought up to date from the appended items alone, until such a change."""

    version = 0

    def _changed(self) -> None:
        self.version += 1


def _counting(name: str):
    method = getattr(list, name)

    def changing(self, *args, **kwargs):
        self._changed()
        return method(self, *args, **kwargs)

    changing.__name__ = name
    return changing


for _name in ("extend", "insert", "remove", "pop", "clear", "sort", "reverse", "__setitem__",
              "__delitem__", "__iadd__", "__imul__"):
    setattr(_Changes, _name, _counting(_name))


class _Finder:
    """Holds one article's partial results while the passes run."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.lex = doc.resources.lexicon
        self.covered = [False] * len(doc.tokens)
        self._countries: tuple[object, int, int, set[str]] | None = None
        self._ends: tuple[object, int, int, dict[int, list[Mention]]] | None = None
        self.mentions = []
        self.possessors: list[Mention] = []  # countries named inside longer names ("Norway's Royal Air Force")

    # -- bookkeeping -------------------------------------------------------------------------------
    def free(self, i: int, j: int) -> bool:
        return not any(self.covered[i:j])

    def add(self, entity: Entity, i: int, j: int, kind: str = "name") -> None:
        toks = self.doc.tokens
        span = self.doc.span(toks[i].start, toks[j - 1].end)
        self.mentions.append(Mention(entity, span, self.doc.token_sentence[i], kind))
        for k in range(i, j):
            self.covered[k] = True

    def concept_entity(self, iri: str) -> Entity:
        return entity_from_concept(self.doc, self.lex.concepts[iri])

    def drop(self, mention: Mention) -> None:
        """Remove the first mention equal to `mention`, as list.remove does, comparing whole mentions only
        where the start offsets agree (a full comparison with every mention made long articles quadratic)."""
        start = mention.span.start
        for k, m in enumerate(self._mentions):
            if m.span.start == start and (m is mention or m == mention):
                del self._mentions[k]
                return
        raise ValueError("list.remove(x): x not in list")

    @property
    def mentions(self) -> list[Mention]:
        return self._mentions

    @mentions.setter
    def mentions(self, value: list[Mention]) -> None:
        self._mentions = _Changes(value)

    def ending_at(self, end: int) -> list[Mention]:
        """The mentions that end at an offset, in list order (kept like the country context, below)."""
        mentions, cached = self._mentions, self._ends
        if cached is None or cached[0] is not mentions or cached[1] != mentions.version or cached[2] > len(mentions):
            ends: dict[int, list[Mention]] = {}
            new = mentions
        else:
            ends, new = cached[3], mentions[cached[2]:]
        for m in new:
            ends.setdefault(m.span.end, []).append(m)
        self._ends = (mentions, mentions.version, len(mentions), ends)
        return ends.get(end, [])

    def context_countries(self) -> set[str]:
        # asked at every gazetteer lookup: kept until the mentions change (scanning them each time made long
        # articles quadratic)
        mentions, cached = self._mentions, self._countries
        if cached is None or cached[0] is not mentions or cached[1] != mentions.version or cached[2] > len(mentions):
            codes = {m.entity.country_code for m in mentions if m.entity.country_code}
        else:  # only appends since: add their codes
            codes = cached[3]
            codes.update(m.entity.country_code for m in mentions[cached[2]:] if m.entity.country_code)
        self._countries = (mentions, mentions.version, len(mentions), codes)
        return set(codes) or {"UA", "RU"}

    # -- passes --------------------------------------------------------------------------------------
    def operation_names(self) -> None:
        """'Operation Northern Dawn', 'Operation Southern Gale': a military operation's code name names no
        weapon, place or person, so its words are set aside before the lexicon sees them."""
        toks, text = self.doc.tokens, self.doc.text
        for i, tok in enumerate(toks[:-1]):
            if tok.text != "Operation" or self.covered[i]:
                continue
            j = i + 1
            while j < len(toks) and self.doc.token_sentence[j] == self.doc.token_sentence[i] and joins(text, toks[j - 1], toks[j]):
                if toks[j].is_title:
                    j += 1
                elif toks[j].lower == "and" and j + 1 < len(toks) and toks[j + 1].is_title:
                    j += 2
                else:
                    break
            for k in range(i, j if j > i + 1 else i):
                self.covered[k] = True

    def coordinated_places(self) -> None:
        """'the Penza and Saratov regions', 'the Klin, Dmitrov and Shatura districts'."""
        toks, text = self.doc.tokens, self.doc.text
        for h, tok in enumerate(toks):
            head = cues.PLACE_HEADS.get(tok.lower) or cues.PLURAL_SITE_HEADS.get(tok.lower)
            if head is None or not tok.lower.endswith("s") or h < 3:
                continue
            names_found: list[tuple[int, int]] = []
            j = h
            while j > 0:
                k = j - 1
                if not toks[k].is_title:
                    break
                start = k
                while start > 0 and toks[start - 1].is_title and joins(text, toks[start - 1], toks[start]) \
                        and toks[start - 1].lower not in cues.SENTENCE_START_WORDS:
                    start -= 1
                if toks[start].lower in cues.SENTENCE_START_WORDS or any(
                        self.lex.concepts[e.iri].category == "country" for e in self.lex.lookup(tuple(self.doc.folded[start:j]))):
                    break  # "In Ukraine, Chernivtsi and Ternopil regions": the list starts after the country
                names_found.append((start, j))
                gap = text[toks[start - 1].end:toks[start].start] if start > 0 else ""
                if start > 0 and toks[start - 1].lower == "and":
                    j = start - 1
                elif "," in gap:
                    j = start
                else:
                    break
            if len(names_found) < 2:
                continue
            for a, b in names_found:
                name = " ".join(t.text for t in toks[a:b])
                if tok.lower in cues.PLURAL_SITE_HEADS:  # "Sadova and Lisova streets"
                    self.add(minted("place", f"{name} {head}", "site"), a, b)
                else:
                    entity = self.place_with_head(name, head, tok.lower)
                    if entity is not None:
                        self.add(entity, a, b)
            self.covered[h] = True

    def place_with_head(self, name: str, head: str, word: str = "") -> Entity | None:
        """'Penza' + region -> the Penza region; 'Klin' + district -> the town, else a new district (a new
        township keeps that word: 'Paletwa township'). A community ('the Lisove community') must be named
        after a town the gazetteer knows, since 'the Druze community' names people, not a place."""
        if head == "region":
            for entry in self.lex.lookup(tuple(normalize(name + " region").split())):
                return self.concept_entity(entry.iri)
            cc = sorted(self.context_countries())[0] if len(self.context_countries()) == 1 else ""
            return minted("place", f"{name} region", "region", cc)
        if head == "community":
            town = self.doc.resources.gazetteer.best(name, self.context_countries())
            if town is None or town.country_code not in self.context_countries():
                return None
            return minted("place", f"{name} community", "district")
        town = self.doc.resources.gazetteer.best(name, self.context_countries(), 20000)
        if town:  # "the Klin district" is named after its town; as a district it is not a separate target
            return dataclasses.replace(entity_from_town(self.doc, town), feature_type="district")
        return minted("place", f"{name} {'township' if word.startswith('township') else 'district'}", "district")

    def lexicon_phrases(self) -> None:
        """Longest lexicon match at each token, within a sentence, honouring the labels' case."""
        toks, text, lex = self.doc.tokens, self.doc.text, self.lex
        # read for every token: local names, not attribute look-ups
        covered, folded, token_sentence = self.covered, self.doc.folded, self.doc.token_sentence
        starts, demonym_starts = lex.starts, self.doc.resources.demonym_starts
        prefixes = self.doc.resources.phrase_prefixes
        n = len(toks)
        # the tokens where a phrase or a demonym can begin, found in one pass: the loop below jumps from one
        # to the next (at any other token it would only have moved on by one)
        # (singular() changes only words ending in "s")
        begins = [k for k, w in enumerate(folded) if w in starts or w in demonym_starts
                  or (w[-1:] == "s" and names.singular(w) in starts)]
        c, last = 0, len(begins)
        i = 0
        while i < n:
            while c < last and begins[c] < i:
                c += 1
            if c == last:
                break
            i = begins[c]
            if covered[i]:
                i += 1
                continue
            best = None
            first = folded[i]
            # (singular() changes only words ending in "s")
            if first not in starts and (first[-1:] != "s" or names.singular(first) not in starts):
                i = self.demonym_or_next(i) if first in demonym_starts else i + 1
                continue
            limit = min(n, i + lex.max_len)
            j = i + 1
            stop = i + 1
            while j <= limit:
                # a phrase of j - i words needs its first j - i - 1 words, exactly, to begin some phrase (only
                # the last word may be a plural): past that, no longer phrase can match
                if j > i + 1 and (not joins(text, toks[j - 2], toks[j - 1]) or covered[j - 1]
                                  or token_sentence[j - 1] != token_sentence[i]
                                  or tuple(folded[i:j - 1]) not in prefixes):
                    break
                stop = j
                j += 1
            for j in range(stop, i, -1):
                key = tuple(folded[i:j])
                entries = lex.lookup(key) or lex.lookup(key[:-1] + (names.singular(key[-1]),))
                entries = [e for e in entries if case_ok(e.label, toks[i:j])
                           and lex.concepts[e.iri].category != "object"]
                if entries:
                    best = (j, self.choose(entries))
                    break
            if best is None:
                i = self.demonym_or_next(i)
                continue
            j, entry = best
            concept = lex.concepts[entry.iri]
            if len(toks[i].text) == 1 and j == i + 1 and (i == 0 or toks[i - 1].lower not in cues.PLATFORM_PREPS):
                i += 1  # single letters ("X") only count where a platform is expected
                continue
            if concept.category == "weapon" and j < n and toks[j].lower in cues.NOT_WEAPON_NOUNS:
                i = j  # "jet fuel", "jet stream": the word names no weapon here
                continue
            if concept.category == "place" and not concept.country_code and j < n \
                    and toks[j].lower in cues.ATTRIBUTIVE_NOUNS and self.doc.token_sentence[j] == self.doc.token_sentence[i]:
                i = j  # "Middle East envoy", "Red Sea policy": a region as a label of a job or a policy
                continue
            if concept.category == "person" and j == i + 1 and self.other_given_name(i):
                i += 1  # "Petro Kovalchuk" is not the Kovalchuk the lexicon knows by surname
                continue
            if concept.category == "place":
                compound = self.hyphenated_town(i, j)
                if compound is not None:  # "Stepove-Lisove" is a town of its own, not Lisove
                    a, b, town = compound
                    self.add(entity_from_town(self.doc, town), a, b)
                    i = b
                    continue
            entity = self.concept_entity(entry.iri)
            kind = "name"
            capital_of = lex.capitals.get(normalize(" ".join(t.text for t in toks[i:j])))
            if capital_of and concept.category == "place" and is_metonym(self.doc, i, j):
                entity, kind = self.concept_entity(capital_of), "metonym"
            self.add(entity, i, j, kind)
            if concept.category != "country":
                self.possessor_country(i, j)
            i = j

    def hyphenated_town(self, i: int, j: int) -> tuple[int, int, Town] | None:
        """A known place hyphenated to another capitalised word ("Oleksiivka-Druzhkivka", "Kamianka-Dniprovska")
        names a different town when the gazetteer knows the compound in the article's countries; pairs like
        "Israel-Lebanon" are not towns and stay as they are."""
        toks, text = self.doc.tokens, self.doc.text
        sentence = self.doc.token_sentence[i]
        spans = []
        if i > 0 and text[toks[i - 1].end:toks[i].start] == "-" and toks[i - 1].is_title and not self.covered[i - 1] \
                and self.doc.token_sentence[i - 1] == sentence:
            spans.append((i - 1, j))
        if j < len(toks) and text[toks[j - 1].end:toks[j].start] == "-" and toks[j].is_title \
                and self.doc.token_sentence[j] == sentence:
            spans.append((i, j + 1))
        ctx = self.context_countries()
        for a, b in spans:
            town = self.doc.resources.gazetteer.best(text[toks[a].start:toks[b - 1].end], ctx)
            if town is not None and town.country_code in ctx:
                return a, b, town
        return None

    def other_given_name(self, i: int) -> bool:
        """Is the known surname at token i preceded by a first name of its own (another person)?"""
        toks = self.doc.tokens
        if i == 0 or self.covered[i - 1] or not toks[i - 1].is_title or not joins(self.doc.text, toks[i - 1], toks[i]):
            return False
        prev = toks[i - 1].lower
        return (prev not in cues.TITLE_WORDS and prev not in cues.SENTENCE_START_WORDS and prev not in self.lex.demonyms
                and self.doc.token_sentence[i - 1] == self.doc.token_sentence[i] and toks[i - 1].text[:1].isalpha())

    def possessor_country(self, i: int, j: int) -> None:
        """'Norway's Royal Air Force', 'the Bahamas' Department of ...': the owner named inside a longer
        name is still a mention of that country."""
        toks, text = self.doc.tokens, self.doc.text
        for k in range(i + 1, j - 1):
            after = text[toks[k - 1].end:toks[k - 1].end + 2]
            if toks[k].lower == "s" and after[:1] in ("'", "\u2019") and toks[k].start == toks[k - 1].end + 1:
                end = k
            elif after[:1] in ("'", "\u2019") and toks[k - 1].lower.endswith("s") and after[1:2] == " ":
                end = k  # plural possessive: "the Bahamas' ..."
            else:
                continue
            iris = [e.iri for e in self.lex.lookup(tuple(self.doc.folded[i:end]))
                    if self.lex.concepts[e.iri].category == "country"]
            if iris:
                span = self.doc.span(toks[i].start, toks[end - 1].end)
                self.possessors.append(Mention(self.concept_entity(iris[0]), span, self.doc.token_sentence[i], "name"))
            return

    def unnamed_possessors(self) -> list[Mention]:
        """The possessive countries of longer names, for countries the article names nowhere else (elsewhere
        the inner mention would only compete with the organization for 'who said it')."""
        named = {m.entity.iri for m in self.mentions if m.kind == "name"}
        out: list[Mention] = []
        for m in self.possessors:
            if m.entity.iri not in named:
                named.add(m.entity.iri)
                out.append(m)
        return out

    def choose(self, entries: list[Entry]) -> Entry:
        if len(entries) == 1:
            return entries[0]
        ctx = self.context_countries()
        return sorted(entries, key=lambda e: (self.lex.concepts[e.iri].country_code not in ctx, not e.preferred))[0]

    def demonym_or_next(self, i: int) -> int:
        """Record a demonym at token i ("Russian") and return where to go on."""
        demonym = self.demonym_at(i)
        if demonym is None:
            return i + 1
        j, iri = demonym
        self.add(self.concept_entity(iri), i, j, "demonym")
        return j

    def demonym_at(self, i: int) -> tuple[int, str] | None:
        toks = self.doc.tokens
        if self.doc.folded[i] not in self.doc.resources.demonym_starts:
            return None  # no demonym begins with this word (most words): the lookups below would all miss
        for length in (2, 1):
            if i + length > len(toks) or not toks[i].is_title:
                continue
            if length == 2 and not joins(self.doc.text, toks[i], toks[i + 1]):
                continue
            iri = self.lex.demonyms.get(" ".join(self.doc.folded[i:i + length]))
            if iri:
                return i + length, iri
        return None

    def generic_organizations(self) -> None:
        """'the Defence Ministry', 'Chile's Foreign Ministry': organizations named by a country-neutral head."""
        toks, text, folded = self.doc.tokens, self.doc.text, self.doc.folded
        by_first: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
        for key, iris in self.lex.generic_orgs.items():
            by_first.setdefault(key[0], []).append((key, iris))
        for i in range(len(toks)):
            for key, iris in by_first.get(folded[i], ()):
                j = i + len(key)
                if j > len(toks) or not self.free(i, j):
                    continue
                if tuple(folded[i:j]) != key:
                    continue
                if not all(t.is_title or t.lower in cues.NAME_FUNCTION_WORDS for t in toks[i:j]) and not self.reports(i, j):
                    continue
                if any(not joins(text, toks[k], toks[k + 1]) for k in range(i, j - 1)):
                    continue
                country, start = self.country_before(i)
                owner, j = self.country_after(j)  # "the Ministry of Health of Chad"
                if country is None:
                    country = owner or self.possessive_anaphor(i) or self.dominant_country(i)
                cc = self.lex.concepts[country].country_code if country else ""
                chosen = [iri for iri in iris if self.lex.concepts[iri].country_code == cc]
                if chosen:
                    entity = self.concept_entity(chosen[0])
                elif country:
                    demonym = (self.lex.concepts[country].demonyms or [self.lex.concepts[country].label])[0]
                    label = f"{demonym} {' '.join(t.text for t in toks[i:j])}"
                    entity = minted("organization", label)
                else:
                    entity = minted("organization", " ".join(t.text for t in toks[i:j]))
                # the country word before (or after) it belongs to the organization's name; it still names the
                # country when the article names it nowhere else
                inside = [m for m in self.mentions if m.entity.category == "country" and m.kind == "name"
                          and toks[start if start is not None else i].start <= m.span.start < toks[j - 1].end]
                self.possessors.extend(inside)
                self.mentions = [m for m in self.mentions if not (
                    start is not None and m.span.start == toks[start].start) and m not in inside]
                self.add(entity, start if start is not None else i, j)

    def possessive_anaphor(self, i: int) -> str | None:
        """'killed in Juba, according to the province's health ministry': a lower-case possessive noun before
        a body points back to the last place named in the sentence, whose country owns the body."""
        toks = self.doc.tokens
        if i < 2 or toks[i - 1].lower != "s" or not toks[i - 2].text.islower() \
                or self.doc.text[toks[i - 2].end:toks[i - 1].start] not in ("'", "\u2019"):
            return None
        start = toks[i - 2].start
        for m in reversed(self.mentions):
            if m.sentence == self.doc.token_sentence[i] and m.span.end <= start and m.entity.country_code \
                    and m.entity.category in ("place", "country"):
                return self.lex.countries_by_code.get(m.entity.country_code)
        return None

    def country_after(self, j: int) -> tuple[str | None, int]:
        """A country named right after a body: 'of Ukraine', 'of the Russian Federation'. Returns it and
        where the whole name ends."""
        toks = self.doc.tokens
        if j + 1 >= len(toks) or toks[j].lower != "of":
            return None, j
        k = j + 2 if toks[j + 1].lower == "the" and j + 2 < len(toks) else j + 1
        for m in self.mentions:
            if m.span.start == toks[k].start and m.entity.category == "country" and m.kind == "name":
                return m.entity.iri, self.doc.token_index(m.span.end)
        return None, j

    def reports(self, i: int, j: int) -> bool:
        """'the air force says', 'according to the enclave's health ministry': a body in lower case is a name
        only as the source of a report, the subject of a reporting verb or the object of 'according to'."""
        toks = self.doc.tokens
        if i > 0 and toks[i - 1].lower == "the" and j < len(toks) and toks[j].lower in cues.REPORTING_VERBS \
                and self.doc.token_sentence[j] == self.doc.token_sentence[i]:
            return True
        k = i - 1
        if k >= 2 and toks[k].lower == "s" and self.doc.text[toks[k - 1].end:toks[k].start] in ("'", "\u2019") \
                and toks[k - 1].text.islower():
            k -= 2  # "the province's health ministry"
        return (k >= 2 and toks[k].lower == "the" and toks[k - 1].lower == "to" and toks[k - 2].lower == "according"
                and self.doc.token_sentence[k - 2] == self.doc.token_sentence[i])

    def country_before(self, i: int) -> tuple[str | None, int | None]:
        """A country or demonym right before token i ("Ukraine's", "Russian")."""
        toks = self.doc.tokens
        k = i - 1
        if k >= 1 and toks[k].lower == "s" and toks[k].start - toks[k - 1].end == 1:
            k -= 1  # possessive 's
        for m in reversed(self.mentions):
            if m.entity.category == "country" and m.span.end <= toks[i].start and m.span.start <= toks[k].start <= m.span.end:
                return m.entity.iri, self.doc.token_index(m.span.start)
        return None, None

    def dominant_country(self, i: int) -> str | None:
        """The country an unqualified 'Defence Ministry' belongs to: the one an earlier mention of the same
        kind of body had, else the dateline's, else the country named most so far."""
        start = self.doc.tokens[i].start
        sentence = self.doc.token_sentence[i]
        for m in self.mentions:  # "In Chad, the health ministry said": the sentence sets the scene
            k = self.doc.token_index(m.span.start)
            if m.sentence == sentence and m.span.end <= start and m.entity.category == "country" \
                    and k > 0 and self.doc.tokens[k - 1].lower == "in" and self.doc.token_sentence[k - 1] == sentence:
                return m.entity.iri
        head = tuple(fold(t.text) for t in self.doc.tokens[i:i + 3])
        for m in reversed(self.mentions):
            c = self.lex.concepts.get(m.entity.iri)
            if m.span.start < start and c and c.category == "organization" and c.country_code and any(
                    head[:len(g.split())] == tuple(normalize(g).split()) for g in c.generic_labels):
                return self.lex.countries_by_code.get(c.country_code)
        first = self.doc.sentences[0] if self.doc.sentences else None
        if first is not None and re.match(r"^[A-Z][A-Z\s'.-]+(,[^\n\u2014]{0,40})?\s*[\u2014\u2013-]", first.text):
            for m in self.mentions:
                if m.span.start >= first.start and m.entity.country_code and m.span.end < first.start + 60:
                    return self.lex.countries_by_code.get(m.entity.country_code)
        places = [m.entity.country_code for m in self.mentions if m.entity.category == "place" and m.entity.country_code
                  and m.kind == "name"]
        if places:  # the body that reports an attack is usually the attacked country's: where the places are
            top = max(dict.fromkeys(places), key=places.count)  # first-named wins a tie, whatever the hash seed
            if top in self.lex.countries_by_code:
                return self.lex.countries_by_code[top]
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.entity.category == "country" and m.span.start < start:
                counts[m.entity.iri] = counts.get(m.entity.iri, 0) + 1
        return max(counts, key=counts.get) if counts else None

    def merge_weapon_heads(self) -> None:
        """'Tu-160 strategic bombers', 'Gripen jets', 'Fateh-110 ballistic missiles': a generic weapon word right
        after a specific one is that weapon's head noun, not a second weapon."""
        weapons = sorted((m for m in self.mentions if m.entity.category == "weapon"), key=lambda m: m.span.start)
        drop: set[int] = set()
        # where each mention value first stands, as list.index would find it, without a scan per merge
        positions: dict[Mention, list[int]] = {}
        for k, m in enumerate(self.mentions):
            positions.setdefault(m, []).append(k)
        for a, b in zip(weapons, weapons[1:]):
            gap = self.doc.text[a.span.end:b.span.start].split()
            if id(a) in drop or a.entity.iri == b.entity.iri or len(gap) > 1 or a.sentence != b.sentence \
                    or (gap and "-" not in gap[0] and gap[0].lower() not in cues.WEAPON_ADJECTIVES):
                continue  # only "Tu-160 long-range bombers", "Fateh-110 ballistic missiles" are one weapon
            if b.entity.iri in ancestors(self.lex, a.entity.iri):
                merged = Mention(a.entity, self.doc.span(a.span.start, b.span.end), a.sentence, a.kind)
                if not positions.get(a):
                    raise ValueError(f"{a!r} is not in list")
                k = positions[a].pop(0)
                self.mentions[k] = merged
                bisect.insort(positions.setdefault(merged, []), k)
                drop.add(id(b))
        if drop:
            self.mentions = [m for m in self.mentions if id(m) not in drop]

    def surnames(self) -> None:
        """A lone surname (or given name) refers to the person named in full earlier or later."""
        toks = self.doc.tokens
        by_part: dict[str, Entity] = {}
        for m in self.mentions:
            if m.entity.category == "person" and m.kind == "name":
                parts = m.span.text.split()
                if len(parts) >= 2:
                    by_part.setdefault(fold(parts[-1]), m.entity)
        for i, tok in enumerate(toks):
            if self.covered[i] or not tok.is_title:
                continue
            entity = by_part.get(fold(tok.text))
            if entity and not (i + 1 < len(toks) and toks[i + 1].is_title and joins(self.doc.text, tok, toks[i + 1])):
                self.add(entity, i, i + 1, "alias")


def case_ok(label: str, toks: list[Token]) -> bool:
    """Capitalised labels need capitalised text (or ALL CAPS datelines); short acronyms match exactly."""
    label_toks = _label_tokens(label)
    for k, lt in enumerate(label_toks[: len(toks)]):
        tt = toks[k].text
        if lt.islower() or lt.isdigit():
            continue
        if lt.isupper() and len(lt) <= 4 and not lt.isdigit():
            if tt != lt and not (len(lt) > 1 and tt == lt.upper()):
                return False
        elif not tt[:1].isupper():
            return False
    return True


@functools.lru_cache(maxsize=65536)
def _label_tokens(label: str) -> tuple[str, ...]:
    # the same few thousand lexicon labels are checked again and again: split each once (callers only read)
    return tuple(re.findall(r"[^\W_]+", label))


def find_mentions(doc: Doc) -> list[Mention]:
    """Every mention of an actor, place or weapon in the article, in text order."""
    finder = _Finder(doc)
    finder.operation_names()
    finder.coordinated_places()
    finder.lexicon_phrases()
    names.ship_names(finder)
    names.place_patterns(finder)
    finder.generic_organizations()
    names.lowercase_organizations(finder)
    names.place_bodies(finder)
    names.place_lists(finder)
    names.unknown_names(finder)
    finder.merge_weapon_heads()
    finder.surnames()
    inner = finder.unnamed_possessors()
    inner_ids = {id(m) for m in inner}
    # an inner country sorts before the name that contains it, so "X's Defence Ministry said" stays the ministry's
    return MentionList(sorted(finder.mentions + inner,
                              key=lambda m: (m.span.start, -10**9 if id(m) in inner_ids else -m.span.end)))
