"""Where a webhook may be sent: https, or http to this machine when allowed (tests and DEBUG)."""

from __future__ import annotations

import pytest

from webhooks.addresses import webhook_url_problem


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org/newsdesk",
        "HTTPS://hooks.example.org:8443/x?team=1",
        "http://127.0.0.1:8001/hook",
        "http://localhost/hook",
        "http://[::1]:9000/hook",
        "http://127.1.2.3/hook",
    ],
)
def test_accepted(url):
    assert webhook_url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "because"),
    [
        ("http://hooks.example.org/newsdesk", "plain http"),
        ("http://10.0.0.5/hook", "plain http"),
        ("ftp://hooks.example.org/x", "is not an https:// URL"),
        ("javascript:alert(1)", "is not an https:// URL"),
        ("https://hooks.example.org/a b", "is not an https:// URL"),
        ("https:///nohost", "is not an https:// URL"),
        ("https://user:pw@hooks.example.org/", "user or password"),
        ("https://hooks.example.org/#top", "fragment"),
        ("", "is not an https:// URL"),
        (None, "is not an https:// URL"),
    ],
)
def test_refused(url, because):
    assert because in webhook_url_problem(url)


def test_loopback_http_only_where_allowed(settings):
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = False
    assert "allowed to this machine only in development" in webhook_url_problem("http://127.0.0.1:8001/hook")
    assert webhook_url_problem("https://127.0.0.1:8001/hook") is None
