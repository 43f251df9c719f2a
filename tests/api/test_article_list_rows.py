"""A plain page of the article list is read as values, not model instances (ArticleViewSet.list_as_rows).
The bytes it answers must be exactly those of the instances through the same serializer, for every shape
of article (with and without a source, a date, a url; counts that differ by reader) and every way of
asking for the page (ordering, page size and number, filters, the cursor)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db.models.signals import post_init

from annotations.views import ArticleViewSet
from corpus.models import Article
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/articles/",
    "/api/articles/?page_size=100",
    "/api/articles/?ordering=title",
    "/api/articles/?ordering=-published_at",
    "/api/articles/?ordering=id&page_size=2&page=2",
    "/api/articles/?source=Coast%20Times",
    "/api/articles/?language=fr",
    "/api/articles/?published_after=2024-01-01T00:00:00Z",
    "/api/articles/?cursor=&page_size=2",
]


@pytest.fixture
def corpus():
    editor = make_user("editor")
    other = make_user("editor", username="other-editor")
    articles = [
        ArticleFactory(body="Harbour\nThe harbour wall gave way, \u201cwe saw it go\u201d, she said.\n", source="Coast Times"),
        ArticleFactory(body="No source\nA paragraph without a source.\n", source=None),
        ArticleFactory(body="\u00c9t\u00e9 \u2014 titre\nUn paragraphe en fran\u00e7ais.\n", source="Le Quotidien", language="fr"),
        ArticleFactory(body="Undated\nNo date, no url.\n", source="Coast Times"),
        ArticleFactory(body="Emoji \U0001f30a\nThe tide \U0001f30a came in.\n", source="Example News"),
    ]  # fmt: skip
    Article.objects.filter(pk=articles[3].pk).update(published_at=None, url=None)
    Article.objects.filter(pk=articles[0].pk).update(
        published_at=dt.datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=dt.UTC), external_id="ct-1"
    )
    Article.objects.filter(pk=articles[2].pk).update(published_at=dt.datetime(2023, 1, 2, tzinfo=dt.UTC))
    AnnotationFactory(article=articles[0], author=editor)
    AnnotationFactory(article=articles[0], author=other)
    AnnotationFactory(article=articles[2], author=other, status="draft")  # counted for some readers only
    return {"editor": editor, "viewer": make_user("viewer"), "anonymous": None}


def _get(client, path: str, monkeypatch, *, as_rows: bool) -> tuple[bytes, int]:
    """The response's bytes, and how many Article instances answering it built."""
    monkeypatch.setattr(ArticleViewSet, "list_as_rows", as_rows)
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count, sender=Article)
    try:
        response = client.get(path)
    finally:
        post_init.disconnect(count, sender=Article)
    assert response.status_code == 200, response.content[:300]
    return response.content, len(built)


@pytest.mark.parametrize("reader", ["editor", "viewer", "anonymous"])
def test_a_page_read_as_rows_is_byte_for_byte_the_page_of_instances(corpus, monkeypatch, reader):
    client = client_for(corpus[reader])
    for path in PATHS:
        rows, built_from_rows = _get(client, path, monkeypatch, as_rows=True)
        instances, built_from_instances = _get(client, path, monkeypatch, as_rows=False)
        assert rows == instances, path
        assert built_from_rows == 0 and built_from_instances > 0, path


def test_the_rows_carry_what_the_instances_do(corpus, monkeypatch):
    """Not only equal: the page holds the shapes the comparison is about."""
    body, _ = _get(client_for(corpus["editor"]), "/api/articles/?ordering=id", monkeypatch, as_rows=True)
    items = json.loads(body)["results"]
    assert [item["source"] for item in items] == [
        "Coast Times", None, "Le Quotidien", "Coast Times", "Example News"
    ]  # fmt: skip
    assert items[0]["published_at"] == "2024-05-01T12:30:15.250000Z" and items[0]["external_id"] == "ct-1"
    assert items[3]["published_at"] is None and items[3]["url"] is None
    assert [item["annotation_count"] for item in items] == [2, 0, 1, 0, 0]
    assert all(item["snippet"] is None for item in items)


def test_expanded_and_searched_pages_still_read_instances(corpus, monkeypatch):
    client = client_for(corpus["editor"])
    for path in ("/api/articles/?expand=paragraphs", "/api/articles/?q=harbour"):
        _, built = _get(client, path, monkeypatch, as_rows=True)
        assert built > 0, path
