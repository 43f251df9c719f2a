"""ClaimReview from quote clusters: a fact-check of words others quoted too names where they first
appeared and every appearance, and takes its claim's author from the quote when no claimant is set."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from annotations import services
from tests.corpus.test_clusters import WALL, _ingest, _quote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    first = _ingest("https://first.example/1", WALL, "2026-03-01T08:00:00Z")
    later = _ingest("https://later.example/2", f"Monday. {WALL}", "2026-03-04T08:00:00Z")
    alone = _ingest(
        "https://alone.example/3", '"Nobody told the harbour board anything at all," said Tom Reyes.'
    )
    author = UserFactory(username="ed", groups=["Fact-checker"])
    reviewer = UserFactory(username="rev", groups=["Fact-checker"])
    reviews = {}
    for article, words in ((later, "we will not ask the fishermen"), (alone, "Nobody told")):
        quote = _quote(article, words)
        start = article.text.index(words)
        annotation = services.annotation_create(
            article=article, author=author, start=start, end=start + len(words), tags=[], note="check",
            status="published",
        )  # fmt: skip
        assert quote.start <= annotation.start < annotation.end <= quote.end
        claim = services.claim_create(article=article, text=words, created_by=author, annotation=annotation)
        fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
        services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
        reviews[article.pk] = services.factcheck_publish(
            fact_check=fact_check, expected_version=2, user=reviewer
        )
    return first, later, alone, reviews


def _graph(tmp_path) -> dict[str, dict]:
    out = tmp_path / "claimreview.jsonld"
    call_command("export", "--format", "claimreview", "--output", str(out), verbosity=0)
    return {r["url"]: r for r in json.loads(out.read_text(encoding="utf-8"))["@graph"]}


def test_clustered_claim_names_its_first_appearance_and_every_appearance(tmp_path, published):
    _, later, alone, reviews = published
    graph = _graph(tmp_path)
    clustered = next(r for url, r in graph.items() if url.endswith(f"/fact-checks/{reviews[later.pk].pk}/"))
    item = clustered["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Helena Vasquez"}  # from the quote
    assert item["firstAppearance"]["url"] == "https://first.example/1"
    assert [w["url"] for w in item["appearance"]] == ["https://later.example/2", "https://first.example/1"]
    assert all(w["@type"] == "CreativeWork" for w in item["appearance"])
    single = next(r for url, r in graph.items() if url.endswith(f"/fact-checks/{reviews[alone.pk].pk}/"))
    assert single["itemReviewed"]["appearance"]["url"] == "https://alone.example/3"
    assert "firstAppearance" not in single["itemReviewed"]
    assert single["itemReviewed"]["author"]["name"] == "Tom Reyes"


def test_public_page_carries_the_same_appearances(client, published):
    _, later, _, reviews = published
    html = client.get(f"/fact-checks/{reviews[later.pk].pk}/").content.decode()
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://first.example/1"


def test_public_page_query_count(client, published, django_assert_num_queries):
    _, later, alone, reviews = published
    # The fact-check with its claim, article, claimant and highlight; the article's quotes; the cluster's
    # appearances (only when the claim's quote has one).
    with django_assert_num_queries(3):
        assert client.get(f"/fact-checks/{reviews[later.pk].pk}/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get(f"/fact-checks/{reviews[alone.pk].pk}/").status_code == 200


def test_a_clustered_claims_date_is_when_its_words_first_appeared(tmp_path, published):
    """The Claim's datePublished is when the claim was made: for words other articles quoted earlier, the
    first appearance's date, not the date of the article the fact-check happens to be on."""
    _, later, alone, reviews = published
    graph = _graph(tmp_path)
    clustered = next(r for url, r in graph.items() if url.endswith(f"/fact-checks/{reviews[later.pk].pk}/"))
    item = clustered["itemReviewed"]
    assert item["firstAppearance"]["datePublished"] == "2026-03-01"
    assert item["datePublished"] == "2026-03-01"
    single = next(r for url, r in graph.items() if url.endswith(f"/fact-checks/{reviews[alone.pk].pk}/"))
    assert "datePublished" not in single["itemReviewed"]  # an undated article: no date is made up


