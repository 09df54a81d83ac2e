"""Probable duplicates: found by blocking + similarity, decided once, merged with history kept."""

import datetime as dt

import pytest

from sinergi.core.models import AuditEntry
from sinergi.registry import selectors, services
from sinergi.registry.duplicates import find_and_store
from sinergi.registry.models import DuplicateCandidate, Employment, FamilyMember, Person
from sinergi.unions.models import Membership, UnionOfficial
from tests.factories import EmployerFactory, MembershipFactory, PersonFactory, UnionBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    a = PersonFactory(
        name="Siti Nurhaliza Harahap", birth_date=dt.date(1990, 3, 12), sex="F", address="Jl. Mawar 3"
    )
    b = PersonFactory(
        name="Siti Nurhalisa Harahap",
        birth_date=dt.date(1990, 12, 3),
        sex="F",
        district="317201",
        address="Jl. Mawar 3",
    )
    b.domicile_region_id = "317205"
    b.save()
    PersonFactory(name="Bambang Sutrisno", birth_date=dt.date(1990, 3, 12), sex="M")
    PersonFactory(name="Dewi Lestari", birth_date=dt.date(1990, 3, 12), sex="F", address="Jl. Lain")
    return a, b


def test_swapped_birth_date_and_typo_found_with_evidence(pair):
    a, b = pair
    stats = find_and_store()
    assert stats["new_candidates"] == 1
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a_id, candidate.person_b_id) == (a.pk, b.pk)
    assert candidate.evidence["birth_date"] == "day/month swapped"
    assert candidate.evidence["regency"] is True and candidate.evidence["address"] is True
    assert candidate.score >= 0.81
    assert find_and_store()["new_candidates"] == 0  # idempotent


def test_not_a_duplicate_is_remembered(pair, agency_officer):
    find_and_store()
    candidate = DuplicateCandidate.objects.get()
    services.duplicate_mark_not(actor=agency_officer, candidate=candidate)
    assert find_and_store()["new_candidates"] == 0
    assert DuplicateCandidate.objects.get().status == "not_duplicate"
    assert selectors.duplicate_list(user=agency_officer).count() == 0


def test_merge_moves_every_link_and_keeps_history(pair, agency_officer):
    a, b = pair
    employer = EmployerFactory()
    puk = UnionBodyFactory(kind="unit", employer=employer)
    other = UnionBodyFactory(kind="union")
    MembershipFactory(person=a, body=puk)
    MembershipFactory(person=b, body=puk)  # same body on both records: the duplicate's is ended
    MembershipFactory(person=b, body=other)
    FamilyMember.objects.create(person=b, relation="child", name="Anak Siti")
    Employment.objects.create(person=b, employer=employer, start_date=dt.date(2020, 1, 1))
    UnionOfficial.objects.create(body=other, person=b, position="Bendahara", term_start=dt.date(2024, 1, 1))
    find_and_store()
    candidate = DuplicateCandidate.objects.get()
    kept = services.duplicate_merge(actor=agency_officer, candidate=candidate, keep_id=a.pk)
    b.refresh_from_db()
    assert kept == a and b.merged_into_id == a.pk
    assert set(Membership.objects.filter(person=a, status="active").values_list("body_id", flat=True)) == {
        puk.pk,
        other.pk,
    }
    assert Membership.objects.filter(person=a, status="left").count() == 1
    assert FamilyMember.objects.get().person_id == a.pk
    assert Employment.objects.get().person_id == a.pk
    assert UnionOfficial.objects.get().person_id == a.pk
    puk.refresh_from_db()
    assert puk.member_count == 1  # one person, counted once
    entry = AuditEntry.objects.get(action="merge")
    assert entry.changes["merged"] == b.pk
    assert entry.changes["moved"]["registry.familymember.person"] == 1
    assert b not in selectors.person_list(user=agency_officer)
    assert Person.objects.filter(pk=b.pk).exists()
    DuplicateCandidate.objects.get(status="merged")


def test_union_official_cannot_merge(pair, make_user):
    find_and_store()
    official = make_user("union_official")
    with pytest.raises(Exception, match="merge_people"):
        services.duplicate_merge(
            actor=official, candidate=DuplicateCandidate.objects.get(), keep_id=pair[0].pk
        )


def test_duplicate_pages(client, pair, agency_officer, password):
    find_and_store()
    candidate = DuplicateCandidate.objects.get()
    client.login(username=agency_officer.username, password=password)
    assert pair[0].name in client.get("/registry/duplicates/").content.decode()
    assert client.get(f"/registry/duplicates/{candidate.pk}/").status_code == 200
    response = client.post(f"/registry/duplicates/{candidate.pk}/", {"decision": "merge", "keep": pair[1].pk})
    assert response.status_code == 302
    pair[0].refresh_from_db()
    assert pair[0].merged_into_id == pair[1].pk
