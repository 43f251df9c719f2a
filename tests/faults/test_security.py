"""Security against a running gunicorn: CSRF on session writes, throttling, login lockout, secrets kept
out of logs and exports, drafts kept out of anonymous answers, public exports and fact-check pages."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.faults.conftest import SECRET_KEY, ChildDatabase, Server, _database, gunicorn

pytestmark = pytest.mark.slow

MARK = f"marker{secrets.token_hex(6)}"  # in every draft, never in an anonymous answer
PASSWORD = f"pw-{secrets.token_hex(12)}"
LOCKOUT_LIMIT = 3
COOLOFF_MINUTES = 10  # far longer than the test: the lockout cannot end by itself meanwhile

SETUP = r"""
from rest_framework.authtoken.models import Token
from annotations import services
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory
from django.contrib.auth import get_user_model

mark, password = {mark!r}, {password!r}
editor = UserFactory(username="editor", groups=["Editor"], is_staff=True)
editor.set_password(password)
editor.save()
checker = UserFactory(username="checker", groups=["Fact-checker"], is_staff=True)
checker.set_password(password)
checker.save()
get_user_model().objects.create_superuser("root", "root@example.org", password)
token = Token.objects.create(user=editor).key
article = ArticleFactory()
AnnotationFactory(article=article, author=editor, status="published", note="public note")
AnnotationFactory(article=article, author=editor, status="draft", note=f"draft {{mark}} note")
AnnotationFactory(article=article, author=editor, status="rejected", note=f"rejected {{mark}} note")

def check(text, verdict, *, rationale):
    claim = services.claim_create(article=article, text=text, created_by=editor)
    return services.factcheck_create(claim=claim, author=editor, verdict=verdict, rationale=rationale)

