"""python manage.py reprocess [--all | --outdated | ID ...] [--speakers] [--jobs N]: run the current
pipeline again on stored raw text, and with --all or --speakers clean up the speaker registry afterwards.

Editors' corrections, verified quotes, merges and annotations are kept (see
corpus.services.article_reprocess and corpus.registry.speakers_clean_up). A progress bar counts the articles (with the total and the time left) and a summary ends the run; one line
per article with ``-v 2``.
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.ingest.pipeline import PIPELINE_VERSION
from corpus.models import Article
from corpus.selectors import speaker_directory
from corpus.services import IngestFailure, batch_reprocess, speakers_clean_up

# From this many articles on, the pipeline runs in one process per core unless --jobs says otherwise.
PARALLEL_FROM = 200


def _cores() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


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
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help=f"Processes running the text pipeline (default: one per core from {PARALLEL_FROM} articles on, "
            "else 1).",
        )

    def handle(
        self, *args, ids: list[int], all: bool, outdated: bool, speakers: bool, jobs: int | None, **options
    ):
        chosen = bool(ids) + all + outdated
        if chosen > 1 or not (chosen or speakers):
            raise CommandError("Name article ids, or pass --all or --outdated (one of them), or --speakers.")
        if jobs is not None and jobs < 1:
            raise CommandError("--jobs must be 1 or more.")
        if chosen:
            self._articles(ids=ids, outdated=outdated, jobs=jobs, verbosity=options["verbosity"])
        if all or speakers:
            result = speakers_clean_up()
            if options["verbosity"] >= 1:
                for name, target in result.merged:
                    self.stdout.write(f"speaker {name!r} merged into {target!r}")
                if result.removed:
                    self.stdout.write(f"junk speakers removed: {', '.join(result.removed)}")
            self.stdout.write(self.style.SUCCESS(result.message))

    def _articles(self, *, ids: list[int], outdated: bool, jobs: int | None, verbosity: int) -> None:
        queryset = Article.objects.order_by("id")
        if ids:
            missing = sorted(set(ids) - set(queryset.filter(pk__in=ids).values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
            queryset = queryset.filter(pk__in=ids)
        elif outdated:
            queryset = queryset.exclude(pipeline_version=PIPELINE_VERSION)
        pks = list(queryset.values_list("pk", flat=True))
        if jobs is None:
            jobs = _cores() if len(pks) >= PARALLEL_FROM else 1
        out, err = self.stdout._out, self.stderr._out
        totals = dict.fromkeys(
            ("changed", "unchanged", "failed", "roles", "rules", "replaced", "new", "same", "kept"), 0
        )
        started = time.monotonic()
        progress = tqdm(
            total=len(pks), unit="article", disable=None if len(pks) > 20 and verbosity else True, file=err
        )
        with progress:
            for result in batch_reprocess(pks=pks, directory=speaker_directory(), jobs=jobs):
                progress.update(1)
                if isinstance(result, IngestFailure):
                    totals["failed"] += 1
                    progress.write(self.style.ERROR(f"error: {result.message}"), file=err)
                    continue
                totals["changed" if result.changed else "unchanged"] += 1
                totals["roles"] += result.roles_changed
                totals["rules"] += result.rules_renamed
                totals["replaced"] += result.quotes_replaced
                totals["new"] += result.quotes_new
                totals["same"] += result.quotes_unchanged
                totals["kept"] += result.quotes_kept
                if verbosity >= 2:
                    progress.write(result.message, file=out)
        seconds = time.monotonic() - started
        done = len(pks) - totals["failed"]
        summary = (
            f"{done:,} article(s) re-processed with pipeline {PIPELINE_VERSION} in {seconds:.1f} s "
            f"({done / max(seconds, 1e-9):,.0f}/s, {jobs} process(es)): {totals['changed']:,} changed, "
            f"{totals['unchanged']:,} unchanged, {totals['failed']:,} failed. "
            f"Paragraphs: {totals['roles']:,} role(s) changed, {totals['rules']:,} kept their role under a "
            f"renamed rule. Machine quotes: {totals['replaced']:,} replaced by {totals['new']:,}, "
            f"{totals['same']:,} unchanged, {totals['kept']:,} kept."
        )
        if totals["failed"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
