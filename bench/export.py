"""Export benchmark: seconds and peak resident memory per format, on SQLite and PostgreSQL.

    python -m bench.export                      # 10,000 articles
    python -m bench.export --articles 100000    # the large run
    python -m bench.export --databases sqlite --formats jsonl,csv
    python -m bench.export --keep --repeat 3    # load once, keep the databases, reuse them next time

The generated corpus is loaded once per database through the ingestion service (with an editor's
annotation, claim and published fact-check on every tenth article); each export then runs in a child
process of its own, so its peak memory (VmHWM) is its own and not the loader's. Loading takes most of a
run: with ``--keep`` the loaded databases stay
(SQLite in var/bench/, PostgreSQL as ``bench_export_<articles>`` on the server of --postgres-url; ``--prefix``
names them otherwise) and a later ``--keep`` run exports from them without loading again. ``--drop``
removes them. Each line says
the CPU seconds of the export beside its wall-clock seconds, and the load average when it ran: the
export's processes (user and system, the parent and the child that makes part of a large JSONL's lines)
and, on PostgreSQL, the server's backends that served them. Each run is printed as it ends, then the
table of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import (
    DEFAULT_POSTGRES,
    REPO,
    django_setup,
    fresh_database,
    median,
    print_table,
    run_worker,
)
from bench.generate import write_jsonl

FORMATS = ["jsonl", "csv", "parquet", "w3c", "claimreview"]
# The kept databases are <prefix>_<articles> (an SQLite file in var/bench/, a PostgreSQL database).
PREFIX = "bench_export"
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
    from corpus.services import batch_ingest

    directory = speaker_directory()
    started = time.perf_counter()
    records = read_path(path, max_bytes=settings.INGEST_MAX_BYTES * 1000)
    # What ``ingest`` runs: batches per transaction, the pipeline in a process per core.
    for _ in batch_ingest(records=records, directory=directory, jobs=os.cpu_count() or 1):
        pass
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
    if connection.vendor == "postgresql":
        # What autovacuum does to a deployed database some time after a bulk load: statistics for the
        # planner and the visibility map. Without them the plans of a freshly loaded database are guesses.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return {
        "vendor": connection.vendor,
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "seconds": time.perf_counter() - started,
    }


class ServerCpu:
    """CPU seconds of the PostgreSQL backends of this database while the export runs: the export's own
    connection and any its child process opens. Read from /proc (the server on this machine), every
    ``interval`` seconds in a thread of this process, since a backend's figures go with it when its
    connection closes: what a backend spends after its last reading (at most ``interval``) is left out.
    None where there is no such server or /proc to read. ``own``: the CPU seconds of the reading thread,
    which the export's figures leave out (the files stay open and are read again in place, so it is
    small: about 1% of a core)."""

    def __init__(self, interval: float = 0.01):
        from django.db import connection

        self.interval = interval
        self.seen: dict[int, tuple[float, float]] = {}  # backend pid -> (first reading, last reading)
        self.files: dict[int, int] = {}  # backend pid -> its open stat file
        self.others: set[int] = set()  # the server's other processes
        self.stop = threading.Event()
        self.thread = None
        self.children = None
        self.own = 0.0
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), current_database()")
            pid, self.database = cursor.fetchone()
        try:
            with open(f"/proc/{pid}/stat") as stat:
                postmaster = int(stat.read().rsplit(")", 1)[1].split()[1])
            self.children = os.open(f"/proc/{postmaster}/task/{postmaster}/children", os.O_RDONLY)
        except (OSError, ValueError, IndexError):
            return
        self.tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        if self.children is not None:
            self.read()
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.thread is not None:
            self.stop.set()
            self.thread.join()
            self.read()
            for fd in (self.children, *self.files.values()):
                os.close(fd)
        return False

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            self.read()
        self.own = time.thread_time()

    def read(self) -> None:
        try:
            pids = [int(pid) for pid in os.pread(self.children, 1 << 16, 0).split()]
        except OSError:
            return
        for pid in pids:
            if pid in self.others or pid in self.files:
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ")
                title = _BACKEND.match(command)
                if title is None or title[1].decode(errors="replace") != self.database:
                    # A process just forked still has the server's command line: read it again.
                    if command.startswith(b"postgres: "):
                        self.others.add(pid)
                    continue
                self.files[pid] = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
            except OSError:
                continue
        for pid, fd in self.files.items():
            try:
                fields = os.pread(fd, 1024, 0).rsplit(b")", 1)[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / self.tick
            except (OSError, ValueError, IndexError):
                continue  # gone: its last reading stands
            # A backend first seen once the export runs began during it: all its CPU is the export's.
            started = 0.0 if self.thread is not None else seconds
            self.seen[pid] = (self.seen.get(pid, (started,))[0], seconds)

    @property
    def seconds(self) -> float | None:
        if self.children is None:
            return None
        return sum(last - first for first, last in self.seen.values())


# A backend's title: "postgres: [CLUSTER NAME: ]USER DATABASE HOST(PORT) STATE".
_BACKEND = re.compile(rb"postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])")


def export(fmt: str) -> dict:
    django_setup()
    from annotations.exports.selection import ExportOptions
    from annotations.exports.services import export_write

    baseline = _peak_mib()
    server = ServerCpu()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / OUTPUTS[fmt]
        load = os.getloadavg()[0]
        with server:
            started, cpu, own = time.perf_counter(), _cpu(), time.process_time()
            manifest = export_write(fmt=fmt, options=ExportOptions(), output=out)
            seconds, cpu, own = time.perf_counter() - started, _cpu() - cpu, time.process_time() - own
        cpu, own = cpu - server.own, own - server.own
        size = sum(f["bytes"] for f in manifest["files"])
    # A large JSONL export makes part of its lines in a child process: the larger of the two peaks.
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "cpu": cpu,
        # What two idle cores would wait for: the longer of this process and its child (if any).
        "cpu_longest": max(own, cpu - own),
        "cpu_parent": own,
        "peak_mib": max(_peak_mib(), child_peak),
        "baseline_mib": baseline,
        "server_cpu": server.seconds,
        "sampler_cpu": server.own,
        "bytes": size,
        "load": max(load, os.getloadavg()[0]),
    }


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (an export's helper processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def kept_database(
    kind: str, articles: int, postgres_url: str, prefix: str = PREFIX
) -> Iterator[tuple[str, bool]]:
    """(DATABASE_URL, whether it is loaded already) of the database a ``--keep`` run keeps."""
    name = f"{prefix}_{articles}"
    if kind == "sqlite":
        path = REPO / "var" / "bench" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{path}", path.with_suffix(".loaded").exists()
        return
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        found = conn.execute("SELECT datname FROM pg_database WHERE datname = %s", [name]).fetchone()
        loaded = bool(found) and bool(
            conn.execute(
                "SELECT shobj_description(oid, 'pg_database') = 'loaded' FROM pg_database WHERE datname = %s",
                [name],
            ).fetchone()[0]
        )
        if not loaded:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}", loaded


def kept_mark(kind: str, articles: int, postgres_url: str, prefix: str = PREFIX) -> None:
    """Say that the kept database is loaded (a load cut short is loaded again next time)."""
    name = f"{prefix}_{articles}"
    if kind == "sqlite":
        (REPO / "var" / "bench" / f"{name}.loaded").touch()
        return
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS 'loaded'")


def kept_drop(articles: int, postgres_url: str, prefix: str = PREFIX) -> None:
    name = f"{prefix}_{articles}"
    for suffix in (".sqlite3", ".loaded"):
        (REPO / "var" / "bench" / f"{name}{suffix}").unlink(missing_ok=True)
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description="Export benchmark")
    parser.add_argument(
        "--articles", type=int, default=10_000, help="10000 by default; 100000 for the large run."
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES, help="the server's admin database (it creates its own)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="exports per format; the table shows the median"
    )
    parser.add_argument("--keep", action="store_true", help="keep the loaded databases and reuse kept ones")
    parser.add_argument("--drop", action="store_true", help="drop the kept databases of --articles and stop")
    parser.add_argument(
        "--prefix",
        default=PREFIX,
        help=f"kept databases are named PREFIX_<articles> ({PREFIX} by default), so that several can be kept",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(load(args.load) if args.load else export(args.export)))
        return

    if args.drop:
        kept_drop(args.articles, args.postgres_url, args.prefix)
        return
    corpus = write_jsonl(REPO / "var" / "bench" / f"export-{args.articles}.jsonl", args.articles)
    rows = []
    for kind in args.databases.split(","):
        if args.keep:
            database = kept_database(kind, args.articles, args.postgres_url, args.prefix)
        else:
            database = _loading(fresh_database(kind, args.postgres_url))
        with database as (url, loaded):
            if loaded:
                print(f"{kind}: reusing the kept database of {args.articles:,} articles", flush=True)
            else:
                done = run_worker("bench.export", url, "--load", str(corpus))
                print(f"{kind}: loaded {done['articles']:,} articles in {done['seconds']:.0f} s", flush=True)
                if args.keep:
                    kept_mark(kind, args.articles, args.postgres_url, args.prefix)
            for fmt in args.formats.split(","):
                runs = []
                for number in range(args.repeat):
                    runs.append(run_worker("bench.export", url, "--export", fmt))
                    print(_run_line(kind, fmt, number, runs[-1]), flush=True)
                result = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
                rows.append(
                    [
                        kind,
                        fmt,
                        args.articles,
                        median([r["seconds"] for r in runs]),
                        median([r["cpu"] for r in runs]),
                        median([r["cpu_longest"] for r in runs]),
                        _median_or_dash([r["server_cpu"] for r in runs]),
                        args.articles / median([r["seconds"] for r in runs]),
                        max(r["peak_mib"] for r in runs),
                        result["peak_mib"] - result["baseline_mib"],
                        result["bytes"] / 2**20,
                        result["load"],
                    ]
                )
    print_table(
        [
            "database",
            "format",
            "articles",
            "seconds",
            "CPU s",
            "longest process CPU s",
            "server CPU s",
            "articles/s",
            "peak RSS MiB",
            "over start MiB",
            "output MiB",
            "load avg",
        ],
        rows,
    )


def _run_line(kind: str, fmt: str, number: int, run: dict) -> str:
    server = "" if run["server_cpu"] is None else f", server {run['server_cpu']:.3f}"
    return (
        f"{kind} {fmt} run {number + 1}: {run['seconds']:.3f} s wall, CPU {run['cpu']:.3f} s "
        f"(longest process {run['cpu_longest']:.3f}{server}), peak {run['peak_mib']:.1f} MiB, "
        f"load {run['load']:.2f}"
    )


def _median_or_dash(values: list[float | None]) -> float | str:
    known = [value for value in values if value is not None]
    return median(known) if known else "-"


@contextmanager
def _loading(database) -> Iterator[tuple[str, bool]]:
    with database as url:
        yield url, False


if __name__ == "__main__":
    main()
