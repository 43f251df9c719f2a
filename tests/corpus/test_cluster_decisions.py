"""Editors' and the machine's merges and splits of quote clusters: after each, every cluster's size,
articles, first appearance, speaker and disagreement flag are what a recount of its members gives; an
editor's decision survives re-processing, a new revision of an article and a new article with the same
words; and a merge or a split costs the same queries for a cluster of 2 quotes as for one of 40."""

from __future__ import annotations

import pytest

from corpus import clusters
from corpus.models import Quote, QuoteCluster
from corpus.services import article_reprocess, batch_ingest
from tests.api.conftest import make_user
from tests.corpus.test_cluster_incremental import OTHER_SPEAKER, _expected, _stored
from tests.corpus.test_clusters import WALL, _ingest, _quote, _record

pytestmark = pytest.mark.django_db

COST = '"The sea wall will cost more than the council admits," said Tom Reyes.'


def _reprocess_anew(article) -> None:
    """Re-process ``article`` as after a change of the pipeline: its machine quotes come out other than
    they were stored (their cue, here), so each is replaced by a new quote the clustering places anew."""
    Quote.objects.filter(article=article).update(cue="an older pipeline's cue")
    article_reprocess(article=article)


def _all_right() -> None:
    """Every cluster's kept figures are a recount's, and no cluster stands in one article."""
    for cluster in QuoteCluster.objects.all():
        assert _stored(cluster) == _expected(cluster), cluster.pk
        assert cluster.articles >= 2, cluster.pk


def _placement() -> dict[int, tuple]:
    """Where each quote is: which quotes share its cluster (by article url), and the editor's mark."""
    by_cluster: dict[int, set[str]] = {}
    for quote in Quote.objects.filter(cluster__isnull=False).select_related("article"):
        by_cluster.setdefault(quote.cluster_id, set()).add(quote.article.url)
    return {
        (q.article.url, q.exact[:20]): (
            frozenset(by_cluster.get(q.cluster_id, ())) if q.cluster_id else None,
            q.cluster_fixed,
        )
        for q in Quote.objects.filter(kind__in=clusters.CLUSTERED_KINDS).select_related("article")
    }


def test_an_editors_merge_of_two_speakers_clusters_flags_the_disagreement_and_a_split_clears_it():
    a = _ingest("https://a.example/1", WALL, "2026-03-03T08:00:00Z")
    b = _ingest("https://b.example/2", f"Monday. {WALL}", "2026-03-02T08:00:00Z")
    c = _ingest("https://c.example/3", COST, "2026-03-01T08:00:00Z")
    d = _ingest("https://d.example/4", f"Later. {COST}", "2026-03-04T08:00:00Z")
    wall, cost = _quote(a, "We cannot wait").cluster, _quote(c, "sea wall").cluster
    _all_right()
    assert wall.speakers_disagree is False and cost.speakers_disagree is False
    editor = make_user("editor")
    merged = clusters.quote_clusters_merge(
        target=wall, expected_version=wall.version, sources=[cost], actor=editor
    )
    _all_right()
    # Reyes's words came first (1 March): the merged cluster's first appearance is his.
    assert (merged.size, merged.articles, merged.first_quote.article_id) == (4, 4, c.pk)
    assert (merged.speakers_disagree, merged.speaker_id) == (True, None)
    apart = clusters.quote_cluster_split(
        cluster=merged,
        expected_version=merged.version,
        quotes=[_quote(c, "sea wall"), _quote(d, "sea wall")],
        actor=editor,
    )
    _all_right()
    merged.refresh_from_db()
    assert (merged.speakers_disagree, merged.speaker.name, merged.first_quote.article_id) == (
        False,
        "Helena Vasquez",
        b.pk,
    )
    assert (apart.speakers_disagree, apart.speaker.name, apart.first_quote.article_id) == (
        False,
        "Tom Reyes",
        c.pk,
    )


