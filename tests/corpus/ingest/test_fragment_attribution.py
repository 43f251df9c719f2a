"""Short quoted fragments inside a sentence: whose words they are, and when they are no one's."""

from __future__ import annotations

import pytest

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.extractor import _far_cue
from corpus.ingest.quotes.tokens import tokenize
from tests.corpus.ingest.articles import body, quote, said

# -- the person acting in the sentence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ('Dana Cole found "evidence" of neglect in the files.', "evidence"),
        ('Dana Cole made plain that she has "grave doubts" about the deal.', "grave doubts"),
        ('Dana Cole has made clear that she expects "attack ads" this week.', "attack ads"),
        ('Dana Cole would denounce "self-help," which surprised the board.', "self-help"),
        ('Dana Cole did not want to discuss "that man" at the hearing.', "that man"),
        ("Dana Cole didn\u2019t like the phrase \u201cgreen tape.\u201d", "green tape"),
    ],
)
def test_a_short_quote_goes_to_the_person_acting_with_any_verb_form(sentence, fragment):
    assert said(process(body(sentence)), fragment) == "Dana Cole"


@pytest.mark.parametrize(
    "sentence",
    [
        'Dana Cole would be "happy" to leave.',
        'Dana Cole could have "won" that race.',
        'Dana Cole will remain "neutral" in the race.',
    ],
)
def test_an_auxiliary_with_a_verb_of_state_describes_the_person_who_does_not_speak(sentence):
    article = process(body(sentence))
    found = quote(article, sentence.split('"')[1])
    assert found is None or found.speaker is None


# -- a relative clause's subject ---------------------------------------------------------------------------


def test_a_cue_in_a_who_clause_goes_to_the_name_before_who():
    article = process(
        body(
            'Later, Dana Cole, who has more than once called the mayor "a bully," left the hall.',
            'The board thanked Omar Park, who has openly vowed never to approve "any open-ended loans" this year.',
        )
    )
    assert (said(article, "a bully"), said(article, "any open-ended loans")) == ("Dana Cole", "Omar Park")


def test_who_as_the_object_of_another_subject_is_not_the_speaker():
    article = process(
        body('Omar Park spoke first. Then Ana Ruiz praised Dana Cole, who Park dubbed "the closer."')
    )
    assert said(article, "the closer") != "Dana Cole"


def test_who_in_a_passive_clause_is_not_the_speaker():
    article = process(body('The panel met Dana Cole, who may be savoring being labeled the "top pick" soon.'))
    found = quote(article, "top pick")
    assert found is None or found.speaker is None or found.speaker.name != "Dana Cole"


# -- names and slogans in title case -----------------------------------------------------------------------


def test_a_title_case_name_someone_uses_is_their_quote():
    article = process(
        body(
            'Within minutes, Dana Cole called Omar Park "Little Omar" several times.',
            'Omar Park repeated the slogan "Law and Order" all night.',
        )
    )
    assert (said(article, "Little Omar"), said(article, "Law and Order")) == ("Dana Cole", "Omar Park")


def test_a_title_case_name_nobody_uses_is_no_quote_however_long():
    article = process(body('The "Harbor City Summer Jazz Week" returns in June.'))
    assert quote(article, "Harbor City") is None


def test_a_show_after_its_owner_or_a_preposition_is_no_quote():
    article = process(
        body(
            'Dana Cole told WXYZ\'s "Morning Hour" that she would run.',
            'Omar Park said on "Meet the Voters" that he was ready.',
        )
    )
    assert quote(article, "Morning Hour") is None and quote(article, "Meet the Voters") is None


# -- a quotation after an attributed sentence ----------------------------------------------------------------


def test_a_quotation_after_an_attributed_partial_or_reported_sentence_goes_on_from_it():
    article = process(
        body(
            'The town "has lost its way," Dana Cole said. "We need new people in the hall."',
            'Omar Park said the board was "careful" about it. "If we touched it, they would sue."',
        )
    )
    assert (said(article, "We need new people"), said(article, "If we touched it")) == (
        "Dana Cole",
        "Omar Park",
    )


