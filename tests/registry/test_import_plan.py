"""The import's SQL statements are planned through selective indexes (SQLite plans without statistics).

A re-import of a union's file (every row at the same employer) once took 200 s for 100,000 rows on
SQLite because the open-employment check chose the `(employer_id, end_date)` index: one employer's
whole workforce scanned per row. The plan is checked here; `bench import_members` measures it."""

import pytest
from django.db import connection

from sinergi.registry import importer

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner without statistics")
def test_the_open_employment_check_looks_employments_up_by_person():
    cols = ", ".join(f"{c} {t}" for c, t in importer.STAGE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {importer.STAGE} ({cols}, PRIMARY KEY (nik))")
        try:
            cursor.execute("EXPLAIN QUERY PLAN " + importer.employment_insert_sql(), ["2026-12-05", "x", "x"])
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        finally:
            cursor.execute(f"DROP TABLE {importer.STAGE}")
    assert "SEARCH e USING INDEX registry_employment_person_id" in plan, plan
    assert "employe_888a1c" not in plan, plan
