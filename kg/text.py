"""Sentences and tokens with character offsets, and the one normalisation every matcher shares."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Gaps a multi-word name may span: spaces, hyphens, apostrophes, periods of abbreviations, slashes.
_JOINING_GAP = re.compile(r"[\s\-\u2010-\u2014'\u2019./]*")
_FULL_STOP_SPACE = re.compile(r"\.\s")
_ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "no", "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj",
    "capt", "sgt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "vs", "etc", "approx", "inc", "ltd", "co", "corp", "jr", "sr", "prof", "gov", "rep", "sen", "adm", "d.c",
}
_SENT_END = re.compile(r"[.!?]+[\"'\u201d\u2019)]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u0400-\u04ff])")


class _TokenFields(NamedTuple):
    start: int
    end: int
    text: str
    lower: str  # read hundreds of thousands of times per thousand articles: computed once
    is_title: bool


class Token(_TokenFields):
    """A run of letters or digits: its offsets and text (and, computed once, its lower case and whether it
    opens with a capital). A tuple, not a dataclass: an article has thousands, and a tuple is made about
    twice as fast."""

    __slots__ = ()

    def __new__(cls, start: int, end: int, text: str) -> Token:
        return tuple.__new__(cls, (start, end, text, text.lower(), text[:1].isupper()))


@dataclass(frozen=True)
class Sentence:
    """A sentence: offsets into the article text, its index and its paragraph's index."""

    index: int
    start: int
    end: int
    paragraph: int
    text: str


def normalize(text: str) -> str:
    """Case-folded, accent-free words joined by single spaces: the key every lexicon lookup uses."""
    if text.isascii():  # the common case, without the Unicode decomposition
        return " ".join(_TOKEN.findall(text.lower()))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(t.lower() for t in _TOKEN.findall(text))


def fold(word: str) -> str:
    """One token, case-folded and accent-free."""
    word = unicodedata.normalize("NFKD", word)
    return "".join(c for c in word if not unicodedata.combining(c)).lower()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Letter/digit tokens of `text`; offsets are shifted by `offset`."""
    make = tuple.__new__  # Token(...) without the call to Token.__new__ (the same fields, computed here)
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        start, end = m.span()
        out.append(make(Token, (start + offset, end + offset, word, word.lower(), word[:1].isupper())))
    return out


def joins(text: str, left: Token, right: Token) -> bool:
    """True when nothing but spaces, hyphens, apostrophes or abbreviation dots ("U.S.") separate two tokens;
    a full stop followed by a space ends a sentence, not a name."""
    gap = text[left.end:right.start]
    if gap == " " or not gap:  # by far the commonest gaps: decide them without a regex
        return True
    return (len(gap) <= 3 and _JOINING_GAP.fullmatch(gap) is not None and "\n" not in gap
            and _FULL_STOP_SPACE.search(gap) is None)


def split_sentences(text: str) -> list[Sentence]:
    """Split on paragraph breaks and on sentence-final punctuation, sparing common abbreviations."""
    sentences: list[Sentence] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        if not chunk.strip():
            continue
        pieces: list[tuple[int, int]] = []
        cursor = 0
        for m in _SENT_END.finditer(chunk):
            end = m.end()
            before = chunk[cursor:m.start()].split()
            last = before[-1].lower().rstrip(".").lstrip("(\"'\u201c") if before else ""
            if chunk[m.start()] == "." and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
                continue
            pieces.append((cursor, end))
            cursor = end
        pieces.append((cursor, len(chunk)))
        for a, b in pieces:
            seg = chunk[a:b]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if seg:
                s = start + a + lead
                sentences.append(Sentence(len(sentences), s, s + len(seg), paragraph, seg))
        paragraph += 1
    return sentences
