"""Annotation projects: set-up and assignment through the work queue, the rules of a layer, and the one
visibility rule (an annotator's layer is hidden from the other annotators until the article is closed for
curation) held at every door: the API, the admin (changelist, change page, history, raw-id lookup), the
annotate screen."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from annotations import projects, services
from annotations.models import Annotation, Assignment, ProjectArticleState
from tests.annotations.projects_setup import project_setup

pytestmark = pytest.mark.django_db

SECRET = "blamed the council"  # the note on ann1's layer annotation: the words that must not leak


@pytest.fixture
def setup():
    return project_setup()


@pytest.fixture
def hidden(setup):
    """ann1's layer annotation on the first article, still open."""
    article = setup.articles[0]
    return setup.span(article, "ann1", "The city council voted", "blame", note=SECRET)


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- Set-up and the work queue ------------------------------------------------------------------


def test_assigning_fills_each_article_up_to_the_annotators_per_article_in_the_work_queue():
    setup = project_setup(annotators=3)
    rows = list(
        Assignment.objects.filter(project=setup.project).values_list("article_id", "assignee__username")
    )
    per_article = {a.pk: sorted(name for pk, name in rows if pk == a.pk) for a in setup.articles}
    assert all(len(names) == 2 for names in per_article.values()), per_article
    # The least loaded first: four assignments over three annotators leave nobody with three.
    load = sorted(sum(1 for _, name in rows if name == who) for who in ("ann1", "ann2", "ann3"))
    assert load == [1, 1, 2]
    # Again: nothing more to do.
    assert projects.project_assign(project=setup.project, user=setup.people["chief"]) == 0


def test_only_reviewers_and_administrators_set_up_projects(setup):
    with pytest.raises(PermissionDenied):
        projects.project_assign(project=setup.project, user=setup.people["ann1"])
    with pytest.raises(PermissionDenied):
        projects.project_articles_add(project=setup.project, article_ids=[], user=setup.people["ann1"])


def test_a_layer_is_written_by_an_annotator_with_the_project_tags_and_stays_unpublished(setup):
    article = setup.articles[0]
    with pytest.raises(PermissionDenied, match="not an annotator"):
        setup.span(article, "outsider", "The city council", "blame")
    with pytest.raises(ValidationError, match="not in the tag set"):
        setup.span(article, "ann1", "The city council", "elsewhere")
    start = article.text.index("The city council")
    with pytest.raises(ValidationError, match="stays unpublished"):
        services.annotation_create(
            article=article,
            author=setup.people["ann1"],
            start=start,
            end=start + 8,
            tags=["blame"],
            status="published",
            project=setup.project,
        )
    made = setup.span(article, "ann1", "The city council", "blame")
    assert (made.project_id, made.curated, made.status) == (setup.project.pk, False, "draft")


def test_closing_freezes_the_layers(setup, hidden):
    setup.close(setup.articles[0])
    with pytest.raises(PermissionDenied, match="closed for curation"):
        services.annotation_update(
            annotation=hidden, expected_version=hidden.version, user=setup.people["ann1"], note="later"
        )
    with pytest.raises(PermissionDenied, match="closed for curation"):
        services.annotation_delete(
            annotation=hidden, expected_version=hidden.version, user=setup.people["ann1"]
        )
    with pytest.raises(PermissionDenied, match="closed for curation"):
        setup.span(setup.articles[0], "ann2", "The city council", "blame")


def test_the_shared_desk_works_as_before_on_a_project_article(setup):
    article = setup.articles[0]
    desk = services.annotation_create(
        article=article,
        author=setup.people["outsider"],
        target="article",
        tags=["elsewhere"],
        status="published",
    )
    assert desk.project_id is None
    assert Annotation.objects.visible_to(None).filter(pk=desk.pk).exists()


