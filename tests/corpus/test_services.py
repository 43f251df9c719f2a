"""Write services: stale versions, span validation, corrections."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations import services
from annotations.models import Annotation
from corpus.models import Paragraph, Quote, Speaker
from corpus.services import paragraph_set_role, quote_correct
from corpus.versioning import StaleVersion
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_stale_annotation_update_is_refused_and_nothing_changes():
    annotation = AnnotationFactory(note="first")
    assert annotation.version == 1
    services.annotation_update(
        annotation=annotation, expected_version=1, note="second", user=annotation.author
    )
    assert annotation.version == 2

    stale = Annotation.objects.get(pk=annotation.pk)
    with pytest.raises(StaleVersion, match="you edited version 1, it is now at version 2"):
        services.annotation_update(
            annotation=stale, expected_version=1, note="lost update", user=annotation.author
        )
    fresh = Annotation.objects.get(pk=annotation.pk)
    assert (fresh.note, fresh.version) == ("second", 2)


def test_stale_delete_is_refused():
    annotation = AnnotationFactory()
    services.annotation_update(
        annotation=annotation, expected_version=1, status="draft", user=annotation.author
    )
    with pytest.raises(StaleVersion):
        services.annotation_delete(annotation=annotation, expected_version=1, user=annotation.author)
    assert Annotation.objects.filter(pk=annotation.pk).exists()
    services.annotation_delete(annotation=annotation, expected_version=2, user=annotation.author)
    assert not Annotation.objects.filter(pk=annotation.pk).exists()


def test_stale_quote_correction_and_paragraph_role_are_refused():
    article = ArticleFactory()
    editor = UserFactory()
    quote = article.quotes.first() or Quote.objects.create(
        article=article,
        paragraph=article.paragraphs.last(),
        kind="direct",
        start=article.paragraphs.last().start,
        end=article.paragraphs.last().start + 4,
    )
    speaker = Speaker.objects.create(name="Marta Quiroga")
    quote_correct(quote=quote, expected_version=quote.version, user=editor, speaker=speaker, verified=True)
    quote.refresh_from_db()
    assert quote.speaker == speaker and quote.verified and quote.corrected_by == editor
    with pytest.raises(StaleVersion):
        quote_correct(quote=quote, expected_version=quote.version - 1, user=editor, kind="partial")
    assert Quote.objects.get(pk=quote.pk).kind == quote.kind

    paragraph = article.paragraphs.get(position=1)
    paragraph_set_role(paragraph=paragraph, expected_version=1, role="standfirst")
    with pytest.raises(StaleVersion):
        paragraph_set_role(paragraph=paragraph, expected_version=1, role="caption")
    assert Paragraph.objects.get(pk=paragraph.pk).role == "standfirst"
    with pytest.raises(ValidationError, match="not one of"):
        paragraph_set_role(paragraph=paragraph, expected_version=2, role="sidebar")


def test_span_must_match_its_exact_text():
    article = ArticleFactory()
    author = UserFactory(groups=["Editor"])
    TagFactory(slug="claim")
    start = article.text.index("harbour")
    annotation = services.annotation_create(
        article=article, author=author, start=start, end=start + 7, tags=["claim"]
    )
    assert annotation.exact == "harbour"
    assert article.text[annotation.start : annotation.end] == annotation.exact
    assert annotation.prefix and annotation.suffix
    with pytest.raises(ValidationError) as excinfo:
        services.annotation_create(
            article=article, author=author, start=start, end=start + 7, exact="harbor", tags=["claim"]
        )
    assert "exact" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.annotation_create(
            article=article, author=author, start=0, end=len(article.text) + 1, note="x"
        )
    assert "end" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.annotation_create(article=article, author=author, start=5, end=5, note="x")
    assert "end" in excinfo.value.message_dict
    with pytest.raises(ValidationError, match="unknown tag"):
        services.annotation_create(article=article, author=author, start=0, end=4, tags=["nope"])


def test_database_refuses_an_inverted_span():
    annotation = AnnotationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(start=10, end=3)


def test_fact_check_workflow_needs_a_second_person():
    from django.contrib.auth.models import Group
    from django.core.exceptions import PermissionDenied

    article = ArticleFactory()
    author = UserFactory(groups=["Fact-checker"])
    reviewer = UserFactory(groups=["Fact-checker"])
    editor = UserFactory(groups=["Editor"])
    assert Group.objects.filter(name="Viewer").exists()
    claim = services.claim_create(article=article, text="The harbour is crumbling.", created_by=author)
    fact_check = services.factcheck_create(
        claim=claim,
        author=author,
        verdict="mostly_true",
        rationale="Inspection report, 2020.",
        evidence=[
            {
                "url": "https://example.org/report",
                "title": "Inspection",
                "publisher": "City",
                "accessed": "2021-06-01",
            }
        ],
    )
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    with pytest.raises(PermissionDenied, match="second person"):
        services.factcheck_publish(fact_check=fact_check, expected_version=2, user=author)
    with pytest.raises(PermissionDenied, match="Only fact-checkers"):
        services.factcheck_publish(fact_check=fact_check, expected_version=2, user=editor)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)
    fact_check.refresh_from_db()
    assert fact_check.status == "published" and fact_check.reviewer == reviewer and fact_check.published_at


def test_database_refuses_a_published_fact_check_reviewed_by_its_author():
    from annotations.models import FactCheck

    article = ArticleFactory()
    author = UserFactory(groups=["Editor"])
    claim = services.claim_create(article=article, text="x", created_by=author)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
    with pytest.raises(IntegrityError), transaction.atomic():
        FactCheck.objects.filter(pk=fact_check.pk).update(reviewer=author)
