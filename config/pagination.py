"""Paging for every list: page numbers by default, a cursor for long walks.

Page numbers give a ``count`` and random access, which dashboards want. A walk through the whole
corpus wants a cursor instead: ordered by a unique key (``id``), it neither repeats nor skips rows
while others insert. Sending ``cursor`` (empty for the first page) switches to it.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 100


class _IdCursor(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def __init__(self, *, ordering: tuple[str, ...], page_size: int):
        self.ordering = ordering
        self.page_size = page_size

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        # The unique key, whatever ?ordering says: a cursor over a non-unique key is not stable.
        return self.ordering


class PageOrCursorPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self._cursor = None
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
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "Total number of results; null when paging with a cursor.",
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
                "description": f"Results per page, at most {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1},
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
