"""python manage.py ingest PATH [PATH ...]: files or folders of .txt (with optional NAME.meta.json),
.json and .jsonl articles. Idempotent; a bad file is reported and the others still ingest."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.ingest.readers import IngestError, iter_paths, read_path
from corpus.selectors import speaker_directory
from corpus.services import article_ingest


class Command(BaseCommand):
    help = "Ingest articles from .txt, .json and .jsonl files or folders of them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders (searched recursively).")
        parser.add_argument("--source", help="Source name for articles whose input names none.")
        parser.add_argument("--language", default="en", help="BCP 47 language for articles that carry none.")

    def handle(self, *args, paths: list[Path], source: str | None, language: str, **options):
        files = list(iter_paths(paths))
        if not files:
            raise CommandError(f"No .txt, .json or .jsonl files under {', '.join(map(str, paths))}.")
        directory = speaker_directory()
        created = unchanged = revised = 0
        failures: list[str] = []
        progress = tqdm(files, unit="file", disable=None if len(files) > 20 else True, file=self.stderr._out)
        for path in progress:
            try:
                records = read_path(path, max_bytes=settings.INGEST_MAX_BYTES)
                for record in records:
                    result = article_ingest(
                        record=record, directory=directory, default_source=source, default_language=language
                    )
                    created += result.created
                    revised += result.revised
                    unchanged += not (result.created or result.revised)
                    if options["verbosity"] >= 1:
                        progress.write(result.message, file=self.stdout._out)
            except (IngestError, ValidationError) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                failures.append(message)
                progress.write(self.style.ERROR(f"error: {message}"), file=self.stderr._out)
        summary = f"{created} ingested, {revised} revised, {unchanged} unchanged, {len(failures)} failed."
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
