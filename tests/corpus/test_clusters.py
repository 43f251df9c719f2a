"""The same quote across articles: fingerprints, clustering at ingest, editors' merges and splits, the API."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus import clusters
from corpus.cluster_evaluation import clusters_evaluate
from corpus.models import Article, Quote, QuoteCluster, QuoteFingerprint
from corpus.services import article_ingest, article_input_from_json, article_reprocess, batch_ingest
from corpus.takedown import article_takedown
from corpus.versioning import StaleVersion
from tests.api.conftest import client_for, make_user
from tests.factories import UserFactory

GOLD = Path(__file__).resolve().parents[1] / "gold" / "clusters.json"

WALL = (
    "“We cannot wait another winter while the sea eats the road, and we will not ask the fishermen to pay "
    "for it,” said council chair Helena Vasquez."
)


def _record(url: str, body: str, published_at: str | None = None, title: str = "Harbour news"):
    data = {"url": url, "text": f"{title}\n\n{body}", "source": "tests"}
    if published_at:
        data["published_at"] = published_at
    return article_input_from_json(data=json.dumps(data).encode(), origin=url)


def _ingest(url: str, body: str, published_at: str | None = None):
    return article_ingest(record=_record(url, body, published_at)).article


def _quote(article, words: str) -> Quote:
    return next(q for q in article.quotes.all() if words in q.exact)


# --- Fingerprints -------------------------------------------------------------------------------


def test_tokens_fold_case_apostrophes_and_break_at_ellipses_and_brackets():
    assert clusters.tokens("We don’t [the council] WAIT … any longer... no") == [
        ["we", "don't"],
        ["wait"],
        ["any", "longer"],
        ["no"],
    ]


def test_any_shared_run_of_min_run_words_shares_a_fingerprint():
    """The winnowing guarantee, on random texts: the fingerprints of two quotes that share a run of
    MIN_RUN words always meet, wherever the run sits."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(400)]
    for _ in range(300):
        run = rng.choices(vocabulary, k=clusters.MIN_RUN)
        left = (
            rng.choices(vocabulary, k=rng.randint(0, 25))
            + run
            + rng.choices(vocabulary, k=rng.randint(0, 25))
        )
        right = (
            rng.choices(vocabulary, k=rng.randint(0, 25))
            + run
            + rng.choices(vocabulary, k=rng.randint(0, 25))
        )
        a = clusters.fingerprints(clusters.shingles([left]))
        b = clusters.fingerprints(clusters.shingles([right]))
        assert a & b


def test_fingerprints_are_the_stored_ones_each_3_gram_hashed_and_each_window_s_smallest():
    """The values stored in the fingerprint index do not change from one version to the next: every
    3-gram's BLAKE2b hash, the smallest of every window of WINDOW of them (written out for speed in
    ``shingles`` and ``fingerprints``, checked here against the definition)."""
    assert clusters._hash("we will not") == -4562750296298480845
    rng = random.Random(11)
    vocabulary = ["we", "will", "not", "don't", "pay", "sea", "road", "a", "the", "winter"]
    for _ in range(200):
        segments = [rng.choices(vocabulary, k=rng.randint(0, 12)) for _ in range(rng.randint(1, 3))]
        hashed = [
            [
                clusters._hash(" ".join(s[i : i + clusters.SHINGLE]))
                for i in range(len(s) - clusters.SHINGLE + 1)
            ]
            for s in segments
            if len(s) >= clusters.SHINGLE
        ]
        assert clusters.shingles(segments) == hashed
        expected = set()
        for s in hashed:
            windows = [s[i : i + clusters.WINDOW] for i in range(len(s) - clusters.WINDOW + 1)] or [s]
            expected.update(min(w) for w in windows)
        assert clusters.fingerprints(hashed) == expected


def test_a_shape_is_the_same_read_again():
    first = clusters.Shape.of(WALL)
    assert clusters.Shape.of(WALL) == first
    assert clusters.Shape.of(WALL + " More.") != first


