"""Filters (the API's FilterSets on the command line), drafts, --text none and anonymized authors."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.exports.selection import ExportOptions, pseudonym
from tests.factories import AnnotationFactory, ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def _jsonl(tmp_path, *extra) -> list[dict]:
    out = tmp_path / "out.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), *extra, verbosity=0)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_tag_filter_includes_descendants_and_keeps_only_matching_annotations(tmp_path, corpus):
    records = _jsonl(tmp_path, "--tag", "claim")
    assert [r["id"] for r in records] == [corpus.articles[1].pk]
    slugs = {slug for r in records for a in r["annotations"] for slug in a["tags"]}
    assert slugs == {"claim", "claim-statistic"}  # claim-statistic sits below claim
    assert [c["id"] for c in records[0]["claims"]] == [corpus.claim.pk]
    assert _jsonl(tmp_path, "--tag", "no-such-tag") == []


def test_article_source_language_and_date_filters(tmp_path):
    first = ArticleFactory(source="Gazette", language="en")
    ArticleFactory(source="Herald", language="de")
    assert [r["id"] for r in _jsonl(tmp_path, "--source", "Gazette")] == [first.pk]
    assert [r["language"] for r in _jsonl(tmp_path, "--language", "de")] == ["de"]
    assert [r["id"] for r in _jsonl(tmp_path, "--article", str(first.pk))] == [first.pk]
    assert _jsonl(tmp_path, "--since", "2999-01-01") == []
    with pytest.raises(CommandError, match="since"):
        _jsonl(tmp_path, "--since", "not a date")


def test_speaker_filter(tmp_path, corpus):
    speaker_id = corpus.articles[1].quotes.exclude(speaker=None).values_list("speaker_id", flat=True).first()
    records = _jsonl(tmp_path, "--speaker", str(speaker_id))
    assert corpus.articles[1].pk in [r["id"] for r in records]


def test_drafts_only_on_request(tmp_path, corpus):
    default = _jsonl(tmp_path)
    notes = {a["note"] for r in default for a in r["annotations"]}
    assert corpus.draft.note not in notes
    assert all(c["fact_check"]["status"] == "published" for r in default for c in r["claims"])
    drafts = _jsonl(tmp_path, "--include-drafts", "--status", "draft")
    assert {a["note"] for r in drafts for a in r["annotations"]} == {corpus.draft.note}
    with pytest.raises(CommandError, match="include-drafts"):
        _jsonl(tmp_path, "--status", "draft")


def test_text_none_leaves_out_every_word_of_the_articles(tmp_path, corpus):
    records = _jsonl(tmp_path, "--text", "none")
    for record in records:
        assert record["text"] is None and record["title"] is None
        assert record["content_hash"]
        assert all(p["text"] is None and p["end"] > p["start"] for p in record["paragraphs"])
        assert all(q["text"] is None for q in record["quotes"])
        assert all(a["exact"] is None for a in record["annotations"])
    folder = tmp_path / "tables"
    call_command("export", "--format", "csv", "--output", str(folder), "--text", "none", verbosity=0)
    for name in ("articles", "paragraphs", "quotes", "annotations"):
        content = (folder / name / f"{name}.csv").read_text(encoding="utf-8")
        assert "China is facing the worst international isolation" not in content, name


def test_anonymized_authors_are_stable_pseudonyms_everywhere(tmp_path, corpus):
    records = _jsonl(tmp_path, "--anonymize-authors")
    raw = json.dumps(records)
    assert '"ed"' not in raw and '"rev"' not in raw
    authors = {a["author"] for r in records for a in r["annotations"] if a["author"]}
    assert pseudonym("ed") in authors and all(a.startswith("annotator-") and len(a) == 18 for a in authors)
    check = records[1]["claims"][0]["fact_check"]
    assert (check["author"], check["reviewer"]) == (pseudonym("ed"), pseudonym("rev"))
    assert _jsonl(tmp_path, "--anonymize-authors") == records
    folder = tmp_path / "tables"
    call_command("export", "--format", "csv", "--output", str(folder), "--anonymize-authors", verbosity=0)
    for name in ("annotations", "fact_checks"):
        content = (folder / name / f"{name}.csv").read_text(encoding="utf-8")
        assert ",ed," not in content and ",rev," not in content and pseudonym("ed") in content


def test_options_are_validated():
    with pytest.raises(Exception, match="unknown filter"):
        ExportOptions(filters={"colour": "red"})
    assert ExportOptions(filters={"tag": "", "source": "A"}).filters == {"source": "A"}


def test_jsonl_companions_and_manifest_beside_the_file(tmp_path):
    TagFactory(slug="claim")
    AnnotationFactory(tags=["claim"])
    out = tmp_path / "corpus.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(out), verbosity=0)
    manifest = json.loads((tmp_path / "corpus.jsonl.manifest.json").read_text())
    assert [f["name"] for f in manifest["files"]] == [
        "corpus.jsonl",
        "corpus.jsonl.tags.json",
        "corpus.jsonl.speakers.json",
    ]
    tags = json.loads((tmp_path / "corpus.jsonl.tags.json").read_text())
    assert list(tags[0]) == ["id", "slug", "name", "description", "colour", "parent"]
    assert not list(tmp_path.glob("*.partial"))


def test_article_ids_must_be_numbers():
    with pytest.raises(Exception, match="comma-separated list of ids"):
        ExportOptions(filters={"article": "^7"})
    with pytest.raises(Exception, match="comma-separated list of ids"):
        ExportOptions(filters={"article": "1,²"})
    assert ExportOptions(filters={"article": "1,2"}).filters == {"article": "1,2"}
