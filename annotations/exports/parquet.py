"""Parquet writer: the csv tables, typed, in row groups of bounded size written as the chunks arrive.

A row group gathers chunks until it holds ``ROW_GROUP_ROWS`` rows or ``ROW_GROUP_BYTES`` of column
data, whichever comes first: memory holds at most one row group's columns, and a large export has
a few hundred row groups rather than one per chunk (the writer keeps every row group's metadata
until the file is closed).

The schemas are explicit (int64 ids, nullable int64 offsets, UTC timestamps, lists of strings for
tags), so an empty table has the same columns as a full one. The file carries no clock: pyarrow
writes only its version (``created_by``), fixed for a given pyarrow.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from typing import TYPE_CHECKING, BinaryIO

from . import datapackage
from .manifest import HashingWriter
from .selection import Selection
from .tables import BOOL, INT, LIST, STR, TS, Table, table_entries
from .tables import sizes as table_sizes

if TYPE_CHECKING:
    import pyarrow as pa

EXTENSION = ".parquet"
CONTENT_TYPE = "application/zip"
TABULAR = True
ROW_GROUP_ROWS = 100_000
# At 8 MB a 100,000-article export peaked at 194 MB, against 200 MB allowed (pyarrow's own start-up
# is about 90 MB of it); 4 MB takes some 10 MB off the peak, at a few hundred more groups' metadata.
ROW_GROUP_BYTES = 4 * 2**20


# pyarrow is imported when a parquet file is written, not with this module: it is some 70 MB of
# resident memory that every other export (and every process that imports the formats) would carry.
def _pyarrow():
    """pyarrow, its memory taken from the C library's allocator unless the environment chose one
    (ARROW_DEFAULT_MEMORY_POOL, read when Arrow first allocates): its own (mimalloc) keeps what a row
    group freed apart from the memory Python and the compressor reuse, 16-26 MB more at the peak of a
    10,000-article export. The bytes written are the same."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    import pyarrow as pa

    return pa


def schema_for(table: Table) -> pa.Schema:
    pa = _pyarrow()

    types = {
        INT: pa.int64(),
        STR: pa.string(),
        BOOL: pa.bool_(),
        TS: pa.timestamp("us", tz="UTC"),
        LIST: pa.list_(pa.string()),
    }
    fields = [pa.field(name, types[kind], nullable=True) for name, kind in table.columns]
    return pa.schema(fields, metadata={b"pandas": _pandas_metadata(table)})


# What pandas restores each column as (pyarrow reads this when it makes a DataFrame): ids and offsets
# as nullable Int64, not as floats once a null is among them.
_PANDAS = {
    INT: ("int64", "Int64", None),
    STR: ("unicode", "object", None),
    BOOL: ("bool", "bool", None),
    TS: ("datetimetz", "datetime64[us]", {"timezone": "UTC"}),
    LIST: ("list[unicode]", "object", None),
}


def _pandas_metadata(table: Table) -> bytes:
    columns = [
        {
            "name": name,
            "field_name": name,
            "pandas_type": _PANDAS[kind][0],
            "numpy_type": _PANDAS[kind][1],
            "metadata": _PANDAS[kind][2],
        }
        for name, kind in table.columns
    ]
    document = {"index_columns": [], "column_indexes": [], "columns": columns}
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def write_table(
    table: Table, selection: Selection, stream: BinaryIO, *, chunk_size: int
) -> Generator[int, None, int]:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = schema_for(table)
    # pyarrow asks the sink where it is; zip entries cannot tell, so count for them.
    sink = HashingWriter(stream)
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    count = 0
    pending: list[pa.Table] = []
    pending_rows = pending_bytes = 0

    def flush() -> None:
        nonlocal pending, pending_rows, pending_bytes
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=pending_rows)
        pending, pending_rows, pending_bytes = [], 0, 0

    try:
        for rows in table.chunks(selection, chunk_size):
            if rows:
                columns = zip(*rows, strict=True)
                arrays = [
                    pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)
                ]
                block = pa.Table.from_arrays(arrays, schema=schema)
                pending.append(block)
                pending_rows += block.num_rows
                pending_bytes += block.nbytes
                if pending_rows >= ROW_GROUP_ROWS or pending_bytes >= ROW_GROUP_BYTES:
                    flush()
            count += len(rows)
            yield len(rows)
        flush()
    finally:
        writer.close()
    return count


_tables = table_entries(write_table, EXTENSION)


def entries(selection: Selection, *, chunk_size: int) -> list[tuple[str, object]]:
    """The dataset card and package descriptor, then each table in a folder of its own."""
    return [*datapackage.entries("parquet", EXTENSION), *_tables(selection, chunk_size=chunk_size)]


# The rows each file will hold (what its writer yields in all), counted up front.
sizes = table_sizes
