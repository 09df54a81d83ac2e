import datetime as dt
from decimal import Decimal

import pytest

from sinergi.coverage.models import Bill, BillingRun, Contribution
from sinergi.coverage.selectors import coverage_facts, coverage_facts_bulk
from tests.coverage.factories import ParticipationFactory
from tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _paid_month(part, month):
    run, _ = BillingRun.objects.get_or_create(month=month)
    bill = Bill.objects.create(
        run=run,
        month=month,
        payer_kind="self",
        payer_id=part.person_id,
        payer_name="x",
        region_id=part.region_id,
        total=16800,
        paid=16800,
        status="paid",
        due_date=month,
        number=f"B{part.pk}{month:%Y%m}",
    )
    Contribution.objects.create(
        bill=bill,
        participation=part,
        month=month,
        basis=part.wage,
        jkk=10000,
        jkm=6800,
        total=16800,
        paid=True,
    )


def test_person_without_participation_has_no_coverage():
    person = PersonFactory()
    facts = coverage_facts(person=person, on=dt.date(2025, 1, 1))
    assert facts.active is False
    assert facts.segment == ""
    assert facts.programmes == frozenset()
    assert facts.contribution_months == 0
    assert facts.first_enrolled is None
    assert facts.last_wage is None


def test_active_bpu_participation_with_paid_months_and_prior_history():
    part = ParticipationFactory(prior_contribution_months=30, start_date=dt.date(2023, 1, 1))
    for m in (1, 2, 3):
        _paid_month(part, dt.date(2023, m, 1))
    facts = coverage_facts(person=part.person, on=dt.date(2023, 2, 15))
    assert facts.active is True
    assert facts.segment == "BPU"
    assert facts.programmes == frozenset({"JKK", "JKM"})
    assert facts.contribution_months == 32  # 30 earlier + Jan and Feb 2023 (March is after the date)
    assert facts.first_enrolled == dt.date(2023, 1, 1)
    assert facts.last_wage == Decimal(1000000)
    assert facts.participant_number == part.participant_number


def test_lapsed_or_ended_or_not_yet_started_is_not_active():
    lapsed = ParticipationFactory(status="lapsed")
    ended = ParticipationFactory(end_date=dt.date(2024, 6, 30))
    future = ParticipationFactory(start_date=dt.date(2026, 1, 1))
    facts = coverage_facts_bulk(
        person_ids=[lapsed.person_id, ended.person_id, future.person_id], on=dt.date(2025, 1, 1)
    )
    assert not facts[lapsed.person_id].active
    assert not facts[ended.person_id].active
    assert facts[ended.person_id].first_enrolled == dt.date(2023, 1, 1)
    assert not facts[future.person_id].active
    assert facts[future.person_id].first_enrolled is None


def test_pu_preferred_and_programmes_united_and_latest_wage():
    person = PersonFactory()
    ParticipationFactory(person=person, segment="BPU")
    pu = ParticipationFactory(
        person=person,
        segment="PU",
        payer_kind="employer",
        employer=EmployerFactory(),
        jht=True,
        jp=True,
        wage=Decimal(5396761),
        start_date=dt.date(2024, 1, 1),
    )
    pu.wage_reports.create(amount=Decimal(5600000), valid_from=dt.date(2025, 1, 1))
    facts = coverage_facts(person=person, on=dt.date(2024, 12, 31))
    assert facts.segment == "PU"
    assert facts.programmes == frozenset({"JKK", "JKM", "JHT", "JP"})
    assert facts.last_wage == Decimal(5396761)
    assert facts.participant_number == pu.participant_number
    assert coverage_facts(person=person, on=dt.date(2025, 2, 1)).last_wage == Decimal(5600000)


def test_bulk_uses_a_fixed_number_of_queries(django_assert_max_num_queries):
    people = [ParticipationFactory().person_id for _ in range(20)]
    with django_assert_max_num_queries(5):
        facts = coverage_facts_bulk(person_ids=people, on=dt.date(2025, 1, 1))
    assert all(facts[p].active for p in people)


def test_an_ended_participation_covered_its_period():
    part = ParticipationFactory(status="ended", start_date=dt.date(2003, 8, 1), end_date=dt.date(2024, 2, 12))
    assert coverage_facts(person=part.person, on=dt.date(2024, 2, 12)).active is True
    assert coverage_facts(person=part.person, on=dt.date(2024, 2, 13)).active is False
