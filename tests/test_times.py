"""Relative dates resolve against the publication date and keep the original words."""
from __future__ import annotations

from datetime import date

import pytest

from kg.extract.times import resolve_sentence

FRIDAY = date(2025, 7, 4)


@pytest.mark.parametrize("sentence, expected", [
    ("Drones hit Kharkiv on Wednesday night.", date(2025, 7, 3)),  # overnight into Thursday
    ("Late Thursday, shelling killed two people in Kherson.", date(2025, 7, 3)),
    ("A missile struck Odesa on Friday morning.", date(2025, 7, 4)),
    ("Russia launched 200 drones overnight.", date(2025, 7, 4)),
    ("The strike began on Tuesday and lasted through the night.", date(2025, 7, 2)),
    ("Three people died in a strike on June 28.", date(2025, 6, 28)),
    ("A strike on 12 December killed five.", date(2024, 12, 12)),  # a December date before a July article
    ("The raid of March 3, 2023 was the largest.", date(2023, 3, 3)),
    ("Yesterday a glide bomb hit Zaporizhzhia.", date(2025, 7, 3)),
    ("Officials said on Saturday that a missile hit Dnipro on Thursday.", date(2025, 7, 3)),
])
def test_expressions_resolve(sentence, expected):
    ref = resolve_sentence(sentence, FRIDAY)
    assert ref is not None and ref.value == expected
    assert ref.expression and ref.expression.split(" (")[0].lower() in sentence.lower()


def test_month_without_day_keeps_expression_but_no_day():
    ref = resolve_sentence("The previous record was set in November 2022.", FRIDAY)
    assert ref is not None and ref.value is None and ref.expression == "in November 2022"


def test_sentence_without_time():
    assert resolve_sentence("The mayor urged residents to stay in shelters.", FRIDAY) is None


def test_no_publication_date_leaves_relative_days_unresolved():
    ref = resolve_sentence("A drone hit a school on Monday.", None)
    assert ref is not None and ref.value is None and ref.expression == "on Monday"


def test_night_ranges_end_in_the_morning():
    assert resolve_sentence("Drones hit Kyiv on the night of July 3-4.", date(2025, 7, 5)).value == date(2025, 7, 4)
    assert resolve_sentence("Strikes on 3-4 July killed two.", date(2025, 7, 5)).value == date(2025, 7, 4)
