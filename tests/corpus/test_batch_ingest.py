"""Batched ingestion: whole batches in one transaction with bulk inserts, the careful path for repeats,
revisions and errors, results in input order, and the same data whatever the batch size or job count."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from bench.generate import articles as generated_articles
from corpus.ingest.readers import ArticleInput
from corpus.models import Article, Paragraph, Quote, Speaker, SpeakerAlias
from corpus.services import IngestFailure, IngestResult, article_ingest, batch, batch_ingest, store

pytestmark = pytest.mark.django_db


def _record(
    body: str, *, url: str | None = None, external_id: str = "", source: str | None = None, origin="t"
):
    raw = json.dumps({"text": body, "url": url}).encode()
    return ArticleInput(raw=raw, body=body, url=url, external_id=external_id, source=source, origin=origin)


def _generated(n: int, seed: int = 7) -> list[ArticleInput]:
    records = []
    for i, item in enumerate(generated_articles(n, seed=seed)):
        raw = json.dumps(item, ensure_ascii=False).encode()
        records.append(
            ArticleInput(
                raw=raw,
                body=item["text"],
                title=item["title"],
                url=f"{item['url']}?seed={seed}",
                source=item["source"],
                origin=f"#{i}",
            )
        )
    return records


def _snapshot() -> list[tuple]:
    rows = []
    for article in Article.objects.order_by("url"):
        quotes = sorted(
            (q.start, q.end, q.kind, q.speaker.name if q.speaker else None, q.continues is not None)
            for q in article.quotes.select_related("speaker", "continues")
        )
        roles = list(article.paragraphs.order_by("position").values_list("role", "rule"))
        rows.append((article.url, article.text, tuple(roles), tuple(quotes)))
    return rows


def test_results_come_in_input_order_with_repeats_revisions_and_errors():
    first = _record("Headline one\nBody one.", url="https://example.org/1")
    results = list(
        batch_ingest(
            records=[
                first,
                _record("Headline two\nBody two.", url="https://example.org/2"),
                first,  # the same bytes again, in the same batch
                _record("Headline one\nBody one, corrected.", url="https://example.org/1"),  # a revision
                _record("Orphan id\nBody.", external_id="x-1"),  # external id without a source
                _record("Headline three\nBody three.", url="https://example.org/3"),
            ]
        )
    )
    kinds = [
        "failure"
        if isinstance(r, IngestFailure)
        else ("revised" if r.revised else "created" if r.created else "same")
        for r in results
    ]
    assert kinds == ["created", "created", "same", "revised", "failure", "created"]
    assert "needs a 'source'" in results[4].message
    assert Article.objects.count() == 3
    assert Article.objects.get(url="https://example.org/1").text.endswith("Body one, corrected.")
    assert all(isinstance(r, IngestResult) for i, r in enumerate(results) if i != 4)


def test_batch_size_and_parallel_jobs_give_the_same_data(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in generated_articles(30, seed=3)) + "\n", encoding="utf-8")
    call_command("ingest", str(path), "--batch-size", "1", verbosity=0)
    one_by_one = _snapshot()
    Quote.objects.all().delete()
    Paragraph.objects.all().delete()
    Article.objects.all().delete()
    Speaker.objects.all().delete()
    call_command("ingest", str(path), "--batch-size", "50", "--jobs", "2", verbosity=0)
    assert _snapshot() == one_by_one


def _statements(queries: list[dict]) -> int:
    """Queries, counting a bulk insert that the driver split into several INSERTs (SQLite allows only so
    many parameters per statement) as one."""
    count, previous = 0, None
    for query in queries:
        sql = query["sql"]
        table = sql.split("(", 1)[0] if sql.startswith("INSERT") else None
        if table is None or table != previous:
            count += 1
        previous = table
    return count


@pytest.fixture
def without_clustering(settings):
    """The quote-cluster hook's queries follow how the quotes of a batch match the corpus (it is tested
    on its own in test_clusters.py); here the store path alone is counted."""
    settings.INGEST_HOOKS = [h for h in settings.INGEST_HOOKS if h != "corpus.clusters.quotes_cluster"]
    store._ingest_hooks.cache_clear()
    yield
    store._ingest_hooks.cache_clear()


def test_queries_grow_with_batches_not_articles(without_clustering):
    def count(n: int, seed: int) -> int:
        records = _generated(n, seed=seed)
        with CaptureQueriesContext(connection) as ctx:
            results = list(batch_ingest(records=records, batch_size=1000))
        assert all(isinstance(r, IngestResult) and r.created for r in results)
        return _statements(ctx.captured_queries)

    # Batches large enough to hold every kind of row (spam, anonymous sources, continued quotes), after a
    # first batch that creates the sources and the spam tag once.
    count(30, seed=10)
    assert count(30, seed=11) == count(120, seed=12)


def _rows() -> dict[str, list[tuple]]:
    """Every stored column of what ingestion writes, with references as natural keys instead of ids."""
    paragraph_keys = {p.pk: (p.article.url, p.position) for p in Paragraph.objects.select_related("article")}
    speakers = {
        s.pk: (s.name, s.article.url if s.article else None)
        for s in Speaker.objects.select_related("article")
    }
    quotes = {q.pk: q for q in Quote.objects.select_related("article")}
    # A cluster is named by its earliest member (article url, start): ids differ between the two paths.
    clusters: dict[int, tuple] = {}
    for q in quotes.values():
        if q.cluster_id is not None:
            clusters[q.cluster_id] = min(
                clusters.get(q.cluster_id, (q.article.url, q.start)), (q.article.url, q.start)
            )
    skip = {"id", "created_at", "updated_at", "ingested_at"}

    def plain(model, row, **keys):
        values = {
            f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if f.attname not in skip
        }
        values.update(keys)
        return tuple(sorted((k, repr(v)) for k, v in values.items()))

    return {
        "articles": sorted(
            plain(Article, a, source_id=a.source and a.source.name) for a in Article.objects.all()
        ),
        "paragraphs": sorted(plain(Paragraph, p, article_id=p.article.url) for p in Paragraph.objects.all()),
        "speakers": sorted(
            plain(Speaker, s, article_id=s.article and s.article.url) for s in Speaker.objects.all()
        ),
        "aliases": sorted(
            (a.phrase, a.key, a.speaker.name) for a in SpeakerAlias.objects.select_related("speaker")
        ),
        "quotes": sorted(
            plain(
                Quote,
                q,
                article_id=q.article.url,
                paragraph_id=paragraph_keys[q.paragraph_id],
                speaker_id=speakers.get(q.speaker_id),
                via_id=speakers.get(q.via_id),
                continues_id=(
                    q.continues_id and (quotes[q.continues_id].article.url, quotes[q.continues_id].start)
                ),
                cluster_id=clusters.get(q.cluster_id),
            )
            for q in quotes.values()
        ),
    }


def _clear() -> None:
    Quote.objects.all().delete()
    Paragraph.objects.all().delete()
    Speaker.objects.all().delete()
    Article.objects.all().delete()


def test_batched_rows_are_the_rows_of_the_one_article_path():
    """The batch writes plain rows with ids it takes beforehand; the one-article path goes through the ORM.
    Both must store exactly the same thing, references included."""
    records = [*_generated(40, seed=21), _record("Headline\n\nA spokeswoman said the plan was fine.")]
    for record in records:
        article_ingest(record=record)
    one_by_one = _rows()
    assert len(one_by_one["quotes"]) > 400 and any("'anonymous'" in str(s) for s in one_by_one["speakers"])
    assert any("continues_id', 'None'" not in str(q) for q in one_by_one["quotes"])
    _clear()
    results = list(batch_ingest(records=records, batch_size=16))
    assert all(isinstance(r, IngestResult) and r.created for r in results)
    assert _rows() == one_by_one


def test_parallel_jobs_with_repeats_across_batches():
    """Workers read the next batch while one is written; a record that the batch before made a repeat is
    still recognised as one."""
    records = _generated(9, seed=5)
    results = batch_ingest(
        records=[*records[:5], records[1], records[4], records[8], *records[5:]], batch_size=2, jobs=2
    )
    kinds = ["created" if r.created else "same" for r in results]
    assert kinds == ["created"] * 5 + ["same", "same"] + ["created"] * 4 + ["same"]
    assert Article.objects.count() == 9
    assert not any(r.created for r in batch_ingest(records=records, batch_size=4, jobs=2))


def test_a_batch_that_fails_to_commit_is_written_one_by_one_without_running_the_pipeline_again(monkeypatch):
    from corpus.ingest import pipeline

    def clash(*args, **kwargs):
        raise IntegrityError("someone else took it")

    runs = []
    real = pipeline.process

    def process_record(record, language, directory):
        runs.append(record)
        return real(record.body, title=record.title, language=language, directory=directory)

    monkeypatch.setattr(batch, "_store_batch", clash)
    monkeypatch.setattr(batch, "process_record", process_record)
    monkeypatch.setattr(pipeline, "process", lambda *a, **k: pytest.fail("the pipeline ran twice"))
    records = _generated(3, seed=8)
    results = list(batch_ingest(records=records))
    assert [r.created for r in results] == [True, True, True] and len(runs) == 3
    assert Article.objects.count() == 3 and Quote.objects.filter(article__url=records[0].url).exists()


def test_an_article_the_database_refuses_fails_alone():
    """PostgreSQL refuses a language tag longer than its column; SQLite stores it. Either way the other
    articles of the batch are written."""
    records = _generated(3, seed=9)
    records[1].language = "x" * 40
    results = list(batch_ingest(records=records))
    assert [r.created for r in results if isinstance(r, IngestResult)].count(True) >= 2
    if connection.vendor == "postgresql":
        assert isinstance(results[1], IngestFailure) and "the database refused it" in results[1].message
        assert Article.objects.count() == 2
    else:
        assert Article.objects.count() == 3
