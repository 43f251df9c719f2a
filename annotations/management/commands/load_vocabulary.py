"""python manage.py load_vocabulary [PATH]: load or update the tag vocabulary (default: seeds/vocabulary.json)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from annotations.services import tag_vocabulary_load


class Command(BaseCommand):
    help = "Load or update the tag vocabulary from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=settings.BASE_DIR / "seeds" / "vocabulary.json"
        )

    def handle(self, *args, path: Path, **options):
        try:
            created, updated = tag_vocabulary_load(path=path)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Vocabulary {path.name}: {created} tag(s) created, {updated} updated.")
        )
