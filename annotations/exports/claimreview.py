"""schema.org ClaimReview for published fact-checks: the export and each public fact-check page.

Verdicts in words are the rating everyone shows (``alternateName``). The five on the true/false scale
also get a number on a documented 1-5 scale (false 1 ... true 5); misleading, unverifiable and
not-a-claim are off that scale, so they carry no number at all rather than a made-up one.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from datetime import datetime
from typing import Any, BinaryIO

from django.conf import settings
from django.urls import reverse

from corpus.models import SpeakerKind

from ..models import FactCheck, FactCheckStatus, Verdict
from .dataset import keyset_chunks
from .selection import ExportOptions, Selection

EXTENSION = ".jsonld"
CONTENT_TYPE = "application/ld+json"
TABULAR = False
MAIN = "claimreview.jsonld"
SCHEMA_ORG = "https://schema.org"

VERDICT_WORDS = {
    Verdict.TRUE: "True",
    Verdict.MOSTLY_TRUE: "Mostly true",
    Verdict.MIXED: "Mixed",
    Verdict.MOSTLY_FALSE: "Mostly false",
    Verdict.FALSE: "False",
    Verdict.MISLEADING: "Misleading",
    Verdict.UNVERIFIABLE: "Unverifiable",
    Verdict.NOT_A_CLAIM: "Not a claim",
}
RATING_VALUES = {
    Verdict.FALSE: 1,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.MIXED: 3,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.TRUE: 5,
}
WORST, BEST = 1, 5


def page_url(fact_check_id: int) -> str:
    return settings.SITE_URL + reverse("factcheck-public", args=[fact_check_id])


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def rating(verdict: str) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "Rating", "alternateName": VERDICT_WORDS[Verdict(verdict)]}
    if verdict in RATING_VALUES:
        result.update(ratingValue=RATING_VALUES[Verdict(verdict)], bestRating=BEST, worstRating=WORST)
    return result


def publisher() -> dict[str, Any]:
    organization = {"@type": "Organization", "name": settings.CLAIMREVIEW_PUBLISHER_NAME}
    if settings.CLAIMREVIEW_PUBLISHER_URL:
        organization["url"] = settings.CLAIMREVIEW_PUBLISHER_URL
    return organization


def claim_review(
    fact_check: FactCheck, *, options: ExportOptions | None = None, context: bool = True
) -> dict:
    """A published fact-check as ClaimReview. Reads ``claim``, ``claim.claimant`` and ``claim.article``:
    select them with the fact-check."""
    with_text = options.with_text if options is not None else True
    claim = fact_check.claim
    article = claim.article
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if article.url:
        appearance["url"] = article.url
    if with_text and article.title:
        appearance["headline"] = article.title
    if article.published_at:
        appearance["datePublished"] = _date(article.published_at)
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant is not None:
        kind = "Organization" if claim.claimant.kind == SpeakerKind.ORGANIZATION else "Person"
        item["author"] = {"@type": kind, "name": claim.claimant.name}
    if article.published_at:
        item["datePublished"] = _date(article.published_at)
    item["appearance"] = appearance
    review: dict[str, Any] = {"@context": SCHEMA_ORG} if context else {}
    review.update(
        {
            "@type": "ClaimReview",
            "url": page_url(fact_check.pk),
            "claimReviewed": claim.text,
            "datePublished": _date(fact_check.published_at),
            "author": publisher(),
            "reviewRating": rating(fact_check.verdict),
            "itemReviewed": item,
        }
    )
    if fact_check.modified_at is not None:
        # A revision approved after publication replaced the verdict: say when.
        review["dateModified"] = _date(fact_check.modified_at)
    return review


def script_json(document: dict) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' that could end it or open a comment."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def published_fact_checks(selection: Selection):
    """Published only, whatever the options: a draft has no page and no public review."""
    return (
        selection.fact_checks.filter(status=FactCheckStatus.PUBLISHED)
        .select_related("claim", "claim__claimant", "claim__article")
        .defer("claim__article__text", "claim__article__raw_text", "claim__article__metadata")
    )


def write(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    stream.write(f'{{"@context":"{SCHEMA_ORG}","@graph":['.encode())
    count = 0
    for chunk in keyset_chunks(published_fact_checks(selection), chunk_size=chunk_size):
        parts = []
        for fact_check in chunk:
            item = json.dumps(
                claim_review(fact_check, options=selection.options, context=False), ensure_ascii=False
            )
            parts.append(("\n" if count == 0 else ",\n") + item)
            count += 1
        stream.write("".join(parts).encode("utf-8"))
        yield len(chunk)
    stream.write(b"\n]}\n")
    return {"fact_checks": count}


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [(MAIN, lambda stream: write(selection, stream, chunk_size=chunk_size))]
