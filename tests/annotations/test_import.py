"""import_dataset: an export comes back without loss, merges instead of duplicating, and refuses bad
input per article with the line and field named."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.imports.importer import dataset_import
from annotations.models import Annotation, Claim, FactCheck, Tag
from corpus.models import Article, Paragraph, Quote, QuoteCluster, Source, Speaker
from tests.annotations.datasets import article_lines, rewrite_articles

pytestmark = pytest.mark.django_db


def _wipe() -> None:
    """An empty corpus (users stay): what a fresh database holds before an import."""
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


def _files(path: Path) -> dict[str, bytes]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def _export(fmt: str, out: Path, *extra: str) -> Path:
    """Drafts included: an import must bring back everything, not only what is public."""
    folder = fmt == "jsonl" and not out.suffix
    call_command(
        "export",
        "--format",
        fmt,
        "--output",
        str(out) + ("/" if folder else ""),
        "--include-drafts",
        *extra,
        verbosity=0,
    )
    return out


@pytest.mark.parametrize(
    ("fmt", "name"), [("jsonl", "dataset"), ("jsonl", "dataset.zip"), ("csv", "t.zip"), ("parquet", "p")]
)
def test_export_import_export_gives_the_same_bytes(tmp_path, corpus, fmt, name):
    first = _export(fmt, tmp_path / "first" / name)
    before = _files(first)
    _wipe()
    result = dataset_import(path=first)
    assert result.errors == [] and result.created == 2
    second = _export(fmt, tmp_path / "second" / name)
    after = _files(second)
    assert sorted(after) == sorted(before)
    for file_name, data in before.items():
        assert after[file_name] == data, file_name


def test_jsonl_file_with_companions_round_trips(tmp_path, corpus):
    first = _export("jsonl", tmp_path / "a" / "corpus.jsonl")
    before = {p.name: p.read_bytes() for p in first.parent.iterdir()}
    _wipe()
    call_command("import_dataset", str(first), verbosity=0)
    second = _export("jsonl", tmp_path / "b" / "corpus.jsonl")
    assert {p.name: p.read_bytes() for p in second.parent.iterdir()} == before
    speaker = Speaker.objects.get(pk=corpus.claim.claimant_id)
    assert speaker.aliases.exists() and speaker.description
    assert Tag.objects.get(slug="claim-statistic").parent.slug == "claim"


def test_importing_twice_merges(tmp_path, corpus):
    path = _export("jsonl", tmp_path / "dataset")
    counts = (
        Article.objects.count(),
        Annotation.objects.count(),
        Quote.objects.count(),
        Claim.objects.count(),
    )
    result = dataset_import(path=path)
    assert result.created == 0 and result.merged == 2 and result.errors == []
    assert counts == (
        Article.objects.count(),
        Annotation.objects.count(),
        Quote.objects.count(),
        Claim.objects.count(),
    )


def test_missing_authors_are_created_inactive(tmp_path, corpus):
    path = _export("jsonl", tmp_path / "dataset")
    _wipe()
    Annotation.objects.all().delete()
    get_user_model().objects.filter(username__in=["ed", "rev"]).delete()
    dataset_import(path=path)
    users = get_user_model().objects.filter(username__in=["ed", "rev"])
    assert users.count() == 2 and not any(u.is_active or u.has_usable_password() for u in users)


def test_a_truncated_line_fails_alone(tmp_path, corpus):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    rewrite_articles(path, [lines[0][: len(lines[0]) // 2] + "\n", lines[1]])
    _wipe()
    result = dataset_import(path=path)
    assert result.created == 1 and result.failed == 1
    assert result.errors[0].startswith("articles.jsonl line 1: not a complete JSON object")
    assert list(Article.objects.values_list("pk", flat=True)) == [corpus.articles[1].pk]


def test_a_span_that_does_not_match_writes_nothing_of_its_article(tmp_path, corpus):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    record = json.loads(lines[1])
    record["annotations"][-1]["exact"] = "words that are not there"
    rewrite_articles(path, [lines[0], json.dumps(record) + "\n"])
    _wipe()
    with pytest.raises(CommandError, match="1 article"):
        call_command("import_dataset", str(path), verbosity=0)
    result_articles = list(Article.objects.values_list("pk", flat=True))
    assert result_articles == [corpus.articles[0].pk]
    assert not Quote.objects.filter(article_id=corpus.articles[1].pk).exists()
    errors = dataset_import(path=path).errors
    assert (
        errors
        == [
            f"articles.jsonl line 2: field 'annotations[{len(record['annotations']) - 1}].exact': does not match "
            f"text[{record['annotations'][-1]['start']}:{record['annotations'][-1]['end']}]; nothing of this article was written."
        ]
        or "annotations[" in errors[0]
    )


def test_an_unknown_schema_version_is_refused(tmp_path, corpus):
    path = _export("jsonl", tmp_path / "dataset")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["schema_version"] = "99"
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"manifest.json: field 'schema_version': '99'"):
        call_command("import_dataset", str(path), verbosity=0)


def test_a_changed_file_is_refused(tmp_path, corpus):
    path = _export("csv", tmp_path / "tables")
    with (path / "claims" / "claims.csv").open("a") as stream:
        stream.write("99,1,x,,,\r\n")
    with pytest.raises(CommandError, match=r"claims/claims\.csv: its SHA-256 differs"):
        call_command("import_dataset", str(path), verbosity=0)


def test_text_none_rebuilds_on_a_database_that_holds_the_texts(tmp_path, corpus):
    path = _export("csv", tmp_path / "shared.zip", "--text", "none")
    annotations, claims = Annotation.objects.count(), Claim.objects.count()
    # The holder of the texts has the articles but not the editors' work.
    FactCheck.objects.all().delete()
    Claim.objects.all().delete()
    Annotation.objects.filter(origin="editor").delete()
    result = dataset_import(path=path)
    assert result.errors == [] and result.merged == 2
    assert Annotation.objects.count() == annotations and Claim.objects.count() == claims
    placed = Annotation.objects.get(note=corpus.published.note)
    assert (placed.start, placed.end, placed.exact) == (
        corpus.published.start,
        corpus.published.end,
        corpus.published.exact,
    )
    _wipe()
    result = dataset_import(path=path)
    assert result.created == 0 and result.failed == 2
    assert "field 'text': this export carries no text" in result.errors[0]


def test_import_into_a_database_with_other_data_gets_new_ids(tmp_path, corpus):
    path = _export("jsonl", tmp_path / "dataset")
    shutil.copytree(path, tmp_path / "copy")
    _wipe()
    call_command("ingest", str(Path(__file__).resolve().parents[2] / "seeds" / "articles"), verbosity=0)
    result = dataset_import(path=tmp_path / "copy")
    assert result.errors == [] and result.merged == 2
