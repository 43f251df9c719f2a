"""The article list items skip DRF's per-field machinery for plain values; the output must be exactly what
DRF itself builds, for every shape of the serializers that build on it."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from annotations import selectors
from annotations.serializers import ArticleDetailSerializer, ArticleSummarySerializer
from corpus.models import Article
from tests.api.conftest import make_user
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def _drf(serializer_class, instance, context: dict) -> dict:
    """What DRF's own Serializer.to_representation gives for the same fields."""
    serializer = serializer_class(instance, context=context)
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.mark.parametrize("serializer_class", [ArticleSummarySerializer, ArticleDetailSerializer])
@pytest.mark.parametrize("search", ["", "harbour"])
def test_lean_items_equal_drf_items(serializer_class, search):
    editor = make_user("editor")
    with_source = ArticleFactory(body="Harbour\nThe harbour wall.\n", source="Coast Times")
    without_source = ArticleFactory(body="Harbour two\nNo source here, harbour.\n", source=None)
    AnnotationFactory(article=with_source, author=editor)
    Article.objects.filter(pk=without_source.pk).update(published_at=None, url=None)
    request = APIRequestFactory().get("/api/articles/")
    request.user = editor
    context = {
        "request": request,
        "expand": ("paragraphs", "annotations"),
        **({"search": search} if search else {}),
    }
    if serializer_class is ArticleSummarySerializer:
        queryset = selectors.article_list(user=editor)
    else:
        queryset = selectors.article_detail(user=editor, expand=context["expand"])
    items = list(queryset.order_by("id"))
    assert len(items) == 2
    for instance in items:
        lean = serializer_class(instance, context=context).data
        assert lean == _drf(serializer_class, instance, context)
        assert list(lean) == list(_drf(serializer_class, instance, context))
    assert serializer_class(items[1], context=context).data["source"] is None


def test_lean_list_page_matches_the_fields_of_the_schema(client):
    ArticleFactory()
    item = client.get("/api/articles/").json()["results"][0]
    assert list(item) == [*ArticleSummarySerializer.Meta.fields]
