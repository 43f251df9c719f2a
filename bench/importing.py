"""import_dataset benchmark: articles/s of the everyday import and of ``--restore``, beside the target.

    python -m bench.importing --articles 2000 --databases sqlite,postgres --repeat 3

The dataset is built once: the generated corpus ingested into SQLite, about ten editors' annotations per
article and a fact-check on every tenth added (bench/suite.py's set-up), then exported as JSONL with
drafts. Each run imports it into a fresh, empty database in a child process (bench/suite_workers.py's
``import_worker``); the table shows the median of the runs.

Beside the rate, the CPU each article cost the importing process and, on PostgreSQL, the server process of
its connection (read from /proc: a server on the same machine). Their sum bounds what two idle cores can
reach whatever the load: the "2-core bound" column is that rate, with the import and the server each on a
core of its own and neither waiting for the other.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bench.common import DEFAULT_POSTGRES, REPO, fresh_database, median, print_table, run_worker
from bench.generate import write_jsonl
from bench.suite import TARGET_IMPORT, child_env

MODES = {"import": "import_dataset", "restore": "import_dataset --restore"}


def dataset_build(folder: Path, articles: int, postgres_url: str) -> Path:
    """The JSONL export (with drafts) of ``articles`` generated, ingested and annotated articles."""
    out = folder / f"import-{articles}"
    if (out / "articles.jsonl").is_file():
        return out
    corpus = write_jsonl(folder / f"import-{articles}.jsonl", articles)
    with fresh_database("sqlite", postgres_url) as url:
        run_worker("bench.ingest", url, "--input", str(corpus))
        run_worker("bench.suite", url, "--step", "annotate", "--annotations-per-article", "10")
        command = ["manage.py", "export", "--format", "jsonl", "--include-drafts", "--output", f"{out}/"]
        subprocess.run([sys.executable, *command], cwd=REPO, env=child_env(url), check=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="import_dataset benchmark")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--modes", default="import,restore", help="import (everyday), restore, or both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    args = parser.parse_args()

    dataset = dataset_build(REPO / "var" / "bench", args.articles, args.postgres_url)
    rows = []
    for kind in args.databases.split(","):
        for mode in args.modes.split(","):
            runs = []
            for _ in range(args.repeat):
                with fresh_database(kind, args.postgres_url) as url:
                    runs.append(run_worker("bench.suite", url, "--step", mode, "--input", str(dataset)))
            bad = [r for r in runs if r["failed"] or not r["created"]]
            if bad:
                raise SystemExit(f"{MODES[mode]} failed: {bad[0]['errors']}")
            articles = runs[0]["created"]
            seconds = median([r["seconds"] for r in runs])
            cpu = median([r["cpu"] for r in runs]) / articles
            server = median([r["server_cpu"] for r in runs]) / articles
            # Two cores: the import and the server each on one, the busier of the two sets the pace.
            bound = 1 / max(cpu, server, (cpu + server) / 2)
            rows.append(
                [
                    kind,
                    MODES[mode],
                    articles,
                    seconds,
                    articles / seconds,
                    f">= {TARGET_IMPORT:,}",
                    "yes" if articles / seconds >= TARGET_IMPORT else "NO",
                    f"{cpu * 1000:.3f}",
                    f"{server * 1000:.3f}" if kind == "postgres" else "",
                    bound,
                    f"{max(r['load'] for r in runs):.1f}",
                ]
            )
    print(f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print_table(
        [
            "database",
            "mode",
            "articles",
            "seconds (median)",
            "articles/s",
            "target",
            "met",
            "CPU ms/article: import",
            "server",
            "2-core bound",
            "load (max)",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
