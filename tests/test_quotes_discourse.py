"""Quote attribution by discourse: pronoun antecedents, clause structure, descriptions, quote marks, terms."""
from __future__ import annotations

from tests.conftest import read


def quotes(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker.label if q.speaker else None, q.text) for q in read(text).quotes]


# ---------------------------------------------------------------------------------- pronouns
def test_he_is_the_subject_not_the_object_of_the_sentence_before():
    got = quotes("Emmanuel Macron met Olaf Scholz in Berlin. \"We are united,\" he said.")
    assert got == [("Emmanuel Macron", "We are united,")]


def test_he_is_not_a_person_named_in_a_that_clause():
    got = quotes("Benjamin Netanyahu said the raid had targeted Ismail Haniyeh in a villa. "
                 "\"Whatever happens, we will find them,\" he said.")
    assert got == [("Benjamin Netanyahu", "Whatever happens, we will find them,")]


def test_he_is_not_a_person_inside_a_relative_clause():
    got = quotes("Joe Biden, who later spoke with Emmanuel Macron, said the allies were ready. "
                 "\"We will stand together,\" he said in a statement.")
    assert got == [("Joe Biden", "We will stand together,")]


def test_he_is_not_the_person_an_adviser_serves():
    got = quotes("Selim Aktas, an adviser to President Recep Tayyip Erdogan, said the wreckage was studied. "
                 "\"Nobody fired by mistake,\" he wrote.")
    assert got == [("Selim Aktas", "Nobody fired by mistake,")]


def test_he_in_a_later_clause_is_the_subject_of_its_own_sentence():
    got = quotes("Sergei Lavrov said the talks were long but no meeting with Donald Trump was planned, he said, "
                 "and one was \"not expected\" soon.")
    assert got == [("Sergei Lavrov", "not expected")]


def test_he_added_keeps_the_speaker_of_the_quotation_before():
    got = quotes("\"The door is open,\" Olaf Scholz said, referring to talks between Donald Trump and Vladimir Putin. "
                 "\"I cannot see a deal without a truce,\" he added.")
    assert got == [("Olaf Scholz", "The door is open,"), ("Olaf Scholz", "I cannot see a deal without a truce,")]


def test_passive_agent_is_the_antecedent():
    got = quotes("The negotiating team was led by Foreign Minister Radoslaw Sikorski. \"We set a timetable,\" he told reporters.")
    assert got == [("Radoslaw Sikorski", "We set a timetable,")]


# ---------------------------------------------------------------------------------- clauses
def test_a_new_clause_after_the_quotation_has_its_own_speaker():
    got = quotes("Keir Starmer said the meeting could \"open a new chapter for security\", "
                 "while Alexander Stubb remarked that it was long overdue.")
    assert got == [("Keir Starmer", "open a new chapter for security")]


def test_name_in_apposition_to_a_title_of_an_organization_speaks():
    got = quotes("Russia fired 25 missiles before dawn, the commander of Ukraine's Air Force, Serhiy Holub, said, "
                 "calling it \"a reckless assault\".")
    assert got == [("Serhiy Holub", "a reckless assault")]


def test_relative_who_said_goes_to_the_name_it_hangs_on():
    got = quotes("The session was opened by Hakan Fidan, who said afterwards that both sides had \"agreed to meet again.\"")
    assert got == [("Hakan Fidan", "agreed to meet again.")]


def test_an_adviser_to_a_president_is_not_the_president():
    got = quotes("An adviser to President Recep Tayyip Erdogan said \"these homes were never military sites\".")
    assert got == [(None, "these homes were never military sites")]


def test_compound_modifier_is_not_the_speaker_and_the_group_is():
    got = quotes("Hamas fired rockets at Israel. The Iran-backed group said \"this is only the first phase\".")
    assert got == [("Hamas", "this is only the first phase")]


# ---------------------------------------------------------------------------------- descriptions
def test_the_statement_said_goes_to_the_source_before():
    got = quotes("Ukraine's Defence Ministry said 12 people were killed. "
                 "\"Rescuers are still searching the rubble,\" the statement said.")
    assert got == [("Ukrainian Defence Ministry", "Rescuers are still searching the rubble,")]


