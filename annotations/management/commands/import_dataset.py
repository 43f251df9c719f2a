"""python manage.py import_dataset PATH [--restore] [--from doccano|label-studio --user USERNAME [--tag-map LABEL=SLUG]]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.imports import foreign
from annotations.imports.importer import dataset_import
from annotations.imports.reading import BATCH_SIZE, DatasetError
from annotations.imports.restore import RestoreRefused


class Command(BaseCommand):
    help = (
        "Load an export (a JSONL file with its companions, or a jsonl, csv or parquet folder or zip) into "
        "this database, merging articles it already has; with --from, a doccano JSONL or Label Studio JSON "
        "export, its labels becoming tags on the importing user's annotations."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"articles written per transaction (default {BATCH_SIZE}); memory grows with it",
        )
        parser.add_argument(
            "--restore",
            action="store_true",
            help=(
                "into an empty database only: load the whole dataset in one transaction, all of it or, if "
                "any article fails, none of it; on PostgreSQL indexes and foreign keys are built once at "
                "the end (about half the server's work) and the tables are locked until it is done"
            ),
        )
        parser.add_argument(
            "--from", dest="source_tool", choices=foreign.FORMATS, help="the tool the file was exported from"
        )
        parser.add_argument("--user", help="with --from: the username the annotations are written as")
        parser.add_argument(
            "--tag-map",
            action="append",
            default=[],
            metavar="LABEL=SLUG",
            help="with --from: the tag a label becomes (default: a tag named after the label)",
        )

    def handle(self, *args, path: str, batch_size: int, restore: bool, source_tool, user, tag_map, **options):
        if source_tool and restore:
            raise CommandError("--restore loads Newsdesk datasets only, not --from exports.")
        if source_tool:
            return self._foreign(Path(path), source_tool, user, tag_map)
        tool = foreign.sniff(Path(path))
        if tool is not None:
            raise CommandError(
                f"{path} looks like a {tool} export, not a Newsdesk dataset: "
                f"run import_dataset {path} --from {tool} --user USERNAME."
            )
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        progress = tqdm(unit="article", disable=None, file=self.stderr._out, desc="import")
        try:
            # The total (and so the time left) for a bar someone watches; nothing counted for a pipe.
            sized = None if progress.disable else (lambda total: progress.reset(total=total))
            result = dataset_import(
                path=path, progress=progress, batch_size=batch_size, sized=sized, restore=restore
            )
        except (DatasetError, RestoreRefused) as exc:
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

    def _foreign(self, path: Path, tool: str, username: str | None, pairs: list[str]) -> None:
        if not username:
            raise CommandError(
                f"--from {tool} needs --user USERNAME: the annotations are written as that user."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user {username}: no such user.")
        tag_map = {}
        for pair in pairs:
            label, sep, slug = pair.partition("=")
            if not sep or not label or not slug:
                raise CommandError(f"--tag-map {pair!r}: write LABEL=SLUG.")
            tag_map[label] = slug
        try:
            result = foreign.foreign_import(path=path, fmt=tool, user=user, tag_map=tag_map)
        except DatasetError as exc:
            raise CommandError(str(exc)) from None
        for line in result.skipped:
            self.stderr.write(line)
        for error in result.errors:
            self.stderr.write(error)
        summary = f"{result.articles} document(s) imported, {result.annotations} annotation(s)"
        if result.tags_created:
            summary += f"; new tags: {', '.join(result.tags_created)}"
        if result.errors:
            raise CommandError(f"{summary}; {len(result.errors)} document(s) failed (see above).")
        self.stdout.write(self.style.SUCCESS(summary + "."))
