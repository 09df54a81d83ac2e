"""GET /api/v1/coverage/participations at a million participations (issue #16): keyset pages over the
primary key, an opaque cursor, a capped count, checked filters. SQLite and PostgreSQL (DATABASE_URL)."""

import pytest

from sinergi.core import paging
from tests.api_pages import walk_pages
from tests.coverage.factories import ParticipationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/coverage/participations"


@pytest.mark.parametrize("follow_next", [False, True])
def test_paging_returns_every_participation_once_in_order(client, admin_user, follow_next):
    rows = [ParticipationFactory() for _ in range(11)]
    client.force_login(admin_user)
    seen, pages = walk_pages(client, f"{URL}?page_size=4", follow_next=follow_next)
    assert seen == sorted(p.pk for p in rows) and pages == 3
    first = client.get(f"{URL}?page_size=4").json()
    assert (first["count"], first["count_exact"]) == (11, True)


def test_a_row_added_between_pages_does_not_shift_the_next_page(client, admin_user):
    rows = [ParticipationFactory() for _ in range(8)]
    client.force_login(admin_user)
    cursor = client.get(f"{URL}?page_size=3").json()["next_cursor"]
    rows[0].delete()  # a row before the cursor goes away
    added = ParticipationFactory()  # and one is added (after every other)
    page = [item["id"] for item in client.get(f"{URL}?page_size=3&cursor={cursor}").json()["items"]]
    assert page == [p.pk for p in rows[3:6]] and added.pk not in page


def test_an_officer_sees_only_their_region_on_every_page(client, make_user):
    mine = [ParticipationFactory(person=PersonFactory(district="317205")) for _ in range(5)]
    theirs = [ParticipationFactory(person=PersonFactory(district="350901")) for _ in range(5)]
    client.force_login(make_user("agency_officer", region="31"))
    seen, _pages = walk_pages(client, f"{URL}?page_size=2")
    assert seen == [p.pk for p in mine] and not {p.pk for p in theirs} & set(seen)


def test_the_count_stops_at_the_cap(client, admin_user, monkeypatch):
    for _ in range(6):
        ParticipationFactory()
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    client.force_login(admin_user)
    body = client.get(f"{URL}?page_size=2").json()
    assert (body["count"], body["count_exact"]) == (4, False)


@pytest.mark.parametrize(
    "query, field",
    [
        ("cursor=garbage", "cursor"),
        (f"cursor={paging.encode_cursor(['Siti', 3])}", "cursor"),
        ("status=aktif", "status"),
        ("page=0", "page"),
    ],
)
def test_bad_input_answers_422_on_its_field(client, admin_user, query, field):
    client.force_login(admin_user)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


GAP = "/api/v1/coverage/gap/people"


def test_gap_people_pages_by_name_and_id_each_once(client, make_user):
    # equal names: only the id tells them apart
    uncovered = [
        PersonFactory(name=name, employment_type="formal")
        for name in ["Siti", "Agus", "Siti", "Budi", "Siti", "Agus", "Rina"]
    ]
    ParticipationFactory(
        person=PersonFactory(name="Ada", employment_type="formal")
    )  # covered: not in the gap
    PersonFactory(name="Siti", employment_type="formal", district="350901")  # outside the officer's region
    client.force_login(make_user("agency_officer", region="31"))
    expected = [p.pk for p in sorted(uncovered, key=lambda p: (p.name, p.pk))]
    for follow_next in (False, True):
        seen, pages = walk_pages(client, f"{GAP}?page_size=2", follow_next=follow_next)
        assert seen == expected and pages == 4
    body = client.get(f"{GAP}?page_size=2").json()
    assert (body["count"], body["count_exact"]) == (7, True)
    assert client.get(f"{GAP}?cursor=garbage").status_code == 422
    second = client.get(f"{GAP}?page_size=2&page=2").json()
    assert [i["id"] for i in second["items"]] == expected[2:4]
