"""import_dataset into a database that already has the articles applies the editors' cluster decisions
the dataset carries (``cluster_fixed``): a quote goes where the dataset's editor put it, in a cluster of
its own here or out of any, and stays there; a quote this database's editors placed keeps their decision,
and the import says how many it kept."""

from __future__ import annotations

import pytest

from annotations.imports.importer import dataset_import
from corpus import clusters
from corpus.models import Quote, QuoteCluster
from tests.annotations.test_import import _export
from tests.api.conftest import make_user
from tests.corpus.test_cluster_incremental import _expected, _stored
from tests.corpus.test_clusters import WALL, _ingest, _quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_dataset(tmp_path):
    """Three articles with the same words; an editor took the third's quote out of the cluster, and the
    dataset was exported. Then this database is put back as the machine left it (all three together,
    nobody's decision): as another copy of the corpus that ingested the same articles would be."""
    a = _ingest("https://a.example/1", WALL, "2026-03-01T08:00:00Z")
    b = _ingest("https://b.example/2", f"Again: {WALL}", "2026-03-02T08:00:00Z")
    c = _ingest("https://c.example/3", f"Later: {WALL}", "2026-03-03T08:00:00Z")
    cluster = QuoteCluster.objects.get()
    editor = make_user("editor")
    editor.get_all_permissions()
    clusters.quote_cluster_split(
        cluster=cluster, expected_version=cluster.version, quotes=[_quote(c, "We cannot")], actor=editor
    )
    dataset = _export("jsonl", tmp_path / "split")
    Quote.objects.filter(pk=_quote(c, "We cannot").pk).update(cluster=cluster)
    Quote.objects.update(cluster_fixed=False)
    clusters.clusters_refresh(ids=[cluster.pk])
    assert {_quote(x, "We cannot").cluster_id for x in (a, b, c)} == {cluster.pk}
    return dataset, (a, b, c), cluster


def test_the_dataset_editors_split_is_applied_to_the_quotes_here(split_dataset):
    dataset, (a, b, c), before = split_dataset
    result = dataset_import(path=dataset)
    assert result.errors == [] and result.merged == 3 and result.created == 0
    qa, qb, qc = (_quote(x, "We cannot") for x in (a, b, c))
    assert qc.cluster_id is None and qc.cluster_fixed
    assert qa.cluster_id == qb.cluster_id is not None and qa.cluster_fixed and qb.cluster_fixed
    kept = QuoteCluster.objects.get(pk=qa.cluster_id)
    assert _stored(kept) == _expected(kept) and (kept.size, kept.articles) == (2, 2)
    assert not QuoteCluster.objects.filter(pk=before.pk).exists() or before.pk == kept.pk
    # A later article with the same words leaves the editor's placements where they are.
    d = _ingest("https://d.example/4", f"Once more: {WALL}", "2026-03-04T08:00:00Z")
    assert _quote(c, "We cannot").cluster_id is None
    assert {_quote(x, "We cannot").cluster_id for x in (a, b)} == {qa.cluster_id}
    assert _quote(d, "We cannot").cluster_id != qc.cluster_id or _quote(d, "We cannot").cluster_id is None


def test_a_placement_made_here_is_kept_and_counted(split_dataset):
    dataset, (a, b, c), cluster = split_dataset
    mine = _quote(c, "We cannot")
    Quote.objects.filter(pk=mine.pk).update(cluster_fixed=True)  # an editor here says it belongs
    result = dataset_import(path=dataset)
    assert result.errors == [] and result.counts["cluster placements kept"] == 1
    mine.refresh_from_db()
    # Not moved by the import; the others went where the dataset's editor put them, so the cluster it
    # was kept in holds one article and is no cluster any more.
    assert mine.cluster_fixed and mine.cluster_id is None
    assert not QuoteCluster.objects.filter(pk=cluster.pk).exists()
    assert _quote(a, "We cannot").cluster_id == _quote(b, "We cannot").cluster_id is not None
