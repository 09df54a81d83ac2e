"""A small world for aspirations: a province agency with an officer and a head, a North Jakarta social
security branch, the North Jakarta tripartite body, and a union with its official."""

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import OrganisationFactory, UnionBodyFactory, UserFactory


def ensure_seeded():
    """Transactional tests flush the tables, data-migration rows included: put the defaults back."""
    from sinergi.aspirations.defaults import ensure_defaults

    ensure_defaults()


@pytest.fixture
def world(db):
    from sinergi.accounts.roles import OrgKind, Role
    from sinergi.regions.models import Region

    ensure_seeded()
    agency = OrganisationFactory(kind=OrgKind.AGENCY, region_id="31", name="Disnakertrans Uji DKI")
    branch = OrganisationFactory(kind=OrgKind.SS_BRANCH, region_id="3172", name="BPJS Uji Cilincing")
    branch.service_area.set(Region.objects.filter(code="3172"))
    lks = OrganisationFactory(kind=OrgKind.TRIPARTITE, region_id="3172", name="LKS Uji Jakut")
    body = UnionBodyFactory(region_id="31", name="DPW Serikat Uji")
    union_org = OrganisationFactory(
        kind=OrgKind.UNION, region_id="31", union_body=body, name="Org Serikat Uji"
    )
    other_body = UnionBodyFactory(region_id="35", name="PC Serikat Lain")
    other_union = OrganisationFactory(
        kind=OrgKind.UNION, region_id="35", union_body=other_body, name="Org Lain"
    )
    jember = OrganisationFactory(kind=OrgKind.AGENCY, region_id="3509", name="Disnaker Uji Jember")
    sponsor_org = OrganisationFactory(kind=OrgKind.SPONSOR, region_id="31", name="Sponsor Uji")
    return SimpleNamespace(
        agency=agency,
        branch=branch,
        lks=lks,
        body=body,
        union_org=union_org,
        officer=UserFactory(role=Role.AGENCY_OFFICER, organisation=agency, email="officer@example.test"),
        head=UserFactory(role=Role.AGENCY_HEAD, organisation=agency, email="head@example.test"),
        ss_officer=UserFactory(role=Role.SS_OFFICER, organisation=branch, email="ss@example.test"),
        secretary=UserFactory(role=Role.TRIPARTITE_SECRETARY, organisation=lks, email="lks@example.test"),
        official=UserFactory(role=Role.UNION_OFFICIAL, organisation=union_org, email="union@example.test"),
        other_official=UserFactory(role=Role.UNION_OFFICIAL, organisation=other_union),
        jember_officer=UserFactory(role=Role.AGENCY_OFFICER, organisation=jember),
        sponsor=UserFactory(role=Role.SPONSOR_VIEWER, organisation=sponsor_org),
        admin=UserFactory(role=Role.ADMIN, organisation=agency),
    )


FRIDAY = dt.date(2024, 6, 14)  # before Idul Adha (Mon 17 Jun) and its cuti bersama (Tue 18 Jun)


@pytest.fixture
def file_one(world):
    from sinergi.aspirations.services import aspiration_file

    def make(category="bureaucracy", actor=None, received_on=FRIDAY, region_id="3172", **kw):
        return aspiration_file(
            actor=actor or world.official,
            title=kw.pop("title", "Izin pelatihan tertahan di kelurahan"),
            description=kw.pop("description", "Surat rekomendasi tidak diterbitkan sejak dua minggu."),
            category=category,
            region_id=region_id,
            received_on=received_on,
            **kw,
        )

    return make
