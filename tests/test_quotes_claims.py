"""Who claims a count: the source of its sentence, found by clause and discourse like a quotation's speaker."""
from __future__ import annotations

from kg.extract import default_resources
from kg.extract.context import sentence_source
from kg.extract.doc import analyse
from kg.extract.mentions import find_mentions
from kg.model import Article
from tests.conftest import read


def claims(text: str) -> list[tuple[str, int, str | None]]:
    return [(q.kind, q.value, q.claimant.label if q.claimant else None) for q in read(text).quantities]


def test_sentence_without_a_source_goes_on_reporting_the_one_before_in_its_paragraph():
    doc = analyse(Article(id="t", text="Russia's Defence Ministry said 40 drones had been launched overnight. "
                          "Air defences destroyed 35 of them.\n\nFive people were injured in Kursk."), default_resources())
    mentions = find_mentions(doc)
    sources = [sentence_source(doc, mentions, i, inherit=True) for i in range(len(doc.sentences))]
    assert [e.label if e else None for e in sources] == ["Russian Defence Ministry", "Russian Defence Ministry", None]
    assert sentence_source(doc, mentions, 1) is None  # without `inherit`, only the sentence's own source


def test_he_said_claims_for_the_subject_not_the_person_named_last():
    got = claims("Governor Oleh Kiper visited the ward of Ivan Petrenko on Monday. "
                 "Three more people were injured overnight, he said.")
    assert ("injured", 3, "Oleh Kiper") in got


def test_an_adviser_does_not_claim_for_the_president_he_serves():
    got = claims("An adviser to President Recep Tayyip Erdogan said 19 civilians had died.")
    assert ("killed", 19, "Recep Tayyip Erdogan") not in got
