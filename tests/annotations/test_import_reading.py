"""Reading an export's lines: orjson reads them, and a line it refuses is read again by the standard
library's json, which takes what json takes and words the error a person is shown; while an import
runs the garbage collector runs less often, and as before once it is done."""

from __future__ import annotations

import gc
import json

import pytest

from annotations.imports.importer import dataset_import
from annotations.imports.reading import Dataset, jsonl_records
from corpus.bulk import BULK_GC_THRESHOLDS, fewer_collections
from corpus.models import Article
from tests.annotations.datasets import article_lines, rewrite_articles
from tests.annotations.test_import_batches import _export, _wipe

pytestmark = pytest.mark.django_db


def test_a_line_only_the_standard_library_reads_is_imported(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    lines = article_lines(path)
    # A key the importer does not read, holding what orjson refuses and json reads.
    lines[1] = lines[1].rstrip("\n")[:-1] + ', "score": NaN}\n'
    rewrite_articles(path, lines)
    records = list(jsonl_records(Dataset(path)))
    assert json.loads(lines[1])["score"] != json.loads(lines[1])["score"]  # NaN, as json reads it
    assert [origin for origin, _ in records] == [f"articles.jsonl line {n}" for n in range(1, len(lines) + 1)]
    assert all(isinstance(record, dict) for _, record in records)
    _wipe()
    assert dataset_import(path=path).created == len(many)


def test_bad_lines_are_reported_with_the_standard_library_words(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    raw = [line.encode("utf-8") for line in article_lines(path)]
    raw[0] = raw[0][:-20] + b"\xff\xfe" + raw[0][-20:]
    raw[2] = b'{"id": \n'
    raw[3] = b"   \n"
    raw[4] = b"[1, 2]\n"
    rewrite_articles(path, b"".join(raw))
    found = dict(jsonl_records(Dataset(path)))
    assert str(found["articles.jsonl line 1"]) == "articles.jsonl line 1: not UTF-8."
    assert str(found["articles.jsonl line 3"]) == (
        "articles.jsonl line 3: not a complete JSON object (cut short?): Expecting value."
    )
    assert "articles.jsonl line 4" not in found  # a blank line is no record
    assert str(found["articles.jsonl line 5"]) == "articles.jsonl line 5: not a JSON object."
    assert isinstance(found["articles.jsonl line 2"], dict)
    _wipe()
    result = dataset_import(path=path)
    assert result.failed == 3 and result.created == len(many) - 4


class _Watch:
    """A progress bar that notes the collector's thresholds each time it is moved on."""

    def __init__(self):
        self.seen = []

    def update(self, count):
        self.seen.append(gc.get_threshold())


def test_the_collector_runs_less_often_during_an_import_and_as_before_after(tmp_path, many):
    path = _export("jsonl", tmp_path / "dataset")
    _wipe()
    before = gc.get_threshold()
    watch = _Watch()
    assert dataset_import(path=path, batch_size=2, progress=watch).created == len(many)
    assert watch.seen and set(watch.seen) == {BULK_GC_THRESHOLDS} != {before}
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError
    assert gc.get_threshold() == before
    assert Article.objects.count() == len(many)
