"""The site's own address, for the absolute URLs the API and the exports write (W3C ids, ClaimReview
page urls) and for telling this site's URLs from others'.

``SITE_URL`` when it is set. Otherwise, while a request is answered, the scheme and host it was sent to
(the host as ``ALLOWED_HOSTS`` accepted it): ``make run PORT=8104`` writes :8104 without being told.
Work done outside a request (``manage.py export``, a job in the task worker) falls back to the address
``make run`` serves by default, so a deployment that exports from the command line sets ``SITE_URL``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from django.conf import settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

_request = ContextVar("site_request", default=None)


def site_url() -> str:
    if settings.SITE_URL:
        return settings.SITE_URL
    request = _request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return DEFAULT_SITE_URL


def _with_request(content: Iterable[bytes], request) -> Iterator[bytes]:
    """A streamed body is made after the view has returned: each piece is made with the request known."""
    iterator = iter(content)
    while True:
        token = _request.set(request)
        try:
            piece = next(iterator, None)
        finally:
            _request.reset(token)
        if piece is None:
            return
        yield piece


class SiteURLMiddleware:
    """Makes the request known to :func:`site_url` while it is answered (a streamed body included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if getattr(response, "streaming", False) and not getattr(response, "is_async", False):
            response.streaming_content = _with_request(response.streaming_content, request)
        return response
