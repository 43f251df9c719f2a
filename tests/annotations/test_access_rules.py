"""The services decide who may: each write refuses a user the rules do not allow, whatever the door."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import access, services
from annotations.models import Annotation, FactCheck
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> dict:
    return {
        "viewer": UserFactory(username="viewer", groups=["Viewer"]),
        "ed1": UserFactory(username="ed1", groups=["Editor"]),
        "ed2": UserFactory(username="ed2", groups=["Editor"]),
        "fc1": UserFactory(username="fc1", groups=["Fact-checker"]),
        "fc2": UserFactory(username="fc2", groups=["Fact-checker"]),
        "root": UserFactory(username="root", is_superuser=True),
    }


def test_annotations_are_their_authors(people):
    annotation = AnnotationFactory(author=people["ed1"], status="draft")
    for who in ("viewer", "ed2", "fc1"):
        with pytest.raises(PermissionDenied):
            services.annotation_update(
                annotation=annotation, expected_version=1, user=people[who], status="published"
            )
        with pytest.raises(PermissionDenied):
            services.annotation_delete(annotation=annotation, expected_version=1, user=people[who])
    with pytest.raises(PermissionDenied):
        services.annotation_create(
            article=annotation.article, author=people["viewer"], target="article", note="n"
        )
    services.annotation_update(annotation=annotation, expected_version=1, user=people["root"], note="by root")
    services.annotation_update(
        annotation=annotation, expected_version=2, user=people["ed1"], status="published"
    )
    assert Annotation.objects.get().version == 3


def test_machine_annotations_are_the_reviewers(people):
    article = ArticleFactory()
    machine = services.annotation_create(article=article, target="article", note="spam", origin="machine")
    with pytest.raises(PermissionDenied, match="machine annotations"):
        services.annotation_update(
            annotation=machine, expected_version=1, user=people["ed1"], status="published"
        )
    services.annotation_update(annotation=machine, expected_version=1, user=people["fc1"], status="rejected")
    with pytest.raises(PermissionDenied):
        services.annotation_delete(annotation=machine, expected_version=2, user=people["ed2"])
    services.annotation_delete(annotation=machine, expected_version=2, user=people["root"])


def test_claims_are_their_markers(people):
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        services.claim_create(article=article, text="x", created_by=people["viewer"])
    claim = services.claim_create(article=article, text="x", created_by=people["ed1"])
    for who in ("ed2", "fc1"):
        with pytest.raises(PermissionDenied):
            services.claim_update(claim=claim, expected_version=1, user=people[who], text="y")
        with pytest.raises(PermissionDenied):
            services.claim_delete(claim=claim, expected_version=1, user=people[who])
    services.claim_update(claim=claim, expected_version=1, user=people["root"], text="z")


def test_the_review_workflow_needs_the_right_people(people):
    claim = services.claim_create(article=ArticleFactory(), text="x", created_by=people["ed1"])
    fact_check = services.factcheck_create(claim=claim, author=people["ed1"], verdict="true")
    with pytest.raises(PermissionDenied):
        services.factcheck_update(
            fact_check=fact_check, expected_version=1, user=people["ed2"], verdict="false"
        )
    with pytest.raises(PermissionDenied):
        services.factcheck_update(
            fact_check=fact_check, expected_version=1, user=people["fc1"], verdict="false"
        )
    with pytest.raises(PermissionDenied):
        services.factcheck_submit(fact_check=fact_check, expected_version=1, user=people["ed2"])
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=people["ed1"])
    with pytest.raises(PermissionDenied, match="Only fact-checkers"):
        services.factcheck_publish(fact_check=fact_check, expected_version=2, user=people["ed2"])
    with pytest.raises(PermissionDenied, match="Only fact-checkers"):
        services.factcheck_send_back(
            fact_check=fact_check, expected_version=2, user=people["ed2"], comment="c"
        )

    # A reviewer may fix a fact-check in review, and so becomes a co-author who cannot approve it.
    services.factcheck_update(
        fact_check=fact_check, expected_version=2, user=people["fc1"], rationale="Sources."
    )
    assert list(fact_check.co_authors.values_list("username", flat=True)) == ["fc1"]
    with pytest.raises(PermissionDenied, match="co-author"):
        services.factcheck_publish(fact_check=fact_check, expected_version=3, user=people["fc1"])
    # a stale approval is refused
    from corpus.versioning import StaleVersion

    with pytest.raises(StaleVersion):
        services.factcheck_publish(fact_check=fact_check, expected_version=2, user=people["fc2"])
    services.factcheck_publish(fact_check=fact_check, expected_version=3, user=people["fc2"])
    fresh = FactCheck.objects.get()
    assert (fresh.status, fresh.reviewer, fresh.rationale) == ("published", people["fc2"], "Sources.")

    with pytest.raises(PermissionDenied):
        services.factcheck_withdraw(fact_check=fresh, expected_version=4, user=people["ed1"], reason="r")
    with pytest.raises(ValidationError):
        services.factcheck_withdraw(fact_check=fresh, expected_version=4, user=people["fc1"], reason=" ")
    services.factcheck_withdraw(
        fact_check=fresh, expected_version=4, user=people["fc1"], reason="Wrong claim."
    )
    fresh = FactCheck.objects.get()
    assert (fresh.status, fresh.reviewer, fresh.published_at) == ("draft", None, None)
    assert fresh.review_comment == "Withdrawn: Wrong claim."
    assert fresh.history.first().history_user == people["fc1"]


def test_only_a_draft_fact_check_is_deleted_by_its_author(people):
    claim = services.claim_create(article=ArticleFactory(), text="x", created_by=people["ed1"])
    fact_check = services.factcheck_create(claim=claim, author=people["ed1"], verdict="true")
    with pytest.raises(PermissionDenied):
        services.factcheck_delete(fact_check=fact_check, expected_version=1, user=people["ed2"])
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=people["ed1"])
    with pytest.raises(ValidationError, match="only a draft"):
        services.factcheck_delete(fact_check=fact_check, expected_version=2, user=people["ed1"])
    services.factcheck_send_back(fact_check=fact_check, expected_version=2, user=people["fc1"], comment="c")
    services.factcheck_delete(fact_check=fact_check, expected_version=3, user=people["ed1"])
    assert not FactCheck.objects.exists()


def test_the_vocabulary_is_the_administrators(people):
    tag, other = TagFactory(slug="a"), TagFactory(slug="b")
    for who in ("ed1", "fc1"):
        with pytest.raises(PermissionDenied):
            services.tag_merge(sources=[tag], target=other, user=people[who])
        with pytest.raises(PermissionDenied):
            services.tag_delete(tag=tag, user=people[who])
    services.tag_merge(sources=[tag], target=other, user=people["root"])


def test_the_helpers_answer_what_the_services_enforce(people):
    annotation = AnnotationFactory(author=people["ed1"])
    assert access.can_annotation_change(people["ed1"], annotation)
    assert not access.can_annotation_change(people["ed2"], annotation)
    assert not access.can_annotation_change(people["fc1"], annotation)
    assert access.can_annotation_change(people["root"], annotation)
    assert not access.can_annotation_change(None, annotation)
