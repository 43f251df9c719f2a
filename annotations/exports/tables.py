"""The flat tables of the csv and parquet exports: columns with types, rows read as they stream.

Each table is one query (paragraphs and quotes read their articles' texts alongside, a second), read
in blocks of ``chunk_size`` rows (one parquet row group each), so the tables can be written one after
the other into a zip as it streams. Rows are tuples in the order of
the table's columns, from ``values_list()`` of exactly those columns. Tables join by ids; paragraphs
are named by ``(article_id, position)`` as in the JSONL. Column types are abstract here (``int``,
``str``, ``bool``, ``timestamp``, ``list``): csv writes them as text, parquet maps them to an explicit
pyarrow schema.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from django.db.models import QuerySet, TextField, Value
from django.db.models.functions import StrIndex

from corpus.models import Article

from ..models import Annotation
from .dataset import row_blocks, tagged_blocks
from .records import dismissal_span, evidence_items, layer_of
from .selection import Selection

Rows = list[tuple]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, type)
    chunks: Callable[[Selection, int], Iterator[Rows]]

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]


def _ts(value: datetime | None) -> datetime | None:
    # Seconds, like the JSONL: the same instant in every format.
    return value.replace(microsecond=0) if value is not None else None


_NULL = Value(None, output_field=TextField())
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_TEXTS_SIZE = 100


class _Texts:
    """Article texts for blocks of rows, to cut paragraphs and quotes from in Python (code points, as
    the JSONL does) rather than have the database cut every one from its article's text (on PostgreSQL
    that unpacks the stored text again for each row).

    The texts stream in id order alongside the rows, which come in (or close to) article order; a text
    the stream has passed and a block still needs is fetched on its own. Memory holds the texts of one
    block's articles."""

    def __init__(self, selection: Selection):
        self.stream = row_blocks(selection.articles.values_list("id", "text"), size=_TEXTS_SIZE)
        self.block: list[tuple] = []  # read from the stream, not yet passed
        self.texts: dict[int, str] = {}

    def of(self, article_ids: set[int]) -> dict[int, str]:
        texts = {pk: self.texts[pk] for pk in article_ids if pk in self.texts}
        last = max(article_ids)
        block = self.block
        while True:
            for pk, text in block:
                if pk in article_ids:
                    texts[pk] = text
            if block and block[-1][0] >= last:
                break
            block = next(self.stream, None)
            if block is None:
                block = []
                break
        self.block = [row for row in block if row[0] > last]
        missing = article_ids - texts.keys()
        if missing:
            texts.update(Article.objects.filter(pk__in=missing).values_list("id", "text"))
        self.texts = texts
        return texts


def _articles(selection: Selection, size: int) -> Iterator[Rows]:
    with_text = selection.options.with_text
    columns = (
        "id", "url", "source__name", "external_id", "published_at", "language",
        "title" if with_text else _NULL, "content_hash", "text" if with_text else _NULL,
    )  # fmt: skip
    for block in row_blocks(selection.articles.values_list(*columns), size=size):
        yield [(a, b, c, d, _ts(published_at), *rest) for a, b, c, d, published_at, *rest in block]


def _paragraphs(selection: Selection, size: int) -> Iterator[Rows]:
    columns = ("article_id", "position", "role", "rule", "start", "end")
    with_text = selection.options.with_text
    texts = _Texts(selection) if with_text else None
    for block in row_blocks(selection.paragraphs.values_list(*columns), size=size):
        if texts is None:
            yield [(*row, None) for row in block]
            continue
        text = texts.of(set(map(_FIRST, block)))
        yield [
            (article_id, position, role, rule, start, end, text[article_id][start:end])
            for article_id, position, role, rule, start, end in block
        ]


def _quotes(selection: Selection, size: int) -> Iterator[Rows]:
    with_text = selection.options.with_text
    columns = (
        "id", "article_id", "kind", "paragraph__position", "start", "end", "exact", "continues_id",
        "speaker_id", "speaker__name", "speaker__kind", "speaker_mention", "cue", "via_id", "via__name",
        "origin", "verified", "cluster_id", "cluster_fixed",
    )  # fmt: skip
    texts = _Texts(selection) if with_text else None
    # Only ``verified`` and ``cluster_fixed`` would be converted (SQLite's 0/1): done here.
    for block in row_blocks(selection.quotes.values_list(*columns), size=size, convert=False):
        text = texts.of(set(map(_SECOND, block))) if texts is not None else {}
        rows = []
        for (
            pk, article_id, kind, paragraph, start, end, exact, continues_id, speaker_id, speaker,
            speaker_kind, speaker_mention, cue, via_id, via, origin, verified, cluster_id, cluster_fixed,
        ) in block:  # fmt: skip
            words = None
            if with_text:
                words = exact if start is None else text[article_id][start:end]
            rows.append(
                (
                    pk, article_id, kind, paragraph, start, end, words, continues_id, speaker_id, speaker,
                    speaker_kind, speaker_mention, cue, via_id, via, origin, bool(verified), cluster_id,
                    bool(cluster_fixed),
                )
            )  # fmt: skip
        yield rows


