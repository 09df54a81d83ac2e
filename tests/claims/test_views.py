"""Claims pages: list and detail scoped, actions through the pages, calculator, PDFs, downloads."""

import datetime as dt

import pytest
from django.urls import reverse

from sinergi.claims import selectors, services
from sinergi.claims.models import Claim, Payment
from sinergi.core.models import AuditEntry
from tests.claims.factories import pdf, we6_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(make_user):
    first = make_user("ss_officer", region="3172", org_kind="ss_branch")
    return first, make_user("ss_officer", org=first.organisation)


def _case(officer, benefits=("JKM",)):
    person, family = we6_family()
    case = services.case_open(
        actor=officer,
        person=person,
        event_type="death",
        event_date=dt.date(2024, 5, 1),
        benefits=list(benefits),
    )
    return case, family


def test_open_case_through_the_page_with_a_clear_error_for_unknown_nik(client, officers, password):
    officer, _ = officers
    person, _family = we6_family()
    client.login(username=officer.username, password=password)
    bad = client.post(
        reverse("claims:case_new"),
        {"nik": "3172050000000000", "event_type": "death", "event_date": "2024-05-01", "benefits": ["JKM"]},
    )
    assert bad.status_code == 200 and "NIK" in bad.content.decode()
    ok = client.post(
        reverse("claims:case_new"),
        {
            "nik": person.nik,
            "event_type": "death",
            "event_date": "2024-05-01",
            "benefits": ["JKM", "BEASISWA"],
        },
    )
    assert ok.status_code == 302
    assert Claim.objects.filter(case__person=person).count() == 2


def test_full_path_through_pages_and_pdfs(client, officers, password):
    verifier, approver = officers
    case, _family = _case(verifier)
    claim = case.claims.get()
    client.login(username=verifier.username, password=password)
    client.post(reverse("claims:claim_quote", args=[claim.pk]))
    for code in selectors.missing_documents(claim):
        r = client.post(reverse("claims:document_upload", args=[claim.pk]), {"doc_type": code, "file": pdf()})
        assert r.status_code == 302
    client.post(reverse("claims:claim_verify", args=[claim.pk]))
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="decide-blocked"' in page
    assert "Rp42.000.000" in page
    client.logout()
    client.login(username=approver.username, password=password)
    client.post(reverse("claims:claim_decide", args=[claim.pk]), {"decision": "approve"})
    client.post(
        reverse("claims:claim_instruction", args=[claim.pk]),
        {"bank_name": "Bank DKI", "bank_account": "1234567890", "account_holder": "Siti"},
    )
    for _ in range(2):  # double click
        client.post(
            reverse("claims:claim_pay", args=[claim.pk]), {"paid_on": "2024-05-08", "reference": "TRX"}
        )
    assert Payment.objects.filter(claim=claim).count() == 1
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "******7890" in page and "1234567890" not in page
    letter = client.get(reverse("claims:decision_letter", args=[claim.pk]))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    cert = client.get(reverse("claims:handover_certificate", args=[case.pk]))
    assert cert.status_code == 200 and cert.content.startswith(b"%PDF")
    doc = claim.documents.first()
    download = client.get(reverse("claims:document_download", args=[doc.pk]))
    assert download.status_code == 200
    assert AuditEntry.objects.filter(action="reveal", object_id=str(doc.pk)).exists()


def test_out_of_scope_claims_answer_404_and_union_sees_status_only(client, officers, make_user, password):
    officer, _ = officers
    case, _family = _case(officer)
    claim = case.claims.get()
    services.claim_quote(actor=officer, claim=claim)
    other = make_user("ss_officer", region="3375", org_kind="ss_branch")
    client.login(username=other.username, password=password)
    assert client.get(reverse("claims:claim_detail", args=[claim.pk])).status_code == 404
    assert client.post(reverse("claims:claim_verify", args=[claim.pk])).status_code == 404
    assert case.reference not in client.get(reverse("claims:claim_list")).content.decode()
    client.logout()
    union = make_user("union_official", region="31")
    from sinergi.unions.models import Membership

    Membership.objects.create(person=case.person, body=union.organisation.union_body, status="active")
    client.login(username=union.username, password=password)
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="claim-status"' in page
    assert claim.claimant_name not in page and "42.000.000" not in page
    assert client.get(reverse("claims:decision_letter", args=[claim.pk])).status_code == 403
    assert client.get(reverse("claims:claim_list")).status_code == 200


def test_calculator_quotes_and_refuses_with_reason(client, officers, password):
    officer, _ = officers
    client.login(username=officer.username, password=password)
    r = client.post(
        reverse("claims:calculator"),
        {
            "benefit": "JKP",
            "wage": "7000000",
            "phk_date": "2025-03-01",
            "claim_date": "2025-04-01",
            "paid_months_last_24": "20",
            "consecutive_months_before_phk": "12",
        },
    )
    assert "Rp18.000.000" in r.content.decode()
    r = client.post(
        reverse("claims:calculator"),
        {"benefit": "JKM", "death_date": "2024-05-01", "active_at_death": "", "work_accident": "1"},
    )
    assert 'data-testid="quote-refusal"' in r.content.decode()
    r = client.post(reverse("claims:calculator"), {"benefit": "JKK", "kind": "death"})
    assert r.status_code == 400
    r = client.post(
        reverse("claims:calculator"),
        {
            "benefit": "BEASISWA",
            "event": "JKM",
            "event_date": "2024-05-01",
            "contribution_months": "48",
            "child0_name": "A",
            "child0_birth": "2016-02-01",
            "child0_level": "SD",
            "child0_grade": "3",
            "child1_name": "B",
            "child1_birth": "2012-07-01",
            "child1_level": "SMP",
            "child1_grade": "1",
        },
    )
    body = r.content.decode()
    assert "Rp3.500.000" in body and "Rp81.000.000" in body
    for benefit in ("JKM", "JKK", "JHT", "JP", "JKP", "BEASISWA"):
        assert client.get(reverse("claims:calculator") + f"?benefit={benefit}").status_code == 200


