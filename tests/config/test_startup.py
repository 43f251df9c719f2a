"""Start-up stays light: loading the apps, their admin, URLs, views and every management command (what
``manage.py check`` and any command does before it starts) imports none of the heavy libraries. They are
imported where they are used: trafilatura and lxml when an HTML page is read, pyarrow when a parquet file
is written or read; numpy only with those that bring it (pandas, pyarrow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("trafilatura", "pyarrow", "lxml", "numpy")

PROBE = """
import importlib, json, pkgutil, sys
import django
django.setup()
from django.apps import apps
from django.urls import get_resolver

loaded = []
for app in apps.get_app_configs():
    if app.name.split(".")[0] not in ("config", "corpus", "annotations"):
        continue
    for part in ("admin", "urls", "views", "services", "selectors"):
        try:
            importlib.import_module(f"{app.name}.{part}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.{part}":
                raise
        else:
            loaded.append(f"{app.name}.{part}")
    commands = importlib.import_module(f"{app.name}.management.commands")
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{app.name}.management.commands.{info.name}")
        module.Command()  # and build its parser, as running it would
        module.Command().create_parser("manage.py", info.name)
        loaded.append(module.__name__)
get_resolver().url_patterns  # the whole URLconf
from django.core.management import call_command
call_command("check", verbosity=0)
print(json.dumps({"loaded": loaded, "modules": sorted(sys.modules)}))
"""


def _probe() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_apps_admin_urls_and_commands_load_without_the_heavy_libraries():
    result = _probe()
    assert "corpus.management.commands.ingest" in result["loaded"]
    assert "annotations.management.commands.export" in result["loaded"]
    assert "annotations.management.commands.import_dataset" in result["loaded"]
    assert "annotations.admin" in result["loaded"] and "corpus.urls" in result["loaded"]
    heavy = sorted(m for m in result["modules"] if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_the_heavy_libraries_load_where_they_are_used():
    from corpus.ingest.html import extract_html

    article = extract_html(
        "<html><body><article><h1>Title</h1>"
        + "<p>A paragraph long enough to count as the article's text, and another sentence.</p>" * 4
        + "</article></body></html>"
    )
    assert article.blocks
    assert "trafilatura" in sys.modules and "lxml.html" in sys.modules


def test_manage_py_freezes_the_start_up_objects_and_collects_the_commands_own():
    """manage.py pauses the cyclic collector while the apps load, then freezes what they created (gc.freeze)
    and turns the collector back on before the command runs."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import gc, json; print(json.dumps([gc.isenabled(), gc.get_freeze_count()]))",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    enabled, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    assert enabled is True
    # The models, admin and settings of every app: far more than a bare interpreter's objects.
    assert frozen > 100_000
