"""Billing runs: worked examples to the rupiah from the set-based SQL, idempotency, payments, arrears."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.core.errors import SinergiError
from sinergi.coverage import services
from sinergi.coverage.models import Bill, BillingRun, Contribution, Participation, Payment
from sinergi.rules import contributions as rules
from tests.coverage.factories import ParticipationFactory
from tests.factories import EmployerFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
NOV = dt.date(2025, 11, 1)


@pytest.fixture
def ss_officer(make_user):
    return make_user("ss_officer", region="31")


def _we1(employer=None):
    employer = employer or EmployerFactory(jkk_risk_class=2)
    return ParticipationFactory(
        segment="PU",
        payer_kind="employer",
        employer=employer,
        jht=True,
        jp=True,
        risk_class=2,
        wage=Decimal(5396761),
        region_id="3172",
        start_date=dt.date(2025, 1, 1),
    )


def test_we1_from_a_billing_run(ss_officer):
    part = _we1()
    run = services.billing_run(actor=ss_officer, month="2025-11")
    c = Contribution.objects.get(participation=part, month=NOV)
    assert (c.jkk, c.jkm, c.jht_employer, c.jht_worker, c.jp_employer, c.jp_worker) == (
        29143,
        16190,
        199680,
        107935,
        107935,
        53968,
    )
    assert c.employer_part == 352948 and c.worker_part == 161903 and c.total == 514851
    bill = Bill.objects.get(month=NOV, payer_kind="employer", payer_id=part.employer_id)
    assert bill.total == 514851 and bill.participations == 1
    assert bill.payer_name == part.employer.name
    assert bill.due_date == dt.date(2025, 12, 15)
    assert run.total == 514851 and run.rates["jp_cap"] == 10547400


def test_we4_and_we5_from_a_billing_run_for_a_sponsor(make_user):
    # the Pekalongan branch bills the Pekalongan sponsor (the payer's location is its service area)
    ss_officer = make_user("ss_officer", region="3375")
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    people = [PersonFactory(district="337501") for _ in range(423)]
    Participation.objects.bulk_create(
        [
            Participation(
                person=p,
                segment="BPU",
                payer_kind="sponsor",
                sponsor_organisation=sponsor,
                region_id="337501",
                start_date=dt.date(2023, 1, 1),
                wage=Decimal(1000000),
                participant_number=f"9{i:010d}",
            )
            for i, p in enumerate(people)
        ]
    )
    from sinergi.coverage.models import WageReport

    WageReport.objects.bulk_create(
        [
            WageReport(participation=p, amount=p.wage, valid_from=p.start_date)
            for p in Participation.objects.all()
        ]
    )
    for m in range(1, 13):
        services.billing_run(actor=ss_officer, month=dt.date(2023, m, 1))
    bills = Bill.objects.filter(payer_kind="sponsor", payer_id=sponsor.pk)
    assert bills.count() == 12
    assert {b.total for b in bills} == {Decimal(7106400)}  # WE-5 monthly
    assert sum(b.total for b in bills) == 85276800  # WE-5 yearly
    c = Contribution.objects.filter(month=dt.date(2023, 5, 1)).first()
    assert (c.jkk, c.jkm, c.total) == (10000, 6800, 16800)  # WE-4


def test_a_repeated_run_creates_no_second_bill(ss_officer):
    _we1()
    ParticipationFactory()  # BPU self-paying
    services.billing_run(actor=ss_officer, month="2025-11")
    first = list(Bill.objects.values_list("pk", "total"))
    services.billing_run(actor=ss_officer, month="2025-11")
    assert list(Bill.objects.values_list("pk", "total")) == first
    assert BillingRun.objects.count() == 1
    assert Contribution.objects.count() == 2


def test_a_late_enrolment_is_added_to_the_existing_bill(ss_officer):
    employer = EmployerFactory(jkk_risk_class=2)
    _we1(employer)
    services.billing_run(actor=ss_officer, month="2025-11")
    _we1(employer)
    run = services.billing_run(actor=ss_officer, month="2025-11")
    bill = Bill.objects.get()
    assert bill.participations == 2 and bill.total == 2 * 514851
    assert run.bills == 1


def test_only_active_participations_in_the_month_are_billed(ss_officer):
    ParticipationFactory(status="pending")
    ParticipationFactory(status="lapsed")
    ParticipationFactory(end_date=dt.date(2025, 10, 31))
    ParticipationFactory(start_date=dt.date(2025, 12, 1))
    billed = ParticipationFactory(status="arrears")
    services.billing_run(actor=ss_officer, month="2025-11")
    assert list(Contribution.objects.values_list("participation_id", flat=True)) == [billed.pk]


def test_wage_history_gives_the_basis_in_force_in_the_month(ss_officer):
    part = _we1()
    services.wage_report(
        actor=ss_officer, participation=part, amount=12000000, valid_from=dt.date(2025, 12, 1)
    )
    services.billing_run(actor=ss_officer, month="2025-11")
    services.billing_run(actor=ss_officer, month="2025-12")
    nov, dec = Contribution.objects.order_by("month")
    assert nov.basis == 5396761 and nov.jp_basis == 5396761
    assert dec.basis == 12000000 and dec.jp_basis == 10547400  # JP capped
    assert dec.jp_employer == 210948 and dec.jp_worker == 105474


def test_jp_cap_changes_in_march_in_billing(ss_officer):
    part = _we1()
    services.wage_report(
        actor=ss_officer, participation=part, amount=20000000, valid_from=dt.date(2025, 2, 1)
    )
    services.billing_run(actor=ss_officer, month="2025-02")
    services.billing_run(actor=ss_officer, month="2025-03")
    feb, mar = Contribution.objects.order_by("month")
    assert feb.jp_basis == 10042300 and mar.jp_basis == 10547400


def test_pp_7_2025_discount_in_billing_matches_the_quote(ss_officer):
    employer = EmployerFactory(jkk_risk_class=3, labour_intensive_industry="textile")
    part = ParticipationFactory(
        segment="PU",
        payer_kind="employer",
        employer=employer,
        risk_class=3,
        labour_intensive_industry="textile",
        wage=Decimal(5000000),
        start_date=dt.date(2025, 1, 1),
        region_id="3172",
    )
    services.billing_run(actor=ss_officer, month="2025-03")
    services.billing_run(actor=ss_officer, month="2025-08")
    mar, aug = Contribution.objects.filter(participation=part).order_by("month")
    assert mar.jkk == 22250 and aug.jkk == 44500


def test_pmi_package_billed_once_in_the_start_month(ss_officer):
    part = ParticipationFactory(
        segment="PMI", pmi_contract_months=24, wage=Decimal(0), start_date=dt.date(2025, 11, 10)
    )
    services.billing_run(actor=ss_officer, month="2025-11")
    services.billing_run(actor=ss_officer, month="2025-12")
    assert list(Contribution.objects.filter(participation=part).values_list("total", flat=True)) == [370000]


def test_a_month_no_table_covers_is_refused(ss_officer):
    with pytest.raises(SinergiError) as err:
        services.billing_run(actor=ss_officer, month="2014-01")
    assert err.value.field == "date"


def test_payment_marks_bill_paid_and_arrears_then_lapse(ss_officer):
    part = ParticipationFactory(start_date=dt.date(2025, 1, 1))
    for m in (1, 2, 3, 4):
        services.billing_run(actor=ss_officer, month=dt.date(2025, m, 1))
    services.statuses_refresh(today=dt.date(2025, 3, 20))  # Jan and Feb overdue
    part.refresh_from_db()
    assert part.status == "arrears"
    services.statuses_refresh(today=dt.date(2025, 5, 20))  # Jan..Apr overdue: lapsed
    part.refresh_from_db()
    assert part.status == "lapsed"
    for b in Bill.objects.order_by("month"):
        services.payment_record(
            actor=ss_officer, bill=b, amount=b.total, paid_on=dt.date(2025, 5, 21), reference=f"TRX{b.pk}"
        )
    services.statuses_refresh(today=dt.date(2025, 5, 21))
    part.refresh_from_db()
    assert part.status == "active"
    assert set(Bill.objects.values_list("status", flat=True)) == {"paid"}
    assert Contribution.objects.filter(paid=True).count() == 4


def test_payments_import_validates_every_row_and_writes_nothing_on_error(ss_officer):
    ParticipationFactory(region_id="317205")
    services.billing_run(actor=ss_officer, month="2025-11")
    bill = Bill.objects.get()
    bad = f"No Tagihan,Jumlah,Tanggal,Referensi\n{bill.number},16800,2025-12-01,A1\nB-NOPE,abc,31/13/2025,\n"
    with pytest.raises(services.ImportErrors) as err:
        services.payments_import(actor=ss_officer, data=bad.encode(), filename="mutasi.csv")
    assert [e["row"] for e in err.value.errors] == [3]
    assert len(err.value.errors[0]["errors"]) == 4
    assert Payment.objects.count() == 0
    good = f"No Tagihan,Jumlah,Tanggal,Referensi\n{bill.number},10000,2025-12-01,A1\n{bill.number},6.800,02/12/2025,A2\n"
    result = services.payments_import(actor=ss_officer, data=good.encode(), filename="mutasi.csv")
    assert result == {"rows": 2, "total": 16800}
    bill.refresh_from_db()
    assert bill.paid == 16800 and bill.status == "paid"
    with pytest.raises(services.ImportErrors):  # the same statement twice is refused
        services.payments_import(actor=ss_officer, data=good.encode(), filename="mutasi.csv")


def test_billing_needs_the_capability(agency_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.billing_run(actor=agency_officer, month="2025-11")


def test_quote_errors_are_bilingual_sinergi_errors():
    with pytest.raises(SinergiError) as err:
        services.quote(segment="BPU", month=NOV, wage=500000)
    assert err.value.field == "income"
    assert rules.BPU_MIN_INCOME.value_at(NOV) == 1000000
