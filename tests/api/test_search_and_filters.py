"""Filters and full-text search on both databases; what only PostgreSQL does is marked and skipped elsewhere."""

from __future__ import annotations

import pytest
from django.db import connection

from annotations import services
from corpus.models import Article, Speaker
from corpus.search import search_terms, snippet_cut
from tests.api.conftest import client_for, make_user
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def corpus():
    harbour = ArticleFactory(
        body="Harbour repairs approved\nThe council voted to repair the harbour wall.\n"
        '"We cannot wait," said Helena Vasquez.\n',
        source="Coast Times",
    )
    rail = ArticleFactory(
        body="Rail fares rise\nFares on the coastal railway go up in spring.\n"
        '"It is unfair," said Tomas Berg.\n',
        source="Inland Post",
    )
    both = ArticleFactory(
        body="Budget debate\nThe budget covers the harbour and the railway.\nOpponents said it was rushed.\n",
        source="Coast Times",
    )
    Article.objects.filter(pk=harbour.pk).update(published_at="2024-03-01T00:00:00Z", language="en")
    Article.objects.filter(pk=rail.pk).update(published_at="2024-06-01T00:00:00Z", language="de")
    Article.objects.filter(pk=both.pk).update(published_at="2024-09-01T00:00:00Z", language="en")
    return harbour, rail, both


# --- Search, both databases --------------------------------------------------------------------------


def test_search_finds_articles_with_every_term(client, corpus):
    harbour, _rail, both = corpus
    assert set(_ids(client.get("/api/articles/?q=harbour"))) == {harbour.pk, both.pk}
    assert _ids(client.get("/api/articles/?q=harbour railway")) == [both.pk]
    assert _ids(client.get("/api/articles/?q=harbour -budget")) == [harbour.pk]
    assert _ids(client.get("/api/articles/?q=submarine")) == []


def test_search_snippets_mark_the_hit(client, corpus):
    results = client.get("/api/articles/?q=harbour").json()["results"]
    for item in results:
        assert "<mark>" in item["snippet"] and "</mark>" in item["snippet"]
        assert "harbour" in item["snippet"].lower()
    assert client.get("/api/articles/").json()["results"][0]["snippet"] is None


def test_search_composes_with_filters(client, corpus):
    harbour, rail, _both = corpus
    assert _ids(client.get("/api/articles/?q=harbour&published_before=2024-06-01T00:00:00Z")) == [harbour.pk]
    assert _ids(client.get("/api/articles/?q=harbour&source=Inland Post")) == []
    assert _ids(client.get("/api/articles/?q=fares&language=de")) == [rail.pk]
    assert _ids(client.get("/api/articles/?q=harbour&expand=paragraphs&page_size=1"))[:1]


def test_search_in_annotation_notes(client, corpus):
    harbour, _, _ = corpus
    author = make_user("editor")
    AnnotationFactory(article=harbour, author=author, note="the wall was repaired in 1998")
    AnnotationFactory(article=harbour, author=author, note="unrelated remark")
    results = client.get("/api/annotations/?q=wall").json()["results"]
    assert [r["note"] for r in results] == ["the wall was repaired in 1998"]
    assert "<mark>" in results[0]["snippet"]


def test_search_terms_and_fallback_snippet():
    assert search_terms('harbour "sea wall" -rail or budget') == (["harbour", "sea wall", "budget"], ["rail"])
    snippet = snippet_cut("x" * 200 + " the Harbour wall " + "y" * 200, "harbour")
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>Harbour</mark>" in snippet


# --- Search, PostgreSQL only ----------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_search_stems_ranks_and_uses_websearch_syntax(client, corpus):
    harbour, rail, _both = corpus
    # Stemming: "repairs" finds "repair" and "repairs".
    assert _ids(client.get("/api/articles/?q=repairing")) == [harbour.pk]
    # Websearch syntax: a quoted phrase, and "or".
    assert _ids(client.get('/api/articles/?q="harbour wall"')) == [harbour.pk]
    assert set(_ids(client.get("/api/articles/?q=fares or wall"))) == {harbour.pk, rail.pk}
    # Ranked: the article that says harbour twice comes first.
    assert _ids(client.get("/api/articles/?q=harbour"))[0] == harbour.pk


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('corpus_article_search_vector', 'corpus_article_text_search', 'annotations_annotation_note_search')"
        )
        # The expression index on the article text gave way to the index on the stored vector.
        assert {row[0] for row in cursor.fetchall()} == {
            "corpus_article_search_vector",
            "annotations_annotation_note_search",
        }
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM corpus_article "
            "WHERE search_vector @@ websearch_to_tsquery('english'::regconfig, 'harbour')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "corpus_article_search_vector" in plan, plan


@pytest.mark.postgres
def test_postgres_stored_vector_follows_the_text_and_stays_out_of_the_model(corpus):
    harbour, _rail, _both = corpus
    assert "search_vector" not in {f.column for f in Article._meta.concrete_fields}
    Article.objects.filter(pk=harbour.pk).update(text="The zeppelin landed at the pier.")
    Article.objects.bulk_create(
        [Article(text="A second zeppelin, moored.", raw_text="x", content_hash="z" * 64)]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM corpus_article WHERE search_vector @@ to_tsquery('english', 'zeppelin')"
        )
        assert cursor.fetchone()[0] == 2
    queryset = Article.objects.all()
    assert "search_vector" not in str(queryset.query)


# --- Filters --------------------------------------------------------------------------------------------


