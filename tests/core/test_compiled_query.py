"""core.compiled: the bearer-token lookup compiled once gives exactly what the ORM gives (fields,
converted values, select_related objects), for each value, on SQLite and PostgreSQL, in any thread."""

import threading

import pytest

from sinergi.accounts.models import ApiToken, hash_token
from sinergi.accounts.services import api_token_create
from sinergi.core.compiled import MARKER, CompiledQuery
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _query():
    return CompiledQuery(
        lambda h: ApiToken.objects.select_related("user", "user__organisation").filter(token_hash=h)[:1]
    )


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_each_value_gives_what_the_orm_gives_with_its_related_objects():
    first = UserFactory(organisation=OrganisationFactory(region_id="3172"))
    second = UserFactory(organisation=None, role="admin")
    t1, raw1 = api_token_create(user=first, name="satu", days_valid=3)
    _t2, raw2 = api_token_create(user=second, name="dua", days_valid=None)
    query = _query()
    for raw in (raw1, raw2, raw1):
        got = query.first(hash_token(raw))
        want = ApiToken.objects.select_related("user", "user__organisation").get(token_hash=hash_token(raw))
        assert _fields(got) == _fields(want)
        assert _fields(got.user) == _fields(want.user)
        assert (got.user.organisation and _fields(got.user.organisation)) == (
            want.user.organisation and _fields(want.user.organisation)
        )
    token = query.first(hash_token(raw1))
    assert token.pk == t1.pk and token.expires_at.tzinfo is not None and token.is_usable
    assert query.first(hash_token("sng_unknown")) is None


def test_another_thread_compiles_its_own_and_gets_the_same(django_db_blocker):
    user = UserFactory(organisation=OrganisationFactory(region_id="3172"))
    _t, raw = api_token_create(user=user, name="thread")
    query = _query()
    assert query.first(hash_token(raw)).user.pk == user.pk
    seen = []

    def other():
        from django.db import connection

        with django_db_blocker.unblock():
            seen.append(query.first(hash_token(raw)).user.pk)
            connection.close()

    worker = threading.Thread(target=other)
    worker.start()
    worker.join()
    assert seen == [user.pk]


def test_a_query_without_its_one_marker_is_refused():
    query = CompiledQuery(lambda _h: ApiToken.objects.all()[:1])
    with pytest.raises(ValueError):
        query.first("x")
    assert MARKER not in ("", None)
