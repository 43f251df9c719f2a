from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds" / "articles"


def pytest_collection_modifyitems(config, items):
    """Postgres-only tests are skipped, with the reason, where the suite runs on another database."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In CI a skipped test is a failure: whatever a test needs, CI must provide."""
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("CI") == "true" and skipped:
        terminalreporter.write_line(
            f"CI: {len(skipped)} test(s) were skipped; CI must run them all.", red=True
        )
        terminalreporter._session.exitstatus = 1


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def seeded(db):
    """The demo corpus: vocabulary, speakers and both seed articles, ingested as `make run` does."""
    call_command("load_vocabulary", verbosity=0)
    call_command("load_speakers", verbosity=0)
    call_command("ingest", str(SEEDS), verbosity=0)
    from corpus.models import Article

    return list(Article.objects.order_by("id"))


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