def test_a_split_that_leaves_one_article_keeps_it_apart_over_re_runs():
    """The editor takes two articles' quotes out of a cluster of three: the one left stands alone (a
    cluster of one article is none), and re-processing it does not put it with the two taken out."""
    a = _ingest("https://a.example/1", WALL)
    b = _ingest("https://b.example/2", f"Monday. {WALL}")
    c = _ingest("https://c.example/3", f"Tuesday. {WALL}")
    cluster = _quote(a, "We cannot wait").cluster
    editor = make_user("editor")
    out = clusters.quote_cluster_split(
        cluster=cluster,
        expected_version=cluster.version,
        quotes=[_quote(b, "We cannot wait"), _quote(c, "We cannot wait")],
        actor=editor,
    )
    _all_right()
    assert not QuoteCluster.objects.filter(pk=cluster.pk).exists()
    assert _quote(a, "We cannot wait").cluster_id is None
    before = _placement()
    for article in (a, b, c):
        _reprocess_anew(article)
    _all_right()
    assert _placement() == before
    assert _quote(a, "We cannot wait").cluster_id is None
    assert set(out.quotes.values_list("article_id", flat=True)) == {b.pk, c.pk}


def test_a_split_keeps_the_quotes_left_where_the_editor_left_them_over_re_runs():
    """Two clusters an editor told apart hold the same words: re-processing an article of either puts its
    quote back where the editor left it, never in the other."""
    articles = [_ingest(f"https://s.example/{i}", f"Report {i}. {WALL}") for i in range(4)]
    cluster = _quote(articles[0], "We cannot wait").cluster
    editor = make_user("editor")
    clusters.quote_cluster_split(
        cluster=cluster,
        expected_version=cluster.version,
        quotes=[_quote(articles[2], "We cannot wait"), _quote(articles[3], "We cannot wait")],
        actor=editor,
    )
    _all_right()
    before = _placement()
    assert len({where for where, _ in before.values()}) == 2
    for article in articles:
        _reprocess_anew(article)
        _all_right()
        assert _placement() == before
    # A revision of an article (the same url, other words around the quote) keeps it there too.
    _ingest("https://s.example/0", f"Updated report. {WALL}")
    _all_right()
    assert _placement() == before


def test_the_machines_merge_of_two_clusters_counts_them_again_and_a_recount_agrees():
    """A quote that bridges two clusters (the words of both) merges them, as nobody told them apart."""
    a = _ingest("https://a.example/1", '"We will not ask the fishermen to pay for the sea wall," she said.')
    _ingest(
        "https://b.example/2", 'Monday. "We will not ask the fishermen to pay for the sea wall," she said.'
    )
    c = _ingest(
        "https://c.example/3",
        '"The harbour will be rebuilt stone by stone before the storms," said Tom Reyes.',
    )
    _ingest(
        "https://d.example/4",
        'Later. "The harbour will be rebuilt stone by stone before the storms," Reyes said.',
    )
    assert _quote(a, "fishermen").cluster_id != _quote(c, "harbour").cluster_id
    _ingest(
        "https://e.example/5",
        '"We will not ask the fishermen to pay for the sea wall, and the harbour will be rebuilt stone by '
        'stone before the storms," said council chair Helena Vasquez.',
    )
    _all_right()
    [merged] = QuoteCluster.objects.all()
    assert (merged.size, merged.articles) == (5, 5)


def test_the_machine_never_merges_clusters_an_editor_split_even_through_a_bridging_quote():
    a = _ingest("https://a.example/1", WALL)
    b = _ingest("https://b.example/2", f"Monday. {WALL}")
    c = _ingest("https://c.example/3", f"Tuesday. {WALL}")
    d = _ingest("https://d.example/4", f"Wednesday. {WALL}")
    cluster = _quote(a, "We cannot wait").cluster
    clusters.quote_cluster_split(
        cluster=cluster,
        expected_version=cluster.version,
        quotes=[_quote(c, "We cannot wait"), _quote(d, "We cannot wait")],
        actor=make_user("editor"),
    )
    assert QuoteCluster.objects.count() == 2
    _ingest("https://e.example/5", OTHER_SPEAKER.replace("Tom Reyes", "Helena Vasquez"))
    _all_right()
    assert QuoteCluster.objects.count() == 2
    assert _quote(b, "We cannot wait").cluster_id == cluster.pk


