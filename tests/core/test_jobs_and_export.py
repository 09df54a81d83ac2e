"""Background jobs: the audit-log export job (XLSX, audited, scoped), job pages and API scoped to the starter."""

import io
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.core.audit import audit_record
from sinergi.core.models import AuditEntry, Job

pytestmark = pytest.mark.django_db


def _export(client, **data):
    return client.post(reverse("core:audit_export"), {"purpose": "pemeriksaan internal", **data})


def test_the_audit_export_job_writes_the_filtered_entries_to_xlsx_and_is_audited(client, admin_user):
    audit_record(actor=admin_user, action="reveal", object_type="registry.person", purpose="=HYPERLINK(1)")
    audit_record(actor=admin_user, action="update", object_type="coverage.bill")
    client.force_login(admin_user)
    response = _export(client, action="reveal")
    job = Job.objects.get(kind="core.audit_export")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.total, job.done, job.failed) == (1, 1, 0)
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-result"' in page and "100%" in page
    download = client.get(reverse("core:job_result", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Kejadian", "Waktu", "Pelaku", "Id organisasi", "Aksi")
    assert len(rows) == 2
    assert rows[1][0].startswith(admin_user.username) or f"({admin_user.username})" in rows[1][0]
    assert "membuka data pribadi" in rows[1][0]  # the entry in officers' words
    assert rows[1][4] == "reveal" and rows[1][9] == "'=HYPERLINK(1)"  # formula escaped
    exports = AuditEntry.objects.filter(action="export", object_type="core.job", object_id=str(job.pk))
    assert exports.count() == 2  # the export itself, and the download of its file
    first = exports.order_by("id").first()
    assert first.purpose == "pemeriksaan internal"
    assert first.changes["rows"] == 1 and first.changes["filters"] == {"action": "reveal"}


def test_an_export_without_a_purpose_is_refused_and_no_job_starts(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("core:audit_export"), {"purpose": " "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Say why you are exporting the audit log" in response.content.decode()
    assert not Job.objects.exists()


def test_an_officer_without_the_audit_capability_cannot_export(client, agency_officer):
    client.force_login(agency_officer)
    assert _export(client).status_code == 403
    assert client.get(reverse("core:audit_export")).status_code in (403, 405)
    assert not Job.objects.exists()


def test_an_agency_heads_export_holds_only_their_organisations_entries(client, make_user):
    head = make_user("agency_head", region="3509")
    other = make_user("agency_officer", region="31")
    audit_record(actor=other, action="update", object_type="foreign.row")
    audit_record(actor=head, action="update", object_type="own.row")
    client.force_login(head)
    _export(client)
    job = Job.objects.get()
    sheet = load_workbook(io.BytesIO(job.result_file.read())).active
    types = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "own.row" in types and "foreign.row" not in types


def test_jobs_are_visible_to_their_organisation_only_in_pages_and_api(client, make_user, admin_user):
    head = make_user("agency_head", region="3509")
    stranger = make_user("agency_head", region="31")
    client.force_login(head)
    _export(client)
    job = Job.objects.get()
    assert client.get("/api/v1/core/jobs").json()["items"][0]["id"] == job.pk
    detail = client.get(f"/api/v1/core/jobs/{job.pk}").json()
    assert detail["status"] == "succeeded" and detail["percent"] == 100 and detail["has_result_file"]
    client.force_login(stranger)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_result", args=[job.pk])).status_code == 404
    assert client.get(f"/api/v1/core/jobs/{job.pk}").status_code == 404
    assert client.get("/api/v1/core/jobs").json()["items"] == []


def test_a_failing_job_records_why_and_leaves_nothing_half_written(agency_officer):
    from django.db import transaction

    from sinergi.core.jobs import job_handler, job_start
    from sinergi.regions.models import MinimumWage

    @job_handler("test.fails_halfway")
    def fails(job, progress):
        progress.set_total(2)
        with transaction.atomic():
            MinimumWage.objects.create(
                region_id="35", kind="UMP", year=2099, amount=1, decree="half", valid_from="2099-01-01"
            )
            progress.advance(1)
            raise ValueError("row 2: amount missing")

    job = job_start(kind="test.fails_halfway", user=agency_officer)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "row 2: amount missing"
    assert not MinimumWage.objects.filter(year=2099).exists()


def test_health_answers_for_load_balancers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_check_deploy_in_production_mode_reports_no_warnings(tmp_path):
    env = {
        **os.environ,
        "SINERGI_HOME": str(tmp_path),
        "SINERGI_MODE": "production",
        "SINERGI_SECRET_KEY": "prod-" + "k3y" * 20,
        "SINERGI_ALLOWED_HOSTS": "sinergi.example.go.id",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "sinergi", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret(tmp_path):
    env = {**os.environ, "SINERGI_HOME": str(tmp_path), "SINERGI_MODE": "production"}
    env.pop("SINERGI_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "sinergi", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SINERGI_SECRET_KEY must be set" in result.stderr
