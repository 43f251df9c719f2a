"""Rows written in one statement per table with their ids handed out beforehand: batched ingestion
(``corpus.services.batch``) and the dataset import (``annotations.imports``) both write through here.

A row type (``row_type``) is a named tuple of some of a model's fields; its columns come from the model,
so rows are built by field name and no column list is matched to positional values by hand.

Ids: ``reserve_ids_for`` takes a block for each of several tables in one query; ``Ids`` hands them out one
at a time over a batch that does not know beforehand how many it needs (the import), a block per table per
batch.

Writing: ``insert`` writes rows that name every column they fill (binary ``COPY`` on PostgreSQL, one
``executemany`` elsewhere), with no query besides the insert. ``RowWriter`` fills every column the rows
leave out with the model's default and writes a binary ``COPY``, which names the column types: it reads
them once per writer (one query per table per import), which the import can afford and ingestion's fixed
query count per batch cannot.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict, namedtuple
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.db import DataError, connection
from django.db.models import CharField, Model, TextField

# Fields whose text value the database takes as it is: preparing a str for the database (a chain of
# method calls per value) gives it back unchanged. Exact classes only: a subclass may prepare. (Not
# integers: PostgreSQL's backend wraps them in a type of its own.)
_TAKEN_AS_IS: dict[type, type] = {CharField: str, TextField: str}

# The cyclic garbage collector's thresholds while a bulk load runs (``fewer_collections``).
BULK_GC_THRESHOLDS = (50_000, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while the body runs: a bulk load allocates
    hundreds of thousands of dicts, lists and tuples that live for one batch (the records read, the
    rows built), none of them in a cycle, and with the default thresholds (700, 10, 10) the collector
    scanned them again and again, a quarter of an import's CPU. It still runs, every 50,000 allocations
    instead of 700, so cycles made meanwhile are still freed."""
    before = gc.get_threshold()
    gc.set_threshold(*BULK_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def row_type(model: type[Model], *names: str) -> type[tuple]:
    """A named tuple for rows of ``model``'s table holding the fields ``names`` (in that column order). A
    name the model has no field for fails when the type is made."""
    row = namedtuple(f"{model.__name__}Row", names)
    row.model = model
    row.fields = tuple(model._meta.get_field(name) for name in names)
    row.columns = tuple(field.column for field in row.fields)
    row.as_is = tuple(_TAKEN_AS_IS.get(type(field)) for field in row.fields)
    return row


def row_from(row: type[tuple], instance: Model, prepared: dict[str, object] | None = None) -> tuple:
    """``instance``'s values for the fields of ``row``, as the database stores them. ``prepared`` gives
    some of them already so (by field name), for a value many rows share: a batch's one timestamp."""
    prepared = prepared or {}
    values = []
    for field, as_is in zip(row.fields, row.as_is, strict=True):
        if field.name in prepared:
            values.append(prepared[field.name])
            continue
        value = getattr(instance, field.attname)
        if value is None or type(value) is not as_is:
            value = field.get_db_prep_save(value, connection)
        values.append(value)
    return row._make(values)


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new ids for ``model``'s table, in increasing order, as inserting rows would take them."""
    return reserve_ids_for({model: count})[model]


def reserve_ids_for(wanted: dict[type[Model], int]) -> dict[type[Model], list[int]]:
    """New ids for several tables in one query: for each model, as many as ``wanted`` says, in increasing
    order, as inserting rows would take them.

    PostgreSQL takes them from each table's sequence. SQLite continues each AUTOINCREMENT counter, which no
    one else can move meanwhile: the batch's transaction holds the database's write lock from its start
    (``transaction_mode`` IMMEDIATE). The rows inserted with these ids move the counters past them.
    """
    ids: dict[type[Model], list[int]] = {model: [] for model in wanted}
    models = [model for model, count in wanted.items() if count > 0]
    if not models:
        return ids
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each sequence looked up once, not once per id (the catalog look-up cost the server several
            # times what nextval does).
            cursor.execute(
                f"SELECT {', '.join([_RESERVE_BLOCK] * len(models))}",
                [value for model in models for value in (model._meta.db_table, wanted[model])],
            )
            for model, block in zip(models, cursor.fetchone(), strict=True):
                ids[model] = sorted(block)
            return ids
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT {', '.join(_sqlite_highest(model) for model in models)}",
                [model._meta.db_table for model in models],
            )
            for model, highest in zip(models, cursor.fetchone(), strict=True):
                ids[model] = list(range(highest + 1, highest + 1 + wanted[model]))
            return ids
    raise NotImplementedError(f"bulk writes do not support {connection.vendor}")


# PostgreSQL: a block of ids from one table's sequence (the table's name and the count are its parameters).
_RESERVE_BLOCK = (
    "ARRAY(WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) "
    "SELECT nextval(s.seq) FROM s, generate_series(1, %s))"
)


def _sqlite_highest(model: type[Model]) -> str:
    """SQL for the highest id ``model``'s table has used (its AUTOINCREMENT counter or its largest id);
    the table's name is its one parameter."""
    qn = connection.ops.quote_name
    pk = qn(model._meta.pk.column)
    return (
        f"MAX(COALESCE((SELECT MAX({pk}) FROM {table(model)}), 0), "
        "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))"
    )


def insert(row: type[tuple], rows: list[tuple]) -> None:
    """Insert ``rows`` (of ``row``'s type, values already as the database stores them)."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(column) for column in row.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary: psycopg packs numbers and copies texts as they are, where the text format writes
            # every value out as text and escapes every string, and the server reads them back (a third
            # of the client's CPU for the quote rows, some of the server's).
            types = _copy_types(row)
            statement = f"COPY {table(row.model)} ({names}) FROM STDIN"
            try:
                with (
                    connection.wrap_database_errors,
                    cursor.cursor.copy(statement + (" WITH (FORMAT BINARY)" if types else "")) as copy,
                ):
                    if types:
                        copy.set_types(types)
                    for values in rows:
                        copy.write_row(values)
            except (TypeError, ValueError, OverflowError) as exc:
                # A value its column's type cannot take (a number too large for it, say).
                raise DataError(f"{row.model._meta.db_table}: {exc}") from exc
        else:
            placeholders = ", ".join(["%s"] * len(row.columns))
            cursor.executemany(f"INSERT INTO {table(row.model)} ({names}) VALUES ({placeholders})", rows)


def _copy_types(row: type[tuple]) -> list[int] | None:
    """The PostgreSQL type of each of ``row``'s columns, which a binary COPY must name, from the fields
    (no query: they are built-in types, whose ids never change); None when one is not built in, for a
    COPY in text."""
    if not hasattr(row, "copy_types"):
        from psycopg.postgres import types

        found = [types.get(field.db_type(connection).split("(", 1)[0]) for field in row.fields]
        row.copy_types = None if None in found else [info.oid for info in found]
    return row.copy_types


def insert_values(row: type[tuple], rows: Sequence[tuple], batch_size: int = 2000) -> None:
    """Insert ``rows`` (of ``row``'s type, values as the database stores them) with the statements
    ``bulk_create(batch_size=...)`` sends, ``INSERT ... VALUES (...), (...)`` per ``batch_size`` rows, and
    without a model instance per row. Unlike ``insert``, every statement goes through Django's cursor on
    every database, so the statements counted are ``bulk_create``'s."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(column) for column in row.columns)
    marks = f"({', '.join(['%s'] * len(row.columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            part = rows[start : start + batch_size]
            cursor.execute(
                f"INSERT INTO {table(row.model)} ({names}) VALUES {', '.join([marks] * len(part))}",
                [value for values in part for value in values],
            )


def update_column(model: type[Model], name: str, value, ids: Sequence[int]) -> None:
    """``UPDATE ... SET name = value WHERE id IN (ids)``: one statement, written without building the
    model layer's expressions (what ``filter(pk__in=ids).update(...)`` sends, for many ids at less cost)."""
    if not ids:
        return
    field = model._meta.get_field(name)
    qn = connection.ops.quote_name
    pk = qn(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table(model)} SET {qn(field.column)} = %s WHERE {pk} IN ({', '.join(['%s'] * len(ids))})",
            [field.get_db_prep_save(value, connection), *ids],
        )


def update_rows(instances: Sequence[Model], names: Sequence[str]) -> None:
    """Write the fields ``names`` of ``instances`` (all of one model) in one statement: the
    ``CASE id WHEN ... THEN ... END`` per field that ``bulk_update`` sends, built as text rather than
    from an expression per instance and field. Timestamps with ``auto_now`` are left as they are, as
    ``bulk_update`` leaves them. At most ``UPDATE_ROWS`` instances."""
    if not instances:
        return
    if len(instances) > UPDATE_ROWS:
        raise ValueError(f"update_rows writes at most {UPDATE_ROWS} rows at a time")
    model = type(instances[0])
    qn = connection.ops.quote_name
    pk = qn(model._meta.pk.column)
    fields = [model._meta.get_field(name) for name in names]
    # PostgreSQL types a CASE from its branches: each value is cast to its column's type.
    cast = connection.vendor == "postgresql"
    ids = [instance.pk for instance in instances]
    sets, params = [], []
    for field in fields:
        value = f"CAST(%s AS {field.db_type(connection)})" if cast else "%s"
        sets.append(f"{qn(field.column)} = CASE {pk} {' '.join([f'WHEN %s THEN {value}'] * len(ids))} END")
        for instance in instances:
            params += [instance.pk, field.get_db_prep_save(getattr(instance, field.attname), connection)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table(model)} SET {', '.join(sets)} WHERE {pk} IN ({', '.join(['%s'] * len(ids))})",
            [*params, *ids],
        )


