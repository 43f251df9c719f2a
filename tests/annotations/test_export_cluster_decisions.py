"""Editors' cluster decisions and the clusters themselves survive an export and an import: every format
says, beside a quote's cluster, whether an editor placed it there or took it out (``cluster_fixed``), the
import restores it, and imported quotes get fingerprints and clusters as ingested ones do."""

from __future__ import annotations

import json

import pytest

from annotations.imports.importer import dataset_import
from corpus import clusters
from corpus.models import Quote, QuoteCluster, QuoteFingerprint
from tests.annotations.test_export_clusters import COST, REPO, _export, _membership, _table, _wipe_all
from tests.api.conftest import make_user
from tests.api.test_w3c import assert_valid_annotation, wpt  # noqa: F401
from tests.corpus.test_clusters import WALL, _ingest, _quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(db):
    """Two clusters an editor merged, a quote they then took out again, and quotes the machine placed."""
    a = _ingest("https://a.example/1", WALL, "2026-03-03T08:00:00Z")
    _ingest("https://b.example/2", f"Monday. {WALL}", "2026-03-02T08:00:00Z")
    c = _ingest("https://c.example/3", COST)
    _ingest("https://d.example/4", f"Later. {COST.replace('said Tom Reyes', 'Reyes said')}")
    e = _ingest("https://e.example/5", f"Again. {COST}")
    _ingest("https://f.example/6", f"Friday. {WALL}")
    editor = make_user("editor")
    wall, cost = _quote(a, "We cannot wait").cluster, _quote(c, "sea wall will cost").cluster
    merged = clusters.quote_clusters_merge(
        target=wall, expected_version=wall.version, sources=[cost], actor=editor
    )
    out = _quote(e, "sea wall will cost")
    clusters.quote_cluster_split(cluster=merged, expected_version=merged.version, quotes=[out], actor=editor)
    _ingest("https://g.example/7", f"Sunday. {WALL}")  # placed by the machine after the editor's decisions
    fixed = dict(Quote.objects.values_list("id", "cluster_fixed"))
    assert any(fixed.values()) and not all(fixed.values())
    assert Quote.objects.get(pk=out.pk).cluster_id is None
    return merged


def _rows() -> list[tuple]:
    """Every quote as the import must give it back: id, cluster and the editor's mark."""
    return sorted(Quote.objects.values_list("id", "cluster_id", "cluster_fixed"))


def test_jsonl_quotes_say_whether_an_editor_fixed_their_cluster(tmp_path, decided):
    out = _export("jsonl", tmp_path / "dataset")
    fixed = dict(Quote.objects.values_list("id", "cluster_fixed"))
    for line in (out / "articles.jsonl").read_text().splitlines():
        for quote in json.loads(line)["quotes"]:
            assert list(quote)[-2:] == ["cluster", "cluster_fixed"]
            assert quote["cluster_fixed"] is fixed[quote["id"]]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_quotes_table_has_cluster_fixed_beside_cluster_id(tmp_path, decided, fmt):
    out = _export(fmt, tmp_path / "tables")
    fixed = dict(Quote.objects.values_list("id", "cluster_fixed"))
    rows = _table(out, fmt, "quotes")
    assert list(rows[0])[-2:] == ["cluster_id", "cluster_fixed"]
    for row in rows:
        value = row["cluster_fixed"]
        if fmt == "csv":
            assert value in ("true", "false")
            value = value == "true"
        assert value is fixed[int(row["id"])]
    package = json.loads(next(out.rglob("datapackage.json")).read_text())
    [quotes] = [r for r in package["resources"] if r["name"] == "quotes"]
    field = next(f for f in quotes["schema"]["fields"] if f["name"] == "cluster_fixed")
    assert field["type"] == "boolean" and field["description"]
    assert "cluster_fixed" in next(out.rglob("README.md")).read_text()
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        assert pq.read_schema(next(out.rglob("quotes.parquet"))).field("cluster_fixed").type == pa.bool_()


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "dataset"), ("csv", "t.zip"), ("parquet", "p")])
def test_an_import_restores_the_editors_decisions(tmp_path, decided, fmt, name):
    before, membership = _rows(), _membership()
    first = _export(fmt, tmp_path / "first" / name)
    _wipe_all()
    result = dataset_import(path=first)
    assert result.errors == []
    assert _rows() == before
    assert _membership() == membership


