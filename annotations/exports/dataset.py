"""The dataset: articles with everything on them, read in keyset chunks.

Memory holds one chunk at a time and the number of queries grows with the
number of chunks, not of rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, Q, QuerySet

from corpus.models import Anchor, Article, Paragraph, Quote

from ..models import Annotation, AnnotationStatus, Claim, FactCheckStatus
from .records import article_record

CHUNK_SIZE = 200


def annotation_queryset(*, include_drafts: bool, include_orphans: bool = False) -> QuerySet[Annotation]:
    queryset = Annotation.objects.select_related("author").prefetch_related("tags")
    if not include_orphans:
        queryset = queryset.exclude(anchor=Anchor.ORPHANED)
    return queryset if include_drafts else queryset.filter(status=AnnotationStatus.PUBLISHED)


def quote_queryset(*, include_orphans: bool = False) -> QuerySet[Quote]:
    queryset = Quote.objects.select_related("speaker", "via").order_by("start", "end", "id")
    return queryset if include_orphans else queryset.exclude(anchor=Anchor.ORPHANED)


def claim_queryset(*, include_drafts: bool) -> QuerySet[Claim]:
    queryset = Claim.objects.select_related(
        "claimant", "fact_check", "fact_check__author", "fact_check__reviewer"
    ).order_by("id")
    if include_drafts:
        return queryset
    return queryset.filter(fact_check__status=FactCheckStatus.PUBLISHED).filter(
        Q(annotation__isnull=True) | Q(annotation__status=AnnotationStatus.PUBLISHED)
    )


def article_contents(
    queryset: QuerySet[Article], *, include_drafts: bool, include_orphans: bool = False
) -> QuerySet[Article]:
    return queryset.select_related("source").prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
        Prefetch(
            "quotes", queryset=Quote.objects.select_related("speaker", "via").order_by("start", "end", "id")
        ),
        Prefetch(
            "annotations",
            queryset=annotation_queryset(include_drafts=include_drafts, include_orphans=include_orphans),
        ),
        Prefetch("claims", queryset=claim_queryset(include_drafts=include_drafts)),
    )


def _fact_check(claim: Claim):
    try:
        return claim.fact_check
    except Claim.fact_check.RelatedObjectDoesNotExist:
        return None


def iter_article_records(
    queryset: QuerySet[Article],
    *,
    include_drafts: bool = False,
    include_orphans: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[dict]:
    """Yield one PRODUCT.md article record per article, in id order."""
    base = queryset.order_by("id")
    last_id = 0
    while True:
        chunk = list(
            article_contents(
                base.filter(id__gt=last_id), include_drafts=include_drafts, include_orphans=include_orphans
            )[:chunk_size]
        )
        if not chunk:
            return
        for article in chunk:
            yield article_record(
                article,
                paragraphs=article.paragraphs.all(),
                quotes=article.quotes.all(),
                annotations=article.annotations.all(),
                claims=[(claim, _fact_check(claim)) for claim in article.claims.all()],
            )
        last_id = chunk[-1].pk
        if len(chunk) < chunk_size:
            return
