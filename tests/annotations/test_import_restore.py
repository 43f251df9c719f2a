"""import_dataset --restore: into an empty database, in one transaction. The same bytes come back as
through the everyday import; one bad record, or one the database refuses, leaves the database as it was;
a database that holds articles is refused. On PostgreSQL the indexes and foreign keys dropped for the
load are all there again afterwards, whether the restore landed or not."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from annotations.imports.importer import dataset_import
from annotations.imports.restore import DEFERRED, RestoreRefused
from annotations.models import Tag
from corpus.models import Article, Paragraph
from tests.annotations.datasets import article_lines, rewrite_articles
from tests.annotations.test_import_batches import _counts, _export, _files, _wipe

pytestmark = pytest.mark.django_db


def _schema() -> list[tuple]:
    """The indexes and foreign keys of the tables a restore loads, as PostgreSQL defines them."""
    tables = [model._meta.db_table for model in DEFERRED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, condeferred "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        return indexes + cursor.fetchall()


def _bad_middle_record(path) -> dict:
    lines = article_lines(path)
    record = json.loads(lines[3])
    record["paragraphs"][1]["end"] = len(record["text"]) + 5
    lines[3] = json.dumps(record) + "\n"
    rewrite_articles(path, lines)
    return record


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "dataset"), ("csv", "t.zip"), ("parquet", "p")])
def test_a_restore_gives_the_bytes_the_everyday_import_gives(tmp_path, many, fmt, name):
    first = _export(fmt, tmp_path / "first" / name)
    counts = _counts(exported=True)
    _wipe()
    dataset_import(path=first, batch_size=3)
    everyday = _files(_export(fmt, tmp_path / "everyday" / name))
    _wipe()
    result = dataset_import(path=first, batch_size=3, restore=True)
    assert result.errors == [] and result.created == len(many) and result.failed == 0
    assert _counts(exported=True) == counts
    restored = _files(_export(fmt, tmp_path / "restored" / name))
    assert restored == everyday == _files(first)


def test_a_bad_record_in_the_middle_leaves_the_database_as_it_was(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    record = _bad_middle_record(path)
    _wipe()
    before, schema = _counts(), _schema() if connection.vendor == "postgresql" else None
    tags = set(Tag.objects.values_list("slug", flat=True))
    result = dataset_import(path=path, batch_size=2, restore=True)
    assert result.created == 0 and result.failed == 1 and dict(result.counts) == {}
    assert result.errors == [
        f"articles.jsonl line 4: field 'paragraphs[1].start': offsets {record['paragraphs'][1]['start']}-"
        f"{len(record['text']) + 5} are not a span of the text; nothing of this article was written.",
        "restore mode: 1 article(s) failed, so nothing of the dataset was written; fix them and run the "
        "import again.",
    ]
    assert _counts() == before and set(Tag.objects.values_list("slug", flat=True)) == tags
    if schema is not None:
        assert _schema() == schema


def test_a_record_the_database_refuses_leaves_the_database_as_it_was(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    record = json.loads(lines[2])
    # Passes the importer's checks, breaks a database constraint: an orphan quote keeps no end.
    record["quotes"][0]["start"] = None
    record["annotations"][0]["author"] = "ghost"
    lines[2] = json.dumps(record) + "\n"
    rewrite_articles(path, lines)
    _wipe()
    before = _counts()
    result = dataset_import(path=path, restore=True)
    assert result.created == 0 and result.failed == 1
    assert result.errors[0].startswith("articles.jsonl line 3: ")
    assert result.errors[-1].startswith("restore mode: 1 article(s) failed")
    assert _counts() == before
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_a_database_with_articles_is_refused_and_left_alone(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    before = _counts()
    with pytest.raises(RestoreRefused, match="already has articles: import without --restore"):
        dataset_import(path=path, restore=True)
    with pytest.raises(CommandError, match="restore mode loads into an empty database"):
        call_command("import_dataset", str(path), "--restore", verbosity=0)
    assert _counts() == before


def test_users_tags_and_speakers_already_there_do_not_stop_a_restore(tmp_path, many):
    """A database with its vocabulary, speakers and accounts loaded but no articles is empty enough."""
    path = _export("jsonl", tmp_path / "dataset")
    counts = _counts(exported=True)
    Article.objects.all().delete()  # and everything of theirs; the tags, users and shared speakers stay
    result = dataset_import(path=path, restore=True)
    assert result.errors == [] and result.created == len(many)
    assert _counts(exported=True) == counts


@pytest.mark.parametrize("batch_size", [2, 500])
def test_an_article_repeated_in_the_dataset_is_merged_in_a_restore(tmp_path, many, batch_size):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    rewrite_articles(path, [*lines, lines[0], lines[4]])
    counts = _counts(exported=True)
    _wipe()
    result = dataset_import(path=path, batch_size=batch_size, restore=True)
    assert result.errors == [] and result.created == len(many) and result.merged == 2
    assert _counts(exported=True) == counts


def test_the_command_restores_and_says_so_when_it_fails(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    _wipe()
    call_command("import_dataset", str(path), "--restore", verbosity=0)
    assert Article.objects.count() == len(many)
    _wipe()
    _bad_middle_record(path)
    with pytest.raises(CommandError, match=r"0 article\(s\) created, 0 merged; 1 article\(s\) failed"):
        call_command("import_dataset", str(path), "--restore", verbosity=0)
    assert not Article.objects.exists()
    with pytest.raises(CommandError, match="--restore loads Newsdesk datasets only"):
        call_command("import_dataset", str(path), "--restore", "--from", "doccano", "--user", "ed")


@pytest.mark.postgres
def test_the_indexes_and_foreign_keys_are_the_same_after_a_restore(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    _wipe()
    schema = _schema()
    assert any("USING gin" in row[1] for row in schema)  # the search indexes are among them
    assert dataset_import(path=path, restore=True).created == len(many)
    assert _schema() == schema
    # The foreign keys are checked again: a row pointing nowhere is refused.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Paragraph.objects.filter(pk=Paragraph.objects.first().pk).update(article_id=10**9)


# A restore's queries, whatever the number of articles in its one batch: the companions, the empty
# tables, ids and column types once, the batch, the clusters' figures and fingerprints, the sequences;
# on PostgreSQL also the lock, the indexes and foreign keys dropped and made again.
RESTORE_QUERIES = {"sqlite": 49, "postgresql": 150}


def test_a_restore_costs_the_same_queries_however_many_articles_it_holds(tmp_path, many):
    small = _export("jsonl", tmp_path / "small")
    rewrite_articles(small, article_lines(small)[:3])
    large = _export("jsonl", tmp_path / "large")
    _wipe()
    with CaptureQueriesContext(connection) as three:
        assert dataset_import(path=small, restore=True).created == 3
    _wipe()
    with CaptureQueriesContext(connection) as seven:
        assert dataset_import(path=large, restore=True).created == len(many)
    assert len(seven) == len(three) == RESTORE_QUERIES[connection.vendor]
