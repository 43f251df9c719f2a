"""`ingest` killed with SIGKILL in the middle of a folder: what was stored is whole, a second run
completes the folder without duplicates (one transaction per article, idempotent by content hash), and the
pipeline's worker processes do not outlive it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from bench.generate import articles
from tests.conftest import REPO
from tests.faults.conftest import ARTICLE_CHECK, ChildDatabase

pytestmark = pytest.mark.slow

ARTICLES = 400
PER_FILE = 8
BATCH = 40  # articles per transaction: ten batches


def _write_folder(folder: Path) -> set[str]:
    folder.mkdir()
    records = list(articles(ARTICLES, seed=7))
    for start in range(0, ARTICLES, PER_FILE):
        lines = [json.dumps(r, ensure_ascii=False) for r in records[start : start + PER_FILE]]
        (folder / f"batch-{start // PER_FILE:03d}.jsonl").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return {r["url"] for r in records}


def _consistent(db: ChildDatabase) -> dict:
    state = db.script(ARTICLE_CHECK)
    assert state["problems"] == [], state["problems"]
    assert state["orphan_paragraphs"] == state["orphan_quotes"] == 0
    assert state["articles"] == state["distinct_urls"] == state["distinct_hashes"]
    return state


@contextmanager
def _writes_held(db: ChildDatabase) -> Iterator[None]:
    """Hold back the ingest's next batch until exit. On SQLite: the database's write lock (BEGIN
    IMMEDIATE), which the ingest's next transaction waits for at its start. On PostgreSQL: a lock on the
    quote table, so that the next batch writes its articles and paragraphs, then waits to write its
    quotes, with its transaction open."""
    if db.kind == "sqlite":
        with closing(sqlite3.connect(db.path, timeout=60, isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")  # waits for a batch being written to commit
            try:
                yield
            finally:
                conn.execute("ROLLBACK")
        return
    import psycopg

    with psycopg.connect(dbname=db.name, **db.pg) as conn:
        conn.execute("LOCK TABLE corpus_quote IN SHARE MODE")  # waits for a batch being written to commit
        try:
            yield
        finally:
            conn.rollback()


# PostgreSQL: the ingest's connection waits for the quote table (what _writes_held holds).
WAITING_FOR_QUOTES = (
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE NOT l.granted AND c.relname = 'corpus_quote' "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def test_killed_ingest_leaves_whole_articles_and_a_rerun_completes_the_folder(child_db, tmp_path):
    folder = tmp_path / "corpus"
    urls = _write_folder(folder)
    command = [sys.executable, "manage.py", "ingest", str(folder), "--batch-size", str(BATCH), "-v0"]
    with (tmp_path / "ingest.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env=child_db.env(), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        # The first batch is in: hold the next ones back, so that the kill comes at a known point, with
        # whole batches stored and the ingest not done (whatever the speed of the machine).
        assert _poll(
            lambda: (
                process.poll() is not None or child_db.scalar("SELECT count(*) FROM corpus_article") >= BATCH
            ),
            timeout=240,
        ), "no batch stored in time"
        with _writes_held(child_db):
            if child_db.kind == "postgres":  # the next batch is half written, its transaction open
                assert _poll(
                    lambda: process.poll() is not None or child_db.scalar(WAITING_FOR_QUOTES) > 0,
                    timeout=240,
                ), "the ingest did not come to its next batch's quotes"
            stored = child_db.scalar("SELECT count(*) FROM corpus_article")
            assert process.poll() is None, "ingest finished before it could be held; raise ARTICLES"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert 0 < stored < ARTICLES and stored % BATCH == 0, stored

    interrupted = _consistent(child_db)
    assert interrupted["articles"] == stored  # the batch being written when killed left nothing

    rerun = child_db.manage("ingest", str(folder), "-v0", check=False)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    summary = rerun.stdout.strip().splitlines()[-1]
    created = ARTICLES - interrupted["articles"]
    assert summary == f"{created} ingested, 0 revised, {interrupted['articles']} unchanged, 0 failed.", (
        summary
    )

    final = _consistent(child_db)
    assert final["articles"] == ARTICLES
    stored_urls = child_db.script(
        "from corpus.models import Article\nresult = sorted(Article.objects.values_list('url', flat=True))"
    )
    assert set(stored_urls) == urls


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux: every thread's ``children`` list in /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(x) for x in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs: a zombie (ended, not yet reaped) does not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _poll(condition, *, timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def test_pipeline_workers_die_with_a_killed_ingest(child_db, tmp_path):
    if not Path(f"/proc/{os.getpid()}/task").is_dir():
        pytest.skip("needs /proc to find the worker processes (Linux)")
    folder = tmp_path / "corpus"
    _write_folder(folder)
    command = [sys.executable, "manage.py", "ingest", str(folder), "--jobs", "2", "--batch-size", "20", "-v0"]
    workers: set[int] = set()
    with (tmp_path / "ingest.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env=child_db.env(), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        # The pool starts with the first batch: wait (bounded) until both workers run, then kill the parent.
        assert _poll(lambda: len(_children(process.pid)) >= 2 or process.poll() is not None, timeout=240)
        workers = _children(process.pid)
        assert process.poll() is None and len(workers) >= 2, "ingest ended before its pool was seen"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        # The workers end with it, without anyone stopping them.
        assert _poll(lambda: not any(_running(pid) for pid in workers), timeout=30), [
            pid for pid in workers if _running(pid)
        ]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)  # what this test started, by its id
