"""Issue #16 (import near COPY) and the #11 leftovers: only queried indexes, memberships written by the
unions app, foreign keys checked once per statement, the SQLite cache, the company column, the
sheet's own row numbers in the report, the column mapping through the API, and a memory bound."""

import datetime as dt
import inspect
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import TestCase
from openpyxl import load_workbook

from sinergi.core import bulksql
from sinergi.core.models import AuditEntry, Job
from sinergi.registry import import_checks, importer
from sinergi.registry.models import Employer, Employment, Person
from sinergi.unions.models import Membership
from tests.factories import EmployerFactory, make_nik
from tests.registry.test_import import csv_bytes, good_rows, puk, run  # noqa: F401, F811 - puk is a fixture

pytestmark = pytest.mark.django_db

# docs/registry.md lists each of these with the query that uses it
PERSON_INDEXES = {
    ("id",): "primary key",
    ("nik",): "unique NIK (and its prefix twin on PostgreSQL)",
    ("kk_number",): "search by KK number",
    ("domicile_region_id",): "scope and region filter (code prefix)",
    ("occupation",): "coverage gap by occupation, scheme eligibility",
    ("is_vulnerable",): "vulnerable filter and home count (partial)",
    ("birth_date",): "age rules of programme eligibility",
    ("merged_into_id",): "records merged into a person",
    ("name", "id"): "people lists: the default order and the keyset seek (migration 0005, plain SQL)",
}
# PostgreSQL only: the GIN trigram index behind name search (migration 0005; SQLite uses an FTS5 table).
PG_PERSON_INDEXES = {("name_key",): "name search, name_key LIKE '%token%'"}


def _indexed_columns(table):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"] or c["primary_key"]}


def test_registry_person_keeps_only_the_indexes_a_query_uses():
    expected = set(PERSON_INDEXES) | (set(PG_PERSON_INDEXES) if connection.vendor == "postgresql" else set())
    assert _indexed_columns("registry_person") == expected
    membership = _indexed_columns("unions_membership")
    assert (
        ("body_id",) not in membership and ("status",) not in membership and ("created_at",) not in membership
    )
    assert ("body_id", "status") in membership and ("person_id",) in membership
    employment = _indexed_columns("registry_employment")
    assert ("employer_id",) not in employment and ("employer_id", "end_date") in employment
    docs = (Path(__file__).resolve().parents[2] / "docs" / "registry.md").read_text()
    for name in (
        "registry_person_region",
        "registry_person_kk",
        "registry_person_occupation",
        "registry_person_vulnerable",
        "registry_person_name_id",
        "registry_person_name_key_trgm",
        "registry_person_word_pair",
    ):
        assert name in docs


def test_the_importer_writes_no_membership_row_itself():
    """Issue #18: memberships belong to the unions app; the importer calls its service."""
    source = inspect.getsource(importer)
    assert "unions_membership" not in source and "Membership._meta" not in source
    assert "bulk_upsert_memberships_from_stage" in source


def test_memberships_come_from_the_unions_service(puk, agency_officer):  # noqa: F811
    job = run(csv_bytes(good_rows(3)), "a.csv", body=puk, actor=agency_officer, mode="commit")
    assert job.result["written"]["memberships_created"] == 3
    assert Membership.objects.filter(body=puk, status="active", verified=True).count() == 3
    assert set(Membership.objects.values_list("member_number", flat=True)) == {
        "FSPMI-0000100",
        "FSPMI-0000101",
        "FSPMI-0000102",
    }


