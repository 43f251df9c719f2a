"""csv and parquet exports load typed with the tools data users reach for: every table with pandas,
pyarrow, DuckDB and Hugging Face ``datasets`` one-liners, pointed at the table's own folder; the csv
types travel in ``datapackage.json`` (checked with frictionless) and in the dataset card's features."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations import services
from annotations.exports.tables import BOOL, INT, LIST, STR, TABLES, TS
from annotations.models import CheckWorthyDismissal
from corpus.ingest.readers import ArticleInput
from corpus.services import article_ingest

pytestmark = pytest.mark.django_db

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")

PYARROW = {
    INT: pa.int64(),
    STR: pa.string(),
    BOOL: pa.bool_(),
    TS: pa.timestamp("us", tz="UTC"),
    LIST: pa.list_(pa.string()),
}
DUCKDB_PARQUET = {
    INT: "BIGINT",
    STR: "VARCHAR",
    BOOL: "BOOLEAN",
    TS: "TIMESTAMP WITH TIME ZONE",
    LIST: "VARCHAR[]",
}


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path):
    """``datasets`` never reaches the network here, and caches under the test's folder."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf" / "datasets"))


@pytest.fixture
def rich(corpus):
    """The annotated seed corpus and an article known by source and an id with leading zeros, dated."""
    article_ingest(
        record=ArticleInput(
            raw=b'Harbour works\n\n"We will rebuild it by spring," said Mayor Jane Smith.\n',
            body='Harbour works\n\n"We will rebuild it by spring," said Mayor Jane Smith.\n',
            source="Wire",
            external_id="00123",
            published_at=datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
            origin="test",
        )
    )
    # Every table holds a row (a loader given an empty table has no types to read): a dismissal too.
    article, suggestion = next(
        (a, s[0]) for a in corpus.articles if (s := services.checkworthy_suggestions(article=a))
    )
    CheckWorthyDismissal.objects.create(article=article, text=suggestion.text, dismissed_by=corpus.editor)
    return corpus


