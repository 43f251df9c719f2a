"""Re-processing benchmark: articles/s of ``reprocess`` over an ingested corpus, wall-clock and CPU.

    python -m bench.reprocess --articles 2000 --databases sqlite,postgres --jobs 2 --repeat 3

Each run ingests the generated corpus into a new, empty database, in a child process, then re-processes
every article twice, as ``manage.py reprocess --all`` does (the same service, the same batches):

- "unchanged": every article marked as processed by an older pipeline, nothing else touched, so each
  quote is found again as it is (the usual case after a pipeline upgrade that changes little);
- "outdated": every paragraph's rule renamed and every fifth machine quote's cue altered, so those
  quotes are replaced (deleted with their history, inserted again) and every paragraph rewritten.

CPU is this process's user + system time plus that of the pipeline's worker processes; on a shared
machine it moves less than wall-clock time. The table shows the median of the runs beside the target.
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

TARGET = 500  # articles/s with --jobs 2


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(pks: list[int], jobs: int) -> tuple[float, float, int]:
    from corpus.selectors import speaker_directory
    from corpus.services import IngestFailure, batch_reprocess

    cpu, started = _cpu(), time.perf_counter()
    failed = 0
    for result in batch_reprocess(pks=pks, directory=speaker_directory(), jobs=jobs):
        failed += isinstance(result, IngestFailure)
    return time.perf_counter() - started, _cpu() - cpu, failed


def worker(path: Path, jobs: int) -> dict:
    django_setup()
    from django.conf import settings
    from django.db import connection

    from corpus.ingest.readers import read_path
    from corpus.models import Article, Paragraph, Quote
    from corpus.selectors import speaker_directory
    from corpus.services import batch_ingest

    records = read_path(path, max_bytes=settings.INGEST_MAX_BYTES * 100)
    for _ in batch_ingest(records=records, directory=speaker_directory(), jobs=jobs):
        pass
    pks = list(Article.objects.order_by("id").values_list("pk", flat=True))
    quotes = Quote.objects.count()
    figures = {"vendor": connection.vendor, "articles": len(pks), "quotes": quotes}

    last = Quote.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Article.objects.update(pipeline_version="0")
    figures["unchanged"] = _timed(pks, jobs)
    figures["unchanged_replaced"] = Quote.objects.filter(pk__gt=last).count()

    last = Quote.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Article.objects.update(pipeline_version="0")
    Paragraph.objects.exclude(rule="editor").update(rule="older-rule")
    altered = list(Quote.objects.order_by("id").values_list("pk", flat=True)[::5])
    for chunk in range(0, len(altered), 500):
        Quote.objects.filter(pk__in=altered[chunk : chunk + 500]).update(cue="whispered")
    figures["outdated"] = _timed(pks, jobs)
    figures["outdated_replaced"] = Quote.objects.filter(pk__gt=last).count()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Re-processing benchmark")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="pipeline processes (reprocess --jobs)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.input, args.jobs)))
        return

    corpus = write_jsonl(REPO / "var" / "bench" / f"ingest-{args.articles}.jsonl", args.articles)
    rows = []
    for kind in args.databases.split(","):
        runs = []
        for _ in range(args.repeat):
            with fresh_database(kind, args.postgres_url) as url:
                runs.append(
                    run_worker("bench.reprocess", url, "--input", str(corpus), "--jobs", str(args.jobs))
                )
        articles = runs[0]["articles"]
        for case in ("unchanged", "outdated"):
            wall = median([r[case][0] for r in runs])
            cpu = median([r[case][1] for r in runs])
            rate = articles / wall
            rows.append(
                [
                    kind,
                    case,
                    articles,
                    runs[0][f"{case}_replaced"],
                    wall,
                    articles / wall,
                    cpu,
                    articles / cpu,
                    f">= {TARGET}/s",
                    "yes" if rate >= TARGET else "no",
                ]
            )
    print_table(
        [
            "database",
            "case",
            "articles",
            "quotes replaced",
            "wall s",
            "articles/s",
            "CPU s",
            "articles/CPU s",
            "target",
            "met",
        ],
        rows,
    )
    print(f"--jobs {args.jobs}; median of {args.repeat} run(s); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
