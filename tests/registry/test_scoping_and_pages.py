"""People, union bodies and employers are scoped; NIK masked; reveals and exports audited."""

import datetime as dt

import pytest
from django.utils import translation

from sinergi.core.models import AuditEntry
from sinergi.registry import selectors, services
from sinergi.registry.models import Person
from sinergi.unions.selectors import union_body_list
from tests.factories import EmployerFactory, MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_unions(make_user):
    federation = UnionBodyFactory(name="Federasi Uji", kind="federation")
    mine = UnionBodyFactory(name="PUK Saya", kind="unit", parent=federation)
    other = UnionBodyFactory(name="PUK Lain", kind="unit", parent=federation)
    me = make_user("union_official", union_body=mine)
    a = MembershipFactory(body=mine).person
    b = MembershipFactory(body=other).person
    return {"federation": federation, "mine": mine, "other": other, "me": me, "a": a, "b": b}


def test_union_official_sees_only_their_bodys_members(two_unions):
    me = two_unions["me"]
    assert list(selectors.person_list(user=me)) == [two_unions["a"]]
    assert set(union_body_list(user=me)) == {two_unions["mine"]}


def test_union_official_cannot_open_another_unions_page_or_member(client, two_unions, password):
    client.login(username=two_unions["me"].username, password=password)
    assert client.get(f"/registry/unions/{two_unions['mine'].pk}/").status_code == 200
    assert client.get(f"/registry/unions/{two_unions['other'].pk}/").status_code == 404
    assert client.get(f"/registry/people/{two_unions['a'].pk}/").status_code == 200
    assert client.get(f"/registry/people/{two_unions['b'].pk}/").status_code == 404
    page = client.get("/registry/people/").content.decode()
    assert two_unions["a"].name in page and two_unions["b"].name not in page


def test_agency_sees_its_region_only(make_user):
    jakarta = PersonFactory(district="317205")
    jember = PersonFactory(district="350901", name="Orang Jember")
    officer = make_user("agency_officer", region="31")
    seen = set(selectors.person_list(user=officer))
    assert jakarta in seen and jember not in seen


def test_sponsor_sees_no_people_until_it_pays_for_some(make_user):
    PersonFactory()
    sponsor = make_user("sponsor_viewer", region="3375")
    assert selectors.person_list(user=sponsor).count() == 0


def test_profile_masks_nik_and_reveal_is_audited_with_purpose(client, agency_officer, password):
    person = PersonFactory(district="317205")
    client.login(username=agency_officer.username, password=password)
    page = client.get(f"/registry/people/{person.pk}/").content.decode()
    assert person.nik not in page and person.nik[:6] + "******" in page
    refused = client.post(f"/registry/people/{person.pk}/reveal/", {"purpose": ""})
    assert refused.status_code == 400 and person.nik not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="reveal").exists()
    shown = client.post(f"/registry/people/{person.pk}/reveal/", {"purpose": "verifikasi klaim JKM"})
    assert person.nik in shown.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.object_id == str(person.pk) and entry.purpose == "verifikasi klaim JKM"
    assert entry.actor_id == agency_officer.pk


def test_union_official_cannot_reveal(client, two_unions, password):
    client.login(username=two_unions["me"].username, password=password)
    response = client.post(f"/registry/people/{two_unions['a'].pk}/reveal/", {"purpose": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_is_audited_and_escapes_formulas(client, agency_officer, password, fmt):
    PersonFactory(name='=HYPERLINK("http://x")')
    PersonFactory(name="Budi Santoso")
    client.login(username=agency_officer.username, password=password)
    response = client.get(f"/registry/people/?export={fmt}")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["rows"] == 2 and entry.object_type == "registry.person"
    if fmt == "csv":
        body = response.content.decode("utf-8-sig")
        assert "'=HYPERLINK" in body


def test_union_official_export_masks_nik(client, two_unions, password):
    client.login(username=two_unions["me"].username, password=password)
    body = client.get("/registry/people/?export=csv").content.decode("utf-8-sig")
    assert two_unions["a"].nik not in body and two_unions["a"].nik[:6] + "******" in body


def test_search_by_exact_nik_and_tolerant_name(agency_officer):
    soekarno = PersonFactory(name="Mochammad Soekarno")
    PersonFactory(name="Budi Santoso")
    assert list(selectors.person_list(user=agency_officer, filters={"q": soekarno.nik})) == [soekarno]
    assert list(selectors.person_list(user=agency_officer, filters={"q": soekarno.nik[:15]})) == []
    assert list(selectors.person_list(user=agency_officer, filters={"q": "muhammad sukarno"})) == [soekarno]
    assert list(selectors.person_list(user=agency_officer, filters={"q": "SUKARNO"})) == [soekarno]


def test_filters_by_body_and_employer(agency_officer):
    employer = EmployerFactory()
    body = UnionBodyFactory(kind="union", employer=employer)
    member = MembershipFactory(body=body).person
    PersonFactory()
    services.employment_add(
        actor=agency_officer, person=member, employer=employer, start_date=dt.date(2020, 1, 1)
    )
    assert list(selectors.person_list(user=agency_officer, filters={"body": body.pk})) == [member]
    assert list(selectors.person_list(user=agency_officer, filters={"employer": employer.pk})) == [member]


@pytest.mark.parametrize(
    "url",
    [
        "/registry/people/",
        "/registry/people/new/",
        "/registry/unions/",
        "/registry/employers/",
        "/registry/employers/new/",
        "/registry/import/",
        "/registry/duplicates/",
    ],
)
def test_pages_answer(client, agency_officer, password, url):
    PersonFactory()
    client.login(username=agency_officer.username, password=password)
    assert client.get(url).status_code == 200


def test_person_create_via_page_shows_bilingual_nik_error(client, agency_officer, password):
    client.login(username=agency_officer.username, password=password)
    response = client.post(
        "/registry/people/new/",
        {
            "nik": "3172053002000001",
            "name": "Ani",
            "birth_date": "2000-02-28",
            "sex": "M",
            "employment_type": "formal",
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    assert "NIK: tanggal lahir 30-02-2000 tidak valid." in response.content.decode()
    assert not Person.objects.exists()


def test_home_cards_count_scoped_people(rf, two_unions):
    from sinergi.registry.home import cards

    request = rf.get("/")
    request.user = two_unions["me"]
    with translation.override("en"):
        values = {str(c["label"]): c["value"] for c in cards(request)}
    assert values["Workers registered"] == 1


def test_post_only_pages_answer_404_outside_scope_before_405(client, agency_officer, password):
    mine = PersonFactory(district="317205")
    other = PersonFactory(district="350901")
    client.login(username=agency_officer.username, password=password)
    assert client.get(f"/registry/people/{other.pk}/reveal/").status_code == 404
    assert client.get(f"/registry/people/{mine.pk}/reveal/").status_code == 405
