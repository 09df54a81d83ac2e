"""Issue #16, name search at a million: on PostgreSQL a one-word search pages through the people of the
words that contain it (registry 0006, `selectors.person_search_narrow`), a two-word search through the
people of the words and pairs of words that contain both (0007), instead of reading and sorting every
match. The pages must be exactly the trigram search's pages, in both directions, under the scope;
the word tables must follow every insert, rename and delete. SQLite keeps FTS5 (no narrowing)."""

from __future__ import annotations

import pytest
from django.db import connection

from sinergi.core import paging
from sinergi.registry import selectors, services
from sinergi.registry.models import Person
from sinergi.registry.normalize import name_key
from tests.factories import PersonFactory
from tests.registry.test_import import csv_bytes, good_rows, puk, run  # noqa: F401 - puk is a fixture

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the name words are PostgreSQL's (registry 0006)"
)

NAMES = [
    "Siti Aminah",
    "Siti Aminah",  # the same name twice: the id breaks the tie
    "Aisyah Siti",
    "Pasiti Rahma",  # the token inside a word
    "Siti Sitiawati",  # two words of one person contain it
    "Ahmad Soekarno",
    "Sukarno Putra",
    "Mochammad Soekarno, S.Pd",
    "Budi Santoso",
    "Nur Aminah Siti",
    "Zainal Sitorus",
    "Ani",
]


@pytest.fixture
def people(make_user):
    inside = [PersonFactory(name=name) for name in NAMES]
    outside = [PersonFactory(name=f"Siti Luar {i}", district="327301") for i in range(3)]
    merged = PersonFactory(name="Siti Gabung")
    Person.objects.filter(pk=merged.pk).update(merged_into=inside[0])
    return inside, outside