def test_same_words_accepts_trimmed_and_partial_quotes_and_refuses_stock_phrases():
    whole = clusters.Shape.of(WALL.split("”")[0].lstrip("“"))
    partial = clusters.Shape.of("we will not ask the fishermen to pay for it")
    trimmed = clusters.Shape.of("We cannot wait another winter ... and we will not ask the fishermen to pay")
    assert clusters.same_words(whole, partial) and clusters.same_words(whole, trimmed)
    jobs = clusters.Shape.of("We will do whatever it takes to protect jobs in this country")
    pensions = clusters.Shape.of("We will do whatever it takes to protect the pensions of our members")
    assert not clusters.same_words(jobs, pensions)
    assert clusters.Shape.of("It is about time") is None  # too short to say where else it was said


# --- Gold ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_gold_clusters_precision_recall_and_first_appearance():
    scores = clusters_evaluate(path=GOLD)
    assert scores.unmatched == ()
    assert scores.precision >= 0.95 and scores.recall >= 0.95, scores
    assert scores.first_right == scores.clusters
    assert not QuoteCluster.objects.exists()  # the evaluation leaves the database as it was


@pytest.mark.django_db
def test_evaluate_clusters_command_prints_the_figures(capsys):
    call_command("evaluate_clusters", str(GOLD))
    out = capsys.readouterr().out
    assert "cluster pairs: precision 1.000" in out and "first appearance right: 1.000 (10/10)" in out


# --- Ingest -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ingest_clusters_the_same_words_and_finds_the_first_appearance():
    later = _ingest("https://a.example/1", WALL, "2026-03-03T08:00:00Z")
    earlier = _ingest(
        "https://b.example/2",
        'Helena Vasquez said "we will not ask the fishermen to pay for it" on Monday.',
        "2026-03-02T08:00:00Z",
    )
    undated = _ingest("https://c.example/3", f"Tuesday. {WALL}")
    other = _ingest(
        "https://d.example/4", '"Nobody has asked the fishermen anything at all," said Tom Reyes.'
    )
    cluster = QuoteCluster.objects.get()
    members = {q.article_id for q in cluster.quotes.all()}
    assert members == {later.pk, earlier.pk, undated.pk}
    assert other.pk not in members
    assert (cluster.size, cluster.articles) == (3, 3)
    assert cluster.first_quote.article_id == earlier.pk
    assert cluster.speakers_disagree is False


@pytest.mark.django_db
def test_misattributed_words_flag_a_disagreement():
    _ingest("https://a.example/1", WALL)
    _ingest(
        "https://b.example/2",
        '"We cannot wait another winter while the sea eats the road," said councillor Tom Reyes.',
    )
    assert QuoteCluster.objects.get().speakers_disagree is True


@pytest.mark.django_db
def test_batched_ingest_clusters_within_the_batch_and_costs_the_same_queries_for_more_articles():
    def records(n: int, offset: int):
        return [
            _record(f"https://batch.example/{offset + i}", f"Report {offset + i}. {WALL}") for i in range(n)
        ]

    list(batch_ingest(records=records(3, 0)))
    assert QuoteCluster.objects.get().size == 3
    # The hook reads and writes its tables in exactly 4 statements, whatever the articles of a batch and the
    # corpus: the fingerprints looked up and the new ones written, the cluster read and updated. The batch's
    # quotes are handed to it as they were written, not read back (that read was the fifth).
    counts = []
    for n, offset in ((2, 100), (12, 200)):
        with CaptureQueriesContext(connection) as captured:
            clusters.quotes_cluster(items=[])  # nothing to do: no query
            list(batch_ingest(records=records(n, offset)))
        counts.append(sum("quotefingerprint" in q["sql"] or "quotecluster" in q["sql"] for q in captured))
    assert counts == [4, 4], counts
    assert QuoteCluster.objects.get().size == 17


