"""The cue-word file (ontology/cues.tsv) loads into the classes the extractors need, and bad lines fail loudly."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cuewords import CLASSES, CUE_FILE, CueFileError, default_cues, load_cues, read_rows
from kg.extract import cues
from kg.lexicon import ontology_dir
from kg.model import QUANTITY_KINDS


def _copy_with(tmp_path: Path, *extra: str) -> Path:
    """The shipped cue file with extra lines appended, and the line number of the first of them."""
    text = (ontology_dir() / CUE_FILE).read_text(encoding="utf-8")
    path = tmp_path / CUE_FILE
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(extra) + "\n", encoding="utf-8")
    return path


def test_every_class_is_present_and_documented():
    rows = read_rows(ontology_dir() / CUE_FILE)
    assert all(rows[c] for c in CLASSES)
    readme = (ontology_dir() / "README.md").read_text(encoding="utf-8")
    assert [c for c in CLASSES if f"`{c}`" not in readme] == []


def test_every_kind_of_count_has_cue_words_and_kinds_keep_file_order():
    assert set(cues.KIND_WORDS) == set(QUANTITY_KINDS)
    assert all(cues.KIND_WORDS[k] for k in QUANTITY_KINDS)
    assert list(cues.KIND_WORDS)[:2] == ["killed", "injured"]  # casualty cues are tried before the rest
    assert {"lost"} <= cues.KIND_WORDS["killed"] & cues.KIND_WORDS["intercepted"]
    assert cues.PHRASAL_KINDS["lost"] == frozenset({"killed"})
    assert re.fullmatch(cues.PHRASAL["lost"], "their lives") and cues.PHRASAL["shot"] == "down"


def test_months_weekdays_and_numbers_map_to_their_values():
    assert sorted(set(cues.MONTHS.values())) == list(range(1, 13))
    assert cues.MONTHS["sept"] == cues.MONTHS["september"] == 9 and cues.MONTHS["may"] == 5
    assert list(cues.MONTHS)[:12][-1] == "december"  # full names first, then abbreviations
    assert cues.WEEKDAYS["monday"] == 0 and cues.WEEKDAYS["sunday"] == 6 and len(cues.WEEKDAYS) == 7
    assert cues.NUMBER_WORDS["twelve"] == 12 and cues.NUMBER_WORDS["ninety"] == 90
    assert cues.PLACE_HEADS["oblast"] == "region" and cues.PLACE_HEADS["raion"] == "district"


def test_public_names_keep_their_types():
    for name in ("REPORTING_VERBS", "QUOTE_VERBS", "TITLE_WORDS", "ORG_HEADS", "SITE_HEADS", "STORE_HEADS",
                 "SETTLEMENT_WORDS", "LOCATIVE_PREPS", "METONYM_VERBS", "PASSIVE_ATTACK", "METONYM_POSSESSED",
                 "AUXILIARIES", "SENTENCE_START_WORDS", "NAME_PARTICLES", "UNITS", "PERSON_NOUNS",
                 "STOP_MODIFIERS", "NP_STOP", "DETERMINERS", "NOT_TARGET"):
        assert isinstance(getattr(cues, name), frozenset) and getattr(cues, name), name
    for name in ("PLACE_HEADS", "MONTHS", "WEEKDAYS", "KIND_WORDS", "PHRASAL", "PHRASAL_KINDS", "NUMBER_WORDS"):
        assert isinstance(getattr(cues, name), dict), name
    assert isinstance(cues.QUALIFIERS, list) and all(len(q) == 2 for q in cues.QUALIFIERS)


def test_mention_finder_classes_are_exposed():
    for name in ("NOT_WEAPON_NOUNS", "ATTRIBUTIVE_NOUNS", "NAME_FUNCTION_WORDS", "NAME_CONNECTORS", "WEAPON_ADJECTIVES",
                 "PLACE_PREPS", "CITY_POSSESSED", "COPULA_COMPLEMENTS", "BE_PARTICIPLES", "METONYM_BEFORE",
                 "METONYM_ON_NOUNS", "PLATFORM_PREPS", "ARTICLES", "ORG_APPOSITIVE_HEADS", "COMPANY_NOUNS",
                 "VESSEL_WORDS", "PERSON_APPOSITIVES", "SETTLEMENT_AFTER", "APPOSED_PERSON_NOUNS", "NON_PERSON_WORDS",
                 "OF_PLACE_NOUNS", "LOWER_SITE_HEADS", "SITE_MODIFIERS", "BODY_VERBS", "PLACE_BODY_MODIFIERS",
                 "PLACE_BODY_HEADS", "UNIT_BODY_HEADS", "BODY_UNITS", "TITLE_CONTINUATIONS", "INVERTED_REPORTING_VERBS",
                 "SETTLEMENT_PREPS"):
        assert isinstance(getattr(cues, name), frozenset) and getattr(cues, name), name
    assert cues.PLURAL_SITE_HEADS["streets"] == "Street"
    assert cues.SHIP_PREFIXES["uss"] == "navy" and cues.SHIP_PREFIXES["mv"] == "merchant"
    assert cues.LOWER_ORG_HEADS["military"] == "subject" and cues.LOWER_ORG_HEADS["ministry"] == ""


def test_alternation_puts_phrases_before_their_first_word_and_accepts_either_apostrophe():
    words = ["military", "military administration", "prosecutor's office"]
    pattern = re.compile(f"(?:{cues.alternation(words)})")
    assert pattern.match("military administration").group() == "military administration"
    assert pattern.fullmatch("prosecutor\u2019s office") and pattern.fullmatch("prosecutor's office")


def test_qualifiers_keep_order_and_may_have_no_value():
    phrases = [p for p, _ in cues.QUALIFIERS]
    assert phrases[0] == "at least" and ("over", "more than") in cues.QUALIFIERS
    assert ("a total of", "") in cues.QUALIFIERS


def test_quote_verbs_leave_out_words_that_do_not_attribute_a_preceding_quote():
    assert "said" in cues.QUOTE_VERBS and "according" in cues.REPORTING_VERBS
    assert "according" not in cues.QUOTE_VERBS and cues.QUOTE_VERBS < cues.REPORTING_VERBS


def test_loading_is_deterministic_and_cached():
    a, b = load_cues(), load_cues()
    assert a == b and list(a.kind_words) == list(b.kind_words) and a.qualifiers == b.qualifiers
    assert default_cues() is default_cues()


def test_added_line_is_picked_up(tmp_path):
    loaded = load_cues(_copy_with(tmp_path, "title\tayatollah", "count_kind\tmaimed\tinjured"))
    assert "ayatollah" in loaded.titles and "maimed" in loaded.kind_words["injured"]


def test_one_line_per_value_classes_collect_their_values_in_order(tmp_path):
    loaded = load_cues(_copy_with(tmp_path, "site_anaphor\twharf\twharf", "site_anaphor\twharf\tpier",
                                  "title_synonym\treeve\treeve", "title_synonym\treeve\tmayor"))
    assert loaded.site_anaphors["wharf"] == ("wharf", "pier") and loaded.title_synonyms["reeve"] == ("reeve", "mayor")


def test_words_may_carry_accents_and_abbreviation_periods(tmp_path):
    loaded = load_cues(_copy_with(tmp_path, "statement_noun\tdéclaration", "number_identifier\tpt."))
    assert "déclaration" in loaded.statement_nouns and "pt." in loaded.number_identifiers


def test_count_and_source_classes_are_exposed():
    assert "no." in cues.NUMBER_IDENTIFIERS and cues.WEAPON_PARTICIPLES["downed"] == "intercepted"
    assert cues.PLACE_ANAPHORS["regional capital"] == "city" and cues.PLACE_ANAPHORS["capital city"] == "capital"
    assert "communiqué" in cues.STATEMENT_NOUNS and cues.TITLE_SYNONYMS["prime"] == ("prime minister", "premier")
    assert cues.TERRITORY_NOUNS <= set(cues.PLACE_ANAPHORS)
    assert re.fullmatch(cues.phrase_alternation(cues.IMPACT_VERBS), "came \n down")
    assert not re.fullmatch(cues.alternation(["came down"]), "came \n down")


@pytest.mark.parametrize("line, problem", [
    ("titel\tayatollah", "unknown cue class 'titel'"),
    ("month\tsmarch\tthree", "not an integer"),
    ("title\tayatollah\textra", "takes no value"),
    ("month\tsmarch", "needs a value"),
    ("count_kind\tmaimed\thurt", "not a kind of count"),
    ("phrasal\tmaimed\t(unclosed", "bad regular expression"),
    ("title\tAyatollah", "lower-case word"),
    ("title ayatollah", "expected 'class<TAB>word"),
    ("title\tmayor", "already listed"),
    ("site_anaphor\thospital\tclinic", "already listed"),
    ("title\tsub_prefect", "lower-case word"),
    ("not_quote_verb\tshouted", "must also be listed as a reporting_verb"),
    ("ship_prefix\thmas\tfishing", "is not one of"),
    ("lower_org_head\tcoast guard\tobject", "is not one of"),
])
def test_malformed_line_names_file_and_line(tmp_path, line, problem):
    path = _copy_with(tmp_path, line)
    bad_line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(CueFileError) as err:
        load_cues(path)
    assert str(err.value).startswith(f"{path}:{bad_line}: ") and problem in str(err.value)


def test_empty_class_is_an_error(tmp_path):
    path = tmp_path / CUE_FILE
    kept = [ln for ln in (ontology_dir() / CUE_FILE).read_text(encoding="utf-8").splitlines()
            if not ln.startswith("store_head\t")]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(CueFileError, match="'store_head' has no entries"):
        load_cues(path)


def test_event_and_quote_classes_are_exposed_and_read_by_the_patterns():
    for name in ("ATTACK_CUES", "MUNITION_WORDS", "COMM_CUES", "HYPOTHETICAL_WORDS", "CLAUSE_OPENERS", "SPEECH_ACT_STEMS"):
        assert isinstance(getattr(cues, name), frozenset) and getattr(cues, name), name
    from kg.extract import events, quotes, times
    assert events._ATTACK_CUE.search("the depot was shelled") and events._COMM_CUE.search("they mediated the deal")
    assert events._HYPOTHETICAL.search("a proposed ") and not events._HYPOTHETICAL.search("the envoys ")
    assert quotes._SPEECH_ACTS.match("denounced") and quotes._CLAUSE_OPENER.search(", whereas")
    assert times._ANY_TIME_WORD.search("on Sept. 4") and not times._ANY_TIME_WORD.search("the envoys met")


def test_added_event_cue_is_picked_up(tmp_path):
    loaded = load_cues(_copy_with(tmp_path, "attack_cue\tambushed", "munition_word\tmortars"))
    assert "ambushed" in loaded.attack_cues and "mortars" in loaded.munition_words
