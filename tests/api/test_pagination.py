"""Page numbers with a count by default; a cursor, ordered by id, for walks that must not repeat or skip."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_page_size_is_at_most_100(client):
    for _ in range(3):
        ArticleFactory()
    assert len(client.get("/api/paragraphs/?page_size=2").json()["results"]) == 2
    data = client.get("/api/paragraphs/?page_size=100").json()
    assert data["count"] == len(data["results"]) == 12  # under the cap: everything
    response = client.get("/api/paragraphs/?page_size=1000")
    assert response.status_code == 400 and "page_size" in response.json()


def test_cursor_walk_is_stable_while_articles_are_added(client):
    first = [ArticleFactory() for _ in range(5)]
    page = client.get("/api/articles/?cursor=&page_size=2").json()
    assert page["count"] is None and page["previous"] is None
    seen = [item["id"] for item in page["results"]]
    added = []
    while page["next"]:
        added.append(ArticleFactory())  # someone ingests while we walk
        page = client.get(_path(page["next"])).json()
        seen.extend(item["id"] for item in page["results"])
    assert len(seen) == len(set(seen)), "a cursor walk never repeats a row"
    assert seen == sorted(seen)
    assert {a.pk for a in first} <= set(seen), "nor skips one that was there when it started"


def test_cursor_ignores_ordering_and_rejects_garbage(client):
    for _ in range(3):
        ArticleFactory()
    ids = [item["id"] for item in client.get("/api/articles/?cursor=&ordering=-title").json()["results"]]
    assert ids == sorted(ids)
    assert client.get("/api/articles/?cursor=not-a-cursor").status_code == 404
    assert client.get("/api/articles/?page=99").status_code == 404
