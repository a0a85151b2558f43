"""SQL expressions for custom field values, for SQLite and PostgreSQL (the filters and the list
view's sort use them).

Custom field values live in `Task.custom_values` keyed by str(field id). Django's JSON key
lookups read a key made of digits as an array index ("5" becomes `$[5]` / `-> 5`), so these
expressions address the key as an object key themselves. **Departure:** database-specific SQL
outside `search/`, for that reason (docs/architecture.md, Filters and the list view).
"""

from django.db import NotSupportedError
from django.db.models import BooleanField, F, FloatField, Func, TextField


class FieldValue(Func):
    """`custom_values[key]` of a task, as text, as a number (NULL unless it is one), as "is
    true" (a checked box; never NULL) or as the first element of a list (a multi-select's first
    option). The key is always read as an object key, also when it is made of digits."""

    OUTPUT = {"text": TextField, "number": FloatField, "true": BooleanField, "first": TextField}

    def __init__(self, key, mode: str = "text"):
        super().__init__(F("custom_values"), output_field=self.OUTPUT[mode]())
        self.key, self.mode = str(int(key)), mode

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("Custom field values are read on SQLite and PostgreSQL only.")

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        path = f'$."{self.key}"'
        match self.mode:
            case "text":
                return f"json_extract({column}, %s)", (*params, path)
            case "number":
                sql = (
                    f"(CASE WHEN json_type({column}, %s) IN ('integer', 'real') "
                    f"THEN json_extract({column}, %s) END)"
                )
                return sql, (*params, path, *params, path)
            case "true":
                return f"(COALESCE(json_type({column}, %s), '') = 'true')", (*params, path)
            case _:
                return f"json_extract({column}, %s)", (*params, f"{path}[0]")

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        match self.mode:
            case "text":
                return f"({column} ->> %s)", (*params, self.key)
            case "number":
                sql = (
                    f"(CASE WHEN jsonb_typeof({column} -> %s) = 'number' "
                    f"THEN ({column} ->> %s)::double precision END)"
                )
                return sql, (*params, self.key, *params, self.key)
            case "true":
                return f"COALESCE(({column} -> %s) = 'true'::jsonb, false)", (*params, self.key)
            case _:
                return f"({column} -> %s ->> 0)", (*params, self.key)


class FieldHasAny(Func):
    """Whether the list in `custom_values[key]` holds any of `values` (never NULL)."""

    output_field = BooleanField()

    def __init__(self, key, values: list[str]):
        super().__init__(F("custom_values"))
        self.key, self.values = str(int(key)), list(values)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("Custom field values are read on SQLite and PostgreSQL only.")

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.values))
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({column}, %s) AS picked "
            f"WHERE picked.value IN ({marks}))"
        )
        return sql, (*params, f'$."{self.key}"', *self.values)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE(({column} -> %s) ?| %s::text[], false)", (
            *params,
            self.key,
            self.values,
        )
