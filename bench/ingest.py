"""Ingestion benchmark: articles/s and quotes/s with full cleaning and quote extraction.

    python -m bench.ingest --articles 1000 --databases sqlite,postgres --repeat 3 [--jobs N] [--webhooks N]

Each run ingests the generated corpus into a new, empty database, in a child process; the table shows the
median of the runs. PostgreSQL is reached at --postgres-url (default: the local server).

``--webhooks N`` runs each database again with N webhooks subscribed to ``article.ingested``: their
deliveries are queued for the task worker (one per batch and webhook, see docs/webhooks.md) inside the
timed run, and never sent.
"""

from __future__ import annotations

import argparse
import json
import os
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


def worker(path: Path, jobs: int, webhooks: int = 0) -> dict:
    django_setup()
    from django.conf import settings
    from django.db import connection

    from corpus.ingest.readers import read_path
    from corpus.models import Quote
    from corpus.selectors import speaker_directory
    from corpus.services import batch_ingest

    _webhooks_register(webhooks)
    records = read_path(path, max_bytes=settings.INGEST_MAX_BYTES * 100)
    directory = speaker_directory()
    started = time.perf_counter()
    # The command's path: batches of 200 per transaction, bulk inserts, the pipeline in ``jobs`` processes.
    for _ in batch_ingest(records=records, directory=directory, jobs=jobs):
        pass
    seconds = time.perf_counter() - started
    return {
        "vendor": connection.vendor,
        "articles": len(records),
        "quotes": Quote.objects.count(),
        "seconds": seconds,
        "jobs": jobs,
        "webhooks": webhooks,
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
            rows.append([kind, webhooks, articles, quotes, seconds, articles / seconds, quotes / seconds])
    print_table(
        ["database", "webhooks", "articles", "quotes", "seconds (median)", "articles/s", "quotes/s"], rows
    )


if __name__ == "__main__":
    main()