def _strip_clusters(folder) -> None:
    """The export as a dataset without clusters would be (an older export, or clusters left out)."""
    path = folder / "articles.jsonl"
    lines = []
    for line in path.read_text().splitlines():
        record = json.loads(line)
        for quote in record["quotes"]:
            quote.pop("cluster", None)
            quote.pop("cluster_fixed", None)
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n")
    (folder / "manifest.json").unlink()  # its checksums are of the file as exported


def test_imported_quotes_are_clustered_as_ingest_clusters_them(tmp_path, db):
    """An export → import into an empty database gives the same clusters, found by the machine from the
    imported quotes' own fingerprints when the dataset names none."""
    for i, body in enumerate([WALL, f"Monday. {WALL}", COST, f"Later. {COST}", f"Friday. {WALL}"]):
        _ingest(f"https://s.example/{i}", body, f"2026-03-0{i + 1}T08:00:00Z")
    membership = _membership()
    assert len(membership) == 2
    first = _export("jsonl", tmp_path / "first")
    _strip_clusters(first)
    _wipe_all()
    assert not QuoteFingerprint.objects.exists()
    result = dataset_import(path=first)
    assert result.errors == []
    assert _membership() == membership
    assert QuoteFingerprint.objects.exists()


def test_an_article_ingested_after_an_import_joins_the_imported_cluster(tmp_path, decided):
    first = _export("jsonl", tmp_path / "first")
    _wipe_all()
    assert dataset_import(path=first).errors == []
    cluster = QuoteCluster.objects.get(pk=decided.pk)
    size = cluster.size
    late = _ingest("https://late.example/1", f"Tonight. {WALL}")
    assert _quote(late, "We cannot wait").cluster_id == cluster.pk
    cluster.refresh_from_db()
    assert cluster.size == size + 1


def _w3c_quotes(folder) -> dict[int, dict]:
    """The W3C export's quote annotations, by quote id."""
    document = json.loads((folder / "annotations.jsonld").read_text())
    return {
        int(item["id"].split("/api/quotes/")[1].split("/")[0]): item
        for item in document["first"]["items"]
        if item["motivation"] == "identifying"
    }


def test_w3c_quotes_say_whether_an_editor_fixed_their_cluster_and_pass_the_wpt_schemas(
    tmp_path,
    decided,
    wpt,  # noqa: F811
):
    fixed = dict(Quote.objects.values_list("id", "cluster_fixed"))
    quotes = _w3c_quotes(_export("w3c", tmp_path / "w3c"))
    assert set(quotes) == set(fixed)
    for pk, item in quotes.items():
        # Always said, as ``verified`` is: false is a fact too (the machine placed it, or nobody did).
        assert item["clusterFixed"] is fixed[pk]
        assert_valid_annotation(wpt, item)
    # An editor's decision stands on quotes in a cluster and on a quote taken out of every cluster.
    assert any(item["clusterFixed"] and "quoteCluster" not in item for item in quotes.values())
    assert any(item["clusterFixed"] and "quoteCluster" in item for item in quotes.values())
    context = json.loads((REPO / "annotations" / "static" / "annotations" / "context.jsonld").read_text())
    assert context["@context"]["clusterFixed"] == {
        "@id": "nd:clusterFixed",
        "@type": "http://www.w3.org/2001/XMLSchema#boolean",
    }


def test_w3c_cluster_decisions_are_the_same_after_an_export_and_an_import(tmp_path, decided):
    """The W3C export's clusterFixed and quoteCluster say what the JSONL's cluster_fixed and cluster
    say, and an import of that JSONL gives them back: the W3C export after it says the same."""
    before = _w3c_quotes(_export("w3c", tmp_path / "w3c-before"))
    dataset = _export("jsonl", tmp_path / "dataset")
    for line in (dataset / "articles.jsonl").read_text().splitlines():
        for quote in json.loads(line)["quotes"]:
            item = before[quote["id"]]
            assert item["clusterFixed"] is quote["cluster_fixed"]
            assert item.get("quoteCluster", "").endswith(f"/api/quote-clusters/{quote['cluster']}/") or (
                quote["cluster"] is None and "quoteCluster" not in item
            )
    _wipe_all()
    assert dataset_import(path=dataset).errors == []
    after = _w3c_quotes(_export("w3c", tmp_path / "w3c-after"))

    def decisions(items: dict[int, dict]) -> dict[int, tuple]:
        return {pk: (item["clusterFixed"], item.get("quoteCluster")) for pk, item in items.items()}

    assert decisions(after) == decisions(before)
