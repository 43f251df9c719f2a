"""A newcomer's first minutes: `make run`'s set-up in one command that skips what is done, a local .env
the settings read so later commands need nothing exported, quiet commands, and a front page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotations.models import Tag
from corpus.models import Article, Speaker
from tests.conftest import REPO

pytestmark = pytest.mark.django_db


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "AXES_"))}
    for name in ("DEBUG", "SECRET_KEY", "ENV_FILE", "LOG_LEVEL"):
        clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_setup_demo_sets_everything_up_once_and_then_skips_it(tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    env_file = tmp_path / ".env"
    call_command("setup_demo", "--env-file", str(env_file))
    first = capsys.readouterr().out
    assert Tag.objects.count() > 10 and Speaker.objects.count() > 5 and Article.objects.count() == 2
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert "2 ingested" in first and "Administrator account created" in first
    written = env_file.read_text()
    assert "DEBUG=1\n" in written and len(written.split("SECRET_KEY=")[1].strip()) >= 50
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"

    call_command("setup_demo", "--env-file", str(env_file))
    second = capsys.readouterr().out
    for said in (
        "Database: up to date.",
        "Vocabulary: already loaded.",
        "Speakers: already registered.",
        "Seed corpus: 2 article(s) already ingested.",
        "An administrator account already exists",
    ):
        assert said in second
    assert env_file.read_text() == written  # kept, not rewritten
    assert Article.objects.count() == 2 and get_user_model().objects.count() == 1


def test_setup_demo_loads_a_changed_vocabulary_again(tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    seeds = tmp_path / "seeds"
    (seeds / "articles").mkdir(parents=True)
    for name in ("vocabulary.json", "speaker_aliases.json"):
        (seeds / name).write_bytes((REPO / "seeds" / name).read_bytes())
    (seeds / "articles" / "one.txt").write_text("A headline\n\nA first paragraph of the article.\n")
    call_command("setup_demo", "--seeds", str(seeds), "--env-file", str(tmp_path / ".env"))
    capsys.readouterr()
    with (seeds / "vocabulary.json").open("a") as stream:
        stream.write("\n")  # another file: loaded again; the alias list is the same: skipped
    call_command("setup_demo", "--seeds", str(seeds), "--env-file", str(tmp_path / ".env"))
    out = capsys.readouterr().out
    tags = Tag.objects.count()
    assert f"Vocabulary vocabulary.json: 0 tag(s) created, {tags} updated." in out
    assert "Speakers: already registered." in out
    assert "Seed corpus: 1 article(s) already ingested" in out


def test_commands_read_the_env_file_and_do_not_announce_axes(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# local\nDEBUG=1\nexport SECRET_KEY='a-local-key-for-this-checkout-only-0123456789'\n"
    )
    done = _manage("check", ENV_FILE=str(env_file))
    assert done.returncode == 0, done.stderr
    assert "AXES" not in done.stderr + done.stdout
    # Without it the settings still refuse to start with no key.
    refused = _manage("check", ENV_FILE="")
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr


def test_a_bad_env_file_line_is_named(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nthis is not a setting\n")
    done = _manage("check", ENV_FILE=str(env_file))
    assert done.returncode != 0
    assert f"{env_file}, line 2: expected KEY=VALUE" in done.stderr


def test_the_front_page_leads_to_the_admin_the_api_and_its_docs(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for href in ('href="/admin/"', 'href="/api/"', 'href="/api/docs/"', 'href="/api/schema/"'):
        assert href in page
