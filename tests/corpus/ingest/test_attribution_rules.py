"""Attribution rules on invented sentences: who is speaking, by the patterns of real political news."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.pronouns import FEMALE, MALE, PersonMentions
from corpus.ingest.types import ProcessedArticle


def said(article: ProcessedArticle, text: str) -> str | None:
    """The speaker's canonical name of the quote whose text starts with ``text``."""
    quote = next(q for q in article.quotes if article.text[q.start : q.end].startswith(text))
    return quote.speaker.name if quote.speaker else None


def body(*paragraphs: str) -> str:
    return "Headline for the test article\n" + "\n".join(paragraphs)


# -- pronouns: every person named as a subject is a candidate; gender from the article's own evidence -------


def test_she_goes_to_the_latest_subject_even_without_a_speech_verb():
    article = process(
        body(
            '"The budget is balanced," Councillor Tom Reyes said.',
            "Mayor Hana Ito condemned the plan at the meeting. Ms. Ito left early.",
            '"We cannot afford this," she said.',
        )
    )
    assert said(article, "We cannot afford") == "Hana Ito"


def test_he_skips_a_woman_named_later_when_the_article_says_who_is_who():
    article = process(
        body(
            "Senator Paul Okoro spoke first, and his voice was hoarse.",
            "Dana Wells read through her notes.",
            '"I will not back down," he said.',
        )
    )
    assert said(article, "I will not back down") == "Paul Okoro"


def test_gender_from_courtesy_titles_and_following_pronouns():
    text = "Mr. Abel Stone arrived. Rita Vance said her team was ready. Stone waved."
    mentions = PersonMentions(text, [(0, len(text))])
    assert mentions.gender == {"stone": MALE, "vance": FEMALE}
    assert [m.name for m in mentions.mentions] == ["Abel Stone", "Rita Vance", "Abel Stone"]


def test_names_governed_by_a_preposition_or_a_possessive_are_not_subjects():
    text = "Lee Park met with Omar Diaz. Diaz's office declined to comment."
    mentions = PersonMentions(text, [(0, len(text))])
    assert [m.name for m in mentions.mentions] == ["Lee Park"]
    assert mentions.antecedent("he", len(text)).name == "Lee Park"


def test_a_pronoun_against_all_the_evidence_stays_unresolved():
    article = process(
        body(
            "Ms. Greta Lund and Mrs. Ivy Shaw met the press.",
            '"Nothing was decided," he said.',
        )
    )
    assert said(article, "Nothing was decided") is None


def test_an_unnamed_speaker_quoted_last_is_who_she_means():
    article = process(
        body(
            "Governor Ray Hollis signed the bill on Monday.",
            '"It passed with no debate," a spokeswoman said. "We were surprised," she added.',
        )
    )
    assert said(article, "We were surprised") == "the spokeswoman"


# -- cue verbs: the whole lexicon, every inflection, and participles ----------------------------------------


def test_cue_verbs_beyond_said_in_every_inflection():
    article = process(
        body(
            '"We will be back next year," Ivo Brandt concluded.',
            '"Shame on you," the students chanted.',
            '"Not a chance," Ada Moss quipped.',
            '"Read the bill first," Ada Moss insists.',
            '"Who pays for it?" Omar Haddad asked.',
        )
    )
    assert said(article, "We will be back") == "Ivo Brandt"
    assert said(article, "Shame on you") == "the students"
    assert said(article, "Not a chance") == "Ada Moss"
    assert said(article, "Read the bill") == "Ada Moss"
    assert said(article, "Who pays") == "Omar Haddad"
    assert {q.kind for q in article.quotes} == {"direct"}


def test_a_participle_cue_gives_the_sentence_subject():
    article = process(body('Councillor Rosa Vidal left the chamber early, saying, "I don\'t think so."'))
    [quote] = article.quotes
    assert (quote.kind, quote.speaker.name) == ("direct", "Rosa Vidal")


def test_a_noun_that_looks_like_a_verb_is_not_a_cue():
    article = process(body("Northline Motors said rising demand had made the plant 'unviable'."))
    partial = [q for q in article.quotes if q.kind == "partial"]
    assert [article.text[q.start : q.end] for q in partial] == ["unviable"]
    assert partial[0].speaker is not None


# -- a question or exclamation before the attribution does not end the sentence ----------------------------


def test_question_mark_before_the_attribution_keeps_the_speaker():
    article = process(body('"Why now?" Lee Tran asked. "We waited for years."'))
    assert [q.kind for q in article.quotes] == ["direct", "direct"]
    assert said(article, "Why now?") == "Lee Tran"
    assert said(article, "We waited") == "Lee Tran"


def test_exclamation_before_the_attribution_keeps_the_speaker():
    article = process(body('The hall was full. "Stop the cuts!" shouted Nia Obi.'))
    [quote] = article.quotes
    assert (quote.kind, quote.speaker.name) == ("direct", "Nia Obi")


def test_initials_and_abbreviated_titles_do_not_end_a_sentence():
    article = process(
        body(
            '"It is over," said J.R. Smith, the coach.',
            'Del. Rosa Park and Rev. Abel Moss spoke. "We are not done," Rev. Abel Moss said.',
        )
    )
    assert said(article, "It is over") == "J.R. Smith"
    assert said(article, "We are not done") == "Abel Moss"
