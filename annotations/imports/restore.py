"""Restore mode: an import into an empty database, all of it in one transaction, with PostgreSQL's
index and foreign-key work done once at the end instead of row by row.

Into an empty database there is nothing to merge with, so the import can take shortcuts the everyday
import cannot: on PostgreSQL the big tables' secondary indexes (the full-text GIN indexes among them) are
dropped before the first row and built again after the last, and their foreign keys are dropped and
added again, which checks every row in one join per key instead of one look-up per row at commit. The
primary keys and unique constraints stay, so a record that repeats another is still caught when it is
written and merged as the everyday import merges it. Both are schema changes inside the import's one
transaction: a failure, or a record that fails its checks, rolls all of it back, dropped indexes
included, and the database is as it was. Until the transaction ends the tables it loads are locked, and
the tables they point to (users, tags, sources, ...) are locked for writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model

from corpus.models import Article, Paragraph, Quote, Speaker

from ..models import Annotation, Claim, FactCheck

# The tables a restore fills with most of its rows: their secondary indexes and foreign keys wait.
DEFERRED = (Article, Paragraph, Quote, Annotation, Annotation.tags.through, Speaker)
# Tables that must be empty for a restore: an article or anything that hangs off one.
MUST_BE_EMPTY = (Article, Paragraph, Quote, Annotation, Claim, FactCheck)


class RestoreRefused(Exception):
    """The database is not empty; the message says what it holds and what to do instead."""


@dataclass
class Deferred:
    """What was dropped for the load, to be made again after it."""

    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, definition


def restore_check() -> None:
    """Refuse a restore into a database that holds articles, or anything belonging to one."""
    for model in MUST_BE_EMPTY:
        if model.objects.exists():
            label = model._meta.verbose_name_plural
            raise RestoreRefused(
                f"restore mode loads into an empty database, and this one already has {label}: "
                "import without --restore to merge the dataset into what is here."
            )


def _tables(models: tuple[type[Model], ...]) -> list[str]:
    return [model._meta.db_table for model in models]


def defer_begin() -> Deferred:
    """Lock the tables and check that they are empty, then drop their secondary indexes and their
    foreign keys (PostgreSQL; SQLite's transaction holds the whole database already)."""
    deferred = Deferred()
    if connection.vendor != "postgresql":
        restore_check()
        return deferred
    qn = connection.ops.quote_name
    tables = _tables(DEFERRED)
    with connection.cursor() as cursor:
        # In one statement, so two restores wait for each other instead of deadlocking.
        cursor.execute(f"LOCK TABLE {', '.join(qn(t) for t in tables)} IN ACCESS EXCLUSIVE MODE")
        restore_check()
        # Foreign keys left are checked row by row as the rows go in, not queued for commit: an ALTER
        # TABLE refuses a table with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
            "ORDER BY c.relname",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid::regclass::text, conname",
            [tables],
        )
        deferred.foreign_keys = cursor.fetchall()
        deferred.indexes = [definition for _, definition in indexes]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
        for table, name, _ in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
    return deferred


def defer_end(deferred: Deferred) -> None:
    """Build the dropped indexes again and add the foreign keys back, each checked over all its rows."""
    if not deferred.indexes and not deferred.foreign_keys:
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Sorting in memory builds an index several times faster than spilling to disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in deferred.indexes:
            cursor.execute(statement)
        for table, name, definition in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
