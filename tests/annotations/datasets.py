"""Helpers for tests that edit an exported JSONL dataset before importing it again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def article_lines(path: Path) -> list[str]:
    """The lines of the dataset's articles file, newlines kept."""
    return (path / "articles.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite_articles(path: Path, lines: list[str] | bytes) -> None:
    """Replace the articles file with ``lines`` (or raw bytes, which need not be UTF-8) and make the
    manifest's size and hash match it, so that what the importer then finds is the edit, not a changed
    file."""
    data = lines if isinstance(lines, bytes) else "".join(lines).encode("utf-8")
    (path / "articles.jsonl").write_bytes(data)
    manifest = json.loads((path / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["name"] == "articles.jsonl":
            entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    (path / "manifest.json").write_text(json.dumps(manifest))
