"""python manage.py setup_demo: everything ``make run`` needs before serving, in one process.

Migrates the database, loads the tag vocabulary and the speaker alias list from ``seeds/``, ingests the
seed articles and makes sure an administrator exists; each step is skipped when it is already done (no
migration to apply; the same vocabulary and alias files loaded into this database before; every seed
article already stored). On the first run it also writes ``.env`` (git-ignored) with ``DEBUG=1`` and a
generated ``SECRET_KEY``, which the settings read, so that every later ``manage.py`` command of this
checkout works without exporting anything.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from annotations.models import Tag
from corpus.ingest.readers import IngestError, iter_paths, read_path
from corpus.models import Article, Speaker


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Command(BaseCommand):
    help = (
        "Set up a development checkout: migrate, load the vocabulary, speakers and seed corpus, and an admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=Path, default=settings.BASE_DIR / "seeds")
        parser.add_argument(
            "--env-file",
            type=Path,
            default=Path(settings.ENV_FILE) if settings.ENV_FILE else None,
            help="Where to write the local environment file if it is missing (default: the one the "
            "settings read, .env).",
        )

    def handle(self, *args, seeds: Path, env_file: Path | None, **options):
        self.verbosity = options["verbosity"]
        if env_file is not None:
            self._env_file(env_file)
        self._migrate()
        done = self._done()
        vocabulary = seeds / "vocabulary.json"
        if done.get("vocabulary") == _fingerprint(vocabulary) and Tag.objects.exists():
            self._say("Vocabulary: already loaded.")
        else:
            call_command("load_vocabulary", str(vocabulary), verbosity=self.verbosity, stdout=self.stdout)
            done["vocabulary"] = _fingerprint(vocabulary)
        aliases = seeds / "speaker_aliases.json"
        if done.get("speakers") == _fingerprint(aliases) and Speaker.objects.exists():
            self._say("Speakers: already registered.")
        else:
            call_command("load_speakers", str(aliases), verbosity=self.verbosity, stdout=self.stdout)
            done["speakers"] = _fingerprint(aliases)
        self._save_done(done)
        self._seeds(seeds / "articles")
        call_command("ensure_admin", verbosity=self.verbosity, stdout=self.stdout)
        site = settings.SITE_URL
        self.stdout.write(
            self.style.SUCCESS(
                f"Ready: {site}/ (admin {site}/admin/, API {site}/api/, docs {site}/api/docs/)."
            )
        )

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def _env_file(self, path: Path) -> None:
        if path.exists():
            return
        path.write_text(
            "# Written by `make run` (manage.py setup_demo) for this development checkout; git-ignored.\n"
            "# The settings read it for what the environment does not set. Never deploy with it.\n"
            f"DEBUG=1\nSECRET_KEY={secrets.token_urlsafe(50)}\n",
            encoding="utf-8",
        )
        path.chmod(0o600)
        self._say(f"Wrote {path.name} (DEBUG=1 and a new SECRET_KEY) for the commands of this checkout.")

    def _migrate(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            self._say("Database: up to date.")
            return
        call_command("migrate", interactive=False, verbosity=0)
        self._say(f"Database: {len(plan)} migration(s) applied.")

    # What was loaded into which database, so that a second run skips it.
    def _done_path(self) -> Path:
        name = str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
        key = hashlib.sha256(name.encode()).hexdigest()[:12]
        return Path(settings.VAR_DIR) / f"setup-{key}.json"

    def _done(self) -> dict:
        try:
            return json.loads(self._done_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save_done(self, done: dict) -> None:
        path = self._done_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(done), encoding="utf-8")

    def _seeds(self, folder: Path) -> None:
        def hashes_of(path: Path) -> set[str]:
            try:
                return {r.content_hash for r in read_path(path, max_bytes=settings.INGEST_MAX_BYTES)}
            except IngestError:
                return {""}  # never stored: ingest runs and says what is wrong with the file

        hashes = set().union(*map(hashes_of, iter_paths([folder])))
        stored = set(Article.objects.filter(content_hash__in=hashes).values_list("content_hash", flat=True))
        if hashes and stored == hashes:
            self._say(f"Seed corpus: {len(hashes)} article(s) already ingested.")
            return
        call_command("ingest", str(folder), verbosity=0, stdout=self.stdout)
