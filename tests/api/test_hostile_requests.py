"""Hostile requests get a 4xx that names what to change, never a 500: malformed ids and filters, JSON nested
a thousand deep or holding a lone surrogate, bodies over the limit, page sizes out of range, text of only
invisible characters, and articles too long to embed whole. The same requests through gunicorn are in
tests/faults/test_hostile_http.py."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import resolve

from annotations import w3c
from annotations.models import Annotation
from api.pagination import MAX_PAGE_SIZE
from corpus.models import Article
from tests.api.conftest import client_for, make_user
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LISTS = [
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
BAD_VALUES = ["abc", "1.5", "-1", "99999999999999999999", "1,abc", "\u200b"]


def _filters(path: str) -> list[str]:
    view = resolve(path).func.cls
    filterset = getattr(view, "filterset_class", None)
    return sorted(filterset.base_filters) if filterset is not None else []


def test_article_id_filter_that_is_not_a_number_is_a_400_naming_it(client):
    ArticleFactory()
    response = client.get("/api/articles/?id=abc")
    assert response.status_code == 400, response.content
    assert "id" in response.json()
    assert client.get("/api/articles/?id=1,abc").status_code == 400
    assert client.get("/api/articles/?id=99999999999999999999").status_code in (200, 400)


@pytest.mark.parametrize("path", LISTS)
def test_no_filter_value_is_a_500(path):
    ArticleFactory()
    client = client_for(make_user("editor"))
    for name in _filters(path) or ["unknown"]:
        for value in BAD_VALUES:
            response = client.get(path, {name: value})
            assert response.status_code < 500, (path, name, value, response.status_code)
            if response.status_code == 400:
                assert name in json.dumps(response.json()), (path, name, value, response.json())


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "-1", "1.5"])
def test_malformed_ids_in_paths_are_404s(pk):
    client = client_for(make_user("editor"))
    for path in (
        *(f"{path}{pk}/" for path in LISTS if path != "/api/tags/"),
        f"/api/speakers/{pk}/quotes/",
        f"/api/articles/{pk}/revisions/",
        f"/api/w3c/annotations/{pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response["Content-Type"].startswith(("application/json", "application/ld+json")), path


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100, 1_000, 100_000])
def test_json_nested_deeply_is_a_400_on_every_write(depth):
    article = ArticleFactory()
    client = client_for(make_user("editor"))
    deep = _nested(depth)
    bodies = {
        "/api/annotations/": f'{{"article": {article.pk}, "note": {deep}}}',
        "/api/claims/": f'{{"article": {article.pk}, "text": {deep}}}',
        "/api/articles/": f'{{"text": "Body.", "title": {deep}}}',
        "/api/w3c/annotations/": f'{{"@context": "{w3c.CONTEXT}", "type": "Annotation", "body": {deep}}}',
    }
    for path, body in bodies.items():
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 400, (path, response.status_code)
        assert "nested too deeply" in response.json()["detail"], (path, response.json())
    assert Annotation.objects.count() == 0 and Article.objects.count() == 1


def test_lone_surrogate_in_a_json_body_is_a_400_naming_the_field():
    article = ArticleFactory()
    client = client_for(make_user("editor"))
    target = w3c.article_iri(article.pk)
    document = (
        f'{{"@context": "{w3c.CONTEXT}", "type": "Annotation", "bodyValue": "bad \\ud800 note", '
        f'"target": "{target}"}}'
    )
    response = client.post("/api/w3c/annotations/", document, content_type="application/json")
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert "bodyValue" in detail and "lone surrogate" in detail
    body = f'{{"article": {article.pk}, "note": "x", "tags": ["a\\udfff"]}}'
    response = client.post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400 and "tags[0]" in response.json()["detail"], response.content
    response = client.post("/api/articles/", '{"text": "Body \\ud800."}', content_type="application/json")
    assert response.status_code == 400 and "text" in response.json()["detail"], response.content
    assert Annotation.objects.count() == 0 and Article.objects.count() == 1
    # A pair is one character, not two halves.
    ok = '{"text": "Party \\ud83c\\udf89 tonight.", "title": "Pairs"}'
    assert client.post("/api/articles/", ok, content_type="application/json").status_code == 201


def test_body_over_the_limit_is_a_json_413_naming_it(settings):
    settings.INGEST_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_for(make_user("editor"))
    big = json.dumps({"text": "word " * 300})
    for path in ("/api/articles/", "/api/annotations/", "/api/w3c/annotations/"):
        response = client.post(path, big, content_type="application/json")
        assert response.status_code == 413, (path, response.status_code)
        assert response["Content-Type"].startswith(("application/json", "application/ld+json")), path
        assert "1000 bytes" in response.json()["detail"], response.json()
    assert Article.objects.count() == 0


def test_request_limit_follows_the_ingest_limit():
    # A JSON article of INGEST_MAX_BYTES is accepted as a file; so it is as a request body.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.INGEST_MAX_BYTES


@pytest.mark.parametrize("value", ["0", "-5", "abc", "2.5", str(MAX_PAGE_SIZE + 1), "99999999999999999999"])
def test_page_size_out_of_range_is_a_400_naming_it(client, value):
    ArticleFactory()
    for path in ("/api/articles/", "/api/paragraphs/", "/api/articles/?cursor="):
        response = client.get(path, {"page_size": value})
        assert response.status_code == 400, (path, value, response.status_code)
        (message,) = response.json()["page_size"]
        assert f"from 1 to {MAX_PAGE_SIZE}" in message


def test_page_size_in_range_is_served(client):
    ArticleFactory()
    for value in ("1", str(MAX_PAGE_SIZE)):
        assert client.get("/api/paragraphs/", {"page_size": value}).status_code == 200


@pytest.mark.parametrize("invisible", ["\u200b", "\u200b\u2060\ufeff", "\u00ad\u200b \u2060\t\ufeff\n"])
def test_text_of_only_invisible_characters_is_refused(invisible, tmp_path, capsys):
    client = client_for(make_user("editor"))
    response = client.post("/api/articles/", {"text": invisible}, format="json")
    assert response.status_code == 400, response.content
    assert "invisible characters" in json.dumps(response.json()), response.json()
    from django.core.management import CommandError, call_command

    path = tmp_path / "invisible.json"
    path.write_text(json.dumps({"text": invisible}), encoding="utf-8")
    with pytest.raises(CommandError, match="1 failed"):
        call_command("ingest", str(path), verbosity=0)
    assert str(path) in capsys.readouterr().err
    assert Article.objects.count() == 0

    # A note, a claim's words: what a reader cannot see is no text either.
    article = ArticleFactory()
    response = client.post(
        "/api/annotations/", {"article": article.pk, "target": "article", "note": invisible}, format="json"
    )
    assert response.status_code == 400 and "tags" in response.json(), response.content
    response = client.post("/api/claims/", {"article": article.pk, "text": invisible}, format="json")
    assert response.status_code == 400 and "text" in response.json(), response.content
    assert Annotation.objects.filter(origin="editor").count() == 0


def test_an_article_embeds_a_bounded_number_of_each_nested_list(client, monkeypatch):
    from annotations import selectors

    monkeypatch.setattr(selectors, "NESTED_LIMIT", 10)
    body = "A long article\n" + "\n".join(f'"We said {i}," Ana Lima told reporters.' for i in range(24))
    article = ArticleFactory(body=body)
    other = ArticleFactory()
    data = client.get(f"/api/articles/{article.pk}/").json()
    assert data["paragraph_count"] == 25 and len(data["paragraphs"]) == 10
    assert [p["position"] for p in data["paragraphs"]] == list(range(10))
    assert len(data["quotes"]) == 10
    more = data["more"]
    assert set(more) == {"paragraphs", "quotes"}
    assert more["paragraphs"].endswith(f"/api/paragraphs/?article={article.pk}")
    # The link pages through all of them.
    listed = client.get(more["paragraphs"] + "&page_size=100").json()
    assert listed["count"] == 25
    quotes = client.get(more["quotes"] + "&page_size=100").json()
    assert quotes["count"] == 24
    # An article under the limit is whole, and says so.
    whole = client.get(f"/api/articles/{other.pk}/").json()
    assert whole["more"] == {} and len(whole["paragraphs"]) == whole["paragraph_count"]
    # The list's ?expand= is bounded per article too.
    items = client.get("/api/articles/", {"expand": "paragraphs"}).json()["results"]
    by_id = {item["id"]: item for item in items}
    assert len(by_id[article.pk]["paragraphs"]) == 10 and set(by_id[article.pk]["more"]) == {"paragraphs"}
    assert by_id[other.pk]["more"] == {}


def test_an_added_article_is_located_at_its_api_url():
    client = client_for(make_user("editor"))
    response = client.post("/api/articles/", '{"text": "A new piece."}', content_type="application/json")
    assert response.status_code == 201, response.content
    assert response["Location"] == f"/api/articles/{response.json()['id']}/"
    again = client.post("/api/articles/", '{"text": "A new piece."}', content_type="application/json")
    assert again.status_code == 200 and again["Location"] == response["Location"]
