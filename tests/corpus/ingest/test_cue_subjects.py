"""The subject of a cue verb where words stand between them: a phrase or a clause opening the sentence after
a conjunction, an aside in commas, a second "that" clause (invented sentences and names)."""

from __future__ import annotations

import pytest

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.subjects import subject_before
from corpus.ingest.quotes.tokens import tokenize
from tests.corpus.ingest.articles import body
from tests.corpus.ingest.articles import first_words as speakers


@pytest.mark.parametrize(
    "sentence",
    [
        'And although he thanked the crowd for coming, he struck a rare note of doubt, saying, "I am not '
        'sure I have earned this yet."',
        'But back on home ground, he went back to his usual refrain: "I am not sure I have earned this yet."',
        'Yet after the vote was counted, he turned to the hall: "I am not sure I have earned this yet."',
    ],
)
def test_a_phrase_after_a_conjunction_opening_the_sentence_is_no_subject(sentence):
    found = speakers(
        body(
            "Omar Hale won the county seat on Tuesday night.",
            '"We ran a clean race," Hale said. "The town will see it."',
            sentence,
        )
    )
    assert found["I am not"] == ("direct", "Omar Hale")


def test_a_name_after_an_organization_s_possessive_is_a_full_name_its_surname_stands_for():
    found = speakers(
        body(
            "In an interview with Harbor News\u2019 Dana Charity on Monday, Omar Hale defended the plan.",
            "\u201cWould it pass the council this year?\u201d Charity pressed.",
            "\u201cIt will pass,\u201d Hale answered.",
        )
    )
    assert found["Would it pass"] == ("direct", "Dana Charity")
    assert found["It will pass,"] == ("direct", "Omar Hale")


@pytest.mark.parametrize(
    "sentence, group",
    [
        ('Proponents of the plan, however, say it would keep the board as an "umpire."', "proponents"),
        (
            "The two lawmakers, however, argue that \u201cthe permit was never valid.\u201d",
            "lawmakers",
        ),
        ("Local farmers still insist that the bridge is \u201ca road to nowhere.\u201d", "farmers"),
    ],
)
def test_a_plural_of_people_speaks_through_an_adverb_between_it_and_its_present_cue(sentence, group):
    found = speakers(body("The river board met on Monday to weigh the new bridge.", sentence))
    ((kind, speaker),) = found.values()
    assert kind == "partial"
    assert speaker is not None and group in speaker.casefold()


def test_a_question_put_to_someone_is_the_asker_s_not_theirs():
    found = speakers(
        body(
            "The council race ended on Monday.",
            "Omar Hale was asked by host Dana Moss, who backs the levy, \u201cWill you vote for it this time, "
            "or walk out again?\u201d",
            "Lena Park was asked, \u201cWhat is the most worrying thing in the budget this year?\u201d",
            'Hale answered, "I will vote for the levy."',
        )
    )
    assert found["Will you vote"] == ("direct", "Dana Moss")
    assert found["What is the"] == ("direct", None)
    assert found["I will vote"] == ("direct", "Omar Hale")


def test_an_as_aside_in_a_colon_introduction_names_whose_words_follow():
    found = speakers(
        body(
            "The river board met on Monday.",
            "As the Harbor Herald reported, even on Friday the council was refusing to call the flood a crisis:",
            '"The council is still reluctant to call the flood a crisis, citing the review by the state."',
            "Of course, as Dana Moss of the Harbor Institute observed, the winner was not on the stage at all:",
            "\u201cThe clear winner of the night was the network, which ran two lively sessions.\u201d",
            'As Lena Park put it, the board had one job: "Keep the river out of the town at any cost."',
        )
    )
    assert found["The council is"] == ("direct", "Harbor Herald")
    assert found["The clear winner"] == ("direct", "Dana Moss")
    assert found["Keep the river"] == ("direct", "Lena Park")


def test_quoted_fragments_joined_before_a_trailing_attribution_are_all_its_speakers():
    found = speakers(
        body(
            "The board met on Monday.",
            "Bridges are \u201cthe ultimate public safety crisis\u201d and \u201cstunt the town\u2019s growth,\u201d "
            "Ada Brandt, the former mayor of Dover, proclaimed to a cheering crowd on Tuesday.",
            'The plan is "a basket case," "a swindle" or "a trap," Omar Hale said.',
        )
    )
    assert found["the ultimate public"] == ("partial", "Ada Brandt")
    assert found["stunt the town\u2019s"] == ("partial", "Ada Brandt")
    assert found["a basket case,"] == ("partial", "Omar Hale")
    assert found["a swindle"] == ("partial", "Omar Hale")


