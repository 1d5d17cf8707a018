"""Resolve time expressions in each sentence against the article's publication date.

"on Wednesday evening" -> the last Wednesday on or before publication; "overnight" and "through the night"
date an attack by the morning it ended; "late Wednesday" stays on Wednesday; "March 14" takes the
publication year (or the year before, if that would be in the future); "in October 2021" is kept as
an expression with no day. Times after a reporting verb ("officials said on Sunday") date the
report, not the event, and are skipped.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable

from ..model import TimeRef
from . import cues
from .dateline import DATELINE as _DATELINE
from .doc import Doc

_WEEKDAY = rf"(?:{cues.alternation(cues.WEEKDAYS)})"
_MONTH = rf"(?:{cues.alternation(cues.MONTHS)})\.?"
_PATTERNS = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    # "the night of October 8-9", "8-9 October": a night is dated by the morning it ended
    ("md_range", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})\s*[-\u2013]\s*(\d{{1,2}})\b", re.I)),
    ("dm_range", re.compile(rf"\b(\d{{1,2}})\s*[-\u2013]\s*(\d{{1,2}})\s+({_MONTH})\b", re.I)),
    ("mdy", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+(\d{{4}})\b", re.I)),
    ("md", re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\b(?!,?\s+\d{{4}})", re.I)),
    ("my", re.compile(rf"\b(?:in|since|of|during)\s+({_MONTH})\s+(\d{{4}})\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(late|early|last|on|this)\s+)?({_WEEKDAY})(?:'s|\u2019s)?(?:\s+(morning|afternoon|evening|night))?\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|last night)\b", re.I)),
    ("today", re.compile(r"\b(today|this morning|tonight|this evening|earlier today)\b", re.I)),
    ("overnight", re.compile(r"\b(overnight|through the night|during the night|in the night)\b", re.I)),
    ("vague", re.compile(r"\b(earlier (?:this|in the) (?:year|month|week)|last (?:year|month|week)|the previous (?:year|month|week)|"
                         r"(?:days|weeks|months) earlier)\b", re.I)),
    # "in late April", "In August": a month with no day dates nothing to the day
    ("month", re.compile(rf"\b(?:in|since|during|by|until)\s+(?:early\s+|late\s+|mid-?\s*)?{_MONTH}(?![a-z])(?!\s*\d)", re.I)),
]
# Every pattern above needs a digit, a month or weekday name, or one of these words; most sentences have
# none, and one scan for them spares the thirteen pattern scans.
_ANY_TIME_WORD = re.compile(rf"\d|night|yesterday|today|morning|evening|earlier|last|previous|\b{_MONTH}|{_WEEKDAY}", re.I)


def _shortest(names: Iterable[str]) -> tuple[str, ...]:
    """The names no other name is part of: a text holding a name holds one of these ("jan" for "january")."""
    return tuple(sorted(n for n in names if not any(o != n and o in n for o in names)))


# one scan of the lower-cased text for any of them (the same answer as a substring test per name, faster)
_MONTH_PARTS = re.compile("|".join(map(re.escape, _shortest(cues.MONTHS))))
_WEEKDAY_PARTS = re.compile("|".join(map(re.escape, _shortest(cues.WEEKDAYS))))
_ASCII_DIGIT = re.compile(r"[0-9]")


def _possible_kinds(text: str) -> set[str] | None:
    """The kinds of _PATTERNS that can match `text`, from what each needs in it (a digit, a hyphen, a month
    or weekday name, a word); None when the text is not ASCII (then every pattern is tried). A pattern left
    out could not have matched, so the result is the same with fewer scans: a sentence costs a few substring
    tests instead of up to fourteen pattern scans."""
    if not text.isascii():
        return None
    low = text.lower()
    month = _MONTH_PARTS.search(low) is not None
    digit = _ASCII_DIGIT.search(text) is not None
    kinds = set()
    if digit and "-" in text:
        kinds.add("iso")
        if month:
            kinds.update(("md_range", "dm_range"))
    if month:
        kinds.add("month")
        if digit:
            kinds.update(("mdy", "dmy", "md", "dm", "my"))
    if _WEEKDAY_PARTS.search(low) is not None:
        kinds.add("weekday")
    if "yesterday" in low or "last night" in low:
        kinds.add("yesterday")
    if "today" in low or "tonight" in low or "this morning" in low or "this evening" in low:
        kinds.add("today")
    if "overnight" in low or "the night" in low:
        kinds.add("overnight")
    if "earlier" in low or "last" in low or "previous" in low:
        kinds.add("vague")
    return kinds
# "the toll rose to 17 on Monday": the day of the count, not of the attack
_TOLL_RISE = re.compile(r"\b(?:toll|number of (?:people\s+)?(?:killed|dead|injured|wounded|victims))\b[^.;]{0,80}?"
                        r"\b(?:rose|risen|climbed|increased|grew|jumped)\s+to\s+(?:at\s+least\s+)?\d|"
                        r"\btoll\s+(?:stood|stands)\s+at\b|\b(?:raised|revised)\s+(?:the\s+)?(?:figure|toll)\b|"
                        r"\breported\s+\d[\d,]*\s+(?:dead|killed|injured|wounded)\b", re.I)
# "days after its large barrage of 14 March": the day of an earlier event the sentence refers to
_REFERENCE_EVENT = re.compile(r"\b(?:days|weeks|months|hours|a day|a week|a month)\s+(?:after|before)\b[^,;]*$|\bsince\b[^,;]*$", re.I)
# "Saturday's drone strike", "the attack on Saturday": a day tied to an attack word is the attack's day
_ATTACK_NOUN = r"(?:strikes?|attacks?|shelling|bombardment|bombing|raid|barrage|assault)"
_LAST_WORD = re.compile(r"([A-Za-z]+)\s*$")


def _reported_before(text: str, offset: int) -> bool:
    """Is the word right before `offset` a reporting verb ("officials said on Sunday")?"""
    m = _LAST_WORD.search(text, max(0, offset - 40), offset)
    return bool(m) and m.group(1).lower() in cues.REPORTING_VERBS and (
        m.start() == 0 or not text[m.start() - 1].isalnum())


def _month(name: str) -> int:
    return cues.MONTHS[name.lower().rstrip(".")]


def _past(published: date, month: int, day: int) -> date | None:
    try:
        d = date(published.year, month, day)
    except ValueError:
        return None
    if d > published + timedelta(days=1):
        d = d.replace(year=published.year - 1)
    return d


def resolve_sentence(text: str, published: date | None, offset: int = 0) -> TimeRef | None:
    """The event date one sentence gives, or None when it names no time.

    A returned TimeRef with value None means the sentence names a time that is not one day
    (a month, 'earlier this year'): the event is dated but not to a day.
    """
    kinds = _possible_kinds(text)
    if not kinds if kinds is not None else not _ANY_TIME_WORD.search(text):
        return None  # (a text that is not ASCII is screened by one scan for any time word)
    found: list[tuple[int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        if kinds is not None and kind not in kinds:
            continue
        for m in pattern.finditer(text):
            if kind == "weekday" and m.group(1) is None and text[max(0, m.start() - 1):m.start()].isalpha():
                continue
            if kind in {"weekday", "today", "yesterday"} and _reported_before(text, m.start()):
                continue  # "officials said on Sunday" dates the report
            if any(a <= m.start() < b for a, _k, mm in found for b in [mm.end()]):
                continue
            found.append((m.start(), kind, m))
    if not found:
        return None
    if _TOLL_RISE.search(text):  # "the toll rose to 17 on Monday after rescuers worked overnight": days of the count
        found = [f for f in found if _tied_to_attack(text, f[2])]
        if not found:
            return None
    found = [f for f in found if not _REFERENCE_EVENT.search(text[max(0, f[0] - 60):f[0]])]
    if not found:
        return None
    found.sort(key=lambda x: (x[1] in ("my", "vague", "month"), not _tied_to_attack(text, x[2]), x[0]))  # a day beats a month
    nights = [m for _, k, m in found if k == "overnight"]
    overnight = any(k == "weekday" and (m.group(3) or "").lower() == "night" for _, k, m in found) or any(
        0 <= n.start() - m.end() <= 45 and not re.search(r",\s*but\b|;", text[m.end():n.start()])
        for n in nights for _, k, m in found if k == "weekday")
    for _, kind, m in found:
        if kind == "overnight":
            continue
        expr = m.group(0)
        value: date | None = None
        if kind in ("iso", "mdy", "dmy"):
            value = _day(m, kind)
            if value is None:
                continue  # "December 36, 2025" names no day: only this expression is passed over
        elif published is None:
            return TimeRef(None, expr)
        elif kind == "md":
            value = _past(published, _month(m.group(1)), int(m.group(2)))
        elif kind == "md_range":
            value = _past(published, _month(m.group(1)), int(m.group(3)))
        elif kind == "dm_range":
            value = _past(published, _month(m.group(3)), int(m.group(2)))
        elif kind == "dm":
            value = _past(published, _month(m.group(2)), int(m.group(1)))
        elif kind in ("my", "vague", "month"):
            return TimeRef(None, expr.rstrip(".") if kind == "month" else expr)
        elif kind == "weekday":
            target = cues.WEEKDAYS[m.group(2).lower()]
            back = (published.weekday() - target) % 7
            if (m.group(1) or "").lower() == "last" and back == 0:
                back = 7
            value = published - timedelta(days=back)
            if overnight and value + timedelta(days=1) <= published:
                value += timedelta(days=1)
                expr = f"{expr} (overnight)"
        elif kind == "yesterday":
            value = published - timedelta(days=1)
            if m.group(1).lower() == "last night" and overnight is False:
                value = published
        elif kind == "today":
            value = published
        return TimeRef(value, expr)
    return TimeRef(published, nights[0].group(0)) if nights else None


def _day(m: re.Match[str], kind: str) -> date | None:
    """The day a full date names (ISO, month-day-year or day-month-year), None for one that is no day."""
    year, month, day = {"iso": (1, 2, 3), "mdy": (3, 1, 2), "dmy": (3, 2, 1)}[kind]
    try:
        return date(int(m.group(year)), int(m.group(month)) if kind == "iso" else _month(m.group(month)),
                    int(m.group(day)))
    except ValueError:
        return None


def _tied_to_attack(text: str, m: re.Match[str]) -> bool:
    return bool(re.match(rf"(?:'s|\u2019s)?\s+(?:[\w-]+\s+){{0,3}}?{_ATTACK_NOUN}\b", text[m.end():], re.I)
                or re.search(rf"\b{_ATTACK_NOUN}\s+(?:on\s+)?$", text[:m.start()], re.I))


def resolve_times(doc: Doc) -> list[TimeRef | None]:
    """One entry per sentence: the time it names, resolved, or None."""
    published = doc.article.date
    out: list[TimeRef | None] = []
    dateline = _DATELINE.match(doc.text)
    for s in doc.sentences:
        text = s.text
        if dateline and s.start < dateline.end():  # blank the dateline, keeping offsets
            cut = dateline.end() - s.start
            text = " " * cut + text[cut:]
        ref = resolve_sentence(text, published)
        if ref is not None:
            m = re.search(re.escape(ref.expression.replace(" (overnight)", "")), s.text)
            span = doc.span(s.start + m.start(), s.start + m.end()) if m else None
            ref = TimeRef(ref.value, ref.expression, span)
        out.append(ref)
    return out
