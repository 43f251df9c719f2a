"""The JSONL export matches the contract's shape (docs/contract.md), key order included, and is reproducible."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.exports.dataset import iter_article_records
from annotations.exports.selection import ExportOptions
from annotations.exports.services import export_write
from corpus.models import Article
from tests.factories import AnnotationFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

ARTICLE_KEYS = [
    "id",
    "url",
    "source",
    "published_at",
    "language",
    "title",
    "content_hash",
    "text",
    "paragraphs",
    "quotes",
    "annotations",
    "claims",
    "checkworthy_dismissals",
]
PARAGRAPH_KEYS = ["position", "role", "rule", "start", "end", "text"]
QUOTE_KEYS = [
    "id",
    "kind",
    "text",
    "start",
    "end",
    "paragraph",
    "continues",
    "speaker",
    "speaker_kind",
    "speaker_mention",
    "cue",
    "via",
    "origin",
    "verified",
    "cluster",
    "cluster_fixed",
]
ANNOTATION_KEYS = [
    "id", "target", "paragraph", "quote", "start", "end", "exact", "tags", "note", "status", "origin", "author",
    "project", "layer",
]  # fmt: skip
CLAIM_KEYS = ["id", "text", "claimant", "annotation", "fact_check"]
FACT_CHECK_KEYS = ["verdict", "rationale", "evidence", "status", "author", "reviewer", "published_at"]
EVIDENCE_KEYS = ["url", "title", "publisher", "accessed"]


def _export(tmp_path, *extra) -> list[dict]:
    out = tmp_path / "corpus.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), *extra, verbosity=0)
    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def _check_span_lists(record: dict) -> None:
    text = record["text"]
    for key in ("paragraphs", "quotes", "annotations"):
        items = record[key]
        order = [
            (
                (i["start"] if i["start"] is not None else -1),
                (i["end"] if i["end"] is not None else -1),
                i.get("id", 0),
            )
            for i in items
        ]
        assert order == sorted(order), f"{key} not ordered by (start, end, id)"
        for item in items:
            if item["start"] is not None:
                assert text[item["start"] : item["end"]] == item.get("text", item.get("exact"))


def test_seed_export_has_product_shape(tmp_path, seeded):
    author = UserFactory(username="ed", groups=["Fact-checker"])
    reviewer = UserFactory(username="rev", groups=["Fact-checker"])
    TagFactory(slug="claim")
    article = seeded[1]
    start = article.text.index("China is facing the worst international isolation")
    annotation = services.annotation_create(
        article=article,
        author=author,
        start=start,
        end=start + 49,
        tags=["claim"],
        note="check",
        status="published",
    )
    claim = services.claim_create(
        article=article, text=annotation.exact, created_by=author, annotation=annotation
    )
    fact_check = services.factcheck_create(
        claim=claim,
        author=author,
        verdict="unverifiable",
        rationale="Opinion.",
        evidence=[{"url": "https://example.org/a", "title": "A", "publisher": "B", "accessed": "2021-06-03"}],
    )
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=reviewer)

    records = _export(tmp_path)
    assert [r["id"] for r in records] == [a.pk for a in seeded]
    for record in records:
        assert list(record) == ARTICLE_KEYS
        for p in record["paragraphs"]:
            assert list(p) == PARAGRAPH_KEYS
        for q in record["quotes"]:
            assert list(q) == QUOTE_KEYS
            assert q["kind"] in {"direct", "partial", "indirect"}
            assert q["origin"] in {"machine", "editor"}
        for a in record["annotations"]:
            assert list(a) == ANNOTATION_KEYS
            assert a["tags"] == sorted(a["tags"])
        _check_span_lists(record)
    second = records[1]
    assert second["title"] == "Xi wants isolated China to 'make friends'"
    assert [c["id"] for c in second["claims"]] == [claim.pk]
    exported_claim = second["claims"][0]
    assert list(exported_claim) == CLAIM_KEYS
    assert list(exported_claim["fact_check"]) == FACT_CHECK_KEYS
    assert list(exported_claim["fact_check"]["evidence"][0]) == EVIDENCE_KEYS
    assert exported_claim["fact_check"]["verdict"] == "unverifiable"
    assert exported_claim["fact_check"]["reviewer"] == "rev"
    assert exported_claim["fact_check"]["published_at"].endswith("Z")


def test_export_defaults_to_published_and_is_byte_identical(tmp_path):
    AnnotationFactory(note="public one", status="published")
    AnnotationFactory(note="a draft", status="draft")
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(first), verbosity=0)
    call_command("export", "--format", "jsonl", "--output", str(second), verbosity=0)
    assert first.read_bytes() == second.read_bytes()
    assert b"public one" in first.read_bytes() and b"a draft" not in first.read_bytes()
    drafts = _export(tmp_path, "--include-drafts")
    assert any(a["note"] == "a draft" for r in drafts for a in r["annotations"])


def test_export_to_stdout(capsys, seeded):
    capsys.readouterr()  # drop what seeding printed
    call_command("export", "--format", "jsonl", "--output", "-")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["id"] == seeded[0].pk


def test_export_queries_grow_with_chunks_not_rows():
    tag = TagFactory(slug="claim")
    for _ in range(9):
        AnnotationFactory(tags=[tag.slug])

    def count(chunk_size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            records = list(iter_article_records(Article.objects.all(), chunk_size=chunk_size))
        assert len(records) == 9
        return len(ctx.captured_queries)

    # One chunk of everything vs three chunks of three: a fixed number of queries per chunk.
    one_chunk = count(100)
    three_chunks = count(3)
    per_chunk = one_chunk
    assert three_chunks <= 3 * per_chunk + 1
    assert one_chunk <= 8


def test_a_jsonl_export_reads_the_quotes_and_claims_once(tmp_path, seeded):
    """The speakers file takes the speakers the article lines named, not another pass over the quotes
    and claims: the articles, each table on them, the speakers local to them and the shared speakers
    the quotes name (``dataset.SpeakerNames``), the vocabulary, the speakers and their aliases, and the
    projects for the manifest; on PostgreSQL also the export's savepoint and its planner setting."""
    user = UserFactory(groups=["Editor", "Fact-checker"])
    article = seeded[0]
    annotation = services.annotation_create(
        article=article, author=user, start=0, end=5, note="n", status="published"
    )
    services.claim_create(article=article, text="c", created_by=user, annotation=annotation)
    (tmp_path / "out").mkdir()
    with CaptureQueriesContext(connection) as ctx:
        export_write(fmt="jsonl", options=ExportOptions(), output=tmp_path / "out")
    selects = [q["sql"] for q in ctx.captured_queries if "SELECT" in q["sql"]]
    assert len(ctx.captured_queries) == (12 if connection.vendor == "sqlite" else 15)
    assert len(selects) == 12
    assert sum('FROM "corpus_quote"' in sql for sql in selects) == 1
    assert sum('FROM "annotations_claim"' in sql for sql in selects) == 1
    speakers = json.loads((tmp_path / "out" / "speakers.json").read_text(encoding="utf-8"))
    assert speakers and any(s["aliases"] for s in speakers)
