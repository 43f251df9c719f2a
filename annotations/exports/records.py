"""The dataset records of PRODUCT.md, built from model instances already in memory.

Key order is part of the contract: these dicts are built in the documented
order and serialized without sorting. Lists are ordered by (start, end, id).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from corpus.models import Article, Paragraph, Quote

from ..models import Annotation, Claim, FactCheck
from .selection import ExportOptions

SCHEMA_VERSION = "1"
FULL = ExportOptions()


def rfc3339(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _span_key(item) -> tuple:
    # Non-span annotations (start None) sort first, then by id.
    start = -1 if item.start is None else item.start
    end = -1 if item.end is None else item.end
    return (start, end, item.pk)


def paragraph_record(paragraph: Paragraph, text: str | None) -> dict:
    return {
        "position": paragraph.position,
        "role": paragraph.role,
        "rule": paragraph.rule,
        "start": paragraph.start,
        "end": paragraph.end,
        "text": text[paragraph.start : paragraph.end] if text is not None else None,
    }


def quote_record(quote: Quote, text: str | None, positions: dict[int, int]) -> dict:
    speaker = quote.speaker
    words = None
    if text is not None:
        words = text[quote.start : quote.end] if quote.start is not None else quote.exact
    return {
        "id": quote.pk,
        "kind": quote.kind,
        "text": words,
        "start": quote.start,
        "end": quote.end,
        "paragraph": positions.get(quote.paragraph_id),
        "continues": quote.continues_id,
        "speaker": speaker.name if speaker else None,
        "speaker_kind": speaker.kind if speaker else None,
        "speaker_mention": quote.speaker_mention,
        "cue": quote.cue,
        "via": quote.via.name if quote.via else None,
        "origin": quote.origin,
        "verified": quote.verified,
    }


def annotation_record(annotation: Annotation, options: ExportOptions = FULL) -> dict:
    return {
        "id": annotation.pk,
        "target": annotation.target,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact if options.with_text else None,
        "tags": sorted(tag.slug for tag in annotation.tags.all()),
        "note": annotation.note,
        "status": annotation.status,
        "origin": annotation.origin,
        "author": options.author(annotation.author.username if annotation.author else None),
    }


def evidence_items(fact_check: FactCheck) -> list[dict]:
    return [
        {k: item.get(k, "") for k in ("url", "title", "publisher", "accessed")}
        for item in fact_check.evidence
    ]


def fact_check_record(fact_check: FactCheck, options: ExportOptions = FULL) -> dict:
    return {
        "verdict": fact_check.verdict,
        "rationale": fact_check.rationale,
        "evidence": evidence_items(fact_check),
        "status": fact_check.status,
        "author": options.author(fact_check.author.username),
        "reviewer": options.author(fact_check.reviewer.username if fact_check.reviewer else None),
        "published_at": rfc3339(fact_check.published_at),
    }


def claim_record(claim: Claim, fact_check: FactCheck | None, options: ExportOptions = FULL) -> dict:
    return {
        "id": claim.pk,
        "text": claim.text,
        "claimant": claim.claimant.name if claim.claimant else None,
        "annotation": claim.annotation_id,
        "fact_check": fact_check_record(fact_check, options) if fact_check else None,
    }


def article_record(
    article: Article,
    *,
    paragraphs: Iterable[Paragraph],
    quotes: Iterable[Quote],
    annotations: Iterable[Annotation],
    claims: Iterable[tuple[Claim, FactCheck | None]],
    options: ExportOptions = FULL,
) -> dict:
    """With ``text="none"`` the article's ``title`` and ``text``, paragraph and quote ``text`` and
    annotation ``exact`` are null; offsets, hashes, notes, claims and fact-checks stay."""
    text = article.text if options.with_text else None
    paragraphs = sorted(paragraphs, key=lambda p: p.position)
    positions = {p.pk: p.position for p in paragraphs}
    return {
        "id": article.pk,
        "url": article.url,
        "source": article.source.name if article.source else None,
        "published_at": rfc3339(article.published_at),
        "language": article.language,
        "title": article.title if options.with_text else None,
        "content_hash": article.content_hash,
        "text": text,
        "paragraphs": [paragraph_record(p, text) for p in paragraphs],
        "quotes": [quote_record(q, text, positions) for q in sorted(quotes, key=_span_key)],
        "annotations": [annotation_record(a, options) for a in sorted(annotations, key=_span_key)],
        "claims": [claim_record(c, fc, options) for c, fc in sorted(claims, key=lambda pair: pair[0].pk)],
    }
