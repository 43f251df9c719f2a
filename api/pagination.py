"""Paging for every list: page numbers by default, a cursor for long walks.

Page numbers give a ``count`` and random access, which dashboards want. A walk through the whole
corpus wants a cursor instead: ordered by a unique key (``id``), it neither repeats nor skips rows
while others insert. Sending ``cursor`` (empty for the first page) switches to it.

A queryset may come with its count already taken, and capped (:func:`with_count`: full-text search
counts its matches only so far). The page numbers then reach as far as the count, and the response
says with ``count_capped`` whether more rows matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class KnownCount:
    found: int  # rows counted, at most cap + 1
    cap: int
    where: WhereNode  # the conditions that were counted

    @property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def capped(self) -> bool:
        return self.found > self.cap


def with_count(queryset: QuerySet, *, count: int, cap: int) -> QuerySet:
    """``queryset`` carrying the number of its rows, counted up to ``cap`` (or one further, to tell that
    more exist), so the paginator does not count them again. The count travels with the query through
    ordering and slicing, and is dropped as soon as another filter changes what was counted."""
    queryset = queryset.all()
    queryset.query.known_count = KnownCount(found=count, cap=cap, where=queryset.query.where.clone())
    return queryset


def known_count(queryset) -> KnownCount | None:
    query = getattr(queryset, "query", None)
    known = getattr(query, "known_count", None)
    if known is None or query.where != known.where:
        return None
    return known


def checked_page_size(request, *, param: str, default: int, maximum: int) -> int:
    """``?page_size`` when it is a whole number from 1 to ``maximum``; anything else is a 400 naming it, as
    a size quietly changed would leave a client paging wrong."""
    raw = request.query_params.get(param)
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise ValidationError(
            {param: [f"{param} must be a whole number from 1 to {maximum}; got {shown!r}."]}
        )
    return size


class _KnownCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        known = known_count(self.object_list)
        return known.count if known is not None else super().count

    def _get_page(self, object_list, number, paginator):
        """Past the first page of a counted queryset (a search), the database computes what is
        expensive in each row (snippets, counts) for the rows of the page only: it picks their keys
        with the OFFSET first. Selected in one query, OFFSET would compute them for every row it skips."""
        query = getattr(object_list, "query", None)
        if query is not None and query.low_mark and not query.combinator and known_count(self.object_list):
            keys = object_list.values("pk")
            rows = object_list.all()
            rows.query.clear_limits()
            object_list = rows.filter(pk__in=keys)
        return super()._get_page(object_list, number, paginator)


class _IdCursor(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def __init__(self, *, ordering: tuple[str, ...], page_size: int):
        self.ordering = ordering
        self.page_size = page_size

    def get_page_size(self, request) -> int:
        return checked_page_size(
            request, param=self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        # The unique key, whatever ?ordering says: a cursor over a non-unique key is not stable.
        return self.ordering


class PageOrCursorPagination(PageNumberPagination):
    django_paginator_class = _KnownCountPaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"

    def get_page_size(self, request) -> int:
        return checked_page_size(
            request, param=self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        self._cursor = None
        self._known_count = known_count(queryset)
        if self.cursor_query_param in request.query_params:
            ordering = tuple(getattr(view, "cursor_ordering", ("id",)))
            self._cursor = _IdCursor(ordering=ordering, page_size=self.page_size)
            self.display_page_controls = False
            return self._cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data) -> Response:
        if self._cursor is not None:
            return Response(
                {
                    "count": None,
                    "next": self._cursor.get_next_link(),
                    "previous": self._cursor.get_previous_link(),
                    "results": data,
                }
            )
        body = {"count": self.page.paginator.count}
        if self._known_count is not None:
            body["count_capped"] = self._known_count.capped
        return Response(
            {**body, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": (
                        "Total number of results; null when paging with a cursor. A full-text search "
                        "(`q` on articles) counts no further than its cap: see `count_capped`."
                    ),
                },
                "count_capped": {
                    "type": "boolean",
                    "description": (
                        "Only with a full-text search (`q` on articles) and page numbers: true when more "
                        "results match than `count`, which is then the search's cap and the end of the "
                        "last page. Walk with `cursor` to read every match."
                    ),
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number (1-based). Ignored when `cursor` is sent.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1 to {MAX_PAGE_SIZE} (anything else is a 400).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Walk with a cursor: send it empty for the first page, then follow `next`. The walk is "
                    "ordered by id (ignoring `ordering` and search rank) and stays stable under inserts."
                ),
                "schema": {"type": "string"},
            },
        ]
