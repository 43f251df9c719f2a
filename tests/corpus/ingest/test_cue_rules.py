"""Attribution by cue shapes beyond "said": signature lines, verbs of writing and judging, modal and
relative-clause subjects, and the sentence before a quote (invented sentences)."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from tests.corpus.ingest.articles import body


def speakers(text: str) -> dict[str, tuple[str, str | None]]:
    """Each quotation's first words -> (kind, speaker name); reported speech left out."""
    article = process(text)
    return {
        " ".join(article.text[q.start : q.end].split()[:3]): (q.kind, q.speaker.name if q.speaker else None)
        for q in article.quotes
        if q.kind != "indirect"
    }


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
            "\u201cWe can win this on Tuesday,\u201d said Lind as she closed out the rally.",
            "\u201cThere never was an order,\u201d said the base chief known as Bob.",
        )
    )
    assert found == {"We can win": ("direct", "Ada Lind"), "There never was": ("direct", "Bob")}


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
            "Some in the crowd booed, and when Ada Lind thanked Dayton and said it was great to be home, "
            "a man yelled \u201cStay there!\u201d"
        )
    )
    quotes = {q.kind: article.text[q.start : q.end] for q in article.quotes}
    assert quotes == {"indirect": "it was great to be home", "direct": "Stay there!"}


def test_the_acting_subject_is_read_past_a_relative_clause_a_reflexive_and_an_opening_participle():
    found = speakers(
        body(
            "Tom Reyes, who has postured himself as the \u201cvoice of reason,\u201d took the stage.",
            "Omar Diaz, who was elected in the wave of 2010, casts Tom Reyes as a man who would "
            "\u201cunravel\u201d the plan.",
            "Ada Lind herself acknowledged on Monday \u201cit will be very hard for us to win\u201d now.",
            "Flanked at the lectern by the sheriff, Dana Cole launched into a lament for the "
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
