"""Read replicas: anonymous reads and exports may go to ``DATABASE_REPLICA_URL``; everything else
stays on the primary.

A signed-in user's requests (session or token), every write, and every read inside a transaction use
the primary, so whoever just wrote reads their own write and an ETag is never stale. Anonymous GETs
and exports (which are snapshots anyway) go to the replica when one is configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads(allowed: bool = True) -> Iterator[None]:
    """Within this block, reads may go to the replica (exports, anonymous requests)."""
    token = _replica_allowed.set(allowed)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if not _replica_allowed.get() or not replica_configured():
            return None
        if connections["default"].in_atomic_block:
            return None  # a transaction reads what it is about to write
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


def _is_anonymous_read(request) -> bool:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.headers.get("Authorization"):
        return False  # a token client: authenticated later, in the view, on the primary
    # A browser with a session (an editor, or one who may have just written) stays on the primary too.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class ReplicaRoutingMiddleware:
    """Marks anonymous reads as allowed on the replica for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        with replica_reads(_is_anonymous_read(request)):
            return self.get_response(request)
