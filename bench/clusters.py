"""Quote clusters as the corpus grows: ingestion with clustering on, and the cluster look-up's queries.

    python -m bench.clusters --articles 100000 --checkpoints 1000,10000,100000 [--databases sqlite]

One database per kind is filled with the generated corpus (bench/generate.py) in steps, ingested the way
``manage.py ingest`` does it (batches, the pipeline in ``--jobs`` processes, the ingest hooks and so the
clustering on). At each checkpoint a probe is ingested and rolled back, so every checkpoint sees the same
probe: one article, then ``--probe`` articles, from another seed of the generator (other urls), whose
quotes repeat words the corpus has said many times. The table shows, per checkpoint, the ingestion rate
of the step that reached it and the clustering hook's queries (``corpus.clusters._cluster_new_quotes``:
fingerprints, candidates, verification, assignment and the clusters' refresh) for the probe's quotes.
A look-up that scanned the corpus would show growing queries or time; fingerprints cap the candidates.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from itertools import pairwise
from pathlib import Path

from bench.common import DEFAULT_POSTGRES, REPO, django_setup, fresh_database, print_table, run_worker
from bench.generate import articles

PROBE_SEED = 2


def write_slices(folder: Path, checkpoints: list[int]) -> list[Path]:
    """The corpus, cut at the checkpoints: one JSONL file per step, generated once and streamed."""
    folder.mkdir(parents=True, exist_ok=True)
    generated = articles(checkpoints[-1])
    bounds = [0, *checkpoints]
    paths = []
    for start, end in pairwise(bounds):
        path = folder / f"clusters-{start}-{end}.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            for _ in range(end - start):
                stream.write(json.dumps(next(generated), ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def write_probe(path: Path, count: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for index, record in enumerate(articles(count, seed=PROBE_SEED)):
            record["url"] = f"https://probe.example.org/{index}"
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


class _Rollback(Exception):
    pass


def probe(paths: list[Path]) -> list[dict]:
    """Ingest each probe file in a transaction that is rolled back; count the clustering hook's queries."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from corpus import clusters
    from corpus.ingest.readers import read_path
    from corpus.models import Quote
    from corpus.selectors import speaker_directory
    from corpus.services import batch_ingest

    figures = []
    original = clusters._cluster_new_quotes
    for path in paths:
        calls: list[tuple[int, float]] = []

        def counted(article_ids: list[int], calls=calls) -> None:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                original(article_ids)
                calls.append((len(captured), time.perf_counter() - started))

        records = read_path(path, max_bytes=settings.INGEST_MAX_BYTES * 100)
        clusters._cluster_new_quotes = counted
        try:
            with transaction.atomic():
                for _ in batch_ingest(records=records, directory=speaker_directory()):
                    pass
                quotes = Quote.objects.filter(
                    article__url__startswith="https://probe.example.org/",
                    kind__in=clusters.CLUSTERED_KINDS,
                    start__isnull=False,
                )
                figures.append(
                    {
                        "articles": len(records),
                        "quotes": quotes.count(),
                        "clustered": quotes.filter(cluster__isnull=False).count(),
                        "queries": sum(n for n, _ in calls),
                        "calls": len(calls),
                        "seconds": sum(s for _, s in calls),
                    }
                )
                raise _Rollback
        except _Rollback:
            pass
        finally:
            clusters._cluster_new_quotes = original
    return figures


def worker(step: Path | None, probes: list[Path], jobs: int) -> dict:
    """Ingest ``step`` (if given) into the database, then probe the cluster look-up."""
    django_setup()
    from django.conf import settings
    from django.db import connection

    from corpus.ingest.readers import read_path
    from corpus.models import Article, Quote, QuoteCluster
    from corpus.selectors import speaker_directory
    from corpus.services import batch_ingest

    assert "corpus.clusters.quotes_cluster" in settings.INGEST_HOOKS, "clustering is off"
    records = read_path(step, max_bytes=settings.INGEST_MAX_BYTES * 100) if step else []
    started = time.perf_counter()
    for _ in batch_ingest(records=records, directory=speaker_directory(), jobs=jobs):
        pass
    seconds = time.perf_counter() - started
    return {
        "vendor": connection.vendor,
        "ingested": len(records),
        "seconds": seconds,
        "articles": Article.objects.count(),
        "quotes": Quote.objects.count(),
        "clusters": QuoteCluster.objects.count(),
        "largest": QuoteCluster.objects.order_by("-size").values_list("size", flat=True).first() or 0,
        "probes": probe(probes),
    }


def rows_for(kind: str, figures: dict) -> list[list[object]]:
    rows = []
    for found in figures["probes"]:
        per_quote = found["queries"] / found["quotes"] if found["quotes"] else 0.0
        rows.append(
            [
                kind,
                figures["articles"],
                figures["clusters"],
                figures["largest"],
                found["articles"],
                f"{found['clustered']}/{found['quotes']}",
                found["queries"],
                f"{per_quote:.3f}",
                f"{found['seconds'] * 1000:.0f}",
            ]
        )
    return rows


HEADERS = [
    "database",
    "corpus articles",
    "clusters",
    "largest",
    "probe articles",
    "probe quotes clustered",
    "hook queries",
    "queries/quote",
    "hook ms",
]


def main() -> None:
    parser = argparse.ArgumentParser(description="Quote clusters at scale")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument(
        "--checkpoints", help="corpus sizes to probe at (default: 1,000, 10x ... up to --articles)"
    )
    parser.add_argument("--probe", type=int, default=200, help="articles of the larger probe")
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        probes = [Path(p) for p in args.probes.split(",")] if args.probes else []
        print(json.dumps(worker(args.input, probes, args.jobs)))
        return

    if args.checkpoints:
        checkpoints = sorted({int(c) for c in args.checkpoints.split(",")})
    else:
        checkpoints, size = [], 1_000
        while size < args.articles:
            checkpoints.append(size)
            size *= 10
        checkpoints.append(args.articles)
    folder = REPO / "var" / "bench"
    steps = write_slices(folder / "clusters", checkpoints)
    probes = [
        write_probe(folder / "probe-1.jsonl", 1),
        write_probe(folder / f"probe-{args.probe}.jsonl", args.probe),
    ]
    rows, rates = [], []
    for kind in args.databases.split(","):
        with fresh_database(kind, args.postgres_url) as url:
            for step in steps:
                figures = run_worker(
                    "bench.clusters", url, "--input", str(step), "--probes", ",".join(map(str, probes)),
                    "--jobs", str(args.jobs),
                )  # fmt: skip
                rates.append((kind, figures["articles"], figures["ingested"] / figures["seconds"]))
                rows.extend(rows_for(kind, figures))
                print(
                    f"{kind}: {figures['articles']:,} articles, ingested the last {figures['ingested']:,} at "
                    f"{figures['ingested'] / figures['seconds']:,.0f} articles/s (clustering on)",
                    flush=True,
                )
    print()
    print_table(["database", "corpus articles", "ingest articles/s of the step (clustering on)"], rates)
    print()
    print_table(HEADERS, rows)


if __name__ == "__main__":
    main()
