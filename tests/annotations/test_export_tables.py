"""CSV and Parquet exports: the flat tables, their types, reproducible bytes and a manifest that checks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.exports.bundle import ByteQueue, ZipTarget
from annotations.exports.pipeline import FORMATS, export_steps
from annotations.exports.selection import ExportOptions, Selection
from annotations.exports.tables import TABLES
from corpus.models import Quote
from tests.factories import AnnotationFactory, TagFactory

pytestmark = pytest.mark.django_db

TABLE_NAMES = [t.name for t in TABLES]


def _export(tmp_path, fmt: str, name: str, *extra: str):
    out = tmp_path / name
    call_command("export", "--format", fmt, "--output", str(out), *extra, verbosity=0)
    return out


def _csv(folder, table: str) -> list[dict]:
    with (folder / table / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_folder_has_every_table_joined_by_ids(tmp_path, corpus):
    folder = _export(tmp_path, "csv", "tables")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*TABLE_NAMES, "README.md", "datapackage.json", "manifest.json"]
    )
    raw = (folder / "articles" / "articles.csv").read_bytes()
    assert raw.startswith(b"id,url,source,external_id,published_at,language,title,content_hash,text\r\n")
    articles = _csv(folder, "articles")
    assert [int(a["id"]) for a in articles] == [a.pk for a in corpus.articles]
    text = {int(a["id"]): a["text"] for a in articles}
    for paragraph in _csv(folder, "paragraphs"):
        assert (
            text[int(paragraph["article_id"])][int(paragraph["start"]) : int(paragraph["end"])]
            == paragraph["text"]
        )
    for quote in _csv(folder, "quotes"):
        assert text[int(quote["article_id"])][int(quote["start"]) : int(quote["end"])] == quote["text"]
    annotations = {int(a["id"]): a for a in _csv(folder, "annotations")}
    assert corpus.draft.pk not in annotations  # published only by default
    mine = annotations[corpus.published.pk]
    assert (
        mine["tags"] == "claim-statistic" and mine["author"] == "ed" and mine["note"] == "check <this> & that"
    )
    links = _csv(folder, "annotation_tags")
    assert {"annotation_id": str(corpus.published.pk), "tag": "claim-statistic"}.items() <= next(
        row for row in links if row["annotation_id"] == str(corpus.published.pk)
    ).items()
    tag_ids = {row["id"] for row in _csv(folder, "tags")}
    assert all(row["tag_id"] in tag_ids for row in links)
    [claim] = _csv(folder, "claims")
    [check] = _csv(folder, "fact_checks")
    [evidence] = _csv(folder, "evidence")
    assert claim["annotation_id"] == str(corpus.published.pk) and check["claim_id"] == claim["id"]
    assert check["verdict"] == "mostly_false" and check["published_at"].endswith("Z")
    assert evidence["fact_check_id"] == check["id"] and evidence["url"] == "https://example.org/a"
    speakers = {row["id"] for row in _csv(folder, "speakers")}
    assert claim["claimant_id"] in speakers
    assert all(q["speaker_id"] in speakers for q in _csv(folder, "quotes") if q["speaker_id"])
    assert all(a["speaker_id"] in speakers for a in _csv(folder, "speaker_aliases"))


def test_csv_zip_is_byte_identical_and_matches_its_manifest(tmp_path, corpus):
    first = _export(tmp_path, "csv", "a.zip")
    second = _export(tmp_path, "csv", "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == [
            "README.md",
            "datapackage.json",
            *(f"{t}/{t}.csv" for t in TABLE_NAMES),
            "manifest.json",
        ]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "csv" and manifest["schema_version"] == "3"
        assert "exported_at" not in json.dumps(manifest)
        for entry in manifest["files"]:
            data = archive.read(entry["name"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
        assert manifest["counts"]["articles"] == 2 and manifest["counts"]["fact_checks"] == 1
        assert manifest["counts"]["annotations"] == len(
            list(csv.DictReader(io.StringIO(archive.read("annotations/annotations.csv").decode())))
        )


def test_parquet_tables_are_typed_and_byte_identical(tmp_path, corpus):
    first = _export(tmp_path, "parquet", "a.zip")
    second = _export(tmp_path, "parquet", "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        tables = {t: pq.read_table(io.BytesIO(archive.read(f"{t}/{t}.parquet"))) for t in TABLE_NAMES}
        metadata = pq.read_metadata(io.BytesIO(archive.read("annotations/annotations.parquet")))
    assert metadata.created_by.startswith("parquet-cpp-arrow")
    annotations = tables["annotations"]
    assert annotations.schema.field("id").type == pa.int64()
    assert annotations.schema.field("start").type == pa.int64() and annotations.schema.field("start").nullable
    assert annotations.schema.field("tags").type == pa.list_(pa.string())
    assert tables["fact_checks"].schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert tables["quotes"].schema.field("verified").type == pa.bool_()
    rows = {row["id"]: row for row in annotations.to_pylist()}
    assert rows[corpus.published.pk]["tags"] == ["claim-statistic"]
    assert rows[corpus.published.pk]["author"] == "ed"
    # An empty table keeps its columns.
    assert tables["articles"].num_rows == 2


def test_parquet_row_groups_are_bounded_in_rows_and_bytes(tmp_path, corpus, monkeypatch):
    from annotations.exports import parquet

    # The seeds' quote count moves as attribution improves; what is pinned is how the rows are grouped.
    quotes = Quote.objects.count()
    assert quotes > 40, "enough rows for three groups of 20"

    def groups(name: str) -> list[int]:
        metadata = pq.read_metadata(tmp_path / name / "quotes" / "quotes.parquet")
        assert metadata.num_rows == quotes
        return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]

    def bounded(size: int) -> list[int]:
        return [size] * (quotes // size) + ([quotes % size] if quotes % size else [])

    # Chunks of 10 rows gather into one row group while under both bounds...
    _export(tmp_path, "parquet", "whole", "--chunk-size", "10")
    assert groups("whole") == [quotes]
    # ...a group is written once it holds ROW_GROUP_ROWS rows...
    monkeypatch.setattr(parquet, "ROW_GROUP_ROWS", 20)
    _export(tmp_path, "parquet", "rows", "--chunk-size", "10")
    assert groups("rows") == bounded(20)
    # ...or ROW_GROUP_BYTES of column data, and the rows read back the same.
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 1)
    _export(tmp_path, "parquet", "bytes", "--chunk-size", "10")
    assert groups("bytes") == bounded(10)
    assert (
        pq.read_table(tmp_path / "bytes" / "quotes" / "quotes.parquet").to_pylist()
        == pq.read_table(tmp_path / "whole" / "quotes" / "quotes.parquet").to_pylist()
    )


def _written(table, chunk_size: int) -> pq.ParquetFile:
    from annotations.exports import parquet

    stream = io.BytesIO()
    steps = parquet.write_table(table, None, stream, chunk_size=chunk_size)
    while True:
        try:
            next(steps)
        except StopIteration:
            break
    return pq.ParquetFile(io.BytesIO(stream.getvalue()))


@pytest.mark.django_db(False)
def test_a_parquet_row_group_holds_at_most_4_mb_of_column_data_and_the_table_reads_back_the_same(
    monkeypatch,
):
    """A large export's memory holds one row group's columns (its peak at 100,000 articles was 194 MB
    with groups of up to 8 MB): 6 MB of article text goes into two groups, and the file reads back with
    the schema and rows of one written in a single group."""
    from annotations.exports import parquet
    from annotations.exports.tables import INT, STR, Table

    rows = [(pk, f"{pk:06d} " + "Ünïcødé text 👩🏽‍🔬 " * 3000) for pk in range(60)]
    chunks = [rows[start : start + 10] for start in range(0, len(rows), 10)]
    assert 5 * 2**20 < sum(len(text.encode()) for _, text in rows) < 8 * 2**20
    table = Table("articles", (("id", INT), ("text", STR)), lambda selection, size: iter(chunks))

    bounded = _written(table, 10)
    # Chunks of about 1 MB: a group is written once it holds 4 MB, here after five of them.
    metadata = bounded.metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [50, 10]
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", 2**30)
    whole = _written(table, 10)
    assert whole.metadata.num_row_groups == 1
    assert bounded.schema_arrow.equals(whole.schema_arrow, check_metadata=True)
    assert (
        bounded.read().to_pylist()
        == whole.read().to_pylist()
        == [{"id": pk, "text": text} for pk, text in rows]
    )


def _queries_and_chunks(fmt: str, chunk_size: int) -> tuple[int, int]:
    steps = export_steps(
        fmt=fmt, options=ExportOptions(), target=ZipTarget(ByteQueue()), chunk_size=chunk_size
    )
    chunks = 0
    with CaptureQueriesContext(connection) as ctx:
        while True:
            try:
                next(steps)
            except StopIteration:
                break
            chunks += 1
    return len(ctx.captured_queries), chunks


def _articles_with_work(count: int) -> None:
    from annotations import services

    for _ in range(count):
        annotation = AnnotationFactory(tags=["claim"])
        services.claim_create(
            article=annotation.article, text="A claim.", created_by=annotation.author, annotation=annotation
        )


@pytest.mark.parametrize("fmt", ["csv", "parquet", "w3c", "claimreview", "jsonl"])
def test_queries_do_not_grow_with_rows(fmt):
    TagFactory(slug="claim")
    _articles_with_work(4)
    few, _ = _queries_and_chunks(fmt, 10_000)
    _articles_with_work(8)
    many, _ = _queries_and_chunks(fmt, 10_000)
    assert few == many  # 4 or 12 articles in one chunk: the same queries


@pytest.mark.parametrize("fmt", ["csv", "parquet", "w3c", "jsonl"])
def test_queries_grow_with_chunks_only(fmt):
    TagFactory(slug="claim")
    _articles_with_work(12)
    queries, chunks = _queries_and_chunks(fmt, 3)
    assert chunks >= 4
    # At most 4 queries per chunk read (paged reads plus their prefetches), and one extra read per
    # table that finds its last page full.
    entries = len(FORMATS[fmt].entries(Selection(ExportOptions()), chunk_size=3))
    assert queries <= 4 * (chunks + entries) + 3


def test_tabular_formats_refuse_stdout():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"folder or a \.zip"):
        call_command("export", "--format", "csv", "--output", "-")


def test_formats_registry_is_complete():
    assert sorted(FORMATS) == ["claimreview", "csv", "jsonl", "parquet", "w3c"]
