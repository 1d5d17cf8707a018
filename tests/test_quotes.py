"""Quotes and speakers: after-quote attribution, pronouns, sentence sources, continuations."""
from __future__ import annotations

from tests.conftest import read


def quotes(text: str):
    return [(q.speaker.label if q.speaker else None, q.text) for q in read(text).quotes]


def test_said_name_after_quote_and_continuation():
    got = quotes("“The windows flew in,” said Petro Kovalenko, a taxi driver. “My car is gone.”")
    assert got == [("Petro Kovalenko", "The windows flew in,"), ("Petro Kovalenko", "My car is gone.")]


def test_pronoun_resolves_to_last_person_outside_quotes():
    got = quotes("Governor Oleh Kiper visited the site. “Putin wants to scare us,” he said.")
    assert got == [("Oleh Kiper", "Putin wants to scare us,")]


def test_speaker_before_quote_and_organization_speaker():
    got = quotes('Dmitry Peskov said the strikes were "a response". The Kremlin called the report "lies".')
    assert got == [("Dmitry Peskov", "a response"), ("Kremlin", "lies")]


def test_description_resolves_to_organization():
    got = quotes("Russia's Defence Ministry reported the raid. The ministry called it “a provocation”.")
    assert got == [("Russian Defence Ministry", "a provocation")]


def test_nearest_reporting_verb_owns_the_quote():
    got = quotes('Emmanuel Macron said Russia was the aggressor, while Donald Tusk wrote: "You are not alone."')
    assert got == [("Donald Tusk", "You are not alone.")]


def test_words_after_a_finished_quote_start_a_new_sentence():
    got = quotes('JD Vance called him "disrespectful". Donald Trump told reporters he was angry.')
    assert got == [("JD Vance", "disrespectful")]


def test_british_single_quotes_and_according_to():
    got = quotes("Kyiv was hit again. ‘We did not sleep,’ said Olena Marchenko, a teacher. The city’s mayor spoke. "
                 "“We will rebuild,” according to Mayor Vitali Klitschko.")
    assert got == [("Olena Marchenko", "We did not sleep,"), ("Vitali Klitschko", "We will rebuild,")]
