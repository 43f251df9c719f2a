"""The benchmark suite: ingest, import, export (against PostgreSQL's COPY floor) and the HTTP API, in one table.

    make bench                                     # 10,000 articles, 3 runs of each figure, both databases
    python -m bench.suite --quick                  # 1,000 articles, 1 run: a smoke run
    python -m bench.suite --articles 100000        # the large run: about a million annotations
    python -m bench.suite --databases postgres --repeat 5

The corpus comes from bench/generate.py. It is ingested once into SQLite (full cleaning and quote
extraction) and given about ten editors' annotations per article and a published fact-check on every tenth;
PostgreSQL gets a table-by-table copy of that database, ids kept. Ingestion runs with the ingest hooks
and so with quote clustering on; the cluster look-up's queries are counted on the whole corpus, for one
article's quotes and for a batch of 200 (bench/clusters.py), beside the same count on the ingest sample. Exports, the COPY floor and the HTTP
figures run on those two databases. Ingestion and import_dataset are timed on the first
``--ingest-articles`` / ``--import-articles`` of the same corpus, each run into a fresh, empty database:
loading the whole corpus several times over would not fit the time at today's rates.

Every worker is a child process with a fresh database (bench/common.py); the API is served by gunicorn
with the deployment's settings, started and stopped here by its process id, and driven over loopback by
stdlib clients. Each figure is the median of ``--repeat`` runs; the table prints each target beside it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from bench.clusters import write_probe
from bench.common import DEFAULT_POSTGRES, REPO, django_setup, fresh_database, median, print_table, run_worker
from bench.generate import write_jsonl

ALL_FORMATS = ["jsonl", "csv", "parquet", "w3c", "claimreview"]
WRITE_CLIENTS = 8
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
TAGS = ["context", "statistic", "source-check", "opinion", "correction"]
MB = 1_000_000

# Targets for PostgreSQL, 10,000 articles, a 2-core machine (the project's issue); shown on both databases.
TARGET_INGEST = 1_000  # articles/s
TARGET_IMPORT = 3_000  # articles/s
TARGET_EXPORT_S = 1.5
TARGET_EXPORT_MB = 150
TARGET_EXPORT_FLOOR = 3.0  # times the COPY floor
TARGET_LIST_MS = 20
TARGET_DEEP_RATIO = 1.5
TARGET_SEARCH_MS = 30

# The COPY floor: the rows and columns the default JSONL export reads (published annotations and
# fact-checks, no orphans), one COPY per table as the database delivers them, in export order.
FLOOR_QUERIES = {
    "articles": """
        SELECT a.id, a.url, s.name, a.published_at, a.language, a.title, a.content_hash, a.text
        FROM corpus_article a LEFT JOIN corpus_source s ON s.id = a.source_id ORDER BY a.id""",
    "paragraphs": """
        SELECT p.article_id, p.position, p.role, p.rule, p.start, p."end",
               substr(a.text, p.start + 1, p."end" - p.start)
        FROM corpus_paragraph p JOIN corpus_article a ON a.id = p.article_id
        ORDER BY p.article_id, p.position""",
    "quotes": """
        SELECT q.id, q.article_id, q.kind, substr(a.text, q.start + 1, q."end" - q.start), q.exact,
               q.start, q."end", q.paragraph_id, q.continues_id, sp.name, sp.kind, q.speaker_mention,
               q.cue, v.name, q.origin, q.verified
        FROM corpus_quote q JOIN corpus_article a ON a.id = q.article_id
        LEFT JOIN corpus_speaker sp ON sp.id = q.speaker_id LEFT JOIN corpus_speaker v ON v.id = q.via_id
        WHERE q.anchor <> 'orphaned' ORDER BY q.article_id, q.start, q."end", q.id""",
    "annotations": """
        SELECT an.id, an.article_id, an.target, an.start, an."end", an.exact, an.note, an.status,
               an.origin, u.username,
               (SELECT string_agg(t.slug, ',' ORDER BY t.slug) FROM annotations_annotation_tags x
                JOIN annotations_tag t ON t.id = x.tag_id WHERE x.annotation_id = an.id)
        FROM annotations_annotation an LEFT JOIN auth_user u ON u.id = an.author_id
        WHERE an.status = 'published' AND an.anchor <> 'orphaned'
        ORDER BY an.article_id, an.start, an."end", an.id""",
    "claims": """
        SELECT c.id, c.article_id, c.text, sp.name, c.annotation_id, f.verdict, f.rationale, f.evidence,
               f.status, au.username, ru.username, f.published_at
        FROM annotations_claim c JOIN annotations_factcheck f ON f.claim_id = c.id AND f.status = 'published'
        LEFT JOIN corpus_speaker sp ON sp.id = c.claimant_id JOIN auth_user au ON au.id = f.author_id
        LEFT JOIN auth_user ru ON ru.id = f.reviewer_id ORDER BY c.article_id, c.id""",
}


# --- Workers (child processes, one database each) ------------------------------------------------


def annotate_worker(per_article: int) -> dict:
    """Setup, not measured: editors' annotations in bulk, and a published fact-check on every tenth article."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from annotations.models import Annotation, Claim, FactCheck, Tag
    from corpus.models import Article, Paragraph
    from corpus.spans import span_context

    started = time.perf_counter()
    User = get_user_model()
    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Editor"))
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    reviewer.groups.add(Group.objects.get(name="Fact-checker"))
    tags = [Tag.objects.get_or_create(slug=slug, defaults={"name": slug})[0] for slug in TAGS]
    through = Annotation.tags.through
    now = timezone.now()
    ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    for offset in range(0, len(ids), 500):
        chunk = ids[offset : offset + 500]
        texts = dict(Article.objects.filter(id__in=chunk).values_list("id", "text"))
        spans: dict[int, list[tuple[int, int]]] = {}
        for article_id, start, end in (
            Paragraph.objects.filter(article_id__in=chunk, end__gt=F("start"))
            .order_by("article_id", "position")
            .values_list("article_id", "start", "end")
        ):
            spans.setdefault(article_id, []).append((start, end))
        annotations = []
        firsts = []  # the first annotation of every tenth article carries a fact-checked claim
        for article_id in chunk:
            text, places = texts[article_id], spans.get(article_id, [])
            for index in range(min(per_article, len(places)) if places else 0):
                start, end = places[(index + 1) % len(places)]
                end = min(end, start + 40 + 7 * index)
                prefix, suffix = span_context(text=text, start=start, end=end)
                annotations.append(
                    Annotation(
                        article_id=article_id,
                        target="span",
                        start=start,
                        end=end,
                        exact=text[start:end],
                        prefix=prefix,
                        suffix=suffix,
                        author=editor,
                        status="draft" if index == per_article - 1 else "published",
                        origin="editor",
                        note=f"Checked against the {TAGS[index % len(TAGS)]} desk's notes, item {index}.",
                    )
                )
                if index == 0 and article_id % 10 == 0:
                    firsts.append(annotations[-1])
        with transaction.atomic():
            Annotation.objects.bulk_create(annotations, batch_size=2000)
            through.objects.bulk_create(
                [
                    through(annotation_id=a.pk, tag_id=tags[i % len(tags)].pk)
                    for i, a in enumerate(annotations)
                ],
                batch_size=5000,
            )
            claims = Claim.objects.bulk_create(
                [
                    Claim(article_id=a.article_id, text=a.exact, annotation=a, created_by=editor)
                    for a in firsts
                ]
            )
            FactCheck.objects.bulk_create(
                [
                    FactCheck(
                        claim=claim,
                        verdict="mixed",
                        rationale="Both sides have a point.",
                        author=editor,
                        reviewer=reviewer,
                        status="published",
                        published_at=now,
                    )
                    for claim in claims
                ]
            )
    return {
        "articles": len(ids),
        "annotations": Annotation.objects.count(),
        "claims": Claim.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def clone_worker(source: Path) -> dict:
    """Setup, not measured: copy every table of the SQLite build database into this PostgreSQL one, ids kept.

    Loading the same corpus through ingestion or import_dataset again would take most of the run.
    """
    django_setup()
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
    tables = {m._meta.db_table: [f.column for f in m._meta.local_concrete_fields] for m in models}
    source_db = sqlite3.connect(source)
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        # Foreign keys are checked by triggers; the copy is consistent, so they are skipped while it runs.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table, columns in tables.items():
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in source_db.execute(f'SELECT {names} FROM "{table}"'):
                    copy.write_row(row)
                    rows += 1
        cursor.execute("SET session_replication_role = DEFAULT")
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        # As autovacuum leaves a database some time after a bulk load (PostgreSQL 13 and later vacuum
        # insert-only tables too): statistics, and the visibility map without which a COUNT reads every
        # row of the table instead of its primary key's index.
        cursor.execute("VACUUM (ANALYZE)")
    source_db.close()
    return {"rows": rows, "seconds": time.perf_counter() - started}


def import_worker(path: Path) -> dict:
    """``import_dataset`` into this (empty) database, timed without Django's start-up and migrations."""
    django_setup()
    from django.db import connection

    from annotations.imports.importer import dataset_import
    from annotations.models import Annotation

    started = time.perf_counter()
    result = dataset_import(path=path)
    seconds = time.perf_counter() - started
    return {
        "vendor": connection.vendor,
        "created": result.created,
        "failed": result.failed,
        "errors": result.errors[:3],
        "annotations": Annotation.objects.count(),
        "seconds": seconds,
    }


def prepare_worker(articles: int, write_iterations: int) -> dict:
    """What the HTTP clients need (a token, ids, the deep cursor), and query counts through the test client."""
    django_setup()
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations import services
    from annotations.exports.pipeline import FORMATS
    from annotations.models import Annotation, Tag
    from corpus.models import Article, Paragraph

    user, _ = get_user_model().objects.get_or_create(username="bench-api", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editor"))
    out = StringIO()
    call_command("api_token", "bench-api", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    Tag.objects.get_or_create(slug="bench", defaults={"name": "bench"})

    total = Annotation.objects.count()
    step = max(1, total // 200)
    detail_ids = list(Annotation.objects.order_by("id").values_list("id", flat=True)[::step][:200])
    wanted = WRITE_CLIENTS * write_iterations
    article_ids = Article.objects.order_by("id").values_list("id", flat=True)
    picks = list(article_ids[:: max(1, articles // max(1, wanted))][:wanted])
    places = []
    for article_id in picks:
        paragraph = Paragraph.objects.filter(article_id=article_id, role="body").order_by("position").first()
        if paragraph is not None and paragraph.end - paragraph.start > 20:
            places.append([article_id, paragraph.start + 5, paragraph.start + 20])
    first = places[0]
    hot = services.annotation_create(
        article=Article.objects.get(pk=first[0]), author=user, start=first[1], end=first[2], tags=["bench"]
    )

    client = Client(headers={"Authorization": f"Token {token}", "Accept": "application/json"})

    def queries(path: str) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: {response.status_code} {response.content[:300]!r}")
        return len(captured), response.json()

    counts = {}
    counts["list_10"], _ = queries("/api/articles/?page_size=10")
    counts["list_100"], _ = queries("/api/articles/?page_size=100")
    # Walk 90% of the corpus with the cursor; the page reached is the deep page.
    pages = max(1, math.ceil(0.9 * articles / 100))
    path = "/api/articles/?cursor=&page_size=100"
    for _ in range(pages):
        _, body = queries(path)
        if not body["next"]:
            break
        parts = urlsplit(body["next"])
        path = f"{parts.path}?{parts.query}"
    counts["deep"], _ = queries(path)
    counts["detail"], _ = queries(f"/api/annotations/{detail_ids[len(detail_ids) // 2]}/")
    counts["search"], _ = queries("/api/articles/?q=council")
    return {
        "vendor": connection.vendor,
        "token": token,
        "detail_ids": detail_ids,
        "places": places,
        "hot": hot.pk,
        "deep_path": path,
        "queries": counts,
        "formats": sorted(FORMATS),
    }


# --- Children and measurements from the parent ---------------------------------------------------


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(database_url: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=_env(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}")


def worker(database_url: str, *args: str) -> dict:
    return run_worker("bench.suite", database_url, *args)


def export_measure(database_url: str, fmt: str) -> dict:
    """Seconds and peak RSS of one export in a child of its own: bench/export.py's worker when it is
    there, else ``manage.py export`` timed from outside (start-up included)."""
    try:
        from bench import export as export_bench

        if hasattr(export_bench, "export") and fmt in getattr(export_bench, "OUTPUTS", {}):
            result = run_worker("bench.export", database_url, "--export", fmt)
            return {"seconds": result["seconds"], "peak_mb": result["peak_mib"] * 2**20 / MB}
    except ImportError:
        pass
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / ("tables.zip" if fmt in ("csv", "parquet") else f"export.{fmt}")
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", "export", "--format", fmt, "--output", str(out)],
            cwd=REPO,
            env=_env(database_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"manage.py export --format {fmt} failed ({child.returncode}).")
        return {"seconds": time.perf_counter() - started, "peak_mb": usage.ru_maxrss * 1024 / MB}


def copy_floor(database_url: str) -> float:
    """Seconds for PostgreSQL to COPY out the rows the JSONL export reads (see FLOOR_QUERIES)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn, conn.cursor() as cursor:
        started = time.perf_counter()
        for sql in FLOOR_QUERIES.values():
            with cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                for _ in copy:
                    pass
        return time.perf_counter() - started


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
        env = _env(
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


# --- The table -------------------------------------------------------------------------------------


@dataclass
class Row:
    database: str
    measure: str
    value: str
    p95: str = ""
    unit: str = ""
    floor: str = ""
    target: str = ""
    met: bool | None = None

    def cells(self) -> list[str]:
        met = "" if self.met is None else ("yes" if self.met else "NO")
        return [self.database, self.measure, self.value, self.p95, self.unit, self.floor, self.target, met]


HEADERS = ["database", "measure", "median / p50", "p95", "unit", "x COPY floor", "target", "met"]


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))


def num(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def machine() -> str:
    """Cores, memory, CPU, database and Python versions: read here, printed above the table."""
    memory = cpu = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.0f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} memory, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {metadata.version('Django')}, SQLite {sqlite3.sqlite_version}"
    )


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- The suite -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark suite: one table, SQLite and PostgreSQL")
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (100000: the large run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the table shows the median")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument(
        "--ingest-articles",
        type=int,
        default=1_000,
        help="articles per timed ingestion run (from the corpus)",
    )
    parser.add_argument(
        "--import-articles", type=int, default=1_000, help="articles per timed import_dataset run (exported)"
    )
    parser.add_argument("--annotations-per-article", type=int, default=10)
    parser.add_argument("--reads", type=int, default=40, help="requests per read figure per run")
    parser.add_argument("--writes", type=int, default=20, help="create+edit rounds per write client per run")
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 1 run: a smoke run")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        steps = {
            "annotate": lambda: annotate_worker(args.annotations_per_article),
            "import": lambda: import_worker(args.input),
            "clone": lambda: clone_worker(args.input),
            "prepare": lambda: prepare_worker(args.articles, args.writes),
        }
        print(json.dumps(steps[args.step]()))
        return
    if args.quick:
        args.articles, args.repeat = 1_000, 1
    suite(args)


def suite(args: argparse.Namespace) -> None:
    began = time.monotonic()
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    # The test client in the prepare step talks to "testserver" over plain http.
    os.environ.update(ALLOWED_HOSTS="127.0.0.1,testserver", SECURE_SSL_REDIRECT="0")
    folder = REPO / "var" / "bench"
    corpus = write_jsonl(folder / f"suite-{args.articles}.jsonl", args.articles)
    sample_size = min(args.ingest_articles, args.articles)
    sample = write_jsonl(folder / f"suite-{sample_size}.jsonl", sample_size)
    about = [machine()]
    if "postgres" in kinds:
        about.append(postgres_version(args.postgres_url))
    results = Results()

    with ExitStack() as keep:
        scratch = Path(keep.enter_context(tempfile.TemporaryDirectory()))
        # The corpus is built once, in SQLite; the SQLite figures run on this database, the others on copies.
        build_url = keep.enter_context(fresh_database("sqlite", args.postgres_url))
        progress(f"building the corpus: ingesting {args.articles:,} articles")
        built = run_worker("bench.ingest", build_url, "--input", str(corpus))
        progress(f"ingested in {built['seconds']:.0f} s; counting the cluster look-up's queries")
        probes = [write_probe(folder / "probe-1.jsonl", 1), write_probe(folder / "probe-200.jsonl", 200)]
        looked_up = run_worker("bench.clusters", build_url, "--probes", ",".join(map(str, probes)))
        with fresh_database("sqlite", args.postgres_url) as small_url:
            looked_up_small = run_worker(
                "bench.clusters", small_url, "--input", str(sample), "--probes", ",".join(map(str, probes))
            )
        add_look_ups(results, looked_up_small, looked_up)
        progress("adding annotations")
        annotated = worker(
            build_url, "--step", "annotate", "--annotations-per-article", str(args.annotations_per_article)
        )
        progress(f"{annotated['annotations']:,} annotations, {annotated['claims']:,} claims")
        build_path = Path(build_url.removeprefix("sqlite:///"))
        import_size = min(args.import_articles, args.articles)
        with sqlite3.connect(build_path) as db:
            ids = [
                str(r[0])
                for r in db.execute("SELECT id FROM corpus_article ORDER BY id LIMIT ?", [import_size])
            ]
        dataset = scratch / "corpus.jsonl"
        only = [] if import_size == args.articles else [x for pk in ids for x in ("--article", pk)]
        manage(build_url, "export", "--format", "jsonl", "--include-drafts", "--output", str(dataset), *only)

        urls = {}
        for kind in kinds:
            if kind == "sqlite":
                urls[kind] = build_url
                continue
            urls[kind] = keep.enter_context(fresh_database(kind, args.postgres_url))
            progress(f"{kind}: copying the corpus")
            worker(urls[kind], "--step", "clone", "--input", str(build_path))
        for kind in kinds:
            measure_database(kind, args, urls[kind], sample=sample, dataset=dataset, results=results)

    print()
    print(f"Machine: {'; '.join(about)}")
    print(
        f"Corpus: {args.articles:,} generated articles, {annotated['annotations']:,} annotations, "
        f"{annotated['claims']:,} fact-checked claims; median of {args.repeat} run(s); "
        f"load average at the end {os.getloadavg()[0]:.1f}; suite took {(time.monotonic() - began) / 60:.1f} min"
    )
    print()
    print_table(HEADERS, [row.cells() for row in results.rows])


def add_look_ups(results: Results, sample: dict, full: dict) -> None:
    """The clustering hook's queries for the same probe on the ingest sample and on the whole corpus:
    the look-up is constant when they are equal."""
    for small, large in zip(sample["probes"], full["probes"], strict=True):
        per_quote = large["queries"] / large["quotes"] if large["quotes"] else 0.0
        results.add(
            "sqlite",
            f"cluster look-up at {full['articles']:,} articles: {large['articles']} new article(s), "
            f"{large['quotes']} quotes ({per_quote:.3f}/quote, {large['seconds'] * 1000:.0f} ms)",
            str(large["queries"]),
            unit="queries",
            target=f"<= {small['queries']} (as at {sample['articles']:,} articles)",
            met=large["queries"] <= small["queries"],
        )


def import_once(database_url: str, dataset: Path) -> dict:
    result = worker(database_url, "--step", "import", "--input", str(dataset))
    if result["failed"] or not result["created"]:
        raise SystemExit(f"import_dataset failed for {result['failed']} articles: {result['errors']}")
    return result


def measure_database(
    kind: str, args: argparse.Namespace, url: str, *, sample: Path, dataset: Path, results: Results
) -> None:
    add = results.add
    progress(f"{kind}: ingesting {sample.stem.split('-')[-1]} articles x {args.repeat}")
    ingests = []
    for _ in range(args.repeat):
        with fresh_database(kind, args.postgres_url) as scratch_url:
            ingests.append(run_worker("bench.ingest", scratch_url, "--input", str(sample)))
    rate = median([r["articles"] / r["seconds"] for r in ingests])
    add(
        kind,
        f"ingest ({ingests[0]['articles']:,} articles, {ingests[0]['jobs']} jobs, clustering on)",
        num(rate),
        unit="articles/s",
        target=f">= {TARGET_INGEST:,}",
        met=rate >= TARGET_INGEST,
    )

    imports = []
    for run in range(args.repeat):
        progress(f"{kind}: import_dataset run {run + 1}/{args.repeat}")
        with fresh_database(kind, args.postgres_url) as scratch_url:
            imports.append(import_once(scratch_url, dataset))
    rate = median([r["created"] / r["seconds"] for r in imports])
    add(
        kind,
        f"import_dataset ({imports[0]['created']:,} articles)",
        num(rate),
        unit="articles/s",
        target=f">= {TARGET_IMPORT:,}",
        met=rate >= TARGET_IMPORT,
    )

    progress(f"{kind}: preparing the API figures")
    prep = worker(url, "--step", "prepare", "--articles", str(args.articles), "--writes", str(args.writes))

    floor = None
    if kind == "postgres":
        floor = median([copy_floor(url) for _ in range(args.repeat)])
    for fmt in ALL_FORMATS:
        if fmt not in prep["formats"]:
            add(kind, f"export {fmt}", "skipped", unit="not offered by manage.py export yet")
            continue
        progress(f"{kind}: export {fmt} x {args.repeat}")
        exports = [export_measure(url, fmt) for _ in range(args.repeat)]
        seconds = median([e["seconds"] for e in exports])
        peak = median([e["peak_mb"] for e in exports])
        ratio = seconds / floor if floor else None
        if fmt == "jsonl":
            met = seconds < TARGET_EXPORT_S and (ratio is None or ratio <= TARGET_EXPORT_FLOOR)
            target = f"< {TARGET_EXPORT_S} s" + (f", <= {TARGET_EXPORT_FLOOR:.0f}x floor" if floor else "")
            add(
                kind,
                "export jsonl",
                num(seconds, 2),
                unit="s",
                floor=f"{ratio:.1f}x" if ratio else "",
                target=target,
                met=met,
            )
            add(
                kind,
                "export jsonl peak RSS",
                num(peak, 0),
                unit="MB",
                target=f"< {TARGET_EXPORT_MB}",
                met=peak < TARGET_EXPORT_MB,
            )
        else:
            add(kind, f"export {fmt}", num(seconds, 2), unit="s", floor=f"{ratio:.1f}x" if ratio else "")
            add(kind, f"export {fmt} peak RSS", num(peak, 0), unit="MB")
    if floor is not None:
        add(kind, "COPY floor (5 COPYs, same rows)", num(floor, 2), unit="s", floor="1.0x")
    else:
        add(kind, "COPY floor", "n/a", unit="PostgreSQL only")

    progress(f"{kind}: HTTP figures x {args.repeat} (gunicorn)")
    with gunicorn(url) as port:
        runs_ = [
            http_run(port, prep, reads=args.reads, write_iterations=args.writes) for _ in range(args.repeat)
        ]

    def p(name: str, index: int) -> float:
        return median([r[name][index] for r in runs_])

    q = prep["queries"]
    # Page numbers add one COUNT; the cursor page needs none.
    constant = q["list_10"] == q["list_100"] and q["deep"] <= q["list_100"]
    first50, deep50 = p("first", 0), p("deep", 0)
    add(
        kind,
        f"GET /api/articles/ page 1 of 100 ({q['list_100']} queries)",
        num(first50),
        num(p("first", 1)),
        "ms",
        target=f"< {TARGET_LIST_MS} ms, constant queries",
        met=first50 < TARGET_LIST_MS and constant,
    )
    add(
        kind,
        f"  cursor page after 90% ({q['deep']} queries)",
        num(deep50),
        num(p("deep", 1)),
        "ms",
        target=f"<= {TARGET_DEEP_RATIO}x page 1",
        met=deep50 <= TARGET_DEEP_RATIO * first50,
    )
    add(
        kind,
        f"GET /api/annotations/ID/ ({q['detail']} queries)",
        num(p("detail", 0)),
        num(p("detail", 1)),
        "ms",
    )
    search50 = p("search", 0)
    add(
        kind,
        f"search ?q= ({len(SEARCH_QUERIES)} queries mixed)",
        num(search50),
        num(p("search", 1)),
        "ms",
        target=f"< {TARGET_SEARCH_MS} ms (at 100k)",
        met=search50 < TARGET_SEARCH_MS,
    )
    writes = [r["writes"] for r in runs_]
    add(
        kind,
        f"writes, {WRITE_CLIENTS} clients (2xx/412/other)",
        num(median([w["per_second"] for w in writes])),
        "/".join(str(sum(w[k] for w in writes)) for k in ("2xx", "412", "other")),
        "requests/s",
        target="no other errors",
        met=not any(w["other"] for w in writes),
    )


if __name__ == "__main__":
    main()
