"""Issue 10 ("A year in the life"): one regression test per defect seen when time moves on, plus the
life-event services (death, PHK, retirement, change of employer) and budget years."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from sinergi.core import clock
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.models import AuditEntry, Job
from sinergi.coverage import selectors as coverage_selectors
from sinergi.coverage import services as coverage
from sinergi.coverage.models import Bill, BillingRun, Contribution, Participation, Scheme
from sinergi.lifeevents import services as life
from sinergi.lifeevents.models import LifeEvent
from sinergi.registry.models import Employment
from sinergi.rules import contributions as rules
from sinergi.unions.models import Membership, UnionBody
from tests.coverage.factories import ParticipationFactory
from tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
)

pytestmark = pytest.mark.django_db
DEC = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _december_2026():
    with clock.travel("2026-12-04"):
        yield


@pytest.fixture
def cilincing(make_user):
    """Two officers of a branch serving North Jakarta (3172)."""
    first = make_user("ss_officer", region="3172")
    return first, make_user("ss_officer", org=first.organisation)


def _pu(person, employer, start=dt.date(2026, 1, 1), **kw):
    return ParticipationFactory(
        person=person,
        segment="PU",
        payer_kind="employer",
        employer=employer,
        region_id=employer.region_id,
        start_date=start,
        wage=Decimal(5_400_000),
        **kw,
    )


# --------------------------------------------------------------------------- billing a new month


def test_a_participation_without_its_payer_stops_billing_with_an_officer_message_not_a_constraint(cilincing):
    officer, _ = cilincing
    person = PersonFactory(district="317203")
    broken = ParticipationFactory(
        person=person, segment="PU", payer_kind="employer", employer=None, region_id="317203", start_date=DEC
    )
    from sinergi.coverage.tasks import billing_start

    job = billing_start(user=officer, month=DEC)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert broken.participant_number in job.error and person.name in job.error
    assert "constraint" not in job.error.lower() and "payer_id" not in job.error
    assert job.result["code"] == "payer_missing"
    assert not Bill.objects.exists() and not BillingRun.objects.exists()


def test_a_database_refusal_in_any_job_is_shown_as_an_officer_message(agency_officer):
    from sinergi.core.jobs import job_handler, job_start

    @job_handler("test.db_refuses")
    def refuses(job, progress):
        raise IntegrityError("NOT NULL constraint failed: coverage_bill.payer_id")

    job = job_start(kind="test.db_refuses", user=agency_officer)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "constraint" not in job.error and "payer_id" not in job.error and str(job.pk) in job.error
    assert "payer_id" in job.result["detail"]  # kept for the administrator


def test_a_branch_bills_the_payers_in_its_service_area_by_the_employers_location_exactly_once(cilincing):
    officer, _ = cilincing
    north = EmployerFactory(region_id="3172")
    pekalongan = EmployerFactory(region_id="3375")
    # works in North Jakarta, lives in Central Jakarta: billed by Cilincing
    works_here = _pu(PersonFactory(district="317101"), north)
    # lives in North Jakarta, works in Pekalongan: not Cilincing's to bill
    lives_here = _pu(PersonFactory(district="317203"), pekalongan)
    sponsored_elsewhere = ParticipationFactory(
        person=PersonFactory(district="317204"),
        payer_kind="sponsor",
        sponsor_organisation=OrganisationFactory(kind="sponsor", region_id="3375"),
        region_id="317204",
    )
    run = coverage.billing_run(actor=officer, month=DEC)
    assert run.participations == 1 and run.branch == officer.organisation
    billed = set(Contribution.objects.filter(month=DEC).values_list("participation_id", flat=True))
    assert billed == {works_here.pk}
    bill = Bill.objects.get(month=DEC)
    assert bill.region_id == "3172"  # the payer's location, so the branch's bill list shows it
    assert list(coverage_selectors.bill_list(user=officer)) == [bill]
    again = coverage.billing_run(actor=officer, month=DEC)
    assert again.pk == run.pk and again.result["new_contributions"] == 0
    assert Contribution.objects.filter(participation=works_here).count() == 1
    assert not Contribution.objects.filter(participation__in=[lives_here, sponsored_elsewhere]).exists()


def test_a_branch_sees_only_its_own_billing_runs(make_user):
    cilincing = make_user("ss_officer", region="3172")
    pekalongan = make_user("ss_officer", region="3375")
    _pu(PersonFactory(district="337501"), EmployerFactory(region_id="3375"))
    theirs = coverage.billing_run(actor=pekalongan, month=DEC)
    assert list(coverage_selectors.run_list(user=cilincing)) == []
    assert list(coverage_selectors.run_list(user=pekalongan)) == [theirs]


def test_nobody_is_billed_for_a_month_after_their_death_even_before_the_death_is_carried_through(cilincing):
    officer, _ = cilincing
    person = PersonFactory(district="317203", is_deceased=True, death_date=dt.date(2026, 10, 20))
    _pu(person, EmployerFactory(region_id="3172"))
    coverage.billing_run(actor=officer, month=dt.date(2026, 10, 1))
    coverage.billing_run(actor=officer, month=DEC)
    assert list(Contribution.objects.values_list("month", flat=True)) == [dt.date(2026, 10, 1)]


# --------------------------------------------------------------------------- money guards


def test_an_extra_payment_on_a_paid_bill_is_refused_and_the_bill_stays_consistent(cilincing):
    officer, _ = cilincing
    _pu(PersonFactory(district="317203"), EmployerFactory(region_id="3172"))
    coverage.billing_run(actor=officer, month=DEC)
    bill = Bill.objects.get()
    coverage.payment_record(actor=officer, bill=bill, amount=bill.total, paid_on=DEC, reference="A1")
    with pytest.raises(Conflict) as err:
        coverage.payment_record(actor=officer, bill=bill, amount=50_000, paid_on=DEC, reference="A2")
    assert err.value.code == "overpayment"
    bill.refresh_from_db()
    assert bill.outstanding == 0 and bill.status == Bill.Status.PAID and bill.payments.count() == 1
    # paying more than what is left on a partly paid bill is refused too
    other = _pu(PersonFactory(district="317203"), EmployerFactory(region_id="3172"))
    coverage.billing_run(actor=officer, month=dt.date(2026, 11, 1))
    nov = Bill.objects.get(month=dt.date(2026, 11, 1), payer_id=other.employer_id)
    coverage.payment_record(actor=officer, bill=nov, amount=100, paid_on=DEC, reference="B1")
    with pytest.raises(Conflict):
        coverage.payment_record(actor=officer, bill=nov, amount=nov.total, paid_on=DEC, reference="B2")
    nov.refresh_from_db()
    assert nov.status == Bill.Status.PARTIAL and nov.paid == 100


def test_an_imported_payment_beyond_what_is_due_is_a_row_error(cilincing):
    officer, _ = cilincing
    _pu(PersonFactory(district="317203"), EmployerFactory(region_id="3172"))
    coverage.billing_run(actor=officer, month=DEC)
    bill = Bill.objects.get()
    data = f"No Tagihan,Jumlah,Tanggal,Referensi\n{bill.number},{bill.total},2026-12-03,R1\n{bill.number},50000,2026-12-03,R2\n"
    with pytest.raises(coverage.ImportErrors) as err:
        coverage.payments_import(actor=officer, data=data.encode(), filename="bank.csv")
    assert [e["row"] for e in err.value.errors] == [3]
    assert not bill.payments.exists()


def test_hand_overs_are_refused_after_the_distributions_window(make_user):
    from sinergi.programs import services as programs
    from sinergi.programs.models import Distribution

    officer = make_user("ss_officer", region="3172")
    dist = Distribution.objects.create(
        name="Paket sembako May Day 2024",
        organisation=officer.organisation,
        region_id="3172",
        event_date=dt.date(2024, 5, 1),
        place="GOR",
        package="paket sembako",
        stock_received=10,
    )
    person = PersonFactory(district="317203")
    with pytest.raises(Conflict) as err:
        programs.handover_record(actor=officer, distribution=dist, nik=person.nik)
    assert err.value.code == "distribution_closed"
    assert not dist.handovers.exists()
    with clock.travel("2024-05-03"):
        programs.handover_record(actor=officer, distribution=dist, nik=person.nik)
    assert dist.handovers.count() == 1


# --------------------------------------------------------------------------- claims scope


def test_a_branch_serves_a_member_who_works_in_its_area_but_lives_elsewhere(cilincing):
    from sinergi.claims import selectors as claims_selectors
    from sinergi.claims import services as claims

    officer, _ = cilincing
    person = PersonFactory(district="317101")  # Jakarta Pusat
    employer = EmployerFactory(region_id="3172")
    Employment.objects.create(person=person, employer=employer, start_date=dt.date(2020, 1, 1))
    case = claims.case_open(
        actor=officer, person=person, event_type="accident", event_date=dt.date(2026, 11, 2), benefits=["JKK"]
    )
    assert claims_selectors.case_list(user=officer).filter(pk=case.pk).exists()
    stranger = PersonFactory(district="317101")
    with pytest.raises(NotAllowed):
        claims.case_open(
            actor=officer,
            person=stranger,
            event_type="accident",
            event_date=dt.date(2026, 11, 2),
            benefits=["JKK"],
        )


def test_before_heirs_are_chosen_the_claimant_is_never_the_deceased(cilincing):
    from sinergi.claims import services as claims

    officer, _ = cilincing
    person = PersonFactory(district="317203", is_deceased=True, death_date=dt.date(2026, 11, 1))
    case = claims.case_open(
        actor=officer,
        person=person,
        event_type="death",
        event_date=dt.date(2026, 11, 1),
        benefits=["JKM", "JHT"],
    )
    for claim in case.claims.all():
        assert claim.claimant_name != person.name and claim.claimant_relation != "self"
        assert claim.claimant_nik != person.nik


# --------------------------------------------------------------------------- life events


def _world(officer):
    """A North Jakarta worker with cover, a verified union membership, a worker card, a cooperative
    share and a pending aid nomination."""
    from sinergi.programs.models import (
        Application,
        Card,
        Cooperative,
        CoopMember,
        Program,
        SavingsEntry,
    )

    employer = EmployerFactory(region_id="3172")
    person = PersonFactory(district="317203")
    Employment.objects.create(person=person, employer=employer, start_date=dt.date(2020, 1, 1))
    part = _pu(person, employer, start=dt.date(2025, 1, 1))
    puk = UnionBodyFactory(region_id="3172", employer=employer)
    MembershipFactory(person=person, body=puk, employer=employer)
    MembershipFactory(body=puk)  # a colleague, still a member
    from sinergi.unions.services import member_counts_recompute

    member_counts_recompute()
    program = Program.objects.create(
        code="KPJ2026",
        name="KPJ 2026",
        kind="worker_card",
        owner=officer.organisation,
        region_id="31",
        legal_basis="Pergub",
        year=2026,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    aid = Program.objects.create(
        code="AID2026",
        name="Bantuan 2026",
        kind="aid",
        owner=officer.organisation,
        region_id="31",
        legal_basis="Pergub",
        year=2026,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    approved = Application.objects.create(
        program=program, person=person, status="approved", nominated_by=officer
    )
    card = Card.objects.create(
        program=program,
        application=approved,
        person=person,
        number="KPJ-1",
        issued_on=dt.date(2026, 2, 1),
        issued_by=officer,
    )
    pending = Application.objects.create(program=aid, person=person, status="nominated", nominated_by=officer)
    coop = Cooperative.objects.create(
        name="Kopkar",
        short_name="KK",
        organisation=officer.organisation,
        union_body=puk,
        region_id="3172",
        launched_on=dt.date(2020, 1, 1),
        pokok_amount=100_000,
        wajib_amount=50_000,
    )
    share = CoopMember.objects.create(
        cooperative=coop, person=person, union_body=puk, member_number="KK-1", joined_on=dt.date(2020, 1, 1)
    )
    SavingsEntry.objects.create(member=share, kind="pokok", amount=100_000, entry_date=dt.date(2020, 1, 1))
    SavingsEntry.objects.create(member=share, kind="wajib", amount=300_000, entry_date=dt.date(2020, 6, 1))
    return {
        "person": person,
        "employer": employer,
        "part": part,
        "puk": puk,
        "card": card,
        "pending": pending,
        "share": share,
    }


def test_a_death_entered_with_its_certificate_flows_through_every_app_once(cilincing):
    officer, _ = cilincing
    w = _world(officer)
    person, puk = w["person"], w["puk"]
    # October and December are billed before the death is known; October stays unpaid
    coverage.billing_run(actor=officer, month=dt.date(2026, 10, 1))
    coverage.billing_run(actor=officer, month=DEC)
    assert Contribution.objects.filter(participation=w["part"], month=DEC).exists()
    with pytest.raises(SinergiError):  # the certificate is required when entered directly
        life.death_record(actor=officer, person=person, death_date=dt.date(2026, 11, 10))
    event = life.death_record(
        actor=officer, person=person, death_date=dt.date(2026, 11, 10), certificate_number="3172-KM-2026-001"
    )
    person.refresh_from_db()
    assert person.is_deceased and person.death_date == dt.date(2026, 11, 10)
    w["part"].refresh_from_db()
    assert w["part"].status == "ended" and w["part"].end_date == dt.date(2026, 11, 10)
    # no bill after the death; the arrears before it stay due
    assert not Contribution.objects.filter(participation=w["part"], month=DEC).exists()
    assert Contribution.objects.filter(
        participation=w["part"], month=dt.date(2026, 10, 1), paid=False
    ).exists()
    assert not Membership.objects.filter(person=person, status="active").exists()
    puk.refresh_from_db()
    assert puk.member_count == 1  # recounted in the same transaction
    w["card"].refresh_from_db()
    assert w["card"].status == "revoked"
    w["pending"].refresh_from_db()
    assert w["pending"].status == "rejected"
    w["share"].refresh_from_db()
    assert w["share"].status == "left"
    assert w["share"].settlement.total == 400_000
    assert sum(e.amount for e in w["share"].savings.all()) == 0
    assert Employment.objects.get(person=person).end_date == dt.date(2026, 11, 10)
    assert AuditEntry.objects.filter(object_type="lifeevents.lifeevent", object_id=str(event.pk)).exists()
    # idempotent: the same death again changes nothing; another date is refused
    audits = AuditEntry.objects.count()
    assert life.death_record(actor=officer, person=person, death_date=dt.date(2026, 11, 10)) == event
    assert AuditEntry.objects.count() == audits and LifeEvent.objects.count() == 1
    with pytest.raises(Conflict):
        life.death_record(
            actor=officer, person=person, death_date=dt.date(2026, 11, 12), certificate_number="X"
        )


def test_a_decided_death_claim_records_the_death_everywhere(make_user):
    """Issue 10: a paid JKM claim left the person alive, covered and billable, member and card holder."""
    from tests.claims.test_services import _verified

    first = make_user("ss_officer", region="3172", org_kind="ss_branch")
    second = make_user("ss_officer", org=first.organisation)
    with clock.travel("2024-05-20"):
        claim, _family = _verified(first)
        person = claim.case.person
        body = UnionBodyFactory(region_id="3172")
        MembershipFactory(person=person, body=body)
        from sinergi.claims import services as claims

        claims.claim_decide(actor=second, claim=claim, approve=True)
    part = Participation.objects.get(person=person)
    assert part.status == "ended" and part.end_date == dt.date(2024, 5, 1)
    assert not Membership.objects.filter(person=person, status="active").exists()
    event = LifeEvent.objects.get(person=person)
    assert event.kind == "death" and event.claim_id == claim.pk and event.source == "claim"


def test_phk_ends_that_employment_cover_and_company_union_and_recounts(cilincing):
    officer, _ = cilincing
    w = _world(officer)
    on = dt.date(2026, 11, 30)
    event = life.dismissal_record(actor=officer, person=w["person"], employer=w["employer"], on=on)
    w["part"].refresh_from_db()
    assert w["part"].status == "ended" and w["part"].end_date == on
    assert Employment.objects.get(person=w["person"]).end_date == on
    w["puk"].refresh_from_db()
    assert w["puk"].member_count == 1
    w["card"].refresh_from_db()
    assert w["card"].status == "active"  # a PHK does not take the card
    assert life.dismissal_record(actor=officer, person=w["person"], employer=w["employer"], on=on) == event


def test_retirement_ends_every_employment_and_cover_and_revokes_the_card(cilincing):
    officer, _ = cilincing
    w = _world(officer)
    life.retirement_record(actor=officer, person=w["person"], on=dt.date(2026, 11, 30))
    w["part"].refresh_from_db()
    w["card"].refresh_from_db()
    assert w["part"].status == "ended" and w["card"].status == "revoked"
    assert not Membership.objects.filter(person=w["person"], status="active").exists()


def test_a_change_of_employer_moves_cover_to_the_new_employer_with_the_same_number(cilincing):
    officer, _ = cilincing
    w = _world(officer)
    new_employer = EmployerFactory(region_id="3172")
    on = dt.date(2026, 11, 1)
    life.employer_change_record(
        actor=officer, person=w["person"], old_employer=w["employer"], new_employer=new_employer, on=on
    )
    w["part"].refresh_from_db()
    assert w["part"].status == "ended" and w["part"].end_date == dt.date(2026, 10, 31)
    new = Participation.objects.get(person=w["person"], employer=new_employer)
    assert new.participant_number == w["part"].participant_number and new.start_date == on
    coverage.billing_run(actor=officer, month=DEC)
    assert list(Contribution.objects.filter(month=DEC).values_list("participation_id", flat=True)) == [new.pk]
    w["puk"].refresh_from_db()
    assert w["puk"].member_count == 1


def test_a_death_form_in_the_profile_records_the_death(cilincing, client):
    officer, _ = cilincing
    person = PersonFactory(district="317203")
    client.force_login(officer)
    page = client.get(f"/registry/people/{person.pk}/")
    assert b"certificate_number" in page.content
    r = client.post(
        f"/lifeevents/person/{person.pk}/death/",
        {"death_date": "2026-11-10", "certificate_number": "AKTA-1"},
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.is_deceased and LifeEvent.objects.get(person=person).certificate_number == "AKTA-1"
    r = client.post(f"/lifeevents/person/{person.pk}/death/", {"death_date": "abc", "certificate_number": ""})
    assert r.status_code == 302  # bad input: a message, nothing changes, no 500


# --------------------------------------------------------------------------- budget years


def _scheme_2023(officer, checker, n=6):
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    with clock.travel("2023-01-05"):
        scheme = coverage.scheme_create(
            actor=officer,
            sponsor_organisation=sponsor,
            agency=officer.organisation,
            region_id="3375",
            name="Perlindungan Pekerja Rentan",
            legal_basis="Perwal",
            year=2023,
            target=10,
            budget=rules.package_monthly(dt.date(2023, 1, 1)) * 10 * 12,
            require_vulnerable=True,
        )
        people = [
            PersonFactory(
                district="337501",
                employment_type="informal",
                is_vulnerable=True,
                occupation="Buruh batik",
                declared_income=Decimal(900_000),
            )
            for _ in range(n)
        ]
        batch = coverage.candidates_select(actor=officer, scheme=scheme)
        coverage.batch_decide(actor=checker, batch=batch, approve=True, start_date=dt.date(2023, 1, 1))
        Participation.objects.filter(scheme=scheme).update(status="active")
    return scheme, people


def test_a_past_years_scheme_closes_on_first_use_and_refuses_selection_and_approval(make_user):
    officer = make_user("ss_officer", region="3375")
    checker = make_user("ss_officer", org=officer.organisation)
    scheme, _ = _scheme_2023(officer, checker, n=2)
    with clock.travel("2023-06-01"):
        PersonFactory(district="337501", employment_type="informal", is_vulnerable=True)
        draft = coverage.candidates_select(actor=officer, scheme=scheme)
    with pytest.raises(Conflict) as err:
        coverage.candidates_select(actor=officer, scheme=scheme)
    assert err.value.code == "year_closed" and "2023" in str(err.value.message)
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.CLOSED  # closed on first use, even though the action failed
    with pytest.raises(Conflict) as err:
        coverage.batch_decide(actor=checker, batch=draft, approve=True)
    assert err.value.code == "year_closed"


def test_the_year_end_job_closes_schemes_of_past_years(make_user):
    officer = make_user("ss_officer", region="3375")
    checker = make_user("ss_officer", org=officer.organisation)
    scheme, _ = _scheme_2023(officer, checker, n=1)
    from django.core.management import call_command

    call_command("sinergi_year_end")
    scheme.refresh_from_db()
    assert scheme.status == "closed"
    assert coverage.schemes_year_close() == 0  # idempotent


def test_renewal_reaches_the_current_year_at_its_rates_and_carries_over_only_the_eligible(make_user):
    officer = make_user("ss_officer", region="3375")
    checker = make_user("ss_officer", org=officer.organisation)
    scheme, people = _scheme_2023(officer, checker, n=6)
    coverage.statuses_refresh(actor=officer)  # the 2023 cover has ended with its year
    assert set(Participation.objects.filter(scheme=scheme).values_list("status", flat=True)) == {"ended"}
    people[0].is_deceased, people[0].death_date = True, dt.date(2025, 3, 1)
    people[0].save()
    people[1].employment_type = "formal"
    people[1].save()
    people[2].declared_income = Decimal(9_000_000)
    people[2].save()
    new = coverage.scheme_renew(actor=officer, scheme=scheme, target=2)
    assert new.year == 2026  # one renewal, not three
    report = new.renewal_report
    assert report["carried"] == 2
    reasons = sorted(d["reason"] for d in report["dropped"])
    assert len(reasons) == 4 and any("target" in r for r in reasons)
    carried = Participation.objects.filter(scheme=new)
    assert carried.count() == 2
    assert {p.wage for p in carried} == {rules.BPU_MIN_INCOME.value_at(dt.date(2026, 12, 1))}
    assert {p.end_date for p in carried} == {dt.date(2026, 12, 31)}
    assert scheme.participations.filter(end_date=dt.date(2023, 12, 31)).count() == 6
    with pytest.raises(Conflict):
        coverage.scheme_renew(actor=officer, scheme=scheme)


def test_nothing_is_nominated_or_approved_in_a_closed_program_year(make_user):
    from sinergi.programs import services as programs
    from tests.programs.factories import kpj_program

    officer = make_user("agency_officer", region="31")
    program = kpj_program(year=2025, owner=officer.organisation)
    with pytest.raises(Conflict) as err:
        programs.nominate(actor=officer, program=program, person_ids=[PersonFactory().pk])
    assert err.value.code == "year_closed"
    with pytest.raises(Conflict):
        programs.cards_issue(actor=officer, program=program)


# --------------------------------------------------------------------------- derived counts


def test_member_counts_follow_every_membership_write(cilincing):
    from sinergi.unions.services import memberships_end

    officer, _ = cilincing
    parent = UnionBodyFactory(region_id="31")
    puk = UnionBodyFactory(region_id="3172", parent=parent, kind="unit")
    people = [MembershipFactory(body=puk).person for _ in range(3)]
    from sinergi.unions.services import member_counts_recompute

    member_counts_recompute()
    memberships_end(actor=officer, person=people[0], left_on=dt.date(2026, 11, 1))
    puk.refresh_from_db()
    parent = UnionBody.objects.get(pk=parent.pk)
    assert (puk.member_count, parent.member_count_rollup) == (2, 2)
