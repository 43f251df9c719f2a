"""The work queue: reviewers assign articles from the article list, each editor sees their queue with
states and progress, and "Done, next article" on the annotate screen moves on; query counts pinned."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import work_queue
from annotations.models import Assignment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "chief": UserFactory(username="chief", is_staff=True, groups=["Fact-checker"]),
        "editor": UserFactory(username="editor", is_staff=True, groups=["Editor"]),
        "viewer": UserFactory(username="viewer", is_staff=True, groups=["Viewer"]),
    }


def test_reviewers_assign_from_the_article_list_once_per_article(client, people):
    articles = [ArticleFactory() for _ in range(3)]
    client.force_login(people["chief"])
    url = "/admin/corpus/article/"
    ids = [a.pk for a in articles]
    form = client.post(url, {"action": "assign_selected", "_selected_action": ids}).content.decode()
    assert "Assign to an editor" in form
    page = client.post(
        url,
        {"action": "assign_selected", "_selected_action": ids, "apply": "1", "assignee": people["editor"].pk},
        follow=True,
    ).content.decode()
    assert "3 article(s) added to editor" in page
    client.post(
        url,
        {
            "action": "assign_selected",
            "_selected_action": ids[:1],
            "apply": "1",
            "assignee": people["editor"].pk,
        },
    )
    assert Assignment.objects.filter(assignee=people["editor"]).count() == 3
    assert set(Assignment.objects.values_list("state", flat=True)) == {"new"}


def test_editors_cannot_assign_and_viewers_cannot_be_given_articles(people):
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        work_queue.assignments_create(
            article_ids=[a.pk for a in [article]], assignee=people["editor"], user=people["editor"]
        )
    with pytest.raises(ValidationError, match="cannot annotate"):
        work_queue.assignments_create(
            article_ids=[a.pk for a in [article]], assignee=people["viewer"], user=people["chief"]
        )
    assert not Assignment.objects.exists()


def test_done_next_moves_through_the_queue_in_order(client, people):
    first, second = ArticleFactory(), ArticleFactory()
    work_queue.assignments_create(
        article_ids=[a.pk for a in [first, second]], assignee=people["editor"], user=people["chief"]
    )
    client.force_login(people["editor"])
    page = client.get(f"/admin/corpus/article/{first.pk}/annotate/").content.decode()
    assert "0 of 2 done" in page and "Done, next article" in page
    step = f"/admin/corpus/article/{first.pk}/annotate/step/"
    assert client.post(step, {"state": "in_progress"}).status_code == 302
    assert Assignment.objects.get(article=first).state == "in_progress"
    response = client.post(step, {"state": "done"})
    assert response["Location"] == f"/admin/corpus/article/{second.pk}/annotate/"
    assert "1 of 2 done" in client.get(response["Location"]).content.decode()
    last = client.post(f"/admin/corpus/article/{second.pk}/annotate/step/", {"state": "done"})
    assert last["Location"].startswith("/admin/annotations/assignment/")
    # Someone else's assignment cannot be moved.
    client.force_login(people["chief"])
    assert client.post(step, {"state": "new"}).status_code == 404
    assert Assignment.objects.get(article=first).state == "done"


def test_my_queue_lists_states_and_pins_its_query_count(client, people, django_assert_num_queries):
    articles = [ArticleFactory() for _ in range(2)]
    work_queue.assignments_create(
        article_ids=[a.pk for a in articles], assignee=people["editor"], user=people["chief"]
    )
    client.force_login(people["editor"])
    url = "/admin/annotations/assignment/?mine=1"
    client.get(url)
    # session, user, two of permissions, the count, the full count, the rows with their article and
    # people, the assignee filter's choices
    with django_assert_num_queries(8):
        first = client.get(url)
    work_queue.assignments_create(
        article_ids=[a.pk for a in [ArticleFactory() for _ in range(4)]],
        assignee=people["editor"],
        user=people["chief"],
    )
    with django_assert_num_queries(8):
        page = client.get(url)
    assert first.context["cl"].result_count == 2 and page.context["cl"].result_count == 6
    assert f'href="/admin/corpus/article/{articles[0].pk}/annotate/"' in page.content.decode()
    index = client.get("/admin/").content.decode()
    assert "6 articles to annotate</a> (0 of 6 done)" in index