PIER = (
    "“The pier has stood for a hundred years and the town owes it another hundred of careful repair,” said "
    "council chair Helena Vasquez."
)


@pytest.mark.django_db
def test_batched_ingest_writes_each_quote_with_its_cluster_rather_than_updating_it_after():
    """A batch's quotes are placed before their rows are written: joining a cluster sends no UPDATE of
    quote rows, and a cluster merged by a new quote, counted again once the rows are written, counts it."""
    list(batch_ingest(records=[_record(f"https://wall.example/{i}", f"Wall {i}. {WALL}") for i in range(2)]))
    list(batch_ingest(records=[_record(f"https://pier.example/{i}", f"Pier {i}. {PIER}") for i in range(3)]))
    assert sorted(QuoteCluster.objects.values_list("size", flat=True)) == [2, 3]
    joining = [_record(f"https://late.example/{i}", f"Late {i}. {WALL}") for i in range(2)]
    with CaptureQueriesContext(connection) as captured:
        list(batch_ingest(records=joining))
    assert not [q["sql"] for q in captured if q["sql"].startswith('UPDATE "corpus_quote" ')]
    assert sorted(QuoteCluster.objects.values_list("size", "articles")) == [(3, 3), (4, 4)]
    # One quote holding both clusters' words: they become one (the quotes of the one merged away move).
    [bridging] = batch_ingest(
        records=[
            _record(
                "https://both.example/",
                "Both. “We cannot wait another winter while the sea eats the road, and we will not ask the "
                "fishermen to pay for it. The pier has stood for a hundred years and the town owes it another "
                "hundred of careful repair,” said council chair Helena Vasquez.",
            )
        ]
    )
    [cluster] = QuoteCluster.objects.all()
    assert (cluster.size, cluster.articles) == (8, 8)
    assert Quote.objects.filter(cluster=cluster).count() == 8
    assert Quote.objects.get(article=bridging.article, kind="direct").cluster_id == cluster.pk


def _clustering() -> tuple:
    """Every cluster by its members (ids differ between runs), with its figures, and the fingerprints."""
    members: dict[int, set[int]] = {}
    for pk, cluster_id in Quote.objects.filter(cluster__isnull=False).values_list("pk", "cluster_id"):
        members.setdefault(cluster_id, set()).add(pk)
    found = {
        (frozenset(members[c.pk]), c.first_quote_id, c.size, c.articles, c.speakers_disagree, c.speaker_id)
        for c in QuoteCluster.objects.all()
    }
    return found, set(QuoteFingerprint.objects.values_list("quote_id", "value"))


