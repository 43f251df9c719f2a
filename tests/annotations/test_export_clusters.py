"""Quote clusters in the exports: every format names the cluster of each quote (null, or absent in W3C,
when the quote stands alone), and import_dataset recreates the clusters, so export -> import -> export
gives the same bytes and the same membership rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.imports.importer import dataset_import
from corpus.models import Quote, QuoteCluster
from tests.annotations.test_import import _files, _wipe
from tests.corpus.test_clusters import WALL, _ingest

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]

COST = '"The sea wall will cost more than the council admits," said Tom Reyes.'


@pytest.fixture
def clustered(db):
    """Two clusters over four articles, and quotes that stand alone."""
    articles = [
        _ingest("https://a.example/1", WALL, "2026-03-03T08:00:00Z"),
        _ingest("https://b.example/2", f"Monday. {WALL}", "2026-03-02T08:00:00Z"),
        _ingest(
            "https://c.example/3", f'{COST}\n\n"Nobody has asked the fishermen anything at all," he said.'
        ),
        _ingest("https://d.example/4", f"Later. {COST.replace('said Tom Reyes', 'Reyes said')}"),
        _ingest("https://e.example/5", '"We have no money for anything this year at all," said Anna Berg.'),
    ]
    assert QuoteCluster.objects.count() == 2
    assert Quote.objects.filter(cluster__isnull=True).exists()
    return articles


def _membership() -> list[tuple]:
    """Each cluster as what it is, ids aside: its quotes (article url and span), its first appearance,
    size, articles and whether its speakers disagree."""
    rows = []
    for cluster in QuoteCluster.objects.select_related("first_quote__article"):
        members = sorted((q.article.url, q.start, q.end) for q in cluster.quotes.select_related("article"))
        first = (cluster.first_quote.article.url, cluster.first_quote.start)
        rows.append((tuple(members), first, cluster.size, cluster.articles, cluster.speakers_disagree))
    return sorted(rows)


def _clusters_by_quote() -> dict[int, int | None]:
    return dict(Quote.objects.values_list("id", "cluster_id"))


def _export(fmt: str, out, *extra: str):
    """jsonl and w3c into a folder when ``out`` has no suffix, as the tables always are."""
    name = str(out) + ("/" if fmt in ("jsonl", "w3c") and not out.suffix else "")
    call_command("export", "--format", fmt, "--output", name, "--include-drafts", *extra, verbosity=0)
    return out


def test_jsonl_quotes_name_their_cluster(tmp_path, clustered):
    out = _export("jsonl", tmp_path / "dataset")
    expected = _clusters_by_quote()
    seen = []
    for line in (out / "articles.jsonl").read_text().splitlines():
        for quote in json.loads(line)["quotes"]:
            assert list(quote)[-2:] == ["cluster", "cluster_fixed"]
            assert quote["cluster"] == expected[quote["id"]]
            seen.append(quote["cluster"])
    assert None in seen and len({c for c in seen if c is not None}) == 2


def _table(out, fmt: str, name: str) -> list[dict]:
    path = next(p for p in out.rglob(f"{name}.{fmt}"))
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_quotes_table_has_a_cluster_id(tmp_path, clustered, fmt):
    out = _export(fmt, tmp_path / "tables")
    expected = _clusters_by_quote()
    rows = _table(out, fmt, "quotes")
    assert list(rows[0])[-2:] == ["cluster_id", "cluster_fixed"]
    for row in rows:
        cluster = row["cluster_id"]
        if fmt == "csv":
            cluster = int(cluster) if cluster else None
        assert cluster == expected[int(row["id"])]
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(next(out.rglob("quotes.parquet")))
        assert schema.field("cluster_id").type == pa.int64()


def test_w3c_quotes_name_their_cluster_by_iri(tmp_path, clustered):
    out = _export("w3c", tmp_path / "w3c")
    document = json.loads((out / "annotations.jsonld").read_text())
    expected = _clusters_by_quote()
    quotes = [item for item in document["first"]["items"] if item["motivation"] == "identifying"]
    assert quotes
    for item in quotes:
        pk = int(item["id"].split("/api/quotes/")[1].split("/")[0])
        if expected[pk] is None:
            assert "quoteCluster" not in item
        else:
            assert item["quoteCluster"].endswith(f"/api/quote-clusters/{expected[pk]}/")
    context = json.loads((REPO / "annotations" / "static" / "annotations" / "context.jsonld").read_text())
    assert context["@context"]["quoteCluster"] == {"@id": "nd:quoteCluster", "@type": "@id"}


def _wipe_all() -> None:
    _wipe()
    QuoteCluster.objects.all().delete()


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "dataset"), ("csv", "t.zip"), ("parquet", "p")])
def test_export_import_export_keeps_the_clusters(tmp_path, clustered, fmt, name):
    before_rows = _membership()
    first = _export(fmt, tmp_path / "first" / name)
    before = _files(first)
    _wipe_all()
    result = dataset_import(path=first)
    assert result.errors == [] and result.created == len(clustered)
    assert _membership() == before_rows
    second = _export(fmt, tmp_path / "second" / name)
    assert _files(second) == before


def test_into_a_database_with_other_clusters_the_clusters_come_back_and_the_same_words_join(
    tmp_path, clustered
):
    before_rows = _membership()
    first = _export("jsonl", tmp_path / "first")
    _wipe_all()
    # Someone else's clusters take the ids the export had.
    _ingest("https://x.example/1", COST)
    _ingest("https://y.example/2", f"Again. {COST}")
    other = set(QuoteCluster.objects.values_list("id", flat=True))
    result = dataset_import(path=first)
    assert result.errors == []
    after = _membership()

    def holding(url: str, rows: list) -> list:
        return [row for row in rows if url in {member[0] for member in row[0]}]

    assert holding("https://a.example/1", after) == holding("https://a.example/1", before_rows)
    # The same words were in the database already: the imported quotes join that cluster, as ingesting
    # the articles would have.
    [cost] = holding("https://c.example/3", after)
    assert {member[0] for member in cost[0]} == {
        "https://c.example/3",
        "https://d.example/4",
        "https://x.example/1",
        "https://y.example/2",
    }
    assert other <= set(QuoteCluster.objects.values_list("id", flat=True))


def test_a_cluster_of_one_article_in_the_dataset_is_not_recreated(tmp_path, clustered):
    """An export of one article names the clusters its quotes are in; alone, they are no cluster."""
    first = _export("jsonl", tmp_path / "one", "--article", str(clustered[0].pk))
    line = json.loads((first / "articles.jsonl").read_text())
    assert any(q["cluster"] is not None for q in line["quotes"])
    _wipe_all()
    result = dataset_import(path=first)
    assert result.errors == [] and result.created == 1
    assert not QuoteCluster.objects.exists()
    assert not Quote.objects.filter(cluster__isnull=False).exists()
