"""A GIN index for full-text search of annotation notes, on PostgreSQL only (see corpus 0003)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS annotations_annotation_note_search ON annotations_annotation "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(note, '')))"
)
DROP = "DROP INDEX IF EXISTS annotations_annotation_note_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_revisions_and_anchors")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
