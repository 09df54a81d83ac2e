"""Enrolling participations and reporting wages: validated through the contribution rules."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.models import AuditEntry
from sinergi.coverage import services
from sinergi.coverage.models import WageReport
from tests.factories import EmployerFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("ss_officer", region="31")


def test_enrol_pu_with_employer_copies_risk_class_and_keeps_history(officer):
    employer = EmployerFactory(jkk_risk_class=4, labour_intensive_industry="footwear")
    part = services.participation_enrol(
        actor=officer,
        person=PersonFactory(),
        segment="PU",
        start_date=dt.date(2025, 1, 1),
        wage=6000000,
        employer=employer,
        programmes=["JKK", "JKM", "JHT", "JP"],
        participant_number="25000000001",
    )
    assert (part.payer_kind, part.risk_class, part.labour_intensive_industry, part.jp) == (
        "employer",
        4,
        "footwear",
        True,
    )
    assert part.region_id == employer.region_id
    services.wage_report(actor=officer, participation=part, amount=7000000, valid_from=dt.date(2025, 6, 1))
    history = list(
        WageReport.objects.filter(participation=part).order_by("valid_from").values_list("amount", "valid_to")
    )
    assert history == [(Decimal(6000000), dt.date(2025, 5, 31)), (Decimal(7000000), None)]
    assert (
        AuditEntry.objects.filter(object_type="coverage.participation", object_id=str(part.pk)).count() == 2
    )
    with pytest.raises(Conflict):
        services.wage_report(
            actor=officer, participation=part, amount=7500000, valid_from=dt.date(2025, 3, 1)
        )


def test_enrol_refuses_what_the_rules_refuse(officer):
    person = PersonFactory()
    with pytest.raises(SinergiError) as err:
        services.participation_enrol(
            actor=officer, person=person, segment="BPU", start_date=dt.date(2025, 1, 1), wage=800000
        )
    assert err.value.field == "income"
    with pytest.raises(SinergiError) as err:
        services.participation_enrol(
            actor=officer,
            person=person,
            segment="BPU",
            start_date=dt.date(2025, 1, 1),
            wage=1500000,
            programmes=["JKK", "JKM", "JP"],
        )
    assert err.value.code == "jp_not_available"
    with pytest.raises(SinergiError) as err:
        services.participation_enrol(
            actor=officer, person=person, segment="PU", start_date=dt.date(2025, 1, 1), wage=5000000
        )
    assert err.value.field == "risk_class"  # no employer: no risk class
    with pytest.raises(SinergiError):
        services.participation_enrol(
            actor=officer,
            person=person,
            segment="BPU",
            start_date=dt.date(2025, 1, 1),
            wage=1000000,
            payer_kind="sponsor",
        )


def test_one_coverage_per_segment_and_sponsor_payer(officer):
    person = PersonFactory()
    sponsor = OrganisationFactory(kind="sponsor")
    part = services.participation_enrol(
        actor=officer,
        person=person,
        segment="BPU",
        start_date=dt.date(2025, 1, 1),
        wage=1000000,
        sponsor_organisation=sponsor,
    )
    assert part.payer_kind == "sponsor" and part.sponsor_organisation == sponsor
    with pytest.raises(Conflict):
        services.participation_enrol(
            actor=officer, person=person, segment="BPU", start_date=dt.date(2025, 2, 1), wage=1000000
        )
    services.participation_end(actor=officer, participation=part, end_date=dt.date(2025, 3, 31))
    part.refresh_from_db()
    assert part.status == "ended"


def test_enrol_outside_the_officers_region_is_refused(officer):
    with pytest.raises(NotAllowed):
        services.participation_enrol(
            actor=officer,
            person=PersonFactory(district="337501"),
            segment="BPU",
            start_date=dt.date(2025, 1, 1),
            wage=1000000,
        )
