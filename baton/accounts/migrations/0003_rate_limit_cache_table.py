"""The table of the "limits" cache (settings.CACHES): password-reset requests are counted there, so
every server process sees the same counts. Django's `createcachetable` makes it; `baton migrate`
runs this instead, so no deployment needs an extra step."""

from django.core.management import call_command
from django.db import migrations

TABLE = "baton_rate_limits"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(create_table, drop_table)]
