"""A request reads its user's permissions once, in one query, and only when something checks them; the
answers are those of Django's ModelBackend."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.permissions import permissions_in_one_query
from tests.api.conftest import client_for, make_user
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_one_query_gives_what_the_model_backend_gives(django_assert_num_queries):
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="delete_article"))
    expected = _fresh(editor).get_all_permissions()  # ModelBackend: own and group permissions
    assert "corpus.delete_article" in expected and "annotations.view_annotation" in expected
    user = _fresh(editor)
    with django_assert_num_queries(0):
        permissions_in_one_query(user)
    with django_assert_num_queries(1):
        assert user.has_perm("annotations.view_annotation")
        assert user.has_perms(["corpus.delete_article", "annotations.add_annotation"])
        assert not user.has_perm("auth.delete_user")
        assert user.get_all_permissions() == expected


def test_inactive_superusers_and_anonymous_users_as_before():
    inactive = make_user("editor")
    inactive.is_active = False
    permissions_in_one_query(inactive)
    assert not inactive.has_perm("annotations.view_annotation")
    root = _fresh(make_user("superuser"))
    permissions_in_one_query(root)
    assert root.get_all_permissions() == _fresh(root).get_all_permissions()
    anonymous = AnonymousUser()
    permissions_in_one_query(anonymous)
    assert not hasattr(anonymous, "_perm_cache")


def test_a_signed_in_list_reads_permissions_once():
    ArticleFactory()
    editor = make_user("editor")
    client = client_for(_fresh(editor))
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/articles/?expand=annotations,claims").status_code == 200
    assert sum('"auth_permission"' in q["sql"] for q in captured.captured_queries) == 1
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/sources/").status_code == 200
    assert not any('"auth_permission"' in q["sql"] for q in captured.captured_queries)
