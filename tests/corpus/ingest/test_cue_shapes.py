"""Attribution shapes around a quote that name its speaker without a plain "X said": "as X put it",
"in X's words", "is how X put it" (invented sentences and names)."""

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


def test_as_someone_put_it_before_a_whole_quotation_names_its_speaker():
    found = speakers(
        body(
            'But at the time, as prosecutor Ann Cole put it, "apart from the wrong crowd and some jogging, '
            'there was not much to complain about."'
        )
    )
    assert found == {"apart from the": ("direct", "Ann Cole")}


def test_as_someone_puts_it_gives_the_fragments_of_the_sentence_to_that_person():
    found = speakers(
        body(
            "Mayor Omar Hale wants a vote this month. As columnist Dana Moss puts it, Hale is trying "
            'to make the council "an offer it cannot refuse."'
        )
    )
    assert found == {"an offer it": ("partial", "Dana Moss")}


def test_in_someones_words_names_the_speaker_of_the_quotation():
    found = speakers(
        body(
            "The summit moved to Lisbon because, in Lena Park's words, "
            '"it is the most inventive city on the continent by far."'
        )
    )
    assert found == {"it is the": ("direct", "Lena Park")}


def test_is_how_someone_put_it_names_the_one_after_how():
    article = process(
        body(
            "The river board met on Monday.",
            '"We will not back down from this fight," was how critics of the board put it.',
            '"We have waited long enough for a vote," is how Lena Park put it.',
        )
    )
    first, second = (q for q in article.quotes if q.kind == "direct")
    assert first.speaker_mention == "critics of the board"
    assert first.speaker is None or "how" not in first.speaker.name
    assert second.speaker is not None and second.speaker.name == "Lena Park"
