"""The bills list at province scale (issue #16): keyset pages over (month, id), newest first, in the API
(`cursor`, `next`, a capped count) and on the page (previous/next links, "more than 10,000"); scope on
every page; a bad cursor is a 422 on its field in the API and the first page on the page. SQLite and
PostgreSQL (DATABASE_URL)."""

import datetime as dt
import re

import pytest

from sinergi.core import paging
from sinergi.coverage.models import Bill, BillingRun
from tests.api_pages import walk_pages
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/coverage/bills"
PAGE = "/coverage/bills/"
MONTHS = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]


def _bills(region="317205", n_per_month=4, payer_kind="employer", payer_offset=0, names=None):
    """Bills in three months, several per month (equal months: only the id orders them)."""
    made = []
    for month in MONTHS:
        run, _ = BillingRun.objects.get_or_create(month=month, branch=None)
        for i in range(n_per_month):
            payer = payer_offset + i + 1
            made.append(
                Bill.objects.create(
                    run=run,
                    month=month,
                    payer_kind=payer_kind,
                    payer_id=payer,
                    payer_name=(names or "Payer {}").format(payer),
                    region_id=region,
                    participations=1,
                    total=1000,
                    due_date=month + dt.timedelta(days=44),
                    number=f"{month:%Y%m}-{payer_kind[0]}{payer}",
                )
            )
    return made


def _order(bills):
    return [b.pk for b in sorted(bills, key=lambda b: (b.month, b.pk), reverse=True)]


@pytest.mark.parametrize("follow_next", [False, True])
def test_api_pages_return_every_bill_once_newest_month_first(client, admin_user, follow_next):
    bills = _bills()
    client.force_login(admin_user)
    seen, pages = walk_pages(client, f"{URL}?page_size=5", follow_next=follow_next)
    assert seen == _order(bills) and pages == 3
    first = client.get(f"{URL}?page_size=5").json()
    assert (first["count"], first["count_exact"]) == (12, True)
    # the page numbers still work (an OFFSET), and hand over to the cursor
    second = client.get(f"{URL}?page_size=5&page=2").json()
    assert [i["id"] for i in second["items"]] == _order(bills)[5:10]
    third = client.get(f"{URL}?page_size=5&cursor={second['next_cursor']}").json()
    assert [i["id"] for i in third["items"]] == _order(bills)[10:]


def test_api_filters_and_the_month_cursor_together(client, admin_user):
    bills = _bills()
    client.force_login(admin_user)
    seen, pages = walk_pages(client, f"{URL}?page_size=3&month=2026-10")
    assert seen == _order([b for b in bills if b.month == MONTHS[1]]) and pages == 2


def test_api_an_officer_sees_only_their_region_on_every_page(client, make_user):
    mine = _bills(region="317205")
    theirs = _bills(region="350901", payer_offset=100)
    client.force_login(make_user("ss_officer", region="31"))
    seen, _pages = walk_pages(client, f"{URL}?page_size=2")
    assert seen == _order(mine) and not {b.pk for b in theirs} & set(seen)


def test_api_a_sponsor_sees_only_its_own_bills_on_every_page(client, make_user):
    sponsor = OrganisationFactory(kind="sponsor", region_id="3375")
    own = _bills(region="337501", n_per_month=1, payer_kind="sponsor", payer_offset=sponsor.pk - 1)
    other = _bills(region="337501", n_per_month=3, payer_kind="sponsor", payer_offset=sponsor.pk + 10)
    client.force_login(make_user("sponsor_viewer", org=sponsor))
    seen, _pages = walk_pages(client, f"{URL}?page_size=1")
    assert seen == _order(own) and not {b.pk for b in other} & set(seen)


def test_api_the_count_stops_at_the_cap(client, admin_user, monkeypatch):
    _bills()
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    client.force_login(admin_user)
    body = client.get(f"{URL}?page_size=2").json()
    assert (body["count"], body["count_exact"]) == (4, False)


