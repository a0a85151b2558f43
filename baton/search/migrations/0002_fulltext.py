"""The full-text index: an FTS5 table and its triggers on SQLite, a GIN index on PostgreSQL.

The SQL is written out here (not imported) so that this migration stays what it was when the code
around it changes. See baton/search/backends.py for how the structures are used.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    "document, content='search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
]
# Also needed again after any later migration that makes Django rebuild search_entry on SQLite
# (that drops the triggers), followed by INSERT INTO search_entry_fts(search_entry_fts)
# VALUES ('rebuild').
SQLITE_TRIGGERS = [
    "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(rowid, document) VALUES (new.id, new.document); END",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, document) "
    "VALUES ('delete', old.id, old.document); END",
    "CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, document) "
    "VALUES ('delete', old.id, old.document); "
    "INSERT INTO search_entry_fts(rowid, document) VALUES (new.id, new.document); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRES_CREATE = ["CREATE INDEX search_entry_document ON search_entry USING gin (document)"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_entry_document"]


def run(statements: dict):
    def operation(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"search runs on SQLite and PostgreSQL, not {vendor}")
        for sql in statements[vendor]:
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE + SQLITE_TRIGGERS, "postgresql": POSTGRES_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
