"""The analysed article every extractor component reads: tokens, sentences, quoted regions."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer
from ..lexicon import Lexicon
from ..model import Article, Span
from ..text import Sentence, Token, fold, split_sentences, tokenize

_DOUBLE_MARK = re.compile(r"[\u201c\u201d\"]")
_SINGLE_PAIR = re.compile(r"(?<![\w\u2019])\u2018([^\u2018\n]{1,2000}?)\u2019(?![\w])")  # British ‘single’ quotes
# straight single quotes (British copy typed in ASCII): only a span that opens on a capital, ends a
# clause, and contains no apostrophe except inside a word, so possessives and elisions never pair up
_STRAIGHT_SINGLE = re.compile(r"(?<![^\s(\u2014])'([A-Z0-9](?:[^'\n]|(?<=\w)'(?=\w)){2,2000}?[\w,.?!])'(?=[\s,.;:!?)\u2014]|$)")
_NEXT_PARAGRAPH_OPENS = re.compile(r"\n\s*[\u201c\"]")
_MAX_QUOTE = 2000


@dataclass(frozen=True)
class Resources:
    """Read-only data the extractors need (loaded once, shared by every article)."""

    lexicon: Lexicon
    gazetteer: Gazetteer
    # every leading part of every lexicon phrase: the phrase matcher stops lengthening a candidate as soon as
    # its words so far begin no phrase
    phrase_prefixes: frozenset[tuple[str, ...]] = field(init=False, repr=False, compare=False)
    # the first words of the demonyms ("south" of "south korean"): a word not among them begins no demonym
    demonym_starts: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prefixes = frozenset(key[:k] for key in self.lexicon.phrases for k in range(1, len(key) + 1))
        object.__setattr__(self, "phrase_prefixes", prefixes)
        object.__setattr__(self, "demonym_starts", frozenset(d.split(" ")[0] for d in self.lexicon.demonyms))


@dataclass
class Doc:
    """An article split into sentences and tokens, with quoted regions marked."""

    article: Article
    resources: Resources
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    token_sentence: list[int] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # inner spans of quotations
    run_on: set[int] = field(default_factory=set)  # starts of quotations that go on in the next paragraph
    folded: list[str] = field(default_factory=list)  # each token case-folded and accent-free
    _starts: list[int] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)
    # the article's text, read on nearly every step of every extractor: a plain attribute, not a property
    text: str = field(init=False, repr=False, compare=False, default="")
    # results the stages ask for more than once (context.place_refs), worked out once per article
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = self.article.text

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, offset) - 1)

    def token_index(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        return bisect.bisect_left(self._starts, offset)

    def sentence_tokens(self, index: int) -> range:
        s = self.sentences[index]
        return range(self.token_index(s.start), self.token_index(s.end))

    def in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self.quotes, (offset, 10**12)) - 1
        return i >= 0 and self.quotes[i][0] <= offset < self.quotes[i][1]


def analyse(article: Article, resources: Resources) -> Doc:
    """Split an article into sentences and tokens and find its quotations."""
    text = article.text
    doc = Doc(article, resources)
    doc.sentences = split_sentences(text)
    doc._sent_starts = [s.start for s in doc.sentences]
    doc.tokens = tokenize(text)
    doc._starts = [t.start for t in doc.tokens]
    doc.token_sentence = _sentence_indexes(doc._sent_starts, doc._starts)
    doc.folded = [fold(t.text) if not t.text.isascii() else t.lower for t in doc.tokens]
    for para in re.finditer(r"[^\n]+", text):
        spans, open_at = _double_quotes(para.group())
        if open_at is not None and _NEXT_PARAGRAPH_OPENS.match(text, para.end()):
            # wire style: a quotation running over paragraphs leaves each one open and reopens the next
            spans.append((open_at, len(para.group().rstrip())))
            doc.run_on.add(para.start() + open_at)
        for pattern, mark in ((_SINGLE_PAIR, "\u2018"), (_STRAIGHT_SINGLE, "'")):
            if mark not in para.group():
                continue  # every match holds its opening mark: most paragraphs need no scan
            for m in pattern.finditer(para.group()):
                if not any(a <= m.start() < b for a, b in spans) and (pattern is _SINGLE_PAIR or " " in m.group(1)):
                    spans.append((m.start(1), m.end(1)))
        doc.quotes.extend((para.start() + a, para.start() + b) for a, b in spans)
    doc.quotes.sort()
    return doc


def _sentence_indexes(sentence_starts: list[int], offsets: list[int]) -> list[int]:
    """`Doc.sentence_of` of each offset (ascending), in one pass instead of a search per token."""
    out = []
    k, last = 0, len(sentence_starts) - 1
    for offset in offsets:
        while k < last and sentence_starts[k + 1] <= offset:
            k += 1
        out.append(k)
    return out


def _double_quotes(para: str) -> tuple[list[tuple[int, int]], int | None]:
    """Inner spans of the double-quoted passages of a paragraph, curly and straight marks mixed (writers and
    editors mix them), and where a passage left open at the paragraph's end begins."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _DOUBLE_MARK.finditer(para):
        mark = m.group()
        if open_at is None:
            if mark != "\u201d":  # a closing mark with nothing open is stray
                open_at = m.end()
        elif mark == "\u201c":  # a second opening mark: the first was stray
            open_at = m.end()
        else:
            if m.start() - open_at <= _MAX_QUOTE and m.start() > open_at:
                spans.append((open_at, m.start()))
            open_at = None
    return spans, open_at

