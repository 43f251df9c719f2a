"""An export on PostgreSQL reads one snapshot: what is written while it runs is in none of its files."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connections

from annotations import projects
from annotations.exports.bundle import target_for
from annotations.exports.pipeline import export_steps
from annotations.exports.selection import ExportOptions
from annotations.models import ProjectArticle, Tag
from corpus.models import Speaker
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _elsewhere(work) -> None:
    """``work`` on a connection of its own, committed before this returns (another editor's write)."""

    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_what_is_written_during_an_export_is_in_none_of_its_files(tmp_path):
    for number in range(3):
        ArticleFactory(body=f'Story {number}\n"We will see," said council chair Helena Vasquez.\n')
    output = tmp_path / "corpus.jsonl"
    steps = export_steps(
        fmt="jsonl", options=ExportOptions(), target=target_for(output, tabular=False), chunk_size=1
    )
    next(steps)  # the first article is written; the export's transaction and its snapshot are open

    _elsewhere(lambda: Tag.objects.create(slug="written-meanwhile", name="written meanwhile"))
    _elsewhere(lambda: ArticleFactory(body='Later\n"Too late," said Ben Adler.\n'))

    for _ in steps:
        pass
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # not the article added meanwhile
    tags = json.loads((tmp_path / "corpus.jsonl.tags.json").read_text(encoding="utf-8"))
    speakers = json.loads((tmp_path / "corpus.jsonl.speakers.json").read_text(encoding="utf-8"))
    assert "written-meanwhile" not in {tag["slug"] for tag in tags}  # read after the write
    assert "Ben Adler" not in {speaker["name"] for speaker in speakers}
    assert Tag.objects.filter(slug="written-meanwhile").exists()  # the write itself went through


def test_a_speaker_first_named_after_a_rename_meanwhile_keeps_the_name_the_export_began_with(tmp_path):
    """The speakers an article's quotes name are looked up when its chunk is made (``SpeakerNames``),
    in the export's snapshot like every other read."""
    ArticleFactory(body='Story one\n"We will see," said council chair Helena Vasquez.\n')
    ArticleFactory(body='Story two\n"Not yet," said council chair Helena Vasquez.\n')
    ArticleFactory(body='Story three\n"Too late," said Ben Adler.\n')
    output = tmp_path / "corpus.jsonl"
    steps = export_steps(
        fmt="jsonl", options=ExportOptions(), target=target_for(output, tabular=False), chunk_size=1
    )
    next(steps)  # the first article is written; Ben Adler is not looked up yet

    _elsewhere(lambda: Speaker.objects.filter(name="Ben Adler").update(name="Benedikt Adler"))

    for _ in steps:
        pass
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [quote["speaker"] for quote in lines[2]["quotes"]] == ["Ben Adler"]
    speakers = json.loads((tmp_path / "corpus.jsonl.speakers.json").read_text(encoding="utf-8"))
    assert "Ben Adler" in {speaker["name"] for speaker in speakers}
    assert Speaker.objects.filter(name="Benedikt Adler").exists()


def test_the_manifest_s_projects_are_read_in_the_export_s_snapshot(tmp_path, layered):
    """A project article closed while the export runs is still open in its manifest, as its layers are
    in its lines."""
    setup = layered
    output = tmp_path / "corpus.jsonl"
    steps = export_steps(
        fmt="jsonl", options=ExportOptions(), target=target_for(output, tabular=False), chunk_size=1
    )
    next(steps)

    _elsewhere(
        lambda: projects.project_article_close(
            project=setup.project, article=setup.articles[1], user=setup.people["chief"]
        )
    )

    while True:
        try:
            next(steps)
        except StopIteration as done:
            manifest = done.value
            break
    assert [p["articles"] for p in manifest["projects"]] == [{"open": 2, "closed": 0, "curated": 0}]
    assert ProjectArticle.objects.filter(state="closed").count() == 1
