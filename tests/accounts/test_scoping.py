"""Scope per role (issue #2 policy), and the Q objects selectors build from it."""

import pytest

from sinergi.accounts.scoping import user_scope
from sinergi.regions.models import MinimumWage, Region
from tests.factories import OrganisationFactory, UnionBodyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_agency_sees_its_region_and_below(make_user):
    scope = user_scope(make_user("agency_officer", region="3375"))
    assert scope.region_prefixes == ("3375",)
    assert scope.covers_region("337504") and not scope.covers_region("3326") and not scope.covers_region("")
    assert not scope.read_only and not scope.is_global


def test_a_branch_sees_its_service_area_not_only_its_home_region(make_user):
    user = make_user("ss_officer", region="3375")
    user.organisation.service_area.set(Region.objects.filter(code__in=["3375", "3326"]))
    scope = user_scope(user)
    assert scope.region_prefixes == ("3326", "3375")
    assert scope.covers_region("332601") and not scope.covers_region("3509")


def test_a_union_official_sees_their_body_and_the_bodies_below_only():
    from sinergi.unions.services import union_body_create

    root = union_body_create(
        actor=None, name="Federasi Uji", short_name="FU", kind="federation", region_id="35"
    )
    branch = union_body_create(
        actor=None, name="PC Uji", short_name="PC", kind="unit", region_id="3509", parent=root
    )
    unit = union_body_create(
        actor=None, name="PUK Uji", short_name="PUK", kind="unit", region_id="3509", parent=branch
    )
    sibling = union_body_create(
        actor=None, name="PC Lain", short_name="PCL", kind="unit", region_id="3510", parent=root
    )
    org = OrganisationFactory(kind="union", region_id="3509", union_body=branch)
    scope = user_scope(UserFactory(role="union_official", organisation=org))
    assert scope.union_body_ids == frozenset({branch.pk, unit.pk})
    assert sibling.pk not in scope.union_body_ids and root.pk not in scope.union_body_ids
    assert scope.region_prefixes == ()


def test_leadership_and_sponsors_are_read_only(make_user):
    assert user_scope(make_user("leadership_viewer", region="31")).read_only
    sponsor = make_user("sponsor_viewer", region="3509")
    scope = user_scope(sponsor)
    assert scope.read_only and scope.sponsor_id == sponsor.organisation_id


def test_an_administrator_sees_everything(admin_user):
    scope = user_scope(admin_user)
    assert scope.is_global
    assert MinimumWage.objects.filter(scope.region_q("region_id")).count() == MinimumWage.objects.count()


def test_an_inactive_organisation_or_user_sees_nothing(make_user):
    user = make_user("agency_officer", region="31")
    user.organisation.is_active = False
    user.organisation.save()
    user = type(user).objects.get(pk=user.pk)
    assert user_scope(user).region_prefixes == ()
    assert not Region.objects.filter(user_scope(user).region_q("code")).exists()


def test_region_q_works_on_a_code_and_on_a_foreign_key_column(make_user):
    scope = user_scope(make_user("agency_officer", region="3509"))
    MinimumWage.objects.create(
        region_id="3509", kind="UMK", year=2030, amount=1, decree="x", valid_from="2030-01-01"
    )
    by_fk = MinimumWage.objects.filter(scope.region_q("region_id"))
    assert set(by_fk.values_list("region_id", flat=True)) == {"3509"}
    assert set(Region.objects.filter(scope.region_q("code")).values_list("level", flat=True)) == {
        "regency",
        "district",
    }


def test_union_body_factory_bodies_are_outside_an_agency_scope(make_user):
    body = UnionBodyFactory(region_id="31")
    scope = user_scope(make_user("agency_officer", region="31"))
    assert scope.union_body_ids is None
    assert not type(body).objects.filter(scope.union_q("id")).exists()
