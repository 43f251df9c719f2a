"""The article list's queryset is built once per kind of reader (``annotation_visibility_key``) and
reused: each reader still counts exactly the annotations they may see, whoever asked before them, and a
reader whose rights change counts by the new ones on the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from annotations import selectors
from annotations.access import annotation_visibility_key
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _counts(user) -> list[int]:
    response = client_for(user).get("/api/articles/?ordering=id")
    assert response.status_code == 200, response.content[:300]
    return [item["annotation_count"] for item in response.json()["results"]]


def _author_without_rights(name: str, article, drafts: int = 1):
    """A user with drafts of their own who has lost every group since (so no view right)."""
    user = make_user("editor", username=name)
    for _ in range(drafts):
        AnnotationFactory(article=article, author=user, status="draft")
    user.groups.clear()
    return type(user).objects.get(pk=user.pk)


def _fresh(user) -> int:
    """What the queryset built anew for ``user`` counts (the cache left aside)."""
    selectors._ARTICLE_LISTS.clear()
    return sum(article.annotation_count for article in selectors.article_list(user=user))


def test_each_reader_counts_what_they_may_see_whoever_asked_first():
    article = ArticleFactory()
    first, second = (
        _author_without_rights("first", article),
        _author_without_rights("second", article, drafts=2),
    )
    editor = make_user("editor")
    AnnotationFactory(article=article, author=editor)  # published
    selectors._ARTICLE_LISTS.clear()
    # Each draft is its author's alone; the editor (view right) sees all three, the anonymous reader none.
    seen = {
        name: _counts(user)
        for name, user in [("anonymous", None), ("first", first), ("second", second), ("editor", editor)]
    }
    assert seen == {"anonymous": [1], "first": [2], "second": [3], "editor": [4]}
    assert len(selectors._ARTICLE_LISTS) == 4  # one queryset per kind of reader
    assert _counts(second) == [3] and _counts(first) == [2]  # the kept querysets, in the other order
    assert [_fresh(user) for user in (None, first, second, editor)] == [1, 2, 3, 4]


def test_a_reader_given_the_view_right_counts_drafts_on_the_next_request():
    article = ArticleFactory()
    reader = UserFactory(username="reader")
    _author_without_rights("author", article)
    before = annotation_visibility_key(reader)
    assert _counts(reader) == [0]
    reader.groups.add(Group.objects.get(name="Viewer"))
    reader = type(reader).objects.get(pk=reader.pk)  # a new request reads the user (and rights) again
    assert annotation_visibility_key(reader) != before
    assert _counts(reader) == [1]


def test_an_inactive_account_and_a_superuser_have_keys_of_their_own():
    keys = {
        annotation_visibility_key(None),
        annotation_visibility_key(make_user("superuser")),
        annotation_visibility_key(UserFactory(username="gone", is_active=False)),
        annotation_visibility_key(make_user("viewer")),
    }
    assert len(keys) == 4
