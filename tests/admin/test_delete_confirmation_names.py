"""A delete confirmation names every row that goes with the object as Django's own would, and reads
what those names need with the rows: a user's assignments, each named by its article and assignee,
cost the page no query of their own however many there are."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import get_deleted_objects
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from annotations import work_queue
from annotations.models import Assignment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
QUERIES = 18  # one per relation of a user's, the same on SQLite and PostgreSQL


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
