"""Coverage gap and scoping: the gap list for a union body matches the registry and coverage data;
sponsors see only the people they pay for; union officials see status only."""

import datetime as dt

import pytest

from sinergi.core import clock
from sinergi.coverage import selectors, services
from sinergi.registry.models import Employment
from tests.coverage.factories import ParticipationFactory
from tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 11, 1)


@pytest.fixture
def body_with_members():
    body = UnionBodyFactory(region_id="31")
    sub = UnionBodyFactory(region_id="31", parent=body, kind="unit")
    other = UnionBodyFactory(region_id="31")
    employer = EmployerFactory()
    people = {}
    for key, b in (
        ("covered", body),
        ("lapsed", body),
        ("uncovered", body),
        ("sub_uncovered", sub),
        ("ended", sub),
    ):
        person = PersonFactory()
        MembershipFactory(person=person, body=b)
        Employment.objects.create(
            person=person, employer=employer, start_date=dt.date(2020, 1, 1), wage=5000000
        )
        people[key] = person
    ParticipationFactory(person=people["covered"], segment="PU", payer_kind="employer", employer=employer)
    ParticipationFactory(person=people["lapsed"], status="lapsed")
    ParticipationFactory(person=people["ended"], end_date=dt.date(2024, 12, 31))
    outsider = PersonFactory()
    MembershipFactory(person=outsider, body=other)
    return body, sub, employer, people, outsider


def test_gap_list_for_a_union_body_matches_registry_and_coverage(admin_user, body_with_members):
    body, sub, employer, people, outsider = body_with_members
    gap = set(
        selectors.gap_people(user=admin_user, on=ON, filters={"body": body.pk}).values_list("pk", flat=True)
    )
    assert gap == {
        people["lapsed"].pk,
        people["uncovered"].pk,
        people["sub_uncovered"].pk,
        people["ended"].pk,
    }
    counts = {r["key"]: r["count"] for r in selectors.gap_counts(user=admin_user, by="union", on=ON)}
    assert counts[body.pk] == 2 and counts[sub.pk] == 2
    by_employer = selectors.gap_counts(user=admin_user, by="employer", on=ON, filters={"body": body.pk})
    assert by_employer == [{"key": employer.pk, "label": employer.name, "count": 4}]


def test_union_official_sees_only_own_members_gap(make_user, body_with_members):
    body, sub, employer, people, outsider = body_with_members
    official = make_user("union_official", union_body=sub)
    gap = set(selectors.gap_people(user=official, on=ON).values_list("pk", flat=True))
    assert gap == {people["sub_uncovered"].pk, people["ended"].pk}
    assert not selectors.bill_list(user=official).exists()


def test_sponsor_sees_only_the_people_it_pays_for(make_user):
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    mine = ParticipationFactory(payer_kind="sponsor", sponsor_organisation=sponsor)
    ParticipationFactory(payer_kind="sponsor", sponsor_organisation=OrganisationFactory(kind="sponsor"))
    ParticipationFactory()
    viewer = make_user("sponsor_viewer", org=sponsor)
    assert list(selectors.participation_list(user=viewer)) == [mine]
    assert not selectors.gap_people(user=viewer).exists()


def test_region_officer_sees_only_region(make_user):
    jakarta = ParticipationFactory(region_id="317205")
    ParticipationFactory(person=PersonFactory(district="337501"), region_id="337501")
    officer = make_user("ss_officer", region="31")
    assert list(selectors.participation_list(user=officer)) == [jakarta]


def test_gap_people_proposed_as_candidates(make_user):
    agency = OrganisationFactory(kind="agency", region_id="3375")
    a = make_user("agency_officer", org=agency)
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    scheme = services.scheme_create(
        actor=a,
        sponsor_organisation=sponsor,
        agency=agency,
        region_id="3375",
        name="S",
        legal_basis="L",
        year=clock.today().year,  # an open budget year
        target=10,
        budget=0,
    )
    p1 = PersonFactory(district="337501", employment_type="informal", is_vulnerable=True)
    p2 = PersonFactory(district="337501", employment_type="informal", is_vulnerable=True)
    ids = list(selectors.gap_people(user=a, on=ON).values_list("pk", flat=True))
    assert set(ids) == {p1.pk, p2.pk}
    batch = services.gap_propose(actor=a, scheme=scheme, person_ids=[p1.pk])
    assert batch.source == "gap" and list(batch.candidates.values_list("person_id", flat=True)) == [p1.pk]
