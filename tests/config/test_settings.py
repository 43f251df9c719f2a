"""Settings from the environment: a deployment behind TLS passes check --deploy; development still works."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from tests.conftest import REPO


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
    }
    clean.pop("DEBUG", None)
    clean.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    done = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        SITE_URL="https://news.example.org",
        SECURE_HSTS_PRELOAD="1",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_missing_secret_key_without_debug_is_a_clear_error():
    done = _manage("check", DEBUG="0")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_bad_boolean_is_named():
    done = _manage("check", DEBUG="maybe")
    assert done.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in done.stderr


def test_development_settings_work_on_plain_http():
    done = _manage("check", DEBUG="1")
    assert done.returncode == 0, done.stderr


def _tasks_backend(**env: str) -> str:
    done = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])", **env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_tasks_run_in_process_under_make_run_and_on_a_worker_otherwise():
    env = {k: "" for k in ("TASKS_BACKEND",)}
    assert _tasks_backend(DEBUG="1", **env) == "django_tasks.backends.immediate.ImmediateBackend"
    assert (
        _tasks_backend(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), **env)
        == "django_tasks_db.DatabaseBackend"
    )
    chosen = _tasks_backend(DEBUG="1", TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    assert chosen == "django_tasks_db.DatabaseBackend"
