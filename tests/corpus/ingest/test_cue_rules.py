"""Attribution by cue shapes beyond "said": signature lines, verbs of writing and judging, modal and
relative-clause subjects, and the sentence before a quote (invented sentences)."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from tests.corpus.ingest.articles import body
from tests.corpus.ingest.articles import first_words as speakers


def test_a_signature_line_under_a_quote_names_its_speaker():
    found = speakers(
        body(
            '"We need the plant back. Every one of us does."',
            "- Maria Lopez.",
            '"Taxes are too high for the families here."',
            "\u2014Tom Reyes, Dayton.",
        )
    )
    assert found == {
        "We need the": ("direct", "Maria Lopez"),
        "Taxes are too": ("direct", "Tom Reyes"),
    }


def test_a_dash_line_that_is_a_sentence_names_no_one():
    found = speakers(
        body('"We need the plant back. Every one of us does."', "- The vote was held on Monday.")
    )
    assert found == {"We need the": ("direct", None)}


def test_a_quote_after_a_sentence_about_a_person_is_that_persons():
    found = speakers(
        body(
            "Dana Cole praised the plan and its leader. "
            '"We need someone who cuts through the noise and brings people together."',
            "Tom Reyes continued his remarks.",
            '"Eight years ago it was different. Now nobody listens to the council."',
        )
    )
    assert found == {
        "We need someone": ("direct", "Dana Cole"),
        "Eight years ago": ("direct", "Tom Reyes"),
    }


def test_a_quote_after_a_sentence_about_no_person_stays_unattributed():
    found = speakers(
        body(
            "Dana Cole arrived late.",
            "The crowd booed the speaker loudly.",
            '"Not again, not this year, not with these people."',
        )
    )
    assert found == {"Not again, not": ("direct", None)}


def test_the_subject_of_a_modal_or_an_irregular_past_is_who_a_partial_quote_is_from():
    found = speakers(
        body(
            "Mayor Lena Moreau would not comment on an order \u201cto protect workers\u201d in the city.",
            "Councillor Paul Okoro thought the fuss was a tribute to \u201cthe skills of her husband.\u201d",
            "Tom Reyes did post on the forum that his words were \u201csarcasm\u201d after all.",
        )
    )
    assert found == {
        "to protect workers": ("partial", "Lena Moreau"),
        "the skills of": ("partial", "Paul Okoro"),
        "sarcasm": ("partial", "Tom Reyes"),
    }


def test_a_modal_before_a_state_or_a_contracted_pronoun_as_subject_gives_no_speaker():
    found = speakers(
        body(
            "Tom Reyes would be \u201cthe best choice\u201d for the board.",
            "We\u2019ve seen this sort of \u201ccover-up in plain sight\u201d before.",
        )
    )
    assert found == {"cover-up in plain": ("partial", None)}


def test_a_relative_who_before_a_cue_is_the_person_named_before_it():
    found = speakers(
        body(
            "Ada Lind attacked Omar Diaz, who has called the pact \u201cinsanity,\u201d on Monday.",
            "It was Ada Lind who pressed for a \u201cgrand bargain\u201d in 2011.",
        )
    )
    assert found == {
        "insanity,": ("partial", "Omar Diaz"),
        "grand bargain": ("partial", "Ada Lind"),
    }


def test_a_second_verb_after_and_shares_the_subject_of_its_own_clause():
    found = speakers(
        body(
            "There were sharper attacks, such as when Ada Lind faulted Omar Diaz on taxes and called "
            "him a \u201cmoderate,\u201d a dig at him.",
            "Ada Lind slammed the shift as a late conversion and accused Omar Diaz of a \u201cflip-flop.\u201d",
        )
    )
    assert found == {"moderate,": ("partial", "Ada Lind"), "flip-flop.": ("partial", "Ada Lind")}


def test_the_subject_acting_in_a_partial_quotes_sentence_is_read_past_its_appositive_and_a_title():
    found = speakers(
        body(
            "Dan Cole, the lawyer for the family, argues that the court was \u201cfar too slow\u201d in it.",
            "Paul Okoro thought the \u201cVoters First\u201d buzz was a tribute to \u201cthe skills of her husband.\u201d",
        )
    )
    assert found == {
        "far too slow": ("partial", "Dan Cole"),
        "the skills of": ("partial", "Paul Okoro"),
    }


def test_a_person_acting_as_subject_introduces_a_quotation_after_a_comma():
    found = speakers(
        body(
            "After the vote, Tom Reyes wrote to his 20,000 online followers, "
            "\u201cIt is time to end this for good,\u201d and shared a link.",
            "Earlier this week, Ada Lind shared a bit of her worry with an audience in Salem, "
            "\u201cI do not know which Tom Reyes will show up.\u201d",
            "In 2010, \u201cNobody knew what would come of the plan.\u201d",
        )
    )
    assert found == {
        "It is time": ("direct", "Tom Reyes"),
        "I do not": ("direct", "Ada Lind"),
        "Nobody knew what": ("direct", None),
    }


def test_a_clause_after_the_name_that_follows_a_cue_is_no_part_of_the_name():
    found = speakers(
        body(
            "Ada Lind spoke first at the rally.",
            "\u201cWe can win this on Tuesday,\u201d said Lind as she wrapped up the rally.",
            "\u201cNo such memo ever existed,\u201d said the night clerk known as Bob.",
        )
    )
    assert found == {"We can win": ("direct", "Ada Lind"), "No such memo": ("direct", "Bob")}


def test_verbs_that_carry_a_fragment_count_in_every_inflection():
    found = speakers(
        body(
            "The talks ended after Ada Lind accuses Omar Diaz of \u201cplaying games with the budget\u201d again.",
            "The plan stalled after Dana Cole blamed the delay on \u201cthe council\u2019s endless meetings.\u201d",
        )
    )
    assert found == {
        "playing games with": ("partial", "Ada Lind"),
        "the council\u2019s endless": ("partial", "Dana Cole"),
    }


def test_remembered_attributes_a_quote():
    found = speakers(
        body(
            "Dana Cole took the chair in 2001.",
            "\u201cAn awful lot of people said no, and she proved them wrong,\u201d remembered Omar Diaz, "
            "her former spokesman.",
        )
    )
    assert found == {"An awful lot": ("direct", "Omar Diaz")}


def test_reported_speech_stops_before_the_clause_that_introduces_a_quotation():
    article = process(
        body(
            "A few in the hall jeered, and when Ada Lind thanked Dayton and said it felt good to be back, "
            "a man yelled \u201cStay there!\u201d"
        )
    )
    quotes = {q.kind: article.text[q.start : q.end] for q in article.quotes}
    assert quotes == {"indirect": "it felt good to be back", "direct": "Stay there!"}


def test_the_acting_subject_is_read_past_a_relative_clause_a_reflexive_and_an_opening_participle():
    found = speakers(
        body(
            "Tom Reyes, who has styled himself as the \u201cvoice of reason,\u201d took the stage.",
            "Omar Diaz, who first won a seat in 2012, paints Tom Reyes as a man who would "
            "\u201cunravel\u201d the plan.",
            "Ada Lind herself acknowledged on Monday \u201cit will be a steep climb for us\u201d now.",
            "Joined on the stage by the sheriff, Dana Cole launched into a tribute to the "
            "\u201ccountless families\u201d here.",
        )
    )
    assert found == {
        "voice of reason,": ("partial", "Tom Reyes"),
        "unravel": ("partial", "Omar Diaz"),
        "it will be": ("partial", "Ada Lind"),
        "countless families": ("partial", "Dana Cole"),
    }


def test_a_participle_opening_a_sentence_goes_on_with_the_person_just_quoted():
    found = speakers(
        body(
            "Ada Voss called the audit \u201cnot good enough.\u201d Adding, \u201cWe will redo every page.\u201d",
            "Ben Okafor spoke next. Adding, \u201cThe council will vote in May.\u201d",
        )
    )
    assert found["We will redo"] == ("direct", "Ada Voss")
    # Nobody is quoted before the second participle in its paragraph: it goes to no one, not to the
    # person of the paragraph before nor to a person named "Adding".
    assert found["The council will"] == ("direct", None)


def test_the_subject_before_an_appositive_is_not_a_name_inside_it():
    found = speakers(
        body(
            "Dana Cole, a 55-year-old welder from Dayton, Ohio, says the mayor will \u201cleave here with "
            "momentum.\u201d",
            "Ed Stone, who lives in a village outside the state capital, Salem, said he still \u201chopes the "
            "plant reopens.\u201d",
            "Ann Reyes, a pollster who works with Harbor Group, a research firm, said voters were \u201ctired "
            "of waiting.\u201d",
            "Tom Ruiz, director of the Harbor Fund, the city\u2019s largest charity, said it would act only "
            "if \u201cthe council asks.\u201d",
        )
    )
    assert found == {
        "leave here with": ("partial", "Dana Cole"),
        "hopes the plant": ("partial", "Ed Stone"),
        "tired of waiting.": ("partial", "Ann Reyes"),
        "the council asks.": ("partial", "Tom Ruiz"),
    }


def test_a_person_of_a_town_and_state_or_of_a_named_body_is_the_person():
    found = speakers(
        body(
            "Lena Park of Millbrook, Vermont says she thinks Cole can win if he sticks to \u201cdoing what "
            "he does.\u201d",
            "Tom Reyes of The Harbor Ledger wrote, \u201cIf you care, you have to show it every single day.\u201d",
        )
    )
    assert found == {"doing what he": ("partial", "Lena Park"), "If you care,": ("direct", "Tom Reyes")}


def test_a_clause_opened_by_when_after_a_quote_is_no_attribution():
    found = speakers(
        body(
            "Dan Ross hosted the forum.",
            "Ann Cole had previously said, \u201cWe will see,\u201d when asked whether she would raise money.",
        )
    )
    assert found == {"We will see,": ("direct", "Ann Cole")}


def test_a_plural_noun_before_a_quote_is_no_cue():
    found = speakers(
        body(
            "Tom Reyes called the claim over her recovered emails \u201csignificant and disturbing.\u201d",
        )
    )
    assert found == {"significant and disturbing.": ("partial", "Tom Reyes")}


def test_a_name_after_a_comma_and_an_inverted_cue_is_the_speaker_not_reported_content():
    found = speakers(
        body(
            "Couple the exposure with a \u201ccandidate who is a lightning rod\u201d and people get nervous, "
            "said Ann Link, director of the Ohio Civil Liberties Union.",
        )
    )
    assert found == {"candidate who is": ("partial", "Ann Link")}


def test_a_cue_and_its_subject_between_commas_attribute_the_sentence_around_them():
    found = speakers(
        body(
            "Ann Lee spoke first.",
            "The council, said Lee, was \u201cout of touch with all of us.\u201d",
            "Putting the show together, Tom Butz said, allowed him to \u201cget in touch with himself,\u201d too.",
            "The network, Omar Diaz said, called the news \u201chighly significant.\u201d",
        )
    )
    assert found == {
        "out of touch": ("partial", "Ann Lee"),
        "get in touch": ("partial", "Tom Butz"),
        "highly significant.": ("partial", "Omar Diaz"),
    }


def test_a_cue_that_opens_the_sentence_before_its_subject_attributes_the_quote():
    found = speakers(
        body(
            "Dana Cole said the boss was kind.",
            "But, said Cole, \u201cI have no wish to pick a quarrel with him.\u201d",
            "The old gym became a museum. Said Dora Pell, who trained with the boxer as a girl in the "
            "neighborhood, \u201cEvery one of us looked up to him.\u201d",
            "Tom Reyes spoke.",
            "Asked which bakery was his favorite, he demurred: \u201cThe one whose bread I am holding.\u201d",
        )
    )
    assert found == {
        "I have no": ("direct", "Dana Cole"),
        "Every one of": ("direct", "Dora Pell"),
        "The one whose": ("direct", "Tom Reyes"),
    }


def test_the_subject_after_a_cue_that_follows_an_opening_phrase_is_the_speaker():
    found = speakers(
        body(
            "Dan Ross hosted the debate.",
            "Put simply, explained moderator Nina Cole: \u201cHow is that connected to large "
            "donations?\u201d",
        )
    )
    assert found == {"How is that": ("direct", "Nina Cole")}


def test_a_participle_after_an_article_is_an_adjective_and_an_opening_adverb_no_subject():
    found = speakers(
        body(
            "Dan Ross spoke.",
            "And last spring, while covering the Millbrook marches, Dana Rivera calls a shouting Ross a "
            "\u201cfascist\u201d on camera.",
            "First, Tom Reyes attacked Ross for being a \u201cfailed candidate.\u201d",
        )
    )
    assert found == {"fascist": ("partial", "Dana Rivera"), "failed candidate.": ("partial", "Tom Reyes")}


def test_the_agent_of_a_passive_verb_of_naming_or_asking_is_who_the_words_are_from():
    found = speakers(
        body(
            "The meeting looked at a third party, a plan seen by volunteers as a \u201csafety net\u201d now.",
            "The inquiry has been called \u201cstrategic ambiguity\u201d by Dana Cole, a professor at Salem.",
            "Lee was asked by moderator Ann Cole whether the plan would risk \u201cadding another costly "
            "program\u201d to the budget.",
            "It was handled with \u201cextreme carelessness\u201d \u2013 as described by agency head Tom Reyes "
            "\u2013 in the end.",
        )
    )
    assert found == {
        "safety net": ("partial", "volunteers"),
        "strategic ambiguity": ("partial", "Dana Cole"),
        "adding another costly": ("partial", "Ann Cole"),
        "extreme carelessness": ("partial", "Tom Reyes"),
    }


def test_a_passive_verb_in_an_appositive_gives_way_to_the_cue_after_it():
    found = speakers(
        body(
            "Ann Cole, named by the Ledger, told a radio host that \u201cyou have to look at it "
            "seriously.\u201d",
        )
    )
    assert found == {"you have to": ("partial", "Ann Cole")}


def test_a_count_word_alone_is_no_person_but_the_group_it_counts():
    article = process(
        body(
            "Hundreds of pro-Lee marchers crossed the city on Monday, chanting \u201cLee or bust,\u201d "
            "raising fresh questions about the vote.",
        )
    )
    (quote,) = [q for q in article.quotes if q.kind != "indirect"]
    assert (quote.kind, quote.speaker.name, quote.speaker.kind) == (
        "partial",
        "hundreds of pro-Lee marchers",
        "group",
    )


def test_a_full_stop_inside_the_marks_before_a_bare_attribution_does_not_end_the_sentence():
    found = speakers(
        body("Dan Ross spoke.", "\u201cIf you are listening, find the missing files.\u201d Ann Cole said.")
    )
    assert found == {"If you are": ("direct", "Ann Cole")}
    # A sentence that goes on after its cue is one of its own: its reported speech is not the quote's.
    article = process(body("\u201cWe won.\u201d Ann Cole said the crowd was big."))
    assert [(q.kind, article.text[q.start : q.end]) for q in article.quotes] == [
        ("direct", "We won."),
        ("indirect", "the crowd was big"),
    ]


def test_the_one_heard_speaking_after_a_quote_is_its_speaker():
    found = speakers(
        body(
            "Dan Ross spoke after the event.",
            "\u201cIs the ferry running tonight?\u201d a reporter can be heard asking Ross.",
            "\u201cStop it now!\u201d Ann Cole was heard shouting from the back.",
        )
    )
    assert found == {"Is the ferry": ("direct", "the reporter"), "Stop it now!": ("direct", "Ann Cole")}
