from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.cluster_evaluation import clusters_evaluate
from corpus.ingest.readers import IngestError


class Command(BaseCommand):
    help = (
        "Score the quote clusters against gold files (tests/gold/clusters.json): pair precision and recall "
        "and the first appearance. The gold articles are ingested in a transaction that is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="+", type=Path)

    def handle(self, *args, gold: list[Path], **options):
        for path in gold:
            try:
                scores = clusters_evaluate(path=path)
            except IngestError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{path.name}")
            self.stdout.write(
                f"  cluster pairs: precision {scores.precision:.3f} ({scores.right_pairs}/{scores.found_pairs}), "
                f"recall {scores.recall:.3f} ({scores.right_pairs}/{scores.gold_pairs})"
            )
            self.stdout.write(
                f"  first appearance right: {scores.first_appearance:.3f} ({scores.first_right}/{scores.clusters})"
            )
            for missing in scores.unmatched:
                self.stdout.write(self.style.WARNING(f"  no quote found for gold member {missing}"))
