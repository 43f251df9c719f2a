"""A partial quote's acting subject is read back from the quote over a bounded stretch of its clause, so
that a "sentence" of a hundred thousand quotes is read in linear time (see test_hostile_input)."""

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
