"""One row per searchable thing (a card, a comment, a subtask…), with its text as shown.

Organizations and projects are plain integers, not foreign keys: search sits below orgs and
projects (DESIGN.md §3), so the caller keeps the index in step (`services.remove_project`…).

`document` is what the database searches, per vendor (`backends.py`):

- SQLite: the segmented text (`baton.lib.segment`) with scope tokens in front; the FTS5 table
  `search_entry_fts` indexes it as external content, kept in step by triggers on this table
  (migration 0002). **A later migration that alters this table on SQLite** makes Django rebuild
  the table, which drops the triggers: such a migration must create them again (SQLITE_TRIGGERS
  in 0002_fulltext) and run `INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')`.
- PostgreSQL: a `tsvector` with the same tokens at their positions, with a GIN index.

`labels` holds what classifies the object rather than describes it (a card's tags, the options
chosen in its select fields) as lines of ``label<TAB>value``: the values are searched, and a hit
tells which labels matched (so a result can say why it was found). Nullable so that adding it
was a plain ``ALTER TABLE ADD COLUMN`` on SQLite (no table rebuild, the triggers stay).
"""

from django.db import models
from django.db.models.functions import Upper


class DocumentField(models.TextField):
    """`tsvector` on PostgreSQL, text elsewhere; the value is prepared by `backends.document`."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder_sql(self, value, compiler, connection):
        if hasattr(value, "as_sql"):
            sql, params = compiler.compile(value)
        else:
            sql, params = "%s", (value,)
        return (f"({sql})::tsvector" if connection.vendor == "postgresql" else sql), params


class Entry(models.Model):
    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    organization_id = models.BigIntegerField()
    project_id = models.BigIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=40, blank=True)
    title = models.TextField()
    body = models.TextField(blank=True)
    labels = models.TextField(null=True, blank=True)
    document = DocumentField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_object"),
        ]
        indexes = [
            models.Index(
                models.F("organization_id"), Upper("reference"), name="search_entry_reference"
            ),
            models.Index(fields=["project_id"], name="search_entry_project"),
            # PostgreSQL reads an organization's entries newest first (backends._postgres).
            models.Index(fields=["organization_id", "id"], name="search_entry_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:40]}"
