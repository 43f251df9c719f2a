"""Every way a quote's speaker changes leaves its cluster's speaker and disagreement flag as a recount of
the members gives them: the correction service, the admin's change form, the API's PATCH, the speaker
merge (service, API, admin), a speaker deleted in the admin, and re-processing that finds another
speaker."""

from __future__ import annotations

import pytest

from corpus import clusters
from corpus.models import Quote, QuoteCluster, Speaker
from corpus.services import article_reprocess, quote_correct
from tests.api.conftest import client_for, make_user
from tests.corpus.test_cluster_incremental import OTHER_SPEAKER, _expected, _stored
from tests.corpus.test_clusters import WALL, _ingest, _quote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreeing():
    """Two articles quoting Helena Vasquez's words, a third naming her too: one cluster, one speaker."""
    a = _ingest("https://a.example/1", WALL, "2026-03-01T08:00:00Z")
    b = _ingest("https://b.example/2", f"Again: {WALL}", "2026-03-02T08:00:00Z")
    cluster = QuoteCluster.objects.get()
    assert _stored(cluster) == _expected(cluster)
    assert cluster.speakers_disagree is False and cluster.speaker.name == "Helena Vasquez"
    return a, b, cluster


@pytest.fixture
def disagreeing():
    """The same words given to Helena Vasquez and to Tom Reyes."""
    a = _ingest("https://a.example/1", WALL)
    b = _ingest("https://b.example/2", OTHER_SPEAKER)
    cluster = QuoteCluster.objects.get()
    assert _stored(cluster)[3:] == (True, None)
    return a, b, cluster


def _right(cluster: QuoteCluster) -> tuple:
    stored = _stored(cluster)
    assert stored == _expected(cluster)
    return stored[3:]


def _editor_client():
    editor = make_user("editor")
    return editor, client_for(editor)


def test_api_patch_of_a_speaker_sets_and_clears_the_disagreement(agreeing):
    a, _, cluster = agreeing
    quote = _quote(a, "We cannot wait")
    vasquez = quote.speaker
    reyes = Speaker.objects.create(name="Tom Reyes", kind="person")
    _, client = _editor_client()
    url = f"/api/quotes/{quote.pk}/"
    etag = client.get(url).headers["ETag"]
    response = client.patch(url, {"speaker_id": reyes.pk}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert _right(cluster) == (True, None)
    response = client.patch(url, {"speaker_id": vasquez.pk}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 200, response.content
    assert _right(cluster) == (False, vasquez.pk)
    # No speaker at all: the others' speaker is the cluster's.
    response = client.patch(url, {"speaker_id": None}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 200, response.content
    assert _right(cluster) == (False, vasquez.pk)


def test_the_admin_change_form_rechecks_the_disagreement(client, agreeing):
    a, _, cluster = agreeing
    quote = _quote(a, "We cannot wait")
    reyes = Speaker.objects.create(name="Tom Reyes", kind="person")
    editor = UserFactory(username="desk", is_staff=True, groups=["Editor"])
    client.force_login(editor)
    response = client.post(
        f"/admin/corpus/quote/{quote.pk}/change/",
        {"kind": quote.kind, "speaker": reyes.pk, "expected_version": quote.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _right(cluster) == (True, None)


def test_an_api_speaker_merge_rechecks_the_disagreement(disagreeing):
    a, b, cluster = disagreeing
    target, source = _quote(a, "We cannot wait").speaker, _quote(b, "We cannot wait").speaker
    _, client = _editor_client()
    url = f"/api/speakers/{target.pk}/merge/"
    etag = client.get(f"/api/speakers/{target.pk}/").headers["ETag"]
    response = client.post(url, {"sources": [source.pk]}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert _right(cluster) == (False, target.pk)


def test_a_speaker_deleted_in_the_admin_leaves_the_others_agreeing(admin_client, disagreeing):
    """Deleting a speaker leaves its quotes with none: the cluster's other speaker is then its one."""
    a, b, cluster = disagreeing
    kept, gone = _quote(a, "We cannot wait").speaker, _quote(b, "We cannot wait").speaker
    response = admin_client.post(f"/admin/corpus/speaker/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Speaker.objects.filter(pk=gone.pk).exists()
    assert _right(cluster) == (False, kept.pk)


def test_speakers_deleted_from_the_admin_list_leave_the_clusters_right(admin_client, disagreeing):
    a, b, cluster = disagreeing
    kept, gone = _quote(a, "We cannot wait").speaker, _quote(b, "We cannot wait").speaker
    response = admin_client.post(
        "/admin/corpus/speaker/",
        {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Speaker.objects.filter(pk=gone.pk).exists()
    assert _right(cluster) == (False, kept.pk)


def test_the_clusters_own_speaker_deleted_leaves_it_naming_nobody(admin_client, agreeing):
    _, _, cluster = agreeing
    vasquez = cluster.speaker
    response = admin_client.post(f"/admin/corpus/speaker/{vasquez.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _right(cluster) == (False, None)


def test_reprocessing_that_finds_another_speaker_rechecks_the_disagreement(agreeing):
    """A quote stored with another speaker (by an older pipeline, say) is re-processed: the machine's
    quote now names Helena Vasquez, and the cluster agrees again."""
    a, _, cluster = agreeing
    quote = _quote(a, "We cannot wait")
    vasquez = quote.speaker
    reyes = Speaker.objects.create(name="Tom Reyes", kind="person")
    Quote.objects.filter(pk=quote.pk).update(speaker=reyes)
    clusters.clusters_speakers_recount(ids=[cluster.pk])
    assert _right(cluster) == (True, None)
    article_reprocess(article=a)
    assert _quote(a, "We cannot wait").speaker_id == vasquez.pk
    assert _right(cluster) == (False, vasquez.pk)


def test_reprocessing_a_corrected_quote_keeps_the_editors_speaker_and_the_flag(agreeing):
    a, b, cluster = agreeing
    quote = _quote(b, "We cannot wait")
    reyes = Speaker.objects.create(name="Tom Reyes", kind="person")
    quote_correct(quote=quote, expected_version=quote.version, user=make_user("editor"), speaker=reyes)
    assert _right(cluster) == (True, None)
    for article in (a, b):
        article_reprocess(article=article)
    assert _quote(b, "We cannot wait").speaker_id == reyes.pk
    assert _right(cluster) == (True, None)
