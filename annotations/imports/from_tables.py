"""csv and parquet exports back into article records of the JSONL shape: the child tables are copied to a
temporary SQLite file first (see ``_Staged``), so memory holds one chunk of articles whatever the size."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from .reading import BATCH_SIZE, Dataset, DatasetError

ARTICLE_KEYS = ("id", "url", "source", "published_at", "language", "title", "content_hash", "text")


# The child tables, with the column that ties a row to its parent and the one that orders siblings.
CHILD_TABLES = {
    "paragraphs": ("article_id", "position"),
    "quotes": ("article_id", "id"),
    "annotations": ("article_id", "id"),
    "claims": ("article_id", "id"),
    "fact_checks": ("claim_id", "id"),
    "evidence": ("fact_check_id", "position"),
    # No column orders them: in the file's order (the export's, by id), as the index falls back on rowid.
    "checkworthy_dismissals": ("article_id", "article_id"),
}


def _columns(table: str) -> tuple[tuple[str, str], ...]:
    from ..exports.tables import TABLES

    return next(t for t in TABLES if t.name == table).columns


def table_rows(dataset: Dataset, table: str) -> Iterator[dict]:
    """The rows of one table as dicts, as they are read."""
    columns = _columns(table)
    names = [name for name, _ in columns]
    lists = [name for name, kind in columns if kind == "list"]
    for row in _table_tuples(dataset, table):
        record = dict(zip(names, row, strict=True))
        for name in lists:
            record[name] = record[name].split(";") if record[name] else []
        yield record


def _table_tuples(dataset: Dataset, table: str, *, raw: bool = False) -> Iterator[tuple]:
    """The rows of one table in the layout's column order, as they are read: csv a row at a time,
    parquet a row group at a time. Values are ints, strings, bools or None; timestamps stay text and
    lists stay joined by ``;`` as in csv; a column the file lacks is None. ``raw``: csv cells are left
    as the strings they are (``""`` for a null), for a reader that converts them itself."""
    columns = _columns(table)
    if dataset.format == "csv":
        name = _table_entry(dataset, table, ".csv")
        if name is None:
            return
        with dataset.open(dataset.names[name]) as stream:
            reader = csv.reader(io.TextIOWrapper(stream, encoding="utf-8", newline=""))
            header = next(reader, [])
            where = {column: index for index, column in enumerate(header)}
            if raw:
                # A missing column reads the empty cell added at the end of every row.
                pick = itemgetter(*(where.get(column, len(header)) for column, _ in columns))
                for row in reader:
                    row.extend([""] * (len(header) + 1 - len(row)))
                    yield pick(row)
                return
            plan = [(_CELL[kind], where.get(column)) for column, kind in columns]
            for number, row in enumerate(reader, start=2):
                try:
                    yield tuple(None if i is None or i >= len(row) else cell(row[i]) for cell, i in plan)
                except ValueError as exc:
                    raise DatasetError(f"{name} row {number}: {exc}.") from None
        return
    name = _table_entry(dataset, table, ".parquet")
    if name is None:
        return
    import pyarrow.parquet as pq

    with _parquet_source(dataset, dataset.names[name]) as source:
        for batch in pq.ParquetFile(source).iter_batches(batch_size=1024):
            values = batch.to_pydict()
            cells = []
            for column, kind in columns:
                cell = values.get(column, [None] * batch.num_rows)
                if kind == "timestamp":
                    cell = [_iso(v) for v in cell]
                elif kind == "list":
                    cell = [";".join(v) if v else "" for v in cell]
                cells.append(cell)
            yield from zip(*cells, strict=True)


def _table_entry(dataset: Dataset, table: str, extension: str) -> str | None:
    """The entry of a table: in its own folder (schema version 2), or beside the manifest (version 1)."""
    for entry in (f"{table}/{table}{extension}", f"{table}{extension}"):
        if dataset.has(entry):
            return entry
    return None


@contextmanager
def _parquet_source(dataset: Dataset, name: str) -> Iterator[Path]:
    """A path pyarrow can seek in: the file itself, or a zip entry copied out to a temporary file."""
    if dataset.zip is None:
        yield dataset.folder / name
        return
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        path = Path(folder) / "table.parquet"
        with dataset.open(name) as stream, path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        yield path


def _whole_number(value: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


# csv cannot tell an empty string from a null; the importer treats them alike.
_CELL: dict[str, Callable[[str], Any]] = {
    "int": _whole_number,
    "bool": lambda value: None if value == "" else value == "true",
    "list": lambda value: value,
    "str": lambda value: value or None,
    "timestamp": lambda value: value or None,
}


class _Staged:
    """The child tables of a csv or parquet export, copied into a temporary SQLite file and indexed by
    the column that ties each row to its article, claim or fact-check.

    Only articles and paragraphs are written in article order: quotes, annotations and claims come in
    their own id order (an annotation added later to an old article comes last), fact-checks reach
    their article only through their claim and evidence through its fact-check. So a record cannot be
    put together in one pass over the tables; copying them to disk first keeps memory to one batch.
    csv cells go in as they are: the columns' types turn whole numbers into integers, and empty
    cells come back as nulls.
    """

    def __init__(self, dataset: Dataset, folder: Path):
        self.db = sqlite3.connect(folder / "tables.sqlite3")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.queries: dict[str, str] = {}
        self.layouts: dict[str, tuple[list[str], list[str], list[str]]] = {}
        csv_cells = dataset.format == "csv"
        for table, (key, order) in CHILD_TABLES.items():
            columns = _columns(table)
            names = [name for name, _ in columns]
            self.layouts[table] = (
                names,
                [name for name, kind in columns if kind == "bool"],
                [name for name, kind in columns if kind == "list"],
            )
            declared = ", ".join(
                f"c{i} {'INTEGER' if kind == 'int' else ''}" for i, (_, kind) in enumerate(columns)
            )
            self.db.execute(f"CREATE TABLE {table} ({declared})")
            self.db.executemany(
                f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})",
                _table_tuples(dataset, table, raw=True),
            )
            k, o = f"c{names.index(key)}", f"c{names.index(order)}"
            self.db.execute(f"CREATE INDEX {table}_key ON {table} ({k}, {o})")
            selected = ", ".join(f"NULLIF(c{i}, '')" if csv_cells else f"c{i}" for i in range(len(names)))
            # The key comes last, past the names the rows are zipped with.
            self.queries[table] = (
                f"SELECT {selected}, {k} FROM {table} WHERE {k} IN ({{}}) ORDER BY {k}, {o}, rowid"
            )
        self.db.commit()

    def rows(self, table: str, keys: Iterable[int]) -> dict[int, list[dict]]:
        """The rows of ``table`` under each of ``keys``, in the order the export lists siblings."""
        names, bools, lists = self.layouts[table]
        grouped: dict[int, list[dict]] = defaultdict(list)
        keys = list(dict.fromkeys(k for k in keys if k is not None))
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            query = self.queries[table].format(", ".join("?" * len(chunk)))
            for values in self.db.execute(query, chunk):
                row = dict(zip(names, values))  # noqa: B905 - the key is left over at the end
                for name in bools:
                    if row[name] is not None:
                        row[name] = row[name] in (1, "true")
                for name in lists:
                    row[name] = row[name].split(";") if row[name] else []
                grouped[values[-1]].append(row)
        return grouped

    def close(self) -> None:
        self.db.close()


def table_records(
    dataset: Dataset, *, chunk_size: int = BATCH_SIZE
) -> Iterator[tuple[str, dict | DatasetError]]:
    """Group the tables by article into JSONL-shaped records (plus the table-only columns), a chunk of
    articles at a time."""
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        staged = _Staged(dataset, Path(folder))
        try:
            articles = table_rows(dataset, "articles")
            number = 2  # row 1 is the csv header
            while chunk := list(islice(articles, chunk_size)):
                yield from _chunk_records(staged, chunk, number, dataset.format)
                number += len(chunk)
        finally:
            staged.close()


def _chunk_records(
    staged: _Staged, articles: list[dict], number: int, fmt: str
) -> Iterator[tuple[str, dict | DatasetError]]:
    ids = [article.get("id") for article in articles]
    paragraphs = staged.rows("paragraphs", ids)
    quotes = staged.rows("quotes", ids)
    annotations = staged.rows("annotations", ids)
    claims = staged.rows("claims", ids)
    dismissals = staged.rows("checkworthy_dismissals", ids)
    fact_checks = {
        claim_id: rows[-1]
        for claim_id, rows in staged.rows(
            "fact_checks", (c.get("id") for rows in claims.values() for c in rows)
        ).items()
    }
    evidence = staged.rows("evidence", (check.get("id") for check in fact_checks.values()))
    for offset, article in enumerate(articles):
        origin = f"articles.{fmt} row {number + offset}"
        pk = article.get("id")
        record = {
            **{key: article.get(key) for key in ARTICLE_KEYS},
            "external_id": article.get("external_id") or "",
            "published_at": _iso(article.get("published_at")),
            "paragraphs": paragraphs.get(pk, []),
            "quotes": [
                {**q, "continues": q.get("continues_id"), "cluster": q.get("cluster_id")}
                for q in quotes.get(pk, [])
            ],
            "annotations": [{**a, "quote": a.get("quote_id")} for a in annotations.get(pk, [])],
            "claims": [],
            "checkworthy_dismissals": [
                {
                    "start": d.get("start"),
                    "end": d.get("end"),
                    "text": d.get("text"),
                    "dismissed_by": d.get("dismissed_by"),
                    "dismissed_at": _iso(d.get("dismissed_at")),
                }
                for d in dismissals.get(pk, [])
            ],
        }
        for claim in claims.get(pk, []):
            check = fact_checks.get(claim.get("id"))
            record["claims"].append(
                {
                    "id": claim.get("id"),
                    "text": claim.get("text"),
                    "claimant": claim.get("claimant"),
                    "annotation": claim.get("annotation_id"),
                    "fact_check": None
                    if check is None
                    else {
                        **check,
                        "published_at": _iso(check.get("published_at")),
                        "evidence": [
                            {k: item.get(k) or "" for k in ("url", "title", "publisher", "accessed")}
                            for item in evidence.get(check.get("id"), [])
                        ],
                    },
                }
            )
        yield origin, record


def _iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()
