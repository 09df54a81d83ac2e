"""A query asked on every request, compiled once: the ORM builds and compiles it (per database and
thread) with a marker in place of its parameter, and each call executes that SQL with the real value and
turns the rows into model instances through the same compiler (its converters, `select_related`
populators). For the hot path of a request only (the bearer token check): compiling a three-table
`select_related` query cost 0.45 ms of the 0.59 ms the lookup took (issue #16, bench/RESULTS.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

MARKER = "__sinergi_compiled_query_parameter__"


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        self.slots = [i for i, p in enumerate(self.params) if p == MARKER]
        if len(self.slots) != 1:
            raise ValueError("a compiled query takes exactly one parameter, given as MARKER")
        self.compiler = compiler
        self.model = compiler.klass_info["model"]
        fields = compiler.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in compiler.select[self.start : self.end]]
        self.populators = get_related_populators(compiler.klass_info, compiler.select, alias)


class CompiledQuery:
    """`build(MARKER)` returns the queryset (a model queryset, sliced as wanted, with MARKER as the one
    filter value); `first(value)` is `build(value).first()` without compiling it again."""

    def __init__(self, build: Callable[[str], QuerySet]):
        self._build = build
        self._model: Any = None
        self._local = threading.local()

    def first(self, value: Any) -> Any:
        if self._model is None:
            self._model = self._build(MARKER).model
        alias = router.db_for_read(self._model)
        by_alias: dict[str, _Compiled] = self._local.__dict__.setdefault("by_alias", {})
        c = by_alias.get(alias)
        if c is None:
            c = by_alias[alias] = _Compiled(self._build(MARKER), alias)
        params = list(c.params)
        params[c.slots[0]] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(c.sql, params)
            rows = cursor.fetchmany(1)
        for row in c.compiler.results_iter(results=[rows]):
            obj = c.model.from_db(alias, c.init_list, row[c.start : c.end])
            for populator in c.populators:
                populator.populate(row, obj)
            return obj
        return None
