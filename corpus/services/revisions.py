"""A new revision of an article: the old text kept readable, quotes and other apps' spans moved to the new one."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from django.db.models import F
from django.utils import timezone

from ..anchoring import Placement, PositionMap, reanchor
from ..clusters import clusters_firsts_recount, clusters_settle, quotes_delete
from ..events import event_send
from ..ingest.readers import ArticleInput, IngestError
from ..ingest.types import ProcessedArticle, SpeakerDirectory
from ..models import (
    Anchor,
    Article,
    ArticleRevision,
    Paragraph,
    Quote,
)
from ..spans import span_context
from .store import (
    _content_fields,
    _ingest_hooks,
    _paragraph_rows,
    _quote_is_kept,
    _quotes_without,
    _referenced_quote_ids,
    _revision_hooks,
    _store_quotes,
)

# Old paragraphs are parked past every real position while the new ones are created, so the
# (article, position) constraint holds at every step.
_PARKED = 10_000_000


@dataclass(frozen=True, slots=True)
class Revision:
    """What an app needs to move its spans from an article's old text to its new one."""

    article: Article
    old_text: str
    new_text: str
    position_map: PositionMap
    paragraphs: list[Paragraph]  # the new paragraphs, in order

    def paragraph_at(self, offset: int) -> Paragraph | None:
        index = bisect.bisect_right([p.start for p in self.paragraphs], offset) - 1
        if index >= 0 and offset < self.paragraphs[index].end:
            return self.paragraphs[index]
        return None

    def place(
        self, *, start: int | None, end: int | None, exact: str, prefix: str = "", suffix: str = ""
    ) -> Placement:
        if start is None or end is None:
            # An orphan from an earlier revision: look for its words anywhere.
            start, end = 0, len(exact)
        if not prefix and not suffix and start < len(self.old_text):
            prefix, suffix = span_context(text=self.old_text, start=start, end=end)
        return reanchor(
            old_text=self.old_text,
            new_text=self.new_text,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            position_map=self.position_map,
        )


def article_revise(
    *, article: Article, record: ArticleInput, processed: ProcessedArticle, directory: SpeakerDirectory | None
) -> Article:
    """Make ``record`` the new revision of ``article``, keeping the old one readable.

    Paragraphs and machine quotes are rebuilt. Quotes an editor corrected or verified, and quotes something
    points at, move to the new text (exact match, then fuzzy, else orphaned, never deleted); a new machine
    quote on the same span is dropped in their favour, so corrections carry over. Apps move their own spans
    through ``REVISION_HOOKS`` before the old paragraphs go.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if Article.objects.filter(content_hash=record.content_hash).exclude(pk=article.pk).exists():
        raise IngestError(
            f"{record.origin}: another article already has exactly this content; nothing was written."
        )
    old_text, published_before = article.text, article.published_at
    ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        raw_text=article.raw_text,
        content_hash=article.content_hash,
        text=old_text,
        title=article.title,
        pipeline_version=article.pipeline_version,
        ingested_at=article.updated_at,
    )
    old_paragraphs = list(article.paragraphs.values_list("pk", flat=True))
    Paragraph.objects.filter(article=article).update(position=F("position") + _PARKED)
    paragraphs = Paragraph.objects.bulk_create(_paragraph_rows(article, processed))
    revision = Revision(
        article=article,
        old_text=old_text,
        new_text=processed.text,
        position_map=PositionMap(old_text, processed.text),
        paragraphs=paragraphs,
    )

    existing = list(article.quotes.all())
    referenced = _referenced_quote_ids(article)
    kept = [q for q in existing if _quote_is_kept(q, referenced)]
    left_clusters = quotes_delete(ids=[q.pk for q in existing if not _quote_is_kept(q, referenced)])
    placed_spans = set()
    for quote in kept:
        exact = quote.exact or (old_text[quote.start : quote.end] if quote.start is not None else "")
        anchor = revision.place(start=quote.start, end=quote.end, exact=exact)
        paragraph = revision.paragraph_at(anchor.start) if anchor.start is not None else None
        quote.exact = exact
        if paragraph is None:
            quote.start = quote.end = quote.paragraph = None
            quote.anchor, quote.anchor_score = Anchor.ORPHANED, None
        else:
            quote.start, quote.end, quote.paragraph = anchor.start, anchor.end, paragraph
            quote.anchor, quote.anchor_score = anchor.method, anchor.score
            placed_spans.add((quote.start, quote.end))
    Quote.objects.bulk_update(kept, ["start", "end", "paragraph", "exact", "anchor", "anchor_score"])
    new_quotes = _quotes_without(processed.quotes, lambda q: (q.start, q.end) in placed_spans)
    _store_quotes(
        article=article,
        processed=replace(processed, quotes=new_quotes),
        paragraphs={p.position: p for p in paragraphs},
        directory=directory,
    )
    Article.objects.filter(pk=article.pk).update(
        **_content_fields(record, processed),
        metadata={**article.metadata, **record.metadata, "format": record.format},
        revision=F("revision") + 1,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    article.refresh_from_db()
    for hook in _revision_hooks():
        hook(revision=replace(revision, article=article))
    # RESTRICT on every reference: this fails rather than take anyone's work with it.
    Paragraph.objects.filter(pk__in=old_paragraphs).delete()
    for hook in _ingest_hooks():
        hook(items=[(article, processed)])
    clusters_settle(ids=left_clusters)
    if article.published_at != published_before:
        # Its quotes kept in clusters now appear at another date: which came first may have changed.
        clusters_firsts_recount(
            article.quotes.filter(cluster__isnull=False).values_list("cluster_id", flat=True)
        )
    event_send(name="article.revised", ids=[article.pk])
    return article