def _export(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / fmt
    call_command("export", "--format", fmt, "--output", str(out), "--include-drafts", verbosity=0)
    return out


def _load_dataset(folder: Path, config: str, tmp_path: Path):
    datasets = pytest.importorskip("datasets")
    return datasets.load_dataset(str(folder), config, split="train", cache_dir=str(tmp_path / "hf-cache"))


def _check_external_ids(values) -> None:
    assert "00123" in [value for value in values if isinstance(value, str)]


def test_one_folder_per_table_and_the_descriptions_beside_them(tmp_path, rich):
    for fmt, extension in (("csv", ".csv"), ("parquet", ".parquet")):
        out = _export(tmp_path, fmt)
        assert sorted(p.name for p in out.iterdir()) == sorted(
            ["README.md", "datapackage.json", "manifest.json", *(t.name for t in TABLES)]
        )
        for table in TABLES:
            assert [p.name for p in (out / table.name).iterdir()] == [f"{table.name}{extension}"]
        manifest = json.loads((out / "manifest.json").read_text())
        assert [f["name"] for f in manifest["files"]] == [
            "README.md",
            "datapackage.json",
            *(f"{t.name}/{t.name}{extension}" for t in TABLES),
        ]


def test_parquet_tables_load_typed_with_pandas_pyarrow_duckdb_and_datasets(tmp_path, rich):
    out = _export(tmp_path, "parquet")
    counts = json.loads((out / "manifest.json").read_text())["counts"]
    for table in TABLES:
        folder = out / table.name

        frame = pd.read_parquet(folder)
        assert list(frame.columns) == table.column_names and len(frame) == counts[table.name]
        for name, kind in table.columns:
            dtype = frame[name].dtype
            if kind == INT:
                assert str(dtype) == "Int64", (table.name, name, dtype)
            elif kind == TS:
                assert str(dtype) == "datetime64[us, UTC]", (table.name, name, dtype)
            elif kind == STR:
                assert pd.api.types.is_string_dtype(dtype), (table.name, name, dtype)
            elif kind == BOOL:
                assert str(dtype) == "bool", (table.name, name, dtype)
            else:
                assert dtype == "object", (table.name, name, dtype)

        arrow = pq.read_table(folder)
        assert [(f.name, f.type) for f in arrow.schema] == [(n, PYARROW[k]) for n, k in table.columns]

        relation = duckdb.read_parquet(f"{folder}/*.parquet")
        assert relation.columns == table.column_names
        assert [str(t) for t in relation.types] == [DUCKDB_PARQUET[k] for _, k in table.columns]
        assert len(relation.fetchall()) == counts[table.name]

        loaded = _load_dataset(out, table.name, tmp_path)
        assert loaded.num_rows == counts[table.name]
        for name, kind in table.columns:
            feature = loaded.features[name]
            if kind == LIST:
                assert getattr(feature, "feature", None) is not None and feature.feature.dtype == "string"
            else:
                assert feature.dtype == str(PYARROW[kind]), (name, feature)

    _check_external_ids(_load_dataset(out, "articles", tmp_path)["external_id"])
    articles = pd.read_parquet(out / "articles")
    _check_external_ids(articles["external_id"])
    quotes = pd.read_parquet(out / "quotes")
    assert quotes["continues_id"].isna().any()  # nullable ints stay ints, with nulls
    text = dict(zip(articles["id"], articles["text"], strict=True))
    for row in quotes.dropna(subset=["start"]).itertuples():
        assert text[row.article_id][row.start : row.end] == row.text  # offsets slice as they are


# The csv types, read from the package descriptor as a user of pandas or DuckDB would.
PANDAS_CSV = {"integer": "Int64", "string": "string", "boolean": "boolean", "list": "string"}
DUCKDB_CSV = {
    "integer": "BIGINT",
    "string": "VARCHAR",
    "boolean": "BOOLEAN",
    "datetime": "TIMESTAMPTZ",
    "list": "VARCHAR",
}
HUGGING_FACE_CSV = {INT: "int64", STR: "string", BOOL: "bool", TS: "timestamp[s, tz=UTC]", LIST: "string"}


def test_csv_tables_load_typed_through_the_datapackage_and_the_card(tmp_path, rich):
    out = _export(tmp_path, "csv")
    package = json.loads((out / "datapackage.json").read_text())
    counts = json.loads((out / "manifest.json").read_text())["counts"]
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == [t.name for t in TABLES]
    for table in TABLES:
        resource = resources[table.name]
        assert resource["path"] == f"{table.name}/{table.name}.csv"
        assert resource["dialect"]["lineTerminator"] == "\r\n"
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == table.column_names
        path = out / resource["path"]

        frame = pd.read_csv(
            path,
            dtype={f["name"]: PANDAS_CSV[f["type"]] for f in fields if f["type"] != "datetime"},
            parse_dates=[f["name"] for f in fields if f["type"] == "datetime"],
            keep_default_na=False,
            na_values=[""],
        )
        assert len(frame) == counts[table.name]
        for (name, kind), field in zip(table.columns, fields, strict=True):
            dtype = str(frame[name].dtype)
            if kind == TS:
                # pandas infers the unit from the text; an all-empty column has nothing to infer from.
                assert (dtype.startswith("datetime64[") and dtype.endswith(", UTC]")) or frame[
                    name
                ].isna().all()
            else:
                assert dtype == PANDAS_CSV[field["type"]], (table.name, name, dtype)

        relation = duckdb.read_csv(
            str(path), header=True, dtype={f["name"]: DUCKDB_CSV[f["type"]] for f in fields}
        )
        assert [str(t) for t in relation.types] == [
            "TIMESTAMP WITH TIME ZONE" if f["type"] == "datetime" else DUCKDB_CSV[f["type"]] for f in fields
        ]
        assert len(relation.fetchall()) == counts[table.name]

        loaded = _load_dataset(out, table.name, tmp_path)
        assert loaded.num_rows == counts[table.name]
        assert {n: loaded.features[n].dtype for n in table.column_names} == {
            n: HUGGING_FACE_CSV[k] for n, k in table.columns
        }
    # The card's configs read every cell as text, so nothing is guessed before the cast to the types of
    # its dataset_info: an all-digit external_id keeps its zeros, a note "NA" stays a note.
    articles = _load_dataset(out, "articles", tmp_path)
    _check_external_ids(articles["external_id"])
    wire = next(row for row in articles if row["external_id"] == "00123")
    assert wire["published_at"] == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    quotes = _load_dataset(out, "quotes", tmp_path)
    assert None in quotes["continues_id"] and all(isinstance(n, int) for n in quotes["id"])


def _card_code(card: str) -> str:
    return card.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_csv_cards_pandas_lines_read_the_declared_types(tmp_path, rich):
    """The dataset card's pandas lines, run as they are written: each column with its type from
    datapackage.json."""
    out = _export(tmp_path, "csv")
    code = _card_code((out / "README.md").read_text()).replace("EXPORT", str(out))
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    articles = scope["articles"]
    assert str(articles["id"].dtype) == "Int64" and str(articles["external_id"].dtype) == "string"
    _check_external_ids(articles["external_id"])
    assert str(articles["published_at"].dtype).startswith("datetime64[")
    for table in TABLES:
        frame = scope["read_table"](table.name)
        for name, kind in table.columns:
            dtype = str(frame[name].dtype)
            if kind == TS:
                assert dtype.startswith("datetime64[") or frame[name].isna().all(), (table.name, name)
            else:
                expected = {INT: "Int64", STR: "string", BOOL: "boolean", LIST: "string"}[kind]
                assert dtype == expected, (table.name, name, dtype)


def test_the_datapackage_is_valid_and_its_keys_hold(tmp_path, rich):
    frictionless = pytest.importorskip("frictionless")
    out = _export(tmp_path, "csv")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(out / "datapackage.json"))
    rows = package.get_resource("articles").read_rows()
    wire = next(row for row in rows if row["external_id"] == "00123")
    assert wire["published_at"] == datetime(2026, 3, 2, 8, 30, tzinfo=wire["published_at"].tzinfo)
    quotes = package.get_resource("quotes").read_rows()
    assert all(isinstance(q["start"], int) for q in quotes if q["start"] is not None)
    parquet = _export(tmp_path, "parquet")
    described = frictionless.Package(str(parquet / "datapackage.json"))
    assert [r.name for r in described.resources] == [t.name for t in TABLES]