def _big_cluster(size: int) -> tuple[QuoteCluster, QuoteCluster]:
    """A cluster of ``size`` articles quoting Vasquez, and one of two quoting Reyes."""
    for i in range(size):
        _ingest(f"https://w.example/{i}", f"Report {i}. {WALL}", f"2026-03-{i % 28 + 1:02d}T08:00:00Z")
    c = _ingest("https://c.example/1", COST)
    _ingest("https://c.example/2", f"Later. {COST}")
    wall = Quote.objects.filter(article__url="https://w.example/0", cluster__isnull=False).get().cluster
    return wall, _quote(c, "sea wall").cluster


# The savepoint and its release, the editor's permissions (the user's and the groups'), the target's
# version written, the quotes moved and marked, the source read, its quotes let go and it deleted, the
# recount (the members' figures in one aggregate, the clusters with their first appearance, the clusters
# written), the target read back.
MERGE_QUERIES = 13
# The savepoint and its release, the permissions, the version written, the new cluster, the quotes taken
# out moved and marked, the quotes left marked, the recount (three), whether the new cluster stands, and
# the new cluster read back.
SPLIT_QUERIES = 13


@pytest.mark.parametrize("size", [2, 40])
def test_a_merge_and_a_split_cost_the_same_queries_for_2_or_40_members(size, django_assert_num_queries):
    wall, cost = _big_cluster(size)
    editor = make_user("editor")
    out = list(Quote.objects.filter(cluster=cost))
    with django_assert_num_queries(MERGE_QUERIES):
        merged = clusters.quote_clusters_merge(
            target=wall, expected_version=wall.version, sources=[cost], actor=editor
        )
    _all_right()
    assert (merged.size, merged.articles) == (size + 2, size + 2)
    merged.refresh_from_db()
    editor = make_user("editor", "second")
    for quote in out:
        quote.refresh_from_db()
    with django_assert_num_queries(SPLIT_QUERIES):
        apart = clusters.quote_cluster_split(
            cluster=merged, expected_version=merged.version, quotes=out, actor=editor
        )
    _all_right()
    assert (apart.size, apart.articles, apart.speaker.name) == (2, 2, "Tom Reyes")


def test_two_quotes_of_one_batch_bridging_one_cluster_to_two_others_merge_all_three():
    """Two new quotes each join the same cluster (through different members of it) to another: the three
    clusters become one, counted again, and no cluster is left behind empty or with stale figures."""
    s1 = "the harbour wall will be rebuilt before the winter storms arrive here"
    s2 = "fishermen will not pay a single euro of the repair bill ever"
    s3 = "the ferry timetable changes on monday for every island route we run"
    s4 = "our school buses will take the coast road until the bridge reopens"

    def said(words: str) -> str:
        return f'"{words[0].upper()}{words[1:]}," said council chair Helena Vasquez.'

    # X: the whole of s1 and s2 in one article, each half in another (the halves do not match each other).
    _ingest("https://x.example/0", said(f"{s1}, and {s2}"), "2026-03-01T08:00:00Z")
    _ingest("https://x.example/1", said(s1), "2026-03-02T08:00:00Z")
    _ingest("https://x.example/2", said(s2), "2026-03-03T08:00:00Z")
    _ingest("https://y.example/1", said(s3), "2026-03-04T08:00:00Z")
    _ingest("https://y.example/2", f"Again. {said(s3)}", "2026-03-05T08:00:00Z")
    _ingest("https://z.example/1", said(s4), "2026-03-06T08:00:00Z")
    _ingest("https://z.example/2", f"Again. {said(s4)}", "2026-03-07T08:00:00Z")
    assert QuoteCluster.objects.count() == 3
    _all_right()
    list(
        batch_ingest(
            records=[
                _record("https://n.example/1", said(f"{s1}, and {s3}"), "2026-03-08T08:00:00Z"),
                _record("https://n.example/2", said(f"{s2}, and {s4}"), "2026-03-09T08:00:00Z"),
            ]
        )
    )
    _all_right()
    [merged] = QuoteCluster.objects.all()
    assert (merged.size, merged.articles) == (9, 9)
    assert merged.first_quote.article.url == "https://x.example/0"
