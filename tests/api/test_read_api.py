"""The read API: shapes, visibility of drafts, and query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "/api/articles/",
    "/api/paragraphs/",
    "/api/quotes/",
    "/api/speakers/",
    "/api/sources/",
    "/api/tags/",
    "/api/annotations/",
    "/api/claims/",
    "/api/fact-checks/",
]


def _populate(n: int) -> None:
    """n more articles, each with a tagged annotation, a claim and a published fact-check."""
    author = UserFactory(username="author", groups=["Fact-checker"])
    reviewer = UserFactory(username="reviewer", groups=["Fact-checker"])
    tag = TagFactory(slug="claim")
    for _ in range(n):
        annotation = AnnotationFactory(author=author, tags=[tag.slug])
        claim = services.claim_create(
            article=annotation.article, text="a claim", created_by=author, annotation=annotation
        )
        fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
        services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
        services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)


def _queries(client, url: str, user=None) -> int:
    if user is not None:
        # A fresh user object, as each real request loads one: no permission cache carried over.
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_list_query_count_does_not_grow_with_rows(api_client, url, who):
    _populate(2)
    user = UserFactory(username="viewer", groups=["Viewer"]) if who == "viewer" else None
    few = _queries(api_client, url, user)
    _populate(6)
    many = _queries(api_client, url, user)
    assert many == few, f"{url}: {few} queries with 2 articles, {many} with 8"


def test_article_detail_query_count_does_not_grow(api_client):
    _populate(1)
    first = ArticleFactory(
        body="Headline\n" + "\n".join(f'"Quote {i}," said Helena Vasquez.' for i in range(3))
    )
    big = ArticleFactory(
        body="Headline\n" + "\n".join(f'"Quote {i}," said Helena Vasquez.' for i in range(30))
    )
    assert _queries(api_client, f"/api/articles/{first.pk}/") == _queries(
        api_client, f"/api/articles/{big.pk}/"
    )


def test_article_detail_nests_everything_with_consistent_spans(api_client, seeded):
    article = seeded[1]
    data = api_client.get(f"/api/articles/{article.pk}/").json()
    assert data["title"] == "Xi wants isolated China to 'make friends'"
    assert data["paragraph_count"] == len(data["paragraphs"]) > 10
    for key in ("paragraphs", "quotes", "annotations"):
        for item in data[key]:
            if item.get("start") is not None:
                assert data["text"][item["start"] : item["end"]] == item.get("text", item.get("exact"))


def test_anonymous_sees_only_published_annotations_and_fact_checks(api_client):
    author = UserFactory(groups=["Editor"])
    published = AnnotationFactory(author=author, status="published", note="public")
    AnnotationFactory(article=published.article, author=author, status="draft", note="secret draft")
    claim = services.claim_create(article=published.article, text="draft claim", created_by=author)
    services.factcheck_create(claim=claim, author=author, verdict="false", rationale="secret rationale")

    body = api_client.get("/api/annotations/").content.decode()
    assert "public" in body and "secret draft" not in body
    detail = api_client.get(f"/api/articles/{published.article_id}/").content.decode()
    assert "secret draft" not in detail and "secret rationale" not in detail
    assert api_client.get("/api/fact-checks/").json()["count"] == 0
    assert api_client.get("/api/claims/").json()["count"] == 0
    assert api_client.get("/api/articles/").json()["results"][0]["annotation_count"] == 1

    api_client.force_authenticate(UserFactory(groups=["Viewer"]))
    assert "secret draft" in api_client.get("/api/annotations/").content.decode()
    assert api_client.get("/api/fact-checks/").json()["count"] == 1


def test_read_api_refuses_writes(api_client):
    ArticleFactory()
    assert api_client.post("/api/articles/", {}, format="json").status_code in (401, 403, 405)
    assert api_client.post("/api/annotations/", {}, format="json").status_code in (401, 403, 405)


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/articles/{id}/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
