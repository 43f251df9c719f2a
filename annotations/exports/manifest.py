"""The manifest: what an export holds and how to check it, with no clock in it.

Same database and filters, same manifest, byte for byte: it records the format, the schema version,
the filters and options, the rows per table and the size and SHA-256 of every file beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import BinaryIO

from .records import SCHEMA_VERSION
from .selection import ExportOptions

MANIFEST_NAME = "manifest.json"


class HashingWriter(io.RawIOBase):
    """Passes bytes on to ``target`` and keeps their SHA-256 and count; never closes the target."""

    def __init__(self, target: BinaryIO):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        pass


def manifest_build(*, fmt: str, options: ExportOptions, counts: dict[str, int], files: list[dict]) -> dict:
    return {
        "format": fmt,
        "schema_version": SCHEMA_VERSION,
        "filters": options.filters,
        "options": {
            "include_drafts": options.include_drafts,
            "include_orphans": options.include_orphans,
            "text": options.text,
            "anonymize_authors": options.anonymize_authors,
        },
        "counts": counts,
        "files": files,
    }


def manifest_encode(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
