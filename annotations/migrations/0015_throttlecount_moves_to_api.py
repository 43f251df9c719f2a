"""``ThrottleCount`` now belongs to the api app (its 0001), which keeps the table and its rows: the model
leaves annotations' state only, and the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0014_assignment"), ("api", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ThrottleCount")],
            database_operations=[],
        ),
    ]
