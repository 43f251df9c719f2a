"""Ingesting one article: the same bytes again are a no-op, the same identity with new bytes a revision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from ..events import event_send
from ..ingest.readers import ArticleInput, IngestError
from ..ingest.types import ProcessedArticle, SpeakerDirectory
from ..models import (
    Article,
)
from ..selectors import speaker_directory
from .revisions import article_revise
from .store import _article_row, _ingest_hooks, _store_processed, source_get_or_create

if TYPE_CHECKING:
    pass

# The text pipeline (corpus.ingest.pipeline: rules, quote patterns, speaker matching) is imported where an
# article is processed, so that commands and web processes that never process one do not load it.


@dataclass(frozen=True, slots=True)
class IngestResult:
    article: Article
    created: bool
    origin: str
    revised: bool = False

    @property
    def message(self) -> str:
        if self.revised:
            return (
                f"{self.origin}: new revision {self.article.revision} of article {self.article.pk}; "
                "annotations re-anchored."
            )
        if self.created:
            return f"{self.origin}: ingested as article {self.article.pk} ({self.article.title[:60]!r})."
        return f"{self.origin}: unchanged, already ingested as article {self.article.pk}."


@dataclass(frozen=True, slots=True)
class IngestFailure:
    origin: str
    message: str


def process_record(
    record: ArticleInput, language: str, directory: SpeakerDirectory | None
) -> ProcessedArticle:
    """The pipeline for one record."""
    from ..ingest.pipeline import process

    return process(
        record.body, title=record.title, language=language, directory=directory, captions=record.captions
    )


@transaction.atomic
def article_ingest(
    *,
    record: ArticleInput,
    directory: SpeakerDirectory | None = None,
    default_source: str | None = None,
    default_language: str = "en",
    processed: ProcessedArticle | None = None,
) -> IngestResult:
    """Store one article: raw input, normalized text, paragraphs, speakers and quotes, atomically.

    The same bytes again are a no-op. The same identity (url, or source and external id) with different
    bytes makes a new revision. ``processed``: what the pipeline made of ``record`` (with its language and
    ``directory``), when the caller has it already.
    """
    content_hash = record.content_hash
    existing = Article.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        return IngestResult(article=existing, created=False, origin=record.origin)

    source_name = record.source or default_source
    source = source_get_or_create(name=source_name) if source_name else None
    if record.external_id and source is None:
        raise IngestError(f"{record.origin}: 'external_id' needs a 'source' (or pass --source).")
    identity = Q(pk__in=[])
    if record.url:
        identity |= Q(url=record.url)
    if record.external_id and source is not None:
        identity |= Q(source=source, external_id=record.external_id)
    clash = Article.objects.filter(identity).first()
    language = record.language or default_language
    if processed is None:
        from ..ingest.pipeline import process

        processed = process(
            record.body, title=record.title, language=language, directory=directory, captions=record.captions
        )
    if not processed.paragraphs:
        raise IngestError(
            f"{record.origin}: no text left after normalization (only blanks or invisible characters)."
        )
    if clash is not None:
        article = article_revise(article=clash, record=record, processed=processed, directory=directory)
        return IngestResult(article=article, created=False, origin=record.origin, revised=True)
    article = _article_row(record, processed, source=source, language=language)
    article.save()
    _store_processed(article=article, processed=processed, directory=directory)
    for hook in _ingest_hooks():
        hook(items=[(article, processed)])
    event_send(name="article.ingested", ids=[article.pk])
    return IngestResult(article=article, created=True, origin=record.origin)


def article_add(*, user, record: ArticleInput) -> IngestResult:
    """Ingest one article for ``user`` (the admin's Add article, the API), as ``manage.py ingest`` does:
    the same bytes again are a no-op, the same identity with new bytes a revision."""
    if user is None or not user.is_authenticated or not user.has_perm("corpus.add_article"):
        raise PermissionDenied("You may not add articles.")
    return article_ingest(record=record, directory=speaker_directory())
