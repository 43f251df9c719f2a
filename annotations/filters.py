"""FilterSets for annotations, claims and fact-checks (reused by exports)."""

from __future__ import annotations

import django_filters as filters

from corpus.filters import ArticleFilter
from corpus.models import Origin

from .models import Annotation, AnnotationStatus, AnnotationTarget, Claim, FactCheck, FactCheckStatus, Tag, Verdict


class TagDescendantsFilter(filters.CharFilter):
    """A tag slug; matches the tag and every tag below it."""

    def filter(self, qs, value):
        if not value:
            return qs
        tag = Tag.objects.filter(slug=value).first()
        if tag is None:
            return qs.none()
        tags = Tag.objects.descendants_of(tag)
        return qs.filter(**{f"{self.field_name}__in": tags}).distinct()


class AnnotationFilter(filters.FilterSet):
    tag = TagDescendantsFilter(field_name="tags", help_text="Tag slug; includes its descendants.")
    status = filters.ChoiceFilter(choices=AnnotationStatus.choices)
    target = filters.ChoiceFilter(choices=AnnotationTarget.choices)
    origin = filters.ChoiceFilter(choices=Origin.choices)
    author = filters.CharFilter(field_name="author__username", help_text="Username.")

    class Meta:
        model = Annotation
        fields = ["article", "tag", "status", "target", "origin", "author"]


class ClaimFilter(filters.FilterSet):
    verdict = filters.ChoiceFilter(field_name="fact_check__verdict", choices=Verdict.choices)

    class Meta:
        model = Claim
        fields = ["article", "claimant", "verdict"]


class FactCheckFilter(filters.FilterSet):
    verdict = filters.ChoiceFilter(choices=Verdict.choices)
    status = filters.ChoiceFilter(choices=FactCheckStatus.choices)
    author = filters.CharFilter(field_name="author__username", help_text="Username.")

    class Meta:
        model = FactCheck
        fields = ["claim", "verdict", "status", "author"]


__all__ = ["AnnotationFilter", "ArticleFilter", "ClaimFilter", "FactCheckFilter"]
