"""Only http and https URLs are stored: article urls at ingest (command, API) and source homepages.
A ``javascript:`` URL stored anywhere ends up as a link on the app's own origin."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from corpus.models import Article, Source
from corpus.weburls import is_web_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/a",
    "//evil.example/a",
    "/relative/path",
    "https://",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_only_http_and_https_are_web_urls(url):
    assert not is_web_url(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "HTTP://EXAMPLE.ORG", "https://例え.jp/パス"])
def test_http_and_https_urls_pass(url):
    assert is_web_url(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_ingest_command_refuses_a_non_http_url_and_ingests_the_others(tmp_path, capsys, url):
    (tmp_path / "bad.json").write_text(json.dumps({"text": "A headline\nA body.", "url": url}))
    (tmp_path / "good.txt").write_text("A good headline\nA good first paragraph.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 ingested, 0 revised, 0 unchanged, 1 failed"):
        call_command("ingest", str(tmp_path))
    err = capsys.readouterr().err
    assert "bad.json" in err and "'url'" in err and "http" in err
    assert list(Article.objects.values_list("title", flat=True)) == ["A good headline"]


def test_ingest_command_refuses_a_non_http_url_in_a_sidecar(tmp_path, capsys):
    (tmp_path / "story.txt").write_text("A headline\nA body.\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(json.dumps({"url": "javascript:alert(1)"}))
    with pytest.raises(CommandError, match="1 failed"):
        call_command("ingest", str(tmp_path))
    assert "story.meta.json" in capsys.readouterr().err
    assert not Article.objects.exists()


def test_ingest_of_html_drops_a_non_http_canonical_link(tmp_path):
    page = (
        '<html><head><title>A page</title><link rel="canonical" href="javascript:alert(1)"></head>'
        "<body><article><h1>A page headline</h1><p>" + "A paragraph of the page body. " * 8 + "</p>"
        "</article></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    call_command("ingest", str(tmp_path))
    assert Article.objects.get().url is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/a"])
def test_api_ingest_refuses_a_non_http_url(url):
    client = APIClient()
    client.force_authenticate(UserFactory(groups=["Editor"]))
    response = client.post("/api/articles/", {"text": "A headline\nA body.", "url": url}, format="json")
    assert response.status_code == 400, response.content
    assert "url" in response.json() and "http" in response.json()["url"][0]
    assert not Article.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/a", "data:text/html,x"])
def test_source_homepage_must_be_http(url, client):
    with pytest.raises(ValidationError) as caught:
        Source(name="Outlet", homepage=url).full_clean()
    assert "homepage" in caught.value.message_dict
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post("/admin/corpus/source/add/", {"name": "Outlet", "homepage": url, "licence": ""})
    assert response.status_code == 200  # the form again, with its error
    assert not Source.objects.filter(name="Outlet").exists()
    ok = client.post(
        "/admin/corpus/source/add/", {"name": "Outlet", "homepage": "https://outlet.example", "licence": ""}
    )
    assert ok.status_code == 302 and Source.objects.get(name="Outlet").homepage == "https://outlet.example"
