"""The suite's HTTP figures: the API served by gunicorn with the deployment's settings (started and
stopped here by its process id) and driven over loopback by stdlib clients, reads and concurrent writes."""

from __future__ import annotations

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import REPO
from bench.suite_workers import WRITE_CLIENTS

# Rare (one match or none), common, and multi-word queries; the same mix on every run.
SEARCH_QUERIES = [
    "zeppelin",
    "2007",
    "council",
    "budget",
    "harbour repairs",
    '"flood defences"',
    "fraud trial verdict",
    "chief economist Tanaka",
]


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child process on ``database_url``: the deployment's settings, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str) -> Iterator[int]:
    """gunicorn with the deployment's config on a free loopback port; stopped by its PID afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory() as var_dir:
        log = Path(var_dir) / "gunicorn.log"
        env = child_env(
            database_url,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            API_THROTTLE_ANON="1000000/minute",
            API_THROTTLE_USER="1000000/minute",
            VAR_DIR=var_dir,  # no static files are collected: the API serves none
        )
        with log.open("wb") as sink:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=REPO,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_ready(port, server, log)
            yield port
        finally:
            if server.poll() is None:
                os.kill(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.kill(server.pid, signal.SIGKILL)
                    server.wait()


def _wait_ready(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


class Api:
    """One keep-alive connection (http.client reconnects when the server closes it)."""

    def __init__(self, port: int, token: str):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def call(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, str, bytes, float]:
        payload = json.dumps(body).encode() if body is not None else None
        sent = {**self.headers, **(headers or {})}
        if payload is not None:
            sent["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=payload, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                return (
                    response.status,
                    response.getheader("ETag", ""),
                    data,
                    (time.perf_counter() - started) * 1000,
                )
            except (http.client.HTTPException, ConnectionError):
                # A worker recycled (max_requests) between our requests: reconnect once.
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def timed(self, path: str, count: int) -> list[float]:
        times = []
        for _ in range(count):
            status, _, data, ms = self.call("GET", path)
            if status != 200:
                raise SystemExit(f"GET {path}: {status} {data[:300]!r}")
            times.append(ms)
        return times

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def http_run(port: int, prep: dict, *, reads: int, write_iterations: int) -> dict:
    """One run of the read and write figures against a running server."""
    api = Api(port, prep["token"])
    first = "/api/articles/?page_size=100"
    api.timed(first, 15)  # every worker imports lazily and opens its connection on its first requests
    api.timed(prep["deep_path"], 5)
    results: dict[str, list[float]] = {
        "first": api.timed(first, reads),
        "deep": api.timed(prep["deep_path"], reads),
        "detail": [],
        "search": [],
    }
    for index in range(reads * 2):
        ids = prep["detail_ids"]
        results["detail"] += api.timed(f"/api/annotations/{ids[index % len(ids)]}/", 1)
    for _ in range(max(1, reads // 8)):
        for query in SEARCH_QUERIES:
            results["search"] += api.timed(f"/api/articles/?q={_quote(query)}", 1)
    api.close()
    summary = {name: (percentile(v, 0.5), percentile(v, 0.95)) for name, v in results.items()}
    summary["writes"] = write_run(port, prep, iterations=write_iterations)
    return summary


def _quote(query: str) -> str:
    from urllib.parse import quote

    return quote(query)


def write_run(port: int, prep: dict, *, iterations: int) -> dict:
    """8 clients each create an annotation, PATCH it with its ETag, then PATCH one shared annotation with
    the ETag they last saw: a 412 there is the optimistic lock doing its job (they re-read and go on)."""
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    places = prep["places"]
    hot = prep["hot"]

    def client(number: int) -> None:
        api = Api(port, prep["token"])
        local: Counter[str] = Counter()
        hot_etag = ""
        try:
            for index in range(iterations):
                article, start, end = places[(number * iterations + index) % len(places)]
                status, etag, _, _ = api.call(
                    "POST",
                    "/api/annotations/",
                    {"article": article, "start": start, "end": end, "tags": ["bench"], "note": "bench"},
                )
                local[_kind(status)] += 1
                if status == 201:
                    created = etag.strip('"').split("-")[0]
                    status, _, _, _ = api.call(
                        "PATCH",
                        f"/api/annotations/{created}/",
                        {"note": f"edited {index}"},
                        {"If-Match": etag},
                    )
                    local[_kind(status)] += 1
                if not hot_etag:
                    status, hot_etag, _, _ = api.call("GET", f"/api/annotations/{hot}/")
                    local[_kind(status)] += 1
                status, etag, _, _ = api.call(
                    "PATCH",
                    f"/api/annotations/{hot}/",
                    {"note": f"client {number} {index}"},
                    {"If-Match": hot_etag},
                )
                local[_kind(status)] += 1
                hot_etag = etag if status == 200 else ""
        finally:
            api.close()
            with lock:
                counts.update(local)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(WRITE_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    return {
        "per_second": total / seconds,
        "2xx": counts["2xx"],
        "412": counts["412"],
        "other": counts["other"],
    }


def _kind(status: int) -> str:
    if 200 <= status < 300:
        return "2xx"
    return "412" if status == 412 else "other"
