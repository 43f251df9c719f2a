"""The dataset: articles with everything on them, read as plain rows as they stream.

Each table is one query for the whole export, ``values_list()`` of exactly the columns a record needs
(no model instances, no timestamps the export never writes), ordered by article and read as it streams
(a server-side cursor on PostgreSQL); the rows are merged here a chunk of articles at a time. Memory
holds one chunk and one block of rows per table, and the number of queries stays the same, whatever
the size of the corpus. ``keyset_chunks`` pages through querysets the other way, a query per chunk.
"""

from __future__ import annotations

import json
import os
import threading
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connections
from django.db.models import Case, F, Q, QuerySet, TextField, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.sql.constants import MULTI

from corpus.models import Article, Speaker

from .records import Authors, Rfc3339, article_line
from .selection import ExportOptions, Selection

CHUNK_SIZE = 200


def keyset_chunks(
    queryset: QuerySet, *, keys: Sequence[str] = ("id",), chunk_size: int = CHUNK_SIZE
) -> Iterator[list[Any]]:
    """Lists of at most ``chunk_size`` rows (instances or dicts), in ``keys`` order.

    Each chunk starts after the last key of the one before (no OFFSET), so every chunk costs the same
    however deep into the table it is.
    """
    ordered = queryset.order_by(*keys)
    last: tuple | None = None
    while True:
        page = ordered if last is None else ordered.filter(_after(keys, last))
        chunk = list(page[:chunk_size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < chunk_size:
            return
        row = chunk[-1]
        last = tuple(row[k] if isinstance(row, dict) else getattr(row, k) for k in keys)


def _after(keys: Sequence[str], values: tuple) -> Q:
    """Rows whose ``keys`` come after ``values`` in lexicographic order."""
    condition = Q(**{f"{keys[-1]}__gt": values[-1]})
    for index in range(len(keys) - 2, -1, -1):
        condition = Q(**{f"{keys[index]}__gt": values[index]}) | (
            Q(**{keys[index]: values[index]}) & condition
        )
    return condition


# The columns read per table, the id of the article first; records.py unpacks the rows in this order.
# ``published_at`` unconverted, as ``records.rfc3339`` takes it (the text PostgreSQL writes, SQLite's
# stored text).
ARTICLE_COLUMNS = ("id", "url", "source__name", Rfc3339("published_at"), "language", "content_hash")
TEXT_COLUMNS = ("title", "text")
PARAGRAPH_COLUMNS = ("article_id", "id", "position", "role", "rule", "start", "end")
# The speaker and the relaying speaker by id, their names and kind from ``SpeakerNames``: joining the
# speakers to every quote row cost more than the rest of the quotes' query on either database.
QUOTE_COLUMNS = (
    "article_id", "id", "kind", "start", "end",
    # The words a quote had when last placed: written only for an orphan (no offsets to cut them by).
    Case(When(start__isnull=True, then=F("exact")), output_field=TextField()),
    "paragraph_id", "continues_id", "speaker_id", "speaker_mention", "cue", "via_id", "origin", "verified",
    "cluster_id", "cluster_fixed",
)  # fmt: skip
# One row per tag (a LEFT JOIN), the slug last: an annotation's rows come together.
ANNOTATION_COLUMNS = (
    "article_id", "id", "target", "paragraph__position", "quote_id", "start", "end", "exact", "note", "status",
    "origin", "author__username", "project_id", "curated", "tags__slug",
)  # fmt: skip
CLAIM_COLUMNS = (
    "article_id", "id", "text", "claimant__name", "annotation_id", "fact_check__id", "fact_check__verdict",
    "fact_check__rationale", "fact_check__evidence", "fact_check__status", "fact_check__author__username",
    "fact_check__reviewer__username", "fact_check__published_at", "claimant_id",
)  # fmt: skip
# Where the ids of the speakers a quote or claim names are in its row (the speakers file lists them).
NAMED_IN_QUOTES = (QUOTE_COLUMNS.index("speaker_id"), QUOTE_COLUMNS.index("via_id"))
NAMED_IN_CLAIMS = CLAIM_COLUMNS.index("claimant_id")

# Where the dismissed words first are in the article's text (1-based, 0 when they are not there): what
# places them when the export leaves the words out (``--text none``).
DISMISSAL_COLUMNS = (
    "article_id", "id", "text", StrIndex("article__text", "text"), "dismissed_by__username",
    Rfc3339("dismissed_at"),
)  # fmt: skip

# Lists are ordered by (start, end, id), the items without offsets first: NULLS FIRST says so to every
# database (they disagree on where nulls go by default).
SPAN_ORDER = ("article_id", F("start").asc(nulls_first=True), F("end").asc(nulls_first=True), "id")
STREAM_SIZE = 2000
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_QUOTED, _RELAYING, _CLAIMING = (
    itemgetter(NAMED_IN_QUOTES[0]),
    itemgetter(NAMED_IN_QUOTES[1]),
    itemgetter(NAMED_IN_CLAIMS),
)


def row_blocks(queryset: QuerySet, *, size: int | None = None, convert: bool = True) -> Iterator[list[tuple]]:
    """The rows of a ``values_list`` queryset, one query read as it streams (a server-side cursor on
    PostgreSQL), in lists of up to ``size`` (STREAM_SIZE) rows as the cursor delivers them.

    What ``QuerySet.iterator()`` does, minus a generator step per row. Values are converted as Django
    converts them (SQLite's booleans and timestamps, JSON), a step per row that costs more than the
    read itself; with ``convert=False`` they come as the driver gives them, for the caller to handle.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    blocks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=size or STREAM_SIZE)
    if compiler.connection.vendor == "postgresql":
        blocks = _ahead(blocks)
    converters = None
    for block in blocks:
        if converters is None:
            fields = [s[0] for s in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(fields) if convert else {}
        if converters:
            block = list(map(tuple, compiler.apply_converters(block, converters)))
        yield block


class _Fetcher:
    """One helper thread per process that fetches the streams' next blocks (see ``_ahead``)."""

    lock = threading.Lock()
    pool: ThreadPoolExecutor | None = None
    pid = 0

    @classmethod
    def get(cls) -> ThreadPoolExecutor:
        with cls.lock:
            # A process forked from this one has the pool but not its thread: it makes its own.
            if cls.pool is None or cls.pid != os.getpid():
                cls.pool, cls.pid = ThreadPoolExecutor(1, thread_name_prefix="export-fetch"), os.getpid()
            return cls.pool


def _ahead(blocks: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
    """``blocks`` (a PostgreSQL cursor's), each fetched in a helper thread while the caller works on the
    one before.

    psycopg lets go of the GIL while it waits for the server, so the server's work on the next block
    (about a third of a JSONL export's time, in another process) runs beside the building of records
    from this one instead of before it. One fetch at a time per process, as the caller's own would be;
    the cursor is closed in the caller's thread. Not for SQLite: it works in this process, and its
    driver takes the GIL back for every row, so a helper would only trade places with the caller."""
    fetcher = _Fetcher.get()
    pending = fetcher.submit(next, blocks, None)
    try:
        while True:
            block = pending.result()
            if block is None:
                return
            pending = fetcher.submit(next, blocks, None)
            yield block
    finally:
        if not pending.cancel():
            pending.exception()  # waits: the cursor is not closed while a fetch runs; its error is moot
        close = getattr(blocks, "close", None)  # a query that can match nothing comes as a plain iterator
        if close is not None:
            close()


class Stream:
    """Rows ordered by the id of what they belong to (their first column: an article's, a speaker's):
    one query for the whole export, taken a chunk of owners at a time."""

    def __init__(self, queryset: QuerySet, *, convert: bool = True):
        self.queryset = queryset
        self.convert = convert
        self.blocks: Iterator[list[tuple]] | None = None
        self.rest: list[tuple] = []  # read, not taken yet

    def upto(self, last: int) -> dict[int, list[tuple]]:
        """The rows of the owners up to id ``last`` not taken before, by owner id."""
        if self.blocks is None:
            self.blocks = row_blocks(self.queryset, convert=self.convert)
        taken: list[tuple] = []
        rest = self.rest
        while True:
            if rest and rest[-1][0] > last:
                cut = bisect_right(rest, last, key=_FIRST)
                taken += rest[:cut]
                rest = rest[cut:]
                break
            taken += rest
            rest = next(self.blocks, None)
            if rest is None:
                rest = []
                break
        self.rest = rest
        return {owner: list(rows) for owner, rows in groupby(taken, _FIRST)}


def tagged_blocks(blocks: Iterator[list[tuple]], *, size: int) -> Iterator[list[tuple[tuple, list[str]]]]:
    """Annotation rows read with their tags (a LEFT JOIN on ``tags__slug``: the id first, the slug last,
    an annotation's rows together), as (the row without the slug, the slugs sorted), ``size``
    annotations at a time."""
    annotations: list[tuple[tuple, list[str]]] = []
    last = None
    for block in blocks:
        for row in block:
            if row[0] == last:
                slugs = annotations[-1][1]
                slugs.append(row[-1])
                slugs.sort()
                continue
            if len(annotations) == size:
                yield annotations
                annotations = []
            last = row[0]
            annotations.append((row[:-1], [] if row[-1] is None else [row[-1]]))
    if annotations:
        yield annotations


# The speakers the chunks' quotes name that are not local to the chunk's articles (shared speakers,
# mostly) are kept for later chunks, up to this many.
SPEAKERS_KEPT = 20_000
LOCAL_SPEAKER_COLUMNS = ("article_id", "id", "name", "kind")


class SpeakerNames:
    """The name and kind of each speaker a chunk of articles' quotes name, by id.

    A speaker local to an article (an anonymous source, an unnamed group) comes from one stream read
    in article order with the other tables; any other (a shared speaker, or in an edited corpus a local
    one quoted in another article) from one query for those of a chunk not known yet, kept for later
    chunks up to ``SPEAKERS_KEPT``, so memory stays bounded whatever the corpus. Shared speakers recur
    from article to article: after the first chunks most are known."""

    def __init__(self, selection: Selection):
        self.local = Stream(selection.local_speakers.values_list(*LOCAL_SPEAKER_COLUMNS), convert=False)
        self.kept: dict[int, tuple[str, str]] = {}

    def upto(self, last: int, ids: set) -> dict[int, tuple[str, str]]:
        """The names of ``ids`` (None among them is passed over), the chunk's articles being those up to
        id ``last`` not taken before."""
        names = {row[1]: row[2:] for rows in self.local.upto(last).values() for row in rows}
        kept = self.kept
        missing = []
        for pk in ids:
            if pk is None or pk in names:
                continue
            found = kept.get(pk)
            if found is None:
                missing.append(pk)
            else:
                names[pk] = found
        if missing:
            if len(kept) + len(missing) > SPEAKERS_KEPT:
                kept.clear()  # what this chunk needs is in ``names`` already
            for pk, name, kind in _speakers_by_id(missing):
                names[pk] = kept[pk] = (name, kind)
        return names


def _speakers_by_id(ids: list[int]) -> list[tuple]:
    """(id, name, kind) of the speakers with these ids: one query with the ids as one parameter (an
    array on PostgreSQL, a JSON list on SQLite), however many there are."""
    queryset = Speaker.objects.order_by()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        queryset = queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    elif vendor == "sqlite":
        queryset = queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    else:
        queryset = queryset.filter(pk__in=ids)
    return list(queryset.values_list("id", "name", "kind"))


def _streams(selection: Selection) -> tuple[Stream, Stream, Stream, Stream, Stream]:
    """Paragraphs, quotes, annotations (with their tags), claims and check-worthy dismissals of the
    exported articles."""
    annotations = selection.of_articles(selection.annotations)
    return (
        Stream(selection.paragraphs.values_list(*PARAGRAPH_COLUMNS)),
        # Only ``verified`` and ``cluster_fixed`` would be converted (SQLite's 0/1): records.py does it.
        Stream(selection.quotes.order_by(*SPAN_ORDER).values_list(*QUOTE_COLUMNS), convert=False),
        Stream(annotations.order_by(*SPAN_ORDER).values_list(*ANNOTATION_COLUMNS)),
        Stream(selection.claims.order_by("article_id", "id").values_list(*CLAIM_COLUMNS)),
        # Timestamps as text (``Rfc3339``): nothing to convert.
        Stream(selection.checkworthy_dismissals.values_list(*DISMISSAL_COLUMNS), convert=False),
    )


def iter_article_lines(
    selection: Selection,
    *,
    chunk_size: int = CHUNK_SIZE,
    counts: dict[str, int] | None = None,
    speakers: set[int] | None = None,
) -> Iterator[list[bytes]]:
    """Article records (docs/contract.md) as UTF-8 JSON lines (without the newline) in id order, ``chunk_size`` at a
    time; ``counts`` (articles, paragraphs, quotes, annotations, claims, fact_checks), if given, goes up
    by what they hold; ``speakers``, if given, gets the ids of the speakers their quotes and claims name
    (quoted, relaying, claiming: ``Selection.speakers``), and None when one names none.

    Seven queries, whatever the number of articles: the articles, then their paragraphs, quotes,
    annotations (with their tags), claims (with their fact-checks), check-worthy dismissals and local
    speakers, each read once in article order as it streams and merged here a chunk of articles at a
    time; and one more for a chunk whose quotes name speakers not read yet (``SpeakerNames``).
    """
    options = selection.options
    columns = ARTICLE_COLUMNS + (TEXT_COLUMNS if options.with_text else ())
    articles = row_blocks(selection.articles.values_list(*columns), size=chunk_size)
    paragraphs, quotes, annotations, claims, dismissals = _streams(selection)
    if counts is None:
        counts = {}
    for name in (
        "articles", "paragraphs", "quotes", "annotations", "claims", "fact_checks", "checkworthy_dismissals",
    ):  # fmt: skip
        counts.setdefault(name, 0)
    authors = Authors(options)
    names = SpeakerNames(selection)
    empty: list = []
    for chunk in articles:
        last = chunk[-1][0]
        by_paragraphs, by_quotes, by_annotations, by_claims, by_dismissals = (
            paragraphs.upto(last),
            quotes.upto(last),
            annotations.upto(last),
            claims.upto(last),
            dismissals.upto(last),
        )
        quoted = set()
        for rows in by_quotes.values():
            quoted.update(map(_QUOTED, rows))
            quoted.update(map(_RELAYING, rows))
        by_speaker = names.upto(last, quoted)
        lines = []
        for article in chunk:
            pk = article[0]
            on_paragraphs = by_paragraphs.get(pk, empty)
            on_quotes = by_quotes.get(pk, empty)
            on_annotations = by_annotations.get(pk, empty)
            on_claims = by_claims.get(pk, empty)
            on_dismissals = by_dismissals.get(pk, empty)
            lines.append(
                article_line(
                    article,
                    paragraphs=on_paragraphs,
                    quotes=on_quotes,
                    annotations=on_annotations,
                    claims=on_claims,
                    dismissals=on_dismissals,
                    speakers=by_speaker,
                    options=options,
                    authors=authors,
                )
            )
            counts["checkworthy_dismissals"] += len(on_dismissals)
            counts["paragraphs"] += len(on_paragraphs)
            counts["quotes"] += len(on_quotes)
            counts["annotations"] += len(set(map(_SECOND, on_annotations)))
            counts["claims"] += len(on_claims)
            counts["fact_checks"] += sum(1 for claim in on_claims if claim[5] is not None)
        counts["articles"] += len(lines)
        if speakers is not None:
            speakers.update(quoted)
            for rows in by_claims.values():
                speakers.update(map(_CLAIMING, rows))
        yield lines


def iter_article_records(
    queryset: QuerySet[Article] | None = None,
    *,
    include_drafts: bool = False,
    include_orphans: bool = False,
    chunk_size: int = CHUNK_SIZE,
    selection: Selection | None = None,
) -> Iterator[dict]:
    """Yield one article record (docs/contract.md) per article, in id order: the JSONL's lines, parsed."""
    if selection is None:
        selection = Selection(ExportOptions(include_drafts=include_drafts, include_orphans=include_orphans))
    if queryset is not None:
        selection.restrict_articles(queryset)
    for lines in iter_article_lines(selection, chunk_size=chunk_size):
        yield from map(json.loads, lines)
