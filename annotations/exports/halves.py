"""A large JSONL export's article lines made in two processes, part of the articles each.

Reading the rows and building the lines are both CPU in one Python process, so threads cannot share
them out; a second process can. The export's process forks a child for the later articles (by id), which writes its lines to a temporary file while the parent writes the first half to the
export; the parent then copies the child's lines in behind its own. The bytes, counts and manifest are
those of one process (tests hold the two to the same bytes).

Only where it is safe and worth it: a command or a background job writing a file (not a streamed
response), at least ``MIN_ARTICLES`` articles, two cores, and a database the child reads as the parent
does. On PostgreSQL the export's own REPEATABLE READ transaction exports its snapshot and the child
reads in it, so both halves see the database as it was when the export began; not inside a caller's
transaction, whose uncommitted rows another connection cannot see. On SQLite (a file, not in memory,
outside a transaction) the child reads what is committed when it starts, as the export's later files
already do.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import traceback
from collections.abc import Generator
from dataclasses import dataclass
from typing import BinaryIO

from django.db import connections, router, transaction

from corpus.models import Article

from .dataset import iter_article_lines
from .selection import Selection

MIN_ARTICLES = 4000
FIRST_SHARE = 0.4
COPY_BLOCK = 1 << 20


@dataclass(frozen=True)
class Split:
    """The last article id of the first half, and the snapshot the child reads in (PostgreSQL)."""

    last_of_first: int
    snapshot: str | None


def plan(selection: Selection, *, own_transaction: bool, min_articles: int = MIN_ARTICLES) -> Split | None:
    """Where to split ``selection``'s articles, or None to make them in one process. Called inside the
    export's reading transaction (``pipeline._reading``); ``own_transaction``: it opened it."""
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return None
    connection = connections[router.db_for_read(Article)]
    if connection.vendor == "postgresql":
        if not own_transaction:
            return None
    elif connection.vendor == "sqlite":
        if connection.in_atomic_block or connection.is_in_memory_db():
            return None
    else:
        return None
    count = selection.articles.count()
    if count < max(min_articles, 2):
        return None
    # The parent has the companion files to write and the child's lines to copy after its own: it
    # takes fewer articles, so that the two finish together.
    last_of_first = selection.articles.values_list("pk", flat=True)[max(int(count * FIRST_SHARE), 1) - 1]
    snapshot = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
    return Split(last_of_first, snapshot)


def restrict(selection: Selection, *, after: int | None = None, upto: int | None = None) -> Selection:
    """``selection`` narrowed to the articles with ids in (after, upto], and the rows on them."""
    bounds = {}
    if after is not None:
        bounds["gt"] = after
    if upto is not None:
        bounds["lte"] = upto
    # The annotations first: with a tag filter the articles are chosen through them.
    for name in ("annotations", "articles", "paragraphs", "quotes", "claims"):
        field = "pk" if name == "articles" else "article_id"
        narrowed = getattr(selection, name).filter(**{f"{field}__{op}": v for op, v in bounds.items()})
        selection.__dict__[name] = narrowed
    return selection


def write_articles(
    selection: Selection, split: Split, stream: BinaryIO, *, chunk_size: int
) -> Generator[int, None, dict]:
    """The article lines of ``selection``, the first half made here and the second in a child."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, in the parent; the child exits)
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(readable)
        _child(selection, split, spool, writable, chunk_size=chunk_size)
    os.close(writable)
    counts: dict[str, int] = {}
    try:
        first = restrict(_copy(selection), upto=split.last_of_first)
        for lines in iter_article_lines(first, chunk_size=chunk_size, counts=counts):
            lines.append(b"")
            stream.write(b"\n".join(lines))
            yield len(lines) - 1
    except BaseException:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(readable)
        spool.close()
        raise
    _, status = os.waitpid(pid, 0)
    with os.fdopen(readable, "rb") as pipe:
        report = json.loads(pipe.read() or b"{}")
    if status != 0 or "counts" not in report:
        spool.close()
        raise RuntimeError(
            "the export's second process failed:\n" + report.get("error", f"exit status {status}")
        )
    with spool:
        spool.seek(0)
        while block := spool.read(COPY_BLOCK):
            stream.write(block)
    for name, value in report["counts"].items():
        counts[name] = counts.get(name, 0) + value
    yield report["counts"].get("articles", 0)
    return counts


def _copy(selection: Selection) -> Selection:
    copy = Selection(selection.options)
    copy.__dict__.update(selection.__dict__)
    return copy


def _child(selection: Selection, split: Split, spool, pipe: int, *, chunk_size: int) -> None:
    status = 1
    try:
        # The parent's connections stay open, untouched and unreferenced by Django here (closing them
        # would end the parent's sessions); this process opens its own.
        inherited = [connections[alias] for alias in connections]
        for alias in connections:
            connections[alias] = connections.create_connection(alias)
        counts: dict[str, int] = {}
        alias = router.db_for_read(Article)
        with transaction.atomic(using=alias) if split.snapshot else _nothing():
            if split.snapshot:
                with connections[alias].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [split.snapshot])
                    cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
            second = restrict(_copy(selection), after=split.last_of_first)
            for lines in iter_article_lines(second, chunk_size=chunk_size, counts=counts):
                lines.append(b"")
                spool.write(b"\n".join(lines))
        spool.flush()
        os.write(pipe, json.dumps({"counts": counts}).encode())
        status = 0
        del inherited
    except BaseException:
        with contextlib.suppress(OSError):
            os.write(pipe, json.dumps({"error": traceback.format_exc()[-4000:]}).encode())
    finally:
        os._exit(status)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