@pytest.mark.skipif("not os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_a_missing_parent_is_refused_once_per_statement():
    with transaction.atomic(), connection.cursor() as cursor:
        assert bulksql.parents_locked(
            cursor,
            values_sql="SELECT %s AS k",
            params=["317205"],
            parent="regions_region",
            key="code",
            what="x",
        )
        with pytest.raises(bulksql.ParentMissing):
            bulksql.parents_locked(
                cursor,
                values_sql="SELECT %s AS k",
                params=["999999"],
                parent="regions_region",
                key="code",
                what="x",
            )


def test_foreign_key_triggers_come_back_after_the_block():
    with transaction.atomic(), connection.cursor() as cursor:
        with bulksql.fk_checks_per_statement(cursor) as off:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW session_replication_role")
                assert cursor.fetchone()[0] == ("replica" if off else "origin")
        if connection.vendor == "postgresql":
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_sqlite_cache_is_sized_for_the_import_and_restored():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        with importer.sqlite_sized_cache(cursor, 100_000):
            cursor.execute("PRAGMA cache_size")
            inside = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size")
        after = cursor.fetchone()[0]
    assert (
        -inside >= importer.SQLITE_IMPORT_CACHE_MIN_KIB
        and -inside >= 100_000 * importer.SQLITE_IMPORT_KIB_PER_ROW
    )
    assert after == before


# --- the company column (issue #11) --------------------------------------------------------------


def _company_file(rows):
    lines = ["No,NIK,Nama,Perusahaan,Status Pekerjaan"]
    for i, (company, kind) in enumerate(rows, start=1):
        birth = dt.date(1986, 1 + i % 12, 1 + i % 28)
        lines.append(f"{i},{make_nik('317205', birth, 'M', serial=400 + i)},Pekerja PT {i},{company},{kind}")
    return ("\n".join(lines) + "\n").encode()


def test_company_column_links_an_employer_in_scope_or_registers_it(agency_officer):
    known = EmployerFactory(name="PT Sinar Baja", region_id="3172")
    data = _company_file(
        [("PT. SINAR BAJA", "formal"), ("Sinar Baja", ""), ("CV Baru Jaya", "formal"), ("", "formal")]
    )
    job = run(data, "pt.csv", actor=agency_officer, mode="commit")
    assert job.result["written"]["employers_created"] == 1
    assert job.result["written"]["employments_created"] == 3
    new = Employer.objects.get(name="CV Baru Jaya")
    assert set(Employment.objects.filter(employer=known).values_list("person__name", flat=True)) == {
        "Pekerja PT 1",
        "Pekerja PT 2",
    }
    assert list(Employment.objects.filter(employer=new).values_list("person__name", flat=True)) == [
        "Pekerja PT 3"
    ]
    assert not Employment.objects.filter(person__name="Pekerja PT 4").exists()
    assert AuditEntry.objects.filter(object_type="registry.employer", object_id=str(new.pk)).exists()
    again = run(data, "pt.csv", actor=agency_officer, mode="commit")  # re-import: nothing new
    assert (
        again.result["written"]["employers_created"] == 0
        and again.result["written"]["employments_created"] == 0
    )


def test_an_ambiguous_company_name_is_refused_with_the_reason(agency_officer):
    EmployerFactory(name="PT Maju", region_id="3172")
    EmployerFactory(name="Maju Tbk", region_id="3171")
    job = run(
        _company_file([("PT Maju", "formal"), ("", "formal")]), "pt.csv", actor=agency_officer, mode="commit"
    )
    assert job.result["rejected"] == 1
    reason = job.result["rejected_preview"][0]["reasons"]
    assert "matches 2 registered employers" in reason and "PT Maju" in reason
    assert job.result["rejected_preview"][0]["ref"] == "1"
    assert (
        Person.objects.filter(name="Pekerja PT 2").exists()
        and not Person.objects.filter(name="Pekerja PT 1").exists()
    )


def test_an_unknown_company_is_refused_when_the_role_may_not_register_employers():
    frame = importer.read_table(_company_file([("PT Entah", "formal")]), "pt.csv")
    lookup = import_checks.EmployerLookup(ids_by_key={}, may_register=False)
    result = importer.validate(frame, language="en", employers=lookup)
    assert result.valid.height == 0 and "is not registered in your area" in result.rejected["reasons"][0]


def test_employers_outside_the_scope_are_not_linked(make_user):
    EmployerFactory(name="PT Jauh", region_id="3509")  # East Java: outside a Jakarta officer's scope
    officer = make_user("agency_officer", region="31")
    lookup = import_checks.EmployerLookup.for_user(officer)
    assert "jauh" not in lookup.ids_by_key


# --- the sheet's own numbers in the report (issue #11) -------------------------------------------


def test_the_no_column_is_the_row_reference_in_the_report(agency_officer):
    birth = dt.date(1985, 1, 1)
    nik = make_nik("317205", birth, "M", serial=901)
    data = (
        "No,NIK,Nama\n"
        f"17,{nik},Pekerja Satu\n"
        f"18,{nik},Pekerja Satu\n"  # pasted twice: skipped, reported with the sheet's number 18
        "19,123,Salah NIK\n"
    ).encode()
    job = run(data, "no.csv", actor=agency_officer)
    assert [r["ref"] for r in job.result["rejected_preview"]] == ["19"]
    assert [r["ref"] for r in job.result["skipped_preview"]] == ["18"]
    sheet = load_workbook(io.BytesIO(job.result_file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "No (your sheet)"
    assert {r[1] for r in rows[1:]} == {"18", "19"}


# --- the column mapping through the API (issue #11) ----------------------------------------------


@pytest.fixture
def api(client, agency_officer, password):
    client.login(username=agency_officer.username, password=password)
    return client


def test_api_upload_takes_the_column_mapping(api):
    nik = make_nik(serial=78)
    data = f"Kolom1,Kolom2,Tempat\n{nik},Pekerja Peta,Bandung\n".encode()  # headers nobody recognises
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api.post(
            "/api/v1/registry/imports",
            {
                "file": SimpleUploadedFile("a.csv", data),
                "mode": "commit",
                "mapping": json.dumps({"columns": {"A": "nik", "c2": "name", "C": "birth_place"}}),
            },
        )
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == "succeeded", job.error
    assert Person.objects.get(nik=nik).birth_place == "Bandung"
    assert job.params["mapping"] == {"c1": "nik", "c2": "name", "c3": "birth_place"}


@pytest.mark.parametrize(
    "mapping",
    ["not json", json.dumps({"columns": {"A": "no_such_field"}}), json.dumps({"columns": {"1A": "nik"}})],
)
def test_api_upload_refuses_a_bad_mapping_with_a_message(api, mapping):
    response = api.post(
        "/api/v1/registry/imports",
        {"file": SimpleUploadedFile("a.csv", b"NIK,Nama\n"), "mapping": mapping},
    )
    assert response.status_code in (400, 422), response.content
    assert not Job.objects.exists()


# --- memory (issue #11: the job's peak memory stays under a bound) -------------------------------

MEMORY_ROWS = 50_000
MEMORY_BOUND_MB = 700

_MEASURE = """
import os, resource, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
django.setup()
from pathlib import Path
sys.path.insert(0, {root!r})
from bench.generate import write_people_csv
from sinergi.registry import importer
path = Path({path!r})
write_people_csv(path, {rows})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = importer.validate(importer.read_table(path.read_bytes(), path.name), language="en")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base // 1024, peak // 1024, result.valid.height)
"""


def test_reading_and_validating_a_file_at_the_row_limit_stays_under_a_memory_bound(tmp_path, settings):
    """Peak resident memory (ru_maxrss, in a fresh process) of reading and validating a file with
    SINERGI_IMPORT_MAX_ROWS rows, the job's largest step. docs/registry.md gives the figures."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "SINERGI_IMPORT_MAX_ROWS": str(MEMORY_ROWS), "DATABASE_URL": ""}
    code = _MEASURE.format(root=root, path=str(tmp_path / "limit.csv"), rows=MEMORY_ROWS)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, cwd=root
    )
    assert out.returncode == 0, out.stderr[-2000:]
    base_mb, peak_mb, valid = (int(x) for x in out.stdout.split()[-3:])
    assert valid > MEMORY_ROWS * 0.99
    assert peak_mb < MEMORY_BOUND_MB, (base_mb, peak_mb)


def test_employment_lookups_of_the_import_never_go_through_the_employer_index(puk):  # noqa: F811
    """The staged rows share one company: a lookup through (employer_id, end_date) returns every
    employment at it for every staged row (quadratic: a 100k-row SQLite re-import took 585 s). The
    import's employment INSERT and UPDATE, planned against a real stage, must find rows by person."""
    from django.test.utils import CaptureQueriesContext

    valid = importer.validate(importer.read_table(csv_bytes(good_rows(5)), "a.csv"), body=puk).valid
    importer.commit(valid, body=puk)
    with CaptureQueriesContext(connection) as captured:
        importer.commit(valid, body=puk)  # the re-import: employments exist, the lookups run
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("INSERT INTO registry_employment", "UPDATE registry_employment"))
    ]
    assert len(statements) == 2
    constraints = connection.introspection.get_constraints(connection.cursor(), "registry_employment")
    employer_index = next(n for n, c in constraints.items() if c["columns"] == ["employer_id", "end_date"])
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with transaction.atomic(), connection.cursor() as cursor:
        staged, _created = importer._link_employers(valid, body=puk, actor=None)
        importer._fill_stage(cursor, staged)
        for sql in statements:
            cursor.execute(explain + sql)
            plan = "\n".join(str(row) for row in cursor.fetchall())
            assert employer_index not in plan, plan
        transaction.set_rollback(True)


def test_first_import_skips_the_no_op_updates_and_a_later_import_still_updates(puk):  # noqa: F811
    """Issue #16 (SQLite ≤ 3×): when no staged NIK existed before, every person's only membership and
    employment are the ones the import just wrote with the file's values, so the member-number and
    wage UPDATEs are skipped. A later import of the same people with other values still updates both,
    and one of new and known people together runs them too."""
    from django.test.utils import CaptureQueriesContext

    def commit(rows):
        valid = importer.validate(importer.read_table(csv_bytes(rows), "a.csv"), body=puk).valid
        with CaptureQueriesContext(connection) as captured:
            result = importer.commit(valid, body=puk)
        updates = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith(("UPDATE unions_membership", "UPDATE registry_employment"))
        ]
        return result, updates

    rows = good_rows(4)
    result, updates = commit(rows)
    assert (result.people_created, result.memberships_created, result.employments_created) == (4, 4, 4)
    assert updates == []
    nik0 = rows[0].split(",")[0]
    assert Membership.objects.get(person__nik=nik0, body=puk).member_number == "FSPMI-0000100"
    assert Employment.objects.get(person__nik=nik0, end_date=None).wage == 5396761

    changed = [rows[0].replace("5396761", "6100000").replace("FSPMI-0000100", "FSPMI-9999999")]
    result, updates = commit(changed + good_rows(1, start=500))  # one known person, one new
    assert len(updates) == 2
    assert (result.people_created, result.memberships_updated, result.employments_updated) == (1, 1, 1)
    assert Membership.objects.get(person__nik=nik0, body=puk).member_number == "FSPMI-9999999"
    assert Employment.objects.get(person__nik=nik0, end_date=None).wage == 6100000
    assert Membership.objects.filter(body=puk, status="active").count() == 5
