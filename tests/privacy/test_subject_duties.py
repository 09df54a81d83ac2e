"""Issue 12 item 7: data-subject duties (UU 27/2022): everything held on a person, their correction
history, and retention of rejected import rows and uploaded documents."""

import datetime as dt
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from openpyxl import load_workbook

from sinergi.core import clock
from sinergi.core.models import AuditEntry, Job
from tests.claims.factories import FamilyMemberFactory
from tests.coverage.factories import ParticipationFactory
from tests.factories import MembershipFactory, PersonFactory, make_nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = PersonFactory(district="317205", phone="081234567890")
    FamilyMemberFactory(person=person, name="Anak Uji")
    MembershipFactory(person=person)
    ParticipationFactory(person=person)
    return person


def test_an_officer_exports_everything_held_on_a_person_as_json_with_every_app_s_part(
    client, agency_officer, password, person
):
    client.login(username=agency_officer.username, password=password)
    assert client.get(f"/registry/people/{person.pk}/data/").status_code == 200
    refused = client.post(f"/registry/people/{person.pk}/data/", {"purpose": "", "format": "json"})
    assert refused.status_code == 400 and not AuditEntry.objects.filter(action="export").exists()
    response = client.post(
        f"/registry/people/{person.pk}/data/", {"purpose": "permintaan tertulis 1 Des 2026", "format": "json"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["registry.person"][0]["nik"] == person.nik  # in full: it is the person's own data
    assert data["registry.family"][0]["name"] == "Anak Uji"
    assert len(data["unions.memberships"]) == 1
    assert len(data["coverage.participations"]) == 1
    assert {"claims.cases", "programs.applications", "aspirations.aspirations"} <= set(data)
    entry = AuditEntry.objects.get(action="export", object_type="registry.person")
    assert entry.purpose == "permintaan tertulis 1 Des 2026"
    assert entry.changes["subject_export"]["registry.family"] == 1


def test_the_export_as_xlsx_has_a_sheet_per_section(client, agency_officer, password, person):
    client.login(username=agency_officer.username, password=password)
    response = client.post(f"/registry/people/{person.pk}/data/", {"purpose": "permintaan", "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "registry.person" in book.sheetnames and "unions.memberships" in book.sheetnames


@pytest.mark.parametrize("role", ["union_official", "sponsor_viewer", "leadership_viewer"])
def test_roles_without_the_duty_cannot_export_a_person_s_data(client, make_user, password, person, role):
    user = make_user(role)
    client.login(username=user.username, password=password)
    assert client.post(
        f"/registry/people/{person.pk}/data/", {"purpose": "x", "format": "json"}
    ).status_code in (
        403,
        404,
    )


def test_a_person_outside_the_scope_cannot_be_exported(client, make_user, password):
    officer = make_user("agency_officer", region="3509")
    outside = PersonFactory(district="317205")
    client.login(username=officer.username, password=password)
    assert client.post(f"/registry/people/{outside.pk}/data/", {"purpose": "x"}).status_code == 404


def test_the_correction_history_lists_changes_masked(client, agency_officer, password, person):
    from sinergi.registry import services

    new = make_nik(serial=77)
    services.person_update(actor=agency_officer, person=person, nik=new, name="Nama Koreksi")
    client.login(username=agency_officer.username, password=password)
    html = client.get(f"/registry/people/{person.pk}/history/").content.decode()
    assert "Nama Koreksi" in html and new not in html and new[:6] + "******" in html


def _import_job(days_ago: int) -> Job:
    job = Job.objects.create(
        kind="registry.import",
        status="succeeded",
        finished_at=clock.now() - dt.timedelta(days=days_ago),
        result={"rejected": 1, "rejected_preview": [{"row": 2, "nik": "3172051203900001", "name": "X"}]},
    )
    job.input_file.save("anggota.csv", ContentFile(b"nik,name\n"), save=False)
    job.result_file.save("ditolak.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    return job


def test_retention_purges_old_import_files_and_rejected_rows_only(
    settings, django_capture_on_commit_callbacks
):
    settings.SINERGI_RETENTION_IMPORT_DAYS = 30
    old, recent = _import_job(40), _import_job(5)
    storage, old_name = old.input_file.storage, old.input_file.name
    assert storage.exists(old_name)
    call_command("retention_purge", "--dry-run", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.input_file.name  # a dry run deletes nothing
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go after the rows' commit
        call_command("retention_purge", stdout=out)
    assert "core.Job: purged 1 row(s), 2 file(s)" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.input_file.name, old.result_file.name, old.result["rejected_preview"]) == ("", "", [])
    assert not storage.exists(old_name)
    assert recent.input_file.name and recent.result["rejected_preview"]
    assert AuditEntry.objects.filter(purpose="retention", object_type="core.job").get().changes["rows"] == 1
    call_command("retention_purge", stdout=io.StringIO())  # again: nothing more to do, nothing audited
    assert AuditEntry.objects.filter(purpose="retention").count() == 1


def test_retention_deletes_documents_of_closed_claims_only(settings, make_user):
    from sinergi.claims.models import Claim, ClaimDocument
    from sinergi.core.retention import purge
    from tests.claims.factories import pdf
    from tests.claims.test_services import _open_death

    settings.SINERGI_RETENTION_DOCUMENT_DAYS = 365
    officer = make_user("ss_officer", region="3172", org_kind="ss_branch")
    case, _family = _open_death(officer)
    closed, open_ = case.claims.all()[:2]
    from sinergi.claims import services

    for claim in (closed, open_):
        services.claim_document_add(actor=officer, claim=claim, doc_type="death_certificate", upload=pdf())
    Claim.objects.filter(pk=closed.pk).update(status="rejected")
    ClaimDocument.objects.update(created_at=clock.now() - dt.timedelta(days=400))
    report = {line["model"]: line for line in purge()}
    assert report["claims.ClaimDocument"]["rows"] == 1
    assert list(ClaimDocument.objects.values_list("claim_id", flat=True)) == [open_.pk]
