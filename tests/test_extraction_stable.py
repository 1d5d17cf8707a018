"""Speed work on the extractor must not change what it finds.

The checked-in snapshot (tests/extraction_snapshot.tsv, made by scripts/snapshot_extraction.py --write) holds,
for every article of data/ and tests/heldout, how many statements it writes and the sha256 of its N-Quads and
of its event reports. The faster scanning pieces (trie alternations, case-folded scans, time-pattern
screening) are each checked against the plain regular expressions they replace, on invented text.
"""
from __future__ import annotations

import itertools
import random
import re
import sys
from pathlib import Path

import pytest

from kg.extract import cues, times
from kg.extract.scan import folded
from kg.text import Token, tokenize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from snapshot_extraction import SNAPSHOT, default_inputs, diff, fingerprints  # noqa: E402


def test_extraction_output_matches_the_snapshot():
    old = [line for line in SNAPSHOT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    new = fingerprints(default_inputs())
    assert len(old) == len(new) >= 15
    assert diff(old, new) == []


def test_snapshot_diff_names_the_article_that_changed():
    line = "a1\t10\t" + "0" * 64 + "\t2\t" + "1" * 64
    changed = "a1\t11\t" + "f" * 64 + "\t2\t" + "1" * 64
    assert diff([line], [changed]) == ["differs: a1 (statements 10 -> 11, reports 2 -> 2)"]
    assert diff([line], []) == ["missing: a1"]
    assert diff([line, line], [line, changed]) == ["differs: a1#2 (statements 10 -> 11, reports 2 -> 2)"]


# -- trie alternations match what the flat, longest-first (or alphabetical) list matched -------------------

WORDS = ["bomb", "bombed", "bombing", "bombard", "bombardment", "barrage", "air strike", "air strikes", "air",
         "o'clock", "strike", "strikes", "st", "x", "shell", "shelled", "shelling", "shellfire", "communiqué"]
TEXTS = ["The bombardment began at six o\u2019clock; shelling and shellfire followed.",
         "BOMBED, Bombing, bombs, bombarded: air  strikes and air\nstrikes, an air strike, the airstrip.",
         "st strike strikes striker x xx X-ray Communiqué communique shell shelled.",
         "bomb bombe bombardments barrage barrages o'clock o'clocks air-strike"]


def _flat(words, shortest_first=False):
    ordered = sorted(words) if shortest_first else sorted(words, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace("'", "['\u2019]") for w in ordered)


@pytest.mark.parametrize("template", [r"\b(?:{})\b", r"(?:{})", r"\b(?:{})\w*", r"(?:{})\s+\w+", r"({})(?=[\s,.;:])"])
@pytest.mark.parametrize("shortest_first", [False, True])
@pytest.mark.parametrize("flags", [0, re.I])
def test_trie_alternation_matches_like_the_flat_list(template, shortest_first, flags):
    trie = re.compile(template.format(cues.alternation(WORDS, shortest_first=shortest_first)), flags)
    flat = re.compile(template.format(_flat(WORDS, shortest_first)), flags)
    assert "|" in cues.alternation(WORDS) and len(cues.alternation(WORDS)) < len(_flat(WORDS))
    for text in TEXTS:
        assert [(m.span(), m.groups()) for m in trie.finditer(text)] == [(m.span(), m.groups()) for m in flat.finditer(text)]


def test_shortest_first_tries_the_shorter_word_first():
    assert re.match(cues.alternation(["bomb", "bombing"]), "bombing").group() == "bombing"
    assert re.match(cues.alternation(["bomb", "bombing"], shortest_first=True), "bombing").group() == "bomb"


def test_phrase_alternation_takes_any_white_space_between_words():
    pattern = re.compile(r"\b(?:" + cues.phrase_alternation(["civil defence", "civil defence service", "civil"]) + r")\b")
    assert [m.group() for m in pattern.finditer("the civil\ndefence  service and civil defence, civil war")] == [
        "civil\ndefence  service", "civil defence", "civil"]


def test_words_a_trie_cannot_keep_apart_fall_back_to_the_flat_list():
    # upper case and letters outside Latin-1 could match each other ignoring case: no trie for them
    assert cues.alternation(["Kyiv", "kyivan"]) == "kyivan|Kyiv"
    assert cues.alternation(["\u03c3\u03b1", "\u03c2\u03b1\u03b2"]) == "\u03c2\u03b1\u03b2|\u03c3\u03b1"


# -- case-folded scans give the pattern's own matches ----------------------------------------------------

FOLD_TEXTS = TEXTS + [
    "Drones were AIMED at the port; Missiles launched toward Odesa.", "K\u212aelvin and the \u017fhell",
    "Stra\u00dfe, caf\u00e9 STRIKES", "", "a", "per day: 3 a day, DAILY and every week",
    "\u201cAIR STRIKES\u201d \u2014 \u00c9T\u00c9 \u03a3 bombed\u2019s 12 DRONES, as \u00f6 every day",
    "\u0130stanbul: 4 missiles aimed at \u00c4rea; North of the", "\u00e9clat\u2019s bombardment, while as well",
]
PATTERNS = [
    re.compile(r"\b(?:" + cues.alternation([w for w in WORDS if w.isascii()]) + r")\b", re.I),
    re.compile(r"(?<![\w.])(?P<n>\d+)\s+(?:drones?|missiles?)\b|\bevery\s+(?:day|week)\b", re.I),
    re.compile(r"[;:]|,\s+(?:which|but)\b|\b(?:while|(?<!well\s)as(?!\s+well\b))\b", re.I),
    re.compile(r"\b(?:north|south)\s+of\s+(?:the\s+)?$", re.I),
    re.compile(r"\b(?:aimed|launched)\s+(?:at|toward)\s+([\w-]+)", re.I),
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=range(len(PATTERNS)))
def test_folded_scan_gives_the_patterns_own_matches(pattern):
    fast = folded(pattern)
    assert fast.twin is not None  # these patterns qualify: the folded path is what is being tested
    rng = random.Random(5)
    for text in FOLD_TEXTS + [t.upper() for t in FOLD_TEXTS] + [t.title() for t in FOLD_TEXTS]:
        expected = [(m.span(), m.group(0), m.groups()) for m in pattern.finditer(text)]
        assert [(m.span(), m.group(0), m.groups()) for m in fast.finditer(text)] == expected
        first = pattern.search(text)
        got = fast.search(text)
        assert (got and (got.span(), got.group(0))) == (first and (first.span(), first.group(0)))
        for _ in range(5):
            i = rng.randrange(len(text) + 1)
            j = rng.randrange(i, len(text) + 1)
            assert [m.span() for m in fast.finditer(text, i, j)] == [m.span() for m in pattern.finditer(text, i, j)]
    assert fast.sub("#", TEXTS[0]) == pattern.sub("#", TEXTS[0])  # everything else is the pattern's own


def test_needed_words_screen_texts_without_them():
    fast = folded(PATTERNS[1])
    assert fast.needs == ("drone", "every", "missile")  # one of them is in every match
    assert fast.search("Nothing here holds a count: 12 shells.") is None
    assert fast.search("Then 12 DRONES came, EVERY day").span() == (5, 14)
    assert folded(re.compile(r"\s+(?:was|were)\s+hit\b")).needs == ("hit",)  # the longest: case-sensitive too
    assert folded(re.compile(r"\b\w+\s+\d+", re.I)).needs is None  # no word every match must hold


@pytest.mark.parametrize("source, flags", [
    (r"\bKyiv\b", re.I),          # an upper-case letter: lower-cased text would never match it
    (r"[A-Z]\w+", re.I),          # an upper-case class
    (r"[\u2100-\u2200]", re.I),   # holds the Kelvin sign, which matches "k" ignoring case
    (r"\u017f", re.I),            # the long s matches "s"
    (r"(?-i:abc)", re.I),         # inline flags
    (r"communiqu\u00e9", re.I),   # a letter outside ASCII with a case (\u00c9 would match it too)
    (r"\bword\b", 0),             # case-sensitive already
])
def test_patterns_that_cannot_be_folded_exactly_are_left_alone(source, flags):
    pattern = re.compile(source, flags)
    fast = folded(pattern)
    assert fast.twin is None
    for text in FOLD_TEXTS + ["COMMUNIQU\u00c9 communiqu\u00e9 ABC Kyiv"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]


# -- the time patterns are screened, never skipped where they match --------------------------------------

_TIME_WORDS = ["on", "Monday", "monday", "late", "last", "night", "yesterday", "today", "this", "morning",
               "March", "Sept.", "12", "2024", "2024-03-05", "8-9", "October", "in", "earlier", "the", "week",
               "overnight", "during", "previous", "days", "tonight", "evening", "since", "mid-", "Friday's", "\u2013",
               "drones", "said", "MAY", "jun", "weeks"]


def test_time_screen_keeps_every_pattern_that_matches():
    rng = random.Random(11)
    sentences = [" ".join(rng.choice(_TIME_WORDS) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    sentences += [" ".join(p) for p in itertools.permutations(["in", "March", "12", "2024"], 4)]
    matched = 0
    for text in sentences:
        kinds = times._possible_kinds(text)
        for kind, pattern in times._PATTERNS:
            if pattern.search(text):
                matched += 1
                assert kinds is None or kind in kinds, (kind, text)
    assert matched > 1000


def test_time_screen_rules_out_sentences_without_time_words():
    assert times._possible_kinds("Rescuers searched the rubble for survivors.") == set()
    assert times.resolve_sentence("Rescuers searched the rubble for survivors.", None) is None
    assert times._possible_kinds("On Tuesday a drone hit a depot.") == {"weekday"}
    assert times._possible_kinds("Caf\u00e9 on Tuesday") is None  # not ASCII: every pattern is tried


def test_tokens_keep_their_fields():
    toks = tokenize("Kyiv's DRONES, 12 x", offset=3)
    assert [(t.start, t.end, t.text, t.lower, t.is_title) for t in toks] == [
        (3, 7, "Kyiv", "kyiv", True), (8, 9, "s", "s", False), (10, 16, "DRONES", "drones", True),
        (18, 20, "12", "12", False), (21, 22, "x", "x", False)]
    assert Token(0, 4, "Kyiv") == toks[0]._replace(start=0, end=4)
