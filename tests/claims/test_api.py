"""Claims API: quotes, the claim workflow end to end, exactly once (409), scoping and the union view."""

import datetime as dt

import pytest

from sinergi.claims import selectors, services
from tests.claims.factories import pdf, we6_family

pytestmark = pytest.mark.django_db
API = "/api/v1/claims"


@pytest.fixture
def officers(make_user):
    first = make_user("ss_officer", region="3172", org_kind="ss_branch")
    return first, make_user("ss_officer", org=first.organisation)


def test_quote_endpoints_give_amounts_conditions_and_refusals(client, officers, password):
    client.login(username=officers[0].username, password=password)
    r = client.post(f"{API}/quote/jkm", {"death_date": "2024-05-01"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["total"] == "42000000" and r.json()["eligible"] is True
    r = client.post(
        f"{API}/quote/JKM",
        {"death_date": "2024-05-01", "active_at_death": False},
        content_type="application/json",
    )
    assert r.json()["eligible"] is False and r.json()["refusals"][0]["code"] == "active_membership"
    r = client.post(
        f"{API}/quote/JKK", {"kind": "death"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert r.status_code == 400 and r.json()["field"] == "accident_date"
    r = client.post(
        f"{API}/quote-scholarship",
        {
            "event_date": "2024-05-01",
            "contribution_months": 48,
            "children": [
                {"name": "A", "birth_date": "2016-02-01", "level": "SD", "grade": 3},
                {"name": "B", "birth_date": "2012-07-01", "level": "SMP", "grade": 1},
            ],
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["quote"]["total"] == "3500000"
    assert r.json()["children"][1]["max_remaining"] == "81000000"  # A is the younger child, listed second


def test_workflow_through_the_api_pays_once(client, officers, password):
    verifier, approver = officers
    person, _family = we6_family()
    client.login(username=verifier.username, password=password)
    r = client.post(
        f"{API}/cases",
        {"nik": person.nik, "event_type": "death", "event_date": "2024-05-01", "benefits": ["JKM"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    claim_id = r.json()["claims"][0]["id"]
    assert (
        client.post(f"{API}/{claim_id}/quote", {}, content_type="application/json").json()["amount"]
        == "42000000"
    )
    from sinergi.claims.models import Claim

    claim = Claim.objects.get(pk=claim_id)
    for code in selectors.missing_documents(claim):
        r = client.post(f"{API}/{claim_id}/documents", {"doc_type": code, "file": pdf()})
        assert r.status_code == 201, r.content
    assert client.post(f"{API}/{claim_id}/verify").json()["status"] == "verified"
    r = client.post(f"{API}/{claim_id}/decision", {"approve": True}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "same_officer"
    client.logout()
    client.login(username=approver.username, password=password)
    assert (
        client.post(f"{API}/{claim_id}/decision", {"approve": True}, content_type="application/json").json()[
            "status"
        ]
        == "approved"
    )
    client.post(
        f"{API}/{claim_id}/instruction",
        {"bank_name": "BRI", "bank_account": "0011223344", "account_holder": "Siti"},
        content_type="application/json",
    )
    first = client.post(f"{API}/{claim_id}/payment", {"reference": "A"}, content_type="application/json")
    second = client.post(f"{API}/{claim_id}/payment", {"reference": "B"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["bank_account"] == "******3344"
    assert second.status_code == 409 and second.json()["code"] == "already_paid"
    assert len(client.get(f"{API}/{claim_id}/documents").json()) >= 6


def test_scope_and_union_status_only(client, officers, make_user, password):
    officer, _ = officers
    person, _family = we6_family()
    case = services.case_open(
        actor=officer, person=person, event_type="death", event_date=dt.date(2024, 5, 1), benefits=["JKM"]
    )
    claim = services.claim_quote(actor=officer, claim=case.claims.get())
    other = make_user("ss_officer", region="3375", org_kind="ss_branch")
    client.login(username=other.username, password=password)
    assert client.get(f"{API}/{claim.pk}").status_code == 404
    assert client.get(f"{API}/cases/{case.pk}").status_code == 404
    assert client.get(f"{API}/").json()["count"] == 0
    client.logout()
    union = make_user("union_official", region="31")
    from sinergi.unions.models import Membership

    Membership.objects.create(person=person, body=union.organisation.union_body, status="active")
    client.login(username=union.username, password=password)
    body = client.get(f"{API}/{claim.pk}").json()
    assert body["status"] == "submitted"
    assert body["claimant"] is None and body["amount"] is None and body["quote"] is None
    assert client.get(f"{API}/{claim.pk}/documents").json() == []
    assert client.post(f"{API}/{claim.pk}/verify").status_code == 403


def test_heir_choice_through_the_api_needs_a_reason(client, officers, password):
    officer, _ = officers
    person, family = we6_family()
    case = services.case_open(
        actor=officer, person=person, event_type="death", event_date=dt.date(2024, 5, 1), benefits=["JKM"]
    )
    claim = case.claims.get()
    client.login(username=officer.username, password=password)
    r = client.post(
        f"{API}/{claim.pk}/heir", {"family_member_id": family["mother"].pk}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = client.post(
        f"{API}/{claim.pk}/heir",
        {"family_member_id": family["mother"].pk, "reason": "Putusan pengadilan"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["claimant"] == "Ibu Kandung"
    r = client.post(f"{API}/scholarship-years/999999/release")
    assert r.status_code == 404
