"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: the tests use /usr/bin/chromium and skip, saying why, where it or the
playwright package is missing (CI installs both and fails on skips).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

from tests.browser.helpers import UNICODE_BODY
from tests.factories import ArticleFactory, UserFactory

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # the dev extra is not installed
    sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"  # the factory's


def _missing() -> str | None:
    if sync_playwright is None:
        return "playwright is not installed: pip install -e '.[dev]'"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: apt-get install chromium"
    return None


class _OneAtATimeServer(WSGIServer):
    """Not threaded: every server thread on in-memory SQLite shares the test's one connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite_memory() -> Iterator[None]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    original = LiveServerThread.server_class
    LiveServerThread.server_class = _OneAtATimeServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch) -> None:
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes between
    # browser steps are still synchronous and never overlap the loop's work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's loop runs, Django keeps this thread's connections apart (per context, as
            # in async code); close those before the loop goes, or they hold the test database open.
            connections.close_all()


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True, groups=["Editor"])


@pytest.fixture
def factchecker():
    return UserFactory(username="checker", is_staff=True, groups=["Fact-checker"])


@pytest.fixture
def article():
    return ArticleFactory(body=UNICODE_BODY)


@pytest.fixture
def annotate_page(browser, live_server) -> Callable[..., Page]:
    """A signed-in browser window (its own context: its own cookies) on an article's annotate screen."""

    def open_page(user, article) -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.script_errors = errors
        target = f"/admin/corpus/article/{article.pk}/annotate/"
        page.goto(f"{live_server.url}/admin/login/?next={target}")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-form [type=submit]")
        page.wait_for_url(f"{live_server.url}{target}")
        page.wait_for_selector("#annotate-root[data-ready=true]")
        return page

    return open_page
