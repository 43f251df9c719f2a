"""Clusters hold quoted words: a quote an editor corrects to ``indirect`` (the writer's words) leaves its
cluster, through every door (the correction service, the admin's change form, the API's PATCH), the
cluster's figures as a recount of its members gives them; a quote made direct or partial again finds its
cluster as an ingested one does."""

from __future__ import annotations

import pytest

from corpus.models import QuoteCluster, QuoteFingerprint
from corpus.services import quote_correct
from tests.api.conftest import client_for, make_user
from tests.corpus.test_cluster_incremental import _expected, _stored
from tests.corpus.test_clusters import WALL, _ingest, _quote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    """The same words in three dated articles: one cluster, the first of them its first appearance."""
    a = _ingest("https://a.example/1", WALL, "2026-03-01T08:00:00Z")
    b = _ingest("https://b.example/2", f"Again: {WALL}", "2026-03-02T08:00:00Z")
    c = _ingest("https://c.example/3", f"Later: {WALL}", "2026-03-03T08:00:00Z")
    cluster = QuoteCluster.objects.get()
    assert (cluster.size, cluster.articles, cluster.first_quote_id) == (3, 3, _quote(a, "We cannot").pk)
    return a, b, c, cluster


def _left(quote, cluster: QuoteCluster) -> None:
    """The quote is in no cluster and holds no fingerprint; the cluster's stored figures are a recount's."""
    quote.refresh_from_db()
    assert quote.kind == "indirect" and quote.cluster_id is None and not quote.cluster_fixed
    assert not QuoteFingerprint.objects.filter(quote=quote).exists()
    assert _stored(cluster) == _expected(cluster)


def test_the_service_takes_an_indirect_quote_out_and_finds_the_first_appearance_again(three):
    a, b, _, cluster = three
    editor = make_user("editor")
    quote = _quote(a, "We cannot")
    quote_correct(quote=quote, expected_version=quote.version, user=editor, kind="indirect")
    _left(quote, cluster)
    assert (cluster.size, cluster.articles, cluster.first_quote_id) == (2, 2, _quote(b, "We cannot").pk)
    # A later article with the same words does not reach the indirect quote.
    d = _ingest("https://d.example/4", f"Once more: {WALL}", "2026-03-04T08:00:00Z")
    quote.refresh_from_db()
    assert quote.cluster_id is None and _quote(d, "We cannot").cluster_id == cluster.pk
    # Made direct again, it is clustered as an ingested quote is, and is the first appearance again.
    quote_correct(quote=quote, expected_version=quote.version, user=editor, kind="direct")
    quote.refresh_from_db()
    assert quote.cluster_id == cluster.pk
    assert _stored(cluster) == _expected(cluster) and cluster.first_quote_id == quote.pk


def test_a_cluster_left_with_one_article_is_dissolved(three):
    a, b, _, cluster = three
    editor = make_user("editor")
    for article in (a, b):
        quote = _quote(article, "We cannot")
        quote_correct(quote=quote, expected_version=quote.version, user=editor, kind="indirect")
    assert not QuoteCluster.objects.filter(pk=cluster.pk).exists()
    assert all(_quote(x, "We cannot").cluster_id is None for x in three[:3])


def test_an_editor_placed_quote_made_indirect_leaves_too(three):
    """The later decision wins: the editor says these are not quoted words at all."""
    a, _, _, cluster = three
    editor = make_user("editor")
    quote = _quote(a, "We cannot")
    type(quote).objects.filter(pk=quote.pk).update(cluster_fixed=True)
    quote.refresh_from_db()
    quote_correct(quote=quote, expected_version=quote.version, user=editor, kind="indirect")
    _left(quote, cluster)


def test_the_api_patch_of_the_kind_takes_the_quote_out(three):
    a, _, _, cluster = three
    quote = _quote(a, "We cannot")
    client = client_for(make_user("editor"))
    url = f"/api/quotes/{quote.pk}/"
    etag = client.get(url).headers["ETag"]
    response = client.patch(url, {"kind": "indirect"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["cluster"] is None
    _left(quote, cluster)


def test_the_admin_change_form_takes_the_quote_out(client, three):
    a, _, _, cluster = three
    quote = _quote(a, "We cannot")
    client.force_login(UserFactory(username="desk", is_staff=True, groups=["Editor"]))
    response = client.post(
        f"/admin/corpus/quote/{quote.pk}/change/",
        {"kind": "indirect", "speaker": quote.speaker_id, "expected_version": quote.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    _left(quote, cluster)


def test_a_kind_change_between_direct_and_partial_keeps_the_place(three):
    a, _, _, cluster = three
    quote = _quote(a, "We cannot")
    before = _stored(cluster)
    quote_correct(quote=quote, expected_version=quote.version, user=make_user("editor"), kind="partial")
    quote.refresh_from_db()
    assert quote.cluster_id == cluster.pk and _stored(cluster) == before
