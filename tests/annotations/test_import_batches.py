"""import_dataset in batches: several batches give the same bytes back, a batch costs a fixed number of
queries, a bad record or a refused batch costs only the article at fault, and repeats merge."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.imports.from_tables import table_records
from annotations.imports.importer import dataset_import
from annotations.imports.reading import Dataset
from annotations.models import Annotation, Claim, FactCheck, Tag
from corpus.models import Article, Paragraph, Quote, QuoteCluster, Source, Speaker, SpeakerAlias
from tests.annotations.datasets import article_lines, rewrite_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _wipe() -> None:
    FactCheck.objects.all().delete()
    Claim.objects.all().delete()
    Annotation.objects.all().delete()
    Quote.objects.all().delete()
    Paragraph.objects.all().delete()
    Speaker.objects.all().delete()
    Article.objects.all().delete()
    QuoteCluster.objects.all().delete()
    Source.objects.all().delete()
    while Tag.objects.exists():
        Tag.objects.filter(children__isnull=True).delete()


def _export(fmt: str, out: Path) -> Path:
    folder = fmt == "jsonl" and not out.suffix
    call_command(
        "export",
        "--format",
        fmt,
        "--output",
        str(out) + ("/" if folder else ""),
        "--include-drafts",
        verbosity=0,
    )
    return out


def _files(path: Path) -> dict[str, bytes]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    if path.is_file():
        return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def _counts(*, exported: bool = False) -> dict[str, int]:
    """Rows per table; ``exported``: only the speakers an export carries, those a quote or claim names."""
    named = Speaker.objects.filter(
        Q(quotes__isnull=False) | Q(relayed_quotes__isnull=False) | Q(claims__isnull=False)
    ).distinct()
    if exported:
        return {
            **_counts(),
            "Speaker": named.count(),
            "SpeakerAlias": SpeakerAlias.objects.filter(speaker__in=named).count(),
        }
    models = (
        Article,
        Paragraph,
        Quote,
        Speaker,
        SpeakerAlias,
        Annotation,
        Annotation.tags.through,
        Claim,
        FactCheck,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("jsonl", "corpus.jsonl"),
        ("jsonl", "dataset.zip"),
        ("csv", "t.zip"),
        ("parquet", "p"),
        ("parquet", "p.zip"),
    ],
)
def test_several_batches_give_the_same_bytes(tmp_path, many, fmt, name):
    first = _export(fmt, tmp_path / "first" / name)
    before = _files(first)
    counts = _counts(exported=True)
    _wipe()
    result = dataset_import(path=first, batch_size=2)
    assert result.errors == [] and result.created == len(many) and result.merged == 0
    assert _counts(exported=True) == counts
    after = _files(_export(fmt, tmp_path / "second" / name))
    assert sorted(after) == sorted(before)
    for file_name, data in before.items():
        assert after[file_name] == data, file_name
    # The sequences moved past the kept ids: new rows get fresh ones.
    article = Article.objects.order_by("id").last()
    services.annotation_create(
        article=article,
        author=Annotation.objects.exclude(author=None).first().author,
        target="article",
        note="after the import",
    )
    ArticleFactory()


@pytest.mark.parametrize("batch_size", [2, 500])
def test_importing_again_merges_everything(tmp_path, many, batch_size):
    path = _export("jsonl", tmp_path / "dataset")
    counts = _counts()
    result = dataset_import(path=path, batch_size=batch_size)
    assert result.errors == [] and result.created == 0 and result.merged == len(many)
    assert dict(result.counts) == {} and _counts() == counts


def test_into_a_database_with_other_articles_ids_are_new_and_the_round_trip_holds(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    records = [json.loads(line) for line in (path / "articles.jsonl").read_text().splitlines()]
    _wipe()
    ArticleFactory(url="https://elsewhere.example.org/1")  # the tables are no longer empty
    result = dataset_import(path=path, batch_size=3)
    assert result.errors == [] and result.created == len(many)
    again = _export("jsonl", tmp_path / "again")
    lines = [json.loads(line) for line in (again / "articles.jsonl").read_text().splitlines()]
    by_hash = {record["content_hash"]: record for record in lines}
    for record in records:
        copy = by_hash[record["content_hash"]]
        for key in ("quotes", "annotations", "claims"):
            assert len(copy[key]) == len(record[key])
        # Continuations point at the same words, under the new ids.
        words = {q["id"]: q["text"] for q in copy["quotes"]}
        old_words = {q["id"]: q["text"] for q in record["quotes"]}
        assert sorted((q["text"], words.get(q["continues"])) for q in copy["quotes"]) == sorted(
            (q["text"], old_words.get(q["continues"])) for q in record["quotes"]
        )


IMPORT_QUERIES = {"sqlite": 41, "postgresql": 53}


def test_a_batch_costs_the_same_queries_however_many_articles_it_holds(tmp_path, many):
    small = _export("jsonl", tmp_path / "small")
    rewrite_articles(small, article_lines(small)[:3])
    large = _export("jsonl", tmp_path / "large")
    _wipe()
    with CaptureQueriesContext(connection) as three:
        assert dataset_import(path=small).created == 3
    _wipe()
    with CaptureQueriesContext(connection) as seven:
        assert dataset_import(path=large).created == len(many)
    # Companions, empty-table checks, sequences and types once, one batch.
    assert len(seven) == len(three) == IMPORT_QUERIES[connection.vendor]


def test_a_bad_record_fails_alone_and_the_rest_of_its_batch_lands(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    record = json.loads(lines[3])
    record["paragraphs"][1]["end"] = len(record["text"]) + 5
    lines[3] = json.dumps(record) + "\n"
    rewrite_articles(path, lines)
    _wipe()
    result = dataset_import(path=path)
    assert result.created == len(many) - 1 and result.failed == 1
    assert result.errors == [
        f"articles.jsonl line 4: field 'paragraphs[1].start': offsets {record['paragraphs'][1]['start']}-"
        f"{len(record['text']) + 5} are not a span of the text; nothing of this article was written."
    ]
    assert not Article.objects.filter(content_hash=record["content_hash"]).exists()
    assert not Speaker.objects.filter(article_id=record["id"]).exists()


def test_a_batch_the_database_refuses_is_written_again_article_by_article(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    record = json.loads(lines[2])
    # Passes the importer's checks, breaks a database constraint: an orphan quote keeps no end.
    record["quotes"][0]["start"] = None
    record["annotations"][0]["author"] = "ghost"  # a user only this article would have brought
    lines[2] = json.dumps(record) + "\n"
    rewrite_articles(path, lines)
    _wipe()
    result = dataset_import(path=path)
    assert result.created == len(many) - 1 and result.failed == 1
    assert result.errors[0].startswith("articles.jsonl line 3: ")
    assert result.errors[0].endswith("; nothing of this article was written.")
    assert not Article.objects.filter(content_hash=record["content_hash"]).exists()
    assert not get_user_model().objects.filter(username="ghost").exists()
    assert Quote.objects.count() == sum(
        len(json.loads(line)["quotes"]) for i, line in enumerate(lines) if i != 2
    )


@pytest.mark.parametrize("batch_size", [2, 500])
def test_an_article_repeated_in_the_dataset_is_merged_not_duplicated(tmp_path, many, batch_size):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    rewrite_articles(path, [*lines, lines[0], lines[4]])
    counts = _counts(exported=True)
    _wipe()
    result = dataset_import(path=path, batch_size=batch_size)
    assert result.errors == [] and result.created == len(many) and result.merged == 2
    assert _counts(exported=True) == counts


def test_csv_records_are_built_from_tables_in_id_order(tmp_path, many):
    """Annotations are written in id order, not article order: the first article's late note still
    comes back with it, however the articles are chunked."""
    path = _export("csv", tmp_path / "tables")
    records = [record for _, record in table_records(Dataset(path), chunk_size=2)]
    assert [r["id"] for r in records] == sorted(a.pk for a in many)
    notes = {a["note"] for a in records[0]["annotations"]}
    assert "late note" in notes
    assert sum(len(r["annotations"]) for r in records) == Annotation.objects.count()
    assert sum(len(r["quotes"]) for r in records) == Quote.objects.count()
    assert sum(1 for r in records for c in r["claims"] if c["fact_check"]) == FactCheck.objects.count()


def test_the_command_takes_a_batch_size(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    _wipe()
    call_command("import_dataset", str(path), "--batch-size", "3", verbosity=0)
    assert Article.objects.count() == len(many)
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        call_command("import_dataset", str(path), "--batch-size", "0", verbosity=0)


def test_what_a_failed_record_would_have_created_is_created_by_the_next_one_that_needs_it(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    failing, passing = json.loads(lines[0]), json.loads(lines[1])
    failing["annotations"][0]["author"] = passing["annotations"][0]["author"] = "newbie"
    failing["annotations"][0]["tags"] = passing["annotations"][0]["tags"] = ["brand-new"]
    failing["annotations"][-1]["start"] = -1
    lines[:2] = [json.dumps(failing) + "\n", json.dumps(passing) + "\n"]
    rewrite_articles(path, lines)
    _wipe()
    result = dataset_import(path=path)
    assert result.created == len(many) - 1 and result.failed == 1
    assert result.counts["users"] == 1 and result.counts["tags"] > 0
    newbie = get_user_model().objects.get(username="newbie")
    assert not newbie.is_active and not newbie.has_usable_password()
    annotation = Annotation.objects.get(pk=passing["annotations"][0]["id"])
    assert annotation.author == newbie and [t.slug for t in annotation.tags.all()] == ["brand-new"]
