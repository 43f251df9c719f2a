"""Attribution by cue shapes beyond "said": signature lines, verbs of writing and judging, modal and
relative-clause subjects, and the sentence before a quote (invented sentences)."""

from __future__ import annotations

from corpus.ingest.pipeline import process


def body(*paragraphs: str) -> str:
    return "Headline for the test article\n" + "\n".join(paragraphs)


def speakers(text: str) -> dict[str, tuple[str, str | None]]:
    """Each quote's first words -> (kind, speaker name)."""
    article = process(text)
    return {
        " ".join(article.text[q.start : q.end].split()[:3]): (q.kind, q.speaker.name if q.speaker else None)
        for q in article.quotes
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
