"""Annotations as W3C Web Annotations (JSON-LD), and back.

Pure functions: ``to_w3c`` reads an annotation already in memory (tags prefetched; paragraph and
quote selected for whole-paragraph and quote targets), ``from_w3c`` checks a payload and returns
keyword arguments for the annotation services. The API container and the exports share them.

Tags are ``TextualBody`` bodies with purpose ``tagging`` (value: the slug), the note one with purpose
``commenting``. Spans are ``TextPositionSelector`` (code points, like every offset here) plus a
``TextQuoteSelector`` with the context that re-anchors them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from config.site import site_url

from .exports.selection import ExportOptions
from .models import Annotation, AnnotationTarget, Claim, FactCheckStatus

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'
_IRI = URLValidator(schemes=["http", "https", "urn", "mailto", "tag", "ftp"])
_ARTICLE_PATH = re.compile(r"^/api/articles/(\d+)/?$")
_DATE_PROPERTIES = ("created", "modified", "generated")
_IRI_PROPERTIES = ("via", "canonical")


class W3CError(ValueError):
    """A payload this container refuses; ``field`` names the offending property."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


# What to_w3c reads of an annotation's claims, prefetched.
W3C_CLAIMS = Prefetch("claims", queryset=Claim.objects.select_related("fact_check").order_by("id"))


def annotation_iri(pk: int) -> str:
    return site_url() + reverse("api:w3c-annotation-detail", args=[pk])


def container_iri() -> str:
    return site_url() + reverse("api:w3c-annotation-list")


def article_iri(pk: int) -> str:
    return site_url() + reverse("api:article-detail", args=[pk])


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_w3c(annotation: Annotation, *, drafts: bool = False) -> dict[str, Any]:
    """The annotation as a W3C Web Annotation: the export's mapping (``exports.w3c.annotation_document``),
    so that an annotation reads the same from the API and from an export, ClaimReview bodies included.

    ``annotation`` comes with its tags, author, paragraph and quote, and its claims with their
    fact-checks (``selectors.annotation_list(...).prefetch_related(W3C_CLAIMS)``); ``drafts``: the
    reader sees fact-checks that are not published yet.
    """
    from .exports.w3c import annotation_document

    paragraph, quote = annotation.paragraph, annotation.quote
    row = (
        annotation.pk, annotation.article_id, annotation.target, annotation.start, annotation.end,
        annotation.exact, annotation.prefix, annotation.suffix,
        paragraph.start if paragraph else None, paragraph.end if paragraph else None,
        quote.start if quote else None, quote.end if quote else None,
        annotation.paragraph_id, annotation.quote_id,
        annotation.author.username if annotation.author else None, annotation.rule,
        annotation.created_at, annotation.updated_at, annotation.note, annotation.project_id,
        annotation.curated,
    )  # fmt: skip
    claims = []
    for claim in annotation.claims.all():
        check = getattr(claim, "fact_check", None)
        if check is not None and (drafts or check.status == FactCheckStatus.PUBLISHED):
            claims.append((annotation.pk, claim.text, check.pk, check.verdict, check.rationale, check.status))
    slugs = sorted(tag.slug for tag in annotation.tags.all())
    return annotation_document(row, slugs, claims, ExportOptions())