def test_a_claim_on_the_first_appearance_keeps_its_own_date(tmp_path, published):
    first, _, _, _ = published
    author = UserFactory(username="ed2", groups=["Fact-checker"])
    reviewer = UserFactory(username="rev2", groups=["Fact-checker"])
    words = "we will not ask the fishermen"
    start = first.text.index(words)
    annotation = services.annotation_create(
        article=first, author=author, start=start, end=start + len(words), tags=[], note="check",
        status="published",
    )  # fmt: skip
    claim = services.claim_create(article=first, text=words, created_by=author, annotation=annotation)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    review = services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)
    graph = _graph(tmp_path)
    item = next(r for url, r in graph.items() if url.endswith(f"/fact-checks/{review.pk}/"))["itemReviewed"]
    assert item["datePublished"] == item["firstAppearance"]["datePublished"] == "2026-03-01"
    assert [w["url"] for w in item["appearance"]] == ["https://first.example/1", "https://later.example/2"]


def test_a_claim_on_a_partial_quote_inside_reported_speech_takes_the_partial_quotes_cluster(tmp_path, db):
    """The writer's report of what was said (an indirect quote) holds the words quoted (a partial quote):
    a claim on those words stands in the partial quote, the one other articles quote too."""
    words = "will not ask the fishermen to pay for the sea wall"
    first = _ingest(
        "https://first.example/1", f'"We {words}," said council chair Helena Vasquez.', "2026-03-01"
    )
    later = _ingest(
        "https://later.example/2",
        f'Helena Vasquez said the council "{words}" this year.',
        "2026-03-04T08:00:00Z",
    )
    start = later.text.index(words)
    end = start + len(words)
    holding = [q for q in later.quotes.all() if q.start <= start and end <= q.end]
    assert {q.kind for q in holding} == {"indirect", "partial"}  # both hold the claim's words
    partial = next(q for q in holding if q.kind == "partial")
    assert partial.cluster_id is not None and partial.cluster_id == _quote(first, words).cluster_id
    author = UserFactory(username="ed", groups=["Fact-checker"])
    reviewer = UserFactory(username="rev", groups=["Fact-checker"])
    annotation = services.annotation_create(
        article=later, author=author, start=start, end=end, tags=[], note="check", status="published"
    )
    claim = services.claim_create(article=later, text=words, created_by=author, annotation=annotation)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    review = services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)
    item = next(r for url, r in _graph(tmp_path).items() if url.endswith(f"/fact-checks/{review.pk}/"))[
        "itemReviewed"
    ]
    assert item["firstAppearance"]["url"] == "https://first.example/1"
    assert [w["url"] for w in item["appearance"]] == ["https://later.example/2", "https://first.example/1"]
    assert item["author"] == {"@type": "Person", "name": "Helena Vasquez"}


