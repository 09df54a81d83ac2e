"""Claim workflow with the database: open, quote from coverage facts, heirs, documents, verify,
maker-checker decision, exactly-once payment, scholarship schedule, scoping."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.claims import selectors, services
from sinergi.claims.models import Claim, Payment, ScholarshipYear
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.models import AuditEntry
from tests.claims.factories import pdf, we6_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(make_user):
    first = make_user("ss_officer", region="3172", org_kind="ss_branch")
    second = make_user("ss_officer", org=first.organisation)
    return first, second


def _complete_documents(officer, claim):
    for code in selectors.missing_documents(claim):
        services.claim_document_add(actor=officer, claim=claim, doc_type=code, upload=pdf(f"{code}.pdf"))


def _open_death(officer, benefits=("JKM", "BEASISWA"), **kw):
    person, family = we6_family(**kw)
    case = services.case_open(
        actor=officer,
        person=person,
        event_type="death",
        event_date=dt.date(2024, 5, 1),
        benefits=list(benefits),
    )
    return case, family


def test_death_case_proposes_spouse_and_quotes_we6_from_coverage(officers):
    officer, _ = officers
    case, family = _open_death(officer)
    assert case.reference == f"KLM-2024-{case.pk:06d}"
    jkm = case.claims.get(benefit="JKM")
    assert (jkm.heir, jkm.heir_rank, jkm.claimant_relation) == (family["spouse"], 1, "spouse")
    services.claim_quote(actor=officer, claim=jkm)
    jkm.refresh_from_db()
    assert jkm.amount == Decimal(42_000_000)
    scholarship = services.claim_quote(actor=officer, claim=case.claims.get(benefit="BEASISWA"))
    assert scholarship.amount == Decimal(3_500_000)
    child_a = next(c for c in scholarship.quote["schedule"] if c["child"] == str(family["a"].pk))
    assert Decimal(child_a["max_remaining"]) == Decimal(81_000_000)


def test_scholarship_refused_under_three_years_of_contributions(officers):
    officer, _ = officers
    case, _family = _open_death(officer, months=20)
    claim = services.claim_quote(actor=officer, claim=case.claims.get(benefit="BEASISWA"))
    assert claim.amount == 0
    assert claim.quote["eligible"] is False
    assert [c["code"] for c in claim.quote["conditions"] if not c["met"]] == ["min_contribution"]


def test_choosing_another_heir_needs_a_written_reason_and_is_audited(officers):
    officer, _ = officers
    case, family = _open_death(officer, benefits=("JKM",))
    claim = case.claims.get()
    with pytest.raises(SinergiError) as err:
        services.claim_heir_set(actor=officer, claim=claim, family_member=family["mother"])
    assert err.value.code == "reason_required"
    services.claim_heir_set(
        actor=officer, claim=claim, family_member=family["mother"], reason="Court ruling 12/2024"
    )
    claim.refresh_from_db()
    assert claim.claimant_name == "Ibu Kandung" and claim.heir_rank == 3
    entry = AuditEntry.objects.filter(action="heir_choose", object_id=str(claim.pk)).get()
    assert entry.purpose == "Court ruling 12/2024"


def test_upload_rejects_wrong_type_size_and_content(officers, settings):
    officer, _ = officers
    case, _family = _open_death(officer, benefits=("JKM",))
    claim = case.claims.get()
    with pytest.raises(SinergiError, match="PDF, JPG atau PNG"):
        services.claim_document_add(
            actor=officer, claim=claim, doc_type="kk", upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    with pytest.raises(SinergiError) as err:
        services.claim_document_add(
            actor=officer, claim=claim, doc_type="kk", upload=SimpleUploadedFile("x.pdf", b"not a pdf")
        )
    assert err.value.code == "file_content"
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (services.MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(SinergiError) as err:
        services.claim_document_add(actor=officer, claim=claim, doc_type="kk", upload=big)
    assert err.value.code == "file_too_large"
    assert claim.documents.count() == 0
    doc = services.claim_document_add(actor=officer, claim=claim, doc_type="kk", upload=pdf())
    assert doc.file.path.startswith(str(settings.MEDIA_ROOT))


def test_verify_needs_documents_then_starts_clock_and_checks_coverage(officers):
    officer, _ = officers
    case, _family = _open_death(officer, benefits=("JKM",))
    claim = services.claim_quote(actor=officer, claim=case.claims.get())
    with pytest.raises(SinergiError) as err:
        services.claim_verify(actor=officer, claim=claim)
    assert err.value.code == "documents_missing"
    _complete_documents(officer, claim)
    claim.refresh_from_db()
    assert claim.documents_complete_on is not None and claim.due_on > claim.documents_complete_on
    claim = services.claim_verify(actor=officer, claim=claim)
    assert claim.status == Claim.Status.VERIFIED
    assert claim.verification["coverage"]["contribution_months"] >= 48


def test_verify_refuses_when_membership_inactive_at_death(officers):
    officer, _ = officers
    case, _family = _open_death(officer, benefits=("JKM",))
    participation = case.person.participations.get()
    participation.end_date = dt.date(2024, 1, 31)
    participation.save()
    claim = case.claims.get()
    claim = services.claim_quote(actor=officer, claim=claim)
    assert claim.amount == 0  # quote already refuses: not active
    _complete_documents(officer, claim)
    with pytest.raises(SinergiError) as err:
        services.claim_verify(actor=officer, claim=claim)
    assert err.value.code == "membership_inactive"


def _verified(officer):
    case, family = _open_death(officer, benefits=("JKM",))
    claim = services.claim_quote(actor=officer, claim=case.claims.get())
    _complete_documents(officer, claim)
    return services.claim_verify(actor=officer, claim=claim), family


def test_the_approver_can_never_be_the_verifier(officers):
    verifier, approver = officers
    claim, _ = _verified(verifier)
    with pytest.raises(NotAllowed):
        services.claim_decide(actor=verifier, claim=claim, approve=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    with pytest.raises(SinergiError):
        services.claim_decide(actor=approver, claim=claim, approve=False)  # rejection needs a reason
    claim = services.claim_decide(actor=approver, claim=claim, approve=True)
    assert claim.status == Claim.Status.APPROVED and claim.decided_by == approver
    assert list(claim.events.values_list("to_status", flat=True)) == ["submitted", "verified", "approved"]


def test_sequential_double_submit_pays_once(officers):
    verifier, approver = officers
    claim, _ = _verified(verifier)
    services.claim_decide(actor=approver, claim=claim, approve=True)
    with pytest.raises(SinergiError):
        services.claim_pay(actor=approver, claim=claim)  # no instruction yet
    services.claim_payment_instruction_set(
        actor=approver, claim=claim, bank_name="Bank DKI", bank_account="1234-5678-90", account_holder="Siti"
    )
    payment = services.claim_pay(actor=approver, claim=claim, reference="TRX1")
    assert payment.amount == Decimal(42_000_000)
    with pytest.raises(Conflict) as err:
        services.claim_pay(actor=approver, claim=claim, reference="TRX2")
    assert err.value.code == "already_paid"
    assert Payment.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID and claim.masked_account == "******7890"


def test_unapproved_claim_cannot_be_paid(officers):
    verifier, _ = officers
    claim, _ = _verified(verifier)
    services.claim_payment_instruction_set(
        actor=verifier, claim=claim, bank_name="BRI", bank_account="123456", account_holder="X"
    )
    with pytest.raises(Conflict):
        services.claim_pay(actor=verifier, claim=claim)


def test_scholarship_schedule_released_yearly_on_proof(officers):
    verifier, approver = officers
    case, family = _open_death(verifier, benefits=("BEASISWA",))
    claim = services.claim_quote(actor=verifier, claim=case.claims.get())
    _complete_documents(verifier, claim)
    services.claim_verify(actor=verifier, claim=claim)
    services.claim_decide(actor=approver, claim=claim, approve=True)
    years = ScholarshipYear.objects.filter(claim=claim)
    assert sum(y.amount for y in years.filter(child=family["a"])) == Decimal(81_000_000)
    services.claim_payment_instruction_set(
        actor=approver, claim=claim, bank_name="BRI", bank_account="998877665", account_holder="Siti"
    )
    services.claim_pay(actor=approver, claim=claim)
    assert set(years.filter(year_index=0).values_list("status", flat=True)) == {"released"}
    second = years.get(child=family["a"], year_index=1)
    with pytest.raises(SinergiError) as err:
        services.scholarship_year_release(actor=approver, year=second)
    assert err.value.code == "proof_missing"
    services.claim_document_add(
        actor=verifier, claim=claim, doc_type="school_proof", upload=pdf(), scholarship_year=second
    )
    assert services.scholarship_year_release(actor=approver, year=second).status == "released"
    with pytest.raises(Conflict):
        services.scholarship_year_release(actor=approver, year=second)
    family["b"].is_working = True
    family["b"].save()
    stopped = services.scholarship_year_release(
        actor=approver, year=years.get(child=family["b"], year_index=1)
    )
    assert stopped.status == "stopped"
    assert not years.filter(child=family["b"], status="scheduled").exists()


def test_other_branch_and_union_cannot_act_and_union_sees_status_only(officers, make_user):
    officer, _ = officers
    case, _family = _open_death(officer, benefits=("JKM",))
    other = make_user("ss_officer", region="3375", org_kind="ss_branch")
    claim = case.claims.get()
    with pytest.raises(NotAllowed):
        services.claim_quote(actor=other, claim=claim)
    assert not selectors.claim_list(user=other).exists()
    agency = make_user("agency_officer", region="31")
    assert selectors.claim_list(user=agency).count() == 1
    with pytest.raises(PermissionDenied):
        services.claim_quote(actor=agency, claim=claim)
    union = make_user("union_official", region="31")
    assert not selectors.claim_list(user=union).exists()
    from sinergi.unions.models import Membership

    Membership.objects.create(person=case.person, body=union.organisation.union_body, status="active")
    assert selectors.claim_list(user=union).count() == 1
    assert not selectors.sees_personal(union)
    assert not selectors.document_list(user=union).exists()


def test_event_and_benefit_must_match(officers):
    officer, _ = officers
    person, _family = we6_family()
    with pytest.raises(SinergiError) as err:
        services.case_open(
            actor=officer,
            person=person,
            event_type="resignation",
            event_date=dt.date(2024, 5, 1),
            benefits=["JKM"],
        )
    assert err.value.field == "benefits"


def test_death_from_a_work_accident_is_jkk_not_jkm_and_scholarship_follows_jkk(officers):
    officer, _ = officers
    person, _family = we6_family(months=10)  # under 3 years: JKM scholarship would be refused
    case = services.case_open(
        actor=officer,
        person=person,
        event_type="death",
        event_date=dt.date(2024, 5, 1),
        benefits=["JKK", "JKM", "BEASISWA"],
    )
    jkm = services.claim_quote(actor=officer, claim=case.claims.get(benefit="JKM"))
    assert [c["code"] for c in jkm.quote["conditions"] if not c["met"]] == ["not_work_accident"]
    jkk = services.claim_quote(
        actor=officer,
        claim=case.claims.get(benefit="JKK"),
        inputs={"wage": "5000000", "claim_date": "2024-05-10"},
    )
    assert jkk.amount == Decimal(262_000_000)
    scholarship = services.claim_quote(actor=officer, claim=case.claims.get(benefit="BEASISWA"))
    assert scholarship.amount == Decimal(3_500_000)  # JKK scholarship: no minimum period


def test_quote_with_bad_input_names_the_field_and_keeps_the_claim(officers):
    officer, _ = officers
    case, _family = _open_death(officer, benefits=("JKK",))
    claim = case.claims.get()
    with pytest.raises(SinergiError) as err:
        services.claim_quote(actor=officer, claim=claim, inputs={"wage": "-5"})
    assert err.value.field == "wage"
    claim.refresh_from_db()
    assert claim.amount == 0 and claim.quote == {}


def test_union_sees_claims_of_members_at_the_event_date_only(officers, make_user):
    from sinergi.unions.models import Membership

    officer, _ = officers
    union = make_user("union_official", region="31")
    body = union.organisation.union_body
    case, _family = _open_death(officer, benefits=("JKM",))
    Membership.objects.create(person=case.person, body=body, status="left", left_on=dt.date(2024, 5, 1))
    assert selectors.claim_list(user=union).count() == 1
    assert selectors.case_list(user=union).count() == 1
    earlier, _f = _open_death(officer, benefits=("JKM",))
    Membership.objects.create(person=earlier.person, body=body, status="left", left_on=dt.date(2019, 1, 1))
    assert list(selectors.claim_list(user=union).values_list("case_id", flat=True)) == [case.pk]