def test_a_quotation_after_an_unattributed_sentence_stays_unattributed():
    article = process(body('The town has lost its way. "We need new people in the hall."'))
    assert said(article, "We need new people") is None


def test_a_fragment_opening_its_sentence_goes_on_from_the_quote_attributed_before_it():
    article = process(
        body(
            '"We lost the vote," Dana Cole told reporters. "I think the board had more money than we did" '
            "and a better map.",
            '"The count is slow," said Omar Park, chair of the Elm County Party. "Voters will wait for the '
            'last ballot" - and then decide.',
        )
    )
    assert (said(article, "I think the board"), said(article, "Voters will wait")) == (
        "Dana Cole",
        "Omar Park",
    )


def test_a_fragment_after_a_conjunction_opening_its_sentence_goes_on_from_the_quote_before_it():
    article = process(
        body(
            '"It is not do or die," Omar Park said outside the hall. But "the party is stronger with an '
            'endorsement from its leader."',
        )
    )
    assert said(article, "the party is stronger") == "Omar Park"
    article = process(
        body(
            'Dana Cole spoke first. "We lost the vote," she said. And "the board had more money than we did."',
        )
    )
    assert said(article, "the board had more money") == "Dana Cole"


def test_a_fragment_after_a_sentence_of_narration_or_a_short_phrase_does_not_go_on_from_a_quote():
    article = process(
        body(
            '"We lost the vote," Dana Cole said. The board left early. "A town with more money than sense" '
            "was painted on the gate.",
            '"We lost the vote," Omar Park said. "Fair play" was the theme of the night.',
        )
    )
    fragments = [quote(article, "A town with more money"), quote(article, "Fair play")]
    assert [f.speaker.name if f is not None and f.speaker else None for f in fragments] == [None, None]


# -- a speech verb further back ------------------------------------------------------------------------------


def test_a_speech_verb_far_before_a_quotation_after_a_comma_attributes_it():
    article = process(
        body(
            "Dana Cole, 41, the daughter of the former mayor, said on the radio on Monday, in reply to a"
            ' caller from the east side, "Next summer, the bridge will finally open!"'
        )
    )
    assert said(article, "Next summer") == "Dana Cole"


@pytest.mark.parametrize(
    ("words", "cue"),
    [
        ("Dana Cole said on the radio on Monday, in reply to a caller from the east side,", "said"),
        ("Dana Cole said that the plan, which the council passed last year after a fight, was fine,", None),
        ("Dana Cole said on the radio on Monday; in reply a caller from the east side then,", None),
        ("Dana Cole said on the radio on Monday, after Omar Park asked about the east side bridge,", None),
    ],
)
def test_a_far_speech_verb_has_only_adverbial_phrases_after_it(words, cue):
    tokens = tokenize(words, 0, len(words))
    while tokens[-1].kind == "p":
        tokens = tokens[:-1]
    at = _far_cue(tokens)
    assert (tokens[at].low if at >= 0 else None) == cue


# -- "with" and a participle ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fragment", "speaker"),
    [
        (
            'The plan annoyed many, with Sen. Dana Cole calling it a "Chinese menu."',
            "Chinese menu",
            "Dana Cole",
        ),
        (
            'The attack sparked a debate, with Omar Park telling reporters he saw the plan as "directly'
            ' responsible" for it.',
            "directly responsible",
            "Omar Park",
        ),
        (
            'The crowd grew, with Omar Park reportedly yelling: "Get him out of here!"',
            "Get him out",
            "Omar Park",
        ),
        (
            'They used harsh words, with Dana Cole recently promising to "bomb them all."',
            "bomb them all",
            "Dana Cole",
        ),
    ],
)
def test_the_subject_of_a_participle_after_with_is_the_speaker(sentence, fragment, speaker):
    assert said(process(body(sentence)), fragment) == speaker