def _words(person) -> set[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT word, name FROM registry_person_word WHERE person_id = %s", [person.pk])
        return {f"{w}|{n}" for w, n in cur.fetchall()}


def _pairs(person) -> set[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT word_a, word_b, name FROM registry_person_word_pair WHERE person_id = %s", [person.pk]
        )
        return {"|".join(row) for row in cur.fetchall()}


def _expected_pairs(name: str, key_of: str | None = None) -> set[str]:
    words = sorted(set(name_key(key_of or name).split()))
    return {f"{a}|{b}|{name}" for i, a in enumerate(words) for b in words[i + 1 :]}


def _expected(name: str, key_of: str | None = None) -> set[str]:
    """The words a person named `name` (whose key is that of `key_of`, by default the name) has."""
    return {f"{w}|{name}" for w in name_key(key_of or name).split()}


def _walk_forward(qs, narrow, size):
    rows, cursor = [], None
    for _ in range(50):
        page = paging.keyset_page(qs, keys=selectors.SORT_KEYS, after=cursor, size=size, narrow=narrow)
        rows += [p.pk for p in page.rows]
        if not page.next_cursor:
            return rows
        cursor = page.next_cursor
    raise AssertionError("no last page")


def _walk_backward(qs, narrow, size, last_row):
    rows, cursor = [], paging.encode_cursor([last_row.name, last_row.pk])
    for _ in range(50):
        page = paging.keyset_page(qs, keys=selectors.SORT_KEYS, before=cursor, size=size, narrow=narrow)
        rows = [p.pk for p in page.rows] + rows
        if not page.previous_cursor:
            return rows
        cursor = page.previous_cursor
    raise AssertionError("no first page")


@postgres_only
@pytest.mark.parametrize(
    "text",
    [
        *["siti", "Soekarno", "aminah", "iti", "Sitorus", "xyw", "santos"],
        # two tokens: in two words (a pair), in one word (both in "sitiawati"), the same token twice,
        # either order, one token matching nobody
        *["siti aminah", "Aminah Siti", "budi santoso", "siti sitiawati", "siti siti", "iti ami", "xyw siti"],
    ],
)
@pytest.mark.parametrize("size", [1, 2, 50])
def test_word_walk_pages_are_the_trigram_pages_both_ways(make_user, people, text, size):
    officer = make_user("agency_officer", region="31")
    qs = selectors.person_list(user=officer, filters={"q": text})
    expected = list(qs.order_by("name", "pk").values_list("pk", flat=True))
    narrow = selectors.person_search_narrow(user=officer, filters={"q": text})
    assert narrow is not None
    assert _walk_forward(qs, narrow, size) == expected
    if expected:
        last = Person.objects.get(pk=expected[-1])
        assert _walk_backward(qs, narrow, size, last) == expected[:-1]
    # and the page's count is the capped count of the same matches
    first = paging.keyset_page(qs, keys=selectors.SORT_KEYS, size=size, narrow=narrow)
    assert (first.count, first.count_exact) == (len(expected), True)


@postgres_only
def test_the_walks_never_leave_the_scope_and_hide_merged_records(make_user, people):
    inside, outside = people
    officer = make_user("agency_officer", region="31")
    qs = selectors.person_list(user=officer, filters={"q": "siti"})
    found = set(_walk_forward(qs, selectors.person_search_narrow(user=officer, filters={"q": "siti"}), 2))
    assert found == {p.pk for p in inside if "iti" in p.name_key and "siti" in p.name_key}
    assert not found & {p.pk for p in outside}
    assert Person.objects.filter(name="Siti Gabung").values_list("pk", flat=True)[0] not in found


@postgres_only
@pytest.mark.parametrize(
    "text, which, table",
    [
        ("aminah", 0, "registry_person_word"),
        # two tokens in two different words come from the pairs ("Siti Aminah": aminah|siti)
        ("siti aminah", 1, "registry_person_word_pair"),
    ],
)
def test_the_page_is_read_from_the_words(make_user, people, text, which, table):
    """Taking a person's words (or pairs) away by hand hides the person from the narrowed page only: the
    page really comes from the word walks, not from the trigram index."""
    person = people[0][which]
    officer = make_user("agency_officer", region="31")
    filters = {"q": text}
    qs = selectors.person_list(user=officer, filters=filters)
    narrow = selectors.person_search_narrow(user=officer, filters=filters)
    before = _walk_forward(qs, narrow, 50)
    assert person.pk in before
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {table} WHERE person_id = %s", [person.pk])  # noqa: S608 - a constant
    assert _walk_forward(qs, narrow, 50) == [pk for pk in before if pk != person.pk]
    assert person.pk in _walk_forward(qs, None, 50)


@postgres_only
def test_too_many_words_page_through_the_trigram_index(make_user, people, monkeypatch):
    monkeypatch.setattr(selectors, "WORD_WALKS", 1)  # "siti" is in siti, pasiti, sitiawati
    officer = make_user("agency_officer", region="31")
    filters = {"q": "siti"}
    qs = selectors.person_list(user=officer, filters=filters)
    narrow = selectors.person_search_narrow(user=officer, filters=filters)
    assert "registry_person_word" not in str(narrow(qs, None, True, 3).query)
    assert _walk_forward(qs, narrow, 2) == list(qs.order_by("name", "pk").values_list("pk", flat=True))
    # two tokens: siti × aminah is three pairs (siti, pasiti, sitiawati with aminah)
    monkeypatch.setattr(selectors, "WORD_WALKS", 3)
    filters = {"q": "siti aminah"}
    qs = selectors.person_list(user=officer, filters=filters)
    narrow = selectors.person_search_narrow(user=officer, filters=filters)
    assert "registry_person_word_pair" in str(narrow(qs, None, True, 3).query)
    monkeypatch.setattr(selectors, "WORD_WALKS", 2)
    assert "registry_person_word_pair" not in str(narrow(qs, None, True, 3).query)
    assert _walk_forward(qs, narrow, 2) == list(qs.order_by("name", "pk").values_list("pk", flat=True))


@postgres_only
def test_words_follow_inserts_renames_and_deletes(admin_user):
    person = services.person_create(
        actor=admin_user,
        nik="3172051203900001",
        name="Soekarno Djojo",
        birth_date="1990-03-12",
        sex="M",
        domicile_region_id="317205",
    )
    assert _words(person) == _expected("Soekarno Djojo") == {"sukarno|Soekarno Djojo", "jojo|Soekarno Djojo"}
    assert _pairs(person) == _expected_pairs("Soekarno Djojo") == {"jojo|sukarno|Soekarno Djojo"}
    services.person_update(actor=admin_user, person=person, phone="081234567890")  # not the name
    assert _words(person) == _expected("Soekarno Djojo")
    services.person_update(actor=admin_user, person=person, name="Hatta Moehammad")
    assert (
        _words(person) == _expected("Hatta Moehammad") == {"hata|Hatta Moehammad", "muhamad|Hatta Moehammad"}
    )
    assert _pairs(person) == {"hata|muhamad|Hatta Moehammad"}
    services.person_update(actor=admin_user, person=person, name="Hatta Hatta Moehammad Rasjid")
    assert _pairs(person) == _expected_pairs("Hatta Hatta Moehammad Rasjid")  # the word twice: once
    assert len(_pairs(person)) == 3
    # bulk writes (imports) go through the same per-statement triggers
    made = Person.objects.bulk_create(
        [
            PersonFactory.build(name=f"Siti Massal {i}", name_key=name_key(f"Siti Massal {i}"))
            for i in range(3)
        ]
    )
    assert [_words(p) for p in made] == [_expected(f"Siti Massal {i}") for i in range(3)]
    assert [_pairs(p) for p in made] == [{f"masal|siti|Siti Massal {i}"} for i in range(3)]
    Person.objects.filter(pk__in=[p.pk for p in made]).update(name="Nama Baru")  # name only, key kept
    assert _words(made[0]) == _expected("Nama Baru", key_of="Siti Massal 0")
    assert _pairs(made[0]) == {"masal|siti|Nama Baru"}
    Person.objects.filter(pk=person.pk).delete()
    assert _words(person) == set()
    assert _pairs(person) == set()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_name_word WHERE word IN ('hata', 'muhamad', 'masal')")
        assert cur.fetchone()[0] == 3
        # the test runner's flush (TRUNCATE) empties both tables; this test's transaction is rolled back
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks first
        cur.execute("TRUNCATE registry_person CASCADE")
        cur.execute(
            "SELECT (SELECT count(*) FROM registry_person_word) + (SELECT count(*) FROM registry_name_word)"
            " + (SELECT count(*) FROM registry_person_word_pair)"
        )
        assert cur.fetchone()[0] == 0


@postgres_only
def test_api_and_page_walk_the_words(make_user, people, client):
    officer = make_user("agency_officer", region="31")
    client.force_login(officer)
    expected = list(
        selectors.person_list(user=officer, filters={"q": "siti"})
        .order_by("name", "pk")
        .values_list("pk", flat=True)
    )
    got, cursor = [], ""
    for _ in range(20):
        body = client.get("/api/v1/registry/people", {"q": "siti", "page_size": 2, "cursor": cursor}).json()
        got += [i["id"] for i in body["items"]]
        assert (body["count"], body["count_exact"]) == (len(expected), True)
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]
    assert got == expected
    page = client.get("/registry/people/", {"q": "siti"})
    assert page.status_code == 200
    assert [p.pk for p in page.context["page"].rows] == expected


