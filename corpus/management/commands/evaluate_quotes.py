"""python manage.py evaluate_quotes GOLD.json [GOLD2.json ...]: score quote extraction against gold.

Runs the pure text pipeline on the article files the gold names; no database is touched.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.ingest.evaluate import KINDS, Evaluation, GoldError, evaluate
from corpus.ingest.speakers import directory_from, load_alias_file

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_ALIASES = REPO_ROOT / "seeds" / "speaker_aliases.json"


class Command(BaseCommand):
    help = "Score quote, speaker and paragraph-role extraction against hand-written gold files."

    def add_arguments(self, parser):
        parser.add_argument("gold", nargs="+", type=Path, help="Gold JSON files (format quote-gold/1).")
        parser.add_argument(
            "--root",
            type=Path,
            default=REPO_ROOT,
            help="Folder the article paths in gold files are relative to.",
        )
        parser.add_argument(
            "--aliases",
            type=Path,
            default=DEFAULT_ALIASES,
            help="Speaker alias file loaded into the directory (default: seeds/speaker_aliases.json).",
        )
        parser.add_argument("--no-aliases", action="store_true", help="Run without any speaker directory.")
        parser.add_argument("--min-direct-recall", type=float, default=None, help="Fail below this figure.")
        parser.add_argument(
            "--min-speaker-accuracy", type=float, default=None, help="Fail below this figure."
        )
        parser.add_argument(
            "--min-strict-speaker-accuracy",
            type=float,
            default=None,
            help="Fail below this figure (the right person for every gold quote with a speaker).",
        )
        parser.add_argument("--misses", action="store_true", help="List missed, spurious and wrong items.")
        parser.add_argument("--json", action="store_true", help="Print the full result as JSON instead.")

    def handle(self, *args, gold: list[Path], root: Path, aliases: Path, no_aliases: bool, **options):
        directory = None
        if not no_aliases and aliases.exists():
            try:
                directory = directory_from(load_alias_file(aliases))
            except ValueError as exc:
                raise CommandError(f"{aliases}: {exc}. Fix the alias file or pass --no-aliases.") from None
        try:
            result = evaluate(gold, root=root, directory=directory)
        except GoldError as exc:
            raise CommandError(str(exc)) from None

        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._table(result, misses=options["misses"])

        failures = []
        minimum = options["min_direct_recall"]
        if minimum is not None and result.direct_recall < minimum:
            failures.append(f"direct-quote recall {result.direct_recall:.3f} is below {minimum:.3f}")
        minimum = options["min_speaker_accuracy"]
        if minimum is not None and result.speaker_accuracy < minimum:
            failures.append(f"speaker accuracy {result.speaker_accuracy:.3f} is below {minimum:.3f}")
        minimum = options["min_strict_speaker_accuracy"]
        if minimum is not None and result.strict_speaker_accuracy < minimum:
            failures.append(
                f"strict speaker accuracy {result.strict_speaker_accuracy:.3f} is below {minimum:.3f}"
            )
        if failures:
            raise CommandError("; ".join(failures) + ". Run with --misses to see which quotes went wrong.")
        self.stdout.write(self.style.SUCCESS(f"Evaluated {len(result.articles)} article(s)."))

    def _table(self, result: Evaluation, *, misses: bool) -> None:
        header = f"{'article':<22} {'direct R':>8} {'direct P':>8} {'partial R':>9} {'indirect R':>10}"
        header += f" {'speaker':>8} {'strict':>7} {'roles':>6}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for article in result.articles:
            t = article.tallies
            speaker = article.speakers_correct / article.speakers_total if article.speakers_total else 1.0
            roles = article.roles_correct / article.roles_total if article.roles_total else 1.0
            strict = article.strict_correct / article.strict_total if article.strict_total else 1.0
            self.stdout.write(
                f"{article.id[:22]:<22} {t['direct'].recall:>8.3f} {t['direct'].precision:>8.3f}"
                f" {t['partial'].recall:>9.3f} {t['indirect'].recall:>10.3f} {speaker:>8.3f}"
                f" {strict:>7.3f} {roles:>6.3f}"
            )
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{'all':<22} {result.direct_recall:>8.3f} {result.direct_precision:>8.3f}"
            f" {result.partial_recall:>9.3f} {result.indirect_recall:>10.3f}"
            f" {result.speaker_accuracy:>8.3f} {result.strict_speaker_accuracy:>7.3f} {result.role_accuracy:>6.3f}"
        )
        counts = ", ".join(
            f"{kind} {sum(a.tallies[kind].matched for a in result.articles)}/"
            f"{sum(a.tallies[kind].gold for a in result.articles)}"
            for kind in KINDS
        )
        self.stdout.write(f"matched/gold: {counts}")
        registry = result.registry
        self.stdout.write(
            f"registry: {registry.persons} person record(s), {len(registry.junk)} junk person name(s)"
            f"{': ' + ', '.join(registry.junk[:20]) if registry.junk else ''}; "
            f"{registry.off_main}/{registry.quotes} person quote(s) off their person's main record"
        )
        for quotes, main, records in registry.top:
            self.stdout.write(
                f"  {quotes:>5}  {main}  ({len(records)} record{'s' if len(records) > 1 else ''})"
            )
        if not misses:
            return
        for article in result.articles:
            for label, items in (
                ("missed", article.missed),
                ("spurious", article.spurious),
                ("wrong speaker", article.wrong_speakers),
                ("wrong role", article.wrong_roles),
            ):
                for item in items:
                    self.stdout.write(f"  {article.id}: {label}: {json.dumps(item, ensure_ascii=False)}")
