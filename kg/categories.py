"""The categories of the analyst's network and the ontology classes drawn as each of them.

Kept apart from kg/network.py so that building the command-line parser (`kg --help`, which lists the
categories) imports no graph library: this module imports nothing.
"""
from __future__ import annotations

CKG = "https://w3id.org/conflict-kg/ontology#"
ENTITY_CATEGORY = {CKG + "Person": "person", CKG + "Organization": "organization", CKG + "Country": "country",
                   CKG + "Place": "place", CKG + "WeaponType": "weapon"}
# The article-level event classes drawn, and as what. A class added here is drawn with no other change: every
# query of kg/network.py reads events through this mapping.
EVENT_CATEGORY = {CKG + "Attack": "attack", CKG + "Communication": "communication", CKG + "Statement": "statement",
                  CKG + "Interception": "interception"}
# Cross-article events (event resolution): one node for all the article events that report one real attack or call.
CANONICAL_CATEGORY = {CKG + "CanonicalAttack": "canonical attack", CKG + "CanonicalCommunication": "canonical communication"}
CATEGORIES = ("person", "organization", "country", "place", "weapon", "attack", "canonical attack", "interception",
              "communication", "canonical communication", "statement", "target")
# categories that are events: filtered by date in the page, listed before entities as partners
EVENT_CATEGORIES = tuple(dict.fromkeys([*EVENT_CATEGORY.values(), *CANONICAL_CATEGORY.values()]))
