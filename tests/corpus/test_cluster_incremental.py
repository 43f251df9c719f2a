"""A cluster's figures (size, articles, first appearance, its speaker and whether its quotes disagree) are
kept from the quotes that join or leave it, never recounted from all its members on the ingest path: a
quote joining a cluster of 500 costs the queries (and the rows read) of one joining a cluster of 2."""

from __future__ import annotations

import random

import pytest

from corpus import clusters
from corpus.models import Quote, QuoteCluster, QuoteFingerprint, Speaker
from corpus.registry import speakers_merge
from corpus.services import article_reprocess, batch_ingest, quote_correct
from corpus.takedown import article_takedown
from tests.api.conftest import make_user
from tests.corpus.test_clusters import WALL, _ingest, _quote, _record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The quotes without fingerprints read with their articles' dates, the candidates through the index and
# read, the cluster checked for editors' decisions (through the partial index of placed quotes), the quote
# placed, the cluster and its first quote read, the joining article's quotes, the cluster written.
JOIN_QUERIES = 8
# While fewer than FINGERPRINT_CAP quotes hold a fingerprint, the joining quote's are written too.
WITH_FINGERPRINTS = JOIN_QUERIES + 1

OTHER_SPEAKER = '"We cannot wait another winter while the sea eats the road," said councillor Tom Reyes.'


def _expected(cluster: QuoteCluster) -> tuple:
    """The cluster's figures counted from all its members, as a full recount would."""
    members = list(
        Quote.objects.filter(cluster=cluster).order_by(*clusters.APPEARANCE_ORDER).select_related("article")
    )
    speakers = {q.speaker_id for q in members if q.speaker_id is not None}
    return (
        len(members),
        len({q.article_id for q in members}),
        members[0].pk,
        len(speakers) > 1,
        next(iter(speakers)) if len(speakers) == 1 else None,
    )


def _stored(cluster: QuoteCluster) -> tuple:
    cluster.refresh_from_db()
    return (
        cluster.size,
        cluster.articles,
        cluster.first_quote_id,
        cluster.speakers_disagree,
        cluster.speaker_id,
    )


def _corpus(size: int) -> QuoteCluster:
    records = [
        _record(f"https://corpus.example/{i}", f"Report {i}. {WALL}", "2026-03-02T08:00:00Z")
        for i in range(size)
    ]
    list(batch_ingest(records=records))
    return QuoteCluster.objects.get()


@pytest.mark.parametrize(
    ("size", "queries"),
    [(2, WITH_FINGERPRINTS), (clusters.FINGERPRINT_CAP, JOIN_QUERIES), (500, JOIN_QUERIES)],
)
def test_a_quote_joins_a_cluster_of_2_or_of_500_in_the_same_queries(size, queries, django_assert_num_queries):
    cluster = _corpus(size)
    assert _stored(cluster) == _expected(cluster)
    [result] = list(
        batch_ingest(records=[_record("https://late.example/1", OTHER_SPEAKER, "2026-03-01T08:00:00Z")])
    )
    article = result.article
    QuoteFingerprint.objects.filter(quote__article=article).delete()
    Quote.objects.filter(article=article).update(cluster=None)
    cluster.size, cluster.articles = size, size
    QuoteCluster.objects.filter(pk=cluster.pk).update(size=size, articles=size)
    first_before = cluster.first_quote_id
    with django_assert_num_queries(queries):
        clusters.quotes_cluster(items=[(article, None)])
    joined = Quote.objects.get(article=article, kind="direct")
    assert joined.cluster_id == cluster.pk
    # The earlier quote is the first appearance now, and it names another speaker.
    assert joined.pk != first_before
    assert _stored(cluster) == _expected(cluster) == (size + 1, size + 1, joined.pk, True, None)


def test_a_second_quote_of_an_article_already_in_the_cluster_does_not_count_the_article_again():
    cluster = _corpus(2)
    article = _ingest(
        "https://twice.example/1",
        f"{WALL}\n\nLater she said it again: “We cannot wait another winter while the sea eats the road, "
        "and we will not ask the fishermen to pay,” she told them.",
    )
    assert Quote.objects.filter(article=article, cluster=cluster).count() == 2
    assert _stored(cluster)[:2] == (4, 3)
    assert _stored(cluster) == _expected(cluster)


