"""python manage.py load_speakers [PATH]: register the speakers and alias phrases of an alias file
(default: seeds/speaker_aliases.json). Editors extend the list in the admin afterwards."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from corpus.ingest.speakers import load_alias_file
from corpus.services import speakers_register


class Command(BaseCommand):
    help = "Register speakers and their alias phrases from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=settings.BASE_DIR / "seeds" / "speaker_aliases.json"
        )

    def handle(self, *args, path: Path, **options):
        try:
            refs = load_alias_file(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        with transaction.atomic():
            for ref in refs:
                speakers_register(refs=[ref])
        self.stdout.write(self.style.SUCCESS(f"Speakers {path.name}: {len(refs)} speaker(s) registered."))
