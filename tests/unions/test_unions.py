"""Member counts rolled up without double counting; UU 21/2000 thresholds at recording; Art. 14."""

import datetime as dt

import pytest

from sinergi.core.errors import Conflict, SinergiError
from sinergi.rules.tables import RuleError
from sinergi.rules.unions import check_formation
from sinergi.unions import services
from sinergi.unions.models import Membership, UnionBody
from tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "count", "ok"),
    [
        ("union", 9, False),
        ("union", 10, True),
        ("federation", 4, False),
        ("federation", 5, True),
        ("confederation", 2, False),
        ("confederation", 3, True),
    ],
)
def test_uu21_thresholds(kind, count, ok):
    if ok:
        check_formation(kind, count, dt.date(2025, 1, 1))
    else:
        with pytest.raises(RuleError) as exc:
            check_formation(kind, count, dt.date(2025, 1, 1))
        assert "UU 21/2000" in exc.value.message("id")


def test_rollup_counts_a_person_in_two_bodies_of_the_subtree_once():
    dpw = UnionBodyFactory(kind="unit", name="DPW")
    kc = UnionBodyFactory(kind="unit", name="KC", parent=dpw)
    puk1 = UnionBodyFactory(kind="unit", name="PUK 1", parent=kc)
    puk2 = UnionBodyFactory(kind="unit", name="PUK 2", parent=kc)
    both = PersonFactory()
    MembershipFactory(person=both, body=puk1)
    MembershipFactory(person=both, body=puk2)
    MembershipFactory(body=puk1)
    MembershipFactory(body=puk2, verified=False)  # unverified: not counted
    MembershipFactory(body=puk2, status="left")  # left: not counted
    MembershipFactory(body=kc)
    services.member_counts_recompute()
    counts = {b.name: (b.member_count, b.member_count_rollup) for b in UnionBody.objects.all()}
    assert counts == {"DPW": (0, 3), "KC": (1, 3), "PUK 1": (2, 2), "PUK 2": (1, 1)}
    assert services.member_counts_recompute() == 0  # nothing changed, nothing written


def test_membership_service_enforces_one_union_per_company_and_updates_counts(agency_officer):
    employer = EmployerFactory()
    parent = UnionBodyFactory(kind="unit")
    a = UnionBodyFactory(kind="unit", employer=employer, parent=parent)
    b = UnionBodyFactory(kind="union", employer=employer)
    person = PersonFactory()
    m = services.membership_create(actor=agency_officer, person=person, body=a, verified=True)
    parent.refresh_from_db()
    assert parent.member_count_rollup == 1
    with pytest.raises(Conflict, match="(Art.|Pasal) 14"):
        services.membership_create(actor=agency_officer, person=person, body=b)
    services.membership_update(actor=agency_officer, membership=m, status="left")
    parent.refresh_from_db()
    assert parent.member_count_rollup == 0 and Membership.objects.get().left_on is not None


def test_recording_checks_the_threshold(agency_officer):
    agency = OrganisationFactory()
    union = UnionBodyFactory(kind="union")
    for _ in range(9):
        MembershipFactory(body=union)
    reg = services.registration_submit(
        actor=agency_officer, body=union, agency=agency, submitted_on=dt.date(2025, 1, 6)
    )
    with pytest.raises(SinergiError, match="10"):
        services.registration_decide(
            actor=agency_officer, registration=reg, status="recorded", record_number="1/X"
        )
    MembershipFactory(body=union)
    services.registration_decide(
        actor=agency_officer,
        registration=reg,
        status="recorded",
        record_number="190/DISNAKER/SP/KAB-TNG/III/2009",
    )
    reg.refresh_from_db()
    assert reg.status == "recorded" and reg.record_date is not None
    with pytest.raises(Conflict):
        services.registration_decide(actor=agency_officer, registration=reg, status="suspended")


def test_a_federation_cannot_sit_under_a_federation():
    fed = UnionBodyFactory(kind="federation")
    with pytest.raises(SinergiError):
        services.union_body_create(actor=None, name="X", kind="federation", parent=fed, region_id="31")


def test_union_pages_add_body_official_and_record(client, make_user, password):
    from sinergi.unions.models import UnionOfficial, UnionRegistration

    union = UnionBodyFactory(kind="union", name="SP Uji Pelabuhan", region_id="3172")
    for _ in range(10):
        MembershipFactory(body=union)
    agency = OrganisationFactory(kind="agency", region_id="3172", name="Sudin Nakertrans Jakarta Utara")
    official = make_user("union_official", union_body=union)
    officer = make_user("agency_officer", org=agency)
    client.login(username=official.username, password=password)
    response = client.post(
        f"/registry/unions/{union.pk}/add/", {"name": "PUK Dermaga", "kind": "unit", "region_id": "317203"}
    )
    assert response.status_code == 302
    assert UnionBody.objects.get(name="PUK Dermaga").parent_id == union.pk
    member = Membership.objects.filter(body=union).first().person
    response = client.post(
        f"/registry/unions/{union.pk}/officials/add/",
        {"nik": member.nik, "position": "Ketua", "term_start": "2024-01-01"},
    )
    assert response.status_code == 302 and UnionOfficial.objects.get().person == member
    client.post(f"/registry/unions/{union.pk}/registration/")
    registration = UnionRegistration.objects.get()
    assert registration.agency == agency and registration.status == "submitted"
    # the union official cannot record it
    client.post(
        f"/registry/unions/{union.pk}/registration/",
        {"registration": registration.pk, "status": "recorded", "record_number": "1/X"},
    )
    registration.refresh_from_db()
    assert registration.status == "submitted"
    client.logout()
    client.login(username=officer.username, password=password)
    client.post(
        f"/registry/unions/{union.pk}/registration/",
        {"registration": registration.pk, "status": "recorded", "record_number": "330/Disnaker/2019"},
    )
    registration.refresh_from_db()
    assert registration.status == "recorded" and registration.record_number == "330/Disnaker/2019"
    page = client.get(f"/registry/unions/{union.pk}/").content.decode()
    assert "330/Disnaker/2019" in page
