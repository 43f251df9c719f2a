"""python manage.py reprocess [--all | --outdated | ID ...] [--speakers]: run the current pipeline again on
stored raw text, and with --all or --speakers clean up the speaker registry afterwards.

Editors' corrections, verified quotes, merges and annotations are kept (see
corpus.services.article_reprocess and corpus.registry.speakers_clean_up).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.ingest.pipeline import PIPELINE_VERSION
from corpus.ingest.readers import IngestError
from corpus.models import Article
from corpus.selectors import speaker_directory
from corpus.services import article_reprocess, speakers_clean_up


class Command(BaseCommand):
    help = "Re-run cleaning and quote extraction on stored articles."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Article ids.")
        parser.add_argument("--all", action="store_true", help="Every article.")
        parser.add_argument(
            "--outdated",
            action="store_true",
            help=f"Articles processed by a pipeline other than {PIPELINE_VERSION}.",
        )
        parser.add_argument(
            "--speakers",
            action="store_true",
            help="Clean up the speaker registry (after the articles, if any are named); --all does it too.",
        )

    def handle(self, *args, ids: list[int], all: bool, outdated: bool, speakers: bool, **options):
        chosen = bool(ids) + all + outdated
        if chosen > 1 or not (chosen or speakers):
            raise CommandError("Name article ids, or pass --all or --outdated (one of them), or --speakers.")
        if chosen:
            self._articles(ids=ids, outdated=outdated, verbosity=options["verbosity"])
        if all or speakers:
            result = speakers_clean_up()
            if options["verbosity"] >= 1:
                for name, target in result.merged:
                    self.stdout.write(f"speaker {name!r} merged into {target!r}")
                if result.removed:
                    self.stdout.write(f"junk speakers removed: {', '.join(result.removed)}")
            self.stdout.write(self.style.SUCCESS(result.message))

    def _articles(self, *, ids: list[int], outdated: bool, verbosity: int) -> None:
        queryset = Article.objects.order_by("id")
        if ids:
            missing = sorted(set(ids) - set(queryset.filter(pk__in=ids).values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
            queryset = queryset.filter(pk__in=ids)
        elif outdated:
            queryset = queryset.exclude(pipeline_version=PIPELINE_VERSION)
        pks = list(queryset.values_list("pk", flat=True))
        directory = speaker_directory()
        failures = 0
        progress = tqdm(pks, unit="article", disable=None if len(pks) > 20 else True, file=self.stderr._out)
        for pk in progress:
            try:
                result = article_reprocess(article=Article(pk=pk), directory=directory)
            except IngestError as exc:
                failures += 1
                progress.write(self.style.ERROR(f"error: {exc}"), file=self.stderr._out)
                continue
            if verbosity >= 1:
                progress.write(result.message, file=self.stdout._out)
        summary = f"{len(pks) - failures} article(s) re-processed with pipeline {PIPELINE_VERSION}, {failures} failed."
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