def test_the_first_appearance_taken_down_passes_to_the_next_earliest():
    first = _ingest("https://a.example/1", WALL, "2026-03-01T08:00:00Z")
    second = _ingest("https://b.example/2", f"Again: {WALL}", "2026-03-02T08:00:00Z")
    _ingest("https://c.example/3", f"Once more: {WALL}", "2026-03-03T08:00:00Z")
    cluster = QuoteCluster.objects.get()
    assert cluster.first_quote.article_id == first.pk
    article_takedown(article=first, by=UserFactory(is_superuser=True), reason="rights")
    assert _stored(cluster) == _expected(cluster)
    assert cluster.first_quote.article_id == second.pk


def test_the_only_misattribution_taken_down_clears_the_disagreement():
    _ingest("https://a.example/1", WALL)
    _ingest("https://b.example/2", f"Again: {WALL}")
    wrong = _ingest("https://c.example/3", OTHER_SPEAKER)
    cluster = QuoteCluster.objects.get()
    assert _stored(cluster)[3] is True
    article_takedown(article=wrong, by=UserFactory(is_superuser=True), reason="rights")
    assert _stored(cluster) == _expected(cluster)
    assert cluster.speakers_disagree is False
    assert cluster.speaker.name == "Helena Vasquez"


def test_a_corrected_speaker_sets_and_clears_the_disagreement():
    a = _ingest("https://a.example/1", WALL)
    _ingest("https://b.example/2", f"Again: {WALL}")
    cluster = QuoteCluster.objects.get()
    quote = _quote(a, "We cannot wait")
    other = Speaker.objects.create(name="Tom Reyes", kind="person")
    editor = make_user("editor")
    quote = quote_correct(quote=quote, expected_version=quote.version, user=editor, speaker=other)
    assert _stored(cluster) == _expected(cluster)
    assert cluster.speakers_disagree is True
    quote_correct(quote=quote, expected_version=quote.version, user=editor, speaker=_quote(a, "We").speaker)
    quote.refresh_from_db()
    quote_correct(quote=quote, expected_version=quote.version, user=editor, speaker=None)
    assert _stored(cluster) == _expected(cluster)
    assert cluster.speakers_disagree is False


def test_merged_speakers_agree_again():
    a = _ingest("https://a.example/1", WALL)
    b = _ingest("https://b.example/2", OTHER_SPEAKER)
    cluster = QuoteCluster.objects.get()
    assert _stored(cluster)[3] is True
    speakers_merge(
        sources=[_quote(b, "We cannot wait").speaker],
        target=_quote(a, "We cannot wait").speaker,
        actor=make_user("editor"),
    )
    assert _stored(cluster) == _expected(cluster)
    assert cluster.speakers_disagree is False


def test_stored_figures_match_a_recount_after_any_sequence_of_ingests_revisions_reprocessing_and_takedowns():
    rng = random.Random(19)
    bodies = [
        WALL,
        OTHER_SPEAKER,
        f"Monday. {WALL}",
        '"The sea wall will cost more than the council admits," said Tom Reyes.',
        'Later. "The sea wall will cost more than the council admits," Helena Vasquez said.',
        "Nothing was said today.",
    ]
    admin = UserFactory(is_superuser=True)
    alive: list = []
    for step in range(40):
        action = rng.random()
        if action < 0.55 or len(alive) < 2:
            date = f"2026-03-{rng.randint(1, 28):02d}T08:00:00Z" if rng.random() < 0.8 else None
            alive.append(_ingest(f"https://r.example/{step}", rng.choice(bodies), date))
        elif action < 0.7:
            # A revision: the same url with other words.
            article = rng.choice(alive)
            alive.remove(article)
            alive.append(_ingest(article.url, f"Revised {step}. {rng.choice(bodies)}", None))
        elif action < 0.85:
            article_reprocess(article=rng.choice(alive))
        else:
            article = rng.choice(alive)
            alive.remove(article)
            article_takedown(article=article, by=admin, reason="rights")
        for cluster in QuoteCluster.objects.all():
            assert _stored(cluster) == _expected(cluster), step
    assert QuoteCluster.objects.exists()
