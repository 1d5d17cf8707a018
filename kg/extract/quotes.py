"""Direct quotations and their speakers.

The speaker is, in order: the name or pronoun next to a reporting verb right after the quotation
("..., said Maria Hilchenko", "..., he wrote"); the source of the text before it in the sentence
("Zelenskiy described the strikes as '...'", "He said, '...'"); for an unattributed quotation that
continues a paragraph, the speaker of the quotation before it. Pronouns resolve to the last person
named before the quotation, outside other quotations.
"""
from __future__ import annotations

import re

from ..model import Entity, Mention, Quote
from . import cues
from .context import ACTOR_CATEGORIES, last_person_before, resolve_description, sentence_source
from .doc import Doc

_VERBS = "|".join(sorted(cues.REPORTING_VERBS - {"according", "calling", "called", "described", "describes"}))
_AFTER_VERB_FIRST = re.compile(rf"^[\s,.!?\u2014-]*(?:{_VERBS})\b", re.I)
_AFTER_PRONOUN = re.compile(rf"^[\s,.!?\u2014-]*(he|she)\s+(?:{_VERBS})\b", re.I)


def find_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Every quotation in the article with its speaker (None when nobody can be found)."""
    out: list[Quote] = []
    for start, end in doc.quotes:
        inner = doc.text[start:end].strip()
        if not re.search(r"[A-Za-z]", inner):
            continue
        sentence = doc.sentence_of(start)
        speaker = _speaker(doc, mentions, start, end, sentence, out)
        out.append(Quote(text=inner, span=doc.span(start, end), sentence=sentence, speaker=speaker))
    return out


def _speaker(doc: Doc, mentions: list[Mention], start: int, end: int, sentence: int, earlier: list[Quote]) -> Entity | None:
    text = doc.text
    s = doc.sentences[sentence]
    tail = text[end + 1:min(len(text), end + 120)].split("\n", 1)[0]
    inner = text[start:end].rstrip()
    # words after a quotation name its speaker only when the quotation did not end the sentence:
    # “We are ready,” he said / “Why?” Zelensky wrote — but not: “We are ready.” Trump told reporters...
    if tail.lstrip().startswith(".") or (inner.endswith(".") and not tail.lstrip().startswith(",")):
        tail = ""
    # "..., said Maria Hilchenko" / "..., he said" / "..., President Volodymyr Zelensky wrote"
    pron = _AFTER_PRONOUN.match(tail)
    if pron:
        return last_person_before(doc, mentions, start)
    after = [m for m in mentions if end < m.span.start < end + 1 + len(tail) and m.entity.category in ACTOR_CATEGORIES
             and m.kind != "demonym"]
    if after:
        first = after[0]
        gap = text[end + 1:first.span.start]
        rest = text[first.span.end:first.span.end + 40]
        if _AFTER_VERB_FIRST.match(gap) or (re.fullmatch(r"[\s,.!?\u2014-]*(?:[A-Za-z-]+\s+){0,5}", gap)
                                             and re.match(rf"[\s,]*(?:{_VERBS})\b", rest, re.I)):
            return first.entity
    acc = re.match(r"^[\s,]*according to\s+", tail, re.I)
    if acc:  # "“...,” according to Mayor Vitali Klitschko"
        who = [m for m in after if m.span.start <= end + 1 + acc.end() + 40]
        if who:
            return who[0].entity
    desc = re.match(rf"^[\s,.!?\u2014-]*(the\s+[a-z]+)\s+(?:{_VERBS})\b", tail, re.I)
    if desc:
        who = resolve_description(doc, mentions, start, desc.group(1))
        if who:
            return who
    # text before the quotation in its sentence
    if s.start < start - 1:
        who = sentence_source(doc, mentions, sentence, until=start, nearest_verb=True)
        if who is not None:
            return who
    # a quotation that continues the paragraph goes to the speaker before
    if earlier and earlier[-1].speaker is not None:
        prev = earlier[-1]
        if doc.sentences[prev.sentence].paragraph in (s.paragraph, s.paragraph - 1):
            return prev.speaker
    return sentence_source(doc, mentions, sentence)
