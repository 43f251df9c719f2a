"""Reusable reads, with their joins built in."""

from __future__ import annotations

from functools import cache

from django.db import models
from django.db.models import Count

LIST_FIELDS = (
    "id",
    "url",
    "source__name",
    "external_id",
    "published_at",
    "language",
    "title",
    "content_hash",
    "version",
)


class ArticleQuerySet(models.QuerySet):
    def with_counts(self) -> ArticleQuerySet:
        # Subquery counts: joining two reverse relations in one aggregate would
        # multiply the rows (paragraphs x quotes).
        from .models import Paragraph, Quote

        return self.annotate(
            paragraph_count=_count(Paragraph, "article"),
            quote_count=_count(Quote, "article"),
        )

    def for_list(self) -> ArticleQuerySet:
        # Only what a list item shows: every other column would be converted and stored for nothing
        # (timestamps cost the most). Details and expansions widen it again with defer(None).
        return self.select_related("source").only(*LIST_FIELDS).with_counts()


class QuoteQuerySet(models.QuerySet):
    def with_related(self) -> QuoteQuerySet:
        return self.select_related("speaker", "via", "paragraph")


class SpeakerQuerySet(models.QuerySet):
    def shared(self) -> SpeakerQuerySet:
        return self.filter(article__isnull=True)

    def with_counts(self) -> SpeakerQuerySet:
        from .models import Quote

        return self.annotate(quote_count=_count(Quote, "speaker"))


@cache
def _count(model: type[models.Model], fk: str) -> models.Func:
    # Built once: annotate() resolves a copy, so one expression serves every request.
    subquery = (
        model.objects.filter(**{fk: models.OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("*"))  # not Count("pk"): COUNT(*) is answered from the foreign key index alone
        .values("n")
    )
    return models.functions.Coalesce(models.Subquery(subquery), 0)
