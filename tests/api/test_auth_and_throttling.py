"""Tokens (and the command that issues them), sessions with CSRF, and throttling."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import make_user
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def _token(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_api_token_command_creates_shows_and_rotates():
    make_user("editor", "alice")
    key = _token("alice")
    assert Token.objects.get(user__username="alice").key == key
    assert _token("alice") == key
    rotated = _token("alice", "--rotate")
    assert rotated != key and Token.objects.get(user__username="alice").key == rotated
    with pytest.raises(CommandError, match="No user 'nobody'"):
        _token("nobody")


def test_token_authenticates_writes():
    user = make_user("editor", "alice")
    annotation = AnnotationFactory(author=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_token('alice')}")
    response = client.patch(
        f"/api/annotations/{annotation.pk}/",
        {"note": "x"},
        format="json",
        HTTP_IF_MATCH=f'"{annotation.pk}-1"',
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/articles/").status_code == 401


def test_session_writes_need_csrf():
    user = make_user("editor", "alice")
    annotation = AnnotationFactory(author=user)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    url = f"/api/annotations/{annotation.pk}/"
    refused = client.patch(url, {"note": "x"}, format="json", HTTP_IF_MATCH=f'"{annotation.pk}-1"')
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value
    allowed = client.patch(
        url, {"note": "x"}, format="json", HTTP_IF_MATCH=f'"{annotation.pk}-1"', HTTP_X_CSRFTOKEN=token
    )
    assert allowed.status_code == 200


def test_throttling_answers_429(settings, client, throttle_clock):
    rates = {"anon": "3/minute", "user": "5/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    codes = [client.get("/api/sources/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    throttled = client.get("/api/sources/")
    assert int(throttled["Retry-After"]) > 0

    signed_in = APIClient()
    signed_in.force_authenticate(make_user("viewer"))
    codes = [signed_in.get("/api/sources/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
