"""A real receiver for the webhook tests: an HTTP server on 127.0.0.1, on a port of its own, in a thread
of the test process. It records every request and answers with the codes a test queues (200 after)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import UserFactory
from webhooks import services
from webhooks.models import Event


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signed_by(self, secret: str) -> bool:
        """The receiver's check, as docs/webhooks.md writes it."""
        timestamp = self.headers["X-Newsdesk-Timestamp"]
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers["X-Newsdesk-Signature"], f"sha256={expected}")


class Receiver:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.answers: deque[int] = deque()
        self.headers_out: dict[int, dict[str, str]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
                code = receiver.answers.popleft() if receiver.answers else 200
                answer = b"ok" if code < 300 else b"boom " * 1000
                self.send_response(code)
                for name, value in receiver.headers_out.get(code, {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/newsdesk"

    def events(self) -> list[str]:
        return [r.json["event"] for r in self.requests]


@pytest.fixture
def receiver():
    running = Receiver()
    running.thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are queued (no worker), as under `make run`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_tasks(settings):
    """Tasks are stored for a worker (`manage.py db_worker`), as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def hook(admin_user, receiver):
    """A webhook on the receiver for every event, and its secret."""
    webhook, secret = services.webhook_create(user=admin_user, url=receiver.url, events=Event.values)
    return webhook, secret
