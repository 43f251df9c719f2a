"""Article search counts its matches only up to a cap; past it the results come newest first (PostgreSQL),
page numbers stop at the cap, and the cursor still walks every match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from api.pagination import known_count, with_count
from corpus import search
from corpus.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CAP = 3


@pytest.fixture
def cap(monkeypatch) -> int:
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", CAP)
    return CAP


def _harbour_articles(n: int, *, source: str = "Coast Times") -> list[Article]:
    """n articles about the harbour, each published a day after the one before."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = []
    for i in range(n):
        article = ArticleFactory(
            body=f"Harbour story {i} of {source}\nThe harbour wall needs work, part {i}.\n", source=source
        )
        Article.objects.filter(pk=article.pk).update(published_at=start + timedelta(days=i))
        articles.append(article)
    return articles


def _ids(data: dict) -> list[int]:
    return [item["id"] for item in data["results"]]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_search_under_the_cap_counts_exactly(client, cap):
    _harbour_articles(2)
    ArticleFactory(body="Rail fares\nFares rise in spring.\n")
    data = client.get("/api/articles/?q=harbour").json()
    assert data["count"] == 2 and data["count_capped"] is False
    assert len(data["results"]) == 2


def test_a_search_past_the_cap_counts_to_the_cap_and_pages_that_far(client, cap):
    _harbour_articles(5)
    data = client.get("/api/articles/?q=harbour&page_size=2").json()
    assert data["count"] == CAP and data["count_capped"] is True
    assert list(data) == ["count", "count_capped", "next", "previous", "results"]
    second = client.get(_path(data["next"])).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert client.get("/api/articles/?q=harbour&page_size=2&page=3").status_code == 404


def test_the_cursor_walks_every_match_past_the_cap(client, cap):
    articles = _harbour_articles(5)
    page = client.get("/api/articles/?q=harbour&cursor=&page_size=2").json()
    assert page["count"] is None and "count_capped" not in page
    seen = _ids(page)
    while page["next"]:
        page = client.get(_path(page["next"])).json()
        seen += _ids(page)
    assert seen == sorted(a.pk for a in articles)


def test_the_cap_counts_after_the_other_filters(client, cap):
    _harbour_articles(4, source="Coast Times")
    inland = _harbour_articles(1, source="Inland Post")
    data = client.get("/api/articles/?q=harbour&source=Inland Post").json()
    assert data["count"] == 1 and data["count_capped"] is False
    assert _ids(data) == [inland[0].pk]


def test_lists_without_search_carry_no_count_capped(client):
    _harbour_articles(1)
    assert "count_capped" not in client.get("/api/articles/").json()
    assert "count_capped" not in client.get("/api/annotations/?q=harbour").json()


@pytest.mark.postgres
def test_postgres_past_the_cap_newest_first_under_it_best_first(client, cap):
    articles = _harbour_articles(4)
    newest_first = sorted(articles, key=lambda a: Article.objects.get(pk=a.pk).published_at, reverse=True)
    data = client.get("/api/articles/?q=harbour&page_size=3").json()
    assert data["count_capped"] is True
    assert _ids(data) == [a.pk for a in newest_first[:3]]
    assert all("<mark>" in item["snippet"] for item in data["results"])
    # Under the cap, the rank decides: the article saying it most comes first whatever its date.
    loud = ArticleFactory(
        body="Zeppelin\nA zeppelin, a zeppelin, another zeppelin over the zeppelin field.\n"
    )
    ArticleFactory(body="Skies\nOne zeppelin passed.\n")
    Article.objects.filter(pk=loud.pk).update(published_at=datetime(2000, 1, 1, tzinfo=UTC))
    data = client.get("/api/articles/?q=zeppelin").json()
    assert data["count"] == 2 and data["count_capped"] is False
    assert _ids(data)[0] == loud.pk


@pytest.mark.postgres
def test_postgres_search_works_inside_a_subquery():
    """The stored vector is named with the alias of its table, which a subquery renames."""
    harbour = _harbour_articles(1)[0]
    ArticleFactory(body="Rail\nFares rise.\n")
    searched = search.article_search(Article.objects.all(), q="harbour")
    assert list(Article.objects.filter(pk__in=searched.values("pk")).values_list("pk", flat=True)) == [
        harbour.pk
    ]


def test_a_known_count_survives_ordering_and_slicing_but_not_another_filter():
    queryset = with_count(Article.objects.all(), count=5, cap=3)
    assert known_count(queryset).count == 3 and known_count(queryset).capped
    assert known_count(queryset.order_by("title")[:2]) is not None
    assert known_count(queryset.filter(language="de")) is None
    assert known_count(Article.objects.all()) is None


@pytest.mark.parametrize("over_the_cap", [False, True])
def test_later_pages_hold_the_same_rows_as_slices_of_the_search(client, monkeypatch, over_the_cap):
    """Past page 1 the page's keys are picked first (snippets and counts for those rows only)."""
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 4 if over_the_cap else 100)
    _harbour_articles(7)
    expected = list(search.article_search(Article.objects.all(), q="harbour").values_list("pk", flat=True))
    seen = []
    for page in (1, 2, 3, 4):
        response = client.get(f"/api/articles/?q=harbour&page_size=2&page={page}")
        if response.status_code == 404:
            break
        results = response.json()["results"]
        assert all(item["snippet"] for item in results)
        seen += [item["id"] for item in results]
    assert seen == expected[: 4 if over_the_cap else 7]
