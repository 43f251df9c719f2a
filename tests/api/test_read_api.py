"""The read API: shapes and visibility of drafts. (Query counts: test_exact_query_counts.py.)"""

from __future__ import annotations

import pytest

from annotations import services
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


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