def test_it_described_goes_to_the_organization_before():
    got = quotes("Russia's Defence Ministry said 17 drones were destroyed. It described the incident as \"a criminal act\".")
    assert got == [("Russian Defence Ministry", "a criminal act")]


def test_his_office_speaks_for_the_person_without_a_named_office():
    got = quotes("Volodymyr Zelensky spoke to reporters. His office said \"the talks went well\".")
    assert got == [("Volodymyr Zelensky", "the talks went well")]


def test_unused_title_with_demonym_is_the_official_just_named():
    got = quotes("Foreign Minister Sergei Lavrov met his hosts. \"We heard each other,\" the Russian minister said. "
                 "Later, Sergei Lavrov flew home. \"It was useful,\" the foreign minister said.")
    assert got == [("Sergei Lavrov", "We heard each other,"), ("Sergei Lavrov", "It was useful,")]


def test_title_not_used_before_goes_to_the_official_just_named():
    got = quotes("Keir Starmer, the Labour leader, spoke in London on Monday. \"We stand with Kyiv,\" the British premier said.")
    assert got == [("Keir Starmer", "We stand with Kyiv,")]


def test_title_not_used_before_is_not_a_witness():
    got = quotes("Ivan Petrenko lost his flat. \"The mayor must help us,\" the mayor said.")
    assert got == [(None, "The mayor must help us,")]


# ---------------------------------------------------------------------------------- quotation marks
def test_mixed_straight_and_curly_marks_delimit_a_quotation():
    got = quotes("Oleh Syniehubov said: \u201cWe will rebuild everything.\" Rescuers kept working.")
    assert got == [("Oleh Syniehubov", "We will rebuild everything.")]


def test_quotation_split_by_its_attribution_keeps_the_speaker():
    got = quotes("Oleh Kiper visited the port. \"We will rebuild,\" he said, \"and we will not leave.\"")
    assert got == [("Oleh Kiper", "We will rebuild,"), ("Oleh Kiper", "and we will not leave.")]


def test_split_attribution_does_not_leak_to_a_new_speaker():
    got = quotes('Dmitry Peskov said the strikes were "a response". The Kremlin called the report "lies".')
    assert got == [("Dmitry Peskov", "a response"), ("Kremlin", "lies")]


def test_quotation_over_two_paragraphs_is_attributed_where_it_ends():
    got = quotes("Volodymyr Zelensky spoke in Kyiv on Monday. \u201cWe have waited for three years. Nobody came.\n\n"
                 "\u201cNow we rely on ourselves,\u201d said Andriy Yermak.")
    assert got == [("Andriy Yermak", "We have waited for three years. Nobody came."),
                   ("Andriy Yermak", "Now we rely on ourselves,")]


def test_colon_closing_a_paragraph_introduces_the_next():
    got = quotes("Volodymyr Zelensky wrote on Telegram on Sunday morning:\n\n\u201cRussia attacked our energy again.\u201d")
    assert got == [("Volodymyr Zelensky", "Russia attacked our energy again.")]


def test_two_sentences_attributed_after_the_second_are_one_quotation():
    got = quotes("Mayor Ihor Terekhov visited the site. \u201cThe city will not break. We will rebuild,\u201d the mayor said.")
    assert got == [("Ihor Terekhov", "The city will not break. We will rebuild,")]


# ---------------------------------------------------------------------------------- terms, not quotations
def test_scare_quoted_terms_are_not_quotations():
    assert quotes("Russia's \"special military operation\" entered its fourth year on Monday.") == []
    assert quotes("The so-called \"referendums\" were held in occupied regions.") == []
    assert quotes("The war, which the Kremlin still calls a \u201cspecial military operation\u201d, goes on.") == []
    assert quotes("Moscow calls the war a \"special military operation\" and says it is going to plan.") == []


def test_term_in_a_sentence_where_nobody_speaks_is_not_a_quotation():
    assert quotes("Villagers sheltered in the \"safe room\" of the school for two nights.") == []