def test_went_on_to_say_or_call_goes_to_the_subject_of_went():
    article = process(
        body(
            'Dana Cole went on to say, "With all my being, I believe this."',
            'Omar Park went on to call the plan "a mess."',
        )
    )
    assert (said(article, "With all my"), said(article, "a mess")) == ("Dana Cole", "Omar Park")


@pytest.mark.parametrize(
    "sentence",
    [
        'Dana Cole two weeks ago said the plan was "a disaster" for the town.',
        'Dana Cole barely three weeks ago said for once that the plan was "a disaster" for the town.',
        'Dana Cole 10 days ago called the plan "a disaster" for the town.',
        'Dana Cole during a Sunday called the plan "a disaster" for the town.',
    ],
)
def test_a_span_of_time_between_the_subject_and_the_cue_is_passed_over(sentence):
    assert said(process(body("Dana Cole met the board on Monday.", sentence)), "a disaster") == "Dana Cole"


# -- what someone's claim, remark or promise says ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ('Dana Cole\'s claim that the mayor "failed the town" was false.', "failed the town"),
        ('Dana Cole\'s recent baseless assertion that "hundreds" marched was wrong.', "hundreds"),
        ('Dana Cole\'s "47 votes" comment was dismissive.', "47 votes"),
        ('Dana Cole\'s loud call for a "revolution" fills halls.', "revolution"),
        ('Dana Cole\'s broadside against "easy credit" wins few friends.', "easy credit"),
        ('Omar Park called Dana Cole\'s assertion of a "right of way" important.', "right of way"),
        ('Critics recalled her past comments on keeping "the wrong people" out.', "the wrong people"),
    ],
)
def test_words_quoted_as_what_someones_claim_or_remark_says_are_that_persons(sentence, fragment):
    article = process(body("Omar Park met Dana Cole on Monday. Ms. Cole said her plan was ready.", sentence))
    assert said(article, fragment) == "Dana Cole"


@pytest.mark.parametrize(
    "sentence",
    [
        'Following Dana Cole\'s comments, the crowd was "furious."',
        'Dana Cole\'s claim drew a "furious" response.',
        'Her campaign calls for "fresh faces" on the board.',
    ],
)
def test_a_claim_or_remark_the_quotation_does_not_complete_gives_it_no_speaker(sentence):
    article = process(body("Dana Cole met Omar Park on Monday. She spoke first.", sentence))
    found = quote(article, sentence.split('"')[1].rstrip("."))
    assert found is None or found.speaker is None or found.speaker.name != "Dana Cole"


def test_then_opening_a_sentence_before_a_pronoun_is_no_subject():
    article = process(
        body(
            "Ms. Dana Cole met the board on Monday.",
            'Then she cut into the plan, calling it a "slow disaster" and the budget "a fantasy."',
        )
    )
    assert (said(article, "slow disaster"), said(article, "a fantasy")) == ("Dana Cole", "Dana Cole")


def test_when_asked_after_a_quotation_names_no_one_and_leaves_the_attribution_before_it():
    article = process(
        body('Dana Cole had previously said, "We will see," when asked whether she would run again.')
    )
    assert said(article, "We will see") == "Dana Cole"


@pytest.mark.parametrize(
    "sentence",
    [
        'Dana Cole, the author of "Going Local," said the days of "one shared story" are gone.',
        'Dana Cole, the author of "Going Local," about small papers, said the days of "one shared story" '
        "are gone.",
    ],
)
def test_a_title_closing_an_appositive_on_its_comma_leaves_the_name_before_it_the_subject(sentence):
    assert said(process(body(sentence)), "one shared story") == "Dana Cole"


def test_a_quotation_closed_on_its_comma_before_said_is_no_appositive():
    article = process(
        body('The crowd booed. ("We do not want a brawl," said one party activist.)', "The vote went on.")
    )
    assert said(article, "We do not want a brawl") == "the activist"
