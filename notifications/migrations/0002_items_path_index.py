"""A GIN index on the digests' items, PostgreSQL only.

The scorecard counts the reminders about one plan by containment (items @> [{"plan_id": …}]);
without the index that decodes the JSON of every digest in the outbox. SQLite, the embedded
fallback, has no such index and counts in Python.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS notification_items_path "
            "ON notifications_notification USING gin (items jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS notification_items_path")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
