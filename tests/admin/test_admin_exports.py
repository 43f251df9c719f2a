"""Exports from the admin: the action on selected articles and the export page stream the same files as
the command, published only unless the user may read drafts and asks for them."""

from __future__ import annotations

import json

import pytest

from tests.factories import AnnotationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_export_selected_articles_as_jsonl(admin_client):
    kept = AnnotationFactory(note="public note", status="published")
    AnnotationFactory(note="other article")
    page = admin_client.post(
        "/admin/corpus/article/", {"action": "export_selected", "_selected_action": [kept.article_id]}
    )
    assert b"Export selected articles" in page.content
    response = admin_client.post(
        "/admin/corpus/article/",
        {
            "action": "export_selected",
            "_selected_action": [kept.article_id],
            "apply": "1",
            "format": "jsonl",
            "text": "full",
        },
    )
    assert response["Content-Disposition"].startswith("attachment")
    lines = _body(response).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [kept.article_id]


def test_export_page_keeps_drafts_out_unless_asked(client):
    viewer = UserFactory(username="viewer", is_staff=True, groups=["Viewer"])
    AnnotationFactory(note="a secret draft", status="draft")
    client.force_login(viewer)
    assert b"Export a dataset" in client.get("/admin/corpus/article/export/").content
    public = _body(client.post("/admin/corpus/article/export/", {"format": "jsonl", "text": "full"}))
    assert b"a secret draft" not in public
    drafts = _body(
        client.post(
            "/admin/corpus/article/export/", {"format": "jsonl", "text": "full", "include_drafts": "on"}
        )
    )
    assert b"a secret draft" in drafts


def test_export_page_without_text(admin_client):
    AnnotationFactory(note="n", status="published")
    body = _body(admin_client.post("/admin/corpus/article/export/", {"format": "jsonl", "text": "none"}))
    record = json.loads(body.decode().splitlines()[0])
    assert record["text"] is None and record["content_hash"]
