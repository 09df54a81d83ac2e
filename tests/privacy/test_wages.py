"""Issue 12 item 1, wages: a person's wage (employment wage, declared income, a participation's wage and
its history, a contribution's basis, an application's wages) reaches a page or the API masked, and in
full only for a role that may see wages after an audited reveal with a purpose. Computed amounts
(contributions, bill totals) are not a person's wage and stay as they are."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.core.models import AuditEntry
from sinergi.core.privacy import MASKED_AMOUNT
from sinergi.core.templatetags.sinergi import rupiah
from sinergi.registry.models import Employment
from tests.coverage.factories import ParticipationFactory
from tests.factories import EmployerFactory, MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db

WAGE, INCOME, PART_WAGE = Decimal(7_345_678), Decimal(2_468_135), Decimal(6_543_219)


def _shows(html: str, amount) -> bool:
    return str(rupiah(amount)) in html


@pytest.fixture
def worker():
    body = UnionBodyFactory(region_id="317205")
    person = PersonFactory(district="317205", declared_income=INCOME)
    MembershipFactory(person=person, body=body)
    employer = EmployerFactory(region_id="3172")
    Employment.objects.create(person=person, employer=employer, start_date=dt.date(2022, 1, 1), wage=WAGE)
    part = ParticipationFactory(
        person=person,
        segment="PU",
        payer_kind="employer",
        employer=employer,
        region_id="3172",
        wage=PART_WAGE,
    )
    return person, part, body


def _wage_reveals():
    return AuditEntry.objects.filter(action="reveal", changes__field="wage")


def test_the_person_page_masks_wages_until_an_officer_reveals_them_with_a_purpose(
    client, agency_officer, password, worker
):
    person, part, _body = worker
    client.login(username=agency_officer.username, password=password)
    html = client.get(f"/registry/people/{person.pk}/").content.decode()
    for amount in (WAGE, INCOME, PART_WAGE):
        assert not _shows(html, amount)
    assert MASKED_AMOUNT in html and 'data-testid="wage-reveal"' in html
    assert not _wage_reveals().exists()

    refused = client.post(f"/registry/people/{person.pk}/", {"wage_purpose": "  "}).content.decode()
    assert not _shows(refused, WAGE) and not _wage_reveals().exists()  # no purpose, no reveal

    html = client.post(f"/registry/people/{person.pk}/", {"wage_purpose": "verifikasi BSU"}).content.decode()
    for amount in (WAGE, INCOME, PART_WAGE):  # the coverage section shares the page's one reveal
        assert _shows(html, amount)
    entry = _wage_reveals().get()
    assert (entry.purpose, entry.object_type, entry.object_id) == (
        "verifikasi BSU",
        "registry.person",
        str(person.pk),
    )
    assert entry.actor_id == agency_officer.pk


def test_a_union_official_never_sees_wages_even_when_posting_a_purpose(client, make_user, password, worker):
    person, part, body = worker
    official = make_user("union_official", union_body=body)
    client.login(username=official.username, password=password)
    for url in (f"/registry/people/{person.pk}/", f"/coverage/participations/{part.pk}/"):
        html = client.post(url, {"wage_purpose": "ingin tahu"}).content.decode()
        assert not any(_shows(html, a) for a in (WAGE, INCOME, PART_WAGE)), url
        assert 'data-testid="wage-reveal"' not in html
    api = client.get(f"/api/v1/coverage/participations/{part.pk}?purpose=ingin+tahu").json()
    assert api["wage"] is None
    assert not _wage_reveals().exists()


def test_participation_pages_and_the_bill_mask_wage_history_and_basis_but_not_contributions(
    client, make_user, password, worker
):
    from sinergi.coverage import services

    person, part, _body = worker
    officer = make_user("ss_officer", region="3172", org_kind="ss_branch")
    services.billing_run(actor=officer, month="2025-11")
    contribution = part.contributions.get()
    client.login(username=officer.username, password=password)
    detail = client.get(f"/coverage/participations/{part.pk}/").content.decode()
    listed = client.get("/coverage/participations/").content.decode()
    bill = client.get(f"/coverage/bills/{contribution.bill_id}/").content.decode()
    for html in (detail, listed, bill):
        assert not _shows(html, PART_WAGE) and MASKED_AMOUNT in html
        assert 'data-testid="wage-reveal"' in html
    assert _shows(bill, contribution.total) and _shows(detail, contribution.total)  # computed: shown
    assert not _wage_reveals().exists()

    detail = client.post(f"/coverage/participations/{part.pk}/", {"wage_purpose": "koreksi upah"})
    assert detail.status_code == 200 and _shows(detail.content.decode(), PART_WAGE)
    assert part.wage_reports.count() == 1  # a reveal is not a wage report
    listed = client.post("/coverage/participations/?segment=PU", {"wage_purpose": "rekap"}).content.decode()
    assert _shows(listed, PART_WAGE)
    bill = client.post(f"/coverage/bills/{contribution.bill_id}/", {"wage_purpose": "cek dasar upah"})
    assert bill.status_code == 200 and _shows(bill.content.decode(), contribution.basis)
    assert contribution.bill.payments.count() == 0  # a reveal is not a payment
    assert sorted(_wage_reveals().values_list("purpose", flat=True)) == [
        "cek dasar upah",
        "koreksi upah",
        "rekap",
    ]


def test_the_api_returns_wages_only_for_a_stated_purpose_and_audits_it_once(
    client, make_user, password, worker
):
    _person, part, _body = worker
    officer = make_user("ss_officer", region="3172", org_kind="ss_branch")
    client.login(username=officer.username, password=password)
    assert client.get(f"/api/v1/coverage/participations/{part.pk}").json()["wage"] is None
    listed = client.get("/api/v1/coverage/participations").json()["items"]
    assert [row["wage"] for row in listed if row["id"] == part.pk] == [None]
    assert not _wage_reveals().exists()
    detail = client.get(f"/api/v1/coverage/participations/{part.pk}?purpose=klaim+JKP").json()
    assert Decimal(str(detail["wage"])) == PART_WAGE
    listed = client.get("/api/v1/coverage/participations?purpose=rekap").json()["items"]
    assert [Decimal(str(r["wage"])) for r in listed if r["id"] == part.pk] == [PART_WAGE]
    assert _wage_reveals().count() == 2  # one per request, not one per row


def test_an_application_shows_the_wage_checked_against_the_ceiling_only_after_a_reveal(
    client, agency_officer, password
):
    from sinergi.programs.models import Application
    from tests.programs.factories import kpj_program

    program = kpj_program(year=2024)
    person = PersonFactory(district="317205")
    app = Application.objects.create(
        program=program,
        person=person,
        nominated_by=agency_officer,
        status="nominated",
        declared_wage=WAGE,
        wage_ceiling=Decimal(8_000_000),
    )
    client.login(username=agency_officer.username, password=password)
    html = client.get(f"/programs/applications/{app.pk}/").content.decode()
    assert not _shows(html, WAGE) and _shows(html, Decimal(8_000_000))  # the ceiling is a rule, not a wage
    html = client.post(f"/programs/applications/{app.pk}/", {"wage_purpose": "verifikasi"}).content.decode()
    assert _shows(html, WAGE)
    app.refresh_from_db()
    assert app.status == "nominated" and _wage_reveals().count() == 1
