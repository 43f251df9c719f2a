"""dataset -> formatter -> target: one driver for every format and every destination.

The driver is a generator: it yields after each chunk (the number of rows written, for a progress
bar) and returns the manifest. A command runs it to the end into files; a streaming response drains
the bytes written so far at each step, so a zip leaves the server while it is being made.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager, nullcontext
from types import ModuleType

from django.db import connections, router, transaction

from corpus.models import Article

from . import claimreview, csv, jsonl, parquet, w3c
from . import halves as halves_module
from .bundle import ByteQueue, StreamTarget, Target, ZipTarget
from .dataset import CHUNK_SIZE
from .halves import plan as halves_plan
from .manifest import HashingWriter, manifest_build, manifest_encode, manifest_projects
from .selection import ExportOptions, Selection

FORMATS: dict[str, ModuleType] = {
    "jsonl": jsonl,
    "csv": csv,
    "parquet": parquet,
    "w3c": w3c,
    "claimreview": claimreview,
}


def export_steps(
    *, fmt: str, options: ExportOptions, target: Target, chunk_size: int = CHUNK_SIZE, halves: bool = False
) -> Generator[int, None, dict]:
    """Write the export into ``target``; yields rows written per chunk, returns the manifest.

    ``halves``: a command or a job writing a file, not a response streamed from a server's worker: a
    large JSONL's article lines may be made in two processes (``halves.py``), and the cycle collector
    is off while any export is made (``halves.without_cycle_collection``; it is the whole process's,
    which a server's worker shares with the other requests it serves)."""
    with halves_module.without_cycle_collection() if halves else nullcontext():
        return (
            yield from _export_steps(
                fmt=fmt, options=options, target=target, chunk_size=chunk_size, halves=halves
            )
        )


def _export_steps(
    *, fmt: str, options: ExportOptions, target: Target, chunk_size: int, halves: bool
) -> Generator[int, None, dict]:
    module = FORMATS[fmt]
    selection = Selection(options)
    counts: dict[str, int] = {}
    files: list[dict] = []
    try:
        with _reading() as own:
            split = halves_plan(selection, own_transaction=own) if halves and module is jsonl else None
            if split is not None:
                entries = jsonl.entries(selection, chunk_size=chunk_size, split=split)
            else:
                entries = module.entries(selection, chunk_size=chunk_size)
            if target.single_stream:
                entries = entries[:1]
            for index, (entry, write) in enumerate(entries):
                name = target.name_for(entry, main=index == 0)
                with target.open(name) as raw:
                    stream = HashingWriter(raw)
                    counts.update((yield from write(stream)))
                files.append({"name": name, "bytes": stream.size, "sha256": stream.sha256.hexdigest()})
            # In the export's snapshot too: the projects' counts and agreement are those of the layers
            # exported, whatever an editor closes or curates meanwhile.
            projects = manifest_projects(selection)
        manifest = manifest_build(fmt=fmt, options=options, counts=counts, files=files, projects=projects)
        target.write_manifest(manifest_encode(manifest))
        target.commit()
    except BaseException:
        target.abort()
        raise
    return manifest


@contextmanager
def _reading() -> Iterator[bool]:
    """On PostgreSQL the export reads in one transaction (REPEATABLE READ when it opens it), on the
    database it reads from: its tables
    stream from server-side cursors, and outside a transaction those are declared WITH HOLD, which has
    PostgreSQL copy each query's whole result aside before the first row (gigabytes of temporary files
    for a large corpus). SQLite streams as it is; a transaction there would take the write lock.
    Gives whether the transaction is the export's own (False on SQLite)."""
    alias = router.db_for_read(Article)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield False
        return
    own = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            if own:
                # One snapshot for the whole export: every table's query, the companion files and the
                # counts see the database as it was when the export began, whatever is written
                # meanwhile (under READ COMMITTED each query would see the commits made before it).
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Every row of every cursor is read: plan for the whole result, not for its first tenth.
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        yield own


def export_rows(*, fmt: str, options: ExportOptions) -> int:
    """The rows ``export_steps`` will yield in all, counted up front (a progress bar's total): one
    COUNT a file, outside the export's own snapshot, so a write in between can make it a little off."""
    return sum(FORMATS[fmt].sizes(Selection(options)).values())


def run(steps: Generator[int, None, dict], progress=None) -> dict:
    """Drive ``steps`` to the end, feeding a progress bar if one is given."""
    while True:
        try:
            rows = next(steps)
        except StopIteration as done:
            return done.value
        if progress is not None:
            progress.update(rows)


def stream_bytes(*, fmt: str, options: ExportOptions, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The export as bytes while it is made: the text formats as one stream, csv and parquet as a zip."""
    queue = ByteQueue()
    module = FORMATS[fmt]
    target: Target = ZipTarget(queue) if module.TABULAR else StreamTarget(queue)
    steps = export_steps(fmt=fmt, options=options, target=target, chunk_size=chunk_size)
    while True:
        try:
            next(steps)
        except StopIteration:
            break
        data = queue.drain()
        if data:
            yield data
    data = queue.drain()
    if data:
        yield data


def filename(fmt: str) -> str:
    module = FORMATS[fmt]
    return f"newsdesk-{fmt}.zip" if module.TABULAR else f"newsdesk-{fmt}{module.EXTENSION}"


def content_type(fmt: str) -> str:
    return FORMATS[fmt].CONTENT_TYPE
