"""Each event reaches a subscribed receiver once, signed, with the payload docs/webhooks.md shows, and
only after its change commits."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from annotations import services as annotation_services
from annotations.exports.selection import ExportOptions
from annotations.exports.services import export_job_create
from corpus.ingest.readers import ArticleInput
from corpus.services import article_ingest, batch_ingest
from tests.factories import ArticleFactory, UserFactory
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, Event

pytestmark = pytest.mark.django_db

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _record(n: int, body: str | None = None, url: str | None = None) -> ArticleInput:
    body = body or f"Harbour repairs approved {n}\nThe council voted to spend more on harbour number {n}.\n"
    return ArticleInput(
        raw=body.encode(),
        body=body,
        url=url or f"https://news.example.org/{n}",
        source="Example News",
        origin=f"test {n}",
    )


def _only(receiver, secret: str) -> dict:
    """The one request received: its headers checked, its signature verified, its JSON returned."""
    assert len(receiver.requests) == 1, receiver.events()
    (received,) = receiver.requests
    assert received.path == "/hooks/newsdesk"
    assert received.headers["Content-Type"] == "application/json; charset=utf-8"
    assert received.signed_by(secret)
    assert not received.signed_by(secret + "x")
    payload = received.json
    assert list(payload) == ["id", "event", "created_at", "data"]
    assert received.headers["X-Newsdesk-Delivery"] == payload["id"]
    assert received.headers["X-Newsdesk-Event"] == payload["event"]
    assert received.headers["X-Newsdesk-Attempt"] == "1"
    assert RFC3339.match(payload["created_at"])
    delivery = Delivery.objects.get(uuid=payload["id"])
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert delivery.body.encode() == received.body
    return payload


def _article_data(article) -> dict:
    return {
        "id": article.pk,
        "url": article.url,
        "source": "Example News",
        "external_id": "",
        "title": article.title,
        "published_at": None,
        "language": "en",
        "content_hash": article.content_hash,
        "revision": article.revision,
    }


def test_article_ingested(hook, receiver, immediate_tasks, django_capture_on_commit_callbacks):
    _, secret = hook
    with django_capture_on_commit_callbacks(execute=True):
        article = article_ingest(record=_record(1)).article
    payload = _only(receiver, secret)
    assert payload["event"] == "article.ingested"
    assert payload["data"] == {"articles": [_article_data(article)]}
    assert article.title == "Harbour repairs approved 1"


def test_a_batch_of_articles_is_one_delivery(
    hook, receiver, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    with django_capture_on_commit_callbacks(execute=True):
        results = list(batch_ingest(records=[_record(n) for n in range(5)], batch_size=3))
    articles = [result.article for result in results]
    assert receiver.events() == ["article.ingested", "article.ingested"]
    first, second = (r.json["data"]["articles"] for r in receiver.requests)
    assert first == [_article_data(a) for a in articles[:3]]
    assert second == [_article_data(a) for a in articles[3:]]
    assert all(r.signed_by(secret) for r in receiver.requests)


def test_article_revised(hook, receiver, immediate_tasks, django_capture_on_commit_callbacks):
    _, secret = hook
    article = article_ingest(record=_record(1)).article
    with django_capture_on_commit_callbacks(execute=True):
        revised = article_ingest(record=_record(1, body="Harbour repairs approved\nA new text.\n")).article
    payload = _only(receiver, secret)
    assert payload["event"] == "article.revised"
    assert revised.pk == article.pk and revised.revision == 2
    assert payload["data"] == {"article": _article_data(revised)}


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", groups=["Fact-checker"])


def _annotation_data(annotation, **changes) -> dict:
    return {
        "id": annotation.pk,
        "article": annotation.article_id,
        "target": "span",
        "paragraph": None,
        "quote": None,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "tags": [],
        "note": "needs a source",
        "status": "draft",
        "origin": "editor",
        "author": "ed",
        "version": 1,
        **changes,
    }


def test_annotation_created_and_changed(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        annotation = annotation_services.annotation_create(
            article=article, author=editor, start=0, end=7, note="needs a source"
        )
    payload = _only(receiver, secret)
    assert payload["event"] == "annotation.created"
    assert payload["data"] == {"annotation": _annotation_data(annotation)}
    assert annotation.exact == "Council"

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        annotation_services.annotation_update(
            annotation=annotation, expected_version=1, user=editor, note="two sources", status="published"
        )
    payload = _only(receiver, secret)
    assert payload["event"] == "annotation.changed"
    assert payload["data"] == {
        "annotation": _annotation_data(annotation, note="two sources", status="published", version=2)
    }


def test_factcheck_submitted_and_published(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    reviewer = UserFactory(username="rev", groups=["Fact-checker"])
    article = ArticleFactory()
    claim = annotation_services.claim_create(article=article, text="The plan was rushed.", created_by=editor)
    fact_check = annotation_services.factcheck_create(claim=claim, author=editor, verdict="misleading")
    expected = {
        "id": fact_check.pk,
        "claim": claim.pk,
        "article": article.pk,
        "claim_text": "The plan was rushed.",
        "verdict": "misleading",
        "status": "in_review",
        "revision_status": None,
        "author": "ed",
        "reviewer": None,
        "published_at": None,
        "modified_at": None,
        "version": 2,
    }
    with django_capture_on_commit_callbacks(execute=True):
        annotation_services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
    payload = _only(receiver, secret)
    assert payload["event"] == "factcheck.submitted"
    assert payload["data"] == {"fact_check": expected}

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = annotation_services.factcheck_publish(
            fact_check=fact_check, expected_version=2, user=reviewer
        )
    payload = _only(receiver, secret)
    assert payload["event"] == "factcheck.published"
    assert payload["data"] == {
        "fact_check": {
            **expected,
            "status": "published",
            "reviewer": "rev",
            "published_at": published.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "version": 3,
        }
    }


def test_export_finished(
    hook, receiver, editor, immediate_tasks, settings, tmp_path, django_capture_on_commit_callbacks
):
    _, secret = hook
    settings.EXPORTS_DIR = tmp_path / "exports"
    ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(fmt="jsonl", options=ExportOptions(), user=editor)
    job.refresh_from_db()
    assert job.status == "done"
    payload = _only(receiver, secret)
    assert payload["event"] == "export.finished"
    assert payload["data"] == {
        "export": {
            "id": job.pk,
            "format": "jsonl",
            "status": "done",
            "error": "",
            "requested_by": "ed",
            "created_at": job.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished_at": job.finished_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    }


def test_only_the_events_a_webhook_chose(
    admin_user, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    services.webhook_create(user=admin_user, url=receiver.url, events=["annotation.changed"])
    services.webhook_create(user=admin_user, url=receiver.url, events=Event.values, is_active=False)
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        annotation_services.annotation_create(article=article, author=editor, start=0, end=7, note="n")
        article_ingest(record=_record(9))
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_rolled_back_change_sends_nothing(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        annotation_services.annotation_create(article=article, author=editor, start=0, end=7, note="n")
        article_ingest(record=_record(2))
        raise RuntimeError("the request failed after the writes")
    assert callbacks == []
    assert receiver.requests == []
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sent_on_a_real_commit_and_not_on_a_real_rollback(receiver, immediate_tasks):
    """Real transactions, no captured callbacks: the commit sends, the rollback does not."""
    admin = UserFactory(username="root2", is_staff=True, is_superuser=True)
    _, secret = services.webhook_create(user=admin, url=receiver.url, events=["article.ingested"])
    with pytest.raises(RuntimeError), transaction.atomic():
        article_ingest(record=_record(3))
        raise RuntimeError("rolled back")
    assert receiver.requests == []
    with transaction.atomic():
        article = article_ingest(record=_record(4)).article
        assert receiver.requests == []  # not before the commit
    payload = _only(receiver, secret)
    assert payload["data"]["articles"] == [_article_data(article)]


def test_bulk_ingest_queues_and_makes_no_request(
    hook, receiver, database_tasks, django_capture_on_commit_callbacks
):
    """With a worker configured, ingesting makes no HTTP request at all: one queued delivery (one task)
    per batch and webhook."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        results = list(batch_ingest(records=[_record(n) for n in range(25)], batch_size=10))
    assert len(results) == 25
    assert receiver.requests == []
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3
    assert DBTaskResult.objects.filter(task_path="webhooks.tasks.webhook_delivery_task").count() == 3
    sizes = sorted(len(d.body.split('"content_hash"')) - 1 for d in Delivery.objects.all())
    assert sizes == [5, 10, 10]
