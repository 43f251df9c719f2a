"""Who "he", "she" and a description stand for, on invented sentences in the shapes of real political news.

The candidates are the people an article names as subjects; gender comes from the article's own evidence.
"""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.pronouns import FEMALE, PersonMentions
from corpus.ingest.types import ProcessedArticle


def said(article: ProcessedArticle, text: str) -> str | None:
    """The speaker's canonical name of the quote whose text starts with ``text``."""
    quote = next(q for q in article.quotes if article.text[q.start : q.end].startswith(text))
    return quote.speaker.name if quote.speaker else None


def body(*paragraphs: str) -> str:
    return "Headline for the test article\n" + "\n".join(paragraphs)


def mentions_of(text: str) -> PersonMentions:
    return PersonMentions.of_text(text, [(0, len(text))])


# -- gender evidence ----------------------------------------------------------------------------------------


def test_a_capitalized_word_between_a_name_and_its_pronoun_does_not_cut_the_vote():
    mentions = mentions_of("Nora Quill spoke during Tuesday's hearing, when she asked for a recount.")
    assert mentions.gender_of("quill") == FEMALE


def test_a_plural_possessive_is_not_a_subject():
    mentions = mentions_of("Lee Park rejected Omar Sanders' plan. Then Sanders\u2019 aide left.")
    assert [m.name for m in mentions.mentions] == ["Lee Park"]


# -- which names are subjects -------------------------------------------------------------------------------


def test_a_name_after_a_preposition_opening_the_sentence_is_not_a_subject():
    mentions = mentions_of("Of Omar Diaz, Rita Vance said little.")
    assert [m.name for m in mentions.mentions] == ["Rita Vance"]


def test_a_titled_name_governed_by_a_preposition_or_a_verb_is_not_a_subject():
    mentions = mentions_of(
        "Lee Park faced attacks from Senator Omar Diaz. Park has used real estate developer Ivo Brand in ads."
    )
    assert [m.name for m in mentions.mentions] == ["Lee Park", "Lee Park"]


def test_a_relative_named_after_a_possessive_is_not_a_subject():
    text = "Sandy Reed, who lost her daughter Jessie Moss in the fire, spoke first."
    mentions = mentions_of(text)
    assert [m.name for m in mentions.mentions] == ["Sandy Reed"]


def test_a_name_with_a_describing_number_after_a_comma_is_a_subject_when_a_verb_follows():
    mentions = mentions_of(
        "At a rally in Dayton, Ohio, 62-year-old Brenda Marsh also railed against the plan."
    )
    assert [m.name for m in mentions.mentions] == ["Brenda Marsh"]


def test_a_pronoun_in_a_capitalized_run_is_no_name():
    mentions = mentions_of("Had I known, I would have stayed. Nora Quill said so.")
    assert [m.name for m in mentions.mentions] == ["Nora Quill"]


# -- in articles --------------------------------------------------------------------------------------------


def test_she_skips_a_man_named_as_the_object_of_her_claim():
    article = process(
        body(
            "Senator Hana Ito stretched the truth at the debate, when she claimed that the group has used "
            "real estate developer Ivo Brand in its videos.",
            '"He is their best recruiter," she said.',
        )
    )
    assert said(article, "He is their best recruiter") == "Hana Ito"


def test_she_after_of_someone_goes_to_the_woman_speaking():
    article = process(
        body(
            "Omar Diaz has been touring the state. He spoke in Akron on Monday.",
            "Of Diaz, Rita Vance said voters in her state would find him hard to back.",
            '"He is highlighting the right issues," she said.',
        )
    )
    assert said(article, "He is highlighting") == "Rita Vance"
