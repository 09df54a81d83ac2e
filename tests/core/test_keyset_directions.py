"""core.paging with descending and mixed-direction keys and a time in the cursor (issue #16): walking a
list forward by `after` and back by `before` gives every row once, in the order of the keys, with the
row-value seek (PostgreSQL) and the per-key one. SQLite and PostgreSQL (DATABASE_URL)."""

import datetime as dt

import pytest

from sinergi.core import paging
from sinergi.core.models import AuditEntry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def entries():
    # times repeat (three per instant) and object ids repeat across times: each key has ties
    return [
        AuditEntry.objects.create(
            created_at=T0 + dt.timedelta(seconds=i // 3, microseconds=(i % 2) * 250),
            action="update",
            object_type="test.keys",
            object_id=str(i % 4),
        )
        for i in range(13)
    ]


def _expected(rows, keys):
    ordered = list(rows)
    for key in reversed(keys):  # a stable sort per key, the last key first
        name = "pk" if key.lstrip("-") == "pk" else key.lstrip("-")
        ordered.sort(key=lambda e, n=name: getattr(e, n), reverse=key.startswith("-"))
    return [e.pk for e in ordered]


@pytest.mark.parametrize(
    "keys",
    [("-created_at", "-pk"), ("-created_at", "object_id", "pk"), ("created_at", "-object_id", "-pk")],
)
@pytest.mark.parametrize("row_values", [True, False])
def test_forward_and_back_every_row_once_in_order(entries, keys, row_values):
    qs = AuditEntry.objects.filter(object_type="test.keys")
    pages, after = [], None
    while True:
        page = paging.keyset_page(qs, keys=keys, after=after, size=4, row_values=row_values)
        pages.append([e.pk for e in page])
        assert len(pages) < 10
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert [pk for p in pages for pk in p] == _expected(entries, keys) and len(pages) == 4
    back, before = [], page.previous_cursor
    while before:
        page = paging.keyset_page(qs, keys=keys, before=before, size=4, row_values=row_values)
        back.append([e.pk for e in page])
        before = page.previous_cursor
    assert back == pages[-2::-1]


@pytest.mark.parametrize(
    "values",
    [["2026-11-30", 3], ["2026-11-30T09:00:00", 3], ["kemarin", 3], [20261130, 3]],
)
def test_a_cursor_whose_time_is_not_one_this_module_wrote_is_no_cursor(values):
    # a date alone or a time without its offset would compare in the server's zone: refused
    assert paging.read_cursor(AuditEntry, ("-created_at", "-pk"), paging.encode_cursor(values)) is None


def test_a_time_travels_in_the_cursor_to_the_microsecond():
    at = T0 + dt.timedelta(microseconds=7)
    text = paging.encode_cursor([at, 12])
    assert paging.read_cursor(AuditEntry, ("-created_at", "-pk"), text) == (at, 12)
    with pytest.raises(TypeError):
        paging.encode_cursor([object(), 1])
