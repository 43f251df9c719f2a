"""The editors' desk in the admin: fact-check review with a second person, the review queue, tag
upkeep, bulk tagging, quote and role corrections, and history of who changed what."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Annotation, FactCheck, Tag
from corpus.models import Paragraph, Quote
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username: str, group: str):
    user = UserFactory(username=username, is_staff=True, groups=[group])
    client.force_login(user)
    return user


def _fact_check(author, verdict: str = "false") -> FactCheck:
    article = ArticleFactory()
    claim = services.claim_create(
        article=article, text="The pier is older than all of us.", created_by=author
    )
    return services.factcheck_create(claim=claim, author=author, verdict=verdict, rationale="Records.")


def _action(client, url: str, action: str, ids: list[int], **extra):
    return client.post(url, {"action": action, "_selected_action": ids, **extra}, follow=True)


def _versions(*fact_checks) -> dict[str, int]:
    """What the confirmation page carries: the version of each fact-check the reviewer read."""
    return {f"version-{fc.pk}": FactCheck.objects.get(pk=fc.pk).version for fc in fact_checks}


def test_fact_check_needs_a_second_person_in_the_admin(client):
    author = _login(client, "author", "Fact-checker")
    fact_check = _fact_check(author)
    url = "/admin/annotations/factcheck/"
    _action(client, url, "submit_selected", [fact_check.pk])
    assert FactCheck.objects.get().status == "in_review"
    confirm = _action(client, url, "publish_selected", [fact_check.pk]).content.decode()
    assert "Approve and publish" in confirm and 'name="version-' in confirm
    page = _action(
        client, url, "publish_selected", [fact_check.pk], apply="1", **_versions(fact_check)
    ).content.decode()
    assert "its author cannot review it" in page
    assert FactCheck.objects.get().status == "in_review"

    reviewer = _login(client, "reviewer", "Fact-checker")
    queue = client.get("/admin/annotations/factcheckinreview/").content.decode()
    assert "The pier is older" in queue
    _action(
        client,
        "/admin/annotations/factcheckinreview/",
        "publish_selected",
        [fact_check.pk],
        apply="1",
        **_versions(fact_check),
    )
    published = FactCheck.objects.get()
    assert (published.status, published.reviewer) == ("published", reviewer)
    # the history shows who did what
    history = list(published.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history[0] == ("draft", None) or history[0][0] == "draft"
    assert ("in_review", "author") in history and ("published", "reviewer") in history


def test_editor_cannot_publish_and_send_back_needs_a_comment(client):
    author = UserFactory(username="author", groups=["Fact-checker"])
    fact_check = _fact_check(author)
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    editor = _login(client, "editor", "Editor")
    assert not editor.has_perm("annotations.review_factcheck")
    page = client.get("/admin/annotations/factcheck/").content.decode()
    assert "publish_selected" not in page  # the action is not offered

    _login(client, "checker", "Fact-checker")
    url = "/admin/annotations/factcheck/"
    form = _action(client, url, "send_back_selected", [fact_check.pk]).content.decode()
    assert "Send back with a comment" in form
    _action(
        client,
        url,
        "send_back_selected",
        [fact_check.pk],
        apply="1",
        comment="Cite the records.",
        **_versions(fact_check),
    )
    fact_check.refresh_from_db()
    assert (fact_check.status, fact_check.review_comment) == ("draft", "Cite the records.")


def test_editing_a_published_fact_check_keeps_the_earlier_version(client):
    author = UserFactory(username="author", is_staff=True, groups=["Fact-checker"])
    reviewer = UserFactory(username="reviewer", groups=["Fact-checker"])
    fact_check = _fact_check(author, verdict="false")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)
    client.force_login(author)
    response = client.post(
        f"/admin/annotations/factcheck/{fact_check.pk}/change/",
        {"verdict": "mostly_false", "rationale": "New records.", "evidence": "[]", "expected_version": 3},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fact_check.refresh_from_db()
    # Still published as approved; the change waits for review as a revision.
    assert (fact_check.verdict, fact_check.status) == ("false", "published")
    assert fact_check.revision["verdict"] == "mostly_false"
    assert fact_check.revision_status == "in_review"
    assert "The pier is older" in client.get("/admin/annotations/factcheckinreview/").content.decode()
    verdicts = list(fact_check.history.order_by("history_date").values_list("verdict", "status"))
    assert ("false", "published") in verdicts
    assert client.get(f"/admin/annotations/factcheck/{fact_check.pk}/history/").status_code == 200


def test_tag_merge_moves_annotations_and_tags_in_use_are_not_deleted(admin_client):
    old = TagFactory(slug="wolf-warrior")
    new = TagFactory(slug="framing-wolf-warrior")
    child = TagFactory(slug="wolf-warrior-tweets", parent=old)
    first = AnnotationFactory(tags=[old.slug])
    both = AnnotationFactory(tags=[old.slug, new.slug])
    url = "/admin/annotations/tag/"
    # in use: the delete action leaves it in place
    admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [old.pk], "post": "yes"}, follow=True
    )
    assert Tag.objects.filter(pk=old.pk).exists()
    assert admin_client.get(f"/admin/annotations/tag/{old.pk}/delete/").status_code == 403

    _action(admin_client, url, "merge_selected", [old.pk], apply="1", target=new.pk)
    assert not Tag.objects.filter(pk=old.pk).exists()
    assert [t.slug for t in first.tags.all()] == ["framing-wolf-warrior"]
    assert [t.slug for t in both.tags.all()] == ["framing-wolf-warrior"]
    child.refresh_from_db()
    assert child.parent == new


def test_bulk_tag_quotes_and_paragraphs(client):
    editor = _login(client, "editor", "Editor")
    article = ArticleFactory()
    tag = TagFactory(slug="sourcing-expert")
    quotes = list(Quote.objects.filter(article=article))
    paragraphs = list(Paragraph.objects.filter(article=article)[:2])
    assert quotes
    _action(client, "/admin/corpus/quote/", "tag_selected", [q.pk for q in quotes], apply="1", tags=[tag.pk])
    _action(
        client,
        "/admin/corpus/paragraph/",
        "tag_selected",
        [p.pk for p in paragraphs],
        apply="1",
        tags=[tag.pk],
    )
    made = Annotation.objects.filter(author=editor)
    assert made.filter(target="quote").count() == len(quotes)
    assert made.filter(target="paragraph").count() == 2
    assert all(a.tags.get() == tag for a in made)


def test_quote_correction_and_role_change_in_the_admin(client):
    editor = _login(client, "editor", "Editor")
    article = ArticleFactory()
    quote = Quote.objects.filter(article=article).first()
    response = client.post(
        f"/admin/corpus/quote/{quote.pk}/change/",
        {"kind": "partial", "verified": "on", "expected_version": quote.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    quote.refresh_from_db()
    assert (quote.kind, quote.verified, quote.corrected_by) == ("partial", True, editor)
    assert quote.history.first().history_user == editor

    paragraph = article.paragraphs.get(position=1)
    _action(client, "/admin/corpus/paragraph/", "change_role", [paragraph.pk], apply="1", role="standfirst")
    paragraph.refresh_from_db()
    assert (paragraph.role, paragraph.rule) == ("standfirst", "editor")

    # a stale quote save is refused with a message
    response = client.post(
        f"/admin/corpus/quote/{quote.pk}/change/", {"kind": "direct", "expected_version": quote.version - 1}
    )
    assert "Someone else saved this quote" in response.content.decode()


def test_my_drafts_filter(client):
    editor = _login(client, "editor", "Editor")
    AnnotationFactory(author=editor, note="my own draft", status="draft")
    AnnotationFactory(note="someone else's", status="draft")
    page = client.get("/admin/annotations/annotation/?mine=1&status__exact=draft").content.decode()
    assert "my own draft" in page or "Annotation" in page
    assert page.count('class="action-select"') == 1
