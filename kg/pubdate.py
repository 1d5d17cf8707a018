"""An article's publication date as people write it: ISO 8601, `2025-6-9`, `July 4, 2025`,
`Fri, 04 Jul 2025 10:00:00 GMT`, `2025-06-09 08:30:00 +0300`, `4 липня 2025`...

A date is read to the day, in the time zone it is written in (`2025-07-04T23:30:00-05:00` is 4 July):
relative dates in the article resolve against the day the reporter saw. What cannot be read to a day
(`yesterday`, `July 2025`, `Friday`) is refused rather than guessed. A date that could be read two ways
(`04/07/2025`, a two-digit year) is read one way and the reading says it was a guess, so the caller can
warn.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# longer than any date people write: refused before a parser spends time on it
MAX_CHARS = 80
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR_FIRST = re.compile(r"\d{4}\s*[-/.]|\d{8}(?!\d)")  # 2025-6-9, 2025/06/09, 20250609
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)|\d{8}")
# two defaults that differ in every field: a field that differs between the two readings was not written
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
# dateparser (other languages) may only read absolute dates: "yesterday" or "3 days ago" would resolve
# against today's clock, which is not the article's date
_DATEPARSER_SETTINGS = {"PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"],
                        "STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False}


class DateError(ValueError):
    """A value that cannot be read as a day; the message says why."""


@dataclass(frozen=True)
class ReadDate:
    """A date read from text, and why it is a guess (empty when the text allows one reading only)."""

    value: date
    guess: str = ""


def read_date(value: object) -> ReadDate:
    """Read `value` (text, or a date/datetime a YAML or TOML parser made) as one day.

    Raises DateError for what is not a date, or names no day, month or year."""
    if isinstance(value, datetime):
        return ReadDate(value.date())
    if isinstance(value, date):
        return ReadDate(value)
    if not isinstance(value, str):
        raise DateError(f"is {_kind(value)}, not a date")
    text = value.strip()
    if not text:
        raise DateError("is empty")
    if len(text) > MAX_CHARS:
        raise DateError(f"is {len(text)} characters long, not a date")
    iso = _read_iso(text)
    if iso is not None:
        return ReadDate(iso)
    found = _read_dateutil(text)
    if found is None:
        found = _read_other_languages(text)
    if found is None:
        raise DateError("is not a date kg can read; write it as ISO 8601, e.g. 2025-07-04")
    return found


def _read_iso(text: str) -> date | None:
    """ISO 8601 as Python reads it (a day, or a date-time with an offset): the unambiguous fast path."""
    try:
        if len(text) == 10 and _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        if len(text) > 10 and _ISO_DAY.match(text) and text[10] in "Tt ":
            return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")).date()
    except ValueError:
        return None
    return None


def _read_dateutil(text: str) -> ReadDate | None:
    """English and numeric dates with python-dateutil; None when it cannot read `text` at all."""
    from dateutil import parser  # imported here: only dates that are not ISO 8601 need it

    year_first = bool(_YEAR_FIRST.match(text))
    # year first (2025-6-9, 2025/06/09 08:30 +0300) is always year-month-day, as in ISO 8601
    orders = [(False, year_first)] if year_first else [(False, False), (True, False)]
    readings: list[date] = []
    for dayfirst, yearfirst in orders:
        days = []
        for default in _DEFAULTS:
            try:
                days.append(parser.parse(text, default=default, dayfirst=dayfirst, yearfirst=yearfirst).date())
            except (parser.ParserError, ValueError, OverflowError):
                return None
        if days[0] != days[1]:
            missing = [name for name, a, b in (("year", days[0].year, days[1].year),
                                                ("month", days[0].month, days[1].month),
                                                ("day", days[0].day, days[1].day)) if a != b]
            raise DateError(f"names no {' or '.join(missing)}; write the whole date, e.g. 2025-07-04")
        readings.append(days[0])
    chosen = readings[0]
    guess = ""
    if len(set(readings)) > 1:
        guess = (f"could be {_spell(readings[0])} (month first) or {_spell(readings[1])} (day first); "
                 f"read as {_spell(chosen)}, month first")
    elif not _FOUR_DIGITS.search(text):
        guess = f"has a two-digit year; read as {_spell(chosen)}"
    return ReadDate(chosen, guess)


def _read_other_languages(text: str) -> ReadDate | None:
    """Dates with month names in other languages ("4 липня 2025", "4 juillet 2025") with dateparser."""
    if not re.search(r"[^\W\d_]", text):  # digits and punctuation only: dateutil has already said no
        return None
    import dateparser  # imported here: slow to import and to load its languages, rarely needed

    found = dateparser.parse(text, settings=dict(_DATEPARSER_SETTINGS))
    return ReadDate(found.date()) if found is not None else None


def _spell(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def _kind(value: object) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)
