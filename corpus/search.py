"""Full-text search of the corpus (the API's ``q``, the admin's search, the exports' filters).

Search runs on PostgreSQL's full-text engine (websearch syntax, highlighted snippets). Articles are
matched and ranked on the stored ``search_vector`` column (corpus migration 0006, built with
``settings.SEARCH_CONFIG`` as it was when the migration ran); other fields (annotation notes) on the
expression their GIN index was built on. Elsewhere (SQLite) search falls back to case-insensitive
matching of every term, ordered by id, with the snippet cut around the first hit.

An article search counts its matches only up to ``SEARCH_COUNT_CAP``: a common word matches most of
the corpus, and neither an exact count nor a relevance sort of every match is worth what it costs.
Up to the cap the results come best first (``ts_rank``); past it, newest first, which the database
answers by walking the date index until a page is full. Ranking needs the vector of every match, the
walk only of the rows it passes.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import BooleanField, Expression, Func, Q, QuerySet

from api.pagination import with_count

from .models import Article

SNIPPET_RADIUS = 80
MARK_START, MARK_STOP = "<mark>", "</mark>"
SEARCH_COUNT_CAP = 1000
ARTICLE_VECTOR_COLUMN = "search_vector"
_TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


class StoredVector(Expression):
    """A ``tsvector`` column of the queryset's own table that the model does not declare (so Django never
    selects or writes it). Relabelled like a column when the query becomes a subquery."""

    output_field = SearchVectorField()

    def __init__(self, column: str, alias: str | None = None):
        super().__init__()
        self.column = column
        self.alias = alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(self.column)}", []


class Matches(Func):
    """``vector @@ query``: the form a GIN index on the vector serves."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class MatchesRowByRow(Func):
    """The same test as :class:`Matches`, in a form no index serves: the planner then reads the rows in
    the order asked for and tests each, stopping when the page is full."""

    function = "ts_match_vq"
    output_field = BooleanField()


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


def _snippet(field: str, query: SearchQuery) -> SearchHeadline:
    # In the SELECT list, evaluated only for the rows that reach it: after the sort (the planner puts
    # expensive expressions above it) and the LIMIT. Later pages pick their rows first, so that the
    # OFFSET skips no snippets (api.pagination).
    return SearchHeadline(
        field,
        query,
        config=settings.SEARCH_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_fragments=2,
    )


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
            .annotate(search_rank=SearchRank(vector, query), search_snippet=_snippet(field, query))
            .order_by("-search_rank", "-id")
        )
    return _contains_every_term(queryset, field=field, q=q).order_by("id")


def article_search(queryset: QuerySet[Article], *, q: str, reordered: bool = False) -> QuerySet[Article]:
    """Articles whose text matches ``q``, carrying their count up to :data:`SEARCH_COUNT_CAP` (one
    query) for the paginator. On PostgreSQL: best first up to the cap, newest first past it, with a
    ``search_snippet``; elsewhere by id, as :func:`search`. ``reordered``: the caller orders the rows
    itself (``?ordering=``), so every match is sorted anyway and the index finds them best."""
    if connection.vendor != "postgresql":
        matches = _contains_every_term(queryset, field="text", q=q)
        return with_count(matches.order_by("id"), count=_capped_count(matches), cap=SEARCH_COUNT_CAP)
    query = SearchQuery(q, search_type="websearch", config=settings.SEARCH_CONFIG)
    vector = StoredVector(ARTICLE_VECTOR_COLUMN)
    found = _capped_count(queryset.filter(Matches(vector, query)))
    if found <= SEARCH_COUNT_CAP:
        matches = (
            queryset.filter(Matches(vector, query))
            .alias(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", "-id")
        )
    else:
        matching = Matches if reordered else MatchesRowByRow
        matches = queryset.filter(matching(vector, query)).order_by("-published_at", "-id")
    matches = matches.annotate(search_snippet=_snippet("text", query))
    return with_count(matches, count=found, cap=SEARCH_COUNT_CAP)


def _capped_count(queryset: QuerySet) -> int:
    """How many rows, counting no further than one past the cap."""
    return queryset.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()


def _contains_every_term(queryset: QuerySet, *, field: str, q: str) -> QuerySet:
    wanted, excluded = search_terms(q)
    condition = Q()
    for term in wanted:
        condition &= Q(**{f"{field}__icontains": term})
    for term in excluded:
        condition &= ~Q(**{f"{field}__icontains": term})
    return queryset.filter(condition)


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