# --- The rule, read through the queryset every door uses -----------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_while_open", "sees_once_closed"),
    [
        ("ann1", True, True),  # the author
        ("ann2", False, True),  # the other annotator
        ("outsider", False, True),  # an editor outside the project
        ("viewer", False, True),
        ("curator", True, True),
        (None, False, False),  # anonymous: drafts never, layers never
    ],
)
def test_who_sees_a_layer(setup, hidden, who, sees_while_open, sees_once_closed):
    user = setup.people[who] if who else None
    assert Annotation.objects.visible_to(user).filter(pk=hidden.pk).exists() is sees_while_open
    setup.close(setup.articles[0])
    assert Annotation.objects.visible_to(user).filter(pk=hidden.pk).exists() is sees_once_closed


# --- The doors -------------------------------------------------------------------------------


def test_api_never_shows_another_annotators_open_layer(setup, hidden):
    article = setup.articles[0]
    other, author = _api(setup.people["ann2"]), _api(setup.people["ann1"])
    listed = other.get("/api/annotations/", {"article": article.pk}).json()
    assert SECRET not in json.dumps(listed)
    assert other.get(f"/api/annotations/{hidden.pk}/").status_code == 404
    expanded = other.get(f"/api/articles/{article.pk}/", {"expand": "annotations"}).json()
    assert SECRET not in json.dumps(expanded)
    assert other.get("/api/w3c/annotations/").status_code == 200
    assert SECRET not in other.get("/api/w3c/annotations/").content.decode()
    assert other.get("/api/annotations/", {"q": "blamed"}).json()["results"] == []
    mine = author.get(f"/api/annotations/{hidden.pk}/").json()
    assert (mine["note"], mine["project"], mine["curated"]) == (SECRET, setup.project.pk, False)
    setup.close(article)
    assert other.get(f"/api/annotations/{hidden.pk}/").json()["note"] == SECRET


