"""API throttles count requests in a table of their own (``ThrottleCount``), one row per client with
two counters, instead of a list of timestamps per client in a database cache; the cache's table goes."""

from django.db import migrations, models

OLD_TABLE = "newsdesk_throttle_cache"


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(OLD_TABLE)}")


def create_cache_table(apps, schema_editor):
    """Back to the layout Django's database cache creates (``createcachetable``)."""
    table = schema_editor.quote_name(OLD_TABLE)
    datetime = "timestamp with time zone" if schema_editor.connection.vendor == "postgresql" else "datetime"
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {table} (cache_key varchar(255) NOT NULL PRIMARY KEY, "
        f"value text NOT NULL, expires {datetime} NOT NULL)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(OLD_TABLE + '_expires')} ON {table} (expires)"
    )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0010_throttle_cache_table")]

    operations = [
        migrations.CreateModel(
            name="ThrottleCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="The throttle's scope and the client (user or address).",
                        max_length=200,
                        unique=True,
                    ),
                ),
                (
                    "period",
                    models.BigIntegerField(
                        help_text="The current window: seconds since the epoch // the rate's period."
                    ),
                ),
                (
                    "hits",
                    models.PositiveIntegerField(
                        default=0, help_text="Requests allowed in the current window."
                    ),
                ),
                (
                    "previous",
                    models.PositiveIntegerField(
                        default=0, help_text="Requests allowed in the window before."
                    ),
                ),
                ("expires", models.BigIntegerField(db_index=True, help_text="Seconds since the epoch.")),
            ],
        ),
        migrations.RunPython(drop_cache_table, create_cache_table, elidable=False),
    ]