@pytest.mark.django_db
def test_a_batch_s_quotes_given_as_written_cluster_as_when_read_back():
    """Batched ingestion hands the hook the quote rows it wrote; the hook reading them back places them
    the same: clusters, members, first appearances, speakers and the fingerprints kept."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    # Undated copies too: the first appearance falls back to the ingest time.
    entries = [
        *gold["articles"],
        *({**e, "url": e["url"] + "?copy", "published_at": None} for e in gold["articles"][:6]),
    ]
    records = [
        article_input_from_json(
            data=json.dumps({k: e[k] for k in ("url", "published_at", "text") if e.get(k)}).encode(),
            origin=e["url"],
        )
        for e in entries
    ]
    # Batches of 5: later batches join, merge and grow the clusters earlier ones made.
    list(batch_ingest(records=records, batch_size=5))
    given = _clustering()
    assert len(given[0]) >= len(gold["clusters"])

    QuoteFingerprint.objects.all().delete()
    Quote.objects.update(cluster=None)
    QuoteCluster.objects.all().delete()
    articles = list(Article.objects.order_by("pk"))
    for start in range(0, len(articles), 5):
        clusters.quotes_cluster(items=[(article, None) for article in articles[start : start + 5]])
    assert _clustering() == given


@pytest.mark.django_db
def test_the_hook_reads_its_quotes_as_values_list_does_converting_each_stored_date_once():
    list(
        batch_ingest(
            records=[_record(f"https://dates.example/{i}", f"Report {i}. {WALL} {WALL}") for i in range(3)]
        )
    )
    _ingest("https://dates.example/dated", f"Dated. {WALL}", "2026-03-02T08:00:00Z")
    quotes = Quote.objects.order_by("id")
    rows = clusters._member_rows(quotes)
    assert rows == list(quotes.values_list(*clusters._MEMBER_FIELDS))
    assert len(rows) == 7 and {row[6] for row in rows} == {None, rows[-1][6]} and rows[-1][6] is not None
    assert all(isinstance(row, tuple) and row[7].tzinfo is not None for row in rows)
    if connection.vendor == "sqlite":
        # SQLite returns dates as text: the quotes of a batch share one ingest time, converted once.
        assert len({id(row[7]) for row in rows[:6]}) == 1
    assert clusters._member_rows(Quote.objects.filter(pk__in=[])) == []


@pytest.mark.django_db
def test_reprocess_keeps_the_cluster_and_takedown_dissolves_it():
    first = _ingest("https://a.example/1", WALL)
    second = _ingest("https://b.example/2", f"Again: {WALL}")
    cluster = QuoteCluster.objects.get()
    article_reprocess(article=first)
    cluster.refresh_from_db()
    assert {q.article_id for q in cluster.quotes.all()} == {first.pk, second.pk}
    article_takedown(article=second, by=UserFactory(is_superuser=True), reason="rights")
    assert not QuoteCluster.objects.exists()
    assert Quote.objects.get(article=first, kind="direct").cluster_id is None


# --- Editors' decisions ---------------------------------------------------------------------------


@pytest.fixture
def two_clusters(db):
    a = _ingest("https://a.example/1", WALL)
    b = _ingest("https://b.example/2", f"Monday. {WALL}")
    c = _ingest(
        "https://c.example/3", '"The sea wall will cost more than the council admits," said Tom Reyes.'
    )
    d = _ingest(
        "https://d.example/4", 'Later. "The sea wall will cost more than the council admits," Reyes said.'
    )
    return a, b, c, d


@pytest.mark.django_db
def test_merge_and_split_are_editors_decisions_that_a_rerun_keeps(two_clusters):
    a, b, c, d = two_clusters
    wall, cost = (_quote(a, "We cannot wait").cluster, _quote(c, "sea wall will cost").cluster)
    assert wall != cost
    viewer, editor = make_user("viewer"), make_user("editor")
    with pytest.raises(PermissionDenied):
        clusters.quote_clusters_merge(
            target=wall, expected_version=wall.version, sources=[cost], actor=viewer
        )
    merged = clusters.quote_clusters_merge(
        target=wall, expected_version=wall.version, sources=[cost], actor=editor
    )
    assert (merged.size, merged.articles, merged.version) == (4, 4, 2)
    assert not QuoteCluster.objects.filter(pk=cost.pk).exists()
    out = [_quote(c, "sea wall will cost"), _quote(d, "sea wall will cost")]
    with pytest.raises(StaleVersion):
        clusters.quote_cluster_split(cluster=merged, expected_version=1, quotes=out, actor=editor)
    apart = clusters.quote_cluster_split(cluster=merged, expected_version=2, quotes=out, actor=editor)
    assert {q.article_id for q in apart.quotes.all()} == {c.pk, d.pk}
    # A re-run neither undoes the split nor the merge of the quotes the editor placed.
    for article in (a, b, c, d):
        article_reprocess(article=article)
    assert set(Quote.objects.filter(cluster=apart).values_list("article_id", flat=True)) == {c.pk, d.pk}
    assert set(Quote.objects.filter(cluster=merged).values_list("article_id", flat=True)) == {a.pk, b.pk}
    # A new article with the words of both joins the cluster it matches best; the clusters stay apart.
    e = _ingest("https://e.example/5", WALL)
    assert _quote(e, "We cannot wait").cluster_id == merged.pk
    assert QuoteCluster.objects.count() == 2


@pytest.mark.django_db
def test_split_refuses_quotes_of_another_cluster(two_clusters):
    a, _, c, _ = two_clusters
    wall = _quote(a, "We cannot wait").cluster
    with pytest.raises(Exception, match="not in cluster"):
        clusters.quote_cluster_split(
            cluster=wall,
            expected_version=wall.version,
            quotes=[_quote(c, "sea wall")],
            actor=make_user("editor"),
        )


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_quote_cluster_and_filter(two_clusters):
    a, b, c, _ = two_clusters
    quote = _quote(b, "We cannot wait")
    client = client_for(None)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/quotes/{quote.pk}/cluster/")
    # The quote, the cluster with its first appearance, the members, the speakers counted over all of them
    # (the throttles' own are theirs).
    assert len([q for q in captured if "throttlecount" not in q["sql"]]) == 4
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == quote.cluster_id and body["size"] == 2 and body["articles"] == 2
    assert body["first_appearance"]["article"] == a.pk
    assert body["first_appearance"]["url"] == "https://a.example/1"
    # Neither article is dated: the first appearance is the earliest ingested, and says when that was.
    assert body["first_appearance"]["published_at"] is None
    assert _when(body["first_appearance"]["ingested_at"]) == a.ingested_at
    assert [m["article"] for m in body["members"]] == [a.pk, b.pk]
    assert [_when(m["ingested_at"]) for m in body["members"]] == [a.ingested_at, b.ingested_at]
    assert body["speakers"] == [{"id": quote.speaker_id, "name": "Helena Vasquez", "quotes": 2}]
    assert response.headers["ETag"]
    listed = client.get("/api/quotes/", {"cluster": quote.cluster_id}).json()["results"]
    assert sorted(q["id"] for q in listed) == sorted(m["quote"] for m in body["members"])
    assert all(q["cluster"] == quote.cluster_id for q in listed)
    lone = Quote.objects.filter(article=c, cluster__isnull=True).first() or Quote.objects.create(
        article=c, paragraph=c.paragraphs.first(), kind="indirect", start=0, end=3, exact=c.text[:3]
    )
    missing = client.get(f"/api/quotes/{lone.pk}/cluster/")
    assert missing.status_code == 404 and "stands alone" in missing.json()["detail"]


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.django_db
def test_api_first_appearance_gives_its_publication_date_and_its_ingest_time():
    """A dated first appearance comes before an undated article ingested earlier, and carries both dates."""
    undated = _ingest("https://a.example/1", WALL)
    dated = _ingest("https://b.example/2", f"Monday. {WALL}", "2026-03-02T08:00:00Z")
    body = client_for(None).get(f"/api/quotes/{_quote(undated, 'We cannot wait').pk}/cluster/").json()
    first = body["first_appearance"]
    assert first["article"] == dated.pk and first["quote"] == _quote(dated, "We cannot wait").pk
    assert _when(first["published_at"]) == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert _when(first["ingested_at"]) == dated.ingested_at
    assert [(m["article"], m["published_at"] is None) for m in body["members"]] == [
        (dated.pk, False),
        (undated.pk, True),
    ]


@pytest.mark.django_db
def test_api_merge_and_split_need_an_editor_and_if_match(two_clusters):
    a, _, c, d = two_clusters
    wall, cost = _quote(a, "We cannot wait").cluster, _quote(c, "sea wall will cost").cluster
    url = f"/api/quote-clusters/{wall.pk}/merge/"
    assert client_for(None).post(url, {"clusters": [cost.pk]}, format="json").status_code in (401, 403)
    viewer = client_for(make_user("viewer"))
    assert viewer.post(url, {"clusters": [cost.pk]}, format="json").status_code == 403
    editor = client_for(make_user("editor"))
    assert editor.post(url, {"clusters": [cost.pk]}, format="json").status_code == 428
    etag = editor.get(f"/api/quote-clusters/{wall.pk}/").headers["ETag"]
    merged = editor.post(url, {"clusters": [cost.pk]}, format="json", HTTP_IF_MATCH=etag)
    assert merged.status_code == 200, merged.content
    assert merged.json()["size"] == 4
    stale = editor.post(
        f"/api/quote-clusters/{wall.pk}/split/",
        {"quotes": [_quote(c, "sea wall").pk]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    split = editor.post(
        f"/api/quote-clusters/{wall.pk}/split/",
        {"quotes": [_quote(c, "sea wall").pk, _quote(d, "sea wall").pk]},
        format="json",
        HTTP_IF_MATCH=merged.headers["ETag"],
    )
    assert split.status_code == 200 and split.json()["size"] == 2
    assert editor.get("/api/quote-clusters/").json()["count"] == 2


@pytest.mark.django_db
def test_api_cluster_speakers_count_every_member_not_only_those_shown(monkeypatch):
    """A cluster larger than the members listed still names every speaker its quotes name, with their
    counts: the list agrees with ``speakers_disagree`` whatever the cluster's size."""
    from corpus import selectors

    a = _ingest("https://a.example/1", WALL, "2026-03-01T08:00:00Z")
    _ingest("https://b.example/2", f"Again: {WALL}", "2026-03-02T08:00:00Z")
    _ingest(
        "https://c.example/3",
        '"We cannot wait another winter while the sea eats the road," said councillor Tom Reyes.',
        "2026-03-03T08:00:00Z",
    )
    monkeypatch.setattr(selectors, "CLUSTER_MEMBERS_SHOWN", 2)
    quote = _quote(a, "We cannot wait")
    client = client_for(None)
    for url in (f"/api/quotes/{quote.pk}/cluster/", f"/api/quote-clusters/{quote.cluster_id}/"):
        body = client.get(url).json()
        assert body["speakers_disagree"] is True and body["size"] == 3
        assert len(body["members"]) == 2  # the two earliest, both Vasquez's
        assert body["speakers"] == [
            {"id": quote.speaker_id, "name": "Helena Vasquez", "quotes": 2},
            {
                "id": Quote.objects.get(article__url="https://c.example/3").speaker_id,
                "name": "Tom Reyes",
                "quotes": 1,
            },
        ]


