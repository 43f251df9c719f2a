"""Plain rows into a table in one statement: ids reserved beforehand, ``COPY`` on PostgreSQL,
``executemany`` elsewhere."""

from __future__ import annotations

from django.db import connection


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` new ids for ``model``'s table, in increasing order, as inserting rows would take them.

    PostgreSQL takes them from the table's sequence. SQLite continues its AUTOINCREMENT counter, which no
    one else can move meanwhile: the batch has written its articles already, so its transaction holds the
    database's write lock. The rows inserted with these ids move the counter past them.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"coalesce((SELECT max(id) FROM {_table(model)}), 0))",
                [table],
            )
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))
    raise NotImplementedError(f"batched ingestion does not support {connection.vendor}")


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows (values already as the database stores them) into ``model``'s table."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {_table(model)} ({names}) VALUES ({placeholders})", rows)
