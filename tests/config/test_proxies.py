"""The client address behind reverse proxies, for login lockouts and throttles."""

import pytest
from django.test import RequestFactory

from config.proxies import client_ip


def _request(forwarded: str | None = None, remote: str = "10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, None, "10.0.0.2"),  # a trusted proxy that sent no header: the connection's address
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client wrote itself stays unread
        (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
        (3, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the left-most there is
        (1, " , ", "10.0.0.2"),
    ],
)
def test_client_is_counted_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(_request(forwarded)) == expected


@pytest.mark.django_db
def test_lockout_counts_the_forwarded_client_not_the_proxy(settings, client, django_user_model):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXIES = 1
    django_user_model.objects.create_user("ed", password="right-password-1", is_staff=True)

    def login(address: str, password: str):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "ed", "password": password},
            HTTP_X_FORWARDED_FOR=address,
            REMOTE_ADDR="10.0.0.2",
        )

    assert login("203.0.113.7", "wrong").status_code == 200
    assert login("203.0.113.7", "wrong").status_code == 429  # locked out at the limit
    # The same proxy forwards another client: not locked out, and the right password works.
    assert login("198.51.100.9", "right-password-1").status_code == 302
