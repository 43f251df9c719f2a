"""The table of the database cache that API throttling counts in (settings.CACHES["throttle"]), created
with every migrate so that no deployment step can forget it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0009_exportjob")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
