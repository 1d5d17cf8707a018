"""The analysed article every extractor component reads: tokens, sentences, quoted regions."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..gazetteer import Gazetteer
from ..lexicon import Lexicon
from ..model import Article, Span
from ..text import Sentence, Token, fold, split_sentences, tokenize

_QUOTE_PAIR = re.compile(r"\u201c([^\u201c\u201d]{1,2000}?)\u201d|\"([^\"\n]{1,2000}?)\""
                         r"|(?<![\w\u2019])\u2018([^\u2018\n]{1,2000}?)\u2019(?![\w])")  # British ‘single’ quotes


@dataclass(frozen=True)
class Resources:
    """Read-only data the extractors need (loaded once, shared by every article)."""

    lexicon: Lexicon
    gazetteer: Gazetteer


@dataclass
class Doc:
    """An article split into sentences and tokens, with quoted regions marked."""

    article: Article
    resources: Resources
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    token_sentence: list[int] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # inner spans of quotations
    folded: list[str] = field(default_factory=list)  # each token case-folded and accent-free
    _starts: list[int] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

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
    doc.token_sentence = [doc.sentence_of(t.start) for t in doc.tokens]
    doc.folded = [fold(t.text) if not t.text.isascii() else t.text.lower() for t in doc.tokens]
    for para in re.finditer(r"[^\n]+", text):
        for m in _QUOTE_PAIR.finditer(para.group()):
            g = next(k for k in (1, 2, 3) if m.group(k) is not None)
            doc.quotes.append((para.start() + m.start(g), para.start() + m.end(g)))
    doc.quotes.sort()
    return doc
