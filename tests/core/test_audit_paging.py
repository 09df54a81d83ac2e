"""The audit log at province scale (issue #16): keyset pages newest first over (created_at, id) in the
API (`cursor`, `next`, a capped count) and on the page (previous/next links, "more than 10,000"); each
organisation sees only its own entries on every page; a bad cursor is a 422 on its field in the API and the
first page on the page. SQLite and PostgreSQL (DATABASE_URL)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sinergi.core import paging
from sinergi.core.models import AuditEntry
from tests.api_pages import walk_pages

pytestmark = pytest.mark.django_db

URL = "/api/v1/core/audit"
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _entries(actor, n=11, tag="x"):
    """n entries of `actor`'s organisation; three share one instant (only the id orders them), and one
    has microseconds (the cursor keeps them)."""
    made = []
    for i in range(n):
        at = T0 + dt.timedelta(minutes=i // 3, microseconds=7 if i == n - 1 else 0)
        made.append(
            AuditEntry.objects.create(
                created_at=at,
                actor=actor,
                actor_label=actor.username,
                organisation=actor.organisation,
                action="update",
                object_type=f"test.{tag}",
                object_id=str(i),
            )
        )
    return made


def _order(entries):
    return [e.pk for e in sorted(entries, key=lambda e: (e.created_at, e.pk), reverse=True)]


@pytest.mark.parametrize("follow_next", [False, True])
def test_api_pages_return_every_entry_once_newest_first(client, make_user, follow_next):
    head = make_user("agency_head", region="3509")
    other = make_user("agency_head", region="31")
    mine, theirs = _entries(head), _entries(other, tag="other")
    client.force_login(head)
    seen, pages = walk_pages(client, f"{URL}?page_size=4&object_type=test.x", follow_next=follow_next)
    assert seen == _order(mine) and pages == 3
    seen, _pages = walk_pages(
        client, f"{URL}?page_size=3"
    )  # no filter: the organisation's scope on every page
    assert set(_order(mine)) <= set(seen) and not {e.pk for e in theirs} & set(seen)
    first = client.get(f"{URL}?page_size=4&object_type=test.x").json()
    assert (first["count"], first["count_exact"]) == (11, True)
    second = client.get(f"{URL}?page_size=4&object_type=test.x&page=2").json()
    assert [i["id"] for i in second["items"]] == _order(mine)[4:8]


def test_api_the_count_stops_at_the_cap(client, admin_user, monkeypatch):
    _entries(admin_user)
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    client.force_login(admin_user)
    body = client.get(f"{URL}?page_size=2").json()
    assert (body["count"], body["count_exact"]) == (4, False)


def test_the_count_is_kept_until_the_log_has_a_new_entry(client, admin_user):
    """The capped count is kept per scope and filters (core.selectors.audit_count_through): the next page
    and the page view of the same filters do not count again; any new entry, a reveal too (not a write,
    so not the data version of other lists), is counted at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine = _entries(admin_user, n=5)
    client.force_login(admin_user)
    first = client.get(f"{URL}?page_size=2&object_type=test.x").json()
    assert first["count"] == 5
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(f"{URL}?page_size=2&object_type=test.x&cursor={first['next_cursor']}").json()
    assert second["count"] == 5
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    AuditEntry.objects.create(
        actor=admin_user,
        actor_label=admin_user.username,
        organisation=admin_user.organisation,
        action="reveal",
        object_type="test.x",
        object_id=mine[0].object_id,
    )
    assert client.get(f"{URL}?page_size=2&object_type=test.x").json()["count"] == 6
    page = client.get(reverse("core:audit_log"), {"object_type": "test.x"}, HTTP_ACCEPT_LANGUAGE="id")
    assert page.context["page"].count == 6
    # the filters are part of what is kept: another filter is its own count
    assert client.get(f"{URL}?page_size=2&object_type=test.x&action=reveal").json()["count"] == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ("cursor=garbage", "cursor"),
        (f"cursor={paging.encode_cursor(['a', 'b', 3])}", "cursor"),
        ("page=0", "page"),
        ("date_from=2026-13-01", "date_from"),
    ],
)
def test_api_bad_input_answers_422_on_its_field(client, admin_user, query, field):
    client.force_login(admin_user)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize("at", ["2026-11-31T25:00:00", "tadi", 5])
def test_api_a_cursor_whose_time_does_not_parse_answers_422(client, admin_user, at):
    client.force_login(admin_user)
    response = client.get(f"{URL}?page_size=2&cursor={paging.encode_cursor([at, 5])}")
    assert response.status_code == 422, response.content
    assert "cursor" in {error["field"] for error in response.json()["errors"]}


def _page_ids(html):
    """The entries of a page by their object id (the sentence says "… test.x #3")."""
    return [int(n) for n in re.findall(r"test\.x #(\d+)<", html)]


def _link(html, testid):
    found = re.search(rf'href="\?([^"]*)" data-testid="{testid}"', html)
    return found and "?" + found.group(1).replace("&amp;", "&")


def test_the_page_goes_forward_and_back_through_every_entry(client, make_user, monkeypatch):
    monkeypatch.setattr("sinergi.core.views.AUDIT_PAGE_SIZE", 4)
    head = make_user("agency_head", region="3509")
    mine = _entries(head)
    _entries(make_user("agency_head", region="31"), tag="x")  # the same type, another organisation
    expected = [int(AuditEntry.objects.get(pk=pk).object_id) for pk in _order(mine)]
    client.force_login(head)
    base = reverse("core:audit_log")
    pages, url, html = [], f"{base}?object_type=test.x", ""
    while url:
        html = client.get(url).content.decode()
        pages.append(_page_ids(html))
        assert re.search(r"11 (entries|entri)", html), html
        nxt = _link(html, "pager-next")
        assert not nxt or "object_type=test.x" in nxt
        url = nxt and base + nxt
    assert [n for page in pages for n in page] == expected and len(pages) == 3
    back, url = [], base + _link(html, "pager-previous")
    while url:
        page = client.get(url).content.decode()
        back.append(_page_ids(page))
        prev = _link(page, "pager-previous")
        url = prev and base + prev
    assert back == pages[-2::-1]


def test_the_page_with_a_bad_cursor_shows_the_first_page_and_the_capped_count(
    client, admin_user, monkeypatch
):
    _entries(admin_user)
    client.force_login(admin_user)
    base = reverse("core:audit_log")
    for cursor in ("garbage", paging.encode_cursor(["2026-99-01T00:00:00", 3])):
        response = client.get(base, {"after": cursor, "object_type": "test.x"})
        assert response.status_code == 200
        assert re.search(r"11 (entries|entri)", response.content.decode())
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    html = client.get(base, {"object_type": "test.x"}).content.decode()
    assert re.search(r"(more than|lebih dari) 4 (entries|entri)", html), html
