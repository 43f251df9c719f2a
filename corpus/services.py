"""Every write to the corpus goes through these functions.

The admin, the API and the management commands call them, so a rule holds
whichever door the data comes through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from .ingest.pipeline import process
from .ingest.readers import ArticleInput, IngestError
from .ingest.types import ProcessedArticle, SpeakerDirectory, SpeakerRef
from .models import Article, Origin, Paragraph, ParagraphRole, Quote, QuoteKind, Source, Speaker, SpeakerAlias, SpeakerKind
from .versioning import versioned_update

logger = logging.getLogger(__name__)

LOCAL_SPEAKER_KINDS = {SpeakerKind.ANONYMOUS, SpeakerKind.GROUP}


@dataclass(frozen=True, slots=True)
class IngestResult:
    article: Article
    created: bool
    origin: str

    @property
    def message(self) -> str:
        if self.created:
            return f"{self.origin}: ingested as article {self.article.pk} ({self.article.title[:60]!r})."
        return f"{self.origin}: unchanged, already ingested as article {self.article.pk}."


@cache
def _ingest_hooks() -> tuple[Callable[..., None], ...]:
    """Apps that build on the corpus (annotations) add work to ingestion here, in one transaction,
    without the corpus importing them."""
    return tuple(import_string(path) for path in getattr(settings, "INGEST_HOOKS", ()))


def source_get_or_create(*, name: str) -> Source:
    source, _ = Source.objects.get_or_create(name=name.strip())
    return source


@transaction.atomic
def article_ingest(
    *,
    record: ArticleInput,
    directory: SpeakerDirectory | None = None,
    default_source: str | None = None,
    default_language: str = "en",
) -> IngestResult:
    """Store one article: raw input, normalized text, paragraphs, speakers and quotes, atomically.

    The same bytes again are a no-op. The same identity (url, or source and
    external id) with different bytes is refused: revisions are not supported yet.
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
    if clash is not None:
        raise IngestError(
            f"{record.origin}: article {clash.pk} has the same url or (source, external_id) but different "
            "content; storing a new revision of an article is not supported yet, so nothing was written."
        )

    language = record.language or default_language
    processed = process(record.body, title=record.title, language=language, directory=directory)
    if not processed.paragraphs:
        raise IngestError(f"{record.origin}: no text left after normalization (only blanks or invisible characters).")
    metadata = {**record.metadata, "format": record.format}
    article = Article.objects.create(
        source=source,
        url=record.url,
        external_id=record.external_id,
        raw_text=record.raw_text,
        content_hash=content_hash,
        text=processed.text,
        title=processed.title,
        standfirst=processed.standfirst,
        byline=processed.byline,
        published_at=record.published_at,
        language=language,
        metadata=metadata,
        pipeline_version=processed.pipeline_version,
    )
    _store_processed(article=article, processed=processed, directory=directory)
    for hook in _ingest_hooks():
        hook(article=article, processed=processed)
    return IngestResult(article=article, created=True, origin=record.origin)


def _store_processed(*, article: Article, processed: ProcessedArticle, directory: SpeakerDirectory | None) -> None:
    paragraphs = Paragraph.objects.bulk_create(
        [
            Paragraph(article=article, position=p.position, role=p.role, rule=p.rule, start=p.start, end=p.end)
            for p in processed.paragraphs
        ]
    )
    by_position = {p.position: p for p in paragraphs}
    refs = [r for q in processed.quotes for r in (q.speaker, q.via) if r is not None]
    speakers = _speakers_for(article=article, refs=refs, directory=directory)
    quotes = Quote.objects.bulk_create(
        [
            Quote(
                article=article,
                paragraph=by_position[q.paragraph],
                kind=q.kind,
                start=q.start,
                end=q.end,
                speaker=speakers.get(q.speaker) if q.speaker else None,
                speaker_mention=q.speaker_mention[:300],
                cue=q.cue[:200],
                via=speakers.get(q.via) if q.via else None,
                confidence=q.confidence,
                rule=q.rule[:80],
                origin=Origin.MACHINE,
                pipeline_version=processed.pipeline_version,
            )
            for q in processed.quotes
        ]
    )
    continuing = []
    for spec, quote in zip(processed.quotes, quotes, strict=True):
        if spec.continues is not None:
            quote.continues = quotes[spec.continues]
            continuing.append(quote)
    if continuing:
        Quote.objects.bulk_update(continuing, ["continues"])


