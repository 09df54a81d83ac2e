"""Test set-up shared by every test: isolated data folder, immediate jobs, regions present, personas."""

import os
import tempfile

os.environ.setdefault("SINERGI_HOME", tempfile.mkdtemp(prefix="sinergi-test-"))
os.environ.setdefault("SINERGI_TASKS_IMMEDIATE", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.factories import TEST_PASSWORD, OrganisationFactory, UnionBodyFactory, UserFactory  # noqa: E402

DB_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Cached figures live in the shared cache (rolled back with each test's database) and in a tier
    inside the process, which a rolled-back database would otherwise meet again under reused ids."""
    from sinergi.core.home import local_figures_clear

    local_figures_clear()


@pytest.fixture(autouse=True)
def _regions_present(request):
    """Region rows come from a data migration; a transactional test's flush empties them, so reload."""
    uses_db = bool(DB_FIXTURES & set(request.fixturenames)) or request.node.get_closest_marker("django_db")
    if not uses_db:
        return
    request.getfixturevalue(
        "db"
    ) if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames else None
    from sinergi.regions.loader import minimum_wages_seed, regions_load
    from sinergi.regions.models import MinimumWage, Region

    if not Region.objects.filter(code="317205").exists():
        regions_load(Region)
        minimum_wages_seed(MinimumWage)


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def make_user(db):
    """make_user(role, org_kind=..., region=..., **org_fields) -> a user in a fresh organisation."""

    def make(role, *, org_kind=None, region="31", org=None, **org_fields):
        from sinergi.accounts.roles import OrgKind, Role

        kind_for_role = {
            Role.AGENCY_OFFICER: OrgKind.AGENCY,
            Role.AGENCY_HEAD: OrgKind.AGENCY,
            Role.ADMIN: OrgKind.AGENCY,
            Role.SS_OFFICER: OrgKind.SS_BRANCH,
            Role.UNION_OFFICIAL: OrgKind.UNION,
            Role.SPONSOR_VIEWER: OrgKind.SPONSOR,
            Role.TRIPARTITE_SECRETARY: OrgKind.TRIPARTITE,
            Role.LEADERSHIP_VIEWER: OrgKind.LEADERSHIP,
        }
        if org is None:
            if role == Role.UNION_OFFICIAL and "union_body" not in org_fields:
                org_fields["union_body"] = UnionBodyFactory(region_id=region)
            org = OrganisationFactory(kind=org_kind or kind_for_role[role], region_id=region, **org_fields)
        return UserFactory(role=role, organisation=org)

    return make


@pytest.fixture
def agency_officer(make_user):
    return make_user("agency_officer", region="31")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", region="31")
