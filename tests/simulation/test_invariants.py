"""Each invariant of `sinergi simulate` holds on a consistent little world and catches one row broken
on purpose (rows written directly here: that is the point, the checker must see what services
would never leave behind)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sinergi.claims.models import Claim, ClaimCase
from sinergi.claims.models import Payment as ClaimPayment
from sinergi.core.audit import audit_create
from sinergi.core.models import Job
from sinergi.coverage.models import Bill, BillingRun, Contribution, Participation, Payment, Scheme, WageReport
from sinergi.registry.models import FamilyMember, Person
from sinergi.simulation import invariants
from tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
    UserFactory,
    make_nik,
)

MONTH = dt.date(2026, 11, 1)


@pytest.fixture
def world(db):
    """One employer paying one participation, billed for November and paid in full; a union with one
    member and correct counts; a sponsored scheme within target and budget; a death claim paid to
    the widow. Every invariant holds."""
    employer = EmployerFactory()
    person = PersonFactory()
    part = Participation.objects.create(
        person=person,
        segment="PU",
        payer_kind="employer",
        employer=employer,
        region_id="3172",
        participant_number="11110001",
        start_date=dt.date(2026, 1, 1),
        wage=Decimal(5_000_000),
    )
    WageReport.objects.create(participation=part, amount=part.wage, valid_from=part.start_date)
    run = BillingRun.objects.create(month=MONTH)
    bill = Bill.objects.create(
        run=run,
        month=MONTH,
        payer_kind="employer",
        payer_id=employer.pk,
        payer_name=employer.name,
        region_id="3172",
        participations=1,
        employer_part=Decimal(300),
        worker_part=Decimal(100),
        total=Decimal(400),
        paid=Decimal(400),
        status="paid",
        due_date=dt.date(2026, 12, 15),
        number="B202611-e1",
    )
    contribution = Contribution.objects.create(
        bill=bill,
        participation=part,
        month=MONTH,
        basis=part.wage,
        jkk=Decimal(100),
        jkm=Decimal(50),
        jht_employer=Decimal(150),
        jht_worker=Decimal(100),
        employer_part=Decimal(300),
        worker_part=Decimal(100),
        total=Decimal(400),
        paid=True,
    )
    Payment.objects.create(bill=bill, amount=Decimal(400), paid_on=dt.date(2026, 12, 5), reference="T1")
    body = UnionBodyFactory()
    MembershipFactory(body=body)
    from sinergi.unions.services import member_counts_recompute

    member_counts_recompute()
    sponsor = OrganisationFactory()
    scheme = Scheme.objects.create(
        name="Skema Uji",
        sponsor_organisation=sponsor,
        agency=sponsor,
        region_id="3172",
        legal_basis="Perwal uji",
        year=2026,
        target=1,
        budget=Decimal(1_000_000),
    )
    deceased = PersonFactory()  # a serial from the factory: a fixed one collides once the sequence reaches it
    widow = FamilyMember.objects.create(person=deceased, relation="spouse", name="Janda Uji")
    FamilyMember.objects.create(person=deceased, relation="child", name="Anak Uji")
    officer = UserFactory()
    case = ClaimCase.objects.create(
        reference="KLM-UJI-1",
        person=deceased,
        event_type="death",
        event_date=dt.date(2026, 11, 10),
        region_id="3172",
    )
    claim = Claim.objects.create(
        case=case,
        benefit="JKM",
        status="paid",
        claimant_name=widow.name,
        claimant_relation="spouse",
        heir=widow,
        heir_rank=1,
        amount=Decimal(42_000_000),
    )
    ClaimPayment.objects.create(
        claim=claim, amount=claim.amount, paid_on=dt.date(2026, 11, 20), paid_by=officer
    )
    ctx = invariants.Context(month=MONTH, watermarks=invariants.watermarks())
    assert invariants.check_all(ctx) is None
    return {
        "ctx": ctx,
        "part": part,
        "bill": bill,
        "contribution": contribution,
        "employer": employer,
        "person": person,
        "body": body,
        "scheme": scheme,
        "sponsor": sponsor,
        "claim": claim,
        "widow": widow,
        "officer": officer,
    }


def broken(ctx, name):
    result = invariants.check_all(ctx)
    assert result is not None, "the checker found nothing"
    assert result.name == name
    assert result.rows
    return result


def test_a_billable_participation_without_its_month_is_caught(world):
    other = Participation.objects.create(
        person=PersonFactory(nik=make_nik(serial=5)),
        segment="PU",
        payer_kind="employer",
        employer=world["employer"],
        region_id="3172",
        start_date=dt.date(2026, 10, 1),
        wage=Decimal(5_000_000),
    )
    result = broken(world["ctx"], "each billable participation billed for the month")
    assert result.rows[0]["participation_id"] == other.pk


def test_a_branch_run_only_answers_for_its_area(world):
    BillingRun.objects.filter(month=MONTH).update(branch=world["sponsor"], area=["3375"])
    assert invariants.billable_billed(world["ctx"]) == []  # the payer is in 3172: not this run's
    BillingRun.objects.filter(month=MONTH).update(area=["3172"])
    Contribution.objects.all().delete()
    assert invariants.billable_billed(world["ctx"])


def test_a_second_row_for_the_same_month_is_refused_by_the_database(world):
    # billed_once guards the unique constraint; the constraint itself makes the broken row impossible
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(
            bill=world["bill"], participation=world["part"], month=MONTH, basis=Decimal(1), total=Decimal(0)
        )


def test_a_bill_after_the_end_is_caught(world):
    Participation.objects.filter(pk=world["part"].pk).update(end_date=dt.date(2026, 10, 31), status="ended")
    result = broken(world["ctx"], "no bill after a participation ended")
    assert result.rows[0]["participation_id"] == world["part"].pk


def test_a_bill_after_death_in_the_registry_is_caught(world):
    Person.objects.filter(pk=world["person"].pk).update(is_deceased=True, death_date=dt.date(2026, 10, 20))
    Participation.objects.filter(pk=world["part"].pk).update(status="ended", end_date=None)
    result = broken(world["ctx"], "no bill after death")
    assert result.rows[0]["person_id"] == world["person"].pk


def test_a_bill_after_a_paid_death_claim_is_caught(world):
    ClaimCase.objects.filter(pk=world["claim"].case_id).update(
        person=world["person"], event_date=dt.date(2026, 10, 2)
    )
    FamilyMember.objects.filter(pk=world["widow"].pk).update(person=world["person"])
    result = broken(world["ctx"], "no bill after death")
    assert result.rows[0]["claim_case"] == "KLM-UJI-1"


def test_a_bill_total_that_is_not_the_sum_of_its_lines_is_caught(world):
    Bill.objects.filter(pk=world["bill"].pk).update(total=Decimal(401))
    broken(world["ctx"], "bill totals equal the sum of their contribution lines")


def test_a_contribution_whose_parts_do_not_add_up_is_caught(world):
    Contribution.objects.filter(pk=world["contribution"].pk).update(jkm=Decimal(51))
    result = broken(world["ctx"], "bill totals equal the sum of their contribution lines")
    assert result.rows[0]["contribution_id"] == world["contribution"].pk


def test_a_bill_marked_paid_without_the_money_is_caught(world):
    Payment.objects.all().delete()
    broken(world["ctx"], "bill status consistent with payments")


def test_an_overpaid_bill_must_still_agree_with_its_payments(world):
    Payment.objects.create(bill=world["bill"], amount=Decimal(50), paid_on=MONTH, reference="T2")
    result = broken(world["ctx"], "bill status consistent with payments")
    assert result.rows[0]["payments"] == 450


def test_a_stale_member_count_is_caught(world):
    from sinergi.unions.models import UnionBody

    UnionBody.objects.filter(pk=world["body"].pk).update(member_count=0)
    result = broken(world["ctx"], "member counts equal a recount at every union body")
    assert result.rows[0]["body_id"] == world["body"].pk


def test_a_scheme_over_its_target_is_caught(world):
    for serial in (11, 12):
        Participation.objects.create(
            person=PersonFactory(nik=make_nik(serial=serial)),
            segment="BPU",
            payer_kind="sponsor",
            sponsor_organisation=world["sponsor"],
            scheme=world["scheme"],
            region_id="3172",
            start_date=dt.date(2026, 12, 1),
            wage=Decimal(1_000_000),
        )
    result = broken(world["ctx"], "scheme enrolled within target and quota, spend within budget")
    assert result.rows[0]["enrolled"] == 2


def test_a_scheme_over_its_budget_is_caught(world):
    Participation.objects.filter(pk=world["part"].pk).update(scheme=world["scheme"])
    Scheme.objects.filter(pk=world["scheme"].pk).update(budget=Decimal(399))
    result = broken(world["ctx"], "scheme enrolled within target and quota, spend within budget")
    assert result.rows[0]["spent"] == 400


def test_two_aid_packages_are_refused_by_the_database(world):
    from sinergi.programs.models import Distribution, Handover

    assert "programs_one_package_per_person" in {c.name for c in Handover._meta.constraints}
    assert Distribution._meta.db_table == "programs_distribution"
    assert invariants.one_aid_package(world["ctx"]) == []


def test_an_active_card_of_a_deceased_person_is_caught(world, admin_user):
    from sinergi.programs.models import Application, Card, Program

    program = Program.objects.create(
        code="KPJ-UJI",
        name="Kartu Uji",
        kind=Program.Kind.WORKER_CARD,
        owner=world["sponsor"],
        region_id="31",
        legal_basis="uji",
        year=2026,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    app = Application.objects.create(
        program=program, person=world["person"], status="approved", nominated_by=admin_user
    )
    Card.objects.create(
        program=program,
        application=app,
        person=world["person"],
        number="KPJ-UJI-1",
        issued_on=dt.date(2026, 2, 1),
        issued_by=admin_user,
    )
    assert invariants.no_card_after_death(world["ctx"]) == []
    Person.objects.filter(pk=world["person"].pk).update(is_deceased=True, death_date=dt.date(2026, 11, 30))
    assert invariants.no_card_after_death(world["ctx"])[0]["number"] == "KPJ-UJI-1"


def test_a_claim_paid_to_a_dead_heir_is_caught(world):
    FamilyMember.objects.filter(pk=world["widow"].pk).update(is_alive=False)
    result = broken(world["ctx"], "claims paid at most once, to a living heir in legal order")
    assert result.rows[0]["claim_id"] == world["claim"].pk


def test_a_claim_paid_out_of_legal_order_without_a_reason_is_caught(world):
    child = FamilyMember.objects.get(person=world["claim"].case.person, relation="child")
    Claim.objects.filter(pk=world["claim"].pk).update(heir=child, heir_rank=2, claimant_relation="child")
    broken(world["ctx"], "claims paid at most once, to a living heir in legal order")
    Claim.objects.filter(pk=world["claim"].pk).update(heir_override_reason="Janda menolak, surat terlampir")
    assert invariants.claims_paid_once_to_heirs(world["ctx"]) == []


def test_a_death_claim_paid_to_the_deceased_is_caught(world):
    Claim.objects.filter(pk=world["claim"].pk).update(heir=None, claimant_relation="self")
    broken(world["ctx"], "claims paid at most once, to a living heir in legal order")


def test_a_payment_different_from_the_approved_amount_is_caught(world):
    ClaimPayment.objects.filter(claim=world["claim"]).update(amount=Decimal(1))
    broken(world["ctx"], "claims paid at most once, to a living heir in legal order")


def test_a_write_without_an_audit_entry_is_caught(world):
    person = PersonFactory(nik=make_nik(serial=21))
    result = broken(world["ctx"], "an audit entry for every write")
    assert result.rows[0] == {"table": "registry_person", "id": person.pk}
    audit_create(actor=None, obj=person)
    assert invariants.check_all(world["ctx"]) is None


def test_an_imported_payment_outside_an_import_audit_is_caught(world):
    Payment.objects.create(
        bill=world["bill"], amount=Decimal(0), paid_on=MONTH, reference="T3", source=Payment.Source.IMPORT
    )
    assert invariants.audited_writes(world["ctx"])[0]["imported_rows"] == 1


@pytest.mark.parametrize(
    ("status", "error", "caught"),
    [
        ("failed", "NOT NULL constraint failed: coverage_bill.payer_id", True),
        ("failed", "", True),
        ("running", "", True),
        ("failed", "3 peserta tidak dapat ditagih karena pemberi kerjanya tidak tercatat.", False),
        ("succeeded", "", False),
    ],
)
def test_jobs_left_running_or_failed_without_a_readable_reason_are_caught(world, status, error, caught):
    Job.objects.create(kind="coverage.billing", status=status, error=error)
    found = invariants.jobs_finished_and_explained(world["ctx"])
    assert bool(found) is caught
