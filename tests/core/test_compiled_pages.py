"""core.compiled.CompiledPages: a page's `.values()` rows from SQL compiled once per key are the rows the
ORM gives (converted: dates stay dates on SQLite), the base queryset is built once per key, a query
that returns nothing without SQL stays empty, and the keys kept per thread are bounded."""

import datetime as dt

import pytest

from sinergi.core.compiled import CompiledPages
from sinergi.registry.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _page(**filters):
    return Person.objects.filter(**filters).values("pk", "name", "birth_date").order_by("name", "pk")[:10]


def test_rows_are_the_orms_rows_and_follow_the_data():
    PersonFactory(name="Budi", birth_date=dt.date(1980, 5, 1))
    PersonFactory(name="Ani", birth_date=dt.date(1992, 8, 17))
    pages = CompiledPages()
    first = pages.rows("k", _page)
    assert first == list(_page()) and isinstance(first[0]["birth_date"], dt.date)
    PersonFactory(name="Citra")
    built = []
    again = pages.rows("k", lambda: built.append(1) or _page())
    assert not built  # compiled once: not built again
    assert [r["name"] for r in again] == ["Ani", "Budi", "Citra"]  # the SQL runs again: new rows show


def test_the_base_is_built_once_per_key():
    pages = CompiledPages()
    calls = []

    def build():
        calls.append(1)
        return Person.objects.all()

    assert pages.base("a", build) is pages.base("a", build)
    pages.base("b", build)
    assert len(calls) == 2


def test_a_query_with_no_sql_is_empty_and_other_querysets_are_listed():
    PersonFactory(name="Dewi")
    pages = CompiledPages()
    assert pages.rows("none", lambda: Person.objects.filter(pk__in=[]).values("pk")) == []
    assert pages.rows("none", lambda: Person.objects.filter(pk__in=[]).values("pk")) == []
    models = pages.rows("models", lambda: Person.objects.all())
    assert [p.name for p in models] == ["Dewi"]


def test_keys_are_bounded():
    pages = CompiledPages(max_entries=3)
    for i in range(8):
        pages.rows(f"k{i}", _page)
    assert len(pages._entries()) == 3
