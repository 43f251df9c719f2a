"""Articles sent as bytes (an API request body, an admin upload or paste), read exactly as ``manage.py
ingest`` reads a file of that kind."""

from __future__ import annotations

from django.conf import settings

from ..ingest.readers import ArticleInput, IngestError


def article_input_from_json(*, data: bytes, origin: str) -> ArticleInput:
    """The JSON ingest format received as bytes (an API request body), read exactly as a ``.json`` file
    is, so the API and ``manage.py ingest`` store the same article for the same bytes."""
    from ..ingest import readers

    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{origin}: {len(data)} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.")
    if not data.strip():
        raise IngestError(f"{origin}: field 'text' is missing or empty.")
    text = readers._decode(data, origin)
    return readers._json_record(readers._parse_json(text, origin), data, origin=origin, fmt="json")


def article_input_from_html(*, data: bytes, origin: str) -> ArticleInput:
    """An HTML page received as bytes (an API request body), read exactly as an ``.html`` file is."""
    from ..ingest.readers import html_record

    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{origin}: {len(data)} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.")
    if not data.strip():
        raise IngestError(f"{origin}: the page is empty.")
    return html_record(data, origin=origin)


def _sent_bytes_checked(data: bytes, origin: str) -> None:
    """What ``read_path`` checks of a file on disk, for bytes sent through a form."""
    if len(data) > settings.INGEST_MAX_BYTES:
        raise IngestError(f"{origin}: {len(data)} bytes is over the {settings.INGEST_MAX_BYTES}-byte limit.")
    if not data.strip():
        raise IngestError(f"{origin}: the file is empty.")
    if b"\x00" in data:
        raise IngestError(f"{origin}: the file holds NUL bytes; it looks binary, not text.")


def article_input_from_text(*, data: bytes, origin: str, meta: dict) -> ArticleInput:
    """Plain text received as bytes (pasted into the admin), read exactly as a ``.txt`` file is, with
    ``meta`` (url, source, published_at, language, external_id) as its ``.meta.json`` would give it."""
    from ..ingest import readers

    _sent_bytes_checked(data, origin)
    record = ArticleInput(raw=data, body=readers._decode(data, origin), format="txt", origin=origin)
    readers._apply_metadata(record, meta, origin=origin)
    return record


UPLOAD_SUFFIXES = (".txt", ".json", ".html", ".htm")


def article_input_from_upload(*, data: bytes, name: str, meta: dict) -> ArticleInput:
    """An uploaded file, read as ``manage.py ingest`` reads a file of that name; ``meta`` given beside it
    wins over what the file says, as a ``.meta.json`` beside a file does."""
    from ..ingest import readers

    suffix = ("." + name.rsplit(".", 1)[1].lower()) if "." in name else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise IngestError(
            f"{name}: unsupported file type {suffix or '(none)'}; use .txt, .json or .html "
            "(a .jsonl file of many articles goes through manage.py ingest)."
        )
    if suffix == ".txt":
        return article_input_from_text(data=data, origin=name, meta=meta)
    _sent_bytes_checked(data, name)
    if suffix in (".html", ".htm"):
        return readers.html_record(data, origin=name, meta=meta)
    obj = readers._parse_json(readers._decode(data, name), name)
    return readers._json_record({**obj, **meta}, data, origin=name, fmt="json")