def test_a_dataset_card_names_a_configuration_per_table(tmp_path, rich):
    yaml = pytest.importorskip("yaml")
    for fmt in ("csv", "parquet"):
        card = (_export(tmp_path, fmt) / "README.md").read_text()
        front = yaml.safe_load(card.split("---\n")[1])
        assert [c["config_name"] for c in front["configs"]] == [t.name for t in TABLES]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_twice_the_same_bytes_in_every_file(tmp_path, rich, fmt):
    first = _tree(_export(tmp_path / "a", fmt))
    second = _tree(_export(tmp_path / "b", fmt))
    assert first == second and "datapackage.json" in first and "README.md" in first


def test_a_flat_export_of_schema_version_1_still_imports(tmp_path, rich):
    """Exports made before the folders: every table beside the manifest."""
    from annotations.imports.importer import dataset_import
    from corpus.models import Article
    from tests.annotations.test_import import _wipe

    out = _export(tmp_path, "csv")
    manifest = json.loads((out / "manifest.json").read_text())
    files = []
    for entry in manifest["files"]:
        if "/" in entry["name"]:
            table = out / entry["name"]
            table.rename(out / table.name)
            table.parent.rmdir()
            files.append({**entry, "name": table.name})
        else:
            (out / entry["name"]).unlink()
    manifest.update(schema_version="1", files=files)
    (out / "manifest.json").write_text(json.dumps(manifest))
    count = Article.objects.count()
    _wipe()
    result = dataset_import(path=out)
    assert result.errors == [] and result.created == count
