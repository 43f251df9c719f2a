"""Ingestion benchmark: articles/s and quotes/s with full cleaning and quote extraction.

    python -m bench.ingest --articles 1000 --databases sqlite,postgres --repeat 3 [--jobs N] [--webhooks N]

Each run ingests the generated corpus into a new, empty database, in a child process; the table shows the
median of the runs. PostgreSQL is reached at --postgres-url (default: the local server).

Beside the rate, the CPU each article cost: the ingesting process (the writes; the pipeline too with
--jobs 1), the pipeline's worker processes and, on PostgreSQL, the server process of the connection (read
from /proc, so only for a server on the same machine). CPU time moves far less with the machine's load than
wall-clock time: their sum says what the cores could reach when idle.

``--webhooks N`` runs each database again with N webhooks subscribed to ``article.ingested``: their
deliveries are queued for the task worker (one per batch and webhook, see docs/webhooks.md) inside the
timed run, and never sent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

from bench.common import DEFAULT_POSTGRES, REPO, django_setup, fresh_database, median, print_table, run_worker
from bench.generate import write_jsonl


def _webhooks_register(count: int) -> None:
    from django.contrib.auth import get_user_model

    from webhooks.services import webhook_create

    admin = get_user_model().objects.create_superuser("bench-admin", password=None)
    for n in range(count):
        webhook_create(user=admin, url=f"https://hooks{n}.example.invalid/", events=["article.ingested"])


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL server process so far (0 elsewhere, or where /proc
    cannot tell: a server on another machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(path: Path, jobs: int, webhooks: int = 0) -> dict:
    django_setup()
    from django.conf import settings
    from django.db import connection

    # The text pipeline's modules are loaded before the clock starts, as Django's are: that is start-up,
    # not ingestion (0.1-0.2 s of CPU where Python has no bytecode cached for them, most of it compiling
    # their source and patterns; a tenth of a run of 1,000 articles). ``ingest --jobs`` loads them in the
    # writing process too, before its workers start.
    import corpus.ingest.pipeline  # noqa: F401
    from corpus.ingest.readers import read_path
    from corpus.models import Quote
    from corpus.selectors import speaker_directory
    from corpus.services import batch_ingest

    _webhooks_register(webhooks)
    records = read_path(path, max_bytes=settings.INGEST_MAX_BYTES * 100)
    directory = speaker_directory()
    server, own, workers = _server_cpu(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # The command's path: batches of 200 per transaction, bulk inserts, the pipeline in ``jobs`` processes.
    for _ in batch_ingest(records=records, directory=directory, jobs=jobs):
        pass
    seconds = time.perf_counter() - started
    # The pool's workers are waited for when the run ends, so their CPU is counted by then.
    own, workers = _cpu(resource.RUSAGE_SELF) - own, _cpu(resource.RUSAGE_CHILDREN) - workers
    server = _server_cpu() - server
    return {
        "vendor": connection.vendor,
        "articles": len(records),
        "quotes": Quote.objects.count(),
        "seconds": seconds,
        "jobs": jobs,
        "webhooks": webhooks,
        "cpu": own,
        "workers_cpu": workers,
        "server_cpu": server,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Ingestion benchmark")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="pipeline processes (ingest --jobs); default: cores",
    )
    parser.add_argument(
        "--webhooks", type=int, default=0, help="also run with this many webhooks on article.ingested"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.input, args.jobs, args.webhooks)))
        return

    corpus = write_jsonl(REPO / "var" / "bench" / f"ingest-{args.articles}.jsonl", args.articles)
    rows = []
    for kind in args.databases.split(","):
        for webhooks in sorted({0, args.webhooks}):
            runs = []
            for _ in range(args.repeat):
                with fresh_database(kind, args.postgres_url) as url:
                    options = ["--input", str(corpus), "--jobs", str(args.jobs), "--webhooks", str(webhooks)]
                    runs.append(run_worker("bench.ingest", url, *options))
            seconds = median([r["seconds"] for r in runs])
            articles, quotes = runs[0]["articles"], runs[0]["quotes"]

            def per_article(key: str, runs=runs, articles=articles) -> str:
                return f"{median([r[key] for r in runs]) * 1000 / articles:.3f}"

            rows.append(
                [
                    kind,
                    webhooks,
                    articles,
                    quotes,
                    seconds,
                    articles / seconds,
                    quotes / seconds,
                    per_article("cpu"),
                    per_article("workers_cpu"),
                    per_article("server_cpu") if kind == "postgres" else "",
                    f"{max(r['load'] for r in runs):.1f}",
                ]
            )
    print_table(
        [
            "database",
            "webhooks",
            "articles",
            "quotes",
            "seconds (median)",
            "articles/s",
            "quotes/s",
            "CPU ms/article: ingesting process",
            "pipeline workers",
            "database server",
            "load (max)",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