@pytest.mark.django_db
def test_the_first_appearance_of_undated_articles_goes_by_ingest_time_then_by_id():
    """APPEARANCE_ORDER: publication date (undated last), then ingest time, then id; with no date at all
    and articles ingested in the same instant (one batch), the lowest quote id is first, every time."""
    one = _ingest("https://a.example/1", WALL)
    two = _ingest("https://b.example/2", f"Tuesday. {WALL}")
    three = _ingest("https://c.example/3", f"Wednesday. {WALL}")
    cluster = QuoteCluster.objects.get()
    instant = one.ingested_at
    Article.objects.filter(pk=two.pk).update(ingested_at=instant - timedelta(hours=1))
    Article.objects.filter(pk=three.pk).update(ingested_at=instant - timedelta(hours=1))
    clusters.clusters_refresh(ids=[cluster.pk])
    cluster.refresh_from_db()
    assert cluster.first_quote_id == _quote(two, "We cannot wait").pk  # ingested first, lower id than three
    Article.objects.filter(pk__in=[one.pk, two.pk, three.pk]).update(ingested_at=instant)
    clusters.clusters_refresh(ids=[cluster.pk])
    cluster.refresh_from_db()
    assert cluster.first_quote_id == _quote(one, "We cannot wait").pk
    # A dated article comes before every undated one, whenever it was ingested.
    Article.objects.filter(pk=three.pk).update(published_at=instant)
    clusters.clusters_refresh(ids=[cluster.pk])
    cluster.refresh_from_db()
    assert cluster.first_quote_id == _quote(three, "We cannot wait").pk
