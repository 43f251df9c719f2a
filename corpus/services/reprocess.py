"""Running the current pipeline again on stored articles, keeping what editors decided."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import transaction

from ..clusters import clusters_settle, quotes_delete
from ..events import event_send
from ..ingest.readers import ArticleInput, IngestError, record_from_article
from ..ingest.types import ProcessedArticle, SpeakerDirectory
from ..models import (
    Anchor,
    Article,
    Paragraph,
    Quote,
)
from .ingest import IngestFailure
from .speakers import _speakers_for
from .store import _ingest_hooks, _quote_is_kept, _quote_rows, _quotes_without, _referenced_quote_ids

if TYPE_CHECKING:
    from concurrent.futures import Future


# The text pipeline (corpus.ingest.pipeline: rules, quote patterns, speaker matching) is imported where an
# article is processed, so that commands and web processes that never process one do not load it.


@dataclass(frozen=True, slots=True)
class ReprocessResult:
    article: Article
    changed: bool
    quotes_replaced: int
    quotes_kept: int
    message: str
    roles_changed: int = 0
    rules_renamed: int = 0  # paragraphs whose role stayed and only the name of the rule deciding it changed
    quotes_new: int = 0
    quotes_unchanged: int = 0  # machine quotes the run found again as they are: their rows stay


def _reprocess_record(article: Article) -> ArticleInput:
    return record_from_article(
        raw_text=article.raw_text,
        fmt=article.metadata.get("format", "txt"),
        origin=f"article {article.pk}",
        metadata=article.metadata,
    )


@transaction.atomic
def article_reprocess(
    *,
    article: Article,
    directory: SpeakerDirectory | None = None,
    processed: tuple[str, ProcessedArticle] | None = None,
) -> ReprocessResult:
    """Run the current pipeline again on an article's stored raw text.

    Paragraph roles decided by the machine are refreshed; roles set by an editor stay. Machine quotes are
    replaced, except those an editor corrected or verified and those something points at. Annotations
    are never touched. When the normalized text itself would change, nothing is written: moving
    annotations to a new text is the job of revisions, not of re-processing.

    ``processed`` is the pipeline's result worked out beforehand (by ``articles_reprocess``'s workers)
    with the content hash of the raw text it was made from; it is used only if that is still the
    article's.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if processed is not None and processed[0] == article.content_hash:
        processed = processed[1]
    else:
        from ..ingest.pipeline import process

        record = _reprocess_record(article)
        processed = process(
            record.body,
            title=record.title,
            language=article.language,
            directory=directory,
            captions=record.captions,
        )
    if processed.text != article.text:
        raise IngestError(
            f"article {article.pk}: the current pipeline builds a different text from its raw input, so "
            "re-processing would move every offset; nothing was written."
        )
    paragraphs = {p.position: p for p in article.paragraphs.all()}
    changed_paragraphs = []
    roles_changed = 0
    for spec in processed.paragraphs:
        paragraph = paragraphs[spec.position]
        if paragraph.rule != "editor" and (paragraph.role, paragraph.rule) != (spec.role, spec.rule):
            roles_changed += paragraph.role != spec.role
            paragraph.role, paragraph.rule = spec.role, spec.rule
            changed_paragraphs.append(paragraph)
    rules_renamed = len(changed_paragraphs) - roles_changed
    Paragraph.objects.bulk_update(changed_paragraphs, ["role", "rule"])

    existing = list(article.quotes.all())
    referenced = _referenced_quote_ids(article)
    kept = [q for q in existing if _quote_is_kept(q, referenced)]
    kept_spans = {(q.start, q.end, q.kind) for q in kept}
    specs = _quotes_without(processed.quotes, lambda q: (q.start, q.end, q.kind) in kept_spans)
    replaced, new_quotes, unchanged, left_clusters = _machine_quotes_update(
        article=article,
        processed=replace(processed, quotes=specs),
        replaceable=[q for q in existing if not _quote_is_kept(q, referenced)],
        paragraphs=paragraphs,
        directory=directory,
    )
    Article.objects.filter(pk=article.pk).update(
        title=processed.title,
        standfirst=processed.standfirst,
        byline=processed.byline,
        pipeline_version=processed.pipeline_version,
    )
    article.refresh_from_db()
    for hook in _ingest_hooks():
        hook(items=[(article, processed)])
    clusters_settle(ids=left_clusters)
    changed = bool(changed_paragraphs or replaced or new_quotes)
    paragraphs_said = f"{roles_changed} paragraph role(s) changed"
    if rules_renamed:
        paragraphs_said += f", {rules_renamed} paragraph(s) with the same role under a renamed rule"
    return ReprocessResult(
        article=article,
        changed=changed,
        quotes_replaced=len(replaced),
        quotes_kept=len(kept),
        message=(
            f"article {article.pk}: {paragraphs_said}, "
            f"{len(replaced)} machine quote(s) replaced by {len(new_quotes)}, {unchanged} unchanged, "
            f"{len(kept)} kept."
        ),
        roles_changed=roles_changed,
        rules_renamed=rules_renamed,
        quotes_new=len(new_quotes),
        quotes_unchanged=unchanged,
    )


