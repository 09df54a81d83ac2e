"""Sponsored enrolment: selection from the registry, ranking, maker-checker, enrolment file,
participant numbers, renewal, and the scheme summary (WE-5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.coverage import selectors, services
from sinergi.coverage.models import Candidate, Participation
from tests.coverage.factories import ParticipationFactory
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_the_2023_budget_year():
    """The 2023 scheme is worked in 2023: after its year it is closed (issue 10)."""
    from sinergi.core import clock

    with clock.travel("2023-03-01"):
        yield


@pytest.fixture
def officers(make_user):
    agency = OrganisationFactory(kind="agency", region_id="3375")
    a = make_user("agency_officer", org=agency)
    b = make_user("agency_officer", org=agency)
    return a, b


@pytest.fixture
def scheme(officers):
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    return services.scheme_create(
        actor=officers[0],
        sponsor_organisation=sponsor,
        agency=officers[0].organisation,
        region_id="3375",
        name="Perlindungan Pekerja Rentan",
        legal_basis="Perwal Pekalongan No. 19/2023 jo. No. 19b/2022",
        year=2023,
        target=5,
        budget=Decimal(100800000),
        eligible_occupations=["pengayuh becak", "penggali kubur", "sopir angkot"],
        occupation_priority=["penggali kubur", "pengayuh becak"],
        max_welfare_decile=4,
    )


def _vulnerable(occupation, decile=None, district="337501", **kw):
    return PersonFactory(
        district=district,
        employment_type="informal",
        is_vulnerable=True,
        occupation=occupation,
        welfare_decile=decile,
        **kw,
    )


def test_selection_is_ranked_filtered_and_capped_at_the_target(officers, scheme):
    best = _vulnerable("pengayuh becak", decile=1)
    grave = _vulnerable("penggali kubur", decile=2)
    becak2 = _vulnerable("pengayuh becak", decile=2)
    angkot = _vulnerable("sopir angkot", decile=2)
    no_decile = _vulnerable("pengayuh becak")
    _vulnerable("pengayuh becak", decile=3)  # sixth eligible: beyond the target of 5
    _vulnerable("pengayuh becak", decile=7)  # too well-off
    _vulnerable("pedagang", decile=1)  # occupation not eligible
    _vulnerable("pengayuh becak", decile=1, district="317205")  # outside the city
    PersonFactory(
        district="337501", employment_type="informal", occupation="pengayuh becak", welfare_decile=1
    )
    covered = _vulnerable("pengayuh becak", decile=1)
    ParticipationFactory(person=covered)
    batch = services.candidates_select(actor=officers[0], scheme=scheme)
    ranked = list(batch.candidates.order_by("rank").values_list("person_id", flat=True))
    assert ranked[:4] == [best.pk, grave.pk, becak2.pk, angkot.pk]
    assert len(ranked) == 5 and no_decile.pk not in ranked
    with pytest.raises(Conflict):  # quota now fully taken by the draft list
        services.candidates_select(actor=officers[0], scheme=scheme)


def test_the_selector_cannot_approve_and_a_second_officer_can(officers, scheme):
    people = [_vulnerable("pengayuh becak", decile=1) for _ in range(3)]
    batch = services.candidates_select(actor=officers[0], scheme=scheme)
    with pytest.raises(NotAllowed):
        services.batch_decide(actor=officers[0], batch=batch, approve=True)
    services.batch_decide(actor=officers[1], batch=batch, approve=True, start_date=dt.date(2023, 1, 1))
    parts = Participation.objects.filter(scheme=scheme)
    assert parts.count() == 3
    p = parts.first()
    assert (p.segment, p.payer_kind, p.status, p.wage) == ("BPU", "sponsor", "pending", 1000000)
    assert p.sponsor_organisation_id == scheme.sponsor_organisation_id
    assert p.end_date == dt.date(2023, 12, 31)
    assert p.programmes == frozenset({"JKK", "JKM"})
    assert {c.participation_id for c in Candidate.objects.all()} == set(parts.values_list("pk", flat=True))
    assert {x.person_id for x in parts} == {x.pk for x in people}
    with pytest.raises(Conflict):
        services.batch_decide(actor=officers[1], batch=batch, approve=True)


def test_sponsor_viewer_cannot_select(make_user, scheme):
    sponsor_user = make_user("sponsor_viewer", org=scheme.sponsor_organisation)
    with pytest.raises(PermissionDenied):
        services.candidates_select(actor=sponsor_user, scheme=scheme)


def test_enrolment_file_then_participant_numbers_all_or_nothing(officers, scheme):
    people = [_vulnerable("pengayuh becak", decile=1) for _ in range(2)]
    batch = services.candidates_select(actor=officers[0], scheme=scheme)
    services.batch_decide(actor=officers[1], batch=batch, approve=True, start_date=dt.date(2023, 1, 1))
    rows = list(services.enrolment_rows(scheme))
    assert [r[0] for r in rows] == sorted(
        (p.nik for p in people), key=lambda n: [x.name for x in people if x.nik == n][0]
    )
    assert rows[0][5] == "JKK+JKM" and rows[0][6] == 1000000
    bad = f"NIK,No Peserta\n{people[0].nik},23000000001\n{people[1].nik},12AB\n3375010101010001,23000000003\n"
    with pytest.raises(services.ImportErrors) as err:
        services.participant_numbers_import(
            actor=officers[0], scheme=scheme, data=bad.encode(), filename="kpj.csv"
        )
    assert [e["row"] for e in err.value.errors] == [3, 4]
    assert not Participation.objects.exclude(participant_number="").exists()
    good = f"NIK,No Peserta\n{people[0].nik},23000000001\n{people[1].nik},23000000002\n"
    services.participant_numbers_import(
        actor=officers[0], scheme=scheme, data=good.encode(), filename="kpj.csv"
    )
    assert set(Participation.objects.values_list("status", flat=True)) == {"active"}
    summary = selectors.scheme_summary(scheme)
    assert summary["enrolled"] == 2 and summary["target"] == 5 and summary["package"] == 16800


def test_we5_scheme_summary_423_of_500(officers):
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    scheme = services.scheme_create(
        actor=officers[0],
        sponsor_organisation=sponsor,
        agency=officers[0].organisation,
        region_id="3375",
        name="PPR",
        legal_basis="Perwal",
        year=2023,
        target=500,
        budget=Decimal(100800000),
    )
    people = [PersonFactory(district="337502") for _ in range(423)]
    Participation.objects.bulk_create(
        [
            Participation(
                person=p,
                segment="BPU",
                payer_kind="sponsor",
                sponsor_organisation=sponsor,
                scheme=scheme,
                region_id="337502",
                start_date=dt.date(2023, 1, 1),
                wage=1000000,
            )
            for p in people
        ]
    )
    s = selectors.scheme_summary(scheme)
    assert (s["enrolled"], s["target"], s["percent"]) == (423, 500, 84.6)
    assert (
        s["monthly_cost"] == 7106400 and s["yearly_cost"] == 85276800 and s["target_yearly_cost"] == 100800000
    )


def test_district_quota_limits_selection(officers):
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    scheme = services.scheme_create(
        actor=officers[0],
        sponsor_organisation=sponsor,
        agency=officers[0].organisation,
        region_id="3375",
        name="Q",
        legal_basis="Perwal",
        year=2023,
        target=10,
        budget=0,
        quotas={"337501": 1, "337502": 2},
    )
    for _ in range(3):
        _vulnerable("x", district="337501")
        _vulnerable("x", district="337502")
        _vulnerable("x", district="337503")
    batch = services.candidates_select(actor=officers[0], scheme=scheme)
    districts = sorted(c.person.domicile_region_id for c in batch.candidates.select_related("person"))
    assert districts == ["337501", "337502", "337502"]


def test_renewal_carries_covered_participants_to_next_year(officers, scheme):
    active = ParticipationFactory(
        scheme=scheme,
        payer_kind="sponsor",
        sponsor_organisation=scheme.sponsor_organisation,
        end_date=dt.date(2023, 12, 31),
    )
    lapsed = ParticipationFactory(scheme=scheme, status="lapsed", end_date=dt.date(2023, 12, 31))
    active.person.employment_type, active.person.is_vulnerable = "informal", True
    active.person.occupation, active.person.declared_income = "sopir angkot", Decimal(800000)
    active.person.save()
    new = services.scheme_renew(actor=officers[0], scheme=scheme, budget=120000000)
    active.refresh_from_db()
    lapsed.refresh_from_db()
    scheme.refresh_from_db()
    assert new.year == 2024 and new.renewed_from == scheme and scheme.status == "closed"
    # the old year's participation stays as history; the new year's carries the same number
    assert active.scheme == scheme and active.end_date == dt.date(2023, 12, 31)
    carried = Participation.objects.get(scheme=new)
    assert carried.person == active.person and carried.participant_number == active.participant_number
    assert carried.end_date == dt.date(2024, 12, 31) and carried.start_date == dt.date(2024, 1, 1)
    assert lapsed.scheme == scheme and new.renewal_report["carried"] == 1
    with pytest.raises(Conflict):
        services.scheme_renew(actor=officers[0], scheme=scheme)


def test_scheme_outside_the_officers_region_is_refused(make_user):
    officer = make_user("agency_officer", region="3509")
    with pytest.raises(NotAllowed):
        services.scheme_create(
            actor=officer,
            sponsor_organisation=OrganisationFactory(kind="sponsor"),
            agency=officer.organisation,
            region_id="3375",
            name="x",
            legal_basis="y",
            year=2023,
            target=1,
            budget=0,
        )


def test_scheme_target_must_be_positive(officers):
    with pytest.raises(SinergiError) as err:
        services.scheme_create(
            actor=officers[0],
            sponsor_organisation=OrganisationFactory(kind="sponsor"),
            agency=officers[0].organisation,
            region_id="3375",
            name="x",
            legal_basis="y",
            year=2023,
            target=0,
            budget=0,
        )
    assert err.value.field == "target"
