"""Articles made up for the attribution tests, and who their quotes are from."""

from __future__ import annotations

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
