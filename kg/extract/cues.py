"""Closed word classes the extractors use as context cues (function words and grammar, not entities).

The words are data: ontology/cues.tsv, read once per process by kg.cuewords. This module only gives
them the names the extractors import.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..cuewords import default_cues

_CUES = default_cues()

REPORTING_VERBS = _CUES.reporting_verbs
QUOTE_VERBS = _CUES.quote_verbs
TITLE_WORDS = _CUES.titles
ORG_HEADS = _CUES.org_heads
PLACE_HEADS = _CUES.place_heads
SITE_HEADS = _CUES.site_heads
STORE_HEADS = _CUES.store_heads
SETTLEMENT_WORDS = _CUES.settlements
LOCATIVE_PREPS = _CUES.locative_preps
METONYM_VERBS = _CUES.metonym_verbs
PASSIVE_ATTACK = _CUES.passive_attack
METONYM_POSSESSED = _CUES.metonym_possessed
AUXILIARIES = _CUES.auxiliaries
MONTHS = _CUES.months
WEEKDAYS = _CUES.weekdays
SENTENCE_START_WORDS = _CUES.sentence_starts
NAME_PARTICLES = _CUES.name_particles
# counts (kg/extract/quantities.py)
UNITS = _CUES.units
PERSON_NOUNS = _CUES.person_nouns
KIND_WORDS = _CUES.kind_words
PHRASAL = _CUES.phrasal
PHRASAL_KINDS = _CUES.phrasal_kinds
NUMBER_WORDS = _CUES.number_words
QUALIFIERS = list(_CUES.qualifiers)
STOP_MODIFIERS = _CUES.modifier_stops
# counts, sources and places (kg/extract/quantities.py, context.py)
NUMBER_IDENTIFIERS = _CUES.number_identifiers
ELLIPSIS_NEXT = _CUES.ellipsis_next
RELATIVE_WORDS = _CUES.relative_words
GENERIC_WEAPON_NOUNS = _CUES.generic_weapon_nouns
GENERIC_WEAPON_PHRASES = _CUES.generic_weapon_phrases
LAUNCH_HEADS = _CUES.launch_heads
WEAPON_PARTICIPLES = _CUES.weapon_participles
PLATFORM_NOUNS = _CUES.platform_nouns
UNHARMED_VERBS = _CUES.unharmed_verbs
IMPACT_VERBS = _CUES.impact_verbs
CASUALTY_BODIES = _CUES.casualty_bodies
STATE_FORCES = _CUES.state_forces
LOCATOR_NOUNS = _CUES.locator_nouns
MILITARY_SITE_NOUNS = _CUES.military_site_nouns
HIT_PARTICIPLES = _CUES.hit_participles
HOSPITAL_VERBS = _CUES.hospital_verbs
COMPOUND_SUFFIXES = _CUES.compound_suffixes
PLACE_ANAPHORS = _CUES.place_anaphors
TERRITORY_NOUNS = _CUES.territory_nouns
SITE_ANAPHORS = _CUES.site_anaphors
GOVERNING_PREPS = _CUES.governing_preps
STATEMENT_NOUNS = _CUES.statement_nouns
GROUP_NOUNS = _CUES.group_nouns
STATE_BODIES = _CUES.state_bodies
OFFICIAL_TITLES = _CUES.official_titles
TITLE_SYNONYMS = _CUES.title_synonyms
AFFILIATION_SUFFIXES = _CUES.affiliation_suffixes
CAPITAL_ACT_VERBS = _CUES.capital_act_verbs
# damaged targets (kg/extract/events.py)
NP_STOP = _CUES.np_stops
DETERMINERS = _CUES.determiners
NOT_TARGET = _CUES.not_targets
# the mention finder (kg/extract/mentions.py, names.py)
NOT_WEAPON_NOUNS = _CUES.not_weapon_nouns
ATTRIBUTIVE_NOUNS = _CUES.attributive_nouns
NAME_FUNCTION_WORDS = _CUES.name_function_words
NAME_CONNECTORS = _CUES.name_connectors
WEAPON_ADJECTIVES = _CUES.weapon_adjectives
PLACE_PREPS = _CUES.place_preps
CITY_POSSESSED = _CUES.city_possessed
COPULA_COMPLEMENTS = _CUES.copula_complements
BE_PARTICIPLES = _CUES.be_participles
METONYM_BEFORE = _CUES.metonym_before
METONYM_ON_NOUNS = _CUES.metonym_on_nouns
PLATFORM_PREPS = _CUES.platform_preps
ARTICLES = _CUES.articles
ORG_APPOSITIVE_HEADS = _CUES.org_appositive_heads
COMPANY_NOUNS = _CUES.company_nouns
VESSEL_WORDS = _CUES.vessels
PERSON_APPOSITIVES = _CUES.person_appositives
SETTLEMENT_AFTER = _CUES.settlement_after
APPOSED_PERSON_NOUNS = _CUES.apposed_person_nouns
NON_PERSON_WORDS = _CUES.non_person_words
OF_PLACE_NOUNS = _CUES.of_place_nouns
LOWER_SITE_HEADS = _CUES.lower_site_heads
SITE_MODIFIERS = _CUES.site_modifiers
LOWER_ORG_HEADS = _CUES.lower_org_heads
BODY_VERBS = _CUES.body_verbs
PLACE_BODY_MODIFIERS = _CUES.place_body_modifiers
PLACE_BODY_HEADS = _CUES.place_body_heads
UNIT_BODY_HEADS = _CUES.unit_body_heads
BODY_UNITS = _CUES.body_units
TITLE_CONTINUATIONS = _CUES.title_continuations
INVERTED_REPORTING_VERBS = _CUES.inverted_reporting_verbs
SETTLEMENT_PREPS = _CUES.settlement_preps
PLURAL_SITE_HEADS = _CUES.plural_site_heads
SHIP_PREFIXES = _CUES.ship_prefixes
SITE_PHRASES = _CUES.site_phrases
PLACE_HEAD_MODIFIERS = _CUES.place_head_modifiers
NAMING_WORDS = _CUES.naming_words
# attacks, communications and quotations (kg/extract/events.py, quotes.py)
ATTACK_CUES = _CUES.attack_cues
MUNITION_WORDS = _CUES.munition_words
COMM_CUES = _CUES.comm_cues
HYPOTHETICAL_WORDS = _CUES.hypothetical_words
CLAUSE_OPENERS = _CUES.clause_openers
SPEECH_ACT_STEMS = _CUES.speech_act_stems


def alternation(words: Iterable[str], shortest_first: bool = False) -> str:
    """A regular-expression alternation of cue words for patterns built at import time. Longest first, so a
    phrase wins over its own first word ("military administration" before "military"); an apostrophe matches
    the typographic one too. `shortest_first` tries a word before its own longer forms instead (what an
    alphabetical list does).

    The alternation is written as a trie ("b(?:omb(?:ed|ing)?|arrage)"): Python's regex engine tries every
    branch of a flat list at every word it scans, and a trie of a few hundred words is many times faster.
    It matches the same text in the same order: the words that match at one place are prefixes of each
    other, and both forms try them longest first (or shortest first)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    if not all(_TRIE_SAFE.fullmatch(w) for w in ordered):
        flat = ordered if not shortest_first else sorted(ordered)
        return "|".join(_escape(w) for w in flat)
    trie: dict = {}
    for w in ordered:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return "|".join(_branches(trie, "??" if shortest_first else "?"))


# lower-case ASCII and Latin-1 words: no two of their distinct letters match each other ignoring case, so the
# trie's branches exclude each other as the flat list's words do
_TRIE_SAFE = re.compile(r"[\x00-\x40\x5b-\x7f\u00df-\u00f6\u00f8-\u00ff]+")


def _escape(text: str) -> str:
    return re.escape(text).replace("'", "['\u2019]")


def _branches(node: dict, optional: str) -> list[str]:
    out = []
    for ch in sorted(c for c in node if c):
        child = node[ch]
        rest = _branches(child, optional)
        if not rest:
            out.append(_escape(ch))
        elif "" in child:
            out.append(f"{_escape(ch)}(?:{'|'.join(rest)}){optional}")
        elif len(rest) == 1:
            out.append(_escape(ch) + rest[0])
        else:
            out.append(f"{_escape(ch)}(?:{'|'.join(rest)})")
    return out


def phrase_alternation(words: Iterable[str]) -> str:
    """Like alternation(), for phrases whose words may be parted by any run of white space (a line break
    inside "civil defence")."""
    return alternation(words).replace("\\ ", r"\s+")
