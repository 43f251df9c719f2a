"""python manage.py import_dataset PATH"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.exports.importer import BATCH_SIZE, DatasetError, dataset_import


class Command(BaseCommand):
    help = (
        "Load an export (a JSONL file with its companions, or a jsonl, csv or parquet folder or zip) into "
        "this database, merging articles it already has."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"articles written per transaction (default {BATCH_SIZE}); memory grows with it",
        )

    def handle(self, *args, path: str, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        progress = tqdm(unit="article", disable=None, file=self.stderr._out, desc="import")
        try:
            result = dataset_import(path=path, progress=progress, batch_size=batch_size)
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        for error in result.errors:
            self.stderr.write(error)
        counts = ", ".join(f"{n} {name}" for name, n in sorted(result.counts.items()) if n)
        summary = f"{result.created} article(s) created, {result.merged} merged" + (
            f"; new: {counts}" if counts else ""
        )
        if result.failed:
            raise CommandError(f"{summary}; {result.failed} article(s) failed (see above).")
        self.stdout.write(self.style.SUCCESS(summary + "."))
