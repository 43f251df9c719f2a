"""Readers: files on disk -> ``ArticleInput`` records, or a clear error naming the file.

A reader never touches the database. Each record keeps the exact bytes it came
from (``raw``), which become ``Article.raw_text`` and ``content_hash``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware

from ..weburls import is_web_url, web_url_problem
from .html import HtmlError, decode_html, extract_html

SUPPORTED_SUFFIXES = (".txt", ".json", ".jsonl", ".html", ".htm")
METADATA_FIELDS = ("url", "source", "published_at", "language", "external_id")
JSON_FIELDS = ("title", "text", *METADATA_FIELDS)


class IngestError(Exception):
    """Bad input. The message names the file (and line) and says what to do."""


@dataclass(slots=True)
class ArticleInput:
    raw: bytes  # exactly as received: the whole .txt file, the .json file, or one .jsonl line
    body: str  # the text the pipeline reads
    title: str | None = None
    url: str | None = None
    source: str | None = None
    external_id: str = ""
    published_at: datetime | None = None
    language: str | None = None
    format: str = "txt"
    origin: str = ""  # file (and line) it came from, for messages
    metadata: dict = field(default_factory=dict)
    byline: str = ""
    captions: tuple[str, ...] = ()  # blocks known to be figure captions (HTML)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def raw_text(self) -> str:
        return self.raw.decode(self.metadata.get("encoding", "utf-8"))


def iter_paths(paths: list[Path]) -> Iterator[Path]:
    """Expand folders into their supported files (sorted, recursive); files pass through as given.

    Whatever in a folder carries a supported suffix and is not a folder is listed, also a pipe or a link to
    a device, so that it is refused by name rather than skipped without a word."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix.lower() in SUPPORTED_SUFFIXES and not _is_meta(child) and not child.is_dir():
                    yield child
        else:
            yield path


def _is_meta(path: Path) -> bool:
    return path.name.endswith(".meta.json")


