"""One article's rows as the pipeline made them (paragraphs, quotes, their speakers), the hooks other apps
add to ingestion and revisions, and which machine quotes a new run keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from ..ingest.readers import ArticleInput
from ..ingest.types import ProcessedArticle, QuoteSpec, SpeakerDirectory
from ..models import (
    Article,
    Origin,
    Paragraph,
    Quote,
    Source,
)
from .speakers import _speakers_for


@cache
def _ingest_hooks() -> tuple[Callable[..., None], ...]:
    """Apps that build on the corpus (annotations) add work to ingestion here, in one transaction,
    without the corpus importing them."""
    return tuple(import_string(path) for path in getattr(settings, "INGEST_HOOKS", ()))


@cache
def _revision_hooks() -> tuple[Callable[..., None], ...]:
    """Apps that keep spans on articles move them to a new revision here (``REVISION_HOOKS``)."""
    return tuple(import_string(path) for path in getattr(settings, "REVISION_HOOKS", ()))


def source_get_or_create(*, name: str) -> Source:
    source, _ = Source.objects.get_or_create(name=name.strip())
    return source


def sources_get_or_create(names: Iterable[str | None]) -> dict[str, Source]:
    """The sources ``names`` name (None for none), keyed by the name as given: those that exist found in
    one query, each other one made by ``source_get_or_create``, in the order first named."""
    wanted = list(dict.fromkeys(name for name in names if name))
    if not wanted:
        return {}
    found = {source.name: source for source in Source.objects.filter(name__in={n.strip() for n in wanted})}
    sources = {}
    for name in wanted:
        source = found.get(name.strip())
        if source is None:
            source = found[name.strip()] = source_get_or_create(name=name)
        sources[name] = source
    return sources


def _article_row(
    record: ArticleInput, processed: ProcessedArticle, *, source: Source | None, language: str
) -> Article:
    """A new article from its input and what the pipeline made of it (not saved)."""
    return Article(
        source=source,
        url=record.url,
        external_id=record.external_id,
        published_at=record.published_at,
        language=language,
        metadata={**record.metadata, "format": record.format},
        **_content_fields(record, processed),
    )


def _content_fields(record: ArticleInput, processed: ProcessedArticle) -> dict:
    """The fields an article takes from its input and from what the pipeline made of it: those a new
    article starts with and a new revision replaces."""
    return {
        "raw_text": record.raw_text,
        "content_hash": record.content_hash,
        "text": processed.text,
        "title": processed.title,
        "standfirst": processed.standfirst,
        "byline": processed.byline or record.byline,
        "pipeline_version": processed.pipeline_version,
    }


def _paragraph_rows(article: Article, processed: ProcessedArticle) -> list[Paragraph]:
    return [
        Paragraph(article=article, position=p.position, role=p.role, rule=p.rule, start=p.start, end=p.end)
        for p in processed.paragraphs
    ]


def _store_processed(
    *, article: Article, processed: ProcessedArticle, directory: SpeakerDirectory | None
) -> None:
    paragraphs = Paragraph.objects.bulk_create(_paragraph_rows(article, processed))
    _store_quotes(
        article=article,
        processed=processed,
        paragraphs={p.position: p for p in paragraphs},
        directory=directory,
    )


def _store_quotes(
    *,
    article: Article,
    processed: ProcessedArticle,
    paragraphs: dict[int, Paragraph],
    directory: SpeakerDirectory | None,
) -> list[Quote]:
    refs = [r for q in processed.quotes for r in (q.speaker, q.via) if r is not None]
    speakers = _speakers_for(article=article, refs=refs, directory=directory)
    quotes = Quote.objects.bulk_create(_quote_rows(article, processed, paragraphs, speakers))
    _link_continuations(processed.quotes, quotes)
    return quotes


def _quote_rows(
    article: Article, processed: ProcessedArticle, paragraphs: dict, speakers: dict
) -> list[Quote]:
    """The rows of the quotes found; ``paragraphs`` maps a position to its paragraph (anything with a
    ``pk``)."""
    return [
        Quote(
            article=article,
            paragraph_id=paragraphs[q.paragraph].pk,
            kind=q.kind,
            start=q.start,
            end=q.end,
            exact=processed.text[q.start : q.end],
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


def _link_continuations(specs: list[QuoteSpec], quotes: list[Quote]) -> None:
    """A quote's ``continues`` names another quote of the same article, known only once both have ids."""
    continuing = []
    for spec, quote in zip(specs, quotes, strict=True):
        if spec.continues is not None:
            quote.continues = quotes[spec.continues]
            continuing.append(quote)
    if continuing:
        Quote.objects.bulk_update(continuing, ["continues"])


def _referenced_quote_ids(article: Article | Iterable[int]) -> set[int]:
    """Quotes of an article (or of the articles with these ids) that something outside the corpus points
    at (an annotation on the quote, say): replacing them would cascade into other apps' data, so they are
    kept. Found generically, through the model's reverse relations, so the corpus need not know who
    points at it."""
    ids: set[int] = set()
    articles = {"article": article} if isinstance(article, Article) else {"article__in": list(article)}
    for relation in Quote._meta.related_objects:
        if relation.related_model._meta.app_label == Quote._meta.app_label:
            continue  # the corpus's own (continuations, fingerprints, clusters) are rebuilt with the quotes
        field = relation.field.name
        ids.update(
            relation.related_model._default_manager.filter(
                **{f"{field}__{lookup}": value for lookup, value in articles.items()}
            )
            .exclude(**{f"{field}__isnull": True})
            .values_list(f"{field}_id", flat=True)
        )
    return ids


def _quote_is_kept(quote: Quote, referenced: set[int]) -> bool:
    return bool(
        quote.verified
        or quote.corrected_by_id
        or quote.cluster_fixed
        or quote.origin == Origin.EDITOR
        or quote.pk in referenced
    )


def _quotes_without(quotes: list[QuoteSpec], drop: Callable[[QuoteSpec], bool]) -> list[QuoteSpec]:
    """The extracted quotes less those ``drop`` picks (kept rows already stand for them), with each
    ``continues`` renumbered; a link to a dropped quote is cut."""
    left = [i for i, quote in enumerate(quotes) if not drop(quote)]
    position = {old: new for new, old in enumerate(left)}
    return [
        quotes[i]._replace(continues=position.get(quotes[i].continues))
        if quotes[i].continues is not None
        else quotes[i]
        for i in left
    ]
