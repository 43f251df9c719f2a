"""LeanRepresentation works a serializer class's fields out once and gives each serializer copies of its
own: binding them (name, parent, source) never touches the kept prototypes or another serializer's."""

from __future__ import annotations

import pytest

from annotations.serializers import ArticleDetailSerializer, ArticleSummarySerializer
from corpus.serializers import LeanRepresentation


@pytest.mark.parametrize("serializer_class", [ArticleSummarySerializer, ArticleDetailSerializer])
def test_each_serializer_binds_fields_of_its_own(serializer_class):
    one, two = serializer_class(), serializer_class(context={"expand": ("paragraphs",)})
    assert set(one.fields) >= set(two.fields)
    prototypes = LeanRepresentation._prototypes[serializer_class]
    for name, field in two.fields.items():
        assert field is not one.fields[name] and field is not prototypes[name], name
        assert field.parent is two and one.fields[name].parent is one, name
        assert field.field_name == name and prototypes[name].parent is None, name
    if serializer_class is ArticleDetailSerializer:
        # A nested list left out of one serializer (?expand=) is still in the prototypes for the next.
        assert "quotes" not in two.fields and "quotes" in prototypes and "quotes" in one.fields
