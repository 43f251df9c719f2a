"""Batched ingestion: new articles of a batch written with one bulk insert per table, in one transaction;
repeats, revisions and errors go one by one through ``article_ingest``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from ..bulk import fewer_collections, insert, reserve_ids_for, row_from, row_type
from ..clusters import quotes_cluster, quotes_cluster_unwritten
from ..events import event_send
from ..ingest.readers import ArticleInput, IngestError
from ..ingest.types import LOCAL_SPEAKER_KINDS, ProcessedArticle, SpeakerDirectory, SpeakerRef
from ..models import (
    Anchor,
    Article,
    Origin,
    Paragraph,
    Quote,
    Speaker,
)
from .ingest import IngestFailure, IngestResult, article_ingest, process_record
from .speakers import speakers_register
from .store import _article_row, _ingest_hooks, sources_get_or_create

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..ingest.pipeline import Job

# The text pipeline (corpus.ingest.pipeline: rules, quote patterns, speaker matching) is imported where an
# article is processed, so that commands and web processes that never process one do not load it.


DEFAULT_BATCH_SIZE = 200


def batch_ingest(
    *,
    records: Iterable[ArticleInput],
    directory: SpeakerDirectory | None = None,
    default_source: str | None = None,
    default_language: str = "en",
    batch_size: int = DEFAULT_BATCH_SIZE,
    jobs: int = 1,
) -> Iterator[IngestResult | IngestFailure]:
    """Ingest many records, in input order, a batch per transaction.

    New articles of a batch are written with one bulk insert per table, each batch in one transaction, so
    an interrupted run leaves whole articles only. Should the batch fail to commit (a concurrent writer took
    a url, say), its articles are written one by one instead, each in its own transaction, so one bad
    article never takes the others with it. Repeats, revisions and errors take the one-by-one path too.

    ``jobs`` above 1 runs the text pipeline in that many worker processes: while one batch is written, the
    workers already read the next one.

    Every article of a run is read against the same speaker ``directory`` (the registry as it was when the
    run began), so the result does not depend on batch size, job count or file order.
    """

    def ingest(*batch_and_ahead) -> list[IngestResult | IngestFailure]:
        # A batch makes hundreds of thousands of objects that live until it is written (the pipeline's
        # results, the rows built from them), none of them in a cycle: with the collector's default
        # thresholds, scanning them again and again took about a fifth of the writing process's CPU.
        with fewer_collections():
            return _ingest_batch(
                *batch_and_ahead,
                directory=directory,
                default_source=default_source,
                default_language=default_language,
            )

    if jobs <= 1:
        for batch in _batches(records, batch_size):
            yield from ingest(batch)
        return
    from concurrent.futures import ProcessPoolExecutor

    from ..ingest.pipeline import start_worker

    # The workers end with this process, should it be killed (see ``start_worker``).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(directory, os.getpid()))
    try:
        pending = None
        for batch in _batches(records, batch_size):
            ahead = _process_ahead(pool, batch, jobs, default_language)
            if pending is not None:
                yield from ingest(*pending)
            pending = batch, ahead
        if pending is not None:
            yield from ingest(*pending)
    finally:
        # Also when the caller stops early: work not yet started is dropped, not waited for.
        pool.shutdown(wait=True, cancel_futures=True)


def _batches(records: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    batch: list[ArticleInput] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _process_ahead(
    pool, batch: list[ArticleInput], jobs: int, default_language: str
) -> dict[int, tuple[Future, int]]:
    """Start the pipeline in ``pool`` for the records of ``batch`` that look new, before the batch before it
    is written: a guess (whether each is new is decided again when the batch's turn comes), so nothing
    depends on it but speed. The results come as futures, each for a few records."""
    hashes = [record.content_hash for record in batch]
    known = set(Article.objects.filter(content_hash__in=set(hashes)).values_list("content_hash", flat=True))
    wanted, seen = [], set()
    for index, content_hash in enumerate(hashes):
        if content_hash not in known and content_hash not in seen:
            seen.add(content_hash)
            wanted.append(index)
    from ..ingest.pipeline import process_jobs

    ahead: dict[int, tuple[Future, int]] = {}
    size = max(1, -(-len(wanted) // (jobs * 4)))  # about four chunks per worker, so none idles long
    for chunk in range(0, len(wanted), size):
        indexes = wanted[chunk : chunk + size]
        future = pool.submit(process_jobs, [_job(batch[i], default_language) for i in indexes])
        for position, index in enumerate(indexes):
            ahead[index] = (future, position)
    return ahead


def _job(record: ArticleInput, default_language: str) -> Job:
    return record.body, record.title, record.language or default_language, record.captions


def _one_by_one(
    record, directory, default_source, default_language, processed: ProcessedArticle | None = None
) -> IngestResult | IngestFailure:
    try:
        return article_ingest(
            record=record,
            directory=directory,
            default_source=default_source,
            default_language=default_language,
            processed=processed,
        )
    except (IngestError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return IngestFailure(origin=record.origin, message=message)
    except (IntegrityError, DataError) as exc:
        # A value the database will not take (too long for its column, say), or a clash with a concurrent
        # writer: this article is left out, the others go on.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return IngestFailure(
            origin=record.origin, message=f"{record.origin}: the database refused it: {reason}."
        )


def _ingest_batch(
    batch: list[ArticleInput],
    ahead: dict[int, tuple[Future, int]] | None = None,
    *,
    directory,
    default_source,
    default_language,
) -> list[IngestResult | IngestFailure]:
    results: dict[int, IngestResult | IngestFailure] = {}
    hashes = [record.content_hash for record in batch]
    known = {
        a.content_hash: a
        for a in Article.objects.filter(content_hash__in=set(hashes)).only(
            "id", "title", "content_hash", "revision"
        )
    }
    urls = {r.url for r in batch if r.url}
    taken_urls = set(Article.objects.filter(url__in=urls).values_list("url", flat=True)) if urls else set()
    pairs = {(r.source or default_source, r.external_id) for r in batch if r.external_id}
    taken_pairs = (
        set(
            Article.objects.filter(
                source__name__in={p[0] for p in pairs}, external_id__in={p[1] for p in pairs}
            ).values_list("source__name", "external_id")
        )
        if pairs
        else set()
    )
    fresh: list[tuple[int, ArticleInput]] = []
    slow: list[tuple[int, ArticleInput]] = []
    seen_hashes: set[str] = set()
    seen_urls: set[str] = set()
    seen_pairs: set[tuple] = set()
    for index, (record, content_hash) in enumerate(zip(batch, hashes, strict=True)):
        pair = (record.source or default_source, record.external_id) if record.external_id else None
        if content_hash in known:
            results[index] = IngestResult(article=known[content_hash], created=False, origin=record.origin)
        elif (
            content_hash in seen_hashes
            or (record.url and (record.url in taken_urls or record.url in seen_urls))
            or (pair and (pair in taken_pairs or pair in seen_pairs or pair[0] is None))
        ):
            slow.append((index, record))  # a repeat, a revision or an error: the careful path
        else:
            fresh.append((index, record))
            seen_hashes.add(content_hash)
            if record.url:
                seen_urls.add(record.url)
            if pair:
                seen_pairs.add(pair)

    ahead = ahead or {}
    chunks: dict[Future, list[ProcessedArticle]] = {}
    processed_all = []
    for index, record in fresh:
        if index in ahead:
            future, position = ahead[index]
            if future not in chunks:
                chunks[future] = future.result()
            processed_all.append(chunks[future][position])
        else:
            processed_all.append(process_record(record, record.language or default_language, directory))
    ready = []
    for (index, record), processed in zip(fresh, processed_all, strict=True):
        if processed.paragraphs:
            ready.append((index, record, processed))
        else:
            results[index] = IngestFailure(
                origin=record.origin,
                message=f"{record.origin}: no text left after normalization (only blanks or invisible characters).",
            )
    if ready:
        try:
            with transaction.atomic():
                stored = _store_batch(ready, directory, default_source, default_language)
            results.update(stored)
        except (IntegrityError, DataError):
            # Someone else wrote one of these meanwhile, or one holds a value the database refuses: fall back
            # to one transaction per article.
            for index, record, processed in ready:
                results[index] = _one_by_one(record, directory, default_source, default_language, processed)
    for index, record in slow:
        results[index] = _one_by_one(record, directory, default_source, default_language)
    return [results[i] for i in range(len(batch))]


def _store_batch(ready, directory, default_source, default_language) -> dict[int, IngestResult]:
    """Write new articles with everything on them: one insert per table for the whole batch.

    Rows are written as plain tuples (``executemany`` on SQLite, ``COPY`` on PostgreSQL) with ids taken
    from each table's own sequence beforehand, so a quote's paragraph, speakers and ``continues`` are known
    when it is written. The ids are those a bulk insert in the same order would give.
    """
    sources = sources_get_or_create(record.source or default_source for _, record, _ in ready)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    articles = [
        _article_row(
            record,
            processed,
            source=sources.get(record.source or default_source),
            language=record.language or default_language,
        )
        for _, record, processed in ready
    ]
    processed_all = [processed for _, _, processed in ready]

    # Speakers: shared ones found or created by name, anonymous sources and unnamed groups as speakers of
    # their one article. Refs repeat (one object per speaker of an article), so they are looked at once.
    shared_refs: dict[SpeakerRef, None] = {}
    local: dict[tuple[int, str], dict] = {}  # (article's place in the batch, name) -> the speaker's fields
    for place, processed in enumerate(processed_all):
        seen: set[int] = set()
        for quote in processed.quotes:
            for ref in (quote.speaker, quote.via):
                if ref is None or id(ref) in seen:
                    continue
                seen.add(id(ref))
                if ref.kind in LOCAL_SPEAKER_KINDS:
                    name = ref.name.strip()[:300]
                    if (place, name) not in local:
                        local[(place, name)] = {
                            "name": name,
                            "kind": ref.kind,
                            "description": ref.description,
                            "version": 1,
                            "created_at": stamp,
                        }
                else:
                    shared_refs[ref] = None
    shared = {ref: speaker.pk for ref, speaker in speakers_register(refs=list(shared_refs)).items()}

    # Every id the batch's rows take, in one query once the shared speakers are made (so that each table's
    # ids are those inserting its rows in this order would give).
    ids = reserve_ids_for(
        {
            Article: len(articles),
            Paragraph: sum(len(p.paragraphs) for p in processed_all),
            Speaker: len(local),
            Quote: sum(len(p.quotes) for p in processed_all),
        }
    )
    _insert_articles(articles, ids[Article], now)

    paragraph_ids = iter(ids[Paragraph])
    paragraph_rows = []
    make_paragraph = partial(tuple.__new__, ParagraphRow)  # ParagraphRow._make, less its length check
    by_article: list[dict[int, int]] = []
    for article, processed in zip(articles, processed_all, strict=True):
        pk = article.pk
        positions = {}
        for spec in processed.paragraphs:
            paragraph = next(paragraph_ids)
            positions[spec.position] = paragraph
            # Positional, in ParagraphRow's column order (see QuoteRow's below).
            paragraph_rows.append(
                make_paragraph((paragraph, pk, spec.position, spec.role, spec.rule, spec.start, spec.end, 1))
            )
        by_article.append(positions)
    insert(ParagraphRow, paragraph_rows)

    local_ids = {
        (articles[place].pk, name): pk for (place, name), pk in zip(local, ids[Speaker], strict=True)
    }
    insert(
        SpeakerRow,
        [
            SpeakerRow(id=pk, article=articles[place].pk, **fields)
            for ((place, _), fields), pk in zip(local.items(), ids[Speaker], strict=True)
        ],
    )

    quote_ids = ids[Quote]
    quote_rows = []
    offset = 0
    placed, machine = Anchor.PLACED, Origin.MACHINE
    make_quote = partial(tuple.__new__, QuoteRow)
    for article, processed, positions in zip(articles, processed_all, by_article, strict=True):
        text, version, pk = processed.text, processed.pipeline_version, article.pk
        speakers: dict[int, int | None] = {}  # id(ref) -> speaker id, for this article's refs
        for ref in {id(r): r for q in processed.quotes for r in (q.speaker, q.via) if r is not None}.values():
            if ref.kind in LOCAL_SPEAKER_KINDS:
                speakers[id(ref)] = local_ids[(pk, ref.name.strip()[:300])]
            else:
                speakers[id(ref)] = shared.get(ref)
        for i, q in enumerate(processed.quotes):
            # Positional, in QuoteRow's column order (checked where the type is made, below): a named
            # tuple of 23 fields made by keyword cost about 9 times as much, for every quote ingested.
            quote_rows.append(
                make_quote(
                    (
                        quote_ids[offset + i],  # id
                        pk,  # article
                        positions[q.paragraph],  # paragraph
                        q.kind,
                        q.start,
                        q.end,
                        text[q.start : q.end],  # exact
                        placed,  # anchor
                        None,  # anchor_score
                        quote_ids[offset + q.continues] if q.continues is not None else None,  # continues
                        speakers[id(q.speaker)] if q.speaker is not None else None,  # speaker
                        q.speaker_mention[:300],
                        q.cue[:200],
                        speakers[id(q.via)] if q.via is not None else None,  # via
                        q.confidence,
                        q.rule[:80],
                        machine,  # origin
                        False,  # verified
                        None,  # corrected_by
                        version,  # pipeline_version
                        stamp,  # created_at
                        stamp,  # updated_at
                        1,  # version
                        None,  # cluster
                    )
                )
            )
        offset += len(processed.quotes)
    items = list(zip(articles, processed_all, strict=True))
    hooks = _ingest_hooks()
    recount = None
    if quotes_cluster in hooks:
        # The quotes are clustered before their rows are written, from the rows, so that each is written
        # with its cluster rather than updated right after.
        clusters, recount = quotes_cluster_unwritten(items=items, rows=quote_rows)
        if clusters:
            # ``row._replace(cluster=...)``; the cluster is the last column.
            quote_rows = [
                make_quote((*row[:-1], clusters[row.id])) if row.id in clusters else row for row in quote_rows
            ]
    insert(QuoteRow, quote_rows)
    if recount is not None:
        recount()
    for hook in hooks:
        if hook is not quotes_cluster:
            hook(items=items)
    # One event for the batch: a listener makes one delivery of it, not one per article.
    event_send(name="article.ingested", ids=[article.pk for article in articles])
    return {
        index: IngestResult(article=article, created=True, origin=record.origin)
        for article, (index, record, _) in zip(articles, ready, strict=True)
    }


# The rows a batch writes, by field name (columns in this order).
ArticleRow = row_type(
    Article,
    "id",
    "source",
    "url",
    "external_id",
    "raw_text",
    "content_hash",
    "text",
    "title",
    "standfirst",
    "byline",
    "published_at",
    "language",
    "metadata",
    "pipeline_version",
    "revision",
    "ingested_at",
    "updated_at",
    "version",
)
ParagraphRow = row_type(
    Paragraph,
    "id",
    "article",
    "position",
    "role",
    "rule",
    "start",
    "end",
    "version",
)
SpeakerRow = row_type(
    Speaker,
    "id",
    "name",
    "kind",
    "description",
    "version",
    "article",
    "created_at",
)
QuoteRow = row_type(
    Quote,
    "id",
    "article",
    "paragraph",
    "kind",
    "start",
    "end",
    "exact",
    "anchor",
    "anchor_score",
    "continues",
    "speaker",
    "speaker_mention",
    "cue",
    "via",
    "confidence",
    "rule",
    "origin",
    "verified",
    "corrected_by",
    "pipeline_version",
    "created_at",
    "updated_at",
    "version",
    "cluster",
)

# The rows above are made positionally where thousands are made per batch: their column order is fixed here.
assert ParagraphRow._fields == ("id", "article", "position", "role", "rule", "start", "end", "version")
assert QuoteRow._fields == (
    *("id", "article", "paragraph", "kind", "start", "end", "exact", "anchor", "anchor_score", "continues"),
    *("speaker", "speaker_mention", "cue", "via", "confidence", "rule", "origin", "verified", "corrected_by"),
    *("pipeline_version", "created_at", "updated_at", "version", "cluster"),
)


def _insert_articles(articles: list[Article], ids: list[int], now) -> None:
    """Insert new articles with the ids reserved for them, and give each instance its id."""
    for article, pk in zip(articles, ids, strict=True):
        article.pk = pk
        article.ingested_at = article.updated_at = now
    stamp = Article._meta.get_field("ingested_at").get_db_prep_save(now, connection)
    prepared = {"ingested_at": stamp, "updated_at": stamp}
    insert(ArticleRow, [row_from(ArticleRow, article, prepared) for article in articles])
    for article in articles:
        article._state.adding = False
        article._state.db = connection.alias
