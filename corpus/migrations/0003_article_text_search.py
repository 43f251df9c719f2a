"""A GIN index for full-text search of article text, on PostgreSQL only.

The expression must be the one the search builds (SearchVector("text", config=SEARCH_CONFIG)) or the
planner will not use it. Other databases search without an index (see corpus.search).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS corpus_article_text_search ON corpus_article "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
)
DROP = "DROP INDEX IF EXISTS corpus_article_text_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0002_revisions_and_anchors")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
