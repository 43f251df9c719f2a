"""API throttles: one row per client in the database, a sliding-window limit, one statement per
request on PostgreSQL (two on SQLite); or, with THROTTLE_CACHE, two counters in Redis and no statement."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from api.models import ThrottleCount
from api.throttling import AnonThrottle, UserThrottle
from tests.api.conftest import ThrottleClock as Clock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
START = 1_800_000_000 - 1_800_000_000 % MINUTE  # the start of a window


@pytest.fixture
def rates(settings):
    def set_rates(anon: str = "100/minute", user: str = "100/minute") -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


def _request(user=None, address: str = "203.0.113.7"):
    request = RequestFactory().get("/api/tags/", REMOTE_ADDR=address)
    request.user = user or AnonymousUser()
    return request


def _ask(throttle_class, request, clock: Clock) -> tuple[bool, float | None]:
    throttle = throttle_class()
    throttle.timer = clock
    allowed = throttle.allow_request(request, view=None)
    return allowed, None if allowed else throttle.wait()


def test_within_one_window_the_count_is_exact_and_refusals_are_not_counted(rates):
    rates(anon="5/minute")
    clock = Clock(START + 10)
    request = _request()
    answers = [_ask(AnonThrottle, request, clock)[0] for _ in range(7)]
    assert answers == [True] * 5 + [False] * 2
    [row] = ThrottleCount.objects.all()
    assert (row.hits, row.previous, row.period, row.expires) == (5, 0, START // MINUTE, START + 2 * MINUTE)
    # Full window, idle before: from the moment it ends (in 50 s) it starts to slide out.
    allowed, wait = _ask(AnonThrottle, request, clock)
    assert not allowed and wait == pytest.approx(50)
    clock.now = START + MINUTE + 1
    assert _ask(AnonThrottle, request, clock)[0]


def test_the_previous_window_counts_for_the_part_still_in_the_last_minute(rates):
    rates(anon="10/minute")
    request = _request()
    clock = Clock(START + 50)
    assert all(_ask(AnonThrottle, request, clock)[0] for _ in range(10))
    # Halfway through the next window, half of the previous one's 10 still count: 5 more are allowed.
    clock.now = START + MINUTE + 30
    answers = [_ask(AnonThrottle, request, clock)[0] for _ in range(7)]
    assert answers == [True] * 5 + [False] * 2
    allowed, wait = _ask(AnonThrottle, request, clock)
    # 10 * (1 - (30 + t) / 60) + 5 < 10 once t > 0: the least wait is a second
    assert not allowed and wait == pytest.approx(1.0)
    clock.now = START + MINUTE + 37  # 10 * 23/60 + 5 = 8.8: one more
    assert _ask(AnonThrottle, request, clock)[0]
    # In the window after, the first one can no longer count.
    clock.now = START + 2 * MINUTE + 1
    assert _ask(AnonThrottle, request, clock)[0]
    period = START // MINUTE
    row = ThrottleCount.objects.get()
    assert (row.period, row.hits, row.previous) == (period + 2, 1, 6)
    clock.now = START + 4 * MINUTE
    assert _ask(AnonThrottle, request, clock)[0]
    row = ThrottleCount.objects.get()
    assert (row.period, row.hits, row.previous) == (period + 4, 1, 0)


def test_rows_of_clients_quiet_for_two_windows_are_swept_by_the_others(rates):
    rates(anon="10/minute")
    clock = Clock(START + 5)
    for number in range(3):
        assert _ask(AnonThrottle, _request(address=f"203.0.113.{number}"), clock)[0]
    clock.now = START + 2 * MINUTE - 1  # the first window still counts, a little
    assert _ask(AnonThrottle, _request(address="203.0.113.1"), clock)[0]
    assert ThrottleCount.objects.count() == 3
    clock.now = START + 2 * MINUTE  # now it cannot: the quiet clients' rows go
    assert _ask(AnonThrottle, _request(address="203.0.113.9"), clock)[0]
    assert sorted(ThrottleCount.objects.values_list("key", flat=True)) == [
        "throttle_anon_203.0.113.1",
        "throttle_anon_203.0.113.9",
    ]


def test_clients_are_counted_apart_users_by_account_and_the_anonymous_by_address(rates):
    rates(anon="2/minute", user="3/minute")
    clock = Clock(START + 5)
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    for request, throttle, limit in [
        (_request(address="203.0.113.1"), AnonThrottle, 2),
        (_request(address="203.0.113.2"), AnonThrottle, 2),
        (_request(alice, address="203.0.113.1"), UserThrottle, 3),
        (_request(bob, address="203.0.113.1"), UserThrottle, 3),
    ]:
        answers = [_ask(throttle, request, clock)[0] for _ in range(limit + 1)]
        assert answers == [True] * limit + [False]
    # A signed-in user is not the anonymous throttle's business; the user throttle also counts the
    # anonymous, by address (DRF's rule: the stricter of both applies to them).
    assert _ask(AnonThrottle, _request(alice), clock)[0]
    assert _ask(UserThrottle, _request(address="203.0.113.9"), clock)[0]
    assert set(ThrottleCount.objects.values_list("key", "hits")) == {
        ("throttle_anon_203.0.113.1", 2),
        ("throttle_anon_203.0.113.2", 2),
        (f"throttle_user_{alice.pk}", 3),
        (f"throttle_user_{bob.pk}", 3),
        ("throttle_user_203.0.113.9", 1),
    }


def test_a_request_costs_one_statement_on_postgresql_two_on_sqlite_and_a_refusal_one_read_more(rates):
    rates(user="3/minute")
    clock = Clock(START + 1)
    request = _request(UserFactory())
    counted = []
    for _ in range(4):
        with CaptureQueriesContext(connection) as queries:
            _ask(UserThrottle, request, clock)
        counted.append([q["sql"].split()[0] for q in queries])
    statement = ["WITH"] if connection.vendor == "postgresql" else ["DELETE", "INSERT"]
    assert counted == [statement] * 3 + [[*statement, "SELECT"]]


def test_a_zero_rate_refuses_everything(rates):
    rates(anon="0/minute")
    allowed, wait = _ask(AnonThrottle, _request(), Clock(START + 20))
    assert not allowed and wait == 60
    assert not ThrottleCount.objects.exists()


def test_no_rate_means_no_throttle_and_no_statement(rates, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    with CaptureQueriesContext(connection) as queries:
        assert all(_ask(AnonThrottle, _request(), Clock(START))[0] for _ in range(50))
    assert len(queries) == 0


@pytest.mark.postgres
# serialized_rollback like the suite's other transactional tests: the flush after it then leaves the content
# types to the next one's restore instead of creating them anew under other ids (a duplicate key there).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_sweeping_the_same_rows(rates):
    """Eight clients at once, each on its own connection, while 2,000 quiet clients' rows expire (their
    own among them): every request is answered, every count is exact, and the sweeps, at most 500 rows
    each, together clear the old rows."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    rates(anon="1000/minute")
    period = START // MINUTE
    # The eight clients' own rows are among the expired ones: each request updates its own row while the
    # others' sweeps want to delete it, the case where two requests could each hold what the other needs.
    quiet = [f"throttle_anon_198.51.{n // 250}.{n % 250}" for n in range(2_000)]
    ours = [f"throttle_anon_203.0.113.{n}" for n in range(8)]
    ThrottleCount.objects.bulk_create(
        ThrottleCount(key=key, period=period, hits=3, expires=START) for key in quiet + ours
    )
    clock = Clock(START + 2 * MINUTE + 1)

    def client(number: int) -> list[bool]:
        try:
            request = _request(address=f"203.0.113.{number}")
            return [_ask(AnonThrottle, request, clock)[0] for _ in range(40)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(client, range(8)))
    assert answers == [[True] * 40] * 8
    counts = dict(ThrottleCount.objects.values_list("key", "hits"))
    assert counts == {f"throttle_anon_203.0.113.{n}": 40 for n in range(8)}


