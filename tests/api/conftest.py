from __future__ import annotations

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from rest_framework.test import APIClient

from tests.factories import UserFactory

ROLES = ("anonymous", "viewer", "editor", "factchecker", "superuser")
GROUPS = {"viewer": "Viewer", "editor": "Editor", "factchecker": "Fact-checker"}


def make_user(role: str, username: str | None = None):
    if role == "anonymous":
        return None
    if role == "superuser":
        return UserFactory(username=username or "root", is_superuser=True, is_staff=True)
    return UserFactory(username=username or role, groups=[GROUPS[role]])


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


class ThrottleClock:
    """The throttles' clock, standing still until a test moves it (``clock.now += 60``)."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def throttle_clock(monkeypatch) -> ThrottleClock:
    """Requests through a client count in one window, however long they take: ten seconds into a
    window, so no test depends on where the real clock is in its minute."""
    from api.throttling import _Counting

    clock = ThrottleClock(1_800_000_000 - 1_800_000_000 % 60 + 10)
    monkeypatch.setattr(_Counting, "timer", clock)
    return clock


@pytest.fixture
def users(db) -> dict:
    return {role: make_user(role) for role in ROLES}


class _SerialWSGIServer(WSGIServer):
    """One request at a time, in the server thread."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite_memory():
    """In-memory SQLite gives every server thread the test's one connection, which cannot hold two
    transactions at once: there the live server answers one request at a time (clients still race for
    versions). PostgreSQL gets the real threaded server."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    original = LiveServerThread.server_class
    LiveServerThread.server_class = _SerialWSGIServer
    yield
    LiveServerThread.server_class = original
