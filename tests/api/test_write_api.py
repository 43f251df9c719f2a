"""Writes through the API: annotations, quote and paragraph corrections, claims, fact-checks, ingestion.

Every change names the version it was based on (If-Match); errors name the field.
"""

from __future__ import annotations

import json

import pytest

from annotations.models import Annotation, FactCheck
from corpus.models import Article, Paragraph, Quote, Speaker
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("editor")


@pytest.fixture
def article():
    return ArticleFactory()


def _span(article: Article, words: str) -> tuple[int, int]:
    start = article.text.index(words)
    return start, start + len(words)


def _create(client, on: Article, **fields):
    start, end = _span(on, "The city council")
    body = {"article": on.pk, "start": start, "end": end, "tags": [], "note": "check this", **fields}
    return client.post("/api/annotations/", body, format="json")


# --- Annotations ------------------------------------------------------------------------------------


def test_create_annotation_derives_exact_and_answers_etag(editor, article):
    TagFactory(slug="budget")
    response = _create(client_for(editor), article, tags=["budget"], status="published")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["exact"] == "The city council"
    assert data["tags"] == ["budget"] and data["author"] == editor.username and data["version"] == 1
    assert response["ETag"] == f'"{data["id"]}-1"'
    assert response["Location"] == f"/api/annotations/{data['id']}/"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": 5, "end": 100_000}, "end"),
        ({"start": 10, "end": 10}, "end"),
        ({"exact": "not what is there"}, "exact"),
        ({"tags": ["no-such-tag"]}, "tags"),
        ({"tags": [], "note": ""}, "tags"),
        ({"target": "paragraph", "start": None, "end": None}, "paragraph"),
        ({"article": 999_999}, "article"),
        ({"start": -1}, "start"),
    ],
)
def test_create_annotation_errors_name_the_field(editor, article, fields, field):
    response = _create(client_for(editor), article, **fields)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Annotation.objects.exists()


def test_whole_paragraph_and_quote_annotations(editor, article):
    client = client_for(editor)
    paragraph = article.paragraphs.order_by("position")[1]
    quote = article.quotes.first()
    response = _create(client, article, target="paragraph", start=None, end=None, paragraph=paragraph.pk)
    assert response.status_code == 201, response.content
    assert response.json()["exact"] == article.text[paragraph.start : paragraph.end]
    response = _create(client, article, target="quote", start=None, end=None, quote=quote.pk)
    assert response.status_code == 201, response.content
    assert response.json()["quote"] == quote.pk


