"""The project admin: set-up through the services, articles added from the article list, assignment in
the work queue, and the agreement as a table and a matrix of annotator pairs; query counts pinned."""

from __future__ import annotations

import pytest

from annotations.models import AnnotationProject, Assignment, ProjectArticle
from tests.annotations.projects_setup import project_setup
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_reviewers_set_up_a_project_and_editors_cannot(client):
    setup = project_setup()
    people = setup.people
    client.force_login(people["chief"])
    response = client.post(
        "/admin/annotations/annotationproject/add/",
        {
            "name": "Second look",
            "tag_root": setup.project.tag_root.pk,
            "guidelines": "Read twice.",
            "annotators": [people["ann1"].pk, people["ann2"].pk],
            "annotators_per_article": 2,
            "curators": [people["curator"].pk],
            "entries-TOTAL_FORMS": 0,
            "entries-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = AnnotationProject.objects.get(name="Second look")
    assert sorted(u.username for u in made.annotators.all()) == ["ann1", "ann2"]
    assert made.created_by == people["chief"]
    client.force_login(people["ann1"])
    assert client.get("/admin/annotations/annotationproject/add/").status_code == 403


def test_a_project_the_service_refuses_is_not_saved_and_the_form_says_why(client):
    setup = project_setup()
    people = setup.people
    client.force_login(people["chief"])
    response = client.post(
        "/admin/annotations/annotationproject/add/",
        {
            "name": "Too many per article",
            "tag_root": setup.project.tag_root.pk,
            "annotators": [people["ann1"].pk],
            "annotators_per_article": 3,
            "entries-TOTAL_FORMS": 0,
            "entries-INITIAL_FORMS": 0,
        },
        follow=True,
    )
    assert not AnnotationProject.objects.filter(name="Too many per article").exists()
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Not saved:") and "3 annotators per article" in m for m in shown), shown


def test_articles_join_a_project_from_the_article_list_and_are_assigned(client):
    setup = project_setup()
    extra = ArticleFactory()
    client.force_login(setup.people["chief"])
    page = client.post(
        "/admin/corpus/article/",
        {
            "action": "add_to_project",
            "_selected_action": [extra.pk],
            "apply": "1",
            "project": setup.project.pk,
        },
        follow=True,
    ).content.decode()
    assert "1 article(s) added to Blame in harbour coverage" in page
    assert ProjectArticle.objects.filter(project=setup.project, article=extra, state="open").exists()
    client.post(
        "/admin/annotations/annotationproject/",
        {"action": "assign_selected", "_selected_action": [setup.project.pk]},
    )
    assert Assignment.objects.filter(project=setup.project, article=extra).count() == 2


def test_changelist_pins_its_query_count(client, django_assert_num_queries):
    setup = project_setup()
    setup.close(setup.articles[0])
    client.force_login(setup.people["chief"])
    client.get("/admin/annotations/annotationproject/")
    # Session, user, the page's count, the total count, the projects with their counts, the user's
    # permissions (two: own and groups').
    with django_assert_num_queries(7):
        page = client.get("/admin/annotations/annotationproject/").content.decode()
    assert "Blame in harbour coverage" in page


def test_change_page_shows_the_agreement_table_and_pair_matrix(client, django_assert_num_queries):
    setup = project_setup()
    first = setup.articles[0]
    setup.span(first, "ann1", "The city council", "blame")
    setup.span(first, "ann2", "The city council", "blame")
    setup.span(first, "ann1", "Opponents", "praise")
    setup.close(first)
    client.force_login(setup.people["chief"])
    url = f"/admin/annotations/annotationproject/{setup.project.pk}/change/"
    client.get(url)
    # The change page (session, user, the project, permissions, the people's and the tag set's widgets)
    # and the agreement (closed articles, assignments, layers and their tags, paragraphs, texts, the
    # project's tags): a fixed number whatever the number of articles.
    with django_assert_num_queries(19):
        page = client.get(url).content.decode()
    assert 'class="agreement-table"' in page
    assert "Cohen's κ per pair of annotators: span_exact" in page
    # span_exact overall: ann1 blame, praise; ann2 blame, none: kappa 0.333333 over 2 items.
    assert "0.333333 <small>(2; 0.5 / 0.25)</small>" in page