def test_article_filters(client, corpus):
    harbour, rail, both = corpus
    assert set(_ids(client.get("/api/articles/?source=Coast Times"))) == {harbour.pk, both.pk}
    assert _ids(client.get("/api/articles/?language=de")) == [rail.pk]
    assert _ids(
        client.get(
            "/api/articles/?published_after=2024-05-01T00:00:00Z&published_before=2024-07-01T00:00:00Z"
        )
    ) == [rail.pk]
    vasquez = Speaker.objects.get(name="Helena Vasquez")
    assert _ids(client.get(f"/api/articles/?speaker={vasquez.pk}")) == [harbour.pk]
    assert _ids(client.get("/api/articles/?ordering=published_at")) == [harbour.pk, rail.pk, both.pk]
    assert client.get("/api/articles/?published_after=yesterday").status_code == 400


def test_tag_filter_includes_descendants_and_respects_visibility(client, corpus):
    _harbour, rail, both = corpus
    parent = TagFactory(slug="economy")
    child = TagFactory(slug="budget", parent=parent)
    author = make_user("editor")
    AnnotationFactory(article=both, author=author, tags=[child.slug], status="published")
    AnnotationFactory(article=rail, author=author, tags=[child.slug], status="draft")
    assert _ids(client.get("/api/articles/?tag=economy")) == [both.pk]
    assert set(_ids(client_for(make_user("viewer")).get("/api/articles/?tag=economy"))) == {both.pk, rail.pk}
    assert len(_ids(client.get("/api/annotations/?tag=economy"))) == 1
    assert _ids(client.get("/api/articles/?tag=nothing")) == []


def test_quote_and_paragraph_filters(client, corpus):
    _harbour, rail, _both = corpus
    vasquez = Speaker.objects.get(name="Helena Vasquez")
    quotes = client.get(f"/api/quotes/?speaker={vasquez.pk}&kind=direct&verified=false").json()["results"]
    assert quotes and all(q["speaker"] == "Helena Vasquez" for q in quotes)
    assert client.get("/api/quotes/?source=Inland Post").json()["count"] == rail.quotes.count()
    titles = client.get(f"/api/paragraphs/?article={rail.pk}&role=title").json()["results"]
    assert [p["text"] for p in titles] == ["Rail fares rise"]
    assert client.get("/api/quotes/?kind=shouted").status_code == 400


def test_annotation_claim_and_fact_check_filters(client, corpus):
    harbour, _rail, _both = corpus
    author = make_user("factchecker", "author")
    reviewer = make_user("factchecker", "reviewer")
    AnnotationFactory(article=harbour, author=author, status="published", note="by author")
    claim = services.claim_create(article=harbour, text="The wall is new.", created_by=author)
    check = services.factcheck_create(claim=claim, author=author, verdict="false")
    services.factcheck_submit(fact_check=check, expected_version=1, user=author)
    services.factcheck_publish(fact_check=check, expected_version=2, user=reviewer)
    assert len(_ids(client.get("/api/annotations/?author=author&origin=editor&status=published"))) == 1
    assert _ids(client.get("/api/annotations/?author=nobody")) == []
    assert _ids(client.get("/api/claims/?verdict=false&status=published")) == [claim.pk]
    assert _ids(client.get("/api/claims/?verdict=true")) == []
    assert _ids(client.get("/api/fact-checks/?reviewer=reviewer&verdict=false")) == [check.pk]
    assert _ids(client.get("/api/articles/?verdict=false")) == [harbour.pk]


def test_expand_chooses_nested_lists(client, corpus):
    harbour, _, _ = corpus
    detail = client.get(f"/api/articles/{harbour.pk}/").json()
    assert {"paragraphs", "quotes", "annotations", "claims"} <= set(detail)
    only = client.get(f"/api/articles/{harbour.pk}/?expand=quotes").json()
    assert "quotes" in only and "paragraphs" not in only and "annotations" not in only
    listed = client.get("/api/articles/").json()["results"][0]
    assert "paragraphs" not in listed and "text" not in listed
    expanded = client.get("/api/articles/?expand=paragraphs").json()["results"][0]
    assert expanded["paragraphs"] and "quotes" not in expanded
    for paragraph in expanded["paragraphs"]:
        assert expanded["text"][paragraph["start"] : paragraph["end"]] == paragraph["text"]
    assert client.get("/api/articles/?expand=everything").status_code == 400


def test_speaker_quotes_carry_their_context(client, corpus):
    harbour, _, _ = corpus
    ArticleFactory(body='Second story\n"Again," said Helena Vasquez.\n')
    vasquez = Speaker.objects.get(name="Helena Vasquez")
    data = client.get(f"/api/speakers/{vasquez.pk}/quotes/").json()
    assert data["count"] == 2
    for quote in data["results"]:
        assert quote["text"] in quote["context"] and quote["speaker"] == "Helena Vasquez"
        assert quote["article_title"]
    assert client.get(f"/api/speakers/{vasquez.pk}/quotes/?article={harbour.pk}").json()["count"] == 1
    assert client.get("/api/speakers/999999/quotes/").status_code == 404


def test_speakers_filter_shared_from_local(client):
    article = ArticleFactory()
    shared = Speaker.objects.create(name="Marta Shared", kind="person")
    local = Speaker.objects.create(name="Marta's aide", kind="person", article=article)
    names = lambda query: {row["name"] for row in client.get(f"/api/speakers/?{query}").json()["results"]}  # noqa: E731
    assert {shared.name, local.name} <= names("name=marta")
    assert names("name=marta&shared=true") == {shared.name}
    assert names("name=marta&shared=false") == {local.name}
