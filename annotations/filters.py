"""FilterSets for articles (with what is on them), annotations, claims and fact-checks (reused by exports)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet

from api.filters import FilterSet, IdFilter
from corpus.filters import ArticleFilter as CorpusArticleFilter
from corpus.filters import UTCDateTimeFilter
from corpus.models import Origin
from corpus.search import search

from .models import (
    Annotation,
    AnnotationStatus,
    AnnotationTarget,
    Claim,
    FactCheck,
    FactCheckStatus,
    Tag,
    Verdict,
)


def _tag_and_descendants(slug: str) -> QuerySet[Tag]:
    tag = Tag.objects.filter(slug=slug).first()
    return Tag.objects.descendants_of(tag) if tag is not None else Tag.objects.none()


class TagDescendantsFilter(filters.CharFilter):
    """A tag slug; matches the tag and every tag below it."""

    def filter(self, qs, value):
        if not value:
            return qs
        # A subquery, not a join: a join repeats rows tagged twice and would need DISTINCT.
        tagged = qs.model.objects.filter(**{f"{self.field_name}__in": _tag_and_descendants(value)})
        return qs.filter(pk__in=tagged.values("pk"))


class ArticleFilter(CorpusArticleFilter):
    """The corpus filters plus what the annotations say about the article, as far as the reader sees it."""

    tag = filters.CharFilter(
        method="filter_tag", help_text="Articles with an annotation of this tag (slug) or a tag below it."
    )
    verdict = filters.ChoiceFilter(
        method="filter_verdict",
        choices=Verdict.choices,
        help_text="Articles with a fact-check of this verdict.",
    )

    class Meta(CorpusArticleFilter.Meta):
        fields = [*CorpusArticleFilter.Meta.fields, "tag", "verdict"]

    def _user(self):
        return getattr(self.request, "user", None)

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        annotations = Annotation.objects.visible_to(self._user()).filter(tags__in=_tag_and_descendants(value))
        return queryset.filter(pk__in=annotations.values("article_id"))

    def filter_verdict(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from .selectors import factcheck_list

        checks = factcheck_list(user=self._user()).filter(verdict=value)
        return queryset.filter(pk__in=checks.values("claim__article_id"))


class AnnotationFilter(FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        help_text="Full-text search in the notes (websearch syntax); best first, with a highlighted `snippet`.",
    )
    tag = TagDescendantsFilter(field_name="tags", help_text="Tag slug; includes its descendants.")
    status = filters.ChoiceFilter(choices=AnnotationStatus.choices)
    target = filters.ChoiceFilter(choices=AnnotationTarget.choices)
    origin = filters.ChoiceFilter(choices=Origin.choices)
    author = filters.CharFilter(field_name="author__username", help_text="Username.")
    source = filters.CharFilter(field_name="article__source__name", help_text="Source name of the article.")
    speaker = IdFilter(field_name="quote__speaker", help_text="Annotations on quotes of this speaker (id).")
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Annotation
        fields = [
            "q",
            "article",
            "tag",
            "status",
            "target",
            "origin",
            "author",
            "source",
            "speaker",
            "created_after",
            "created_before",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        return search(queryset, field="note", q=value)


class ClaimFilter(FilterSet):
    verdict = filters.ChoiceFilter(field_name="fact_check__verdict", choices=Verdict.choices)
    status = filters.ChoiceFilter(field_name="fact_check__status", choices=FactCheckStatus.choices)

    class Meta:
        model = Claim
        fields = ["article", "claimant", "verdict", "status"]


class FactCheckFilter(FilterSet):
    verdict = filters.ChoiceFilter(choices=Verdict.choices)
    status = filters.ChoiceFilter(choices=FactCheckStatus.choices)
    author = filters.CharFilter(field_name="author__username", help_text="Username.")
    reviewer = filters.CharFilter(field_name="reviewer__username", help_text="Username.")
    article = IdFilter(field_name="claim__article", help_text="Article id.")
    published_after = UTCDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = FactCheck
        fields = [
            "claim",
            "article",
            "verdict",
            "status",
            "author",
            "reviewer",
            "published_after",
            "published_before",
        ]


__all__ = ["AnnotationFilter", "ArticleFilter", "ClaimFilter", "FactCheckFilter"]
