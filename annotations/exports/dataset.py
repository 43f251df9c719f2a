"""The dataset: articles with everything on them, read in keyset chunks.

Memory holds one chunk at a time and the number of queries grows with the
number of chunks, not of rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from corpus.models import Article, Paragraph

from ..models import Claim
from .records import article_record
from .selection import ExportOptions, Selection

CHUNK_SIZE = 200


def keyset_chunks(
    queryset: QuerySet, *, keys: Sequence[str] = ("id",), chunk_size: int = CHUNK_SIZE
) -> Iterator[list[Any]]:
    """Lists of at most ``chunk_size`` rows (instances or dicts), in ``keys`` order.

    Each chunk starts after the last key of the one before (no OFFSET), so every chunk costs the same
    however deep into the table it is.
    """
    ordered = queryset.order_by(*keys)
    last: tuple | None = None
    while True:
        page = ordered if last is None else ordered.filter(_after(keys, last))
        chunk = list(page[:chunk_size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < chunk_size:
            return
        row = chunk[-1]
        last = tuple(row[k] if isinstance(row, dict) else getattr(row, k) for k in keys)


def _after(keys: Sequence[str], values: tuple) -> Q:
    """Rows whose ``keys`` come after ``values`` in lexicographic order."""
    condition = Q(**{f"{keys[-1]}__gt": values[-1]})
    for index in range(len(keys) - 2, -1, -1):
        condition = Q(**{f"{keys[index]}__gt": values[index]}) | (
            Q(**{keys[index]: values[index]}) & condition
        )
    return condition


def article_contents(queryset: QuerySet[Article], *, selection: Selection) -> QuerySet[Article]:
    """Articles with their paragraphs, quotes, annotations and claims: a fixed number of queries."""
    return (
        queryset.select_related("source")
        .defer("raw_text", "metadata")
        .prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
            Prefetch("quotes", queryset=selection.quotes.select_related("speaker", "via")),
            Prefetch(
                "annotations",
                queryset=selection.annotations.select_related("author").prefetch_related("tags"),
            ),
            Prefetch(
                "claims",
                queryset=selection.claims.select_related(
                    "claimant", "fact_check", "fact_check__author", "fact_check__reviewer"
                ),
            ),
        )
    )


def fact_check_of(claim: Claim):
    try:
        return claim.fact_check
    except Claim.fact_check.RelatedObjectDoesNotExist:
        return None


def iter_article_chunks(selection: Selection, *, chunk_size: int = CHUNK_SIZE) -> Iterator[list[Article]]:
    yield from keyset_chunks(article_contents(selection.articles, selection=selection), chunk_size=chunk_size)


def iter_article_records(
    queryset: QuerySet[Article] | None = None,
    *,
    include_drafts: bool = False,
    include_orphans: bool = False,
    chunk_size: int = CHUNK_SIZE,
    selection: Selection | None = None,
) -> Iterator[dict]:
    """Yield one PRODUCT.md article record per article, in id order."""
    if selection is None:
        selection = Selection(ExportOptions(include_drafts=include_drafts, include_orphans=include_orphans))
    if queryset is not None:
        selection.restrict_articles(queryset)
    for chunk in iter_article_chunks(selection, chunk_size=chunk_size):
        yield from (_record(article, selection.options) for article in chunk)


def _record(article: Article, options: ExportOptions) -> dict:
    return article_record(
        article,
        paragraphs=article.paragraphs.all(),
        quotes=article.quotes.all(),
        annotations=article.annotations.all(),
        claims=[(claim, fact_check_of(claim)) for claim in article.claims.all()],
        options=options,
    )
