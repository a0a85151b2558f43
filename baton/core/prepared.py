"""Querysets whose SQL Django writes once per process, then runs with each request's values.

Building a query (filters, joins, annotations, then compiling them to SQL) costs far more than
running it when it finds one row by its keys: the access check that opens every card write took
~1 ms of Python to build and 0.04 ms in the database. A PreparedQuery builds its queryset once,
with stand-in values, keeps the SQL the ORM wrote and where each value went, and from then on runs
that SQL with the real values and turns the row into model instances as the queryset would
(select_related objects, annotations and field converters included). Same SQL, same result.

For short results (`first()`, or `all()` of a few rows) of queries whose values are plain ints and
strings.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Stand-ins the values are recognised by in the compiled parameters: no constant of a query is
# one. The int fits a 32-bit column (PostgreSQL's integer), else the ORM would find it out of range
# and compile an empty query.
_INT_STAND_IN = 2_000_000_000
_STR_STAND_IN = "\uffffprepared:{}\uffff"
# Ids beyond 64 bits find nothing (the ORM answers them with an empty result, SQLite's driver
# would raise OverflowError on them).
_INT_RANGE = range(-(2**63), 2**63)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list[tuple[bool, Any]]  # (True, value name) or (False, a constant of the query)
    from_db: Callable
    init_list: list[str]
    model_slice: slice
    converters: list[tuple[int, list, Any]]
    populators: list
    annotations: dict[str, int]


class PreparedQuery:
    """`build(**values)` returns the queryset; `kinds` names each value's type (int or str).

    >>> by_number = PreparedQuery(lambda number: Task.objects.filter(number=number), number=int)
    >>> by_number.first(number=42)
    """

    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self._build = build
        self._kinds = kinds
        self._compiled: dict[tuple[str, bool], _Compiled] = {}

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values):
        """What `build(**values).first()` returns."""
        rows = self._run(True, using, values)
        return rows[0] if rows else None

    def all(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """What `list(build(**values))` returns."""
        return self._run(False, using, values)

    def _run(self, first: bool, using: str, values: dict) -> list:
        compiled = self._compiled.get((using, first)) or self._compile(using, first)
        params = []
        for is_value, item in compiled.params:
            if not is_value:
                params.append(item)
                continue
            value = self._kinds[item](values[item])
            if isinstance(value, int) and value not in _INT_RANGE:
                return []
            params.append(value)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(1) if first else cursor.fetchall()
        return [self._instance(compiled, list(row), connection) for row in rows]

    def _compile(self, using: str, first: bool) -> _Compiled:
        stand_ins = {
            name: _INT_STAND_IN + i if kind is int else _STR_STAND_IN.format(name)
            for i, (name, kind) in enumerate(self._kinds.items())
        }
        queryset = self._build(**stand_ins)
        if first:  # as first() does: the queryset's own order, else the primary key's
            queryset = (queryset if queryset.ordered else queryset.order_by("pk"))[:1]
        if (
            queryset._known_related_objects
            or queryset._prefetch_related_lookups
            or queryset._fetch_mode.track_peers
        ):
            raise ValueError("A prepared query uses no related manager, prefetching or peers.")
        compiler = queryset.query.get_compiler(using=using)
        sql, raw_params = compiler.as_sql()
        names = {value: name for name, value in stand_ins.items()}
        params = [(True, names[p]) if p in names else (False, p) for p in raw_params]
        missing = set(stand_ins) - {item for is_value, item in params if is_value}
        if missing:
            raise ValueError(f"The query does not use {', '.join(sorted(missing))}.")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fetch_mode = queryset._fetch_mode
        converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        compiled = _Compiled(
            sql=sql,
            params=params,
            from_db=partial(klass_info["model"].from_db, fetch_mode=fetch_mode),
            init_list=[column[0].target.attname for column in select[start:end]],
            model_slice=slice(start, end),
            converters=[(pos, convs, expr) for pos, (convs, expr) in converters.items()],
            populators=get_related_populators(klass_info, select, using, fetch_mode),
            annotations=dict(compiler.annotation_col_map or {}),
        )
        self._compiled[using, first] = compiled
        return compiled

    @staticmethod
    def _instance(compiled: _Compiled, row: list, connection):
        for pos, converters, expression in compiled.converters:
            value = row[pos]
            for converter in converters:
                value = converter(value, expression, connection)
            row[pos] = value
        obj = compiled.from_db(connection.alias, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, pos in compiled.annotations.items():
            setattr(obj, name, row[pos])
        return obj
