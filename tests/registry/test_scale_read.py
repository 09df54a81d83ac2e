"""Issue #16, the read side: keyset pages return every row of the scope exactly once, counts stop at the
cap, name search goes through an index (pg_trgm / FTS5) and still finds old spellings, and the API pages
the same way. Runs on SQLite and, with a PostgreSQL DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.core import paging
from sinergi.registry import selectors, services
from sinergi.registry.models import Person
from tests.factories import MembershipFactory, PersonFactory, UnionBodyFactory, make_nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd():
    """23 people in Jakarta Utara (several sharing a name, so the id breaks ties) and 5 in Bandung."""
    inside = []
    for i in range(23):
        inside.append(
            PersonFactory(name=["Siti Aminah", "Agus", "Budi"][i % 3] if i % 2 else f"Pekerja {i:02d}")
        )
    outside = [PersonFactory(name=f"Siti Luar {i}", district="327301") for i in range(5)]
    return inside, outside


def _walk(fetch, start=None):
    """Follow next cursors from the first page; return the rows in order and the number of pages."""
    rows, cursor, pages = [], start, 0
    while True:
        page = fetch(cursor)
        rows.extend(page.rows)
        pages += 1
        assert pages < 100
        if not page.next_cursor:
            return rows, pages
        cursor = page.next_cursor


def test_keyset_pages_return_every_row_in_scope_exactly_once_in_order(make_user, crowd):
    inside, outside = crowd
    officer = make_user("agency_officer", region="3172")
    qs = selectors.person_list(user=officer)
    rows, pages = _walk(lambda c: paging.keyset_page(qs, after=c, size=5))
    assert [p.pk for p in rows] == list(qs.order_by("name", "pk").values_list("pk", flat=True))
    assert sorted(p.pk for p in rows) == sorted(p.pk for p in inside)
    assert pages == 5
    # and backwards: `before` the first row of the last page gives the page before it, in order
    last = paging.keyset_page(qs, after=paging.encode_cursor([rows[19].name, rows[19].pk]), size=5)
    assert [p.pk for p in last.rows] == [p.pk for p in rows[20:]]
    back = paging.keyset_page(qs, before=last.previous_cursor, size=5)
    assert [p.pk for p in back.rows] == [p.pk for p in rows[15:20]]
    assert back.next_cursor and back.previous_cursor


@pytest.mark.parametrize(
    "cursor", ["garbage", "W10=", paging.encode_cursor(["a"]), paging.encode_cursor([1, "x"])]
)
def test_a_cursor_that_is_not_one_is_the_first_page(make_user, crowd, cursor, client):
    officer = make_user("agency_officer", region="3172")
    qs = selectors.person_list(user=officer)
    page = paging.keyset_page(qs, after=cursor, size=5)
    assert [p.pk for p in page.rows] == list(qs.order_by("name", "pk").values_list("pk", flat=True)[:5])
    client.force_login(officer)
    assert client.get("/registry/people/", {"after": cursor}).status_code == 200
    api = client.get("/api/v1/registry/people", {"cursor": cursor})
    assert api.status_code == 200 and len(api.json()["items"]) == 23


def test_counts_stop_at_the_cap_and_the_page_says_more_than(make_user, crowd, client, monkeypatch):
    officer = make_user("agency_officer", region="3172")
    qs = selectors.person_list(user=officer)
    assert paging.capped_count(qs, cap=30) == (23, True)
    assert paging.capped_count(qs, cap=10) == (10, False)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    client.force_login(officer)
    page = client.get("/registry/people/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "lebih dari 10 orang" in page
    body = client.get("/api/v1/registry/people").json()
    assert body["count"] == 10 and body["count_exact"] is False
    monkeypatch.setattr(paging, "COUNT_CAP", 10_000)
    body = client.get("/api/v1/registry/people").json()
    assert body["count"] == 23 and body["count_exact"] is True


def test_people_page_walks_with_next_links(make_user, crowd, client):
    import re

    inside, _ = crowd
    officer = make_user("agency_officer", region="3172")
    client.force_login(officer)
    seen, url = [], "/registry/people/"
    for _ in range(10):
        html = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'href="/registry/people/(\d+)/"', html)]
        nxt = re.search(r'href="\?([^"]*after=[^"]*)" data-testid="pager-next"', html)
        if not nxt:
            break
        url = "/registry/people/?" + nxt.group(1).replace("&amp;", "&")
    assert sorted(seen) == sorted(p.pk for p in inside) and len(seen) == len(set(seen))


def test_api_cursor_pages_cover_the_scope_once_and_page_numbers_still_work(make_user, crowd, client):
    inside, _ = crowd
    officer = make_user("agency_officer", region="3172")
    client.force_login(officer)
    seen, cursor = [], ""
    for _ in range(10):
        body = client.get("/api/v1/registry/people", {"page_size": 4, "cursor": cursor}).json()
        seen += [item["id"] for item in body["items"]]
        assert body["count"] == 23
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(p.pk for p in inside) and len(seen) == 23
    by_number = [
        item["id"]
        for n in range(1, 7)
        for item in client.get("/api/v1/registry/people", {"page_size": 4, "page": n}).json()["items"]
    ]
    assert by_number == seen
    schema = client.get("/api/v1/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/registry/people"]["get"]["parameters"]}
    assert {"cursor", "page", "page_size"} <= params
    out = schema["components"]["schemas"]["PagedPersonOut"]["properties"]
    assert {"items", "count", "count_exact", "next_cursor"} <= set(out)


def test_search_finds_old_spellings_through_the_index(admin_user):
    soekarno = services.person_create(
        actor=admin_user,
        nik="3172051203900001",
        name="Soekarno Djojohadikoesoemo",
        birth_date=dt.date(1990, 3, 12),
        sex="M",
        domicile_region_id="317205",
    )
    joko = PersonFactory(name="Djoko Tjiptoning")
    PersonFactory(name="Siti Rahayu")

    def found(text):
        return set(selectors.person_list(user=admin_user, filters={"q": text}).values_list("pk", flat=True))

    assert found("sukarno") == {soekarno.pk}
    assert found("Sukarno Joj") == {soekarno.pk}
    assert found("joko cipto") == {joko.pk}
    assert found("djoko") == {joko.pk}
    assert found("jo") == {soekarno.pk, joko.pk}  # a two-letter token: a LIKE, still correct
    assert found("zzz") == set()
    # a rename reaches the index (SQLite: the FTS5 triggers; PostgreSQL: the GIN index)
    services.person_update(actor=admin_user, person=soekarno, name="Hatta Moehammad")
    assert found("sukarno") == set()
    assert found("hatta") == {soekarno.pk}
    Person.objects.filter(pk=joko.pk).delete()
    assert found("joko") == set()


def test_name_search_uses_the_vendor_index(admin_user):
    PersonFactory(name="Siti Rahayu")
    qs = selectors.person_list(user=admin_user, filters={"q": "siti rahayu"})
    if connection.vendor == "sqlite":
        assert "registry_person_fts" in str(qs.query)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM registry_person_fts WHERE registry_person_fts MATCH '\"rahaiu\"'"
            )
            assert cur.fetchone()[0] == 1
    else:
        sql, params = qs.query.sql_with_params()
        assert "LIKE" in sql and "name_key" in sql
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL enable_indexscan = off")
            like = Person.objects.filter(name_key__contains="rahaiu").values("pk")
            cur.execute("EXPLAIN " + str(like.query).replace("%rahaiu%", "'%rahaiu%'"))
            plan = "\n".join(r[0] for r in cur.fetchall())
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'registry_person_name_key_trgm'")
            assert "gin_trgm_ops" in cur.fetchone()[0]
        assert "Bitmap Index Scan on registry_person_name_key_trgm" in plan, plan


def test_union_body_page_lists_every_member_once_across_pages(admin_user, client):
    import re

    body = UnionBodyFactory(region_id="31")
    sub = UnionBodyFactory(region_id="31", parent=body, kind="unit")
    members = [
        MembershipFactory(body=body if i % 2 else sub, person=PersonFactory(name="Sama")) for i in range(57)
    ]
    client.force_login(admin_user)
    seen, url = [], f"/registry/unions/{body.pk}/"
    for _ in range(5):
        html = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'<tr><td><a href="/registry/people/(\d+)/"', html)]
        nxt = re.search(r'href="\?([^"]*after=[^"]*)" data-testid="pager-next"', html)
        if not nxt:
            break
        url = f"/registry/unions/{body.pk}/?" + nxt.group(1).replace("&amp;", "&")
    assert sorted(seen) == sorted(m.person_id for m in members)


def test_people_list_queries_are_bounded(make_user, crowd, client, django_assert_max_num_queries):
    officer = make_user("agency_officer", region="3172")
    client.force_login(officer)
    client.get("/registry/people/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/registry/people/", {"q": "siti"})
    people_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "registry_person"' in q["sql"]]
    # a name search's first page: the page (LIMIT 51) and its count in one pass (COUNT(*) OVER ())
    assert len(people_queries) == 1
    assert all("LIMIT" in q for q in people_queries)
    with django_assert_max_num_queries(15):
        client.get("/api/v1/registry/people", {"q": "siti"})


@pytest.mark.parametrize("region", ["32", "3273"])
def test_scope_includes_participants_working_inside_whatever_the_query_form(make_user, region):
    """A province's scope probes participations with EXISTS, a regency's with `id = ANY(ARRAY(...))` on
    PostgreSQL (IN on SQLite): the same people either way, and the participation branch never leaks."""
    from tests.coverage.factories import ParticipationFactory

    living = PersonFactory(name="Tinggal Bandung", district="327301")
    commuter = PersonFactory(name="Kerja Bandung")  # lives in Jakarta Utara, works in Bandung
    ParticipationFactory(person=commuter, region_id="327301")
    elsewhere = PersonFactory(name="Kerja Jakarta")
    ParticipationFactory(person=elsewhere)  # registered in Jakarta
    officer = make_user("ss_officer", region=region)
    qs = selectors.person_list(user=officer)
    assert set(qs.values_list("pk", flat=True)) == {living.pk, commuter.pk}
    assert [p.pk for p in paging.keyset_page(qs, keys=selectors.SORT_KEYS, size=1)] == [commuter.pk]
    assert paging.capped_count(qs) == (2, True)
    sql = str(qs.query)
    if len(region) <= 2:
        assert "EXISTS" in sql
    elif connection.vendor == "postgresql":
        assert "= ANY(ARRAY(" in sql
    else:
        assert " IN (SELECT" in sql


def test_api_list_rows_equal_the_schema_of_each_person(make_user, crowd, client):
    """The list builds PersonOut from `.values()` rows without re-validating them: every item equals
    PersonOut.from_orm of the same person (masked NIK, birth year, region code and name)."""
    from sinergi.registry.api import PersonOut

    officer = make_user("agency_officer", region="3172")
    client.force_login(officer)
    body = client.get("/api/v1/registry/people", {"page_size": 30}).json()
    expected = [
        PersonOut.from_orm(p).model_dump()
        for p in selectors.person_list(user=officer).order_by("name", "pk").select_related("domicile_region")
    ]
    assert body["items"] == expected and len(expected) == 23
    assert all("*" in item["nik_masked"] for item in body["items"])
    assert body == {"items": expected, "count": 23, "count_exact": True, "next_cursor": None}


def test_api_list_is_the_json_ninja_writes_for_its_schema_byte_for_byte(make_user, crowd, client):
    """The list renders plain dicts with the API's renderer instead of dumping 50 pydantic models: the
    response must be exactly what ninja writes for PagedPersonOut (field order, types, content type)."""
    from sinergi.config.api import api
    from sinergi.registry.api import PagedPersonOut, PersonOut

    officer = make_user("agency_officer", region="3172")
    client.force_login(officer)
    for params in ({"page_size": 5}, {"page_size": 50}, {"q": "siti", "page_size": 2}):
        response = client.get("/api/v1/registry/people", params)
        body = response.json()
        qs = selectors.person_list(user=officer, filters={"q": params.get("q", "")})
        people = list(qs.order_by("name", "pk").select_related("domicile_region")[: params["page_size"]])
        schema = PagedPersonOut.model_construct(
            items=[PersonOut.from_orm(p) for p in people],  # each person validated through the schema
            count=body["count"],
            count_exact=body["count_exact"],
            next_cursor=body["next_cursor"],
        )
        assert len(schema.items) == len(people) and people
        expected = api.create_response(None, schema.model_dump(), status=200)
        assert response.content == expected.content
        assert response["Content-Type"] == expected["Content-Type"]


def test_first_page_of_a_name_search_counts_in_the_same_query(make_user, crowd, client, monkeypatch):
    officer = make_user("agency_officer", region="3172")
    qs = selectors.person_list(user=officer, filters={"q": "siti"})
    matches = list(qs.order_by("name", "pk").values_list("pk", flat=True))
    assert len(matches) == 4
    with CaptureQueriesContext(connection) as ctx:
        page = paging.keyset_page(qs, keys=selectors.SORT_KEYS, size=3)
    assert len(ctx.captured_queries) == 1 and "OVER" in ctx.captured_queries[0]["sql"]
    assert [p.pk for p in page.rows] == matches[:3] and (page.count, page.count_exact) == (4, True)
    # the next page (a cursor) counts apart, and the same
    rest = paging.keyset_page(qs, keys=selectors.SORT_KEYS, after=page.next_cursor, size=3)
    assert [p.pk for p in rest.rows] == matches[3:] and (rest.count, rest.count_exact) == (4, True)
    # beyond the cap: the cap and "more than"
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    capped = paging.keyset_page(qs, keys=selectors.SORT_KEYS, size=3)
    assert (capped.count, capped.count_exact) == (3, False)
    client.force_login(officer)
    body = client.get("/api/v1/registry/people", {"q": "siti", "page_size": 3}).json()
    assert [i["id"] for i in body["items"]] == matches[:3]
    assert (body["count"], body["count_exact"]) == (3, False)
    # a plain list (ordered by the name index) keeps the separate capped count
    plain = selectors.person_list(user=officer)
    with CaptureQueriesContext(connection) as ctx:
        paging.keyset_page(plain, keys=selectors.SORT_KEYS, size=3)
    assert len(ctx.captured_queries) == 2 and not any("OVER" in q["sql"] for q in ctx.captured_queries)


def test_the_count_is_kept_until_a_write_and_the_next_page_does_not_count_again(make_user, crowd, client):
    officer = make_user("agency_officer", region="3172")
    client.force_login(officer)
    first = client.get("/api/v1/registry/people", {"page_size": 5}).json()
    assert first["count"] == 23
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/api/v1/registry/people", {"page_size": 5, "cursor": first["next_cursor"]})
    assert second.json()["count"] == 23
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    # an audited write anywhere: the next request counts again and sees the new person
    services.person_create(
        actor=officer,
        nik=make_nik(),
        name="Pekerja Baru",
        birth_date=dt.date(1990, 3, 12),
        sex="M",
        domicile_region_id="317205",
    )
    assert client.get("/api/v1/registry/people", {"page_size": 5}).json()["count"] == 24


def test_compiled_pages_show_each_write_and_each_scope_its_own(make_user, crowd, client):
    inside, outside = crowd
    officer = make_user("agency_officer", region="3172")
    bandung = make_user("agency_officer", region="3273")
    client.force_login(officer)
    names = [r["name"] for r in client.get("/api/v1/registry/people").json()["items"]]
    assert len(names) == 23
    services.person_update(actor=officer, person=inside[0], name="Aaron Pertama")
    again = client.get("/api/v1/registry/people").json()["items"]
    assert again[0]["name"] == "Aaron Pertama" and len(again) == 23
    client.force_login(bandung)
    theirs = client.get("/api/v1/registry/people").json()
    assert {r["id"] for r in theirs["items"]} == {p.pk for p in outside} and theirs["count"] == 5
