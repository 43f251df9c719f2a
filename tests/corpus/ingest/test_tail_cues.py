"""Cue verbs of the long tail, quotation marks run on into the next sentence, nicknames inside a name,
an organization and a title before a name, and quoted fragments before one passive agent (invented
sentences)."""

from __future__ import annotations

import pytest

from corpus.ingest.quotes import find_pairs, mask, split_sentences
from tests.corpus.ingest.articles import body
from tests.corpus.ingest.articles import first_words as speakers


@pytest.mark.parametrize("verb", ["riffed", "retaliated", "related", "echoed"])
def test_rarer_verbs_of_saying_attribute_a_quote_after_it(verb):
    found = speakers(
        body(
            "Ada Lind spoke first at the hall.",
            f"\u201cThe bridge has waited long enough for a vote,\u201d Omar Diaz {verb}.",
        )
    )
    assert found == {"The bridge has": ("direct", "Omar Diaz")}


def test_echoed_before_a_colon_introduces_the_quote():
    found = speakers(
        body(
            "Ada Lind spoke first at the hall.",
            "Retired welder Omar Diaz echoed:",
            "\u201cThe bridge has waited long enough for a vote, and we all know it.\u201d",
        )
    )
    assert found == {"The bridge has": ("direct", "Omar Diaz")}


def test_quoted_fragments_joined_before_one_passive_agent_are_all_the_agents():
    found = speakers(
        body(
            "The bridge plan was labeled \u201ca swindle\u201d and \u201ca trap for the poor\u201d by Dana Moss.",
            "The levy was called \u201cunfair,\u201d \u201creckless\u201d or \u201ca joke\u201d by Omar Diaz.",
        )
    )
    assert found == {
        "a swindle": ("partial", "Dana Moss"),
        "a trap for": ("partial", "Dana Moss"),
        "unfair,": ("partial", "Omar Diaz"),
        "reckless": ("partial", "Omar Diaz"),
        "a joke": ("partial", "Omar Diaz"),
    }


def _sentences(text):
    return [text[a:b].strip() for a, b in split_sentences(mask(text, find_pairs(text)))]


@pytest.mark.parametrize(
    "text, first",
    [
        ("\u201cWe want the bridge back \u2013 so do voters!\u201dAfter the rally Omar Diaz went home.", 0),
        ("Ada Lind had trouble with the council.\u201cWe got nothing from them at all.\u201d", 1),
        ('Ada Lind had trouble with the council."We got nothing from them at all."', 1),
    ],
)
def test_a_quotation_mark_with_no_space_after_a_full_stop_ends_the_sentence(text, first):
    sentences = _sentences(text)
    assert len(sentences) == 2
    assert sentences[first].startswith(("\u201c", '"'))


def test_a_quote_run_on_into_the_next_sentence_keeps_its_speaker():
    found = speakers(
        body(
            "\u201cThe bridge has waited long enough,\u201d Omar Diaz said on Monday. "
            "\u201cI love this town!\u201dAfter the rally former mayor Ada Lind went home."
        )
    )
    assert found == {"The bridge has": ("direct", "Omar Diaz"), "I love this": ("direct", "Omar Diaz")}


def test_a_question_mark_run_on_into_a_cue_still_attributes_the_quote():
    found = speakers(
        body("Ada Lind spoke first. \u201cWhy now, after all these years?\u201dOmar Diaz asked.")
    )
    assert found == {"Why now, after": ("direct", "Omar Diaz")}


def test_an_organization_and_a_title_before_a_name_give_the_person():
    found = speakers(
        body(
            "The Harbor Council on Civic Relations National Executive Director Omar Diaz said "
            "\u201cthe bridge has waited long enough for a vote.\u201d"
        )
    )
    assert found == {"the bridge has": ("direct", "Omar Diaz")}


def test_a_nickname_inside_a_name_is_no_quote_and_one_person():
    found = speakers(
        body(
            'Retired welder Juan "Chico" Manriquez said the bridge "has waited long enough for a vote."',
            "\u201cThe toll is too high for the families here,\u201d said Ada \u201cBee\u201d Lind, a nurse.",
        )
    )
    assert found == {
        "has waited long": ("partial", "Juan Manriquez"),
        "The toll is": ("direct", "Ada Lind"),
    }


@pytest.mark.parametrize(
    "subject, name", [("the two write", "the two"), ("the Harborites state", "the Harborites")]
)
def test_a_present_cue_after_a_plural_of_people_attributes_the_quote_before_it(subject, name):
    found = speakers(
        body(
            "Ada Lind and Omar Diaz sent a letter to the council on Monday.",
            f"\u201cWe do not understand the need for another delay on the bridge,\u201d {subject} in the letter.",
        )
    )
    assert found == {"We do not": ("direct", name)}
