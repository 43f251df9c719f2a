"""Which URLs a webhook may be sent to: https, or http to this machine where that is allowed.

Deliveries carry unpublished work (draft annotations, fact-checks in review) and a signature, so they
go over TLS. Plain http is accepted only for a loopback host (``localhost``, ``127.0.0.0/8``, ``::1``)
and only when ``WEBHOOKS_ALLOW_HTTP_LOOPBACK`` is on: by default in DEBUG (``make run``) and in the
test suite, where a receiver on 127.0.0.1 stands in for a real one. The URL is checked as every stored
URL is (``corpus.weburls``: no whitespace or control characters, a host), and may not carry a user or
password, since the admin lists it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from corpus.weburls import is_web_url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_url_problem(value: object) -> str | None:
    """Why ``value`` cannot receive webhooks, in words for the administrator; None if it can."""
    shown = repr(value) if len(str(value)) <= 80 else repr(str(value)[:77] + "...")
    if not is_web_url(value):
        return f"{shown} is not an https:// URL."
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None:
        return f"{shown} carries a user or password; the receiver checks the signature instead."
    if parts.fragment:
        return f"{shown} has a #fragment, which is never sent; leave it out."
    if parts.scheme.lower() == "https":
        return None
    if _is_loopback(parts.hostname or "") and getattr(settings, "WEBHOOKS_ALLOW_HTTP_LOOPBACK", False):
        return None
    if _is_loopback(parts.hostname or ""):
        return f"{shown} is plain http: allowed to this machine only in development (WEBHOOKS_ALLOW_HTTP_LOOPBACK)."
    return f"{shown} is plain http: webhooks are sent over https only."


def validate_webhook_url(value: object) -> None:
    """A model and form field validator."""
    problem = webhook_url_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_webhook_url")
