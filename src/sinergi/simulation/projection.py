"""Rules for months no regulation covers yet, for the simulation only.

A simulated month may lie beyond the last published value of a parameter that is re-announced
periodically (the JP wage cap every March). Sinergi never guesses a rate for real work:
`DatedTable.at` refuses. The simulation, inside `projected_rules`, carries the last value of those
tables (named in PERIODIC) forward as an unverified ("U", provisional) row, says which it projected,
and removes the rows again when it ends. Tables that end on purpose (temporary reliefs) are never
extended. The tables on disk and in every other process are untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterator

import sinergi.rules as package
from sinergi.rules.tables import DatedTable, Param

NOTE = "projected by sinergi simulate: last published value carried forward"
# Parameters published anew each period, whose next value the simulation may assume unchanged.
PERIODIC = frozenset({"JP wage cap"})


def _tables() -> Iterator[DatedTable]:

    seen: set[int] = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"sinergi.rules.{info.name}")
        for value in vars(module).values():
            candidates = value.values() if isinstance(value, dict) else [value]
            for table in candidates:
                if isinstance(table, DatedTable) and id(table) not in seen:
                    seen.add(id(table))
                    yield table


@contextlib.contextmanager
def projected_rules(until: dt.date) -> Iterator[list[tuple[str, dt.date]]]:
    """Within the block, every table whose last row ends before `until` is extended (open-ended) with
    its last value. Yields [(table name, projected from)]."""
    changed: list[tuple[DatedTable, tuple[Param, ...]]] = []
    report: list[tuple[str, dt.date]] = []
    for table in _tables():
        if not table.rows or table.name not in PERIODIC:
            continue
        last = max(table.rows, key=lambda r: r.valid_from)
        if any(r.valid_to is None for r in table.rows) or last.valid_to is None or last.valid_to >= until:
            continue
        start = last.valid_to + dt.timedelta(days=1)
        row = dataclasses.replace(last, valid_from=start, valid_to=None, status="U", note=NOTE)
        changed.append((table, table.rows))
        object.__setattr__(table, "rows", (*table.rows, row))
        report.append((table.name, start))
    try:
        yield report
    finally:
        for table, rows in changed:
            object.__setattr__(table, "rows", rows)
