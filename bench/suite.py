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
The workers are in bench/suite_workers.py, the HTTP server and clients in bench/suite_http.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench.clusters import write_probe
from bench.common import DEFAULT_POSTGRES, REPO, fresh_database, median, print_table, run_worker
from bench.generate import write_jsonl
from bench.suite_http import SEARCH_QUERIES, child_env, gunicorn, http_run
from bench.suite_workers import WRITE_CLIENTS, annotate_worker, clone_worker, import_worker, prepare_worker

ALL_FORMATS = ["jsonl", "csv", "parquet", "w3c", "claimreview"]
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


# --- Children and measurements from the parent ---------------------------------------------------


def manage(database_url: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=child_env(database_url),
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
            env=child_env(database_url),
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
            "restore": lambda: import_worker(args.input, restore=True),
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


def import_once(database_url: str, dataset: Path, step: str = "import") -> dict:
    result = worker(database_url, "--step", step, "--input", str(dataset))
    if result["failed"] or not result["created"]:
        raise SystemExit(f"import_dataset failed for {result['failed']} articles: {result['errors']}")
    return result


def import_rows(kind: str, args: argparse.Namespace, dataset: Path, results: Results) -> None:
    """import_dataset and import_dataset --restore into fresh databases, each beside the target, with the
    CPU per article of the importing process and the server (on PostgreSQL) and the load during the runs."""
    for step, label in (("import", "import_dataset"), ("restore", "import_dataset --restore")):
        runs = []
        for run in range(args.repeat):
            progress(f"{kind}: {label} run {run + 1}/{args.repeat}")
            with fresh_database(kind, args.postgres_url) as scratch_url:
                runs.append(import_once(scratch_url, dataset, step))
        created = runs[0]["created"]
        rate = median([r["created"] / r["seconds"] for r in runs])
        cpu = median([r["cpu"] for r in runs]) * 1000 / created
        server = median([r["server_cpu"] for r in runs]) * 1000 / created if kind == "postgres" else None
        spent = f"CPU {cpu:.2f} ms/article" + (f" + server {server:.2f}" if server is not None else "")
        results.add(
            kind,
            f"{label} ({created:,} articles; {spent}; load {max(r['load'] for r in runs):.1f})",
            num(rate),
            unit="articles/s",
            target=f">= {TARGET_IMPORT:,}",
            met=rate >= TARGET_IMPORT,
        )


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

    import_rows(kind, args, dataset, results)

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