def _speakers_for(
    *, article: Article, refs: Iterable[SpeakerRef], directory: SpeakerDirectory | None
) -> dict[SpeakerRef, Speaker]:
    """Find or create the speakers the pipeline named: shared ones by name or alias, anonymous
    sources and unnamed groups as speakers of this article."""
    resolved: dict[SpeakerRef, Speaker] = {}
    for ref in dict.fromkeys(refs):
        if ref.kind in LOCAL_SPEAKER_KINDS:
            speaker, _ = Speaker.objects.get_or_create(
                article=article, name=ref.name[:300], defaults={"kind": ref.kind, "description": ref.description}
            )
        else:
            speaker = speaker_register(ref=ref)
            if directory is not None:
                directory.add(SpeakerRef(name=speaker.name, kind=speaker.kind, aliases=ref.aliases))
        resolved[ref] = speaker
    return resolved


def speaker_register(*, ref: SpeakerRef) -> Speaker:
    """The shared speaker for ``ref`` (found by name, then alias), created if new; new aliases are added
    where no other speaker holds them."""
    name = ref.name.strip()[:300]
    speaker = Speaker.objects.filter(name=name, article__isnull=True).first()
    if speaker is None:
        alias = SpeakerAlias.objects.select_related("speaker").filter(key=name.casefold()).first()
        speaker = alias.speaker if alias else None
    if speaker is None:
        speaker = Speaker.objects.create(name=name, kind=ref.kind, description=ref.description)
    elif ref.description and not speaker.description:
        speaker.description = ref.description
        speaker.save(update_fields=["description"])
    phrases = {p.strip()[:300] for p in ref.aliases if p.strip() and p.strip() != speaker.name}
    if phrases:
        taken = set(SpeakerAlias.objects.filter(key__in=[p.casefold() for p in phrases]).values_list("key", flat=True))
        SpeakerAlias.objects.bulk_create(
            [
                SpeakerAlias(speaker=speaker, phrase=p, key=p.casefold())
                for p in sorted(phrases)
                if p.casefold() not in taken
            ]
        )
    return speaker


@transaction.atomic
def speaker_alias_add(*, speaker: Speaker, phrase: str) -> SpeakerAlias:
    alias = SpeakerAlias(speaker=speaker, phrase=phrase.strip())
    alias.key = alias.phrase.casefold()
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def quote_correct(
    *,
    quote: Quote,
    expected_version: int,
    user,
    speaker: Speaker | None | type[...] = ...,
    kind: str | None = None,
    verified: bool | None = None,
) -> Quote:
    """An editor corrects a quote's speaker or kind, or marks it verified. Stale versions are refused."""
    fields: dict = {}
    if speaker is not ...:
        fields["speaker"] = speaker
    if kind is not None:
        if kind not in QuoteKind.values:
            raise ValidationError({"kind": f"{kind!r} is not one of {', '.join(QuoteKind.values)}."})
        fields["kind"] = kind
    if verified is not None:
        fields["verified"] = verified
    if "speaker" in fields or "kind" in fields:
        fields["corrected_by"] = user
    return versioned_update(quote, expected_version=expected_version, fields=fields)


@transaction.atomic
def paragraph_set_role(*, paragraph: Paragraph, expected_version: int, role: str) -> Paragraph:
    if role not in ParagraphRole.values:
        raise ValidationError({"role": f"{role!r} is not one of {', '.join(ParagraphRole.values)}."})
    return versioned_update(paragraph, expected_version=expected_version, fields={"role": role, "rule": "editor"})
