"""The full-text index: an FTS5 table and its triggers on SQLite, a GIN index on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    from baton.search.backends import create_schema

    create_schema(schema_editor)


def drop(apps, schema_editor):
    from baton.search.backends import drop_schema

    drop_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
