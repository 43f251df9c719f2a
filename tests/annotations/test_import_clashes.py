"""import_dataset keeps the exported ids into an empty database; a dataset that gives one id to two rows
(hand-edited, or two exports pasted together) gets a message naming the file, the line, the field and
the id, never the database's own words, and nothing of the article at fault is written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.imports.importer import dataset_import
from annotations.models import Annotation, Tag
from corpus.models import Article, Paragraph, Quote
from tests.annotations.datasets import article_lines, rewrite_articles
from tests.annotations.test_import_batches import _export, _wipe
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db

RAW = ("UNIQUE constraint", "IntegrityError", "duplicate key", "violates")


@pytest.fixture
def three(corpus):
    """The annotated seed corpus and a third article with an annotation of its own."""
    extra = ArticleFactory()
    AnnotationFactory(article=extra, author=corpus.editor, tags=["claim"], status="published")
    return [*corpus.articles, extra]


def _clean(errors: list[str]) -> None:
    assert not any(word in error for error in errors for word in RAW), errors


def test_two_articles_with_one_id_the_second_is_refused_by_its_line(tmp_path, three):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    first, third = json.loads(lines[0]), json.loads(lines[2])
    third["id"] = first["id"]
    lines[2] = json.dumps(third) + "\n"
    rewrite_articles(path, lines)
    _wipe()
    result = dataset_import(path=path)
    assert result.created == 2 and result.failed == 1
    _clean(result.errors)
    holder = (
        f"article {first['url']}"
        if first["url"]
        else f"the article with content hash {first['content_hash']}"
    )
    assert result.errors == [
        f"articles.jsonl line 3: field 'id': article id {first['id']} is already taken by {holder}; "
        "nothing of this article was written."
    ]
    assert not Article.objects.filter(content_hash=third["content_hash"]).exists()
    assert Paragraph.objects.count() == len(first["paragraphs"]) + len(json.loads(lines[1])["paragraphs"])


def test_a_quote_id_another_article_holds_names_the_quote(tmp_path, three):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    first, second = json.loads(lines[0]), json.loads(lines[1])
    taken = first["quotes"][0]["id"]
    second["quotes"][1]["id"] = taken
    lines[1] = json.dumps(second) + "\n"
    rewrite_articles(path, lines)
    _wipe()
    with pytest.raises(CommandError, match="1 article"):
        call_command("import_dataset", str(path), verbosity=0)
    assert not Article.objects.filter(content_hash=second["content_hash"]).exists()
    assert not Annotation.objects.filter(article_id=second["id"]).exists()
    assert Quote.objects.filter(pk=taken, article_id=first["id"]).exists()
    _wipe()
    result = dataset_import(path=path)
    _clean(result.errors)
    assert result.errors == [
        f"articles.jsonl line 2: field 'quotes[1].id': quote id {taken} is already taken by a quote of "
        f"article {first['id']}; nothing of this article was written."
    ]


def test_one_id_twice_in_one_record(tmp_path, three):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    second = json.loads(lines[1])
    assert len(second["annotations"]) >= 2
    second["annotations"][1]["id"] = second["annotations"][0]["id"]
    lines[1] = json.dumps(second) + "\n"
    rewrite_articles(path, lines)
    _wipe()
    result = dataset_import(path=path)
    assert result.created == 2 and result.failed == 1
    assert result.errors == [
        f"articles.jsonl line 2: field 'annotations[1].id': annotation id {second['annotations'][0]['id']} "
        "is already the id of annotations[0]; nothing of this article was written."
    ]


def _rewrite_table(path: Path, name: str, edit) -> None:
    """Edit one csv table of a folder export and make the manifest agree with it."""
    target = next(p for p in path.rglob(name))
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    target.write_bytes(data)
    manifest = json.loads((path / "manifest.json").read_text())
    relative = target.relative_to(path).as_posix()
    for entry in manifest["files"]:
        if entry["name"] == relative:
            entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_csv_a_quote_row_with_an_id_already_used(tmp_path, three):
    path = _export("csv", tmp_path / "tables")
    clashing = {}

    def edit(rows):
        article = rows[0].index("article_id")
        last = max(int(row[article]) for row in rows[1:])
        first = next(row for row in rows[1:] if int(row[article]) != last)
        clash = next(row for row in rows[1:] if int(row[article]) == last)
        clash[0] = first[0]
        clashing.update(quote=first[0], holder=first[article], article=last)

    _rewrite_table(path, "quotes.csv", edit)
    articles = list(Article.objects.order_by("id").values_list("id", flat=True))
    row = 2 + articles.index(clashing["article"])
    _wipe()
    result = dataset_import(path=path)
    assert result.failed == 1 and result.created == 2
    _clean(result.errors)
    assert result.errors == [
        f"articles.csv row {row}: field 'quotes[0].id': quote id {clashing['quote']} is already taken by a "
        f"quote of article {clashing['holder']}; nothing of this article was written."
    ]


def test_two_tags_with_one_id_stop_the_import_before_anything_is_written(tmp_path, three):
    path = _export("csv", tmp_path / "tables")

    def edit(rows):
        rows[2][0] = rows[1][0]

    _rewrite_table(path, "tags.csv", edit)
    _wipe()
    with pytest.raises(
        CommandError, match=r"tags\.csv row 3: field 'id': tag id \d+ is already the id of tag "
    ) as caught:
        call_command("import_dataset", str(path), verbosity=0)
    _clean([str(caught.value)])
    assert not Tag.objects.exists() and not Article.objects.exists()
