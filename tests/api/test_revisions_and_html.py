"""Earlier revisions through the API, with a diff; HTML pages as the body of an article POST."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest.readers import ArticleInput
from corpus.models import Article
from corpus.services import article_ingest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = Path(__file__).resolve().parent.parent / "corpus" / "pages" / "news_page.html"


def _ingest(body: str) -> Article:
    record = ArticleInput(raw=body.encode(), body=body, url="https://example.org/r", origin="t")
    return article_ingest(record=record).article


def test_revisions_are_listed_and_readable_with_a_diff(api_client):
    _ingest("Headline\nThe vote was seven to four.\nUnchanged.")
    _ingest("Headline\nThe vote was eight to three.\nUnchanged.")
    article = _ingest("Headline\nThe vote was nine to two.\nUnchanged.")
    listing = api_client.get(f"/api/articles/{article.pk}/revisions/")
    assert listing.status_code == 200
    assert [r["number"] for r in listing.json()] == [1, 2]
    first = api_client.get(f"/api/articles/{article.pk}/revisions/1/").json()
    assert first["text"].endswith("Unchanged.") and "seven to four" in first["text"]
    assert (
        "-The vote was seven to four." in first["diff"] and "+The vote was eight to three." in first["diff"]
    )
    second = api_client.get(f"/api/articles/{article.pk}/revisions/2/").json()
    assert "+The vote was nine to two." in second["diff"]
    assert api_client.get(f"/api/articles/{article.pk}/revisions/3/").status_code == 404


def test_html_page_can_be_posted_by_an_editor(api_client):
    editor = UserFactory(groups=["Editor"])
    api_client.force_authenticate(editor)
    raw = PAGE.read_bytes()
    response = api_client.generic("POST", "/api/articles/", raw, content_type="text/html; charset=utf-8")
    assert response.status_code == 201, response.content[:500]
    article = Article.objects.get()
    assert article.raw_text.encode("utf-8") == raw
    assert article.title == "Harbour repairs approved after long fight"
    assert response.json()["title"] == article.title
    again = api_client.generic("POST", "/api/articles/", raw, content_type="text/html")
    assert again.status_code == 200


def test_html_without_article_text_is_refused_with_a_message(api_client):
    api_client.force_authenticate(UserFactory(groups=["Editor"]))
    page = b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>"
    response = api_client.generic("POST", "/api/articles/", page, content_type="text/html")
    assert response.status_code == 400
    assert "no article text found" in response.content.decode()
    assert Article.objects.count() == 0
