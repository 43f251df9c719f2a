"""The W3C export: one AnnotationCollection in JSON-LD, written as it streams.

Annotations go through ``annotations.w3c.to_w3c`` (the API's mapping), with a body per fact-check of a
claim on them (purpose ``assessing``); quotes follow as annotations of their own (motivation
``identifying``, the speaker as body). Terms W3C lacks come from our small context, served with the
static files. With ``text="none"`` the TextQuoteSelector (exact, prefix, suffix) is left out and the
TextPositionSelector remains.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from functools import cache
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from corpus.models import Quote, SpeakerKind

from .. import w3c
from ..models import Annotation
from .claimreview import VERDICT_WORDS, rating
from .dataset import fact_check_of, keyset_chunks
from .selection import ExportOptions, Selection

EXTENSION = ".jsonld"
CONTENT_TYPE = w3c.MEDIA_TYPE
TABULAR = False
MAIN = "annotations.jsonld"
CONTEXT_FILE = "annotations/context.jsonld"


def context_iri() -> str:
    # The plain name, not the storage's hashed one: a context IRI must not change with its bytes
    # (collectstatic keeps the unhashed copy too).
    prefix = (
        settings.STATIC_URL if settings.STATIC_URL.startswith(("/", "http")) else "/" + settings.STATIC_URL
    )
    return (
        settings.SITE_URL + prefix + CONTEXT_FILE if not prefix.startswith("http") else prefix + CONTEXT_FILE
    )


def contexts() -> list[str]:
    return [w3c.CONTEXT, context_iri()]


_MARK = 918273645


@cache
def _iri_parts(name: str, site: str) -> tuple[str, str]:
    head, _, tail = (site + reverse(name, args=[_MARK])).partition(str(_MARK))
    return head, tail


def _iri(name: str, pk: int) -> str:
    """``reverse`` once per URL name, not once per item: it dominates a large export otherwise."""
    head, tail = _iri_parts(name, settings.SITE_URL)
    return f"{head}{pk}{tail}"


def _speaker_body(speaker, *, purpose: str) -> dict[str, Any]:
    kind = {
        SpeakerKind.PERSON: "Person",
        SpeakerKind.ORGANIZATION: "Organization",
        SpeakerKind.GROUP: "Group",
        SpeakerKind.ANONYMOUS: "AnonymousSource",
    }[SpeakerKind(speaker.kind)]
    return {
        "id": _iri("api:speaker-detail", speaker.pk),
        "type": kind,
        "name": speaker.name,
        "speakerKind": speaker.kind,
        "purpose": purpose,
    }


def _fact_check_body(claim, fact_check) -> dict[str, Any]:
    return {
        "id": _iri("api:factcheck-detail", fact_check.pk),
        "type": "ClaimReview",
        "purpose": "assessing",
        "claimReviewed": claim.text,
        "verdict": fact_check.verdict,
        "reviewRating": rating(fact_check.verdict),
        "rationale": fact_check.rationale,
        "status": fact_check.status,
    }


def _redact_target(target: Any, options: ExportOptions) -> Any:
    if options.with_text or not isinstance(target, dict):
        return target
    selectors = [s for s in target.get("selector", []) if s.get("type") != "TextQuoteSelector"]
    if not selectors:
        return target["source"]
    return {**target, "selector": selectors}


def _motivation(bodies: list[dict]) -> str | list[str]:
    purposes = sorted({body["purpose"] for body in bodies if "purpose" in body})
    return purposes[0] if len(purposes) == 1 else purposes


def annotation_document(annotation: Annotation, options: ExportOptions) -> dict[str, Any]:
    document = w3c.to_w3c(annotation)
    bodies = document["body"] if isinstance(document["body"], list) else [document["body"]]
    for claim in annotation.claims.all():
        fact_check = fact_check_of(claim)
        if fact_check is not None:
            bodies.append(_fact_check_body(claim, fact_check))
    document["@context"] = contexts()
    document["motivation"] = _motivation(bodies) if bodies else document["motivation"]
    document["body"] = bodies[0] if len(bodies) == 1 else bodies
    document["target"] = _redact_target(document["target"], options)
    creator = document.get("creator", {})
    if creator.get("nickname"):
        document["creator"] = {**creator, "nickname": options.author(creator["nickname"])}
    return document


def quote_document(quote: Quote, options: ExportOptions) -> dict[str, Any]:
    source = _iri("api:article-detail", quote.article_id)
    selectors: list[dict[str, Any]] = []
    if options.with_text and quote.exact:
        selectors.append({"type": "TextQuoteSelector", "exact": quote.exact})
    if quote.start is not None:
        selectors.append({"type": "TextPositionSelector", "start": quote.start, "end": quote.end})
    target: Any = (
        {"type": "SpecificResource", "source": source, "selector": selectors} if selectors else source
    )
    document: dict[str, Any] = {
        "@context": contexts(),
        "id": _iri("api:quote-detail", quote.pk) + "#annotation",
        "type": "Annotation",
        "motivation": "identifying",
        "created": w3c._timestamp(quote.created_at),
        "modified": w3c._timestamp(quote.updated_at),
        "quoteKind": quote.kind,
        "speakerMention": quote.speaker_mention,
        "cue": quote.cue,
        "origin": quote.origin,
        "verified": quote.verified,
    }
    if quote.via is not None:
        document["relayedBy"] = _iri("api:speaker-detail", quote.via_id)
    if quote.speaker is not None:
        document["body"] = _speaker_body(quote.speaker, purpose="identifying")
    document["target"] = target
    return document


def _annotations(selection: Selection):
    return selection.annotations.select_related("author", "paragraph", "quote").prefetch_related(
        "tags",
        Prefetch("claims", queryset=selection.claims.select_related("fact_check")),
    )


def _quotes(selection: Selection):
    return selection.quotes.select_related("speaker")


def write(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    options = selection.options
    total = selection.annotations.count() + selection.quotes.count()
    opening = {
        "@context": contexts(),
        "id": settings.SITE_URL + "/api/exports/w3c/",
        "type": "AnnotationCollection",
        "label": "Newsdesk annotations and quotes",
        "total": total,
    }
    head = (
        json.dumps(opening, ensure_ascii=False)[:-1]
        + ',"first":{"type":"AnnotationPage","startIndex":0,"items":['
    )
    stream.write(head.encode("utf-8"))
    written = {"annotations": 0, "quotes": 0}
    sources = (
        ("annotations", _annotations(selection), annotation_document),
        ("quotes", _quotes(selection), quote_document),
    )
    for name, queryset, build in sources:
        for chunk in keyset_chunks(queryset, chunk_size=chunk_size):
            parts = []
            for item in chunk:
                first = written["annotations"] + written["quotes"] == 0
                parts.append(
                    ("\n" if first else ",\n") + json.dumps(build(item, options), ensure_ascii=False)
                )
                written[name] += 1
            stream.write("".join(parts).encode("utf-8"))
            yield len(chunk)
    stream.write(b"\n]}}\n")
    return written


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [(MAIN, lambda stream: write(selection, stream, chunk_size=chunk_size))]


__all__ = ["VERDICT_WORDS", "annotation_document", "entries", "quote_document"]
