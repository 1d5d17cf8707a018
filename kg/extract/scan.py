"""Case-insensitive cue patterns, scanned about three times faster on lower-cased text.

Python's regex engine checks a case-insensitive letter against both cases and cannot skip a branch of an
alternation by its first letter, so a pattern with many branches compiled with IGNORECASE costs several
times what the same pattern costs case-sensitively. `folded(pattern)` gives an object with the pattern's
`search` and `finditer` that scans `text.lower()` with a case-sensitive twin of the pattern and then takes
each match from the pattern itself at the place found, so the matches (spans, groups, their text) are
exactly the pattern's own.

The twin is exact because every letter the pattern names is lower-case ASCII and every other character it
names has no case at all (a dash, a curly quote), and its classes hold no upper-case letter: then a
character of the text matches the pattern ignoring case exactly when its lower case matches the twin. Two
kinds of text are scanned by the pattern itself: one whose lower case has another length (a dotted capital
I), so that offsets would shift, and one holding one of the four characters that match an ASCII letter
ignoring case (the Kelvin sign, the long s, the dotted and dotless i). So is a pattern that does not qualify.

Every pattern also gets, where it has one, a short list of words one of which each match contains; a text
with none of them is not scanned at all (a few substring tests instead of a scan).
"""
from __future__ import annotations

import re
from typing import Iterator

try:  # the parser of the standard re module (private, stable across 3.x); without it nothing is folded
    from re import _constants as _sre_const  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older or other Pythons
    _sre_parse = _sre_const = None


class Folded:
    """A pattern whose `search` and `finditer` scan lower-cased text with a case-sensitive twin (when it has
    one) and skip texts without any of its needed words; every answer is the pattern's own."""

    __slots__ = ("pattern", "twin", "needs")

    def __init__(self, pattern: re.Pattern[str], twin: re.Pattern[str] | None,
                 needs: tuple[str, ...] | None = None):
        self.pattern = pattern
        self.twin = twin
        # lower-case words every match contains one of (None: no short list): a text with none of them has
        # no match, found with a few substring tests instead of a scan
        self.needs = needs

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """Every match, exactly as `pattern.finditer(text, pos, endpos)` gives them."""
        end = len(text) if endpos is None else endpos
        if self.twin is None and self.needs is not None and not pos and end == len(text) \
                and not any(word in text for word in self.needs):
            return iter(())  # a case-sensitive pattern: its words are screened in the text as it is
        low = None if self.twin is None or pos or end != len(text) else _lowered(text)
        if low is None:
            # (a part of a longer text, an article, is scanned as usual: lower-casing the whole text for it
            # would cost more than the scan saves)
            return self.pattern.finditer(text, pos, end)
        if self.needs is not None and not any(word in low for word in self.needs):
            return iter(())
        match = self.pattern.match
        # each place the twin matches is where the pattern matches, with the same span (`_lowered` keeps
        # every offset), so the pattern's own match there is the one finditer would give
        return (match(text, m.start()) for m in self.twin.finditer(low))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The first match, exactly as `pattern.search(text, pos, endpos)` gives it."""
        end = len(text) if endpos is None else endpos
        if self.twin is None and self.needs is not None and not pos and end == len(text) \
                and not any(word in text for word in self.needs):
            return None
        low = None if self.twin is None or pos or end != len(text) else _lowered(text)
        if low is None:
            return self.pattern.search(text, pos, end)
        if self.needs is not None and not any(word in low for word in self.needs):
            return None
        m = self.twin.search(low)
        return None if m is None else self.pattern.match(text, m.start())

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """`pattern.match` (anchored: nothing to gain from folding)."""
        return self.pattern.match(text, pos, len(text) if endpos is None else endpos)

    def __getattr__(self, name: str):
        # sub, findall, fullmatch, split, .pattern, .flags...: the pattern's own
        return getattr(self.pattern, name)


def folded(pattern: re.Pattern[str]) -> Folded:
    """`pattern` with a case-sensitive twin for lower-cased text when it is compiled with IGNORECASE and a twin
    is exact (see the module docstring), and with its needed words; otherwise the object calls the pattern."""
    twin = _twin(pattern)
    if twin is not None:
        return Folded(pattern, twin, _needed_words(twin))
    # a case-sensitive pattern (or one that cannot be folded): no twin, but its needed words, if it has
    # them, still screen a text as it is
    cased = not pattern.flags & re.IGNORECASE and isinstance(pattern.pattern, str)
    return Folded(pattern, None, _needed_words(pattern) if cased else None)


def _twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    flags = pattern.flags
    if (_sre_parse is None or not isinstance(pattern.pattern, str) or not flags & re.IGNORECASE
            or flags & (re.LOCALE | re.ASCII)):
        return None
    try:
        tree = _sre_parse.parse(pattern.pattern, flags & ~re.IGNORECASE)
    except Exception:  # noqa: BLE001 - a pattern the parser reads differently is simply not folded
        return None
    if not _lower_only(tree):
        return None
    return re.compile(pattern.pattern, flags & ~re.IGNORECASE)


def _safe_char(code: int) -> bool:
    """A character the twin may name: not an upper-case ASCII letter, and outside ASCII only one with no case."""
    if code < 128:
        return not 65 <= code <= 90
    ch = chr(code)
    return ch.lower() == ch == ch.upper() == ch.casefold()  # no case at all: matches only itself either way


# the only characters besides ASCII letters that match an ASCII letter ignoring case (checked over every
# code point): a text holding one is scanned by the pattern itself
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _lowered(text: str) -> str | None:
    """`text.lower()` where the twin can scan it in the pattern's place, else None."""
    if text.isascii():
        return text.lower()
    if _FOLDS_TO_ASCII.search(text):
        return None
    low = text.lower()
    return low if len(low) == len(text) else None  # the same length: every character lowered in place


