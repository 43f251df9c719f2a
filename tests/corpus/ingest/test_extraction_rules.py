"""Extraction rules on invented sentences: which quotations are found, of which kind, and which words of
the sentence attribute them (cue verbs, appositives, colons, name forms)."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.marks import find_pairs
from corpus.ingest.types import ProcessedArticle
from tests.corpus.ingest.articles import body


def quotes_at(article: ProcessedArticle, text: str) -> list[tuple[str, str | None]]:
    """(kind, speaker) of every quote whose span holds ``text``, in order."""
    return [
        (q.kind, q.speaker.name if q.speaker else None)
        for q in article.quotes
        if text in article.text[q.start : q.end]
    ]


# -- a direct quotation is not also reported speech ------------------------------------------------------------


def test_reported_speech_stops_before_a_quotation_its_cue_word_introduces():
    article = process(
        body(
            'Ada Lind tweeted thanks to the volunteers, adding "to all of you who knocked on doors: thank you!"'
        )
    )
    assert quotes_at(article, "knocked on doors") == [("direct", "Ada Lind")]


def test_a_quotation_that_is_all_a_cue_reports_is_direct_only():
    article = process(
        body(
            "Omar Park spoke to the farmers.",
            'Asked about the vote, Park said "We never counted on their support in the first place," he said.',
        )
    )
    assert quotes_at(article, "We never counted") == [("direct", "Omar Park")]


# -- attribution after the quote -------------------------------------------------------------------------------


def test_a_verb_joined_by_and_after_a_quote_is_not_its_attribution():
    article = process(body('Ada Lind cheered "What a night for this city!" and said the count would go on.'))
    assert quotes_at(article, "What a night") == [("direct", "Ada Lind")]


def test_a_work_word_before_the_cue_does_not_make_the_quote_a_title():
    article = process(
        body(
            'Holding open a book, Omar Park said, "I only wish to learn whether you have met this man."',
            'Dana Cole called the show "the most serious news program on the air."',
            'She starred in the show "Late Nights."',
        )
    )
    assert quotes_at(article, "I only wish") == [("direct", "Omar Park")]
    assert quotes_at(article, "most serious news") == [("partial", "Dana Cole")]
    assert quotes_at(article, "Late Nights") == []


# -- name forms -------------------------------------------------------------------------------------------------


def test_a_party_tag_without_a_state_is_passed_over():
    article = process(
        body(
            "Governor Phil Brant spoke on Monday.",
            'Gov. Phil Brant (R) said he predicts a "swift challenge" of the ruling.',
        )
    )
    assert ("partial", "Phil Brant") in quotes_at(article, "swift challenge")


def test_however_between_a_name_and_its_verb_is_passed_over():
    article = process(
        body(
            "Defense Secretary Ash Cotter spoke in Lisbon.",
            'Cotter however said he would support a "shared harbor patrol" for the coast.',
        )
    )
    assert ("partial", "Ash Cotter") in quotes_at(article, "shared harbor")


# -- appositives and colon introductions ------------------------------------------------------------------------


def test_a_participle_after_a_trailing_attribution_takes_its_speaker():
    article = process(
        body(
            'Ada Lind and Omar Park will meet next week, Dana Cole said, adding, "They ought to meet face to face."',
            'Omar Park left early, said Ben Ortiz, a longtime friend, adding, "He was not feeling well."',
        )
    )
    assert quotes_at(article, "They ought to meet") == [("direct", "Dana Cole")]
    assert quotes_at(article, "He was not feeling") == [("direct", "Ben Ortiz")]


def test_a_weekday_after_later_is_passed_over_before_the_verb():
    article = process(body('Ben Ortiz later Thursday told reporters: "Both of them are meeting next week."'))
    assert quotes_at(article, "Both of them") == [("direct", "Ben Ortiz")]


def test_a_name_after_a_dash_introduces_the_quote_after_its_colon():
    article = process(
        body(
            'Late polls caught the shift - Dana Cole: "Keep knocking on doors until the last hour."',
            'According to Ben Ortiz: "The count is not over yet, and nobody should say it is."',
        )
    )
    assert quotes_at(article, "Keep knocking on") == [("direct", "Dana Cole")]
    assert quotes_at(article, "The count is not over") == [("direct", "Ben Ortiz")]


def test_a_participle_after_a_trailing_attribution_carries_its_speaker_to_partial_quotes():
    article = process(
        body('Ada Lind will run again, Dana Cole said, calling the plan "a waste of everyone\'s time."')
    )
    assert quotes_at(article, "a waste of") == [("partial", "Dana Cole")]


def test_a_party_tag_inside_a_name_with_an_appositive_is_no_part_of_the_name():
    article = process(
        body(
            'But Sen. Omar Park (D-Ill.), pointing at the long line, said, "Believe me, this is a movement."'
        )
    )
    assert quotes_at(article, "Believe me, this") == [("direct", "Omar Park")]


def test_a_full_name_of_a_town_is_the_person():
    article = process(body('"I know her father slightly," said Dana Cole of Cheyenne.'))
    assert quotes_at(article, "I know her father") == [("direct", "Dana Cole")]


def test_a_long_appositive_between_the_name_and_the_verb_after_a_quote():
    article = process(
        body(
            '"They count on us to know that," Dana Cole, the Democratic chair of the Harbor County party'
            " office, said of the visitors."
        )
    )
    assert quotes_at(article, "They count on us") == [("direct", "Dana Cole")]


def test_a_connective_before_a_quote_does_not_make_it_a_fragment():
    article = process(
        body('Yet, "it is tough to prove one caused the other," added Omar Park, a former adviser.')
    )
    assert quotes_at(article, "it is tough") == [("direct", "Omar Park")]


def test_a_name_of_a_town_after_role_words_is_the_person():
    article = process(body('"I do not know where he stands," said undecided voter Dana Cole of Derry.'))
    assert quotes_at(article, "I do not know") == [("direct", "Dana Cole")]


# -- cue verbs ----------------------------------------------------------------------------------------------------


def test_more_verbs_attribute_a_quote_before_or_after_it():
    article = process(
        body(
            '"Compare that to the other side. Compare him to the mayor," Omar Park urged.',
            '"Would it be negotiable?" Dana Cole pressed.',
            '"This is fantastic!" beamed Ada Lind of Madison, Alabama, who came early.',
        )
    )
    assert quotes_at(article, "Compare that") == [("direct", "Omar Park")]
    assert quotes_at(article, "Would it be") == [("direct", "Dana Cole")]
    assert quotes_at(article, "This is fantastic") == [("direct", "Ada Lind")]


def test_a_verb_with_its_particle_is_a_cue():
    article = process(
        body(
            'After the debate, Ada Lind shot back, "I suppose I could have stayed home."',
            '"Well, such things occur, no?" Omar Park went on.',
            'As Dana Cole put it, "Hello, it is the new mayor."',
        )
    )
    assert quotes_at(article, "I suppose") == [("direct", "Ada Lind")]
    assert quotes_at(article, "Well, such things") == [("direct", "Omar Park")]
    assert quotes_at(article, "Hello, it is") == [("direct", "Dana Cole")]


def test_a_particle_verb_inside_the_sentence_before_a_quote_is_no_cue():
    article = process(
        body('Omar Park said that once the council goes on break, "I plan to get through as much as I can."')
    )
    assert quotes_at(article, "I plan to get") == [("direct", "Omar Park")]


def test_a_name_with_age_place_and_relative_clause_before_the_verb_after_a_quote():
    article = process(
        body(
            '"Both of them worry me," Omar Park, 44, of Dayton, Ohio, who was among those surveyed, said Monday.'
        )
    )
    assert quotes_at(article, "Both of them worry") == [("direct", "Omar Park")]


def test_a_full_name_of_a_delegation_and_a_party_letter_leave_the_person():
    article = process(
        body(
            '"There is just a passion for him," said Omar Park of the New York delegation.',
            '"He is obviously struggling," said former governor Ben Ortiz (D), a Clinton supporter.',
        )
    )
    assert quotes_at(article, "There is just") == [("direct", "Omar Park")]
    assert quotes_at(article, "He is obviously") == [("direct", "Ben Ortiz")]


# -- a quotation interrupted by its attribution --------------------------------------------------------------------


def test_a_quotation_resumed_after_its_attribution_is_direct():
    article = process(
        body(
            '"These folks are good with words," said Omar Park, speaking of lawyers, "and leave'
            ' themselves room to move."',
            '"The risk," says Dana Cole, an economist at the state university, "is that prices rise first."',
        )
    )
    assert quotes_at(article, "and leave themselves") == [("direct", "Omar Park")]
    assert quotes_at(article, "is that prices") == [("direct", "Dana Cole")]


def test_a_fragment_after_a_quote_that_did_not_break_off_on_a_comma_stays_partial():
    article = process(
        body(
            'Ada Lind praised the record, "the best decade the port has had" and pledged, because in her'
            ' words, "he can get it done."'
        )
    )
    assert [kind for kind, _ in quotes_at(article, "he can get")] == ["partial"]


# -- quotation marks typed the wrong way round -------------------------------------------------------------------


def test_an_opening_mark_typed_to_close_a_quote_closes_it():
    article = process(
        body(
            "Omar Park was shocked. \u201cDo you want to be associated with that?\u201c he asked.",
            "\u201cIt is unusual,\u201c said Dana Cole, a lawyer. \u201cIt is a hard thing to do.\u201d",
        )
    )
    assert quotes_at(article, "Do you want") == [("direct", "Omar Park")]
    assert quotes_at(article, "It is unusual") == [("direct", "Dana Cole")]


def test_a_closing_mark_after_an_invisible_direction_mark_opens_a_quote():
    article = process(body("\u202a\u201dSorry, you should have said it better!\u201d posted Ada Lind."))
    assert quotes_at(article, "Sorry, you should") == [("direct", "Ada Lind")]


def test_a_closing_mark_typed_to_open_a_quote_after_a_cue_or_at_a_paragraph_start_opens_it():
    article = process(
        body(
            "Omar Park spoke to the farmers.",
            "He said,\u201d there are many people nobody ever listens to.\u201d",
            "\u201d \u2026 if the board can meet in March, then surely it can meet in May,\u201d the letter read.",
        )
    )
    assert quotes_at(article, "nobody ever listens") == [("direct", "Omar Park")]
    assert [kind for kind, _ in quotes_at(article, "surely it can meet")] == ["direct"]


def test_a_stray_closing_mark_before_an_opening_one_opens_nothing():
    text = "The vote was close,\u201d and then \u201cwe won it fairly,\u201d Ada Lind said."
    assert [(p.open, p.close) for p in find_pairs(text)] == [
        (text.index("\u201cwe"), text.index("\u201d Ada"))
    ]


def test_a_party_label_and_a_role_before_a_name_open_the_subject():
    article = process(
        body(
            "In response to the attack, Republican presidential nominee Omar Park issued the following"
            " statement:",
            '"Our thoughts are with every family hurt. This must stop."',
            'Democratic presidential candidate Dana Cole is questioning whether the vote was "fair at all."',
        )
    )
    assert quotes_at(article, "Our thoughts") == [("direct", "Omar Park")]
    assert quotes_at(article, "fair at all") == [("partial", "Dana Cole")]


def test_an_exclamation_before_a_name_with_an_appositive_and_its_verb_does_not_end_the_sentence():
    article = process(
        body('"Not us, but we cannot argue with it!" Ada Lind, the head of the fund, tweeted on Friday.')
    )
    assert quotes_at(article, "Not us") == [("direct", "Ada Lind")]


def test_who_before_a_cue_is_the_name_before_it():
    article = process(
        body('Dana Cole won the backing of Omar Park, who declared in the spin room, "It is time to unite."')
    )
    assert quotes_at(article, "It is time") == [("direct", "Omar Park")]


def test_a_work_word_followed_by_that_names_no_work_before_the_quotation():
    article = process(
        body(
            "Omar Park came to the square with his partner.",
            'He came because he wanted to show that "nobody can scare us away from the square."',
            "He writes in his column that the \u201cplan is simply and completely a failure.\u201d",
        )
    )
    assert [kind for kind, _ in quotes_at(article, "nobody can scare")] == ["partial"]
    assert [kind for kind, _ in quotes_at(article, "simply and completely")] == ["partial"]


def test_an_organization_after_an_opening_phrase_introduces_the_quotation_after_its_colon():
    article = process(
        body(
            "The vote was held in May.",
            "As if speaking to the mayor, the Harbor Election Board was clear in its findings: \u201cFurther"
            " talk of this is not needed.\u201d",
            "In the end, the harbor bill was short: \u201cNo ship may dock after dark.\u201d",
        )
    )
    assert [speaker for _, speaker in quotes_at(article, "Further talk")] == ["Harbor Election Board"]
    assert quotes_at(article, "No ship may dock") == [("direct", None)]
