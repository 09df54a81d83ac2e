"""Registry and unions API: scoped reads, writes through services, NIK check, import upload."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from sinergi.core.models import Job
from sinergi.registry.models import Person
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory, make_nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, agency_officer, password):
    client.login(username=agency_officer.username, password=password)
    return client


def test_nik_check_we11(api):
    body = api.get("/api/v1/registry/nik-check?nik=3172055203900001").json()
    assert body["valid"] and body["sex"] == "F" and body["birth_date"] == "1990-03-12"
    assert "Jakarta Utara" in body["regency_name"] and body["district_code"] == "317205"
    bad = api.get("/api/v1/registry/nik-check?nik=3172057203900001", HTTP_ACCEPT_LANGUAGE="en").json()
    assert not bad["valid"] and bad["errors"][0]["code"] == "nik_day"
    mismatch = api.get("/api/v1/registry/nik-check?nik=3172055203900001&sex=M").json()
    assert not mismatch["valid"] and mismatch["errors"][0]["code"] == "nik_sex_mismatch"


def test_people_list_masked_and_scoped(api):
    mine = PersonFactory(district="317205")
    PersonFactory(district="350901")
    body = api.get("/api/v1/registry/people").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == mine.pk and item["nik_masked"] == mine.nik[:6] + "******" + mine.nik[12:]
    assert "nik" not in item
    assert api.get(f"/api/v1/registry/people/{mine.pk}").status_code == 200


def test_people_outside_scope_404(api):
    other = PersonFactory(district="350901")
    assert api.get(f"/api/v1/registry/people/{other.pk}").status_code == 404


def test_create_and_update_person_with_errors_in_the_one_shape(api):
    bad = api.post(
        "/api/v1/registry/people",
        {"nik": "3172053002000001", "name": "X"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "code": "nik_birth_date",
        "message": "NIK: tanggal lahir 30-02-2000 tidak valid.",
        "field": "nik",
    }
    nik = make_nik(serial=4321)
    created = api.post(
        "/api/v1/registry/people",
        {
            "nik": nik,
            "name": "Budi Santoso",
            "phone": "0812 3456 7890",
            "employment_type": "informal",
            "occupation": "Pengayuh becak",
            "declared_income": 1500000,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    person = Person.objects.get(nik=nik)
    assert person.phone == "+6281234567890" and person.is_vulnerable
    patched = api.patch(
        f"/api/v1/registry/people/{person.pk}", {"address": "Jl. Baru"}, content_type="application/json"
    )
    assert patched.status_code == 200
    person.refresh_from_db()
    assert person.address == "Jl. Baru" and person.phone == "+6281234567890"


def test_an_income_too_large_to_keep_is_refused_not_stored(api, admin_user):
    """A declared income beyond what Sinergi keeps (DECIMAL(18,0); schemathesis sent 1e25) is a 422 on
    its field in the API and a refusal in the service; before, SQLite stored it and every list that read
    the person answered 500 (decimal.InvalidOperation)."""
    from sinergi.core.errors import SinergiError
    from sinergi.registry import services

    person = PersonFactory(employment_type="informal")
    for value in (1e25, "1" + "0" * 20, 10**15 + 1):
        response = api.patch(
            f"/api/v1/registry/people/{person.pk}",
            {"declared_income": value},
            content_type="application/json",
        )
        assert response.status_code == 422, (value, response.content)
        assert "declared_income" in response.content.decode()
    accepted = api.patch(
        f"/api/v1/registry/people/{person.pk}",
        {"declared_income": "Rp 1.500.000"},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    person.refresh_from_db()
    assert person.declared_income == 1500000
    with pytest.raises(SinergiError) as refused:
        services.person_update(actor=admin_user, person=person, declared_income=Decimal("1E+25"))
    assert refused.value.field == "declared_income"
    person.refresh_from_db()
    assert person.declared_income == 1500000
    assert api.get("/api/v1/coverage/gap/people").status_code == 200


def test_family_and_employers(api):
    person = PersonFactory()
    response = api.post(
        f"/api/v1/registry/people/{person.pk}/family",
        {"relation": "child", "name": "Anak", "school_level": "SD", "school_grade": 3},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert api.get(f"/api/v1/registry/people/{person.pk}/family").json()[0]["school_grade"] == 3
    employer = api.post(
        "/api/v1/registry/employers",
        {"name": "PT Baru", "region_id": "3172", "jkk_risk_class": 3, "size": "large"},
        content_type="application/json",
    )
    assert employer.status_code == 201
    assert api.get("/api/v1/registry/employers").json()["count"] == 1


def test_unions_api_scoped_for_official(client, make_user, password):
    mine = UnionBodyFactory(kind="union")
    other = UnionBodyFactory(kind="union")
    MembershipFactory(body=mine)
    theirs = MembershipFactory(body=other)
    official = make_user("union_official", union_body=mine)
    client.login(username=official.username, password=password)
    assert [b["id"] for b in client.get("/api/v1/unions/bodies").json()["items"]] == [mine.pk]
    assert client.get(f"/api/v1/unions/bodies/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/unions/memberships/{theirs.pk}").status_code == 404
    assert client.get("/api/v1/unions/memberships").json()["count"] == 1


def test_membership_create_and_update(api):
    body = UnionBodyFactory(kind="union")
    person = PersonFactory()
    created = api.post(
        "/api/v1/unions/memberships",
        {"person_id": person.pk, "body_id": body.pk, "member_number": "A-1", "verified": True},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert api.get(f"/api/v1/unions/bodies/{body.pk}").json()["member_count"] == 1
    again = api.post(
        "/api/v1/unions/memberships",
        {"person_id": person.pk, "body_id": body.pk},
        content_type="application/json",
    )
    assert again.status_code == 409
    left = api.patch(
        f"/api/v1/unions/memberships/{created.json()['id']}",
        {"status": "left"},
        content_type="application/json",
    )
    assert left.status_code == 200 and left.json()["left_on"]


def test_import_upload_starts_a_job(api):
    data = f"NIK,Nama\n{make_nik(serial=77)},Pekerja API\n".encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api.post(
            "/api/v1/registry/imports",
            {"file": SimpleUploadedFile("a.csv", data), "mode": "commit"},
        )
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == "succeeded" and Person.objects.filter(name="Pekerja API").exists()
