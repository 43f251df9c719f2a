"""Admin search that reaches the text itself, not only the titles and names in ``search_fields``.

The admin's own search (``search_fields``) still runs; the rows whose text matches are added to it.
On PostgreSQL the text is matched with full-text search: articles on their stored ``search_vector``
(the GIN index serves it), quotes and paragraphs on their own span, among the articles that index
finds. Elsewhere (SQLite) every term must occur in the text, case-insensitively.

A search made only of quotation marks (a lone ``'`` or ``"``) finds nothing: Django reads it as an
empty quoted phrase, which every row contains.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.db.models.lookups import IContains

from ..models import Article
from ..search import ARTICLE_VECTOR_COLUMN, Matches, StoredVector, search_terms

QUOTE_MARKS = "'\"‘’“”`"


def search_words(search_term: str) -> str:
    """The search without the pieces that are only quotation marks; empty if nothing else is left."""
    return " ".join(bit for bit in search_term.split() if bit.strip(QUOTE_MARKS))


def _query(words: str) -> SearchQuery:
    return SearchQuery(words, search_type="websearch", config=settings.SEARCH_CONFIG)


def article_text_matching(words: str) -> Q:
    """For a queryset of articles: their text matches ``words`` (PostgreSQL: the stored vector;
    SQLite: every term)."""
    if connection.vendor == "postgresql":
        return Q(Matches(StoredVector(ARTICLE_VECTOR_COLUMN), _query(words)))
    return _every_term("text", words)


def _every_term(field: str, words: str) -> Q:
    wanted, excluded = search_terms(words)
    condition = Q()
    for term in wanted:
        condition &= Q(**{f"{field}__icontains": term})
    for term in excluded:
        condition &= ~Q(**{f"{field}__icontains": term})
    return condition


def span_matching(words: str, *, article_field: str = "article") -> Q:
    """Rows whose own span (``start``/``end`` into their article's text) matches ``words``."""
    span = Substr(F(f"{article_field}__text"), F("start") + 1, F("end") - F("start"))
    if connection.vendor == "postgresql":
        # The article index narrows the rows first; the span is then checked on those only.
        found = Article.objects.filter(article_text_matching(words)).values("pk")
        vector = SearchVector(span, config=settings.SEARCH_CONFIG)
        return Q(**{f"{article_field}__in": found}) & Q(Matches(vector, _query(words)))
    wanted, excluded = search_terms(words)
    condition = Q()
    for term in wanted:
        condition &= Q(IContains(span, term))
    for term in excluded:
        condition &= ~Q(IContains(span, term))
    return condition


class TextSearchMixin:
    """For a ModelAdmin: ``text_search(words)`` returns a condition for the rows whose text matches."""

    def text_search(self, words: str) -> Q:
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        words = search_words(search_term)
        if not words:
            return queryset.none(), False
        found, may_have_duplicates = super().get_search_results(request, queryset, words)
        return found | queryset.filter(self.text_search(words)), may_have_duplicates
