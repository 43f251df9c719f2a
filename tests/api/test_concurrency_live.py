"""Optimistic concurrency against a running server: several clients, real HTTP, token auth, threads.

Whatever the interleaving, exactly one writer wins each version; the others get 412 and nothing they
sent is written.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.authtoken.models import Token

from annotations.models import Annotation
from tests.api.conftest import make_user
from tests.factories import AnnotationFactory

# serialized_rollback: the flush after each test would otherwise drop the role groups of the data migration.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITERS = 6


def _call(
    url: str, *, method: str = "GET", token: str, body: dict | None = None, if_match: str | None = None
):
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if if_match:
        headers["If-Match"] = if_match
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, dict(error.headers), json.loads(raw) if raw else None


@pytest.fixture
def writers():
    """The annotation's author plus tokens for each writer thread (all the same editor: the race is on
    the version, not on permissions)."""
    author = make_user("editor", "author")
    annotation = AnnotationFactory(author=author, note="original")
    token = Token.objects.create(user=author).key
    return annotation, token


def _race(url: str, *, method: str, token: str, etag: str, bodies: list[dict | None]):
    barrier = threading.Barrier(len(bodies))

    def attempt(body):
        barrier.wait()
        return _call(url, method=method, token=token, body=body, if_match=etag)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(attempt, bodies))


def test_concurrent_edits_of_one_version_have_exactly_one_winner(live_server, writers):
    annotation, token = writers
    url = f"{live_server.url}/api/annotations/{annotation.pk}/"
    status, headers, _ = _call(url, token=token)
    assert status == 200
    etag = headers["ETag"]

    results = _race(
        url, method="PATCH", token=token, etag=etag, bodies=[{"note": f"writer {i}"} for i in range(WRITERS)]
    )
    codes = sorted(code for code, _, _ in results)
    assert codes == [200] + [412] * (WRITERS - 1), codes
    winner = next(body for code, _, body in results if code == 200)
    stored = Annotation.objects.get(pk=annotation.pk)
    assert stored.note == winner["note"] and stored.version == 2
    for code, _, body in results:
        if code == 412:
            assert "version 1" in body["detail"]


def test_edit_and_delete_race_never_loses_a_confirmed_write(live_server, writers):
    annotation, token = writers
    url = f"{live_server.url}/api/annotations/{annotation.pk}/"
    etag = _call(url, token=token)[1]["ETag"]
    barrier = threading.Barrier(2)

    def edit():
        barrier.wait()
        return _call(url, method="PATCH", token=token, body={"note": "edited"}, if_match=etag)

    def delete():
        barrier.wait()
        return _call(url, method="DELETE", token=token, if_match=etag)

    with ThreadPoolExecutor(max_workers=2) as pool:
        edit_future, delete_future = pool.submit(edit), pool.submit(delete)
        edit_code, delete_code = edit_future.result()[0], delete_future.result()[0]
    # Exactly one wins; the loser is told its version is gone (412) or, arriving later, the object (404).
    assert (edit_code, delete_code) in ((200, 412), (412, 204), (404, 204)), (edit_code, delete_code)
    if edit_code == 200:
        assert Annotation.objects.get(pk=annotation.pk).note == "edited"
    else:
        assert not Annotation.objects.filter(pk=annotation.pk).exists()


def test_sequential_clients_follow_etags(live_server, writers):
    """Two clients that re-read after a 412 both get their change in, one after the other."""
    annotation, token = writers
    url = f"{live_server.url}/api/annotations/{annotation.pk}/"
    etag = _call(url, token=token)[1]["ETag"]
    first = _call(url, method="PATCH", token=token, body={"note": "first"}, if_match=etag)
    assert first[0] == 200
    stale = _call(url, method="PATCH", token=token, body={"note": "second"}, if_match=etag)
    assert stale[0] == 412
    fresh_etag = _call(url, token=token)[1]["ETag"]
    assert _call(url, method="PATCH", token=token, body={"note": "second"}, if_match=fresh_etag)[0] == 200
    assert _call(url, method="PATCH", token=token, body={"note": "x"})[0] == 428
    assert Annotation.objects.get(pk=annotation.pk).note == "second"


def test_anonymous_and_bad_tokens_cannot_write(live_server, writers):
    annotation, _ = writers
    url = f"{live_server.url}/api/annotations/{annotation.pk}/"
    status, headers, _ = _call(url, method="PATCH", token="not-a-token", body={"note": "x"}, if_match='"1-1"')
    assert status == 401 and headers.get("WWW-Authenticate", "").startswith("Token")
