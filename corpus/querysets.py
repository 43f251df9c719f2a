"""Reusable reads, with their joins built in."""

from __future__ import annotations

from django.db import models
from django.db.models import Count


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
        return self.select_related("source").defer("raw_text", "text", "metadata").with_counts()


class QuoteQuerySet(models.QuerySet):
    def with_related(self) -> QuoteQuerySet:
        return self.select_related("speaker", "via", "paragraph")


class SpeakerQuerySet(models.QuerySet):
    def shared(self) -> SpeakerQuerySet:
        return self.filter(article__isnull=True)

    def with_counts(self) -> SpeakerQuerySet:
        from .models import Quote

        return self.annotate(quote_count=_count(Quote, "speaker"))


def _count(model: type[models.Model], fk: str) -> models.Subquery:
    subquery = (
        model.objects.filter(**{fk: models.OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return models.functions.Coalesce(models.Subquery(subquery), 0)
