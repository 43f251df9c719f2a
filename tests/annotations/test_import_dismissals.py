"""Check-worthy dismissals (an editor's "not worth checking" for a suggested sentence) travel with the
dataset: every export that import_dataset reads carries them (schema version 3), and the import brings
them back, with who dismissed them and when, without a duplicate when the article already has them."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from annotations import services
from annotations.exports.records import SCHEMA_VERSION
from annotations.imports.importer import dataset_import
from annotations.models import CheckWorthyDismissal
from corpus.models import Article
from tests.annotations.test_import import _export, _files, _wipe
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 3, 9, 30, 15, tzinfo=UTC)


@pytest.fixture
def dismissed(corpus):
    """Two suggestions of the seed articles dismissed by an editor, at a known moment."""
    desk = UserFactory(username="desk", groups=["Editor"])
    texts = []
    for article in corpus.articles:
        for suggestion in services.checkworthy_suggestions(article=article)[:2]:
            services.checkworthy_dismiss(
                article=article, start=suggestion.start, end=suggestion.end, actor=desk
            )
            texts.append((article.url, suggestion.text))
    assert len(texts) >= 2
    CheckWorthyDismissal.objects.update(dismissed_at=WHEN)
    return texts


def _seed_articles():
    return list(Article.objects.order_by("id"))


def _held() -> set[tuple]:
    return set(
        CheckWorthyDismissal.objects.values_list(
            "article__url", "text", "dismissed_by__username", "dismissed_at"
        )
    )


def test_the_jsonl_record_lists_the_dismissals(tmp_path, dismissed):
    out = _export("jsonl", tmp_path / "d")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["schema_version"] == SCHEMA_VERSION == "3"
    assert manifest["counts"]["checkworthy_dismissals"] == len(dismissed)
    records = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    assert list(records[0])[-1] == "checkworthy_dismissals"
    listed = {
        (r["url"], d["text"], d["dismissed_by"], d["dismissed_at"])
        for r in records
        for d in r["checkworthy_dismissals"]
    }
    assert listed == {(url, text, "desk", "2026-11-03T09:30:15Z") for url, text in dismissed}


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "dataset"), ("csv", "t.zip"), ("parquet", "p")])
def test_dismissals_come_back_and_stay_dismissed(tmp_path, dismissed, fmt, name):
    before = _held()
    first = _export(fmt, tmp_path / "first" / name)
    exported = _files(first)
    _wipe()
    assert not CheckWorthyDismissal.objects.exists()
    result = dataset_import(path=first)
    assert result.errors == [] and result.counts["dismissals"] == len(dismissed)
    assert _held() == before
    for article in _seed_articles():
        texts = {s.text for s in services.checkworthy_suggestions(article=article)}
        assert not texts & {text for _, text in dismissed}
    # The same bytes again, dismissals included.
    assert _files(_export(fmt, tmp_path / "second" / name)) == exported
    # Imported again over itself: merged, nothing doubled or changed.
    again = dataset_import(path=first)
    assert again.errors == [] and again.merged == 2 and _held() == before


def test_a_dismissal_without_its_editor_is_refused_with_the_field(tmp_path, dismissed):
    out = _export("jsonl", tmp_path / "d")
    records = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    record = next(r for r in records if r["checkworthy_dismissals"])
    record["checkworthy_dismissals"][0]["dismissed_by"] = None
    (tmp_path / "bad.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
    _wipe()
    result = dataset_import(path=tmp_path / "bad.jsonl")
    assert result.created == 0 and result.failed == 1
    assert "checkworthy_dismissals[0].dismissed_by" in result.errors[0]


def test_an_export_of_version_2_has_none_and_imports(tmp_path, dismissed):
    out = _export("jsonl", tmp_path / "d")
    lines = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    for record in lines:
        del record["checkworthy_dismissals"]
    (tmp_path / "old.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    _wipe()
    result = dataset_import(path=tmp_path / "old.jsonl")
    assert result.errors == [] and result.created == 2
    assert not CheckWorthyDismissal.objects.exists()


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "dataset"), ("csv", "t.zip"), ("parquet", "p")])
def test_text_none_dismissals_are_placed_by_their_offsets(tmp_path, dismissed, fmt, name):
    """Exported without their words, dismissals carry where the words are (code points into the text):
    the holder of the texts gets them back from its own articles."""
    before = _held()
    path = _export(fmt, tmp_path / name, "--text", "none")
    CheckWorthyDismissal.objects.all().delete()
    result = dataset_import(path=path)
    assert result.errors == [] and result.merged == 2
    assert result.counts["dismissals"] == len(dismissed) and _held() == before


def test_text_none_jsonl_gives_offsets_and_no_words(tmp_path, dismissed):
    out = _export("jsonl", tmp_path / "d", "--text", "none")
    records = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    texts = {a.url: a.text for a in _seed_articles()}
    placed = {
        (r["url"], texts[r["url"]][d["start"] : d["end"]])
        for r in records
        for d in r["checkworthy_dismissals"]
        if d["text"] is None
    }
    assert placed == set(dismissed)


def _text_none_record(tmp_path, change) -> tuple:
    out = _export("jsonl", tmp_path / "d", "--text", "none")
    lines = (out / "articles.jsonl").read_text().splitlines()
    number, record = next(
        (n, json.loads(line)) for n, line in enumerate(lines, 1) if json.loads(line)["checkworthy_dismissals"]
    )
    change(record["checkworthy_dismissals"][0])
    lines[number - 1] = json.dumps(record, ensure_ascii=False)
    (tmp_path / "bad.jsonl").write_text("".join(line + "\n" for line in lines))
    CheckWorthyDismissal.objects.all().delete()
    return dataset_import(path=tmp_path / "bad.jsonl"), number


def test_a_dismissal_with_neither_words_nor_offsets_is_refused_naming_file_line_and_field(
    tmp_path, dismissed
):
    result, number = _text_none_record(tmp_path, lambda item: item.update(start=None, end=None))
    assert result.failed == 1 and result.merged == 1
    (error,) = result.errors
    assert f"bad.jsonl line {number}" in error
    assert "checkworthy_dismissals[0].text" in error and "neither its words nor their offsets" in error


def test_a_dismissal_with_offsets_outside_the_text_is_refused(tmp_path, dismissed):
    result, number = _text_none_record(tmp_path, lambda item: item.update(start=10**7, end=10**7 + 5))
    (error,) = result.errors
    assert f"bad.jsonl line {number}" in error and "checkworthy_dismissals[0].start" in error
    assert "not a span of the text" in error


def test_text_none_dismissals_of_an_article_not_here_are_refused_with_the_article(tmp_path, dismissed):
    path = _export("jsonl", tmp_path / "d", "--text", "none")
    _wipe()
    result = dataset_import(path=path)
    assert result.created == 0 and result.failed == 2
    assert "articles.jsonl line 1: field 'text': this export carries no text" in result.errors[0]
    assert not CheckWorthyDismissal.objects.exists()


def test_the_command_imports_text_none_dismissals_and_says_how_many(tmp_path, dismissed):
    path = _export("csv", tmp_path / "t.zip", "--text", "none")
    CheckWorthyDismissal.objects.all().delete()
    out = io.StringIO()
    call_command("import_dataset", str(path), stdout=out)
    assert f"{len(dismissed)} dismissals" in out.getvalue()
    assert CheckWorthyDismissal.objects.count() == len(dismissed)