def _show_synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_count_of_its_own_commits_without_waiting_for_the_disk(rates):
    """In autocommit (how requests run) the counting statement turns synchronous_commit off for its own
    transaction only: the next statement on the connection, a data write say, waits for the disk again."""
    rates(anon="5/minute")
    assert _show_synchronous_commit() == "on"
    with CaptureQueriesContext(connection) as queries:
        answers = [_ask(AnonThrottle, _request(), Clock(START + 10))[0] for _ in range(6)]
    assert answers == [True] * 5 + [False]
    assert ThrottleCount.objects.get().hits == 5
    counting = [q["sql"] for q in queries if q["sql"].startswith("WITH")]
    assert len(counting) == 6
    assert all("set_config('synchronous_commit', 'off', true)" in sql for sql in counting)
    assert _show_synchronous_commit() == "on"


@pytest.mark.postgres
def test_on_postgresql_a_count_inside_a_transaction_leaves_its_commit_alone(rates):
    """Inside a caller's transaction (here the test's) the setting would reach the caller's own writes."""
    rates(anon="5/minute")
    with CaptureQueriesContext(connection) as queries:
        assert _ask(AnonThrottle, _request(), Clock(START + 10))[0]
    [counting] = [q["sql"] for q in queries]
    assert counting.startswith("WITH") and "synchronous_commit" not in counting
    assert _show_synchronous_commit() == "on"


