"""Admin search reaches the text: articles by a phrase of their body, quotes and paragraphs by their
own words; a lone quotation mark finds nothing. Each searched changelist pins its query count."""

from __future__ import annotations

import pytest

from corpus.models import Quote
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Envoys change their tone {n}\n"
    "The embassy's statement used the language of wolf warrior diplomacy once more.\n"
    '"We will answer every provocation firmly," said spokesman Wang Lei.\n'
    "He made the remarks at 토토사이트 study session on Monday.\n"
)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def corpus():
    searched = ArticleFactory(body=BODY.format(n=1), title="Xi meets envoys")
    # A title naming the speaker of no quote, and a body without the phrases searched for.
    ArticleFactory(body="Xi visits the harbour\nThe visit was short.\n", title="Xi visits the harbour")
    ArticleFactory(body="Council votes\nThe council voted on Tuesday.\n")
    return searched


def _found(client, url: str, q: str) -> list[str]:
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def test_articles_are_found_by_a_phrase_of_their_body_and_the_spam_token(admin_client, corpus):
    url = "/admin/corpus/article/"
    assert _found(admin_client, url, "wolf warrior diplomacy") == [str(corpus)]
    assert _found(admin_client, url, "토토사이트") == [str(corpus)]
    assert _found(admin_client, url, "provocation firmly") == [str(corpus)]
    # the admin's own fields still count
    assert sorted(_found(admin_client, url, "harbour")) == ["Xi visits the harbour"]
    assert _found(admin_client, url, "nowhere-to-be-found") == []


def test_quotes_are_found_by_their_own_words_not_by_the_article_title(admin_client, corpus):
    url = "/admin/corpus/quote/"
    quote = Quote.objects.get(article=corpus)
    assert _found(admin_client, url, "provocation") == [str(quote)]
    assert _found(admin_client, url, "answer every provocation") == [str(quote)]
    assert _found(admin_client, url, "Wang Lei") == [str(quote)]  # the speaker's name
    # "Xi" is in the article's title only, and "diplomacy" in its text outside the quote
    assert _found(admin_client, url, "Xi") == []
    assert _found(admin_client, url, "diplomacy") == []


def test_paragraphs_are_found_by_their_own_words(admin_client, corpus):
    found = admin_client.get("/admin/corpus/paragraph/", {"q": "study session"}).context["cl"].result_list
    assert [p.text for p in found] == ["He made the remarks at 토토사이트 study session on Monday."]


@pytest.mark.parametrize("q", ["'", '"', "' \"", "“”"])
@pytest.mark.parametrize(
    "url", ["/admin/corpus/article/", "/admin/corpus/quote/", "/admin/corpus/paragraph/"]
)
def test_a_lone_quotation_mark_finds_nothing(admin_client, corpus, url, q):
    assert _found(admin_client, url, q) == []


def test_a_quoted_phrase_still_searches(admin_client, corpus):
    assert _found(admin_client, "/admin/corpus/article/", '"wolf warrior"') == [str(corpus)]
    assert _found(admin_client, "/admin/corpus/quote/", '"every provocation"') == [
        str(Quote.objects.get(article=corpus))
    ]


# Session, user, count of matches, count of all rows, the rows; the article list adds the source and
# language filters' choices and the date hierarchy's range and years, the paragraph list its rules.
SEARCH_QUERIES = {
    "/admin/corpus/article/": 9,
    "/admin/corpus/quote/": 5,
    "/admin/corpus/paragraph/": 6,
}


@pytest.mark.parametrize("url", SEARCH_QUERIES)
def test_searched_changelists_pin_their_query_count(admin_client, corpus, django_assert_num_queries, url):
    admin_client.get(url, {"q": "provocation"})  # warm per-process caches (content types)
    for n in range(3):
        ArticleFactory(body=BODY.format(n=10 + n))
    with django_assert_num_queries(SEARCH_QUERIES[url]):
        response = admin_client.get(url, {"q": "provocation"})
    assert response.context["cl"].result_count == 4
