"""A delete confirmation names every row that goes with the object as Django's own would, and reads
what those names need with the rows (``name_reads``): a user's assignments, each named by its article
and assignee, an article's assignments and project entries, and the fact-checks that keep a user
(named by their claim) cost the page no query of their own however many there are."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_deleted_objects
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from annotations import services, work_queue
from annotations.models import AnnotationProject, Assignment, ProjectArticle
from corpus.models import Article
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db
# One query per relation that holds rows (whatever their number), the same on SQLite and PostgreSQL:
QUERIES = 18  # a user with assignments
ARTICLE_QUERIES = 15  # an article with assignments and project entries
PROTECTED_QUERIES = 18  # a user kept by their fact-checks (and claims)


@pytest.fixture
def setup():
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    editor = UserFactory(username="editor", is_staff=True, groups=["Editor"])
    articles = [ArticleFactory(title=f"Harbour <{n}>") for n in range(3)]
    work_queue.assignments_create(article_ids=[a.pk for a in articles], assignee=editor, user=root)
    request = RequestFactory().get("/")
    request.user = root
    return root, editor, request


def test_the_users_confirmation_lists_what_djangos_own_lists(setup):
    _root, editor, request = setup
    user_admin = admin.site.get_model_admin(get_user_model())
    ours = user_admin.get_deleted_objects([editor], request)
    assert ours == get_deleted_objects([editor], request, admin.site)
    listed = str(ours[0])
    assert Assignment.objects.filter(assignee=editor).count() == 3
    for assignment in Assignment.objects.filter(assignee=editor):
        assert f"{assignment}".replace("<", "&lt;").replace(">", "&gt;") in listed


def test_the_users_confirmation_costs_the_same_with_more_assignments(setup, django_assert_num_queries):
    root, editor, request = setup
    user_admin = admin.site.get_model_admin(get_user_model())
    user_admin.get_deleted_objects([editor], request)  # content types and permissions cached
    # The user, then each relation that holds rows (the assignments with their articles in one).
    with django_assert_num_queries(QUERIES):
        user_admin.get_deleted_objects([editor], request)
    more = [ArticleFactory(title=f"Port {n}") for n in range(4)]
    work_queue.assignments_create(article_ids=[a.pk for a in more], assignee=editor, user=root)
    with django_assert_num_queries(QUERIES):
        user_admin.get_deleted_objects([editor], request)


def _pinned(obj, request, count: int, django_assert_num_queries) -> None:
    """The delete confirmation of ``obj`` lists what Django's own lists, in exactly ``count`` queries."""
    model_admin = admin.site.get_model_admin(type(obj))
    ours = model_admin.get_deleted_objects([obj], request)
    assert ours == get_deleted_objects([obj], request, admin.site)
    with django_assert_num_queries(count):
        model_admin.get_deleted_objects([obj], request)


def _project(name: str, articles) -> AnnotationProject:
    project = AnnotationProject.objects.create(name=name, tag_root=TagFactory(slug=f"{name}-tags"))
    for article in articles:
        ProjectArticle.objects.create(project=project, article=article)
    return project


def test_an_articles_confirmation_costs_the_same_with_more_assignments_and_projects(
    setup, django_assert_num_queries
):
    root, _editor, request = setup
    article = Article.objects.order_by("pk").first()
    _project("first", [article])
    _pinned(article, request, ARTICLE_QUERIES, django_assert_num_queries)
    for n in range(3):
        other = UserFactory(username=f"other{n}", is_staff=True, groups=["Editor"])
        work_queue.assignments_create(article_ids=[article.pk], assignee=other, user=root)
        _project(f"more{n}", [article])
    assert article.assignments.count() == 4 and article.project_entries.count() == 4
    _pinned(article, request, ARTICLE_QUERIES, django_assert_num_queries)


def test_fact_checks_that_keep_a_user_are_named_without_a_query_each(setup, django_assert_num_queries):
    _root, editor, request = setup
    articles = list(Article.objects.order_by("pk"))

    def fact_check(article):
        claim = services.claim_create(article=article, text=article.title, created_by=editor)
        services.factcheck_create(claim=claim, author=editor, verdict="false", rationale="r")

    fact_check(articles[0])
    _pinned(editor, request, PROTECTED_QUERIES, django_assert_num_queries)
    for article in articles[1:]:
        fact_check(article)
    _, _, _, protected = admin.site.get_model_admin(get_user_model()).get_deleted_objects([editor], request)
    assert sum("Fact-check" in str(row) or "Fact check" in str(row) for row in protected) == 3
    _pinned(editor, request, PROTECTED_QUERIES, django_assert_num_queries)
