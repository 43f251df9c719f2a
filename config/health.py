"""GET /healthz: the app is up and its database answers. For load balancers and uptime checks."""

from __future__ import annotations

import time

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    checks = {}
    healthy = True
    for alias in connections:
        started = time.perf_counter()
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks[alias] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}
        except DatabaseError as exc:
            healthy = False
            checks[alias] = {"ok": False, "error": exc.__class__.__name__}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "databases": checks}, status=200 if healthy else 503
    )
