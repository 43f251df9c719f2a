"""Deletions, claims, reprocessing and imports reach a subscribed receiver on 127.0.0.1, signed, with the
payload docs/webhooks.md shows, from every door that calls the service: the API and the admin for
annotations and claims, the commands for takedown, reprocess and import_dataset (their only doors)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from annotations import services as annotation_services
from annotations.models import Annotation, Claim
from corpus.models import Article, Paragraph, Takedown
from corpus.services import article_ingest
from tests.annotations.test_import import _wipe
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, TagFactory, UserFactory
from tests.webhooks.test_events import _article_data, _only, _record

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", groups=["Editor"], is_staff=True)


def _rfc3339(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- annotation.deleted -----------------------------------------------------------------------


def test_annotation_deleted_through_the_api(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    article = ArticleFactory()
    annotation = annotation_services.annotation_create(
        article=article, author=editor, start=0, end=7, note="n"
    )
    pk = annotation.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(editor).delete(f"/api/annotations/{pk}/", HTTP_IF_MATCH=f'"{pk}-1"')
    assert response.status_code == 204, response.content
    payload = _only(receiver, secret)
    assert payload["event"] == "annotation.deleted"
    assert payload["data"] == {
        "annotation": {"id": pk, "article": article.pk, "version": 1},
        "deleted_by": "ed",
    }


def test_annotation_deleted_in_the_admin(
    hook, receiver, admin_user, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    article = ArticleFactory()
    annotation = annotation_services.annotation_create(
        article=article, author=editor, start=0, end=7, note="n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_client(admin_user).post(
            f"/admin/annotations/annotation/{annotation.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302 and not Annotation.objects.filter(pk=annotation.pk).exists()
    payload = _only(receiver, secret)
    assert payload["event"] == "annotation.deleted"
    assert payload["data"] == {
        "annotation": {"id": annotation.pk, "article": article.pk, "version": 1},
        "deleted_by": "root",
    }


# --- claim.created, claim.changed, claim.deleted ----------------------------------------------------


def _claim_data(claim: Claim, **changes) -> dict:
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "text": claim.text,
        "claimant": None,
        "annotation": None,
        "author": "ed",
        "version": 1,
        **changes,
    }


def test_claim_created_changed_and_withdrawn_through_the_api(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    article = ArticleFactory()
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/claims/", {"article": article.pk, "text": "Spending doubled."}, format="json"
        )
    assert created.status_code == 201, created.content
    claim = Claim.objects.get()
    payload = _only(receiver, secret)
    assert payload["event"] == "claim.created"
    assert payload["data"] == {"claim": _claim_data(claim)}

    receiver.requests.clear()
    url = f"/api/claims/{claim.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        edited = client.patch(
            url, {"text": "Spending tripled."}, format="json", HTTP_IF_MATCH=created["ETag"]
        )
    assert edited.status_code == 200, edited.content
    payload = _only(receiver, secret)
    assert payload["event"] == "claim.changed"
    assert payload["data"] == {"claim": _claim_data(claim, text="Spending tripled.", version=2)}

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.delete(url, HTTP_IF_MATCH=edited["ETag"])
    assert withdrawn.status_code == 204, withdrawn.content
    payload = _only(receiver, secret)
    assert payload["event"] == "claim.deleted"
    assert payload["data"] == {
        "claim": {"id": claim.pk, "article": article.pk, "version": 2},
        "deleted_by": "ed",
    }


def _claim_form(article: Article, text: str, **fields) -> dict:
    return {
        "article": article.pk,
        "text": text,
        "claimant": "",
        "annotation": "",
        "fact_check-TOTAL_FORMS": "0",
        "fact_check-INITIAL_FORMS": "0",
        "fact_check-MIN_NUM_FORMS": "0",
        "fact_check-MAX_NUM_FORMS": "1",
        **fields,
    }


def test_claim_created_and_changed_in_the_admin(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    article = ArticleFactory()
    client = _admin_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/annotations/claim/add/", _claim_form(article, "Crime fell."))
    assert response.status_code == 302, response.content
    claim = Claim.objects.get()
    payload = _only(receiver, secret)
    assert payload["event"] == "claim.created"
    assert payload["data"] == {"claim": _claim_data(claim)}

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/annotations/claim/{claim.pk}/change/",
            _claim_form(article, "Crime fell by a third.", expected_version="1"),
        )
    assert response.status_code == 302, response.content
    payload = _only(receiver, secret)
    assert payload["event"] == "claim.changed"
    assert payload["data"] == {"claim": _claim_data(claim, text="Crime fell by a third.", version=2)}


def test_an_unchanged_claim_sends_nothing(
    hook, receiver, editor, immediate_tasks, django_capture_on_commit_callbacks
):
    claim = annotation_services.claim_create(article=ArticleFactory(), text="Crime fell.", created_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        annotation_services.claim_update(claim=claim, expected_version=1, user=editor, text="Crime fell.")
    assert receiver.requests == []


# --- article.deleted (takedown), article.reprocessed ------------------------------------------------


def test_article_deleted_by_the_takedown_command(
    hook, receiver, admin_user, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    article = article_ingest(record=_record(1)).article
    expected = _article_data(article)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("takedown", str(article.pk), "--by", "root", "--reason", "a court order", verbosity=0)
    record = Takedown.objects.get()
    payload = _only(receiver, secret)
    assert payload["event"] == "article.deleted"
    assert payload["data"] == {
        "article": {key: expected[key] for key in ("id", "url", "source", "external_id", "content_hash")},
        "takedown": {"id": record.pk, "by": "root", "at": _rfc3339(record.at)},
    }
    assert "a court order" not in receiver.requests[0].body.decode()  # the reason stays in the building


def test_article_reprocessed_by_the_command_once_per_batch_of_changed_articles(
    hook, receiver, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    articles = [article_ingest(record=_record(n)).article for n in range(3)]
    # The first two drifted from what the pipeline says (a machine role changed by hand); the third did not.
    for article in articles[:2]:
        Paragraph.objects.filter(article=article, position=1).update(role="caption", rule="an older rule")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess", *(str(a.pk) for a in articles), stdout=None, verbosity=0)
    payload = _only(receiver, secret)
    assert payload["event"] == "article.reprocessed"
    assert payload["data"] == {"articles": [_article_data(a) for a in articles[:2]]}

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess", *(str(a.pk) for a in articles), verbosity=0)
    assert receiver.requests == []  # nothing changed, nothing said


# --- dataset.imported -------------------------------------------------------------------------


def test_dataset_imported_by_the_command(
    hook, receiver, editor, immediate_tasks, tmp_path: Path, django_capture_on_commit_callbacks
):
    _, secret = hook
    articles = [article_ingest(record=_record(n)).article for n in range(2)]
    annotation_services.annotation_create(article=articles[0], author=editor, start=0, end=7, note="n")
    out = tmp_path / "corpus.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), "--include-drafts", verbosity=0)
    _wipe()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_dataset", str(out), verbosity=0)
    assert Article.objects.count() == 2
    payload = _only(receiver, secret)
    assert payload["event"] == "dataset.imported"
    data = payload["data"]["import"]
    assert (data["format"], data["from"], data["created"], data["merged"], data["failed"]) == (
        "jsonl",
        None,
        2,
        0,
        0,
    )
    assert data["counts"]["annotations"] == 1 and data["by"] is None
    assert str(tmp_path) not in receiver.requests[0].body.decode()  # no path of this machine goes out


def test_dataset_imported_from_doccano_by_the_command(
    hook, receiver, editor, immediate_tasks, tmp_path: Path, django_capture_on_commit_callbacks
):
    """A foreign import says so too, after the articles and annotations it made said theirs."""
    _, secret = hook
    TagFactory(slug="org")  # the label's tag (only administrators add to the vocabulary)
    path = tmp_path / "doccano.jsonl"
    path.write_text('{"id": 1, "text": "Council approves harbour repairs.", "label": [[0, 7, "ORG"]]}\n')
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_dataset", str(path), "--from", "doccano", "--user", "ed", verbosity=0)
    assert receiver.events() == ["article.ingested", "annotation.created", "dataset.imported"]
    assert all(r.signed_by(secret) for r in receiver.requests)
    assert receiver.requests[-1].json["data"] == {
        "import": {
            "from": "doccano",
            "format": None,
            "articles": 1,
            "created": None,
            "merged": None,
            "failed": 0,
            "counts": {"annotations": 1},
            "by": "ed",
        }
    }


# --- factcheck.sent_back, factcheck.withdrawn ---------------------------------------------------


@pytest.fixture
def checks(editor):
    """A fact-check in review and a published one, by the editor, reviewed by "rev"."""
    reviewer = UserFactory(username="rev", groups=["Fact-checker"], is_staff=True)
    article = ArticleFactory()
    made = []
    for words in ("The plan was rushed.", "Crime fell."):
        claim = annotation_services.claim_create(article=article, text=words, created_by=editor)
        check = annotation_services.factcheck_create(claim=claim, author=editor, verdict="misleading")
        made.append(annotation_services.factcheck_submit(fact_check=check, expected_version=1, user=editor))
    published = annotation_services.factcheck_publish(fact_check=made[1], expected_version=2, user=reviewer)
    return reviewer, made[0], published


def _fact_check_data(check, **changes) -> dict:
    return {
        "id": check.pk,
        "claim": check.claim_id,
        "article": check.claim.article_id,
        "claim_text": check.claim.text,
        "verdict": "misleading",
        "status": "draft",
        "revision_status": None,
        "author": "ed",
        "reviewer": None,
        "published_at": None,
        "modified_at": None,
        **changes,
    }


def test_factcheck_sent_back_and_withdrawn_through_the_api(
    hook, receiver, checks, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    reviewer, in_review, published = checks
    client = client_for(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/api/fact-checks/{in_review.pk}/send-back/",
            {"comment": "Which plan?"},
            format="json",
            HTTP_IF_MATCH=f'"{in_review.pk}-2"',
        )
    assert answer.status_code == 200, answer.content
    payload = _only(receiver, secret)
    assert payload["event"] == "factcheck.sent_back"
    assert payload["data"] == {"fact_check": _fact_check_data(in_review, version=3)}

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/api/fact-checks/{published.pk}/withdraw/",
            {"reason": "A source recanted."},
            format="json",
            HTTP_IF_MATCH=f'"{published.pk}-3"',
        )
    assert answer.status_code == 200, answer.content
    payload = _only(receiver, secret)
    assert payload["event"] == "factcheck.withdrawn"
    assert payload["data"] == {"fact_check": _fact_check_data(published, version=4)}


def test_factcheck_sent_back_and_withdrawn_in_the_admin(
    hook, receiver, checks, immediate_tasks, django_capture_on_commit_callbacks
):
    _, secret = hook
    reviewer, in_review, published = checks
    client = _admin_client(reviewer)
    for action, check, extra, event in (
        ("send_back_selected", in_review, {"comment": "Which plan?"}, "factcheck.sent_back"),
        ("withdraw_selected", published, {"reason": "A source recanted."}, "factcheck.withdrawn"),
    ):
        receiver.requests.clear()
        version = check.version
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                "/admin/annotations/factcheck/",
                {
                    "action": action,
                    "_selected_action": [check.pk],
                    "apply": "1",
                    f"version-{check.pk}": version,
                    **extra,
                },
            )
        assert answer.status_code == 302, answer.content
        payload = _only(receiver, secret)
        assert payload["event"] == event
        assert payload["data"] == {"fact_check": _fact_check_data(check, version=version + 1)}
