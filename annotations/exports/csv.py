"""CSV writer: one UTF-8 file per table with a header row; tags in a cell are joined by ``;``."""

from __future__ import annotations

import csv
import io
from collections.abc import Generator
from datetime import datetime
from typing import BinaryIO

from . import datapackage
from .records import rfc3339
from .selection import Selection
from .tables import BOOL, LIST, TS, Table, table_entries
from .tables import sizes as table_sizes

EXTENSION = ".csv"
CONTENT_TYPE = "application/zip"
TABULAR = True


def _bool(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def _timestamp(value: datetime | None) -> str:
    return "" if value is None else rfc3339(value)


def _list(value: list[str]) -> str:
    return ";".join(value)


# What a cell of each type needs beyond what the csv module does itself (None as "", str() of the rest).
_CELLS = {BOOL: _bool, TS: _timestamp, LIST: _list}


def _cells(table: Table):
    """A function from a row to its cells, converting only the columns that need it."""
    special = [(index, _CELLS[kind]) for index, (_, kind) in enumerate(table.columns) if kind in _CELLS]
    if not special:
        return None

    def cells(row: tuple) -> list:
        row = list(row)
        for index, convert in special:
            row[index] = convert(row[index])
        return row

    return cells


def write_table(
    table: Table, selection: Selection, stream: BinaryIO, *, chunk_size: int
) -> Generator[int, None, int]:
    """The header, then each chunk's rows in one write (a zip entry compresses and hashes per write)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> None:
        stream.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    writer.writerow(table.column_names)
    flush()
    cells = _cells(table)
    count = 0
    for rows in table.chunks(selection, chunk_size):
        writer.writerows(rows if cells is None else map(cells, rows))
        flush()
        count += len(rows)
        yield len(rows)
    return count


_tables = table_entries(write_table, EXTENSION)


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    """The dataset card and package descriptor, then each table in a folder of its own."""
    return [*datapackage.entries("csv", EXTENSION), *_tables(selection, chunk_size=chunk_size)]


# The rows each file will hold (what its writer yields in all), counted up front.
sizes = table_sizes
