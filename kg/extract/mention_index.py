"""Find an article's mentions by sentence or by offset without scanning them all.

The later stages ask, for every sentence or count, which mentions lie in that sentence or start within a
few characters. Scanning the whole list each time makes extraction quadratic in article length (issue 10:
306 us/word at 200,000 words against 17 at 2,000). `find_mentions` returns a MentionList, which answers
these questions from indexes built once; for a plain list the helpers scan, with the same answers.
"""
from __future__ import annotations

import bisect
from typing import Sequence

from ..model import Mention


class MentionList(list):
    """Mentions in text order (sorted by start offset), indexed by sentence and by start offset.

    The indexes are built on first use and rebuilt if the list's length changes; the stages that read
    mentions do not change the list.
    """

    __slots__ = ("_size", "_starts", "_by_sentence", "_by_iri", "_places")

    def _index(self) -> None:
        self._size = len(self)
        self._starts = [m.span.start for m in self]
        by_sentence: dict[int, list[Mention]] = {}
        for m in self:
            by_sentence.setdefault(m.sentence, []).append(m)
        self._by_sentence = by_sentence
        by_iri: dict[str, list[Mention]] = {}
        for m in self:
            by_iri.setdefault(m.entity.iri, []).append(m)
        self._by_iri = by_iri
        # place mentions by the kind of place they name (a city when unsaid), each with its start offsets
        places: dict[str | None, tuple[list[int], list[Mention]]] = {None: ([], [])}
        for m in self:
            if m.entity.category == "place":
                for key in (None, m.entity.feature_type or "city"):
                    starts, found = places.setdefault(key, ([], []))
                    starts.append(m.span.start)
                    found.append(m)
        self._places = places

    def _fresh(self) -> None:
        if getattr(self, "_size", -1) != len(self):
            self._index()

    def in_sentence(self, sentence: int) -> list[Mention]:
        """The mentions of one sentence, in list order."""
        self._fresh()
        return self._by_sentence.get(sentence, [])

    def with_iri(self, iri: str) -> list[Mention]:
        """The mentions of one entity, in list order."""
        self._fresh()
        return self._by_iri.get(iri, [])

    def places_before(self, offset: int, kind: str | None = None) -> list[Mention]:
        """The place mentions (of one kind of place, if given) that start before `offset`, in list order."""
        self._fresh()
        starts, found = self._places.get(kind, ([], []))
        return found[:bisect.bisect_left(starts, offset)]

    def starting_in(self, lo: int, hi: int) -> list[Mention]:
        """The mentions that start at an offset in [lo, hi), in list order."""
        self._fresh()
        return self[bisect.bisect_left(self._starts, lo):bisect.bisect_left(self._starts, hi)]


def in_sentence(mentions: Sequence[Mention], sentence: int) -> Sequence[Mention]:
    """The mentions of one sentence, in order."""
    if isinstance(mentions, MentionList):
        return mentions.in_sentence(sentence)
    return [m for m in mentions if m.sentence == sentence]


def starting_in(mentions: Sequence[Mention], lo: int, hi: int) -> Sequence[Mention]:
    """The mentions that start at an offset in [lo, hi), in order."""
    if isinstance(mentions, MentionList):
        return mentions.starting_in(lo, hi)
    return [m for m in mentions if lo <= m.span.start < hi]


def starting_before(mentions: Sequence[Mention], offset: int) -> Sequence[Mention]:
    """The mentions that start before `offset`, in order."""
    if isinstance(mentions, MentionList):
        return mentions.starting_in(-1, offset)
    return [m for m in mentions if m.span.start < offset]


def with_iri(mentions: Sequence[Mention], iri: str) -> Sequence[Mention]:
    """The mentions of one entity, in order."""
    if isinstance(mentions, MentionList):
        return mentions.with_iri(iri)
    return [m for m in mentions if m.entity.iri == iri]


def places_before(mentions: Sequence[Mention], offset: int, kind: str | None = None) -> Sequence[Mention]:
    """The place mentions that start before `offset`, in order; with `kind`, only those naming that kind of
    place (feature type, a city when unsaid)."""
    if isinstance(mentions, MentionList):
        return mentions.places_before(offset, kind)
    return [m for m in mentions if m.span.start < offset and m.entity.category == "place"
            and (kind is None or (m.entity.feature_type or "city") == kind)]
