"""Export benchmark: seconds and peak resident memory per format, on SQLite and PostgreSQL.

    python -m bench.export                      # 10,000 articles
    python -m bench.export --articles 100000    # the large run
    python -m bench.export --databases sqlite --formats jsonl,csv

The generated corpus is loaded once per database through the ingestion service (with an editor's
annotation, claim and published fact-check on every tenth article); each export then runs in a child
process of its own, so its peak memory (VmHWM) is its own and not the loader's.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from bench.common import DEFAULT_POSTGRES, REPO, django_setup, fresh_database, print_table, run_worker
from bench.generate import write_jsonl

FORMATS = ["jsonl", "csv", "parquet", "w3c", "claimreview"]
OUTPUTS = {
    "jsonl": "corpus.jsonl",
    "csv": "tables.zip",
    "parquet": "tables.zip",
    "w3c": "w3c.jsonld",
    "claimreview": "cr.jsonld",
}


def _peak_mib() -> float:
    """This process's peak resident memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(path: Path) -> dict:
    django_setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from annotations import services
    from annotations.models import Annotation, Tag
    from corpus.ingest.readers import read_path
    from corpus.models import Article
    from corpus.selectors import speaker_directory
    from corpus.services import article_ingest

    directory = speaker_directory()
    started = time.perf_counter()
    for record in read_path(path, max_bytes=settings.INGEST_MAX_BYTES * 1000):
        article_ingest(record=record, directory=directory)
    User = get_user_model()
    editor = User.objects.create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="Editor"))
    reviewer = User.objects.create(username="bench-reviewer")
    reviewer.groups.add(Group.objects.get(name="Fact-checker"))
    Tag.objects.get_or_create(slug="claim", defaults={"name": "claim"})
    for article in Article.objects.order_by("id").prefetch_related("quotes")[::10]:
        quote = next((q for q in article.quotes.all() if q.start is not None), None)
        if quote is None:
            continue
        annotation = services.annotation_create(
            article=article,
            author=editor,
            start=quote.start,
            end=quote.end,
            tags=["claim"],
            note="check",
            status="published",
        )
        claim = services.claim_create(
            article=article, text=annotation.exact, created_by=editor, annotation=annotation
        )
        check = services.factcheck_create(claim=claim, author=editor, verdict="mixed", rationale="Both.")
        services.factcheck_submit(fact_check=check, expected_version=1, user=editor)
        services.factcheck_publish(fact_check=check, expected_version=2, user=reviewer)
    return {
        "vendor": connection.vendor,
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def export(fmt: str) -> dict:
    django_setup()
    from annotations.exports.selection import ExportOptions
    from annotations.exports.services import export_write

    baseline = _peak_mib()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / OUTPUTS[fmt]
        started = time.perf_counter()
        manifest = export_write(fmt=fmt, options=ExportOptions(), output=out)
        seconds = time.perf_counter() - started
        size = sum(f["bytes"] for f in manifest["files"])
    return {"seconds": seconds, "peak_mib": _peak_mib(), "baseline_mib": baseline, "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description="Export benchmark")
    parser.add_argument(
        "--articles", type=int, default=10_000, help="10000 by default; 100000 for the large run."
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(load(args.load) if args.load else export(args.export)))
        return

    corpus = write_jsonl(REPO / "var" / "bench" / f"export-{args.articles}.jsonl", args.articles)
    rows = []
    for kind in args.databases.split(","):
        with fresh_database(kind, args.postgres_url) as url:
            loaded = run_worker("bench.export", url, "--load", str(corpus))
            print(f"{kind}: loaded {loaded['articles']:,} articles in {loaded['seconds']:.0f} s", flush=True)
            for fmt in args.formats.split(","):
                result = run_worker("bench.export", url, "--export", fmt)
                rows.append(
                    [
                        kind,
                        fmt,
                        loaded["articles"],
                        result["seconds"],
                        loaded["articles"] / result["seconds"],
                        result["peak_mib"],
                        result["peak_mib"] - result["baseline_mib"],
                        result["bytes"] / 2**20,
                    ]
                )
    print_table(
        [
            "database",
            "format",
            "articles",
            "seconds",
            "articles/s",
            "peak RSS MiB",
            "over start MiB",
            "output MiB",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
