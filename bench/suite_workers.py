"""The benchmark suite's workers: child processes, one database each, started by ``bench.suite`` with
``--worker --step NAME``, each printing its result as one JSON line (bench/common.py's ``run_worker``)."""

from __future__ import annotations

import math
import os
import resource
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import django_setup

WRITE_CLIENTS = 8
TAGS = ["context", "statistic", "source-check", "opinion", "correction"]


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


def import_worker(path: Path, restore: bool = False) -> dict:
    """``import_dataset`` (``--restore`` with ``restore``) into this (empty) database, timed without
    Django's start-up and migrations; with the CPU it cost this process and, on PostgreSQL, the server."""
    django_setup()
    from django.db import connection

    from annotations.imports.importer import dataset_import
    from annotations.models import Annotation
    from bench.ingest import _cpu, _server_cpu

    server, own = _server_cpu(), _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = dataset_import(path=path, restore=restore)
    seconds = time.perf_counter() - started
    own, server = _cpu(resource.RUSAGE_SELF) - own, _server_cpu() - server
    return {
        "vendor": connection.vendor,
        "restore": restore,
        "created": result.created,
        "failed": result.failed,
        "errors": result.errors[:3],
        "annotations": Annotation.objects.count(),
        "seconds": seconds,
        "cpu": own,
        "server_cpu": server,
        "load": os.getloadavg()[0],
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
