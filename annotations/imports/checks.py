"""Checks of one record's fields. A check that fails calls the record's ``Failure``, which raises a
``DatasetError`` naming the record, the field and what is wrong."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError

from .matching import Match, ParagraphRef, QuoteRef
from .reading import DatasetError

# What a malformed record can raise while it is checked; anything else is a bug and stops the import.
RECORD_ERRORS = (DatasetError, DjangoValidationError, KeyError, TypeError, ValueError, AttributeError)


class Failure:
    """Raises the error of one field of the record from ``origin``."""

    def __init__(self, origin: str):
        self.origin = origin

    def __call__(self, field: str, message: str):
        raise DatasetError(f"{self.origin}: field {field!r}: {message}; nothing of this article was written.")


def describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"field {exc.args[0]!r} is missing"
    if isinstance(exc, DjangoValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def as_text(value, default: str = "") -> str:
    """What a text column gets: the default for an empty value, the string of anything else."""
    if type(value) is str:
        return value or default
    return str(value) if value else default


def size(value) -> int:
    return len(value) if isinstance(value, list) else 0


def alias_phrases(phrases: list[str]) -> dict[str, str]:
    return {p.casefold().strip(): p for p in phrases if p.strip()}


def cut(text: str, paragraph: dict | None) -> str:
    if paragraph is None:
        return ""
    return text[paragraph["start"] : paragraph["end"]]


def span_words(text: str, start, end, words: str | None, where: str, field: str, fail) -> str:
    """The words at ``text[start:end]``, once the offsets are checked to be a span of ``text`` and
    ``words``, when the record gives them (its ``field``), to be those words; ``fail`` raises if not."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        fail(f"{where}.start", f"offsets {start}-{end} are not a span of the text")
    found = text[start:end]
    if words is not None and found != words:
        fail(f"{where}.{field}", f"does not match text[{start}:{end}]")
    return found


def paragraph_for(item, exact, text, paragraphs: dict[int, ParagraphRef], fail, where) -> ParagraphRef:
    """The paragraph a paragraph annotation names by position, else the first with its words."""
    position = item.get("paragraph")
    if position is not None and position in paragraphs:
        return paragraphs[position]
    if exact is None:
        fail(
            f"{where}.exact",
            "a paragraph annotation with neither its paragraph's position (paragraph) nor its words (exact) cannot be placed",
        )
    for paragraph in sorted(paragraphs.values(), key=lambda p: p.position):
        if text[paragraph.start : paragraph.end] == exact:
            return paragraph
    fail(f"{where}.exact", "no paragraph of the article has these words")


def quote_for(item, exact, text, quotes: dict, match: Match | None, fail, where) -> QuoteRef:
    """The quote a quote annotation names by its exported id, else the first with its words."""
    if item.get("quote") is not None and item["quote"] in quotes:
        return quotes[item["quote"]]
    if exact is None:
        fail(
            f"{where}.exact",
            "a quote annotation with neither its quote's id (quote) nor its words (exact) cannot be placed",
        )
    held = match.quote_list if match is not None else []
    candidates = sorted(
        {q.id: q for q in [*quotes.values(), *held]}.values(),
        key=lambda q: (q.start if q.start is not None else -1, q.end or -1, q.id),
    )
    for quote in candidates:
        if quote.words(text) == exact:
            return quote
    fail(f"{where}.exact", "no quote of the article has these words")


def parse_datetime(value, fail, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        fail(field, f"{value!r} is not an RFC 3339 date-time")
    if parsed.tzinfo is None:
        fail(field, f"{value!r} has no time zone")
    return parsed
