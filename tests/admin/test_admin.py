"""Admin changelists and change forms: they render, with a query count that does not grow with rows,
and a stale save is refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.models import Annotation
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/corpus/source/",
    "/admin/corpus/article/",
    "/admin/corpus/paragraph/",
    "/admin/corpus/speaker/",
    "/admin/corpus/speakeralias/",
    "/admin/corpus/quote/",
    "/admin/annotations/tag/",
    "/admin/annotations/annotation/",
    "/admin/annotations/claim/",
    "/admin/annotations/factcheck/",
]


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _populate(n: int) -> None:
    author = UserFactory(username="author", groups=["Fact-checker"])
    tag = TagFactory(slug="claim")
    for _ in range(n):
        annotation = AnnotationFactory(author=author, tags=[tag.slug])
        claim = services.claim_create(
            article=annotation.article, text="a claim", created_by=author, annotation=annotation
        )
        services.factcheck_create(claim=claim, author=author, verdict="false")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, url):
    _populate(2)
    few = _queries(admin_client, url)
    _populate(6)
    many = _queries(admin_client, url)
    assert many == few, f"{url}: {few} queries with 2 articles, {many} with 8"


def test_article_change_page_shows_paragraphs_and_quotes_read_only(admin_client, seeded):
    article = seeded[1]
    response = admin_client.get(f"/admin/corpus/article/{article.pk}/change/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Xi wants isolated China to &#x27;make friends&#x27;" in content
    assert "user&#x27;s avatar" in content  # the chrome paragraph is listed, classified, not deleted
    assert 'name="raw_text"' not in content  # raw text is shown, never editable


def test_article_change_page_query_count_does_not_grow(admin_client):
    small = ArticleFactory(
        body="Headline\n" + "\n".join(f'"Quote {i}," said Helena Vasquez.' for i in range(3))
    )
    big = ArticleFactory(
        body="Headline\n" + "\n".join(f'"Quote {i}," said Helena Vasquez.' for i in range(30))
    )
    admin_client.get(f"/admin/corpus/article/{small.pk}/change/")  # warm the per-process caches
    assert _queries(admin_client, f"/admin/corpus/article/{small.pk}/change/") == _queries(
        admin_client, f"/admin/corpus/article/{big.pk}/change/"
    )


def test_stale_admin_save_is_refused(admin_client):
    annotation = AnnotationFactory(note="original")
    url = f"/admin/annotations/annotation/{annotation.pk}/change/"
    form = {
        "article": annotation.article_id,
        "target": "span",
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "note": "edited in the admin",
        "status": "published",
        "expected_version": 1,
    }
    # Someone else saves first.
    services.annotation_update(annotation=annotation, expected_version=1, note="someone else")
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "Someone else saved this annotation" in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).note == "someone else"

    form["expected_version"] = 2
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = Annotation.objects.get(pk=annotation.pk)
    assert (fresh.note, fresh.version) == ("edited in the admin", 3)
