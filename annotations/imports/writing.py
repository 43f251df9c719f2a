"""What one batch writes, table by table, and how: the rows, built by field name (``corpus.bulk.row_type``),
one statement per table, and, when the database refuses a batch, which kept id was at fault."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection
from django.db.models import Model
from django.utils import timezone

from corpus.bulk import RowWriter, row_type
from corpus.models import Article, Paragraph, Quote, QuoteCluster, Source, Speaker, SpeakerAlias

from ..models import Annotation, CheckWorthyDismissal, Claim, FactCheck, Tag

# What the database can refuse a batch with; the batch is then written again article by article.
WRITE_ERRORS = (IntegrityError, DataError)

# The fields each batch fills; every other column of the table gets its default (timestamps: the
# batch's time).
ArticleRow = row_type(
    Article,
    "id", "source", "url", "external_id", "raw_text", "content_hash", "text", "title", "standfirst",
    "byline", "published_at", "language", "metadata",
)  # fmt: skip
ParagraphRow = row_type(Paragraph, "id", "article", "position", "role", "rule", "start", "end")
SpeakerRow = row_type(Speaker, "id", "name", "kind", "description", "article")
QuoteRow = row_type(
    Quote,
    "id", "article", "paragraph", "kind", "start", "end", "exact", "anchor", "continues", "speaker",
    "speaker_mention", "cue", "via", "origin", "verified", "cluster", "cluster_fixed",
)  # fmt: skip
AnnotationRow = row_type(
    Annotation,
    "id", "article", "target", "paragraph", "quote", "start", "end", "exact", "prefix", "suffix",
    "anchor", "note", "author", "status", "origin",
)  # fmt: skip
TagLinkRow = row_type(Annotation.tags.through, "annotation", "tag")
DismissalRow = row_type(CheckWorthyDismissal, "article", "text", "dismissed_by", "dismissed_at")


class Batch:
    """The rows one batch writes, table by table. A record that fails its checks is cut back out."""

    LISTS = (
        "users", "sources", "tags", "speakers", "aliases", "articles", "paragraphs", "quotes",
        "annotations", "links", "claims", "fact_checks", "kept", "clusters", "dismissals", "placements",
    )  # fmt: skip

    def __init__(self):
        self.now = timezone.now()
        for name in self.LISTS:
            setattr(self, name, [])
        self.created = self.merged = self.failed = 0
        # Set by ``placements_apply``: the clusters quotes left or joined, and the placements this
        # database's editors had made already (kept).
        self.touched: set[int] = set()
        self.kept_placements = 0
        self.errors: list[str] = []

    def mark(self) -> tuple[int, ...]:
        return tuple(len(getattr(self, name)) for name in self.LISTS)

    def reset(self, mark: tuple[int, ...]) -> None:
        for name, length in zip(self.LISTS, mark, strict=True):
            del getattr(self, name)[length:]


def batch_write(batch: Batch, writer: RowWriter) -> None:
    """Write a batch: one statement per table."""
    for model, rows in ((get_user_model(), batch.users), (Source, batch.sources), (Tag, batch.tags)):
        if rows:
            model.objects.bulk_create(rows)
    writer.insert(SpeakerRow, batch.speakers, batch.now)
    aliases_insert(batch.aliases)
    writer.insert(ArticleRow, batch.articles, batch.now)
    writer.insert(ParagraphRow, batch.paragraphs, batch.now)
    if batch.clusters:
        QuoteCluster.objects.bulk_create(batch.clusters)
    writer.insert(QuoteRow, batch.quotes, batch.now)
    writer.insert(AnnotationRow, batch.annotations, batch.now)
    writer.insert(TagLinkRow, batch.links, batch.now)
    for model, rows in ((Claim, batch.claims), (FactCheck, batch.fact_checks)):
        if rows:
            model.objects.bulk_create(rows)
            # What Claim.objects.create and FactCheck.save record: their first history entry.
            model.history.bulk_history_create(rows, default_date=batch.now)
    dismissals_insert(batch.dismissals)
    placements_apply(batch)


def placements_apply(batch: Batch) -> None:
    """Editors' cluster decisions (``cluster_fixed``) on quotes the database already has: each quote goes
    where the dataset's editor put it (its cluster recreated here, or none) and is marked placed by an
    editor; a quote this database's editors placed themselves keeps their decision. One query to read the
    quotes' places, one update per cluster; the clusters' figures are counted once the import is done."""
    if not batch.placements:
        return
    wanted = dict(batch.placements)
    places = Quote.objects.filter(pk__in=list(wanted)).values_list("pk", "cluster_id", "cluster_fixed")
    moves: dict[int | None, list[int]] = defaultdict(list)
    for pk, cluster, fixed in places:
        if fixed:
            batch.kept_placements += int(cluster != wanted[pk])
            continue
        if cluster != wanted[pk]:
            moves[wanted[pk]].append(pk)
            batch.touched.update(c for c in (cluster, wanted[pk]) if c is not None)
        else:
            moves[cluster].append(pk)  # the same place, now the editor's
    for cluster, pks in moves.items():
        Quote.objects.filter(pk__in=pks).update(cluster_id=cluster, cluster_fixed=True)


def dismissals_insert(rows: list[tuple]) -> None:
    """Check-worthy dismissals, in one statement; a sentence the article has dismissed already (the
    database, or an earlier row of the batch) keeps its dismissal, who made it and when."""
    if not rows:
        return
    qn = connection.ops.quote_name
    names = ", ".join(qn(column) for column in DismissalRow.columns)
    placeholders = ", ".join(["%s"] * len(DismissalRow.columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(CheckWorthyDismissal._meta.db_table)} ({names}) VALUES ({placeholders}) "
            f"ON CONFLICT ({qn('article_id')}, {qn('text')}) DO NOTHING",
            rows,
        )


def aliases_insert(pairs: list[tuple[int, dict[str, str]]]) -> None:
    """Aliases of new speakers; a phrase another speaker already has stays with that speaker."""
    if not pairs:
        return
    keys = {key for _, phrases in pairs for key in phrases}
    taken = set(SpeakerAlias.objects.filter(key__in=keys).values_list("key", flat=True))
    rows = []
    for speaker, phrases in pairs:
        for key, phrase in phrases.items():
            if key not in taken:
                taken.add(key)
                rows.append(SpeakerAlias(speaker_id=speaker, phrase=phrase, key=key))
    SpeakerAlias.objects.bulk_create(rows)


def sequences_reset(models: set[type[Model]]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the highest id."""
    if not models:
        return
    statements = connection.ops.sequence_reset_sql(no_style(), sorted(models, key=lambda m: m.__name__))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def clash(batch: Batch | None) -> str | None:
    """Why the database refused a record that passed its checks, when the reason is an id it kept
    from the export that another of its rows, or a row written before, already has: one query per
    table, and only once a record has been refused."""
    if batch is None:
        return None
    first: dict[tuple[type[Model], int], str] = {}
    for model, pk, where in batch.kept:
        if (model, pk) in first:
            label = model._meta.verbose_name
            return f"{where}: {label} id {pk} is already the id of {_field_of(first[(model, pk)])}"
        first[(model, pk)] = where
    wanted: dict[type[Model], list[int]] = defaultdict(list)
    for model, pk in first:
        wanted[model].append(pk)
    holders: dict[tuple[type[Model], int], str] = {}
    for model, ids in wanted.items():
        for chunk in range(0, len(ids), 500):
            for row in model.objects.filter(pk__in=ids[chunk : chunk + 500]).order_by():
                holders[(model, row.pk)] = _holder(row)
    for (model, pk), where in first.items():
        if (model, pk) in holders:
            label = model._meta.verbose_name
            return f"{where}: {label} id {pk} is already taken by {holders[(model, pk)]}"
    return None


def _field_of(where: str) -> str:
    """``field 'quotes[0].id'`` -> ``quotes[0]``: the row an id was first given to."""
    if where.startswith("field '") and where.endswith(".id'"):
        return where[len("field '") : -len(".id'")]
    return where.removesuffix(": field 'id'")


def _holder(row: Model) -> str:
    """The row that has an id already, as a person finds it."""
    if isinstance(row, Article):
        return f"article {row.url}" if row.url else f"the article with content hash {row.content_hash}"
    if isinstance(row, Speaker):
        return f"speaker {row.name!r}"
    if isinstance(row, FactCheck):
        return f"the fact-check of claim {row.claim_id}"
    return f"a {row._meta.verbose_name} of article {row.article_id}"
