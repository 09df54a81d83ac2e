"""Issue 12 item 2: lists and form choices are scoped by the same `Scope` as detail pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sinergi.unions.selectors import membership_list
from tests.coverage.factories import ParticipationFactory
from tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UnionBodyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_officer(make_user):
    """A BPJS branch serving North Jakarta (3172) only."""
    user = make_user("ss_officer", region="3172", org_kind="ss_branch")
    return user


def test_a_branch_officer_sees_no_membership_of_a_person_outside_its_service_area(
    client, branch_officer, password
):
    """Finding: a branch officer saw ~2,600 memberships of people outside its area (their pages: 404)."""
    body = UnionBodyFactory(region_id="3172")  # a body inside the branch's area …
    inside = MembershipFactory(body=body, person=PersonFactory(district="317205"))
    outside = MembershipFactory(body=body, person=PersonFactory(district="350901"))  # … with a Jember member
    assert list(membership_list(user=branch_officer)) == [inside]
    client.login(username=branch_officer.username, password=password)
    assert client.get(f"/registry/people/{outside.person_id}/").status_code == 404
    listed = client.get("/api/v1/unions/memberships").json()
    ids = [row["id"] for row in listed.get("items", listed)]
    assert inside.pk in ids and outside.pk not in ids
    assert client.get(f"/api/v1/unions/memberships/{outside.pk}").status_code == 404
    page = client.get(f"/registry/unions/{body.pk}/").content.decode()
    assert inside.person.name in page and outside.person.name not in page


def test_a_union_official_lists_only_memberships_of_their_active_members(make_user):
    body = UnionBodyFactory()
    official = make_user("union_official", union_body=body)
    active = MembershipFactory(body=body)
    former = MembershipFactory(body=body, status="ended")
    assert list(membership_list(user=official)) == [active]
    assert former.person_id not in [m.person_id for m in membership_list(user=official)]


def test_a_merged_person_s_memberships_are_not_listed(make_user):
    officer = make_user("agency_officer", region="31")
    keep = PersonFactory()
    merged = PersonFactory(merged_into=keep)
    MembershipFactory(person=merged, body=UnionBodyFactory())
    assert not membership_list(user=officer).filter(person=merged).exists()


def test_billing_runs_show_each_branch_only_its_own_bills(client, make_user, password):
    from sinergi.coverage import services

    admin = make_user("admin", region="31")
    north = make_user("ss_officer", region="3172", org_kind="ss_branch")
    jember = make_user("ss_officer", region="3509", org_kind="ss_branch")
    for region, wage in (("3172", 5_000_000), ("3509", 3_000_000)):
        ParticipationFactory(
            person=PersonFactory(district=region + "01"),
            region_id=region,
            segment="PU",
            payer_kind="employer",
            employer=EmployerFactory(region_id=region),
            wage=Decimal(wage),
            start_date=dt.date(2025, 1, 1),
        )
    # A run belongs to the branch that made it (an administrator's run bills every payer).
    north_run = services.billing_run(actor=north, month="2025-11")
    jember_run = services.billing_run(actor=jember, month="2025-11")
    assert (north_run.bills, jember_run.bills) == (1, 1)
    from sinergi.coverage.selectors import bill_list, run_list

    assert list(run_list(user=north)) == [north_run]
    mine = run_list(user=north).get(pk=north_run.pk)
    own_total = sum(b.total for b in bill_list(user=north))
    assert (mine.scoped_bills, mine.scoped_total) == (1, own_total)
    assert {r.pk for r in run_list(user=admin)} == {north_run.pk, jember_run.pk}
    client.login(username=jember.username, password=password)
    html = client.get("/coverage/billing/").content.decode()
    from sinergi.core.templatetags.sinergi import rupiah

    assert str(rupiah(north_run.total)) not in html
    assert str(rupiah(sum(b.total for b in bill_list(user=jember)))) in html


def test_commitment_owner_and_invitation_choices_follow_the_scope(make_user):
    from sinergi.meetings import forms, services

    officer = make_user("ss_officer", region="3172", org_kind="ss_branch")
    province = OrganisationFactory(kind="agency", region_id="31", name="Disnaker DKI Uji")
    jember = OrganisationFactory(kind="agency", region_id="3509", name="Disnaker Jember Uji")
    national = OrganisationFactory(kind="ss_branch", region_id="31", name="BPJS Pusat Uji", is_national=True)
    form = forms.MeetingForm(user=officer)
    invitable = set(form.fields["invited_organisations"].queryset)
    assert {officer.organisation, province, national} <= invitable and jember not in invitable
    meeting = services.meeting_create(
        actor=officer,
        kind="ss_union",
        title="Dialog",
        starts_at=timezone.make_aware(dt.datetime(2024, 5, 13, 10)),
        place="Cilincing",
        union_bodies=[],
        invited_organisations=[],
    )
    owners = set(forms.CommitmentForm(user=officer, meeting=meeting).fields["owner"].queryset)
    assert officer.organisation in owners and jember not in owners
    bound = forms.CommitmentForm(
        {"description": "x", "owner": jember.pk, "due_date": "2024-06-01"}, user=officer, meeting=meeting
    )
    assert not bound.is_valid() and "owner" in bound.errors
