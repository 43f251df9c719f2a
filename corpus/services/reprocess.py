"""Running the current pipeline again on stored articles, keeping what editors decided."""

from __future__ import annotations

import os
from collections import defaultdict, namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..clusters import _chunks, cluster_members, clusters_leave, clusters_settle, quotes_cluster
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
from .speakers import _speakers_for_articles
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


def _process_stored(article: Article, directory: SpeakerDirectory | None) -> ProcessedArticle:
    from ..ingest.pipeline import process

    record = _reprocess_record(article)
    return process(
        record.body,
        title=record.title,
        language=article.language,
        directory=directory,
        captions=record.captions,
    )


# What the pipeline made of an article, worked out before its batch is written: the content hash of the
# raw text it was made from, and the result or the error that text gave.
Prepared = tuple[str, "ProcessedArticle | IngestError"]


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

    ``processed`` is the pipeline's result worked out beforehand with the content hash of the raw text
    it was made from; it is used only if that is still the article's.
    """
    (result,) = _reprocess_batch([article.pk], {article.pk: processed} if processed else {}, directory)
    if isinstance(result, IngestFailure):
        if result.message.endswith("it no longer exists."):
            raise Article.DoesNotExist(result.message)
        raise IngestError(result.message)
    return result


@dataclass(slots=True)
class _Plan:
    """One article's share of a batch's writes."""

    article: Article
    processed: ProcessedArticle
    matched: list[Stored | None]  # per quote found, the stored row that stays for it
    specs: list
    deleted: list[Stored]
    kept: int
    roles_changed: int
    paragraphs_changed: int


@transaction.atomic
def _reprocess_batch(
    pks: Sequence[int], prepared: dict[int, Prepared], directory: SpeakerDirectory | None
) -> list[ReprocessResult | IngestFailure]:
    """Re-process the articles ``pks`` in one transaction, with a fixed number of queries per table
    whatever their number: a result or a failure per article, in order.

    ``prepared`` holds what the pipeline made of some of them beforehand; an article missing from it,
    or whose raw text changed since, is processed here.
    """
    articles = {a.pk: a for a in Article.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    outcome: dict[int, ReprocessResult | IngestFailure] = {}
    work: list[tuple[Article, ProcessedArticle]] = []
    for pk in pks:
        article = articles.get(pk)
        if article is None:
            outcome[pk] = IngestFailure(origin=f"article {pk}", message=f"article {pk}: it no longer exists.")
            continue
        content_hash, processed = prepared.get(pk, ("", None))
        try:
            if content_hash != article.content_hash or processed is None:
                processed = _process_stored(article, directory)
            elif isinstance(processed, IngestError):
                raise processed
            if processed.text != article.text:
                raise IngestError(
                    f"article {pk}: the current pipeline builds a different text from its raw input, so "
                    "re-processing would move every offset; nothing was written."
                )
        except IngestError as exc:
            outcome[pk] = IngestFailure(origin=f"article {pk}", message=str(exc))
            continue
        work.append((article, processed))
    if not work:
        return [outcome[pk] for pk in pks]

    ids = [article.pk for article, _ in work]
    paragraphs: dict[int, dict[int, StoredParagraph]] = defaultdict(dict)
    for paragraph in map(
        StoredParagraph._make,
        Paragraph.objects.filter(article_id__in=ids).values_list(*StoredParagraph._fields),
    ):
        paragraphs[paragraph.article_id][paragraph.position] = paragraph
    existing: dict[int, list[Stored]] = defaultdict(list)
    # In the model's order (article, start, end, id), as plain tuples: building thousands of model
    # instances would cost more than the rest of the batch.
    for quote in map(Stored._make, Quote.objects.filter(article_id__in=ids).values_list(*Stored._fields)):
        existing[quote.article_id].append(quote)
    referenced = _referenced_quote_ids(ids)

    # One UPDATE per (role, rule) pair: a batch has a few dozen, where a bulk_update spells out a CASE
    # for every paragraph.
    decided: dict[tuple[str, str], list[int]] = defaultdict(list)
    plans: list[_Plan] = []
    for article, processed in work:
        own = paragraphs[article.pk]
        changed = roles_changed = 0
        for spec in processed.paragraphs:
            paragraph = own[spec.position]
            if paragraph.rule != "editor" and (paragraph.role, paragraph.rule) != (spec.role, spec.rule):
                roles_changed += paragraph.role != spec.role
                decided[(spec.role, spec.rule)].append(paragraph.pk)
                changed += 1
        quotes = existing[article.pk]
        kept = [q for q in quotes if _quote_is_kept(q, referenced)]
        kept_spans = {(q.start, q.end, q.kind) for q in kept}
        specs = _quotes_without(
            processed.quotes, lambda q, spans=kept_spans: (q.start, q.end, q.kind) in spans
        )
        plans.append(
            _Plan(
                article=article,
                processed=replace(processed, quotes=specs),
                matched=[],
                specs=specs,
                deleted=[q for q in quotes if not _quote_is_kept(q, referenced)],
                kept=len(kept),
                roles_changed=roles_changed,
                paragraphs_changed=changed,
            )
        )
    for (role, rule), paragraph_ids in decided.items():
        for chunk in _chunks(paragraph_ids, 500):
            Paragraph.objects.filter(pk__in=chunk).update(role=role, rule=rule)

    speakers = _speakers_for_articles(
        items=[
            (plan.article, [r for q in plan.specs for r in (q.speaker, q.via) if r is not None])
            for plan in plans
        ]
    )
    new_rows: list[list[Quote]] = []
    for plan, found in zip(plans, speakers, strict=True):
        own = paragraphs[plan.article.pk]
        keys = [_found(spec, plan.processed.text, own, found) for spec in plan.specs]
        plan.matched, plan.deleted = _match_quotes(plan.specs, keys, plan.deleted)
        unmatched = [spec for spec, quote in zip(plan.specs, plan.matched, strict=True) if quote is None]
        new_rows.append(_quote_rows(plan.article, replace(plan.processed, quotes=unmatched), own, found))

    left_clusters = _quotes_delete(ids=[quote.pk for plan in plans for quote in plan.deleted])
    Quote.objects.bulk_create([row for rows in new_rows for row in rows], batch_size=500)
    continuing: list[Quote] = []
    stale: dict[str, list[int]] = defaultdict(list)
    for plan, rows in zip(plans, new_rows, strict=True):
        inserted = iter(rows)
        final = [quote if quote is not None else next(inserted) for quote in plan.matched]
        for spec, quote, row in zip(plan.specs, plan.matched, final, strict=True):
            if quote is None and spec.continues is not None:
                row.continues_id = final[spec.continues].pk
                continuing.append(row)
        version = plan.processed.pipeline_version
        stale[version].extend(q.pk for q in plan.matched if q is not None and q.pipeline_version != version)
    if continuing:
        Quote.objects.bulk_update(continuing, ["continues"], batch_size=500)
    for version, quote_ids in stale.items():
        for chunk in _chunks(quote_ids, 500):
            Quote.objects.filter(pk__in=chunk).update(pipeline_version=version)

    # Most articles change their pipeline version only: one UPDATE for all of those.
    headings = ("title", "standfirst", "byline")
    versions: dict[str, list[int]] = defaultdict(list)
    rewritten = []
    for article, processed in work:
        if any(getattr(article, field) != getattr(processed, field) for field in headings):
            for field in headings:
                setattr(article, field, getattr(processed, field))
            rewritten.append(article)
        elif article.pipeline_version != processed.pipeline_version:
            versions[processed.pipeline_version].append(article.pk)
        article.pipeline_version = processed.pipeline_version
    for version, pks_of in versions.items():
        Article.objects.filter(pk__in=pks_of).update(pipeline_version=version)
    Article.objects.bulk_update(rewritten, [*headings, "pipeline_version"], batch_size=100)
    # The clustering hook places the quotes written here. A quote found again as it is keeps its row and
    # its place, so an article that got no new quote has nothing to place: left out of that hook, whose
    # marker of a placed quote (a fingerprint) a quote past FINGERPRINT_CAP never gets, so it would place
    # such quotes again on every run. The other hooks see every article.
    placing = {plan.article.pk for plan, rows in zip(plans, new_rows, strict=True) if rows}
    for hook in _ingest_hooks():
        hook(items=[item for item in work if item[0].pk in placing] if hook is quotes_cluster else work)
    clusters_settle(ids=left_clusters)

    for plan in plans:
        inserted = sum(quote is None for quote in plan.matched)
        unchanged = len(plan.matched) - inserted
        replaced = len(plan.deleted)
        rules_renamed = plan.paragraphs_changed - plan.roles_changed
        paragraphs_said = f"{plan.roles_changed} paragraph role(s) changed"
        if rules_renamed:
            paragraphs_said += f", {rules_renamed} paragraph(s) with the same role under a renamed rule"
        outcome[plan.article.pk] = ReprocessResult(
            article=plan.article,
            changed=bool(plan.paragraphs_changed or replaced or inserted),
            quotes_replaced=replaced,
            quotes_kept=plan.kept,
            message=(
                f"article {plan.article.pk}: {paragraphs_said}, "
                f"{replaced} machine quote(s) replaced by {inserted}, {unchanged} unchanged, {plan.kept} kept."
            ),
            roles_changed=plan.roles_changed,
            rules_renamed=rules_renamed,
            quotes_new=inserted,
            quotes_unchanged=unchanged,
        )
    # One event for the batch's changed articles, once it commits (as an ingest batch is one).
    event_send(
        name="article.reprocessed",
        ids=[pk for pk in pks if isinstance(r := outcome[pk], ReprocessResult) and r.changed],
    )
    return [outcome[pk] for pk in pks]


def _quotes_delete(*, ids: list[int]) -> set[int]:
    """``clusters.quotes_delete`` for a batch: the same rows gone, with the same history (a deletion
    row per quote, naming the user of the request if there is one), the corpus's own links to them
    undone as their ``on_delete`` says, their clusters' figures kept (``clusters_leave``, which returns
    the clusters for ``clusters_settle``); a few statements per 500 quotes instead of a history insert
    per quote. Quotes anything outside the corpus points at are
    never deleted here (``_referenced_quote_ids``)."""
    history = Quote.history.model
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    removed = []
    qn = connection.ops.quote_name
    columns = ", ".join(qn(field.column) for field in history.tracked_fields)
    order = ", ".join(qn(Quote._meta.get_field(name).column) for name in Quote._meta.ordering)
    for chunk in _chunks(ids, 500):
        removed.extend(cluster_members(Quote.objects.filter(pk__in=chunk)))
        now = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
        # The deletion rows copied from the quotes' own rows in the database, in the model's order (the
        # order their history ids follow), rather than read into model instances and written back.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(history._meta.db_table)} ({columns}, {qn('history_date')}, "
                f"{qn('history_type')}, {qn('history_user_id')}, {qn('history_change_reason')}) "
                f"SELECT {columns}, %s, %s, %s, NULL FROM {qn(Quote._meta.db_table)} "
                f"WHERE {qn(Quote._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))}) ORDER BY {order}",
                [now, "-", user.pk if user is not None else None, *chunk],
            )
        for relation in Quote._meta.related_objects:
            related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": chunk})
            if relation.on_delete is models.SET_NULL:
                related.update(**{relation.field.name: None})
            elif relation.on_delete is models.CASCADE:
                related.delete()
        Quote.objects.filter(pk__in=chunk)._raw_delete(Quote.objects.db)
    return clusters_leave(removed)


# A stored paragraph and quote, as re-processing reads them.
StoredParagraph = namedtuple("StoredParagraph", "pk article_id position role rule")
Stored = namedtuple(
    "Stored",
    "pk article_id paragraph_id kind start end exact anchor anchor_score speaker_id speaker_mention cue "
    "via_id confidence rule origin verified corrected_by_id cluster_fixed continues_id pipeline_version",
)


def _same(quote: Stored) -> tuple:
    """What a machine quote stores, but its links to other quotes and its pipeline version (an empty
    anchor, as the batched ingest writes it, is a placed one)."""
    return (
        quote.paragraph_id, quote.kind, quote.start, quote.end, quote.exact, quote.anchor or Anchor.PLACED,
        quote.anchor_score,
        quote.speaker_id, quote.speaker_mention, quote.cue, quote.via_id, quote.confidence, quote.rule,
    )  # fmt: skip


def _found(spec, text: str, paragraphs: dict[int, StoredParagraph], speakers: dict) -> tuple:
    """``_same`` of the row ``store._quote_rows`` would write for a quote found."""
    speaker = speakers.get(spec.speaker) if spec.speaker else None
    via = speakers.get(spec.via) if spec.via else None
    return (
        paragraphs[spec.paragraph].pk, spec.kind, spec.start, spec.end, text[spec.start : spec.end],
        Anchor.PLACED, None,
        speaker.pk if speaker is not None else None, spec.speaker_mention[:300], spec.cue[:200],
        via.pk if via is not None else None, spec.confidence, spec.rule[:80],
    )  # fmt: skip


def _match_quotes(
    specs: list, keys: list[tuple], replaceable: list[Stored]
) -> tuple[list[Stored | None], list[Stored]]:
    """Which stored machine quote stands for each quote found (``keys``: the ``_same`` of the row each
    would be written as): a row that is what a quote found would store, its continuation included,
    stays as it is; the others go. Returns, per quote found, the row that stays for it or None, and the
    rows to delete."""
    candidates: dict[tuple, list[Stored]] = defaultdict(list)
    for quote in replaceable:
        candidates[_same(quote)].append(quote)
    matched: list[Stored | None] = [candidates[key].pop(0) if candidates.get(key) else None for key in keys]
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
    return matched, [quote for quote in replaceable if quote.pk not in staying]


def batch_reprocess(
    *, pks: Sequence[int], directory: SpeakerDirectory | None = None, jobs: int = 1, batch_size: int = 200
) -> Iterator[ReprocessResult | IngestFailure]:
    """Re-process each of ``pks``, in order: a result or a failure per article.

    The articles are read and written a batch at a time, each batch in one transaction with a fixed
    number of queries. Should a batch fail to commit (a value the database refuses, say), its articles
    are written one by one instead, so one bad article never takes the others with it. The articles a
    batch changed are one ``article.reprocessed`` event, once the batch is written (as an ingest batch
    is one ``article.ingested``).

    ``jobs`` above 1 runs the text pipeline in that many worker processes, a batch ahead of the writes
    (as ``batch_ingest`` does): the workers read the next batch's raw texts while this one is stored.
    """
    batches = [list(pks[i : i + batch_size]) for i in range(0, len(pks), batch_size)]

    def written(batch: list[int], prepared: dict[int, Prepared]) -> list[ReprocessResult | IngestFailure]:
        try:
            return _reprocess_batch(batch, prepared, directory)
        except (IntegrityError, DataError):
            if len(batch) == 1:
                raise
            return [r for pk in batch for r in _reprocess_batch([pk], prepared, directory)]

    if jobs <= 1:
        for batch in batches:
            yield from written(batch, _reprocess_here(batch, directory))
        return
    from concurrent.futures import ProcessPoolExecutor

    from ..ingest.pipeline import start_worker

    # The workers end with this process, should it be killed (see ``start_worker``).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(directory, os.getpid()))
    try:
        pending = None
        for batch in batches:
            ahead = _reprocess_ahead(pool, batch, jobs)
            if pending is not None:
                yield from written(pending[0], _collect(pending[1]))
            pending = batch, ahead
        if pending is not None:
            yield from written(pending[0], _collect(pending[1]))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stored_inputs(batch: list[int]) -> Iterator[tuple[Article, ArticleInput | IngestError]]:
    for article in Article.objects.filter(pk__in=batch).only(
        "pk", "raw_text", "metadata", "language", "content_hash"
    ):
        try:
            yield article, _reprocess_record(article)
        except IngestError as exc:
            yield article, exc


def _reprocess_here(batch: list[int], directory: SpeakerDirectory | None) -> dict[int, Prepared]:
    """What the pipeline makes of the articles of ``batch``, in this process, before their transaction."""
    from ..ingest.pipeline import process

    prepared: dict[int, Prepared] = {}
    for article, record in _stored_inputs(batch):
        if isinstance(record, IngestError):
            prepared[article.pk] = (article.content_hash, record)
            continue
        prepared[article.pk] = (
            article.content_hash,
            process(
                record.body,
                title=record.title,
                language=article.language,
                directory=directory,
                captions=record.captions,
            ),
        )
    return prepared


def _collect(
    ahead: dict[int, tuple[Future, int, str] | tuple[None, IngestError, str]],
) -> dict[int, Prepared]:
    results: dict = {}
    prepared: dict[int, Prepared] = {}
    for pk, (future, position, content_hash) in ahead.items():
        if future is None:
            prepared[pk] = (content_hash, position)
            continue
        if future not in results:
            results[future] = future.result()
        prepared[pk] = (content_hash, results[future][position])
    return prepared


def _reprocess_ahead(pool, batch: list[int], jobs: int) -> dict:
    """Start the pipeline for the articles of ``batch``: per article, its future, its place in the
    future's result and the content hash it was read with (or, for an article whose raw text cannot be
    read again, no future and the error)."""
    from ..ingest.pipeline import process_jobs

    wanted = []
    ahead: dict = {}
    for article, record in _stored_inputs(batch):
        if isinstance(record, IngestError):
            ahead[article.pk] = (None, record, article.content_hash)
            continue
        wanted.append(
            (article.pk, article.content_hash, (record.body, record.title, article.language, record.captions))
        )
    size = max(1, -(-len(wanted) // (jobs * 4)))
    for chunk in range(0, len(wanted), size):
        part = wanted[chunk : chunk + size]
        future = pool.submit(process_jobs, [job for _, _, job in part])
        for position, (pk, content_hash, _) in enumerate(part):
            ahead[pk] = (future, position, content_hash)
    return ahead