def _same(quote: Quote) -> tuple:
    """What a machine quote stores, but its links to other quotes and its pipeline version (an empty
    anchor, as the batched ingest writes it, is a placed one)."""
    return (
        quote.paragraph_id, quote.kind, quote.start, quote.end, quote.exact, quote.anchor or Anchor.PLACED,
        quote.anchor_score,
        quote.speaker_id, quote.speaker_mention, quote.cue, quote.via_id, quote.confidence, quote.rule,
    )  # fmt: skip


def _machine_quotes_update(
    *,
    article: Article,
    processed: ProcessedArticle,
    replaceable: list[Quote],
    paragraphs: dict[int, Paragraph],
    directory: SpeakerDirectory | None,
) -> tuple[list[Quote], list[Quote], int, set[int]]:
    """Bring the article's replaceable machine quotes to what the pipeline found (``processed.quotes``):
    a row that is what a quote found would store, its continuation included, stays as it is (its
    pipeline version brought up to date, no history written); the other rows are deleted and the quotes
    no row stands for are inserted. Returns the rows deleted, the rows inserted, how many stayed, and
    the clusters the deleted rows were in."""
    specs = processed.quotes
    refs = [r for q in specs for r in (q.speaker, q.via) if r is not None]
    speakers = _speakers_for(article=article, refs=refs, directory=directory)
    rows = _quote_rows(article, processed, paragraphs, speakers)
    candidates: dict[tuple, list[Quote]] = defaultdict(list)
    for quote in replaceable:
        candidates[_same(quote)].append(quote)
    matched: list[Quote | None] = [
        candidates[key].pop(0) if candidates.get(key := _same(row)) else None for row in rows
    ]
    # A row stays only if it continues the row that stays for the quote it continues (or nothing, as
    # the quote found): unmatching one can unmatch a row that continues it, so until nothing moves.
    moved = True
    while moved:
        moved = False
        for i, (spec, quote) in enumerate(zip(specs, matched, strict=True)):
            if quote is None:
                continue
            target = matched[spec.continues] if spec.continues is not None else None
            lost = spec.continues is not None and target is None
            if lost or quote.continues_id != (target.pk if target is not None else None):
                matched[i], moved = None, True
    staying = {quote.pk for quote in matched if quote is not None}
    deleted = [quote for quote in replaceable if quote.pk not in staying]
    left_clusters = quotes_delete(ids=[quote.pk for quote in deleted])
    inserted = Quote.objects.bulk_create(
        [row for row, quote in zip(rows, matched, strict=True) if quote is None]
    )
    final = [quote if quote is not None else row for row, quote in zip(rows, matched, strict=True)]
    continuing = []
    for spec, row, quote in zip(specs, rows, matched, strict=True):
        if quote is None and spec.continues is not None:
            row.continues = final[spec.continues]
            continuing.append(row)
    if continuing:
        Quote.objects.bulk_update(continuing, ["continues"])
    stale = [q.pk for q in matched if q is not None and q.pipeline_version != processed.pipeline_version]
    if stale:
        Quote.objects.filter(pk__in=stale).update(pipeline_version=processed.pipeline_version)
    return deleted, inserted, len(staying), left_clusters


