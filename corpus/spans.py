"""Checking and describing spans of ``Article.text`` (code-point offsets)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

CONTEXT_CHARS = 32


def span_validate(*, text: str, start: int | None, end: int | None, exact: str | None = None) -> str:
    """Return the text of ``text[start:end]``, refusing offsets out of range or a mismatched ``exact``.

    ``exact`` may be omitted (``None`` or ``""``): it is then derived from the offsets.
    """
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = "A span needs a start offset."
    if end is None:
        errors["end"] = "A span needs an end offset."
    if errors:
        raise ValidationError(errors, code="required")
    assert start is not None and end is not None
    if start < 0:
        raise ValidationError({"start": f"start={start} is negative."}, code="out_of_range")
    if end > len(text):
        raise ValidationError(
            {"end": f"end={end} is past the end of the text ({len(text)} code points)."}, code="out_of_range"
        )
    if start >= end:
        raise ValidationError({"end": f"end={end} must be greater than start={start}."}, code="empty_span")
    actual = text[start:end]
    if exact and exact != actual:
        raise ValidationError(
            {"exact": f"exact does not match text[{start}:{end}]: expected {actual!r}, got {exact!r}."},
            code="exact_mismatch",
        )
    return actual


def span_context(*, text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The prefix and suffix around a span, for re-anchoring (a W3C TextQuoteSelector)."""
    return text[max(0, start - size) : start], text[end : end + size]
