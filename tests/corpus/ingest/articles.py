"""Articles made up for the attribution tests, and who their quotes are from."""

from __future__ import annotations

from corpus.ingest.pipeline import process
from corpus.ingest.types import ProcessedArticle


def body(*paragraphs: str) -> str:
    """A test article: a headline, then one paragraph per argument."""
    return "Headline for the test article\n" + "\n".join(paragraphs)


def quote(article: ProcessedArticle, text: str):
    """The quote whose text starts with ``text``, or None."""
    return next((q for q in article.quotes if article.text[q.start : q.end].startswith(text)), None)


def said(article: ProcessedArticle, text: str) -> str | None:
    """The speaker's canonical name of the quote whose text starts with ``text``."""
    found = quote(article, text)
    assert found is not None, f"no quote starting {text!r}"
    return found.speaker.name if found.speaker else None


def first_words(text: str) -> dict[str, tuple[str, str | None]]:
    """Each quotation of the article made of ``text``: its first three words -> (kind, speaker's name);
    reported speech left out."""
    article = process(text)
    return {
        " ".join(article.text[q.start : q.end].split()[:3]): (q.kind, q.speaker.name if q.speaker else None)
        for q in article.quotes
        if q.kind != "indirect"
    }
