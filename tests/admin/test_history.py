"""History in the admin: what changed and who did it, read-only. A stored version is not restored by
re-saving the old form ("Revert" was always refused as a stale save and is gone); an empty reviewer
reads as empty, not as a deleted user; a change of tags says which tags."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Annotation
from corpus.models import Quote
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _published_fact_check():
    author = UserFactory(username="author", groups=["Fact-checker"], is_staff=True)
    reviewer = UserFactory(username="checker", groups=["Fact-checker"], is_staff=True)
    claim = services.claim_create(article=ArticleFactory(), text="The pier is old.", created_by=author)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false", rationale="Records.")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)
    fact_check.refresh_from_db()
    return fact_check, author


def _edited_annotation():
    author = UserFactory(username="ed", groups=["Editor"], is_staff=True)
    annotation = AnnotationFactory(author=author, note="first words")
    services.annotation_update(annotation=annotation, expected_version=1, note="second words", user=author)
    annotation.refresh_from_db()
    return annotation, author


def _edited_quote():
    editor = UserFactory(username="ed", groups=["Editor"], is_staff=True)
    article = ArticleFactory(body='Headline\n"We will rebuild the wall," said Mayor Ana Ruiz.\n')
    quote = Quote.objects.filter(article=article).first()
    assert quote is not None
    from corpus import services as corpus_services

    corpus_services.quote_correct(quote=quote, expected_version=quote.version, verified=True, user=editor)
    quote.refresh_from_db()
    return quote, editor


@pytest.mark.parametrize("kind", ["annotation", "factcheck", "quote"])
def test_an_old_version_is_shown_read_only_and_cannot_be_posted_back(client, kind):
    if kind == "annotation":
        obj, _ = _edited_annotation()
        url = f"/admin/annotations/annotation/{obj.pk}"
    elif kind == "factcheck":
        obj, _ = _published_fact_check()
        url = f"/admin/annotations/factcheck/{obj.pk}"
    else:
        obj, _ = _edited_quote()
        url = f"/admin/corpus/quote/{obj.pk}"
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    oldest = obj.history.order_by("history_date", "history_id").first()
    page = client.get(f"{url}/history/{oldest.history_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Revert" not in html and 'name="_save"' not in html
    version = obj.version
    response = client.post(f"{url}/history/{oldest.history_id}/", {"expected_version": oldest.version})
    assert response.status_code in (403, 405)
    obj.refresh_from_db()
    assert obj.version == version


def test_an_empty_reviewer_is_no_deleted_user(client):
    fact_check, _ = _published_fact_check()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    html = client.get(f"/admin/annotations/factcheck/{fact_check.pk}/history/").content.decode()
    assert "Deleted user" not in html and "pk=None" not in html
    assert "checker" in html  # the reviewer the fact-check gained


def test_a_change_of_tags_records_which_tags(client):
    TagFactory(slug="claim")
    TagFactory(slug="statistic")
    author = UserFactory(username="ed", groups=["Editor"], is_staff=True)
    annotation = AnnotationFactory(author=author, tags=["claim"], note="")
    services.annotation_update(
        annotation=annotation, expected_version=annotation.version, tags=["claim", "statistic"], user=author
    )
    latest = annotation.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "tags: claim → claim, statistic"
    annotation.refresh_from_db()
    services.annotation_update(
        annotation=annotation, expected_version=annotation.version, tags=[], note="x", user=author
    )
    latest = annotation.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "tags: claim, statistic → (none)"
    # A change that leaves the tags as they were says nothing of them.
    annotation.refresh_from_db()
    services.annotation_update(
        annotation=annotation, expected_version=annotation.version, note="y", user=author
    )
    assert annotation.history.order_by("-history_date", "-history_id").first().history_change_reason in (
        "",
        None,
    )
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    html = client.get(f"/admin/annotations/annotation/{annotation.pk}/history/").content.decode()
    assert "tags: claim → claim, statistic" in html
    assert Annotation.objects.get().tags.count() == 0


def test_the_queues_show_the_history_of_the_annotation_or_fact_check_they_list(client):
    """The orphan queue and the review queue are proxies, which keep no history of their own: their
    History link opens the record's history (it was a server error)."""
    annotation, author = _edited_annotation()
    Annotation.objects.filter(pk=annotation.pk).update(anchor="orphaned", start=None, end=None)
    reviewer = UserFactory(username="checker", groups=["Fact-checker"], is_staff=True)
    claim = services.claim_create(article=ArticleFactory(), text="The pier is new.", created_by=author)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false", rationale="r")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    client.force_login(reviewer)
    for queue, record, words in [
        (
            f"annotations/orphanedannotation/{annotation.pk}",
            f"annotations/annotation/{annotation.pk}",
            "second words",
        ),
        (
            f"annotations/factcheckinreview/{fact_check.pk}",
            f"annotations/factcheck/{fact_check.pk}",
            "in_review",
        ),
    ]:
        response = client.get(f"/admin/{queue}/history/", follow=True)
        assert response.redirect_chain == [(f"/admin/{record}/history/", 302)]
        assert response.status_code == 200 and words in response.content.decode()
        oldest = response.context["page_obj"].object_list[-1]
        version = client.get(f"/admin/{queue}/history/{oldest.history_id}/", follow=True)
        assert version.redirect_chain == [(f"/admin/{record}/history/{oldest.history_id}/", 302)]
        assert version.status_code == 200
