"""Each quote's attribution reads a bounded stretch of text around it (its clause back from it, the aside
of its sentence once per sentence, the sentence of its pronoun), so that a paragraph or a "sentence" of
thousands of quotes is read in linear time (see test_hostile_input)."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.quotes.extractor import _CLAUSE_REACH


def _fragment(words_between: int):
    # Each "and a wide plan" is four tokens between the verb and the quotation.
    filler = " ".join(["and a wide plan"] * (words_between // 4))
    text = f'Vera Lind bemoaned a climate {filler} in which people "hate each other and the town."'
    (quote,) = process("Headline here\n" + text).quotes
    return quote


def test_subject_of_a_long_clause_within_reach_speaks():
    quote = _fragment(_CLAUSE_REACH - 20)
    assert quote.speaker is not None and quote.speaker.name == "Vera Lind"
    assert quote.rule == "partial-sentence-subject"


def test_subject_beyond_reach_is_not_read():
    quote = _fragment(_CLAUSE_REACH + 20)
    assert quote.kind == "partial"
    assert quote.speaker is None


def test_twenty_thousand_attributed_quotes_in_one_paragraph():
    # Each "he" is looked for from the start of its own sentence, not of the paragraph.
    article = process("Headline here\n" + '"We will win this one," he said. ' * 20_000)
    assert len([q for q in article.quotes if q.kind == "direct"]) == 20_000


def test_twenty_thousand_quoted_fragments_in_one_sentence():
    # An aside ("as Dana Moss put it") is looked for once per sentence, not once per quote in it.
    article = process("Headline here\n" + '"a," ' * 20_000 + "he said.")
    assert all(article.text[q.start : q.end] for q in article.quotes)
