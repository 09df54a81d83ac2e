"""Issue #16: the gap page's figures come from one query each (and from the cache until the next audited
write) and equal the old computation (gap_people().count(), gap_counts) on hand-built data; the home
figures follow an audited write at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.core import clock
from sinergi.coverage import selectors
from sinergi.registry import services as registry_services
from sinergi.registry.models import Employment
from tests.coverage.factories import ParticipationFactory
from tests.factories import EmployerFactory, MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 11, 1)


@pytest.fixture
def world():
    body = UnionBodyFactory(region_id="31")
    sub = UnionBodyFactory(region_id="31", parent=body, kind="unit")
    employers = [EmployerFactory(), EmployerFactory()]
    people = []
    for i in range(30):
        person = PersonFactory(
            district=["317205", "317101", "317401"][i % 3],
            employment_type=["formal", "informal", "none"][i % 3],
        )
        person.occupation = ["Buruh", "Satpam", ""][i % 3]
        person.save()
        if i % 4 == 0:
            MembershipFactory(person=person, body=body if i % 8 else sub)
        if i % 5 == 0 and i % 4:
            MembershipFactory(person=person, body=sub)
        if i % 3 != 2:
            Employment.objects.create(
                person=person, employer=employers[i % 2], start_date=dt.date(2020, 1, 1), wage=5_000_000
            )
        if i % 6 == 0:
            ParticipationFactory(person=person)
        elif i % 7 == 0:
            ParticipationFactory(person=person, status="lapsed")
        people.append(person)
    return body, employers, people


@pytest.mark.parametrize("by", ["region", "occupation", "union", "employer"])
@pytest.mark.parametrize("filters", [{}, "body", {"region": "3171"}])
def test_gap_figures_equal_the_old_computation(admin_user, world, by, filters):
    body, _employers, _people = world
    if filters == "body":
        filters = {"body": body.pk}
    figures = selectors.gap_figures(user=admin_user, by=by, on=ON, filters=filters)
    assert figures["total"] == selectors.gap_people(user=admin_user, on=ON, filters=filters).count()
    assert figures["groups"] == selectors.gap_counts(user=admin_user, by=by, on=ON, filters=filters)
    assert figures["total"] > 0


def _anti_joins(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if "coverage_participation" in q["sql"] and "NOT" in q["sql"])


@pytest.mark.parametrize("by,expected", [("region", 2), ("occupation", 2), ("union", 3), ("employer", 3)])
def test_gap_page_runs_the_anti_join_once_per_figure_then_reads_the_cache(
    admin_user, world, client, settings, by, expected
):
    settings.SINERGI_FIGURES_SECONDS = 300
    client.force_login(admin_user)
    with clock.travel(ON), CaptureQueriesContext(connection) as ctx:
        first = client.get("/coverage/gap/", {"by": by})
    assert first.status_code == 200
    assert _anti_joins(ctx) == expected  # groups (+ total by union/employer) + the page (LIMIT 51)
    total = selectors.gap_people(user=admin_user, on=ON).count()
    assert first.context["total"] == total
    with clock.travel(ON), CaptureQueriesContext(connection) as ctx:
        again = client.get("/coverage/gap/", {"by": by})
    assert _anti_joins(ctx) == 1  # only the page
    assert again.context["total"] == total and again.context["groups"] == first.context["groups"]


def test_gap_page_without_cache_is_bounded(
    admin_user, world, client, settings, django_assert_max_num_queries
):
    settings.SINERGI_FIGURES_SECONDS = 0
    client.force_login(admin_user)
    with clock.travel(ON), CaptureQueriesContext(connection) as ctx:
        client.get("/coverage/gap/")
    assert _anti_joins(ctx) == 2
    with clock.travel(ON), django_assert_max_num_queries(20):
        client.get("/coverage/gap/")


def test_home_figures_follow_an_audited_write_at_once(admin_user, client, settings):
    settings.SINERGI_FIGURES_SECONDS = 300
    PersonFactory()
    client.force_login(admin_user)

    def figure(label):
        order = {"Workers registered": 10, "Workers without coverage": 202}[label]
        cards = client.get("/").context["cards"]
        return int(str(next(c["value"] for c in cards if c["order"] == order)).replace(".", ""))

    before = figure("Workers registered")
    gap_before = figure("Workers without coverage")
    with CaptureQueriesContext(connection) as ctx:
        assert figure("Workers registered") == before  # from the cache
    assert not any("COUNT(" in q["sql"] and "registry_person" in q["sql"] for q in ctx.captured_queries)
    registry_services.person_create(
        actor=admin_user,
        nik="3172051203900009",
        name="Baru Daftar",
        birth_date=dt.date(1990, 3, 12),
        sex="M",
        domicile_region_id="317205",
    )
    assert figure("Workers registered") == before + 1
    assert figure("Workers without coverage") == gap_before + 1