def test_profile_section_lists_claims(rf, officers):
    from sinergi.claims.profile import sections

    officer, _ = officers
    case, _family = _case(officer)
    request = rf.get("/")
    request.user = officer
    result = sections(request, case.person)
    assert result[0]["html"].count("profile-claims") == 1 and case.reference in result[0]["html"]


@pytest.mark.parametrize(
    "role",
    [
        "agency_officer",
        "agency_head",
        "ss_officer",
        "union_official",
        "sponsor_viewer",
        "tripartite_secretary",
        "leadership_viewer",
        "admin",
    ],
)
def test_every_role_gets_the_parameterless_pages_without_a_server_error(client, make_user, password, role):
    officer = make_user("ss_officer", region="3172", org_kind="ss_branch")
    _case(officer)
    user = make_user(role, region="3172")
    client.login(username=user.username, password=password)
    for name in ("claims:claim_list", "claims:calculator", "core:home"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("claims:case_new")).status_code in (200, 403)
    assert client.get("/api/v1/claims/").status_code == 200
    body = client.get(reverse("claims:claim_list")).content.decode()
    if role in ("sponsor_viewer", "union_official"):
        assert "KLM-2024" not in body  # not their people
    if role in ("union_official", "sponsor_viewer"):
        assert "Rp42.000.000" not in body


def test_worker_profile_page_shows_the_claims_section(client, officers, password):
    officer, _ = officers
    case, _family = _case(officer)
    client.login(username=officer.username, password=password)
    response = client.get(f"/registry/people/{case.person.pk}/")
    assert response.status_code == 200
    assert 'data-testid="profile-claims"' in response.content.decode()


def test_calculator_keeps_the_inputs_after_an_error(client, officers, password):
    client.login(username=officers[0].username, password=password)
    r = client.post(
        reverse("claims:calculator"),
        {
            "benefit": "BEASISWA",
            "event_date": "",
            "child0_name": "Anak Uji",
            "child0_level": "SMP",
            "child0_grade": "2",
        },
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert 'value="Anak Uji"' in body and '<option value="SMP" selected>' in body
    r = client.post(reverse("claims:calculator"), {"benefit": "JKP", "wage": "abc", "phk_date": "2025-03-01"})
    assert (
        r.status_code == 400
        and 'value="abc"' in r.content.decode()
        and 'value="2025-03-01"' in r.content.decode()
    )


def test_scholarship_year_released_through_the_page_and_documents_scoped(
    client, officers, make_user, password
):
    verifier, approver = officers
    case, family = _case(verifier, benefits=("BEASISWA",))
    claim = services.claim_quote(actor=verifier, claim=case.claims.get())
    for code in selectors.missing_documents(claim):
        services.claim_document_add(actor=verifier, claim=claim, doc_type=code, upload=pdf())
    services.claim_verify(actor=verifier, claim=claim)
    services.claim_decide(actor=approver, claim=claim, approve=True)
    services.claim_payment_instruction_set(
        actor=approver, claim=claim, bank_name="BRI", bank_account="12345678", account_holder="Siti"
    )
    services.claim_pay(actor=approver, claim=claim)
    year = claim.scholarship_years.get(child=family["a"], year_index=1)
    client.login(username=approver.username, password=password)
    assert client.get(reverse("claims:scholarship_release", args=[year.pk])).status_code == 405
    client.post(reverse("claims:claim_detail", args=[claim.pk]))
    upload = client.post(
        reverse("claims:document_upload", args=[claim.pk]),
        {"doc_type": "school_proof", "file": pdf(), "scholarship_year": year.pk},
    )
    assert upload.status_code == 302
    client.post(reverse("claims:scholarship_release", args=[year.pk]))
    year.refresh_from_db()
    assert year.status == "released"
    doc = claim.documents.first()
    client.logout()
    other = make_user("ss_officer", region="3375", org_kind="ss_branch")
    client.login(username=other.username, password=password)
    assert client.get(reverse("claims:document_download", args=[doc.pk])).status_code == 404
    assert client.post(reverse("claims:scholarship_release", args=[year.pk])).status_code == 404


def test_calculator_words_lines_and_notes_in_indonesian_with_indonesian_numbers(client, officers, password):
    officer, _ = officers
    client.login(username=officer.username, password=password)
    r = client.post(
        reverse("claims:calculator"),
        {
            "benefit": "JKP",
            "wage": "7000000",
            "phk_date": "2025-03-01",
            "claim_date": "2025-04-01",
            "paid_months_last_24": "20",
            "consecutive_months_before_phk": "12",
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    html = r.content.decode()
    assert "upah dibatasi 5.000.000" in html  # the note, in Indonesian with dot grouping
    assert "wage capped" not in html and "5,000,000" not in html
    assert "bulan × 60% dari 5.000.000" in html


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1"])
def test_a_bad_school_year_on_a_document_upload_is_a_message_not_a_server_error(
    client, officers, password, bad
):
    verifier, _approver = officers
    case, _family = _case(verifier)
    claim = case.claims.get()
    client.login(username=verifier.username, password=password)
    before = claim.documents.count()
    r = client.post(
        reverse("claims:document_upload", args=[claim.pk]),
        {"doc_type": "death_certificate", "file": pdf(), "scholarship_year": bad},
    )
    assert r.status_code == 200 and claim.documents.count() == before
    assert "errorlist" in r.content.decode()  # named on the upload form, which is drawn again
