"""FilterSets for the corpus endpoints (reused by exports)."""

from __future__ import annotations

import django_filters as filters

from .models import Article, Paragraph, ParagraphRole, Quote, QuoteKind, Speaker, SpeakerKind


class ArticleFilter(filters.FilterSet):
    source = filters.CharFilter(field_name="source__name", help_text="Source name, exactly.")
    language = filters.CharFilter()
    published_after = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    id = filters.BaseInFilter(field_name="id", help_text="Comma-separated article ids.")

    class Meta:
        model = Article
        fields = ["source", "language", "published_after", "published_before", "id"]


class ParagraphFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=ParagraphRole.choices)

    class Meta:
        model = Paragraph
        fields = ["article", "role"]


class QuoteFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)

    class Meta:
        model = Quote
        fields = ["article", "speaker", "kind", "verified", "origin"]


class SpeakerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices)
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Speaker
        fields = ["kind", "name", "article"]
