"""Subjects set off from their verb by asides and appositives, and colon introductions, on invented
sentences in the shapes of political news."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from tests.corpus.ingest.articles import body, said

# -- asides between a subject and its verb ------------------------------------------------------------------


def test_an_age_and_a_home_town_with_its_state_are_not_the_subject():
    article = process(
        body('Dale Kirby, 41, of Hamden, Conn., said he had "no faith in the plan at all" now.')
    )
    assert said(article, "no faith") == "Dale Kirby"


def test_a_phrase_opened_by_a_preposition_is_passed_over_with_its_place():
    article = process(
        body('Lena Park, during a forum in Akron, Ohio, said she was "not about to back the plan" again.')
    )
    assert said(article, "not about to back") == "Lena Park"


def test_a_connective_and_a_relative_clause_are_passed_over_together():
    article = process(
        body('Tom Hale, meanwhile, who leads the union, said the offer was "an insult to every worker" here.')
    )
    assert said(article, "an insult") == "Tom Hale"


def test_a_description_before_a_relative_clause_is_the_speaker():
    article = process(
        body(
            'The lawmaker, who represents a rural district, said the rules "have hurt farmers for years."',
            'A union adviser, who asked not to be named, said of the mayor, "She will not give up."',
        )
    )
    assert (said(article, "have hurt"), said(article, "She will not")) == ("the lawmaker", "the adviser")


# -- a participle that goes on with a trailing attribution ---------------------------------------------------


def test_a_participle_goes_on_with_the_subject_named_after_a_quoted_phrase():
    article = process(
        body(
            "Prosecutor Dan Cole spoke first.",
            'Cole cannot say that "in his opinion," Omar Ortiz added, saying it should be "left to the voters."',
        )
    )
    assert said(article, "left to the voters") == "Omar Ortiz"


def test_the_same_pronoun_of_one_attribution_is_the_same_person_for_the_quote_after_a_participle():
    article = process(
        body(
            "Columnist Dana Wells wrote about the summit.",
            '"The talks echo an older summit," she wrote, looking back on the visit between Governor Sam'
            ' Ortiz and regional leader Omar Haddad, where Ortiz arrived with a wish "to build a bond'
            ' between the two men."',
        )
    )
    assert said(article, "to build a bond") == said(article, "The talks echo") == "Dana Wells"


# -- a time phrase that opens the sentence ------------------------------------------------------------------


def test_a_time_phrase_ending_in_later_before_a_comma_is_not_the_subject():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Hours later, Tom Ruiz returned the favor, telling reporters, "Rita is a fine mayor and a friend."',
            'But a few days later, Ruiz reversed himself, telling a radio host that the rules "are settled."',
        )
    )
    assert (said(article, "Rita is a fine"), said(article, "are settled")) == ("Tom Ruiz", "Tom Ruiz")


def test_early_in_a_phrase_that_opens_the_sentence_is_no_name():
    article = process(
        body(
            "Mayor Rita Vale spoke first. Governor Tom Ruiz answered.",
            'Early in his campaign, Ruiz attacked Vale, calling her "a failed mayor with no plan."',
        )
    )
    assert said(article, "a failed mayor") == "Tom Ruiz"


# -- a participle given its own subject by "with" -----------------------------------------------------------


def test_with_and_a_name_give_the_participle_its_speaker():
    article = process(
        body(
            "Governor Tom Ruiz spoke. Mayor Rita Vale replied.",
            'Some of his fans pushed a heckler, with Ruiz reportedly yelling: "Get him out of here!"',
            'The vote went ahead, with Vale calling it "a disgrace to the whole council."',
        )
    )
    assert (said(article, "Get him out"), said(article, "a disgrace")) == ("Tom Ruiz", "Rita Vale")


# -- the subject at the start of a sentence -----------------------------------------------------------------


def test_roles_joined_by_and_before_a_name_lead_to_the_name():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Former prosecutor and city mayor Ada Lund trashed Vale on the radio, calling it a "no-brainer" to sue.',
            'On Monday, Eric Lund knocked a claim by actor Sam Reyes that an "absurd pile of cash" was spent.',
        )
    )
    assert (said(article, "no-brainer"), said(article, "absurd pile")) == ("Ada Lund", "Eric Lund")


def test_an_aside_between_the_subject_and_its_verb_is_passed_over():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Governor Tom Ruiz, during several interviews on Thursday, referred to Vale as "the most valuable'
            ' player" for the rival party.',
        )
    )
    assert said(article, "the most valuable player") == "Tom Ruiz"


def test_a_number_opens_a_time_phrase_only_with_a_word_of_time():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Three protesters, all students, stood by the door, calling the plan "a waste of money and time."',
            'Thirteen years earlier, Vale had voted for "a much bigger levy" herself.',
        )
    )
    assert (said(article, "a waste of money"), said(article, "a much bigger levy")) == (
        "Three protesters",
        "Rita Vale",
    )


# -- names with party tags, and a cue further back ----------------------------------------------------------


def test_a_tagged_name_after_an_opening_phrase_is_the_subject_not_the_phrase():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'After winning Ohio in the primary, Gov. Sam Ortiz (R-Ohio), said, "We are ready to head west now."',
        )
    )
    assert said(article, "We are ready") == "Sam Ortiz"


def test_a_cue_followed_by_prepositional_phrases_up_to_the_quote_attributes_it():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Sen. Tom Hale, R-Wis., wrote in a guest column ahead of a 2019 council hearing on the budget, "The'
            ' department not only failed to act but cut the funds."',
            'Vale told reporters in a call from her office on Monday night after the vote, "We won the vote'
            ' and we won the city."',
        )
    )
    assert (said(article, "The department"), said(article, "We won the vote")) == ("Tom Hale", "Rita Vale")


def test_had_this_to_say_before_a_colon_is_the_subject_of_had():
    article = process(
        body(
            "Council members were angry.",
            'Mayor Rita Vale had this to say about the audit: "We will not pay for this review at all."',
            'Tom Hale has harsh words to say for the board: "They slept through the whole crisis."',
        )
    )
    assert (said(article, "We will not pay"), said(article, "They slept")) == ("Rita Vale", "Tom Hale")


def test_a_state_after_a_town_in_an_opening_phrase_is_no_subject():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Speaking at a fair in Millbrook, Vermont, Tom Ruiz went after Vale, calling her "a total stiff."',
            'Speaking at a diner in Reno, Nev., Ruiz went after Vale again, calling her "a total lightweight."',
        )
    )
    assert (said(article, "a total stiff"), said(article, "a total lightweight")) == ("Tom Ruiz", "Tom Ruiz")


def test_an_irregular_past_ends_a_lowercase_subject():
    article = process(
        body(
            'The billionaire developer began by talking about rents, saying they are now "higher than ever before."'
        )
    )
    assert said(article, "higher than ever") == "the billionaire developer"


def test_a_participle_after_said_and_a_tagged_name_that_follow_a_quote_is_that_name():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            '"It is not new in this state," said Rep. Tom Hale (D-Va.) at the time, adding that "we have been'
            ' electing reformers for a long time."',
        )
    )
    assert said(article, "we have been electing") == "Tom Hale"


def test_a_colon_after_an_earlier_quote_of_the_sentence_is_introduced_by_its_subject():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'Tom Perez hammered Vale, calling her a "train wreck," and contrasted her with the governor: "What I'
            ' have seen of the governor is a steady hand."',
        )
    )
    assert said(article, "What I have seen") == "Tom Perez"


def test_then_after_a_connective_opens_no_subject():
    article = process(
        body(
            "Mayor Rita Vale spoke first. Tom Perez answered.",
            'And then Perez turned fully hostile, saying, "Will the mayor step down in shame?"',
        )
    )
    assert said(article, "Will the mayor step") == "Tom Perez"


def test_a_colon_right_after_a_quoted_phrase_is_introduced_by_the_sentence_subject():
    article = process(
        body(
            "Mayor Rita Vale spoke first.",
            'City Times columnist Sam Gerber, a former speechwriter, calls Vale "a chameleon": "As a candidate,'
            ' her talent is to feel just where the crowd is leaning."',
        )
    )
    assert said(article, "As a candidate") == "Sam Gerber"


# -- descriptions opening the sentence ------------------------------------------------------------------------


def test_a_description_opened_by_a_possessive_a_quantity_or_an_adjective_in_ed_is_the_subject():
    article = process(
        body(
            "Mayor Rita Vale toured the plant on Monday.",
            'The retired surgeon has given no details about his plan, saying only that he was "refining some'
            ' practices and staff roles."',
            'His chief aide pressed the point further, saying the mayor was qualified "on paper and nowhere'
            ' else."',
        )
    )
    assert (said(article, "refining some"), said(article, "on paper")) == ("the surgeon", "the aide")


def test_a_description_by_title_with_a_capitalized_modifier_is_the_person_named_with_it():
    article = process(
        body(
            "Sen. Ada Lund and former Secretary of State Ruth Kane toured the plant on Monday.",
            'The famously blunt senator spoke first, calling the plant "a model for every state in the'
            ' country."',
            'The former secretary of State opened her talk by scolding rivals who would "ship the work'
            ' to others" abroad.',
        )
    )
    assert (said(article, "a model for"), said(article, "ship the work")) == ("Ada Lund", "Ruth Kane")


def test_a_person_described_by_where_they_work_is_not_the_person_or_place_named_there():
    article = process(
        body(
            "Sen. Ada Lund toured the plant on Monday.",
            "One operative inside the Lund campaign office tried to play down the remarks, saying they were"
            ' "nothing anyone worries about here."',
        )
    )
    assert said(article, "nothing anyone worries") == "the operative"


def test_an_age_after_the_article_is_a_speaker_of_the_article():
    article = process(body('"From day one, the plan was ours," said the 46-year-old.'))
    assert said(article, "From day one") == "the 46-year-old"


def test_a_time_ago_between_the_subject_and_its_verb_is_passed_over():
    article = process(
        body('The Harbor Agency barely a week ago said for once that "top secret" files were lost.')
    )
    assert said(article, "top secret") == "Harbor Agency"


def test_a_number_of_people_after_about_is_the_subject_and_a_place_opened_by_outside_is_not():
    article = process(
        body(
            "Mayor Rita Vale spoke at the arena on Monday.",
            'Outside the arena, about 200 protesters gathered in three groups, holding signs and chanting "Dump'
            ' the mayor."',
        )
    )
    assert said(article, "Dump the mayor") == "about 200 protesters"


def test_an_office_meant_by_a_possessive_speaks_for_the_person_it_serves():
    article = process(
        body(
            "Sen. Tom Hale voted no on Monday.",
            'His office issued a note saying the city "cannot pay for it this year."',
            '"We are reviewing it," Hale\u2019s office said.',
        )
    )
    assert (said(article, "cannot pay for"), said(article, "We are reviewing")) == (
        "Tom Hale office",
        "Tom Hale office",
    )


def test_a_description_that_names_its_person_in_commas_goes_to_that_person():
    article = process(
        body(
            "Gov. Ann Cole faced a tough crowd in Dover on Monday.",
            'Her campaign manager, Lou Reyes, put it simply: "We win this in the suburbs."',
            'Her chief of staff, Rosa Diaz, went further, calling the vote "the whole ballgame."',
        )
    )
    assert (said(article, "We win this"), said(article, "the whole ballgame")) == ("Lou Reyes", "Rosa Diaz")


def test_a_number_of_people_opening_the_sentence_is_a_group_not_a_person():
    article = process(
        body(
            "Mayor Rita Vale spoke at the arena on Monday.",
            'Dozens of nurses lined the hall, chanting "Fund the clinic now."',
            'Hundreds of union members shouted "Rita, Rita" as she spoke.',
        )
    )
    found = {article.text[q.start : q.end]: q.speaker for q in article.quotes}
    assert (found["Fund the clinic now."].name, found["Fund the clinic now."].kind) == (
        "dozens of nurses",
        "group",
    )
    assert found["Rita, Rita"].name == "hundreds of union members"


def test_a_verb_read_with_a_description_is_not_its_head():
    article = process(
        body(
            "Judge Omar Reyes ruled on the case on Friday.",
            'The judge pointed to an earlier case to say that courts must weigh "whether the public has a stake'
            ' in the records."',
            'A county textbook just printed for sixth graders explains "the benefits of calm for the'
            ' region" at length.',
        )
    )
    assert (said(article, "whether the public"), said(article, "the benefits")) == (
        "Omar Reyes",
        "the textbook",
    )


def test_a_quantity_or_possessive_before_a_capitalized_label_opens_a_description():
    article = process(
        body(
            "Mayor Rita Vale spoke at the arena on Monday.",
            'One Republican official who heard the speech said Vale won the room, telling reporters, "She had'
            ' them from the first line."',
        )
    )
    assert said(article, "She had them") == "the official"


def test_the_group_is_a_group_of_the_article_not_the_organization_named_last():
    article = process(
        body(
            "Channel 9 News first reported the march on Friday.",
            '"We will be back every week until the plant reopens," the group said in a statement.',
        )
    )
    found = {article.text[q.start : q.end]: q.speaker for q in article.quotes}
    speaker = found["We will be back every week until the plant reopens,"]
    assert (speaker.name, speaker.kind) == ("the group", "group")
