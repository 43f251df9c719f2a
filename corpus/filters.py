"""FilterSets for the corpus endpoints (reused by exports); the full-text search they use is ``search``."""

from __future__ import annotations

from datetime import UTC

import django_filters as filters
from django.db import connection
from django.db.models import QuerySet
from rest_framework.settings import api_settings

from api.filters import FilterSet, IdFilter, IdListFilter

from .models import Article, Paragraph, ParagraphRole, Quote, QuoteKind, Speaker, SpeakerKind
from .search import SEARCH_COUNT_CAP, article_search


class UTCDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC. Python accepts offsets PostgreSQL does not (past ±15:59);
    converting first makes every valid offset work the same on both databases."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)


class ArticleFilter(FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        help_text=(
            'Full-text search in the article text (websearch syntax: words, "a phrase", -excluded, or), '
            "each result with a highlighted `snippet`. Matches are counted up to "
            f"{SEARCH_COUNT_CAP:,} (`count_capped` says when more match) and page numbers reach that far; "
            f"up to {SEARCH_COUNT_CAP:,} matches come best first, more come newest first. `cursor` walks "
            "every match, by id. (On SQLite: every term as a substring, by id.)"
        ),
    )
    source = filters.CharFilter(field_name="source__name", help_text="Source name, exactly.")
    language = filters.CharFilter(help_text="BCP 47 language tag, exactly.")
    published_after = UTCDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="published_at", lookup_expr="lt")
    id = IdListFilter(field_name="id", help_text="Article ids: `id=1&id=3` (or `id=1,3`).")
    role = filters.ChoiceFilter(
        method="filter_role",
        choices=ParagraphRole.choices,
        help_text="Articles with a paragraph of this role.",
    )
    speaker = IdFilter(method="filter_speaker", help_text="Articles quoting this speaker (id).")

    class Meta:
        model = Article
        fields = ["q", "source", "language", "published_after", "published_before", "id", "role", "speaker"]

    _form_classes: dict[type, type] = {}

    def get_form_class(self) -> type:
        # django-filter builds a form class, with a labelled field per filter, for every request. Every
        # filter here (and in subclasses) is the same for all requests, so is the class: built once.
        form_class = ArticleFilter._form_classes.get(type(self))
        if form_class is None:
            form_class = ArticleFilter._form_classes[type(self)] = super().get_form_class()
        return form_class

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The search comes last, after every other filter (of subclasses too): it counts the rows.
        queryset = super().filter_queryset(queryset)
        q = self.form.cleaned_data.get("q") or ""
        if not q.strip():
            return queryset
        if connection.vendor != "postgresql":
            # The fallback cuts snippets from the text in Python: load it with the rows, not per row.
            queryset = queryset.defer(None).defer("raw_text", "metadata")
        return article_search(queryset, q=q, reordered=bool(self.data.get(api_settings.ORDERING_PARAM)))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied by filter_queryset, last

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=Paragraph.objects.filter(role=value).values("article_id"))

    def filter_speaker(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(pk__in=Quote.objects.filter(speaker_id=value).values("article_id"))


class ParagraphFilter(FilterSet):
    role = filters.ChoiceFilter(choices=ParagraphRole.choices)

    class Meta:
        model = Paragraph
        fields = ["article", "role"]


class QuoteFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)
    source = filters.CharFilter(field_name="article__source__name", help_text="Source name, exactly.")
    published_after = UTCDateTimeFilter(field_name="article__published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="article__published_at", lookup_expr="lt")

    class Meta:
        model = Quote
        fields = [
            "article",
            "speaker",
            "cluster",
            "kind",
            "verified",
            "origin",
            "source",
            "published_after",
            "published_before",
        ]


class SpeakerQuoteFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)

    class Meta:
        model = Quote
        fields = ["article", "kind", "verified", "origin"]


class SpeakerFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices)
    name = filters.CharFilter(lookup_expr="icontains")
    shared = filters.BooleanFilter(
        field_name="article",
        lookup_expr="isnull",
        help_text="true: speakers shared across articles; false: those local to one article.",
    )

    class Meta:
        model = Speaker
        fields = ["kind", "name", "article", "shared"]