draft = check(f"draft claim {{mark}}", "false", rationale=f"draft rationale {{mark}}")
review = check(f"review claim {{mark}}", "mixed", rationale=f"review rationale {{mark}}")
services.factcheck_submit(fact_check=review, expected_version=1, user=editor)
published = check("published claim", "true", rationale="published rationale")
services.factcheck_submit(fact_check=published, expected_version=1, user=editor)
published.refresh_from_db()
services.factcheck_publish(fact_check=published, expected_version=published.version, user=checker)
result = {{
    "token": token, "article": article.pk,
    "draft": draft.pk, "review": review.pk, "published": published.pk,
}}
"""


@dataclass
class World:
    db: ChildDatabase
    server: Server
    ids: dict


@pytest.fixture(scope="module")
def world(_template, tmp_path_factory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("security")
    with _database(_template, _template.kind, folder) as db:
        ids = db.script(SETUP.format(mark=MARK, password=PASSWORD))
        env = {
            "AXES_ENABLED": "1",
            "AXES_FAILURE_LIMIT": str(LOCKOUT_LIMIT),
            "AXES_COOLOFF_MINUTES": str(COOLOFF_MINUTES),
            "API_THROTTLE_ANON": "100000/minute",
            "API_THROTTLE_USER": "100000/minute",
        }
        with gunicorn(db, folder, workers=2, **env) as server:
            yield World(db=db, server=server, ids=ids)


def _login(base: str, username: str, password: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    session.get(f"{base}/admin/login/", timeout=30)
    response = session.post(
        f"{base}/admin/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=30,
    )
    return session, response


def test_session_writes_need_the_csrf_token(world):
    base = world.server.url
    session, response = _login(base, "editor", PASSWORD)
    assert response.status_code == 302
    body = {"article": world.ids["article"], "start": 0, "end": 4, "note": "via session"}
    refused = session.post(f"{base}/api/annotations/", json=body, timeout=30)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = session.post(
        f"{base}/api/annotations/",
        json=body,
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        timeout=30,
    )
    assert accepted.status_code == 201, accepted.text
    # A token client needs no CSRF token: it sends no cookie a forger could ride on.
    token_write = requests.post(
        f"{base}/api/annotations/",
        json=body,
        headers={"Authorization": f"Token {world.ids['token']}"},
        timeout=30,
    )
    assert token_write.status_code == 201


def test_admin_login_locks_out_the_username_from_that_address_then_cools_off(world):
    base = world.server.url
    for attempt in range(1, LOCKOUT_LIMIT + 1):
        _, response = _login(base, "checker", "wrong-password")
        # The form again with its error; the failure that reaches the limit is answered with the lockout.
        assert response.status_code == (429 if attempt == LOCKOUT_LIMIT else 200), attempt
    _, locked = _login(base, "checker", PASSWORD)
    assert locked.status_code == 429, locked.status_code  # even the right password, while locked
    _, other = _login(base, "root", PASSWORD)
    assert other.status_code == 302  # another username from the same address is not locked
    # The cool-off passes: the failed attempts are made as old as it (every attempt during the lockout
    # would start it again, so it is not waited out by trying, and not on the wall clock either).
    world.db.script(AGE_ATTEMPTS.format(username="checker", minutes=COOLOFF_MINUTES))
    _, response = _login(base, "checker", PASSWORD)
    assert response.status_code == 302


AGE_ATTEMPTS = """
from datetime import timedelta
from django.db.models import F
from axes.models import AccessAttempt
aged = AccessAttempt.objects.filter(username={username!r}).update(
    attempt_time=F("attempt_time") - timedelta(minutes={minutes}, seconds=1)
)
assert aged >= 1, aged
"""


def _anonymous_get_paths(base: str, ids: dict) -> list[str]:
    schema = requests.get(f"{base}/api/schema/?format=json", timeout=60).json()
    candidates = range(1, 12)
    paths = []
    for path, item in schema["paths"].items():
        if "get" not in item or path.startswith("/api/exports/jobs/"):
            continue  # export jobs are per signed-in user
        if "{fmt}" in path:
            paths += [path.replace("{fmt}", fmt) for fmt in ("jsonl", "csv", "parquet", "w3c", "claimreview")]
        elif "{" in path:
            paths += [re.sub(r"\{\w+\}", str(pk), path) for pk in candidates]
        else:
            paths += [path, f"{path}?page_size=100", f"{path}?cursor="]
    return paths


def test_drafts_never_reach_anonymous_readers_or_public_exports(world, tmp_path):
    base = world.server.url
    checked = 0
    for path in _anonymous_get_paths(base, world.ids):
        response = requests.get(f"{base}{path}", timeout=120)
        assert response.status_code < 500, (path, response.status_code)
        assert MARK.encode() not in response.content, path
        checked += response.status_code == 200
    assert checked > 30
    # The drafts are there: a viewer sees them, so the checks above were not vacuous.
    viewer = requests.get(
        f"{base}/api/annotations/?page_size=100", headers={"Authorization": f"Token {world.ids['token']}"}
    )
    assert MARK in viewer.text
    asked = requests.get(f"{base}/api/exports/jsonl/?include_drafts=1", timeout=60)
    assert asked.status_code in (401, 403)

    for fmt, output in (
        ("jsonl", "corpus.jsonl"),
        ("w3c", "w3c.jsonld"),
        ("claimreview", "claimreview.json"),
        ("csv", "csv"),
        ("parquet", "parquet"),
    ):
        target = tmp_path / output
        world.db.manage("export", "--format", fmt, "--output", str(target))
        for blob in _blobs(target):
            assert MARK.encode() not in blob, (fmt, output)
    full = tmp_path / "with-drafts.jsonl"
    world.db.manage("export", "--format", "jsonl", "--include-drafts", "--output", str(full))
    assert MARK in full.read_text(encoding="utf-8")


def test_public_fact_check_pages_show_only_published_fact_checks(world):
    base = world.server.url
    page = requests.get(f"{base}/fact-checks/{world.ids['published']}/", timeout=30)
    assert page.status_code == 200 and "published claim" in page.text
    for key in ("draft", "review"):
        hidden = requests.get(f"{base}/fact-checks/{world.ids[key]}/", timeout=30)
        assert hidden.status_code == 404 and MARK not in hidden.text, key
    assert requests.get(f"{base}/fact-checks/999999/", timeout=30).status_code == 404


def test_secrets_never_appear_in_logs_or_exports(world, tmp_path):
    base = world.server.url
    token = world.ids["token"]
    # Traffic that carries each secret: a login, a failed login, token calls (good and bad), errors.
    _login(base, "editor", PASSWORD)
    _login(base, "nobody", PASSWORD)
    requests.get(f"{base}/api/articles/", headers={"Authorization": f"Token {token}"}, timeout=30)
    requests.post(
        f"{base}/api/annotations/",
        json={"bad": PASSWORD},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    requests.get(f"{base}/api/articles/", headers={"Authorization": f"Token {token}x"}, timeout=30)
    ingest = world.db.manage("ingest", str(_story(tmp_path)), check=False)
    outputs = [world.server.logs(), ingest.stdout + ingest.stderr]
    for fmt, output in (
        ("jsonl", "all.jsonl"),
        ("csv", "csv"),
        ("parquet", "parquet"),
        ("w3c", "w3c.jsonld"),
    ):
        target = tmp_path / output
        done = world.db.manage("export", "--format", fmt, "--include-drafts", "--output", str(target))
        outputs.append(done.stdout + done.stderr)
        outputs += [blob.decode("utf-8", errors="replace") for blob in _blobs(target)]
    hashes = world.db.script(
        "from django.contrib.auth import get_user_model\n"
        "result = list(get_user_model().objects.values_list('password', flat=True))"
    )
    for secret in (PASSWORD, token, SECRET_KEY, *hashes):
        for text in outputs:
            assert secret not in text
    assert "POST /admin/login/" in outputs[0] and "New login failure" in outputs[0]  # logs were captured


def _story(folder: Path) -> Path:
    story = folder / "story.txt"
    story.write_text("A story\nThe council met.\n", encoding="utf-8")
    return story


def _blobs(target: Path) -> Iterator[bytes]:
    if target.is_dir():
        for path in sorted(target.rglob("*")):
            if path.is_file():
                yield path.read_bytes()
    else:
        yield target.read_bytes()


# The throttles' clock stands still in these servers: on the wall clock a minute that turns mid-test
# starts a new window, and the sixth request may pass.
STILL_CLOCK = "tests.faults.still_clock:application"


def test_throttling_answers_429_with_retry_after(child_db, tmp_path):
    # Several workers, fresh connections: the count is shared (a table of the database), not per worker.
    with gunicorn(child_db, tmp_path, workers=3, app=STILL_CLOCK, API_THROTTLE_ANON="5/minute") as server:
        codes = []
        for _ in range(20):
            response = requests.get(f"{server.url}/api/tags/", timeout=30, headers={"Connection": "close"})
            codes.append(response.status_code)
            if response.status_code == 429:
                # Ten seconds into the still clock's minute, with nothing before it: the window ends in 50.
                assert response.headers["Retry-After"] == "50"
                assert "throttled" in response.json()["detail"].lower()
                break
        assert codes == [200] * 5 + [429], codes


def test_a_spoofed_forwarded_for_does_not_escape_the_throttle(child_db, tmp_path):
    # No trusted proxy (the default): X-Forwarded-For is the client's own words and counts for nothing.
    with gunicorn(
        child_db, tmp_path, workers=2, app=STILL_CLOCK, API_THROTTLE_ANON="5/minute", TRUSTED_PROXIES="0"
    ) as server:
        codes = []
        for _ in range(8):
            spoofed = ".".join(str(secrets.randbelow(254) + 1) for _ in range(4))
            response = requests.get(
                f"{server.url}/api/tags/",
                timeout=30,
                headers={"Connection": "close", "X-Forwarded-For": spoofed},
            )
            codes.append(response.status_code)
        assert codes == [200] * 5 + [429] * 3, codes
    # One row per scope (anon, user) for the one real address, none for a spoofed one.
    assert child_db.scalar("SELECT COUNT(*) FROM annotations_throttlecount") == 2
    assert child_db.scalar("SELECT COUNT(*) FROM annotations_throttlecount WHERE key LIKE '%127.0.0.1'") == 2
