"""The admin keeps the rules the API keeps, because both ask the same services: two editors (ed1, ed2)
and two fact-checkers (fc1, fc2) trying each other's work through change forms and bulk actions."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Annotation, Claim, FactCheck
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> dict:
    return {
        "ed1": UserFactory(username="ed1", is_staff=True, groups=["Editor"]),
        "ed2": UserFactory(username="ed2", is_staff=True, groups=["Editor"]),
        "fc1": UserFactory(username="fc1", is_staff=True, groups=["Fact-checker"]),
        "fc2": UserFactory(username="fc2", is_staff=True, groups=["Fact-checker"]),
        "root": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


def _claim(author, *, article=None, annotation=None, text="The pier is older than all of us.") -> Claim:
    article = article or (annotation.article if annotation else ArticleFactory())
    return services.claim_create(article=article, text=text, created_by=author, annotation=annotation)


def _claim_form(claim: Claim, **changes) -> dict:
    form = {
        "article": claim.article_id,
        "text": claim.text,
        "claimant": claim.claimant_id or "",
        "annotation": claim.annotation_id or "",
        "expected_version": claim.version,
        # the fact-check inline's management form (read-only, no rows to add)
        "fact_check-TOTAL_FORMS": "1" if hasattr(claim, "fact_check") else "0",
        "fact_check-INITIAL_FORMS": "1" if hasattr(claim, "fact_check") else "0",
        "fact_check-MIN_NUM_FORMS": "0",
        "fact_check-MAX_NUM_FORMS": "1",
    }
    if hasattr(claim, "fact_check"):
        form["fact_check-0-id"] = claim.fact_check.pk
        form["fact_check-0-claim"] = claim.pk
    form.update(changes)
    return form


def _published(claim: Claim, *, author, reviewer) -> FactCheck:
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false", rationale="Records.")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    return services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)


def _action(client, url: str, action: str, ids: list[int], **extra):
    return client.post(url, {"action": action, "_selected_action": ids, **extra}, follow=True)


# --- Reproduction 1: a colleague's claim ---------------------------------------------------------


def test_an_editor_cannot_reword_a_colleagues_claim_in_the_admin(client, people):
    claim = _claim(people["ed1"])
    client.force_login(people["ed2"])
    url = f"/admin/annotations/claim/{claim.pk}/change/"
    assert 'name="text"' not in client.get(url).content.decode()  # offered read-only
    response = client.post(url, _claim_form(claim, text="Reworded by a colleague."))
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).text == "The pier is older than all of us."


def test_a_published_claim_reworded_in_the_admin_does_not_stay_under_the_old_verdict(client, people):
    claim = _claim(people["ed1"])
    fact_check = _published(claim, author=people["ed1"], reviewer=people["fc1"])
    client.force_login(people["ed2"])
    url = f"/admin/annotations/claim/{claim.pk}/change/"
    assert client.post(url, _claim_form(claim, text="New words.")).status_code == 403
    assert Claim.objects.get(pk=claim.pk).text == "The pier is older than all of us."

    # Its own author rewording it goes through the same service as the API: what was published
    # checked other words, so the fact-check leaves the public record for review.
    client.force_login(people["ed1"])
    claim.refresh_from_db()
    response = client.post(url, _claim_form(claim, text="New words."))
    assert response.status_code == 302, response.content.decode()[:2000]
    fact_check.refresh_from_db()
    assert fact_check.status == "draft"
    assert client.get(f"/fact-checks/{fact_check.pk}/").status_code == 404


def test_a_claim_in_review_is_frozen_in_the_admin_too(client, people):
    claim = _claim(people["ed1"])
    fact_check = services.factcheck_create(claim=claim, author=people["ed1"], verdict="true")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=people["ed1"])
    client.force_login(people["ed1"])
    claim.refresh_from_db()
    url = f"/admin/annotations/claim/{claim.pk}/change/"
    page = client.post(url, _claim_form(claim, text="Changed under the reviewer."), follow=True)
    assert "in review" in page.content.decode()
    assert Claim.objects.get(pk=claim.pk).text == "The pier is older than all of us."


def test_a_claim_does_not_move_to_another_article_without_its_annotation(client, people):
    highlight = AnnotationFactory(author=people["ed1"])
    claim = _claim(people["ed1"], annotation=highlight)
    elsewhere = ArticleFactory()
    client.force_login(people["ed1"])
    url = f"/admin/annotations/claim/{claim.pk}/change/"
    page = client.post(url, _claim_form(claim, article=elsewhere.pk), follow=True).content.decode()
    assert "annotation stays on its first article" in page, page
    assert Claim.objects.get(pk=claim.pk).article_id == highlight.article_id
    # moved with no annotation (or one on the new article), it goes
    response = client.post(url, _claim_form(claim, article=elsewhere.pk, annotation=""))
    assert response.status_code == 302
    moved = Claim.objects.get(pk=claim.pk)
    assert (moved.article_id, moved.annotation_id) == (elsewhere.pk, None)


# --- Reproduction 2: a colleague's fact-check ------------------------------------------------------


def test_an_editor_cannot_edit_or_submit_a_colleagues_fact_check_in_the_admin(client, people):
    claim = _claim(people["ed1"])
    fact_check = services.factcheck_create(claim=claim, author=people["ed1"], verdict="true")
    client.force_login(people["ed2"])
    url = f"/admin/annotations/factcheck/{fact_check.pk}/change/"
    form = {
        "verdict": "false",
        "rationale": "Changed by a colleague.",
        "evidence": "[]",
        "expected_version": 1,
    }
    assert client.post(url, form).status_code == 403
    page = _action(
        client, "/admin/annotations/factcheck/", "submit_selected", [fact_check.pk]
    ).content.decode()
    assert "submits it for review" in page
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.verdict, fresh.rationale, fresh.status, fresh.version) == ("true", "", "draft", 1)


# --- Reproduction 3: a colleague's annotation, machine annotations -------------------------------


def test_bulk_publish_and_reject_only_touch_what_the_user_may(client, people, api_client):
    mine = AnnotationFactory(author=people["ed2"], status="draft", note="mine")
    theirs = AnnotationFactory(author=people["ed1"], article=mine.article, status="draft", note="theirs")
    url = "/admin/annotations/annotation/"
    client.force_login(people["ed2"])
    page = _action(client, url, "publish_selected", [mine.pk, theirs.pk]).content.decode()
    assert "1 annotation(s) now published." in page and "your own annotations" in page
    assert Annotation.objects.get(pk=theirs.pk).status == "draft"
    assert Annotation.objects.get(pk=mine.pk).status == "published"
    _action(client, url, "reject_selected", [theirs.pk])
    assert Annotation.objects.get(pk=theirs.pk).status == "draft"
    seen = {a["id"] for a in api_client.get("/api/annotations/").json()["results"]}
    assert theirs.pk not in seen and mine.pk in seen


def test_machine_annotations_are_published_and_rejected_by_reviewers_only(client, people):
    article = ArticleFactory()
    start = article.text.index("harbour")
    machine = services.annotation_create(
        article=article, start=start, end=start + 7, note="spam?", origin="machine", rule="r-1"
    )
    url = "/admin/annotations/annotation/"
    client.force_login(people["ed2"])
    page = _action(client, url, "reject_selected", [machine.pk]).content.decode()
    assert "Only reviewers and administrators" in page
    assert Annotation.objects.get(pk=machine.pk).status == "draft"

    client.force_login(people["fc1"])
    _action(client, url, "reject_selected", [machine.pk])
    assert Annotation.objects.get(pk=machine.pk).status == "rejected"
    client.force_login(people["root"])
    _action(client, url, "publish_selected", [machine.pk])
    assert Annotation.objects.get(pk=machine.pk).status == "published"


def test_bulk_delete_goes_through_the_service_and_reports_refusals(client, people):
    mine = AnnotationFactory(author=people["ed2"], note="mine")
    theirs = AnnotationFactory(author=people["ed1"], article=mine.article, note="theirs")
    client.force_login(people["ed2"])
    page = _action(
        client, "/admin/annotations/annotation/", "delete_selected", [mine.pk, theirs.pk], post="yes"
    ).content.decode()
    assert "1 deleted." in page and "your own annotations" in page
    assert list(Annotation.objects.values_list("pk", flat=True)) == [theirs.pk]


# --- The annotate screen saves through the API with the session: the same rules ---------------------


def test_the_annotate_screens_session_saves_keep_the_rules(client, people):
    from django.test import Client

    theirs = AnnotationFactory(author=people["ed1"], status="draft", note="theirs")
    claim = _claim(people["ed1"], article=theirs.article)
    fact_check = services.factcheck_create(claim=claim, author=people["ed1"], verdict="true")
    screen = Client(enforce_csrf_checks=True)
    screen.force_login(people["ed2"])
    page = screen.get(f"/admin/corpus/article/{theirs.article_id}/annotate/")
    assert page.status_code == 200
    token = {"HTTP_X_CSRFTOKEN": screen.cookies["csrftoken"].value}

    def send(method: str, url: str, body: dict | None, version: int):
        return getattr(screen, method)(
            url,
            body or {},
            content_type="application/json",
            HTTP_IF_MATCH=f'"{url.split("/")[-2]}-{version}"',
            **token,
        )

    assert send("patch", f"/api/annotations/{theirs.pk}/", {"status": "published"}, 1).status_code == 403
    assert send("delete", f"/api/annotations/{theirs.pk}/", None, 1).status_code == 403
    assert send("patch", f"/api/claims/{claim.pk}/", {"text": "reworded"}, 1).status_code == 403
    assert send("patch", f"/api/fact-checks/{fact_check.pk}/", {"verdict": "false"}, 1).status_code == 403
    assert send("post", f"/api/fact-checks/{fact_check.pk}/submit/", None, 1).status_code == 403
    assert Annotation.objects.get(pk=theirs.pk).status == "draft"
    assert (Claim.objects.get(pk=claim.pk).text, FactCheck.objects.get().verdict) == (claim.text, "true")

    # the author, on the same screen, may
    screen.force_login(people["ed1"])
    screen.get(f"/admin/corpus/article/{theirs.article_id}/annotate/")
    token = {"HTTP_X_CSRFTOKEN": screen.cookies["csrftoken"].value}
    assert send("patch", f"/api/annotations/{theirs.pk}/", {"status": "published"}, 1).status_code == 200