def test_short_reported_words_stay_quotations():
    got = quotes("Health Minister Oleh Kiper called the attack \"barbaric\" and urged calm. "
                 "He said the strike had hit what he called a \"purely civilian area\".")
    assert got == [("Oleh Kiper", "barbaric"), ("Oleh Kiper", "purely civilian area")]


def test_names_of_things_are_not_quotations():
    assert quotes("Volunteers set up a chat group called \"Night Watch\" to warn neighbours.") == []


def test_judging_a_named_thing_with_a_quoted_phrase_is_a_quotation():
    got = quotes("Volodymyr Zelensky slammed the \"cowardly attack\" on the port.")
    assert got == [("Volodymyr Zelensky", "cowardly attack")]


def test_present_tense_evaluation_in_a_live_blog_stays_a_quotation():
    got = quotes("10:15 - Volodymyr Zelensky calls the strike \"pure terror\" and asks allies for help.")
    assert got == [("Volodymyr Zelensky", "pure terror")]


def test_a_sentence_naming_an_unknown_speaker_does_not_inherit_the_last_speaker():
    got = quotes("\"We struck the launchers,\" said Daniel Hagari.\n\n"
                 "A local official said the damage was \"worse than in any raid before\".")
    assert got == [("Daniel Hagari", "We struck the launchers,"), (None, "worse than in any raid before")]


def test_unnamed_title_used_last_is_not_an_earlier_named_holder():
    got = quotes("Military spokesman Daniel Hagari spoke on Sunday. Joe Biden was briefed, a White House spokesman said. "
                 "\"He is following events closely,\" the spokesman said.")
    assert got == [(None, "He is following events closely,")]


def test_title_attached_to_a_name_resolves_the_description():
    got = quotes("Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. \"There is no progress,\" the spokesman said.")
    assert got == [("Dmitry Peskov", "There is no progress,")]


def test_straight_single_quotes_pair_but_apostrophes_do_not():
    got = quotes("In the port, shops stayed shut. 'We don't sleep any more,' said Ali Hassan, a shopkeeper. "
                 "The soldiers' families met at Ukraine's embassy.")
    assert got == [("Ali Hassan", "We don't sleep any more,")]


def test_repeated_definite_title_keeps_its_holder():
    got = quotes("Mayor Ihor Terekhov said the city was hit. \"We will rebuild,\" the mayor said. "
                 "\"Nobody will leave,\" the mayor added.")
    assert got == [("Ihor Terekhov", "We will rebuild,"), ("Ihor Terekhov", "Nobody will leave,")]


def test_capitalised_title_with_of_is_part_of_the_name():
    got = quotes("Zelensky thanked the senators. Secretary of State Antony Blinken, speaking later, said more aid was ready. "
                 "Asked about timing, he said: \"We are looking at every option.\"")
    assert got == [("Antony Blinken", "We are looking at every option.")]


def test_organization_qualifying_a_title_yields_to_the_named_holder():
    got = quotes("A senior Hamas official, Basem Naim, told reporters the group would not accept \"a partial deal\".")
    assert got == [("Basem Naim", "a partial deal")]


def test_it_with_an_adverb_still_points_back_to_the_organization():
    got = quotes("Russia's Defence Ministry said 12 drones were downed. It also said \"the attack failed\". "
                 "\"We are ready,\" it later added.")
    assert got == [("Russian Defence Ministry", "the attack failed"), ("Russian Defence Ministry", "We are ready,")]


def test_according_to_a_description():
    got = quotes("Ukraine's Defence Ministry reported heavy fighting. "
                 "\"The enemy lost two tanks,\" according to the ministry.")
    assert got == [("Ukrainian Defence Ministry", "The enemy lost two tanks,")]


def test_an_unnamed_adviser_is_the_adviser_named_elsewhere():
    got = quotes("Selim Aktas, an adviser to President Recep Tayyip Erdogan, toured the crater on Tuesday. "
                 "Later an adviser to President Recep Tayyip Erdogan said \"the fragments tell the story\".")
    assert got == [("Selim Aktas", "the fragments tell the story")]
