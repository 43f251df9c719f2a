"""The W3C export: one AnnotationCollection in JSON-LD, written as it streams.

Annotations are mapped as ``annotations.w3c.to_w3c`` (the API's mapping) maps them, from plain rows
read as they stream (the tests hold the two to the same output), with a body per fact-check of a claim
on them (purpose ``assessing``); quotes follow as annotations of their own (motivation
``identifying``, the speaker as body). Terms W3C lacks come from our small context, served with the
static files. With ``text="none"`` the TextQuoteSelector (exact, prefix, suffix) is left out and the
TextPositionSelector remains.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import datetime, timedelta
from functools import cache
from typing import Any, BinaryIO

from django.conf import settings
from django.urls import reverse

from config.site import site_url
from corpus.models import SpeakerKind

from .. import w3c
from ..models import AnnotationTarget
from .claimreview import VERDICT_WORDS, rating
from .dataset import Stream, row_blocks, tagged_blocks
from .records import Rfc3339, encode, layer_of, rfc3339
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
    return site_url() + prefix + CONTEXT_FILE if not prefix.startswith("http") else prefix + CONTEXT_FILE


def contexts() -> list[str]:
    return [w3c.CONTEXT, context_iri()]


_MARK = 918273645


@cache
def _iri_parts(name: str, site: str) -> tuple[str, str]:
    head, _, tail = (site + reverse(name, args=[_MARK])).partition(str(_MARK))
    return head, tail


class _Links:
    """What every document of one export links to, worked out once: ``reverse`` once per URL name, not
    once per item (it dominates a large export otherwise), and the settings read once."""

    def __init__(self):
        self.contexts = contexts()
        site = site_url()
        self.article = _iri_parts("api:article-detail", site)
        self.annotation = _iri_parts("api:w3c-annotation-detail", site)
        self.quote = _iri_parts("api:quote-detail", site)
        self.paragraph = _iri_parts("api:paragraph-detail", site)
        self.speaker = _iri_parts("api:speaker-detail", site)
        self.fact_check = _iri_parts("api:factcheck-detail", site)
        self.cluster = _iri_parts("api:quote-cluster-detail", site)
        self.project = _iri_parts("api:project-detail", site)


def _link(parts: tuple[str, str], pk: int) -> str:
    return f"{parts[0]}{pk}{parts[1]}"


def _timestamp(value: datetime | str) -> str:
    """``annotations.w3c``'s RFC 3339 time (UTC, whole seconds) of a timestamp as it comes: read through
    ``Rfc3339`` (text: PostgreSQL's written, SQLite's cut) or a datetime (the API's instances), formatted
    without ``strftime`` when it is in UTC."""
    if isinstance(value, datetime) and value.utcoffset() == _ZERO and value.year >= 1000:
        return value.isoformat(timespec="seconds")[:19] + "Z"
    return rfc3339(value)


_ZERO = timedelta(0)


_SPEAKER_TYPES = {
    SpeakerKind.PERSON: "Person",
    SpeakerKind.ORGANIZATION: "Organization",
    SpeakerKind.GROUP: "Group",
    SpeakerKind.ANONYMOUS: "AnonymousSource",
}


def _fact_check_body(
    links: _Links, claim_text: str, pk: int, verdict: str, rationale: str, status: str
) -> dict[str, Any]:
    return {
        "id": _link(links.fact_check, pk),
        "type": "ClaimReview",
        "purpose": "assessing",
        "claimReviewed": claim_text,
        "verdict": verdict,
        "reviewRating": rating(verdict),
        "rationale": rationale,
        "status": status,
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


# The rows the documents are made from; see annotation_document and quote_document.
ANNOTATION_COLUMNS = (
    "id", "article_id", "target", "start", "end", "exact", "prefix", "suffix", "paragraph__start",
    "paragraph__end", "quote__start", "quote__end", "paragraph_id", "quote_id", "author__username", "rule",
    Rfc3339("created_at"), Rfc3339("updated_at"), "note", "project_id", "curated", "tags__slug",
)  # fmt: skip
CLAIM_COLUMNS = (
    "annotation_id", "text", "fact_check__id", "fact_check__verdict", "fact_check__rationale",
    "fact_check__status",
)  # fmt: skip
QUOTE_COLUMNS = (
    "id", "article_id", "exact", "start", "end", Rfc3339("created_at"), Rfc3339("updated_at"), "kind",
    "speaker_mention", "cue",
    "origin", "verified", "via_id", "speaker_id", "speaker__name", "speaker__kind", "cluster_id",
    "cluster_fixed",
)  # fmt: skip


def annotation_document(
    row: tuple, slugs: list[str], claims: list[tuple], options: ExportOptions, links: _Links | None = None
) -> dict[str, Any]:
    """An annotation (a row of ANNOTATION_COLUMNS, its tags sorted and its claims as rows of
    CLAIM_COLUMNS) as a W3C Web Annotation, with a ClaimReview body per fact-checked claim on it. The one
    mapping: the API's ``annotations.w3c.to_w3c`` makes the row from an instance and calls this.

    A paragraph or quote annotation's target is that paragraph or quote: the SpecificResource's ``id`` is
    its IRI, beside the selectors of its words in the article."""
    (
        pk, article_id, target, start, end, exact, prefix, suffix, paragraph_start, paragraph_end,
        quote_start, quote_end, paragraph_id, quote_id, username, rule, created_at, updated_at, note,
        project_id, curated,
    ) = row  # fmt: skip
    links = links or _Links()
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": slug} for slug in slugs
    ]
    if note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain"})
    for _, claim_text, fact_check_id, verdict, rationale, status in claims:
        if fact_check_id is not None:
            bodies.append(_fact_check_body(links, claim_text, fact_check_id, verdict, rationale, status))
    source = _link(links.article, article_id)
    span = {
        AnnotationTarget.SPAN: (start, end),
        AnnotationTarget.PARAGRAPH: (paragraph_start, paragraph_end),
        AnnotationTarget.QUOTE: (quote_start, quote_end),
    }.get(target)
    selected: Any = source
    if span is not None:
        words: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
        if prefix:
            words["prefix"] = prefix
        if suffix:
            words["suffix"] = suffix
        selectors: list[dict[str, Any]] = [words]
        if span[0] is not None:
            selectors.append({"type": "TextPositionSelector", "start": span[0], "end": span[1]})
        selected = {"type": "SpecificResource", "source": source, "selector": selectors}
        if target == AnnotationTarget.PARAGRAPH and paragraph_id is not None:
            selected = {"id": _link(links.paragraph, paragraph_id), **selected}
        elif target == AnnotationTarget.QUOTE and quote_id is not None:
            selected = {"id": _link(links.quote, quote_id), **selected}
    if username is not None:
        creator: dict[str, Any] = {
            "type": "Person",
            "nickname": options.author(username) if username else username,
        }
    else:
        creator = {"type": "Software", "name": rule or "newsdesk pipeline"}
    document = {
        "@context": links.contexts,
        "id": _link(links.annotation, pk),
        "type": "Annotation",
        "motivation": _motivation(bodies),
        "created": _timestamp(created_at),
        "modified": _timestamp(updated_at),
        "creator": creator,
        "body": bodies[0] if len(bodies) == 1 else bodies,
        "target": _redact_target(selected, options),
    }
    if project_id is not None:
        # An annotation project's layer, as the JSONL's ``project``/``layer`` (none on the shared desk).
        document["annotationProject"] = _link(links.project, project_id)
        document["layer"] = layer_of(project_id, curated)
    return document


def quote_document(row: tuple, options: ExportOptions, links: _Links | None = None) -> dict[str, Any]:
    """A quote (a row of QUOTE_COLUMNS) as an annotation of its own, the speaker as its body.

    The one function a W3C export calls for every quote: the links and timestamps are written here
    rather than by ``_link`` and ``_timestamp``, a call each saved."""
    (
        pk, article_id, exact, start, end, created_at, updated_at, kind, speaker_mention, cue, origin,
        verified, via_id, speaker_id, speaker_name, speaker_kind, cluster_id, cluster_fixed,
    ) = row  # fmt: skip
    links = links or _Links()
    article = links.article
    source = f"{article[0]}{article_id}{article[1]}"
    if start is not None:
        position = {"type": "TextPositionSelector", "start": start, "end": end}
        if exact and options.with_text:
            selectors = [{"type": "TextQuoteSelector", "exact": exact}, position]
        else:
            selectors = [position]
        target: Any = {"type": "SpecificResource", "source": source, "selector": selectors}
    elif exact and options.with_text:
        selectors = [{"type": "TextQuoteSelector", "exact": exact}]
        target = {"type": "SpecificResource", "source": source, "selector": selectors}
    else:
        target = source
    # Read through Rfc3339 on PostgreSQL, the timestamps come written; otherwise _timestamp writes them.
    if created_at.__class__ is not str or len(created_at) != 20 or created_at[10] != "T":
        created_at = _timestamp(created_at)
    if updated_at.__class__ is not str or len(updated_at) != 20 or updated_at[10] != "T":
        updated_at = _timestamp(updated_at)
    quote = links.quote
    document: dict[str, Any] = {
        "@context": links.contexts,
        "id": f"{quote[0]}{pk}{quote[1]}#annotation",
        "type": "Annotation",
        "motivation": "identifying",
        "created": created_at,
        "modified": updated_at,
        "quoteKind": kind,
        "speakerMention": speaker_mention,
        "cue": cue,
        "origin": origin,
        "verified": bool(verified),
    }
    speaker = links.speaker
    if via_id is not None:
        document["relayedBy"] = f"{speaker[0]}{via_id}{speaker[1]}"
    if cluster_id is not None:
        # The same words in other articles; a quote that stands alone has no such link.
        cluster = links.cluster
        document["quoteCluster"] = f"{cluster[0]}{cluster_id}{cluster[1]}"
    # Whether an editor put the quote in its cluster or took it out (the JSONL's ``cluster_fixed``):
    # always said, as ``verified`` is, since a quote taken out of every cluster names none.
    document["clusterFixed"] = bool(cluster_fixed)
    if speaker_id is not None:
        document["body"] = {
            "id": f"{speaker[0]}{speaker_id}{speaker[1]}",
            "type": _SPEAKER_TYPES[speaker_kind],
            "name": speaker_name,
            "speakerKind": speaker_kind,
            "purpose": "identifying",
        }
    document["target"] = target
    return document


def _annotation_documents(selection: Selection, size: int) -> Iterator[list[dict[str, Any]]]:
    """Two queries: the annotations with their tags, and the claims on them (fact-checked or not, as the
    selection has them) in annotation order."""
    options = selection.options
    # Unconverted: only the timestamps would be, and _timestamp takes them as they come.
    rows = row_blocks(selection.annotations.values_list(*ANNOTATION_COLUMNS), size=size, convert=False)
    claims = Stream(
        selection.claims.filter(annotation__isnull=False)
        .order_by("annotation_id", "id")
        .values_list(*CLAIM_COLUMNS)
    )
    no_claims: list[tuple] = []
    links = _Links()
    for tagged in tagged_blocks(rows, size=size):
        by_annotation = claims.upto(tagged[-1][0][0])
        yield [
            annotation_document(row, slugs, by_annotation.get(row[0], no_claims), options, links)
            for row, slugs in tagged
        ]


def _quote_documents(selection: Selection, size: int) -> Iterator[list[dict[str, Any]]]:
    options, links = selection.options, _Links()
    # Unconverted: only the timestamps, ``verified`` and ``cluster_fixed`` would be (SQLite), and are done here.
    quotes = selection.quotes.values_list(*QUOTE_COLUMNS)
    for rows in row_blocks(quotes, size=size, convert=False):
        yield [quote_document(row, options, links) for row in rows]


def write(selection: Selection, stream: BinaryIO, *, chunk_size: int) -> Generator[int, None, dict]:
    total = selection.annotations.count() + selection.quotes.count()
    opening = {
        "@context": contexts(),
        "id": site_url() + "/api/exports/w3c/",
        "type": "AnnotationCollection",
        "label": "Newsdesk annotations and quotes",
        "total": total,
    }
    stream.write(_encode(opening)[:-1] + b',"first":{"type":"AnnotationPage","startIndex":0,"items":[')
    written = {"annotations": 0, "quotes": 0}
    sources = (
        ("annotations", _annotation_documents(selection, chunk_size)),
        ("quotes", _quote_documents(selection, chunk_size)),
    )
    for name, chunks in sources:
        for documents in chunks:
            if not documents:
                continue
            if written["annotations"] + written["quotes"]:
                stream.write(b",")
            stream.write(b"\n" + b",\n".join(map(_encode, documents)))
            written[name] += len(documents)
            yield len(documents)
    stream.write(b"\n]}}\n")
    return written


# The bytes of json.dumps(document, ensure_ascii=False, separators=(",", ":")), as for the JSONL.
_encode = encode


def sizes(selection: Selection) -> dict[str, int]:
    """The documents the collection will hold (what its writer yields in all), counted up front."""
    return {"annotations": selection.annotations.count(), "quotes": selection.quotes.count()}


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [(MAIN, lambda stream: write(selection, stream, chunk_size=chunk_size))]


__all__ = ["VERDICT_WORDS", "annotation_document", "entries", "quote_document", "sizes"]
