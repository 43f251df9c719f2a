"""The indexes the migrations build, read back from the database itself (SQLite and PostgreSQL alike).

Every index is written on each insert, so one that another index already serves is pure cost to ingest:
a plain b-tree index whose columns are the leading columns of another index or unique constraint on the
same table answers nothing the longer one cannot. And every foreign key needs some index that starts with
its column, or a cascade delete of its target and the joins through it read the whole table.
"""

import pytest
from django.apps import apps
from django.db import connection, models

PROJECT_APPS = ("api", "corpus", "annotations", "webhooks")

# (table, index columns) allowed to stay although a longer index starts with the same columns. Partial,
# expression and GIN/trigram indexes are not duplicates and are left out by `_btree_indexes`, so they
# never need listing here.
_AUTO_M2M = (
    "Django builds the tables of a ManyToManyField without a through model with an index on each column "
    "beside the unique pair; dropping it would mean an explicit through model, for small tables off the "
    "ingest path."
)
ALLOWED_PREFIX_INDEXES: dict[tuple[str, tuple[str, ...]], str] = {
    ("annotations_annotation_tags", ("annotation_id",)): _AUTO_M2M,
    ("annotations_factcheck_co_authors", ("factcheck_id",)): _AUTO_M2M,
    ("annotations_annotationproject_annotators", ("annotationproject_id",)): _AUTO_M2M,
    ("annotations_annotationproject_curators", ("annotationproject_id",)): _AUTO_M2M,
    ("annotations_curationdecision_sources", ("curationdecision_id",)): _AUTO_M2M,
}


def _project_models() -> list[type[models.Model]]:
    found = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                found.append(model)
    return found


def _partial_or_expression_indexes(cursor, table: str) -> set[str]:
    """Names of the table's indexes that cover only some rows, index an expression or use another operator
    class (PostgreSQL's ``*_pattern_ops`` for LIKE): none of them serves what a plain index does."""
    if connection.vendor == "sqlite":
        # PRAGMA index_list: (seq, name, unique, origin, partial); index_xinfo's cid -2 marks an expression.
        names = set()
        for row in cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})").fetchall():
            name, partial = row[1], row[4]
            columns = cursor.execute(f"PRAGMA index_xinfo({connection.ops.quote_name(name)})").fetchall()
            if partial or any(column[1] == -2 for column in columns):
                names.add(name)
        return names
    if connection.vendor == "postgresql":
        cursor.execute(
            """
            SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass AND (
                i.indpred IS NOT NULL OR i.indexprs IS NOT NULL
                OR EXISTS (
                    SELECT 1 FROM unnest(i.indclass) AS used(oid) JOIN pg_opclass o ON o.oid = used.oid
                    WHERE NOT o.opcdefault
                )
            )
            """,
            [connection.ops.quote_name(table)],
        )
        return {row[0] for row in cursor.fetchall()}
    raise NotImplementedError(connection.vendor)


def _btree_indexes(table: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """(name, columns, whether a plain index) for each full-table b-tree index, unique constraint and key.

    "Plain" is a non-unique index: the kind that can be a mere duplicate. Partial, expression and other-type
    (GIN, GiST, ...) indexes serve different queries, so they neither count as duplicates nor cover one.
    """
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        skipped = _partial_or_expression_indexes(cursor, table)
    found = []
    for name, info in constraints.items():
        if name in skipped or not (info["index"] or info["unique"] or info["primary_key"]):
            continue
        # SQLite reports "idx" for Django's indexes and nothing for its own; PostgreSQL the access method.
        if info.get("type") not in (None, "idx", "btree", models.Index.suffix):
            continue
        if not info["columns"] or None in info["columns"]:
            continue
        plain = info["index"] and not info["unique"] and not info["primary_key"]
        found.append((name, tuple(info["columns"]), plain))
    return found


@pytest.mark.django_db
def test_no_index_is_a_leading_prefix_of_another():
    duplicates = []
    for model in _project_models():
        table = model._meta.db_table
        indexes = _btree_indexes(table)
        for name, columns, plain in indexes:
            if not plain or (table, columns) in ALLOWED_PREFIX_INDEXES:
                continue
            for other_name, other_columns, other_plain in indexes:
                if other_name == name or other_columns[: len(columns)] != columns:
                    continue
                # Of two identical plain indexes, name one (either may go).
                if len(other_columns) > len(columns) or not other_plain or other_name < name:
                    duplicates.append(f"{table}.{name} {columns} is served by {other_name} {other_columns}")
                    break
    assert duplicates == [], "\n".join(duplicates)


def _set_only_indexes(table: str) -> set[str]:
    """Columns with a partial b-tree index of the rows where they are set (``WHERE col IS NOT NULL``), led by
    them: every look-up by such a column (``=``, ``IN``, a join) implies the column is set, so the index
    serves it on both databases, and rows that leave the column empty cost it nothing to write."""
    found = set()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            for name, sql in cursor.fetchall():
                columns = cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})").fetchall()
                column = columns[0][2] if columns else None
                if column and sql.endswith(f'WHERE "{column}" IS NOT NULL'):
                    found.add(column)
        else:
            cursor.execute(
                """
                SELECT a.attname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_am m ON m.oid = c.relam AND m.amname = 'btree'
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = %s::regclass AND i.indpred IS NOT NULL
                """,
                [connection.ops.quote_name(table)],
            )
            for column, predicate in cursor.fetchall():
                if predicate == f"({column} IS NOT NULL)":
                    found.add(column)
    return found


@pytest.mark.django_db
def test_every_foreign_key_leads_some_index():
    uncovered = []
    for model in _project_models():
        table = model._meta.db_table
        leading = {columns[0] for _, columns, _ in _btree_indexes(table)} | _set_only_indexes(table)
        for field in model._meta.concrete_fields:
            if (field.many_to_one or field.one_to_one) and field.column not in leading:
                uncovered.append(f"{table}.{field.column}")
    assert uncovered == []