def _annotations(selection: Selection, size: int) -> Iterator[Rows]:
    """One query: an annotation's tags come with it."""
    options = selection.options
    columns = (
        "id", "article_id", "target", "paragraph__position", "quote_id", "start", "end",
        "exact" if options.with_text else _NULL, "note", "status", "origin", "author__username", "project_id",
        "curated", "tags__slug",
    )  # fmt: skip
    authors: dict[str | None, str | None] = {}
    blocks = row_blocks(selection.annotations.values_list(*columns), size=size)
    for tagged in tagged_blocks(blocks, size=size):
        rows = []
        for row, slugs in tagged:
            username = row[11]
            if username not in authors:
                authors[username] = options.author(username)
            rows.append((*row[:8], slugs, *row[8:11], authors[username], row[12], layer_of(row[12], row[13])))
        yield rows


def _annotation_tags(selection: Selection, size: int) -> Iterator[Rows]:
    rows = Annotation.tags.through.objects.filter(
        annotation__in=selection.annotations.order_by().values("pk")
    ).order_by("annotation_id", "tag_id")
    yield from row_blocks(rows.values_list("annotation_id", "tag_id", "tag__slug"), size=size)


def _claims(selection: Selection, size: int) -> Iterator[Rows]:
    columns = ("id", "article_id", "text", "claimant_id", "claimant__name", "annotation_id")
    yield from row_blocks(selection.claims.values_list(*columns), size=size)


_FACT_CHECK_COLUMNS = (
    "id", "claim_id", "verdict", "rationale", "status", "author__username", "reviewer__username", "published_at",
)  # fmt: skip


def _fact_checks(selection: Selection, size: int) -> Iterator[Rows]:
    author = selection.options.author
    for block in row_blocks(selection.fact_checks.values_list(*_FACT_CHECK_COLUMNS), size=size):
        yield [
            (pk, claim, verdict, rationale, status, author(checker), author(reviewer), _ts(published_at))
            for pk, claim, verdict, rationale, status, checker, reviewer, published_at in block
        ]


def _evidence(selection: Selection, size: int) -> Iterator[Rows]:
    """Blocks of ``size`` fact-checks' evidence (so a block may hold no row at all)."""
    for block in row_blocks(selection.fact_checks.values_list("id", "evidence"), size=size):
        yield [
            (fact_check_id, position, *item.values())
            for fact_check_id, evidence in block
            for position, item in enumerate(evidence_items(evidence))
        ]


def _speakers(selection: Selection, size: int) -> Iterator[Rows]:
    columns = ("id", "name", "kind", "description", "article_id")
    yield from row_blocks(selection.speakers.values_list(*columns), size=size)


def _speaker_aliases(selection: Selection, size: int) -> Iterator[Rows]:
    rows: QuerySet = selection.speaker_aliases.order_by("speaker_id", "phrase")
    yield from row_blocks(rows.values_list("speaker_id", "phrase"), size=size)


def _tags(selection: Selection, size: int) -> Iterator[Rows]:
    columns = ("id", "slug", "name", "description", "colour", "parent_id", "parent__slug")
    yield from row_blocks(selection.tags.values_list(*columns), size=size)


def _checkworthy_dismissals(selection: Selection, size: int) -> Iterator[Rows]:
    options = selection.options
    columns = (
        "article_id",
        "text",
        StrIndex("article__text", "text"),
        "dismissed_by__username",
        "dismissed_at",
    )
    for block in row_blocks(selection.checkworthy_dismissals.values_list(*columns), size=size):
        yield [
            (
                article_id,
                *dismissal_span(text, position).values(),
                text if options.with_text else None,
                options.author(username),
                _ts(dismissed_at),
            )
            for article_id, text, position, username, dismissed_at in block
        ]


def _evidence_rows(selection: Selection) -> int:
    # Evidence items live in a JSON list on each fact-check: counted as the table reads them.
    evidence = selection.fact_checks.order_by().values_list("evidence", flat=True)
    return sum(len(evidence_items(items)) for items in evidence.iterator())


