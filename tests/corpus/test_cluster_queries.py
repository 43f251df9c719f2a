"""The cluster look-up costs the same queries for a quote whatever the size of the corpus: the fingerprint
index caps the candidates (``FINGERPRINT_CAP``), so a quote repeated by a few articles and one repeated by
many cost alike. Timings at 100,000 articles are in bench/clusters.py, not here."""

from __future__ import annotations

import pytest

from corpus import clusters
from corpus.models import Article, Quote, QuoteCluster, QuoteFingerprint
from corpus.services import batch_ingest
from tests.corpus.test_clusters import WALL, _record

pytestmark = pytest.mark.django_db

# The quotes without fingerprints read, the candidates found through the index and read, the cluster
# checked for editors' decisions and joined, its figures kept from the joining quote: the same at any
# corpus size.
LOOK_UP_QUERIES = 8
# While fewer than FINGERPRINT_CAP quotes hold a fingerprint, the new quote's are written too: one insert.
WITH_FINGERPRINTS = LOOK_UP_QUERIES + 1


def _corpus(size: int) -> None:
    records = [
        _record(f"https://corpus.example/{i}", f"Report {i} from the harbour. {WALL}") for i in range(size)
    ]
    list(batch_ingest(records=records))


def _unclustered(article: Article) -> None:
    """As the article stands before the hook has run on it: no fingerprint, no cluster, and the cluster
    counted without it."""
    QuoteFingerprint.objects.filter(quote__article=article).delete()
    Quote.objects.filter(article=article).update(cluster=None)
    clusters.clusters_refresh(ids=QuoteCluster.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("size", "queries"),
    [
        (3, WITH_FINGERPRINTS),
        (clusters.FINGERPRINT_CAP, LOOK_UP_QUERIES),
        (60, LOOK_UP_QUERIES),
        (150, LOOK_UP_QUERIES),
    ],
)
def test_a_quote_joins_its_cluster_in_the_same_queries_at_any_corpus_size(
    size, queries, django_assert_num_queries
):
    _corpus(size)
    [cluster] = QuoteCluster.objects.all()
    assert cluster.size == size
    [result] = list(batch_ingest(records=[_record("https://late.example/1", f"Late again. {WALL}")]))
    article = result.article
    _unclustered(article)
    with django_assert_num_queries(queries):
        clusters.quotes_cluster(items=[(article, None)])
    quote = Quote.objects.get(article=article, kind="direct")
    assert quote.cluster_id == cluster.pk
    cluster.refresh_from_db()
    assert cluster.size == size + 1
    # Never more candidates than the cap allows per fingerprint, however many articles said it.
    held = QuoteFingerprint.objects.filter(value__in=quote.fingerprints.values("value"))
    assert held.count() <= clusters.FINGERPRINT_CAP * quote.fingerprints.count()


def test_a_batch_of_quotes_costs_what_one_quote_costs(django_assert_num_queries):
    _corpus(12)
    results = list(
        batch_ingest(records=[_record(f"https://late.example/{i}", f"Late {i}. {WALL}") for i in range(25)])
    )
    for result in results:
        _unclustered(result.article)
    with django_assert_num_queries(LOOK_UP_QUERIES):
        clusters.quotes_cluster(items=[(r.article, None) for r in results])
    assert QuoteCluster.objects.get().size == 12 + 25
