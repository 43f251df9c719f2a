"""Admin changelists and change forms: they render, and a stale save is refused. (Their exact query
counts are pinned in test_exact_query_counts.py.)"""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Annotation
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_article_change_page_shows_paragraphs_and_quotes_read_only(admin_client, seeded):
    article = seeded[1]
    response = admin_client.get(f"/admin/corpus/article/{article.pk}/change/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Xi wants isolated China to &#x27;make friends&#x27;" in content
    assert "user&#x27;s avatar" in content  # the chrome paragraph is listed, classified, not deleted
    assert 'name="raw_text"' not in content  # raw text is shown, never editable


def test_stale_admin_save_is_refused(admin_client):
    annotation = AnnotationFactory(note="original")
    url = f"/admin/annotations/annotation/{annotation.pk}/change/"
    form = {
        "article": annotation.article_id,
        "target": "span",
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "note": "edited in the admin",
        "status": "published",
        "expected_version": 1,
    }
    # Someone else saves first.
    services.annotation_update(
        annotation=annotation, expected_version=1, note="someone else", user=annotation.author
    )
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "Someone else saved this annotation" in response.content.decode()
    assert Annotation.objects.get(pk=annotation.pk).note == "someone else"

    form["expected_version"] = 2
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = Annotation.objects.get(pk=annotation.pk)
    assert (fresh.note, fresh.version) == ("edited in the admin", 3)


def test_admin_span_is_validated_with_the_field_named(admin_client):
    annotation = AnnotationFactory(note="original")
    url = f"/admin/annotations/annotation/{annotation.pk}/change/"
    form = {
        "article": annotation.article_id,
        "target": "span",
        "start": annotation.start,
        "end": annotation.end,
        "exact": "not the words",
        "note": "x",
        "status": "published",
        "expected_version": 1,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "exact does not match" in response.content.decode()
    form.update(exact="", end=10_000)
    assert "past the end of the text" in admin_client.post(url, form).content.decode()
    assert Annotation.objects.get(pk=annotation.pk).version == 1


def test_admin_add_goes_through_the_service(admin_client):
    article = ArticleFactory()
    tag = TagFactory(slug="framing")
    response = admin_client.post(
        "/admin/annotations/annotation/add/",
        {
            "article": article.pk,
            "target": "span",
            "start": 0,
            "end": 7,
            "tags": [tag.pk],
            "note": "n",
            "status": "draft",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    annotation = Annotation.objects.get()
    assert annotation.exact == article.text[0:7]
    assert annotation.author.username == "boss" and annotation.prefix == "" and annotation.suffix
    assert [t.slug for t in annotation.tags.all()] == ["framing"]


def test_editor_changes_only_own_annotations(client):
    editor = UserFactory(username="ed", is_staff=True, groups=["Editor"])
    mine = AnnotationFactory(author=editor)
    theirs = AnnotationFactory(article=mine.article)
    client.force_login(editor)
    page = client.get(f"/admin/annotations/annotation/{theirs.pk}/change/").content.decode()
    assert 'name="note"' not in page  # read-only view
    assert 'name="note"' in client.get(f"/admin/annotations/annotation/{mine.pk}/change/").content.decode()


def test_publish_action(admin_client):
    drafts = [AnnotationFactory(status="draft") for _ in range(3)]
    admin_client.post(
        "/admin/annotations/annotation/",
        {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]},
    )
    assert set(Annotation.objects.values_list("status", flat=True)) == {"published"}
    assert set(Annotation.objects.values_list("version", flat=True)) == {2}


def test_orphan_queue_lists_only_orphans(admin_client):
    kept = AnnotationFactory(note="still placed")
    orphan = AnnotationFactory(article=kept.article, note="lost its words")
    Annotation.objects.filter(pk=orphan.pk).update(anchor="orphaned", start=None, end=None)
    page = admin_client.get("/admin/annotations/orphanedannotation/").content.decode()
    assert "lost its words" in page and "still placed" not in page


def test_revision_page_shows_a_diff_against_the_newer_text(admin_client):
    from corpus.ingest.readers import ArticleInput
    from corpus.services import article_ingest

    def ingest(body: str):
        record = ArticleInput(raw=body.encode(), body=body, url="https://example.org/r", origin="t")
        return article_ingest(record=record).article

    ingest("Headline\nThe vote was seven to four.\nUnchanged paragraph.")
    article = ingest("Headline\nThe vote was eight to three.\nUnchanged paragraph.")
    revision = article.revisions.get()
    page = admin_client.get(f"/admin/corpus/articlerevision/{revision.pk}/change/").content.decode()
    assert "-The vote was seven to four." in page and "+The vote was eight to three." in page
    assert "revision 1" in page and "revision 2" in page
