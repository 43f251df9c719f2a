"""Quote clusters as the corpus grows: ingestion with clustering on, and the clustering hook's cost.

    python -m bench.clusters --articles 100000 --checkpoints 1000,10000,100000 [--databases sqlite]
    python -m bench.clusters --cpu 2000 [--repeat 3] [--databases sqlite,postgres]

One database per kind is filled with the generated corpus (bench/generate.py) in steps, ingested the way
``manage.py ingest`` does it (batches, the pipeline in ``--jobs`` processes, the ingest hooks and so the
clustering on). The generator says the same sentences in many articles, so its largest clusters hold a
quote of most articles: the worst case for a hook that recounted a cluster's members. At each checkpoint a
probe is ingested and rolled back, so every checkpoint sees the same probe: one article, then ``--probe``
articles, from another seed of the generator (other urls), whose quotes repeat words the corpus has said
many times. The tables show, per checkpoint, the step's ingestion rate and the clustering hook's time per
quote over the step, and for the probe the hook's queries (``corpus.clusters._cluster_new_quotes``:
fingerprints, candidates, verification, assignment and the clusters' figures) and time per quote. A hook
whose work grew with the corpus or with its clusters would show growing queries or time per quote. The
load average is printed beside each figure: the machine may be shared.

``--cpu N`` ingests N generated articles into a fresh database with the pipeline in the ingesting process
(``--jobs 1``), with the clustering hook and without it, back to back ``--repeat`` times, and prints the
CPU time per article of each (the process's own CPU: SQLite's work is in it, a PostgreSQL server's is not).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


CLUSTERING = "corpus.clusters.quotes_cluster"


def _cpu() -> float:
    """CPU seconds of this process and of the pipeline's worker processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(step: Path | None, probes: list[Path], jobs: int, clustering: bool = True) -> dict:
    """Ingest ``step`` (if given) into the database, timing the clustering hook, then probe it."""
    django_setup()
    from django.conf import settings
    from django.db import connection

    from corpus import clusters
    from corpus.ingest.readers import read_path
    from corpus.models import Article, Quote, QuoteCluster
    from corpus.selectors import speaker_directory
    from corpus.services import batch_ingest

    if not clustering:
        settings.INGEST_HOOKS = [hook for hook in settings.INGEST_HOOKS if hook != CLUSTERING]
    assert (CLUSTERING in settings.INGEST_HOOKS) == clustering
    records = read_path(step, max_bytes=settings.INGEST_MAX_BYTES * 100) if step else []
    hook = {"seconds": 0.0, "calls": 0}
    original = clusters._cluster_new_quotes

    def timed(article_ids: list[int]) -> None:
        started = time.perf_counter()
        original(article_ids)
        hook["seconds"] += time.perf_counter() - started
        hook["calls"] += 1

    quotes_before = Quote.objects.filter(kind__in=clusters.CLUSTERED_KINDS).count()
    clusters._cluster_new_quotes = timed
    cpu, started = _cpu(), time.perf_counter()
    try:
        for _ in batch_ingest(records=records, directory=speaker_directory(), jobs=jobs):
            pass
    finally:
        clusters._cluster_new_quotes = original
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    return {
        "vendor": connection.vendor,
        "ingested": len(records),
        "seconds": seconds,
        "cpu": cpu,
        "load": os.getloadavg()[0],
        "hook_seconds": hook["seconds"],
        "step_quotes": Quote.objects.filter(kind__in=clusters.CLUSTERED_KINDS).count() - quotes_before,
        "articles": Article.objects.count(),
        "quotes": Quote.objects.count(),
        "clusters": QuoteCluster.objects.count(),
        "largest": QuoteCluster.objects.order_by("-size").values_list("size", flat=True).first() or 0,
        "probes": probe(probes),
        "probe_load": os.getloadavg()[0],
    }


def rows_for(kind: str, figures: dict) -> list[list[object]]:
    rows = []
    for found in figures["probes"]:
        per_quote = found["queries"] / found["quotes"] if found["quotes"] else 0.0
        ms_per_quote = found["seconds"] * 1000 / found["quotes"] if found["quotes"] else 0.0
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
                f"{ms_per_quote:.3f}",
                f"{figures['probe_load']:.1f}",
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
    "hook ms/quote",
    "load",
]
STEP_HEADERS = [
    "database",
    "corpus articles",
    "step articles",
    "ingest articles/s (clustering on)",
    "hook ms/quote over the step",
    "load",
]


def cpu_compare(args) -> None:
    """CPU per article with and without the clustering hook, back to back on the same articles."""
    folder = REPO / "var" / "bench"
    [corpus] = write_slices(folder / "cpu", [args.cpu])
    rows = []
    for kind in args.databases.split(","):
        for turn in range(args.repeat):
            for clustering in (True, False) if turn % 2 == 0 else (False, True):
                with fresh_database(kind, args.postgres_url) as url:
                    options = ["--input", str(corpus), "--jobs", "1"]
                    figures = run_worker(
                        "bench.clusters", url, *options, *([] if clustering else ["--no-clustering"])
                    )
                rows.append(
                    [
                        kind,
                        turn + 1,
                        "on" if clustering else "off",
                        figures["ingested"],
                        f"{figures['cpu'] * 1000 / figures['ingested']:.3f}",
                        f"{figures['hook_seconds'] * 1000 / figures['ingested']:.3f}",
                        f"{figures['ingested'] / figures['seconds']:,.0f}",
                        f"{figures['load']:.1f}",
                    ]
                )
                print(" | ".join(map(str, rows[-1])), flush=True)
    print()
    print_table(
        [
            "database",
            "turn",
            "clustering",
            "articles",
            "CPU ms/article",
            "hook ms/article",
            "articles/s (wall, --jobs 1)",
            "load",
        ],
        rows,
    )


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
    parser.add_argument("--cpu", type=int, help="compare CPU per article with and without clustering")
    parser.add_argument("--repeat", type=int, default=3, help="turns of the --cpu comparison")
    parser.add_argument("--no-clustering", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probes", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        probes = [Path(p) for p in args.probes.split(",")] if args.probes else []
        print(json.dumps(worker(args.input, probes, args.jobs, clustering=not args.no_clustering)))
        return
    if args.cpu:
        cpu_compare(args)
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
    rows, steps_rows = [], []
    for kind in args.databases.split(","):
        with fresh_database(kind, args.postgres_url) as url:
            for step in steps:
                figures = run_worker(
                    "bench.clusters", url, "--input", str(step), "--probes", ",".join(map(str, probes)),
                    "--jobs", str(args.jobs),
                )  # fmt: skip
                hook_per_quote = (
                    figures["hook_seconds"] * 1000 / figures["step_quotes"] if figures["step_quotes"] else 0.0
                )
                steps_rows.append(
                    [
                        kind,
                        figures["articles"],
                        figures["ingested"],
                        f"{figures['ingested'] / figures['seconds']:,.0f}",
                        f"{hook_per_quote:.3f}",
                        f"{figures['load']:.1f}",
                    ]
                )
                rows.extend(rows_for(kind, figures))
                print(" | ".join(map(str, steps_rows[-1])), flush=True)
    print()
    print_table(STEP_HEADERS, steps_rows)
    print()
    print_table(HEADERS, rows)


if __name__ == "__main__":
    main()
