"""Every list and detail view, for every kind of reader: the number of queries does not grow with rows.

(The plain lists are covered in test_read_api.py; here: details, nested expansions, search, filters,
cursors, the speaker's quotes and the W3C views.)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from corpus.models import Speaker
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def _add(n: int) -> None:
    """n more articles, each with a tagged annotation, a claim and a published fact-check."""
    author = make_user("factchecker", "author")
    reviewer = make_user("factchecker", "reviewer")
    tag = TagFactory(slug="claim")
    for _ in range(n):
        annotation = AnnotationFactory(author=author, tags=[tag.slug], note="harbour budget")
        claim = services.claim_create(
            article=annotation.article, text="a claim", created_by=author, annotation=annotation
        )
        fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
        services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
        services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)


def _count(client, url: str) -> int:
    user = getattr(client, "user", None)
    if user is not None:
        # A fresh user object, as each real request loads one: no permission cache carried over.
        client.force_authenticate(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


LISTS = [
    "/api/articles/?expand=paragraphs,quotes,annotations,claims",
    "/api/articles/?expand=annotations",
    "/api/articles/?q=harbour",
    "/api/articles/?q=harbour&expand=quotes",
    "/api/articles/?tag=claim&verdict=false&role=body",
    "/api/articles/?cursor=",
    "/api/annotations/?q=budget",
    "/api/annotations/?tag=claim&status=published",
    "/api/quotes/?kind=direct&cursor=",
    "/api/claims/?verdict=false",
    "/api/fact-checks/?status=published",
    "/api/w3c/annotations/",
    "/api/w3c/annotations/?page=0",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", ["anonymous", "viewer"])
def test_lists_with_options_do_not_grow(url, role):
    client = client_for(make_user(role))
    client.user = make_user(role) if role != "anonymous" else None
    _add(2)
    few = _count(client, url)
    _add(5)
    assert _count(client, url) == few


def test_speaker_quotes_do_not_grow():
    client = client_for(None)
    ArticleFactory()
    speaker = Speaker.objects.get(name="Helena Vasquez")
    few = _count(client, f"/api/speakers/{speaker.pk}/quotes/")
    for _ in range(6):
        ArticleFactory()
    assert speaker.quotes.count() >= 7
    assert _count(client, f"/api/speakers/{speaker.pk}/quotes/") == few


def _big_article(quotes: int):
    body = "Headline\n" + "\n".join(f'"Quote {i}," said Helena Vasquez.' for i in range(quotes))
    return ArticleFactory(body=body)


@pytest.mark.parametrize(
    "detail",
    [
        lambda a: f"/api/articles/{a.pk}/",
        lambda a: f"/api/articles/{a.pk}/?expand=quotes",
        lambda a: f"/api/paragraphs/{a.paragraphs.first().pk}/",
        lambda a: f"/api/quotes/{a.quotes.first().pk}/",
        lambda a: f"/api/speakers/{a.quotes.first().speaker_id}/",
        lambda a: f"/api/annotations/{a.annotations.first().pk}/",
        lambda a: f"/api/claims/{a.claims.first().pk}/",
        lambda a: f"/api/fact-checks/{a.claims.first().fact_check.pk}/",
        lambda a: f"/api/w3c/annotations/{a.annotations.first().pk}/",
    ],
)
def test_details_do_not_grow(detail):
    client = client_for(make_user("viewer"))
    client.user = make_user("viewer")
    author = make_user("editor", "author")
    counts = []
    for size in (2, 20):
        article = _big_article(size)
        for _ in range(size // 2):
            AnnotationFactory(article=article, author=author, status="published")
            claim = services.claim_create(article=article, text="c", created_by=author)
            services.factcheck_create(claim=claim, author=author, verdict="false")
        counts.append(_count(client, detail(article)))
    assert counts[0] == counts[1]