UPDATE_ROWS = 500  # rows per update_rows statement: (2 x fields + 1) x 500 parameters, far below SQLite's cap


class Ids:
    """Ids for new rows, handed out before the rows are written.

    PostgreSQL: taken from the table's sequence (``nextval``), a block per batch, so concurrent writers
    never collide. SQLite: counted up from the table's highest id, read inside the batch's transaction,
    which holds the database's write lock from its start (``transaction_mode`` IMMEDIATE).
    """

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.free: dict[type[Model], list[int]] = defaultdict(list)  # PostgreSQL, highest first
        self.next: dict[type[Model], int] = {}  # SQLite, within one transaction
        self.floors: dict[type[Model], int] = {}
        self.sequences: dict[type[Model], str] = {}

    def begin(self, wanted: dict[type[Model], int]) -> None:
        """Start a transaction's worth of ids; ``wanted`` is how many each table will likely need."""
        if self.postgres:
            short = {model: n for model, n in wanted.items() if n > len(self.free[model])}
            if short:
                self._fetch(short)
        else:
            self.next = {}
            if wanted:
                self._count_from(list(wanted))

    def take(self, model: type[Model]) -> int:
        if self.postgres:
            if not self.free[model]:
                self._fetch({model: 64})
            return self.free[model].pop()
        if model not in self.next:
            self._count_from([model])
        value = self.next[model]
        self.next[model] = value + 1
        return value

    def floor(self, model: type[Model], value: int) -> None:
        """Hand out only ids above ``value``: kept ids up to it are still to be written."""
        self.floors[model] = max(value, self.floors.get(model, 0))
        if self.postgres:
            sequence = self._sequence(model)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(%s::regclass, GREATEST(%s, nextval(%s::regclass)))",
                    [sequence, value, sequence],
                )
            self.free[model] = [pk for pk in self.free[model] if pk > value]

    def _sequence(self, model: type[Model]) -> str:
        if model not in self.sequences:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
                )
                self.sequences[model] = cursor.fetchone()[0]
        return self.sequences[model]

    def _fetch(self, wanted: dict[type[Model], int]) -> None:
        models = list(wanted)
        for model in models:
            self._sequence(model)
        columns = ", ".join("ARRAY(SELECT nextval(%s::regclass) FROM generate_series(1, %s))" for _ in models)
        params = [value for model in models for value in (self.sequences[model], wanted[model])]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns}", params)
            blocks = cursor.fetchone()
        for model, block in zip(models, blocks, strict=True):
            self.free[model] = sorted(block, reverse=True) + self.free[model]

    def _count_from(self, models: list[type[Model]]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(_sqlite_highest(model) for model in models)}",
                [model._meta.db_table for model in models],
            )
            highest = cursor.fetchone()
        for model, value in zip(models, highest, strict=True):
            self.next[model] = max(value, self.floors.get(model, 0)) + 1


