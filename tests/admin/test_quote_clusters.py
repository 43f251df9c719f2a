"""The quote-cluster admin: a changelist with exact queries, merges and splits through the services, and
readers who may only look."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.models import Article, Quote, QuoteCluster
from tests.api.conftest import make_user
from tests.corpus.test_clusters import _quote, two_clusters  # noqa: F401

pytestmark = pytest.mark.django_db


def _staff(role: str):
    user = make_user(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_changelist_and_change_page_query_counts(client, two_clusters, role):  # noqa: F811
    a, *_ = two_clusters
    client.force_login(_staff(role))
    cluster = _quote(a, "We cannot wait").cluster
    # session, user, (two for an editor's permissions), the count and the unfiltered count, the rows
    expected = {"superuser": 5, "editor": 7}[role]
    assert _queries(client, "/admin/corpus/quotecluster/") == expected
    assert _queries(client, "/admin/corpus/quotecluster/?speakers_disagree__exact=1") == expected
    page = client.get(f"/admin/corpus/quotecluster/{cluster.pk}/change/")
    assert "We cannot wait another winter" in page.content.decode()


def test_changelist_dates_an_undated_first_appearance_by_its_ingest_time(client, two_clusters):  # noqa: F811
    a, *_ = two_clusters
    client.force_login(_staff("editor"))
    listed = client.get("/admin/corpus/quotecluster/").content.decode()
    assert f"(undated, ingested {a.ingested_at.date().isoformat()})" in listed
    Article.objects.filter(pk=a.pk).update(published_at=datetime(2026, 3, 1, 8, tzinfo=UTC))
    assert "(2026-03-01)" in client.get("/admin/corpus/quotecluster/").content.decode()


def test_merge_action_and_take_out_action(client, two_clusters):  # noqa: F811
    a, _, c, d = two_clusters
    wall, cost = _quote(a, "We cannot wait").cluster, _quote(c, "sea wall will cost").cluster
    client.force_login(_staff("editor"))
    response = client.post(
        "/admin/corpus/quotecluster/",
        {"action": "merge_selected", "_selected_action": [wall.pk, cost.pk]},
        follow=True,
    )
    assert "1 cluster(s) merged" in response.content.decode()
    assert QuoteCluster.objects.count() == 1
    merged = QuoteCluster.objects.get()
    assert merged.size == 4
    out = [_quote(c, "sea wall").pk, _quote(d, "sea wall").pk]
    response = client.post(
        "/admin/corpus/quote/", {"action": "take_out_of_cluster", "_selected_action": out}, follow=True
    )
    assert "2 quote(s) taken out of their cluster" in response.content.decode()
    assert set(Quote.objects.filter(pk__in=out).values_list("cluster_fixed", flat=True)) == {True}
    assert QuoteCluster.objects.count() == 2


def test_viewers_see_clusters_but_cannot_merge(client, two_clusters):  # noqa: F811
    a, _, c, _ = two_clusters
    wall, cost = _quote(a, "We cannot wait").cluster, _quote(c, "sea wall will cost").cluster
    client.force_login(_staff("viewer"))
    assert client.get("/admin/corpus/quotecluster/").status_code == 200
    response = client.post(
        "/admin/corpus/quotecluster/", {"action": "merge_selected", "_selected_action": [wall.pk, cost.pk]}
    )
    assert QuoteCluster.objects.count() == 2  # nothing merged
    assert response.status_code in (200, 302, 403)
