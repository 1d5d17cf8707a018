"""Closed word classes the extractors use as context cues (function words and grammar, not entities).

The words are data: ontology/cues.tsv, read once per process by kg.cuewords. This module only gives
them the names the extractors import.
"""
from __future__ import annotations

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
# damaged targets (kg/extract/events.py)
NP_STOP = _CUES.np_stops
DETERMINERS = _CUES.determiners
NOT_TARGET = _CUES.not_targets