def _lower_only(items) -> bool:
    """Every letter and class of a parsed pattern is safe to match against lower-cased text."""
    c = _sre_const
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            if not _safe_char(av):
                return False
        elif op is c.IN:
            for sub_op, sub_av in av:
                if sub_op in (c.LITERAL, c.NOT_LITERAL):
                    if not _safe_char(sub_av):
                        return False
                elif sub_op is c.RANGE:
                    lo, hi = sub_av
                    if hi - lo > 4096 or not all(_safe_char(x) for x in range(lo, hi + 1)):
                        return False
                elif sub_op not in (c.NEGATE, c.CATEGORY):
                    return False
        elif op is c.SUBPATTERN:
            if av[1] or av[2]:  # inline flags inside the pattern: leave such patterns alone
                return False
            if not _lower_only(av[-1]):
                return False
        elif op is c.BRANCH:
            if not all(_lower_only(b) for b in av[1]):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if not _lower_only(av[2]):
                return False
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if not _lower_only(av[1]):
                return False
        elif op in (c.ATOMIC_GROUP,):
            if not _lower_only(av):
                return False
        elif op in (c.AT, c.ANY, c.CATEGORY, c.GROUPREF):
            continue
        else:  # conditional groups and anything newer: not folded
            return False
    return True


_MAX_NEEDS = 12  # past this many words, the substring tests cost about what the scan does


def _needed_words(twin: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words one of which every match of `twin` contains (a text without any of them has no match), or None
    when the pattern gives no short list."""
    try:
        tree = _sre_parse.parse(twin.pattern, twin.flags)
    except Exception:  # noqa: BLE001
        return None
    words = _needs(list(tree))
    return tuple(sorted(words)) if words else None


def _needs(items: list) -> frozenset[str] | None:
    """For a parsed sequence: a set of literal strings, one of which any match contains; None if unknown.
    Of the sequence's parts that give such a set, the one with the longest shortest string is kept."""
    c = _sre_const
    found: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        need: frozenset[str] | None = None
        if op is c.SUBPATTERN:
            need = _needs(list(av[-1]))
        elif op is c.BRANCH:
            parts = [_needs(list(b)) for b in av[1]]
            need = None if any(p is None for p in parts) else frozenset().union(*parts)
            if need is not None and len(need) > _MAX_NEEDS:
                need = None
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            need = _needs(list(av[2]))
        elif op is c.ATOMIC_GROUP:
            need = _needs(list(av))
        if need:
            found.append(need)
    if run:
        found.append(frozenset([run]))
    found = [words for words in found if len(words) <= _MAX_NEEDS]
    if not found:
        return None
    return max(found, key=lambda words: (min(map(len, words)), -len(words)))
