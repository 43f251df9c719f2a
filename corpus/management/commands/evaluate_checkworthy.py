from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.ingest.checkworthy import evaluate


class Command(BaseCommand):
    help = (
        "Score the check-worthy sentence rules against gold files (tests/gold/checkworthy.json): precision "
        "and recall in each article's top ten suggestions."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="+", type=Path)

    def handle(self, *args, gold: list[Path], **options):
        for path in gold:
            try:
                scores = evaluate(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"{path}: cannot score the gold file: {exc}") from None
            self.stdout.write(
                f"{path.name}: {scores.articles} articles, precision at 10 {scores.precision_at_10:.3f}, "
                f"recall at 10 {scores.recall_at_10:.3f}"
            )
            if options["verbosity"] > 1:
                for miss in scores.misses:
                    self.stdout.write(f"  missed {miss}")
