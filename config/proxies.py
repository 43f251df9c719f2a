"""The client's address when the app runs behind reverse proxies.

Each proxy appends the address it received the request from to ``X-Forwarded-For``. With
``TRUSTED_PROXIES=N`` (the number of proxies in front of gunicorn), the client is the N-th address from
the right of that header: whatever a client writes at the left of the header itself sits further left
and is never read, so it cannot pose as someone else. With no trusted proxies (the default) the header is
ignored and the address is the connection's. Login lockouts (django-axes) and API throttles use this.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not count or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(count, len(addresses))]
