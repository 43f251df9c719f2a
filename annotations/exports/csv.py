"""CSV writer: one UTF-8 file per table with a header row; tags in a cell are joined by ``;``."""

from __future__ import annotations

import csv
import io
from collections.abc import Generator
from datetime import datetime
from typing import BinaryIO

from .records import rfc3339
from .selection import Selection
from .tables import TABLES, Table

EXTENSION = ".csv"
CONTENT_TYPE = "application/zip"
TABULAR = True


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_table(
    table: Table, selection: Selection, stream: BinaryIO, *, chunk_size: int
) -> Generator[int, None, int]:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        names = table.column_names
        writer.writerow(names)
        count = 0
        for rows in table.chunks(selection, chunk_size):
            writer.writerows([_cell(row[name]) for name in names] for row in rows)
            count += len(rows)
            yield len(rows)
        return count
    finally:
        text.detach()  # the stream belongs to the target


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    return [
        (
            f"{table.name}{EXTENSION}",
            lambda stream, table=table: _counted(
                table, write_table(table, selection, stream, chunk_size=chunk_size)
            ),
        )
        for table in TABLES
    ]


def _counted(table: Table, steps: Generator[int, None, int]) -> Generator[int, None, dict[str, int]]:
    count = yield from steps
    return {table.name: count}
