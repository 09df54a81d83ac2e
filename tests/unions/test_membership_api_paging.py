"""GET /api/v1/unions/memberships at a million members (issue #16): keyset pages over a unique order,
an opaque cursor, a capped count, checked filters. Runs on SQLite and PostgreSQL (DATABASE_URL)."""

from urllib.parse import urlencode

import pytest

from sinergi.core import paging
from sinergi.unions.models import Membership
from tests.api_pages import walk_pages
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/unions/memberships"


@pytest.fixture
def api(client, admin_user, password):
    client.login(username=admin_user.username, password=password)
    return client


def _order(memberships):
    return [m.pk for m in sorted(memberships, key=lambda m: (m.body_id, m.person_id, m.pk))]


def _members_with_equal_keys():
    """Two bodies; people with several memberships in the same body (left ones beside the active one),
    so (body, person) repeats and only the id tells the rows apart."""
    first, second = UnionBodyFactory(), UnionBodyFactory()
    rows = []
    for person in [PersonFactory() for _ in range(4)]:
        for body in (second, first):
            rows += [
                MembershipFactory(person=person, body=body, status=Membership.Status.LEFT),
                MembershipFactory(person=person, body=body, status=Membership.Status.LEFT),
                MembershipFactory(person=person, body=body),
            ]
    return rows


@pytest.mark.parametrize("follow_next", [False, True])
def test_paging_returns_every_membership_once_in_order(api, follow_next):
    rows = _members_with_equal_keys()
    seen, pages = walk_pages(api, f"{URL}?page_size=5", follow_next=follow_next)
    assert seen == _order(rows)
    assert len(set(seen)) == len(rows) == 24 and pages == 5


def test_the_first_page_says_how_many_and_where_next(api):
    rows = _members_with_equal_keys()
    body = api.get(f"{URL}?page_size=5").json()
    assert body["count"] == 24 and body["count_exact"] is True
    assert body["next"] == f"{URL}?" + urlencode({"page_size": 5, "cursor": body["next_cursor"]})
    first = Membership.objects.get(pk=body["items"][0]["id"])
    assert body["items"][0] == {
        "id": first.pk,
        "person_id": first.person_id,
        "person_name": first.person.name,
        "nik_masked": first.person.nik[:6] + "******" + first.person.nik[12:],
        "body_id": first.body_id,
        "employer_id": None,
        "member_number": "",
        "joined_on": None,
        "left_on": None,
        "status": first.status,
        "verified": True,
    }
    last = api.get(f"{URL}?page_size=30").json()
    assert len(last["items"]) == len(rows) and last["next_cursor"] is None and last["next"] is None


def test_a_row_added_between_pages_does_not_shift_the_next_page(api):
    rows = _members_with_equal_keys()
    first = api.get(f"{URL}?page_size=5").json()
    cursor = first["next_cursor"]
    before = [item["id"] for item in api.get(f"{URL}?page_size=5&cursor={cursor}").json()["items"]]
    # a new row that sorts before the cursor (the first body, its lowest person)
    lowest = min(rows, key=lambda m: (m.body_id, m.person_id, m.pk))
    added = MembershipFactory(person=lowest.person, body=lowest.body, status=Membership.Status.LEFT)
    after = [item["id"] for item in api.get(f"{URL}?page_size=5&cursor={cursor}").json()["items"]]
    assert after == before and added.pk not in after
    # an offset page would have shifted by one row
    offset_page = [item["id"] for item in api.get(f"{URL}?page_size=5&page=2").json()["items"]]
    assert offset_page == _order([*rows, added])[5:10] and offset_page != before
    seen, _pages = walk_pages(api, f"{URL}?page_size=5")
    assert seen == _order([*rows, added])


def test_a_page_number_still_works_and_hands_over_to_the_cursor(api):
    rows = _members_with_equal_keys()
    second = api.get(f"{URL}?page_size=5&page=2").json()
    assert [item["id"] for item in second["items"]] == _order(rows)[5:10]
    third = api.get(f"{URL}?page_size=5&cursor={second['next_cursor']}").json()
    assert [item["id"] for item in third["items"]] == _order(rows)[10:15]


def test_union_official_sees_only_their_bodies_members_on_every_page(client, make_user, password):
    mine = UnionBodyFactory()
    unit = UnionBodyFactory(kind="unit", parent=mine)
    other = UnionBodyFactory()
    expected = [MembershipFactory(body=mine) for _ in range(4)] + [
        MembershipFactory(body=unit) for _ in range(3)
    ]
    member = expected[0].person
    expected.append(MembershipFactory(person=member, body=unit, status=Membership.Status.LEFT))
    outside = [MembershipFactory(body=other) for _ in range(5)]
    outside.append(MembershipFactory(person=member, body=other))  # their membership elsewhere
    former = MembershipFactory(body=mine, status=Membership.Status.LEFT)  # no longer a member anywhere
    official = make_user("union_official", union_body=mine)
    client.login(username=official.username, password=password)
    seen, pages = walk_pages(client, f"{URL}?page_size=2")
    assert seen == _order(expected) and pages == 4
    assert not {m.pk for m in [*outside, former]} & set(seen)
    assert client.get(f"{URL}?page_size=2").json()["count"] == len(expected)
    only_unit, _pages = walk_pages(client, f"{URL}?page_size=2&body={unit.pk}")
    assert only_unit == _order([m for m in expected if m.body_id == unit.pk])
    whole, _pages = walk_pages(client, f"{URL}?page_size=3&body={mine.pk}")  # the body and the unit below it
    assert whole == _order(expected)
    assert client.get(f"{URL}?body={other.pk}").json()["items"] == []


def test_filters_status_and_person(api):
    rows = _members_with_equal_keys()
    left, _pages = walk_pages(api, f"{URL}?page_size=3&status=left")
    assert left == _order([m for m in rows if m.status == "left"])
    person = rows[0].person
    theirs, _pages = walk_pages(api, f"{URL}?page_size=2&person={person.pk}&status=active")
    assert theirs == _order([m for m in rows if m.person_id == person.pk and m.status == "active"])


def test_the_count_stops_at_the_cap(api, monkeypatch):
    _members_with_equal_keys()
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    body = api.get(f"{URL}?page_size=5").json()
    assert (body["count"], body["count_exact"]) == (10, False)
    second = api.get(f"{URL}?page_size=5&cursor={body['next_cursor']}").json()
    assert (second["count"], second["count_exact"]) == (10, False)


@pytest.mark.parametrize(
    "query, field",
    [
        ("cursor=garbage", "cursor"),
        ("cursor=W10=", "cursor"),
        (f"cursor={paging.encode_cursor(['Siti', 3])}", "cursor"),  # a cursor of the people list
        (f"cursor={paging.encode_cursor([1, 2, 'x'])}", "cursor"),
        ("status=aktif", "status"),
        ("status=ACTIVE", "status"),
        ("person=0", "person"),
        ("page_size=0", "page_size"),
    ],
)
def test_bad_input_answers_422_on_its_field(api, query, field):
    _members_with_equal_keys()
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_openapi_lists_the_status_values_and_the_cursor(api):
    schema = api.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}
    assert set(parameters) >= {"body", "status", "person", "page", "page_size", "cursor"}
    status = parameters["status"]["schema"]
    assert set(status["enum"]) == {"", *Membership.Status.values}
    page = schema["paths"][URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][page.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"items", "count", "count_exact", "next_cursor", "next"}
