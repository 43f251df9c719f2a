"""The flat tables of the csv and parquet exports: columns with types, rows read in keyset chunks.

Each table is its own query, chunk by chunk, so the tables can be written one after the other into a
zip as it streams. Tables join by ids; paragraphs are named by ``(article_id, position)`` as in the
JSONL. Column types are abstract here (``int``, ``str``, ``bool``, ``timestamp``, ``list``): csv
writes them as text, parquet maps them to an explicit pyarrow schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet
from django.db.models.functions import Substr

from ..models import Annotation
from .dataset import keyset_chunks
from .records import evidence_items
from .selection import Selection

Rows = list[dict]


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


def _span_text(prefix: str = "") -> Substr:
    """The span's words cut from the article's text in the database: code points on SQLite and
    PostgreSQL alike, and only the words travel."""
    return Substr(f"{prefix}article__text", F("start") + 1, F("end") - F("start"))


def _pick(rows, renames: dict[str, str]) -> None:
    for row in rows:
        for old, new in renames.items():
            row[new] = row.pop(old)


def _articles(selection: Selection, size: int) -> Iterator[Rows]:
    with_text = selection.options.with_text
    fields = ["id", "url", "source__name", "external_id", "published_at", "language", "content_hash"]
    if with_text:
        fields += ["title", "text"]
    for chunk in keyset_chunks(selection.articles.values(*fields), chunk_size=size):
        yield [
            {
                "id": r["id"],
                "url": r["url"],
                "source": r["source__name"],
                "external_id": r["external_id"],
                "published_at": _ts(r["published_at"]),
                "language": r["language"],
                "title": r.get("title"),
                "content_hash": r["content_hash"],
                "text": r.get("text"),
            }
            for r in chunk
        ]


def _paragraphs(selection: Selection, size: int) -> Iterator[Rows]:
    queryset: QuerySet = selection.paragraphs
    fields = ["article_id", "position", "role", "rule", "start", "end"]
    if selection.options.with_text:
        queryset = queryset.annotate(words=_span_text())
        fields.append("words")
    for chunk in keyset_chunks(queryset.values(*fields), keys=("article_id", "position"), chunk_size=size):
        yield [{**{k: r[k] for k in fields[:6]}, "text": r.get("words")} for r in chunk]


def _quotes(selection: Selection, size: int) -> Iterator[Rows]:
    queryset: QuerySet = selection.quotes
    with_text = selection.options.with_text
    if with_text:
        queryset = queryset.annotate(words=_span_text())
    fields = [
        "id", "article_id", "kind", "paragraph__position", "start", "end", "exact", "continues_id",
        "speaker_id", "speaker__name", "speaker__kind", "speaker_mention", "cue", "via_id", "via__name",
        "origin", "verified",
    ]  # fmt: skip
    if with_text:
        fields.append("words")
    for chunk in keyset_chunks(queryset.values(*fields), chunk_size=size):
        rows = []
        for r in chunk:
            text = None
            if with_text:
                text = r["words"] if r["start"] is not None else r["exact"]
            rows.append(
                {
                    "id": r["id"],
                    "article_id": r["article_id"],
                    "kind": r["kind"],
                    "paragraph": r["paragraph__position"],
                    "start": r["start"],
                    "end": r["end"],
                    "text": text,
                    "continues_id": r["continues_id"],
                    "speaker_id": r["speaker_id"],
                    "speaker": r["speaker__name"],
                    "speaker_kind": r["speaker__kind"],
                    "speaker_mention": r["speaker_mention"],
                    "cue": r["cue"],
                    "via_id": r["via_id"],
                    "via": r["via__name"],
                    "origin": r["origin"],
                    "verified": r["verified"],
                }
            )
        yield rows


def _annotations(selection: Selection, size: int) -> Iterator[Rows]:
    options = selection.options
    fields = [
        "id", "article_id", "target", "paragraph__position", "quote_id", "start", "end", "exact", "note",
        "status", "origin", "author__username",
    ]  # fmt: skip
    through = Annotation.tags.through.objects
    for chunk in keyset_chunks(selection.annotations.values(*fields), chunk_size=size):
        tags: dict[int, list[str]] = {}
        pairs = through.filter(annotation_id__in=[r["id"] for r in chunk]).values_list(
            "annotation_id", "tag__slug"
        )
        for annotation_id, slug in pairs:
            tags.setdefault(annotation_id, []).append(slug)
        yield [
            {
                "id": r["id"],
                "article_id": r["article_id"],
                "target": r["target"],
                "paragraph": r["paragraph__position"],
                "quote_id": r["quote_id"],
                "start": r["start"],
                "end": r["end"],
                "exact": r["exact"] if options.with_text else None,
                "tags": sorted(tags.get(r["id"], [])),
                "note": r["note"],
                "status": r["status"],
                "origin": r["origin"],
                "author": options.author(r["author__username"]),
            }
            for r in chunk
        ]


def _annotation_tags(selection: Selection, size: int) -> Iterator[Rows]:
    rows = Annotation.tags.through.objects.filter(
        annotation__in=selection.annotations.order_by().values("pk")
    ).values("annotation_id", "tag_id", "tag__slug")
    for chunk in keyset_chunks(rows, keys=("annotation_id", "tag_id"), chunk_size=size):
        _pick(chunk, {"tag__slug": "tag"})
        yield chunk


def _claims(selection: Selection, size: int) -> Iterator[Rows]:
    fields = ["id", "article_id", "text", "claimant_id", "claimant__name", "annotation_id"]
    for chunk in keyset_chunks(selection.claims.values(*fields), chunk_size=size):
        _pick(chunk, {"claimant__name": "claimant"})
        yield chunk


_FACT_CHECK_FIELDS = [
    "id", "claim_id", "verdict", "rationale", "status", "author__username", "reviewer__username", "published_at",
]  # fmt: skip


def _fact_checks(selection: Selection, size: int) -> Iterator[Rows]:
    author = selection.options.author
    for chunk in keyset_chunks(selection.fact_checks.values(*_FACT_CHECK_FIELDS), chunk_size=size):
        yield [
            {
                "id": r["id"],
                "claim_id": r["claim_id"],
                "verdict": r["verdict"],
                "rationale": r["rationale"],
                "status": r["status"],
                "author": author(r["author__username"]),
                "reviewer": author(r["reviewer__username"]),
                "published_at": _ts(r["published_at"]),
            }
            for r in chunk
        ]


def _evidence(selection: Selection, size: int) -> Iterator[Rows]:
    for chunk in keyset_chunks(selection.fact_checks.only("id", "evidence"), chunk_size=size):
        yield [
            {"fact_check_id": fact_check.pk, "position": position, **item}
            for fact_check in chunk
            for position, item in enumerate(evidence_items(fact_check))
        ]


def _speakers(selection: Selection, size: int) -> Iterator[Rows]:
    fields = ["id", "name", "kind", "description", "article_id"]
    yield from keyset_chunks(selection.speakers.values(*fields), chunk_size=size)


def _speaker_aliases(selection: Selection, size: int) -> Iterator[Rows]:
    rows = selection.speaker_aliases.values("speaker_id", "phrase")
    yield from keyset_chunks(rows, keys=("speaker_id", "phrase"), chunk_size=size)


def _tags(selection: Selection, size: int) -> Iterator[Rows]:
    fields = ["id", "slug", "name", "description", "colour", "parent_id", "parent__slug"]
    for chunk in keyset_chunks(selection.tags.values(*fields), chunk_size=size):
        _pick(chunk, {"parent__slug": "parent"})
        yield chunk


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
            ("verified", BOOL),
        ),
        _quotes,
    ),
    Table(
        "annotations",
        (
            ("id", INT), ("article_id", INT), ("target", STR), ("paragraph", INT), ("quote_id", INT),
            ("start", INT), ("end", INT), ("exact", STR), ("tags", LIST), ("note", STR), ("status", STR),
            ("origin", STR), ("author", STR),
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
)  # fmt: skip
