"""Filters of object ids, shared by every app's FilterSets.

An id in a query is an integer: ``?speaker=1.5`` is refused (400), and an id that names no object
matches nothing (``?article=0`` answers an empty list, as any filter that matches nothing does,
rather than the "not one of the available choices" of django-filter's model choice filters). A list of
ids is sent the way OpenAPI's default query style and generated clients send arrays, ``?id=1&id=3``,
or comma-separated, ``?id=1,3``.
"""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.drainage import set_override

ID_MAX = 2**63 - 1  # the largest id a database column holds
ID_LIST_MAX = 1000


def _id_schema(filter_: filters.Filter, schema: dict) -> None:
    help_text = filter_.extra.get("help_text")
    set_override(filter_, "field", {**schema, "description": help_text} if help_text else schema)


class IdFilter(filters.Filter):
    """One object id."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)
        _id_schema(self, {"type": "integer", "minimum": 0, "maximum": ID_MAX})


class IdListField(forms.Field):
    widget = QueryArrayWidget

    def to_python(self, value) -> list[int]:
        values = [part for v in (value or []) for part in str(v).split(",") if part.strip()]
        if len(values) > ID_LIST_MAX:
            raise forms.ValidationError(f"At most {ID_LIST_MAX} ids.", code="max_ids")
        ids = []
        for raw in values:
            try:
                number = int(str(raw).strip())
            except ValueError:
                raise forms.ValidationError(
                    f"{raw!r} is not an id (a whole number).", code="invalid"
                ) from None
            if not 0 <= number <= ID_MAX:
                raise forms.ValidationError(f"{raw!r} is not an id (from 0 to {ID_MAX}).", code="invalid")
            ids.append(number)
        return ids


class IdListFilter(filters.Filter):
    """Objects whose id is any of those given: ``?id=1&id=3`` or ``?id=1,3``."""

    field_class = IdListField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)
        _id_schema(self, {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": ID_MAX}})


class FilterSet(filters.FilterSet):
    """A FilterSet whose filters on foreign keys take ids (see the module docstring)."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }
