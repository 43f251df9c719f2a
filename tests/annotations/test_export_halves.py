"""A large JSONL export made in two processes (``annotations/exports/halves.py``) writes the bytes and
manifest one process writes, reads in the export's one snapshot, and is made in one process wherever
the child could not read what the export reads (inside a caller's transaction).

PostgreSQL only: the child opens a connection of its own, and the suite's SQLite database is in memory,
where no other connection sees it."""

from __future__ import annotations

import json
import os
import time

import pytest

from annotations.exports import halves, jsonl
from annotations.exports.bundle import target_for
from annotations.exports.pipeline import export_steps, run
from annotations.exports.selection import ExportOptions
from tests.annotations.test_export_encoding import _corpus
from tests.annotations.test_export_snapshot import _elsewhere
from tests.factories import ArticleFactory

pytestmark = pytest.mark.postgres

OPTIONS = [
    ExportOptions(),
    ExportOptions(include_drafts=True, include_orphans=True, anonymize_authors=True),
    ExportOptions(text="none", filters={"language": "en"}),
]


@pytest.fixture
def splits(monkeypatch) -> list:
    """Small corpora split too; the splits planned, for the test to see."""
    planned = []
    plan = halves.plan

    def spy(selection, **kwargs):
        split = plan(selection, **kwargs, min_articles=2)
        planned.append(split)
        return split

    monkeypatch.setattr("annotations.exports.pipeline.halves_plan", spy)
    return planned


def _export(folder, options: ExportOptions, *, two: bool) -> tuple[dict, dict[str, bytes]]:
    folder.mkdir()
    output = folder / "corpus.jsonl"
    manifest = run(
        export_steps(
            fmt="jsonl", options=options, target=target_for(output, tabular=False), chunk_size=3, halves=two
        )
    )
    manifest.pop("created_at", None)
    return manifest, {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("options", OPTIONS)
def test_two_processes_write_what_one_writes(tmp_path, splits, options):
    _corpus(tmp_path)
    one = _export(tmp_path / "one", options, two=False)
    two = _export(tmp_path / "two", options, two=True)
    assert splits and splits[0] is not None and splits[0].snapshot
    assert two == one
    lines = two[1]["corpus.jsonl"].splitlines()
    assert len(lines) == 41 and [json.loads(line)["id"] for line in lines] == sorted(
        json.loads(line)["id"] for line in lines
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_process_reads_in_the_export_s_snapshot(tmp_path, splits):
    for number in range(6):
        ArticleFactory(body=f'Story {number}\n"We will see," said council chair Helena Vasquez.\n')
    output = tmp_path / "corpus.jsonl"
    steps = export_steps(
        fmt="jsonl",
        options=ExportOptions(),
        target=target_for(output, tabular=False),
        chunk_size=1,
        halves=True,
    )
    next(steps)  # the child is started and the first article written; the snapshot is taken

    _elsewhere(lambda: ArticleFactory(body='Later\n"Too late," said Ben Adler.\n'))
    for _ in steps:
        pass
    assert splits[0] is not None
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6  # the article added meanwhile is in neither process's part


@pytest.mark.django_db
def test_inside_a_caller_s_transaction_one_process_makes_it(tmp_path, splits):
    _corpus(tmp_path)
    manifest, _ = _export(tmp_path / "one", ExportOptions(), two=True)
    assert splits == [None]
    assert manifest["counts"]["articles"] == 41


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_companion_files_are_made_while_the_second_process_works(tmp_path, splits, monkeypatch):
    """The child does not finish its lines until the parent has read the speakers: an export that made
    the companion files only after the child was done would wait for it in vain."""
    _corpus(tmp_path)
    made = tmp_path / "speakers-made"
    parent = os.getpid()
    make_lines = halves.iter_article_lines
    write_speakers = jsonl.write_speakers

    def lines(selection, **kwargs):
        yield from make_lines(selection, **kwargs)
        if os.getpid() != parent:
            waited = time.monotonic()
            while not made.exists():
                if time.monotonic() - waited > 30:
                    raise RuntimeError("the parent did not make the speakers file while this process ran")
                time.sleep(0.01)

    def speakers(*args, **kwargs):
        counts = yield from write_speakers(*args, **kwargs)
        made.touch()
        return counts

    monkeypatch.setattr(halves, "iter_article_lines", lines)
    monkeypatch.setattr(jsonl, "write_speakers", speakers)
    two = _export(tmp_path / "two", ExportOptions(), two=True)
    monkeypatch.undo()
    assert splits[0] is not None
    assert two == _export(tmp_path / "one", ExportOptions(), two=False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_second_process_s_lines_are_counted_a_chunk_at_a_time(tmp_path, splits):
    """The child's lines are copied in as it reports each chunk written, and the progress counts them so,
    not all at once when it is done."""
    _corpus(tmp_path)
    (tmp_path / "out").mkdir()
    steps = export_steps(
        fmt="jsonl",
        options=ExportOptions(),
        target=target_for(tmp_path / "out" / "corpus.jsonl", tabular=False),
        chunk_size=3,
        halves=True,
    )
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as done:
            manifest = done.value
            break
    assert splits[0] is not None
    assert manifest["counts"]["articles"] == 41
    # Articles a chunk at a time (the parent's, then the child's), the tags and the speakers between.
    assert max(progress) <= 3
    assert sum(progress) == 41 + manifest["counts"]["tags"] + manifest["counts"]["speakers"]