def read_path(path: Path, *, max_bytes: int, errors: list[IngestError] | None = None) -> list[ArticleInput]:
    """Read one file into one or more records; raise ``IngestError`` for anything unusable.

    With ``errors`` given, a bad line of a ``.jsonl`` file is added there and the file's other lines are
    still read; without it the first bad line is raised."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if not os.path.lexists(path):
            raise IngestError(f"{path}: no such file.")
        raise IngestError(
            f"{path}: unsupported file type {suffix or '(none)'}; use .txt, .json, .jsonl or .html."
        )
    data = read_file_bytes(path, max_bytes=max_bytes)
    if not data.strip():
        raise IngestError(f"{path}: the file is empty.")
    if b"\x00" in data:
        raise IngestError(f"{path}: the file holds NUL bytes; it looks binary, not text.")
    if suffix in (".html", ".htm"):
        return [_html_record(path, data, max_bytes=max_bytes)]
    text = _decode(data, str(path))
    if suffix == ".txt":
        return [_txt_record(path, data, text, max_bytes=max_bytes)]
    if suffix == ".json":
        return [_json_record(_parse_json(text, str(path)), data, origin=str(path), fmt="json")]
    return _jsonl_records(path, data, errors)


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(path: Path, mode: int) -> IngestError:
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a file")
    if os.path.islink(path):
        kind += f", through a link to {os.readlink(path)}"
    return IngestError(f"{path}: not a regular file but {kind}; ingest reads regular files only.")


def read_file_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or an ``IngestError`` naming it.

    Pipes, devices and sockets are refused before anything is read (a pipe would wait for a writer, a
    device such as /dev/zero would never end), and the file is opened without blocking and checked again
    once open, in case it was swapped meanwhile. At most ``max_bytes + 1`` bytes are read, so a file that
    grows while it is read is refused too."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file.") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read: {exc.strerror}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, info.st_mode)
    if info.st_size > max_bytes:
        raise _too_large(path, info.st_size, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read: {exc.strerror}.") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1024 * 1024, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read: {exc.strerror}.") from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise IngestError(f"{path}: more than {max_bytes} bytes, over the limit (INGEST_MAX_BYTES).")
    return b"".join(chunks)


def _too_large(path: Path, size: int, max_bytes: int) -> IngestError:
    return IngestError(f"{path}: {size} bytes is over the {max_bytes}-byte limit (INGEST_MAX_BYTES).")


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{origin}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8 first."
        ) from None


def _txt_record(path: Path, data: bytes, text: str, *, max_bytes: int) -> ArticleInput:
    meta, meta_origin = _sidecar_metadata(path, max_bytes=max_bytes)
    record = ArticleInput(raw=data, body=text, format="txt", origin=str(path))
    _apply_metadata(record, meta, origin=meta_origin)
    return record


def _sidecar_metadata(path: Path, *, max_bytes: int) -> tuple[dict, str]:
    meta_path = path.with_name(path.name[: -len(path.suffix)] + ".meta.json")
    if not os.path.lexists(meta_path):
        return {}, str(meta_path)
    data = read_file_bytes(meta_path, max_bytes=max_bytes)
    meta = _parse_json(_decode(data, str(meta_path)), str(meta_path))
    unknown = sorted(set(meta) - set(METADATA_FIELDS))
    if unknown:
        raise IngestError(
            f"{meta_path}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(METADATA_FIELDS)}."
        )
    return meta, str(meta_path)


def html_record(data: bytes, *, origin: str, meta: dict | None = None, meta_origin: str = "") -> ArticleInput:
    """An HTML page as a record: the page is the raw input; text, title, byline, date, canonical URL and
    captions come from the extractor; metadata given beside it wins over what the page says."""
    try:
        page, encoding = decode_html(data)
        article = extract_html(page)
    except HtmlError as exc:
        raise IngestError(f"{origin}: {exc}.") from None
    record = ArticleInput(
        raw=data,
        body="\n".join(article.blocks),
        title=article.title or None,
        format="html",
        origin=origin,
        byline=article.byline,
        captions=tuple(article.captions),
        metadata={"encoding": encoding} if encoding != "utf-8" else {},
    )
    found = {
        # The page's own canonical link is dropped rather than refused if it is no web URL.
        "url": article.url if is_web_url(article.url) else None,
        "language": article.language or None,
        "published_at": article.published_at or None,
    }
    _apply_metadata(
        record, {**{k: v for k, v in found.items() if v}, **(meta or {})}, origin=meta_origin or origin
    )
    return record


def _html_record(path: Path, data: bytes, *, max_bytes: int) -> ArticleInput:
    meta, meta_origin = _sidecar_metadata(path, max_bytes=max_bytes)
    return html_record(data, origin=str(path), meta=meta, meta_origin=meta_origin)


def _parse_json(text: str, origin: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"{origin}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    except RecursionError:
        raise IngestError(
            f"{origin}: the JSON is nested too deeply; an article is one flat object of strings."
        ) from None
    except ValueError as exc:  # a number too long to convert, say
        raise IngestError(f"{origin}: invalid JSON: {exc}.") from None
    if not isinstance(value, dict):
        raise IngestError(
            f"{origin}: expected a JSON object, got {type(value).__name__}; "
            "put several articles in a .jsonl file, one object per line."
        )
    _refuse_surrogates(value, origin)
    return value


def _refuse_surrogates(obj: dict, origin: str) -> None:
    """JSON may escape half of a surrogate pair alone (``"\\ud800"``): valid JSON, but no Unicode text,
    so no database or file can store it. Refused here, by field, before anything is written."""
    for key, value in obj.items():
        if not _encodable(key):
            raise IngestError(f"{origin}: a field name holds a lone surrogate; it is not valid Unicode text.")
        if isinstance(value, str) and not _encodable(value):
            at = next(i for i, char in enumerate(value) if "\ud800" <= char <= "\udfff")
            raise IngestError(
                f"{origin}: field '{key}' holds a lone surrogate (\\u{ord(value[at]):04x} at character {at}); "
                "it is not valid Unicode text: fix the escape or write the character itself."
            )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _jsonl_records(path: Path, data: bytes, errors: list[IngestError] | None = None) -> list[ArticleInput]:
    """One record a line. A bad line is an error of its own, naming the file and the line: with ``errors``
    given it goes there and the other lines are still read."""
    records = []
    failed = False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        line = line.rstrip(b"\r")
        origin = f"{path}:{number}"
        try:
            obj = _parse_json(_decode(line, origin), origin)
            records.append(_json_record(obj, line, origin=origin, fmt="jsonl"))
        except IngestError as exc:
            if errors is None:
                raise
            errors.append(exc)
            failed = True
    if not records and not failed:
        raise IngestError(f"{path}: no records.")
    return records


def _json_record(obj: dict, raw: bytes, *, origin: str, fmt: str) -> ArticleInput:
    unknown = sorted(set(obj) - set(JSON_FIELDS))
    if unknown:
        hint = ""
        if {"label", "entities"} & set(unknown):
            hint = (
                " It looks like a doccano export: load it with "
                "manage.py import_dataset FILE --from doccano --user USERNAME."
            )
        raise IngestError(
            f"{origin}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(JSON_FIELDS)}.{hint}"
        )
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f"{origin}: field 'text' is missing or empty.")
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        raise IngestError(f"{origin}: field 'title' must be a string.")
    record = ArticleInput(raw=raw, body=text, title=title or None, format=fmt, origin=origin)
    _apply_metadata(record, {k: obj[k] for k in METADATA_FIELDS if k in obj}, origin=origin)
    return record


def _apply_metadata(record: ArticleInput, meta: dict, *, origin: str) -> None:
    for key in ("url", "source", "language", "external_id"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise IngestError(f"{origin}: field '{key}' must be a string.")
    if meta.get("url") and (problem := web_url_problem(meta["url"])):
        raise IngestError(f"{origin}: field 'url' is {problem}.")
    record.url = meta.get("url") or None
    record.source = meta.get("source") or None
    record.language = meta.get("language") or None
    record.external_id = meta.get("external_id") or ""
    if meta.get("published_at"):
        record.published_at = parse_published_at(meta["published_at"], origin=origin)


def parse_published_at(value: object, *, origin: str) -> datetime:
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime(day.year, day.month, day.day)
        if parsed is not None:
            return make_aware(parsed) if is_naive(parsed) else parsed
    shown = repr(value[:80]) if isinstance(value, str) else f"a JSON {type(value).__name__}"
    raise IngestError(
        f"{origin}: field 'published_at' is {shown}; use an ISO 8601 date or date-time "
        "(2021-06-02 or 2021-06-02T08:00:00Z)."
    )


def record_from_article(
    *, raw_text: str, fmt: str, origin: str, metadata: dict | None = None
) -> ArticleInput:
    """Rebuild the reader's record from a stored article's raw text, to run the pipeline again."""
    raw = raw_text.encode("utf-8")
    if fmt == "html":
        encoding = (metadata or {}).get("encoding", "utf-8")
        return html_record(raw_text.encode(encoding), origin=origin)
    if fmt in ("json", "jsonl"):
        obj = _parse_json(raw_text, origin)
        return ArticleInput(
            raw=raw, body=obj.get("text") or "", title=obj.get("title") or None, format=fmt, origin=origin
        )
    return ArticleInput(raw=raw, body=raw_text, format=fmt, origin=origin)