def test_without_trusted_proxies_a_forwarded_for_is_ignored(rates, settings, client, throttle_clock):
    # The default: no proxy in front, so X-Forwarded-For is whatever the client chose to write.
    settings.TRUSTED_PROXIES = 0
    rates(anon="3/minute")
    codes = [
        client.get(
            "/api/tags/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}", REMOTE_ADDR="203.0.113.7"
        ).status_code
        for n in range(6)
    ]
    assert codes == [200] * 3 + [429] * 3
    # One row per scope (anon, user) for the one real address, none for a spoofed one.
    keys = sorted(ThrottleCount.objects.values_list("key", flat=True))
    assert len(keys) == 2 and all(key.endswith("203.0.113.7") for key in keys), keys


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(
    rates, settings, client, throttle_clock
):
    settings.TRUSTED_PROXIES = 1
    rates(anon="1/minute")
    first = client.get("/api/tags/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="10.0.0.2")
    again = client.get("/api/tags/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="10.0.0.2")
    other = client.get("/api/tags/", HTTP_X_FORWARDED_FOR="198.51.100.2", REMOTE_ADDR="10.0.0.2")
    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)
    keys = ThrottleCount.objects.values_list("key", flat=True)
    assert {key.rsplit("_", 1)[-1] for key in keys} == {"198.51.100.1", "198.51.100.2"}


# --- Counting in a shared cache: Redis when REDIS_URL is set (THROTTLE_CACHE), another backend alike. ---

REDIS = "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["redis", "locmem"])
def shared_cache(request, settings):
    """THROTTLE_CACHE set to a fresh cache: the real Redis on 127.0.0.1:6379, with a prefix of its own
    (and its keys deleted afterwards), or Django's local-memory cache for the generic path."""
    import uuid

    from django.core.cache import caches

    prefix = f"test-throttle-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        if not _redis_answers():
            pytest.skip("needs Redis on 127.0.0.1:6379 (apt-get install redis-server; .ci/run starts one)")
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    settings.CACHES = {**settings.CACHES, "throttle": {**backend, "KEY_PREFIX": prefix}}
    settings.THROTTLE_CACHE = "throttle"
    cache = caches["throttle"]
    yield cache
    if request.param == "redis":
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


def test_in_the_cache_the_count_is_exact_refusals_are_not_counted_and_the_database_untouched(
    rates, shared_cache
):
    rates(anon="5/minute")
    clock = Clock(START + 10)
    request = _request()
    with CaptureQueriesContext(connection) as queries:
        answers = [_ask(AnonThrottle, request, clock)[0] for _ in range(7)]
        allowed, wait = _ask(AnonThrottle, request, clock)
    assert answers == [True] * 5 + [False] * 2
    assert len(queries) == 0 and not ThrottleCount.objects.exists()
    assert shared_cache.get(f"throttle_anon_203.0.113.7:{START // MINUTE}") == 5
    assert not allowed and wait == pytest.approx(50)
    clock.now = START + MINUTE + 1
    assert _ask(AnonThrottle, request, clock)[0]


def test_in_the_cache_the_previous_window_counts_for_the_part_still_in_the_last_minute(rates, shared_cache):
    rates(anon="10/minute", user="3/minute")
    request = _request()
    clock = Clock(START + 50)
    assert all(_ask(AnonThrottle, request, clock)[0] for _ in range(10))
    clock.now = START + MINUTE + 30
    answers = [_ask(AnonThrottle, request, clock)[0] for _ in range(7)]
    assert answers == [True] * 5 + [False] * 2
    allowed, wait = _ask(AnonThrottle, request, clock)
    assert not allowed and wait == pytest.approx(1.0)
    clock.now = START + MINUTE + 37
    assert _ask(AnonThrottle, request, clock)[0]
    # Users are counted by account, apart from the anonymous.
    alice = UserFactory(username="alice")
    answers = [_ask(UserThrottle, _request(alice), clock)[0] for _ in range(4)]
    assert answers == [True] * 3 + [False]


@pytest.mark.parametrize("shared_cache", ["redis"], indirect=True)
def test_in_redis_a_window_expires_after_two_windows(rates, shared_cache):
    rates(anon="5/minute")
    assert _ask(AnonThrottle, _request(), Clock(START + 10))[0]
    client = shared_cache._cache.get_client(write=True)
    key = shared_cache.make_and_validate_key(f"throttle_anon_203.0.113.7:{START // MINUTE}")
    assert 0 < client.ttl(key) <= 2 * MINUTE + 1


def test_through_the_api_a_refused_request_is_a_429_and_nothing_is_written(
    rates, shared_cache, api_client, throttle_clock
):
    rates(anon="2/minute")
    statuses = [api_client.get("/api/tags/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert not ThrottleCount.objects.exists()