# --- Reading a payload -------------------------------------------------------------------


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _check_iri(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise W3CError(field, f"{field} must be an IRI string.")
    try:
        _IRI(value)
    except DjangoValidationError:
        raise W3CError(field, f"{field} {value!r} is not an absolute IRI.") from None
    return value


def _check_envelope(payload: dict[str, Any]) -> None:
    context = payload.get("@context")
    if CONTEXT not in _as_list(context):
        raise W3CError("@context", f'@context must be "{CONTEXT}" or a list holding it.')
    if "Annotation" not in _as_list(payload.get("type")):
        raise W3CError("type", 'type must be "Annotation".')
    if "id" in payload:
        _check_iri("id", payload["id"])
    for name in _DATE_PROPERTIES:
        if name in payload:
            value = payload[name]
            if not isinstance(value, str) or parse_datetime(value) is None:
                raise W3CError(name, f"{name} must be one date-time (RFC 3339, e.g. 2024-05-01T12:00:00Z).")
    for name in _IRI_PROPERTIES:
        if name in payload:
            _check_iri(name, payload[name])
    if "rights" in payload:
        for value in _as_list(payload["rights"]):
            _check_iri("rights", value)
    for name in ("creator", "generator"):
        for agent in _as_list(payload.get(name, [])):
            if isinstance(agent, str):
                _check_iri(name, agent)
            elif not isinstance(agent, dict):
                raise W3CError(name, f"{name} must be an IRI or an object describing the agent.")
    for motivation in _as_list(payload.get("motivation", [])):
        if not isinstance(motivation, str):
            raise W3CError("motivation", "motivation must be a string or a list of strings.")


def _read_bodies(payload: dict[str, Any]) -> tuple[list[str], str]:
    if "body" in payload and "bodyValue" in payload:
        raise W3CError("body", "send body or bodyValue, not both.")
    if "bodyValue" in payload:
        value = payload["bodyValue"]
        if not isinstance(value, str):
            raise W3CError("bodyValue", "bodyValue must be one string.")
        return [], value
    tags: list[str] = []
    notes: list[str] = []
    for body in _as_list(payload.get("body", [])):
        if isinstance(body, dict) and body.get("type") == "ClaimReview":
            continue  # made from the fact-checks of the annotation's claims: read, never written here
        if not isinstance(body, dict):
            raise W3CError(
                "body", "only embedded TextualBody bodies can be stored, not references to other resources."
            )
        if body.get("type", "TextualBody") != "TextualBody" or not isinstance(body.get("value"), str):
            raise W3CError("body", 'each body must be {"type": "TextualBody", "value": "..."}.')
        for name in ("id", "source"):
            if name in body:
                _check_iri(f"body.{name}", body[name])
        if "textDirection" in body and body["textDirection"] not in ("ltr", "rtl", "auto"):
            raise W3CError("body.textDirection", "textDirection is one of ltr, rtl, auto.")
        purposes = _as_list(body.get("purpose", "commenting"))
        if "tagging" in purposes:
            tags.append(body["value"])
        else:
            notes.append(body["value"])
    return tags, "\n\n".join(notes)


def _article_id(source: Any) -> int:
    _check_iri("target.source", source)
    site = site_url()
    if source.startswith(site):
        match = _ARTICLE_PATH.match(source[len(site) :].split("?")[0])
        if match:
            return int(match.group(1))
    raise W3CError("target", f"the target must be an article of this site: {site}/api/articles/<id>/.")


def _read_target(payload: dict[str, Any]) -> dict[str, Any]:
    if "target" not in payload:
        raise W3CError("target", "an annotation needs a target.")
    targets = _as_list(payload["target"])
    if len(targets) != 1:
        raise W3CError("target", "give exactly one target.")
    target = targets[0]
    if isinstance(target, str):
        return {"article_id": _article_id(target), "target": AnnotationTarget.ARTICLE}
    if not isinstance(target, dict):
        raise W3CError("target", "target must be an IRI or a SpecificResource.")
    if target.get("type", "SpecificResource") != "SpecificResource" or "source" not in target:
        raise W3CError("target", "target must be a SpecificResource with a source.")
    kwargs: dict[str, Any] = {"article_id": _article_id(target["source"]), "target": AnnotationTarget.ARTICLE}
    selectors = _as_list(target.get("selector", []))
    for selector in selectors:
        if not isinstance(selector, dict):
            raise W3CError("target.selector", "a selector must be an object.")
        kind = selector.get("type")
        if kind == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or start < 0:
                raise W3CError(
                    "target.selector", "TextPositionSelector needs non-negative integer start and end."
                )
            kwargs.update(target=AnnotationTarget.SPAN, start=start, end=end)
        elif kind == "TextQuoteSelector":
            parts = {k: selector.get(k, "") for k in ("exact", "prefix", "suffix")}
            if not all(isinstance(v, str) for v in parts.values()) or not parts["exact"]:
                raise W3CError(
                    "target.selector", "TextQuoteSelector needs a non-empty exact (and string prefix/suffix)."
                )
            kwargs["target"] = AnnotationTarget.SPAN
            kwargs.update(parts)
        else:
            raise W3CError(
                "target.selector",
                f"selector {kind!r} is not supported: use TextPositionSelector or TextQuoteSelector.",
            )
    return kwargs


def from_w3c(payload: Any) -> dict[str, Any]:
    """Check a W3C annotation and return keyword arguments for the services.

    The result has ``article_id`` (the view resolves it), ``target``, ``tags`` (slugs), ``note``, and
    for spans ``start``/``end`` and/or ``exact`` with ``prefix``/``suffix`` (see :func:`quote_locate`).
    """
    if not isinstance(payload, dict):
        raise W3CError("non_field_errors", "a W3C annotation is a JSON object.")
    _check_envelope(payload)
    tags, note = _read_bodies(payload)
    return {**_read_target(payload), "tags": tags, "note": note}


# A TextQuoteSelector is looked up by stepping from one occurrence of ``exact`` to the next, so the work
# grows with the article and the number of candidates, never with their product: each candidate is scored
# on at most QUOTE_CONTEXT_CHARS of prefix and suffix, and past MAX_QUOTE_CANDIDATES the selector is refused.
MAX_QUOTE_CANDIDATES = 1000
QUOTE_CONTEXT_CHARS = 256


def quote_locate(text: str, *, exact: str, prefix: str = "", suffix: str = "") -> tuple[int, int] | None:
    """Offsets of a TextQuoteSelector in ``text``: the occurrence whose context matches best (the first of
    equals), or None. Raises ``W3CError`` when ``exact`` occurs in more than ``MAX_QUOTE_CANDIDATES`` places
    and its context is not found whole."""
    prefix, suffix = prefix[-QUOTE_CONTEXT_CHARS:], suffix[:QUOTE_CONTEXT_CHARS]
    if prefix or suffix:
        # The whole context found is the best score there is, and its first place the answer.
        at = text.find(prefix + exact + suffix)
        if at >= 0:
            return at + len(prefix), at + len(prefix) + len(exact)
    best: tuple[int, int] | None = None
    best_score = -1
    candidates = 0
    at = text.find(exact)
    while at >= 0:
        candidates += 1
        if candidates > MAX_QUOTE_CANDIDATES:
            raise W3CError(
                "target.selector",
                f"the quoted text (exact) is found in more than {MAX_QUOTE_CANDIDATES} places in the "
                "article; say which one: quote a longer exact, add the text just before it (prefix) and "
                "just after it (suffix), or send a TextPositionSelector with its offsets.",
            )
        end = at + len(exact)
        score = _context_score(text, at, end, prefix, suffix)
        if score > best_score:
            best, best_score = (at, end), score
        at = text.find(exact, at + 1)
    return best


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of ``prefix`` end right before ``start`` and of ``suffix`` start at ``end``."""
    score = 0
    while score < len(prefix) and score < start and text[start - 1 - score] == prefix[-1 - score]:
        score += 1
    n = 0
    while n < len(suffix) and end + n < len(text) and text[end + n] == suffix[n]:
        n += 1
    return score + n
