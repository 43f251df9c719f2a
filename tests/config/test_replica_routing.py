"""Read replicas: anonymous reads may be served by the replica; a signed-in user's reads, token clients,
writes and transactions stay on the primary. Checked with two real database files in a child process,
the replica deliberately different so that the answer shows which database gave it."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

from tests.conftest import REPO

SCRIPT = r"""
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.test import Client
from corpus.models import Article
from config.routing import replica_reads

out = {}
anonymous = Client()
out["anonymous"] = anonymous.get("/api/articles/").json()["results"][0]["title"]
user = get_user_model().objects.create_superuser("boss", password="x-long-password-1")
from rest_framework.authtoken.models import Token
token = Token.objects.create(user=user)
response = anonymous.get("/api/articles/", HTTP_AUTHORIZATION=f"Token {token.key}")
out["token"] = response.json()["results"][0]["title"]
editor = Client()
editor.force_login(user)
out["signed_in"] = editor.get("/api/articles/").json()["results"][0]["title"]
with replica_reads():
    out["export"] = Article.objects.get().title
    with transaction.atomic():
        out["in_transaction"] = Article.objects.get().title
out["default_reads"] = Article.objects.get().title
print(json.dumps(out))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    return {**env, "DEBUG": "1", "SECRET_KEY": "replica-test", **extra}


def test_replica_serves_only_anonymous_reads_and_exports(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = _env(DATABASE_URL=f"sqlite:///{primary}")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=REPO, env=env, check=True, timeout=300)
    story = tmp_path / "story.txt"
    story.write_text("Primary headline\nA paragraph of text.\n", encoding="utf-8")
    subprocess.run([*manage, "ingest", str(story), "-v0"], cwd=REPO, env=env, check=True, timeout=300)
    # "replication", then a difference that tells the two apart
    with sqlite3.connect(primary) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(primary, replica)
    with sqlite3.connect(replica) as conn:
        conn.execute("UPDATE corpus_article SET title = 'Replica headline'")

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env={**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["anonymous"] == "Replica headline"
    assert seen["signed_in"] == "Primary headline"
    assert seen["export"] == "Replica headline"
    assert seen["in_transaction"] == "Primary headline"
    assert seen["default_reads"] == "Primary headline"
    assert seen["token"] == "Primary headline"
