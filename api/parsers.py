"""Request bodies the API reads: JSON no larger than the request limit, no deeper than a document needs,
and only Unicode text, each refused with an answer that says what to change."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers, status
from rest_framework.utils.json import strict_constant

# No document of this API nests deeper than a few levels (a W3C annotation's selector refining a selector is
# the deepest); a deeper one is refused before any code walks it recursively.
MAX_JSON_DEPTH = 32


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def request_too_large(size: int | None = None) -> RequestTooLarge:
    """The 413 answer, naming the limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``, which follows ``INGEST_MAX_BYTES``)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    sent = f"{size} bytes" if size is not None else f"more than {limit} bytes"
    return RequestTooLarge(
        f"The request body is {sent}; the limit is {limit} bytes ({limit / 1024**2:g} MiB, set by "
        "INGEST_MAX_BYTES). Send less, or ingest larger articles with manage.py ingest."
    )


def _declared_length(parser_context: dict | None) -> int | None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None


def read_limited(stream, parser_context: dict | None) -> bytes:
    """At most the request limit of the body: a declared length over it is refused before reading."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    declared = _declared_length(parser_context)
    if limit is not None and declared is not None and declared > limit:
        raise request_too_large(declared)
    data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise request_too_large()
    return data


def check_json(value: Any) -> None:
    """Refuse a document nested deeper than ``MAX_JSON_DEPTH`` or holding a lone surrogate (``"\\ud800"`` is
    valid JSON but no Unicode text: no database or file can store it). Iterative, so depth costs no stack."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                at = next(i for i, char in enumerate(item) if "\ud800" <= char <= "\udfff")
                raise exceptions.ParseError(
                    f"JSON parse error - the string at {path or 'the top'} holds a lone surrogate "
                    f"(\\u{ord(item[at]):04x} at character {at}), which is not Unicode text; fix the escape "
                    "or send the character itself."
                )
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(item, dict):
            for key, child in item.items():
                if not _encodable(key):
                    raise exceptions.ParseError(
                        f"JSON parse error - a field name in {path or 'the top'} holds a lone surrogate, "
                        "which is not Unicode text."
                    )
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        else:
            stack.extend((child, f"{path}[{index}]", depth + 1) for index, child in enumerate(item))


def _too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(
        f"JSON parse error - the document is nested too deeply (more than {MAX_JSON_DEPTH} levels)."
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser within the request limit, refusing what ``check_json`` refuses."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = read_limited(stream, parser_context)
        encoding = parsers.get_encoding(parser_context or {})
        parse_constant = strict_constant if self.strict else None
        try:
            value = json.loads(data.decode(encoding), parse_constant=parse_constant)
        except RecursionError:
            raise _too_deep() from None
        except (ValueError, LookupError) as exc:  # UnicodeDecodeError is a ValueError
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        check_json(value)
        return value
