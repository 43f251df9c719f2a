"""FilterSets for the corpus endpoints (reused by exports), and full-text search.

Search runs on PostgreSQL's full-text engine (websearch syntax, ranked, highlighted snippets, served
by the GIN expression indexes of the search migrations). Elsewhere (SQLite) it falls back to
case-insensitive matching of every term, ordered by id, with the snippet cut around the first hit.
"""

from __future__ import annotations

import re
from datetime import UTC

import django_filters as filters
from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Article, Paragraph, ParagraphRole, Quote, QuoteKind, Speaker, SpeakerKind

SNIPPET_RADIUS = 80
MARK_START, MARK_STOP = "<mark>", "</mark>"
_TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


class UTCDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC. Python accepts offsets PostgreSQL does not (past ±15:59);
    converting first makes every valid offset work the same on both databases."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)


def search_terms(q: str) -> tuple[list[str], list[str]]:
    """Websearch syntax, approximately: quoted phrases, ``-excluded`` terms; ``or`` is read as and."""
    wanted: list[str] = []
    excluded: list[str] = []
    for match in _TERM.finditer(q):
        negated = match.group(1) or match.group(3)
        term = (match.group(2) or match.group(4) or "").strip()
        if not term or term.lower() == "or":
            continue
        (excluded if negated else wanted).append(term)
    return wanted, excluded


def search(queryset: QuerySet, *, field: str, q: str) -> QuerySet:
    """Rows whose ``field`` matches ``q``, best first, with a ``search_snippet`` where the database
    can build it (PostgreSQL); the fallback leaves the snippet to :func:`snippet_cut`."""
    if connection.vendor == "postgresql":
        config = settings.SEARCH_CONFIG
        query = SearchQuery(q, search_type="websearch", config=config)
        vector = SearchVector(field, config=config)
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(
                search_rank=SearchRank(vector, query),
                search_snippet=SearchHeadline(
                    field, query, config=config, start_sel=MARK_START, stop_sel=MARK_STOP, max_fragments=2
                ),
            )
            .order_by("-search_rank", "-id")
        )
    wanted, excluded = search_terms(q)
    condition = Q()
    for term in wanted:
        condition &= Q(**{f"{field}__icontains": term})
    for term in excluded:
        condition &= ~Q(**{f"{field}__icontains": term})
    return queryset.filter(condition).order_by("id")


def snippet_cut(text: str, q: str) -> str:
    """The fallback snippet: the text around the first hit of any term, the hit marked."""
    wanted, _ = search_terms(q)
    lowered = text.lower()
    hits = [(lowered.find(term.lower()), term) for term in wanted]
    hits = [(at, term) for at, term in hits if at >= 0]
    if not hits:
        return text[: 2 * SNIPPET_RADIUS]
    at, term = min(hits)
    start, end = max(0, at - SNIPPET_RADIUS), min(len(text), at + len(term) + SNIPPET_RADIUS)
    return (
        ("…" if start else "")
        + text[start:at]
        + MARK_START
        + text[at : at + len(term)]
        + MARK_STOP
        + text[at + len(term) : end]
        + ("…" if end < len(text) else "")
    )


class ArticleFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        help_text=(
            'Full-text search in the article text (websearch syntax: words, "a phrase", -excluded, or). '
            "Results come best first with a highlighted `snippet`."
        ),
    )
    source = filters.CharFilter(field_name="source__name", help_text="Source name, exactly.")
    language = filters.CharFilter(help_text="BCP 47 language tag, exactly.")
    published_after = UTCDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="published_at", lookup_expr="lt")
    id = filters.BaseInFilter(field_name="id", help_text="Comma-separated article ids.")
    role = filters.ChoiceFilter(
        method="filter_role",
        choices=ParagraphRole.choices,
        help_text="Articles with a paragraph of this role.",
    )
    speaker = filters.NumberFilter(method="filter_speaker", help_text="Articles quoting this speaker (id).")

    class Meta:
        model = Article
        fields = ["q", "source", "language", "published_after", "published_before", "id", "role", "speaker"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        if connection.vendor != "postgresql":
            # The fallback cuts snippets from the text in Python: load it with the rows, not per row.
            queryset = queryset.defer(None).defer("raw_text", "metadata")
        return search(queryset, field="text", q=value)

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=Paragraph.objects.filter(role=value).values("article_id"))

    def filter_speaker(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(pk__in=Quote.objects.filter(speaker_id=value).values("article_id"))


class ParagraphFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=ParagraphRole.choices)

    class Meta:
        model = Paragraph
        fields = ["article", "role"]


class QuoteFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)
    source = filters.CharFilter(field_name="article__source__name", help_text="Source name, exactly.")
    published_after = UTCDateTimeFilter(field_name="article__published_at", lookup_expr="gte")
    published_before = UTCDateTimeFilter(field_name="article__published_at", lookup_expr="lt")

    class Meta:
        model = Quote
        fields = [
            "article",
            "speaker",
            "kind",
            "verified",
            "origin",
            "source",
            "published_after",
            "published_before",
        ]


class SpeakerQuoteFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=QuoteKind.choices)

    class Meta:
        model = Quote
        fields = ["article", "kind", "verified", "origin"]


class SpeakerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices)
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Speaker
        fields = ["kind", "name", "article"]
