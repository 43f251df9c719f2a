"""JSONL writer: one article per line, UTF-8, keys in the documented order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TextIO

EXTENSION = ".jsonl"
CONTENT_TYPE = "application/x-ndjson"


def encode(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def iter_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield encode(record)


def write(records: Iterable[dict], stream: TextIO) -> int:
    count = 0
    for line in iter_lines(records):
        stream.write(line)
        count += 1
    return count
