"""Each indicator's definition on hand-built data: what it counts, in which window, in which cell."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sinergi.planning import indicators
from sinergi.planning.snapshots import compute_figures
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2024, 1, 1), dt.date(2024, 6, 30)


def _sum(key, start=START, end=END, region=""):
    cells = [c for c in indicators.get(key).cells(start, end) if c["region_code"].startswith(region)]
    return sum((c["value"] for c in cells), Decimal(0)), sum(c["people"] for c in cells)


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def officer():
    return UserFactory(role="agency_officer", organisation=OrganisationFactory(region_id="31"))


def _card(officer, person, issued, handed=None, replaces=None, body=None, number=None):
    from sinergi.programs.models import Application, Card, Program
    from tests.programs.factories import kpj_program

    program = Program.objects.filter(code="KPJ2024").first() or kpj_program(year=2024)
    app = Application.objects.filter(program=program, person=person).first() or Application.objects.create(
        program=program, person=person, nominated_by=officer, status="approved"
    )
    return Card.objects.create(
        program=program,
        application=app,
        person=person,
        number=number or f"C{person.pk}-{issued}",
        issued_on=issued,
        issued_by=officer,
        handed_over_on=handed,
        replaces=replaces,
        union_body=body,
    )


def test_cards_issued_counts_first_issues_in_the_window_by_domicile_and_body(officer):
    body = UnionBodyFactory(region_id="31")
    a = PersonFactory(district="317205")
    b = PersonFactory(district="317101")
    first = _card(officer, a, dt.date(2024, 2, 1), body=body)
    first.status = "replaced"
    first.save()
    _card(officer, a, dt.date(2024, 3, 1), replaces=first, body=body, number="R1")  # replacement: not counted
    _card(officer, b, dt.date(2024, 7, 1))  # after the window
    cells = indicators.get("cards.issued").cells(START, END)
    assert [(c["region_code"], c["union_body_id"], c["value"]) for c in cells] == [("317205", body.pk, 1)]


def test_cards_handed_over_counts_hand_over_dates(officer):
    _card(officer, PersonFactory(), dt.date(2023, 12, 1), handed=dt.date(2024, 1, 5))
    _card(officer, PersonFactory(), dt.date(2024, 2, 1))
    assert _sum("cards.handed_over") == (1, 1)


def _participation(person, start, end=None, status="active", payer="self", segment="BPU"):
    from tests.coverage.factories import ParticipationFactory

    return ParticipationFactory(
        person=person, start_date=start, end_date=end, status=status, payer_kind=payer, segment=segment
    )


def test_participants_are_counted_in_force_on_the_end_date():
    body = UnionBodyFactory(region_id="31")
    p1, p2, p3, p4 = (PersonFactory() for _ in range(4))
    MembershipFactory(person=p1, body=body)
    _participation(p1, dt.date(2023, 1, 1))
    _participation(p2, dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))  # ended before END
    _participation(p3, dt.date(2024, 7, 1))  # starts after END
    _participation(p4, dt.date(2024, 1, 1), payer="sponsor")
    cells = indicators.get("coverage.participants").cells(START, END)
    assert sorted((c["union_body_id"] or 0, int(c["value"])) for c in cells) == [(0, 1), (body.pk, 1)]
    assert _sum("coverage.sponsored") == (1, 1)
    assert _sum("coverage.participants_bpu") == (2, 2)
    assert _sum("coverage.participants_pu") == (0, 0)


def test_coverage_gap_is_members_and_workers_without_coverage_on_the_end_date():
    body = UnionBodyFactory(region_id="31")
    covered, member, informal, outsider = (PersonFactory() for _ in range(4))
    outsider.employment_type = "none"  # neither a registered worker nor a member
    outsider.save()
    MembershipFactory(person=covered, body=body)
    MembershipFactory(person=member, body=body)
    informal.employment_type = "informal"
    informal.save()
    _participation(covered, dt.date(2023, 1, 1))
    assert _sum("coverage.gap") == (2, 2)
    dead = PersonFactory(is_deceased=True)
    MembershipFactory(person=dead, body=body)
    assert _sum("coverage.gap") == (2, 2)


def test_premiums_paid_by_sponsors_sum_payments_in_the_window(officer):
    from sinergi.coverage.models import Bill, BillingRun, Payment

    run = BillingRun.objects.create(month=dt.date(2024, 1, 1))
    sponsor = Bill.objects.create(
        run=run,
        month=dt.date(2024, 1, 1),
        payer_kind="sponsor",
        payer_id=1,
        payer_name="APBD",
        region_id="3375",
        participations=10,
        total=168000,
        due_date=dt.date(2024, 2, 15),
        number="B1",
    )
    employer = Bill.objects.create(
        run=run,
        month=dt.date(2024, 1, 1),
        payer_kind="employer",
        payer_id=2,
        payer_name="PT",
        region_id="3375",
        participations=3,
        total=90000,
        due_date=dt.date(2024, 2, 15),
        number="B2",
    )
    Payment.objects.create(bill=sponsor, amount=100000, paid_on=dt.date(2024, 2, 1), reference="a")
    Payment.objects.create(bill=sponsor, amount=68000, paid_on=dt.date(2024, 7, 1), reference="b")
    Payment.objects.create(bill=employer, amount=90000, paid_on=dt.date(2024, 2, 1), reference="c")
    assert _sum("coverage.premiums_paid") == (Decimal(100000), 10)


def _distribution(officer):
    from sinergi.programs.models import Distribution

    return Distribution.objects.create(
        name="May Day",
        organisation=officer.organisation,
        region_id="3172",
        event_date=dt.date(2024, 5, 1),
        place="Monas",
        package="sembako",
        stock_received=10,
    )


def test_packages_counts_hand_overs_in_the_window(officer):
    from sinergi.programs.models import Handover

    dist = _distribution(officer)
    for day in (dt.date(2024, 5, 1), dt.date(2024, 5, 1), dt.date(2024, 8, 1)):
        Handover.objects.create(
            distribution=dist,
            person=PersonFactory(),
            identified_by="nik",
            handed_at=_aware(day),
            place="Monas",
            handed_by=officer,
        )
    assert _sum("programs.packages") == (2, 2)


def test_trainees_and_graduates(officer):
    from sinergi.programs.models import Cohort, Course, Enrolment
    from tests.programs.factories import kpj_program

    course = Course.objects.create(program=kpj_program(year=2024, code="JP24"), level=1, name="Jakpreneur")
    early = Cohort.objects.create(
        course=course,
        name="A",
        region_id="3172",
        start_date=dt.date(2024, 2, 1),
        end_date=dt.date(2024, 3, 1),
    )
    late = Cohort.objects.create(
        course=course,
        name="B",
        region_id="3172",
        start_date=dt.date(2024, 9, 1),
        end_date=dt.date(2024, 10, 1),
    )
    Enrolment.objects.create(
        cohort=early, person=PersonFactory(), status="completed", completed_on=dt.date(2024, 3, 1)
    )
    Enrolment.objects.create(cohort=early, person=PersonFactory(), status="enrolled")
    Enrolment.objects.create(cohort=early, person=PersonFactory(), status="dropped")
    Enrolment.objects.create(cohort=late, person=PersonFactory(), status="enrolled")
    assert _sum("programs.trainees") == (2, 2)
    assert _sum("programs.graduates") == (1, 1)


def test_claims_paid_amount_and_average_days(officer):
    from sinergi.claims.models import Claim, ClaimCase, Payment

    def paid(ref, complete, paid_on, amount):
        case = ClaimCase.objects.create(
            reference=ref,
            person=PersonFactory(),
            event_type="death",
            event_date=dt.date(2024, 1, 1),
            region_id="3172",
        )
        claim = Claim.objects.create(
            case=case,
            benefit="JKM",
            status="paid",
            claimant_name="Ahli waris",
            amount=amount,
            documents_complete_on=complete,
        )
        Payment.objects.create(claim=claim, amount=amount, paid_on=paid_on, paid_by=officer)

    paid("K1", dt.date(2024, 3, 1), dt.date(2024, 3, 11), 1000)  # 10 days
    paid("K2", dt.date(2024, 4, 1), dt.date(2024, 4, 21), 2000)  # 20 days
    paid("K3", dt.date(2024, 6, 1), dt.date(2024, 7, 2), 4000)  # paid after the window
    assert _sum("claims.paid") == (2, 2)
    assert _sum("claims.amount_paid") == (Decimal(3000), 2)
    value, people = _sum("claims.days_to_pay")
    assert (value, people) == (30, 2)
    assert indicators.figure_of(indicators.get("claims.days_to_pay"), value, people) == Decimal("15.0")


def test_aspirations_answered_within_the_deadline_is_a_share(officer):
    from sinergi.aspirations.models import Aspiration

    def asp(due, answered):
        return Aspiration.objects.create(
            title="x",
            description="y",
            category="other",
            region_id="3509",
            answer_due=due,
            answered_at=_aware(answered) if answered else None,
        )

    asp(dt.date(2024, 3, 10), dt.date(2024, 3, 9))  # in time
    asp(dt.date(2024, 3, 10), dt.date(2024, 3, 12))  # late
    asp(dt.date(2024, 4, 10), None)  # unanswered
    asp(dt.date(2024, 8, 10), dt.date(2024, 3, 1))  # due after the window
    value, people = _sum("aspirations.answered_in_time")
    assert (value, people) == (1, 3)
    assert indicators.figure_of(indicators.get("aspirations.answered_in_time"), value, people) == Decimal(
        "33.3"
    )


def test_dialogues_count_held_meetings(officer):
    from sinergi.meetings.models import Meeting

    for status, day in (
        ("held", dt.date(2024, 5, 1)),
        ("planned", dt.date(2024, 5, 2)),
        ("held", dt.date(2024, 9, 1)),
    ):
        Meeting.objects.create(
            kind="ngopi_bareng",
            title="Ngopi",
            organiser=officer.organisation,
            region_id="3509",
            starts_at=_aware(day),
            place="Pendopo",
            status=status,
            created_by=officer,
        )
    assert _sum("meetings.dialogues") == (1, 1)


def test_every_registered_indicator_is_computed_into_figures():
    PersonFactory()
    keys = {f.indicator for f in compute_figures(END)}
    assert "coverage.gap" in keys
    assert set(indicators.registry()) >= {"cards.issued", "coverage.premiums_paid", "meetings.dialogues"}


def _scheme(name, region, sponsor):
    from sinergi.coverage.models import Scheme

    return Scheme.objects.create(
        name=name,
        sponsor_organisation=sponsor,
        agency=sponsor,
        region_id=region,
        legal_basis="Perwal uji",
        year=2024,
        target=500,
        budget=Decimal(100_000_000),
    )


def _sponsor_bill(run, number, region, lines):
    """A sponsor bill with one contribution per (participation, total) line."""
    from sinergi.coverage.models import Bill, Contribution

    bill = Bill.objects.create(
        run=run,
        month=run.month,
        payer_kind="sponsor",
        payer_id=int(number[2:]),
        payer_name="APBD",
        region_id=region,
        participations=len(lines),
        total=sum(total for _p, total in lines),
        due_date=dt.date(2024, 2, 15),
        number=number,
    )
    for part, total in lines:
        Contribution.objects.create(
            bill=bill, participation=part, month=run.month, basis=0, total=total, employer_part=total
        )
    return bill


def test_premiums_paid_are_counted_per_sponsored_scheme_and_per_district_within_it():
    """Issue 13: "premiums paid by scheme". One sponsor bill holds two schemes' contributions in two
    districts; its payments are shared by contributions, rupiah-exact, and a fully paid bill gives each
    (scheme, district) exactly its contributions."""
    from sinergi.coverage.models import BillingRun, Payment
    from sinergi.planning.models import Snapshot
    from sinergi.planning.selectors import premiums_by_scheme, totals
    from sinergi.planning.snapshots import freeze
    from tests.coverage.factories import ParticipationFactory

    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    city, csr = _scheme("APBD Pekalongan 2024", "3375", sponsor), _scheme("CSR Batik 2024", "3375", sponsor)

    def part(scheme, district):
        return ParticipationFactory(
            person=PersonFactory(district=district), payer_kind="sponsor", scheme=scheme, region_id="3375"
        )

    a1, a2, a3 = part(city, "337501"), part(city, "337501"), part(city, "337502")
    b1 = part(csr, "337502")
    run = BillingRun.objects.create(month=dt.date(2024, 1, 1))
    # contributions: city 337501: 16,800 + 16,800; city 337502: 16,800; csr 337502: 10,001 -> 60,401
    bill = _sponsor_bill(run, "SP1", "3375", [(a1, 16_800), (a2, 16_800), (a3, 16_800), (b1, 10_001)])
    other = _sponsor_bill(BillingRun.objects.create(month=dt.date(2024, 2, 1)), "SP2", "3375", [(b1, 10_001)])

    def cells(end):
        return {
            (c["scheme_id"], c["region_code"]): (c["value"], c["people"])
            for c in indicators.get("coverage.premiums_paid").cells(START, end)
        }

    # part payment in the window: 30,000 shared 33,600 : 16,800 : 10,001 (largest remainder, whole rupiah)
    Payment.objects.create(bill=bill, amount=30_000, paid_on=dt.date(2024, 2, 1), reference="a")
    first = cells(dt.date(2024, 2, 29))
    assert first == {
        (city.pk, "337501"): (Decimal(16_689), 2),
        (city.pk, "337502"): (Decimal(8_344), 1),
        (csr.pk, "337502"): (Decimal(4_967), 1),
    }
    assert sum(v for v, _n in first.values()) == 30_000
    # the rest, and the other bill, paid later: each scheme and district gets exactly its contributions
    Payment.objects.create(bill=bill, amount=30_401, paid_on=dt.date(2024, 3, 5), reference="b")
    Payment.objects.create(bill=other, amount=10_001, paid_on=dt.date(2024, 3, 5), reference="c")
    Payment.objects.create(bill=other, amount=1, paid_on=dt.date(2024, 7, 1), reference="d")  # after END
    full = cells(END)
    assert {k: v for k, (v, _n) in full.items()} == {
        (city.pk, "337501"): Decimal(33_600),
        (city.pk, "337502"): Decimal(16_800),
        (csr.pk, "337502"): Decimal(20_002),
    }
    # a window starting after a payment counts only what was paid in it (cumulative shares subtracted)
    march = {
        (c["scheme_id"], c["region_code"]): c["value"]
        for c in indicators.get("coverage.premiums_paid").cells(dt.date(2024, 3, 1), END)
    }
    assert march == {
        (city.pk, "337501"): Decimal(16_911),
        (city.pk, "337502"): Decimal(8_456),
        (csr.pk, "337502"): Decimal(15_035),
    }
    # stored with the scheme in a frozen snapshot, and readable per scheme
    snapshot, _created = freeze(kind=Snapshot.Kind.MONTH, period_end=END)
    assert totals(snapshot, scheme_id=csr.pk)["coverage.premiums_paid"] == (Decimal(20_002), 2)
    by_scheme = {e["scheme"]: e for e in premiums_by_scheme(snapshot, region="3375")}
    assert by_scheme["APBD Pekalongan 2024"]["value"] == 50_400
    assert [r["region_code"] for r in by_scheme["APBD Pekalongan 2024"]["regions"]] == ["337501", "337502"]
    assert by_scheme["CSR Batik 2024"]["value"] == 20_002
    # a budget line of a sponsored scheme is realised by that scheme's premiums only
    from sinergi.planning.models import BudgetLine
    from sinergi.planning.selectors import line_realised

    line = BudgetLine(scheme_id=csr.pk, spend_indicator="coverage.premiums_paid", amount=Decimal(1_000_000))
    assert line_realised(line, snapshot) == Decimal(20_002)
