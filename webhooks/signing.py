"""The signature on every delivery, and the HTTP request that carries it.

A receiver recomputes ``HMAC-SHA256(secret, f"{timestamp}.".encode() + body)`` over the exact body bytes
it received, compares it with ``X-Newsdesk-Signature: sha256=<hex>`` in constant time, and refuses a
``X-Newsdesk-Timestamp`` too far from its clock, so a captured delivery cannot be replayed later
(docs/webhooks.md has the code). The timestamp is that of the attempt: a retry is signed afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Newsdesk-Signature"
TIMESTAMP_HEADER = "X-Newsdesk-Timestamp"
DELIVERY_HEADER = "X-Newsdesk-Delivery"
EVENT_HEADER = "X-Newsdesk-Event"
ATTEMPT_HEADER = "X-Newsdesk-Attempt"
USER_AGENT = "Newsdesk-Webhooks/1"


def secret_new() -> str:
    return secrets.token_hex(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of ``X-Newsdesk-Signature``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass(frozen=True, slots=True)
class Response:
    code: int | None  # None: no HTTP response (refused, timed out, TLS failed)
    body: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address: the webhook's URL is the one the administrator
    checked, and a signed body does not follow a Location elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float, keep: int) -> Response:
    """POST ``body``; return the status and the first ``keep`` characters of the answer."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as answer:
            return Response(code=answer.status, body=_read(answer, keep))
    except urllib.error.HTTPError as answer:  # a 3xx, 4xx or 5xx: an answer all the same
        with answer:
            return Response(code=answer.code, body=_read(answer, keep))
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return Response(code=None, body="", error=f"{type(exc).__name__}: {reason}"[:500])


def _read(answer, keep: int) -> str:
    try:
        data = answer.read(keep * 4)  # at most 4 bytes a character in UTF-8
    except (http.client.HTTPException, OSError):
        return ""
    return data.decode("utf-8", errors="replace")[:keep]