def test_update_requires_if_match_and_refuses_stale_versions(editor, article):
    client = client_for(editor)
    created = _create(client, article)
    url, etag = f"/api/annotations/{created.json()['id']}/", created["ETag"]

    missing = client.patch(url, {"note": "no precondition"}, format="json")
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]

    first = client.patch(url, {"note": "first edit"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first.json()["note"] == "first edit"
    assert first["ETag"] != etag

    stale = client.patch(url, {"note": "based on the old version"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "version 1" in stale.json()["detail"] and "version 2" in stale.json()["detail"]
    assert Annotation.objects.get().note == "first edit"

    other = client.patch(url, {"note": "x"}, format="json", HTTP_IF_MATCH='"999999-1"')
    assert other.status_code == 412
    star = client.patch(url, {"note": "x"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 428


def test_what_a_client_reads_it_can_write_back(editor, article):
    client = client_for(editor)
    TagFactory(slug="budget")
    created = _create(client, article, tags=["budget"]).json()
    read = client.get(f"/api/annotations/{created['id']}/")
    body = {**read.json(), "note": "edited after reading"}
    response = client.put(
        f"/api/annotations/{created['id']}/", body, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["note"] == "edited after reading"
    assert (data["start"], data["end"], data["exact"], data["tags"]) == (
        created["start"],
        created["end"],
        created["exact"],
        ["budget"],
    )


def test_patch_moves_a_span_and_validates_it(editor, article):
    client = client_for(editor)
    created = _create(client, article)
    url = f"/api/annotations/{created.json()['id']}/"
    start, end = _span(article, "harbour")
    moved = client.patch(url, {"start": start, "end": end}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert moved.status_code == 200 and moved.json()["exact"] == "harbour"
    bad = client.patch(url, {"end": 10**6}, format="json", HTTP_IF_MATCH=moved["ETag"])
    assert bad.status_code == 400 and "end" in bad.json()
    other = ArticleFactory()
    refused = client.patch(url, {"article": other.pk}, format="json", HTTP_IF_MATCH=moved["ETag"])
    assert refused.status_code == 400 and "article" in refused.json()


def test_delete_requires_current_version(editor, article):
    client = client_for(editor)
    created = _create(client, article)
    url, etag = f"/api/annotations/{created.json()['id']}/", created["ETag"]
    assert client.delete(url).status_code == 428
    edited = client.patch(url, {"note": "changed"}, format="json", HTTP_IF_MATCH=etag)
    assert client.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert client.delete(url, HTTP_IF_MATCH=edited["ETag"]).status_code == 204
    assert not Annotation.objects.exists()


def test_editors_change_only_their_own_annotations(article):
    mine = AnnotationFactory(article=article, author=make_user("editor", "alice"))
    other = client_for(make_user("editor", "bob"))
    etag = f'"{mine.pk}-{mine.version}"'
    assert (
        other.patch(
            f"/api/annotations/{mine.pk}/", {"note": "x"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 403
    )
    assert other.delete(f"/api/annotations/{mine.pk}/", HTTP_IF_MATCH=etag).status_code == 403
    root = client_for(make_user("superuser"))
    assert (
        root.patch(
            f"/api/annotations/{mine.pk}/", {"note": "x"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )


# --- Quotes and paragraphs ------------------------------------------------------------------------------


def test_quote_correction(editor, article):
    client = client_for(editor)
    quote = Quote.objects.filter(article=article).first()
    speaker = Speaker.objects.create(name="Someone Else")
    url = f"/api/quotes/{quote.pk}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"kind": "partial"}, format="json").status_code == 428
    response = client.patch(
        url,
        {"speaker_id": speaker.pk, "kind": "partial", "verified": True},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["speaker"], data["kind"], data["verified"]) == ("Someone Else", "partial", True)
    quote.refresh_from_db()
    assert quote.corrected_by == editor
    assert client.patch(url, {"verified": False}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    bad = client.patch(url, {"kind": "shouted"}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert bad.status_code == 400 and "kind" in bad.json()
    local = Speaker.objects.create(name="an expert", kind="anonymous", article=ArticleFactory())
    foreign = client.patch(url, {"speaker_id": local.pk}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert foreign.status_code == 400 and "speaker" in foreign.json()


def test_paragraph_role(editor, article):
    client = client_for(editor)
    paragraph = article.paragraphs.order_by("position").last()
    url = f"/api/paragraphs/{paragraph.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"role": "caption"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["rule"]) == ("caption", "editor")
    assert Paragraph.objects.get(pk=paragraph.pk).role == "caption"
    bad = client.patch(url, {"role": "footer"}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert bad.status_code == 400 and "role" in bad.json()
    assert client.put(url, {"role": "body"}, format="json", HTTP_IF_MATCH=response["ETag"]).status_code == 405


# --- Claims and fact-checks ---------------------------------------------------------------------


def test_fact_check_workflow(article):
    author = make_user("editor", "writer")
    checker = make_user("factchecker", "checker")
    writer, reviewer = client_for(author), client_for(checker)

    claim = writer.post("/api/claims/", {"article": article.pk, "text": "Spending doubled."}, format="json")
    assert claim.status_code == 201, claim.content
    created = writer.post(
        "/api/fact-checks/",
        {
            "claim": claim.json()["id"],
            "verdict": "mostly_false",
            "rationale": "It rose by a third.",
            "evidence": [{"url": "https://example.org/budget", "title": "Budget", "accessed": "2024-05-01"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/fact-checks/{created.json()['id']}/"
    assert created.json()["evidence"][0]["publisher"] == ""

    edited = writer.patch(url, {"verdict": "false"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert edited.status_code == 200 and edited.json()["verdict"] == "false"
    assert writer.post(url + "submit/").status_code == 428
    submitted = writer.post(url + "submit/", HTTP_IF_MATCH=edited["ETag"])
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"

    # The author cannot review; an editor without the review permission cannot either.
    assert writer.post(url + "publish/", HTTP_IF_MATCH=submitted["ETag"]).status_code == 403
    assert (
        reviewer.post(url + "send-back/", {}, format="json", HTTP_IF_MATCH=submitted["ETag"]).status_code
        == 400
    )
    sent_back = reviewer.post(
        url + "send-back/", {"comment": "cite the budget"}, format="json", HTTP_IF_MATCH=submitted["ETag"]
    )
    assert sent_back.status_code == 200 and sent_back.json()["status"] == "draft"
    assert sent_back.json()["review_comment"] == "cite the budget"

    again = writer.post(url + "submit/", HTTP_IF_MATCH=sent_back["ETag"])
    assert reviewer.post(url + "publish/", HTTP_IF_MATCH=sent_back["ETag"]).status_code == 412
    published = reviewer.post(url + "publish/", HTTP_IF_MATCH=again["ETag"])
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published" and published.json()["reviewer"] == "checker"
    assert FactCheck.objects.get().published_at is not None
    not_in_review = reviewer.post(url + "publish/", HTTP_IF_MATCH=published["ETag"])
    assert not_in_review.status_code == 400 and "status" in not_in_review.json()


def test_claim_errors_name_the_field(article):
    client = client_for(make_user("editor"))
    assert "text" in client.post("/api/claims/", {"article": article.pk}, format="json").json()
    other = ArticleFactory()
    annotation = AnnotationFactory(article=other)
    response = client.post(
        "/api/claims/", {"article": article.pk, "text": "x", "annotation": annotation.pk}, format="json"
    )
    assert response.status_code == 400 and "annotation" in response.json()


def test_claim_changes_name_their_version_and_respect_review(article):
    author = make_user("editor", "writer")
    checker = make_user("factchecker", "checker")
    writer, reviewer = client_for(author), client_for(checker)
    created = writer.post("/api/claims/", {"article": article.pk, "text": "Spending doubled."}, format="json")
    url = f"/api/claims/{created.json()['id']}/"

    assert writer.patch(url, {"text": "Spending tripled."}, format="json").status_code == 428
    edited = writer.patch(url, {"text": " Spending tripled. "}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert edited.status_code == 200 and edited.json()["text"] == "Spending tripled."
    assert edited["ETag"] == f'"{edited.json()["id"]}-2"'
    stale = writer.patch(url, {"text": "again"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412
    # Errors name the field: a blank claim, an annotation on another article.
    assert "text" in writer.patch(url, {"text": " "}, format="json", HTTP_IF_MATCH=edited["ETag"]).json()
    elsewhere = AnnotationFactory(article=ArticleFactory())
    response = writer.patch(url, {"annotation": elsewhere.pk}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert response.status_code == 400 and "annotation" in response.json()
    # Somebody else's claim is theirs to change.
    assert reviewer.patch(url, {"text": "x"}, format="json", HTTP_IF_MATCH=edited["ETag"]).status_code == 403

    check = writer.post(
        "/api/fact-checks/", {"claim": edited.json()["id"], "verdict": "false"}, format="json"
    )
    check_url = f"/api/fact-checks/{check.json()['id']}/"
    submitted = writer.post(check_url + "submit/", HTTP_IF_MATCH=check["ETag"])
    frozen = writer.patch(url, {"text": "Spending rose."}, format="json", HTTP_IF_MATCH=edited["ETag"])
    assert frozen.status_code == 400 and "in review" in frozen.json()["claim"][0]
    refused = writer.delete(url, HTTP_IF_MATCH=edited["ETag"])
    assert refused.status_code == 400 and "in review" in refused.json()["claim"][0]

    published = reviewer.post(check_url + "publish/", HTTP_IF_MATCH=submitted["ETag"])
    assert published.json()["status"] == "published"
    reworded = writer.patch(
        url, {"text": "Spending rose by a third."}, format="json", HTTP_IF_MATCH=edited["ETag"]
    )
    assert reworded.status_code == 200, reworded.content
    # What was published checked other words: the fact-check goes back through review.
    fact_check = FactCheck.objects.get()
    assert (fact_check.status, fact_check.published_at, fact_check.reviewer) == ("draft", None, None)
    assert reworded.json()["fact_check"]["status"] == "draft"


def test_withdrawing_a_claim(article):
    author = make_user("editor", "writer")
    other = make_user("editor", "other")
    writer, colleague = client_for(author), client_for(other)
    created = writer.post("/api/claims/", {"article": article.pk, "text": "Crime fell."}, format="json")
    url = f"/api/claims/{created.json()['id']}/"
    check = colleague.post(
        "/api/fact-checks/", {"claim": created.json()["id"], "verdict": "mixed"}, format="json"
    )
    assert check.status_code == 201
    # A colleague's draft fact-check is not the claim author's to delete.
    refused = writer.delete(url, HTTP_IF_MATCH=created["ETag"])
    assert refused.status_code == 400 and "someone else" in refused.json()["claim"][0]
    FactCheck.objects.all().delete()

    assert writer.delete(url).status_code == 428
    assert writer.delete(url, HTTP_IF_MATCH=f'"{created.json()["id"]}-9"').status_code == 412
    assert writer.delete(url, HTTP_IF_MATCH=created["ETag"]).status_code == 204
    assert writer.get(url).status_code == 404

    # An own draft fact-check goes with its claim.
    again = writer.post("/api/claims/", {"article": article.pk, "text": "Crime rose."}, format="json")
    writer.post("/api/fact-checks/", {"claim": again.json()["id"], "verdict": "true"}, format="json")
    assert writer.delete(f"/api/claims/{again.json()['id']}/", HTTP_IF_MATCH=again["ETag"]).status_code == 204
    assert not FactCheck.objects.exists()


# --- Articles ------------------------------------------------------------------------------------


ARTICLE = {
    "title": "Harbour repairs approved",
    "text": 'The council approved the repairs.\n\n"We start in May," said Helena Vasquez.',
    "url": "https://news.example.org/harbour",
    "source": "Example News",
    "published_at": "2024-05-01T08:00:00Z",
    "language": "en",
    "external_id": "h-1",
}


def test_post_article_ingests_the_body_bytes(editor):
    client = client_for(editor)
    raw = json.dumps(ARTICLE, ensure_ascii=False).encode()
    response = client.post("/api/articles/", raw, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Harbour repairs approved" and data["source"] == "Example News"
    assert data["paragraphs"] and response["ETag"] == f'"{data["id"]}-1"'
    article = Article.objects.get(pk=data["id"])
    assert article.raw_text.encode() == raw
    again = client.post("/api/articles/", raw, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "no text"}, "text"),
        ({"text": "   "}, "text"),
        ({**ARTICLE, "published_at": "last tuesday"}, "published_at"),
        ({**ARTICLE, "url": 12}, "url"),
        ({**ARTICLE, "colour": "red"}, "non_field_errors"),
    ],
)
def test_post_article_errors_name_the_field(editor, body, field):
    response = client_for(editor).post("/api/articles/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Article.objects.exists()


def test_post_article_needs_the_editor_role():
    assert client_for(make_user("viewer")).post("/api/articles/", ARTICLE, format="json").status_code == 403
    assert client_for(None).post("/api/articles/", ARTICLE, format="json").status_code == 401