@pytest.mark.parametrize(
    "query, field",
    [
        ("cursor=garbage", "cursor"),
        (f"cursor={paging.encode_cursor(['Siti', 'x', 3])}", "cursor"),  # another list's cursor
        ("status=lunas", "status"),
        ("page=0", "page"),
    ],
)
def test_api_bad_input_answers_422_on_its_field(client, admin_user, query, field):
    client.force_login(admin_user)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize("month", ["2026-13-01", "kemarin", 202611])
def test_api_a_cursor_whose_month_does_not_parse_answers_422(client, admin_user, month):
    client.force_login(admin_user)
    response = client.get(f"{URL}?page_size=2&cursor={paging.encode_cursor([month, 5])}")
    assert response.status_code == 422, response.content
    assert "cursor" in {error["field"] for error in response.json()["errors"]}


def _page_ids(html):
    return [int(pk) for pk in re.findall(r'href="/coverage/bills/(\d+)/"', html)]


def _link(html, testid):
    found = re.search(rf'href="\?([^"]*)" data-testid="{testid}"', html)
    return found and "?" + found.group(1).replace("&amp;", "&")


def test_the_page_goes_forward_and_back_through_every_bill(client, make_user, monkeypatch):
    monkeypatch.setattr("sinergi.coverage.views.PAGE_SIZE", 5)
    mine = _bills(region="317205")
    theirs = _bills(region="350901", payer_offset=100)
    client.force_login(make_user("ss_officer", region="31"))
    pages, url = [], PAGE + "?status=open"
    while url:
        html = client.get(url).content.decode()
        pages.append(_page_ids(html))
        assert "12 bills" in html or "12 tagihan" in html
        url = _link(html, "pager-next") and PAGE + _link(html, "pager-next")
    assert [pk for page in pages for pk in page] == _order(mine) and len(pages) == 3
    assert not {b.pk for b in theirs} & {pk for page in pages for pk in page}
    assert "status=open" in _link(client.get(PAGE + "?status=open").content.decode(), "pager-next")
    # back from the last page: the same pages in reverse
    back = []
    url = PAGE + _link(html, "pager-previous")
    while url:
        html = client.get(url).content.decode()
        back.append(_page_ids(html))
        previous = _link(html, "pager-previous")
        url = previous and PAGE + previous
    assert back == pages[-2::-1]


def test_the_page_with_a_bad_cursor_shows_the_first_page(client, admin_user):
    bills = _bills()
    client.force_login(admin_user)
    for cursor in ("garbage", paging.encode_cursor(["2026-99-01", 3]), paging.encode_cursor([1, 2, 3])):
        response = client.get(PAGE, {"after": cursor})
        assert response.status_code == 200
        assert _page_ids(response.content.decode()) == _order(bills)


def test_the_page_says_more_than_the_cap(client, admin_user, monkeypatch):
    _bills()
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    client.force_login(admin_user)
    html = client.get(PAGE, {"month": "2026-11"}).content.decode()
    assert "4 bills" in html or "4 tagihan" in html  # one month: exactly the cap
    html = client.get(PAGE).content.decode()
    assert re.search(r"(more than|lebih dari) 4 (bills|tagihan)", html), html


def test_the_count_is_kept_until_an_audited_write(client, admin_user):
    """The capped count is kept per scope and filters (core.home.kept_count): the next page does not
    count again; a bill written without an audit entry stays uncounted until an audited write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.core.audit import audit_record

    _bills(n_per_month=2)
    client.force_login(admin_user)
    first = client.get(URL, {"page_size": 2}).json()
    assert first["count"] == 6
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(URL, {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert second["count"] == 6
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    _bills(n_per_month=1, payer_offset=10)  # written behind the services' back: no audit entry
    assert client.get(URL, {"page_size": 2}).json()["count"] == 6
    assert re.search(r"\b6 tagihan", client.get(PAGE, HTTP_ACCEPT_LANGUAGE="id").content.decode())
    audit_record(actor=admin_user, action="update", obj=Bill.objects.first(), changes={})
    assert client.get(URL, {"page_size": 2}).json()["count"] == 9
    # the filters are part of what is kept: another month is its own count
    assert client.get(URL, {"month": "2026-09"}).json()["count"] == 3
