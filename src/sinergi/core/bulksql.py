# ruff: noqa: S608 - table and column names come from model _meta and constants; values are parameters
"""Set-based writes of validated rows: foreign keys checked once per statement instead of once per row.

Django declares PostgreSQL foreign keys DEFERRABLE INITIALLY DEFERRED: every inserted row queues a
trigger that, at COMMIT, looks its parent up one row at a time and locks it (FOR KEY SHARE). For a
bulk write of rows whose references were validated (and that reach the parents through a JOIN), that
is most of the time: the COMMIT of a 1M-row billing run or a 100k-row import.

`fk_checks_per_statement(cursor)` switches the row triggers off for the block when the database
role may (PostgreSQL `session_replication_role`, superuser or GRANT SET ON PARAMETER); the caller
then calls `parents_locked(...)` once per foreign key and statement: ONE query that locks every
referenced parent row FOR KEY SHARE (what the per-row trigger does, so a concurrent DELETE of a
parent waits for the COMMIT and then fails as usual) and raises if any referenced value is missing.
Where the role may not, the block runs with the constraints IMMEDIATE instead (checked at the end of
each statement, not queued to COMMIT); `parents_locked` still checks. SQLite checks foreign keys
row by row without a queue; nothing changes there and `parents_locked` does nothing.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


class ParentMissing(RuntimeError):
    """A bulk statement would reference a parent row that does not exist (a bug or a race)."""


@contextmanager
def fk_checks_per_statement(cursor):
    """Yields True when the row-level foreign-key triggers are off inside the block (PostgreSQL, role
    allowed), else False. Must run inside a transaction; the setting is restored on exit."""
    if connection.vendor != "postgresql":
        yield False
        return
    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    allowed = bool(cursor.fetchone()[0])
    if not allowed:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            yield False
        finally:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield True
    finally:
        cursor.execute("SET LOCAL session_replication_role = origin")


def parents_locked(cursor, *, values_sql: str, params=None, parent: str, key: str, what: str) -> int:
    """Lock, in one statement, every row of `parent` whose `key` is among the distinct non-null values
    that `values_sql` (a SELECT of one column named `k`) yields; raise ParentMissing if one is absent.
    Returns the number of distinct values (-1 on SQLite, which checks every row's foreign keys
    itself, immediately, and where this query with many values was planned row by row)."""
    if connection.vendor != "postgresql":
        return -1
    lock = " FOR KEY SHARE"
    cursor.execute(
        f"SELECT (SELECT COUNT(DISTINCT v.k) FROM ({values_sql}) v WHERE v.k IS NOT NULL), "
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {parent} p WHERE p.{key} IN "
        f"(SELECT v.k FROM ({values_sql}) v WHERE v.k IS NOT NULL){lock}) l)",
        list(params or []) * 2,
    )
    wanted, found = cursor.fetchone()
    if found != wanted:
        raise ParentMissing(f"{what}: {wanted - found} referenced {parent} row(s) missing")
    return wanted