class RowWriter:
    """Rows into a table, the columns their type names and every other one at its default: a binary ``COPY`` on
    PostgreSQL, one prepared ``INSERT`` for all the rows elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.types: dict[str, dict[str, int]] = {}
        # A JSON column takes the object itself in a binary COPY, its text elsewhere.
        self.metadata = {"format": "dataset"} if self.postgres else json.dumps({"format": "dataset"})

    def insert(self, row: type[tuple], rows: list[tuple], now: datetime) -> None:
        """Insert ``rows`` of ``row``'s type (``row_type``); every column the type leaves out but the id
        gets the model's default, and the timestamps ``now``."""
        if not rows:
            return
        model = row.model
        given = {f.attname for f in row.fields}
        rest = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
        defaults = tuple(
            f.get_db_prep_save(
                now
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else f.get_default(),
                connection,
            )
            for f in rest
        )
        names = [*row.columns, *(f.column for f in rest)]
        qn = connection.ops.quote_name
        table = model._meta.db_table
        sql_names = ", ".join(qn(name) for name in names)
        try:
            with connection.cursor() as cursor:
                if self.postgres:
                    types = self._types(table)
                    statement = f"COPY {qn(table)} ({sql_names}) FROM STDIN WITH (FORMAT BINARY)"
                    with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                        copy.set_types([types[name] for name in names])
                        write = copy.write_row
                        for values in rows:
                            write((*values, *defaults))
                else:
                    marks = ", ".join(["%s"] * len(names))
                    cursor.executemany(
                        f"INSERT INTO {qn(table)} ({sql_names}) VALUES ({marks})",
                        [(*values, *defaults) for values in rows],
                    )
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            # A value the column cannot take (a number far too large, a list where text goes).
            raise DataError(f"{table}: {exc}") from exc

    def _types(self, table: str) -> dict[str, int]:
        """The column types, which a binary COPY must name."""
        if table not in self.types:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    [connection.ops.quote_name(table)],
                )
                self.types[table] = dict(cursor.fetchall())
        return self.types[table]
