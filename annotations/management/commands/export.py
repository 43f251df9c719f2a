"""python manage.py export --format jsonl --output PATH|-"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.exports import jsonl
from annotations.exports.dataset import iter_article_records
from corpus.models import Article

TEXT_FORMATS = {"jsonl": jsonl}


class Command(BaseCommand):
    help = "Export the annotated corpus as a dataset."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(TEXT_FORMATS), dest="fmt")
        parser.add_argument("--output", required=True, help="A file path, or - for standard output.")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Also export draft and rejected annotations and fact-checks.",
        )
        parser.add_argument(
            "--include-orphans",
            action="store_true",
            help="Also export annotations and quotes that a new revision left without a place (no offsets).",
        )
        parser.add_argument(
            "--article", type=int, action="append", dest="article_ids", help="Only these article ids."
        )

    def handle(
        self,
        *args,
        fmt: str,
        output: str,
        include_drafts: bool,
        include_orphans: bool,
        article_ids: list[int] | None,
        **options,
    ):
        writer = TEXT_FORMATS[fmt]
        queryset = Article.objects.all()
        if article_ids:
            queryset = queryset.filter(pk__in=article_ids)
        total = queryset.count()
        records = iter_article_records(
            queryset, include_drafts=include_drafts, include_orphans=include_orphans
        )
        if output == "-":
            try:
                writer.write(records, sys.stdout)
                sys.stdout.flush()
            except BrokenPipeError:
                # The reader stopped early (| head): not an error of ours.
                sys.stdout = None
            return
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"--output {path} is a folder; name a file, or - for standard output.")
        tmp = path.with_name(path.name + ".partial")
        try:
            with tmp.open("w", encoding="utf-8", newline="\n") as stream:
                progress = tqdm(records, total=total, unit="article", disable=None, file=self.stderr._out)
                count = writer.write(progress, stream)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        tmp.replace(path)  # readers never see a half-written file
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} article(s) to {path}."))
