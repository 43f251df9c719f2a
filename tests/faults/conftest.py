"""Real components for the fault tests: a database prepared by the test (an SQLite file, or a throwaway
PostgreSQL database when the suite runs on PostgreSQL), Django in child processes, gunicorn on 127.0.0.1.

pytest-django's own test database is not used here: an in-memory SQLite database cannot be shared with a
child process, and a database of our own can be killed, raced and filled with hostile input without
touching the rest of the suite. A migrated template is made once per session and copied for each test.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.conftest import REPO

SECRET_KEY = "faults-secret-key-" + "k3y" * 12  # known, so that the tests can look for it
CHILD_TIMEOUT = 300  # seconds: any child that runs longer is stuck, not slow
SERVER_START_TIMEOUT = 60

ARTICLE_CHECK = r"""
# Every stored article is whole: paragraphs rebuild its text, quotes point into their paragraph.
from django.db.models import Count
from corpus.models import Article, Paragraph, Quote

problems = []
for article in Article.objects.annotate(n_paragraphs=Count("paragraphs", distinct=True)):
    text = article.text
    paragraphs = list(article.paragraphs.order_by("position"))
    if not paragraphs or len(paragraphs) != article.n_paragraphs:
        problems.append(f"article {article.pk}: {len(paragraphs)} paragraphs")
        continue
    if [p.position for p in paragraphs] != list(range(len(paragraphs))):
        problems.append(f"article {article.pk}: positions {[p.position for p in paragraphs]}")
    # Paragraphs cover the text: consecutive spans joined by the blank line, from 0 to len(text).
    if paragraphs[0].start != 0 or paragraphs[-1].end != len(text):
        problems.append(f"article {article.pk}: paragraphs span {paragraphs[0].start}..{paragraphs[-1].end}")
    if "\n\n".join(text[p.start:p.end] for p in paragraphs) != text:
        problems.append(f"article {article.pk}: paragraphs do not rebuild the text")
    for quote in article.quotes.all():
        paragraph = quote.paragraph
        if not (paragraph.article_id == article.pk and paragraph.start <= quote.start < quote.end <= paragraph.end):
            problems.append(f"quote {quote.pk}: outside its paragraph")
        if text[quote.start:quote.end] != quote.exact:
            problems.append(f"quote {quote.pk}: exact does not match the text")
    if len(article.content_hash) != 64 or not article.raw_text:
        problems.append(f"article {article.pk}: raw input or its hash missing")