def test_api_writes_into_ones_layer_with_project(setup):
    article = setup.articles[0]
    start = article.text.index("The city council")
    response = _api(setup.people["ann2"]).post(
        "/api/annotations/",
        {
            "article": article.pk,
            "start": start,
            "end": start + 8,
            "tags": ["praise"],
            "project": setup.project.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["project"] == setup.project.pk
    refused = _api(setup.people["outsider"]).post(
        "/api/annotations/",
        {
            "article": article.pk,
            "start": start,
            "end": start + 8,
            "tags": ["praise"],
            "project": setup.project.pk,
        },
        format="json",
    )
    assert refused.status_code == 403


def test_admin_changelist_change_page_history_and_lookup_hide_the_layer(client, setup, hidden):
    client.force_login(setup.people["ann2"])
    changelist = client.get("/admin/annotations/annotation/").content.decode()
    assert SECRET not in changelist and f"Annotation {hidden.pk} " not in changelist
    lookup = client.get("/admin/annotations/annotation/", {"_popup": "1", "_to_field": "id"}).content.decode()
    assert SECRET not in lookup
    searched = client.get("/admin/annotations/annotation/", {"q": "blamed"}).content.decode()
    assert SECRET not in searched
    change = client.get(f"/admin/annotations/annotation/{hidden.pk}/change/")
    assert change.status_code == 302  # "does not exist", as for an unknown id
    history = client.get(f"/admin/annotations/annotation/{hidden.pk}/history/")
    assert history.status_code == 404
    version = hidden.history.first().history_id
    assert client.get(f"/admin/annotations/annotation/{hidden.pk}/history/{version}/").status_code == 404
    # The author reads all of it.
    client.force_login(setup.people["ann1"])
    assert SECRET in client.get(f"/admin/annotations/annotation/{hidden.pk}/change/").content.decode()
    assert client.get(f"/admin/annotations/annotation/{hidden.pk}/history/").status_code == 200


def test_another_annotators_hidden_layer_is_not_counted_in_the_article_list_or_the_dashboard(
    client, setup, hidden
):
    article = setup.articles[0]
    setup.span(article, "ann2", "The city council", "praise")
    client.force_login(setup.people["ann2"])
    changelist = client.get("/admin/corpus/article/").content.decode()
    (row,) = [r for r in changelist.split("<tr") if f"/admin/corpus/article/{article.pk}/change/" in r]
    # ann2 sees their own annotation, not ann1's.
    assert re.search(r'<td class="field-annotation_count">(\d+)</td>', row).group(1) == "1"
    charts = {chart.slug: chart for chart in client.get("/admin/dashboard/").context["charts"]}
    assert [label for label, _ in charts["tags"].rows] == ["praise"]
    assert [label for label, _ in charts["throughput"].rows] == ["ann2"]
    # Once the article is closed for curation, both layers are seen and counted.
    setup.close(article)
    changelist = client.get("/admin/corpus/article/").content.decode()
    (row,) = [r for r in changelist.split("<tr") if f"/admin/corpus/article/{article.pk}/change/" in r]
    assert re.search(r'<td class="field-annotation_count">(\d+)</td>', row).group(1) == "2"
    charts = {chart.slug: chart for chart in client.get("/admin/dashboard/").context["charts"]}
    assert sorted(label for label, _ in charts["tags"].rows) == ["blame", "praise"]
    assert sorted(label for label, _ in charts["throughput"].rows) == ["ann1", "ann2"]


def test_admin_history_of_a_deleted_layer_annotation_stays_hidden(client, setup, hidden):
    pk = hidden.pk
    services.annotation_delete(annotation=hidden, expected_version=hidden.version, user=setup.people["ann1"])
    client.force_login(setup.people["ann2"])
    assert client.get(f"/admin/annotations/annotation/{pk}/history/").status_code == 404


DATA = re.compile(r'<script id="annotate-data" type="application/json">(.*?)</script>', re.S)


def test_annotate_screen_shows_only_ones_own_layer_and_the_project_tags(client, setup, hidden):
    article = setup.articles[0]
    client.force_login(setup.people["ann2"])
    page = client.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode()
    data = json.loads(DATA.search(page).group(1))
    assert SECRET not in page
    assert all(a["id"] != hidden.pk for a in data["annotations"])
    assert data["project"]["id"] == setup.project.pk
    assert sorted(t["slug"] for t in data["tags"]) == ["blame", "framing", "praise"]
    assert "your own layer" in page
    client.force_login(setup.people["ann1"])
    mine = json.loads(
        DATA.search(client.get(f"/admin/corpus/article/{article.pk}/annotate/").content.decode()).group(1)
    )
    assert [a["note"] for a in mine["annotations"] if a["id"] == hidden.pk] == [SECRET]


def test_closing_is_for_curators_and_managers(setup):
    article = setup.articles[1]
    with pytest.raises(PermissionDenied):
        projects.project_article_close(project=setup.project, article=article, user=setup.people["ann1"])
    entry = projects.project_article_close(
        project=setup.project, article=article, user=setup.people["curator"]
    )
    assert entry.state == ProjectArticleState.CLOSED


# --- Claims name only annotations their author may see --------------------------------------------


def test_a_claim_cannot_name_another_annotators_hidden_annotation_and_is_told_it_does_not_exist(
    setup, hidden
):
    article = setup.articles[0]
    other = setup.people["ann2"]
    with pytest.raises(ValidationError) as hidden_error:
        services.claim_create(article=article, text="A claim", created_by=other, annotation=hidden)
    missing = Annotation(pk=hidden.pk + 1000, article=article)
    with pytest.raises(ValidationError) as missing_error:
        services.claim_create(article=article, text="A claim", created_by=other, annotation=missing)
    # The same answer for a hidden annotation as for one that does not exist, bar the id.
    assert hidden_error.value.message_dict["annotation"] == [f"no annotation {hidden.pk}."]
    assert missing_error.value.message_dict["annotation"] == [f"no annotation {missing.pk}."]
    # Through the API, too; and moving one's own claim onto it is refused the same way.
    answer = _api(other).post(
        "/api/claims/", {"article": article.pk, "text": "A claim", "annotation": hidden.pk}, format="json"
    )
    assert answer.status_code == 400 and "annotation" in answer.json(), answer.content
    claim = services.claim_create(article=article, text="A claim", created_by=other)
    with pytest.raises(ValidationError):
        services.claim_update(claim=claim, expected_version=claim.version, user=other, annotation=hidden)
    # Its author may.
    mine = services.claim_create(
        article=article, text="A claim", created_by=setup.people["ann1"], annotation=hidden
    )
    assert mine.annotation_id == hidden.pk