def test_what_a_work_is_said_to_be_is_a_quotation_not_its_title():
    found = speakers(
        body(
            "The band met on Monday.",
            "Omar Hale said the band is done, adding that the album is \u201cnearly finished and ready.\u201d",
            "His new album is \u201cRiver Songs.\u201d",
        )
    )
    assert found == {"nearly finished and": ("partial", "Omar Hale")}


def test_an_appositive_whose_closing_comma_was_left_out_leaves_the_name_the_subject():
    found = speakers(
        body(
            "The board met on Monday.",
            "Ada Brandt, president and chief executive of the Harbor Restaurant Association stated, "
            "\u201cIt is not a political problem; it is a math problem.\u201d",
            "Gus Brand, a former driver for Mayor Omar Hale has written a memoir in which he reveals the "
            "\u201cboiling temper\u201d of the mayor.",
        )
    )
    assert found["It is not"] == ("direct", "Ada Brandt")
    assert found["boiling temper"] == ("partial", "Gus Brand")
    # With the comma there and a relative clause of the organization's after it, the same.
    article = process(
        body(
            'Dan Moss, a fellow at the Center for Open Markets, which studies trade, said it is "no formality."'
        )
    )
    assert [(q.kind, q.speaker.name) for q in article.quotes if q.kind == "partial"] == [
        ("partial", "Dan Moss")
    ]


def test_who_after_a_person_of_a_place_or_an_organization_stands_for_the_person():
    found = speakers(
        body(
            "The board met on Monday.",
            'The plan drew fire from Sen. Dana Moss of Florida, who remarked in a forum that it was "doomed '
            'from the start."',
            'It drew fire from Omar Hale of the Harbor Institute, who called it "a disaster for the town."',
        )
    )
    assert found["doomed from the"] == ("partial", "Dana Moss")
    assert found["a disaster for"] == ("partial", "Omar Hale")


def test_a_document_sent_by_someone_speaks_for_its_author():
    found = speakers(
        body(
            "The board met on Monday.",
            "What is more, a fundraising letter sent out by Omar Hale on Friday morning warned of the fight "
            'ahead: "We face 9 ballots in the coming month, and we need every one."',
        )
    )
    assert found["We face 9"] == ("direct", "Omar Hale")
    # Whoever obtained a document is not its author.
    sent, obtained = "the memo sent out by Omar Hale", "the memo obtained by Omar Hale"
    assert subject_before(sent, tokenize(sent, 0, len(sent))) == sent
    assert "Hale" not in subject_before(obtained, tokenize(obtained, 0, len(obtained)))


def test_a_name_and_a_verb_of_starting_after_a_quote_attribute_it():
    found = speakers(
        body(
            "The board met on Monday.",
            "\u201cWe hear that you met them in private in January,\u201d Dana Moss started.",
            "\u201cThe town came first,\u201d Hale began, \u201cand then the money.\u201d",
        )
    )
    assert found["We hear that"] == ("direct", "Dana Moss")
    assert found["and then the"] == ("direct", "Hale")


def test_the_medium_between_a_subject_and_its_verb_is_passed_over():
    found = speakers(
        body(
            "The board met on Monday.",
            'Dana Moss is backing Omar Hale and in a statement praised him for "a bold and hopeful '
            'campaign."',
        )
    )
    assert found["a bold and"] == ("partial", "Dana Moss")


@pytest.mark.parametrize("subject", ["He\u2019s", "He's", "He\u2019s also"])
def test_a_pronoun_with_a_contracted_is_before_a_cue_in_ing_is_its_subject(subject):
    article = process(
        body(
            "Omar Park spoke in the square on Monday.",
            f"{subject} predicting he will do \u201cvery, very well\u201d in the next vote.",
        )
    )
    assert [(q.kind, q.speaker.name if q.speaker else None) for q in article.quotes] == [
        ("partial", "Omar Park")
    ]
