"""Add article in the admin is ingestion: pasted text or an uploaded file (.txt, .json, .html) with its
url, source, date, language and external id, through the service the ``ingest`` command uses. An
article never exists without its raw bytes, their hash and its paragraphs; the same bytes again or a
new version of the same url behave as in ``ingest``. The article's fields are not edited in place."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corpus.models import Article
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/corpus/article/add/"
TEXT = "Harbour wall to be rebuilt\nThe council voted on Tuesday to rebuild the harbour wall.\n"


@pytest.fixture
def people(db) -> dict:
    return {
        "editor": UserFactory(username="ed", groups=["Editor"], is_staff=True),
        "viewer": UserFactory(username="viewer", groups=["Viewer"], is_staff=True),
        "administrator": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


def _as(client, user):
    client.force_login(user)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_pasted_text_is_ingested_with_its_metadata(client, people, role):
    response = _as(client, people[role]).post(
        ADD,
        {
            "text": TEXT,
            "url": "https://harbour.example/wall",
            "source": "Harbour Gazette",
            "published_at": "2024-05-01T08:00:00Z",
            "language": "en",
            "external_id": "hg-1",
        },
        follow=True,
    )
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/corpus/article/{article.pk}/change/"
    assert article.raw_text == TEXT and article.content_hash == hashlib.sha256(TEXT.encode()).hexdigest()
    assert article.title == "Harbour wall to be rebuilt"
    assert article.paragraphs.count() == 2
    assert (article.url, article.source.name, article.external_id, article.language) == (
        "https://harbour.example/wall",
        "Harbour Gazette",
        "hg-1",
        "en",
    )
    assert article.published_at.isoformat() == "2024-05-01T08:00:00+00:00"
    assert f"ingested as article {article.pk}" in _messages(response)


def test_the_same_bytes_again_are_no_error_and_no_second_article(client, people):
    client = _as(client, people["editor"])
    client.post(ADD, {"text": TEXT})
    first = Article.objects.get()
    response = client.post(ADD, {"text": TEXT}, follow=True)
    assert response.status_code == 200
    assert Article.objects.count() == 1
    assert response.redirect_chain[-1][0] == f"/admin/corpus/article/{first.pk}/change/"
    assert f"already ingested as article {first.pk}" in _messages(response)


def test_new_bytes_for_the_same_url_make_a_revision(client, people):
    client = _as(client, people["editor"])
    client.post(ADD, {"text": TEXT, "url": "https://harbour.example/wall"})
    changed = TEXT + "The work starts in June.\n"
    response = client.post(ADD, {"text": changed, "url": "https://harbour.example/wall"}, follow=True)
    article = Article.objects.get()
    assert article.raw_text == changed and article.revisions.count() == 1
    assert "new revision" in _messages(response)


@pytest.mark.parametrize(
    ("name", "content", "title"),
    [
        ("story.txt", TEXT.encode(), "Harbour wall to be rebuilt"),
        (
            "story.json",
            json.dumps(
                {"title": "From JSON", "text": "A body paragraph.", "url": "https://a.example/j"}
            ).encode(),
            "From JSON",
        ),
        (
            "story.html",
            (
                "<html><head><title>From HTML</title></head><body><article><h1>From HTML</h1><p>"
                + "The council voted to rebuild the wall. " * 6
                + "</p></article></body></html>"
            ).encode(),
            "From HTML",
        ),
    ],
)
def test_an_uploaded_file_is_read_as_the_ingest_command_reads_it(client, people, name, content, title):
    upload = SimpleUploadedFile(name, content)
    response = _as(client, people["editor"]).post(ADD, {"file": upload, "source": "Uploads"}, follow=True)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/corpus/article/{article.pk}/change/"
    assert article.raw_text.encode() == content
    assert article.content_hash == hashlib.sha256(content).hexdigest()
    assert article.title == title and article.paragraphs.exists()
    assert article.metadata["format"] == name.rsplit(".", 1)[1]
    assert article.source.name == "Uploads"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({}, None, "Paste the text or upload a file"),
        ({"text": TEXT, "file": ("a.txt", b"Other\nText\n")}, None, "not both"),
        ({"file": ("notes.md", b"# Notes\n")}, "file", "notes.md"),
        ({"file": ("broken.json", b'{"text": ')}, "file", "broken.json: invalid JSON"),
        ({"file": ("blob.txt", b"\x89PNG\x00\x00")}, "file", "NUL bytes"),
        ({"text": TEXT, "url": "javascript:alert(1)"}, "url", "http"),
        ({"text": TEXT, "published_at": "yesterday"}, "published_at", "ISO 8601"),
        ({"text": TEXT, "external_id": "x-1"}, "external_id", "needs a 'source'"),
        ({"text": " \u200b \n"}, None, "no text left"),
    ],
)
def test_bad_input_is_a_form_error_naming_the_field_and_writes_nothing(client, people, data, field, words):
    if "file" in data:
        name, content = data["file"]
        data = {**data, "file": SimpleUploadedFile(name, content)}
    response = _as(client, people["editor"]).post(ADD, data)
    assert response.status_code == 200  # the form again
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(words in e for e in errors), form.errors
    assert not Article.objects.exists()


def test_viewers_and_anonymous_readers_cannot_add(client, people):
    assert client.get(ADD).status_code == 302  # to the login page
    client = _as(client, people["viewer"])
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"text": TEXT}).status_code == 403
    assert not Article.objects.exists()


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_the_add_page_offers_paste_and_upload(client, people, role):
    page = _as(client, people[role]).get(ADD).content.decode()
    assert 'name="text"' in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    for name in ("url", "source", "published_at", "language", "external_id"):
        assert f'name="{name}"' in page
    assert 'name="raw_text"' not in page and 'name="content_hash"' not in page


@pytest.mark.parametrize("role", ["editor", "viewer", "administrator"])
def test_an_article_is_not_edited_in_place(client, people, role):
    _as(client, people["administrator"]).post(ADD, {"text": TEXT, "url": "https://harbour.example/wall"})
    article = Article.objects.get()
    client = _as(client, people[role])
    page = client.get(f"/admin/corpus/article/{article.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode() and 'name="_save"' not in page.content.decode()
    response = client.post(
        f"/admin/corpus/article/{article.pk}/change/",
        {"title": "Rewritten", "url": "https://elsewhere.example/", "expected_version": article.version},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.url) == ("Harbour wall to be rebuilt", "https://harbour.example/wall")
