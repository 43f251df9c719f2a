"""python manage.py ingest PATH [PATH ...]: files or folders of .txt (with optional NAME.meta.json),
.json, .jsonl and .html articles. Idempotent; a bad file is reported and the others still ingest."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.ingest.readers import ArticleInput, IngestError, iter_paths, read_path
from corpus.selectors import speaker_directory
from corpus.services import DEFAULT_BATCH_SIZE, IngestFailure, batch_ingest

# From this much input on, the text pipeline runs in one process per core unless --jobs says otherwise.
PARALLEL_FROM_BYTES = 1024 * 1024


def default_jobs(files: list[Path]) -> int:
    """One process per core for a large input, else one: starting workers costs more than they save on a
    few articles."""
    size = 0
    for path in files:
        try:
            size += path.stat().st_size
        except OSError:
            continue  # reported when read
        if size >= PARALLEL_FROM_BYTES:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
            return max(1, cores or 1)
    return 1


def expected_articles(path: Path, *, max_bytes: int) -> int:
    """How many articles a file should hold, for the progress bar's total: the non-blank lines of a
    .jsonl file, one for any other. Only a regular file within the size limit is opened (what is not is
    refused when read, as one failure)."""
    try:
        info = path.stat()
    except OSError:
        return 1
    if path.suffix.lower() != ".jsonl" or not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return 1
    try:
        with path.open("rb") as stream:
            return max(1, sum(1 for line in stream if line.strip()))
    except OSError:
        return 1


class Command(BaseCommand):
    help = "Ingest articles from .txt, .json, .jsonl and .html files or folders of them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders (searched recursively).")
        parser.add_argument("--source", help="Source name for articles whose input names none.")
        parser.add_argument("--language", default="en", help="BCP 47 language for articles that carry none.")
        parser.add_argument(
            "--jobs",
            type=int,
            help="Processes running the text pipeline in parallel (default: one per core for inputs of "
            f"{PARALLEL_FROM_BYTES // (1024 * 1024)} MiB or more, else 1).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Articles written per transaction (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, paths, source, language, jobs, batch_size, **options):
        files = list(iter_paths(paths))
        if not files:
            raise CommandError(f"No .txt, .json, .jsonl or .html files under {', '.join(map(str, paths))}.")
        if (jobs is not None and jobs < 1) or batch_size < 1:
            raise CommandError("--jobs and --batch-size must be 1 or more.")
        if jobs is None:
            jobs = default_jobs(files)
        verbose = options["verbosity"] >= 1
        out, err = self.stdout._out, self.stderr._out
        # The bar counts articles (a .jsonl file holds many), with the total and the time left.
        expected = {path: expected_articles(path, max_bytes=settings.INGEST_MAX_BYTES) for path in files}
        total = sum(expected.values())
        progress = tqdm(total=total, unit="article", disable=None if total > 20 else True, file=err)
        failures: list[str] = []

        def fail(message: str, articles: int = 1) -> None:
            failures.append(message)
            progress.update(articles)
            progress.write(self.style.ERROR(f"error: {message}"), file=err)

        def records() -> Iterator[ArticleInput]:
            for path in files:
                bad_lines: list[IngestError] = []
                try:
                    found = read_path(path, max_bytes=settings.INGEST_MAX_BYTES, errors=bad_lines)
                except IngestError as exc:
                    fail(str(exc), expected[path])
                    continue
                for exc in bad_lines:
                    fail(str(exc))
                yield from found

        created = unchanged = revised = 0
        results = batch_ingest(
            records=records(),
            directory=speaker_directory(),
            default_source=source,
            default_language=language,
            batch_size=batch_size,
            jobs=jobs,
        )
        for result in results:
            if isinstance(result, IngestFailure):
                fail(result.message)
                continue
            progress.update(1)
            created += result.created
            revised += result.revised
            unchanged += not (result.created or result.revised)
            if verbose:
                progress.write(result.message, file=out)
        progress.close()
        summary = f"{created} ingested, {revised} revised, {unchanged} unchanged, {len(failures)} failed."
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
