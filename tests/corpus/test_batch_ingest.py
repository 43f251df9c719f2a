"""Batched ingestion: whole batches in one transaction with bulk inserts, the careful path for repeats,
revisions and errors, results in input order, and the same data whatever the batch size or job count."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import articles as generated_articles
from corpus.ingest.readers import ArticleInput
from corpus.models import Article, Paragraph, Quote, Speaker
from corpus.services import IngestFailure, IngestResult, articles_ingest

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
        articles_ingest(
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


def test_queries_grow_with_batches_not_articles():
    def count(n: int, seed: int) -> int:
        records = _generated(n, seed=seed)
        with CaptureQueriesContext(connection) as ctx:
            results = list(articles_ingest(records=records, batch_size=1000))
        assert all(isinstance(r, IngestResult) and r.created for r in results)
        return _statements(ctx.captured_queries)

    # Batches large enough to hold every kind of row (spam, anonymous sources, continued quotes), after a
    # first batch that creates the sources and the spam tag once.
    count(30, seed=10)
    assert count(30, seed=11) == count(120, seed=12)
