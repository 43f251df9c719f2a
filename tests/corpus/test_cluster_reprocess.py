"""Re-processing articles whose quotes come out as they were leaves the clusters alone: the unchanged
quotes keep their ids, fingerprints and places, so the clustering hook reads only the quotes that have no
fingerprint yet and writes nothing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus import clusters
from corpus.models import Article, Quote, QuoteCluster, QuoteFingerprint
from corpus.services import batch_ingest, batch_reprocess
from tests.corpus.test_clusters import WALL, _record

pytestmark = pytest.mark.django_db

_CLUSTER_WRITE = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?corpus_(quotecluster|quotefingerprint)"?', re.I
)


def _state():
    return (
        sorted(
            QuoteCluster.objects.values_list(
                "id", "first_quote_id", "size", "articles", "speakers_disagree", "speaker_id"
            )
        ),
        sorted(Quote.objects.values_list("id", "cluster_id", "cluster_fixed")),
        sorted(QuoteFingerprint.objects.values_list("quote_id", "value")),
    )


def test_a_reprocess_that_changes_nothing_writes_no_cluster_rows_and_leaves_clusters_as_they_were():
    records = [
        _record(f"https://harbour.example/{i}", f"Report {i} from the harbour. {WALL}", f"2024-03-0{i + 1}")
        for i in range(4)
    ]
    list(batch_ingest(records=records))
    [cluster] = QuoteCluster.objects.all()
    assert cluster.size == 4 and cluster.articles == 4
    before = _state()
    pks = sorted(Article.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        results = list(batch_reprocess(pks=pks))
    assert [r.quotes_new for r in results] == [0, 0, 0, 0]
    writes = [q["sql"] for q in captured.captured_queries if _CLUSTER_WRITE.match(q["sql"])]
    assert writes == []
    assert _state() == before


def test_the_hook_reads_one_query_and_writes_nothing_for_quotes_already_fingerprinted():
    list(batch_ingest(records=[_record(f"https://quay.example/{i}", f"Quay {i}. {WALL}") for i in range(3)]))
    articles = list(Article.objects.order_by("pk"))
    before = _state()
    with CaptureQueriesContext(connection) as captured:
        clusters.quotes_cluster(items=[(article, None) for article in articles])
    assert len(captured.captured_queries) == 1
    assert _state() == before


def test_quotes_kept_without_fingerprints_are_not_placed_again_by_a_reprocess_that_changes_nothing(
    monkeypatch,
):
    # A fingerprint is kept for at most FINGERPRINT_CAP quotes: the later quotes with the same words are
    # placed when written but hold no fingerprint of their own. Found again as they are, they keep their
    # place, and the hook is not asked about their articles at all.
    monkeypatch.setattr(clusters, "FINGERPRINT_CAP", 1)
    records = [
        _record(f"https://pier.example/{i}", f"Pier {i} at dawn. {WALL}", f"2024-04-0{i + 1}")
        for i in range(4)
    ]
    list(batch_ingest(records=records))
    assert QuoteFingerprint.objects.values("quote_id").distinct().count() == 1
    [cluster] = QuoteCluster.objects.all()
    assert cluster.size == 4
    before = _state()
    pks = sorted(Article.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        results = list(batch_reprocess(pks=pks))
    assert [r.quotes_new for r in results] == [0, 0, 0, 0]
    assert [q["sql"] for q in captured.captured_queries if "quotefingerprint" in q["sql"].lower()] == []
    assert _state() == before
