"""API throttles that count requests in a shared cache (Redis) when one is configured, and otherwise in
the database: one row per client, one statement per request.

With ``THROTTLE_CACHE`` (set when ``REDIS_URL`` is), a client's windows are two counters in the cache,
``KEY:PERIOD``, expiring after two windows: a request is one round trip (increment this window's
counter, renew its expiry, read the previous window's) and writes nothing to the database; a refused
request takes its increment back. The limit is the same sliding window as the table's, below.

Every gunicorn worker and every app server shares the counts (a per-process cache would multiply the
limit by the number of workers). DRF's own throttles keep the timestamp of every request in the window
and write that list whole to the cache on each request: up to ``num_requests`` floats, pickled, in
several statements on a database cache. Here a client's row holds two counters, the requests allowed in
the current window of the rate's period and in the one before, and one upsert both decides and counts:
it adds one only while the limit allows it, and says so by returning the row.

The limit is a sliding window estimated from the two fixed ones: the requests of the current window
plus those of the previous one weighted by how much of it still lies within the last ``duration``
seconds. With an idle previous window this is exact; otherwise it errs towards refusing, by at most what
the weighting misplaces. Refused requests are not counted.

Rows of clients quiet for two windows are swept as other clients come: on PostgreSQL inside the same
statement, on SQLite (in-process, no round trip) by a statement before it. Rates are read when a request
comes, not when the class is imported, so settings overrides (tests, reloads) take effect.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from config.proxies import client_ip

SWEEP = 500  # expired rows deleted by one request at most


def _model():
    from .models import ThrottleCount

    return ThrottleCount


# A counter is not worth a wait for the disk: with synchronous_commit on, every API request, reads
# included, would wait for the WAL flush (milliseconds on a busy disk) of a row that only throttles. Off
# for the counting statement's own transaction (set_config(..., true) lasts until it ends), the count is
# visible to every other request at once and reaches the disk a moment later; a server crash can lose
# the last fraction of a second of counts, and nothing else. Only where the statement is its own
# transaction: inside a caller's transaction the setting would reach the caller's writes too.
_ASYNC_COMMIT = "async_commit AS (SELECT set_config('synchronous_commit', 'off', true))"


class _Counting:
    timer = time.time

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str | None:
        # DRF's own reading takes X-Forwarded-For at its word when NUM_PROXIES is unset: a client
        # writing a new address each time would escape the limit and add a row each time. The one
        # reading of the header that the lockouts use decides (ignored unless TRUSTED_PROXIES is set).
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        period = int(now // self.duration)
        elapsed = now - period * self.duration
        if settings.THROTTLE_CACHE:
            return self._allow_in_cache(caches[settings.THROTTLE_CACHE], period, elapsed)
        model = _model()
        alias = router.db_for_write(model)  # counts are read where they are written: the primary
        if self.num_requests > 0 and self._count(alias, model, now, period, 1 - elapsed / self.duration):
            return True
        row = (
            model.objects.using(alias).filter(key=self.key).values_list("period", "hits", "previous").first()
        )
        current = previous = 0
        if row is not None:
            if row[0] == period:
                current, previous = row[1], row[2]
            elif row[0] == period - 1:
                previous = row[1]
        self.wait_seconds = self._wait(current, previous, elapsed)
        return False

    def _count(self, alias: str, model, now: float, period: int, weight: float) -> bool:
        """One more request for ``self.key`` if the limit allows it; whether it did."""
        connection = connections[alias]
        quote = connection.ops.quote_name
        t = quote(model._meta.db_table)
        key, period_, hits, previous, expires = map(quote, ("key", "period", "hits", "previous", "expires"))
        # The row's counters as of window ``period`` (all right-hand sides read the row as it was).
        current_then = f"CASE WHEN {t}.{period_} = %s THEN {t}.{hits} ELSE 0 END"
        previous_then = f"CASE WHEN {t}.{period_} = %s THEN {t}.{previous} WHEN {t}.{period_} = %s THEN {t}.{hits} ELSE 0 END"
        postgresql = connection.vendor == "postgresql"
        # The inserted row is read from the _ASYNC_COMMIT CTE, so that the CTE runs (once).
        async_commit = postgresql and not connection.in_atomic_block
        row = "SELECT %s, %s, 1, 0, %s FROM async_commit" if async_commit else "VALUES (%s, %s, 1, 0, %s)"
        upsert = (
            f"INSERT INTO {t} ({key}, {period_}, {hits}, {previous}, {expires}) {row} "
            f"ON CONFLICT ({key}) DO UPDATE SET {previous} = {previous_then}, "
            f"{hits} = {current_then} + 1, {period_} = %s, {expires} = %s "
            f"WHERE ({previous_then}) * %s + {current_then} < %s "
            f"RETURNING {hits}"
        )
        ends = (period + 2) * self.duration  # quiet for two windows, nothing of it counts any more
        params = [
            self.key, period, ends,
            period, period - 1, period, period, ends,
            period, period - 1, weight, period, self.num_requests,
        ]  # fmt: skip
        # At most SWEEP rows a request. On PostgreSQL, rows another request holds are left for later
        # (SKIP LOCKED), so that no request waits on another's sweep, and none can deadlock with one
        # (each statement updates its own row, then locks the rows it sweeps).
        pk = quote(model._meta.pk.column)
        sweep = (
            f"DELETE FROM {t} WHERE {pk} IN (SELECT {pk} FROM {t} WHERE {expires} <= %s AND {key} <> %s "
            f"LIMIT {SWEEP}{' FOR UPDATE SKIP LOCKED' if postgresql else ''})"
        )
        sweep_params = [math.floor(now), self.key]
        with connection.cursor() as cursor:
            if postgresql:
                ctes = f"{_ASYNC_COMMIT}, " if async_commit else ""
                cursor.execute(f"WITH {ctes}swept AS ({sweep}) {upsert}", sweep_params + params)
            else:
                cursor.execute(sweep, sweep_params)
                cursor.execute(upsert, params)
            return cursor.fetchone() is not None

    def _allow_in_cache(self, cache, period: int, elapsed: float) -> bool:
        if self.num_requests <= 0:
            self.wait_seconds = float(self.duration)
            return False
        current_key, previous_key = f"{self.key}:{period}", f"{self.key}:{period - 1}"
        ttl = 2 * self.duration + 1
        client = _redis_client(cache, current_key)
        if client is not None:
            current_key, previous_key = map(cache.make_and_validate_key, (current_key, previous_key))
            pipe = client.pipeline(transaction=False)
            pipe.incr(current_key)
            pipe.expire(current_key, ttl)
            pipe.get(previous_key)
            hits, _, previous = pipe.execute()
            previous = int(previous or 0)
        else:  # another shared cache (memcached, say): the same through Django's API
            cache.add(current_key, 0, ttl)
            try:
                hits = cache.incr(current_key)
            except ValueError:  # expired in between
                cache.add(current_key, 1, ttl)
                hits = 1
            previous = int(cache.get(previous_key) or 0)
        # As the table's upsert: allowed while the estimate before this request is under the limit.
        if previous * (1 - elapsed / self.duration) + hits - 1 < self.num_requests:
            return True
        if client is not None:
            client.decr(current_key)
        else:
            cache.decr(current_key)
        self.wait_seconds = self._wait(hits - 1, previous, elapsed)
        return False

    def _wait(self, current: int, previous: int, elapsed: float) -> float:
        """Seconds until the estimate drops below the limit, if the client asks nothing meanwhile."""
        limit, duration = self.num_requests, self.duration
        if limit <= 0:
            return float(duration)
        if current < limit and previous:
            # previous * (1 - (elapsed + t) / duration) + current < limit
            return max(duration * (1 - (limit - current) / previous) - elapsed, 1.0)
        # The current window is full: it starts to slide out when it ends.
        return max(duration - elapsed, 1.0)

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None)


def _redis_client(cache, key: str):
    """The redis-py client that holds ``key``, for a pipeline; None for other cache backends."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        return cache._cache.get_client(cache.make_and_validate_key(key), write=True)
    return None


class AnonThrottle(_Counting, AnonRateThrottle):
    pass


class UserThrottle(_Counting, UserRateThrottle):
    pass
