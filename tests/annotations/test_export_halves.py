"""A large JSONL export made in two processes (``annotations/exports/halves.py``) writes the bytes and
manifest one process writes, reads in the export's one snapshot, and is made in one process wherever
the child could not read what the export reads (inside a caller's transaction).

PostgreSQL only: the child opens a connection of its own, and the suite's SQLite database is in memory,
where no other connection sees it."""

from __future__ import annotations

import gc
import json
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.exports import halves
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
def test_the_speakers_file_takes_the_speakers_both_processes_named(tmp_path, splits):
    """The child reports the speakers its lines name with its counts; the parent names its own and
    reads neither the quotes nor the claims again for the speakers file: one pass over each table per
    process, each on its own articles."""
    _corpus(tmp_path)
    with CaptureQueriesContext(connection) as ctx:
        two = _export(tmp_path / "two", ExportOptions(), two=True)
    assert splits[0] is not None
    selects = [q["sql"] for q in ctx.captured_queries if "SELECT" in q["sql"]]
    assert sum('FROM "corpus_quote"' in sql for sql in selects) == 1
    assert sum('FROM "annotations_claim"' in sql for sql in selects) == 1
    one = _export(tmp_path / "one", ExportOptions(), two=False)
    assert two == one
    records = [json.loads(line) for line in one[1]["corpus.jsonl"].splitlines()]

    def named(part) -> set[str]:
        return {quote["speaker"] for record in part for quote in record["quotes"]} - {None}

    parent = named(r for r in records if r["id"] <= splits[0].last_of_first)
    child = named(r for r in records if r["id"] > splits[0].last_of_first)
    assert child - parent  # speakers only the child's part quotes
    assert parent | child <= {speaker["name"] for speaker in json.loads(one[1]["corpus.jsonl.speakers.json"])}


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
    # Articles a chunk at a time (the parent's, then the child's), then the tags and the speakers.
    assert max(progress) <= 3
    assert sum(progress) == 41 + manifest["counts"]["tags"] + manifest["counts"]["speakers"]


def _watch_the_collector(monkeypatch, log, *, fail_after: int | None = None) -> None:
    """Each process notes, at each chunk of lines it makes, whether the cycle collector is on."""
    real = halves.iter_article_lines

    def spy(*args, **kwargs):
        for number, lines in enumerate(real(*args, **kwargs)):
            with log.open("a") as notes:
                notes.write(f"{os.getpid()} {gc.isenabled()}\n")
            if fail_after is not None and number == fail_after and os.getpid() == parent:
                raise RuntimeError("stopped")
            yield lines

    parent = os.getpid()
    monkeypatch.setattr(halves, "iter_article_lines", spy)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cycle_collector_is_off_while_the_lines_are_made_and_on_again_after(
    tmp_path, splits, monkeypatch
):
    _corpus(tmp_path)
    log = tmp_path / "collector.txt"
    _watch_the_collector(monkeypatch, log)
    assert gc.isenabled()
    two = _export(tmp_path / "two", ExportOptions(), two=True)
    notes = [line.split() for line in log.read_text().splitlines()]
    assert len({pid for pid, _ in notes}) == 2  # both processes made lines
    assert {enabled for _, enabled in notes} == {"False"}
    assert gc.isenabled()
    assert two == _export(tmp_path / "one", ExportOptions(), two=False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cycle_collector_is_on_again_after_an_export_that_failed(tmp_path, splits, monkeypatch):
    _corpus(tmp_path)
    _watch_the_collector(monkeypatch, tmp_path / "collector.txt", fail_after=1)
    with pytest.raises(RuntimeError, match="stopped"):
        _export(tmp_path / "two", ExportOptions(), two=True)
    assert gc.isenabled()
