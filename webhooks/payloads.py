"""What each event says: the ``data`` of a delivery, read once for all the ids of an event.

Field names are those of the exports (docs/contract.md); times are RFC 3339 UTC. docs/webhooks.md shows
each payload. An id whose row is gone by the time the event is read (deleted right after the commit)
is left out; an event left with nothing to say makes no delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from annotations.exports.records import rfc3339
from annotations.models import Annotation, Claim, ExportJob, FactCheck
from corpus.models import Article

from .models import Event

ARTICLE_FIELDS = ("id", "url", "external_id", "title", "published_at", "language", "content_hash", "revision")


def _article(article: Article) -> dict:
    return {
        "id": article.pk,
        "url": article.url,
        "source": article.source.name if article.source_id else None,
        "external_id": article.external_id,
        "title": article.title,
        "published_at": rfc3339(article.published_at),
        "language": article.language,
        "content_hash": article.content_hash,
        "revision": article.revision,
    }


def _articles(ids: Sequence[int]) -> list[dict]:
    rows = Article.objects.filter(pk__in=ids).select_related("source").only(*ARTICLE_FIELDS, "source__name")
    return [_article(article) for article in rows.order_by("id")]


def _annotation(annotation: Annotation) -> dict:
    return {
        "id": annotation.pk,
        "article": annotation.article_id,
        "target": annotation.target,
        "paragraph": annotation.paragraph.position if annotation.paragraph_id else None,
        "quote": annotation.quote_id,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "tags": sorted(tag.slug for tag in annotation.tags.all()),
        "note": annotation.note,
        "status": annotation.status,
        "origin": annotation.origin,
        "author": annotation.author.username if annotation.author_id else None,
        "version": annotation.version,
    }


def _annotations(ids: Sequence[int]) -> list[dict]:
    rows = (
        Annotation.objects.filter(pk__in=ids)
        .select_related("author", "paragraph")
        .prefetch_related("tags")
        .order_by("id")
    )
    return [{"annotation": _annotation(annotation)} for annotation in rows]


def _fact_check(fact_check: FactCheck) -> dict:
    """The approved verdict (what the public sees); a revision waiting for review shows in
    ``revision_status`` only, as it is not published."""
    return {
        "id": fact_check.pk,
        "claim": fact_check.claim_id,
        "article": fact_check.claim.article_id,
        "claim_text": fact_check.claim.text,
        "verdict": fact_check.verdict,
        "status": fact_check.status,
        "revision_status": fact_check.revision_status or None,
        "author": fact_check.author.username,
        "reviewer": fact_check.reviewer.username if fact_check.reviewer_id else None,
        "published_at": rfc3339(fact_check.published_at),
        "modified_at": rfc3339(fact_check.modified_at),
        "version": fact_check.version,
    }


def _fact_checks(ids: Sequence[int]) -> list[dict]:
    rows = FactCheck.objects.filter(pk__in=ids).select_related("claim", "author", "reviewer").order_by("id")
    return [{"fact_check": _fact_check(fact_check)} for fact_check in rows]


def _claims(ids: Sequence[int]) -> list[dict]:
    rows = Claim.objects.filter(pk__in=ids).select_related("claimant", "created_by").order_by("id")
    return [
        {
            "claim": {
                "id": claim.pk,
                "article": claim.article_id,
                "text": claim.text,
                "claimant": claim.claimant.name if claim.claimant_id else None,
                "annotation": claim.annotation_id,
                "author": claim.created_by.username if claim.created_by_id else None,
                "version": claim.version,
            }
        }
        for claim in rows
    ]


def _plain(value):
    """What a service wrote for an event, with its times as RFC 3339 UTC."""
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# What no longer exists at the commit, or was never a row: the service's own words for it.
WRITTEN_BY_THE_SERVICE = {
    Event.ARTICLE_DELETED,
    Event.ANNOTATION_DELETED,
    Event.CLAIM_DELETED,
    Event.DATASET_IMPORTED,
}


def _exports(ids: Sequence[int]) -> list[dict]:
    rows = ExportJob.objects.filter(pk__in=ids).select_related("requested_by").order_by("id")
    return [
        {
            "export": {
                "id": job.pk,
                "format": job.format,
                "status": job.status,
                "error": job.error,
                "requested_by": job.requested_by.username if job.requested_by_id else None,
                "created_at": rfc3339(job.created_at),
                "finished_at": rfc3339(job.finished_at),
            }
        }
        for job in rows
    ]


def event_data(*, event: str, ids: Sequence[int], data: Sequence[dict] | None = None) -> list[dict]:
    """The ``data`` of each delivery the event makes (per webhook): one for an ingest or reprocess
    batch, one per object otherwise."""
    if event in WRITTEN_BY_THE_SERVICE:
        return [_plain(item) for item in data or ()]
    if event in (Event.ARTICLE_INGESTED, Event.ARTICLE_REPROCESSED):
        articles = _articles(ids)
        return [{"articles": articles}] if articles else []
    if event == Event.ARTICLE_REVISED:
        return [{"article": article} for article in _articles(ids)]
    if event in (Event.ANNOTATION_CREATED, Event.ANNOTATION_CHANGED):
        return _annotations(ids)
    if event in (
        Event.FACTCHECK_SUBMITTED,
        Event.FACTCHECK_PUBLISHED,
        Event.FACTCHECK_SENT_BACK,
        Event.FACTCHECK_WITHDRAWN,
    ):
        return _fact_checks(ids)
    if event in (Event.CLAIM_CREATED, Event.CLAIM_CHANGED):
        return _claims(ids)
    if event == Event.EXPORT_FINISHED:
        return _exports(ids)
    raise ValueError(f"{event!r} is not a webhook event")
