"""A large JSONL export's article lines made in two processes, part of the articles each.

Reading the rows and building the lines are both CPU in one Python process, so threads cannot share
them out; a second process can. The export's process forks a child for the later articles (by id), which
writes its lines to a temporary file while the parent writes the first part to the export; the parent
then copies the child's lines in behind its own as the child reports them written. The child's last
report gives its counts and the speakers its lines named, from which the parent makes the speakers file
after (``jsonl.write_speakers``). The bytes, counts and manifest are those of one process (tests hold the
two to the same bytes).

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
import gc
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
# The parent also copies the child's lines behind its own (and hashes every line), about a twentieth
# of the lines' CPU: it takes fewer articles, so that the two finish together. Measured by process on
# 10,000 articles (CPU seconds, both databases), the two are even at 0.44-0.46; the speakers file and
# the manifest come after both.
FIRST_SHARE = 0.45
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
    for name in ("annotations", "articles", "paragraphs", "quotes", "claims", "local_speakers"):
        field = "pk" if name == "articles" else "article_id"
        narrowed = getattr(selection, name).filter(**{f"{field}__{op}": v for op, v in bounds.items()})
        selection.__dict__[name] = narrowed
    return selection


def write_articles(
    selection: Selection, split: Split, stream: BinaryIO, *, chunk_size: int, named=None
) -> Generator[int, None, dict]:
    """The article lines of ``selection``, the first part made here and the rest in a child; ``named``
    (``jsonl.Named``), if given, gets the ids of the speakers the two parts name."""
    with without_cycle_collection():
        return (yield from _write_articles(selection, split, stream, chunk_size=chunk_size, named=named))


@contextlib.contextmanager
def without_cycle_collection():
    """The cycle collector off while an export is made (on again after, if it was on).

    The rows, records, documents and lines of an export hold no reference cycles: each chunk's are
    freed as the next comes. The collector would only walk them, and the hundred thousand objects
    Django and its imports hold, again and again: about a fifth of the CPU of making JSONL lines or W3C
    documents. In a child process it would also copy every page of the objects the fork shared, to
    mark them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _write_articles(
    selection: Selection, split: Split, stream: BinaryIO, *, chunk_size: int, named=None
) -> Generator[int, None, dict]:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, in the parent; the child exits)
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(readable)
        _child(selection, split, spool, writable, chunk_size=chunk_size, named=named is not None)
    os.close(writable)
    counts: dict[str, int] = {}
    speakers: set[int] = set()
    try:
        with spool, os.fdopen(readable, "rb") as pipe:
            try:
                first = restrict(_copy(selection), upto=split.last_of_first)
                for lines in iter_article_lines(
                    first, chunk_size=chunk_size, counts=counts, speakers=speakers
                ):
                    lines.append(b"")
                    stream.write(b"\n".join(lines))
                    yield len(lines) - 1
                report = yield from _follow(pipe, spool.fileno(), stream)
            except BaseException:
                os.kill(pid, signal.SIGTERM)
                raise
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or "counts" not in report:
        raise RuntimeError(
            "the export's second process failed:\n" + report.get("error", f"exit status {status}")
        )
    for name, value in report["counts"].items():
        counts[name] = counts.get(name, 0) + value
    if named is not None:
        speakers.update(report["speakers"])
        named.ids = speakers
    return counts


def _follow(pipe: BinaryIO, spool: int, stream: BinaryIO) -> Generator[int, None, dict]:
    """Copy the child's lines from its ``spool`` into ``stream`` as it reports them written (a line
    "<bytes written in all> <articles in the chunk>" a chunk), so that little is left to copy once it is
    done; gives its report (its last line, JSON), or {} if it ended without one."""
    copied = 0
    for message in pipe:
        if not message[:1].isdigit():
            return json.loads(message)
        written, articles = map(int, message.split())
        while copied < written:
            # pread: the child's file offset, which this descriptor shares, stays where the child left it.
            block = os.pread(spool, min(COPY_BLOCK, written - copied), copied)
            if not block:
                return {"error": "the second process's lines are shorter than it said"}
            stream.write(block)
            copied += len(block)
        yield articles
    return {}


def _copy(selection: Selection) -> Selection:
    copy = Selection(selection.options)
    copy.__dict__.update(selection.__dict__)
    return copy


def _child(selection: Selection, split: Split, spool, pipe: int, *, chunk_size: int, named: bool) -> None:
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
            spooled = spool.fileno()
            written = 0
            speakers: set[int] | None = set() if named else None
            for lines in iter_article_lines(second, chunk_size=chunk_size, counts=counts, speakers=speakers):
                lines.append(b"")
                written += _write_all(spooled, b"\n".join(lines))
                os.write(pipe, b"%d %d\n" % (written, len(lines) - 1))
        report = {"counts": counts}
        if speakers is not None:
            speakers.discard(None)
            report["speakers"] = sorted(speakers)
        _write_all(pipe, json.dumps(report).encode() + b"\n")
        status = 0
        del inherited
    except BaseException:
        with contextlib.suppress(OSError):
            os.write(pipe, json.dumps({"error": traceback.format_exc()[-4000:]}).encode() + b"\n")
    finally:
        os._exit(status)


def _write_all(fd: int, data: bytes) -> int:
    """Write ``data`` to ``fd`` unbuffered (the parent reads what the child says is written)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return len(data)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