def articles_reprocess(
    *, pks: Sequence[int], directory: SpeakerDirectory | None = None, jobs: int = 1, batch_size: int = 100
) -> Iterator[ReprocessResult | IngestFailure]:
    """``article_reprocess`` for each of ``pks`` in order, one transaction each; a result or a failure
    per article. The articles a batch changed are one ``article.reprocessed`` event, once the batch is
    written (as an ingest batch is one ``article.ingested``).

    ``jobs`` above 1 runs the text pipeline in that many worker processes, a batch ahead of the writes
    (as ``articles_ingest`` does): the workers read the next batch's raw texts while this one is stored.
    """

    changed: list[int] = []

    def one(pk: int, processed=None) -> ReprocessResult | IngestFailure:
        try:
            result = article_reprocess(article=Article(pk=pk), directory=directory, processed=processed)
        except Article.DoesNotExist:
            return IngestFailure(origin=f"article {pk}", message=f"article {pk}: it no longer exists.")
        except IngestError as exc:
            return IngestFailure(origin=f"article {pk}", message=str(exc))
        if result.changed:
            changed.append(pk)
        return result

    def told() -> None:
        event_send(name="article.reprocessed", ids=changed)
        changed.clear()

    batches = [list(pks[i : i + batch_size]) for i in range(0, len(pks), batch_size)]
    if jobs <= 1:
        for batch in batches:
            for pk in batch:
                yield one(pk)
            told()
        return
    from concurrent.futures import ProcessPoolExecutor

    from ..ingest.pipeline import start_worker

    # The workers end with this process, should it be killed (see ``start_worker``).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(directory, os.getpid()))

    def written(batch: list[int], ahead: dict) -> Iterator[ReprocessResult | IngestFailure]:
        for pk in batch:
            future, position, content_hash = ahead.get(pk, (None, 0, ""))
            yield one(pk, (content_hash, future.result()[position]) if future is not None else None)
        told()

    try:
        pending = None
        for batch in batches:
            ahead = _reprocess_ahead(pool, batch, jobs)
            if pending is not None:
                yield from written(*pending)
            pending = batch, ahead
        if pending is not None:
            yield from written(*pending)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _reprocess_ahead(pool, batch: list[int], jobs: int) -> dict[int, tuple[Future, int, str]]:
    """Start the pipeline for the articles of ``batch``: per article, its future, its place in the
    future's result and the content hash it was read with. An article whose raw text cannot be read
    again is left out (it fails, with its message, when its turn comes)."""
    from ..ingest.pipeline import process_jobs

    wanted = []
    for article in Article.objects.filter(pk__in=batch).only(
        "pk", "raw_text", "metadata", "language", "content_hash"
    ):
        try:
            record = _reprocess_record(article)
        except IngestError:
            continue
        wanted.append(
            (article.pk, article.content_hash, (record.body, record.title, article.language, record.captions))
        )
    ahead: dict[int, tuple[Future, int, str]] = {}
    size = max(1, -(-len(wanted) // (jobs * 4)))
    for chunk in range(0, len(wanted), size):
        part = wanted[chunk : chunk + size]
        future = pool.submit(process_jobs, [job for _, _, job in part])
        for position, (pk, content_hash, _) in enumerate(part):
            ahead[pk] = (future, position, content_hash)
    return ahead
