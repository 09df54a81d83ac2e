"""Every parameter of the registry pages is parsed by a form: a bad value is a message on its field
(Indonesian), the page answers 200 (or 400 for a refused action) and nothing changes (issue #15)."""

import datetime as dt

import pytest

from sinergi.core.models import AuditEntry
from sinergi.core.paging import encode_cursor
from sinergi.registry.duplicates import find_and_store
from sinergi.registry.models import DuplicateCandidate
from sinergi.unions.models import UnionRegistration
from tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, agency_officer, password):
    client.login(username=agency_officer.username, password=password)
    return client


def _errors(response, form="form"):
    return response.context[form].errors


def test_people_region_in_letters_is_a_field_error_and_kept(officer_client):
    PersonFactory(name="Budi Santoso", district="317205")
    response = officer_client.get("/registry/people/", {"region": "abc", "q": "Budi"})
    assert response.status_code == 200
    assert list(_errors(response)) == ["region"]
    page = response.content.decode()
    assert "Ketik kode wilayah dengan angka" in page  # the Indonesian message, on the field
    assert 'value="abc"' in page and 'value="Budi"' in page  # what was typed is kept
    assert "Budi Santoso" in page  # the valid search still applies
    assert response.context["filters"] == {"q": "Budi"}  # export links carry only valid filters


def test_people_good_filters_still_work(officer_client):
    PersonFactory(name="Budi Santoso", district="317205")
    PersonFactory(name="Ani Lestari", district="317201")
    response = officer_client.get("/registry/people/", {"region": "31.72.05"})
    assert not _errors(response)
    page = response.content.decode()
    assert "Budi Santoso" in page and "Ani Lestari" not in page


def test_people_body_outside_scope_or_not_a_number(client, make_user, password):
    mine = UnionBodyFactory(name="PUK Saya", kind="unit")
    other = UnionBodyFactory(name="PUK Lain", kind="unit")
    MembershipFactory(body=mine)
    official = make_user("union_official", union_body=mine)
    client.login(username=official.username, password=password)
    response = client.get("/registry/people/", {"body": other.pk})
    assert response.status_code == 200 and list(_errors(response)) == ["body"]
    assert "tidak termasuk cakupan Anda" in response.content.decode()
    response = client.get("/registry/people/", {"body": "satu"})
    assert response.status_code == 200 and list(_errors(response)) == ["body"]
    response = client.get("/registry/people/", {"employer": EmployerFactory(region_id="350901").pk})
    assert list(_errors(response)) == ["employer"]


def test_people_broken_cursor_shows_first_page_with_message(officer_client):
    for i in range(3):
        PersonFactory(name=f"Orang {i}", district="317205")
    response = officer_client.get("/registry/people/", {"after": "bukan-kursor"})
    assert response.status_code == 200 and list(_errors(response)) == ["after"]
    assert response.context["page"].is_first and len(response.context["page"]) == 3
    assert 'data-testid="filter-errors"' in response.content.decode()
    # the field is named in Indonesian, not by its parameter ("After: …")
    assert "Halaman berikutnya:" in response.content.decode() and "After:" not in response.content.decode()
    # a cursor of the wrong shape (three values for a two-key list) is refused the same way
    response = officer_client.get("/registry/people/", {"before": encode_cursor(["a", "b", 1])})
    assert list(_errors(response)) == ["before"]