def test_the_appearances_read_at_most_max_appearances_rows_per_cluster(tmp_path, published, monkeypatch):
    """A line quoted by thousands of articles costs its fact-check's page the rows of the appearances
    it shows, not a row per quote of the cluster: the query that reads them returns at most
    MAX_APPEARANCES rows per cluster, the earliest articles, each once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.exports import claimreview

    _, later, _, reviews = published
    for i in range(4):
        _ingest(
            f"https://more.example/{i}", f"Day {i}. {WALL}\n\nAnd again: {WALL}", f"2026-03-1{i}T08:00:00Z"
        )
    monkeypatch.setattr(claimreview, "MAX_APPEARANCES", 3)
    fact_check = reviews[later.pk]
    with CaptureQueriesContext(connection) as captured:
        quoted = claimreview.quoted_in([fact_check])[fact_check.pk]
    assert [a.url for a in quoted.appearances] == [
        "https://first.example/1",
        "https://later.example/2",
        "https://more.example/0",
    ]
    [appearances] = [q["sql"] for q in captured if '"cluster_id" IN (' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(appearances)
        assert len(cursor.fetchall()) == 3  # of the cluster's 10 quotes in 6 articles


def _publish_on(article, words: str, n: int):
    author = UserFactory(username=f"ed-{n}", groups=["Fact-checker"])
    reviewer = UserFactory(username=f"rev-{n}", groups=["Fact-checker"])
    start = article.text.index(words)
    annotation = services.annotation_create(
        article=article, author=author, start=start, end=start + len(words), tags=[], note="check",
        status="published",
    )  # fmt: skip
    claim = services.claim_create(article=article, text=words, created_by=author, annotation=annotation)
    fact_check = services.factcheck_create(claim=claim, author=author, verdict="false")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    return services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)


def _export(chunk_size: int) -> bytes:
    from io import BytesIO

    from annotations.exports import claimreview
    from annotations.exports.selection import ExportOptions, Selection

    stream = BytesIO()
    writer = claimreview.write(Selection(ExportOptions()), stream, chunk_size=chunk_size)
    for _ in writer:
        pass
    return stream.getvalue()


def test_an_export_reads_each_clusters_appearances_once(published, django_assert_num_queries):
    """Fact-checks of one cluster's words in several chunks: the first chunk reads the cluster's
    appearances, the later ones take them from it, and the bytes are those of one chunk for all."""
    first, _, _, _ = published
    _publish_on(first, "we will not ask the fishermen", 1)  # the same cluster as `later`'s, a third chunk
    whole = _export(chunk_size=100)
    # Chunk 1 (later, clustered): its fact-checks, their quotes, the cluster's appearances. Chunk 2
    # (alone, no cluster): fact-checks, quotes. Chunk 3 (first, the same cluster): fact-checks, quotes,
    # the appearances known already. Then the empty chunk that ends the keyset reading.
    with django_assert_num_queries(3 + 2 + 2 + 1):
        chunked = _export(chunk_size=1)
    assert chunked == whole
    graph = json.loads(whole)["@graph"]
    assert [
        len(r["itemReviewed"]["appearance"]) for r in graph if "firstAppearance" in r["itemReviewed"]
    ] == [2, 2]


def test_known_clusters_are_kept_to_a_bound(published, monkeypatch):
    """The appearances an export keeps between chunks are bounded: past KNOWN_CLUSTERS, the cluster read
    longest ago is read again when a later chunk needs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.exports import claimreview

    _, later, _, reviews = published
    monkeypatch.setattr(claimreview, "KNOWN_CLUSTERS", 1)
    fact_check = reviews[later.pk]
    cluster = _quote(later, "we will not ask the fishermen").cluster_id
    known = {-1: ()}  # a cluster read before
    with CaptureQueriesContext(connection) as captured:
        quoted = claimreview.quoted_in([fact_check], known=known)[fact_check.pk]
    assert len(captured) == 2
    # One pass over the cluster's members, grouped by article: no subquery run again for each member.
    assert "EXISTS" not in captured[1]["sql"].upper()
    assert list(known) == [cluster]  # the older one dropped
    assert known[cluster] == quoted.appearances
    with CaptureQueriesContext(connection) as captured:
        assert claimreview.quoted_in([fact_check], known=known)[fact_check.pk] == quoted
    assert len(captured) == 1  # its quotes only


def test_when_the_clusters_speakers_disagree_the_author_is_the_reviewed_quotes_own_speaker(
    client, tmp_path, db
):
    """Two outlets give the same words to different people: a fact-check of each names as the claim's
    author the speaker its own quote names, not the first appearance's nor the most quoted one; in the
    export, through the API and on the public page alike."""
    first = _ingest("https://first.example/1", WALL, "2026-03-01T08:00:00Z")
    _ingest("https://again.example/2", f"Again: {WALL}", "2026-03-02T08:00:00Z")
    other = _ingest(
        "https://other.example/3",
        '"We cannot wait another winter while the sea eats the road," said councillor Tom Reyes.',
        "2026-03-03T08:00:00Z",
    )
    words = "We cannot wait another winter"
    misattributed = _quote(other, words)
    assert misattributed.cluster_id == _quote(first, words).cluster_id
    assert misattributed.cluster.speakers_disagree
    on_other = _publish_on(other, words, 1)
    on_first = _publish_on(first, words, 2)
    reader = UserFactory(username="reader", groups=["Viewer"])
    client.force_login(reader)
    api = json.loads(b"".join(client.get("/api/exports/claimreview/").streaming_content))["@graph"]
    for graph in (_graph(tmp_path), {r["url"]: r for r in api}):
        authors = {
            url.rstrip("/").rsplit("/", 1)[-1]: r["itemReviewed"]["author"]["name"]
            for url, r in graph.items()
        }
        assert authors == {str(on_other.pk): "Tom Reyes", str(on_first.pk): "Helena Vasquez"}
        reviewed = next(r for url, r in graph.items() if url.endswith(f"/fact-checks/{on_other.pk}/"))
        assert reviewed["itemReviewed"]["firstAppearance"]["url"] == "https://first.example/1"
    html = client.get(f"/fact-checks/{on_other.pk}/").content.decode()
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Tom Reyes"}