def test_who_gets_the_word_walks(make_user):
    """A wide scope (global, a province) and one or two name tokens of three letters or more; everything else
    keeps the trigram / FTS5 search. SQLite never narrows."""
    province = make_user("agency_officer", region="31")
    regency = make_user("agency_officer", region="3172")
    union = make_user("union_official", region="31")
    pg = connection.vendor == "postgresql"

    def narrows(user, **filters):
        return selectors.person_search_narrow(user=user, filters=filters) is not None

    assert narrows(province, q="siti") is pg
    assert narrows(province, q="Soekarno") is pg
    assert narrows(province, q="siti aminah") is pg  # two tokens: words and pairs of words
    assert not narrows(province, q="siti nur aminah")  # three: the trigram index intersects them
    assert not narrows(province, q="jo")  # shorter than a trigram
    assert not narrows(province, q="siti jo")
    assert not narrows(province, q="3172051203900001")  # a NIK
    assert not narrows(province, q="siti", sex="F")  # another filter
    assert not narrows(province)
    assert not narrows(regency, q="siti")
    assert not narrows(union, q="siti")


@postgres_only
@pytest.mark.parametrize("text", ["siti", "siti aminah"])
def test_a_repeated_search_keeps_one_generic_plan(make_user, people, client, text):
    """Prepared statements (SINERGI_PG_PREPARE): a connection prepares the search page's statement the
    5th time it runs it, and PostgreSQL keeps one generic plan for it after five custom ones instead of
    planning every request: the walks' words and limit are written into the SQL, so the generic plan
    costs what the custom ones do."""
    officer = make_user("agency_officer", region="31")
    client.force_login(officer)
    for _ in range(15):
        assert client.get("/api/v1/registry/people", {"q": text}).status_code == 200
    with connection.cursor() as cur:
        cur.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ["%registry_person_word%", "%LIMIT 51%"],
        )
        plans = cur.fetchall()
    assert len(plans) == 1
    generic, custom = plans[0]
    assert custom == 5 and generic >= 5


@postgres_only
def test_imported_people_get_their_words_even_with_row_triggers_off(make_user, puk):  # noqa: F811
    """The import writes people with the row-level foreign-key triggers off (`core.bulksql`,
    session_replication_role = replica where the role may): the name-word triggers are ENABLE ALWAYS
    (registry 0008), so the imported people have their words and pairs and a search finds them."""
    officer = make_user("agency_officer", region="31")
    rows = good_rows(4, start=700)
    job = run(csv_bytes(rows), "words.csv", body=puk, actor=officer, mode="commit")
    assert job.status == "succeeded", job.error
    imported = list(Person.objects.filter(nik__in=[row.split(",")[0] for row in rows]))
    assert len(imported) == 4
    for person in imported:
        assert _words(person) == _expected(person.name)
        assert _pairs(person) == _expected_pairs(person.name)
    with connection.cursor() as cur:
        cur.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        if cur.fetchone()[0]:  # the import really ran with the row triggers off
            cur.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'registry_person'::regclass"
                " AND tgname LIKE 'registry_person_words_%%' AND tgenabled = 'A'"
            )
            assert cur.fetchone()[0] == 4
    text = imported[0].name
    filters = {"q": text}
    qs = selectors.person_list(user=officer, filters=filters)
    narrow = selectors.person_search_narrow(user=officer, filters=filters)
    assert narrow is not None
    assert imported[0].pk in _walk_forward(qs, narrow, 50)
