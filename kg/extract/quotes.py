"""Direct quotations and their speakers.

A quoted span is a quotation unless it is a term held at a distance ("so-called 'referendums'",
"Russia's 'special military operation'", a short quoted phrase in a sentence nobody is said to say).
The speaker is found by precedence, from the closest tie to the loosest:
1. the clause right after the quotation: "..., said Olena Hrytsenko", "..., he wrote", "..., the ministry
   said", "..., it said" (a pronoun stands for the speaker or subject of the nearest sentence before);
2. a quotation split by its attribution ('"...," he said, "..."') keeps the speaker of its first part;
3. the source of the text before it in its sentence ("Sandu described the strikes as '...'");
4. a paragraph ending in a colon introduces the quotation opening the next; a quotation running over
   paragraphs takes the speaker named in the paragraph it goes on in;
5. an unattributed quotation that continues a paragraph keeps the speaker of the quotation before it.
"""
from __future__ import annotations

import re

from ..model import Entity, Mention, Quote
from . import cues
from .context import (ACTOR_CATEGORIES, antecedent_person, is_subject_like, previous_source, resolve_description,
                      sentence_source)
from .doc import Doc
from .mention_index import starting_in

_VERBS = cues.alternation(cues.QUOTE_VERBS, shortest_first=True)  # as an alphabetical list would
_ALL_VERBS = re.compile(r"\b(?:" + cues.alternation(cues.REPORTING_VERBS - {"according"}, shortest_first=True) + r")\b", re.I)
_AFTER_VERB_FIRST = re.compile(rf"^[\s,.!?\u2014-]*(?:{_VERBS})\b", re.I)
_ADVERB = r"(?:also\s+|later\s+|then\s+|\w+ly\s+)?"
_AFTER_PRONOUN = re.compile(rf"^[\s,.!?\u2014-]*(he|she)\s+{_ADVERB}(?:{_VERBS})\b", re.I)
_AFTER_IT = re.compile(rf"^[\s,.!?\u2014-]*it\s+{_ADVERB}(?:{_VERBS})\b", re.I)
_AFTER_DESCRIPTION = re.compile(rf"^[\s,.!?\u2014-]*((?:the|his|her|its|their)\s+(?:[A-Z][\w-]*\s+)?[a-z]+)\s+"
                                rf"(?:{_VERBS})\b")
_ACCORDING_DESCRIPTION = re.compile(r"((?:the|his|her|its|their)\s+(?:[A-Z][\w-]*\s+)?[a-z]+)\b")
# a new clause after the quotation ("..., while X remarked") has a subject of its own
_CLAUSE_OPENER = re.compile(rf"\b(?:{cues.alternation(cues.CLAUSE_OPENERS)})\b", re.I)
_QUOTE_MARKS = "\u201c\u201d\"\u2018\u2019"
# words that hold a term at a distance rather than report speech
_TERM_BEFORE = re.compile(r"(?:\bso[- ]called|\bdubbed|\bknown\s+as|\bnicknamed|\bcode-?named|\btermed|\btitled|"
                          r"\bentitled|\b[Oo]peration)\s*[\u201c\"\u2018]$")
# "what Moscow calls a '...'": a present-tense naming habit, not a report of something said
_NAMING_HABIT = re.compile(r"\b(?:what|which)\s+(?:[\w\u2019'-]+\s+){1,4}(?:calls?|terms?|describes?\s+as|refers?\s+to\s+as)"
                           r"\s+(?:it\s+|its\s+|their\s+)?(?:an?\s+|the\s+)?[\u201c\"\u2018]$", re.I)
_CALLS_THE = re.compile(r"\b(?:calls|terms)\s+(?:it|the\s+\w+|its\s+\w+)\s+an?\s+[\u201c\"\u2018]$", re.I)
# "a song called '...'", "an operation named '...'": a thing's name, not speech
_THING_CALLED = re.compile(r"\b(?:a|an)\s+(?:[a-z-]+\s+){0,2}?([a-z-]+)\s*,?\s+(?:called|named|titled|entitled)\s+[\u201c\"\u2018]$")
# verbs of judging aloud: a quoted phrase after them is someone's words ("slammed the 'cowardly attack'")
_SPEECH_ACTS = re.compile(rf"\b(?:{cues.alternation(cues.SPEECH_ACT_STEMS)})\w*", re.I)
_POSSESSIVE_BEFORE = re.compile(r"(?:'s|\u2019s|s'|s\u2019)\s*[\u201c\"\u2018]$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|these|those)\s*[\u201c\"\u2018]$", re.I)
_TERM_MAX_WORDS = 4