# The rows each table will hold, counted up front (a progress bar's total): one query a table.
SIZES: dict[str, Callable[[Selection], int]] = {
    "articles": lambda selection: selection.articles.count(),
    "paragraphs": lambda selection: selection.paragraphs.count(),
    "quotes": lambda selection: selection.quotes.count(),
    "annotations": lambda selection: selection.annotations.count(),
    "annotation_tags": lambda selection: Annotation.tags.through.objects.filter(
        annotation__in=selection.annotations.order_by().values("pk")
    ).count(),
    "claims": lambda selection: selection.claims.count(),
    "fact_checks": lambda selection: selection.fact_checks.count(),
    "evidence": _evidence_rows,
    "speakers": lambda selection: selection.speakers.count(),
    "speaker_aliases": lambda selection: selection.speaker_aliases.count(),
    "tags": lambda selection: selection.tags.count(),
    "checkworthy_dismissals": lambda selection: selection.checkworthy_dismissals.count(),
}


def sizes(selection: Selection) -> dict[str, int]:
    return {table.name: SIZES[table.name](selection) for table in TABLES}


INT, STR, BOOL, TS, LIST = "int", "str", "bool", "timestamp", "list"

TABLES: tuple[Table, ...] = (
    Table(
        "articles",
        (
            ("id", INT), ("url", STR), ("source", STR), ("external_id", STR), ("published_at", TS),
            ("language", STR), ("title", STR), ("content_hash", STR), ("text", STR),
        ),
        _articles,
    ),
    Table(
        "paragraphs",
        (("article_id", INT), ("position", INT), ("role", STR), ("rule", STR), ("start", INT), ("end", INT), ("text", STR)),
        _paragraphs,
    ),
    Table(
        "quotes",
        (
            ("id", INT), ("article_id", INT), ("kind", STR), ("paragraph", INT), ("start", INT), ("end", INT),
            ("text", STR), ("continues_id", INT), ("speaker_id", INT), ("speaker", STR), ("speaker_kind", STR),
            ("speaker_mention", STR), ("cue", STR), ("via_id", INT), ("via", STR), ("origin", STR),
            ("verified", BOOL), ("cluster_id", INT), ("cluster_fixed", BOOL),
        ),
        _quotes,
    ),
    Table(
        "annotations",
        (
            ("id", INT), ("article_id", INT), ("target", STR), ("paragraph", INT), ("quote_id", INT),
            ("start", INT), ("end", INT), ("exact", STR), ("tags", LIST), ("note", STR), ("status", STR),
            ("origin", STR), ("author", STR), ("project_id", INT), ("layer", STR),
        ),
        _annotations,
    ),
    Table("annotation_tags", (("annotation_id", INT), ("tag_id", INT), ("tag", STR)), _annotation_tags),
    Table(
        "claims",
        (("id", INT), ("article_id", INT), ("text", STR), ("claimant_id", INT), ("claimant", STR), ("annotation_id", INT)),
        _claims,
    ),
    Table(
        "fact_checks",
        (
            ("id", INT), ("claim_id", INT), ("verdict", STR), ("rationale", STR), ("status", STR), ("author", STR),
            ("reviewer", STR), ("published_at", TS),
        ),
        _fact_checks,
    ),
    Table(
        "evidence",
        (("fact_check_id", INT), ("position", INT), ("url", STR), ("title", STR), ("publisher", STR), ("accessed", STR)),
        _evidence,
    ),
    Table("speakers", (("id", INT), ("name", STR), ("kind", STR), ("description", STR), ("article_id", INT)), _speakers),
    Table("speaker_aliases", (("speaker_id", INT), ("phrase", STR)), _speaker_aliases),
    Table(
        "tags",
        (("id", INT), ("slug", STR), ("name", STR), ("description", STR), ("colour", STR), ("parent_id", INT), ("parent", STR)),
        _tags,
    ),
    Table(
        "checkworthy_dismissals",
        (("article_id", INT), ("start", INT), ("end", INT), ("text", STR), ("dismissed_by", STR), ("dismissed_at", TS)),
        _checkworthy_dismissals,
    ),
)  # fmt: skip


def table_path(table: Table, extension: str) -> str:
    """Where a table's file is in an export: a folder of its own, which every reader can be pointed at."""
    return f"{table.name}/{table.name}{extension}"


def table_entries(write_table: Callable, extension: str) -> Callable[..., list[tuple[str, object]]]:
    """A tabular format's entries: one file per table in a folder of its own (``table_path``), each
    written by the format's ``write_table`` and counted in the manifest."""

    def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
        return [
            (
                table_path(table, extension),
                lambda stream, table=table: _counted(
                    table, write_table(table, selection, stream, chunk_size=chunk_size)
                ),
            )
            for table in TABLES
        ]

    return entries


def _counted(table: Table, steps: Generator[int, None, int]) -> Generator[int, None, dict[str, int]]:
    count = yield from steps
    return {table.name: count}
