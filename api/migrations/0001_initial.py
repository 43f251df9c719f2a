"""``ThrottleCount`` moves here from annotations with its table (``annotations_throttlecount``) and its
rows: this migration only records the model in the api app's state; the table is the one annotations'
0011 created, so nothing is written to the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("annotations", "0014_assignment")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
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
                    options={"db_table": "annotations_throttlecount"},
                ),
            ],
            database_operations=[],
        ),
    ]