def test_people_unknown_export_or_bad_filter_exports_nothing(officer_client):
    PersonFactory(district="317205")
    response = officer_client.get("/registry/people/", {"export": "pdf"})
    assert response.status_code == 200 and list(_errors(response)) == ["export"]
    response = officer_client.get("/registry/people/", {"export": "csv", "region": "x"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert list(_errors(response)) == ["region"]
    assert not AuditEntry.objects.filter(action="export").exists()
    response = officer_client.get("/registry/people/", {"export": "csv", "purpose": "p" * 301})
    assert list(_errors(response)) == ["purpose"]
    assert not AuditEntry.objects.filter(action="export").exists()


def test_employer_and_union_list_filters(officer_client):
    EmployerFactory(name="PT Maju", region_id="317205")
    response = officer_client.get("/registry/employers/", {"region": "3a", "size": "raksasa"})
    assert response.status_code == 200 and set(_errors(response)) == {"region", "size"}
    assert 'value="3a"' in response.content.decode()
    assert "PT Maju" in officer_client.get("/registry/employers/", {"region": "3172"}).content.decode()
    response = officer_client.get("/registry/unions/", {"parent": "abc", "kind": "guild"})
    assert response.status_code == 200 and set(_errors(response)) == {"parent", "kind"}


def test_union_members_broken_cursor(officer_client):
    body = UnionBodyFactory(region_id="3172")
    MembershipFactory(body=body)
    response = officer_client.get(f"/registry/unions/{body.pk}/", {"after": "%%%"})
    assert response.status_code == 200 and "after" in response.context["cursor_form"].errors
    assert 'data-testid="cursor-errors"' in response.content.decode()


@pytest.fixture
def candidate(db):
    a = PersonFactory(
        name="Siti Nurhaliza Harahap", birth_date=dt.date(1990, 3, 12), sex="F", address="Jl. Mawar 3"
    )
    b = PersonFactory(
        name="Siti Nurhalisa Harahap", birth_date=dt.date(1990, 12, 3), sex="F", address="Jl. Mawar 3"
    )
    find_and_store()
    return DuplicateCandidate.objects.get(person_a=a, person_b=b)


def test_duplicate_decision_bad_values_change_nothing(officer_client, candidate):
    stranger = PersonFactory(district="317205")
    url = f"/registry/duplicates/{candidate.pk}/"
    for data, field in (
        ({"decision": "merge", "keep": "abc"}, "keep"),
        ({"decision": "merge", "keep": stranger.pk}, "keep"),
        ({"decision": "merge"}, "keep"),
        ({"decision": "explode", "keep": candidate.person_a_id}, "decision"),
    ):
        response = officer_client.post(url, data)
        assert response.status_code == 400, data
        assert field in _errors(response), data
        candidate.refresh_from_db()
        assert candidate.status == "open"
    assert "Pilih data yang dipertahankan" in officer_client.post(url, {"decision": "merge"}).content.decode()
    response = officer_client.post(url, {"decision": "not_duplicate"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "not_duplicate"


def test_duplicate_list_unknown_status(officer_client, candidate):
    response = officer_client.get("/registry/duplicates/", {"status": "semua"})
    assert response.status_code == 200 and list(_errors(response)) == ["status"]
    page = officer_client.get("/registry/duplicates/", {"status": "all"})
    assert candidate.person_a.name in page.content.decode()


def test_registration_decision_outside_the_body_or_bad_date(client, make_user, password):
    union = UnionBodyFactory(kind="union", region_id="3172")
    other = UnionBodyFactory(kind="union", region_id="3172")
    for _ in range(10):  # a union is recorded with at least ten members (UU 21/2000)
        MembershipFactory(body=union)
    agency = OrganisationFactory(kind="agency", region_id="3172")
    officer = make_user("agency_officer", org=agency)
    mine = UnionRegistration.objects.create(body=union, agency=agency, submitted_on="2026-11-02")
    theirs = UnionRegistration.objects.create(body=other, agency=agency, submitted_on="2026-11-02")
    client.login(username=officer.username, password=password)
    url = f"/registry/unions/{union.pk}/registration/"
    for data, field in (
        ({"registration": theirs.pk, "status": "recorded"}, "registration"),
        ({"registration": "abc", "status": "recorded"}, "registration"),
        ({"registration": mine.pk, "status": "approved"}, "status"),
        ({"registration": mine.pk, "status": "recorded", "record_date": "31-02-2026"}, "record_date"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert field in response.context["decision_form"].errors, data
    # the typed record number is kept on the re-rendered form
    response = client.post(
        url, {"registration": mine.pk, "status": "recorded", "record_number": "7/X", "record_date": "x"}
    )
    assert 'value="7/X"' in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == theirs.status == "submitted"
    response = client.post(url, {"registration": mine.pk, "status": "recorded", "record_number": "1/2026"})
    assert response.status_code == 302, response.context["decision_form"].errors
    mine.refresh_from_db()
    assert mine.status == "recorded"


def test_import_template_unknown_format(client, make_user, password):
    official = make_user("union_official", union_body=UnionBodyFactory())
    client.login(username=official.username, password=password)
    assert client.get("/registry/import/template/", {"format": "pdf"}).status_code == 400
    assert client.get("/registry/import/template/", {"format": "csv"})["Content-Type"].startswith("text/csv")
    response = client.get("/registry/import/", {"body": "abc"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
