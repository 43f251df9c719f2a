"""schema.org ClaimReview for published fact-checks: the export and each public fact-check page.

Verdicts in words are the rating everyone shows (``alternateName``). The five on the true/false scale
also get a number on a documented 1-5 scale (false 1 ... true 5); misleading, unverifiable and
not-a-claim are off that scale, so they carry no number at all rather than a made-up one.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import F, Min, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from config.site import site_url
from corpus.models import Article, Quote, Speaker, SpeakerKind

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
    return site_url() + reverse("factcheck-public", args=[fact_check_id])


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def rating(verdict: str) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "Rating", "alternateName": VERDICT_WORDS[Verdict(verdict)]}
    if verdict in RATING_VALUES:
        result.update(ratingValue=RATING_VALUES[Verdict(verdict)], bestRating=BEST, worstRating=WORST)
    return result


def publisher() -> dict[str, Any]:
    organization = {"@type": "Organization", "name": settings.CLAIMREVIEW_PUBLISHER_NAME}
    organization["url"] = settings.CLAIMREVIEW_PUBLISHER_URL or site_url()
    return organization


@dataclass(frozen=True, slots=True)
class QuotedIn:
    """The quote a claim's words stand in: who said them, and (when other articles quote the same words)
    every appearance, earliest first."""

    speaker: Speaker | None
    appearances: tuple[Article, ...] = ()


MAX_APPEARANCES = 50
# Clusters whose appearances an export keeps from one chunk to the next: a line quoted across the whole
# corpus is read once, not once per chunk. At most MAX_APPEARANCES articles each (some 10,000 in all).
KNOWN_CLUSTERS = 200


def quoted_in(
    fact_checks: Sequence[FactCheck], *, known: dict[int, tuple[Article, ...]] | None = None
) -> dict[int, QuotedIn]:
    """For each fact-check whose claim is on a quote (its highlight inside the quote's span, or on the
    quote itself): the quote's speaker and its cluster's appearances. Two queries for any number of
    fact-checks, one when ``known`` (the appearances of clusters read before, which this adds to and
    keeps to KNOWN_CLUSTERS) holds every cluster of their quotes."""
    claims = {fc.pk: fc.claim for fc in fact_checks if fc.claim.annotation_id is not None}
    if not claims:
        return {}
    annotations = {c.annotation_id: c.annotation for c in claims.values()}
    quotes = list(
        Quote.objects.filter(article_id__in={c.article_id for c in claims.values()}, start__isnull=False)
        .select_related("speaker")
        .only("id", "article_id", "start", "end", "cluster_id", "speaker")
    )
    by_article: dict[int, list[Quote]] = {}
    for quote in quotes:
        by_article.setdefault(quote.article_id, []).append(quote)
    covering: dict[int, Quote] = {}
    for annotation in annotations.values():
        quotes_here = by_article.get(annotation.article_id, ())
        named = [quote for quote in quotes_here if annotation.quote_id == quote.pk]
        holding = named or [
            quote
            for quote in quotes_here
            if annotation.start is not None
            and quote.start <= annotation.start
            and annotation.end <= quote.end
        ]
        if holding:
            # The innermost: words quoted inside the writer's report of what was said (a partial quote
            # inside an indirect one) stand in the partial quote, the one other articles quote too.
            covering[annotation.pk] = min(holding, key=lambda quote: (quote.end - quote.start, quote.pk))
    clusters = {q.cluster_id for q in covering.values() if q.cluster_id is not None}
    appearances: dict[int, tuple[Article, ...]] = {}
    if known is not None:
        appearances = {cluster: known[cluster] for cluster in clusters if cluster in known}
        clusters -= appearances.keys()
    if clusters:
        # One row per article of each cluster (its first quote there), ranked in the cluster as
        # APPEARANCE_ORDER ranks its quotes, and only the first MAX_APPEARANCES: the rows read do not
        # grow with the cluster, as a line quoted by thousands of articles would make them.
        # The first quote of each article is its smallest id: a GROUP BY over the clusters' members
        # (read once through the cluster index), not a correlated NOT EXISTS per member, which SQLite
        # answered by reading every earlier member of the cluster again (quadratic in its size).
        rank = Window(
            RowNumber(),
            partition_by=F("cluster_id"),
            order_by=[
                F("article__published_at").asc(nulls_last=True),
                F("article__ingested_at").asc(),
                F("first").asc(),
            ],
        )
        rows = (
            Quote.objects.filter(cluster_id__in=clusters)
            .values(
                "cluster_id",
                "article_id",
                "article__url",
                "article__title",
                "article__published_at",
                "article__ingested_at",
            )
            .annotate(first=Min("id"))
            .annotate(rank=rank)
            .filter(rank__lte=MAX_APPEARANCES)
            .order_by("cluster_id", "rank")
        )
        read: dict[int, list[Article]] = {cluster: [] for cluster in clusters}
        for row in rows:
            read[row["cluster_id"]].append(
                Article(
                    pk=row["article_id"],
                    url=row["article__url"],
                    title=row["article__title"],
                    published_at=row["article__published_at"],
                    ingested_at=row["article__ingested_at"],
                )
            )
        for cluster, articles in read.items():
            appearances[cluster] = tuple(articles)
        if known is not None:
            known.update((cluster, appearances[cluster]) for cluster in read)
            while len(known) > KNOWN_CLUSTERS:
                del known[next(iter(known))]  # the one read longest ago
    result = {}
    for pk, claim in claims.items():
        quote = covering.get(claim.annotation_id)
        if quote is not None:
            result[pk] = QuotedIn(speaker=quote.speaker, appearances=appearances.get(quote.cluster_id, ()))
    return result


def _creative_work(article: Article, *, with_text: bool) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if article.url:
        work["url"] = article.url
    if with_text and article.title:
        work["headline"] = article.title
    if article.published_at:
        work["datePublished"] = _date(article.published_at)
    return work


def _author(speaker: Speaker) -> dict[str, Any]:
    kind = "Organization" if speaker.kind == SpeakerKind.ORGANIZATION else "Person"
    return {"@type": kind, "name": speaker.name}


def claim_review(
    fact_check: FactCheck,
    *,
    options: ExportOptions | None = None,
    context: bool = True,
    quoted: QuotedIn | None = None,
) -> dict:
    """A published fact-check as ClaimReview. Reads ``claim``, ``claim.claimant``, ``claim.article`` and
    ``claim.annotation``: select them with the fact-check. ``quoted`` (from ``quoted_in``): the quote the
    claim stands in. Without a claimant, its speaker is the claim's author; when other articles quote the
    same words, ``firstAppearance`` is the earliest of them, its date the claim's ``datePublished``, and
    ``appearance`` lists them all, this article first."""
    with_text = options.with_text if options is not None else True
    claim = fact_check.claim
    article = claim.article
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant is not None:
        item["author"] = _author(claim.claimant)
    elif quoted is not None and quoted.speaker is not None:
        # The reviewed quote's own speaker, even when its cluster's quotes name others: the fact-check is
        # about this attribution of the words.
        item["author"] = _author(quoted.speaker)
    # When the claim was made: words other articles quoted earlier were made public on their first
    # appearance (the earliest dated one, APPEARANCE_ORDER putting undated articles last).
    first = quoted.appearances[0] if quoted is not None and quoted.appearances else None
    made = first.published_at if first is not None and first.published_at else article.published_at
    if made:
        item["datePublished"] = _date(made)
    here = _creative_work(article, with_text=with_text)
    if quoted is not None and quoted.appearances:
        elsewhere = [_creative_work(a, with_text=with_text) for a in quoted.appearances if a.pk != article.pk]
        item["appearance"] = [here, *elsewhere]
        item["firstAppearance"] = _creative_work(quoted.appearances[0], with_text=with_text)
    else:
        item["appearance"] = here
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
        .select_related("claim", "claim__claimant", "claim__article", "claim__annotation")
        .defer("claim__article__text", "claim__article__raw_text", "claim__article__metadata")
    )


def write(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    stream.write(f'{{"@context":"{SCHEMA_ORG}","@graph":['.encode())
    count = 0
    known: dict[int, tuple[Article, ...]] = {}
    for chunk in keyset_chunks(published_fact_checks(selection), chunk_size=chunk_size):
        parts = []
        quoted = quoted_in(chunk, known=known)
        for fact_check in chunk:
            item = json.dumps(
                claim_review(
                    fact_check, options=selection.options, context=False, quoted=quoted.get(fact_check.pk)
                ),
                ensure_ascii=False,
            )
            parts.append(("\n" if count == 0 else ",\n") + item)
            count += 1
        stream.write("".join(parts).encode("utf-8"))
        yield len(chunk)
    stream.write(b"\n]}\n")
    return {"fact_checks": count}


def sizes(selection: Selection) -> dict[str, int]:
    """The reviews the graph will hold (what its writer yields in all), counted up front."""
    return {"fact_checks": published_fact_checks(selection).count()}


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [(MAIN, lambda stream: write(selection, stream, chunk_size=chunk_size))]
