"""Eight clients update one annotation at once through gunicorn with several workers (separate processes,
separate database connections). Each write succeeds or gets 412; clients that lose re-read and try again;
in the end every client's write went in exactly once, and the stored state is the last winner's. On
SQLite (a file in WAL mode) no "database is locked" reaches a client as a 500."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.faults.conftest import gunicorn

pytestmark = pytest.mark.slow

CLIENTS = 8
ATTEMPTS = 60  # per client; each failed attempt means another client's write went in

SETUP = r"""
from rest_framework.authtoken.models import Token
from tests.factories import AnnotationFactory, UserFactory

author = UserFactory(username="author", groups=["Editor"])
annotation = AnnotationFactory(author=author, note="original")
result = {"annotation": annotation.pk, "token": Token.objects.create(user=author).key}
"""

FINAL = r"""
from annotations.models import Annotation

annotation = Annotation.objects.get(pk={pk})
result = {{"note": annotation.note, "version": annotation.version}}
"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server_db(request):
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "child_db")


def test_eight_concurrent_writers_each_win_once_and_nothing_is_lost(server_db, tmp_path):
    if server_db.kind == "sqlite":
        assert server_db.scalar("PRAGMA journal_mode") == "wal"
    setup = server_db.script(SETUP)
    headers = {"Authorization": f"Token {setup['token']}", "Accept": "application/json"}
    with gunicorn(server_db, tmp_path, workers=4, API_THROTTLE_USER="100000/minute") as server:
        url = f"{server.url}/api/annotations/{setup['annotation']}/"
        first = requests.get(url, headers=headers, timeout=30)
        assert first.status_code == 200
        barrier = threading.Barrier(CLIENTS)

        def client(number: int) -> list[tuple[int, int | None, str]]:
            """(status, version written, note) of each attempt, until this client's write is in."""
            note = f"written by client {number}"
            etag = first.headers["ETag"]  # all start from the same version: a real race
            seen = []
            barrier.wait(timeout=60)
            for _ in range(ATTEMPTS):
                response = requests.patch(
                    url, json={"note": note}, headers={**headers, "If-Match": etag}, timeout=60
                )
                version = response.json().get("version") if response.status_code == 200 else None
                seen.append((response.status_code, version, note))
                if response.status_code != 412:
                    break
                etag = requests.get(url, headers=headers, timeout=60).headers["ETag"]
            return seen

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(client, range(CLIENTS)))
        assert server.alive()
        logs = server.logs()

    attempts = [a for attempts in results for a in attempts]
    assert {status for status, _, _ in attempts} <= {200, 412}, attempts
    # The first round started from one version: exactly one client won it.
    assert sorted(r[0][0] for r in results).count(200) == 1
    wins = [(version, note) for status, version, note in attempts if status == 200]
    assert len(wins) == CLIENTS, results  # every client got its write in, once
    assert sorted(v for v, _ in wins) == list(range(2, CLIENTS + 2))  # one version per write, no gaps
    final = server_db.script(FINAL.format(pk=setup["annotation"]))
    assert final == {"note": max(wins)[1], "version": CLIENTS + 1}
    assert "database is locked" not in logs
    assert " 500 " not in logs