def find_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Every quotation in the article with its speaker (None when nobody can be found)."""
    out: list[Quote] = []
    for start, end in doc.quotes:
        inner = doc.text[start:end].strip()
        if not re.search(r"[A-Za-z]", inner) or _is_term(doc, mentions, start, end):
            continue
        sentence = doc.sentence_of(start)
        speaker = _speaker(doc, mentions, start, end, sentence, out)
        out.append(Quote(text=inner, span=doc.span(start, end), sentence=sentence, speaker=speaker))
    return _carry_run_on(doc, out)


def _is_term(doc: Doc, mentions: list[Mention], start: int, end: int) -> bool:
    """A short quoted phrase held at a distance: named ('so-called', 'dubbed'), owned by an actor ("Russia's
    '...'"), or a noun phrase in a sentence where nobody says anything."""
    inner = doc.text[start:end].strip()
    if len(inner.split()) > _TERM_MAX_WORDS or re.search(r"[.!?;:,]$", inner):
        return False
    left_start = max(0, start - 30)
    left = doc.text[left_start:start]
    if _TERM_BEFORE.search(left) or _NAMING_HABIT.search(doc.text[max(0, start - 80):start]) or _CALLS_THE.search(left):
        return True
    thing = _THING_CALLED.search(left)
    if thing and thing.group(1) not in cues.TITLE_WORDS:
        return True
    own = _POSSESSIVE_BEFORE.search(left)
    if own and any(m.entity.category in ACTOR_CATEGORIES and m.span.end in (left_start + own.start(), left_start + own.start() + 1)
                   for m in mentions if start - 60 < m.span.end <= start):
        return True
    if _DETERMINER_BEFORE.search(left):  # "the 'safe room'": a term, unless somebody in the sentence speaks
        s = doc.sentences[doc.sentence_of(start)]
        outside = [v for v in _SPEECH_ACTS.finditer(doc.text, s.start, s.end) if not doc.in_quote(v.start())]
        outside += [v for v in _ALL_VERBS.finditer(doc.text, s.start, s.end) if not doc.in_quote(v.start())]
        actors = [m for m in starting_in(mentions, s.start, s.end) if m.entity.category in ("person", "organization")
                  and not doc.in_quote(m.span.start)]
        return not outside and not actors
    return False


def _speaker(doc: Doc, mentions: list[Mention], start: int, end: int, sentence: int, earlier: list[Quote]) -> Entity | None:
    s = doc.sentences[sentence]
    who = _after_quote(doc, mentions, start, end, earlier)
    if who is not None:
        return who
    prev = earlier[-1] if earlier else None
    if prev is not None and prev.speaker is not None and _split_by_attribution(doc, mentions, prev, start):
        return prev.speaker
    # text before the quotation in its sentence
    if s.start < start - 1:
        who = sentence_source(doc, mentions, sentence, until=start, nearest_verb=True)
        if who is not None:
            return who
    # "Sandu wrote on Telegram:" closing the paragraph before introduces a quotation opening this one
    if sentence > 0 and doc.sentences[sentence - 1].paragraph == s.paragraph - 1 \
            and doc.sentences[sentence - 1].text.rstrip().endswith(":"):
        who = sentence_source(doc, mentions, sentence - 1)
        if who is not None:
            return who
    # a quotation that continues the paragraph goes to the speaker before, unless its own sentence says
    # who speaks and that speaker is not known ("A resident said ...")
    if prev is not None and prev.speaker is not None and not _reported_before(doc, s.start, start):
        if doc.sentences[prev.sentence].paragraph in (s.paragraph, s.paragraph - 1):
            return prev.speaker
    return sentence_source(doc, mentions, sentence)


def _reported_before(doc: Doc, start: int, end: int) -> bool:
    """Whether a reporting verb outside quotations stands between two offsets."""
    return any(not doc.in_quote(v.start()) for v in _ALL_VERBS.finditer(doc.text, start, end))


def _after_quote(doc: Doc, mentions: list[Mention], start: int, end: int, earlier: list[Quote]) -> Entity | None:
    """The speaker named in the clause right after the quotation, if it names one."""
    text = doc.text
    tail = text[end + 1:min(len(text), end + 120)].split("\n", 1)[0]
    inner = text[start:end].rstrip()
    # words after a quotation name its speaker only when the quotation did not end the sentence:
    # “We are ready,” he said / “Why?” Sandu wrote — but not: “We are ready.” Ruto told reporters...
    if tail.lstrip().startswith(".") or (inner.endswith(".") and not tail.lstrip().startswith(",")):
        return None
    if _AFTER_PRONOUN.match(tail):  # "..., he said"
        speakers = [(q.span.start, q.speaker) for q in earlier if q.speaker is not None]
        return antecedent_person(doc, mentions, end + 1 + _AFTER_PRONOUN.match(tail).start(1), speakers)
    after = [m for m in starting_in(mentions, end + 1, end + 1 + len(tail)) if m.entity.category in ACTOR_CATEGORIES
             and m.kind != "demonym" and is_subject_like(doc, m, end + 1)]
    if after:  # "..., said Olena Hrytsenko" / "..., President Maia Sandu wrote"
        first = after[0]
        gap = text[end + 1:first.span.start]
        rest = text[first.span.end:first.span.end + 40]
        if _AFTER_VERB_FIRST.match(gap) or (re.fullmatch(r"[\s,.!?\u2014-]*(?:[A-Za-z-]+\s+){0,5}", gap)
                                             and not _CLAUSE_OPENER.search(gap)
                                             and re.match(rf"[\s,]*(?:{_VERBS})\b", rest, re.I)):
            return first.entity
    acc = re.match(r"^[\s,]*according to\s+", tail, re.I)
    if acc:  # "“...,” according to Mayor Petro Danylenko"
        who = [m for m in after if m.span.start <= end + 1 + acc.end() + 40]
        if who:
            return who[0].entity
        desc = _ACCORDING_DESCRIPTION.match(tail, acc.end())
        if desc:  # "..., according to the ministry"
            who = resolve_description(doc, mentions, start, desc.group(1))
            if who is not None:
                return who
    desc = _AFTER_DESCRIPTION.match(tail)
    if desc:  # "..., the ministry said" / "..., the Norwegian premier said"
        who = resolve_description(doc, mentions, start, desc.group(1))
        if who is not None:
            return who
    if _AFTER_IT.match(tail):  # "..., it said": the organization the sentences before report
        who = previous_source(doc, mentions, start)
        if who is not None and who.category != "person":
            return who
    return None


def _split_by_attribution(doc: Doc, mentions: list[Mention], prev: Quote, start: int) -> bool:
    """Whether only the first part's own attribution stands between two quotations ('"...," he said. "..."'):
    the first part breaks off at a comma and nobody else is named in between."""
    between = doc.text[prev.span.end:start]
    if len(between) > 80 or "\n" in between:
        return False
    if not (prev.text.rstrip().endswith(",") or between.lstrip(_QUOTE_MARKS).startswith(",")):
        return False
    words = between.strip(_QUOTE_MARKS + " ,.:;\u2014-")
    if not _ALL_VERBS.search(words) or any(c in words for c in _QUOTE_MARKS) or len(words.split()) > 8:
        return False
    return all(m.entity.iri == prev.speaker.iri for m in starting_in(mentions, prev.span.end, start)
               if m.entity.category in ACTOR_CATEGORIES and m.kind != "demonym")


def _carry_run_on(doc: Doc, quotes: list[Quote]) -> list[Quote]:
    """A quotation running over paragraphs is attributed where it ends, in the paragraph it goes on in."""
    for i in range(len(quotes) - 2, -1, -1):  # backwards, so a quotation over three paragraphs carries through
        q = quotes[i]
        if q.span.start in doc.run_on and quotes[i + 1].speaker is not None:
            nxt = quotes[i + 1]
            if doc.sentences[nxt.sentence].paragraph == doc.sentences[q.sentence].paragraph + 1:
                quotes[i] = Quote(text=q.text, span=q.span, sentence=q.sentence, speaker=nxt.speaker)
    return quotes
