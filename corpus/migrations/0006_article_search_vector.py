"""A stored full-text vector of the article text, with a GIN index on it, on PostgreSQL only.

Searching on the expression index of 0003 made PostgreSQL rebuild ``to_tsvector(text)`` for every
matching row, in the filter, in ``ts_rank`` and in the count. The generated column keeps it computed
once per write; the expression index is dropped (nothing searches on the expression any more) and
comes back if this migration is reversed.

Its storage is MAIN: the vector stays in the row (compressed if need be) while the texts move out
to TOAST first. Out of line, every match and rank would fetch and reassemble the vector from TOAST
chunks, which cost more than the search itself.

The column is not a model field: Django never selects or writes it, so creates, bulk inserts and
copies of the model's columns fill it by themselves. ``corpus.search`` reaches it by name.

The text search configuration is ``settings.SEARCH_CONFIG`` as it is when this migration runs. It
is baked into the column: changing the setting later needs a new migration that drops and adds the
column again (until then queries would be parsed with one configuration and matched against words
stemmed with another).
"""

import re

from django.conf import settings
from django.db import migrations

COLUMN = "search_vector"
INDEX = "corpus_article_search_vector"
OLD_INDEX_CREATE = (
    "CREATE INDEX IF NOT EXISTS corpus_article_text_search ON corpus_article "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
)


def _config() -> str:
    config = settings.SEARCH_CONFIG
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", config):
        raise ValueError(f"SEARCH_CONFIG {config!r} is not the name of a text search configuration.")
    return config


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # One statement: the rewrite that fills the column already stores the vectors in the row.
    schema_editor.execute(
        f"ALTER TABLE corpus_article ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{_config()}'::regconfig, COALESCE(text, ''))) STORED, "
        f"ALTER COLUMN {COLUMN} SET STORAGE MAIN"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON corpus_article USING gin ({COLUMN})")
    schema_editor.execute("DROP INDEX IF EXISTS corpus_article_text_search")


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_INDEX_CREATE)
    schema_editor.execute(f"ALTER TABLE corpus_article DROP COLUMN IF EXISTS {COLUMN}")  # and its index


class Migration(migrations.Migration):
    dependencies = [("corpus", "0005_takedown")]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