urls = list(Article.objects.values_list("url", flat=True))
result = {
    "articles": len(urls),
    "distinct_urls": len(set(urls)),
    "distinct_hashes": Article.objects.values("content_hash").distinct().count(),
    "orphan_paragraphs": Paragraph.objects.filter(article__isnull=True).count(),
    "orphan_quotes": Quote.objects.filter(paragraph__isnull=True).count(),
    "problems": problems[:20],
}
"""


def _postgres_params() -> dict | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": int(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _pg_url(params: dict, name: str) -> str:
    auth = params["user"] + (f":{params['password']}" if params["password"] else "")
    return f"postgres://{auth}@{params['host']}:{params['port']}/{name}"


@contextmanager
def _pg_admin(params: dict):
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        yield conn


@dataclass
class ChildDatabase:
    """A database that child processes (manage.py, gunicorn, scripts) use through DATABASE_URL."""

    kind: str  # "sqlite" or "postgres"
    url: str
    var_dir: Path
    path: Path | None = None  # the SQLite file
    pg: dict | None = field(default=None, repr=False)
    name: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        """A production-like environment (DEBUG off, a real secret key) on plain http."""
        drop = ("DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE", "AXES_ENABLED")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="0",
            SECRET_KEY=SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            VAR_DIR=str(self.var_dir),
            PYTHONUNBUFFERED="1",
            # Only the test that exercises login lockout turns it on.
            AXES_ENABLED="0",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, timeout: float = CHILD_TIMEOUT, check: bool = True, **env: str):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def script(self, code: str, *, timeout: float = CHILD_TIMEOUT, **env: str):
        """Run ``code`` with Django set up on this database; it sets ``result``, which comes back as JSON."""
        prelude = "import json, django\ndjango.setup()\nresult = None\n"
        epilogue = "\nprint('RESULT:' + json.dumps(result, default=str))\n"
        done = subprocess.run(
            [sys.executable, "-c", prelude + code + epilogue],
            cwd=REPO,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT:"))
        return json.loads(line.removeprefix("RESULT:"))

    def scalar(self, sql: str):
        """One value by raw SQL, without starting Django: cheap enough to poll."""
        if self.kind == "sqlite":
            with closing(sqlite3.connect(self.path, timeout=30)) as conn:
                return conn.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(dbname=self.name, autocommit=True, **self.pg) as conn:
            return conn.execute(sql).fetchone()[0]


@pytest.fixture(scope="session")
def _faults_var(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("faults-var")


@pytest.fixture(scope="session")
def _template(_faults_var, tmp_path_factory) -> Iterator[ChildDatabase]:
    """Migrated once: the kind of database the suite runs on. Static files collected once too (DEBUG
    off serves them from the manifest)."""
    params = _postgres_params()
    if params is None:
        path = tmp_path_factory.mktemp("faults-template") / "template.sqlite3"
        template = ChildDatabase(kind="sqlite", url=f"sqlite:///{path}", var_dir=_faults_var, path=path)
    else:
        name = f"faults_tpl_{secrets.token_hex(4)}"
        with _pg_admin(params) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        template = ChildDatabase(
            kind="postgres", url=_pg_url(params, name), var_dir=_faults_var, pg=params, name=name
        )
    try:
        template.manage("migrate", "--noinput", "-v0")
        template.manage("collectstatic", "--noinput", "-v0")
        if template.kind == "sqlite":
            with closing(sqlite3.connect(template.path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield template
    finally:
        if template.kind == "postgres":
            with _pg_admin(params) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{template.name}" WITH (FORCE)')


def _copy(template: ChildDatabase, kind: str, folder: Path) -> ChildDatabase:
    if kind == "sqlite":
        if template.kind == "sqlite":
            path = folder / "db.sqlite3"
            shutil.copy(template.path, path)
            return ChildDatabase(kind="sqlite", url=f"sqlite:///{path}", var_dir=template.var_dir, path=path)
        raise AssertionError("an SQLite copy is made from the SQLite template")
    name = f"faults_{secrets.token_hex(4)}"
    with _pg_admin(template.pg) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.name}"')
    return ChildDatabase(
        kind="postgres", url=_pg_url(template.pg, name), var_dir=template.var_dir, pg=template.pg, name=name
    )


@contextmanager
def _database(template: ChildDatabase, kind: str, folder: Path) -> Iterator[ChildDatabase]:
    db = _copy(template, kind, folder)
    try:
        yield db
    finally:
        if db.kind == "postgres":
            with _pg_admin(db.pg) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


@pytest.fixture
def child_db(_template, tmp_path) -> Iterator[ChildDatabase]:
    """A fresh migrated database of the suite's kind, for child processes."""
    with _database(_template, _template.kind, tmp_path) as db:
        yield db


@pytest.fixture(scope="session")
def _sqlite_template(_template, _faults_var, tmp_path_factory) -> ChildDatabase:
    """An SQLite template even when the suite runs on PostgreSQL (for the SQLite-specific checks)."""
    if _template.kind == "sqlite":
        return _template
    path = tmp_path_factory.mktemp("faults-sqlite") / "template.sqlite3"
    template = ChildDatabase(kind="sqlite", url=f"sqlite:///{path}", var_dir=_faults_var, path=path)
    template.manage("migrate", "--noinput", "-v0")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return template


@pytest.fixture
def sqlite_db(_sqlite_template, tmp_path) -> Iterator[ChildDatabase]:
    """A fresh migrated SQLite file database, whatever the suite runs on."""
    with _database(_sqlite_template, "sqlite", tmp_path) as db:
        yield db


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


@contextmanager
def gunicorn(
    db: ChildDatabase, log_dir: Path, *, workers: int = 2, app: str = "config.wsgi", **env: str
) -> Iterator[Server]:
    """gunicorn with the project's config on a free 127.0.0.1 port; stopped by its PID afterwards.
    ``app`` is the WSGI application it serves (the project's, unless a test wraps it)."""
    port = free_port()
    log = log_dir / f"gunicorn-{port}.log"
    server_env = db.env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(workers), **env)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", app],
            cwd=REPO,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            assert server.alive(), f"gunicorn exited:\n{server.logs()[-4000:]}"
            try:
                if requests.get(f"{server.url}/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass  # not listening yet, or a worker still booting
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{server.logs()[-4000:]}"
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            # Quick shutdown: workers stop even in the middle of a slow request.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
